//! The native bundle: export and import round-trip a catalogue exactly; re-imports change
//! nothing; changes are applied and audited; local edits win and are reported; bad records
//! are rejected with their line and field while the rest is imported; full imports archive.
use chrono::Utc;
use entity::enums::ClientRole;
use insertion_catalogue::catalogue::version;
use insertion_catalogue::exchange::bundle::export::{ExportOptions, export, parse_lines};
use insertion_catalogue::exchange::bundle::format::Line;
use insertion_catalogue::exchange::bundle::import::{ImportOptions, import};
use insertion_catalogue::exchange::bundle::read::Testimonials;
use insertion_catalogue::exchange::report::Report;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, sql_count};

const SOURCE: &str = "catalogue-insertion";

async fn export_text(db: &DatabaseConnection) -> String {
    let options = ExportOptions {
        own_source: SOURCE.into(),
        testimonials: Testimonials::All,
    };
    let mut out = Vec::new();
    export(db, &options, Utc::now(), &mut out)
        .await
        .expect("export");
    String::from_utf8(out).expect("utf-8")
}

/// The records of a bundle, without its header (which says when it was written).
fn records(text: &str) -> Vec<Line> {
    parse_lines(text)
        .expect("every line parses")
        .into_iter()
        .filter(|line| !matches!(line, Line::Header(_)))
        .collect()
}

/// Export, import into an empty catalogue, export again: the same records (the first
/// difference printed as JSON when not).
fn assert_same_records(got: &[Line], expected: &[Line]) {
    assert_eq!(got.len(), expected.len(), "as many records");
    for (got, expected) in got.iter().zip(expected) {
        if got != expected {
            panic!(
                "a record differs:\n  got      {}\n  expected {}",
                serde_json::to_string(got).unwrap_or_default(),
                serde_json::to_string(expected).unwrap_or_default()
            );
        }
    }
}

async fn import_text(db: &DatabaseConnection, text: &str, options: &ImportOptions) -> Report {
    import(db, text.as_bytes(), options, |_| {})
        .await
        .expect("import runs")
}

/// Replaces, in the line of the offer titled `title`, `from` by `to`.
fn edit_offer_line(text: &str, title: &str, from: &str, to: &str) -> String {
    let needle = format!("\"title\":{}", json!(title));
    text.lines()
        .map(|line| {
            if line.contains(&needle) {
                line.replacen(from, to, 1)
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_bundle_round_trips_the_demo_catalogue_exactly_and_a_re_import_changes_nothing() {
    let demo = TestApp::spawn_with_demo().await;
    let first = export_text(&demo.db).await;
    let first_records = records(&first);
    let offers = first_records
        .iter()
        .filter(|l| matches!(l, Line::Offer(_)))
        .count();
    assert!(offers > 100, "the demo has offers: {offers}");

    let copy = TestApp::spawn_empty().await;
    let report = import_text(&copy.db, &first, &ImportOptions::new(SOURCE)).await;
    assert!(report.rejected.is_empty(), "{}", report.summary());
    assert_eq!(report.created, first_records.len(), "{}", report.summary());
    let second = export_text(&copy.db).await;
    assert_same_records(&records(&second), &first_records);

    // Again: nothing changes, not even a version or an audit entry.
    let version_before = version::current(&copy.db).await.expect("version");
    let report = import_text(&copy.db, &second, &ImportOptions::new(SOURCE)).await;
    assert_eq!(
        report.unchanged,
        first_records.len(),
        "{}",
        report.summary()
    );
    assert_eq!((report.created, report.updated), (0, 0));
    assert_eq!(
        version::current(&copy.db).await.expect("version"),
        version_before
    );
    assert_eq!(
        sql_count(&copy.db, "SELECT COUNT(*) FROM audit_log").await,
        0
    );
    assert_same_records(&records(&export_text(&copy.db).await), &first_records);

    // The API says where each record comes from, and filters on it: the demo's records
    // keep their source and ids wherever the bundle goes.
    let answer = copy
        .graphql(
            r#"{ offers(first: 1, filter: { sources: ["demo"] }) { totalCount edges { node { provenance { source externalId importedAt } } } }
                manual: offers(filter: { sources: ["manual"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    let offers_data = &data(&answer)["offers"];
    assert_eq!(offers_data["totalCount"], json!(offers));
    assert_eq!(data(&answer)["manual"]["totalCount"], json!(0));
    let provenance = &offers_data["edges"][0]["node"]["provenance"];
    assert_eq!(provenance["source"], json!("demo"));
    assert!(
        provenance["externalId"]
            .as_str()
            .is_some_and(|id| id.starts_with("offre-")),
        "{provenance}"
    );
    assert!(provenance["importedAt"].is_string());
    let bad = demo
        .graphql(
            r#"{ offers(filter: { sources: ["Not A Source"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(crate::helpers::error_field(&bad), "filter.sources.0");
}

#[tokio::test]
async fn a_changed_record_is_updated_and_audited_and_a_local_edit_wins_and_is_reported() {
    let demo = TestApp::spawn_with_demo().await;
    let bundle = export_text(&demo.db).await;
    let copy = TestApp::spawn_empty().await;
    import_text(&copy.db, &bundle, &ImportOptions::new(SOURCE)).await;
    let title = match records(&bundle)
        .into_iter()
        .find(|l| matches!(l, Line::Offer(_)))
    {
        Some(Line::Offer(offer)) => offer.title.clone(),
        _ => panic!("an offer"),
    };

    // The source changes the offer's title: updated, audited by the import.
    let renamed = edit_offer_line(
        &bundle,
        &title,
        &format!("\"title\":{}", json!(title)),
        "\"title\":\"Titre changé à la source\"",
    );
    let report = import_text(&copy.db, &renamed, &ImportOptions::new(SOURCE)).await;
    assert_eq!(report.updated, 1, "{}", report.summary());
    assert!(report.conflicts.is_empty() && report.rejected.is_empty());
    let audit = sql_count(
        &copy.db,
        "SELECT COUNT(*) FROM audit_log WHERE client_name = 'import' AND action = 'import' AND entity_type = 'Offer'",
    )
    .await;
    assert_eq!(audit, 1);
    let query = r#"{ offers(first: 1, filter: { text: "Titre changé à la source" }) { edges { node { id title version } } } }"#;
    let answer = copy.graphql(query, json!({})).await;
    let node = data(&answer)["offers"]["edges"][0]["node"].clone();
    assert_eq!(node["version"], json!(2));

    // An editor changes it here; the source changes it again: the local edit is kept and
    // the conflict reported with the fields that differ.
    let admin = copy.create_client("admin", ClientRole::Admin, vec![]).await;
    let (_, edited) = copy
        .graphql_as(
            &admin,
            r#"mutation ($id: ID!) { updateOffer(input: { id: $id, version: 2, summary: "Résumé écrit ici" }) { offer { version } } }"#,
            json!({ "id": node["id"] }),
        )
        .await;
    assert_eq!(data(&edited)["updateOffer"]["offer"]["version"], json!(3));
    let again = edit_offer_line(
        &renamed,
        "Titre changé à la source",
        "\"title\":\"Titre changé à la source\"",
        "\"title\":\"Deuxième titre de la source\"",
    );
    let report = import_text(&copy.db, &again, &ImportOptions::new(SOURCE)).await;
    assert_eq!(report.updated, 0, "{}", report.summary());
    assert_eq!(report.conflicts.len(), 1, "{}", report.summary());
    let conflict = &report.conflicts[0];
    assert!(
        conflict.field.contains("summary") && conflict.field.contains("title"),
        "{conflict:?}"
    );
    let answer = copy.graphql(query, json!({})).await;
    assert_eq!(
        data(&answer)["offers"]["edges"][0]["node"]["version"],
        json!(3),
        "kept as edited"
    );

    // The same source record again, unchanged since the last import: no conflict, nothing.
    let report = import_text(&copy.db, &renamed, &ImportOptions::new(SOURCE)).await;
    assert!(
        report.conflicts.is_empty() && report.updated == 0,
        "{}",
        report.summary()
    );

    // Preferring the source overwrites the local edit.
    let prefer = ImportOptions {
        prefer_source: true,
        ..ImportOptions::new(SOURCE)
    };
    let report = import_text(&copy.db, &again, &prefer).await;
    assert_eq!(report.updated, 1, "{}", report.summary());
    let answer = copy
        .graphql(r#"{ offers(first: 1, filter: { text: "Deuxième titre de la source" }) { totalCount } }"#, json!({}))
        .await;
    assert_eq!(data(&answer)["offers"]["totalCount"], json!(1));
}

#[tokio::test]
async fn bad_records_are_rejected_with_their_line_and_field_while_the_rest_is_imported() {
    let demo = TestApp::spawn_with_demo().await;
    let bundle = export_text(&demo.db).await;
    let mut lines: Vec<String> = bundle.lines().map(str::to_owned).collect();
    let offer_lines: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("{\"offer\""))
        .map(|(i, _)| i)
        .take(5)
        .collect();
    let set = |line: &str, pointer: &str, value: Value| -> String {
        let mut parsed: Value = serde_json::from_str(line).expect("json");
        *parsed.pointer_mut(pointer).expect("field") = value;
        parsed.to_string()
    };
    lines[offer_lines[0]] = "{\"offer\": {\"title\": ".into();
    lines[offer_lines[1]] = set(&lines[offer_lines[1]], "/offer/kind", json!("CIRCUS"));
    lines[offer_lines[2]] = set(
        &lines[offer_lines[2]],
        "/offer/organisation/external_id",
        json!("nowhere"),
    );
    let mut unknown_field: Value = serde_json::from_str(&lines[offer_lines[3]]).expect("json");
    unknown_field["offer"]["seats"] = json!(3);
    lines[offer_lines[3]] = unknown_field.to_string();
    let mut with_slot: Value = serde_json::from_str(&lines[offer_lines[4]]).expect("json");
    with_slot["offer"]["slots"] = json!([{
        "starts_on": "2027-03-01", "ends_on": "2027-02-01", "seats_total": 10,
        "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z"
    }]);
    lines[offer_lines[4]] = with_slot.to_string();
    let text = lines.join("\n");
    let total = records(&bundle).len();

    let copy = TestApp::spawn_empty().await;
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::new(SOURCE)
    };
    let report = import_text(&copy.db, &text, &dry).await;
    assert_eq!(report.rejected.len(), 5, "{}", report.summary());
    assert_eq!(report.created, total - 5, "{}", report.summary());
    assert_eq!(
        sql_count(&copy.db, "SELECT COUNT(*) FROM offers").await,
        0,
        "a dry run writes nothing"
    );

    let report = import_text(&copy.db, &text, &ImportOptions::new(SOURCE)).await;
    assert_eq!(report.created, total - 5, "{}", report.summary());
    let by_line: Vec<(String, String)> = report
        .rejected
        .iter()
        .map(|p| (p.position.clone(), p.field.clone()))
        .collect();
    let line = |index: usize| format!("line {}", index + 1);
    assert!(
        by_line.contains(&(line(offer_lines[1]), "kind".into())),
        "{by_line:?}"
    );
    assert!(
        by_line.contains(&(line(offer_lines[2]), "organisation".into())),
        "{by_line:?}"
    );
    assert!(
        by_line
            .iter()
            .any(|(l, f)| *l == line(offer_lines[3]) && f.contains("offer")),
        "{by_line:?}"
    );
    assert!(
        by_line.contains(&(line(offer_lines[4]), "slots.0.endsOn".into())),
        "{by_line:?}"
    );
    assert!(
        by_line.iter().any(|(l, _)| *l == line(offer_lines[0])),
        "{by_line:?}"
    );
    assert_eq!(
        sql_count(&copy.db, "SELECT COUNT(*) FROM offers").await as usize,
        records(&bundle)
            .iter()
            .filter(|l| matches!(l, Line::Offer(_)))
            .count()
            - 5,
        "each rejected record is left out whole, every other one is written"
    );
}

#[tokio::test]
async fn a_full_import_archives_what_its_source_no_longer_lists_and_brings_it_back() {
    let demo = TestApp::spawn_with_demo().await;
    let bundle = export_text(&demo.db).await;
    let copy = TestApp::spawn_empty().await;
    let full = ImportOptions {
        full: true,
        ..ImportOptions::new("another-catalogue")
    };
    import_text(&copy.db, &bundle, &full).await;
    let published = sql_count(
        &copy.db,
        "SELECT COUNT(*) FROM offers WHERE status = 'PUBLISHED'",
    )
    .await;

    let mut lines: Vec<&str> = bundle.lines().collect();
    let dropped = lines
        .iter()
        .position(|l| l.starts_with("{\"offer\""))
        .expect("an offer line");
    lines.remove(dropped);
    let without = lines.join("\n");
    let report = import_text(&copy.db, &without, &full).await;
    assert_eq!(report.archived, 1, "{}", report.summary());
    assert_eq!(
        sql_count(
            &copy.db,
            "SELECT COUNT(*) FROM offers WHERE status = 'PUBLISHED'"
        )
        .await,
        published - 1
    );
    assert_eq!(
        sql_count(&copy.db, "SELECT COUNT(*) FROM offers").await,
        published,
        "archived, not deleted"
    );
    assert_eq!(
        sql_count(
            &copy.db,
            "SELECT COUNT(*) FROM audit_log WHERE client_name = 'import' AND action = 'archive'"
        )
        .await,
        1
    );
    // Not listed again: nothing more happens. Listed again: it comes back.
    assert_eq!(import_text(&copy.db, &without, &full).await.archived, 0);
    let report = import_text(&copy.db, &bundle, &full).await;
    assert_eq!(report.updated, 1, "{}", report.summary());
    assert_eq!(
        sql_count(
            &copy.db,
            "SELECT COUNT(*) FROM offers WHERE status = 'PUBLISHED'"
        )
        .await,
        published
    );
}

#[tokio::test]
async fn twenty_imports_at_once_update_and_archive_each_record_once() {
    const RACERS: usize = 20;
    let origin = TestApp::spawn_empty().await;
    let (organisations, offers) = crate::fixture::catalogue();
    origin.load(&organisations, offers).await;
    // The hand-made fixture is seeded without the importer's checks: give it a real SIRET.
    let bundle = export_text(&origin.db)
        .await
        .replace("12345678900011", "73282932000074");
    let full = ImportOptions {
        full: true,
        ..ImportOptions::new("another-catalogue")
    };
    let copy = TestApp::spawn_empty().await;
    let first = import_text(&copy.db, &bundle, &full).await;
    assert!(first.rejected.is_empty(), "{}", first.summary());

    // The source renames one offer and drops another.
    let mut offer_lines = bundle.lines().filter(|l| l.starts_with("{\"offer\""));
    let renamed_line = offer_lines.next().expect("an offer");
    let dropped_line = offer_lines.next().expect("a second offer");
    let renamed = serde_json::from_str::<Value>(renamed_line).expect("json")["offer"]["title"]
        .as_str()
        .expect("title")
        .to_owned();
    let changed: String = bundle
        .lines()
        .filter(|l| *l != dropped_line)
        .map(|l| {
            if l == renamed_line {
                l.replacen(
                    &format!("\"title\":{}", json!(renamed)),
                    "\"title\":\"Renommée à la source\"",
                    1,
                )
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");

    let reports =
        futures_util::future::join_all((0..RACERS).map(|_| import_text(&copy.db, &changed, &full)))
            .await;
    let updated: usize = reports.iter().map(|r| r.updated).sum();
    let archived: usize = reports.iter().map(|r| r.archived).sum();
    assert_eq!(
        (updated, archived),
        (1, 1),
        "{:#?}",
        reports.iter().map(Report::summary).collect::<Vec<_>>()
    );
    assert!(reports.iter().all(|r| r.rejected.is_empty()));
    assert_eq!(
        sql_count(
            &copy.db,
            "SELECT COUNT(*) FROM audit_log WHERE client_name = 'import' AND action = 'import'"
        )
        .await,
        1
    );
    assert_eq!(
        sql_count(
            &copy.db,
            "SELECT COUNT(*) FROM audit_log WHERE client_name = 'import' AND action = 'archive'"
        )
        .await,
        1
    );
    assert_eq!(
        sql_count(
            &copy.db,
            "SELECT COUNT(*) FROM offers WHERE title = 'Renommée à la source' AND version = 2"
        )
        .await,
        1,
        "one version bump"
    );
}
