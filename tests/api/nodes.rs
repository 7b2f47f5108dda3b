//! Global IDs: `node(id:)` finds every kind of object; organisations list and page like offers.
use serde_json::json;

use crate::fixture;
use crate::helpers::{TestApp, data};

#[tokio::test]
async fn every_global_id_resolves_through_node() {
    let app = TestApp::spawn_empty().await;
    let (organisations, offers) = fixture::catalogue();
    app.load(&organisations, offers).await;
    let answer = app
        .graphql(
            r#"{ offers(first: 1, filter: { text: "vélo" }) { edges { node {
                id organisation { id } slots { id } testimonials { id } eligibilityConditions { id }
            } } } }"#,
            json!({}),
        )
        .await;
    let offer = data(&answer)["offers"]["edges"][0]["node"].clone();
    for (id, typename) in [
        (&offer["id"], "Offer"),
        (&offer["organisation"]["id"], "Organisation"),
        (&offer["slots"][0]["id"], "TrainingSlot"),
        (&offer["testimonials"][0]["id"], "Testimonial"),
    ] {
        let answer = app
            .graphql(
                "query ($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(data(&answer)["node"]["__typename"], typename);
        assert_eq!(&data(&answer)["node"]["id"], id);
    }
    let answer = app
        .graphql(
            "query ($id: ID!) { offer(id: $id) { title } }",
            json!({ "id": offer["id"] }),
        )
        .await;
    assert_eq!(data(&answer)["offer"]["title"], "Mécanicien·ne vélo");
}

#[tokio::test]
async fn organisations_are_filtered_and_list_their_offers() {
    let app = TestApp::spawn_empty().await;
    let (organisations, offers) = fixture::catalogue();
    app.load(&organisations, offers).await;
    let answer = app
        .graphql(
            r#"{ organisations(filter: { kinds: [EI, ACI], text: "roubaix" }) {
                totalCount edges { node { name offers { totalCount edges { node { title } } } } }
            } }"#,
            json!({}),
        )
        .await;
    let organisations = &data(&answer)["organisations"];
    assert_eq!(organisations["totalCount"], 1);
    let organisation = &organisations["edges"][0]["node"];
    assert_eq!(organisation["name"], "Recyclerie de Roubaix");
    assert_eq!(organisation["offers"]["totalCount"], 2);

    let answer = app
        .graphql(
            r#"{ organisations(filter: { country: BE }) { edges { node { name } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data(&answer)["organisations"]["edges"][0]["node"]["name"],
        "CISP Liège Formation"
    );
}

#[tokio::test]
async fn referentials_label_every_code_list() {
    let app = TestApp::spawn_empty().await;
    let answer = app
        .graphql(
            "{ referentials { publics { value code labelFr labelEn } sectors { code labelFr } themes { code category } organisationKinds { value } } }",
            json!({}),
        )
        .await;
    let referentials = &data(&answer)["referentials"];
    assert_eq!(referentials["publics"].as_array().map(Vec::len), Some(14));
    assert!(
        referentials["publics"]
            .as_array()
            .expect("publics")
            .iter()
            .any(|p| p["value"] == "JOB_SEEKERS" && p["code"] == "demandeurs-emploi")
    );
    assert_eq!(referentials["sectors"].as_array().map(Vec::len), Some(13));
    assert_eq!(referentials["themes"].as_array().map(Vec::len), Some(69));
    assert_eq!(
        referentials["organisationKinds"].as_array().map(Vec::len),
        Some(13)
    );
}

#[tokio::test]
async fn every_connection_offers_edges_and_nodes_under_root_types_named_query_and_mutation() {
    let app = TestApp::spawn_with_demo().await;
    let answer = app
        .graphql(
            "{ __schema { queryType { name } mutationType { name } }
               offers(first: 2) { edges { cursor node { id } } nodes { id } }
               organisations(first: 2) { edges { cursor node { id } } nodes { id } } }",
            serde_json::json!({}),
        )
        .await;
    let data = data(&answer);
    assert_eq!(data["__schema"]["queryType"]["name"], "Query");
    assert_eq!(data["__schema"]["mutationType"]["name"], "Mutation");
    for connection in ["offers", "organisations"] {
        let from_edges: Vec<_> = data[connection]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|edge| edge["node"]["id"].clone())
            .collect();
        let nodes: Vec<_> = data[connection]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|node| node["id"].clone())
            .collect();
        assert_eq!(from_edges, nodes, "{connection}");
        assert_eq!(nodes.len(), 2);
    }
    // The schema's other connections have both shapes too.
    let sdl = insertion_catalogue::graphql::sdl();
    for connection in ["AuditEntryConnection", "TestimonialConnection"] {
        let body = sdl
            .split(&format!("type {connection} {{"))
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .unwrap_or_else(|| panic!("{connection} in the SDL"));
        assert!(
            body.contains("edges:") && body.contains("nodes:"),
            "{connection}: {body}"
        );
    }
}
