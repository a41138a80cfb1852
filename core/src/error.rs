//! What can stop a pipeline stage. Bad input (a seeds file, a rule pack, an argument) is kept apart
//! from everything else, because the command line answers it with exit code 2 and one line.

use xunjian_reports::ReportError;
use xunjian_store::StoreError;

/// Why a stage of the pipeline stopped.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Bad input from the user: the message names file, line, column and key.
    #[error("{0}")]
    BadInput(String),
    /// The database failed (the message says which database and what it answered).
    #[error("database {url}: {source}")]
    Store {
        /// The database URL.
        url: String,
        /// What it said.
        source: StoreError,
    },
    /// The store failed in the middle of a stage.
    #[error("database: {0}")]
    StoreOp(StoreError),
    /// The disk holding the database is full: the write was refused and rolled back.
    #[error(
        "the disk holding the database is full ({0}): nothing was half-written; free space, then \
         run the same command again (a crawl with --resume continues where it stopped)"
    )]
    DiskFull(StoreError),
    /// The reports could not be written.
    #[error("writing reports: {0}")]
    Reports(#[from] ReportError),
    /// The HTTP client could not be built.
    #[error("building the HTTP client: {0}")]
    Client(String),
    /// A bundled data file (calendar, rule pack) is invalid: a build defect.
    #[error("bundled data: {0}")]
    Bundled(String),
    /// A crawl or probe task panicked.
    #[error("a {0} task failed: {1}")]
    Task(&'static str, String),
    /// A run has not reached the stage asked of it.
    #[error("run {0} has not been analyzed yet: run `xunjian analyze` first")]
    NotAnalyzed(i64),
}

/// The result of a pipeline stage.
pub type Result<T> = std::result::Result<T, CoreError>;

impl CoreError {
    /// Whether the user gave bad input (exit code 2) rather than the run failing.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, CoreError::BadInput(_))
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> CoreError {
        if e.is_disk_full() {
            CoreError::DiskFull(e)
        } else {
            CoreError::StoreOp(e)
        }
    }
}
