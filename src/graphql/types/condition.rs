//! `EligibilityCondition`: one typed condition of an offer, with its parameters.
use async_graphql::{ID, Object, SimpleObject};
use entity::eligibility_condition;

use super::super::enums::{ConditionKind, ZoneKind};
use super::super::ids::{self, NodeType};

pub struct EligibilityCondition(pub eligibility_condition::Model);

/// The zone a residence condition names.
#[derive(SimpleObject)]
pub struct ResidenceZone {
    pub kind: ZoneKind,
    /// Commune or département codes, for COMMUNES and DEPARTEMENTS.
    pub codes: Vec<String>,
}

/// A machine-checkable condition (or a free-text one a machine cannot check).
#[Object]
impl EligibilityCondition {
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::EligibilityCondition, self.0.id)
    }
    async fn kind(&self) -> ConditionKind {
        self.0.kind.into()
    }
    /// A mandatory condition decides eligibility; a preferred one only informs.
    async fn mandatory(&self) -> bool {
        self.0.mandatory
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Youngest age accepted, in whole years (AGE).
    async fn min_age(&self) -> Option<i32> {
        self.0.min_age
    }
    /// Oldest age accepted, in whole years (AGE).
    async fn max_age(&self) -> Option<i32> {
        self.0.max_age
    }
    /// Months of registration as a job seeker required (JOB_SEEKER).
    async fn min_months_registered(&self) -> Option<i32> {
        self.0.min_months_registered
    }
    /// Highest French diploma level accepted, 1–8; 3 = CAP/BEP (MAX_DIPLOMA_LEVEL).
    async fn max_diploma_level(&self) -> Option<i32> {
        self.0.max_diploma_level
    }
    /// The residence zone (RESIDENCE_ZONE).
    async fn zone(&self) -> Option<ResidenceZone> {
        self.0.zone_kind.map(|kind| ResidenceZone {
            kind: kind.into(),
            codes: serde_json::from_str(&self.0.zone_codes).unwrap_or_default(),
        })
    }
    /// CEFR level of French required, "A1" … "C2" (LANGUAGE_LEVEL).
    async fn language_level(&self) -> Option<&str> {
        self.0.language_level.as_deref()
    }
}
