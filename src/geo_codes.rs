//! French and Belgian geographic codes (communes, départements): one set of rules for the
//! catalogue, its editors and the eligibility engine, so that an offer's stored
//! département and a residence check never read the same commune two ways.
use entity::enums::Country;

/// A commune code in its canonical (upper-case) form: five digits (INSEE in France, NIS/INS
/// in Belgium), or `2A`/`2B` and three digits for Corsica.
pub fn is_commune_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    let digits = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
    bytes.len() == 5
        && (digits(bytes)
            || ((bytes.starts_with(b"2A") || bytes.starts_with(b"2B")) && digits(&bytes[2..])))
}

/// A département code in its canonical form: two digits, `2A`, `2B`, or three digits
/// overseas (`974`; `987` for the overseas collectivities).
pub fn is_departement_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    let digits = bytes.iter().all(u8::is_ascii_digit);
    match bytes.len() {
        2 => digits || code == "2A" || code == "2B",
        3 => digits && (code.starts_with("97") || code.starts_with("98")),
        _ => false,
    }
}

/// The département of a French commune code: its first two characters ("75056" → "75",
/// "2A004" → "2A"), three overseas ("97411" → "974"); `None` for anything else.
pub fn departement_of(commune_code: &str) -> Option<&str> {
    if !is_commune_code(commune_code) {
        return None;
    }
    let overseas = commune_code.starts_with("97") || commune_code.starts_with("98");
    commune_code.get(..if overseas { 3 } else { 2 })
}

/// The département stored with a place: French places only (Belgian codes have none).
pub fn departement_in(country: Country, commune_code: &str) -> Option<String> {
    match country {
        Country::Fr => departement_of(&commune_code.to_uppercase()).map(str::to_owned),
        Country::Be => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commune_codes() {
        for good in ["59350", "2A004", "2B033", "97411", "62063"] {
            assert!(is_commune_code(good), "{good}");
        }
        for bad in [
            "5935", "593500", "2C004", "2a004", "AB123", "lille", "9é411",
        ] {
            assert!(!is_commune_code(bad), "{bad}");
        }
    }

    #[test]
    fn departement_codes() {
        for good in ["59", "2A", "2B", "974", "987", "01"] {
            assert!(is_departement_code(good), "{good}");
        }
        for bad in ["5", "595", "AB", "", "9740", "2a"] {
            assert!(!is_departement_code(bad), "{bad}");
        }
    }

    #[test]
    fn the_departement_of_a_commune() {
        assert_eq!(departement_of("75056"), Some("75"));
        assert_eq!(departement_of("2A004"), Some("2A"));
        assert_eq!(departement_of("97411"), Some("974"));
        assert_eq!(departement_of("98735"), Some("987"));
        assert_eq!(departement_of("975"), None);
        assert_eq!(departement_in(Country::Fr, "59350").as_deref(), Some("59"));
        assert_eq!(departement_in(Country::Fr, "2a004").as_deref(), Some("2A"));
        assert_eq!(departement_in(Country::Be, "62063"), None);
    }
}
