//! Constrains the enum columns to their known codes (defect 13): an unknown code written by a
//! manual fix or an import is refused by the database, instead of being stored and then
//! failing every page that contains the row.
//!
//! A migration is a snapshot: the codes are listed literally, as `entity::enums` has them
//! today. A new code needs a new migration that widens the constraint; the test
//! `tests/api/enum_columns.rs` derives the codes from the entity enums and fails until it exists.
//!
//! PostgreSQL gets `CHECK` constraints. SQLite cannot add a constraint to an existing table; the
//! alternative to triggers, rebuilding each table (create a copy, move the rows, drop, rename),
//! needs `PRAGMA foreign_keys = OFF`, which SQLite ignores inside a transaction: dropping
//! `offers` with foreign keys on would cascade-delete its sessions, conditions, testimonials and
//! facets. So SQLite gets `BEFORE INSERT` and `BEFORE UPDATE OF <column>` triggers that
//! `RAISE(ABORT, …)`: additive, applied in one transaction, dropped as easily, no data moved.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A text column that holds the code of one entity enum.
struct EnumColumn {
    table: &'static str,
    column: &'static str,
    codes: &'static [&'static str],
}

impl EnumColumn {
    /// `ck_<table>_<column>`: PostgreSQL's own names for column checks are `<table>_<column>_check`
    /// (two of those exist already), so this prefix cannot clash with them.
    fn name(&self) -> String {
        format!("ck_{}_{}", self.table, self.column)
    }

    fn code_list(&self) -> String {
        self.codes
            .iter()
            .map(|code| format!("'{}'", code.replace('\'', "''")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// True for a value the column accepts (`row` is `NEW.` in a trigger, empty in a CHECK).
    /// NULL passes: the NOT NULL of the column, where it has one, refuses it already.
    fn allowed(&self, row: &str) -> String {
        format!(
            "{row}\"{column}\" IS NULL OR {row}\"{column}\" IN ({codes})",
            column = self.column,
            codes = self.code_list()
        )
    }
}

/// Every enum column of the schema but `organisations.country` and `api_clients.role`, which
/// have had their CHECK since they were created.
const COLUMNS: &[EnumColumn] = &[
    EnumColumn {
        table: "organisations",
        column: "kind",
        codes: &[
            "ACI",
            "EI",
            "ETTI",
            "AI",
            "EITI",
            "EA",
            "GEIQ",
            "CISP",
            "ETA",
            "TRAINING_BODY",
            "PUBLIC_EMPLOYMENT_SERVICE",
            "ASSOCIATION",
            "OTHER",
        ],
    },
    EnumColumn {
        table: "offers",
        column: "kind",
        codes: &[
            "TRAINING",
            "WORK_PLACEMENT",
            "SUPPORTED_JOB",
            "SUPPORT_PROGRAMME",
            "WORKSHOP",
            "INFORMATION_SESSION",
        ],
    },
    EnumColumn {
        table: "offers",
        column: "status",
        codes: &["DRAFT", "PUBLISHED", "SUSPENDED", "ARCHIVED"],
    },
    EnumColumn {
        table: "offers",
        column: "delivery_mode",
        codes: &["ON_SITE", "REMOTE", "HYBRID"],
    },
    EnumColumn {
        table: "offers",
        column: "country",
        codes: &["FR", "BE"],
    },
    EnumColumn {
        table: "offers",
        column: "contract_type",
        codes: &[
            "CDDI",
            "CDI_INCLUSION",
            "INSERTION_TEMPORARY_ASSIGNMENT",
            "FIXED_TERM",
            "PERMANENT",
            "ARTICLE_60",
            "OTHER",
        ],
    },
    EnumColumn {
        table: "offers",
        column: "fees",
        codes: &["gratuit", "payant"],
    },
    EnumColumn {
        table: "offer_publics",
        column: "public",
        codes: &[
            "tous-publics",
            "actifs",
            "beneficiaires-des-minimas-sociaux",
            "demandeurs-emploi",
            "etudiants",
            "familles",
            "femmes",
            "jeunes",
            "personnes-en-situation-de-handicap",
            "personnes-en-situation-durgence",
            "personnes-en-situation-juridique-specifique",
            "personnes-exilees",
            "residents-qpv-frr",
            "seniors",
        ],
    },
    EnumColumn {
        table: "offer_barriers",
        column: "barrier",
        codes: &[
            "CHILDCARE",
            "MOBILITY",
            "DIGITAL_SKILLS",
            "LANGUAGE",
            "HOUSING",
            "DEBT",
            "HEALTH",
            "ADMINISTRATIVE",
            "GENDERED_TRADES",
        ],
    },
    EnumColumn {
        table: "eligibility_conditions",
        column: "kind",
        codes: &[
            "AGE",
            "IAE_CRITERIA",
            "JOB_SEEKER",
            "MAX_DIPLOMA_LEVEL",
            "RESIDENCE_ZONE",
            "RECOGNISED_DISABILITY",
            "PRESCRIPTION_REQUIRED",
            "DRIVING_LICENCE",
            "LANGUAGE_LEVEL",
            "CISP_RULE",
            "FREE_TEXT",
        ],
    },
    EnumColumn {
        table: "eligibility_conditions",
        column: "zone_kind",
        codes: &["QPV", "ZRR", "COMMUNES", "DEPARTEMENTS"],
    },
    EnumColumn {
        table: "testimonials",
        column: "author_role",
        codes: &["TRAINEE", "EMPLOYER", "ADVISER"],
    },
    EnumColumn {
        table: "testimonials",
        column: "status",
        codes: &["PENDING", "APPROVED", "REJECTED"],
    },
];

/// Refuses to go on when rows already hold unknown codes: PostgreSQL would stop at the first
/// such table with a bare constraint error, and SQLite's triggers would not look at them at
/// all. The message says which rows an operator must fix before the server can start.
async fn refuse_unknown_codes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let mut problems = Vec::new();
    for column in COLUMNS {
        let sql = format!(
            "SELECT DISTINCT \"{col}\" AS code FROM \"{table}\" WHERE NOT ({allowed}) ORDER BY 1 LIMIT 5",
            col = column.column,
            table = column.table,
            allowed = column.allowed("")
        );
        let rows = manager
            .get_connection()
            .query_all_raw(Statement::from_string(backend, sql))
            .await?;
        if !rows.is_empty() {
            let codes = rows
                .iter()
                .map(|row| row.try_get::<String>("", "code"))
                .collect::<Result<Vec<_>, _>>()?;
            problems.push(format!(
                "{}.{} holds {:?}",
                column.table, column.column, codes
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DbErr::Migration(format!(
            "cannot constrain the enum columns: rows hold unknown codes ({}); correct those rows, then start again",
            problems.join("; ")
        )))
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing on SQLite too (sea-orm-migration only wraps PostgreSQL by default).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        refuse_unknown_codes(manager).await?;
        let db = manager.get_connection();
        for column in COLUMNS {
            let name = column.name();
            match manager.get_database_backend() {
                DbBackend::Sqlite => {
                    for (event, suffix) in [
                        ("INSERT".to_owned(), "insert"),
                        (format!("UPDATE OF \"{}\"", column.column), "update"),
                    ] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER \"{name}_{suffix}\" BEFORE {event} ON \"{table}\" \
                             FOR EACH ROW WHEN NOT ({allowed}) \
                             BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END",
                            table = column.table,
                            allowed = column.allowed("NEW."),
                        ))
                        .await?;
                    }
                }
                _ => {
                    db.execute_unprepared(&format!(
                        "ALTER TABLE \"{table}\" ADD CONSTRAINT \"{name}\" CHECK ({allowed})",
                        table = column.table,
                        allowed = column.allowed(""),
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for column in COLUMNS {
            let name = column.name();
            match manager.get_database_backend() {
                DbBackend::Sqlite => {
                    for suffix in ["insert", "update"] {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS \"{name}_{suffix}\""
                        ))
                        .await?;
                    }
                }
                _ => {
                    db.execute_unprepared(&format!(
                        "ALTER TABLE \"{}\" DROP CONSTRAINT IF EXISTS \"{name}\"",
                        column.table
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }
}
