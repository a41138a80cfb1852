//! Pure judgement: what the crawl observed + the rules + the as-of time → findings, vetoes, verdicts.
//!
//! Nothing here fetches, reads a clock or touches the store, so every rule can be tested with plain
//! values and every run with the same observations and `as_of` gives the same findings. The guiding
//! principle is truthfulness: what could not be observed is `inconclusive`, never a finding.

mod accounts;
pub mod alerts;
pub mod availability;
pub mod calendar;
pub mod columns;
pub mod content;
pub mod dates;
pub mod disclosure;
mod dismiss;
pub mod identity;
pub mod interaction;
pub mod links;
pub mod lists;
pub mod marks;
pub mod matrix;
pub mod network;
pub mod pack;
pub mod policy;
pub mod recheck;
pub mod relay;
pub mod rules;
#[cfg(test)]
mod testkit;
pub mod view;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use xunjian_model::column::Window;
use xunjian_model::finding::Finding;
use xunjian_model::observe::{FailKind, FetchRecord, ManualCheck, Post, ProbeRecord, SiteRecords};
use xunjian_model::seeds::{Account, Disclosure, Relay, Site};
use xunjian_model::{ColumnClass, Dismissals, TargetKind, TargetReport, Verdict};

use columns::{ColumnState, JudgedColumn};
use disclosure::DisclosureOutcome;
use rules::veto;
pub use rules::Rules;
use view::SiteView;

/// Everything the analyzer needs to judge one site.
pub struct SiteInput<'a> {
    /// The site as the seeds describe it.
    pub site: &'a Site,
    /// What its crawl recorded.
    pub records: &'a SiteRecords,
    /// Link checks of the whole run (outside links are checked once per run).
    pub run_checks: &'a BTreeMap<String, FetchRecord>,
    /// Homepage probes in the unreachability window.
    pub probes: &'a [ProbeRecord],
    /// The district's portal (for the domain rule of department sites), if the seeds name one.
    pub portal: Option<&'a Site>,
    /// The disclosure rows that must appear on this site.
    pub disclosures: Vec<&'a Disclosure>,
    /// When each item and page was first seen, over all runs (URL → RFC 3339).
    pub first_seen: &'a BTreeMap<String, String>,
    /// Chinese working days, for `within_workdays` disclosure rows (none: those rows are unknown).
    pub calendar: Option<&'a calendar::WorkCalendar>,
    /// The inspecting machine's own network fault during the run, when it had one: the failures
    /// it explains are no evidence about the site.
    pub fault: Option<network::InspectorFault>,
    /// The findings the office decided were 误报: left out of the judgement while their evidence
    /// is unchanged.
    pub dismissed: &'a Dismissals,
    /// The seeds' 重要信息转发 items (all of them; those meant for the site's kind are judged).
    pub relays: &'a [Relay],
    /// The seeds' accounts (the portal's 政务新媒体矩阵 page is set beside them).
    pub accounts: &'a [Account],
}

/// A site's whole judgement under a rule pack, in one call: findings and vetoes, the rule trace
/// behind them, the score where the pack allows one, and the verdict.
pub fn judge_site(input: &SiteInput, as_of: NaiveDate, pack: &pack::RulePack) -> TargetReport {
    let mut report = analyze_site(input, as_of, &pack.thresholds());
    report.relays = relay::site_marks(input.relays, input.site, input.records, as_of);
    report.matrix = matrix::check(input.site, input.records, input.accounts);
    report.rules = pack::trace(&report, pack);
    let is_portal = input.site.kind == xunjian_model::seeds::SiteKind::Portal;
    pack::apply_score(&mut report, pack, is_portal);
    report
}

/// What an account is judged on.
#[derive(Debug, Clone, Copy)]
pub struct AccountInput<'a> {
    /// The account as the seeds describe it.
    pub account: &'a Account,
    /// Its newest answer and the posts read from it (`None`: never fetched).
    pub feed: Option<&'a (FetchRecord, Vec<Post>)>,
    /// The office's 人工核验 records (any account's; the account's own are used).
    pub manual: &'a [ManualCheck],
    /// The inspecting machine's own network fault during the run, when it had one.
    pub fault: Option<network::InspectorFault>,
    /// The findings the office decided were 误报.
    pub dismissed: &'a Dismissals,
    /// Every account of the seeds, in order (for 开设过多).
    pub all: &'a [Account],
    /// The seeds' 重要信息转发 items (those meant for accounts are judged).
    pub relays: &'a [Relay],
}

/// An account's whole judgement under a rule pack, in one call (see [`judge_site`]).
pub fn judge_account(
    input: &AccountInput,
    as_of: NaiveDate,
    pack: &pack::RulePack,
) -> TargetReport {
    let thresholds = pack.thresholds();
    let (account, feed) = (input.account, input.feed);
    let mut report = analyze_account(
        account,
        feed,
        input.manual,
        as_of,
        &thresholds,
        input.dismissed,
    );
    if let Some((f, fetch)) = input.fault.zip(feed.map(|(f, _)| f)) {
        // The answer's own line gives way to the machine's fault; a 人工核验 line stays.
        match report.inconclusive.first_mut() {
            Some(line) if f.explains(fetch) && report.verdict == Verdict::Inconclusive => {
                *line = format!("{}，账号信息源（{}）未能获取", f.reason_zh(), fetch.url);
            }
            _ => {}
        }
    }
    report.relays = relay::account_marks(input.relays, feed, as_of);
    // 开设过多 is for review: listed, never weighed in the verdict (unless the office says 误报).
    if let Some(f) = accounts::duplicate(account, input.all, &thresholds) {
        if input.dismissed.covers(&account.id, &f) {
            report.dismissed.push(f);
        } else {
            report.findings.push(f);
        }
    }
    report.rules = pack::trace(&report, pack);
    report
}

/// Judge one site's observations by `rules` (the findings and vetoes; [`judge_site`] adds the
/// rule trace and the score).
pub fn analyze_site(input: &SiteInput, as_of: NaiveDate, rules: &Rules) -> TargetReport {
    let site = input.site;
    // The site as a reader sees it: lists loaded by script filled in, undated items dated by their
    // own pages.
    let loaded = lists::with_loaded_lists(input.records);
    let records = dates::with_page_dates(&SiteView::new(&loaded, &site.url));
    let view = SiteView::new(&records, &site.url);
    let mut findings: Vec<Finding> = Vec::new();
    let mut vetoes: Vec<String> = Vec::new();
    // What could not be observed: `decisive` could change the verdict, `notes` could not.
    let mut unknowns: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let complete = input.records.done.unwrap_or(false);
    let mut sorter = dismiss::Sorter::new(&site.id, input.dismissed);

    if let Some(v) = unreachable_veto(input.probes, as_of, rules) {
        vetoes.push(v);
    }

    let Some(home_facts) = view.home_facts() else {
        // Without the homepage nothing else can be judged.
        match view.home() {
            Some(home) if input.fault.is_some_and(|f| f.explains(&home.fetch)) => {
                let reason = input.fault.map(|f| f.reason_zh()).unwrap_or_default();
                unknowns.push(format!("{reason}，首页未能访问，本站无法判定"));
            }
            Some(home) if home.fetch.blocked.is_none() && !home.fetch.is_success() => {
                // `reason` is the machine's word (findings.json); the evidence says it in Chinese.
                let (reason, said) = match (home.fetch.error, home.fetch.status) {
                    (Some(e), _) => (e.as_str().to_string(), e.label_zh().to_string()),
                    (None, Some(s)) => (format!("http_{s}"), format!("返回HTTP {s}错误")),
                    _ => ("other".into(), FailKind::Other.label_zh().to_string()),
                };
                let failures = u32::from(!home.fetch.is_success());
                findings.push(Finding::SiteUnreachable {
                    url: view.home_url.clone(),
                    probes: 1,
                    failures,
                    evidence: format!(
                        "{} 首页无法访问（{said}），本次检查共访问1次，失败{failures}次",
                        view.home_url
                    ),
                    reason,
                    seen: Some(home.fetch.fetched_at.clone()),
                });
                unknowns.push(
                    "首页无法访问，栏目与链接无法检查；站点无法访问的单项否决需一周监测数据".into(),
                );
            }
            Some(home) if home.fetch.blocked.is_some() => {
                unknowns.push("首页访问被拦截（防火墙或反爬虫页面），无法检查".into())
            }
            Some(_) => unknowns.push("首页不是可解析的网页".into()),
            None => unknowns.push("首页未抓取".into()),
        }
        return finish(site, findings, vetoes, unknowns, notes, sorter);
    };
    let home_seen = view.home().map(|h| h.fetch.fetched_at.clone());

    // 栏目.
    let judged: Vec<JudgedColumn> = columns::discover(site, &view)
        .iter()
        .map(|c| columns::judge(c, view.page(&c.url), as_of, &rules.columns))
        .map(|j| columns::settle_undated(j, &view, complete))
        .collect();
    let mut stale_veto_count = 0;
    let mut should_update_count = 0;
    let mut blank_count = 0;
    let mut unknown_columns = 0;
    for j in &judged {
        let c = &j.column;
        match &j.state {
            ColumnState::Stale { last_update } => {
                let window = rules.columns.window(c.class);
                let (window_days, window_months) = match window {
                    Window::Days(d) => (Some(d), None),
                    Window::Months(m) => (None, Some(m)),
                    Window::Never => (None, None),
                };
                let finding = Finding::ColumnStale {
                    url: c.url.clone(),
                    column: c.name.clone(),
                    class: c.class,
                    last_update: last_update.map(|d| d.to_string()),
                    window_days,
                    window_months,
                    evidence: format!(
                        "「{}」栏目（{}）最近一条信息{}，超过{}的更新期限（监测时间点{as_of}）",
                        c.name,
                        c.class.label_zh(),
                        match last_update {
                            Some(d) => format!("发布于{d}"),
                            None => "未注明发布日期".into(),
                        },
                        window.label_zh().unwrap_or_default()
                    ),
                    seen: j.seen.clone(),
                };
                if !sorter.keep(&finding) {
                    continue;
                }
                if matches!(c.class, ColumnClass::News | ColumnClass::Notice) {
                    stale_veto_count += 1;
                }
                should_update_count += 1;
                findings.push(finding);
            }
            ColumnState::Empty => {
                let finding = Finding::ColumnEmpty {
                    url: c.url.clone(),
                    column: c.name.clone(),
                    evidence: format!("「{}」栏目（{}）无任何信息", c.name, c.url),
                    seen: j.seen.clone(),
                };
                if !sorter.keep(&finding) {
                    continue;
                }
                blank_count += 1;
                if c.class != ColumnClass::Static {
                    should_update_count += 1;
                }
                findings.push(finding);
            }
            ColumnState::Unknown { reason } => {
                if c.class != ColumnClass::Static {
                    unknown_columns += 1;
                    notes.push(format!("栏目「{}」（{}）：{reason}", c.name, c.url));
                }
            }
            ColumnState::Fresh { .. } | ColumnState::NotAList => {}
        }
    }
    let mut threshold = |count: usize,
                         limit: usize,
                         id: &str,
                         what: &str,
                         unknowns: &mut Vec<String>| {
        if count >= limit {
            vetoes.push(id.to_string());
        } else if count + unknown_columns >= limit {
            unknowns.push(format!(
                "{what}已有{count}个，另有{unknown_columns}个栏目无法判断，可能达到{limit}个的否决线"
            ));
        }
    };
    threshold(
        stale_veto_count,
        rules.stale_columns_threshold,
        veto::COLUMNS_NOT_UPDATED,
        "未更新的动态要闻/通知公告类栏目",
        &mut unknowns,
    );
    threshold(
        should_update_count,
        rules.should_update_threshold,
        veto::SHOULD_UPDATE_STALE,
        "应更新但未更新的栏目",
        &mut unknowns,
    );
    threshold(
        blank_count,
        rules.blank_columns_threshold,
        veto::BLANK_COLUMNS,
        "空白栏目",
        &mut unknowns,
    );

    // 首页不更新.
    let mut homepage = None;
    match homepage_last_update(home_facts, &judged, as_of) {
        HomeUpdate::Known(last) => {
            let window = rules.homepage_window_days.max(0) as u64;
            let (stale_from, days_left) = columns::days_deadline(last, window, as_of);
            homepage = Some(xunjian_model::finding::HomepageStatus {
                url: view.home_url.clone(),
                last_update: last.map(|d| d.to_string()),
                window_days: window as u32,
                stale_from,
                days_left,
            });
            let start = as_of - chrono::Days::new(rules.homepage_window_days as u64);
            if last.is_none_or(|d| d < start) {
                let finding = Finding::HomepageStale {
                    url: view.home_url.clone(),
                    last_update: last.map(|d| d.to_string()),
                    window_days: rules.homepage_window_days as u32,
                    evidence: format!(
                        "首页（{}）最近一条信息{}，监测时间点{as_of}前{}天内无更新",
                        view.home_url,
                        last.map(|d| format!("发布于{d}"))
                            .unwrap_or_else(|| "未注明发布日期".into()),
                        rules.homepage_window_days
                    ),
                    seen: home_seen.clone(),
                };
                if sorter.keep(&finding) {
                    vetoes.push(veto::HOMEPAGE_NOT_UPDATED.to_string());
                    findings.push(finding);
                }
            }
        }
        HomeUpdate::Unknown => {
            unknowns.push("首页无带日期的信息，且部分二级页面无法获取，无法判断首页是否更新".into())
        }
    }

    findings.extend(dates::date_flags(&view, &judged));
    findings.extend(dates::backdated_bursts(&view, &judged, input.first_seen));
    let links::LinkJudgement {
        broken,
        unchecked,
        internal,
    } = links::broken_links(&view, input.run_checks, input.fault);
    if unchecked > 0 {
        if let Some(f) = input.fault {
            notes.push(format!("{}，{unchecked}个外部链接未能检查", f.reason_zh()));
        }
    }
    let not_checked: Vec<String> = (!internal.is_empty())
        .then(|| internal_links_note(&internal))
        .into_iter()
        .collect();
    let broken_targets: std::collections::BTreeSet<String> = broken
        .iter()
        .filter_map(|f| match f {
            Finding::LinkBroken { url, .. } => Some(url.clone()),
            _ => None,
        })
        .collect();
    findings.extend(broken);
    findings.extend(content::content_findings(input.records));

    // 互动回应差.
    match interaction::consult_channel(&view, &broken_targets, home_seen.as_deref()) {
        interaction::Channel::Present => {}
        interaction::Channel::Missing(f) => {
            if sorter.keep(&f) {
                vetoes.push(veto::NO_CONSULT_CHANNEL.to_string());
                findings.push(f);
            }
        }
        interaction::Channel::Unknown(why) => unknowns.push(why),
    }
    let unanswered = sorter.keep_all(interaction::unanswered(&view, as_of, rules));
    if !unanswered.is_empty() {
        vetoes.push(veto::MESSAGES_UNANSWERED.to_string());
    }
    findings.extend(unanswered);

    // 政策解读.
    findings.extend(policy::policy_findings(
        &view,
        &judged,
        as_of,
        rules,
        input.calendar,
        &mut notes,
    ));
    findings.extend(identity::identity(
        site,
        input.portal,
        &home_facts.marks,
        home_seen.as_deref(),
    ));
    findings.extend(marks::missing_marks(
        &home_facts.marks,
        &view.home_url,
        home_seen.as_deref(),
    ));
    let mut disclosed = Vec::new();
    for d in &input.disclosures {
        let (state, reason) =
            match disclosure::judge(d, &view, &judged, complete, as_of, input.calendar) {
                DisclosureOutcome::Ok => ("ok", None),
                DisclosureOutcome::Finding(f) => {
                    let state = match f {
                        Finding::DisclosureLate { .. } => "late",
                        _ => "missing",
                    };
                    findings.push(f);
                    (state, None)
                }
                DisclosureOutcome::Unknown(why) => {
                    notes.push(format!("公开事项「{}」：{why}", d.id));
                    ("unknown", Some(why))
                }
            };
        disclosed.push(xunjian_model::finding::DisclosureStatus {
            id: d.id.clone(),
            name: d.name.clone(),
            column: d.column.clone(),
            state: state.into(),
            reason,
        });
    }
    if !complete {
        notes.push(match input.records.cut_by {
            Some(limit) => format!("抓取达到{}，部分页面和链接未检查", limit.label_zh()),
            None => "抓取未完成，部分页面和链接未检查".into(),
        });
    }
    let mut report = finish(site, findings, vetoes, unknowns, notes, sorter);
    report.not_checked = not_checked;
    report.homepage = homepage;
    report.marks = Some((*home_facts.marks).clone());
    report.disclosures = disclosed;
    report.columns = judged
        .iter()
        .map(|j| columns::status(j, as_of, &rules.columns, rules.column_warn_days))
        .collect();
    report
}

enum HomeUpdate {
    Known(Option<NaiveDate>),
    Unknown,
}

/// The homepage's newest dated item; for a navigation-only homepage, the newest item of its
/// second-level (column) pages.
fn homepage_last_update(
    home: &xunjian_model::observe::PageFacts,
    judged: &[JudgedColumn],
    as_of: NaiveDate,
) -> HomeUpdate {
    if let Some(d) = columns::newest_item(home, as_of) {
        return HomeUpdate::Known(Some(d));
    }
    let mut newest: Option<NaiveDate> = None;
    let mut unknown = false;
    for j in judged {
        match &j.state {
            ColumnState::Fresh { last_update } | ColumnState::Stale { last_update } => {
                newest = newest.max(*last_update)
            }
            ColumnState::Unknown { .. } => unknown = true,
            ColumnState::Empty | ColumnState::NotAList => {}
        }
    }
    if unknown && newest.is_none_or(|d| d < as_of - chrono::Days::new(14)) {
        HomeUpdate::Unknown
    } else {
        HomeUpdate::Known(newest)
    }
}

/// 站点无法访问 from the probe history: over the `window_days` days before `as_of` (China time),
/// every day needs at least `min_probes_per_day` visits, else the rule cannot be judged. Visits
/// stopped by an anti-bot wall count neither way.
fn unreachable_veto(probes: &[ProbeRecord], as_of: NaiveDate, rules: &Rules) -> Option<String> {
    let days = rules.unreachable_window_days.max(1) as usize;
    let first = as_of - chrono::Days::new(days as u64 - 1);
    let per_day = availability::daily(probes, first, as_of);
    if per_day.len() < days
        || per_day
            .iter()
            .any(|d| d.probes < rules.unreachable_min_probes_per_day)
    {
        return None;
    }
    let (total, failures) = per_day
        .iter()
        .fold((0, 0), |(t, f), d| (t + d.probes, f + d.failures));
    (failures as f64 / total as f64 >= rules.unreachable_fail_ratio)
        .then(|| veto::SITE_UNREACHABLE.to_string())
}

/// The report of a site: unqualified with any veto; else inconclusive when something unobserved
/// (`decisive`) could change that; else qualified. `notes` (an unjudged column that could not tip
/// any threshold, an unreadable disclosure column, a crawl cut short) explain an inconclusive
/// verdict but never make one.
fn finish(
    site: &Site,
    mut findings: Vec<Finding>,
    mut vetoes: Vec<String>,
    decisive: Vec<String>,
    notes: Vec<String>,
    mut sorter: dismiss::Sorter,
) -> TargetReport {
    findings.retain(|f| sorter.keep(f));
    findings.sort_by_key(|f| (f.rule(), f.object()));
    sorter.dismissed.sort_by_key(|f| (f.rule(), f.object()));
    vetoes.sort();
    vetoes.dedup();
    let verdict = if !vetoes.is_empty() {
        Verdict::Unqualified
    } else if !decisive.is_empty() {
        Verdict::Inconclusive
    } else {
        Verdict::Qualified
    };
    let unknowns: Vec<String> = decisive.into_iter().chain(notes).collect();
    TargetReport {
        not_checked: Vec::new(),
        verdict,
        vetoes,
        findings,
        inconclusive: if verdict == Verdict::Inconclusive {
            unknowns
        } else {
            vec![]
        },
        dismissed: sorter.dismissed,
        ..TargetReport::new(&site.id, TargetKind::Site, &site.unit, &site.name)
    }
}

pub use accounts::analyze_account;

#[cfg(test)]
mod tests;

/// The note on links into an internal network, which were not fetched (never evidence): how
/// many, and the first few, so that the office can see whether a page was tampered with (暗链).
fn internal_links_note(internal: &[String]) -> String {
    const SHOWN: usize = 5;
    let shown = internal[..internal.len().min(SHOWN)].join("、");
    let more = if internal.len() > SHOWN { "等" } else { "" };
    format!(
        "{}个链接指向内部网络地址，出于安全未访问，未作检查：{shown}{more}",
        internal.len()
    )
}
