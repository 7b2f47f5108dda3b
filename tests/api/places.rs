//! `near` searches, decided from the offers' places kept in memory: they find the offers of
//! the circle as computed here apart from the server, nearest first page after page, count
//! them in `totalCount` and the facets, and follow an offer that moves, on another instance.
use std::collections::BTreeMap;

use entity::enums::ClientRole;
use insertion_catalogue::catalogue::eligibility_match::EligibilityQuery;
use insertion_catalogue::catalogue::geo::Near;
use insertion_catalogue::catalogue::offer_search::{
    OfferFilter, OfferIdPage, OfferOrder, OfferSortField, Visibility, search_offer_ids,
};
use insertion_catalogue::eligibility::Profile;
use insertion_catalogue::graphql::ids;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, each_offers_page, postgres_generic_plan};

/// Kilometres per degree of latitude, as `geo.rs` says (mean Earth radius 6,371 km).
const KM_PER_DEGREE: f64 = 111.194_926_645;

/// The planar distance `geo.rs` documents, written again here.
fn distance_km(centre: (f64, f64), latitude: f64, longitude: f64) -> f64 {
    let dy = (latitude - centre.0) * KM_PER_DEGREE;
    let dx = (longitude - centre.1) * KM_PER_DEGREE * centre.0.to_radians().cos();
    (dy * dy + dx * dx).sqrt()
}

/// Every published offer with coordinates: id → (latitude, longitude).
async fn places(app: &TestApp) -> BTreeMap<String, (f64, f64)> {
    let mut places = BTreeMap::new();
    each_offers_page(
        app,
        "query ($a: String) { offers(first: 100, after: $a) { nodes { id location { latitude longitude } } pageInfo { hasNextPage endCursor } } }",
        json!({}),
        |offers| {
            for node in offers["nodes"].as_array().expect("nodes") {
                let location = &node["location"];
                if let (Some(latitude), Some(longitude)) =
                    (location["latitude"].as_f64(), location["longitude"].as_f64())
                {
                    let id = node["id"].as_str().expect("an id").to_owned();
                    places.insert(id, (latitude, longitude));
                }
            }
        },
    )
    .await;
    places
}

/// The ids and distances of a search by distance, walked 7 at a time, with its totalCount
/// and the sum of its kinds facet.
async fn walk_by_distance(app: &TestApp, filter: &Value) -> (Vec<(String, f64)>, i64, i64) {
    let mut found = Vec::new();
    let mut counts = None;
    each_offers_page(
        app,
        "query ($f: OfferFilter, $a: String) { offers(first: 7, after: $a, filter: $f, orderBy: { field: DISTANCE }) { totalCount facets { kinds { count } } nodes { id distanceKm } pageInfo { hasNextPage endCursor } } }",
        json!({ "f": filter }),
        |offers| {
            counts.get_or_insert_with(|| {
                let kinds: i64 = offers["facets"]["kinds"]
                    .as_array()
                    .expect("kinds")
                    .iter()
                    .map(|kind| kind["count"].as_i64().expect("a count"))
                    .sum();
                (offers["totalCount"].as_i64().expect("totalCount"), kinds)
            });
            for node in offers["nodes"].as_array().expect("nodes") {
                found.push((
                    node["id"].as_str().expect("an id").to_owned(),
                    node["distanceKm"].as_f64().expect("a distance"),
                ));
            }
        },
    )
    .await;
    let (total, kinds) = counts.unwrap_or_default();
    (found, total, kinds)
}

/// Checks one circle against the places computed apart.
async fn check_circle(app: &TestApp, centre: (f64, f64), radius_km: f64) -> Vec<String> {
    let everywhere = places(app).await;
    let mut expected: Vec<(f64, String)> = everywhere
        .iter()
        .map(|(id, (latitude, longitude))| (distance_km(centre, *latitude, *longitude), id.clone()))
        .filter(|(distance, _)| *distance <= radius_km)
        .collect();
    expected.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(
        everywhere.values().all(|(latitude, longitude)| {
            (distance_km(centre, *latitude, *longitude) - radius_km).abs() > 0.001
        }),
        "no offer lies on the edge, where rounding could decide"
    );
    let filter =
        json!({ "near": { "latitude": centre.0, "longitude": centre.1, "radiusKm": radius_km } });
    let (found, total, kinds) = walk_by_distance(app, &filter).await;
    let mut found_ids: Vec<String> = found.iter().map(|(id, _)| id.clone()).collect();
    let mut expected_ids: Vec<String> = expected.iter().map(|(_, id)| id.clone()).collect();
    assert!(
        found.windows(2).all(|pair| pair[0].1 <= pair[1].1),
        "nearest first: {found:?}"
    );
    assert_eq!(total, expected_ids.len() as i64, "{filter}: totalCount");
    assert_eq!(
        kinds,
        expected_ids.len() as i64,
        "{filter}: the kinds facet"
    );
    found_ids.sort();
    expected_ids.sort();
    assert_eq!(found_ids, expected_ids, "{filter}: the circle");
    expected.into_iter().map(|(_, id)| id).collect()
}

#[tokio::test]
async fn near_searches_find_count_and_follow_the_circle() {
    let first = TestApp::spawn_with_demo_uncached().await;
    let second = first.another_instance().await;
    let lille = (50.6292, 3.0573);
    let dunkerque = (51.0343, 2.3768);
    let in_lille = check_circle(&first, lille, 30.0).await;
    assert!(in_lille.len() > 14, "several pages near Lille");
    assert!(!check_circle(&first, dunkerque, 20.0).await.is_empty());
    check_circle(&first, lille, 150.0).await;
    assert!(check_circle(&first, (47.0, -8.0), 10.0).await.is_empty());

    // An offer near Dunkerque moves to Lille's centre, on the first instance.
    let key = first
        .create_client("Admin", ClientRole::Admin, vec![])
        .await;
    let in_dunkerque = check_circle(&second, dunkerque, 20.0).await;
    let moved = in_dunkerque
        .iter()
        .find(|id| !in_lille.contains(id))
        .expect("an offer near Dunkerque only");
    let (_, offer) = first
        .graphql_as(
            &key,
            "query ($id: ID!) { node(id: $id) { ... on Offer { version } } }",
            json!({ "id": moved }),
        )
        .await;
    let version = data(&offer)["node"]["version"].clone();
    let (_, written) = first
        .graphql_as(
            &key,
            r#"mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, location: { address: "1 place du Théâtre", city: "Lille", communeCode: "59350", postalCode: "59000", latitude: 50.6292, longitude: 3.0573 } }) { offer { id } } }"#,
            json!({ "id": moved, "v": version }),
        )
        .await;
    assert!(written.get("errors").is_none(), "{written}");
    let now_in_lille = check_circle(&second, lille, 30.0).await;
    assert_eq!(now_in_lille.first(), Some(moved), "the nearest now");
    assert!(!check_circle(&second, dunkerque, 20.0).await.contains(moved));
}

/// The first offer (its row id) of a public search by distance.
async fn nearest_row(app: &TestApp, centre: (f64, f64), radius_km: f64) -> i32 {
    let answer = app
        .graphql(
            "query ($f: OfferFilter) { offers(first: 1, filter: $f, orderBy: { field: DISTANCE }) { nodes { id } } }",
            json!({ "f": { "near": { "latitude": centre.0, "longitude": centre.1, "radiusKm": radius_km } } }),
        )
        .await;
    let id = data(&answer)["offers"]["nodes"][0]["id"]
        .as_str()
        .expect("an offer");
    ids::decode_as(id, ids::NodeType::Offer, "id").expect("an offer id")
}

/// The public's page of `rows` offers of `filter` nearest first, after `after`.
async fn by_distance(
    app: &TestApp,
    filter: &OfferFilter,
    rows: u64,
    after: Option<&str>,
) -> OfferIdPage {
    let order = OfferOrder {
        field: OfferSortField::Distance,
        descending: false,
    };
    let today = chrono::Utc::now().date_naive();
    search_offer_ids(
        &app.db,
        filter,
        &Visibility::Published,
        order,
        rows,
        after,
        today,
    )
    .await
    .expect("a page")
}

/// A page chosen in memory holds exactly the page's offers; when SQL finds fewer of them (a
/// write moved one out in between), the search asks SQL alone rather than answer a short
/// page that would end a walk early.
#[tokio::test]
async fn a_page_chosen_in_memory_that_a_write_outran_is_asked_again() {
    let app = TestApp::spawn_with_demo().await;
    let lille = (50.6292, 3.0573);
    let nearest = nearest_row(&app, lille, 30.0).await;
    // What memory chose, as if the second offer had been near Lille when it chose.
    let in_marseille = nearest_row(&app, (43.2965, 5.3698), 10.0).await;
    let filter = OfferFilter {
        near: Some(Near::new(lille.0, lille.1, 30.0, "near").expect("a circle")),
        within_ids: Some(vec![nearest, in_marseille]),
        within_ids_lead: true,
        ..OfferFilter::default()
    };
    let page = by_distance(&app, &filter, 1, None).await;
    assert_eq!(page.ids.len(), 1);
    assert_eq!(page.ids[0].0, nearest);
    assert!(page.has_next_page, "more offers near Lille than one");
}

/// The rule engine's scan by distance is led by the nearest offers chosen in memory; past
/// them it goes on with SQL alone, and the pages are those SQL alone gives.
#[tokio::test]
async fn an_eligibility_scan_goes_on_past_the_offers_that_led_it() {
    let app = TestApp::spawn_with_demo().await;
    let lille = Near::new(50.6292, 3.0573, 150.0, "near").expect("a circle");
    let today = chrono::Utc::now().date_naive();
    let alone = OfferFilter {
        near: Some(lille),
        eligible_for: Some(EligibilityQuery {
            profile: Profile {
                birth_date: chrono::NaiveDate::from_ymd_opt(1999, 5, 1),
                ..Profile::default()
            },
            on: today,
        }),
        ..OfferFilter::default()
    };
    let page = |filter: OfferFilter, after: Option<String>| {
        let app = &app;
        async move { by_distance(app, &filter, 30, after.as_deref()).await }
    };
    let first = page(alone.clone(), None).await;
    assert!(first.has_next_page, "more than a page near Lille");
    let led_by = |count: usize| OfferFilter {
        within_ids: Some(first.ids.iter().take(count).map(|(id, _)| *id).collect()),
        within_ids_lead: true,
        ..alone.clone()
    };
    // Led by the first 3 (or none at all): the same page as SQL alone.
    for count in [3, 0] {
        let led = page(led_by(count), None).await;
        assert_eq!(led.ids, first.ids, "led by {count}");
        assert_eq!(led.has_next_page, first.has_next_page);
    }
    // And from the second page on.
    let after = first.ids.last().map(|(_, cursor)| cursor.clone());
    let second = page(alone.clone(), after.clone()).await;
    assert!(!second.ids.is_empty());
    let led = page(
        OfferFilter {
            within_ids: Some(second.ids.iter().take(2).map(|(id, _)| *id).collect()),
            ..led_by(0)
        },
        after,
    )
    .await;
    assert_eq!(led.ids, second.ids);
}

/// A page handed its ids (the nearest offers, chosen in memory) is read by their key even
/// by a generic plan, which PostgreSQL may switch to after five runs of a prepared statement
/// and which cannot see that the ids are few: with the coordinates' index open to it, it
/// walked that index instead (near Lille at 100,000 offers: 66-85 ms against 2.3 ms).
#[tokio::test]
async fn a_page_handed_its_ids_is_read_by_key_even_by_a_generic_plan() {
    use sea_orm::DbBackend;
    let app = TestApp::spawn_with_demo().await;
    if app.db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let lille = Near::new(50.6292, 3.0573, 150.0, "near").expect("a circle");
    let search = |filter: OfferFilter| {
        let app = &app;
        async move { by_distance(app, &filter, 5, None).await }
    };
    let alone = OfferFilter {
        near: Some(lille),
        ..OfferFilter::default()
    };
    let first = search(alone.clone()).await;
    assert_eq!(first.ids.len(), 5, "offers near Lille");
    app.metrics.start_capture();
    let handed = search(OfferFilter {
        within_ids: Some(first.ids.iter().map(|(id, _)| *id).collect()),
        ..alone
    })
    .await;
    let captured = app.metrics.take_captured();
    assert_eq!(handed.ids, first.ids);
    let page = captured
        .iter()
        .find(|s| s.sql.contains("latitude") && s.sql.contains(r#""offers"."id" IN ("#))
        .unwrap_or_else(|| panic!("the page's statement among {captured:#?}"));
    let plan = postgres_generic_plan(&app, page).await;
    assert!(plan.contains("offers_pkey"), "read by key:\n{plan}");
    assert!(
        !plan.contains("idx_offers_coordinates"),
        "the coordinates' index is not walked:\n{plan}"
    );
}
