//! The 19号 scoring model (指标说明), every number taken from the pack's `[scoring.website]`:
//!
//! 1. any 单项否决 ⇒ 不合格, and nothing else is scored (`veto_means_fail`);
//! 2. 扣分 part = `deduct_max` − the deductions (never below 0); for a department without public
//!    services the deductions are taken from `no_service_rescale.base` and the result is scaled by
//!    `factor_num / factor_den` (over 75, ×4/3);
//! 3. 扣分 part < `fail_below` ⇒ 不合格;
//! 4. 扣分 part > `bonus_gate_above` ⇒ the 加分 part (at most `bonus_max`) is added.
//!
//! A rule enters the score only when [`Rule::scorable`] (it has `points` and is not
//! `unconfirmed`); one that fired without being scorable is listed in [`Score::unscored`], so the
//! report can show it without a number. With `per_indicator_cap`, a rule's total is capped at its
//! `cap` parameter, or — for a rule scored per occurrence (`points_each`) — at its `points`, the
//! indicator's total (单项指标扣分之和不超过本项指标总分值).

use std::collections::BTreeMap;

use super::{Kind, Rule, RulePack, Scope, Scoring};

/// "This deduct rule fired `count` times" (e.g. 3 broken links on the homepage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduction {
    /// The rule id (`web.deduct.…`).
    pub rule_id: String,
    /// How many times it fired.
    pub count: u32,
}

/// "This bonus rule fired `count` times".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bonus {
    /// The rule id.
    pub rule_id: String,
    /// How many times it fired.
    pub count: u32,
}

/// The verdict the score gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreVerdict {
    /// 合格.
    Qualified,
    /// 不合格 (a veto, or a 扣分 part below `fail_below`).
    Unqualified,
}

/// One scored rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreLine {
    /// The rule id.
    pub rule_id: String,
    /// `deduct` or `bonus`.
    pub kind: Kind,
    /// The rule's Chinese label.
    pub label_zh: String,
    /// The rule's source.
    pub source: String,
    /// Points deducted or added by this rule in total (after any cap), always ≥ 0.
    pub points: f64,
    /// How many times it fired.
    pub count: u32,
    /// Whether the per-indicator cap lowered `points`.
    pub capped: bool,
}

/// The outcome of [`score`].
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// The verdict; `None` when the pack has no `[scoring.website]` (nothing can be scored).
    pub verdict_from_score: Option<ScoreVerdict>,
    /// The 扣分 part (0–`deduct_max`); `None` after a veto or without a scoring model.
    pub deduct_part: Option<f64>,
    /// The 加分 part; `None` unless the 扣分 part passed the gate.
    pub bonus_part: Option<f64>,
    /// 扣分 part + 加分 part; `None` when the 扣分 part is.
    pub total: Option<f64>,
    /// The rules that entered the score, deductions first, each in rule-pack order.
    pub lines: Vec<ScoreLine>,
    /// Rules that fired but are not scored: no `points`, `unconfirmed`, not a website
    /// deduct/bonus rule, or unknown to the pack. Sorted, without duplicates.
    pub unscored: Vec<String>,
}

/// Score one website (政府门户网站) with the pack's `[scoring.website]`.
///
/// `vetoes` are the veto ids that hold; `deductions` and `bonuses` say which rules fired how
/// often (entries for the same rule are added up); `has_services = false` applies the
/// `no_service_rescale` of the pack (办事服务 deductions should then not be passed).
pub fn score(
    pack: &RulePack,
    vetoes: &[String],
    deductions: &[Deduction],
    bonuses: &[Bonus],
    has_services: bool,
) -> Score {
    let mut out = Score {
        verdict_from_score: None,
        deduct_part: None,
        bonus_part: None,
        total: None,
        lines: Vec::new(),
        unscored: Vec::new(),
    };
    let Some(sc) = pack.scoring(Scope::Website) else {
        out.unscored = deductions
            .iter()
            .map(|d| d.rule_id.clone())
            .chain(bonuses.iter().map(|b| b.rule_id.clone()))
            .collect();
        out.unscored.sort();
        out.unscored.dedup();
        return out;
    };
    if !vetoes.is_empty() && sc.veto_means_fail {
        out.verdict_from_score = Some(ScoreVerdict::Unqualified);
        return out;
    }

    let fired_d = tally(deductions.iter().map(|d| (d.rule_id.as_str(), d.count)));
    let fired_b = tally(bonuses.iter().map(|b| (b.rule_id.as_str(), b.count)));
    let deduct_lines = lines(pack, sc, &fired_d, Kind::Deduct, &mut out.unscored);
    let bonus_lines = lines(pack, sc, &fired_b, Kind::Bonus, &mut out.unscored);
    out.unscored.sort();
    out.unscored.dedup();

    let deducted: f64 = deduct_lines.iter().map(|l| l.points).sum();
    let (base, factor) = match (&sc.no_service_rescale, has_services) {
        (Some(r), false) => (r.base, r.factor_num / r.factor_den),
        _ => (sc.deduct_max, 1.0),
    };
    let deduct_part = round6(((base - deducted).max(0.0) * factor).min(sc.deduct_max));
    out.deduct_part = Some(deduct_part);
    out.lines = deduct_lines;
    out.total = Some(deduct_part);

    if deduct_part < sc.fail_below {
        out.verdict_from_score = Some(ScoreVerdict::Unqualified);
        return out;
    }
    out.verdict_from_score = Some(ScoreVerdict::Qualified);
    if deduct_part > sc.bonus_gate_above {
        let added: f64 = bonus_lines.iter().map(|l| l.points).sum();
        let bonus_part = round6(added.min(sc.bonus_max));
        out.bonus_part = Some(bonus_part);
        out.total = Some(round6(deduct_part + bonus_part));
        out.lines.extend(bonus_lines);
    }
    out
}

/// Counts per rule id, adding up repeated entries and dropping zero counts.
fn tally<'a>(fired: impl Iterator<Item = (&'a str, u32)>) -> BTreeMap<&'a str, u32> {
    let mut m = BTreeMap::new();
    for (id, n) in fired.filter(|(_, n)| *n > 0) {
        let c = m.entry(id).or_insert(0u32);
        *c = c.saturating_add(n);
    }
    m
}

/// The lines of the rules of `kind` that fired, in pack order; the rest go to `unscored`.
fn lines(
    pack: &RulePack,
    sc: &Scoring,
    fired: &BTreeMap<&str, u32>,
    kind: Kind,
    unscored: &mut Vec<String>,
) -> Vec<ScoreLine> {
    let usable = |r: &Rule| r.scope == Scope::Website && r.kind == kind && r.scorable();
    for id in fired.keys() {
        if !pack.rule(id).is_some_and(usable) {
            unscored.push((*id).to_string());
        }
    }
    pack.rules()
        .iter()
        .filter(|r| usable(r))
        .filter_map(|r| {
            let count = *fired.get(r.id.as_str())?;
            let each = r.points_per_occurrence()?;
            let raw = each * f64::from(count);
            let cap = if sc.per_indicator_cap {
                r.get_f64("cap").or_else(|| {
                    r.param("points_each").and(r.points) // points = the indicator's total
                })
            } else {
                None
            };
            let points = round6(cap.map_or(raw, |c| raw.min(c)));
            Some(ScoreLine {
                rule_id: r.id.clone(),
                kind,
                label_zh: r.label_zh.clone(),
                source: r.source.clone(),
                points,
                count,
                capped: points < round6(raw),
            })
        })
        .collect()
}

/// Rounded to 6 decimals, so that sums of fractional points compare as people expect.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
