//! Health, metrics and the offline GraphiQL page.
use crate::helpers::TestApp;

#[tokio::test]
async fn health_checks_the_database() {
    let app = TestApp::spawn_empty().await;
    let response = app.get("/health").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().contains_key("x-request-id"),
        "every answer carries a request id"
    );
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn graphiql_is_served_with_its_own_assets() {
    let app = TestApp::spawn_empty().await;
    let page = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("page");
    assert!(page.contains("GraphiQL"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no external URL in the page"
    );
    for asset in [
        "react.production.min.js",
        "react-dom.production.min.js",
        "graphiql.min.js",
        "graphiql.min.css",
    ] {
        assert!(page.contains(&format!("/graphiql/{asset}")));
        let response = app.get(&format!("/graphiql/{asset}")).await;
        assert_eq!(response.status(), 200, "{asset}");
        assert!(response.bytes().await.expect("bytes").len() > 1000);
    }
}

#[tokio::test]
async fn graphiql_can_be_turned_off() {
    let app = TestApp::spawn_with(|settings| settings.graphiql = false).await;
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        response.status(),
        400,
        "no page: a GET is a query, and this one has none"
    );
    assert!(!response.text().await.expect("text").contains("GraphiQL"));
}

#[tokio::test]
async fn metrics_count_statements_and_requests() {
    let app = TestApp::spawn_empty().await;
    app.graphql("{ offers { totalCount } }", serde_json::json!({}))
        .await;
    let text = app.get("/metrics").await.text().await.expect("text");
    assert!(
        text.contains("catalogue_graphql_requests_total 1"),
        "{text}"
    );
    assert!(text.contains("catalogue_db_statements_total"));
}

#[tokio::test]
async fn introspection_can_be_turned_off() {
    let app = TestApp::spawn_with(|settings| settings.introspection = false).await;
    let answer = app
        .graphql("{ __schema { queryType { name } } }", serde_json::json!({}))
        .await;
    assert!(
        answer.get("errors").is_some() || answer["data"]["__schema"].is_null(),
        "{answer}"
    );
    let app = TestApp::spawn_empty().await;
    let answer = app
        .graphql("{ __schema { queryType { name } } }", serde_json::json!({}))
        .await;
    assert_eq!(answer["data"]["__schema"]["queryType"]["name"], "Query");
}

/// The introspection query GraphiQL sends (graphql-js `getIntrospectionQuery`, with the
/// descriptions and the deepest type references): the query limits must let it through,
/// or GraphiQL has no documentation and no completion.
const GRAPHIQL_INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}"#;

#[tokio::test]
async fn graphiql_introspection_fits_within_the_default_limits() {
    let app = TestApp::spawn_empty().await;
    let answer = app
        .graphql(GRAPHIQL_INTROSPECTION, serde_json::json!({}))
        .await;
    assert!(answer.get("errors").is_none(), "{}", answer["errors"]);
    assert!(
        answer["data"]["__schema"]["types"]
            .as_array()
            .is_some_and(|t| t.len() > 50)
    );
}
