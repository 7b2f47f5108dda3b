//! Where the offers are, in memory: each offer's coordinates and a grid of cells holding the
//! offers of each, so that a `near` search finds the offers of its circle, or the nearest
//! ones after a cursor, from the cells its box covers instead of the offers table.
//!
//! Coordinates are kept exactly as stored, and the circle and the distances are computed as
//! SQL computes them (`Near::contains`, `Near::squared_km`), so that both agree on every offer.
use std::collections::BTreeMap;

use roaring::RoaringBitmap;

use super::geo::Near;

/// Degrees per side of a grid cell (11 km north–south; 7 km east–west at 50° N).
const CELL_DEGREES: f64 = 0.1;

/// The grid cell of a point: (row, column).
fn cell_of(latitude: f64, longitude: f64) -> (i32, i32) {
    (
        (latitude / CELL_DEGREES).floor() as i32,
        (longitude / CELL_DEGREES).floor() as i32,
    )
}

/// The coordinates of the offers that have some, by offer id, and the offers of each cell.
#[derive(Debug, Default, Clone)]
pub struct Places {
    /// Latitude and longitude by offer id; NaN for an offer without coordinates.
    coordinates: Vec<[f64; 2]>,
    cells: BTreeMap<(i32, i32), RoaringBitmap>,
}

impl Places {
    /// Records where offer `id` is.
    pub fn insert(&mut self, id: u32, latitude: f64, longitude: f64) {
        let index = id as usize;
        if self.coordinates.len() <= index {
            self.coordinates.resize(index + 1, [f64::NAN; 2]);
        }
        self.coordinates[index] = [latitude, longitude];
        self.cells
            .entry(cell_of(latitude, longitude))
            .or_default()
            .insert(id);
    }

    /// Forgets where these offers are.
    pub fn remove(&mut self, ids: &RoaringBitmap) {
        for id in ids {
            if let Some(place) = self.coordinates.get_mut(id as usize) {
                *place = [f64::NAN; 2];
            }
        }
        self.cells.retain(|_, offers| {
            *offers -= ids;
            !offers.is_empty()
        });
    }

    /// The cells the box around `near`'s circle covers, with their offers.
    fn cells_in_box<'a>(
        &'a self,
        near: &Near,
    ) -> impl Iterator<Item = ((i32, i32), &'a RoaringBitmap)> + 'a {
        let (min_latitude, max_latitude, min_longitude, max_longitude) = near.bounding_box();
        let low = cell_of(min_latitude, min_longitude);
        let high = cell_of(max_latitude, max_longitude);
        (low.0..=high.0).flat_map(move |row| {
            self.cells
                .range((row, low.1)..=(row, high.1))
                .map(|(cell, offers)| (*cell, offers))
        })
    }

    /// The offers of `among` in `near`'s circle, each with its squared distance in km² (the
    /// sort key of a search by distance), in no order.
    pub fn within(&self, near: &Near, among: &RoaringBitmap) -> Vec<(f64, u32)> {
        let mut found = Vec::new();
        for (_, offers) in self.cells_in_box(near) {
            for id in offers & among {
                let [latitude, longitude] = self.coordinates[id as usize];
                if near.contains(latitude, longitude) {
                    found.push((near.squared_km(latitude, longitude), id));
                }
            }
        }
        found
    }

    /// The offers of `among` in `near`'s circle of a page of `count` offers by distance
    /// (nearest first, ties by id) that resumes after `after` (its squared distance and id).
    /// Cells are visited nearest first, and the visit stops once no point of the next cell
    /// can come before the `count` found: the cost follows the page, not the circle.
    pub fn nearest(
        &self,
        near: &Near,
        among: &RoaringBitmap,
        count: usize,
        after: Option<(f64, u32)>,
    ) -> RoaringBitmap {
        if count == 0 {
            return RoaringBitmap::new();
        }
        let after = after.map(Key);
        // Each cell with the bounds of its points' keys, its edges widened by far less than
        // a metre so that a point rounded into it lies inside.
        let widen = 1e-9;
        let mut cells: Vec<(f64, f64, &RoaringBitmap)> = Vec::new();
        for ((row, column), offers) in self.cells_in_box(near) {
            let south = f64::from(row) * CELL_DEGREES - widen;
            let west = f64::from(column) * CELL_DEGREES - widen;
            let area = (
                south,
                south + CELL_DEGREES + 2.0 * widen,
                west,
                west + CELL_DEGREES + 2.0 * widen,
            );
            let (least, most) = near.squared_km_bounds(area);
            // A cell wholly before the cursor holds nothing of the page.
            if after.is_none_or(|Key((key, _))| most >= key) {
                cells.push((least, most, offers));
            }
        }
        cells.sort_by(|a, b| a.0.total_cmp(&b.0));
        // The best `count` keys so far, the worst on top.
        let mut best: std::collections::BinaryHeap<Key> = std::collections::BinaryHeap::new();
        for (least, _, offers) in cells {
            if best.len() == count && best.peek().is_some_and(|Key((worst, _))| least > *worst) {
                break;
            }
            for id in offers & among {
                let [latitude, longitude] = self.coordinates[id as usize];
                if !near.contains(latitude, longitude) {
                    continue;
                }
                let key = Key((near.squared_km(latitude, longitude), id));
                if after.is_some_and(|after| key <= after) {
                    continue;
                }
                if best.len() < count {
                    best.push(key);
                } else if best.peek().is_some_and(|worst| key < *worst) {
                    best.pop();
                    best.push(key);
                }
            }
        }
        best.into_iter().map(|Key((_, id))| id).collect()
    }
}

/// A (squared distance, id) key ordered as the page is.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key((f64, u32));

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0
            .0
            .total_cmp(&other.0.0)
            .then(self.0.1.cmp(&other.0.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lille(radius_km: f64) -> Near {
        Near::new(50.6292, 3.0573, radius_km, "near").expect("valid")
    }

    /// Offer `i` (1–40) about `i` km north of Lille's centre, 41 in Paris, 42 nowhere, and
    /// 43 at the same place as 3.
    fn northwards() -> Places {
        let mut places = Places::default();
        for i in 1..=40 {
            places.insert(i, 50.6292 + f64::from(i) / 111.2, 3.0573);
        }
        places.insert(41, 48.8566, 2.3522);
        places.insert(43, 50.6292 + 3.0 / 111.2, 3.0573);
        places
    }

    fn ids(found: RoaringBitmap) -> Vec<u32> {
        found.iter().collect()
    }

    fn key(places: &Places, near: &Near, id: u32) -> (f64, u32) {
        let [latitude, longitude] = places.coordinates[id as usize];
        (near.squared_km(latitude, longitude), id)
    }

    #[test]
    fn within_keeps_the_circle_and_the_offers_asked_about() {
        let places = northwards();
        let everyone: RoaringBitmap = (1..=43).collect();
        let mut found: Vec<u32> = places
            .within(&lille(10.5), &everyone)
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        found.sort_unstable();
        assert_eq!(found, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 43]);
        let odd: RoaringBitmap = (1..=43).filter(|i| i % 2 == 1).collect();
        assert_eq!(places.within(&lille(10.5), &odd).len(), 6);
        assert_eq!(places.within(&lille(500.0), &everyone).len(), 42);
    }

    #[test]
    fn nearest_gives_the_page_after_the_cursor_ties_by_id() {
        let places = northwards();
        let near = lille(100.0);
        let everyone: RoaringBitmap = (1..=43).collect();
        assert_eq!(ids(places.nearest(&near, &everyone, 3, None)), [1, 2, 3]);
        // After offer 3, its twin 43 comes first (same distance, larger id), then 4.
        let after = Some(key(&places, &near, 3));
        assert_eq!(ids(places.nearest(&near, &everyone, 2, after)), [4, 43]);
        let after = Some(key(&places, &near, 43));
        assert_eq!(ids(places.nearest(&near, &everyone, 2, after)), [4, 5]);
        // Fewer than asked left: all of them.
        assert_eq!(
            ids(places.nearest(&lille(5.5), &everyone, 20, None)),
            [1, 2, 3, 4, 5, 43]
        );
    }

    #[test]
    fn a_removed_offer_is_nowhere() {
        let mut places = northwards();
        places.remove(&[1, 2].into_iter().collect());
        let everyone: RoaringBitmap = (1..=43).collect();
        assert_eq!(
            ids(places.nearest(&lille(100.0), &everyone, 2, None)),
            [3, 43]
        );
    }

    /// The page by brute force: every offer of the circle, sorted.
    fn brute_force(
        places: &Places,
        near: &Near,
        among: &RoaringBitmap,
        count: usize,
        after: Option<(f64, u32)>,
    ) -> Vec<(f64, u32)> {
        let mut all = places.within(near, among);
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        all.into_iter()
            .filter(|key| after.is_none_or(|after| (key.0, key.1) > after))
            .take(count)
            .collect()
    }

    #[test]
    fn the_nearest_cells_first_give_the_page_brute_force_gives() {
        // 3,000 points spread over 2° around Lille (a fixed pseudo-random sequence), a tenth
        // of them sharing a place with another, a third not among the offers asked about.
        let mut state: u64 = 7;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut places = Places::default();
        for id in 1..=3_000u32 {
            if id % 10 == 0 {
                let [latitude, longitude] = places.coordinates[id as usize - 1];
                places.insert(id, latitude, longitude);
            } else {
                places.insert(id, 49.6 + 2.0 * next(), 2.0 + 2.0 * next());
            }
        }
        let among: RoaringBitmap = (1..=3_000u32).filter(|id| id % 3 != 0).collect();
        for radius_km in [0.5, 5.0, 30.0, 150.0] {
            let near = lille(radius_km);
            let mut after = None;
            for _ in 0..6 {
                let expected = brute_force(&places, &near, &among, 21, after);
                let found = places.nearest(&near, &among, 21, after);
                let expected_ids: RoaringBitmap = expected.iter().map(|(_, id)| *id).collect();
                assert_eq!(found, expected_ids, "radius {radius_km}, after {after:?}");
                let Some(last) = expected.last() else {
                    break;
                };
                after = Some(*last);
            }
        }
    }
}
