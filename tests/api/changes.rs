//! The change feed: a partner that walks it from the start, and later from where it
//! stopped, and applies it (add what is PUBLISHED, upsert what is UPDATED, refresh the
//! sessions of what is SLOT_CHANGED, remove what is UNPUBLISHED) holds exactly the published
//! catalogue, after any series of edits and imports; SLOT_CHANGED never hides a change of
//! the offer's own record.
use std::collections::BTreeMap;

use chrono::Utc;
use entity::enums::ClientRole;
use insertion_catalogue::exchange::bundle::export::{ExportOptions, export};
use insertion_catalogue::exchange::bundle::import::{ImportOptions, import};
use insertion_catalogue::exchange::bundle::read::Testimonials;
use insertion_catalogue::graphql::ids::{NodeType, encode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_field};

/// What a partner keeps of each record: enough to see that it changed.
type Copy = BTreeMap<String, String>;

#[derive(Default)]
struct Partner {
    cursor: Option<String>,
    offers: Copy,
    organisations: Copy,
    /// The kind of each change of the last sync, by global ID.
    kinds: BTreeMap<String, String>,
}

impl Partner {
    /// Walks the feed from its cursor to the end, in pages of 37, applying each change.
    async fn sync(&mut self, app: &TestApp) {
        self.kinds.clear();
        loop {
            let answer = app
                .graphql(
                    r#"query ($after: String) { changes(first: 37, after: $after) {
                        edges { cursor node { kind id offer { title updatedAt } organisation { name updatedAt } } }
                        pageInfo { hasNextPage endCursor } } }"#,
                    json!({ "after": self.cursor }),
                )
                .await;
            let page = &data(&answer)["changes"];
            for edge in page["edges"].as_array().expect("edges") {
                let node = &edge["node"];
                let id = node["id"].as_str().expect("id").to_owned();
                let kind = node["kind"].as_str().expect("kind");
                self.kinds.insert(id.clone(), kind.to_owned());
                match kind {
                    "OFFER_PUBLISHED" | "OFFER_UPDATED" => {
                        let offer = &node["offer"];
                        self.offers
                            .insert(id, format!("{} @ {}", offer["title"], offer["updatedAt"]));
                    }
                    "SLOT_CHANGED" => {
                        // Only the sessions changed: the record held is the record now.
                        let offer = &node["offer"];
                        let held = self
                            .offers
                            .get(&id)
                            .expect("a session change of an offer held");
                        assert!(
                            held.starts_with(&format!("{} @ ", offer["title"])),
                            "{id}: SLOT_CHANGED, but the title changed: held {held}, now {}",
                            offer["title"]
                        );
                        // The session write moved `updatedAt`: keep the copy comparable.
                        self.offers
                            .insert(id, format!("{} @ {}", offer["title"], offer["updatedAt"]));
                    }
                    "OFFER_UNPUBLISHED" => {
                        assert!(node["offer"].is_null());
                        self.offers.remove(&id);
                    }
                    "ORGANISATION_UPDATED" => {
                        let organisation = &node["organisation"];
                        self.organisations.insert(
                            id,
                            format!("{} @ {}", organisation["name"], organisation["updatedAt"]),
                        );
                    }
                    "ORGANISATION_UNPUBLISHED" => {
                        self.organisations.remove(&id);
                    }
                    other => panic!("unknown kind {other}"),
                }
                self.cursor = Some(edge["cursor"].as_str().expect("cursor").to_owned());
            }
            if page["pageInfo"]["hasNextPage"] != json!(true) {
                break;
            }
        }
    }
}

/// The published catalogue, as anonymous readers list it.
async fn published(app: &TestApp) -> (Copy, Copy) {
    let mut offers = Copy::new();
    let mut after: Option<String> = None;
    loop {
        let answer = app
            .graphql(
                r#"query ($after: String) { offers(first: 100, after: $after) { edges { node { id title updatedAt } } pageInfo { hasNextPage endCursor } } }"#,
                json!({ "after": after }),
            )
            .await;
        let page = &data(&answer)["offers"];
        for edge in page["edges"].as_array().expect("edges") {
            let node = &edge["node"];
            offers.insert(
                node["id"].as_str().expect("id").to_owned(),
                format!("{} @ {}", node["title"], node["updatedAt"]),
            );
        }
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let mut organisations = Copy::new();
    let mut after: Option<String> = None;
    loop {
        let answer = app
            .graphql(
                r#"query ($after: String) { organisations(first: 100, after: $after) { nodes { id name updatedAt } pageInfo { hasNextPage endCursor } } }"#,
                json!({ "after": after }),
            )
            .await;
        let page = &data(&answer)["organisations"];
        for node in page["nodes"].as_array().expect("nodes") {
            organisations.insert(
                node["id"].as_str().expect("id").to_owned(),
                format!("{} @ {}", node["name"], node["updatedAt"]),
            );
        }
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    (offers, organisations)
}

async fn rows(app: &TestApp, sql: &str) -> Vec<(i32, i32)> {
    let db = &app.db;
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .iter()
        .map(|row| {
            (
                row.try_get_by_index::<i32>(0).expect("id"),
                row.try_get_by_index::<i32>(1).expect("version"),
            )
        })
        .collect()
}

/// A small deterministic generator (the series must be the same on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Forty edits of offers, sessions and organisations, drawn at random.
async fn random_edits(app: &TestApp, admin: &str, rng: &mut Lcg, round: usize) {
    for step in 0..40 {
        let offers = rows(app, "SELECT id, version FROM offers ORDER BY id").await;
        let (offer, version) = offers[rng.below(offers.len())];
        let id = encode(NodeType::Offer, offer).to_string();
        let (query, variables) = match rng.below(7) {
            0 | 1 => (
                r#"mutation ($id: ID!, $v: Int!, $t: String!) { updateOffer(input: { id: $id, version: $v, title: $t }) { offer { id } } }"#,
                json!({ "id": id, "v": version, "t": format!("Titre {round}-{step}") }),
            ),
            2 => (
                r#"mutation ($id: ID!, $v: Int!) { suspendOffer(input: { id: $id, version: $v }) { offer { id } } }"#,
                json!({ "id": id, "v": version }),
            ),
            3 => (
                r#"mutation ($id: ID!, $v: Int!) { publishOffer(input: { id: $id, version: $v }) { offer { id } } }"#,
                json!({ "id": id, "v": version }),
            ),
            4 => (
                r#"mutation ($id: ID!, $v: Int!) { archiveOffer(input: { id: $id, version: $v }) { offer { id } } }"#,
                json!({ "id": id, "v": version }),
            ),
            5 => (
                r#"mutation ($id: ID!) { createSlot(input: { offerId: $id, startsOn: "2030-01-15", seatsTotal: 8 }) { slot { id } } }"#,
                json!({ "id": id }),
            ),
            _ => {
                let organisations =
                    rows(app, "SELECT id, version FROM organisations ORDER BY id").await;
                let (organisation, version) = organisations[rng.below(organisations.len())];
                let id = encode(NodeType::Organisation, organisation).to_string();
                if rng.below(4) == 0 {
                    (
                        r#"mutation ($id: ID!, $v: Int!) { archiveOrganisation(input: { id: $id, version: $v }) { organisation { id } } }"#,
                        json!({ "id": id, "v": version }),
                    )
                } else {
                    (
                        r#"mutation ($id: ID!, $v: Int!, $n: String!) { updateOrganisation(input: { id: $id, version: $v, name: $n }) { organisation { id } } }"#,
                        json!({ "id": id, "v": version, "n": format!("Structure {round}-{step}") }),
                    )
                }
            }
        };
        // Some edits are refused (publishing an archived offer…): that is part of the series.
        let (status, answer) = app.graphql_as(admin, query, variables).await;
        assert_eq!(status, 200, "{answer}");
        if let Some(errors) = answer["errors"].as_array() {
            let code = errors[0]["extensions"]["code"].as_str().unwrap_or_default();
            assert_ne!(code, "INTERNAL", "{answer}");
        }
    }
}

#[tokio::test]
async fn a_partner_applying_the_feed_holds_exactly_the_published_catalogue() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.create_client("admin", ClientRole::Admin, vec![]).await;
    let mut partner = Partner::default();
    partner.sync(&app).await;
    assert_eq!(
        (partner.offers.clone(), partner.organisations.clone()),
        published(&app).await
    );
    assert!(
        partner
            .kinds
            .iter()
            .filter(|(id, _)| partner.offers.contains_key(*id))
            .all(|(_, kind)| kind == "OFFER_PUBLISHED"),
        "from the start, every offer is new to the partner"
    );

    let mut rng = Lcg(2026);
    random_edits(&app, &admin, &mut rng, 1).await;
    // From where it stopped: only what changed since.
    partner.sync(&app).await;
    assert_eq!(
        (partner.offers.clone(), partner.organisations.clone()),
        published(&app).await
    );

    // An import that changes records (here the demo bundle with new titles, the source
    // preferred over the local edits), then more edits.
    let options = ExportOptions {
        own_source: "catalogue-insertion".into(),
        testimonials: Testimonials::All,
    };
    let mut bundle = Vec::new();
    export(&app.db, &options, Utc::now(), &mut bundle)
        .await
        .expect("export");
    let renamed = String::from_utf8(bundle)
        .expect("utf-8")
        .replace("\"title\":\"", "\"title\":\"Importé : ");
    let report = import(
        &app.db,
        renamed.as_bytes(),
        &ImportOptions {
            prefer_source: true,
            ..ImportOptions::new("catalogue-insertion")
        },
        |_| {},
    )
    .await
    .expect("import");
    assert!(
        report.updated > 100 && report.rejected.is_empty(),
        "{}",
        report.summary()
    );
    random_edits(&app, &admin, &mut rng, 2).await;
    partner.sync(&app).await;
    let now_published = published(&app).await;
    assert_eq!(
        (partner.offers.clone(), partner.organisations.clone()),
        now_published
    );
    assert!(now_published.0.values().any(|v| v.contains("Importé : ")));

    // A newcomer walking the whole feed at once ends in the same place.
    let mut newcomer = Partner::default();
    newcomer.sync(&app).await;
    assert_eq!((newcomer.offers, newcomer.organisations), now_published);
}

async fn offer_version(app: &TestApp, id: i32) -> i32 {
    rows(
        app,
        &format!("SELECT id, version FROM offers WHERE id = {id}"),
    )
    .await[0]
        .1
}

async fn admin_writes(app: &TestApp, admin: &str, query: &str, variables: Value) {
    let (status, answer) = app.graphql_as(admin, query, variables).await;
    assert_eq!(status, 200, "{answer}");
    data(&answer);
}

/// The ids of the first three published offers.
async fn first_three_published(app: &TestApp) -> [i32; 3] {
    let published = rows(
        app,
        "SELECT id, version FROM offers WHERE status = 'PUBLISHED' ORDER BY id",
    )
    .await;
    [published[0].0, published[1].0, published[2].0]
}

/// Each kind says what happened since the partner's copy: a session added (SLOT_CHANGED), a
/// retitled offer that also got a session (OFFER_UPDATED), an offer suspended (UNPUBLISHED)
/// then published again (PUBLISHED); a partner that stops in the middle of a walk and
/// resumes is told no less.
#[tokio::test]
async fn each_kind_says_what_happened_since_the_partners_copy() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.create_client("admin", ClientRole::Admin, vec![]).await;
    let mut partner = Partner::default();
    partner.sync(&app).await;
    let [a, b, c] = first_three_published(&app).await;
    let gid = |id: i32| encode(NodeType::Offer, id).to_string();
    let add_session = r#"mutation ($id: ID!) { createSlot(input: { offerId: $id, startsOn: "2030-01-15", seatsTotal: 8 }) { slot { id } } }"#;
    admin_writes(&app, &admin, add_session, json!({ "id": gid(a) })).await;
    admin_writes(
        &app,
        &admin,
        r#"mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, title: "Nouveau titre" }) { offer { id } } }"#,
        json!({ "id": gid(b), "v": offer_version(&app, b).await }),
    )
    .await;
    admin_writes(&app, &admin, add_session, json!({ "id": gid(b) })).await;
    admin_writes(
        &app,
        &admin,
        r#"mutation ($id: ID!, $v: Int!) { suspendOffer(input: { id: $id, version: $v }) { offer { id } } }"#,
        json!({ "id": gid(c), "v": offer_version(&app, c).await }),
    )
    .await;
    partner.sync(&app).await;
    let kind = |partner: &Partner, id: i32| partner.kinds.get(&gid(id)).cloned();
    assert_eq!(kind(&partner, a).as_deref(), Some("SLOT_CHANGED"));
    assert_eq!(kind(&partner, b).as_deref(), Some("OFFER_UPDATED"));
    assert_eq!(kind(&partner, c).as_deref(), Some("OFFER_UNPUBLISHED"));

    // Published again: new to the partner's copy. Another session of `a` meanwhile.
    admin_writes(
        &app,
        &admin,
        r#"mutation ($id: ID!, $v: Int!) { publishOffer(input: { id: $id, version: $v }) { offer { id } } }"#,
        json!({ "id": gid(c), "v": offer_version(&app, c).await }),
    )
    .await;
    admin_writes(&app, &admin, add_session, json!({ "id": gid(a) })).await;
    partner.sync(&app).await;
    assert_eq!(kind(&partner, c).as_deref(), Some("OFFER_PUBLISHED"));
    assert_eq!(kind(&partner, a).as_deref(), Some("SLOT_CHANGED"));
    assert_eq!(
        (partner.offers.clone(), partner.organisations.clone()),
        published(&app).await
    );
}

#[tokio::test]
async fn a_bad_feed_cursor_is_refused_on_its_field() {
    let app = TestApp::spawn_empty().await;
    let answer = app
        .graphql(
            r#"{ changes(after: "not-a-cursor") { edges { cursor } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_field(&answer), "after");
    // A cursor claiming to know more than its own position is forged; one of the first
    // format (without what its holder knows) still reads, as knowing nothing.
    use base64::Engine;
    let cursor = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    let query = r#"query ($after: String) { changes(after: $after) { edges { cursor } } }"#;
    let forged = app
        .graphql(query, json!({ "after": cursor("change:5:f:1:9") }))
        .await;
    assert_eq!(error_field(&forged), "after", "{forged}");
    let first_format = app
        .graphql(query, json!({ "after": cursor("change:5:f:1") }))
        .await;
    data(&first_format);
    let empty = app
        .graphql(
            r#"{ changes { edges { cursor } pageInfo { hasNextPage } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data(&empty)["changes"],
        json!({ "edges": [], "pageInfo": { "hasNextPage": false } })
    );
    let _: Value = empty;
}

/// The kinds hold when writes race: twenty sessions added at once to one offer, twenty at
/// once to another whose title changes among them, twenty publications at once of one
/// suspended offer (one wins). Each offer's stamp is written under its row lock, so none
/// of the twenty loses what another wrote.
#[tokio::test]
async fn kinds_hold_when_twenty_writes_race() {
    use futures_util::future::join_all;
    let app = TestApp::spawn_with_demo().await;
    let admin = app.create_client("admin", ClientRole::Admin, vec![]).await;
    let [a, b, c] = first_three_published(&app).await;
    let gid = |id: i32| encode(NodeType::Offer, id).to_string();
    admin_writes(
        &app,
        &admin,
        r#"mutation ($id: ID!, $v: Int!) { suspendOffer(input: { id: $id, version: $v }) { offer { id } } }"#,
        json!({ "id": gid(c), "v": offer_version(&app, c).await }),
    )
    .await;
    let mut partner = Partner::default();
    partner.sync(&app).await;

    let add_session = r#"mutation ($id: ID!, $on: Date!) { createSlot(input: { offerId: $id, startsOn: $on, seatsTotal: 8 }) { slot { id } } }"#;
    let retitle = r#"mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, title: "Titre pendant la course" }) { offer { id } } }"#;
    let publish = r#"mutation ($id: ID!, $v: Int!) { publishOffer(input: { id: $id, version: $v }) { offer { id } } }"#;
    let (b_version, c_version) = (offer_version(&app, b).await, offer_version(&app, c).await);
    let mut writes = Vec::new();
    for i in 0..20 {
        let on = format!("2031-03-{:02}", i + 1);
        writes.push((add_session, json!({ "id": gid(a), "on": on })));
        writes.push((add_session, json!({ "id": gid(b), "on": on })));
        writes.push((publish, json!({ "id": gid(c), "v": c_version })));
        if i == 10 {
            writes.push((retitle, json!({ "id": gid(b), "v": b_version })));
        }
    }
    let answers = join_all(
        writes
            .iter()
            .map(|(query, variables)| app.graphql_as(&admin, query, variables.clone())),
    )
    .await;
    let failed = |answer: &Value| {
        answer["errors"][0]["extensions"]["code"]
            .as_str()
            .map(str::to_owned)
    };
    let codes: Vec<Option<String>> = answers.iter().map(|(_, answer)| failed(answer)).collect();
    assert!(
        codes
            .iter()
            .all(|code| code.is_none() || code.as_deref() == Some("CONFLICT")),
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|code| code.is_some()).count(),
        19,
        "of twenty publications on one version, one wins"
    );
    assert_eq!(
        rows(&app, &format!("SELECT id, version FROM offers WHERE id = {b} AND title = 'Titre pendant la course'")).await.len(),
        1,
        "the title was written (a session write bumps no offer version)"
    );

    partner.sync(&app).await;
    let kind = |id: i32| partner.kinds.get(&gid(id)).cloned();
    assert_eq!(kind(a).as_deref(), Some("SLOT_CHANGED"));
    assert_eq!(
        kind(b).as_deref(),
        Some("OFFER_UPDATED"),
        "the title change is not lost"
    );
    assert_eq!(kind(c).as_deref(), Some("OFFER_PUBLISHED"));
    assert_eq!(
        (partner.offers.clone(), partner.organisations.clone()),
        published(&app).await
    );
}
