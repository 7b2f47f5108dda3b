//! Text searches ranked in memory: the offers each relevance tier matches (`TierMatches`,
//! read from the full-text index as id lists), ordered by tier, then freshness, then id —
//! the RELEVANCE order — so that a page costs the matches' ids instead of a read of every
//! matching row to compute its key.
use roaring::RoaringBitmap;

use super::facet_index::Postings;
use super::fulltext_index::{TierMatches, relevance_key};

/// The best `rows` offers of `kept` that match `tiers`, after the cursor key `after`, as
/// (RELEVANCE key, id), smallest key first, ties by id: the keyset order SQL would give.
/// Only the tiers read are ranked (`TierMatches`): the page is then whole only if it holds
/// `rows` offers.
pub fn page(
    postings: &Postings,
    kept: &RoaringBitmap,
    tiers: &TierMatches,
    after: Option<(f64, u32)>,
    rows: usize,
) -> Vec<(f64, u32)> {
    let by_key = |a: &(f64, u32), b: &(f64, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    let mut page = Vec::with_capacity(rows);
    let mut by_tier = vec![(3, &tiers.title & kept)];
    if let Some(head) = &tiers.head {
        by_tier.push((2, (head - &tiers.title) & kept));
        if let Some(all) = &tiers.all {
            by_tier.push((1, (all - head) & kept));
        }
    }
    for (tier, offers) in by_tier {
        let wanted = rows - page.len();
        if wanted == 0 {
            break;
        }
        let mut keyed: Vec<(f64, u32)> = offers
            .iter()
            .filter_map(|id| {
                let key = (relevance_key(tier, postings.freshness(id)?), id);
                after
                    .is_none_or(|after| by_key(&key, &after).is_gt())
                    .then_some(key)
            })
            .collect();
        if keyed.len() > wanted {
            keyed.select_nth_unstable_by(wanted - 1, by_key);
            keyed.truncate(wanted);
        }
        keyed.sort_unstable_by(by_key);
        page.extend(keyed);
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Offers 1–6, offer `i` verified `i` seconds after the epoch (so 6 is the freshest).
    fn postings() -> Postings {
        let mut postings = Postings::default();
        for id in 1..=6 {
            postings.set_freshness_for_test(id, i64::from(id));
        }
        postings
    }

    fn ids(page: &[(f64, u32)]) -> Vec<u32> {
        page.iter().map(|(_, id)| *id).collect()
    }

    #[test]
    fn title_then_summary_then_the_rest_freshest_first() {
        let postings = postings();
        let tiers = TierMatches {
            title: [2].into_iter().collect(),
            head: Some([2, 3, 5].into_iter().collect()),
            all: Some([1, 2, 3, 4, 5, 6].into_iter().collect()),
        };
        let everyone: RoaringBitmap = (1..=6).collect();
        let all = page(&postings, &everyone, &tiers, None, 10);
        assert_eq!(ids(&all), [2, 5, 3, 6, 4, 1]);
        assert!(all.windows(2).all(|pair| pair[0].0 < pair[1].0));
        // Page by page from each key, the same order.
        let first = page(&postings, &everyone, &tiers, None, 2);
        assert_eq!(ids(&first), [2, 5]);
        let second = page(&postings, &everyone, &tiers, first.last().copied(), 3);
        assert_eq!(ids(&second), [3, 6, 4]);
        // Only what is kept.
        let some: RoaringBitmap = [1, 3, 4].into_iter().collect();
        assert_eq!(ids(&page(&postings, &some, &tiers, None, 10)), [3, 4, 1]);
        // Before every match is read, the two best tiers only.
        let head_only = TierMatches {
            all: None,
            ..tiers.clone()
        };
        assert_eq!(
            ids(&page(&postings, &everyone, &head_only, None, 10)),
            [2, 5, 3]
        );
        // Before the title-and-summary matches are read, the best tier only.
        let title_only = TierMatches {
            head: None,
            ..head_only
        };
        assert_eq!(ids(&page(&postings, &everyone, &title_only, None, 10)), [2]);
    }
}
