//! Eligibility in the API: the `EligibilityProfile` input, `checkEligibility`, and the verdict enums.
//! The profile lives only for the request: it is never stored, and never logged.
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use entity::enums as db;

use super::context;
use super::enums::{Country, IaeCriterion};
use super::ids::{self, NodeType};
use super::scalars::Date;
use super::types::condition::EligibilityCondition;
use crate::catalogue::eligibility_match::{EligibilityQuery, evaluate_offer};
use crate::catalogue::lookup;
use crate::catalogue::nested::{conditions_by_offer, organisations_by_ids};
use crate::eligibility::{
    self, BelgianCertificate as EngineCertificate, Benefit as EngineBenefit, Outcome, Profile,
    Verdict,
};
use crate::error::AppError;

/// A social benefit received.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Benefit {
    /// Revenu de solidarité active.
    Rsa,
    /// Allocation de solidarité spécifique.
    Ass,
    /// Allocation aux adultes handicapés.
    Aah,
}

/// Highest Belgian certificate held.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum BelgianCertificate {
    None,
    /// Certificat d'études de base (primary school).
    Ceb,
    /// First degree of secondary school.
    #[graphql(name = "CE1D")]
    Ce1d,
    /// Second degree of secondary school.
    #[graphql(name = "CE2D")]
    Ce2d,
    /// Certificat d'enseignement secondaire supérieur (upper secondary).
    Cess,
    HigherEducation,
}

/// What a job seeker tells about themselves. Every field is optional: a missing one makes
/// the conditions that need it UNKNOWN, never a silent "no". Nothing of it is stored or logged.
#[derive(InputObject, Clone, Default)]
#[graphql(name = "EligibilityProfile")]
pub struct EligibilityProfileInput {
    pub birth_date: Option<Date>,
    /// Date of registration as a job seeker.
    pub job_seeker_since: Option<Date>,
    pub registered_job_seeker: Option<bool>,
    /// Benefits received; an empty list means none.
    pub benefits: Option<Vec<Benefit>>,
    /// French diploma level 1–8 (3 = CAP/BEP, 4 = baccalauréat).
    pub diploma_level: Option<i32>,
    /// INSEE (France) or INS (Belgium) code of the commune of residence.
    pub residence_commune_code: Option<String>,
    pub lives_in_qpv: Option<bool>,
    pub lives_in_zrr: Option<bool>,
    pub recognised_disability: Option<bool>,
    pub single_parent: Option<bool>,
    pub homeless: Option<bool>,
    pub refugee: Option<bool>,
    pub left_child_welfare: Option<bool>,
    pub left_detention: Option<bool>,
    pub french_below_a1: Option<bool>,
    pub mobility_problem: Option<bool>,
    pub driving_licence: Option<bool>,
    pub prescribed_by_authorised_prescriber: Option<bool>,
    pub country: Option<Country>,
    pub registered_with_forem: Option<bool>,
    pub highest_belgian_certificate: Option<BelgianCertificate>,
}

// No `Debug`: a profile must not end up in a log line by accident.
impl std::fmt::Debug for EligibilityProfileInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EligibilityProfile { .. }")
    }
}

impl EligibilityProfileInput {
    /// The engine's profile, validated at `on`; `path` prefixes the field of an error.
    pub fn into_query(self, on: NaiveDate, path: &str) -> Result<EligibilityQuery, AppError> {
        let diploma_level = match self.diploma_level {
            None => None,
            Some(level) => Some(u8::try_from(level).map_err(|_| {
                AppError::validation(
                    format!("{path}.diplomaLevel"),
                    "diplomaLevel must be between 1 and 8",
                )
            })?),
        };
        let profile = Profile {
            birth_date: self.birth_date.map(|d| d.0),
            job_seeker_since: self.job_seeker_since.map(|d| d.0),
            registered_job_seeker: self.registered_job_seeker,
            benefits: self.benefits.map(|list| {
                list.into_iter()
                    .map(|b| match b {
                        Benefit::Rsa => EngineBenefit::Rsa,
                        Benefit::Ass => EngineBenefit::Ass,
                        Benefit::Aah => EngineBenefit::Aah,
                    })
                    .collect()
            }),
            diploma_level,
            residence_commune_code: self.residence_commune_code,
            lives_in_qpv: self.lives_in_qpv,
            lives_in_zrr: self.lives_in_zrr,
            recognised_disability: self.recognised_disability,
            single_parent: self.single_parent,
            homeless: self.homeless,
            refugee: self.refugee,
            left_child_welfare: self.left_child_welfare,
            left_detention: self.left_detention,
            french_below_a1: self.french_below_a1,
            mobility_problem: self.mobility_problem,
            driving_licence: self.driving_licence,
            prescribed_by_authorised_prescriber: self.prescribed_by_authorised_prescriber,
            country: self.country.map(db::Country::from),
            registered_with_forem: self.registered_with_forem,
            highest_belgian_certificate: self.highest_belgian_certificate.map(|c| match c {
                BelgianCertificate::None => EngineCertificate::None,
                BelgianCertificate::Ceb => EngineCertificate::Ceb,
                BelgianCertificate::Ce1d => EngineCertificate::Ce1d,
                BelgianCertificate::Ce2d => EngineCertificate::Ce2d,
                BelgianCertificate::Cess => EngineCertificate::Cess,
                BelgianCertificate::HigherEducation => EngineCertificate::HigherEducation,
            }),
        };
        if let Err(errors) = eligibility::validate(&profile, on) {
            let message = errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let field = errors.first().map(|e| e.field).unwrap_or("profile");
            return Err(AppError::validation(format!("{path}.{field}"), message));
        }
        Ok(EligibilityQuery { profile, on })
    }
}

/// The answer for a whole offer.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum EligibilityVerdict {
    /// Every mandatory condition is met.
    Eligible,
    /// At least one mandatory condition is not met.
    NotEligible,
    /// No mandatory condition fails, but some cannot be checked with what was told.
    Unknown,
}

impl From<Verdict> for EligibilityVerdict {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Eligible => Self::Eligible,
            Verdict::NotEligible => Self::NotEligible,
            Verdict::Unknown => Self::Unknown,
        }
    }
}

/// The answer for one condition.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ConditionResult {
    Met,
    NotMet,
    Unknown,
}

impl From<Outcome> for ConditionResult {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Met => Self::Met,
            Outcome::NotMet => Self::NotMet,
            Outcome::Unknown => Self::Unknown,
        }
    }
}

/// One condition and how it stands for the profile.
#[derive(SimpleObject)]
pub struct ConditionCheck {
    pub condition: EligibilityCondition,
    pub result: ConditionResult,
    /// In plain French, addressed to the job seeker.
    pub reason: String,
    /// The same reason in English.
    pub reason_en: String,
}

/// The IAE criteria the profile meets, for an offer with the IAE condition.
#[derive(SimpleObject)]
pub struct IaeCheck {
    pub level1_met: Vec<IaeCriterion>,
    pub level2_met: Vec<IaeCriterion>,
    /// 2 for AI and ETTI, 3 for ACI, EI and EITI.
    pub level2_required: i32,
    /// A referral by an authorised prescriber waives the criteria.
    pub waived_by_prescriber: bool,
}

/// The answer of `checkEligibility`.
#[derive(SimpleObject)]
pub struct EligibilityCheck {
    pub verdict: EligibilityVerdict,
    pub conditions: Vec<ConditionCheck>,
    /// Null when the offer has no IAE condition.
    pub iae: Option<IaeCheck>,
}

#[derive(Default)]
pub struct EligibilityQueryRoot;

#[Object]
impl EligibilityQueryRoot {
    /// Can this person join this offer? A verdict and one line per condition, with reasons.
    /// The profile is evaluated and forgotten: never stored, never logged.
    #[graphql(complexity = "crate::graphql::cost::ELIGIBILITY_CHECK + child_complexity")]
    async fn check_eligibility(
        &self,
        ctx: &Context<'_>,
        offer_id: ID,
        profile: EligibilityProfileInput,
        #[graphql(desc = "The day to judge on (ages, registration length); default today.")]
        on: Option<Date>,
    ) -> Result<EligibilityCheck, AppError> {
        let offer_id = ids::decode_as(&offer_id, NodeType::Offer, "offerId")?;
        let on = match on {
            Some(date) => date.0,
            None => context::today(ctx)?,
        };
        let query = profile.into_query(on, "profile")?;
        let db = context::db(ctx)?;
        let visibility = context::actor(ctx)?.visibility();
        let offer = lookup::visible_offer(db, offer_id, &visibility)
            .await?
            .ok_or_else(|| AppError::NotFound("offer".into()))?;
        let organisation_kind = organisations_by_ids(db, &[offer.organisation_id])
            .await?
            .remove(&offer.organisation_id)
            .map_or(db::OrganisationKind::Other, |o| o.kind);
        let conditions = conditions_by_offer(db, &[offer.id])
            .await?
            .remove(&offer.id)
            .unwrap_or_default();
        let evaluation = evaluate_offer(&conditions, organisation_kind, &query);
        Ok(EligibilityCheck {
            verdict: evaluation.verdict.into(),
            conditions: conditions
                .into_iter()
                .zip(evaluation.results)
                .map(|(model, result)| ConditionCheck {
                    condition: EligibilityCondition(model),
                    result: result.outcome.into(),
                    reason: result.reason.fr,
                    reason_en: result.reason.en,
                })
                .collect(),
            iae: evaluation.iae.map(|iae| IaeCheck {
                level1_met: iae.level1_met.into_iter().map(Into::into).collect(),
                level2_met: iae.level2_met.into_iter().map(Into::into).collect(),
                level2_required: i32::from(iae.level2_required),
                waived_by_prescriber: iae.waived_by_prescriber,
            }),
        })
    }
}
