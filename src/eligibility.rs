//! Pure eligibility engine: checks an offer's conditions against what a job seeker told.
//!
//! Nothing here does I/O, touches the database or knows about GraphQL: the callers
//! map their records to [`Condition`]s and their input to a [`Profile`], and get back
//! an [`Evaluation`] with one bilingual [`Reason`] per condition. Facts the person did
//! not give make the conditions that need them `Unknown`, never a silent `NotMet`.

mod cisp;
mod condition;
mod dates;
mod evaluate;
mod iae;
mod outcome;
mod profile;
mod reason;
mod residence;
mod rules;
mod validate;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod test_support;

pub use condition::{Cefr, Condition, Rule, Zone, departement_of};
pub use dates::{age_on, months_between};
pub use evaluate::{Evaluation, evaluate};
pub use iae::{DerivedIaeCriteria, IaeDetail, criterion_outcome, derived_iae_criteria};
pub use outcome::{ConditionResult, Outcome, Verdict};
pub use profile::{BelgianCertificate, Benefit, Profile};
pub use reason::Reason;
pub use validate::{FieldError, validate};
