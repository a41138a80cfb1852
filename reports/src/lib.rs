//! Report writers of xunjian (巡检): `findings.json`, the quarterly 通报 (`report.md`, `report.html`) and
//! one 整改通知 per responsible unit with findings (`notices/{unit}.md`, `notices/{unit}.html`).
//!
//! The reports are rendered from a serializable view-model ([`view`]) with handlebars templates that are
//! embedded in the binary (`templates/*.hbs`). Every file is written atomically: into a temporary file in
//! the same directory, then renamed over the target, so an interrupted run never leaves a half-written
//! report behind.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use chrono::NaiveDate;
use xunjian_model::{Finding, FindingKey, FindingsDoc, ProblemState, Seeds};

mod blocks;
pub mod cell;
pub mod chart;
mod docx;
mod problems;
pub mod readback;
mod render;
mod sources;
mod view;
mod write;

pub use sources::LinkSources;

#[cfg(test)]
mod tests;

/// How the reports are dated: both dates are decided by the caller (the pipeline counts the
/// deadline in working days from the date of issue); the reports only print them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// The date of issue printed on the 通报 and the notices (成文日期).
    pub issued: NaiveDate,
    /// The remediation deadline (整改期限) the units are given.
    pub deadline: NaiveDate,
    /// Where each problem stands in the remediation loop, as the store tracks it.
    pub states: ProblemStates,
    /// What became of the problems the previous quarter's 通报 listed (上季度通报问题整改情况),
    /// when there was one.
    pub previous: Option<Previous>,
}

/// 上季度通报问题整改情况: the problems the previous 通报 listed, as they stand now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Previous {
    /// The previous 通报's time point (`YYYY-MM-DD`).
    pub as_of: String,
    /// Unit by unit, in seeds order.
    pub units: Vec<PreviousUnit>,
    /// Problems it listed that were found again after it (再次发现).
    pub found_again: usize,
}

/// One unit's part of [`Previous`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreviousUnit {
    /// The unit id.
    pub unit: String,
    /// Problems the previous 通报 listed for it.
    pub listed: usize,
    /// Of those, gone since (已销号).
    pub closed: usize,
    /// Of those, found to be false positives (误报).
    pub false_positive: usize,
    /// Whether the unit answered any of them (reported a fix or disputed one).
    pub reported_back: bool,
}

/// Where each problem stands and what was done to it, by its identity ([`FindingKey`]); a
/// finding not listed is [`ProblemState::Open`] (待整改) with no history, as every finding of a
/// first run is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProblemStates(pub BTreeMap<FindingKey, Tracking>);

/// One problem as the store tracks it, for the documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracking {
    /// Where it stands.
    pub state: ProblemState,
    /// When it was first seen (RFC 3339).
    pub first_seen: String,
    /// What people and 复查 did to it, oldest first, each line said for people
    /// (「2025-10-02 单位报告已整改：已补发」).
    pub history: Vec<String>,
}

impl Tracking {
    /// A problem in `state` with no history, first seen at `first_seen`.
    pub fn new(state: ProblemState, first_seen: &str) -> Tracking {
        Tracking {
            state,
            first_seen: first_seen.to_string(),
            history: Vec::new(),
        }
    }
}

impl ProblemStates {
    /// The tracking of finding `f` on `target`, if it is tracked.
    pub fn get(&self, target: &str, f: &Finding) -> Option<&Tracking> {
        self.0.get(&f.key(target))
    }

    /// The state of finding `f` on `target`.
    pub fn of(&self, target: &str, f: &Finding) -> ProblemState {
        self.get(target, f).map_or(ProblemState::Open, |t| t.state)
    }
}

/// The files [`write_all`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// `findings.json`.
    pub findings_json: PathBuf,
    /// `report.html`.
    pub report_html: PathBuf,
    /// `report.md`.
    pub report_md: PathBuf,
    /// `notices/{unit}.md` and `notices/{unit}.html` of every unit with findings, in unit order.
    pub notices: Vec<PathBuf>,
    /// `broken-links.csv`: every page that carries each broken link.
    pub broken_links_csv: PathBuf,
    /// `report.docx`: the 通报 in the 公文 format.
    pub report_docx: PathBuf,
    /// `notices/{unit}.docx` of every unit with findings, in unit order.
    pub notices_docx: Vec<PathBuf>,
    /// `problems.xlsx`: the problem list, a row per finding.
    pub problems_xlsx: PathBuf,
    /// `problems.csv`: the same rows as CSV.
    pub problems_csv: PathBuf,
    /// Why the documents cannot be signed, when the run was degraded (检查端网络异常：…).
    pub degraded: Option<String>,
    /// The units that received a notice, in unit order.
    pub notice_units: Vec<String>,
    /// The 整改期限 the documents gave.
    pub deadline: NaiveDate,
}

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A date in the findings document is malformed.
    #[error("findings document: `{field}` is not a YYYY-MM-DD date: `{value}`")]
    BadDate {
        /// Which field.
        field: &'static str,
        /// Its value.
        value: String,
    },
    /// A notice was asked for a unit that has no findings.
    #[error("unit `{0}` has no findings: no remediation notice to write")]
    NoFindings(String),
    /// The CSV writer failed.
    #[error("csv: {0}")]
    Csv(String),
    /// The Word writer failed.
    #[error("docx: {0}")]
    Docx(String),
    /// The spreadsheet writer failed.
    #[error("xlsx: {0}")]
    Xlsx(String),
    /// An embedded template does not compile (a bug in this crate).
    #[error("template `{name}`: {message}")]
    Template {
        /// The template's name.
        name: &'static str,
        /// The compiler's message.
        message: String,
    },
    /// The view-model could not be serialized (a bug in this crate).
    #[error("view-model of `{name}`: {source}")]
    ViewModel {
        /// The template's name.
        name: &'static str,
        /// The cause.
        source: serde_json::Error,
    },
    /// Rendering a template failed.
    #[error("rendering `{name}`: {source}")]
    Render {
        /// The template's name.
        name: &'static str,
        /// The cause.
        source: Box<handlebars::RenderError>,
    },
}

/// `findings.json`: the document as pretty JSON in the contract's shape, with a trailing newline.
pub fn findings_json(doc: &FindingsDoc) -> String {
    // The model's types have no maps with non-string keys and serde_json writes non-finite floats as
    // null, so serializing cannot fail.
    let mut s = serde_json::to_string_pretty(doc).expect("a FindingsDoc always serializes");
    s.push('\n');
    s
}

/// The quarterly 通报 as Markdown.
pub fn render_report_md(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
) -> Result<String, ReportError> {
    let v = view::report(doc, seeds, opts)?;
    render::markdown(render::REPORT_MD, &v)
}

/// The quarterly 通报 as a self-contained, printable HTML page.
pub fn render_report_html(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
) -> Result<String, ReportError> {
    let v = view::report(doc, seeds, opts)?;
    render::html(render::REPORT_HTML, &v)
}

/// The 整改通知 of one unit as Markdown; [`ReportError::NoFindings`] when the unit has none.
pub fn render_notice_md(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
    unit_id: &str,
) -> Result<String, ReportError> {
    let v = view::notice(doc, seeds, opts, unit_id)?;
    render::markdown(render::NOTICE_MD, &v)
}

/// The 整改通知 of one unit as a self-contained, printable HTML page; [`ReportError::NoFindings`] when
/// the unit has none.
pub fn render_notice_html(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
    unit_id: &str,
) -> Result<String, ReportError> {
    let v = view::notice(doc, seeds, opts, unit_id)?;
    render::html(render::NOTICE_HTML, &v)
}

/// The file stem of a unit's notices (`notices/{stem}.md|html|docx`).
pub fn notice_stem(unit_id: &str) -> String {
    write::file_stem(unit_id)
}

/// The ids of the units that receive a 整改通知 (those with at least one finding), in seeds order.
pub fn notice_units(doc: &FindingsDoc, seeds: &Seeds) -> Vec<String> {
    view::units_with_findings(doc, seeds)
}

/// The letter (发文机关, 发文字号, 成文日期) of the documents of `seeds` issued under `opts`.
fn letter<'a>(seeds: &'a Seeds, opts: &ReportOptions, issued_zh: &'a str) -> docx::Letter<'a> {
    docx::Letter {
        office: &seeds.district.office,
        doc_number: seeds.district.doc_number.as_deref(),
        issued_zh,
        issued: opts.issued,
    }
}

/// The quarterly 通报 as a Word document in the 公文 format (GB/T 9704-2012).
pub fn render_report_docx(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
) -> Result<Vec<u8>, ReportError> {
    let md = render_report_md(doc, seeds, opts)?;
    let issued = view::date_zh(opts.issued);
    docx::document(&md, &letter(seeds, opts, &issued))
}

/// The 整改通知 of one unit as a Word document in the 公文 format; [`ReportError::NoFindings`]
/// when the unit has none. A notice carries no 发文字号 of its own.
pub fn render_notice_docx(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
    unit_id: &str,
) -> Result<Vec<u8>, ReportError> {
    let md = render_notice_md(doc, seeds, opts, unit_id)?;
    let issued = view::date_zh(opts.issued);
    let letter = docx::Letter {
        doc_number: None,
        ..letter(seeds, opts, &issued)
    };
    docx::document(&md, &letter)
}

/// The problem list (问题清单) as .xlsx: a row per finding.
pub fn render_problems_xlsx(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
) -> Result<Vec<u8>, ReportError> {
    let rows = view::problems(doc, seeds, opts)?;
    let title = format!("{}问题清单", doc.district);
    problems::xlsx(&rows, &title, opts.issued)
}

/// The problem list as CSV (UTF-8 with a byte-order mark).
pub fn render_problems_csv(
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
) -> Result<Vec<u8>, ReportError> {
    problems::csv(&view::problems(doc, seeds, opts)?)
}

/// One rendered notice: its file stem and its three formats.
struct NoticeFiles {
    stem: String,
    md: String,
    html: String,
    docx: Vec<u8>,
}

/// Write `findings.json`, the 通报 (`report.md`, `report.html`, `report.docx`), the notices
/// (`notices/{unit}.md|.html|.docx`), the problem list (`problems.xlsx`, `problems.csv`) and
/// `broken-links.csv` (every page of `sources`, or of each finding's `sources` where it has none)
/// into `out_dir` (created if missing). Notices of units that no longer have findings, left by an
/// earlier run into the same directory, are removed so that `notices/` lists exactly the units to
/// notify.
pub fn write_all(
    out_dir: &Path,
    doc: &FindingsDoc,
    seeds: &Seeds,
    opts: &ReportOptions,
    sources: &LinkSources,
) -> Result<Written, ReportError> {
    // Render everything first: a template or data error then leaves the directory untouched.
    let broken_csv = sources::csv_text(doc, seeds, sources)?;
    let report_md = render_report_md(doc, seeds, opts)?;
    let report_html = render_report_html(doc, seeds, opts)?;
    let report_docx = render_report_docx(doc, seeds, opts)?;
    let problems_xlsx = render_problems_xlsx(doc, seeds, opts)?;
    let problems_csv = render_problems_csv(doc, seeds, opts)?;
    let mut notices = Vec::new();
    for unit in notice_units(doc, seeds) {
        notices.push(NoticeFiles {
            stem: write::file_stem(&unit),
            md: render_notice_md(doc, seeds, opts, &unit)?,
            html: render_notice_html(doc, seeds, opts, &unit)?,
            docx: render_notice_docx(doc, seeds, opts, &unit)?,
        });
    }

    write::create_dir(out_dir)?;
    let put = |name: &str, bytes: &[u8]| -> Result<PathBuf, ReportError> {
        let path = out_dir.join(name);
        write::atomic(&path, bytes)?;
        Ok(path)
    };
    let findings_json = put("findings.json", findings_json(doc).as_bytes())?;
    let report_md = put("report.md", report_md.as_bytes())?;
    let report_html = put("report.html", report_html.as_bytes())?;
    let report_docx = put("report.docx", &report_docx)?;
    let broken_links_csv = put("broken-links.csv", &broken_csv)?;
    let problems_xlsx = put("problems.xlsx", &problems_xlsx)?;
    let problems_csv = put("problems.csv", &problems_csv)?;

    let notice_dir = out_dir.join("notices");
    write::create_dir(&notice_dir)?;
    let mut written = Vec::new();
    let mut notices_docx = Vec::new();
    for n in &notices {
        for (ext, bytes) in [("md", n.md.as_bytes()), ("html", n.html.as_bytes())] {
            let p = notice_dir.join(format!("{}.{ext}", n.stem));
            write::atomic(&p, bytes)?;
            written.push(p);
        }
        let p = notice_dir.join(format!("{}.docx", n.stem));
        write::atomic(&p, &n.docx)?;
        notices_docx.push(p);
    }
    let kept: Vec<PathBuf> = written.iter().chain(&notices_docx).cloned().collect();
    write::remove_stale(&notice_dir, &kept)?;
    write::remove_temps(out_dir)?;

    Ok(Written {
        findings_json,
        report_html,
        report_md,
        notices: written,
        broken_links_csv,
        report_docx,
        notices_docx,
        problems_xlsx,
        problems_csv,
        degraded: doc.degraded.clone(),
        notice_units: notice_units(doc, seeds),
        deadline: opts.deadline,
    })
}
