//! Every offer filter, alone and combined, against the fixture catalogue.
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::{TestApp, data};

const TITLES: &str = r#"
query ($filter: OfferFilter, $orderBy: OfferOrder) {
  offers(first: 100, filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { node { title distanceKm } }
  }
}"#;

async fn fixture_app() -> TestApp {
    let app = TestApp::spawn_empty().await;
    let (organisations, offers) = fixture::catalogue();
    app.load(&organisations, offers).await;
    app
}

async fn titles(app: &TestApp, filter: Value) -> Vec<String> {
    let answer = app.graphql(TITLES, json!({ "filter": filter })).await;
    let offers = &data(&answer)["offers"];
    let titles: Vec<String> = offers["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["title"].as_str().expect("title").to_owned())
        .collect();
    assert_eq!(
        offers["totalCount"].as_u64(),
        Some(titles.len() as u64),
        "totalCount agrees"
    );
    titles
}

#[tokio::test]
async fn each_filter_selects_exactly_the_matching_offers() {
    let app = fixture_app().await;
    let cases = [
        (
            json!({}),
            vec![
                "Agent·e de déconstruction",
                "Découverte du numérique",
                "Formation menuiserie",
                "Mécanicien·ne vélo",
                "Réemploi D3E à distance",
            ],
        ),
        (
            json!({ "kinds": ["TRAINING"] }),
            vec!["Formation menuiserie", "Mécanicien·ne vélo"],
        ),
        (
            json!({ "kinds": ["WORKSHOP", "WORK_PLACEMENT"] }),
            vec!["Découverte du numérique", "Réemploi D3E à distance"],
        ),
        (
            json!({ "sectors": ["CARPENTRY"] }),
            vec!["Formation menuiserie"],
        ),
        (
            json!({ "publics": ["YOUNG_PEOPLE", "WOMEN"] }),
            vec!["Formation menuiserie", "Mécanicien·ne vélo"],
        ),
        (
            json!({ "barriers": ["HOUSING"] }),
            vec!["Agent·e de déconstruction"],
        ),
        (
            json!({ "themes": ["mobilite--entretenir-reparer-son-vehicule"] }),
            vec!["Mécanicien·ne vélo"],
        ),
        (
            json!({ "organisationKinds": ["EI"] }),
            vec!["Agent·e de déconstruction", "Réemploi D3E à distance"],
        ),
        (json!({ "country": "BE" }), vec!["Découverte du numérique"]),
        (json!({ "departement": "69" }), vec!["Formation menuiserie"]),
        (
            json!({ "communeCode": "59350" }),
            vec!["Mécanicien·ne vélo"],
        ),
        (json!({ "text": "VELO" }), vec!["Mécanicien·ne vélo"]),
        (
            json!({ "text": "déconstruction roubaix" }),
            vec!["Agent·e de déconstruction"],
        ),
        (
            json!({ "text": "recyclerie" }),
            vec!["Agent·e de déconstruction", "Réemploi D3E à distance"],
        ),
        (json!({ "text": "100%" }), vec![]),
        (
            json!({ "hasUpcomingSlot": true }),
            vec![
                "Agent·e de déconstruction",
                "Mécanicien·ne vélo",
                "Réemploi D3E à distance",
            ],
        ),
        (
            json!({ "hasUpcomingSlot": false }),
            vec!["Découverte du numérique", "Formation menuiserie"],
        ),
        (
            json!({ "hasSeatsLeft": true }),
            vec!["Mécanicien·ne vélo", "Réemploi D3E à distance"],
        ),
        (
            json!({ "hasSeatsLeft": false }),
            vec![
                "Agent·e de déconstruction",
                "Découverte du numérique",
                "Formation menuiserie",
            ],
        ),
        (
            json!({ "kinds": ["TRAINING"], "hasUpcomingSlot": true }),
            vec!["Mécanicien·ne vélo"],
        ),
        (json!({ "kinds": ["TRAINING"], "country": "BE" }), vec![]),
        (
            json!({ "kinds": [] }),
            vec![
                "Agent·e de déconstruction",
                "Découverte du numérique",
                "Formation menuiserie",
                "Mécanicien·ne vélo",
                "Réemploi D3E à distance",
            ],
        ),
    ];
    for (filter, expected) in cases {
        assert_eq!(
            titles(&app, filter.clone()).await,
            expected,
            "filter {filter}"
        );
    }
}

#[tokio::test]
async fn slot_dates_filter_on_session_starts_ignoring_cancelled_sessions() {
    let app = fixture_app().await;
    let today = chrono::Utc::now().date_naive();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    let within =
        |from: i64, to: i64| json!({ "slotStartsBetween": { "from": day(from), "to": day(to) } });
    assert_eq!(
        titles(&app, within(0, 20)).await,
        vec!["Mécanicien·ne vélo"]
    );
    assert_eq!(
        titles(&app, within(4, 6)).await,
        Vec::<String>::new(),
        "the cancelled session does not count"
    );
    assert_eq!(
        titles(&app, within(-30, -10)).await,
        vec!["Découverte du numérique"]
    );
    assert_eq!(
        titles(&app, within(30, 120)).await,
        vec!["Agent·e de déconstruction", "Réemploi D3E à distance"]
    );
}

#[tokio::test]
async fn near_keeps_offers_within_the_radius_sorted_by_distance() {
    let app = fixture_app().await;
    let lille = json!({ "latitude": 50.6292, "longitude": 3.0573, "radiusKm": 20 });
    let answer = app
        .graphql(TITLES, json!({ "filter": { "near": lille } }))
        .await;
    let edges = data(&answer)["offers"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    let found: Vec<(&str, f64)> = edges
        .iter()
        .map(|e| {
            (
                e["node"]["title"].as_str().expect("title"),
                e["node"]["distanceKm"].as_f64().expect("distance"),
            )
        })
        .collect();
    assert_eq!(
        found.len(),
        2,
        "Lille and Roubaix only, not Lyon, Liège or the remote offer: {found:?}"
    );
    assert_eq!(found[0].0, "Mécanicien·ne vélo");
    assert!(found[0].1 < 0.01);
    assert_eq!(found[1].0, "Agent·e de déconstruction");
    assert!(
        (10.5..11.5).contains(&found[1].1),
        "Lille–Roubaix ≈ 11 km, got {}",
        found[1].1
    );

    let far = json!({ "latitude": 50.6292, "longitude": 3.0573, "radiusKm": 500 });
    let answer = app
        .graphql(TITLES, json!({ "filter": { "near": far }, "orderBy": { "field": "DISTANCE", "direction": "DESC" } }))
        .await;
    let distances: Vec<f64> = data(&answer)["offers"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["distanceKm"].as_f64().expect("distance"))
        .collect();
    assert_eq!(
        distances.len(),
        3,
        "Lille, Roubaix and Liège; Lyon is 560 km away"
    );
    assert!(
        distances.windows(2).all(|w| w[0] >= w[1]),
        "descending: {distances:?}"
    );
    assert!(distances.iter().all(|d| *d <= 500.0));
}

#[tokio::test]
async fn updated_since_returns_recent_changes_for_incremental_sync() {
    let app = fixture_app().await;
    let since = (chrono::Utc::now() - chrono::Duration::days(7)).to_rfc3339();
    let found = titles(&app, json!({ "updatedSince": since })).await;
    assert!(
        !found.contains(&"Formation menuiserie".to_owned()),
        "updated 30 days ago"
    );
    assert_eq!(found.len(), 4);
}

#[tokio::test]
async fn an_offer_that_is_not_published_is_invisible() {
    let app = fixture_app().await;
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared(
            "UPDATE offers SET status = 'DRAFT' WHERE title = 'Formation menuiserie'",
        )
        .await
        .expect("update");
    let all = titles(&app, json!({})).await;
    assert!(!all.contains(&"Formation menuiserie".to_owned()));
    assert_eq!(all.len(), 4);
}

#[tokio::test]
async fn nested_fields_come_with_the_offer() {
    let app = fixture_app().await;
    let answer = app
        .graphql(
            r#"{ offers(first: 1, filter: { text: "vélo" }) { edges { node {
                kind sector { code labelFr } publics barriers themes status deliveryMode
                location { city communeCode departement country latitude }
                organisation { name kind country location { city } }
                slots { seatsTotal seatsTaken seatsRemaining status }
                nextSlot { seatsRemaining status }
                testimonials { authorName body cohort }
            } } } }"#,
            json!({}),
        )
        .await;
    let offer = &data(&answer)["offers"]["edges"][0]["node"];
    assert_eq!(offer["kind"], "TRAINING");
    assert_eq!(offer["sector"]["code"], "BIKE_REPAIR");
    assert_eq!(offer["sector"]["labelFr"], "Réparation de vélos");
    assert_eq!(offer["publics"], json!(["JOB_SEEKERS", "YOUNG_PEOPLE"]));
    assert_eq!(offer["barriers"], json!(["MOBILITY"]));
    assert_eq!(offer["location"]["departement"], "59");
    assert_eq!(offer["location"]["country"], "FR");
    assert_eq!(offer["organisation"]["name"], "Atelier Vélo Solidaire");
    assert_eq!(offer["organisation"]["kind"], "ACI");
    assert_eq!(offer["slots"][0]["seatsRemaining"], 7);
    assert_eq!(offer["slots"][0]["status"], "OPEN");
    assert_eq!(offer["nextSlot"]["seatsRemaining"], 7);
    assert_eq!(
        offer["testimonials"].as_array().map(Vec::len),
        Some(1),
        "only the approved testimonial is public"
    );
    assert_eq!(offer["testimonials"][0]["authorName"], "Samia B.");
}

#[tokio::test]
async fn slot_statuses_are_derived() {
    let app = fixture_app().await;
    let answer = app
        .graphql(
            r#"{ offers(first: 10) { edges { node { title nextSlot { status } slots(upcomingOnly: false) { status } } } } }"#,
            json!({}),
        )
        .await;
    let edges = data(&answer)["offers"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    let by_title = |title: &str| -> Value {
        edges
            .iter()
            .find(|e| e["node"]["title"] == title)
            .expect("offer")["node"]
            .clone()
    };
    assert_eq!(
        by_title("Agent·e de déconstruction")["slots"],
        json!([{ "status": "FULL" }])
    );
    let numerique = by_title("Découverte du numérique");
    assert_eq!(
        numerique["slots"],
        json!([{ "status": "CLOSED" }, { "status": "CANCELLED" }])
    );
    assert_eq!(
        numerique["nextSlot"],
        Value::Null,
        "a cancelled session is never the next one"
    );
}

#[tokio::test]
async fn nested_page_sizes_are_bounded_too() {
    let app = fixture_app().await;
    let answer = app
        .graphql(
            "{ offers(first: 1) { edges { node { slots(first: 1000) { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(crate::helpers::error_code(&answer), "VALIDATION");
    assert_eq!(crate::helpers::error_field(&answer), "slots.first");
}

/// The session filters read per-offer summaries that every session write keeps: filling,
/// cancelling and adding sessions moves the offer in and out of them at once.
#[tokio::test]
async fn session_filters_follow_every_session_write() {
    let world = crate::world::world().await;
    let d3e = |filter: Value| {
        let world = &world;
        async move {
            let (_, answer) = world
                .run(
                    &world.admin,
                    r#"query ($f: OfferFilter) { offers(filter: $f) { nodes { title slots { id version } } } }"#,
                    json!({ "f": filter }),
                )
                .await;
            data(&answer)["offers"]["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .find(|node| node["title"] == "Réemploi D3E à distance")
                .cloned()
        }
    };
    let with_seats = json!({ "hasSeatsLeft": true });
    let upcoming = json!({ "hasUpcomingSlot": true });
    let offer = d3e(with_seats.clone())
        .await
        .expect("0/8 seats taken: seats left");
    let slot = offer["slots"][0].clone();

    let (_, full) = world
        .run(&world.admin, "mutation ($id: ID!, $v: Int!) { updateSlot(input: { id: $id, version: $v, seatsTaken: 8 }) { slot { version } } }", json!({ "id": slot["id"], "v": slot["version"] }))
        .await;
    let version = data(&full)["updateSlot"]["slot"]["version"].clone();
    assert!(d3e(with_seats.clone()).await.is_none(), "full: {full}");
    assert!(d3e(json!({ "hasSeatsLeft": false })).await.is_some());
    assert!(d3e(upcoming.clone()).await.is_some(), "still upcoming");

    let (_, cancelled) = world
        .run(&world.admin, "mutation ($id: ID!, $v: Int!) { cancelSlot(input: { id: $id, version: $v }) { slot { status } } }", json!({ "id": slot["id"], "v": version }))
        .await;
    assert!(cancelled.get("errors").is_none(), "{cancelled}");
    assert!(
        d3e(upcoming.clone()).await.is_none(),
        "cancelled: no upcoming session"
    );
    assert!(d3e(json!({ "hasUpcomingSlot": false })).await.is_some());

    let (_, created) = world
        .run(&world.admin, "mutation { createSlot(input: { offerId: \"T2ZmZXI6NQ\", startsOn: \"2031-01-05\", seatsTotal: 4 }) { slot { id } } }", json!({}))
        .await;
    assert!(created.get("errors").is_none(), "{created}");
    assert!(d3e(with_seats).await.is_some(), "a new session with seats");
}

/// A query word finds the offers that say one of its synonyms (`reference/synonyms.json`).
#[tokio::test]
async fn text_search_reads_the_synonym_file() {
    let app = fixture_app().await;
    assert_eq!(
        titles(&app, json!({ "text": "bicyclette" })).await,
        vec!["Mécanicien·ne vélo"]
    );
    assert_eq!(
        titles(&app, json!({ "text": "DEEE distance" })).await,
        vec!["Réemploi D3E à distance"]
    );
    assert!(
        titles(&app, json!({ "text": "bicyclette D3E" }))
            .await
            .is_empty()
    );
}
