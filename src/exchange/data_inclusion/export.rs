//! Walks the published catalogue by keyset pages of ids and writes data·inclusion JSON lines,
//! one page at a time: memory holds one page, whatever the size of the catalogue.
//!
//! What is exported is what an anonymous reader sees: published offers, and the organisations
//! (not archived) that have at least one, so that every service's `structure_id` is in the
//! structures file and no structure without anything to join (one still preparing its
//! offers) is announced to the national directory.
use std::collections::BTreeMap;

use entity::enums::OfferStatus;
use entity::{offer, organisation};
use futures_util::Stream;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde_json::Value;

use super::Dataset;
use super::mapping::{self, Unrepresentable};
use super::schema::{self, Conformed, Violation};
use crate::catalogue::nested::{conditions_by_offer, facets_by_offer, organisations_by_ids};
use crate::catalogue::offer_search::offers_by_ids;
use crate::error::AppResult;

/// Records read per page: a handful of statements per page, whatever the catalogue's size.
pub const PAGE_SIZE: u64 = 500;

/// What an export wrote and what it could not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub written: u64,
    /// Records not written: a required field could not hold our value (each one is logged).
    pub skipped: u64,
    /// Optional fields the schema refused and that were left null, counted per field.
    pub nulled: BTreeMap<String, u64>,
}

/// One export of one dataset, read page by page.
pub struct Export {
    db: DatabaseConnection,
    dataset: Dataset,
    source: String,
    page_size: u64,
    after: i32,
    done: bool,
    report: Report,
}

impl Export {
    /// An export of `dataset` under the data·inclusion `source` name of this catalogue.
    pub fn new(db: DatabaseConnection, dataset: Dataset, source: impl Into<String>) -> Self {
        Self {
            db,
            dataset,
            source: source.into(),
            page_size: PAGE_SIZE,
            after: 0,
            done: false,
            report: Report::default(),
        }
    }

    /// Reads `page_size` records per page instead of [`PAGE_SIZE`].
    pub fn with_page_size(mut self, page_size: u64) -> Self {
        self.page_size = page_size.max(1);
        self
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The next page as JSON lines (one record per line), or `None` once every page is out.
    #[tracing::instrument(skip(self), fields(dataset = self.dataset.name(), after = self.after))]
    pub async fn next_page(&mut self) -> AppResult<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let (records, last, count) = match self.dataset {
            Dataset::Structures => self.structures_page().await?,
            Dataset::Services => self.services_page().await?,
        };
        self.done = count < self.page_size;
        if let Some(last) = last {
            self.after = last;
        }
        let mut lines = Vec::new();
        for (id, record) in records {
            match record {
                Ok(value) => self.write(&mut lines, &id, value)?,
                Err(Unrepresentable { field, reason }) => self.skip(&id, field, &reason),
            }
        }
        if self.done {
            tracing::info!(
                dataset = self.dataset.name(),
                written = self.report.written,
                skipped = self.report.skipped,
                nulled = ?self.report.nulled,
                "data·inclusion export finished"
            );
        }
        Ok(Some(lines))
    }

    /// Every page, as a stream (for a streamed HTTP body).
    pub fn into_stream(self) -> impl Stream<Item = AppResult<Vec<u8>>> + Send + 'static {
        futures_util::stream::try_unfold(self, |mut export| async move {
            Ok(export.next_page().await?.map(|page| (page, export)))
        })
    }

    fn write(&mut self, lines: &mut Vec<u8>, id: &str, record: Value) -> AppResult<()> {
        let mut record = record;
        match schema::conform(self.dataset, &mut record)? {
            Conformed::Valid(nulled) => {
                for Violation { field, message } in nulled {
                    tracing::warn!(
                        id,
                        field,
                        message,
                        "left null: the schema refuses our value"
                    );
                    *self.report.nulled.entry(field).or_default() += 1;
                }
                serde_json::to_writer(&mut *lines, &record)
                    .map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
                lines.push(b'\n');
                self.report.written += 1;
            }
            Conformed::Refused(Violation { field, message }) => self.skip(id, &field, &message),
        }
        Ok(())
    }

    fn skip(&mut self, id: &str, field: &str, reason: &str) {
        tracing::warn!(
            id,
            field,
            reason,
            "not exported: a required field cannot hold our value"
        );
        self.report.skipped += 1;
    }

    /// The page's records, its last id, and how many rows it read.
    async fn structures_page(&self) -> AppResult<(Vec<Mapped>, Option<i32>, u64)> {
        let with_published_offers = Query::select()
            .column(offer::Column::OrganisationId)
            .from(offer::Entity)
            .and_where(offer::Column::Status.eq(OfferStatus::Published))
            .take();
        let rows = organisation::Entity::find()
            .filter(organisation::Column::ArchivedAt.is_null())
            .filter(organisation::Column::Id.gt(self.after))
            .filter(organisation::Column::Id.in_subquery(with_published_offers))
            .order_by_asc(organisation::Column::Id)
            .limit(self.page_size)
            .all(&self.db)
            .await?;
        let last = rows.last().map(|row| row.id);
        let count = rows.len() as u64;
        let records = rows
            .iter()
            .map(|row| {
                let id = mapping::identity(
                    &self.source,
                    crate::graphql::ids::NodeType::Organisation,
                    row.id,
                    mapping::Origin::of_organisation(row),
                )
                .id;
                (id, mapping::structure(&self.source, row).map(to_value))
            })
            .collect();
        Ok((records, last, count))
    }

    async fn services_page(&self) -> AppResult<(Vec<Mapped>, Option<i32>, u64)> {
        let active_organisations = Query::select()
            .column(organisation::Column::Id)
            .from(organisation::Entity)
            .and_where(organisation::Column::ArchivedAt.is_null())
            .take();
        let ids: Vec<i32> = offer::Entity::find()
            .select_only()
            .column(offer::Column::Id)
            .filter(offer::Column::Status.eq(OfferStatus::Published))
            .filter(offer::Column::Id.gt(self.after))
            .filter(offer::Column::OrganisationId.in_subquery(active_organisations))
            .order_by_asc(offer::Column::Id)
            .limit(self.page_size)
            .into_tuple()
            .all(&self.db)
            .await?;
        let last = ids.last().copied();
        let count = ids.len() as u64;
        if ids.is_empty() {
            return Ok((Vec::new(), last, count));
        }
        // One statement per lookup for the whole page (the same batch reads as the DataLoaders).
        // An offer unpublished between the two reads is left out.
        let offers: Vec<offer::Model> = offers_by_ids(&self.db, &ids)
            .await?
            .into_iter()
            .filter(|offer| offer.status == OfferStatus::Published)
            .collect();
        let mut organisation_ids: Vec<i32> = offers.iter().map(|o| o.organisation_id).collect();
        organisation_ids.sort_unstable();
        organisation_ids.dedup();
        let organisations = organisations_by_ids(&self.db, &organisation_ids).await?;
        let facets = facets_by_offer(&self.db, &ids).await?;
        let conditions = conditions_by_offer(&self.db, &ids).await?;
        let mut records = Vec::with_capacity(offers.len());
        for offer in &offers {
            let id = mapping::identity(
                &self.source,
                crate::graphql::ids::NodeType::Offer,
                offer.id,
                mapping::Origin::of_offer(offer),
            )
            .id;
            let Some(organisation) = organisations
                .get(&offer.organisation_id)
                .filter(|o| o.archived_at.is_none())
            else {
                continue;
            };
            let record = mapping::service(
                &self.source,
                offer,
                organisation,
                &facets.get(&offer.id).cloned().unwrap_or_default(),
                conditions
                    .get(&offer.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            )
            .map(to_value);
            records.push((id, record));
        }
        Ok((records, last, count))
    }
}

/// A record's id (for the log) and the record, or why it cannot be written.
type Mapped = (String, Result<Value, Unrepresentable>);

fn to_value(record: impl Serialize) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}
