//! Global object IDs: opaque base64 of "Type:id", as Relay's `node(id:)` expects.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::AppError;

/// The object types that carry a global ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeType {
    Offer,
    Organisation,
    TrainingSlot,
    Testimonial,
    EligibilityCondition,
}

impl NodeType {
    const ALL: [Self; 5] = [
        Self::Offer,
        Self::Organisation,
        Self::TrainingSlot,
        Self::Testimonial,
        Self::EligibilityCondition,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Offer => "Offer",
            Self::Organisation => "Organisation",
            Self::TrainingSlot => "TrainingSlot",
            Self::Testimonial => "Testimonial",
            Self::EligibilityCondition => "EligibilityCondition",
        }
    }
}

/// The global ID of object `id` of type `node_type`.
pub fn encode(node_type: NodeType, id: i32) -> async_graphql::ID {
    async_graphql::ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", node_type.name())))
}

/// Decodes any global ID; `field` names the argument for the error.
pub fn decode(raw: &str, field: &str) -> Result<(NodeType, i32), AppError> {
    let invalid = || AppError::validation(field, format!("{raw:?} is not a valid ID"));
    let bytes = URL_SAFE_NO_PAD
        .decode(raw.trim_end_matches('='))
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (name, id) = text.split_once(':').ok_or_else(invalid)?;
    let node_type = NodeType::ALL
        .into_iter()
        .find(|t| t.name() == name)
        .ok_or_else(invalid)?;
    let id: i32 = id.parse().map_err(|_| invalid())?;
    if id <= 0 {
        return Err(invalid());
    }
    Ok((node_type, id))
}

/// Decodes a global ID that must be of type `expected`.
pub fn decode_as(raw: &str, expected: NodeType, field: &str) -> Result<i32, AppError> {
    match decode(raw, field)? {
        (node_type, id) if node_type == expected => Ok(id),
        _ => Err(AppError::validation(
            field,
            format!("{raw:?} is not the ID of an {}", expected.name()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_round_trips() {
        let id = encode(NodeType::Offer, 42);
        assert_eq!(decode(&id, "id").ok(), Some((NodeType::Offer, 42)));
    }

    #[test]
    fn malformed_and_mistyped_ids_are_refused() {
        assert!(decode("not base64!", "id").is_err());
        assert!(decode(&URL_SAFE_NO_PAD.encode("Offer:abc"), "id").is_err());
        assert!(decode(&URL_SAFE_NO_PAD.encode("Nope:1"), "id").is_err());
        let organisation = encode(NodeType::Organisation, 1);
        assert!(decode_as(&organisation, NodeType::Offer, "id").is_err());
    }
}
