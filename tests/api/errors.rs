//! Every bad input gets a clear error with a stable code (and the field), never a crash.
use serde_json::json;

use crate::helpers::{TestApp, data, error_code, error_field};

#[tokio::test]
async fn bad_arguments_are_validation_errors_naming_their_field() {
    let app = TestApp::spawn_empty().await;
    let cases = [
        ("{ offers(first: 101) { totalCount } }", "first"),
        ("{ offers(first: -1) { totalCount } }", "first"),
        (
            "{ offers(orderBy: { field: DISTANCE }) { totalCount } }",
            "orderBy.field",
        ),
        (
            r#"{ offers(after: "not-a-cursor") { totalCount } }"#,
            "after",
        ),
        (
            "{ offers(filter: { near: { latitude: 91, longitude: 3, radiusKm: 5 } }) { totalCount } }",
            "filter.near.latitude",
        ),
        (
            "{ offers(filter: { near: { latitude: 50, longitude: -181, radiusKm: 5 } }) { totalCount } }",
            "filter.near.longitude",
        ),
        (
            "{ offers(filter: { near: { latitude: 50, longitude: 3, radiusKm: 0 } }) { totalCount } }",
            "filter.near.radiusKm",
        ),
        (
            r#"{ offers(filter: { sectors: ["SPACE_TRAVEL"] }) { totalCount } }"#,
            "filter.sectors",
        ),
        (
            r#"{ offers(filter: { themes: ["mobilite"] }) { totalCount } }"#,
            "filter.themes",
        ),
        (
            r#"{ offers(filter: { departement: "5" }) { totalCount } }"#,
            "filter.departement",
        ),
        (
            r#"{ offers(filter: { communeCode: "ABCDE" }) { totalCount } }"#,
            "filter.communeCode",
        ),
        (
            r#"{ offers(filter: { slotStartsBetween: { from: "2026-05-01", to: "2026-04-01" } }) { totalCount } }"#,
            "filter.slotStartsBetween.to",
        ),
        (r#"{ offer(id: "garbage") { title } }"#, "id"),
        (r#"{ node(id: "T3JnYW5pc2F0aW9uOjA") { id } }"#, "id"),
        (
            r#"{ organisations(filter: { departement: "ABC" }) { totalCount } }"#,
            "filter.departement",
        ),
    ];
    for (query, field) in cases {
        let answer = app.graphql(query, json!({})).await;
        assert_eq!(error_code(&answer), "VALIDATION", "{query}: {answer}");
        assert_eq!(error_field(&answer), field, "{query}");
    }
}

#[tokio::test]
async fn an_id_of_another_type_is_refused_and_a_missing_one_is_null() {
    let app = TestApp::spawn_empty().await;
    let organisation_id = "T3JnYW5pc2F0aW9uOjE"; // "Organisation:1"
    let answer = app
        .graphql(
            &format!(r#"{{ offer(id: "{organisation_id}") {{ title }} }}"#),
            json!({}),
        )
        .await;
    assert_eq!(error_code(&answer), "VALIDATION");
    let answer = app
        .graphql(r#"{ offer(id: "T2ZmZXI6OTk5OQ") { title } }"#, json!({}))
        .await; // Offer:9999
    assert_eq!(data(&answer)["offer"], serde_json::Value::Null);
}

#[tokio::test]
async fn malformed_requests_get_http_errors_with_codes() {
    let app = TestApp::spawn_empty().await;
    let json_type = [("content-type", "application/json")];

    let response = app.post_raw(b"{ not json".to_vec(), &json_type).await;
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), "BAD_REQUEST");

    let response = app
        .post_raw(
            b"query { offers { totalCount } }".to_vec(),
            &[("content-type", "text/plain")],
        )
        .await;
    assert_eq!(response.status(), 415);

    let huge = format!(
        r#"{{"query": "{{ offers {{ totalCount }} }}", "variables": {{"pad": "{}"}}}}"#,
        "x".repeat(200_000)
    );
    let response = app.post_raw(huge.into_bytes(), &json_type).await;
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn invalid_documents_are_parse_or_validation_errors() {
    let app = TestApp::spawn_empty().await;
    let answer = app.graphql("{ offers { noSuchField } }", json!({})).await;
    assert_eq!(error_code(&answer), "GRAPHQL_VALIDATION_FAILED");
    let answer = app.graphql("{ offers { ", json!({})).await;
    assert_eq!(error_code(&answer), "GRAPHQL_PARSE_FAILED");
    let answer = app.graphql(r#"{ offers(filter: { slotStartsBetween: { from: "yesterday", to: "2026-01-01" } }) { totalCount } }"#, json!({})).await;
    assert_eq!(error_code(&answer), "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn the_graphql_response_media_type_turns_request_errors_into_400() {
    let app = TestApp::spawn_empty().await;
    let body = serde_json::to_vec(&json!({ "query": "{ offers { noSuchField } }" })).expect("json");
    let response = app
        .post_raw(
            body,
            &[
                ("content-type", "application/json"),
                ("accept", "application/graphql-response+json"),
            ],
        )
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.headers()["content-type"].to_str().ok(),
        Some("application/graphql-response+json")
    );
    let body = serde_json::to_vec(&json!({ "query": "{ offers { noSuchField } }" })).expect("json");
    let response = app
        .post_raw(body, &[("content-type", "application/json")])
        .await;
    assert_eq!(
        response.status(),
        200,
        "application/json answers always 200"
    );
}

#[tokio::test]
async fn too_deep_and_too_complex_queries_are_refused() {
    let app = TestApp::spawn_with(|settings| settings.max_query_depth = 4).await;
    let answer = app
        .graphql("{ offers { edges { node { organisation { offers { edges { node { title } } } } } } } }", json!({}))
        .await;
    assert_eq!(error_code(&answer), "QUERY_TOO_DEEP");

    let app = TestApp::spawn_with(|settings| settings.max_query_complexity = 50).await;
    let answer = app
        .graphql(
            "{ offers(first: 100) { edges { node { title summary } } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&answer), "QUERY_TOO_COMPLEX");
}

#[tokio::test]
async fn with_the_graphql_response_media_type_a_refused_document_has_no_data_entry() {
    let app = TestApp::spawn_empty().await;
    for query in ["{ offers { noSuchField } }", "{ offers { "] {
        let body = serde_json::to_vec(&json!({ "query": query })).expect("json");
        let response = app
            .post_raw(
                body,
                &[
                    ("content-type", "application/json"),
                    ("accept", "application/graphql-response+json"),
                ],
            )
            .await;
        assert_eq!(response.status(), 400);
        let answer: serde_json::Value = response.json().await.expect("JSON");
        assert!(answer.get("data").is_none(), "{answer}");
        assert!(answer["errors"][0]["extensions"]["code"].is_string());
    }
}

#[tokio::test]
async fn answers_are_compressed_for_clients_that_accept_it() {
    let app = TestApp::spawn_with_demo().await;
    let body = serde_json::to_vec(
        &json!({ "query": "{ offers(first: 50) { nodes { title summary } } }" }),
    )
    .expect("json");
    let response = app
        .post_raw(
            body,
            &[
                ("content-type", "application/json"),
                ("accept-encoding", "gzip"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
}

/// The answer's fields come in the order the query selects them (the GraphQL spec's
/// "ordered map"), not sorted by name, and the same text answers alike when sent again (its
/// parsed document is then taken from the documents seen last).
#[tokio::test]
async fn answers_follow_the_order_of_the_selection() {
    let app = TestApp::spawn_with_demo().await;
    let body = serde_json::json!({
        "query": "{ offers(first: 2) { nodes { title id kind } } }"
    })
    .to_string()
    .into_bytes();
    let mut answers = Vec::new();
    for _ in 0..2 {
        let response = app
            .post_raw(body.clone(), &[("content-type", "application/json")])
            .await;
        answers.push(response.text().await.expect("a body"));
    }
    let text = &answers[0];
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {text}"))
    };
    assert!(
        at("\"title\"") < at("\"id\"") && at("\"id\"") < at("\"kind\""),
        "{text}"
    );
    assert_eq!(answers[0], answers[1]);
}
