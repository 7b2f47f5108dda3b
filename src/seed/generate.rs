//! Synthetic catalogues of any size for load tests (`seed --offers N`), built lazily from the demo templates.
//!
//! Every organisation and offer is derived from `(seed, index)` alone, so offers stream
//! one at a time without holding the organisations in memory, and a run can be
//! reproduced exactly.

use std::collections::HashSet;

use entity::enums::{Country, OrganisationKind};

use super::demo::{
    Detail, OrgContext, Profile, build_offer, build_organisation, kind_sectors, offer_plan,
    organisation_domain, organisation_name,
};
use super::model::{SeedOffer, SeedOrganisation};
use super::templates::{Rng, mix64};
use super::towns::TOWNS;

/// Salts that keep the organisation and offer streams independent for a given seed.
const ORGANISATION_SALT: u64 = 0x0A6A_0000_0000_0001;
const OFFER_SALT: u64 = 0x0FFE_0000_0000_0002;

/// Relative weights of the kinds of structure in France, roughly as in the field.
const FR_KINDS: &[(OrganisationKind, usize)] = &[
    (OrganisationKind::Aci, 28),
    (OrganisationKind::Ei, 14),
    (OrganisationKind::Etti, 8),
    (OrganisationKind::Ai, 10),
    (OrganisationKind::Eiti, 3),
    (OrganisationKind::Ea, 7),
    (OrganisationKind::Geiq, 4),
    (OrganisationKind::TrainingBody, 10),
    (OrganisationKind::PublicEmploymentService, 8),
    (OrganisationKind::Association, 6),
    (OrganisationKind::Other, 2),
];

/// Relative weights of the kinds of structure in Wallonia.
const BE_KINDS: &[(OrganisationKind, usize)] = &[
    (OrganisationKind::Cisp, 40),
    (OrganisationKind::Ei, 20),
    (OrganisationKind::Eta, 15),
    (OrganisationKind::PublicEmploymentService, 15),
    (OrganisationKind::Association, 10),
];

fn organisation_rng(index: usize, seed: u64) -> Rng {
    Rng::new(mix64(seed ^ ORGANISATION_SALT) ^ mix64(index as u64))
}

fn offer_rng(index: usize, seed: u64) -> Rng {
    Rng::new(mix64(seed ^ OFFER_SALT) ^ mix64(index as u64))
}

/// The profile of generated organisation `index`: towns taken in turn, kind and sector
/// drawn from the organisation's own generator.
fn profile(index: usize, seed: u64) -> Profile {
    let mut rng = organisation_rng(index, seed);
    let town = &TOWNS[index % TOWNS.len()];
    let weights = match town.country {
        Country::Fr => FR_KINDS,
        Country::Be => BE_KINDS,
    };
    let total: usize = weights.iter().map(|(_, weight)| weight).sum();
    let mut roll = rng.below(total);
    let mut kind = weights[0].0;
    for &(candidate, weight) in weights {
        if roll < weight {
            kind = candidate;
            break;
        }
        roll -= weight;
    }
    let sector = rng.pick(kind_sectors(kind, town.country));
    let variant = rng.below(16);
    Profile::new(kind, town, sector, variant)
}

/// Name of generated organisation `index`: a demo-style name plus a number, so names
/// stay distinct however many are generated.
fn name(profile: &Profile, index: usize) -> String {
    format!("{} (n° {})", organisation_name(profile, 0), index + 1)
}

/// `count` organisations spread over every town in turn; same `seed`, same list.
pub fn generated_organisations(count: usize, seed: u64) -> Vec<SeedOrganisation> {
    (0..count)
        .map(|index| {
            let profile = profile(index, seed);
            // Skip the draws `profile` made, so addresses do not repeat its choices.
            let mut rng = Rng::new(mix64(organisation_rng(index, seed).next_u64()));
            build_organisation(&profile, name(&profile, index), &mut rng)
        })
        .collect()
}

/// `count` offers spread evenly over `organisation_count` organisations (offer `i`
/// belongs to organisation `i % organisation_count`), produced lazily. Yields nothing
/// when there is no organisation to attach offers to.
pub fn generated_offers(
    organisation_count: usize,
    count: usize,
    seed: u64,
) -> impl Iterator<Item = SeedOffer> {
    let count = if organisation_count == 0 { 0 } else { count };
    (0..count).map(move |index| {
        let organisation = index % organisation_count;
        let nth = index / organisation_count;
        let profile = profile(organisation, seed);
        // Texts quote the name without its load-test number, which reads better.
        let name = organisation_name(&profile, 0);
        let domain = organisation_domain(&profile, &name);
        let ctx = OrgContext {
            index: organisation,
            profile,
            name: &name,
            domain: &domain,
        };
        let plan = offer_plan(&profile);
        let kind = plan[nth % plan.len()];
        let mut rng = offer_rng(index, seed);
        // Titles are made distinct by the reference number instead of a shared set.
        let mut titles = HashSet::new();
        let mut offer = build_offer(&ctx, kind, nth, &mut rng, Detail::Light, &mut titles);
        offer.title = format!("{} – réf. {}", offer.title, index + 1);
        offer
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::editing::validate::{bce_valid, luhn_valid};
    use crate::seed::templates::THEME_CODES;
    use entity::enums::{ConditionKind, Public};

    #[test]
    fn organisations_are_deterministic_and_valid() {
        let first = generated_organisations(500, 42);
        assert_eq!(first.len(), 500);
        assert_eq!(first, generated_organisations(500, 42));
        assert_ne!(first, generated_organisations(500, 43));
        let names: HashSet<&str> = first.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names.len(), first.len());
        for organisation in &first {
            match organisation.country {
                Country::Fr => assert!(luhn_valid(&organisation.company_number)),
                Country::Be => assert!(bce_valid(&organisation.company_number)),
            }
        }
    }

    #[test]
    fn offers_stream_exactly_count() {
        let organisation_count = 37;
        let offers: Vec<SeedOffer> = generated_offers(organisation_count, 1000, 7).collect();
        assert_eq!(offers.len(), 1000);
        let organisations = generated_organisations(organisation_count, 7);
        for offer in &offers {
            assert!(offer.organisation < organisation_count);
            let organisation = &organisations[offer.organisation];
            assert!(offer.summary.chars().count() <= 280, "{}", offer.summary);
            assert!(offer.title.chars().count() <= 200);
            if offer.publics.contains(&Public::Everyone) {
                assert_eq!(offer.publics.len(), 1);
            }
            for theme in &offer.themes {
                assert!(THEME_CODES.contains(theme), "{theme}");
            }
            let siae = organisation.country == Country::Fr
                && organisation.kind.iae_level2_threshold().is_some();
            let iae = offer
                .conditions
                .iter()
                .filter(|c| c.kind == ConditionKind::IaeCriteria)
                .count();
            assert_eq!(iae, usize::from(siae));
            let cisp = offer
                .conditions
                .iter()
                .any(|c| c.kind == ConditionKind::CispRule);
            assert_eq!(cisp, organisation.kind == OrganisationKind::Cisp);
            assert!(offer.slots.len() <= 3 && offer.testimonials.len() <= 1);
            for slot in &offer.slots {
                assert!(slot.seats_taken <= slot.seats_total && slot.length_days >= 0);
            }
        }
        let titles: HashSet<&str> = offers.iter().map(|o| o.title.as_str()).collect();
        assert_eq!(titles.len(), offers.len());
        let again: Vec<SeedOffer> = generated_offers(organisation_count, 1000, 7).collect();
        assert_eq!(offers, again);
    }

    #[test]
    fn no_organisation_no_offer() {
        assert_eq!(generated_offers(0, 10, 1).count(), 0);
        assert_eq!(generated_offers(5, 0, 1).count(), 0);
    }

    #[test]
    fn large_streams_are_lazy() {
        // Taking a few items of a huge stream must not build the rest.
        let first: Vec<SeedOffer> = generated_offers(100_000, 1_000_000, 3).take(5).collect();
        assert_eq!(first.len(), 5);
        let later = generated_offers(100, 1_000_000, 3).nth(999);
        assert!(later.is_some_and(|offer| offer.organisation == 999 % 100));
    }
}
