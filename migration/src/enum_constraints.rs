//! Constrains text columns to the codes of an entity enum: CHECK constraints on PostgreSQL,
//! triggers on SQLite (see `m20261125_001_enum_checks` for why SQLite gets triggers).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

/// A text column that holds the code of one entity enum.
pub struct EnumColumn {
    pub table: &'static str,
    pub column: &'static str,
    pub codes: &'static [&'static str],
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

/// Refuses to go on when rows already hold unknown codes: PostgreSQL would stop at the first
/// such table with a bare constraint error, and SQLite's triggers would not look at them at
/// all. The message says which rows an operator must fix before the server can start.
async fn refuse_unknown_codes(
    manager: &SchemaManager<'_>,
    columns: &[EnumColumn],
) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let mut problems = Vec::new();
    for column in columns {
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

/// Adds the constraint of each column, after checking that no row holds an unknown code.
pub async fn constrain(manager: &SchemaManager<'_>, columns: &[EnumColumn]) -> Result<(), DbErr> {
    refuse_unknown_codes(manager, columns).await?;
    let db = manager.get_connection();
    for column in columns {
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

/// Drops what `constrain` added.
pub async fn unconstrain(manager: &SchemaManager<'_>, columns: &[EnumColumn]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for column in columns {
        let name = column.name();
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                for suffix in ["insert", "update"] {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS \"{name}_{suffix}\""))
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
