//! Walking every page returns every matching offer exactly once, in order, for each ordering.
use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::{TestApp, data};

const PAGE: &str = r#"
query ($after: String, $filter: OfferFilter, $orderBy: OfferOrder) {
  offers(first: 37, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id title updatedAt distanceKm nextSlot { startsOn } } }
  }
}"#;

/// All nodes of all pages, and the totalCount of the first page.
async fn walk(app: &TestApp, filter: Value, order_by: Value) -> (Vec<Value>, u64) {
    let mut after = Value::Null;
    let mut nodes = Vec::new();
    let mut total = None;
    for _ in 0..100 {
        let answer = app
            .graphql(
                PAGE,
                json!({ "after": after, "filter": filter, "orderBy": order_by }),
            )
            .await;
        let offers = &data(&answer)["offers"];
        total.get_or_insert(offers["totalCount"].as_u64().expect("totalCount"));
        for edge in offers["edges"].as_array().expect("edges") {
            nodes.push(edge["node"].clone());
        }
        if offers["pageInfo"]["hasNextPage"] != true {
            return (nodes, total.unwrap_or_default());
        }
        after = offers["pageInfo"]["endCursor"].clone();
    }
    panic!("more than 100 pages");
}

fn assert_each_once(nodes: &[Value], total: u64) {
    let ids: HashSet<&str> = nodes
        .iter()
        .map(|n| n["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), nodes.len(), "no offer twice");
    assert_eq!(nodes.len() as u64, total, "every offer once");
}

#[tokio::test]
async fn walking_all_pages_returns_every_offer_once_in_each_ordering() {
    let app = TestApp::spawn_with_demo().await;
    let lille = json!({ "near": { "latitude": 50.6292, "longitude": 3.0573, "radiusKm": 150 } });

    let (nodes, total) = walk(&app, json!({}), Value::Null).await;
    assert!(
        total >= 400,
        "the demo catalogue has at least 400 published offers, got {total}"
    );
    assert_each_once(&nodes, total);
    let titles: Vec<&str> = nodes
        .iter()
        .map(|n| n["title"].as_str().expect("title"))
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "sorted by title");

    let (nodes, total) = walk(
        &app,
        json!({}),
        json!({ "field": "UPDATED_AT", "direction": "DESC" }),
    )
    .await;
    assert_each_once(&nodes, total);
    let times: Vec<&str> = nodes
        .iter()
        .map(|n| n["updatedAt"].as_str().expect("updatedAt"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let (nodes, total) = walk(&app, json!({}), json!({ "field": "NEXT_SLOT" })).await;
    assert_each_once(&nodes, total);
    let starts = dated_then_undated(&nodes);
    assert!(
        starts.windows(2).all(|w| w[0] <= w[1]),
        "earliest session first"
    );

    // Descending too, offers without a session come last.
    let (nodes, total) = walk(
        &app,
        json!({}),
        json!({ "field": "NEXT_SLOT", "direction": "DESC" }),
    )
    .await;
    assert_each_once(&nodes, total);
    let starts = dated_then_undated(&nodes);
    assert!(
        starts.windows(2).all(|w| w[0] >= w[1]),
        "latest session first"
    );

    let (nodes, total) = walk(&app, lille.clone(), json!({ "field": "DISTANCE" })).await;
    assert!(total > 37, "enough offers near Lille to need several pages");
    assert_each_once(&nodes, total);
    let distances: Vec<f64> = nodes
        .iter()
        .map(|n| n["distanceKm"].as_f64().expect("distance"))
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "nearest first");
    assert!(distances.iter().all(|d| *d <= 150.0));
}

#[tokio::test]
async fn a_page_resumes_after_its_cursor_even_when_offers_are_added() {
    let app = TestApp::spawn_with_demo().await;
    let first = app.graphql(PAGE, json!({})).await;
    let first = &data(&first)["offers"];
    assert_eq!(first["pageInfo"]["hasPreviousPage"], false);
    let end = first["pageInfo"]["endCursor"].clone();
    let last_title = first["edges"][36]["node"]["title"]
        .as_str()
        .expect("title")
        .to_owned();

    // An offer sorting before the cursor appears between two page requests.
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared(
            "INSERT INTO offers (organisation_id, title, summary, description, kind, sector_code, status, delivery_mode, country, location_from_organisation, fees, how_to_apply, created_at, updated_at, version) \
             SELECT organisation_id, 'AAA nouvelle offre', summary, description, kind, sector_code, status, delivery_mode, country, location_from_organisation, fees, how_to_apply, created_at, updated_at, 1 FROM offers WHERE id = (SELECT MIN(id) FROM offers)",
        )
        .await
        .expect("insert");

    let second = app.graphql(PAGE, json!({ "after": end })).await;
    let second = &data(&second)["offers"];
    assert_eq!(second["pageInfo"]["hasPreviousPage"], true);
    let next_title = second["edges"][0]["node"]["title"].as_str().expect("title");
    assert!(
        next_title >= last_title.as_str(),
        "no step back: {next_title} after {last_title}"
    );
}

/// The next-session dates of walked offers, in order, once checked that the offers without
/// one all come after them.
fn dated_then_undated(nodes: &[Value]) -> Vec<&str> {
    let starts: Vec<Option<&str>> = nodes
        .iter()
        .map(|n| n["nextSlot"]["startsOn"].as_str())
        .collect();
    let first_missing = starts
        .iter()
        .position(Option::is_none)
        .unwrap_or(starts.len());
    assert!(
        first_missing > 0 && starts[first_missing..].iter().all(Option::is_none),
        "offers without a session come last"
    );
    starts.into_iter().flatten().collect()
}
