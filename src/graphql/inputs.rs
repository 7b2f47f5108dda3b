//! GraphQL input types of the read API, and their conversion to validated domain filters.
use async_graphql::{Enum, InputObject};
use chrono::{DateTime, NaiveDate, Utc};

use super::eligibility::EligibilityProfileInput;

use super::enums::{Barrier, Country, OfferKind, OfferStatus, OrganisationKind, Public};
use super::scalars::Date;
use crate::catalogue::geo::Near;
use crate::catalogue::offer_search::{DateRange, OfferFilter, OfferOrder, OfferSortField};
use crate::catalogue::organisation_search::OrganisationFilter;
use crate::error::AppError;

/// A circle on the map.
#[derive(InputObject, Debug, Clone, Copy)]
pub struct NearInput {
    /// −90 to 90.
    pub latitude: f64,
    /// −180 to 180.
    pub longitude: f64,
    /// Greater than 0, at most 500.
    pub radius_km: f64,
}

impl NearInput {
    fn validate(self, field: &str) -> Result<Near, AppError> {
        Near::new(self.latitude, self.longitude, self.radius_km, field)
    }
}

/// An inclusive range of dates.
#[derive(InputObject, Debug, Clone, Copy)]
pub struct DateRangeInput {
    pub from: Date,
    pub to: Date,
}

/// Filters on offers: combined with AND; the values inside one list with OR; an empty list does not filter.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "OfferFilter")]
pub struct OfferFilterInput {
    pub kinds: Option<Vec<OfferKind>>,
    /// Statuses to keep. Anonymous callers and partners only ever see PUBLISHED offers;
    /// editors also see every offer of their organisations, admins everything.
    pub statuses: Option<Vec<OfferStatus>>,
    /// Sector codes (see `referentials.sectors`).
    pub sectors: Option<Vec<String>>,
    pub publics: Option<Vec<Public>>,
    pub barriers: Option<Vec<Barrier>>,
    /// data·inclusion theme codes (see `referentials.themes`).
    pub themes: Option<Vec<String>>,
    pub organisation_kinds: Option<Vec<OrganisationKind>>,
    pub country: Option<Country>,
    /// French département code, e.g. "59", "2A", "974".
    pub departement: Option<String>,
    /// INSEE (France) or INS (Belgium) commune code.
    pub commune_code: Option<String>,
    /// Offers within a radius; sets `distanceKm` on each offer and allows ordering by DISTANCE.
    pub near: Option<NearInput>,
    /// Words to find in the title, summary, description or organisation name (case and accents ignored).
    pub text: Option<String>,
    /// Has (true) or has no (false) session starting today or later.
    pub has_upcoming_slot: Option<bool>,
    /// Has a session starting between these dates (inclusive).
    pub slot_starts_between: Option<DateRangeInput>,
    /// Has (true) or has no (false) upcoming session with seats left.
    pub has_seats_left: Option<bool>,
    /// Changed at or after this instant: for incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    /// Only offers this person may join: no mandatory condition NOT_MET (UNKNOWN kept, and
    /// flagged by `eligibility` on each edge). Judged today; never stored or logged.
    pub eligible_for: Option<EligibilityProfileInput>,
}

const MAX_TEXT_LENGTH: usize = 200;
/// Values one list filter may hold (each is an OR): more is no search a person makes.
const MAX_LIST_VALUES: usize = 100;

fn check_list_length<T>(field: &str, values: &Option<Vec<T>>) -> Result<(), AppError> {
    match values {
        Some(values) if values.len() > MAX_LIST_VALUES => Err(AppError::validation(
            field,
            format!("at most {MAX_LIST_VALUES} values"),
        )),
        _ => Ok(()),
    }
}

fn check_text_length(field: &str, text: Option<&String>) -> Result<(), AppError> {
    match text {
        Some(text) if text.chars().count() > MAX_TEXT_LENGTH => Err(AppError::validation(
            field,
            format!("text must be at most {MAX_TEXT_LENGTH} characters"),
        )),
        _ => Ok(()),
    }
}

impl OfferFilterInput {
    /// The domain filter, with ranges checked (sectors and themes are checked by the domain).
    pub fn into_domain(self, today: NaiveDate) -> Result<OfferFilter, AppError> {
        check_list_length("filter.kinds", &self.kinds)?;
        check_list_length("filter.statuses", &self.statuses)?;
        check_list_length("filter.sectors", &self.sectors)?;
        check_list_length("filter.publics", &self.publics)?;
        check_list_length("filter.barriers", &self.barriers)?;
        check_list_length("filter.themes", &self.themes)?;
        check_list_length("filter.organisationKinds", &self.organisation_kinds)?;
        let eligible_for = self
            .eligible_for
            .map(|profile| profile.into_query(today, "filter.eligibleFor"))
            .transpose()?;
        let near = self
            .near
            .map(|near| near.validate("filter.near"))
            .transpose()?;
        check_text_length("filter.text", self.text.as_ref())?;
        Ok(OfferFilter {
            kinds: into_domain_list(self.kinds),
            statuses: into_domain_list(self.statuses),
            sectors: self.sectors.unwrap_or_default(),
            publics: into_domain_list(self.publics),
            barriers: into_domain_list(self.barriers),
            themes: self.themes.unwrap_or_default(),
            organisation_kinds: into_domain_list(self.organisation_kinds),
            organisation_id: None,
            country: self.country.map(Into::into),
            departement: self.departement,
            commune_code: self.commune_code,
            near,
            text: self.text.filter(|text| !text.trim().is_empty()),
            has_upcoming_slot: self.has_upcoming_slot,
            slot_starts_between: self.slot_starts_between.map(|range| DateRange {
                from: range.from.0,
                to: range.to.0,
            }),
            has_seats_left: self.has_seats_left,
            updated_since: self.updated_since,
            eligible_for,
        })
    }
}

fn into_domain_list<T, U: From<T>>(values: Option<Vec<T>>) -> Vec<U> {
    values
        .unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect()
}

/// Sort fields of offers.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum OfferOrderField {
    Title,
    UpdatedAt,
    /// Start of the next upcoming session; offers with none come last.
    NextSlot,
    /// Distance from `filter.near` (required).
    Distance,
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

/// How to sort offers; ties are broken by id so pages never overlap.
#[derive(InputObject, Debug, Clone, Copy)]
#[graphql(name = "OfferOrder")]
pub struct OfferOrderInput {
    pub field: OfferOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl OfferOrderInput {
    /// The ordering, defaulting to DISTANCE when a centre is given and TITLE otherwise.
    pub fn into_domain(order: Option<Self>, has_near: bool) -> OfferOrder {
        match order {
            Some(order) => OfferOrder {
                field: match order.field {
                    OfferOrderField::Title => OfferSortField::Title,
                    OfferOrderField::UpdatedAt => OfferSortField::UpdatedAt,
                    OfferOrderField::NextSlot => OfferSortField::NextSlot,
                    OfferOrderField::Distance => OfferSortField::Distance,
                },
                descending: order.direction == OrderDirection::Desc,
            },
            None if has_near => OfferOrder {
                field: OfferSortField::Distance,
                descending: false,
            },
            None => OfferOrder {
                field: OfferSortField::Title,
                descending: false,
            },
        }
    }
}

/// Filters on organisations.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "OrganisationFilter")]
pub struct OrganisationFilterInput {
    pub kinds: Option<Vec<OrganisationKind>>,
    pub country: Option<Country>,
    pub departement: Option<String>,
    /// Words to find in the name (case and accents ignored).
    pub text: Option<String>,
    pub near: Option<NearInput>,
}

impl OrganisationFilterInput {
    pub fn into_domain(self) -> Result<OrganisationFilter, AppError> {
        check_list_length("filter.kinds", &self.kinds)?;
        check_text_length("filter.text", self.text.as_ref())?;
        let filter = OrganisationFilter {
            kinds: into_domain_list(self.kinds),
            country: self.country.map(Into::into),
            departement: self.departement,
            text: self.text.filter(|text| !text.trim().is_empty()),
            near: self
                .near
                .map(|near| near.validate("filter.near"))
                .transpose()?,
        };
        filter.validate()?;
        Ok(filter)
    }
}
