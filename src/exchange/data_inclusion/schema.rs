//! The official data·inclusion v1.0.8 JSON Schemas, embedded from
//! `reference/data-inclusion-schema-v1/`, and the last check of every exported record.
//!
//! The mapping already leaves null what our data cannot say in data·inclusion's terms; this
//! check catches the rest (an e-mail address RFC 5322 refuses, a link that is not a URI, a
//! code outside a list): an optional field the schema refuses is set to null, and the record
//! says which and why, so that the export stays valid and the report names what was lost. A
//! record whose required field is refused is not written at all.
use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::Value;

use super::Dataset;
use crate::error::{AppError, AppResult};

const STRUCTURE: &str = include_str!("../../../reference/data-inclusion-schema-v1/structure.json");
const SERVICE: &str = include_str!("../../../reference/data-inclusion-schema-v1/service.json");

struct Compiled {
    validator: Validator,
    required: Vec<String>,
}

fn compile(text: &str) -> Result<Compiled, String> {
    let schema: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let required = schema["required"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    // Formats (`email`, `uri`, `date`) are checked too: the schema's words say they must hold.
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| e.to_string())?;
    Ok(Compiled {
        validator,
        required,
    })
}

fn compiled(dataset: Dataset) -> AppResult<&'static Compiled> {
    static STRUCTURES: OnceLock<Result<Compiled, String>> = OnceLock::new();
    static SERVICES: OnceLock<Result<Compiled, String>> = OnceLock::new();
    let (cell, text) = match dataset {
        Dataset::Structures => (&STRUCTURES, STRUCTURE),
        Dataset::Services => (&SERVICES, SERVICE),
    };
    cell.get_or_init(|| compile(text))
        .as_ref()
        .map_err(|error| AppError::Internal(format!("the {} schema: {error}", dataset.name())))
}

/// A field the schema refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The top-level field ("courriel"); empty when the record as a whole is refused.
    pub field: String,
    pub message: String,
}

/// Every refusal of `record` by the schema of `dataset`.
pub fn violations(dataset: Dataset, record: &Value) -> AppResult<Vec<Violation>> {
    let compiled = compiled(dataset)?;
    Ok(compiled
        .validator
        .iter_errors(record)
        .map(|error| Violation {
            field: error
                .instance_path()
                .iter()
                .next()
                .map(|segment| segment.to_string())
                .unwrap_or_default(),
            message: error.to_string(),
        })
        .collect())
}

/// What [`conform`] did to a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conformed {
    /// Valid; the optional fields set to null on the way, with why.
    Valid(Vec<Violation>),
    /// A required field (or the record's shape) was refused: the record cannot be written.
    Refused(Violation),
}

/// Makes `record` valid by setting each refused optional field to null.
pub fn conform(dataset: Dataset, record: &mut Value) -> AppResult<Conformed> {
    let required = &compiled(dataset)?.required;
    let mut nulled = Vec::new();
    // Each round nulls at least one field, so the loop ends; two rounds are the usual most.
    loop {
        let found = violations(dataset, record)?;
        if found.is_empty() {
            return Ok(Conformed::Valid(nulled));
        }
        for violation in found {
            if violation.field.is_empty() || required.contains(&violation.field) {
                return Ok(Conformed::Refused(violation));
            }
            match record.get_mut(&violation.field) {
                Some(value) if !value.is_null() => {
                    *value = Value::Null;
                    nulled.push(violation);
                }
                // Null already (an earlier error on the same field), or an unknown field.
                Some(_) => {}
                None => return Ok(Conformed::Refused(violation)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service() -> Value {
        json!({
            "source": "catalogue-insertion",
            "structure_id": "catalogue-insertion--T3JnYW5pc2F0aW9uOjE",
            "id": "catalogue-insertion--T2ZmZXI6MQ",
            "nom": "Mécanicien·ne vélo",
            "description": "Une formation en atelier.",
            "date_maj": "2026-05-01",
        })
    }

    #[test]
    fn both_schemas_compile_and_a_minimal_record_is_valid() {
        assert_eq!(violations(Dataset::Services, &service()).ok(), Some(vec![]));
        let structure =
            json!({"source": "s", "id": "s--1", "nom": "Atelier", "date_maj": "2026-05-01"});
        assert_eq!(
            violations(Dataset::Structures, &structure).ok(),
            Some(vec![])
        );
    }

    #[test]
    fn a_refused_optional_field_is_nulled_and_named() {
        let mut record = service();
        record["courriel"] = json!("pas une adresse");
        record["frais"] = json!("adhesion");
        let Ok(Conformed::Valid(nulled)) = conform(Dataset::Services, &mut record) else {
            panic!("conformed: {record}");
        };
        let mut fields: Vec<&str> = nulled.iter().map(|v| v.field.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["courriel", "frais"]);
        assert!(record["courriel"].is_null() && record["frais"].is_null());
    }

    #[test]
    fn a_refused_required_field_refuses_the_record() {
        let mut record = service();
        record["date_maj"] = json!("1er mai");
        assert!(matches!(
            conform(Dataset::Services, &mut record),
            Ok(Conformed::Refused(Violation { field, .. })) if field == "date_maj"
        ));
    }
}
