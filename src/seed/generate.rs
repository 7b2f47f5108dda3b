//! Synthetic catalogues of any size for load tests (`seed --offers N`), drawn from the demo
//! catalogue: each generated organisation is a demo structure under a numbered name and
//! its own company number, each generated offer one of that structure's demo offers.
//!
//! Every record is derived from `(seed, index)` alone, so offers stream one at a time and a
//! run can be reproduced exactly.
use std::borrow::Borrow;

use chrono::Duration;
use entity::enums::Country;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::exchange::bundle::format;

/// Salts that keep the organisation and offer streams independent for a given seed.
const ORGANISATION_SALT: u64 = 0x0A6A_0000_0000_0001;
const OFFER_SALT: u64 = 0x0FFE_0000_0000_0002;
/// Sessions and testimonials kept per generated offer (three sessions each, as the bench's
/// million-offer goal counts them).
const MAX_SLOTS: usize = 3;
const MAX_TESTIMONIALS: usize = 1;

/// The demo records the generator copies, organisations with their offers.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    organisations: Vec<format::Organisation>,
    offers_by_organisation: Vec<Vec<format::Offer>>,
}

impl Vocabulary {
    /// From the records of a bundle (offers follow the organisations they name).
    pub fn new(lines: Vec<format::Line>) -> Self {
        let mut organisations = Vec::new();
        let mut offers_by_organisation: Vec<Vec<format::Offer>> = Vec::new();
        let mut index_of = std::collections::HashMap::new();
        for line in lines {
            match line {
                format::Line::Organisation(o) => {
                    index_of.insert(o.key(), organisations.len());
                    organisations.push(*o);
                    offers_by_organisation.push(Vec::new());
                }
                format::Line::Offer(o) => {
                    if let Some(&index) = index_of.get(&o.organisation) {
                        offers_by_organisation[index].push(*o);
                    }
                }
                format::Line::Header(_) => {}
            }
        }
        // Structures without offers would give generated organisations nothing to run.
        let (organisations, offers_by_organisation) = organisations
            .into_iter()
            .zip(offers_by_organisation)
            .filter(|(_, offers)| !offers.is_empty())
            .unzip();
        Self {
            organisations,
            offers_by_organisation,
        }
    }

    fn template(&self, organisation: usize, seed: u64) -> usize {
        (organisation + seed as usize) % self.organisations.len().max(1)
    }
}

fn rng(salt: u64, seed: u64, index: usize) -> SmallRng {
    SmallRng::seed_from_u64(seed ^ salt ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn digits(rng: &mut SmallRng, count: usize) -> Vec<u8> {
    (0..count).map(|_| rng.random_range(0..10u8)).collect()
}

/// A SIRET: 13 random digits and the Luhn key.
fn siret(rng: &mut SmallRng) -> String {
    let mut number = digits(rng, 13);
    let sum: u32 = number
        .iter()
        .rev()
        .enumerate()
        .map(|(position, &digit)| {
            let digit = u32::from(digit);
            // The key will take the rightmost place: from here, even positions are doubled.
            if position % 2 == 0 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    number.push(((10 - sum % 10) % 10) as u8);
    number.iter().map(|d| char::from(b'0' + d)).collect()
}

/// A BCE number: 0 and seven random digits, then 97 minus their remainder by 97.
fn bce(rng: &mut SmallRng) -> String {
    let base: u64 = rng.random_range(1_000_000..10_000_000);
    format!("{base:08}{:02}", 97 - base % 97)
}

fn jitter(rng: &mut SmallRng, value: Option<f64>) -> Option<f64> {
    // About a kilometre, rounded to about a metre.
    value.map(|v| ((v + rng.random_range(-0.01..0.01)) * 100_000.0).round() / 100_000.0)
}

/// `count` organisations, demo structures in turn; same `seed`, same list.
pub fn generated_organisations(
    vocabulary: &Vocabulary,
    count: usize,
    seed: u64,
) -> Vec<format::Organisation> {
    if vocabulary.organisations.is_empty() {
        return Vec::new();
    }
    (0..count)
        .map(|index| {
            let mut rng = rng(ORGANISATION_SALT, seed, index);
            let mut o = vocabulary.organisations[vocabulary.template(index, seed)].clone();
            o.name = format!("{} (n° {})", o.name, index + 1);
            o.external_id = format!("generated-{seed}-{index}");
            o.company_number = Some(match Country::from_code(&o.country) {
                Some(Country::Be) => bce(&mut rng),
                _ => siret(&mut rng),
            });
            o.latitude = jitter(&mut rng, o.latitude);
            o.longitude = jitter(&mut rng, o.longitude);
            o
        })
        .collect()
}

/// `count` offers spread evenly over `organisation_count` organisations (offer `i` belongs
/// to organisation `i % organisation_count`), produced lazily, each with the index of its
/// organisation. Yields nothing when there is no organisation to attach offers to.
pub fn generated_offers<V: Borrow<Vocabulary>>(
    vocabulary: V,
    organisation_count: usize,
    count: usize,
    seed: u64,
) -> impl Iterator<Item = (usize, format::Offer)> {
    let count = if organisation_count == 0 || vocabulary.borrow().organisations.is_empty() {
        0
    } else {
        count
    };
    (0..count).map(move |index| {
        let vocabulary = vocabulary.borrow();
        let organisation = index % organisation_count;
        let nth = index / organisation_count;
        let offers = &vocabulary.offers_by_organisation[vocabulary.template(organisation, seed)];
        let mut o = offers[nth % offers.len()].clone();
        let mut rng = rng(OFFER_SALT, seed, index);
        o.title = format!("{} – réf. {}", o.title, index + 1);
        o.external_id = format!("generated-{seed}-{index}");
        if let Some(place) = &mut o.place {
            place.latitude = jitter(&mut rng, place.latitude);
            place.longitude = jitter(&mut rng, place.longitude);
        }
        // Sessions spread over a month either way, so that date filters see a range.
        let shift = Duration::days(rng.random_range(-15..=15));
        o.slots.truncate(MAX_SLOTS);
        for slot in &mut o.slots {
            slot.starts_on += shift;
            slot.ends_on += shift;
            slot.registration_opens_on = slot.registration_opens_on.map(|d| d + shift);
            slot.registration_closes_on = slot.registration_closes_on.map(|d| d + shift);
            slot.info_session_on = slot.info_session_on.map(|d| d + shift);
        }
        o.testimonials.truncate(MAX_TESTIMONIALS);
        (organisation, o)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::editing::validate::{bce_valid, luhn_valid};
    use std::collections::HashSet;

    fn vocabulary() -> Vocabulary {
        Vocabulary::new(crate::seed::demo_lines().expect("the demo bundle parses"))
    }

    #[test]
    fn organisations_are_deterministic_and_valid() {
        let vocabulary = vocabulary();
        let first = generated_organisations(&vocabulary, 500, 42);
        assert_eq!(first.len(), 500);
        assert_eq!(first, generated_organisations(&vocabulary, 500, 42));
        assert_ne!(first, generated_organisations(&vocabulary, 500, 43));
        let names: HashSet<&str> = first.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names.len(), first.len());
        for organisation in &first {
            let number = organisation.company_number.as_deref().unwrap_or_default();
            match organisation.country.as_str() {
                "BE" => assert!(bce_valid(number), "{number}"),
                _ => assert!(luhn_valid(number) && number.len() == 14, "{number}"),
            }
        }
    }

    #[test]
    fn offers_stream_exactly_count_with_distinct_titles() {
        let vocabulary = vocabulary();
        let offers: Vec<(usize, format::Offer)> =
            generated_offers(&vocabulary, 37, 1000, 7).collect();
        assert_eq!(offers.len(), 1000);
        let organisations = generated_organisations(&vocabulary, 37, 7);
        for (organisation, offer) in &offers {
            assert!(*organisation < 37);
            // An offer copies one of its organisation's demo offers.
            let name = &organisations[*organisation].name;
            let template_name = name.rsplit_once(" (n° ").map(|(n, _)| n).unwrap_or(name);
            let template = vocabulary
                .organisations
                .iter()
                .position(|o| o.name == template_name)
                .expect("a demo structure");
            let titles: Vec<&str> = vocabulary.offers_by_organisation[template]
                .iter()
                .map(|o| o.title.as_str())
                .collect();
            let base = offer
                .title
                .rsplit_once(" – réf. ")
                .map(|(t, _)| t)
                .unwrap_or(&offer.title);
            assert!(
                titles.contains(&base),
                "{} not among {titles:?}",
                offer.title
            );
            assert!(offer.slots.len() <= MAX_SLOTS && offer.testimonials.len() <= MAX_TESTIMONIALS);
        }
        let titles: HashSet<&str> = offers.iter().map(|(_, o)| o.title.as_str()).collect();
        assert_eq!(titles.len(), offers.len());
        let again: Vec<(usize, format::Offer)> =
            generated_offers(&vocabulary, 37, 1000, 7).collect();
        assert_eq!(offers, again);
    }

    #[test]
    fn no_organisation_no_offer() {
        let vocabulary = vocabulary();
        assert_eq!(generated_offers(&vocabulary, 0, 10, 1).count(), 0);
        assert_eq!(generated_offers(&vocabulary, 5, 0, 1).count(), 0);
    }

    #[test]
    fn large_streams_are_lazy() {
        let vocabulary = vocabulary();
        let first: Vec<_> = generated_offers(&vocabulary, 100_000, 1_000_000, 3)
            .take(5)
            .collect();
        assert_eq!(first.len(), 5);
        let later = generated_offers(&vocabulary, 100, 1_000_000, 3).nth(999);
        assert!(later.is_some_and(|(organisation, _)| organisation == 999 % 100));
    }
}
