//! Field checks shared by the editing commands; each error names the field as the domain
//! knows it (`location.city`), and the caller adds where it sits in its request.
use crate::error::{AppError, AppResult};
use crate::geo_codes::is_commune_code;

pub fn text(field: &str, value: &str, min: usize, max: usize) -> AppResult<String> {
    let trimmed = value.trim();
    let length = trimmed.chars().count();
    if length < min || length > max {
        return Err(AppError::validation(
            field,
            if min > 0 {
                format!("must be {min} to {max} characters (got {length})")
            } else {
                format!("must be at most {max} characters (got {length})")
            },
        ));
    }
    Ok(trimmed.to_owned())
}

pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => text(field, value, 1, max).map(Some),
    }
}

pub fn email(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    let Some(value) = optional_text(field, value, 254)? else {
        return Ok(None);
    };
    let valid = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !value.contains(' ')
    });
    if valid {
        Ok(Some(value))
    } else {
        Err(AppError::validation(
            field,
            format!("{value:?} is not an e-mail address"),
        ))
    }
}

pub fn url(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    let Some(value) = optional_text(field, value, 500)? else {
        return Ok(None);
    };
    if value.starts_with("https://") || value.starts_with("http://") {
        Ok(Some(value))
    } else {
        Err(AppError::validation(
            field,
            "a URL starts with https:// or http://",
        ))
    }
}

pub fn commune_code(field: &str, value: &str) -> AppResult<String> {
    let upper = value.trim().to_uppercase();
    if is_commune_code(&upper) {
        Ok(upper)
    } else {
        Err(AppError::validation(
            field,
            "a commune code is 5 characters (INSEE \"59350\", Belgian INS \"62063\")",
        ))
    }
}

pub fn coordinates(field: &str, latitude: Option<f64>, longitude: Option<f64>) -> AppResult<()> {
    if let Some(lat) = latitude
        && !(-90.0..=90.0).contains(&lat)
    {
        return Err(AppError::validation(
            format!("{field}.latitude"),
            "latitude must be between -90 and 90",
        ));
    }
    if let Some(lon) = longitude
        && !(-180.0..=180.0).contains(&lon)
    {
        return Err(AppError::validation(
            format!("{field}.longitude"),
            "longitude must be between -180 and 180",
        ));
    }
    if latitude.is_some() != longitude.is_some() {
        return Err(AppError::validation(
            field,
            "give both latitude and longitude, or neither",
        ));
    }
    Ok(())
}

pub fn range<T: PartialOrd + std::fmt::Display + Copy>(
    field: &str,
    value: Option<T>,
    min: T,
    max: T,
) -> AppResult<Option<T>> {
    match value {
        Some(v) if v < min || v > max => Err(AppError::validation(
            field,
            format!("must be between {min} and {max}"),
        )),
        other => Ok(other),
    }
}

/// A company number: a French SIRET (14 digits, Luhn key) or a Belgian BCE/KBO enterprise
/// number (10 digits, mod-97 key), given with or without spaces and dots. Returns the digits.
pub fn company_number(field: &str, value: &str) -> AppResult<String> {
    let digits: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    let valid = match digits.len() {
        14 => luhn_valid(&digits),
        10 => bce_valid(&digits),
        _ => false,
    };
    if valid {
        Ok(digits)
    } else {
        Err(AppError::validation(
            field,
            format!(
                "{value:?} is not a company number: a SIRET has 14 digits and a valid Luhn key, a BCE number 10 digits and a valid mod-97 key"
            ),
        ))
    }
}

/// Longest source name: room for `family:producer`, as data·inclusion names its sources.
const SOURCE_MAX_CHARS: usize = 64;

/// A provenance source name: lower-case letters, digits and `:._-`, starting with a letter
/// or digit (`manual`, `data-inclusion:dora`, `lheo:carif-oref-hdf`).
pub fn source(field: &str, value: &str) -> AppResult<String> {
    let valid = !value.is_empty()
        && value.len() <= SOURCE_MAX_CHARS
        && value.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ":._-".contains(c));
    if valid {
        Ok(value.to_owned())
    } else {
        Err(AppError::validation(
            field,
            format!(
                "{value:?} is not a source name: 1 to {SOURCE_MAX_CHARS} lower-case letters, digits or \":._-\", e.g. \"data-inclusion:dora\""
            ),
        ))
    }
}

/// True when `number` is made of digits and passes the Luhn check (SIREN, SIRET).
pub fn luhn_valid(number: &str) -> bool {
    let bytes = number.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes
        .iter()
        .rev()
        .enumerate()
        .map(|(position, byte)| {
            let digit = u32::from(byte - b'0');
            match (position % 2 == 1, digit * 2) {
                (true, doubled) if doubled > 9 => doubled - 9,
                (true, doubled) => doubled,
                (false, _) => digit,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// True when `number` is a 10-digit BCE/KBO number whose last two digits are
/// 97 − (first eight mod 97).
pub fn bce_valid(number: &str) -> bool {
    if number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let (Ok(base), Ok(check)) = (number[..8].parse::<u64>(), number[8..].parse::<u64>()) else {
        return false;
    };
    check == 97 - base % 97
}

/// The hosts of Acceslibre, France's database of the accessibility of public premises.
const ACCESLIBRE_HOSTS: &[&str] = &["acceslibre.beta.gouv.fr", "acceslibre.gouv.fr"];

/// A link to the accessibility record of premises: in France an Acceslibre page of a place
/// (`https://acceslibre.beta.gouv.fr/app/…`); elsewhere (Acceslibre covers France only) any
/// https or http URL.
pub fn accessibility_url(
    field: &str,
    value: &str,
    country: entity::enums::Country,
) -> AppResult<String> {
    let url = self::url(field, Some(value))?
        .ok_or_else(|| AppError::validation(field, "an accessibility link cannot be empty"))?;
    if country != entity::enums::Country::Fr {
        return Ok(url);
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or_default();
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.strip_prefix("www.").unwrap_or(host);
    if ACCESLIBRE_HOSTS.contains(&host) && path.starts_with("app/") && path.len() > "app/".len() {
        Ok(url)
    } else {
        Err(AppError::validation(
            field,
            "in France, the accessibility link is the Acceslibre page of the premises (https://acceslibre.beta.gouv.fr/app/…)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entity::enums::Country;

    #[test]
    fn company_numbers_have_their_check_keys() {
        // La Poste's head office SIRET, and a Belgian enterprise number (0403.170.701).
        assert_eq!(
            company_number("n", "356 000 000 00048").ok().as_deref(),
            Some("35600000000048")
        );
        assert_eq!(
            company_number("n", "0403.170.701").ok().as_deref(),
            Some("0403170701")
        );
        for bad in ["35600000000049", "0403170702", "1234", "3560000000004A", ""] {
            assert!(company_number("n", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_french_accessibility_link_is_an_acceslibre_page() {
        let page = "https://acceslibre.beta.gouv.fr/app/59-lille/a/association/erp/atelier-velo/";
        assert!(accessibility_url("a", page, Country::Fr).is_ok());
        for bad in [
            "https://example.org/accessibilite",
            "https://acceslibre.beta.gouv.fr/",
            "https://acceslibre.beta.gouv.fr.evil.example/app/x",
            "acceslibre.beta.gouv.fr/app/x",
        ] {
            assert!(accessibility_url("a", bad, Country::Fr).is_err(), "{bad}");
        }
        assert!(accessibility_url("a", "https://www.access-i.be/x", Country::Be).is_ok());
    }
}
