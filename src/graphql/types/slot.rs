//! `TrainingSlot`: a dated session of an offer.
use async_graphql::{Context, ID, Object};
use entity::training_slot;

use super::super::context;
use super::super::enums::{Recruitment, SlotStatus};
use super::super::ids::{self, NodeType};
use super::super::scalars::Date;
use super::location::Location;
use crate::catalogue::slot_status::slot_status;
use crate::error::AppError;

pub struct TrainingSlot(pub training_slot::Model);

/// A dated session of an offer, with its seats (when known) and whether it recruits.
#[Object]
impl TrainingSlot {
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::TrainingSlot, self.0.id)
    }
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    async fn ends_on(&self) -> Date {
        self.0.ends_on.into()
    }
    async fn registration_opens_on(&self) -> Option<Date> {
        self.0.registration_opens_on.map(Date)
    }
    async fn registration_closes_on(&self) -> Option<Date> {
        self.0.registration_closes_on.map(Date)
    }
    /// Date of the information session before the start, if any.
    async fn info_session_on(&self) -> Option<Date> {
        self.0.info_session_on.map(Date)
    }
    /// Null when the source does not say (an LHÉO session has no seat count).
    async fn seats_total(&self) -> Option<i32> {
        self.0.seats_total
    }
    async fn seats_taken(&self) -> i32 {
        self.0.seats_taken
    }
    /// Null when the seat count is unknown.
    async fn seats_remaining(&self) -> Option<i32> {
        self.0
            .seats_total
            .map(|total| (total - self.0.seats_taken).max(0))
    }
    /// Whether the session recruits (LHÉO `etat-recrutement`); a session that does not never
    /// counts as having seats left.
    async fn recruitment(&self) -> Recruitment {
        self.0.recruitment.into()
    }
    /// Derived from the cancellation, the dates, the recruitment and the seats, on the day of
    /// the request.
    async fn status(&self, ctx: &Context<'_>) -> Result<SlotStatus, AppError> {
        Ok(slot_status(&self.0, context::today(ctx)?).into())
    }
    /// Weekly schedule in plain words, e.g. "lundi au jeudi, 8 h 30 – 16 h".
    async fn schedule(&self) -> Option<&str> {
        self.0.schedule.as_deref()
    }
    /// The site, when it differs from the offer's place.
    async fn location(&self) -> Option<Location> {
        let slot = &self.0;
        slot.city.as_ref().map(|_| Location {
            address: slot.address.clone(),
            postal_code: slot.postal_code.clone(),
            city: slot.city.clone(),
            commune_code: slot.commune_code.clone(),
            departement: None,
            country: None,
            latitude: slot.latitude,
            longitude: slot.longitude,
        })
    }
    async fn remote(&self) -> bool {
        self.0.remote
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}
