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
