//! The IAE rule (France): administrative criteria of levels 1 and 2; what waives them (a
//! valid PASS IAE or diagnosis, an authorised prescriber's referral); and the waiting
//! period after a PASS IAE, when they no longer suffice (DOMAIN.md, "IAE eligibility").

use chrono::NaiveDate;
use entity::enums::IaeCriterion;

use super::dates::{age_on, months_between};
use super::outcome::{ConditionResult, Outcome};
use super::pass_iae::{PassStanding, ValidDiagnoses, Waiver, pass_standing, valid_diagnoses};
use super::profile::{Benefit, Profile};
use super::reason::{
    Reason, criteria_count, criterion_label, criterion_question, date_label, join_list,
    proofs_to_bring,
};

/// Age from which SENIOR holds.
const SENIOR_AGE: u32 = 50;
/// Age below which JEUNE holds.
const JEUNE_AGE_LIMIT: u32 = 26;
/// Months of registration for DELD (and below which DETLD does not hold).
const DELD_MONTHS: u32 = 12;
/// Months of registration from which DETLD holds (and DELD no longer does).
const DETLD_MONTHS: u32 = 24;

/// Which IAE criteria a profile meets, and which it may meet but does not tell.
/// Criteria in neither list are not met. Both lists follow `IaeCriterion::ALL` order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DerivedIaeCriteria {
    /// Criteria the profile meets.
    pub met: Vec<IaeCriterion>,
    /// Criteria whose fact is missing from the profile.
    pub unknown: Vec<IaeCriterion>,
}

/// The IAE criteria behind an `IaeCriteria` condition, for display next to the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IaeDetail {
    /// Level-1 criteria met (one is enough).
    pub level1_met: Vec<IaeCriterion>,
    /// Level-2 criteria met.
    pub level2_met: Vec<IaeCriterion>,
    /// How many level-2 criteria the structure requires.
    pub level2_required: u8,
    /// The person is referred by an authorised prescriber (which waives the criteria).
    pub waived_by_prescriber: bool,
    /// What makes the criteria check unnecessary, when something does.
    pub waived_by: Option<Waiver>,
    /// Last day of the waiting period, when a PASS IAE ended less than 2 years ago.
    pub waiting_period_until: Option<NaiveDate>,
    /// The criteria whose proofs the person should bring: those that make the rule met,
    /// empty when something waives the check or the criteria fall short.
    pub proofs_for: Vec<IaeCriterion>,
}

/// Whether `profile` meets one IAE criterion on `on`.
///
/// SENIOR and JEUNE derive from the birth date and DETLD / DELD from the registration
/// date, at `on`: they are never declared, so they cannot contradict the dates.
pub fn criterion_outcome(criterion: IaeCriterion, profile: &Profile, on: NaiveDate) -> Outcome {
    use IaeCriterion::*;
    let age = |holds: fn(u32) -> bool| {
        profile.birth_date.map_or(Outcome::Unknown, |birth| {
            Outcome::from_bool(holds(age_on(birth, on)))
        })
    };
    match criterion {
        Rsa => receives(profile, Benefit::Rsa),
        Ass => receives(profile, Benefit::Ass),
        Aah => receives(profile, Benefit::Aah),
        Detld => registered_for(profile, on, |months| months >= DETLD_MONTHS),
        Deld => registered_for(profile, on, |months| {
            (DELD_MONTHS..DETLD_MONTHS).contains(&months)
        }),
        CapBep => profile
            .study_level
            .map_or(Outcome::Unknown, |level| level.cap_bep_or_below()),
        Senior => age(|years| years >= SENIOR_AGE),
        Jeune => age(|years| years < JEUNE_AGE_LIMIT),
        Ase => Outcome::from_answer(profile.left_child_welfare),
        Th => Outcome::from_answer(profile.recognised_disability),
        Pi => Outcome::from_answer(profile.single_parent),
        PshPr => Outcome::from_answer(profile.homeless),
        RefDa => Outcome::from_answer(profile.refugee),
        Zrr => Outcome::from_answer(profile.lives_in_zrr),
        Qpv => Outcome::from_answer(profile.lives_in_qpv),
        DetentionMj => Outcome::from_answer(profile.left_detention),
        Fle => Outcome::from_answer(profile.french_below_a1),
        Pm => Outcome::from_answer(profile.mobility_problem),
    }
}

fn receives(profile: &Profile, benefit: Benefit) -> Outcome {
    profile
        .benefits
        .as_ref()
        .map_or(Outcome::Unknown, |benefits| {
            Outcome::from_bool(benefits.contains(&benefit))
        })
}

/// A registration-length criterion. "Not registered" settles it; otherwise only the
/// date can: being registered without a date still leaves the length unknown.
fn registered_for(profile: &Profile, on: NaiveDate, holds: fn(u32) -> bool) -> Outcome {
    if profile.registered_job_seeker == Some(false) {
        return Outcome::NotMet;
    }
    profile.job_seeker_since.map_or(Outcome::Unknown, |since| {
        Outcome::from_bool(holds(months_between(since, on)))
    })
}

/// Every IAE criterion the profile meets on `on`, and every one it leaves unknown.
pub fn derived_iae_criteria(profile: &Profile, on: NaiveDate) -> DerivedIaeCriteria {
    let mut derived = DerivedIaeCriteria::default();
    for &criterion in IaeCriterion::ALL {
        match criterion_outcome(criterion, profile, on) {
            Outcome::Met => derived.met.push(criterion),
            Outcome::Unknown => derived.unknown.push(criterion),
            Outcome::NotMet => {}
        }
    }
    derived
}

/// Whether the unknown criteria, once told, could still make the rule met.
fn could_still_be_met(unknown: &[IaeCriterion], level2_met: usize, required: usize) -> bool {
    if unknown.iter().any(|criterion| criterion.is_level1()) {
        return true;
    }
    let mut possible = unknown.iter().filter(|c| !c.is_level1()).count();
    // SENIOR and JEUNE both hang on the birth date and exclude each other: at most one
    // of them can turn out met. DETLD / DELD also exclude each other, but when both are
    // unknown DETLD (level 1) already makes the rule reachable, so DELD counts fully.
    if unknown.contains(&IaeCriterion::Senior) && unknown.contains(&IaeCriterion::Jeune) {
        possible -= 1;
    }
    level2_met + possible >= required
}

/// Checks the IAE rule for structure `structure_id` (the offer's organisation), which
/// requires `level2_required` level-2 criteria.
///
/// In order: a PASS IAE still valid, an authorised prescriber's diagnosis still valid or
/// their referral make it met whatever the criteria. During the waiting period after a
/// PASS IAE, nothing else does: NotMet once the person said they have neither. Otherwise
/// the structure's own diagnosis still valid, one level-1 criterion or enough level-2
/// criteria make it met. NotMet only when no missing fact could change that; otherwise
/// Unknown, with a reason that says which facts to give.
pub(crate) fn evaluate_iae(
    level2_required: u8,
    structure_id: Option<i32>,
    profile: &Profile,
    on: NaiveDate,
) -> (ConditionResult, IaeDetail) {
    let derived = derived_iae_criteria(profile, on);
    let (level1_met, level2_met): (Vec<_>, Vec<_>) = derived
        .met
        .iter()
        .partition(|criterion| criterion.is_level1());
    let required = usize::from(level2_required);
    let criteria = if !level1_met.is_empty() || level2_met.len() >= required {
        Outcome::Met
    } else if could_still_be_met(&derived.unknown, level2_met.len(), required) {
        Outcome::Unknown
    } else {
        Outcome::NotMet
    };
    let prescribed = profile.prescribed_by_authorised_prescriber;
    let pass = pass_standing(profile.pass_iae, on);
    let diagnoses = valid_diagnoses(
        profile.diagnoses.as_deref().unwrap_or_default(),
        structure_id,
        on,
    );
    let waiver = if matches!(pass, PassStanding::Valid(_)) {
        Some(Waiver::PassIae)
    } else if diagnoses.prescriber.is_some() {
        Some(Waiver::PrescriberDiagnosis)
    } else if prescribed == Some(true) {
        Some(Waiver::PrescriberReferral)
    } else if diagnoses.own_structure.is_some() && pass == PassStanding::Clear {
        Some(Waiver::StructureDiagnosis)
    } else {
        None
    };
    let waiting = match pass {
        PassStanding::Waiting { ended, until } => Some((ended, until)),
        _ => None,
    };
    let mut detail = IaeDetail {
        level1_met,
        level2_met,
        level2_required,
        waived_by_prescriber: prescribed == Some(true),
        waived_by: waiver,
        waiting_period_until: waiting.map(|(_, until)| until),
        proofs_for: Vec::new(),
    };
    // Facts that could still waive the check (or, in a waiting period, unblock it).
    let asks = Asks {
        pass: matches!(pass, PassStanding::Unknown { .. }),
        pass_date: pass == PassStanding::Unknown { held: true },
        diagnoses: profile.diagnoses.is_none(),
        referral: prescribed.is_none(),
    };

    if let Some(waiver) = waiver {
        let reason = waiver_reason(waiver, &pass, &diagnoses, waiting);
        return (ConditionResult::new(Outcome::Met, reason), detail);
    }
    let status = status_reason(&detail);
    if let Some((ended, until)) = waiting {
        return (in_waiting_period(status, ended, until, asks), detail);
    }
    let met_by_criteria = criteria == Outcome::Met;
    if met_by_criteria {
        detail.proofs_for = if detail.level1_met.is_empty() {
            detail.level2_met.clone()
        } else {
            detail.level1_met.clone()
        };
    }
    let proofs = proofs_to_bring(&detail.proofs_for);
    let with_proofs = |reason: Reason| match proofs.clone() {
        Some(proofs) => reason.then(proofs),
        None => reason,
    };
    let own_diagnosis = diagnoses.own_structure.is_some();
    let result = if asks.pass && (met_by_criteria || own_diagnosis) {
        // Met, unless a PASS IAE ended less than 2 years ago.
        let reason = if met_by_criteria {
            with_proofs(status)
        } else {
            Reason::new(
                "Cette structure a fait votre diagnostic d'éligibilité il y a moins de 92 jours.",
                "This structure made your eligibility diagnosis less than 92 days ago.",
            )
        };
        ConditionResult::new(Outcome::Unknown, reason.then(ask_pass(asks.pass_date)))
    } else if met_by_criteria {
        ConditionResult::new(Outcome::Met, with_proofs(status))
    } else if criteria == Outcome::Unknown {
        let mut reason = status.then(ask_for(&derived.unknown));
        if let Some(other_ways) = other_ways(asks, "aussi", "also") {
            reason = reason.then(other_ways);
        }
        ConditionResult::new(Outcome::Unknown, reason)
    } else if let Some(other_ways) = other_ways(asks, "", "") {
        ConditionResult::new(Outcome::Unknown, status.then(other_ways))
    } else {
        let mut reason = status.then(Reason::new(
            "Vous n'avez ni PASS IAE en cours de validité, ni diagnostic d'éligibilité encore valide, ni orientation par un prescripteur habilité, qui dispenseraient de cette vérification.",
            "You have no valid PASS IAE, no still-valid eligibility diagnosis and no referral by an authorised prescriber, which would waive this check.",
        ));
        if diagnoses.other_structure {
            reason = reason.then(Reason::new(
                "Le diagnostic d'une autre structure ne vaut que pour elle.",
                "Another structure's diagnosis counts only for that structure.",
            ));
        }
        ConditionResult::new(Outcome::NotMet, reason)
    };
    (result, detail)
}

/// During the waiting period only an authorised prescriber opens a pathway: NotMet once
/// the person said they have neither their referral nor their diagnosis.
fn in_waiting_period(
    status: Reason,
    ended: NaiveDate,
    until: NaiveDate,
    asks: Asks,
) -> ConditionResult {
    let blocked = status.then(waiting_reason(ended, until));
    if asks.diagnoses || asks.referral {
        ConditionResult::new(
            Outcome::Unknown,
            blocked.then(Reason::new(
                "Indiquez si un prescripteur habilité vous oriente, ou si vous avez un diagnostic d'éligibilité d'un prescripteur de moins de 6 mois.",
                "Tell us whether an authorised prescriber refers you, or whether you have an authorised prescriber's eligibility diagnosis less than 6 months old.",
            )),
        )
    } else {
        ConditionResult::new(
            Outcome::NotMet,
            blocked.then(Reason::new(
                "Vous n'avez ni orientation ni diagnostic encore valide d'un prescripteur habilité.",
                "You have neither a referral nor a still-valid diagnosis by an authorised prescriber.",
            )),
        )
    }
}

/// Which facts that could waive the criteria check are still missing.
#[derive(Debug, Clone, Copy)]
struct Asks {
    /// Whether the person holds or held a PASS IAE, or its end date.
    pass: bool,
    /// They hold or held one, but its end date is missing.
    pass_date: bool,
    /// Their existing eligibility diagnoses.
    diagnoses: bool,
    /// Whether an authorised prescriber refers them.
    referral: bool,
}

/// Why the check is waived: the PASS IAE, the diagnosis or the referral, and until when.
fn waiver_reason(
    waiver: Waiver,
    pass: &PassStanding,
    diagnoses: &ValidDiagnoses,
    waiting: Option<(NaiveDate, NaiveDate)>,
) -> Reason {
    let until = |date: Option<NaiveDate>| date.map(date_label).unwrap_or_default();
    let reason = match waiver {
        Waiver::PassIae => {
            let last = match pass {
                PassStanding::Valid(last) => Some(*last),
                _ => None,
            };
            let (fr, en) = until(last);
            Reason::new(
                format!(
                    "Votre PASS IAE est valable jusqu'au {fr} : aucun nouveau diagnostic d'éligibilité n'est nécessaire, apportez-le."
                ),
                format!(
                    "Your PASS IAE is valid until {en}: no new eligibility diagnosis is needed; bring it."
                ),
            )
        }
        Waiver::PrescriberDiagnosis => {
            let (fr, en) = until(diagnoses.prescriber);
            Reason::new(
                format!(
                    "Un prescripteur habilité a établi votre diagnostic d'éligibilité, valable jusqu'au {fr} : les critères IAE n'ont pas à être vérifiés de nouveau."
                ),
                format!(
                    "An authorised prescriber made your eligibility diagnosis, valid until {en}: the IAE criteria need not be checked again."
                ),
            )
        }
        Waiver::PrescriberReferral => Reason::new(
            "Vous êtes orienté(e) par un prescripteur habilité : les critères IAE n'ont pas à être vérifiés.",
            "You are referred by an authorised prescriber, which waives the IAE criteria check.",
        ),
        Waiver::StructureDiagnosis => {
            let (fr, en) = until(diagnoses.own_structure);
            Reason::new(
                format!(
                    "Cette structure a établi votre diagnostic d'éligibilité, valable pour elle jusqu'au {fr}."
                ),
                format!("This structure made your eligibility diagnosis, valid for it until {en}."),
            )
        }
    };
    match (waiver, waiting) {
        (Waiver::PrescriberDiagnosis | Waiver::PrescriberReferral, Some((ended, until))) => {
            reason.then(waiting_reason(ended, until))
        }
        _ => reason,
    }
}

/// "Votre PASS IAE a pris fin le … : jusqu'au … (période de carence de 2 ans), …"
fn waiting_reason(ended: NaiveDate, until: NaiveDate) -> Reason {
    let (ended_fr, ended_en) = date_label(ended);
    let (until_fr, until_en) = date_label(until);
    Reason::new(
        format!(
            "Votre PASS IAE a pris fin le {ended_fr} : jusqu'au {until_fr} (période de carence de 2 ans), un nouveau parcours demande l'orientation d'un prescripteur habilité ou son diagnostic d'éligibilité encore valide ; les critères seuls ne suffisent pas."
        ),
        format!(
            "Your PASS IAE ended on {ended_en}: until {until_en} (2-year waiting period), a new pathway needs a referral by an authorised prescriber or their still-valid eligibility diagnosis; the criteria alone are not enough."
        ),
    )
}

/// Asks about the PASS IAE when it alone could still change a "met".
fn ask_pass(date_only: bool) -> Reason {
    if date_only {
        Reason::new(
            "Indiquez jusqu'à quand votre PASS IAE est (ou était) valable : s'il a pris fin il y a moins de 2 ans, il faudra l'orientation d'un prescripteur habilité.",
            "Tell us until when your PASS IAE is (or was) valid: if it ended less than 2 years ago, a referral by an authorised prescriber will be needed.",
        )
    } else {
        Reason::new(
            "Indiquez si vous avez eu un PASS IAE, et jusqu'à quand : s'il a pris fin il y a moins de 2 ans, il faudra l'orientation d'un prescripteur habilité.",
            "Tell us whether you have had a PASS IAE, and until when: if it ended less than 2 years ago, a referral by an authorised prescriber will be needed.",
        )
    }
}

/// "Un PASS IAE en cours de validité, … dispenseraient (aussi) de cette vérification :
/// indiquez …", or `None` when every such fact is known.
fn other_ways(asks: Asks, also_fr: &str, also_en: &str) -> Option<Reason> {
    let mut fr = Vec::new();
    let mut en = Vec::new();
    if asks.pass {
        fr.push("si vous avez un PASS IAE et jusqu'à quand il est valable");
        en.push("whether you have a PASS IAE and until when it is valid");
    }
    if asks.diagnoses {
        fr.push("si vous avez déjà un diagnostic d'éligibilité, de qui et de quand");
        en.push("whether you already have an eligibility diagnosis, by whom and from when");
    }
    if asks.referral {
        fr.push("si un prescripteur habilité vous oriente");
        en.push("whether an authorised prescriber refers you");
    }
    if fr.is_empty() {
        return None;
    }
    let (also_fr, also_en) = if also_fr.is_empty() {
        (String::new(), String::new())
    } else {
        (format!(" {also_fr}"), format!(" {also_en}"))
    };
    Some(Reason::new(
        format!(
            "Un PASS IAE en cours de validité, un diagnostic d'éligibilité encore valide ou une orientation par un prescripteur habilité (France Travail, Mission locale, Cap emploi…) dispenseraient{also_fr} de cette vérification : indiquez {}.",
            join_list(&fr, "et")
        ),
        format!(
            "A valid PASS IAE, a still-valid eligibility diagnosis or a referral by an authorised prescriber (France Travail, Mission locale, Cap emploi…) would{also_en} waive this check: tell us {}.",
            join_list(&en, "and")
        ),
    ))
}

/// "Vous remplissez 2 critères de niveau 2 (jeune de moins de 26 ans, résident QPV) ;
/// il en faut 3 pour cette structure."
fn status_reason(detail: &IaeDetail) -> Reason {
    if !detail.level1_met.is_empty() {
        let (count_fr, count_en) = criteria_count(detail.level1_met.len(), 1);
        let (fr, en) = labels(&detail.level1_met);
        return Reason::new(
            format!("Vous remplissez {count_fr} ({fr}) : un seul suffit."),
            format!("You meet {count_en} ({en}); one is enough."),
        );
    }
    let required = usize::from(detail.level2_required);
    let (needed_fr, needed_en) = if detail.level2_met.len() >= required {
        (
            format!("il en faut {required} pour cette structure."),
            format!("this structure requires {required}."),
        )
    } else {
        (
            format!("il en faut {required} pour cette structure, ou un seul critère de niveau 1."),
            format!("this structure requires {required}, or a single level-1 criterion."),
        )
    };
    if detail.level2_met.is_empty() {
        return Reason::new(
            format!("Vous ne remplissez aucun critère de niveau 2 ; {needed_fr}"),
            format!("You meet no level-2 criterion; {needed_en}"),
        );
    }
    let (count_fr, count_en) = criteria_count(detail.level2_met.len(), 2);
    let (fr, en) = labels(&detail.level2_met);
    Reason::new(
        format!("Vous remplissez {count_fr} ({fr}) ; {needed_fr}"),
        format!("You meet {count_en} ({en}); {needed_en}"),
    )
}

fn labels(criteria: &[IaeCriterion]) -> (String, String) {
    let (fr, en): (Vec<_>, Vec<_>) = criteria.iter().map(|&c| criterion_label(c)).unzip();
    (fr.join(", "), en.join(", "))
}

/// "Pour vérifier les critères restants, indiquez : votre date de naissance et …"
fn ask_for(unknown: &[IaeCriterion]) -> Reason {
    let mut fr = Vec::new();
    let mut en = Vec::new();
    for &criterion in unknown {
        let (question_fr, question_en) = criterion_question(criterion);
        if !fr.contains(&question_fr) {
            fr.push(question_fr);
            en.push(question_en);
        }
    }
    Reason::new(
        format!(
            "Pour vérifier les critères restants, indiquez {}.",
            join_list(&fr, "et")
        ),
        format!(
            "To check the remaining criteria, tell us {}.",
            join_list(&en, "and")
        ),
    )
}

#[cfg(test)]
mod tests {
    use entity::enums::OrganisationKind;

    use super::IaeCriterion::*;
    use super::*;
    use crate::eligibility::profile::{Diagnosis, DiagnosisAuthor, PassIae, StudyLevel};
    use crate::eligibility::test_support::{assert_says, d, known_negative, make_met, on, unknown};

    fn check(profile: &Profile, level2_required: u8) -> (Outcome, IaeDetail, Reason) {
        let (result, detail) = evaluate_iae(level2_required, None, profile, on());
        (result.outcome, detail, result.reason)
    }

    fn level2() -> Vec<IaeCriterion> {
        IaeCriterion::ALL
            .iter()
            .copied()
            .filter(|c| !c.is_level1())
            .collect()
    }

    /// Every `size`-subset of `items`, in order.
    fn combinations(items: &[IaeCriterion], size: usize) -> Vec<Vec<IaeCriterion>> {
        if size == 0 {
            return vec![vec![]];
        }
        let mut all = Vec::new();
        for (i, &first) in items.iter().enumerate() {
            for mut rest in combinations(&items[i + 1..], size - 1) {
                rest.insert(0, first);
                all.push(rest);
            }
        }
        all
    }

    fn possible_together(criteria: &[IaeCriterion]) -> bool {
        !(criteria.contains(&Senior) && criteria.contains(&Jeune))
    }

    #[test]
    fn the_baseline_profile_meets_no_criterion_and_leaves_none_unknown() {
        assert_eq!(
            derived_iae_criteria(&known_negative(), on()),
            DerivedIaeCriteria::default()
        );
    }

    #[test]
    fn each_criterion_follows_its_own_fact() {
        for &criterion in IaeCriterion::ALL {
            let mut profile = known_negative();
            make_met(&mut profile, criterion);
            let derived = derived_iae_criteria(&profile, on());
            assert_eq!(derived.met, [criterion], "{criterion:?}");
            assert!(derived.unknown.is_empty(), "{criterion:?}");

            let mut profile = known_negative();
            unknown(&mut profile, criterion);
            assert_eq!(
                criterion_outcome(criterion, &profile, on()),
                Outcome::Unknown,
                "{criterion:?}"
            );
        }
    }

    #[test]
    fn thresholds_of_the_siae_kinds() {
        let kinds: Vec<_> = OrganisationKind::ALL
            .iter()
            .filter_map(|&kind| kind.iae_level2_threshold().map(|t| (kind, t)))
            .collect();
        use OrganisationKind as K;
        assert_eq!(
            kinds,
            [
                (K::Aci, 3),
                (K::Ei, 3),
                (K::Etti, 2),
                (K::Ai, 2),
                (K::Eiti, 3)
            ]
        );
    }

    #[test]
    fn every_siae_kind_needs_exactly_its_threshold_of_level2_criteria() {
        let level2 = level2();
        for &kind in OrganisationKind::ALL {
            let Some(threshold) = kind.iae_level2_threshold() else {
                continue;
            };
            let size = usize::from(threshold);
            for (combo_size, expected) in [(size - 1, Outcome::NotMet), (size, Outcome::Met)] {
                let combos = combinations(&level2, combo_size);
                assert!(!combos.is_empty());
                for combo in combos.iter().filter(|c| possible_together(c)) {
                    let mut profile = known_negative();
                    for &criterion in combo {
                        make_met(&mut profile, criterion);
                    }
                    let (outcome, detail, _) = check(&profile, threshold);
                    assert_eq!(outcome, expected, "{kind:?} with {combo:?}");
                    assert_eq!(&detail.level2_met, combo, "{kind:?}");
                    assert!(detail.level1_met.is_empty());
                    assert_eq!(detail.level2_required, threshold);
                    assert!(!detail.waived_by_prescriber);
                }
            }
        }
    }

    #[test]
    fn one_level1_criterion_alone_is_enough() {
        for &criterion in IaeCriterion::ALL.iter().filter(|c| c.is_level1()) {
            for threshold in [2, 3] {
                let mut profile = known_negative();
                make_met(&mut profile, criterion);
                let (outcome, detail, reason) = check(&profile, threshold);
                assert_eq!(outcome, Outcome::Met, "{criterion:?}");
                assert_eq!(detail.level1_met, [criterion]);
                assert!(detail.level2_met.is_empty());
                assert_says(&reason.fr, "de niveau 1");
            }
        }
    }

    #[test]
    fn a_prescriber_referral_waives_the_check() {
        for profile in [known_negative(), Profile::default()] {
            let profile = Profile {
                prescribed_by_authorised_prescriber: Some(true),
                ..profile
            };
            let (outcome, detail, reason) = check(&profile, 3);
            assert_eq!(outcome, Outcome::Met);
            assert!(detail.waived_by_prescriber);
            assert!(reason.fr.contains("prescripteur habilité"));
        }
    }

    #[test]
    fn jeune_ends_on_the_26th_birthday() {
        // on() is 15 June 2026.
        let day_before = Profile {
            birth_date: Some(d(2000, 6, 16)),
            ..known_negative()
        };
        assert_eq!(criterion_outcome(Jeune, &day_before, on()), Outcome::Met);
        let birthday = Profile {
            birth_date: Some(d(2000, 6, 15)),
            ..known_negative()
        };
        assert_eq!(criterion_outcome(Jeune, &birthday, on()), Outcome::NotMet);
    }

    #[test]
    fn senior_starts_on_the_50th_birthday() {
        let day_before = Profile {
            birth_date: Some(d(1976, 6, 16)),
            ..known_negative()
        };
        assert_eq!(
            criterion_outcome(Senior, &day_before, on()),
            Outcome::NotMet
        );
        let birthday = Profile {
            birth_date: Some(d(1976, 6, 15)),
            ..known_negative()
        };
        assert_eq!(criterion_outcome(Senior, &birthday, on()), Outcome::Met);
    }

    #[test]
    fn leap_day_birth_turns_26_on_the_first_of_march() {
        let profile = Profile {
            birth_date: Some(d(2000, 2, 29)),
            ..known_negative()
        };
        assert_eq!(
            criterion_outcome(Jeune, &profile, d(2026, 2, 28)),
            Outcome::Met
        );
        assert_eq!(
            criterion_outcome(Jeune, &profile, d(2026, 3, 1)),
            Outcome::NotMet
        );
    }

    #[test]
    fn registration_length_boundaries() {
        let at = |since: NaiveDate| {
            let profile = Profile {
                job_seeker_since: Some(since),
                ..known_negative()
            };
            (
                criterion_outcome(Deld, &profile, on()),
                criterion_outcome(Detld, &profile, on()),
            )
        };
        use Outcome::{Met, NotMet};
        // on() is 15 June 2026.
        assert_eq!(at(d(2025, 6, 16)), (NotMet, NotMet), "day before 12 months");
        assert_eq!(at(d(2025, 6, 15)), (Met, NotMet), "12 months");
        assert_eq!(at(d(2024, 6, 16)), (Met, NotMet), "day before 24 months");
        assert_eq!(at(d(2024, 6, 15)), (NotMet, Met), "24 months");
        assert_eq!(at(d(2010, 1, 1)), (NotMet, Met));
    }

    #[test]
    fn registration_answers() {
        let not_registered = Profile {
            registered_job_seeker: Some(false),
            job_seeker_since: None,
            ..Profile::default()
        };
        let derived = derived_iae_criteria(&not_registered, on());
        assert!(!derived.unknown.contains(&Deld) && !derived.unknown.contains(&Detld));
        assert!(!derived.met.contains(&Deld) && !derived.met.contains(&Detld));

        for registered in [Some(true), None] {
            let undated = Profile {
                registered_job_seeker: registered,
                job_seeker_since: None,
                ..Profile::default()
            };
            let derived = derived_iae_criteria(&undated, on());
            assert!(derived.unknown.contains(&Deld) && derived.unknown.contains(&Detld));
        }
    }

    #[test]
    fn an_empty_profile_is_unknown_never_not_met() {
        for threshold in [2, 3] {
            let (outcome, detail, reason) = check(&Profile::default(), threshold);
            assert_eq!(outcome, Outcome::Unknown);
            assert!(detail.level1_met.is_empty() && detail.level2_met.is_empty());
            assert_says(&reason.fr, "indiquez");
        }
        let no_prescriber = Profile {
            prescribed_by_authorised_prescriber: Some(false),
            ..Profile::default()
        };
        assert_eq!(check(&no_prescriber, 3).0, Outcome::Unknown);
    }

    #[test]
    fn unmet_criteria_without_a_prescriber_answer_stay_unknown() {
        let profile = Profile {
            prescribed_by_authorised_prescriber: None,
            ..known_negative()
        };
        let (outcome, _, reason) = check(&profile, 2);
        assert_eq!(outcome, Outcome::Unknown);
        assert_says(&reason.fr, "prescripteur habilité");
        assert_says(&reason.en, "authorised prescriber");
        assert_eq!(check(&known_negative(), 2).0, Outcome::NotMet);
    }

    #[test]
    fn unknowns_that_could_reach_the_threshold_keep_it_unknown() {
        // One level-2 criterion met, the QPV answer missing: 2 are reachable.
        let mut profile = known_negative();
        make_met(&mut profile, Pi);
        unknown(&mut profile, Qpv);
        assert_eq!(check(&profile, 2).0, Outcome::Unknown);
        assert_eq!(check(&profile, 3).0, Outcome::NotMet);
        // A missing level-1 fact can always decide it.
        let mut profile = known_negative();
        unknown(&mut profile, Rsa);
        assert_eq!(check(&profile, 3).0, Outcome::Unknown);
    }

    #[test]
    fn senior_and_jeune_count_once_among_unknowns() {
        let mut profile = known_negative();
        make_met(&mut profile, Qpv);
        unknown(&mut profile, Jeune); // clears the birth date: SENIOR is unknown too
        let derived = derived_iae_criteria(&profile, on());
        assert_eq!(derived.unknown, [Senior, Jeune]);
        // 1 met + at most 1 from the birth date.
        assert_eq!(check(&profile, 2).0, Outcome::Unknown);
        assert_eq!(check(&profile, 3).0, Outcome::NotMet);
    }

    #[test]
    fn undated_registration_can_still_reach_level1() {
        let mut profile = known_negative();
        make_met(&mut profile, Qpv);
        make_met(&mut profile, Pi);
        unknown(&mut profile, Detld); // registered, no date: DETLD and DELD unknown
        assert_eq!(check(&profile, 3).0, Outcome::Unknown);
    }

    #[test]
    fn reasons_name_the_criteria_met() {
        let mut profile = known_negative();
        make_met(&mut profile, Jeune);
        make_met(&mut profile, Qpv);
        let (outcome, _, reason) = check(&profile, 3);
        assert_eq!(outcome, Outcome::NotMet);
        assert!(
            reason.fr.starts_with(
                "Vous remplissez 2 critères de niveau 2 (jeune de moins de 26 ans, résident QPV) ; il en faut 3 pour cette structure"
            ),
            "{}",
            reason.fr
        );
        assert!(reason.en.starts_with("You meet 2 level-2 criteria (under 26, lives in a QPV priority neighbourhood); this structure requires 3"), "{}", reason.en);

        let (_, _, reason) = check(&Profile::default(), 3);
        assert_says(&reason.fr, "votre date de naissance");
        assert_eq!(reason.fr.matches("votre date de naissance").count(), 1);
    }

    fn pass_until(last: NaiveDate) -> Option<PassIae> {
        Some(PassIae::Held {
            valid_until: Some(last),
        })
    }

    fn on_rsa() -> Profile {
        let mut profile = known_negative();
        make_met(&mut profile, Rsa);
        profile
    }

    #[test]
    fn a_valid_pass_iae_needs_no_new_check() {
        // on() is 15 June 2026: a PASS valid through that day.
        let profile = Profile {
            pass_iae: pass_until(d(2026, 6, 15)),
            ..known_negative()
        };
        let (outcome, detail, reason) = check(&profile, 3);
        assert_eq!(outcome, Outcome::Met);
        assert_eq!(detail.waived_by, Some(Waiver::PassIae));
        assert!(detail.proofs_for.is_empty());
        assert_says(&reason.fr, "PASS IAE est valable jusqu'au 15 juin 2026");
        assert_says(&reason.en, "valid until 15 June 2026");
    }

    #[test]
    fn after_a_pass_iae_two_years_need_an_authorised_prescriber() {
        // Ended the day before the check: criteria (the RSA) are not enough.
        let ended = Profile {
            pass_iae: pass_until(d(2026, 6, 14)),
            ..on_rsa()
        };
        let (outcome, detail, reason) = check(&ended, 3);
        assert_eq!(outcome, Outcome::NotMet);
        assert_eq!(detail.waiting_period_until, Some(d(2028, 6, 14)));
        assert_eq!(detail.waived_by, None);
        assert_says(&reason.fr, "période de carence");
        assert_says(&reason.fr, "jusqu'au 14 juin 2028");
        assert_says(&reason.en, "2-year waiting period");

        // Nor is the structure's own diagnosis.
        let own = Profile {
            diagnoses: Some(vec![Diagnosis {
                author: DiagnosisAuthor::Structure(7),
                made_on: on(),
            }]),
            ..ended.clone()
        };
        let (result, _) = evaluate_iae(3, Some(7), &own, on());
        assert_eq!(result.outcome, Outcome::NotMet);

        // A prescriber's referral or still-valid diagnosis is.
        let referred = Profile {
            prescribed_by_authorised_prescriber: Some(true),
            ..ended.clone()
        };
        let (outcome, detail, reason) = check(&referred, 3);
        assert_eq!(outcome, Outcome::Met);
        assert_eq!(detail.waived_by, Some(Waiver::PrescriberReferral));
        assert_says(&reason.fr, "période de carence");
        let diagnosed = Profile {
            diagnoses: Some(vec![Diagnosis {
                author: DiagnosisAuthor::AuthorisedPrescriber,
                made_on: d(2026, 1, 1),
            }]),
            ..ended.clone()
        };
        assert_eq!(check(&diagnosed, 3).0, Outcome::Met);

        // Without the prescriber answers it stays open.
        let untold = Profile {
            prescribed_by_authorised_prescriber: None,
            ..ended
        };
        let (outcome, _, reason) = check(&untold, 3);
        assert_eq!(outcome, Outcome::Unknown);
        assert_says(&reason.fr, "Indiquez si un prescripteur habilité");
    }

    #[test]
    fn the_waiting_period_ends_two_years_after_the_pass() {
        // Ended 15 June 2024: the waiting period runs through 15 June 2026.
        let last_day = Profile {
            pass_iae: pass_until(d(2024, 6, 15)),
            ..on_rsa()
        };
        assert_eq!(check(&last_day, 3).0, Outcome::NotMet);
        let over = Profile {
            pass_iae: pass_until(d(2024, 6, 14)),
            ..on_rsa()
        };
        let (outcome, detail, _) = check(&over, 3);
        assert_eq!(outcome, Outcome::Met);
        assert_eq!(detail.waiting_period_until, None);
    }

    #[test]
    fn a_pass_not_told_leaves_met_criteria_unknown() {
        for (pass, asked) in [
            (None, "Indiquez si vous avez eu un PASS IAE"),
            (
                Some(PassIae::Held { valid_until: None }),
                "Indiquez jusqu'à quand votre PASS IAE",
            ),
        ] {
            let profile = Profile {
                pass_iae: pass,
                ..on_rsa()
            };
            let (outcome, detail, reason) = check(&profile, 3);
            assert_eq!(outcome, Outcome::Unknown, "{pass:?}");
            assert_says(&reason.fr, asked);
            assert_eq!(detail.proofs_for, [Rsa]);
        }
    }

    #[test]
    fn nothing_told_about_pass_or_diagnoses_is_never_not_met() {
        for profile in [
            Profile {
                pass_iae: None,
                ..known_negative()
            },
            Profile {
                diagnoses: None,
                ..known_negative()
            },
        ] {
            let (outcome, _, reason) = check(&profile, 2);
            assert_eq!(outcome, Outcome::Unknown);
            assert_says(
                &reason.fr,
                "dispenseraient de cette vérification : indiquez",
            );
        }
        let (_, _, reason) = check(&known_negative(), 2);
        assert_says(&reason.fr, "ni PASS IAE en cours de validité");
    }

    #[test]
    fn a_prescriber_diagnosis_lasts_six_months_for_every_structure() {
        let made = |made_on| Profile {
            diagnoses: Some(vec![Diagnosis {
                author: DiagnosisAuthor::AuthorisedPrescriber,
                made_on,
            }]),
            ..known_negative()
        };
        // Made 16 December 2025: valid through 15 June 2026.
        let (outcome, detail, reason) = check(&made(d(2025, 12, 16)), 3);
        assert_eq!(outcome, Outcome::Met);
        assert_eq!(detail.waived_by, Some(Waiver::PrescriberDiagnosis));
        assert_says(&reason.fr, "valable jusqu'au 15 juin 2026");
        assert_eq!(check(&made(d(2025, 12, 15)), 3).0, Outcome::NotMet);
    }

    #[test]
    fn a_structure_diagnosis_lasts_92_days_for_that_structure_only() {
        let made = |made_on| Profile {
            diagnoses: Some(vec![Diagnosis {
                author: DiagnosisAuthor::Structure(7),
                made_on,
            }]),
            ..known_negative()
        };
        // 15 March 2026 is day 1; day 92 is 14 June, so it expires on 15 June.
        let fresh = made(d(2026, 3, 16));
        let (result, detail) = evaluate_iae(3, Some(7), &fresh, on());
        assert_eq!(result.outcome, Outcome::Met);
        assert_eq!(detail.waived_by, Some(Waiver::StructureDiagnosis));
        assert_says(&result.reason.fr, "valable pour elle");
        let (result, _) = evaluate_iae(3, Some(7), &made(d(2026, 3, 15)), on());
        assert_eq!(result.outcome, Outcome::NotMet);
        let (result, _) = evaluate_iae(3, Some(8), &fresh, on());
        assert_eq!(result.outcome, Outcome::NotMet);
        assert_says(&result.reason.fr, "ne vaut que pour elle");
    }

    #[test]
    fn cap_bep_is_the_level_of_study_reached() {
        let at = |level| Profile {
            study_level: level,
            ..known_negative()
        };
        assert_eq!(
            criterion_outcome(CapBep, &at(StudyLevel::between(1, 2)), on()),
            Outcome::Met
        );
        assert_eq!(
            criterion_outcome(CapBep, &at(StudyLevel::exactly(3)), on()),
            Outcome::Met
        );
        assert_eq!(
            criterion_outcome(CapBep, &at(StudyLevel::exactly(4)), on()),
            Outcome::NotMet
        );
        assert_eq!(
            criterion_outcome(CapBep, &at(StudyLevel::between(7, 8)), on()),
            Outcome::NotMet
        );
        assert_eq!(criterion_outcome(CapBep, &at(None), on()), Outcome::Unknown);
    }

    #[test]
    fn reasons_say_which_proofs_to_bring() {
        let (outcome, detail, reason) = check(&on_rsa(), 3);
        assert_eq!(outcome, Outcome::Met);
        assert_eq!(detail.proofs_for, [Rsa]);
        assert_says(
            &reason.fr,
            "Justificatifs à apporter : attestation de bénéficiaire du RSA (de moins de 3 mois)",
        );
        assert_says(
            &reason.en,
            "Proofs to bring: certificate of RSA entitlement",
        );

        let mut profile = known_negative();
        for criterion in [Qpv, Pm] {
            make_met(&mut profile, criterion);
        }
        let (outcome, detail, reason) = check(&profile, 2);
        assert_eq!(outcome, Outcome::Met);
        assert_eq!(detail.proofs_for, [Qpv, Pm]);
        assert_says(&reason.fr, "justificatif de domicile");
        assert_says(
            &reason.fr,
            "diagnostic mobilité établi par un prescripteur habilité",
        );
        // Short of the threshold, nothing to bring yet.
        let (outcome, detail, reason) = check(&profile, 3);
        assert_eq!(outcome, Outcome::NotMet);
        assert!(detail.proofs_for.is_empty());
        assert!(!reason.fr.contains("Justificatifs"), "{}", reason.fr);
    }
}
