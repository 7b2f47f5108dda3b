//! The condition model: what an offer requires, as data the engine can check.

use entity::enums::{ConditionKind, ZoneKind};

/// A CEFR language level (Common European Framework of Reference), lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cefr {
    /// Breakthrough.
    A1,
    /// Waystage.
    A2,
    /// Threshold.
    B1,
    /// Vantage.
    B2,
    /// Effective operational proficiency.
    C1,
    /// Mastery.
    C2,
}

impl Cefr {
    /// The level as written everywhere ("A1" … "C2").
    pub fn code(self) -> &'static str {
        match self {
            Self::A1 => "A1",
            Self::A2 => "A2",
            Self::B1 => "B1",
            Self::B2 => "B2",
            Self::C1 => "C1",
            Self::C2 => "C2",
        }
    }
}

/// Where the person must live for a `RESIDENCE_ZONE` condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Zone {
    /// A quartier prioritaire de la ville.
    Qpv,
    /// A zone de revitalisation rurale (ZRR / FRR).
    Zrr,
    /// One of these commune codes (INSEE in France, NIS in Belgium).
    Communes(Vec<String>),
    /// One of these French départements ("75", "2A", "974").
    Departements(Vec<String>),
}

impl Zone {
    /// The stored kind of this zone.
    pub fn kind(&self) -> ZoneKind {
        match self {
            Self::Qpv => ZoneKind::Qpv,
            Self::Zrr => ZoneKind::Zrr,
            Self::Communes(_) => ZoneKind::Communes,
            Self::Departements(_) => ZoneKind::Departements,
        }
    }
}

pub use crate::geo_codes::departement_of;

/// One machine-checkable requirement of an offer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Age in whole years on the date of the check, both bounds inclusive
    /// (`max: Some(25)` means "under 26").
    Age { min: Option<u8>, max: Option<u8> },
    /// The IAE rule (DOMAIN.md): administrative criteria, PASS IAE and diagnoses.
    /// `level2_required` is the threshold of the structure's kind, from
    /// `OrganisationKind::iae_level2_threshold`; `structure_id` is the organisation that
    /// runs the offer, for whom its own eligibility diagnoses count.
    IaeCriteria {
        level2_required: u8,
        structure_id: Option<i32>,
    },
    /// A registered job seeker, for at least `min_months` when given.
    JobSeeker { min_months: Option<u32> },
    /// French qualification level at most this (1–8; 3 = CAP/BEP).
    MaxDiplomaLevel(u8),
    /// Lives in this zone.
    ResidenceZone(Zone),
    /// Holds a recognised-disabled-worker status (RQTH).
    RecognisedDisability,
    /// Must be referred by an authorised prescriber.
    PrescriptionRequired,
    /// Holds a driving licence.
    DrivingLicence,
    /// Speaks French at this level or above.
    LanguageLevel(Cefr),
    /// The Walloon CISP access rule (DOMAIN.md).
    CispRule,
    /// Free text that a machine cannot check: always `Unknown`.
    FreeText,
}

impl Rule {
    /// The stored kind of this rule.
    pub fn kind(&self) -> ConditionKind {
        match self {
            Self::Age { .. } => ConditionKind::Age,
            Self::IaeCriteria { .. } => ConditionKind::IaeCriteria,
            Self::JobSeeker { .. } => ConditionKind::JobSeeker,
            Self::MaxDiplomaLevel(_) => ConditionKind::MaxDiplomaLevel,
            Self::ResidenceZone(_) => ConditionKind::ResidenceZone,
            Self::RecognisedDisability => ConditionKind::RecognisedDisability,
            Self::PrescriptionRequired => ConditionKind::PrescriptionRequired,
            Self::DrivingLicence => ConditionKind::DrivingLicence,
            Self::LanguageLevel(_) => ConditionKind::LanguageLevel,
            Self::CispRule => ConditionKind::CispRule,
            Self::FreeText => ConditionKind::FreeText,
        }
    }
}

/// A rule attached to an offer, mandatory or merely preferred.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Condition {
    /// What is checked.
    pub rule: Rule,
    /// Mandatory conditions decide the verdict; preferred ones are only reported.
    pub mandatory: bool,
    /// The offer's own wording, shown with free-text conditions.
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_cover_every_stored_code() {
        let rules = [
            Rule::Age {
                min: None,
                max: None,
            },
            Rule::IaeCriteria {
                level2_required: 2,
                structure_id: None,
            },
            Rule::JobSeeker { min_months: None },
            Rule::MaxDiplomaLevel(3),
            Rule::ResidenceZone(Zone::Qpv),
            Rule::RecognisedDisability,
            Rule::PrescriptionRequired,
            Rule::DrivingLicence,
            Rule::LanguageLevel(Cefr::A1),
            Rule::CispRule,
            Rule::FreeText,
        ];
        let kinds: Vec<_> = rules.iter().map(Rule::kind).collect();
        assert_eq!(kinds, ConditionKind::ALL);
        let zones = [
            Zone::Qpv,
            Zone::Zrr,
            Zone::Communes(vec![]),
            Zone::Departements(vec![]),
        ];
        let kinds: Vec<_> = zones.iter().map(Zone::kind).collect();
        assert_eq!(kinds, ZoneKind::ALL);
    }
}
