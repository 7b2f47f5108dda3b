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

/// 27 years old, QPV resident, single parent, job seeker for 17 months, CAP: 4 IAE
/// level-2 criteria; no PASS IAE, no diagnosis, no prescriber.
fn profile() -> Value {
    json!({
        "birthDate": years_ago(27).to_string(),
        "registeredJobSeeker": true,
        "jobSeekerSince": (Utc::now().date_naive() - Duration::days(520)).to_string(),
        "benefits": [],
        "studyLevel": "CAP_BEP_DIPLOMA",
        "passIae": { "held": false },
        "eligibilityDiagnoses": [],
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
            json!({ "diplomaLevel": 3, "studyLevel": "CAP_BEP_LEVEL" }),
            "profile.diplomaLevel",
        ),
        (
            json!({ "passIae": { "held": false, "validUntil": "2026-01-01" } }),
            "profile.passIae.validUntil",
        ),
        (
            json!({ "eligibilityDiagnoses": [{ "author": "STRUCTURE", "madeOn": "2026-01-01" }] }),
            "profile.eligibilityDiagnoses.0.organisationId",
        ),
        (
            json!({ "eligibilityDiagnoses": [{ "author": "AUTHORISED_PRESCRIBER", "madeOn": tomorrow }] }),
            "profile.eligibilityDiagnoses",
        ),
        (
            json!({ "unoccupiedMonthsInLast24": 25 }),
            "profile.unoccupiedMonthsInLast24",
        ),
        (
            json!({ "incapacityPercent": 101 }),
            "profile.incapacityPercent",
        ),
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

const CHECK_ON: &str = r#"
query ($offerId: ID!, $profile: EligibilityProfile!, $on: Date) {
  checkEligibility(offerId: $offerId, profile: $profile, on: $on) {
    verdict
    conditions { condition { kind } result reason reasonEn }
    iae {
      level1Met level2Met waivedByPrescriber waivedBy waitingPeriodEndsOn
      proofs { criterion proofFr proofEn validityFr validityMonths certifiedAutomatically }
    }
  }
}"#;

/// `checkEligibility` of `offer` for `profile`, judged on `on`.
async fn check_on(app: &TestApp, offer: &str, profile: Value, on: &str) -> Value {
    let answer = app
        .graphql(
            CHECK_ON,
            json!({ "offerId": offer, "profile": profile, "on": on }),
        )
        .await;
    data(&answer)["checkEligibility"].clone()
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// Answers everything about IAE and meets no criterion: 35, not a job seeker, no benefit,
/// baccalauréat level, every flag false, no prescriber.
fn no_criterion() -> Value {
    json!({
        "birthDate": "1991-01-01", "registeredJobSeeker": false, "benefits": [],
        "studyLevel": "BAC_LEVEL", "livesInQpv": false, "livesInZrr": false,
        "recognisedDisability": false, "singleParent": false, "homeless": false,
        "refugee": false, "leftChildWelfare": false, "leftDetention": false,
        "frenchBelowA1": false, "mobilityProblem": false,
        "prescribedByAuthorisedPrescriber": false, "eligibilityDiagnoses": []
    })
}

fn with(mut profile: Value, extra: Value) -> Value {
    if let (Some(profile), Some(extra)) = (profile.as_object_mut(), extra.as_object()) {
        profile.extend(extra.clone());
    }
    profile
}

#[tokio::test]
async fn a_valid_pass_iae_needs_no_new_eligibility_check() {
    let app = eligibility_app().await;
    let ids = offer_ids(&app).await;
    let chantier = &ids["Chantier vélo"];

    let without = with(no_criterion(), json!({ "passIae": { "held": false } }));
    let check = check_on(&app, chantier, without, "2026-06-15").await;
    assert_eq!(
        check["verdict"], "NOT_ELIGIBLE",
        "no criterion, nothing else"
    );

    let holder = with(
        no_criterion(),
        json!({ "passIae": { "held": true, "validUntil": "2026-06-15" } }),
    );
    let check = check_on(&app, chantier, holder, "2026-06-15").await;
    assert_eq!(check["verdict"], "ELIGIBLE", "valid through its last day");
    assert_eq!(check["iae"]["waivedBy"], "PASS_IAE");
    assert_eq!(check["iae"]["proofs"], json!([]));
    let reason = text(&check["conditions"][0]["reason"]);
    assert!(
        reason.contains("PASS IAE est valable jusqu'au 15 juin 2026"),
        "{reason}"
    );
    let reason_en = text(&check["conditions"][0]["reasonEn"]);
    assert!(
        reason_en.contains("PASS IAE is valid until 15 June 2026"),
        "{reason_en}"
    );
}

#[tokio::test]
async fn after_a_pass_iae_ends_two_years_need_an_authorised_prescriber() {
    let app = eligibility_app().await;
    let ids = offer_ids(&app).await;
    let chantier = &ids["Chantier vélo"];
    // Receives the RSA (a level-1 criterion); the PASS ended on 14 June 2025.
    let ended = with(
        no_criterion(),
        json!({ "benefits": ["RSA"], "passIae": { "held": true, "validUntil": "2025-06-14" } }),
    );

    let check = check_on(&app, chantier, ended.clone(), "2027-06-14").await;
    assert_eq!(
        check["verdict"], "NOT_ELIGIBLE",
        "last day of the waiting period"
    );
    assert_eq!(check["iae"]["waitingPeriodEndsOn"], "2027-06-14");
    assert_eq!(check["iae"]["level1Met"], json!(["RSA"]));
    let reason = text(&check["conditions"][0]["reason"]);
    assert!(reason.contains("période de carence"), "{reason}");
    assert!(
        text(&check["conditions"][0]["reasonEn"]).contains("2-year waiting period"),
        "{}",
        check["conditions"][0]["reasonEn"]
    );

    let check = check_on(&app, chantier, ended.clone(), "2027-06-15").await;
    assert_eq!(
        check["verdict"], "ELIGIBLE",
        "the day after it, the RSA suffices"
    );
    assert_eq!(check["iae"]["waitingPeriodEndsOn"], Value::Null);

    let diagnosed = with(
        ended,
        json!({ "eligibilityDiagnoses": [{ "author": "AUTHORISED_PRESCRIBER", "madeOn": "2027-01-10" }] }),
    );
    let check = check_on(&app, chantier, diagnosed, "2027-06-14").await;
    assert_eq!(check["verdict"], "ELIGIBLE");
    assert_eq!(check["iae"]["waivedBy"], "PRESCRIBER_DIAGNOSIS");
}

#[tokio::test]
async fn a_structure_diagnosis_lasts_92_days_and_counts_only_for_that_structure() {
    let app = eligibility_app().await;
    let answer = app
        .graphql(
            "{ offers(first: 100) { edges { node { title organisation { id } } } } }",
            json!({}),
        )
        .await;
    let organisation_of = |title: &str| {
        data(&answer)["offers"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .find(|e| e["node"]["title"] == title)
            .map(|e| e["node"]["organisation"]["id"].clone())
            .expect("offer")
    };
    let ids = offer_ids(&app).await;
    let aci = organisation_of("Chantier vélo");
    let profile = with(
        no_criterion(),
        json!({
            "passIae": { "held": false },
            "eligibilityDiagnoses": [{ "author": "STRUCTURE", "madeOn": "2026-03-16", "organisationId": aci }]
        }),
    );

    // 16 March is day 1 of 92: valid through 15 June.
    let check = check_on(&app, &ids["Chantier vélo"], profile.clone(), "2026-06-15").await;
    assert_eq!(check["verdict"], "ELIGIBLE");
    assert_eq!(check["iae"]["waivedBy"], "STRUCTURE_DIAGNOSIS");
    let check = check_on(&app, &ids["Chantier vélo"], profile.clone(), "2026-06-16").await;
    assert_eq!(check["verdict"], "NOT_ELIGIBLE", "expired on day 93");

    let check = check_on(&app, &ids["Mission AI"], profile, "2026-06-15").await;
    assert_eq!(check["conditions"][0]["condition"]["kind"], "IAE_CRITERIA");
    assert_eq!(
        check["conditions"][0]["result"], "NOT_MET",
        "another structure's diagnosis"
    );
    let reason = text(&check["conditions"][0]["reason"]);
    assert!(reason.contains("ne vaut que pour elle"), "{reason}");
}

#[tokio::test]
async fn cap_bep_is_the_level_of_study_reached_and_diploma_level_still_works() {
    let app = eligibility_app().await;
    let ids = offer_ids(&app).await;
    let level2 = |study: Value| {
        let app = &app;
        let id = ids["Chantier vélo"].clone();
        async move {
            let profile = with(no_criterion(), study);
            let check = check_on(app, &id, profile, "2026-06-15").await;
            check["iae"]["level2Met"].clone()
        }
    };
    assert_eq!(
        level2(json!({ "studyLevel": "CAP_BEP_LEVEL" })).await,
        json!(["CAP_BEP"]),
        "the level, without the diploma"
    );
    assert_eq!(
        level2(json!({ "studyLevel": "NO_SCHOOLING" })).await,
        json!(["CAP_BEP"])
    );
    assert_eq!(
        level2(json!({ "studyLevel": "BAC_LEVEL" })).await,
        json!([])
    );
    assert_eq!(
        level2(json!({ "studyLevel": "BT_OR_VOCATIONAL_BAC" })).await,
        json!([])
    );
    // The deprecated national number still answers the same.
    let deprecated = |level: i64| json!({ "studyLevel": null, "diplomaLevel": level });
    assert_eq!(level2(deprecated(3)).await, json!(["CAP_BEP"]));
    assert_eq!(level2(deprecated(4)).await, json!([]));
}

#[tokio::test]
async fn reasons_and_referentials_say_which_proofs_to_bring() {
    let app = eligibility_app().await;
    let ids = offer_ids(&app).await;
    let profile = with(
        no_criterion(),
        json!({ "benefits": ["RSA"], "passIae": { "held": false } }),
    );
    let check = check_on(&app, &ids["Chantier vélo"], profile, "2026-06-15").await;
    assert_eq!(check["verdict"], "ELIGIBLE");
    let reason = text(&check["conditions"][0]["reason"]);
    assert!(
        reason.contains(
            "Justificatifs à apporter : attestation de bénéficiaire du RSA (de moins de 3 mois)"
        ),
        "{reason}"
    );
    assert!(text(&check["conditions"][0]["reasonEn"]).contains("Proofs to bring"));
    assert_eq!(check["iae"]["proofs"][0]["criterion"], "RSA");
    assert_eq!(check["iae"]["proofs"][0]["validityMonths"], 3);
    assert_eq!(check["iae"]["proofs"][0]["certifiedAutomatically"], true);

    let answer = app
        .graphql(
            "{ referentials { iaeCriterionProofs { criterion level proofFr proofEn validityFr validityEn validityMonths certifiedAutomatically } studyLevels { value code labelFr nationalLevels meetsCapBep } } }",
            json!({}),
        )
        .await;
    let referentials = &data(&answer)["referentials"];
    let proofs = referentials["iaeCriterionProofs"]
        .as_array()
        .expect("proofs");
    assert_eq!(proofs.len(), 18);
    let proof = |criterion: &str| {
        proofs
            .iter()
            .find(|p| p["criterion"] == criterion)
            .expect("criterion")
    };
    assert!(text(&proof("PM")["proofFr"]).contains("diagnostic mobilité"));
    assert!(text(&proof("FLE")["proofFr"]).contains("inférieur à A1"));
    assert_eq!(proof("ASE")["validityMonths"], 12);
    assert_eq!(proof("TH")["validityMonths"], Value::Null);
    let levels = referentials["studyLevels"].as_array().expect("levels");
    let level = |value: &str| levels.iter().find(|l| l["value"] == value).expect("level");
    assert_eq!(level("CAP_BEP_LEVEL")["code"], "50");
    assert_eq!(level("CAP_BEP_LEVEL")["meetsCapBep"], true);
    assert_eq!(level("BAC_LEVEL")["meetsCapBep"], false);
    assert_eq!(level("NO_SCHOOLING")["nationalLevels"], json!([1, 2]));
}

/// Registered with Le Forem, 30 on 15 June 2026.
fn forem(extra: Value) -> Value {
    with(
        json!({ "birthDate": "1996-01-01", "country": "BE", "registeredWithForem": true }),
        extra,
    )
}

#[tokio::test]
async fn the_cisp_rule_judges_its_three_categories() {
    let app = eligibility_app().await;
    let ids = offer_ids(&app).await;
    let cisp = &ids["CISP menuiserie"];
    let verdict = |profile: Value| {
        let app = &app;
        async move { check_on(app, cisp, profile, "2026-06-15").await }
    };
    let in_no_other_category = json!({
        "unoccupiedMonthsInLast24": 6, "registeredWithAviq": false, "incapacityPercent": 0
    });

    let ce2d = verdict(forem(json!({ "highestBelgianCertificate": "CE2D" }))).await;
    assert_eq!(ce2d["verdict"], "ELIGIBLE", "category 1");

    let cess = verdict(forem(with(
        json!({ "highestBelgianCertificate": "CESS" }),
        in_no_other_category.clone(),
    )))
    .await;
    assert_eq!(
        cess["verdict"], "UNKNOWN",
        "the derogation quota, never met"
    );
    let reason = text(&cess["conditions"][0]["reason"]);
    assert!(reason.contains("quota de dérogation"), "{reason}");
    assert!(
        text(&cess["conditions"][0]["reasonEn"]).contains("derogation quota"),
        "{}",
        cess["conditions"][0]["reasonEn"]
    );

    let graduate = forem(with(
        json!({ "highestBelgianCertificate": "HIGHER_EDUCATION" }),
        in_no_other_category,
    ));
    assert_eq!(verdict(graduate.clone()).await["verdict"], "NOT_ELIGIBLE");
    let months = |n: i64| with(graduate.clone(), json!({ "unoccupiedMonthsInLast24": n }));
    assert_eq!(verdict(months(17)).await["verdict"], "NOT_ELIGIBLE");
    assert_eq!(
        verdict(months(18)).await["verdict"],
        "ELIGIBLE",
        "category 2"
    );
    let aviq = with(graduate.clone(), json!({ "registeredWithAviq": true }));
    assert_eq!(verdict(aviq).await["verdict"], "ELIGIBLE", "category 3");
    let thirty = with(graduate, json!({ "incapacityPercent": 30 }));
    assert_eq!(verdict(thirty).await["verdict"], "ELIGIBLE", "30 %");

    let missing = verdict(forem(json!({}))).await;
    assert_eq!(missing["verdict"], "UNKNOWN");
    let reason = text(&missing["conditions"][0]["reason"]);
    assert!(reason.contains("certificat le plus élevé"), "{reason}");
}

#[tokio::test]
async fn a_cisp_opens_the_day_compulsory_schooling_ends() {
    let app = eligibility_app().await;
    let ids = offer_ids(&app).await;
    let cisp = &ids["CISP menuiserie"];
    // Born 1 October 2008: 17 on 30 June 2026, yet compulsory schooling ends that day.
    let autumn = forem(json!({ "birthDate": "2008-10-01", "highestBelgianCertificate": "CE1D" }));
    let check = check_on(&app, cisp, autumn.clone(), "2026-06-29").await;
    assert_eq!(check["verdict"], "NOT_ELIGIBLE");
    let reason = text(&check["conditions"][0]["reason"]);
    assert!(reason.contains("jusqu'au 30 juin 2026"), "{reason}");
    let check = check_on(&app, cisp, autumn, "2026-06-30").await;
    assert_eq!(check["verdict"], "ELIGIBLE");
    // Born 10 March 2008: on the 18th birthday.
    let spring = forem(json!({ "birthDate": "2008-03-10", "highestBelgianCertificate": "CE1D" }));
    assert_eq!(
        check_on(&app, cisp, spring.clone(), "2026-03-09").await["verdict"],
        "NOT_ELIGIBLE"
    );
    assert_eq!(
        check_on(&app, cisp, spring, "2026-03-10").await["verdict"],
        "ELIGIBLE"
    );
}
