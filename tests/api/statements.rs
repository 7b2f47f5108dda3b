//! N+1 free by construction: the SQL statements of a request do not grow with the rows returned.
use serde_json::json;

use crate::helpers::{TestApp, data};

const NESTED: &str = r#"
query ($first: Int!) {
  offers(first: $first) {
    totalCount
    edges { node {
      title sector { labelFr } publics barriers themes
      organisation { name kind }
      eligibilityConditions { kind mandatory }
      slots(upcomingOnly: false) { startsOn status seatsRemaining }
      nextSlot { startsOn }
      testimonials { authorName }
    } }
  }
}"#;

async fn statements_for(app: &TestApp, first: usize) -> u64 {
    let before = app.metrics.db_statements();
    let answer = app.graphql(NESTED, json!({ "first": first })).await;
    let returned = data(&answer)["offers"]["edges"].as_array().map(Vec::len);
    assert_eq!(returned, Some(first));
    app.metrics.db_statements() - before
}

#[tokio::test]
async fn the_statement_count_does_not_grow_with_the_number_of_offers() {
    let app = TestApp::spawn_with_demo().await;
    let five = statements_for(&app, 5).await;
    let fifty = statements_for(&app, 50).await;
    assert_eq!(
        five, fifty,
        "5 offers took {five} statements, 50 took {fifty}"
    );
    assert!(
        five <= 15,
        "a nested page should take a handful of statements, took {five}"
    );
}

const ORGANISATIONS: &str = r#"
query ($first: Int!) {
  organisations(first: $first) {
    edges { node {
      name
      offers(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { title organisation { name } slots { startsOn } } } }
    } }
  }
}"#;

#[tokio::test]
async fn organisations_with_their_offers_take_as_many_statements_for_5_as_for_40() {
    let app = TestApp::spawn_with_demo().await;
    let mut counts = Vec::new();
    for first in [5, 40] {
        let before = app.metrics.db_statements();
        let answer = app.graphql(ORGANISATIONS, json!({ "first": first })).await;
        assert_eq!(
            data(&answer)["organisations"]["edges"]
                .as_array()
                .map(Vec::len),
            Some(first)
        );
        counts.push(app.metrics.db_statements() - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "5 organisations took {}, 40 took {}",
        counts[0], counts[1]
    );
    assert!(
        counts[0] <= 12,
        "a handful of statements, took {}",
        counts[0]
    );
}

#[tokio::test]
async fn an_organisations_batched_first_page_matches_its_filtered_page_and_continues() {
    let app = TestApp::spawn_with_demo().await;
    let answer = app
        .graphql(
            r#"{ organisations(first: 10) { edges { node {
                batched: offers(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } }
                filtered: offers(first: 2, filter: {}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } }
            } } } }"#,
            json!({}),
        )
        .await;
    for edge in data(&answer)["organisations"]["edges"]
        .as_array()
        .expect("edges")
    {
        assert_eq!(
            edge["node"]["batched"], edge["node"]["filtered"],
            "same page, cursors and count"
        );
    }
}

/// A generated catalogue leaves PostgreSQL with its statistics (its planner has none after a
/// bulk load until autovacuum comes: the nested page took 145 ms instead of 14 at 100,000
/// offers). On SQLite, which plans without them, only the load is checked.
#[tokio::test]
async fn a_generated_catalogue_leaves_the_planner_its_statistics() {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let app = TestApp::spawn_empty().await;
    let inserted =
        insertion_catalogue::seed::load_generated(&app.db, 30, 3, chrono::Utc::now(), |_| {})
            .await
            .expect("seeded");
    assert_eq!(inserted, 30);
    let backend = app.db.get_database_backend();
    if backend != DatabaseBackend::Postgres {
        return;
    }
    let sql = "SELECT count(*) AS n FROM pg_stat_user_tables WHERE relname = 'offers' AND last_analyze IS NOT NULL AND last_vacuum IS NOT NULL";
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .expect("query")
        .expect("a row");
    assert_eq!(row.try_get::<i64>("", "n").expect("n"), 1);
}
