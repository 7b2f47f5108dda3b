//! The compaction of PostgreSQL's packed word lists (`offer_stem_blocks`, migration 406): the
//! blocks that writes marked are rebuilt from `offer_stems` and their marks removed.
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, TransactionTrait};

/// Marks one pass takes: a pass is one short transaction (2,000 blocks of a common word
/// read about 250,000 rows), so a backlog (after a bulk load) goes by several passes.
pub const BLOCKS_PER_PASS: i64 = 2_000;

/// The advisory lock a pass holds, so that two instances never rebuild a block at once: a
/// pass from an older snapshot committing last would put an older block back.
pub const COMPACTION_LOCK: i64 = 0x0ffe_57e5;

/// Where a pass starts in the marks' key order (stem, tier, block): after `Resume::after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    after: (String, i16, i32),
}

impl Default for Resume {
    /// Before every mark: no stem sorts before the empty one, tiers start at 1, blocks at 0.
    fn default() -> Self {
        Self {
            after: (String::new(), 0, -1),
        }
    }
}

/// What a pass did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pass {
    /// Rebuilt this many blocks; marks may be left after `Resume` (the pass took `limit`).
    More(u64, Resume),
    /// Rebuilt this many blocks; no mark was left after the start (others may have come).
    /// SQLite has no blocks: always `Done(0)`.
    Done(u64),
    /// Another instance holds the compaction.
    Busy,
}

/// Rebuilds the blocks of up to `limit` marks after `from` (in key order, so that a backlog
/// is walked once rather than re-read by every pass) from `offer_stems`, and removes their
/// marks, in one statement, so in one snapshot: a change committed after that snapshot keeps
/// its mark, and readers keep reading its block from the rows.
pub async fn compact(db: &DatabaseConnection, limit: i64, from: &Resume) -> Result<Pass, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(Pass::Done(0));
    }
    let transaction = db.begin().await?;
    let locked = transaction
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_try_advisory_xact_lock($1)",
            [COMPACTION_LOCK.into()],
        ))
        .await?
        .map(|row| row.try_get_by_index::<bool>(0))
        .transpose()?
        .unwrap_or(false);
    if !locked {
        transaction.rollback().await?;
        return Ok(Pass::Busy);
    }
    let (stem, tier, block) = from.after.clone();
    let row = transaction
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            REBUILD_MARKED_BLOCKS,
            [limit.into(), stem.into(), tier.into(), block.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("the compaction returned no row".into()))?;
    let marks: i64 = row.try_get_by_index(0)?;
    let rebuilt = u64::try_from(row.try_get_by_index::<i64>(1)?).unwrap_or(0);
    let last: Option<(String, i16, i32)> = match row.try_get_by_index::<Option<String>>(2)? {
        Some(stem) => Some((stem, row.try_get_by_index(3)?, row.try_get_by_index(4)?)),
        None => None,
    };
    transaction.commit().await?;
    Ok(match last {
        Some(after) if marks >= limit => Pass::More(rebuilt, Resume { after }),
        _ => Pass::Done(rebuilt),
    })
}

/// What a walk over the marks does when another instance holds the packing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenBusy {
    /// Waits for it, then packs what is still marked (a bulk load's end, tests).
    Wait,
    /// Leaves the marks to it (the periodic pass of every server).
    Skip,
}

/// Rebuilds every marked block, pass after pass from the first mark, and returns how many
/// were rebuilt. With no mark at all it is one cheap statement (no transaction, no lock):
/// every server asks every second.
pub async fn compact_marked(db: &DatabaseConnection, when_busy: WhenBusy) -> Result<u64, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres || !any_marked(db).await? {
        return Ok(0);
    }
    let mut rebuilt = 0;
    let mut from = Resume::default();
    loop {
        match compact(db, BLOCKS_PER_PASS, &from).await? {
            Pass::More(pass, next) => {
                rebuilt += pass;
                from = next;
            }
            Pass::Done(pass) => return Ok(rebuilt + pass),
            Pass::Busy if when_busy == WhenBusy::Skip => return Ok(rebuilt),
            Pass::Busy => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
}

/// Rebuilds every marked block, waiting for another instance's pass rather than skipping
/// (after a bulk load, and in tests). Returns how many blocks were rebuilt.
pub async fn compact_all(db: &DatabaseConnection) -> Result<u64, DbErr> {
    compact_marked(db, WhenBusy::Wait).await
}

/// Packs what writes marked every `period`, for as long as the server runs (PostgreSQL).
/// Searches are right without it (a marked block is read from its rows); they are fast with
/// it.
pub async fn keep_packed(db: DatabaseConnection, period: std::time::Duration) {
    let mut every = tokio::time::interval(period);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(error) = compact_marked(&db, WhenBusy::Skip).await {
            tracing::warn!(%error, "word block compaction failed");
        }
    }
}

/// Whether any block is marked.
async fn any_marked(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT EXISTS (SELECT 1 FROM offer_stem_changes)",
        ))
        .await?;
    Ok(row
        .map(|row| row.try_get_by_index::<bool>(0))
        .transpose()?
        .unwrap_or(false))
}

/// The pass: `$1` marks at most, after the key `($2, $3, $4)`. Data-modifying CTEs share
/// the statement's snapshot: the marks deleted are those it sees, and the rows it packs are
/// those of the same moment. An emptied block loses its row. Returns the marks taken, the
/// blocks rebuilt and the last mark's key.
const REBUILD_MARKED_BLOCKS: &str = "\
WITH chosen AS (\
  SELECT stem, tier, block FROM offer_stem_changes WHERE (stem, tier, block) > ($2, $3, $4) \
  ORDER BY stem, tier, block LIMIT $1\
), taken AS (\
  DELETE FROM offer_stem_changes c USING (SELECT DISTINCT stem, tier, block FROM chosen) b \
  WHERE c.stem = b.stem AND c.tier = b.tier AND c.block = b.block \
  RETURNING c.stem, c.tier, c.block\
), blocks AS (\
  SELECT DISTINCT stem, tier, block FROM taken\
), fresh AS (\
  SELECT b.stem, b.tier, b.block, (\
    SELECT string_agg(int4send(s.offer_id), ''::bytea ORDER BY s.offer_id) FROM offer_stems s \
    WHERE s.stem = b.stem AND s.tier = b.tier \
    AND s.offer_id BETWEEN b.block << 12 AND (b.block << 12) + 4095\
  ) AS ids FROM blocks b\
), emptied AS (\
  DELETE FROM offer_stem_blocks k USING fresh f \
  WHERE f.ids IS NULL AND k.stem = f.stem AND k.tier = f.tier AND k.block = f.block\
), written AS (\
  INSERT INTO offer_stem_blocks (stem, tier, block, ids) \
  SELECT stem, tier, block, ids FROM fresh WHERE ids IS NOT NULL \
  ON CONFLICT (stem, tier, block) DO UPDATE SET ids = EXCLUDED.ids\
), last AS (\
  SELECT stem, tier, block FROM chosen ORDER BY stem DESC, tier DESC, block DESC LIMIT 1\
) SELECT (SELECT count(*) FROM chosen), (SELECT count(*) FROM blocks), \
  last.stem, last.tier, last.block FROM (SELECT 1) AS one LEFT JOIN last ON true";
