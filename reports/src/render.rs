//! The embedded handlebars templates, registered once, and the Markdown escaping.

use std::sync::OnceLock;

use handlebars::Handlebars;
use serde::Serialize;
use serde_json::Value;

use crate::ReportError;

pub(crate) const REPORT_MD: &str = "report.md";
pub(crate) const REPORT_HTML: &str = "report.html";
pub(crate) const NOTICE_MD: &str = "notice.md";
pub(crate) const NOTICE_HTML: &str = "notice.html";

const MD_TEMPLATES: [(&str, &str); 2] = [
    (REPORT_MD, include_str!("../templates/report.md.hbs")),
    (NOTICE_MD, include_str!("../templates/notice.md.hbs")),
];

const HTML_TEMPLATES: [(&str, &str); 2] = [
    (REPORT_HTML, include_str!("../templates/report.html.hbs")),
    (NOTICE_HTML, include_str!("../templates/notice.html.hbs")),
];

/// The print style shared by the HTML pages (a partial: `{{> style}}`).
const STYLE: (&str, &str) = ("style", include_str!("../templates/style.css.hbs"));

struct Registries {
    /// Markdown: no HTML escaping (the view-model is escaped for Markdown before rendering).
    md: Handlebars<'static>,
    /// HTML: handlebars' default HTML escaping.
    html: Handlebars<'static>,
}

fn registries() -> Result<&'static Registries, ReportError> {
    /// A template that does not compile: its name and the compiler's message.
    type Failed = (&'static str, String);
    static REG: OnceLock<Result<Registries, Failed>> = OnceLock::new();
    REG.get_or_init(build)
        .as_ref()
        .map_err(|(name, message)| ReportError::Template {
            name,
            message: message.clone(),
        })
}

fn build() -> Result<Registries, (&'static str, String)> {
    let mut md = Handlebars::new();
    md.set_strict_mode(true);
    md.register_escape_fn(handlebars::no_escape);
    for (name, text) in MD_TEMPLATES {
        register(&mut md, name, text)?;
    }
    let mut html = Handlebars::new();
    html.set_strict_mode(true);
    for (name, text) in HTML_TEMPLATES.into_iter().chain([STYLE]) {
        register(&mut html, name, text)?;
    }
    Ok(Registries { md, html })
}

fn register(
    hb: &mut Handlebars<'static>,
    name: &'static str,
    text: &str,
) -> Result<(), (&'static str, String)> {
    hb.register_template_string(name, text)
        .map_err(|e| (name, e.to_string()))
}

fn render_err(name: &'static str) -> impl FnOnce(handlebars::RenderError) -> ReportError {
    move |e| ReportError::Render {
        name,
        source: Box::new(e),
    }
}

/// Render a Markdown template: every string of the view-model is escaped for Markdown first.
pub(crate) fn markdown<T: Serialize>(name: &'static str, view: &T) -> Result<String, ReportError> {
    let mut v =
        serde_json::to_value(view).map_err(|source| ReportError::ViewModel { name, source })?;
    escape_md_value(&mut v);
    registries()?.md.render(name, &v).map_err(render_err(name))
}

/// Render an HTML template (handlebars escapes every `{{value}}`).
pub(crate) fn html<T: Serialize>(name: &'static str, view: &T) -> Result<String, ReportError> {
    registries()?
        .html
        .render(name, view)
        .map_err(render_err(name))
}

fn escape_md_value(v: &mut Value) {
    match v {
        Value::String(s) => *s = escape_md(s),
        Value::Array(a) => a.iter_mut().for_each(escape_md_value),
        Value::Object(o) => o.values_mut().for_each(escape_md_value),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Make a text safe inside a Markdown paragraph, list item or table cell: line breaks become spaces
/// (a newline would end the list item or table row), `|` is escaped (it would split a table cell), and
/// `<` is escaped so that text from crawled pages can never become raw HTML in a Markdown viewer.
pub(crate) fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '|' => out.push_str("\\|"),
            '<' => out.push_str("\\<"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}
