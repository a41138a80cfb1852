//! Fetching and extraction: everything xunjian learns from the network, and nothing it concludes.
//!
//! - [`fetch`]: polite HTTP (per-host rate limits, robots.txt, retries, Retry-After, body cap, cookies).
//! - [`guard`]: never a tool against its own network: internal addresses refused at resolve time.
//! - [`robots`]: robots.txt rules.
//! - [`extract`]: what a page holds (charset, title, kind, dates, list items, links, footer marks).
//! - [`feed`]: posts of a new-media account's RSS, Atom or JSON feed.
//! - [`platform`]: posts of the lists platforms serve (Weibo, Bilibili, WeChat), each an adapter.
//! - [`account`]: what an account's answer says, block answers first (never "not updated").
//! - [`crawl`]: one site's crawl, homepage and columns first, streaming observations to the store.
//!
//! The crawler never judges: a failed fetch is recorded as failed, an empty list as empty; whether
//! that is a finding is the analyzer's business.

pub mod account;
pub mod crawl;
pub mod extract;
pub mod feed;
pub mod fetch;
pub mod guard;
pub mod platform;
pub mod progress;
pub mod recheck;
pub mod robots;
pub mod summary;
pub mod urlset;
