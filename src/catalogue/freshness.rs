//! How fresh an offer's information is: FRESH, AGING or STALE from the last verification (or
//! the creation when it was never verified), with thresholds from the configuration.
use chrono::{DateTime, Months, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func};

/// The freshness of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Freshness {
    /// Verified within the aging threshold.
    Fresh,
    /// Between the aging and the stale thresholds: worth a check.
    Aging,
    /// Past the stale threshold: partners may hide it.
    Stale,
}

/// The thresholds, in months since the last verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FreshnessPolicy {
    pub aging_after_months: u32,
    pub stale_after_months: u32,
}

impl Default for FreshnessPolicy {
    fn default() -> Self {
        Self {
            aging_after_months: 6,
            stale_after_months: 12,
        }
    }
}

/// `months` before `now` (the same day of the month, or its last day when shorter).
pub fn months_before(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

impl FreshnessPolicy {
    /// Instants from which a record is AGING, then STALE (verified before them).
    fn bounds(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            months_before(now, self.aging_after_months),
            months_before(now, self.stale_after_months),
        )
    }

    /// The freshness of a record last verified (or created) at `reference`.
    pub fn of(&self, reference: DateTime<Utc>, now: DateTime<Utc>) -> Freshness {
        let (aging_from, stale_from) = self.bounds(now);
        if reference < stale_from {
            Freshness::Stale
        } else if reference < aging_from {
            Freshness::Aging
        } else {
            Freshness::Fresh
        }
    }

    /// Offers (of table `offers`) whose freshness is one of `wanted`.
    pub fn condition(&self, wanted: &[Freshness], now: DateTime<Utc>) -> Condition {
        let (aging_from, stale_from) = self.bounds(now);
        let reference = reference_expr("offers");
        wanted
            .iter()
            .fold(Condition::any(), |any, freshness| match freshness {
                Freshness::Fresh => any.add(reference.clone().gte(aging_from)),
                Freshness::Aging => any.add(
                    reference
                        .clone()
                        .gte(stale_from)
                        .and(reference.clone().lt(aging_from)),
                ),
                Freshness::Stale => any.add(reference.clone().lt(stale_from)),
            })
    }
}

/// `COALESCE(<table>.verified_at, <table>.created_at)`: what freshness is measured from.
pub fn reference_expr(table: &'static str) -> Expr {
    Func::coalesce([
        Expr::col((Alias::new(table), Alias::new("verified_at"))),
        Expr::col((Alias::new(table), Alias::new("created_at"))),
    ])
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0)
            .single()
            .expect("a date")
    }

    #[test]
    fn thresholds_are_exact_to_the_instant() {
        let policy = FreshnessPolicy::default();
        let now = at(2026, 12, 2);
        assert_eq!(policy.of(at(2026, 6, 2), now), Freshness::Fresh);
        assert_eq!(
            policy.of(at(2026, 6, 2) - chrono::Duration::seconds(1), now),
            Freshness::Aging
        );
        assert_eq!(policy.of(at(2025, 12, 2), now), Freshness::Aging);
        assert_eq!(
            policy.of(at(2025, 12, 2) - chrono::Duration::seconds(1), now),
            Freshness::Stale
        );
    }

    #[test]
    fn a_month_back_from_the_31st_is_the_last_day_of_a_shorter_month() {
        assert_eq!(months_before(at(2026, 8, 31), 6), at(2026, 2, 28));
    }
}
