//! What stands before the IAE criteria: a PASS IAE still valid, an eligibility diagnosis
//! still valid, a referral by an authorised prescriber, and the waiting period after a
//! PASS IAE ends (DOMAIN.md, "Validity"; les-emplois as of 2026).

use chrono::{Days, NaiveDate};

use super::dates::{add_months, day_before};
use super::profile::{Diagnosis, DiagnosisAuthor, PassIae};

/// Months an authorised prescriber's eligibility diagnosis stays valid.
pub const PRESCRIBER_DIAGNOSIS_MONTHS: u32 = 6;
/// Days a structure's own eligibility diagnosis stays valid, for that structure only.
pub const STRUCTURE_DIAGNOSIS_DAYS: u64 = 92;
/// Months of the waiting period after a PASS IAE ends, during which a new one needs an
/// authorised prescriber (a referral, or a prescriber's diagnosis still valid).
pub const WAITING_PERIOD_MONTHS: u32 = 24;

/// What makes the IAE criteria check unnecessary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Waiver {
    /// A PASS IAE valid on the day of the check: no new diagnosis is needed.
    PassIae,
    /// An authorised prescriber's diagnosis less than 6 months old.
    PrescriberDiagnosis,
    /// A referral by an authorised prescriber.
    PrescriberReferral,
    /// The structure's own diagnosis, less than 92 days old (outside a waiting period).
    StructureDiagnosis,
}

/// Where the person's PASS IAE leaves them on the day of the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PassStanding {
    /// Valid until this day included.
    Valid(NaiveDate),
    /// Ended on `ended` (its last day of validity); waiting period until `until` included.
    Waiting { ended: NaiveDate, until: NaiveDate },
    /// No PASS IAE, or its waiting period is over.
    Clear,
    /// Not told (`held: false`), or held without its end date (`held: true`).
    Unknown { held: bool },
}

/// A PASS IAE is valid through its last day; the waiting period runs from the next day
/// until 2 years after that last day, included (les-emplois: `end_at < today <=
/// end_at + 2 years`).
pub(crate) fn pass_standing(pass: Option<PassIae>, on: NaiveDate) -> PassStanding {
    match pass {
        None => PassStanding::Unknown { held: false },
        Some(PassIae::None) => PassStanding::Clear,
        Some(PassIae::Held { valid_until: None }) => PassStanding::Unknown { held: true },
        Some(PassIae::Held {
            valid_until: Some(last),
        }) => {
            if on <= last {
                return PassStanding::Valid(last);
            }
            match add_months(last, WAITING_PERIOD_MONTHS) {
                Some(until) if on <= until => PassStanding::Waiting { ended: last, until },
                // Past chrono's range, the waiting period never ends.
                None => PassStanding::Waiting {
                    ended: last,
                    until: NaiveDate::MAX,
                },
                Some(_) => PassStanding::Clear,
            }
        }
    }
}

/// The last day `diagnosis` is valid: 6 months for a prescriber's (made 15 January,
/// valid through 14 July), 92 days for a structure's (the day it is made is the first).
/// `None` when it would outlive chrono's range.
pub fn diagnosis_valid_until(diagnosis: &Diagnosis) -> Option<NaiveDate> {
    let expires = match diagnosis.author {
        DiagnosisAuthor::AuthorisedPrescriber => {
            add_months(diagnosis.made_on, PRESCRIBER_DIAGNOSIS_MONTHS)
        }
        DiagnosisAuthor::Structure(_) => diagnosis
            .made_on
            .checked_add_days(Days::new(STRUCTURE_DIAGNOSIS_DAYS)),
    };
    expires.and_then(day_before)
}

/// Whether `diagnosis` is valid on `on`: made on or before that day, not yet expired.
fn valid_on(diagnosis: &Diagnosis, on: NaiveDate) -> Option<NaiveDate> {
    if diagnosis.made_on > on {
        return None;
    }
    let until = diagnosis_valid_until(diagnosis).unwrap_or(NaiveDate::MAX);
    (on <= until).then_some(until)
}

/// The diagnoses that count for one structure on the day of the check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ValidDiagnoses {
    /// Last day of the longest-lived valid prescriber's diagnosis.
    pub prescriber: Option<NaiveDate>,
    /// Last day of the longest-lived valid diagnosis by this very structure.
    pub own_structure: Option<NaiveDate>,
    /// A valid diagnosis by another structure exists (it does not count here).
    pub other_structure: bool,
}

/// Sorts the valid diagnoses by who made them; `structure_id` is the offer's organisation.
pub(crate) fn valid_diagnoses(
    diagnoses: &[Diagnosis],
    structure_id: Option<i32>,
    on: NaiveDate,
) -> ValidDiagnoses {
    let mut valid = ValidDiagnoses::default();
    for diagnosis in diagnoses {
        let Some(until) = valid_on(diagnosis, on) else {
            continue;
        };
        match diagnosis.author {
            DiagnosisAuthor::AuthorisedPrescriber => {
                valid.prescriber = valid.prescriber.max(Some(until));
            }
            DiagnosisAuthor::Structure(id) if Some(id) == structure_id => {
                valid.own_structure = valid.own_structure.max(Some(until));
            }
            DiagnosisAuthor::Structure(_) => valid.other_structure = true,
        }
    }
    valid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::test_support::d;

    fn held(last: NaiveDate) -> Option<PassIae> {
        Some(PassIae::Held {
            valid_until: Some(last),
        })
    }

    #[test]
    fn a_pass_is_valid_through_its_last_day_then_waits_two_years() {
        let last = d(2025, 3, 31);
        assert_eq!(
            pass_standing(held(last), d(2025, 3, 31)),
            PassStanding::Valid(last)
        );
        let waiting = PassStanding::Waiting {
            ended: last,
            until: d(2027, 3, 31),
        };
        assert_eq!(pass_standing(held(last), d(2025, 4, 1)), waiting);
        assert_eq!(pass_standing(held(last), d(2027, 3, 31)), waiting);
        assert_eq!(
            pass_standing(held(last), d(2027, 4, 1)),
            PassStanding::Clear
        );
    }

    #[test]
    fn a_pass_ending_on_a_leap_day_waits_until_the_28th_of_february() {
        let last = d(2024, 2, 29);
        assert_eq!(
            pass_standing(held(last), d(2026, 2, 28)),
            PassStanding::Waiting {
                ended: last,
                until: d(2026, 2, 28)
            }
        );
        assert_eq!(
            pass_standing(held(last), d(2026, 3, 1)),
            PassStanding::Clear
        );
    }

    #[test]
    fn what_is_not_told_stays_unknown() {
        let on = d(2026, 6, 15);
        assert_eq!(
            pass_standing(None, on),
            PassStanding::Unknown { held: false }
        );
        assert_eq!(
            pass_standing(Some(PassIae::Held { valid_until: None }), on),
            PassStanding::Unknown { held: true }
        );
        assert_eq!(pass_standing(Some(PassIae::None), on), PassStanding::Clear);
    }

    #[test]
    fn diagnoses_last_six_months_or_ninety_two_days() {
        let prescriber = Diagnosis {
            author: DiagnosisAuthor::AuthorisedPrescriber,
            made_on: d(2026, 1, 15),
        };
        assert_eq!(diagnosis_valid_until(&prescriber), Some(d(2026, 7, 14)));
        let structure = Diagnosis {
            author: DiagnosisAuthor::Structure(7),
            made_on: d(2026, 1, 1),
        };
        // 1 January is day 1, so day 92 is 2 April.
        assert_eq!(diagnosis_valid_until(&structure), Some(d(2026, 4, 2)));
        let end_of_august = Diagnosis {
            author: DiagnosisAuthor::AuthorisedPrescriber,
            made_on: d(2025, 8, 31),
        };
        assert_eq!(diagnosis_valid_until(&end_of_august), Some(d(2026, 2, 27)));
    }

    #[test]
    fn a_structure_diagnosis_counts_only_for_that_structure() {
        let diagnoses = [
            Diagnosis {
                author: DiagnosisAuthor::Structure(7),
                made_on: d(2026, 5, 1),
            },
            Diagnosis {
                author: DiagnosisAuthor::Structure(8),
                made_on: d(2026, 5, 1),
            },
        ];
        let on = d(2026, 6, 15);
        let for_7 = valid_diagnoses(&diagnoses, Some(7), on);
        assert_eq!(for_7.own_structure, Some(d(2026, 7, 31)));
        assert!(for_7.other_structure);
        assert_eq!(for_7.prescriber, None);
        let for_9 = valid_diagnoses(&diagnoses, Some(9), on);
        assert_eq!(for_9.own_structure, None);
        assert!(for_9.other_structure);
        assert_eq!(valid_diagnoses(&diagnoses, None, on).own_structure, None);
    }

    #[test]
    fn expired_and_future_diagnoses_do_not_count() {
        let made = |made_on| Diagnosis {
            author: DiagnosisAuthor::AuthorisedPrescriber,
            made_on,
        };
        let on = d(2026, 6, 15);
        let valid = |diagnosis| valid_diagnoses(&[diagnosis], None, on).prescriber;
        assert_eq!(valid(made(d(2025, 12, 16))), Some(d(2026, 6, 15)));
        assert_eq!(valid(made(d(2025, 12, 15))), None, "6 months old: expired");
        assert_eq!(valid(made(d(2026, 6, 16))), None, "made after the check");
        assert_eq!(valid(made(on)), Some(d(2026, 12, 14)));
    }
}
