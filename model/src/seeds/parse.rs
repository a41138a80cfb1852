//! Parsing and validation of a seeds file.
//!
//! The text is parsed by `toml_edit` (the parser behind `toml`), which keeps the byte span of every
//! key, value and table header. It is copied into a small spanned tree ([`Node`]), and one pass over
//! that tree checks every key and value and builds the public types. The first problem found stops
//! the pass: the caller gets one [`SeedsError`] naming the line, column and dotted key.
//!
//! Tables are checked in document-structure order: unknown top-level keys, `[district]`,
//! `[defaults]`, then every `[[unit]]`, `[[site]]`, `[[account]]` and `[[disclosure]]` in turn; within
//! a table, unknown keys first, then each known key in the order of the contract.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use toml_edit::{ImDocument, Item, TableLike, Value};

use super::{
    Account, AlertSetup, Defaults, Disclosure, District, EmailSetup, Platform, PlatformSetup,
    Relay, Schedule, SeedColumn, Seeds, SeedsError, Site, SiteKind, SmtpSecurity, Timetable, Unit,
    Webhook, WebhookKind,
};
use crate::ColumnClass;
use std::str::FromStr;

type Result<T> = std::result::Result<T, SeedsError>;

/// Parse and validate seeds text (see [`Seeds::parse`]).
pub(super) fn parse(file: &Path, text: &str) -> Result<Seeds> {
    let cx = Cx { file, text };
    let doc = ImDocument::parse(text).map_err(|e| cx.syntax(&e))?;
    let root_entries = table_entries(doc.as_table(), 0);
    let root = Tbl {
        path: String::new(),
        pos: 0,
        entries: &root_entries,
    };
    cx.known_keys(&root, ROOT_KEYS)?;

    let district = cx.district(&root)?;
    let defaults = cx.defaults(&root)?;

    let mut units = Vec::new();
    let mut unit_ids = Ids::default();
    for t in cx.array_of_tables(&root, "unit")? {
        let unit = cx.unit(&t, &mut unit_ids)?;
        units.push(unit);
    }

    // Sites and accounts are both inspection targets: one set of ids.
    let mut target_ids = Ids::default();
    let mut sites = Vec::new();
    for t in cx.array_of_tables(&root, "site")? {
        sites.push(cx.site(&t, &unit_ids, &mut target_ids)?);
    }
    let platforms = cx.platforms(&root)?;
    let mut accounts = Vec::new();
    for t in cx.array_of_tables(&root, "account")? {
        accounts.push(cx.account(&t, &unit_ids, &mut target_ids, &platforms)?);
    }

    let mut disclosure_ids = Ids::default();
    let mut disclosures = Vec::new();
    for t in cx.array_of_tables(&root, "disclosure")? {
        disclosures.push(cx.disclosure(&t, &unit_ids, &sites, &accounts, &mut disclosure_ids)?);
    }

    let mut relay_ids = Ids::default();
    let mut relays = Vec::new();
    for t in cx.array_of_tables(&root, "relay")? {
        relays.push(cx.relay(&t, &mut relay_ids)?);
    }

    let schedule = cx.timetable(&root)?;
    let alerts = cx.alerts(&root)?;

    Ok(Seeds {
        district,
        defaults,
        units,
        sites,
        accounts,
        disclosures,
        schedule,
        alerts,
        platforms,
        relays,
    })
}

const ROOT_KEYS: &[&str] = &[
    "district",
    "defaults",
    "unit",
    "site",
    "account",
    "disclosure",
    "schedule",
    "alerts",
    "platforms",
    "relay",
];
const PLATFORM_KEYS: &[&str] = &["base", "cookie_env"];
const ALERTS_KEYS: &[&str] = &["webhook", "email"];
const WEBHOOK_KEYS: &[&str] = &["kind", "url", "secret_env"];
const WEBHOOK_KINDS: &[(&str, WebhookKind)] = &[
    ("wecom", WebhookKind::Wecom),
    ("dingtalk", WebhookKind::Dingtalk),
    ("feishu", WebhookKind::Feishu),
];
const EMAIL_KEYS: &[&str] = &[
    "server",
    "port",
    "security",
    "from",
    "to",
    "user",
    "password_env",
];
const SECURITIES: &[(&str, SmtpSecurity)] = &[
    ("tls", SmtpSecurity::Tls),
    ("starttls", SmtpSecurity::Starttls),
    ("none", SmtpSecurity::None),
];
const SCHEDULE_KEYS: &[&str] = &["probe", "crawl", "inspect", "keep_days"];
const DISTRICT_KEYS: &[&str] = &[
    "name",
    "office",
    "province",
    "rules",
    "rules_override",
    "deadline_workdays",
    "doc_number",
    "contact",
    "phone",
    "cc",
];
const DEFAULTS_KEYS: &[&str] = &[
    "rate_per_host",
    "timeout_s",
    "respect_robots",
    "max_pages",
    "max_depth",
    "max_site_seconds",
    "reference_urls",
    "daily_requests_per_host",
    "recheck_days",
    "allow_networks",
];
const UNIT_KEYS: &[&str] = &["id", "name"];
const SITE_KEYS: &[&str] = &[
    "id",
    "name",
    "unit",
    "url",
    "kind",
    "rate_per_host",
    "column",
];
const COLUMN_KEYS: &[&str] = &["name", "url", "class"];
const ACCOUNT_KEYS: &[&str] = &["id", "name", "unit", "platform", "feed", "uid"];
const DISCLOSURE_KEYS: &[&str] = &[
    "id",
    "unit",
    "site",
    "name",
    "column",
    "match",
    "due",
    "max_age_days",
    "every",
    "due_month",
    "due_day",
    "within_workdays",
    "must_exist",
];

const RELAY_KEYS: &[&str] = &["id", "name", "match", "published", "within_days", "kinds"];

const EVERY: &[(&str, ())] = &[("year", ())];

const KINDS: &[(&str, SiteKind)] = &[
    ("portal", SiteKind::Portal),
    ("department", SiteKind::Department),
    ("street", SiteKind::Street),
    ("other", SiteKind::Other),
];
const PLATFORMS: &[(&str, Platform)] = &[
    ("wechat", Platform::Wechat),
    ("weibo", Platform::Weibo),
    ("douyin", Platform::Douyin),
    ("toutiao", Platform::Toutiao),
    ("kuaishou", Platform::Kuaishou),
    ("bilibili", Platform::Bilibili),
    ("other", Platform::Other),
];
const CLASSES: &[(&str, ColumnClass)] = &[
    ("news", ColumnClass::News),
    ("notice", ColumnClass::Notice),
    ("long", ColumnClass::Long),
    ("static", ColumnClass::Static),
];

// ---------------------------------------------------------------------------------------------
// The spanned tree.

/// A TOML value and the byte offset where it starts in the text (for a table: its header).
#[derive(Debug)]
struct Node {
    pos: usize,
    val: Val,
}

#[derive(Debug)]
enum Val {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Datetime(toml_edit::Datetime),
    Array(Vec<Node>),
    Table(Vec<Entry>),
}

impl Val {
    /// "a string", "an integer", … for messages.
    fn describe(&self) -> &'static str {
        match self {
            Val::Str(_) => "a string",
            Val::Int(_) => "an integer",
            Val::Float(_) => "a float",
            Val::Bool(_) => "a boolean",
            Val::Datetime(_) => "a date-time",
            Val::Array(_) => "an array",
            Val::Table(_) => "a table",
        }
    }
}

/// A key of a table, where the key starts, and its value.
#[derive(Debug)]
struct Entry {
    key: String,
    pos: usize,
    node: Node,
}

fn start(span: Option<Range<usize>>, fallback: usize) -> usize {
    span.map_or(fallback, |s| s.start)
}

/// The entries of a table; `pos` (where the table starts) stands in for spans `toml_edit` lacks.
fn table_entries(table: &dyn TableLike, pos: usize) -> Vec<Entry> {
    table
        .iter()
        .map(|(key, item)| {
            let key_pos = start(table.key(key).and_then(|k| k.span()), pos);
            Entry {
                key: key.to_owned(),
                pos: key_pos,
                node: item_node(item, key_pos),
            }
        })
        .collect()
}

/// `fallback` is used where `toml_edit` has no span (implicit and dotted-key tables): the key.
fn item_node(item: &Item, fallback: usize) -> Node {
    match item {
        Item::None => Node {
            pos: fallback,
            val: Val::Table(Vec::new()),
        },
        Item::Value(v) => value_node(v, fallback),
        Item::Table(t) => {
            let pos = start(t.span(), fallback);
            Node {
                pos,
                val: Val::Table(table_entries(t, pos)),
            }
        }
        Item::ArrayOfTables(a) => {
            let pos = start(a.span(), fallback);
            let tables = a
                .iter()
                .map(|t| {
                    let pos = start(t.span(), pos);
                    Node {
                        pos,
                        val: Val::Table(table_entries(t, pos)),
                    }
                })
                .collect();
            Node {
                pos,
                val: Val::Array(tables),
            }
        }
    }
}

fn value_node(value: &Value, fallback: usize) -> Node {
    let pos = start(value.span(), fallback);
    let val = match value {
        Value::String(s) => Val::Str(s.value().clone()),
        Value::Integer(i) => Val::Int(*i.value()),
        Value::Float(f) => Val::Float(*f.value()),
        Value::Boolean(b) => Val::Bool(*b.value()),
        Value::Datetime(d) => Val::Datetime(*d.value()),
        Value::Array(a) => Val::Array(a.iter().map(|v| value_node(v, pos)).collect()),
        Value::InlineTable(t) => Val::Table(table_entries(t, pos)),
    };
    Node { pos, val }
}

// ---------------------------------------------------------------------------------------------
// Positions.

/// 1-based line and column (in characters) of a byte offset; a leading BOM does not count.
pub(super) fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &text[..pos];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut column = before[line_start..].chars().count() + 1;
    if line_start == 0 && before.starts_with('\u{feff}') {
        column -= 1;
    }
    (line, column)
}

/// A table being checked: its dotted path (`site[2]`), where it starts, its entries.
struct Tbl<'t> {
    path: String,
    pos: usize,
    entries: &'t [Entry],
}

impl<'t> Tbl<'t> {
    /// The dotted path of one of its keys.
    fn key(&self, k: &str) -> String {
        if self.path.is_empty() {
            k.to_owned()
        } else {
            format!("{}.{k}", self.path)
        }
    }

    fn get(&self, k: &str) -> Option<&'t Entry> {
        self.entries.iter().find(|e| e.key == k)
    }
}

/// A checked value and where it starts.
struct At<T> {
    value: T,
    pos: usize,
}

/// Ids seen so far: id → (dotted path of its table, line of the id).
#[derive(Default)]
struct Ids(HashMap<String, (String, usize)>);

/// The file being checked, for building errors.
struct Cx<'a> {
    file: &'a Path,
    text: &'a str,
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `site[2].column[0]` → `site.column`, for naming a `[[header]]`.
fn header_name(path: &str) -> String {
    let mut out = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            _ if !in_index => out.push(c),
            _ => {}
        }
    }
    out
}

impl Cx<'_> {
    fn err(&self, pos: usize, key: impl Into<String>, message: impl Into<String>) -> SeedsError {
        let (line, column) = line_col(self.text, pos);
        SeedsError {
            file: self.file.to_path_buf(),
            line,
            column,
            key: key.into(),
            message: message.into(),
        }
    }

    fn line(&self, pos: usize) -> usize {
        line_col(self.text, pos).0
    }

    /// A TOML syntax error, on one line.
    fn syntax(&self, e: &toml_edit::TomlError) -> SeedsError {
        let message = e
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        let message = if message.is_empty() {
            "invalid TOML".to_owned()
        } else {
            format!("invalid TOML: {message}")
        };
        self.err(start(e.span(), 0), "(syntax)", message)
    }

    // -- Structure ----------------------------------------------------------------------------

    fn known_keys(&self, t: &Tbl, allowed: &[&str]) -> Result<()> {
        match t
            .entries
            .iter()
            .find(|e| !allowed.contains(&e.key.as_str()))
        {
            None => Ok(()),
            Some(e) => Err(self.err(
                e.pos,
                t.key(&e.key),
                format!(
                    "unknown key `{}` (expected one of {})",
                    e.key,
                    quoted_list(allowed)
                ),
            )),
        }
    }

    fn table<'t>(&self, node: &'t Node, path: String) -> Result<Tbl<'t>> {
        match &node.val {
            Val::Table(entries) => Ok(Tbl {
                path,
                pos: node.pos,
                entries,
            }),
            other => Err(self.err(
                node.pos,
                path,
                format!("expected a table, found {}", other.describe()),
            )),
        }
    }

    /// The tables of `[[k]]` in `parent`, none if absent.
    fn array_of_tables<'t>(&self, parent: &Tbl<'t>, k: &str) -> Result<Vec<Tbl<'t>>> {
        let Some(e) = parent.get(k) else {
            return Ok(Vec::new());
        };
        let path = parent.key(k);
        match &e.node.val {
            Val::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.table(item, format!("{path}[{i}]")))
                .collect(),
            other => Err(self.err(
                e.node.pos,
                &path,
                format!(
                    "expected an array of tables (`[[{}]]`), found {}",
                    header_name(&path),
                    other.describe()
                ),
            )),
        }
    }

    fn required<'t>(&self, t: &Tbl<'t>, k: &str) -> Result<&'t Entry> {
        t.get(k).ok_or_else(|| {
            self.err(
                t.pos,
                t.key(k),
                format!("missing required key `{k}` in this table"),
            )
        })
    }

    fn type_error(&self, t: &Tbl, e: &Entry, expected: &str) -> SeedsError {
        self.err(
            e.node.pos,
            t.key(&e.key),
            format!("expected {expected}, found {}", e.node.val.describe()),
        )
    }

    // -- Scalars ------------------------------------------------------------------------------

    /// A non-empty string.
    fn string(&self, t: &Tbl, e: &Entry) -> Result<At<String>> {
        match &e.node.val {
            Val::Str(s) if s.trim().is_empty() => {
                Err(self.err(e.node.pos, t.key(&e.key), "must not be empty"))
            }
            Val::Str(s) => Ok(At {
                value: s.clone(),
                pos: e.node.pos,
            }),
            _ => Err(self.type_error(t, e, "a string")),
        }
    }

    fn req_str(&self, t: &Tbl, k: &str) -> Result<At<String>> {
        self.string(t, self.required(t, k)?)
    }

    fn opt_str(&self, t: &Tbl, k: &str) -> Result<Option<String>> {
        t.get(k)
            .map(|e| self.string(t, e).map(|s| s.value))
            .transpose()
    }

    /// An id: a non-empty string without whitespace, control characters or path separators
    /// (ids name files such as remediation notices).
    fn id(&self, t: &Tbl, k: &str) -> Result<At<String>> {
        let id = self.req_str(t, k)?;
        if id
            .value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '/' || c == '\\')
        {
            return Err(self.err(
                id.pos,
                t.key(k),
                format!(
                    "invalid id `{}`: no whitespace, control characters, `/` or `\\` allowed",
                    id.value.escape_debug()
                ),
            ));
        }
        Ok(id)
    }

    /// An optional array of absolute http(s) URLs.
    fn url_array(&self, t: &Tbl, k: &str) -> Result<Vec<String>> {
        let Some(e) = t.get(k) else {
            return Ok(Vec::new());
        };
        let Val::Array(items) = &e.node.val else {
            return Err(self.type_error(t, e, "an array of URLs"));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let key = format!("{}[{i}]", t.key(k));
                match &n.val {
                    Val::Str(s) => match url_problem(s) {
                        None => Ok(s.clone()),
                        Some(p) => Err(self.err(n.pos, key, format!("invalid URL `{s}`: {p}"))),
                    },
                    other => Err(self.err(
                        n.pos,
                        key,
                        format!("expected a URL (a string), found {}", other.describe()),
                    )),
                }
            })
            .collect()
    }

    /// An optional array of address ranges in CIDR form (`10.20.0.0/16`, `fd00::/8`).
    fn networks(&self, t: &Tbl, k: &str) -> Result<Vec<ipnet::IpNet>> {
        let ranges = self.str_array(t, k, "an address range")?;
        let Some(Val::Array(items)) = t.get(k).map(|e| &e.node.val) else {
            return Ok(Vec::new());
        };
        ranges
            .iter()
            .zip(items)
            .enumerate()
            .map(|(i, (s, n))| {
                s.trim().parse::<ipnet::IpNet>().map_err(|_| {
                    self.err(
                        n.pos,
                        format!("{}[{i}]", t.key(k)),
                        format!("invalid address range `{s}`: expected CIDR, e.g. 10.20.0.0/16"),
                    )
                })
            })
            .collect()
    }

    /// An optional array of non-empty strings (`what` each one is, for the message).
    fn str_array(&self, t: &Tbl, k: &str, what: &str) -> Result<Vec<String>> {
        let Some(e) = t.get(k) else {
            return Ok(Vec::new());
        };
        let Val::Array(items) = &e.node.val else {
            return Err(self.type_error(t, e, &format!("an array of strings ({what} each)")));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, n)| match &n.val {
                Val::Str(s) if !s.trim().is_empty() => Ok(s.clone()),
                other => Err(self.err(
                    n.pos,
                    format!("{}[{i}]", t.key(k)),
                    format!("expected {what} (a string), found {}", other.describe()),
                )),
            })
            .collect()
    }

    fn opt_bool(&self, t: &Tbl, k: &str) -> Result<Option<bool>> {
        t.get(k)
            .map(|e| match e.node.val {
                Val::Bool(b) => Ok(b),
                _ => Err(self.type_error(t, e, "a boolean (true or false)")),
            })
            .transpose()
    }

    /// A number (integer or float) that must be finite and greater than 0.
    fn opt_positive_number(&self, t: &Tbl, k: &str) -> Result<Option<f64>> {
        let Some(e) = t.get(k) else {
            return Ok(None);
        };
        let x = match e.node.val {
            Val::Int(i) => i as f64,
            Val::Float(f) => f,
            _ => return Err(self.type_error(t, e, "a number")),
        };
        if x > 0.0 && x.is_finite() {
            Ok(Some(x))
        } else {
            Err(self.err(
                e.node.pos,
                t.key(k),
                format!("must be a finite number greater than 0, found {x}"),
            ))
        }
    }

    /// An integer in `min..=max`.
    fn opt_int(&self, t: &Tbl, k: &str, min: i64, max: i64) -> Result<Option<i64>> {
        let Some(e) = t.get(k) else {
            return Ok(None);
        };
        let Val::Int(i) = e.node.val else {
            return Err(self.type_error(t, e, "an integer"));
        };
        if (min..=max).contains(&i) {
            Ok(Some(i))
        } else {
            let rule = match min {
                _ if i > max => format!("must be at most {max}"),
                0 => "must not be negative".to_owned(),
                1 => "must be a positive integer".to_owned(),
                _ => format!("must be at least {min}"),
            };
            Err(self.err(e.node.pos, t.key(k), format!("{rule}, found {i}")))
        }
    }

    /// One of a fixed set of strings.
    fn choice<T: Copy>(&self, t: &Tbl, k: &str, options: &[(&str, T)]) -> Result<T> {
        let s = self.req_str(t, k)?;
        options
            .iter()
            .find(|(name, _)| *name == s.value)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                self.err(
                    s.pos,
                    t.key(k),
                    format!(
                        "invalid value `{}` (expected one of {})",
                        s.value,
                        quoted_list(&names)
                    ),
                )
            })
    }

    /// An absolute http(s) URL with a host.
    fn url(&self, t: &Tbl, k: &str) -> Result<String> {
        let s = self.req_str(t, k)?;
        match url_problem(&s.value) {
            None => Ok(s.value),
            Some(p) => Err(self.err(s.pos, t.key(k), format!("invalid URL `{}`: {p}", s.value))),
        }
    }

    /// The id of a known unit.
    fn unit_ref(&self, t: &Tbl, k: &str, units: &Ids) -> Result<String> {
        let s = self.req_str(t, k)?;
        if units.0.contains_key(&s.value) {
            Ok(s.value)
        } else {
            Err(self.err(
                s.pos,
                t.key(k),
                format!("unknown unit `{}`: no [[unit]] has this id", s.value),
            ))
        }
    }

    /// Record an id; a second use is an error pointing at it.
    fn claim(&self, ids: &mut Ids, t: &Tbl, k: &str, id: &At<String>, note: &str) -> Result<()> {
        if let Some((path, line)) = ids.0.get(&id.value) {
            return Err(self.err(
                id.pos,
                t.key(k),
                format!(
                    "duplicate id `{}`: already used by {path} on line {line}{note}",
                    id.value
                ),
            ));
        }
        ids.0
            .insert(id.value.clone(), (t.path.clone(), self.line(id.pos)));
        Ok(())
    }

    // -- Tables -------------------------------------------------------------------------------

    fn district(&self, root: &Tbl) -> Result<District> {
        let Some(e) = root.get("district") else {
            return Err(self.err(0, "district", "missing required table `[district]`"));
        };
        let t = self.table(&e.node, "district".into())?;
        self.known_keys(&t, DISTRICT_KEYS)?;
        // Rule files are named relative to the seeds file.
        let dir = self.file.parent().unwrap_or(Path::new(""));
        let rules_override = self
            .str_array(&t, "rules_override", "a file path")?
            .into_iter()
            .map(|p| dir.join(p))
            .collect();
        Ok(District {
            name: self.req_str(&t, "name")?.value,
            office: self.req_str(&t, "office")?.value,
            province: self.opt_str(&t, "province")?,
            rules: self.opt_str(&t, "rules")?.map(|p| dir.join(p)),
            rules_override,
            deadline_workdays: self
                .opt_int(&t, "deadline_workdays", 1, 60)?
                .map(|n| n as u32),
            doc_number: self.opt_str(&t, "doc_number")?,
            contact: self.opt_str(&t, "contact")?,
            phone: self.opt_str(&t, "phone")?,
            cc: self.str_array(&t, "cc", "an organ's name")?,
        })
    }

    fn defaults(&self, root: &Tbl) -> Result<Defaults> {
        let mut d = Defaults::default();
        let Some(e) = root.get("defaults") else {
            return Ok(d);
        };
        let t = self.table(&e.node, "defaults".into())?;
        self.known_keys(&t, DEFAULTS_KEYS)?;
        if let Some(x) = self.opt_positive_number(&t, "rate_per_host")? {
            d.rate_per_host = x;
        }
        if let Some(x) = self.opt_positive_number(&t, "timeout_s")? {
            d.timeout_s = x;
        }
        if let Some(b) = self.opt_bool(&t, "respect_robots")? {
            d.respect_robots = b;
        }
        if let Some(n) = self.opt_int(&t, "max_pages", 1, i64::MAX)? {
            d.max_pages = n as u64;
        }
        if let Some(n) = self.opt_int(&t, "max_depth", 1, i64::from(u32::MAX))? {
            d.max_depth = n as u32;
        }
        if let Some(n) = self.opt_int(&t, "max_site_seconds", 1, i64::MAX)? {
            d.max_site_seconds = n as u64;
        }
        d.reference_urls = self.url_array(&t, "reference_urls")?;
        if let Some(n) = self.opt_int(&t, "daily_requests_per_host", 1, i64::MAX)? {
            d.daily_requests_per_host = Some(n as u64);
        }
        if let Some(n) = self.opt_int(&t, "recheck_days", 1, 366)? {
            d.recheck_days = n as u32;
        }
        d.allow_networks = self.networks(&t, "allow_networks")?;
        Ok(d)
    }

    fn timetable(&self, root: &Tbl) -> Result<Timetable> {
        let mut d = Timetable::default();
        let Some(e) = root.get("schedule") else {
            return Ok(d);
        };
        let t = self.table(&e.node, "schedule".into())?;
        self.known_keys(&t, SCHEDULE_KEYS)?;
        for (key, slot) in [
            ("probe", &mut d.probe),
            ("crawl", &mut d.crawl),
            ("inspect", &mut d.inspect),
        ] {
            if let Some(e) = t.get(key) {
                let expr = self.string(&t, e)?;
                if let Err(why) = cron::Schedule::from_str(&expr.value) {
                    return Err(self.err(
                        expr.pos,
                        t.key(key),
                        format!(
                            "`{}` is not a cron expression (seconds minutes hours day month weekday [year]): {why}",
                            expr.value
                        ),
                    ));
                }
                *slot = expr.value;
            }
        }
        if let Some(n) = self.opt_int(&t, "keep_days", 1, i64::from(u32::MAX))? {
            d.keep_days = n as u32;
        }
        Ok(d)
    }

    fn alerts(&self, root: &Tbl) -> Result<AlertSetup> {
        let Some(e) = root.get("alerts") else {
            return Ok(AlertSetup::default());
        };
        let t = self.table(&e.node, "alerts".into())?;
        self.known_keys(&t, ALERTS_KEYS)?;
        let mut webhooks = Vec::new();
        for w in self.array_of_tables(&t, "webhook")? {
            self.known_keys(&w, WEBHOOK_KEYS)?;
            webhooks.push(Webhook {
                kind: self.choice(&w, "kind", WEBHOOK_KINDS)?,
                url: self.url(&w, "url")?,
                secret_env: self.opt_str(&w, "secret_env")?,
            });
        }
        let email = match t.get("email") {
            None => None,
            Some(e) => Some(self.email(&self.table(&e.node, t.key("email"))?)?),
        };
        Ok(AlertSetup { webhooks, email })
    }

    fn email(&self, t: &Tbl) -> Result<EmailSetup> {
        self.known_keys(t, EMAIL_KEYS)?;
        let server = self.req_str(t, "server")?.value;
        let security = match t.get("security") {
            None => SmtpSecurity::Tls,
            Some(_) => self.choice(t, "security", SECURITIES)?,
        };
        let port = match self.opt_int(t, "port", 1, 65535)? {
            Some(p) => p as u16,
            None => match security {
                SmtpSecurity::Tls => 465,
                SmtpSecurity::Starttls => 587,
                SmtpSecurity::None => 25,
            },
        };
        let from = self.mailbox(t, "from")?;
        let to = self.str_array(t, "to", "mail address")?;
        if to.is_empty() {
            return Err(self.err(
                t.pos,
                t.key("to"),
                "missing required key `to`: at least one recipient",
            ));
        }
        if let Some(i) = to.iter().position(|a| !looks_like_mailbox(a)) {
            let pos = match t.get("to").map(|e| &e.node.val) {
                Some(Val::Array(items)) => items[i].pos,
                _ => t.pos,
            };
            return Err(self.err(
                pos,
                format!("{}[{i}]", t.key("to")),
                format!("`{}` is not a mail address", to[i]),
            ));
        }
        Ok(EmailSetup {
            server,
            port,
            security,
            from,
            to,
            user: self.opt_str(t, "user")?,
            password_env: self.opt_str(t, "password_env")?,
        })
    }

    /// A mail address, `name@host` or `显示名 <name@host>`.
    fn mailbox(&self, t: &Tbl, k: &str) -> Result<String> {
        let s = self.req_str(t, k)?;
        if !looks_like_mailbox(&s.value) {
            return Err(self.err(
                s.pos,
                t.key(k),
                format!("`{}` is not a mail address", s.value),
            ));
        }
        Ok(s.value)
    }

    fn unit(&self, t: &Tbl, ids: &mut Ids) -> Result<Unit> {
        self.known_keys(t, UNIT_KEYS)?;
        let id = self.id(t, "id")?;
        self.claim(ids, t, "id", &id, "")?;
        Ok(Unit {
            id: id.value,
            name: self.req_str(t, "name")?.value,
        })
    }

    fn site(&self, t: &Tbl, units: &Ids, targets: &mut Ids) -> Result<Site> {
        self.known_keys(t, SITE_KEYS)?;
        let id = self.id(t, "id")?;
        self.claim(targets, t, "id", &id, TARGETS_NOTE)?;
        let name = self.req_str(t, "name")?.value;
        let unit = self.unit_ref(t, "unit", units)?;
        let url = self.url(t, "url")?;
        let kind = self.choice(t, "kind", KINDS)?;
        let rate_per_host = self.opt_positive_number(t, "rate_per_host")?;
        let mut columns = Vec::new();
        for c in self.array_of_tables(t, "column")? {
            self.known_keys(&c, COLUMN_KEYS)?;
            let name = self.req_str(&c, "name")?.value;
            let url = self.url(&c, "url")?;
            let class = match c.get("class") {
                None => None,
                Some(_) => Some(self.choice(&c, "class", CLASSES)?),
            };
            columns.push(SeedColumn { name, url, class });
        }
        Ok(Site {
            id: id.value,
            name,
            unit,
            url,
            kind,
            columns,
            rate_per_host,
        })
    }

    fn account(
        &self,
        t: &Tbl,
        units: &Ids,
        targets: &mut Ids,
        platforms: &[PlatformSetup],
    ) -> Result<Account> {
        self.known_keys(t, ACCOUNT_KEYS)?;
        let id = self.id(t, "id")?;
        self.claim(targets, t, "id", &id, TARGETS_NOTE)?;
        let name = self.req_str(t, "name")?.value;
        let unit = self.unit_ref(t, "unit", units)?;
        let platform = self.choice(t, "platform", PLATFORMS)?;
        let uid = match t.get("uid") {
            None => None,
            Some(_) => Some(self.id(t, "uid")?),
        };
        let feed = match (t.get("feed"), &uid) {
            (Some(_), Some(u)) => {
                return Err(self.err(u.pos, t.key("uid"), "give either `feed` or `uid`, not both"))
            }
            (Some(_), None) => Some(self.url(t, "feed")?),
            (None, Some(u)) => {
                let base = platforms
                    .iter()
                    .find(|p| p.platform == platform)
                    .map(|p| p.base.as_str())
                    .or(platform.default_base());
                let endpoint = base.and_then(|b| platform.list_endpoint(b, &u.value));
                let Some(endpoint) = endpoint else {
                    return Err(self.err(
                        u.pos,
                        t.key("uid"),
                        format!(
                            "xunjian reads a `uid` only on weibo and bilibili, not on {}: give a `feed`",
                            platform.key()
                        ),
                    ));
                };
                Some(endpoint)
            }
            (None, None) => None,
        };
        Ok(Account {
            id: id.value,
            name,
            unit,
            platform,
            feed,
            uid: uid.map(|u| u.value),
        })
    }

    /// `[platforms.<name>]`: each a known platform with a list endpoint.
    fn platforms(&self, root: &Tbl) -> Result<Vec<PlatformSetup>> {
        let Some(e) = root.get("platforms") else {
            return Ok(Vec::new());
        };
        let t = self.table(&e.node, "platforms".into())?;
        let mut out = Vec::new();
        for entry in t.entries {
            let key = t.key(&entry.key);
            let Some(&(_, platform)) = PLATFORMS.iter().find(|(n, _)| *n == entry.key) else {
                let names: Vec<&str> = PLATFORMS.iter().map(|(n, _)| *n).collect();
                return Err(self.err(
                    entry.pos,
                    key,
                    format!("unknown platform; expected one of {}", quoted_list(&names)),
                ));
            };
            let p = self.table(&entry.node, key.clone())?;
            self.known_keys(&p, PLATFORM_KEYS)?;
            let base = match p.get("base") {
                Some(_) => self.url(&p, "base")?,
                None => match platform.default_base() {
                    Some(b) => b.to_string(),
                    None => return Err(self.err(
                        entry.pos,
                        key,
                        "xunjian reads no endpoint of this platform: give its accounts a `feed`",
                    )),
                },
            };
            out.push(PlatformSetup {
                platform,
                base,
                cookie_env: self.opt_str(&p, "cookie_env")?,
            });
        }
        Ok(out)
    }

    fn disclosure(
        &self,
        t: &Tbl,
        units: &Ids,
        sites: &[Site],
        accounts: &[Account],
        ids: &mut Ids,
    ) -> Result<Disclosure> {
        self.known_keys(t, DISCLOSURE_KEYS)?;
        let id = self.id(t, "id")?;
        self.claim(ids, t, "id", &id, "")?;
        let unit = self.unit_ref(t, "unit", units)?;

        let site = self.req_str(t, "site")?;
        if !sites.iter().any(|s| s.id == site.value) {
            let why = if accounts.iter().any(|a| a.id == site.value) {
                "it is an [[account]], not a [[site]]"
            } else {
                "no [[site]] has this id"
            };
            return Err(self.err(
                site.pos,
                t.key("site"),
                format!("unknown site `{}`: {why}", site.value),
            ));
        }

        let name = self.req_str(t, "name")?.value;
        let column = self.req_str(t, "column")?.value;

        let pattern = self.req_str(t, "match")?;
        let schedule = self.schedule(t)?;
        let yearly = matches!(schedule, Schedule::Yearly { .. });
        if !yearly && pattern.value.contains("{year}") {
            return Err(self.err(
                pattern.pos,
                t.key("match"),
                "`{year}` is only replaced in a yearly item: add `every = \"year\"` with \
                 `due_month` and `due_day`",
            ));
        }
        if let Err(e) = regex::Regex::new(&pattern.value.replace("{year}", "2000")) {
            return Err(self.err(
                pattern.pos,
                t.key("match"),
                format!("invalid regex `{}`: {}", pattern.value, regex_problem(&e)),
            ));
        }

        let due = match t.get("due") {
            None => None,
            Some(e) => Some(self.date(t, e)?),
        };
        let max_age_days = self
            .opt_int(t, "max_age_days", 0, i64::from(u32::MAX))?
            .map_or(0, |n| n as u32);

        Ok(Disclosure {
            id: id.value,
            unit,
            site: site.value,
            name,
            column,
            r#match: pattern.value,
            due,
            max_age_days,
            schedule,
        })
    }

    /// `[[relay]]`: 重要信息转发.
    fn relay(&self, t: &Tbl, ids: &mut Ids) -> Result<Relay> {
        self.known_keys(t, RELAY_KEYS)?;
        let id = self.id(t, "id")?;
        self.claim(ids, t, "id", &id, "")?;
        let name = self.req_str(t, "name")?.value;
        let pattern = self.req_str(t, "match")?;
        if let Err(e) = regex::Regex::new(&pattern.value) {
            return Err(self.err(
                pattern.pos,
                t.key("match"),
                format!("invalid regex `{}`: {}", pattern.value, regex_problem(&e)),
            ));
        }
        let published = self.date(t, self.required(t, "published")?)?;
        let within_days = self
            .opt_int(t, "within_days", 0, 366)?
            .map_or(3, |n| n as u32);
        let kinds_at = self.required(t, "kinds")?.node.pos;
        let kinds = self.str_array(t, "kinds", "a kind of target")?;
        if kinds.is_empty() {
            return Err(self.err(
                kinds_at,
                t.key("kinds"),
                format!(
                    "name at least one kind of target: {}",
                    quoted_list(&Relay::KINDS)
                ),
            ));
        }
        if let Some((i, k)) = kinds
            .iter()
            .enumerate()
            .find(|(_, k)| !Relay::KINDS.contains(&k.as_str()))
        {
            return Err(self.err(
                kinds_at,
                format!("{}[{i}]", t.key("kinds")),
                format!("unknown kind `{k}`: one of {}", quoted_list(&Relay::KINDS)),
            ));
        }
        Ok(Relay {
            id: id.value,
            name,
            r#match: pattern.value,
            published,
            within_days,
            kinds,
        })
    }

    /// The optional `every` + `due_month` + `due_day`, `within_workdays` or `must_exist`, with
    /// contradictory combinations rejected at the later key.
    fn schedule(&self, t: &Tbl) -> Result<Schedule> {
        let every = t
            .get("every")
            .map(|_| self.choice(t, "every", EVERY))
            .transpose()?;
        let month = self.opt_int(t, "due_month", 1, 12)?;
        let day = self.opt_int(t, "due_day", 1, 31)?;
        let workdays = self.opt_int(t, "within_workdays", 1, 366)?;
        let must_exist = self.opt_bool(t, "must_exist")?.unwrap_or(false);

        // The keys that set a kind, in file order, so that the second one is the error.
        let mut kinds: Vec<&Entry> = ["every", "within_workdays", "must_exist"]
            .into_iter()
            .filter_map(|k| t.get(k))
            .filter(|e| e.key != "must_exist" || must_exist)
            .collect();
        kinds.sort_by_key(|e| e.pos);
        if let [first, second, ..] = kinds.as_slice() {
            return Err(self.err(
                second.pos,
                t.key(&second.key),
                format!(
                    "`{}` contradicts `{}`: a row is yearly (`every`), refreshed \
                     (`within_workdays`) or presence-only (`must_exist`), not several",
                    second.key, first.key
                ),
            ));
        }
        if let Some(first) = kinds.first() {
            for k in ["due", "max_age_days"] {
                if let Some(e) = t.get(k) {
                    return Err(self.err(
                        e.pos,
                        t.key(k),
                        format!(
                            "`{k}` contradicts `{}`: remove one (`{k}` is for a one-off \
                             deadline or a calendar-day age)",
                            first.key
                        ),
                    ));
                }
            }
        }
        if every.is_none() {
            if let Some(e) = t.get("due_month").or(t.get("due_day")) {
                return Err(self.err(
                    e.pos,
                    t.key(&e.key),
                    format!("`{}` needs `every = \"year\"`", e.key),
                ));
            }
        }
        let schedule = match (every, workdays) {
            (Some(()), _) => {
                let (Some(month), Some(day)) = (month, day) else {
                    let k = if month.is_none() {
                        "due_month"
                    } else {
                        "due_day"
                    };
                    return Err(self.err(
                        t.pos,
                        t.key(k),
                        format!("missing required key `{k}` in this table (`every = \"year\"` needs `due_month` and `due_day`)"),
                    ));
                };
                let (month, day) = (month as u32, day as u32);
                if NaiveDate::from_ymd_opt(2025, month, day).is_none() {
                    let e = self.required(t, "due_day")?;
                    return Err(self.err(
                        e.node.pos,
                        t.key("due_day"),
                        format!("month {month} has no day {day} (in every year)"),
                    ));
                }
                Schedule::Yearly { month, day }
            }
            (None, Some(n)) => Schedule::WithinWorkdays { workdays: n as u32 },
            (None, None) if must_exist => Schedule::MustExist,
            (None, None) => Schedule::Fixed,
        };
        Ok(schedule)
    }

    /// A date: a TOML local date (`due = 2026-03-31`) or a string `"YYYY-MM-DD"`.
    fn date(&self, t: &Tbl, e: &Entry) -> Result<NaiveDate> {
        let bad = |message: String| self.err(e.node.pos, t.key(&e.key), message);
        match &e.node.val {
            Val::Str(s) => parse_ymd(s).ok_or_else(|| {
                bad(format!(
                    "invalid date `{s}`: expected a calendar date as YYYY-MM-DD"
                ))
            }),
            Val::Datetime(d) => match (d.date, d.time, d.offset) {
                (Some(date), None, None) => NaiveDate::from_ymd_opt(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                )
                .ok_or_else(|| bad(format!("invalid date `{d}`"))),
                _ => Err(bad(format!(
                    "expected a date as YYYY-MM-DD, found the date-time `{d}`"
                ))),
            },
            _ => Err(self.type_error(t, e, "a date as YYYY-MM-DD")),
        }
    }
}

const TARGETS_NOTE: &str = " (sites and accounts share one set of ids)";

/// A strict `YYYY-MM-DD`.
fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The one-line reason of a regex error (its syntax errors come as a multi-line diagram).
fn regex_problem(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error:"))
        .map(|l| l.trim().to_owned())
        .unwrap_or_else(|| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
}

/// What is wrong with a URL the seeds give, if anything: it must be absolute http(s) with a host.
fn url_problem(s: &str) -> Option<String> {
    match url::Url::parse(s) {
        Err(e) => Some(e.to_string()),
        Ok(u) if !matches!(u.scheme(), "http" | "https") => Some(format!(
            "the scheme must be http or https, not `{}`",
            u.scheme()
        )),
        Ok(u) => match u.host_str() {
            Some(h) if !h.is_empty() => None,
            _ => Some("no host".to_owned()),
        },
    }
}

/// `name@host`, optionally inside `显示名 <…>`: enough to catch a slip in the seeds; the mailer
/// parses it again when it sends.
fn looks_like_mailbox(s: &str) -> bool {
    let addr = match (s.rfind('<'), s.strip_suffix('>')) {
        (Some(i), Some(rest)) => &rest[i + 1..],
        _ => s,
    };
    match addr.split_once('@') {
        Some((local, host)) => {
            !local.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !addr
                    .chars()
                    .any(|c| c.is_whitespace() || c == '<' || c == '>')
        }
        None => false,
    }
}
