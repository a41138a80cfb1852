//! The events the service alerts on: gathered from the store, judged by the analyzer
//! ([`xunjian_analyzer::alerts`]). Delivering them is the caller's part.

use xunjian_analyzer::alerts::{self, Addressee};
use xunjian_model::alert::Alert;
use xunjian_model::FindingsDoc;
use xunjian_store::Store;

use crate::error::Result;
use crate::probe::ProbeRound;
use crate::settings::Settings;

/// The sites that are down after a probe round: their newest probes (of the last day) all failed,
/// as many in a row as the rule pack asks. `None` when every homepage of a district of several
/// sites failed in this round: that is the inspector's own network, not the sites, and says nothing
/// about them either way.
pub async fn sites_down(
    settings: &Settings,
    store: &Store,
    round: &ProbeRound,
) -> Result<Option<Vec<Alert>>> {
    if round.probes > 1 && round.failures == round.probes {
        tracing::warn!("every homepage failed in this probe round: no site-down alert is judged");
        return Ok(None);
    }
    let seeds = &settings.seeds.seeds;
    let rules = settings.pack.thresholds();
    let now = settings.clock.now();
    let from = (now - chrono::Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let to =
        (now + chrono::Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut out = Vec::new();
    for site in &seeds.sites {
        let probes = store.probes(&site.id, &from, &to).await?;
        let to = addressee(seeds, &site.name, &site.unit);
        out.extend(alerts::site_down(site, to, &probes, &rules));
    }
    Ok(Some(out))
}

/// The events of a judgement (`doc`, as of its `as_of`): the vetoes that hold and the columns due
/// to go stale within the pack's warning days.
pub fn judged(settings: &Settings, doc: &FindingsDoc) -> Vec<Alert> {
    let seeds = &settings.seeds.seeds;
    let Ok(as_of) = doc.as_of.parse() else {
        return Vec::new();
    };
    doc.targets
        .iter()
        .flat_map(|t| alerts::judgement(t, addressee(seeds, &t.name, &t.unit), as_of))
        .collect()
}

fn addressee<'a>(seeds: &'a xunjian_model::Seeds, name: &'a str, unit: &str) -> Addressee<'a> {
    Addressee {
        name,
        unit: seeds.unit(unit).map_or("", |u| u.name.as_str()),
    }
}

/// The messages that tell each unit its 整改通知 is waiting in the dashboard (to read, download
/// and acknowledge), one per unit and time point, from what the quarterly report wrote.
pub fn notices_issued(settings: &Settings, written: &crate::Written) -> Vec<Alert> {
    use xunjian_model::alert::AlertKind;
    let seeds = &settings.seeds.seeds;
    let quarter = xunjian_model::period::Quarter::of(settings.as_of).label_zh();
    let deadline = written.deadline.format("%Y年%-m月%-d日");
    written
        .notice_units
        .iter()
        .map(|unit| {
            let name = seeds.unit(unit).map_or(unit.as_str(), |u| u.name.as_str());
            Alert {
                kind: AlertKind::NoticeIssued,
                key: format!("{}:{}:{unit}", AlertKind::NoticeIssued.as_str(), settings.as_of),
                target: unit.clone(),
                title: format!("【整改通知】{name}：{quarter}检查整改通知已下发"),
                text: format!(
                    "{name}：{}已下发{quarter}政府网站和政务新媒体检查整改通知，整改期限{deadline}。\n\
                     请登录监测平台“整改通知”页面查看、下载并签收，逐项整改后在“整改”页面报告。",
                    seeds.district.office
                ),
                url: "/notices".to_string(),
            }
        })
        .collect()
}
