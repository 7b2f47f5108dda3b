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
