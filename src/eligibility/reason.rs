//! Bilingual reasons and the French / English labels they are built from.
//!
//! French comes first: it is what job seekers read. It addresses them as "vous",
//! names the facts ("Vous avez 27 ans") and, when a fact is missing, says which one
//! to give. English says the same for other readers and for tests.

use chrono::{Datelike, NaiveDate};
use entity::enums::IaeCriterion;

use super::profile::{BelgianCertificate, StudyLevel};
use super::reference::{iae_proof, national_label};

/// Why a condition came out as it did, in French and in English.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reason {
    /// For the person, in French.
    pub fr: String,
    /// The same in English.
    pub en: String,
}

impl Reason {
    pub(crate) fn new(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            fr: fr.into(),
            en: en.into(),
        }
    }

    /// This reason followed by `more`, sentence after sentence.
    pub(crate) fn then(self, more: Reason) -> Self {
        Self {
            fr: format!("{} {}", self.fr, more.fr),
            en: format!("{} {}", self.en, more.en),
        }
    }
}

/// "1 an", "27 ans".
pub(crate) fn years_fr(n: u32) -> String {
    if n < 2 {
        format!("{n} an")
    } else {
        format!("{n} ans")
    }
}

/// "2 critères de niveau 2" / "2 level-2 criteria" (singular below 2, as in French).
pub(crate) fn criteria_count(n: usize, level: u8) -> (String, String) {
    if n < 2 {
        (
            format!("{n} critère de niveau {level}"),
            format!("{n} level-{level} criterion"),
        )
    } else {
        (
            format!("{n} critères de niveau {level}"),
            format!("{n} level-{level} criteria"),
        )
    }
}

/// Joins items as a sentence lists them: "a", "a et b", "a, b et c" (English "and").
pub(crate) fn join_list(items: &[impl AsRef<str>], and: &str) -> String {
    match items {
        [] => String::new(),
        [only] => only.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {and} {}", init.join(", "), last.as_ref())
        }
    }
}

/// What meeting an IAE criterion means, as a short French and English label.
pub(crate) fn criterion_label(criterion: IaeCriterion) -> (&'static str, &'static str) {
    use IaeCriterion::*;
    match criterion {
        Rsa => ("bénéficiaire du RSA", "receives the RSA"),
        Ass => ("bénéficiaire de l'ASS", "receives the ASS"),
        Aah => ("bénéficiaire de l'AAH", "receives the AAH"),
        Detld => (
            "demandeur d'emploi depuis 24 mois ou plus",
            "job seeker for 24 months or more",
        ),
        CapBep => (
            "niveau d'études CAP/BEP ou moins",
            "level of study CAP/BEP or below",
        ),
        Senior => ("senior de 50 ans ou plus", "aged 50 or over"),
        Jeune => ("jeune de moins de 26 ans", "under 26"),
        Ase => (
            "sortant de l'aide sociale à l'enfance",
            "leaving child welfare (ASE)",
        ),
        Deld => (
            "demandeur d'emploi depuis 12 à 24 mois",
            "job seeker for 12 to 24 months",
        ),
        Th => (
            "travailleur handicapé reconnu (RQTH)",
            "recognised disabled worker (RQTH)",
        ),
        Pi => ("parent isolé", "single parent"),
        PshPr => (
            "sans domicile, hébergé ou ayant un parcours de rue",
            "homeless, hosted or formerly living on the street",
        ),
        RefDa => (
            "réfugié, protégé ou demandeur d'asile",
            "refugee, under protection or asylum seeker",
        ),
        Zrr => (
            "résident en zone rurale ZRR/FRR",
            "lives in a ZRR/FRR rural area",
        ),
        Qpv => ("résident QPV", "lives in a QPV priority neighbourhood"),
        DetentionMj => (
            "sortant de détention ou sous main de justice",
            "leaving detention or under court supervision",
        ),
        Fle => ("niveau de français inférieur à A1", "French below level A1"),
        Pm => ("problème de mobilité", "mobility problem"),
    }
}

/// The fact to ask for when an IAE criterion is unknown; several criteria share one
/// (the birth date decides both SENIOR and JEUNE), so callers deduplicate.
pub(crate) fn criterion_question(criterion: IaeCriterion) -> (&'static str, &'static str) {
    use IaeCriterion::*;
    match criterion {
        Rsa | Ass | Aah => (
            "les allocations que vous percevez (RSA, ASS, AAH)",
            "the benefits you receive (RSA, ASS, AAH)",
        ),
        Detld | Deld => (
            "depuis quand vous êtes inscrit(e) comme demandeur d'emploi",
            "since when you have been a registered job seeker",
        ),
        CapBep => (
            "le niveau d'études que vous avez atteint, avec ou sans diplôme",
            "the level of study you reached, with or without the diploma",
        ),
        Senior | Jeune => ("votre date de naissance", "your date of birth"),
        Ase => (
            "si vous sortez de l'aide sociale à l'enfance",
            "whether you are leaving child welfare (ASE)",
        ),
        Th => (
            "si vous avez une reconnaissance de travailleur handicapé (RQTH)",
            "whether you are a recognised disabled worker (RQTH)",
        ),
        Pi => (
            "si vous élevez seul(e) vos enfants",
            "whether you are a single parent",
        ),
        PshPr => (
            "si vous êtes sans domicile ou hébergé(e)",
            "whether you are homeless or hosted",
        ),
        RefDa => (
            "si vous êtes réfugié(e), protégé(e) ou demandeur d'asile",
            "whether you are a refugee, under protection or an asylum seeker",
        ),
        Zrr => (
            "si vous habitez en zone rurale ZRR/FRR",
            "whether you live in a ZRR/FRR rural area",
        ),
        Qpv => (
            "si vous habitez dans un quartier prioritaire (QPV)",
            "whether you live in a QPV priority neighbourhood",
        ),
        DetentionMj => (
            "si vous sortez de détention ou êtes suivi(e) par la justice",
            "whether you are leaving detention or under court supervision",
        ),
        Fle => ("votre niveau de français", "your level of French"),
        Pm => (
            "si vous avez un problème de mobilité",
            "whether you have a mobility problem",
        ),
    }
}

/// A level of study with what it corresponds to: "3 (CAP, BEP)", or "1 ou 2" for a
/// study level that spans national levels.
pub(crate) fn study_level_label(level: StudyLevel) -> (String, String) {
    let (lowest, highest) = (level.lowest(), level.highest());
    if lowest == highest {
        return national_level_label(lowest);
    }
    let (or_fr, or_en) = if highest == lowest + 1 {
        ("ou", "or")
    } else {
        ("à", "to")
    };
    (
        format!("{lowest} {or_fr} {highest}"),
        format!("{lowest} {or_en} {highest}"),
    )
}

/// A national qualification level with what it corresponds to: "3 (CAP, BEP)".
pub(crate) fn national_level_label(level: u8) -> (String, String) {
    match national_label(level) {
        Some((fr, en)) => (format!("{level} ({fr})"), format!("{level} ({en})")),
        None => (level.to_string(), level.to_string()),
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as people write it: "1er mars 2027" / "1 March 2027".
pub(crate) fn date_label(date: NaiveDate) -> (String, String) {
    let month = date.month0() as usize;
    let day = date.day();
    let day_fr = if day == 1 {
        "1er".to_owned()
    } else {
        day.to_string()
    };
    (
        format!("{day_fr} {} {}", MONTHS_FR[month], date.year()),
        format!("{day} {} {}", MONTHS_EN[month], date.year()),
    )
}

/// "Justificatifs à apporter : … (de moins de 3 mois) ; …" for the criteria that count,
/// from `reference/iae-criteria.json`; one line per distinct proof.
pub(crate) fn proofs_to_bring(criteria: &[IaeCriterion]) -> Option<Reason> {
    let mut fr: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    for proof in criteria.iter().filter_map(|&c| iae_proof(c)) {
        let (mut line_fr, mut line_en) = (
            format!("{} ({})", proof.proof_fr, proof.validity_fr),
            format!("{} ({})", proof.proof_en, proof.validity_en),
        );
        if proof.certified_automatically {
            line_fr.push_str(", sauf si la plateforme de l'inclusion le certifie directement");
            line_en.push_str(", unless the inclusion platform certifies it directly");
        }
        if !fr.contains(&line_fr) {
            fr.push(line_fr);
            en.push(line_en);
        }
    }
    (!fr.is_empty()).then(|| {
        Reason::new(
            format!("Justificatifs à apporter : {}.", fr.join(" ; ")),
            format!("Proofs to bring: {}.", en.join("; ")),
        )
    })
}

/// A Belgian certificate, named as people know it.
pub(crate) fn certificate_label(certificate: BelgianCertificate) -> (&'static str, &'static str) {
    use BelgianCertificate as C;
    match certificate {
        C::None => ("aucun certificat", "no certificate"),
        C::Ceb => (
            "CEB (certificat d'études de base)",
            "CEB (primary school certificate)",
        ),
        C::Ce1d => (
            "CE1D (premier degré du secondaire)",
            "CE1D (first stage of secondary school)",
        ),
        C::Ce2d => (
            "CE2D (deuxième degré du secondaire)",
            "CE2D (second stage of secondary school)",
        ),
        C::Cess => (
            "CESS (secondaire supérieur)",
            "CESS (upper secondary certificate)",
        ),
        C::HigherEducation => (
            "diplôme de l'enseignement supérieur",
            "higher-education degree",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_sentences() {
        assert_eq!(join_list(&[] as &[&str], "et"), "");
        assert_eq!(join_list(&["a"], "et"), "a");
        assert_eq!(join_list(&["a", "b"], "et"), "a et b");
        assert_eq!(join_list(&["a", "b", "c"], "and"), "a, b and c");
    }

    #[test]
    fn every_criterion_has_labels_and_a_question() {
        for &criterion in IaeCriterion::ALL {
            let (fr, en) = criterion_label(criterion);
            assert!(!fr.is_empty() && !en.is_empty());
            let (fr, en) = criterion_question(criterion);
            assert!(!fr.is_empty() && !en.is_empty());
        }
    }

    #[test]
    fn plurals() {
        assert_eq!(years_fr(1), "1 an");
        assert_eq!(years_fr(27), "27 ans");
        assert_eq!(criteria_count(1, 1).0, "1 critère de niveau 1");
        assert_eq!(criteria_count(0, 2).0, "0 critère de niveau 2");
        assert_eq!(criteria_count(2, 2).1, "2 level-2 criteria");
        assert_eq!(national_level_label(3).0, "3 (CAP, BEP)");
        assert_eq!(national_level_label(12).0, "12");
        let below_cap = StudyLevel::between(1, 2).unwrap();
        assert_eq!(study_level_label(below_cap).0, "1 ou 2");
        let level_4 = StudyLevel::exactly(4).unwrap();
        assert_eq!(study_level_label(level_4).1, "4 (baccalauréat)");
    }

    #[test]
    fn dates_read_as_written() {
        let first = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(
            date_label(first),
            ("1er mars 2027".into(), "1 March 2027".into())
        );
        let summer = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        assert_eq!(date_label(summer).0, "30 juin 2026");
    }

    #[test]
    fn proofs_are_named_once_with_their_validity() {
        use crate::eligibility::test_support::assert_says;
        use IaeCriterion::*;
        let reason = proofs_to_bring(&[Zrr, Qpv, Pm]).unwrap();
        assert_eq!(reason.fr.matches("justificatif de domicile").count(), 1);
        assert_says(
            &reason.fr,
            "diagnostic mobilité établi par un prescripteur habilité (de moins de 6 mois)",
        );
        assert!(reason.en.starts_with("Proofs to bring: "), "{}", reason.en);
        let rsa = proofs_to_bring(&[Rsa]).unwrap();
        assert_says(&rsa.fr, "certifie directement");
        assert_eq!(proofs_to_bring(&[]), None);
    }
}
