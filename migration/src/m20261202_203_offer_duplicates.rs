//! Offers that look like the same offer listed twice (two sources announcing one course):
//! pairs found by `maintenance duplicates`, then confirmed or dismissed by an admin.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::enum_constraints::{EnumColumn, constrain, unconstrain};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: &[EnumColumn] = &[EnumColumn {
    table: "offer_duplicates",
    column: "status",
    codes: &["SUGGESTED", "CONFIRMED", "DISMISSED"],
}];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("offer_duplicates")
                    // A pair is stored once, its lower id first (the one kept when the
                    // catalogue is read without duplicates).
                    .col(integer("offer_id"))
                    .col(integer("duplicate_id"))
                    .col(double("score"))
                    .col(string_len("status", 16).default("SUGGESTED"))
                    .col(text_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("offer_id").col("duplicate_id"))
                    .check(Expr::col("offer_id").lt(Expr::col("duplicate_id")))
                    .foreign_key(
                        ForeignKey::create()
                            .from("offer_duplicates", "offer_id")
                            .to("offers", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("offer_duplicates", "duplicate_id")
                            .to("offers", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offer_duplicates_duplicate_id")
                    .table("offer_duplicates")
                    .col("duplicate_id")
                    .take(),
            )
            .await?;
        constrain(manager, COLUMNS).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        unconstrain(manager, COLUMNS).await?;
        manager
            .drop_table(Table::drop().table("offer_duplicates").take())
            .await
    }
}
