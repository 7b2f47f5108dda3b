//! Persisted queries: Apollo's automatic persisted queries (`extensions.persistedQuery
//! { version: 1, sha256Hash }`) and the allow-list mode (`PERSISTED_QUERIES_ONLY`), where only
//! the queries an admin registered run.
//!
//! Not async-graphql's `ApolloPersistedQueries`: it keeps queries in one instance's memory
//! (a hash registered on one instance is unknown to the others), stores a query before it
//! is validated (anyone can fill it), has no allow-list, no error codes, and hands the
//! engine a parsed document without its text, which skips our text-nesting check. Here the
//! queries live in the database (`persisted_queries`), with a small LRU of known hashes in
//! front; the query text is put back in the request, so every limit applies as usual.
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use async_graphql::Value;
use chrono::Utc;
use lru::LruCache;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

const TABLE: &str = "persisted_queries";
/// Registered on the command line: part of the allow-list.
const ADMIN: &str = "admin";
/// Registered by a client through APQ.
const AUTOMATIC: &str = "automatic";
/// Known hashes kept in memory (a query is immutable for its hash: no invalidation).
const KNOWN_IN_MEMORY: usize = 2048;

/// The lower-case hex SHA-256 of a query's UTF-8 text, as Apollo clients compute it.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[derive(Clone)]
struct Known {
    query: Arc<str>,
    admin: bool,
}

/// A query to store once it has parsed and validated (see `PersistedQueries::register`).
pub struct Registration {
    hash: String,
    query: String,
}

/// The store of persisted queries of one instance: the database, and the hashes it knows.
pub struct PersistedQueries {
    db: DatabaseConnection,
    known: Mutex<LruCache<String, Known>>,
    only_registered: bool,
    max_automatic: u64,
    max_query_bytes: usize,
}

fn field_error(field: &str, message: &str) -> AppError {
    AppError::BadRequestField {
        field: format!("extensions.persistedQuery{field}"),
        message: message.to_owned(),
    }
}

fn not_allowed() -> AppError {
    AppError::PersistedQueryNotAllowed(
        "this server runs registered queries only (PERSISTED_QUERIES_ONLY): send the sha256Hash of a query an admin registered"
            .into(),
    )
}

/// The hash of an `extensions.persistedQuery` value, checked.
fn requested_hash(extension: &Value) -> AppResult<String> {
    let Value::Object(fields) = extension else {
        return Err(field_error(
            "",
            "persistedQuery must be an object { version: 1, sha256Hash }",
        ));
    };
    match fields.get("version") {
        Some(Value::Number(version)) if version.as_i64() == Some(1) => {}
        _ => {
            return Err(field_error(
                ".version",
                "only version 1 of the persisted-query protocol is supported",
            ));
        }
    }
    match fields.get("sha256Hash") {
        Some(Value::String(hash))
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Ok(hash.to_ascii_lowercase())
        }
        _ => Err(field_error(
            ".sha256Hash",
            "sha256Hash must be the SHA-256 of the query text in hexadecimal (64 characters)",
        )),
    }
}

impl PersistedQueries {
    /// `max_automatic` bounds the queries clients may register (admins' are not counted);
    /// `max_query_bytes` the size of one (the body limit).
    pub fn new(
        db: DatabaseConnection,
        only_registered: bool,
        max_automatic: u64,
        max_query_bytes: usize,
    ) -> Self {
        Self {
            db,
            known: Mutex::new(LruCache::new(
                NonZeroUsize::new(KNOWN_IN_MEMORY).unwrap_or(NonZeroUsize::MIN),
            )),
            only_registered,
            max_automatic,
            max_query_bytes,
        }
    }

    fn known(&self) -> std::sync::MutexGuard<'_, LruCache<String, Known>> {
        // Every change is one call: a poisoned lock still holds a consistent map.
        self.known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Applies the protocol to `request`: a hash alone gets its query text back (or
    /// `PersistedQueryNotFound`); a hash with a text must be that text's hash; in the
    /// allow-list mode only registered queries pass, except for `trusted` callers
    /// (editors and admins, who use GraphiQL). Returns what to register once the query is
    /// known to parse and validate.
    pub async fn resolve(
        &self,
        request: &mut async_graphql::Request,
        trusted: bool,
    ) -> AppResult<Option<Registration>> {
        let restricted = self.only_registered && !trusted;
        let Some(extension) = request.extensions.remove("persistedQuery") else {
            if restricted {
                let hash = sha256_hex(&request.query);
                if !self.lookup(&hash).await?.is_some_and(|known| known.admin) {
                    return Err(not_allowed());
                }
            }
            return Ok(None);
        };
        let hash = requested_hash(&extension)?;
        if request.query.is_empty() {
            return match self.lookup(&hash).await? {
                Some(known) if known.admin || !restricted => {
                    request.query = known.query.to_string();
                    Ok(None)
                }
                _ => Err(AppError::PersistedQueryNotFound),
            };
        }
        if sha256_hex(&request.query) != hash {
            return Err(field_error(
                ".sha256Hash",
                "sha256Hash is not the SHA-256 of the query text (lower-case hex of its UTF-8 bytes)",
            ));
        }
        match self.lookup(&hash).await? {
            Some(known) if restricted && !known.admin => Err(not_allowed()),
            Some(_) => Ok(None),
            None if restricted => Err(not_allowed()),
            // The allow-list is the admins' to fill; nor is a query larger than a request
            // body could be kept.
            None if self.only_registered || request.query.len() > self.max_query_bytes => Ok(None),
            None => Ok(Some(Registration {
                hash,
                query: request.query.clone(),
            })),
        }
    }

    /// The query of `hash`: from memory, else from the database (misses are not kept in
    /// memory, so a hash registered on another instance is found at the next request).
    async fn lookup(&self, hash: &str) -> AppResult<Option<Known>> {
        if let Some(known) = self.known().get(hash).cloned() {
            return Ok(Some(known));
        }
        let select = Query::select()
            .columns(["query", "origin"])
            .from(TABLE)
            .and_where(Expr::col("sha256_hash").eq(hash))
            .take();
        let Some(row) = self.db.query_one(&select).await? else {
            return Ok(None);
        };
        let query: String = row.try_get("", "query")?;
        let origin: String = row.try_get("", "origin")?;
        let known = Known {
            query: query.into(),
            admin: origin == ADMIN,
        };
        self.known().put(hash.to_owned(), known.clone());
        Ok(Some(known))
    }

    /// Stores a query a client sent with its hash, once it parsed and validated; past
    /// `max_automatic` stored queries the request still runs but nothing is stored. A
    /// failure here is logged: the answer is computed already.
    pub async fn register(&self, registration: Registration) {
        if let Err(error) = self.try_register(&registration).await {
            error.log_if_internal();
            tracing::warn!(%error, "persisted query not stored");
        }
    }

    async fn try_register(&self, registration: &Registration) -> AppResult<()> {
        let count = Query::select()
            .expr_as(Func::count(Expr::col("sha256_hash")), Alias::new("stored"))
            .from(TABLE)
            .and_where(Expr::col("origin").eq(AUTOMATIC))
            .take();
        let stored: i64 = match self.db.query_one(&count).await? {
            Some(row) => row.try_get("", "stored")?,
            None => 0,
        };
        if u64::try_from(stored).unwrap_or(u64::MAX) >= self.max_automatic {
            tracing::warn!(
                max = self.max_automatic,
                "PERSISTED_QUERIES_MAX reached: a new automatic persisted query runs but is not stored"
            );
            return Ok(());
        }
        insert(&self.db, &registration.hash, &registration.query, AUTOMATIC).await?;
        Ok(())
    }
}

async fn insert(db: &impl ConnectionTrait, hash: &str, query: &str, origin: &str) -> AppResult<()> {
    let mut insert = Query::insert();
    insert
        .into_table(TABLE)
        .columns(["sha256_hash", "query", "origin", "created_at"])
        .values([
            hash.into(),
            query.into(),
            origin.into(),
            Utc::now().timestamp().into(),
        ])
        .map_err(|error| AppError::Internal(format!("persisted query insert: {error}")))?;
    let on_conflict = if origin == ADMIN {
        // An admin registering a query a client stored already puts it on the allow-list.
        OnConflict::column("sha256_hash")
            .update_column("origin")
            .to_owned()
    } else {
        OnConflict::column("sha256_hash").do_nothing().to_owned()
    };
    insert.on_conflict(on_conflict);
    db.execute(&insert).await?;
    Ok(())
}

/// Registers `query` on the allow-list (the command line's `admin register-queries`);
/// returns its hash. The text is stored exactly as given: clients must send these bytes.
pub async fn register_admin(db: &impl ConnectionTrait, query: &str) -> AppResult<String> {
    use crate::graphql::limits::{MAX_TEXT_NESTING, text_nesting};
    if query.trim().is_empty() {
        return Err(AppError::validation("query", "the file holds no query"));
    }
    if text_nesting(query) > MAX_TEXT_NESTING {
        return Err(AppError::QueryTooDeep(format!(
            "the query nests brackets more than {MAX_TEXT_NESTING} deep"
        )));
    }
    if let Err(error) = async_graphql::parser::parse_query(query) {
        return Err(AppError::validation(
            "query",
            format!("the query does not parse: {error}"),
        ));
    }
    let hash = sha256_hex(query);
    insert(db, &hash, query, ADMIN).await?;
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_apollos_lower_case_hex_sha256() {
        assert_eq!(
            sha256_hex("{ __typename }"),
            "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"
        );
    }

    #[test]
    fn a_malformed_extension_names_its_field() {
        let bad = |value: serde_json::Value| {
            let value = Value::from_json(value).expect("a GraphQL value");
            match requested_hash(&value) {
                Err(AppError::BadRequestField { field, .. }) => field,
                other => panic!("expected a field error, got {:?}", other.map(|_| ())),
            }
        };
        assert_eq!(
            bad(serde_json::json!({ "version": 2, "sha256Hash": "ab" })),
            "extensions.persistedQuery.version"
        );
        assert_eq!(
            bad(serde_json::json!({ "version": 1, "sha256Hash": "xyz" })),
            "extensions.persistedQuery.sha256Hash"
        );
        assert_eq!(bad(serde_json::json!("hash")), "extensions.persistedQuery");
    }
}
