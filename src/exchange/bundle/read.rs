//! Catalogue rows as bundle records, a page of ids at a time (a few statements per page,
//! whatever its size): what the exporter writes and what a re-import compares against.
use std::collections::HashMap;

use entity::enums::TestimonialStatus;
use entity::{
    eligibility_condition, offer, offer_barrier, offer_code, offer_public, offer_theme,
    organisation, testimonial, training_slot,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::format::{self, Key};
use crate::catalogue::apply::parse_methods;
use crate::error::AppResult;
use crate::graphql::ids::{self, NodeType};

/// Which testimonials a bundle carries: anonymous readers see the approved ones only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Testimonials {
    ApprovedOnly,
    All,
}

/// The key of a record: its provenance, or for a record typed in here, this catalogue's
/// source name and the record's public id (so that it keeps one key wherever it goes).
fn key(own_source: &str, node: NodeType, id: i32, source: &str, external_id: Option<&str>) -> Key {
    match external_id {
        Some(external_id) => Key {
            source: source.to_owned(),
            external_id: external_id.to_owned(),
        },
        None => Key {
            source: own_source.to_owned(),
            external_id: ids::encode(node, id).to_string(),
        },
    }
}

pub fn organisation_record(own_source: &str, o: organisation::Model) -> format::Organisation {
    let key = key(
        own_source,
        NodeType::Organisation,
        o.id,
        &o.source,
        o.external_id.as_deref(),
    );
    format::Organisation {
        source: key.source,
        external_id: key.external_id,
        source_url: o.source_url,
        name: o.name,
        kind: o.kind.code().to_owned(),
        country: o.country.code().to_owned(),
        company_number: o.company_number,
        address: o.address,
        postal_code: o.postal_code,
        city: o.city,
        commune_code: o.commune_code,
        latitude: o.latitude,
        longitude: o.longitude,
        email: o.email,
        phone: o.phone,
        website: o.website,
        opening_hours: o.opening_hours,
        accessibility_url: o.accessibility_url,
        networks: serde_json::from_str(&o.networks).unwrap_or_default(),
        verified_at: o.verified_at,
        archived_at: o.archived_at,
        created_at: o.created_at,
        updated_at: o.updated_at,
    }
}

/// Organisations by id, as records, in the order of `ids`.
pub async fn organisations(
    db: &impl ConnectionTrait,
    own_source: &str,
    ids: &[i32],
) -> AppResult<Vec<(i32, format::Organisation)>> {
    let rows = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids.to_vec()))
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|o| (o.id, organisation_record(own_source, o)))
        .collect())
}

/// The next `limit` ids of `table` after `after` (keyset walk of a whole table).
pub async fn ids_after<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id_column: E::Column,
    after: i32,
    limit: u64,
) -> AppResult<Vec<i32>> {
    Ok(E::find()
        .select_only()
        .column(id_column)
        .filter(id_column.gt(after))
        .order_by_asc(id_column)
        .limit(limit)
        .into_tuple::<i32>()
        .all(db)
        .await?)
}

/// The child rows of a page of offers, in `order`.
async fn of_offers<E: EntityTrait>(
    db: &impl ConnectionTrait,
    offer_id: E::Column,
    ids: &[i32],
    order: &[E::Column],
) -> AppResult<Vec<E::Model>> {
    let mut select = E::find().filter(offer_id.is_in(ids.to_vec()));
    for column in order {
        select = select.order_by_asc(*column);
    }
    Ok(select.all(db).await?)
}

/// Children rows of a page of offers, grouped by offer id.
fn group<T>(rows: Vec<T>, offer_id: impl Fn(&T) -> i32) -> HashMap<i32, Vec<T>> {
    let mut grouped: HashMap<i32, Vec<T>> = HashMap::new();
    for row in rows {
        grouped.entry(offer_id(&row)).or_default().push(row);
    }
    grouped
}

fn place_of_slot(s: &training_slot::Model) -> Option<format::Place> {
    Some(format::Place {
        address: s.address.clone(),
        postal_code: s.postal_code.clone()?,
        city: s.city.clone()?,
        commune_code: s.commune_code.clone()?,
        latitude: s.latitude,
        longitude: s.longitude,
    })
}

fn place_of_offer(o: &offer::Model) -> Option<format::Place> {
    if o.location_from_organisation {
        return None;
    }
    Some(format::Place {
        address: o.address.clone(),
        postal_code: o.postal_code.clone()?,
        city: o.city.clone()?,
        commune_code: o.commune_code.clone()?,
        latitude: o.latitude,
        longitude: o.longitude,
    })
}

/// Offers by id, as records with all their children, in id order (missing ids skipped).
pub async fn offers(
    db: &impl ConnectionTrait,
    own_source: &str,
    ids: &[i32],
    testimonials: Testimonials,
) -> AppResult<Vec<(i32, format::Offer)>> {
    let rows = offer::Entity::find()
        .filter(offer::Column::Id.is_in(ids.to_vec()))
        .order_by_asc(offer::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|o| o.id).collect();
    let mut organisation_ids: Vec<i32> = rows.iter().map(|o| o.organisation_id).collect();
    organisation_ids.sort_unstable();
    organisation_ids.dedup();
    let organisation_keys: HashMap<i32, Key> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(organisation_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            let key = key(
                own_source,
                NodeType::Organisation,
                o.id,
                &o.source,
                o.external_id.as_deref(),
            );
            (o.id, key)
        })
        .collect();
    let mut publics = group(
        of_offers::<offer_public::Entity>(db, offer_public::Column::OfferId, &ids, &[]).await?,
        |r| r.offer_id,
    );
    let mut barriers = group(
        of_offers::<offer_barrier::Entity>(db, offer_barrier::Column::OfferId, &ids, &[]).await?,
        |r| r.offer_id,
    );
    let mut themes = group(
        of_offers::<offer_theme::Entity>(db, offer_theme::Column::OfferId, &ids, &[]).await?,
        |r| r.offer_id,
    );
    let mut codes = group(
        of_offers::<offer_code::Entity>(db, offer_code::Column::OfferId, &ids, &[]).await?,
        |r| r.offer_id,
    );
    let mut conditions = group(
        of_offers::<eligibility_condition::Entity>(
            db,
            eligibility_condition::Column::OfferId,
            &ids,
            &[
                eligibility_condition::Column::Position,
                eligibility_condition::Column::Id,
            ],
        )
        .await?,
        |r| r.offer_id,
    );
    let mut slots = group(
        of_offers::<training_slot::Entity>(
            db,
            training_slot::Column::OfferId,
            &ids,
            &[training_slot::Column::StartsOn, training_slot::Column::Id],
        )
        .await?,
        |r| r.offer_id,
    );
    let mut testimonial_query =
        testimonial::Entity::find().filter(testimonial::Column::OfferId.is_in(ids.clone()));
    if testimonials == Testimonials::ApprovedOnly {
        testimonial_query =
            testimonial_query.filter(testimonial::Column::Status.eq(TestimonialStatus::Approved));
    }
    let mut testimonial_rows = group(
        testimonial_query
            .order_by_asc(testimonial::Column::CreatedAt)
            .order_by_asc(testimonial::Column::Id)
            .all(db)
            .await?,
        |r| r.offer_id,
    );

    let mut records = Vec::with_capacity(rows.len());
    for o in rows {
        let id = o.id;
        let own_key = key(
            own_source,
            NodeType::Offer,
            id,
            &o.source,
            o.external_id.as_deref(),
        );
        let Some(organisation) = organisation_keys.get(&o.organisation_id).cloned() else {
            continue;
        };
        let mut public_codes: Vec<String> = publics
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.public.code().to_owned())
            .collect();
        public_codes.sort();
        let mut barrier_codes: Vec<String> = barriers
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.barrier.code().to_owned())
            .collect();
        barrier_codes.sort();
        let mut theme_codes: Vec<String> = themes
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.theme)
            .collect();
        theme_codes.sort();
        let mut code_records: Vec<format::Code> = codes
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|r| format::Code {
                system: r.system.code().to_owned(),
                code: r.code,
            })
            .collect();
        code_records.sort_by(|a, b| (&a.system, &a.code).cmp(&(&b.system, &b.code)));
        let place = place_of_offer(&o);
        records.push((
            id,
            format::Offer {
                source: own_key.source,
                external_id: own_key.external_id,
                source_url: o.source_url.clone(),
                organisation,
                title: o.title.clone(),
                summary: o.summary.clone(),
                description: o.description.clone(),
                kind: o.kind.code().to_owned(),
                sector: o.sector_code.clone(),
                status: o.status.code().to_owned(),
                delivery_mode: o.delivery_mode.code().to_owned(),
                at_organisation: o.location_from_organisation,
                place,
                weekly_hours: o.weekly_hours,
                duration_weeks: o.duration_weeks,
                contract_type: o.contract_type.map(|c| c.code().to_owned()),
                open_positions: o.open_positions,
                fees: o.fees.code().to_owned(),
                fees_details: o.fees_details.clone(),
                publics: public_codes,
                publics_details: o.publics_details.clone(),
                barriers: barrier_codes,
                themes: theme_codes,
                codes: code_records,
                how_to_apply: parse_methods(&o.how_to_apply)
                    .into_iter()
                    .map(|m| format::ApplyMethod {
                        channel: m.channel.code().to_owned(),
                        value: m.value,
                        instructions: m.instructions,
                    })
                    .collect(),
                mobilisable_par: serde_json::from_str(&o.mobilisable_par).unwrap_or_default(),
                contact_name: o.contact_name.clone(),
                contact_email: o.contact_email.clone(),
                contact_phone: o.contact_phone.clone(),
                host_company_number: o.host_company_number.clone(),
                fit_for_disabled_workers: o.fit_for_disabled_workers.map(|f| f.code().to_owned()),
                conditions: conditions
                    .remove(&id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| format::Condition {
                        kind: c.kind.code().to_owned(),
                        mandatory: c.mandatory,
                        description: c.description,
                        min_age: c.min_age,
                        max_age: c.max_age,
                        min_months_registered: c.min_months_registered,
                        max_diploma_level: c.max_diploma_level,
                        zone_kind: c.zone_kind.map(|z| z.code().to_owned()),
                        zone_codes: serde_json::from_str(&c.zone_codes).unwrap_or_default(),
                        language_level: c.language_level,
                    })
                    .collect(),
                slots: slots
                    .remove(&id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| format::Slot {
                        place: place_of_slot(&s),
                        starts_on: s.starts_on,
                        ends_on: s.ends_on,
                        registration_opens_on: s.registration_opens_on,
                        registration_closes_on: s.registration_closes_on,
                        info_session_on: s.info_session_on,
                        seats_total: s.seats_total,
                        seats_taken: s.seats_taken,
                        recruitment: s.recruitment.code().to_owned(),
                        cancelled_at: s.cancelled_at,
                        schedule: s.schedule,
                        remote: s.remote,
                        created_at: s.created_at,
                        updated_at: s.updated_at,
                    })
                    .collect(),
                testimonials: testimonial_rows
                    .remove(&id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| format::Testimonial {
                        author_name: t.author_name,
                        author_role: t.author_role.code().to_owned(),
                        body: t.body,
                        cohort: t.cohort,
                        video_url: t.video_url,
                        transcript: t.transcript,
                        consent_given_at: t.consent_given_at,
                        status: t.status.code().to_owned(),
                        moderated_at: t.moderated_at,
                        moderated_by: t.moderated_by,
                        rejection_reason: t.rejection_reason,
                        created_at: t.created_at,
                        updated_at: t.updated_at,
                    })
                    .collect(),
                verified_at: o.verified_at,
                verified_by: o.verified_by.clone(),
                published_at: o.published_at,
                created_at: o.created_at,
                updated_at: o.updated_at,
            },
        ));
    }
    Ok(records)
}
