//! Open Referral HSDS 3.0: the published catalogue as HSDS organizations and services, for
//! the international directories that harvest that format (`/hsds/…`).
pub mod ids;
pub mod mapping;
pub mod read;
