//! `OfferFacets`: counts per value of each facet for an offer search, all eight counted at
//! once from the facet bitmaps when the first one is selected.
use async_graphql::{Context, Object, SimpleObject};
use entity::enums as db;
use tokio::sync::OnceCell;

use super::super::context;
use super::super::enums::{Barrier, DeliveryMode, Labelled, OfferKind, OrganisationKind, Public};
use crate::catalogue::facets::{Facet, FacetCounts, facet_counts};
use crate::catalogue::offer_search::{OfferFilter, Visibility};
use crate::error::AppError;

/// One value of a facet and how many offers have it.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct FacetValue {
    /// What to put in the matching filter: a GraphQL enum value ("TRAINING"), a sector or
    /// theme code, a département code.
    pub value: String,
    /// Offers of the search (this facet's own filter left out) that have it.
    pub count: i64,
}

/// Counts per value for the offers of a search. Each facet is counted with every filter of
/// the search but its own (disjunctive faceting), so `kinds` still lists the other kinds when
/// `filter.kinds` is set; the count of a value equals `totalCount` of the same search with
/// that facet's filter set to that one value. Values no offer has are left out.
pub struct OfferFacets {
    pub filter: OfferFilter,
    pub visibility: Visibility,
    /// Every facet's counts, computed for the first one selected.
    pub counts: OnceCell<FacetCounts>,
}

impl OfferFacets {
    pub fn new(filter: OfferFilter, visibility: Visibility) -> Self {
        Self {
            filter,
            visibility,
            counts: OnceCell::new(),
        }
    }
}

/// The GraphQL name of the enum value stored as `code` (the code itself if unknown).
fn enum_name<G, D>(code: &str, from_code: fn(&str) -> Option<D>) -> String
where
    G: Labelled + From<D> + PartialEq + Copy,
{
    from_code(code)
        .map(G::from)
        .and_then(|value| G::items().iter().find(|item| item.value == value))
        .map_or_else(|| code.to_owned(), |item| item.name.to_owned())
}

impl OfferFacets {
    async fn count(
        &self,
        ctx: &Context<'_>,
        facet: Facet,
        name: impl Fn(&str) -> String,
    ) -> Result<Vec<FacetValue>, AppError> {
        let counts = self
            .counts
            .get_or_try_init(|| async {
                facet_counts(
                    context::db(ctx)?,
                    context::facet_index(ctx)?,
                    &self.filter,
                    &self.visibility,
                    context::today(ctx)?,
                )
                .await
            })
            .await?;
        Ok(counts[facet.position()]
            .iter()
            .map(|count| FacetValue {
                value: name(&count.code),
                count: i64::try_from(count.count).unwrap_or(i64::MAX),
            })
            .collect())
    }
}

#[Object]
impl OfferFacets {
    /// Values for `filter.kinds`.
    #[graphql(complexity = "crate::graphql::cost::FACET + child_complexity")]
    async fn kinds(&self, ctx: &Context<'_>) -> Result<Vec<FacetValue>, AppError> {
        self.count(ctx, Facet::Kinds, |code| {
            enum_name::<OfferKind, _>(code, db::OfferKind::from_code)
        })
        .await
    }
    /// Values for `filter.sectors` (sector codes).
    #[graphql(complexity = "crate::graphql::cost::FACET + child_complexity")]
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<FacetValue>, AppError> {
        self.count(ctx, Facet::Sectors, str::to_owned).await
    }
    /// Values for `filter.publics`.
    #[graphql(complexity = "crate::graphql::cost::FACET + child_complexity")]
    async fn publics(&self, ctx: &Context<'_>) -> Result<Vec<FacetValue>, AppError> {
        self.count(ctx, Facet::Publics, |code| {
            enum_name::<Public, _>(code, db::Public::from_code)
        })
        .await
    }
    /// Values for `filter.barriers`.
    #[graphql(complexity = "crate::graphql::cost::FACET + child_complexity")]
    async fn barriers(&self, ctx: &Context<'_>) -> Result<Vec<FacetValue>, AppError> {
        self.count(ctx, Facet::Barriers, |code| {
            enum_name::<Barrier, _>(code, db::Barrier::from_code)
        })
        .await
    }
    /// Values for `filter.organisationKinds`.
    #[graphql(complexity = "crate::graphql::cost::FACET + child_complexity")]
    async fn organisation_kinds(&self, ctx: &Context<'_>) -> Result<Vec<FacetValue>, AppError> {
        self.count(ctx, Facet::OrganisationKinds, |code| {
            enum_name::<OrganisationKind, _>(code, db::OrganisationKind::from_code)
        })
        .await
    }
    /// Values for `filter.departement` (French département codes).
    #[graphql(complexity = "crate::graphql::cost::FACET + child_complexity")]
    async fn departements(&self, ctx: &Context<'_>) -> Result<Vec<FacetValue>, AppError> {
        self.count(ctx, Facet::Departements, str::to_owned).await
    }
    /// Values for `filter.themes` (data·inclusion theme codes).
    #[graphql(complexity = "crate::graphql::cost::FACET + child_complexity")]
    async fn themes(&self, ctx: &Context<'_>) -> Result<Vec<FacetValue>, AppError> {
        self.count(ctx, Facet::Themes, str::to_owned).await
    }
    /// Values for `filter.deliveryModes`.
    #[graphql(complexity = "crate::graphql::cost::FACET + child_complexity")]
    async fn delivery_modes(&self, ctx: &Context<'_>) -> Result<Vec<FacetValue>, AppError> {
        self.count(ctx, Facet::DeliveryModes, |code| {
            enum_name::<DeliveryMode, _>(code, db::DeliveryMode::from_code)
        })
        .await
    }
}
