//! The Walloon CISP access rule, article 5 of the décret of 10 July 2013: an unoccupied
//! job seeker registered with Le Forem, past compulsory schooling, who falls in one of
//! three categories (at most the CE2D; 18 of the last 24 months unoccupied; AViQ or a
//! recognised incapacity of at least 30 %).

use chrono::{Datelike, NaiveDate};

use super::dates::{age_on, months_between};
use super::outcome::{ConditionResult, Outcome};
use super::profile::{BelgianCertificate, Profile};
use super::reason::{Reason, certificate_label, date_label, join_list};

/// Age at which compulsory schooling ends at the latest.
const SCHOOLING_END_AGE: u32 = 18;
/// Month and day on which compulsory schooling ends in the year the person turns 18.
const SCHOOLING_END_MONTH_DAY: (u32, u32) = (6, 30);
/// Months as an unoccupied job seeker, within the last [`WINDOW_MONTHS`], for category 2.
const UNOCCUPIED_MONTHS: u32 = 18;
/// The window category 2 counts in.
const WINDOW_MONTHS: u32 = 24;
/// Recognised incapacity, in percent, from which category 3 holds.
const INCAPACITY_PERCENT: u8 = 30;

/// Checks the rule: registered with Le Forem, past compulsory schooling, and one of the
/// three categories. Any part definitely false makes it `NotMet`; any part missing, or
/// left to the centre, makes it `Unknown`.
pub(crate) fn cisp(profile: &Profile, on: NaiveDate) -> ConditionResult {
    let parts = [
        forem(profile),
        schooling(profile, on),
        categories(profile, on),
    ];
    let outcome = Outcome::all(parts.iter().map(|(outcome, _)| *outcome));
    let reason = parts
        .into_iter()
        .map(|(_, reason)| reason)
        .reduce(Reason::then)
        .unwrap_or_else(|| Reason::new("", ""));
    ConditionResult::new(outcome, reason)
}

/// The day compulsory schooling ends: 30 June of the year the person turns 18, or their
/// 18th birthday if that comes first (born 29 February: 1 March in a common year, as
/// [`age_on`] counts it). `None` past chrono's range.
pub fn end_of_compulsory_schooling(birth: NaiveDate) -> Option<NaiveDate> {
    let year = birth.year().checked_add(SCHOOLING_END_AGE as i32)?;
    let (month, day) = SCHOOLING_END_MONTH_DAY;
    let june_30 = NaiveDate::from_ymd_opt(year, month, day)?;
    let birthday = NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))?;
    debug_assert!(age_on(birth, birthday) >= SCHOOLING_END_AGE);
    Some(june_30.min(birthday))
}

fn forem(profile: &Profile) -> (Outcome, Reason) {
    let outcome = Outcome::from_answer(profile.registered_with_forem);
    let (fr, en) = match outcome {
        Outcome::Met => (
            "Vous êtes inscrit(e) au Forem comme demandeur d'emploi inoccupé.",
            "You are registered with Le Forem as an unoccupied job seeker.",
        ),
        Outcome::NotMet => (
            "Un CISP est réservé aux demandeurs d'emploi inoccupés inscrits au Forem ; vous avez indiqué ne pas l'être.",
            "A CISP is for unoccupied job seekers registered with Le Forem; you said you are not one.",
        ),
        Outcome::Unknown => (
            "Indiquez si vous êtes inscrit(e) au Forem comme demandeur d'emploi inoccupé.",
            "Tell us whether you are registered with Le Forem as an unoccupied job seeker.",
        ),
    };
    (outcome, Reason::new(fr, en))
}

fn schooling(profile: &Profile, on: NaiveDate) -> (Outcome, Reason) {
    let Some(birth) = profile.birth_date else {
        return (
            Outcome::Unknown,
            Reason::new(
                "Indiquez votre date de naissance : l'obligation scolaire doit être terminée (elle prend fin le 30 juin de l'année de vos 18 ans, ou à vos 18 ans si c'est plus tôt).",
                "Give your date of birth: compulsory schooling must be over (it ends on 30 June of the year you turn 18, or on your 18th birthday if earlier).",
            ),
        );
    };
    let Some(end) = end_of_compulsory_schooling(birth) else {
        return (
            Outcome::NotMet,
            Reason::new(
                "Vous êtes encore soumis(e) à l'obligation scolaire.",
                "You are still subject to compulsory schooling.",
            ),
        );
    };
    let (end_fr, end_en) = date_label(end);
    if on >= end {
        (
            Outcome::Met,
            Reason::new(
                format!("Votre obligation scolaire a pris fin le {end_fr}."),
                format!("Your compulsory schooling ended on {end_en}."),
            ),
        )
    } else {
        (
            Outcome::NotMet,
            Reason::new(
                format!(
                    "Vous êtes soumis(e) à l'obligation scolaire jusqu'au {end_fr} : un CISP pourra vous accueillir à partir de ce jour."
                ),
                format!(
                    "You are subject to compulsory schooling until {end_en}: a CISP can take you in from that day."
                ),
            ),
        )
    }
}

/// The outcome of each of the three categories, in order.
struct Categories {
    at_most_ce2d: Outcome,
    unoccupied: Outcome,
    aviq: Outcome,
}

/// Months of the last 24 the person was an unoccupied job seeker, when known: the count
/// they give, or at least the months since their current registration with Le Forem.
fn unoccupied_months(profile: &Profile, on: NaiveDate) -> (Option<u32>, Option<u32>) {
    let told = profile.unoccupied_months_in_last_24.map(u32::from);
    let registered = match (profile.registered_with_forem, profile.job_seeker_since) {
        (Some(true), Some(since)) => Some(months_between(since, on).min(WINDOW_MONTHS)),
        _ => None,
    };
    (told, registered)
}

fn judge_categories(profile: &Profile, on: NaiveDate) -> Categories {
    let at_most_ce2d = profile
        .highest_belgian_certificate
        .map_or(Outcome::Unknown, |certificate| {
            Outcome::from_bool(certificate <= BelgianCertificate::Ce2d)
        });
    let unoccupied = match unoccupied_months(profile, on) {
        (told, registered) if told.max(registered) >= Some(UNOCCUPIED_MONTHS) => Outcome::Met,
        // Only the count says how many months earlier spells add up to.
        (Some(_), _) => Outcome::NotMet,
        (None, _) => Outcome::Unknown,
    };
    let aviq = match (profile.registered_with_aviq, profile.incapacity_percent) {
        (Some(true), _) => Outcome::Met,
        (_, Some(percent)) if percent >= INCAPACITY_PERCENT => Outcome::Met,
        (Some(false), Some(_)) => Outcome::NotMet,
        _ => Outcome::Unknown,
    };
    Categories {
        at_most_ce2d,
        unoccupied,
        aviq,
    }
}

fn categories(profile: &Profile, on: NaiveDate) -> (Outcome, Reason) {
    let judged = judge_categories(profile, on);
    let certificate = profile.highest_belgian_certificate;
    if judged.at_most_ce2d == Outcome::Met
        && let Some(certificate) = certificate
    {
        let (label_fr, label_en) = certificate_label(certificate);
        return (
            Outcome::Met,
            Reason::new(
                format!("Votre certificat le plus élevé ({label_fr}) ne dépasse pas le CE2D."),
                format!("Your highest certificate ({label_en}) is not above the CE2D."),
            ),
        );
    }
    if judged.unoccupied == Outcome::Met {
        let (told, registered) = unoccupied_months(profile, on);
        let months = told.max(registered).unwrap_or(UNOCCUPIED_MONTHS);
        return (
            Outcome::Met,
            Reason::new(
                format!(
                    "Vous avez été demandeur d'emploi inoccupé {months} des 24 derniers mois (il en faut 18), quel que soit votre diplôme."
                ),
                format!(
                    "You have been an unoccupied job seeker for {months} of the last 24 months (18 are needed), whatever your diploma."
                ),
            ),
        );
    }
    if judged.aviq == Outcome::Met {
        let reason = if profile.registered_with_aviq == Some(true) {
            Reason::new(
                "Vous êtes inscrit(e) à l'AViQ.",
                "You are registered with the AViQ.",
            )
        } else {
            let percent = profile.incapacity_percent.unwrap_or(INCAPACITY_PERCENT);
            Reason::new(
                format!("Votre incapacité reconnue ({percent} %) atteint 30 %."),
                format!("Your recognised incapacity ({percent} %) reaches 30 %."),
            )
        };
        return (Outcome::Met, reason);
    }

    let rule = Reason::new(
        "Un CISP accueille les personnes qui ont au plus le CE2D, ou qui ont été demandeurs d'emploi inoccupés au moins 18 des 24 derniers mois, ou qui sont inscrites à l'AViQ ou ont une incapacité reconnue d'au moins 30 %.",
        "A CISP takes in people who hold at most the CE2D, or who have been unoccupied job seekers for at least 18 of the last 24 months, or who are registered with the AViQ or have a recognised incapacity of at least 30 %.",
    );
    let mut missing_fr = Vec::new();
    let mut missing_en = Vec::new();
    if judged.at_most_ce2d == Outcome::Unknown {
        missing_fr.push("votre certificat le plus élevé");
        missing_en.push("your highest certificate");
    }
    if judged.unoccupied == Outcome::Unknown {
        missing_fr.push("combien des 24 derniers mois vous avez été demandeur d'emploi inoccupé");
        missing_en.push("how many of the last 24 months you were an unoccupied job seeker");
    }
    if judged.aviq == Outcome::Unknown {
        missing_fr.push("si vous êtes inscrit(e) à l'AViQ ou votre taux d'incapacité reconnue");
        missing_en
            .push("whether you are registered with the AViQ, or your recognised incapacity rate");
    }
    let cess_quota = Reason::new(
        "Les titulaires du CESS peuvent aussi entrer dans le quota de dérogation propre à chaque centre : à voir avec le centre.",
        "CESS holders may also be taken within each centre's own derogation quota: ask the centre.",
    );
    if !missing_fr.is_empty() {
        let mut reason = rule.then(Reason::new(
            format!("Indiquez {}.", join_list(&missing_fr, "et")),
            format!("Tell us {}.", join_list(&missing_en, "and")),
        ));
        if certificate == Some(BelgianCertificate::Cess) {
            reason = reason.then(cess_quota);
        }
        return (Outcome::Unknown, reason);
    }
    // Every category is known not to hold.
    let (label_fr, label_en) = certificate.map_or(("", ""), certificate_label);
    let yours = Reason::new(
        format!(
            "Vous avez un {label_fr}, n'avez pas été demandeur d'emploi inoccupé 18 des 24 derniers mois et n'êtes ni inscrit(e) à l'AViQ ni reconnu(e) incapable à 30 % ou plus."
        ),
        format!(
            "You hold a {label_en}, have not been an unoccupied job seeker for 18 of the last 24 months, and are neither registered with the AViQ nor recognised at 30 % incapacity or more."
        ),
    );
    if certificate == Some(BelgianCertificate::Cess) {
        // The derogation quota is the centre's to grant: a profile cannot decide it.
        (
            Outcome::Unknown,
            rule.then(yours).then(Reason::new(
                "Seul le quota de dérogation du centre pour les titulaires du CESS peut encore vous ouvrir l'accès : à voir avec le centre.",
                "Only the centre's derogation quota for CESS holders can still let you in: ask the centre.",
            )),
        )
    } else {
        (Outcome::NotMet, rule.then(yours))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::test_support::{assert_says, d, on};

    /// Registered with Le Forem, 26, with the CE2D: meets the rule by category 1 alone.
    fn walloon() -> Profile {
        Profile {
            birth_date: Some(d(2000, 1, 1)),
            registered_with_forem: Some(true),
            highest_belgian_certificate: Some(BelgianCertificate::Ce2d),
            ..Profile::default()
        }
    }

    /// Past schooling and registered, but in no category: CESS, 6 months, no AViQ.
    fn in_no_category(certificate: BelgianCertificate) -> Profile {
        Profile {
            highest_belgian_certificate: Some(certificate),
            unoccupied_months_in_last_24: Some(6),
            registered_with_aviq: Some(false),
            incapacity_percent: Some(0),
            ..walloon()
        }
    }

    fn outcome(profile: &Profile) -> Outcome {
        cisp(profile, on()).outcome
    }

    #[test]
    fn at_most_the_ce2d_is_category_1() {
        for certificate in [
            BelgianCertificate::None,
            BelgianCertificate::Ceb,
            BelgianCertificate::Ce1d,
            BelgianCertificate::Ce2d,
        ] {
            let profile = Profile {
                highest_belgian_certificate: Some(certificate),
                ..walloon()
            };
            assert_eq!(outcome(&profile), Outcome::Met, "{certificate:?}");
        }
        let result = cisp(&walloon(), on());
        assert_says(&result.reason.fr, "ne dépasse pas le CE2D");
    }

    #[test]
    fn a_cess_holder_no_longer_meets_the_rule_by_diploma() {
        let result = cisp(&in_no_category(BelgianCertificate::Cess), on());
        assert_eq!(
            result.outcome,
            Outcome::Unknown,
            "the derogation quota, never met"
        );
        assert_says(&result.reason.fr, "quota de dérogation");
        assert_says(&result.reason.en, "derogation quota");
        let graduate = cisp(&in_no_category(BelgianCertificate::HigherEducation), on());
        assert_eq!(graduate.outcome, Outcome::NotMet);
        assert!(
            !graduate.reason.fr.contains("quota"),
            "{}",
            graduate.reason.fr
        );
        // With the CESS and a category still unknown, the answer names the missing fact.
        let partly = Profile {
            unoccupied_months_in_last_24: None,
            ..in_no_category(BelgianCertificate::Cess)
        };
        let result = cisp(&partly, on());
        assert_eq!(result.outcome, Outcome::Unknown);
        assert_says(&result.reason.fr, "combien des 24 derniers mois");
    }

    #[test]
    fn eighteen_of_the_last_24_months_is_category_2_whatever_the_diploma() {
        for certificate in [
            BelgianCertificate::Cess,
            BelgianCertificate::HigherEducation,
        ] {
            let at = |months| Profile {
                unoccupied_months_in_last_24: Some(months),
                ..in_no_category(certificate)
            };
            assert_eq!(outcome(&at(18)), Outcome::Met, "{certificate:?}");
            assert_eq!(outcome(&at(24)), Outcome::Met, "{certificate:?}");
            assert_ne!(outcome(&at(17)), Outcome::Met, "{certificate:?}");
        }
    }

    #[test]
    fn a_forem_registration_18_months_old_is_category_2() {
        // on() is 15 June 2026.
        let since = |date| Profile {
            job_seeker_since: Some(date),
            unoccupied_months_in_last_24: None,
            ..in_no_category(BelgianCertificate::HigherEducation)
        };
        assert_eq!(outcome(&since(d(2024, 12, 15))), Outcome::Met, "18 months");
        let short = since(d(2024, 12, 16));
        assert_eq!(
            outcome(&short),
            Outcome::Unknown,
            "earlier spells may add up"
        );
        let not_forem = Profile {
            registered_with_forem: None,
            ..since(d(2020, 1, 1))
        };
        assert_eq!(
            judge_categories(&not_forem, on()).unoccupied,
            Outcome::Unknown,
            "a registration counts only with Le Forem"
        );
    }

    #[test]
    fn aviq_or_30_percent_is_category_3() {
        let with = |aviq, percent| Profile {
            registered_with_aviq: aviq,
            incapacity_percent: percent,
            ..in_no_category(BelgianCertificate::HigherEducation)
        };
        assert_eq!(outcome(&with(Some(true), None)), Outcome::Met);
        assert_eq!(outcome(&with(Some(false), Some(30))), Outcome::Met);
        assert_eq!(outcome(&with(None, Some(30))), Outcome::Met);
        assert_eq!(outcome(&with(Some(false), Some(29))), Outcome::NotMet);
        assert_eq!(outcome(&with(None, Some(29))), Outcome::Unknown);
        assert_eq!(outcome(&with(Some(false), None)), Outcome::Unknown);
    }

    #[test]
    fn compulsory_schooling_ends_on_30_june_or_the_18th_birthday_if_earlier() {
        for (birth, end, why) in [
            (
                d(2008, 3, 10),
                d(2026, 3, 10),
                "the 18th birthday comes first",
            ),
            (d(2008, 6, 30), d(2026, 6, 30), "both on the same day"),
            (d(2008, 7, 1), d(2026, 6, 30), "30 June, while still 17"),
            (d(2008, 12, 31), d(2026, 6, 30), "30 June, while still 17"),
            (
                d(2008, 2, 29),
                d(2026, 3, 1),
                "18 on 1 March in a common year",
            ),
        ] {
            assert_eq!(end_of_compulsory_schooling(birth), Some(end), "{why}");
        }
        assert_eq!(end_of_compulsory_schooling(NaiveDate::MAX), None);
    }

    #[test]
    fn the_day_schooling_ends_a_cisp_is_open() {
        let born = |birth| Profile {
            birth_date: Some(birth),
            ..walloon()
        };
        // Born 1 October 2008: 17 on 30 June 2026, yet past compulsory schooling.
        let autumn = born(d(2008, 10, 1));
        assert_eq!(cisp(&autumn, d(2026, 6, 29)).outcome, Outcome::NotMet);
        let result = cisp(&autumn, d(2026, 6, 30));
        assert_eq!(result.outcome, Outcome::Met);
        assert_says(&result.reason.fr, "a pris fin le 30 juin 2026");
        let waiting = cisp(&autumn, d(2026, 6, 29));
        assert_says(&waiting.reason.fr, "jusqu'au 30 juin 2026");
        assert!(!waiting.reason.fr.contains("certains cas"));
        // Born 10 March 2008: from the 18th birthday.
        let spring = born(d(2008, 3, 10));
        assert_eq!(cisp(&spring, d(2026, 3, 9)).outcome, Outcome::NotMet);
        assert_eq!(cisp(&spring, d(2026, 3, 10)).outcome, Outcome::Met);
    }

    #[test]
    fn any_definite_failure_is_not_met() {
        let not_registered = Profile {
            registered_with_forem: Some(false),
            birth_date: None,
            ..walloon()
        };
        assert_eq!(outcome(&not_registered), Outcome::NotMet);
        let quota_but_at_school = Profile {
            birth_date: Some(d(2009, 1, 1)),
            ..in_no_category(BelgianCertificate::Cess)
        };
        assert_eq!(outcome(&quota_but_at_school), Outcome::NotMet);
    }

    #[test]
    fn missing_parts_are_unknown_and_named() {
        let result = cisp(&Profile::default(), on());
        assert_eq!(result.outcome, Outcome::Unknown);
        for asked in [
            "date de naissance",
            "Forem",
            "certificat le plus élevé",
            "AViQ",
        ] {
            assert!(
                result.reason.fr.contains(asked),
                "{asked}: {}",
                result.reason.fr
            );
        }
        assert_says(&result.reason.en, "date of birth");
    }
}
