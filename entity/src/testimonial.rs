//! `testimonials`: what former trainees or employers say of an offer, moderated before publication.
use crate::enums::{TestimonialRole, TestimonialStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "testimonials")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub offer_id: i32,
    pub author_name: String,
    pub author_role: TestimonialRole,
    pub body: String,
    /// Month of the cohort, "YYYY-MM".
    pub cohort: Option<String>,
    pub consent_given_at: DateTimeUtc,
    pub status: TestimonialStatus,
    pub moderated_at: Option<DateTimeUtc>,
    pub moderated_by: Option<String>,
    pub rejection_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// A short video of the testimonial (its `transcript` is then required).
    pub video_url: Option<String>,
    /// What is said in the video, for people who cannot watch it, and for search.
    pub transcript: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
