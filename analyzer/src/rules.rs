//! The thresholds the analyzer applies. They come from the rule pack (`RulePack::thresholds`); the
//! defaults here are the national values (indicators.md section 1.2), for tests and for callers
//! without a pack.

/// Veto ids of the rule pack (indicators.md section 9).
pub mod veto {
    /// 站点无法访问.
    pub const SITE_UNREACHABLE: &str = "web.veto.site_unreachable";
    /// 首页不更新.
    pub const HOMEPAGE_NOT_UPDATED: &str = "web.veto.homepage_not_updated";
    /// 栏目不更新 (动态要闻 + 通知公告/政策文件).
    pub const COLUMNS_NOT_UPDATED: &str = "web.veto.columns_not_updated";
    /// 应更新但长期未更新.
    pub const SHOULD_UPDATE_STALE: &str = "web.veto.should_update_stale";
    /// 空白栏目.
    pub const BLANK_COLUMNS: &str = "web.veto.blank_columns";
    /// 政务新媒体内容不更新.
    pub const ACCOUNT_NOT_UPDATED: &str = "nm.veto.not_updated";
    /// 互动回应差: no online consultation channel.
    pub const NO_CONSULT_CHANNEL: &str = "web.veto.no_consult_channel";
    /// 互动回应差: messages unanswered for more than 3 months.
    pub const MESSAGES_UNANSWERED: &str = "web.veto.messages_unanswered";
}

/// Pack ids of the rules behind findings that are reported but are not vetoes.
pub mod other {
    /// 政策文件未解读或解读与原文未双向关联 (a deduction without points).
    pub const POLICY_INTERPRETATION_LINK: &str = "web.deduct.policy_interpretation_link";
    /// 政策解读与文件同步发布.
    pub const POLICY_INTERPRETATION_SYNC: &str = "disc.policy_interpretation_sync";
}

/// Pack ids of the service's alert settings: advisory rules with defaults, since they are
/// xunjian's own choices rather than national rules.
pub mod alert {
    /// 预警: a column about to go stale (`warn_days`).
    pub const COLUMN_DUE_SOON: &str = "svc.alert.column_due_soon";
    /// 告警: a site that stopped answering (`consecutive_failures`).
    pub const SITE_DOWN: &str = "svc.alert.site_down";
}

/// Thresholds and windows.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// 首页不更新: days without a dated homepage item (14).
    pub homepage_window_days: i64,
    /// 栏目不更新: stale news + notice columns that make a veto (5, inclusive).
    pub stale_columns_threshold: usize,
    /// 应更新但长期未更新: stale or blank columns that make a veto (10, inclusive).
    pub should_update_threshold: usize,
    /// 空白栏目: blank columns that make a veto (5, inclusive).
    pub blank_columns_threshold: usize,
    /// 站点无法访问: the probe window in days (7).
    pub unreachable_window_days: i64,
    /// 站点无法访问: probes a day needed to judge (20).
    pub unreachable_min_probes_per_day: usize,
    /// 站点无法访问: the failure ratio that makes a veto (0.05, inclusive).
    pub unreachable_fail_ratio: f64,
    /// 政务新媒体不更新: days without a post (14).
    pub account_window_days: i64,
    /// Days without a post after which an account is a 僵尸号 (长期不更新), not only stale.
    pub account_zombie_days: i64,
    /// Whether a repost (转发) counts as the account's update (true: it is account activity;
    /// whether checkers count it is UNCONFIRMED).
    pub account_count_reposts: bool,
    /// 开设过多: how many accounts one unit may have on one platform (`nm.presence.
    /// one_account_per_platform.max_accounts`, 1 by default).
    pub accounts_per_platform: u32,
    /// The update windows of the column classes (news 14 days, notice 6 months, long 12 months).
    pub columns: crate::pack::ColumnWindows,
    /// 政策解读: policies of this many months before `as_of` are checked (12).
    pub policy_lookback_months: u32,
    /// 政策解读: working days an interpretation may follow its policy (3).
    pub interpretation_max_lag_workdays: u32,
    /// 互动回应差: messages of this many months before `as_of` are checked (12).
    pub message_lookback_months: u32,
    /// 互动回应差: months a message may wait for its answer (3).
    pub message_max_unanswered_months: u32,
    /// 预警: a fresh column whose window ends within this many days is due soon (3).
    pub column_warn_days: u32,
    /// 告警: failed homepage probes in a row that make a site down (2).
    pub site_down_probes: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            homepage_window_days: 14,
            stale_columns_threshold: 5,
            should_update_threshold: 10,
            blank_columns_threshold: 5,
            unreachable_window_days: 7,
            unreachable_min_probes_per_day: 20,
            unreachable_fail_ratio: 0.05,
            account_window_days: 14,
            account_zombie_days: 90,
            account_count_reposts: true,
            accounts_per_platform: 1,
            columns: crate::pack::ColumnWindows {
                news_days: 14,
                notice_months: 6,
                long_months: 12,
            },
            policy_lookback_months: 12,
            interpretation_max_lag_workdays: 3,
            message_lookback_months: 12,
            message_max_unanswered_months: 3,
            column_warn_days: 3,
            site_down_probes: 2,
        }
    }
}
