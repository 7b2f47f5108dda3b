//! Rows of the read path's hot tables (offers, sessions, testimonials) decoded by position,
//! straight through sqlx, instead of sea-orm's derived decoding.
//!
//! sea-orm's `FromQueryResult` looks each column up by name (a hash per value) and, for every
//! NULL of an `Option` column, formats an error message that it then discards. A page of 20
//! offers with their sessions reads about 2,000 values, 1,000 of them NULL: that decoding was a
//! fifth of the server's CPU time per partner request on PostgreSQL (README, "Benchmarks").
//! Here the columns are found by name once per statement, then every row is read by position.
//! The field lists are checked by the compiler (a model gains a field: its decoder no longer
//! builds) and the result by a test against sea-orm's own decoding on both engines.
use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{
    ContractType, Country, DeliveryMode, DisabledWorkerFit, Fees, OfferKind, OfferStatus,
    Recruitment, TestimonialRole, TestimonialStatus,
};
use entity::{offer, testimonial, training_slot};
use sea_orm::sqlx::{self, Postgres, Row, Sqlite};
use sea_orm::{ActiveEnum, DbErr, QueryResult, TryGetable};

/// One value of a row, read by position.
pub trait Cell: Sized {
    fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr>;
}

/// A type both engines decode, and sea-orm for any other connection (mock, proxy).
pub trait Scalar:
    sqlx::Type<Postgres>
    + for<'r> sqlx::Decode<'r, Postgres>
    + sqlx::Type<Sqlite>
    + for<'r> sqlx::Decode<'r, Sqlite>
    + TryGetable
{
}

impl Scalar for i32 {}
impl Scalar for i64 {}
impl Scalar for f64 {}
impl Scalar for bool {}
impl Scalar for String {}
impl Scalar for NaiveDate {}
impl Scalar for DateTime<Utc> {}

fn decode_error(error: sqlx::Error) -> DbErr {
    DbErr::Type(format!("decoding a row: {error}"))
}

fn read_nullable<T: Scalar>(row: &QueryResult, at: usize) -> Result<Option<T>, DbErr> {
    if let Some(row) = row.try_as_pg_row() {
        return row.try_get::<Option<T>, _>(at).map_err(decode_error);
    }
    if let Some(row) = row.try_as_sqlite_row() {
        return row.try_get::<Option<T>, _>(at).map_err(decode_error);
    }
    row.try_get_by_index::<Option<T>>(at)
}

fn not_null<T>(value: Option<T>, at: usize) -> Result<T, DbErr> {
    value.ok_or_else(|| DbErr::Type(format!("column {at} is NULL")))
}

impl<T: Scalar> Cell for Option<T> {
    fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
        read_nullable(row, at)
    }
}

macro_rules! scalar_cells {
    ($($ty:ty),*) => {$(
        impl Cell for $ty {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                not_null(read_nullable(row, at)?, at)
            }
        }
    )*};
}
scalar_cells!(i32, i64, f64, bool, String, NaiveDate, DateTime<Utc>);

/// Enumerations are stored as their text code.
macro_rules! enum_cells {
    ($($ty:ty),*) => {$(
        impl Cell for $ty {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                <$ty>::try_from_value(&not_null(read_nullable::<String>(row, at)?, at)?)
            }
        }
        impl Cell for Option<$ty> {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                read_nullable::<String>(row, at)?
                    .map(|code| <$ty>::try_from_value(&code))
                    .transpose()
            }
        }
    )*};
}
enum_cells!(
    ContractType,
    Country,
    DeliveryMode,
    DisabledWorkerFit,
    Fees,
    OfferKind,
    OfferStatus,
    Recruitment,
    TestimonialRole,
    TestimonialStatus
);

/// The position of each of `names` in the rows of a statement.
fn positions(row: &QueryResult, names: &[&str]) -> Result<Vec<usize>, DbErr> {
    let columns = row.column_names();
    names
        .iter()
        .map(|name| {
            columns
                .iter()
                .position(|column| column == name)
                .ok_or_else(|| DbErr::Type(format!("the rows have no column {name}")))
        })
        .collect()
}

/// A function decoding every row of a statement into `$module::Model`, which has exactly
/// `$field`s.
macro_rules! rows_decoder {
    ($(#[$doc:meta])* $name:ident, $module:ident, [$($field:ident),* $(,)?]) => {
        $(#[$doc])*
        pub fn $name(rows: &[QueryResult]) -> Result<Vec<$module::Model>, DbErr> {
            let Some(first) = rows.first() else {
                return Ok(Vec::new());
            };
            let at = positions(first, &[$(stringify!($field)),*])?;
            rows.iter()
                .map(|row| {
                    let mut at = at.iter().copied();
                    let mut next = || at.next().unwrap_or(usize::MAX);
                    Ok($module::Model { $($field: Cell::read(row, next())?,)* })
                })
                .collect()
        }
    };
}

rows_decoder!(
    /// Offers, from rows holding every column of `offers`.
    offers,
    offer,
    [
        id,
        organisation_id,
        title,
        summary,
        description,
        kind,
        sector_code,
        status,
        delivery_mode,
        country,
        departement,
        location_from_organisation,
        address,
        postal_code,
        city,
        commune_code,
        latitude,
        longitude,
        weekly_hours,
        duration_weeks,
        contract_type,
        open_positions,
        fees,
        how_to_apply,
        contact_name,
        contact_email,
        contact_phone,
        verified_at,
        verified_by,
        created_at,
        updated_at,
        version,
        published_at,
        host_company_number,
        fit_for_disabled_workers,
        mobilisable_par,
        publics_details,
        fees_details,
        last_slot_on,
        last_open_slot_on,
        source,
        external_id,
        source_url,
        imported_at,
        imported_digest,
        change_seq,
    ]
);

rows_decoder!(
    /// Sessions, from rows holding every column of `training_slots`.
    training_slots,
    training_slot,
    [
        id,
        offer_id,
        starts_on,
        ends_on,
        registration_opens_on,
        registration_closes_on,
        info_session_on,
        seats_total,
        seats_taken,
        recruitment,
        cancelled_at,
        schedule,
        remote,
        address,
        postal_code,
        city,
        commune_code,
        latitude,
        longitude,
        created_at,
        updated_at,
        version,
    ]
);

rows_decoder!(
    /// Testimonials, from rows holding every column of `testimonials`.
    testimonials,
    testimonial,
    [
        id,
        offer_id,
        author_name,
        author_role,
        body,
        cohort,
        consent_given_at,
        status,
        moderated_at,
        moderated_by,
        rejection_reason,
        created_at,
        updated_at,
        version,
        video_url,
        transcript,
    ]
);
