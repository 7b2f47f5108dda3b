//! Organisation commands (admins): create, update, archive.
use chrono::Utc;
use entity::enums::{Country, OrganisationKind};
use entity::organisation;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::offers::{PlaceFields, follow_organisation};
use super::{check_version, load, snapshot, update_if_version, validate};
use crate::catalogue::actor::Actor;
use crate::catalogue::audit::{AuditEntry, record};
use crate::catalogue::text::fold;
use crate::catalogue::transaction::write_transaction;
use crate::error::{AppError, AppResult};
use crate::geo_codes::departement_in;

/// Fields of an organisation; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganisationChanges {
    pub name: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub country: Option<Country>,
    pub company_number: Option<Option<String>>,
    pub place: Option<PlaceFields>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub opening_hours: Option<Option<String>>,
    pub accessibility_url: Option<Option<String>>,
}

/// Checks the changes of an organisation that is (or becomes) in `country`.
pub(crate) fn check(changes: &OrganisationChanges, country: Country) -> AppResult<()> {
    if let Some(name) = &changes.name {
        validate::text("name", name, 1, 200)?;
    }
    if let Some(Some(number)) = &changes.company_number {
        validate::company_number("companyNumber", number)?;
    }
    if let Some(place) = &changes.place {
        validate::text("location.address", &place.address, 1, 200)?;
        validate::text("location.city", &place.city, 1, 100)?;
        validate::text("location.postalCode", &place.postal_code, 4, 10)?;
        validate::commune_code("location.communeCode", &place.commune_code)?;
        validate::coordinates("location", place.latitude, place.longitude)?;
    }
    if let Some(Some(email)) = &changes.email {
        validate::email("email", Some(email))?;
    }
    if let Some(Some(phone)) = &changes.phone {
        validate::text("phone", phone, 1, 30)?;
    }
    if let Some(Some(website)) = &changes.website {
        validate::url("website", Some(website))?;
    }
    if let Some(Some(url)) = &changes.accessibility_url {
        validate::accessibility_url("accessibilityUrl", url, country)?;
    }
    if let Some(Some(hours)) = &changes.opening_hours {
        validate::text("openingHours", hours, 1, 255)?;
    }
    Ok(())
}

fn apply(changes: &OrganisationChanges, row: &mut organisation::ActiveModel) {
    if let Some(v) = &changes.name {
        row.name = Set(v.trim().to_owned());
    }
    if let Some(v) = changes.kind {
        row.kind = Set(v);
    }
    if let Some(v) = changes.country {
        row.country = Set(v);
    }
    if let Some(v) = &changes.company_number {
        // Stored as its digits (checked by `check`), so filters compare like with like.
        row.company_number = Set(v
            .as_ref()
            .map(|number| number.chars().filter(char::is_ascii_digit).collect()));
    }
    if let Some(p) = &changes.place {
        row.address = Set(p.address.clone());
        row.postal_code = Set(p.postal_code.clone());
        row.city = Set(p.city.clone());
        row.commune_code = Set(p.commune_code.to_uppercase());
        row.latitude = Set(p.latitude);
        row.longitude = Set(p.longitude);
    }
    for (target, value) in [
        (&mut row.email, &changes.email),
        (&mut row.phone, &changes.phone),
        (&mut row.website, &changes.website),
        (&mut row.opening_hours, &changes.opening_hours),
        (&mut row.accessibility_url, &changes.accessibility_url),
    ] {
        if let Some(v) = value {
            *target = Set(v.clone());
        }
    }
}

/// Derived columns: département and search text.
fn derive(row: &mut organisation::ActiveModel) {
    let country = row.country.clone().take().unwrap_or(Country::Fr);
    let commune = row.commune_code.clone().take().unwrap_or_default();
    let name = row.name.clone().take().unwrap_or_default();
    let city = row.city.clone().take().unwrap_or_default();
    row.departement = Set(departement_in(country, &commune));
    row.search_text = Set(fold(&format!("{name} {city}")));
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    changes: OrganisationChanges,
) -> AppResult<organisation::Model> {
    actor.require_admin("create organisations")?;
    let name = changes
        .name
        .clone()
        .ok_or_else(|| AppError::validation("name", "name is required"))?;
    let kind = changes
        .kind
        .ok_or_else(|| AppError::validation("kind", "kind is required"))?;
    let country = changes
        .country
        .ok_or_else(|| AppError::validation("country", "country is required"))?;
    let place = changes
        .place
        .clone()
        .ok_or_else(|| AppError::validation("location", "location is required"))?;
    check(&changes, country)?;
    let txn = write_transaction(db).await?;
    let now = Utc::now();
    let mut row = organisation::ActiveModel {
        name: Set(name),
        kind: Set(kind),
        country: Set(country),
        address: Set(place.address),
        postal_code: Set(place.postal_code),
        city: Set(place.city),
        commune_code: Set(place.commune_code),
        networks: Set("[]".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    apply(&changes, &mut row);
    derive(&mut row);
    let created = row.insert(&txn).await?;
    record(
        &txn,
        actor,
        AuditEntry::new("Organisation", created.id, "create")
            .diff(&serde_json::json!({}), &snapshot(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    version: i32,
    changes: OrganisationChanges,
) -> AppResult<organisation::Model> {
    actor.require_admin("edit organisations")?;
    let txn = write_transaction(db).await?;
    let current = load::<organisation::Entity>(&txn, id, "organisation").await?;
    check(&changes, changes.country.unwrap_or(current.country))?;
    check_version("organisation", version, current.version)?;
    let mut row: organisation::ActiveModel = current.clone().into();
    apply(&changes, &mut row);
    derive(&mut row);
    let saved = update_if_version::<organisation::Entity>(&txn, id, version, row).await?;
    if saved.name != current.name
        || saved.city != current.city
        || saved.commune_code != current.commune_code
        || saved.latitude != current.latitude
        || saved.longitude != current.longitude
    {
        follow_organisation(&txn, &saved).await?;
    }
    record(
        &txn,
        actor,
        AuditEntry::new("Organisation", id, "update").diff(&snapshot(&current), &snapshot(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Archives an organisation: it leaves the lists, and so do its offers.
pub async fn archive(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    version: i32,
) -> AppResult<organisation::Model> {
    actor.require_admin("archive organisations")?;
    let txn = write_transaction(db).await?;
    let current = load::<organisation::Entity>(&txn, id, "organisation").await?;
    check_version("organisation", version, current.version)?;
    if current.archived_at.is_some() {
        return Err(AppError::validation(
            "id",
            "this organisation is already archived",
        ));
    }
    let row = organisation::ActiveModel {
        archived_at: Set(Some(Utc::now())),
        ..Default::default()
    };
    let saved = update_if_version::<organisation::Entity>(&txn, id, version, row).await?;
    let archived_offers = entity::offer::Entity::update_many()
        .col_expr(
            entity::offer::Column::Status,
            sea_orm::sea_query::Expr::value(entity::enums::OfferStatus::Archived.code()),
        )
        .col_expr(
            entity::offer::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            entity::offer::Column::Version,
            sea_orm::sea_query::Expr::col(entity::offer::Column::Version).add(1),
        )
        .filter(entity::offer::Column::OrganisationId.eq(id))
        .filter(entity::offer::Column::Status.ne(entity::enums::OfferStatus::Archived))
        .exec(&txn)
        .await?;
    record(
        &txn,
        actor,
        AuditEntry::new("Organisation", id, "archive")
            .diff(&snapshot(&current), &snapshot(&saved))
            .change(
                "offersArchived",
                None,
                Some(archived_offers.rows_affected.into()),
            ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
