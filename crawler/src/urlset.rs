//! Sets of URLs held as 128-bit digests rather than strings.
//!
//! A crawl remembers every URL it has queued and every link it has checked: at district scale
//! hundreds of thousands of them, each a heap string of 60–100 bytes plus its table slot. A set of
//! 16-byte XXH3-128 digests answers "seen before?" the same way in a fifth of the memory. Two
//! distinct URLs share a digest with probability about n²/2¹²⁹ (below 10⁻²⁶ for a million URLs);
//! and if they ever did, the cost would be one link not followed, never a false finding.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// A set of URLs by digest.
#[derive(Debug, Default, Clone)]
pub struct UrlSet(HashSet<u128, BuildHasherDefault<DigestHasher>>);

impl UrlSet {
    /// An empty set.
    pub fn new() -> UrlSet {
        UrlSet::default()
    }

    /// Add `url`; false if it was already there.
    pub fn insert(&mut self, url: &str) -> bool {
        self.0.insert(digest(url))
    }

    /// Whether `url` is in the set.
    pub fn contains(&self, url: &str) -> bool {
        self.0.contains(&digest(url))
    }

    /// Remove `url`; false if it was not there.
    pub fn remove(&mut self, url: &str) -> bool {
        self.0.remove(&digest(url))
    }

    /// How many URLs the set holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<S: AsRef<str>> FromIterator<S> for UrlSet {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> UrlSet {
        let mut set = UrlSet::new();
        for url in iter {
            set.insert(url.as_ref());
        }
        set
    }
}

fn digest(url: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(url.as_bytes())
}

/// The table's hasher: the key already is a uniform digest, so its low 64 bits serve as the hash.
#[derive(Debug, Default, Clone, Copy)]
pub struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u128 keys are hashed here; any other input is folded in all the same.
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
        }
    }

    fn write_u128(&mut self, key: u128) {
        self.0 = key as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_what_it_was_given_and_nothing_else() {
        let mut set = UrlSet::new();
        assert!(set.insert("http://a.gov.cn/index.html"));
        assert!(!set.insert("http://a.gov.cn/index.html"));
        assert!(set.contains("http://a.gov.cn/index.html"));
        assert!(!set.contains("http://a.gov.cn/index.htm"));
        assert!(!set.contains("http://a.gov.cn/Index.html"));
        assert!(set.remove("http://a.gov.cn/index.html"));
        assert!(set.is_empty());
        let many: UrlSet = (0..10_000)
            .map(|i| format!("http://a.gov.cn/t{i}.html"))
            .collect();
        assert_eq!(many.len(), 10_000);
        assert!((0..10_000).all(|i| many.contains(&format!("http://a.gov.cn/t{i}.html"))));
        assert!(!many.contains("http://a.gov.cn/t10000.html"));
    }
}
