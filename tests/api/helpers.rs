//! `TestApp`: the real server on port 0 against a fresh database (SQLite file, or PostgreSQL when `TEST_DATABASE_URL` is set).
use std::sync::Arc;

use chrono::Utc;
use entity::enums::ClientRole;
use insertion_catalogue::catalogue::actor::Actor;
use insertion_catalogue::catalogue::clients::{self, NewClient};
use insertion_catalogue::config::Settings;
use insertion_catalogue::http::response_cache::ResponseCache;
use insertion_catalogue::metrics::Metrics;
use insertion_catalogue::seed::{
    self,
    model::{SeedOffer, SeedOrganisation},
};
use insertion_catalogue::startup;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tokio::net::TcpListener;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub metrics: Arc<Metrics>,
    pub response_cache: Arc<ResponseCache>,
    /// The settings it was started with (another instance can share its database).
    pub settings: Settings,
    _dir: tempfile::TempDir,
}

/// A database URL nobody else uses: a temp SQLite file, or a new PostgreSQL database.
pub async fn fresh_database_url(dir: &tempfile::TempDir) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.expect("close admin connection");
            let base = admin_url
                .rsplit_once('/')
                .map(|(base, _)| base)
                .unwrap_or(&admin_url);
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}/catalogue.db?mode=rwc", dir.path().display()),
    }
}

impl TestApp {
    /// The app with the demo catalogue.
    pub async fn spawn_with_demo() -> Self {
        Self::spawn_with(|settings| settings.demo_data = true).await
    }

    /// The app on the demo catalogue without the response cache, for tests of what the
    /// catalogue answers across instances: the cache's bound (1 s) would let a second
    /// instance answer a page it already gave.
    pub async fn spawn_with_demo_uncached() -> Self {
        Self::spawn_with(|settings| {
            settings.demo_data = true;
            settings.response_cache_max_entries = 0;
        })
        .await
    }

    /// The app on an empty catalogue (load a fixture with `load`).
    pub async fn spawn_empty() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings {
            database_url: fresh_database_url(&dir).await,
            demo_data: false,
            max_connections: 4,
            // Tests send many requests from one address; the rate-limit test lowers this.
            anonymous_rate_limit_per_minute: 100_000,
            ..Settings::default()
        };
        adjust(&mut settings);
        Self::spawn_on(settings, dir).await
    }

    /// A second instance on this one's database (as behind a load balancer).
    pub async fn another_instance(&self) -> Self {
        let settings = Settings {
            demo_data: false,
            ..self.settings.clone()
        };
        Self::spawn_on(settings, tempfile::tempdir().expect("temp dir")).await
    }

    async fn spawn_on(settings: Settings, dir: tempfile::TempDir) -> Self {
        let app = startup::build(&settings).await.expect("app builds");
        let db = app.db.clone();
        let metrics = app.metrics.clone();
        let response_cache = app.response_cache.clone();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let address = format!("http://{}", listener.local_addr().expect("local addr"));
        tokio::spawn(async move {
            let _ = startup::serve(listener, app).await;
        });
        Self {
            address,
            client: reqwest::Client::new(),
            db,
            metrics,
            response_cache,
            settings,
            _dir: dir,
        }
    }

    /// Loads a hand-made catalogue.
    pub async fn load(&self, organisations: &[SeedOrganisation], offers: Vec<SeedOffer>) {
        seed::load(
            &self.db,
            organisations,
            offers.into_iter(),
            Utc::now().date_naive(),
            |_| {},
        )
        .await
        .expect("fixture loads");
    }

    /// Registers an API client directly in the domain and returns its key.
    /// The key of a new admin client.
    pub async fn admin_key(&self) -> String {
        self.create_client("Admin", ClientRole::Admin, vec![]).await
    }

    /// Sends `query` with `key` and returns the answer's data; fails the test on an HTTP or
    /// GraphQL error.
    pub async fn graphql_ok_as(&self, key: &str, query: &str, variables: Value) -> Value {
        let (status, answer) = self.graphql_as(key, query, variables).await;
        assert_eq!(status, 200, "{answer}");
        data(&answer).clone()
    }

    pub async fn create_client(
        &self,
        name: &str,
        role: ClientRole,
        organisation_ids: Vec<i32>,
    ) -> String {
        let new = NewClient {
            name: name.into(),
            role,
            organisation_ids,
            allowed_origins: vec!["https://partner.example.org".into()],
            rate_limit_per_minute: None,
        };
        clients::create_client(&self.db, &Actor::operator("test"), new)
            .await
            .expect("client created")
            .2
    }

    /// POSTs a GraphQL request with a bearer key; returns the status and the JSON answer.
    pub async fn graphql_as(&self, key: &str, query: &str, variables: Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}/graphql", self.address))
            .bearer_auth(key)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// POSTs a GraphQL request and returns the JSON body (any HTTP status).
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.post_json(&json!({ "query": query, "variables": variables }))
            .await
            .1
    }

    /// POSTs a body and returns the status and the JSON answer.
    pub async fn post_json(&self, body: &Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(body)
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// POSTs raw bytes with the given headers.
    pub async fn post_raw(&self, body: Vec<u8>, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }
}

/// Runs `query` page after page, handing each page's `offers` to `each`: the query takes
/// `$a: String` as its cursor and selects `offers { … pageInfo { hasNextPage endCursor } }`.
pub async fn each_offers_page(
    app: &TestApp,
    query: &str,
    variables: Value,
    mut each: impl FnMut(&Value),
) {
    let mut variables = variables;
    loop {
        let answer = app.graphql(query, variables.clone()).await;
        let offers = &data(&answer)["offers"];
        each(offers);
        if offers["pageInfo"]["hasNextPage"] != true {
            return;
        }
        variables["a"] = offers["pageInfo"]["endCursor"].clone();
    }
}

/// The (id, cursor) of each edge of a page of `offers`, in order.
pub fn ids_and_cursors(offers: &Value) -> impl Iterator<Item = (String, String)> + '_ {
    offers["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| {
            (
                edge["node"]["id"].as_str().expect("id").to_owned(),
                edge["cursor"].as_str().expect("cursor").to_owned(),
            )
        })
}

/// The data of a successful answer; panics with the errors otherwise.
pub fn data(answer: &Value) -> &Value {
    assert!(
        answer.get("errors").is_none(),
        "unexpected errors: {answer:#}"
    );
    &answer["data"]
}

/// The `extensions.code` of the first error.
pub fn error_code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {answer:#}"))
}

/// The `extensions.field` of the first error.
pub fn error_field(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_else(|| panic!("no error field in {answer:#}"))
}

/// The demo's header, its first organisation and a published offer of it, as JSON values.
pub fn demo_records() -> (Value, Value, Value) {
    let lines: Vec<Value> = insertion_catalogue::seed::DEMO_BUNDLE
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    let organisation = lines
        .iter()
        .find_map(|line| line.get("organisation"))
        .expect("an organisation")
        .clone();
    let offer = lines
        .iter()
        .filter_map(|line| line.get("offer"))
        .find(|o| {
            o["organisation"]["external_id"] == organisation["external_id"]
                && o["status"] == "PUBLISHED"
        })
        .expect("a published offer of it")
        .clone();
    (lines[0].clone(), organisation, offer)
}

/// The first column of every row a SQL statement returns.
pub async fn sql_column<T: sea_orm::TryGetable>(
    db: &sea_orm::DatabaseConnection,
    sql: &str,
) -> Vec<T> {
    use sea_orm::ConnectionTrait;
    db.query_all_raw(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql,
    ))
    .await
    .expect("query")
    .iter()
    .map(|row| {
        row.try_get_by_index::<T>(0)
            .expect("a value of the first column")
    })
    .collect()
}

/// The count a SQL statement returns in its first column.
pub async fn sql_count(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await
        .expect("query")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a count")
}

/// On PostgreSQL, the rows of `offer_stems` that differ from what the offers' stem columns
/// make (each stem once per offer, with the best place it holds: 3 the title, 2 the summary,
/// 1 the rest), missing or extra, computed here rather than by the database's own function;
/// then the same of what a search reads from the packed blocks (`offer_stem_blocks`), before
/// and after the blocks that writes marked are packed again (which this does). Empty on
/// SQLite, which has no such tables.
pub async fn stems_out_of_step(db: &DatabaseConnection) -> Vec<String> {
    use std::collections::{BTreeMap, BTreeSet};
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Vec::new();
    }
    let rows = |sql: &str| {
        db.query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            sql.to_owned(),
        ))
    };
    let mut expected = BTreeSet::new();
    for row in rows(
        "SELECT id, coalesce(fts_title, ''), coalesce(fts_summary, ''), \
         coalesce(fts_body, ''), coalesce(fts_testimonials, '') FROM offers",
    )
    .await
    .expect("offers")
    {
        let id: i32 = row.try_get_by_index(0).expect("id");
        let mut best: BTreeMap<String, i16> = BTreeMap::new();
        for (column, tier) in [(1, 3_i16), (2, 2), (3, 1), (4, 1)] {
            let stems: String = row.try_get_by_index(column).expect("stems");
            for stem in stems.split(' ').filter(|stem| !stem.is_empty()) {
                let place = best.entry(stem.to_owned()).or_insert(tier);
                *place = (*place).max(tier);
            }
        }
        expected.extend(best.into_iter().map(|(stem, tier)| (stem, tier, id)));
    }
    let actual: BTreeSet<(String, i16, i32)> = rows("SELECT stem, tier, offer_id FROM offer_stems")
        .await
        .expect("stems")
        .iter()
        .map(|row| {
            (
                row.try_get_by_index(0).expect("stem"),
                row.try_get_by_index(1).expect("tier"),
                row.try_get_by_index(2).expect("offer"),
            )
        })
        .collect();
    let mut out_of_step = differences("offer_stems", &expected, &actual);
    // What a search reads (packed blocks, and the rows of the blocks a write marked) says the
    // same, before the marked blocks are packed again and after.
    out_of_step.extend(differences(
        "read before packing",
        &expected,
        &word_lists_read(db).await,
    ));
    insertion_catalogue::catalogue::stem_blocks::compact_all(db)
        .await
        .expect("marked blocks packed");
    out_of_step.extend(differences(
        "read after packing",
        &expected,
        &word_lists_read(db).await,
    ));
    let marks = sql_count(db, "SELECT count(*) FROM offer_stem_changes").await;
    if marks != 0 {
        out_of_step.push(format!("{marks} marks left after packing"));
    }
    out_of_step
}

/// The rows of `expected` missing from `actual` and those extra in it, named by `what`.
fn differences(
    what: &str,
    expected: &std::collections::BTreeSet<(String, i16, i32)>,
    actual: &std::collections::BTreeSet<(String, i16, i32)>,
) -> Vec<String> {
    let missing = expected
        .difference(actual)
        .map(|row| format!("{what}: missing {row:?}"));
    let extra = actual
        .difference(expected)
        .map(|row| format!("{what}: extra {row:?}"));
    missing.chain(extra).collect()
}

/// Every (stem, tier, offer) a search reads on PostgreSQL, as `word_list` does: the packed
/// blocks no write marked, and the rows of `offer_stems` in the marked ones. A packed id
/// outside its block, out of order or twice in it is reported as an offer of id -1.
async fn word_lists_read(
    db: &DatabaseConnection,
) -> std::collections::BTreeSet<(String, i16, i32)> {
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT k.stem, k.tier, k.block, k.ids FROM offer_stem_blocks k \
             WHERE NOT EXISTS (SELECT 1 FROM offer_stem_changes c \
             WHERE c.stem = k.stem AND c.tier = k.tier AND c.block = k.block) \
             UNION ALL \
             SELECT s.stem, s.tier, m.block, int4send(s.offer_id) FROM \
             (SELECT DISTINCT stem, tier, block FROM offer_stem_changes) m \
             JOIN offer_stems s ON s.stem = m.stem AND s.tier = m.tier \
             AND s.offer_id >> 12 = m.block",
        ))
        .await
        .expect("word lists");
    let mut read = std::collections::BTreeSet::new();
    for row in rows {
        let stem: String = row.try_get_by_index(0).expect("stem");
        let tier: i16 = row.try_get_by_index(1).expect("tier");
        let block: i32 = row.try_get_by_index(2).expect("block");
        let bytes: Vec<u8> = row.try_get_by_index(3).expect("ids");
        let ids: Vec<i32> = bytes
            .chunks(4)
            .map(|id| i32::from_be_bytes(id.try_into().unwrap_or([0xff; 4])))
            .collect();
        let well_formed =
            ids.windows(2).all(|pair| pair[0] < pair[1]) && ids.iter().all(|id| id >> 12 == block);
        if !well_formed {
            read.insert((stem.clone(), tier, -1));
        }
        read.extend(ids.into_iter().map(|id| (stem.clone(), tier, id)));
    }
    read
}

/// `totalCount` of the offers `filter` keeps.
pub async fn total_count(app: &TestApp, filter: &Value) -> i64 {
    let answer = app
        .graphql(
            "query ($f: OfferFilter) { offers(first: 0, filter: $f) { totalCount } }",
            json!({ "f": filter }),
        )
        .await;
    data(&answer)["offers"]["totalCount"]
        .as_i64()
        .unwrap_or_else(|| panic!("totalCount: {answer}"))
}

/// `filter` with a condition only SQL decides, which keeps every offer (`minQuality: 0`):
/// the answer to compare a search decided in memory with.
pub fn decided_by_sql(filter: &Value) -> Value {
    let mut by_sql = filter.clone();
    by_sql["minQuality"] = json!(0);
    by_sql
}

/// Whether a page's statement was handed the page itself, at most `rows` ids (the ids the
/// search chose are the statement's last condition: a list of bound values, not a
/// subquery), rather than every offer the conditions keep, or nothing.
pub fn handed_the_page(sql: &str, rows: usize) -> bool {
    let bound = |value: &str| {
        let value = value.trim();
        value == "?"
            || value
                .strip_prefix('$')
                .is_some_and(|n| n.parse::<u32>().is_ok())
    };
    sql.rsplit_once(r#""offers"."id" IN ("#)
        .and_then(|(_, list)| list.split_once(')'))
        .is_some_and(|(list, _)| list.split(',').all(bound) && list.split(',').count() <= rows)
}

/// PostgreSQL's generic plan of a captured statement (`EXPLAIN EXECUTE` of it prepared with
/// `plan_cache_mode = force_generic_plan`, its values as literals), one line a node: the plan
/// a prepared statement may switch to after five runs, which cannot see its values.
pub async fn postgres_generic_plan(app: &TestApp, statement: &sea_orm::Statement) -> String {
    use sea_orm::sea_query::{PostgresQueryBuilder, QueryBuilder};
    use sea_orm::{DbBackend, Statement, TransactionTrait};
    let values = statement
        .values
        .as_ref()
        .map(|values| values.0.as_slice())
        .unwrap_or_default();
    let literals: Vec<String> = values
        .iter()
        .map(|value| PostgresQueryBuilder.value_to_string(value))
        .collect();
    // Typed as the driver binds them: untyped, `$1 + $2` would be `text + text`.
    let types: Vec<&str> = values.iter().map(postgres_type).collect();
    let txn = app.db.begin().await.expect("a transaction");
    txn.execute_unprepared("SET LOCAL plan_cache_mode = force_generic_plan")
        .await
        .expect("generic plans");
    txn.execute_unprepared(&format!(
        "PREPARE explained ({}) AS {}",
        types.join(", "),
        statement.sql
    ))
    .await
    .expect("prepared");
    let rows = txn
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("EXPLAIN EXECUTE explained({})", literals.join(", ")),
        ))
        .await
        .expect("explained");
    let plan: Vec<String> = rows
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("a plan line"))
        .collect();
    txn.execute_unprepared("DEALLOCATE explained")
        .await
        .expect("deallocated");
    txn.rollback().await.expect("rolled back");
    plan.join("\n")
}

/// The PostgreSQL type a value is bound as.
fn postgres_type(value: &sea_orm::Value) -> &'static str {
    use sea_orm::Value;
    match value {
        Value::Bool(_) => "boolean",
        Value::TinyInt(_) | Value::SmallInt(_) | Value::TinyUnsigned(_) => "smallint",
        Value::Int(_) | Value::SmallUnsigned(_) => "integer",
        Value::BigInt(_) | Value::Unsigned(_) | Value::BigUnsigned(_) => "bigint",
        Value::Float(_) => "real",
        Value::Double(_) => "double precision",
        Value::String(_) => "text",
        Value::ChronoDate(_) => "date",
        Value::ChronoDateTimeUtc(_) => "timestamptz",
        other => panic!("no PostgreSQL type known here for {other:?}"),
    }
}
