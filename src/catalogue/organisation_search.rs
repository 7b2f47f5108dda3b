//! The organisation search: filters and keyset pages by name, in SQL.
use entity::enums::{Country, OrganisationKind};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, Order, Query};

use super::geo::Near;
use super::keyset::{Cursor, KeyKind, KeysetOrder, SortKey, Stretch};
use super::text::matches_all_terms;
use crate::error::{AppError, AppResult};
use crate::geo_codes::is_departement_code;

/// Filters on organisations (archived ones are never listed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganisationFilter {
    pub kinds: Vec<OrganisationKind>,
    pub country: Option<Country>,
    pub departement: Option<String>,
    pub text: Option<String>,
    pub near: Option<Near>,
}

const ORDERING: &str = "organisations:NAME:ASC";

impl OrganisationFilter {
    pub fn validate(&self) -> AppResult<()> {
        match &self.departement {
            Some(code) if !is_departement_code(&code.to_uppercase()) => Err(AppError::validation(
                "filter.departement",
                "a département code is 2 characters (\"59\", \"2A\") or 3 digits overseas (\"974\")",
            )),
            _ => Ok(()),
        }
    }

    fn condition(&self) -> Condition {
        let col = |name: &'static str| Expr::col((Alias::new("organisations"), Alias::new(name)));
        let mut cond = Condition::all().add(col("archived_at").is_null());
        if !self.kinds.is_empty() {
            cond = cond.add(col("kind").is_in(self.kinds.iter().map(|k| k.code())));
        }
        if let Some(country) = self.country {
            cond = cond.add(col("country").eq(country.code()));
        }
        if let Some(departement) = &self.departement {
            cond = cond.add(col("departement").eq(departement.to_uppercase()));
        }
        if let Some(near) = &self.near {
            cond = cond.add(near.filter_expr(col("latitude"), col("longitude")));
        }
        if let Some(text) = &self.text {
            cond = cond.add(matches_all_terms(&[col("search_text")], text));
        }
        cond
    }
}

/// One page of organisation ids by name, with cursors.
pub async fn search_organisation_ids(
    db: &impl ConnectionTrait,
    filter: &OrganisationFilter,
    first: u64,
    after: Option<&str>,
) -> AppResult<(Vec<(i32, String)>, bool)> {
    let after = after
        .map(|raw| Cursor::decode(raw, ORDERING, KeyKind::Text))
        .transpose()?;
    if first == 0 {
        return Ok((Vec::new(), false));
    }
    let key = Expr::col((Alias::new("organisations"), Alias::new("name")));
    let id = Expr::col((Alias::new("organisations"), Alias::new("id")));
    let mut select = Query::select();
    select
        .expr_as(id.clone(), "id")
        .expr_as(key.clone(), "sort_key")
        .from("organisations")
        .cond_where(filter.condition())
        .limit(first + 1);
    KeysetOrder {
        key,
        id,
        direction: Order::Asc,
        nullable: false,
    }
    .apply(&mut select, after.as_ref(), Stretch::Keyed);
    let rows = db.query_all(&select).await?;
    let has_next = rows.len() as u64 > first;
    let mut ids = Vec::new();
    for row in rows.into_iter().take(first as usize) {
        let id: i32 = row.try_get("", "id")?;
        let cursor = Cursor {
            ordering: ORDERING.to_owned(),
            key: SortKey::Text(row.try_get("", "sort_key")?),
            id,
        };
        ids.push((id, cursor.encode()));
    }
    Ok((ids, has_next))
}

pub async fn count_organisations(
    db: &impl ConnectionTrait,
    filter: &OrganisationFilter,
) -> AppResult<u64> {
    let select = Query::select()
        .expr_as(
            Func::count(Expr::col((Alias::new("organisations"), Alias::new("id")))),
            "n",
        )
        .from("organisations")
        .cond_where(filter.condition())
        .take();
    let count: i64 = match db.query_one(&select).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(count).unwrap_or_default())
}
