//! The change feed: each organisation and offer carries the catalogue version of its last
//! change (`change_seq`), written in the transaction of the change, so that partners can
//! walk every change, deletions included, in commit order.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 2] = ["organisations", "offers"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(big_integer("change_seq").default(0))
                        .take(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_change_seq"))
                        .table(table)
                        .col("change_seq")
                        .col("id")
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_change_seq"))
                        .table(table)
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(Table::alter().table(table).drop_column("change_seq").take())
                .await?;
        }
        Ok(())
    }
}
