//! Report writers of xunjian (巡检): `findings.json`, the quarterly 通报 (`report.md`, `report.html`) and
//! one 整改通知 per responsible unit with findings (`notices/{unit}.md`, `notices/{unit}.html`).
//!
//! The reports are rendered from a serializable view-model ([`view`]) with handlebars templates that are
//! embedded in the binary (`templates/*.hbs`). Every file is written atomically: into a temporary file in
//! the same directory, then renamed over the target, so an interrupted run never leaves a half-written
//! report behind.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use xunjian_model::{FindingsDoc, Seeds};

pub mod chart;
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
    /// Why the documents cannot be signed, when the run was degraded (检查端网络异常：…).
    pub degraded: Option<String>,
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

/// The ids of the units that receive a 整改通知 (those with at least one finding), in seeds order.
pub fn notice_units(doc: &FindingsDoc, seeds: &Seeds) -> Vec<String> {
    view::units_with_findings(doc, seeds)
}

/// Write `findings.json`, `report.md`, `report.html`, the notices and `broken-links.csv` (every
/// page of `sources`, or of each finding's `sources` where it has none) into `out_dir` (created
/// if missing). Notices of units that no longer have findings, left by an earlier run into the
/// same directory, are removed so that `notices/` lists exactly the units to notify.
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
    let mut notices = Vec::new();
    for unit in notice_units(doc, seeds) {
        let md = render_notice_md(doc, seeds, opts, &unit)?;
        let html = render_notice_html(doc, seeds, opts, &unit)?;
        notices.push((write::file_stem(&unit), md, html));
    }

    write::create_dir(out_dir)?;
    let findings_path = out_dir.join("findings.json");
    write::atomic(&findings_path, findings_json(doc).as_bytes())?;
    let md_path = out_dir.join("report.md");
    write::atomic(&md_path, report_md.as_bytes())?;
    let html_path = out_dir.join("report.html");
    write::atomic(&html_path, report_html.as_bytes())?;
    let csv_path = out_dir.join("broken-links.csv");
    write::atomic(&csv_path, &broken_csv)?;

    let notice_dir = out_dir.join("notices");
    write::create_dir(&notice_dir)?;
    let mut written = Vec::new();
    for (stem, md, html) in &notices {
        let p = notice_dir.join(format!("{stem}.md"));
        write::atomic(&p, md.as_bytes())?;
        written.push(p);
        let p = notice_dir.join(format!("{stem}.html"));
        write::atomic(&p, html.as_bytes())?;
        written.push(p);
    }
    write::remove_stale(&notice_dir, &written)?;
    write::remove_temps(out_dir)?;

    Ok(Written {
        findings_json: findings_path,
        report_html: html_path,
        report_md: md_path,
        notices: written,
        broken_links_csv: csv_path,
        degraded: doc.degraded.clone(),
    })
}
