//! French full-text search, the same on SQLite (FTS5) and PostgreSQL (tsvector): inflections,
//! accents, elisions and stop words; every word must match; phrases; the word being typed as
//! a prefix; one typo; RELEVANCE (title, then summary, then the rest) with its cursors;
//! highlights; and edits searchable at once.
use std::collections::BTreeSet;

use entity::enums::{ClientRole, OfferKind};
use serde_json::{Value, json};

use crate::fixture::{catalogue, offer};
use crate::helpers::{
    TestApp, data, decided_by_sql, each_offers_page, error_code, error_field, ids_and_cursors,
    sql_column, sql_count, stems_out_of_step,
};

/// The fixture catalogue (see `fixture::catalogue`) and three offers more: one about repairs
/// at the bike workshop, two of the carpentry organisation ("Menuiserie Solidaire") where
/// "menuiserie" is in the summary only, or nowhere but the organisation's name.
async fn app() -> TestApp {
    let app = TestApp::spawn_empty().await;
    let (organisations, mut offers) = catalogue();
    let mut repair = offer(
        0,
        "Atelier de réparation",
        OfferKind::Workshop,
        "BIKE_REPAIR",
    );
    repair.summary = "Remise en état de cycles donnés par les habitants.".into();
    let mut wood = offer(2, "Atelier bois", OfferKind::Workshop, "CARPENTRY");
    wood.summary = "Initiation à la menuiserie et aux outils du bois.".into();
    let floor = offer(2, "Pose de parquet", OfferKind::Training, "CARPENTRY");
    offers.extend([repair, wood, floor]);
    app.load(&organisations, offers).await;
    app
}

async fn search(app: &TestApp, text: &str) -> Value {
    app.graphql(
        r#"query ($t: String!) { offers(first: 100, filter: { text: $t }) {
            totalCount edges { node { title } highlights { title summary } } } }"#,
        json!({ "t": text }),
    )
    .await
}

async fn titles(app: &TestApp, text: &str) -> BTreeSet<String> {
    let answer = search(app, text).await;
    let offers = &data(&answer)["offers"];
    let titles: BTreeSet<String> = offers["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["title"].as_str().expect("title").to_owned())
        .collect();
    assert_eq!(offers["totalCount"], json!(titles.len()), "{text}");
    titles
}

/// The statement that appends `word` to offer `id`'s stem column `column`, as a write of the
/// offer's text would.
fn appending(column: &str, word: &str, id: i32) -> String {
    format!("UPDATE offers SET {column} = {column} || ' {word}' WHERE id = {id}")
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|t| (*t).to_owned()).collect()
}

#[tokio::test]
async fn french_words_match_whatever_their_form() {
    let app = app().await;
    let cases: &[(&str, &[&str])] = &[
        // Inflection: the plural finds the singular (and an organisation's name counts).
        (
            "formations ",
            &["Formation menuiserie", "Découverte du numérique"],
        ),
        // Elision, case and accents.
        (
            "l'ATELIER ",
            &[
                "Atelier de réparation",
                "Atelier bois",
                "Mécanicien·ne vélo",
            ],
        ),
        // A verb finds its noun; an approved testimonial counts, a pending one does not.
        ("réparer ", &["Atelier de réparation", "Mécanicien·ne vélo"]),
        ("modération ", &[]),
        // Stop words do not count; every other word must match.
        (
            "de la menuiserie ",
            &["Formation menuiserie", "Atelier bois", "Pose de parquet"],
        ),
        ("atelier bois ", &["Atelier bois"]),
        ("atelier parquet ", &[]),
        // A quoted phrase: its words in order.
        ("\"atelier de réparation\"", &["Atelier de réparation"]),
        ("\"réparation atelier\"", &[]),
        // The word being typed matches the words it starts; once followed by a space, not.
        (
            "menuis",
            &["Formation menuiserie", "Atelier bois", "Pose de parquet"],
        ),
        ("menuis ", &[]),
        // One typo in a word of five letters or more; none in a shorter one.
        (
            "menuserie ",
            &["Formation menuiserie", "Atelier bois", "Pose de parquet"],
        ),
        ("vrlo ", &[]),
        // Synonyms (reference/synonyms.json), by stem: "vélos" brings "cycles".
        ("vélos ", &["Mécanicien·ne vélo", "Atelier de réparation"]),
        // Only stop words: no word to find, every offer.
        (
            "de la ",
            &[
                "Mécanicien·ne vélo",
                "Agent·e de déconstruction",
                "Formation menuiserie",
                "Découverte du numérique",
                "Réemploi D3E à distance",
                "Atelier de réparation",
                "Atelier bois",
                "Pose de parquet",
            ],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(titles(&app, text).await, set(expected), "{text:?}");
    }
}

#[tokio::test]
async fn relevance_ranks_title_then_summary_then_the_rest_and_its_cursors_walk_once() {
    let app = app().await;
    let expected = ["Formation menuiserie", "Atelier bois", "Pose de parquet"];
    let answer = search(&app, "menuiserie").await;
    let ranked: Vec<&str> = data(&answer)["offers"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["title"].as_str().expect("title"))
        .collect();
    assert_eq!(ranked, expected, "RELEVANCE is the default with a text");

    // One offer a page, by RELEVANCE asked for: the same order, each once.
    let mut walked = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let answer = app
            .graphql(
                r#"query ($after: String) { offers(first: 1, after: $after, filter: { text: "menuiserie" }, orderBy: { field: RELEVANCE }) {
                    edges { node { title } } pageInfo { hasNextPage endCursor } } }"#,
                json!({ "after": after }),
            )
            .await;
        let page = &data(&answer)["offers"];
        for edge in page["edges"].as_array().expect("edges") {
            walked.push(edge["node"]["title"].as_str().expect("title").to_owned());
        }
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(walked, expected);

    // Highlights: the matched words of the title and of the summary, as written.
    let edges = data(&answer)["offers"]["edges"].clone();
    assert_eq!(
        edges[0]["highlights"],
        json!({ "title": "Formation <mark>menuiserie</mark>", "summary": "Formation <mark>menuiserie</mark> : résumé" })
    );
    assert_eq!(
        edges[1]["highlights"],
        json!({ "title": null, "summary": "Initiation à la <mark>menuiserie</mark> et aux outils du bois." })
    );
    assert_eq!(
        edges[2]["highlights"],
        json!({ "title": null, "summary": null })
    );

    // RELEVANCE needs words to rank by.
    let refused = app
        .graphql(
            r#"{ offers(orderBy: { field: RELEVANCE }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        (error_code(&refused), error_field(&refused)),
        ("VALIDATION", "orderBy.field")
    );
}

/// The floor-laying offer ("Pose de parquet") as the API lists it: id and version, with its
/// organisation's.
async fn floor_offer(app: &TestApp) -> Value {
    let answer = app
        .graphql(
            r#"{ offers(first: 1, filter: { text: "parquet" }) { nodes { id version organisation { id version } } } }"#,
            json!({}),
        )
        .await;
    data(&answer)["offers"]["nodes"][0].clone()
}

/// The database id of an offer node.
fn row_id(offer: &Value) -> i32 {
    insertion_catalogue::graphql::ids::decode_as(
        offer["id"].as_str().expect("id"),
        insertion_catalogue::graphql::ids::NodeType::Offer,
        "id",
    )
    .expect("an offer id")
}

/// Gives `offer` (at the version its node holds) a new title, as the admin `key`.
async fn retitle(app: &TestApp, key: &str, offer: &Value, title: &str) {
    let (status, answer) = app
        .graphql_as(
            key,
            r#"mutation ($id: ID!, $v: Int!, $t: String!) { updateOffer(input: { id: $id, version: $v, title: $t }) { offer { id } } }"#,
            json!({ "id": offer["id"], "v": offer["version"], "t": title }),
        )
        .await;
    assert_eq!(status, 200);
    data(&answer);
}

#[tokio::test]
async fn an_edit_is_searchable_at_once_and_an_organisation_renamed_too() {
    let app = app().await;
    let admin = app.create_client("admin", ClientRole::Admin, vec![]).await;
    let floor = floor_offer(&app).await;
    retitle(&app, &admin, &floor, "Pose de parquet et menuiserie").await;
    let answer = search(&app, "menuiserie").await;
    let first_two: BTreeSet<&str> = data(&answer)["offers"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .take(2)
        .map(|edge| edge["node"]["title"].as_str().expect("title"))
        .collect();
    assert_eq!(
        first_two,
        BTreeSet::from(["Formation menuiserie", "Pose de parquet et menuiserie"]),
        "now in its title, it ranks with the other title match"
    );
    assert!(
        titles(&app, "parquets ")
            .await
            .contains("Pose de parquet et menuiserie")
    );

    let organisation = &floor["organisation"];
    let (_, answer) = app
        .graphql_as(
            &admin,
            r#"mutation ($id: ID!, $v: Int!) { updateOrganisation(input: { id: $id, version: $v, name: "Ébénistes associés" }) { organisation { id } } }"#,
            json!({ "id": organisation["id"], "v": organisation["version"] }),
        )
        .await;
    data(&answer);
    assert_eq!(
        titles(&app, "ébénistes ").await,
        set(&[
            "Formation menuiserie",
            "Atelier bois",
            "Pose de parquet et menuiserie"
        ])
    );
    // PostgreSQL's rows of stems follow the edit, and a deletion.
    assert_eq!(stems_out_of_step(&app.db).await, Vec::<String>::new());
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.db,
        &format!("DELETE FROM offers WHERE id = {}", row_id(&floor)),
    )
    .await
    .expect("deleted");
    assert_eq!(stems_out_of_step(&app.db).await, Vec::<String>::new());
}

/// On PostgreSQL an edit writes only the rows of stems that changed place: a new word at the
/// end of the description is one row more, and the offer's other rows are left as they were
/// rather than deleted and written again (told apart by the transaction that wrote them).
#[tokio::test]
async fn an_edit_writes_only_the_stems_that_changed_place() {
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
    let app = app().await;
    if app.db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return;
    }
    let id = row_id(&floor_offer(&app).await);
    let txn = app.db.begin().await.expect("a transaction");
    txn.execute_unprepared(&appending("fts_body", "zzqx", id))
        .await
        .expect("a body edited");
    let row = txn
        .query_one_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            format!(
                "SELECT count(*) FILTER (WHERE xmin = pg_current_xact_id()::xid), \
                        count(*) FILTER (WHERE xmin <> pg_current_xact_id()::xid), \
                        count(*) FILTER (WHERE stem = 'zzqx') \
                 FROM offer_stems WHERE offer_id = {id}"
            ),
        ))
        .await
        .expect("the offer's rows")
        .expect("a row");
    let rows: (i64, i64, i64) = (
        row.try_get_by_index(0).expect("written"),
        row.try_get_by_index(1).expect("kept"),
        row.try_get_by_index(2).expect("the new word"),
    );
    txn.rollback().await.expect("rolled back");
    assert!(rows.1 > 0, "the offer had rows of stems: {rows:?}");
    assert_eq!(
        (rows.0, rows.2),
        (1, 1),
        "only the new word written: {rows:?}"
    );
}

/// On PostgreSQL an edit still in flight while the word blocks are packed keeps its mark:
/// the pass cannot see it, so after its commit a search reads that block from the rows (the
/// new word is found there) until a later pass packs it. Without the marks a search would
/// read the packed block as it was and miss the word.
#[tokio::test]
async fn an_edit_in_flight_during_a_packing_is_read_from_its_rows() {
    use insertion_catalogue::catalogue::stem_blocks::compact_all;
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = app().await;
    if app.db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        // SQLite has no blocks: a packing has nothing to do and says so at once.
        assert_eq!(compact_all(&app.db).await.expect("nothing to pack"), 0);
        return;
    }
    compact_all(&app.db).await.expect("packed");
    let id = row_id(&floor_offer(&app).await);
    let txn = app.db.begin().await.expect("a transaction");
    txn.execute_unprepared(&appending("fts_title", "zzqy", id))
        .await
        .expect("a title edited");
    // A pass from another connection, while the edit is not committed.
    compact_all(&app.db).await.expect("packed beside the edit");
    txn.commit().await.expect("committed");
    assert_eq!(stems_out_of_step(&app.db).await, Vec::<String>::new());
}

/// On PostgreSQL one packing runs at a time across instances (an advisory lock): a pass
/// finds it held and leaves the marks, and takes them once it is free.
#[tokio::test]
async fn word_blocks_are_packed_by_one_instance_at_a_time() {
    use insertion_catalogue::catalogue::stem_blocks::{
        COMPACTION_LOCK, Pass, Resume, compact, compact_all,
    };
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = app().await;
    if app.db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return;
    }
    let id = row_id(&floor_offer(&app).await);
    let holder = app.db.begin().await.expect("a transaction");
    holder
        .execute_unprepared(&format!("SELECT pg_advisory_xact_lock({COMPACTION_LOCK})"))
        .await
        .expect("the lock held");
    app.db
        .execute_unprepared(&appending("fts_title", "zzqw", id))
        .await
        .expect("a title edited");
    assert_eq!(
        compact(&app.db, 10, &Resume::default())
            .await
            .expect("a pass"),
        Pass::Busy
    );
    let marks = sql_count(&app.db, "SELECT count(*) FROM offer_stem_changes").await;
    assert!(
        marks > 0,
        "the edit's marks are left while the lock is held"
    );
    holder.commit().await.expect("the lock released");
    // (The server's own pass may take them first.)
    compact_all(&app.db).await.expect("packed");
    assert_eq!(
        sql_count(&app.db, "SELECT count(*) FROM offer_stem_changes").await,
        0
    );
    assert_eq!(stems_out_of_step(&app.db).await, Vec::<String>::new());
}

/// Twenty packings at once, beside twenty edits of the offers' text, on both engines: on
/// PostgreSQL one pass at a time holds the lock and the others wait for it; afterwards what a
/// search reads is the offers' stems, no mark is left, and each edit's new word finds its
/// offer. On SQLite there is nothing to pack and each says so.
#[tokio::test]
async fn twenty_packings_at_once_beside_edits_leave_every_word_findable() {
    use futures_util::future::{join, join_all};
    use insertion_catalogue::catalogue::stem_blocks::compact_all;
    use sea_orm::ConnectionTrait;
    let app = app().await;
    let ids: Vec<i32> = sql_column(&app.db, "SELECT id FROM offers ORDER BY id").await;
    assert!(!ids.is_empty());
    let words: Vec<String> = (0..20u8)
        .map(|n| format!("zzq{}", char::from(b'a' + n)))
        .collect();
    let packings = join_all((0..20).map(|_| compact_all(&app.db)));
    let edits = join_all(words.iter().enumerate().map(|(n, word)| {
        // The column holds stems, as the offer's own write would make them.
        let stem = insertion_catalogue::catalogue::fulltext::stem(word);
        let sql = appending("fts_body", &stem, ids[n % ids.len()]);
        let db = &app.db;
        async move { db.execute_unprepared(&sql).await }
    }));
    let (packed, edited) = join(packings, edits).await;
    for edit in edited {
        edit.expect("an edit");
    }
    let packed: Vec<u64> = packed
        .into_iter()
        .map(|pass| pass.expect("a packing"))
        .collect();
    if app.db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        assert_eq!(packed, vec![0; 20]);
    }
    assert_eq!(stems_out_of_step(&app.db).await, Vec::<String>::new());
    for word in &words {
        assert_eq!(titles(&app, &format!("{word} ")).await.len(), 1, "{word}");
    }
}

/// On PostgreSQL an offer's write never fails over its rows of stems: a row already there
/// (the table edited by hand) is kept, and the write goes through (SQLite has no such table).
#[tokio::test]
async fn a_write_goes_through_when_one_of_its_stem_rows_is_already_there() {
    use sea_orm::ConnectionTrait;
    let app = app().await;
    if app.db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return;
    }
    let admin = app.create_client("admin", ClientRole::Admin, vec![]).await;
    let floor = floor_offer(&app).await;
    let stem = insertion_catalogue::catalogue::fulltext::stem("zèbre");
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO offer_stems (stem, tier, offer_id) VALUES ('{stem}', 3, {})",
            row_id(&floor)
        ))
        .await
        .expect("a row ahead of the offer");
    retitle(&app, &admin, &floor, "Pose de parquet zèbre").await;
    assert_eq!(
        titles(&app, "zèbre ").await,
        set(&["Pose de parquet zèbre"])
    );
    assert_eq!(stems_out_of_step(&app.db).await, Vec::<String>::new());
}

/// A word of thousands of letters (a pasted string) is no word: it is left out of the index
/// and of the vocabulary, and the offer saves and is found by its other words, alike on both
/// engines (a PostgreSQL key cannot hold an entry over 2,704 bytes).
#[tokio::test]
async fn an_endless_word_is_left_out_and_the_offer_saves_and_is_found() {
    let app = app().await;
    let admin = app.create_client("admin", ClientRole::Admin, vec![]).await;
    let floor = floor_offer(&app).await;
    // Letters drawn by a small generator: a run PostgreSQL cannot compress under its limit.
    let mut state: u64 = 2026;
    let endless: String = (0..3_000)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            char::from(b'a' + ((state >> 33) % 26) as u8)
        })
        .collect();
    let (status, answer) = app
        .graphql_as(
            &admin,
            r#"mutation ($id: ID!, $v: Int!, $d: String!) { updateOffer(input: { id: $id, version: $v, description: $d }) { offer { id } } }"#,
            json!({ "id": floor["id"], "v": floor["version"], "d": format!("Lames de chêne et {endless}.") }),
        )
        .await;
    assert_eq!(status, 200);
    data(&answer);
    assert_eq!(titles(&app, "chêne ").await, set(&["Pose de parquet"]));
    let long_query = format!("{} ", &endless[..150]);
    assert_eq!(
        titles(&app, &long_query).await,
        set(&[]),
        "a word too long for the index finds nothing"
    );
}

/// Offers written before the index existed (their stem columns empty) are indexed by the
/// next `migrate`, which every start runs: their own text and approved testimonials.
#[tokio::test]
async fn offers_never_indexed_are_indexed_by_the_next_migrate() {
    use sea_orm::ConnectionTrait;
    let app = app().await;
    app.db
        .execute_unprepared(
            "UPDATE offers SET fts_title = NULL, fts_summary = NULL, fts_body = NULL, fts_testimonials = NULL",
        )
        .await
        .expect("forget the stems");
    // The cache is at the latest version: only a new one can drop the answer stored next.
    app.response_cache.refresh().await;
    assert_eq!(titles(&app, "menuiserie ").await, set(&[]));
    insertion_catalogue::db::migrate(&app.db)
        .await
        .expect("migrate");
    // The index moved the catalogue version: the instance drops its cached answers at its
    // next check (within the documented second); the test does not wait for it.
    app.response_cache.refresh().await;
    assert_eq!(
        titles(&app, "menuiserie ").await,
        set(&["Formation menuiserie", "Atelier bois", "Pose de parquet"])
    );
    assert_eq!(
        titles(&app, "réparer ").await,
        set(&["Atelier de réparation", "Mécanicien·ne vélo"]),
        "an approved testimonial is indexed again"
    );
    assert_eq!(titles(&app, "modération ").await, set(&[]));
    assert_eq!(stems_out_of_step(&app.db).await, Vec::<String>::new());
}

/// Every page of a search by relevance, 9 at a time: (id, cursor) of each offer, and the
/// totalCount of the first page when `with_total` asks for it (a search ranked in memory
/// reads every match only for it, or when the two best tiers do not fill the page).
async fn relevance_walk(
    app: &TestApp,
    filter: &Value,
    with_total: bool,
) -> (Vec<(String, String)>, Option<i64>) {
    let mut found = Vec::new();
    let mut total = None;
    let count = if with_total { "totalCount" } else { "" };
    each_offers_page(
        app,
        &format!("query ($f: OfferFilter, $a: String) {{ offers(first: 9, after: $a, filter: $f) {{ {count} edges {{ cursor node {{ id }} }} pageInfo {{ hasNextPage endCursor }} }} }}"),
        json!({ "f": filter }),
        |offers| {
            total = total.or(offers["totalCount"].as_i64());
            found.extend(ids_and_cursors(offers));
        },
    )
    .await;
    (found, total)
}

/// A public text search whose other conditions memory decides is ranked in memory from the
/// full-text index's id lists; the same search with a condition only SQL decides (here one
/// that keeps every offer) is ranked by SQL. Both give the same offers in the same order
/// with the very same cursors, page after page, and the same totalCount, on both engines.
#[tokio::test]
async fn relevance_ranked_in_memory_gives_the_pages_and_cursors_sql_gives() {
    let app = TestApp::spawn_with_demo_uncached().await;
    let lille = json!({ "latitude": 50.6292, "longitude": 3.0573, "radiusKm": 60 });
    for filter in [
        json!({ "text": "formation" }),
        json!({ "text": "atelier vélo" }),
        json!({ "text": "menuis" }),
        json!({ "text": "menuserie " }),
        json!({ "text": "\"chantier d'insertion\"" }),
        json!({ "text": "accompagnement", "kinds": ["TRAINING", "WORKSHOP"], "hasUpcomingSlot": true }),
        json!({ "text": "formation", "near": lille }),
    ] {
        assert_ranked_in_memory_as_by_sql(&app, &filter).await;
    }

    // Titles edited, one offer renamed twice and one archived: the titles' index (SQLite keeps
    // one of its own for the best tier) follows every write, so memory still ranks as SQL.
    let admin = app.admin_key().await;
    let answer = app
        .graphql_ok_as(
            &admin,
            r#"{ offers(first: 3, filter: { text: "formation" }) { nodes { id version } } }"#,
            json!({}),
        )
        .await;
    let nodes = answer["offers"]["nodes"].as_array().expect("nodes").clone();
    let rename = |node: Value, title: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            app.graphql_ok_as(
                &admin,
                "mutation ($id: ID!, $v: Int!, $t: String!) { updateOffer(input: { id: $id, version: $v, title: $t }) { offer { version } } }",
                json!({ "id": node["id"], "v": node["version"], "t": title }),
            )
            .await["updateOffer"]["offer"]["version"]
                .clone()
        }
    };
    let version = rename(nodes[0].clone(), "Atelier zygomatique de formation").await;
    let mut renamed = nodes[0].clone();
    renamed["version"] = version;
    rename(renamed, "Atelier zygomatique").await;
    rename(nodes[1].clone(), "Zygomatique, et rien d'autre").await;
    app.graphql_ok_as(
        &admin,
        "mutation ($id: ID!, $v: Int!) { archiveOffer(input: { id: $id, version: $v }) { offer { status } } }",
        json!({ "id": nodes[2]["id"], "v": nodes[2]["version"] }),
    )
    .await;
    for text in ["zygomatique", "formation", "atelier"] {
        assert_ranked_in_memory_as_by_sql(&app, &json!({ "text": text })).await;
    }
}

/// `filter`'s relevance walk ranked in memory gives SQL's pages, cursors and totals.
async fn assert_ranked_in_memory_as_by_sql(app: &TestApp, filter: &Value) {
    let (from_sql, sql_total) = relevance_walk(app, &decided_by_sql(filter), true).await;
    assert!(!from_sql.is_empty(), "{filter} finds offers");
    assert_eq!(sql_total, Some(from_sql.len() as i64), "{filter}");
    for with_total in [true, false] {
        let (in_memory, total) = relevance_walk(app, filter, with_total).await;
        assert_eq!(
            in_memory, from_sql,
            "{filter}, totalCount asked: {with_total}"
        );
        assert_eq!(total, sql_total.filter(|_| with_total), "{filter}");
    }
}

/// The offers whose RELEVANCE key in SQL puts them in `tier` or a better one (3: every word
/// in the title, 2: in the title or summary).
async fn by_relevance_in_sql(
    app: &TestApp,
    search: &insertion_catalogue::catalogue::fulltext_index::TextSearch,
    tier: i64,
) -> roaring::RoaringBitmap {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    // The key is minus (tier × 10^10 + seconds), the seconds under 10^10.
    let select = Query::select()
        .from("offers")
        .and_where(search.condition())
        .and_where(search.relevance().lte(Expr::val(-(tier as f64) * 1e10)))
        .take();
    insertion_catalogue::catalogue::facet_index::offer_ids(&app.db, select)
        .await
        .expect("ranked in SQL")
}

/// The tiers a ranked search reads from the full-text index (the title matches, the
/// title-and-summary ones, every match; on PostgreSQL from the rows of stems) are the offers
/// SQL's full-text condition and RELEVANCE key put there, and every match it lists is every
/// offer the search finds, on both engines.
#[tokio::test]
async fn the_full_text_index_lists_each_tier_and_every_offer_a_search_finds() {
    use insertion_catalogue::catalogue::fulltext_index::TextSearch;
    let app = TestApp::spawn_with_demo().await;
    for text in [
        "formation",
        "atelier vélo",
        "menuis",
        "menuserie ",
        "vélos ",
        "\"chantier d'insertion\"",
        // More words than PostgreSQL's lists read at once.
        "atelier réparation vélo accompagnement",
    ] {
        let search = TextSearch::prepare(&app.db, text).await.expect("prepared");
        let mut tiers = search
            .best_matches(&app.db, None)
            .await
            .expect("best tier")
            .expect("words to match");
        while search.widen(&app.db, &mut tiers).await.expect("widened") {}
        let head = tiers.head.clone().expect("title and summary");
        assert_eq!(
            tiers.title,
            by_relevance_in_sql(&app, &search, 3).await,
            "{text}"
        );
        assert_eq!(head, by_relevance_in_sql(&app, &search, 2).await, "{text}");
        let all = tiers.all.expect("every match");
        assert_eq!(all, by_relevance_in_sql(&app, &search, 1).await, "{text}");
        assert!(!all.is_empty(), "{text} finds offers of the demo");
        let listed: Vec<String> = all
            .iter()
            .map(|id| {
                insertion_catalogue::graphql::ids::encode(
                    insertion_catalogue::graphql::ids::NodeType::Offer,
                    id as i32,
                )
                .to_string()
            })
            .collect();
        let mut found = Vec::new();
        each_offers_page(
            &app,
            "query ($f: OfferFilter, $a: String) { offers(first: 100, after: $a, filter: $f) { nodes { id } pageInfo { hasNextPage endCursor } } }",
            json!({ "f": { "text": text } }),
            |offers| {
                for node in offers["nodes"].as_array().expect("nodes") {
                    found.push(node["id"].as_str().expect("id").to_owned());
                }
            },
        )
        .await;
        assert!(
            !found.is_empty(),
            "{text} finds offers (the demo's are all published)"
        );
        let listed: BTreeSet<String> = listed.into_iter().collect();
        let found: BTreeSet<String> = found.into_iter().collect();
        assert_eq!(listed, found, "{text}");
    }
}
