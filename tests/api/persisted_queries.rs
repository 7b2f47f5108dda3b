//! Persisted queries: Apollo's automatic protocol over POST and GET, hashes checked, only
//! valid queries stored, shared by every instance through the database, and the allow-list.
use entity::enums::ClientRole;
use insertion_catalogue::http::persisted_queries::{register_admin, sha256_hex};
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_code, error_field};

const QUERY: &str = "query Titles { offers(first: 2) { nodes { id title } } }";

fn hash_only(query: &str) -> Value {
    json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(query) } } })
}

fn with_query(query: &str, hash: &str) -> Value {
    json!({ "query": query, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } })
}

impl TestApp {
    async fn get_persisted(&self, query: &str) -> reqwest::Response {
        let extensions =
            json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(query) } });
        self.client
            .get(format!("{}/graphql", self.address))
            .query(&[("extensions", extensions.to_string())])
            .send()
            .await
            .expect("sent")
    }
}

#[tokio::test]
async fn a_hash_is_unknown_until_sent_with_its_query_then_runs_alone_over_post_and_get() {
    let app = TestApp::spawn_with_demo().await;
    let (status, miss) = app.post_json(&hash_only(QUERY)).await;
    assert_eq!(status, 200, "Apollo clients retry only on a 200: {miss:#}");
    assert_eq!(miss["errors"][0]["message"], "PersistedQueryNotFound");
    assert_eq!(error_code(&miss), "PERSISTED_QUERY_NOT_FOUND");
    let response = app.get_persisted(QUERY).await;
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("private, no-store"),
        "no cache may keep a miss"
    );
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), "PERSISTED_QUERY_NOT_FOUND");

    let (status, first) = app.post_json(&with_query(QUERY, &sha256_hex(QUERY))).await;
    assert_eq!(status, 200);
    let titles = data(&first)["offers"]["nodes"].clone();
    assert_eq!(titles.as_array().map(Vec::len), Some(2));

    let (_, by_hash) = app.post_json(&hash_only(QUERY)).await;
    assert_eq!(data(&by_hash)["offers"]["nodes"], titles);
    let response = app.get_persisted(QUERY).await;
    assert_eq!(response.status(), 200);
    assert!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("public")),
        "a persisted GET query is cacheable"
    );
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(data(&body)["offers"]["nodes"], titles);
}

#[tokio::test]
async fn a_hash_registered_on_one_instance_runs_on_another() {
    let first = TestApp::spawn_with_demo().await;
    let second = first.another_instance().await;
    let (_, answer) = first
        .post_json(&with_query(QUERY, &sha256_hex(QUERY)))
        .await;
    data(&answer);
    let (_, answer) = second.post_json(&hash_only(QUERY)).await;
    assert_eq!(
        data(&answer)["offers"]["nodes"].as_array().map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn a_hash_that_is_not_the_querys_or_a_bad_extension_is_refused_with_its_field() {
    let app = TestApp::spawn_with_demo().await;
    let other = sha256_hex("{ __typename }");
    let (status, answer) = app.post_json(&with_query(QUERY, &other)).await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&answer), "BAD_REQUEST");
    assert_eq!(error_field(&answer), "extensions.persistedQuery.sha256Hash");
    let (_, answer) = app.post_json(&hash_only("{ __typename }")).await;
    assert_eq!(
        error_code(&answer),
        "PERSISTED_QUERY_NOT_FOUND",
        "a mismatch stores nothing"
    );

    let bad_version =
        json!({ "extensions": { "persistedQuery": { "version": 2, "sha256Hash": other } } });
    let (status, answer) = app.post_json(&bad_version).await;
    assert_eq!(status, 400);
    assert_eq!(error_field(&answer), "extensions.persistedQuery.version");
    let bad_hash =
        json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "abc" } } });
    let (_, answer) = app.post_json(&bad_hash).await;
    assert_eq!(error_field(&answer), "extensions.persistedQuery.sha256Hash");
}

#[tokio::test]
async fn a_query_that_does_not_validate_is_not_stored() {
    let app = TestApp::spawn_with_demo().await;
    for query in [
        "{ offers { noSuchField } }",
        "{ offers(first: 1) { nodes { id ",
    ] {
        let (_, answer) = app.post_json(&with_query(query, &sha256_hex(query))).await;
        assert!(
            matches!(
                error_code(&answer),
                "GRAPHQL_VALIDATION_FAILED" | "GRAPHQL_PARSE_FAILED"
            ),
            "{answer:#}"
        );
        let (_, answer) = app.post_json(&hash_only(query)).await;
        assert_eq!(error_code(&answer), "PERSISTED_QUERY_NOT_FOUND");
    }
}

#[tokio::test]
async fn only_registered_queries_run_in_allow_list_mode() {
    let app = TestApp::spawn_with(|settings| {
        settings.demo_data = true;
        settings.persisted_queries_only = true;
    })
    .await;
    let registered = register_admin(&app.db, QUERY).await.expect("registered");
    assert_eq!(registered, sha256_hex(QUERY));
    let other = "{ offers(first: 1) { nodes { id } } }";

    // Not registered: refused however it comes, and a client cannot register it.
    let (status, answer) = app.post_json(&json!({ "query": other })).await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&answer), "PERSISTED_QUERY_NOT_ALLOWED");
    let (_, answer) = app.post_json(&with_query(other, &sha256_hex(other))).await;
    assert_eq!(error_code(&answer), "PERSISTED_QUERY_NOT_ALLOWED");
    let (_, answer) = app.post_json(&hash_only(other)).await;
    assert_eq!(error_code(&answer), "PERSISTED_QUERY_NOT_FOUND");

    // Registered: by its hash, with its hash, or as plain text.
    for body in [
        hash_only(QUERY),
        with_query(QUERY, &registered),
        json!({ "query": QUERY }),
    ] {
        let (_, answer) = app.post_json(&body).await;
        assert_eq!(
            data(&answer)["offers"]["nodes"].as_array().map(Vec::len),
            Some(2)
        );
    }

    // Editors and admins keep GraphiQL: any query.
    let key = app.create_client("Admin", ClientRole::Admin, vec![]).await;
    let (_, answer) = app.graphql_as(&key, other, json!({})).await;
    assert_eq!(
        data(&answer)["offers"]["nodes"].as_array().map(Vec::len),
        Some(1)
    );
    let partner = app
        .create_client("Partner", ClientRole::Partner, vec![])
        .await;
    let (_, answer) = app.graphql_as(&partner, other, json!({})).await;
    assert_eq!(error_code(&answer), "PERSISTED_QUERY_NOT_ALLOWED");
}
