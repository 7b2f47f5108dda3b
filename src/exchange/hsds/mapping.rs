//! Catalogue rows → Open Referral HSDS 3.0 records (organization, service and what a fully
//! nested service carries: locations, schedules, costs, contacts, areas, attributes).
//!
//! HSDS 3.0 has no eligibility entity: eligibility is `eligibility_description`,
//! `minimum_age` and `maximum_age` on the service. Sessions are schedules (`valid_from`,
//! `valid_to`); data·inclusion codes (themes, publics) are attributes with taxonomy terms.
use chrono::{DateTime, SecondsFormat, Utc};
use entity::enums::{ApplyChannel, ConditionKind, Country, DeliveryMode, Fees, OfferStatus};
use entity::{eligibility_condition, offer, organisation, training_slot};
use serde::Serialize;

use super::ids::{Kind, named, uuid};
use crate::catalogue::apply::parse_methods;
use crate::catalogue::nested::OfferFacets;
use crate::catalogue::reference;
use crate::exchange::data_inclusion::mapping::condition_in_words;

/// The HSDS version these records follow.
pub const HSDS_VERSION: &str = "3.0";

/// `last_modified`: HSDS asks for a date-time with milliseconds.
fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    pub legal_status: String,
    /// Not in the HSDS list schema, which leaves room for it: what a harvester filters on.
    pub last_modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_identifiers: Option<Vec<Identifier>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<Phone>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<Location>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<Service>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identifier {
    pub id: String,
    pub organization_id: String,
    pub identifier_type: &'static str,
    pub identifier: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phone {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub id: String,
    pub location_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    pub addresses: Vec<Address>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Address {
    pub id: String,
    pub location_id: String,
    pub address_1: String,
    pub city: String,
    pub state_province: String,
    pub postal_code: String,
    pub country: &'static str,
    pub address_type: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_process: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fees_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligibility_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_age: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum_age: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assured_date: Option<String>,
    pub last_modified: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub nested: Option<Box<NestedService>>,
}

/// What a fully nested service adds to its one-to-one fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NestedService {
    pub organization: Organization,
    pub service_at_locations: Vec<ServiceAtLocation>,
    pub schedules: Vec<Schedule>,
    pub cost_options: Vec<CostOption>,
    pub phones: Vec<Phone>,
    pub contacts: Vec<Contact>,
    pub service_areas: Vec<ServiceArea>,
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceAtLocation {
    pub id: String,
    pub service_id: String,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schedule {
    pub id: String,
    pub service_id: String,
    pub valid_from: String,
    pub valid_to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostOption {
    pub id: String,
    pub service_id: String,
    pub option: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub id: String,
    pub service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceArea {
    pub id: String,
    pub service_id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    pub id: String,
    pub link_id: String,
    pub link_type: &'static str,
    pub link_entity: &'static str,
    pub taxonomy_term_id: String,
    pub taxonomy_term: TaxonomyTerm,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaxonomyTerm {
    pub id: String,
    pub code: String,
    pub name: String,
    pub description: String,
    pub taxonomy: &'static str,
    pub language: &'static str,
}

/// HSDS status of an offer: published offers are active; an offer that was published and
/// is no longer is inactive (suspended, back to draft) or defunct (archived), so that a
/// harvester following `modified_after` learns to take it down.
pub fn status(offer_status: OfferStatus) -> &'static str {
    match offer_status {
        OfferStatus::Published => "active",
        OfferStatus::Archived => "defunct",
        OfferStatus::Draft | OfferStatus::Suspended => "inactive",
    }
}

fn country(country: Country) -> &'static str {
    match country {
        Country::Fr => "FR",
        Country::Be => "BE",
    }
}

/// The one-to-one fields of an organisation (`/organizations`).
pub fn organization(source: &str, o: &organisation::Model) -> Organization {
    Organization {
        id: uuid(source, Kind::Organization, o.id.into(), 0).to_string(),
        name: o.name.clone(),
        // HSDS requires a description; the catalogue keeps none for organisations, so it
        // says what kind of structure it is and where.
        description: format!("{} ({}), {}", o.name, o.kind.code(), o.city),
        email: non_empty(o.email.as_deref()),
        website: non_empty(o.website.as_deref()),
        legal_status: o.kind.code().to_owned(),
        last_modified: instant(o.updated_at),
        organization_identifiers: None,
        phones: None,
        locations: None,
        services: None,
    }
}

/// An organisation with its identifiers, phone and address (`/organizations/{id}`).
pub fn full_organization(
    source: &str,
    o: &organisation::Model,
    services: Vec<Service>,
) -> Organization {
    let mut record = organization(source, o);
    let id = record.id.clone();
    record.organization_identifiers = Some(
        o.company_number
            .iter()
            .map(|number| Identifier {
                id: uuid(source, Kind::Identifier, o.id.into(), 0).to_string(),
                organization_id: id.clone(),
                identifier_type: match o.country {
                    Country::Fr => "SIRET",
                    Country::Be => "BCE",
                },
                identifier: number.clone(),
            })
            .collect(),
    );
    record.phones = Some(
        non_empty(o.phone.as_deref())
            .map(|number| Phone {
                id: uuid(source, Kind::Phone, o.id.into(), 1).to_string(),
                organization_id: Some(id.clone()),
                service_id: None,
                number,
            })
            .into_iter()
            .collect(),
    );
    let mut location = organisation_location(source, o);
    location.organization_id = Some(id);
    record.locations = Some(vec![location]);
    record.services = Some(services);
    record
}

fn organisation_location(source: &str, o: &organisation::Model) -> Location {
    place_location(
        source,
        // Organisations' locations are told apart from offers' by the record kind's `n`.
        (i64::from(o.id), 1),
        &o.name,
        Place {
            address: &o.address,
            postal_code: &o.postal_code,
            city: &o.city,
            departement: o.departement.as_deref(),
            country: o.country,
            latitude: o.latitude,
            longitude: o.longitude,
        },
    )
}

struct Place<'a> {
    address: &'a str,
    postal_code: &'a str,
    city: &'a str,
    departement: Option<&'a str>,
    country: Country,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

fn place_location(source: &str, (id, n): (i64, u16), name: &str, place: Place<'_>) -> Location {
    let location_id = uuid(source, Kind::Location, id, n).to_string();
    Location {
        id: location_id.clone(),
        location_type: "physical",
        organization_id: None,
        name: name.to_owned(),
        latitude: place.latitude,
        longitude: place.longitude,
        addresses: vec![Address {
            id: uuid(source, Kind::Address, id, n).to_string(),
            location_id,
            address_1: if place.address.trim().is_empty() {
                place.city.to_owned()
            } else {
                place.address.to_owned()
            },
            city: place.city.to_owned(),
            // HSDS requires it: the département (France) or the province's first postal
            // digits (Belgium) are what the catalogue knows of it.
            state_province: place
                .departement
                .map(str::to_owned)
                .unwrap_or_else(|| place.postal_code.chars().take(2).collect()),
            postal_code: place.postal_code.to_owned(),
            country: country(place.country),
            address_type: "physical",
        }],
    }
}

/// The one-to-one fields of an offer (`/services`).
pub fn service(
    source: &str,
    o: &offer::Model,
    conditions: &[eligibility_condition::Model],
) -> Service {
    let methods = parse_methods(&o.how_to_apply);
    let online = methods
        .iter()
        .find(|m| m.channel == ApplyChannel::Online)
        .and_then(|m| m.value.clone());
    let application_process = methods
        .iter()
        .map(|m| {
            let how = [m.value.as_deref(), m.instructions.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" — ");
            format!("{} : {how}", channel_words(m.channel))
        })
        .collect::<Vec<_>>();
    let age = conditions
        .iter()
        .find(|c| c.kind == ConditionKind::Age && c.mandatory);
    let eligibility: Vec<String> = non_empty(o.publics_details.as_deref())
        .into_iter()
        .chain(conditions.iter().map(condition_in_words))
        .collect();
    let description = if o.description.trim().is_empty() {
        o.summary.clone()
    } else {
        o.description.clone()
    };
    Service {
        id: uuid(source, Kind::Service, o.id.into(), 0).to_string(),
        organization_id: uuid(source, Kind::Organization, o.organisation_id.into(), 0).to_string(),
        name: o.title.clone(),
        description,
        url: online.or_else(|| o.source_url.clone()),
        email: non_empty(o.contact_email.as_deref()),
        status: status(o.status),
        application_process: (!application_process.is_empty())
            .then(|| application_process.join("\n")),
        fees_description: Some(fees_words(o.fees, o.fees_details.as_deref())),
        eligibility_description: (!eligibility.is_empty()).then(|| eligibility.join("\n")),
        minimum_age: age.and_then(|c| c.min_age),
        maximum_age: age.and_then(|c| c.max_age),
        assured_date: o.verified_at.map(|at| at.date_naive().to_string()),
        last_modified: instant(o.updated_at),
        nested: None,
    }
}

/// A record of an offer that is no longer published: enough for a harvester to take it
/// down, nothing more (it may have been withdrawn for what it said).
pub fn withdrawn_service(source: &str, o: &offer::Model) -> Service {
    Service {
        id: uuid(source, Kind::Service, o.id.into(), 0).to_string(),
        organization_id: uuid(source, Kind::Organization, o.organisation_id.into(), 0).to_string(),
        name: o.title.clone(),
        description: String::new(),
        url: None,
        email: None,
        status: status(o.status),
        application_process: None,
        fees_description: None,
        eligibility_description: None,
        minimum_age: None,
        maximum_age: None,
        assured_date: None,
        last_modified: instant(o.updated_at),
        nested: None,
    }
}

fn channel_words(channel: ApplyChannel) -> &'static str {
    match channel {
        ApplyChannel::Online => "En ligne",
        ApplyChannel::Email => "Par courriel",
        ApplyChannel::Phone => "Par téléphone",
        ApplyChannel::Visit => "Sur place",
        ApplyChannel::PrescriberReferral => "Sur orientation d'un prescripteur",
    }
}

fn fees_words(fees: Fees, details: Option<&str>) -> String {
    let words = match fees {
        Fees::Free => "Gratuit",
        Fees::Paid => "Payant",
    };
    match non_empty(details) {
        Some(details) => format!("{words}. {details}"),
        None => words.to_owned(),
    }
}

/// What a fully nested service reads besides its row.
pub struct Related<'a> {
    pub organisation: &'a organisation::Model,
    pub conditions: &'a [eligibility_condition::Model],
    pub slots: &'a [training_slot::Model],
    pub facets: &'a OfferFacets,
}

/// A service with everything HSDS nests in it (`/services/{id}`, `full=true`).
pub fn full_service(source: &str, o: &offer::Model, related: Related<'_>) -> Service {
    let mut record = service(source, o, related.conditions);
    let service_id = record.id.clone();
    let id = i64::from(o.id);
    let organisation = related.organisation;
    let mut locations = Vec::new();
    if o.delivery_mode != DeliveryMode::Remote {
        let location = match (&o.city, &o.postal_code) {
            (Some(city), Some(postal_code)) if !o.location_from_organisation => place_location(
                source,
                (id, 0),
                &o.title,
                Place {
                    address: o.address.as_deref().unwrap_or_default(),
                    postal_code,
                    city,
                    departement: o.departement.as_deref(),
                    country: o.country,
                    latitude: o.latitude,
                    longitude: o.longitude,
                },
            ),
            _ => organisation_location(source, organisation),
        };
        locations.push(ServiceAtLocation {
            id: uuid(source, Kind::ServiceAtLocation, id, 0).to_string(),
            service_id: service_id.clone(),
            location,
        });
    }
    let schedules = related
        .slots
        .iter()
        .map(|slot| Schedule {
            id: uuid(source, Kind::Schedule, slot.id.into(), 0).to_string(),
            service_id: service_id.clone(),
            valid_from: slot.starts_on.to_string(),
            valid_to: slot.ends_on.to_string(),
            description: non_empty(slot.schedule.as_deref()),
            notes: Some(slot_notes(slot)),
        })
        .collect();
    let service_areas = related
        .conditions
        .iter()
        .filter(|c| c.kind == ConditionKind::ResidenceZone)
        .map(|c| ServiceArea {
            id: uuid(source, Kind::ServiceArea, c.id.into(), 0).to_string(),
            service_id: service_id.clone(),
            name: c
                .zone_kind
                .map(|k| k.code().to_owned())
                .unwrap_or_else(|| "zone".to_owned()),
            description: condition_in_words(c),
        })
        .collect();
    let phones = non_empty(o.contact_phone.as_deref())
        .map(|number| Phone {
            id: uuid(source, Kind::Phone, id, 0).to_string(),
            organization_id: None,
            service_id: Some(service_id.clone()),
            number,
        })
        .into_iter()
        .collect();
    let contacts = (o.contact_name.is_some() || o.contact_email.is_some())
        .then(|| Contact {
            id: uuid(source, Kind::Contact, id, 0).to_string(),
            service_id: service_id.clone(),
            name: non_empty(o.contact_name.as_deref()),
            email: non_empty(o.contact_email.as_deref()),
        })
        .into_iter()
        .collect();
    let cost_options = vec![CostOption {
        id: uuid(source, Kind::CostOption, id, 0).to_string(),
        service_id: service_id.clone(),
        option: match o.fees {
            Fees::Free => "gratuit",
            Fees::Paid => "payant",
        },
        amount_description: non_empty(o.fees_details.as_deref()),
    }];
    let attributes = attributes(source, id, &service_id, related.facets);
    record.nested = Some(Box::new(NestedService {
        organization: organization(source, organisation),
        service_at_locations: locations,
        schedules,
        cost_options,
        phones,
        contacts,
        service_areas,
        attributes,
    }));
    record
}

fn slot_notes(slot: &training_slot::Model) -> String {
    // An imported session (LHÉO) may have no seat count; one that does not recruit says so.
    let mut notes = vec![match slot.seats_total {
        Some(total) => format!("{total} places, {} prises", slot.seats_taken),
        None => "nombre de places non communiqué".to_owned(),
    }];
    match slot.recruitment {
        entity::enums::Recruitment::Open => {}
        entity::enums::Recruitment::Closed => notes.push("recrutement fermé".to_owned()),
        entity::enums::Recruitment::Suspended => notes.push("recrutement suspendu".to_owned()),
    }
    match (slot.registration_opens_on, slot.registration_closes_on) {
        (Some(from), Some(to)) => notes.push(format!("inscriptions du {from} au {to}")),
        (None, Some(to)) => notes.push(format!("inscriptions jusqu'au {to}")),
        (Some(from), None) => notes.push(format!("inscriptions à partir du {from}")),
        (None, None) => {}
    }
    if let Some(on) = slot.info_session_on {
        notes.push(format!("réunion d'information le {on}"));
    }
    notes.join(" ; ")
}

/// Themes and publics as attributes whose taxonomy terms are data·inclusion codes.
fn attributes(source: &str, id: i64, service_id: &str, facets: &OfferFacets) -> Vec<Attribute> {
    let themes = facets
        .themes
        .iter()
        .map(|code| ("data-inclusion:thematiques", "Thematique", code.clone()));
    let publics = facets
        .publics
        .iter()
        .map(|p| ("data-inclusion:publics", "Public", p.code().to_owned()));
    themes
        .chain(publics)
        .enumerate()
        .map(|(n, (taxonomy, list, code))| {
            let n = u16::try_from(n + 1).unwrap_or(u16::MAX) & 0x3fff;
            let label = reference::list(list).iter().find(|c| c.code == code);
            let term_id =
                named(source, Kind::TaxonomyTerm, &format!("{taxonomy}/{code}")).to_string();
            Attribute {
                id: uuid(source, Kind::Attribute, id, n).to_string(),
                link_id: service_id.to_owned(),
                link_type: taxonomy,
                link_entity: "service",
                taxonomy_term_id: term_id.clone(),
                taxonomy_term: TaxonomyTerm {
                    id: term_id,
                    name: label
                        .map(|c| c.label.clone())
                        .unwrap_or_else(|| code.clone()),
                    description: label
                        .and_then(|c| c.description.clone())
                        .unwrap_or_default(),
                    code,
                    taxonomy,
                    language: "fr",
                },
            }
        })
        .collect()
}
