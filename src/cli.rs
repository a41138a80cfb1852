//! The command line (contracts.md section 1).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// 巡检: quarterly inspection of government websites and new-media accounts.
#[derive(Debug, Parser)]
#[command(name = "xunjian", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// No progress display while crawling (logs still go to stderr: RUST_LOG / XUNJIAN_LOG).
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// One complete inspection: crawl, analyze, and write findings.json, the 通报 and the notices.
    Inspect(InspectArgs),
    /// Crawl every target of a seeds file into the database.
    Crawl(CrawlArgs),
    /// Judge a crawled run and store its findings.
    Analyze(RunArgs),
    /// Write findings.json, the 通报 and the notices of an analyzed run.
    Report(ReportArgs),
    /// Validate a seeds file and print what it would inspect.
    CheckSeeds {
        /// The seeds file.
        file: PathBuf,
    },
    /// Record one probe round (one visit of every site's homepage) for 站点无法访问; run it from cron.
    Probe {
        /// The seeds file.
        #[arg(long)]
        seeds: PathBuf,
        /// Database URL (default sqlite://xunjian.db; or the XUNJIAN_DB environment variable).
        #[arg(long, env = "XUNJIAN_DB")]
        db: Option<String>,
    },
    /// 复查: fetch again the evidence of every open problem (the broken link, the column's list
    /// page, the homepage) and close what is gone (已销号); a failed fetch closes nothing.
    Recheck {
        /// The seeds file (its politeness settings).
        #[arg(long)]
        seeds: PathBuf,
        /// Database URL (default sqlite://xunjian.db; or the XUNJIAN_DB environment variable).
        #[arg(long, env = "XUNJIAN_DB")]
        db: Option<String>,
        /// The rule pack; default the bundled national pack.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Remove runs (and probes) older than a retention period (保留期限), keeping the newest run.
    Prune {
        /// Database URL (default sqlite://xunjian.db; or the XUNJIAN_DB environment variable).
        #[arg(long, env = "XUNJIAN_DB")]
        db: Option<String>,
        /// Keep the runs started in the last DAYS days (the newest run is always kept).
        #[arg(long, value_name = "DAYS")]
        keep_days: u32,
    },
    /// Manage the accounts that sign in to the dashboard: 办公室 (office), 单位 (unit), 查看
    /// (viewer). The password is read from the first line of standard input, never from the
    /// arguments.
    User {
        /// What to do.
        #[command(subcommand)]
        action: UserAction,
    },
    /// 人工核验: record the office's own look at accounts no reader reaches (Douyin, Toutiao,
    /// Kuaishou, blocked ones); the next analysis judges them by it.
    Manual {
        /// What to do.
        #[command(subcommand)]
        action: ManualAction,
    },
    /// Run always: probes, the nightly crawl and the quarterly inspection on the seeds'
    /// `[schedule]`, and the dashboard (总览, 运行) with its JSON twins under /api/.
    Serve(ServeArgs),
    /// Serve the bundled sample district on loopback, inspect it, and print where the reports are.
    Demo(DemoArgs),
    /// Read one saved answer of an account's feed or platform list as if fetched from URL and
    /// print what the reader sees, as JSON: the posts with their dates, the newest counted post,
    /// and the account's state as of the date.
    ExtractFeed {
        /// The URL the answer came from.
        #[arg(long)]
        url: String,
        /// The HTTP status it came with.
        #[arg(long, default_value_t = 200)]
        status: u16,
        /// The platform (wechat, weibo, douyin, toutiao, kuaishou, other).
        #[arg(long, default_value = "weibo")]
        platform: String,
        /// The time point the state is judged as of (YYYY-MM-DD; default today).
        #[arg(long)]
        as_of: Option<String>,
        /// The saved answer.
        file: PathBuf,
    },
    /// Read one saved HTML page as if fetched from URL and print what the crawler sees, as JSON.
    Extract {
        /// The URL the page was fetched from (links resolve against it).
        #[arg(long)]
        url: String,
        /// The saved page.
        file: PathBuf,
    },
}

/// Options shared by the commands that crawl.
#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// The seeds file.
    #[arg(long)]
    pub seeds: PathBuf,
    /// The inspection time point (监测时间点), YYYY-MM-DD, or `quarter-end` (the latest quarter's
    /// last day on or before today); default today.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Database URL: sqlite://FILE (default xunjian.db) or postgres://…; or the XUNJIAN_DB
    /// environment variable.
    #[arg(long, env = "XUNJIAN_DB")]
    pub db: Option<String>,
    /// The rule pack; default the bundled national pack (seeds/rules/national-2019.toml).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Provincial or district overrides of the rule pack, applied in order.
    #[arg(long = "rules-override")]
    pub rules_override: Vec<PathBuf>,
    /// Resume the unfinished crawl of the same seeds and as-of date instead of starting anew.
    #[arg(long)]
    pub resume: bool,
    /// Fetch and parse every page anew. By default a crawl into a database that holds an earlier
    /// complete crawl of a site asks for its pages conditionally (If-None-Match /
    /// If-Modified-Since) and reuses the pages that did not change.
    #[arg(long)]
    pub full: bool,
    /// Ignore rate limits and robots.txt: for benchmarks against servers of your own only.
    #[arg(long, hide = true)]
    pub impolite: bool,
}

/// `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Crawl options.
    #[command(flatten)]
    pub crawl: CrawlArgs,
    /// Where the reports go; `{as_of}` in it is replaced by the inspection time point.
    #[arg(long)]
    pub out: PathBuf,
    /// The date of issue printed on the 通报 and notices (成文日期), YYYY-MM-DD; default today.
    /// The remediation deadline is counted from it in working days.
    #[arg(long)]
    pub issued: Option<String>,
}

/// Options that pick a stored run.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Database URL (default sqlite://xunjian.db; or the XUNJIAN_DB environment variable).
    #[arg(long, env = "XUNJIAN_DB")]
    pub db: Option<String>,
    /// The run; default the newest.
    #[arg(long)]
    pub run: Option<i64>,
    /// The seeds file; default the one the run was crawled from.
    #[arg(long)]
    pub seeds: Option<PathBuf>,
    /// The rule pack; default the bundled national pack.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Overrides of the rule pack, applied in order.
    #[arg(long = "rules-override")]
    pub rules_override: Vec<PathBuf>,
}

/// `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which run.
    #[command(flatten)]
    pub run: RunArgs,
    /// Where the reports go; `{as_of}` in it is replaced by the inspection time point.
    #[arg(long)]
    pub out: PathBuf,
    /// The date of issue printed on the 通报 and notices (成文日期), YYYY-MM-DD; default today.
    /// The remediation deadline is counted from it in working days.
    #[arg(long)]
    pub issued: Option<String>,
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The seeds file.
    #[arg(long)]
    pub seeds: PathBuf,
    /// Database URL: sqlite://FILE (default xunjian.db) or postgres://…; or the XUNJIAN_DB
    /// environment variable.
    #[arg(long, env = "XUNJIAN_DB")]
    pub db: Option<String>,
    /// Where the dashboard listens (loopback only by default).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Where the quarterly documents go, one directory per time point.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Start one inspection at startup (a first look), as of --as-of.
    #[arg(long)]
    pub inspect_now: bool,
    /// The time point of --inspect-now, YYYY-MM-DD or `quarter-end` (default: quarter-end).
    #[arg(long, requires = "inspect_now")]
    pub as_of: Option<String>,
    /// The rule pack; default the one the seeds name, else the bundled national pack.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Ignore rate limits and robots.txt: for tests against servers of your own only.
    #[arg(long, hide = true)]
    pub impolite: bool,
    /// Trust this request header (e.g. X-Remote-User) as the signed-in account's name, for
    /// single sign-on behind a reverse proxy that sets it and strips it from outside requests.
    /// Off by default.
    #[arg(long, value_name = "HEADER")]
    pub trust_user_header: Option<String>,
    /// While no account exists, let anyone who reaches the dashboard read it (never act): a first
    /// look on loopback. Off by default: without accounts every page asks to sign in.
    #[arg(long)]
    pub open: bool,
}

/// `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where the reports go.
    #[arg(long, default_value = "out/demo")]
    pub out: PathBuf,
    /// Then keep the district served and run `serve` on it, with the dashboard, until Ctrl-C.
    #[arg(long)]
    pub serve: bool,
    /// Where the dashboard listens with --serve.
    #[arg(long, default_value = "127.0.0.1:8080", requires = "serve")]
    pub listen: std::net::SocketAddr,
}

/// `xunjian user …`.
#[derive(Debug, clap::Subcommand)]
pub enum UserAction {
    /// Add an account (its password from standard input).
    Add {
        /// The sign-in name.
        name: String,
        /// Its role: office (办公室), unit (单位) or viewer (查看).
        #[arg(long)]
        role: String,
        /// The unit id (from the seeds) of a unit account.
        #[arg(long)]
        unit: Option<String>,
        /// The seeds file the unit is checked against.
        #[arg(long)]
        seeds: PathBuf,
        /// Database URL (default sqlite://xunjian.db; or the XUNJIAN_DB environment variable).
        #[arg(long, env = "XUNJIAN_DB")]
        db: Option<String>,
    },
    /// Set an account's password (from standard input); its sessions end.
    Passwd {
        /// The sign-in name.
        name: String,
        /// Database URL (default sqlite://xunjian.db; or the XUNJIAN_DB environment variable).
        #[arg(long, env = "XUNJIAN_DB")]
        db: Option<String>,
    },
    /// Disable an account; its sessions end.
    Disable {
        /// The sign-in name.
        name: String,
        /// Database URL (default sqlite://xunjian.db; or the XUNJIAN_DB environment variable).
        #[arg(long, env = "XUNJIAN_DB")]
        db: Option<String>,
    },
}

/// `xunjian manual …`.
#[derive(Debug, clap::Subcommand)]
pub enum ManualAction {
    /// Import a CSV file (UTF-8; header account,last_post,post_url,checked_by,checked_at): all its
    /// records or, for one bad line, none.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// The seeds file the accounts are checked against.
        #[arg(long)]
        seeds: PathBuf,
        /// Database URL (default sqlite://xunjian.db; or the XUNJIAN_DB environment variable).
        #[arg(long, env = "XUNJIAN_DB")]
        db: Option<String>,
    },
    /// Print every record as CSV, in the import file's columns (and where each came from).
    List {
        /// Database URL (default sqlite://xunjian.db; or the XUNJIAN_DB environment variable).
        #[arg(long, env = "XUNJIAN_DB")]
        db: Option<String>,
    },
}
