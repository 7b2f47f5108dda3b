//! `Location` and `Contact`: the postal place and the ways to reach someone.
use async_graphql::SimpleObject;

use super::super::enums::Country;

/// A postal place with coordinates (WGS 84).
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Location {
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// INSEE code in France, INS code in Belgium.
    pub commune_code: Option<String>,
    /// French département code, derived from the commune code.
    pub departement: Option<String>,
    pub country: Option<Country>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// How to reach a person or a structure.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}
