//! `playbook serve`: build, serve, watch, rebuild what changed, tell the browser.
//!
//! ```text
//! watch (notify) ──changed paths──▶ rebuild (cache) ──ok──▶ swap the site in memory ──▶ reload event
//!                                                          └─error─▶ keep the last good site, add the overlay
//! ```
//!
//! The site is served from memory, never from the output folder: a failed rebuild simply keeps
//! the last good site, there is no folder to climb out of, and nothing is written to disk.

pub mod cache;
mod http;
pub mod link_index;
pub mod overlay;
mod quick;
pub mod rebuild;
pub mod render_cache;
mod watch;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

use crate::build::{plural, BuildOptions};
use crate::content::model::IsoDate;
use crate::diagnostics::{self, Format};
use cache::BuildCache;
pub use http::{host_allowed, site_path};
use rebuild::{rebuild, Rebuilt, SiteFiles};
use watch::{Change, Watcher};

/// The port `serve` tries first when `--port` is not given.
pub const DEFAULT_PORT: u16 = 1111;

/// What `playbook serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder holding site.toml.
    pub root: PathBuf,
    /// Address to listen on (127.0.0.1 unless `--bind` says otherwise).
    pub bind: IpAddr,
    /// Port; `None` tries [`DEFAULT_PORT`] and falls back to any free port. `Some(0)` picks one.
    pub port: Option<u16>,
    /// Build drafts too.
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// The date review checks use (see `BuildOptions::today`).
    pub today: IsoDate,
}

/// A problem that stops `serve` before it runs: the message and the exit code.
#[derive(Debug)]
pub struct ServeError {
    /// What went wrong, and how to fix it.
    pub message: String,
    /// 2 when the command was used wrongly (an address that cannot be listened on), else 1.
    pub code: u8,
}

/// One version of the site as served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every file by its path relative to the output folder; empty until a build succeeds.
    pub files: SiteFiles,
    /// The overlay HTML while the last rebuild failed.
    pub overlay: Option<String>,
    /// Changes with every version, so a browser that reconnects can tell it missed one.
    pub version: String,
}

/// What the browser is told after a rebuild.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// Reload the page.
    Reload {
        /// The new version.
        version: String,
    },
    /// Only stylesheets changed: swap these (URL paths) without reloading.
    Css {
        /// The new version.
        version: String,
        /// The changed stylesheets, e.g. `/assets/playbook.css`.
        paths: Vec<String>,
    },
}

/// Shared between the rebuild loop and the HTTP server.
pub struct ServeState {
    site: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<LiveEvent>,
    /// The address listened on, for the Host check.
    bound: IpAddr,
}

impl ServeState {
    /// The current version of the site (cheap: an Arc).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.site.read() {
            Ok(site) => Arc::clone(&site),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn replace(&self, snapshot: Snapshot) {
        let snapshot = Arc::new(snapshot);
        match self.site.write() {
            Ok(mut site) => *site = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
    }
}

/// Runs `playbook serve` until the process is stopped. Returns only on a problem that prevents
/// serving at all; a site that does not build is served anyway, with its errors shown.
pub fn run(options: &ServeOptions) -> Result<(), ServeError> {
    let root = std::fs::canonicalize(&options.root).map_err(|e| ServeError {
        message: format!(
            "cannot open the site folder {}: {e}",
            options.root.display()
        ),
        code: 2,
    })?;
    let listener = listen(options.bind, options.port)?;
    let address = listener.local_addr().map_err(|e| ServeError {
        message: format!("cannot read the address listened on: {e}"),
        code: 1,
    })?;
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, which other machines can reach: anyone who can connect \
             can read the site as it is being written\n  help: leave out --bind to serve only \
             this machine (127.0.0.1)",
            options.bind
        );
    }
    let build_options = BuildOptions {
        drafts: options.drafts,
        live_reload: true,
        at_root: true,
        ..BuildOptions::new(root.clone(), options.today)
    };
    let config = crate::config::load(&root).ok();
    let output = config
        .as_ref()
        .map(|c| root.join(&c.output_dir))
        .unwrap_or_else(|| root.join("public"));
    let mounts = mount_folders(config.as_ref());

    // Watch before the first build, so an edit made while it runs is not lost.
    let (changes_tx, changes) = mpsc::channel();
    let mut watcher =
        Watcher::start(&root, &output, &mounts, changes_tx).map_err(|message| ServeError {
            message: format!("cannot watch the site for changes: {message}"),
            code: 1,
        })?;

    let (events, _) = broadcast::channel(64);
    let state = Arc::new(ServeState {
        site: RwLock::new(Arc::new(Snapshot::default())),
        events,
        bound: options.bind,
    });
    let mut cache = BuildCache::default();
    let mut version = Version::new();
    let first = rebuild(&build_options, &mut cache);
    print_diagnostics(&first);
    let first_line = publish(&state, &mut version, first, &[]);

    start_server(listener, Arc::clone(&state))?;
    let host = if options.bind.is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        address.ip().to_string()
    };
    let url = match address.ip() {
        IpAddr::V6(_) if !options.bind.is_unspecified() => {
            format!("http://[{host}]:{}/", address.port())
        }
        _ => format!("http://{host}:{}/", address.port()),
    };
    if let Some(line) = first_line {
        println!("{}", line.replacen("rebuilt", "built", 1));
    }
    println!("Serving {} at {url} (press Ctrl+C to stop)", root.display());
    if options.open {
        if let Err(err) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser: {err}\n  help: open {url} yourself");
        }
    }

    while let Ok(change) = changes.recv() {
        // Take everything that is already waiting: one rebuild for all of it.
        let mut batch = vec![change];
        batch.extend(changes.try_iter());
        let mut changed: Vec<PathBuf> = Vec::new();
        for change in batch {
            match change {
                Change::Paths(paths) => changed.extend(paths),
                Change::Everything => cache.changed_everything(),
                Change::Failed(message) => eprintln!("warning: watching: {message}"),
            }
        }
        for folder in watcher.folders_named(&changed) {
            if let Err(message) = watcher.watch_folder(folder) {
                eprintln!("warning: {message}");
            }
            cache.changed_everything();
        }
        if changed
            .iter()
            .any(|p| p.ends_with(crate::config::CONFIG_FILE))
        {
            let config = crate::config::load(&root).ok();
            if let Err(message) = watcher.set_mounts(&mount_folders(config.as_ref())) {
                eprintln!("warning: {message}");
            }
        }
        changed.sort();
        changed.dedup();
        cache.changed(&changed);
        let rebuilt = rebuild(&build_options, &mut cache);
        print_diagnostics(&rebuilt);
        let line = publish(&state, &mut version, rebuilt, &changed);
        if let Some(line) = line {
            println!("{}", describe_changes(&root, &changed, &line));
        }
    }
    Err(ServeError {
        message: "the file watcher stopped".into(),
        code: 1,
    })
}

/// The folders site.toml mounts, relative to the root (none when it does not load).
fn mount_folders(config: Option<&crate::config::SiteConfig>) -> Vec<String> {
    config
        .map(|c| c.mounts.iter().map(|m| m.source.clone()).collect())
        .unwrap_or_default()
}

/// Binds the listener: `port`, or the default port and then any free one.
fn listen(bind: IpAddr, port: Option<u16>) -> Result<TcpListener, ServeError> {
    let attempt = |port: u16| TcpListener::bind(SocketAddr::new(bind, port));
    let result = match port {
        Some(port) => attempt(port),
        None => attempt(DEFAULT_PORT).or_else(|_| attempt(0)),
    };
    result.map_err(|e| ServeError {
        message: format!(
            "cannot listen on {bind}:{}: {e}\n  help: pass --port with a free port, or --port 0 for any",
            port.unwrap_or(DEFAULT_PORT)
        ),
        code: 2,
    })
}

fn start_server(listener: TcpListener, state: Arc<ServeState>) -> Result<(), ServeError> {
    let fail = |e: std::io::Error| ServeError {
        message: format!("cannot start the server: {e}"),
        code: 1,
    };
    listener.set_nonblocking(true).map_err(fail)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(fail)?;
    std::thread::Builder::new()
        .name("playbook-serve-http".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => listener,
                    Err(err) => {
                        eprintln!("error: cannot serve: {err}");
                        std::process::exit(1);
                    }
                };
                if let Err(err) = axum::serve(listener, http::router(state)).await {
                    eprintln!("error: the server stopped: {err}");
                    std::process::exit(1);
                }
            })
        })
        .map_err(fail)?;
    Ok(())
}

/// Versions the browser can compare: this process's start time and a counter.
struct Version {
    process: u128,
    count: u64,
}

impl Version {
    fn new() -> Self {
        let process = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_micros())
            .unwrap_or_default();
        Version { process, count: 0 }
    }

    fn next(&mut self) -> String {
        self.count += 1;
        format!("{:x}-{}", self.process, self.count)
    }
}

/// Swaps in the result of a rebuild and tells the browsers. Returns the line to print, or
/// `None` when nothing that is served changed.
fn publish(
    state: &ServeState,
    version: &mut Version,
    rebuilt: Rebuilt,
    changed: &[PathBuf],
) -> Option<String> {
    let previous = state.snapshot();
    let elapsed = rebuilt.report.elapsed;
    let ms = elapsed.as_secs_f64() * 1000.0;
    match rebuilt.files {
        Some(files) => {
            let delta = delta(&previous.files, &files);
            let recovered = previous.overlay.is_some();
            if delta.is_empty() && !recovered && !previous.files.is_empty() {
                return (!changed.is_empty())
                    .then(|| format!("rebuilt in {ms:.0} ms: nothing served changed"));
            }
            let new_version = version.next();
            let css_only = !recovered
                && !delta.is_empty()
                && delta.iter().all(|p| p.ends_with(".css"))
                && delta.iter().all(|p| files.contains_key(p));
            let event = if css_only {
                LiveEvent::Css {
                    version: new_version.clone(),
                    paths: delta.iter().map(|p| format!("/{p}")).collect(),
                }
            } else {
                LiveEvent::Reload {
                    version: new_version.clone(),
                }
            };
            state.replace(Snapshot {
                files,
                overlay: None,
                version: new_version,
            });
            let _ = state.events.send(event);
            let pages = rebuilt
                .rendered
                .iter()
                .filter(|p| p.ends_with(".html"))
                .count();
            let mut line = format!(
                "rebuilt in {ms:.0} ms: {} rendered, {} changed",
                plural(pages, "page"),
                plural(delta.len(), "file")
            );
            if css_only {
                line.push_str(" (stylesheets swapped without a reload)");
            }
            if recovered {
                line.push_str("; the errors are fixed");
            }
            Some(line)
        }
        None => {
            let overlay = overlay::overlay_html(&rebuilt.report.diagnostics);
            let errors = rebuilt
                .report
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .count();
            let line = format!(
                "build failed in {ms:.0} ms with {}: {}",
                plural(errors, "error"),
                if previous.files.is_empty() {
                    "every page shows them until they are fixed"
                } else {
                    "the last good site is still served, with the errors shown on every page"
                }
            );
            if previous.overlay.as_deref() == Some(overlay.as_str()) {
                return Some(line);
            }
            let new_version = version.next();
            state.replace(Snapshot {
                files: Arc::clone(&previous.files),
                overlay: Some(overlay),
                version: new_version.clone(),
            });
            let _ = state.events.send(LiveEvent::Reload {
                version: new_version,
            });
            Some(line)
        }
    }
}

/// Paths added, changed or removed between two versions of the site.
fn delta(old: &HashMap<String, Arc<[u8]>>, new: &HashMap<String, Arc<[u8]>>) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| match old.get(*path) {
            Some(before) => !Arc::ptr_eq(before, bytes) && before[..] != bytes[..],
            None => true,
        })
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    changed.sort();
    changed
}

fn print_diagnostics(rebuilt: &Rebuilt) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = diagnostics::render_all(&rebuilt.report.diagnostics, Format::Human, color);
    eprint!("{text}");
}

/// "content/playbooks/x.md changed: rebuilt in 12 ms: …"
fn describe_changes(root: &Path, changed: &[PathBuf], line: &str) -> String {
    let names: Vec<String> = changed
        .iter()
        .map(|p| crate::content::load::rel_string(root, p))
        .collect();
    match names.len() {
        0 => line.to_string(),
        1..=3 => format!("{} changed; {line}", names.join(", ")),
        n => format!(
            "{} and {} more changed; {line}",
            names[..2].join(", "),
            n - 2
        ),
    }
}
