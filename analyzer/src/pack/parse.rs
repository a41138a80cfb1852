//! Parsing and validation of rule packs and their overrides.
//!
//! One pass over the spanned tree ([`super::tree`]) checks every key and builds the public types;
//! the first problem stops it. Order: unknown top-level keys, `[meta]`, `[scoring.*]`, every
//! `[[rule]]` in turn, `[report]`, then the presence of the parameters the analyzer needs.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::tree::{quoted_list, Cx, Entry, Result, Tbl, Val};
use super::{
    AppliedOverride, Kind, Meta, Need, ParamValue, QuarterlyReport, Rescale, Rule, RulePack, Scope,
    Scoring, Status, NEEDED,
};

const ROOT_KEYS: &[&str] = &["meta", "scoring", "rule", "report"];
const META_KEYS: &[&str] = &["pack", "version", "basis", "note"];
const SCORING_KEYS: &[&str] = &[
    "deduct_max",
    "bonus_max",
    "fail_below",
    "bonus_gate_above",
    "veto_means_fail",
    "per_indicator_cap",
    "no_service_rescale",
    "deduct_table_complete",
    "status",
    "source",
];
const SCORING_REQUIRED: &[&str] = &[
    "deduct_max",
    "bonus_max",
    "fail_below",
    "bonus_gate_above",
    "status",
    "source",
];
const RESCALE_KEYS: &[&str] = &["base", "factor_num", "factor_den", "status"];
const REPORT_KEYS: &[&str] = &["quarterly"];
const QUARTERLY_KEYS: &[&str] = &[
    "sections",
    "pass_rate",
    "pass_rate_decimals",
    "attachments",
    "remediation_deadline_days_default",
    "source",
];
/// Rule keys that are not parameters.
const RULE_FIELDS: &[&str] = &[
    "id", "scope", "kind", "status", "label_zh", "source", "basis", "points",
];
const OVERRIDE_ROOT_KEYS: &[&str] = &["meta", "scoring", "rule"];
const OVERRIDE_META_KEYS: &[&str] = &["name", "source", "note"];

const SCOPES: &[(&str, Scope)] = &[
    ("website", Scope::Website),
    ("newmedia", Scope::Newmedia),
    ("disclosure", Scope::Disclosure),
];
/// Scopes that can have a scoring model (19号 scores websites and new media).
const SCORING_SCOPES: &[(&str, Scope)] =
    &[("website", Scope::Website), ("newmedia", Scope::Newmedia)];
const KINDS: &[(&str, Kind)] = &[
    ("veto", Kind::Veto),
    ("deduct", Kind::Deduct),
    ("bonus", Kind::Bonus),
    ("deadline", Kind::Deadline),
    ("presence", Kind::Presence),
    ("advisory", Kind::Advisory),
];
const STATUSES: &[(&str, Status)] = &[
    ("confirmed", Status::Confirmed),
    ("secondary", Status::Secondary),
    ("unconfirmed", Status::Unconfirmed),
];

/// Parse and validate a pack (see [`RulePack::parse`]).
pub(super) fn pack(file: &Path, text: &str) -> Result<RulePack> {
    let cx = Cx { file, text };
    let entries = cx.root()?;
    let root = Tbl {
        path: String::new(),
        pos: 0,
        entries: &entries,
    };
    cx.known_keys(&root, ROOT_KEYS)?;

    let meta = {
        let Some(e) = root.get("meta") else {
            return Err(cx.err(0, "meta", "missing required table `[meta]`"));
        };
        let t = cx.table(&e.node, "meta".into())?;
        cx.known_keys(&t, META_KEYS)?;
        Meta {
            pack: cx.req_str(&t, "pack")?,
            version: cx.req_str(&t, "version")?,
            basis: match t.get("basis") {
                Some(e) => cx.str_list(&t, e)?,
                None => Vec::new(),
            },
            note: cx.opt_str(&t, "note")?,
        }
    };

    let mut scoring = BTreeMap::new();
    if let Some(all) = cx.opt_table(&root, "scoring")? {
        for e in all.entries {
            let scope = scoring_scope(&cx, &all, e)?;
            let t = cx.table(&e.node, all.key(&e.key))?;
            cx.known_keys(&t, SCORING_KEYS)?;
            for k in SCORING_REQUIRED {
                cx.required(&t, k)?;
            }
            let mut s = Scoring {
                deduct_max: 0.0,
                bonus_max: 0.0,
                fail_below: 0.0,
                bonus_gate_above: 0.0,
                veto_means_fail: true,
                per_indicator_cap: false,
                deduct_table_complete: false,
                no_service_rescale: None,
                status: Status::Unconfirmed,
                source: String::new(),
            };
            scoring_fields(&cx, &t, &mut s)?;
            scoring.insert(scope, s);
        }
    }

    let rule_tables = cx.array_of_tables(&root, "rule")?;
    let mut rules: Vec<Rule> = Vec::with_capacity(rule_tables.len());
    let mut ids: HashMap<String, (String, usize)> = HashMap::new();
    let mut rule_pos: Vec<usize> = Vec::new();
    for t in &rule_tables {
        let id_entry = cx.required(t, "id")?;
        let id = rule_id(&cx, t, id_entry)?;
        if let Some((path, line)) = ids.get(&id) {
            return Err(cx.err(
                id_entry.node.pos,
                t.key("id"),
                format!("duplicate id `{id}`: already used by {path} on line {line}"),
            ));
        }
        ids.insert(id.clone(), (t.path.clone(), cx.line(id_entry.node.pos)));
        let scope = cx.choice(t, cx.required(t, "scope")?, SCOPES)?;
        let kind = cx.choice(t, cx.required(t, "kind")?, KINDS)?;
        let status = cx.choice(t, cx.required(t, "status")?, STATUSES)?;
        let label_zh = cx.req_str(t, "label_zh")?;
        let source = cx.req_str(t, "source")?;
        let basis = cx.opt_str(t, "basis")?;
        let points = t
            .get("points")
            .map(|e| points(&cx, t, e, kind))
            .transpose()?;
        let mut params = BTreeMap::new();
        for e in t.entries {
            if !RULE_FIELDS.contains(&e.key.as_str()) {
                params.insert(e.key.clone(), param(&cx, t, e, &id, kind)?);
            }
        }
        rules.push(Rule {
            id,
            scope,
            kind,
            status,
            label_zh,
            source,
            basis,
            points,
            overridden_by: Vec::new(),
            params,
        });
        rule_pos.push(t.pos);
    }

    let report = match cx.opt_table(&root, "report")? {
        None => None,
        Some(t) => {
            cx.known_keys(&t, REPORT_KEYS)?;
            cx.opt_table(&t, "quarterly")?
                .map(|q| quarterly(&cx, &q))
                .transpose()?
        }
    };

    for (id, key, _) in NEEDED {
        let Some(i) = rules.iter().position(|r| r.id == *id) else {
            return Err(cx.err(
                0,
                "rule",
                format!(
                    "no [[rule]] has id `{id}`: the analyzer needs its parameter `{key}` \
                     (a pack must define every veto the analyzer applies)"
                ),
            ));
        };
        if rules[i].param(key).is_none() {
            return Err(cx.err(
                rule_pos[i],
                format!("rule[{i}].{key}"),
                format!("missing required parameter `{key}` of `{id}`: the analyzer needs it"),
            ));
        }
    }

    Ok(RulePack {
        file: file.to_path_buf(),
        meta,
        scoring,
        report,
        rules,
        overrides: Vec::new(),
    })
}

/// Apply an override file to `pack` (see [`RulePack::apply_override`]). On error `pack` may be
/// half changed: the caller works on a copy.
pub(super) fn apply_override(pack: &mut RulePack, file: &Path, text: &str) -> Result<()> {
    let cx = Cx { file, text };
    let entries = cx.root()?;
    let root = Tbl {
        path: String::new(),
        pos: 0,
        entries: &entries,
    };
    cx.known_keys(&root, OVERRIDE_ROOT_KEYS)?;

    let mut applied = AppliedOverride {
        file: file.to_path_buf(),
        name: None,
        source: None,
    };
    if let Some(t) = cx.opt_table(&root, "meta")? {
        cx.known_keys(&t, OVERRIDE_META_KEYS)?;
        applied.name = cx.opt_str(&t, "name")?;
        applied.source = cx.opt_str(&t, "source")?;
        cx.opt_str(&t, "note")?;
    }

    if let Some(all) = cx.opt_table(&root, "scoring")? {
        for e in all.entries {
            let scope = scoring_scope(&cx, &all, e)?;
            let t = cx.table(&e.node, all.key(&e.key))?;
            cx.known_keys(&t, SCORING_KEYS)?;
            let Some(s) = pack.scoring.get_mut(&scope) else {
                return Err(cx.err(
                    t.pos,
                    t.path.clone(),
                    format!(
                        "the pack `{}` has no [scoring.{}] to override",
                        pack.meta.pack,
                        scope.as_str()
                    ),
                ));
            };
            scoring_fields(&cx, &t, s)?;
        }
    }

    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    for t in cx.array_of_tables(&root, "rule")? {
        let id_entry = cx.required(&t, "id")?;
        let id = rule_id(&cx, &t, id_entry)?;
        if let Some((path, line)) = seen.get(&id) {
            return Err(cx.err(
                id_entry.node.pos,
                t.key("id"),
                format!("duplicate id `{id}`: already overridden by {path} on line {line}"),
            ));
        }
        seen.insert(id.clone(), (t.path.clone(), cx.line(id_entry.node.pos)));
        let pack_name = pack.meta.pack.clone();
        let Some(rule) = pack.rules.iter_mut().find(|r| r.id == id) else {
            return Err(cx.err(
                id_entry.node.pos,
                t.key("id"),
                format!("unknown rule id `{id}`: the pack `{pack_name}` has no such rule"),
            ));
        };
        if let Some(e) = t.get("scope") {
            let scope = cx.choice(&t, e, SCOPES)?;
            if scope != rule.scope {
                return Err(cx.err(
                    e.node.pos,
                    t.key("scope"),
                    format!(
                        "an override cannot change the scope of `{id}` (`{}` in the pack)",
                        rule.scope.as_str()
                    ),
                ));
            }
        }
        if let Some(e) = t.get("kind") {
            let kind = cx.choice(&t, e, KINDS)?;
            if kind != rule.kind {
                return Err(cx.err(
                    e.node.pos,
                    t.key("kind"),
                    format!(
                        "an override cannot change the kind of `{id}` (`{}` in the pack)",
                        rule.kind.as_str()
                    ),
                ));
            }
        }
        if let Some(e) = t.get("status") {
            rule.status = cx.choice(&t, e, STATUSES)?;
        }
        if let Some(e) = t.get("label_zh") {
            rule.label_zh = cx.string(&t, e)?;
        }
        if let Some(e) = t.get("source") {
            rule.source = cx.string(&t, e)?;
        }
        if let Some(e) = t.get("basis") {
            rule.basis = Some(cx.string(&t, e)?);
        }
        if let Some(e) = t.get("points") {
            rule.points = Some(points(&cx, &t, e, rule.kind)?);
        }
        for e in t.entries {
            if !RULE_FIELDS.contains(&e.key.as_str()) {
                let v = param(&cx, &t, e, &id, rule.kind)?;
                rule.params.insert(e.key.clone(), v);
            }
        }
        rule.overridden_by.push(file.to_path_buf());
    }

    pack.overrides.push(applied);
    Ok(())
}

fn scoring_scope(cx: &Cx, all: &Tbl, e: &Entry) -> Result<Scope> {
    SCORING_SCOPES
        .iter()
        .find(|(n, _)| *n == e.key)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            let names: Vec<&str> = SCORING_SCOPES.iter().map(|(n, _)| *n).collect();
            cx.err(
                e.pos,
                all.key(&e.key),
                format!(
                    "unknown scoring scope `{}` (expected one of {})",
                    e.key,
                    quoted_list(&names)
                ),
            )
        })
}

/// Set the scoring keys present in `t`, then check them against each other.
fn scoring_fields(cx: &Cx, t: &Tbl, s: &mut Scoring) -> Result<()> {
    for e in t.entries {
        match e.key.as_str() {
            "deduct_max" => s.deduct_max = cx.positive(t, e)?,
            "bonus_max" => s.bonus_max = cx.non_negative(t, e)?,
            "fail_below" => s.fail_below = cx.non_negative(t, e)?,
            "bonus_gate_above" => s.bonus_gate_above = cx.non_negative(t, e)?,
            "veto_means_fail" => s.veto_means_fail = cx.bool(t, e)?,
            "per_indicator_cap" => s.per_indicator_cap = cx.bool(t, e)?,
            "deduct_table_complete" => s.deduct_table_complete = cx.bool(t, e)?,
            "status" => s.status = cx.choice(t, e, STATUSES)?,
            "source" => s.source = cx.string(t, e)?,
            "no_service_rescale" => {
                let r = cx.table(&e.node, t.key(&e.key))?;
                cx.known_keys(&r, RESCALE_KEYS)?;
                s.no_service_rescale = Some(Rescale {
                    base: cx.positive(&r, cx.required(&r, "base")?)?,
                    factor_num: cx.positive(&r, cx.required(&r, "factor_num")?)?,
                    factor_den: cx.positive(&r, cx.required(&r, "factor_den")?)?,
                    status: cx.choice(&r, cx.required(&r, "status")?, STATUSES)?,
                });
            }
            _ => {} // refused by known_keys before
        }
    }
    let at = |k: &str| t.get(k).map_or(t.pos, |e| e.node.pos);
    let max = s.deduct_max;
    for (k, v) in [
        ("fail_below", s.fail_below),
        ("bonus_gate_above", s.bonus_gate_above),
    ] {
        if v > max {
            return Err(cx.err(
                at(k),
                t.key(k),
                format!("must not exceed deduct_max ({max}), found {v}"),
            ));
        }
    }
    if let Some(r) = &s.no_service_rescale {
        if r.base > max {
            return Err(cx.err(
                at("no_service_rescale"),
                t.key("no_service_rescale.base"),
                format!("must not exceed deduct_max ({max}), found {}", r.base),
            ));
        }
    }
    Ok(())
}

/// A rule id: non-empty, without whitespace or control characters.
fn rule_id(cx: &Cx, t: &Tbl, e: &Entry) -> Result<String> {
    let id = cx.string(t, e)?;
    if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(cx.err(
            e.node.pos,
            t.key("id"),
            format!(
                "invalid id `{}`: no whitespace or control characters allowed",
                id.escape_debug()
            ),
        ));
    }
    Ok(id)
}

/// `points`: a positive number, on deduct and bonus rules only.
fn points(cx: &Cx, t: &Tbl, e: &Entry, kind: Kind) -> Result<f64> {
    let p = cx.positive(t, e)?;
    scored_kind_only(cx, t, e, kind)?;
    Ok(p)
}

fn scored_kind_only(cx: &Cx, t: &Tbl, e: &Entry, kind: Kind) -> Result<()> {
    if matches!(kind, Kind::Deduct | Kind::Bonus) {
        Ok(())
    } else {
        Err(cx.err(
            e.node.pos,
            t.key(&e.key),
            format!(
                "`{}` only applies to `deduct` and `bonus` rules, not to a `{}` rule",
                e.key,
                kind.as_str()
            ),
        ))
    }
}

/// `days`, `workdays`, `months`, `*_days`, `*_workdays`, `*_months`.
fn is_duration(key: &str) -> bool {
    ["days", "workdays", "months"]
        .iter()
        .any(|u| key == *u || key.ends_with(&format!("_{u}")))
}

/// A free-form parameter, with the checks that apply to its name and rule.
fn param(cx: &Cx, t: &Tbl, e: &Entry, id: &str, kind: Kind) -> Result<ParamValue> {
    let key = e.key.as_str();
    if key == "points_each" || key == "cap" {
        cx.positive(t, e)?;
        scored_kind_only(cx, t, e, kind)?;
    }
    if is_duration(key) {
        cx.int(t, e, 0, i64::from(u32::MAX))?;
    }
    if let Some((_, _, need)) = NEEDED.iter().find(|(i, k, _)| *i == id && *k == key) {
        match need {
            Need::PositiveInt => {
                cx.int(t, e, 1, i64::from(u32::MAX))?;
            }
            Need::Count => {
                cx.int(t, e, 0, i64::from(u32::MAX))?;
            }
            Need::Ratio => {
                let x = cx.number(t, e)?;
                if !(x > 0.0 && x <= 1.0) {
                    return Err(cx.err(
                        e.node.pos,
                        t.key(key),
                        format!("must be a ratio greater than 0 and at most 1, found {x}"),
                    ));
                }
            }
        }
    }
    Ok(value(&e.node.val))
}

fn value(v: &Val) -> ParamValue {
    match v {
        Val::Str(s) => ParamValue::String(s.clone()),
        Val::Int(i) => ParamValue::Integer(*i),
        Val::Float(f) => ParamValue::Float(*f),
        Val::Bool(b) => ParamValue::Boolean(*b),
        Val::Datetime(d) => ParamValue::Datetime(d.to_string()),
        Val::Array(items) => ParamValue::Array(items.iter().map(|n| value(&n.val)).collect()),
        Val::Table(entries) => ParamValue::Table(
            entries
                .iter()
                .map(|e| (e.key.clone(), value(&e.node.val)))
                .collect(),
        ),
    }
}

fn quarterly(cx: &Cx, t: &Tbl) -> Result<QuarterlyReport> {
    cx.known_keys(t, QUARTERLY_KEYS)?;
    Ok(QuarterlyReport {
        sections: cx.str_list(t, cx.required(t, "sections")?)?,
        pass_rate: cx.req_str(t, "pass_rate")?,
        pass_rate_decimals: cx.int(t, cx.required(t, "pass_rate_decimals")?, 0, 10)? as u32,
        attachments: cx.str_list(t, cx.required(t, "attachments")?)?,
        remediation_deadline_days_default: cx.int(
            t,
            cx.required(t, "remediation_deadline_days_default")?,
            1,
            365,
        )? as u32,
        source: cx.req_str(t, "source")?,
    })
}
