//! The data·inclusion v1 import: a small dump in JSON lines, a JSON array, API pages and gzip
//! gives the same catalogue; fields are mapped as the README says; bad records are rejected
//! with their position and field while the rest goes on; a re-import changes nothing, a
//! changed service is updated, a full import archives what it no longer lists; and what the
//! exporter writes, the importer takes back whole.
use std::io::Write;

use insertion_catalogue::catalogue::version;
use insertion_catalogue::exchange::bundle::import::ImportOptions;
use insertion_catalogue::exchange::data_inclusion::Dataset;
use insertion_catalogue::exchange::data_inclusion::export::Export;
use insertion_catalogue::exchange::data_inclusion::import::{DEFAULT_SECTOR, Input, import};
use insertion_catalogue::exchange::report::Report;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};

use crate::helpers::{TestApp, data, sql_count};

const SOURCE: &str = "catalogue-insertion";

fn structures() -> Vec<Value> {
    vec![
        json!({
            "source": "dora", "id": "dora--s1", "nom": "Chantier du Nord",
            "siret": "78285191000011", "adresse": "12 rue de la Gare", "complement_adresse": null,
            "code_postal": "59000", "commune": "Lille", "code_insee": "59350",
            "latitude": 50.63, "longitude": 3.06,
            "courriel": "contact@chantier-du-nord.example.org", "telephone": "03 20 00 00 00",
            "site_web": "https://chantier-du-nord.example.org",
            "horaires_accueil": "Mo-Fr 09:00-17:00",
            "accessibilite_lieu": "https://acceslibre.beta.gouv.fr/app/59-lille/a/chantier/erp/chantier-du-nord/",
            "reseaux_porteurs": ["aci", "adie"], "description": "Un atelier et chantier d'insertion.",
            "date_maj": "2026-03-01", "lien_source": "https://dora.inclusion.beta.gouv.fr/structures/s1",
            "doublons": []
        }),
        json!({
            "source": "dora", "id": "dora--s2", "nom": "Association Arras Avenir",
            "adresse": "3 place des Héros", "code_postal": "62000", "commune": "Arras",
            "code_insee": "62041", "date_maj": "2026-02-10"
        }),
        // No commune code: an organisation of ours needs one.
        json!({
            "source": "dora", "id": "dora--s3", "nom": "Sans commune",
            "adresse": "1 rue Haute", "code_postal": "62000", "commune": "Arras",
            "date_maj": "2026-02-10"
        }),
    ]
}

fn services() -> Vec<Value> {
    vec![
        json!({
            "source": "dora", "id": "dora--sv1", "structure_id": "dora--s1",
            "nom": "Formation aux métiers des espaces verts",
            "description": "Douze semaines pour apprendre l'entretien des parcs et jardins.",
            "type": "formation",
            "thematiques": ["se-former--trouver-sa-formation", "choisir-un-metier--confirmer-son-choix-de-metier"],
            "publics": ["jeunes", "demandeurs-emploi"], "publics_precisions": "De 18 à 25 ans.",
            "frais": "payant", "frais_precisions": "10 € d'adhésion.",
            "conditions_acces": "Savoir nager.",
            "modes_accueil": ["en-presentiel"], "zone_eligibilite": ["59350", "59512"],
            "volume_horaire_hebdomadaire": 35, "nombre_semaines": 12,
            "modes_mobilisation": ["envoyer-un-courriel", "utiliser-lien-mobilisation"],
            "lien_mobilisation": "https://chantier-du-nord.example.org/candidater",
            "mobilisable_par": ["professionnels"], "mobilisation_precisions": "Joindre un CV.",
            "contact_nom_prenom": "Camille Martin", "courriel": "formation@chantier-du-nord.example.org",
            "telephone": "03 20 00 00 01",
            "adresse": "12 rue de la Gare", "code_postal": "59000", "commune": "Lille", "code_insee": "59350",
            "latitude": 50.63, "longitude": 3.06,
            "date_maj": "2026-03-02", "lien_source": "https://dora.inclusion.beta.gouv.fr/services/sv1"
        }),
        json!({
            "source": "dora", "id": "dora--sv2", "structure_id": "dora--s2",
            "nom": "Atelier numérique", "description": "Apprendre à se servir d'un ordinateur.",
            "type": "atelier", "thematiques": ["numerique--maitriser-les-fondamentaux-du-numerique"],
            "publics": ["tous-publics"], "frais": "gratuit",
            "modes_accueil": ["a-distance", "en-presentiel"], "zone_eligibilite": ["62"],
            "adresse": "8 rue Saint-Aubert", "code_postal": "62000", "commune": "Arras", "code_insee": "62041",
            "date_maj": "2026-02-11"
        }),
        json!({
            "source": "dora", "id": "dora--sv3", "structure_id": "dora--s2",
            "nom": "Accompagnement vers l'emploi", "description": "Un conseiller vous suit chaque semaine.",
            "type": "accompagnement", "modes_accueil": ["a-distance"], "zone_eligibilite": ["france"],
            "date_maj": "2026-02-12"
        }),
        // Not a type of the schema.
        json!({
            "source": "dora", "id": "dora--sv4", "structure_id": "dora--s1",
            "nom": "Service inconnu", "description": "Un type qui n'existe pas.",
            "type": "inconnu", "date_maj": "2026-02-12"
        }),
        // Its structure was rejected.
        json!({
            "source": "dora", "id": "dora--sv5", "structure_id": "dora--s3",
            "nom": "Service orphelin", "description": "Sa structure n'a pas pu être importée.",
            "date_maj": "2026-02-12"
        }),
    ]
}

/// JSON lines, with a line that is not JSON after the records.
fn json_lines(records: &[Value]) -> Vec<u8> {
    let mut text: String = records.iter().map(|r| format!("{r}\n")).collect();
    text.push_str("{\"source\": \"dora\", \"id\": \n");
    text.into_bytes()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("compresses");
    encoder.finish().expect("compresses")
}

async fn import_bytes(
    db: &DatabaseConnection,
    structures: (&str, Vec<u8>),
    services: (&str, Vec<u8>),
    options: &ImportOptions,
) -> Report {
    import(
        db,
        Input::from_bytes(structures.0, structures.1).expect("structures"),
        Input::from_bytes(services.0, services.1).expect("services"),
        DEFAULT_SECTOR,
        options,
        |_| {},
    )
    .await
    .expect("import runs")
}

async fn import_dump(db: &DatabaseConnection, services: &[Value], full: bool) -> Report {
    let options = ImportOptions {
        full,
        ..ImportOptions::new(SOURCE)
    };
    import_bytes(
        db,
        ("structures.json", json_lines(&structures())),
        ("services.json", json_lines(services)),
        &options,
    )
    .await
}

fn rejected_at(report: &Report, position: &str) -> (String, String) {
    let problem = report
        .rejected
        .iter()
        .find(|p| p.position == position)
        .unwrap_or_else(|| panic!("nothing rejected at {position}: {}", report.summary()));
    (problem.field.clone(), problem.reason.clone())
}

/// Asked with a different `$first` after each import: the response cache may be up to a
/// second behind a write made outside the server.
const OFFERS: &str = r#"query ($first: Int!) { offers(first: $first, filter: { sources: ["data-inclusion:dora"] }) { totalCount edges { node {
    title kind status deliveryMode themes publics publicsDetails fees feesDetails weeklyHours durationWeeks
    sector { code } mobilisablePar
    location { communeCode city }
    howToApply { channel value instructions }
    eligibilityConditions { kind mandatory description zone { kind codes } }
    provenance { source externalId url importedAt }
    organisation { name kind companyNumber provenance { source externalId url } }
} } } }"#;

fn offer<'a>(answer: &'a Value, title: &str) -> &'a Value {
    data(answer)["offers"]["edges"]
        .as_array()
        .and_then(|edges| edges.iter().find(|e| e["node"]["title"] == title))
        .map(|e| &e["node"])
        .unwrap_or_else(|| panic!("no offer {title:?} in {answer}"))
}

#[tokio::test]
async fn a_dump_is_imported_mapped_and_kept_in_sync_and_bad_records_are_reported() {
    let app = TestApp::spawn_empty().await;
    let report = import_dump(&app.db, &services(), false).await;
    assert_eq!(report.read, 4 + 6, "{}", report.summary());
    assert_eq!(report.created, 2 + 3, "{}", report.summary());
    assert_eq!(report.rejected.len(), 5, "{}", report.summary());
    assert_eq!(
        rejected_at(&report, "structures.json line 3").0,
        "code_insee"
    );
    rejected_at(&report, "structures.json line 4");
    assert_eq!(rejected_at(&report, "services.json line 4").0, "type");
    assert_eq!(
        rejected_at(&report, "services.json line 5").0,
        "organisation"
    );
    rejected_at(&report, "services.json line 6");

    let answer = app.graphql(OFFERS, json!({ "first": 11 })).await;
    assert_eq!(data(&answer)["offers"]["totalCount"], json!(3), "{answer}");
    let training = offer(&answer, "Formation aux métiers des espaces verts");
    assert_eq!(training["kind"], json!("TRAINING"));
    assert_eq!(training["status"], json!("PUBLISHED"));
    assert_eq!(training["deliveryMode"], json!("ON_SITE"));
    assert_eq!(training["sector"]["code"], json!("GREEN_SPACES"));
    assert_eq!(
        training["themes"],
        json!([
            "choisir-un-metier--confirmer-son-choix-de-metier",
            "se-former--trouver-sa-formation"
        ])
    );
    assert_eq!(training["publics"].as_array().map(Vec::len), Some(2));
    assert_eq!(training["publicsDetails"], json!("De 18 à 25 ans."));
    assert_eq!(training["fees"], json!("PAID"));
    assert_eq!(training["feesDetails"], json!("10 € d'adhésion."));
    assert_eq!(training["weeklyHours"], json!(35.0));
    assert_eq!(training["durationWeeks"], json!(12));
    assert_eq!(training["mobilisablePar"], json!(["PROFESSIONALS"]));
    assert_eq!(training["location"]["communeCode"], json!("59350"));
    assert_eq!(
        training["howToApply"][0],
        json!({ "channel": "EMAIL", "value": "formation@chantier-du-nord.example.org", "instructions": "Joindre un CV." })
    );
    assert_eq!(training["howToApply"][1]["channel"], json!("ONLINE"));
    let conditions = training["eligibilityConditions"]
        .as_array()
        .expect("a list");
    assert_eq!(conditions.len(), 2, "{conditions:?}");
    assert_eq!(
        conditions[0]["zone"],
        json!({ "kind": "COMMUNES", "codes": ["59350", "59512"] })
    );
    assert_eq!(conditions[0]["mandatory"], json!(true));
    assert_eq!(
        (&conditions[1]["kind"], &conditions[1]["description"]),
        (&json!("FREE_TEXT"), &json!("Savoir nager."))
    );
    let provenance = &training["provenance"];
    assert_eq!(provenance["source"], json!("data-inclusion:dora"));
    assert_eq!(provenance["externalId"], json!("dora--sv1"));
    assert_eq!(
        provenance["url"],
        json!("https://dora.inclusion.beta.gouv.fr/services/sv1")
    );
    let organisation = &training["organisation"];
    assert_eq!(organisation["kind"], json!("ACI"));
    assert_eq!(organisation["companyNumber"], json!("78285191000011"));
    assert_eq!(organisation["provenance"]["externalId"], json!("dora--s1"));

    let workshop = offer(&answer, "Atelier numérique");
    assert_eq!(workshop["kind"], json!("WORKSHOP"));
    assert_eq!(workshop["deliveryMode"], json!("HYBRID"));
    assert_eq!(workshop["sector"]["code"], json!("DIGITAL"));
    assert_eq!(workshop["publics"], json!(["EVERYONE"]));
    assert_eq!(workshop["fees"], json!("FREE"));
    assert_eq!(workshop["organisation"]["kind"], json!("OTHER"));
    assert_eq!(
        workshop["eligibilityConditions"][0]["zone"],
        json!({ "kind": "DEPARTEMENTS", "codes": ["62"] })
    );
    let support = offer(&answer, "Accompagnement vers l'emploi");
    assert_eq!(support["kind"], json!("SUPPORT_PROGRAMME"));
    assert_eq!(support["deliveryMode"], json!("REMOTE"));
    assert_eq!(support["sector"]["code"], json!(DEFAULT_SECTOR));
    assert_eq!(
        support["eligibilityConditions"],
        json!([]),
        "france: no zone"
    );

    // Again: nothing changes, not a version, not an audit entry.
    let version_before = version::current(&app.db).await.expect("version");
    let again = import_dump(&app.db, &services(), false).await;
    assert_eq!(again.unchanged, 5, "{}", again.summary());
    assert_eq!((again.created, again.updated, again.archived), (0, 0, 0));
    assert_eq!(
        version::current(&app.db).await.expect("version"),
        version_before
    );
    assert_eq!(
        sql_count(&app.db, "SELECT COUNT(*) FROM audit_log").await,
        0
    );

    // The source changes a service: updated, audited by the import.
    let mut changed = services();
    changed[2]["nom"] = json!("Accompagnement renforcé vers l'emploi");
    changed[2]["date_maj"] = json!("2026-04-01");
    let report = import_dump(&app.db, &changed, false).await;
    assert_eq!(
        (report.updated, report.unchanged),
        (1, 4),
        "{}",
        report.summary()
    );
    assert_eq!(
        sql_count(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity_type = 'Offer'"
        )
        .await,
        1
    );
    let answer = app.graphql(OFFERS, json!({ "first": 12 })).await;
    offer(&answer, "Accompagnement renforcé vers l'emploi");

    // A full import that no longer lists the workshop archives it (and only it).
    let without: Vec<Value> = changed
        .into_iter()
        .filter(|s| s["id"] != "dora--sv2")
        .collect();
    let report = import_dump(&app.db, &without, true).await;
    assert_eq!(report.archived, 1, "{}", report.summary());
    let answer = app.graphql(OFFERS, json!({ "first": 13 })).await;
    assert_eq!(data(&answer)["offers"]["totalCount"], json!(2), "{answer}");
    assert_eq!(
        sql_count(
            &app.db,
            "SELECT COUNT(*) FROM offers WHERE external_id = 'dora--sv2' AND status = 'ARCHIVED'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_gzipped_json_array_and_api_pages_give_the_same_catalogue() {
    let array = TestApp::spawn_empty().await;
    let mut services_array = serde_json::to_vec_pretty(&services()).expect("JSON");
    // A record that is an object but not a service.
    services_array.splice(1..1, b"{\"source\": \"dora\", \"id\": 42},".iter().copied());
    let report = import_bytes(
        &array.db,
        (
            "structures.json.gz",
            gzip(&serde_json::to_vec(&structures()).expect("JSON")),
        ),
        ("services.json.gz", gzip(&services_array)),
        &ImportOptions::new(SOURCE),
    )
    .await;
    assert_eq!(report.created, 5, "{}", report.summary());
    assert_eq!(
        rejected_at(&report, "services.json.gz [0]").0,
        "id",
        "{}",
        report.summary()
    );
    assert_eq!(rejected_at(&report, "services.json.gz [4]").0, "type");
    assert_eq!(
        rejected_at(&report, "structures.json.gz [2]").0,
        "code_insee"
    );

    let pages = TestApp::spawn_empty().await;
    let page = |items: &[Value], page: usize| {
        json!({ "items": items, "total": items.len(), "page": page, "size": 100 }).to_string()
    };
    let all = services();
    let services_pages = format!("{}\n{}\n", page(&all[..2], 1), page(&all[2..], 2));
    let report = import_bytes(
        &pages.db,
        ("structures.json", page(&structures(), 1).into_bytes()),
        ("services.json", services_pages.into_bytes()),
        &ImportOptions::new(SOURCE),
    )
    .await;
    assert_eq!(report.created, 5, "{}", report.summary());
    assert_eq!(
        rejected_at(&report, "services.json page 2 items[1]").0,
        "type"
    );
}

#[tokio::test]
async fn what_the_exporter_writes_the_importer_takes_back_whole() {
    let demo = TestApp::spawn_with_demo().await;
    let mut files = Vec::new();
    for dataset in [Dataset::Structures, Dataset::Services] {
        let mut export = Export::new(demo.db.clone(), dataset, SOURCE);
        let mut out = Vec::new();
        while let Some(page) = export.next_page().await.expect("a page") {
            out.extend_from_slice(&page);
        }
        files.push(out);
    }
    let services = files.pop().expect("services");
    let structures = files.pop().expect("structures");
    let exported_services = services.iter().filter(|b| **b == b'\n').count();
    let exported_structures = structures.iter().filter(|b| **b == b'\n').count();
    assert!(exported_services > 300, "{exported_services}");

    // Belgian structures leave the export without postal and commune codes (the schema's are
    // French): they, and only they, cannot come back, nor their services.
    let belgian: Vec<String> = structures
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice::<Value>(line).expect("JSON"))
        .filter(|s| s["code_postal"].is_null())
        .map(|s| {
            // Each record is given back under its own producer (`demo` for the demo).
            format!(
                "data-inclusion:{}/{}",
                s["source"].as_str().unwrap_or_default(),
                s["id"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert!(!belgian.is_empty());

    let copy = TestApp::spawn_empty().await;
    let report = import_bytes(
        &copy.db,
        ("structures.jsonl", structures),
        ("services.jsonl", services),
        &ImportOptions::new(SOURCE),
    )
    .await;
    let mut orphans = 0;
    for problem in &report.rejected {
        let record = problem.record.clone().unwrap_or_default();
        if problem.position.starts_with("structures") {
            assert!(belgian.contains(&record), "{}", report.summary());
            assert_eq!(problem.field, "code_postal");
        } else {
            assert_eq!(problem.field, "organisation", "{}", report.summary());
            assert!(
                belgian.iter().any(|b| problem.reason.contains(b)),
                "{}",
                report.summary()
            );
            orphans += 1;
        }
    }
    assert_eq!(
        report.rejected.len(),
        belgian.len() + orphans,
        "{}",
        report.summary()
    );
    assert_eq!(
        report.created + report.rejected.len(),
        exported_structures + exported_services,
        "{}",
        report.summary()
    );
    assert!(report.created > 450, "{}", report.summary());
}
