//! Where LHÉO's elements meet our fields: a `formation` into organisations and offers of the
//! bundle format (for the importer), and the code tables the export reads the other way.
//!
//! An `action` is one offer (a formation's title, objective and content are shared by its
//! actions); each dated `session` is one of its sessions, with no seat count (LHÉO has none)
//! and `etat-recrutement` as its recruitment. The offer's organisation is the action's first
//! `organisme-formateur` when that one says where it is, else the formation's
//! `organisme-formation-responsable`; organisations are known by their SIRET.
use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{
    ApplyChannel, ConditionKind, DeliveryMode, Fees, OccupationSystem, OfferKind, OfferStatus,
    OrganisationKind, Public, Recruitment,
};

use super::xml::Element;
use crate::catalogue::text::fold;
use crate::exchange::bundle::format::{self, Key};
use crate::exchange::bundle::import::Parsed;
use crate::exchange::data_inclusion::import::sector_of;
use crate::exchange::report::Problem;

/// The sector of an offer whose title names none (see `data_inclusion::import::sector_of`).
pub const DEFAULT_SECTOR: &str = "PERSONAL_SERVICES";

/// Our publics and LHÉO's `code-public-vise` (FORMACODE "public" descriptors), where one is
/// the other; the others have no counterpart and are not carried.
pub const PUBLICS: &[(Public, &str)] = &[
    (Public::Everyone, "80056"),
    (Public::Employed, "80058"),
    (Public::JobSeekers, "80011"),
    (Public::Women, "80018"),
    (Public::YoungPeople, "80024"),
    (Public::PeopleWithDisabilities, "80020"),
    (Public::Exiles, "80042"),
];

/// `code-public-vise` "autre public": an offer whose publics have no LHÉO code.
pub const OTHER_PUBLIC: &str = "80999";

/// The text of a mandatory free-text element the catalogue has nothing for.
pub const NOT_SAID: &str = "Non renseigné";

/// `conditions-specifiques` when an offer has none (the element is mandatory).
pub const NO_CONDITIONS: &str = "Aucune";

/// `modalites-enseignement`: 0 entirely on site, 1 mixed, 2 entirely remote.
pub fn teaching_mode(mode: DeliveryMode) -> &'static str {
    match mode {
        DeliveryMode::OnSite => "0",
        DeliveryMode::Hybrid => "1",
        DeliveryMode::Remote => "2",
    }
}

fn delivery_mode(code: Option<&str>) -> Result<DeliveryMode, String> {
    match code {
        None | Some("0") => Ok(DeliveryMode::OnSite),
        Some("1") => Ok(DeliveryMode::Hybrid),
        Some("2") => Ok(DeliveryMode::Remote),
        Some(other) => Err(format!("{other:?} is not 0, 1 or 2")),
    }
}

/// `etat-recrutement`: 1 open, 2 closed, 3 suspended.
pub fn recruitment_code(recruitment: Recruitment) -> &'static str {
    match recruitment {
        Recruitment::Open => "1",
        Recruitment::Closed => "2",
        Recruitment::Suspended => "3",
    }
}

fn recruitment(code: Option<&str>) -> Result<Recruitment, String> {
    match code {
        None | Some("1") => Ok(Recruitment::Open),
        Some("2") => Ok(Recruitment::Closed),
        Some("3") => Ok(Recruitment::Suspended),
        Some(other) => Err(format!(
            "{other:?} is not 1 (open), 2 (closed) or 3 (suspended)"
        )),
    }
}

/// `modalite-recrutement` of an information session.
pub const INFORMATION_SESSION: &str = "9";

/// An LHÉO date, `AAAAMMJJ`.
pub fn lheo_date(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// Dates LHÉO writes for "not dated" (`00000000`, or `99999999` for permanent entries).
fn undated(value: &str) -> bool {
    value.chars().all(|c| c == '0') || value.chars().all(|c| c == '9')
}

fn date(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y%m%d")
        .map_err(|_| format!("{value:?} is not a date (AAAAMMJJ)"))
}

/// A field (a path under the record's position) and why the record cannot be imported.
type Refusal = (String, String);

fn refusal(field: impl Into<String>, reason: impl Into<String>) -> Refusal {
    (field.into(), reason.into())
}

fn required(element: &Element, path: &[&str]) -> Result<String, Refusal> {
    element
        .text_at(path)
        .ok_or_else(|| refusal(path.join("/"), "required here: the catalogue needs it"))
}

/// What the mapping of a whole file keeps from one formation to the next.
pub struct Context {
    /// `lheo:<name>`.
    pub source: String,
    /// When a record says nothing of its creation and change (see [`instants`]).
    pub fallback: DateTime<Utc>,
    /// Organisations already handed to the importer (by SIRET): one organisation runs many
    /// formations, and the importer takes each record once.
    emitted: HashSet<String>,
}

impl Context {
    pub fn new(source: &str, fallback: DateTime<Utc>) -> Self {
        Self {
            source: source.to_owned(),
            fallback,
            emitted: HashSet::new(),
        }
    }

    fn key(&self, external_id: &str) -> Key {
        Key {
            source: self.source.clone(),
            external_id: external_id.to_owned(),
        }
    }
}

fn timestamp(value: Option<&str>) -> Option<DateTime<Utc>> {
    let value = value?;
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|t| t.and_utc())
        })
}

/// Creation and change instants from the `horodatage-*` attributes of the elements (the first
/// that has them), else the file's `horodatage-export`, else the Unix epoch: an import must
/// give the same record twice, so never "now".
fn instants(ctx: &Context, elements: &[&Element]) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = |name: &str| elements.iter().find_map(|e| timestamp(e.attribute(name)));
    let created = first("horodatage-creation");
    let modified = first("horodatage-modification");
    let created = created.or(modified).unwrap_or(ctx.fallback);
    (created, modified.unwrap_or(created))
}

/// An `adresse`: one line of `ligne`s, postal code, town, INSEE code, coordinates.
struct Address {
    lines: Option<String>,
    postal_code: String,
    city: String,
    commune_code: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

fn address(adresse: &Element, path: &str) -> Result<Address, Refusal> {
    let lines: Vec<String> = adresse
        .children("ligne")
        .filter_map(Element::own_text)
        .collect();
    let coordinate = |name: &str| -> Result<Option<f64>, Refusal> {
        adresse
            .text_at(&["geolocalisation", name])
            .map(|v| {
                v.replace(',', ".").parse::<f64>().map_err(|_| {
                    refusal(
                        format!("{path}/geolocalisation/{name}"),
                        format!("{v:?} is not a number"),
                    )
                })
            })
            .transpose()
    };
    let field = |name: &str| {
        adresse.text_at(&[name]).ok_or_else(|| {
            refusal(
                format!("{path}/{name}"),
                "required here: the catalogue places every organisation and site in a commune",
            )
        })
    };
    Ok(Address {
        lines: (!lines.is_empty()).then(|| lines.join(", ")),
        postal_code: field("codepostal")?,
        city: field("ville")?,
        commune_code: field("code-INSEE-commune")?.to_uppercase(),
        latitude: coordinate("latitude")?,
        longitude: coordinate("longitude")?,
    })
}

/// A web address as LHÉO files often give it (`www.…`) made a URL.
fn url(value: Option<String>) -> Option<String> {
    value.map(|v| {
        if v.starts_with("www.") {
            format!("https://{v}")
        } else {
            v
        }
    })
}

/// Phone, e-mail and web site of a `coordonnees`.
struct Reach {
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
}

fn reach(coordonnees: Option<&Element>) -> Reach {
    let text = |path: &[&str]| coordonnees.and_then(|c| c.text_at(path));
    let name = match (text(&["prenom"]), text(&["nom"])) {
        (Some(first), Some(last)) => Some(format!("{first} {last}")),
        (first, last) => last.or(first),
    };
    Reach {
        name,
        phone: text(&["telfixe", "numtel"]).or_else(|| text(&["portable", "numtel"])),
        email: text(&["courriel"]),
        website: url(text(&["web", "urlweb"])),
    }
}

fn organisation(
    ctx: &Context,
    siret: String,
    name: String,
    coordonnees: &Element,
    path: &str,
    stamped: &[&Element],
) -> Result<format::Organisation, Refusal> {
    let adresse = coordonnees.child("adresse").ok_or_else(|| {
        refusal(
            format!("{path}/adresse"),
            "required here: an organisation has an address",
        )
    })?;
    let place = address(adresse, &format!("{path}/adresse"))?;
    let reach = reach(Some(coordonnees));
    let (created_at, updated_at) = instants(ctx, stamped);
    let key = ctx.key(&siret);
    Ok(format::Organisation {
        source: key.source,
        external_id: key.external_id,
        source_url: None,
        name,
        kind: OrganisationKind::TrainingBody.code().to_owned(),
        country: "FR".to_owned(),
        company_number: Some(siret),
        address: place.lines.ok_or_else(|| {
            refusal(
                format!("{path}/adresse/ligne"),
                "required here: an organisation has a street address",
            )
        })?,
        postal_code: place.postal_code,
        city: place.city,
        commune_code: place.commune_code,
        latitude: place.latitude,
        longitude: place.longitude,
        email: reach.email,
        phone: reach.phone,
        website: reach.website,
        opening_hours: None,
        accessibility_url: None,
        networks: Vec::new(),
        verified_at: None,
        archived_at: None,
        created_at,
        updated_at,
    })
}

/// The `organisme-formation-responsable`.
fn responsible(ctx: &Context, e: &Element) -> Result<format::Organisation, Refusal> {
    const PATH: &str = "organisme-formation-responsable";
    let siret = e
        .text_at(&["SIRET-organisme-formation", "SIRET"])
        .ok_or_else(|| {
            refusal(
                format!("{PATH}/SIRET-organisme-formation/SIRET"),
                "required",
            )
        })?;
    let name = e
        .text_at(&["nom-organisme"])
        .or_else(|| e.text_at(&["raison-sociale"]))
        .ok_or_else(|| refusal(format!("{PATH}/nom-organisme"), "required"))?;
    let coordonnees = e
        .at(&["coordonnees-organisme", "coordonnees"])
        .ok_or_else(|| {
            refusal(
                format!("{PATH}/coordonnees-organisme/coordonnees"),
                "required",
            )
        })?;
    organisation(
        ctx,
        siret,
        name,
        coordonnees,
        &format!("{PATH}/coordonnees-organisme/coordonnees"),
        &[e],
    )
}

/// The action's first `organisme-formateur`, when it has a SIRET, a name and an address.
fn trainer(
    ctx: &Context,
    action: &Element,
    at: &str,
) -> Option<Result<format::Organisation, Refusal>> {
    let e = action.child("organisme-formateur")?;
    let siret = e.text_at(&["SIRET-formateur", "SIRET"])?;
    let name = e.text_at(&["raison-sociale-formateur"])?;
    let coordonnees = e.at(&["contact-formateur", "coordonnees"])?;
    coordonnees.child("adresse")?;
    Some(organisation(
        ctx,
        siret,
        name,
        coordonnees,
        &format!("{at}organisme-formateur/contact-formateur/coordonnees"),
        &[e],
    ))
}

fn text_condition(description: String) -> format::Condition {
    format::Condition {
        kind: ConditionKind::FreeText.code().to_owned(),
        mandatory: true,
        description,
        min_age: None,
        max_age: None,
        min_months_registered: None,
        max_diploma_level: None,
        zone_kind: None,
        zone_codes: Vec::new(),
        language_level: None,
    }
}

/// `conditions-specifiques` as a condition, unless it says there is none.
fn conditions(text: Option<String>) -> Vec<format::Condition> {
    let Some(text) = text else {
        return Vec::new();
    };
    let folded = fold(text.trim_end_matches('.'));
    if ["aucune", "aucun", "neant", "sans objet", "non"].contains(&folded.trim()) {
        Vec::new()
    } else {
        vec![text_condition(text)]
    }
}

/// A summary fits 280 characters; a longer objective is cut at a word and kept whole at the
/// head of the description, so that nothing is lost.
fn summary_and_description(objective: String, content: Option<String>) -> (String, String) {
    const MAX: usize = 280;
    if objective.chars().count() <= MAX {
        return (objective, content.unwrap_or_default());
    }
    let mut cut: String = objective.chars().take(MAX - 1).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    cut.push('…');
    let description = match content {
        Some(content) => format!("{objective}\n\n{content}"),
        None => objective,
    };
    (cut, description)
}

/// The session's `adresse-inscription` in words, for how to apply.
fn registration_address(session: &Element) -> Option<String> {
    let adresse = session.at(&["adresse-inscription", "adresse"])?;
    let lines: Vec<String> = adresse
        .children("ligne")
        .filter_map(Element::own_text)
        .collect();
    let town = [
        adresse.text_at(&["codepostal"]),
        adresse.text_at(&["ville"]),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let mut parts = lines;
    if !town.is_empty() {
        parts.push(town);
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn slot(
    session: &Element,
    field: &str,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
) -> Result<Option<format::Slot>, Refusal> {
    let period = |path: &[&str], name: &str| -> Result<Option<NaiveDate>, Refusal> {
        let mut full = path.to_vec();
        full.push(name);
        match session.text_at(&full) {
            None => Ok(None),
            Some(v) if undated(&v) => Ok(None),
            Some(v) => date(&v)
                .map(Some)
                .map_err(|reason| refusal(format!("{field}/{}", full.join("/")), reason)),
        }
    };
    let (Some(starts_on), ends_on) = (period(&["periode"], "debut")?, period(&["periode"], "fin")?)
    else {
        // A session with no start date (permanent entries) is not a dated session.
        return Ok(None);
    };
    let recruitment = recruitment(session.text_at(&["etat-recrutement"]).as_deref())
        .map_err(|reason| refusal(format!("{field}/etat-recrutement"), reason))?;
    let info_session_on = session
        .children("recrutement")
        .filter(|r| r.text_at(&["modalite-recrutement"]).as_deref() == Some(INFORMATION_SESSION))
        .find_map(|r| r.text_at(&["periode", "debut"]))
        .filter(|v| !undated(v))
        .map(|v| date(&v))
        .transpose()
        .map_err(|reason| refusal(format!("{field}/recrutement/periode/debut"), reason))?;
    Ok(Some(format::Slot {
        starts_on,
        ends_on: ends_on.unwrap_or(starts_on),
        registration_opens_on: period(&["periode-inscription", "periode"], "debut")?,
        registration_closes_on: period(&["periode-inscription", "periode"], "fin")?,
        info_session_on,
        seats_total: None,
        seats_taken: 0,
        recruitment: recruitment.code().to_owned(),
        cancelled_at: None,
        schedule: None,
        remote: false,
        place: None,
        created_at,
        updated_at,
    }))
}

/// Our publics from the `code-public-vise` codes that are ours; the rest is not carried.
fn publics(action: &Element) -> Vec<String> {
    let mut publics: Vec<String> = action
        .children("code-public-vise")
        .filter_map(Element::own_text)
        .filter_map(|code| PUBLICS.iter().find(|(_, c)| *c == code))
        .map(|(public, _)| public.code().to_owned())
        .collect();
    // "Everyone" cannot be combined with another public.
    if publics.len() > 1 {
        publics.retain(|p| p != Public::Everyone.code());
    }
    publics
}

/// ROME and FORMACODE codes of the `domaine-formation` (NSF has no system here).
fn codes(formation: &Element) -> Vec<format::Code> {
    let Some(domain) = formation.child("domaine-formation") else {
        return Vec::new();
    };
    [
        ("code-FORMACODE", OccupationSystem::Formacode),
        ("code-ROME", OccupationSystem::Rome),
    ]
    .into_iter()
    .flat_map(|(name, system)| {
        domain
            .children(name)
            .filter_map(Element::own_text)
            .map(move |code| format::Code {
                system: system.code().to_owned(),
                code,
            })
    })
    .collect()
}

#[expect(
    clippy::too_many_arguments,
    reason = "the parts of a formation an action inherits"
)]
fn offer(
    ctx: &Context,
    formation: &Element,
    action: &Element,
    external_id: String,
    organisation: Key,
    at_organisation: bool,
    default_sector: &str,
    place: Option<format::Place>,
) -> Result<format::Offer, Refusal> {
    let title = required(formation, &["intitule-formation"])?;
    let objective = required(formation, &["objectif-formation"])?;
    let (summary, description) =
        summary_and_description(objective, formation.text_at(&["contenu-formation"]));
    let delivery_mode = delivery_mode(action.text_at(&["modalites-enseignement"]).as_deref())
        .map_err(|reason| refusal("modalites-enseignement", reason))?;
    let (created_at, updated_at) = instants(ctx, &[action, formation]);
    let mut slots = Vec::new();
    let mut registration = Vec::new();
    for (i, session) in action.children("session").enumerate() {
        let field = format!("session[{}]", i + 1);
        if let Some(slot) = slot(session, &field, created_at, updated_at)? {
            slots.push(slot);
        }
        if let Some(address) = registration_address(session)
            && !registration.contains(&address)
        {
            registration.push(address);
        }
    }
    let contact = reach(formation.at(&["contact-formation", "coordonnees"]));
    let mut how_to_apply = Vec::new();
    if !registration.is_empty() {
        how_to_apply.push(format::ApplyMethod {
            channel: ApplyChannel::Visit.code().to_owned(),
            value: None,
            instructions: Some(format!("Inscription : {}", registration.join(" ; "))),
        });
    }
    // What is left to pay: none said, or 0, is free (nearly every insertion training is);
    // an amount unknown ([`NOT_SAID`]) is paid without details.
    let remaining = action.text_at(&["frais-restants"]);
    let free = remaining.as_deref().is_none_or(|v| {
        v.trim_end_matches(['€', ' '])
            .replace(',', ".")
            .parse::<f64>()
            == Ok(0.0)
    });
    let url = url(action
        .text_at(&["url-action", "urlweb"])
        .or_else(|| formation.text_at(&["url-formation", "urlweb"])));
    let key = ctx.key(&external_id);
    Ok(format::Offer {
        source: key.source,
        external_id: key.external_id,
        source_url: url,
        organisation,
        sector: sector_of(&title, &[], default_sector),
        title,
        summary,
        description,
        kind: OfferKind::Training.code().to_owned(),
        status: OfferStatus::Published.code().to_owned(),
        delivery_mode: delivery_mode.code().to_owned(),
        at_organisation: at_organisation
            && place.is_none()
            && delivery_mode != DeliveryMode::Remote,
        place,
        weekly_hours: None,
        duration_weeks: None,
        contract_type: None,
        open_positions: None,
        fees: if free { Fees::Free } else { Fees::Paid }.code().to_owned(),
        fees_details: remaining.filter(|r| !free && r != NOT_SAID),
        publics: publics(action),
        publics_details: action.text_at(&["info-public-vise"]),
        barriers: Vec::new(),
        themes: Vec::new(),
        codes: codes(formation),
        how_to_apply,
        mobilisable_par: Vec::new(),
        contact_name: contact.name,
        contact_email: contact.email,
        contact_phone: contact.phone,
        host_company_number: None,
        fit_for_disabled_workers: None,
        conditions: conditions(action.text_at(&["conditions-specifiques"])),
        slots,
        testimonials: Vec::new(),
        verified_at: None,
        verified_by: None,
        published_at: Some(created_at),
        created_at,
        updated_at,
    })
}

/// The place of the first `lieu-de-formation`, unless it is the organisation's own address.
fn training_place(
    action: &Element,
    at: &str,
    organisation: Option<&format::Organisation>,
) -> Result<Option<format::Place>, Refusal> {
    let Some(adresse) = action.at(&["lieu-de-formation", "coordonnees", "adresse"]) else {
        return Ok(None);
    };
    let place = address(
        adresse,
        &format!("{at}lieu-de-formation/coordonnees/adresse"),
    )?;
    let same = organisation.is_some_and(|o| {
        o.commune_code == place.commune_code
            && o.postal_code == place.postal_code
            && place.lines.as_ref() == Some(&o.address)
    });
    Ok((!same).then_some(format::Place {
        address: place.lines,
        postal_code: place.postal_code,
        city: place.city,
        commune_code: place.commune_code,
        latitude: place.latitude,
        longitude: place.longitude,
    }))
}

fn bad(at: &str, record: Option<&Key>, (field, reason): Refusal) -> Parsed {
    Parsed::Bad(Problem {
        position: at.to_owned(),
        record: record.map(|k| format!("{}/{}", k.source, k.external_id)),
        field,
        reason,
    })
}

/// One `formation` (at XPath `at`) as records for the importer: its organisations first, once
/// per file, then one offer per action.
pub fn formation(
    ctx: &mut Context,
    at: &str,
    formation: &Element,
    default_sector: &str,
) -> Vec<Parsed> {
    let mut records = Vec::new();
    let responsible_org = match formation.child("organisme-formation-responsable") {
        None => None,
        Some(e) => match responsible(ctx, e) {
            Ok(o) => Some(o),
            Err(refusal) => {
                records.push(bad(at, None, refusal));
                None
            }
        },
    };
    let formation_id = formation
        .attribute("numero")
        .or_else(|| formation.attribute("id"));
    let emit = |ctx: &mut Context, records: &mut Vec<Parsed>, o: &format::Organisation| {
        if ctx.emitted.insert(o.external_id.clone()) {
            records.push(Parsed::Organisation {
                at: at.to_owned(),
                record: Box::new(o.clone()),
            });
        }
    };
    if let Some(o) = &responsible_org {
        emit(ctx, &mut records, o);
    }
    let actions: Vec<&Element> = formation.children("action").collect();
    if actions.is_empty() {
        records.push(bad(
            at,
            None,
            refusal("action", "a formation has at least one action"),
        ));
    }
    for (i, action) in actions.into_iter().enumerate() {
        let action_at = format!("{at}/action[{}]", i + 1);
        let Some(external_id) = action
            .attribute("numero")
            .or_else(|| action.attribute("id"))
            .map(str::to_owned)
            .or_else(|| formation_id.map(|f| format!("{f}/{}", i + 1)))
        else {
            records.push(bad(
                &action_at,
                None,
                refusal(
                    "@numero",
                    "an action (or its formation) needs its numero: it is how a re-import finds the record again",
                ),
            ));
            continue;
        };
        let key = ctx.key(&external_id);
        let own = match trainer(ctx, action, "") {
            Some(Ok(o)) => Some(o),
            Some(Err(refusal)) => {
                records.push(bad(&action_at, Some(&key), refusal));
                continue;
            }
            None => None,
        };
        let Some(runner) = own.as_ref().or(responsible_org.as_ref()) else {
            records.push(bad(
                &action_at,
                Some(&key),
                refusal(
                    "organisme-formation-responsable",
                    "no organisation to attach the offer to: neither an organisme-formateur with an address nor a valid organisme-formation-responsable",
                ),
            ));
            continue;
        };
        if let Some(o) = &own {
            emit(ctx, &mut records, o);
        }
        let place = match training_place(action, "", Some(runner)) {
            Ok(place) => place,
            Err(refusal) => {
                records.push(bad(&action_at, Some(&key), refusal));
                continue;
            }
        };
        let runner_key = runner.key();
        match offer(
            ctx,
            formation,
            action,
            external_id,
            runner_key,
            true,
            default_sector,
            place,
        ) {
            Ok(record) => records.push(Parsed::Offer {
                at: action_at,
                record: Box::new(record),
            }),
            Err(refusal) => records.push(bad(&action_at, Some(&key), refusal)),
        }
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_objective_is_cut_for_the_summary_and_kept_whole_in_the_description() {
        let objective = "mot ".repeat(100);
        let (summary, description) =
            summary_and_description(objective.trim().to_owned(), Some("Contenu".into()));
        assert!(summary.chars().count() <= 280, "{}", summary.len());
        assert!(summary.ends_with('…'));
        assert!(description.starts_with(objective.trim()));
        assert!(description.ends_with("Contenu"));
        let (short, rest) = summary_and_description("Court".into(), None);
        assert_eq!((short.as_str(), rest.as_str()), ("Court", ""));
    }

    #[test]
    fn none_said_is_no_condition() {
        assert!(conditions(Some("Aucune.".into())).is_empty());
        assert!(conditions(Some("Néant".into())).is_empty());
        assert_eq!(conditions(Some("Savoir lire".into())).len(), 1);
    }

    #[test]
    fn codes_of_recruitment_and_teaching_go_both_ways() {
        for r in Recruitment::ALL {
            assert_eq!(recruitment(Some(recruitment_code(*r))), Ok(*r));
        }
        for m in DeliveryMode::ALL {
            assert_eq!(delivery_mode(Some(teaching_mode(*m))), Ok(*m));
        }
        assert!(recruitment(Some("4")).is_err());
    }
}
