//! The residence rule: lives in a QPV, a ZRR, one of some communes or départements.

use entity::enums::Country;

use super::condition::{Zone, departement_of};
use super::outcome::{ConditionResult, Outcome};
use super::profile::Profile;
use super::reason::{Reason, join_list};
use super::rules::{Texts, yes_no};

/// Lives in `zone`. Commune and département codes compare without surrounding spaces
/// and case-insensitively ("2a" is "2A"), since offers are typed in by hand.
pub(crate) fn residence_zone(zone: &Zone, profile: &Profile) -> ConditionResult {
    match zone {
        Zone::Qpv => yes_no(
            profile.lives_in_qpv,
            Texts {
                met: (
                    "Vous habitez dans un quartier prioritaire de la ville (QPV).",
                    "You live in a priority neighbourhood (QPV).",
                ),
                not_met: (
                    "Vous n'habitez pas dans un quartier prioritaire de la ville (QPV) ; cette offre est réservée à leurs habitants.",
                    "You do not live in a priority neighbourhood (QPV); this offer is for their residents.",
                ),
                unknown: (
                    "Indiquez si vous habitez dans un quartier prioritaire de la ville (QPV).",
                    "Tell us whether you live in a priority neighbourhood (QPV).",
                ),
            },
        ),
        Zone::Zrr => yes_no(
            profile.lives_in_zrr,
            Texts {
                met: (
                    "Vous habitez dans une zone de revitalisation rurale (ZRR/FRR).",
                    "You live in a rural revitalisation area (ZRR/FRR).",
                ),
                not_met: (
                    "Vous n'habitez pas dans une zone de revitalisation rurale (ZRR/FRR) ; cette offre est réservée à leurs habitants.",
                    "You do not live in a rural revitalisation area (ZRR/FRR); this offer is for their residents.",
                ),
                unknown: (
                    "Indiquez si vous habitez dans une zone de revitalisation rurale (ZRR/FRR).",
                    "Tell us whether you live in a rural revitalisation area (ZRR/FRR).",
                ),
            },
        ),
        Zone::Communes(communes) => {
            let Some(code) = commune_code(profile) else {
                return ask_commune();
            };
            if communes.iter().any(|c| normalise(c) == code) {
                ConditionResult::new(
                    Outcome::Met,
                    Reason::new(
                        format!(
                            "Votre commune ({code}) fait partie de celles que couvre cette offre."
                        ),
                        format!("Your commune ({code}) is one of those this offer covers."),
                    ),
                )
            } else {
                ConditionResult::new(
                    Outcome::NotMet,
                    Reason::new(
                        format!(
                            "Votre commune ({code}) ne fait pas partie de celles que couvre cette offre."
                        ),
                        format!("Your commune ({code}) is not one of those this offer covers."),
                    ),
                )
            }
        }
        Zone::Departements(departements) => {
            let listed: Vec<String> = departements.iter().map(|d| normalise(d)).collect();
            let list = join_list(&listed, "ou");
            let list_en = join_list(&listed, "or");
            // A Belgian NIS code would be misread as a French département ("62063" is
            // Liège, not Pas-de-Calais).
            if profile.country == Some(Country::Be) {
                return ConditionResult::new(
                    Outcome::NotMet,
                    Reason::new(
                        format!(
                            "Vous habitez en Belgique ; cette offre est réservée aux habitants des départements français {list}."
                        ),
                        format!(
                            "You live in Belgium; this offer is for residents of the French départements {list_en}."
                        ),
                    ),
                );
            }
            let Some(code) = commune_code(profile) else {
                return ask_commune();
            };
            let Some(departement) = departement_of(&code) else {
                return ask_commune();
            };
            if listed.iter().any(|d| d == departement) {
                ConditionResult::new(
                    Outcome::Met,
                    Reason::new(
                        format!(
                            "Vous habitez dans le département {departement}, que couvre cette offre."
                        ),
                        format!("You live in département {departement}, which this offer covers."),
                    ),
                )
            } else {
                ConditionResult::new(
                    Outcome::NotMet,
                    Reason::new(
                        format!(
                            "Vous habitez dans le département {departement} ; cette offre est réservée aux habitants des départements {list}."
                        ),
                        format!(
                            "You live in département {departement}; this offer is for residents of départements {list_en}."
                        ),
                    ),
                )
            }
        }
    }
}

fn normalise(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

fn commune_code(profile: &Profile) -> Option<String> {
    profile.residence_commune_code.as_deref().map(normalise)
}

fn ask_commune() -> ConditionResult {
    ConditionResult::new(
        Outcome::Unknown,
        Reason::new(
            "Indiquez votre commune de résidence pour vérifier cette condition.",
            "Give your commune of residence to check this condition.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residence_zones() {
        let lives = |code: &str, country| Profile {
            residence_commune_code: Some(code.into()),
            country,
            ..Profile::default()
        };
        let communes = Zone::Communes(vec!["75056".into(), " 2a004 ".into()]);
        assert_eq!(
            residence_zone(&communes, &lives("75056", None)).outcome,
            Outcome::Met
        );
        assert_eq!(
            residence_zone(&communes, &lives("2A004", None)).outcome,
            Outcome::Met
        );
        assert_eq!(
            residence_zone(&communes, &lives("69123", None)).outcome,
            Outcome::NotMet
        );
        assert_eq!(
            residence_zone(&communes, &Profile::default()).outcome,
            Outcome::Unknown
        );

        let departements = Zone::Departements(vec!["93".into(), "974".into(), "2B".into()]);
        for code in ["93066", "97411", "2B033"] {
            assert_eq!(
                residence_zone(&departements, &lives(code, None)).outcome,
                Outcome::Met,
                "{code}"
            );
        }
        // "97" is no département: overseas ones have three digits (97411 is in 974).
        let overseas = Zone::Departements(vec!["97".into()]);
        assert_eq!(
            residence_zone(&overseas, &lives("97411", None)).outcome,
            Outcome::NotMet
        );
        assert_eq!(
            residence_zone(&departements, &lives("75056", None)).outcome,
            Outcome::NotMet
        );
        assert_eq!(
            residence_zone(&departements, &lives("93066", Some(Country::Be))).outcome,
            Outcome::NotMet
        );
        assert_eq!(
            residence_zone(&departements, &Profile::default()).outcome,
            Outcome::Unknown
        );

        let qpv = |answer| Profile {
            lives_in_qpv: answer,
            ..Profile::default()
        };
        assert_eq!(
            residence_zone(&Zone::Qpv, &qpv(Some(true))).outcome,
            Outcome::Met
        );
        assert_eq!(
            residence_zone(&Zone::Qpv, &qpv(Some(false))).outcome,
            Outcome::NotMet
        );
        assert_eq!(
            residence_zone(&Zone::Qpv, &qpv(None)).outcome,
            Outcome::Unknown
        );
        assert_eq!(
            residence_zone(&Zone::Zrr, &qpv(Some(true))).outcome,
            Outcome::Unknown
        );
    }
}
