//! Sessions whose seat count is unknown, and whether a session recruits.
//!
//! An LHÉO session has no seat count (only its recruitment events have `nb-places`): an
//! imported session keeps `seats_total` NULL rather than a made-up number. Its
//! `etat-recrutement` (open, closed, suspended) becomes `recruitment`, OPEN for every session
//! that exists. The per-offer summary `last_open_slot_on` (see `m20261202_002`) is computed
//! again with the new rule: a session counts as open when it recruits and has seats left or
//! an unknown number of them.
//!
//! PostgreSQL drops the NOT NULL in place. SQLite cannot; `training_slots` is rebuilt (a copy
//! with the new definition, the rows moved, the old table dropped, the copy renamed). That is
//! safe here although `m20261125_001` avoids it for `offers`: no table references
//! `training_slots`, so dropping it with foreign keys on cascades into nothing.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::enum_constraints::{EnumColumn, constrain, unconstrain};

#[derive(DeriveMigrationName)]
pub struct Migration;

const RECRUITMENT: &[EnumColumn] = &[EnumColumn {
    table: "training_slots",
    column: "recruitment",
    codes: &["OPEN", "CLOSED", "SUSPENDED"],
}];

/// The summaries under the rule of this migration (`catalogue::slot_summary` keeps them).
const REFRESH: &str = "UPDATE offers SET \
    last_open_slot_on = (SELECT MAX(s.starts_on) FROM training_slots s WHERE s.offer_id = offers.id AND s.cancelled_at IS NULL \
    AND s.recruitment = 'OPEN' AND (s.seats_total IS NULL OR s.seats_taken < s.seats_total))";

/// The summaries under the rule before it (every session recruited and had a seat count).
const REFRESH_BEFORE: &str = "UPDATE offers SET \
    last_open_slot_on = (SELECT MAX(s.starts_on) FROM training_slots s WHERE s.offer_id = offers.id AND s.cancelled_at IS NULL AND s.seats_taken < s.seats_total)";

/// Every column of `training_slots` but the new one, in table order.
const OLD_COLUMNS: &str = "id, offer_id, starts_on, ends_on, registration_opens_on, registration_closes_on, \
    info_session_on, seats_total, seats_taken, cancelled_at, schedule, remote, address, postal_code, city, \
    commune_code, latitude, longitude, created_at, updated_at, version";

/// `training_slots` as `m20261124_001` creates it, with `seats_total` nullable or not and
/// with or without `recruitment`.
fn slots_table(name: &str, seats_required: bool, recruitment: bool) -> TableCreateStatement {
    let seats = if seats_required {
        integer("seats_total")
    } else {
        integer_null("seats_total")
    }
    .check(Expr::cust("seats_total >= 0"))
    .take();
    let mut table = Table::create();
    table
        .table(name.to_owned())
        .col(pk_auto("id"))
        .col(integer("offer_id"))
        .col(date("starts_on"))
        .col(date("ends_on"))
        .col(date_null("registration_opens_on"))
        .col(date_null("registration_closes_on"))
        .col(date_null("info_session_on"))
        .col(seats)
        .col(integer("seats_taken").check(Expr::cust("seats_taken >= 0")))
        .col(timestamp_with_time_zone_null("cancelled_at"))
        .col(text_null("schedule"))
        .col(boolean("remote").default(false))
        .col(text_null("address"))
        .col(text_null("postal_code"))
        .col(text_null("city"))
        .col(text_null("commune_code"))
        .col(double_null("latitude").check(Expr::cust("latitude BETWEEN -90 AND 90")))
        .col(double_null("longitude").check(Expr::cust("longitude BETWEEN -180 AND 180")))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .col(
            integer("version")
                .default(1)
                .check(Expr::cust("version >= 1")),
        );
    if recruitment {
        table.col(text("recruitment").default("OPEN"));
    }
    table
        .check(Expr::cust("ends_on >= starts_on"))
        .check(Expr::cust("seats_taken <= seats_total"))
        .check(Expr::cust(
            "registration_opens_on IS NULL OR registration_closes_on IS NULL OR registration_opens_on <= registration_closes_on",
        ))
        .foreign_key(
            ForeignKey::create()
                .from(name.to_owned(), "offer_id")
                .to("offers", "id")
                .on_delete(ForeignKeyAction::Cascade),
        );
    table.take()
}

/// SQLite: `training_slots` rebuilt under the new definition, rows and indexes kept.
async fn rebuild_sqlite(
    manager: &SchemaManager<'_>,
    seats_required: bool,
    recruitment: bool,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    manager
        .create_table(slots_table(
            "training_slots_rebuilt",
            seats_required,
            recruitment,
        ))
        .await?;
    let (columns, values) = if recruitment {
        (
            format!("{OLD_COLUMNS}, recruitment"),
            format!("{OLD_COLUMNS}, 'OPEN'"),
        )
    } else {
        (OLD_COLUMNS.to_owned(), OLD_COLUMNS.to_owned())
    };
    // Going back, a session without a seat count cannot stay: it gets as many seats as are
    // taken (0 when none), which the old rule reads as full.
    let values = if seats_required {
        values.replace(
            "seats_total",
            "COALESCE(seats_total, seats_taken) AS seats_total",
        )
    } else {
        values
    };
    db.execute_unprepared(&format!(
        "INSERT INTO training_slots_rebuilt ({columns}) SELECT {values} FROM training_slots"
    ))
    .await?;
    db.execute_unprepared("DROP TABLE training_slots").await?;
    db.execute_unprepared("ALTER TABLE training_slots_rebuilt RENAME TO training_slots")
        .await?;
    for (name, columns) in [
        ("idx_slots_offer_start", &["offer_id", "starts_on"][..]),
        ("idx_slots_start", &["starts_on"][..]),
    ] {
        let mut index = Index::create();
        index.name(name).table("training_slots");
        for column in columns {
            index.col(ToString::to_string(column));
        }
        manager.create_index(index.take()).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => rebuild_sqlite(manager, false, true).await?,
            _ => {
                db.execute_unprepared(
                    "ALTER TABLE training_slots ALTER COLUMN seats_total DROP NOT NULL",
                )
                .await?;
                manager
                    .alter_table(
                        Table::alter()
                            .table("training_slots")
                            .add_column(text("recruitment").default("OPEN"))
                            .take(),
                    )
                    .await?;
            }
        }
        constrain(manager, RECRUITMENT).await?;
        db.execute_unprepared(REFRESH).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        unconstrain(manager, RECRUITMENT).await?;
        match manager.get_database_backend() {
            DbBackend::Sqlite => rebuild_sqlite(manager, true, false).await?,
            _ => {
                db.execute_unprepared(
                    "UPDATE training_slots SET seats_total = seats_taken WHERE seats_total IS NULL",
                )
                .await?;
                db.execute_unprepared(
                    "ALTER TABLE training_slots ALTER COLUMN seats_total SET NOT NULL",
                )
                .await?;
                manager
                    .alter_table(
                        Table::alter()
                            .table("training_slots")
                            .drop_column("recruitment")
                            .take(),
                    )
                    .await?;
            }
        }
        db.execute_unprepared(REFRESH_BEFORE).await?;
        Ok(())
    }
}
