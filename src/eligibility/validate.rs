//! Rejects profiles whose facts contradict each other or cannot be true.

use chrono::NaiveDate;
use entity::enums::Country;

use super::dates::months_between;
use super::profile::Profile;

/// One invalid field of a [`Profile`], named as in the GraphQL input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// camelCase GraphQL name of the field, e.g. `"jobSeekerSince"`.
    pub field: &'static str,
    /// What is wrong, in plain English.
    pub message: String,
}

impl FieldError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// Checks `profile` as of `on` (today, or the date of the check) and lists every
/// problem found, not only the first, so that a form can flag all fields at once.
///
/// [`evaluate`](super::evaluate) does not require a valid profile (it never panics);
/// callers should still validate input so people get told about typos.
pub fn validate(profile: &Profile, on: NaiveDate) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();

    if let Some(birth) = profile.birth_date
        && birth > on
    {
        errors.push(FieldError::new("birthDate", "birth date is in the future"));
    }
    if let Some(since) = profile.job_seeker_since {
        if since > on {
            errors.push(FieldError::new(
                "jobSeekerSince",
                "job-seeker registration date is in the future",
            ));
        }
        if profile.birth_date.is_some_and(|birth| since < birth) {
            errors.push(FieldError::new(
                "jobSeekerSince",
                "job-seeker registration date is before the birth date",
            ));
        }
        if profile.registered_job_seeker == Some(false) {
            errors.push(FieldError::new(
                "registeredJobSeeker",
                "not a registered job seeker, yet a registration date is given",
            ));
        }
    }
    if profile
        .diagnoses
        .iter()
        .flatten()
        .any(|diagnosis| diagnosis.made_on > on)
    {
        errors.push(FieldError::new(
            "eligibilityDiagnoses",
            "an eligibility diagnosis is dated after the day of the check",
        ));
    }
    if let Some(months) = profile.unoccupied_months_in_last_24 {
        if months > 24 {
            errors.push(FieldError::new(
                "unoccupiedMonthsInLast24",
                format!("{months} months do not fit in the last 24"),
            ));
        } else if let Some(registered) = forem_months_since_registration(profile, on)
            && months < registered
        {
            errors.push(FieldError::new(
                "unoccupiedMonthsInLast24",
                format!(
                    "{months} months, yet registered with Le Forem since jobSeekerSince, {registered} months of the last 24"
                ),
            ));
        }
    }
    if let Some(percent) = profile.incapacity_percent
        && percent > 100
    {
        errors.push(FieldError::new(
            "incapacityPercent",
            format!("{percent} % is more than 100 %"),
        ));
    }
    if let Some(code) = &profile.residence_commune_code
        && !is_commune_code(code, profile.country)
    {
        errors.push(FieldError::new(
            "residenceCommuneCode",
            format!(
                "{code:?} is not a commune code: five digits, or 2A/2B and three digits for Corsica"
            ),
        ));
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Months of the last 24 covered by a registration with Le Forem since `jobSeekerSince`.
fn forem_months_since_registration(profile: &Profile, on: NaiveDate) -> Option<u8> {
    if profile.registered_with_forem != Some(true) {
        return None;
    }
    let months = months_between(profile.job_seeker_since?, on).min(24);
    u8::try_from(months).ok()
}

/// A commune code (`geo_codes::is_commune_code`); a profile living in Belgium has no
/// Corsican letters in its code.
fn is_commune_code(code: &str, country: Option<Country>) -> bool {
    crate::geo_codes::is_commune_code(code)
        && (country != Some(Country::Be) || code.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::profile::{Diagnosis, DiagnosisAuthor, StudyLevel};
    use crate::eligibility::test_support::{d, on};

    fn fields(profile: &Profile) -> Vec<&'static str> {
        match validate(profile, on()) {
            Ok(()) => vec![],
            Err(errors) => errors.into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn empty_profile_is_valid() {
        assert_eq!(validate(&Profile::default(), on()), Ok(()));
    }

    #[test]
    fn full_plausible_profile_is_valid() {
        let profile = Profile {
            birth_date: Some(d(1990, 1, 1)),
            job_seeker_since: Some(d(2025, 1, 1)),
            registered_job_seeker: Some(true),
            study_level: StudyLevel::exactly(3),
            residence_commune_code: Some("2A004".into()),
            ..Profile::default()
        };
        assert_eq!(validate(&profile, on()), Ok(()));
    }

    #[test]
    fn birth_date_in_the_future() {
        let profile = Profile {
            birth_date: Some(d(2026, 6, 16)),
            ..Profile::default()
        };
        assert_eq!(fields(&profile), ["birthDate"]);
        let today = Profile {
            birth_date: Some(on()),
            ..Profile::default()
        };
        assert_eq!(fields(&today), Vec::<&str>::new());
    }

    #[test]
    fn job_seeker_since_in_the_future() {
        let profile = Profile {
            job_seeker_since: Some(d(2026, 7, 1)),
            ..Profile::default()
        };
        assert_eq!(fields(&profile), ["jobSeekerSince"]);
    }

    #[test]
    fn job_seeker_since_before_birth() {
        let profile = Profile {
            birth_date: Some(d(2000, 1, 1)),
            job_seeker_since: Some(d(1999, 12, 31)),
            ..Profile::default()
        };
        assert_eq!(fields(&profile), ["jobSeekerSince"]);
    }

    #[test]
    fn not_registered_but_dated() {
        let profile = Profile {
            registered_job_seeker: Some(false),
            job_seeker_since: Some(d(2025, 1, 1)),
            ..Profile::default()
        };
        assert_eq!(fields(&profile), ["registeredJobSeeker"]);
    }

    #[test]
    fn diagnoses_cannot_postdate_the_check() {
        let diagnosed = |made_on| Profile {
            diagnoses: Some(vec![Diagnosis {
                author: DiagnosisAuthor::AuthorisedPrescriber,
                made_on,
            }]),
            ..Profile::default()
        };
        assert_eq!(fields(&diagnosed(on())), Vec::<&str>::new());
        assert_eq!(fields(&diagnosed(d(2026, 6, 16))), ["eligibilityDiagnoses"]);
    }

    #[test]
    fn unoccupied_months_fit_in_24_and_agree_with_the_registration() {
        let months = |n, since| Profile {
            unoccupied_months_in_last_24: Some(n),
            registered_with_forem: Some(true),
            job_seeker_since: since,
            ..Profile::default()
        };
        assert_eq!(fields(&months(24, None)), Vec::<&str>::new());
        assert_eq!(fields(&months(25, None)), ["unoccupiedMonthsInLast24"]);
        // Registered since 15 June 2025: 12 months of the last 24 at least.
        let since = Some(d(2025, 6, 15));
        assert_eq!(fields(&months(12, since)), Vec::<&str>::new());
        assert_eq!(fields(&months(11, since)), ["unoccupiedMonthsInLast24"]);
        let long_ago = Some(d(2020, 1, 1));
        assert_eq!(fields(&months(24, long_ago)), Vec::<&str>::new());
        assert_eq!(fields(&months(23, long_ago)), ["unoccupiedMonthsInLast24"]);
    }

    #[test]
    fn incapacity_is_a_percentage() {
        let rate = |percent| Profile {
            incapacity_percent: Some(percent),
            ..Profile::default()
        };
        assert_eq!(fields(&rate(100)), Vec::<&str>::new());
        assert_eq!(fields(&rate(101)), ["incapacityPercent"]);
    }

    #[test]
    fn commune_codes() {
        let check = |code: &str, country| {
            fields(&Profile {
                residence_commune_code: Some(code.into()),
                country,
                ..Profile::default()
            })
            .is_empty()
        };
        for good in ["75056", "2A004", "2B033", "97411", "01001"] {
            assert!(check(good, None), "{good}");
            assert!(check(good, Some(Country::Fr)), "{good}");
        }
        assert!(check("62063", Some(Country::Be)));
        assert!(!check("2A004", Some(Country::Be)));
        for bad in [
            "7505", "750560", "AB123", "2a004", "2C004", "75 56", "", "75O56",
        ] {
            assert!(!check(bad, None), "{bad}");
        }
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let profile = Profile {
            birth_date: Some(d(2030, 1, 1)),
            job_seeker_since: Some(d(2029, 1, 1)),
            registered_job_seeker: Some(false),
            incapacity_percent: Some(120),
            residence_commune_code: Some("x".into()),
            ..Profile::default()
        };
        assert_eq!(
            fields(&profile),
            [
                "birthDate",
                "jobSeekerSince",
                "jobSeekerSince",
                "registeredJobSeeker",
                "incapacityPercent",
                "residenceCommuneCode"
            ]
        );
    }
}
