//! What partners filter on and what makes an offer trustworthy: occupation codes (ROME,
//! appellations, FORMACODE), the host company, fitness for disabled workers, who may refer,
//! the data·inclusion precisions, the publication date, and video testimonials.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::enum_constraints::{EnumColumn, constrain, unconstrain};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The new enum columns, with the codes `entity::enums` has for them today.
const COLUMNS: &[EnumColumn] = &[
    EnumColumn {
        table: "offers",
        column: "fit_for_disabled_workers",
        codes: &["CERTIFIED", "DECLARED", "NO"],
    },
    EnumColumn {
        table: "offer_codes",
        column: "system",
        codes: &["ROME", "APPELLATION", "FORMACODE"],
    },
];

/// One `ALTER TABLE … ADD COLUMN` each: SQLite takes a single change per statement.
async fn add_columns(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: Vec<ColumnDef>,
) -> Result<(), DbErr> {
    for mut column in columns {
        manager
            .alter_table(Table::alter().table(table).add_column(&mut column).take())
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing on SQLite too (sea-orm-migration only wraps PostgreSQL by default).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            "offers",
            vec![
                timestamp_with_time_zone_null("published_at"),
                text_null("host_company_number"),
                text_null("fit_for_disabled_workers"),
                text("mobilisable_par").default("[]").to_owned(),
                text_null("publics_details"),
                text_null("fees_details"),
                text("testimonial_text").default("").to_owned(),
            ],
        )
        .await?;
        // Offers that left the draft state were published once; their creation is the best
        // date known for it.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE offers SET published_at = created_at WHERE status <> 'DRAFT'",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offers_published_at")
                    .table("offers")
                    .col("published_at")
                    .col("id")
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offers_host_company_number")
                    .table("offers")
                    .col("host_company_number")
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("offer_codes")
                    .col(integer("offer_id"))
                    .col(text("system"))
                    .col(text("code"))
                    .primary_key(Index::create().col("offer_id").col("system").col("code"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("offer_codes", "offer_id")
                            .to("offers", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        // Filters probe (system, code) and find the offers.
        manager
            .create_index(
                Index::create()
                    .name("idx_offer_codes_code")
                    .table("offer_codes")
                    .col("system")
                    .col("code")
                    .col("offer_id")
                    .take(),
            )
            .await?;
        add_columns(
            manager,
            "testimonials",
            vec![text_null("video_url"), text_null("transcript")],
        )
        .await?;
        constrain(manager, COLUMNS).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        unconstrain(manager, COLUMNS).await?;
        manager
            .drop_table(Table::drop().table("offer_codes").take())
            .await?;
        for index in ["idx_offers_published_at", "idx_offers_host_company_number"] {
            manager
                .drop_index(Index::drop().name(index).table("offers").to_owned())
                .await?;
        }
        for (table, column) in [
            ("testimonials", "transcript"),
            ("testimonials", "video_url"),
            ("offers", "testimonial_text"),
            ("offers", "fees_details"),
            ("offers", "publics_details"),
            ("offers", "mobilisable_par"),
            ("offers", "fit_for_disabled_workers"),
            ("offers", "host_company_number"),
            ("offers", "published_at"),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).take())
                .await?;
        }
        Ok(())
    }
}
