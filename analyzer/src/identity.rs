//! 网站标识与域名 (国办发〔2017〕47号): the domain a site is served from, and whether the marks its
//! homepage shows are well formed.
//!
//! Portals use `www.□□□.gov.cn`; department and street sites a lower-level domain of their
//! government's portal (`○○○.□□□.gov.cn`). A site reached by an IP address or `localhost` has no
//! domain to judge, so nothing is said about it.
//!
//! Marks that are shown but malformed are `site.mark_invalid` (one finding per mark): a 网站标识码
//! that is not ten characters (`3702120001`, `bm07000001`) or differs from the page's
//! `<meta name="SiteIDCode">`; an ICP number not of the form `鲁ICP备05000000号(-2)`; a 公安备案
//! number not of the form `鲁公网安备 37021202000123号` (14 digits); a 党政机关标识 image that does not
//! link to conac.cn's verification page. Missing marks are [`crate::marks`]'s business.

use std::sync::LazyLock;

use regex::Regex;
use url::{Host, Url};
use xunjian_model::finding::{Finding, Mark};
use xunjian_model::observe::{MarksSeen, PROVINCE_ABBRS};
use xunjian_model::seeds::{Site, SiteKind};

static PORTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^www\.[a-z0-9-]+\.gov\.cn$").expect("valid regex"));
static SITE_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:\d{10}|bm\d{8})$").expect("valid regex"));
static ICP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[{PROVINCE_ABBRS}]ICP备\d{{6,10}}号(?:-\d{{1,3}})?$"
    ))
    .expect("valid regex")
});
static POLICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^[{PROVINCE_ABBRS}]公网安备\s?\d{{14}}号$")).expect("valid regex")
});

/// Domain and 网站标识码 findings of a site whose homepage answered.
pub fn identity(
    site: &Site,
    portal: Option<&Site>,
    marks: &MarksSeen,
    seen: Option<&str>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(f) = domain(site, portal, seen) {
        out.push(f);
    }
    for mark in [Mark::SiteCode, Mark::Icp, Mark::Police, Mark::Badge] {
        if let Some((value, problem)) = malformed(marks, mark) {
            out.push(Finding::MarkInvalid {
                mark,
                evidence: format!("首页（{}）{problem}", site.url),
                value,
                url: site.url.clone(),
                seen: seen.map(str::to_string),
            });
        }
    }
    out
}

/// The value shown and what is wrong with it, for a mark that is shown but malformed.
fn malformed(marks: &MarksSeen, mark: Mark) -> Option<(String, String)> {
    match mark {
        Mark::SiteCode => {
            let code = marks.site_code.as_deref()?;
            let mut problems = Vec::new();
            if !SITE_CODE.is_match(code) {
                problems.push(format!(
                    "显示的网站标识码“{code}”不是10位标识码（如3702120001、bm07000001）"
                ));
            }
            if let Some(meta) = marks.site_code_meta.as_deref().filter(|m| *m != code) {
                problems.push(format!(
                    "页面显示的网站标识码“{code}”与页面元数据（SiteIDCode）中的“{meta}”不一致"
                ));
            }
            (!problems.is_empty()).then(|| (code.to_string(), problems.join("；")))
        }
        Mark::Icp => {
            let icp = marks.icp.as_deref()?;
            (!ICP.is_match(icp)).then(|| {
                (
                    icp.to_string(),
                    format!("显示的ICP备案编号“{icp}”格式不符（应如“鲁ICP备05000000号”）"),
                )
            })
        }
        Mark::Police => {
            let police = marks.police.as_deref()?;
            (!POLICE.is_match(police)).then(|| {
                (
                    police.to_string(),
                    format!(
                        "显示的公安机关备案编号“{police}”格式不符（应如“鲁公网安备 37021202000123号”，14位数字）"
                    ),
                )
            })
        }
        Mark::Badge => {
            let target = marks.badge_target.as_deref()?;
            if target.is_empty() {
                return Some((
                    String::new(),
                    "的党政机关网站标识图片未链接到开办审核网站（bszs.conac.cn）".to_string(),
                ));
            }
            let off_conac = match domain_of(target) {
                Some(d) => d != "conac.cn" && !d.ends_with(".conac.cn"),
                // An IP address or localhost has no domain to judge (as for the site itself);
                // a target that is no URL at all is off conac.
                None => !Url::parse(target).is_ok_and(|u| u.host().is_some()),
            };
            off_conac.then(|| {
                (
                    target.to_string(),
                    format!(
                        "的党政机关网站标识链接到“{target}”，而非开办审核网站（bszs.conac.cn）"
                    ),
                )
            })
        }
        _ => None,
    }
}

fn domain_of(url: &str) -> Option<String> {
    match Url::parse(url).ok()?.host()? {
        Host::Domain(d) if d != "localhost" => Some(d.to_ascii_lowercase()),
        _ => None,
    }
}

fn domain(site: &Site, portal: Option<&Site>, seen: Option<&str>) -> Option<Finding> {
    let host = domain_of(&site.url)?;
    let expected = match site.kind {
        SiteKind::Portal => (!PORTAL.is_match(&host)).then(|| "www.□□□.gov.cn".to_string()),
        _ => {
            let parent = portal
                .and_then(|p| domain_of(&p.url))
                .map(|p| p.trim_start_matches("www.").to_string())
                .filter(|p| p.ends_with(".gov.cn"));
            match parent {
                Some(parent) if !host.ends_with(&format!(".{parent}")) => {
                    Some(format!("○○○.{parent}（门户网站的下级域名）"))
                }
                None if !host.ends_with(".gov.cn") => Some("以.gov.cn结尾的域名".to_string()),
                _ => None,
            }
        }
    }?;
    Some(Finding::DomainNonstandard {
        url: site.url.clone(),
        evidence: format!("网站使用域名{host}，按《政府网站发展指引》应为{expected}"),
        host,
        expected,
        seen: seen.map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(kind: SiteKind, url: &str) -> Site {
        Site {
            id: "s".into(),
            name: "s".into(),
            unit: "u".into(),
            url: url.into(),
            kind,
            columns: vec![],
            rate_per_host: None,
        }
    }

    fn rules(found: &[Finding]) -> Vec<&'static str> {
        found.iter().map(Finding::rule).collect()
    }

    #[test]
    fn domains() {
        let marks = MarksSeen::default();
        let portal = site(SiteKind::Portal, "http://www.laoshan.gov.cn/");
        assert!(identity(&portal, Some(&portal), &marks, None).is_empty());
        let odd_portal = site(SiteKind::Portal, "http://laoshan.qingdao.gov.cn/");
        assert_eq!(
            rules(&identity(&odd_portal, None, &marks, None)),
            ["site.domain_nonstandard"]
        );
        let dept = site(SiteKind::Department, "http://jyj.laoshan.gov.cn/");
        assert!(identity(&dept, Some(&portal), &marks, None).is_empty());
        let elsewhere = site(SiteKind::Department, "http://www.lsjy.com/");
        assert_eq!(
            rules(&identity(&elsewhere, Some(&portal), &marks, None)),
            ["site.domain_nonstandard"]
        );
        let other_gov = site(SiteKind::Department, "http://jyj.qingdao.gov.cn/");
        assert_eq!(
            rules(&identity(&other_gov, Some(&portal), &marks, None)),
            ["site.domain_nonstandard"]
        );
        assert!(identity(&other_gov, None, &marks, None).is_empty());
        // No domain to judge.
        for url in [
            "http://127.0.0.1:8080/",
            "http://localhost/",
            "http://[::1]/",
        ] {
            assert!(identity(&site(SiteKind::Portal, url), None, &marks, None).is_empty());
        }
    }

    #[test]
    fn site_codes() {
        let portal = site(SiteKind::Portal, "http://127.0.0.1/");
        let with = |code: &str| MarksSeen {
            site_code: Some(code.into()),
            ..MarksSeen::default()
        };
        assert!(identity(&portal, None, &with("3702120001"), None).is_empty());
        assert!(identity(&portal, None, &with("bm07000001"), None).is_empty());
        assert_eq!(
            rules(&identity(&portal, None, &with("37021200A1"), None)),
            ["site.mark_invalid"]
        );
        let mismatch = MarksSeen {
            site_code: Some("3702120001".into()),
            site_code_meta: Some("3702120009".into()),
            ..MarksSeen::default()
        };
        let found = identity(&portal, None, &mismatch, None);
        assert_eq!(rules(&found), ["site.mark_invalid"]);
        assert!(found[0].evidence().contains("3702120009"));
        let same = MarksSeen {
            site_code_meta: Some("3702120001".into()),
            ..mismatch
        };
        assert!(identity(&portal, None, &same, None).is_empty());
    }

    fn invalid_marks(marks: &MarksSeen) -> Vec<Mark> {
        let portal = site(SiteKind::Portal, "http://127.0.0.1/");
        identity(&portal, None, marks, None)
            .into_iter()
            .filter_map(|f| match f {
                Finding::MarkInvalid { mark, .. } => Some(mark),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn registration_numbers() {
        let shown = |icp: &str, police: &str| MarksSeen {
            icp: Some(icp.into()),
            police: Some(police.into()),
            ..MarksSeen::default()
        };
        for (icp, police) in [
            ("鲁ICP备05000000号", "鲁公网安备 37021202000123号"),
            ("京ICP备12345678号-2", "京公网安备11010502030143号"),
        ] {
            assert!(
                invalid_marks(&shown(icp, police)).is_empty(),
                "{icp} {police}"
            );
        }
        assert_eq!(
            invalid_marks(&shown("ICP备05000000号", "鲁公网安备 37021202000123号")),
            [Mark::Icp]
        );
        assert_eq!(
            invalid_marks(&shown("鲁ICP备05000000", "公网安备：3702120200012号")),
            [Mark::Icp, Mark::Police]
        );
        assert_eq!(
            invalid_marks(&shown("鲁ICP证050000号", "鲁公网安备 3702120200012号")),
            [Mark::Icp, Mark::Police]
        );
    }

    #[test]
    fn badge_targets() {
        let badge = |target: Option<&str>| MarksSeen {
            badge: true,
            badge_target: target.map(str::to_string),
            ..MarksSeen::default()
        };
        for fine in [
            None,
            Some("https://bszs.conac.cn/sitename?method=show&id=1"),
            Some("http://127.0.0.1:9/bszs.conac.cn/sitename"),
        ] {
            assert!(invalid_marks(&badge(fine)).is_empty(), "{fine:?}");
        }
        for bad in [
            Some(""),
            Some("http://www.laoshan.gov.cn/index.html"),
            Some("http://conac.cn.example.com/x"),
        ] {
            assert_eq!(invalid_marks(&badge(bad)), [Mark::Badge], "{bad:?}");
        }
    }
}
