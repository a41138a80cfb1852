//! Atomic file writes: a temporary file in the same directory, flushed, then renamed over the target.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::ReportError;

/// Every temporary file starts with this, so that leftovers of a killed run can be recognised.
const TEMP_PREFIX: &str = ".xunjian-tmp-";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Create a directory and its parents.
pub(crate) fn create_dir(dir: &Path) -> Result<(), ReportError> {
    fs::create_dir_all(dir).map_err(io(dir))
}

/// Write `bytes` to `path` so that readers see either the old file or the complete new one.
pub(crate) fn atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        "{TEMP_PREFIX}{}-{}-{name}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        drop(f);
        fs::rename(&tmp, path).map_err(io(path))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        return result;
    }
    // Make the rename itself durable where the platform allows syncing a directory.
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A file-name stem for a unit id: the id itself when it is a plain name, otherwise with every
/// character that could leave the directory or trouble a file system replaced by `_`.
pub(crate) fn file_stem(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match s.as_str() {
        "" | "." | ".." => format!("unit_{s}"),
        _ if s.starts_with('.') => format!("unit_{s}"),
        _ => s,
    }
}

/// Remove the notices in `dir` that this run did not write (`.md`/`.html`/`.docx` only) and temporary files
/// left by an interrupted run.
pub(crate) fn remove_stale(dir: &Path, keep: &[PathBuf]) -> Result<(), ReportError> {
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        if !entry.file_type().map_err(io(&path))?.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_notice = [".md", ".html", ".docx"].iter().any(|e| name.ends_with(e));
        let is_temp = name.starts_with(TEMP_PREFIX);
        if (is_temp || is_notice) && !keep.contains(&path) {
            fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    Ok(())
}

/// Remove temporary files left in `dir` by an interrupted run.
pub(crate) fn remove_temps(dir: &Path) -> Result<(), ReportError> {
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
            && entry.file_type().map_err(io(&path))?.is_file()
        {
            fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    Ok(())
}
