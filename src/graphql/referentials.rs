//! `referentials`: every code list with French and English labels, for front-ends to build their menus.
use async_graphql::{Context, Object, SimpleObject};
use entity::enums as db;
use entity::sector;
use sea_orm::{EntityTrait, QueryOrder};

use super::context;
use super::enums::{
    ApplyChannel, Barrier, ConditionKind, ContractType, Country, DeliveryMode, DisabledWorkerFit,
    Fees, IaeCriterion, Labelled, Mobiliser, OfferKind, OfferStatus, OrganisationKind, Public,
    Recruitment, SlotStatus, TestimonialRole, TestimonialStatus, ZoneKind,
};
use super::types::offer::Sector;
use crate::catalogue::occupations::{self, LabelledCode};
use crate::catalogue::quality::Subject;
use crate::catalogue::reference;
use crate::eligibility;
use crate::error::AppError;

/// One value of an enum: its GraphQL name, its public exchange code and its labels.
#[derive(SimpleObject)]
pub struct ReferentialValue {
    /// The GraphQL enum value, e.g. "SUPPORTED_JOB".
    pub value: String,
    /// The code in the exchange formats (data·inclusion…), e.g. "demandeurs-emploi".
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
}

/// The proof of one IAE criterion and how recent it must be (arrêté du 1er septembre
/// 2021 as amended on 4 September 2025, from `reference/iae-criteria.json`).
#[derive(SimpleObject)]
pub struct IaeCriterionProof {
    pub criterion: IaeCriterion,
    /// 1 or 2.
    pub level: i32,
    /// What to bring, in French.
    pub proof_fr: String,
    pub proof_en: String,
    /// How recent it must be, in French ("de moins de 3 mois").
    pub validity_fr: String,
    pub validity_en: String,
    /// At most this many months old when the PASS IAE is issued; null when the proof
    /// need only be valid on the day of hiring.
    pub validity_months: Option<i32>,
    /// The national platform can certify the criterion itself, with no paper (RSA, AAH
    /// and single parent since 2025–26).
    pub certified_automatically: bool,
}

impl IaeCriterionProof {
    /// The proof of `criterion`; `None` only if the reference file lacks it.
    pub fn of(criterion: db::IaeCriterion) -> Option<Self> {
        let proof = eligibility::reference::iae_proof(criterion)?;
        Some(Self {
            criterion: criterion.into(),
            level: i32::from(proof.level),
            proof_fr: proof.proof_fr.clone(),
            proof_en: proof.proof_en.clone(),
            validity_fr: proof.validity_fr.clone(),
            validity_en: proof.validity_en.clone(),
            validity_months: proof.validity_months.map(i32::from),
            certified_automatically: proof.certified_automatically,
        })
    }
}

/// A level of study as les-emplois records it (`EligibilityProfile.studyLevel`).
#[derive(SimpleObject)]
pub struct StudyLevelValue {
    /// The GraphQL enum value, e.g. "CAP_BEP_LEVEL".
    pub value: String,
    /// The ASP code les-emplois exchanges ("ref_niveau_formation"), e.g. "50".
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
    /// The national qualification levels (1–8) it may stand for.
    pub national_levels: Vec<i32>,
    /// Whether it meets the IAE criterion CAP_BEP (CAP/BEP level or below).
    pub meets_cap_bep: bool,
}

/// A data·inclusion theme.
#[derive(SimpleObject)]
pub struct Theme {
    pub code: String,
    /// The theme's category code, e.g. "mobilite".
    pub category: String,
    pub label_fr: String,
}

fn values<T: Labelled + Copy>() -> Vec<ReferentialValue> {
    T::items()
        .iter()
        .map(|item| {
            let (code, label_fr, label_en) = item.value.labels();
            ReferentialValue {
                value: item.name.to_owned(),
                code: code.to_owned(),
                label_fr: label_fr.to_owned(),
                label_en: label_en.to_owned(),
            }
        })
        .collect()
}

/// A code of a national list (ROME, FORMACODE) and its French label.
#[derive(SimpleObject)]
pub struct NationalCode {
    pub code: String,
    pub label_fr: String,
}

impl From<&LabelledCode> for NationalCode {
    fn from(entry: &LabelledCode) -> Self {
        Self {
            code: entry.code.clone(),
            label_fr: entry.label.clone(),
        }
    }
}

/// What the quality score is made of.
#[derive(SimpleObject)]
pub struct QualityCheckValue {
    /// OFFER or ORGANISATION.
    pub subject: String,
    pub code: String,
    pub weight: i32,
    pub message_fr: String,
    pub message_en: String,
}

pub struct Referentials;

/// Every code list of the API, labelled.
#[Object]
impl Referentials {
    async fn organisation_kinds(&self) -> Vec<ReferentialValue> {
        values::<OrganisationKind>()
    }
    async fn countries(&self) -> Vec<ReferentialValue> {
        values::<Country>()
    }
    async fn offer_kinds(&self) -> Vec<ReferentialValue> {
        values::<OfferKind>()
    }
    async fn publics(&self) -> Vec<ReferentialValue> {
        values::<Public>()
    }
    async fn barriers(&self) -> Vec<ReferentialValue> {
        values::<Barrier>()
    }
    async fn delivery_modes(&self) -> Vec<ReferentialValue> {
        values::<DeliveryMode>()
    }
    async fn offer_statuses(&self) -> Vec<ReferentialValue> {
        values::<OfferStatus>()
    }
    async fn contract_types(&self) -> Vec<ReferentialValue> {
        values::<ContractType>()
    }
    async fn fees(&self) -> Vec<ReferentialValue> {
        values::<Fees>()
    }
    async fn apply_channels(&self) -> Vec<ReferentialValue> {
        values::<ApplyChannel>()
    }
    async fn slot_statuses(&self) -> Vec<ReferentialValue> {
        values::<SlotStatus>()
    }
    async fn slot_recruitments(&self) -> Vec<ReferentialValue> {
        values::<Recruitment>()
    }
    async fn testimonial_roles(&self) -> Vec<ReferentialValue> {
        values::<TestimonialRole>()
    }
    async fn testimonial_statuses(&self) -> Vec<ReferentialValue> {
        values::<TestimonialStatus>()
    }
    async fn condition_kinds(&self) -> Vec<ReferentialValue> {
        values::<ConditionKind>()
    }
    async fn zone_kinds(&self) -> Vec<ReferentialValue> {
        values::<ZoneKind>()
    }
    async fn iae_criteria(&self) -> Vec<ReferentialValue> {
        values::<IaeCriterion>()
    }
    /// The proof of each IAE criterion, to tell a job seeker what to bring.
    async fn iae_criterion_proofs(&self) -> Vec<IaeCriterionProof> {
        db::IaeCriterion::ALL
            .iter()
            .filter_map(|&criterion| IaeCriterionProof::of(criterion))
            .collect()
    }
    /// Levels of study as the national platform les-emplois records them, lowest first.
    async fn study_levels(&self) -> Vec<StudyLevelValue> {
        eligibility::reference::study_levels()
            .iter()
            .filter_map(|entry| {
                let level = entry.study_level()?;
                Some(StudyLevelValue {
                    value: entry.value.clone(),
                    code: entry.code.clone(),
                    label_fr: entry.label_fr.clone(),
                    label_en: entry.label_en.clone(),
                    national_levels: (level.lowest()..=level.highest()).map(i32::from).collect(),
                    meets_cap_bep: level.cap_bep_or_below() == eligibility::Outcome::Met,
                })
            })
            .collect()
    }
    /// Sectors (filières); the list is open and grows.
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<Sector>, AppError> {
        let sectors = sector::Entity::find()
            .order_by_asc(sector::Column::Position)
            .order_by_asc(sector::Column::Code)
            .all(context::db(ctx)?)
            .await?;
        Ok(sectors
            .into_iter()
            .map(|s| Sector {
                code: s.code,
                label_fr: s.label_fr,
                label_en: s.label_en,
            })
            .collect())
    }
    async fn disabled_worker_fits(&self) -> Vec<ReferentialValue> {
        values::<DisabledWorkerFit>()
    }
    async fn mobilisers(&self) -> Vec<ReferentialValue> {
        values::<Mobiliser>()
    }
    /// Every ROME fiche (France Travail), from `reference/rome.json`.
    async fn rome_codes(&self) -> Vec<NationalCode> {
        occupations::rome_codes().iter().map(Into::into).collect()
    }
    /// The FORMACODE codes the catalogue holds labels for, from `reference/formacode.json`
    /// (other well-formed codes are accepted too).
    async fn formacodes(&self) -> Vec<NationalCode> {
        occupations::formacodes().iter().map(Into::into).collect()
    }
    /// The checks of `quality`, with their weights, for offers and organisations.
    async fn quality_checks(&self) -> Vec<QualityCheckValue> {
        [
            (Subject::Offer, "OFFER"),
            (Subject::Organisation, "ORGANISATION"),
        ]
        .into_iter()
        .flat_map(|(subject, name)| {
            subject.checks().iter().map(move |check| QualityCheckValue {
                subject: name.to_owned(),
                code: check.code.clone(),
                weight: check.weight,
                message_fr: check.fr.clone(),
                message_en: check.en.clone(),
            })
        })
        .collect()
    }
    /// data·inclusion v1 themes (French labels, as published).
    async fn themes(&self) -> Vec<Theme> {
        reference::themes()
            .iter()
            .map(|theme| Theme {
                code: theme.code.clone(),
                category: theme.code.split("--").next().unwrap_or_default().to_owned(),
                label_fr: theme.label.clone(),
            })
            .collect()
    }
}
