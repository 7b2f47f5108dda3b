//! `Testimonial`: what a former trainee or an employer says of an offer (approved ones only, publicly).
use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use entity::testimonial;

use super::super::enums::{TestimonialRole, TestimonialStatus};
use super::super::ids::{self, NodeType};

pub struct Testimonial(pub testimonial::Model);

/// A moderated testimonial.
#[Object]
impl Testimonial {
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Testimonial, self.0.id)
    }
    /// A first name and initial, or a pseudonym.
    async fn author_name(&self) -> &str {
        &self.0.author_name
    }
    async fn author_role(&self) -> TestimonialRole {
        self.0.author_role.into()
    }
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// A short video of the testimonial.
    async fn video_url(&self) -> Option<&str> {
        self.0.video_url.as_deref()
    }
    /// What is said in the video (always given with a video).
    async fn transcript(&self) -> Option<&str> {
        self.0.transcript.as_deref()
    }
    /// Month of the cohort, "YYYY-MM".
    async fn cohort(&self) -> Option<&str> {
        self.0.cohort.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The offer it is about.
    async fn offer_id(&self) -> ID {
        ids::encode(NodeType::Offer, self.0.offer_id)
    }
    /// PENDING until moderated; only APPROVED ones are public.
    async fn status(&self) -> TestimonialStatus {
        self.0.status.into()
    }
    async fn moderated_at(&self) -> Option<DateTime<Utc>> {
        self.0.moderated_at
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}
