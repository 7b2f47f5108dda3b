//! Twenty writes sent at once on one version: exactly one wins, the others are told CONFLICT
//! (with the version now current), the audit log holds exactly one entry, and the object is
//! as the winner left it. On SQLite and on PostgreSQL alike. And the database itself keeps
//! one condition a place.
use entity::enums::ConditionKind;
use entity::{audit_entry, eligibility_condition};
use futures_util::future::join_all;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set, SqlErr,
};
use serde_json::{Value, json};

use crate::helpers::{data, fresh_database_url};
use crate::world::{Targets, World, outcome, world_with};

/// How many requests race.
const RACERS: usize = 20;

/// The key a race is run with.
#[derive(Clone, Copy)]
enum Racer {
    /// The editor of organisation 1 (the vélo offer, the drafts, their sessions and testimonials).
    Editor,
    Admin,
}

/// One race on one target: its contenders are sent `RACERS` times in all, interleaved.
struct Race {
    name: &'static str,
    racer: Racer,
    /// The variables of every write and of `state`: the target's `$id` and the version `$v`
    /// read (every conflict must answer `$v + 1`), or a client's name `$n`.
    target: fn(&Targets) -> Value,
    /// Each contender: its mutation, and the action it records in the audit log.
    writes: &'static [(&'static str, &'static str)],
    /// The entity type the audit log records the change under.
    audited: &'static str,
    /// A query of the target, run as the admin once the race is over.
    state: &'static str,
    /// What `state` answers (timestamps redacted) when contender `winner` won.
    expected: fn(&Value, usize) -> Value,
}

const OFFER_STATE: &str = "query ($id: ID!) { node(id: $id) { ... on Offer { version status title verifiedBy eligibilityConditions { kind maxAge mandatory } } } }";
const SLOT_STATE: &str =
    "query ($id: ID!) { node(id: $id) { ... on TrainingSlot { version status seatsTaken } } }";
/// Only approved testimonials are nodes; rejected ones are listed for the admin.
const TESTIMONIAL_STATE: &str = "query ($id: ID!) { node(id: $id) { ... on Testimonial { version status } } testimonials(status: REJECTED) { nodes { id version } } }";
const CLIENTS_STATE: &str = "{ apiClients { name revokedAt } }";

const UPDATE_TITLE: (&str, &str) = (
    r#"mutation ($id: ID!, $v: Int!) { updateOffer(input: { id: $id, version: $v, title: "Titre gagnant" }) { offer { version } } }"#,
    "update",
);
const SET_CONDITIONS: (&str, &str) = (
    r#"mutation ($id: ID!, $v: Int!) { setEligibilityConditions(input: { offerId: $id, version: $v, conditions: [{ kind: AGE, maxAge: 25 }, { kind: DRIVING_LICENCE, mandatory: false }] }) { offer { version } conditions { kind } } }"#,
    "setEligibilityConditions",
);
const APPROVE: (&str, &str) = (
    "mutation ($id: ID!, $v: Int!) { approveTestimonial(input: { id: $id, version: $v }) { testimonial { status } } }",
    "approve",
);
const REJECT: (&str, &str) = (
    r#"mutation ($id: ID!, $v: Int!) { rejectTestimonial(input: { id: $id, version: $v, reason: "Hors sujet" }) { testimonial { status } } }"#,
    "reject",
);

/// `{ id, v }` of a target as the tests read it.
fn versioned(target: &Value) -> Value {
    json!({ "id": target["id"], "v": target["version"] })
}

/// The version after one change.
fn next(variables: &Value) -> i64 {
    variables["v"].as_i64().expect("a version") + 1
}

/// The offer as `OFFER_STATE` reads it.
fn offer(
    variables: &Value,
    status: &str,
    title: &str,
    verified_by: Value,
    conditions: Value,
) -> Value {
    json!({ "node": {
        "version": next(variables),
        "status": status,
        "title": title,
        "verifiedBy": verified_by,
        "eligibilityConditions": conditions,
    } })
}

fn velo(variables: &Value, status: &str) -> Value {
    offer(
        variables,
        status,
        "Mécanicien·ne vélo",
        Value::Null,
        json!([]),
    )
}

fn draft(variables: &Value, status: &str) -> Value {
    offer(variables, status, "Brouillon", Value::Null, json!([]))
}

/// The two conditions `SET_CONDITIONS` sends, as `OFFER_STATE` reads them.
fn conditions_sent() -> Value {
    json!([
        { "kind": "AGE", "maxAge": 25, "mandatory": true },
        { "kind": "DRIVING_LICENCE", "maxAge": null, "mandatory": false },
    ])
}

fn slot(variables: &Value, status: &str, seats_taken: i64) -> Value {
    json!({ "node": { "version": next(variables), "status": status, "seatsTaken": seats_taken } })
}

fn testimonial(variables: &Value, winner: &(&str, &str)) -> Value {
    if winner.1 == "approve" {
        json!({ "node": { "version": next(variables), "status": "APPROVED" }, "testimonials": { "nodes": [] } })
    } else {
        json!({ "node": null, "testimonials": { "nodes": [{ "id": variables["id"], "version": next(variables) }] } })
    }
}

/// The clients of `world()`, then `extra` (name, revoked).
fn clients(extra: (&Value, bool)) -> Value {
    let mut listed: Vec<Value> = ["partner", "editor-lille", "editor-roubaix", "admin"]
        .iter()
        .map(|name| json!({ "name": name, "revokedAt": null }))
        .collect();
    let revoked_at = if extra.1 {
        json!("<time>")
    } else {
        Value::Null
    };
    listed.push(json!({ "name": extra.0, "revokedAt": revoked_at }));
    json!({ "apiClients": listed })
}

/// Every versioned or state-changing mutation, raced against itself.
fn identical_races() -> Vec<Race> {
    vec![
        Race {
            name: "updateOffer",
            racer: Racer::Editor,
            target: |t| versioned(&t.velo),
            writes: &[UPDATE_TITLE],
            audited: "Offer",
            state: OFFER_STATE,
            expected: |v, _| offer(v, "PUBLISHED", "Titre gagnant", Value::Null, json!([])),
        },
        Race {
            name: "publishOffer",
            racer: Racer::Editor,
            target: |t| versioned(&t.draft),
            writes: &[(
                "mutation ($id: ID!, $v: Int!) { publishOffer(input: { id: $id, version: $v }) { offer { status } } }",
                "publish",
            )],
            audited: "Offer",
            state: OFFER_STATE,
            expected: |v, _| draft(v, "PUBLISHED"),
        },
        Race {
            name: "suspendOffer",
            racer: Racer::Editor,
            target: |t| versioned(&t.velo),
            writes: &[(
                "mutation ($id: ID!, $v: Int!) { suspendOffer(input: { id: $id, version: $v }) { offer { status } } }",
                "suspend",
            )],
            audited: "Offer",
            state: OFFER_STATE,
            expected: |v, _| velo(v, "SUSPENDED"),
        },
        Race {
            name: "archiveOffer",
            racer: Racer::Editor,
            target: |t| versioned(&t.draft),
            writes: &[(
                "mutation ($id: ID!, $v: Int!) { archiveOffer(input: { id: $id, version: $v }) { offer { status } } }",
                "archive",
            )],
            audited: "Offer",
            state: OFFER_STATE,
            expected: |v, _| draft(v, "ARCHIVED"),
        },
        Race {
            name: "markOfferVerified",
            racer: Racer::Editor,
            target: |t| versioned(&t.velo),
            writes: &[(
                "mutation ($id: ID!, $v: Int!) { markOfferVerified(input: { id: $id, version: $v }) { offer { verifiedAt } } }",
                "verify",
            )],
            audited: "Offer",
            state: OFFER_STATE,
            expected: |v, _| {
                offer(
                    v,
                    "PUBLISHED",
                    "Mécanicien·ne vélo",
                    json!("editor-lille"),
                    json!([]),
                )
            },
        },
        Race {
            name: "setEligibilityConditions",
            racer: Racer::Editor,
            target: |t| versioned(&t.velo),
            writes: &[SET_CONDITIONS],
            audited: "Offer",
            state: OFFER_STATE,
            expected: |v, _| {
                offer(
                    v,
                    "PUBLISHED",
                    "Mécanicien·ne vélo",
                    Value::Null,
                    conditions_sent(),
                )
            },
        },
        Race {
            name: "updateSlot",
            racer: Racer::Editor,
            target: |t| versioned(&t.slot),
            writes: &[(
                "mutation ($id: ID!, $v: Int!) { updateSlot(input: { id: $id, version: $v, seatsTaken: 5 }) { slot { seatsTaken } } }",
                "update",
            )],
            audited: "TrainingSlot",
            state: SLOT_STATE,
            expected: |v, _| slot(v, "OPEN", 5),
        },
        Race {
            name: "cancelSlot",
            racer: Racer::Editor,
            target: |t| versioned(&t.slot),
            writes: &[(
                "mutation ($id: ID!, $v: Int!) { cancelSlot(input: { id: $id, version: $v }) { slot { status } } }",
                "cancel",
            )],
            audited: "TrainingSlot",
            state: SLOT_STATE,
            expected: |v, _| slot(v, "CANCELLED", 0),
        },
        Race {
            name: "updateOrganisation",
            racer: Racer::Admin,
            target: |t| versioned(&t.organisation),
            writes: &[(
                r#"mutation ($id: ID!, $v: Int!) { updateOrganisation(input: { id: $id, version: $v, phone: "03 20 00 00 00" }) { organisation { version } } }"#,
                "update",
            )],
            audited: "Organisation",
            state: "query ($id: ID!) { node(id: $id) { ... on Organisation { version contact { phone } } } }",
            expected: |v, _| json!({ "node": { "version": next(v), "contact": { "phone": "03 20 00 00 00" } } }),
        },
        Race {
            name: "archiveOrganisation",
            racer: Racer::Admin,
            target: |t| versioned(&t.organisation),
            writes: &[(
                "mutation ($id: ID!, $v: Int!) { archiveOrganisation(input: { id: $id, version: $v }) { organisation { id } } }",
                "archive",
            )],
            audited: "Organisation",
            // An archived organisation is no longer a node; the conflicts' currentVersion
            // shows its version moved by one.
            state: "query ($id: ID!) { node(id: $id) { id } }",
            expected: |_, _| json!({ "node": null }),
        },
        Race {
            name: "approveTestimonial",
            racer: Racer::Editor,
            target: |t| versioned(&t.pending),
            writes: &[APPROVE],
            audited: "Testimonial",
            state: TESTIMONIAL_STATE,
            expected: |v, _| testimonial(v, &APPROVE),
        },
        Race {
            name: "approveTestimonial without a version",
            racer: Racer::Editor,
            target: |t| versioned(&t.pending),
            writes: &[(
                "mutation ($id: ID!) { approveTestimonial(input: { id: $id }) { testimonial { status } } }",
                "approve",
            )],
            audited: "Testimonial",
            state: TESTIMONIAL_STATE,
            expected: |v, _| testimonial(v, &APPROVE),
        },
        Race {
            name: "rejectTestimonial",
            racer: Racer::Editor,
            target: |t| versioned(&t.pending),
            writes: &[REJECT],
            audited: "Testimonial",
            state: TESTIMONIAL_STATE,
            expected: |v, _| testimonial(v, &REJECT),
        },
        Race {
            name: "revokeApiClient",
            racer: Racer::Admin,
            target: |t| json!({ "n": t.client }),
            writes: &[(
                "mutation ($n: String!) { revokeApiClient(input: { name: $n }) { apiClient { revokedAt } } }",
                "revoke",
            )],
            audited: "ApiClient",
            state: CLIENTS_STATE,
            expected: |v, _| clients((&v["n"], true)),
        },
        Race {
            name: "createApiClient",
            racer: Racer::Admin,
            target: |_| json!({ "n": "nouveau-partenaire" }),
            writes: &[(
                "mutation ($n: String!) { createApiClient(input: { name: $n, role: PARTNER }) { key } }",
                "create",
            )],
            audited: "ApiClient",
            state: CLIENTS_STATE,
            // `targets` made client-1 first.
            expected: |v, _| {
                let mut listed = clients((&json!("client-1"), false));
                listed["apiClients"]
                    .as_array_mut()
                    .expect("a list")
                    .push(json!({ "name": v["n"], "revokedAt": null }));
                listed
            },
        },
    ]
}

/// Two different writes on one version.
fn mixed_races() -> Vec<Race> {
    vec![
        Race {
            name: "setEligibilityConditions against updateOffer",
            racer: Racer::Editor,
            target: |t| versioned(&t.draft),
            writes: &[SET_CONDITIONS, UPDATE_TITLE],
            audited: "Offer",
            state: OFFER_STATE,
            expected: |v, winner| match winner {
                0 => offer(v, "DRAFT", "Brouillon", Value::Null, conditions_sent()),
                _ => offer(v, "DRAFT", "Titre gagnant", Value::Null, json!([])),
            },
        },
        Race {
            name: "approveTestimonial against rejectTestimonial",
            racer: Racer::Editor,
            target: |t| versioned(&t.pending),
            writes: &[APPROVE, REJECT],
            audited: "Testimonial",
            state: TESTIMONIAL_STATE,
            expected: |v, winner| testimonial(v, &[APPROVE, REJECT][winner]),
        },
    ]
}

/// The id of the last audit entry, to count those a race adds.
async fn last_audit_entry(world: &World) -> i32 {
    audit_entry::Entity::find()
        .order_by_desc(audit_entry::Column::Id)
        .one(&world.app.db)
        .await
        .expect("audit log read")
        .map_or(0, |entry| entry.id)
}

/// Timestamps replaced by "<time>", so that a state can be compared whole.
fn redact(value: Value) -> Value {
    match value {
        Value::String(text) if chrono::DateTime::parse_from_rfc3339(&text).is_ok() => {
            json!("<time>")
        }
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(name, value)| (name, redact(value)))
                .collect(),
        ),
        other => other,
    }
}

/// Runs one race in a fresh world; the first broken promise, if any.
async fn run(race: &Race) -> Result<(), String> {
    // As many connections as racers, so that on PostgreSQL all of them are in flight at once.
    let world = world_with(|settings| settings.max_connections = RACERS as u32).await;
    let targets = world.targets(1).await;
    let variables = (race.target)(&targets);
    let key = match race.racer {
        Racer::Editor => &world.editor,
        Racer::Admin => &world.admin,
    };
    let before = last_audit_entry(&world).await;
    let contenders = race.writes.len();
    let answers = join_all((0..RACERS).map(|i| {
        let (query, _) = race.writes[i % contenders];
        world.run(key, query, variables.clone())
    }))
    .await;

    let outcomes: Vec<String> = answers.iter().map(|(_, answer)| outcome(answer)).collect();
    let winners: Vec<usize> = (0..RACERS)
        .filter(|&i| outcomes[i] == "OK")
        .map(|i| i % contenders)
        .collect();
    let [winner] = winners[..] else {
        return Err(format!(
            "{} writes won instead of one: {outcomes:?}",
            winners.len()
        ));
    };
    let current_version = variables
        .get("v")
        .map_or(Value::Null, |_| json!(next(&variables)));
    for (_, answer) in answers.iter().filter(|(_, answer)| outcome(answer) != "OK") {
        let extensions = &answer["errors"][0]["extensions"];
        if extensions["code"] != "CONFLICT" || extensions["currentVersion"] != current_version {
            return Err(format!(
                "a loser must get CONFLICT with currentVersion {current_version}: {answer}"
            ));
        }
    }

    let recorded: Vec<(String, String)> = audit_entry::Entity::find()
        .filter(audit_entry::Column::Id.gt(before))
        .order_by_asc(audit_entry::Column::Id)
        .all(&world.app.db)
        .await
        .expect("audit log read")
        .into_iter()
        .map(|entry| (entry.entity_type, entry.action))
        .collect();
    let expected = vec![(race.audited.to_owned(), race.writes[winner].1.to_owned())];
    if recorded != expected {
        return Err(format!(
            "the audit log must hold {expected:?}, it holds {recorded:?}"
        ));
    }

    let (_, state) = world.run(&world.admin, race.state, variables.clone()).await;
    let state = redact(data(&state).clone());
    let expected = (race.expected)(&variables, winner);
    if state != expected {
        return Err(format!("the state must be {expected}, it is {state}"));
    }
    Ok(())
}

/// Runs each race and fails with every broken promise.
async fn run_all(races: Vec<Race>) {
    let mut broken = Vec::new();
    for race in &races {
        if let Err(message) = run(race).await {
            broken.push(format!("{}: {message}", race.name));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_identical_writes_on_one_version_make_one_change_and_nineteen_conflicts() {
    run_all(identical_races()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_different_writes_on_one_version_never_both_win() {
    run_all(mixed_races()).await;
}

#[tokio::test]
async fn conditions_doubled_before_the_unique_index_are_cleaned_up_and_cannot_come_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    // One connection: the migrations, the seed and the checks run one after the other, so
    // no statement can wait on a lock another connection of this test holds (one run on a
    // busy PostgreSQL once waited out the pool's 30 s acquire timeout).
    let mut options = sea_orm::ConnectOptions::new(fresh_database_url(&dir).await);
    options.max_connections(1).sqlx_logging(false);
    let db = Database::connect(options).await.expect("connect");
    let unique_index = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261125_002_condition_positions_unique")
        .expect("the migration is registered");
    Migrator::up(&db, Some(u32::try_from(unique_index).expect("a few")))
        .await
        .expect("the migrations before it");
    // The rows the conditions hang on, in the schema of that time (the seed writes today's).
    for sql in [
        "INSERT INTO organisations (id, name, kind, country, address, postal_code, city, commune_code, networks, search_text, created_at, updated_at, version) \
         VALUES (1, 'Atelier', 'ACI', 'FR', '1 rue de la Gare', '59000', 'Lille', '59350', '[]', 'atelier', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', 1)",
        "INSERT INTO offers (id, organisation_id, title, summary, description, kind, sector_code, status, delivery_mode, country, fees, how_to_apply, search_text, created_at, updated_at, version) \
         VALUES (1, 1, 'Offre', '', '', 'TRAINING', 'BIKE_REPAIR', 'DRAFT', 'ON_SITE', 'FR', 'gratuit', '[]', 'offre', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', 1)",
    ] {
        db.execute_unprepared(sql)
            .await
            .expect("an offer to hang conditions on");
    }
    let condition = |position: i32| eligibility_condition::ActiveModel {
        offer_id: Set(1),
        position: Set(position),
        kind: Set(ConditionKind::DrivingLicence),
        mandatory: Set(true),
        description: Set(String::new()),
        zone_codes: Set("[]".into()),
        ..Default::default()
    };
    // What two racing `setEligibilityConditions` could leave: position 0 twice.
    let mut ids = Vec::new();
    for position in [0, 1, 0] {
        ids.push(condition(position).insert(&db).await.expect("insert").id);
    }

    Migrator::up(&db, None).await.expect("the unique index");
    let left: Vec<(i32, i32)> = eligibility_condition::Entity::find()
        .filter(eligibility_condition::Column::OfferId.eq(1))
        .order_by_asc(eligibility_condition::Column::Position)
        .all(&db)
        .await
        .expect("conditions read")
        .into_iter()
        .map(|c| (c.position, c.id))
        .collect();
    assert_eq!(
        left,
        vec![(0, ids[2]), (1, ids[1])],
        "one condition a place, the last written"
    );
    let again = condition(1).insert(&db).await.map(|_| ());
    assert!(
        matches!(
            again.as_ref().map_err(DbErr::sql_err),
            Err(Some(SqlErr::UniqueConstraintViolation(_)))
        ),
        "{again:?}"
    );
}

/// What an offer derives from its children (its session summaries, the text of its approved
/// testimonials) is recomputed under the offer's row lock: twenty sessions added at once, and
/// twenty testimonials approved at once, all count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn children_written_at_once_all_reach_what_the_offer_derives_from_them() {
    let world = world_with(|settings| settings.max_connections = RACERS as u32).await;
    // Offer 3, "Formation menuiserie", has no session: each racer adds one, a day apart.
    const OFFER: &str = "T2ZmZXI6Mw";
    let created = join_all((0..RACERS).map(|i| {
        world.run(
            &world.admin,
            "mutation ($id: ID!, $on: Date!) { createSlot(input: { offerId: $id, startsOn: $on, seatsTotal: 5 }) { slot { id } } }",
            json!({ "id": OFFER, "on": format!("2031-02-{:02}", i + 1) }),
        )
    }))
    .await;
    assert!(
        created.iter().all(|(_, answer)| outcome(answer) == "OK"),
        "{created:?}"
    );
    let last: Option<chrono::NaiveDate> = entity::offer::Entity::find_by_id(3)
        .one(&world.app.db)
        .await
        .expect("read")
        .expect("offer 3")
        .last_slot_on;
    assert_eq!(
        last.map(|date| date.to_string()).as_deref(),
        Some(format!("2031-02-{RACERS:02}").as_str()),
        "the latest of the twenty sessions"
    );

    let submitted = join_all((0..RACERS).map(|i| {
        world.run(
            &world.partner,
            "mutation ($id: ID!, $body: String!) { submitTestimonial(input: { offerId: $id, authorName: \"Anonyme\", body: $body, consentGiven: true }) { testimonial { id } } }",
            json!({ "id": OFFER, "body": format!("Témoin mot{i}x") }),
        )
    }))
    .await;
    let ids: Vec<Value> = submitted
        .iter()
        .map(|(_, answer)| data(answer)["submitTestimonial"]["testimonial"]["id"].clone())
        .collect();
    let approved = join_all(ids.iter().map(|id| {
        world.run(
            &world.admin,
            "mutation ($id: ID!) { approveTestimonial(input: { id: $id }) { testimonial { status } } }",
            json!({ "id": id }),
        )
    }))
    .await;
    assert!(
        approved.iter().all(|(_, answer)| outcome(answer) == "OK"),
        "{approved:?}"
    );
    // Each approval is found by text search: none was lost from the offer's index.
    let mut missing = Vec::new();
    for i in 0..RACERS {
        let answer = world
            .app
            .graphql(
                "query ($t: String!) { offers(first: 5, filter: { text: $t }) { nodes { id } } }",
                json!({ "t": format!("mot{i}x ") }),
            )
            .await;
        if data(&answer)["offers"]["nodes"] != json!([{ "id": OFFER }]) {
            missing.push(i);
        }
    }
    assert!(
        missing.is_empty(),
        "approvals lost from the search index: {missing:?}"
    );
}
