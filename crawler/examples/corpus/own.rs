//! The project's own labelled corpus of Chinese pages (`bench/corpus/labels.jsonl`): real public
//! pages, gov.cn first, each labelled by reading it before any extractor ran on it (the date the
//! page shows as its publication date, 发布日期 over 成文日期; the kind; a list's items). The pages
//! themselves are not in the repository: `bench/corpus.sh` fetches each from its provenance into
//! a cache, and this reads them from there.
//!
//! Measured, for government and other sites apart:
//! - dates on pages labelled `detail`: tp (the labelled date), fp (another date, or a date where
//!   the page shows none), fn (none where the page shows one), tn; precision, recall, F;
//! - list kind: of the pages labelled `list`, how many the crawler calls `list`; and how many of
//!   the other pages it calls `list`;
//! - item counts: of the labelled lists, how many give an item count within ±20 % of the label.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use serde::Deserialize;
use url::Url;
use xunjian_crawler::extract::extract_at;
use xunjian_model::observe::PageKind;

use super::{count, reference, Counts};

/// One labelled page, as `bench/corpus/labels.jsonl` holds it.
#[derive(Debug, Deserialize)]
struct Label {
    id: String,
    /// Where the page is in the cache, relative to it.
    file: String,
    url: Option<String>,
    gov: bool,
    kind: String,
    published: Option<String>,
    items: Option<usize>,
}

/// What one group of pages scored.
#[derive(Default)]
struct Group {
    dates: Counts,
    lists: usize,
    lists_found: usize,
    counts_close: usize,
    others: usize,
    others_called_list: usize,
}

impl Group {
    fn row(&self, name: &str) {
        let (p, r, f) = self.dates.prf();
        let share = |a: usize, b: usize| {
            if b == 0 {
                "   -".to_string()
            } else {
                format!("{:.3}", a as f64 / b as f64)
            }
        };
        println!(
            "{name:<10} {:>6} {:>4} {:>4} {:>4} {:>4}  {p:.3}  {r:.3}  {f:.3}   {:>5}  {:>5} ({}/{})  {:>5} ({}/{})  {:>5} ({}/{})",
            self.dates.pages(),
            self.dates.tp,
            self.dates.fp,
            self.dates.tn,
            self.dates.fn_,
            self.lists,
            share(self.lists_found, self.lists),
            self.lists_found,
            self.lists,
            share(self.counts_close, self.lists),
            self.counts_close,
            self.lists,
            share(self.others_called_list, self.others),
            self.others_called_list,
            self.others,
        );
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("label date {s}: {e}"))
}

/// Score the crawler's extraction on every labelled page found in `cache`.
pub fn run(labels: &Path, cache: &Path, misses: bool) {
    let text =
        std::fs::read_to_string(labels).unwrap_or_else(|e| panic!("{}: {e}", labels.display()));
    let mut groups: BTreeMap<&str, Group> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut missing = 0usize;
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let label: Label = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{}:{}: {e}", labels.display(), n + 1));
        let Ok(body) = std::fs::read(cache.join(&label.file)) else {
            missing += 1;
            continue;
        };
        // The cache keeps pages as UTF-8 text where they were copied as text; fetched ones keep
        // their own bytes and say their charset themselves.
        let content_type = std::str::from_utf8(&body)
            .is_ok()
            .then_some("text/html; charset=utf-8");
        let url = label
            .url
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
            .unwrap_or_else(|| {
                Url::parse(&format!("https://corpus.invalid/{}.html", label.id)).expect("url")
            });
        let start = Instant::now();
        let e = extract_at(&url, &body, content_type, reference());
        let took = start.elapsed();
        let want = label.published.as_deref().map(day);
        let got = e.facts.published;
        let called_list = e.facts.kind == PageKind::List;
        for g in [if label.gov { "gov" } else { "non-gov" }, "all"] {
            let g = groups.entry(g).or_default();
            match label.kind.as_str() {
                "detail" => {
                    count(&mut g.dates, got, want, took);
                    g.others += 1;
                    g.others_called_list += usize::from(called_list);
                }
                "list" => {
                    g.lists += 1;
                    g.lists_found += usize::from(called_list);
                    let want = label.items.unwrap_or(0) as f64;
                    let got = e.facts.items.len() as f64;
                    g.counts_close += usize::from((got - want).abs() <= 0.2 * want);
                }
                _ => {
                    g.others += 1;
                    g.others_called_list += usize::from(called_list);
                }
            }
        }
        if !misses {
            continue;
        }
        let show = |d: Option<NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
        if label.kind == "detail" && got != want {
            wrong.push(format!(
                "date  {:<10} want {} got {} ({:?})  {}",
                label.id,
                show(want),
                show(got),
                e.facts.kind,
                label.file
            ));
        }
        if label.kind == "list" && !called_list {
            wrong.push(format!(
                "kind  {:<10} want list got {:?} ({} items of {})  {}",
                label.id,
                e.facts.kind,
                e.facts.items.len(),
                label.items.unwrap_or(0),
                label.file
            ));
        } else if label.kind == "list" {
            let (got, want) = (e.facts.items.len(), label.items.unwrap_or(0));
            if (got as f64 - want as f64).abs() > 0.2 * want as f64 {
                wrong.push(format!(
                    "items {:<10} want {want} got {got}  {}",
                    label.id, label.file
                ));
            }
        } else if called_list {
            wrong.push(format!(
                "kind  {:<10} want {} got list  {}",
                label.id, label.kind, label.file
            ));
        }
    }
    println!("== own labelled corpus ({})", labels.display());
    println!(
        "{:<10} {:>6} {:>4} {:>4} {:>4} {:>4}  {:>5}  {:>5}  {:>5}   {:>5}  {:>13}  {:>13}  {:>13}",
        "",
        "detail",
        "tp",
        "fp",
        "tn",
        "fn",
        "P",
        "R",
        "F",
        "lists",
        "kind list",
        "items ±20%",
        "others→list"
    );
    for (name, g) in &groups {
        g.row(name);
    }
    if missing > 0 {
        println!(
            "({missing} labelled pages not in the cache {}: run bench/corpus.sh to fetch them)",
            cache.display()
        );
    }
    for w in &wrong {
        println!("  {w}");
    }
    println!();
}
