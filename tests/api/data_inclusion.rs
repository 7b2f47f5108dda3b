//! The data·inclusion v1 export: valid against the official schemas, the same over HTTP and
//! the command line, published data only, and mapped field by field as the README says.
use std::collections::HashSet;
use std::process::Command;

use entity::enums::{ConditionKind, Fees, OfferStatus, ZoneKind};
use entity::offer;
use insertion_catalogue::exchange::data_inclusion::Dataset;
use insertion_catalogue::exchange::data_inclusion::export::Export;
use insertion_catalogue::seed::model::SeedCondition;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::fixture;
use crate::helpers::TestApp;

/// A validator of the official schema file, read from the repository as a partner would,
/// with formats (`email`, `uri`, `date`) checked.
fn official_validator(file: &str) -> jsonschema::Validator {
    let path = format!(
        "{}/reference/data-inclusion-schema-v1/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("schema file")).expect("JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the official schema compiles")
}

fn lines(body: &str) -> Vec<Value> {
    body.lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON record"))
        .collect()
}

async fn over_http(app: &TestApp, dataset: &str) -> String {
    let response = app.get(&format!("/exports/data-inclusion/{dataset}")).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().ok(),
        Some("application/x-ndjson")
    );
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .is_ok_and(|value| value.starts_with("public, max-age=")),
        "{:?}",
        response.headers()
    );
    response.text().await.expect("body")
}

fn by_name<'a>(records: &'a [Value], name: &str) -> &'a Value {
    records
        .iter()
        .find(|record| record["nom"] == name)
        .unwrap_or_else(|| panic!("no record named {name:?} in {records:#?}"))
}

#[tokio::test]
async fn every_exported_record_of_the_demo_validates_against_the_official_schemas() {
    let app = TestApp::spawn_with_demo().await;
    let published = offer::Entity::find()
        .filter(offer::Column::Status.eq(OfferStatus::Published))
        .count(&app.db)
        .await
        .expect("count");
    assert!(published > 400, "the demo catalogue is loaded");
    let mut structure_ids = HashSet::new();
    for (dataset, file) in [
        (Dataset::Structures, "structure.json"),
        (Dataset::Services, "service.json"),
    ] {
        let validator = official_validator(file);
        // Pages smaller than the default, so that the walk crosses many page boundaries.
        let mut export = Export::new(
            app.db.clone(),
            dataset,
            app.settings.catalogue_source.clone(),
        )
        .with_page_size(37);
        let mut records = Vec::new();
        while let Some(page) = export.next_page().await.expect("page") {
            records.extend(lines(std::str::from_utf8(&page).expect("UTF-8")));
        }
        for record in &records {
            let errors: Vec<String> = validator
                .iter_errors(record)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{errors:#?} in {record:#}");
            // The demo's records are given back under their own source, with their ids there.
            assert_eq!(record["source"], "demo");
            assert!(
                record["id"]
                    .as_str()
                    .is_some_and(|id| id.starts_with("demo--")),
                "{record}"
            );
        }
        // Nothing had to be left null or skipped to get there: the mapping fits by itself.
        let report = export.report();
        assert_eq!(report.skipped, 0, "{report:?}");
        assert!(report.nulled.is_empty(), "{report:?}");
        assert_eq!(report.written, records.len() as u64);
        let ids: HashSet<&str> = records.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(ids.len(), records.len(), "ids are unique");
        match dataset {
            Dataset::Structures => {
                structure_ids = ids.iter().map(|id| (*id).to_owned()).collect();
            }
            Dataset::Services => {
                assert_eq!(records.len() as u64, published, "every published offer");
                for record in &records {
                    let structure = record["structure_id"].as_str().unwrap_or_default();
                    assert!(structure_ids.contains(structure), "{structure} is exported");
                }
            }
        }
    }
}

#[tokio::test]
async fn the_http_endpoints_and_the_command_line_give_the_same_records() {
    let app = TestApp::spawn_with_demo().await;
    let structures = over_http(&app, "structures").await;
    let services = over_http(&app, "services").await;
    assert!(structures.lines().count() > 100 && services.lines().count() > 400);

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("structures.jsonl");
    let output = Command::new(env!("CARGO_BIN_EXE_insertion-catalogue"))
        .args(["export", "data-inclusion", "--structures"])
        .arg(&file)
        .args(["--services", "-"])
        .env("DATABASE_URL", &app.settings.database_url)
        .env("DEMO_DATA", "false")
        // Logs go to standard error: at info level they must not mix with the records.
        .env("RUST_LOG", "info")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let written = std::fs::read_to_string(&file).expect("structures file");
    assert_eq!(lines(&written), lines(&structures));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(lines(&stdout), lines(&services));
    assert!(
        stderr.contains(&format!(
            "services: {} written, 0 skipped",
            services.lines().count()
        )),
        "{stderr}"
    );
    assert!(
        !dir.path().join("structures.partial").exists(),
        "no partial file is left"
    );
}

#[tokio::test]
async fn a_draft_offer_is_not_exported_nor_its_organisation_when_it_has_nothing_else() {
    let app = TestApp::spawn_empty().await;
    let (organisations, offers) = fixture::catalogue();
    app.load(&organisations, offers).await;
    offer::Entity::update_many()
        .col_expr(
            offer::Column::Status,
            Expr::value(OfferStatus::Draft.code()),
        )
        .filter(offer::Column::Title.eq("Formation menuiserie"))
        .exec(&app.db)
        .await
        .expect("made a draft");

    let services = lines(&over_http(&app, "services").await);
    let structures = lines(&over_http(&app, "structures").await);
    assert_eq!(services.len(), 4);
    assert!(services.iter().all(|s| s["nom"] != "Formation menuiserie"));
    assert_eq!(structures.len(), 3);
    assert!(
        structures
            .iter()
            .all(|s| s["nom"] != "Menuiserie Solidaire")
    );
}

#[tokio::test]
async fn zones_fees_kinds_and_belgian_codes_are_mapped_as_documented() {
    let app = TestApp::spawn_empty().await;
    let (organisations, mut offers) = fixture::catalogue();
    let condition = |kind, mandatory, description: &str| SeedCondition {
        kind,
        mandatory,
        description: description.into(),
        min_age: None,
        max_age: None,
        min_months_registered: None,
        max_diploma_level: None,
        zone_kind: None,
        zone_codes: vec![],
        language_level: None,
    };
    let velo = &mut offers[0];
    velo.fees = Fees::Paid;
    let mut zone = condition(
        ConditionKind::ResidenceZone,
        true,
        "Résider à Lille ou Roubaix.",
    );
    zone.zone_kind = Some(ZoneKind::Communes);
    zone.zone_codes = vec!["59512".into(), "59350".into()];
    velo.conditions = vec![
        zone,
        condition(ConditionKind::FreeText, false, "Aimer bricoler."),
    ];
    app.load(&organisations, offers).await;
    offer::Entity::update_many()
        .col_expr(
            offer::Column::FeesDetails,
            Expr::value("10 € d'adhésion annuelle"),
        )
        .filter(offer::Column::Title.eq("Mécanicien·ne vélo"))
        .exec(&app.db)
        .await
        .expect("fees details");

    let services = lines(&over_http(&app, "services").await);
    let velo = by_name(&services, "Mécanicien·ne vélo");
    assert_eq!(velo["type"], "formation");
    assert_eq!(velo["frais"], "payant");
    assert_eq!(velo["frais_precisions"], "10 € d'adhésion annuelle");
    assert_eq!(
        velo["zone_eligibilite"],
        serde_json::json!(["59350", "59512"])
    );
    // The zone is said by its codes; only the other condition is left in words.
    assert_eq!(velo["conditions_acces"], "Souhaité : Aimer bricoler.");
    assert_eq!(
        velo["publics"],
        serde_json::json!(["demandeurs-emploi", "jeunes"])
    );
    assert_eq!(velo["modes_accueil"], serde_json::json!(["en-presentiel"]));
    assert_eq!(
        velo["modes_mobilisation"],
        serde_json::json!(["se-presenter"])
    );
    assert_eq!(velo["code_insee"], "59350");
    assert_eq!(velo["volume_horaire_hebdomadaire"], 26.0);
    assert_eq!(velo["nombre_semaines"], 12);
    let job = by_name(&services, "Agent·e de déconstruction");
    assert_eq!(job["type"], "accompagnement");
    assert_eq!(job["frais"], "gratuit");
    assert!(job["zone_eligibilite"].is_null());
    let remote = by_name(&services, "Réemploi D3E à distance");
    assert_eq!(remote["modes_accueil"], serde_json::json!(["a-distance"]));
    // An offer without a place of its own is at its organisation's.
    assert_eq!(remote["commune"], "Roubaix");
    let workshop = by_name(&services, "Découverte du numérique");
    assert_eq!(workshop["type"], "atelier");
    assert_eq!(workshop["publics"], serde_json::json!(["tous-publics"]));
    // Liège: a Belgian commune code is not an INSEE code, a 4-digit postal code does not fit.
    assert!(workshop["code_insee"].is_null() && workshop["code_postal"].is_null());
    assert_eq!(workshop["commune"], "Liège");

    let structures = lines(&over_http(&app, "structures").await);
    let atelier = by_name(&structures, "Atelier Vélo Solidaire");
    assert_eq!(atelier["siret"], "12345678900011");
    assert_eq!(atelier["code_insee"], "59350");
    assert_eq!(atelier["horaires_accueil"], "Mo-Fr 09:00-17:00");
    // The SIAE kind survives as a network, v1 having no typology field.
    assert_eq!(atelier["reseaux_porteurs"], serde_json::json!(["aci"]));
    assert_eq!(velo["structure_id"], atelier["id"]);
    let cisp = by_name(&structures, "CISP Liège Formation");
    // A BCE number is not a SIRET.
    assert!(cisp["siret"].is_null() && cisp["code_insee"].is_null());
    assert!(cisp["reseaux_porteurs"].is_null());
}
