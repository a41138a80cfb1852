//! Observations: what the crawler saw, as stored and as the analyzer reads it.
//!
//! Nothing here is a judgement. A fetch that failed says how it failed; a page says what lists, dates and
//! marks it carries. Whether that makes a column stale or a link broken is the analyzer's business.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a fetch produced no HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailKind {
    /// No complete answer within the timeout.
    Timeout,
    /// The host name did not resolve.
    Dns,
    /// Connection refused, reset or unreachable.
    Connect,
    /// TLS handshake or certificate failure.
    Tls,
    /// Too many redirects or a redirect cycle.
    RedirectLoop,
    /// The body exceeded the size cap.
    TooLarge,
    /// robots.txt forbids the URL: it was not fetched.
    Disallowed,
    /// The crawl budget ran out before the URL was fetched.
    Skipped,
    /// Anything else (malformed response, unsupported scheme…).
    Other,
    /// The address is internal (loopback, private, link-local, metadata) and neither its host nor
    /// its range is in the seeds: not fetched, so never evidence either way.
    Internal,
    /// An answer came, but not in a format the reader knows (an account's answer that is neither
    /// a feed nor a platform list nor a known block page).
    Format,
}

impl FailKind {
    /// The snake_case name, as stored and as used in finding reasons.
    pub fn as_str(self) -> &'static str {
        match self {
            FailKind::Timeout => "timeout",
            FailKind::Dns => "dns",
            FailKind::Connect => "connect",
            FailKind::Tls => "tls",
            FailKind::RedirectLoop => "redirect_loop",
            FailKind::TooLarge => "too_large",
            FailKind::Disallowed => "disallowed",
            FailKind::Skipped => "skipped",
            FailKind::Other => "other",
            FailKind::Format => "format",
            FailKind::Internal => "internal_address",
        }
    }

    /// What the documents say (域名无法解析, 无法连接, 访问超时…).
    pub fn label_zh(self) -> &'static str {
        match self {
            FailKind::Timeout => "访问超时",
            FailKind::Dns => "域名无法解析",
            FailKind::Connect => "无法连接",
            FailKind::Tls => "证书或加密连接错误",
            FailKind::RedirectLoop => "重定向循环",
            FailKind::TooLarge => "内容过大",
            FailKind::Disallowed => "robots协议禁止访问",
            FailKind::Skipped => "超出抓取预算未访问",
            FailKind::Other => "访问出错",
            FailKind::Format => "无法识别的信息源格式",
            FailKind::Internal => "指向内部网络地址，未访问",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<FailKind> {
        Some(match s {
            "timeout" => FailKind::Timeout,
            "dns" => FailKind::Dns,
            "connect" => FailKind::Connect,
            "tls" => FailKind::Tls,
            "redirect_loop" => FailKind::RedirectLoop,
            "too_large" => FailKind::TooLarge,
            "disallowed" => FailKind::Disallowed,
            "skipped" => FailKind::Skipped,
            "other" => FailKind::Other,
            "format" => FailKind::Format,
            "internal_address" => FailKind::Internal,
            _ => return None,
        })
    }
}

/// Signs that an answer is an anti-bot wall rather than the page (blocked is not broken).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// 401/403/429/451, a 503 that says when to come back (Retry-After), or a WAF status page.
    Forbidden,
    /// A tiny script-only shell page or a cookie challenge that never settles.
    Challenge,
    /// A captcha page (验证码).
    Captcha,
    /// The platform answers that it needs a logged-in session or fresh cookies (需登录).
    LoginRequired,
}

/// Why a URL was fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// A page of the site, fetched with GET and parsed.
    Page,
    /// A link target checked for availability only (outside links, images, attachments).
    Check,
    /// The site's 404 probe: a path that cannot exist, to learn the site's "not found" answer.
    NotFoundProbe,
    /// An account's feed.
    Feed,
}

impl Purpose {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Page => "page",
            Purpose::Check => "check",
            Purpose::NotFoundProbe => "probe404",
            Purpose::Feed => "feed",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<Purpose> {
        Some(match s {
            "page" => Purpose::Page,
            "check" => Purpose::Check,
            "probe404" => Purpose::NotFoundProbe,
            "feed" => Purpose::Feed,
            _ => return None,
        })
    }
}

/// One fetch of one URL, however it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchRecord {
    /// The URL asked for, normalized.
    pub url: String,
    /// Where the redirects ended.
    pub final_url: String,
    /// Each URL visited after `url`, in order (the last is `final_url`).
    pub redirects: Vec<String>,
    /// The final HTTP status, if an answer came.
    pub status: Option<u16>,
    /// Why no answer came.
    pub error: Option<FailKind>,
    /// Whether the answer looks like an anti-bot wall.
    pub blocked: Option<BlockKind>,
    /// Wall time of the last attempt, milliseconds.
    pub elapsed_ms: u64,
    /// Attempts made (retries included).
    pub attempts: u32,
    /// Body bytes received.
    pub bytes: u64,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The charset the body was decoded with (HTML only).
    pub charset: Option<String>,
    /// SHA-256 of the body, hex, first 16 bytes.
    pub content_hash: Option<String>,
    /// When the fetch finished (RFC 3339, UTC).
    pub fetched_at: String,
    /// The answer's `ETag`, for a conditional request next time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The answer's `Last-Modified`, for a conditional request next time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl FetchRecord {
    /// Whether the fetch ended in a 2xx answer.
    pub fn is_success(&self) -> bool {
        matches!(self.status, Some(s) if (200..300).contains(&s)) && self.error.is_none()
    }

    /// Whether what the answer shows can be evidence: a 2xx that is not an anti-bot wall.
    pub fn is_readable(&self) -> bool {
        self.is_success() && self.blocked.is_none()
    }
}

/// What kind of page a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// A column's list page (栏目列表页).
    List,
    /// An article (详情页).
    Detail,
    /// Anything else (homepage, navigation page, static page).
    Other,
}

/// What the list region of a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListState {
    /// List items were found.
    Items,
    /// A list region with no items, or a placeholder (暂无信息, 暂无数据, 没有记录, 正在建设中).
    Empty,
    /// The list is rendered by client-side script: the static page cannot say (inconclusive).
    NeedsRender,
    /// No list region at all.
    None,
}

/// Where a list item's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The date shown beside the item on the list page.
    List,
    /// A date in the item's URL (`t20250610_`, `/202506/`, `art/2025/6/10/`).
    Url,
    /// The detail page's `PubDate`-style meta.
    Meta,
    /// The detail page's visible `发布时间：` text.
    Text,
    /// No date.
    None,
}

/// One item of a column's list (信息条目).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListItem {
    /// The item's title (anchor text or `title` attribute).
    pub title: String,
    /// The absolute URL of the item.
    pub url: String,
    /// The item's date, if one could be established.
    pub date: Option<NaiveDate>,
    /// Where the date came from.
    pub date_source: DateSource,
    /// For a message in a 留言/信箱 list: whether its row says it was answered, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
}

/// A message's reply status as its list row shows it (已回复 / 未回复, 答复时间).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// Whether the row says the message was answered (已回复, 已办结…) rather than pending
    /// (未回复, 办理中…).
    pub answered: bool,
    /// The reply date, when the row shows a second date.
    pub date: Option<NaiveDate>,
}

/// The HTML element a link was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkElement {
    /// `<a href>`.
    A,
    /// `<area href>`.
    Area,
    /// `<iframe src>` / `<frame src>`.
    Frame,
    /// `<img src>`.
    Img,
    /// `<script src>`.
    Script,
    /// `<link href>`.
    Link,
    /// `<embed src>` / `<object data>`.
    Embed,
    /// `<meta http-equiv=refresh>`.
    Refresh,
    /// A page computed from TRS `createPageHTML` pagination.
    Pagination,
    /// A data endpoint a script loads the page's list from (jpage `dataproxy.jsp`, a JSON API).
    Data,
}

impl LinkElement {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkElement::A => "a",
            LinkElement::Area => "area",
            LinkElement::Frame => "frame",
            LinkElement::Img => "img",
            LinkElement::Script => "script",
            LinkElement::Link => "link",
            LinkElement::Embed => "embed",
            LinkElement::Refresh => "refresh",
            LinkElement::Pagination => "pagination",
            LinkElement::Data => "data",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<LinkElement> {
        Some(match s {
            "a" => LinkElement::A,
            "area" => LinkElement::Area,
            "frame" => LinkElement::Frame,
            "img" => LinkElement::Img,
            "script" => LinkElement::Script,
            "link" => LinkElement::Link,
            "embed" => LinkElement::Embed,
            "refresh" => LinkElement::Refresh,
            "pagination" => LinkElement::Pagination,
            "data" => LinkElement::Data,
            _ => return None,
        })
    }

    /// Whether the target is a page to crawl (rather than a resource to check).
    pub fn leads_to_page(self) -> bool {
        matches!(
            self,
            LinkElement::A
                | LinkElement::Area
                | LinkElement::Frame
                | LinkElement::Refresh
                | LinkElement::Pagination
                | LinkElement::Data
        )
    }
}

/// One link on a page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Link {
    /// The absolute, normalized target (fragment removed).
    pub target: String,
    /// The anchor text (or `alt`/`title`), whitespace collapsed.
    pub anchor: String,
    /// The element it was found in.
    pub element: LinkElement,
    /// Whether it sits in the page's navigation (导航: `<nav>`, or a block whose id/class names a nav/menu).
    pub nav: bool,
}

/// Anchors of a list's pager (下一页, 尾页…; page numbers are recognised apart).
const PAGER_WORDS: &[&str] = &[
    "下一页",
    "上一页",
    "下页",
    "上页",
    "尾页",
    "末页",
    "最后一页",
    "前一页",
    "后一页",
    "下一頁",
    "上一頁",
    ">",
    "<",
    ">>",
    "<<",
    "»",
    "«",
];

impl Link {
    /// Whether a reader clicks it: an `<a href>` or `<area href>` (not an image, script or frame).
    pub fn is_anchor(&self) -> bool {
        matches!(self.element, LinkElement::A | LinkElement::Area)
    }

    /// Whether it leads from the list page `page` to another page of the same list: a
    /// [`LinkElement::Pagination`] link (TRS `createPageHTML`), or an anchor of the page's pager (a
    /// pager word, 第N页 or a page number) to a page in the same directory
    /// (`/tzgg/index_2.html` from `/tzgg/index.html`). The crawler fetches such pages at the
    /// column's depth; the analyzer reads a column's items across them.
    pub fn continues_list(&self, page: &str) -> bool {
        if self.element == LinkElement::Pagination {
            return true;
        }
        let anchor = self.anchor.trim();
        let numbered =
            !anchor.is_empty() && anchor.len() <= 4 && anchor.chars().all(|c| c.is_ascii_digit());
        let worded =
            PAGER_WORDS.contains(&anchor) || (anchor.starts_with('第') && anchor.ends_with('页'));
        if self.element != LinkElement::A || !(numbered || worded) {
            return false;
        }
        let dir = |u: &str| {
            u.split(['?', '#'])
                .next()
                .and_then(|p| p.rsplit_once('/'))
                .map(|(d, _)| d.to_string())
        };
        dir(&self.target).is_some() && dir(&self.target) == dir(page)
    }
}

/// Province abbreviations that prefix ICP and 公安备案 numbers (鲁ICP备…, 鲁公网安备…).
pub const PROVINCE_ABBRS: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// The footer marks seen on a page, as found (the analyzer decides what is missing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MarksSeen {
    /// 网站标识码 value (from the footer text, else `<meta name="SiteIDCode">`).
    pub site_code: Option<String>,
    /// The `<meta name="SiteIDCode">` value, kept apart to compare with the footer's.
    #[serde(default)]
    pub site_code_meta: Option<String>,
    /// The ICP number text as shown (`鲁ICP备05000000号`), whitespace removed; its format is the
    /// analyzer's business.
    pub icp: Option<String>,
    /// The 公安备案 number text as shown (`鲁公网安备 37021202000000号`).
    pub police: Option<String>,
    /// A 党政机关网站标识 (a link to conac.cn or its badge image).
    pub badge: bool,
    /// Where the badge image links to (`Some("")` when the image is not a link); `None` when the
    /// badge is a link to conac.cn or drawn by conac's script.
    #[serde(default)]
    pub badge_target: Option<String>,
    /// The 主办单位 text.
    pub sponsor: Option<String>,
    /// A contact (联系电话, 联系我们, 电子邮箱…).
    pub contact: bool,
    /// A "我为政府网站找错" entrance.
    pub error_report: bool,
}

/// What extraction found in one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageFacts {
    /// The `<title>`.
    pub title: Option<String>,
    /// The page kind.
    pub kind: PageKind,
    /// The page's own publication date (detail pages).
    pub published: Option<NaiveDate>,
    /// Where `published` came from: a `<meta>`/JSON-LD tag (`meta`), the visible page
    /// (`text`: 发布时间：, a byline, a `<time>`), or the URL (`url`).
    #[serde(default)]
    pub published_source: Option<DateSource>,
    /// `<meta name="ColumnName">`.
    pub column_name: Option<String>,
    /// The targets of the page's breadcrumb (当前位置：首页 > … > 栏目), in order.
    #[serde(default)]
    pub breadcrumb: Vec<String>,
    /// What the list region holds.
    pub list: ListState,
    /// The list items, in page order.
    pub items: Vec<ListItem>,
    /// The footer marks (shared: every page of a site carries the same footer, and equal marks
    /// read back from the store are one value).
    pub marks: Arc<MarksSeen>,
    /// Whether the page says it is a "page not found" (页面不存在…).
    pub says_not_found: bool,
    /// A fingerprint of the visible text with ASCII runs removed, to compare with the site's 404 probe.
    pub fingerprint: String,
    /// Content problems seen in the page (privacy leaks, wording errors, hidden or bad outside links).
    #[serde(default)]
    pub content: ContentFacts,
    /// The accounts a 政务新媒体矩阵 page lists (`None`: the page is not one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<Vec<MatrixEntry>>,
}

/// One account a 政务新媒体矩阵 page lists: its caption and, where the page says it, its platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixEntry {
    /// The caption (账号名称, as the page writes it).
    pub name: String,
    /// The platform the page puts it under or names (`None`: the page does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<crate::seeds::Platform>,
}

impl PageFacts {
    /// The facts of a page in which nothing was found yet: no title, date, column name, items,
    /// marks or content problems (the extractor and tests fill in what they find).
    pub fn new(kind: PageKind, list: ListState) -> PageFacts {
        PageFacts {
            title: None,
            kind,
            published: None,
            published_source: None,
            column_name: None,
            breadcrumb: Vec::new(),
            list,
            items: Vec::new(),
            marks: Arc::default(),
            says_not_found: false,
            fingerprint: String::new(),
            content: ContentFacts::default(),
            matrix: None,
        }
    }
}

/// Which kind of personal number a page shows in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyKind {
    /// A mainland resident ID number (居民身份证号码).
    IdCard,
    /// A mobile phone number (手机号码).
    Mobile,
    /// A bank card number (银行卡号).
    BankCard,
}

impl PrivacyKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PrivacyKind::IdCard => "id_card",
            PrivacyKind::Mobile => "mobile",
            PrivacyKind::BankCard => "bank_card",
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            PrivacyKind::IdCard => "身份证号码",
            PrivacyKind::Mobile => "手机号码",
            PrivacyKind::BankCard => "银行卡号",
        }
    }
}

/// A personal number shown in full in the visible text. Only masked forms are kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PrivacyHit {
    /// What kind of number.
    pub kind: PrivacyKind,
    /// The number masked (`3702**********123X`, `138****5678`).
    pub masked: String,
    /// About 20 characters around it, every number in it masked.
    pub context: String,
}

/// A known wrong variant of a canonical formulation (严重表述错误) in the visible text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WordingHit {
    /// The wrong text as found.
    pub wrong: String,
    /// The canonical formulation.
    pub correct: String,
    /// About 20 characters around it.
    pub context: String,
}

/// A link to an outside domain inside an element hidden by inline CSS (暗链).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HiddenLink {
    /// The link target.
    pub target: String,
    /// How it is hidden (`display:none`, `font-size:0`…).
    pub how: String,
}

/// An outside link whose anchor names gambling or adult content.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BadLink {
    /// The link target.
    pub target: String,
    /// The keyword found in the anchor.
    pub keyword: String,
}

/// Content problems seen in one page, as found (the analyzer turns them into findings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentFacts {
    /// Personal numbers shown in full (masked here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privacy: Vec<PrivacyHit>,
    /// Wrong variants of canonical formulations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wording: Vec<WordingHit>,
    /// Outside links hidden by inline CSS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_links: Vec<HiddenLink>,
    /// Outside links whose anchor names gambling or adult content.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bad_links: Vec<BadLink>,
}

impl ContentFacts {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.privacy.is_empty()
            && self.wording.is_empty()
            && self.hidden_links.is_empty()
            && self.bad_links.is_empty()
    }
}

/// A post of a new-media account, from its feed or its platform's list.
///
/// A post counts by its own creation time, wherever the list puts it: a pinned (置顶) post at the
/// top of a list is as old as it is, never "the newest" because it comes first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// Title (or the first words of the content).
    pub title: String,
    /// Link to the post, if any.
    pub url: Option<String>,
    /// Publication (or update) date, in China time.
    pub date: Option<NaiveDate>,
    /// The platform's id of the post (Weibo `bid`, Bilibili `id_str`, a feed entry's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When it was posted, RFC 3339 in China time, when the answer gives more than a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// What the platform marks it as: pinned, a repost, deleted.
    #[serde(default, skip_serializing_if = "PostFlags::is_plain")]
    pub flags: PostFlags,
}

/// What a platform marks a post as. A pinned post still counts by its own time; a deleted one
/// never counts; whether a repost (转发) counts is the rule pack's choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostFlags {
    /// Pinned to the top of the list (置顶).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
    /// A repost of another post (转发).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repost: bool,
    /// Deleted by its author or removed by the platform.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

impl PostFlags {
    const PINNED: i64 = 1;
    const REPOST: i64 = 2;
    const DELETED: i64 = 4;

    /// No flag set.
    pub fn is_plain(&self) -> bool {
        *self == PostFlags::default()
    }

    /// The flags as the store keeps them: a bit each.
    pub fn bits(self) -> i64 {
        (if self.pinned { Self::PINNED } else { 0 })
            | (if self.repost { Self::REPOST } else { 0 })
            | (if self.deleted { Self::DELETED } else { 0 })
    }

    /// The flags of stored [`PostFlags::bits`].
    pub fn from_bits(bits: i64) -> PostFlags {
        PostFlags {
            pinned: bits & Self::PINNED != 0,
            repost: bits & Self::REPOST != 0,
            deleted: bits & Self::DELETED != 0,
        }
    }

    /// The flags in Chinese, for people: 置顶, 转发, 已删除.
    pub fn labels_zh(self) -> Vec<&'static str> {
        [
            (self.pinned, "置顶"),
            (self.repost, "转发"),
            (self.deleted, "已删除"),
        ]
        .into_iter()
        .filter_map(|(on, l)| on.then_some(l))
        .collect()
    }
}

/// 人工核验: what a person of the office saw on an account no reader reaches (or whose answer was
/// blocked): its newest post and when they looked. Imported from a CSV or entered in the
/// dashboard; the analyzer decides whether it is evidence for a time point (see
/// `xunjian_analyzer::accounts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualCheck {
    /// The account id from the seeds.
    pub account: String,
    /// The date of the newest post the person saw (China time).
    pub last_post: NaiveDate,
    /// Its time, RFC 3339 in China time, when the person gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_post_at: Option<String>,
    /// Where the post is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_url: Option<String>,
    /// Who looked.
    pub checked_by: String,
    /// When they looked, RFC 3339 in China time.
    pub checked_at: String,
    /// Where the record came from: `FILE:LINE` of the CSV, or `dashboard`.
    pub source: String,
}

impl ManualCheck {
    /// The day the person looked (China time).
    pub fn checked_on(&self) -> Option<NaiveDate> {
        crate::clock::china_date_of(&self.checked_at)
    }
}

/// One visit of a site's homepage, for the unreachability rule (站点无法访问: 1 week, ≥ 20 a day).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeRecord {
    /// The site's id.
    pub site: String,
    /// The URL visited.
    pub url: String,
    /// When (RFC 3339, UTC).
    pub probed_at: String,
    /// Whether the page opened within the timeout.
    pub ok: bool,
    /// How long it took, milliseconds.
    pub elapsed_ms: u64,
    /// Why it failed (`timeout`, `connect`, `http_503`…).
    pub reason: Option<String>,
}

/// One day of a site's homepage probes (China time): what the availability table and chart show,
/// and what 站点无法访问 is judged on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayAvailability {
    /// The day.
    pub day: NaiveDate,
    /// Visits that were judged (blocked ones excluded).
    pub probes: usize,
    /// Of them, the failed ones.
    pub failures: usize,
    /// Visits stopped by an anti-bot wall (neither success nor failure).
    pub blocked: usize,
    /// The median time of the successful visits, milliseconds.
    pub median_ms: Option<u64>,
    /// The slowest successful visit, milliseconds.
    pub max_ms: Option<u64>,
}

/// Everything the crawler reports, in the order it saw it; the store persists each as it comes.
// Each value is moved through a channel once; boxing the large variant would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Observation {
    /// A URL was fetched (or given up on) for a site.
    Fetched {
        /// The site's id.
        target: String,
        /// Link depth from the homepage.
        depth: u32,
        /// Why it was fetched.
        purpose: Purpose,
        /// How the fetch went.
        fetch: FetchRecord,
        /// What the page holds, when it was HTML.
        facts: Option<PageFacts>,
        /// The links on the page.
        links: Vec<Link>,
        /// On a recrawl, the stored page version this fetch found unchanged (a 304, or the same
        /// body): the page holds that version's facts and links, which are not sent again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unchanged: Option<i64>,
    },
    /// An account's feed was fetched; a feed that did not parse has `fetch.error` set.
    Feed {
        /// The account's id.
        account: String,
        /// How the fetch went.
        fetch: FetchRecord,
        /// The posts found.
        posts: Vec<Post>,
    },
    /// A homepage probe.
    Probe(ProbeRecord),
    /// A target's crawl ended.
    TargetDone {
        /// The target's id.
        target: String,
        /// Whether the frontier was exhausted within the budget (false: cut short).
        complete: bool,
        /// Pages fetched.
        pages: u64,
        /// The limit that cut it short, when one did.
        cut_by: Option<CrawlLimit>,
    },
}

/// The target id under which the inspector's own reference fetches are recorded (seeds
/// `reference_urls`): no site or account has it (a seeds id cannot contain `/`).
pub const REFERENCE_TARGET: &str = "/reference";

/// A limit that can cut a site's crawl short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrawlLimit {
    /// `max_pages`: pages per site.
    Pages,
    /// `max_depth`: link depth from the homepage.
    Depth,
    /// `max_site_seconds`: time per site.
    Time,
    /// `daily_requests_per_host`: fetches a crawl may send one host.
    Requests,
}

impl CrawlLimit {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CrawlLimit::Pages => "pages",
            CrawlLimit::Depth => "depth",
            CrawlLimit::Time => "time",
            CrawlLimit::Requests => "requests",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<CrawlLimit> {
        [
            CrawlLimit::Pages,
            CrawlLimit::Depth,
            CrawlLimit::Time,
            CrawlLimit::Requests,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }

    /// What the documents call it, with the seeds key that sets it.
    pub fn label_zh(self) -> &'static str {
        match self {
            CrawlLimit::Pages => "每个网站的页面数上限（max_pages）",
            CrawlLimit::Depth => "链接深度上限（max_depth）",
            CrawlLimit::Time => "每个网站的抓取时长上限（max_site_seconds）",
            CrawlLimit::Requests => "每个主机每次抓取的访问次数上限（daily_requests_per_host）",
        }
    }
}

/// A link as the analyzer holds it: shared, because the same navigation and footer links sit on
/// every page of a site, and a 100,000-page site read back link by link would otherwise hold
/// millions of copies of the same few hundred links.
pub type SharedLink = Arc<Link>;

/// A page of a site as stored: its fetch, what it holds, its links.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRecord {
    /// How the fetch went.
    pub fetch: FetchRecord,
    /// Link depth from the homepage.
    pub depth: u32,
    /// Extraction results, for HTML answers (boxed: a site's records hold a page in every map
    /// node slot, and a page without facts then costs a pointer, not their size).
    pub facts: Option<Box<PageFacts>>,
    /// Links on the page.
    pub links: Vec<SharedLink>,
}

impl PageRecord {
    /// What the page holds, when its answer can be evidence (see [`FetchRecord::is_readable`]).
    pub fn readable_facts(&self) -> Option<&PageFacts> {
        self.facts.as_deref().filter(|_| self.fetch.is_readable())
    }
}

/// Everything the crawl of one site recorded in one run: the analyzer's input for a site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteRecords {
    /// Pages fetched with GET and parsed, by requested URL.
    pub pages: std::collections::BTreeMap<String, PageRecord>,
    /// Link targets checked (not parsed), by URL.
    pub checks: std::collections::BTreeMap<String, FetchRecord>,
    /// The 404 probe: the site's answer for a path that cannot exist.
    pub probe404: Option<PageRecord>,
    /// `Some(complete)` once the site's crawl ended; `Some(false)` when the budget cut it short.
    pub done: Option<bool>,
    /// The limit that cut the crawl short, when one did and it was recorded.
    pub cut_by: Option<CrawlLimit>,
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn a_list_continues_through_its_pager_only() {
        let a = |target: &str, anchor: &str| Link {
            target: target.into(),
            anchor: anchor.into(),
            element: LinkElement::A,
            nav: false,
        };
        let page = "http://x.gov.cn/tzgg/index.html";
        assert!(a("http://x.gov.cn/tzgg/index_1.html", "下一页").continues_list(page));
        assert!(a("http://x.gov.cn/tzgg/index_14.html", "尾页").continues_list(page));
        assert!(a("http://x.gov.cn/tzgg/index_2.html", "3").continues_list(page));
        assert!(a("http://x.gov.cn/tzgg/list.jsp?p=2", "第2页").continues_list(page));
        let script = Link {
            element: LinkElement::Pagination,
            ..a("http://x.gov.cn/tzgg/index_1.html", "")
        };
        assert!(script.continues_list(page));
        // An article, another column's pager, the homepage: not this list.
        assert!(!a("http://x.gov.cn/tzgg/t20250901_1.html", "关于…的通知").continues_list(page));
        assert!(!a("http://x.gov.cn/xwdt/index_1.html", "下一页").continues_list(page));
        assert!(!a("http://x.gov.cn/", "首页").continues_list(page));
    }
}
