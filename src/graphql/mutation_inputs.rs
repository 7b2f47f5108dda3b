//! Input types of the mutations (one `input:` argument each, as GitHub's API does) and their
//! conversion to the domain's change sets. `null` clears a nullable field; leaving it out keeps it.
//! Errors name fields within the input (`id`); the resolver places them under `input`.
use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums as db;

use super::enums::{
    ApplyChannel, Barrier, ConditionKind, ContractType, Country, DeliveryMode, DisabledWorkerFit,
    Fees, Mobiliser, OfferKind, OrganisationKind, Public, Recruitment, TestimonialRole, ZoneKind,
};
use super::ids::{self, NodeType};
use super::scalars::Date;
use crate::catalogue::apply::ApplyMethod;
use crate::catalogue::editing::conditions::ConditionFields;
use crate::catalogue::editing::offers::{OfferChanges, PlaceFields};
use crate::catalogue::editing::organisations::OrganisationChanges;
use crate::catalogue::editing::slots::SlotChanges;
use crate::error::AppError;

/// `Undefined` → leave as is; `null` → clear; a value → set.
fn maybe<T, U: From<T>>(value: MaybeUndefined<T>) -> Option<Option<U>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v.into())),
    }
}

fn list<T, U: From<T>>(values: Option<Vec<T>>) -> Option<Vec<U>> {
    values.map(|v| v.into_iter().map(Into::into).collect())
}

pub fn offer_id(id: &ID, field: &str) -> Result<i32, AppError> {
    ids::decode_as(id, NodeType::Offer, field)
}

/// A postal place.
#[derive(InputObject, Clone, Debug)]
pub struct LocationInput {
    pub address: String,
    pub postal_code: String,
    pub city: String,
    /// INSEE (France) or INS (Belgium) code.
    pub commune_code: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl From<LocationInput> for PlaceFields {
    fn from(l: LocationInput) -> Self {
        Self {
            address: l.address,
            postal_code: l.postal_code,
            city: l.city,
            commune_code: l.commune_code,
            latitude: l.latitude,
            longitude: l.longitude,
        }
    }
}

/// One way to apply.
#[derive(InputObject, Clone, Debug)]
pub struct HowToApplyInput {
    pub channel: ApplyChannel,
    /// The URL (ONLINE), address (EMAIL) or number (PHONE).
    pub value: Option<String>,
    pub instructions: Option<String>,
}

impl From<HowToApplyInput> for ApplyMethod {
    fn from(h: HowToApplyInput) -> Self {
        Self {
            channel: h.channel.into(),
            value: h.value,
            instructions: h.instructions,
        }
    }
}

/// A new offer; it starts as DRAFT.
#[derive(InputObject, Clone, Debug)]
pub struct CreateOfferInput {
    pub organisation_id: ID,
    pub title: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub kind: OfferKind,
    /// A sector code (see `referentials.sectors`).
    pub sector: String,
    pub publics: Option<Vec<Public>>,
    pub barriers: Option<Vec<Barrier>>,
    pub themes: Option<Vec<String>>,
    pub delivery_mode: Option<DeliveryMode>,
    /// Where it takes place; the organisation's address when left out.
    pub location: Option<LocationInput>,
    pub weekly_hours: Option<f64>,
    pub duration_weeks: Option<i32>,
    pub contract_type: Option<ContractType>,
    pub open_positions: Option<i32>,
    pub fees: Option<Fees>,
    pub how_to_apply: Option<Vec<HowToApplyInput>>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// ROME fiche codes ("I1607"), checked against `referentials.romeCodes`.
    pub rome_codes: Option<Vec<String>>,
    /// ROME appellation codes (5 or 6 digits).
    pub appellation_codes: Option<Vec<String>>,
    /// FORMACODE codes (5 digits), for trainings.
    pub formacodes: Option<Vec<String>>,
    /// SIRET or BCE of the host company, when it is not the organisation.
    pub host_company_number: Option<String>,
    pub fit_for_disabled_workers: Option<DisabledWorkerFit>,
    pub mobilisable_par: Option<Vec<Mobiliser>>,
    pub publics_details: Option<String>,
    pub fees_details: Option<String>,
}

impl CreateOfferInput {
    pub fn into_domain(self) -> Result<(i32, OfferChanges), AppError> {
        let organisation_id = ids::decode_as(
            &self.organisation_id,
            NodeType::Organisation,
            "organisationId",
        )?;
        Ok((
            organisation_id,
            OfferChanges {
                title: Some(self.title),
                summary: self.summary,
                description: self.description,
                kind: Some(self.kind.into()),
                sector_code: Some(self.sector),
                publics: list(self.publics),
                barriers: list(self.barriers),
                themes: self.themes,
                delivery_mode: self.delivery_mode.map(Into::into),
                place: self.location.map(|l| Some(l.into())),
                weekly_hours: self.weekly_hours.map(Some),
                duration_weeks: self.duration_weeks.map(Some),
                contract_type: self.contract_type.map(|c| Some(c.into())),
                open_positions: self.open_positions.map(Some),
                fees: self.fees.map(Into::into),
                how_to_apply: list(self.how_to_apply),
                contact_name: self.contact_name.map(Some),
                contact_email: self.contact_email.map(Some),
                contact_phone: self.contact_phone.map(Some),
                rome_codes: self.rome_codes,
                appellation_codes: self.appellation_codes,
                formacodes: self.formacodes,
                host_company_number: self.host_company_number.map(Some),
                fit_for_disabled_workers: self.fit_for_disabled_workers.map(|f| Some(f.into())),
                mobilisable_par: list(self.mobilisable_par),
                publics_details: self.publics_details.map(Some),
                fees_details: self.fees_details.map(Some),
            },
        ))
    }
}

/// Changes to an offer, based on the `version` read.
#[derive(InputObject, Clone, Debug)]
pub struct UpdateOfferInput {
    pub id: ID,
    /// The version the change is based on; a stale one is refused with CONFLICT.
    pub version: i32,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub kind: Option<OfferKind>,
    pub sector: Option<String>,
    pub publics: Option<Vec<Public>>,
    pub barriers: Option<Vec<Barrier>>,
    pub themes: Option<Vec<String>>,
    pub delivery_mode: Option<DeliveryMode>,
    /// `null`: back to the organisation's address.
    #[graphql(default)]
    pub location: MaybeUndefined<LocationInput>,
    #[graphql(default)]
    pub weekly_hours: MaybeUndefined<f64>,
    #[graphql(default)]
    pub duration_weeks: MaybeUndefined<i32>,
    #[graphql(default)]
    pub contract_type: MaybeUndefined<ContractType>,
    #[graphql(default)]
    pub open_positions: MaybeUndefined<i32>,
    pub fees: Option<Fees>,
    pub how_to_apply: Option<Vec<HowToApplyInput>>,
    #[graphql(default)]
    pub contact_name: MaybeUndefined<String>,
    #[graphql(default)]
    pub contact_email: MaybeUndefined<String>,
    #[graphql(default)]
    pub contact_phone: MaybeUndefined<String>,
    /// Replaces the ROME codes (an empty list removes them).
    pub rome_codes: Option<Vec<String>>,
    pub appellation_codes: Option<Vec<String>>,
    pub formacodes: Option<Vec<String>>,
    #[graphql(default)]
    pub host_company_number: MaybeUndefined<String>,
    #[graphql(default)]
    pub fit_for_disabled_workers: MaybeUndefined<DisabledWorkerFit>,
    pub mobilisable_par: Option<Vec<Mobiliser>>,
    #[graphql(default)]
    pub publics_details: MaybeUndefined<String>,
    #[graphql(default)]
    pub fees_details: MaybeUndefined<String>,
}

impl UpdateOfferInput {
    pub fn into_domain(self) -> Result<(i32, i32, OfferChanges), AppError> {
        let id = offer_id(&self.id, "id")?;
        Ok((
            id,
            self.version,
            OfferChanges {
                title: self.title,
                summary: self.summary,
                description: self.description,
                kind: self.kind.map(Into::into),
                sector_code: self.sector,
                publics: list(self.publics),
                barriers: list(self.barriers),
                themes: self.themes,
                delivery_mode: self.delivery_mode.map(Into::into),
                place: maybe(self.location),
                weekly_hours: maybe(self.weekly_hours),
                duration_weeks: maybe(self.duration_weeks),
                contract_type: maybe::<ContractType, db::ContractType>(self.contract_type),
                open_positions: maybe(self.open_positions),
                fees: self.fees.map(Into::into),
                how_to_apply: list(self.how_to_apply),
                contact_name: maybe(self.contact_name),
                contact_email: maybe(self.contact_email),
                contact_phone: maybe(self.contact_phone),
                rome_codes: self.rome_codes,
                appellation_codes: self.appellation_codes,
                formacodes: self.formacodes,
                host_company_number: maybe(self.host_company_number),
                fit_for_disabled_workers: maybe::<DisabledWorkerFit, db::DisabledWorkerFit>(
                    self.fit_for_disabled_workers,
                ),
                mobilisable_par: list(self.mobilisable_par),
                publics_details: maybe(self.publics_details),
                fees_details: maybe(self.fees_details),
            },
        ))
    }
}

/// Declares the `{ id, version }` inputs of mutations that change one object's state.
macro_rules! versioned_input {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(InputObject, Clone, Debug)]
        pub struct $name {
            pub id: ID,
            /// The version the change is based on; a stale one is refused with CONFLICT.
            pub version: i32,
        }
    )+};
}

versioned_input!(
    /// Publishes an offer (it must have a title, summary, kind, sector, a place or remote delivery, and a way to apply).
    PublishOfferInput,
    /// Suspends a published offer (hidden from partners until published again).
    SuspendOfferInput,
    /// Archives an offer.
    ArchiveOfferInput,
    /// Records that the offer was checked and is accurate.
    MarkOfferVerifiedInput,
    /// Cancels a session.
    CancelSlotInput,
    /// Archives an organisation and its offers.
    ArchiveOrganisationInput,
);

/// Two offers suggested as duplicates (`Offer.duplicates`), in either order.
#[derive(InputObject, Clone, Debug)]
pub struct DuplicatePairInput {
    pub offer_id: ID,
    pub duplicate_id: ID,
}

/// A session of an offer.
#[derive(InputObject, Clone, Debug)]
pub struct CreateSlotInput {
    pub offer_id: ID,
    pub starts_on: Date,
    /// Defaults to the start date.
    pub ends_on: Option<Date>,
    pub registration_opens_on: Option<Date>,
    pub registration_closes_on: Option<Date>,
    pub info_session_on: Option<Date>,
    pub seats_total: i32,
    pub seats_taken: Option<i32>,
    /// Defaults to OPEN.
    pub recruitment: Option<Recruitment>,
    pub schedule: Option<String>,
    pub remote: Option<bool>,
    /// When the session is held elsewhere than the offer's place.
    pub location: Option<LocationInput>,
}

impl CreateSlotInput {
    pub fn into_domain(self) -> Result<(i32, SlotChanges), AppError> {
        Ok((
            offer_id(&self.offer_id, "offerId")?,
            SlotChanges {
                starts_on: Some(self.starts_on.0),
                ends_on: self.ends_on.map(|d| d.0),
                registration_opens_on: self.registration_opens_on.map(|d| Some(d.0)),
                registration_closes_on: self.registration_closes_on.map(|d| Some(d.0)),
                info_session_on: self.info_session_on.map(|d| Some(d.0)),
                seats_total: Some(self.seats_total),
                seats_taken: self.seats_taken,
                recruitment: self.recruitment.map(Into::into),
                schedule: self.schedule.map(Some),
                remote: self.remote,
                place: self.location.map(|l| Some(l.into())),
            },
        ))
    }
}

/// Changes to a session.
#[derive(InputObject, Clone, Debug)]
pub struct UpdateSlotInput {
    pub id: ID,
    pub version: i32,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    #[graphql(default)]
    pub registration_opens_on: MaybeUndefined<Date>,
    #[graphql(default)]
    pub registration_closes_on: MaybeUndefined<Date>,
    #[graphql(default)]
    pub info_session_on: MaybeUndefined<Date>,
    pub seats_total: Option<i32>,
    pub seats_taken: Option<i32>,
    pub recruitment: Option<Recruitment>,
    #[graphql(default)]
    pub schedule: MaybeUndefined<String>,
    pub remote: Option<bool>,
    #[graphql(default)]
    pub location: MaybeUndefined<LocationInput>,
}

impl UpdateSlotInput {
    pub fn into_domain(self) -> Result<(i32, i32, SlotChanges), AppError> {
        let date = |d: MaybeUndefined<Date>| match d {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(d) => Some(Some(d.0)),
        };
        Ok((
            ids::decode_as(&self.id, NodeType::TrainingSlot, "id")?,
            self.version,
            SlotChanges {
                starts_on: self.starts_on.map(|d| d.0),
                ends_on: self.ends_on.map(|d| d.0),
                registration_opens_on: date(self.registration_opens_on),
                registration_closes_on: date(self.registration_closes_on),
                info_session_on: date(self.info_session_on),
                seats_total: self.seats_total,
                seats_taken: self.seats_taken,
                recruitment: self.recruitment.map(Into::into),
                schedule: maybe(self.schedule),
                remote: self.remote,
                place: maybe(self.location),
            },
        ))
    }
}

/// A residence zone.
#[derive(InputObject, Clone, Debug)]
pub struct ZoneInput {
    pub kind: ZoneKind,
    /// Commune or département codes, for COMMUNES and DEPARTEMENTS.
    #[graphql(default)]
    pub codes: Vec<String>,
}

/// One condition; give the parameters its kind needs.
#[derive(InputObject, Clone, Debug)]
pub struct EligibilityConditionInput {
    pub kind: ConditionKind,
    #[graphql(default = true)]
    pub mandatory: bool,
    #[graphql(default)]
    pub description: String,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub min_months_registered: Option<i32>,
    pub max_diploma_level: Option<i32>,
    pub zone: Option<ZoneInput>,
    pub language_level: Option<String>,
}

impl From<EligibilityConditionInput> for ConditionFields {
    fn from(c: EligibilityConditionInput) -> Self {
        Self {
            kind: c.kind.into(),
            mandatory: c.mandatory,
            description: c.description,
            min_age: c.min_age,
            max_age: c.max_age,
            min_months_registered: c.min_months_registered,
            max_diploma_level: c.max_diploma_level,
            zone_kind: c.zone.as_ref().map(|z| z.kind.into()),
            zone_codes: c.zone.map(|z| z.codes).unwrap_or_default(),
            language_level: c.language_level,
        }
    }
}

/// Replaces every condition of an offer at once.
#[derive(InputObject, Clone, Debug)]
pub struct SetEligibilityConditionsInput {
    pub offer_id: ID,
    /// The offer's version the list is based on.
    pub version: i32,
    pub conditions: Vec<EligibilityConditionInput>,
}

/// A testimonial; it waits for moderation.
#[derive(InputObject, Clone, Debug)]
pub struct SubmitTestimonialInput {
    pub offer_id: ID,
    pub author_name: String,
    #[graphql(default_with = "TestimonialRole::Trainee")]
    pub author_role: TestimonialRole,
    pub body: String,
    /// Month of the cohort, "YYYY-MM".
    pub cohort: Option<String>,
    /// The author agreed to publication (required).
    pub consent_given: bool,
    /// A short video of the testimonial (https); `transcript` is then required.
    pub video_url: Option<String>,
    /// What is said in the video, for people who cannot watch or hear it; text search reads it.
    pub transcript: Option<String>,
}

/// Approves a pending testimonial.
#[derive(InputObject, Clone, Debug)]
pub struct ApproveTestimonialInput {
    pub id: ID,
    pub version: Option<i32>,
}

/// Rejects a testimonial, saying why.
#[derive(InputObject, Clone, Debug)]
pub struct RejectTestimonialInput {
    pub id: ID,
    pub version: Option<i32>,
    pub reason: String,
}

/// A new organisation.
#[derive(InputObject, Clone, Debug)]
pub struct CreateOrganisationInput {
    pub name: String,
    pub kind: OrganisationKind,
    pub country: Country,
    pub company_number: Option<String>,
    pub location: LocationInput,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub opening_hours: Option<String>,
    pub accessibility_url: Option<String>,
}

impl From<CreateOrganisationInput> for OrganisationChanges {
    fn from(o: CreateOrganisationInput) -> Self {
        Self {
            name: Some(o.name),
            kind: Some(o.kind.into()),
            country: Some(o.country.into()),
            company_number: o.company_number.map(Some),
            place: Some(o.location.into()),
            email: o.email.map(Some),
            phone: o.phone.map(Some),
            website: o.website.map(Some),
            opening_hours: o.opening_hours.map(Some),
            accessibility_url: o.accessibility_url.map(Some),
        }
    }
}

/// Changes to an organisation.
#[derive(InputObject, Clone, Debug)]
pub struct UpdateOrganisationInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub country: Option<Country>,
    #[graphql(default)]
    pub company_number: MaybeUndefined<String>,
    pub location: Option<LocationInput>,
    #[graphql(default)]
    pub email: MaybeUndefined<String>,
    #[graphql(default)]
    pub phone: MaybeUndefined<String>,
    #[graphql(default)]
    pub website: MaybeUndefined<String>,
    #[graphql(default)]
    pub opening_hours: MaybeUndefined<String>,
    #[graphql(default)]
    pub accessibility_url: MaybeUndefined<String>,
}

impl UpdateOrganisationInput {
    pub fn into_domain(self) -> Result<(i32, i32, OrganisationChanges), AppError> {
        Ok((
            ids::decode_as(&self.id, NodeType::Organisation, "id")?,
            self.version,
            OrganisationChanges {
                name: self.name,
                kind: self.kind.map(Into::into),
                country: self.country.map(Into::into),
                company_number: maybe(self.company_number),
                place: self.location.map(Into::into),
                email: maybe(self.email),
                phone: maybe(self.phone),
                website: maybe(self.website),
                opening_hours: maybe(self.opening_hours),
                accessibility_url: maybe(self.accessibility_url),
            },
        ))
    }
}
