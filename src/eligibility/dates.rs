//! Calendar arithmetic the rules need: whole years of age and whole months elapsed.

use chrono::{Datelike, Months, NaiveDate};

/// Age in whole years on `on` of someone born on `birth`; 0 when `on` is not after `birth`.
///
/// A birthday counts from its own day (born 12 May 2000 → 26 on 12 May 2026, still 25
/// on 11 May). Someone born on 29 February turns a year older on **1 March** in
/// non-leap years: on 28 February their birthday has not been reached yet, which is
/// what a plain month/day comparison says and avoids granting a right one day early.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on <= birth {
        return 0;
    }
    let years = on.year() - birth.year();
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    let whole = if before_birthday { years - 1 } else { years };
    u32::try_from(whole).unwrap_or(0)
}

/// Whole months elapsed from `from` to `on`; 0 when `on` is not after `from`.
///
/// `n` months have elapsed when `from` plus `n` calendar months is on or before `on`,
/// where adding months clamps to the end of a shorter month (31 January + 1 month =
/// 28 or 29 February). So 15 March → 15 April is 1 month, 14 April is still 0, and
/// 31 January → 28 February is 1 month.
pub fn months_between(from: NaiveDate, on: NaiveDate) -> u32 {
    if on <= from {
        return 0;
    }
    // The month-number difference is an upper bound: it overshoots by one at most
    // when the day of month of `on` is earlier than that of `from`.
    let span = (on.year() - from.year()) * 12 + on.month() as i32 - from.month() as i32;
    let mut months = u32::try_from(span).unwrap_or(0);
    while months > 0
        && from
            .checked_add_months(Months::new(months))
            .is_none_or(|reached| reached > on)
    {
        months -= 1;
    }
    months
}

/// The day `months` calendar months after `from`, clamped to the end of a shorter month
/// (31 August + 6 months = 28 or 29 February); `None` past chrono's range.
pub(crate) fn add_months(from: NaiveDate, months: u32) -> Option<NaiveDate> {
    from.checked_add_months(Months::new(months))
}

/// The day before `date`; `None` before chrono's range.
pub(crate) fn day_before(date: NaiveDate) -> Option<NaiveDate> {
    date.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::test_support::d;

    #[test]
    fn age_changes_on_the_birthday_itself() {
        assert_eq!(age_on(d(2000, 5, 12), d(2026, 5, 11)), 25);
        assert_eq!(age_on(d(2000, 5, 12), d(2026, 5, 12)), 26);
        assert_eq!(age_on(d(2000, 5, 12), d(2000, 5, 12)), 0);
        assert_eq!(age_on(d(2000, 5, 12), d(1990, 1, 1)), 0);
    }

    #[test]
    fn leap_day_birthday_is_first_of_march_in_common_years() {
        let birth = d(2000, 2, 29);
        assert_eq!(age_on(birth, d(2026, 2, 28)), 25);
        assert_eq!(age_on(birth, d(2026, 3, 1)), 26);
        assert_eq!(age_on(birth, d(2028, 2, 28)), 27);
        assert_eq!(age_on(birth, d(2028, 2, 29)), 28);
    }

    #[test]
    fn months_count_whole_calendar_months() {
        assert_eq!(months_between(d(2025, 3, 15), d(2025, 4, 14)), 0);
        assert_eq!(months_between(d(2025, 3, 15), d(2025, 4, 15)), 1);
        assert_eq!(months_between(d(2025, 1, 31), d(2025, 2, 28)), 1);
        assert_eq!(months_between(d(2024, 1, 31), d(2024, 2, 28)), 0);
        assert_eq!(months_between(d(2024, 1, 31), d(2024, 2, 29)), 1);
        assert_eq!(months_between(d(2023, 6, 1), d(2025, 6, 1)), 24);
        assert_eq!(months_between(d(2023, 6, 1), d(2025, 5, 31)), 23);
        assert_eq!(months_between(d(2025, 6, 1), d(2023, 6, 1)), 0);
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        assert_eq!(age_on(NaiveDate::MAX, NaiveDate::MIN), 0);
        assert!(age_on(NaiveDate::MIN, NaiveDate::MAX) > 500_000);
        assert!(months_between(NaiveDate::MIN, NaiveDate::MAX) > 6_000_000);
    }
}
