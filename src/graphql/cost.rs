//! What each field costs, for the complexity limit: a scalar costs 1, a list its page size
//! times its fields, and work the database does once per list (a filter on text, distance
//! or eligibility; a count) costs what it does, so that many cheap-looking aliases of an
//! expensive search cannot hold the server (issue: 600 aliased `eligibleFor` counts).
use super::inputs::OfferFilterInput;

/// Running one page query.
const PAGE_QUERY: usize = 5;
/// A `totalCount`: a second pass over everything the filter matches.
pub const COUNT: usize = 50;
/// Judging one offer's eligibility for a profile (`checkEligibility`).
pub const ELIGIBILITY_CHECK: usize = 20;

fn page(first: Option<i32>, default: i32) -> usize {
    usize::try_from(first.unwrap_or(default).clamp(1, 100)).unwrap_or(100)
}

/// A nested list of known size (sessions, testimonials of an offer).
/// One facet's counts: a GROUP BY over every matching offer.
pub const FACET: usize = 50;

pub fn list(first: i32, child_complexity: usize) -> usize {
    page(Some(first), first).saturating_mul(child_complexity)
}

/// A page of offers: the query, its filter's extra work, and each node's fields.
pub fn offers(
    first: Option<i32>,
    filter: Option<&OfferFilterInput>,
    child_complexity: usize,
) -> usize {
    PAGE_QUERY
        .saturating_add(filter.map_or(0, OfferFilterInput::cost))
        .saturating_add(page(first, 20).saturating_mul(child_complexity))
}

/// A page of organisations.
pub fn organisations(first: Option<i32>, child_complexity: usize) -> usize {
    PAGE_QUERY.saturating_add(page(first, 20).saturating_mul(child_complexity))
}

impl OfferFilterInput {
    /// The extra work of this filter: scans the database cannot serve from an index cost most.
    pub fn cost(&self) -> usize {
        let lists = [
            self.kinds.as_ref().map(Vec::len),
            self.statuses.as_ref().map(Vec::len),
            self.sectors.as_ref().map(Vec::len),
            self.publics.as_ref().map(Vec::len),
            self.barriers.as_ref().map(Vec::len),
            self.themes.as_ref().map(Vec::len),
            self.organisation_kinds.as_ref().map(Vec::len),
            self.rome_codes.as_ref().map(Vec::len),
            self.appellation_codes.as_ref().map(Vec::len),
            self.formacodes.as_ref().map(Vec::len),
            self.company_numbers.as_ref().map(Vec::len),
            self.fit_for_disabled_workers.as_ref().map(Vec::len),
            self.remote_work_modes.as_ref().map(Vec::len),
            self.delivery_modes.as_ref().map(Vec::len),
            self.freshness.as_ref().map(Vec::len),
            self.sources.as_ref().map(Vec::len),
        ]
        .into_iter()
        .flatten()
        .filter(|len| *len > 0)
        .count();
        let sessions = [
            self.has_upcoming_slot.is_some(),
            self.slot_starts_between.is_some(),
            self.has_seats_left.is_some(),
        ]
        .into_iter()
        .filter(|set| *set)
        .count();
        2 * lists
            + 50 * sessions
            + if self.text.is_some() { 200 } else { 0 }
            + if self.near.is_some() { 100 } else { 0 }
            + if self.eligible_for.is_some() { 500 } else { 0 }
            // The score is computed for every candidate row (no index can hold it).
            + if self.min_quality.is_some() { 100 } else { 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expensive_filter_costs_more_than_a_plain_page() {
        let plain = offers(Some(1), None, 1);
        let text = OfferFilterInput {
            text: Some("menuiserie".into()),
            ..Default::default()
        };
        assert!(offers(Some(1), Some(&text), 1) > 10 * plain);
    }

    #[test]
    fn pages_are_clamped() {
        assert_eq!(list(1000, 2), 200);
        assert_eq!(list(-5, 2), 2);
    }
}
