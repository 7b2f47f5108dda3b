//! The reference lists the rules read: the proof of each IAE criterion, the national
//! qualification levels and the study levels of the national platform, embedded from
//! `reference/` and parsed once.
//!
//! They are data, not code, so that a change of the arrêté or of les-emplois' list is a
//! change of a JSON file; the tests below check that each file is complete.

use std::sync::LazyLock;

use entity::enums::IaeCriterion;
use serde::Deserialize;

use super::profile::StudyLevel;

/// The proof a job seeker brings for one IAE criterion, and how recent it must be.
#[derive(Debug, Clone, Deserialize)]
pub struct IaeProof {
    /// The criterion's public code ("RSA", "CAP_BEP"…).
    pub criterion: String,
    /// 1 or 2.
    pub level: u8,
    /// What to bring, in French.
    pub proof_fr: String,
    /// What to bring, in English.
    pub proof_en: String,
    /// How recent it must be, in French ("de moins de 3 mois").
    pub validity_fr: String,
    /// How recent it must be, in English.
    pub validity_en: String,
    /// At most this many months old when the PASS IAE is issued; `None` when the proof
    /// need only be valid on the day of hiring.
    pub validity_months: Option<u8>,
    /// The national platform can certify the criterion itself (RSA, AAH, PI since 2025–26).
    pub certified_automatically: bool,
}

/// A level of the national nomenclature of qualifications (1–8).
#[derive(Debug, Clone, Deserialize)]
pub struct NationalLevel {
    pub level: u8,
    pub label_fr: String,
    pub label_en: String,
}

/// A study level as les-emplois records it, with the national levels it spans.
#[derive(Debug, Clone, Deserialize)]
pub struct StudyLevelEntry {
    /// The GraphQL enum value ("CAP_BEP_LEVEL").
    pub value: String,
    /// The ASP code les-emplois exchanges ("50").
    pub code: String,
    pub lowest: u8,
    pub highest: u8,
    pub label_fr: String,
    pub label_en: String,
}

impl StudyLevelEntry {
    /// The level of study this entry stands for.
    pub fn study_level(&self) -> Option<StudyLevel> {
        StudyLevel::between(self.lowest, self.highest)
    }
}

#[derive(Deserialize)]
struct IaeFile {
    criteria: Vec<IaeProof>,
}

#[derive(Deserialize)]
struct StudyLevelFile {
    national: Vec<NationalLevel>,
    study_levels: Vec<StudyLevelEntry>,
}

// A file that fails to parse yields empty lists (the tests below fail loudly) rather
// than a panic on a request path.
static IAE: LazyLock<Vec<IaeProof>> = LazyLock::new(|| {
    serde_json::from_str::<IaeFile>(include_str!("../../reference/iae-criteria.json"))
        .map(|file| file.criteria)
        .unwrap_or_default()
});

static LEVELS: LazyLock<StudyLevelFile> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../reference/study-levels.json")).unwrap_or(
        StudyLevelFile {
            national: Vec::new(),
            study_levels: Vec::new(),
        },
    )
});

/// The proof of every IAE criterion, in the order of `IaeCriterion::ALL`.
pub fn iae_proofs() -> &'static [IaeProof] {
    &IAE
}

/// The proof of `criterion`.
pub fn iae_proof(criterion: IaeCriterion) -> Option<&'static IaeProof> {
    IAE.iter().find(|proof| proof.criterion == criterion.code())
}

/// The national levels 1–8 with their labels.
pub fn national_levels() -> &'static [NationalLevel] {
    &LEVELS.national
}

/// Les-emplois' study levels, lowest first.
pub fn study_levels() -> &'static [StudyLevelEntry] {
    &LEVELS.study_levels
}

/// The study level whose GraphQL value is `value`.
pub fn study_level_entry(value: &str) -> Option<&'static StudyLevelEntry> {
    LEVELS
        .study_levels
        .iter()
        .find(|entry| entry.value == value)
}

/// The French and English label of national level `level` ("CAP, BEP").
pub(crate) fn national_label(level: u8) -> Option<(&'static str, &'static str)> {
    LEVELS
        .national
        .iter()
        .find(|entry| entry.level == level)
        .map(|entry| (entry.label_fr.as_str(), entry.label_en.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_iae_criterion_has_one_proof_at_its_level() {
        assert_eq!(iae_proofs().len(), IaeCriterion::ALL.len());
        let order: Vec<&str> = iae_proofs().iter().map(|p| p.criterion.as_str()).collect();
        let expected: Vec<&str> = IaeCriterion::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(order, expected);
        for &criterion in IaeCriterion::ALL {
            let proof = iae_proof(criterion).unwrap();
            assert_eq!(proof.level == 1, criterion.is_level1(), "{criterion:?}");
            for text in [
                &proof.proof_fr,
                &proof.proof_en,
                &proof.validity_fr,
                &proof.validity_en,
            ] {
                assert!(!text.trim().is_empty(), "{criterion:?}");
            }
        }
    }

    #[test]
    fn the_proofs_the_issue_names() {
        use IaeCriterion::*;
        let proof = |c| iae_proof(c).unwrap();
        assert!(proof(Pm).proof_fr.contains("diagnostic mobilité"));
        assert!(proof(Pm).proof_fr.contains("prescripteur habilité"));
        assert!(proof(Fle).proof_fr.contains("inférieur à A1"));
        assert_eq!(proof(Ase).validity_months, Some(12));
        let automatic: Vec<IaeCriterion> = IaeCriterion::ALL
            .iter()
            .copied()
            .filter(|&c| proof(c).certified_automatically)
            .collect();
        assert_eq!(automatic, [Rsa, Aah, Pi]);
    }

    #[test]
    fn the_level_lists_are_complete_and_ordered() {
        let levels: Vec<u8> = national_levels().iter().map(|l| l.level).collect();
        assert_eq!(levels, (1..=8).collect::<Vec<u8>>());
        assert_eq!(study_levels().len(), 11);
        let mut previous = 0;
        for entry in study_levels() {
            let level = entry
                .study_level()
                .unwrap_or_else(|| panic!("{}", entry.value));
            assert!(entry.lowest >= previous, "{} is out of order", entry.value);
            previous = entry.lowest;
            assert_eq!(level.lowest(), entry.lowest);
            assert_eq!(entry.code.len(), 2, "{}", entry.value);
        }
    }

    #[test]
    fn cap_bep_is_the_level_reached_as_les_emplois_maps_it() {
        use super::super::outcome::Outcome;
        // ASP codes that meet CAP_BEP: below CAP/BEP, or CAP/BEP level with or without
        // the diploma; the baccalauréat level and above do not.
        let meets: Vec<&str> = study_levels()
            .iter()
            .filter(|e| e.study_level().unwrap().cap_bep_or_below() == Outcome::Met)
            .map(|e| e.code.as_str())
            .collect();
        assert_eq!(meets, ["01", "00", "70", "60", "50", "51"]);
        for entry in study_levels() {
            assert_ne!(
                entry.study_level().unwrap().cap_bep_or_below(),
                Outcome::Unknown,
                "{} decides CAP_BEP",
                entry.value
            );
        }
    }
}
