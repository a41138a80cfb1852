//! `xunjian demo`: serve the bundled sample district on loopback, inspect it, print the reports.

use std::path::Path;

use anyhow::{Context, Result};
use xunjian_fixture::{serve, DistrictSpec, DEMO_DISTRICT};

use xunjian_core as core;

use crate::print_written;

/// Run the demo, writing into `out`; the reason when the run was degraded (检查端网络异常), so that
/// the demo exits as `inspect` would.
pub async fn run(args: &crate::cli::DemoArgs) -> Result<Option<String>> {
    let out = args.out.as_path();
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
    if args.serve {
        let served = serve_dashboard(settings, store.clone(), out, args.listen).await;
        store.close().await;
        district.shutdown();
        return served.map(|()| written.degraded);
    }
    store.close().await;
    district.shutdown();
    println!("seeds:    {}", seeds_path.display());
    println!("database: {}", db_path.display());
    print_written(&written);
    Ok(written.degraded)
}

/// `demo --serve`: the service on the inspected demo district, its dashboard on `listen`, until
/// Ctrl-C or SIGTERM. The scheduler keeps probing the district on the real clock.
async fn serve_dashboard(
    settings: core::Settings,
    store: core::Store,
    out: &Path,
    listen: std::net::SocketAddr,
) -> Result<()> {
    let service = xunjian_server::Service {
        settings,
        store,
        out: out.join("serve"),
        listen,
        inspect_now: None,
        tick: std::time::Duration::from_secs(1),
        access: xunjian_server::Access {
            open: true,
            ..Default::default()
        },
    };
    let bound = xunjian_server::Bound::bind(service)
        .await
        .map_err(|e| crate::BadInput(e.to_string()))?;
    eprintln!(
        "dashboard on http://{}/ (loopback only; Ctrl-C stops it)",
        bound.local_addr()?
    );
    bound.run(crate::stop_signal()).await?;
    Ok(())
}
