//! The remediation loop (整改): a finding's identity across runs and the states it goes through.
//!
//! A nightly run judges afresh, but a department answers a problem, not a row: the same broken
//! link found on Monday and on Tuesday is one problem, 待整改 until it is fixed. Its identity is
//! the rule, the target and the object the finding is about ([`Finding::object`]), never a run's
//! row number, so it survives every recrawl.

use serde::{Deserialize, Serialize};

use crate::Finding;

/// A finding's identity across runs: rule + target + object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FindingKey {
    /// The site or account id from the seeds.
    pub target: String,
    /// The rule id as findings.json writes it (`link.broken`, `column.stale`…).
    pub rule: String,
    /// What the finding is about: a URL, a mark, a disclosure item or an account id.
    pub object: String,
}

impl Finding {
    /// This finding's identity on `target`.
    pub fn key(&self, target: &str) -> FindingKey {
        FindingKey {
            target: target.to_string(),
            rule: self.rule().to_string(),
            object: self.object(),
        }
    }
}

/// Where a problem stands in the remediation loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemState {
    /// 待整改: found, and not (or no longer) reported fixed.
    Open,
    /// 已整改: the unit reports it fixed; a 复查 decides.
    Fixed,
    /// 申诉中: the unit disputes it; the office decides.
    Disputed,
    /// 已销号: a 复查 found it gone.
    Closed,
    /// 误报: the office found it a false positive; not reported again while its evidence is
    /// unchanged.
    FalsePositive,
}

impl ProblemState {
    /// Every state, in the loop's order.
    pub const ALL: [ProblemState; 5] = [
        ProblemState::Open,
        ProblemState::Fixed,
        ProblemState::Disputed,
        ProblemState::Closed,
        ProblemState::FalsePositive,
    ];

    /// The name the store and the API use.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemState::Open => "open",
            ProblemState::Fixed => "fixed",
            ProblemState::Disputed => "disputed",
            ProblemState::Closed => "closed",
            ProblemState::FalsePositive => "false_positive",
        }
    }

    /// The state named `s` ([`ProblemState::as_str`]).
    pub fn parse(s: &str) -> Option<ProblemState> {
        ProblemState::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The label the documents and the dashboard print.
    pub fn label_zh(self) -> &'static str {
        match self {
            ProblemState::Open => "待整改",
            ProblemState::Fixed => "已整改（待复查）",
            ProblemState::Disputed => "申诉中",
            ProblemState::Closed => "已销号",
            ProblemState::FalsePositive => "误报",
        }
    }

    /// Whether the problem still asks something of its unit or the office (not 已销号, not 误报).
    pub fn is_open(self) -> bool {
        !matches!(self, ProblemState::Closed | ProblemState::FalsePositive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_their_names() {
        for s in ProblemState::ALL {
            assert_eq!(ProblemState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ProblemState::parse("待整改"), None);
    }

    #[test]
    fn a_finding_is_the_same_problem_whatever_its_evidence_says() {
        let f = |evidence: &str| Finding::ColumnEmpty {
            url: "https://x.gov.cn/tzgg/".into(),
            column: "通知公告".into(),
            evidence: evidence.into(),
            seen: None,
        };
        assert_eq!(f("monday").key("portal"), f("tuesday").key("portal"));
        assert_ne!(f("monday").key("portal"), f("monday").key("edu"));
        assert_eq!(f("x").key("portal").rule, "column.empty");
    }
}
