//! `Organisation` and its connection: the structure that runs offers.
use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::organisation;

use super::super::context;
use super::super::enums::{Country, OrganisationKind};
use super::super::ids::{self, NodeType};
use super::super::inputs::{OfferFilterInput, OfferOrderInput};
use super::super::offer_list::{OfferListArgs, list_offers, organisation_first_page};
use super::connection::PageInfo;
use super::location::{Contact, Location};
use super::offer::OfferConnection;
use super::provenance::Provenance;
use super::quality::{Quality, load_quality};
use crate::catalogue::organisation_search::{OrganisationFilter, count_organisations};
use crate::catalogue::quality::Subject;
use crate::error::AppError;

pub struct Organisation(pub organisation::Model);

/// A structure that runs offers: an ACI, an EI, a CISP, a training body…
#[Object]
impl Organisation {
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Organisation, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> OrganisationKind {
        self.0.kind.into()
    }
    async fn country(&self) -> Country {
        self.0.country.into()
    }
    /// SIRET in France, BCE/KBO number in Belgium.
    async fn company_number(&self) -> Option<&str> {
        self.0.company_number.as_deref()
    }
    async fn location(&self) -> Location {
        let m = &self.0;
        Location {
            address: Some(m.address.clone()),
            postal_code: Some(m.postal_code.clone()),
            city: Some(m.city.clone()),
            commune_code: Some(m.commune_code.clone()),
            departement: m.departement.clone(),
            country: Some(m.country.into()),
            latitude: m.latitude,
            longitude: m.longitude,
        }
    }
    async fn contact(&self) -> Contact {
        Contact {
            name: None,
            email: self.0.email.clone(),
            phone: self.0.phone.clone(),
        }
    }
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// How complete and trustworthy the record is, and what to fix.
    async fn quality(&self, ctx: &Context<'_>) -> Result<Quality, AppError> {
        load_quality(ctx, Subject::Organisation, self.0.id).await
    }
    /// OpenStreetMap `opening_hours` syntax, e.g. "Mo-Fr 09:00-12:30,13:30-17:00".
    async fn opening_hours(&self) -> Option<&str> {
        self.0.opening_hours.as_deref()
    }
    /// Link to the accessibility statement of the premises.
    async fn accessibility_url(&self) -> Option<&str> {
        self.0.accessibility_url.as_deref()
    }
    /// data·inclusion network codes ("aci", "emmaus"…).
    async fn networks(&self) -> Vec<String> {
        serde_json::from_str(&self.0.networks).unwrap_or_default()
    }
    /// Where the organisation comes from (its source, id and page there, last import).
    async fn provenance(&self) -> Provenance {
        let m = &self.0;
        Provenance::new(
            &m.source,
            m.external_id.as_deref(),
            m.source_url.as_deref(),
            m.imported_at,
        )
    }
    async fn verified_at(&self) -> Option<DateTime<Utc>> {
        self.0.verified_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The organisation's published offers.
    #[graphql(
        complexity = "crate::graphql::cost::offers(first, filter.as_ref(), child_complexity)"
    )]
    async fn offers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<OfferFilterInput>,
        order_by: Option<OfferOrderInput>,
    ) -> Result<OfferConnection, AppError> {
        if after.is_none() && filter.is_none() && order_by.is_none() {
            return organisation_first_page(ctx, self.0.id, first).await;
        }
        list_offers(
            ctx,
            OfferListArgs {
                first,
                after,
                filter,
                order_by,
                organisation_id: Some(self.0.id),
            },
        )
        .await
    }
}

/// A page of organisations.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct OrganisationConnection {
    pub edges: Vec<OrganisationEdge>,
    pub page_info: PageInfo,
    #[graphql(skip)]
    pub filter: OrganisationFilter,
}

#[ComplexObject]
impl OrganisationConnection {
    /// How many organisations match, on all pages.
    #[graphql(complexity = "crate::graphql::cost::COUNT")]
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64, AppError> {
        let count = count_organisations(context::db(ctx)?, &self.filter).await?;
        Ok(i64::try_from(count).unwrap_or(i64::MAX))
    }

    /// The organisations of the page, without cursors.
    async fn nodes(&self) -> Vec<&Organisation> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }
}

/// An organisation and its cursor.
#[derive(SimpleObject)]
pub struct OrganisationEdge {
    pub cursor: String,
    pub node: Organisation,
}
