//! What the core's loopback tests share: serving a router on loopback, and the settings of a
//! one-site district whose portal is that server.

use std::net::SocketAddr;

use axum::Router;
use xunjian_core::Settings;

/// Serve `app` on a loopback port for the rest of the test.
pub async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// Impolite settings (as of 2025-09-30) for one portal at `addr`, with `defaults` lines added to
/// `[defaults]`; the seeds file is written into `dir`.
pub fn settings(dir: &std::path::Path, addr: SocketAddr, defaults: &str) -> Settings {
    let seeds_path = dir.join("seeds.toml");
    std::fs::write(
        &seeds_path,
        format!(
            r#"[district]
name = "示范区"
office = "示范区人民政府办公室"
[defaults]
rate_per_host = 1000.0
timeout_s = 5
respect_robots = false
{defaults}
[[unit]]
id = "zfb"
name = "示范区人民政府办公室"
[[site]]
id = "portal"
name = "示范区人民政府门户网站"
unit = "zfb"
url = "http://{addr}/"
kind = "portal"
"#
        ),
    )
    .unwrap();
    let seeds = xunjian_core::load_seeds(&seeds_path).unwrap();
    let pack = xunjian_core::load_rules(None, &[]).unwrap();
    let mut settings = Settings::new(seeds, pack, "2025-09-30".parse().unwrap());
    settings.impolite = true;
    settings
}
