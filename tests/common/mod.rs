//! Helpers for integration tests: run the real `playbook` binary on a fixture site.
#![allow(dead_code)]

pub mod html_safety;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Path of a fixture site under tests/fixtures/.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a fixture into a fresh temporary folder, so a test may build into it or change it.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(name), dir.path());
    dir
}

/// Recursively copies `from` into `to` (symbolic links are recreated, not followed).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        let file_type = entry.file_type().expect("file type");
        if file_type.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).expect("link"), &target)
                .expect("symlink");
        } else if file_type.is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs `playbook ARGS` with `--root root`, a fixed date, and no colour. Every page body is
/// packed while it waits (`PLAYBOOK_UNPACKED_BYTES=0`), as on a large site, so the tests go
/// through the packing that a small site's build leaves out.
pub fn playbook(root: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("PLAYBOOK_UNPACKED_BYTES", "0")
        .env("PLAYBOOK_TODAY", "2026-11-22")
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run playbook")
        .into()
}

/// `check --format json` on a site: the diagnostics as JSON values, and the exit code.
pub fn check_json(root: &Path) -> (i32, Vec<serde_json::Value>) {
    let run = playbook(root, &["check", "--format", "json"]);
    let diagnostics = run
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    (run.code, diagnostics)
}

/// Runs `playbook ARGS` exactly as given (no `--root` added), with the same date, no colour
/// and every body packed.
pub fn playbook_args(args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(args)
        .env("PLAYBOOK_UNPACKED_BYTES", "0")
        .env("PLAYBOOK_TODAY", "2026-11-22")
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run playbook")
        .into()
}

/// One diagnostic as `check --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub severity: String,
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
    /// Empty when the diagnostic has no help.
    pub help: String,
}

impl From<&serde_json::Value> for Found {
    fn from(v: &serde_json::Value) -> Self {
        let text = |key: &str| v[key].as_str().unwrap_or_default().to_string();
        let number = |key: &str| {
            v[key]
                .as_u64()
                .unwrap_or_else(|| panic!("`{key}` is not a number in {v}"))
        };
        Found {
            severity: text("severity"),
            file: text("file"),
            line: number("line"),
            column: number("column"),
            message: text("message"),
            help: text("help"),
        }
    }
}

/// The outcome of `check --format json` on a site.
#[derive(Debug)]
pub struct Checked {
    /// Exit code.
    pub code: i32,
    /// Every diagnostic, in the order printed (by file, then line).
    pub found: Vec<Found>,
}

/// Runs `check --format json EXTRA…` on `root`.
pub fn check(root: &Path, extra: &[&str]) -> Checked {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let run = playbook(root, &args);
    let found = run
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let value: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}"));
            Found::from(&value)
        })
        .collect();
    Checked {
        code: run.code,
        found,
    }
}

/// `check --format json` on the fixture `tests/fixtures/NAME` (checking writes nothing, so the
/// fixture is used in place).
pub fn check_fixture(name: &str) -> Checked {
    check(&fixture(name), &[])
}

/// An expected diagnostic: severity, file, line and a part of the message.
pub type Expected<'a> = (&'a str, &'a str, u64, &'a str);

impl Checked {
    /// Asserts that exactly these diagnostics were reported, in this order.
    pub fn assert_only(&self, expected: &[Expected]) {
        let shown = || {
            self.found
                .iter()
                .map(|f| {
                    format!(
                        "  {} {}:{}:{} {} | help: {}",
                        f.severity, f.file, f.line, f.column, f.message, f.help
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            self.found.len(),
            expected.len(),
            "expected {} diagnostics, found:\n{}",
            expected.len(),
            shown()
        );
        for (found, (severity, file, line, message)) in self.found.iter().zip(expected) {
            assert!(
                found.severity == *severity
                    && found.file == *file
                    && found.line == *line
                    && found.message.contains(message),
                "expected {severity} {file}:{line} containing {message:?}, found:\n{}",
                shown()
            );
        }
    }

    /// The help of the only diagnostic at `line`.
    pub fn help_at(&self, line: u64) -> &str {
        let at: Vec<&Found> = self.found.iter().filter(|f| f.line == line).collect();
        assert_eq!(
            at.len(),
            1,
            "one diagnostic at line {line}: {:?}",
            self.found
        );
        &at[0].help
    }
}

/// Every file under `dir` with its bytes, by path relative to `dir`, to compare whole outputs.
pub fn snapshot_dir(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("read output") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    files
}

/// Every HTML page under `dir`, as (path relative to `dir`, text), sorted by path.
pub fn html_files(dir: &Path) -> Vec<(String, String)> {
    snapshot_dir(dir)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| (rel, String::from_utf8(bytes).expect("UTF-8 page")))
        .collect()
}

/// Builds the site at `root` into a new temporary folder, asserting that the build succeeded.
pub fn build_to_temp(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let run = playbook(
        root,
        &[
            "build",
            "--output",
            out.path().to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}
