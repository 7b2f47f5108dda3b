//! The read path's positional row decoding (`catalogue::row_decode`) gives exactly what
//! sea-orm's derived decoding gives, for every offer, session and testimonial of the demo
//! catalogue, on both engines. One row of each table first gets a value in every optional
//! column, so that both a value and a NULL are read for each of them.
use chrono::{NaiveDate, TimeZone, Utc};
use entity::enums::{ContractType, DisabledWorkerFit};
use entity::{offer, testimonial, training_slot};
use insertion_catalogue::catalogue::row_decode;
use sea_orm::sea_query::{Asterisk, Query};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
};

use crate::helpers::TestApp;

/// Every row of `table`, by id, as the read path selects them (`*`).
async fn all_rows(db: &DatabaseConnection, table: &str) -> Vec<sea_orm::QueryResult> {
    let select = Query::select()
        .column(Asterisk)
        .from(sea_orm::sea_query::Alias::new(table))
        .order_by(sea_orm::sea_query::Alias::new("id"), sea_orm::Order::Asc)
        .take();
    db.query_all(&select).await.expect("rows")
}

/// Gives one offer, session and testimonial a value in each of their optional columns.
async fn fill_optional_columns(db: &DatabaseConnection) {
    let instant = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let mut offer = offer::Entity::find()
        .one(db)
        .await
        .expect("read")
        .expect("an offer");
    offer.departement = Some("59".into());
    offer.address = Some("1 rue de la Gare".into());
    offer.postal_code = Some("59000".into());
    offer.city = Some("Lille".into());
    offer.commune_code = Some("59350".into());
    offer.latitude = Some(50.63);
    offer.longitude = Some(3.06);
    offer.weekly_hours = Some(24.5);
    offer.duration_weeks = Some(26);
    offer.contract_type = Some(ContractType::Cddi);
    offer.open_positions = Some(4);
    offer.contact_name = Some("Camille".into());
    offer.contact_email = Some("camille@example.org".into());
    offer.contact_phone = Some("0320000000".into());
    offer.verified_at = Some(instant);
    offer.verified_by = Some("editor".into());
    offer.published_at = Some(instant);
    offer.host_company_number = Some("12345678900011".into());
    offer.fit_for_disabled_workers = Some(DisabledWorkerFit::Declared);
    offer.publics_details = Some("details".into());
    offer.fees_details = Some("none".into());
    offer.last_slot_on = Some(day);
    offer.last_open_slot_on = Some(day);
    offer.external_id = Some("ext-1".into());
    offer.source_url = Some("https://example.org/1".into());
    offer.imported_at = Some(instant);
    offer.imported_digest = Some("digest".into());
    offer
        .into_active_model()
        .reset_all()
        .update(db)
        .await
        .expect("offer");

    let mut slot = training_slot::Entity::find()
        .one(db)
        .await
        .expect("read")
        .expect("a session");
    slot.registration_opens_on = Some(day);
    slot.registration_closes_on = Some(day);
    slot.info_session_on = Some(day);
    slot.seats_total = Some(12);
    slot.cancelled_at = Some(instant);
    slot.schedule = Some("9h-17h".into());
    slot.address = Some("2 rue".into());
    slot.postal_code = Some("59000".into());
    slot.city = Some("Lille".into());
    slot.commune_code = Some("59350".into());
    slot.latitude = Some(50.6);
    slot.longitude = Some(3.1);
    slot.into_active_model()
        .reset_all()
        .update(db)
        .await
        .expect("session");

    let mut testimonial = testimonial::Entity::find()
        .one(db)
        .await
        .expect("read")
        .expect("a testimonial");
    testimonial.cohort = Some("2025".into());
    testimonial.moderated_at = Some(instant);
    testimonial.moderated_by = Some("moderator".into());
    testimonial.rejection_reason = Some("reason".into());
    testimonial.video_url = Some("https://example.org/v".into());
    testimonial.transcript = Some("transcript".into());
    testimonial
        .into_active_model()
        .reset_all()
        .update(db)
        .await
        .expect("testimonial");
}

#[tokio::test]
async fn positional_decoding_matches_sea_orm_on_every_demo_row() {
    let app = TestApp::spawn_with_demo().await;
    fill_optional_columns(&app.db).await;

    assert_decoded_alike::<offer::Entity>(&app.db, row_decode::offers, 400).await;
    assert_decoded_alike::<training_slot::Entity>(&app.db, row_decode::training_slots, 1).await;
    assert_decoded_alike::<testimonial::Entity>(&app.db, row_decode::testimonials, 1).await;
}

/// A positional decoder of `E`'s rows.
type Decoder<E> =
    fn(&[sea_orm::QueryResult]) -> Result<Vec<<E as EntityTrait>::Model>, sea_orm::DbErr>;

/// Every row of `E`'s table decoded by `decode` is one of sea-orm's decoding, as many (rows
/// have distinct ids), and there are at least `at_least` of them.
async fn assert_decoded_alike<E>(db: &DatabaseConnection, decode: Decoder<E>, at_least: usize)
where
    E: EntityTrait,
    E::Model: PartialEq + std::fmt::Debug,
{
    let table = E::default().table_name().to_owned();
    let expected = E::find().all(db).await.expect("read with sea-orm");
    let decoded = decode(&all_rows(db, &table).await).expect("decoded by position");
    assert!(
        expected.len() >= at_least,
        "{table}: {} rows",
        expected.len()
    );
    assert_eq!(decoded.len(), expected.len(), "{table}");
    for model in &decoded {
        assert!(
            expected.contains(model),
            "{table}: {model:?} is not sea-orm's"
        );
    }
}

#[tokio::test]
async fn rows_without_a_column_of_the_model_are_refused_not_guessed() {
    let app = TestApp::spawn_with_demo().await;
    let select = Query::select()
        .column(sea_orm::sea_query::Alias::new("id"))
        .from(sea_orm::sea_query::Alias::new("offers"))
        .take();
    let rows = app.db.query_all(&select).await.expect("rows");
    let error = row_decode::offers(&rows).expect_err("a partial row");
    assert!(error.to_string().contains("organisation_id"), "{error}");
}
