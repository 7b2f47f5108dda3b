//! HSDS identifiers: HSDS wants a UUID for every record; ours are integers, so each one is
//! written as a version-8 (custom) UUID that carries the record's kind and id and reads back.
use sha2::{Digest, Sha256};
use uuid::{Builder, Uuid};

/// The kinds of HSDS records the catalogue writes, each with its own UUID prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Organization,
    Service,
    Location,
    Address,
    Schedule,
    CostOption,
    Phone,
    Contact,
    ServiceArea,
    ServiceAtLocation,
    Attribute,
    TaxonomyTerm,
    Identifier,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Organization => "organization",
            Self::Service => "service",
            Self::Location => "location",
            Self::Address => "address",
            Self::Schedule => "schedule",
            Self::CostOption => "cost_option",
            Self::Phone => "phone",
            Self::Contact => "contact",
            Self::ServiceArea => "service_area",
            Self::ServiceAtLocation => "service_at_location",
            Self::Attribute => "attribute",
            Self::TaxonomyTerm => "taxonomy_term",
            Self::Identifier => "organization_identifier",
        }
    }
}

/// The first eight bytes of every UUID of `kind` in the catalogue named `source`: two
/// catalogues (or two kinds) never give the same UUID to different records.
fn prefix(source: &str, kind: Kind) -> [u8; 8] {
    let hash = Sha256::digest(format!("{source}/hsds/{}", kind.name()));
    let mut prefix = [0; 8];
    prefix.copy_from_slice(&hash[..8]);
    prefix
}

/// The UUID of record `id` of `kind`; `n` tells apart several records made from one row
/// (the attributes of an offer), 0 otherwise.
pub fn uuid(source: &str, kind: Kind, id: i64, n: u16) -> Uuid {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&prefix(source, kind));
    bytes[8..10].copy_from_slice(&n.to_be_bytes());
    bytes[10..16].copy_from_slice(&id.to_be_bytes()[2..]);
    // `from_custom_bytes` sets the version bits (in the prefix) and the variant bits (the top two of
    // `n`), the same for every UUID of a kind: `parse` compares the prefix with them set.
    Builder::from_custom_bytes(bytes).into_uuid()
}

/// The UUID of something known by a name rather than a row (a taxonomy term by its code):
/// the same name gives the same UUID in every record that carries it.
pub fn named(source: &str, kind: Kind, name: &str) -> Uuid {
    let hash = Sha256::digest(format!("{source}/hsds/{}/{name}", kind.name()));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash[..16]);
    Builder::from_custom_bytes(bytes).into_uuid()
}

/// The id of a UUID written by `uuid` for `kind`, or `None` for any other text.
pub fn parse(source: &str, kind: Kind, text: &str) -> Option<i32> {
    let parsed = Uuid::parse_str(text).ok()?;
    let expected = uuid(source, kind, 0, 0);
    let (bytes, expected) = (parsed.as_bytes(), expected.as_bytes());
    if bytes[..10] != expected[..10] {
        return None;
    }
    let mut id = [0u8; 8];
    id[2..].copy_from_slice(&bytes[10..16]);
    i32::try_from(i64::from_be_bytes(id)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_back_from_its_uuid_and_only_for_its_kind() {
        for id in [1, 42, 485, i32::MAX] {
            let text = uuid("catalogue-insertion", Kind::Service, i64::from(id), 0).to_string();
            assert_eq!(parse("catalogue-insertion", Kind::Service, &text), Some(id));
            assert_eq!(
                parse("catalogue-insertion", Kind::Organization, &text),
                None
            );
            assert_eq!(parse("another-catalogue", Kind::Service, &text), None);
        }
        let text = uuid("c", Kind::Schedule, 7, 0).to_string();
        assert_eq!(text.as_bytes()[14], b'8', "version 8: {text}");
        assert!(
            matches!(text.as_bytes()[19], b'8' | b'9' | b'a' | b'b'),
            "RFC variant: {text}"
        );
        assert_eq!(parse("c", Kind::Service, "not-a-uuid"), None);
        assert_ne!(
            uuid("c", Kind::Attribute, 7, 1),
            uuid("c", Kind::Attribute, 7, 2)
        );
    }
}
