//! The published offers in title order, as the database orders them, kept in memory: the
//! page of a search by title whose conditions the postings decide is chosen here, so that
//! SQL reads its rows by key instead of walking the title index past every offer they reject.
use std::ops::Range;

use roaring::RoaringBitmap;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

use entity::enums::OfferStatus;

/// Marks an id without a published offer in `TitleOrder::rank`.
const UNRANKED: u32 = u32::MAX;

/// Below this share of the catalogue (1 in 16), a page is found by ranking the kept offers;
/// above it, by walking the title order until enough of them are met.
const SCAN_KEPT_BELOW: u64 = 16;

/// The published offers by title, then id (the database's own `ORDER BY title, id`, so its
/// collation, whatever it is, decides), and each offer's place in that order.
#[derive(Debug, Default, Clone)]
pub struct TitleOrder {
    /// Offer ids, first title first.
    order: Vec<u32>,
    /// By offer id, its index in `order` (`UNRANKED` when not published).
    rank: Vec<u32>,
}

impl TitleOrder {
    /// The order of `ids`, as SQL sorted them.
    pub fn from_sorted(ids: Vec<u32>) -> Self {
        let mut rank = Vec::new();
        for (position, id) in ids.iter().enumerate() {
            let id = *id as usize;
            if rank.len() <= id {
                rank.resize(id + 1, UNRANKED);
            }
            rank[id] = position as u32;
        }
        Self { order: ids, rank }
    }

    /// Reads the order from the database: one aggregated text value, as the postings' ids.
    pub async fn read(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let backend = db.get_database_backend();
        let ids = match backend {
            DbBackend::Postgres => "string_agg(id::text, ',' ORDER BY title, id)",
            _ => "group_concat(id, ',' ORDER BY title, id)",
        };
        let sql = format!(
            "SELECT {ids} FROM offers WHERE status = '{}'",
            OfferStatus::Published.code()
        );
        let row = db
            .query_one_raw(Statement::from_string(backend, sql))
            .await?;
        let list: Option<String> = match row {
            Some(row) => row.try_get_by_index(0)?,
            None => None,
        };
        let mut ids = Vec::new();
        for id in list.as_deref().unwrap_or_default().split(',') {
            if !id.is_empty() {
                ids.push(id.parse().map_err(|_| {
                    DbErr::Type(format!("offer id {id:?} is not a positive number"))
                })?);
            }
        }
        Ok(Self::from_sorted(ids))
    }

    /// Offer `id`'s place in the order; None when it is not a published offer.
    pub fn rank(&self, id: u32) -> Option<u32> {
        self.rank
            .get(id as usize)
            .copied()
            .filter(|rank| *rank != UNRANKED)
    }

    /// Up to `rows` offers of `kept` in title order (reversed when `descending`) that come
    /// after the offer ranked `after`. Kept offers that are not published are never chosen.
    pub fn page(
        &self,
        kept: &RoaringBitmap,
        after: Option<u32>,
        descending: bool,
        rows: usize,
    ) -> Vec<u32> {
        if rows == 0 {
            return Vec::new();
        }
        let beyond = self.ranks_beyond(after, descending);
        if kept.len() * SCAN_KEPT_BELOW < self.order.len() as u64 {
            return self.page_by_ranking(kept, beyond, descending, rows);
        }
        let stretch = self.order[beyond].iter();
        let kept_id = |id: &&u32| kept.contains(**id);
        if descending {
            stretch.rev().filter(kept_id).take(rows).copied().collect()
        } else {
            stretch.filter(kept_id).take(rows).copied().collect()
        }
    }

    /// The ranks that come after the offer ranked `after` (before it, `descending`).
    fn ranks_beyond(&self, after: Option<u32>, descending: bool) -> Range<usize> {
        let after = after.map(|rank| (rank as usize).min(self.order.len()));
        match (after, descending) {
            (None, _) => 0..self.order.len(),
            (Some(after), false) => (after + 1).min(self.order.len())..self.order.len(),
            (Some(after), true) => 0..after,
        }
    }

    /// `page` for a few kept offers: those ranked `beyond` the cursor are ranked, and the
    /// first `rows` kept.
    fn page_by_ranking(
        &self,
        kept: &RoaringBitmap,
        beyond: Range<usize>,
        descending: bool,
        rows: usize,
    ) -> Vec<u32> {
        let mut ranks: Vec<u32> = kept
            .iter()
            .filter_map(|id| self.rank(id))
            .filter(|rank| beyond.contains(&(*rank as usize)))
            .collect();
        let take = rows.min(ranks.len());
        if take == 0 {
            return Vec::new();
        }
        if descending {
            ranks.select_nth_unstable_by(take - 1, |a, b| b.cmp(a));
            ranks.truncate(take);
            ranks.sort_unstable_by(|a, b| b.cmp(a));
        } else {
            ranks.select_nth_unstable(take - 1);
            ranks.truncate(take);
            ranks.sort_unstable();
        }
        ranks
            .into_iter()
            .map(|rank| self.order[rank as usize])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The page as the definition says it: every kept, published offer in order, after the
    /// cursor's, the first `rows`.
    fn expected(
        order: &[u32],
        kept: &RoaringBitmap,
        after: Option<u32>,
        descending: bool,
        rows: usize,
    ) -> Vec<u32> {
        let mut ranked: Vec<(usize, u32)> = order
            .iter()
            .enumerate()
            .filter(|(_, id)| kept.contains(**id))
            .map(|(rank, id)| (rank, *id))
            .collect();
        if descending {
            ranked.reverse();
        }
        ranked
            .into_iter()
            .filter(|(rank, _)| match (after, descending) {
                (None, _) => true,
                (Some(after), false) => *rank > after as usize,
                (Some(after), true) => *rank < after as usize,
            })
            .take(rows)
            .map(|(_, id)| id)
            .collect()
    }

    proptest! {
        /// Both ways of finding a page (ranking a few kept offers, walking the order for
        /// many) give the page the definition gives, in both directions, from any cursor.
        #[test]
        fn a_page_is_the_kept_offers_next_in_title_order(
            shuffled in Just((1u32..400).collect::<Vec<u32>>()).prop_shuffle(),
            published in proptest::collection::vec(any::<bool>(), 399),
            kept in proptest::collection::btree_set(0u32..420, 0..300),
            after_index in 0usize..400,
            with_cursor in any::<bool>(),
            descending in any::<bool>(),
            rows in 0usize..30,
        ) {
            let seed_order: Vec<u32> = shuffled
                .into_iter()
                .zip(published)
                .filter_map(|(id, published)| published.then_some(id))
                .collect();
            let order = TitleOrder::from_sorted(seed_order.clone());
            let kept: RoaringBitmap = kept.into_iter().collect();
            let after = (with_cursor && !seed_order.is_empty())
                .then(|| (after_index % seed_order.len()) as u32);
            prop_assert_eq!(
                order.page(&kept, after, descending, rows),
                expected(&seed_order, &kept, after, descending, rows)
            );
            prop_assert_eq!(
                order.page_by_ranking(&kept, order.ranks_beyond(after, descending), descending, rows),
                expected(&seed_order, &kept, after, descending, rows)
            );
        }
    }

    #[test]
    fn ranks_follow_the_order_and_unpublished_ids_have_none() {
        let order = TitleOrder::from_sorted(vec![7, 3, 9]);
        assert_eq!(order.rank(7), Some(0));
        assert_eq!(order.rank(9), Some(2));
        assert_eq!(order.rank(4), None);
        assert_eq!(order.rank(1_000), None);
    }
}
