//! Hostile input, slow clients, refused keys, outages and forged cursors: each refusal is a
//! coded error, the server lives on, and kept-alive connections stay usable.
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::enums::ClientRole;
use insertion_catalogue::loadgen;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::fixture;
use crate::helpers::{TestApp, data, error_code, error_field};

/// A generous bound for anything that must happen "soon": a slow machine stays well within it.
const SOON: Duration = Duration::from_secs(20);

impl TestApp {
    fn socket_address(&self) -> String {
        self.address.trim_start_matches("http://").to_owned()
    }

    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.socket_address())
            .await
            .expect("connect")
    }

    /// The process still answers (a crashed server would not).
    async fn assert_alive(&self) {
        assert_eq!(self.get("/health/live").await.status(), 200);
    }
}

/// One raw HTTP/1.1 exchange on `stream`: the status, head (lower-cased) and JSON body.
async fn exchange(stream: &mut TcpStream, request: &[u8]) -> (u16, String, Value) {
    let response = loadgen::exchange(stream, request, SOON)
        .await
        .expect("a response in time");
    (response.status, response.head.clone(), response.json())
}

async fn read_response(stream: &mut TcpStream) -> (u16, String, Value) {
    let response = loadgen::read_response(stream, SOON)
        .await
        .expect("a response in time");
    (response.status, response.head.clone(), response.json())
}

fn post(body: &str, extra_headers: &str) -> Vec<u8> {
    loadgen::graphql_post(body, extra_headers)
}

async fn closed_by_server(stream: &mut TcpStream) -> bool {
    loadgen::closed_by_server(stream, SOON).await
}

#[tokio::test]
async fn deeply_nested_values_are_refused_and_the_server_lives_on() {
    let app = TestApp::spawn_empty().await;
    let lists = format!(
        "{{ offers(filter: {{ kinds: {}TRAINING{} }}) {{ totalCount }} }}",
        "[".repeat(3000),
        "]".repeat(3000)
    );
    let objects = format!(
        "{{ offers(filter: {}{}) {{ totalCount }} }}",
        "{near: ".repeat(300),
        "}".repeat(300)
    );
    let selections = format!("{{ {} }}", "offers { ".repeat(300) + &"}".repeat(300));
    for query in [lists, objects, selections] {
        let answer = app.graphql(&query, json!({})).await;
        assert_eq!(error_code(&answer), "QUERY_TOO_DEEP", "{answer:#}");
        app.assert_alive().await;
    }
}

#[tokio::test]
async fn deeply_nested_variables_are_refused_and_the_server_lives_on() {
    let app = TestApp::spawn_empty().await;
    let query =
        Value::from("query ($k: [OfferKind!]) { offers(filter: { kinds: $k }) { totalCount } }");
    let nested = format!("{}\"TRAINING\"{}", "[".repeat(5000), "]".repeat(5000));
    let body = format!(r#"{{"query": {query}, "variables": {{"k": {nested}}}}}"#);
    let response = app
        .post_raw(body.into_bytes(), &[("content-type", "application/json")])
        .await;
    assert_eq!(response.status(), 400);
    let answer: Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&answer), "BAD_REQUEST");
    app.assert_alive().await;
}

#[tokio::test]
async fn fragments_cannot_hide_depth() {
    let app = TestApp::spawn_with(|settings| settings.max_query_depth = 6).await;
    let answer = app
        .graphql(
            "{ offers { edges { node { ...A } } } } fragment A on Offer { organisation { ...B } } fragment B on Organisation { offers { edges { node { title } } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&answer), "QUERY_TOO_DEEP", "{answer:#}");
}

/// A count under a text and an eligibility filter (the filter comes as `$f`).
const COSTLY: &str = "offers(first:1,filter:$f){totalCount}";

fn costly_filter() -> Value {
    json!({ "f": { "text": "menuiserie", "eligibleFor": { "birthDate": "1990-01-01" } } })
}

fn aliases(count: usize, field: &str) -> String {
    let fields: Vec<String> = (0..count).map(|i| format!("a{i}:{field}")).collect();
    format!("query ($f: OfferFilter) {{ {} }}", fields.join(" "))
}

#[tokio::test]
async fn hundreds_of_costly_aliases_are_refused_before_they_run() {
    let app = TestApp::spawn_with_demo().await;
    let before = app.metrics.db_statements();
    let answer = app.graphql(&aliases(600, COSTLY), costly_filter()).await;
    assert_eq!(error_code(&answer), "QUERY_TOO_COMPLEX", "{answer:#}");
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("root fields")
    );
    // Under the root-field cap, the cost of the filters still adds up.
    let answer = app.graphql(&aliases(45, COSTLY), costly_filter()).await;
    assert_eq!(error_code(&answer), "QUERY_TOO_COMPLEX", "{answer:#}");
    assert_eq!(
        app.metrics.db_statements(),
        before,
        "nothing ran: the refusals came before execution"
    );
    // A few of them are fine.
    let answer = app.graphql(&aliases(3, COSTLY), costly_filter()).await;
    data(&answer);
}

#[tokio::test]
async fn editors_and_admins_have_a_larger_budget_than_the_public() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.create_client("Admin", ClientRole::Admin, vec![]).await;
    // 40 costly aliases cost more than the public budget and less than the trusted one.
    let query = aliases(40, COSTLY);
    assert_eq!(
        error_code(&app.graphql(&query, costly_filter()).await),
        "QUERY_TOO_COMPLEX"
    );
    let (_, answer) = app.graphql_as(&admin, &query, costly_filter()).await;
    data(&answer);
}

#[tokio::test]
async fn a_request_past_its_time_budget_is_cancelled_with_a_code() {
    use sea_orm::TransactionTrait;
    let app = TestApp::spawn_with(|settings| {
        settings.max_connections = 1;
        settings.database_acquire_timeout_ms = 60_000;
        settings.query_time_budget_ms = 300;
    })
    .await;
    // The test holds the pool's only connection: the request waits past its budget.
    let held = app.db.begin().await.expect("connection held");
    let (status, answer) = app
        .post_json(&json!({ "query": "{ offers { totalCount } }" }))
        .await;
    assert_eq!(status, 503);
    assert_eq!(error_code(&answer), "TIMEOUT");
    held.rollback().await.expect("released");
    data(&app.graphql("{ offers { totalCount } }", json!({})).await);
}

#[tokio::test]
async fn a_client_that_never_finishes_its_request_head_is_cut_off() {
    let app = TestApp::spawn_with(|settings| settings.header_read_timeout_secs = 1).await;
    let mut slow = app.connect().await;
    slow.write_all(b"POST /graphql HTTP/1.1\r\nhost: te")
        .await
        .expect("write");
    assert!(
        closed_by_server(&mut slow).await,
        "the server closed the half-open connection"
    );
    app.assert_alive().await;
}

#[tokio::test]
async fn one_ip_cannot_hold_every_connection() {
    let app = TestApp::spawn_with(|settings| {
        settings.max_connections_per_ip = 4;
        settings.header_read_timeout_secs = 60;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut stream = app.connect().await;
        // A complete request proves the connection was admitted before the next one opens.
        let (status, _, _) = exchange(
            &mut stream,
            b"GET /health/live HTTP/1.1\r\nhost: test\r\n\r\n",
        )
        .await;
        assert_eq!(status, 200);
        held.push(stream);
    }
    let mut extra = app.connect().await;
    assert!(
        closed_by_server(&mut extra).await,
        "the fifth connection of one IP is refused"
    );
    drop(held);
    // The slots come back as the connections close.
    let deadline = Instant::now() + SOON;
    loop {
        let mut stream = app.connect().await;
        stream
            .write_all(b"GET /health/live HTTP/1.1\r\nhost: test\r\n\r\n")
            .await
            .expect("write");
        let mut first = [0u8; 12];
        if matches!(
            tokio::time::timeout(SOON, stream.read_exact(&mut first)).await,
            Ok(Ok(_))
        ) && first.starts_with(b"HTTP/1.1 200")
        {
            break;
        }
        assert!(Instant::now() < deadline, "slots never came back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn refused_keys_count_against_the_ip_and_stop_costing_lookups() {
    let app = TestApp::spawn_with(|settings| settings.anonymous_rate_limit_per_minute = 5).await;
    let mut statuses = Vec::new();
    for i in 0..12 {
        let (status, answer) = app
            .graphql_as(&format!("icat_{i:0>40}"), "{ __typename }", json!({}))
            .await;
        statuses.push((status, error_code(&answer).to_owned()));
    }
    assert!(
        statuses[..5]
            .iter()
            .all(|(s, c)| *s == 401 && c == "UNAUTHENTICATED"),
        "{statuses:?}"
    );
    assert!(
        statuses[5..]
            .iter()
            .all(|(s, c)| *s == 429 && c == "RATE_LIMITED"),
        "{statuses:?}"
    );
    let before = app.metrics.db_statements();
    let (status, _) = app
        .graphql_as("icat_another", "{ __typename }", json!({}))
        .await;
    assert_eq!(status, 429);
    assert_eq!(
        app.metrics.db_statements(),
        before,
        "no key lookup while the IP is blocked"
    );
}

#[tokio::test]
async fn the_rate_limiter_writes_nothing_to_the_database() {
    let app = TestApp::spawn_empty().await;
    let before = app.metrics.db_statements();
    for _ in 0..50 {
        data(&app.graphql("{ __typename }", json!({})).await);
    }
    assert_eq!(app.metrics.db_statements(), before);
}

#[tokio::test]
async fn an_unreachable_database_is_503_unavailable_and_health_says_so_at_once() {
    let app = TestApp::spawn_with_demo().await;
    // Closing the pool is what a stopped database looks like from here: no connection.
    app.db.clone().close().await.expect("pool closed");
    let started = Instant::now();
    let (status, answer) = app
        .post_json(&json!({ "query": "{ offers(first: 1) { totalCount } }" }))
        .await;
    assert_eq!(status, 503, "{answer:#}");
    assert_eq!(error_code(&answer), "UNAVAILABLE");
    let health = app.get("/health").await;
    assert_eq!(health.status(), 503);
    assert!(health.headers().contains_key("retry-after"));
    assert!(started.elapsed() < SOON);
    app.assert_alive().await;
}

#[tokio::test]
async fn start_up_retries_an_unreachable_database_until_its_deadline() {
    let settings = insertion_catalogue::config::Settings {
        // Nothing listens on port 9 of loopback: connections are refused at once.
        database_url: "postgres://nobody@127.0.0.1:9/none".into(),
        database_startup_timeout_secs: 2,
        demo_data: false,
        ..Default::default()
    };
    let started = Instant::now();
    let outcome = insertion_catalogue::startup::build(&settings).await;
    assert!(outcome.is_err(), "no database, no app");
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "it kept retrying for a while ({:?})",
        started.elapsed()
    );
}

#[tokio::test]
async fn forged_cursors_are_validation_errors_on_after() {
    let app = TestApp::spawn_empty().await;
    app.load(&fixture::catalogue().0, fixture::catalogue().1)
        .await;
    let query = "query ($after: String, $by: OfferOrderField!) { offers(first: 1, after: $after, orderBy: { field: $by }) { pageInfo { endCursor } } }";
    // Well-formed, of the right ordering, with a number where the ordering sorts on text.
    let forged = URL_SAFE_NO_PAD
        .encode(br#"{"o":"offers:Title:ASC","k":{"Number":"3ff0000000000000"},"i":1}"#);
    let answer = app
        .graphql(query, json!({ "after": forged, "by": "TITLE" }))
        .await;
    assert_eq!(error_code(&answer), "VALIDATION");
    assert_eq!(error_field(&answer), "after");
    // A genuine cursor of another ordering is refused too.
    let page = app.graphql(query, json!({ "by": "UPDATED_AT" })).await;
    let cursor = data(&page)["offers"]["pageInfo"]["endCursor"].clone();
    let answer = app
        .graphql(query, json!({ "after": cursor, "by": "TITLE" }))
        .await;
    assert_eq!(error_field(&answer), "after");
    // And a genuine one of the same ordering works.
    let answer = app
        .graphql(query, json!({ "after": cursor, "by": "UPDATED_AT" }))
        .await;
    data(&answer);
}

#[tokio::test]
async fn refusals_leave_a_kept_alive_connection_usable() {
    let app = TestApp::spawn_with(|settings| settings.anonymous_rate_limit_per_minute = 4).await;
    let mut stream = app.connect().await;
    let query = r#"{"query": "{ __typename }"}"#;
    let refusals: [(Vec<u8>, u16); 3] = [
        (post(query, "authorization: Bearer icat_wrong\r\n"), 401),
        (
            format!(
                "POST /graphql HTTP/1.1\r\nhost: test\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n{query}",
                query.len()
            )
            .into_bytes(),
            415,
        ),
        (post("{ not json", ""), 400),
    ];
    for (request, expected) in refusals {
        let (status, _, body) = exchange(&mut stream, &request).await;
        assert_eq!(status, expected, "{body}");
        assert!(
            body["errors"][0]["extensions"]["code"].is_string(),
            "{body}"
        );
    }
    let (status, _, body) = exchange(&mut stream, &post(query, "")).await;
    assert_eq!(status, 200, "the same connection still serves: {body}");
    let (status, head, body) = exchange(&mut stream, &post(query, "")).await;
    assert_eq!(status, 429, "{body}");
    assert!(head.contains("retry-after:"));
    let (status, _, _) = exchange(
        &mut stream,
        b"GET /health/live HTTP/1.1\r\nhost: test\r\n\r\n",
    )
    .await;
    assert_eq!(status, 200, "and after a 429 too");
}

#[tokio::test]
async fn every_refusal_has_a_coded_graphql_error_body() {
    let app = TestApp::spawn_with(|settings| settings.body_read_timeout_secs = 1).await;
    // A body that never arrives in full.
    let mut stream = app.connect().await;
    stream
        .write_all(b"POST /graphql HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"query\"")
        .await
        .expect("write");
    let (status, _, body) = read_response(&mut stream).await;
    assert_eq!(status, 408);
    assert_eq!(error_code(&body), "REQUEST_TIMEOUT");
    // A malformed chunked body is a bad request, not a large one.
    let mut stream = app.connect().await;
    let (status, _, body) = exchange(
        &mut stream,
        b"POST /graphql HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n",
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), "BAD_REQUEST");
    // Unknown paths and methods.
    let response = app.get("/nowhere").await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), "ROUTE_NOT_FOUND");
    let response = app
        .client
        .delete(format!("{}/graphql", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 405);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), "METHOD_NOT_ALLOWED");
}

#[tokio::test]
async fn oversized_filters_are_validation_errors_on_their_field() {
    let app = TestApp::spawn_empty().await;
    let sectors: Vec<String> = (0..101).map(|i| format!("s{i}")).collect();
    let answer = app
        .graphql(
            "query ($s: [String!]) { offers(filter: { sectors: $s }) { totalCount } }",
            json!({ "s": sectors }),
        )
        .await;
    assert_eq!(error_field(&answer), "filter.sectors");
    let answer = app
        .graphql(
            "query ($t: String) { organisations(filter: { text: $t }) { totalCount } }",
            json!({ "t": "x".repeat(201) }),
        )
        .await;
    assert_eq!(error_field(&answer), "filter.text");
}
