//! The single-fact rules: age, job-seeker registration, diploma, yes/no facts, French
//! level and free text. Each returns its outcome with its reason.

use super::condition::Cefr;
use super::dates::{age_on, months_between};
use super::outcome::{ConditionResult, Outcome};
use super::profile::Profile;
use super::reason::{Reason, national_level_label, study_level_label, years_fr};
use chrono::NaiveDate;

/// Age in whole years on `on`, both bounds inclusive.
pub(crate) fn age(
    min: Option<u8>,
    max: Option<u8>,
    profile: &Profile,
    on: NaiveDate,
) -> ConditionResult {
    let min = min.map(u32::from);
    let max = max.map(u32::from);
    // Who the offer is for, to end "réservée …" / "for …".
    let (audience_fr, audience_en) = match (min, max) {
        (None, None) => {
            return ConditionResult::new(
                Outcome::Met,
                Reason::new(
                    "Cette offre n'a pas de condition d'âge.",
                    "This offer has no age condition.",
                ),
            );
        }
        (Some(min), None) => (
            format!("aux personnes de {} ou plus", years_fr(min)),
            format!("people aged {min} or over"),
        ),
        (None, Some(max)) => (
            format!("aux moins de {}", years_fr(max + 1)),
            format!("people under {}", max + 1),
        ),
        (Some(min), Some(max)) => (
            format!("aux personnes de {min} à {}", years_fr(max)),
            format!("people aged {min} to {max}"),
        ),
    };
    let Some(birth) = profile.birth_date else {
        return ConditionResult::new(
            Outcome::Unknown,
            Reason::new(
                "Indiquez votre date de naissance pour vérifier la condition d'âge.",
                "Give your date of birth to check the age condition.",
            ),
        );
    };
    let years = age_on(birth, on);
    let holds = min.is_none_or(|min| years >= min) && max.is_none_or(|max| years <= max);
    let reason = if holds {
        Reason::new(
            format!(
                "Vous avez {} : cette offre est ouverte {audience_fr}.",
                years_fr(years)
            ),
            format!("You are {years}; this offer is open to {audience_en}."),
        )
    } else {
        Reason::new(
            format!(
                "Vous avez {} ; cette offre est réservée {audience_fr}.",
                years_fr(years)
            ),
            format!("You are {years}; this offer is for {audience_en}."),
        )
    };
    ConditionResult::new(Outcome::from_bool(holds), reason)
}

/// A registered job seeker, for at least `min_months` when given. A registration date
/// implies registration; "not registered" wins over a contradictory date (which
/// validation rejects anyway).
pub(crate) fn job_seeker(
    min_months: Option<u32>,
    profile: &Profile,
    on: NaiveDate,
) -> ConditionResult {
    let min_months = min_months.filter(|&months| months > 0);
    if profile.registered_job_seeker == Some(false) {
        return ConditionResult::new(
            Outcome::NotMet,
            Reason::new(
                "Vous n'êtes pas inscrit(e) comme demandeur d'emploi ; cette offre est réservée aux demandeurs d'emploi inscrits.",
                "You are not a registered job seeker; this offer is for registered job seekers.",
            ),
        );
    }
    match (profile.job_seeker_since, min_months) {
        (Some(since), Some(min)) => {
            let months = months_between(since, on);
            if months >= min {
                ConditionResult::new(
                    Outcome::Met,
                    Reason::new(
                        format!(
                            "Vous êtes inscrit(e) comme demandeur d'emploi depuis {months} mois : cette offre en demande au moins {min}."
                        ),
                        format!(
                            "You have been a registered job seeker for {months} months; this offer requires at least {min}."
                        ),
                    ),
                )
            } else {
                ConditionResult::new(
                    Outcome::NotMet,
                    Reason::new(
                        format!(
                            "Vous êtes inscrit(e) comme demandeur d'emploi depuis {months} mois ; cette offre demande au moins {min} mois d'inscription."
                        ),
                        format!(
                            "You have been a registered job seeker for {months} months; this offer requires at least {min} months of registration."
                        ),
                    ),
                )
            }
        }
        (None, Some(min)) if profile.registered_job_seeker == Some(true) => ConditionResult::new(
            Outcome::Unknown,
            Reason::new(
                format!(
                    "Indiquez depuis quand vous êtes inscrit(e) comme demandeur d'emploi : cette offre demande au moins {min} mois d'inscription."
                ),
                format!(
                    "Tell us since when you have been a registered job seeker: this offer requires at least {min} months of registration."
                ),
            ),
        ),
        (Some(_), None) => registered(),
        (None, None) if profile.registered_job_seeker == Some(true) => registered(),
        (None, _) => ConditionResult::new(
            Outcome::Unknown,
            Reason::new(
                "Indiquez si vous êtes inscrit(e) comme demandeur d'emploi, et depuis quand, pour vérifier cette condition.",
                "Tell us whether, and since when, you have been a registered job seeker to check this condition.",
            ),
        ),
    }
}

fn registered() -> ConditionResult {
    ConditionResult::new(
        Outcome::Met,
        Reason::new(
            "Vous êtes inscrit(e) comme demandeur d'emploi.",
            "You are a registered job seeker.",
        ),
    )
}

/// Level of study at most national level `max`. The offer states a diploma level; the
/// person's level of study reached (with or without the diploma) is what is compared,
/// as France Travail and les-emplois count it.
pub(crate) fn max_diploma_level(max: u8, profile: &Profile) -> ConditionResult {
    let (max_fr, max_en) = national_level_label(max);
    let Some(level) = profile.study_level else {
        return ConditionResult::new(
            Outcome::Unknown,
            Reason::new(
                format!(
                    "Indiquez le niveau d'études que vous avez atteint : cette offre est réservée aux niveaux {max_fr} ou moins."
                ),
                format!(
                    "Give the level of study you reached: this offer is for level {max_en} or below."
                ),
            ),
        );
    };
    let (level_fr, level_en) = study_level_label(level);
    let outcome = level.at_most(max);
    let reason = match outcome {
        Outcome::Met => Reason::new(
            format!(
                "Votre niveau d'études est {level_fr} : cette offre est ouverte jusqu'au niveau {max_fr}."
            ),
            format!("Your level of study is {level_en}; this offer is open up to level {max_en}."),
        ),
        Outcome::NotMet => Reason::new(
            format!(
                "Votre niveau d'études est {level_fr} ; cette offre est réservée aux niveaux {max_fr} ou moins."
            ),
            format!(
                "Your level of study is {level_en}; this offer is for level {max_en} or below."
            ),
        ),
        Outcome::Unknown => Reason::new(
            format!(
                "Votre niveau d'études ({level_fr}) sera comparé avec la structure au niveau {max_fr} que demande cette offre."
            ),
            format!(
                "Your level of study ({level_en}) will be compared with the structure to the level {max_en} this offer requires."
            ),
        ),
    };
    ConditionResult::new(outcome, reason)
}

/// Holds a recognised-disabled-worker status.
pub(crate) fn recognised_disability(profile: &Profile) -> ConditionResult {
    yes_no(
        profile.recognised_disability,
        Texts {
            met: (
                "Vous avez une reconnaissance de travailleur handicapé (RQTH).",
                "You are a recognised disabled worker (RQTH).",
            ),
            not_met: (
                "Cette offre est réservée aux personnes ayant une reconnaissance de travailleur handicapé (RQTH) ; vous avez indiqué ne pas en avoir.",
                "This offer is for recognised disabled workers (RQTH); you said you are not one.",
            ),
            unknown: (
                "Indiquez si vous avez une reconnaissance de travailleur handicapé (RQTH).",
                "Tell us whether you are a recognised disabled worker (RQTH).",
            ),
        },
    )
}

/// Referred by an authorised prescriber.
pub(crate) fn prescription(profile: &Profile) -> ConditionResult {
    yes_no(
        profile.prescribed_by_authorised_prescriber,
        Texts {
            met: (
                "Vous êtes orienté(e) par un prescripteur habilité.",
                "You are referred by an authorised prescriber.",
            ),
            not_met: (
                "Cette offre demande une orientation par un prescripteur habilité (France Travail, Mission locale, Cap emploi…) ; vous avez indiqué ne pas en avoir.",
                "This offer requires a referral by an authorised prescriber (France Travail, Mission locale, Cap emploi…); you said you have none.",
            ),
            unknown: (
                "Indiquez si un prescripteur habilité (France Travail, Mission locale, Cap emploi…) vous oriente vers cette offre.",
                "Tell us whether an authorised prescriber (France Travail, Mission locale, Cap emploi…) refers you to this offer.",
            ),
        },
    )
}

/// Holds a driving licence.
pub(crate) fn driving_licence(profile: &Profile) -> ConditionResult {
    yes_no(
        profile.driving_licence,
        Texts {
            met: (
                "Vous avez le permis de conduire.",
                "You hold a driving licence.",
            ),
            not_met: (
                "Cette offre demande le permis de conduire ; vous avez indiqué ne pas l'avoir.",
                "This offer requires a driving licence; you said you do not hold one.",
            ),
            unknown: (
                "Indiquez si vous avez le permis de conduire.",
                "Tell us whether you hold a driving licence.",
            ),
        },
    )
}

/// French at `level` or above. The profile only tells whether the person is below A1,
/// so above A1 the engine cannot decide and leaves it to the structure.
pub(crate) fn language_level(level: Cefr, profile: &Profile) -> ConditionResult {
    let code = level.code();
    match profile.french_below_a1 {
        Some(true) => ConditionResult::new(
            Outcome::NotMet,
            Reason::new(
                format!(
                    "Cette offre demande un niveau de français {code} ; vous avez indiqué un niveau inférieur à A1."
                ),
                format!(
                    "This offer requires French at level {code}; you said your French is below A1."
                ),
            ),
        ),
        Some(false) if level == Cefr::A1 => ConditionResult::new(
            Outcome::Met,
            Reason::new(
                "Votre niveau de français atteint A1, le niveau demandé.",
                "Your French reaches A1, the level required.",
            ),
        ),
        Some(false) => ConditionResult::new(
            Outcome::Unknown,
            Reason::new(
                format!(
                    "Cette offre demande un niveau de français {code} ; votre niveau (A1 ou plus) sera vérifié avec la structure."
                ),
                format!(
                    "This offer requires French at level {code}; your level (A1 or above) will be checked with the structure."
                ),
            ),
        ),
        None => ConditionResult::new(
            Outcome::Unknown,
            Reason::new(
                format!(
                    "Indiquez votre niveau de français : cette offre demande le niveau {code}."
                ),
                format!("Tell us your level of French: this offer requires level {code}."),
            ),
        ),
    }
}

/// A condition written in words: only the structure can check it.
pub(crate) fn free_text(description: &str) -> ConditionResult {
    let description = description.trim();
    let reason = if description.is_empty() {
        Reason::new(
            "Cette condition sera vérifiée avec la structure.",
            "This condition will be checked with the structure.",
        )
    } else {
        Reason::new(
            format!("À vérifier avec la structure : {description}"),
            format!("To be checked with the structure: {description}"),
        )
    };
    ConditionResult::new(Outcome::Unknown, reason)
}

/// French and English texts for each answer to a yes/no fact.
pub(crate) struct Texts {
    pub(crate) met: (&'static str, &'static str),
    pub(crate) not_met: (&'static str, &'static str),
    pub(crate) unknown: (&'static str, &'static str),
}

pub(crate) fn yes_no(answer: Option<bool>, texts: Texts) -> ConditionResult {
    let outcome = Outcome::from_answer(answer);
    let (fr, en) = match outcome {
        Outcome::Met => texts.met,
        Outcome::NotMet => texts.not_met,
        Outcome::Unknown => texts.unknown,
    };
    ConditionResult::new(outcome, Reason::new(fr, en))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::profile::StudyLevel;
    use crate::eligibility::test_support::{assert_says, d, on};

    fn born(birth: NaiveDate) -> Profile {
        Profile {
            birth_date: Some(birth),
            ..Profile::default()
        }
    }

    #[test]
    fn age_bounds_are_inclusive_and_explained() {
        // 27 on 15 June 2026.
        let result = age(None, Some(25), &born(d(1999, 1, 1)), on());
        assert_eq!(result.outcome, Outcome::NotMet);
        assert_eq!(
            result.reason.fr,
            "Vous avez 27 ans ; cette offre est réservée aux moins de 26 ans."
        );
        assert_eq!(
            result.reason.en,
            "You are 27; this offer is for people under 26."
        );
        // 25 the day before the 26th birthday, 26 on it.
        assert_eq!(
            age(None, Some(25), &born(d(2000, 6, 16)), on()).outcome,
            Outcome::Met
        );
        assert_eq!(
            age(None, Some(25), &born(d(2000, 6, 15)), on()).outcome,
            Outcome::NotMet
        );
        assert_eq!(
            age(Some(18), None, &born(d(2008, 6, 15)), on()).outcome,
            Outcome::Met
        );
        assert_eq!(
            age(Some(18), None, &born(d(2008, 6, 16)), on()).outcome,
            Outcome::NotMet
        );
        assert_eq!(
            age(Some(18), Some(30), &born(d(1996, 1, 1)), on()).outcome,
            Outcome::Met
        );
        assert_eq!(
            age(None, None, &Profile::default(), on()).outcome,
            Outcome::Met
        );
        let unknown = age(Some(18), None, &Profile::default(), on());
        assert_eq!(unknown.outcome, Outcome::Unknown);
        assert_eq!(
            unknown.reason.fr,
            "Indiquez votre date de naissance pour vérifier la condition d'âge."
        );
    }

    #[test]
    fn job_seeker_registration_and_length() {
        let since = |date| Profile {
            job_seeker_since: Some(date),
            ..Profile::default()
        };
        assert_eq!(
            job_seeker(None, &since(d(2026, 1, 1)), on()).outcome,
            Outcome::Met
        );
        assert_eq!(
            job_seeker(Some(12), &since(d(2025, 6, 15)), on()).outcome,
            Outcome::Met
        );
        let short = job_seeker(Some(12), &since(d(2025, 6, 16)), on());
        assert_eq!(short.outcome, Outcome::NotMet);
        assert_says(&short.reason.fr, "depuis 11 mois");

        let registered = Profile {
            registered_job_seeker: Some(true),
            ..Profile::default()
        };
        assert_eq!(job_seeker(None, &registered, on()).outcome, Outcome::Met);
        assert_eq!(job_seeker(Some(0), &registered, on()).outcome, Outcome::Met);
        assert_eq!(
            job_seeker(Some(6), &registered, on()).outcome,
            Outcome::Unknown
        );

        let not_registered = Profile {
            registered_job_seeker: Some(false),
            ..Profile::default()
        };
        assert_eq!(
            job_seeker(None, &not_registered, on()).outcome,
            Outcome::NotMet
        );
        assert_eq!(
            job_seeker(Some(6), &Profile::default(), on()).outcome,
            Outcome::Unknown
        );
        assert_eq!(
            job_seeker(None, &Profile::default(), on()).outcome,
            Outcome::Unknown
        );
    }

    #[test]
    fn study_level_at_most() {
        let level = |lowest, highest| Profile {
            study_level: StudyLevel::between(lowest, highest),
            ..Profile::default()
        };
        assert_eq!(max_diploma_level(3, &level(3, 3)).outcome, Outcome::Met);
        let over = max_diploma_level(3, &level(4, 4));
        assert_eq!(over.outcome, Outcome::NotMet);
        assert_eq!(
            over.reason.fr,
            "Votre niveau d'études est 4 (baccalauréat) ; cette offre est réservée aux niveaux 3 (CAP, BEP) ou moins."
        );
        // Below CAP/BEP (1 or 2) is within level 2, but not surely within level 1.
        assert_eq!(max_diploma_level(2, &level(1, 2)).outcome, Outcome::Met);
        assert_eq!(max_diploma_level(1, &level(1, 2)).outcome, Outcome::Unknown);
        assert_eq!(max_diploma_level(6, &level(7, 8)).outcome, Outcome::NotMet);
        assert_eq!(
            max_diploma_level(3, &Profile::default()).outcome,
            Outcome::Unknown
        );
    }

    #[test]
    fn yes_no_facts() {
        let profile = Profile {
            recognised_disability: Some(true),
            prescribed_by_authorised_prescriber: Some(false),
            ..Profile::default()
        };
        assert_eq!(recognised_disability(&profile).outcome, Outcome::Met);
        assert_eq!(prescription(&profile).outcome, Outcome::NotMet);
        assert_eq!(driving_licence(&profile).outcome, Outcome::Unknown);
    }

    #[test]
    fn french_level() {
        let below = |answer| Profile {
            french_below_a1: answer,
            ..Profile::default()
        };
        for level in [Cefr::A1, Cefr::B2] {
            assert_eq!(
                language_level(level, &below(Some(true))).outcome,
                Outcome::NotMet
            );
            assert_eq!(
                language_level(level, &below(None)).outcome,
                Outcome::Unknown
            );
        }
        assert_eq!(
            language_level(Cefr::A1, &below(Some(false))).outcome,
            Outcome::Met
        );
        assert_eq!(
            language_level(Cefr::A2, &below(Some(false))).outcome,
            Outcome::Unknown
        );
    }

    #[test]
    fn free_text_is_always_unknown() {
        let result = free_text(" Avoir un projet dans le bâtiment ");
        assert_eq!(result.outcome, Outcome::Unknown);
        assert_eq!(
            result.reason.fr,
            "À vérifier avec la structure : Avoir un projet dans le bâtiment"
        );
        assert_eq!(free_text("").outcome, Outcome::Unknown);
    }
}
