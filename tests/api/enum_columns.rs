//! The database refuses a code that no entity enum knows (defect 13), on every enum column, on
//! insert and on update, and accepts every code the enums declare. The codes come from the
//! entity enums themselves, so a code added to an enum without a migration that widens the
//! column's constraint fails here.
use chrono::Utc;
use entity::enums::{
    Barrier, ClientRole, ConditionKind, ContractType, Country, DeliveryMode, DisabledWorkerFit,
    DuplicateStatus, Fees, OccupationSystem, OfferKind, OfferStatus, OrganisationKind, Public,
    Recruitment, TestimonialRole, TestimonialStatus, ZoneKind,
};
use entity::{
    api_client, api_client_organisation, audit_entry, eligibility_condition, offer, offer_barrier,
    offer_code, offer_duplicate, offer_public, offer_theme, organisation, sector, testimonial,
    training_slot,
};
use migration::{Migrator, MigratorTrait};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, Value};
use sea_orm::{
    ActiveEnum, ColumnTrait, ColumnType, ConnectionTrait, Database, DatabaseConnection, DbErr,
    EntityName, EntityTrait, IdenStatic, Iterable,
};

use crate::helpers::{TestApp, fresh_database_url};

/// A column that holds the codes of one entity enum.
struct EnumColumn {
    table: &'static str,
    column: &'static str,
    nullable: bool,
    codes: Vec<String>,
    enum_name: &'static str,
}

fn enum_column<C: ColumnTrait, E: ActiveEnum<Value = String>>(column: C) -> EnumColumn {
    EnumColumn {
        table: C::EntityName::default().table_name(),
        column: column.as_str(),
        nullable: column.def().is_null(),
        codes: E::values(),
        enum_name: std::any::type_name::<E>(),
    }
}

/// Every enum column of the entities (`every_text_column_is_a_listed_enum_column` keeps this
/// list complete).
fn enum_columns() -> Vec<EnumColumn> {
    vec![
        enum_column::<_, OrganisationKind>(organisation::Column::Kind),
        enum_column::<_, Country>(organisation::Column::Country),
        enum_column::<_, OfferKind>(offer::Column::Kind),
        enum_column::<_, OfferStatus>(offer::Column::Status),
        enum_column::<_, DeliveryMode>(offer::Column::DeliveryMode),
        enum_column::<_, Country>(offer::Column::Country),
        enum_column::<_, ContractType>(offer::Column::ContractType),
        enum_column::<_, Fees>(offer::Column::Fees),
        enum_column::<_, DisabledWorkerFit>(offer::Column::FitForDisabledWorkers),
        enum_column::<_, OccupationSystem>(offer_code::Column::System),
        enum_column::<_, Public>(offer_public::Column::Public),
        enum_column::<_, Barrier>(offer_barrier::Column::Barrier),
        enum_column::<_, ConditionKind>(eligibility_condition::Column::Kind),
        enum_column::<_, ZoneKind>(eligibility_condition::Column::ZoneKind),
        enum_column::<_, TestimonialRole>(testimonial::Column::AuthorRole),
        enum_column::<_, TestimonialStatus>(testimonial::Column::Status),
        enum_column::<_, Recruitment>(training_slot::Column::Recruitment),
        enum_column::<_, ClientRole>(api_client::Column::Role),
        enum_column::<_, DuplicateStatus>(offer_duplicate::Column::Status),
    ]
}

/// `table.column` of the columns whose type is `Text`: sea-orm gives that type to the fields of
/// a text-backed `ActiveEnum`, and `String` fields get `String(None)`.
fn text_columns<E: EntityTrait>(found: &mut Vec<String>) {
    for column in E::Column::iter() {
        if matches!(column.def().get_column_type(), ColumnType::Text) {
            found.push(format!("{}.{}", E::default().table_name(), column.as_str()));
        }
    }
}

#[test]
fn every_text_column_is_a_listed_enum_column() {
    let mut found = Vec::new();
    text_columns::<api_client::Entity>(&mut found);
    text_columns::<api_client_organisation::Entity>(&mut found);
    text_columns::<audit_entry::Entity>(&mut found);
    text_columns::<eligibility_condition::Entity>(&mut found);
    text_columns::<offer::Entity>(&mut found);
    text_columns::<offer_barrier::Entity>(&mut found);
    text_columns::<offer_code::Entity>(&mut found);
    text_columns::<offer_duplicate::Entity>(&mut found);
    text_columns::<offer_public::Entity>(&mut found);
    text_columns::<offer_theme::Entity>(&mut found);
    text_columns::<organisation::Entity>(&mut found);
    text_columns::<sector::Entity>(&mut found);
    text_columns::<testimonial::Entity>(&mut found);
    text_columns::<training_slot::Entity>(&mut found);
    found.sort();
    let mut listed: Vec<String> = enum_columns()
        .iter()
        .map(|column| format!("{}.{}", column.table, column.column))
        .collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "an enum column of the entities is missing from enum_columns() (and maybe from the migrations' constraints)"
    );
}

/// The rows the checks hang on: one organisation, one offer for new child rows, and one offer
/// whose single facet row the update checks change in place.
struct Parents {
    organisation_id: i32,
    offer_id: i32,
    facet_offer_id: i32,
    /// Offers created after the two above (higher ids: the second offer of a pair).
    later_offer_ids: Vec<i32>,
    sector_code: String,
}

/// A valid row of `table` (`n` keeps unique columns unique), every enum column on its first code.
fn valid_row(table: &str, n: usize, parents: &Parents) -> Vec<(&'static str, Value)> {
    let now = Utc::now();
    let text = |value: &str| Value::from(value.to_owned());
    match table {
        "organisations" => vec![
            ("name", text(&format!("Structure {n}"))),
            ("kind", text(OrganisationKind::Aci.code())),
            ("country", text(Country::Fr.code())),
            ("address", text("1 rue de la Gare")),
            ("postal_code", text("59000")),
            ("city", text("Lille")),
            ("commune_code", text("59350")),
            ("search_text", text("structure")),
            ("created_at", now.into()),
            ("updated_at", now.into()),
        ],
        "offers" => vec![
            ("organisation_id", parents.organisation_id.into()),
            ("title", text(&format!("Offre {n}"))),
            ("summary", text("Résumé")),
            ("description", text("Description")),
            ("kind", text(OfferKind::Training.code())),
            ("sector_code", text(&parents.sector_code)),
            ("status", text(OfferStatus::Draft.code())),
            ("delivery_mode", text(DeliveryMode::OnSite.code())),
            ("country", text(Country::Fr.code())),
            ("fees", text(Fees::Free.code())),
            ("created_at", now.into()),
            ("updated_at", now.into()),
        ],
        "offer_publics" => vec![("offer_id", parents.offer_id.into())],
        "offer_barriers" => vec![("offer_id", parents.offer_id.into())],
        "offer_duplicates" => vec![
            ("offer_id", parents.offer_id.into()),
            (
                "duplicate_id",
                parents.later_offer_ids[n % parents.later_offer_ids.len()].into(),
            ),
            ("score", 0.9.into()),
            ("created_at", now.into()),
        ],
        "offer_codes" => vec![
            ("offer_id", parents.offer_id.into()),
            ("code", text(&format!("C{n}"))),
        ],
        "eligibility_conditions" => vec![
            ("offer_id", parents.offer_id.into()),
            ("position", i32::try_from(n).expect("small n").into()),
            ("kind", text(ConditionKind::FreeText.code())),
            ("mandatory", true.into()),
            ("description", text("Condition")),
        ],
        "training_slots" => vec![
            ("offer_id", parents.offer_id.into()),
            ("starts_on", now.date_naive().into()),
            ("ends_on", now.date_naive().into()),
            ("seats_taken", 0.into()),
            ("created_at", now.into()),
            ("updated_at", now.into()),
        ],
        "testimonials" => vec![
            ("offer_id", parents.offer_id.into()),
            ("author_name", text("Camille")),
            ("author_role", text(TestimonialRole::Trainee.code())),
            ("body", text("Bien.")),
            ("consent_given_at", now.into()),
            ("status", text(TestimonialStatus::Pending.code())),
            ("created_at", now.into()),
            ("updated_at", now.into()),
        ],
        "api_clients" => vec![
            ("name", text(&format!("Client {n}"))),
            ("role", text(ClientRole::Partner.code())),
            ("key_hash", text(&format!("hash-{n}"))),
            ("key_prefix", text("icat_")),
            ("rate_limit_per_minute", 60.into()),
            ("created_at", now.into()),
        ],
        other => panic!("no valid row for {other}: add one"),
    }
}

/// Inserts `row` with `column` set to `value`; returns the new row's `id` (None for tables
/// keyed by their columns).
async fn insert(
    db: &DatabaseConnection,
    table: &str,
    mut row: Vec<(&'static str, Value)>,
    column: &'static str,
    value: Value,
) -> Result<Option<i32>, DbErr> {
    row.retain(|(name, _)| *name != column);
    row.push((column, value));
    let mut statement = Query::insert();
    statement
        .into_table(Alias::new(table))
        .columns(row.iter().map(|(name, _)| Alias::new(*name)))
        .values_panic(row.into_iter().map(|(_, value)| Expr::val(value)));
    if table.starts_with("offer_") {
        db.execute(&statement).await?;
        return Ok(None);
    }
    statement.returning_col(Alias::new("id"));
    let inserted = db.query_one(&statement).await?.expect("RETURNING id");
    Ok(Some(inserted.try_get("", "id")?))
}

/// Sets `column` of one row: the row with `id`, or the facet row of `offer_id`.
async fn update(
    db: &DatabaseConnection,
    table: &str,
    key: (&str, i32),
    column: &str,
    value: Value,
) -> Result<(), DbErr> {
    let mut statement = Query::update();
    statement
        .table(Alias::new(table))
        .value(Alias::new(column), value)
        .and_where(Expr::col(Alias::new(key.0)).eq(key.1));
    let result = db.execute(&statement).await?;
    assert_eq!(result.rows_affected(), 1, "UPDATE {table} hit one row");
    Ok(())
}

#[tokio::test]
async fn every_enum_column_refuses_an_unknown_code_and_accepts_every_known_one() {
    let app = TestApp::spawn_empty().await;
    let db = &app.db;
    let unknown = || Value::from("NOT_A_CODE".to_owned());
    let null = || Value::String(None);

    let sector_code = sector::Entity::find()
        .one(db)
        .await
        .expect("read sectors")
        .expect("the migrations seed the sectors")
        .code;
    let mut parents = Parents {
        organisation_id: 0,
        offer_id: 0,
        facet_offer_id: 0,
        later_offer_ids: Vec::new(),
        sector_code,
    };
    let organisation_row = valid_row("organisations", 0, &parents);
    parents.organisation_id = insert(db, "organisations", organisation_row, "kind", "ACI".into())
        .await
        .expect("valid organisation")
        .expect("id");
    for n in [0, 1] {
        let id = insert(
            db,
            "offers",
            valid_row("offers", n, &parents),
            "kind",
            "TRAINING".into(),
        )
        .await
        .expect("valid offer")
        .expect("id");
        if n == 0 {
            parents.offer_id = id;
        } else {
            parents.facet_offer_id = id;
        }
    }
    for n in 2..22 {
        let id = insert(
            db,
            "offers",
            valid_row("offers", n, &parents),
            "kind",
            "TRAINING".into(),
        )
        .await
        .expect("valid offer")
        .expect("id");
        parents.later_offer_ids.push(id);
    }

    let mut failures = Vec::new();
    let mut n = 10;
    for column in enum_columns() {
        let EnumColumn {
            table,
            column: name,
            ..
        } = column;
        let place = format!("{table}.{name} ({})", column.enum_name);
        let mut values: Vec<Option<&str>> = column.codes.iter().map(|c| Some(c.as_str())).collect();
        if column.nullable {
            values.push(None);
        }

        // Inserts: every known code (and NULL where allowed) goes in, an unknown one does not.
        for value in &values {
            n += 1;
            let value = value.map_or_else(null, |code| code.to_owned().into());
            if let Err(error) = insert(
                db,
                table,
                valid_row(table, n, &parents),
                name,
                value.clone(),
            )
            .await
            {
                failures.push(format!("{place}: INSERT of {value:?} refused: {error}"));
            }
        }
        n += 1;
        if insert(db, table, valid_row(table, n, &parents), name, unknown())
            .await
            .is_ok()
        {
            failures.push(format!("{place}: INSERT of an unknown code accepted"));
        }

        // Updates of one existing row: the same.
        n += 1;
        let key = if table.starts_with("offer_") {
            let first = column.codes[0].clone().into();
            let mut row = valid_row(table, n, &parents);
            row[0].1 = parents.facet_offer_id.into();
            insert(db, table, row, name, first)
                .await
                .expect("facet row");
            ("offer_id", parents.facet_offer_id)
        } else {
            let first = column.codes[0].clone().into();
            let id = insert(db, table, valid_row(table, n, &parents), name, first)
                .await
                .expect("row to update")
                .expect("id");
            ("id", id)
        };
        for value in values.iter().rev() {
            let value = value.map_or_else(null, |code| code.to_owned().into());
            if let Err(error) = update(db, table, key, name, value.clone()).await {
                failures.push(format!("{place}: UPDATE to {value:?} refused: {error}"));
            }
        }
        if update(db, table, key, name, unknown()).await.is_ok() {
            failures.push(format!("{place}: UPDATE to an unknown code accepted"));
        }
    }
    assert!(
        failures.is_empty(),
        "the enum columns do not match the entity enums (a code added without a migration?):\n{}",
        failures.join("\n")
    );
}

/// A database that already holds an unknown code cannot be constrained: the migration stops
/// and names the rows to correct, and applies once they are; reverting it lifts the checks.
#[tokio::test]
async fn the_enum_checks_migration_names_the_rows_to_correct_and_can_be_reverted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::connect(fresh_database_url(&dir).await)
        .await
        .expect("connect");
    let migrations = Migrator::migrations();
    let position = migrations
        .iter()
        .position(|migration| migration.name() == "m20261125_001_enum_checks")
        .expect("the enum checks migration is registered");
    Migrator::up(&db, Some(u32::try_from(position).expect("few migrations")))
        .await
        .expect("the migrations before the checks");
    let parents = Parents {
        organisation_id: 0,
        offer_id: 0,
        facet_offer_id: 0,
        later_offer_ids: Vec::new(),
        sector_code: String::new(),
    };
    // An organisation of a kind no enum knows.
    let unknown_kind = |n| {
        let row = valid_row("organisations", n, &parents);
        insert(
            &db,
            "organisations",
            row,
            "kind",
            Value::from("ESS".to_owned()),
        )
    };
    unknown_kind(1).await.expect("no check yet");

    let error = Migrator::up(&db, None)
        .await
        .expect_err("the unknown code stops the migration");
    assert!(
        error
            .to_string()
            .contains(r#"organisations.kind holds ["ESS"]"#),
        "the error names the column and the code: {error}"
    );

    db.execute_unprepared("UPDATE organisations SET kind = 'OTHER' WHERE kind = 'ESS'")
        .await
        .expect("correct the row");
    Migrator::up(&db, None)
        .await
        .expect("applies once the rows are correct");
    assert!(unknown_kind(2).await.is_err(), "constrained");

    let later = u32::try_from(migrations.len() - position).expect("few migrations");
    Migrator::down(&db, Some(later))
        .await
        .expect("the checks can be reverted");
    unknown_kind(3).await.expect("no check after reverting");
}
