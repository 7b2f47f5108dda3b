//! Property tests of the engine as a whole: monotonicity, the verdict rule, no panics.

use chrono::{Datelike as _, NaiveDate};
use entity::enums::Country;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

use super::*;
use crate::eligibility::cisp::cisp;
use crate::eligibility::dates::add_months;
use crate::eligibility::iae::evaluate_iae;
use crate::eligibility::test_support::known_negative;

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

fn study_level() -> impl Strategy<Value = StudyLevel> {
    (1u8..=8, 0u8..=1)
        .prop_map(|(lowest, span)| StudyLevel::between(lowest, (lowest + span).min(8)).unwrap())
}

fn pass_iae() -> impl Strategy<Value = PassIae> {
    prop_oneof![
        Just(PassIae::None),
        option::of(date()).prop_map(|valid_until| PassIae::Held { valid_until }),
    ]
}

fn diagnosis() -> impl Strategy<Value = Diagnosis> {
    let author = prop_oneof![
        Just(DiagnosisAuthor::AuthorisedPrescriber),
        (1i32..4).prop_map(DiagnosisAuthor::Structure),
    ];
    (author, date()).prop_map(|(author, made_on)| Diagnosis { author, made_on })
}

fn profile() -> impl Strategy<Value = Profile> {
    let dates = (option::of(date()), option::of(date()), flag());
    let school = (
        option::of(vec(
            select(vec![Benefit::Rsa, Benefit::Ass, Benefit::Aah]),
            0..4,
        )),
        option::of(study_level()),
        option::of(commune_code()),
        option::of(select(vec![Country::Fr, Country::Be])),
    );
    let flags = (
        (flag(), flag(), flag(), flag(), flag(), flag()),
        (flag(), flag(), flag(), flag(), flag(), flag()),
    );
    let iae = (option::of(pass_iae()), option::of(vec(diagnosis(), 0..3)));
    let belgian = (
        flag(),
        option::of(prop_oneof![0u8..=24, any::<u8>()]),
        flag(),
        option::of(prop_oneof![0u8..=100, any::<u8>()]),
        option::of(select(vec![
            BelgianCertificate::None,
            BelgianCertificate::Ceb,
            BelgianCertificate::Ce1d,
            BelgianCertificate::Ce2d,
            BelgianCertificate::Cess,
            BelgianCertificate::HigherEducation,
        ])),
    );
    (dates, school, flags, iae, belgian).prop_map(
        |(
            (birth_date, job_seeker_since, registered_job_seeker),
            (benefits, study_level, residence_commune_code, country),
            (
                (qpv, zrr, disability, single, homeless, refugee),
                (ase, detention, fle, pm, licence, prescribed),
            ),
            (pass_iae, diagnoses),
            (
                registered_with_forem,
                unoccupied_months_in_last_24,
                registered_with_aviq,
                incapacity_percent,
                highest_belgian_certificate,
            ),
        )| Profile {
            birth_date,
            job_seeker_since,
            registered_job_seeker,
            benefits,
            study_level,
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
            pass_iae,
            diagnoses,
            country,
            registered_with_forem,
            unoccupied_months_in_last_24,
            highest_belgian_certificate,
            registered_with_aviq,
            incapacity_percent,
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
        (0u8..=5, option::of(1i32..4)).prop_map(|(level2_required, structure_id)| {
            Rule::IaeCriteria {
                level2_required,
                structure_id,
            }
        }),
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

/// A fact that, once answered yes, meets an IAE criterion (or waives the check), or one
/// more diagnosis the person already has.
#[derive(Debug, Clone, Copy)]
enum Toggle {
    Flag(usize),
    Benefit(Benefit),
    Diagnosis(Diagnosis),
}

fn toggle() -> impl Strategy<Value = Toggle> {
    prop_oneof![
        (0usize..11).prop_map(Toggle::Flag),
        select(vec![Benefit::Rsa, Benefit::Ass, Benefit::Aah]).prop_map(Toggle::Benefit),
        diagnosis().prop_map(Toggle::Diagnosis),
    ]
}

fn apply(toggle: Toggle, profile: &mut Profile) {
    match toggle {
        Toggle::Benefit(benefit) => profile.benefits.get_or_insert_with(Vec::new).push(benefit),
        // Only onto a told list: a first diagnosis would also tell "no other one".
        Toggle::Diagnosis(diagnosis) => {
            if let Some(diagnoses) = &mut profile.diagnoses {
                diagnoses.push(diagnosis);
            }
        }
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
            rule: Rule::IaeCriteria { level2_required, structure_id: Some(1) },
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

/// A plausible date, for boundary properties where chrono's extremes add nothing.
fn plausible() -> impl Strategy<Value = NaiveDate> {
    let from = NaiveDate::from_ymd_opt(1950, 1, 1)
        .unwrap()
        .num_days_from_ce();
    let to = NaiveDate::from_ymd_opt(2060, 12, 31)
        .unwrap()
        .num_days_from_ce();
    (from..=to).prop_map(|day| NaiveDate::from_num_days_from_ce_opt(day).unwrap())
}

/// A Walloon profile meeting CISP category 1 (the CE2D) and registered with Le Forem:
/// only compulsory schooling can decide.
fn walloon(birth: NaiveDate) -> Profile {
    Profile {
        birth_date: Some(birth),
        registered_with_forem: Some(true),
        highest_belgian_certificate: Some(BelgianCertificate::Ce2d),
        ..Profile::default()
    }
}

/// Registered with Le Forem, past schooling, in no category but perhaps the second.
fn graduate(on: NaiveDate) -> Profile {
    Profile {
        birth_date: on.checked_sub_months(chrono::Months::new(30 * 12)),
        registered_with_forem: Some(true),
        highest_belgian_certificate: Some(BelgianCertificate::HigherEducation),
        registered_with_aviq: Some(false),
        incapacity_percent: Some(0),
        ..Profile::default()
    }
}

/// Answers everything and meets no IAE criterion, whatever the day (never registered as
/// a job seeker, so DETLD cannot turn up decades later).
fn no_criterion() -> Profile {
    Profile {
        registered_job_seeker: Some(false),
        job_seeker_since: None,
        ..known_negative()
    }
}

/// A plausible day in the first 27 of its month, where "18 months before" and the day
/// after it are exact: from a 28th or later, adding months clamps to the end of February
/// (29 August 1959 + 18 months is 28 February 1961, already 18 months).
fn mid_month() -> impl Strategy<Value = NaiveDate> {
    (1950i32..2060, 1u32..=12, 1u32..=27)
        .prop_map(|(year, month, day)| NaiveDate::from_ymd_opt(year, month, day).unwrap())
}

fn iae(profile: &Profile, on: NaiveDate) -> (Outcome, IaeDetail) {
    let (result, detail) = evaluate_iae(3, Some(1), profile, on);
    (result.outcome, detail)
}

proptest! {
    /// Compulsory schooling ends on 30 June of the year of the 18th birthday, or on the
    /// birthday when earlier: a CISP is closed the day before and open that day.
    #[test]
    fn cisp_opens_the_day_compulsory_schooling_ends(birth in plausible()) {
        let end = end_of_compulsory_schooling(birth).unwrap();
        let june_30 = NaiveDate::from_ymd_opt(birth.year() + 18, 6, 30).unwrap();
        prop_assert!(end <= june_30);
        prop_assert!(age_on(birth, end) == 17 || age_on(birth, end) == 18);
        // The end is the 18th birthday exactly when that comes first.
        let eighteen = age_on(birth, end) == 18;
        prop_assert_eq!(eighteen, end < june_30 || age_on(birth, june_30) == 18);
        if eighteen {
            prop_assert_eq!(age_on(birth, end.pred_opt().unwrap()), 17);
        }
        let profile = walloon(birth);
        prop_assert_eq!(cisp(&profile, end).outcome, Outcome::Met);
        prop_assert_eq!(cisp(&profile, end.pred_opt().unwrap()).outcome, Outcome::NotMet);
    }

    /// Category 2: 18 months as an unoccupied job seeker within the last 24, from the
    /// count or from a Le Forem registration at least 18 months old.
    #[test]
    fn cisp_category_2_starts_at_18_months_within_24(on in mid_month(), months in 0u8..=24) {
        let counted = Profile { unoccupied_months_in_last_24: Some(months), ..graduate(on) };
        let expected = if months >= 18 { Outcome::Met } else { Outcome::NotMet };
        prop_assert_eq!(cisp(&counted, on).outcome, expected);

        let eighteen_months_ago = on.checked_sub_months(chrono::Months::new(18)).unwrap();
        let since = |date| Profile { job_seeker_since: Some(date), ..graduate(on) };
        prop_assert_eq!(cisp(&since(eighteen_months_ago), on).outcome, Outcome::Met);
        let day_after = eighteen_months_ago.succ_opt().unwrap();
        // Earlier spells may still add up: unknown, never a silent no.
        prop_assert_eq!(cisp(&since(day_after), on).outcome, Outcome::Unknown);
    }

    /// A PASS IAE is valid through its last day: the check is waived; for 2 years after
    /// it, criteria alone (here the RSA) no longer open a pathway; then they do again.
    #[test]
    fn pass_iae_validity_and_waiting_period_boundaries(last in plausible(), days_after in 0u32..1200) {
        let mut profile = no_criterion();
        profile.benefits = Some(vec![Benefit::Rsa]);
        profile.pass_iae = Some(PassIae::Held { valid_until: Some(last) });
        let waiting_end = add_months(last, WAITING_PERIOD_MONTHS).unwrap();

        let (outcome, detail) = iae(&profile, last);
        prop_assert_eq!(outcome, Outcome::Met);
        prop_assert_eq!(detail.waived_by, Some(Waiver::PassIae));

        let on = last + chrono::Days::new(u64::from(days_after) + 1);
        let (outcome, detail) = iae(&profile, on);
        if on <= waiting_end {
            prop_assert_eq!(outcome, Outcome::NotMet, "in the waiting period");
            prop_assert_eq!(detail.waiting_period_until, Some(waiting_end));
            // An authorised prescriber's referral opens it again.
            let referred = Profile { prescribed_by_authorised_prescriber: Some(true), ..profile.clone() };
            prop_assert_eq!(iae(&referred, on).0, Outcome::Met);
        } else {
            prop_assert_eq!(outcome, Outcome::Met, "after the waiting period");
            prop_assert_eq!(detail.waiting_period_until, None);
        }
        let (outcome, _) = iae(&profile, waiting_end);
        prop_assert_eq!(outcome, Outcome::NotMet, "the last day of the waiting period");
        let (outcome, _) = iae(&profile, waiting_end.succ_opt().unwrap());
        prop_assert_eq!(outcome, Outcome::Met, "the day after it");
    }

    /// A prescriber's diagnosis waives the check for 6 months, a structure's for 92 days
    /// and only for that structure; from the day they expire, they no longer do.
    #[test]
    fn diagnoses_expire_after_6_months_or_92_days(made_on in plausible(), structure in 1i32..4) {
        let with = |author| Profile {
            diagnoses: Some(vec![Diagnosis { author, made_on }]),
            ..no_criterion()
        };
        let prescriber = with(DiagnosisAuthor::AuthorisedPrescriber);
        let expires = add_months(made_on, PRESCRIBER_DIAGNOSIS_MONTHS).unwrap();
        prop_assert_eq!(iae(&prescriber, made_on).1.waived_by, Some(Waiver::PrescriberDiagnosis));
        prop_assert_eq!(iae(&prescriber, expires.pred_opt().unwrap()).0, Outcome::Met);
        prop_assert_eq!(iae(&prescriber, expires).0, Outcome::NotMet);

        let own = with(DiagnosisAuthor::Structure(structure));
        let expires = made_on + chrono::Days::new(STRUCTURE_DIAGNOSIS_DAYS);
        let (_, detail) = evaluate_iae(3, Some(structure), &own, expires.pred_opt().unwrap());
        prop_assert_eq!(detail.waived_by, Some(Waiver::StructureDiagnosis));
        prop_assert_eq!(evaluate_iae(3, Some(structure), &own, expires).0.outcome, Outcome::NotMet);
        let elsewhere = evaluate_iae(3, Some(structure + 10), &own, made_on).0.outcome;
        prop_assert_eq!(elsewhere, Outcome::NotMet);
    }
}
