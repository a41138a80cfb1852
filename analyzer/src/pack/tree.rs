//! A small spanned TOML tree, shared by the rule-pack and calendar parsers.
//!
//! `toml_edit` (the parser behind `toml`) keeps the byte span of every key, value and table header.
//! The document is copied into plain [`Node`]s that remember where each starts, so that every
//! error can name the file, line, column and dotted key (`rule[3].points`), the same way seeds
//! errors do (`model/src/seeds/parse.rs`, whose helpers are private to the model crate).

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use toml_edit::{ImDocument, Item, TableLike, Value};

use super::PackError;

pub(crate) type Result<T> = std::result::Result<T, PackError>;

/// A TOML value and the byte offset where it starts in the text (for a table: its header).
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub pos: usize,
    pub val: Val,
}

/// A TOML value.
#[derive(Debug, Clone)]
pub(crate) enum Val {
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
    pub fn describe(&self) -> &'static str {
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
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub pos: usize,
    pub node: Node,
}

fn start(span: Option<Range<usize>>, fallback: usize) -> usize {
    span.map_or(fallback, |s| s.start)
}

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

/// 1-based line and column (in characters) of a byte offset; a leading BOM does not count.
pub(crate) fn line_col(text: &str, pos: usize) -> (usize, usize) {
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

/// A table being checked: its dotted path (`rule[2]`), where it starts, its entries.
pub(crate) struct Tbl<'t> {
    pub path: String,
    pub pos: usize,
    pub entries: &'t [Entry],
}

impl<'t> Tbl<'t> {
    /// The dotted path of one of its keys.
    pub fn key(&self, k: &str) -> String {
        if self.path.is_empty() {
            k.to_owned()
        } else {
            format!("{}.{k}", self.path)
        }
    }

    pub fn get(&self, k: &str) -> Option<&'t Entry> {
        self.entries.iter().find(|e| e.key == k)
    }
}

/// `a`, `b` → "`a`, `b`".
pub(crate) fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The file being checked, for building errors.
pub(crate) struct Cx<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

impl Cx<'_> {
    /// Parse the text into the entries of its root table.
    pub fn root(&self) -> Result<Vec<Entry>> {
        let doc = ImDocument::parse(self.text).map_err(|e| self.syntax(&e))?;
        Ok(table_entries(doc.as_table(), 0))
    }

    pub fn err(&self, pos: usize, key: impl Into<String>, message: impl Into<String>) -> PackError {
        let (line, column) = line_col(self.text, pos);
        PackError {
            file: self.file.to_path_buf(),
            line,
            column,
            key: key.into(),
            message: message.into(),
        }
    }

    pub fn line(&self, pos: usize) -> usize {
        line_col(self.text, pos).0
    }

    /// A TOML syntax error, on one line.
    fn syntax(&self, e: &toml_edit::TomlError) -> PackError {
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

    pub fn known_keys(&self, t: &Tbl, allowed: &[&str]) -> Result<()> {
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

    pub fn table<'t>(&self, node: &'t Node, path: String) -> Result<Tbl<'t>> {
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

    /// The table under key `k` of `parent`, if present.
    pub fn opt_table<'t>(&self, parent: &Tbl<'t>, k: &str) -> Result<Option<Tbl<'t>>> {
        parent
            .get(k)
            .map(|e| self.table(&e.node, parent.key(k)))
            .transpose()
    }

    /// The tables of `[[k]]` in `parent`, none if absent.
    pub fn array_of_tables<'t>(&self, parent: &Tbl<'t>, k: &str) -> Result<Vec<Tbl<'t>>> {
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
                    "expected an array of tables (`[[{k}]]`), found {}",
                    other.describe()
                ),
            )),
        }
    }

    pub fn required<'t>(&self, t: &Tbl<'t>, k: &str) -> Result<&'t Entry> {
        t.get(k).ok_or_else(|| {
            self.err(
                t.pos,
                t.key(k),
                format!("missing required key `{k}` in this table"),
            )
        })
    }

    pub fn type_error(&self, t: &Tbl, e: &Entry, expected: &str) -> PackError {
        self.err(
            e.node.pos,
            t.key(&e.key),
            format!("expected {expected}, found {}", e.node.val.describe()),
        )
    }

    // -- Scalars ------------------------------------------------------------------------------

    /// A non-empty string.
    pub fn string(&self, t: &Tbl, e: &Entry) -> Result<String> {
        match &e.node.val {
            Val::Str(s) if s.trim().is_empty() => {
                Err(self.err(e.node.pos, t.key(&e.key), "must not be empty"))
            }
            Val::Str(s) => Ok(s.clone()),
            _ => Err(self.type_error(t, e, "a string")),
        }
    }

    pub fn req_str(&self, t: &Tbl, k: &str) -> Result<String> {
        self.string(t, self.required(t, k)?)
    }

    pub fn opt_str(&self, t: &Tbl, k: &str) -> Result<Option<String>> {
        t.get(k).map(|e| self.string(t, e)).transpose()
    }

    /// A list of non-empty strings (a single string counts as a list of one).
    pub fn str_list(&self, t: &Tbl, e: &Entry) -> Result<Vec<String>> {
        match &e.node.val {
            Val::Str(_) => Ok(vec![self.string(t, e)?]),
            Val::Array(items) => items
                .iter()
                .map(|n| match &n.val {
                    Val::Str(s) if !s.trim().is_empty() => Ok(s.clone()),
                    Val::Str(_) => Err(self.err(n.pos, t.key(&e.key), "must not be empty")),
                    other => Err(self.err(
                        n.pos,
                        t.key(&e.key),
                        format!("expected a list of strings, found {}", other.describe()),
                    )),
                })
                .collect(),
            _ => Err(self.type_error(t, e, "a list of strings")),
        }
    }

    pub fn bool(&self, t: &Tbl, e: &Entry) -> Result<bool> {
        match e.node.val {
            Val::Bool(b) => Ok(b),
            _ => Err(self.type_error(t, e, "a boolean (true or false)")),
        }
    }

    /// A finite number (integer or float).
    pub fn number(&self, t: &Tbl, e: &Entry) -> Result<f64> {
        let x = match e.node.val {
            Val::Int(i) => i as f64,
            Val::Float(f) => f,
            _ => return Err(self.type_error(t, e, "a number")),
        };
        if x.is_finite() {
            Ok(x)
        } else {
            Err(self.err(e.node.pos, t.key(&e.key), "must be a finite number"))
        }
    }

    /// A finite number greater than 0.
    pub fn positive(&self, t: &Tbl, e: &Entry) -> Result<f64> {
        let x = self.number(t, e)?;
        if x > 0.0 {
            Ok(x)
        } else {
            Err(self.err(
                e.node.pos,
                t.key(&e.key),
                format!("must be a number greater than 0, found {x}"),
            ))
        }
    }

    /// A finite number of at least 0.
    pub fn non_negative(&self, t: &Tbl, e: &Entry) -> Result<f64> {
        let x = self.number(t, e)?;
        if x >= 0.0 {
            Ok(x)
        } else {
            Err(self.err(
                e.node.pos,
                t.key(&e.key),
                format!("must not be negative, found {x}"),
            ))
        }
    }

    /// An integer in `min..=max`.
    pub fn int(&self, t: &Tbl, e: &Entry, min: i64, max: i64) -> Result<i64> {
        let Val::Int(i) = e.node.val else {
            return Err(self.type_error(t, e, "an integer"));
        };
        if (min..=max).contains(&i) {
            Ok(i)
        } else {
            let rule = match min {
                _ if i > max => format!("must be at most {max}"),
                0 => "must not be negative".to_owned(),
                1 => "must be a positive integer".to_owned(),
                _ => format!("must be at least {min}"),
            };
            Err(self.err(e.node.pos, t.key(&e.key), format!("{rule}, found {i}")))
        }
    }

    /// One of a fixed set of strings.
    pub fn choice<T: Copy>(&self, t: &Tbl, e: &Entry, options: &[(&str, T)]) -> Result<T> {
        let s = self.string(t, e)?;
        options
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                self.err(
                    e.node.pos,
                    t.key(&e.key),
                    format!(
                        "invalid value `{s}` (expected one of {})",
                        quoted_list(&names)
                    ),
                )
            })
    }

    /// A date: a TOML local date (`2026-01-01`) or a string `"YYYY-MM-DD"`; `key` names it.
    pub fn date(&self, node: &Node, key: &str) -> Result<NaiveDate> {
        let bad = |message: String| self.err(node.pos, key, message);
        match &node.val {
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
            other => Err(bad(format!(
                "expected a date as YYYY-MM-DD, found {}",
                other.describe()
            ))),
        }
    }
}

/// A strict `YYYY-MM-DD`.
pub(crate) fn parse_ymd(s: &str) -> Option<NaiveDate> {
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
