//! Text folding for search: lower case, no accents, so "Vélo" matches "velo" on SQLite and PostgreSQL alike.
use std::sync::LazyLock;

use sea_orm::sea_query::{BinOper, Condition, Expr, ExprTrait, LikeExpr};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds `text` to lower-case ASCII-like words: accents removed, ligatures expanded,
/// every run of non-alphanumeric characters collapsed to one space.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        let expanded: &str = match c {
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            _ => "",
        };
        if !expanded.is_empty() {
            push_word_part(&mut folded, &mut pending_space, expanded);
        } else if c.is_alphanumeric() {
            let lower: String = c.to_lowercase().collect();
            push_word_part(&mut folded, &mut pending_space, &lower);
        } else {
            pending_space = !folded.is_empty();
        }
    }
    folded
}

fn push_word_part(folded: &mut String, pending_space: &mut bool, part: &str) {
    if *pending_space {
        folded.push(' ');
        *pending_space = false;
    }
    folded.push_str(part);
}

/// The folded words of a search query, each to be matched as a substring.
pub fn search_terms(query: &str) -> Vec<String> {
    fold(query)
        .split(' ')
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The synonym groups of `reference/synonyms.json`, folded.
static SYNONYMS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    #[derive(Deserialize, Default)]
    struct SynonymFile {
        groups: Vec<Vec<String>>,
    }
    let file: SynonymFile =
        serde_json::from_str(include_str!("../../reference/synonyms.json")).unwrap_or_default();
    file.groups
        .into_iter()
        .map(|group| group.iter().map(|word| fold(word)).collect())
        .collect()
});

/// The synonym groups, folded (`reference/synonyms.json`).
pub fn synonym_groups() -> &'static [Vec<String>] {
    &SYNONYMS
}

/// A folded term and the other words that mean the same (`reference/synonyms.json`).
pub fn with_synonyms(term: &str) -> Vec<String> {
    let mut words = vec![term.to_owned()];
    for group in SYNONYMS
        .iter()
        .filter(|group| group.iter().any(|w| w == term))
    {
        words.extend(group.iter().filter(|w| *w != term).cloned());
    }
    words
}

/// Every folded term of `query` found in one of the folded text `columns`: the term anywhere
/// (so a word's start finds it), or one of its synonyms as a whole word (a synonym found
/// inside another word would be noise: "cycle" in "recyclerie"). Each column is matched on
/// its own, so no row's text is copied into a concatenation.
pub fn matches_all_terms(columns: &[Expr], query: &str) -> Condition {
    let concat = || BinOper::Custom("||");
    search_terms(query)
        .into_iter()
        .fold(Condition::all(), |cond, term| {
            let mut any_word = Condition::any();
            let anywhere = format!("%{}%", escape_like(&term));
            for column in columns {
                any_word = any_word.add(
                    column
                        .clone()
                        .like(LikeExpr::new(anywhere.clone()).escape('\\')),
                );
            }
            for synonym in with_synonyms(&term).into_iter().skip(1) {
                let pattern = format!("% {} %", escape_like(&synonym));
                for column in columns {
                    // The text with a space at each end, so that every word is between two.
                    let padded = Expr::val(" ")
                        .binary(concat(), column.clone())
                        .binary(concat(), Expr::val(" "));
                    any_word =
                        any_word.add(padded.like(LikeExpr::new(pattern.clone()).escape('\\')));
                }
            }
            cond.add(any_word)
        })
}

/// Escapes `%`, `_` and the escape character itself for a `LIKE … ESCAPE '\'` pattern.
pub fn escape_like(term: &str) -> String {
    let mut escaped = String::with_capacity(term.len() + 2);
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_punctuation_are_folded() {
        assert_eq!(
            fold("Réparation de VÉLOS — Cœur d'Hainaut"),
            "reparation de velos coeur d hainaut"
        );
        assert_eq!(fold("  Électricité  "), "electricite");
    }

    #[test]
    fn a_query_splits_into_folded_terms() {
        assert_eq!(
            search_terms("Menuiserie  Liège!"),
            vec!["menuiserie", "liege"]
        );
        assert!(search_terms(" - ").is_empty());
    }

    #[test]
    fn a_word_brings_its_synonyms_and_others_do_not() {
        assert_eq!(with_synonyms("velo"), vec!["velo", "cycle", "bicyclette"]);
        assert_eq!(with_synonyms("d3e"), vec!["d3e", "deee"]);
        assert_eq!(with_synonyms("btp"), vec!["btp", "batiment"]);
        assert_eq!(with_synonyms("atelier"), vec!["atelier"]);
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("100%_a\\"), "100\\%\\_a\\\\");
    }
}
