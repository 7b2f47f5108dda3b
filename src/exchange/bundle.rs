//! The native bundle: a full-fidelity JSON-lines copy of a catalogue (organisations, offers
//! with their conditions, sessions, testimonials and codes, provenance).
pub mod export;
pub mod format;
pub mod import;
pub mod read;
pub mod validate;
pub mod write;
