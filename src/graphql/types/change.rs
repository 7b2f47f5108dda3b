//! `changes`: the change feed partners sync from, removals included.
use async_graphql::{Enum, ID, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::connection::PageInfo;
use super::offer::Offer;
use super::organisation::Organisation;
use crate::catalogue::changes::{Position, Subject};
use crate::error::AppError;

/// What happened to a record, as of its latest change. The feed is compacted: a record
/// appears once, at its latest change, so applying the feed in order (upsert what is
/// UPDATED, remove what is UNPUBLISHED) leaves a partner with the published catalogue.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// The offer is published: created, changed, republished, or its sessions, testimonials
    /// or organisation changed. Upsert it.
    OfferUpdated,
    /// The offer left the published catalogue (draft, suspended, archived). Remove it.
    OfferUnpublished,
    OrganisationUpdated,
    /// The organisation was archived. Remove it.
    OrganisationUnpublished,
}

/// One entry of the feed.
#[derive(SimpleObject)]
pub struct Change {
    pub kind: ChangeKind,
    /// The global ID of the offer or organisation.
    pub id: ID,
    /// The record as it is now, when it is visible (null for removals).
    pub offer: Option<Offer>,
    pub organisation: Option<Organisation>,
}

#[derive(SimpleObject)]
pub struct ChangeEdge {
    pub cursor: String,
    pub node: Change,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ChangeConnection {
    pub edges: Vec<ChangeEdge>,
    pub page_info: PageInfo,
}

#[async_graphql::ComplexObject]
impl ChangeConnection {
    /// The changes of this page, without their cursors.
    async fn nodes(&self) -> Vec<&Change> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }
}

/// The opaque cursor of a feed position.
pub fn encode_cursor(position: Position) -> String {
    let subject = match position.subject {
        Subject::Organisation => "o",
        Subject::Offer => "f",
    };
    URL_SAFE_NO_PAD.encode(format!("change:{}:{subject}:{}", position.seq, position.id))
}

pub fn decode_cursor(cursor: &str) -> Result<Position, AppError> {
    let bad = || AppError::validation("after", "not a cursor of the change feed");
    let text = URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(bad)?;
    let mut parts = text.split(':');
    let (Some("change"), Some(seq), Some(subject), Some(id), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(bad());
    };
    Ok(Position {
        seq: seq.parse().map_err(|_| bad())?,
        subject: match subject {
            "o" => Subject::Organisation,
            "f" => Subject::Offer,
            _ => return Err(bad()),
        },
        id: id.parse().map_err(|_| bad())?,
    })
}
