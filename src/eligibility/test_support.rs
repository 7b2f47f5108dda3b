//! Profiles and dates shared by the tests of the eligibility modules.

use chrono::{Months, NaiveDate};
use entity::enums::{Country, IaeCriterion};

use super::profile::{Benefit, PassIae, Profile, StudyLevel};

/// A calendar date; panics on an impossible one, which only a test can write.
pub fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// Fails unless `text` contains `part`, showing the whole text.
#[track_caller]
pub fn assert_says(text: &str, part: &str) {
    assert!(text.contains(part), "{part:?} is not in {text:?}");
}

/// The date every test checks on: 15 June 2026.
pub fn on() -> NaiveDate {
    d(2026, 6, 15)
}

fn months_before(months: u32) -> NaiveDate {
    on().checked_sub_months(Months::new(months)).unwrap()
}

/// A French profile that answers everything and meets no IAE criterion: 35 years old,
/// registered for 6 months, no benefit, study level 5, every flag false, no prescriber,
/// no PASS IAE and no diagnosis.
pub fn known_negative() -> Profile {
    Profile {
        birth_date: Some(months_before(35 * 12)),
        job_seeker_since: Some(months_before(6)),
        registered_job_seeker: Some(true),
        benefits: Some(vec![]),
        study_level: StudyLevel::exactly(5),
        residence_commune_code: Some("75056".into()),
        lives_in_qpv: Some(false),
        lives_in_zrr: Some(false),
        recognised_disability: Some(false),
        single_parent: Some(false),
        homeless: Some(false),
        refugee: Some(false),
        left_child_welfare: Some(false),
        left_detention: Some(false),
        french_below_a1: Some(false),
        mobility_problem: Some(false),
        driving_licence: Some(true),
        prescribed_by_authorised_prescriber: Some(false),
        pass_iae: Some(PassIae::None),
        diagnoses: Some(vec![]),
        country: Some(Country::Fr),
        registered_with_forem: None,
        unoccupied_months_in_last_24: None,
        highest_belgian_certificate: None,
        registered_with_aviq: None,
        incapacity_percent: None,
    }
}

fn benefit(profile: &mut Profile, benefit: Benefit) {
    profile.benefits.get_or_insert_with(Vec::new).push(benefit);
}

/// Changes `profile` so that it meets `criterion` (on [`on`]).
pub fn make_met(profile: &mut Profile, criterion: IaeCriterion) {
    use IaeCriterion::*;
    match criterion {
        Rsa => benefit(profile, Benefit::Rsa),
        Ass => benefit(profile, Benefit::Ass),
        Aah => benefit(profile, Benefit::Aah),
        Detld => profile.job_seeker_since = Some(months_before(30)),
        Deld => profile.job_seeker_since = Some(months_before(18)),
        CapBep => profile.study_level = StudyLevel::exactly(3),
        Senior => profile.birth_date = Some(months_before(55 * 12)),
        Jeune => profile.birth_date = Some(months_before(20 * 12)),
        Ase => profile.left_child_welfare = Some(true),
        Th => profile.recognised_disability = Some(true),
        Pi => profile.single_parent = Some(true),
        PshPr => profile.homeless = Some(true),
        RefDa => profile.refugee = Some(true),
        Zrr => profile.lives_in_zrr = Some(true),
        Qpv => profile.lives_in_qpv = Some(true),
        DetentionMj => profile.left_detention = Some(true),
        Fle => profile.french_below_a1 = Some(true),
        Pm => profile.mobility_problem = Some(true),
    }
}

/// Removes from `profile` the fact `criterion` derives from.
pub fn unknown(profile: &mut Profile, criterion: IaeCriterion) {
    use IaeCriterion::*;
    match criterion {
        Rsa | Ass | Aah => profile.benefits = None,
        Detld | Deld => profile.job_seeker_since = None,
        CapBep => profile.study_level = None,
        Senior | Jeune => profile.birth_date = None,
        Ase => profile.left_child_welfare = None,
        Th => profile.recognised_disability = None,
        Pi => profile.single_parent = None,
        PshPr => profile.homeless = None,
        RefDa => profile.refugee = None,
        Zrr => profile.lives_in_zrr = None,
        Qpv => profile.lives_in_qpv = None,
        DetentionMj => profile.left_detention = None,
        Fle => profile.french_below_a1 = None,
        Pm => profile.mobility_problem = None,
    }
}
