//! Facet counts of an offer search: for the current filter, how many offers have each value of
//! a facet, with that facet's own filter left out (disjunctive faceting, as Algolia and
//! Meilisearch count), so that a search page can offer the other values of a filter too.
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query};

use super::offer_search::{OfferFilter, Visibility};
use crate::error::{AppError, AppResult};

/// A facet of offers, each matching one filter of `OfferFilter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Kinds,
    Sectors,
    Publics,
    Barriers,
    OrganisationKinds,
    Departements,
    Themes,
    DeliveryModes,
}

impl Facet {
    /// The filter with this facet's own condition removed.
    fn without_own_filter(self, filter: &OfferFilter) -> OfferFilter {
        let mut filter = filter.clone();
        match self {
            Self::Kinds => filter.kinds.clear(),
            Self::Sectors => filter.sectors.clear(),
            Self::Publics => filter.publics.clear(),
            Self::Barriers => filter.barriers.clear(),
            Self::OrganisationKinds => filter.organisation_kinds.clear(),
            Self::Departements => filter.departement = None,
            Self::Themes => filter.themes.clear(),
            Self::DeliveryModes => filter.delivery_modes.clear(),
        }
        filter
    }
}

/// One value of a facet (its stored code) and how many offers have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub code: String,
    pub count: u64,
}

/// The values of `facet` among the offers `filter` keeps (its own condition left out), most
/// frequent first, then by code: one `GROUP BY` statement.
///
/// With `eligible_for` the rule engine, not SQL, decides which offers match, so no SQL count
/// can agree with `totalCount`: that combination is refused rather than answered wrongly.
pub async fn facet_counts(
    db: &impl ConnectionTrait,
    filter: &OfferFilter,
    visibility: &Visibility,
    today: NaiveDate,
    facet: Facet,
) -> AppResult<Vec<FacetCount>> {
    if filter.eligible_for.is_some() {
        return Err(AppError::validation(
            "filter.eligibleFor",
            "facets cannot be counted with eligibleFor (the rule engine decides each offer): ask for them without it",
        ));
    }
    let offers = |name: &'static str| Expr::col((Alias::new("offers"), Alias::new(name)));
    let mut select = Query::select();
    select.from("offers").cond_where(
        facet
            .without_own_filter(filter)
            .condition(visibility, today),
    );
    let child = |select: &mut sea_orm::sea_query::SelectStatement,
                 table: &'static str,
                 column: &'static str| {
        select.inner_join(
            table,
            Expr::col((Alias::new(table), Alias::new("offer_id")))
                .equals((Alias::new("offers"), Alias::new("id"))),
        );
        Expr::col((Alias::new(table), Alias::new(column)))
    };
    let value = match facet {
        Facet::Kinds => offers("kind"),
        Facet::Sectors => offers("sector_code"),
        Facet::DeliveryModes => offers("delivery_mode"),
        Facet::Departements => {
            select.and_where(offers("departement").is_not_null());
            offers("departement")
        }
        Facet::Publics => child(&mut select, "offer_publics", "public"),
        Facet::Barriers => child(&mut select, "offer_barriers", "barrier"),
        Facet::Themes => child(&mut select, "offer_themes", "theme"),
        Facet::OrganisationKinds => {
            select.inner_join(
                "organisations",
                Expr::col((Alias::new("organisations"), Alias::new("id")))
                    .equals((Alias::new("offers"), Alias::new("organisation_id"))),
            );
            Expr::col((Alias::new("organisations"), Alias::new("kind")))
        }
    };
    select
        .expr_as(value.clone(), "value")
        .expr_as(Func::count(offers("id")), "n")
        .add_group_by([value.clone()])
        .order_by_expr(Func::count(offers("id")).into(), Order::Desc)
        .order_by_expr(value, Order::Asc);
    let mut counts = Vec::new();
    for row in db.query_all(&select).await? {
        let n: i64 = row.try_get("", "n")?;
        counts.push(FacetCount {
            code: row.try_get("", "value")?,
            count: u64::try_from(n).unwrap_or_default(),
        });
    }
    Ok(counts)
}
