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
mod pass_iae;
mod profile;
mod reason;
pub mod reference;
mod residence;
mod rules;
mod validate;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod test_support;

pub use cisp::end_of_compulsory_schooling;
pub use condition::{Cefr, Condition, Rule, Zone, departement_of};
pub use dates::{age_on, months_between};
pub use evaluate::{Evaluation, evaluate};
pub use iae::{DerivedIaeCriteria, IaeDetail, criterion_outcome, derived_iae_criteria};
pub use outcome::{ConditionResult, Outcome, Verdict};
pub use pass_iae::{
    PRESCRIBER_DIAGNOSIS_MONTHS, STRUCTURE_DIAGNOSIS_DAYS, WAITING_PERIOD_MONTHS, Waiver,
    diagnosis_valid_until,
};
pub use profile::{
    BelgianCertificate, Benefit, CAP_BEP_LEVEL, Diagnosis, DiagnosisAuthor, PassIae, Profile,
    StudyLevel,
};
pub use reason::Reason;
pub use validate::{FieldError, validate};
