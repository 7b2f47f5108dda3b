//! The published training offers as LHÉO 2.3, valid against `reference/lheo-2.3/lheo.xsd`,
//! written a page of offers at a time (memory holds one page, whatever the catalogue).
//!
//! One offer is one `formation` with one `action`; its sessions that are not cancelled are the
//! action's `session`s; its organisation is both the `organisme-formation-responsable` and
//! the `organisme-formateur`. LHÉO requires elements the catalogue does not hold: they get
//! LHÉO's "unknown" code where it has one (`code-niveau-entree` 0, `numero-activite` of
//! zeros) and [`NOT_SAID`](super::mapping::NOT_SAID) where the element is free text (see the README). An offer LHÉO
//! cannot carry is skipped and counted: no dated session (`session` is mandatory), or an
//! organisation without a French SIRET and a five-digit postal code.
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, Utc};
use entity::enums::{
    DeliveryMode, Fees, OccupationSystem, OfferKind, OfferStatus, Public, Recruitment,
};
use entity::{offer, organisation};
use futures_util::Stream;
use quick_xml::escape::escape;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::NAMESPACE_2_3;
use super::mapping::{
    INFORMATION_SESSION, NO_CONDITIONS, NOT_SAID, OTHER_PUBLIC, PUBLICS, lheo_date,
    recruitment_code, teaching_mode,
};
use crate::error::AppResult;
use crate::exchange::bundle::format;
use crate::exchange::bundle::read::{self, Testimonials};
use crate::graphql::ids::{self, NodeType};

/// Offers read per page.
pub const PAGE_SIZE: u64 = 200;

/// `numero-activite` (the training body's declaration number, 11 characters) when unknown:
/// the catalogue does not record it.
pub const UNKNOWN_ACTIVITY_NUMBER: &str = "00000000000";

/// What an export wrote and what it skipped, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub written: u64,
    pub skipped: BTreeMap<&'static str, u64>,
}

/// One export, read page by page.
pub struct Export {
    db: DatabaseConnection,
    own_source: String,
    page_size: u64,
    after: i32,
    started: bool,
    done: bool,
    report: Report,
}

impl Export {
    pub fn new(db: DatabaseConnection, own_source: impl Into<String>) -> Self {
        Self {
            db,
            own_source: own_source.into(),
            page_size: PAGE_SIZE,
            after: 0,
            started: false,
            done: false,
            report: Report::default(),
        }
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The next part of the file (the first one opens it, the last one closes it), or `None`.
    pub async fn next_page(&mut self) -> AppResult<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let mut out = String::new();
        if !self.started {
            self.started = true;
            out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
            let _ = write!(out, "\n<lheo xmlns=\"{NAMESPACE_2_3}\">\n<offres>\n");
        }
        let active_organisations = Query::select()
            .column(organisation::Column::Id)
            .from(organisation::Entity)
            .and_where(organisation::Column::ArchivedAt.is_null())
            .take();
        let rows: Vec<(i32, i32)> = offer::Entity::find()
            .select_only()
            .column(offer::Column::Id)
            .column(offer::Column::OrganisationId)
            .filter(offer::Column::Status.eq(OfferStatus::Published))
            .filter(offer::Column::Kind.eq(OfferKind::Training))
            .filter(offer::Column::Id.gt(self.after))
            .filter(offer::Column::OrganisationId.in_subquery(active_organisations))
            .order_by_asc(offer::Column::Id)
            .limit(self.page_size)
            .into_tuple()
            .all(&self.db)
            .await?;
        if let Some((last, _)) = rows.last() {
            self.after = *last;
        }
        if (rows.len() as u64) < self.page_size {
            self.done = true;
        }
        let ids: Vec<i32> = rows.iter().map(|(id, _)| *id).collect();
        let organisation_of: HashMap<i32, i32> = rows.iter().copied().collect();
        let mut organisation_ids: Vec<i32> = rows.iter().map(|(_, o)| *o).collect();
        organisation_ids.sort_unstable();
        organisation_ids.dedup();
        let organisations: HashMap<i32, format::Organisation> =
            read::organisations(&self.db, &self.own_source, &organisation_ids)
                .await?
                .into_iter()
                .collect();
        let offers =
            read::offers(&self.db, &self.own_source, &ids, Testimonials::ApprovedOnly).await?;
        for (id, offer) in offers {
            // Unpublished between the two reads: left out.
            if offer.status != OfferStatus::Published.code() {
                continue;
            }
            let Some(organisation) = organisation_of.get(&id).and_then(|o| organisations.get(o))
            else {
                continue;
            };
            match formation(&mut out, id, &offer, organisation) {
                Ok(()) => self.report.written += 1,
                Err(reason) => {
                    tracing::warn!(offer = id, reason, "not exported as LHÉO");
                    *self.report.skipped.entry(reason).or_default() += 1;
                }
            }
        }
        if self.done {
            out.push_str("</offres>\n</lheo>\n");
            tracing::info!(written = self.report.written, skipped = ?self.report.skipped, "LHÉO export finished");
        }
        Ok(Some(out.into_bytes()))
    }

    /// Every part, as a stream (for a streamed HTTP body).
    pub fn into_stream(self) -> impl Stream<Item = AppResult<Vec<u8>>> + Send + 'static {
        futures_util::stream::try_unfold(self, |mut export| async move {
            Ok(export.next_page().await?.map(|page| (page, export)))
        })
    }
}

/// `text` cut to `max` characters (an ellipsis says it was cut).
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

fn element(out: &mut String, name: &str, text: &str) {
    let _ = write!(out, "<{name}>{}</{name}>", escape(text));
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An address in `ligne`s of at most 50 characters (at most four), cut at its commas, then
/// at words.
fn lines(address: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for part in address.split(", ").flat_map(|part| {
        let mut pieces = Vec::new();
        let mut current = String::new();
        for word in part.split_whitespace() {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > 50 {
                pieces.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        if !current.is_empty() {
            pieces.push(current);
        }
        pieces
    }) {
        match lines.last_mut() {
            Some(last) if last.chars().count() + 2 + part.chars().count() <= 50 => {
                last.push_str(", ");
                last.push_str(&part);
            }
            _ => lines.push(part),
        }
    }
    if lines.len() > 4 {
        let rest = lines.split_off(3).join(", ");
        lines.push(rest);
    }
    lines.into_iter().map(|l| fit(&l, 50)).collect()
}

/// An `adresse`.
fn address(out: &mut String, place: &format::Place) {
    out.push_str("<adresse>");
    let street = place.address.clone().unwrap_or_else(|| place.city.clone());
    for line in lines(&street) {
        element(out, "ligne", &line);
    }
    element(out, "codepostal", &place.postal_code);
    element(out, "ville", &fit(&place.city, 50));
    if place.commune_code.len() == 5 {
        element(out, "code-INSEE-commune", &place.commune_code);
    }
    if let (Some(latitude), Some(longitude)) = (place.latitude, place.longitude) {
        out.push_str("<geolocalisation>");
        element(out, "latitude", &latitude.to_string());
        element(out, "longitude", &longitude.to_string());
        out.push_str("</geolocalisation>");
    }
    out.push_str("</adresse>");
}

fn organisation_place(o: &format::Organisation) -> format::Place {
    format::Place {
        address: Some(o.address.clone()),
        postal_code: o.postal_code.clone(),
        city: o.city.clone(),
        commune_code: o.commune_code.clone(),
        latitude: o.latitude,
        longitude: o.longitude,
    }
}

/// A `coordonnees`: name, address, phone, e-mail, web site (each when known).
fn coordinates(
    out: &mut String,
    name: Option<&str>,
    place: Option<&format::Place>,
    phone: Option<&str>,
    email: Option<&str>,
    website: Option<&str>,
) {
    out.push_str("<coordonnees>");
    if let Some(name) = name {
        element(out, "nom", &fit(name, 50));
    }
    if let Some(place) = place {
        address(out, place);
    }
    if let Some(phone) = phone.filter(|p| p.chars().count() <= 25) {
        out.push_str("<telfixe>");
        element(out, "numtel", phone);
        out.push_str("</telfixe>");
    }
    if let Some(email) = email.filter(|e| (3..=160).contains(&e.chars().count())) {
        element(out, "courriel", email);
    }
    if let Some(website) = website.filter(|w| (3..=400).contains(&w.chars().count())) {
        out.push_str("<web>");
        element(out, "urlweb", website);
        out.push_str("</web>");
    }
    out.push_str("</coordonnees>");
}

/// The `code-public-vise` codes of our publics (at most ten), "autre public" for publics
/// without one, "tout public" when the offer names none.
fn public_codes(publics: &[String]) -> Vec<&'static str> {
    if publics.is_empty() {
        return vec!["80056"];
    }
    let mut codes: Vec<&'static str> = publics
        .iter()
        .filter_map(|p| Public::from_code(p))
        .filter_map(|p| PUBLICS.iter().find(|(q, _)| *q == p).map(|(_, c)| *c))
        .collect();
    if codes.len() < publics.len() {
        codes.push(OTHER_PUBLIC);
    }
    codes.sort_unstable();
    codes.dedup();
    codes.truncate(10);
    codes
}

/// Writes one offer as a `formation`, or says why LHÉO cannot carry it.
fn formation(
    out: &mut String,
    id: i32,
    o: &format::Offer,
    organisation: &format::Organisation,
) -> Result<(), &'static str> {
    let siret = organisation
        .company_number
        .as_deref()
        .filter(|n| n.len() == 14 && organisation.country == "FR")
        .ok_or("organisation without a French SIRET")?;
    if organisation.postal_code.len() != 5 {
        return Err("organisation without a five-digit postal code");
    }
    let slots: Vec<&format::Slot> = o
        .slots
        .iter()
        .filter(|s| s.cancelled_at.is_none())
        .collect();
    if slots.is_empty() {
        return Err("no session that is not cancelled");
    }
    let numero = ids::encode(NodeType::Offer, id).to_string();
    let stamps = format!(
        r#" horodatage-creation="{}" horodatage-modification="{}""#,
        stamp(o.created_at),
        stamp(o.updated_at)
    );
    let _ = write!(
        out,
        "<formation numero=\"{}\"{stamps}>",
        escape(numero.as_str())
    );
    out.push_str("<domaine-formation>");
    for (system, name) in [
        (OccupationSystem::Formacode, "code-FORMACODE"),
        (OccupationSystem::Rome, "code-ROME"),
    ] {
        for code in o
            .codes
            .iter()
            .filter(|c| c.system == system.code() && c.code.len() == 5)
            .take(5)
        {
            element(out, name, &code.code);
        }
    }
    out.push_str("</domaine-formation>");
    element(out, "intitule-formation", &fit(&o.title, 255));
    let summary = if o.summary.is_empty() {
        &o.title
    } else {
        &o.summary
    };
    element(out, "objectif-formation", &fit(summary, 3000));
    element(out, "resultats-attendus", NOT_SAID);
    let content = if o.description.is_empty() {
        summary
    } else {
        &o.description
    };
    element(out, "contenu-formation", &fit(content, 3000));
    // The catalogue records no certification.
    element(out, "certifiante", "0");
    out.push_str("<contact-formation>");
    coordinates(
        out,
        o.contact_name.as_deref(),
        None,
        o.contact_phone.as_deref().or(organisation.phone.as_deref()),
        o.contact_email.as_deref().or(organisation.email.as_deref()),
        None,
    );
    out.push_str("</contact-formation>");
    // 1: in a group, on fixed dates (dated sessions are what the catalogue holds).
    element(out, "parcours-de-formation", "1");
    // 0: "information non communiquée".
    element(out, "code-niveau-entree", "0");
    if let Some(url) = &o.source_url {
        out.push_str("<url-formation>");
        element(out, "urlweb", &fit(url, 400));
        out.push_str("</url-formation>");
    }
    let _ = write!(
        out,
        "<action numero=\"{}\"{stamps}>",
        escape(numero.as_str())
    );
    let rhythm = slots
        .iter()
        .find_map(|s| s.schedule.as_deref())
        .unwrap_or(NOT_SAID);
    element(out, "rythme-formation", &fit(rhythm, 3000));
    for code in public_codes(&o.publics) {
        element(out, "code-public-vise", code);
    }
    if let Some(details) = &o.publics_details {
        element(out, "info-public-vise", &fit(details, 250));
    }
    element(out, "niveau-entree-obligatoire", "0");
    element(out, "modalites-alternance", NOT_SAID);
    let mode = DeliveryMode::ALL
        .iter()
        .copied()
        .find(|m| m.code() == o.delivery_mode)
        .unwrap_or(DeliveryMode::OnSite);
    element(out, "modalites-enseignement", teaching_mode(mode));
    let conditions: Vec<&str> = o
        .conditions
        .iter()
        .filter(|c| !c.description.is_empty())
        .map(|c| c.description.as_str())
        .collect();
    let conditions = if conditions.is_empty() {
        NO_CONDITIONS.to_owned()
    } else {
        conditions.join("\n")
    };
    element(out, "conditions-specifiques", &fit(&conditions, 3000));
    let free = o.fees == Fees::Free.code();
    element(
        out,
        "prise-en-charge-frais-possible",
        if free { "1" } else { "0" },
    );
    let site = o
        .place
        .clone()
        .unwrap_or_else(|| organisation_place(organisation));
    if mode != DeliveryMode::Remote && site.postal_code.len() == 5 {
        out.push_str("<lieu-de-formation>");
        coordinates(out, None, Some(&site), None, None, None);
        out.push_str("</lieu-de-formation>");
    }
    // 0: entries and exits on fixed dates.
    element(out, "modalites-entrees-sorties", "0");
    if let Some(url) = &o.source_url {
        out.push_str("<url-action>");
        element(out, "urlweb", &fit(url, 400));
        out.push_str("</url-action>");
    }
    for slot in slots {
        session(out, slot, organisation);
    }
    if free {
        element(out, "frais-restants", "0");
    } else {
        let details = o.fees_details.as_deref().unwrap_or(NOT_SAID);
        element(out, "frais-restants", &fit(details, 200));
    }
    out.push_str("<organisme-formateur><SIRET-formateur>");
    element(out, "SIRET", siret);
    out.push_str("</SIRET-formateur>");
    element(
        out,
        "raison-sociale-formateur",
        &fit(&organisation.name, 250),
    );
    out.push_str("<contact-formateur>");
    organisation_coordinates(out, organisation);
    out.push_str("</contact-formateur></organisme-formateur>");
    out.push_str("</action>");
    let _ = write!(
        out,
        r#"<organisme-formation-responsable horodatage-creation="{}" horodatage-modification="{}">"#,
        stamp(organisation.created_at),
        stamp(organisation.updated_at)
    );
    element(out, "numero-activite", UNKNOWN_ACTIVITY_NUMBER);
    out.push_str("<SIRET-organisme-formation>");
    element(out, "SIRET", siret);
    out.push_str("</SIRET-organisme-formation>");
    element(out, "nom-organisme", &fit(&organisation.name, 250));
    element(out, "raison-sociale", &fit(&organisation.name, 250));
    out.push_str("<coordonnees-organisme>");
    organisation_coordinates(out, organisation);
    out.push_str("</coordonnees-organisme><contact-organisme>");
    coordinates(
        out,
        None,
        None,
        organisation.phone.as_deref(),
        organisation.email.as_deref(),
        None,
    );
    out.push_str("</contact-organisme></organisme-formation-responsable></formation>\n");
    Ok(())
}

fn organisation_coordinates(out: &mut String, organisation: &format::Organisation) {
    coordinates(
        out,
        None,
        Some(&organisation_place(organisation)),
        organisation.phone.as_deref(),
        organisation.email.as_deref(),
        organisation.website.as_deref(),
    );
}

fn session(out: &mut String, slot: &format::Slot, organisation: &format::Organisation) {
    out.push_str("<session><periode>");
    element(out, "debut", &lheo_date(slot.starts_on));
    element(out, "fin", &lheo_date(slot.ends_on));
    out.push_str("</periode>");
    // Where to apply: the organisation (the catalogue has no address of its own for it).
    out.push_str("<adresse-inscription>");
    address(out, &organisation_place(organisation));
    out.push_str("</adresse-inscription>");
    if slot.registration_opens_on.is_some() || slot.registration_closes_on.is_some() {
        // 00000000: LHÉO's "not dated", for the end of the window that is not known.
        let day = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "00000000".to_owned(), lheo_date);
        out.push_str("<periode-inscription><periode>");
        element(out, "debut", &day(slot.registration_opens_on));
        element(out, "fin", &day(slot.registration_closes_on));
        out.push_str("</periode></periode-inscription>");
    }
    let recruitment = Recruitment::ALL
        .iter()
        .copied()
        .find(|r| r.code() == slot.recruitment)
        .unwrap_or(Recruitment::Open);
    // A session whose seats are all taken no longer recruits, whatever its own state says.
    let full = slot
        .seats_total
        .is_some_and(|total| slot.seats_taken >= total);
    let recruitment = if full && recruitment == Recruitment::Open {
        Recruitment::Closed
    } else {
        recruitment
    };
    element(out, "etat-recrutement", recruitment_code(recruitment));
    if let Some(info) = slot.info_session_on {
        out.push_str("<recrutement>");
        element(out, "modalite-recrutement", INFORMATION_SESSION);
        out.push_str("<periode>");
        element(out, "debut", &lheo_date(info));
        element(out, "fin", &lheo_date(info));
        out.push_str("</periode></recrutement>");
    }
    out.push_str("</session>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_lines_fit_fifty_characters_and_four_lines() {
        let long = "Zone d'activité économique des Grands Champs du Nord, bâtiment B, porte 3, 2e étage, au fond de la cour à gauche après le portail";
        let out = lines(long);
        assert!(out.len() <= 4, "{out:?}");
        assert!(out.iter().all(|l| l.chars().count() <= 50), "{out:?}");
        assert_eq!(
            lines("12 rue de la Gare, 2e étage"),
            ["12 rue de la Gare, 2e étage"]
        );
    }

    #[test]
    fn publics_without_an_lheo_code_are_another_public() {
        assert_eq!(public_codes(&[]), ["80056"]);
        assert_eq!(
            public_codes(&["jeunes".into(), "seniors".into()]),
            ["80024", OTHER_PUBLIC]
        );
    }
}
