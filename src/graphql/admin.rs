//! The caller and the catalogue's administration: `viewer`, API clients, the moderation queue, the audit log.
use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums::{ClientRole as DbClientRole, TestimonialStatus as DbTestimonialStatus};
use entity::{api_client, audit_entry};

use super::context;
use super::enums::TestimonialStatus;
use super::ids::{self, NodeType};
use super::loaders::OrganisationKey;
use super::types::connection::PageInfo;
use super::types::offer::Offer;
use super::types::organisation::Organisation;
use super::types::testimonial::Testimonial;
use crate::catalogue::actor::{Actor, Role};
use crate::catalogue::audit::{self, Audited};
use crate::catalogue::clients;
use crate::catalogue::editing::testimonials;
use crate::catalogue::keyset::page_size;
use crate::catalogue::offer_search::offers_by_ids;
use crate::catalogue::quality::offers_needing_attention;
use crate::error::AppError;

/// Organisations by id, in the given order, through the request's loader (one batch for a list of clients).
async fn organisations_in_order(
    ctx: &Context<'_>,
    ids: &[i32],
) -> Result<Vec<Organisation>, AppError> {
    let mut found = context::loader(ctx)?
        .load_many(ids.iter().map(|id| OrganisationKey(*id)))
        .await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.remove(&OrganisationKey(*id)))
        .map(Organisation)
        .collect())
}

/// What a caller is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ViewerRole {
    Anonymous,
    Partner,
    Editor,
    Admin,
}

impl From<Role> for ViewerRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Anonymous => Self::Anonymous,
            Role::Partner => Self::Partner,
            Role::Editor => Self::Editor,
            Role::Admin => Self::Admin,
        }
    }
}

/// The role of an API client.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ClientRole {
    Partner,
    Editor,
    Admin,
}

impl From<DbClientRole> for ClientRole {
    fn from(role: DbClientRole) -> Self {
        match role {
            DbClientRole::Partner => Self::Partner,
            DbClientRole::Editor => Self::Editor,
            DbClientRole::Admin => Self::Admin,
        }
    }
}

impl From<ClientRole> for DbClientRole {
    fn from(role: ClientRole) -> Self {
        match role {
            ClientRole::Partner => Self::Partner,
            ClientRole::Editor => Self::Editor,
            ClientRole::Admin => Self::Admin,
        }
    }
}

/// Who is calling and what they may do.
pub struct Viewer(pub Actor);

#[Object]
impl Viewer {
    /// The API client's name ("anonymous" without a key).
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn role(&self) -> ViewerRole {
        self.0.role.into()
    }
    /// The organisations an editor may edit (empty otherwise; admins may edit all).
    async fn organisations(&self, ctx: &Context<'_>) -> Result<Vec<Organisation>, AppError> {
        organisations_in_order(ctx, &self.0.organisation_ids).await
    }
    /// Requests per minute allowed to this API client (null without a key: the per-IP limit applies).
    async fn rate_limit_per_minute(&self) -> Option<i32> {
        self.0
            .rate_limit_per_minute
            .map(|r| i32::try_from(r).unwrap_or(i32::MAX))
    }
    /// May create and edit offers, sessions and conditions (of `organisations`, or all for admins).
    async fn can_edit_offers(&self) -> bool {
        matches!(self.0.role, Role::Editor | Role::Admin)
    }
    /// May approve or reject testimonials.
    async fn can_moderate_testimonials(&self) -> bool {
        matches!(self.0.role, Role::Editor | Role::Admin)
    }
    /// May submit testimonials.
    async fn can_submit_testimonials(&self) -> bool {
        self.0.role != Role::Anonymous
    }
    /// May manage API clients and organisations.
    async fn can_administer(&self) -> bool {
        self.0.role == Role::Admin
    }
    /// The offers of the viewer's organisations (all offers for admins) whose quality score
    /// is below 1, worst first, archived ones left out: what to fix next. Empty for callers
    /// who edit nothing.
    async fn offers_needing_attention(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 100.")] first: i32,
    ) -> Result<Vec<Offer>, AppError> {
        let first = page_size(Some(first))?;
        let db = context::db(ctx)?;
        let ids = offers_needing_attention(
            db,
            &self.0.visibility(),
            first,
            &context::quality_clock(ctx)?,
        )
        .await?;
        Ok(offers_by_ids(db, &ids)
            .await?
            .into_iter()
            .map(|model| Offer { model, near: None })
            .collect())
    }
}

/// A front-end or person calling the API. The key itself is shown once, at creation.
pub struct ApiClient {
    pub model: api_client::Model,
    pub organisation_ids: Vec<i32>,
}

#[Object]
impl ApiClient {
    async fn name(&self) -> &str {
        &self.model.name
    }
    async fn role(&self) -> ClientRole {
        self.model.role.into()
    }
    /// The first characters of the key, to recognise it.
    async fn key_prefix(&self) -> &str {
        &self.model.key_prefix
    }
    async fn organisations(&self, ctx: &Context<'_>) -> Result<Vec<Organisation>, AppError> {
        organisations_in_order(ctx, &self.organisation_ids).await
    }
    async fn allowed_origins(&self) -> Vec<String> {
        serde_json::from_str(&self.model.allowed_origins).unwrap_or_default()
    }
    async fn rate_limit_per_minute(&self) -> i32 {
        self.model.rate_limit_per_minute
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.model.revoked_at
    }
}

/// One field changed: its value before and after, as JSON text.
#[derive(SimpleObject)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Who changed what, when.
pub struct AuditEntry(pub audit_entry::Model);

#[Object]
impl AuditEntry {
    /// "create", "update", "publish", "approve"…
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The API client (or command-line operator) who made the change.
    async fn actor(&self) -> &str {
        &self.0.client_name
    }
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn changes(&self) -> Vec<FieldChange> {
        let parsed: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&self.0.changes).unwrap_or_default();
        parsed
            .into_iter()
            .map(|(field, pair)| FieldChange {
                field,
                before: pair.get(0).map(ToString::to_string).unwrap_or_default(),
                after: pair.get(1).map(ToString::to_string).unwrap_or_default(),
            })
            .collect()
    }
}

/// A page of audit entries, newest first.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AuditEntryConnection {
    pub edges: Vec<AuditEntryEdge>,
    pub page_info: PageInfo,
}

#[ComplexObject]
impl AuditEntryConnection {
    /// The entries of the page, without cursors.
    async fn nodes(&self) -> Vec<&AuditEntry> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }
}

/// An audit entry and its cursor.
#[derive(SimpleObject)]
pub struct AuditEntryEdge {
    pub cursor: String,
    pub node: AuditEntry,
}

/// A page of testimonials.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct TestimonialConnection {
    pub edges: Vec<TestimonialEdge>,
    pub page_info: PageInfo,
}

#[ComplexObject]
impl TestimonialConnection {
    /// The testimonials of the page, without cursors.
    async fn nodes(&self) -> Vec<&Testimonial> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }
}

/// A testimonial and its cursor.
#[derive(SimpleObject)]
pub struct TestimonialEdge {
    pub cursor: String,
    pub node: Testimonial,
}

/// Input of `testimonials`.
#[derive(InputObject, Default)]
pub struct TestimonialFilter {
    pub status: Option<TestimonialStatus>,
}

#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// Who you are and what you may do.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Viewer, AppError> {
        Ok(Viewer(context::actor(ctx)?.clone()))
    }

    /// Every API client (admins).
    async fn api_clients(&self, ctx: &Context<'_>) -> Result<Vec<ApiClient>, AppError> {
        let listed = clients::list_clients(context::db(ctx)?, context::actor(ctx)?).await?;
        Ok(listed
            .into_iter()
            .map(|(model, organisation_ids)| ApiClient {
                model,
                organisation_ids,
            })
            .collect())
    }

    /// Testimonials by status, oldest first: PENDING is the moderation queue (editors see
    /// their organisations', admins all); APPROVED ones are public.
    async fn testimonials(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "TestimonialStatus::Pending")] status: TestimonialStatus,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<TestimonialConnection, AppError> {
        let first = page_size(first)?;
        let after_id = after
            .as_deref()
            .map(|raw| ids::decode_as(raw, NodeType::Testimonial, "after"))
            .transpose()?;
        let status: DbTestimonialStatus = status.into();
        let (rows, has_next) = testimonials::list(
            context::db(ctx)?,
            context::actor(ctx)?,
            status,
            first,
            after_id,
        )
        .await?;
        let cursors: Vec<String> = rows
            .iter()
            .map(|t| ids::encode(NodeType::Testimonial, t.id).0)
            .collect();
        let page_info = PageInfo::new(&cursors, has_next, after.as_deref());
        Ok(TestimonialConnection {
            edges: cursors
                .into_iter()
                .zip(rows)
                .map(|(cursor, row)| TestimonialEdge {
                    cursor,
                    node: Testimonial(row),
                })
                .collect(),
            page_info,
        })
    }

    /// The changes made to an object, newest first (admins, and the editors of its organisation).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        entity_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<AuditEntryConnection, AppError> {
        let audited = match ids::decode(&entity_id, "entityId")? {
            (NodeType::Offer, id) => Audited::Offer(id),
            (NodeType::Organisation, id) => Audited::Organisation(id),
            (NodeType::TrainingSlot, id) => Audited::TrainingSlot(id),
            (NodeType::Testimonial, id) => Audited::Testimonial(id),
            (NodeType::EligibilityCondition, _) => {
                return Err(AppError::validation(
                    "entityId",
                    "conditions are audited with their offer: ask for the offer's ID",
                ));
            }
        };
        let first = page_size(first)?;
        let after_id = after
            .as_deref()
            .map(|raw| {
                raw.parse::<i32>()
                    .map_err(|_| AppError::validation("after", "invalid cursor"))
            })
            .transpose()?;
        let mut rows = audit::entries(
            context::db(ctx)?,
            context::actor(ctx)?,
            audited,
            first + 1,
            after_id,
        )
        .await?;
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        let cursors: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
        let page_info = PageInfo::new(&cursors, has_next, after.as_deref());
        Ok(AuditEntryConnection {
            edges: cursors
                .into_iter()
                .zip(rows)
                .map(|(cursor, row)| AuditEntryEdge {
                    cursor,
                    node: AuditEntry(row),
                })
                .collect(),
            page_info,
        })
    }
}
