//! The remediation loop (整改): a finding's identity across runs and the states it goes through.
//!
//! A nightly run judges afresh, but a department answers a problem, not a row: the same broken
//! link found on Monday and on Tuesday is one problem, 待整改 until it is fixed. Its identity is
//! the rule, the target and the object the finding is about ([`Finding::object`]), never a run's
//! row number, so it survives every recrawl.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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
            object: self.identity_object(),
        }
    }

    /// The hash of what this finding says, leaving out when it was seen and where it sits (the
    /// sighting time, the pages that link it, the evidence sentence with its 监测时间点): a 误报
    /// decision holds while this stays the same.
    pub fn evidence_hash(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            for k in ["seen", "sources", "source_count", "first_seen", "evidence"] {
                o.remove(k);
            }
        }
        let digest = Sha256::digest(v.to_string().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// What tells this finding from the others of its rule on a target: its object, and for the
    /// rules that can find several things on one page, which thing (the kind and masked value of
    /// a 隐私泄露, the wrong wording, the hidden or bad link's target).
    fn identity_object(&self) -> String {
        let object = self.object();
        match self {
            Finding::PrivacyLeak { kind, masked, .. } => {
                format!("{object}#{}:{masked}", kind.as_str())
            }
            Finding::WordingError { wrong, .. } => format!("{object}#{wrong}"),
            Finding::HiddenLink { target, .. } | Finding::BadOutsideLink { target, .. } => {
                format!("{object}#{target}")
            }
            Finding::PolicyLinkOneWay {
                interpretation_url, ..
            } => format!("{object}#{interpretation_url}"),
            _ => object,
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

/// Who acts on a problem: the three roles of the service, and xunjian itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 办公室: runs the checks, issues the 通报, decides disputes, manages accounts.
    Office,
    /// 单位: sees only its own unit's sites, accounts and problems, and answers them.
    Unit,
    /// 查看: reads the overview, acts on nothing.
    Viewer,
}

impl Role {
    /// The name the store and the command line use.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Office => "office",
            Role::Unit => "unit",
            Role::Viewer => "viewer",
        }
    }

    /// The role named `s` ([`Role::as_str`]).
    pub fn parse(s: &str) -> Option<Role> {
        [Role::Office, Role::Unit, Role::Viewer]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// The label the dashboard prints.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Office => "办公室",
            Role::Unit => "单位",
            Role::Viewer => "查看",
        }
    }
}

/// Something done to a problem, by a person or by xunjian; each is one line of the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// xunjian found it for the first time.
    Found,
    /// xunjian found again what was 已销号.
    FoundAgain,
    /// xunjian looked again and it is still there (复查): a problem reported fixed is 待整改 again;
    /// any other stays as it is.
    StillThere,
    /// The evidence of a 误报 changed: it is a problem again.
    EvidenceChanged,
    /// xunjian looked where it was and it is gone (复查 or a complete nightly run): 已销号.
    Gone,
    /// The unit reports it fixed (with a note).
    ReportFixed,
    /// The unit disputes it (申诉, with a reason).
    Dispute,
    /// The office finds the dispute right: 误报 (with a reason).
    MarkFalsePositive,
    /// The office finds the dispute wrong: 维持, back to 待整改.
    Uphold,
}

impl Action {
    /// The name the store and the API use.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Found => "found",
            Action::FoundAgain => "found_again",
            Action::StillThere => "still_there",
            Action::EvidenceChanged => "evidence_changed",
            Action::Gone => "gone",
            Action::ReportFixed => "report_fixed",
            Action::Dispute => "dispute",
            Action::MarkFalsePositive => "mark_false_positive",
            Action::Uphold => "uphold",
        }
    }

    /// The action named `s`.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Every action.
    pub const ALL: [Action; 9] = [
        Action::Found,
        Action::FoundAgain,
        Action::StillThere,
        Action::EvidenceChanged,
        Action::Gone,
        Action::ReportFixed,
        Action::Dispute,
        Action::MarkFalsePositive,
        Action::Uphold,
    ];

    /// The label the audit log prints.
    pub fn label_zh(self) -> &'static str {
        match self {
            Action::Found => "发现问题",
            Action::FoundAgain => "再次发现",
            Action::StillThere => "复查：问题仍存在",
            Action::EvidenceChanged => "证据变化，重新列为问题",
            Action::Gone => "复查：问题已消除，销号",
            Action::ReportFixed => "单位报告已整改",
            Action::Dispute => "单位申诉",
            Action::MarkFalsePositive => "办公室认定误报",
            Action::Uphold => "办公室维持原判",
        }
    }

    /// Who may take the action: a person's role, or `None` for xunjian's own.
    pub fn by(self) -> Option<Role> {
        match self {
            Action::ReportFixed | Action::Dispute => Some(Role::Unit),
            Action::MarkFalsePositive | Action::Uphold => Some(Role::Office),
            _ => None,
        }
    }

    /// Whether a person must say why (a note is required).
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            Action::ReportFixed | Action::Dispute | Action::MarkFalsePositive
        )
    }

    /// The state a problem in `from` moves to, or `None` where the action does not apply.
    pub fn apply(self, from: ProblemState) -> Option<ProblemState> {
        use ProblemState::*;
        match (self, from) {
            (Action::Found, _) => Some(Open),
            (Action::FoundAgain, Closed) => Some(Open),
            (Action::StillThere, Fixed | Open) => Some(Open),
            (Action::StillThere, Disputed) => Some(Disputed),
            (Action::EvidenceChanged, FalsePositive) => Some(Open),
            (Action::Gone, Open | Fixed | Disputed) => Some(Closed),
            (Action::ReportFixed, Open) => Some(Fixed),
            (Action::Dispute, Open | Fixed) => Some(Disputed),
            (Action::MarkFalsePositive, Disputed) => Some(FalsePositive),
            (Action::Uphold, Disputed) => Some(Open),
            _ => None,
        }
    }
}

/// The findings the office decided were 误报 (false positives), each with the evidence hash it
/// was decided on: the analyzer leaves such a finding out of the judgement (its vetoes, its
/// deductions, the verdict) while its evidence is unchanged; a changed one counts again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dismissals(BTreeMap<FindingKey, String>);

impl Dismissals {
    /// The decisions: each problem's identity and the [`Finding::evidence_hash`] decided on.
    pub fn new(decided: impl IntoIterator<Item = (FindingKey, String)>) -> Self {
        Dismissals(decided.into_iter().collect())
    }

    /// Whether `finding` on `target` is a 误报 whose evidence has not changed.
    pub fn covers(&self, target: &str, finding: &Finding) -> bool {
        !self.0.is_empty()
            && self
                .0
                .get(&finding.key(target))
                .is_some_and(|h| *h == finding.evidence_hash())
    }

    /// Whether there are no decisions.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
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

    #[test]
    fn the_loop_moves_only_where_it_may() {
        use ProblemState::*;
        assert_eq!(Action::ReportFixed.apply(Open), Some(Fixed));
        assert_eq!(Action::ReportFixed.apply(Closed), None);
        assert_eq!(Action::Gone.apply(Fixed), Some(Closed));
        assert_eq!(
            Action::Gone.apply(FalsePositive),
            None,
            "a 误报 is not a problem to close"
        );
        assert_eq!(Action::StillThere.apply(Fixed), Some(Open));
        assert_eq!(
            Action::MarkFalsePositive.apply(Open),
            None,
            "only a dispute is decided"
        );
        assert_eq!(Action::Uphold.apply(Disputed), Some(Open));
        assert_eq!(Action::Dispute.by(), Some(Role::Unit));
        assert_eq!(Action::Uphold.by(), Some(Role::Office));
        assert_eq!(Action::Gone.by(), None);
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn the_evidence_hash_ignores_when_it_was_seen_and_where_it_sits() {
        let link = |seen: &str, sources: Vec<String>, status: u16| Finding::LinkBroken {
            url: "https://x.gov.cn/gone.html".into(),
            sources: sources.clone(),
            source_count: sources.len(),
            reason: crate::finding::BrokenReason::Http(status),
            status: Some(status),
            internal: true,
            on_homepage: false,
            evidence: format!("访问返回HTTP {status}错误"),
            seen: Some(seen.into()),
        };
        let a = link(
            "2025-10-01T00:00:00Z",
            vec!["https://x.gov.cn/".into()],
            404,
        );
        let b = link("2025-10-02T00:00:00Z", vec![], 404);
        let c = link("2025-10-02T00:00:00Z", vec![], 500);
        assert_eq!(a.evidence_hash(), b.evidence_hash());
        assert_ne!(a.evidence_hash(), c.evidence_hash());
    }
}
