//! One settings value, built once from the arguments and the seeds, that every stage reads: the
//! seeds, the rule pack, the inspection time point, the crawl's manners and the clock.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use xunjian_analyzer::pack::{PackError, RulePack};
use xunjian_model::clock::{system_clock, SharedClock};
use xunjian_model::seeds::District;
use xunjian_model::Seeds;

use crate::error::{CoreError, Result};

/// The national rule pack, bundled so that the binary works anywhere.
pub const NATIONAL_PACK: &str = include_str!("../../seeds/rules/national-2019.toml");

/// A seeds file, loaded and validated, with the text it came from.
#[derive(Debug, Clone)]
pub struct LoadedSeeds {
    /// Where it was read from.
    pub path: PathBuf,
    /// The parsed seeds.
    pub seeds: Seeds,
    /// SHA-256 of its text: a run belongs to one version of the seeds.
    pub hash: String,
}

/// Everything a stage needs to know besides the store.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The seeds.
    pub seeds: LoadedSeeds,
    /// The rule pack the district is judged by, overrides applied.
    pub pack: RulePack,
    /// The inspection time point (监测时间点).
    pub as_of: NaiveDate,
    /// The date of issue printed on the 通报 and the notices (成文日期); none: today by the clock.
    pub issued: Option<NaiveDate>,
    /// Resume the unfinished crawl of the same seeds and as-of date.
    pub resume: bool,
    /// No politeness (benchmarks against one's own servers only).
    pub impolite: bool,
    /// Fetch and parse every page anew instead of reusing what the previous run found unchanged.
    pub full: bool,
    /// Where "now" comes from.
    pub clock: SharedClock,
    /// Where the crawl counts its progress, site by site, for whoever shows it.
    pub progress: xunjian_crawler::progress::Progress,
    /// Where host names are resolved (the system's resolver; a table in tests, so that no test
    /// resolves a name it does not own).
    pub lookup: std::sync::Arc<dyn xunjian_crawler::guard::Lookup>,
}

impl Settings {
    /// The date of issue: the one given, else today (China time) by the clock.
    pub fn issue_date(&self) -> NaiveDate {
        self.issued.unwrap_or_else(|| today(&self.clock))
    }

    /// Settings for `seeds` judged by `pack` as of `as_of`, polite, not resuming, on the system clock.
    pub fn new(seeds: LoadedSeeds, pack: RulePack, as_of: NaiveDate) -> Settings {
        Settings {
            seeds,
            pack,
            as_of,
            issued: None,
            resume: false,
            impolite: false,
            full: false,
            clock: system_clock(),
            progress: Default::default(),
            lookup: std::sync::Arc::new(xunjian_crawler::guard::SystemLookup),
        }
    }
}

fn cannot_read(path: &Path, e: std::io::Error) -> CoreError {
    CoreError::BadInput(format!(
        "{}:1:1: key `(file)`: cannot read: {e}",
        path.display()
    ))
}

/// Read and validate a seeds file; a bad one is [`CoreError::BadInput`].
pub fn load_seeds(path: &Path) -> Result<LoadedSeeds> {
    let text = std::fs::read_to_string(path).map_err(|e| cannot_read(path, e))?;
    let seeds = Seeds::parse(path, &text).map_err(|e| CoreError::BadInput(e.to_string()))?;
    Ok(LoadedSeeds {
        path: path.to_path_buf(),
        seeds,
        hash: hex::encode(Sha256::digest(text.as_bytes())),
    })
}

/// The rule pack a district is judged by: `pack` (the command line's `--rules`), else the pack its
/// seeds name, else the bundled national pack; then the seeds' overrides and `overrides`, in order.
pub fn district_rules(
    district: &District,
    pack: Option<&Path>,
    overrides: &[PathBuf],
) -> Result<RulePack> {
    let pack = pack.or(district.rules.as_deref());
    let all: Vec<PathBuf> = district
        .rules_override
        .iter()
        .chain(overrides)
        .cloned()
        .collect();
    load_rules(pack, &all)
}

/// Load a rule pack (`None`: the bundled national pack) and layer `overrides` on it.
pub fn load_rules(pack: Option<&Path>, overrides: &[PathBuf]) -> Result<RulePack> {
    let bad = |e: PackError| CoreError::BadInput(e.to_string());
    let mut rules = match pack {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| cannot_read(path, e))?;
            RulePack::parse(path, &text).map_err(bad)?
        }
        None => RulePack::parse(Path::new("seeds/rules/national-2019.toml"), NATIONAL_PACK)
            .map_err(bad)?,
    };
    for path in overrides {
        let text = std::fs::read_to_string(path).map_err(|e| cannot_read(path, e))?;
        rules.apply_override(path, &text).map_err(bad)?;
    }
    Ok(rules)
}

/// Parse an `--as-of` date; `None` is today by `clock` (China time), `quarter-end` the latest
/// quarter's last day on or before today (for a scheduled quarterly check, resumable across
/// midnight).
pub fn parse_as_of(arg: Option<&str>, clock: &SharedClock) -> Result<NaiveDate> {
    if arg == Some("quarter-end") {
        return Ok(xunjian_model::period::Quarter::latest_end(today(clock)));
    }
    parse_day("--as-of", arg, clock)
}

/// A date argument (`flag`), `YYYY-MM-DD`; none: today in China by the clock.
pub fn parse_day(flag: &str, arg: Option<&str>, clock: &SharedClock) -> Result<NaiveDate> {
    match arg {
        None => Ok(today(clock)),
        Some(s) => s.parse().map_err(|_| {
            CoreError::BadInput(format!("{flag} `{s}`: expected a date as YYYY-MM-DD"))
        }),
    }
}

/// Today in China (UTC+8) by the clock.
pub fn today(clock: &SharedClock) -> NaiveDate {
    clock.today_in_china()
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::clock::FixedClock;

    #[test]
    fn as_of_defaults_to_the_clock_in_china_time() {
        let at = chrono::DateTime::parse_from_rfc3339("2025-09-30T20:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let clock: SharedClock = std::sync::Arc::new(FixedClock(at));
        assert_eq!(parse_as_of(None, &clock).unwrap().to_string(), "2025-10-01");
        assert_eq!(
            parse_as_of(Some("quarter-end"), &clock)
                .unwrap()
                .to_string(),
            "2025-09-30"
        );
        assert_eq!(
            parse_as_of(Some("2025-09-30"), &clock).unwrap().to_string(),
            "2025-09-30"
        );
        assert!(parse_as_of(Some("30/09"), &clock)
            .unwrap_err()
            .is_bad_input());
    }

    #[test]
    fn the_bundled_pack_loads_and_a_missing_override_is_bad_input() {
        assert!(load_rules(None, &[]).is_ok());
        let e = load_rules(None, &[PathBuf::from("/nonexistent/override.toml")]).unwrap_err();
        assert!(
            e.to_string().starts_with("/nonexistent/override.toml:1:1:"),
            "{e}"
        );
    }
}
