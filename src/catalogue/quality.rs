//! Quality of offers and organisations: a score from 0 to 1 and the issues an editor can act
//! on, computed in SQL so that the same definition serves the `quality` field, the
//! `minQuality` filter and the "needs attention" list.
//!
//! The checks' codes, weights and sentences are data (`reference/quality-checks.json`); the SQL
//! that decides each one is here, keyed by code.
use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{DeliveryMode, OfferKind, OfferStatus};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query};
use serde::Deserialize;

use super::freshness::{FreshnessPolicy, months_before, reference_expr};
use super::offer_search::{Visibility, has_row_for_offer};
use crate::error::{AppError, AppResult};

/// One check as the reference file describes it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct QualityCheck {
    pub code: String,
    pub weight: i32,
    pub fr: String,
    pub en: String,
}

#[derive(Debug, Default, Deserialize)]
struct ChecksFile {
    offer: Vec<QualityCheck>,
    organisation: Vec<QualityCheck>,
}

static CHECKS: LazyLock<ChecksFile> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../reference/quality-checks.json")).unwrap_or_default()
});

/// What is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Offer,
    Organisation,
}

impl Subject {
    fn table(self) -> &'static str {
        match self {
            Self::Offer => "offers",
            Self::Organisation => "organisations",
        }
    }

    pub fn checks(self) -> &'static [QualityCheck] {
        match self {
            Self::Offer => &CHECKS.offer,
            Self::Organisation => &CHECKS.organisation,
        }
    }

    fn total_weight(self) -> i32 {
        self.checks().iter().map(|check| check.weight).sum()
    }
}

/// The instant and the date quality is judged at, and how old a verification may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QualityClock {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub freshness: FreshnessPolicy,
}

impl QualityClock {
    /// True (as SQL) when the record of `subject` passes the check `code`; `None` for a code
    /// this module does not know (the reference file and this list must agree).
    fn passes(&self, subject: Subject, code: &str) -> Option<Expr> {
        let table = subject.table();
        let col = |name: &'static str| Expr::col((Alias::new(table), Alias::new(name)));
        let length = |name: &'static str| Expr::from(Func::cust("LENGTH").arg(col(name)));
        let verified_recently =
            reference_expr(table).gte(months_before(self.now, self.freshness.aging_after_months));
        Some(match (subject, code) {
            (Subject::Offer, "DESCRIPTION_TOO_SHORT") => length("description").gte(200),
            (Subject::Offer, "SUMMARY_TOO_SHORT") => length("summary").gte(40),
            (Subject::Offer, "NO_WAY_TO_APPLY") => col("how_to_apply").ne("[]"),
            (Subject::Offer, "NO_COORDINATES") => col("delivery_mode")
                .eq(DeliveryMode::Remote.code())
                .or(col("latitude").is_not_null()),
            (Subject::Offer, "NO_UPCOMING_SESSION") => col("kind")
                .ne(OfferKind::Training.code())
                .or(col("last_slot_on").gte(self.today)),
            (Subject::Offer, "NO_CONTACT") => col("contact_email")
                .is_not_null()
                .or(col("contact_phone").is_not_null()),
            (Subject::Offer, "NO_PUBLICS") => has_row_for_offer("offer_publics"),
            (Subject::Offer, "NO_OCCUPATION_CODE") => has_row_for_offer("offer_codes"),
            (Subject::Organisation, "NO_COMPANY_NUMBER") => col("company_number").is_not_null(),
            (Subject::Organisation, "NO_COORDINATES") => col("latitude").is_not_null(),
            (Subject::Organisation, "NO_CONTACT") => {
                col("email").is_not_null().or(col("phone").is_not_null())
            }
            (Subject::Organisation, "NO_WEBSITE") => col("website").is_not_null(),
            (Subject::Organisation, "NO_OPENING_HOURS") => col("opening_hours").is_not_null(),
            (Subject::Organisation, "NO_ACCESSIBILITY_LINK") => {
                col("accessibility_url").is_not_null()
            }
            (_, "NOT_VERIFIED_RECENTLY") => verified_recently,
            _ => return None,
        })
    }

    /// `CASE WHEN <passes> THEN <weight> ELSE 0 END` of each check, in file order: one per
    /// check, so that column `c{i}` of a row is check `i`. A code this module does not know
    /// (a test keeps there being none) never passes, rather than shifting the others.
    fn points(&self, subject: Subject) -> Vec<Expr> {
        subject
            .checks()
            .iter()
            .map(|check| match self.passes(subject, &check.code) {
                Some(passes) => Expr::case(passes, check.weight).finally(0).into(),
                None => Expr::val(0),
            })
            .collect()
    }

    /// The points a record scores, as one SQL expression.
    fn score_points(&self, subject: Subject) -> Expr {
        self.points(subject)
            .into_iter()
            .reduce(|sum, points| sum.add(points))
            .unwrap_or_else(|| Expr::val(0))
    }

    /// Records of `subject` whose score is at least `min` (0 to 1).
    pub fn at_least(&self, subject: Subject, min: f64) -> Expr {
        // points / total >= min, kept exact for scores like 1.0 by comparing points.
        let needed = min * f64::from(subject.total_weight()) - 1e-9;
        self.score_points(subject).gte(needed)
    }
}

/// The score and the failed checks of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    /// Weights of the checks passed over all weights, from 0 to 1.
    pub score: f64,
    /// The checks failed, heaviest first.
    pub issues: Vec<&'static QualityCheck>,
}

/// Checks a score must lie in 0..=1.
pub fn check_min_quality(field: &str, min: f64) -> AppResult<f64> {
    if (0.0..=1.0).contains(&min) {
        Ok(min)
    } else {
        Err(AppError::validation(
            field,
            "minQuality is a score from 0 to 1",
        ))
    }
}

/// The quality of each record of `ids`: one statement.
pub async fn quality_by_id(
    db: &impl ConnectionTrait,
    subject: Subject,
    ids: &[i32],
    clock: &QualityClock,
) -> AppResult<HashMap<i32, Quality>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let table = subject.table();
    let mut select = Query::select();
    select
        .expr_as(Expr::col((Alias::new(table), Alias::new("id"))), "id")
        .from(table)
        .and_where(Expr::col((Alias::new(table), Alias::new("id"))).is_in(ids.to_vec()));
    for (index, points) in clock.points(subject).into_iter().enumerate() {
        select.expr_as(points, format!("c{index}"));
    }
    let total = f64::from(Ord::max(subject.total_weight(), 1));
    let mut found = HashMap::new();
    for row in db.query_all(&select).await? {
        let id: i32 = row.try_get("", "id")?;
        let mut scored = 0;
        let mut issues = Vec::new();
        for (index, check) in subject.checks().iter().enumerate() {
            let points: i32 = row.try_get("", &format!("c{index}"))?;
            if points > 0 {
                scored += points;
            } else {
                issues.push(check);
            }
        }
        issues.sort_by_key(|check| std::cmp::Reverse(check.weight));
        found.insert(
            id,
            Quality {
                score: f64::from(scored) / total,
                issues,
            },
        );
    }
    Ok(found)
}

/// Offers that need attention (score below 1), worst first, among those `scope` lets the
/// caller edit; archived offers are left out.
pub async fn offers_needing_attention(
    db: &impl ConnectionTrait,
    scope: &Visibility,
    first: u64,
    clock: &QualityClock,
) -> AppResult<Vec<i32>> {
    let organisations = match scope {
        Visibility::Published => return Ok(Vec::new()),
        Visibility::PublishedOr(ids) if ids.is_empty() => return Ok(Vec::new()),
        Visibility::PublishedOr(ids) => Some(ids.clone()),
        Visibility::Everything => None,
    };
    let col = |name: &'static str| Expr::col((Alias::new("offers"), Alias::new(name)));
    let points = clock.score_points(Subject::Offer);
    let mut select = Query::select();
    select
        .expr_as(col("id"), "id")
        .from("offers")
        .and_where(col("status").ne(OfferStatus::Archived.code()))
        .and_where(points.clone().lt(Subject::Offer.total_weight()))
        .order_by_expr(points, Order::Asc)
        .order_by_expr(col("id"), Order::Asc)
        .limit(first);
    if let Some(ids) = organisations {
        select.and_where(col("organisation_id").is_in(ids));
    }
    let mut found = Vec::new();
    for row in db.query_all(&select).await? {
        found.push(row.try_get::<i32>("", "id")?);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_of_the_reference_file_has_its_sql_and_a_positive_weight() {
        let clock = QualityClock {
            now: Utc::now(),
            today: Utc::now().date_naive(),
            freshness: FreshnessPolicy::default(),
        };
        for subject in [Subject::Offer, Subject::Organisation] {
            assert!(!subject.checks().is_empty());
            for check in subject.checks() {
                assert!(check.weight > 0, "{}", check.code);
                assert!(
                    clock.passes(subject, &check.code).is_some(),
                    "{subject:?} check {} has no SQL",
                    check.code
                );
            }
        }
    }
}
