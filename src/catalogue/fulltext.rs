//! French full-text analysis, the same for indexing and for queries on both engines: words
//! folded (case, accents, ligatures), elisions and stop words dropped, each word reduced to
//! its Snowball French stem; a query parsed into words and quoted phrases, each word widened
//! to its synonyms, its near spellings and, for the last one, the words it starts.
//!
//! Engines only ever see stems: SQLite's FTS5 and PostgreSQL's `tsvector` index the stems
//! written here (`fulltext_index`), so both find the same offers for the same query.
use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use serde::Deserialize;

use super::text::{fold, synonym_groups};

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::French));

/// `reference/french-stop-words.json`, folded.
static STOP_WORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    #[derive(Deserialize, Default)]
    struct StopWords {
        words: Vec<String>,
    }
    let file: StopWords =
        serde_json::from_str(include_str!("../../reference/french-stop-words.json"))
            .unwrap_or_default();
    file.words.iter().map(|word| fold(word)).collect()
});

/// Words this long or longer forgive one typo (Meilisearch's default threshold).
pub const TYPO_MIN_LENGTH: usize = 5;

/// Longer runs of letters are no words (a pasted link, a string of keys): they are left out
/// of the index, so that both engines index the same words (PostgreSQL ignores words over
/// 2,047 bytes) and the vocabulary's key stays small (a PostgreSQL index entry holds at most
/// 2,704 bytes). A query word this long matches nothing.
pub const MAX_WORD_LENGTH: usize = 40;

/// Query words widened to their near spellings, at most (each costs a lookup list).
const TYPO_WORDS_MAX: usize = 8;

/// True for a folded word that says nothing of an offer: a stop word or a single letter
/// (what an elision leaves: the "l" of "l'atelier").
fn is_stop_word(word: &str) -> bool {
    word.chars().count() < 2 || STOP_WORDS.contains(word)
}

/// The stem of one folded word. A plural "s" or "x" goes first: Snowball keeps it after a
/// vowel ("vélos" would stay apart from "vélo"), a light stemmer's first rule.
pub fn stem(word: &str) -> String {
    let singular = match word.strip_suffix(['s', 'x']) {
        Some(rest) if rest.chars().count() >= 3 && !rest.ends_with('s') => rest,
        _ => word,
    };
    STEMMER.stem(singular).into_owned()
}

/// The stems of a text, in order, stop words and over-long runs left out.
pub fn stems(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|word| !word.is_empty() && !is_stop_word(word) && !is_too_long(word))
        .map(stem)
        .collect()
}

fn is_too_long(word: &str) -> bool {
    word.chars().count() > MAX_WORD_LENGTH
}

/// What the index holds for a text: its stems, separated by spaces.
pub fn index_text(text: &str) -> String {
    stems(text).join(" ")
}

/// One condition of a query: every clause must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A word: any of these stems (the word's, its synonyms', its near spellings'), or, for
    /// the last word of a query being typed, any word that starts with `prefix`.
    Word {
        /// The folded word as typed.
        typed: String,
        stems: BTreeSet<String>,
        prefix: Option<String>,
    },
    /// Words that follow each other (stop words aside), as stems.
    Phrase(Vec<String>),
}

/// A parsed text query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextQuery {
    pub clauses: Vec<Clause>,
}

impl TextQuery {
    /// Parses `text`: "quoted words" are phrases, other words are matched whatever their
    /// inflection; the last word, unless followed by a space, also matches as a prefix (the
    /// search box is still typing it).
    pub fn parse(text: &str) -> Self {
        let mut clauses = Vec::new();
        for (index, part) in text.split('"').enumerate() {
            // Odd parts were between quotes (an unclosed quote runs to the end).
            if index % 2 == 1 {
                let folded = fold(part);
                let words: Vec<&str> = folded
                    .split(' ')
                    .filter(|word| !word.is_empty() && !is_stop_word(word))
                    .collect();
                match words.as_slice() {
                    [] => {}
                    [word] => clauses.push(word_clause(word, &stem(word))),
                    _ => clauses.push(Clause::Phrase(words.iter().map(|w| stem(w)).collect())),
                }
                continue;
            }
            for word in fold(part).split(' ') {
                if !word.is_empty() && !is_stop_word(word) {
                    clauses.push(word_clause(word, &stem(word)));
                }
            }
        }
        let typing = !text.ends_with(|c: char| c.is_whitespace() || c == '"');
        if typing
            && let Some(Clause::Word { typed, prefix, .. }) = clauses.last_mut()
            && typed.chars().count() >= 2
        {
            *prefix = Some(typed.clone());
        }
        Self { clauses }
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Stems that may be misspellings of an indexed word, with the candidates for each
    /// (every spelling one edit away): the caller keeps the candidates the index knows. Only
    /// words (with a letter) between `TYPO_MIN_LENGTH` and `MAX_WORD_LENGTH` letters.
    pub fn typo_candidates(&self) -> Vec<(String, Vec<String>)> {
        self.clauses
            .iter()
            .filter_map(|clause| match clause {
                Clause::Word { typed, .. }
                    if is_vocabulary_word(typed) && typed.chars().count() >= TYPO_MIN_LENGTH =>
                {
                    let own = stem(typed);
                    Some((own.clone(), one_edit_away(&own)))
                }
                _ => None,
            })
            .take(TYPO_WORDS_MAX)
            .collect()
    }

    /// Adds `known` (spellings the index holds, one edit away from the stem `of`) to the
    /// words whose stem is `of`.
    pub fn add_near_spellings(&mut self, of: &str, known: &[String]) {
        for clause in &mut self.clauses {
            if let Clause::Word { typed, stems, .. } = clause
                && stem(typed) == of
            {
                stems.extend(known.iter().cloned());
            }
        }
    }

    /// True when the folded `word` of a text matches a word of the query (for highlights).
    pub fn matches_word(&self, word: &str) -> bool {
        if word.is_empty() || is_stop_word(word) {
            return false;
        }
        let stemmed = stem(word);
        self.clauses.iter().any(|clause| match clause {
            Clause::Word { stems, prefix, .. } => {
                stems.contains(&stemmed) || prefix.as_ref().is_some_and(|p| word.starts_with(p))
            }
            Clause::Phrase(words) => words.contains(&stemmed),
        })
    }
}

/// The synonym groups as stems: a word brings the group of any word with its stem
/// ("vélos" the group of "vélo").
static SYNONYM_STEMS: LazyLock<Vec<BTreeSet<String>>> = LazyLock::new(|| {
    synonym_groups()
        .iter()
        .map(|group| group.iter().flat_map(|word| stems(word)).collect())
        .collect()
});

/// True for what the vocabulary of typo tolerance holds: words with a letter (not numbers,
/// which have no misspellings to forgive), not over `MAX_WORD_LENGTH`.
pub fn is_vocabulary_word(word: &str) -> bool {
    !is_too_long(word) && word.chars().any(char::is_alphabetic)
}

fn word_clause(typed: &str, own_stem: &str) -> Clause {
    let mut stems = BTreeSet::from([own_stem.to_owned()]);
    for group in SYNONYM_STEMS.iter().filter(|g| g.contains(own_stem)) {
        stems.extend(group.iter().cloned());
    }
    Clause::Word {
        typed: typed.to_owned(),
        stems,
        prefix: None,
    }
}

/// Every spelling one edit away from `word` (a letter left out, added, replaced, or two
/// neighbours swapped), over the letters and digits folded text is made of.
pub fn one_edit_away(word: &str) -> Vec<String> {
    const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    let chars: Vec<char> = word.chars().collect();
    let mut out = BTreeSet::new();
    let text = |chars: &[char]| chars.iter().collect::<String>();
    for i in 0..=chars.len() {
        if i < chars.len() {
            let mut deleted = chars.clone();
            deleted.remove(i);
            out.insert(text(&deleted));
            for letter in ALPHABET.chars() {
                let mut replaced = chars.clone();
                replaced[i] = letter;
                out.insert(text(&replaced));
            }
        }
        if i + 1 < chars.len() {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            out.insert(text(&swapped));
        }
        for letter in ALPHABET.chars() {
            let mut inserted = chars.clone();
            inserted.insert(i, letter);
            out.insert(text(&inserted));
        }
    }
    out.remove(word);
    out.into_iter().collect()
}

/// `text` with the words that match `query` between `<mark>` and `</mark>`; when `window`
/// is given, cut to that many words on each side of the first match (with "…" where cut).
/// None when no word matches.
pub fn highlight(text: &str, query: &TextQuery, window: Option<usize>) -> Option<String> {
    // Words and what separates them, in order, so that the text comes back as written.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            current.push(c);
        } else {
            if !current.is_empty() {
                let matched = query.matches_word(&fold(&current));
                pieces.push((std::mem::take(&mut current), matched));
            }
            pieces.push((c.to_string(), false));
        }
    }
    if !current.is_empty() {
        let matched = query.matches_word(&fold(&current));
        pieces.push((current, matched));
    }
    let first = pieces.iter().position(|(_, matched)| *matched)?;
    let (start, end) = match window {
        None => (0, pieces.len()),
        // Pieces alternate words and separators: about two pieces a word.
        Some(words) => (
            first.saturating_sub(2 * words),
            Ord::min(pieces.len(), first + 2 * words + 1),
        ),
    };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    for (piece, matched) in &pieces[start..end] {
        if *matched {
            out.push_str("<mark>");
            out.push_str(piece);
            out.push_str("</mark>");
        } else {
            out.push_str(piece);
        }
    }
    if end < pieces.len() {
        out.push('…');
    }
    Some(out.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(query: &str, text: &str) -> bool {
        let query = TextQuery::parse(query);
        let indexed: HashSet<String> = stems(text).into_iter().collect();
        query.clauses.iter().all(|clause| match clause {
            Clause::Word { stems, prefix, .. } => {
                stems.iter().any(|s| indexed.contains(s))
                    || prefix
                        .as_ref()
                        .is_some_and(|p| indexed.iter().any(|s| s.starts_with(p)))
            }
            Clause::Phrase(words) => {
                let all = self::stems(text);
                all.windows(words.len()).any(|w| w == words.as_slice())
            }
        })
    }

    #[test]
    fn inflections_accents_case_and_elisions_match() {
        assert!(matches("formations ", "Une formation qualifiante"));
        assert!(matches("l'atelier ", "Atelier vélo"));
        assert!(matches("Réparer ", "réparation de cycles"));
        assert!(matches("VELOS ", "Atelier vélo"));
        assert!(!matches("menuiserie ", "Atelier vélo"));
    }

    #[test]
    fn stop_words_do_not_count_and_every_word_must_match() {
        assert!(matches("le vélo de la ville ", "Atelier vélo en ville"));
        assert!(!matches("vélo bois ", "Atelier vélo"));
        assert!(TextQuery::parse("de la ").is_empty());
    }

    #[test]
    fn the_last_word_being_typed_matches_as_a_prefix() {
        assert!(matches("atelier menuis", "Atelier de menuiserie"));
        assert!(!matches("atelier menuis ", "Atelier de menuiserie"));
    }

    #[test]
    fn a_quoted_phrase_matches_words_in_order() {
        assert!(matches("\"atelier vélo\"", "Un atelier de vélo solidaire"));
        assert!(!matches("\"vélo atelier\"", "Un atelier de vélo solidaire"));
    }

    #[test]
    fn synonyms_widen_a_word() {
        assert!(matches("cycle ", "Atelier vélo"));
        assert!(matches("BTP ", "Chantier bâtiment"));
    }

    #[test]
    fn one_edit_away_holds_the_fixed_spelling() {
        let near = one_edit_away(&stem("menuserie"));
        assert!(near.contains(&stem("menuiserie")), "{near:?}");
        assert!(!near.contains(&stem("menuserie")));
    }

    #[test]
    fn highlights_mark_the_matched_words_as_written() {
        let query = TextQuery::parse("réparer vélos ");
        assert_eq!(
            highlight("Réparation de Vélo, l'atelier", &query, None).as_deref(),
            Some("<mark>Réparation</mark> de <mark>Vélo</mark>, l'atelier")
        );
        assert_eq!(highlight("Atelier bois", &query, None), None);
        let long = "un deux trois quatre cinq six sept huit neuf dix vélo onze douze treize";
        let cut = highlight(long, &query, Some(3)).expect("a match");
        assert_eq!(cut, "…huit neuf dix <mark>vélo</mark> onze douze treize");
        let cut = highlight(long, &query, Some(2)).expect("a match");
        assert_eq!(cut, "…neuf dix <mark>vélo</mark> onze douze…");
    }
}
