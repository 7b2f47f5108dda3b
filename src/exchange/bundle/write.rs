//! Writes checked bundle records: new ones in multi-row statements with explicit ids (a few
//! statements per batch, whatever its size), changed ones row by row with their children
//! replaced. Derived columns (département, search text, session summaries) are computed here.
use chrono::{DateTime, Utc};
use entity::enums::{ApplyChannel, Country, TestimonialStatus};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, InsertStatement, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr};

use super::format;
use crate::catalogue::apply::{ApplyMethod, methods_to_json};
use crate::catalogue::fulltext_index::{
    self, OfferText, RECORD_COLUMNS, TESTIMONIALS_COLUMN, testimonial_stems,
};
use crate::catalogue::slot_summary;
use crate::catalogue::text::fold;
use crate::geo_codes::departement_in;

/// Where a written record comes from, as its row stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub source: String,
    /// None for a record that belongs to this catalogue (seeded or typed in here).
    pub external_id: Option<String>,
    pub source_url: Option<String>,
    pub imported_at: Option<DateTime<Utc>>,
    /// Digest of the record as imported (see `import::digest`).
    pub digest: Option<String>,
}

/// What an offer row copies from its organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parent {
    pub id: i32,
    pub country: Country,
    pub name: String,
    pub place: format::Place,
}

impl Parent {
    pub fn of(id: i32, o: &format::Organisation) -> Self {
        Self {
            id,
            country: Country::from_code(&o.country).unwrap_or(Country::Fr),
            name: o.name.clone(),
            place: format::Place {
                address: Some(o.address.clone()),
                postal_code: o.postal_code.clone(),
                city: o.city.clone(),
                commune_code: o.commune_code.clone(),
                latitude: o.latitude,
                longitude: o.longitude,
            },
        }
    }
}

/// The next free id of `table` (ids are given explicitly so children can reference parents).
async fn next_id(db: &impl ConnectionTrait, table: &str) -> Result<i32, DbErr> {
    let select = Query::select()
        .expr_as(Func::max(Expr::col(Alias::new("id"))), "max_id")
        .from(Alias::new(table))
        .take();
    let max: Option<i32> = match db.query_one(&select).await? {
        Some(row) => row.try_get("", "max_id")?,
        None => None,
    };
    Ok(max.unwrap_or(0) + 1)
}

type Columns = Vec<(&'static str, SimpleExpr)>;

fn json_list(values: &[String]) -> SimpleExpr {
    serde_json::to_string(values)
        .unwrap_or_else(|_| "[]".into())
        .into()
}

fn provenance_columns(p: &Provenance) -> Columns {
    vec![
        ("source", p.source.clone().into()),
        ("external_id", p.external_id.clone().into()),
        ("source_url", p.source_url.clone().into()),
        ("imported_at", p.imported_at.into()),
        ("imported_digest", p.digest.clone().into()),
    ]
}

/// The columns of an organisation row, but its id and version.
fn organisation_columns(o: &format::Organisation, p: &Provenance) -> Columns {
    let country = Country::from_code(&o.country).unwrap_or(Country::Fr);
    let mut columns: Columns = vec![
        ("name", o.name.clone().into()),
        ("kind", o.kind.clone().into()),
        ("country", o.country.clone().into()),
        ("company_number", o.company_number.clone().into()),
        (
            "departement",
            departement_in(country, &o.commune_code).into(),
        ),
        ("address", o.address.clone().into()),
        ("postal_code", o.postal_code.clone().into()),
        ("city", o.city.clone().into()),
        ("commune_code", o.commune_code.clone().into()),
        ("latitude", o.latitude.into()),
        ("longitude", o.longitude.into()),
        ("email", o.email.clone().into()),
        ("phone", o.phone.clone().into()),
        ("website", o.website.clone().into()),
        ("opening_hours", o.opening_hours.clone().into()),
        ("accessibility_url", o.accessibility_url.clone().into()),
        ("networks", json_list(&o.networks)),
        (
            "search_text",
            fold(&format!("{} {}", o.name, o.city)).into(),
        ),
        ("verified_at", o.verified_at.into()),
        ("archived_at", o.archived_at.into()),
        ("created_at", o.created_at.into()),
        ("updated_at", o.updated_at.into()),
    ];
    columns.extend(provenance_columns(p));
    columns
}

/// The columns of an offer row, but its id and version; and the stems among them, for the
/// vocabulary.
fn offer_columns(o: &format::Offer, parent: &Parent, p: &Provenance) -> (Columns, Vec<String>) {
    let place = if o.at_organisation {
        Some(&parent.place)
    } else {
        o.place.as_ref()
    };
    let city = place.map(|p| p.city.as_str()).unwrap_or_default();
    // Channels were checked by `validate`: an unknown one cannot reach this point.
    let how_to_apply: Vec<ApplyMethod> = o
        .how_to_apply
        .iter()
        .filter_map(|m| {
            Some(ApplyMethod {
                channel: ApplyChannel::from_code(&m.channel)?,
                value: m.value.clone(),
                instructions: m.instructions.clone(),
            })
        })
        .collect();
    let approved = o
        .testimonials
        .iter()
        .filter(|t| t.status == TestimonialStatus::Approved.code())
        .map(|t| (t.body.as_str(), t.transcript.as_deref()));
    let testimonials = testimonial_stems(approved);
    let mut columns: Columns = vec![
        ("organisation_id", parent.id.into()),
        ("title", o.title.clone().into()),
        ("summary", o.summary.clone().into()),
        ("description", o.description.clone().into()),
        ("kind", o.kind.clone().into()),
        ("sector_code", o.sector.clone().into()),
        ("status", o.status.clone().into()),
        ("delivery_mode", o.delivery_mode.clone().into()),
        ("country", parent.country.code().into()),
        (
            "departement",
            place
                .and_then(|p| departement_in(parent.country, &p.commune_code))
                .into(),
        ),
        ("location_from_organisation", o.at_organisation.into()),
        ("address", place.and_then(|p| p.address.clone()).into()),
        ("postal_code", place.map(|p| p.postal_code.clone()).into()),
        ("city", place.map(|p| p.city.clone()).into()),
        ("commune_code", place.map(|p| p.commune_code.clone()).into()),
        ("latitude", place.and_then(|p| p.latitude).into()),
        ("longitude", place.and_then(|p| p.longitude).into()),
        ("weekly_hours", o.weekly_hours.into()),
        ("duration_weeks", o.duration_weeks.into()),
        ("contract_type", o.contract_type.clone().into()),
        ("open_positions", o.open_positions.into()),
        ("fees", o.fees.clone().into()),
        ("fees_details", o.fees_details.clone().into()),
        ("publics_details", o.publics_details.clone().into()),
        ("how_to_apply", methods_to_json(&how_to_apply).into()),
        ("mobilisable_par", json_list(&o.mobilisable_par)),
        ("contact_name", o.contact_name.clone().into()),
        ("contact_email", o.contact_email.clone().into()),
        ("contact_phone", o.contact_phone.clone().into()),
        ("host_company_number", o.host_company_number.clone().into()),
        (
            "fit_for_disabled_workers",
            o.fit_for_disabled_workers.clone().into(),
        ),
        (TESTIMONIALS_COLUMN, testimonials.clone().into()),
        ("verified_at", o.verified_at.into()),
        ("verified_by", o.verified_by.clone().into()),
        ("published_at", o.published_at.into()),
        ("created_at", o.created_at.into()),
        ("updated_at", o.updated_at.into()),
    ];
    columns.extend(provenance_columns(p));
    let record = OfferText {
        title: &o.title,
        summary: &o.summary,
        description: &o.description,
        organisation: &parent.name,
        city,
    }
    .stems();
    columns.extend(
        RECORD_COLUMNS
            .iter()
            .zip(&record)
            .map(|(name, value)| (*name, value.clone().into())),
    );
    let mut stems = Vec::from(record);
    stems.push(testimonials);
    (columns, stems)
}

/// An INSERT of rows that all have `columns` (taken from the first row).
struct Rows {
    table: &'static str,
    statement: Option<InsertStatement>,
}

impl Rows {
    fn new(table: &'static str) -> Self {
        Self {
            table,
            statement: None,
        }
    }

    fn push(&mut self, columns: Columns) -> Result<(), DbErr> {
        let statement = self.statement.get_or_insert_with(|| {
            Query::insert()
                .into_table(Alias::new(self.table))
                .columns(columns.iter().map(|(name, _)| Alias::new(*name)))
                .take()
        });
        statement
            .values(columns.into_iter().map(|(_, value)| value))
            .map(|_| ())
            .map_err(|error| DbErr::Custom(format!("{} row: {error}", self.table)))
    }

    async fn execute(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        if let Some(statement) = self.statement {
            db.execute(&statement).await?;
        }
        Ok(())
    }

    fn built(self, backend: DatabaseBackend) -> Option<sea_orm::Statement> {
        self.statement.map(|statement| backend.build(&statement))
    }
}

/// Inserts organisations with the ids given.
pub async fn insert_organisations(
    db: &impl ConnectionTrait,
    organisations: &[(i32, &format::Organisation, Provenance)],
) -> Result<(), DbErr> {
    // SQLite binds at most 32,766 parameters per statement: 500 rows of 28 columns.
    for chunk in organisations.chunks(500) {
        let mut rows = Rows::new("organisations");
        for (id, o, p) in chunk {
            let mut columns = organisation_columns(o, p);
            columns.push(("id", (*id).into()));
            columns.push(("version", 1.into()));
            rows.push(columns)?;
        }
        rows.execute(db).await?;
    }
    Ok(())
}

/// Rewrites row `id` of `table` from `columns` if it is still at `expected_version`: one
/// guarded UPDATE whose affected rows decide (a writer that changed it meanwhile wins).
/// `updated_at` becomes `now` (partners sync on it); the version is bumped.
async fn update_row(
    db: &impl ConnectionTrait,
    table: &'static str,
    columns: Columns,
    id: i32,
    expected_version: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = Query::update();
    update.table(Alias::new(table));
    for (column, value) in columns {
        if column != "updated_at" {
            update.value(Alias::new(column), value);
        }
    }
    update
        .value(Alias::new("updated_at"), now)
        .value(Alias::new("version"), Expr::col("version").add(1))
        .and_where(Expr::col("id").eq(id))
        .and_where(Expr::col("version").eq(expected_version));
    Ok(db.execute(&update).await?.rows_affected() == 1)
}

/// Rewrites an existing organisation from its record if it is still at `expected_version`;
/// false when another writer changed it first (nothing written).
pub async fn update_organisation(
    db: &impl ConnectionTrait,
    id: i32,
    expected_version: i32,
    o: &format::Organisation,
    p: &Provenance,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    update_row(
        db,
        "organisations",
        organisation_columns(o, p),
        id,
        expected_version,
        now,
    )
    .await
}

/// Ids handed out to the children of the offers written in one transaction.
pub struct ChildIds {
    condition: std::vec::IntoIter<i32>,
    slot: std::vec::IntoIter<i32>,
    testimonial: std::vec::IntoIter<i32>,
}

impl ChildIds {
    /// Ids for every child of `offers`, from `allocate` (see `import::allocate_ids`).
    pub async fn for_offers(
        db: &impl ConnectionTrait,
        offers: &[&format::Offer],
    ) -> Result<Self, DbErr> {
        let count = |f: fn(&format::Offer) -> usize| offers.iter().map(|o| f(o)).sum::<usize>();
        Ok(Self {
            condition: allocate_ids(db, "eligibility_conditions", count(|o| o.conditions.len()))
                .await?
                .into_iter(),
            slot: allocate_ids(db, "training_slots", count(|o| o.slots.len()))
                .await?
                .into_iter(),
            testimonial: allocate_ids(db, "testimonials", count(|o| o.testimonials.len()))
                .await?
                .into_iter(),
        })
    }
}

/// The next free ids of offers and of their children's tables, handed out in order without
/// asking the database again: for a writer that holds the only write lock from the first
/// id it reads to its commit (a bulk load into SQLite).
#[derive(Debug, Clone, PartialEq)]
pub struct IdCounter {
    offer: i32,
    condition: i32,
    slot: i32,
    testimonial: i32,
}

impl IdCounter {
    /// The next free id of each table now (after the largest, as `allocate_ids` on SQLite).
    pub async fn read(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        Ok(Self {
            offer: next_id(db, "offers").await?,
            condition: next_id(db, "eligibility_conditions").await?,
            slot: next_id(db, "training_slots").await?,
            testimonial: next_id(db, "testimonials").await?,
        })
    }

    /// Ids for `count` offers.
    pub fn offers(&mut self, count: usize) -> Vec<i32> {
        Self::take_ids(&mut self.offer, count)
    }

    /// Ids for every child of `offers`.
    pub fn children(&mut self, offers: &[&format::Offer]) -> ChildIds {
        let count = |f: fn(&format::Offer) -> usize| offers.iter().map(|o| f(o)).sum::<usize>();
        ChildIds {
            condition: Self::take_ids(&mut self.condition, count(|o| o.conditions.len()))
                .into_iter(),
            slot: Self::take_ids(&mut self.slot, count(|o| o.slots.len())).into_iter(),
            testimonial: Self::take_ids(&mut self.testimonial, count(|o| o.testimonials.len()))
                .into_iter(),
        }
    }

    fn take_ids(next: &mut i32, count: usize) -> Vec<i32> {
        let first = *next;
        *next += count as i32;
        (first..*next).collect()
    }
}

fn take(ids: &mut std::vec::IntoIter<i32>, table: &str) -> Result<i32, DbErr> {
    ids.next()
        .ok_or_else(|| DbErr::Custom(format!("no {table} id was allocated for this row")))
}

/// Allocates `count` new ids of `table` inside the caller's transaction: from the identity
/// sequence on PostgreSQL (the API may insert at the same time), after the largest on SQLite
/// (one writer at a time).
pub async fn allocate_ids(
    db: &impl ConnectionTrait,
    table: &str,
    count: usize,
) -> Result<Vec<i32>, DbErr> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if db.get_database_backend() == DatabaseBackend::Postgres {
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(
                DatabaseBackend::Postgres,
                format!(
                    "SELECT nextval(pg_get_serial_sequence('{table}', 'id'))::int4 AS id FROM generate_series(1, {count})"
                ),
            ))
            .await?;
        rows.iter()
            .map(|row| row.try_get::<i32>("", "id"))
            .collect()
    } else {
        let first = next_id(db, table).await?;
        Ok((0..count as i32).map(|offset| first + offset).collect())
    }
}

/// The tables of an offer's child rows (`Children`), each with its `offer_id`.
pub const CHILD_TABLES: [&str; 7] = [
    "offer_publics",
    "offer_barriers",
    "offer_themes",
    "offer_codes",
    "eligibility_conditions",
    "training_slots",
    "testimonials",
];

/// The child rows of a set of offers, one INSERT per table.
struct Children {
    publics: Rows,
    barriers: Rows,
    themes: Rows,
    codes: Rows,
    conditions: Rows,
    slots: Rows,
    testimonials: Rows,
}

impl Children {
    fn new() -> Self {
        Self {
            publics: Rows::new("offer_publics"),
            barriers: Rows::new("offer_barriers"),
            themes: Rows::new("offer_themes"),
            codes: Rows::new("offer_codes"),
            conditions: Rows::new("eligibility_conditions"),
            slots: Rows::new("training_slots"),
            testimonials: Rows::new("testimonials"),
        }
    }

    fn push(&mut self, id: i32, o: &format::Offer, next: &mut ChildIds) -> Result<(), DbErr> {
        for public in &o.publics {
            self.publics.push(vec![
                ("offer_id", id.into()),
                ("public", public.clone().into()),
            ])?;
        }
        for barrier in &o.barriers {
            self.barriers.push(vec![
                ("offer_id", id.into()),
                ("barrier", barrier.clone().into()),
            ])?;
        }
        for theme in &o.themes {
            self.themes.push(vec![
                ("offer_id", id.into()),
                ("theme", theme.clone().into()),
            ])?;
        }
        for code in &o.codes {
            self.codes.push(vec![
                ("offer_id", id.into()),
                ("system", code.system.clone().into()),
                ("code", code.code.clone().into()),
            ])?;
        }
        for (position, c) in o.conditions.iter().enumerate() {
            self.conditions.push(vec![
                ("id", take(&mut next.condition, "condition")?.into()),
                ("offer_id", id.into()),
                ("position", (position as i32).into()),
                ("kind", c.kind.clone().into()),
                ("mandatory", c.mandatory.into()),
                ("description", c.description.clone().into()),
                ("min_age", c.min_age.into()),
                ("max_age", c.max_age.into()),
                ("min_months_registered", c.min_months_registered.into()),
                ("max_diploma_level", c.max_diploma_level.into()),
                ("zone_kind", c.zone_kind.clone().into()),
                ("zone_codes", json_list(&c.zone_codes)),
                ("language_level", c.language_level.clone().into()),
            ])?;
        }
        for s in &o.slots {
            let place = s.place.as_ref();
            self.slots.push(vec![
                ("id", take(&mut next.slot, "session")?.into()),
                ("offer_id", id.into()),
                ("starts_on", s.starts_on.into()),
                ("ends_on", s.ends_on.into()),
                ("registration_opens_on", s.registration_opens_on.into()),
                ("registration_closes_on", s.registration_closes_on.into()),
                ("info_session_on", s.info_session_on.into()),
                ("seats_total", s.seats_total.into()),
                ("seats_taken", s.seats_taken.into()),
                ("recruitment", s.recruitment.clone().into()),
                ("cancelled_at", s.cancelled_at.into()),
                ("schedule", s.schedule.clone().into()),
                ("remote", s.remote.into()),
                ("address", place.and_then(|p| p.address.clone()).into()),
                ("postal_code", place.map(|p| p.postal_code.clone()).into()),
                ("city", place.map(|p| p.city.clone()).into()),
                ("commune_code", place.map(|p| p.commune_code.clone()).into()),
                ("latitude", place.and_then(|p| p.latitude).into()),
                ("longitude", place.and_then(|p| p.longitude).into()),
                ("created_at", s.created_at.into()),
                ("updated_at", s.updated_at.into()),
                ("version", 1.into()),
            ])?;
        }
        for t in &o.testimonials {
            self.testimonials.push(vec![
                ("id", take(&mut next.testimonial, "testimonial")?.into()),
                ("offer_id", id.into()),
                ("author_name", t.author_name.clone().into()),
                ("author_role", t.author_role.clone().into()),
                ("body", t.body.clone().into()),
                ("cohort", t.cohort.clone().into()),
                ("video_url", t.video_url.clone().into()),
                ("transcript", t.transcript.clone().into()),
                ("consent_given_at", t.consent_given_at.into()),
                ("status", t.status.clone().into()),
                ("moderated_at", t.moderated_at.into()),
                ("moderated_by", t.moderated_by.clone().into()),
                ("rejection_reason", t.rejection_reason.clone().into()),
                ("created_at", t.created_at.into()),
                ("updated_at", t.updated_at.into()),
                ("version", 1.into()),
            ])?;
        }
        Ok(())
    }

    fn built(self, backend: DatabaseBackend) -> impl Iterator<Item = sea_orm::Statement> {
        [
            self.publics,
            self.barriers,
            self.themes,
            self.codes,
            self.conditions,
            self.slots,
            self.testimonials,
        ]
        .into_iter()
        .filter_map(move |rows| rows.built(backend))
    }
}

/// One offer to write: its id, its organisation, the record and where it comes from.
pub struct OfferRow<'a> {
    pub id: i32,
    pub parent: &'a Parent,
    pub record: &'a format::Offer,
    pub provenance: Provenance,
}

/// Inserts offers with the ids given, and their children (at most 200 offers a call: SQLite
/// binds at most 32,766 parameters per statement), with their session summaries.
pub async fn insert_offers(
    db: &impl ConnectionTrait,
    offers: &[OfferRow<'_>],
    next: &mut ChildIds,
) -> Result<(), DbErr> {
    let (Some(first), Some(last)) = (offers.first(), offers.last()) else {
        return Ok(());
    };
    insert_offer_rows(db, offers, next).await?;
    refresh_summaries(db, Ord::min(first.id, last.id), Ord::max(first.id, last.id)).await
}

/// `insert_offers` without the session summaries, for a bulk load that computes them once
/// all its sessions are written (`slot_summary::refresh_range`).
pub async fn insert_offer_rows(
    db: &impl ConnectionTrait,
    offers: &[OfferRow<'_>],
    next: &mut ChildIds,
) -> Result<(), DbErr> {
    for statement in offer_statements(db.get_database_backend(), offers, next)? {
        db.execute_raw(statement).await?;
    }
    Ok(())
}

/// The statements `insert_offer_rows` runs, built without the database: a bulk load builds
/// them on one thread while another runs the previous batch's.
pub fn offer_statements(
    backend: DatabaseBackend,
    offers: &[OfferRow<'_>],
    next: &mut ChildIds,
) -> Result<Vec<sea_orm::Statement>, DbErr> {
    let mut rows = Rows::new("offers");
    let mut children = Children::new();
    let mut stems = Vec::new();
    for offer in offers {
        let (mut columns, offer_stems) =
            offer_columns(offer.record, offer.parent, &offer.provenance);
        stems.extend(offer_stems);
        columns.push(("id", offer.id.into()));
        columns.push(("version", 1.into()));
        rows.push(columns)?;
        children.push(offer.id, offer.record, next)?;
    }
    let mut statements: Vec<sea_orm::Statement> = rows.built(backend).into_iter().collect();
    statements.extend(children.built(backend));
    statements.extend(
        fulltext_index::remember_statements(&stems)
            .iter()
            .map(|insert| backend.build(insert)),
    );
    Ok(statements)
}

async fn refresh_summaries(db: &impl ConnectionTrait, from: i32, to: i32) -> Result<(), DbErr> {
    slot_summary::refresh_range(db, from, to)
        .await
        .map_err(|error| DbErr::Custom(error.to_string()))
}

/// Rewrites an existing offer from its record if it is still at `expected_version`: its row
/// (version bumped, `updated_at` now) and all its children, replaced. False when another
/// writer changed it first (nothing written).
pub async fn replace_offer(
    db: &impl ConnectionTrait,
    offer: &OfferRow<'_>,
    expected_version: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let (columns, stems) = offer_columns(offer.record, offer.parent, &offer.provenance);
    if !update_row(db, "offers", columns, offer.id, expected_version, now).await? {
        return Ok(false);
    }
    fulltext_index::remember(db, &stems).await?;
    for table in CHILD_TABLES {
        db.execute(
            &Query::delete()
                .from_table(Alias::new(table))
                .and_where(Expr::col("offer_id").eq(offer.id))
                .take(),
        )
        .await?;
    }
    let mut next = ChildIds::for_offers(db, &[offer.record]).await?;
    let mut children = Children::new();
    children.push(offer.id, offer.record, &mut next)?;
    for statement in children.built(db.get_database_backend()) {
        db.execute_raw(statement).await?;
    }
    refresh_summaries(db, offer.id, offer.id).await?;
    Ok(true)
}
