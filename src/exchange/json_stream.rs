//! Splits a file of JSON records into one text per record, without holding more than one
//! record in memory: a JSON array (`[{…}, {…}]`), JSON lines (one object per line), or the
//! pages of an API (`{"items": [{…}], "total": …, "page": …}`, one or several in a row),
//! gzip-compressed or not (told by its magic bytes, not its name).
//!
//! Each record comes with its position (`[3]`, `line 12`, `items[3]`) so that a bad one can be
//! reported and skipped while the others go on. A record that is not even balanced JSON in an
//! array or a page ends the file (nothing after it can be trusted to start a record); in JSON
//! lines a bad line is only that line.
use std::io::{self, BufRead, BufReader, Read};

use flate2::read::MultiGzDecoder;

/// The keys of an API page: a top-level object that starts with one of them is a page.
const PAGE_KEYS: [&str; 5] = ["items", "total", "page", "size", "pages"];

/// Buffer of the reader (and of the decompressor): large reads, few system calls.
const BUFFER: usize = 256 * 1024;

/// Opens `input`, decompressing it when it starts with the gzip magic bytes.
pub fn open(input: impl Read + 'static) -> io::Result<Box<dyn BufRead>> {
    let mut buffered = BufReader::with_capacity(BUFFER, input);
    let gzip = buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzip {
        Box::new(BufReader::with_capacity(
            BUFFER,
            MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    })
}

/// One record's text, or why it could not be cut out of the file.
#[derive(Debug)]
pub struct Item {
    /// Where it starts: `[3]`, `line 12`, `items[3]`, `page 2 items[3]`.
    pub at: String,
    pub text: Result<Vec<u8>, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the first byte, or between top-level values (JSON lines, pages).
    Top,
    /// Inside a top-level array, before the element at `index` (or its closing bracket).
    Array,
    /// Inside a page's `items` array.
    PageItems,
    /// Inside a page object, after its `items` (or before them): other keys are skipped.
    Page,
    Done,
}

/// The records of one file, in order.
pub struct Records<R> {
    input: R,
    state: State,
    /// Line of the next byte (1-based).
    line: usize,
    /// Index of the next element of the current array.
    index: usize,
    /// Pages read so far.
    pages: usize,
    /// Whether a top-level value was read: only the first may be an array.
    started: bool,
    /// A problem found after the record just given, told next.
    pending: Option<Item>,
}

impl<R: BufRead> Records<R> {
    pub fn new(input: R) -> Self {
        Self {
            input,
            state: State::Top,
            line: 1,
            index: 0,
            pages: 0,
            started: false,
            pending: None,
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    fn bump(&mut self) -> io::Result<Option<u8>> {
        let byte = self.peek()?;
        if let Some(byte) = byte {
            self.input.consume(1);
            if byte == b'\n' {
                self.line += 1;
            }
        }
        Ok(byte)
    }

    /// Skips whitespace; returns the next byte, not consumed.
    fn skip_space(&mut self) -> io::Result<Option<u8>> {
        loop {
            match self.peek()? {
                Some(b' ' | b'\t' | b'\r' | b'\n') => {
                    self.bump()?;
                }
                // A byte-order mark at the start of the file.
                Some(0xEF) if self.line == 1 && self.state == State::Top => {
                    let buffer = self.input.fill_buf()?;
                    if buffer.starts_with(&[0xEF, 0xBB, 0xBF]) {
                        self.input.consume(3);
                    } else {
                        return Ok(Some(0xEF));
                    }
                }
                other => return Ok(other),
            }
        }
    }

    /// Reads one JSON value (object, array, string or scalar) into `out`, by its brackets and
    /// quotes only: serde checks the rest. Reads whole buffers at a time.
    fn read_value(&mut self, out: &mut Vec<u8>) -> io::Result<Result<(), String>> {
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut started = false;
        loop {
            let buffer = self.input.fill_buf()?;
            if buffer.is_empty() {
                return Ok(Err("the file ends inside a record".into()));
            }
            let mut end = None;
            for (i, &byte) in buffer.iter().enumerate() {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if byte == b'\\' {
                        escaped = true;
                    } else if byte == b'"' {
                        in_string = false;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    continue;
                }
                match byte {
                    b'"' => {
                        in_string = true;
                        started = true;
                    }
                    b'{' | b'[' => {
                        depth += 1;
                        started = true;
                    }
                    b'}' | b']' if depth == 0 => {
                        // A scalar ends at its container's closing bracket.
                        end = Some(i);
                        break;
                    }
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    b',' | b' ' | b'\t' | b'\r' | b'\n' if depth == 0 && started => {
                        end = Some(i);
                        break;
                    }
                    _ => started = true,
                }
            }
            let taken = end.unwrap_or(buffer.len());
            out.extend_from_slice(&buffer[..taken]);
            self.line += buffer[..taken].iter().filter(|b| **b == b'\n').count();
            self.input.consume(taken);
            if end.is_some() {
                return Ok(Ok(()));
            }
        }
    }

    /// Reads a JSON string (the opening quote already seen, not consumed) as raw bytes.
    fn read_key(&mut self) -> io::Result<Result<String, String>> {
        let mut raw = Vec::new();
        if let Err(reason) = self.read_value(&mut raw)? {
            return Ok(Err(reason));
        }
        Ok(serde_json::from_slice::<String>(&raw).map_err(|e| format!("a key: {e}")))
    }

    /// After a page's or array's element: `,` (more follow) or the closing bracket.
    fn after_element(&mut self, close: u8) -> io::Result<Result<bool, String>> {
        match self.skip_space()? {
            Some(b',') => {
                self.bump()?;
                Ok(Ok(true))
            }
            Some(byte) if byte == close => {
                self.bump()?;
                Ok(Ok(false))
            }
            Some(byte) => Ok(Err(format!(
                "expected `,` or `{}` after a record, found `{}`",
                close as char, byte as char
            ))),
            None => Ok(Err("the file ends inside the list of records".into())),
        }
    }

    fn place(&self, line: usize) -> String {
        match self.state {
            State::Array => format!("[{}]", self.index),
            State::PageItems if self.pages > 1 => {
                format!("page {} items[{}]", self.pages, self.index)
            }
            State::PageItems => format!("items[{}]", self.index),
            _ => format!("line {line}"),
        }
    }

    fn fail(&mut self, at: String, reason: String) -> Option<io::Result<Item>> {
        self.state = State::Done;
        Some(Ok(Item {
            at,
            text: Err(reason),
        }))
    }

    /// The next element of an array (top-level or a page's items).
    fn element(&mut self, close: u8) -> Option<io::Result<Item>> {
        let line = self.line;
        let at = self.place(line);
        let mut text = Vec::new();
        match self.read_value(&mut text) {
            Err(error) => return Some(Err(error)),
            Ok(Err(reason)) => return self.fail(at, reason),
            Ok(Ok(())) => {}
        }
        self.index += 1;
        match self.after_element(close) {
            Err(error) => return Some(Err(error)),
            Ok(Err(reason)) => {
                let at = self.place(self.line);
                self.state = State::Done;
                self.pending = Some(Item {
                    at,
                    text: Err(reason),
                });
            }
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => {
                self.state = if self.state == State::Array {
                    State::Done
                } else {
                    State::Page
                };
            }
        }
        Some(Ok(Item { at, text: Ok(text) }))
    }

    fn step(&mut self) -> Option<io::Result<Item>> {
        if let Some(item) = self.pending.take() {
            return Some(Ok(item));
        }
        loop {
            match self.state {
                State::Done => return None,
                State::Array | State::PageItems => {
                    let close = b']';
                    match self.skip_space() {
                        Err(error) => return Some(Err(error)),
                        Ok(Some(b']')) if self.index == 0 => {
                            let _ = self.bump();
                            self.state = if self.state == State::Array {
                                State::Done
                            } else {
                                State::Page
                            };
                            continue;
                        }
                        Ok(None) => {
                            let at = self.place(self.line);
                            return self
                                .fail(at, "the file ends inside the list of records".into());
                        }
                        Ok(Some(_)) => return self.element(close),
                    }
                }
                State::Page => match self.page_key() {
                    Ok(Ok(())) => continue,
                    Ok(Err(reason)) => {
                        let at = format!("line {}", self.line);
                        return self.fail(at, reason);
                    }
                    Err(error) => return Some(Err(error)),
                },
                State::Top => {
                    let first = match self.skip_space() {
                        Err(error) => return Some(Err(error)),
                        Ok(None) => return None,
                        Ok(Some(byte)) => byte,
                    };
                    match first {
                        b'[' if !self.started => {
                            let _ = self.bump();
                            self.started = true;
                            self.index = 0;
                            self.state = State::Array;
                        }
                        b'{' => return self.top_object(),
                        _ => {
                            // Not a record: the rest of the line is skipped.
                            let line = self.line;
                            let mut rest = Vec::new();
                            if let Err(error) = self.input.read_until(b'\n', &mut rest) {
                                return Some(Err(error));
                            }
                            if rest.ends_with(b"\n") {
                                self.line += 1;
                            }
                            return Some(Ok(Item {
                                at: format!("line {line}"),
                                text: Err("not a JSON object".into()),
                            }));
                        }
                    }
                }
            }
        }
    }

    /// A top-level object: a page (its first key is a page's) or one record of JSON lines.
    fn top_object(&mut self) -> Option<io::Result<Item>> {
        let line = self.line;
        self.started = true;
        let mut prefix = Vec::new();
        // `{`, whitespace, then the first key.
        if let Err(error) = self.bump() {
            return Some(Err(error));
        }
        prefix.push(b'{');
        match self.skip_space() {
            Err(error) => return Some(Err(error)),
            Ok(Some(b'"')) => {
                let mut raw = Vec::new();
                match self.read_value(&mut raw) {
                    Err(error) => return Some(Err(error)),
                    Ok(Err(_)) => {}
                    Ok(Ok(())) => {
                        let key = serde_json::from_slice::<String>(&raw).unwrap_or_default();
                        if PAGE_KEYS.contains(&key.as_str()) {
                            self.pages += 1;
                            self.state = State::Page;
                            return match self.page_value(&key) {
                                Ok(Ok(())) => self.step(),
                                Ok(Err(reason)) => self.fail(format!("line {}", self.line), reason),
                                Err(error) => Some(Err(error)),
                            };
                        }
                    }
                }
                prefix.extend_from_slice(&raw);
            }
            Ok(_) => {}
        }
        // One record per line: the rest of its line.
        let mut rest = Vec::new();
        if let Err(error) = self.input.read_until(b'\n', &mut rest) {
            return Some(Err(error));
        }
        if rest.ends_with(b"\n") {
            self.line += 1;
        }
        prefix.extend_from_slice(&rest);
        Some(Ok(Item {
            at: format!("line {line}"),
            text: Ok(prefix),
        }))
    }

    /// Inside a page, after a value: the next key, or the page's end.
    fn page_key(&mut self) -> io::Result<Result<(), String>> {
        match self.skip_space()? {
            Some(b',') => {
                self.bump()?;
                match self.skip_space()? {
                    Some(b'"') => {}
                    _ => return Ok(Err("expected a key in the page".into())),
                }
                let key = match self.read_key()? {
                    Ok(key) => key,
                    Err(reason) => return Ok(Err(reason)),
                };
                self.page_value(&key)
            }
            Some(b'}') => {
                self.bump()?;
                self.state = State::Top;
                Ok(Ok(()))
            }
            _ => Ok(Err("expected `,` or `}` in the page".into())),
        }
    }

    /// After a page's key: its `:`, then either the items (entered) or a value (skipped).
    fn page_value(&mut self, key: &str) -> io::Result<Result<(), String>> {
        if self.skip_space()? != Some(b':') {
            return Ok(Err(format!("expected `:` after {key:?}")));
        }
        self.bump()?;
        match self.skip_space()? {
            Some(b'[') if key == "items" => {
                self.bump()?;
                self.index = 0;
                self.state = State::PageItems;
                Ok(Ok(()))
            }
            Some(_) => {
                let mut skipped = Vec::new();
                self.read_value(&mut skipped)
            }
            None => Ok(Err("the file ends inside the page".into())),
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = io::Result<Item>;

    fn next(&mut self) -> Option<Self::Item> {
        self.step()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn items(text: &[u8]) -> Vec<(String, Result<String, String>)> {
        let input = open(std::io::Cursor::new(text.to_vec())).expect("opens");
        Records::new(input)
            .map(|item| {
                let item = item.expect("reads");
                (
                    item.at,
                    item.text
                        .map(|t| String::from_utf8(t).expect("utf-8").trim().to_owned()),
                )
            })
            .collect()
    }

    #[test]
    fn json_lines_give_one_record_per_line_and_a_bad_line_is_only_that_line() {
        let got = items(b"{\"id\": \"a\"}\n\n{\"id\": \"b\", \"x\": [1, {\"y\": \"}\"}]}\n{\"id\": \n{\"id\": \"d\"}\n");
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], ("line 1".into(), Ok("{\"id\": \"a\"}".into())));
        assert_eq!(got[1].0, "line 3");
        assert_eq!(got[2], ("line 4".into(), Ok("{\"id\":".into())));
        assert_eq!(got[3], ("line 5".into(), Ok("{\"id\": \"d\"}".into())));
    }

    #[test]
    fn an_array_gives_its_elements_by_index_across_lines() {
        let got =
            items(b"\xEF\xBB\xBF[\n  {\"id\": \"a\", \"s\": \"]},\\\"\"},\n  {\"id\": \"b\"}\n]\n");
        assert_eq!(
            got,
            vec![
                (
                    "[0]".to_owned(),
                    Ok("{\"id\": \"a\", \"s\": \"]},\\\"\"}".to_owned())
                ),
                ("[1]".to_owned(), Ok("{\"id\": \"b\"}".to_owned())),
            ]
        );
        assert!(items(b"[]").is_empty());
        let broken = items(b"[{\"id\": \"a\"} {\"id\": \"b\"}]");
        assert_eq!(broken.len(), 2);
        assert!(broken[1].1.is_err(), "{broken:?}");
    }

    #[test]
    fn api_pages_give_their_items_whatever_the_order_of_keys() {
        let got = items(
            b"{\"items\": [{\"id\": \"a\"}, {\"id\": \"b\"}], \"total\": 3, \"page\": 1}\n{\"total\": 3, \"page\": {\"n\": 2}, \"items\": [{\"id\": \"c\"}]}",
        );
        let at: Vec<&str> = got.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(at, ["items[0]", "items[1]", "page 2 items[0]"]);
        assert_eq!(got[2].1, Ok("{\"id\": \"c\"}".to_owned()));
    }

    #[test]
    fn gzip_is_told_by_its_magic_bytes() {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(b"[{\"id\": \"a\"}]").expect("compresses");
        let compressed = encoder.finish().expect("compresses");
        assert_eq!(
            items(&compressed),
            vec![("[0]".to_owned(), Ok("{\"id\": \"a\"}".to_owned()))]
        );
    }
}
