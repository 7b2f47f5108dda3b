//! Seed records as bundle records (dates made absolute from the day of seeding), so that
//! seeding and importing write rows through one writer (`exchange::bundle::write`).
use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::enums::{
    DeliveryMode, OccupationSystem, OfferKind, OfferStatus, Recruitment, TestimonialStatus,
};

use super::model::{SeedOffer, SeedOrganisation, SeedPlace};
use crate::catalogue::occupations;
use crate::exchange::bundle::format::{self, Key};

fn days_ago(now: DateTime<Utc>, days: Option<u32>) -> Option<DateTime<Utc>> {
    days.map(|d| now - Duration::days(i64::from(d)))
}

fn place(p: &SeedPlace) -> format::Place {
    format::Place {
        address: Some(p.address.clone()),
        postal_code: p.postal_code.clone(),
        city: p.city.clone(),
        commune_code: p.commune_code.clone(),
        latitude: Some(p.latitude),
        longitude: Some(p.longitude),
    }
}

/// Seeded records belong to this catalogue: they carry no external key.
fn local_key() -> Key {
    Key {
        source: "manual".to_owned(),
        external_id: String::new(),
    }
}

pub fn organisation(o: &SeedOrganisation, now: DateTime<Utc>) -> format::Organisation {
    let key = local_key();
    format::Organisation {
        source: key.source,
        external_id: key.external_id,
        source_url: None,
        name: o.name.clone(),
        kind: o.kind.code().to_owned(),
        country: o.country.code().to_owned(),
        company_number: Some(o.company_number.clone()),
        address: o.place.address.clone(),
        postal_code: o.place.postal_code.clone(),
        city: o.place.city.clone(),
        commune_code: o.place.commune_code.clone(),
        latitude: Some(o.place.latitude),
        longitude: Some(o.place.longitude),
        email: o.email.clone(),
        phone: o.phone.clone(),
        website: o.website.clone(),
        opening_hours: o.opening_hours.clone(),
        accessibility_url: o.accessibility_url.clone(),
        networks: o.networks.clone(),
        verified_at: days_ago(now, o.verified_days_ago),
        archived_at: None,
        created_at: now,
        updated_at: now,
    }
}

/// The codes a seed offer gets from its sector (`reference/sector-occupations.json`): its ROME
/// fiches, and its first FORMACODE for trainings or its first appellation for jobs and
/// placements.
fn sector_codes(sector: &str, kind: OfferKind) -> Vec<format::Code> {
    let Some(known) = occupations::sector_codes(sector) else {
        return Vec::new();
    };
    let mut codes: Vec<(OccupationSystem, String)> = known
        .rome
        .iter()
        .map(|code| (OccupationSystem::Rome, code.clone()))
        .collect();
    match kind {
        OfferKind::Training => codes.extend(
            known
                .formacodes
                .first()
                .map(|code| (OccupationSystem::Formacode, code.clone())),
        ),
        OfferKind::SupportedJob | OfferKind::WorkPlacement => codes.extend(
            known
                .appellations
                .first()
                .map(|code| (OccupationSystem::Appellation, code.clone())),
        ),
        _ => {}
    }
    let mut codes: Vec<format::Code> = codes
        .into_iter()
        .map(|(system, code)| format::Code {
            system: system.code().to_owned(),
            code,
        })
        .collect();
    codes.sort_by(|a, b| (&a.system, &a.code).cmp(&(&b.system, &b.code)));
    codes
}

fn sorted_codes<T: Copy>(values: &[T], code: fn(T) -> &'static str) -> Vec<String> {
    let mut codes: Vec<String> = values.iter().map(|v| code(*v).to_owned()).collect();
    codes.sort();
    codes.dedup();
    codes
}

/// A seed offer as a published offer record, its dates counted from `today` and `now`.
pub fn offer(o: &SeedOffer, today: NaiveDate, now: DateTime<Utc>) -> format::Offer {
    let key = local_key();
    let updated_at = now - Duration::days(i64::from(o.updated_days_ago));
    // An offer given no place takes its organisation's, except a remote one: it has none.
    let remote_without_place = o.place.is_none() && o.delivery_mode == DeliveryMode::Remote;
    let mut themes: Vec<String> = o.themes.iter().map(|t| (*t).to_owned()).collect();
    themes.sort();
    themes.dedup();
    format::Offer {
        source: key.source.clone(),
        external_id: key.external_id.clone(),
        source_url: None,
        organisation: key,
        title: o.title.clone(),
        summary: o.summary.clone(),
        description: o.description.clone(),
        kind: o.kind.code().to_owned(),
        sector: o.sector.to_owned(),
        status: OfferStatus::Published.code().to_owned(),
        delivery_mode: o.delivery_mode.code().to_owned(),
        at_organisation: o.place.is_none() && !remote_without_place,
        place: o.place.as_ref().map(place),
        weekly_hours: o.weekly_hours,
        duration_weeks: o.duration_weeks,
        contract_type: o.contract_type.map(|c| c.code().to_owned()),
        open_positions: o.open_positions,
        fees: o.fees.code().to_owned(),
        fees_details: None,
        publics: sorted_codes(&o.publics, |p| p.code()),
        publics_details: None,
        barriers: sorted_codes(&o.barriers, |b| b.code()),
        themes,
        codes: sector_codes(o.sector, o.kind),
        how_to_apply: o
            .how_to_apply
            .iter()
            .map(|a| format::ApplyMethod {
                channel: a.channel.code().to_owned(),
                value: a.value.clone(),
                instructions: a.instructions.clone(),
            })
            .collect(),
        mobilisable_par: Vec::new(),
        contact_name: o.contact_name.clone(),
        contact_email: o.contact_email.clone(),
        contact_phone: o.contact_phone.clone(),
        host_company_number: None,
        fit_for_disabled_workers: None,
        conditions: o
            .conditions
            .iter()
            .map(|c| format::Condition {
                kind: c.kind.code().to_owned(),
                mandatory: c.mandatory,
                description: c.description.clone(),
                min_age: c.min_age,
                max_age: c.max_age,
                min_months_registered: c.min_months_registered,
                max_diploma_level: c.max_diploma_level,
                zone_kind: c.zone_kind.map(|z| z.code().to_owned()),
                zone_codes: c.zone_codes.clone(),
                language_level: c.language_level.clone(),
            })
            .collect(),
        slots: o
            .slots
            .iter()
            .map(|s| {
                let starts_on = today + Duration::days(s.starts_in_days);
                let before = |days: Option<i64>| days.map(|d| starts_on - Duration::days(d));
                format::Slot {
                    starts_on,
                    ends_on: starts_on + Duration::days(s.length_days.max(0)),
                    registration_opens_on: before(s.registration_opens_days_before),
                    registration_closes_on: before(s.registration_closes_days_before),
                    info_session_on: before(s.info_session_days_before),
                    seats_total: Some(s.seats_total),
                    seats_taken: s.seats_taken.min(s.seats_total),
                    recruitment: Recruitment::Open.code().to_owned(),
                    cancelled_at: s.cancelled.then_some(now),
                    schedule: s.schedule.clone(),
                    remote: s.remote,
                    place: None,
                    created_at: now,
                    updated_at: now,
                }
            })
            .collect(),
        testimonials: o
            .testimonials
            .iter()
            .map(|t| {
                let moderated = t.status != TestimonialStatus::Pending;
                format::Testimonial {
                    author_name: t.author_name.clone(),
                    author_role: t.role.code().to_owned(),
                    body: t.body.clone(),
                    cohort: Some(t.cohort.clone()),
                    video_url: None,
                    transcript: None,
                    consent_given_at: updated_at - Duration::days(10),
                    status: t.status.code().to_owned(),
                    moderated_at: moderated.then_some(updated_at),
                    moderated_by: moderated.then(|| "demo".to_owned()),
                    rejection_reason: None,
                    created_at: updated_at - Duration::days(10),
                    updated_at,
                }
            })
            .collect(),
        verified_at: days_ago(now, o.verified_days_ago),
        verified_by: None,
        published_at: Some(updated_at - Duration::days(30)),
        created_at: updated_at - Duration::days(30),
        updated_at,
    }
}
