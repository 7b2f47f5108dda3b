//! Duplicates across sources: the detection pairs an offer typed in here with the demo's
//! offer it repeats (same kind and town, nearly the same title) and nothing else, once;
//! admins see the pair, confirm it (the copy leaves `excludeDuplicates` lists) or dismiss
//! it (for good), each decision applied once however many admins send it at once.
use chrono::Utc;
use entity::enums::ClientRole;
use insertion_catalogue::catalogue::duplicates::{Scope, detect};
use insertion_catalogue::graphql::ids::{NodeType, decode_as};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, data, decided_by_sql, demo_records, each_offers_page, error_code, error_field,
    handed_the_page, ids_and_cursors,
};

async fn count(app: &TestApp, sql: &str) -> i64 {
    let db = &app.db;
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("a count")
}

async fn create_offer(app: &TestApp, admin: &str, original: &Value, title: &str) -> String {
    let (status, answer) = app
        .graphql_as(
            admin,
            r#"mutation ($o: ID!, $t: String!, $k: OfferKind!, $s: String!) {
                createOffer(input: { organisationId: $o, title: $t, kind: $k, sector: $s }) { offer { id } } }"#,
            json!({
                "o": original["organisation"]["id"], "t": title,
                "k": original["kind"], "s": original["sector"]["code"],
            }),
        )
        .await;
    assert_eq!(status, 200);
    data(&answer)["createOffer"]["offer"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn duplicates_of(app: &TestApp, key: &str, id: &str) -> Vec<Value> {
    let (_, answer) = app
        .graphql_as(
            key,
            r#"query ($id: ID!) { node(id: $id) { ... on Offer { duplicates { offer { id } score status } } } }"#,
            json!({ "id": id }),
        )
        .await;
    data(&answer)["node"]["duplicates"]
        .as_array()
        .expect("duplicates")
        .clone()
}

async fn total(app: &TestApp, key: &str, exclude: bool) -> i64 {
    let (_, answer) = app
        .graphql_as(
            key,
            r#"query ($x: Boolean) { offers(first: 1, filter: { statuses: [DRAFT, PUBLISHED], excludeDuplicates: $x }) { totalCount } }"#,
            json!({ "x": exclude }),
        )
        .await;
    data(&answer)["offers"]["totalCount"]
        .as_i64()
        .expect("count")
}

async fn decide(app: &TestApp, key: &str, verb: &str, a: &str, b: &str) -> Value {
    let (status, answer) = app
        .graphql_as(
            key,
            &format!(
                r#"mutation ($a: ID!, $b: ID!) {{ {verb}(input: {{ offerId: $a, duplicateId: $b }}) {{ offer {{ id duplicates {{ status }} }} }} }}"#
            ),
            json!({ "a": a, "b": b }),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    answer
}

#[tokio::test]
async fn an_offer_listed_twice_is_found_once_then_confirmed_or_dismissed_once() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.create_client("admin", ClientRole::Admin, vec![]).await;
    // A demo offer held at its organisation's address (its town is the organisation's).
    let answer = app
        .graphql(
            r#"{ offers(first: 100) { nodes { id title kind sector { code } organisation { id } location { communeCode } organisationLocation: organisation { location { communeCode } } } } }"#,
            json!({}),
        )
        .await;
    let original = data(&answer)["offers"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|o| {
            o["location"]["communeCode"] == o["organisationLocation"]["location"]["communeCode"]
        })
        .expect("an offer at its organisation's address")
        .clone();
    let original_id = original["id"].as_str().expect("id").to_owned();
    assert_eq!(
        detect(&app.db, Utc::now(), Scope::Everything, false)
            .await
            .expect("detect")
            .pairs,
        0,
        "the demo repeats nothing"
    );

    // The same offer typed in again (another source: manual), and an unrelated one.
    let title = format!(
        "{} !",
        original["title"].as_str().expect("title").to_uppercase()
    );
    let copy = create_offer(&app, &admin, &original, &title).await;
    create_offer(
        &app,
        &admin,
        &original,
        "Initiation à la poterie et au modelage",
    )
    .await;
    // Twenty detections at once (several instances' cron): each finds the pair, one records
    // it, and the catalogue version moves once, for that one.
    let version = "SELECT version FROM catalogue_version WHERE id = 1";
    let before = count(&app, version).await;
    let runs = (0..20).map(|_| detect(&app.db, Utc::now(), Scope::Everything, false));
    let found: Vec<_> = futures_util::future::join_all(runs)
        .await
        .into_iter()
        .map(|found| found.expect("detect"))
        .collect();
    assert!(found.iter().all(|found| found.pairs == 1), "{found:?}");
    assert_eq!(found.iter().map(|found| found.new).sum::<usize>(), 1);
    assert_eq!(count(&app, version).await, before + 1);
    let again = detect(&app.db, Utc::now(), Scope::Everything, false)
        .await
        .expect("detect");
    assert_eq!(
        (again.pairs, again.new),
        (1, 0),
        "a second run records nothing new"
    );

    // Admins see the pair from both sides; the public does not see a draft.
    let listed = duplicates_of(&app, &admin, &original_id).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["offer"]["id"], copy.as_str());
    assert_eq!(listed[0]["status"], "SUGGESTED");
    assert!(
        listed[0]["score"].as_f64().is_some_and(|s| s > 0.99),
        "{listed:?}"
    );
    assert_eq!(
        duplicates_of(&app, &admin, &copy).await[0]["offer"]["id"],
        original_id.as_str()
    );
    let anonymous = app
        .graphql(r#"query ($id: ID!) { node(id: $id) { ... on Offer { duplicates { offer { id } } } } }"#, json!({ "id": original_id }))
        .await;
    assert_eq!(data(&anonymous)["node"]["duplicates"], json!([]));

    // The copy (the higher id) leaves the list without duplicates.
    let (original_row, copy_row) = (
        decode_as(&original_id, NodeType::Offer, "id").expect("id"),
        decode_as(&copy, NodeType::Offer, "id").expect("id"),
    );
    assert!(original_row < copy_row);
    let everything = total(&app, &admin, false).await;
    assert_eq!(total(&app, &admin, true).await, everything - 1);

    // Only admins decide; an offer is not its own duplicate; a pair never suggested is unknown.
    let editor = app
        .create_client("editor", ClientRole::Editor, vec![1])
        .await;
    let refused = decide(&app, &editor, "confirmDuplicate", &original_id, &copy).await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    let same = decide(&app, &admin, "confirmDuplicate", &copy, &copy).await;
    assert_eq!(
        (error_code(&same), error_field(&same)),
        ("VALIDATION", "input.duplicateId")
    );
    let other = data(&answer)["offers"]["nodes"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let unknown = decide(&app, &admin, "confirmDuplicate", &other, &copy).await;
    if other != original_id {
        assert_eq!(error_code(&unknown), "NOT_FOUND", "{unknown}");
    }

    // Twenty admins confirm at once (in either order): one change, one audit entry.
    let confirmations = (0..20).map(|i| {
        let (a, b) = if i % 2 == 0 {
            (&original_id, &copy)
        } else {
            (&copy, &original_id)
        };
        decide(&app, &admin, "confirmDuplicate", a, b)
    });
    for answer in futures_util::future::join_all(confirmations).await {
        data(&answer);
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'decide_duplicate'"
        )
        .await,
        1
    );
    assert_eq!(
        duplicates_of(&app, &admin, &original_id).await[0]["status"],
        "CONFIRMED"
    );
    assert_eq!(total(&app, &admin, true).await, everything - 1);

    // Dismissed: listed nowhere, hidden from nothing, and not suggested again.
    let dismissed = decide(&app, &admin, "dismissDuplicate", &copy, &original_id).await;
    assert_eq!(
        data(&dismissed)["dismissDuplicate"]["offer"]["duplicates"],
        json!([])
    );
    assert!(duplicates_of(&app, &admin, &original_id).await.is_empty());
    assert_eq!(total(&app, &admin, true).await, everything);
    let after = detect(&app.db, Utc::now(), Scope::Everything, false)
        .await
        .expect("detect");
    assert_eq!((after.pairs, after.new), (1, 0));
    assert!(
        duplicates_of(&app, &admin, &copy).await.is_empty(),
        "a dismissed pair stays dismissed"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'decide_duplicate'"
        )
        .await,
        2
    );
}

/// The public's offers without duplicates, 40 a page by title, chosen in memory, with their
/// cursors and count; checked against the same search with a condition only SQL decides
/// (`decided_by_sql`), page after page.
async fn without_duplicates(app: &TestApp) -> (Vec<(String, String)>, i64) {
    let query = "query ($f: OfferFilter, $a: String) { offers(first: 40, after: $a, filter: $f) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }";
    let walk = |filter: Value| async move {
        let (mut found, mut total) = (Vec::new(), 0);
        each_offers_page(app, query, json!({ "f": filter }), |offers| {
            found.extend(ids_and_cursors(offers));
            total = offers["totalCount"].as_i64().expect("count");
        })
        .await;
        (found, total)
    };
    let filter = json!({ "excludeDuplicates": true });
    let from_sql = walk(decided_by_sql(&filter)).await;
    app.metrics.start_capture();
    let in_memory = walk(filter).await;
    let statements = app.metrics.take_captured();
    assert_eq!(in_memory, from_sql);
    assert_eq!(in_memory.1, in_memory.0.len() as i64);
    // Memory chose each page: its statement was handed the page's ids (40 and the one that
    // tells whether there is a next page), not left to find them.
    for statement in statements.iter().filter(|s| s.sql.contains("sort_key")) {
        assert!(
            handed_the_page(&statement.sql, 41),
            "a page chosen in memory: {}",
            statement.sql
        );
    }
    in_memory
}

/// Of a pair, lists without duplicates keep the offer verified most recently, whichever
/// source it comes from; verifying the other one swaps them. The pair is the one the
/// detection finds among the records the import wrote.
#[tokio::test]
async fn lists_without_duplicates_keep_the_offer_verified_last() {
    use insertion_catalogue::exchange::bundle::import::{ImportOptions, import};
    // Without the response cache, which learns of a write made outside the app (this
    // import, the detection) within its bound only: the postings must follow at once.
    let app = TestApp::spawn_with_demo_uncached().await;
    let admin = app.create_client("admin", ClientRole::Admin, vec![]).await;
    let (demo, demo_total) = without_duplicates(&app).await;
    let (header, organisation, original) = demo_records();
    let mut copy = original.clone();
    copy["source"] = json!("data-inclusion:dora");
    copy["external_id"] = json!("copy-1");
    copy["verified_at"] = json!(Utc::now().to_rfc3339());
    copy["slots"] = json!([]);
    copy["testimonials"] = json!([]);
    let bundle = format!("{header}\n{}\n", json!({ "offer": copy }));
    let started = Utc::now();
    let report = import(
        &app.db,
        bundle.as_bytes(),
        &ImportOptions::new("test"),
        |_| {},
    )
    .await
    .expect("import");
    assert_eq!(
        (report.created, report.rejected.len()),
        (1, 0),
        "{}",
        report.summary()
    );
    let (listed, total) = without_duplicates(&app).await;
    assert_eq!(
        (listed.len(), total),
        (demo.len() + 1, demo_total + 1),
        "no pair yet"
    );
    let found = detect(&app.db, Utc::now(), Scope::ChangedSince(started), false)
        .await
        .expect("detect");
    assert_eq!((found.pairs, found.new), (1, 1));
    // The detection's new pair reaches the response cache and the in-memory postings,
    // which had seen the copy without it: the list is back to the demo's offers, but one
    // may be the copy now.
    let (listed, total) = without_duplicates(&app).await;
    assert_eq!((listed.len(), total), (demo.len(), demo_total));
    let nothing_new = detect(&app.db, Utc::now(), Scope::ChangedSince(Utc::now()), false)
        .await
        .expect("detect");
    assert_eq!(
        nothing_new.pairs, 0,
        "nothing changed since: nothing compared"
    );

    let siret = organisation["company_number"].as_str().expect("a SIRET");
    let title = &original["title"];
    let listed = |exclude: bool| {
        let app = &app;
        async move {
            let answer = app
                .graphql(
                    r#"query ($s: [String!], $x: Boolean) { offers(first: 100, filter: { companyNumbers: $s, excludeDuplicates: $x }) { totalCount nodes { id version title provenance { source } } } }"#,
                    json!({ "s": [siret], "x": exclude }),
                )
                .await;
            data(&answer)["offers"]["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .filter(|o| o["title"] == *title)
                .map(|o| {
                    (
                        o["provenance"]["source"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                        o.clone(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let both = listed(false).await;
    assert_eq!(both.len(), 2, "{both:?}");
    let kept = listed(true).await;
    assert_eq!(kept.len(), 1);
    assert_eq!(
        kept[0].0, "data-inclusion:dora",
        "the copy was verified last"
    );

    let demo_offer = &both
        .iter()
        .find(|(source, _)| source == "demo")
        .expect("the original")
        .1;
    let (_, answer) = app
        .graphql_as(
            &admin,
            r#"mutation ($id: ID!, $v: Int!) { markOfferVerified(input: { id: $id, version: $v }) { offer { verifiedAt } } }"#,
            json!({ "id": demo_offer["id"], "v": demo_offer["version"] }),
        )
        .await;
    data(&answer);
    let kept = listed(true).await;
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].0, "demo", "verified now, the original is kept");
    let (listed, _) = without_duplicates(&app).await;
    let ids = |list: &[(String, String)]| list.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(&listed),
        ids(&demo),
        "the demo's offers again, the copy left out"
    );
}
