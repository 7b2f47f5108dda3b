//! What an import did: counts, and every rejected record with its position, field and reason.
use serde::Serialize;

/// One record an import did not write, or wrote only in part of what the source said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where the record is in the file: "line 12", or a JSON pointer / XPath after it.
    pub position: String,
    /// The record, by its source and id there, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The field at fault (snake_case, with list indexes: "slots.2.ends_on").
    pub field: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Records read from the file (header excluded).
    pub read: usize,
    pub created: usize,
    pub updated: usize,
    /// Records identical to what the catalogue holds: nothing written.
    pub unchanged: usize,
    /// Records missing from a full import of their source, archived.
    pub archived: usize,
    /// Records whose source changed while an editor had changed them here: kept as edited.
    pub conflicts: Vec<Problem>,
    pub rejected: Vec<Problem>,
    /// Pairs of offers newly suggested as duplicates of each other, at least one of them
    /// written by this import (the detection runs after an import that wrote something).
    pub duplicates_suggested: usize,
    /// True when nothing was written (`--dry-run`).
    pub dry_run: bool,
}

impl Report {
    /// A few lines for a terminal: the counts, then each problem.
    pub fn summary(&self) -> String {
        let mut out = format!(
            "{} read, {} created, {} updated, {} unchanged, {} archived, {} conflicts, {} rejected, {} duplicates suggested{}\n",
            self.read,
            self.created,
            self.updated,
            self.unchanged,
            self.archived,
            self.conflicts.len(),
            self.rejected.len(),
            self.duplicates_suggested,
            if self.dry_run {
                " (dry run: nothing written)"
            } else {
                ""
            }
        );
        for (label, problems) in [("conflict", &self.conflicts), ("rejected", &self.rejected)] {
            for p in problems {
                out.push_str(&format!(
                    "{label}: {} {}: {}: {}\n",
                    p.position,
                    p.record.as_deref().unwrap_or("-"),
                    p.field,
                    p.reason
                ));
            }
        }
        out
    }
}
