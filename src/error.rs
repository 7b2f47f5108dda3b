//! `AppError`: every failure with a stable machine code, and its one mapping to GraphQL errors.
use std::sync::Arc;

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

/// A failure the API reports. Database and internal details are logged, never sent.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    /// A bad input value; `field` is the path of the argument or input field.
    #[error("{message}")]
    Validation { field: String, message: String },
    #[error("{message}")]
    Conflict {
        message: String,
        current_version: Option<i32>,
    },
    #[error("rate limit exceeded, retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("internal error")]
    Database(#[source] Arc<DbErr>),
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// The stable code clients branch on (`extensions.code`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "NOT_FOUND",
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::Validation { .. } => "VALIDATION",
            Self::Conflict { .. } => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Database(_) | Self::Internal(_) => "INTERNAL",
        }
    }

    /// A validation error on `field`.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error with its field placed under `parent`: the domain names its own fields
    /// (`sector`, `conditions.1.maxAge`) and each caller adds where they sit in its request
    /// (`input.` for a GraphQL mutation; a line or JSON pointer for an importer).
    pub fn within(self, parent: &str) -> Self {
        match self {
            Self::Validation { field, message } if field.is_empty() => Self::Validation {
                field: parent.to_owned(),
                message,
            },
            Self::Validation { field, message } => Self::Validation {
                field: format!("{parent}.{field}"),
                message,
            },
            other => other,
        }
    }
}

/// Constraint violations are the client's to fix (a name taken, a row that does not
/// exist): they become CONFLICT or VALIDATION here, in one place, with no SQL text; every
/// other database error stays INTERNAL.
impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                tracing::info!(%detail, "unique constraint refused a write");
                Self::Conflict {
                    message:
                        "this would duplicate an existing record (a name or code already in use)"
                            .into(),
                    current_version: None,
                }
            }
            Some(SqlErr::ForeignKeyConstraintViolation(detail)) => {
                tracing::info!(%detail, "foreign key refused a write");
                Self::validation("input", "this refers to a record that does not exist")
            }
            _ => Self::Database(Arc::new(error)),
        }
    }
}

impl From<Arc<DbErr>> for AppError {
    fn from(error: Arc<DbErr>) -> Self {
        Self::Database(error)
    }
}

impl AppError {
    /// Logs what must not reach a client (database and internal details); every path that
    /// answers an error to a client calls this first.
    pub fn log_if_internal(&self) {
        match self {
            Self::Database(source) => tracing::error!(error = %source, "database error"),
            Self::Internal(detail) => tracing::error!(error = %detail, "internal error"),
            _ => {}
        }
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(error: AppError) -> Self {
        error.log_if_internal();
        let code = error.code();
        async_graphql::Error::new(error.to_string()).extend_with(|_, extensions| {
            extensions.set("code", code);
            match &error {
                AppError::Validation { field, .. } => extensions.set("field", field.as_str()),
                AppError::Conflict {
                    current_version: Some(version),
                    ..
                } => extensions.set("currentVersion", *version),
                AppError::RateLimited { retry_after_secs } => {
                    extensions.set("retryAfter", *retry_after_secs)
                }
                _ => {}
            }
        })
    }
}

/// Result of the domain layer.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_error_is_answered_without_its_details() {
        let error: async_graphql::Error =
            AppError::from(DbErr::Custom("relation \"offers\" does not exist".into())).into();
        assert_eq!(error.message, "internal error");
        let extensions = error.extensions.expect("has extensions");
        assert_eq!(
            extensions.get("code"),
            Some(&async_graphql::Value::from("INTERNAL"))
        );
    }

    #[test]
    fn a_domain_field_is_placed_under_its_parent() {
        let error = AppError::validation("conditions.1.maxAge", "too low").within("input");
        assert!(
            matches!(error, AppError::Validation { field, .. } if field == "input.conditions.1.maxAge")
        );
        let error = AppError::validation("", "bad").within("input");
        assert!(matches!(error, AppError::Validation { field, .. } if field == "input"));
    }

    #[test]
    fn a_validation_error_names_its_field() {
        let error: async_graphql::Error =
            AppError::validation("filter.near.latitude", "out of range").into();
        let extensions = error.extensions.expect("has extensions");
        assert_eq!(
            extensions.get("field"),
            Some(&async_graphql::Value::from("filter.near.latitude"))
        );
    }
}
