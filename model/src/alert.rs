//! 告警: what the service tells an office the moment it happens, between the quarterly checks.
//!
//! The analyzer decides what is an event (a site that stopped answering, a veto that holds, a 栏目
//! whose window ends in a few days) and says it in Chinese; the service delivers each event once per
//! channel while it lasts. An event is known by its `key`: the same key on the next run is the same
//! event and is not sent again; a key that is gone has ended, and if it comes back it is new.

use serde::{Deserialize, Serialize};

/// What an alert is about. Each kind is settled by the job that observes it: a probe round settles
/// [`AlertKind::SiteDown`], a judgement the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// 站点无法访问: the homepage failed the last probes in a row.
    SiteDown,
    /// A veto (单项否决) holds in the newest judgement.
    Veto,
    /// A column will go stale (栏目不更新) within the warning days.
    ColumnDueSoon,
    /// A unit's 整改通知 was issued and waits in the dashboard to be read and acknowledged.
    NoticeIssued,
}

impl AlertKind {
    /// The name the store keeps (`site_down`, `veto`, `column_due_soon`).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::SiteDown => "site_down",
            AlertKind::Veto => "veto",
            AlertKind::ColumnDueSoon => "column_due_soon",
            AlertKind::NoticeIssued => "notice_issued",
        }
    }

    /// Every kind.
    pub const ALL: [AlertKind; 4] = [
        AlertKind::SiteDown,
        AlertKind::Veto,
        AlertKind::ColumnDueSoon,
        AlertKind::NoticeIssued,
    ];
}

/// One event, as the channels send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// What it is about.
    pub kind: AlertKind,
    /// Stable while the event lasts, e.g. `site_down:portal`.
    pub key: String,
    /// The site or account id; for a notice, the unit id.
    pub target: String,
    /// One line, e.g. 【网站巡检告警】区政府门户网站无法访问.
    pub title: String,
    /// What happened, where, since when, and what to do by when: plain text, several lines.
    pub text: String,
    /// The page the alert is about.
    pub url: String,
}
