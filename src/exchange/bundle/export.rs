//! Writes a whole catalogue as a bundle, a page of records at a time: memory does not grow
//! with the catalogue.
use std::io::Write;

use chrono::{DateTime, Utc};
use entity::{offer, organisation};
use sea_orm::ConnectionTrait;

use super::format::{self, FORMAT_NAME, FORMAT_VERSION, Header, Line};
use super::read::{self, Testimonials};
use crate::error::{AppError, AppResult};

/// Records read per page.
const PAGE: u64 = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The source name this catalogue gives the records typed in here.
    pub own_source: String,
    pub testimonials: Testimonials,
}

/// How many records an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exported {
    pub organisations: usize,
    pub offers: usize,
}

fn write_line(out: &mut impl Write, line: &Line) -> AppResult<()> {
    serde_json::to_writer(&mut *out, line)
        .map_err(|error| AppError::Internal(format!("bundle line: {error}")))?;
    out.write_all(b"\n")
        .map_err(|error| AppError::Internal(format!("bundle output: {error}")))
}

/// Writes the header, every organisation, then every offer, in id order.
pub async fn export(
    db: &impl ConnectionTrait,
    options: &ExportOptions,
    now: DateTime<Utc>,
    out: &mut impl Write,
) -> AppResult<Exported> {
    write_line(
        out,
        &Line::Header(Header {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            exported_at: now,
        }),
    )?;
    let mut exported = Exported::default();
    let mut after = 0;
    loop {
        let ids =
            read::ids_after::<organisation::Entity>(db, organisation::Column::Id, after, PAGE)
                .await?;
        let Some(&last) = ids.last() else { break };
        for (_, record) in read::organisations(db, &options.own_source, &ids).await? {
            write_line(out, &Line::Organisation(Box::new(record)))?;
            exported.organisations += 1;
        }
        after = last;
    }
    after = 0;
    loop {
        let ids = read::ids_after::<offer::Entity>(db, offer::Column::Id, after, PAGE).await?;
        let Some(&last) = ids.last() else { break };
        for (_, record) in read::offers(db, &options.own_source, &ids, options.testimonials).await?
        {
            write_line(out, &Line::Offer(Box::new(record)))?;
            exported.offers += 1;
        }
        after = last;
    }
    out.flush()
        .map_err(|error| AppError::Internal(format!("bundle output: {error}")))?;
    Ok(exported)
}

/// The records of a bundle, parsed: for tests and tools that compare two bundles.
pub fn parse_lines(text: &str) -> Result<Vec<Line>, serde_json::Error> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(serde_json::from_str::<format::Line>)
        .collect()
}
