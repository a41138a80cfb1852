//! A site's availability over the 站点无法访问 window, day by day, as the analyzer counts it.

use chrono::NaiveDate;
use xunjian_model::observe::DayAvailability;
use xunjian_store::Store;

use crate::error::Result;
use crate::settings::Settings;

/// The probes of `site` on the days of the pack's unreachability window that end on `last`, one
/// entry per day that has any.
pub async fn availability(
    settings: &Settings,
    store: &Store,
    site: &str,
    last: NaiveDate,
) -> Result<Vec<DayAvailability>> {
    let days = settings.pack.thresholds().unreachable_window_days.max(1) as u64;
    let first = last - chrono::Days::new(days - 1);
    // China midnight is 16:00 UTC the day before.
    let utc = |d: NaiveDate| format!("{}T16:00:00Z", d - chrono::Days::new(1));
    let probes = store
        .probes(site, &utc(first), &utc(last + chrono::Days::new(1)))
        .await?;
    Ok(xunjian_analyzer::availability::daily(&probes, first, last))
}
