//! 误报: the findings the office decided were false positives, left out of a judgement while their
//! evidence is unchanged.
//!
//! The decision is the office's; applying it is the analyzer's, so that a 误报 weighs on nothing:
//! not the findings, not a veto's count (three stale columns of which one is a 误报 are two), not
//! the score, not the verdict. Each such finding is still listed on the report
//! ([`TargetReport::dismissed`](xunjian_model::TargetReport)), so the decision stays visible and
//! the problem stays tracked as seen.

use xunjian_model::{Dismissals, Finding};

/// Sorts the findings of one target into those that count and those the office dismissed.
pub(crate) struct Sorter<'a> {
    target: &'a str,
    dismissals: &'a Dismissals,
    /// The dismissed findings met so far.
    pub(crate) dismissed: Vec<Finding>,
}

impl<'a> Sorter<'a> {
    /// A sorter for `target` under `dismissals`.
    pub(crate) fn new(target: &'a str, dismissals: &'a Dismissals) -> Self {
        Sorter {
            target,
            dismissals,
            dismissed: Vec::new(),
        }
    }

    /// Whether `finding` counts; a dismissed one is set aside.
    pub(crate) fn keep(&mut self, finding: &Finding) -> bool {
        if self.dismissals.covers(self.target, finding) {
            self.dismissed.push(finding.clone());
            false
        } else {
            true
        }
    }

    /// The findings of `all` that count.
    pub(crate) fn keep_all(&mut self, all: Vec<Finding>) -> Vec<Finding> {
        all.into_iter().filter(|f| self.keep(f)).collect()
    }
}
