//! `Quality`: how complete and trustworthy a record is, with what an editor can do about it.
use async_graphql::{Context, SimpleObject};

use super::super::context;
use super::super::loaders::QualityKey;
use crate::catalogue::quality::{self, Subject};
use crate::error::AppError;

/// A score from 0 to 1 and the checks the record fails, heaviest first.
#[derive(SimpleObject)]
pub struct Quality {
    /// Weights of the checks passed over all weights (`referentials.qualityChecks`), 0 to 1.
    pub score: f64,
    pub issues: Vec<QualityIssue>,
}

/// One check a record fails.
#[derive(SimpleObject)]
pub struct QualityIssue {
    /// A stable code, e.g. NO_WAY_TO_APPLY.
    pub code: String,
    /// What to do about it, in French.
    pub message: String,
    /// The same, in English.
    pub message_en: String,
    /// Its weight in the score.
    pub weight: i32,
}

impl From<&quality::QualityCheck> for QualityIssue {
    fn from(check: &quality::QualityCheck) -> Self {
        Self {
            code: check.code.clone(),
            message: check.fr.clone(),
            message_en: check.en.clone(),
            weight: check.weight,
        }
    }
}

/// The quality of the record `id` of `subject`, loaded in one batch for the whole request.
pub async fn load_quality(
    ctx: &Context<'_>,
    subject: Subject,
    id: i32,
) -> Result<Quality, AppError> {
    let clock = context::quality_clock(ctx)?;
    let found = context::loader(ctx)?
        .load_one(QualityKey(subject, id, clock))
        .await?
        .ok_or_else(|| AppError::Internal(format!("no quality for {subject:?} {id}")))?;
    Ok(Quality {
        score: found.score,
        issues: found.issues.into_iter().map(QualityIssue::from).collect(),
    })
}
