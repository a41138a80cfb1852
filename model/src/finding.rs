//! Findings and verdicts: the shape of findings.json (contracts.md section 3).

use serde::{Deserialize, Serialize};

use crate::observe::{ManualCheck, PrivacyKind};
use crate::ColumnClass;

/// The schema tag written at the top of findings.json.
pub const FINDINGS_SCHEMA: &str = "xunjian.findings.v1";

/// How many source pages a broken-link finding names in findings.json; `source_count` says how
/// many there are in all.
pub const SOURCES_KEPT: usize = 20;

/// The whole findings.json document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingsDoc {
    /// Always [`FINDINGS_SCHEMA`].
    pub schema: String,
    /// The district's name, from the seeds.
    pub district: String,
    /// The inspection time point (监测时间点), `YYYY-MM-DD`.
    pub as_of: String,
    /// The quarter of `as_of`, e.g. `2025Q3`.
    pub period: String,
    /// One entry per site and account in the seeds, in seeds order.
    pub targets: Vec<TargetReport>,
    /// Whether every target's crawl finished within its budget (extension; false means some columns were
    /// not reached and are counted as inconclusive).
    #[serde(default = "yes")]
    pub complete: bool,
    /// Why the run cannot be signed, when the inspecting machine's own network failed during it
    /// (extension; 检查端网络异常：…). The findings such a fault could cause are then inconclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degraded: Option<String>,
}

fn yes() -> bool {
    true
}

/// Whether a target is a website or a new-media account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    /// A government website (政府网站).
    Site,
    /// An official new-media account (政务新媒体).
    Account,
}

/// The judgement on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// 合格.
    Qualified,
    /// 不合格: at least one 单项否决 holds (or the score is below 60).
    Unqualified,
    /// The evidence could not be gathered (blocked, unreachable, feed failed, too few probes).
    Inconclusive,
}

impl Verdict {
    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Verdict::Qualified => "合格",
            Verdict::Unqualified => "不合格",
            Verdict::Inconclusive => "无法判定",
        }
    }

    /// Every verdict.
    pub const ALL: [Verdict; 3] = [
        Verdict::Qualified,
        Verdict::Unqualified,
        Verdict::Inconclusive,
    ];

    /// The name findings.json and the store use (`qualified`, `unqualified`, `inconclusive`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Qualified => "qualified",
            Verdict::Unqualified => "unqualified",
            Verdict::Inconclusive => "inconclusive",
        }
    }

    /// The verdict of that name.
    pub fn parse(name: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == name)
    }
}

/// The judgement and findings of one site or account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetReport {
    /// The id from the seeds.
    pub id: String,
    /// Site or account.
    pub kind: TargetKind,
    /// The responsible unit's id (责任单位).
    pub unit: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Rule-pack ids of the vetoes (单项否决) that hold.
    pub vetoes: Vec<String>,
    /// The 100-point score where the rule pack can compute it.
    pub score: Option<f64>,
    /// The findings, sorted by rule then object.
    pub findings: Vec<Finding>,
    /// The target's name from the seeds (extension).
    #[serde(default)]
    pub name: String,
    /// Why the verdict is inconclusive, when it is (extension).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inconclusive: Vec<String>,
    /// What was deliberately not checked, whatever the verdict (extension): links into an
    /// internal network (内网地址), which xunjian never fetches. Never evidence either way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_checked: Vec<String>,
    /// The rule-pack entries behind the vetoes and deductions, one line each, so that the verdict and
    /// score can be traced to the pack (extension).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleLine>,
    /// Every 栏目 the site was judged on, with its window and the days left before it goes stale:
    /// what the dashboard's column table and the early warning show (extension; sites only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<ColumnStatus>,
    /// What an account's feed showed: its newest post, the days it has been quiet and the days
    /// left before it goes stale (extension; accounts whose feed was read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountStatus>,
    /// A site's homepage freshness (首页更新): its newest dated item and the days left before
    /// 首页不更新 (extension; sites whose homepage was read and dated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<HomepageStatus>,
    /// What the homepage showed of the marks a government site must carry (网站标识码, ICP and
    /// 公安备案, 党政机关标识, 主办单位…), as read (extension; sites whose homepage was read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marks: Option<crate::observe::MarksSeen>,
    /// Each 主动公开 row of the seeds for this site, and what was found of it (extension).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disclosures: Vec<DisclosureStatus>,
    /// What was found again of the findings the office decided were 误报, with their evidence
    /// unchanged: left out of `findings`, the vetoes, the score and the verdict, and listed here
    /// so that the decision stays visible (extension).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dismissed: Vec<Finding>,
    /// 重要信息转发: whether the target carried each `[[relay]]` item meant for its kind
    /// (extension; for review, never scored; omitted when the seeds name none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relays: Vec<RelayMark>,
    /// 政务新媒体矩阵 set beside the seeds (the portal only, when a matrix page was read;
    /// extension; for review, never scored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<MatrixCheck>,
}

/// One 主动公开事项 of a site as judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisclosureStatus {
    /// The row's id in the seeds.
    pub id: String,
    /// What must be disclosed.
    pub name: String,
    /// The column where it must appear.
    pub column: String,
    /// `ok`, `missing`, `late` or `unknown`.
    pub state: String,
    /// Why it could not be judged, when it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A site's homepage as judged for 首页不更新.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomepageStatus {
    /// The homepage.
    pub url: String,
    /// Its newest dated item on or before the time point (or, for a navigation-only homepage,
    /// its columns' newest).
    pub last_update: Option<String>,
    /// The window in days.
    pub window_days: u32,
    /// The first day on which it counts as not updated if nothing new appears.
    pub stale_from: Option<String>,
    /// Days from the time point to `stale_from` (0 or less: stale already).
    pub days_left: Option<i64>,
}

/// A new-media account as judged: the 账号 page's facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountStatus {
    /// The feed read.
    pub feed: String,
    /// Posts in the feed.
    pub posts: usize,
    /// The newest post's date on or before the time point (`YYYY-MM-DD`).
    pub last_post: Option<String>,
    /// Days from it to the time point.
    pub days_idle: Option<i64>,
    /// The window in days (政务新媒体不更新).
    pub window_days: u32,
    /// The first day on which the account counts as not updated if nothing new appears.
    pub stale_from: Option<String>,
    /// Days from the time point to `stale_from` (0 or less: stale already).
    pub days_left: Option<i64>,
    /// What the account's answer amounts to (extension; absent in runs judged before it was
    /// recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<AccountState>,
    /// The newest counted post: the account's evidence (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest: Option<PostEvidence>,
    /// Pinned posts seen (置顶; each counted by its own time, never as the newest for coming
    /// first) (extension; omitted when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pinned: usize,
    /// Posts not counted, by why (extension; omitted when none).
    #[serde(default, skip_serializing_if = "SkippedPosts::is_empty")]
    pub skipped: SkippedPosts,
    /// The office's 人工核验 the state rests on, when no reader could decide (extension; omitted
    /// when the state comes from the account's own answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<ManualCheck>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The post an account is dated by, as a department can check it: the platform's id, the time,
/// the URL and what the platform marks it as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostEvidence {
    /// The platform's id of the post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its title or first words.
    pub title: String,
    /// Where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its date (`YYYY-MM-DD`, China time).
    pub date: String,
    /// Its time (RFC 3339, China time), when the answer gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Pinned (置顶).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
    /// A repost (转发).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repost: bool,
}

/// Posts of an answer that did not count, by why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedPosts {
    /// Deleted by the author or removed (已删除).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub deleted: usize,
    /// Reposts, when the rule pack does not count them.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reposts: usize,
    /// Without a date.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub undated: usize,
    /// Dated after the time point.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub future: usize,
}

impl SkippedPosts {
    /// Nothing skipped.
    pub fn is_empty(&self) -> bool {
        *self == SkippedPosts::default()
    }

    /// What was skipped, for people: 已删除2条、转发1条.
    pub fn describe_zh(&self) -> String {
        [
            (self.deleted, "已删除"),
            (self.reposts, "转发"),
            (self.undated, "无日期"),
            (self.future, "晚于监测时间点"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{what}{n}条"))
        .collect::<Vec<_>>()
        .join("、")
    }
}

/// What an account's newest answer amounts to. Only `stale` and `zombie` are problems; `blocked`,
/// `login_required`, `unknown_format`, `unreachable` and `empty` leave the account 无法判定.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountState {
    /// Posted within the window.
    Fresh,
    /// Nothing within the window (政务新媒体内容不更新).
    Stale,
    /// Nothing within the pack's 僵尸号 days either (长期不更新).
    Zombie,
    /// A readable answer with nothing posted, or no dated post: a person must look.
    Empty,
    /// A block or captcha in front of the list.
    Blocked,
    /// The platform needs a logged-in session or fresh cookies.
    LoginRequired,
    /// An answer the reader does not know.
    UnknownFormat,
    /// No answer (a network failure or an HTTP error).
    Unreachable,
    /// No feed and no endpoint xunjian reads (Douyin, Toutiao, Kuaishou without a feed): a person
    /// checks it (需人工核验), never guessed.
    NoReader,
}

impl AccountState {
    /// What the documents and the dashboard say.
    pub fn label_zh(self) -> &'static str {
        match self {
            AccountState::Fresh => "正常更新",
            AccountState::Stale => "未按时更新",
            AccountState::Zombie => "长期未更新（僵尸号）",
            AccountState::Empty => "无可核验的发布",
            AccountState::Blocked => "访问被平台拦截",
            AccountState::LoginRequired => "平台要求登录",
            AccountState::UnknownFormat => "无法识别的信息源格式",
            AccountState::Unreachable => "信息源无法访问",
            AccountState::NoReader => "无可自动读取的信息源",
        }
    }

    /// Whether it is a problem (问题): only stale and zombie.
    pub fn is_problem(self) -> bool {
        matches!(self, AccountState::Stale | AccountState::Zombie)
    }
}

impl TargetReport {
    /// A target judged qualified with nothing found yet: the start of every judgement.
    pub fn new(id: &str, kind: TargetKind, unit: &str, name: &str) -> TargetReport {
        TargetReport {
            not_checked: Vec::new(),
            id: id.to_string(),
            kind,
            unit: unit.to_string(),
            verdict: Verdict::Qualified,
            vetoes: vec![],
            score: None,
            findings: vec![],
            name: name.to_string(),
            inconclusive: vec![],
            rules: vec![],
            columns: vec![],
            account: None,
            homepage: None,
            marks: None,
            disclosures: vec![],
            dismissed: vec![],
            relays: vec![],
            matrix: None,
        }
    }

    /// The label the rule pack gives veto `id` of this target (from its `rules` trace), never the
    /// raw id: what the 通报, the notices and the dashboard say.
    pub fn veto_label(&self, id: &str) -> String {
        self.rules
            .iter()
            .find(|r| r.rule == id && !r.label_zh.is_empty())
            .map_or_else(|| "单项否决指标".to_string(), |r| r.label_zh.clone())
    }

    /// The labels of every veto of this target, in order.
    pub fn veto_labels(&self) -> Vec<String> {
        self.vetoes.iter().map(|id| self.veto_label(id)).collect()
    }
}

/// What the evidence said about a column (`columns[].state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnCondition {
    /// Updated within its window (or a column that never goes stale).
    Fresh,
    /// 栏目不更新: not updated within its window.
    Stale,
    /// 空白栏目: no item.
    Empty,
    /// The evidence could not be gathered; never stale, never empty.
    Unknown,
    /// The page is not a list: nothing to judge.
    NotAList,
}

impl ColumnCondition {
    /// The Chinese word the dashboard shows.
    pub fn label_zh(self) -> &'static str {
        match self {
            ColumnCondition::Fresh => "正常",
            ColumnCondition::Stale => "未更新",
            ColumnCondition::Empty => "空白",
            ColumnCondition::Unknown => "无法判定",
            ColumnCondition::NotAList => "非列表页",
        }
    }
}

/// One judged 栏目 of a site: its window by the rule pack, its newest item, and when it goes stale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnStatus {
    /// The column's name (栏目名称).
    pub name: String,
    /// Its list page.
    pub url: String,
    /// Its class.
    pub class: ColumnClass,
    /// What the evidence said.
    pub state: ColumnCondition,
    /// The newest dated item (`YYYY-MM-DD`).
    pub last_update: Option<String>,
    /// The window in days, when the pack gives it in days.
    pub window_days: Option<u32>,
    /// The window in months, when the pack gives it in months.
    pub window_months: Option<u32>,
    /// The first day on which the column counts as not updated, if nothing new appears.
    pub stale_from: Option<String>,
    /// Days from the judgement's as-of date to `stale_from` (0 or less: stale already).
    pub days_left: Option<i64>,
    /// Within the rule pack's warning days of going stale (预警).
    #[serde(default)]
    pub due_soon: bool,
    /// Why the column could not be judged, when it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When its page was fetched (RFC 3339).
    pub seen: Option<String>,
}

/// One rule-pack entry that holds for a target: a veto, or a deduction with its points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleLine {
    /// The rule-pack id.
    pub rule: String,
    /// `veto` or `deduct`.
    pub kind: String,
    /// The Chinese label.
    pub label_zh: String,
    /// Where the pack read the rule (provenance).
    pub source: String,
    /// The official document the rule rests on, as the documents cite it (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// `confirmed`, `secondary` or `unconfirmed`.
    pub status: String,
    /// How many times it holds.
    pub count: u32,
    /// Points deducted, when the pack gives points and the rule is not unconfirmed; null otherwise
    /// (reported, not scored).
    pub points: Option<f64>,
}

/// Why a link is broken (contracts.md `link.broken` reasons).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BrokenReason {
    /// An HTTP error status: serialized `http_404`, `http_500`…
    Http(u16),
    /// A page that answers 200 (or redirects home) but is a "page not found".
    Soft404,
    /// No answer within the timeout.
    Timeout,
    /// The host name does not resolve.
    Dns,
    /// The connection was refused or reset.
    Connect,
    /// The TLS handshake failed.
    Tls,
    /// Too many redirects, or a cycle.
    RedirectLoop,
    /// The body exceeded the size cap.
    TooLarge,
}

impl BrokenReason {
    /// The reason as written in findings.json.
    pub fn as_string(&self) -> String {
        match self {
            BrokenReason::Http(s) => format!("http_{s}"),
            BrokenReason::Soft404 => "soft_404".into(),
            BrokenReason::Timeout => "timeout".into(),
            BrokenReason::Dns => "dns".into(),
            BrokenReason::Connect => "connect".into(),
            BrokenReason::Tls => "tls".into(),
            BrokenReason::RedirectLoop => "redirect_loop".into(),
            BrokenReason::TooLarge => "too_large".into(),
        }
    }

    /// Parse the findings.json form.
    pub fn parse(s: &str) -> Option<BrokenReason> {
        Some(match s {
            "soft_404" => BrokenReason::Soft404,
            "timeout" => BrokenReason::Timeout,
            "dns" => BrokenReason::Dns,
            "connect" => BrokenReason::Connect,
            "tls" => BrokenReason::Tls,
            "redirect_loop" => BrokenReason::RedirectLoop,
            "too_large" => BrokenReason::TooLarge,
            other => BrokenReason::Http(other.strip_prefix("http_")?.parse().ok()?),
        })
    }

    /// The Chinese description used in reports.
    pub fn label_zh(&self) -> String {
        match self {
            BrokenReason::Http(s) => format!("返回HTTP {s}错误"),
            BrokenReason::Soft404 => "页面不存在(软404)".into(),
            BrokenReason::Timeout => "访问超时".into(),
            BrokenReason::Dns => "域名无法解析".into(),
            BrokenReason::Connect => "无法连接".into(),
            BrokenReason::Tls => "证书或加密连接错误".into(),
            BrokenReason::RedirectLoop => "重定向循环".into(),
            BrokenReason::TooLarge => "内容过大".into(),
        }
    }
}

impl Serialize for BrokenReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_string())
    }
}

impl<'de> Deserialize<'de> for BrokenReason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        BrokenReason::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown broken-link reason `{s}`")))
    }
}

/// The seven footer marks of a government site (contracts.md `site.mark_missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// 网站标识码.
    SiteCode,
    /// ICP备案编号.
    Icp,
    /// 公安机关备案.
    Police,
    /// 党政机关网站标识.
    Badge,
    /// 主办单位.
    Sponsor,
    /// 联系方式.
    Contact,
    /// "我为政府网站找错" 入口.
    ErrorReport,
}

impl Mark {
    /// All seven, in report order.
    pub const ALL: [Mark; 7] = [
        Mark::SiteCode,
        Mark::Icp,
        Mark::Police,
        Mark::Badge,
        Mark::Sponsor,
        Mark::Contact,
        Mark::ErrorReport,
    ];

    /// The name as written in findings.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::SiteCode => "site_code",
            Mark::Icp => "icp",
            Mark::Police => "police",
            Mark::Badge => "badge",
            Mark::Sponsor => "sponsor",
            Mark::Contact => "contact",
            Mark::ErrorReport => "error_report",
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Mark::SiteCode => "网站标识码",
            Mark::Icp => "ICP备案编号",
            Mark::Police => "公安机关备案标识",
            Mark::Badge => "党政机关网站标识",
            Mark::Sponsor => "主办单位",
            Mark::Contact => "联系方式",
            Mark::ErrorReport => "“我为政府网站找错”入口",
        }
    }
}

/// The portal's 政务新媒体矩阵 page set beside the seeds' accounts: what each lists that the
/// other does not (for review: a name written differently is a question, not a fault).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCheck {
    /// The matrix page.
    pub url: String,
    /// How many accounts it lists.
    pub entries: usize,
    /// Seeds accounts (ids) the page does not list.
    pub not_listed: Vec<String>,
    /// Accounts the page lists that no seeds account matches.
    pub not_in_seeds: Vec<crate::observe::MatrixEntry>,
}

/// 重要信息转发: whether one target carried one `[[relay]]` item, and the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayMark {
    /// The relay id from the seeds.
    pub relay: String,
    /// What the target's lists or posts show.
    pub state: RelayState,
    /// The earliest item or post carrying it: its date (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// For people: what the state rests on.
    pub evidence: String,
}

/// Where a target stands with one relay item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelayState {
    /// Carried within the days allowed.
    Carried,
    /// Carried, after the days allowed.
    Late,
    /// Not carried, though the target's lists reach back to the publication day and the days
    /// allowed have passed.
    Missing,
    /// Not carried yet, and the days allowed have not passed.
    Pending,
    /// Nothing to judge by: the target was not read, or its lists do not reach back to the
    /// publication day (what scrolled off them cannot be seen).
    Unknown,
}

impl RelayState {
    /// What the documents say.
    pub fn label_zh(self) -> &'static str {
        match self {
            RelayState::Carried => "已按时转载",
            RelayState::Late => "转载不及时",
            RelayState::Missing => "未转载",
            RelayState::Pending => "尚在转载期限内",
            RelayState::Unknown => "无法判定",
        }
    }
}

/// One finding. The `rule` tag and the fields are those of contracts.md section 3; `evidence` is free
/// text for people and `seen` the time the evidence was observed (RFC 3339).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule")]
pub enum Finding {
    /// 站点无法访问: the homepage could not be fetched.
    #[serde(rename = "site.unreachable")]
    SiteUnreachable {
        /// The homepage.
        url: String,
        /// Probes in the window.
        probes: u32,
        /// Failed probes in the window.
        failures: u32,
        /// The last failure's reason (`timeout`, `connect`, `http_503`…).
        reason: String,
        /// For people.
        evidence: String,
        /// When the last failure was seen.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 首页不更新.
    #[serde(rename = "site.homepage_stale")]
    HomepageStale {
        /// The homepage.
        url: String,
        /// Newest dated item on the homepage (or its second-level pages), if any.
        last_update: Option<String>,
        /// The window it was judged by, in days (the rule pack's; 14 under 19号).
        #[serde(default)]
        window_days: u32,
        /// For people.
        evidence: String,
        /// When the homepage was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 栏目不更新.
    #[serde(rename = "column.stale")]
    ColumnStale {
        /// The column's list page.
        url: String,
        /// The column's name.
        column: String,
        /// Its class.
        class: ColumnClass,
        /// Newest dated item, or null when no item carries a date.
        last_update: Option<String>,
        /// The class's window it was judged by, when counted in days (news: 14 under 19号).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window_days: Option<u32>,
        /// The class's window it was judged by, when counted in months (notice 6, long 12).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window_months: Option<u32>,
        /// For people.
        evidence: String,
        /// When the list page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 空白栏目.
    #[serde(rename = "column.empty")]
    ColumnEmpty {
        /// The column's list page.
        url: String,
        /// The column's name.
        column: String,
        /// For people.
        evidence: String,
        /// When the list page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 链接不可用.
    #[serde(rename = "link.broken")]
    LinkBroken {
        /// The link target, absolute and normalized.
        url: String,
        /// Pages that carry the link, sorted: the first [`SOURCES_KEPT`] of them (the store keeps
        /// every one, and the 附件 CSV lists them).
        sources: Vec<String>,
        /// How many pages carry the link (a footer link: every page of the site).
        #[serde(default)]
        source_count: usize,
        /// Why it is broken.
        reason: BrokenReason,
        /// The HTTP status, where there was one.
        status: Option<u16>,
        /// Whether the target is on the site's own host.
        internal: bool,
        /// Whether the homepage carries the link.
        on_homepage: bool,
        /// For people.
        evidence: String,
        /// When the target was checked.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 网站标识/备案信息缺失.
    #[serde(rename = "site.mark_missing")]
    MarkMissing {
        /// Which mark.
        mark: Mark,
        /// The page checked (the homepage).
        url: String,
        /// For people.
        evidence: String,
        /// When the page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 法定主动公开内容缺失.
    #[serde(rename = "disclosure.missing")]
    DisclosureMissing {
        /// The disclosure id from the seeds.
        item: String,
        /// Where it was looked for.
        url: String,
        /// For people.
        evidence: String,
        /// When the page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 法定主动公开内容未按时公开.
    #[serde(rename = "disclosure.late")]
    DisclosureLate {
        /// The disclosure id from the seeds.
        item: String,
        /// The publication date of the matching item.
        published: Option<String>,
        /// The due date.
        due: String,
        /// Where it was found (extension).
        #[serde(default)]
        url: Option<String>,
        /// For people.
        evidence: String,
        /// When the page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// The list shows one date for an item and its own page another (extension; for review).
    #[serde(rename = "item.date_conflict")]
    ItemDateConflict {
        /// The item's page.
        url: String,
        /// The column listing it.
        column: String,
        /// The date beside the item on the list page.
        list_date: String,
        /// The date the item's page gives itself (`PubDate` meta or visible 发布时间).
        page_date: String,
        /// For people.
        evidence: String,
        /// When the item's page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// An item dated after the moment xunjian saw it: a forged date (弄虚作假) or a typo
    /// (extension; for review).
    #[serde(rename = "item.future_dated")]
    ItemFutureDated {
        /// The item's page.
        url: String,
        /// The column listing it.
        column: String,
        /// The date the item carries.
        date: String,
        /// For people.
        evidence: String,
        /// When the list was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// Several items appeared at once on a column xunjian was already watching, dated weeks before
    /// they appeared: back-filled updates (突击更新/伪造发稿日期) (extension; for review).
    #[serde(rename = "column.backdated_burst")]
    ColumnBackdatedBurst {
        /// The column's list page.
        url: String,
        /// The column's name.
        column: String,
        /// The back-dated items' pages.
        items: Vec<String>,
        /// When they were first seen.
        first_seen: String,
        /// For people.
        evidence: String,
        /// When the list page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 个人隐私未去标识化: a personal number shown in full (extension; for review).
    #[serde(rename = "content.privacy_leak")]
    PrivacyLeak {
        /// The page.
        url: String,
        /// What kind of number.
        kind: PrivacyKind,
        /// The number, masked (the full number is never stored).
        masked: String,
        /// About 20 characters around it, masked.
        context: String,
        /// For people.
        evidence: String,
        /// When the page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 严重表述错误: a known wrong variant of a canonical formulation (extension; for review, the
    /// veto needs human confirmation).
    #[serde(rename = "content.wording_error")]
    WordingError {
        /// The page.
        url: String,
        /// The wrong text.
        wrong: String,
        /// The canonical formulation.
        correct: String,
        /// About 20 characters around it.
        context: String,
        /// For people.
        evidence: String,
        /// When the page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 暗链: an outside link hidden by inline CSS (extension; for review).
    #[serde(rename = "content.hidden_link")]
    HiddenLink {
        /// The page.
        url: String,
        /// The link target.
        target: String,
        /// How it is hidden.
        how: String,
        /// For people.
        evidence: String,
        /// When the page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 链接违规内容: an outside link whose anchor names gambling or adult content (extension; for
    /// review).
    #[serde(rename = "content.bad_outside_link")]
    BadOutsideLink {
        /// The page.
        url: String,
        /// The link target.
        target: String,
        /// The keyword in the anchor.
        keyword: String,
        /// For people.
        evidence: String,
        /// When the page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 政策文件未解读: a policy document (规范性文件/政策文件) published within the look-back with no
    /// interpretation (解读) found on its site, by link or by title (extension).
    #[serde(rename = "policy.uninterpreted")]
    PolicyUninterpreted {
        /// The policy's page.
        url: String,
        /// Its title.
        title: String,
        /// Its publication date.
        published: Option<String>,
        /// The column it is listed in.
        column: String,
        /// For people.
        evidence: String,
        /// When its page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 解读未同步: an interpretation published more working days after its policy than allowed
    /// (extension).
    #[serde(rename = "policy.interpretation_late")]
    InterpretationLate {
        /// The interpretation's page.
        url: String,
        /// The policy's page.
        policy_url: String,
        /// The policy's publication date.
        policy_published: String,
        /// The interpretation's publication date.
        published: String,
        /// Working days between the two.
        lag_workdays: u32,
        /// For people.
        evidence: String,
        /// When the interpretation's page was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 解读与原文未双向关联: a policy and its interpretation do not link to each other both ways
    /// (extension).
    #[serde(rename = "policy.link_one_way")]
    PolicyLinkOneWay {
        /// The policy's page.
        url: String,
        /// The interpretation's page.
        interpretation_url: String,
        /// Which link exists: `policy_to_interpretation`, `interpretation_to_policy` or `none`
        /// (paired by title only).
        direction: String,
        /// For people.
        evidence: String,
        /// When the pages were fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 未提供网上有效咨询建言渠道: the homepage leads to no 领导信箱/咨询/留言 channel, or every
    /// channel link is broken (a veto).
    #[serde(rename = "interaction.no_channel")]
    NoConsultChannel {
        /// The homepage.
        url: String,
        /// Channel links found whose targets are broken (empty: none found at all).
        #[serde(default)]
        broken: Vec<String>,
        /// For people.
        evidence: String,
        /// When the homepage was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 超过3个月未回应有效留言: a message in a 政务咨询 list, left within the look-back, unanswered
    /// (or answered) more than the allowed months after it was left (a veto).
    #[serde(rename = "interaction.unanswered")]
    MessageUnanswered {
        /// The message's page (or the list page when it has none).
        url: String,
        /// The list page.
        list_url: String,
        /// The message's title.
        title: String,
        /// When it was left.
        asked: String,
        /// When it was answered, if it was.
        replied: Option<String>,
        /// For people.
        evidence: String,
        /// When the list was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// The site's domain does not follow 国办发〔2017〕47号: portals `www.□□□.gov.cn`, departments under
    /// a .gov.cn domain (extension).
    #[serde(rename = "site.domain_nonstandard")]
    DomainNonstandard {
        /// The homepage.
        url: String,
        /// The host it is served from.
        host: String,
        /// What the rule expects.
        expected: String,
        /// For people.
        evidence: String,
        /// When the homepage was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// A mark is shown but its value is malformed (extension): a 网站标识码 that is not 10 characters
    /// of the national pattern, or that differs from the page's `SiteIDCode` meta.
    #[serde(rename = "site.mark_invalid")]
    MarkInvalid {
        /// Which mark.
        mark: Mark,
        /// The value shown.
        value: String,
        /// The homepage.
        url: String,
        /// For people.
        evidence: String,
        /// When the homepage was fetched.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 开设过多: one unit with more accounts on one platform than the rule pack allows
    /// (`nm.presence.one_account_per_platform`, 1 under 国办发〔2018〕123号), flagged on each account
    /// beyond the allowed ones, in seeds order (extension; for review, never scored).
    #[serde(rename = "account.duplicate")]
    AccountDuplicate {
        /// The account id from the seeds.
        account: String,
        /// The platform (`weibo`, `wechat`…).
        platform: String,
        /// The unit's accounts on that platform before this one, in seeds order.
        others: Vec<String>,
        /// How many accounts a unit may have on one platform, as judged by.
        limit: u32,
        /// For people.
        evidence: String,
        /// Judged from the seeds: never observed.
        #[serde(default)]
        seen: Option<String>,
    },
    /// 政务新媒体内容不更新.
    #[serde(rename = "account.stale")]
    AccountStale {
        /// The account id from the seeds.
        account: String,
        /// The newest post's date, or null when the feed has no dated post.
        last_post: Option<String>,
        /// The window it was judged by, in days (the rule pack's; 14 under 19号).
        #[serde(default)]
        window_days: u32,
        /// The feed (extension).
        #[serde(default)]
        url: Option<String>,
        /// Quiet beyond the pack's 僵尸号 days (90 by default) as well (extension; omitted when
        /// false).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        zombie: bool,
        /// The newest counted post: its id, time and URL (extension; omitted when none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        post: Option<Box<PostEvidence>>,
        /// The office's 人工核验 the finding rests on, when no reader could decide (extension;
        /// omitted otherwise): who looked, when, and the newest post they saw.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        manual: Option<Box<ManualCheck>>,
        /// For people.
        evidence: String,
        /// When the feed was fetched, or when the person looked (人工核验).
        #[serde(default)]
        seen: Option<String>,
    },
}

impl Finding {
    /// The 问题类别 of a quiet account (`account.stale`), the part of the 通报 its table heads.
    pub const ACCOUNT_STALE_CATEGORY_ZH: &'static str = "政务新媒体更新不及时";

    /// The rule id as written in findings.json.
    pub fn rule(&self) -> &'static str {
        match self {
            Finding::SiteUnreachable { .. } => "site.unreachable",
            Finding::HomepageStale { .. } => "site.homepage_stale",
            Finding::ColumnStale { .. } => "column.stale",
            Finding::ColumnEmpty { .. } => "column.empty",
            Finding::LinkBroken { .. } => "link.broken",
            Finding::MarkMissing { .. } => "site.mark_missing",
            Finding::DisclosureMissing { .. } => "disclosure.missing",
            Finding::DisclosureLate { .. } => "disclosure.late",
            Finding::AccountStale { .. } => "account.stale",
            Finding::AccountDuplicate { .. } => "account.duplicate",
            Finding::ItemDateConflict { .. } => "item.date_conflict",
            Finding::ItemFutureDated { .. } => "item.future_dated",
            Finding::DomainNonstandard { .. } => "site.domain_nonstandard",
            Finding::MarkInvalid { .. } => "site.mark_invalid",
            Finding::ColumnBackdatedBurst { .. } => "column.backdated_burst",
            Finding::PrivacyLeak { .. } => "content.privacy_leak",
            Finding::WordingError { .. } => "content.wording_error",
            Finding::HiddenLink { .. } => "content.hidden_link",
            Finding::BadOutsideLink { .. } => "content.bad_outside_link",
            Finding::PolicyUninterpreted { .. } => "policy.uninterpreted",
            Finding::InterpretationLate { .. } => "policy.interpretation_late",
            Finding::PolicyLinkOneWay { .. } => "policy.link_one_way",
            Finding::NoConsultChannel { .. } => "interaction.no_channel",
            Finding::MessageUnanswered { .. } => "interaction.unanswered",
        }
    }

    /// The object the finding is about (a URL, a mark, an item or an account id): with the rule, it
    /// identifies the finding and orders the findings of a target.
    pub fn object(&self) -> String {
        match self {
            Finding::SiteUnreachable { url, .. }
            | Finding::HomepageStale { url, .. }
            | Finding::ColumnStale { url, .. }
            | Finding::ColumnEmpty { url, .. }
            | Finding::LinkBroken { url, .. }
            | Finding::ItemDateConflict { url, .. }
            | Finding::ItemFutureDated { url, .. }
            | Finding::DomainNonstandard { url, .. }
            | Finding::ColumnBackdatedBurst { url, .. }
            | Finding::PrivacyLeak { url, .. }
            | Finding::WordingError { url, .. }
            | Finding::HiddenLink { url, .. }
            | Finding::BadOutsideLink { url, .. }
            | Finding::PolicyUninterpreted { url, .. }
            | Finding::InterpretationLate { url, .. }
            | Finding::PolicyLinkOneWay { url, .. }
            | Finding::NoConsultChannel { url, .. }
            | Finding::MessageUnanswered { url, .. } => url.clone(),
            Finding::MarkMissing { mark, .. } | Finding::MarkInvalid { mark, .. } => {
                mark.as_str().to_string()
            }
            Finding::DisclosureMissing { item, .. } | Finding::DisclosureLate { item, .. } => {
                item.clone()
            }
            Finding::AccountStale { account, .. } | Finding::AccountDuplicate { account, .. } => {
                account.clone()
            }
        }
    }

    /// The evidence text for people.
    pub fn evidence(&self) -> &str {
        match self {
            Finding::SiteUnreachable { evidence, .. }
            | Finding::HomepageStale { evidence, .. }
            | Finding::ColumnStale { evidence, .. }
            | Finding::ColumnEmpty { evidence, .. }
            | Finding::LinkBroken { evidence, .. }
            | Finding::MarkMissing { evidence, .. }
            | Finding::DisclosureMissing { evidence, .. }
            | Finding::DisclosureLate { evidence, .. }
            | Finding::AccountStale { evidence, .. }
            | Finding::AccountDuplicate { evidence, .. }
            | Finding::ItemDateConflict { evidence, .. }
            | Finding::ItemFutureDated { evidence, .. }
            | Finding::DomainNonstandard { evidence, .. }
            | Finding::MarkInvalid { evidence, .. }
            | Finding::ColumnBackdatedBurst { evidence, .. }
            | Finding::PrivacyLeak { evidence, .. }
            | Finding::WordingError { evidence, .. }
            | Finding::HiddenLink { evidence, .. }
            | Finding::BadOutsideLink { evidence, .. }
            | Finding::PolicyUninterpreted { evidence, .. }
            | Finding::InterpretationLate { evidence, .. }
            | Finding::PolicyLinkOneWay { evidence, .. }
            | Finding::NoConsultChannel { evidence, .. }
            | Finding::MessageUnanswered { evidence, .. } => evidence,
        }
    }

    /// When the evidence was observed, if known.
    pub fn seen(&self) -> Option<&str> {
        match self {
            Finding::SiteUnreachable { seen, .. }
            | Finding::HomepageStale { seen, .. }
            | Finding::ColumnStale { seen, .. }
            | Finding::ColumnEmpty { seen, .. }
            | Finding::LinkBroken { seen, .. }
            | Finding::MarkMissing { seen, .. }
            | Finding::DisclosureMissing { seen, .. }
            | Finding::DisclosureLate { seen, .. }
            | Finding::AccountStale { seen, .. }
            | Finding::AccountDuplicate { seen, .. }
            | Finding::ItemDateConflict { seen, .. }
            | Finding::ItemFutureDated { seen, .. }
            | Finding::DomainNonstandard { seen, .. }
            | Finding::MarkInvalid { seen, .. }
            | Finding::ColumnBackdatedBurst { seen, .. }
            | Finding::PrivacyLeak { seen, .. }
            | Finding::WordingError { seen, .. }
            | Finding::HiddenLink { seen, .. }
            | Finding::BadOutsideLink { seen, .. }
            | Finding::PolicyUninterpreted { seen, .. }
            | Finding::InterpretationLate { seen, .. }
            | Finding::PolicyLinkOneWay { seen, .. }
            | Finding::NoConsultChannel { seen, .. }
            | Finding::MessageUnanswered { seen, .. } => seen.as_deref(),
        }
    }

    /// The URL a department should open to see the problem, where there is one.
    pub fn url(&self) -> Option<&str> {
        match self {
            Finding::SiteUnreachable { url, .. }
            | Finding::HomepageStale { url, .. }
            | Finding::ColumnStale { url, .. }
            | Finding::ColumnEmpty { url, .. }
            | Finding::LinkBroken { url, .. }
            | Finding::MarkMissing { url, .. }
            | Finding::DisclosureMissing { url, .. }
            | Finding::ItemDateConflict { url, .. }
            | Finding::ItemFutureDated { url, .. }
            | Finding::DomainNonstandard { url, .. }
            | Finding::MarkInvalid { url, .. }
            | Finding::ColumnBackdatedBurst { url, .. }
            | Finding::PrivacyLeak { url, .. }
            | Finding::WordingError { url, .. }
            | Finding::HiddenLink { url, .. }
            | Finding::BadOutsideLink { url, .. }
            | Finding::PolicyUninterpreted { url, .. }
            | Finding::InterpretationLate { url, .. }
            | Finding::PolicyLinkOneWay { url, .. }
            | Finding::NoConsultChannel { url, .. }
            | Finding::MessageUnanswered { url, .. } => Some(url),
            Finding::DisclosureLate { url, .. } | Finding::AccountStale { url, .. } => {
                url.as_deref()
            }
            Finding::AccountDuplicate { .. } => None,
        }
    }

    /// The problem category of the 通报 (主要问题 grouping).
    pub fn category_zh(&self) -> &'static str {
        match self {
            Finding::SiteUnreachable { .. } => "站点无法访问",
            Finding::HomepageStale { .. } => "首页不更新",
            Finding::ColumnStale { .. } => "栏目更新不及时",
            Finding::ColumnEmpty { .. } => "空白栏目",
            Finding::LinkBroken { .. } => "链接不可用",
            Finding::MarkMissing { .. } => "标识/备案信息不规范",
            Finding::DisclosureMissing { .. } => "法定主动公开内容缺失",
            Finding::DisclosureLate { .. } => "法定主动公开内容未按时公开",
            Finding::AccountStale { .. } => Finding::ACCOUNT_STALE_CATEGORY_ZH,
            Finding::AccountDuplicate { .. } => "政务新媒体开设过多（待核实）",
            Finding::ItemDateConflict { .. } => "发布日期前后不一致（待核实）",
            Finding::ItemFutureDated { .. } => "发布日期晚于抓取时间（疑似伪造发稿日期）",
            Finding::DomainNonstandard { .. } | Finding::MarkInvalid { .. } => {
                "标识/备案信息不规范"
            }
            Finding::ColumnBackdatedBurst { .. } => "集中补发倒签日期信息（疑似突击更新）",
            Finding::PrivacyLeak { .. } => "个人隐私未去标识化（待核实）",
            Finding::WordingError { .. } => "严重表述错误（待核实）",
            Finding::HiddenLink { .. } => "疑似暗链（待核实）",
            Finding::BadOutsideLink { .. } => "链接违规内容（待核实）",
            Finding::PolicyUninterpreted { .. }
            | Finding::InterpretationLate { .. }
            | Finding::PolicyLinkOneWay { .. } => "政策解读不到位",
            Finding::NoConsultChannel { .. } | Finding::MessageUnanswered { .. } => "互动回应差",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_names_are_their_serialized_names() {
        for v in Verdict::ALL {
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
        assert_eq!(Verdict::parse("passed"), None);
    }

    #[test]
    fn link_broken_serializes_as_the_contract_says() {
        let f = Finding::LinkBroken {
            url: "http://a/missing.html".into(),
            sources: vec!["http://a/index.html".into()],
            source_count: 1,
            reason: BrokenReason::Http(404),
            status: Some(404),
            internal: true,
            on_homepage: true,
            evidence: "e".into(),
            seen: None,
        };
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["rule"], "link.broken");
        assert_eq!(v["reason"], "http_404");
        assert_eq!(v["status"], 404);
        let back: Finding = serde_json::from_value(v).unwrap();
        assert_eq!(back, f);
    }

    #[test]
    fn reasons_round_trip() {
        for r in [
            BrokenReason::Http(500),
            BrokenReason::Soft404,
            BrokenReason::Timeout,
            BrokenReason::RedirectLoop,
        ] {
            assert_eq!(BrokenReason::parse(&r.as_string()), Some(r));
        }
        assert_eq!(BrokenReason::parse("http_x"), None);
    }

    #[test]
    fn column_stale_has_class_and_nullable_date() {
        let f = Finding::ColumnStale {
            url: "u".into(),
            column: "通知公告".into(),
            class: ColumnClass::Notice,
            last_update: None,
            window_days: Some(14),
            window_months: None,
            evidence: String::new(),
            seen: None,
        };
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["class"], "notice");
        assert!(v["last_update"].is_null());
        assert_eq!(f.rule(), "column.stale");
    }
}
