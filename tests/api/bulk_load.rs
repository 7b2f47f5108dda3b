//! Bulk loads (`seed`): on SQLite they set indexes and full-text triggers aside and rebuild them; the catalogue must read as if every row had been written one by one, and a failed load must leave nothing.
use insertion_catalogue::seed::{self, generate};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};
use serde_json::json;

use crate::helpers::{
    TestApp, decided_by_sql, sql_column, sql_count, stems_out_of_step, total_count,
};

/// Offers per generated load: more than one batch of 200, the last one short.
const GENERATED: usize = 450;

/// Every index and trigger, with its definition.
async fn schema(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() \
             UNION ALL SELECT tgname || ': ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal \
             ORDER BY 1"
        }
        _ => {
            "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name"
        }
    };
    sql_column(db, sql).await
}

/// The offers whose session summaries or change-feed stamp differ from their rows'.
async fn offers_out_of_step(db: &DatabaseConnection) -> i64 {
    let differs = match db.get_database_backend() {
        DatabaseBackend::Postgres => "IS DISTINCT FROM",
        _ => "IS NOT",
    };
    sql_count(
        db,
        &format!(
            "SELECT count(*) FROM offers o WHERE o.last_slot_on {differs} \
             (SELECT MAX(s.starts_on) FROM training_slots s WHERE s.offer_id = o.id AND s.cancelled_at IS NULL) \
             OR o.change_seq IS NULL OR o.content_seq IS NULL \
             OR o.change_seq > (SELECT version FROM catalogue_version) \
             OR (o.status = 'PUBLISHED' AND (o.listed <> 1 OR o.published_seq IS NULL))"
        ),
    )
    .await
}

/// Offers a text search finds, every one counted (`minQuality: 0`).
async fn offers_matching(app: &TestApp, text: &str) -> i64 {
    total_count(app, &decided_by_sql(&json!({ "text": text }))).await
}

#[tokio::test]
async fn a_generated_catalogue_reads_as_if_written_row_by_row() {
    let app = TestApp::spawn_with_demo().await;
    let before = schema(&app.db).await;
    // Generated titles end "– réf. N" (the demo has words that start so: "référent").
    let demo_matches = offers_matching(&app, "réf").await;
    let inserted = seed::load_generated(&app.db, GENERATED, 5, chrono::Utc::now(), |_| {})
        .await
        .expect("seeded");
    assert_eq!(inserted, GENERATED);

    assert_eq!(
        schema(&app.db).await,
        before,
        "every index and trigger is back"
    );
    assert_eq!(offers_out_of_step(&app.db).await, 0);
    assert_eq!(stems_out_of_step(&app.db).await, Vec::<String>::new());
    // Another instance: this one may answer from its response cache for up to 250 ms.
    let other = app.another_instance().await;
    assert_eq!(
        offers_matching(&other, "réf").await,
        demo_matches + GENERATED as i64
    );
    if app.db.get_database_backend() == DatabaseBackend::Sqlite {
        // The feed turns merging off while it writes: FTS5's defaults must be back.
        for table in ["offers_fts", "offers_fts_title"] {
            let settings: Vec<String> = sql_column(
                &app.db,
                &format!(
                    "SELECT k || '=' || v FROM {table}_config \
                     WHERE k IN ('automerge', 'crisismerge') ORDER BY k"
                ),
            )
            .await;
            assert!(
                settings.is_empty() || settings == ["automerge=4", "crisismerge=16"],
                "{table}: {settings:?}"
            );
        }
        // With `rank` 1, FTS5 also checks its index against the rows of `offers`.
        for table in ["offers_fts", "offers_fts_title"] {
            app.db
                .execute_unprepared(&format!(
                    "INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"
                ))
                .await
                .unwrap_or_else(|error| panic!("{table} agrees with offers: {error}"));
        }
    }
}

#[tokio::test]
async fn a_load_that_fails_leaves_no_offer_and_the_schema_as_it_was() {
    let app = TestApp::spawn_empty().await;
    let before = schema(&app.db).await;
    let vocabulary = generate::Vocabulary::new(seed::demo_lines().expect("the demo bundle parses"));
    let organisations = generate::generated_organisations(&vocabulary, 3, 1);
    // The last offer names an organisation the load does not have.
    let offers: Vec<_> = generate::generated_offers(vocabulary, 3, 250, 1)
        .enumerate()
        .map(|(index, (organisation, offer))| (if index == 249 { 99 } else { organisation }, offer))
        .collect();
    let error = seed::load_records(&app.db, &organisations, offers.into_iter(), |_| {})
        .await
        .expect_err("an unknown organisation fails the load");
    assert!(error.to_string().contains("#99"), "{error}");
    assert_eq!(sql_count(&app.db, "SELECT count(*) FROM offers").await, 0);
    assert_eq!(
        sql_count(&app.db, "SELECT count(*) FROM training_slots").await,
        0
    );
    assert_eq!(schema(&app.db).await, before);
}
