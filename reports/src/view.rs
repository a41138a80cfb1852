//! The view-models of the 通报 and the 整改通知: every text a template prints is prepared here, so the
//! templates only loop and test.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use xunjian_model::column::Window;
use xunjian_model::finding::BrokenReason;
use xunjian_model::period::Quarter;
use xunjian_model::seeds::{Account, Disclosure};
use xunjian_model::{Finding, FindingsDoc, Seeds, TargetKind, TargetReport, Verdict};

use crate::{ReportError, ReportOptions};

/// The problem categories of 二、主要问题, in report order (the values of `Finding::category_zh`).
const CATEGORY_ORDER: [&str; 9] = [
    "站点无法访问",
    "首页不更新",
    "栏目更新不及时",
    "空白栏目",
    "链接不可用",
    "标识/备案信息不规范",
    "法定主动公开内容缺失",
    "法定主动公开内容未按时公开",
    "政务新媒体更新不及时",
];

/// How many source pages of a broken link are named before "等N个页面".
const SOURCES_SHOWN: usize = 3;

/// How many source pages of a broken link a notice names (the unit has to find and fix each).
const NOTICE_SOURCES_SHOWN: usize = 20;

/// `2025年9月30日`.
pub(crate) fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Chinese numerals for section numbers: 一 … 九十九 (larger numbers in digits).
pub(crate) fn zh_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let mut s = String::new();
            if tens > 1 {
                s.push_str(DIGITS[tens]);
            }
            s.push('十');
            if ones > 0 {
                s.push_str(DIGITS[ones]);
            }
            s
        }
        _ => n.to_string(),
    }
}

/// 合格率 = 合格数 / (检查数 − 无法判定数), two decimals rounded half up, or "—" with no denominator.
pub(crate) fn pass_rate(qualified: usize, judged: usize) -> String {
    if judged == 0 {
        return "—".to_string();
    }
    // In hundredths of a percent, in integers: no float rounding surprises (2/3 → 66.67%).
    let (q, d) = (qualified as u128, judged as u128);
    let hundredths = (q * 20_000 + d) / (2 * d);
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}

fn parse_date(field: &'static str, value: &str) -> Result<NaiveDate, ReportError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| ReportError::BadDate {
        field,
        value: value.to_string(),
    })
}

/// A link a reader may follow: only `http(s)` URLs become links.
fn href(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| url.to_string())
}

/// Everything the views share: the document, the seeds and the dates.
struct Ctx<'a> {
    doc: &'a FindingsDoc,
    seeds: &'a Seeds,
    as_of: NaiveDate,
    deadline: NaiveDate,
    quarter: Quarter,
    issued: NaiveDate,
}

impl<'a> Ctx<'a> {
    fn new(
        doc: &'a FindingsDoc,
        seeds: &'a Seeds,
        opts: &ReportOptions,
    ) -> Result<Ctx<'a>, ReportError> {
        let as_of = parse_date("as_of", &doc.as_of)?;
        Ok(Ctx {
            doc,
            seeds,
            as_of,
            deadline: opts.deadline,
            quarter: Quarter::of(as_of),
            issued: opts.issued,
        })
    }

    fn unit_name(&self, id: &str) -> String {
        self.seeds
            .unit(id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    fn account(&self, id: &str) -> Option<&'a Account> {
        self.seeds.accounts.iter().find(|a| a.id == id)
    }

    fn disclosure(&self, id: &str) -> Option<&'a Disclosure> {
        self.seeds.disclosures.iter().find(|d| d.id == id)
    }

    /// The target's name: from the seeds, else the name recorded in the findings, else its id.
    fn target_name(&self, t: &TargetReport) -> String {
        let seeded = match t.kind {
            TargetKind::Site => self.seeds.site(&t.id).map(|s| s.name.clone()),
            TargetKind::Account => self.account(&t.id).map(|a| a.name.clone()),
        };
        seeded
            .or_else(|| (!t.name.is_empty()).then(|| t.name.clone()))
            .unwrap_or_else(|| t.id.clone())
    }

    /// 政府网站, or 政务新媒体（微博）.
    fn kind_label(&self, t: &TargetReport) -> String {
        match t.kind {
            TargetKind::Site => "政府网站".to_string(),
            TargetKind::Account => match self.account(&t.id) {
                Some(a) => format!("政务新媒体（{}）", a.platform.label_zh()),
                None => "政务新媒体".to_string(),
            },
        }
    }

    /// The name with the platform of an account: 崂山发布（微博）.
    fn target_label(&self, t: &TargetReport) -> String {
        let name = self.target_name(t);
        match (t.kind, self.account(&t.id)) {
            (TargetKind::Account, Some(a)) => format!("{name}（{}）", a.platform.label_zh()),
            _ => name,
        }
    }

    /// The homepage of a site or the feed of an account, where the seeds know it.
    fn target_address(&self, t: &TargetReport) -> String {
        match t.kind {
            TargetKind::Site => self.seeds.site(&t.id).map(|s| s.url.clone()),
            TargetKind::Account => self.account(&t.id).and_then(|a| a.feed.clone()),
        }
        .unwrap_or_default()
    }

    /// Who must fix a finding ([`Seeds::finding_unit`]).
    fn finding_unit<'t>(&self, t: &'t TargetReport, f: &Finding) -> &'t str
    where
        'a: 't,
    {
        self.seeds.finding_unit(t, f)
    }

    /// Unit ids in seeds order; ids unknown to the seeds follow in the order given.
    fn order_units<'s>(&self, ids: impl IntoIterator<Item = &'s str>) -> Vec<String> {
        let mut seen: Vec<&str> = Vec::new();
        for id in ids {
            if !seen.contains(&id) {
                seen.push(id);
            }
        }
        let rank = |id: &str| {
            self.seeds
                .units
                .iter()
                .position(|u| u.id == id)
                .unwrap_or(usize::MAX)
        };
        seen.sort_by_key(|id| rank(id)); // stable: unknown ids keep their order
        seen.into_iter().map(str::to_string).collect()
    }

    fn units_with_findings(&self) -> Vec<String> {
        let ids = self
            .doc
            .targets
            .iter()
            .flat_map(|t| t.findings.iter().map(move |f| self.finding_unit(t, f)));
        self.order_units(ids)
    }

    /// What is wrong, with the concrete evidence: column and date, URL, reason, pages…
    fn describe(&self, f: &Finding) -> String {
        let undated = "无注明日期的信息";
        match f {
            Finding::ItemDateConflict {
                url,
                column,
                list_date,
                page_date,
                ..
            } => format!(
                "「{column}」栏目列表标注信息（{url}）发布于{list_date}，正文页标注{page_date}，请核实"
            ),
            Finding::ItemFutureDated {
                url, column, date, ..
            } => format!("「{column}」栏目信息（{url}）标注发布日期{date}，晚于检查抓取时间，请核实"),
            Finding::ColumnBackdatedBurst {
                url, column, items, first_seen, ..
            } => format!(
                "「{column}」栏目（{url}）于{first_seen}集中出现{}条发布日期早于出现时间两周以上的信息，请核实",
                items.len()
            ),
            Finding::PrivacyLeak {
                url,
                kind,
                masked,
                context,
                ..
            } => format!(
                "页面（{url}）公开了未去标识化的{}「{masked}」（上下文：{context}），请核实并处理",
                kind.label_zh()
            ),
            Finding::WordingError {
                url,
                wrong,
                correct,
                context,
                ..
            } => format!(
                "页面（{url}）将「{correct}」误写为「{wrong}」（上下文：{context}），请核实"
            ),
            Finding::DomainNonstandard {
                url, host, expected, ..
            } => format!("网站（{url}）使用的域名{host}不符合规范（应为{expected}）"),
            // The evidence says which mark and what is wrong with it (format, meta, link target), or
            // where the channel was looked for and which of its links are broken.
            Finding::MarkInvalid { evidence, .. } | Finding::NoConsultChannel { evidence, .. } => {
                evidence.clone()
            }
            Finding::HiddenLink {
                url, target, how, ..
            } => format!("页面（{url}）含有以样式（{how}）隐藏的外部链接（{target}），疑似暗链，请核实"),
            Finding::BadOutsideLink {
                url,
                target,
                keyword,
                ..
            } => format!(
                "页面（{url}）的外部链接（{target}）标题含「{keyword}」，疑似链接违规内容，请核实"
            ),
            Finding::SiteUnreachable {
                url,
                probes,
                failures,
                reason,
                ..
            } => {
                let reason = BrokenReason::parse(reason)
                    .map(|r| r.label_zh())
                    .unwrap_or_else(|| reason.clone());
                format!(
                    "网站首页（{url}）无法访问：监测期内探测{probes}次，失败{failures}次，最近一次失败原因为{reason}"
                )
            }
            Finding::HomepageStale {
                url,
                last_update,
                window_days,
                ..
            } => match last_update {
                Some(d) => format!("首页（{url}）最后更新于{d}，超过{window_days}天未更新"),
                None => format!("首页（{url}）{undated}，{window_days}天内无更新"),
            },
            Finding::ColumnStale {
                url,
                column,
                class,
                last_update,
                window_days,
                window_months,
                ..
            } => {
                let mut s = match last_update {
                    Some(d) => format!("「{column}」栏目（{url}）最后更新于{d}"),
                    None => format!("「{column}」栏目（{url}）{undated}"),
                };
                if let Some(w) = Window::of(*window_days, *window_months).label_zh() {
                    s.push_str(&format!("，超过{}栏目{w}的更新时限", class.label_zh()));
                }
                s
            }
            Finding::ColumnEmpty { url, column, .. } => {
                format!("「{column}」栏目（{url}）为空白栏目，未发布任何信息")
            }
            Finding::LinkBroken {
                url,
                sources,
                source_count,
                reason,
                internal,
                on_homepage,
                ..
            } => {
                let kind = if *internal { "站内" } else { "外部" };
                let home = if *on_homepage { "（首页）" } else { "" };
                format!(
                    "{kind}链接{url}{home}不可用（{}），所在页面：{}",
                    reason.label_zh(),
                    pages(sources, *source_count)
                )
            }
            Finding::MarkMissing { mark, url, .. } => {
                format!("首页（{url}）缺少{}", mark.label_zh())
            }
            Finding::DisclosureMissing { item, url, .. } => match self.disclosure(item) {
                Some(d) => format!(
                    "未找到法定主动公开内容「{}」，应在「{}」栏目公开，查找位置：{url}",
                    d.name, d.column
                ),
                None => format!("未找到主动公开事项目录所列的一项法定主动公开内容，查找位置：{url}"),
            },
            Finding::DisclosureLate {
                item,
                published,
                due,
                url,
                ..
            } => {
                let what = match self.disclosure(item) {
                    Some(d) => format!("「{}」", d.name),
                    None => "（主动公开事项目录所列事项）".to_string(),
                };
                let mut s = format!("法定主动公开内容{what}应于{due}前公开，");
                match published {
                    Some(p) => s.push_str(&format!("实际公开于{p}")),
                    None => s.push_str("至监测时间点仍未公开"),
                }
                if let Some(u) = url {
                    s.push_str(&format!("，位置：{u}"));
                }
                s
            }
            Finding::PolicyUninterpreted {
                url,
                title,
                published,
                column,
                ..
            } => format!(
                "「{column}」栏目的政策文件《{title}》（{}，{url}）未找到对应的政策解读",
                published
                    .as_deref()
                    .map(|d| format!("发布于{d}"))
                    .unwrap_or_else(|| "未注明发布日期".into())
            ),
            Finding::InterpretationLate {
                url,
                policy_url,
                policy_published,
                published,
                lag_workdays,
                ..
            } => format!(
                "政策解读（{url}）发布于{published}，晚于政策文件（{policy_url}，发布于{policy_published}）{lag_workdays}个工作日，未同步发布"
            ),
            Finding::PolicyLinkOneWay {
                url,
                interpretation_url,
                direction,
                ..
            } => {
                let how = match direction.as_str() {
                    "policy_to_interpretation" => "政策文件链接了解读，解读未链接回原文",
                    "interpretation_to_policy" => "解读链接了原文，政策文件未链接解读",
                    _ => "二者互无链接",
                };
                format!("政策文件（{url}）与其解读（{interpretation_url}）未双向关联：{how}")
            }
            Finding::MessageUnanswered {
                url,
                title,
                asked,
                replied,
                ..
            } => match replied {
                Some(r) => format!("留言「{title}」（{url}）于{asked}提交，{r}才答复，超过3个月"),
                None => format!("留言「{title}」（{url}）于{asked}提交，至监测时间点仍未答复"),
            },
            Finding::AccountDuplicate { evidence, .. } => {
                format!("{evidence}，请核实是否需要整合或关停")
            }
            Finding::AccountStale {
                account,
                last_post,
                window_days,
                zombie,
                manual,
                ..
            } => {
                let who = match self.account(account) {
                    Some(a) => format!("{}账号「{}」", a.platform.label_zh(), a.name),
                    None => format!("账号「{account}」"),
                };
                let zombie = if *zombie { "（僵尸号）" } else { "" };
                // A 人工核验 is cited as such, with the post the person saw.
                let (post, by_hand) = match manual {
                    Some(m) => (
                        m.post_url.as_ref().map(|u| format!("（{u}）")).unwrap_or_default(),
                        format!("（人工核验：{}，{}）", m.checked_by, xunjian_model::clock::china_minute_of(&m.checked_at)),
                    ),
                    None => Default::default(),
                };
                match last_post {
                    Some(d) => format!(
                        "{who}最后发布于{d}{post}，超过{window_days}天未更新{zombie}{by_hand}"
                    ),
                    None => format!("{who}无注明日期的发布内容，{window_days}天内无更新"),
                }
            }
        }
    }

    /// Since when the problem holds, where the finding says.
    fn since(&self, f: &Finding) -> Option<String> {
        match f {
            Finding::HomepageStale { last_update, .. }
            | Finding::ColumnStale { last_update, .. } => Some(match last_update {
                Some(d) => format!("最后更新于{d}"),
                None => "无注明日期的信息，无法确定最后更新时间".to_string(),
            }),
            Finding::AccountStale { last_post, .. } => Some(match last_post {
                Some(d) => format!("最后发布于{d}"),
                None => "无注明日期的发布内容，无法确定最后发布时间".to_string(),
            }),
            Finding::DisclosureLate { published, due, .. } => Some(match published {
                Some(p) => format!("应于{due}前公开，实际公开于{p}"),
                None => format!("应于{due}前公开，至监测时间点仍未公开"),
            }),
            Finding::DisclosureMissing { item, .. } => self
                .disclosure(item)
                .and_then(|d| d.due)
                .map(|due| format!("应于{due}前公开")),
            Finding::ItemDateConflict { list_date, .. } => Some(format!("列表标注{list_date}")),
            Finding::ItemFutureDated { date, .. } => Some(format!("标注发布日期{date}")),
            Finding::ColumnBackdatedBurst { first_seen, .. } => {
                Some(format!("首次发现于{first_seen}"))
            }
            Finding::PolicyUninterpreted { published, .. } => {
                published.as_ref().map(|d| format!("政策文件发布于{d}"))
            }
            Finding::InterpretationLate {
                policy_published, ..
            } => Some(format!("政策文件发布于{policy_published}")),
            Finding::MessageUnanswered { asked, .. } => Some(format!("留言提交于{asked}")),
            Finding::SiteUnreachable { .. }
            | Finding::PolicyLinkOneWay { .. }
            | Finding::NoConsultChannel { .. }
            | Finding::ColumnEmpty { .. }
            | Finding::LinkBroken { .. }
            | Finding::MarkMissing { .. }
            | Finding::PrivacyLeak { .. }
            | Finding::WordingError { .. }
            | Finding::HiddenLink { .. }
            | Finding::DomainNonstandard { .. }
            | Finding::MarkInvalid { .. }
            | Finding::AccountDuplicate { .. }
            | Finding::BadOutsideLink { .. } => None,
        }
    }

    /// 发现时间 (date): the China date of `seen`, else the inspection time point.
    fn seen_date(&self, f: &Finding) -> String {
        f.seen()
            .and_then(xunjian_model::clock::china_date_of)
            .unwrap_or(self.as_of)
            .to_string()
    }

    /// 发现时间 (date and time) for the notices.
    fn seen_time(&self, f: &Finding) -> String {
        match f.seen() {
            Some(s) => match xunjian_model::clock::china_time_of(s) {
                Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
                None => s.to_string(),
            },
            None => format!("{}（监测时间点）", self.as_of),
        }
    }

    /// Why the target is not 合格: its vetoes or score, or why it could not be judged.
    fn verdict_note(&self, t: &TargetReport) -> String {
        match t.verdict {
            Verdict::Qualified => String::new(),
            Verdict::Unqualified => {
                let mut parts = Vec::new();
                if !t.vetoes.is_empty() {
                    let v = t.veto_labels();
                    parts.push(format!("单项否决：{}", v.join("、")));
                }
                if let Some(s) = t.score {
                    parts.push(format!("得分{}分", (s * 10.0).round() / 10.0));
                }
                parts.join("；")
            }
            Verdict::Inconclusive => inconclusive_reasons(t),
        }
    }
}

fn inconclusive_reasons(t: &TargetReport) -> String {
    if t.inconclusive.is_empty() {
        "未能取得有效证据".to_string()
    } else {
        t.inconclusive.join("；")
    }
}

/// A description without its finding's own URL in brackets (`栏目（http://…）` → `栏目`), for a
/// table that shows the URL in a column of its own.
fn without_own_url(description: &str, url: &str) -> String {
    if url.is_empty() {
        return description.to_string();
    }
    description.replace(&format!("（{url}）"), "")
}

/// The source pages of a broken link: the first three, then "等N个页面".
fn pages(sources: &[String], count: usize) -> String {
    pages_upto(sources, count, SOURCES_SHOWN)
}

/// The first `shown` of a broken link's source pages, then "等N个页面" when it sits on more
/// (`count`: every page that carries it; `sources` holds the first few).
fn pages_upto(sources: &[String], count: usize, shown: usize) -> String {
    let count = count.max(sources.len());
    let shown = shown.min(sources.len());
    match count {
        0 => "未记录".to_string(),
        n if n <= shown => sources.join("、"),
        n => format!("{}等{n}个页面", sources[..shown].join("、")),
    }
}

fn category_rank(f: &Finding) -> usize {
    let c = f.category_zh();
    CATEGORY_ORDER
        .iter()
        .position(|x| *x == c)
        .unwrap_or(CATEGORY_ORDER.len())
}

pub(crate) fn units_with_findings(doc: &FindingsDoc, seeds: &Seeds) -> Vec<String> {
    // Dates do not matter for the list: any valid options will do.
    let ctx = Ctx {
        doc,
        seeds,
        as_of: NaiveDate::MIN,
        deadline: NaiveDate::MIN,
        quarter: Quarter::of(NaiveDate::MIN),
        issued: NaiveDate::MIN,
    };
    ctx.units_with_findings()
}

// ------------------------------------------------------------------------------------------------
// 通报

/// Counts of one kind of target.
#[derive(Debug, Serialize)]
pub(crate) struct Stats {
    any: bool,
    checked: usize,
    qualified: usize,
    unqualified: usize,
    inconclusive: usize,
    rate: String,
    /// `合格率为50.00%`, or why there is none.
    rate_text: String,
}

impl Stats {
    fn of<'t>(targets: impl Iterator<Item = &'t TargetReport>) -> Stats {
        let (mut checked, mut q, mut u, mut i) = (0, 0, 0, 0);
        for t in targets {
            checked += 1;
            match t.verdict {
                Verdict::Qualified => q += 1,
                Verdict::Unqualified => u += 1,
                Verdict::Inconclusive => i += 1,
            }
        }
        let rate = pass_rate(q, checked - i);
        let rate_text = if checked == i {
            "均无法判定，不计算合格率".to_string()
        } else {
            format!("合格率为{rate}")
        };
        Stats {
            any: checked > 0,
            checked,
            qualified: q,
            unqualified: u,
            inconclusive: i,
            rate,
            rate_text,
        }
    }
}

/// A numbered line.
#[derive(Debug, Serialize)]
pub(crate) struct Item {
    no: usize,
    text: String,
}

/// A part of 二、主要问题: numbered lines, or for the accounts the table real 通报 use.
#[derive(Debug, Serialize)]
pub(crate) struct Section {
    heading: String,
    items: Vec<Item>,
    /// The 政务新媒体 part as a table (empty for the other parts).
    media: Vec<MediaRow>,
}

/// A row of the 政务新媒体 table: 新媒体类型 / 新媒体名称 / 责任单位 / 问题类别 / 检查时更新日期.
#[derive(Debug, Serialize)]
pub(crate) struct MediaRow {
    no: usize,
    /// 新媒体类型: the platform.
    platform: String,
    /// 新媒体名称.
    name: String,
    /// 责任单位.
    unit: String,
    /// 问题类别, by the window the finding was judged by.
    category: String,
    /// 检查时更新日期: the newest counted post's date, marked when a person saw it (人工核验).
    last_post: String,
}

/// A row of 附件1 问题清单.
#[derive(Debug, Serialize)]
pub(crate) struct Row {
    no: usize,
    unit: String,
    target: String,
    category: String,
    description: String,
    url: String,
    href: Option<String>,
    seen: String,
}

/// A row of 附件2 无法判定对象.
#[derive(Debug, Serialize)]
pub(crate) struct InconclusiveRow {
    no: usize,
    unit: String,
    target: String,
    kind: String,
    reasons: String,
}

/// A row of 附件3 判定依据: one rule-pack entry behind a target's verdict.
#[derive(Debug, Serialize)]
pub(crate) struct RuleRow {
    no: usize,
    target: String,
    rule: String,
    label: String,
    status: String,
    count: u32,
    points: String,
    /// The official document the rule rests on, or — where the pack names none.
    basis: String,
}

/// The 通报.
#[derive(Debug, Serialize)]
pub(crate) struct ReportView {
    title: String,
    district: String,
    quarter: String,
    recipients: String,
    office: String,
    issued: String,
    as_of: String,
    sites: Stats,
    accounts: Stats,
    has_inconclusive: bool,
    inconclusive_count: usize,
    incomplete: bool,
    /// Why the document cannot be signed (检查端网络异常：…), when the run was degraded.
    degraded: Option<String>,
    /// The 文号, from the seeds.
    doc_number: Option<String>,
    /// 联系人：…，联系电话：…, from the seeds.
    contact_line: Option<String>,
    /// The 抄送 organs, joined, from the seeds.
    cc: Option<String>,
    finding_count: usize,
    problem_units: usize,
    has_problems: bool,
    sections: Vec<Section>,
    rectify_units: String,
    deadline: String,
    rows: Vec<Row>,
    inconclusive: Vec<InconclusiveRow>,
    has_rules: bool,
    rules: Vec<RuleRow>,
    /// 上季度通报问题整改情况, when a previous 通报 listed problems.
    previous: Option<PreviousView>,
    /// The numbered headings of the body (一、… shift by one when the previous quarter opens it).
    heads: Heads,
    /// The parts for review after the problems, numbered on from them: 重要信息转发情况 and
    /// 政务新媒体矩阵核对, each where there is something to say.
    reviews: Vec<Section>,
}

/// The body's numbered headings.
#[derive(Debug, Serialize)]
pub(crate) struct Heads {
    overall: String,
    problems: String,
    demands: String,
}

impl Heads {
    fn numbered(first: usize) -> Heads {
        let h = |i: usize, name: &str| format!("{}、{name}", zh_number(first + i));
        Heads {
            overall: h(0, "总体情况"),
            problems: h(1, "主要问题"),
            demands: h(2, "整改要求"),
        }
    }
}

/// One unit's row of 上季度通报问题整改情况.
#[derive(Debug, Serialize)]
pub(crate) struct PreviousRow {
    no: usize,
    unit: String,
    listed: usize,
    closed: usize,
    false_positive: usize,
    open: usize,
    reported: &'static str,
}

/// 上季度通报问题整改情况.
#[derive(Debug, Serialize)]
pub(crate) struct PreviousView {
    quarter: String,
    listed: usize,
    closed: usize,
    false_positive: usize,
    open: usize,
    rate: String,
    rows: Vec<PreviousRow>,
    silent_units: Option<String>,
    found_again: usize,
}

fn previous_view(c: &Ctx, p: &crate::Previous) -> Result<PreviousView, ReportError> {
    let as_of = parse_date("previous.as_of", &p.as_of)?;
    let rows: Vec<PreviousRow> = p
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| PreviousRow {
            no: i + 1,
            unit: c.unit_name(&u.unit),
            listed: u.listed,
            closed: u.closed,
            false_positive: u.false_positive,
            open: u.listed.saturating_sub(u.closed + u.false_positive),
            reported: if u.reported_back {
                "已报送"
            } else {
                "未报送"
            },
        })
        .collect();
    let sum = |f: fn(&PreviousRow) -> usize| rows.iter().map(f).sum::<usize>();
    let (listed, closed, fp) = (
        sum(|r| r.listed),
        sum(|r| r.closed),
        sum(|r| r.false_positive),
    );
    let silent: Vec<String> = p
        .units
        .iter()
        .filter(|u| !u.reported_back && u.listed > u.closed + u.false_positive)
        .map(|u| c.unit_name(&u.unit))
        .collect();
    Ok(PreviousView {
        quarter: Quarter::of(as_of).label_zh(),
        listed,
        closed,
        false_positive: fp,
        open: listed.saturating_sub(closed + fp),
        rate: pass_rate(closed, listed.saturating_sub(fp)),
        rows,
        silent_units: (!silent.is_empty()).then(|| silent.join("、")),
        found_again: p.found_again,
    })
}

impl Ctx<'_> {
    /// The parts for review, numbered after the `shown` parts of the problems.
    fn reviews(&self, shown: usize) -> Vec<Section> {
        [
            ("重要信息转发情况（供核实）", self.relay_lines()),
            ("政务新媒体矩阵核对（供核实）", self.matrix_lines()),
        ]
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
        .enumerate()
        .map(|(i, (name, items))| Section {
            heading: format!("（{}）{name}", zh_number(shown + i + 1)),
            items,
            media: Vec::new(),
        })
        .collect()
    }

    /// 政务新媒体矩阵核对: what the portal's matrix page and the seeds list that the other does not.
    fn matrix_lines(&self) -> Vec<Item> {
        let Some((t, m)) = self
            .doc
            .targets
            .iter()
            .find_map(|t| t.matrix.as_ref().map(|m| (t, m)))
        else {
            return Vec::new();
        };
        let account = |id: &String| {
            self.account(id).map_or_else(
                || id.clone(),
                |a| format!("{}（{}）", a.name, a.platform.label_zh()),
            )
        };
        let entry = |e: &xunjian_model::observe::MatrixEntry| match e.platform {
            Some(p) => format!("{}（{}）", e.name, p.label_zh()),
            None => e.name.clone(),
        };
        let mut lines = vec![format!(
            "「{}」政务新媒体矩阵页面（{}）列出账号{}个",
            self.target_name(t),
            m.url,
            m.entries
        )];
        if !m.not_listed.is_empty() {
            let names: Vec<String> = m.not_listed.iter().map(account).collect();
            lines.push(format!(
                "已登记但矩阵未列出的账号{}个：{}",
                names.len(),
                names.join("、")
            ));
        }
        if !m.not_in_seeds.is_empty() {
            let names: Vec<String> = m.not_in_seeds.iter().map(entry).collect();
            lines.push(format!(
                "矩阵列出但未登记的账号{}个：{}（请核实是否已备案、是否需纳入检查）",
                names.len(),
                names.join("、")
            ));
        }
        lines
            .into_iter()
            .enumerate()
            .map(|(i, text)| Item { no: i + 1, text })
            .collect()
    }

    /// 重要信息转发情况: a line per `[[relay]]` item of the seeds, saying which targets carried it
    /// (and when), late, not, not yet, or cannot be told, from the marks the analysis recorded.
    fn relay_lines(&self) -> Vec<Item> {
        use xunjian_model::finding::RelayState as S;
        self.seeds
            .relays
            .iter()
            .enumerate()
            .map(|(i, relay)| {
                let marks: Vec<(&TargetReport, &xunjian_model::finding::RelayMark)> = self
                    .doc
                    .targets
                    .iter()
                    .flat_map(|t| {
                        t.relays
                            .iter()
                            .filter(|m| m.relay == relay.id)
                            .map(move |m| (t, m))
                    })
                    .collect();
                let part = |state: S, dated: bool| {
                    let names: Vec<String> = marks
                        .iter()
                        .filter(|(_, m)| m.state == state)
                        .map(|(t, m)| match (&m.date, dated) {
                            (Some(d), true) => format!("{}（{d}）", self.target_label(t)),
                            _ => self.target_label(t),
                        })
                        .collect();
                    (!names.is_empty()).then(|| {
                        format!(
                            "{}{}个：{}",
                            state.label_zh(),
                            names.len(),
                            names.join("、")
                        )
                    })
                };
                let parts: Vec<String> = [
                    part(S::Carried, true),
                    part(S::Late, true),
                    part(S::Missing, false),
                    part(S::Pending, false),
                    part(S::Unknown, false),
                ]
                .into_iter()
                .flatten()
                .collect();
                let said = if parts.is_empty() {
                    "无应转载的网站或账号".to_string()
                } else {
                    parts.join("；")
                };
                Item {
                    no: i + 1,
                    text: format!(
                        "「{}」（{}发布，应于{}前转载）：{said}",
                        relay.name,
                        relay.published,
                        relay.due()
                    ),
                }
            })
            .collect()
    }

    /// The rows of the 政务新媒体 table, one per quiet-account finding of `chunk`.
    fn media_rows(&self, chunk: &[(&TargetReport, &Finding)]) -> Vec<MediaRow> {
        chunk
            .iter()
            .filter_map(|(t, f)| match f {
                Finding::AccountStale {
                    last_post,
                    window_days,
                    zombie,
                    manual,
                    ..
                } => Some((t, f, last_post, window_days, zombie, manual.is_some())),
                _ => None,
            })
            .enumerate()
            .map(
                |(i, (t, f, last_post, window_days, zombie, by_hand))| MediaRow {
                    no: i + 1,
                    platform: self
                        .account(&t.id)
                        .map_or("—", |a| a.platform.label_zh())
                        .to_string(),
                    name: self.target_name(t),
                    unit: self.unit_name(self.finding_unit(t, f)),
                    category: if *zombie {
                        format!("超过{window_days}天未更新（僵尸号）")
                    } else {
                        format!("超过{window_days}天未更新")
                    },
                    last_post: match last_post {
                        Some(d) if by_hand => format!("{d}（人工核验）"),
                        Some(d) => d.clone(),
                        None => "无注明日期的发布".to_string(),
                    },
                },
            )
            .collect()
    }

    /// Every finding with its target for 附件1 and the problem list: by unit (seeds order), then
    /// target order, then finding order.
    fn by_unit(&self) -> Vec<(&TargetReport, &Finding)> {
        let unit_rank = |id: &str| {
            self.seeds
                .units
                .iter()
                .position(|u| u.id == id)
                .unwrap_or(usize::MAX)
        };
        let mut all: Vec<(&TargetReport, &Finding)> = self
            .doc
            .targets
            .iter()
            .flat_map(|t| t.findings.iter().map(move |f| (t, f)))
            .collect();
        all.sort_by_key(|(t, f)| unit_rank(self.finding_unit(t, f)));
        all
    }
}

/// A row of the problem list (problems.xlsx, problems.csv): one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// 单位.
    pub unit: String,
    /// 网站或账号.
    pub target: String,
    /// 问题类别.
    pub category: String,
    /// 问题描述.
    pub description: String,
    /// URL.
    pub url: String,
    /// 发现时间, China time.
    pub seen: String,
    /// 整改期限.
    pub deadline: String,
    /// 状态.
    pub state: String,
}

/// The problem list, in the order of 附件1.
pub(crate) fn problems(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
) -> Result<Vec<Problem>, ReportError> {
    let c = &Ctx::new(doc, seeds, opts)?;
    Ok(c.by_unit()
        .into_iter()
        .map(|(t, f)| {
            let url = f.url().unwrap_or_default().to_string();
            Problem {
                unit: c.unit_name(c.finding_unit(t, f)),
                target: c.target_label(t),
                category: f.category_zh().to_string(),
                description: without_own_url(&c.describe(f), &url),
                url,
                seen: c.seen_time(f),
                deadline: date_zh(c.deadline),
                state: opts.states.of(&t.id, f).label_zh().to_string(),
            }
        })
        .collect())
}

pub(crate) fn report(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
) -> Result<ReportView, ReportError> {
    let c = &Ctx::new(doc, seeds, opts)?;
    let quarter = c.quarter.label_zh();
    let targets = &doc.targets;

    // 主送: every unit with a target or a finding.
    let recipients = c.order_units(
        targets.iter().map(|t| t.unit.as_str()).chain(
            targets
                .iter()
                .flat_map(|t| t.findings.iter().map(move |f| c.finding_unit(t, f))),
        ),
    );
    let recipients: Vec<String> = recipients.iter().map(|u| c.unit_name(u)).collect();
    let problem_units: Vec<String> = c
        .units_with_findings()
        .iter()
        .map(|u| c.unit_name(u))
        .collect();

    // 二、主要问题: the 不合格 list, then one part per category in the fixed order.
    let mut sections = Vec::new();
    let failed: Vec<Item> = targets
        .iter()
        .filter(|t| t.verdict == Verdict::Unqualified || !t.vetoes.is_empty())
        .enumerate()
        .map(|(i, t)| {
            let note = c.verdict_note(t);
            let verdict = t.verdict.label_zh();
            Item {
                no: i + 1,
                text: format!(
                    "{}「{}」（{}）：{}{}",
                    c.unit_name(&t.unit),
                    c.target_label(t),
                    c.kind_label(t),
                    verdict,
                    if note.is_empty() {
                        String::new()
                    } else {
                        format!("，{note}")
                    }
                ),
            }
        })
        .collect();
    if !failed.is_empty() {
        sections.push(("不合格网站和政务新媒体".to_string(), failed));
    }
    let mut all: Vec<(&TargetReport, &Finding)> = targets
        .iter()
        .flat_map(|t| t.findings.iter().map(move |f| (t, f)))
        .collect();
    // Categories the order does not list come after it, each together (by name); stable: target
    // order within a category.
    all.sort_by_key(|(_, f)| (category_rank(f), f.category_zh()));
    let mut media = Vec::new();
    for chunk in all.chunk_by(|a, b| a.1.category_zh() == b.1.category_zh()) {
        if matches!(chunk[0].1, Finding::AccountStale { .. }) {
            media = c.media_rows(chunk);
        }
        let items = chunk
            .iter()
            .enumerate()
            .map(|(i, (t, f))| Item {
                no: i + 1,
                text: format!(
                    "{}「{}」：{}",
                    c.unit_name(c.finding_unit(t, f)),
                    c.target_label(t),
                    c.describe(f)
                ),
            })
            .collect();
        sections.push((chunk[0].1.category_zh().to_string(), items));
    }
    let sections = sections
        .into_iter()
        .enumerate()
        .map(|(i, (name, items))| {
            let table = name == Finding::ACCOUNT_STALE_CATEGORY_ZH;
            Section {
                heading: format!("（{}）{name}", zh_number(i + 1)),
                items,
                media: if table {
                    std::mem::take(&mut media)
                } else {
                    Vec::new()
                },
            }
        })
        .collect::<Vec<Section>>();

    let rows = c
        .by_unit()
        .iter()
        .enumerate()
        .map(|(i, (t, f))| {
            let url = f.url().unwrap_or_default().to_string();
            Row {
                no: i + 1,
                unit: c.unit_name(c.finding_unit(t, f)),
                target: c.target_label(t),
                category: f.category_zh().to_string(),
                // The URL has a column of its own in 附件1: said once.
                description: without_own_url(&c.describe(f), &url),
                href: href(&url),
                url,
                seen: c.seen_date(f),
            }
        })
        .collect::<Vec<_>>();

    let inconclusive: Vec<InconclusiveRow> = targets
        .iter()
        .filter(|t| t.verdict == Verdict::Inconclusive)
        .enumerate()
        .map(|(i, t)| InconclusiveRow {
            no: i + 1,
            unit: c.unit_name(&t.unit),
            target: c.target_label(t),
            kind: c.kind_label(t),
            reasons: inconclusive_reasons(t),
        })
        .collect();

    let rules: Vec<RuleRow> = targets
        .iter()
        .flat_map(|t| t.rules.iter().map(move |r| (t, r)))
        .enumerate()
        .map(|(i, (t, r))| RuleRow {
            no: i + 1,
            target: c.target_label(t),
            rule: r.rule.clone(),
            label: r.label_zh.clone(),
            status: match r.status.as_str() {
                "confirmed" => "已确认".to_string(),
                "secondary" => "二手来源".to_string(),
                "unconfirmed" => "未确认（仅报告，不计分）".to_string(),
                other => other.to_string(),
            },
            count: r.count,
            points: r
                .points
                .map(|p| format!("{p}"))
                .unwrap_or_else(|| "—".to_string()),
            basis: r.basis.clone().unwrap_or_else(|| "—".to_string()),
        })
        .collect();

    Ok(ReportView {
        previous: opts
            .previous
            .as_ref()
            .map(|p| previous_view(c, p))
            .transpose()?,
        heads: Heads::numbered(1 + usize::from(opts.previous.is_some())),
        has_rules: !rules.is_empty(),
        rules,
        title: format!(
            "{}{quarter}政府网站和政务新媒体检查情况的通报",
            doc.district
        ),
        district: doc.district.clone(),
        quarter,
        recipients: recipients.join("、"),
        office: seeds.district.office.clone(),
        issued: date_zh(c.issued),
        as_of: date_zh(c.as_of),
        sites: Stats::of(targets.iter().filter(|t| t.kind == TargetKind::Site)),
        accounts: Stats::of(targets.iter().filter(|t| t.kind == TargetKind::Account)),
        has_inconclusive: !inconclusive.is_empty(),
        inconclusive_count: inconclusive.len(),
        incomplete: !doc.complete,
        degraded: doc.degraded.clone(),
        doc_number: seeds.district.doc_number.clone(),
        contact_line: contact_line(&seeds.district),
        cc: (!seeds.district.cc.is_empty()).then(|| seeds.district.cc.join("，")),
        finding_count: rows.len(),
        problem_units: problem_units.len(),
        reviews: c.reviews(if rows.is_empty() { 0 } else { sections.len() }),
        has_problems: !rows.is_empty(),
        sections,
        rectify_units: problem_units.join("、"),
        deadline: date_zh(c.deadline),
        rows,
        inconclusive,
    })
}

// ------------------------------------------------------------------------------------------------
// 整改通知

/// One finding in a notice.
#[derive(Debug, Serialize)]
pub(crate) struct NoticeFinding {
    no: usize,
    category: String,
    description: String,
    url: String,
    href: Option<String>,
    since: Option<String>,
    /// The pages that carry a broken link (up to [`NOTICE_SOURCES_SHOWN`]).
    pages: Option<String>,
    evidence: String,
    seen: String,
    /// When the problem was first seen (China date), where it is tracked.
    first_seen: Option<String>,
    /// Where it stands.
    state: &'static str,
    /// What was done to it.
    history: Vec<String>,
}

/// One target in a notice.
#[derive(Debug, Serialize)]
pub(crate) struct NoticeTarget {
    heading: String,
    kind: String,
    address: String,
    address_href: Option<String>,
    verdict: String,
    note: String,
    has_findings: bool,
    findings: Vec<NoticeFinding>,
}

/// A 整改通知.
#[derive(Debug, Serialize)]
pub(crate) struct NoticeView {
    title: String,
    unit: String,
    district: String,
    quarter: String,
    as_of: String,
    deadline: String,
    office: String,
    issued: String,
    finding_count: usize,
    targets: Vec<NoticeTarget>,
    /// Why the notice cannot be signed, when the run was degraded.
    degraded: Option<String>,
    /// 联系人：…，联系电话：…, from the seeds.
    contact_line: Option<String>,
}

pub(crate) fn notice(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
    unit_id: &str,
) -> Result<NoticeView, ReportError> {
    let c = Ctx::new(doc, seeds, opts)?;
    let mut targets = Vec::new();
    let mut finding_count = 0;
    for t in &doc.targets {
        let mine: Vec<&Finding> = t
            .findings
            .iter()
            .filter(|f| c.finding_unit(t, f) == unit_id)
            .collect();
        if t.unit != unit_id && mine.is_empty() {
            continue;
        }
        finding_count += mine.len();
        let address = c.target_address(t);
        targets.push(NoticeTarget {
            heading: format!("{}、{}", zh_number(targets.len() + 1), c.target_label(t)),
            kind: c.kind_label(t),
            address_href: href(&address),
            address,
            verdict: t.verdict.label_zh().to_string(),
            note: c.verdict_note(t),
            has_findings: !mine.is_empty(),
            findings: mine
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let url = f.url().unwrap_or_default().to_string();
                    NoticeFinding {
                        no: i + 1,
                        category: f.category_zh().to_string(),
                        description: c.describe(f),
                        href: href(&url),
                        url,
                        since: c.since(f),
                        pages: match f {
                            Finding::LinkBroken {
                                sources,
                                source_count,
                                ..
                            } if !sources.is_empty() => {
                                Some(pages_upto(sources, *source_count, NOTICE_SOURCES_SHOWN))
                            }
                            _ => None,
                        },
                        evidence: f.evidence().to_string(),
                        seen: c.seen_time(f),
                        first_seen: opts.states.get(&t.id, f).map(|k| {
                            xunjian_model::clock::china_date_of(&k.first_seen)
                                .map_or_else(|| k.first_seen.clone(), |d| d.to_string())
                        }),
                        state: opts.states.of(&t.id, f).label_zh(),
                        history: opts
                            .states
                            .get(&t.id, f)
                            .map(|k| k.history.clone())
                            .unwrap_or_default(),
                    }
                })
                .collect(),
        });
    }
    if finding_count == 0 {
        return Err(ReportError::NoFindings(unit_id.to_string()));
    }
    let unit = c.unit_name(unit_id);
    Ok(NoticeView {
        title: format!("关于{unit}网站和政务新媒体问题整改的通知"),
        unit,
        district: doc.district.clone(),
        quarter: c.quarter.label_zh(),
        as_of: date_zh(c.as_of),
        deadline: date_zh(c.deadline),
        office: seeds.district.office.clone(),
        issued: date_zh(c.issued),
        finding_count,
        targets,
        degraded: doc.degraded.clone(),
        contact_line: contact_line(&seeds.district),
    })
}

/// 联系人：…，联系电话：… from the seeds' optional keys.
fn contact_line(d: &xunjian_model::seeds::District) -> Option<String> {
    let parts: Vec<String> = [("联系人", &d.contact), ("联系电话", &d.phone)]
        .into_iter()
        .filter_map(|(label, v)| v.as_ref().map(|v| format!("{label}：{v}")))
        .collect();
    (!parts.is_empty()).then(|| parts.join("，"))
}
