//! The allocator: mimalloc, without transparent huge pages.
//!
//! The crawl makes millions of short-lived strings (links, URLs, text runs); under glibc's
//! allocator, malloc and free were a fifth of its CPU time, and mimalloc makes a 50,000-page crawl
//! about a quarter faster. By default mimalloc asks the kernel for transparent huge pages on its
//! arenas, so that each touched 4 KiB may cost 2 MiB of resident memory: peak RSS of that crawl rose
//! from 113 to 163 MB. Built without (`libmimalloc-sys`'s `no_thp` feature) it stays under 90 MB
//! at the same speed (measured with `bench/scale.sh`).

/// The global allocator of the binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
