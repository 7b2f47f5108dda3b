//! The three-valued answers: per condition (`Outcome`) and for the whole offer (`Verdict`).

use super::reason::Reason;

/// Whether one condition holds for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The condition holds.
    Met,
    /// The condition cannot hold with what the person told.
    NotMet,
    /// Some fact is missing, or the condition needs a human to check it.
    Unknown,
}

impl Outcome {
    /// `Some(true)` → `Met`, `Some(false)` → `NotMet`, `None` (not told) → `Unknown`.
    pub(crate) fn from_answer(answer: Option<bool>) -> Self {
        match answer {
            Some(true) => Self::Met,
            Some(false) => Self::NotMet,
            None => Self::Unknown,
        }
    }

    /// `Met` or `NotMet` from a known fact.
    pub(crate) fn from_bool(holds: bool) -> Self {
        Self::from_answer(Some(holds))
    }

    /// The outcome of requiring every part: any `NotMet` wins, then any `Unknown`.
    pub(crate) fn all(parts: impl IntoIterator<Item = Self>) -> Self {
        parts
            .into_iter()
            .fold(Self::Met, |acc, part| match (acc, part) {
                (Self::NotMet, _) | (_, Self::NotMet) => Self::NotMet,
                (Self::Unknown, _) | (_, Self::Unknown) => Self::Unknown,
                _ => Self::Met,
            })
    }
}

/// Whether the person can join the offer, from its mandatory conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Every mandatory condition is met.
    Eligible,
    /// At least one mandatory condition is not met.
    NotEligible,
    /// No mandatory condition fails, but at least one cannot be checked yet.
    Unknown,
}

/// The answer for one condition, with the reason to show the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionResult {
    /// Met, not met or unknown.
    pub outcome: Outcome,
    /// Why, in French and English.
    pub reason: Reason,
}

impl ConditionResult {
    pub(crate) fn new(outcome: Outcome, reason: Reason) -> Self {
        Self { outcome, reason }
    }
}

#[cfg(test)]
mod tests {
    use super::Outcome::*;
    use super::*;

    #[test]
    fn all_lets_not_met_dominate_unknown() {
        assert_eq!(Outcome::all([]), Met);
        assert_eq!(Outcome::all([Met, Met]), Met);
        assert_eq!(Outcome::all([Met, Unknown]), Unknown);
        assert_eq!(Outcome::all([Unknown, NotMet, Met]), NotMet);
        assert_eq!(Outcome::all([NotMet, Unknown]), NotMet);
    }
}
