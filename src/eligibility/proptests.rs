//! Property tests of the engine as a whole: monotonicity, the verdict rule, no panics.

use chrono::{Datelike as _, NaiveDate};
use entity::enums::Country;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

use super::*;

/// Any date chrono can represent, biased towards plausible ones.
fn date() -> impl Strategy<Value = NaiveDate> {
    let days = |from: NaiveDate, to: NaiveDate| {
        (from.num_days_from_ce()..=to.num_days_from_ce())
            .prop_map(|day| NaiveDate::from_num_days_from_ce_opt(day).unwrap())
    };
    let plausible = days(
        NaiveDate::from_ymd_opt(1920, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2040, 12, 31).unwrap(),
    );
    prop_oneof![4 => plausible, 1 => days(NaiveDate::MIN, NaiveDate::MAX)]
}

fn flag() -> impl Strategy<Value = Option<bool>> {
    option::of(any::<bool>())
}

fn commune_code() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec!["75056", "2A004", "93066", "97411", "62063"]).prop_map(String::from),
        "[0-9AB]{5}",
        any::<String>(),
    ]
}

fn profile() -> impl Strategy<Value = Profile> {
    let dates = (option::of(date()), option::of(date()), flag());
    let school = (
        option::of(vec(
            select(vec![Benefit::Rsa, Benefit::Ass, Benefit::Aah]),
            0..4,
        )),
        option::of(prop_oneof![1u8..=8, any::<u8>()]),
        option::of(commune_code()),
        option::of(select(vec![Country::Fr, Country::Be])),
    );
    let flags = (
        (flag(), flag(), flag(), flag(), flag(), flag()),
        (flag(), flag(), flag(), flag(), flag(), flag()),
    );
    let belgian = (
        flag(),
        option::of(select(vec![
            BelgianCertificate::None,
            BelgianCertificate::Ceb,
            BelgianCertificate::Ce1d,
            BelgianCertificate::Ce2d,
            BelgianCertificate::Cess,
            BelgianCertificate::HigherEducation,
        ])),
    );
    (dates, school, flags, belgian).prop_map(
        |(
            (birth_date, job_seeker_since, registered_job_seeker),
            (benefits, diploma_level, residence_commune_code, country),
            (
                (qpv, zrr, disability, single, homeless, refugee),
                (ase, detention, fle, pm, licence, prescribed),
            ),
            (registered_with_forem, highest_belgian_certificate),
        )| Profile {
            birth_date,
            job_seeker_since,
            registered_job_seeker,
            benefits,
            diploma_level,
            residence_commune_code,
            lives_in_qpv: qpv,
            lives_in_zrr: zrr,
            recognised_disability: disability,
            single_parent: single,
            homeless,
            refugee,
            left_child_welfare: ase,
            left_detention: detention,
            french_below_a1: fle,
            mobility_problem: pm,
            driving_licence: licence,
            prescribed_by_authorised_prescriber: prescribed,
            country,
            registered_with_forem,
            highest_belgian_certificate,
        },
    )
}

fn codes() -> impl Strategy<Value = Vec<String>> {
    vec(
        prop_oneof!["[0-9]{2}", "97[0-9]", "2[AB]", "[0-9]{5}", "2[AB][0-9]{3}"],
        0..4,
    )
}

fn cefr() -> impl Strategy<Value = Cefr> {
    select(vec![
        Cefr::A1,
        Cefr::A2,
        Cefr::B1,
        Cefr::B2,
        Cefr::C1,
        Cefr::C2,
    ])
}

/// Every rule, with the French-level rule only when `with_language` (it is the one
/// rule that a met IAE criterion, FLE, works against).
fn rule(with_language: bool) -> BoxedStrategy<Rule> {
    let rules = prop_oneof![
        (option::of(any::<u8>()), option::of(any::<u8>()))
            .prop_map(|(min, max)| Rule::Age { min, max }),
        (0u8..=5).prop_map(|level2_required| Rule::IaeCriteria { level2_required }),
        option::of(0u32..40).prop_map(|min_months| Rule::JobSeeker { min_months }),
        any::<u8>().prop_map(Rule::MaxDiplomaLevel),
        prop_oneof![
            Just(Zone::Qpv),
            Just(Zone::Zrr),
            codes().prop_map(Zone::Communes),
            codes().prop_map(Zone::Departements),
        ]
        .prop_map(Rule::ResidenceZone),
        Just(Rule::RecognisedDisability),
        Just(Rule::PrescriptionRequired),
        Just(Rule::DrivingLicence),
        Just(Rule::CispRule),
        Just(Rule::FreeText),
    ];
    if with_language {
        prop_oneof![10 => rules, 1 => cefr().prop_map(Rule::LanguageLevel)].boxed()
    } else {
        rules.boxed()
    }
}

fn conditions(with_language: bool) -> impl Strategy<Value = Vec<Condition>> {
    vec(
        (rule(with_language), any::<bool>(), ".{0,20}").prop_map(
            |(rule, mandatory, description)| Condition {
                rule,
                mandatory,
                description,
            },
        ),
        0..6,
    )
}

/// A fact that, once answered yes, meets an IAE criterion (or waives the check).
#[derive(Debug, Clone, Copy)]
enum Toggle {
    Flag(usize),
    Benefit(Benefit),
}

fn toggle() -> impl Strategy<Value = Toggle> {
    prop_oneof![
        (0usize..11).prop_map(Toggle::Flag),
        select(vec![Benefit::Rsa, Benefit::Ass, Benefit::Aah]).prop_map(Toggle::Benefit),
    ]
}

fn apply(toggle: Toggle, profile: &mut Profile) {
    match toggle {
        Toggle::Benefit(benefit) => profile.benefits.get_or_insert_with(Vec::new).push(benefit),
        Toggle::Flag(index) => {
            let field = match index {
                0 => &mut profile.lives_in_qpv,
                1 => &mut profile.lives_in_zrr,
                2 => &mut profile.recognised_disability,
                3 => &mut profile.single_parent,
                4 => &mut profile.homeless,
                5 => &mut profile.refugee,
                6 => &mut profile.left_child_welfare,
                7 => &mut profile.left_detention,
                8 => &mut profile.french_below_a1,
                9 => &mut profile.mobility_problem,
                _ => &mut profile.prescribed_by_authorised_prescriber,
            };
            *field = Some(true);
        }
    }
}

/// NotMet < Unknown < Met.
fn rank(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::NotMet => 0,
        Outcome::Unknown => 1,
        Outcome::Met => 2,
    }
}

fn verdict_rank(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::NotEligible => 0,
        Verdict::Unknown => 1,
        Verdict::Eligible => 2,
    }
}

proptest! {
    /// Answering "yes" to a criterion never makes anything worse: no condition drops
    /// (Met → Unknown/NotMet, Unknown → NotMet) and neither does the verdict.
    #[test]
    fn meeting_one_more_criterion_never_hurts(
        profile in profile(),
        conditions in conditions(false),
        toggle in toggle(),
        level2_required in 0u8..=4,
        on in date(),
    ) {
        let mut better = profile.clone();
        apply(toggle, &mut better);

        let mut conditions = conditions;
        conditions.push(Condition {
            rule: Rule::IaeCriteria { level2_required },
            mandatory: true,
            description: String::new(),
        });
        let before = evaluate(&conditions, &profile, on);
        let after = evaluate(&conditions, &better, on);
        for (i, (b, a)) in before.results.iter().zip(&after.results).enumerate() {
            prop_assert!(
                rank(a.outcome) >= rank(b.outcome),
                "condition {} {:?}: {:?} -> {:?}", i, conditions[i].rule, b.outcome, a.outcome
            );
        }
        prop_assert!(verdict_rank(after.verdict) >= verdict_rank(before.verdict));
        if before.verdict == Verdict::Eligible {
            prop_assert_eq!(after.verdict, Verdict::Eligible);
        }
    }

    /// The verdict follows from the mandatory results alone.
    #[test]
    fn verdict_follows_the_mandatory_results(
        profile in profile(),
        conditions in conditions(true),
        on in date(),
    ) {
        let evaluation = evaluate(&conditions, &profile, on);
        prop_assert_eq!(evaluation.results.len(), conditions.len());
        let mandatory: Vec<Outcome> = conditions
            .iter()
            .zip(&evaluation.results)
            .filter(|(c, _)| c.mandatory)
            .map(|(_, r)| r.outcome)
            .collect();
        let expected = if mandatory.contains(&Outcome::NotMet) {
            Verdict::NotEligible
        } else if mandatory.contains(&Outcome::Unknown) {
            Verdict::Unknown
        } else {
            Verdict::Eligible
        };
        prop_assert_eq!(evaluation.verdict, expected);
        let has_iae = conditions.iter().any(|c| matches!(c.rule, Rule::IaeCriteria { .. }));
        prop_assert_eq!(evaluation.iae.is_some(), has_iae);
    }

    /// Nothing panics, whatever the profile and date, and every reason says something.
    #[test]
    fn never_panics(
        profile in profile(),
        conditions in conditions(true),
        on in date(),
    ) {
        let evaluation = evaluate(&conditions, &profile, on);
        for result in &evaluation.results {
            prop_assert!(!result.reason.fr.is_empty() && !result.reason.en.is_empty());
        }
        let _ = validate(&profile, on);
        let derived = derived_iae_criteria(&profile, on);
        prop_assert!(derived.met.iter().all(|c| !derived.unknown.contains(c)));
        if let Some(birth) = profile.birth_date {
            let _ = age_on(birth, on);
        }
        if let Some(since) = profile.job_seeker_since {
            let _ = months_between(since, on);
        }
    }

    /// With nothing told, no condition is NotMet: missing facts never fail silently.
    #[test]
    fn an_empty_profile_never_fails_a_condition(
        conditions in conditions(true),
        on in date(),
    ) {
        let evaluation = evaluate(&conditions, &Profile::default(), on);
        for result in &evaluation.results {
            prop_assert_ne!(result.outcome, Outcome::NotMet);
        }
        prop_assert_ne!(evaluation.verdict, Verdict::NotEligible);
    }
}
