//! The HSDS 3.0 API: numbered pages and the ndjson stream give every published offer and
//! organisation once (no draft), records have what HSDS requires, a record by id is fully
//! nested, `modified_after` tells harvesters what changed (withdrawn offers included), and
//! every bad parameter gets a coded error naming it.
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use entity::enums::ClientRole;
use insertion_catalogue::exchange::hsds::ids::{self, Kind};
use insertion_catalogue::graphql::ids::{NodeType, encode};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, sql_column};

async fn ids_of(app: &TestApp, sql: &str) -> Vec<i32> {
    sql_column(&app.db, sql).await
}

const PUBLISHED_OFFERS: &str = "SELECT o.id FROM offers o JOIN organisations g ON g.id = o.organisation_id \
     WHERE o.status = 'PUBLISHED' AND g.archived_at IS NULL ORDER BY o.id";
const ORGANISATIONS_WITH_PUBLISHED_OFFERS: &str = "SELECT g.id FROM organisations g WHERE g.archived_at IS NULL \
     AND EXISTS (SELECT 1 FROM offers o WHERE o.organisation_id = g.id AND o.status = 'PUBLISHED') ORDER BY g.id";

async fn get_json(app: &TestApp, path: &str) -> (u16, Value) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("{path}: not JSON: {body}")),
    )
}

async fn source(app: &TestApp) -> String {
    let (status, about) = get_json(app, "/hsds/").await;
    assert_eq!(status, 200, "{about}");
    assert_eq!(about["version"], "3.0");
    about["publisher"]["name"]
        .as_str()
        .expect("publisher")
        .to_owned()
}

fn is_uuid(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| uuid::Uuid::parse_str(text).is_ok())
}

/// What HSDS 3.0 requires of a service and of an organization in a list, and the formats
/// its schema gives (uuid, date-time, the status code list).
fn check_service(record: &Value) {
    assert!(
        is_uuid(&record["id"]) && is_uuid(&record["organization_id"]),
        "{record}"
    );
    assert!(
        record["name"].as_str().is_some_and(|n| !n.is_empty()),
        "{record}"
    );
    assert!(
        ["active", "inactive", "defunct", "temporarily closed"]
            .contains(&record["status"].as_str().unwrap_or_default()),
        "{record}"
    );
    let modified = record["last_modified"].as_str().expect("last_modified");
    assert!(DateTime::parse_from_rfc3339(modified).is_ok(), "{record}");
}

fn check_organization(record: &Value) {
    assert!(is_uuid(&record["id"]), "{record}");
    assert!(
        record["name"].as_str().is_some_and(|n| !n.is_empty()),
        "{record}"
    );
    assert!(
        record["description"]
            .as_str()
            .is_some_and(|n| !n.is_empty()),
        "{record}"
    );
}

/// Every page of `path` (per_page 37); checks the page fields on the way.
async fn walk(app: &TestApp, path: &str) -> Vec<Value> {
    let mut records = Vec::new();
    let mut page = 1;
    loop {
        let (status, answer) = get_json(app, &format!("{path}?per_page=37&page={page}")).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["page_number"], page);
        assert_eq!(answer["first_page"], page == 1);
        let contents = answer["contents"].as_array().expect("contents").clone();
        assert_eq!(answer["size"], contents.len());
        assert_eq!(answer["empty"], contents.is_empty());
        let total_items = answer["total_items"].as_u64().expect("total_items");
        assert_eq!(answer["total_pages"], total_items.div_ceil(37));
        records.extend(contents);
        if answer["last_page"] == true {
            assert_eq!(records.len() as u64, total_items);
            return records;
        }
        page += 1;
    }
}

async fn stream(app: &TestApp, path: &str) -> Vec<Value> {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().ok(),
        Some("application/x-ndjson")
    );
    let body = response.text().await.expect("body");
    body.lines()
        .map(|line| serde_json::from_str(line).expect("one JSON record per line"))
        .collect()
}

fn id_set(records: &[Value]) -> BTreeSet<String> {
    let ids: BTreeSet<String> = records
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), records.len(), "each record once");
    ids
}

#[tokio::test]
async fn pages_and_the_stream_give_every_published_record_once_and_nothing_else() {
    let app = TestApp::spawn_with_demo().await;
    let source = source(&app).await;
    // The demo publishes everything: two offers go back to draft (an editor's work in
    // progress), one organisation is archived with its offers.
    app.db
        .execute_unprepared("UPDATE offers SET status = 'DRAFT' WHERE id IN (3, 9)")
        .await
        .expect("drafts");
    app.db
        .execute_unprepared("UPDATE organisations SET archived_at = created_at WHERE id = 2")
        .await
        .expect("an archived organisation");
    let drafts = ids_of(&app, "SELECT id FROM offers WHERE status <> 'PUBLISHED'").await;
    let expected_services: BTreeSet<String> = ids_of(&app, PUBLISHED_OFFERS)
        .await
        .into_iter()
        .map(|id| ids::uuid(&source, Kind::Service, id.into(), 0).to_string())
        .collect();
    let expected_organizations: BTreeSet<String> =
        ids_of(&app, ORGANISATIONS_WITH_PUBLISHED_OFFERS)
            .await
            .into_iter()
            .map(|id| ids::uuid(&source, Kind::Organization, id.into(), 0).to_string())
            .collect();

    assert!(
        expected_services.len() > 400 && !drafts.is_empty(),
        "the demo has both"
    );

    let services = walk(&app, "/hsds/services").await;
    services.iter().for_each(check_service);
    assert!(services.iter().all(|s| s["status"] == "active"));
    assert_eq!(id_set(&services), expected_services);
    let streamed = stream(&app, "/hsds/services?format=ndjson").await;
    assert_eq!(id_set(&streamed), expected_services);
    assert_eq!(
        streamed, services,
        "the stream holds the same records, in the same order"
    );

    let organizations = walk(&app, "/hsds/organizations").await;
    organizations.iter().for_each(check_organization);
    assert_eq!(id_set(&organizations), expected_organizations);
    let streamed = stream(&app, "/hsds/organizations?format=ndjson").await;
    assert_eq!(id_set(&streamed), expected_organizations);
    // Every service's organization is listed.
    for service in &services {
        assert!(
            expected_organizations
                .contains(service["organization_id"].as_str().unwrap_or_default())
        );
    }
    // A service id of a draft is not found, like an id that is nobody's.
    let draft = ids::uuid(&source, Kind::Service, drafts[0].into(), 0);
    let (status, answer) = get_json(&app, &format!("/hsds/services/{draft}")).await;
    assert_eq!(
        (status, answer["errors"][0]["extensions"]["code"].as_str()),
        (404, Some("NOT_FOUND"))
    );
}

#[tokio::test]
async fn a_service_by_id_is_fully_nested_and_says_what_the_graphql_api_says() {
    let app = TestApp::spawn_with_demo().await;
    let source = source(&app).await;
    // An offer with upcoming sessions, a place and conditions.
    let answer = app
        .graphql(
            r#"{ offers(first: 50, filter: { hasUpcomingSlot: true }) { nodes {
                id title fees organisation { id name }
                slots(upcomingOnly: true, first: 50) { startsOn endsOn status }
                themes publics
            } } }"#,
            json!({}),
        )
        .await;
    let offers = data(&answer)["offers"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone();
    let offer = offers
        .iter()
        .find(|o| !o["themes"].as_array().is_some_and(Vec::is_empty))
        .expect("an offer with themes");
    let row = insertion_catalogue::graphql::ids::decode(offer["id"].as_str().expect("id"), "id")
        .expect("an offer id")
        .1;
    let id = ids::uuid(&source, Kind::Service, row.into(), 0);
    let (status, service) = get_json(&app, &format!("/hsds/services/{id}")).await;
    assert_eq!(status, 200, "{service}");
    check_service(&service);
    assert_eq!(service["name"], offer["title"]);
    assert_eq!(
        service["organization"]["name"],
        offer["organisation"]["name"]
    );
    check_organization(&service["organization"]);
    let sessions: Vec<(String, String)> = offer["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .filter(|s| s["status"] != "CANCELLED")
        .map(|s| {
            (
                s["startsOn"].as_str().unwrap_or_default().to_owned(),
                s["endsOn"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let schedules: Vec<(String, String)> = service["schedules"]
        .as_array()
        .expect("schedules")
        .iter()
        .map(|s| {
            assert_eq!(s["service_id"], service["id"]);
            (
                s["valid_from"].as_str().unwrap_or_default().to_owned(),
                s["valid_to"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(!schedules.is_empty());
    assert_eq!(
        schedules, sessions,
        "the upcoming sessions that are not cancelled, in order"
    );
    let themes: BTreeSet<&str> = service["attributes"]
        .as_array()
        .expect("attributes")
        .iter()
        .filter(|a| a["taxonomy_term"]["taxonomy"] == "data-inclusion:thematiques")
        .map(|a| a["taxonomy_term"]["code"].as_str().unwrap_or_default())
        .collect();
    let expected: BTreeSet<&str> = offer["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(themes, expected);
    let cost = &service["cost_options"][0];
    assert_eq!(
        cost["option"],
        if offer["fees"] == "FREE" {
            "gratuit"
        } else {
            "payant"
        }
    );
    for located in service["service_at_locations"]
        .as_array()
        .expect("locations")
    {
        let address = &located["location"]["addresses"][0];
        for field in [
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ] {
            assert!(
                address[field].as_str().is_some_and(|v| !v.is_empty()),
                "{field}: {address}"
            );
        }
    }
    // The organization by id lists the service among its own.
    let organisation = service["organization_id"]
        .as_str()
        .expect("organization id");
    let (status, organization) =
        get_json(&app, &format!("/hsds/organizations/{organisation}")).await;
    assert_eq!(status, 200, "{organization}");
    assert!(
        organization["services"]
            .as_array()
            .expect("services")
            .iter()
            .any(|s| s["id"] == service["id"])
    );
    // And `organization_id` filters the services to that organisation's.
    let (_, page) = get_json(
        &app,
        &format!("/hsds/services?organization_id={organisation}&per_page=500"),
    )
    .await;
    let listed = page["contents"].as_array().expect("contents");
    assert!(!listed.is_empty() && listed.iter().all(|s| s["organization_id"] == organisation));
    assert_eq!(
        page["total_items"],
        organization["services"]
            .as_array()
            .map(Vec::len)
            .unwrap_or_default()
    );
}

#[tokio::test]
async fn modified_after_lists_what_changed_and_withdrawn_offers_as_stubs() {
    let app = TestApp::spawn_with_demo().await;
    let source = source(&app).await;
    let admin = app.create_client("admin", ClientRole::Admin, vec![]).await;
    let published = ids_of(&app, PUBLISHED_OFFERS).await;
    let (retitled, archived) = (published[3], published[7]);
    // Timestamps have a resolution of a millisecond or better on both engines: the edits
    // come strictly after `since`.
    let since: DateTime<Utc> = Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let version = |id: i32| {
        let app = &app;
        async move {
            let answer = app
                .graphql(
                    r#"query ($id: ID!) { node(id: $id) { ... on Offer { version } } }"#,
                    json!({ "id": encode(NodeType::Offer, id).to_string() }),
                )
                .await;
            data(&answer)["node"]["version"].as_i64().expect("version")
        }
    };
    let v = version(retitled).await;
    let (status, answer) = app
        .graphql_as(
            &admin,
            r#"mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, title: "Atelier vélo, nouvelle session" }) { offer { id } } }"#,
            json!({ "id": encode(NodeType::Offer, retitled).to_string(), "v": v }),
        )
        .await;
    assert_eq!(status, 200);
    data(&answer);
    let v = version(archived).await;
    let (_, answer) = app
        .graphql_as(
            &admin,
            r#"mutation ($id: ID!, $v: Int!) { archiveOffer(input: { id: $id, version: $v }) { offer { id } } }"#,
            json!({ "id": encode(NodeType::Offer, archived).to_string(), "v": v }),
        )
        .await;
    data(&answer);

    let after = since.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let path = format!(
        "/hsds/services?modified_after={}",
        after.replace('+', "%2B")
    );
    let (status, page) = get_json(&app, &path).await;
    assert_eq!(status, 200, "{page}");
    let by_id: HashMap<String, Value> = page["contents"]
        .as_array()
        .expect("contents")
        .iter()
        .map(|s| (s["id"].as_str().unwrap_or_default().to_owned(), s.clone()))
        .collect();
    let uuid = |id: i32| ids::uuid(&source, Kind::Service, id.into(), 0).to_string();
    assert_eq!(
        by_id.keys().cloned().collect::<BTreeSet<_>>(),
        [uuid(retitled), uuid(archived)].into_iter().collect(),
        "exactly what changed since"
    );
    assert_eq!(
        by_id[&uuid(retitled)]["name"],
        "Atelier vélo, nouvelle session"
    );
    assert_eq!(by_id[&uuid(retitled)]["status"], "active");
    let stub = &by_id[&uuid(archived)];
    check_service(stub);
    assert_eq!(stub["status"], "defunct");
    assert!(
        stub.get("eligibility_description").is_none(),
        "a stub says no more than needed"
    );
    // Without modified_after, the archived offer is simply gone.
    let (_, everything) = get_json(&app, "/hsds/services?per_page=500").await;
    assert!(
        everything["contents"]
            .as_array()
            .expect("contents")
            .iter()
            .all(|s| s["id"] != uuid(archived).as_str())
    );
}

#[tokio::test]
async fn every_bad_parameter_gets_a_coded_error_that_names_it() {
    let app = TestApp::spawn_with_demo().await;
    for (path, field) in [
        ("/hsds/services?per_page=0", "per_page"),
        ("/hsds/services?per_page=501", "per_page"),
        ("/hsds/services?per_page=ten", "per_page"),
        ("/hsds/services?page=0", "page"),
        ("/hsds/services?page=-1", "page"),
        ("/hsds/services?modified_after=yesterday", "modified_after"),
        ("/hsds/services?format=xml", "format"),
        ("/hsds/services?full=yes", "full"),
        ("/hsds/services?search=velo", "search"),
        ("/hsds/services?taxonomy_term_id=x", "taxonomy_term_id"),
        (
            "/hsds/services?organization_id=not-an-id",
            "organization_id",
        ),
        ("/hsds/services?colour=blue", "colour"),
        ("/hsds/organizations?organization_id=x", "organization_id"),
    ] {
        let (status, answer) = get_json(&app, path).await;
        assert_eq!(status, 400, "{path}: {answer}");
        let error = &answer["errors"][0];
        assert_eq!(
            error["extensions"]["code"], "BAD_REQUEST",
            "{path}: {answer}"
        );
        assert_eq!(error["extensions"]["field"], field, "{path}: {answer}");
    }
    for path in [
        "/hsds/services/not-a-uuid",
        "/hsds/organizations/00000000-0000-8000-8000-000000000001",
    ] {
        let (status, answer) = get_json(&app, path).await;
        assert_eq!(status, 404, "{path}: {answer}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND");
    }
    // A page past the end is an empty page, not an error (HSDS's `empty`).
    let (status, answer) = get_json(&app, "/hsds/services?page=1000").await;
    assert_eq!(
        (status, &answer["empty"], &answer["last_page"]),
        (200, &json!(true), &json!(true))
    );
}
