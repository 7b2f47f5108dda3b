//! The catalogue version: one row, bumped in the transaction of every catalogue write, so
//! that every instance can tell when its cached answers went stale.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                // IF NOT EXISTS and DO NOTHING: a database may have been given the table
                // ahead of this step (a test seeds today's loaders into an older schema).
                Table::create()
                    .table("catalogue_version")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(big_integer("version"))
                    .take(),
            )
            .await?;
        let insert = Query::insert()
            .into_table("catalogue_version")
            .columns(["id", "version"])
            .values_panic([1.into(), 1.into()])
            .on_conflict(OnConflict::column("id").do_nothing().to_owned())
            .take();
        manager.exec_stmt(insert).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("catalogue_version").take())
            .await
    }
}
