//! Bulk insertion of seed records: explicit ids, multi-row statements, one transaction per batch.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::enums::{Country, OccupationSystem, OfferKind, OfferStatus, TestimonialStatus};
use sea_orm::sea_query::{Alias, Expr, Func, InsertStatement, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr};

use super::model::{SeedOffer, SeedOrganisation, SeedPlace, SeedSlot, SeedTestimonial};
use crate::catalogue::apply::{ApplyMethod, methods_to_json};
use crate::catalogue::occupations;
use crate::catalogue::text::fold;
use crate::catalogue::transaction::write_transaction;
use crate::catalogue::version;
use crate::geo_codes::departement_in;

/// Offers per transaction; SQLite's bound-parameter limit caps rows per statement.
const OFFERS_PER_BATCH: usize = 200;

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

/// After explicit ids, PostgreSQL's identity sequences must move past them.
async fn reset_sequences(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    for table in [
        "organisations",
        "offers",
        "eligibility_conditions",
        "training_slots",
        "testimonials",
    ] {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

fn insert(table: &str, columns: &[&str]) -> InsertStatement {
    Query::insert()
        .into_table(Alias::new(table))
        .columns(columns.iter().map(|c| Alias::new(*c)))
        .take()
}

fn push_row(statement: &mut InsertStatement, values: Vec<SimpleExpr>) -> Result<(), DbErr> {
    statement
        .values(values)
        .map(|_| ())
        .map_err(|error| DbErr::Custom(format!("seed row: {error}")))
}

/// The folded text of a seed offer's approved testimonials, as moderation would leave it.
fn approved_testimonial_text(testimonials: &[SeedTestimonial]) -> String {
    let approved: Vec<&str> = testimonials
        .iter()
        .filter(|t| t.status == TestimonialStatus::Approved)
        .map(|t| t.body.as_str())
        .collect();
    fold(&approved.join(" "))
}

/// What `slot_summary` keeps for a seed offer: the start of its last session that is not
/// cancelled (with seats left, when `seats_left`).
fn last_slot_start(slots: &[SeedSlot], today: NaiveDate, seats_left: bool) -> Option<NaiveDate> {
    slots
        .iter()
        .filter(|s| !s.cancelled && (!seats_left || s.seats_taken < s.seats_total))
        .map(|s| today + Duration::days(s.starts_in_days))
        .max()
}

/// The codes a seed offer gets from its sector (`reference/sector-occupations.json`): its ROME
/// fiches, and its first FORMACODE for trainings or its first appellation for jobs and
/// placements.
fn sector_codes(sector: &str, kind: OfferKind) -> Vec<(OccupationSystem, String)> {
    let Some(known) = occupations::sector_codes(sector) else {
        return Vec::new();
    };
    let mut codes: Vec<(OccupationSystem, String)> = known
        .rome
        .iter()
        .map(|code| (OccupationSystem::Rome, code.clone()))
        .collect();
    match kind {
        OfferKind::Training => codes.extend(
            known
                .formacodes
                .first()
                .map(|code| (OccupationSystem::Formacode, code.clone())),
        ),
        OfferKind::SupportedJob | OfferKind::WorkPlacement => codes.extend(
            known
                .appellations
                .first()
                .map(|code| (OccupationSystem::Appellation, code.clone())),
        ),
        _ => {}
    }
    codes
}

fn days_ago(now: DateTime<Utc>, days: Option<u32>) -> Option<DateTime<Utc>> {
    days.map(|d| now - Duration::days(i64::from(d)))
}

/// Inserts organisations; returns their ids in the same order.
pub async fn insert_organisations(
    db: &DatabaseConnection,
    organisations: &[SeedOrganisation],
    now: DateTime<Utc>,
) -> Result<Vec<i32>, DbErr> {
    let txn = write_transaction(db).await?;
    let first_id = next_id(&txn, "organisations").await?;
    let mut ids = Vec::with_capacity(organisations.len());
    for (chunk_index, chunk) in organisations.chunks(500).enumerate() {
        let mut statement = insert(
            "organisations",
            &[
                "id",
                "name",
                "kind",
                "country",
                "company_number",
                "departement",
                "address",
                "postal_code",
                "city",
                "commune_code",
                "latitude",
                "longitude",
                "email",
                "phone",
                "website",
                "opening_hours",
                "accessibility_url",
                "networks",
                "search_text",
                "verified_at",
                "created_at",
                "updated_at",
                "version",
            ],
        );
        for (offset, org) in chunk.iter().enumerate() {
            let id = first_id + (chunk_index * 500 + offset) as i32;
            ids.push(id);
            let p = &org.place;
            push_row(
                &mut statement,
                vec![
                    id.into(),
                    org.name.clone().into(),
                    org.kind.code().into(),
                    org.country.code().into(),
                    org.company_number.clone().into(),
                    departement_in(org.country, &p.commune_code).into(),
                    p.address.clone().into(),
                    p.postal_code.clone().into(),
                    p.city.clone().into(),
                    p.commune_code.clone().into(),
                    p.latitude.into(),
                    p.longitude.into(),
                    org.email.clone().into(),
                    org.phone.clone().into(),
                    org.website.clone().into(),
                    org.opening_hours.clone().into(),
                    org.accessibility_url.clone().into(),
                    serde_json::to_string(&org.networks)
                        .unwrap_or_else(|_| "[]".into())
                        .into(),
                    fold(&format!("{} {}", org.name, p.city)).into(),
                    days_ago(now, org.verified_days_ago).into(),
                    now.into(),
                    now.into(),
                    1.into(),
                ],
            )?;
        }
        txn.execute(&statement).await?;
    }
    reset_sequences(&txn).await?;
    // Seeding writes no audit entry, so it bumps the catalogue version itself.
    version::bump(&txn).await?;
    txn.commit().await?;
    Ok(ids)
}

/// Ids handed out while inserting one batch of offers and their children.
struct NextIds {
    offer: i32,
    condition: i32,
    slot: i32,
    testimonial: i32,
}

/// Inserts offers (published) with facets, conditions, slots and testimonials, in batches.
/// `organisations` gives each organisation's id, place and name, by the index the offers use.
pub async fn insert_offers(
    db: &DatabaseConnection,
    organisations: &[(i32, SeedPlace, Country, String)],
    offers: impl Iterator<Item = SeedOffer>,
    today: NaiveDate,
    now: DateTime<Utc>,
    mut progress: impl FnMut(usize),
) -> Result<usize, DbErr> {
    let mut total = 0;
    let mut batch = Vec::with_capacity(OFFERS_PER_BATCH);
    let mut offers = offers.peekable();
    while offers.peek().is_some() {
        batch.clear();
        batch.extend(offers.by_ref().take(OFFERS_PER_BATCH));
        let txn = write_transaction(db).await?;
        let mut next = NextIds {
            offer: next_id(&txn, "offers").await?,
            condition: next_id(&txn, "eligibility_conditions").await?,
            slot: next_id(&txn, "training_slots").await?,
            testimonial: next_id(&txn, "testimonials").await?,
        };
        insert_offer_batch(&txn, organisations, &batch, &mut next, today, now).await?;
        reset_sequences(&txn).await?;
        version::bump(&txn).await?;
        txn.commit().await?;
        total += batch.len();
        progress(batch.len());
    }
    Ok(total)
}

async fn insert_offer_batch(
    txn: &impl ConnectionTrait,
    organisations: &[(i32, SeedPlace, Country, String)],
    batch: &[SeedOffer],
    next: &mut NextIds,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut offers = insert(
        "offers",
        &[
            "id",
            "organisation_id",
            "title",
            "summary",
            "description",
            "kind",
            "sector_code",
            "status",
            "delivery_mode",
            "country",
            "departement",
            "location_from_organisation",
            "address",
            "postal_code",
            "city",
            "commune_code",
            "latitude",
            "longitude",
            "weekly_hours",
            "duration_weeks",
            "contract_type",
            "open_positions",
            "fees",
            "how_to_apply",
            "contact_name",
            "contact_email",
            "contact_phone",
            "search_text",
            "verified_at",
            "created_at",
            "updated_at",
            "version",
            "published_at",
            "testimonial_text",
            "last_slot_on",
            "last_open_slot_on",
        ],
    );
    let mut publics = insert("offer_publics", &["offer_id", "public"]);
    let mut codes = insert("offer_codes", &["offer_id", "system", "code"]);
    let mut barriers = insert("offer_barriers", &["offer_id", "barrier"]);
    let mut themes = insert("offer_themes", &["offer_id", "theme"]);
    let mut conditions = insert(
        "eligibility_conditions",
        &[
            "id",
            "offer_id",
            "position",
            "kind",
            "mandatory",
            "description",
            "min_age",
            "max_age",
            "min_months_registered",
            "max_diploma_level",
            "zone_kind",
            "zone_codes",
            "language_level",
        ],
    );
    let mut slots = insert(
        "training_slots",
        &[
            "id",
            "offer_id",
            "starts_on",
            "ends_on",
            "registration_opens_on",
            "registration_closes_on",
            "info_session_on",
            "seats_total",
            "seats_taken",
            "cancelled_at",
            "schedule",
            "remote",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let mut testimonials = insert(
        "testimonials",
        &[
            "id",
            "offer_id",
            "author_name",
            "author_role",
            "body",
            "cohort",
            "consent_given_at",
            "status",
            "moderated_at",
            "moderated_by",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let (mut has_publics, mut has_barriers, mut has_themes) = (false, false, false);
    let mut has_codes = false;
    let (mut has_conditions, mut has_slots, mut has_testimonials) = (false, false, false);

    for offer in batch {
        let Some((organisation_id, org_place, country, org_name)) =
            organisations.get(offer.organisation)
        else {
            return Err(DbErr::Custom(format!(
                "seed offer {:?} names organisation #{} which does not exist",
                offer.title, offer.organisation
            )));
        };
        let id = next.offer;
        next.offer += 1;
        let own_place = offer.place.as_ref();
        let remote_without_place =
            own_place.is_none() && offer.delivery_mode == entity::enums::DeliveryMode::Remote;
        let place = if remote_without_place {
            None
        } else {
            Some(own_place.unwrap_or(org_place))
        };
        let updated_at = now - Duration::days(i64::from(offer.updated_days_ago));
        let apply: Vec<ApplyMethod> = offer
            .how_to_apply
            .iter()
            .map(|a| ApplyMethod {
                channel: a.channel,
                value: a.value.clone(),
                instructions: a.instructions.clone(),
            })
            .collect();
        let city = place.map(|p| p.city.as_str()).unwrap_or_default();
        push_row(
            &mut offers,
            vec![
                id.into(),
                (*organisation_id).into(),
                offer.title.clone().into(),
                offer.summary.clone().into(),
                offer.description.clone().into(),
                offer.kind.code().into(),
                offer.sector.into(),
                OfferStatus::Published.code().into(),
                offer.delivery_mode.code().into(),
                country.code().into(),
                place
                    .and_then(|p| departement_in(*country, &p.commune_code))
                    .into(),
                own_place.is_none().into(),
                place.map(|p| p.address.clone()).into(),
                place.map(|p| p.postal_code.clone()).into(),
                place.map(|p| p.city.clone()).into(),
                place.map(|p| p.commune_code.clone()).into(),
                place.map(|p| p.latitude).into(),
                place.map(|p| p.longitude).into(),
                offer.weekly_hours.into(),
                offer.duration_weeks.into(),
                offer.contract_type.map(|c| c.code()).into(),
                offer.open_positions.into(),
                offer.fees.code().into(),
                methods_to_json(&apply).into(),
                offer.contact_name.clone().into(),
                offer.contact_email.clone().into(),
                offer.contact_phone.clone().into(),
                fold(&format!(
                    "{} {} {} {} {}",
                    offer.title, offer.summary, offer.description, org_name, city
                ))
                .into(),
                days_ago(now, offer.verified_days_ago).into(),
                (updated_at - Duration::days(30)).into(),
                updated_at.into(),
                1.into(),
                (updated_at - Duration::days(30)).into(),
                approved_testimonial_text(&offer.testimonials).into(),
                last_slot_start(&offer.slots, today, false).into(),
                last_slot_start(&offer.slots, today, true).into(),
            ],
        )?;
        for (system, code) in sector_codes(offer.sector, offer.kind) {
            push_row(
                &mut codes,
                vec![id.into(), system.code().into(), code.into()],
            )?;
            has_codes = true;
        }
        for public in &offer.publics {
            push_row(&mut publics, vec![id.into(), public.code().into()])?;
            has_publics = true;
        }
        for barrier in &offer.barriers {
            push_row(&mut barriers, vec![id.into(), barrier.code().into()])?;
            has_barriers = true;
        }
        for theme in &offer.themes {
            push_row(&mut themes, vec![id.into(), (*theme).into()])?;
            has_themes = true;
        }
        for (position, c) in offer.conditions.iter().enumerate() {
            push_row(
                &mut conditions,
                vec![
                    next.condition.into(),
                    id.into(),
                    (position as i32).into(),
                    c.kind.code().into(),
                    c.mandatory.into(),
                    c.description.clone().into(),
                    c.min_age.into(),
                    c.max_age.into(),
                    c.min_months_registered.into(),
                    c.max_diploma_level.into(),
                    c.zone_kind.map(|z| z.code()).into(),
                    serde_json::to_string(&c.zone_codes)
                        .unwrap_or_else(|_| "[]".into())
                        .into(),
                    c.language_level.clone().into(),
                ],
            )?;
            next.condition += 1;
            has_conditions = true;
        }
        for s in &offer.slots {
            let starts_on = today + Duration::days(s.starts_in_days);
            let before = |days: Option<i64>| days.map(|d| starts_on - Duration::days(d));
            push_row(
                &mut slots,
                vec![
                    next.slot.into(),
                    id.into(),
                    starts_on.into(),
                    (starts_on + Duration::days(s.length_days.max(0))).into(),
                    before(s.registration_opens_days_before).into(),
                    before(s.registration_closes_days_before).into(),
                    before(s.info_session_days_before).into(),
                    s.seats_total.into(),
                    s.seats_taken.min(s.seats_total).into(),
                    s.cancelled.then_some(now).into(),
                    s.schedule.clone().into(),
                    s.remote.into(),
                    now.into(),
                    now.into(),
                    1.into(),
                ],
            )?;
            next.slot += 1;
            has_slots = true;
        }
        for t in &offer.testimonials {
            let moderated = t.status != entity::enums::TestimonialStatus::Pending;
            push_row(
                &mut testimonials,
                vec![
                    next.testimonial.into(),
                    id.into(),
                    t.author_name.clone().into(),
                    t.role.code().into(),
                    t.body.clone().into(),
                    Some(t.cohort.clone()).into(),
                    (updated_at - Duration::days(10)).into(),
                    t.status.code().into(),
                    moderated.then_some(updated_at).into(),
                    moderated.then(|| "demo".to_owned()).into(),
                    (updated_at - Duration::days(10)).into(),
                    updated_at.into(),
                    1.into(),
                ],
            )?;
            next.testimonial += 1;
            has_testimonials = true;
        }
    }
    if batch.is_empty() {
        return Ok(());
    }
    txn.execute(&offers).await?;
    for (statement, has_rows) in [
        (&publics, has_publics),
        (&codes, has_codes),
        (&barriers, has_barriers),
        (&themes, has_themes),
        (&conditions, has_conditions),
        (&slots, has_slots),
        (&testimonials, has_testimonials),
    ] {
        if has_rows {
            txn.execute(statement).await?;
        }
    }
    Ok(())
}
