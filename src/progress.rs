//! Progress while a crawl works: on a terminal a live line per site (indicatif), otherwise one line
//! to stderr every 10 seconds, nothing with `--quiet`. The crawl only counts (see the crawler's
//! `progress`); this is where the counts are shown.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use xunjian_crawler::progress::{Counts, Progress};

/// How often a line is printed when stderr is not a terminal, unless `XUNJIAN_PROGRESS_EVERY`
/// gives other seconds.
const LINE_EVERY: Duration = Duration::from_secs(10);

/// The interval of progress lines: `XUNJIAN_PROGRESS_EVERY` seconds, else [`LINE_EVERY`].
fn line_every() -> Duration {
    std::env::var("XUNJIAN_PROGRESS_EVERY")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(LINE_EVERY)
}

/// How often the terminal display is redrawn.
const TICK: Duration = Duration::from_millis(200);

/// The running display; dropping it stops it.
pub struct Display {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Display {
    /// Show `progress` until the display is dropped; nothing when `quiet`.
    pub fn start(progress: Progress, quiet: bool) -> Option<Display> {
        if quiet {
            return None;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let terminal = std::io::stderr().is_terminal();
        let thread = std::thread::spawn(move || {
            if terminal {
                live(&progress, &flag);
            } else {
                lines(&progress, &flag);
            }
        });
        Some(Display {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One site's counts, in words.
fn describe(c: &Counts) -> String {
    format!(
        "{} fetched, {} queued, {} failed{}",
        c.fetched,
        c.queued,
        c.failed,
        if c.done { ", done" } else { "" }
    )
}

/// A line every [`line_every`]: `xunjian: 20 s: portal 316 fetched, 40 queued, 2 failed; …`.
fn lines(progress: &Progress, stop: &AtomicBool) {
    let started = Instant::now();
    let every = line_every();
    let mut next = every;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        if started.elapsed() < next {
            continue;
        }
        next += every;
        let sites: Vec<String> = progress
            .snapshot()
            .iter()
            .map(|(id, c)| format!("{id} {}", describe(c)))
            .collect();
        if !sites.is_empty() {
            eprintln!(
                "xunjian: {} s: {}",
                started.elapsed().as_secs(),
                sites.join("; ")
            );
        }
    }
}

/// A live line per site, redrawn every [`TICK`], cleared at the end.
fn live(progress: &Progress, stop: &AtomicBool) {
    let bars = MultiProgress::new();
    let style = ProgressStyle::with_template("{spinner} {prefix:>12} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let mut shown: Vec<(String, ProgressBar)> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        for (id, counts) in progress.snapshot() {
            let bar = match shown.iter().find(|(s, _)| *s == id) {
                Some((_, bar)) => bar.clone(),
                None => {
                    let bar = bars.add(ProgressBar::new_spinner());
                    bar.set_style(style.clone());
                    bar.set_prefix(id.clone());
                    shown.push((id, bar.clone()));
                    bar
                }
            };
            bar.set_message(describe(&counts));
            bar.tick();
        }
        std::thread::sleep(TICK);
    }
    for (_, bar) in shown {
        bar.finish_and_clear();
    }
}
