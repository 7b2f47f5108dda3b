//! `AppError`: every failure with a stable machine code, and its one mapping to GraphQL errors.
use std::sync::Arc;

use async_graphql::ErrorExtensions;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// A failure the API reports. Database and internal details are logged, never sent.
/// Each variant owns its wire form: `code()`, `status()` and `retry_after()` are the only
/// places where codes, HTTP statuses and `Retry-After` are decided.
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
    /// A write that a named uniqueness constraint refused; `field` is the domain field.
    #[error("{message}")]
    AlreadyExists { field: String, message: String },
    #[error("rate limit exceeded, retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// A request that is not a GraphQL request over HTTP (body, encoding, headers).
    #[error("{0}")]
    BadRequest(String),
    /// A malformed part of the request envelope (not of a GraphQL input), e.g.
    /// `extensions.persistedQuery.sha256Hash`.
    #[error("{message}")]
    BadRequestField { field: String, message: String },
    /// Apollo's automatic persisted queries: a hash this server does not know (yet). Apollo
    /// clients match the message and send the query text with its hash.
    #[error("PersistedQueryNotFound")]
    PersistedQueryNotFound,
    /// `PERSISTED_QUERIES_ONLY`: a query that no admin registered.
    #[error("{0}")]
    PersistedQueryNotAllowed(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    RouteNotFound(String),
    /// The client took too long to send its request.
    #[error("{0}")]
    RequestTimeout(String),
    #[error("{0}")]
    QueryTooDeep(String),
    #[error("{0}")]
    QueryTooComplex(String),
    /// The request used up its time budget and was cancelled.
    /// `budget_ms` is 0 when the database cancelled a statement (its own timeout).
    #[error("{}", timeout_message(*budget_ms))]
    Timeout { budget_ms: u64 },
    /// The database cannot be reached right now: retry later.
    #[error("the catalogue is temporarily unavailable, retry in {retry_after_secs} s")]
    Unavailable { retry_after_secs: u64 },
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
            Self::Conflict { .. } | Self::AlreadyExists { .. } => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::BadRequest(_) | Self::BadRequestField { .. } => "BAD_REQUEST",
            Self::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Self::PersistedQueryNotAllowed(_) => "PERSISTED_QUERY_NOT_ALLOWED",
            Self::UnsupportedMediaType(_) => "UNSUPPORTED_MEDIA_TYPE",
            Self::PayloadTooLarge(_) => "PAYLOAD_TOO_LARGE",
            Self::MethodNotAllowed(_) => "METHOD_NOT_ALLOWED",
            Self::RouteNotFound(_) => "ROUTE_NOT_FOUND",
            Self::RequestTimeout(_) => "REQUEST_TIMEOUT",
            Self::QueryTooDeep(_) => "QUERY_TOO_DEEP",
            Self::QueryTooComplex(_) => "QUERY_TOO_COMPLEX",
            Self::Timeout { .. } => "TIMEOUT",
            Self::Unavailable { .. } => "UNAVAILABLE",
            Self::Database(_) | Self::Internal(_) => "INTERNAL",
        }
    }

    /// The HTTP status of a response that carries this error alone (a refusal before or
    /// instead of execution). Errors inside a GraphQL result keep the result's status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) | Self::RouteNotFound(_) => StatusCode::NOT_FOUND,
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            // 200, as Apollo Server answers it: Apollo's iOS and Kotlin clients treat any
            // other status as a transport failure and would not retry with the query text.
            Self::PersistedQueryNotFound => StatusCode::OK,
            Self::Validation { .. }
            | Self::BadRequest(_)
            | Self::BadRequestField { .. }
            | Self::PersistedQueryNotAllowed(_)
            | Self::QueryTooDeep(_)
            | Self::QueryTooComplex(_) => StatusCode::BAD_REQUEST,
            Self::Conflict { .. } | Self::AlreadyExists { .. } => StatusCode::CONFLICT,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Timeout { .. } | Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Seconds after which a retry may succeed (`Retry-After`, `extensions.retryAfter`).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::RateLimited { retry_after_secs } | Self::Unavailable { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            _ => None,
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
            Self::AlreadyExists { field, message } => Self::AlreadyExists {
                field: format!("{parent}.{field}"),
                message,
            },
            other => other,
        }
    }

    /// The GraphQL error body of a response that carries this error alone.
    pub fn body(&self) -> serde_json::Value {
        let error = self.graphql_error();
        let extensions = error
            .extensions
            .as_ref()
            .and_then(|extensions| serde_json::to_value(extensions).ok())
            .unwrap_or_else(|| serde_json::json!({ "code": self.code() }));
        serde_json::json!({ "errors": [{ "message": error.message, "extensions": extensions }] })
    }

    /// The whole HTTP answer for this error: its status, the GraphQL error body in
    /// `media_type`, and `Retry-After` when a retry may succeed.
    pub fn into_response(self, media_type: &'static str) -> Response {
        self.log_if_internal();
        let mut response = (
            self.status(),
            [(header::CONTENT_TYPE, HeaderValue::from_static(media_type))],
            self.body().to_string(),
        )
            .into_response();
        if let Some(seconds) = self.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

fn timeout_message(budget_ms: u64) -> String {
    let budget = match budget_ms {
        0 => "its time budget".to_owned(),
        ms => format!("its {ms} ms budget"),
    };
    format!(
        "the request took longer than {budget} and was cancelled: ask for less (smaller pages, fewer filters or fields)"
    )
}

/// How long a client should wait before retrying while the database is unreachable.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 2;

/// A named constraint that a client's write can break, and how to tell the client.
struct ConstraintRule {
    /// PostgreSQL's constraint or index name.
    postgres: &'static str,
    /// What SQLite names after "constraint failed: " (it gives columns, not the name).
    sqlite: &'static str,
    field: &'static str,
    message: &'static str,
}

/// Every constraint a client can run into, mapped to the field it concerns (the
/// realworld-axum-sqlx `on_constraint` habit). Anything else is a generic CONFLICT.
const CONSTRAINTS: &[ConstraintRule] = &[
    ConstraintRule {
        postgres: "api_clients_name_key",
        sqlite: "api_clients.name",
        field: "name",
        message: "an API client with this name already exists",
    },
    ConstraintRule {
        postgres: "sectors_pkey",
        sqlite: "sectors.code",
        field: "code",
        message: "a sector with this code already exists",
    },
    ConstraintRule {
        postgres: "idx_conditions_offer_position_unique",
        sqlite: "eligibility_conditions.offer_id, eligibility_conditions.position",
        field: "conditions",
        message: "the offer's conditions were changed at the same time: reload and try again",
    },
];

/// The constraint a database error names: PostgreSQL reports it; SQLite reports the
/// table and columns in its (documented, stable) message.
fn broken_constraint(error: &DbErr) -> Option<&'static ConstraintRule> {
    use std::ops::Deref;
    let (DbErr::Exec(RuntimeErr::SqlxError(error)) | DbErr::Query(RuntimeErr::SqlxError(error))) =
        error
    else {
        return None;
    };
    let sea_orm::sqlx::Error::Database(database) = error.deref() else {
        return None;
    };
    if let Some(name) = database.constraint() {
        return CONSTRAINTS.iter().find(|rule| rule.postgres == name);
    }
    let columns = database.message().split("constraint failed: ").nth(1)?;
    CONSTRAINTS
        .iter()
        .find(|rule| rule.sqlite == columns.trim())
}

/// Whether a database error means the database cannot be reached (down, restarting,
/// pool exhausted) rather than a fault of the statement: such requests get 503.
pub fn is_unreachable(error: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use std::ops::Deref;
    match error {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(error))
        | DbErr::Exec(RuntimeErr::SqlxError(error))
        | DbErr::Query(RuntimeErr::SqlxError(error)) => match error.deref() {
            Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
            Sqlx::Tls(_) | Sqlx::Protocol(_) => true,
            // PostgreSQL: class 08 (connection exception), 57P01-57P03 (shutting down, starting up).
            Sqlx::Database(database) => database.code().is_some_and(|code| {
                code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")
            }),
            _ => false,
        },
        DbErr::Conn(_) => true,
        _ => false,
    }
}

/// Whether the database cancelled a statement for running past `statement_timeout`.
fn is_statement_timeout(error: &DbErr) -> bool {
    use std::ops::Deref;
    matches!(error,
        DbErr::Exec(RuntimeErr::SqlxError(error)) | DbErr::Query(RuntimeErr::SqlxError(error))
            if matches!(error.deref(), sea_orm::sqlx::Error::Database(database)
                if database.code().as_deref() == Some("57014")))
}

/// Constraint violations are the client's to fix (a name taken, a row that does not
/// exist): they become CONFLICT or VALIDATION here, in one place; an unreachable database
/// is UNAVAILABLE; every other database error stays INTERNAL.
impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        if is_unreachable(&error) {
            tracing::warn!(%error, "database unreachable");
            return Self::Unavailable {
                retry_after_secs: UNAVAILABLE_RETRY_AFTER_SECS,
            };
        }
        if is_statement_timeout(&error) {
            tracing::warn!(%error, "statement cancelled by statement_timeout");
            return Self::Timeout { budget_ms: 0 };
        }
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                tracing::info!(%detail, "unique constraint refused a write");
                match broken_constraint(&error) {
                    Some(rule) => Self::AlreadyExists {
                        field: rule.field.to_owned(),
                        message: rule.message.to_owned(),
                    },
                    None => Self::Conflict {
                        message:
                            "this would duplicate an existing record (a name or code already in use)"
                                .into(),
                        current_version: None,
                    },
                }
            }
            Some(SqlErr::ForeignKeyConstraintViolation(detail)) => {
                tracing::info!(%detail, "foreign key refused a write");
                Self::validation("", "this refers to a record that does not exist")
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
        error.graphql_error()
    }
}

impl AppError {
    /// The GraphQL error: message and extensions (`code`, and `field`, `currentVersion`,
    /// `retryAfter` where they apply).
    fn graphql_error(&self) -> async_graphql::Error {
        let code = self.code();
        async_graphql::Error::new(self.to_string()).extend_with(|_, extensions| {
            extensions.set("code", code);
            match self {
                AppError::Validation { field, .. }
                | AppError::AlreadyExists { field, .. }
                | AppError::BadRequestField { field, .. } => {
                    extensions.set("field", field.as_str())
                }
                AppError::Conflict {
                    current_version: Some(version),
                    ..
                } => extensions.set("currentVersion", *version),
                _ => {}
            }
            if let Some(seconds) = self.retry_after() {
                extensions.set("retryAfter", seconds);
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
