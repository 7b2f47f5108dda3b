//! Reads a bundle and brings the catalogue in line with it, record by record: new records
//! are created, changed ones updated (and audited as done by `import`), identical ones left
//! alone (no version, audit entry or `updatedAt` change), bad ones rejected with their line,
//! field and reason while the rest goes on. Each record is written whole or not at all.
//!
//! Local edits win: when an editor changed a record here since its last import and the
//! source changed it too, the record is kept as edited and the conflict is reported with the
//! fields that differ (`--prefer-source` overwrites instead). A record absent from a *full*
//! import of its source is archived, never deleted, and comes back when listed again.
use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use chrono::{DateTime, Duration, Utc};
use entity::enums::OfferStatus;
use entity::{offer, organisation, sector};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::format::{self, FORMAT_NAME, FORMAT_VERSION, Key, Line};
use super::read::{self, Testimonials};
use super::validate;
use super::write::{self, ChildIds, OfferRow, Parent, Provenance};
use crate::catalogue::actor::Actor;
use crate::catalogue::audit::{self, AuditEntry};
use crate::catalogue::changes;
use crate::catalogue::transaction::write_transaction;
use crate::error::{AppError, AppResult};
use crate::exchange::report::{Problem, Report};

/// Records handled per transaction.
const CHUNK: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// The source name this catalogue gives its own records (see `read`).
    pub own_source: String,
    /// Report what would change; write nothing.
    pub dry_run: bool,
    /// The file lists every record of its sources: the others are archived.
    pub full: bool,
    /// Overwrite local edits with the source's record instead of reporting a conflict.
    pub prefer_source: bool,
    /// Move every date by the time since the bundle was written (the demo catalogue, whose
    /// sessions must stay in the future whenever it is loaded).
    pub shift_dates_to: Option<DateTime<Utc>>,
    /// Write audit entries for updates and archives (not for the demo load).
    pub audit: bool,
}

impl ImportOptions {
    pub fn new(own_source: &str) -> Self {
        Self {
            own_source: own_source.to_owned(),
            dry_run: false,
            full: false,
            prefer_source: false,
            shift_dates_to: None,
            audit: true,
        }
    }
}

/// A parsed, checked record and where it was in the file.
struct Entry<T> {
    at: String,
    record: T,
}

fn problem(at: &str, record: Option<&Key>, field: &str, reason: impl Into<String>) -> Problem {
    Problem {
        position: at.to_owned(),
        record: record.map(|k| format!("{}/{}", k.source, k.external_id)),
        field: field.to_owned(),
        reason: reason.into(),
    }
}

fn rejection(at: &str, key: Option<&Key>, error: AppError) -> Problem {
    match error {
        AppError::Validation { field, message } => problem(at, key, &field, message),
        // The operator running the import sees what a client never does.
        other => problem(at, key, "", crate::startup::describe(&other)),
    }
}

/// The record as JSON without its `updated_at` (an import sets it to when it changed
/// something): what two versions of a record are compared on.
fn comparable(record: &impl serde::Serialize) -> Value {
    let mut value = serde_json::to_value(record).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        fields.remove("updated_at");
    }
    value
}

/// Digest of a record as imported (hex SHA-256 of its comparable JSON).
pub fn digest(record: &impl serde::Serialize) -> String {
    let hash = Sha256::digest(comparable(record).to_string().as_bytes());
    hash.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The top-level fields in which two records differ.
fn differing_fields(a: &Value, b: &Value) -> Vec<String> {
    let (Value::Object(a), Value::Object(b)) = (a, b) else {
        return Vec::new();
    };
    let mut fields: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

/// A record another writer (an editor, another import) changed between this import's read
/// and its write: left as that writer made it.
fn changed_meanwhile(at: &str, key: &Key) -> Problem {
    problem(
        at,
        Some(key),
        "version",
        "changed by another writer while this import ran: left as is (import again to compare)",
    )
}

/// What to do with a record the catalogue already holds.
enum Decision {
    Unchanged,
    Update,
    Conflict(Vec<String>),
}

fn decide(
    incoming: &impl serde::Serialize,
    current: &impl serde::Serialize,
    imported_digest: Option<&str>,
    prefer_source: bool,
) -> Decision {
    let (incoming_value, current_value) = (comparable(incoming), comparable(current));
    if incoming_value == current_value {
        return Decision::Unchanged;
    }
    let incoming_digest = digest(incoming);
    if imported_digest == Some(incoming_digest.as_str()) {
        // The source has not changed since the last import: what differs is a local edit.
        return Decision::Unchanged;
    }
    let edited_here = imported_digest.is_some_and(|d| d != digest(current));
    if edited_here && !prefer_source {
        Decision::Conflict(differing_fields(&incoming_value, &current_value))
    } else {
        Decision::Update
    }
}

/// How far a bundle's records move to look as if exported at another instant: dates (of
/// sessions) by whole days, so that a session keeps its weekday distance from today; instants
/// (creation, update, verification…) by the exact time elapsed, so that none lands in the
/// future (a record updated at 13:11 on export day must not read as updated later than now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateShift {
    days: Duration,
    exact: Duration,
}

impl DateShift {
    /// The shift from a bundle exported at `exported_at` to `to`.
    pub fn between(exported_at: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        Self {
            days: Duration::days((to.date_naive() - exported_at.date_naive()).num_days()),
            exact: to - exported_at,
        }
    }

    pub fn organisation(&self, o: &mut format::Organisation) {
        let at = |t: DateTime<Utc>| t + self.exact;
        o.verified_at = o.verified_at.map(at);
        o.archived_at = o.archived_at.map(at);
        o.created_at = at(o.created_at);
        o.updated_at = at(o.updated_at);
    }

    pub fn offer(&self, o: &mut format::Offer) {
        let at = |t: DateTime<Utc>| t + self.exact;
        let on = |d: chrono::NaiveDate| d + self.days;
        o.verified_at = o.verified_at.map(at);
        o.published_at = o.published_at.map(at);
        o.created_at = at(o.created_at);
        o.updated_at = at(o.updated_at);
        for s in &mut o.slots {
            s.starts_on = on(s.starts_on);
            s.ends_on = on(s.ends_on);
            s.registration_opens_on = s.registration_opens_on.map(on);
            s.registration_closes_on = s.registration_closes_on.map(on);
            s.info_session_on = s.info_session_on.map(on);
            s.cancelled_at = s.cancelled_at.map(at);
            s.created_at = at(s.created_at);
            s.updated_at = at(s.updated_at);
        }
        for t in &mut o.testimonials {
            t.consent_given_at = at(t.consent_given_at);
            t.moderated_at = t.moderated_at.map(at);
            t.created_at = at(t.created_at);
            t.updated_at = at(t.updated_at);
        }
    }
}

/// id, source, external id, digest, version.
type KnownRow = (i32, String, Option<String>, Option<String>, i32);

/// Rows the catalogue holds for some keys, by key.
type Known = HashMap<Key, Held>;

/// A row as found: its id, the digest of its last import, and its version (what an update
/// is guarded by).
#[derive(Debug, Clone)]
struct Held {
    id: i32,
    digest: Option<String>,
    version: i32,
}

/// Looks up records by key. A record typed in here is exported under this catalogue's source
/// name and its public id, and is not matched by that id on import: another installation
/// with the same source name would otherwise overwrite its own records.
async fn known<E: EntityTrait>(
    db: &impl ConnectionTrait,
    columns: [E::Column; 5],
    keys: &[&Key],
) -> AppResult<Known> {
    let [id, source, external_id, digest, version] = columns;
    let mut found = Known::new();
    if keys.is_empty() {
        return Ok(found);
    }
    let wanted: HashSet<&Key> = keys.iter().copied().collect();
    let sources: Vec<String> = wanted.iter().map(|k| k.source.clone()).collect();
    let external_ids: Vec<String> = wanted.iter().map(|k| k.external_id.clone()).collect();
    let rows: Vec<KnownRow> = E::find()
        .select_only()
        .column(id)
        .column(source)
        .column(external_id)
        .column(digest)
        .column(version)
        .filter(source.is_in(sources))
        .filter(external_id.is_in(external_ids))
        .into_tuple()
        .all(db)
        .await?;
    for (row_id, row_source, row_external, row_digest, row_version) in rows {
        if let Some(row_external) = row_external {
            let key = Key {
                source: row_source,
                external_id: row_external,
            };
            if wanted.contains(&key) {
                found.insert(
                    key,
                    Held {
                        id: row_id,
                        digest: row_digest,
                        version: row_version,
                    },
                );
            }
        }
    }
    Ok(found)
}

async fn known_organisations(db: &impl ConnectionTrait, keys: &[&Key]) -> AppResult<Known> {
    use organisation::Column as C;
    known::<organisation::Entity>(
        db,
        [
            C::Id,
            C::Source,
            C::ExternalId,
            C::ImportedDigest,
            C::Version,
        ],
        keys,
    )
    .await
}

async fn known_offers(db: &impl ConnectionTrait, keys: &[&Key]) -> AppResult<Known> {
    use offer::Column as C;
    known::<offer::Entity>(
        db,
        [
            C::Id,
            C::Source,
            C::ExternalId,
            C::ImportedDigest,
            C::Version,
        ],
        keys,
    )
    .await
}

/// The ids of the known records whose incoming digest differs from the one imported last
/// time: the only ones worth reading back. A record its source has not changed since is
/// unchanged whatever was edited here (local edits are kept), so it is not read at all.
fn changed_at_source(
    known: &Known,
    keys: impl Iterator<Item = Key>,
    digests: &[String],
) -> Vec<i32> {
    keys.zip(digests)
        .filter_map(|(key, incoming)| {
            let held = known.get(&key)?;
            (held.digest.as_deref() != Some(incoming.as_str())).then_some(held.id)
        })
        .collect()
}

/// How a record read from the file is stored: its key becomes its provenance.
fn provenance(
    key: &Key,
    source_url: Option<String>,
    digest: String,
    now: DateTime<Utc>,
) -> Provenance {
    Provenance {
        source: key.source.clone(),
        external_id: Some(key.external_id.clone()),
        source_url,
        imported_at: Some(now),
        digest: Some(digest),
    }
}

/// Creates organisations in one transaction; returns how many.
async fn insert_organisations(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    entries: &[Entry<format::Organisation>],
) -> AppResult<usize> {
    if entries.is_empty() {
        return Ok(0);
    }
    let txn = write_transaction(db).await?;
    let ids = write::allocate_ids(&txn, "organisations", entries.len()).await?;
    let rows: Vec<(i32, &format::Organisation, Provenance)> = ids
        .iter()
        .zip(entries)
        .map(|(id, e)| {
            let p = provenance(
                &e.record.key(),
                e.record.source_url.clone(),
                digest(&e.record),
                now,
            );
            (*id, &e.record, p)
        })
        .collect();
    write::insert_organisations(&txn, &rows).await?;
    changes::bump_and_stamp(&txn, &[], &ids).await?;
    txn.commit().await?;
    Ok(rows.len())
}

/// Creates offers and their children in one transaction; returns how many.
async fn insert_offers(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    entries: &[(Entry<format::Offer>, &Parent)],
) -> AppResult<usize> {
    if entries.is_empty() {
        return Ok(0);
    }
    let txn = write_transaction(db).await?;
    let ids = write::allocate_ids(&txn, "offers", entries.len()).await?;
    let rows: Vec<OfferRow> = ids
        .iter()
        .zip(entries)
        .map(|(id, (e, parent))| OfferRow {
            id: *id,
            parent,
            record: &e.record,
            provenance: provenance(
                &e.record.key(),
                e.record.source_url.clone(),
                digest(&e.record),
                now,
            ),
        })
        .collect();
    let records: Vec<&format::Offer> = rows.iter().map(|r| r.record).collect();
    let mut next = ChildIds::for_offers(&txn, &records).await?;
    write::insert_offers(&txn, &rows, &mut next).await?;
    changes::bump_and_stamp(&txn, &ids, &[]).await?;
    txn.commit().await?;
    Ok(rows.len())
}

/// A record as the bundle would carry it now, as JSON (null when it is gone).
async fn snapshot(
    db: &impl ConnectionTrait,
    own_source: &str,
    entity: &str,
    id: i32,
) -> AppResult<Value> {
    let record = match entity {
        "Offer" => read::offers(db, own_source, &[id], Testimonials::All)
            .await?
            .pop()
            .map(|(_, r)| serde_json::to_value(r)),
        _ => read::organisations(db, own_source, &[id])
            .await?
            .pop()
            .map(|(_, r)| serde_json::to_value(r)),
    };
    Ok(record.and_then(Result::ok).unwrap_or(Value::Null))
}

/// The state of one import run.
struct Run<'a> {
    db: &'a DatabaseConnection,
    options: &'a ImportOptions,
    actor: Actor,
    now: DateTime<Utc>,
    report: Report,
    /// Keys seen, for duplicates within the file and for a full import's tombstones.
    seen_organisations: HashMap<Key, String>,
    seen_offers: HashMap<Key, String>,
    /// In a dry run, the organisations that would have been created, for their offers.
    dry_run_parents: HashMap<Key, Parent>,
    /// The catalogue's sector codes, read once per run (an offer names one).
    sectors: HashSet<String>,
}

/// One record read by a reader of some format, ready for `import_records`.
pub enum Parsed {
    Organisation {
        /// Where it is in the file ("line 12", "services.json line 3 /0").
        at: String,
        record: Box<format::Organisation>,
    },
    Offer {
        at: String,
        record: Box<format::Offer>,
    },
    /// A record the reader could not make sense of.
    Bad(Problem),
}

/// Reads a bundle line by line: checks its header, moves dates when asked.
struct BundleReader<R> {
    lines: std::iter::Enumerate<std::io::Lines<R>>,
    shift_dates_to: Option<DateTime<Utc>>,
    shift: Option<DateShift>,
    header_seen: bool,
}

impl<R: BufRead> Iterator for BundleReader<R> {
    type Item = AppResult<Parsed>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (index, line) = self.lines.next()?;
            let number = index + 1;
            let at = format!("line {number}");
            let text = match line {
                Ok(text) => text,
                Err(error) => return Some(Err(AppError::BadRequest(format!("{at}: {error}")))),
            };
            if text.trim().is_empty() {
                continue;
            }
            let parsed: Result<Line, _> =
                serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&text));
            let line = match parsed {
                Ok(line) => line,
                Err(_) if !self.header_seen => {
                    return Some(Err(AppError::BadRequest(format!(
                        "{at}: a bundle starts with its header line"
                    ))));
                }
                Err(error) => {
                    let field = error.path().to_string();
                    let field = if field == "." { String::new() } else { field };
                    return Some(Ok(Parsed::Bad(problem(
                        &at,
                        None,
                        &field,
                        error.into_inner().to_string(),
                    ))));
                }
            };
            match line {
                Line::Header(header) if !self.header_seen => {
                    if header.format != FORMAT_NAME || header.version > FORMAT_VERSION {
                        return Some(Err(AppError::BadRequest(format!(
                            "{at}: not a bundle this version reads (format {:?} version {}; expected {FORMAT_NAME:?} up to version {FORMAT_VERSION})",
                            header.format, header.version
                        ))));
                    }
                    self.header_seen = true;
                    self.shift = self
                        .shift_dates_to
                        .map(|to| DateShift::between(header.exported_at, to));
                }
                _ if !self.header_seen => {
                    return Some(Err(AppError::BadRequest(format!(
                        "{at}: a bundle starts with its header line"
                    ))));
                }
                Line::Header(_) => {
                    return Some(Ok(Parsed::Bad(problem(
                        &at,
                        None,
                        "header",
                        "the header comes first, once",
                    ))));
                }
                Line::Organisation(mut record) => {
                    if let Some(shift) = self.shift {
                        shift.organisation(&mut record);
                    }
                    return Some(Ok(Parsed::Organisation { at, record }));
                }
                Line::Offer(mut record) => {
                    if let Some(shift) = self.shift {
                        shift.offer(&mut record);
                    }
                    return Some(Ok(Parsed::Offer { at, record }));
                }
            }
        }
    }
}

/// Imports a bundle from `input`; `progress` is told how many records each step handled.
pub async fn import(
    db: &DatabaseConnection,
    input: impl BufRead,
    options: &ImportOptions,
    progress: impl FnMut(usize),
) -> AppResult<Report> {
    let reader = BundleReader {
        lines: input.lines().enumerate(),
        shift_dates_to: options.shift_dates_to,
        shift: None,
        header_seen: false,
    };
    import_records(db, reader, options, progress).await
}

/// Brings the catalogue in line with `records` (from any reader), a chunk at a time.
pub async fn import_records(
    db: &DatabaseConnection,
    records: impl Iterator<Item = AppResult<Parsed>>,
    options: &ImportOptions,
    mut progress: impl FnMut(usize),
) -> AppResult<Report> {
    let mut run = Run {
        db,
        options,
        actor: Actor::operator("import"),
        now: Utc::now(),
        report: Report {
            dry_run: options.dry_run,
            ..Report::default()
        },
        seen_organisations: HashMap::new(),
        seen_offers: HashMap::new(),
        dry_run_parents: HashMap::new(),
        sectors: sector::Entity::find()
            .select_only()
            .column(sector::Column::Code)
            .into_tuple::<String>()
            .all(db)
            .await?
            .into_iter()
            .collect(),
    };
    let mut organisations: Vec<Entry<format::Organisation>> = Vec::new();
    let mut offers: Vec<Entry<format::Offer>> = Vec::new();
    for parsed in records {
        match parsed? {
            Parsed::Bad(problem) => {
                run.report.read += 1;
                run.report.rejected.push(problem);
            }
            Parsed::Organisation { at, record } => {
                run.report.read += 1;
                organisations.push(Entry {
                    at,
                    record: *record,
                });
                if organisations.len() >= CHUNK {
                    let n = organisations.len();
                    run.organisations(std::mem::take(&mut organisations))
                        .await?;
                    progress(n);
                }
            }
            Parsed::Offer { at, record } => {
                run.report.read += 1;
                // Offers name organisations written before them.
                if !organisations.is_empty() {
                    let n = organisations.len();
                    run.organisations(std::mem::take(&mut organisations))
                        .await?;
                    progress(n);
                }
                offers.push(Entry {
                    at,
                    record: *record,
                });
                if offers.len() >= CHUNK {
                    let n = offers.len();
                    run.offers(std::mem::take(&mut offers)).await?;
                    progress(n);
                }
            }
        }
    }
    if !organisations.is_empty() {
        let n = organisations.len();
        run.organisations(organisations).await?;
        progress(n);
    }
    if !offers.is_empty() {
        let n = offers.len();
        run.offers(offers).await?;
        progress(n);
    }
    if options.full {
        run.archive_absent().await?;
    }
    Ok(run.report)
}

impl Run<'_> {
    /// Checks the records of a chunk; returns the good ones, reports the others.
    fn first_sighting(&mut self, at: &str, key: &Key, offers: bool) -> bool {
        let seen = if offers {
            &mut self.seen_offers
        } else {
            &mut self.seen_organisations
        };
        if let Some(first) = seen.get(key) {
            let reason = format!("the same record is already at {first}");
            self.report
                .rejected
                .push(problem(at, Some(key), "external_id", reason));
            false
        } else {
            seen.insert(key.clone(), at.to_owned());
            true
        }
    }

    async fn organisations(&mut self, chunk: Vec<Entry<format::Organisation>>) -> AppResult<()> {
        let mut valid = Vec::with_capacity(chunk.len());
        for entry in chunk {
            let key = entry.record.key();
            match validate::organisation(entry.record) {
                Ok(record) => {
                    if self.first_sighting(&entry.at, &key, false) {
                        valid.push(Entry {
                            at: entry.at,
                            record,
                        });
                    }
                }
                Err(error) => self
                    .report
                    .rejected
                    .push(rejection(&entry.at, Some(&key), error)),
            }
        }
        let keys: Vec<Key> = valid.iter().map(|e| e.record.key()).collect();
        let key_refs: Vec<&Key> = keys.iter().collect();
        let known = known_organisations(self.db, &key_refs).await?;
        let digests: Vec<String> = valid.iter().map(|e| digest(&e.record)).collect();
        let existing_ids =
            changed_at_source(&known, valid.iter().map(|e| e.record.key()), &digests);
        let current: HashMap<i32, format::Organisation> =
            read::organisations(self.db, &self.options.own_source, &existing_ids)
                .await?
                .into_iter()
                .collect();
        let mut creates = Vec::new();
        let mut updates = Vec::new();
        for (entry, incoming_digest) in valid.into_iter().zip(digests) {
            let key = entry.record.key();
            match known.get(&key) {
                None => creates.push(entry),
                Some(held) if held.digest.as_deref() == Some(incoming_digest.as_str()) => {
                    self.report.unchanged += 1
                }
                Some(held) => {
                    let (id, imported) = (&held.id, &held.digest);
                    let Some(now_held) = current.get(id) else {
                        continue;
                    };
                    match decide(&entry.record, now_held, imported.as_deref(), self.options.prefer_source) {
                        Decision::Unchanged => self.report.unchanged += 1,
                        Decision::Conflict(fields) => self.report.conflicts.push(problem(
                            &entry.at,
                            Some(&key),
                            &fields.join(","),
                            "changed here since the last import and changed in the source: kept as edited here",
                        )),
                        Decision::Update => {
                            updates.push((*id, held.version, now_held.clone(), entry))
                        }
                    }
                }
            }
        }
        if self.options.dry_run {
            self.report.created += creates.len();
            self.report.updated += updates.len();
            for entry in creates {
                self.dry_run_parents
                    .insert(entry.record.key(), Parent::of(0, &entry.record));
            }
            return Ok(());
        }
        // New records in one transaction; if it fails, one at a time to find the bad one.
        let now = self.now;
        match insert_organisations(self.db, now, &creates).await {
            Ok(n) => self.report.created += n,
            Err(_) if creates.len() > 1 => {
                for entry in &creates {
                    match insert_organisations(self.db, now, std::slice::from_ref(entry)).await {
                        Ok(n) => self.report.created += n,
                        Err(error) => self.report.rejected.push(rejection(
                            &entry.at,
                            Some(&entry.record.key()),
                            error,
                        )),
                    }
                }
            }
            Err(error) => {
                if let Some(entry) = creates.first() {
                    self.report.rejected.push(rejection(
                        &entry.at,
                        Some(&entry.record.key()),
                        error,
                    ));
                }
            }
        }
        for (id, version, before, entry) in updates {
            let key = entry.record.key();
            let p = provenance(
                &key,
                entry.record.source_url.clone(),
                digest(&entry.record),
                now,
            );
            let result: AppResult<bool> = async {
                let txn = write_transaction(self.db).await?;
                if !write::update_organisation(&txn, id, version, &entry.record, &p, now).await? {
                    return Ok(false);
                }
                self.finish_write(&txn, "Organisation", id, &before, &entry.record)
                    .await?;
                txn.commit().await?;
                Ok(true)
            }
            .await;
            match result {
                Ok(true) => self.report.updated += 1,
                Ok(false) => self
                    .report
                    .conflicts
                    .push(changed_meanwhile(&entry.at, &key)),
                Err(error) => self
                    .report
                    .rejected
                    .push(rejection(&entry.at, Some(&key), error)),
            }
        }
        Ok(())
    }

    /// Audits a change (which bumps the catalogue version), or only bumps the version.
    async fn finish_write(
        &self,
        txn: &impl ConnectionTrait,
        entity: &'static str,
        id: i32,
        before: &impl serde::Serialize,
        after: &impl serde::Serialize,
    ) -> AppResult<()> {
        if self.options.audit {
            audit::record(
                txn,
                &self.actor,
                AuditEntry::new(entity, id, "import").diff(&comparable(before), &comparable(after)),
            )
            .await
        } else {
            changes::bump_for_audited(txn, entity, id).await?;
            Ok(())
        }
    }

    async fn offers(&mut self, chunk: Vec<Entry<format::Offer>>) -> AppResult<()> {
        let mut valid = Vec::with_capacity(chunk.len());
        for entry in chunk {
            let key = entry.record.key();
            match validate::offer(&self.sectors, entry.record) {
                Ok(record) => {
                    if self.first_sighting(&entry.at, &key, true) {
                        valid.push(Entry {
                            at: entry.at,
                            record,
                        });
                    }
                }
                Err(error) => self
                    .report
                    .rejected
                    .push(rejection(&entry.at, Some(&key), error)),
            }
        }
        // Their organisations, as rows of the catalogue.
        let organisation_keys: Vec<Key> = valid
            .iter()
            .map(|e| e.record.organisation.clone())
            .collect();
        let organisation_refs: Vec<&Key> = organisation_keys.iter().collect();
        let organisation_ids = known_organisations(self.db, &organisation_refs).await?;
        let ids: Vec<i32> = organisation_ids.values().map(|held| held.id).collect();
        let parents: HashMap<Key, Parent> = {
            let by_id: HashMap<i32, format::Organisation> =
                read::organisations(self.db, &self.options.own_source, &ids)
                    .await?
                    .into_iter()
                    .collect();
            organisation_ids
                .iter()
                .filter_map(|(key, held)| {
                    Some((key.clone(), Parent::of(held.id, by_id.get(&held.id)?)))
                })
                .collect()
        };
        let keys: Vec<Key> = valid.iter().map(|e| e.record.key()).collect();
        let key_refs: Vec<&Key> = keys.iter().collect();
        let known = known_offers(self.db, &key_refs).await?;
        let digests: Vec<String> = valid.iter().map(|e| digest(&e.record)).collect();
        let existing_ids =
            changed_at_source(&known, valid.iter().map(|e| e.record.key()), &digests);
        let current: HashMap<i32, format::Offer> = read::offers(
            self.db,
            &self.options.own_source,
            &existing_ids,
            Testimonials::All,
        )
        .await?
        .into_iter()
        .collect();
        let mut creates = Vec::new();
        let mut updates = Vec::new();
        for (entry, incoming_digest) in valid.into_iter().zip(digests) {
            let key = entry.record.key();
            let parent = parents
                .get(&entry.record.organisation)
                .or_else(|| self.dry_run_parents.get(&entry.record.organisation));
            let Some(parent) = parent else {
                let organisation = &entry.record.organisation;
                self.report.rejected.push(problem(
                    &entry.at,
                    Some(&key),
                    "organisation",
                    format!(
                        "no organisation {}/{} in this file before it or in the catalogue",
                        organisation.source, organisation.external_id
                    ),
                ));
                continue;
            };
            match known.get(&key) {
                None => creates.push((entry, parent)),
                Some(held) if held.digest.as_deref() == Some(incoming_digest.as_str()) => {
                    self.report.unchanged += 1
                }
                Some(held) => {
                    let (id, imported) = (&held.id, &held.digest);
                    let Some(now_held) = current.get(id) else {
                        continue;
                    };
                    match decide(&entry.record, now_held, imported.as_deref(), self.options.prefer_source) {
                        Decision::Unchanged => self.report.unchanged += 1,
                        Decision::Conflict(fields) => self.report.conflicts.push(problem(
                            &entry.at,
                            Some(&key),
                            &fields.join(","),
                            "changed here since the last import and changed in the source: kept as edited here",
                        )),
                        Decision::Update => {
                            updates.push((*id, held.version, now_held.clone(), entry, parent))
                        }
                    }
                }
            }
        }
        if self.options.dry_run {
            self.report.created += creates.len();
            self.report.updated += updates.len();
            return Ok(());
        }
        let now = self.now;
        match insert_offers(self.db, now, &creates).await {
            Ok(n) => self.report.created += n,
            Err(_) if creates.len() > 1 => {
                for entry in &creates {
                    match insert_offers(self.db, now, std::slice::from_ref(entry)).await {
                        Ok(n) => self.report.created += n,
                        Err(error) => self.report.rejected.push(rejection(
                            &entry.0.at,
                            Some(&entry.0.record.key()),
                            error,
                        )),
                    }
                }
            }
            Err(error) => {
                if let Some((entry, _)) = creates.first() {
                    self.report.rejected.push(rejection(
                        &entry.at,
                        Some(&entry.record.key()),
                        error,
                    ));
                }
            }
        }
        for (id, version, before, entry, parent) in updates {
            let key = entry.record.key();
            let row = OfferRow {
                id,
                parent,
                record: &entry.record,
                provenance: provenance(
                    &key,
                    entry.record.source_url.clone(),
                    digest(&entry.record),
                    now,
                ),
            };
            let result: AppResult<bool> = async {
                let txn = write_transaction(self.db).await?;
                // The guarded UPDATE of the offer row comes first: it takes the row lock
                // every session write takes (see `touch_offer`), or finds it changed.
                if !write::replace_offer(&txn, &row, version, now).await? {
                    return Ok(false);
                }
                self.finish_write(&txn, "Offer", id, &before, &entry.record)
                    .await?;
                txn.commit().await?;
                Ok(true)
            }
            .await;
            match result {
                Ok(true) => self.report.updated += 1,
                Ok(false) => self
                    .report
                    .conflicts
                    .push(changed_meanwhile(&entry.at, &key)),
                Err(error) => self
                    .report
                    .rejected
                    .push(rejection(&entry.at, Some(&key), error)),
            }
        }
        Ok(())
    }

    /// A full import: the records of the file's sources that it no longer lists are
    /// archived (offers ARCHIVED, organisations `archived_at`), each with an audit entry,
    /// and their digest follows so that the source listing them again brings them back.
    async fn archive_absent(&mut self) -> AppResult<()> {
        let sources: HashSet<String> = self
            .seen_offers
            .keys()
            .chain(self.seen_organisations.keys())
            .map(|k| k.source.clone())
            .filter(|s| *s != self.options.own_source)
            .collect();
        for source in sources {
            let offers: Vec<(i32, Option<String>)> = offer::Entity::find()
                .select_only()
                .column(offer::Column::Id)
                .column(offer::Column::ExternalId)
                .filter(offer::Column::Source.eq(source.clone()))
                .filter(offer::Column::Status.ne(OfferStatus::Archived))
                .into_tuple()
                .all(self.db)
                .await?;
            for (id, external_id) in offers {
                let Some(external_id) = external_id else {
                    continue;
                };
                let key = Key {
                    source: source.clone(),
                    external_id,
                };
                if self.seen_offers.contains_key(&key) {
                    continue;
                }
                self.tombstone("Offer", id).await?;
            }
            let organisations: Vec<(i32, Option<String>)> = organisation::Entity::find()
                .select_only()
                .column(organisation::Column::Id)
                .column(organisation::Column::ExternalId)
                .filter(organisation::Column::Source.eq(source.clone()))
                .filter(organisation::Column::ArchivedAt.is_null())
                .into_tuple()
                .all(self.db)
                .await?;
            for (id, external_id) in organisations {
                let Some(external_id) = external_id else {
                    continue;
                };
                let key = Key {
                    source: source.clone(),
                    external_id,
                };
                if self.seen_organisations.contains_key(&key) {
                    continue;
                }
                self.tombstone("Organisation", id).await?;
            }
        }
        Ok(())
    }

    async fn tombstone(&mut self, entity: &'static str, id: i32) -> AppResult<()> {
        if self.options.dry_run {
            self.report.archived += 1;
            return Ok(());
        }
        let own = &self.options.own_source;
        let txn = write_transaction(self.db).await?;
        // The guard is the state: of several full imports at once, one archives the record.
        let (table, change, still_there): (&str, (&str, sea_orm::sea_query::SimpleExpr), _) =
            match entity {
                "Offer" => (
                    "offers",
                    ("status", OfferStatus::Archived.code().into()),
                    Expr::col("status").ne(OfferStatus::Archived.code()),
                ),
                _ => (
                    "organisations",
                    ("archived_at", self.now.into()),
                    Expr::col("archived_at").is_null(),
                ),
            };
        let before = snapshot(&txn, own, entity, id).await?;
        let archived = txn
            .execute(
                &Query::update()
                    .table(table)
                    .value(change.0, change.1)
                    .value("updated_at", self.now)
                    .value("version", Expr::col("version").add(1))
                    .and_where(Expr::col("id").eq(id))
                    .and_where(still_there)
                    .take(),
            )
            .await?
            .rows_affected();
        if archived == 0 {
            return Ok(());
        }
        self.report.archived += 1;
        let after = snapshot(&txn, own, entity, id).await?;
        txn.execute(
            &Query::update()
                .table(table)
                .value("imported_digest", digest(&after))
                .and_where(Expr::col("id").eq(id))
                .take(),
        )
        .await?;
        if self.options.audit {
            audit::record(
                &txn,
                &self.actor,
                AuditEntry::new(entity, id, "archive")
                    .diff(&comparable(&before), &comparable(&after)),
            )
            .await?;
        } else {
            changes::bump_for_audited(&txn, entity, id).await?;
        }
        txn.commit().await?;
        Ok(())
    }
}
