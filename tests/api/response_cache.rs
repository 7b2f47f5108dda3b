//! The server-side response cache: repeated queries on published data answered from memory,
//! never staler than the bound after a write on any instance; callers who may see drafts and
//! answers with errors stay out of it.
use std::time::{Duration, Instant};

use entity::enums::ClientRole;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data};

const TITLE: &str = "query ($id: ID!) { node(id: $id) { ... on Offer { title } } }";

/// An offer's id and version, read by an admin.
async fn an_offer(app: &TestApp, key: &str) -> (Value, i64) {
    let (_, answer) = app
        .graphql_as(
            key,
            "{ offers(first: 1) { nodes { id version } } }",
            json!({}),
        )
        .await;
    let offer = &data(&answer)["offers"]["nodes"][0];
    (
        offer["id"].clone(),
        offer["version"].as_i64().expect("a version"),
    )
}

async fn rename(app: &TestApp, key: &str, id: &Value, version: i64, title: &str) {
    let (_, answer) = app
        .graphql_as(
            key,
            "mutation ($id: ID!, $v: Int!, $t: String!) { updateOffer(input: { id: $id, version: $v, title: $t }) { offer { title } } }",
            json!({ "id": id, "v": version, "t": title }),
        )
        .await;
    assert_eq!(data(&answer)["updateOffer"]["offer"]["title"], title);
}

async fn title(app: &TestApp, id: &Value) -> Value {
    data(&app.graphql(TITLE, json!({ "id": id })).await)["node"]["title"].clone()
}

#[tokio::test]
async fn a_repeated_anonymous_query_is_answered_from_the_cache() {
    let app = TestApp::spawn_with_demo().await;
    let query = "{ offers(first: 3) { nodes { id title } } }";
    // As the poller does: the version confirmed now, not up to 250 ms from now (on a busy
    // machine the poller may lag, and the cache then rightly answers nothing).
    app.response_cache.refresh().await;
    let first = app.graphql(query, json!({})).await;
    let statements = app.metrics.db_statements();
    let (hits, _) = app.metrics.response_cache_lookups();
    let again = app.graphql(query, json!({})).await;
    assert_eq!(again, first);
    assert_eq!(app.metrics.response_cache_lookups().0, hits + 1);
    assert_eq!(app.metrics.db_statements(), statements, "no SQL for a hit");
    let metrics = app.get("/metrics").await.text().await.expect("text");
    assert!(metrics.contains("catalogue_response_cache_hits_total"));
    assert!(metrics.contains("catalogue_response_cache_bytes"));
}

#[tokio::test]
async fn a_write_on_this_instance_is_seen_by_the_next_read() {
    let app = TestApp::spawn_with_demo().await;
    let key = app.create_client("Admin", ClientRole::Admin, vec![]).await;
    let (id, version) = an_offer(&app, &key).await;
    let before = title(&app, &id).await;
    assert_eq!(title(&app, &id).await, before);
    rename(&app, &key, &id, version, "Titre tout neuf").await;
    assert_eq!(title(&app, &id).await, "Titre tout neuf");
}

#[tokio::test]
async fn a_write_on_another_instance_is_seen_within_the_bound() {
    let first = TestApp::spawn_with_demo().await;
    let second = first.another_instance().await;
    let key = first
        .create_client("Admin", ClientRole::Admin, vec![])
        .await;
    let (id, version) = an_offer(&first, &key).await;
    let before = title(&second, &id).await;
    assert_eq!(title(&second, &id).await, before, "cached on the second");
    rename(&first, &key, &id, version, "Écrit ailleurs").await;
    let written = Instant::now();
    loop {
        if title(&second, &id).await == "Écrit ailleurs" {
            break;
        }
        // The documented bound is 1 s; the margin is for a loaded test machine.
        assert!(
            written.elapsed() < Duration::from_secs(3),
            "the second instance still answers the old title"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn callers_who_may_see_drafts_bypass_the_cache() {
    let app = TestApp::spawn_with_demo().await;
    let key = app.create_client("Admin", ClientRole::Admin, vec![]).await;
    let query = "{ offers(first: 2) { nodes { id } } }";
    let lookups = app.metrics.response_cache_lookups();
    for _ in 0..2 {
        let (_, answer) = app.graphql_as(&key, query, json!({})).await;
        data(&answer);
    }
    assert_eq!(app.metrics.response_cache_lookups(), lookups);
}

#[tokio::test]
async fn an_answer_with_errors_is_not_cached() {
    let app = TestApp::spawn_with_demo().await;
    let query = r#"{ offers(first: 1) { nodes { id } } node(id: "bm90IGFuIGlk") { id } }"#;
    let (hits, _) = app.metrics.response_cache_lookups();
    for _ in 0..2 {
        let answer = app.graphql(query, json!({})).await;
        assert!(answer.get("errors").is_some(), "{answer:#}");
    }
    assert_eq!(app.metrics.response_cache_lookups().0, hits);
}

#[tokio::test]
async fn partners_answers_are_cached_apart_from_each_others() {
    let app = TestApp::spawn_with_demo().await;
    let first = app
        .create_client("Premier", ClientRole::Partner, vec![])
        .await;
    let second = app
        .create_client("Second", ClientRole::Partner, vec![])
        .await;
    let query = "{ viewer { name } offers(first: 1) { nodes { id } } }";
    // The keys were written straight to the database (a version bump this instance learns
    // of at its next poll): learn of it now, or the first answers are rightly dropped.
    app.response_cache.refresh().await;
    for _ in 0..2 {
        for (key, name) in [(&first, "Premier"), (&second, "Second")] {
            let (_, answer) = app.graphql_as(key, query, json!({})).await;
            assert_eq!(data(&answer)["viewer"]["name"], name);
        }
    }
    let (hits, _) = app.metrics.response_cache_lookups();
    assert_eq!(hits, 2, "each partner's repeat came from the cache");
}
