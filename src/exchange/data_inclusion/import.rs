//! data·inclusion v1 dumps into the catalogue: structures become organisations and services
//! offers, as records of the bundle importer (`bundle::import::import_records`), which
//! validates, matches by provenance, creates, updates, archives and reports.
//!
//! The code tables are `mapping`'s, read the other way. A record keeps its producer as
//! provenance: `source` is `data-inclusion:<source>` (`data-inclusion:dora`), `external_id`
//! the record's `id`, and a service's organisation is `(data-inclusion:<source>,
//! structure_id)`. Both files are read one record at a time (`json_stream`); every structure
//! is read before the first service.
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{
    ApplyChannel, ConditionKind, DeliveryMode, Fees, Mobiliser, OfferStatus, Public, ZoneKind,
};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde::Deserialize;

use super::mapping;
use crate::catalogue::reference;
use crate::catalogue::text::fold;
use crate::error::{AppError, AppResult};
use crate::exchange::bundle::format::{self, Key};
use crate::exchange::bundle::import::{ImportOptions, Parsed, import_records};
use crate::exchange::json_stream::{self, Records};
use crate::exchange::report::{Problem, Report};
use crate::geo_codes::{is_commune_code, is_departement_code};

/// The prefix of the provenance of every imported record.
pub const SOURCE_PREFIX: &str = "data-inclusion:";

/// The sector of a service whose title and themes name none (see [`sector_of`]).
pub const DEFAULT_SECTOR: &str = "PERSONAL_SERVICES";

/// Words of a title (folded: lower case, no accents) that name one of our sectors, in the
/// order they are tried.
const SECTOR_WORDS: &[(&str, &[&str])] = &[
    ("BIKE_REPAIR", &["velo", "cycles"]),
    (
        "DECONSTRUCTION",
        &["deconstruction", "reemploi de materiaux"],
    ),
    ("WEEE", &["d3e", "deee", "electromenager"]),
    ("CARPENTRY", &["menuiserie", "ebenisterie"]),
    ("GREEN_SPACES", &["espaces verts", "espace vert", "paysag"]),
    ("CLEANING", &["nettoyage", "proprete"]),
    ("CATERING", &["restauration", "cuisine", "traiteur"]),
    ("LOGISTICS", &["logistique", "magasinage", "cariste"]),
    ("CONSTRUCTION", &["batiment", "btp", "maconnerie"]),
    (
        "RECYCLING_TEXTILES",
        &["recyclerie", "ressourcerie", "textile", "couture"],
    ),
    ("AGRICULTURE", &["maraich", "agricul", "jardin"]),
    (
        "PERSONAL_SERVICES",
        &["aide a domicile", "services a la personne"],
    ),
    ("DIGITAL", &["numerique", "informatique"]),
];

/// data·inclusion has no sector, our offers need one: the first sector a word of the title
/// names (`SECTOR_WORDS`), else DIGITAL for a service with a theme of the `numerique`
/// category, else `default`.
pub fn sector_of(title: &str, themes: &[String], default: &str) -> String {
    let folded = fold(title);
    SECTOR_WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|word| folded.contains(word)))
        .map(|(sector, _)| (*sector).to_owned())
        .or_else(|| {
            themes
                .iter()
                .any(|theme| theme.starts_with("numerique--"))
                .then(|| "DIGITAL".to_owned())
        })
        .unwrap_or_else(|| default.to_owned())
}

/// A `structure` as the schema has it; fields we do not read (`description`, or extra ones of
/// a dump such as `doublons`) are ignored.
#[derive(Debug, Deserialize)]
struct Structure {
    source: String,
    id: String,
    nom: String,
    siret: Option<String>,
    adresse: Option<String>,
    complement_adresse: Option<String>,
    code_postal: Option<String>,
    commune: Option<String>,
    code_insee: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    courriel: Option<String>,
    telephone: Option<String>,
    site_web: Option<String>,
    horaires_accueil: Option<String>,
    accessibilite_lieu: Option<String>,
    reseaux_porteurs: Option<Vec<String>>,
    date_maj: String,
    lien_source: Option<String>,
}

/// A `service` as the schema has it (`horaires_accueil` is the structure's when null, and we
/// keep no hours of an offer: ignored).
#[derive(Debug, Deserialize)]
struct Service {
    source: String,
    id: String,
    structure_id: String,
    nom: String,
    description: String,
    #[serde(rename = "type")]
    type_: Option<String>,
    thematiques: Option<Vec<String>>,
    publics: Option<Vec<String>>,
    publics_precisions: Option<String>,
    frais: Option<String>,
    frais_precisions: Option<String>,
    conditions_acces: Option<String>,
    modes_accueil: Option<Vec<String>>,
    zone_eligibilite: Option<Vec<String>>,
    volume_horaire_hebdomadaire: Option<f64>,
    nombre_semaines: Option<i32>,
    modes_mobilisation: Option<Vec<String>>,
    lien_mobilisation: Option<String>,
    mobilisable_par: Option<Vec<String>>,
    mobilisation_precisions: Option<String>,
    contact_nom_prenom: Option<String>,
    courriel: Option<String>,
    telephone: Option<String>,
    adresse: Option<String>,
    complement_adresse: Option<String>,
    code_postal: Option<String>,
    commune: Option<String>,
    code_insee: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    date_maj: String,
    lien_source: Option<String>,
}

/// What any record says of itself, read again when the whole record does not parse.
#[derive(Deserialize)]
struct Identity {
    source: Option<String>,
    id: Option<String>,
}

/// A field of the record and why it cannot be imported.
type Refusal = (String, String);

fn refusal(field: impl Into<String>, reason: impl Into<String>) -> Refusal {
    (field.into(), reason.into())
}

/// A text, trimmed; empty is none.
fn given(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn required(field: &str, value: Option<String>) -> Result<String, Refusal> {
    given(value).ok_or_else(|| refusal(field, "required here: the catalogue needs it"))
}

/// `date_maj` at midnight UTC (a full timestamp is taken at its day too).
fn day(value: &str) -> Result<DateTime<Utc>, Refusal> {
    value
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| refusal("date_maj", format!("{value:?} is not a date (YYYY-MM-DD)")))
}

/// `adresse` and `complement_adresse` as our one address line.
fn address(adresse: Option<String>, complement: Option<String>) -> Option<String> {
    match (given(adresse), given(complement)) {
        (Some(a), Some(c)) => Some(format!("{a}, {c}")),
        (a, c) => a.or(c),
    }
}

fn key(source: &str, id: &str) -> Key {
    Key {
        source: format!("{SOURCE_PREFIX}{source}"),
        external_id: id.to_owned(),
    }
}

/// Where an organisation is, to tell an offer at its address from one with its own place.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Address {
    commune_code: String,
    postal_code: String,
    address: String,
}

fn organisation(s: Structure) -> Result<format::Organisation, Refusal> {
    let key = key(&s.source, &s.id);
    let at = day(&s.date_maj)?;
    let networks = s.reseaux_porteurs.unwrap_or_default();
    Ok(format::Organisation {
        source: key.source,
        external_id: key.external_id,
        source_url: given(s.lien_source),
        name: s.nom,
        kind: mapping::organisation_kind(&networks).code().to_owned(),
        country: "FR".to_owned(),
        company_number: given(s.siret),
        address: address(s.adresse, s.complement_adresse)
            .ok_or_else(|| refusal("adresse", "required here: an organisation has an address"))?,
        postal_code: required("code_postal", s.code_postal)?,
        city: required("commune", s.commune)?,
        commune_code: required("code_insee", s.code_insee)?.to_uppercase(),
        latitude: s.latitude,
        longitude: s.longitude,
        email: given(s.courriel),
        phone: given(s.telephone),
        website: given(s.site_web),
        opening_hours: given(s.horaires_accueil),
        accessibility_url: given(s.accessibilite_lieu),
        networks,
        verified_at: None,
        archived_at: None,
        created_at: at,
        updated_at: at,
    })
}

/// Checks each code of a list with `known`; `Err` names the first unknown one.
fn codes(
    field: &str,
    values: Vec<String>,
    known: impl Fn(&str) -> bool,
) -> Result<Vec<String>, Refusal> {
    for (i, value) in values.iter().enumerate() {
        if !known(value) {
            return Err(refusal(
                format!("{field}.{i}"),
                format!("{value:?} is not a code of data·inclusion's list"),
            ));
        }
    }
    Ok(values)
}

/// `zone_eligibilite` as a mandatory residence zone: communes, or départements; `france` (or
/// nothing) is no condition; a list that mixes kinds of codes or names EPCIs (which we have
/// no zone for) is kept in words, as a FREE_TEXT condition.
fn zone(codes: Vec<String>) -> Option<format::Condition> {
    let codes: Vec<String> = codes
        .into_iter()
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() || codes.iter().any(|c| c == "FRANCE") {
        return None;
    }
    let condition = |kind: &str, zone_kind: Option<&str>, description: String, zone_codes| {
        Some(format::Condition {
            kind: kind.to_owned(),
            mandatory: true,
            description,
            min_age: None,
            max_age: None,
            min_months_registered: None,
            max_diploma_level: None,
            zone_kind: zone_kind.map(str::to_owned),
            zone_codes,
            language_level: None,
        })
    };
    let residence = ConditionKind::ResidenceZone.code();
    if codes.iter().all(|c| is_commune_code(c)) {
        condition(
            residence,
            Some(ZoneKind::Communes.code()),
            String::new(),
            codes,
        )
    } else if codes.iter().all(|c| is_departement_code(c)) {
        condition(
            residence,
            Some(ZoneKind::Departements.code()),
            String::new(),
            codes,
        )
    } else {
        condition(
            ConditionKind::FreeText.code(),
            None,
            format!(
                "Résider dans l'une de ces zones (codes de communes, de départements ou SIREN d'EPCI) : {}.",
                codes.join(", ")
            ),
            Vec::new(),
        )
    }
}

/// `modes_mobilisation` with their values (`courriel`, `telephone`, `lien_mobilisation`);
/// `mobilisation_precisions` are the first way's instructions. A way whose value is missing
/// cannot be one of ours (an e-mail channel needs its address) and is left out.
fn how_to_apply(s: &mut Service) -> Result<Vec<format::ApplyMethod>, Refusal> {
    let mut methods: Vec<format::ApplyMethod> = Vec::new();
    let lien = given(s.lien_mobilisation.clone());
    let mut modes = s.modes_mobilisation.take().unwrap_or_default();
    if lien.is_some() && !modes.iter().any(|m| m == ApplyChannel::Online.code()) {
        modes.push(ApplyChannel::Online.code().to_owned());
    }
    for (i, mode) in modes.iter().enumerate() {
        let channel = ApplyChannel::from_code(mode)
            .filter(|c| *c != ApplyChannel::PrescriberReferral)
            .ok_or_else(|| {
                refusal(
                    format!("modes_mobilisation.{i}"),
                    format!("{mode:?} is not a code of data·inclusion's list"),
                )
            })?;
        let value = match channel {
            ApplyChannel::Email => given(s.courriel.clone()),
            ApplyChannel::Phone => given(s.telephone.clone()),
            ApplyChannel::Online => lien.clone(),
            ApplyChannel::Visit | ApplyChannel::PrescriberReferral => None,
        };
        if value.is_none() && channel != ApplyChannel::Visit {
            continue;
        }
        if methods.iter().any(|m| m.channel == channel.code()) {
            continue;
        }
        methods.push(format::ApplyMethod {
            channel: channel.code().to_owned(),
            value,
            instructions: None,
        });
    }
    if let Some(first) = methods.first_mut() {
        first.instructions = given(s.mobilisation_precisions.take());
    }
    Ok(methods)
}

fn offer(
    mut s: Service,
    addresses: &HashMap<Key, Address>,
    default_sector: &str,
) -> Result<format::Offer, Refusal> {
    let own = key(&s.source, &s.id);
    let organisation = key(&s.source, &s.structure_id);
    let at = day(&s.date_maj)?;
    let kind = match s.type_.as_deref() {
        None => entity::enums::OfferKind::SupportProgramme,
        Some(type_) => mapping::offer_kind(type_).ok_or_else(|| {
            refusal(
                "type",
                format!("{type_:?} is not a code of data·inclusion's list"),
            )
        })?,
    };
    let delivery_mode = mapping::delivery_mode(s.modes_accueil.as_deref().unwrap_or_default())
        .map_err(|i| {
            refusal(
                format!("modes_accueil.{i}"),
                "not a code of data·inclusion's list",
            )
        })?;
    let themes = codes(
        "thematiques",
        s.thematiques.take().unwrap_or_default(),
        reference::is_theme,
    )?;
    let publics = codes("publics", s.publics.take().unwrap_or_default(), |p| {
        Public::from_code(p).is_some()
    })?;
    let mobilisable_par = codes(
        "mobilisable_par",
        s.mobilisable_par.take().unwrap_or_default(),
        |m| Mobiliser::from_code(m).is_some(),
    )?;
    let fees = match given(s.frais.take()) {
        // Unsaid: free, as nearly every insertion service is (we have no "unknown").
        None => Fees::Free,
        Some(code) => Fees::from_code(&code).ok_or_else(|| {
            refusal(
                "frais",
                format!("{code:?} is not a code of data·inclusion's list"),
            )
        })?,
    };
    let how_to_apply = how_to_apply(&mut s)?;
    // Its own place when it gives a whole one that is not its structure's; else at its
    // structure, unless it is only remote.
    let place = match (
        given(s.code_insee.take()),
        given(s.code_postal.take()),
        given(s.commune.take()),
    ) {
        (Some(commune_code), Some(postal_code), Some(city)) => Some(format::Place {
            address: address(s.adresse.take(), s.complement_adresse.take()),
            postal_code,
            city,
            commune_code: commune_code.to_uppercase(),
            latitude: s.latitude,
            longitude: s.longitude,
        }),
        _ => None,
    };
    let structure_address = addresses.get(&organisation);
    let same_as_structure = |p: &format::Place| {
        structure_address.is_some_and(|a| {
            a.commune_code == p.commune_code
                && a.postal_code == p.postal_code
                && Some(&a.address) == p.address.as_ref()
        })
    };
    let at_organisation =
        delivery_mode != DeliveryMode::Remote && place.as_ref().is_none_or(same_as_structure);
    let mut conditions: Vec<format::Condition> = Vec::new();
    conditions.extend(s.zone_eligibilite.take().and_then(zone));
    if let Some(text) = given(s.conditions_acces.take()) {
        conditions.push(format::Condition {
            kind: ConditionKind::FreeText.code().to_owned(),
            mandatory: true,
            description: text,
            min_age: None,
            max_age: None,
            min_months_registered: None,
            max_diploma_level: None,
            zone_kind: None,
            zone_codes: Vec::new(),
            language_level: None,
        });
    }
    let sector = sector_of(&s.nom, &themes, default_sector);
    Ok(format::Offer {
        source: own.source,
        external_id: own.external_id,
        source_url: given(s.lien_source),
        organisation,
        title: s.nom,
        summary: String::new(),
        description: s.description,
        kind: kind.code().to_owned(),
        sector,
        status: OfferStatus::Published.code().to_owned(),
        delivery_mode: delivery_mode.code().to_owned(),
        at_organisation,
        place: if at_organisation { None } else { place },
        // No hours said is unknown, not none.
        weekly_hours: s.volume_horaire_hebdomadaire.filter(|h| *h > 0.0),
        duration_weeks: s.nombre_semaines,
        contract_type: None,
        open_positions: None,
        fees: fees.code().to_owned(),
        fees_details: given(s.frais_precisions),
        publics,
        publics_details: given(s.publics_precisions),
        barriers: Vec::new(),
        themes,
        codes: Vec::new(),
        how_to_apply,
        mobilisable_par,
        contact_name: given(s.contact_nom_prenom),
        contact_email: given(s.courriel),
        contact_phone: given(s.telephone),
        host_company_number: None,
        fit_for_disabled_workers: None,
        conditions,
        slots: Vec::new(),
        testimonials: Vec::new(),
        verified_at: None,
        verified_by: None,
        published_at: Some(at),
        created_at: at,
        updated_at: at,
    })
}

/// One input file: its name (for positions) and its bytes, decompressed when gzip.
pub struct Input {
    pub name: String,
    pub reader: Box<dyn BufRead>,
}

impl Input {
    pub fn open(path: &Path) -> AppResult<Self> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let cannot =
            |error: std::io::Error| AppError::BadRequest(format!("{}: {error}", path.display()));
        let file = std::fs::File::open(path).map_err(cannot)?;
        Ok(Self {
            name,
            reader: json_stream::open(file).map_err(cannot)?,
        })
    }

    /// Bytes in memory (tests, uploads).
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> AppResult<Self> {
        let reader = json_stream::open(std::io::Cursor::new(bytes))
            .map_err(|e| AppError::BadRequest(format!("{name}: {e}")))?;
        Ok(Self {
            name: name.to_owned(),
            reader,
        })
    }
}

/// A record's text as `T`, or the problem to report (field from the JSON path).
fn parse<T: for<'de> Deserialize<'de>>(
    name: &str,
    item: json_stream::Item,
) -> Result<(String, T), Problem> {
    let at = format!("{name} {}", item.at);
    let text = match item.text {
        Ok(text) => text,
        Err(reason) => {
            return Err(Problem {
                position: at,
                record: None,
                field: String::new(),
                reason,
            });
        }
    };
    let mut deserializer = serde_json::Deserializer::from_slice(&text);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(record) => Ok((at, record)),
        Err(error) => {
            let field = error.path().to_string();
            Err(Problem {
                position: at,
                record: label(&text),
                field: if field == "." { String::new() } else { field },
                reason: error.into_inner().to_string(),
            })
        }
    }
}

/// `data-inclusion:<source>/<id>` of a record that does not parse, when it says them.
fn label(text: &[u8]) -> Option<String> {
    let identity: Identity = serde_json::from_slice(text).ok()?;
    Some(format!(
        "{SOURCE_PREFIX}{}/{}",
        identity.source?, identity.id?
    ))
}

fn refused(at: String, key: &Key, (field, reason): Refusal) -> Parsed {
    Parsed::Bad(Problem {
        position: at,
        record: Some(format!("{}/{}", key.source, key.external_id)),
        field,
        reason,
    })
}

/// The structures, then the services, as records of the importer.
pub struct Reader {
    structures: Option<(String, Records<Box<dyn BufRead>>)>,
    services: (String, Records<Box<dyn BufRead>>),
    /// The address of every structure read, for its services (a few dozen bytes each).
    addresses: HashMap<Key, Address>,
    default_sector: String,
}

impl Reader {
    pub fn new(structures: Input, services: Input, default_sector: &str) -> Self {
        Self {
            structures: Some((structures.name, Records::new(structures.reader))),
            services: (services.name, Records::new(services.reader)),
            addresses: HashMap::new(),
            default_sector: default_sector.to_owned(),
        }
    }

    fn structure(&mut self, name: &str, item: json_stream::Item) -> Parsed {
        let (at, record) = match parse::<Structure>(name, item) {
            Ok(parsed) => parsed,
            Err(problem) => return Parsed::Bad(problem),
        };
        let key = key(&record.source, &record.id);
        match organisation(record) {
            Ok(record) => {
                self.addresses.insert(
                    key,
                    Address {
                        commune_code: record.commune_code.clone(),
                        postal_code: record.postal_code.clone(),
                        address: record.address.clone(),
                    },
                );
                Parsed::Organisation {
                    at,
                    record: Box::new(record),
                }
            }
            Err(refusal) => refused(at, &key, refusal),
        }
    }

    fn service(&self, name: &str, item: json_stream::Item) -> Parsed {
        let (at, record) = match parse::<Service>(name, item) {
            Ok(parsed) => parsed,
            Err(problem) => return Parsed::Bad(problem),
        };
        let key = key(&record.source, &record.id);
        match offer(record, &self.addresses, &self.default_sector) {
            Ok(record) => Parsed::Offer {
                at,
                record: Box::new(record),
            },
            Err(refusal) => refused(at, &key, refusal),
        }
    }
}

impl Iterator for Reader {
    type Item = AppResult<Parsed>;

    fn next(&mut self) -> Option<Self::Item> {
        let failed =
            |name: &str, error: std::io::Error| AppError::BadRequest(format!("{name}: {error}"));
        if let Some((name, records)) = self.structures.as_mut() {
            match records.next() {
                Some(Ok(item)) => {
                    let name = name.clone();
                    return Some(Ok(self.structure(&name, item)));
                }
                Some(Err(error)) => return Some(Err(failed(name, error))),
                None => self.structures = None,
            }
        }
        let (name, records) = &mut self.services;
        match records.next()? {
            Ok(item) => {
                let name = name.clone();
                Some(Ok(self.service(&name, item)))
            }
            Err(error) => Some(Err(failed(name, error))),
        }
    }
}

/// Imports a data·inclusion dump: `structures`, then `services`. Services whose title and
/// themes name no sector get `default_sector` (which must exist).
pub async fn import(
    db: &DatabaseConnection,
    structures: Input,
    services: Input,
    default_sector: &str,
    options: &ImportOptions,
    progress: impl FnMut(usize),
) -> AppResult<Report> {
    if entity::sector::Entity::find_by_id(default_sector.to_owned())
        .one(db)
        .await?
        .is_none()
    {
        return Err(AppError::BadRequest(format!(
            "unknown sector {default_sector:?} (see referentials.sectors)"
        )));
    }
    let reader = Reader::new(structures, services, default_sector);
    import_records(db, reader, options, progress).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sector_comes_from_the_title_then_the_themes_then_the_default() {
        assert_eq!(sector_of("Atelier Vélo solidaire", &[], "X"), "BIKE_REPAIR");
        assert_eq!(
            sector_of("Chantier Espaces Verts", &[], "X"),
            "GREEN_SPACES"
        );
        assert_eq!(
            sector_of(
                "Aide",
                &["numerique--accompagner-les-demarches-de-sante".into()],
                "X"
            ),
            "DIGITAL"
        );
        assert_eq!(sector_of("Accompagnement global", &[], "X"), "X");
    }

    #[test]
    fn zones_are_communes_departements_france_or_words() {
        let communes = zone(vec!["59350".into(), "2a004".into()]).expect("a zone");
        assert_eq!(communes.zone_kind.as_deref(), Some("COMMUNES"));
        assert_eq!(communes.zone_codes, ["59350", "2A004"]);
        let departements = zone(vec!["59".into(), "974".into()]).expect("a zone");
        assert_eq!(departements.zone_kind.as_deref(), Some("DEPARTEMENTS"));
        assert!(zone(vec!["france".into()]).is_none());
        assert!(zone(Vec::new()).is_none());
        let words = zone(vec!["200093201".into(), "59".into()]).expect("a condition");
        assert_eq!(words.kind, "FREE_TEXT");
        assert!(
            words.description.contains("200093201"),
            "{}",
            words.description
        );
    }
}
