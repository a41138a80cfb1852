//! Shared types of xunjian (巡检).
//!
//! Every stage speaks through these types: the seeds file ([`seeds`]) says what to inspect, the crawler
//! records what it saw ([`observe`]), the analyzer turns observations into [`finding`]s, and the reports
//! render them. Keeping them in one small crate lets the stages stay independent of each other: the
//! analyzer never links the crawler, the reports never link the store.

pub mod alert;
pub mod clock;
pub mod column;
pub mod finding;
pub mod observe;
pub mod period;
pub mod remedy;
pub mod seeds;

pub use column::ColumnClass;
pub use finding::{Finding, FindingsDoc, TargetKind, TargetReport, Verdict};
pub use remedy::{Action, Dismissals, FindingKey, ProblemState, Role};
pub use seeds::{Seeds, SeedsError};
