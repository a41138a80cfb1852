//! 全过程留痕: the answers a problem rests on, kept as WARC records (written with the `warc` crate)
//! in the store beside the problem, so that a dispute is settled by what xunjian actually saw.
//!
//! Each answer is two records: a `metadata` record with what the fetch recorded (status, final URL,
//! redirects, error, time: the failed response of a broken link is this), and a `resource` record
//! with the body as served, when there was one. They are kept when a problem is first found (its
//! page, and for a broken link the page that links it) and at every 复查.
//!
//! The crawl keeps no page bodies (a district's 100,000 pages a night would be gigabytes), so the
//! first evidence is fetched just after the run that found the problem, and led by a third record:
//! what that run itself recorded of the page (its fetch: status, time, the hash of the body it read;
//! and the page as it was read: the list items with their dates the judgement rests on), with
//! whether the body fetched now is the very body the run read (`same_body_as_crawled`).

use std::sync::Arc;

use url::Url;
use warc::{RecordBuilder, RecordType, WarcHeader, WarcWriter};
use xunjian_crawler::fetch::{Fetched, Fetcher, Mode};
use xunjian_model::observe::{FetchRecord, PageFacts};
use xunjian_model::Finding;
use xunjian_store::{NewEvidence, Problem, Store};

use crate::crawl::fetch_config;
use crate::error::{CoreError, Result};
use crate::settings::Settings;

/// Problems whose first evidence one run keeps at most (the rest are kept by the next runs).
pub const CAPTURE_PER_RUN: i64 = 200;

fn warc_err(e: impl std::fmt::Display) -> CoreError {
    CoreError::Client(format!("warc: {e}"))
}

/// What the run that found a problem recorded of one of its pages.
#[derive(Debug, Clone)]
pub struct Crawled {
    /// The run's fetch of it.
    pub fetch: FetchRecord,
    /// The page as the run read it, when it was parsed.
    pub facts: Option<PageFacts>,
}

fn date_of(rfc3339: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now())
}

/// The WARC records of one answer: its metadata, and its body when there was one.
pub fn warc_of(fetched: &Fetched) -> Result<Vec<u8>> {
    warc_with(fetched, None)
}

/// The WARC records of one answer led, when given, by what the run that found the problem
/// recorded of the same page.
pub fn warc_with(fetched: &Fetched, crawled: Option<&Crawled>) -> Result<Vec<u8>> {
    let r = &fetched.record;
    let date = date_of(&r.fetched_at);
    let mut out = Vec::new();
    let mut writer = WarcWriter::new(&mut out);
    if let Some(c) = crawled {
        let same = c
            .fetch
            .content_hash
            .as_ref()
            .zip(r.content_hash.as_ref())
            .map(|(a, b)| a == b);
        let body = serde_json::json!({
            "recorded_by": "the run that found the problem",
            "fetch": c.fetch,
            "page_as_read": c.facts,
            "same_body_as_crawled": same,
        });
        let record = RecordBuilder::default()
            .warc_type(RecordType::Metadata)
            .date(date_of(&c.fetch.fetched_at))
            .header(WarcHeader::TargetURI, c.fetch.url.as_bytes().to_vec())
            .header(WarcHeader::ContentType, b"application/json".to_vec())
            .body(serde_json::to_vec_pretty(&body).map_err(warc_err)?)
            .build()
            .map_err(warc_err)?;
        writer.write(&record).map_err(warc_err)?;
    }
    let meta = serde_json::to_vec_pretty(r).map_err(warc_err)?;
    let metadata = RecordBuilder::default()
        .warc_type(RecordType::Metadata)
        .date(date)
        .header(WarcHeader::TargetURI, r.url.as_bytes().to_vec())
        .header(WarcHeader::ContentType, b"application/json".to_vec())
        .body(meta)
        .build()
        .map_err(warc_err)?;
    writer.write(&metadata).map_err(warc_err)?;
    // A body cut short (too large: a bomb, an endless download) is not what the site serves: the
    // metadata says what happened, and the cut bytes are not kept.
    if let Some(body) = fetched.body.as_ref().filter(|_| r.error.is_none()) {
        let content_type = r
            .content_type
            .clone()
            .unwrap_or_else(|| "application/octet-stream".into());
        let resource = RecordBuilder::default()
            .warc_type(RecordType::Resource)
            .date(date)
            .header(WarcHeader::TargetURI, r.final_url.as_bytes().to_vec())
            .header(WarcHeader::ContentType, content_type.into_bytes())
            .header(WarcHeader::RefersTo, metadata.warc_id().as_bytes().to_vec())
            .body(body.clone())
            .build()
            .map_err(warc_err)?;
        writer.write(&resource).map_err(warc_err)?;
    }
    Ok(out)
}

/// Keep an answer as evidence of `problem`.
pub async fn keep(store: &Store, problem: i64, kind: &str, fetched: &Fetched) -> Result<()> {
    keep_with(store, problem, kind, fetched, None).await
}

/// The WARC records of an answer, as evidence to keep, led (when given) by what the run that found
/// the problem recorded of the page: then the evidence is dated and its status given as that run
/// saw it. `warc` holds the records, made by the caller with [`warc_with`].
pub fn as_evidence<'a>(
    kind: &'a str,
    fetched: &'a Fetched,
    crawled: Option<&'a Crawled>,
    warc: &'a [u8],
) -> NewEvidence<'a> {
    let r = crawled.map_or(&fetched.record, |c| &c.fetch);
    NewEvidence {
        at: &r.fetched_at,
        kind,
        url: &fetched.record.url,
        status: r.status.map(i64::from),
        warc,
    }
}

/// Keep an answer as evidence of `problem`, led by what the run that found it recorded of the
/// page.
async fn keep_with(
    store: &Store,
    problem: i64,
    kind: &str,
    fetched: &Fetched,
    crawled: Option<&Crawled>,
) -> Result<()> {
    let warc = warc_with(fetched, crawled)?;
    store
        .add_evidence(problem, &as_evidence(kind, fetched, crawled, &warc))
        .await?;
    Ok(())
}

/// What is archived of a finding: its page (read in full), and for a broken link the first page
/// that links it.
fn pages_of(f: &Finding) -> Vec<String> {
    let mut urls: Vec<String> = f.url().map(str::to_string).into_iter().collect();
    if let Finding::LinkBroken { sources, .. } = f {
        urls.extend(sources.first().cloned());
    }
    urls
}

/// Keep the first evidence of up to [`CAPTURE_PER_RUN`] open problems that have none yet,
/// fetched now under the seeds' politeness; the number of problems captured.
pub async fn capture_new(settings: &Settings, store: &Store) -> Result<usize> {
    let todo: Vec<Problem> = store.problems_without_evidence(CAPTURE_PER_RUN).await?;
    if todo.is_empty() {
        return Ok(0);
    }
    let config = fetch_config(&settings.seeds.seeds, settings);
    let fetcher = Arc::new(Fetcher::new(config).map_err(|e| CoreError::Client(e.to_string()))?);
    let mut captured = 0;
    for p in &todo {
        for url in pages_of(&p.finding) {
            let Ok(parsed) = Url::parse(&url) else {
                continue;
            };
            let crawled = store
                .crawled(p.first_run, &url)
                .await?
                .map(|(fetch, facts)| Crawled { fetch, facts });
            let fetched = fetcher.fetch(&parsed, Mode::Get).await;
            keep_with(store, p.id, "found", &fetched, crawled.as_ref()).await?;
        }
        captured += 1;
    }
    tracing::info!(captured, "first evidence kept");
    Ok(captured)
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::observe::FailKind;

    /// An answer of `status` (and `error`) from `url`, with `body`.
    fn answer(url: &str, status: u16, error: Option<FailKind>, body: &[u8]) -> Fetched {
        Fetched {
            record: FetchRecord {
                url: url.into(),
                final_url: url.into(),
                redirects: vec![],
                status: Some(status),
                error,
                blocked: None,
                elapsed_ms: 3,
                attempts: 1,
                bytes: body.len() as u64,
                content_type: Some("text/html".into()),
                charset: None,
                content_hash: None,
                fetched_at: "2025-10-01T01:00:00Z".into(),
                etag: None,
                last_modified: None,
            },
            body: Some(body.to_vec()),
        }
    }

    #[test]
    fn an_answer_is_a_metadata_record_and_its_body() {
        let fetched = answer("http://x.gov.cn/a", 404, None, b"not found");
        let warc = warc_of(&fetched).unwrap();
        let text = String::from_utf8_lossy(&warc);
        assert!(text.starts_with("WARC/1.0"));
        assert_eq!(text.matches("WARC/1.0").count(), 2);
        assert!(text.contains("WARC-Type: metadata") || text.contains("warc-type: metadata"));
        assert!(text.contains("\"status\": 404"));
        assert!(text.contains("not found"));
        // It reads back as two records.
        let reader = warc::WarcReader::new(std::io::BufReader::new(warc.as_slice()));
        assert_eq!(reader.iter_records().filter(|r| r.is_ok()).count(), 2);
    }

    #[test]
    fn a_body_cut_short_is_not_kept() {
        let mut fetched = answer(
            "http://x.gov.cn/bomb",
            200,
            Some(FailKind::TooLarge),
            b"zeros cut",
        );
        let text = String::from_utf8_lossy(&warc_of(&fetched).unwrap()).into_owned();
        assert_eq!(text.matches("WARC/1.0").count(), 1, "{text}");
        assert!(text.contains("too_large") && !text.contains("zeros cut"));
        fetched.record.error = None;
        let text = String::from_utf8_lossy(&warc_of(&fetched).unwrap()).into_owned();
        assert!(text.contains("zeros cut"));
    }

    #[test]
    fn first_evidence_is_led_by_what_the_run_recorded_and_says_whether_the_body_is_the_same() {
        let record = |at: &str, hash: &str| FetchRecord {
            content_hash: Some(hash.into()),
            fetched_at: at.into(),
            ..xunjian_model::observe::FetchRecord {
                url: "http://x.gov.cn/a/".into(),
                final_url: "http://x.gov.cn/a/".into(),
                redirects: vec![],
                status: Some(200),
                error: None,
                blocked: None,
                elapsed_ms: 3,
                attempts: 1,
                bytes: 4,
                content_type: Some("text/html".into()),
                charset: None,
                content_hash: None,
                fetched_at: String::new(),
                etag: None,
                last_modified: None,
            }
        };
        let crawled = Crawled {
            fetch: record("2025-10-01T01:00:00Z", "h1"),
            facts: None,
        };
        let now = |hash: &str| Fetched {
            record: record("2025-10-01T01:30:00Z", hash),
            body: Some(b"page".to_vec()),
        };
        let same =
            String::from_utf8_lossy(&warc_with(&now("h1"), Some(&crawled)).unwrap()).into_owned();
        assert_eq!(same.matches("WARC/1.0").count(), 3);
        assert!(same.contains("\"same_body_as_crawled\": true"), "{same}");
        assert!(same.contains("2025-10-01T01:00:00Z"));
        let changed =
            String::from_utf8_lossy(&warc_with(&now("h2"), Some(&crawled)).unwrap()).into_owned();
        assert!(
            changed.contains("\"same_body_as_crawled\": false"),
            "{changed}"
        );
        let reader = warc::WarcReader::new(std::io::BufReader::new(changed.as_bytes()));
        assert_eq!(reader.iter_records().filter(|r| r.is_ok()).count(), 3);
    }
}
