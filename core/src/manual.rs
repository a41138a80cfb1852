//! 人工核验: the office's own look at accounts no reader reaches, recorded from a CSV file
//! (`xunjian manual import`) or from the dashboard's form, both through [`check_entry`], so that
//! one record is judged valid by one rule wherever it comes from.
//!
//! A record names an account of the seeds, the newest post the person saw (its day or time, and
//! its URL when they have it), who looked and when. It is refused when it could not be true: a
//! look in the future, a post after the look, an account the seeds do not have. A whole file is
//! refused for one bad line, with the file, line, column and key named, and nothing is written.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use xunjian_model::observe::ManualCheck;
use xunjian_model::Seeds;
use xunjian_store::Store;

use crate::error::{CoreError, Result};
use crate::settings::Settings;

/// The columns of an import file, in their usual order; `post_url` may be left empty.
pub const COLUMNS: [&str; 5] = [
    "account",
    "last_post",
    "post_url",
    "checked_by",
    "checked_at",
];

/// One record as a person gives it, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManualEntry {
    /// The account id from the seeds.
    pub account: String,
    /// The newest post's day or time (`2025-09-20`, `2025-09-20 18:30`, RFC 3339; `/` and
    /// 年月日 also read).
    pub last_post: String,
    /// Where the post is (empty: not given).
    pub post_url: String,
    /// Who looked.
    pub checked_by: String,
    /// When they looked: a day and a time.
    pub checked_at: String,
}

/// Why an entry was refused: the key and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The column or form field.
    pub key: &'static str,
    /// What is wrong (the command line's words).
    pub message: String,
    /// What is wrong, in Chinese (the dashboard's words).
    pub message_zh: String,
}

fn refuse(key: &'static str, message: impl Into<String>, message_zh: impl Into<String>) -> Refusal {
    Refusal {
        key,
        message: message.into(),
        message_zh: message_zh.into(),
    }
}

fn east8() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Read a time a person wrote: RFC 3339, or a day and a time of day in China time.
fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    const FORMATS: [&str; 6] = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y年%m月%d日 %H:%M",
        "%Y年%m月%d日%H:%M",
    ];
    let text = text.trim().replace('/', "-");
    if let Ok(t) = DateTime::parse_from_rfc3339(&text) {
        return Some(t.with_timezone(&east8()));
    }
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok())
        .and_then(|t| east8().from_local_datetime(&t).single())
}

/// Read a day a person wrote.
fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim().replace('/', "-");
    ["%Y-%m-%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(&text, f).ok())
}

fn rfc3339(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Check one entry against the seeds at `now`; `source` says where it came from.
pub fn check_entry(
    entry: &ManualEntry,
    seeds: &Seeds,
    now: DateTime<Utc>,
    source: &str,
) -> std::result::Result<ManualCheck, Refusal> {
    let account = entry.account.trim();
    if !seeds.accounts.iter().any(|a| a.id == account) {
        return Err(refuse(
            "account",
            format!("no account `{account}` in the seeds"),
            format!("种子文件中没有账号「{account}」"),
        ));
    }
    let (last_post, last_post_at) = match parse_time(&entry.last_post) {
        Some(t) => (t.date_naive(), Some(t)),
        None => match parse_day(&entry.last_post) {
            Some(d) => (d, None),
            None => {
                return Err(refuse(
                    "last_post",
                    format!(
                        "`{}`: a day (2025-09-20) or a day and time (2025-09-20 18:30)",
                        entry.last_post.trim()
                    ),
                    "最近一次发布应为日期（2025-09-20）或日期和时间（2025-09-20 18:30）",
                ))
            }
        },
    };
    let checked_at = parse_time(&entry.checked_at).ok_or_else(|| {
        refuse(
            "checked_at",
            format!(
                "`{}`: the day and time of the look (2025-10-02 10:00)",
                entry.checked_at.trim()
            ),
            "核验时间应为日期和时间（2025-10-02 10:00）",
        )
    })?;
    if checked_at.with_timezone(&Utc) > now {
        return Err(refuse(
            "checked_at",
            format!("{} is in the future", entry.checked_at.trim()),
            format!("核验时间{}晚于当前时间", entry.checked_at.trim()),
        ));
    }
    let after_look = match last_post_at {
        Some(t) => t > checked_at,
        None => last_post > checked_at.date_naive(),
    };
    if after_look {
        return Err(refuse(
            "last_post",
            format!(
                "{} is after the look ({})",
                entry.last_post.trim(),
                entry.checked_at.trim()
            ),
            "最近一次发布不能晚于核验时间",
        ));
    }
    let checked_by = entry.checked_by.trim();
    if checked_by.is_empty() {
        return Err(refuse(
            "checked_by",
            "who looked must be given",
            "请填写核验人",
        ));
    }
    let post_url = entry.post_url.trim();
    if !post_url.is_empty()
        && !url::Url::parse(post_url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
    {
        return Err(refuse(
            "post_url",
            format!("`{post_url}`: an http(s) URL, or empty"),
            "发布链接应为 http(s) 网址，或留空",
        ));
    }
    Ok(ManualCheck {
        account: account.to_string(),
        last_post,
        last_post_at: last_post_at.map(rfc3339),
        post_url: (!post_url.is_empty()).then(|| post_url.to_string()),
        checked_by: checked_by.to_string(),
        checked_at: rfc3339(checked_at),
        source: source.to_string(),
    })
}

/// A bad import file: `FILE:LINE:COLUMN: key `KEY`: message`, as the seeds' errors.
fn bad_file(path: &Path, line: u64, column: usize, key: &str, message: &str) -> CoreError {
    CoreError::BadInput(format!(
        "{}:{line}:{column}: key `{key}`: {message}",
        path.display()
    ))
}

/// Which field of a record holds each of [`COLUMNS`] (`None`: absent), from the header.
fn header_positions(path: &Path, header: &csv::StringRecord) -> Result<[Option<usize>; 5]> {
    let mut at = [None; 5];
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}');
        if name == "source" {
            // What `xunjian manual list` adds; the records read get this file's lines instead.
            continue;
        }
        let Some(k) = COLUMNS.iter().position(|c| *c == name) else {
            return Err(bad_file(
                path,
                1,
                i + 1,
                name,
                &format!("unknown column; the columns are {}", COLUMNS.join(",")),
            ));
        };
        if at[k].replace(i).is_some() {
            return Err(bad_file(path, 1, i + 1, name, "the column is given twice"));
        }
    }
    if let Some(k) = (0..5).find(|&k| k != 2 && at[k].is_none()) {
        return Err(bad_file(
            path,
            1,
            1,
            COLUMNS[k],
            "missing column; the header must name account,last_post,checked_by,checked_at (post_url optional)",
        ));
    }
    Ok(at)
}

/// Read and check every record of a CSV import file (UTF-8, a header line naming [`COLUMNS`]).
pub fn read_csv(path: &Path, seeds: &Seeds, now: DateTime<Utc>) -> Result<Vec<ManualCheck>> {
    let io =
        |e: &dyn std::fmt::Display| bad_file(path, 1, 1, "(file)", &format!("cannot read: {e}"));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| io(&e))?;
    let at = header_positions(path, &reader.headers().map_err(|e| io(&e))?.clone())?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut checks: Vec<ManualCheck> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line());
            bad_file(path, line, 1, "(record)", &e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        // A cell this program exported with a leading `'` (so that no spreadsheet runs it as a
        // formula) reads back as written.
        let field = |k: usize| {
            let cell = at[k].and_then(|i| record.get(i)).unwrap_or("");
            cell.strip_prefix('\'')
                .filter(|rest| rest.starts_with(['=', '+', '-', '@', '\t', '\r']))
                .unwrap_or(cell)
                .to_string()
        };
        let entry = ManualEntry {
            account: field(0),
            last_post: field(1),
            post_url: field(2),
            checked_by: field(3),
            checked_at: field(4),
        };
        let check = check_entry(&entry, seeds, now, &format!("{name}:{line}")).map_err(|r| {
            let k = COLUMNS.iter().position(|c| *c == r.key).unwrap_or(0);
            bad_file(path, line, at[k].map_or(1, |i| i + 1), r.key, &r.message)
        })?;
        if checks
            .iter()
            .any(|c| c.account == check.account && c.checked_at == check.checked_at)
        {
            return Err(bad_file(
                path,
                line,
                at[4].map_or(1, |i| i + 1),
                "checked_at",
                &format!("account `{}` has another look at this time", check.account),
            ));
        }
        checks.push(check);
    }
    if checks.is_empty() {
        return Err(bad_file(
            path,
            2,
            1,
            "(record)",
            "no records after the header",
        ));
    }
    Ok(checks)
}

/// `xunjian manual import`: check the whole file, then record it in one transaction; returns how
/// many records were written.
pub async fn import_csv(settings: &Settings, store: &Store, path: &Path) -> Result<usize> {
    let checks = read_csv(path, &settings.seeds.seeds, settings.clock.now())?;
    let at = settings.clock.now_rfc3339();
    let n = store.add_manual_checks(&checks, &at).await?;
    tracing::info!(records = n, file = %path.display(), "人工核验 imported");
    Ok(n)
}

/// The dashboard's form: check one entry and record it; a refusal is returned for the form to
/// show.
pub async fn record_entry(
    settings: &Settings,
    store: &Store,
    entry: &ManualEntry,
) -> Result<std::result::Result<ManualCheck, Refusal>> {
    let check = match check_entry(
        entry,
        &settings.seeds.seeds,
        settings.clock.now(),
        "dashboard",
    ) {
        Ok(c) => c,
        Err(r) => return Ok(Err(r)),
    };
    store
        .add_manual_checks(std::slice::from_ref(&check), &settings.clock.now_rfc3339())
        .await?;
    Ok(Ok(check))
}

/// Write `checks` as CSV in the import file's columns, and where each came from: a file
/// `xunjian manual import` reads back.
pub fn write_csv(checks: &[ManualCheck], out: impl std::io::Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(out);
    out.write_record(COLUMNS.iter().chain(&["source"]))?;
    for c in checks {
        let last = c
            .last_post_at
            .clone()
            .unwrap_or_else(|| c.last_post.to_string());
        let row = [
            c.account.as_str(),
            &last,
            c.post_url.as_deref().unwrap_or(""),
            &c.checked_by,
            &c.checked_at,
            &c.source,
        ];
        out.write_record(row.map(|c| xunjian_reports::cell::inert(c).into_owned()))?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEEDS: &str = r#"[district]
name = "示范区"
office = "示范区人民政府办公室"
[[unit]]
id = "zfb"
name = "示范区人民政府办公室"
[[account]]
id = "dy"
name = "示范发布"
unit = "zfb"
platform = "douyin"
"#;

    fn seeds() -> Seeds {
        Seeds::parse(Path::new("seeds.toml"), SEEDS).expect("seeds")
    }

    fn now() -> DateTime<Utc> {
        "2025-10-08T00:00:00Z".parse().unwrap()
    }

    /// Read `text` as the file `checks.csv`.
    fn read(text: &str) -> Result<Vec<ManualCheck>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("checks.csv");
        std::fs::write(&path, text).unwrap();
        read_csv(&path, &seeds(), now()).map_err(|e| {
            CoreError::BadInput(
                e.to_string()
                    .replace(&dir.path().display().to_string(), "DIR"),
            )
        })
    }

    fn refused(text: &str) -> String {
        match read(text) {
            Err(CoreError::BadInput(m)) => m,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn a_file_in_any_column_order_with_a_bom_and_spreadsheet_dates_is_read() {
        let checks = read(
            "\u{feff}checked_by,account,checked_at,last_post,post_url\n\
             张三,dy,2025/10/2 10:00,2025/9/20,https://www.douyin.com/video/7\n\
             李四,dy,2025-10-03T09:30:00+08:00,2025-09-21 18:30,\n",
        )
        .expect("read");
        assert_eq!(checks.len(), 2);
        let (a, b) = (&checks[0], &checks[1]);
        assert_eq!(a.last_post.to_string(), "2025-09-20");
        assert_eq!(a.last_post_at, None);
        assert_eq!(a.checked_at, "2025-10-02T10:00:00+08:00");
        assert_eq!(
            a.post_url.as_deref(),
            Some("https://www.douyin.com/video/7")
        );
        assert_eq!(a.source, "checks.csv:2");
        assert_eq!(b.last_post_at.as_deref(), Some("2025-09-21T18:30:00+08:00"));
        assert_eq!(
            (b.post_url.as_ref(), b.source.as_str()),
            (None, "checks.csv:3")
        );
    }

    #[test]
    fn what_list_writes_import_reads_back() {
        let checks = read(
            "account,last_post,post_url,checked_by,checked_at\n\
             dy,2025-09-20,https://www.douyin.com/video/7,张三,2025-10-02 10:00\n\
             dy,2025-09-21 18:30,,\"李四, 王五\",2025-10-03 09:30\n",
        )
        .expect("read");
        let mut out = Vec::new();
        write_csv(&checks, &mut out).unwrap();
        let again = read(std::str::from_utf8(&out).unwrap()).expect("read back");
        assert_eq!(again, checks);
    }

    #[test]
    fn an_uploaded_formula_is_exported_inert_and_reads_back_as_uploaded() {
        let checks = read(
            "account,last_post,post_url,checked_by,checked_at\n\
             dy,2025-09-20,,\"=cmd|' /C calc'!A0\",2025-10-02 10:00\n",
        )
        .expect("read");
        let mut out = Vec::new();
        write_csv(&checks, &mut out).unwrap();
        let text = std::str::from_utf8(&out).unwrap();
        assert!(text.contains("'=cmd|"), "{text}");
        assert!(
            !text.contains(",=cmd") && !text.contains("\"=cmd"),
            "{text}"
        );
        let again = read(text).expect("read back");
        assert_eq!(again, checks);
    }

    #[test]
    fn a_bad_record_names_file_line_column_and_key() {
        let head = "account,last_post,post_url,checked_by,checked_at\n";
        let good = "dy,2025-09-20,,张三,2025-10-02 10:00\n";
        for (body, want) in [
            (
                "wb,2025-09-20,,张三,2025-10-02 10:00\n",
                "DIR/checks.csv:3:1: key `account`: no account `wb` in the seeds",
            ),
            (
                "dy,2025-09-20,,张三,2025-10-09 10:00\n",
                "DIR/checks.csv:3:5: key `checked_at`: 2025-10-09 10:00 is in the future",
            ),
            (
                "dy,2025-10-03,,张三,2025-10-02 10:00\n",
                "DIR/checks.csv:3:2: key `last_post`: 2025-10-03 is after the look (2025-10-02 10:00)",
            ),
            (
                "dy,2025-09-20,,张三,2025-10-02\n",
                "DIR/checks.csv:3:5: key `checked_at`: `2025-10-02`: the day and time of the look (2025-10-02 10:00)",
            ),
            (
                "dy,九月,,张三,2025-10-02 10:00\n",
                "DIR/checks.csv:3:2: key `last_post`: `九月`: a day (2025-09-20) or a day and time (2025-09-20 18:30)",
            ),
            (
                "dy,2025-09-20,douyin.com/7,张三,2025-10-03 10:00\n",
                "DIR/checks.csv:3:3: key `post_url`: `douyin.com/7`: an http(s) URL, or empty",
            ),
            (
                "dy,2025-09-20,, ,2025-10-03 10:00\n",
                "DIR/checks.csv:3:4: key `checked_by`: who looked must be given",
            ),
            (
                "dy,2025-09-21,,李四,2025-10-02 10:00\n",
                "DIR/checks.csv:3:5: key `checked_at`: account `dy` has another look at this time",
            ),
        ] {
            assert_eq!(refused(&format!("{head}{good}{body}")), want);
        }
        assert_eq!(
            refused("account,last_post,checked_by,when\n"),
            "DIR/checks.csv:1:4: key `when`: unknown column; the columns are account,last_post,post_url,checked_by,checked_at"
        );
        assert!(refused("account,last_post,checked_by\n")
            .starts_with("DIR/checks.csv:1:1: key `checked_at`: missing column"));
        assert_eq!(
            refused(head),
            "DIR/checks.csv:2:1: key `(record)`: no records after the header"
        );
    }
}
