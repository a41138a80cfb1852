//! The seeds file (contracts.md section 2): what to inspect, and who is responsible for it.
//!
//! Loading validates everything a run relies on, so that a wrong file fails at once with one message
//! naming the file, line, column and key — never half-way through a crawl.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ColumnClass;

mod parse;
#[cfg(test)]
mod tests;

/// A parsed and validated seeds file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seeds {
    /// The district (区) being inspected.
    pub district: District,
    /// Crawl defaults.
    pub defaults: Defaults,
    /// 责任单位: who receives remediation notices.
    pub units: Vec<Unit>,
    /// Government websites.
    pub sites: Vec<Site>,
    /// New-media accounts.
    pub accounts: Vec<Account>,
    /// Rows of the 主动公开事项目录 that must be visible on a site.
    pub disclosures: Vec<Disclosure>,
    /// When the service runs its jobs (extension; the defaults when absent).
    pub schedule: Timetable,
    /// Where the service sends its alerts (extension; none when absent).
    #[serde(default)]
    pub alerts: AlertSetup,
    /// `[platforms.<name>]`: endpoint bases and cookies of platforms (extension; defaults when
    /// absent).
    #[serde(default)]
    pub platforms: Vec<PlatformSetup>,
    /// `[[relay]]`: important items the sites and accounts must carry (重要信息转发; extension;
    /// none when absent).
    #[serde(default)]
    pub relays: Vec<Relay>,
}

/// `[district]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct District {
    /// Appears in report titles, e.g. 青岛市崂山区.
    pub name: String,
    /// The issuing office of the 通报.
    pub office: String,
    /// Selects provincial rule overrides.
    pub province: Option<String>,
    /// The rule pack the district is judged by (extension; relative to the seeds file; default the
    /// bundled national pack). `--rules` takes precedence.
    #[serde(default)]
    pub rules: Option<PathBuf>,
    /// Provincial or district overrides layered on the pack, in order (extension; relative to the
    /// seeds file); `--rules-override` files are applied after them.
    #[serde(default)]
    pub rules_override: Vec<PathBuf>,
    /// Working days the units are given to rectify, counted from the date of issue by the bundled
    /// calendar (extension; default [`DEFAULT_DEADLINE_WORKDAYS`]).
    #[serde(default)]
    pub deadline_workdays: Option<u32>,
    /// The 文号 printed under the 通报's title (extension), e.g. 崂政办字〔2025〕12号.
    #[serde(default)]
    pub doc_number: Option<String>,
    /// The 联系人 printed after the signature (extension).
    #[serde(default)]
    pub contact: Option<String>,
    /// The 联系电话 printed after the signature (extension).
    #[serde(default)]
    pub phone: Option<String>,
    /// The 抄送 organs printed at the end of the 通报 (extension).
    #[serde(default)]
    pub cc: Vec<String>,
}

/// Working days given to rectify when the seeds do not say (observed 8-11 days in real 通报;
/// 10 working days is the common form of 限期整改).
pub const DEFAULT_DEADLINE_WORKDAYS: u32 = 10;

/// `[defaults]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Defaults {
    /// Requests per second per host.
    pub rate_per_host: f64,
    /// Seconds before a visit counts as failed (the national rule: 15).
    pub timeout_s: f64,
    /// Whether robots.txt is honoured.
    pub respect_robots: bool,
    /// Pages per site at most (extension; default 300,000: a district portal runs to 150,000).
    pub max_pages: u64,
    /// Link depth from the homepage at most (extension; default 12).
    pub max_depth: u32,
    /// Seconds per site at most (extension; default 4 hours).
    pub max_site_seconds: u64,
    /// Outside addresses the inspector fetches at the start of every crawl to check its own way
    /// out (extension; e.g. `https://www.gov.cn/`): when none answers, the run is degraded
    /// (检查端网络异常) however few sites it has.
    #[serde(default)]
    pub reference_urls: Vec<String>,
    /// Requests a crawl may send each host at most (extension; none: `rate_per_host` ×
    /// `max_site_seconds`). Every site on a shared host (集约化 platforms) draws on the same count;
    /// what is left when it runs out is not fetched (and never evidence).
    #[serde(default)]
    pub daily_requests_per_host: Option<u64>,
    /// Days within which a link that answered is not checked again (extension; default 7): an
    /// incremental crawl re-checks about a seventh of the known good links each night, every
    /// failed one, and any not checked for this long.
    #[serde(default = "default_recheck_days")]
    pub recheck_days: u32,
    /// Internal address ranges outside links may be fetched in (extension; e.g. the district's
    /// 政务外网 `["10.20.0.0/16"]`). Hosts the seeds name are fetched whatever they resolve to;
    /// any other link to a loopback, private, link-local or metadata address is not fetched and
    /// is reported as not checked.
    #[serde(default)]
    pub allow_networks: Vec<ipnet::IpNet>,
}

fn default_recheck_days() -> u32 {
    7
}

impl Defaults {
    /// The request budget per host of one crawl: `daily_requests_per_host`, else what the rate
    /// allows in `max_site_seconds`.
    pub fn requests_per_host(&self) -> u64 {
        self.daily_requests_per_host
            .unwrap_or_else(|| (self.rate_per_host * self.max_site_seconds as f64).ceil() as u64)
            .max(1)
    }
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            rate_per_host: 1.0,
            timeout_s: 15.0,
            respect_robots: true,
            max_pages: 300_000,
            max_depth: 12,
            max_site_seconds: 4 * 3600,
            reference_urls: Vec::new(),
            daily_requests_per_host: None,
            recheck_days: default_recheck_days(),
            allow_networks: Vec::new(),
        }
    }
}

/// `[schedule]` (extension): when `xunjian serve` runs each job, as cron expressions of the `cron`
/// crate (seconds minutes hours day-of-month month day-of-week [year]) in China time (UTC+8). The
/// defaults satisfy the national rules: 站点无法访问 is judged on at least 20 visits a day, and
/// 首页/栏目不更新 on the weeks before the check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timetable {
    /// One homepage visit per site (default every 30 minutes: 48 a day).
    pub probe: String,
    /// The incremental crawl of every site and account (so each feed is read daily) and its
    /// judgement as of that day (default nightly at 01:00).
    pub crawl: String,
    /// The quarterly inspection, as of the last day of the quarter just ended, with its 通报 and
    /// notices (default 03:00 on the first day of each quarter).
    pub inspect: String,
    /// Days of runs and probes kept in the database (default 1100, about three years).
    pub keep_days: u32,
}

impl Default for Timetable {
    fn default() -> Self {
        Timetable {
            probe: "0 0/30 * * * *".into(),
            crawl: "0 0 1 * * *".into(),
            inspect: "0 0 3 1 1,4,7,10 *".into(),
            keep_days: 1100,
        }
    }
}

/// `[alerts]` (extension): where `xunjian serve` sends its alerts (告警) and early warnings (预警).
/// Secrets are never written here: a signing secret or an SMTP password is named by the
/// environment variable that holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertSetup {
    /// `[[alerts.webhook]]`: group robots.
    pub webhooks: Vec<Webhook>,
    /// `[alerts.email]`: mail over SMTP.
    pub email: Option<EmailSetup>,
}

impl AlertSetup {
    /// Whether any channel is configured.
    pub fn is_empty(&self) -> bool {
        self.webhooks.is_empty() && self.email.is_none()
    }
}

/// A group robot's webhook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Webhook {
    /// Whose robot: its message shape.
    pub kind: WebhookKind,
    /// The robot's address (it carries the robot's key).
    pub url: String,
    /// The environment variable holding the robot's signing secret (钉钉 加签, 飞书 签名校验).
    pub secret_env: Option<String>,
}

/// The group-robot platforms Chinese offices use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookKind {
    /// 企业微信 群机器人.
    Wecom,
    /// 钉钉 自定义机器人.
    Dingtalk,
    /// 飞书 自定义机器人.
    Feishu,
}

impl WebhookKind {
    /// The name in the seeds file.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookKind::Wecom => "wecom",
            WebhookKind::Dingtalk => "dingtalk",
            WebhookKind::Feishu => "feishu",
        }
    }
}

/// Mail over SMTP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailSetup {
    /// The SMTP server's host name.
    pub server: String,
    /// Its port (default 465 with `tls`, 587 with `starttls`, 25 with `none`).
    pub port: u16,
    /// How the connection is secured.
    pub security: SmtpSecurity,
    /// The sender, e.g. `巡检 <xunjian@example.gov.cn>`.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
    /// The login, when the server wants one.
    pub user: Option<String>,
    /// The environment variable holding the password.
    pub password_env: Option<String>,
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// TLS from the first byte (port 465).
    Tls,
    /// STARTTLS after connecting (port 587).
    Starttls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

/// `[[unit]]`: a 责任单位.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// Short id, referenced by sites, accounts and disclosures.
    pub id: String,
    /// Full name, e.g. 崂山区人民政府办公室.
    pub name: String,
}

/// The kind of a website.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteKind {
    /// 政府门户网站.
    Portal,
    /// 部门网站.
    Department,
    /// 街道/乡镇网站.
    Street,
    /// Anything else.
    Other,
}

/// `[[site]]`: a government website.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Short id.
    pub id: String,
    /// The site's name.
    pub name: String,
    /// The responsible unit's id.
    pub unit: String,
    /// The homepage.
    pub url: String,
    /// Portal, department, street or other.
    pub kind: SiteKind,
    /// Columns registered by hand; the rest are discovered.
    pub columns: Vec<SeedColumn>,
    /// Per-site rate override (requests per second).
    pub rate_per_host: Option<f64>,
}

/// `[[site.column]]`: a column registered by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedColumn {
    /// The column's name (栏目名称).
    pub name: String,
    /// Its list page.
    pub url: String,
    /// Its class; default from the name.
    pub class: Option<ColumnClass>,
}

/// The platform of a new-media account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// 微信公众号.
    Wechat,
    /// 微博.
    Weibo,
    /// 抖音.
    Douyin,
    /// 今日头条.
    Toutiao,
    /// 快手.
    Kuaishou,
    /// 哔哩哔哩 (extension).
    Bilibili,
    /// Anything else.
    Other,
}

impl Platform {
    /// The Chinese name used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Platform::Wechat => "微信",
            Platform::Weibo => "微博",
            Platform::Douyin => "抖音",
            Platform::Toutiao => "今日头条",
            Platform::Kuaishou => "快手",
            Platform::Bilibili => "哔哩哔哩",
            Platform::Other => "其他",
        }
    }

    /// The name used in the seeds file.
    pub fn key(self) -> &'static str {
        match self {
            Platform::Wechat => "wechat",
            Platform::Weibo => "weibo",
            Platform::Douyin => "douyin",
            Platform::Toutiao => "toutiao",
            Platform::Kuaishou => "kuaishou",
            Platform::Bilibili => "bilibili",
            Platform::Other => "other",
        }
    }

    /// Where the platform's own list of an account's posts is read without signing, when it has
    /// one: its default base, and the path and query after it with `{uid}` for the account's id
    /// (the project's new-media notes, section 1 and 3). Weibo's `m.weibo.cn` getIndex with the
    /// posts container `107603<uid>`; Bilibili's space dynamics.
    fn list_endpoint_template(self) -> Option<(&'static str, &'static str)> {
        match self {
            Platform::Weibo => Some((
                "https://m.weibo.cn",
                "/api/container/getIndex?type=uid&value={uid}&containerid=107603{uid}",
            )),
            Platform::Bilibili => Some((
                "https://api.bilibili.com",
                "/x/polymer/web-dynamic/v1/feed/space?host_mid={uid}&timezone_offset=-480&features=itemOpusStyle",
            )),
            _ => None,
        }
    }

    /// The platform's default endpoint base, when it has a list xunjian reads by `uid`.
    pub fn default_base(self) -> Option<&'static str> {
        self.list_endpoint_template().map(|(base, _)| base)
    }

    /// The URL of account `uid`'s list under `base` (no trailing slash needed), when the platform
    /// has one.
    pub fn list_endpoint(self, base: &str, uid: &str) -> Option<String> {
        let (_, path) = self.list_endpoint_template()?;
        Some(format!(
            "{}{}",
            base.trim_end_matches('/'),
            path.replace("{uid}", uid)
        ))
    }
}

/// `[platforms.<name>]` (extension): where a platform's endpoint is read for accounts given by
/// `uid`, and the cookies it needs. Cookies come from the operator's environment, named here,
/// never from a browser or from the seeds file; they are sent only to the base's host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformSetup {
    /// The platform.
    pub platform: Platform,
    /// The endpoint base, e.g. `https://m.weibo.cn` (a loopback server in tests).
    pub base: String,
    /// The environment variable that holds the `Cookie` header for the base's host.
    pub cookie_env: Option<String>,
}

/// `[[account]]`: an official new-media account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Short id.
    pub id: String,
    /// The account's name.
    pub name: String,
    /// The responsible unit's id.
    pub unit: String,
    /// The platform.
    pub platform: Platform,
    /// What is read for its posts: an RSS 2.0, Atom or JSON Feed, or the platform's own list
    /// endpoint on any host (extension: Weibo getIndex, Bilibili dynamics, a WeChat article, album
    /// or homepage list). Resolved from `uid` at load when the account gives that instead; none
    /// for an account no reader can reach (Douyin, Toutiao, Kuaishou without a feed), which a
    /// person checks (需人工核验).
    #[serde(default)]
    pub feed: Option<String>,
    /// The account's id on its platform (extension; Weibo and Bilibili), read from
    /// [`Platform::list_endpoint`] under the `[platforms.<name>]` base.
    #[serde(default)]
    pub uid: Option<String>,
}

/// `[[relay]]`: an important item the district or city published that sites and accounts must
/// carry (重要信息转发, a 工作要点 demand), found by its title on their lists and posts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relay {
    /// Short id.
    pub id: String,
    /// What it is, for people.
    pub name: String,
    /// A regex a list item's or post's title must match (validated at load).
    pub r#match: String,
    /// The day it was published by the district or city.
    pub published: chrono::NaiveDate,
    /// Within how many days of that a target must carry it.
    pub within_days: u32,
    /// Which kinds of target must carry it: site kinds (`portal`, `department`, `street`,
    /// `other`) and `account`.
    pub kinds: Vec<String>,
}

impl Relay {
    /// The kinds of target `kinds` may name.
    pub const KINDS: [&'static str; 5] = ["portal", "department", "street", "other", "account"];

    /// The last day it may be carried on and still be in time.
    pub fn due(&self) -> chrono::NaiveDate {
        self.published + chrono::Days::new(u64::from(self.within_days))
    }

    /// Whether a site of `kind` must carry it.
    pub fn for_site(&self, kind: SiteKind) -> bool {
        let name = match kind {
            SiteKind::Portal => "portal",
            SiteKind::Department => "department",
            SiteKind::Street => "street",
            SiteKind::Other => "other",
        };
        self.kinds.iter().any(|k| k == name)
    }

    /// Whether accounts must carry it.
    pub fn for_accounts(&self) -> bool {
        self.kinds.iter().any(|k| k == "account")
    }
}

/// `[[disclosure]]`: a row of the 主动公开事项目录.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disclosure {
    /// Short id.
    pub id: String,
    /// The responsible unit's id.
    pub unit: String,
    /// The site it must appear on.
    pub site: String,
    /// What must be disclosed.
    pub name: String,
    /// The column (name or URL) where it must appear.
    pub column: String,
    /// A regex an item title must match (validated at load).
    pub r#match: String,
    /// Must be published on or before this date.
    pub due: Option<chrono::NaiveDate>,
    /// The newest matching item must be at most this old (0 = no limit).
    pub max_age_days: u32,
    /// A recurring deadline or presence-only rule (`every`, `within_workdays`, `must_exist`).
    #[serde(default)]
    pub schedule: Schedule,
}

/// How a `[[disclosure]]` row is judged beyond "an item matches" (contracts.md section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// Judged by `due` and `max_age_days` only (presence alone when neither is given).
    #[default]
    Fixed,
    /// `every = "year"` with `due_month` + `due_day`: the item for the year before the as-of year
    /// must be published on or before that day of the as-of year (e.g. 部门年报 by 01-31). `{year}`
    /// in `match` stands for that previous year.
    Yearly {
        /// 1–12.
        month: u32,
        /// A valid day of `month` (in a common year).
        day: u32,
    },
    /// `within_workdays = N`: the newest matching item is at most N Chinese working days old
    /// (refreshed items such as 双公示).
    WithinWorkdays {
        /// N (at least 1).
        workdays: u32,
    },
    /// `must_exist = true`: presence only (公开指南, 机构职能, 权责清单 …).
    MustExist,
}

impl Disclosure {
    /// The regex for an as-of year: `{year}` replaced by the previous year for a yearly row.
    pub fn pattern_for(&self, as_of_year: i32) -> String {
        match self.schedule {
            Schedule::Yearly { .. } => self
                .r#match
                .replace("{year}", &(as_of_year - 1).to_string()),
            _ => self.r#match.clone(),
        }
    }
}

/// A bad seeds file: where, which key, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: key `{key}`: {message}", file.display())]
pub struct SeedsError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The dotted key, e.g. `site[2].unit`.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl Seeds {
    /// Read, parse and validate a seeds file.
    pub fn load(path: &Path) -> Result<Seeds, SeedsError> {
        let text = std::fs::read_to_string(path).map_err(|e| SeedsError {
            file: path.to_path_buf(),
            line: 1,
            column: 1,
            key: "(file)".into(),
            message: format!("cannot read: {e}"),
        })?;
        Seeds::parse(path, &text)
    }

    /// Parse and validate seeds text; `path` is only used in error messages.
    ///
    /// The first problem found is returned as one [`SeedsError`] pointing at the offending key (an
    /// unknown key), value (a wrong type, an invalid value, a duplicate id, an unknown unit or site,
    /// a bad URL, regex or date) or table header (a missing required key), or at the position
    /// `toml` gives for a syntax error (key `(syntax)`).
    pub fn parse(path: &Path, text: &str) -> Result<Seeds, SeedsError> {
        parse::parse(path, text)
    }

    /// Who must fix `finding` on `target`: the unit of the disclosure row for a disclosure finding
    /// (the 主动公开事项目录 names who must publish it, which need not be who runs the site), else the
    /// target's unit.
    pub fn finding_unit<'a>(
        &'a self,
        target: &'a crate::TargetReport,
        finding: &crate::Finding,
    ) -> &'a str {
        use crate::Finding;
        match finding {
            Finding::DisclosureMissing { item, .. } | Finding::DisclosureLate { item, .. } => self
                .disclosures
                .iter()
                .find(|d| &d.id == item)
                .map_or(target.unit.as_str(), |d| d.unit.as_str()),
            _ => target.unit.as_str(),
        }
    }

    /// The unit with this id.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }

    /// The site with this id.
    pub fn site(&self, id: &str) -> Option<&Site> {
        self.sites.iter().find(|s| s.id == id)
    }
}
