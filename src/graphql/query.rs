//! The query root: offers, organisations, `node`, referentials.
use async_graphql::{Context, ID, Interface, Object};

use super::context;
use super::cost;
use super::ids::{self, NodeType};
use super::inputs::{OfferFilterInput, OfferOrderInput, OrganisationFilterInput};
use super::offer_list::{OfferListArgs, list_offers};
use super::prefetch::prefetch_organisation_offers;
use super::referentials::Referentials;
use super::types::change::ChangeConnection;
use super::types::condition::EligibilityCondition;
use super::types::connection::PageInfo;
use super::types::offer::{Offer, OfferConnection};
use super::types::organisation::{Organisation, OrganisationConnection, OrganisationEdge};
use super::types::slot::TrainingSlot;
use super::types::testimonial::Testimonial;
use crate::catalogue::keyset::page_size;
use crate::catalogue::lookup;
use crate::catalogue::nested::organisations_by_ids;
use crate::catalogue::organisation_search::search_organisation_ids;
use crate::error::AppError;

/// Any object with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Offer(Offer),
    Organisation(Organisation),
    TrainingSlot(TrainingSlot),
    Testimonial(Testimonial),
    EligibilityCondition(EligibilityCondition),
}

#[derive(Default)]
pub struct CatalogueQuery;

#[Object]
impl CatalogueQuery {
    /// Published offers, filtered and sorted, one keyset page at a time.
    #[graphql(complexity = "cost::offers(first, filter.as_ref(), child_complexity)")]
    async fn offers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Resume after this cursor (`pageInfo.endCursor`).")] after: Option<String>,
        filter: Option<OfferFilterInput>,
        order_by: Option<OfferOrderInput>,
    ) -> Result<OfferConnection, AppError> {
        list_offers(
            ctx,
            OfferListArgs {
                first,
                after,
                filter,
                order_by,
                organisation_id: None,
            },
        )
        .await
    }

    /// The change feed: every offer and organisation in the order of their latest change,
    /// removals included, for partners that keep a copy in sync. Walk it from the start
    /// (no `after`), keep `pageInfo.endCursor`, and come back with it later.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Resume after this cursor (`pageInfo.endCursor`).")] after: Option<String>,
    ) -> Result<ChangeConnection, AppError> {
        let limit = page_size(first)?;
        ChangeConnection::page(context::db(ctx)?, limit, after.as_deref()).await
    }

    /// A published offer by ID (null when there is none).
    async fn offer(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Offer>, AppError> {
        let id = ids::decode_as(&id, NodeType::Offer, "id")?;
        let visibility = context::actor(ctx)?.visibility();
        Ok(lookup::visible_offer(context::db(ctx)?, id, &visibility)
            .await?
            .map(|model| Offer { model, near: None }))
    }

    /// Organisations by name.
    #[graphql(complexity = "cost::organisations(first, child_complexity)")]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<OrganisationFilterInput>,
    ) -> Result<OrganisationConnection, AppError> {
        let first = page_size(first)?;
        let filter = filter.unwrap_or_default().into_domain()?;
        let db = context::db(ctx)?;
        let (page, has_next) =
            search_organisation_ids(db, &filter, first, after.as_deref()).await?;
        let ids: Vec<i32> = page.iter().map(|(id, _)| *id).collect();
        let mut models = organisations_by_ids(db, &ids).await?;
        prefetch_organisation_offers(ctx, &ids).await?;
        let edges: Vec<OrganisationEdge> = page
            .into_iter()
            .filter_map(|(id, cursor)| {
                models.remove(&id).map(|model| OrganisationEdge {
                    cursor,
                    node: Organisation(model),
                })
            })
            .collect();
        let cursors: Vec<String> = edges.iter().map(|edge| edge.cursor.clone()).collect();
        Ok(OrganisationConnection {
            edges,
            page_info: PageInfo::new(&cursors, has_next, after.as_deref()),
            filter,
        })
    }

    /// An organisation by ID (null when there is none).
    async fn organisation(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<Organisation>, AppError> {
        let id = ids::decode_as(&id, NodeType::Organisation, "id")?;
        Ok(lookup::active_organisation(context::db(ctx)?, id)
            .await?
            .map(Organisation))
    }

    /// Any object by global ID (null when there is none, or it is not visible).
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>, AppError> {
        let (node_type, id) = ids::decode(&id, "id")?;
        let db = context::db(ctx)?;
        let visibility = context::actor(ctx)?.visibility();
        let visibility = &visibility;
        Ok(match node_type {
            NodeType::Offer => lookup::visible_offer(db, id, visibility)
                .await?
                .map(|model| Node::Offer(Offer { model, near: None })),
            NodeType::Organisation => lookup::active_organisation(db, id)
                .await?
                .map(|model| Node::Organisation(Organisation(model))),
            NodeType::TrainingSlot => lookup::visible_slot(db, id, visibility)
                .await?
                .map(|model| Node::TrainingSlot(TrainingSlot(model))),
            NodeType::Testimonial => lookup::visible_testimonial(db, id, visibility)
                .await?
                .map(|model| Node::Testimonial(Testimonial(model))),
            NodeType::EligibilityCondition => lookup::visible_condition(db, id, visibility)
                .await?
                .map(|model| Node::EligibilityCondition(EligibilityCondition(model))),
        })
    }

    /// Every code list with French and English labels.
    async fn referentials(&self) -> Referentials {
        Referentials
    }
}
