//! What a person tells about themselves: every fact optional, `None` meaning "not told".

use chrono::NaiveDate;
use entity::enums::Country;

/// A social benefit the person receives; each one is an IAE level-1 criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Benefit {
    /// Revenu de solidarité active.
    Rsa,
    /// Allocation de solidarité spécifique.
    Ass,
    /// Allocation aux adultes handicapés.
    Aah,
}

/// Highest certificate of the French-speaking Belgian school system, lowest first, so
/// that `<=` compares levels (the CISP rule accepts up to [`BelgianCertificate::Cess`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BelgianCertificate {
    /// No certificate.
    None,
    /// Certificat d'études de base (end of primary school).
    Ceb,
    /// Certificat d'études du premier degré (after two years of secondary school).
    Ce1d,
    /// Certificat d'enseignement secondaire du deuxième degré (after four years).
    Ce2d,
    /// Certificat d'enseignement secondaire supérieur (upper secondary, end of school).
    Cess,
    /// Any higher-education degree.
    HigherEducation,
}

/// The facts about a person that eligibility rules look at.
///
/// Every field is optional because people answer only some questions: a `None` makes
/// the conditions that need the fact `Unknown`. For lists, `Some(vec![])` is an answer
/// ("none") and differs from `None` ("not told").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// Date of birth; ages (and the IAE SENIOR / JEUNE criteria) derive from it.
    pub birth_date: Option<NaiveDate>,
    /// Since when the person is a registered job seeker (France Travail in France).
    pub job_seeker_since: Option<NaiveDate>,
    /// Whether the person is a registered job seeker; a `job_seeker_since` date implies it.
    pub registered_job_seeker: Option<bool>,
    /// Benefits received; `Some(vec![])` means none.
    pub benefits: Option<Vec<Benefit>>,
    /// Highest French qualification level, 1–8 (3 = CAP/BEP, 4 = baccalauréat).
    pub diploma_level: Option<u8>,
    /// Commune of residence: a French INSEE code (`2A`/`2B` for Corsica) or a Belgian
    /// NIS code, five characters.
    pub residence_commune_code: Option<String>,
    /// Lives in a quartier prioritaire de la ville (QPV).
    pub lives_in_qpv: Option<bool>,
    /// Lives in a zone de revitalisation rurale (ZRR / France Ruralités Revitalisation).
    pub lives_in_zrr: Option<bool>,
    /// Holds a recognised-disabled-worker status (RQTH in France).
    pub recognised_disability: Option<bool>,
    /// Raises children alone.
    pub single_parent: Option<bool>,
    /// Homeless, hosted by others, or with a history of living on the street.
    pub homeless: Option<bool>,
    /// Refugee, under temporary or subsidiary protection, or asylum seeker.
    pub refugee: Option<bool>,
    /// Leaving child welfare (aide sociale à l'enfance).
    pub left_child_welfare: Option<bool>,
    /// Leaving detention or under court supervision.
    pub left_detention: Option<bool>,
    /// French below CEFR level A1.
    pub french_below_a1: Option<bool>,
    /// Has a mobility problem (no transport, cannot travel far…).
    pub mobility_problem: Option<bool>,
    /// Holds a driving licence.
    pub driving_licence: Option<bool>,
    /// Referred by an authorised prescriber (prescripteur habilité); waives the IAE check.
    pub prescribed_by_authorised_prescriber: Option<bool>,
    /// Country of residence.
    pub country: Option<Country>,
    /// Registered as an unemployed job seeker with Le Forem (Wallonia).
    pub registered_with_forem: Option<bool>,
    /// Highest Belgian certificate obtained.
    pub highest_belgian_certificate: Option<BelgianCertificate>,
}
