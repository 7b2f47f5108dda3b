//! `setEligibilityConditions`: replaces an offer's conditions in one transaction.
use entity::enums::{ConditionKind, ZoneKind};
use entity::{eligibility_condition, offer};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::offers::offer_for_editing;
use super::{check_version, snapshot, update_if_version, validate};
use crate::catalogue::actor::Actor;
use crate::catalogue::audit::{AuditEntry, record};
use crate::catalogue::transaction::write_transaction;
use crate::error::{AppError, AppResult};
use crate::geo_codes::is_departement_code;

/// One condition as an editor gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionFields {
    pub kind: ConditionKind,
    pub mandatory: bool,
    pub description: String,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub min_months_registered: Option<i32>,
    pub max_diploma_level: Option<i32>,
    pub zone_kind: Option<ZoneKind>,
    pub zone_codes: Vec<String>,
    pub language_level: Option<String>,
}

/// Checks one condition; errors name its fields ("maxAge"), the caller says which condition.
pub(crate) fn check(c: &ConditionFields) -> AppResult<()> {
    validate::text("description", &c.description, 0, 1000)?;
    validate::range("minAge", c.min_age, 0, 120)?;
    validate::range("maxAge", c.max_age, 0, 120)?;
    validate::range("minMonthsRegistered", c.min_months_registered, 0, 240)?;
    validate::range("maxDiplomaLevel", c.max_diploma_level, 1, 8)?;
    match c.kind {
        ConditionKind::Age => {
            if c.min_age.is_none() && c.max_age.is_none() {
                return Err(AppError::validation(
                    "minAge",
                    "an AGE condition needs minAge or maxAge",
                ));
            }
            if let (Some(min), Some(max)) = (c.min_age, c.max_age)
                && min > max
            {
                return Err(AppError::validation(
                    "maxAge",
                    "maxAge must not be below minAge",
                ));
            }
        }
        ConditionKind::MaxDiplomaLevel if c.max_diploma_level.is_none() => {
            return Err(AppError::validation(
                "maxDiplomaLevel",
                "a MAX_DIPLOMA_LEVEL condition needs maxDiplomaLevel",
            ));
        }
        ConditionKind::ResidenceZone => match c.zone_kind {
            None => {
                return Err(AppError::validation(
                    "zone.kind",
                    "a RESIDENCE_ZONE condition needs a zone",
                ));
            }
            Some(ZoneKind::Communes) => {
                if c.zone_codes.is_empty() {
                    return Err(AppError::validation(
                        "zone.codes",
                        "list at least one commune code",
                    ));
                }
                for (i, code) in c.zone_codes.iter().enumerate() {
                    validate::commune_code(&format!("zone.codes.{i}"), code)?;
                }
            }
            Some(ZoneKind::Departements) => {
                if c.zone_codes.is_empty() {
                    return Err(AppError::validation(
                        "zone.codes",
                        "list at least one département code",
                    ));
                }
                if let Some(i) = c
                    .zone_codes
                    .iter()
                    .position(|code| !is_departement_code(&code.trim().to_uppercase()))
                {
                    return Err(AppError::validation(
                        format!("zone.codes.{i}"),
                        "not a département code",
                    ));
                }
            }
            Some(ZoneKind::Qpv | ZoneKind::Zrr) => {}
        },
        ConditionKind::LanguageLevel => {
            let valid = c.language_level.as_deref().is_some_and(|level| {
                ["A1", "A2", "B1", "B2", "C1", "C2"].contains(&level.to_uppercase().as_str())
            });
            if !valid {
                return Err(AppError::validation(
                    "languageLevel",
                    "a LANGUAGE_LEVEL condition needs a CEFR level, A1 to C2",
                ));
            }
        }
        ConditionKind::FreeText if c.description.trim().is_empty() => {
            return Err(AppError::validation(
                "description",
                "a FREE_TEXT condition needs its description",
            ));
        }
        _ => {}
    }
    Ok(())
}

/// Replaces the list: everything is checked first, then written in one transaction, so a
/// bad condition leaves the offer as it was.
pub async fn set_conditions(
    db: &DatabaseConnection,
    actor: &Actor,
    offer_id: i32,
    version: i32,
    conditions: Vec<ConditionFields>,
) -> AppResult<(offer::Model, Vec<eligibility_condition::Model>)> {
    if conditions.len() > 30 {
        return Err(AppError::validation("conditions", "at most 30 conditions"));
    }
    for (index, condition) in conditions.iter().enumerate() {
        check(condition).map_err(|error| error.within(&format!("conditions.{index}")))?;
    }
    let txn = write_transaction(db).await?;
    let current = offer_for_editing(&txn, actor, offer_id).await?;
    check_version("offer", version, current.version)?;
    // The offer's version moves first: a concurrent writer on the same version waits here
    // for this transaction (PostgreSQL locks the row until commit), then finds the version
    // moved and gets CONFLICT before it touches a single condition.
    let no_column_but_the_version = <offer::ActiveModel as Default>::default();
    let offer =
        update_if_version::<offer::Entity>(&txn, offer_id, version, no_column_but_the_version)
            .await?;
    let before: Vec<_> = eligibility_condition::Entity::find()
        .filter(eligibility_condition::Column::OfferId.eq(offer_id))
        .order_by_asc(eligibility_condition::Column::Position)
        .all(&txn)
        .await?;
    eligibility_condition::Entity::delete_many()
        .filter(eligibility_condition::Column::OfferId.eq(offer_id))
        .exec(&txn)
        .await?;
    let mut after = Vec::with_capacity(conditions.len());
    for (position, c) in conditions.into_iter().enumerate() {
        let row = eligibility_condition::ActiveModel {
            offer_id: Set(offer_id),
            position: Set(position as i32),
            kind: Set(c.kind),
            mandatory: Set(c.mandatory),
            description: Set(c.description.trim().to_owned()),
            min_age: Set(c.min_age),
            max_age: Set(c.max_age),
            min_months_registered: Set(c.min_months_registered),
            max_diploma_level: Set(c.max_diploma_level),
            zone_kind: Set(c.zone_kind),
            zone_codes: Set(serde_json::to_string(
                &c.zone_codes
                    .iter()
                    .map(|z| z.trim().to_uppercase())
                    .collect::<Vec<_>>(),
            )
            .unwrap_or_else(|_| "[]".into())),
            language_level: Set(c.language_level.map(|l| l.to_uppercase())),
            ..Default::default()
        };
        after.push(row.insert(&txn).await?);
    }
    let strip = |rows: &[eligibility_condition::Model]| {
        json!(
            rows.iter()
                .map(|r| {
                    let mut value = snapshot(r);
                    if let Some(object) = value.as_object_mut() {
                        object.remove("id");
                        object.remove("offer_id");
                    }
                    value
                })
                .collect::<Vec<_>>()
        )
    };
    record(
        &txn,
        actor,
        AuditEntry::new("Offer", offer_id, "setEligibilityConditions").change(
            "eligibilityConditions",
            Some(strip(&before)),
            Some(strip(&after)),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok((offer, after))
}
