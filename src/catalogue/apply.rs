//! How to apply to an offer: the channels stored as JSON on the offer row.
use entity::enums::ApplyChannel;
use serde::{Deserialize, Serialize};

/// One way to apply: a channel and what it needs (URL, address, number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplyMethod {
    pub channel: ApplyChannel,
    pub value: Option<String>,
    pub instructions: Option<String>,
}

/// Parses the stored JSON; a malformed value reads as no channel rather than failing the request.
pub fn parse_methods(json: &str) -> Vec<ApplyMethod> {
    serde_json::from_str(json).unwrap_or_else(|error| {
        tracing::warn!(%error, "malformed how_to_apply JSON");
        Vec::new()
    })
}

pub fn methods_to_json(methods: &[ApplyMethod]) -> String {
    serde_json::to_string(methods).unwrap_or_else(|_| "[]".to_owned())
}
