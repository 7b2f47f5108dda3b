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
