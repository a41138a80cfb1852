//! How far each site's crawl has got: counters the crawl updates and a caller (the command line's
//! progress display, later the dashboard) reads while it runs. Only counting happens here; showing
//! is the caller's business.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// One site's counters.
#[derive(Debug, Default)]
pub struct SiteProgress {
    fetched: AtomicU64,
    failed: AtomicU64,
    queued: AtomicU64,
    done: AtomicBool,
}

impl SiteProgress {
    /// A fetch ended (a page or a link check), failed or not.
    pub fn fetched(&self, ok: bool) {
        self.fetched.fetch_add(1, Ordering::Relaxed);
        if !ok {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// How many URLs wait on the site's frontier now.
    pub fn queued(&self, n: usize) {
        self.queued.store(n as u64, Ordering::Relaxed);
    }

    /// The site's crawl ended.
    pub fn finish(&self) {
        self.queued.store(0, Ordering::Relaxed);
        self.done.store(true, Ordering::Relaxed);
    }

    /// The counters now.
    pub fn counts(&self) -> Counts {
        Counts {
            fetched: self.fetched.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            queued: self.queued.load(Ordering::Relaxed),
            done: self.done.load(Ordering::Relaxed),
        }
    }
}

/// A site's counters at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Fetches ended (pages and link checks).
    pub fetched: u64,
    /// Of those, the ones that failed (an error or an HTTP error status).
    pub failed: u64,
    /// URLs waiting on the frontier.
    pub queued: u64,
    /// Whether the site's crawl ended.
    pub done: bool,
}

/// Every site's counters in a run, by site id.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    sites: Arc<Mutex<BTreeMap<String, Arc<SiteProgress>>>>,
}

impl Progress {
    /// The counters of `site`, made on first use.
    pub fn site(&self, site: &str) -> Arc<SiteProgress> {
        let mut sites = self.sites.lock().unwrap_or_else(|p| p.into_inner());
        sites.entry(site.to_string()).or_default().clone()
    }

    /// Every site's counters now, in site id order.
    pub fn snapshot(&self) -> Vec<(String, Counts)> {
        let sites = self.sites.lock().unwrap_or_else(|p| p.into_inner());
        sites
            .iter()
            .map(|(id, p)| (id.clone(), p.counts()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_add_up_per_site() {
        let progress = Progress::default();
        let a = progress.site("a");
        a.fetched(true);
        a.fetched(false);
        a.queued(7);
        progress.site("b").fetched(true);
        assert!(Arc::ptr_eq(&a, &progress.site("a")));
        let snap = progress.snapshot();
        assert_eq!(snap[0].0, "a");
        assert_eq!(
            snap[0].1,
            Counts {
                fetched: 2,
                failed: 1,
                queued: 7,
                done: false
            }
        );
        a.finish();
        assert!(progress.snapshot()[0].1.done);
        assert_eq!(progress.snapshot()[0].1.queued, 0);
    }
}
