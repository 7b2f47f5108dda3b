//! API clients (hashed keys, roles, origins, rate limits), the organisations an editor may edit,
//! the audit log, and the shared rate-limit counters.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("api_clients")
                    .col(pk_auto("id"))
                    .col(
                        text("name")
                            .unique_key()
                            .check(Expr::cust("length(name) BETWEEN 1 AND 100")),
                    )
                    .col(text("role").check(Expr::cust("role IN ('PARTNER', 'EDITOR', 'ADMIN')")))
                    .col(text("key_hash").unique_key())
                    .col(text("key_prefix"))
                    .col(text("allowed_origins").default("[]"))
                    .col(
                        integer("rate_limit_per_minute")
                            .check(Expr::cust("rate_limit_per_minute > 0")),
                    )
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_client_organisations")
                    .col(integer("client_id"))
                    .col(integer("organisation_id"))
                    .primary_key(Index::create().col("client_id").col("organisation_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("api_client_organisations", "client_id")
                            .to("api_clients", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("api_client_organisations", "organisation_id")
                            .to("organisations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(pk_auto("id"))
                    .col(integer_null("client_id"))
                    .col(text("client_name"))
                    .col(text("entity_type"))
                    .col(integer("entity_id"))
                    .col(text("action"))
                    .col(text("changes").default("{}"))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_entity")
                    .table("audit_log")
                    .col("entity_type")
                    .col("entity_id")
                    .col("id")
                    .take(),
            )
            .await?;
        // Who last checked the offer, beside when (`verified_at`).
        manager
            .alter_table(
                Table::alter()
                    .table("offers")
                    .add_column(text_null("verified_by"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("rate_limit_windows")
                    .col(text("bucket"))
                    .col(big_integer("window_start"))
                    .col(integer("hits"))
                    .primary_key(Index::create().col("bucket").col("window_start"))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("offers")
                    .drop_column("verified_by")
                    .take(),
            )
            .await?;
        for table in [
            "rate_limit_windows",
            "audit_log",
            "api_client_organisations",
            "api_clients",
        ] {
            manager
                .drop_table(Table::drop().table(table.to_owned()).take())
                .await?;
        }
        Ok(())
    }
}
