//! Measured accuracy of the crawler's extraction on pages nobody on this project wrote.
//!
//! `cargo run --release -p xunjian-crawler --example corpus -- DIR [--misses] [--signals]`, where
//! DIR holds the unpacked `../shared/corpora/*.tar.xz` (`htmldate/`, `linkchecker/`, `lychee/`);
//! `bench/corpus.sh` does the unpacking. Prints tables; writes nothing. `--misses` lists every
//! wrong or missing date, `--signals` how often each date source is right on its own.
//!
//! - htmldate: `facts.published` (the crawler's `extract_at`, fetched "on" 2026-11-28) against the
//!   labelled date of each of 1,000 pages, counted as htmldate's evaluation counts (tp: the right
//!   date; fp: a wrong date, or a date where none exists; fn: no date where one exists; tn: no
//!   date where none exists), once with the page's URL (as the crawler has it) and once with a
//!   neutral URL (htmldate's own run passes none).
//! - linkchecker: the link targets of each fixture against the `real url`s of its `.result`.
//! - lychee: the link targets of each fixture against `expected_links.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use url::Url;
use xunjian_crawler::extract::extract_at;
use xunjian_model::observe::PageKind;

/// The fixed "today" of every extraction, so that results are reproducible.
const REFERENCE: &str = "2026-11-28";

/// htmldate's published figures (fast mode): precision, recall, F-score.
const HTMLDATE_FAST: (f64, f64, f64) = (0.924, 0.927, 0.925);

fn reference() -> NaiveDate {
    NaiveDate::parse_from_str(REFERENCE, "%Y-%m-%d").expect("valid date")
}

const USAGE: &str = "usage: corpus DIR [--misses] [--signals]   (DIR: the unpacked corpora)
       corpus --own LABELS CACHE [--misses]    (the project's own labelled corpus)
       corpus --page FILE URL                  (one page: kind, date, every source's date)
       corpus --time SITE_DIR                  (extraction time over a generated gov site)";

mod own;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--own") if args.len() >= 3 => {
            let misses = args.iter().any(|a| a == "--misses");
            return own::run(Path::new(&args[1]), Path::new(&args[2]), misses);
        }
        Some("--page") if args.len() >= 3 => return page_report(Path::new(&args[1]), &args[2]),
        Some("--time") if args.len() >= 2 => return time_pages(Path::new(&args[1])),
        _ => {}
    }
    let misses = args.iter().any(|a| a == "--misses");
    let signals = args.iter().any(|a| a == "--signals");
    let Some(dir) = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
    else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    htmldate(&dir.join("htmldate"), misses);
    if signals {
        htmldate_signals(&dir.join("htmldate"));
    }
    linkchecker(&dir.join("linkchecker"));
    lychee(&dir.join("lychee"));
}

// ---------------------------------------------------------------------------------------------
// htmldate

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    tn: usize,
    fn_: usize,
    time: Duration,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.tn += o.tn;
        self.fn_ += o.fn_;
        self.time += o.time;
    }
    fn pages(&self) -> usize {
        self.tp + self.fp + self.tn + self.fn_
    }
    fn prf(&self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        (
            tp / (tp + fp),
            tp / (tp + fn_),
            2.0 * tp / (2.0 * tp + fp + fn_),
        )
    }
    fn row(&self, name: &str) {
        let (p, r, f) = self.prf();
        let ms = self.time.as_secs_f64() * 1000.0 / self.pages().max(1) as f64;
        println!(
            "{name:<34} {:>5} {:>5} {:>4} {:>3} {:>4}  {p:.3}  {r:.3}  {f:.3}  {ms:>6.2}",
            self.pages(),
            self.tp,
            self.fp,
            self.tn,
            self.fn_
        );
    }
}

struct Page {
    url: String,
    file: String,
    path: PathBuf,
    date: Option<NaiveDate>,
}

fn load_eval(root: &Path, json: &str) -> Vec<Page> {
    let text = std::fs::read_to_string(root.join("tests").join(json))
        .unwrap_or_else(|e| panic!("{json}: {e}"));
    // Python's json writes a missing date as the bare token NaN, which JSON does not have.
    let text = text.replace(": NaN", ": null");
    let map: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{json}: {e}"));
    map.into_iter()
        .map(|(url, v)| {
            let file = v["file"].as_str().expect("file").to_string();
            // htmldate's evaluation looks in this order.
            let path = ["test_set", "cache", "eval"]
                .iter()
                .map(|d| root.join("tests").join(d).join(&file))
                .find(|p| p.is_file())
                .unwrap_or_else(|| panic!("{file} not found"));
            let date = v["date"]
                .as_str()
                .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("YYYY-MM-DD"));
            Page {
                url,
                file,
                path,
                date,
            }
        })
        .collect()
}

/// One extraction: the date found and the time taken.
fn published(url: &Url, body: &[u8]) -> (Option<NaiveDate>, PageKind, Duration) {
    let start = Instant::now();
    let e = extract_at(url, body, None, reference());
    (e.facts.published, e.facts.kind, start.elapsed())
}

fn htmldate(root: &Path, misses: bool) {
    println!("== htmldate evaluation set (reference date {REFERENCE})");
    println!(
        "{:<34} {:>5} {:>5} {:>4} {:>3} {:>4}  {:>5}  {:>5}  {:>5}  {:>6}",
        "", "pages", "tp", "fp", "tn", "fn", "P", "R", "F", "ms/pg"
    );
    let neutral = Url::parse("http://example.org/page.html").expect("valid url");
    let mut with_url = Counts::default();
    let mut without_url = Counts::default();
    let mut wrong: Vec<String> = Vec::new();
    for json in ["eval_default.json", "eval_mediacloud_2020.json"] {
        let mut c = Counts::default();
        let mut n = Counts::default();
        for page in load_eval(root, json) {
            let body = std::fs::read(&page.path).expect("readable page");
            if body.starts_with(&[0x1f, 0x8b]) {
                panic!("{}: gzipped pages are not expected", page.file);
            }
            let url = Url::parse(&page.url).unwrap_or_else(|_| neutral.clone());
            let (got, kind, t) = published(&url, &body);
            count(&mut c, got, page.date, t);
            let (got_n, _, t_n) = published(&neutral, &body);
            count(&mut n, got_n, page.date, t_n);
            if misses && got != page.date {
                let show = |d: Option<NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
                wrong.push(format!(
                    "{:<5} {:<6} want {} got {}  {}  {}",
                    if got.is_some() { "FP" } else { "FN" },
                    format!("{kind:?}"),
                    show(page.date),
                    show(got),
                    page.path.display(),
                    page.url
                ));
            }
        }
        c.row(&format!("{json} (with URL)"));
        with_url.add(&c);
        without_url.add(&n);
    }
    with_url.row("all 1,000 pages, with URL");
    without_url.row("all 1,000 pages, without URL");
    let (p, r, f) = HTMLDATE_FAST;
    println!(
        "{:<34} {:>5} {:>5} {:>4} {:>3} {:>4}  {p:.3}  {r:.3}  {f:.3}",
        "htmldate fast (published)", "1000", "", "", "", ""
    );
    for w in &wrong {
        println!("  {w}");
    }
    println!();
}

/// One page: its kind, list state, publication date and every source's date.
fn page_report(path: &Path, url: &str) {
    use xunjian_crawler::extract::{charset, dom::Scan, published};
    let body = std::fs::read(path).expect("readable page");
    let url = Url::parse(url).expect("url");
    let e = extract_at(&url, &body, None, reference());
    println!(
        "kind {:?}  list {:?} ({} items)  published {:?}",
        e.facts.kind,
        e.facts.list,
        e.facts.items.len(),
        e.facts.published
    );
    let (source, _) = charset::decode(&body, None);
    let doc = scraper::Html::parse_document(&source);
    println!("  prose {}", xunjian_crawler::extract::article_prose(&doc));
    let scan = Scan::new(&doc);
    for (s, d) in published::evidence(&doc, &scan, &url, reference()) {
        println!("  {:<8} {d}", s.as_str());
    }
    for i in e.facts.items.iter().take(5) {
        println!("  item {:?} {} {}", i.date, i.title, i.url);
    }
}

/// Time extraction over every `.html` under `dir` (a generated gov site, `bench/gen_site.py`):
/// the whole of `extract_at`, and its publication-date step alone, with the pages' `PubDate` meta
/// and without it (which makes the step walk the page).
fn time_pages(dir: &Path) {
    use xunjian_crawler::extract::{charset, dom::Scan, published};
    let mut files = Vec::new();
    collect_html(dir, dir, &mut files);
    files.sort();
    let pages: Vec<(Url, Vec<u8>)> = files
        .iter()
        .map(|f| {
            let url = Url::parse(&format!("http://bench.gov.cn/{f}")).expect("url");
            (url, std::fs::read(dir.join(f)).expect("page"))
        })
        .collect();
    let n = pages.len().max(1) as f64;
    for (label, strip) in [("with PubDate", false), ("without PubDate", true)] {
        let (mut whole, mut step) = (Duration::ZERO, Duration::ZERO);
        for (url, body) in &pages {
            let body = if strip {
                String::from_utf8_lossy(body)
                    .replace("name=\"PubDate\"", "name=\"x\"")
                    .into_bytes()
            } else {
                body.clone()
            };
            let start = Instant::now();
            let _ = extract_at(url, &body, None, reference());
            whole += start.elapsed();
            let (source, _) = charset::decode(&body, None);
            let doc = scraper::Html::parse_document(&source);
            let scan = Scan::new(&doc);
            let start = Instant::now();
            let el = if published::gov_meta_date(&scan).is_none() {
                published::element_dates(&doc)
            } else {
                published::ElementDates::default()
            };
            let _ = published::publication_date(&scan, &el, url, reference(), true);
            step += start.elapsed();
        }
        println!(
            "{label:<16} {} pages: extract {:.3} ms/page, of which publication date {:.3} ms/page",
            pages.len(),
            whole.as_secs_f64() * 1000.0 / n,
            step.as_secs_f64() * 1000.0 / n
        );
    }
}

/// How often each publication-date source is right when it gives a date (all pages, unfiltered).
fn htmldate_signals(root: &Path) {
    use xunjian_crawler::extract::{charset, dom::Scan, published};
    println!("== htmldate set: each source on its own (right / wrong when it gives a date)");
    let mut tally: BTreeMap<published::Source, (usize, usize)> = BTreeMap::new();
    let mut first_wrong: BTreeMap<published::Source, Vec<String>> = BTreeMap::new();
    for json in ["eval_default.json", "eval_mediacloud_2020.json"] {
        for page in load_eval(root, json) {
            let body = std::fs::read(&page.path).expect("readable page");
            let url = Url::parse(&page.url).expect("url");
            let (source, _) = charset::decode(&body, None);
            let doc = scraper::Html::parse_document(&source);
            let scan = Scan::new(&doc);
            for (s, d) in published::evidence(&doc, &scan, &url, reference()) {
                let t = tally.entry(s).or_default();
                if Some(d) == page.date {
                    t.0 += 1;
                } else {
                    t.1 += 1;
                    first_wrong.entry(s).or_default().push(format!(
                        "want {:?} got {d}  {}",
                        page.date.map(|d| d.to_string()),
                        page.path.display()
                    ));
                }
            }
        }
    }
    for (s, (r, w)) in &tally {
        println!("  {:<8} right {r:>4}  wrong {w:>4}", s.as_str());
        for x in first_wrong.get(s).into_iter().flatten() {
            println!("      {x}");
        }
    }
    println!();
}

fn count(c: &mut Counts, got: Option<NaiveDate>, want: Option<NaiveDate>, t: Duration) {
    match (got, want) {
        (None, None) => c.tn += 1,
        (None, Some(_)) => c.fn_ += 1,
        (Some(g), Some(w)) if g == w => c.tp += 1,
        (Some(_), _) => c.fp += 1,
    }
    c.time += t;
}

// ---------------------------------------------------------------------------------------------
// links

/// The distinct link targets of a page.
fn targets(url: &Url, body: &[u8]) -> BTreeSet<String> {
    extract_at(url, body, None, reference())
        .links
        .into_iter()
        .map(|l| l.target)
        .collect()
}

fn without_fragment(s: &str) -> String {
    match Url::parse(s) {
        Ok(mut u) => {
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => s.split('#').next().unwrap_or(s).to_string(),
    }
}

/// "agree", or what we have more (+) and less (-).
fn diff(ours: &BTreeSet<String>, theirs: &BTreeSet<String>) -> (bool, String) {
    let extra: Vec<_> = ours.difference(theirs).collect();
    let missing: Vec<_> = theirs.difference(ours).collect();
    if extra.is_empty() && missing.is_empty() {
        return (true, "agree".into());
    }
    let mut out = Vec::new();
    out.extend(extra.iter().map(|s| format!("+{s}")));
    out.extend(missing.iter().map(|s| format!("-{s}")));
    (false, out.join("  "))
}

const LC_PORT: &str = "8001";
const LC_DATADIR: &str = "tests/checker/data";

fn linkchecker(root: &Path) {
    println!("== linkchecker fixtures: our link targets vs `real url` (fragments removed, the page itself left out)");
    let curdir = root
        .canonicalize()
        .expect("linkchecker dir")
        .display()
        .to_string();
    let data = root.join(LC_DATADIR);
    let mut names: Vec<String> = Vec::new();
    collect_html(&data, &data, &mut names);
    names.sort();
    let subst = |s: &str| {
        s.replace("%(curdir)s", &curdir)
            .replace("%(datadir)s", LC_DATADIR)
            .replace("%(port)d", LC_PORT)
            .replace("%%", "%")
    };
    let page_url = |name: &str, http: bool| {
        Url::parse(&if http {
            format!("http://localhost:{LC_PORT}/{LC_DATADIR}/{name}")
        } else {
            format!("file://{curdir}/{LC_DATADIR}/{name}")
        })
        .expect("fixture url")
    };
    // Map a local URL back to the fixture file it names (for recursion).
    let local_file = |u: &str| -> Option<PathBuf> {
        let rest = u
            .strip_prefix(&format!("file://{curdir}/{LC_DATADIR}/"))
            .or_else(|| u.strip_prefix(&format!("http://localhost:{LC_PORT}/{LC_DATADIR}/")))?;
        let p = data.join(rest);
        (p.extension().is_some_and(|e| e == "html") && p.is_file()).then_some(p)
    };
    let (mut agree, mut total) = (0, 0);
    for name in names {
        let result = data.join(format!("{name}.result"));
        let Ok(expected) = std::fs::read_to_string(&result) else {
            continue;
        };
        total += 1;
        let http = expected.contains(&format!("http://localhost:%(port)d/%(datadir)s/{name}"));
        let page = page_url(&name, http);
        let theirs: BTreeSet<String> = expected
            .lines()
            .filter_map(|l| l.strip_prefix("real url "))
            .map(|u| without_fragment(&subst(u.trim())))
            .filter(|u| !u.is_empty() && *u != page.as_str())
            .collect();
        let body = std::fs::read(data.join(&name)).expect("fixture");
        let mut ours = targets(&page, &body);
        ours.remove(page.as_str());
        let (mut ok, mut text) = diff(&ours, &theirs);
        if !ok {
            // LinkChecker's anchor tests recurse into the local pages they link to.
            let mut seen: BTreeSet<String> = BTreeSet::from([page.to_string()]);
            let mut todo: Vec<String> = ours.iter().cloned().collect();
            let mut closure = ours.clone();
            while let Some(u) = todo.pop() {
                if !seen.insert(u.clone()) {
                    continue;
                }
                if let Some(p) = local_file(&u) {
                    let b = std::fs::read(p).expect("fixture");
                    for t in targets(&Url::parse(&u).expect("url"), &b) {
                        todo.push(t.clone());
                        closure.insert(t);
                    }
                }
            }
            closure.remove(page.as_str());
            if diff(&closure, &theirs).0 {
                ok = true;
                text = "agree (recursing into the local pages, as LinkChecker's test does)".into();
            }
        }
        if ok {
            agree += 1;
        }
        println!("  {name:<40} {text}");
    }
    println!("  total: {agree}/{total} fixtures agree\n");
}

fn collect_html(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_html(root, &p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.display().to_string());
            }
        }
    }
}

fn lychee(root: &Path) {
    println!("== lychee fixtures: our link targets vs expected_links.json");
    let text = std::fs::read_to_string(root.join("expected_links.json")).expect("expected_links");
    let map: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&text).expect("expected_links.json");
    let abs = root.canonicalize().expect("lychee dir");
    let (mut agree, mut total) = (0, 0);
    for (fixture, modes) in map.iter().filter(|(k, _)| !k.starts_with('_')) {
        let path = abs.join(fixture);
        let body = std::fs::read(&path).expect("fixture");
        let file_url = Url::from_file_path(&path).expect("file url");
        let list = |v: &serde_json::Value| -> BTreeSet<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str())
                .map(|s| s.split(" (").next().unwrap_or(s).to_string())
                .collect()
        };
        // Without a base, lychee drops relative links: ours resolve against the file:// page.
        let no_base = || -> BTreeSet<String> {
            targets(&file_url, &body)
                .into_iter()
                .filter(|t| !t.starts_with("file:"))
                .collect()
        };
        for (mode, want) in modes.as_object().into_iter().flatten() {
            let line = match mode.as_str() {
                "no_base" | "default" => {
                    total += 1;
                    let (ok, d) = diff(&no_base(), &list(want));
                    agree += usize::from(ok);
                    d
                }
                m if m.starts_with("base=") => {
                    total += 1;
                    let base = Url::parse(&m["base=".len()..]).expect("base url");
                    let ours = targets(&base, &body);
                    let (ok, d) = diff(&ours, &list(want));
                    agree += usize::from(ok);
                    d
                }
                "must_contain" => {
                    total += 1;
                    let ours = targets(&file_url, &body);
                    let missing: Vec<_> = list(want).into_iter().filter(|u| !ours.contains(u)).collect();
                    agree += usize::from(missing.is_empty());
                    if missing.is_empty() {
                        "agree (contains all)".into()
                    } else {
                        format!("missing {}", missing.join(" "))
                    }
                }
                "excluded_by_policy" => {
                    let ours = targets(&file_url, &body);
                    let listed: Vec<_> = list(want).into_iter().filter(|u| {
                        ours.contains(u) || ours.contains(&format!("{u}/"))
                    }).collect();
                    if listed.is_empty() {
                        "excluded by us too".into()
                    } else {
                        format!("we list {}", listed.join(" "))
                    }
                }
                "include_verbatim_must_contain" => format!(
                    "n/a: {} bare URLs in <pre>/<code>/script text (we read links from markup only)",
                    list(want).len()
                ),
                "truth" => {
                    let start = Instant::now();
                    let n = targets(&file_url, &body).len();
                    format!(
                        "no truth; {n} distinct targets, {} KB in {:.1} ms",
                        body.len() / 1024,
                        start.elapsed().as_secs_f64() * 1000.0
                    )
                }
                other => format!("(unknown mode {other})"),
            };
            println!("  {fixture:<44} {mode:<28} {line}");
        }
    }
    println!("  total: {agree}/{total} comparisons agree");
}
