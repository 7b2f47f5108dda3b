//! Reads an LHÉO file (2.3 or 2.2, gzip or not) one `formation` at a time and hands its
//! records to the bundle importer: memory holds one formation and the SIRETs of the
//! organisations already read, whatever the size of the file.
//!
//! A record the mapping refuses is reported at its XPath (`/lheo/offres/formation[12]/
//! action[2]`) and the file goes on; XML that is not well-formed stops the import (nothing
//! after the error can be trusted), with its byte offset.
use std::collections::VecDeque;
use std::io::BufRead;
use std::path::Path;

use chrono::{DateTime, Utc};
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use sea_orm::{DatabaseConnection, EntityTrait};

use super::mapping::{self, Context};
use super::xml::{Element, read_subtree};
use super::{NAMESPACE_2_2, NAMESPACE_2_3, SOURCE_PREFIX};
use crate::error::{AppError, AppResult};
use crate::exchange::bundle::import::{ImportOptions, Parsed, import_records};
use crate::exchange::json_stream;
use crate::exchange::report::Report;

/// An input file: its name (for messages and the default source) and its bytes.
pub struct Input {
    pub name: String,
    pub reader: Box<dyn BufRead>,
}

impl Input {
    /// Opens `path`, decompressing it when it is gzip.
    pub fn open(path: &Path) -> AppResult<Self> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let cannot =
            |error: std::io::Error| AppError::BadRequest(format!("{}: {error}", path.display()));
        let file = std::fs::File::open(path).map_err(cannot)?;
        Ok(Self {
            name,
            reader: json_stream::open(file).map_err(cannot)?,
        })
    }

    /// Bytes in memory (tests).
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> AppResult<Self> {
        let reader = json_stream::open(std::io::Cursor::new(bytes))
            .map_err(|e| AppError::BadRequest(format!("{name}: {e}")))?;
        Ok(Self {
            name: name.to_owned(),
            reader,
        })
    }
}

/// `lheo:<name>`: the `--source` given, else the file's name without its extensions
/// (`carif-oref-hdf.xml.gz` → `lheo:carif-oref-hdf`), in lower case.
pub fn source_name(file_name: &str, given: Option<&str>) -> String {
    let name = match given {
        Some(given) => given.trim().to_owned(),
        None => file_name.split('.').next().unwrap_or(file_name).to_owned(),
    };
    let name = name.strip_prefix(SOURCE_PREFIX).unwrap_or(&name);
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{SOURCE_PREFIX}{}", slug.trim_matches('-'))
}

/// Where the reader stands in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// Before the root element.
    Prolog,
    /// Inside `lheo`, before or after `offres`.
    Root,
    /// Inside `offres`, between formations.
    Offers,
    /// After the root element.
    Done,
}

/// The records of an LHÉO file, formation by formation.
pub struct Reader {
    name: String,
    xml: NsReader<Box<dyn BufRead>>,
    buf: Vec<u8>,
    depth: Depth,
    /// Depth of elements other than `offres` inside `lheo` (skipped).
    other_depth: usize,
    formations: usize,
    queue: VecDeque<Parsed>,
    context: Context,
    default_sector: String,
    failed: bool,
}

impl Reader {
    pub fn new(input: Input, source: &str, default_sector: &str) -> Self {
        let mut xml = NsReader::from_reader(input.reader);
        xml.config_mut().check_end_names = true;
        Self {
            name: input.name,
            xml,
            buf: Vec::new(),
            depth: Depth::Prolog,
            other_depth: 0,
            formations: 0,
            queue: VecDeque::new(),
            context: Context::new(source, DateTime::<Utc>::UNIX_EPOCH),
            default_sector: default_sector.to_owned(),
            failed: false,
        }
    }

    fn malformed(&self, error: impl std::fmt::Display) -> AppError {
        AppError::BadRequest(format!(
            "{}: not well-formed XML near byte {}: {error}",
            self.name,
            self.xml.buffer_position()
        ))
    }

    /// Reads until the next formation is mapped into the queue, or the end of the file.
    fn fill(&mut self) -> AppResult<()> {
        while self.queue.is_empty() && self.depth != Depth::Done {
            self.buf.clear();
            let (namespace, event) = match self.xml.read_resolved_event_into(&mut self.buf) {
                Ok((ns, event)) => (namespace_of(&ns), event.into_owned()),
                Err(error) => return Err(self.malformed(error)),
            };
            match (self.depth, event) {
                (Depth::Prolog, Event::Start(e)) | (Depth::Prolog, Event::Empty(e)) => {
                    let local = e.local_name().as_ref().to_owned();
                    let known = matches!(namespace.as_deref(), Some(NAMESPACE_2_3 | NAMESPACE_2_2));
                    if local != "lheo" || !known {
                        return Err(AppError::BadRequest(format!(
                            "{}: not an LHÉO file: the root is <{local}> in namespace {}; expected <lheo> in {NAMESPACE_2_3} or {NAMESPACE_2_2}",
                            self.name,
                            namespace.as_deref().unwrap_or("(none)")
                        )));
                    }
                    if let Some(export) = Element::of(&e)
                        .ok()
                        .and_then(|root| root.attribute("horodatage-export").map(str::to_owned))
                        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                    {
                        self.context.fallback = export.with_timezone(&Utc);
                    }
                    self.depth = Depth::Root;
                }
                (Depth::Prolog, Event::Eof) => {
                    return Err(AppError::BadRequest(format!(
                        "{}: empty file: no <lheo> element",
                        self.name
                    )));
                }
                (Depth::Root, Event::Start(e)) if self.other_depth == 0 => {
                    if e.local_name().as_ref() == "offres" {
                        self.depth = Depth::Offers;
                    } else {
                        self.other_depth = 1;
                    }
                }
                (Depth::Root, Event::Start(_)) => self.other_depth += 1,
                (Depth::Root, Event::End(_)) if self.other_depth > 0 => self.other_depth -= 1,
                (Depth::Root, Event::End(_)) => self.depth = Depth::Done,
                (Depth::Offers, Event::End(_)) => self.depth = Depth::Root,
                (Depth::Offers, Event::Start(e)) => {
                    let start = Element::of(&e).map_err(|error| self.malformed(error))?;
                    let element = read_subtree(&mut self.xml, &mut self.buf, start)
                        .map_err(|error| self.malformed(error))?;
                    self.formation(element);
                }
                (Depth::Offers, Event::Empty(e)) => {
                    let element = Element::of(&e).map_err(|error| self.malformed(error))?;
                    self.formation(element);
                }
                (_, Event::Eof) if self.depth != Depth::Done => {
                    return Err(self.malformed("the file ends inside <lheo>"));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn formation(&mut self, element: Element) {
        if element.name != "formation" {
            // `extras` of `offres`: a producer's own data.
            return;
        }
        self.formations += 1;
        let at = format!("/lheo/offres/formation[{}]", self.formations);
        let records = mapping::formation(&mut self.context, &at, &element, &self.default_sector);
        self.queue.extend(records);
    }
}

fn namespace_of(ns: &ResolveResult<'_>) -> Option<String> {
    match ns {
        ResolveResult::Bound(namespace) => Some(namespace.0.to_owned()),
        _ => None,
    }
}

impl Iterator for Reader {
    type Item = AppResult<Parsed>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        if let Err(error) = self.fill() {
            self.failed = true;
            return Some(Err(error));
        }
        self.queue.pop_front().map(Ok)
    }
}

/// Imports an LHÉO file under the source `source` (see [`source_name`]). Offers whose title
/// names no sector get `default_sector` (which must exist).
pub async fn import(
    db: &DatabaseConnection,
    input: Input,
    source: &str,
    default_sector: &str,
    options: &ImportOptions,
    progress: impl FnMut(usize),
) -> AppResult<Report> {
    if entity::sector::Entity::find_by_id(default_sector.to_owned())
        .one(db)
        .await?
        .is_none()
    {
        return Err(AppError::BadRequest(format!(
            "unknown sector {default_sector:?} (see referentials.sectors)"
        )));
    }
    let reader = Reader::new(input, source, default_sector);
    import_records(db, reader, options, progress).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_is_the_given_name_or_the_file_stem() {
        assert_eq!(
            source_name("carif-oref-hdf.xml.gz", None),
            "lheo:carif-oref-hdf"
        );
        assert_eq!(source_name("x.xml", Some("Carif IDF")), "lheo:carif-idf");
        assert_eq!(source_name("x.xml", Some("lheo:hdf")), "lheo:hdf");
    }

    fn records(xml: &str) -> Vec<AppResult<Parsed>> {
        let input = Input::from_bytes("t.xml", xml.as_bytes().to_vec()).expect("input");
        Reader::new(input, "lheo:t", mapping::DEFAULT_SECTOR).collect()
    }

    #[test]
    fn a_file_in_another_namespace_is_refused_at_once() {
        let out = records(r#"<lheo xmlns="http://example.org/"><offres/></lheo>"#);
        assert_eq!(out.len(), 1);
        let error = out
            .into_iter()
            .next()
            .and_then(Result::err)
            .expect("an error");
        assert!(error.to_string().contains("not an LHÉO file"), "{error}");
    }

    #[test]
    fn malformed_xml_stops_with_its_offset() {
        let out =
            records(r#"<lheo xmlns="http://lheo.gouv.fr/2.3"><offres><formation></offres></lheo>"#);
        let error = out.into_iter().find_map(Result::err).expect("an error");
        assert!(error.to_string().contains("not well-formed XML"), "{error}");
    }
}
