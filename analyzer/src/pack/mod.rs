//! The rule pack: the national inspection rules (国办秘函〔2019〕19号 and the texts around it) as
//! data, not code.
//!
//! Why data: most of the 19号 tables could not be read (indicators.md section 1), so many numbers
//! are secondary or unknown. A deployment must be able to fill them in, or correct them, from a
//! file — a province's confirmed points, a district's stricter window — without a code change,
//! and every report must be able to say where each rule comes from and how sure we are of it.
//! So each rule carries its id, scope, kind, confidence `status`, Chinese label and source, and
//! free-form parameters; the scoring model of 19号 (`[scoring.website]`) is data as well.
//!
//! The library stays pure: [`RulePack::parse`] and [`RulePack::apply_override`] take text, and
//! only the [`RulePack::load`] convenience reads a file. Every error names the file, line, column
//! and dotted key (`rule[3].points`), like the seeds errors.
//!
//! What the pack guarantees once parsed:
//! - the analyzer's thresholds are present and well-typed, so [`RulePack::thresholds`] and
//!   [`RulePack::column_windows`] cannot fail;
//! - a `deduct`/`bonus` rule enters a score only when it has `points` and is not `unconfirmed`
//!   ([`Rule::scorable`]); everything else is reported without a score ([`score()`]).

mod parse;
mod score;
pub(crate) mod tree;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use xunjian_model::column::Window;
use xunjian_model::ColumnClass;

pub use score::{score, Bonus, Deduction, Score, ScoreLine, ScoreVerdict};

use crate::rules::Rules;

/// A bad rule pack, override or calendar file: where, which key, and what is wrong.
///
/// Displayed as ``file:line:col: key `rule[3].points`: message``, like `SeedsError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: key `{key}`: {message}", file.display())]
pub struct PackError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The dotted key, e.g. `rule[3].points`, or `(syntax)` / `(file)`.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

/// What a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// 政府网站.
    Website,
    /// 政务新媒体.
    Newmedia,
    /// 政务公开 (条例 and timed disclosure rules).
    Disclosure,
}

impl Scope {
    /// The name as written in the pack.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Website => "website",
            Scope::Newmedia => "newmedia",
            Scope::Disclosure => "disclosure",
        }
    }
}

/// What kind of rule it is: how a rule that holds affects the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// 单项否决: any one makes the target 不合格.
    Veto,
    /// 扣分指标: deducts points from the 100-point part.
    Deduct,
    /// 加分指标: adds points once the 扣分 part is above the gate.
    Bonus,
    /// A statutory or administrative deadline (公开时限, 年报).
    Deadline,
    /// Something that must be present (标识, 栏目, 目录).
    Presence,
    /// Reported for information only.
    Advisory,
}

impl Kind {
    /// The name as written in the pack.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Veto => "veto",
            Kind::Deduct => "deduct",
            Kind::Bonus => "bonus",
            Kind::Deadline => "deadline",
            Kind::Presence => "presence",
            Kind::Advisory => "advisory",
        }
    }
}

/// How sure we are of a rule (indicators.md section 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// The rule text was read at the cited source.
    Confirmed,
    /// Seen only in a self-check, a 通报 quoting it, or a news report.
    Secondary,
    /// Not found: never scored.
    Unconfirmed,
}

impl Status {
    /// The name as written in the pack.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Secondary => "secondary",
            Status::Unconfirmed => "unconfirmed",
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Confirmed => "已核实",
            Status::Secondary => "二手来源",
            Status::Unconfirmed => "未核实",
        }
    }
}

/// A free-form rule parameter: a TOML value (dates are kept as their `YYYY-MM-DD` text).
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A string.
    String(String),
    /// An integer.
    Integer(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Boolean(bool),
    /// A TOML date or date-time, as written.
    Datetime(String),
    /// An array.
    Array(Vec<ParamValue>),
    /// A table.
    Table(BTreeMap<String, ParamValue>),
}

/// `[meta]` of a pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// The pack's name, e.g. `cn-gov-web-newmedia`.
    pub pack: String,
    /// Its version.
    pub version: String,
    /// The documents it implements (国办秘函〔2019〕19号, …).
    pub basis: Vec<String>,
    /// A free note.
    pub note: Option<String>,
}

/// 无对外服务职能的部门: the 扣分 part is computed over `base` and scaled by
/// `factor_num / factor_den` (19号: over 75, ×4/3).
#[derive(Debug, Clone, PartialEq)]
pub struct Rescale {
    /// The base the deductions are taken from (75).
    pub base: f64,
    /// Numerator of the factor (4).
    pub factor_num: f64,
    /// Denominator of the factor (3).
    pub factor_den: f64,
    /// How sure we are of the rule.
    pub status: Status,
}

/// `[scoring.<scope>]`: the 19号 scoring model (指标说明).
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    /// 扣分指标分值 (100).
    pub deduct_max: f64,
    /// 加分指标分值 (30).
    pub bonus_max: f64,
    /// 扣分 part below this ⇒ 不合格 (60).
    pub fail_below: f64,
    /// 扣分 part above this ⇒ 加分 is added (80).
    pub bonus_gate_above: f64,
    /// Any veto ⇒ 不合格 and nothing else scored (true).
    pub veto_means_fail: bool,
    /// 单项指标扣分之和不超过本项指标总分值.
    pub per_indicator_cap: bool,
    /// Whether the pack's deduct rules are the whole 扣分 table (`deduct_table_complete`, default
    /// false). The 2019 table could not be read (indicators.md 1.3): a score from its few known
    /// rows would overstate every site, so `score` stays null until an office's pack (or override)
    /// holds its whole table and says so.
    pub deduct_table_complete: bool,
    /// The rescaling for departments without public services.
    pub no_service_rescale: Option<Rescale>,
    /// How sure we are of the model.
    pub status: Status,
    /// Where it comes from.
    pub source: String,
}

/// `[report.quarterly]`: the shape of the 季度检查通报 (indicators.md section 7).
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterlyReport {
    /// Section titles, in order.
    pub sections: Vec<String>,
    /// How the pass rate is computed, for people (合格数 / 检查数).
    pub pass_rate: String,
    /// Decimals of the pass rate.
    pub pass_rate_decimals: u32,
    /// The attachments.
    pub attachments: Vec<String>,
    /// Default days given for remediation.
    pub remediation_deadline_days_default: u32,
    /// Where it comes from.
    pub source: String,
}

/// An override file applied to the pack (a province's or district's adjustments).
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedOverride {
    /// The file.
    pub file: PathBuf,
    /// Its `[meta] name`, if given.
    pub name: Option<String>,
    /// Its `[meta] source`, if given.
    pub source: Option<String>,
}

/// One rule of the pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The id, e.g. `web.veto.blank_columns` (findings.json `vetoes` use it).
    pub id: String,
    /// What it applies to.
    pub scope: Scope,
    /// What kind of rule it is.
    pub kind: Kind,
    /// How sure we are of it.
    pub status: Status,
    /// The Chinese label for reports.
    pub label_zh: String,
    /// Where its text was read (a URL and/or a document): provenance, for the pack's readers.
    pub source: String,
    /// The official document it rests on (文号 and issuing body, article), as the documents cite
    /// it; none where the pack has not established one.
    pub basis: Option<String>,
    /// Points: per occurrence, or — when the rule has `points_each` — the indicator's total.
    pub points: Option<f64>,
    /// The files whose overrides changed this rule, in the order applied.
    pub overridden_by: Vec<PathBuf>,
    params: BTreeMap<String, ParamValue>,
}

impl Rule {
    /// Whether the rule enters a score: a `deduct` or `bonus` rule with `points` whose status is
    /// not `unconfirmed`. Every other rule is reported but never scored.
    pub fn scorable(&self) -> bool {
        matches!(self.kind, Kind::Deduct | Kind::Bonus)
            && self.points.is_some()
            && self.status != Status::Unconfirmed
    }

    /// Points per occurrence when scored: `points_each` if given, else `points`.
    pub fn points_per_occurrence(&self) -> Option<f64> {
        self.get_f64("points_each").or(self.points)
    }

    /// A parameter as written.
    pub fn param(&self, key: &str) -> Option<&ParamValue> {
        self.params.get(key)
    }

    /// All parameters (every key other than id, scope, kind, status, label_zh, source, basis,
    /// points).
    pub fn params(&self) -> &BTreeMap<String, ParamValue> {
        &self.params
    }

    /// A number parameter (integer or float); `None` if absent or not a number.
    pub fn get_f64(&self, key: &str) -> Option<f64> {
        match self.params.get(key)? {
            ParamValue::Integer(i) => Some(*i as f64),
            ParamValue::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// An integer parameter in `0..=u32::MAX`; `None` if absent, not an integer or out of range.
    pub fn get_u32(&self, key: &str) -> Option<u32> {
        match self.params.get(key)? {
            ParamValue::Integer(i) => u32::try_from(*i).ok(),
            _ => None,
        }
    }

    /// A string parameter; `None` if absent or not a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.params.get(key)? {
            ParamValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean parameter; `None` if absent or not a boolean.
    pub fn get_bool(&self, key: &str) -> Option<bool> {
        match self.params.get(key)? {
            ParamValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    /// A list-of-strings parameter; `None` if absent or not an array of strings.
    pub fn get_str_list(&self, key: &str) -> Option<Vec<&str>> {
        match self.params.get(key)? {
            ParamValue::Array(items) => items
                .iter()
                .map(|v| match v {
                    ParamValue::String(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }
}

/// The windows of the column classes (contracts.md: news 2 weeks, notice 6 months, long 12
/// months), from the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnWindows {
    /// 动态、要闻类栏目: `web.veto.columns_not_updated.news_column_window_days` (14).
    pub news_days: u32,
    /// 通知公告、政策文件类一级栏目: `…notice_policy_window_months` (6).
    pub notice_months: u32,
    /// 应更新 (人事、规划计划类): `web.veto.should_update_stale.long_cycle_window_months` (12).
    pub long_months: u32,
}

impl ColumnWindows {
    /// The window of a column class: the one place a class's window is decided.
    pub fn window(&self, class: ColumnClass) -> Window {
        match class {
            ColumnClass::News => Window::Days(self.news_days),
            ColumnClass::Notice => Window::Months(self.notice_months),
            ColumnClass::Long => Window::Months(self.long_months),
            ColumnClass::Static => Window::Never,
        }
    }
}

/// A parsed and validated rule pack, with any overrides applied.
#[derive(Debug, Clone, PartialEq)]
pub struct RulePack {
    file: PathBuf,
    meta: Meta,
    scoring: BTreeMap<Scope, Scoring>,
    report: Option<QuarterlyReport>,
    rules: Vec<Rule>,
    overrides: Vec<AppliedOverride>,
}

/// Reads `path`; a read failure is a [`PackError`] with key `(file)` at 1:1.
pub(crate) fn read(path: &Path) -> Result<String, PackError> {
    std::fs::read_to_string(path).map_err(|e| PackError {
        file: path.to_path_buf(),
        line: 1,
        column: 1,
        key: "(file)".into(),
        message: format!("cannot read: {e}"),
    })
}

impl RulePack {
    /// Read then [`parse`](RulePack::parse) a pack file.
    pub fn load(path: &Path) -> Result<RulePack, PackError> {
        RulePack::parse(path, &read(path)?)
    }

    /// Parse and validate pack text; `path` is only used in error messages.
    ///
    /// Checks: only `[meta]`, `[scoring.<scope>]`, `[[rule]]` and `[report.quarterly]` at the top;
    /// no unknown key in `[meta]`, `[scoring.*]` or `[report.quarterly]`; each rule has a unique
    /// `id`, a valid `scope`, `kind` and `status`, a `label_zh` and a `source`; `points` (and the
    /// `points_each` and `cap` parameters) are positive numbers, on `deduct`/`bonus` rules only;
    /// duration parameters (`days`, `workdays`, `months`, `*_days`, `*_workdays`, `*_months`) are
    /// non-negative integers; and the parameters the analyzer needs (see
    /// [`thresholds`](RulePack::thresholds)) are present and positive. The first problem found is
    /// returned.
    pub fn parse(path: &Path, text: &str) -> Result<RulePack, PackError> {
        parse::pack(path, text)
    }

    /// Read then [`apply_override`](RulePack::apply_override) an override file.
    pub fn load_override(&mut self, path: &Path) -> Result<(), PackError> {
        self.apply_override(path, &read(path)?)
    }

    /// Apply an override file: `[[rule]]` entries, each naming an existing rule by `id`, whose
    /// other keys replace that rule's `status`, `label_zh`, `source`, `points` or parameters (a
    /// district's `news_column_window_days = 7`; a province's `status = "confirmed"` with
    /// `points = 1`); optionally `[scoring.<scope>]` keys that replace the scoring model's, and a
    /// `[meta]` with `name`, `source` and `note`. `scope` and `kind` cannot change.
    ///
    /// An unknown id, a duplicate id, or any value the pack itself would refuse is an error at
    /// its place in the override file; on error the pack is left unchanged.
    pub fn apply_override(&mut self, path: &Path, text: &str) -> Result<(), PackError> {
        let mut next = self.clone();
        parse::apply_override(&mut next, path, text)?;
        *self = next;
        Ok(())
    }

    /// The file the pack was parsed from.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// `[meta]`.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The scoring model for a scope (`[scoring.website]`), if the pack has one.
    pub fn scoring(&self, scope: Scope) -> Option<&Scoring> {
        self.scoring.get(&scope)
    }

    /// `[report.quarterly]`, if the pack has one.
    pub fn report(&self) -> Option<&QuarterlyReport> {
        self.report.as_ref()
    }

    /// All rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The override files applied, in order.
    pub fn overrides(&self) -> &[AppliedOverride] {
        &self.overrides
    }

    /// The analyzer's thresholds, from the pack:
    ///
    /// | `Rules` field | pack parameter |
    /// |---|---|
    /// | `homepage_window_days` | `web.veto.homepage_not_updated.window_days` |
    /// | `stale_columns_threshold` | `web.veto.columns_not_updated.cumulative_stale_threshold` |
    /// | `should_update_threshold` | `web.veto.should_update_stale.threshold` |
    /// | `blank_columns_threshold` | `web.veto.blank_columns.threshold` |
    /// | `unreachable_window_days` | `web.veto.site_unreachable.window_days` |
    /// | `unreachable_min_probes_per_day` | `web.veto.site_unreachable.min_probes_per_day` |
    /// | `unreachable_fail_ratio` | `web.veto.site_unreachable.fail_ratio_threshold` |
    /// | `account_window_days` | `nm.veto.not_updated.window_days` |
    /// | `account_zombie_days` | `nm.veto.not_updated.zombie_days` (optional, 90) |
    /// | `account_count_reposts` | `nm.veto.not_updated.count_reposts` (optional, true) |
    /// | `accounts_per_platform` | `nm.presence.one_account_per_platform.max_accounts` (optional, 1) |
    /// | `column_warn_days` | `svc.alert.column_due_soon.warn_days` (optional, 3) |
    /// | `site_down_probes` | `svc.alert.site_down.consecutive_failures` (optional, 2) |
    ///
    /// The column windows have no `Rules` field yet: see [`column_windows`](Self::column_windows).
    pub fn thresholds(&self) -> Rules {
        Rules {
            homepage_window_days: i64::from(self.required_u32(HOMEPAGE, "window_days")),
            stale_columns_threshold: self.required_u32(COLUMNS, "cumulative_stale_threshold")
                as usize,
            should_update_threshold: self.required_u32(SHOULD_UPDATE, "threshold") as usize,
            blank_columns_threshold: self.required_u32(BLANK, "threshold") as usize,
            unreachable_window_days: i64::from(self.required_u32(UNREACHABLE, "window_days")),
            unreachable_min_probes_per_day: self.required_u32(UNREACHABLE, "min_probes_per_day")
                as usize,
            unreachable_fail_ratio: self
                .rule(UNREACHABLE)
                .and_then(|r| r.get_f64("fail_ratio_threshold"))
                .expect("checked when the pack was parsed"),
            account_window_days: i64::from(self.required_u32(ACCOUNT, "window_days")),
            account_zombie_days: i64::from(self.optional_u32(ACCOUNT, "zombie_days").unwrap_or(90)),
            account_count_reposts: self
                .rule(ACCOUNT)
                .and_then(|r| r.get_bool("count_reposts"))
                .unwrap_or(true),
            accounts_per_platform: self
                .optional_u32(ONE_PER_PLATFORM, "max_accounts")
                .unwrap_or(1)
                .max(1),
            columns: self.column_windows(),
            policy_lookback_months: self.required_u32(SYNC, "lookback_months"),
            interpretation_max_lag_workdays: self.required_u32(SYNC, "max_lag_workdays"),
            message_lookback_months: self.required_u32(MESSAGES, "lookback_months"),
            message_max_unanswered_months: self.required_u32(MESSAGES, "max_unanswered_months"),
            column_warn_days: self.optional_u32(DUE_SOON, "warn_days").unwrap_or(3),
            site_down_probes: self
                .optional_u32(SITE_DOWN, "consecutive_failures")
                .unwrap_or(2) as usize,
        }
    }

    /// The column-class windows, from the pack (see [`ColumnWindows`]).
    pub fn column_windows(&self) -> ColumnWindows {
        ColumnWindows {
            news_days: self.required_u32(COLUMNS, "news_column_window_days"),
            notice_months: self.required_u32(COLUMNS, "notice_policy_window_months"),
            long_months: self.required_u32(SHOULD_UPDATE, "long_cycle_window_months"),
        }
    }

    /// A parameter the analyzer has a default for (the service's alert settings): a pack without
    /// the rule still parses.
    fn optional_u32(&self, id: &str, key: &str) -> Option<u32> {
        self.rule(id).and_then(|r| r.get_u32(key))
    }

    fn required_u32(&self, id: &str, key: &str) -> u32 {
        self.rule(id)
            .and_then(|r| r.get_u32(key))
            .expect("checked when the pack was parsed")
    }
}

const HOMEPAGE: &str = crate::rules::veto::HOMEPAGE_NOT_UPDATED;
const COLUMNS: &str = crate::rules::veto::COLUMNS_NOT_UPDATED;
const SHOULD_UPDATE: &str = crate::rules::veto::SHOULD_UPDATE_STALE;
const BLANK: &str = crate::rules::veto::BLANK_COLUMNS;
const UNREACHABLE: &str = crate::rules::veto::SITE_UNREACHABLE;
const ACCOUNT: &str = crate::rules::veto::ACCOUNT_NOT_UPDATED;
const SYNC: &str = crate::rules::other::POLICY_INTERPRETATION_SYNC;
const DUE_SOON: &str = crate::rules::alert::COLUMN_DUE_SOON;
/// 一个单位原则上在同一平台只开设一个账号 (开设过多, for review).
const ONE_PER_PLATFORM: &str = "nm.presence.one_account_per_platform";
const SITE_DOWN: &str = crate::rules::alert::SITE_DOWN;
const MESSAGES: &str = crate::rules::veto::MESSAGES_UNANSWERED;

/// How a parameter the analyzer needs must look.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Need {
    /// A positive integer that fits in `u32`.
    PositiveInt,
    /// A number in `(0, 1]`.
    Ratio,
    /// An integer ≥ 0 that fits in `u32`.
    Count,
}

/// The parameters the analyzer reads: they must be present and well-formed in every pack.
pub(crate) const NEEDED: &[(&str, &str, Need)] = &[
    (HOMEPAGE, "window_days", Need::PositiveInt),
    (COLUMNS, "news_column_window_days", Need::PositiveInt),
    (COLUMNS, "notice_policy_window_months", Need::PositiveInt),
    (COLUMNS, "cumulative_stale_threshold", Need::PositiveInt),
    (SHOULD_UPDATE, "threshold", Need::PositiveInt),
    (SHOULD_UPDATE, "long_cycle_window_months", Need::PositiveInt),
    (BLANK, "threshold", Need::PositiveInt),
    (UNREACHABLE, "window_days", Need::PositiveInt),
    (UNREACHABLE, "min_probes_per_day", Need::PositiveInt),
    (UNREACHABLE, "fail_ratio_threshold", Need::Ratio),
    (ACCOUNT, "window_days", Need::PositiveInt),
    (SYNC, "lookback_months", Need::PositiveInt),
    (SYNC, "max_lag_workdays", Need::Count),
    (MESSAGES, "lookback_months", Need::PositiveInt),
    (MESSAGES, "max_unanswered_months", Need::PositiveInt),
];

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Fill a 政府门户网站's `score` (19号 Parts 2 and 3 apply to portals) from its rule lines, where the
/// pack allows: a `[scoring.website]` with `deduct_table_complete`, and no veto (a veto means
/// nothing else is scored). The lines get the points the score gave them (after per-indicator
/// caps); a 扣分 part below `fail_below` makes the target 不合格.
pub fn apply_score(report: &mut xunjian_model::TargetReport, pack: &RulePack, is_portal: bool) {
    let Some(sc) = pack.scoring(Scope::Website) else {
        return;
    };
    if !sc.deduct_table_complete || !is_portal || !report.vetoes.is_empty() {
        return;
    }
    let deductions: Vec<Deduction> = report
        .rules
        .iter()
        .filter(|l| l.kind == Kind::Deduct.as_str())
        .map(|l| Deduction {
            rule_id: l.rule.clone(),
            count: l.count,
        })
        .collect();
    let s = score(pack, &report.vetoes, &deductions, &[], true);
    report.score = s.total;
    for line in &mut report.rules {
        if let Some(scored) = s.lines.iter().find(|x| x.rule_id == line.rule) {
            line.points = Some(scored.points);
        }
    }
    if s.verdict_from_score == Some(ScoreVerdict::Unqualified) {
        report.verdict = xunjian_model::Verdict::Unqualified;
        report.inconclusive.clear();
    }
}

/// The rule-pack lines behind a target's verdict: each veto, and each deduction or deadline its
/// findings make (政策文件类一级栏目6个月未更新; broken links on the homepage and on other pages;
/// policies without a two-way linked 解读, 解读 published late), with the points
/// the pack gives where it gives them, so that a report can trace the verdict line by line.
pub fn trace(
    report: &xunjian_model::TargetReport,
    pack: &RulePack,
) -> Vec<xunjian_model::finding::RuleLine> {
    use xunjian_model::finding::{Finding, RuleLine};
    let line = |id: &str, count: u32| -> RuleLine {
        let rule = pack.rule(id);
        RuleLine {
            rule: id.to_string(),
            kind: rule
                .map(|r| r.kind.as_str().to_string())
                .unwrap_or_default(),
            label_zh: rule.map(|r| r.label_zh.clone()).unwrap_or_default(),
            source: rule.map(|r| r.source.clone()).unwrap_or_default(),
            basis: rule.and_then(|r| r.basis.clone()),
            status: rule
                .map(|r| r.status.as_str().to_string())
                .unwrap_or_default(),
            count,
            points: rule
                .filter(|r| r.scorable())
                .and_then(|r| r.points_per_occurrence())
                .map(|p| p * f64::from(count)),
        }
    };
    let mut out: Vec<RuleLine> = report.vetoes.iter().map(|v| line(v, 1)).collect();
    let policy_stale = report
        .findings
        .iter()
        .filter(|f| {
            matches!(f, Finding::ColumnStale { class: xunjian_model::ColumnClass::Notice, column, .. }
                if column.contains("政策") || column.contains("文件"))
        })
        .count() as u32;
    let broken_home = report
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f,
                Finding::LinkBroken {
                    on_homepage: true,
                    ..
                }
            )
        })
        .count() as u32;
    let broken_other = report
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f,
                Finding::LinkBroken {
                    on_homepage: false,
                    ..
                }
            )
        })
        .count() as u32;
    let count =
        |pred: fn(&Finding) -> bool| report.findings.iter().filter(|f| pred(f)).count() as u32;
    let interpretation_missing = count(|f| {
        matches!(
            f,
            Finding::PolicyUninterpreted { .. } | Finding::PolicyLinkOneWay { .. }
        )
    });
    let interpretation_late = count(|f| matches!(f, Finding::InterpretationLate { .. }));
    for (id, count) in [
        ("web.deduct.policy_column_stale_6m", policy_stale),
        ("web.deduct.broken_links_home", broken_home),
        ("web.deduct.broken_links_other", broken_other),
        (
            crate::rules::other::POLICY_INTERPRETATION_LINK,
            interpretation_missing,
        ),
        (
            crate::rules::other::POLICY_INTERPRETATION_SYNC,
            interpretation_late,
        ),
    ] {
        if count > 0 && pack.rule(id).is_some() {
            out.push(line(id, count));
        }
    }
    out
}
