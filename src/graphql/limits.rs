//! Request limits enforced before execution: nesting of the query text, depth, root fields and
//! cost (complexity), each refusal with its own `extensions.code`; the budget depends on the caller.
//!
//! The parser recurses once per nested list, object or selection set; a few kilobytes of
//! `[[[[…]]]]` overflow a worker thread's stack, which no panic handler can catch. So the raw
//! text is scanned for its bracket nesting before it reaches the parser.
use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Positioned, ServerError};

use crate::catalogue::actor::{Actor, Role};
use crate::error::AppError;

/// Deepest nesting of brackets (`{`, `[`, `(`) the query text may have. A legitimate query
/// nests selections about 15 deep and values 3 or 4 deep; the parser overflowed near 256.
pub const MAX_TEXT_NESTING: usize = 64;

/// What one caller may ask of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Deepest field nesting, fragments expanded.
    pub depth: usize,
    /// Highest cost (see the `complexity` of each field).
    pub complexity: usize,
    /// Most root fields (aliases included) in one operation.
    pub root_fields: usize,
    /// Wall-clock time for the whole execution.
    pub time: std::time::Duration,
}

/// The budgets per kind of caller: people who edit the catalogue get more room than the public.
#[derive(Debug, Clone, Copy)]
pub struct Budgets {
    pub public: Budget,
    pub trusted: Budget,
}

impl Budgets {
    /// Whether `actor` has the trusted budget: people who edit the catalogue.
    pub fn trusts(actor: Option<&Actor>) -> bool {
        matches!(actor.map(|a| a.role), Some(Role::Editor | Role::Admin))
    }

    pub fn for_actor(&self, actor: Option<&Actor>) -> Budget {
        if Self::trusts(actor) {
            self.trusted
        } else {
            self.public
        }
    }
}

/// Refuses a parsed document past `budget`: nested too deep (fragments expanded) or with too
/// many root fields. Run before execution, on the document the endpoint parsed; the cost is
/// checked by the engine during validation (`limit_complexity` of the caller's schema).
///
/// These checks used to live in an async-graphql extension; any extension makes the engine
/// wrap every field's resolution (type lookups and allocated type names per field and per
/// list item), which was a fifth of the CPU time of a partner's page.
pub fn check_document(document: &ExecutableDocument, budget: &Budget) -> Result<(), AppError> {
    let depth = document_depth(document);
    if depth > budget.depth {
        return Err(AppError::QueryTooDeep(format!(
            "the query nests fields {depth} deep; at most {} are allowed",
            budget.depth
        )));
    }
    let root_fields = most_root_fields(document);
    if root_fields > budget.root_fields {
        return Err(AppError::QueryTooComplex(format!(
            "the operation has {root_fields} root fields (aliases included); at most {} are allowed: split it into several requests",
            budget.root_fields
        )));
    }
    Ok(())
}

/// Refuses a query text nested deeper than the parser can safely recurse.
pub fn check_text(query: &str) -> Result<(), AppError> {
    let nesting = text_nesting(query);
    if nesting > MAX_TEXT_NESTING {
        return Err(AppError::QueryTooDeep(format!(
            "the query nests brackets {nesting} deep; at most {MAX_TEXT_NESTING} are allowed"
        )));
    }
    Ok(())
}

/// The message the engine gives when validation finds a cost past `limit_complexity`.
const ENGINE_TOO_COMPLEX: &str = "Query is too complex.";

/// Gives the engine's cost refusal our code and a message that says what to do.
pub fn explain_cost_refusal(errors: &mut [ServerError], budget: &Budget) {
    for error in errors
        .iter_mut()
        .filter(|error| error.message == ENGINE_TOO_COMPLEX && error.path.is_empty())
    {
        let explained: async_graphql::Error = AppError::QueryTooComplex(format!(
            "the query costs more than {}, the most allowed (lists cost their page size times their fields; text, distance and eligibility filters and counts cost more): ask for fewer or smaller pages",
            budget.complexity
        ))
        .into();
        error.message = explained.message;
        error.extensions = explained.extensions;
    }
}

/// The deepest bracket nesting of a GraphQL text, ignoring strings, block strings and comments.
pub fn text_nesting(query: &str) -> usize {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    // An escaped triple quote stays inside the block string.
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// The deepest field nesting of any operation, fragments expanded (a field with no
/// sub-selection counts 1). Fragment cycles are left to validation, which refuses them.
pub fn document_depth(document: &ExecutableDocument) -> usize {
    let mut memo = HashMap::new();
    document
        .operations
        .iter()
        .map(|(_, operation)| {
            selection_depth(document, &operation.node.selection_set, &mut memo, 0)
        })
        .max()
        .unwrap_or(0)
}

/// Fragment spreads are followed at most this deep (async-graphql refuses deeper ones too).
const MAX_FRAGMENT_CHAIN: usize = 64;

fn selection_depth(
    document: &ExecutableDocument,
    set: &Positioned<SelectionSet>,
    memo: &mut HashMap<String, usize>,
    chain: usize,
) -> usize {
    if chain > MAX_FRAGMENT_CHAIN {
        return usize::MAX / 2;
    }
    set.node
        .items
        .iter()
        .map(|selection| match &selection.node {
            Selection::Field(field) => {
                1 + selection_depth(document, &field.node.selection_set, memo, chain)
            }
            Selection::InlineFragment(fragment) => {
                selection_depth(document, &fragment.node.selection_set, memo, chain)
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if let Some(depth) = memo.get(name) {
                    return *depth;
                }
                let depth = document.fragments.get(name).map_or(0, |fragment| {
                    selection_depth(document, &fragment.node.selection_set, memo, chain + 1)
                });
                memo.insert(name.to_owned(), depth);
                depth
            }
        })
        .max()
        .unwrap_or(0)
}

/// The most root fields (aliases count one each) of any operation, fragments expanded.
pub fn most_root_fields(document: &ExecutableDocument) -> usize {
    document
        .operations
        .iter()
        .map(|(_, operation)| count_fields(document, &operation.node.selection_set, 0))
        .max()
        .unwrap_or(0)
}

fn count_fields(
    document: &ExecutableDocument,
    set: &Positioned<SelectionSet>,
    chain: usize,
) -> usize {
    if chain > MAX_FRAGMENT_CHAIN {
        return usize::MAX / 2;
    }
    set.node
        .items
        .iter()
        .map(|selection| match &selection.node {
            Selection::Field(_) => 1,
            Selection::InlineFragment(fragment) => {
                count_fields(document, &fragment.node.selection_set, chain + 1)
            }
            Selection::FragmentSpread(spread) => document
                .fragments
                .get(spread.node.fragment_name.node.as_str())
                .map_or(0, |fragment| {
                    count_fields(document, &fragment.node.selection_set, chain + 1)
                }),
        })
        .fold(0usize, usize::saturating_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).expect("parses")
    }

    #[test]
    fn nesting_counts_brackets_outside_strings_and_comments() {
        assert_eq!(text_nesting("{ a { b(x: [1, [2]]) } }"), 5);
        assert_eq!(text_nesting(r#"{ a(s: "{{{{[[[[") }"#), 2);
        assert_eq!(text_nesting("{ a # {{{{{{\n }"), 1);
        assert_eq!(text_nesting(r#"{ a(s: """ {{{ \""" [[[ """) }"#), 2);
        assert_eq!(text_nesting(r#"{ a(s: "\"{{{") }"#), 2);
    }

    #[test]
    fn a_hostile_nesting_is_measured_without_recursion() {
        let query = format!(
            "{{ offers(filter: {{kinds: {}TRAINING{} }}) {{ totalCount }} }}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(text_nesting(&query), 100_003);
    }

    #[test]
    fn depth_follows_fragments() {
        let document = parse("{ a { b { ...F } } } fragment F on T { c { d } }");
        assert_eq!(document_depth(&document), 4);
        assert_eq!(document_depth(&parse("{ a b c }")), 1);
    }

    #[test]
    fn root_fields_count_aliases_and_fragments() {
        let document =
            parse("{ x: a y: a ...F ... on Query { z: a } } fragment F on Query { b c }");
        assert_eq!(most_root_fields(&document), 5);
    }
}
