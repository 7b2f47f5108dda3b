//! The eligibility profile is never written to the logs, even at the most verbose level.
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::json;

const BIRTH_DATE: &str = "1987-03-14";

#[tokio::test]
async fn a_check_leaves_no_trace_of_the_birth_date_in_the_logs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_insertion-catalogue"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/catalogue.db?mode=rwc", dir.path().display()),
        )
        .env("LISTEN_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "trace")
        .env("LOG_FORMAT", "json")
        .env("DEMO_DATA", "true")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("server starts");
    let (lines_tx, lines) = mpsc::channel::<String>();
    for stream in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let tx = lines_tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    drop(lines_tx);

    let mut log = Vec::new();
    let address = loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .expect("server logs its address");
        log.push(line.clone());
        if let Some(start) = line.find("http://") {
            let rest = &line[start..];
            break rest[..rest.find("/graphql").expect("url")].to_owned();
        }
    };

    let client = reqwest::Client::new();
    let offer_id = {
        let answer: serde_json::Value = client
            .post(format!("{address}/graphql"))
            .json(&json!({ "query": "{ offers(first: 1) { edges { node { id } } } }" }))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("json");
        answer["data"]["offers"]["edges"][0]["node"]["id"].clone()
    };
    let profile = json!({ "birthDate": BIRTH_DATE, "registeredJobSeeker": true, "jobSeekerSince": "2024-02-01", "livesInQpv": true });
    for query in [
        "query ($id: ID!, $p: EligibilityProfile!) { checkEligibility(offerId: $id, profile: $p) { verdict conditions { reason } } }",
        "query ($p: EligibilityProfile!) { offers(first: 5, filter: { eligibleFor: $p }) { totalCount edges { eligibility } } }",
    ] {
        let answer: serde_json::Value = client
            .post(format!("{address}/graphql"))
            .json(&json!({ "query": query, "variables": { "id": offer_id, "p": profile } }))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("json");
        assert!(answer.get("errors").is_none(), "{answer}");
    }
    // Give the last log lines time to be written, then stop the server.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = child.kill();
    let _ = child.wait();
    log.extend(lines.try_iter());

    let text = log.join("\n");
    assert!(
        text.contains("\"request\"") || text.contains("request"),
        "the requests were logged at all"
    );
    assert!(log.len() > 10, "trace logging produced output");
    assert!(
        !text.contains(BIRTH_DATE),
        "the birth date leaked into the logs"
    );
    assert!(
        !text.contains("2024-02-01"),
        "the registration date leaked into the logs"
    );
}
