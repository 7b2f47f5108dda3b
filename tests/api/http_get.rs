//! Queries over GET: cacheable answers for anonymous callers (`Cache-Control`, `ETag`, 304),
//! private ones for keyed callers, and mutations refused.
use entity::enums::ClientRole;
use serde_json::Value;

use crate::helpers::{TestApp, error_code};

const QUERY: &str = "{ offers(first: 3) { nodes { id title } } }";

impl TestApp {
    async fn get_query(&self, query: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self
            .client
            .get(format!("{}/graphql", self.address))
            .query(&[("query", query)]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("sent")
    }
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn an_anonymous_get_query_is_public_with_an_etag_and_answers_304_when_unchanged() {
    let app = TestApp::spawn_with_demo().await;
    let response = app.get_query(QUERY, &[]).await;
    assert_eq!(response.status(), 200);
    assert!(header(&response, "cache-control").starts_with("public, max-age="));
    assert!(header(&response, "cache-control").contains("stale-while-revalidate="));
    assert!(header(&response, "vary").contains("Authorization"));
    let etag = header(&response, "etag").to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body["data"]["offers"]["nodes"].as_array().map(Vec::len),
        Some(3)
    );

    let again = app.get_query(QUERY, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "etag"), etag);
    assert!(again.bytes().await.expect("bytes").is_empty());

    let other = app
        .get_query(QUERY, &[("if-none-match", "\"something-else\"")])
        .await;
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn a_keyed_get_query_or_one_with_errors_is_never_stored_by_caches() {
    let app = TestApp::spawn_with_demo().await;
    let key = app
        .create_client("Partner", ClientRole::Partner, vec![])
        .await;
    let response = app
        .get_query(QUERY, &[("authorization", &format!("Bearer {key}"))])
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    assert!(header(&response, "etag").is_empty());

    let response = app.get_query("{ offers { noSuchField } }", &[]).await;
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn a_mutation_over_get_is_refused_with_405() {
    let app = TestApp::spawn_with_demo().await;
    let response = app
        .get_query(
            "mutation { archiveOffer(input: { id: \"T2ZmZXI6MQ\", version: 1 }) { offer { id } } }",
            &[],
        )
        .await;
    assert_eq!(response.status(), 405);
    assert_eq!(header(&response, "allow"), "GET, POST");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), "METHOD_NOT_ALLOWED");
}

#[tokio::test]
async fn a_get_without_a_query_is_a_bad_request_and_browsers_get_graphiql() {
    let app = TestApp::spawn_empty().await;
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), "BAD_REQUEST");
    let page = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .expect("sent");
    assert!(page.text().await.expect("text").contains("GraphiQL"));
}
