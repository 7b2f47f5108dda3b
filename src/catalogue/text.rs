//! Text folding for search: lower case, no accents, so "Vélo" matches "velo" on SQLite and PostgreSQL alike.
use sea_orm::sea_query::{Condition, Expr, ExprTrait, LikeExpr};
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

/// Every folded term of `query` found in the folded text column `column`.
pub fn matches_all_terms(column: Expr, query: &str) -> Condition {
    search_terms(query)
        .into_iter()
        .fold(Condition::all(), |cond, term| {
            let pattern = format!("%{}%", escape_like(&term));
            cond.add(column.clone().like(LikeExpr::new(pattern).escape('\\')))
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
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("100%_a\\"), "100\\%\\_a\\\\");
    }
}
