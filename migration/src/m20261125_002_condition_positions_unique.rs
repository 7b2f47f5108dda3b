//! One condition per place in an offer's list: a UNIQUE index on (offer_id, position), so
//! that two writers can never leave the list doubled. It replaces the plain index on the
//! same columns.
//!
//! Before the index, duplicates that concurrent `setEligibilityConditions` calls may have
//! left are removed: of the rows sharing a place, the last written (highest id) stays.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "eligibility_conditions";
const PLAIN: &str = "idx_conditions_offer";
const UNIQUE: &str = "idx_conditions_offer_position_unique";

fn index(name: &str) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(TABLE.to_owned())
        .col("offer_id")
        .col("position")
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let survivors = Query::select()
            .expr(Func::max(Expr::col("id")))
            .from(TABLE)
            .group_by_columns(["offer_id", "position"])
            .take();
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(TABLE)
                    .and_where(Expr::col("id").not_in_subquery(survivors))
                    .take(),
            )
            .await?;
        manager.create_index(index(UNIQUE).unique().take()).await?;
        manager
            .drop_index(Index::drop().name(PLAIN).table(TABLE.to_owned()).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index(PLAIN)).await?;
        manager
            .drop_index(
                Index::drop()
                    .name(UNIQUE)
                    .table(TABLE.to_owned())
                    .to_owned(),
            )
            .await
    }
}
