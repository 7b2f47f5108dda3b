//! Editing: roles × mutations, optimistic concurrency, all-or-nothing changes, moderation,
//! visibility of drafts, the audit trail, keys and rate limits.
use insertion_catalogue::graphql::ids::{NodeType, encode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, error_code, total_count};
use crate::world::{Targets, outcome, world};

#[tokio::test]
async fn each_role_may_do_exactly_what_it_should() {
    let world = world().await;
    type Build = fn(&Targets) -> (&'static str, Value);
    const EDIT: [&str; 5] = ["UNAUTHENTICATED", "FORBIDDEN", "OK", "FORBIDDEN", "OK"];
    const ADMIN_ONLY: [&str; 5] = [
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "FORBIDDEN",
        "FORBIDDEN",
        "OK",
    ];
    // A draft of organisation 1 is invisible to those who cannot edit it: NOT_FOUND, not FORBIDDEN.
    const EDIT_DRAFT: [&str; 5] = ["NOT_FOUND", "NOT_FOUND", "OK", "NOT_FOUND", "OK"];
    // (mutation, expected for anonymous, partner, editor of org 1, editor of org 2, admin)
    let table: Vec<(&str, Build, [&str; 5])> = vec![
        (
            "createOffer",
            |_| {
                (
                    "mutation { createOffer(input: { organisationId: \"T3JnYW5pc2F0aW9uOjE\", title: \"Nouvelle offre\", kind: WORKSHOP, sector: \"DIGITAL\" }) { offer { status } } }",
                    json!({}),
                )
            },
            EDIT,
        ),
        (
            "updateOffer",
            |t| {
                (
                    "mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, weeklyHours: 30 }) { offer { weeklyHours } } }",
                    json!({ "id": t.velo["id"], "v": t.velo["version"] }),
                )
            },
            EDIT,
        ),
        (
            "publishOffer",
            |t| {
                (
                    "mutation ($id: ID!, $v: Int!) { publishOffer(input: { id: $id, version: $v }) { offer { status } } }",
                    json!({ "id": t.draft["id"], "v": t.draft["version"] }),
                )
            },
            EDIT_DRAFT,
        ),
        (
            "suspendOffer",
            |t| {
                (
                    "mutation ($id: ID!, $v: Int!) { suspendOffer(input: { id: $id, version: $v }) { offer { status } } }",
                    json!({ "id": t.velo["id"], "v": t.velo["version"] }),
                )
            },
            EDIT,
        ),
        (
            "archiveOffer",
            |t| {
                (
                    "mutation ($id: ID!, $v: Int!) { archiveOffer(input: { id: $id, version: $v }) { offer { status } } }",
                    json!({ "id": t.draft["id"], "v": t.draft["version"] }),
                )
            },
            EDIT_DRAFT,
        ),
        (
            "markOfferVerified",
            |t| {
                (
                    "mutation ($id: ID!, $v: Int!) { markOfferVerified(input: { id: $id, version: $v }) { offer { verifiedAt verifiedBy } } }",
                    json!({ "id": t.velo["id"], "v": t.velo["version"] }),
                )
            },
            EDIT,
        ),
        (
            "setEligibilityConditions",
            |t| {
                (
                    "mutation ($id: ID!, $v: Int!) { setEligibilityConditions(input: { offerId: $id, version: $v, conditions: [{ kind: AGE, maxAge: 25 }] }) { conditions { kind } } }",
                    json!({ "id": t.velo["id"], "v": t.velo["version"] }),
                )
            },
            EDIT,
        ),
        (
            "createSlot",
            |t| {
                (
                    "mutation ($id: ID!) { createSlot(input: { offerId: $id, startsOn: \"2031-03-02\", endsOn: \"2031-05-29\", seatsTotal: 12 }) { slot { seatsRemaining } } }",
                    json!({ "id": t.velo["id"] }),
                )
            },
            EDIT,
        ),
        (
            "updateSlot",
            |t| {
                (
                    "mutation ($id: ID!, $v: Int!) { updateSlot(input: { id: $id, version: $v, seatsTaken: 5 }) { slot { seatsTaken } } }",
                    json!({ "id": t.slot["id"], "v": t.slot["version"] }),
                )
            },
            EDIT,
        ),
        (
            "cancelSlot",
            |t| {
                (
                    "mutation ($id: ID!, $v: Int!) { cancelSlot(input: { id: $id, version: $v }) { slot { status } } }",
                    json!({ "id": t.slot["id"], "v": t.slot["version"] }),
                )
            },
            EDIT,
        ),
        (
            "submitTestimonial",
            |t| {
                (
                    "mutation ($id: ID!) { submitTestimonial(input: { offerId: $id, authorName: \"Inès R.\", body: \"Super équipe.\", consentGiven: true }) { testimonial { status } } }",
                    json!({ "id": t.velo["id"] }),
                )
            },
            ["UNAUTHENTICATED", "OK", "OK", "OK", "OK"],
        ),
        (
            "approveTestimonial",
            |t| {
                (
                    "mutation ($id: ID!) { approveTestimonial(input: { id: $id }) { testimonial { status } } }",
                    json!({ "id": t.pending["id"] }),
                )
            },
            EDIT,
        ),
        (
            "rejectTestimonial",
            |t| {
                (
                    "mutation ($id: ID!) { rejectTestimonial(input: { id: $id, reason: \"Hors sujet\" }) { testimonial { status } } }",
                    json!({ "id": t.pending["id"] }),
                )
            },
            EDIT,
        ),
        (
            "createOrganisation",
            |_| {
                (
                    "mutation { createOrganisation(input: { name: \"Nouvelle structure\", kind: ACI, country: FR, location: { address: \"2 rue Neuve\", postalCode: \"59000\", city: \"Lille\", communeCode: \"59350\", latitude: 50.63, longitude: 3.06 } }) { organisation { name } } }",
                    json!({}),
                )
            },
            ADMIN_ONLY,
        ),
        (
            "updateOrganisation",
            |t| {
                (
                    "mutation ($id: ID!, $v: Int!) { updateOrganisation(input: { id: $id, version: $v, phone: \"03 20 00 00 00\" }) { organisation { version } } }",
                    json!({ "id": t.organisation["id"], "v": t.organisation["version"] }),
                )
            },
            ADMIN_ONLY,
        ),
        (
            "archiveOrganisation",
            |t| {
                (
                    "mutation ($id: ID!, $v: Int!) { archiveOrganisation(input: { id: $id, version: $v }) { organisation { id } } }",
                    json!({ "id": t.organisation["id"], "v": t.organisation["version"] }),
                )
            },
            ADMIN_ONLY,
        ),
        (
            "createApiClient",
            |_| {
                (
                    "mutation { createApiClient(input: { name: \"another-partner\", role: PARTNER }) { key } }",
                    json!({}),
                )
            },
            ADMIN_ONLY,
        ),
        (
            "revokeApiClient",
            |t| {
                (
                    "mutation ($n: String!) { revokeApiClient(input: { name: $n }) { apiClient { revokedAt } } }",
                    json!({ "n": t.client }),
                )
            },
            ADMIN_ONLY,
        ),
    ];
    let keys = [
        String::new(),
        world.partner.clone(),
        world.editor.clone(),
        world.other_editor.clone(),
        world.admin.clone(),
    ];
    let mut attempt = 0;
    for (name, build, expected) in table {
        for (role, key) in keys.iter().enumerate() {
            attempt += 1;
            let targets = world.targets(attempt).await;
            let (query, variables) = build(&targets);
            let (_, answer) = world.run(key, query, variables).await;
            let role_name = ["anonymous", "partner", "editor", "other editor", "admin"][role];
            assert_eq!(
                outcome(&answer),
                expected[role],
                "{name} as {role_name}: {answer}"
            );
            if name == "suspendOffer" && expected[role] == "OK" {
                let velo = world.velo().await;
                world
                    .run(&world.admin, "mutation ($id: ID!, $v: Int!) { publishOffer(input: { id: $id, version: $v }) { offer { status } } }", json!({ "id": velo["id"], "v": velo["version"] }))
                    .await;
            }
            if name == "createApiClient" && expected[role] == "OK" {
                world.run(&world.admin, "mutation { revokeApiClient(input: { name: \"another-partner\" }) { apiClient { name } } }", json!({})).await;
            }
        }
    }
}

#[tokio::test]
async fn a_stale_version_is_refused_and_nothing_changes() {
    let world = world().await;
    let velo = world.velo().await;
    let update = "mutation ($id: ID!, $v: Int!, $t: String!) { updateOffer(input: { id: $id, version: $v, title: $t }) { offer { title version } } }";
    let (_, first) = world
        .run(
            &world.editor,
            update,
            json!({ "id": velo["id"], "v": velo["version"], "t": "Onglet A" }),
        )
        .await;
    assert_eq!(
        data(&first)["updateOffer"]["offer"]["version"],
        velo["version"].as_i64().expect("v") + 1
    );
    let (_, second) = world
        .run(
            &world.admin,
            update,
            json!({ "id": velo["id"], "v": velo["version"], "t": "Onglet B" }),
        )
        .await;
    assert_eq!(error_code(&second), "CONFLICT");
    assert_eq!(
        second["errors"][0]["extensions"]["currentVersion"],
        velo["version"].as_i64().expect("v") + 1
    );
    let (_, now) = world
        .run(
            &world.admin,
            "query ($id: ID!) { offer(id: $id) { title } }",
            json!({ "id": velo["id"] }),
        )
        .await;
    assert_eq!(
        data(&now)["offer"]["title"],
        "Onglet A",
        "the second tab did not overwrite the first"
    );
}

#[tokio::test]
async fn a_failing_multi_row_change_leaves_everything_as_it_was() {
    let world = world().await;
    let velo = world.velo().await;
    let set = "mutation ($id: ID!, $v: Int!, $c: [EligibilityConditionInput!]!) { setEligibilityConditions(input: { offerId: $id, version: $v, conditions: $c }) { offer { version } conditions { kind } } }";
    let good =
        json!([{ "kind": "AGE", "maxAge": 25 }, { "kind": "DRIVING_LICENCE", "mandatory": false }]);
    let (_, answer) = world
        .run(
            &world.editor,
            set,
            json!({ "id": velo["id"], "v": velo["version"], "c": good }),
        )
        .await;
    let version = data(&answer)["setEligibilityConditions"]["offer"]["version"].clone();
    let bad = json!([{ "kind": "FREE_TEXT", "description": "Motivation" }, { "kind": "AGE", "minAge": 30, "maxAge": 20 }]);
    let (_, answer) = world
        .run(
            &world.editor,
            set,
            json!({ "id": velo["id"], "v": version, "c": bad }),
        )
        .await;
    assert_eq!(error_code(&answer), "VALIDATION");
    assert_eq!(
        answer["errors"][0]["extensions"]["field"],
        "input.conditions.1.maxAge"
    );
    let (_, after) = world
        .run(&world.admin, "query ($id: ID!) { offer(id: $id) { version eligibilityConditions { kind mandatory } } }", json!({ "id": velo["id"] }))
        .await;
    assert_eq!(data(&after)["offer"]["version"], version);
    assert_eq!(
        data(&after)["offer"]["eligibilityConditions"],
        json!([{ "kind": "AGE", "mandatory": true }, { "kind": "DRIVING_LICENCE", "mandatory": false }])
    );
}

#[tokio::test]
async fn a_draft_is_created_filled_in_published_and_then_public() {
    let world = world().await;
    let (_, created) = world
        .run(&world.editor, r#"mutation { createOffer(input: { organisationId: "T3JnYW5pc2F0aW9uOjE", title: "Réparation de trottinettes", kind: TRAINING, sector: "BIKE_REPAIR" }) { offer { id status version location { city } } } }"#, json!({}))
        .await;
    let offer = data(&created)["createOffer"]["offer"].clone();
    assert_eq!(offer["status"], "DRAFT");
    assert_eq!(
        offer["location"]["city"], "Lille",
        "the organisation's address by default"
    );
    let titles = |answer: &Value| -> Vec<String> {
        data(answer)["offers"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["title"].as_str().expect("t").to_owned())
            .collect()
    };
    let list = r#"{ offers(first: 50, filter: { text: "trottinettes" }) { edges { node { title status } } } }"#;
    assert!(
        titles(&world.app.graphql(list, json!({})).await).is_empty(),
        "a draft is invisible to anonymous callers"
    );
    assert!(
        titles(&world.run(&world.partner, list, json!({})).await.1).is_empty(),
        "and to partners"
    );
    assert!(
        titles(&world.run(&world.other_editor, list, json!({})).await.1).is_empty(),
        "and to other organisations' editors"
    );
    assert_eq!(
        titles(&world.run(&world.editor, list, json!({})).await.1).len(),
        1,
        "its editor sees it"
    );
    let drafts = r#"{ offers(filter: { statuses: [DRAFT] }) { totalCount } }"#;
    assert_eq!(
        data(&world.run(&world.admin, drafts, json!({})).await.1)["offers"]["totalCount"],
        1
    );

    let publish = "mutation ($id: ID!, $v: Int!) { publishOffer(input: { id: $id, version: $v }) { offer { status version } } }";
    let (_, refused) = world
        .run(
            &world.editor,
            publish,
            json!({ "id": offer["id"], "v": offer["version"] }),
        )
        .await;
    assert_eq!(
        error_code(&refused),
        "VALIDATION",
        "no summary nor way to apply yet: {refused}"
    );
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .expect("m")
            .contains("howToApply")
    );

    let (_, updated) = world
        .run(&world.editor, r#"mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, summary: "Apprendre à réparer les trottinettes électriques.", howToApply: [{ channel: EMAIL, value: "contact@velo.example.org" }] }) { offer { version } } }"#, json!({ "id": offer["id"], "v": offer["version"] }))
        .await;
    let version = data(&updated)["updateOffer"]["offer"]["version"].clone();
    let (_, published) = world
        .run(
            &world.editor,
            publish,
            json!({ "id": offer["id"], "v": version }),
        )
        .await;
    assert_eq!(
        data(&published)["publishOffer"]["offer"]["status"],
        "PUBLISHED"
    );
    assert_eq!(
        titles(&world.app.graphql(list, json!({})).await),
        vec!["Réparation de trottinettes"]
    );
}

#[tokio::test]
async fn a_pending_testimonial_is_hidden_until_its_moderator_approves_it() {
    let world = world().await;
    let velo = world.velo().await;
    let submit = "mutation ($id: ID!) { submitTestimonial(input: { offerId: $id, authorName: \"Nadia K.\", body: \"J'ai trouvé un CDI.\", cohort: \"2026-01\", consentGiven: true }) { testimonial { id status } } }";
    let (_, refused) = world
        .run(&world.partner, "mutation ($id: ID!) { submitTestimonial(input: { offerId: $id, authorName: \"X\", body: \"Y\", consentGiven: false }) { testimonial { id } } }", json!({ "id": velo["id"] }))
        .await;
    assert_eq!(error_code(&refused), "VALIDATION");
    let (_, submitted) = world
        .run(&world.partner, submit, json!({ "id": velo["id"] }))
        .await;
    let testimonial = data(&submitted)["submitTestimonial"]["testimonial"].clone();
    assert_eq!(testimonial["status"], "PENDING");

    let public = "query ($id: ID!) { node(id: $id) { id } }";
    assert_eq!(
        data(
            &world
                .app
                .graphql(public, json!({ "id": testimonial["id"] }))
                .await
        )["node"],
        Value::Null
    );
    let queue = "{ testimonials(status: PENDING) { nodes { id authorName } } }";
    let (status, answer) = world.run(&world.partner, queue, json!({})).await;
    assert_eq!((status, error_code(&answer)), (200, "FORBIDDEN"));
    let (_, answer) = world.run(&world.editor, queue, json!({})).await;
    let names: Vec<&str> = data(&answer)["testimonials"]["nodes"]
        .as_array()
        .expect("n")
        .iter()
        .map(|t| t["authorName"].as_str().expect("a"))
        .collect();
    assert!(
        names.contains(&"Nadia K."),
        "the moderator sees it: {names:?}"
    );
    let (_, answer) = world.run(&world.other_editor, queue, json!({})).await;
    assert_eq!(
        data(&answer)["testimonials"]["nodes"],
        json!([]),
        "not another organisation's editor"
    );

    let (_, approved) = world.run(&world.editor, "mutation ($id: ID!) { approveTestimonial(input: { id: $id }) { testimonial { status } } }", json!({ "id": testimonial["id"] })).await;
    assert_eq!(
        data(&approved)["approveTestimonial"]["testimonial"]["status"],
        "APPROVED"
    );
    assert_eq!(
        data(
            &world
                .app
                .graphql(public, json!({ "id": testimonial["id"] }))
                .await
        )["node"]["id"],
        testimonial["id"]
    );
}

#[tokio::test]
async fn the_audit_log_records_who_changed_what_before_and_after() {
    let world = world().await;
    let velo = world.velo().await;
    world
        .run(&world.editor, "mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, title: \"Cycles et mobilité\", publics: [WOMEN] }) { offer { id } } }", json!({ "id": velo["id"], "v": velo["version"] }))
        .await;
    let log = "query ($id: ID!) { auditLog(entityId: $id) { nodes { action actor changes { field before after } } } }";
    let (_, answer) = world
        .run(&world.editor, log, json!({ "id": velo["id"] }))
        .await;
    let entry = data(&answer)["auditLog"]["nodes"][0].clone();
    assert_eq!(entry["action"], "update");
    assert_eq!(entry["actor"], "editor-lille");
    let changes = entry["changes"].as_array().expect("changes");
    assert!(changes.contains(&json!({ "field": "title", "before": "\"Mécanicien·ne vélo\"", "after": "\"Cycles et mobilité\"" })), "{changes:?}");
    assert!(changes.contains(&json!({ "field": "publics", "before": "[\"demandeurs-emploi\",\"jeunes\"]", "after": "[\"femmes\"]" })), "{changes:?}");
    let (_, answer) = world
        .run(&world.partner, log, json!({ "id": velo["id"] }))
        .await;
    assert_eq!(error_code(&answer), "FORBIDDEN");
    let (_, answer) = world
        .run(&world.other_editor, log, json!({ "id": velo["id"] }))
        .await;
    assert_eq!(error_code(&answer), "FORBIDDEN");
    let (_, answer) = world
        .run(
            &world.admin,
            log,
            json!({ "id": "RWxpZ2liaWxpdHlDb25kaXRpb246MQ" }),
        )
        .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["field"], "entityId",
        "conditions are audited on their offer"
    );
}

#[tokio::test]
async fn wrong_and_revoked_keys_are_refused_not_treated_as_anonymous() {
    let world = world().await;
    let viewer = "{ viewer { name role canEditOffers organisations { name } } }";
    let (status, answer) = world.run(&world.editor, viewer, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        data(&answer)["viewer"],
        json!({ "name": "editor-lille", "role": "EDITOR", "canEditOffers": true, "organisations": [{ "name": "Atelier Vélo Solidaire" }] })
    );
    let (_, answer) = world.run("", viewer, json!({})).await;
    assert_eq!(data(&answer)["viewer"]["role"], "ANONYMOUS");

    let (status, answer) = world.run("icat_not-a-real-key", viewer, json!({})).await;
    assert_eq!((status, error_code(&answer)), (401, "UNAUTHENTICATED"));

    let (_, answer) = world.run(&world.admin, "mutation { revokeApiClient(input: { name: \"partner\" }) { apiClient { revokedAt } } }", json!({})).await;
    assert!(data(&answer)["revokeApiClient"]["apiClient"]["revokedAt"].is_string());
    let (status, answer) = world.run(&world.partner, viewer, json!({})).await;
    assert_eq!(
        (status, error_code(&answer)),
        (401, "UNAUTHENTICATED"),
        "a revoked key stops at once"
    );
}

#[tokio::test]
async fn callers_over_their_rate_limit_get_429_with_retry_after() {
    let app = TestApp::spawn_with(|settings| settings.anonymous_rate_limit_per_minute = 3).await;
    for _ in 0..3 {
        let (status, _) = app
            .post_json(&json!({ "query": "{ viewer { role } }" }))
            .await;
        assert_eq!(status, 200);
    }
    let response = app
        .post_raw(
            serde_json::to_vec(&json!({ "query": "{ viewer { role } }" })).expect("json"),
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry_after));
    let body: Value = response.json().await.expect("json");
    assert_eq!(error_code(&body), "RATE_LIMITED");
}

#[tokio::test]
async fn browsers_may_call_only_from_registered_origins() {
    let world = world().await;
    let preflight = |origin: &'static str| {
        let app = &world.app;
        async move {
            app.client
                .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header(
                    "access-control-request-headers",
                    "authorization,content-type",
                )
                .send()
                .await
                .expect("preflight")
        }
    };
    let allowed = preflight("https://partner.example.org").await;
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("https://partner.example.org")
    );
    let unknown = preflight("https://evil.example.com").await;
    assert!(
        unknown
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    let response = world
        .app
        .client
        .post(format!("{}/graphql", world.app.address))
        .bearer_auth(&world.editor)
        .header("origin", "https://evil.example.com")
        .json(&json!({ "query": "{ viewer { name } }" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_client_name_in_use_is_a_conflict_and_the_key_is_shown_once() {
    let world = world().await;
    let create = "mutation ($n: String!) { createApiClient(input: { name: $n, role: EDITOR, organisationIds: [\"T3JnYW5pc2F0aW9uOjI\"], allowedOrigins: [\"https://recyclerie.example.org\"] }) { key apiClient { name role keyPrefix organisations { name } } } }";
    let (_, created) = world
        .run(&world.admin, create, json!({ "n": "Recyclerie" }))
        .await;
    let payload = &data(&created)["createApiClient"];
    let key = payload["key"].as_str().expect("key");
    assert!(key.starts_with(payload["apiClient"]["keyPrefix"].as_str().expect("prefix")));
    assert_eq!(
        payload["apiClient"]["organisations"],
        json!([{ "name": "Recyclerie de Roubaix" }])
    );
    let (_, again) = world
        .run(&world.admin, create, json!({ "n": "Recyclerie" }))
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    let (_, listed) = world
        .run(&world.admin, "{ apiClients { name keyPrefix } }", json!({}))
        .await;
    assert!(
        !listed.to_string().contains(key),
        "the key is never shown again"
    );
    let (_, bad) = world
        .run(&world.admin, "mutation { createApiClient(input: { name: \"x\", role: PARTNER, allowedOrigins: [\"evil\"] }) { key } }", json!({}))
        .await;
    assert_eq!(
        bad["errors"][0]["extensions"]["field"],
        "input.allowedOrigins"
    );
    let (status, viewer) = world
        .app
        .graphql_as(key, "{ viewer { name role } }", json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        data(&viewer)["viewer"],
        json!({ "name": "Recyclerie", "role": "EDITOR" })
    );
    let (_, revoked) = world
        .run(&world.admin, "mutation { revokeApiClient(input: { name: \"Recyclerie\" }) { apiClient { name organisations { name } } } }", json!({}))
        .await;
    assert_eq!(
        data(&revoked)["revokeApiClient"]["apiClient"],
        json!({ "name": "Recyclerie", "organisations": [{ "name": "Recyclerie de Roubaix" }] })
    );
}

#[tokio::test]
async fn session_seats_and_dates_are_checked_and_each_error_names_its_field() {
    let world = world().await;
    let velo = world.velo().await;
    let create = "mutation ($i: CreateSlotInput!) { createSlot(input: $i) { slot { id version seatsRemaining status } } }";
    let base = |extra: Value| {
        let mut input = json!({ "offerId": velo["id"], "startsOn": "2031-03-02", "endsOn": "2031-05-29", "seatsTotal": 12 });
        input
            .as_object_mut()
            .expect("object")
            .extend(extra.as_object().expect("object").clone());
        json!({ "i": input })
    };
    let cases = [
        (json!({ "seatsTaken": 13 }), "input.seatsTaken"),
        (json!({ "seatsTotal": -1 }), "input.seatsTotal"),
        (json!({ "endsOn": "2031-03-01" }), "input.endsOn"),
        (
            json!({ "registrationOpensOn": "2031-02-20", "registrationClosesOn": "2031-02-10" }),
            "input.registrationClosesOn",
        ),
        (
            json!({ "registrationOpensOn": "2029-01-01" }),
            "input.registrationOpensOn",
        ),
        (
            json!({ "infoSessionOn": "2031-04-01" }),
            "input.infoSessionOn",
        ),
        (
            json!({ "location": { "address": "1 rue", "postalCode": "59000", "city": "Lille", "communeCode": "LILLE" } }),
            "input.location.communeCode",
        ),
    ];
    for (extra, field) in cases {
        let (_, answer) = world.run(&world.editor, create, base(extra.clone())).await;
        assert_eq!(error_code(&answer), "VALIDATION", "{extra}: {answer}");
        assert_eq!(answer["errors"][0]["extensions"]["field"], field, "{extra}");
    }
    let (_, answer) = world
        .run(&world.editor, create, base(json!({ "seatsTaken": 12 })))
        .await;
    let slot = data(&answer)["createSlot"]["slot"].clone();
    assert_eq!(slot["seatsRemaining"], 0);
    assert_eq!(slot["status"], "FULL");
    let update = "mutation ($id: ID!, $v: Int!) { updateSlot(input: { id: $id, version: $v, seatsTotal: 10 }) { slot { seatsTotal } } }";
    let (_, answer) = world
        .run(
            &world.editor,
            update,
            json!({ "id": slot["id"], "v": slot["version"] }),
        )
        .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["field"], "input.seatsTaken",
        "12 taken of 10: {answer}"
    );
}

#[tokio::test]
async fn text_search_follows_edits_of_offers_and_organisations() {
    let world = world().await;
    let velo = world.velo().await;
    let found = |text: &'static str| {
        let app = &world.app;
        async move { total_count(app, &json!({ "text": text })).await }
    };
    assert_eq!(found("trottinette").await, 0);
    world
        .run(&world.editor, "mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, title: \"Trottinettes et vélos\" }) { offer { id } } }", json!({ "id": velo["id"], "v": velo["version"] }))
        .await;
    assert_eq!(found("trottinette").await, 1);

    let (_, answer) = world
        .run(
            &world.admin,
            "{ organisation(id: \"T3JnYW5pc2F0aW9uOjE\") { version } }",
            json!({}),
        )
        .await;
    let version = data(&answer)["organisation"]["version"].clone();
    assert_eq!(found("cyclofficine").await, 0);
    world
        .run(&world.admin, "mutation ($v: Int!) { updateOrganisation(input: { id: \"T3JnYW5pc2F0aW9uOjE\", version: $v, name: \"Cyclofficine de Lille\" }) { organisation { name } } }", json!({ "v": version }))
        .await;
    assert_eq!(
        found("cyclofficine").await,
        1,
        "the offer is found under its organisation's new name"
    );
}

#[tokio::test]
async fn offer_fields_are_checked_and_each_error_names_its_field() {
    let world = world().await;
    let velo = world.velo().await;
    let update = "mutation ($i: UpdateOfferInput!) { updateOffer(input: $i) { offer { id } } }";
    let long = "x".repeat(300);
    let cases = [
        (json!({ "title": "" }), "input.title"),
        (json!({ "summary": long }), "input.summary"),
        (json!({ "sector": "SPACE" }), "input.sector"),
        (json!({ "themes": ["mobilite"] }), "input.themes"),
        (json!({ "publics": ["EVERYONE", "WOMEN"] }), "input.publics"),
        (json!({ "weeklyHours": 80 }), "input.weeklyHours"),
        (json!({ "contactEmail": "nobody" }), "input.contactEmail"),
        (
            json!({ "contactPhone": "0".repeat(40) }),
            "input.contactPhone",
        ),
        (
            json!({ "howToApply": [{ "channel": "ONLINE" }] }),
            "input.howToApply.0.value",
        ),
        (
            json!({ "howToApply": [{ "channel": "VISIT", "instructions": "y".repeat(1200) }] }),
            "input.howToApply.0.instructions",
        ),
        (
            json!({ "location": { "address": "1 rue", "postalCode": "59000", "city": "Lille", "communeCode": "59350", "latitude": 95, "longitude": 3 } }),
            "input.location.latitude",
        ),
    ];
    for (extra, field) in cases {
        let mut input = json!({ "id": velo["id"], "version": velo["version"] });
        input
            .as_object_mut()
            .expect("object")
            .extend(extra.as_object().expect("object").clone());
        let (_, answer) = world
            .run(&world.editor, update, json!({ "i": input }))
            .await;
        assert_eq!(error_code(&answer), "VALIDATION", "{extra}: {answer}");
        assert_eq!(answer["errors"][0]["extensions"]["field"], field, "{extra}");
    }
    let origins: Vec<String> = (0..21)
        .map(|i| format!("https://site{i}.example.org"))
        .collect();
    let (_, answer) = world
        .run(&world.admin, "mutation ($o: [String!]!) { createApiClient(input: { name: \"many\", role: PARTNER, allowedOrigins: $o }) { key } }", json!({ "o": origins }))
        .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["field"],
        "input.allowedOrigins"
    );
}

#[tokio::test]
async fn a_session_or_testimonial_of_a_hidden_draft_is_not_found_like_one_that_does_not_exist() {
    let world = world().await;
    let (_, draft) = world
        .run(&world.editor, r#"mutation { createOffer(input: { organisationId: "T3JnYW5pc2F0aW9uOjE", title: "Projet secret", kind: WORKSHOP, sector: "DIGITAL" }) { offer { id } } }"#, json!({}))
        .await;
    let draft = data(&draft)["createOffer"]["offer"]["id"].clone();
    let (_, slot) = world
        .run(&world.editor, "mutation ($id: ID!) { createSlot(input: { offerId: $id, startsOn: \"2031-01-05\", seatsTotal: 8 }) { slot { id } } }", json!({ "id": draft }))
        .await;
    let (_, testimonial) = world
        .run(&world.editor, "mutation ($id: ID!) { submitTestimonial(input: { offerId: $id, authorName: \"Léa P.\", body: \"Merci.\", consentGiven: true }) { testimonial { id } } }", json!({ "id": draft }))
        .await;
    let slot = data(&slot)["createSlot"]["slot"]["id"].clone();
    let testimonial = data(&testimonial)["submitTestimonial"]["testimonial"]["id"].clone();
    let missing_slot = json!(encode(NodeType::TrainingSlot, 99_999).0);
    let missing_testimonial = json!(encode(NodeType::Testimonial, 99_999).0);
    let cases = [
        (
            "mutation ($id: ID!) { updateSlot(input: { id: $id, version: 1, seatsTaken: 1 }) { slot { id } } }",
            &slot,
            &missing_slot,
            "training slot not found",
        ),
        (
            "mutation ($id: ID!) { cancelSlot(input: { id: $id, version: 1 }) { slot { id } } }",
            &slot,
            &missing_slot,
            "training slot not found",
        ),
        (
            "mutation ($id: ID!) { approveTestimonial(input: { id: $id }) { testimonial { id } } }",
            &testimonial,
            &missing_testimonial,
            "testimonial not found",
        ),
        (
            "mutation ($id: ID!) { rejectTestimonial(input: { id: $id, reason: \"Hors sujet\" }) { testimonial { id } } }",
            &testimonial,
            &missing_testimonial,
            "testimonial not found",
        ),
    ];
    for key in [&world.other_editor, &world.partner, &String::new()] {
        for (mutation, hidden, missing, message) in &cases {
            let (_, of_draft) = world.run(key, mutation, json!({ "id": hidden })).await;
            let (_, nowhere) = world.run(key, mutation, json!({ "id": missing })).await;
            assert_eq!(error_code(&of_draft), "NOT_FOUND", "{mutation}: {of_draft}");
            assert_eq!(of_draft["errors"][0]["message"], *message, "{of_draft}");
            assert_eq!(
                of_draft["errors"], nowhere["errors"],
                "the answer must not tell a hidden draft from nothing"
            );
        }
    }
}
