//! Rejects profiles whose facts contradict each other or cannot be true.

use chrono::NaiveDate;
use entity::enums::Country;

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
    if let Some(level) = profile.diploma_level
        && !(1..=8).contains(&level)
    {
        errors.push(FieldError::new(
            "diplomaLevel",
            format!("diploma level {level} is not between 1 and 8"),
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

/// A commune code (`geo_codes::is_commune_code`); a profile living in Belgium has no
/// Corsican letters in its code.
fn is_commune_code(code: &str, country: Option<Country>) -> bool {
    crate::geo_codes::is_commune_code(code)
        && (country != Some(Country::Be) || code.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
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
            diploma_level: Some(3),
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
    fn diploma_level_out_of_range() {
        for level in [0, 9, 255] {
            let profile = Profile {
                diploma_level: Some(level),
                ..Profile::default()
            };
            assert_eq!(fields(&profile), ["diplomaLevel"], "level {level}");
        }
        for level in 1..=8 {
            let profile = Profile {
                diploma_level: Some(level),
                ..Profile::default()
            };
            assert_eq!(fields(&profile), Vec::<&str>::new(), "level {level}");
        }
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
            diploma_level: Some(0),
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
                "diplomaLevel",
                "residenceCommuneCode"
            ]
        );
    }
}
