//! Evaluates every condition of an offer and draws the verdict from the mandatory ones.

use chrono::NaiveDate;

use super::cisp::cisp;
use super::condition::{Condition, Rule};
use super::iae::{IaeDetail, evaluate_iae};
use super::outcome::{ConditionResult, Outcome, Verdict};
use super::profile::Profile;
use super::residence::residence_zone;
use super::rules;

/// The answer for a whole offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// From the mandatory conditions only.
    pub verdict: Verdict,
    /// One result per condition, in the order given (preferred ones included).
    pub results: Vec<ConditionResult>,
    /// The IAE criteria behind the first `IaeCriteria` condition, if any.
    pub iae: Option<IaeDetail>,
}

/// Checks `conditions` against `profile` on date `on` (ages and registration lengths
/// are computed at that date).
///
/// The verdict is `NotEligible` when a mandatory condition is not met, else `Unknown`
/// when a mandatory one is unknown, else `Eligible`; preferred conditions are evaluated
/// and reported but never change it. Any profile is accepted, valid or not.
pub fn evaluate(conditions: &[Condition], profile: &Profile, on: NaiveDate) -> Evaluation {
    let mut iae = None;
    let results: Vec<ConditionResult> = conditions
        .iter()
        .map(|condition| {
            let (result, detail) = evaluate_one(condition, profile, on);
            if iae.is_none() {
                iae = detail;
            }
            result
        })
        .collect();
    let mandatory = conditions
        .iter()
        .zip(&results)
        .filter(|(condition, _)| condition.mandatory)
        .map(|(_, result)| result.outcome);
    let verdict = match Outcome::all(mandatory) {
        Outcome::Met => Verdict::Eligible,
        Outcome::NotMet => Verdict::NotEligible,
        Outcome::Unknown => Verdict::Unknown,
    };
    Evaluation {
        verdict,
        results,
        iae,
    }
}

fn evaluate_one(
    condition: &Condition,
    profile: &Profile,
    on: NaiveDate,
) -> (ConditionResult, Option<IaeDetail>) {
    let result = match &condition.rule {
        Rule::IaeCriteria {
            level2_required,
            structure_id,
        } => {
            let (result, detail) = evaluate_iae(*level2_required, *structure_id, profile, on);
            return (result, Some(detail));
        }
        Rule::Age { min, max } => rules::age(*min, *max, profile, on),
        Rule::JobSeeker { min_months } => rules::job_seeker(*min_months, profile, on),
        Rule::MaxDiplomaLevel(max) => rules::max_diploma_level(*max, profile),
        Rule::ResidenceZone(zone) => residence_zone(zone, profile),
        Rule::RecognisedDisability => rules::recognised_disability(profile),
        Rule::PrescriptionRequired => rules::prescription(profile),
        Rule::DrivingLicence => rules::driving_licence(profile),
        Rule::LanguageLevel(level) => rules::language_level(*level, profile),
        Rule::CispRule => cisp(profile, on),
        Rule::FreeText => rules::free_text(&condition.description),
    };
    (result, None)
}

#[cfg(test)]
mod tests {
    use entity::enums::IaeCriterion;

    use super::*;
    use crate::eligibility::condition::{Cefr, Zone};
    use crate::eligibility::test_support::{d, known_negative, on};

    fn condition(rule: Rule, mandatory: bool) -> Condition {
        Condition {
            rule,
            mandatory,
            description: "Décrite par la structure".into(),
        }
    }

    fn every_rule() -> Vec<Rule> {
        vec![
            Rule::Age {
                min: Some(18),
                max: Some(25),
            },
            Rule::IaeCriteria {
                level2_required: 3,
                structure_id: None,
            },
            Rule::JobSeeker {
                min_months: Some(6),
            },
            Rule::MaxDiplomaLevel(3),
            Rule::ResidenceZone(Zone::Qpv),
            Rule::ResidenceZone(Zone::Zrr),
            Rule::ResidenceZone(Zone::Communes(vec!["75056".into()])),
            Rule::ResidenceZone(Zone::Departements(vec!["75".into()])),
            Rule::RecognisedDisability,
            Rule::PrescriptionRequired,
            Rule::DrivingLicence,
            Rule::LanguageLevel(Cefr::A1),
            Rule::CispRule,
            Rule::FreeText,
        ]
    }

    #[test]
    fn no_condition_is_eligible() {
        let evaluation = evaluate(&[], &Profile::default(), on());
        assert_eq!(evaluation.verdict, Verdict::Eligible);
        assert!(evaluation.results.is_empty());
        assert_eq!(evaluation.iae, None);
    }

    #[test]
    fn an_empty_profile_leaves_every_rule_unknown() {
        for rule in every_rule() {
            let evaluation = evaluate(&[condition(rule.clone(), true)], &Profile::default(), on());
            assert_eq!(evaluation.verdict, Verdict::Unknown, "{rule:?}");
            assert_eq!(evaluation.results[0].outcome, Outcome::Unknown, "{rule:?}");
            assert!(!evaluation.results[0].reason.fr.is_empty());
            assert!(!evaluation.results[0].reason.en.is_empty());
        }
    }

    #[test]
    fn verdict_comes_from_mandatory_conditions_only() {
        let profile = Profile {
            birth_date: Some(d(1990, 1, 1)),
            driving_licence: Some(true),
            ..Profile::default()
        };
        let young_only = Rule::Age {
            min: None,
            max: Some(25),
        };
        let conditions = [
            condition(Rule::DrivingLicence, true),
            condition(young_only.clone(), false),
            condition(Rule::FreeText, false),
        ];
        let evaluation = evaluate(&conditions, &profile, on());
        assert_eq!(evaluation.verdict, Verdict::Eligible);
        let outcomes: Vec<_> = evaluation.results.iter().map(|r| r.outcome).collect();
        assert_eq!(outcomes, [Outcome::Met, Outcome::NotMet, Outcome::Unknown]);

        let conditions = [
            condition(Rule::FreeText, true),
            condition(Rule::DrivingLicence, true),
        ];
        assert_eq!(
            evaluate(&conditions, &profile, on()).verdict,
            Verdict::Unknown
        );

        let conditions = [condition(Rule::FreeText, true), condition(young_only, true)];
        assert_eq!(
            evaluate(&conditions, &profile, on()).verdict,
            Verdict::NotEligible
        );
    }

    #[test]
    fn iae_detail_comes_from_the_first_iae_condition() {
        let profile = Profile {
            lives_in_qpv: Some(true),
            single_parent: Some(true),
            ..known_negative()
        };
        let conditions = [
            condition(Rule::DrivingLicence, true),
            condition(
                Rule::IaeCriteria {
                    level2_required: 2,
                    structure_id: None,
                },
                true,
            ),
            condition(
                Rule::IaeCriteria {
                    level2_required: 3,
                    structure_id: None,
                },
                true,
            ),
        ];
        let evaluation = evaluate(&conditions, &profile, on());
        let iae = evaluation.iae.unwrap();
        assert_eq!(iae.level2_required, 2);
        assert_eq!(iae.level2_met, [IaeCriterion::Pi, IaeCriterion::Qpv]);
        assert_eq!(evaluation.results[1].outcome, Outcome::Met);
        assert_eq!(evaluation.results[2].outcome, Outcome::NotMet);
        assert_eq!(evaluation.verdict, Verdict::NotEligible);
    }
}
