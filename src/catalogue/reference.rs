//! The data·inclusion v1 code lists (themes, networks…), embedded from `reference/` and parsed once.
use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct ReferenceFile {
    lists: HashMap<String, CodeList>,
}

#[derive(Debug, Deserialize)]
struct CodeList {
    values: Vec<Code>,
}

/// One value of a national code list.
#[derive(Debug, Clone, Deserialize)]
pub struct Code {
    pub code: String,
    pub label: String,
    pub description: Option<String>,
}

static LISTS: LazyLock<HashMap<String, Vec<Code>>> = LazyLock::new(|| {
    let file: ReferenceFile = serde_json::from_str(include_str!(
        "../../reference/data-inclusion-v1.json"
    ))
    .unwrap_or(ReferenceFile {
        lists: HashMap::new(),
    });
    file.lists
        .into_iter()
        .map(|(name, list)| (name, list.values))
        .collect()
});

/// The values of list `name` ("Thematique", "ReseauPorteur"…), empty if unknown.
pub fn list(name: &str) -> &'static [Code] {
    LISTS.get(name).map(Vec::as_slice).unwrap_or_default()
}

/// data·inclusion themes ("mobilite--preparer-un-permis"…).
pub fn themes() -> &'static [Code] {
    list("Thematique")
}

/// data·inclusion theme categories ("mobilite"…).
pub fn theme_categories() -> &'static [Code] {
    list("Categorie")
}

pub fn is_theme(code: &str) -> bool {
    themes().iter().any(|theme| theme.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_lists_are_complete() {
        assert_eq!(themes().len(), 69);
        assert_eq!(theme_categories().len(), 16);
        assert_eq!(list("Public").len(), 14);
        assert_eq!(list("ReseauPorteur").len(), 108);
        assert!(is_theme("mobilite--preparer-un-permis"));
        assert!(!is_theme("mobilite"));
    }
}
