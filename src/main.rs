//! The `playbook` command line: parses arguments, calls the library, prints, sets the exit code.

/// mimalloc rather than glibc's malloc: a build allocates millions of small strings on two
/// threads, and with glibc the time per page grew with the site (malloc_consolidate and
/// fragmentation in the profile at 10,000 playbooks).
#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

/// mimalloc as the global allocator, asking for an alignment only when a plain `mi_malloc`
/// might not give it. The `mimalloc` crate's allocator calls `mi_malloc_aligned` for every
/// allocation, and mimalloc 3 serves that from its generic path for anything over 1 KiB
/// (its "small" limit) whose size class is not a power of two, whatever the alignment: at 300
/// playbooks that was 213,000 calls of about 240 instructions each, 2% of the build. A plain
/// block is aligned as [`MALLOC_ALIGN`] says, so anything that asks for no more is served as
/// `malloc` would serve it, as Rust's own `System` allocator does. That includes Tera's values
/// and the search index's packed words, which hold 128-bit numbers and so ask for 16 bytes:
/// sending those to `mi_malloc_aligned` too was another 2% (980,000 calls at 1,000 playbooks).
struct MiMalloc;

/// The alignment of every block `mi_malloc` gives: 16 bytes (`MI_MAX_ALIGN_SIZE`, which C's
/// `malloc` owes `max_align_t`) for blocks over 8 bytes, since mimalloc starts each page's
/// first block on 16 bytes and rounds every size class up to a multiple of 16; a block of 8
/// bytes or less is one machine word, aligned to that.
const MALLOC_ALIGN: usize = 16;

/// Whether `mi_malloc(size)` is aligned enough for a block of `size` bytes aligned to `align`
/// (`align` is a power of two; a Rust type's size is a multiple of its alignment).
fn plain_is_aligned(size: usize, align: usize) -> bool {
    align <= MALLOC_ALIGN && align <= size
}

/// A block for `layout` from `plain` (`mi_malloc` or `mi_zalloc`) when that is aligned enough,
/// else from `aligned`, its aligned form.
///
/// # Safety
/// As `GlobalAlloc::alloc`: `layout` has a non-zero size.
#[inline]
unsafe fn allocate(
    layout: std::alloc::Layout,
    plain: unsafe extern "C" fn(usize) -> *mut std::ffi::c_void,
    aligned: unsafe extern "C" fn(usize, usize) -> *mut std::ffi::c_void,
) -> *mut u8 {
    let (size, align) = (layout.size(), layout.align());
    if plain_is_aligned(size, align) {
        unsafe { plain(size).cast() }
    } else {
        unsafe { aligned(size, align).cast() }
    }
}

// SAFETY: each method hands the request to mimalloc, which returns null or a block of at least
// the size asked for, aligned as `plain_is_aligned` or `mi_*_aligned` guarantees; `dealloc` and
// `realloc` are only given blocks these methods returned, which `mi_free` and `mi_realloc*`
// accept whichever of them made the block.
unsafe impl std::alloc::GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        unsafe { allocate(layout, mi_malloc, mi_malloc_aligned) }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        unsafe { allocate(layout, mi_zalloc, mi_zalloc_aligned) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        let align = layout.align();
        if plain_is_aligned(new_size, align) {
            unsafe { mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            unsafe { mi_realloc_aligned(ptr.cast(), new_size, align).cast() }
        }
    }
}

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use playbook::build::{self, BuildOptions};
use playbook::content::json_schema;
use playbook::content::model::IsoDate;
use playbook::diagnostics::{self, Format};
use playbook::scaffold::{self, PageKind, ScaffoldError};

/// Build adoption playbooks into a fast, accessible static site.
#[derive(Parser)]
#[command(name = "playbook", version, about)]
struct Cli {
    /// The site folder (the one holding site.toml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into build.output_dir (default public/).
    Build {
        /// Write the site here instead.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Build draft pages too.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Override base_url from site.toml.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check everything build checks, writing nothing.
    Check {
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
    },
    /// Build, serve and rebuild on every change, reloading the browser.
    Serve {
        /// Port to listen on (default 1111, or any free port when it is taken; 0 for any).
        #[arg(long)]
        port: Option<u16>,
        /// Address to listen on; anything but a loopback address lets other machines in.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Build draft pages too.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Write a new page (a draft with every field shown) under content/.
    New {
        /// Where, under content/: e.g. playbooks/home-oximetry.md.
        path: String,
        /// A playbook (with a care pathway) or a guide.
        #[arg(long, value_enum, default_value_t = KindArg::Playbook)]
        kind: KindArg,
    },
    /// Write a new site (site.toml, an example playbook and a guide) into a new folder.
    Init {
        /// The folder to create.
        dir: PathBuf,
        /// Leave out .github/workflows/playbook.yml (checks pull requests, publishes to GitHub Pages).
        #[arg(long)]
        no_ci: bool,
    },
    /// Print the JSON Schema of playbook front matter, for editors.
    Schema,
    /// Team records in progress/: import a browser export, or report progress and gates.
    Progress {
        #[command(subcommand)]
        action: ProgressAction,
    },
}

#[derive(Subcommand)]
enum ProgressAction {
    /// Merge a file made by a checklist's "Export progress" button into progress/<TEAM>.yaml.
    Import {
        /// The exported JSON file.
        export: PathBuf,
        /// The team's id: its file is progress/<ID>.yaml (created when missing).
        #[arg(long)]
        team: String,
        /// The role (an id from site.toml) recorded as having done the items.
        #[arg(long)]
        by: String,
        /// The date recorded for new items, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Per team and playbook: done of total per phase and the open gate items; exits 1 when a
    /// recorded decision breaks a gate.
    Status {
        /// Only this team.
        #[arg(long)]
        team: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Playbook,
    Guide,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (include/mimalloc.h); the Rust
/// bindings name only the options of mimalloc 2.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long, in milliseconds, mimalloc keeps freed memory before giving it back (its default is
/// 10). A build frees large buffers all the time (each page's HTML, its search text), and each
/// give-back costs a system call and page faults when the memory is used again. Measured on 2
/// cores: 10,000 playbooks take 7.4-7.5 s and peak at 453 MB at 50 ms, against 7.8 s and 440 MB
/// at 2 ms and 7.2-7.3 s and 473-482 MB at 100-250 ms; 1,000 guides finish before much is
/// given back at all (about 4 ms faster than at 2 ms). `MIMALLOC_PURGE_DELAY` still wins.
const PURGE_DELAY_MS: std::ffi::c_long = 50;

/// Where each new ahash map (Tera makes one for every map value, hundreds of thousands in a
/// large build) takes the seed that varies its hash: a counter of its thread's own, starting
/// from where that counter lives (so it differs by thread and, with address-space randomisation,
/// by run). ahash's own source is one counter that every thread adds to atomically, and with
/// both cores making maps that shared cache line was 1.2% of a 10,000-playbook build's cycles.
struct PerThreadSeeds;

impl ahash::random_state::RandomSource for PerThreadSeeds {
    fn gen_hasher_seed(&self) -> usize {
        thread_local! {
            static NEXT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        NEXT.with(|next| {
            let seed = match next.get() {
                0 => next as *const _ as usize,
                seed => seed,
            };
            // An odd step visits every value before repeating; the golden ratio spreads them.
            next.set(seed.wrapping_add(0x9E37_79B9_7F4A_7C15_u64 as usize) | 1);
            seed
        })
    }
}

/// The date review checks use, read once here and handed to every stage: `PLAYBOOK_TODAY`
/// (`YYYY-MM-DD`, for reproducible builds and tests) when set, else the system clock's date in
/// UTC. `None` when `PLAYBOOK_TODAY` is set to something that is not a date.
fn today() -> Option<IsoDate> {
    match std::env::var("PLAYBOOK_TODAY") {
        Ok(date) => IsoDate::parse(date.trim()),
        Err(_) => Some(IsoDate(time::OffsetDateTime::now_utc().date())),
    }
}

fn main() -> ExitCode {
    // Before any map exists; it fails only if a source was set already, which leaves ahash's own.
    let _ = ahash::random_state::set_random_source(PerThreadSeeds);
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a plain integer option of the allocator, any value of which is valid,
        // before any other thread exists (the call is not thread safe).
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
    let cli = Cli::parse();
    let needs_site = !matches!(cli.command, Command::Init { .. } | Command::Schema);
    if needs_site && !cli.root.join("site.toml").is_file() {
        let what = if cli.root.is_dir() {
            "holds no site.toml"
        } else {
            "does not exist"
        };
        eprintln!("error: the site folder `{}` {what}", cli.root.display());
        eprintln!("help: run playbook in the folder that holds site.toml, or pass --root DIR");
        return ExitCode::from(2);
    }
    let Some(today) = today() else {
        eprintln!("error: PLAYBOOK_TODAY is set but is not a date written YYYY-MM-DD");
        eprintln!("help: unset it to use today's date, or write e.g. PLAYBOOK_TODAY=2026-11-22");
        return ExitCode::from(2);
    };
    match cli.command {
        Command::Schema => {
            print!("{}", json_schema::playbook_schema_text(None));
            ExitCode::SUCCESS
        }
        Command::Progress { action } => run_progress(&cli.root, action, today),
        Command::New { path, kind } => {
            let kind = match kind {
                KindArg::Playbook => PageKind::Playbook,
                KindArg::Guide => PageKind::Guide,
            };
            match scaffold::new_page(&cli.root, &path, kind, today) {
                Ok(written) => {
                    let what = match kind {
                        PageKind::Playbook => "a draft playbook",
                        PageKind::Guide => "a draft guide",
                    };
                    println!(
                        "Wrote {} ({what}, every field shown with a note).",
                        written.shown
                    );
                    println!("Next: fill it in, run `playbook check --strict`, preview it with `playbook serve --drafts`,");
                    println!("and change `status: draft` to `status: published` when it is ready.");
                    ExitCode::SUCCESS
                }
                Err(err) => scaffold_failed(err),
            }
        }
        Command::Init { dir, no_ci } => {
            match scaffold::init_site_with(&dir, today, &scaffold::InitOptions { ci: !no_ci }) {
                Ok(written) => {
                    for file in &written {
                        println!("Wrote {}", dir.join(&file.shown).display());
                    }
                    println!(
                        "Next: `cd {}` and run `playbook serve --open` to see the site.",
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => scaffold_failed(err),
            }
        }
        Command::Build {
            output,
            drafts,
            strict,
            base_url,
        } => {
            let options = BuildOptions {
                output,
                drafts,
                strict,
                base_url,
                write: true,
                ..BuildOptions::new(cli.root, today)
            };
            report(&run_with_progress(options), Format::Human, true)
        }
        Command::Check { strict, format } => {
            let options = BuildOptions {
                strict,
                ..BuildOptions::new(cli.root, today)
            };
            let format = match format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
                FormatArg::Github => Format::Github,
            };
            report(&build::run(&options), format, false)
        }
        Command::Serve {
            port,
            bind,
            drafts,
            open,
        } => {
            let options = playbook::serve::ServeOptions {
                root: cli.root,
                bind,
                port,
                drafts,
                open,
                today,
            };
            match playbook::serve::run(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("error: {}", err.message);
                    ExitCode::from(err.code)
                }
            }
        }
    }
}

/// `playbook progress import|status`.
fn run_progress(root: &std::path::Path, action: ProgressAction, today: IsoDate) -> ExitCode {
    let options = BuildOptions::new(root, today);
    let result = match action {
        ProgressAction::Import {
            export,
            team,
            by,
            date,
        } => {
            let date = match date.as_deref().map(|d| IsoDate::parse(d.trim())) {
                None => today,
                Some(Some(date)) => date,
                Some(None) => {
                    eprintln!("error: --date must be written YYYY-MM-DD");
                    return ExitCode::from(2);
                }
            };
            playbook::teams::import(&options, &export, &team, &by, date).map(|done| {
                print_import(&done);
                ExitCode::SUCCESS
            })
        }
        ProgressAction::Status { team } => {
            playbook::teams::status(&options, team.as_deref()).map(|(text, broken)| {
                print!("{text}");
                if broken {
                    eprintln!(
                        "error: a recorded decision breaks a gate (run `playbook check` for where)"
                    );
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            })
        }
    };
    result.unwrap_or_else(|failure| {
        let color = std::io::stderr().is_terminal();
        eprint!(
            "{}",
            diagnostics::render_all(&failure.diagnostics, Format::Human, color)
        );
        eprintln!("error: {}", failure.message);
        ExitCode::from(failure.code)
    })
}

/// What `progress import` did, for the person who ran it.
fn print_import(done: &playbook::teams::Imported) {
    if done.added.is_empty() {
        println!(
            "Nothing to add: every ticked item is already in {}.",
            done.file
        );
    } else {
        let verb = if done.created { "Created" } else { "Updated" };
        println!("{verb} {}: added {} item(s):", done.file, done.added.len());
        for (playbook, item) in &done.added {
            println!("  + {playbook}: {item}");
        }
        if done.created {
            println!(
                "Edit `team:` in {} to the team's name as the site should show it.",
                done.file
            );
        }
    }
    if done.already > 0 {
        println!(
            "{} ticked item(s) were already recorded; their first dates were kept.",
            done.already
        );
    }
    for (playbook, item) in &done.unticked_recorded {
        println!("  ! {playbook}: {item} is recorded as done but not ticked in the export; it was left in the file");
    }
    if done.unticked_open > 0 {
        println!(
            "{} item(s) not ticked in the export were left out.",
            done.unticked_open
        );
    }
}

/// Prints why `new` or `init` wrote nothing; 2 when the command was used wrongly, else 1.
fn scaffold_failed(err: ScaffoldError) -> ExitCode {
    match err {
        ScaffoldError::Usage { message, help } => {
            eprintln!("error: {message}");
            eprintln!("help: {help}");
            ExitCode::from(2)
        }
        ScaffoldError::Site(found) => {
            let color = std::io::stderr().is_terminal();
            eprint!("{}", diagnostics::render_all(&found, Format::Human, color));
            ExitCode::from(1)
        }
        ScaffoldError::Io(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// Prints the diagnostics and the summary; returns 1 when the run failed.
fn report(result: &build::BuildReport, format: Format, wrote: bool) -> ExitCode {
    let color = format == Format::Human && std::io::stderr().is_terminal();
    let text = diagnostics::render_all(&result.diagnostics, format, color);
    match format {
        Format::Human => eprint!("{text}"),
        _ => print!("{text}"),
    }
    eprintln!("{}", result.summary_line(wrote));
    if result.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs a build with a progress bar on stderr that appears only when stderr is a terminal and
/// the build is still running after a moment (a small site finishes before anything is drawn).
fn run_with_progress(options: BuildOptions) -> build::BuildReport {
    use indicatif::{ProgressBar, ProgressDrawTarget};
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::time::Duration;

    if !std::io::stderr().is_terminal() {
        return build::run(&options);
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    let (done, finished) = mpsc::channel::<()>();
    let shown = bar.clone();
    let waiter = std::thread::spawn(move || {
        if let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(Duration::from_millis(300)) {
            shown.set_draw_target(ProgressDrawTarget::stderr());
            shown.enable_steady_tick(Duration::from_millis(100));
        }
    });
    let result = build::run(&BuildOptions {
        progress: Some(bar.clone()),
        ..options
    });
    drop(done);
    let _ = waiter.join();
    bar.finish_and_clear();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `plain_is_aligned` relies on, asked of mimalloc itself: every block over 8 bytes
    /// starts on 16 bytes, and every block on 8, whatever its size class, new or resized.
    #[test]
    fn mi_malloc_blocks_are_aligned_as_plain_is_aligned_assumes() {
        let sizes =
            (1..=256)
                .chain((257..70_000).step_by(61))
                .chain([1 << 20, (1 << 20) + 24, 5 << 20]);
        let expected = |size: usize| if size > 8 { MALLOC_ALIGN } else { 8 };
        for size in sizes {
            let resized = size * 3 + 5;
            for _ in 0..3 {
                // SAFETY: each block is freed once, by the allocator that made it.
                unsafe {
                    let block = libmimalloc_sys::mi_malloc(size);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % expected(size), 0, "mi_malloc({size})");
                    let bigger = libmimalloc_sys::mi_realloc(block, resized);
                    assert!(!bigger.is_null());
                    assert_eq!(
                        bigger as usize % expected(resized),
                        0,
                        "mi_realloc to {resized}"
                    );
                    libmimalloc_sys::mi_free(bigger);
                }
            }
        }
    }

    #[test]
    fn each_thread_counts_its_own_seeds() {
        use ahash::random_state::RandomSource;
        let here: Vec<usize> = (0..4).map(|_| PerThreadSeeds.gen_hasher_seed()).collect();
        let there = std::thread::spawn(|| PerThreadSeeds.gen_hasher_seed())
            .join()
            .unwrap();
        let mut all = here.clone();
        all.push(there);
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 5, "every seed differs: {here:?} and {there}");
        assert!(here.iter().all(|&seed| seed != 0));
    }

    #[test]
    fn only_alignments_malloc_cannot_promise_go_to_the_aligned_calls() {
        assert!(plain_is_aligned(8, 8));
        assert!(plain_is_aligned(16, 16));
        assert!(plain_is_aligned(48, 16));
        assert!(!plain_is_aligned(64, 32));
        assert!(!plain_is_aligned(4096, 4096));
        assert!(!plain_is_aligned(8, 16));
    }
}
