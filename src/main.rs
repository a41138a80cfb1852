//! `xunjian`: the command line, wiring seeds → crawler → store → analyzer → store → reports.
//!
//! Exit codes (contracts.md): 0 the job ran (findings do not change it), 2 bad input (with one
//! message naming file, line, column and key), 1 anything else.

mod cli;
mod demo;
mod pipeline;

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{Cli, Command};

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
            tracing_subscriber::EnvFilter::try_from_env("XUNJIAN_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("xunjian: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => match e.downcast_ref::<BadInput>() {
            Some(bad) => {
                eprintln!("xunjian: {bad}");
                ExitCode::from(2)
            }
            None => {
                eprintln!("xunjian: {e:#}");
                ExitCode::from(1)
            }
        },
    }
}

async fn run(command: Command) -> Result<()> {
    match command {
        Command::Inspect(args) => {
            let seeds = pipeline::load_seeds(&args.crawl.seeds)?;
            let as_of = pipeline::as_of(args.crawl.as_of.as_deref())?;
            let pack = pipeline::district_rules(
                &seeds.seeds.district,
                args.crawl.rules.as_deref(),
                &args.crawl.rules_override,
            )?;
            let store = pipeline::open_store(args.crawl.db.as_deref()).await?;
            let written = inspect(&seeds, &store, as_of, &pack, &args.crawl, &args.out).await?;
            store.close().await;
            print_written(&written);
            Ok(())
        }
        Command::Crawl(args) => {
            let seeds = pipeline::load_seeds(&args.seeds)?;
            let as_of = pipeline::as_of(args.as_of.as_deref())?;
            let store = pipeline::open_store(args.db.as_deref()).await?;
            let run = pipeline::crawl(&seeds, &store, &crawl_options(&args, as_of)).await?;
            store.close().await;
            println!("run {run} crawled");
            Ok(())
        }
        Command::Analyze(args) => {
            let store = pipeline::open_store(args.db.as_deref()).await?;
            let (run, seeds, as_of) = stored_run(&store, &args).await?;
            let pack = pipeline::district_rules(
                &seeds.seeds.district,
                args.rules.as_deref(),
                &args.rules_override,
            )?;
            let doc = pipeline::analyze(&seeds.seeds, &store, run, as_of, &pack).await?;
            store.close().await;
            let judged = doc.targets.len();
            let findings: usize = doc.targets.iter().map(|t| t.findings.len()).sum();
            println!("run {run} analyzed: {judged} targets, {findings} findings");
            Ok(())
        }
        Command::Report(args) => {
            let store = pipeline::open_store(args.run.db.as_deref()).await?;
            let (run, seeds, as_of) = stored_run(&store, &args.run).await?;
            let doc = pipeline::stored_doc(&seeds.seeds, &store, run, as_of).await?;
            let written = pipeline::write_reports(&args.out, &doc, &seeds.seeds, as_of)?;
            store
                .set_run_status(run, "reported", &xunjian_crawler::fetch::now_rfc3339())
                .await?;
            store.close().await;
            print_written(&written);
            Ok(())
        }
        Command::CheckSeeds { file } => {
            let seeds = pipeline::load_seeds(&file)?;
            print!("{}", describe_seeds(&seeds.seeds));
            Ok(())
        }
        Command::Demo(args) => demo::run(&args.out).await,
        Command::Probe { seeds, db } => {
            let seeds = pipeline::load_seeds(&seeds)?;
            let store = pipeline::open_store(db.as_deref()).await?;
            let (probes, failures, blocked) = pipeline::probe(&seeds.seeds, &store).await?;
            store.close().await;
            println!("{probes} homepages probed, {failures} failed, {blocked} blocked");
            Ok(())
        }
        Command::Extract { url, file } => {
            let url = url::Url::parse(&url).map_err(|e| BadInput(format!("--url `{url}`: {e}")))?;
            let body = std::fs::read(&file)
                .map_err(|e| BadInput(format!("{}: cannot read: {e}", file.display())))?;
            let view = xunjian_crawler::summary::summarize(&url, &body);
            println!("{}", serde_json::to_string_pretty(&view)?);
            Ok(())
        }
    }
}

fn crawl_options(args: &cli::CrawlArgs, as_of: chrono::NaiveDate) -> pipeline::CrawlOptions {
    pipeline::CrawlOptions {
        as_of,
        resume: args.resume,
        impolite: args.impolite,
    }
}

/// Crawl, analyze and report in one go.
pub async fn inspect(
    seeds: &pipeline::LoadedSeeds,
    store: &xunjian_store::Store,
    as_of: chrono::NaiveDate,
    pack: &xunjian_analyzer::pack::RulePack,
    args: &cli::CrawlArgs,
    out: &Path,
) -> Result<xunjian_reports::Written> {
    let run = pipeline::crawl(seeds, store, &crawl_options(args, as_of)).await?;
    let doc = pipeline::analyze(&seeds.seeds, store, run, as_of, pack).await?;
    let written = pipeline::write_reports(out, &doc, &seeds.seeds, as_of)?;
    store
        .set_run_status(run, "reported", &xunjian_crawler::fetch::now_rfc3339())
        .await?;
    Ok(written)
}

async fn stored_run(
    store: &xunjian_store::Store,
    args: &cli::RunArgs,
) -> Result<(i64, pipeline::LoadedSeeds, chrono::NaiveDate)> {
    let run = store.run(args.run).await?.ok_or_else(|| match args.run {
        Some(id) => BadInput(format!("--run {id}: no such run in the database")),
        None => BadInput("the database holds no run: run `xunjian crawl` first".into()),
    })?;
    let path = args
        .seeds
        .clone()
        .unwrap_or_else(|| run.seeds_path.clone().into());
    let seeds = pipeline::load_seeds(&path)?;
    let as_of = run
        .as_of
        .parse()
        .with_context(|| format!("run {} has a malformed as-of date", run.id))?;
    Ok((run.id, seeds, as_of))
}

fn print_written(w: &xunjian_reports::Written) {
    println!("findings: {}", w.findings_json.display());
    println!("report:   {}", w.report_html.display());
    println!("report:   {}", w.report_md.display());
    for n in &w.notices {
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
            a.feed,
            a.name
        ));
    }
    for d in &s.disclosures {
        out.push_str(&format!(
            "disclosure {:<12} {} on {} / {}\n",
            d.id, d.name, d.site, d.column
        ));
    }
    out
}
