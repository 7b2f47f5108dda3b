//! What a person tells about themselves: every fact optional, `None` meaning "not told".

use chrono::NaiveDate;
use entity::enums::Country;

use super::outcome::Outcome;

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
/// that `<=` compares levels (the CISP rule's first category is "at most the
/// [`BelgianCertificate::Ce2d`]").
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

/// The level of study a person reached, with or without the diploma, as the national
/// levels of qualification it may be (1–8; 3 = CAP/BEP, 4 = baccalauréat).
///
/// One number when the person gives it; a span when they give a study level of the
/// national platform that covers several (les-emplois' "never went to school" is below
/// CAP/BEP, levels 1–2; its "third cycle" is 7 or 8). Built only through the
/// constructors, so `1 <= lowest <= highest <= 8` always holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StudyLevel {
    lowest: u8,
    highest: u8,
}

impl StudyLevel {
    /// Exactly national level `level`; `None` outside 1–8.
    pub fn exactly(level: u8) -> Option<Self> {
        Self::between(level, level)
    }

    /// One of the national levels `lowest..=highest`; `None` unless `1 <= lowest <= highest <= 8`.
    pub fn between(lowest: u8, highest: u8) -> Option<Self> {
        (1 <= lowest && lowest <= highest && highest <= 8).then_some(Self { lowest, highest })
    }

    /// The lowest national level it may be.
    pub fn lowest(self) -> u8 {
        self.lowest
    }

    /// The highest national level it may be.
    pub fn highest(self) -> u8 {
        self.highest
    }

    /// Whether the level is at most `max`: unknown only when the span straddles it.
    pub fn at_most(self, max: u8) -> Outcome {
        if self.highest <= max {
            Outcome::Met
        } else if self.lowest > max {
            Outcome::NotMet
        } else {
            Outcome::Unknown
        }
    }

    /// The IAE criterion CAP_BEP: the level reached is CAP/BEP (3) or below.
    pub fn cap_bep_or_below(self) -> Outcome {
        self.at_most(CAP_BEP_LEVEL)
    }
}

/// National level of the CAP and the BEP.
pub const CAP_BEP_LEVEL: u8 = 3;

/// The person's latest PASS IAE, the approval that opens a 2-year insertion pathway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PassIae {
    /// The person never had one (or does not count one that ended long ago).
    None,
    /// The person holds or held one; `valid_until` is its last day of validity,
    /// prolongations included (in the past once it has ended), when told.
    Held { valid_until: Option<NaiveDate> },
}

/// Who made an eligibility diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosisAuthor {
    /// An authorised prescriber (France Travail, Mission locale, Cap emploi…): valid
    /// 6 months, for every structure.
    AuthorisedPrescriber,
    /// A structure (SIAE) itself, identified by its organisation id in the catalogue:
    /// valid 92 days, and only for that structure.
    Structure(i32),
}

/// An IAE eligibility diagnosis the person already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Diagnosis {
    pub author: DiagnosisAuthor,
    /// The day it was made.
    pub made_on: NaiveDate,
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
    /// Since when the person is a registered job seeker (France Travail in France, Le
    /// Forem in Wallonia).
    pub job_seeker_since: Option<NaiveDate>,
    /// Whether the person is a registered job seeker; a `job_seeker_since` date implies it.
    pub registered_job_seeker: Option<bool>,
    /// Benefits received; `Some(vec![])` means none.
    pub benefits: Option<Vec<Benefit>>,
    /// Level of study reached, with or without the diploma (the IAE CAP_BEP criterion).
    pub study_level: Option<StudyLevel>,
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
    /// The latest PASS IAE: while valid, no new eligibility check is needed; for 2 years
    /// after it ends, a new one needs an authorised prescriber.
    pub pass_iae: Option<PassIae>,
    /// IAE eligibility diagnoses already made; `Some(vec![])` means none.
    pub diagnoses: Option<Vec<Diagnosis>>,
    /// Country of residence.
    pub country: Option<Country>,
    /// Registered as an unoccupied job seeker (DEI) with Le Forem (Wallonia). With
    /// `job_seeker_since`, registered so since that day.
    pub registered_with_forem: Option<bool>,
    /// Months spent as an unoccupied job seeker in the 24 months before the check,
    /// 0–24 (CISP category 2 needs 18), counting every spell.
    pub unoccupied_months_in_last_24: Option<u8>,
    /// Highest Belgian certificate obtained.
    pub highest_belgian_certificate: Option<BelgianCertificate>,
    /// Registered with the AViQ (Agence pour une vie de qualité, ex-AWIPH).
    pub registered_with_aviq: Option<bool>,
    /// Recognised incapacity, in percent (0–100; CISP category 3 needs 30).
    pub incapacity_percent: Option<u8>,
}
