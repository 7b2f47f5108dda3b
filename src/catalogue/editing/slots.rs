//! Training slot commands: create, update, cancel; seats and dates checked.
//!
//! A session created or changed here has a seat count: an editor knows it, and `hasSeatsLeft`
//! means something. Only imported sessions (LHÉO has none) may have it unknown.
use chrono::{Duration, NaiveDate, Utc};
use entity::enums::Recruitment;
use entity::training_slot;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set, TryIntoModel};

use super::offers::{PlaceFields, offer_for_editing, offer_of_child, touch_offer};
use super::{check_version, load, snapshot, update_if_version, validate};
use crate::catalogue::actor::Actor;
use crate::catalogue::audit::{AuditEntry, record};
use crate::catalogue::transaction::write_transaction;
use crate::error::{AppError, AppResult};

/// Fields of a slot; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SlotChanges {
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub registration_opens_on: Option<Option<NaiveDate>>,
    pub registration_closes_on: Option<Option<NaiveDate>>,
    pub info_session_on: Option<Option<NaiveDate>>,
    pub seats_total: Option<i32>,
    pub seats_taken: Option<i32>,
    pub recruitment: Option<Recruitment>,
    pub schedule: Option<Option<String>>,
    pub remote: Option<bool>,
    pub place: Option<Option<PlaceFields>>,
}

fn apply(changes: &SlotChanges, row: &mut training_slot::ActiveModel) {
    if let Some(v) = changes.starts_on {
        row.starts_on = Set(v);
    }
    if let Some(v) = changes.ends_on {
        row.ends_on = Set(v);
    }
    if let Some(v) = changes.registration_opens_on {
        row.registration_opens_on = Set(v);
    }
    if let Some(v) = changes.registration_closes_on {
        row.registration_closes_on = Set(v);
    }
    if let Some(v) = changes.info_session_on {
        row.info_session_on = Set(v);
    }
    if let Some(v) = changes.seats_total {
        row.seats_total = Set(Some(v));
    }
    if let Some(v) = changes.recruitment {
        row.recruitment = Set(v);
    }
    if let Some(v) = changes.seats_taken {
        row.seats_taken = Set(v);
    }
    if let Some(v) = &changes.schedule {
        row.schedule = Set(v.clone());
    }
    if let Some(v) = changes.remote {
        row.remote = Set(v);
    }
    if let Some(place) = &changes.place {
        row.address = Set(place.as_ref().map(|p| p.address.clone()));
        row.postal_code = Set(place.as_ref().map(|p| p.postal_code.clone()));
        row.city = Set(place.as_ref().map(|p| p.city.clone()));
        row.commune_code = Set(place.as_ref().map(|p| p.commune_code.to_uppercase()));
        row.latitude = Set(place.as_ref().and_then(|p| p.latitude));
        row.longitude = Set(place.as_ref().and_then(|p| p.longitude));
    }
}

/// Checks the slot as it will be once changed: seats, date order, a sensible registration window.
pub(crate) fn check(slot: &training_slot::Model) -> AppResult<()> {
    if slot
        .seats_total
        .is_some_and(|total| !(0..=10_000).contains(&total))
    {
        return Err(AppError::validation(
            "seatsTotal",
            "seatsTotal must be between 0 and 10000",
        ));
    }
    if slot.seats_taken < 0 {
        return Err(AppError::validation(
            "seatsTaken",
            "seatsTaken must not be negative",
        ));
    }
    if slot
        .seats_total
        .is_some_and(|total| slot.seats_taken > total)
    {
        return Err(AppError::validation(
            "seatsTaken",
            "seatsTaken must not exceed seatsTotal",
        ));
    }
    if slot.ends_on < slot.starts_on {
        return Err(AppError::validation(
            "endsOn",
            "endsOn must not be before startsOn",
        ));
    }
    if slot.ends_on - slot.starts_on > Duration::days(3 * 366) {
        return Err(AppError::validation(
            "endsOn",
            "a session lasts at most three years",
        ));
    }
    if let (Some(opens), Some(closes)) = (slot.registration_opens_on, slot.registration_closes_on)
        && opens > closes
    {
        return Err(AppError::validation(
            "registrationClosesOn",
            "registration closes before it opens",
        ));
    }
    if let Some(closes) = slot.registration_closes_on
        && closes > slot.ends_on
    {
        return Err(AppError::validation(
            "registrationClosesOn",
            "registration must close by the end of the session",
        ));
    }
    if let Some(opens) = slot.registration_opens_on
        && opens < slot.starts_on - Duration::days(366)
    {
        return Err(AppError::validation(
            "registrationOpensOn",
            "registration opens at most a year before the start",
        ));
    }
    if let Some(info) = slot.info_session_on
        && info > slot.starts_on
    {
        return Err(AppError::validation(
            "infoSessionOn",
            "the information session comes before the start",
        ));
    }
    Ok(())
}

fn check_place(changes: &SlotChanges) -> AppResult<()> {
    if let Some(Some(place)) = &changes.place {
        validate::text("location.city", &place.city, 1, 100)?;
        validate::commune_code("location.communeCode", &place.commune_code)?;
        validate::coordinates("location", place.latitude, place.longitude)?;
    }
    if let Some(Some(schedule)) = &changes.schedule {
        validate::text("schedule", schedule, 0, 500)?;
    }
    Ok(())
}

pub async fn create_slot(
    db: &DatabaseConnection,
    actor: &Actor,
    offer_id: i32,
    changes: SlotChanges,
) -> AppResult<training_slot::Model> {
    let starts_on = changes
        .starts_on
        .ok_or_else(|| AppError::validation("startsOn", "startsOn is required"))?;
    let seats_total = changes
        .seats_total
        .ok_or_else(|| AppError::validation("seatsTotal", "seatsTotal is required"))?;
    check_place(&changes)?;
    let txn = write_transaction(db).await?;
    let offer = offer_for_editing(&txn, actor, offer_id).await?;
    let now = Utc::now();
    let mut row = training_slot::ActiveModel {
        offer_id: Set(offer_id),
        starts_on: Set(starts_on),
        ends_on: Set(changes.ends_on.unwrap_or(starts_on)),
        seats_total: Set(Some(seats_total)),
        seats_taken: Set(0),
        recruitment: Set(Recruitment::Open),
        remote: Set(false),
        registration_opens_on: Set(None),
        registration_closes_on: Set(None),
        info_session_on: Set(None),
        cancelled_at: Set(None),
        schedule: Set(None),
        address: Set(None),
        postal_code: Set(None),
        city: Set(None),
        commune_code: Set(None),
        latitude: Set(None),
        longitude: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    apply(&changes, &mut row);
    let preview = preview(&row)?;
    check(&preview)?;
    let created = row.insert(&txn).await?;
    touch_offer(&txn, offer.id).await?;
    record(
        &txn,
        actor,
        AuditEntry::new("TrainingSlot", created.id, "create")
            .diff(&serde_json::json!({}), &snapshot(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// The row as it would be saved, to validate before writing (a new row has no id yet).
fn preview(row: &training_slot::ActiveModel) -> AppResult<training_slot::Model> {
    let mut probe = row.clone();
    if probe.id.is_not_set() {
        probe.id = Set(0);
    }
    probe
        .try_into_model()
        .map_err(|error| AppError::Internal(format!("slot preview: {error}")))
}

/// A slot the actor may edit, checked against the version it was read at.
async fn editable_slot(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    id: i32,
    version: i32,
) -> AppResult<training_slot::Model> {
    let slot = load::<training_slot::Entity>(db, id, "training slot").await?;
    offer_of_child(db, actor, slot.offer_id, "training slot").await?;
    check_version("training slot", version, slot.version)?;
    Ok(slot)
}

pub async fn update_slot(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    version: i32,
    changes: SlotChanges,
) -> AppResult<training_slot::Model> {
    check_place(&changes)?;
    let txn = write_transaction(db).await?;
    let current = editable_slot(&txn, actor, id, version).await?;
    let mut row: training_slot::ActiveModel = current.clone().into();
    apply(&changes, &mut row);
    check(&preview(&row)?)?;
    let saved = update_if_version::<training_slot::Entity>(&txn, id, version, row).await?;
    touch_offer(&txn, current.offer_id).await?;
    record(
        &txn,
        actor,
        AuditEntry::new("TrainingSlot", id, "update").diff(&snapshot(&current), &snapshot(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn cancel_slot(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    version: i32,
) -> AppResult<training_slot::Model> {
    let txn = write_transaction(db).await?;
    let current = editable_slot(&txn, actor, id, version).await?;
    if current.cancelled_at.is_some() {
        return Err(AppError::validation(
            "id",
            "this session is already cancelled",
        ));
    }
    let row = training_slot::ActiveModel {
        cancelled_at: Set(Some(Utc::now())),
        ..Default::default()
    };
    let saved = update_if_version::<training_slot::Entity>(&txn, id, version, row).await?;
    touch_offer(&txn, current.offer_id).await?;
    record(
        &txn,
        actor,
        AuditEntry::new("TrainingSlot", id, "cancel").diff(&snapshot(&current), &snapshot(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
