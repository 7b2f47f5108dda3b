//! LHÉO 2.3 and 2.2: the demo's training offers exported are valid against the XSD and come
//! back whole into an empty catalogue; a re-import changes nothing; a bad formation is
//! reported at its XPath with its field while the others are imported; 2.2 files and gzip
//! are read alike; sessions without a seat count and with a recruitment state answer
//! `seatsTotal`, `recruitment` and `hasSeatsLeft` as the README says.
use std::collections::HashMap;
use std::io::Write;
use std::process::Command;

use insertion_catalogue::catalogue::version;
use insertion_catalogue::exchange::bundle::format;
use insertion_catalogue::exchange::bundle::import::ImportOptions;
use insertion_catalogue::exchange::bundle::read::{self, Testimonials};
use insertion_catalogue::exchange::lheo::export::Export;
use insertion_catalogue::exchange::lheo::mapping::DEFAULT_SECTOR;
use insertion_catalogue::exchange::lheo::read::{Input, import};
use insertion_catalogue::exchange::report::Report;
use insertion_catalogue::graphql::ids;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};
use serde_json::json;

use crate::helpers::{TestApp, data, sql_count};

const OWN: &str = "catalogue-insertion";
const SOURCE: &str = "lheo:test";

async fn export(db: &DatabaseConnection) -> Vec<u8> {
    let mut export = Export::new(db.clone(), OWN);
    let mut out = Vec::new();
    while let Some(page) = export.next_page().await.expect("a page") {
        out.extend_from_slice(&page);
    }
    out
}

async fn import_bytes(db: &DatabaseConnection, name: &str, bytes: Vec<u8>) -> Report {
    import(
        db,
        Input::from_bytes(name, bytes).expect("input"),
        SOURCE,
        DEFAULT_SECTOR,
        &ImportOptions::new(OWN),
        |_| {},
    )
    .await
    .expect("import runs")
}

/// `xmllint --schema`: installed by `scripts/test` (Debian's libxml2-utils).
fn validate(xml: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("export.xml");
    std::fs::write(&path, xml).expect("written");
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/reference/lheo-2.3/lheo.xsd");
    let output = Command::new("xmllint")
        .args(["--noout", "--schema", schema])
        .arg(&path)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "xmllint is needed to validate the LHÉO export ({error}): run scripts/test, which installs it, or apt-get install libxml2-utils"
            )
        });
    assert!(
        output.status.success(),
        "the export is not valid against the LHÉO 2.3 XSD:\n{}",
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test]
async fn the_demo_training_offers_exported_as_lheo_are_valid_against_the_xsd() {
    let demo = TestApp::spawn_with_demo().await;
    let xml = export(&demo.db).await;
    let text = String::from_utf8(xml.clone()).expect("UTF-8");
    let formations = text.matches("<formation ").count();
    assert!(formations >= 30, "{formations} formations");
    assert!(
        text.contains("<etat-recrutement>"),
        "sessions say whether they recruit"
    );
    validate(&xml);

    // The same file through the CLI, which writes it aside then renames it.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.xml");
    let status = Command::new(env!("CARGO_BIN_EXE_insertion-catalogue"))
        .args(["export", "lheo", "--output"])
        .arg(&out)
        .env("DATABASE_URL", &demo.settings.database_url)
        .env("DEMO_DATA", "false")
        .env("RUST_LOG", "error")
        .status()
        .expect("the binary runs");
    assert!(status.success());
    let from_cli = std::fs::read_to_string(&out).expect("written");
    assert_eq!(from_cli.matches("<formation ").count(), formations);

    // And streamed over HTTP, as XML.
    let response = demo.get("/exports/lheo").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    let body = response.text().await.expect("a body");
    assert_eq!(
        body, from_cli,
        "the endpoint and the CLI write the same file"
    );
}

/// The fields LHÉO carries, of an offer as the bundle reads it.
fn carried(o: &format::Offer) -> serde_json::Value {
    let slots: Vec<_> = o
        .slots
        .iter()
        .filter(|s| s.cancelled_at.is_none())
        .map(|s| {
            let full = s.seats_total.is_some_and(|t| s.seats_taken >= t);
            json!({
                "starts_on": s.starts_on, "ends_on": s.ends_on,
                "registration_opens_on": s.registration_opens_on,
                "registration_closes_on": s.registration_closes_on,
                "info_session_on": s.info_session_on,
                // Seats are expressed as recruitment: a full session recruits no more.
                "recruitment": if full && s.recruitment == "OPEN" { "CLOSED" } else { s.recruitment.as_str() },
            })
        })
        .collect();
    let mut codes: Vec<_> = o
        .codes
        .iter()
        .filter(|c| c.system != "APPELLATION")
        .map(|c| format!("{}:{}", c.system, c.code))
        .collect();
    codes.sort();
    json!({
        "title": o.title, "summary": o.summary, "description": o.description,
        "kind": o.kind, "delivery_mode": o.delivery_mode, "fees": o.fees,
        "codes": codes, "slots": slots, "publics_details": o.publics_details,
    })
}

#[tokio::test]
async fn an_lheo_export_comes_back_into_an_empty_catalogue_and_a_second_import_changes_nothing() {
    let demo = TestApp::spawn_with_demo().await;
    let xml = export(&demo.db).await;
    let empty = TestApp::spawn_empty().await;
    let report = import_bytes(&empty.db, "demo.xml", xml.clone()).await;
    assert!(report.rejected.is_empty(), "{}", report.summary());
    let formations = String::from_utf8_lossy(&xml).matches("<formation ").count();

    // Each imported offer is known by its action's numero: the demo offer's global ID.
    let imported_ids: Vec<i32> = entity::offer::Entity::find()
        .select_only()
        .column(entity::offer::Column::Id)
        .into_tuple()
        .all(&empty.db)
        .await
        .expect("ids");
    assert_eq!(imported_ids.len(), formations);
    let imported = read::offers(&empty.db, OWN, &imported_ids, Testimonials::All)
        .await
        .expect("imported offers");
    let demo_ids: HashMap<i32, &format::Offer> = imported
        .iter()
        .map(|(_, o)| {
            assert_eq!(o.source, SOURCE);
            let (_, id) = ids::decode(&o.external_id, "numero").expect("a global ID");
            (id, o)
        })
        .collect();
    let ids: Vec<i32> = demo_ids.keys().copied().collect();
    let originals = read::offers(&demo.db, OWN, &ids, Testimonials::All)
        .await
        .expect("demo offers");
    assert_eq!(originals.len(), formations);
    let mut sessions = 0;
    for (id, original) in &originals {
        let back = demo_ids[id];
        assert_eq!(carried(back), carried(original), "offer {id}");
        sessions += back.slots.len();
        assert!(back.slots.iter().all(|s| s.seats_total.is_none()));
    }
    assert!(sessions >= formations, "{sessions} sessions");

    // Organisations by SIRET, with their address.
    let organisations: i64 = sql_count(&empty.db, "SELECT COUNT(*) FROM organisations").await;
    assert!(organisations > 0);
    assert_eq!(
        sql_count(
            &empty.db,
            "SELECT COUNT(*) FROM organisations WHERE company_number IS NULL OR external_id <> company_number"
        )
        .await,
        0
    );

    // Again: nothing changes, not a version, not an audit entry.
    let version_before = version::current(&empty.db).await.expect("version");
    let audit_before = sql_count(&empty.db, "SELECT COUNT(*) FROM audit_log").await;
    let again = import_bytes(&empty.db, "demo.xml", xml).await;
    assert_eq!(
        (again.created, again.updated, again.archived),
        (0, 0, 0),
        "{}",
        again.summary()
    );
    assert_eq!(again.unchanged, report.created, "{}", again.summary());
    assert_eq!(
        version::current(&empty.db).await.expect("version"),
        version_before
    );
    assert_eq!(
        sql_count(&empty.db, "SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );
}

/// A formation of a hand-written file: `session` is the inside of its one session.
fn formation(numero: &str, siret: &str, insee: &str, session: &str) -> String {
    format!(
        r#"<formation numero="F{numero}">
  <domaine-formation><code-FORMACODE>15041</code-FORMACODE><code-ROME>K2111</code-ROME><code-NSF>333</code-NSF></domaine-formation>
  <intitule-formation>Remise à niveau {numero}</intitule-formation>
  <objectif-formation>Reprendre confiance en ses savoirs de base.</objectif-formation>
  <resultats-attendus>Attestation</resultats-attendus>
  <contenu-formation>Français, calcul, numérique.</contenu-formation>
  <certifiante>0</certifiante>
  <contact-formation><coordonnees><nom>Camille Martin</nom><courriel>camille@of.example.org</courriel></coordonnees></contact-formation>
  <parcours-de-formation>1</parcours-de-formation>
  <code-niveau-entree>0</code-niveau-entree>
  <action numero="A{numero}">
    <rythme-formation>Temps plein</rythme-formation>
    <code-public-vise>80011</code-public-vise>
    <niveau-entree-obligatoire>0</niveau-entree-obligatoire>
    <modalites-alternance>Aucune</modalites-alternance>
    <modalites-enseignement>1</modalites-enseignement>
    <conditions-specifiques>Aucune</conditions-specifiques>
    <prise-en-charge-frais-possible>1</prise-en-charge-frais-possible>
    <modalites-entrees-sorties>0</modalites-entrees-sorties>
    <session>{session}</session>
    <extras><extra><anything>ignored</anything></extra></extras>
  </action>
  <organisme-formation-responsable>
    <numero-activite>11111111111</numero-activite>
    <SIRET-organisme-formation><SIRET>{siret}</SIRET></SIRET-organisme-formation>
    <nom-organisme>Organisme {numero}</nom-organisme>
    <raison-sociale>Organisme {numero} SAS</raison-sociale>
    <coordonnees-organisme><coordonnees><adresse>
      <ligne>12 rue de la Gare</ligne><codepostal>59000</codepostal><ville>Lille</ville>{insee}
    </adresse><telfixe><numtel>03 20 00 00 00</numtel></telfixe></coordonnees></coordonnees-organisme>
    <contact-organisme><coordonnees/></contact-organisme>
  </organisme-formation-responsable>
</formation>"#
    )
}

const OPEN_SESSION: &str = "<periode><debut>20990301</debut><fin>20990630</fin></periode>\
    <adresse-inscription><adresse><ligne>12 rue de la Gare</ligne><codepostal>59000</codepostal><ville>Lille</ville></adresse></adresse-inscription>\
    <periode-inscription><periode><debut>20990101</debut><fin>20990215</fin></periode></periode-inscription>\
    <etat-recrutement>1</etat-recrutement>\
    <recrutement><modalite-recrutement>9</modalite-recrutement><periode><debut>20990210</debut><fin>20990210</fin></periode></recrutement>";

const INSEE: &str = "<code-INSEE-commune>59350</code-INSEE-commune>";

fn file(namespace: &str, formations: &[String]) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lheo xmlns=\"{namespace}\"><offres>{}</offres></lheo>",
        formations.join("\n")
    )
    .into_bytes()
}

fn closed_session() -> String {
    OPEN_SESSION.replace(
        "<etat-recrutement>1</etat-recrutement>",
        "<etat-recrutement>2</etat-recrutement>",
    )
}

fn sample(namespace: &str) -> Vec<u8> {
    file(
        namespace,
        &[
            formation("1", "78285191000011", INSEE, OPEN_SESSION),
            // An impossible start date.
            formation(
                "2",
                "78285191000011",
                INSEE,
                &OPEN_SESSION.replace("20990301", "20991301"),
            ),
            // An organisation without its INSEE code: it, and its offer, are refused.
            formation("3", "73282932000074", "", OPEN_SESSION),
            formation("4", "78285191000011", INSEE, &closed_session()),
        ],
    )
}

fn rejected_at<'a>(report: &'a Report, position: &str) -> &'a str {
    report
        .rejected
        .iter()
        .find(|p| p.position == position)
        .map(|p| p.field.as_str())
        .unwrap_or_else(|| panic!("nothing rejected at {position}: {}", report.summary()))
}

const OFFERS: &str = r#"query ($first: Int!, $filter: OfferFilter) { offers(first: $first, filter: $filter) { totalCount edges { node {
    title kind deliveryMode fees romeCodes formacodes publics
    howToApply { channel instructions }
    provenance { source externalId }
    organisation { name companyNumber location { communeCode } }
    slots(first: 5) { startsOn endsOn registrationOpensOn registrationClosesOn infoSessionOn seatsTotal seatsRemaining recruitment status }
} } } }"#;

#[tokio::test]
async fn a_bad_formation_in_the_middle_is_reported_at_its_xpath_and_the_others_are_imported() {
    let app = TestApp::spawn_empty().await;
    let report = import_bytes(
        &app.db,
        "sample.xml",
        sample(insertion_catalogue::exchange::lheo::NAMESPACE_2_3),
    )
    .await;
    assert_eq!(report.created, 1 + 2, "{}", report.summary());
    assert_eq!(
        rejected_at(&report, "/lheo/offres/formation[2]/action[1]"),
        "session[1]/periode/debut"
    );
    assert_eq!(
        rejected_at(&report, "/lheo/offres/formation[3]"),
        "organisme-formation-responsable/coordonnees-organisme/coordonnees/adresse/code-INSEE-commune"
    );
    assert_eq!(
        rejected_at(&report, "/lheo/offres/formation[3]/action[1]"),
        "organisme-formation-responsable"
    );

    let answer = app
        .graphql(
            OFFERS,
            json!({ "first": 10, "filter": { "sources": [SOURCE] } }),
        )
        .await;
    assert_eq!(data(&answer)["offers"]["totalCount"], json!(2), "{answer}");
    let edges = data(&answer)["offers"]["edges"].as_array().expect("edges");
    let open = edges
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["provenance"]["externalId"] == "A1")
        .expect("A1");
    assert_eq!(open["kind"], json!("TRAINING"));
    assert_eq!(open["deliveryMode"], json!("HYBRID"));
    assert_eq!(open["fees"], json!("FREE"));
    assert_eq!(open["publics"], json!(["JOB_SEEKERS"]));
    assert_eq!(open["formacodes"], json!(["15041"]));
    assert_eq!(open["romeCodes"], json!(["K2111"]));
    assert_eq!(open["howToApply"][0]["channel"], json!("VISIT"));
    assert!(
        open["howToApply"][0]["instructions"]
            .as_str()
            .is_some_and(|i| i.contains("12 rue de la Gare, 59000 Lille")),
        "{open}"
    );
    assert_eq!(
        open["organisation"]["companyNumber"],
        json!("78285191000011")
    );
    assert_eq!(
        open["organisation"]["location"]["communeCode"],
        json!("59350")
    );
    assert_eq!(
        open["slots"][0],
        json!({
            "startsOn": "2099-03-01", "endsOn": "2099-06-30",
            "registrationOpensOn": "2099-01-01", "registrationClosesOn": "2099-02-15",
            "infoSessionOn": "2099-02-10",
            "seatsTotal": null, "seatsRemaining": null, "recruitment": "OPEN", "status": "OPEN"
        })
    );
    let closed = edges
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["provenance"]["externalId"] == "A4")
        .expect("A4");
    assert_eq!(closed["slots"][0]["recruitment"], json!("CLOSED"));
    assert_eq!(closed["slots"][0]["status"], json!("CLOSED"));

    // Unknown seats count as seats left while the session recruits; a closed one never does.
    let with_seats = app
        .graphql(
            OFFERS,
            json!({ "first": 11, "filter": { "sources": [SOURCE], "hasSeatsLeft": true } }),
        )
        .await;
    let titles: Vec<&serde_json::Value> = data(&with_seats)["offers"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| &e["node"]["provenance"]["externalId"])
        .collect();
    assert_eq!(titles, [&json!("A1")], "{with_seats}");
    let upcoming = app
        .graphql(
            OFFERS,
            json!({ "first": 12, "filter": { "sources": [SOURCE], "hasUpcomingSlot": true } }),
        )
        .await;
    assert_eq!(
        data(&upcoming)["offers"]["totalCount"],
        json!(2),
        "{upcoming}"
    );
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("compresses");
    encoder.finish().expect("compresses")
}

#[tokio::test]
async fn a_file_in_the_2_2_namespace_and_a_gzipped_file_import_alike() {
    let v23 = TestApp::spawn_empty().await;
    let v22 = TestApp::spawn_empty().await;
    let a = import_bytes(
        &v23.db,
        "a.xml.gz",
        gzip(&sample(insertion_catalogue::exchange::lheo::NAMESPACE_2_3)),
    )
    .await;
    let b = import_bytes(
        &v22.db,
        "b.xml",
        sample(insertion_catalogue::exchange::lheo::NAMESPACE_2_2),
    )
    .await;
    assert_eq!(a.created, 3, "{}", a.summary());
    assert_eq!(
        (b.read, b.created, b.rejected.len()),
        (a.read, a.created, a.rejected.len()),
        "{}",
        b.summary()
    );
}

#[tokio::test]
async fn a_file_that_is_not_lheo_is_refused_before_anything_is_written() {
    let app = TestApp::spawn_empty().await;
    let error = import(
        &app.db,
        Input::from_bytes("x.xml", file("http://lheo.gouv.fr/9.9", &[])).expect("input"),
        SOURCE,
        DEFAULT_SECTOR,
        &ImportOptions::new(OWN),
        |_| {},
    )
    .await
    .expect_err("refused");
    assert!(error.to_string().contains("not an LHÉO file"), "{error}");
    assert_eq!(
        sql_count(&app.db, "SELECT COUNT(*) FROM organisations").await,
        0
    );
}

#[test]
fn the_cli_imports_a_gzipped_file_and_writes_its_report_as_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());
    let file = dir.path().join("carif-test.xml.gz");
    std::fs::write(
        &file,
        gzip(&sample(insertion_catalogue::exchange::lheo::NAMESPACE_2_3)),
    )
    .expect("written");
    let report = dir.path().join("report.json");
    let output = Command::new(env!("CARGO_BIN_EXE_insertion-catalogue"))
        .args(["import", "lheo"])
        .arg(&file)
        .arg("--report")
        .arg(&report)
        .env("DATABASE_URL", &url)
        .env("DEMO_DATA", "false")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("3 created"), "{stderr}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("JSON");
    assert_eq!(report["created"], json!(3));
    let bad = report["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .find(|p| p["position"] == "/lheo/offres/formation[2]/action[1]")
        .expect("the bad formation");
    assert_eq!(bad["field"], json!("session[1]/periode/debut"));
    assert_eq!(
        bad["record"],
        json!("lheo:carif-test/A2"),
        "the source is the file's name"
    );
}
