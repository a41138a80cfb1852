//! `xunjian demo`: serve the bundled sample district on loopback, inspect it, print the reports.

use std::path::Path;

use anyhow::{Context, Result};
use xunjian_fixture::{serve, DistrictSpec, DEMO_DISTRICT};

use xunjian_core as core;

use crate::print_written;

/// Run the demo, writing into `out`; the reason when the run was degraded (检查端网络异常), so that
/// the demo exits as `inspect` would.
pub async fn run(out: &Path) -> Result<Option<String>> {
    let spec = DistrictSpec::from_toml(DEMO_DISTRICT).context("the bundled demo district")?;
    let district = serve(&spec).await.context("serving the demo district")?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let seeds_path = out.join("seeds.toml");
    std::fs::write(&seeds_path, &district.seeds_toml)
        .with_context(|| format!("writing {}", seeds_path.display()))?;
    let db_path = out.join("demo.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db_path.display()));
    }
    let db = format!("sqlite://{}", db_path.display());
    println!(
        "demo district 「{}」 served on loopback ({} sites); inspecting as of {}…",
        spec.district.name,
        district.origins.len().saturating_sub(1),
        district.as_of
    );
    let seeds = core::load_seeds(&seeds_path)?;
    let store = core::open_store(Some(&db)).await?;
    let settings = core::Settings::new(seeds, core::load_rules(None, &[])?, district.as_of);
    let written = core::inspect(&settings, &store, out).await?;
    store.close().await;
    district.shutdown();
    println!("seeds:    {}", seeds_path.display());
    println!("database: {}", db_path.display());
    print_written(&written);
    Ok(written.degraded)
}
