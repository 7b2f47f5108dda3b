//! The demo catalogue: a deterministic, believable set of French and Walloon insertion structures and their offers.
//!
//! Everything is drawn from one constant-seeded PRNG, so every call (and every machine)
//! gives the same catalogue. The builders are shared with `generate`, which calls them
//! with `Detail::Light` for load tests.

use std::collections::HashSet;

use entity::enums::{
    ApplyChannel, Barrier, ConditionKind, ContractType, Country, DeliveryMode, Fees, OfferKind,
    OrganisationKind, Public, TestimonialRole, TestimonialStatus, ZoneKind,
};

use super::model::{
    SeedApply, SeedCondition, SeedOffer, SeedOrganisation, SeedPlace, SeedSlot, SeedTestimonial,
};
use super::templates::{
    self as t, FL_ASSOCIATION_BE, FL_ASSOCIATION_FR, FL_FOREM, FL_FRANCE_TRAVAIL,
    FL_MISSION_LOCALE, FL_PLIE, FL_TRAINING, Flavour, GENERIC_OFFERS, GenericOffer, Rng, SECTORS,
    SectorTemplate,
};
use super::towns::{TOWNS, Town};

/// Seed of the demo catalogue; changing it changes every record.
const DEMO_SEED: u64 = 0x5EED_1AE0_2026;

/// Summaries are stored in a column limited to 280 characters.
pub const SUMMARY_MAX_CHARS: usize = 280;

/// How many organisations of each kind the demo holds, by country, and the sectors
/// (by code) they cycle through. Nord and Pas-de-Calais weigh double in the town wheel.
const DEMO_MIX: &[(OrganisationKind, Country, usize)] = &[
    (OrganisationKind::Aci, Country::Fr, 30),
    (OrganisationKind::Ei, Country::Fr, 18),
    (OrganisationKind::Etti, Country::Fr, 10),
    (OrganisationKind::Ai, Country::Fr, 12),
    (OrganisationKind::Eiti, Country::Fr, 5),
    (OrganisationKind::Ea, Country::Fr, 8),
    (OrganisationKind::Geiq, Country::Fr, 6),
    (OrganisationKind::TrainingBody, Country::Fr, 14),
    (OrganisationKind::PublicEmploymentService, Country::Fr, 18),
    (OrganisationKind::Association, Country::Fr, 10),
    (OrganisationKind::Other, Country::Fr, 4),
    (OrganisationKind::Cisp, Country::Be, 14),
    (OrganisationKind::Ei, Country::Be, 6),
    (OrganisationKind::Eta, Country::Be, 6),
    (OrganisationKind::PublicEmploymentService, Country::Be, 6),
    (OrganisationKind::Association, Country::Be, 4),
];

/// The sectors a kind of structure works in, in the order they are handed out.
pub(super) fn kind_sectors(kind: OrganisationKind, country: Country) -> &'static [&'static str] {
    use OrganisationKind as K;
    match (kind, country) {
        (K::Ei, Country::Fr) => &[
            "CLEANING",
            "CONSTRUCTION",
            "DECONSTRUCTION",
            "LOGISTICS",
            "CATERING",
            "WEEE",
            "GREEN_SPACES",
            "RECYCLING_TEXTILES",
            "BIKE_REPAIR",
        ],
        (K::Ei, Country::Be) => &[
            "CLEANING",
            "CONSTRUCTION",
            "RECYCLING_TEXTILES",
            "GREEN_SPACES",
        ],
        (K::Etti, _) => &["CONSTRUCTION", "LOGISTICS", "CLEANING", "GREEN_SPACES"],
        (K::Ai, _) => &["PERSONAL_SERVICES", "CLEANING", "GREEN_SPACES", "CATERING"],
        // Independent work: mobile bike repair and delivery, home services, digital.
        (K::Eiti, _) => &["BIKE_REPAIR", "PERSONAL_SERVICES", "DIGITAL"],
        (K::Ea, _) => &["LOGISTICS", "CLEANING", "GREEN_SPACES", "DIGITAL", "WEEE"],
        (K::Eta, _) => &[
            "LOGISTICS",
            "GREEN_SPACES",
            "CLEANING",
            "CARPENTRY",
            "CATERING",
        ],
        (K::Geiq, _) => &[
            "CONSTRUCTION",
            "LOGISTICS",
            "CLEANING",
            "CATERING",
            "AGRICULTURE",
            "PERSONAL_SERVICES",
        ],
        (K::TrainingBody, _) => &[
            "DIGITAL",
            "LOGISTICS",
            "CONSTRUCTION",
            "CATERING",
            "PERSONAL_SERVICES",
            "CARPENTRY",
            "BIKE_REPAIR",
            "GREEN_SPACES",
        ],
        (K::Cisp, _) => &[
            "CONSTRUCTION",
            "CARPENTRY",
            "GREEN_SPACES",
            "CATERING",
            "CLEANING",
            "DIGITAL",
            "AGRICULTURE",
            "RECYCLING_TEXTILES",
            "BIKE_REPAIR",
        ],
        (K::Association, _) => &[
            "DIGITAL",
            "PERSONAL_SERVICES",
            "RECYCLING_TEXTILES",
            "CATERING",
            "BIKE_REPAIR",
        ],
        // ACI, employment services and others touch every trade.
        _ => super::model::SECTOR_CODES,
    }
}

/// What an organisation is, before its name and numbers are drawn: enough to derive
/// its offers, so the generator can rebuild it from an index alone.
#[derive(Debug, Clone, Copy)]
pub(super) struct Profile {
    pub kind: OrganisationKind,
    pub town: &'static Town,
    pub sector: &'static SectorTemplate,
    /// Picks name stems and job titles, so two structures of a kind differ.
    pub variant: usize,
    /// For employment services, associations and others: which family of generic offers.
    pub flavour: Flavour,
}

impl Profile {
    pub fn new(
        kind: OrganisationKind,
        town: &'static Town,
        sector_code: &str,
        variant: usize,
    ) -> Self {
        use OrganisationKind as K;
        let flavour = match (kind, town.country) {
            (K::PublicEmploymentService, Country::Fr) if variant % 2 == 1 => FL_MISSION_LOCALE,
            (K::PublicEmploymentService, Country::Fr) => FL_FRANCE_TRAVAIL,
            (K::PublicEmploymentService, Country::Be) => FL_FOREM,
            (K::Association, Country::Fr) => FL_ASSOCIATION_FR,
            (K::Association, Country::Be) => FL_ASSOCIATION_BE,
            (K::Other, _) => FL_PLIE,
            (K::TrainingBody, _) => FL_TRAINING,
            _ => 0,
        };
        Self {
            kind,
            town,
            sector: &SECTORS[t::sector_index(sector_code)],
            variant,
            flavour,
        }
    }

    fn country(&self) -> Country {
        self.town.country
    }

    /// A French SIAE: its offers carry the IAE eligibility condition.
    pub fn is_siae(&self) -> bool {
        self.country() == Country::Fr && self.kind.iae_level2_threshold().is_some()
    }

    /// A structure whose offers are mostly supported jobs.
    fn employs(&self) -> bool {
        use OrganisationKind as K;
        matches!(
            self.kind,
            K::Aci | K::Ei | K::Etti | K::Ai | K::Eiti | K::Ea | K::Eta | K::Geiq
        )
    }
}

/// The kinds of offer a structure publishes, most typical first; the demo keeps the
/// first two to four, the generator cycles through them.
pub(super) fn offer_plan(profile: &Profile) -> &'static [OfferKind] {
    use OfferKind::{
        InformationSession as Info, SupportProgramme as Support, SupportedJob as Job, Training,
        WorkPlacement as Placement, Workshop,
    };
    use OrganisationKind as K;
    match profile.kind {
        K::Aci => &[Job, Job, Placement, Info, Workshop],
        K::Ei if profile.country() == Country::Be => &[Job, Placement, Job, Info],
        K::Ei => &[Job, Job, Placement, Info],
        K::Etti => &[Job, Job, Info, Placement],
        K::Ai => &[Job, Job, Info, Placement],
        K::Eiti => &[Job, Info, Workshop, Job],
        K::Ea | K::Eta => &[Job, Placement, Job, Info],
        K::Geiq => &[Job, Info, Job, Training],
        K::TrainingBody => &[Training, Training, Info, Workshop, Placement],
        K::Cisp => &[Training, Training, Info, Placement],
        K::PublicEmploymentService if profile.flavour == FL_MISSION_LOCALE => {
            &[Support, Workshop, Info, Placement, Workshop]
        }
        K::PublicEmploymentService => &[Support, Workshop, Info, Workshop, Placement],
        K::Association => &[Workshop, Support, Training, Workshop],
        K::Other => &[Support, Workshop, Info, Support],
    }
}

/// The `attempt`-th candidate name of a structure; later attempts avoid duplicates.
pub(super) fn organisation_name(profile: &Profile, attempt: usize) -> String {
    use OrganisationKind as K;
    let city = profile.town.city;
    let stems: &[&str] = match profile.kind {
        K::Aci | K::Ei | K::Cisp => profile.sector.structure_names,
        K::Etti => t::ETTI_NAMES,
        K::Ai => t::AI_NAMES,
        K::Eiti => t::EITI_NAMES,
        K::Ea => t::EA_NAMES,
        K::Eta => t::ETA_NAMES,
        K::TrainingBody => t::TRAINING_NAMES,
        K::Association if profile.country() == Country::Be => t::ASSOCIATION_BE_NAMES,
        K::Association => t::ASSOCIATION_FR_NAMES,
        K::Geiq | K::PublicEmploymentService | K::Other => &[""],
    };
    let stem = stems[(profile.variant + attempt) % stems.len()];
    let base = match profile.kind {
        K::Aci | K::Ai => format!("{stem} {}", t::of_town(city)),
        K::Association if profile.country() == Country::Fr => {
            format!("{stem} {}", t::of_town(city))
        }
        K::Ei | K::Etti | K::Eiti | K::Ea => format!("{stem} {city}"),
        K::Cisp => format!("CISP {stem}"),
        K::Geiq => format!("GEIQ {} – {city}", profile.sector.geiq),
        K::PublicEmploymentService => match profile.flavour {
            FL_MISSION_LOCALE => format!("Mission locale {}", t::of_town(city)),
            FL_FOREM => format!("Le Forem – Maison de l'emploi {}", t::of_town(city)),
            _ => format!("France Travail {city}"),
        },
        K::Other if profile.variant.is_multiple_of(2) => format!("PLIE {}", t::of_town(city)),
        K::Other => format!("Maison de l'emploi {}", t::of_town(city)),
        _ => format!("{stem} – {city}"),
    };
    if attempt < stems.len() {
        base
    } else {
        let sites = t::SITE_NAMES;
        let site = sites[(attempt - stems.len()) % sites.len()];
        if attempt - stems.len() < sites.len() {
            format!("{base} – {site}")
        } else {
            format!("{base} – {site} {attempt}")
        }
    }
}

/// The fictitious internet domain of a structure ("velo-solidaire-roubaix.example").
pub(super) fn organisation_domain(profile: &Profile, name: &str) -> String {
    match profile.flavour {
        FL_FRANCE_TRAVAIL => "france-travail.example".to_owned(),
        FL_FOREM => "forem.example".to_owned(),
        _ => {
            // Drop articles and prepositions ("velo-solidaire-roubaix"), keep it short.
            const SMALL_WORDS: &[&str] = &["de", "d", "du", "des", "la", "le", "les", "l", "et"];
            let slug = t::slug(name)
                .split('-')
                .filter(|word| !SMALL_WORDS.contains(word))
                .collect::<Vec<_>>()
                .join("-");
            let mut cut = slug.as_str();
            if cut.len() > 40 {
                cut = &cut[..40];
                if let Some(position) = cut.rfind('-') {
                    cut = &cut[..position];
                }
            }
            format!("{cut}.example")
        }
    }
}

/// A street address typical of the country (number first in France, last in Belgium).
fn street_address(country: Country, rng: &mut Rng) -> String {
    let number = rng.between(1, 180);
    match country {
        Country::Fr => {
            let suffix = if rng.chance(8) { " bis" } else { "" };
            format!("{number}{suffix} {}", rng.pick(t::FR_STREETS))
        }
        Country::Be => format!("{} {number}", rng.pick(t::BE_STREETS)),
    }
}

/// Coordinates rounded to about a metre.
fn round5(value: f64) -> f64 {
    (value * 100_000.0).round() / 100_000.0
}

/// A place in the town: a street address and the town centre moved by up to 0.02°.
fn place_in(town: &Town, rng: &mut Rng) -> SeedPlace {
    SeedPlace {
        address: street_address(town.country, rng),
        postal_code: town.postal_code.to_owned(),
        city: town.city.to_owned(),
        commune_code: town.commune_code.to_owned(),
        latitude: round5(town.latitude + rng.jitter(0.02)),
        longitude: round5(town.longitude + rng.jitter(0.02)),
    }
}

/// The networks (data·inclusion `ReseauPorteur`) a structure of this profile belongs to.
fn networks(profile: &Profile, rng: &mut Rng) -> Vec<String> {
    use OrganisationKind as K;
    if profile.country() == Country::Be {
        // Walloon structures have no data·inclusion network.
        return Vec::new();
    }
    let mut out: Vec<&str> = match profile.kind {
        K::Aci => vec!["aci"],
        K::Ei => vec!["ei"],
        K::Etti => vec!["etti"],
        K::Ai => vec!["ai"],
        K::Eiti => vec!["eiti"],
        K::Ea if rng.chance(50) => vec!["ea", "unea"],
        K::Ea => vec!["ea"],
        K::Geiq => vec!["geiq"],
        K::PublicEmploymentService if profile.flavour == FL_MISSION_LOCALE => {
            vec!["mission-locale"]
        }
        K::PublicEmploymentService => vec!["france-travail"],
        K::Association if profile.sector.code == "DIGITAL" => vec!["conseillers-numeriques"],
        K::Association if rng.chance(50) => vec!["fcsf"],
        K::Association => vec!["federation-des-acteurs-de-la-solidarite"],
        K::Other if profile.variant.is_multiple_of(2) => vec!["plie"],
        K::Other => vec!["maisons-de-l-emploi"],
        _ => Vec::new(),
    };
    if matches!(profile.kind, K::Aci | K::Ei)
        && !profile.sector.networks.is_empty()
        && rng.chance(45)
    {
        out.push(rng.pick(profile.sector.networks));
    }
    if matches!(profile.kind, K::Aci | K::Ai | K::Etti | K::Ei) && rng.chance(20) {
        out.push("coorace");
    }
    out.dedup();
    out.into_iter().map(str::to_owned).collect()
}

/// Builds an organisation record from its profile and chosen name.
pub(super) fn build_organisation(
    profile: &Profile,
    name: String,
    rng: &mut Rng,
) -> SeedOrganisation {
    let town = profile.town;
    let domain = organisation_domain(profile, &name);
    let city_slug = t::slug(town.city);
    let company_number = match town.country {
        Country::Fr => t::siret(rng),
        Country::Be => t::bce(rng),
    };
    let place = place_in(town, rng);
    let (email, website, opening_hours) = match profile.flavour {
        FL_FRANCE_TRAVAIL => (
            Some(format!("ape.{city_slug}@{domain}")),
            Some(format!("https://www.{domain}/agences/{city_slug}")),
            Some(t::FRANCE_TRAVAIL_HOURS.to_owned()),
        ),
        FL_FOREM => (
            Some(format!("maison-emploi.{city_slug}@{domain}")),
            Some(format!("https://www.{domain}/maisons-emploi/{city_slug}")),
            Some(t::FOREM_HOURS.to_owned()),
        ),
        FL_MISSION_LOCALE => (
            Some(format!("accueil@{domain}")),
            Some(format!("https://www.{domain}")),
            Some(t::MISSION_LOCALE_HOURS.to_owned()),
        ),
        _ => (
            rng.chance(90).then(|| format!("contact@{domain}")),
            rng.chance(80).then(|| format!("https://www.{domain}")),
            rng.chance(85).then(|| {
                // Tuesday-to-Saturday hours are a shop's (recyclerie, bike workshop).
                let shop = matches!(
                    profile.sector.code,
                    "RECYCLING_TEXTILES" | "BIKE_REPAIR" | "WEEE"
                );
                let hours = t::OPENING_HOURS;
                let usable = if shop {
                    hours
                } else {
                    &hours[..hours.len() - 1]
                };
                rng.pick(usable).to_owned()
            }),
        ),
    };
    let phone = rng.chance(95).then(|| t::phone(town, rng));
    // French premises have their Acceslibre page; Belgian ones a page of their own site.
    let accessibility_url = rng.chance(30).then(|| match town.country {
        Country::Fr => format!(
            "https://acceslibre.beta.gouv.fr/app/{}-{city_slug}/a/association/erp/{}/",
            &town.commune_code[..2],
            t::slug(&name)
        ),
        Country::Be => format!("https://www.{domain}/accessibilite"),
    });
    let networks = networks(profile, rng);
    let verified_days_ago = rng.chance(88).then(|| rng.between(0, 400) as u32);
    SeedOrganisation {
        name,
        kind: profile.kind,
        country: town.country,
        company_number,
        place,
        email,
        phone,
        website,
        opening_hours,
        accessibility_url,
        networks,
        verified_days_ago,
    }
}

/// What an offer needs to know about its organisation.
pub(super) struct OrgContext<'a> {
    pub index: usize,
    pub profile: Profile,
    pub name: &'a str,
    pub domain: &'a str,
}

/// How rich an offer is: the demo is `Full`, the load-test generator `Light`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Detail {
    Full,
    Light,
}

/// The text of an offer before eligibility, slots and testimonials are added.
struct Text {
    title: String,
    summary: String,
    description: String,
    /// A skill to quote in testimonials, if the offer is about a trade.
    skill: Option<&'static str>,
}

/// "un poste" / "3 postes".
fn positions(count: i32) -> String {
    if count == 1 {
        "un poste".to_owned()
    } else {
        format!("{count} postes")
    }
}

/// The first candidate that fits in the summary column.
fn fit(candidates: impl IntoIterator<Item = String>) -> String {
    let mut last = String::new();
    for candidate in candidates {
        if candidate.chars().count() <= SUMMARY_MAX_CHARS {
            return candidate;
        }
        last = candidate;
    }
    // Never reached with the templates (tests check it), but the column must hold.
    last.chars()
        .take(SUMMARY_MAX_CHARS - 1)
        .chain(std::iter::once('…'))
        .collect()
}

/// Two different task sentences of a sector.
fn two_tasks(sector: &SectorTemplate, rng: &mut Rng) -> (&'static str, &'static str) {
    let first = rng.below(sector.tasks.len());
    let second = (first + 1 + rng.below(sector.tasks.len() - 1)) % sector.tasks.len();
    (sector.tasks[first], sector.tasks[second])
}

/// Three different skills of a sector.
fn three_skills(sector: &SectorTemplate, rng: &mut Rng) -> [&'static str; 3] {
    let start = rng.below(sector.skills.len());
    let len = sector.skills.len();
    [
        sector.skills[start],
        sector.skills[(start + 1) % len],
        sector.skills[(start + 2) % len],
    ]
}

/// Contract, weekly hours, contract wording and kind-specific sentence of a supported job.
fn job_terms(profile: &Profile, rng: &mut Rng) -> (ContractType, f64, &'static str, &'static str) {
    use OrganisationKind as K;
    match (profile.kind, profile.country()) {
        (K::Aci, _) => (
            ContractType::Cddi,
            rng.pick(&[20.0, 24.0, 26.0, 26.0, 30.0, 35.0]),
            "en CDDI",
            "Un·e accompagnateur·rice socioprofessionnel·le vous aide en parallèle à lever les freins (logement, mobilité, santé, démarches) et à construire la suite de votre parcours.",
        ),
        (K::Ei, Country::Fr) => (
            ContractType::Cddi,
            rng.pick(&[26.0, 30.0, 35.0, 35.0]),
            "en CDDI",
            "L'entreprise d'insertion fonctionne comme une entreprise classique : vous travaillez pour de vrais client·es, avec un suivi individuel pour préparer votre sortie vers l'emploi.",
        ),
        (K::Etti, _) => (
            ContractType::InsertionTemporaryAssignment,
            rng.pick(&[20.0, 24.0, 28.0, 35.0]),
            "en missions d'intérim d'insertion",
            "Les missions sont proposées chez des entreprises clientes du territoire ; un·e chargé·e d'insertion vous suit pendant et entre les missions.",
        ),
        (K::Ai, _) => (
            ContractType::InsertionTemporaryAssignment,
            rng.pick(&[20.0, 22.0, 24.0, 28.0]),
            "en mise à disposition",
            "L'association vous met à disposition de particuliers, de collectivités ou d'entreprises, avec un nombre d'heures qui augmente progressivement.",
        ),
        (K::Eiti, _) => (
            ContractType::Other,
            rng.pick(&[20.0, 25.0, 30.0]),
            "sous statut d'indépendant·e",
            "Vous exercez sous statut d'indépendant·e et la structure vous accompagne pour développer votre activité, facturer et trouver des client·es.",
        ),
        (K::Ea, _) => (
            if rng.chance(60) {
                ContractType::FixedTerm
            } else {
                ContractType::Permanent
            },
            rng.pick(&[24.0, 28.0, 35.0]),
            "en entreprise adaptée",
            "Les postes sont aménagés et un·e chargé·e d'accompagnement suit chaque salarié·e en lien avec la médecine du travail.",
        ),
        (K::Geiq, _) => (
            ContractType::FixedTerm,
            35.0,
            "en contrat de professionnalisation",
            "Le GEIQ vous embauche et vous met à disposition d'une entreprise adhérente, en alternance avec une formation qualifiante financée.",
        ),
        (K::Ei, Country::Be) => (
            if rng.chance(50) {
                ContractType::Article60
            } else {
                ContractType::Other
            },
            rng.pick(&[24.0, 30.0, 35.0]),
            "en contrat d'insertion",
            "L'entreprise d'insertion, agréée par la Wallonie, vous forme sur le poste et vous accompagne vers un emploi durable.",
        ),
        (K::Eta, _) => (
            ContractType::Other,
            rng.pick(&[24.0, 30.0, 35.0]),
            "en entreprise de travail adapté",
            "L'entreprise de travail adapté aménage les postes et le rythme de travail en fonction de chaque travailleur·se.",
        ),
        _ => (
            ContractType::FixedTerm,
            35.0,
            "en CDD",
            "Un suivi est assuré pendant les premiers mois en poste.",
        ),
    }
}

/// Title ending of a supported job by kind of structure.
fn job_title(profile: &Profile, job: &str) -> String {
    use OrganisationKind as K;
    let job = t::capitalise(job);
    match profile.kind {
        K::Aci => format!("{job} en chantier d'insertion"),
        K::Ei => format!("{job} en entreprise d'insertion"),
        K::Etti => format!("{job} – missions d'intérim d'insertion"),
        K::Ai => format!("{job} – mises à disposition"),
        K::Eiti => format!("{job} indépendant·e accompagné·e"),
        K::Ea => format!("{job} en entreprise adaptée"),
        K::Geiq => format!("{job} en contrat de professionnalisation"),
        K::Eta => format!("{job} en entreprise de travail adapté"),
        _ => job,
    }
}

/// Text and terms of an offer tied to a trade.
struct SectorOffer {
    text: Text,
    weekly_hours: Option<f64>,
    duration_weeks: Option<i32>,
    contract_type: Option<ContractType>,
    open_positions: Option<i32>,
    fees: Fees,
}

fn sector_offer(
    ctx: &OrgContext<'_>,
    sector: &'static SectorTemplate,
    kind: OfferKind,
    nth: usize,
    rng: &mut Rng,
) -> SectorOffer {
    use OrganisationKind as K;
    let profile = &ctx.profile;
    let city = profile.town.city;
    let field = sector.field;
    let job = sector.jobs[(profile.variant + nth) % sector.jobs.len()];
    let of_job = t::of_word(job);
    let in_city = t::in_town(city);
    let (task_a, task_b) = two_tasks(sector, rng);
    let [skill_a, skill_b, skill_c] = three_skills(sector, rng);
    let mut out = SectorOffer {
        text: Text {
            title: String::new(),
            summary: String::new(),
            description: String::new(),
            skill: Some(skill_a),
        },
        weekly_hours: None,
        duration_weeks: None,
        contract_type: None,
        open_positions: None,
        fees: Fees::Free,
    };
    match kind {
        OfferKind::SupportedJob => {
            let (contract, hours, wording, sentence) = job_terms(profile, rng);
            let open = rng.between(1, 8) as i32;
            out.text.title = job_title(profile, job);
            let postes = positions(open);
            out.text.summary = fit([
                match rng.below(3) {
                    0 => format!(
                        "{} recrute pour {postes} {of_job} {wording}, {hours} h par semaine, avec un accompagnement socioprofessionnel tout au long du parcours.",
                        t::capitalise(&t::with_article(ctx.name))
                    ),
                    1 => format!(
                        "{} {of_job} {wording} {in_city} : {hours} h par semaine, encadrement technique sur le terrain et accompagnement vers un emploi durable.",
                        t::capitalise(&postes)
                    ),
                    _ => format!(
                        "Rejoignez {} comme {job} {wording} ({hours} h par semaine). Aucune expérience exigée : vous êtes formé·e sur le poste.",
                        t::with_article(ctx.name)
                    ),
                },
                format!(
                    "{} {of_job} {wording} {in_city}, {hours} h par semaine.",
                    t::capitalise(&postes)
                ),
            ]);
            out.text.description = format!(
                "{task_a} {task_b} Vous y apprendrez {skill_a}, {skill_b} et {skill_c}. {sentence}"
            );
            out.weekly_hours = Some(hours);
            out.contract_type = Some(contract);
            out.open_positions = Some(open);
            out.duration_weeks = match contract {
                ContractType::Cddi => Some(rng.pick(&[17, 26, 26, 52])),
                ContractType::FixedTerm if profile.kind == K::Geiq => Some(rng.pick(&[26, 52, 78])),
                ContractType::FixedTerm => Some(rng.pick(&[26, 52])),
                _ => None,
            };
        }
        OfferKind::Training => {
            // French course names (titre professionnel, CQP, CACES) do not exist in
            // Wallonia: CISP courses are named after the trade.
            out.text.title = match profile.kind {
                K::Cisp if profile.variant.is_multiple_of(2) => {
                    format!("Formation par le travail : {job}")
                }
                K::Cisp if nth == 0 => format!("Formation aux métiers {field}"),
                K::Cisp => format!("Remise à niveau et orientation vers les métiers {field}"),
                _ => sector.trainings[(profile.variant + nth) % sector.trainings.len()].to_owned(),
            };
            let weeks = match profile.kind {
                K::Cisp => rng.between(12, 40),
                K::Association => rng.between(6, 12),
                K::Geiq => rng.between(6, 12),
                _ => rng.between(8, 30),
            } as i32;
            out.duration_weeks = Some(weeks);
            if profile.kind == K::Cisp {
                let hours = rng.pick(&[20.0, 24.0, 28.0, 30.0]);
                out.weekly_hours = Some(hours);
                let eft = profile.variant.is_multiple_of(2);
                let (form, how) = if eft {
                    (
                        "Formation par le travail",
                        "En entreprise de formation par le travail (EFT), vous apprenez en produisant pour de vrais client·es.",
                    )
                } else {
                    (
                        "Démarche de formation et d'insertion",
                        "En démarche de formation et d'insertion (DéFI), le parcours combine remise à niveau, orientation et ateliers pratiques.",
                    )
                };
                out.text.summary = fit([format!(
                    "{form} de {weeks} semaines aux métiers {field}, sans diplôme exigé, avec une indemnité de formation et le remboursement des déplacements."
                )]);
                out.text.description = format!(
                    "{how} {task_a} Vous y travaillez {skill_a}, {skill_b} et {skill_c}. Vous percevez une indemnité d'un euro brut par heure de formation et vos frais de déplacement sont remboursés."
                );
            } else {
                let hours = if profile.kind == K::Association {
                    12.0
                } else {
                    rng.pick(&[30.0, 35.0])
                };
                out.weekly_hours = Some(hours);
                let paid = profile.kind == K::TrainingBody && rng.chance(15);
                out.fees = if paid { Fees::Paid } else { Fees::Free };
                let funding = if paid {
                    "La formation est payante et peut être financée par le compte personnel de formation (CPF) ou par votre employeur."
                } else if profile.country() == Country::Be {
                    "La formation est gratuite et vous conservez vos allocations pendant toute sa durée."
                } else {
                    "Elle est financée par la Région pour les demandeur·ses d'emploi, avec une rémunération possible selon votre situation."
                };
                out.text.summary = fit([
                    format!(
                        "Formation de {weeks} semaines {in_city} pour se préparer aux métiers {field}. Au programme : {skill_a}, {skill_b} et un stage en entreprise."
                    ),
                    format!(
                        "Formation de {weeks} semaines aux métiers {field}, stage en entreprise inclus."
                    ),
                ]);
                out.text.description = format!(
                    "{task_a} La formation alterne apports en salle, pratique sur plateau technique et stage en entreprise, avec un travail sur {skill_c}. {funding}"
                );
            }
        }
        OfferKind::WorkPlacement => {
            let weeks = rng.between(1, 2) as i32;
            out.duration_weeks = Some(weeks);
            out.weekly_hours = Some(35.0);
            if profile.country() == Country::Fr {
                out.text.title = format!("Immersion professionnelle (PMSMP) : {job}");
                out.text.summary = fit([format!(
                    "{} en situation réelle pour découvrir le métier {of_job} aux côtés d'une équipe encadrante, sans engagement et en conservant vos droits.",
                    if weeks == 1 {
                        "Une semaine"
                    } else {
                        "Deux semaines"
                    }
                )]);
                out.text.description = format!(
                    "La période de mise en situation en milieu professionnel (PMSMP) permet de découvrir un métier ou de confirmer un projet. Elle est prescrite par France Travail, la Mission locale ou Cap emploi, et vous conservez votre statut et vos allocations. {task_a}"
                );
            } else {
                out.text.title = format!("Stage de découverte : {job}");
                out.text.summary = fit([format!(
                    "Un stage {} pour tester le métier {of_job} avant de vous engager dans une formation ou un emploi.",
                    if weeks == 1 {
                        "d'une semaine"
                    } else {
                        "de deux semaines"
                    }
                )]);
                out.text.description = format!(
                    "Le stage est encadré par une convention avec le Forem ou le centre qui vous suit, et vous conservez vos allocations. {task_a} Un bilan est fait avec vous à la fin du stage."
                );
            }
        }
        OfferKind::Workshop => {
            let (title, summary) =
                sector.workshops[(profile.variant + nth) % sector.workshops.len()];
            out.text.title = title.to_owned();
            out.text.summary = summary.to_owned();
            // Workshops are not about a trade's daily work: testimonials stay generic.
            out.text.skill = None;
            let next_step = if rng.chance(50) {
                " Il peut déboucher sur une immersion en entreprise ou une entrée en formation."
            } else {
                ""
            };
            out.text.description = format!(
                "L'atelier se déroule en petit groupe, sans prérequis, et il est animé par un·e professionnel·le {field}. Le matériel est fourni.{next_step}"
            );
        }
        OfferKind::InformationSession => {
            if profile.employs() {
                out.text.title = format!("Réunion d'information recrutement : {job}");
                out.text.summary = fit([format!(
                    "Présentation des postes {of_job}, du contrat et de l'accompagnement, {} et entretiens individuels dans la foulée.",
                    if matches!(profile.kind, K::Aci | K::Ei | K::Ea | K::Eta) {
                        "visite de l'atelier"
                    } else {
                        "rencontre avec des entreprises partenaires"
                    }
                )]);
            } else {
                out.text.title = format!("Information collective : les métiers {field} recrutent");
                out.text.summary = fit([format!(
                    "Découvrir en une matinée les métiers {field}, les formations et les entreprises qui recrutent près {}.",
                    t::of_town(city)
                )]);
            }
            out.text.description = format!(
                "{task_b} La réunion dure environ deux heures. Apportez un CV si vous en avez un ; ce n'est pas obligatoire."
            );
        }
        OfferKind::SupportProgramme => {
            let weeks = rng.between(6, 12) as i32;
            out.duration_weeks = Some(weeks);
            out.weekly_hours = Some(rng.pick(&[6.0, 10.0, 15.0]));
            out.text.title = format!("Parcours d'orientation vers les métiers {field}");
            out.text.summary = fit([format!(
                "{weeks} semaines pour découvrir les métiers {field}, tester un poste en immersion et préparer l'entrée en formation ou en emploi."
            )]);
            out.text.description = format!(
                "Le parcours alterne ateliers collectifs, visites d'entreprises et une immersion de deux semaines. {task_a} Un·e conseiller·e référent·e vous suit individuellement."
            );
        }
    }
    out
}

/// A generic offer template fitting the organisation, avoiding titles already used.
fn pick_generic(
    profile: &Profile,
    kind: OfferKind,
    rng: &mut Rng,
    used: &HashSet<String>,
) -> Option<&'static GenericOffer> {
    if profile.flavour == 0 {
        return None;
    }
    let fitting = || {
        GENERIC_OFFERS.iter().filter(move |offer| {
            offer.kind == kind
                && offer.flavours & profile.flavour != 0
                && !used.contains(offer.title)
        })
    };
    let count = fitting().count();
    if count == 0 {
        return None;
    }
    fitting().nth(rng.below(count))
}

/// Who the offer is for; `Everyone` is never combined with another public.
fn publics(
    profile: &Profile,
    kind: OfferKind,
    generic: Option<&GenericOffer>,
    rng: &mut Rng,
) -> Vec<Public> {
    use OrganisationKind as K;
    let mut out = Vec::new();
    if let Some(offer) = generic {
        if offer.barriers.contains(&Barrier::GenderedTrades) {
            return vec![Public::Women];
        }
        if offer.barriers.contains(&Barrier::Language) && offer.kind == OfferKind::SupportProgramme
        {
            return vec![Public::Exiles];
        }
        if offer.barriers.contains(&Barrier::Debt) && offer.kind == OfferKind::Workshop {
            return vec![Public::Families, Public::WelfareRecipients];
        }
    }
    if profile.flavour == FL_MISSION_LOCALE {
        out.push(Public::YoungPeople);
        if rng.chance(20) {
            out.push(Public::Students);
        }
    } else if matches!(profile.kind, K::Ea | K::Eta) {
        out.push(Public::PeopleWithDisabilities);
    } else if matches!(kind, OfferKind::Workshop | OfferKind::InformationSession)
        && !profile.is_siae()
        && profile.kind != K::Cisp
        && rng.chance(45)
    {
        return vec![Public::Everyone];
    } else if profile.is_siae() {
        out.extend([Public::JobSeekers, Public::WelfareRecipients]);
        if rng.chance(30) {
            out.push(Public::QpvFrrResidents);
        }
        if profile.kind == K::Aci && rng.chance(12) {
            out.push(Public::PeopleWithSpecificLegalStatus);
        }
        if rng.chance(10) {
            out.push(Public::Seniors);
        }
    } else {
        out.push(Public::JobSeekers);
        match profile.kind {
            K::Cisp if rng.chance(20) => out.push(Public::Exiles),
            K::Cisp if rng.chance(15) => out.push(Public::Women),
            K::TrainingBody if rng.chance(30) => out.push(Public::Employed),
            K::PublicEmploymentService if rng.chance(40) => out.push(Public::WelfareRecipients),
            _ => {}
        }
    }
    if generic.is_none() && profile.sector.code == "RECYCLING_TEXTILES" && rng.chance(15) {
        out.push(Public::PeopleInEmergency);
    }
    out.sort();
    out.dedup();
    out
}

/// The peripheral barriers the offer helps lift.
fn barriers(
    profile: &Profile,
    kind: OfferKind,
    sector: &SectorTemplate,
    generic: Option<&GenericOffer>,
    rng: &mut Rng,
) -> Vec<Barrier> {
    const SOCIAL: &[Barrier] = &[
        Barrier::Mobility,
        Barrier::Housing,
        Barrier::Administrative,
        Barrier::Health,
        Barrier::Debt,
        Barrier::Childcare,
    ];
    let mut out: Vec<Barrier> = match generic {
        Some(offer) => offer.barriers.to_vec(),
        None if kind == OfferKind::SupportedJob && profile.is_siae() => {
            (0..rng.between(1, 3)).map(|_| rng.pick(SOCIAL)).collect()
        }
        None if profile.kind == OrganisationKind::Cisp => {
            let mut list = vec![Barrier::Mobility];
            if rng.chance(25) {
                list.push(Barrier::Language);
            }
            list
        }
        None if sector.code == "DIGITAL" && kind == OfferKind::Workshop => {
            vec![Barrier::DigitalSkills]
        }
        None if rng.chance(40) => vec![rng.pick(SOCIAL)],
        None => Vec::new(),
    };
    let male_dominated = matches!(
        sector.code,
        "CONSTRUCTION" | "DECONSTRUCTION" | "LOGISTICS" | "BIKE_REPAIR" | "GREEN_SPACES"
    );
    let female_dominated = sector.code == "PERSONAL_SERVICES";
    if generic.is_none() && (male_dominated && rng.chance(20) || female_dominated && rng.chance(15))
    {
        out.push(Barrier::GenderedTrades);
    }
    out.sort();
    out.dedup();
    out
}

/// One to three valid theme codes: the template's, then the offer kind's.
fn themes(
    kind: OfferKind,
    sector: &SectorTemplate,
    generic: Option<&GenericOffer>,
    rng: &mut Rng,
) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = match generic {
        Some(offer) => offer.themes.iter().copied().take(3).collect(),
        None => {
            let take = rng.between(1, 2) as usize;
            let mut list: Vec<&'static str> = sector.themes.iter().copied().take(take).collect();
            list.push(rng.pick(t::kind_themes(kind)));
            list
        }
    };
    let mut seen = HashSet::new();
    out.retain(|code| seen.insert(*code));
    out.truncate(3);
    out
}

fn delivery_mode(kind: OfferKind, sector: &SectorTemplate, rng: &mut Rng) -> DeliveryMode {
    let (remote, hybrid) = match kind {
        OfferKind::SupportedJob | OfferKind::WorkPlacement => (0, 0),
        OfferKind::Training if sector.code == "DIGITAL" => (5, 30),
        OfferKind::Training => (0, 12),
        OfferKind::Workshop => (10, 10),
        OfferKind::InformationSession => (20, 5),
        OfferKind::SupportProgramme => (5, 25),
    };
    let roll = rng.below(100) as u64;
    if roll < remote {
        DeliveryMode::Remote
    } else if roll < remote + hybrid {
        DeliveryMode::Hybrid
    } else {
        DeliveryMode::OnSite
    }
}

/// A random contact person: "Nadia Lefebvre".
fn person(rng: &mut Rng) -> (&'static str, &'static str) {
    (rng.pick(t::FIRST_NAMES), rng.pick(t::LAST_NAMES))
}

fn apply(channel: ApplyChannel, value: Option<String>, instructions: Option<&str>) -> SeedApply {
    SeedApply {
        channel,
        value,
        instructions: instructions.map(str::to_owned),
    }
}

/// One to three ways to apply, each with the value its channel needs.
fn how_to_apply(
    ctx: &OrgContext<'_>,
    kind: OfferKind,
    email: &str,
    phone: &str,
    rng: &mut Rng,
) -> Vec<SeedApply> {
    use OrganisationKind as K;
    let profile = &ctx.profile;
    let domain = ctx.domain;
    let fr = profile.country() == Country::Fr;
    let mut out = Vec::new();
    match kind {
        OfferKind::SupportedJob if profile.is_siae() => {
            out.push(apply(
                ApplyChannel::PrescriberReferral,
                None,
                Some("Demandez à votre conseiller·e France Travail, Mission locale ou Cap emploi de transmettre votre candidature par la Plateforme de l'inclusion."),
            ));
            if rng.chance(60) {
                out.push(if rng.chance(50) {
                    apply(
                        ApplyChannel::Phone,
                        Some(phone.to_owned()),
                        Some("Du lundi au vendredi, de 9 h à 12 h."),
                    )
                } else {
                    apply(
                        ApplyChannel::Email,
                        Some(email.to_owned()),
                        Some("Joignez un CV, même succinct."),
                    )
                });
            }
            if rng.chance(25) {
                out.push(apply(
                    ApplyChannel::Visit,
                    None,
                    Some("Venez à la réunion d'information du mardi matin, sans rendez-vous."),
                ));
            }
        }
        OfferKind::SupportedJob if profile.kind == K::Ei && !fr => {
            out.push(apply(
                ApplyChannel::PrescriberReferral,
                None,
                Some("Candidature par l'intermédiaire de votre CPAS ou de votre conseiller·e du Forem."),
            ));
            out.push(apply(ApplyChannel::Phone, Some(phone.to_owned()), None));
        }
        OfferKind::SupportedJob => {
            out.push(apply(
                ApplyChannel::Online,
                Some(format!("https://www.{domain}/recrutement")),
                Some("Remplissez le formulaire de candidature en ligne."),
            ));
            if rng.chance(60) {
                out.push(apply(
                    ApplyChannel::Email,
                    Some(email.to_owned()),
                    Some("CV et quelques mots sur votre projet."),
                ));
            }
        }
        OfferKind::Training if profile.kind == K::Cisp => {
            out.push(apply(
                ApplyChannel::Visit,
                None,
                Some("Une séance d'information est obligatoire avant l'entrée en formation."),
            ));
            out.push(apply(
                ApplyChannel::Phone,
                Some(phone.to_owned()),
                Some("Pour connaître la date de la prochaine séance."),
            ));
            if rng.chance(30) {
                out.push(apply(
                    ApplyChannel::PrescriberReferral,
                    None,
                    Some("Orientation possible par votre conseiller·e du Forem ou votre CPAS."),
                ));
            }
        }
        OfferKind::Training => {
            out.push(apply(
                ApplyChannel::Online,
                Some(format!("https://www.{domain}/formations/inscription")),
                Some("Inscription en ligne, puis test de positionnement et entretien."),
            ));
            if rng.chance(50) {
                out.push(apply(ApplyChannel::Phone, Some(phone.to_owned()), None));
            }
            if fr && rng.chance(30) {
                out.push(apply(
                    ApplyChannel::PrescriberReferral,
                    None,
                    Some("Parlez-en à votre conseiller·e pour le financement."),
                ));
            }
        }
        OfferKind::WorkPlacement if fr => {
            out.push(apply(
                ApplyChannel::PrescriberReferral,
                None,
                Some("La convention d'immersion est signée par votre conseiller·e France Travail, Mission locale ou Cap emploi."),
            ));
            if rng.chance(50) {
                out.push(apply(
                    ApplyChannel::Email,
                    Some(email.to_owned()),
                    Some("Précisez les dates souhaitées."),
                ));
            }
        }
        OfferKind::WorkPlacement => {
            out.push(apply(
                ApplyChannel::Email,
                Some(email.to_owned()),
                Some("Précisez le métier et les dates souhaités."),
            ));
            out.push(apply(ApplyChannel::Phone, Some(phone.to_owned()), None));
        }
        _ => {
            match rng.below(3) {
                0 => out.push(apply(
                    ApplyChannel::Online,
                    Some(format!("https://www.{domain}/agenda")),
                    Some("Inscription en ligne, confirmation par SMS."),
                )),
                1 => out.push(apply(
                    ApplyChannel::Phone,
                    Some(phone.to_owned()),
                    Some("Inscription par téléphone."),
                )),
                _ => out.push(apply(
                    ApplyChannel::Visit,
                    None,
                    Some("Inscription à l'accueil, aux heures d'ouverture."),
                )),
            }
            if rng.chance(40) {
                out.push(apply(ApplyChannel::Email, Some(email.to_owned()), None));
            }
        }
    }
    out.truncate(3);
    out
}

fn condition(
    kind: ConditionKind,
    mandatory: bool,
    description: impl Into<String>,
) -> SeedCondition {
    SeedCondition {
        kind,
        mandatory,
        description: description.into(),
        min_age: None,
        max_age: None,
        min_months_registered: None,
        max_diploma_level: None,
        zone_kind: None,
        zone_codes: Vec::new(),
        language_level: None,
    }
}

/// "Lille, Roubaix ou Tourcoing".
fn french_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [head @ .., last] => format!("{} ou {last}", head.join(", ")),
    }
}

/// A residence condition fitting the town: QPV/ZRR, départements or communes.
fn residence_condition(town: &Town, sector: &SectorTemplate, rng: &mut Rng) -> SeedCondition {
    let dept = t::departement(town.commune_code);
    let nearby: Vec<&Town> = TOWNS
        .iter()
        .filter(|other| other.country == town.country && t::departement(other.commune_code) == dept)
        .take(3)
        .collect();
    let roll = rng.below(4);
    if town.country == Country::Fr && roll == 0 {
        let mut c = condition(
            ConditionKind::ResidenceZone,
            true,
            "Résider dans un quartier prioritaire de la politique de la ville (QPV).",
        );
        c.zone_kind = Some(ZoneKind::Qpv);
        return c;
    }
    if town.country == Country::Fr && roll == 1 && sector.code == "AGRICULTURE" {
        let mut c = condition(
            ConditionKind::ResidenceZone,
            true,
            "Résider dans une commune classée en zone de revitalisation rurale (ZRR / FRR).",
        );
        c.zone_kind = Some(ZoneKind::Zrr);
        return c;
    }
    if town.country == Country::Fr && (dept == "59" || dept == "62") && roll == 2 {
        let mut c = condition(
            ConditionKind::ResidenceZone,
            true,
            "Résider dans le Nord ou le Pas-de-Calais.",
        );
        c.zone_kind = Some(ZoneKind::Departements);
        c.zone_codes = vec!["59".to_owned(), "62".to_owned()];
        return c;
    }
    let names: Vec<&str> = nearby.iter().map(|town| town.city).collect();
    let mut c = condition(
        ConditionKind::ResidenceZone,
        true,
        format!("Résider à {}.", french_list(&names)),
    );
    c.zone_kind = Some(ZoneKind::Communes);
    c.zone_codes = nearby
        .iter()
        .map(|town| town.commune_code.to_owned())
        .collect();
    c
}

/// The eligibility conditions: the IAE or CISP rule where it applies, then a few others.
fn conditions(
    ctx: &OrgContext<'_>,
    kind: OfferKind,
    sector: &SectorTemplate,
    generic: Option<&GenericOffer>,
    rng: &mut Rng,
    detail: Detail,
) -> Vec<SeedCondition> {
    use OrganisationKind as K;
    let profile = &ctx.profile;
    let fr = profile.country() == Country::Fr;
    let mut out = Vec::new();
    if let Some(threshold) = profile.kind.iae_level2_threshold().filter(|_| fr) {
        let count = if threshold == 2 { "deux" } else { "trois" };
        out.push(condition(
            ConditionKind::IaeCriteria,
            true,
            format!(
                "Éligibilité IAE : percevoir le RSA, l'ASS ou l'AAH, être inscrit·e à France Travail depuis 24 mois ou plus, ou cumuler {count} critères de niveau 2 (moins de 26 ans, 50 ans et plus, niveau CAP/BEP au plus, résidence en QPV ou en ZRR…). Une orientation par un prescripteur habilité dispense de cette vérification."
            ),
        ));
    }
    if profile.kind == K::Cisp {
        out.push(condition(
            ConditionKind::CispRule,
            true,
            "Être inscrit·e comme demandeur·se d'emploi inoccupé·e au Forem, ne plus être soumis·e à l'obligation scolaire et ne pas être titulaire du CESS, sauf dérogation (par exemple 18 mois de chômage sur les 24 derniers mois).",
        ));
    }
    if matches!(profile.kind, K::Ea | K::Eta)
        && matches!(kind, OfferKind::SupportedJob | OfferKind::WorkPlacement)
    {
        out.push(condition(
            ConditionKind::RecognisedDisability,
            true,
            if fr {
                "Bénéficier d'une reconnaissance de la qualité de travailleur handicapé (RQTH) et d'une orientation vers le marché du travail."
            } else {
                "Être reconnu·e par l'AViQ comme personne en situation de handicap, avec un accès à l'entreprise de travail adapté."
            },
        ));
    }
    if profile.flavour == FL_MISSION_LOCALE {
        let mut c = condition(
            ConditionKind::Age,
            true,
            "Avoir entre 16 et 25 ans révolus (moins de 26 ans).",
        );
        c.min_age = Some(16);
        c.max_age = Some(25);
        out.push(c);
    }

    // Other conditions: about half the offers get one or two, chosen to fit.
    // Information sessions are open to anyone curious: no extra condition.
    let wanted = match detail {
        _ if kind == OfferKind::InformationSession => 0,
        Detail::Full if rng.chance(65) => rng.between(1, 2) as usize,
        Detail::Light if rng.chance(45) => 1,
        _ => 0,
    };
    if wanted == 0 {
        return out;
    }
    let mut candidates: Vec<SeedCondition> = Vec::new();
    let trade = matches!(
        kind,
        OfferKind::SupportedJob | OfferKind::Training | OfferKind::WorkPlacement
    );
    if sector.licence && trade && generic.is_none() {
        candidates.push(if rng.chance(50) {
            condition(
                ConditionKind::DrivingLicence,
                true,
                "Permis B exigé (déplacements entre les chantiers ou livraisons).",
            )
        } else {
            condition(
                ConditionKind::DrivingLicence,
                false,
                "Permis B apprécié, non obligatoire.",
            )
        });
    }
    if kind == OfferKind::SupportProgramme {
        candidates.push(condition(
            ConditionKind::FreeText,
            false,
            "Être disponible sur toute la durée du parcours.",
        ));
    } else if kind == OfferKind::Workshop {
        candidates.push(condition(
            ConditionKind::FreeText,
            false,
            "S'engager à venir à toutes les séances.",
        ));
    } else if generic.is_none() {
        let free_text = match sector.code {
            _ if sector.outdoor => "Être motivé·e par le travail en extérieur, par tous les temps.",
            "CLEANING" => "Accepter des horaires décalés (tôt le matin ou en soirée).",
            "CATERING" => "Accepter de travailler certains week-ends et jours fériés.",
            _ if kind == OfferKind::Training => {
                "Avoir un projet professionnel dans le secteur, même encore en construction."
            }
            _ => "Aimer le travail en équipe et le contact avec le public.",
        };
        candidates.push(condition(ConditionKind::FreeText, false, free_text));
    }
    let language_help = generic.is_some_and(|offer| offer.barriers.contains(&Barrier::Language));
    if trade && !language_help && profile.kind != K::Cisp {
        let level = if kind == OfferKind::Training && rng.chance(25) {
            "B1"
        } else {
            "A2"
        };
        let mut c = condition(
            ConditionKind::LanguageLevel,
            true,
            format!(
                "Comprendre et parler le français au niveau {level} (consignes de travail et de sécurité)."
            ),
        );
        c.language_level = Some(level.to_owned());
        candidates.push(c);
    }
    if fr && matches!(kind, OfferKind::Training | OfferKind::SupportProgramme) {
        let (level, text) = if rng.chance(50) {
            (
                4,
                "Ne pas être titulaire d'un diplôme supérieur au baccalauréat (niveau 4).",
            )
        } else {
            (3, "Niveau CAP/BEP au plus (niveau 3).")
        };
        let mut c = condition(ConditionKind::MaxDiplomaLevel, true, text);
        c.max_diploma_level = Some(level);
        candidates.push(c);
    }
    if !profile.is_siae()
        && profile.kind != K::Cisp
        && profile.flavour != FL_MISSION_LOCALE
        && matches!(
            kind,
            OfferKind::Training | OfferKind::SupportProgramme | OfferKind::WorkPlacement
        )
    {
        let months = if rng.chance(50) { 6 } else { 12 };
        let text = if fr {
            format!("Être inscrit·e à France Travail depuis au moins {months} mois.")
        } else {
            format!(
                "Être inscrit·e au Forem comme demandeur·se d'emploi inoccupé·e depuis au moins {months} mois."
            )
        };
        let mut c = condition(ConditionKind::JobSeeker, true, text);
        c.min_months_registered = Some(months);
        candidates.push(c);
    }
    if profile.flavour == FL_PLIE || rng.chance(40) {
        candidates.push(residence_condition(profile.town, sector, rng));
    }
    if kind == OfferKind::WorkPlacement
        || profile.flavour == FL_PLIE
        || (profile.kind == K::Ei && !fr)
    {
        candidates.push(condition(
            ConditionKind::PrescriptionRequired,
            true,
            if fr {
                "Être orienté·e par un·e conseiller·e France Travail, Mission locale ou Cap emploi."
            } else {
                "Être orienté·e par le CPAS ou par un·e conseiller·e du Forem."
            },
        ));
    }
    if profile.employs() && profile.flavour != FL_MISSION_LOCALE && kind == OfferKind::SupportedJob
    {
        let mut c = condition(ConditionKind::Age, true, "Être majeur·e.");
        c.min_age = Some(18);
        candidates.push(c);
    }
    for _ in 0..wanted {
        if candidates.is_empty() {
            break;
        }
        let index = rng.below(candidates.len());
        out.push(candidates.swap_remove(index));
    }
    out
}

/// Weekly schedules in OpenStreetMap syntax, by kind of offer.
fn schedule(kind: OfferKind, profile: &Profile, rng: &mut Rng) -> &'static str {
    match kind {
        OfferKind::Training if profile.kind == OrganisationKind::Cisp => {
            "Mo-Th 08:30-12:00,12:30-16:00"
        }
        OfferKind::Training => rng.pick(&[
            "Mo-Fr 09:00-12:30,13:30-16:30",
            "Mo-Th 08:30-12:30,13:30-16:30",
        ]),
        OfferKind::Workshop => rng.pick(&["We 14:00-16:30", "Tu 09:30-11:30", "Th 14:00-16:00"]),
        OfferKind::InformationSession => {
            rng.pick(&["Tu 09:30-11:30", "Th 14:00-16:00", "Mo 10:00-12:00"])
        }
        OfferKind::SupportProgramme => rng.pick(&["Mo,Th 09:00-12:00", "Tu,Fr 13:30-16:30"]),
        OfferKind::WorkPlacement => "Mo-Fr 08:00-12:00,13:00-16:00",
        OfferKind::SupportedJob => "Tu 09:00-12:00",
    }
}

/// Sessions: several for courses, workshops and information sessions, at most two
/// recruitment sessions for jobs. Some are past, some full, a few cancelled.
fn slots(
    kind: OfferKind,
    profile: &Profile,
    duration_weeks: Option<i32>,
    delivery: DeliveryMode,
    rng: &mut Rng,
    detail: Detail,
) -> Vec<SeedSlot> {
    let count = match (kind, detail) {
        (OfferKind::SupportedJob | OfferKind::WorkPlacement, Detail::Full) => rng.between(0, 2),
        (OfferKind::SupportedJob | OfferKind::WorkPlacement, Detail::Light) => rng.between(0, 1),
        (_, Detail::Full) => rng.between(1, 5),
        (_, Detail::Light) => rng.between(1, 3),
    } as usize;
    let weeks = i64::from(duration_weeks.unwrap_or(1).max(1));
    let length_days = match kind {
        OfferKind::Training | OfferKind::WorkPlacement => weeks * 7 - 3,
        OfferKind::SupportProgramme => weeks * 7 - 1,
        OfferKind::Workshop if rng.chance(40) => 21,
        _ => 0,
    };
    let past = rng.chance(20);
    let mut starts: Vec<i64> = (0..count)
        .map(|index| {
            if past && index == 0 {
                rng.between(-200, -7)
            } else {
                rng.between(3, 365)
            }
        })
        .collect();
    starts.sort_unstable();
    let schedule = schedule(kind, profile, rng);
    starts
        .into_iter()
        .map(|starts_in_days| {
            let seats_total = rng.between(6, 16) as i32;
            let full = rng.chance(15) || (starts_in_days < 0 && rng.chance(60));
            let seats_taken = if full {
                seats_total
            } else if starts_in_days < 0 {
                rng.between(i64::from(seats_total) / 2, i64::from(seats_total) - 1) as i32
            } else {
                rng.between(0, i64::from(seats_total) - 1) as i32
            };
            let training = kind == OfferKind::Training;
            let registration_opens_days_before = if training || rng.chance(50) {
                Some(rng.between(14, 90))
            } else {
                None
            };
            let registration_closes_days_before = if training {
                Some(rng.pick(&[1, 2, 3, 7]))
            } else if registration_opens_days_before.is_some() {
                Some(rng.pick(&[0, 1, 3]))
            } else {
                None
            };
            let info_session_days_before =
                (training && rng.chance(70)).then(|| rng.between(10, 20));
            let remote = match delivery {
                DeliveryMode::Remote => true,
                DeliveryMode::Hybrid => rng.chance(30),
                DeliveryMode::OnSite => false,
            };
            SeedSlot {
                starts_in_days,
                length_days,
                registration_opens_days_before,
                registration_closes_days_before,
                info_session_days_before,
                seats_total,
                seats_taken,
                cancelled: rng.chance(5),
                schedule: Some(schedule.to_owned()),
                remote,
            }
        })
        .collect()
}

/// Testimonials: about two offers in five get one to three, mostly approved.
fn testimonials(
    ctx: &OrgContext<'_>,
    kind: OfferKind,
    skill: Option<&str>,
    rng: &mut Rng,
    detail: Detail,
) -> Vec<SeedTestimonial> {
    let count = match detail {
        Detail::Full if rng.chance(40) => rng.between(1, 3),
        Detail::Light if rng.chance(25) => 1,
        _ => 0,
    };
    let employer_fits = matches!(
        kind,
        OfferKind::SupportedJob | OfferKind::WorkPlacement | OfferKind::Training
    );
    (0..count)
        .map(|_| {
            let status_roll = rng.below(100);
            let status = match status_roll {
                0..80 => TestimonialStatus::Approved,
                80..93 => TestimonialStatus::Pending,
                _ => TestimonialStatus::Rejected,
            };
            let role_roll = rng.below(100);
            let role = match role_roll {
                // A rejected testimonial is a participant's post that broke the rules.
                _ if status == TestimonialStatus::Rejected => TestimonialRole::Trainee,
                0..75 => TestimonialRole::Trainee,
                75..87 if employer_fits => TestimonialRole::Employer,
                _ => TestimonialRole::Adviser,
            };
            let (first, last) = person(rng);
            let initial = last.chars().next().unwrap_or('X');
            let author_name = if role == TestimonialRole::Trainee && rng.chance(15) {
                rng.pick(t::PSEUDONYMS).to_owned()
            } else {
                format!("{first} {initial}.")
            };
            let body = if status == TestimonialStatus::Rejected {
                rng.pick(t::REJECTED_BODIES).to_owned()
            } else {
                match role {
                    TestimonialRole::Employer => {
                        rng.pick(t::EMPLOYER_BODIES).replace("{org}", ctx.name)
                    }
                    TestimonialRole::Adviser => {
                        rng.pick(t::ADVISER_BODIES).replace("{org}", ctx.name)
                    }
                    TestimonialRole::Trainee => {
                        // Trade skills only make sense after a job, a course or a placement.
                        let middle = match skill.filter(|_| employer_fits) {
                            Some(skill) => rng.pick(t::TRAINEE_MIDDLES).replace("{skill}", skill),
                            None => rng.pick(t::GENERIC_MIDDLES).to_owned(),
                        };
                        match rng.below(3) {
                            0 => middle,
                            1 => format!("{} {middle}", rng.pick(t::TRAINEE_OPENINGS)),
                            _ => format!(
                                "{} {middle} {}",
                                rng.pick(t::TRAINEE_OPENINGS),
                                rng.pick(t::TRAINEE_ENDINGS)
                            ),
                        }
                    }
                }
            };
            let cohort = format!("{}-{:02}", rng.between(2024, 2026), rng.between(1, 12));
            SeedTestimonial {
                author_name,
                role,
                body,
                cohort,
                status,
            }
        })
        .collect()
}

/// Builds one offer of an organisation. `nth` is its rank among the organisation's
/// offers (it varies job titles); `used_titles` avoids two identical titles in one
/// organisation of the demo.
pub(super) fn build_offer(
    ctx: &OrgContext<'_>,
    kind: OfferKind,
    nth: usize,
    rng: &mut Rng,
    detail: Detail,
    used_titles: &mut HashSet<String>,
) -> SeedOffer {
    use OrganisationKind as K;
    let profile = &ctx.profile;
    // Generic job-search offers for services and associations, most of the time.
    let generic = match profile.kind {
        K::PublicEmploymentService | K::Association | K::Other if rng.chance(75) => {
            pick_generic(profile, kind, rng, used_titles)
        }
        K::TrainingBody if kind == OfferKind::Workshop && rng.chance(50) => {
            pick_generic(profile, kind, rng, used_titles)
        }
        _ => None,
    };
    // Services, trainers and associations cover several trades; others keep theirs.
    let rotates = matches!(
        profile.kind,
        K::PublicEmploymentService | K::Association | K::Other | K::TrainingBody
    ) || (profile.kind == K::Aci && nth >= 2 && rng.chance(30));
    let sector: &'static SectorTemplate = match generic {
        Some(offer) if offer.digital => &SECTORS[t::sector_index("DIGITAL")],
        Some(_) => profile.sector,
        None if rotates && nth > 0 => {
            let own = t::sector_index(profile.sector.code);
            &SECTORS[(own + nth * 5 + rng.below(3)) % SECTORS.len()]
        }
        None => profile.sector,
    };

    let (text, weekly_hours, duration_weeks, contract_type, open_positions, fees) = match generic {
        Some(offer) => {
            let (weeks, hours) = match offer.kind {
                OfferKind::SupportProgramme => (
                    Some(rng.between(8, 26) as i32),
                    Some(rng.pick(&[3.0, 6.0, 10.0])),
                ),
                OfferKind::Training => (Some(rng.between(6, 12) as i32), Some(12.0)),
                _ => (None, None),
            };
            (
                Text {
                    title: offer.title.to_owned(),
                    summary: offer.summary.to_owned(),
                    description: offer.description.to_owned(),
                    skill: None,
                },
                hours,
                weeks,
                None,
                None,
                Fees::Free,
            )
        }
        None => {
            let built = sector_offer(ctx, sector, kind, nth, rng);
            (
                built.text,
                built.weekly_hours,
                built.duration_weeks,
                built.contract_type,
                built.open_positions,
                built.fees,
            )
        }
    };
    let mut title = text.title;
    if used_titles.contains(&title) {
        title = format!("{title} – groupe {}", nth + 1);
    }
    used_titles.insert(title.clone());

    let delivery_mode = delivery_mode(kind, sector, rng);
    let place = match delivery_mode {
        DeliveryMode::Remote => None,
        _ if rng.chance(12) => Some(place_in(profile.town, rng)),
        _ => None,
    };
    let (first, last) = person(rng);
    let org_email = format!("contact@{}", ctx.domain);
    let contact_email = rng.chance(70).then(|| {
        let initial = t::slug(&first.chars().take(1).collect::<String>());
        format!("{initial}.{}@{}", t::slug(last), ctx.domain)
    });
    let phone = t::phone(profile.town, rng);
    let apply_email = contact_email.clone().unwrap_or(org_email);
    let how_to_apply = how_to_apply(ctx, kind, &apply_email, &phone, rng);
    let mut publics = publics(profile, kind, generic, rng);
    let mut barriers = barriers(profile, kind, sector, generic, rng);
    // "Bâtir au féminin"-style workshops are for women entering male-dominated trades.
    if title.contains("au féminin") {
        publics = vec![Public::Women];
        if !barriers.contains(&Barrier::GenderedTrades) {
            barriers.push(Barrier::GenderedTrades);
            barriers.sort();
        }
    }
    let themes = themes(kind, sector, generic, rng);
    let conditions = conditions(ctx, kind, sector, generic, rng, detail);
    let slots = slots(kind, profile, duration_weeks, delivery_mode, rng, detail);
    let testimonials = testimonials(ctx, kind, text.skill, rng, detail);
    let mut summary = text.summary;
    if delivery_mode == DeliveryMode::Remote {
        summary = fit([format!("{summary} En visioconférence."), summary]);
    }
    SeedOffer {
        organisation: ctx.index,
        title,
        summary,
        description: text.description,
        kind,
        sector: sector.code,
        publics,
        barriers,
        themes,
        delivery_mode,
        place,
        weekly_hours,
        duration_weeks,
        contract_type,
        open_positions,
        fees,
        how_to_apply,
        contact_name: rng.chance(75).then(|| format!("{first} {last}")),
        contact_email,
        contact_phone: rng.chance(60).then_some(phone),
        conditions,
        slots,
        testimonials,
        verified_days_ago: rng.chance(85).then(|| rng.between(0, 400) as u32),
        updated_days_ago: rng.between(0, 500) as u32,
    }
}

/// The profiles of the demo organisations, kind by kind, towns drawn from a shuffled
/// wheel where Nord and Pas-de-Calais towns appear twice.
fn demo_profiles(rng: &mut Rng) -> Vec<Profile> {
    let mut wheels: Vec<(Country, Vec<&'static Town>, usize)> = [Country::Fr, Country::Be]
        .into_iter()
        .map(|country| {
            let mut wheel: Vec<&'static Town> = Vec::new();
            for town in TOWNS.iter().filter(|town| town.country == country) {
                wheel.push(town);
                if matches!(t::departement(town.commune_code), "59" | "62")
                    && country == Country::Fr
                {
                    wheel.push(town);
                }
            }
            // Fisher–Yates with the seeded generator: deterministic, yet kinds spread.
            for i in (1..wheel.len()).rev() {
                let j = rng.below(i + 1);
                wheel.swap(i, j);
            }
            (country, wheel, 0)
        })
        .collect();
    let mut profiles = Vec::new();
    for &(kind, country, count) in DEMO_MIX {
        let sectors = kind_sectors(kind, country);
        let offset = if matches!(
            kind,
            OrganisationKind::PublicEmploymentService | OrganisationKind::Other
        ) {
            0
        } else {
            rng.below(6)
        };
        for index in 0..count {
            let Some((_, wheel, cursor)) = wheels.iter_mut().find(|(c, _, _)| *c == country) else {
                continue;
            };
            let town = wheel[*cursor % wheel.len()];
            *cursor += 1;
            let sector = sectors[index % sectors.len()];
            // Consecutive variants cycle through name stems and job titles; employment
            // services alternate France Travail / Mission locale by parity.
            let variant = index + offset;
            profiles.push(Profile::new(kind, town, sector, variant));
        }
    }
    profiles
}

/// The demo catalogue: about 170 organisations in 59 towns and 500 offers, identical on
/// every call.
pub fn demo_catalogue() -> (Vec<SeedOrganisation>, Vec<SeedOffer>) {
    let mut rng = Rng::new(DEMO_SEED);
    let profiles = demo_profiles(&mut rng);
    let mut used_names: HashSet<String> = HashSet::new();
    let mut organisations = Vec::with_capacity(profiles.len());
    let mut offers = Vec::new();
    for (index, profile) in profiles.iter().enumerate() {
        let mut attempt = 0;
        let mut name = organisation_name(profile, attempt);
        while used_names.contains(&name) {
            attempt += 1;
            name = organisation_name(profile, attempt);
        }
        used_names.insert(name.clone());
        let organisation = build_organisation(profile, name, &mut rng);
        let domain = organisation_domain(profile, &organisation.name);
        let ctx = OrgContext {
            index,
            profile: *profile,
            name: &organisation.name,
            domain: &domain,
        };
        let plan = offer_plan(profile);
        let count = rng.between(2, 4).min(plan.len() as i64) as usize;
        let mut used_titles = HashSet::new();
        for (nth, kind) in plan.iter().take(count).enumerate() {
            offers.push(build_offer(
                &ctx,
                *kind,
                nth,
                &mut rng,
                Detail::Full,
                &mut used_titles,
            ));
        }
        organisations.push(organisation);
    }
    (organisations, offers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::editing::validate::{accessibility_url, bce_valid, luhn_valid};
    use crate::seed::model::SECTOR_CODES;
    use crate::seed::templates::THEME_CODES;

    #[test]
    fn counts_and_coverage() {
        let (organisations, offers) = demo_catalogue();
        assert!(
            organisations.len() >= 160,
            "{} organisations",
            organisations.len()
        );
        assert!(offers.len() >= 420, "{} offers", offers.len());
        let towns: HashSet<&str> = organisations
            .iter()
            .map(|o| o.place.commune_code.as_str())
            .collect();
        assert!(towns.len() >= 40, "{} towns", towns.len());
        for kind in OrganisationKind::ALL {
            assert!(organisations.iter().any(|o| o.kind == *kind), "no {kind:?}");
        }
        for sector in SECTOR_CODES {
            assert!(offers.iter().any(|o| o.sector == *sector), "no {sector}");
        }
        for kind in OfferKind::ALL {
            assert!(offers.iter().any(|o| o.kind == *kind), "no {kind:?}");
        }
        let names: HashSet<&str> = organisations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(
            names.len(),
            organisations.len(),
            "organisation names are unique"
        );
    }

    #[test]
    fn organisations_are_well_formed() {
        let (organisations, _) = demo_catalogue();
        for organisation in &organisations {
            let town = TOWNS
                .iter()
                .find(|town| town.commune_code == organisation.place.commune_code)
                .expect("a known town");
            assert_eq!(town.country, organisation.country, "{}", organisation.name);
            assert!((organisation.place.latitude - town.latitude).abs() <= 0.02 + 1e-9);
            assert!((organisation.place.longitude - town.longitude).abs() <= 0.02 + 1e-9);
            if let Some(url) = &organisation.accessibility_url {
                assert!(
                    accessibility_url("accessibilityUrl", url, organisation.country).is_ok(),
                    "{url}"
                );
            }
            match organisation.country {
                Country::Fr => {
                    assert_eq!(organisation.company_number.len(), 14);
                    assert!(
                        luhn_valid(&organisation.company_number),
                        "{}",
                        organisation.company_number
                    );
                    assert!(!matches!(
                        organisation.kind,
                        OrganisationKind::Cisp | OrganisationKind::Eta
                    ));
                }
                Country::Be => {
                    assert!(organisation.company_number.starts_with('0'));
                    assert!(
                        bce_valid(&organisation.company_number),
                        "{}",
                        organisation.company_number
                    );
                }
            }
            assert!(organisation.name.chars().count() <= 200);
            for network in &organisation.networks {
                assert!(
                    network.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                    "{network}"
                );
            }
        }
    }

    #[test]
    fn offers_respect_invariants() {
        let (organisations, offers) = demo_catalogue();
        let mut with_extra_condition = 0;
        for offer in &offers {
            let organisation = &organisations[offer.organisation];
            assert!(!offer.title.is_empty() && offer.title.chars().count() <= 200);
            assert!(
                offer.summary.chars().count() <= SUMMARY_MAX_CHARS,
                "{}",
                offer.summary
            );
            let sentences = offer.description.matches(". ").count() + 1;
            assert!((2..=5).contains(&sentences), "{}", offer.description);
            assert!(SECTOR_CODES.contains(&offer.sector));
            assert!(!offer.publics.is_empty());
            if offer.publics.contains(&Public::Everyone) {
                assert_eq!(offer.publics.len(), 1, "{}", offer.title);
            }
            assert!((1..=3).contains(&offer.themes.len()), "{}", offer.title);
            for theme in &offer.themes {
                assert!(THEME_CODES.contains(theme), "{theme}");
            }
            assert!((1..=3).contains(&offer.how_to_apply.len()));
            for way in &offer.how_to_apply {
                match way.channel {
                    ApplyChannel::Online => {
                        assert!(
                            way.value
                                .as_deref()
                                .is_some_and(|v| v.starts_with("https://"))
                        )
                    }
                    ApplyChannel::Email => {
                        assert!(way.value.as_deref().is_some_and(|v| v.contains('@')))
                    }
                    ApplyChannel::Phone => assert!(way.value.is_some()),
                    _ => {}
                }
            }
            let siae = organisation.country == Country::Fr
                && organisation.kind.iae_level2_threshold().is_some();
            let iae = offer
                .conditions
                .iter()
                .filter(|c| c.kind == ConditionKind::IaeCriteria)
                .count();
            assert_eq!(iae, usize::from(siae), "{}", offer.title);
            for condition in &offer.conditions {
                if condition.kind == ConditionKind::IaeCriteria {
                    assert!(
                        condition.mandatory
                            && condition.description.starts_with("Éligibilité IAE : ")
                    );
                }
                if let (Some(min), Some(max)) = (condition.min_age, condition.max_age) {
                    assert!(min <= max);
                }
            }
            let cisp = offer
                .conditions
                .iter()
                .any(|c| c.kind == ConditionKind::CispRule && c.mandatory);
            assert_eq!(
                cisp,
                organisation.kind == OrganisationKind::Cisp,
                "{}",
                offer.title
            );
            if offer
                .conditions
                .iter()
                .any(|c| !matches!(c.kind, ConditionKind::IaeCriteria | ConditionKind::CispRule))
            {
                with_extra_condition += 1;
            }
            if offer.kind == OfferKind::SupportedJob {
                assert!(offer.contract_type.is_some() && offer.open_positions.is_some());
                let hours = offer.weekly_hours.unwrap_or(0.0);
                assert!((20.0..=35.0).contains(&hours), "{hours}");
            }
            if offer.delivery_mode == DeliveryMode::Remote {
                assert!(offer.place.is_none());
            }
            if matches!(
                offer.kind,
                OfferKind::Training
                    | OfferKind::Workshop
                    | OfferKind::InformationSession
                    | OfferKind::SupportProgramme
            ) {
                assert!((1..=5).contains(&offer.slots.len()));
            }
            for slot in &offer.slots {
                assert!(slot.seats_taken <= slot.seats_total && slot.seats_taken >= 0);
                assert!(slot.length_days >= 0);
                if let (Some(open), Some(close)) = (
                    slot.registration_opens_days_before,
                    slot.registration_closes_days_before,
                ) {
                    assert!(open >= close);
                }
            }
            assert!(offer.testimonials.len() <= 3);
            for testimonial in &offer.testimonials {
                assert!(testimonial.author_name.chars().count() <= 80);
                let year: i32 = testimonial.cohort[..4].parse().unwrap_or(0);
                assert!((2024..=2026).contains(&year) && testimonial.cohort.len() == 7);
            }
        }
        let share = with_extra_condition as f64 / offers.len() as f64;
        assert!((0.45..=0.8).contains(&share), "{share}");
    }

    #[test]
    fn is_deterministic() {
        assert_eq!(demo_catalogue(), demo_catalogue());
    }
}
