//! Keyset pagination: opaque cursors holding (sort key, id), and the SQL predicate that resumes after one.
//!
//! Offset paging skips or repeats rows when data changes between pages; a keyset cursor
//! resumes strictly after the last row seen, so a harvest sees every row exactly once.
//!
//! Cursors are signed (HMAC-SHA-256 with a secret every instance reads from the database),
//! so a client cannot forge one; a cursor whose key does not fit its ordering is refused too.
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::{Expr, ExprTrait, Order, SelectStatement};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::AppError;

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;
/// Page size when `first` is not given.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// The value of the sort column of one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SortKey {
    Text(String),
    Time(DateTime<Utc>),
    Date(NaiveDate),
    /// Kept as its exact bits: a decimal round trip through JSON may be off by one ulp,
    /// and the next page would then repeat or skip the row at the boundary.
    Number(#[serde(with = "exact_f64")] f64),
    /// The row has no value (e.g. no upcoming slot); such rows sort last.
    Missing,
}

mod exact_f64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{:016x}", value.to_bits()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        let hex = String::deserialize(deserializer)?;
        u64::from_str_radix(&hex, 16)
            .map(f64::from_bits)
            .map_err(serde::de::Error::custom)
    }
}

/// The kind of value an ordering sorts on: a cursor for it must carry that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Text,
    Time,
    /// A date, or `Missing` for rows without one.
    OptionalDate,
    /// An instant, or `Missing` for rows without one.
    OptionalTime,
    Number,
}

impl SortKey {
    fn fits(&self, kind: KeyKind) -> bool {
        matches!(
            (self, kind),
            (Self::Text(_), KeyKind::Text)
                | (Self::Time(_), KeyKind::Time)
                | (Self::Date(_) | Self::Missing, KeyKind::OptionalDate)
                | (Self::Time(_) | Self::Missing, KeyKind::OptionalTime)
                | (Self::Number(_), KeyKind::Number)
        )
    }
}

/// Bytes of the signature appended to a cursor (128 bits of HMAC-SHA-256).
const SIGNATURE_BYTES: usize = 16;

static SECRET: OnceLock<Vec<u8>> = OnceLock::new();

/// Sets the key cursors are signed with (read from the database at start-up, so that every
/// instance signs alike). The first call wins; without one, a random per-process key is used.
pub fn use_secret(secret: Vec<u8>) {
    let _ = SECRET.set(secret);
}

fn signature(payload: &[u8]) -> [u8; SIGNATURE_BYTES] {
    let secret = SECRET.get_or_init(|| {
        use rand::RngCore;
        let mut key = vec![0u8; 32];
        rand::rng().fill_bytes(&mut key);
        key
    });
    // HMAC accepts keys of any length: this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(payload);
    let mut out = [0u8; SIGNATURE_BYTES];
    out.copy_from_slice(&mac.finalize().into_bytes()[..SIGNATURE_BYTES]);
    out
}

/// What a cursor carries: the ordering it belongs to, the sort key and the row id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "o")]
    pub ordering: String,
    #[serde(rename = "k")]
    pub key: SortKey,
    #[serde(rename = "i")]
    pub id: i32,
}

impl Cursor {
    pub fn encode(&self) -> String {
        // Serialising plain data into a Vec cannot fail.
        let mut bytes = serde_json::to_vec(self).unwrap_or_default();
        let signature = signature(&bytes);
        bytes.extend_from_slice(&signature);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Decodes `after`, checking its signature, that it was made for `ordering`, and that
    /// its key is of the ordering's `kind`.
    pub fn decode(raw: &str, ordering: &str, kind: KeyKind) -> Result<Self, AppError> {
        let invalid = || {
            AppError::validation(
                "after",
                "invalid cursor: pass a pageInfo.endCursor (or edge cursor) of the same query unchanged",
            )
        };
        if raw.len() > 1024 {
            return Err(invalid());
        }
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let split = bytes
            .len()
            .checked_sub(SIGNATURE_BYTES)
            .ok_or_else(invalid)?;
        let (payload, sent) = bytes.split_at(split);
        let expected = signature(payload);
        // Constant-time comparison: a signature cannot be guessed byte by byte.
        let differs = expected
            .iter()
            .zip(sent)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if differs != 0 {
            return Err(invalid());
        }
        let cursor: Cursor = serde_json::from_slice(payload).map_err(|_| invalid())?;
        if cursor.ordering != ordering {
            return Err(AppError::validation(
                "after",
                "this cursor was made for another ordering; start again without `after`",
            ));
        }
        if !cursor.key.fits(kind) {
            return Err(invalid());
        }
        Ok(cursor)
    }
}

/// Validates `first` against the page-size limit.
pub fn page_size(first: Option<i32>) -> Result<u64, AppError> {
    match first {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(n) if n < 0 => Err(AppError::validation("first", "first must not be negative")),
        Some(n) if n as u64 > MAX_PAGE_SIZE => Err(AppError::validation(
            "first",
            format!("first must be at most {MAX_PAGE_SIZE}"),
        )),
        Some(n) => Ok(n as u64),
    }
}

/// How a page is sorted: a key expression, its direction, and whether it can be NULL.
pub struct KeysetOrder {
    pub key: Expr,
    pub id: Expr,
    pub direction: Order,
    pub nullable: bool,
}

/// A part of an ordering that one statement walks. An ordering whose key may be NULL (nulls
/// last in both directions) is walked in two: the rows with a key, in a plain keyset order an
/// index on the key can serve, then those without, by id. A single statement would have to
/// sort on `key IS NULL` first, which no index serves: the newest published offers of a
/// million were a sort of all of them (3.6 s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stretch {
    Keyed,
    Unkeyed,
}

impl KeysetOrder {
    /// The stretches left after `after`, in walking order.
    pub fn stretches(&self, after: Option<&Cursor>) -> &'static [Stretch] {
        match (self.nullable, after.map(|cursor| &cursor.key)) {
            (false, _) => &[Stretch::Keyed],
            (true, Some(SortKey::Missing)) => &[Stretch::Unkeyed],
            (true, _) => &[Stretch::Keyed, Stretch::Unkeyed],
        }
    }

    /// Adds the ORDER BY and the resume predicate of one stretch (for an ordering whose key
    /// cannot be NULL, `Stretch::Keyed` is the whole of it).
    pub fn apply(&self, select: &mut SelectStatement, after: Option<&Cursor>, stretch: Stretch) {
        let direction = self.direction.clone();
        match stretch {
            Stretch::Keyed => {
                if self.nullable {
                    select.and_where(self.key.clone().is_not_null());
                }
                if let Some(cursor) = after {
                    select.and_where(self.after_predicate(cursor));
                }
                select.order_by_expr(self.key.clone(), direction.clone());
            }
            Stretch::Unkeyed => {
                select.and_where(self.key.clone().is_null());
                // After a keyed cursor, every row without a key is still ahead.
                if let Some(cursor) = after.filter(|cursor| cursor.key == SortKey::Missing) {
                    select.and_where(self.after_predicate(cursor));
                }
            }
        }
        select.order_by_expr(self.id.clone(), direction);
    }

    fn after_predicate(&self, cursor: &Cursor) -> Expr {
        let ascending = matches!(self.direction, Order::Asc);
        let beyond = |left: Expr, right: Expr| {
            if ascending {
                left.gt(right)
            } else {
                left.lt(right)
            }
        };
        let id_after = beyond(self.id.clone(), Expr::val(cursor.id));
        let key_value: Option<Expr> = match &cursor.key {
            SortKey::Text(text) => Some(Expr::val(text.clone())),
            SortKey::Time(time) => Some(Expr::val(*time)),
            SortKey::Date(date) => Some(Expr::val(*date)),
            SortKey::Number(number) => Some(Expr::val(*number)),
            SortKey::Missing => None,
        };
        match key_value {
            // Among rows without a key, by id.
            None => id_after,
            Some(value) => {
                beyond(self.key.clone(), value.clone()).or(self.key.clone().eq(value).and(id_after))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_a_round_trip() {
        let cursor = Cursor {
            ordering: "TITLE:ASC".into(),
            key: SortKey::Text("Atelier vélo".into()),
            id: 42,
        };
        assert_eq!(
            Cursor::decode(&cursor.encode(), "TITLE:ASC", KeyKind::Text).ok(),
            Some(cursor)
        );
    }

    #[test]
    fn a_distance_key_survives_exactly() {
        let key = 0.1_f64 + 0.2_f64;
        let cursor = Cursor {
            ordering: "D".into(),
            key: SortKey::Number(key),
            id: 7,
        };
        let decoded = Cursor::decode(&cursor.encode(), "D", KeyKind::Number).expect("decodes");
        assert_eq!(decoded.key, SortKey::Number(key));
    }

    #[test]
    fn garbage_and_foreign_cursors_are_validation_errors() {
        assert!(matches!(
            Cursor::decode("%%%", "TITLE:ASC", KeyKind::Text),
            Err(AppError::Validation { .. })
        ));
        let cursor = Cursor {
            ordering: "TITLE:ASC".into(),
            key: SortKey::Missing,
            id: 1,
        };
        assert!(Cursor::decode(&cursor.encode(), "DISTANCE:ASC", KeyKind::Number).is_err());
    }

    #[test]
    fn a_forged_cursor_is_refused() {
        // Well-formed JSON for the right ordering, but not signed by this server.
        let forged =
            URL_SAFE_NO_PAD.encode(br#"{"o":"TITLE:ASC","k":{"Number":"3ff0000000000000"},"i":1}"#);
        assert!(Cursor::decode(&forged, "TITLE:ASC", KeyKind::Text).is_err());
        let mut bytes = URL_SAFE_NO_PAD
            .decode(
                Cursor {
                    ordering: "TITLE:ASC".into(),
                    key: SortKey::Text("a".into()),
                    id: 1,
                }
                .encode(),
            )
            .expect("base64");
        bytes[5] ^= 1;
        assert!(
            Cursor::decode(&URL_SAFE_NO_PAD.encode(bytes), "TITLE:ASC", KeyKind::Text).is_err()
        );
    }

    #[test]
    fn a_signed_cursor_whose_key_does_not_fit_the_ordering_is_refused() {
        let cursor = Cursor {
            ordering: "TITLE:ASC".into(),
            key: SortKey::Number(1.0),
            id: 1,
        };
        assert!(Cursor::decode(&cursor.encode(), "TITLE:ASC", KeyKind::Text).is_err());
    }

    #[test]
    fn page_size_is_bounded() {
        assert_eq!(page_size(None).ok(), Some(DEFAULT_PAGE_SIZE));
        assert_eq!(page_size(Some(100)).ok(), Some(100));
        assert!(page_size(Some(101)).is_err());
        assert!(page_size(Some(-1)).is_err());
    }
}
