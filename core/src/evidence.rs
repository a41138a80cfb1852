//! 全过程留痕: the answers a problem rests on, kept as WARC records (written with the `warc` crate)
//! in the store beside the problem, so that a dispute is settled by what xunjian actually saw.
//!
//! Each answer is two records: a `metadata` record with what the fetch recorded (status, final URL,
//! redirects, error, time: the failed response of a broken link is this), and a `resource` record
//! with the body as served, when there was one. They are kept when a problem is first found (its
//! page, and for a broken link the page that links it) and at every 复查.

use std::sync::Arc;

use url::Url;
use warc::{RecordBuilder, RecordType, WarcHeader, WarcWriter};
use xunjian_crawler::fetch::{Fetched, Fetcher, Mode};
use xunjian_model::Finding;
use xunjian_store::{Problem, Store};

use crate::crawl::fetch_config;
use crate::error::{CoreError, Result};
use crate::settings::Settings;

/// Problems whose first evidence one run keeps at most (the rest are kept by the next runs).
pub const CAPTURE_PER_RUN: i64 = 200;

fn warc_err(e: impl std::fmt::Display) -> CoreError {
    CoreError::Client(format!("warc: {e}"))
}

/// The WARC records of one answer: its metadata, and its body when there was one.
pub fn warc_of(fetched: &Fetched) -> Result<Vec<u8>> {
    let r = &fetched.record;
    let date = chrono::DateTime::parse_from_rfc3339(&r.fetched_at)
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now());
    let mut out = Vec::new();
    let mut writer = WarcWriter::new(&mut out);
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
    if let Some(body) = &fetched.body {
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
    let warc = warc_of(fetched)?;
    let r = &fetched.record;
    store
        .add_evidence(
            problem,
            &r.fetched_at,
            kind,
            &r.url,
            r.status.map(i64::from),
            &warc,
        )
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
            let fetched = fetcher.fetch(&parsed, Mode::Get).await;
            keep(store, p.id, "found", &fetched).await?;
        }
        captured += 1;
    }
    tracing::info!(captured, "first evidence kept");
    Ok(captured)
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::observe::FetchRecord;

    #[test]
    fn an_answer_is_a_metadata_record_and_its_body() {
        let record = FetchRecord {
            url: "http://x.gov.cn/a".into(),
            final_url: "http://x.gov.cn/a".into(),
            redirects: vec![],
            status: Some(404),
            error: None,
            blocked: None,
            elapsed_ms: 3,
            attempts: 1,
            bytes: 9,
            content_type: Some("text/html".into()),
            charset: None,
            content_hash: None,
            fetched_at: "2025-10-01T01:00:00Z".into(),
            etag: None,
            last_modified: None,
        };
        let fetched = Fetched {
            record,
            body: Some(b"not found".to_vec()),
        };
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
}
