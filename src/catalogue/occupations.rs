//! Occupation and training codes of offers (ROME fiches, ROME appellations, FORMACODE): their
//! reference labels, their checks, their batch read and write, and the filter on them.
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use entity::enums::OccupationSystem;
use entity::offer_code;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;

use super::offer_search::exists_for_offer;
use crate::error::{AppError, AppResult};

/// A code list file of `reference/`: where it comes from and its codes with their labels.
#[derive(Debug, Deserialize)]
struct CodeFile {
    codes: Vec<LabelledCode>,
}

/// One code of a national list and its French label.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct LabelledCode {
    pub code: String,
    pub label: String,
}

fn parse(text: &str) -> Vec<LabelledCode> {
    serde_json::from_str::<CodeFile>(text)
        .map(|file| file.codes)
        .unwrap_or_default()
}

static ROME: LazyLock<Vec<LabelledCode>> =
    LazyLock::new(|| parse(include_str!("../../reference/rome.json")));
static FORMACODE: LazyLock<Vec<LabelledCode>> =
    LazyLock::new(|| parse(include_str!("../../reference/formacode.json")));

/// The ROME fiches (complete: every valid ROME code is in it).
pub fn rome_codes() -> &'static [LabelledCode] {
    &ROME
}

/// The FORMACODE codes the repository holds labels for.
pub fn formacodes() -> &'static [LabelledCode] {
    &FORMACODE
}

/// The codes of the occupations a sector leads to (`reference/sector-occupations.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectorCodes {
    pub rome: Vec<String>,
    pub appellations: Vec<String>,
    pub formacodes: Vec<String>,
}

/// A code written alone or as an object with its label.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum CodeEntry {
    Code(String),
    Labelled { code: String },
}

impl CodeEntry {
    fn code(self) -> String {
        match self {
            Self::Code(code) | Self::Labelled { code } => code,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct SectorEntry {
    #[serde(default)]
    rome: Vec<CodeEntry>,
    #[serde(default)]
    appellations: Vec<CodeEntry>,
    #[serde(default)]
    formacodes: Vec<CodeEntry>,
}

#[derive(Debug, Default, Deserialize)]
struct SectorFile {
    sectors: HashMap<String, SectorEntry>,
}

static SECTORS: LazyLock<HashMap<String, SectorCodes>> = LazyLock::new(|| {
    let file: SectorFile =
        serde_json::from_str(include_str!("../../reference/sector-occupations.json"))
            .unwrap_or_default();
    let codes = |entries: Vec<CodeEntry>| entries.into_iter().map(CodeEntry::code).collect();
    file.sectors
        .into_iter()
        .map(|(sector, entry)| {
            (
                sector,
                SectorCodes {
                    rome: codes(entry.rome),
                    appellations: codes(entry.appellations),
                    formacodes: codes(entry.formacodes),
                },
            )
        })
        .collect()
});

/// The occupation codes of a sector, when the reference file names them.
pub fn sector_codes(sector: &str) -> Option<&'static SectorCodes> {
    SECTORS.get(sector)
}

/// The label of a code, when the reference files have it.
pub fn label(system: OccupationSystem, code: &str) -> Option<&'static str> {
    let list: &[LabelledCode] = match system {
        OccupationSystem::Rome => rome_codes(),
        OccupationSystem::Formacode => formacodes(),
        OccupationSystem::Appellation => &[],
    };
    list.binary_search_by(|entry| entry.code.as_str().cmp(code))
        .ok()
        .map(|index| list[index].label.as_str())
}

/// The codes of one offer, by list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferCodes {
    pub rome: Vec<String>,
    pub appellations: Vec<String>,
    pub formacodes: Vec<String>,
}

impl OfferCodes {
    fn push(&mut self, system: OccupationSystem, code: String) {
        match system {
            OccupationSystem::Rome => self.rome.push(code),
            OccupationSystem::Appellation => self.appellations.push(code),
            OccupationSystem::Formacode => self.formacodes.push(code),
        }
    }
}

/// Codes an offer or a filter may hold per list.
pub const MAX_CODES: usize = 50;

/// Checks and normalises `codes` of `system` given for `field`: a ROME code is a letter A–N
/// and four digits and must be a fiche of the reference list; an appellation code has 5 or 6
/// digits; a FORMACODE 5 digits (their lists are too long to ship whole: the form is checked).
pub fn parse_codes(
    field: &str,
    system: OccupationSystem,
    codes: &[String],
) -> AppResult<Vec<String>> {
    if codes.len() > MAX_CODES {
        return Err(AppError::validation(
            field,
            format!("at most {MAX_CODES} codes"),
        ));
    }
    let mut parsed = Vec::with_capacity(codes.len());
    for (index, raw) in codes.iter().enumerate() {
        let code = raw.trim().to_uppercase();
        let digits = |range: std::ops::RangeInclusive<usize>| {
            range.contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit())
        };
        let problem = match system {
            OccupationSystem::Rome => {
                let well_formed = code.len() == 5
                    && code.starts_with(|c: char| ('A'..='N').contains(&c))
                    && code[1..].chars().all(|c| c.is_ascii_digit());
                if !well_formed {
                    Some(format!(
                        "{raw:?} is not a ROME code (a letter A to N and 4 digits, e.g. \"I1607\")"
                    ))
                } else if label(system, &code).is_none() {
                    Some(format!(
                        "{code:?} is not a ROME fiche (see referentials.romeCodes)"
                    ))
                } else {
                    None
                }
            }
            OccupationSystem::Appellation => (!digits(5..=6)).then(|| {
                format!("{raw:?} is not a ROME appellation code (5 or 6 digits, e.g. \"10012\")")
            }),
            OccupationSystem::Formacode => (!digits(5..=5))
                .then(|| format!("{raw:?} is not a FORMACODE (5 digits, e.g. \"22454\")")),
        };
        if let Some(message) = problem {
            return Err(AppError::validation(format!("{field}.{index}"), message));
        }
        if !parsed.contains(&code) {
            parsed.push(code);
        }
    }
    parsed.sort();
    Ok(parsed)
}

/// The codes of each offer of the batch, sorted: one statement.
pub async fn codes_by_offer(
    db: &impl ConnectionTrait,
    offer_ids: &[i32],
) -> AppResult<HashMap<i32, OfferCodes>> {
    let mut found: HashMap<i32, OfferCodes> = offer_ids
        .iter()
        .map(|id| (*id, OfferCodes::default()))
        .collect();
    for row in offer_code::Entity::find()
        .filter(offer_code::Column::OfferId.is_in(offer_ids.to_vec()))
        .order_by_asc(offer_code::Column::OfferId)
        .order_by_asc(offer_code::Column::Code)
        .all(db)
        .await?
    {
        found
            .entry(row.offer_id)
            .or_default()
            .push(row.system, row.code);
    }
    Ok(found)
}

/// Replaces the codes of `system` of an offer with `codes` (already parsed).
pub async fn replace_codes(
    db: &impl ConnectionTrait,
    offer_id: i32,
    system: OccupationSystem,
    codes: &[String],
) -> AppResult<()> {
    offer_code::Entity::delete_many()
        .filter(offer_code::Column::OfferId.eq(offer_id))
        .filter(offer_code::Column::System.eq(system))
        .exec(db)
        .await?;
    if !codes.is_empty() {
        offer_code::Entity::insert_many(codes.iter().map(|code| offer_code::ActiveModel {
            offer_id: Set(offer_id),
            system: Set(system),
            code: Set(code.clone()),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// An offer has one of `codes` in `system` (served by the (system, code, offer) index).
pub fn has_any_code(system: OccupationSystem, codes: Vec<String>) -> Expr {
    exists_for_offer("offer_codes", |q| {
        q.and_where(Expr::col("system").eq(system.code()))
            .and_where(Expr::col("code").is_in(codes));
    })
}

/// The reference lists as (code → label) maps, for exports and tests.
pub fn as_map(list: &[LabelledCode]) -> BTreeMap<&str, &str> {
    list.iter()
        .map(|entry| (entry.code.as_str(), entry.label.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rome_list_is_sorted_complete_and_well_formed() {
        let codes = rome_codes();
        assert!(codes.len() > 500, "{} ROME fiches", codes.len());
        assert!(codes.windows(2).all(|pair| pair[0].code < pair[1].code));
        assert_eq!(as_map(codes).len(), codes.len());
        assert!(label(OccupationSystem::Rome, "A1101").is_some());
    }

    #[test]
    fn codes_are_checked_normalised_and_deduplicated() {
        let rome = parse_codes(
            "romeCodes",
            OccupationSystem::Rome,
            &["a1101".into(), " A1101".into()],
        );
        assert_eq!(rome.ok(), Some(vec!["A1101".to_owned()]));
        for (system, good, bad) in [
            (OccupationSystem::Rome, "A1101", "Z1101"),
            (OccupationSystem::Rome, "A1101", "A9999"),
            (OccupationSystem::Rome, "A1101", "A110"),
            (OccupationSystem::Appellation, "10012", "1234"),
            (OccupationSystem::Appellation, "10012", "12a45"),
            (OccupationSystem::Formacode, "22454", "224540"),
        ] {
            match parse_codes("codes", system, &[good.into(), bad.into()]) {
                Err(AppError::Validation { field, .. }) => assert_eq!(field, "codes.1", "{bad}"),
                other => panic!("{bad} gave {other:?}"),
            }
        }
        assert!(parse_codes("c", OccupationSystem::Formacode, &["22454".into()]).is_ok());
        assert!(parse_codes("c", OccupationSystem::Appellation, &["10012".into()]).is_ok());
    }
}
