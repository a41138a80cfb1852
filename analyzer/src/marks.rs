//! 网站标识: which of the seven footer marks the homepage lacks.

use xunjian_model::finding::{Finding, Mark};
use xunjian_model::observe::MarksSeen;

/// One finding per mark the homepage does not show.
pub fn missing_marks(marks: &MarksSeen, home_url: &str, seen: Option<&str>) -> Vec<Finding> {
    Mark::ALL
        .iter()
        .filter(|m| !present(marks, **m))
        .map(|m| Finding::MarkMissing {
            mark: *m,
            url: home_url.to_string(),
            evidence: format!("首页（{home_url}）未发现{}", m.label_zh()),
            seen: seen.map(str::to_string),
        })
        .collect()
}

fn present(marks: &MarksSeen, mark: Mark) -> bool {
    match mark {
        Mark::SiteCode => marks.site_code.is_some(),
        Mark::Icp => marks.icp.is_some(),
        Mark::Police => marks.police.is_some(),
        Mark::Badge => marks.badge,
        Mark::Sponsor => marks.sponsor.is_some(),
        Mark::Contact => marks.contact,
        Mark::ErrorReport => marks.error_report,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_exactly_the_missing_marks() {
        let marks = MarksSeen {
            site_code: Some("3702120001".into()),
            icp: None,
            police: Some("鲁公网安备 37021202000123号".into()),
            badge: true,
            sponsor: Some("示范区人民政府办公室".into()),
            contact: true,
            error_report: false,
            ..MarksSeen::default()
        };
        let found: Vec<Mark> = missing_marks(&marks, "http://a/", None)
            .into_iter()
            .map(|f| match f {
                Finding::MarkMissing { mark, .. } => mark,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(found, [Mark::Icp, Mark::ErrorReport]);
    }
}
