//! `referentials`: every code list with French and English labels, for front-ends to build their menus.
use async_graphql::{Context, Object, SimpleObject};
use entity::sector;
use sea_orm::{EntityTrait, QueryOrder};

use super::context;
use super::enums::{
    ApplyChannel, Barrier, ConditionKind, ContractType, Country, DeliveryMode, Fees, IaeCriterion,
    Labelled, OfferKind, OfferStatus, OrganisationKind, Public, SlotStatus, TestimonialRole,
    TestimonialStatus, ZoneKind,
};
use super::types::offer::Sector;
use crate::catalogue::reference;
use crate::error::AppError;

/// One value of an enum: its GraphQL name, its public exchange code and its labels.
#[derive(SimpleObject)]
pub struct ReferentialValue {
    /// The GraphQL enum value, e.g. "SUPPORTED_JOB".
    pub value: String,
    /// The code in the exchange formats (data·inclusion…), e.g. "demandeurs-emploi".
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
}

/// A data·inclusion theme.
#[derive(SimpleObject)]
pub struct Theme {
    pub code: String,
    /// The theme's category code, e.g. "mobilite".
    pub category: String,
    pub label_fr: String,
}

fn values<T: Labelled + Copy>() -> Vec<ReferentialValue> {
    T::items()
        .iter()
        .map(|item| {
            let (code, label_fr, label_en) = item.value.labels();
            ReferentialValue {
                value: item.name.to_owned(),
                code: code.to_owned(),
                label_fr: label_fr.to_owned(),
                label_en: label_en.to_owned(),
            }
        })
        .collect()
}

pub struct Referentials;

/// Every code list of the API, labelled.
#[Object]
impl Referentials {
    async fn organisation_kinds(&self) -> Vec<ReferentialValue> {
        values::<OrganisationKind>()
    }
    async fn countries(&self) -> Vec<ReferentialValue> {
        values::<Country>()
    }
    async fn offer_kinds(&self) -> Vec<ReferentialValue> {
        values::<OfferKind>()
    }
    async fn publics(&self) -> Vec<ReferentialValue> {
        values::<Public>()
    }
    async fn barriers(&self) -> Vec<ReferentialValue> {
        values::<Barrier>()
    }
    async fn delivery_modes(&self) -> Vec<ReferentialValue> {
        values::<DeliveryMode>()
    }
    async fn offer_statuses(&self) -> Vec<ReferentialValue> {
        values::<OfferStatus>()
    }
    async fn contract_types(&self) -> Vec<ReferentialValue> {
        values::<ContractType>()
    }
    async fn fees(&self) -> Vec<ReferentialValue> {
        values::<Fees>()
    }
    async fn apply_channels(&self) -> Vec<ReferentialValue> {
        values::<ApplyChannel>()
    }
    async fn slot_statuses(&self) -> Vec<ReferentialValue> {
        values::<SlotStatus>()
    }
    async fn testimonial_roles(&self) -> Vec<ReferentialValue> {
        values::<TestimonialRole>()
    }
    async fn testimonial_statuses(&self) -> Vec<ReferentialValue> {
        values::<TestimonialStatus>()
    }
    async fn condition_kinds(&self) -> Vec<ReferentialValue> {
        values::<ConditionKind>()
    }
    async fn zone_kinds(&self) -> Vec<ReferentialValue> {
        values::<ZoneKind>()
    }
    async fn iae_criteria(&self) -> Vec<ReferentialValue> {
        values::<IaeCriterion>()
    }
    /// Sectors (filières); the list is open and grows.
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<Sector>, AppError> {
        let sectors = sector::Entity::find()
            .order_by_asc(sector::Column::Position)
            .order_by_asc(sector::Column::Code)
            .all(context::db(ctx)?)
            .await?;
        Ok(sectors
            .into_iter()
            .map(|s| Sector {
                code: s.code,
                label_fr: s.label_fr,
                label_en: s.label_en,
            })
            .collect())
    }
    /// data·inclusion v1 themes (French labels, as published).
    async fn themes(&self) -> Vec<Theme> {
        reference::themes()
            .iter()
            .map(|theme| Theme {
                code: theme.code.clone(),
                category: theme.code.split("--").next().unwrap_or_default().to_owned(),
                label_fr: theme.label.clone(),
            })
            .collect()
    }
}
