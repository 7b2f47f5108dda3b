//! The command line: `admin create-client` prints the key alone, and the key works at once.
use std::process::Command;

fn run(database_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_insertion-catalogue"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("DEMO_DATA", "false")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

#[test]
fn admin_commands_create_list_and_revoke_clients() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());

    let created = run(
        &url,
        &[
            "admin",
            "create-client",
            "--name",
            "mon-site",
            "--role",
            "PARTNER",
            "--origin",
            "https://emploi.example.org",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let stdout = String::from_utf8(created.stdout).expect("utf-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the key alone on stdout: {stdout:?}");
    assert!(
        lines[0].starts_with("icat_") && lines[0].len() > 40,
        "{}",
        lines[0]
    );

    let again = run(
        &url,
        &[
            "admin",
            "create-client",
            "--name",
            "mon-site",
            "--role",
            "PARTNER",
        ],
    );
    assert!(!again.status.success(), "a name is unique");

    let editor = run(
        &url,
        &[
            "admin",
            "create-client",
            "--name",
            "editeur",
            "--role",
            "EDITOR",
            "--organisation",
            "42",
        ],
    );
    assert!(
        !editor.status.success(),
        "an unknown organisation is refused"
    );

    let listed = String::from_utf8(run(&url, &["admin", "list-clients"]).stdout).expect("utf-8");
    assert!(
        listed.contains("mon-site\tPARTNER") && listed.contains("active"),
        "{listed}"
    );
    assert!(!listed.contains(lines[0]), "the key is never shown again");

    assert!(
        run(&url, &["admin", "revoke-client", "mon-site"])
            .status
            .success()
    );
    let listed = String::from_utf8(run(&url, &["admin", "list-clients"]).stdout).expect("utf-8");
    assert!(listed.contains("revoked"), "{listed}");
    assert!(
        !run(&url, &["admin", "revoke-client", "nobody"])
            .status
            .success()
    );
}

#[test]
fn maintenance_stale_lists_and_suspends_each_stale_offer_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());
    assert!(run(&url, &["migrate"]).status.success());
    // A published offer last verified two years ago, and one verified yesterday.
    let now = chrono::Utc::now();
    let old = (now - chrono::Duration::days(730)).to_rfc3339();
    let recent = (now - chrono::Duration::days(1)).to_rfc3339();
    let statements = [
        "INSERT INTO organisations (id, name, kind, country, address, postal_code, city, commune_code, networks, search_text, created_at, updated_at, version) \
         VALUES (1, 'Atelier', 'ACI', 'FR', '1 rue de la Gare', '59000', 'Lille', '59350', '[]', 'atelier', ?1, ?1, 1)".to_owned(),
        "INSERT INTO offers (id, organisation_id, title, summary, description, kind, sector_code, status, delivery_mode, country, fees, how_to_apply, created_at, updated_at, verified_at, version) \
         VALUES (1, 1, 'Offre oubliée', '', '', 'TRAINING', 'BIKE_REPAIR', 'PUBLISHED', 'ON_SITE', 'FR', 'gratuit', '[]', ?1, ?1, ?1, 1), \
                (2, 1, 'Offre suivie', '', '', 'TRAINING', 'BIKE_REPAIR', 'PUBLISHED', 'ON_SITE', 'FR', 'gratuit', '[]', ?1, ?1, ?2, 1)".to_owned(),
    ];
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let db = Database::connect(&url).await.expect("connect");
        for sql in &statements {
            db.execute_raw(Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Sqlite,
                sql,
                [old.clone().into(), recent.clone().into()],
            ))
            .await
            .expect("insert");
        }
    });

    let dry = run(&url, &["maintenance", "stale", "--dry-run"]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let listed = String::from_utf8(dry.stdout).expect("utf-8");
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(listed.contains("Offre oubliée"), "{listed}");
    assert!(String::from_utf8_lossy(&dry.stderr).contains("would suspend 1"));

    let suspended = run(&url, &["maintenance", "stale", "--older-than-months", "12"]);
    assert!(
        suspended.status.success(),
        "{}",
        String::from_utf8_lossy(&suspended.stderr)
    );
    assert!(String::from_utf8_lossy(&suspended.stdout).contains("Offre oubliée"));
    let again = run(&url, &["maintenance", "stale"]);
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        "",
        "nothing left to suspend"
    );
    let refused = run(&url, &["maintenance", "stale", "--older-than-months", "0"]);
    assert!(!refused.status.success());
}

#[test]
fn admin_register_queries_prints_each_files_hash_and_refuses_a_document_that_does_not_parse() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());
    let good = dir.path().join("titles.graphql");
    let text = "query Titles { offers(first: 5) { nodes { id title } } }\n";
    std::fs::write(&good, text).expect("written");
    let good = good.display().to_string();

    let registered = run(&url, &["admin", "register-queries", &good]);
    assert!(
        registered.status.success(),
        "{}",
        String::from_utf8_lossy(&registered.stderr)
    );
    let stdout = String::from_utf8(registered.stdout).expect("utf-8");
    let expected = insertion_catalogue::http::persisted_queries::sha256_hex(text);
    assert_eq!(stdout, format!("{expected}\t{good}\n"));
    assert!(
        run(&url, &["admin", "register-queries", &good])
            .status
            .success(),
        "registering again is harmless"
    );

    let bad = dir.path().join("broken.graphql");
    std::fs::write(&bad, "query { offers(first: 5) { nodes { id ").expect("written");
    let refused = run(
        &url,
        &["admin", "register-queries", &bad.display().to_string()],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("broken.graphql") && stderr.contains("does not parse"),
        "{stderr}"
    );
}

#[test]
fn maintenance_duplicates_counts_then_records_each_pair_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());
    assert!(run(&url, &["migrate"]).status.success());
    // The same workshop from two sources, and a third offer of the same place that differs.
    let now = chrono::Utc::now().to_rfc3339();
    let statements = [
        "INSERT INTO organisations (id, name, kind, country, address, postal_code, city, commune_code, networks, search_text, created_at, updated_at, version) \
         VALUES (1, 'Atelier', 'ACI', 'FR', '1 rue de la Gare', '59000', 'Lille', '59350', '[]', 'atelier', ?1, ?1, 1)",
        "INSERT INTO offers (id, organisation_id, title, summary, description, kind, sector_code, status, delivery_mode, country, fees, how_to_apply, created_at, updated_at, version, source) \
         VALUES (1, 1, 'Atelier vélo solidaire', '', '', 'WORKSHOP', 'BIKE_REPAIR', 'PUBLISHED', 'ON_SITE', 'FR', 'gratuit', '[]', ?1, ?1, 1, 'manual'), \
                (2, 1, 'ATELIER VÉLO SOLIDAIRE', '', '', 'WORKSHOP', 'BIKE_REPAIR', 'PUBLISHED', 'ON_SITE', 'FR', 'gratuit', '[]', ?1, ?1, 1, 'data-inclusion:dora'), \
                (3, 1, 'Atelier bois', '', '', 'WORKSHOP', 'BIKE_REPAIR', 'PUBLISHED', 'ON_SITE', 'FR', 'gratuit', '[]', ?1, ?1, 1, 'data-inclusion:dora')",
    ];
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let pairs = || {
        runtime.block_on(async {
            use sea_orm::{ConnectionTrait, Database, Statement};
            let db = Database::connect(&url).await.expect("connect");
            db.query_one_raw(Statement::from_string(
                sea_orm::DatabaseBackend::Sqlite,
                "SELECT COUNT(*) FROM offer_duplicates WHERE offer_id = 1 AND duplicate_id = 2",
            ))
            .await
            .expect("count")
            .expect("row")
            .try_get_by_index::<i64>(0)
            .expect("count")
        })
    };
    runtime.block_on(async {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let db = Database::connect(&url).await.expect("connect");
        for sql in statements {
            db.execute_raw(Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Sqlite,
                sql,
                [now.clone().into()],
            ))
            .await
            .expect("insert");
        }
    });
    let dry = run(&url, &["maintenance", "duplicates", "--dry-run"]);
    let said = String::from_utf8_lossy(&dry.stderr).to_string();
    assert!(
        dry.status.success() && said.contains("1 pairs of duplicates, 1 new"),
        "{said}"
    );
    assert_eq!(pairs(), 0, "a dry run records nothing");
    for expected in ["1 new", "0 new"] {
        let done = run(&url, &["maintenance", "duplicates"]);
        let said = String::from_utf8_lossy(&done.stderr).to_string();
        assert!(done.status.success() && said.contains(expected), "{said}");
    }
    assert_eq!(pairs(), 1);
}

/// An import suggests at once the duplicates it brings: a course another source lists under
/// the same company number (in another town) is paired; the same title at a neighbour with
/// another name is not; a re-import that writes nothing compares nothing.
#[test]
fn an_import_suggests_the_duplicates_it_brings() {
    use serde_json::{Value, json};
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());
    assert!(run(&url, &["migrate"]).status.success());
    let (header, organisation, offer) = crate::helpers::demo_records();
    let bundle = |source: &str, adjust: &dyn Fn(&mut Value)| {
        let mut o = organisation.clone();
        o["source"] = json!(source);
        o["external_id"] = json!("structure");
        adjust(&mut o);
        let mut f = offer.clone();
        f["source"] = json!(source);
        f["external_id"] = json!("offre");
        f["organisation"] = json!({ "source": source, "external_id": "structure" });
        f["slots"] = json!([]);
        f["testimonials"] = json!([]);
        let path = dir
            .path()
            .join(format!("{}.jsonl", source.replace(':', "-")));
        let text = format!(
            "{header}\n{}\n{}\n",
            json!({ "organisation": o }),
            json!({ "offer": f })
        );
        std::fs::write(&path, text).expect("write the bundle");
        path
    };
    let import = |path: &std::path::Path| -> Value {
        let report = dir.path().join("report.json");
        let out = run(
            &url,
            &[
                "import",
                "bundle",
                path.to_str().expect("path"),
                "--report",
                report.to_str().expect("path"),
            ],
        );
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{said}");
        let report: Value =
            serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("JSON");
        assert_eq!(report["rejected"], json!([]), "{said}");
        report
    };
    let first = bundle("data-inclusion:dora", &|_| {});
    assert_eq!(import(&first)["duplicates_suggested"], 0);
    let same_company_in_lille = bundle("lheo:carif", &|o| {
        o["name"] = json!("Vélos du Nord");
        o["city"] = json!("Lille");
        o["postal_code"] = json!("59000");
        o["commune_code"] = json!("59350");
        o["latitude"] = json!(50.6329);
        o["longitude"] = json!(3.0583);
    });
    assert_eq!(import(&same_company_in_lille)["duplicates_suggested"], 1);
    let neighbour = bundle("lheo:autre", &|o| {
        o["name"] = json!("Menuiserie Nord Emploi");
        o.as_object_mut().expect("object").remove("company_number");
    });
    assert_eq!(import(&neighbour)["duplicates_suggested"], 0);
    let again = import(&same_company_in_lille);
    assert_eq!(
        (
            again["unchanged"].clone(),
            again["duplicates_suggested"].clone()
        ),
        (json!(2), json!(0))
    );
}

/// An import that writes records leaves PostgreSQL's planner its statistics, as the seed
/// does (a bulk load has none until autovacuum comes); on SQLite only the import is checked.
#[tokio::test]
async fn an_import_leaves_the_planner_its_statistics() {
    use sea_orm::{ConnectionTrait, Database, DatabaseBackend, Statement};
    let dir = tempfile::tempdir().expect("temp dir");
    let url = crate::helpers::fresh_database_url(&dir).await;
    let bundle = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo.bundle.jsonl");
    let out = run(&url, &["import", "bundle", bundle]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = Database::connect(&url).await.expect("connect");
    let backend = db.get_database_backend();
    let count = |sql: &'static str| {
        let db = &db;
        async move {
            db.query_one_raw(Statement::from_string(backend, sql))
                .await
                .expect("query")
                .expect("a row")
                .try_get::<i64>("", "n")
                .expect("n")
        }
    };
    assert!(count("SELECT count(*) AS n FROM offers").await > 400);
    if backend == DatabaseBackend::Postgres {
        let analysed = count(
            "SELECT count(*) AS n FROM pg_stat_user_tables WHERE relname = 'offers' AND last_analyze IS NOT NULL AND last_vacuum IS NOT NULL",
        )
        .await;
        assert_eq!(analysed, 1);
    }
}
