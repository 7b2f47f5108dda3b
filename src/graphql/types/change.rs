//! `changes`: the change feed partners sync from, removals included.
use async_graphql::{Enum, ID, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::connection::PageInfo;
use super::offer::Offer;
use super::organisation::Organisation;
use std::collections::HashMap;

use sea_orm::DatabaseConnection;

use crate::catalogue::changes::{OfferChange, Position, Subject, changes_after};
use crate::catalogue::nested::organisations_by_ids;
use crate::catalogue::offer_search::offers_by_ids;
use crate::error::AppError;
use crate::graphql::ids::{self, NodeType};

/// What happened to a record since the partner's copy (the cursor it resumes from). The
/// feed is compacted: a record appears once, at its latest change, so applying the feed in
/// order (upsert what is PUBLISHED, UPDATED or SLOT_CHANGED, remove what is UNPUBLISHED)
/// leaves a partner with the published catalogue.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// The offer entered the published catalogue since the partner's copy (created and
    /// published, or published again): add it. From the start of the feed, every published
    /// offer is one.
    OfferPublished,
    /// The offer was published then and is now, and its record changed (or its testimonials,
    /// conditions or organisation): upsert it.
    OfferUpdated,
    /// The offer was published then and is now, and only its sessions changed (dates, seats,
    /// status): refresh its `slots`.
    SlotChanged,
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

impl ChangeConnection {
    /// The page of the feed after `after` (from the start without it), `limit` long.
    pub async fn page(
        db: &DatabaseConnection,
        limit: u64,
        after: Option<&str>,
    ) -> Result<Self, AppError> {
        let cursor = after.map(decode_cursor).transpose()?;
        let position = cursor.map(|c| c.position);
        // Up to where the partner holds every record: kept along the pages of a walk, moved
        // to the end of the feed by its last page.
        let known = cursor.and_then(|c| c.known);
        let mut found = changes_after(db, position, limit + 1).await?;
        let has_next_page = found.len() as u64 > limit;
        found.truncate(limit as usize);
        let visible = |subject| {
            found
                .iter()
                .filter(move |c| c.visible && c.position.subject == subject)
                .map(|c| c.position.id)
                .collect::<Vec<i32>>()
        };
        let mut offers: HashMap<i32, entity::offer::Model> =
            offers_by_ids(db, &visible(Subject::Offer))
                .await?
                .into_iter()
                .map(|model| (model.id, model))
                .collect();
        let mut organisations = organisations_by_ids(db, &visible(Subject::Organisation)).await?;
        let mut cursors = Vec::with_capacity(found.len());
        let mut edges = Vec::with_capacity(found.len());
        let last = found.len().checked_sub(1);
        for (index, change) in found.into_iter().enumerate() {
            let id = change.position.id;
            let (kind, node_id, offer, organisation) = match change.position.subject {
                Subject::Offer => {
                    let offer = offers.remove(&id).map(|model| Offer { model, near: None });
                    let kind = match change.offer_change(known) {
                        // Unpublished between the two reads: say what the partner sees.
                        _ if offer.is_none() => ChangeKind::OfferUnpublished,
                        OfferChange::Published => ChangeKind::OfferPublished,
                        OfferChange::Updated => ChangeKind::OfferUpdated,
                        OfferChange::SessionsChanged => ChangeKind::SlotChanged,
                        OfferChange::Unpublished => ChangeKind::OfferUnpublished,
                    };
                    (kind, ids::encode(NodeType::Offer, id), offer, None)
                }
                Subject::Organisation => {
                    let organisation = organisations.remove(&id).map(Organisation);
                    let kind = if organisation.is_some() {
                        ChangeKind::OrganisationUpdated
                    } else {
                        ChangeKind::OrganisationUnpublished
                    };
                    (
                        kind,
                        ids::encode(NodeType::Organisation, id),
                        None,
                        organisation,
                    )
                }
            };
            let caught_up = !has_next_page && Some(index) == last;
            let cursor = encode_cursor(FeedCursor {
                position: change.position,
                known: if caught_up {
                    Some(change.position.seq)
                } else {
                    known
                },
            });
            cursors.push(cursor.clone());
            edges.push(ChangeEdge {
                cursor,
                node: Change {
                    kind,
                    id: node_id,
                    offer,
                    organisation,
                },
            });
        }
        Ok(ChangeConnection {
            edges,
            page_info: PageInfo::new(&cursors, has_next_page, after),
        })
    }
}

/// A position in the feed, and up to where the partner holding it holds every record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedCursor {
    pub position: Position,
    pub known: Option<i64>,
}

/// The opaque cursor of a feed position.
pub fn encode_cursor(cursor: FeedCursor) -> String {
    let FeedCursor { position, known } = cursor;
    let subject = match position.subject {
        Subject::Organisation => "o",
        Subject::Offer => "f",
    };
    let known = known.map_or_else(|| "-".to_owned(), |k| k.to_string());
    URL_SAFE_NO_PAD.encode(format!(
        "change:{}:{subject}:{}:{known}",
        position.seq, position.id
    ))
}

/// Reads a cursor; one of the first version (without what the partner knows) reads as
/// knowing nothing, so that its holder upserts rather than misses a change.
pub fn decode_cursor(cursor: &str) -> Result<FeedCursor, AppError> {
    let bad = || AppError::validation("after", "not a cursor of the change feed");
    let text = URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(bad)?;
    let mut parts = text.split(':');
    let (Some("change"), Some(seq), Some(subject), Some(id), known, None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(bad());
    };
    let position = Position {
        seq: seq.parse().map_err(|_| bad())?,
        subject: match subject {
            "o" => Subject::Organisation,
            "f" => Subject::Offer,
            _ => return Err(bad()),
        },
        id: id.parse().map_err(|_| bad())?,
    };
    let known = match known {
        None | Some("-") => None,
        Some(k) => Some(k.parse::<i64>().map_err(|_| bad())?),
    };
    if known.is_some_and(|k| k > position.seq) {
        return Err(bad());
    }
    Ok(FeedCursor { position, known })
}
