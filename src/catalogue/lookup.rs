//! Single-object reads by id, applying the same visibility as the searches.
use entity::enums::TestimonialStatus;
use entity::{eligibility_condition, offer, organisation, testimonial, training_slot};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::offer_search::Visibility;
use crate::error::AppResult;

/// An offer the caller may see.
pub async fn visible_offer(
    db: &impl ConnectionTrait,
    id: i32,
    visibility: &Visibility,
) -> AppResult<Option<offer::Model>> {
    Ok(offer::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|offer| visibility.allows(offer.status, offer.organisation_id)))
}

/// An organisation that is not archived.
pub async fn active_organisation(
    db: &impl ConnectionTrait,
    id: i32,
) -> AppResult<Option<organisation::Model>> {
    Ok(organisation::Entity::find_by_id(id)
        .filter(organisation::Column::ArchivedAt.is_null())
        .one(db)
        .await?)
}

/// A slot of an offer the caller may see.
pub async fn visible_slot(
    db: &impl ConnectionTrait,
    id: i32,
    visibility: &Visibility,
) -> AppResult<Option<training_slot::Model>> {
    let Some(slot) = training_slot::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(visible_offer(db, slot.offer_id, visibility)
        .await?
        .map(|_| slot))
}

/// An approved testimonial of an offer the caller may see.
pub async fn visible_testimonial(
    db: &impl ConnectionTrait,
    id: i32,
    visibility: &Visibility,
) -> AppResult<Option<testimonial::Model>> {
    let Some(found) = testimonial::Entity::find_by_id(id)
        .filter(testimonial::Column::Status.eq(TestimonialStatus::Approved))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(visible_offer(db, found.offer_id, visibility)
        .await?
        .map(|_| found))
}

/// A condition of an offer the caller may see.
pub async fn visible_condition(
    db: &impl ConnectionTrait,
    id: i32,
    visibility: &Visibility,
) -> AppResult<Option<eligibility_condition::Model>> {
    let Some(found) = eligibility_condition::Entity::find_by_id(id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(visible_offer(db, found.offer_id, visibility)
        .await?
        .map(|_| found))
}
