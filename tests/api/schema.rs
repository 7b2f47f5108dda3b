//! The checked-in SDL is the contract: this fails when the schema drifts from `schema.graphql`.
#[test]
fn the_checked_in_schema_matches_the_code() {
    let expected = insertion_catalogue::graphql::sdl();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == expected,
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql` and review the diff"
    );
}
