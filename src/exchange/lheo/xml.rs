//! One XML element and its subtree as a small tree, read from a pull parser: the reader keeps
//! one `formation` in memory at a time, never the file.
use std::io::BufRead;

use quick_xml::NsReader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

/// An element: its local name (namespaces are checked once, on the root), attributes, text
/// and child elements.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

/// Subtrees that are not read: `extras` hold a producer's own data, of any size.
const SKIPPED: &[&str] = &["extras"];

impl Element {
    /// The element of a start tag, without children yet.
    pub fn of(start: &BytesStart<'_>) -> Result<Self, quick_xml::Error> {
        let mut attributes = Vec::new();
        for attribute in start.attributes() {
            let attribute = attribute.map_err(quick_xml::Error::from)?;
            let value = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0)?;
            attributes.push((
                attribute.key.local_name().as_ref().to_owned(),
                value.into_owned(),
            ));
        }
        Ok(Self {
            name: start.local_name().as_ref().to_owned(),
            attributes,
            text: String::new(),
            children: Vec::new(),
        })
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element at a path of child names (the first of each name).
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter()
            .try_fold(self, |element, name| element.child(name))
    }

    /// The trimmed text of the element at `path`; empty is none.
    pub fn text_at(&self, path: &[&str]) -> Option<String> {
        self.at(path).and_then(Element::own_text)
    }

    /// Its own text, trimmed; empty is none.
    pub fn own_text(&self) -> Option<String> {
        let text = self.text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }
}

/// Reads the subtree of `start` (already read) up to its end tag.
pub fn read_subtree<R: BufRead>(
    reader: &mut NsReader<R>,
    buf: &mut Vec<u8>,
    start: Element,
) -> Result<Element, quick_xml::Error> {
    let mut stack = vec![start];
    // Depth inside a skipped subtree (0: not in one).
    let mut skipping = 0usize;
    loop {
        buf.clear();
        let event = reader.read_event_into(buf)?;
        if skipping > 0 {
            match event {
                Event::Start(_) => skipping += 1,
                Event::End(_) => skipping -= 1,
                Event::Eof => return Err(unexpected_eof()),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => {
                if SKIPPED.contains(&e.local_name().as_ref()) {
                    skipping = 1;
                } else {
                    stack.push(Element::of(&e)?);
                }
            }
            Event::Empty(e) => {
                if !SKIPPED.contains(&e.local_name().as_ref()) {
                    let element = Element::of(&e)?;
                    if let Some(parent) = stack.last_mut() {
                        parent.children.push(element);
                    }
                }
            }
            Event::End(_) => {
                let done = stack.pop().ok_or_else(unexpected_eof)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(t) => {
                if let Some(element) = stack.last_mut() {
                    element.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(element) = stack.last_mut() {
                    element.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref()? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.xml10_content();
                        resolve_predefined_entity(&name)
                            .map(str::to_owned)
                            .ok_or_else(|| {
                                quick_xml::Error::Escape(
                                    quick_xml::escape::EscapeError::UnrecognizedEntity(
                                        0..0,
                                        name.into_owned(),
                                    ),
                                )
                            })?
                    }
                };
                if let Some(element) = stack.last_mut() {
                    element.text.push_str(&resolved);
                }
            }
            Event::Eof => return Err(unexpected_eof()),
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
        }
    }
}

fn unexpected_eof() -> quick_xml::Error {
    quick_xml::Error::Syntax(quick_xml::errors::SyntaxError::UnclosedTag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(xml: &str) -> Element {
        let mut reader = NsReader::from_reader(xml.as_bytes());
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if let Event::Start(e) = reader.read_event_into(&mut buf).expect("xml") {
                let start = Element::of(&e).expect("start");
                return read_subtree(&mut reader, &mut buf, start).expect("subtree");
            }
        }
    }

    #[test]
    fn a_subtree_keeps_text_entities_and_attributes_and_skips_extras() {
        let root = tree(
            r#"<l:a xmlns:l="x" numero="7"><l:b>Caf&#233; &amp; th&eacute</l:b></l:a>"#
                .replace("&eacute", "&#233;")
                .as_str(),
        );
        assert_eq!(root.name, "a");
        assert_eq!(root.attribute("numero"), Some("7"));
        assert_eq!(root.text_at(&["b"]).as_deref(), Some("Café & thé"));
        let with_extras = tree("<a><extras><extra><b>no</b></extra></extras><b>yes</b></a>");
        assert_eq!(with_extras.children.len(), 1);
        assert_eq!(with_extras.text_at(&["b"]).as_deref(), Some("yes"));
    }
}
