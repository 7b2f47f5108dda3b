//! Eligibility in the API: the `EligibilityProfile` input, `checkEligibility`, and the verdict enums.
//! The profile lives only for the request: it is never stored, and never logged.
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use entity::enums as db;

use super::context;
use super::enums::{Country, IaeCriterion};
use super::ids::{self, NodeType};
use super::referentials::IaeCriterionProof;
use super::scalars::Date;
use super::types::condition::EligibilityCondition;
use crate::catalogue::eligibility_match::{EligibilityQuery, OfferOrganisation, evaluate_offer};
use crate::catalogue::lookup;
use crate::catalogue::nested::{conditions_by_offer, organisations_by_ids};
use crate::eligibility::{
    self, BelgianCertificate as EngineCertificate, Benefit as EngineBenefit, Diagnosis,
    DiagnosisAuthor as EngineAuthor, Outcome, PassIae, Profile, StudyLevel as EngineStudyLevel,
    Verdict, Waiver,
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

/// The level of study a person reached, with or without the diploma, as the national
/// platform les-emplois records it (see `referentials.studyLevels` for the labels, the
/// exchange code and the national levels each one spans).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum StudyLevel {
    NoSchooling,
    NonCertifyingQualifications,
    CompulsorySchoolingOnly,
    OneYearTraining,
    /// CAP or BEP level reached, without the diploma: meets the IAE criterion CAP_BEP.
    CapBepLevel,
    /// CAP or BEP obtained: meets the IAE criterion CAP_BEP.
    CapBepDiploma,
    /// Baccalauréat level reached, with or without the diploma: does not meet CAP_BEP.
    BacLevel,
    BtOrVocationalBac,
    BtsDutLevel,
    LicenceLevel,
    MasterDoctorateOrEngineering,
}

impl StudyLevel {
    /// The GraphQL name, which keys `reference/study-levels.json`.
    pub fn name(self) -> &'static str {
        use async_graphql::resolver_utils::EnumType;
        Self::items()
            .iter()
            .find(|item| item.value == self)
            .map_or("", |item| item.name)
    }

    fn to_engine(self) -> Result<EngineStudyLevel, AppError> {
        eligibility::reference::study_level_entry(self.name())
            .and_then(|entry| entry.study_level())
            .ok_or_else(|| AppError::Internal(format!("study level {} has no entry", self.name())))
    }
}

/// The person's latest PASS IAE.
#[derive(InputObject, Clone)]
pub struct PassIaeInput {
    /// Whether the person holds or has held a PASS IAE; `false` settles it: none.
    pub held: bool,
    /// Its last day of validity, prolongations included: today or later while it is
    /// valid; in the past once it has ended, which starts a 2-year waiting period.
    pub valid_until: Option<Date>,
}

/// Who made an IAE eligibility diagnosis.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum DiagnosisAuthorKind {
    /// An authorised prescriber (France Travail, Mission locale, Cap emploi…): valid 6
    /// months, for every structure.
    AuthorisedPrescriber,
    /// A structure (SIAE) itself: valid 92 days, and only for that structure.
    Structure,
}

/// An IAE eligibility diagnosis the person already has.
#[derive(InputObject, Clone)]
pub struct EligibilityDiagnosisInput {
    pub author: DiagnosisAuthorKind,
    /// The day it was made.
    pub made_on: Date,
    /// The structure that made it (an `Organisation` ID); required with STRUCTURE,
    /// ignored with AUTHORISED_PRESCRIBER.
    pub organisation_id: Option<ID>,
}

/// More diagnoses than anyone has: beyond, the list is refused rather than scanned.
const MAX_DIAGNOSES: usize = 20;

/// What a job seeker tells about themselves. Every field is optional: a missing one makes
/// the conditions that need it UNKNOWN, never a silent "no". Nothing of it is stored or logged.
#[derive(InputObject, Clone, Default)]
#[graphql(name = "EligibilityProfile")]
pub struct EligibilityProfileInput {
    pub birth_date: Option<Date>,
    /// Date of registration as a job seeker (France Travail; Le Forem in Wallonia).
    pub job_seeker_since: Option<Date>,
    pub registered_job_seeker: Option<bool>,
    /// Benefits received; an empty list means none.
    pub benefits: Option<Vec<Benefit>>,
    /// The level of study reached, with or without the diploma (IAE criterion CAP_BEP:
    /// CAP/BEP level or below; the baccalauréat level excludes it).
    pub study_level: Option<StudyLevel>,
    /// The level of study reached as a national level 1–8 (3 = CAP/BEP, 4 =
    /// baccalauréat), with or without the diploma. Cannot be given with `studyLevel`.
    #[graphql(
        deprecation = "Use studyLevel: this is the level of study reached, not a diploma held."
    )]
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
    /// The latest PASS IAE: while valid, no new eligibility check is needed.
    pub pass_iae: Option<PassIaeInput>,
    /// IAE eligibility diagnoses already made; an empty list means none.
    pub eligibility_diagnoses: Option<Vec<EligibilityDiagnosisInput>>,
    pub country: Option<Country>,
    /// Registered with Le Forem as an unoccupied job seeker (demandeur d'emploi inoccupé).
    pub registered_with_forem: Option<bool>,
    /// Months spent as an unoccupied job seeker in the last 24, every spell counted (0–24).
    pub unoccupied_months_in_last_24: Option<i32>,
    pub highest_belgian_certificate: Option<BelgianCertificate>,
    /// Registered with the AViQ (Agence pour une vie de qualité, ex-AWIPH).
    pub registered_with_aviq: Option<bool>,
    /// Recognised incapacity, in percent (0–100).
    pub incapacity_percent: Option<i32>,
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
        let study_level = match (self.study_level, self.diploma_level) {
            (Some(_), Some(_)) => {
                return Err(AppError::validation(
                    format!("{path}.diplomaLevel"),
                    "diplomaLevel is the deprecated name of studyLevel: give only studyLevel",
                ));
            }
            (Some(level), None) => Some(level.to_engine()?),
            (None, Some(level)) => Some(
                u8::try_from(level)
                    .ok()
                    .and_then(EngineStudyLevel::exactly)
                    .ok_or_else(|| {
                        AppError::validation(
                            format!("{path}.diplomaLevel"),
                            "diplomaLevel must be between 1 and 8",
                        )
                    })?,
            ),
            (None, None) => None,
        };
        let pass_iae = match self.pass_iae {
            None => None,
            Some(PassIaeInput {
                held: false,
                valid_until: Some(_),
            }) => {
                return Err(AppError::validation(
                    format!("{path}.passIae.validUntil"),
                    "no PASS IAE held, yet an end date is given",
                ));
            }
            Some(PassIaeInput { held: false, .. }) => Some(PassIae::None),
            Some(PassIaeInput { valid_until, .. }) => Some(PassIae::Held {
                valid_until: valid_until.map(|d| d.0),
            }),
        };
        let diagnoses = match self.eligibility_diagnoses {
            None => None,
            Some(list) if list.len() > MAX_DIAGNOSES => {
                return Err(AppError::validation(
                    format!("{path}.eligibilityDiagnoses"),
                    format!("at most {MAX_DIAGNOSES} diagnoses"),
                ));
            }
            Some(list) => Some(
                list.into_iter()
                    .enumerate()
                    .map(|(i, input)| {
                        input.into_engine(&format!("{path}.eligibilityDiagnoses.{i}"))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let small = |value: Option<i32>, field: &str, max: u8| match value {
            None => Ok(None),
            Some(n) => u8::try_from(n)
                .ok()
                .filter(|&n| n <= max)
                .map(Some)
                .ok_or_else(|| {
                    AppError::validation(
                        format!("{path}.{field}"),
                        format!("{field} must be between 0 and {max}"),
                    )
                }),
        };
        let unoccupied_months_in_last_24 = small(
            self.unoccupied_months_in_last_24,
            "unoccupiedMonthsInLast24",
            24,
        )?;
        let incapacity_percent = small(self.incapacity_percent, "incapacityPercent", 100)?;
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
            study_level,
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
            pass_iae,
            diagnoses,
            country: self.country.map(db::Country::from),
            registered_with_forem: self.registered_with_forem,
            unoccupied_months_in_last_24,
            registered_with_aviq: self.registered_with_aviq,
            incapacity_percent,
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

impl EligibilityDiagnosisInput {
    fn into_engine(self, path: &str) -> Result<Diagnosis, AppError> {
        let author = match self.author {
            DiagnosisAuthorKind::AuthorisedPrescriber => EngineAuthor::AuthorisedPrescriber,
            DiagnosisAuthorKind::Structure => {
                let field = format!("{path}.organisationId");
                let id = self.organisation_id.ok_or_else(|| {
                    AppError::validation(
                        field.clone(),
                        "a structure's diagnosis names the structure that made it",
                    )
                })?;
                EngineAuthor::Structure(ids::decode_as(&id, NodeType::Organisation, &field)?)
            }
        };
        Ok(Diagnosis {
            author,
            made_on: self.made_on.0,
        })
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

/// What makes the IAE criteria check unnecessary.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum IaeWaiver {
    /// A PASS IAE still valid: no new diagnosis is needed.
    PassIae,
    /// An authorised prescriber's eligibility diagnosis less than 6 months old.
    PrescriberDiagnosis,
    /// A referral by an authorised prescriber.
    PrescriberReferral,
    /// The structure's own eligibility diagnosis, less than 92 days old.
    StructureDiagnosis,
}

impl From<Waiver> for IaeWaiver {
    fn from(waiver: Waiver) -> Self {
        match waiver {
            Waiver::PassIae => Self::PassIae,
            Waiver::PrescriberDiagnosis => Self::PrescriberDiagnosis,
            Waiver::PrescriberReferral => Self::PrescriberReferral,
            Waiver::StructureDiagnosis => Self::StructureDiagnosis,
        }
    }
}

/// The IAE criteria the profile meets, for an offer with the IAE condition.
#[derive(SimpleObject)]
pub struct IaeCheck {
    pub level1_met: Vec<IaeCriterion>,
    pub level2_met: Vec<IaeCriterion>,
    /// 2 for AI and ETTI, 3 for ACI, EI and EITI.
    pub level2_required: i32,
    /// The person is referred by an authorised prescriber, which waives the criteria.
    pub waived_by_prescriber: bool,
    /// What makes the criteria check unnecessary; null when the criteria decide.
    pub waived_by: Option<IaeWaiver>,
    /// Last day of the 2-year waiting period after a PASS IAE, when the person is in it:
    /// until then only an authorised prescriber (referral or diagnosis) opens a pathway.
    pub waiting_period_ends_on: Option<Date>,
    /// What to bring for the criteria that make the rule met; empty when something
    /// waives the check or the criteria fall short.
    pub proofs: Vec<IaeCriterionProof>,
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
        let organisation = organisations_by_ids(db, &[offer.organisation_id])
            .await?
            .remove(&offer.organisation_id)
            .map(|o| OfferOrganisation {
                id: o.id,
                kind: o.kind,
            });
        let conditions = conditions_by_offer(db, &[offer.id])
            .await?
            .remove(&offer.id)
            .unwrap_or_default();
        let evaluation = evaluate_offer(&conditions, organisation, &query);
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
                waived_by: iae.waived_by.map(Into::into),
                waiting_period_ends_on: iae.waiting_period_until.map(Date),
                proofs: iae
                    .proofs_for
                    .into_iter()
                    .filter_map(IaeCriterionProof::of)
                    .collect(),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::resolver_utils::EnumType;

    use super::*;

    #[test]
    fn every_study_level_has_its_reference_entry_and_back() {
        for item in StudyLevel::items() {
            assert!(item.value.to_engine().is_ok(), "{}", item.name);
        }
        let names: Vec<&str> = StudyLevel::items().iter().map(|item| item.name).collect();
        for entry in eligibility::reference::study_levels() {
            assert!(names.contains(&entry.value.as_str()), "{}", entry.value);
        }
    }
}
