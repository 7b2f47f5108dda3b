//! Facet counts: every value's count equals `totalCount` of the same search with that facet's
//! filter set to the value (disjunctive faceting), on the demo catalogue, on both engines.
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::helpers::{
    TestApp, data, decided_by_sql, each_offers_page, error_code, error_field, handed_the_page,
    ids_and_cursors, total_count,
};

const FACETS: &str = r#"
query ($f: OfferFilter) {
  offers(first: 1, filter: $f) {
    totalCount
    facets {
      kinds { value count } sectors { value count } publics { value count }
      barriers { value count } organisationKinds { value count }
      departements { value count } themes { value count } deliveryModes { value count }
    }
  }
}"#;

/// (facet field, the filter field it counts for, whether that filter takes a list)
const FILTERS: [(&str, &str, bool); 8] = [
    ("kinds", "kinds", true),
    ("sectors", "sectors", true),
    ("publics", "publics", true),
    ("barriers", "barriers", true),
    ("organisationKinds", "organisationKinds", true),
    ("departements", "departement", false),
    ("themes", "themes", true),
    ("deliveryModes", "deliveryModes", true),
];

/// Checks every value of every facet of the search `base` against `totalCount`.
async fn check_every_value(app: &TestApp, base: Value) {
    let answer = app.graphql(FACETS, json!({ "f": base })).await;
    let facets = &data(&answer)["offers"]["facets"];
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for (facet, filter_field, is_list) in FILTERS {
        let values = facets[facet]
            .as_array()
            .unwrap_or_else(|| panic!("{facet}: {answer}"));
        assert!(
            !values.is_empty(),
            "{facet} has values on the demo: {answer}"
        );
        for entry in values {
            let mut filter: Map<String, Value> = base.as_object().cloned().unwrap_or_default();
            let value = entry["value"].clone();
            filter.insert(
                filter_field.to_owned(),
                if is_list {
                    json!([value])
                } else {
                    value.clone()
                },
            );
            let expected = total_count(app, &Value::Object(filter)).await;
            checked += 1;
            if entry["count"].as_i64() != Some(expected) {
                mismatches.push(format!(
                    "{facet} {value}: count {} but totalCount {expected}",
                    entry["count"]
                ));
            }
        }
    }
    assert!(checked > 50, "only {checked} values checked");
    assert!(mismatches.is_empty(), "{base}:\n{}", mismatches.join("\n"));
}

#[tokio::test]
async fn every_facet_value_counts_what_its_filter_would_find() {
    let app = TestApp::spawn_with_demo().await;
    check_every_value(&app, json!({})).await;
    check_every_value(
        &app,
        json!({ "kinds": ["TRAINING", "WORKSHOP"], "country": "FR", "publics": ["JOB_SEEKERS"] }),
    )
    .await;
}

/// `slotStartsBetween` is counted from the sessions' index (one id list) and the bitmaps, not
/// by probing each offer's sessions: its `totalCount` is the one SQL finds, alone and beside
/// other conditions, and each facet value counts what its filter would find.
#[tokio::test]
async fn a_session_range_counts_what_sql_finds() {
    let app = TestApp::spawn_with_demo().await;
    let today = chrono::Utc::now().date_naive();
    let range = |from: i64, to: i64| {
        let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
        json!({ "from": day(from), "to": day(to) })
    };
    let mut counts = Vec::new();
    for (from, to) in [(0, 30), (-90, 0), (30, 365), (2000, 2100)] {
        for filter in [
            json!({ "slotStartsBetween": range(from, to) }),
            json!({ "slotStartsBetween": range(from, to), "kinds": ["TRAINING"], "hasSeatsLeft": true }),
        ] {
            let by_sql = total_count(&app, &decided_by_sql(&filter)).await;
            assert_eq!(total_count(&app, &filter).await, by_sql, "{filter}");
            counts.push(by_sql);
        }
    }
    assert!(
        counts.contains(&0) && counts.iter().filter(|count| **count > 0).count() >= 3,
        "ranges with and without offers: {counts:?}"
    );
    check_every_value(&app, json!({ "slotStartsBetween": range(-90, 365) })).await;
}

#[tokio::test]
async fn a_facet_ignores_its_own_filter_but_not_the_others() {
    let app = TestApp::spawn_with_demo().await;
    let answer = app
        .graphql(
            "{ offers(filter: { kinds: [TRAINING], country: BE }) { totalCount facets { kinds { value count } departements { value } } } }",
            json!({}),
        )
        .await;
    let offers = &data(&answer)["offers"];
    let kinds = offers["facets"]["kinds"].as_array().expect("kinds");
    assert!(
        kinds.len() > 1,
        "the other kinds are still offered: {answer}"
    );
    let training = kinds
        .iter()
        .find(|k| k["value"] == "TRAINING")
        .expect("TRAINING");
    assert_eq!(training["count"], offers["totalCount"], "{answer}");
    // Belgian offers have no French département.
    assert_eq!(offers["facets"]["departements"], json!([]), "{answer}");
    let counts: Vec<i64> = kinds.iter().filter_map(|k| k["count"].as_i64()).collect();
    assert!(
        counts.windows(2).all(|pair| pair[0] >= pair[1]),
        "most frequent first"
    );
}

#[tokio::test]
async fn facets_cost_a_version_check_and_no_statement_per_facet() {
    let app = TestApp::spawn_with_demo().await;
    let statements = |query: String| {
        let app = &app;
        async move {
            let before = app.metrics.db_statements();
            let answer = app.graphql(&query, json!({})).await;
            assert!(answer.get("errors").is_none(), "{answer}");
            app.metrics.db_statements() - before
        }
    };
    // The first count builds the index; later ones only check that it is current.
    statements("{ offers(first: 1) { facets { kinds { value } } } }".to_owned()).await;
    let plain = statements("{ offers(first: 5) { nodes { title } } }".to_owned()).await;
    let all = statements(
        "{ offers(first: 5) { nodes { title } facets { kinds { value } sectors { value } publics { value } barriers { value } organisationKinds { value } departements { value } themes { count } deliveryModes { count } } } }".to_owned(),
    )
    .await;
    assert_eq!(
        all,
        plain + 1,
        "the version read, whatever the facets asked"
    );
    for (filter, sql, why) in [
        (
            "{ kinds: [TRAINING], hasUpcomingSlot: true, hasSeatsLeft: true }",
            0,
            "session conditions are decided by the bitmaps too",
        ),
        (
            "{ kinds: [TRAINING], text: \"vélo\" }",
            1,
            "and the ids the rest of the filter keeps",
        ),
    ] {
        let page = format!("offers(first: 5, filter: {filter}) {{ nodes {{ title }}");
        let with_facets =
            format!("{{ {page} facets {{ kinds {{ value }} themes {{ count }} }} }} }}");
        let counted = statements(with_facets).await;
        let plain = statements(format!("{{ {page} }} }}")).await;
        assert_eq!(counted, plain + 1 + sql, "{filter}: {why}");
    }
}

const KINDS: &str = "{ offers { facets { kinds { value count } publics { value count } } } }";

/// `totalCount` and the first ids of the public's search for workshops, counted from the
/// bitmaps and narrowed by them.
const WORKSHOPS: &str =
    "{ offers(first: 100, filter: { kinds: [WORKSHOP] }) { totalCount nodes { id } } }";

/// The count of `value` in facet `facet` of a `KINDS` answer (0 when absent).
fn count_of(answer: &Value, facet: &str, value: &str) -> i64 {
    data(answer)["offers"]["facets"][facet]
        .as_array()
        .expect("a facet")
        .iter()
        .find(|v| v["value"] == value)
        .map_or(0, |v| v["count"].as_i64().expect("a count"))
}

#[tokio::test]
async fn counts_follow_a_write_on_this_instance_and_on_another() {
    let first = TestApp::spawn_with_demo().await;
    let second = first.another_instance().await;
    let key = first.admin_key().await;
    let answer = first
        .graphql_ok_as(
            &key,
            "{ offers(first: 1, filter: { kinds: [TRAINING] }) { nodes { id version publics } } }",
            json!({}),
        )
        .await;
    let offer = answer["offers"]["nodes"][0].clone();
    let publics = offer["publics"].as_array().expect("publics").clone();
    let added = if publics.contains(&json!("SENIORS")) {
        "EXILES"
    } else {
        "SENIORS"
    };
    // Both instances count once, so that each has built its index before the write.
    let anonymous_before = first.graphql(KINDS, json!({})).await;
    let (_, admin_before) = second.graphql_as(&key, KINDS, json!({})).await;
    let workshops_before = data(&first.graphql(WORKSHOPS, json!({})).await)["offers"].clone();

    let mut new_publics = publics.clone();
    new_publics.push(json!(added));
    let written = first
        .graphql_ok_as(
            &key,
            "mutation ($id: ID!, $v: Int!, $p: [Public!]) { updateOffer(input: { id: $id, version: $v, kind: WORKSHOP, publics: $p }) { offer { kind } } }",
            json!({ "id": offer["id"], "v": offer["version"], "p": new_publics }),
        )
        .await;
    assert_eq!(written["updateOffer"]["offer"]["kind"], "WORKSHOP");

    let workshops = data(&first.graphql(WORKSHOPS, json!({})).await)["offers"].clone();
    assert_eq!(
        workshops["totalCount"].as_i64(),
        workshops_before["totalCount"].as_i64().map(|n| n + 1),
        "{workshops}"
    );
    assert!(
        workshops["nodes"]
            .as_array()
            .expect("nodes")
            .contains(&json!({ "id": offer["id"] })),
        "{workshops}"
    );
    let anonymous_after = first.graphql(KINDS, json!({})).await;
    let (_, admin_after) = second.graphql_as(&key, KINDS, json!({})).await;
    for (before, after) in [
        (&anonymous_before, &anonymous_after),
        (&admin_before, &admin_after),
    ] {
        assert_eq!(
            count_of(after, "kinds", "TRAINING"),
            count_of(before, "kinds", "TRAINING") - 1,
            "{after}"
        );
        assert_eq!(
            count_of(after, "kinds", "WORKSHOP"),
            count_of(before, "kinds", "WORKSHOP") + 1,
            "{after}"
        );
        assert_eq!(
            count_of(after, "publics", added),
            count_of(before, "publics", added) + 1,
            "{after}"
        );
    }
}

#[tokio::test]
async fn facets_with_eligible_for_are_refused_with_a_field() {
    let app = TestApp::spawn_with_demo().await;
    let answer = app
        .graphql(
            r#"{ offers(filter: { eligibleFor: { birthDate: "2000-01-01" } }) { facets { kinds { value } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&answer), "VALIDATION", "{answer}");
    assert_eq!(error_field(&answer), "filter.eligibleFor");
}

/// The ids of every offer the public's search `filter` finds, walked page by page.
async fn ids_found(app: &TestApp, filter: &Value) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    each_offers_page(
        app,
        "query ($f: OfferFilter, $a: String) { offers(first: 100, after: $a, filter: $f) { nodes { id } pageInfo { hasNextPage endCursor } } }",
        json!({ "f": filter }),
        |offers| {
            for node in offers["nodes"].as_array().expect("nodes") {
                ids.insert(node["id"].as_str().expect("an id").to_owned());
            }
        },
    )
    .await;
    ids
}

/// Checks that the public's search `filter` finds exactly `expected`, page by page and in
/// its totalCount.
async fn assert_keeps(app: &TestApp, filter: &Value, expected: &BTreeSet<String>) {
    assert_eq!(&ids_found(app, filter).await, expected, "{filter}");
    assert_eq!(
        total_count(app, filter).await,
        expected.len() as i64,
        "{filter}"
    );
}

/// What the sessions themselves say, read through `slots`: the published offers, those with
/// a session starting today or later that is not cancelled, and those with such a session
/// that recruits with seats left (or an unknown number of seats).
async fn offers_by_sessions(app: &TestApp) -> [BTreeSet<String>; 3] {
    let (mut all, mut upcoming, mut seats_left) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    each_offers_page(
        app,
        "query ($a: String) { offers(first: 40, after: $a) { nodes { id slots(first: 20) { status recruitment seatsRemaining } } pageInfo { hasNextPage endCursor } } }",
        json!({}),
        |offers| {
            for node in offers["nodes"].as_array().expect("nodes") {
                let id = node["id"].as_str().expect("an id").to_owned();
                let slots = node["slots"].as_array().expect("slots");
                let live = || slots.iter().filter(|slot| slot["status"] != "CANCELLED");
                if live().next().is_some() {
                    upcoming.insert(id.clone());
                }
                if live().any(|slot| {
                    slot["recruitment"] == "OPEN" && slot["seatsRemaining"].as_i64() != Some(0)
                }) {
                    seats_left.insert(id.clone());
                }
                all.insert(id);
            }
        },
    )
    .await;
    [all, upcoming, seats_left]
}

/// Checks that each session condition keeps the offers the sessions say, in the pages found
/// and in `totalCount`; answers the offers with an upcoming session.
async fn check_session_conditions(app: &TestApp) -> BTreeSet<String> {
    let [all, upcoming, seats_left] = offers_by_sessions(app).await;
    assert!(
        !seats_left.is_empty() && seats_left.len() < upcoming.len() && upcoming.len() < all.len(),
        "the demo has offers of every kind: {} {} {}",
        seats_left.len(),
        upcoming.len(),
        all.len()
    );
    let without = |kept: &BTreeSet<String>| all.difference(kept).cloned().collect();
    for (filter, expected) in [
        (json!({ "hasUpcomingSlot": true }), upcoming.clone()),
        (json!({ "hasUpcomingSlot": false }), without(&upcoming)),
        (json!({ "hasSeatsLeft": true }), seats_left.clone()),
        (json!({ "hasSeatsLeft": false }), without(&seats_left)),
        (
            json!({ "hasUpcomingSlot": true, "hasSeatsLeft": false }),
            upcoming.difference(&seats_left).cloned().collect(),
        ),
    ] {
        assert_keeps(app, &filter, &expected).await;
    }
    upcoming
}

/// `hasUpcomingSlot` and `hasSeatsLeft` are decided by the bitmaps (each offer's session
/// summaries by date): searches, `totalCount` and facet counts keep exactly the offers the
/// sessions say, both ways, and follow a session written on another instance.
#[tokio::test]
async fn session_conditions_keep_what_the_sessions_say() {
    let first = TestApp::spawn_with_demo_uncached().await;
    let second = first.another_instance().await;
    let upcoming = check_session_conditions(&first).await;
    check_session_conditions(&second).await;
    check_every_value(&first, json!({ "hasSeatsLeft": true })).await;

    // A session added on the first instance to an offer that had none ahead.
    let key = first.admin_key().await;
    let [all, ..] = offers_by_sessions(&first).await;
    let offer = all
        .difference(&upcoming)
        .next()
        .expect("an offer without sessions ahead");
    first
        .graphql_ok_as(
            &key,
            "mutation ($id: ID!) { createSlot(input: { offerId: $id, startsOn: \"2031-01-05\", seatsTotal: 4 }) { slot { id } } }",
            json!({ "id": offer }),
        )
        .await;
    assert!(
        check_session_conditions(&second).await.contains(offer),
        "seen on the second instance"
    );
}

/// Every published offer's codes of each occupation system, as the offers show them.
async fn offers_by_code(app: &TestApp) -> BTreeMap<(&'static str, String), BTreeSet<String>> {
    let mut by_code: BTreeMap<(&'static str, String), BTreeSet<String>> = BTreeMap::new();
    each_offers_page(
        app,
        "query ($a: String) { offers(first: 100, after: $a) { nodes { id romeCodes appellationCodes formacodes } pageInfo { hasNextPage endCursor } } }",
        json!({}),
        |offers| {
            for node in offers["nodes"].as_array().expect("nodes") {
                let id = node["id"].as_str().expect("an id");
                for system in ["romeCodes", "appellationCodes", "formacodes"] {
                    for code in node[system].as_array().expect("codes") {
                        let code = code.as_str().expect("a code").to_owned();
                        by_code
                            .entry((system, code))
                            .or_default()
                            .insert(id.to_owned());
                    }
                }
            }
        },
    )
    .await;
    by_code
}

/// Checks each code's filter against the offers that show it: the pages found and totalCount
/// (both from the bitmaps, which keep the occupation codes as they keep the facets).
async fn check_codes(app: &TestApp) -> BTreeMap<(&'static str, String), BTreeSet<String>> {
    let by_code = offers_by_code(app).await;
    for system in ["romeCodes", "appellationCodes", "formacodes"] {
        assert!(
            by_code.keys().any(|(s, _)| *s == system),
            "the demo has {system}"
        );
    }
    for ((system, code), expected) in &by_code {
        assert_keeps(app, &json!({ *system: [code] }), expected).await;
    }
    by_code
}

/// The occupation-code filters are decided by the bitmaps: they keep exactly the offers that
/// show the code, and follow an edit made on another instance.
#[tokio::test]
async fn occupation_code_filters_keep_the_offers_that_show_the_code() {
    let first = TestApp::spawn_with_demo_uncached().await;
    let second = first.another_instance().await;
    let by_code = check_codes(&first).await;
    let bike_repair = &by_code[&("romeCodes", "I1607".to_owned())];
    let key = first.admin_key().await;
    let answer = first
        .graphql_ok_as(
            &key,
            "{ offers(first: 100, filter: { kinds: [TRAINING] }) { nodes { id version romeCodes } } }",
            json!({}),
        )
        .await;
    let offer = answer["offers"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|node| !bike_repair.contains(node["id"].as_str().expect("id")))
        .cloned()
        .expect("a training without bike repair");
    let mut codes = offer["romeCodes"].as_array().expect("codes").clone();
    codes.push(json!("I1607"));
    first
        .graphql_ok_as(
            &key,
            "mutation ($id: ID!, $v: Int!, $c: [String!]) { updateOffer(input: { id: $id, version: $v, romeCodes: $c }) { offer { romeCodes } } }",
            json!({ "id": offer["id"], "v": offer["version"], "c": codes }),
        )
        .await;
    let after = check_codes(&second).await;
    assert!(after[&("romeCodes", "I1607".to_owned())].contains(offer["id"].as_str().expect("id")));
}

/// The ids and cursors of a walk by title, 7 offers a page.
async fn title_walk(app: &TestApp, filter: &Value, direction: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    each_offers_page(
        app,
        "query ($f: OfferFilter, $a: String, $d: OrderDirection!) { offers(first: 7, after: $a, filter: $f, orderBy: { field: TITLE, direction: $d }) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }",
        json!({ "f": filter, "d": direction }),
        |offers| found.extend(ids_and_cursors(offers)),
    )
    .await;
    found
}

/// Walks `filter` by title both ways, chosen in memory, and checks that it gives SQL's
/// offers with SQL's cursors, each page read by the ids memory chose.
async fn assert_title_pages_are_sqls(app: &TestApp, filter: &Value) {
    for direction in ["ASC", "DESC"] {
        let from_sql = title_walk(app, &decided_by_sql(filter), direction).await;
        assert!(!from_sql.is_empty(), "{filter} keeps offers");
        app.metrics.start_capture();
        let in_memory = title_walk(app, filter, direction).await;
        let statements = app.metrics.take_captured();
        assert_eq!(in_memory, from_sql, "{filter} {direction}");
        // Each page was read by the ids memory chose, none by SQL alone after them.
        let pages: Vec<&str> = statements
            .iter()
            .map(|s| s.sql.as_str())
            .filter(|sql| sql.contains("sort_key"))
            .collect();
        assert_eq!(
            pages.len(),
            in_memory.len().div_ceil(7).max(1),
            "{pages:#?}"
        );
        for sql in pages {
            // The 8 rows a page of 7 reads.
            assert!(handed_the_page(sql, 8), "{filter}: {sql}");
        }
    }
}

/// A public search by title whose conditions memory decides gets each page from the title
/// order kept in memory; the same search with a condition only SQL decides walks the title
/// index. Both give the same offers with the very same cursors, page after page, both ways,
/// on both engines.
#[tokio::test]
async fn title_pages_chosen_in_memory_are_the_pages_sql_gives() {
    let app = TestApp::spawn_with_demo_uncached().await;
    let lille = json!({ "latitude": 50.6292, "longitude": 3.0573, "radiusKm": 80 });
    for filter in [
        json!({ "kinds": ["TRAINING"] }),
        json!({ "hasSeatsLeft": true }),
        json!({ "kinds": ["TRAINING", "WORKSHOP"], "hasUpcomingSlot": true }),
        json!({ "publics": ["JOB_SEEKERS"], "hasUpcomingSlot": false }),
        json!({ "near": lille }),
        json!({ "romeCodes": ["I1607"] }),
    ] {
        assert_title_pages_are_sqls(&app, &filter).await;
    }
}

/// `updatedSince` is decided in memory too, to the microsecond: after three offers are
/// edited, the instant of the first keeps the three, a microsecond later keeps two; pages,
/// cursors and counts are SQL's, on both engines.
#[tokio::test]
async fn updated_since_is_decided_in_memory_to_the_microsecond() {
    let app = TestApp::spawn_with_demo_uncached().await;
    let admin = app.admin_key().await;
    let answer = app
        .graphql_ok_as(
            &admin,
            "{ offers(first: 3, filter: { kinds: [TRAINING] }) { nodes { id version } } }",
            json!({}),
        )
        .await;
    let mut edited = Vec::new();
    for offer in answer["offers"]["nodes"].as_array().expect("nodes") {
        let answer = app
            .graphql_ok_as(
                &admin,
                r#"mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, summary: "Revue." }) { offer { updatedAt } } }"#,
                json!({ "id": offer["id"], "v": offer["version"] }),
            )
            .await;
        let at = answer["updateOffer"]["offer"]["updatedAt"]
            .as_str()
            .expect("updatedAt");
        edited.push(chrono::DateTime::parse_from_rfc3339(at).expect("an instant"));
    }
    let instant = |at: chrono::DateTime<chrono::FixedOffset>| {
        at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    };
    let first = edited[0];
    let count = |filter: Value| {
        let app = &app;
        async move { total_count(app, &filter).await }
    };
    let a_week_ago = chrono::Utc::now() - chrono::Duration::days(7);
    for (since, kept) in [
        (instant(first), Some(3)),
        (instant(first + chrono::Duration::microseconds(1)), Some(2)),
        (a_week_ago.to_rfc3339(), None),
        ("2000-01-01T00:00:00Z".to_owned(), None),
    ] {
        let filter = json!({ "updatedSince": since });
        let in_memory = count(filter.clone()).await;
        assert_eq!(in_memory, count(decided_by_sql(&filter)).await, "{since}");
        if let Some(kept) = kept {
            assert_eq!(in_memory, kept, "{since}");
        }
        assert_title_pages_are_sqls(&app, &filter).await;
        let with_kind = json!({ "updatedSince": since, "kinds": ["TRAINING"] });
        assert_title_pages_are_sqls(&app, &with_kind).await;
    }
    let future = json!({ "updatedSince": "2100-01-01T00:00:00Z" });
    assert_eq!(count(future.clone()).await, 0);
    assert_eq!(count(decided_by_sql(&future)).await, 0);
}

/// A cursor names an offer by the title it had: once that offer is renamed, the next page is
/// still the one after that title (SQL answers it), not the one after the offer's new place.
#[tokio::test]
async fn a_title_cursor_whose_offer_was_renamed_resumes_after_the_title_it_holds() {
    let app = TestApp::spawn_with_demo_uncached().await;
    let admin = app.admin_key().await;
    let filter = json!({ "kinds": ["TRAINING"] });
    let page = "query ($f: OfferFilter, $a: String) { offers(first: 5, after: $a, filter: $f) { nodes { id version } pageInfo { endCursor } } }";
    let first = app.graphql(page, json!({ "f": filter })).await;
    let offers = &data(&first)["offers"];
    let cursor = offers["pageInfo"]["endCursor"].clone();
    let last = &offers["nodes"][4];
    let next = |filter: Value| {
        let (app, cursor) = (&app, cursor.clone());
        async move {
            let answer = app.graphql(page, json!({ "f": filter, "a": cursor })).await;
            data(&answer)["offers"]["nodes"].clone()
        }
    };
    let before = next(filter.clone()).await;
    app.graphql_ok_as(
        &admin,
        r#"mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, title: "Zzz, renommée" }) { offer { title } } }"#,
        json!({ "id": last["id"], "v": last["version"] }),
    )
    .await;
    let after = next(filter.clone()).await;
    assert_eq!(after, next(decided_by_sql(&filter)).await);
    let ids = |nodes: &Value| -> Vec<Value> {
        nodes
            .as_array()
            .expect("nodes")
            .iter()
            .map(|node| node["id"].clone())
            .collect()
    };
    assert_eq!(
        ids(&after),
        ids(&before),
        "the same offers follow that title"
    );

    // The title order, stale after the rename, is read again in its own task: soon the
    // pages are chosen in memory again, and they are SQL's, the renamed offer at its place.
    let from_sql = title_walk(&app, &decided_by_sql(&filter), "ASC").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        app.metrics.start_capture();
        let in_memory = title_walk(&app, &filter, "ASC").await;
        let statements = app.metrics.take_captured();
        assert_eq!(in_memory, from_sql);
        let by_ids = statements
            .iter()
            .filter(|s| s.sql.contains("sort_key"))
            .all(|s| handed_the_page(&s.sql, 8));
        if by_ids {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "pages still read by SQL alone 20 s after the rename: {statements:#?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Copies every offer (with its audiences, barriers, themes and occupation codes) to ids
/// `shift` higher, as new offers of no source key.
async fn copy_offers_to_ids_above(app: &TestApp, shift: i32) {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    let run = |sql: String| async move {
        app.db
            .execute_raw(Statement::from_string(backend, sql.clone()))
            .await
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
    };
    let columns = |table: &'static str| async move {
        let row = app
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT * FROM {table} LIMIT 1"),
            ))
            .await
            .expect("a row")
            .unwrap_or_else(|| panic!("{table} has rows"));
        row.column_names()
    };
    // PostgreSQL computes its generated columns (the text search vectors) itself.
    let generated: Vec<String> = if backend == sea_orm::DatabaseBackend::Postgres {
        app.db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_name = 'offers' AND is_generated = 'ALWAYS'",
            ))
            .await
            .expect("generated columns")
            .iter()
            .map(|row| row.try_get_by_index::<String>(0).expect("a name"))
            .collect()
    } else {
        Vec::new()
    };
    let offer_columns: Vec<String> = columns("offers")
        .await
        .into_iter()
        .filter(|column| !generated.contains(column))
        .collect();
    let copied: Vec<String> = offer_columns
        .iter()
        .map(|column| match column.as_str() {
            "id" => format!("id + {shift}"),
            "external_id" => "NULL".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    run(format!(
        "INSERT INTO offers ({}) SELECT {} FROM offers WHERE id < {shift}",
        offer_columns.join(", "),
        copied.join(", ")
    ))
    .await;
    for table in [
        "offer_publics",
        "offer_barriers",
        "offer_themes",
        "offer_codes",
    ] {
        let names = columns(table).await;
        let copied: Vec<String> = names
            .iter()
            .map(|column| match column.as_str() {
                "offer_id" => format!("offer_id + {shift}"),
                other => other.to_owned(),
            })
            .collect();
        run(format!(
            "INSERT INTO {table} ({}) SELECT {} FROM {table} WHERE offer_id < {shift}",
            names.join(", "),
            copied.join(", ")
        ))
        .await;
    }
}

/// A first build reads the offers a block of 2^16 ids at a time (their id lists, places,
/// times and child rows): with the demo copied into two further blocks, an instance that
/// builds its postings then counts every facet value as SQL counts its filter.
#[tokio::test]
async fn a_first_build_over_several_blocks_of_ids_counts_as_sql() {
    let app = TestApp::spawn_with_demo().await;
    copy_offers_to_ids_above(&app, 70_000).await;
    copy_offers_to_ids_above(&app, 140_000).await;
    let other = app.another_instance().await;
    let answer = other.graphql(FACETS, json!({ "f": {} })).await;
    let facets = &data(&answer)["offers"]["facets"];
    let total = data(&answer)["offers"]["totalCount"]
        .as_i64()
        .expect("total");
    assert_eq!(
        total,
        total_count(&other, &decided_by_sql(&json!({}))).await,
        "{answer}"
    );
    assert!(total > 1_000, "the demo three times over: {total}");
    let mut mismatches = Vec::new();
    for (facet, filter_field, is_list) in FILTERS {
        for entry in facets[facet].as_array().expect("values") {
            let value = entry["value"].clone();
            let filter =
                json!({ filter_field: if is_list { json!([value]) } else { value.clone() } });
            let by_sql = total_count(&other, &decided_by_sql(&filter)).await;
            if entry["count"].as_i64() != Some(by_sql) {
                mismatches.push(format!(
                    "{facet} {value}: {} against {by_sql}",
                    entry["count"]
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // The places and times of the last block too: the nearest offers and the change feed's
    // order are read from them.
    let near = json!({ "near": { "latitude": 50.63, "longitude": 3.06, "radiusKm": 30 } });
    assert_eq!(
        total_count(&other, &near).await,
        total_count(&other, &decided_by_sql(&near)).await
    );
}
