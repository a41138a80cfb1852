//! Retention (保留期限): how long runs are kept, counted back from the clock.

use chrono::{Duration, SecondsFormat};
use xunjian_model::clock::Clock;
use xunjian_store::{Pruned, Store};

use crate::{CoreError, Result};

/// Remove the runs (and probes) started more than `keep_days` days before now, keeping the newest
/// run and any run still crawling; see [`Store::prune`]. Fewer than one day is bad input.
pub async fn prune(store: &Store, keep_days: u32, clock: &dyn Clock) -> Result<Pruned> {
    if keep_days == 0 {
        return Err(CoreError::BadInput(
            "--keep-days 0: keep at least one day of runs".into(),
        ));
    }
    let cutoff = clock.now() - Duration::days(i64::from(keep_days));
    let before = cutoff.to_rfc3339_opts(SecondsFormat::Secs, true);
    Ok(store.prune(&before).await?)
}
