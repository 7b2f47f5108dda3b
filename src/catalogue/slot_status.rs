//! The status of a training slot, derived from its dates, seats, recruitment and cancellation.
use chrono::NaiveDate;
use entity::enums::Recruitment;
use entity::training_slot;

/// Where a slot stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotStatus {
    Open,
    Full,
    Closed,
    Cancelled,
}

/// Cancelled wins; then closed (started, registration closed, or recruitment closed or
/// suspended); then full (a known seat count, all taken); else open.
/// A registration window that opens later still shows OPEN: `registrationOpensOn` says when.
pub fn slot_status(slot: &training_slot::Model, today: NaiveDate) -> SlotStatus {
    if slot.cancelled_at.is_some() {
        SlotStatus::Cancelled
    } else if slot.starts_on < today
        || slot
            .registration_closes_on
            .is_some_and(|closes| closes < today)
        || slot.recruitment != Recruitment::Open
    {
        SlotStatus::Closed
    } else if slot
        .seats_total
        .is_some_and(|total| slot.seats_taken >= total)
    {
        SlotStatus::Full
    } else {
        SlotStatus::Open
    }
}
