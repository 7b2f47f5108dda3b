//! The change feed: every write stamps the organisations and offers it changed with the
//! catalogue version of its transaction; the feed lists them by that stamp, each once, at
//! its latest change, visible or not (so that partners also learn of removals).
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

use super::version;

/// Bumps the catalogue version and stamps these offers and organisations (and the offers of
/// these organisations, which show their organisation) with it. Call it as the last write
/// of the transaction, as `version::bump`.
pub async fn bump_and_stamp(
    db: &impl ConnectionTrait,
    offers: &[i32],
    organisations: &[i32],
) -> Result<i64, DbErr> {
    // Lock the rows first (a no-op write), then bump: the version row is the last lock the
    // transaction takes, as `version::bump` requires (else two writers could deadlock).
    stamp(db, offers, organisations, Expr::col("change_seq")).await?;
    let seq = version::bump(db).await?;
    stamp(db, offers, organisations, Expr::value(seq)).await?;
    Ok(seq)
}

async fn stamp(
    db: &impl ConnectionTrait,
    offers: &[i32],
    organisations: &[i32],
    value: Expr,
) -> Result<(), DbErr> {
    // In slices: SQLite binds at most 32,766 parameters per statement.
    for ids in offers.chunks(10_000) {
        db.execute(
            &Query::update()
                .table("offers")
                .value("change_seq", value.clone())
                .and_where(Expr::col("id").is_in(ids.to_vec()))
                .take(),
        )
        .await?;
    }
    for ids in organisations.chunks(10_000) {
        db.execute(
            &Query::update()
                .table("organisations")
                .value("change_seq", value.clone())
                .and_where(Expr::col("id").is_in(ids.to_vec()))
                .take(),
        )
        .await?;
        db.execute(
            &Query::update()
                .table("offers")
                .value("change_seq", value.clone())
                .and_where(Expr::col("organisation_id").is_in(ids.to_vec()))
                .take(),
        )
        .await?;
    }
    Ok(())
}

/// What an audited change touched, for the feed: the offer of a session or testimonial.
pub async fn bump_for_audited(
    db: &impl ConnectionTrait,
    entity_type: &str,
    entity_id: i32,
) -> Result<i64, DbErr> {
    let offer_of = |table: &'static str| {
        Query::select()
            .column("offer_id")
            .from(table)
            .and_where(Expr::col("id").eq(entity_id))
            .take()
    };
    let offer_id = match entity_type {
        "Offer" => Some(entity_id),
        "TrainingSlot" => offer_id(db, offer_of("training_slots")).await?,
        "Testimonial" => offer_id(db, offer_of("testimonials")).await?,
        _ => None,
    };
    match (entity_type, offer_id) {
        ("Organisation", _) => bump_and_stamp(db, &[], &[entity_id]).await,
        (_, Some(offer)) => bump_and_stamp(db, &[offer], &[]).await,
        _ => version::bump(db).await,
    }
}

async fn offer_id(
    db: &impl ConnectionTrait,
    select: sea_orm::sea_query::SelectStatement,
) -> Result<Option<i32>, DbErr> {
    match db.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get("", "offer_id")?)),
        None => Ok(None),
    }
}

/// A position in the feed: after the record `(seq, subject, id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub seq: i64,
    /// Organisations come before offers at one sequence (offers name their organisation).
    pub subject: Subject,
    pub id: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Organisation,
    Offer,
}

/// One entry of the feed: a record at its latest change, and whether the public sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub position: Position,
    pub visible: bool,
}

/// Records of `subject` after `after`, at most `limit`, in feed order.
async fn page_of(
    db: &impl ConnectionTrait,
    subject: Subject,
    after: Option<Position>,
    limit: u64,
) -> Result<Vec<Change>, DbErr> {
    let (table, visible) = match subject {
        Subject::Organisation => ("organisations", Expr::col("archived_at").is_null()),
        Subject::Offer => ("offers", Expr::col("status").eq("PUBLISHED")),
    };
    let mut select = Query::select();
    select
        .column("id")
        .column("change_seq")
        .expr_as(
            Expr::case(visible, Expr::val(1)).finally(Expr::val(0)),
            "visible",
        )
        .from(table)
        .order_by("change_seq", sea_orm::sea_query::Order::Asc)
        .order_by("id", sea_orm::sea_query::Order::Asc)
        .limit(limit);
    if let Some(after) = after {
        let later = Expr::col("change_seq").gt(after.seq);
        let same = Expr::col("change_seq").eq(after.seq);
        let cond = match subject.cmp(&after.subject) {
            std::cmp::Ordering::Equal => later.or(same.and(Expr::col("id").gt(after.id))),
            // This subject comes after the cursor's at its sequence: all of that sequence.
            std::cmp::Ordering::Greater => Expr::col("change_seq").gte(after.seq),
            std::cmp::Ordering::Less => later,
        };
        select.and_where(cond);
    }
    let rows = db.query_all(&select).await?;
    rows.iter()
        .map(|row| {
            Ok(Change {
                position: Position {
                    seq: row.try_get("", "change_seq")?,
                    subject,
                    id: row.try_get("", "id")?,
                },
                visible: row.try_get::<i32>("", "visible")? == 1,
            })
        })
        .collect()
}

/// The next `limit` entries of the feed after `after` (from the start when none); one
/// more than asked tells whether there is a next page.
pub async fn changes_after(
    db: &impl ConnectionTrait,
    after: Option<Position>,
    limit: u64,
) -> Result<Vec<Change>, DbErr> {
    let mut all = page_of(db, Subject::Organisation, after, limit).await?;
    all.extend(page_of(db, Subject::Offer, after, limit).await?);
    all.sort_by_key(|change| change.position);
    all.truncate(limit as usize);
    Ok(all)
}
