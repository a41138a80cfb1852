//! Content problems (个人隐私未去标识化, 严重表述错误, 暗链, 链接违规内容): the crawler's content facts
//! of each page, as findings for review. They never veto: the V1 veto needs a person to confirm.

use std::collections::BTreeSet;

use xunjian_model::finding::Finding;
use xunjian_model::observe::SiteRecords;

/// One finding per content fact of each fetched page, deduplicated per page.
pub fn content_findings(records: &SiteRecords) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut keys: BTreeSet<(String, &'static str, String)> = BTreeSet::new();
    for (url, page) in &records.pages {
        let Some(facts) = page.readable_facts() else {
            continue;
        };
        let c = &facts.content;
        let seen = Some(page.fetch.fetched_at.clone());
        let mut push = |key: String, f: Finding| {
            if keys.insert((url.clone(), f.rule(), key)) {
                out.push(f);
            }
        };
        for h in &c.privacy {
            push(
                format!("{}|{}", h.kind.as_str(), h.masked),
                Finding::PrivacyLeak {
                    url: url.clone(),
                    kind: h.kind,
                    masked: h.masked.clone(),
                    context: h.context.clone(),
                    evidence: format!(
                        "页面（{url}）公开了完整的{}（{}），上下文：{}",
                        h.kind.label_zh(),
                        h.masked,
                        h.context
                    ),
                    seen: seen.clone(),
                },
            );
        }
        for h in &c.wording {
            push(
                h.wrong.clone(),
                Finding::WordingError {
                    url: url.clone(),
                    wrong: h.wrong.clone(),
                    correct: h.correct.clone(),
                    context: h.context.clone(),
                    evidence: format!(
                        "页面（{url}）出现「{}」，应为「{}」，上下文：{}",
                        h.wrong, h.correct, h.context
                    ),
                    seen: seen.clone(),
                },
            );
        }
        for h in &c.hidden_links {
            push(
                h.target.clone(),
                Finding::HiddenLink {
                    url: url.clone(),
                    target: h.target.clone(),
                    how: h.how.clone(),
                    evidence: format!(
                        "页面（{url}）中以内联样式（{}）隐藏的元素内有指向外部网站的链接（{}）",
                        h.how, h.target
                    ),
                    seen: seen.clone(),
                },
            );
        }
        for b in &c.bad_links {
            push(
                b.target.clone(),
                Finding::BadOutsideLink {
                    url: url.clone(),
                    target: b.target.clone(),
                    keyword: b.keyword.clone(),
                    evidence: format!(
                        "页面（{url}）的外部链接（{}）标题含「{}」",
                        b.target, b.keyword
                    ),
                    seen: seen.clone(),
                },
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::observe::{
        BadLink, ContentFacts, FetchRecord, HiddenLink, ListState, PageFacts, PageKind, PageRecord,
        PrivacyHit, PrivacyKind, WordingHit,
    };

    fn fetch(url: &str, status: u16) -> FetchRecord {
        FetchRecord {
            url: url.into(),
            final_url: url.into(),
            redirects: vec![],
            status: Some(status),
            error: None,
            blocked: None,
            elapsed_ms: 1,
            attempts: 1,
            bytes: 1,
            content_type: Some("text/html".into()),
            charset: Some("utf-8".into()),
            content_hash: None,
            fetched_at: "2025-09-30T02:00:00Z".into(),
            etag: None,
            last_modified: None,
        }
    }

    fn page(url: &str, status: u16, content: ContentFacts) -> (String, PageRecord) {
        (
            url.to_string(),
            PageRecord {
                fetch: fetch(url, status),
                depth: 1,
                facts: Some(Box::new(PageFacts {
                    content,
                    ..PageFacts::new(PageKind::Detail, ListState::None)
                })),
                links: vec![],
            },
        )
    }

    fn all() -> ContentFacts {
        let hit = PrivacyHit {
            kind: PrivacyKind::Mobile,
            masked: "138****5678".into(),
            context: "手机138****5678".into(),
        };
        ContentFacts {
            privacy: vec![hit.clone(), hit],
            wording: vec![WordingHit {
                wrong: "党的二十达".into(),
                correct: "党的二十大".into(),
                context: "学习党的二十达精神".into(),
            }],
            hidden_links: vec![HiddenLink {
                target: "http://bet.example.com/".into(),
                how: "display:none".into(),
            }],
            bad_links: vec![BadLink {
                target: "http://bet.example.com/".into(),
                keyword: "博彩".into(),
            }],
        }
    }

    #[test]
    fn one_finding_per_fact_deduplicated_and_only_for_fetched_pages() {
        let mut records = SiteRecords::default();
        records.pages.extend([
            page("http://s/a.html", 200, all()),
            page("http://s/b.html", 404, all()),
            page("http://s/c.html", 200, ContentFacts::default()),
        ]);
        let found = content_findings(&records);
        let rules: Vec<(&str, String)> = found.iter().map(|f| (f.rule(), f.object())).collect();
        assert_eq!(
            rules,
            [
                ("content.privacy_leak", "http://s/a.html".to_string()),
                ("content.wording_error", "http://s/a.html".to_string()),
                ("content.hidden_link", "http://s/a.html".to_string()),
                ("content.bad_outside_link", "http://s/a.html".to_string()),
            ]
        );
        let v = serde_json::to_value(&found[0]).unwrap();
        assert_eq!(v["rule"], "content.privacy_leak");
        assert_eq!(v["kind"], "mobile");
        assert_eq!(v["masked"], "138****5678");
        assert!(found.iter().all(|f| !f.evidence().contains("13812345678")));
    }

    #[test]
    fn pages_without_content_facts_give_nothing() {
        let mut records = SiteRecords::default();
        records
            .pages
            .extend([page("http://s/c.html", 200, ContentFacts::default())]);
        assert!(content_findings(&records).is_empty());
    }
}
