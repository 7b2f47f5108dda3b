//! Our fields ↔ data·inclusion v1 fields, in one place: an organisation becomes a `structure`,
//! an offer a `service`. Pure functions, no I/O.
//!
//! A value the schema cannot hold is left null, never cut: a Belgian company number (BCE) is
//! not a SIRET, a Belgian commune code (INS) is not an INSEE code, a Belgian postal code has
//! four digits where the schema wants five. A required field that cannot be represented (a
//! title over 150 characters) makes the whole record [`Unrepresentable`]: it is skipped and
//! reported, not shortened.
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::enums::{
    ApplyChannel, ConditionKind, Country, DeliveryMode, OfferKind, OrganisationKind, ZoneKind,
};
use entity::{eligibility_condition, offer, organisation};
use serde::Serialize;

use crate::catalogue::apply::{ApplyMethod, parse_methods};
use crate::catalogue::editing::validate;
use crate::catalogue::nested::OfferFacets;
use crate::geo_codes::{departement_of, is_commune_code, is_departement_code};
use crate::graphql::ids::{self, NodeType};

/// A data·inclusion `structure` (schema v1.0.8, `structure.json`), fields in the schema's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Structure {
    pub source: String,
    pub id: String,
    pub nom: String,
    pub siret: Option<String>,
    pub adresse: Option<String>,
    pub complement_adresse: Option<String>,
    pub code_postal: Option<String>,
    pub commune: Option<String>,
    pub code_insee: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub courriel: Option<String>,
    pub telephone: Option<String>,
    pub site_web: Option<String>,
    pub horaires_accueil: Option<String>,
    pub accessibilite_lieu: Option<String>,
    pub reseaux_porteurs: Option<Vec<String>>,
    pub description: Option<String>,
    pub date_maj: String,
    pub lien_source: Option<String>,
}

/// A data·inclusion `service` (schema v1.0.8, `service.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub source: String,
    pub id: String,
    pub structure_id: String,
    pub nom: String,
    pub description: String,
    #[serde(rename = "type")]
    pub type_: Option<&'static str>,
    pub thematiques: Option<Vec<String>>,
    pub publics: Option<Vec<&'static str>>,
    pub publics_precisions: Option<String>,
    pub frais: Option<&'static str>,
    pub frais_precisions: Option<String>,
    pub conditions_acces: Option<String>,
    pub modes_accueil: Option<Vec<&'static str>>,
    pub zone_eligibilite: Option<Vec<String>>,
    pub volume_horaire_hebdomadaire: Option<f64>,
    pub nombre_semaines: Option<i32>,
    pub modes_mobilisation: Option<Vec<&'static str>>,
    pub lien_mobilisation: Option<String>,
    pub mobilisable_par: Option<Vec<&'static str>>,
    pub mobilisation_precisions: Option<String>,
    pub contact_nom_prenom: Option<String>,
    pub courriel: Option<String>,
    pub telephone: Option<String>,
    pub horaires_accueil: Option<String>,
    pub adresse: Option<String>,
    pub complement_adresse: Option<String>,
    pub code_postal: Option<String>,
    pub commune: Option<String>,
    pub code_insee: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub date_maj: String,
    pub lien_source: Option<String>,
}

/// A record whose required field cannot hold our value: it is skipped, and reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrepresentable {
    pub field: &'static str,
    pub reason: String,
}

/// Where a record says it comes from: data·inclusion's `source` (the original producer),
/// `id` and `lien_source`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub source: String,
    pub id: String,
    pub lien_source: Option<String>,
}

/// Where one of our records comes from (its provenance columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    pub source: &'a str,
    pub external_id: Option<&'a str>,
    pub url: Option<&'a str>,
}

impl<'a> Origin<'a> {
    pub fn of_organisation(o: &'a organisation::Model) -> Self {
        Self {
            source: &o.source,
            external_id: o.external_id.as_deref(),
            url: o.source_url.as_deref(),
        }
    }

    pub fn of_offer(o: &'a offer::Model) -> Self {
        Self {
            source: &o.source,
            external_id: o.external_id.as_deref(),
            url: o.source_url.as_deref(),
        }
    }
}

/// The identity of our record `id`, given back under its original producer: a record
/// imported from `data-inclusion:dora` (or `lheo:carif-oref-hdf`) keeps `dora` (or
/// `carif-oref-hdf`) as `source`, its id there and its page as `lien_source`; a record
/// typed in here has this catalogue's name (`CATALOGUE_SOURCE`) and its global ID. `id`
/// combines producer and identifier, as data·inclusion ids do ("dora--42").
pub fn identity(own_source: &str, node_type: NodeType, id: i32, origin: Origin<'_>) -> Identity {
    match origin.external_id {
        Some(external_id) if origin.source != "manual" => {
            let producer = origin
                .source
                .rsplit_once(':')
                .map_or(origin.source, |(_, producer)| producer);
            let combined = if external_id.starts_with(&format!("{producer}--")) {
                external_id.to_owned()
            } else {
                format!("{producer}--{external_id}")
            };
            Identity {
                source: producer.to_owned(),
                id: combined,
                lien_source: origin.url.map(str::to_owned),
            }
        }
        _ => Identity {
            source: own_source.to_owned(),
            id: format!("{own_source}--{}", ids::encode(node_type, id).as_str()),
            lien_source: origin.url.map(str::to_owned),
        },
    }
}

/// `date_maj`: the day of the last change of the record.
fn date_maj(updated_at: DateTime<Utc>) -> String {
    updated_at.date_naive().format("%Y-%m-%d").to_string()
}

/// A text the schema bounds in characters (`nom`: 3 to 150), or why it does not fit.
fn bounded(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<String, Unrepresentable> {
    let value = value.trim();
    let length = value.chars().count();
    if (min..=max).contains(&length) {
        Ok(value.to_owned())
    } else {
        Err(Unrepresentable {
            field,
            reason: format!("{length} characters where data·inclusion takes {min} to {max}"),
        })
    }
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// A postal place in data·inclusion's fields.
#[derive(Debug, Clone, Default, PartialEq)]
struct Place {
    adresse: Option<String>,
    code_postal: Option<String>,
    commune: Option<String>,
    code_insee: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

/// The schema's postal and commune codes are French (five digits; INSEE): in Belgium both
/// are left null, the town's name and the coordinates still say where it is.
fn place(
    country: Country,
    address: Option<&str>,
    postal_code: Option<&str>,
    city: Option<&str>,
    commune_code: Option<&str>,
    latitude: Option<f64>,
    longitude: Option<f64>,
) -> Place {
    let french = country == Country::Fr;
    Place {
        adresse: non_empty(address),
        code_postal: non_empty(postal_code)
            .filter(|code| french && code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())),
        commune: non_empty(city),
        code_insee: non_empty(commune_code).filter(|code| french && is_commune_code(code)),
        latitude,
        longitude,
    }
}

/// The data·inclusion network (`ReseauPorteur`) that a French kind of structure is, so the
/// kind survives the export: v1 has no `typologie` field any more, and lists the SIAE kinds
/// among the networks. Belgian kinds (a Walloon EI is not a French EI) have none.
pub fn kind_network(kind: OrganisationKind, country: Country) -> Option<&'static str> {
    if country != Country::Fr {
        return None;
    }
    match kind {
        OrganisationKind::Aci => Some("aci"),
        OrganisationKind::Ei => Some("ei"),
        OrganisationKind::Etti => Some("etti"),
        OrganisationKind::Ai => Some("ai"),
        OrganisationKind::Eiti => Some("eiti"),
        OrganisationKind::Ea => Some("ea"),
        OrganisationKind::Geiq => Some("geiq"),
        _ => None,
    }
}

/// An organisation as a data·inclusion structure.
pub fn structure(
    source: &str,
    organisation: &organisation::Model,
) -> Result<Structure, Unrepresentable> {
    let identity = identity(
        source,
        NodeType::Organisation,
        organisation.id,
        Origin::of_organisation(organisation),
    );
    let french = organisation.country == Country::Fr;
    let place = place(
        organisation.country,
        Some(&organisation.address),
        Some(&organisation.postal_code),
        Some(&organisation.city),
        Some(&organisation.commune_code),
        organisation.latitude,
        organisation.longitude,
    );
    let mut networks: Vec<String> = Vec::new();
    let stored = serde_json::from_str::<Vec<String>>(&organisation.networks).unwrap_or_default();
    for network in kind_network(organisation.kind, organisation.country)
        .map(str::to_owned)
        .into_iter()
        .chain(stored)
    {
        if !networks.contains(&network) {
            networks.push(network);
        }
    }
    Ok(Structure {
        source: identity.source,
        id: identity.id,
        nom: bounded("nom", &organisation.name, 3, 150)?,
        // A SIRET is French; a Belgian BCE/KBO number has no place in this field.
        siret: non_empty(organisation.company_number.as_deref())
            .filter(|n| french && n.len() == 14 && n.bytes().all(|b| b.is_ascii_digit())),
        adresse: place.adresse,
        complement_adresse: None,
        code_postal: place.code_postal,
        commune: place.commune,
        code_insee: place.code_insee,
        latitude: place.latitude,
        longitude: place.longitude,
        courriel: non_empty(organisation.email.as_deref()),
        telephone: non_empty(organisation.phone.as_deref()),
        site_web: non_empty(organisation.website.as_deref()),
        horaires_accueil: non_empty(organisation.opening_hours.as_deref()),
        // The field is the Acceslibre page; another page (Belgium's Access-i) is not one.
        accessibilite_lieu: organisation.accessibility_url.as_deref().and_then(|url| {
            validate::accessibility_url("accessibilite_lieu", url, Country::Fr).ok()
        }),
        reseaux_porteurs: (!networks.is_empty()).then_some(networks),
        // We keep no description of an organisation.
        description: None,
        date_maj: date_maj(organisation.updated_at),
        lien_source: identity.lien_source,
    })
}

/// data·inclusion `TypeService` of an offer kind. A work placement (immersion, PMSMP) and a
/// supported job (CDDI…) are both the support of an insertion pathway: `accompagnement`, the
/// nearest of the six types (the kind itself is not recoverable from it).
pub fn service_type(kind: OfferKind) -> &'static str {
    match kind {
        OfferKind::Training => "formation",
        OfferKind::Workshop => "atelier",
        OfferKind::InformationSession => "information",
        OfferKind::SupportProgramme | OfferKind::WorkPlacement | OfferKind::SupportedJob => {
            "accompagnement"
        }
    }
}

/// `modes_accueil` of a delivery mode (hybrid: both).
pub fn modes_accueil(mode: DeliveryMode) -> Vec<&'static str> {
    match mode {
        DeliveryMode::OnSite => vec!["en-presentiel"],
        DeliveryMode::Remote => vec!["a-distance"],
        DeliveryMode::Hybrid => vec!["en-presentiel", "a-distance"],
    }
}

/// The kind of an offer of a data·inclusion `type`: the inverse of [`service_type`], the
/// three kinds that share `accompagnement` coming back as SUPPORT_PROGRAMME; financial and
/// material aid, which we have no kind for, are the support they are part of.
pub fn offer_kind(type_: &str) -> Option<OfferKind> {
    match type_ {
        "accompagnement" | "aide-financiere" | "aide-materielle" => {
            Some(OfferKind::SupportProgramme)
        }
        _ => OfferKind::ALL
            .iter()
            .copied()
            .find(|kind| service_type(*kind) == type_),
    }
}

/// The delivery mode of `modes_accueil` (the inverse of [`modes_accueil`]); none given is on
/// site. `Err` names the first code that is not one of the schema's.
pub fn delivery_mode(modes: &[String]) -> Result<DeliveryMode, usize> {
    let mut given: Vec<&str> = Vec::with_capacity(modes.len());
    for (i, mode) in modes.iter().enumerate() {
        if !["en-presentiel", "a-distance"].contains(&mode.as_str()) {
            return Err(i);
        }
        if !given.contains(&mode.as_str()) {
            given.push(mode);
        }
    }
    given.sort_unstable();
    Ok(DeliveryMode::ALL
        .iter()
        .copied()
        .find(|mode| {
            let mut codes = modes_accueil(*mode);
            codes.sort_unstable();
            codes == given
        })
        .unwrap_or(DeliveryMode::OnSite))
}

/// The kind of a structure from its `reseaux_porteurs` (the inverse of [`kind_network`]):
/// the first network that is a French kind of ours (`aci`, `ei`…), else France Travail, else
/// OTHER — v1 has no typology, and an association is not told apart from any other body.
pub fn organisation_kind(networks: &[String]) -> OrganisationKind {
    networks
        .iter()
        .find_map(|network| {
            OrganisationKind::ALL
                .iter()
                .copied()
                .find(|kind| kind_network(*kind, Country::Fr) == Some(network.as_str()))
        })
        .or_else(|| {
            networks
                .iter()
                .any(|n| n == "france-travail")
                .then_some(OrganisationKind::PublicEmploymentService)
        })
        .unwrap_or(OrganisationKind::Other)
}

/// A residence zone as codes of the Code officiel géographique.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Zone {
    Communes(BTreeSet<String>),
    Departements(BTreeSet<String>),
}

impl Zone {
    /// The zone of a mandatory residence condition, when it is a list of French codes
    /// (QPV and ZRR are no list of codes; Belgian INS codes are not INSEE codes).
    fn of(condition: &eligibility_condition::Model, country: Country) -> Option<Self> {
        if condition.kind != ConditionKind::ResidenceZone
            || !condition.mandatory
            || country != Country::Fr
        {
            return None;
        }
        let codes: BTreeSet<String> = serde_json::from_str::<Vec<String>>(&condition.zone_codes)
            .unwrap_or_default()
            .into_iter()
            .map(|code| code.trim().to_uppercase())
            .collect();
        match condition.zone_kind? {
            ZoneKind::Communes if codes.iter().all(|c| is_commune_code(c)) => {
                Some(Self::Communes(codes))
            }
            ZoneKind::Departements if codes.iter().all(|c| is_departement_code(c)) => {
                Some(Self::Departements(codes))
            }
            _ => None,
        }
        .filter(|zone| !zone.codes().is_empty())
    }

    fn codes(&self) -> &BTreeSet<String> {
        match self {
            Self::Communes(codes) | Self::Departements(codes) => codes,
        }
    }

    /// Where both hold: every mandatory condition must be met.
    fn intersect(self, other: Self) -> Self {
        let in_departements = |communes: BTreeSet<String>, departements: &BTreeSet<String>| {
            communes
                .into_iter()
                .filter(|c| departement_of(c).is_some_and(|d| departements.contains(d)))
                .collect()
        };
        match (self, other) {
            (Self::Communes(a), Self::Communes(b)) => Self::Communes(&a & &b),
            (Self::Departements(a), Self::Departements(b)) => Self::Departements(&a & &b),
            (Self::Communes(c), Self::Departements(d))
            | (Self::Departements(d), Self::Communes(c)) => Self::Communes(in_departements(c, &d)),
        }
    }
}

/// A condition in words: the editor's sentence, or one made from its fields.
pub fn condition_in_words(condition: &eligibility_condition::Model) -> String {
    let said = condition.description.trim();
    let words = if said.is_empty() {
        generated_words(condition)
    } else {
        said.to_owned()
    };
    if condition.mandatory {
        words
    } else {
        format!("Souhaité : {words}")
    }
}

fn generated_words(c: &eligibility_condition::Model) -> String {
    let codes = || {
        serde_json::from_str::<Vec<String>>(&c.zone_codes)
            .unwrap_or_default()
            .join(", ")
    };
    match c.kind {
        ConditionKind::Age => match (c.min_age, c.max_age) {
            (Some(min), Some(max)) => format!("Avoir entre {min} et {max} ans."),
            (Some(min), None) => format!("Avoir {min} ans ou plus."),
            (None, Some(max)) => format!("Avoir {max} ans au plus."),
            (None, None) => "Condition d'âge.".to_owned(),
        },
        ConditionKind::IaeCriteria => {
            "Être éligible à l'insertion par l'activité économique (critères administratifs de niveau 1 ou 2, ou orientation par un prescripteur habilité).".to_owned()
        }
        ConditionKind::JobSeeker => match c.min_months_registered {
            Some(months) if months > 0 => {
                format!("Être inscrit·e comme demandeur·se d'emploi depuis {months} mois ou plus.")
            }
            _ => "Être inscrit·e comme demandeur·se d'emploi.".to_owned(),
        },
        ConditionKind::MaxDiplomaLevel => match c.max_diploma_level {
            Some(level) => format!("Niveau de diplôme {level} au plus."),
            None => "Niveau de diplôme limité.".to_owned(),
        },
        ConditionKind::ResidenceZone => match c.zone_kind {
            Some(ZoneKind::Qpv) => {
                "Résider dans un quartier prioritaire de la politique de la ville (QPV).".to_owned()
            }
            Some(ZoneKind::Zrr) => {
                "Résider en zone de revitalisation rurale (ZRR / FRR).".to_owned()
            }
            Some(ZoneKind::Communes) => format!("Résider dans l'une des communes {}.", codes()),
            Some(ZoneKind::Departements) => {
                format!("Résider dans l'un des départements {}.", codes())
            }
            None => "Condition de résidence.".to_owned(),
        },
        ConditionKind::RecognisedDisability => {
            "Avoir une reconnaissance de handicap (RQTH en France, AViQ en Wallonie).".to_owned()
        }
        ConditionKind::PrescriptionRequired => {
            "Être orienté·e par un prescripteur habilité.".to_owned()
        }
        ConditionKind::DrivingLicence => "Avoir le permis de conduire.".to_owned(),
        ConditionKind::LanguageLevel => match c.language_level.as_deref() {
            Some(level) => format!("Parler français au niveau {level} au moins."),
            None => "Parler français.".to_owned(),
        },
        ConditionKind::CispRule => {
            "Remplir les conditions d'accès aux CISP (décret wallon du 10 juillet 2013, article 5).".to_owned()
        }
        ConditionKind::FreeText => "Condition particulière.".to_owned(),
    }
}

/// `zone_eligibilite` and `conditions_acces`: the mandatory residence zones that are lists of
/// French codes become the zone (several: where all hold); every other condition is said in
/// words, one per line. Zones that leave nobody (two lists with nothing in common) stay in
/// words too.
fn zone_and_conditions(
    conditions: &[eligibility_condition::Model],
    country: Country,
) -> (Option<Vec<String>>, Option<String>) {
    let zones: Vec<(usize, Zone)> = conditions
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Zone::of(c, country).map(|zone| (i, zone)))
        .collect();
    let used: Vec<usize> = zones.iter().map(|(i, _)| *i).collect();
    let zone = zones
        .into_iter()
        .map(|(_, zone)| zone)
        .reduce(Zone::intersect)
        .filter(|zone| !zone.codes().is_empty());
    let lines: Vec<String> = conditions
        .iter()
        .enumerate()
        .filter(|(i, _)| zone.is_none() || !used.contains(i))
        .map(|(_, c)| condition_in_words(c))
        .collect();
    (
        zone.map(|zone| zone.codes().iter().cloned().collect()),
        (!lines.is_empty()).then(|| lines.join("\n")),
    )
}

/// How to apply: `modes_mobilisation`, `lien_mobilisation`, `courriel`, `telephone`,
/// `mobilisable_par` and, for what has no field of its own, `mobilisation_precisions`.
#[derive(Debug, Default, PartialEq)]
struct Mobilisation {
    modes: Vec<&'static str>,
    lien: Option<String>,
    courriel: Option<String>,
    telephone: Option<String>,
    par: Vec<&'static str>,
    precisions: Vec<String>,
}

fn mobilisation(offer: &offer::Model, methods: &[ApplyMethod]) -> Mobilisation {
    let mut out = Mobilisation {
        courriel: non_empty(offer.contact_email.as_deref()),
        telephone: non_empty(offer.contact_phone.as_deref()),
        ..Mobilisation::default()
    };
    for code in serde_json::from_str::<Vec<String>>(&offer.mobilisable_par).unwrap_or_default() {
        if let Some(mobiliser) = entity::enums::Mobiliser::from_code(&code)
            && !out.par.contains(&mobiliser.code())
        {
            out.par.push(mobiliser.code());
        }
    }
    for method in methods {
        let value = non_empty(method.value.as_deref());
        // The value goes to its own field when that field is free; otherwise to the precisions.
        let unplaced = match method.channel {
            ApplyChannel::Email => place_value(&mut out.courriel, value),
            ApplyChannel::Phone => place_value(&mut out.telephone, value),
            ApplyChannel::Online => place_value(&mut out.lien, value),
            ApplyChannel::Visit => value,
            ApplyChannel::PrescriberReferral => {
                // Not a data·inclusion mode: said in the precisions, and professionals may refer.
                if !out.par.contains(&"professionnels") {
                    out.par.push("professionnels");
                }
                value
            }
        };
        if method.channel != ApplyChannel::PrescriberReferral
            && !out.modes.contains(&method.channel.code())
        {
            out.modes.push(method.channel.code());
        }
        let said: Vec<String> = unplaced
            .into_iter()
            .chain(non_empty(method.instructions.as_deref()))
            .collect();
        if !said.is_empty() || method.channel == ApplyChannel::PrescriberReferral {
            let label = channel_label(method.channel);
            out.precisions.push(if said.is_empty() {
                format!("{label}.")
            } else {
                format!("{label} : {}", said.join(" — "))
            });
        }
    }
    out
}

/// Puts `value` in `slot` when it is empty or holds the same; returns it when it did not fit.
fn place_value(slot: &mut Option<String>, value: Option<String>) -> Option<String> {
    match (slot.as_ref(), value) {
        (_, None) => None,
        (None, Some(value)) => {
            *slot = Some(value);
            None
        }
        (Some(current), Some(value)) if *current == value => None,
        (Some(_), Some(value)) => Some(value),
    }
}

fn channel_label(channel: ApplyChannel) -> &'static str {
    match channel {
        ApplyChannel::Email => "Par courriel",
        ApplyChannel::Visit => "Se présenter",
        ApplyChannel::Phone => "Par téléphone",
        ApplyChannel::Online => "En ligne",
        ApplyChannel::PrescriberReferral => "Sur orientation d'un prescripteur habilité",
    }
}

/// An offer as a data·inclusion service. `organisation` gives the place of an offer that has
/// none of its own.
pub fn service(
    source: &str,
    offer: &offer::Model,
    organisation: &organisation::Model,
    facets: &OfferFacets,
    conditions: &[eligibility_condition::Model],
) -> Result<Service, Unrepresentable> {
    let identity = identity(source, NodeType::Offer, offer.id, Origin::of_offer(offer));
    let structure = self::identity(
        source,
        NodeType::Organisation,
        organisation.id,
        Origin::of_organisation(organisation),
    );
    // The description is required (5 to 10,000 characters): a short one gives way to the
    // summary, since v1 has no field for a summary of its own.
    let description = if offer.description.trim().chars().count() >= 5 {
        bounded("description", &offer.description, 5, 10_000)?
    } else {
        bounded("description", &offer.summary, 5, 10_000)?
    };
    let own_place = offer.commune_code.is_some() || offer.address.is_some();
    let place = if own_place {
        place(
            offer.country,
            offer.address.as_deref(),
            offer.postal_code.as_deref(),
            offer.city.as_deref(),
            offer.commune_code.as_deref(),
            offer.latitude,
            offer.longitude,
        )
    } else {
        place(
            organisation.country,
            Some(&organisation.address),
            Some(&organisation.postal_code),
            Some(&organisation.city),
            Some(&organisation.commune_code),
            organisation.latitude,
            organisation.longitude,
        )
    };
    let (zone_eligibilite, conditions_acces) = zone_and_conditions(conditions, offer.country);
    let how = mobilisation(offer, &parse_methods(&offer.how_to_apply));
    Ok(Service {
        source: identity.source,
        id: identity.id,
        structure_id: structure.id,
        nom: bounded("nom", &offer.title, 3, 150)?,
        description,
        type_: Some(service_type(offer.kind)),
        thematiques: (!facets.themes.is_empty()).then(|| facets.themes.clone()),
        publics: (!facets.publics.is_empty())
            .then(|| facets.publics.iter().map(|p| p.code()).collect()),
        publics_precisions: non_empty(offer.publics_details.as_deref()),
        frais: Some(offer.fees.code()),
        frais_precisions: non_empty(offer.fees_details.as_deref()),
        conditions_acces,
        modes_accueil: Some(modes_accueil(offer.delivery_mode)),
        zone_eligibilite,
        volume_horaire_hebdomadaire: offer.weekly_hours,
        nombre_semaines: offer.duration_weeks,
        modes_mobilisation: (!how.modes.is_empty()).then_some(how.modes),
        lien_mobilisation: how.lien,
        mobilisable_par: (!how.par.is_empty()).then_some(how.par),
        mobilisation_precisions: (!how.precisions.is_empty()).then(|| how.precisions.join("\n")),
        contact_nom_prenom: non_empty(offer.contact_name.as_deref()),
        courriel: how.courriel,
        telephone: how.telephone,
        // Offers keep no opening hours of their own: the structure's apply (the schema says so).
        horaires_accueil: None,
        adresse: place.adresse,
        complement_adresse: None,
        code_postal: place.code_postal,
        commune: place.commune,
        code_insee: place.code_insee,
        latitude: place.latitude,
        longitude: place.longitude,
        date_maj: date_maj(offer.updated_at),
        lien_source: identity.lien_source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn residence(kind: ZoneKind, codes: &[&str], mandatory: bool) -> eligibility_condition::Model {
        eligibility_condition::Model {
            id: 1,
            offer_id: 1,
            position: 0,
            kind: ConditionKind::ResidenceZone,
            mandatory,
            description: String::new(),
            min_age: None,
            max_age: None,
            min_months_registered: None,
            max_diploma_level: None,
            zone_kind: Some(kind),
            zone_codes: serde_json::json!(codes).to_string(),
            language_level: None,
        }
    }

    #[test]
    fn a_mandatory_list_of_french_codes_becomes_the_zone_and_leaves_the_words() {
        let conditions = [residence(ZoneKind::Communes, &["59350", "59512"], true)];
        let (zone, words) = zone_and_conditions(&conditions, Country::Fr);
        assert_eq!(zone, Some(vec!["59350".to_owned(), "59512".to_owned()]));
        assert_eq!(words, None);
    }

    #[test]
    fn several_zones_give_where_all_hold() {
        let conditions = [
            residence(ZoneKind::Communes, &["59350", "62041", "69123"], true),
            residence(ZoneKind::Departements, &["59", "62"], true),
        ];
        let (zone, _) = zone_and_conditions(&conditions, Country::Fr);
        assert_eq!(zone, Some(vec!["59350".to_owned(), "62041".to_owned()]));
        let disjoint = [
            residence(ZoneKind::Departements, &["59"], true),
            residence(ZoneKind::Departements, &["69"], true),
        ];
        let (zone, words) = zone_and_conditions(&disjoint, Country::Fr);
        assert_eq!(zone, None);
        assert_eq!(words.map(|w| w.lines().count()), Some(2));
    }

    #[test]
    fn qpv_belgian_and_preferred_zones_are_said_in_words() {
        let (zone, words) =
            zone_and_conditions(&[residence(ZoneKind::Qpv, &[], true)], Country::Fr);
        assert_eq!(zone, None);
        assert!(words.is_some_and(|w| w.contains("QPV")));
        let (zone, words) = zone_and_conditions(
            &[residence(ZoneKind::Communes, &["62063"], true)],
            Country::Be,
        );
        assert_eq!(zone, None);
        assert!(words.is_some_and(|w| w.contains("62063")));
        let (zone, words) = zone_and_conditions(
            &[residence(ZoneKind::Departements, &["59"], false)],
            Country::Fr,
        );
        assert_eq!(zone, None);
        assert!(words.is_some_and(|w| w.starts_with("Souhaité : ")));
    }

    #[test]
    fn a_value_that_does_not_fit_another_field_goes_to_the_precisions() {
        let mut slot = Some("a@example.org".to_owned());
        assert_eq!(place_value(&mut slot, Some("a@example.org".into())), None);
        assert_eq!(
            place_value(&mut slot, Some("b@example.org".into())),
            Some("b@example.org".to_owned())
        );
        let mut empty = None;
        assert_eq!(place_value(&mut empty, Some("c@example.org".into())), None);
        assert_eq!(empty.as_deref(), Some("c@example.org"));
    }

    #[test]
    fn every_kind_has_a_type_of_the_schema() {
        for kind in OfferKind::ALL {
            assert!(
                [
                    "accompagnement",
                    "aide-financiere",
                    "aide-materielle",
                    "atelier",
                    "formation",
                    "information"
                ]
                .contains(&service_type(*kind))
            );
        }
        assert_eq!(kind_network(OrganisationKind::Ei, Country::Be), None);
    }

    #[test]
    fn the_import_reads_back_what_the_export_writes() {
        for kind in OfferKind::ALL {
            let back = offer_kind(service_type(*kind)).expect("a kind");
            assert_eq!(service_type(back), service_type(*kind));
        }
        assert_eq!(offer_kind("formation"), Some(OfferKind::Training));
        assert_eq!(
            offer_kind("aide-materielle"),
            Some(OfferKind::SupportProgramme)
        );
        assert_eq!(offer_kind("autre"), None);
        for mode in DeliveryMode::ALL {
            let codes: Vec<String> = modes_accueil(*mode).into_iter().map(String::from).collect();
            assert_eq!(delivery_mode(&codes), Ok(*mode));
        }
        assert_eq!(delivery_mode(&[]), Ok(DeliveryMode::OnSite));
        assert_eq!(delivery_mode(&["sur-la-lune".to_owned()]), Err(0));
        for kind in OrganisationKind::ALL {
            if let Some(network) = kind_network(*kind, Country::Fr) {
                assert_eq!(
                    organisation_kind(&["adie".to_owned(), network.to_owned()]),
                    *kind
                );
            }
        }
        assert_eq!(organisation_kind(&[]), OrganisationKind::Other);
        assert_eq!(kind_network(OrganisationKind::Ei, Country::Fr), Some("ei"));
    }
}
