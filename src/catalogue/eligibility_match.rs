//! Eligibility against stored offers: stored conditions → engine rules, the SQL pre-filter, batch evaluation.
use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{ConditionKind, OrganisationKind, ZoneKind};
use entity::{eligibility_condition, offer, organisation};
use sea_orm::sea_query::{Condition as SqlCondition, Expr, ExprTrait, LikeExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::nested::conditions_by_offer;
use super::offer_search::exists_for_offer;
use super::text::escape_like;
use crate::eligibility::{self, Cefr, Condition, Evaluation, Profile, Rule, Verdict, Zone};
use crate::error::AppResult;

/// Threshold used when an IAE condition sits on an organisation outside the SIAE kinds
/// (bad data): the strictest rule, 3 level-2 criteria.
const FALLBACK_LEVEL2_REQUIRED: u8 = 3;

/// A job seeker's profile and the day to judge it on.
#[derive(Debug, Clone, PartialEq)]
pub struct EligibilityQuery {
    pub profile: Profile,
    pub on: NaiveDate,
}

fn small(value: Option<i32>) -> Option<u8> {
    value.and_then(|v| u8::try_from(v).ok())
}

fn parse_cefr(level: Option<&str>) -> Option<Cefr> {
    match level?.trim().to_ascii_uppercase().as_str() {
        "A1" => Some(Cefr::A1),
        "A2" => Some(Cefr::A2),
        "B1" => Some(Cefr::B1),
        "B2" => Some(Cefr::B2),
        "C1" => Some(Cefr::C1),
        "C2" => Some(Cefr::C2),
        _ => None,
    }
}

/// The organisation that runs an offer, as the rules need it: its kind (the IAE
/// threshold) and its id (for whom its own eligibility diagnoses count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferOrganisation {
    pub id: i32,
    pub kind: OrganisationKind,
}

/// The engine's view of a stored condition. Parameters a kind needs but lacks make it a
/// free-text condition (checked by a person), never a silent pass or fail.
pub fn to_engine_condition(
    model: &eligibility_condition::Model,
    organisation: Option<OfferOrganisation>,
) -> Condition {
    let organisation_kind = organisation.map_or(OrganisationKind::Other, |o| o.kind);
    let codes = || serde_json::from_str::<Vec<String>>(&model.zone_codes).unwrap_or_default();
    let rule = match model.kind {
        ConditionKind::Age => Rule::Age {
            min: small(model.min_age),
            max: small(model.max_age),
        },
        ConditionKind::IaeCriteria => Rule::IaeCriteria {
            level2_required: organisation_kind
                .iae_level2_threshold()
                .unwrap_or(FALLBACK_LEVEL2_REQUIRED),
            structure_id: organisation.map(|o| o.id),
        },
        ConditionKind::JobSeeker => Rule::JobSeeker {
            min_months: model
                .min_months_registered
                .and_then(|m| u32::try_from(m).ok()),
        },
        ConditionKind::MaxDiplomaLevel => match small(model.max_diploma_level) {
            Some(level) => Rule::MaxDiplomaLevel(level),
            None => Rule::FreeText,
        },
        ConditionKind::ResidenceZone => match model.zone_kind {
            Some(ZoneKind::Qpv) => Rule::ResidenceZone(Zone::Qpv),
            Some(ZoneKind::Zrr) => Rule::ResidenceZone(Zone::Zrr),
            Some(ZoneKind::Communes) => Rule::ResidenceZone(Zone::Communes(codes())),
            Some(ZoneKind::Departements) => Rule::ResidenceZone(Zone::Departements(codes())),
            None => Rule::FreeText,
        },
        ConditionKind::RecognisedDisability => Rule::RecognisedDisability,
        ConditionKind::PrescriptionRequired => Rule::PrescriptionRequired,
        ConditionKind::DrivingLicence => Rule::DrivingLicence,
        ConditionKind::LanguageLevel => match parse_cefr(model.language_level.as_deref()) {
            Some(level) => Rule::LanguageLevel(level),
            None => Rule::FreeText,
        },
        ConditionKind::CispRule => Rule::CispRule,
        ConditionKind::FreeText => Rule::FreeText,
    };
    Condition {
        rule,
        mandatory: model.mandatory,
        description: model.description.clone(),
    }
}

/// Evaluates one offer's stored conditions; `organisation` runs the offer (`None` if
/// missing, which only bad data can cause).
pub fn evaluate_offer(
    conditions: &[eligibility_condition::Model],
    organisation: Option<OfferOrganisation>,
    query: &EligibilityQuery,
) -> Evaluation {
    let engine: Vec<Condition> = conditions
        .iter()
        .map(|model| to_engine_condition(model, organisation))
        .collect();
    eligibility::evaluate(&engine, &query.profile, query.on)
}

/// Verdicts for a batch of offers: two statements (conditions, organisations), whatever the batch size.
pub async fn verdicts(
    db: &impl ConnectionTrait,
    offer_ids: &[i32],
    query: &EligibilityQuery,
) -> AppResult<HashMap<i32, Verdict>> {
    if offer_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let conditions = conditions_by_offer(db, offer_ids).await?;
    let organisations: HashMap<i32, OfferOrganisation> = offer::Entity::find()
        .select_only()
        .column(offer::Column::Id)
        .column_as(organisation::Column::Id, "organisation_id")
        .column_as(organisation::Column::Kind, "organisation_kind")
        .inner_join(organisation::Entity)
        .filter(offer::Column::Id.is_in(offer_ids.to_vec()))
        .into_tuple::<(i32, i32, OrganisationKind)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(offer_id, id, kind)| (offer_id, OfferOrganisation { id, kind }))
        .collect();
    Ok(offer_ids
        .iter()
        .map(|id| {
            let organisation = organisations.get(id).copied();
            let offer_conditions = conditions.get(id).map(Vec::as_slice).unwrap_or_default();
            (
                *id,
                evaluate_offer(offer_conditions, organisation, query).verdict,
            )
        })
        .collect())
}

/// No mandatory condition of `kind` matching `failing` on the offer.
fn exclude_offers_failing(kind: ConditionKind, failing: SqlCondition) -> SqlCondition {
    SqlCondition::all().add(
        exists_for_offer("eligibility_conditions", |q| {
            q.and_where(Expr::col("kind").eq(kind.code()))
                .and_where(Expr::col("mandatory").eq(true))
                .cond_where(failing);
        })
        .not(),
    )
}

impl EligibilityQuery {
    /// Drops in SQL the offers the engine would certainly judge NOT_ELIGIBLE on facts that
    /// need no computation (age bounds, residence zones, yes/no facts). It only ever removes
    /// a subset of what the engine removes; the engine then judges the rest in batches.
    pub fn sql_prefilter(&self) -> SqlCondition {
        let profile = &self.profile;
        let mut cond = SqlCondition::all();
        if let Some(birth) = profile.birth_date
            && birth <= self.on
        {
            let age = eligibility::age_on(birth, self.on) as i32;
            cond = cond.add(exclude_offers_failing(
                ConditionKind::Age,
                SqlCondition::any()
                    .add(Expr::col("min_age").gt(age))
                    .add(Expr::col("max_age").lt(age)),
            ));
        }
        if let Some(commune) = &profile.residence_commune_code {
            let pattern = format!("%\"{}\"%", escape_like(&commune.trim().to_uppercase()));
            cond = cond.add(exclude_offers_failing(
                ConditionKind::ResidenceZone,
                SqlCondition::all()
                    .add(Expr::col("zone_kind").eq(ZoneKind::Communes.code()))
                    .add(Expr::col("zone_codes").not_like(LikeExpr::new(pattern).escape('\\'))),
            ));
        }
        for (told, zone) in [
            (profile.lives_in_qpv, ZoneKind::Qpv),
            (profile.lives_in_zrr, ZoneKind::Zrr),
        ] {
            if told == Some(false) {
                cond = cond.add(exclude_offers_failing(
                    ConditionKind::ResidenceZone,
                    SqlCondition::all().add(Expr::col("zone_kind").eq(zone.code())),
                ));
            }
        }
        for (told, kind) in [
            (profile.driving_licence, ConditionKind::DrivingLicence),
            (
                profile.recognised_disability,
                ConditionKind::RecognisedDisability,
            ),
            (
                profile.prescribed_by_authorised_prescriber,
                ConditionKind::PrescriptionRequired,
            ),
        ] {
            if told == Some(false) {
                cond = cond.add(exclude_offers_failing(kind, SqlCondition::all()));
            }
        }
        cond
    }
}
