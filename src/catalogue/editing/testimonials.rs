//! Testimonials: submitted with consent (PENDING), approved or rejected by the offer's editors or an admin.
use chrono::Utc;
use entity::enums::{OfferStatus, TestimonialRole, TestimonialStatus};
use entity::{offer, testimonial};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::offers::{offer_of_child, touch_offer};
use super::{check_version, load, snapshot, update_if_version, validate};
use crate::catalogue::actor::{Actor, Role};
use crate::catalogue::audit::{AuditEntry, record};
use crate::catalogue::fulltext_index;
use crate::catalogue::transaction::write_transaction;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq)]
pub struct NewTestimonial {
    pub offer_id: i32,
    pub author_name: String,
    pub author_role: TestimonialRole,
    pub body: String,
    pub cohort: Option<String>,
    pub consent_given: bool,
    /// A short video of the testimonial; its transcript is then required.
    pub video_url: Option<String>,
    pub transcript: Option<String>,
}

pub(crate) fn check_cohort(cohort: &str) -> bool {
    let bytes = cohort.as_bytes();
    bytes.len() == 7
        && bytes[4] == b'-'
        && cohort[..4]
            .parse::<u32>()
            .is_ok_and(|y| (1990..=2100).contains(&y))
        && cohort[5..]
            .parse::<u32>()
            .is_ok_and(|m| (1..=12).contains(&m))
}

pub async fn submit(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewTestimonial,
) -> AppResult<testimonial::Model> {
    actor.require_client("submit testimonials")?;
    if !new.consent_given {
        return Err(AppError::validation(
            "consentGiven",
            "the author's consent to publication is required",
        ));
    }
    let author_name = validate::text("authorName", &new.author_name, 1, 80)?;
    let body = validate::text("body", &new.body, 1, 2000)?;
    if let Some(cohort) = &new.cohort
        && !check_cohort(cohort)
    {
        return Err(AppError::validation(
            "cohort",
            "the cohort is a month, YYYY-MM",
        ));
    }
    let video_url = validate::url("videoUrl", new.video_url.as_deref())?;
    let transcript = validate::optional_text("transcript", new.transcript.as_deref(), 10_000)?;
    if video_url.is_some() && transcript.is_none() {
        return Err(AppError::validation(
            "transcript",
            "a video testimonial needs its transcript, for people who cannot watch or hear it",
        ));
    }
    let txn = write_transaction(db).await?;
    let offer = load::<offer::Entity>(&txn, new.offer_id, "offer").await?;
    if offer.status != OfferStatus::Published && !actor.can_edit(offer.organisation_id) {
        return Err(AppError::NotFound("offer".into()));
    }
    let now = Utc::now();
    let created = testimonial::ActiveModel {
        offer_id: Set(offer.id),
        author_name: Set(author_name),
        author_role: Set(new.author_role),
        body: Set(body),
        cohort: Set(new.cohort),
        video_url: Set(video_url),
        transcript: Set(transcript),
        consent_given_at: Set(now),
        status: Set(TestimonialStatus::Pending),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        actor,
        AuditEntry::new("Testimonial", created.id, "submit")
            .diff(&serde_json::json!({}), &snapshot(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Approves or rejects a testimonial (its offer's editors, or an admin). A decision it
/// already has is refused with CONFLICT, so that of two moderators deciding at once, with
/// or without a version, exactly one decides.
pub async fn moderate(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    version: Option<i32>,
    decision: TestimonialStatus,
    reason: Option<String>,
) -> AppResult<testimonial::Model> {
    let reason = match decision {
        TestimonialStatus::Rejected => Some(
            validate::optional_text("reason", reason.as_deref(), 500)?.ok_or_else(|| {
                AppError::validation("reason", "say why the testimonial is rejected")
            })?,
        ),
        _ => None,
    };
    let txn = write_transaction(db).await?;
    let current = load::<testimonial::Entity>(&txn, id, "testimonial").await?;
    offer_of_child(&txn, actor, current.offer_id, "testimonial")
        .await
        .map_err(|error| match error {
            AppError::Forbidden(_) => AppError::Forbidden(
                "only the offer's editors or an admin moderate its testimonials".into(),
            ),
            other => other,
        })?;
    if let Some(version) = version {
        check_version("testimonial", version, current.version)?;
    }
    if current.status == decision {
        return Err(AppError::Conflict {
            message: format!("this testimonial is already {}", current.status.code()),
            current_version: Some(current.version),
        });
    }
    let row = testimonial::ActiveModel {
        status: Set(decision),
        moderated_at: Set(Some(Utc::now())),
        moderated_by: Set(Some(actor.name.clone())),
        rejection_reason: Set(reason),
        ..Default::default()
    };
    let saved = update_if_version::<testimonial::Entity>(&txn, id, current.version, row).await?;
    let action = if decision == TestimonialStatus::Approved {
        "approve"
    } else {
        "reject"
    };
    record(
        &txn,
        actor,
        AuditEntry::new("Testimonial", id, action).diff(&snapshot(&current), &snapshot(&saved)),
    )
    .await?;
    // Publishing a testimonial changes what partners show: let incremental sync see it, and
    // text search read it.
    touch_offer(&txn, saved.offer_id).await?;
    refresh_testimonial_index(&txn, saved.offer_id).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Indexes again for text search what the offer's approved testimonials say (bodies and
/// video transcripts).
pub async fn refresh_testimonial_index(db: &impl ConnectionTrait, offer_id: i32) -> AppResult<()> {
    let approved = testimonial::Entity::find()
        .filter(testimonial::Column::OfferId.eq(offer_id))
        .filter(testimonial::Column::Status.eq(TestimonialStatus::Approved))
        .order_by_asc(testimonial::Column::Id)
        .all(db)
        .await?;
    fulltext_index::write_testimonials(
        db,
        offer_id,
        approved
            .iter()
            .map(|t| (t.body.as_str(), t.transcript.as_deref())),
    )
    .await?;
    Ok(())
}

/// The moderation queue (or any status) for those allowed to see it, oldest first, after id `after`.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    status: TestimonialStatus,
    first: u64,
    after: Option<i32>,
) -> AppResult<(Vec<testimonial::Model>, bool)> {
    let mut query = testimonial::Entity::find().filter(testimonial::Column::Status.eq(status));
    match actor.role {
        Role::Admin => {}
        Role::Editor => {
            query = query.filter(
                Expr::col(testimonial::Column::OfferId).in_subquery(
                    Query::select()
                        .column(offer::Column::Id)
                        .from(offer::Entity)
                        .and_where(
                            Expr::col(offer::Column::OrganisationId)
                                .is_in(actor.organisation_ids.clone()),
                        )
                        .take(),
                ),
            );
        }
        Role::Partner | Role::Anonymous if status == TestimonialStatus::Approved => {
            query = query.filter(
                Expr::col(testimonial::Column::OfferId).in_subquery(
                    Query::select()
                        .column(offer::Column::Id)
                        .from(offer::Entity)
                        .and_where(
                            Expr::col(offer::Column::Status).eq(OfferStatus::Published.code()),
                        )
                        .take(),
                ),
            );
        }
        Role::Partner | Role::Anonymous => {
            return Err(if actor.role == Role::Anonymous {
                AppError::Unauthenticated(
                    "the moderation queue needs an editor's or an admin's key".into(),
                )
            } else {
                AppError::Forbidden(
                    "only editors and admins see testimonials awaiting moderation".into(),
                )
            });
        }
    }
    if let Some(after) = after {
        query = query.filter(testimonial::Column::Id.gt(after));
    }
    let mut rows = query
        .order_by_asc(testimonial::Column::Id)
        .limit(first + 1)
        .all(db)
        .await?;
    let has_next = rows.len() as u64 > first;
    rows.truncate(first as usize);
    Ok((rows, has_next))
}
