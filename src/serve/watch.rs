//! Watching the site's sources with notify and its full debouncer. What is watched: site.toml,
//! `content/`, `static/`, `themes/` and `progress/` (team records), and nothing else (the
//! output folder never, so a build cannot set off another), plus the folders site.toml mounts
//! (`[[mounts]]`). Folders rather than files: an editor's atomic save replaces a file
//! with a new one (write a temporary file, rename it over), which a watch on the old file would
//! miss, and a watch on its folder sees as one more change to the same name.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::content::load::is_ignored_name;

/// How long the sources must be quiet before a rebuild: long enough to take an editor's save
/// (temporary file, rename, backup) as one change, short enough not to be felt.
pub const QUIET: Duration = Duration::from_millis(30);

/// The source folders watched recursively, under the root.
pub const FOLDERS: &[&str] = &["content", "static", "themes", "progress", "i18n"];

/// What the watcher reports to the rebuild loop.
#[derive(Debug)]
pub enum Change {
    /// These source paths changed (absolute, under the root).
    Paths(Vec<PathBuf>),
    /// Events were lost (the kernel's queue overflowed): everything must be read again.
    Everything,
    /// The watcher failed; the message says how.
    Failed(String),
}

/// The running watcher. Dropping it stops it.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    /// The mounted folders watched (relative to the root), shared with the event filter.
    mounts: Arc<RwLock<Vec<String>>>,
}

impl Watcher {
    /// Starts watching the site at `root` (absolute), sending changes to `changes`.
    /// Paths under `output` (absolute) are never reported.
    /// `mounts` are the folders site.toml mounts, relative to the root.
    pub fn start(
        root: &Path,
        output: &Path,
        mounts: &[String],
        changes: Sender<Change>,
    ) -> Result<Self, String> {
        let filter_root = root.to_path_buf();
        let output = output.to_path_buf();
        let shared = Arc::new(RwLock::new(Vec::new()));
        let filter_mounts = Arc::clone(&shared);
        let debouncer = new_debouncer(QUIET, None, move |result: DebounceEventResult| {
            let change = match result {
                Ok(events) => {
                    if events.iter().any(|e| e.event.need_rescan()) {
                        Change::Everything
                    } else {
                        let mut paths: Vec<PathBuf> = events
                            .iter()
                            // Reading a file is not changing it (and the build reads them all).
                            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                            .flat_map(|e| e.event.paths.iter())
                            .filter(|p| {
                                let mounts = filter_mounts.read().map(|m| m.clone());
                                is_source(&filter_root, &output, p)
                                    || mounts.is_ok_and(|m| is_mounted_source(&filter_root, &m, p))
                            })
                            .cloned()
                            .collect();
                        paths.sort();
                        paths.dedup();
                        if paths.is_empty() {
                            return;
                        }
                        Change::Paths(paths)
                    }
                }
                Err(errors) => Change::Failed(
                    errors
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            let _ = changes.send(change);
        })
        .map_err(|e| e.to_string())?;
        let mut watcher = Watcher {
            debouncer,
            root: root.to_path_buf(),
            mounts: shared,
        };
        watcher
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        for folder in FOLDERS {
            watcher.watch_folder(folder)?;
        }
        watcher.set_mounts(mounts)?;
        Ok(watcher)
    }

    /// Watches the mounted folders `mounts` (relative to the root) instead of those watched
    /// so far: call it when site.toml changed.
    pub fn set_mounts(&mut self, mounts: &[String]) -> Result<(), String> {
        let old = self.mounts.read().map(|m| m.clone()).unwrap_or_default();
        if old == mounts {
            return Ok(());
        }
        for folder in &old {
            let _ = self.debouncer.unwatch(self.root.join(folder));
        }
        if let Ok(mut shared) = self.mounts.write() {
            *shared = mounts.to_vec();
        }
        for folder in mounts {
            self.watch_folder(folder)?;
        }
        Ok(())
    }

    /// Watches `root/folder` again: call it when the folder itself was created, removed or
    /// replaced (a `git checkout` may do that), since a watch follows the old folder.
    pub fn watch_folder(&mut self, folder: &str) -> Result<(), String> {
        let path = self.root.join(folder);
        let _ = self.debouncer.unwatch(&path);
        if !path.is_dir() {
            return Ok(());
        }
        self.debouncer
            .watch(&path, RecursiveMode::Recursive)
            .map_err(|e| {
                let mut message = format!("cannot watch {}: {e}", path.display());
                if e.to_string().contains("max") || e.to_string().contains("limit") {
                    message.push_str(
                        " (raise the limit of watches with `sysctl fs.inotify.max_user_watches=524288`)",
                    );
                }
                message
            })
    }

    /// The watched folders that `paths` name themselves (not a file inside them).
    pub fn folders_named(&self, paths: &[PathBuf]) -> Vec<&'static str> {
        FOLDERS
            .iter()
            .copied()
            .filter(|f| paths.iter().any(|p| *p == self.root.join(f)))
            .collect()
    }
}

/// Whether a changed path is under a mounted folder (relative to `root`) and not a name the
/// build ignores.
pub fn is_mounted_source(root: &Path, mounts: &[String], path: &Path) -> bool {
    mounts.iter().any(|m| {
        path.strip_prefix(root.join(m)).is_ok_and(|rest| {
            rest.components()
                .all(|c| !c.as_os_str().to_str().is_some_and(is_ignored_name))
        })
    })
}

/// Whether a changed path is one the site is built from: site.toml, or a file under `content/`,
/// `static/` or a theme that the build reads. Hidden files (editor swap files, `.git`), the
/// `_`-prefixed names the build ignores under content/, and the output folder are not.
pub fn is_source(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str().unwrap_or(""))
        .collect();
    match parts.as_slice() {
        ["site.toml"] => true,
        ["content", rest @ ..] => rest.iter().all(|name| !is_ignored_name(name)),
        // A site's own theme strings (`i18n/<code>.toml`) count like a theme's.
        ["static" | "themes" | "i18n", rest @ ..] => rest.iter().all(|name| !name.starts_with('.')),
        // Team progress files: `progress/<team-id>.yaml`.
        ["progress", rest @ ..] => rest.iter().all(|name| !is_ignored_name(name)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count() {
        let root = Path::new("/site");
        let out = Path::new("/site/public");
        for yes in [
            "/site/site.toml",
            "/site/content",
            "/site/content/playbooks/x.md",
            "/site/content/playbooks/_index.md",
            "/site/content/playbooks/4913",
            "/site/content/playbooks/x.md~",
            "/site/static/assets/site.css",
            "/site/themes/default/templates/base.html",
        ] {
            assert!(is_source(root, out, Path::new(yes)), "{yes} ignored");
        }
        for no in [
            "/site/public/index.html",
            "/site/README.md",
            "/site/.git/index",
            "/site/content/playbooks/.x.md.swp",
            "/site/content/_drafts/x.md",
            "/site/content/.#x.md",
            "/site/static/.DS_Store",
            "/elsewhere/site.toml",
        ] {
            assert!(!is_source(root, out, Path::new(no)), "{no} counted");
        }
        let mounts = ["vendor/national/content".to_string()];
        assert!(is_mounted_source(
            root,
            &mounts,
            Path::new("/site/vendor/national/content/playbooks/x.md")
        ));
        assert!(!is_mounted_source(
            root,
            &mounts,
            Path::new("/site/vendor/national/content/playbooks/.x.md.swp")
        ));
        assert!(!is_mounted_source(
            root,
            &mounts,
            Path::new("/site/vendor/national/README.md")
        ));
        let inside = Path::new("/site/static/public");
        assert!(!is_source(
            root,
            inside,
            Path::new("/site/static/public/x.html")
        ));
    }
}
