//! The Walloon CISP access rule: past compulsory schooling, registered with Le Forem,
//! and at most the upper-secondary certificate (CESS).

use chrono::NaiveDate;

use super::dates::age_on;
use super::outcome::{ConditionResult, Outcome};
use super::profile::{BelgianCertificate, Profile};
use super::reason::{Reason, certificate_label, years_fr};

/// Age from which compulsory schooling no longer applies.
const ADULT_AGE: u32 = 18;
/// Age from which a CISP may take someone in some cases.
const EXCEPTION_AGE: u32 = 16;

/// Checks the three parts of the rule; any part definitely false makes it `NotMet`,
/// any part missing or needing the centre's judgement makes it `Unknown`.
///
/// The exceptions DOMAIN.md mentions (e.g. 18 months of unemployment in the last 24
/// for someone with a higher degree) are left to the centre: the reason says so.
pub(crate) fn cisp(profile: &Profile, on: NaiveDate) -> ConditionResult {
    let parts = [age(profile, on), forem(profile), certificate(profile)];
    let outcome = Outcome::all(parts.iter().map(|(outcome, _)| *outcome));
    let reason = parts
        .into_iter()
        .map(|(_, reason)| reason)
        .reduce(Reason::then)
        .unwrap_or_else(|| Reason::new("", ""));
    ConditionResult::new(outcome, reason)
}

fn age(profile: &Profile, on: NaiveDate) -> (Outcome, Reason) {
    let Some(birth) = profile.birth_date else {
        return (
            Outcome::Unknown,
            Reason::new(
                "Indiquez votre date de naissance : un CISP accueille les personnes de 18 ans ou plus.",
                "Give your date of birth: a CISP takes in people aged 18 or over.",
            ),
        );
    };
    let years = age_on(birth, on);
    let aged = years_fr(years);
    if years >= ADULT_AGE {
        (
            Outcome::Met,
            Reason::new(
                format!("Vous avez {aged} : vous n'êtes plus soumis(e) à l'obligation scolaire."),
                format!("You are {years}; you are past compulsory schooling."),
            ),
        )
    } else if years >= EXCEPTION_AGE {
        (
            Outcome::Unknown,
            Reason::new(
                format!(
                    "Vous avez {aged} : l'accès à un CISP avant 18 ans est possible dans certains cas, à voir avec le centre."
                ),
                format!(
                    "You are {years}; joining a CISP before 18 is possible in some cases, to discuss with the centre."
                ),
            ),
        )
    } else {
        (
            Outcome::NotMet,
            Reason::new(
                format!(
                    "Vous avez {aged} ; un CISP accueille les personnes de 18 ans ou plus (16 ans dans certains cas)."
                ),
                format!(
                    "You are {years}; a CISP takes in people aged 18 or over (16 in some cases)."
                ),
            ),
        )
    }
}

fn forem(profile: &Profile) -> (Outcome, Reason) {
    let outcome = Outcome::from_answer(profile.registered_with_forem);
    let (fr, en) = match outcome {
        Outcome::Met => (
            "Vous êtes inscrit(e) comme demandeur d'emploi au Forem.",
            "You are registered as a job seeker with Le Forem.",
        ),
        Outcome::NotMet => (
            "Un CISP est réservé aux demandeurs d'emploi inscrits au Forem ; vous avez indiqué ne pas l'être.",
            "A CISP is for job seekers registered with Le Forem; you said you are not.",
        ),
        Outcome::Unknown => (
            "Indiquez si vous êtes inscrit(e) comme demandeur d'emploi au Forem.",
            "Tell us whether you are registered as a job seeker with Le Forem.",
        ),
    };
    (outcome, Reason::new(fr, en))
}

fn certificate(profile: &Profile) -> (Outcome, Reason) {
    let Some(certificate) = profile.highest_belgian_certificate else {
        return (
            Outcome::Unknown,
            Reason::new(
                "Indiquez votre diplôme le plus élevé : un CISP accueille les personnes qui ont au plus le CESS.",
                "Give your highest certificate: a CISP takes in people with at most the CESS.",
            ),
        );
    };
    let (label_fr, label_en) = certificate_label(certificate);
    if certificate <= BelgianCertificate::Cess {
        (
            Outcome::Met,
            Reason::new(
                format!("Votre diplôme le plus élevé ({label_fr}) ne dépasse pas le CESS."),
                format!("Your highest certificate ({label_en}) is not above the CESS."),
            ),
        )
    } else {
        (
            Outcome::NotMet,
            Reason::new(
                format!(
                    "Vous avez un {label_fr} ; un CISP est réservé aux personnes qui ont au plus le CESS, sauf exceptions (par exemple 18 mois de chômage sur les 24 derniers) à voir avec le centre."
                ),
                format!(
                    "You hold a {label_en}; a CISP is for people with at most the CESS, save exceptions (e.g. 18 months of unemployment in the last 24) to discuss with the centre."
                ),
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::test_support::{d, on};

    fn walloon(birth: NaiveDate) -> Profile {
        Profile {
            birth_date: Some(birth),
            registered_with_forem: Some(true),
            highest_belgian_certificate: Some(BelgianCertificate::Cess),
            ..Profile::default()
        }
    }

    #[test]
    fn adult_registered_with_at_most_cess_is_met() {
        let result = cisp(&walloon(d(2000, 1, 1)), on());
        assert_eq!(result.outcome, Outcome::Met);
        for certificate in [
            BelgianCertificate::None,
            BelgianCertificate::Ceb,
            BelgianCertificate::Ce1d,
            BelgianCertificate::Ce2d,
        ] {
            let profile = Profile {
                highest_belgian_certificate: Some(certificate),
                ..walloon(d(2000, 1, 1))
            };
            assert_eq!(
                cisp(&profile, on()).outcome,
                Outcome::Met,
                "{certificate:?}"
            );
        }
    }

    #[test]
    fn age_boundaries() {
        // on() is 15 June 2026: 18 on the birthday, 17 the day before, 16, 15.
        assert_eq!(cisp(&walloon(d(2008, 6, 15)), on()).outcome, Outcome::Met);
        let seventeen = cisp(&walloon(d(2008, 6, 16)), on());
        assert_eq!(seventeen.outcome, Outcome::Unknown);
        assert!(seventeen.reason.fr.contains("dans certains cas"));
        assert_eq!(
            cisp(&walloon(d(2010, 6, 15)), on()).outcome,
            Outcome::Unknown
        );
        assert_eq!(
            cisp(&walloon(d(2010, 6, 16)), on()).outcome,
            Outcome::NotMet
        );
    }

    #[test]
    fn any_definite_failure_is_not_met() {
        let not_registered = Profile {
            registered_with_forem: Some(false),
            birth_date: None,
            ..walloon(d(2000, 1, 1))
        };
        assert_eq!(cisp(&not_registered, on()).outcome, Outcome::NotMet);
        let graduate = Profile {
            highest_belgian_certificate: Some(BelgianCertificate::HigherEducation),
            registered_with_forem: None,
            ..walloon(d(2000, 1, 1))
        };
        let result = cisp(&graduate, on());
        assert_eq!(result.outcome, Outcome::NotMet);
        assert!(
            result.reason.fr.contains("sauf exceptions"),
            "{}",
            result.reason.fr
        );
    }

    #[test]
    fn missing_parts_are_unknown() {
        let result = cisp(&Profile::default(), on());
        assert_eq!(result.outcome, Outcome::Unknown);
        assert!(result.reason.fr.contains("date de naissance"));
        assert!(result.reason.fr.contains("Forem"));
        assert!(result.reason.fr.contains("diplôme"));
    }
}
