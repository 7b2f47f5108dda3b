//! Offer commands: create (as DRAFT), update, publish, suspend, archive, mark verified.
use chrono::Utc;
use entity::enums::{
    Barrier, ContractType, DeliveryMode, DisabledWorkerFit, Fees, Mobiliser, OccupationSystem,
    OfferKind, OfferStatus, Public,
};
use entity::{offer, offer_barrier, offer_public, offer_theme, organisation, sector};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use super::{check_version, load, snapshot, update_if_version, validate};
use crate::catalogue::actor::Actor;
use crate::catalogue::apply::{ApplyMethod, methods_to_json, parse_methods};
use crate::catalogue::audit::{AuditEntry, record};
use crate::catalogue::fulltext_index::{self, OfferText};
use crate::catalogue::nested::facets_by_offer;
use crate::catalogue::occupations::{OfferCodes, codes_by_offer, parse_codes, replace_codes};
use crate::catalogue::reference;
use crate::catalogue::slot_summary;
use crate::catalogue::transaction::write_transaction;
use crate::error::{AppError, AppResult};
use crate::geo_codes::departement_in;
use entity::enums::ApplyChannel;

/// A postal place given by an editor.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceFields {
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub commune_code: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// Fields to set on an offer; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferChanges {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub kind: Option<OfferKind>,
    pub sector_code: Option<String>,
    pub publics: Option<Vec<Public>>,
    pub barriers: Option<Vec<Barrier>>,
    pub themes: Option<Vec<String>>,
    pub delivery_mode: Option<DeliveryMode>,
    /// `Some(None)`: back to the organisation's address.
    pub place: Option<Option<PlaceFields>>,
    pub weekly_hours: Option<Option<f64>>,
    pub duration_weeks: Option<Option<i32>>,
    pub contract_type: Option<Option<ContractType>>,
    pub open_positions: Option<Option<i32>>,
    pub fees: Option<Fees>,
    pub how_to_apply: Option<Vec<ApplyMethod>>,
    pub contact_name: Option<Option<String>>,
    pub contact_email: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
    pub rome_codes: Option<Vec<String>>,
    pub appellation_codes: Option<Vec<String>>,
    pub formacodes: Option<Vec<String>>,
    /// SIRET or BCE of the host company (work placements, jobs).
    pub host_company_number: Option<Option<String>>,
    pub fit_for_disabled_workers: Option<Option<DisabledWorkerFit>>,
    pub mobilisable_par: Option<Vec<Mobiliser>>,
    pub publics_details: Option<Option<String>>,
    pub fees_details: Option<Option<String>>,
}

impl OfferChanges {
    /// The code lists given, with their system and the field that carries them.
    fn code_lists(&self) -> [(OccupationSystem, &'static str, Option<&Vec<String>>); 3] {
        [
            (
                OccupationSystem::Rome,
                "romeCodes",
                self.rome_codes.as_ref(),
            ),
            (
                OccupationSystem::Appellation,
                "appellationCodes",
                self.appellation_codes.as_ref(),
            ),
            (
                OccupationSystem::Formacode,
                "formacodes",
                self.formacodes.as_ref(),
            ),
        ]
    }
}

/// The editing rules of an offer: `check_fields`, then the sector looked up in `db`.
pub(crate) async fn check_changes(
    db: &impl ConnectionTrait,
    changes: &OfferChanges,
) -> AppResult<()> {
    check_fields(changes)?;
    if let Some(code) = &changes.sector_code
        && sector::Entity::find_by_id(code.clone())
            .one(db)
            .await?
            .is_none()
    {
        return Err(unknown_sector(code));
    }
    Ok(())
}

pub(crate) fn unknown_sector(code: &str) -> AppError {
    AppError::validation(
        "sector",
        format!("unknown sector {code:?} (see referentials.sectors)"),
    )
}

/// The editing rules that need no database (all but the sector's existence): importers
/// check the sector against the list they loaded once.
pub(crate) fn check_fields(changes: &OfferChanges) -> AppResult<()> {
    if let Some(title) = &changes.title {
        validate::text("title", title, 1, 200)?;
    }
    if let Some(summary) = &changes.summary {
        validate::text("summary", summary, 0, 280)?;
    }
    if let Some(description) = &changes.description {
        validate::text("description", description, 0, 20_000)?;
    }
    if let Some(publics) = &changes.publics
        && publics.contains(&Public::Everyone)
        && publics.len() > 1
    {
        return Err(AppError::validation(
            "publics",
            "EVERYONE cannot be combined with another public",
        ));
    }
    if let Some(themes) = &changes.themes
        && let Some(bad) = themes.iter().find(|t| !reference::is_theme(t))
    {
        return Err(AppError::validation(
            "themes",
            format!("unknown theme {bad:?} (see referentials.themes)"),
        ));
    }
    if let Some(Some(place)) = &changes.place {
        validate::text("location.city", &place.city, 1, 100)?;
        validate::text("location.postalCode", &place.postal_code, 4, 10)?;
        validate::commune_code("location.communeCode", &place.commune_code)?;
        validate::coordinates("location", place.latitude, place.longitude)?;
    }
    validate::range("weeklyHours", changes.weekly_hours.flatten(), 0.5, 48.0)?;
    validate::range("durationWeeks", changes.duration_weeks.flatten(), 1, 520)?;
    validate::range("openPositions", changes.open_positions.flatten(), 0, 10_000)?;
    if let Some(Some(name)) = &changes.contact_name {
        validate::text("contactName", name, 1, 120)?;
    }
    if let Some(Some(email)) = &changes.contact_email {
        validate::email("contactEmail", Some(email))?;
    }
    if let Some(Some(phone)) = &changes.contact_phone {
        validate::text("contactPhone", phone, 1, 30)?;
    }
    for (system, field, codes) in changes.code_lists() {
        if let Some(codes) = codes {
            parse_codes(field, system, codes)?;
        }
    }
    if let Some(Some(number)) = &changes.host_company_number {
        validate::company_number("hostCompanyNumber", number)?;
    }
    if let Some(Some(details)) = &changes.publics_details {
        validate::text("publicsDetails", details, 1, 2_000)?;
    }
    if let Some(Some(details)) = &changes.fees_details {
        validate::text("feesDetails", details, 1, 2_000)?;
    }
    if let Some(methods) = &changes.how_to_apply {
        if methods.len() > 10 {
            return Err(AppError::validation(
                "howToApply",
                "at most 10 ways to apply",
            ));
        }
        for (index, method) in methods.iter().enumerate() {
            validate::optional_text(
                &format!("howToApply.{index}.instructions"),
                method.instructions.as_deref(),
                1_000,
            )?;
            let field = format!("howToApply.{index}.value");
            match method.channel {
                ApplyChannel::Online => {
                    validate::url(&field, method.value.as_deref())?.ok_or_else(|| {
                        AppError::validation(&field, "an online channel needs its URL")
                    })?;
                }
                ApplyChannel::Email => {
                    validate::email(&field, method.value.as_deref())?.ok_or_else(|| {
                        AppError::validation(&field, "an e-mail channel needs its address")
                    })?;
                }
                ApplyChannel::Phone => {
                    validate::optional_text(&field, method.value.as_deref(), 30)?.ok_or_else(
                        || AppError::validation(&field, "a phone channel needs its number"),
                    )?;
                }
                ApplyChannel::Visit | ApplyChannel::PrescriberReferral => {
                    validate::optional_text(&field, method.value.as_deref(), 500)?;
                }
            }
        }
    }
    Ok(())
}

/// Applies the changes to a row and refreshes its search text, so that every write is a
/// single statement (facets are written separately).
fn apply(changes: &OfferChanges, row: &mut offer::ActiveModel, organisation: &organisation::Model) {
    if let Some(v) = &changes.title {
        row.title = Set(v.trim().to_owned());
    }
    if let Some(v) = &changes.summary {
        row.summary = Set(v.trim().to_owned());
    }
    if let Some(v) = &changes.description {
        row.description = Set(v.trim().to_owned());
    }
    if let Some(v) = changes.kind {
        row.kind = Set(v);
    }
    if let Some(v) = &changes.sector_code {
        row.sector_code = Set(v.clone());
    }
    if let Some(v) = changes.delivery_mode {
        row.delivery_mode = Set(v);
    }
    if let Some(place) = &changes.place {
        let (from_organisation, address, postal, city, commune, lat, lon) = match place {
            Some(p) => (
                false,
                Some(p.address.clone()),
                Some(p.postal_code.clone()),
                Some(p.city.clone()),
                Some(p.commune_code.to_uppercase()),
                p.latitude,
                p.longitude,
            ),
            None => (
                true,
                Some(organisation.address.clone()),
                Some(organisation.postal_code.clone()),
                Some(organisation.city.clone()),
                Some(organisation.commune_code.clone()),
                organisation.latitude,
                organisation.longitude,
            ),
        };
        row.location_from_organisation = Set(from_organisation);
        row.departement = Set(commune
            .as_deref()
            .and_then(|c| departement_in(organisation.country, c)));
        row.address = Set(address);
        row.postal_code = Set(postal);
        row.city = Set(city);
        row.commune_code = Set(commune);
        row.latitude = Set(lat);
        row.longitude = Set(lon);
    }
    if let Some(v) = changes.weekly_hours {
        row.weekly_hours = Set(v);
    }
    if let Some(v) = changes.duration_weeks {
        row.duration_weeks = Set(v);
    }
    if let Some(v) = changes.contract_type {
        row.contract_type = Set(v);
    }
    if let Some(v) = changes.open_positions {
        row.open_positions = Set(v);
    }
    if let Some(v) = changes.fees {
        row.fees = Set(v);
    }
    if let Some(v) = &changes.how_to_apply {
        row.how_to_apply = Set(methods_to_json(v));
    }
    if let Some(v) = &changes.contact_name {
        row.contact_name = Set(v.clone());
    }
    if let Some(v) = &changes.contact_email {
        row.contact_email = Set(v.clone());
    }
    if let Some(v) = &changes.contact_phone {
        row.contact_phone = Set(v.clone());
    }
    if let Some(v) = &changes.host_company_number {
        // Stored as its digits (checked by `check_changes`), as organisations' numbers are.
        row.host_company_number = Set(v
            .as_ref()
            .map(|number| number.chars().filter(char::is_ascii_digit).collect()));
    }
    if let Some(v) = changes.fit_for_disabled_workers {
        row.fit_for_disabled_workers = Set(v);
    }
    if let Some(v) = &changes.mobilisable_par {
        let codes: Vec<&str> = unique(v).into_iter().map(Mobiliser::code).collect();
        row.mobilisable_par = Set(serde_json::json!(codes).to_string());
    }
    if let Some(v) = &changes.publics_details {
        row.publics_details = Set(v.as_ref().map(|text| text.trim().to_owned()));
    }
    if let Some(v) = &changes.fees_details {
        row.fees_details = Set(v.as_ref().map(|text| text.trim().to_owned()));
    }
}

/// Replaces the facet rows of an offer for each list given.
async fn write_facets(
    db: &impl ConnectionTrait,
    offer_id: i32,
    changes: &OfferChanges,
) -> AppResult<()> {
    if let Some(publics) = &changes.publics {
        offer_public::Entity::delete_many()
            .filter(offer_public::Column::OfferId.eq(offer_id))
            .exec(db)
            .await?;
        let rows: Vec<_> = unique(publics)
            .into_iter()
            .map(|public| offer_public::ActiveModel {
                offer_id: Set(offer_id),
                public: Set(public),
            })
            .collect();
        if !rows.is_empty() {
            offer_public::Entity::insert_many(rows).exec(db).await?;
        }
    }
    if let Some(barriers) = &changes.barriers {
        offer_barrier::Entity::delete_many()
            .filter(offer_barrier::Column::OfferId.eq(offer_id))
            .exec(db)
            .await?;
        let rows: Vec<_> = unique(barriers)
            .into_iter()
            .map(|barrier| offer_barrier::ActiveModel {
                offer_id: Set(offer_id),
                barrier: Set(barrier),
            })
            .collect();
        if !rows.is_empty() {
            offer_barrier::Entity::insert_many(rows).exec(db).await?;
        }
    }
    for (system, field, codes) in changes.code_lists() {
        if let Some(codes) = codes {
            replace_codes(db, offer_id, system, &parse_codes(field, system, codes)?).await?;
        }
    }
    if let Some(themes) = &changes.themes {
        offer_theme::Entity::delete_many()
            .filter(offer_theme::Column::OfferId.eq(offer_id))
            .exec(db)
            .await?;
        let rows: Vec<_> = unique(themes)
            .into_iter()
            .map(|theme| offer_theme::ActiveModel {
                offer_id: Set(offer_id),
                theme: Set(theme),
            })
            .collect();
        if !rows.is_empty() {
            offer_theme::Entity::insert_many(rows).exec(db).await?;
        }
    }
    Ok(())
}

fn unique<T: Clone + Ord>(values: &[T]) -> Vec<T> {
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    values
}

/// Facet changes as audit entries.
fn facet_audit(
    mut entry: AuditEntry,
    before: Option<&crate::catalogue::nested::OfferFacets>,
    codes_before: Option<&OfferCodes>,
    changes: &OfferChanges,
) -> AuditEntry {
    for (system, field, codes) in changes.code_lists() {
        if let Some(codes) = codes {
            let previous = codes_before.map(|known| match system {
                OccupationSystem::Rome => serde_json::json!(known.rome),
                OccupationSystem::Appellation => serde_json::json!(known.appellations),
                OccupationSystem::Formacode => serde_json::json!(known.formacodes),
            });
            let next = parse_codes(field, system, codes).unwrap_or_default();
            entry = entry.change(field, previous, Some(serde_json::json!(next)));
        }
    }
    let codes = |values: Vec<&str>| serde_json::json!(values);
    if let Some(publics) = &changes.publics {
        entry = entry.change(
            "publics",
            before.map(|f| codes(f.publics.iter().map(|p| p.code()).collect())),
            Some(codes(unique(publics).iter().map(|p| p.code()).collect())),
        );
    }
    if let Some(barriers) = &changes.barriers {
        entry = entry.change(
            "barriers",
            before.map(|f| codes(f.barriers.iter().map(|b| b.code()).collect())),
            Some(codes(unique(barriers).iter().map(|b| b.code()).collect())),
        );
    }
    if let Some(themes) = &changes.themes {
        entry = entry.change(
            "themes",
            before.map(|f| serde_json::json!(f.themes)),
            Some(serde_json::json!(unique(themes))),
        );
    }
    entry
}

/// Creates a DRAFT offer in an organisation the actor edits.
pub async fn create_offer(
    db: &DatabaseConnection,
    actor: &Actor,
    organisation_id: i32,
    changes: OfferChanges,
) -> AppResult<offer::Model> {
    actor.require_edit(organisation_id)?;
    let title = changes
        .title
        .clone()
        .ok_or_else(|| AppError::validation("title", "title is required"))?;
    let kind = changes
        .kind
        .ok_or_else(|| AppError::validation("kind", "kind is required"))?;
    let sector_code = changes
        .sector_code
        .clone()
        .ok_or_else(|| AppError::validation("sector", "sector is required"))?;
    let txn = write_transaction(db).await?;
    let organisation = organisation_of_offers(&txn, organisation_id).await?;
    if organisation.archived_at.is_some() {
        return Err(AppError::validation(
            "organisationId",
            "this organisation is archived",
        ));
    }
    check_changes(&txn, &changes).await?;
    let now = Utc::now();
    let mut row = offer::ActiveModel {
        organisation_id: Set(organisation_id),
        title: Set(title),
        summary: Set(String::new()),
        description: Set(String::new()),
        kind: Set(kind),
        sector_code: Set(sector_code),
        status: Set(OfferStatus::Draft),
        delivery_mode: Set(DeliveryMode::OnSite),
        country: Set(organisation.country),
        fees: Set(Fees::Free),
        how_to_apply: Set("[]".into()),
        mobilisable_par: Set("[]".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    let mut with_place = changes.clone();
    if with_place.place.is_none() {
        with_place.place = Some(None);
    }
    apply(&with_place, &mut row, &organisation);
    let created = row.insert(&txn).await?;
    write_facets(&txn, created.id, &changes).await?;
    fulltext_index::write_record(
        &txn,
        created.id,
        &OfferText::of(&created, &organisation.name),
    )
    .await?;
    let entry = AuditEntry::new("Offer", created.id, "create")
        .diff(&serde_json::json!({}), &snapshot(&created));
    record(&txn, actor, facet_audit(entry, None, None, &changes)).await?;
    txn.commit().await?;
    Ok(created)
}

/// Loads an offer the actor may edit, checking the version it was read at.
async fn editable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    version: i32,
) -> AppResult<offer::Model> {
    let current = offer_for_editing(db, actor, id).await?;
    check_version("offer", version, current.version)?;
    Ok(current)
}

/// The organisation of offers being written, locked until the transaction ends (FOR SHARE
/// on PostgreSQL; SQLite's write transactions are serial already): the search text and the
/// place an offer copies from it cannot go stale under a concurrent renaming or move, and an
/// organisation being archived gains no new offer.
async fn organisation_of_offers(
    db: &impl ConnectionTrait,
    id: i32,
) -> AppResult<organisation::Model> {
    organisation::Entity::find_by_id(id)
        .lock_shared()
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("organisation".into()))
}

pub async fn update_offer(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    version: i32,
    changes: OfferChanges,
) -> AppResult<offer::Model> {
    let txn = write_transaction(db).await?;
    let current = editable(&txn, actor, id, version).await?;
    let organisation = organisation_of_offers(&txn, current.organisation_id).await?;
    check_changes(&txn, &changes).await?;
    let facets_before = facets_by_offer(&txn, &[id]).await?.remove(&id);
    let codes_before = codes_by_offer(&txn, &[id]).await?.remove(&id);
    let mut row: offer::ActiveModel = current.clone().into();
    apply(&changes, &mut row, &organisation);
    let saved = update_if_version::<offer::Entity>(&txn, id, version, row).await?;
    write_facets(&txn, id, &changes).await?;
    // Most edits (seats, fees, conditions…) leave the text alone: nothing to index again.
    let text = OfferText::of(&saved, &organisation.name);
    if text.differs_from(&OfferText::of(&current, &organisation.name)) {
        fulltext_index::write_record(&txn, id, &text).await?;
    }
    let entry = AuditEntry::new("Offer", id, "update").diff(&snapshot(&current), &snapshot(&saved));
    record(
        &txn,
        actor,
        facet_audit(
            entry,
            facets_before.as_ref(),
            codes_before.as_ref(),
            &changes,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// What a published offer must have, as the list of missing fields.
fn missing_for_publication(offer: &offer::Model) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if offer.title.trim().is_empty() {
        missing.push("title");
    }
    if offer.summary.trim().is_empty() {
        missing.push("summary");
    }
    if offer.city.is_none() && offer.delivery_mode != DeliveryMode::Remote {
        missing.push("location");
    }
    if parse_methods(&offer.how_to_apply).is_empty() {
        missing.push("howToApply");
    }
    missing
}

/// Moves an offer to `status` (publish, suspend, archive).
pub async fn set_offer_status(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    version: i32,
    status: OfferStatus,
) -> AppResult<offer::Model> {
    let txn = write_transaction(db).await?;
    let current = editable(&txn, actor, id, version).await?;
    let allowed = match status {
        OfferStatus::Published => current.status != OfferStatus::Archived,
        OfferStatus::Suspended => current.status == OfferStatus::Published,
        OfferStatus::Archived => current.status != OfferStatus::Archived,
        OfferStatus::Draft => false,
    };
    if !allowed {
        return Err(AppError::validation(
            "id",
            format!(
                "an offer that is {} cannot become {}",
                current.status.code(),
                status.code()
            ),
        ));
    }
    if status == OfferStatus::Published {
        let missing = missing_for_publication(&current);
        if !missing.is_empty() {
            return Err(AppError::validation(
                missing[0],
                format!("a published offer needs: {}", missing.join(", ")),
            ));
        }
    }
    let row = offer::ActiveModel {
        status: Set(status),
        // Each publication dates the offer for "newest first" lists.
        published_at: if status == OfferStatus::Published {
            Set(Some(Utc::now()))
        } else {
            sea_orm::ActiveValue::NotSet
        },
        ..Default::default()
    };
    let saved = update_if_version::<offer::Entity>(&txn, id, version, row).await?;
    let action = match status {
        OfferStatus::Published => "publish",
        OfferStatus::Suspended => "suspend",
        OfferStatus::Archived => "archive",
        OfferStatus::Draft => "draft",
    };
    record(
        &txn,
        actor,
        AuditEntry::new("Offer", id, action).diff(&snapshot(&current), &snapshot(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Records that someone checked the offer is still accurate.
pub async fn mark_offer_verified(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    version: i32,
) -> AppResult<offer::Model> {
    let txn = write_transaction(db).await?;
    let current = editable(&txn, actor, id, version).await?;
    let row = offer::ActiveModel {
        verified_at: Set(Some(Utc::now())),
        verified_by: Set(Some(actor.name.clone())),
        ..Default::default()
    };
    let saved = update_if_version::<offer::Entity>(&txn, id, version, row).await?;
    record(
        &txn,
        actor,
        AuditEntry::new("Offer", id, "verify").diff(&snapshot(&current), &snapshot(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Rights check for commands on an offer's children (slots, conditions, testimonials).
pub async fn offer_for_editing(
    db: &impl ConnectionTrait,
    actor: &Actor,
    offer_id: i32,
) -> AppResult<offer::Model> {
    let offer = load::<offer::Entity>(db, offer_id, "offer").await?;
    if !actor.can_edit(offer.organisation_id) {
        if offer.status != OfferStatus::Published {
            return Err(AppError::NotFound("offer".into()));
        }
        actor.require_edit(offer.organisation_id)?;
    }
    Ok(offer)
}

/// Rights check for a command on `child` (a "training slot", a "testimonial") of an offer:
/// the child of an offer the actor may not see is not found as the child, exactly as one
/// that does not exist, so that the answer does not reveal a draft.
pub async fn offer_of_child(
    db: &impl ConnectionTrait,
    actor: &Actor,
    offer_id: i32,
    child: &str,
) -> AppResult<offer::Model> {
    offer_for_editing(db, actor, offer_id)
        .await
        .map_err(|error| match error {
            AppError::NotFound(_) => AppError::NotFound(child.to_owned()),
            other => other,
        })
}

/// After a change to one of an offer's children that has a version of its own (a session, a
/// testimonial): moves the offer's `updated_at` so that incremental sync (`updatedSince`)
/// sees it, and recomputes its session summaries (`slot_summary`), in one statement. Its
/// version stays, so that adding a session does not make an edit of the offer in another tab
/// stale. (Conditions are the offer's own content: they move its version, with
/// `update_if_version`.)
///
/// The offer's row is locked first (FOR NO KEY UPDATE on PostgreSQL; SQLite's write transactions
/// are serial): the recomputation then reads, in a statement of its own, every child a
/// concurrent transaction committed before it. Without the lock, two sessions added at once
/// would each compute the summary from a snapshot without the other's, and the last write
/// would lose one. Moderation's `refresh_testimonial_index` runs after it, under the same lock.
pub async fn touch_offer(db: &impl ConnectionTrait, offer_id: i32) -> AppResult<()> {
    offer::Entity::find_by_id(offer_id)
        .select_only()
        .column(offer::Column::Id)
        // NO KEY UPDATE, the lock the UPDATE below takes anyway: FOR UPDATE would also wait
        // on the key-share lock that inserting a child row takes on its offer, and two
        // transactions adding sessions would deadlock.
        .lock(sea_orm::sea_query::LockType::NoKeyUpdate)
        .into_tuple::<i32>()
        .one(db)
        .await?;
    let mut statement = slot_summary::refresh_statement(sea_orm::sea_query::Condition::all().add(
        sea_orm::sea_query::ExprTrait::eq(
            Expr::col((
                sea_orm::sea_query::Alias::new("offers"),
                sea_orm::sea_query::Alias::new("id"),
            )),
            offer_id,
        ),
    ));
    statement.value("updated_at", Utc::now());
    db.execute(&statement).await?;
    Ok(())
}

/// Offers of an organisation follow its renaming (search text) and, when they copy its
/// place, its move. Only those derived columns are written, each offer's from its row as
/// read here, locked until the transaction ends (FOR UPDATE on PostgreSQL), so that no edit
/// of the offer lands in between and is overwritten.
pub async fn follow_organisation(
    db: &impl ConnectionTrait,
    organisation: &organisation::Model,
) -> AppResult<()> {
    let offers = offer::Entity::find()
        .filter(offer::Column::OrganisationId.eq(organisation.id))
        .lock_exclusive()
        .all(db)
        .await?;
    let ids: Vec<i32> = offers.iter().map(|offer| offer.id).collect();
    for current in offers {
        let id = current.id;
        let follow = OfferChanges {
            place: current.location_from_organisation.then_some(None),
            ..Default::default()
        };
        let mut row: offer::ActiveModel = current.into();
        apply(&follow, &mut row, organisation);
        offer::Entity::update_many()
            .set(row)
            .filter(offer::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    fulltext_index::refresh(db, &ids).await?;
    Ok(())
}
