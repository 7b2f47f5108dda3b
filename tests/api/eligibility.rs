//! `checkEligibility` and `filter.eligibleFor`: verdicts with reasons, and a filter that agrees with them.
use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use entity::enums::{ConditionKind, Country, OfferKind, OrganisationKind, ZoneKind};
use insertion_catalogue::seed::model::SeedCondition;
use serde_json::{Value, json};

use crate::fixture::{liege, lille, lyon, offer, organisation, roubaix};
use crate::helpers::{TestApp, data, error_code, error_field};

fn condition(kind: ConditionKind, mandatory: bool) -> SeedCondition {
    SeedCondition {
        kind,
        mandatory,
        description: format!("{kind:?}"),
        min_age: None,
        max_age: None,
        min_months_registered: None,
        max_diploma_level: None,
        zone_kind: None,
        zone_codes: vec![],
        language_level: None,
    }
}

async fn eligibility_app() -> TestApp {
    let app = TestApp::spawn_empty().await;
    let organisations = vec![
        organisation("ACI de Lille", OrganisationKind::Aci, Country::Fr, lille()),
        organisation(
            "AI de Roubaix",
            OrganisationKind::Ai,
            Country::Fr,
            roubaix(),
        ),
        organisation(
            "Organisme de Lyon",
            OrganisationKind::TrainingBody,
            Country::Fr,
            lyon(),
        ),
        organisation(
            "CISP de Liège",
            OrganisationKind::Cisp,
            Country::Be,
            liege(),
        ),
    ];
    let mut chantier = offer(0, "Chantier vélo", OfferKind::SupportedJob, "BIKE_REPAIR");
    chantier.conditions = vec![condition(ConditionKind::IaeCriteria, true)];
    let mut mission = offer(1, "Mission AI", OfferKind::SupportedJob, "CLEANING");
    mission.conditions = vec![
        condition(ConditionKind::IaeCriteria, true),
        condition(ConditionKind::DrivingLicence, true),
    ];
    let mut jeunes = offer(2, "Parcours jeunes", OfferKind::SupportProgramme, "DIGITAL");
    let mut under_26 = condition(ConditionKind::Age, true);
    under_26.max_age = Some(25);
    jeunes.conditions = vec![under_26];
    let mut cisp = offer(3, "CISP menuiserie", OfferKind::Training, "CARPENTRY");
    cisp.conditions = vec![condition(ConditionKind::CispRule, true)];
    let mut quartier = offer(0, "Atelier de quartier", OfferKind::Workshop, "DIGITAL");
    let mut in_lille = condition(ConditionKind::ResidenceZone, true);
    in_lille.zone_kind = Some(ZoneKind::Communes);
    in_lille.zone_codes = vec!["59350".into(), "59512".into()];
    quartier.conditions = vec![in_lille, condition(ConditionKind::FreeText, false)];
    let ouvert = offer(2, "Ouvert à tous", OfferKind::InformationSession, "DIGITAL");
    app.load(
        &organisations,
        vec![chantier, mission, jeunes, cisp, quartier, ouvert],
    )
    .await;
    app
}

fn years_ago(years: i32) -> NaiveDate {
    let today = Utc::now().date_naive();
    NaiveDate::from_ymd_opt(today.year() - years, today.month(), today.day().min(28)).expect("date")
}

/// 27 years old, QPV resident, single parent, job seeker for 17 months, CAP: 4 IAE level-2 criteria.
fn profile() -> Value {
    json!({
        "birthDate": years_ago(27).to_string(),
        "registeredJobSeeker": true,
        "jobSeekerSince": (Utc::now().date_naive() - Duration::days(520)).to_string(),
        "benefits": [],
        "diplomaLevel": 3,
        "livesInQpv": true,
        "singleParent": true,
        "drivingLicence": false,
        "prescribedByAuthorisedPrescriber": false,
        "residenceCommuneCode": "59350",
        "country": "FR"
    })
}

async fn offer_ids(app: &TestApp) -> HashMap<String, String> {
    let answer = app
        .graphql(
            "{ offers(first: 100) { edges { node { id title } } } }",
            json!({}),
        )
        .await;
    data(&answer)["offers"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            (
                e["node"]["title"].as_str().expect("title").to_owned(),
                e["node"]["id"].as_str().expect("id").to_owned(),
            )
        })
        .collect()
}

const CHECK: &str = r#"
query ($offerId: ID!, $profile: EligibilityProfile!) {
  checkEligibility(offerId: $offerId, profile: $profile) {
    verdict
    conditions { condition { kind mandatory } result reason reasonEn }
    iae { level1Met level2Met level2Required waivedByPrescriber }
  }
}"#;

#[tokio::test]
async fn a_check_gives_a_verdict_and_a_reason_per_condition() {
    let app = eligibility_app().await;
    let ids = offer_ids(&app).await;

    let answer = app
        .graphql(
            CHECK,
            json!({ "offerId": ids["Parcours jeunes"], "profile": profile() }),
        )
        .await;
    let check = &data(&answer)["checkEligibility"];
    assert_eq!(check["verdict"], "NOT_ELIGIBLE");
    assert_eq!(check["conditions"][0]["result"], "NOT_MET");
    let reason = check["conditions"][0]["reason"].as_str().expect("reason");
    assert!(
        reason.contains("27 ans") && reason.contains("26 ans"),
        "{reason}"
    );
    assert!(
        check["conditions"][0]["reasonEn"]
            .as_str()
            .expect("en")
            .contains("27")
    );
    assert_eq!(check["iae"], Value::Null);

    let answer = app
        .graphql(
            CHECK,
            json!({ "offerId": ids["Chantier vélo"], "profile": profile() }),
        )
        .await;
    let check = &data(&answer)["checkEligibility"];
    assert_eq!(check["verdict"], "ELIGIBLE");
    assert_eq!(check["iae"]["level2Required"], 3);
    assert_eq!(check["iae"]["level1Met"], json!([]));
    assert_eq!(
        check["iae"]["level2Met"],
        json!(["CAP_BEP", "DELD", "PI", "QPV"])
    );
    assert_eq!(check["iae"]["waivedByPrescriber"], false);

    let answer = app
        .graphql(
            CHECK,
            json!({ "offerId": ids["Mission AI"], "profile": profile() }),
        )
        .await;
    let check = &data(&answer)["checkEligibility"];
    assert_eq!(check["verdict"], "NOT_ELIGIBLE", "no driving licence");
    assert_eq!(
        check["iae"]["level2Required"], 2,
        "AI needs 2 level-2 criteria"
    );

    let answer = app
        .graphql(
            CHECK,
            json!({ "offerId": ids["CISP menuiserie"], "profile": profile() }),
        )
        .await;
    assert_eq!(
        data(&answer)["checkEligibility"]["verdict"],
        "UNKNOWN",
        "Forem registration not told"
    );

    let answer = app
        .graphql(
            CHECK,
            json!({ "offerId": ids["Chantier vélo"], "profile": {} }),
        )
        .await;
    let check = &data(&answer)["checkEligibility"];
    assert_eq!(
        check["verdict"], "UNKNOWN",
        "an empty profile is never a silent no"
    );
    assert_eq!(check["conditions"][0]["result"], "UNKNOWN");
}

#[tokio::test]
async fn ages_are_derived_at_the_date_of_the_check() {
    let app = eligibility_app().await;
    let ids = offer_ids(&app).await;
    let query = r#"query ($id: ID!, $on: Date!) { checkEligibility(offerId: $id, profile: { birthDate: "2000-06-15" }, on: $on) { verdict } }"#;
    let verdict = |on: &'static str| {
        let app = &app;
        let id = ids["Parcours jeunes"].clone();
        async move {
            let answer = app.graphql(query, json!({ "id": id, "on": on })).await;
            data(&answer)["checkEligibility"]["verdict"]
                .as_str()
                .expect("verdict")
                .to_owned()
        }
    };
    assert_eq!(
        verdict("2026-06-14").await,
        "ELIGIBLE",
        "25 the day before the 26th birthday"
    );
    assert_eq!(
        verdict("2026-06-15").await,
        "NOT_ELIGIBLE",
        "26 on the birthday"
    );
}

#[tokio::test]
async fn contradictory_or_impossible_profiles_are_validation_errors() {
    let app = eligibility_app().await;
    let ids = offer_ids(&app).await;
    let tomorrow = (Utc::now().date_naive() + Duration::days(1)).to_string();
    let cases = [
        (json!({ "birthDate": tomorrow }), "profile.birthDate"),
        (
            json!({ "registeredJobSeeker": false, "jobSeekerSince": "2024-01-01" }),
            "profile.registeredJobSeeker",
        ),
        (json!({ "diplomaLevel": 12 }), "profile.diplomaLevel"),
        (
            json!({ "residenceCommuneCode": "lille" }),
            "profile.residenceCommuneCode",
        ),
    ];
    for (profile, field) in cases {
        let answer = app
            .graphql(
                CHECK,
                json!({ "offerId": ids["Chantier vélo"], "profile": profile }),
            )
            .await;
        assert_eq!(error_code(&answer), "VALIDATION", "{profile}");
        assert_eq!(error_field(&answer), field, "{profile}");
    }
    let answer = app
        .graphql(
            "query ($p: EligibilityProfile!) { offers(filter: { eligibleFor: $p }) { totalCount } }",
            json!({ "p": { "birthDate": tomorrow } }),
        )
        .await;
    assert_eq!(error_field(&answer), "filter.eligibleFor.birthDate");
    let answer = app
        .graphql(CHECK, json!({ "offerId": "T2ZmZXI6OTk5OQ", "profile": {} }))
        .await;
    assert_eq!(error_code(&answer), "NOT_FOUND");
}

#[tokio::test]
async fn eligible_for_keeps_offers_not_ruled_out_and_flags_the_unknown_ones() {
    let app = eligibility_app().await;
    let answer = app
        .graphql(
            "query ($p: EligibilityProfile!) { offers(first: 100, filter: { eligibleFor: $p }) { totalCount edges { eligibility node { title } } } }",
            json!({ "p": profile() }),
        )
        .await;
    let offers = &data(&answer)["offers"];
    let found: Vec<(String, String)> = offers["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            (
                e["node"]["title"].as_str().expect("t").to_owned(),
                e["eligibility"].as_str().expect("flag").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("Atelier de quartier".to_owned(), "ELIGIBLE".to_owned()),
            ("CISP menuiserie".to_owned(), "UNKNOWN".to_owned()),
            ("Chantier vélo".to_owned(), "ELIGIBLE".to_owned()),
            ("Ouvert à tous".to_owned(), "ELIGIBLE".to_owned()),
        ]
    );
    assert_eq!(offers["totalCount"], 4);

    // It composes with other filters and with pagination.
    let answer = app
        .graphql(
            "query ($p: EligibilityProfile!) { offers(first: 1, filter: { eligibleFor: $p, kinds: [WORKSHOP, SUPPORTED_JOB] }) { totalCount pageInfo { hasNextPage endCursor } edges { node { title } } } }",
            json!({ "p": profile() }),
        )
        .await;
    let page = &data(&answer)["offers"];
    assert_eq!(page["totalCount"], 2);
    assert_eq!(page["edges"][0]["node"]["title"], "Atelier de quartier");
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let answer = app
        .graphql(
            "query ($p: EligibilityProfile!, $after: String) { offers(first: 1, after: $after, filter: { eligibleFor: $p, kinds: [WORKSHOP, SUPPORTED_JOB] }) { pageInfo { hasNextPage } edges { node { title } } } }",
            json!({ "p": profile(), "after": page["pageInfo"]["endCursor"] }),
        )
        .await;
    let page = &data(&answer)["offers"];
    assert_eq!(page["edges"][0]["node"]["title"], "Chantier vélo");
    assert_eq!(page["pageInfo"]["hasNextPage"], false);
}

/// Every offer's verdict through `checkEligibility`, 40 per request with aliases.
async fn verdicts_by_check(
    app: &TestApp,
    ids: &[String],
    profile: &Value,
) -> HashMap<String, String> {
    let mut verdicts = HashMap::new();
    for chunk in ids.chunks(40) {
        let fields: String = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| {
                format!("c{i}: checkEligibility(offerId: \"{id}\", profile: $p) {{ verdict }}\n")
            })
            .collect();
        let answer = app
            .graphql(
                &format!("query ($p: EligibilityProfile!) {{ {fields} }}"),
                json!({ "p": profile }),
            )
            .await;
        for (i, id) in chunk.iter().enumerate() {
            let verdict = data(&answer)[format!("c{i}")]["verdict"]
                .as_str()
                .expect("verdict");
            verdicts.insert(id.clone(), verdict.to_owned());
        }
    }
    verdicts
}

/// Every offer returned by `eligibleFor`, walking all pages, with its edge flag.
async fn verdicts_by_filter(app: &TestApp, profile: &Value) -> HashMap<String, String> {
    let mut found = HashMap::new();
    let mut after = Value::Null;
    loop {
        let answer = app
            .graphql(
                "query ($p: EligibilityProfile!, $after: String) { offers(first: 45, after: $after, filter: { eligibleFor: $p }) { pageInfo { hasNextPage endCursor } edges { eligibility node { id } } } }",
                json!({ "p": profile, "after": after }),
            )
            .await;
        let offers = &data(&answer)["offers"];
        for edge in offers["edges"].as_array().expect("edges") {
            let id = edge["node"]["id"].as_str().expect("id").to_owned();
            assert!(
                found
                    .insert(id, edge["eligibility"].as_str().expect("flag").to_owned())
                    .is_none(),
                "no offer twice"
            );
        }
        if offers["pageInfo"]["hasNextPage"] != true {
            return found;
        }
        after = offers["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn on_the_demo_catalogue_the_filter_agrees_with_the_check_for_every_offer() {
    let app = TestApp::spawn_with_demo().await;
    let mut ids = Vec::new();
    let mut after = Value::Null;
    loop {
        let answer = app
            .graphql("query ($after: String) { offers(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }", json!({ "after": after }))
            .await;
        let offers = &data(&answer)["offers"];
        ids.extend(
            offers["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| e["node"]["id"].as_str().expect("id").to_owned()),
        );
        if offers["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = offers["pageInfo"]["endCursor"].clone();
    }
    let profiles = [
        json!({}),
        profile(),
        json!({ "birthDate": years_ago(19).to_string(), "country": "BE", "registeredWithForem": true, "highestBelgianCertificate": "CE2D", "residenceCommuneCode": "62063", "drivingLicence": false, "livesInQpv": false, "livesInZrr": false, "recognisedDisability": false }),
        json!({ "birthDate": years_ago(55).to_string(), "benefits": ["RSA"], "prescribedByAuthorisedPrescriber": true, "drivingLicence": true, "residenceCommuneCode": "62041", "frenchBelowA1": false }),
    ];
    let mut seen_verdicts = std::collections::HashSet::new();
    for profile in profiles {
        let by_check = verdicts_by_check(&app, &ids, &profile).await;
        let by_filter = verdicts_by_filter(&app, &profile).await;
        let expected: HashMap<String, String> = by_check
            .into_iter()
            .filter(|(_, verdict)| verdict != "NOT_ELIGIBLE")
            .collect();
        seen_verdicts.extend(expected.values().cloned());
        assert_eq!(by_filter, expected, "profile {profile}");
        let answer = app
            .graphql("query ($p: EligibilityProfile!) { offers(filter: { eligibleFor: $p }) { totalCount } }", json!({ "p": profile }))
            .await;
        assert_eq!(
            data(&answer)["offers"]["totalCount"].as_u64(),
            Some(expected.len() as u64)
        );
    }
    assert!(
        seen_verdicts.contains("ELIGIBLE") && seen_verdicts.contains("UNKNOWN"),
        "a believable mix of answers"
    );
}
