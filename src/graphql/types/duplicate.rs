//! `Offer.duplicates`: another offer that looks like the same one listed twice.
use async_graphql::SimpleObject;

use super::super::enums::DuplicateStatus;
use super::offer::Offer;

#[derive(SimpleObject)]
pub struct OfferDuplicate {
    /// The other offer of the pair.
    pub offer: Offer,
    /// How alike the two titles are, 0 to 1 (the detection suggests pairs from 0.85).
    pub score: f64,
    pub status: DuplicateStatus,
}
