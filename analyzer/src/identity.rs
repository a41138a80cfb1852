//! 网站标识与域名 (国办发〔2017〕47号): the domain a site is served from, and the 网站标识码 it shows.
//!
//! Portals use `www.□□□.gov.cn`; department and street sites a lower-level domain of their
//! government's portal (`○○○.□□□.gov.cn`). A site reached by an IP address or `localhost` has no
//! domain to judge, so nothing is said about it.

use std::sync::LazyLock;

use regex::Regex;
use url::{Host, Url};
use xunjian_model::finding::{Finding, Mark};
use xunjian_model::observe::MarksSeen;
use xunjian_model::seeds::{Site, SiteKind};

static PORTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^www\.[a-z0-9-]+\.gov\.cn$").expect("valid regex"));
static SITE_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:\d{10}|bm\d{8})$").expect("valid regex"));

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
    if let Some(code) = marks
        .site_code
        .as_deref()
        .filter(|c| !SITE_CODE.is_match(c))
    {
        out.push(Finding::MarkInvalid {
            mark: Mark::SiteCode,
            value: code.to_string(),
            url: site.url.clone(),
            evidence: format!(
                "首页（{}）显示的网站标识码“{code}”不是10位标识码（如3702120001、bm07000001）",
                site.url
            ),
            seen: seen.map(str::to_string),
        });
    }
    out
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
    }
}
