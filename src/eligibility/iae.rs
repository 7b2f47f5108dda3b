//! The IAE rule (France): administrative criteria of levels 1 and 2, and the waiver by
//! an authorised prescriber (DOMAIN.md, "IAE eligibility").

use chrono::NaiveDate;
use entity::enums::IaeCriterion;

use super::dates::{age_on, months_between};
use super::outcome::{ConditionResult, Outcome};
use super::profile::{Benefit, Profile};
use super::reason::{Reason, criteria_count, criterion_label, criterion_question, join_list};

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
    /// A referral by an authorised prescriber makes the criteria check unnecessary.
    pub waived_by_prescriber: bool,
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
            .diploma_level
            .map_or(Outcome::Unknown, |level| Outcome::from_bool(level <= 3)),
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

/// Checks the IAE rule for a structure requiring `level2_required` level-2 criteria.
///
/// Met when an authorised prescriber refers the person, or with one level-1 criterion,
/// or with enough level-2 criteria. NotMet only when no missing fact could change that
/// *and* the person said they have no prescriber referral; otherwise Unknown.
pub(crate) fn evaluate_iae(
    level2_required: u8,
    profile: &Profile,
    on: NaiveDate,
) -> (ConditionResult, IaeDetail) {
    let derived = derived_iae_criteria(profile, on);
    let (level1_met, level2_met): (Vec<_>, Vec<_>) = derived
        .met
        .iter()
        .partition(|criterion| criterion.is_level1());
    let prescribed = profile.prescribed_by_authorised_prescriber;
    let detail = IaeDetail {
        level1_met,
        level2_met,
        level2_required,
        waived_by_prescriber: prescribed == Some(true),
    };
    let required = usize::from(level2_required);
    let status = status_reason(&detail);

    let result = if detail.waived_by_prescriber {
        ConditionResult::new(
            Outcome::Met,
            Reason::new(
                "Vous êtes orienté(e) par un prescripteur habilité : les critères IAE n'ont pas à être vérifiés.",
                "You are referred by an authorised prescriber, which waives the IAE criteria check.",
            ),
        )
    } else if !detail.level1_met.is_empty() || detail.level2_met.len() >= required {
        ConditionResult::new(Outcome::Met, status)
    } else if could_still_be_met(&derived.unknown, detail.level2_met.len(), required) {
        let mut reason = status.then(ask_for(&derived.unknown));
        if prescribed.is_none() {
            reason = reason.then(Reason::new(
                "Une orientation par un prescripteur habilité dispenserait aussi de cette vérification.",
                "A referral by an authorised prescriber would also waive this check.",
            ));
        }
        ConditionResult::new(Outcome::Unknown, reason)
    } else if prescribed.is_none() {
        ConditionResult::new(
            Outcome::Unknown,
            status.then(Reason::new(
                "Une orientation par un prescripteur habilité (France Travail, Mission locale, Cap emploi…) dispenserait de cette vérification : indiquez si vous en avez une.",
                "A referral by an authorised prescriber (France Travail, Mission locale, Cap emploi…) would waive this check: tell us whether you have one.",
            )),
        )
    } else {
        ConditionResult::new(
            Outcome::NotMet,
            status.then(Reason::new(
                "Vous n'avez pas d'orientation par un prescripteur habilité, qui dispenserait de cette vérification.",
                "You have no referral by an authorised prescriber, which would waive this check.",
            )),
        )
    };
    (result, detail)
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
    use crate::eligibility::test_support::{d, known_negative, make_met, on, unknown};

    fn check(profile: &Profile, level2_required: u8) -> (Outcome, IaeDetail, Reason) {
        let (result, detail) = evaluate_iae(level2_required, profile, on());
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
                assert!(reason.fr.contains("de niveau 1"), "{}", reason.fr);
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
            assert!(reason.fr.contains("indiquez"), "{}", reason.fr);
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
        assert!(reason.fr.contains("prescripteur habilité"), "{}", reason.fr);
        assert!(reason.en.contains("authorised prescriber"), "{}", reason.en);
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
        assert!(
            reason.fr.contains("votre date de naissance"),
            "{}",
            reason.fr
        );
        assert_eq!(reason.fr.matches("votre date de naissance").count(), 1);
    }
}
