//! Checks a bundle record with the same rules as the editing commands, and returns it
//! normalised (codes upper-cased, company numbers as digits, lists sorted).
use entity::enums::{
    ApplyChannel, Barrier, ConditionKind, ContractType, Country, DeliveryMode, DisabledWorkerFit,
    Fees, Mobiliser, OccupationSystem, OfferKind, OfferStatus, OrganisationKind, Public,
    Recruitment, TestimonialRole, TestimonialStatus, ZoneKind,
};
use std::collections::HashSet;

use super::format;
use crate::catalogue::apply::ApplyMethod;
use crate::catalogue::editing::conditions::{self, ConditionFields};
use crate::catalogue::editing::offers::{OfferChanges, PlaceFields, check_fields, unknown_sector};
use crate::catalogue::editing::organisations::{self, OrganisationChanges};
use crate::catalogue::editing::{slots, testimonials, validate};
use crate::catalogue::occupations::parse_codes;
use crate::error::{AppError, AppResult};

/// A code of `T`, or a validation error on `field` listing what was expected.
fn code<T: Copy>(
    field: &str,
    value: &str,
    from_code: fn(&str) -> Option<T>,
    all: &[T],
    to_code: fn(T) -> &'static str,
) -> AppResult<T> {
    from_code(value).ok_or_else(|| {
        let known: Vec<&str> = all.iter().map(|v| to_code(*v)).collect();
        AppError::validation(
            field,
            format!(
                "unknown code {value:?}, expected one of {}",
                known.join(", ")
            ),
        )
    })
}

macro_rules! parse {
    ($enum:ty, $field:expr, $value:expr) => {
        code::<$enum>(
            $field,
            $value,
            <$enum>::from_code,
            <$enum>::ALL,
            <$enum>::code,
        )
    };
}

fn place_fields(place: &format::Place) -> PlaceFields {
    PlaceFields {
        address: place.address.clone().unwrap_or_default(),
        postal_code: place.postal_code.clone(),
        city: place.city.clone(),
        commune_code: place.commune_code.clone(),
        latitude: place.latitude,
        longitude: place.longitude,
    }
}

fn normalise_place(place: &mut format::Place) {
    place.commune_code = place.commune_code.trim().to_uppercase();
}

/// The organisation record, checked and normalised.
pub fn organisation(mut o: format::Organisation) -> AppResult<format::Organisation> {
    validate::source("source", &o.source)?;
    validate::text("external_id", &o.external_id, 1, 200)?;
    validate::url("source_url", o.source_url.as_deref())?;
    parse!(OrganisationKind, "kind", &o.kind)?;
    let country = parse!(Country, "country", &o.country)?;
    if let Some(number) = &o.company_number {
        o.company_number = Some(validate::company_number("company_number", number)?);
    }
    let changes = OrganisationChanges {
        name: Some(o.name.clone()),
        place: Some(PlaceFields {
            address: o.address.clone(),
            postal_code: o.postal_code.clone(),
            city: o.city.clone(),
            commune_code: o.commune_code.clone(),
            latitude: o.latitude,
            longitude: o.longitude,
        }),
        email: Some(o.email.clone()),
        phone: Some(o.phone.clone()),
        website: Some(o.website.clone()),
        opening_hours: Some(o.opening_hours.clone()),
        accessibility_url: Some(o.accessibility_url.clone()),
        ..Default::default()
    };
    organisations::check(&changes, country)?;
    o.commune_code = o.commune_code.trim().to_uppercase();
    o.name = o.name.trim().to_owned();
    Ok(o)
}

/// The offer record, checked and normalised; `sectors` are the codes of the catalogue's
/// sectors (loaded once per import, not once per record).
pub fn offer(sectors: &HashSet<String>, mut o: format::Offer) -> AppResult<format::Offer> {
    validate::source("source", &o.source)?;
    validate::text("external_id", &o.external_id, 1, 200)?;
    validate::url("source_url", o.source_url.as_deref())?;
    validate::source("organisation.source", &o.organisation.source)?;
    let kind = parse!(OfferKind, "kind", &o.kind)?;
    parse!(OfferStatus, "status", &o.status)?;
    let delivery_mode = parse!(DeliveryMode, "delivery_mode", &o.delivery_mode)?;
    let fees = parse!(Fees, "fees", &o.fees)?;
    let contract_type = o
        .contract_type
        .as_deref()
        .map(|c| parse!(ContractType, "contract_type", c))
        .transpose()?;
    let fit = o
        .fit_for_disabled_workers
        .as_deref()
        .map(|f| parse!(DisabledWorkerFit, "fit_for_disabled_workers", f))
        .transpose()?;
    let publics = o
        .publics
        .iter()
        .enumerate()
        .map(|(i, p)| parse!(Public, &format!("publics.{i}"), p))
        .collect::<AppResult<Vec<_>>>()?;
    let barriers = o
        .barriers
        .iter()
        .enumerate()
        .map(|(i, b)| parse!(Barrier, &format!("barriers.{i}"), b))
        .collect::<AppResult<Vec<_>>>()?;
    let mobilisers = o
        .mobilisable_par
        .iter()
        .enumerate()
        .map(|(i, m)| parse!(Mobiliser, &format!("mobilisable_par.{i}"), m))
        .collect::<AppResult<Vec<_>>>()?;
    let how_to_apply = o
        .how_to_apply
        .iter()
        .enumerate()
        .map(|(i, m)| {
            Ok(ApplyMethod {
                channel: parse!(
                    ApplyChannel,
                    &format!("how_to_apply.{i}.channel"),
                    &m.channel
                )?,
                value: m.value.clone(),
                instructions: m.instructions.clone(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    if o.at_organisation && o.place.is_some() {
        return Err(AppError::validation(
            "place",
            "an offer at its organisation's address has no place of its own",
        ));
    }
    if let Some(place) = &mut o.place {
        normalise_place(place);
    }
    // Codes by system, as the editing commands take them; normalised in place.
    let mut by_system: [(OccupationSystem, Vec<String>); 3] = [
        (OccupationSystem::Rome, Vec::new()),
        (OccupationSystem::Appellation, Vec::new()),
        (OccupationSystem::Formacode, Vec::new()),
    ];
    for (i, c) in o.codes.iter().enumerate() {
        let system = parse!(OccupationSystem, &format!("codes.{i}.system"), &c.system)?;
        if let Some((_, codes)) = by_system.iter_mut().find(|(s, _)| *s == system) {
            codes.push(c.code.clone());
        }
    }
    let mut codes = Vec::new();
    for (system, raw) in &by_system {
        for code in parse_codes("codes", *system, raw)? {
            codes.push(format::Code {
                system: system.code().to_owned(),
                code,
            });
        }
    }
    codes.sort_by(|a, b| (&a.system, &a.code).cmp(&(&b.system, &b.code)));
    codes.dedup();
    o.codes = codes;
    let changes = OfferChanges {
        title: Some(o.title.clone()),
        summary: Some(o.summary.clone()),
        description: Some(o.description.clone()),
        kind: Some(kind),
        sector_code: Some(o.sector.clone()),
        publics: Some(publics),
        barriers: Some(barriers),
        themes: Some(o.themes.clone()),
        delivery_mode: Some(delivery_mode),
        place: Some(o.place.as_ref().map(place_fields)),
        weekly_hours: Some(o.weekly_hours),
        duration_weeks: Some(o.duration_weeks),
        contract_type: Some(contract_type),
        open_positions: Some(o.open_positions),
        fees: Some(fees),
        how_to_apply: Some(how_to_apply),
        contact_name: Some(o.contact_name.clone()),
        contact_email: Some(o.contact_email.clone()),
        contact_phone: Some(o.contact_phone.clone()),
        host_company_number: Some(o.host_company_number.clone()),
        fit_for_disabled_workers: Some(fit),
        mobilisable_par: Some(mobilisers),
        publics_details: Some(o.publics_details.clone()),
        fees_details: Some(o.fees_details.clone()),
        ..Default::default()
    };
    check_fields(&changes)?;
    if !sectors.contains(&o.sector) {
        return Err(unknown_sector(&o.sector));
    }
    if let Some(number) = &o.host_company_number {
        o.host_company_number = Some(validate::company_number("host_company_number", number)?);
    }
    for (i, c) in o.conditions.iter_mut().enumerate() {
        check_condition(c).map_err(|e| e.within(&format!("conditions.{i}")))?;
    }
    for (i, s) in o.slots.iter_mut().enumerate() {
        check_slot(s).map_err(|e| e.within(&format!("slots.{i}")))?;
    }
    for (i, t) in o.testimonials.iter_mut().enumerate() {
        check_testimonial(t).map_err(|e| e.within(&format!("testimonials.{i}")))?;
    }
    o.title = o.title.trim().to_owned();
    o.summary = o.summary.trim().to_owned();
    o.description = o.description.trim().to_owned();
    o.publics.sort();
    o.publics.dedup();
    o.barriers.sort();
    o.barriers.dedup();
    o.themes.sort();
    o.themes.dedup();
    Ok(o)
}

fn check_condition(c: &mut format::Condition) -> AppResult<()> {
    let fields = ConditionFields {
        kind: parse!(ConditionKind, "kind", &c.kind)?,
        mandatory: c.mandatory,
        description: c.description.clone(),
        min_age: c.min_age,
        max_age: c.max_age,
        min_months_registered: c.min_months_registered,
        max_diploma_level: c.max_diploma_level,
        zone_kind: c
            .zone_kind
            .as_deref()
            .map(|z| parse!(ZoneKind, "zone_kind", z))
            .transpose()?,
        zone_codes: c.zone_codes.clone(),
        language_level: c.language_level.clone(),
    };
    conditions::check(&fields)
}

fn check_slot(s: &mut format::Slot) -> AppResult<()> {
    if let Some(place) = &mut s.place {
        validate::text("place.city", &place.city, 1, 100)?;
        validate::text("place.postal_code", &place.postal_code, 4, 10)?;
        validate::commune_code("place.commune_code", &place.commune_code)?;
        validate::coordinates("place", place.latitude, place.longitude)?;
        normalise_place(place);
    }
    let recruitment = parse!(Recruitment, "recruitment", &s.recruitment)?;
    slots::check(&entity::training_slot::Model {
        id: 0,
        offer_id: 0,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
        registration_opens_on: s.registration_opens_on,
        registration_closes_on: s.registration_closes_on,
        info_session_on: s.info_session_on,
        seats_total: s.seats_total,
        seats_taken: s.seats_taken,
        recruitment,
        cancelled_at: s.cancelled_at,
        schedule: s.schedule.clone(),
        remote: s.remote,
        address: None,
        postal_code: None,
        city: None,
        commune_code: None,
        latitude: None,
        longitude: None,
        created_at: s.created_at,
        updated_at: s.updated_at,
        version: 1,
    })
}

fn check_testimonial(t: &mut format::Testimonial) -> AppResult<()> {
    parse!(TestimonialRole, "author_role", &t.author_role)?;
    parse!(TestimonialStatus, "status", &t.status)?;
    validate::text("author_name", &t.author_name, 1, 80)?;
    validate::text("body", &t.body, 1, 2000)?;
    if let Some(cohort) = &t.cohort
        && !testimonials::check_cohort(cohort)
    {
        return Err(AppError::validation(
            "cohort",
            "the cohort is a month, YYYY-MM",
        ));
    }
    validate::url("video_url", t.video_url.as_deref())?;
    if t.video_url.is_some() && t.transcript.is_none() {
        return Err(AppError::validation(
            "transcript",
            "a video testimonial needs its transcript",
        ));
    }
    Ok(())
}
