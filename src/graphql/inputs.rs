//! GraphQL input types of the read API, and their conversion to validated domain filters.
use async_graphql::{Enum, InputObject};
use chrono::{DateTime, SubsecRound, Utc};

use super::eligibility::EligibilityProfileInput;

use super::enums::{
    Barrier, Country, DeliveryMode, DisabledWorkerFit, Freshness, OfferKind, OfferStatus,
    OrganisationKind, Public, RemoteWorkMode,
};
use super::scalars::Date;
use crate::catalogue::editing::validate;
use crate::catalogue::geo::Near;
use crate::catalogue::occupations::parse_codes;
use crate::catalogue::offer_search::{
    DateRange, FreshnessFilter, OfferFilter, OfferOrder, OfferSortField, QualityFilter,
};
use crate::catalogue::organisation_search::OrganisationFilter;
use crate::catalogue::quality::{QualityClock, check_min_quality};
use crate::error::AppError;
use entity::enums::OccupationSystem;

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
    /// Words to find, in French: in the title, summary, description, organisation name,
    /// town or approved testimonials, whatever their case, accents, elisions and inflection
    /// ("formations" finds "formation", "l'atelier" "atelier"); stop words do not count;
    /// every word must match; a "quoted phrase" matches as a phrase; the last word also
    /// matches the words it starts (unless followed by a space); a word of 5 letters or more
    /// that no offer uses forgives one typo; synonyms from `reference/synonyms.json`. Orders
    /// by RELEVANCE unless `orderBy` says otherwise; `highlights` on each edge.
    pub text: Option<String>,
    /// Has (true) or has no (false) session starting today or later.
    pub has_upcoming_slot: Option<bool>,
    /// Has a session starting between these dates (inclusive).
    pub slot_starts_between: Option<DateRangeInput>,
    /// Has (true) or has no (false) upcoming session with seats left: one that recruits (OPEN)
    /// and has seats left or an unknown number of them (imported LHÉO sessions).
    pub has_seats_left: Option<bool>,
    /// Changed at or after this instant (to the microsecond; finer digits are cut): for
    /// incremental sync.
    pub updated_since: Option<DateTime<Utc>>,
    /// Only offers this person may join: no mandatory condition NOT_MET (UNKNOWN kept, and
    /// flagged by `eligibility` on each edge). Judged today; never stored or logged.
    pub eligible_for: Option<EligibilityProfileInput>,
    /// ROME fiche codes, e.g. "I1607" (see `referentials.romeCodes`).
    pub rome_codes: Option<Vec<String>>,
    /// ROME appellation codes (job titles), e.g. "10012".
    pub appellation_codes: Option<Vec<String>>,
    /// FORMACODE training fields, e.g. "22454".
    pub formacodes: Option<Vec<String>>,
    /// SIRET or BCE numbers: the host company of the offer, or the organisation running it.
    pub company_numbers: Option<Vec<String>>,
    pub fit_for_disabled_workers: Option<Vec<DisabledWorkerFit>>,
    pub delivery_modes: Option<Vec<DeliveryMode>>,
    /// As Immersion Facilitée's `remoteWorkMode`: the same as `deliveryModes` in its words.
    pub remote_work_modes: Option<Vec<RemoteWorkMode>>,
    /// e.g. [FRESH, AGING] to leave stale offers out.
    pub freshness: Option<Vec<Freshness>>,
    /// Offers whose `quality.score` is at least this (0 to 1).
    pub min_quality: Option<f64>,
    /// Offers from these sources (`provenance.source`), e.g. ["manual", "data-inclusion:dora"].
    pub sources: Option<Vec<String>>,
    /// One offer per group of duplicates (see `Offer.duplicates`): of offers linked by a pair
    /// not dismissed, the published one verified most recently is kept, the others left out.
    pub exclude_duplicates: Option<bool>,
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
    /// The domain filter, with ranges and codes checked (sectors and themes are checked by
    /// the domain); `clock` dates eligibility, freshness and quality.
    pub fn into_domain(self, clock: QualityClock) -> Result<OfferFilter, AppError> {
        let today = clock.today;
        check_list_length("filter.kinds", &self.kinds)?;
        check_list_length("filter.statuses", &self.statuses)?;
        check_list_length("filter.sectors", &self.sectors)?;
        check_list_length("filter.publics", &self.publics)?;
        check_list_length("filter.barriers", &self.barriers)?;
        check_list_length("filter.themes", &self.themes)?;
        check_list_length("filter.organisationKinds", &self.organisation_kinds)?;
        check_list_length("filter.companyNumbers", &self.company_numbers)?;
        check_list_length(
            "filter.fitForDisabledWorkers",
            &self.fit_for_disabled_workers,
        )?;
        check_list_length("filter.remoteWorkModes", &self.remote_work_modes)?;
        check_list_length("filter.deliveryModes", &self.delivery_modes)?;
        check_list_length("filter.freshness", &self.freshness)?;
        check_list_length("filter.sources", &self.sources)?;
        let sources = self
            .sources
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(index, source)| validate::source(&format!("filter.sources.{index}"), source))
            .collect::<Result<Vec<_>, _>>()?;
        let codes = |field: &str, system, codes: Option<Vec<String>>| {
            parse_codes(field, system, &codes.unwrap_or_default())
        };
        let rome_codes = codes("filter.romeCodes", OccupationSystem::Rome, self.rome_codes)?;
        let appellation_codes = codes(
            "filter.appellationCodes",
            OccupationSystem::Appellation,
            self.appellation_codes,
        )?;
        let formacodes = codes(
            "filter.formacodes",
            OccupationSystem::Formacode,
            self.formacodes,
        )?;
        let company_numbers = self
            .company_numbers
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(index, number)| {
                validate::company_number(&format!("filter.companyNumbers.{index}"), number)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let min_quality = self
            .min_quality
            .map(|min| check_min_quality("filter.minQuality", min))
            .transpose()?
            .map(|min| QualityFilter { min, clock });
        let freshness = self
            .freshness
            .filter(|wanted| !wanted.is_empty())
            .map(|wanted| FreshnessFilter {
                wanted: wanted.into_iter().map(Into::into).collect(),
                policy: clock.freshness,
                now: clock.now,
            });
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
            text_search: None,
            has_upcoming_slot: self.has_upcoming_slot,
            slot_starts_between: self.slot_starts_between.map(|range| DateRange {
                from: range.from.0,
                to: range.to.0,
            }),
            has_seats_left: self.has_seats_left,
            // Both engines store microseconds (SQLite's text may hold nanoseconds): an
            // instant cut to them compares alike in SQL and in memory (`facet_index`).
            updated_since: self.updated_since.map(|since| since.trunc_subsecs(6)),
            eligible_for,
            rome_codes,
            appellation_codes,
            formacodes,
            company_numbers,
            fit_for_disabled_workers: into_domain_list(self.fit_for_disabled_workers),
            delivery_modes: {
                let mut modes: Vec<entity::enums::DeliveryMode> =
                    into_domain_list(self.delivery_modes);
                modes.extend(into_domain_list::<_, entity::enums::DeliveryMode>(
                    self.remote_work_modes,
                ));
                modes
            },
            freshness,
            within_ids: None,
            within_ids_lead: false,
            min_quality,
            sources,
            exclude_duplicates: self.exclude_duplicates.unwrap_or(false),
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
    /// Last publication (use DESC for newest first); drafts never published come last.
    PublishedAt,
    /// Where `filter.text` (required) matched: in the title first, then the summary, then
    /// elsewhere; ties by freshness (last verification, else creation), newest first. ASC
    /// (the default) gives the most relevant first. The default order when a text is given.
    Relevance,
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
    /// The ordering, defaulting to RELEVANCE when a text is given, DISTANCE when a centre is,
    /// and TITLE otherwise.
    pub fn into_domain(order: Option<Self>, has_text: bool, has_near: bool) -> OfferOrder {
        match order {
            Some(order) => OfferOrder {
                field: match order.field {
                    OfferOrderField::Title => OfferSortField::Title,
                    OfferOrderField::UpdatedAt => OfferSortField::UpdatedAt,
                    OfferOrderField::NextSlot => OfferSortField::NextSlot,
                    OfferOrderField::Distance => OfferSortField::Distance,
                    OfferOrderField::PublishedAt => OfferSortField::PublishedAt,
                    OfferOrderField::Relevance => OfferSortField::Relevance,
                },
                descending: order.direction == OrderDirection::Desc,
            },
            None if has_text => OfferOrder {
                field: OfferSortField::Relevance,
                descending: false,
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
