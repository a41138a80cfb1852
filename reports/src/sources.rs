//! The 附件 of every page that carries a broken link: findings.json names a link's first pages
//! (`sources`, with `source_count`), and this CSV lists all of them, one row per link and page, so
//! that a unit can find and mend every copy of a footer link.

use std::collections::BTreeMap;

use xunjian_model::{Finding, FindingsDoc, Seeds};

use crate::ReportError;

/// Every page carrying each broken link, by (target id, link URL), as the store holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkSources(pub BTreeMap<(String, String), Vec<String>>);

/// The CSV text (UTF-8 with a byte-order mark, which spreadsheet programs need to read Chinese).
pub(crate) fn csv_text(
    doc: &FindingsDoc,
    seeds: &Seeds,
    all: &LinkSources,
) -> Result<Vec<u8>, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let csv_err = |e: csv::Error| ReportError::Csv(e.to_string());
    w.write_record(["序号", "责任单位", "网站", "不可用链接", "原因", "所在页面"])
        .map_err(csv_err)?;
    let mut n = 0usize;
    for t in &doc.targets {
        let unit = seeds
            .units
            .iter()
            .find(|u| u.id == t.unit)
            .map_or(t.unit.as_str(), |u| u.name.as_str());
        for f in &t.findings {
            let Finding::LinkBroken {
                url,
                sources,
                reason,
                ..
            } = f
            else {
                continue;
            };
            let pages = all.0.get(&(t.id.clone(), url.clone())).unwrap_or(sources);
            for page in pages {
                n += 1;
                let no = n.to_string();
                let reason = reason.label_zh();
                let row = [no.as_str(), unit, &t.name, url, &reason, page];
                w.write_record(row.map(|c| crate::cell::inert(c).into_owned()))
                    .map_err(csv_err)?;
            }
        }
    }
    w.into_inner().map_err(|e| ReportError::Csv(e.to_string()))
}
