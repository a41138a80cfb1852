//! The allocator: mimalloc, without transparent huge pages, purging freed memory at once.
//!
//! The crawl makes millions of short-lived strings (links, URLs, text runs); under glibc's
//! allocator, malloc and free were a fifth of its CPU time, and mimalloc makes a 50,000-page
//! crawl about a quarter faster. By default mimalloc asks the kernel for transparent huge pages
//! on its arenas, so that each touched 4 KiB may cost 2 MiB of resident memory: peak RSS of that
//! crawl rose from 113 to 163 MB. Built without (`libmimalloc-sys`'s `no_thp` feature) it stays
//! under 100 MB at the same speed; and purging what is freed at once rather than after a second
//! lets `inspect`'s analysis reuse what its crawl gave back (195 → 178 MB at 50,000 pages).
//! Measured with `bench/scale.sh` and `/usr/bin/time`.

/// The global allocator of the binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_t` (milliseconds; 1,000 by default in the
/// bundled mimalloc).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Purge freed memory at once, unless `MIMALLOC_PURGE_DELAY` says otherwise. The option is read
/// whenever mimalloc considers purging, so setting it first thing in `main` is in time.
pub fn tune() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: setting an option takes no pointers; no other thread has started yet.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is mimalloc v3's purge delay: its default is the 1,000 ms of the bundled
    /// sources (another mimalloc would fail here rather than silently set some other option).
    #[test]
    fn the_purge_delay_option_is_the_one_documented() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reading an option takes no pointers.
            assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 1000);
        }
    }
}
