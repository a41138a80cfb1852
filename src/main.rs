//! `xunjian`: the command line, wiring seeds → crawler → store → analyzer → store → reports.
//!
//! Exit codes (contracts.md, extended): 0 the job ran (findings do not change it), 2 bad input
//! (with one message naming file, line, column and key), 3 the job ran but the inspecting machine's
//! own network failed during it (检查端网络异常: the documents say they cannot be signed), 1
//! anything else.

#[cfg(feature = "mimalloc")]
mod alloc;
mod cli;
#[cfg(feature = "demo")]
mod demo;
mod progress;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{Cli, Command};
use xunjian_core as core;
use xunjian_model::clock::{system_clock, SharedClock};

/// Bad input from the user: exit code 2.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

fn main() -> ExitCode {
    #[cfg(feature = "mimalloc")]
    alloc::tune();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            // XUNJIAN_LOG first, then RUST_LOG as in every Rust tool, else warnings only.
            tracing_subscriber::EnvFilter::try_from_env("XUNJIAN_LOG")
                .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    // Few blocking threads: they parse pages, and each thread that ever ran one keeps its own
    // allocator arena (measured: a 50,000-page crawl held 140 MB with tokio's default of 512).
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(4)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("xunjian: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli.command, cli.quiet)) {
        Ok(Done::Clean) => ExitCode::SUCCESS,
        Ok(Done::Degraded(reason)) => {
            eprintln!("xunjian: {reason}；本次结果不可作为通报依据，请恢复检查端网络后重新检查");
            ExitCode::from(EXIT_DEGRADED)
        }
        Err(e) if is_bad_input(&e) => {
            eprintln!("xunjian: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("xunjian: {}", one_line(&e));
            ExitCode::from(1)
        }
    }
}

/// An error and its causes on one line, each cause said once (a message that already quotes its
/// cause is not followed by it again).
fn one_line(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}

/// `--out` with `{as_of}` replaced by the inspection time point (a scheduled run writes each
/// quarter's reports apart, and a resumed one into the same directory).
fn out_dir(out: &std::path::Path, as_of: chrono::NaiveDate) -> std::path::PathBuf {
    std::path::PathBuf::from(out.to_string_lossy().replace("{as_of}", &as_of.to_string()))
}

/// The clock: the system's, or fixed at `XUNJIAN_NOW` (RFC 3339) so that a whole run, fetch times
/// and the date of issue included, can be replayed at a given time (tests, reruns of a past check).
fn clock_from_env() -> Result<SharedClock> {
    let Ok(now) = std::env::var("XUNJIAN_NOW") else {
        return Ok(system_clock());
    };
    let at = chrono::DateTime::parse_from_rfc3339(&now).map_err(|e| {
        BadInput(format!(
            "XUNJIAN_NOW `{now}`: expected an RFC 3339 time: {e}"
        ))
    })?;
    Ok(std::sync::Arc::new(xunjian_model::clock::FixedClock(
        at.with_timezone(&chrono::Utc),
    )))
}

/// The exit code of a run whose inspecting machine's own network failed (检查端网络异常): its
/// documents were written, marked as not to be signed.
const EXIT_DEGRADED: u8 = 3;

/// How a command ended when it did not fail.
enum Done {
    /// Its work is done and can be relied on.
    Clean,
    /// Its work is done, but the run was degraded: the reason.
    Degraded(String),
}

impl Done {
    fn of(degraded: Option<String>) -> Done {
        degraded.map_or(Done::Clean, Done::Degraded)
    }
}

async fn run(command: Command, quiet: bool) -> Result<Done> {
    let clock = clock_from_env()?;
    match command {
        Command::Inspect(args) => {
            let mut settings = crawl_settings(&args.crawl, &clock)?;
            settings.issued = Some(core::parse_day("--issued", args.issued.as_deref(), &clock)?);
            let out = out_dir(&args.out, settings.as_of);
            core::check_out_dir(&out)?;
            let store = core::open_store(args.crawl.db.as_deref()).await?;
            let display = progress::Display::start(settings.progress.clone(), quiet);
            let written = core::inspect(&settings, &store, &out).await?;
            drop(display);
            store.close().await;
            print_written(&written);
            Ok(Done::of(written.degraded))
        }
        Command::Crawl(args) => {
            let settings = crawl_settings(&args, &clock)?;
            let store = core::open_store(args.db.as_deref()).await?;
            let display = progress::Display::start(settings.progress.clone(), quiet);
            let done = core::crawl(&settings, &store).await?;
            drop(display);
            store.close().await;
            println!(
                "run {} crawled: {} pages, {} unchanged since the previous run ({} answered 304 Not Modified)",
                done.run, done.pages, done.unchanged, done.not_modified
            );
            if done.checks_reused > 0 {
                println!(
                    "{} link checks carried forward (answered within recheck_days, not due tonight)",
                    done.checks_reused
                );
            }
            Ok(Done::Clean)
        }
        Command::Analyze(args) => {
            let store = core::open_existing_store(args.db.as_deref()).await?;
            let (run, settings) = stored_run(&store, &args, &clock).await?;
            let doc = core::analyze(&settings, &store, run).await?;
            store.close().await;
            let judged = doc.targets.len();
            let findings: usize = doc.targets.iter().map(|t| t.findings.len()).sum();
            println!("run {run} analyzed: {judged} targets, {findings} findings");
            Ok(Done::of(doc.degraded))
        }
        Command::Report(args) => {
            let store = core::open_existing_store(args.run.db.as_deref()).await?;
            let (run, mut settings) = stored_run(&store, &args.run, &clock).await?;
            settings.issued = Some(core::parse_day("--issued", args.issued.as_deref(), &clock)?);
            let out = out_dir(&args.out, settings.as_of);
            core::check_out_dir(&out)?;
            let written = core::report(&settings, &store, run, &out).await?;
            store.close().await;
            print_written(&written);
            Ok(Done::of(written.degraded))
        }
        Command::CheckSeeds { file } => {
            let seeds = core::load_seeds(&file)?;
            print!("{}", describe_seeds(&seeds.seeds));
            Ok(Done::Clean)
        }
        #[cfg(feature = "demo")]
        Command::Demo(args) => demo::run(&args).await.map(Done::of),
        #[cfg(not(feature = "demo"))]
        Command::Demo(_) => {
            Err(BadInput("this build has no demo (built without the `demo` feature)".into()).into())
        }
        Command::Probe { seeds, db } => {
            let seeds = core::load_seeds(&seeds)?;
            let pack = core::load_rules(None, &[])?;
            let as_of = core::parse_as_of(None, &clock)?;
            let settings = core::Settings::new(seeds, pack, as_of);
            let store = core::open_store(db.as_deref()).await?;
            let round = core::probe(&settings, &store).await?;
            store.close().await;
            println!("{round}");
            Ok(Done::Clean)
        }
        Command::Recheck { seeds, db, rules } => {
            let seeds = core::load_seeds(&seeds)?;
            let pack = core::load_rules(rules.as_deref(), &[])?;
            let as_of = core::parse_as_of(None, &clock)?;
            let mut settings = core::Settings::new(seeds, pack, as_of);
            settings.clock = clock.clone();
            let store = core::open_existing_store(db.as_deref()).await?;
            let done = core::recheck(&settings, &store).await;
            store.close().await;
            println!("{}", done?);
            Ok(Done::Clean)
        }
        Command::Prune { db, keep_days } => {
            let store = core::open_existing_store(db.as_deref()).await?;
            let pruned = core::prune(&store, keep_days, clock.as_ref()).await?;
            store.close().await;
            println!(
                "pruned {} runs, {} probes and {} page versions older than {keep_days} days",
                pruned.runs, pruned.probes, pruned.versions
            );
            Ok(Done::Clean)
        }
        Command::User { action } => user(action, &clock).await.map(|()| Done::Clean),
        Command::Manual { action } => manual(action, &clock).await.map(|()| Done::Clean),
        Command::Serve(args) => serve(args, &clock).await.map(|()| Done::Clean),
        Command::ExtractFeed {
            url,
            status,
            platform,
            as_of,
            file,
        } => {
            let platform: xunjian_model::seeds::Platform =
                serde_json::from_value(serde_json::Value::String(platform.clone()))
                    .map_err(|_| BadInput(format!("--platform `{platform}`: not a platform")))?;
            let as_of = core::parse_as_of(as_of.as_deref(), &clock)?;
            let body = std::fs::read(&file)
                .map_err(|e| BadInput(format!("{}: cannot read: {e}", file.display())))?;
            let pack = core::load_rules(None, &[])?;
            let view = core::read_saved_answer(
                &url,
                status,
                platform,
                &body,
                as_of,
                &clock.now_rfc3339(),
                &pack,
            );
            println!("{}", serde_json::to_string_pretty(&view)?);
            Ok(Done::Clean)
        }
        Command::Extract { url, file } => {
            let url = url::Url::parse(&url).map_err(|e| BadInput(format!("--url `{url}`: {e}")))?;
            let body = std::fs::read(&file)
                .map_err(|e| BadInput(format!("{}: cannot read: {e}", file.display())))?;
            if !xunjian_crawler::summary::looks_like_html(&body) {
                return Err(BadInput(format!("{}: not an HTML page", file.display())).into());
            }
            let view = xunjian_crawler::summary::summarize(&url, &body);
            println!("{}", serde_json::to_string_pretty(&view)?);
            Ok(Done::Clean)
        }
    }
}

/// `serve`: bind first (a taken port is one line before any work), then run until SIGTERM or
/// Ctrl-C.
async fn serve(args: cli::ServeArgs, clock: &SharedClock) -> Result<()> {
    let as_of = match (&args.as_of, args.inspect_now) {
        (Some(a), _) => Some(core::parse_as_of(Some(a), clock)?),
        _ => None,
    };
    let mut settings = settings_for(
        &args.seeds,
        core::settings::today(clock),
        args.rules.as_deref(),
        &[],
        clock,
    )?;
    settings.impolite = args.impolite;
    core::check_out_dir(&args.out)?;
    let store = core::open_store(args.db.as_deref()).await?;
    let service = xunjian_server::Service {
        settings,
        store: store.clone(),
        out: args.out,
        listen: args.listen,
        inspect_now: args.inspect_now.then_some(as_of),
        tick: std::time::Duration::from_secs(1),
        access: xunjian_server::Access {
            user_header: args.trust_user_header.clone(),
            open: args.open,
        },
    };
    let bound = xunjian_server::Bound::bind(service)
        .await
        .map_err(|e| BadInput(e.to_string()))?;
    let addr = bound.local_addr()?;
    let scope = if addr.ip().is_loopback() {
        "loopback only; put a TLS reverse proxy in front to open it wider"
    } else {
        "reachable from the network; serve it over TLS (a reverse proxy)"
    };
    let accounts = match (store.has_users().await?, args.open) {
        (true, _) => "sign-in required",
        (false, true) => "no accounts yet: open to read until `xunjian user add`",
        (false, false) => "no accounts yet: add one with `xunjian user add` to sign in",
    };
    eprintln!("dashboard on http://{addr}/ ({scope}; {accounts})");
    bound.run(stop_signal()).await?;
    store.close().await;
    Ok(())
}

/// Completes on SIGTERM (systemd's stop) or Ctrl-C.
pub(crate) async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    eprintln!("stopping: the jobs in flight are resumed at the next start");
}

/// The settings of a command that crawls, built once from its arguments and the seeds.
fn crawl_settings(args: &cli::CrawlArgs, clock: &SharedClock) -> Result<core::Settings> {
    let as_of = core::parse_as_of(args.as_of.as_deref(), clock)?;
    let mut settings = settings_for(
        &args.seeds,
        as_of,
        args.rules.as_deref(),
        &args.rules_override,
        clock,
    )?;
    settings.resume = args.resume;
    settings.impolite = args.impolite;
    settings.full = args.full;
    if args.as_of.is_none() {
        eprintln!(
            "xunjian: no --as-of given: the inspection time point (监测时间点) is today, {as_of}"
        );
    }
    Ok(settings)
}

/// Settings for a seeds file judged as of `as_of` by the rule pack the seeds and the
/// `--rules` / `--rules-override` arguments name.
fn settings_for(
    seeds: &std::path::Path,
    as_of: chrono::NaiveDate,
    rules: Option<&std::path::Path>,
    overrides: &[std::path::PathBuf],
    clock: &SharedClock,
) -> Result<core::Settings> {
    let seeds = core::load_seeds(seeds)?;
    let pack = core::district_rules(&seeds.seeds.district, rules, overrides)?;
    let mut settings = core::Settings::new(seeds, pack, as_of);
    settings.clock = clock.clone();
    Ok(settings)
}

/// A stored run and the settings it is judged by: its own seeds and as-of date unless the
/// arguments name others.
async fn stored_run(
    store: &core::Store,
    args: &cli::RunArgs,
    clock: &SharedClock,
) -> Result<(i64, core::Settings)> {
    let run = store.run(args.run).await?.ok_or_else(|| match args.run {
        Some(id) => BadInput(format!("--run {id}: no such run in the database")),
        None => BadInput("the database holds no run: run `xunjian crawl` first".into()),
    })?;
    let path = args
        .seeds
        .clone()
        .unwrap_or_else(|| run.seeds_path.clone().into());
    let as_of = run
        .as_of
        .parse()
        .with_context(|| format!("run {} has a malformed as-of date", run.id))?;
    let settings = settings_for(
        &path,
        as_of,
        args.rules.as_deref(),
        &args.rules_override,
        clock,
    )?;
    Ok((run.id, settings))
}

/// The password on the first line of standard input (a terminal is asked for it on stderr).
fn read_password() -> Result<String> {
    use std::io::{BufRead, IsTerminal};
    if std::io::stdin().is_terminal() {
        eprint!("password: ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// `xunjian user add|passwd|disable`.
async fn user(action: cli::UserAction, clock: &SharedClock) -> Result<()> {
    use cli::UserAction;
    match action {
        UserAction::Add {
            name,
            role,
            unit,
            seeds,
            db,
        } => {
            let role = xunjian_model::Role::parse(&role)
                .ok_or_else(|| BadInput(format!("--role `{role}`: one of office, unit, viewer")))?;
            let seeds = core::load_seeds(&seeds)?;
            let pack = core::load_rules(None, &[])?;
            let as_of = core::parse_as_of(None, clock)?;
            let mut settings = core::Settings::new(seeds, pack, as_of);
            settings.clock = clock.clone();
            let password = read_password()?;
            let store = core::open_store(db.as_deref()).await?;
            let new = core::accounts::NewUser {
                name: &name,
                role,
                unit: unit.as_deref(),
                password: &password,
            };
            let added = core::accounts::add_user(&settings, &store, &new).await;
            store.close().await;
            let added = added?;
            println!(
                "user {} added: {}{}",
                added.name,
                added.role.label_zh(),
                added.unit.map(|u| format!(" ({u})")).unwrap_or_default()
            );
        }
        UserAction::Passwd { name, db } => {
            let password = read_password()?;
            let store = core::open_existing_store(db.as_deref()).await?;
            let done = core::accounts::set_password(&store, &name, &password).await;
            store.close().await;
            done?;
            println!("user {name}: password set, sessions ended");
        }
        UserAction::Disable { name, db } => {
            let store = core::open_existing_store(db.as_deref()).await?;
            let done = core::accounts::disable_user(&store, &name).await;
            store.close().await;
            done?;
            println!("user {name} disabled, sessions ended");
        }
    }
    Ok(())
}

/// `xunjian manual import|list`.
async fn manual(action: cli::ManualAction, clock: &SharedClock) -> Result<()> {
    match action {
        cli::ManualAction::Import { file, seeds, db } => {
            let seeds = core::load_seeds(&seeds)?;
            let pack = core::load_rules(None, &[])?;
            let mut settings = core::Settings::new(seeds, pack, core::parse_as_of(None, clock)?);
            settings.clock = clock.clone();
            let store = core::open_store(db.as_deref()).await?;
            let done = core::manual::import_csv(&settings, &store, &file).await;
            store.close().await;
            println!(
                "{} 人工核验 records imported from {}",
                done?,
                file.display()
            );
        }
        cli::ManualAction::List { db } => {
            let store = core::open_existing_store(db.as_deref()).await?;
            let checks = store.manual_checks().await;
            store.close().await;
            core::manual::write_csv(&checks?, std::io::stdout().lock())?;
        }
    }
    Ok(())
}

/// Whether an error is the user's bad input (exit code 2).
fn is_bad_input(e: &anyhow::Error) -> bool {
    e.downcast_ref::<BadInput>().is_some()
        || e.downcast_ref::<core::CoreError>()
            .is_some_and(core::CoreError::is_bad_input)
}

fn print_written(w: &core::Written) {
    println!("findings: {}", w.findings_json.display());
    println!("report:   {}", w.report_html.display());
    println!("report:   {}", w.report_md.display());
    println!("report:   {}", w.report_docx.display());
    println!("links:    {}", w.broken_links_csv.display());
    println!("problems: {}", w.problems_xlsx.display());
    println!("problems: {}", w.problems_csv.display());
    for n in &w.notices {
        println!("notice:   {}", n.display());
    }
    for n in &w.notices_docx {
        println!("notice:   {}", n.display());
    }
}

/// What `check-seeds` prints.
fn describe_seeds(s: &xunjian_model::Seeds) -> String {
    let mut out = format!(
        "{} ({}): {} units, {} sites, {} accounts, {} disclosures\n",
        s.district.name,
        s.district.office,
        s.units.len(),
        s.sites.len(),
        s.accounts.len(),
        s.disclosures.len()
    );
    for site in &s.sites {
        out.push_str(&format!(
            "site    {:<12} {:?} {} {} ({} registered columns)\n",
            site.id,
            site.kind,
            site.url,
            site.name,
            site.columns.len()
        ));
    }
    for a in &s.accounts {
        out.push_str(&format!(
            "account {:<12} {} {} {}\n",
            a.id,
            a.platform.label_zh(),
            a.feed.as_deref().unwrap_or("(无信息源，需人工核验)"),
            a.name
        ));
    }
    for d in &s.disclosures {
        out.push_str(&format!(
            "disclosure {:<12} {} on {} / {}\n",
            d.id, d.name, d.site, d.column
        ));
    }
    let t = &s.schedule;
    out.push_str(&format!(
        "schedule (serve) probe `{}`, crawl `{}`, inspect `{}`, runs kept {} days\n",
        t.probe, t.crawl, t.inspect, t.keep_days
    ));
    let a = &s.alerts;
    if !a.is_empty() {
        let robots: Vec<&str> = a.webhooks.iter().map(|w| w.kind.as_str()).collect();
        out.push_str(&format!(
            "alerts (serve) {} webhook(s){}{}\n",
            robots.len(),
            if robots.is_empty() {
                String::new()
            } else {
                format!(" ({})", robots.join(", "))
            },
            a.email
                .as_ref()
                .map(|e| format!(", mail to {} via {}:{}", e.to.join(", "), e.server, e.port))
                .unwrap_or_default()
        ));
    }
    out
}
