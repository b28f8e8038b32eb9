//! Hostile sites: what a careless or malicious pull request could put in a site. For each, the
//! real binary must not panic, must not hang (a generous watchdog kills it), must write nothing
//! outside its output folder, must escape everything, and must either build or name the problem.
//!
//! Large inputs are generated at run time into a temporary folder, never committed.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::html_safety::unsafe_findings;
use common::Run;

/// A bound that only a hang can reach: debug builds of the biggest cases take a few seconds.
const WATCHDOG: Duration = Duration::from_secs(180);

/// Script that must never reach a reader's browser, for YAML and TOML double-quoted strings.
const PAYLOAD: &str =
    r#"</script><script>alert(\"pwned\")</script>' \"><img src=x onerror=alert(1)> &amp;"#;
/// What the payload looks like if it escaped escaping.
const RAW_MARKERS: &[&str] = &["<script>alert(", "<img src=x onerror", "</script><script>"];

/// A site in a temporary folder: `<tmp>/site` is the root, `<tmp>/out/public` the output.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    /// The bundled site.toml (without its mounts) and the default theme, with an empty
    /// content folder.
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let sandbox = Sandbox { dir };
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::create_dir_all(sandbox.root().join("content")).expect("content");
        std::fs::create_dir_all(sandbox.tmp().join("out")).expect("out");
        let toml = std::fs::read_to_string(repo.join("site.toml")).expect("toml");
        let without_mounts: Vec<&str> = toml
            .lines()
            .filter(|l| {
                !(l.starts_with("[[mounts]]")
                    || l.starts_with("source = ")
                    || l.starts_with("target = ")
                    || l.starts_with("listed = "))
            })
            .collect();
        std::fs::write(sandbox.root().join("site.toml"), without_mounts.join("\n")).expect("toml");
        sandbox
    }

    /// The bundled site.toml with its mounts, and the folders they mount.
    fn with_mounts(self) -> Self {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(repo.join("site.toml"), self.root().join("site.toml")).expect("toml");
        common::copy_dir(&repo.join("national"), &self.root().join("national"));
        self
    }

    /// The bundled site: its site.toml, content and themes.
    fn bundled() -> Self {
        let sandbox = Sandbox::new();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        common::copy_dir(&repo.join("content"), &sandbox.root().join("content"));
        common::copy_dir(&repo.join("themes"), &sandbox.root().join("themes"));
        sandbox.with_mounts()
    }

    fn tmp(&self) -> &Path {
        self.dir.path()
    }

    fn root(&self) -> PathBuf {
        self.tmp().join("site")
    }

    fn out(&self) -> PathBuf {
        self.tmp().join("out/public")
    }

    fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(path, text).expect("write");
    }

    fn edit_toml(&self, edit: impl FnOnce(String) -> String) {
        let path = self.root().join("site.toml");
        let text = std::fs::read_to_string(&path).expect("site.toml");
        std::fs::write(&path, edit(text)).expect("site.toml");
    }

    /// Every path under the temporary folder (type and size), except inside the output folder.
    fn listing(&self) -> BTreeSet<String> {
        let out = self.out();
        walkdir::WalkDir::new(self.tmp())
            .follow_links(false)
            .into_iter()
            .flatten()
            .filter(|e| !e.path().starts_with(&out))
            .map(|e| {
                let kind = if e.path_is_symlink() {
                    "link"
                } else if e.file_type().is_dir() {
                    "dir"
                } else {
                    "file"
                };
                let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                let len = if kind == "file" { len } else { 0 };
                format!("{kind} {} {len}", e.path().display())
            })
            .collect()
    }

    /// Runs `build --output <tmp>/out/public` and checks it changed nothing outside the output.
    fn build(&self, extra: &[&str]) -> Run {
        let before = self.listing();
        let out = self.out();
        let mut args = vec!["build", "--output", out.to_str().expect("utf-8 path")];
        args.extend_from_slice(extra);
        let run = run_bounded(&self.root(), &args);
        let after = self.listing();
        let added: Vec<_> = after.difference(&before).collect();
        let removed: Vec<_> = before.difference(&after).collect();
        assert!(
            added.is_empty() && removed.is_empty(),
            "the build changed files outside its output folder:\nadded {added:#?}\nremoved {removed:#?}"
        );
        assert_survived(&run);
        run
    }

    /// Every HTML, XML and text file of the output, with its path.
    fn output_files(&self) -> Vec<(PathBuf, String)> {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(self.out()).follow_links(false) {
            let entry = entry.expect("walk output");
            assert!(
                !entry.path_is_symlink(),
                "the output holds a symbolic link: {}",
                entry.path().display()
            );
            let path = entry.path();
            let text_like = ["html", "xml", "txt", "js", "css", "json", "csv"];
            if entry.file_type().is_file()
                && path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| text_like.contains(&e))
            {
                let text = std::fs::read_to_string(path).expect("output is UTF-8");
                files.push((path.to_path_buf(), text));
            }
        }
        files
    }

    /// No page could run a script or load a frame, and no payload survived unescaped.
    fn assert_output_safe(&self) -> usize {
        let files = self.output_files();
        let mut pages = 0;
        for (path, text) in &files {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext == "html" {
                pages += 1;
                let findings = unsafe_findings(text);
                assert!(findings.is_empty(), "{}: {findings:#?}", path.display());
            }
            if ext == "html" || ext == "xml" {
                for marker in RAW_MARKERS {
                    assert!(
                        !text.contains(marker),
                        "{} holds `{marker}` unescaped",
                        path.display()
                    );
                }
            }
        }
        pages
    }
}

/// Runs the real binary with a watchdog: a run past `WATCHDOG` is killed and fails the test.
fn run_bounded(root: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("PLAYBOOK_TODAY", "2026-11-22")
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run playbook");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`playbook {}` still ran after {} s: it hangs",
                args.join(" "),
                WATCHDOG.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    }
}

/// Exit 0, or exit 1 with every problem named (file:line) — never a panic or a signal.
fn assert_survived(run: &Run) {
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "panic:\n{}",
        run.stderr
    );
    assert!(
        run.code == 0 || run.code == 1,
        "exit code {}:\n{}",
        run.code,
        run.stderr
    );
    if run.code == 1 {
        assert!(
            run.stderr.contains("error: ") && run.stderr.contains(" --> "),
            "failed without naming a problem:\n{}",
            run.stderr
        );
    }
}

/// The front matter and body of a small valid playbook.
fn tiny_playbook(n: usize) -> String {
    format!(
        "---\ntitle: \"Playbook {n}\"\nsummary: \"Tiny playbook number {n}.\"\ntechnology:\n  name: \"Tool {n}\"\n  kind: other\nowners:\n  - name: \"Owner {n}\"\n    role: gp\nlast_reviewed: 2026-10-01\nnext_review_due: 2027-04-01\npathway:\n  name: \"Pathway\"\n  settings: [primary-care]\n  stages: [referral]\naudiences: [gp]\n---\nBody of playbook {n}.\n\n- [ ] Do the thing\n"
    )
}

#[test]
fn a_3_mb_page_builds() {
    let site = Sandbox::new();
    let mut body = String::with_capacity(3_200_000);
    let mut section = 0;
    while body.len() < 3 * 1024 * 1024 {
        section += 1;
        let _ = write!(
            body,
            "## Section {section}\n\nSome **text** with a [link](#section-{section}) and `code`.\n\n- [ ] Task {section}\n- [x] Done {section}\n\n> [!NOTE]\n> A note.\n\n| a | b |\n|---|---|\n| {section} | x |\n\n"
        );
    }
    site.write(
        "content/guides/big.md",
        format!("---\ntitle: Big\n---\n{body}"),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(site.out().join("guides/big/index.html")).expect("page");
    assert!(html.contains(&format!("id=\"section-{section}\"")));
    site.assert_output_safe();
}

#[test]
fn a_3_mb_page_of_pathological_markdown_builds() {
    // Patterns that make naive Markdown parsers quadratic: unclosed brackets, emphasis and
    // links, long runs of backticks and list markers.
    let site = Sandbox::new();
    let mut body = String::new();
    for chunk in [
        "[".repeat(200_000),
        "*a ".repeat(100_000),
        "_a ".repeat(100_000),
        "[a](".repeat(100_000),
        "`".repeat(100_000),
        "<a ".repeat(100_000),
        "![".repeat(100_000),
        "&#".repeat(100_000),
        "| a ".repeat(100_000),
        "[^".repeat(100_000),
    ] {
        body.push_str(&chunk);
        body.push_str("\n\n");
    }
    assert!(body.len() > 2_500_000);
    site.write(
        "content/guides/odd.md",
        format!("---\ntitle: Odd\n---\n{body}"),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.assert_output_safe();
}

#[test]
fn thousands_of_repeats_and_problems_stay_linear() {
    // Each of these was quadratic once: 20,000 headings with one text (anchor suffixes), 20,000
    // broken links on one long line (each quoting the line), 5,000 broken anchors (each
    // compared with every anchor of the page). A hang here fails through the watchdog.
    let site = Sandbox::new();
    site.write(
        "content/guides/same.md",
        format!(
            "---\ntitle: Same\n---\n{}",
            "## a\n\n- [ ] a\n".repeat(20_000)
        ),
    );
    site.write(
        "content/guides/links.md",
        format!(
            "---\ntitle: Links\n---\n{}\n",
            "[x](missing.md) ".repeat(20_000)
        ),
    );
    let anchors: String = (0..5_000)
        .map(|i| format!("## h{i}\n\n[x](#nope{i})\n\n"))
        .collect();
    site.write(
        "content/guides/anchors.md",
        format!("---\ntitle: Anchors\n---\n{anchors}"),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", &run.stderr[..run.stderr.len().min(2000)]);
    assert_eq!(
        run.stderr
            .matches("does not exist on /guides/anchors/")
            .count(),
        5_000
    );
    assert_eq!(
        run.stderr.matches("content/guides/links.md:4:").count(),
        20_000
    );
    // A problem far along a long line is quoted around its column, not in full.
    assert!(
        run.stderr.contains("content/guides/links.md:4:319985"),
        "last link"
    );
    assert!(
        run.stderr.len() < 40_000_000,
        "{} bytes of messages",
        run.stderr.len()
    );
}

#[test]
fn five_thousand_levels_of_nesting_build() {
    let site = Sandbox::new();
    let depth = 5000;
    site.write(
        "content/guides/quotes.md",
        format!(
            "---\ntitle: Quotes\n---\n{}deep quote\n",
            "> ".repeat(depth)
        ),
    );
    site.write(
        "content/guides/lists.md",
        format!(
            "---\ntitle: Lists\n---\n{}deep list\n\n{}deep ordered\n\n{}- [ ] deep task\n",
            "- ".repeat(depth),
            "1. ".repeat(depth),
            "* ".repeat(depth)
        ),
    );
    // Raw HTML nested as deep goes through the sanitiser (html5ever and ammonia).
    site.write(
        "content/guides/divs.md",
        format!(
            "---\ntitle: Divs\n---\n{}deep div{}\n",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        ),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["quotes", "lists", "divs"] {
        let html = std::fs::read_to_string(site.out().join(format!("guides/{page}/index.html")))
            .expect("page");
        assert!(html.contains("deep"), "{page}");
    }
    site.assert_output_safe();
}

#[test]
fn deeply_nested_front_matter_is_an_error_not_a_crash() {
    let site = Sandbox::new();
    let depth = 5000;
    site.write(
        "content/guides/flow.md",
        format!(
            "---\ntitle: Flow\ntags: {}{}\n---\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    site.write(
        "content/guides/block.md",
        format!("---\ntitle: Block\ntags:\n{}\n---\n", {
            let mut yaml = String::new();
            for level in 0..depth {
                let _ = writeln!(yaml, "{}-", "  ".repeat(level.min(200)));
            }
            yaml
        }),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/guides/flow.md"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_are_skipped_with_warnings() {
    use std::os::unix::fs::symlink;
    let site = Sandbox::new();
    site.write("content/guides/real.md", "---\ntitle: Real\n---\nText\n");
    let content = site.root().join("content");
    symlink(&content, content.join("loop")).expect("loop");
    symlink(content.join("a"), content.join("b")).expect("b");
    symlink(content.join("b"), content.join("a")).expect("a");
    symlink("/etc/passwd", content.join("guides/passwd.md")).expect("passwd");
    symlink("/etc", content.join("etc")).expect("etc");
    std::fs::create_dir_all(site.root().join("static")).expect("static");
    symlink(site.root().join("static"), site.root().join("static/again")).expect("static loop");
    symlink("/etc/passwd", site.root().join("static/passwd.txt")).expect("static passwd");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.matches("symbolic link skipped").count() >= 5,
        "{}",
        run.stderr
    );
    assert!(site.out().join("guides/real/index.html").is_file());
    assert!(!site.out().join("guides/passwd/index.html").exists());
    assert!(!site.out().join("passwd.txt").exists());
    assert!(!site.out().join("etc").exists() && !site.out().join("loop").exists());
    for (path, text) in site.output_files() {
        assert!(
            !text.contains("root:x:0:0"),
            "{} copied /etc/passwd",
            path.display()
        );
    }
}

#[test]
fn slugs_links_and_paths_that_climb_out_are_named() {
    let site = Sandbox::new();
    let outside = site.tmp().join("escaped.md");
    site.write("content/guides/ok.md", "---\ntitle: Ok\n---\nFine\n");
    for (i, slug) in [
        "../../escaped",
        "/tmp/escaped",
        "%2e%2e/%2e%2e/escaped",
        "..",
        "a/../../b",
    ]
    .iter()
    .enumerate()
    {
        site.write(
            &format!("content/guides/slug-{i}.md"),
            format!("---\ntitle: Slug {i}\nslug: \"{slug}\"\n---\nText\n"),
        );
    }
    site.write(
        "content/guides/links.md",
        format!(
            "---\ntitle: Links\n---\n\
             [up](../../../../escaped.md)\n\n\
             [abs](/etc/passwd)\n\n\
             [host]({})\n\n\
             [enc](%2e%2e/%2e%2e/%2e%2e/escaped.md)\n\n\
             [mixed](..%2f..%2f..%2fescaped.md)\n\n\
             ![img](../../../../../etc/passwd)\n\n\
             ![img2](%2E%2E/%2E%2E/secret.png)\n",
            outside.display()
        ),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "content/guides/slug-0.md",
        "content/guides/slug-1.md",
        "content/guides/slug-2.md",
        "content/guides/slug-3.md",
        "content/guides/slug-4.md",
        "climbs out of the content folder",
        "points at no page or file of this site",
    ] {
        assert!(
            run.stderr.contains(expected),
            "no `{expected}` in:\n{}",
            run.stderr
        );
    }
    assert!(!site.out().exists(), "a failed build wrote its output");
    assert!(!outside.exists());
}

#[test]
fn asset_and_file_names_that_look_like_climbing_stay_inside() {
    // File names may hold `%2e%2e`, `..` inside a name, spaces and quotes: each is copied to the
    // same relative place in the output and nowhere else.
    let site = Sandbox::new();
    site.write("content/guides/ok.md", "---\ntitle: Ok\n---\nFine\n");
    for name in [
        "content/guides/%2e%2e/x.pdf",
        "content/guides/..x.pdf",
        "content/guides/a..b/c.pdf",
        "content/guides/quote\"s.pdf",
        "content/guides/<script>.pdf",
        "content/%2e%2e%2f%2e%2e%2fescaped.pdf",
    ] {
        site.write(name, "data");
    }
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.out().join("guides/%2e%2e/x.pdf").is_file());
    assert!(site.out().join("%2e%2e%2f%2e%2e%2fescaped.pdf").is_file());
    site.assert_output_safe();
}

#[test]
fn content_files_that_would_run_script_are_refused() {
    // Files beside pages are published as they are: an HTML, JavaScript or scripted SVG file
    // would run on the site's origin whatever raw_html says, and a file may not replace one the
    // build writes.
    let site = Sandbox::new();
    site.write("content/guides/ok.md", "---\ntitle: Ok\n---\nFine\n");
    site.write("content/guides/evil.html", "<script>alert(1)</script>");
    site.write("content/guides/evil.js", "alert(1)");
    site.write(
        "content/guides/evil.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<circle r=\"4\" onload=\"alert(1)\"/>\n</svg>",
    );
    site.write("content/guides/fine.svg", "<svg><circle r=\"4\"/></svg>");
    site.write("content/feed.xml", "<feed/>");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "content/guides/evil.html:1:1",
        "content/guides/evil.js:1:1",
        "content/guides/evil.svg:2:15",
        "content/feed.xml:1:1",
    ] {
        assert!(
            run.stderr.contains(expected),
            "no `{expected}` in:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("fine.svg"), "{}", run.stderr);
    // Trusted authors may publish such files; nobody may overwrite what the build writes.
    site.edit_toml(|t| t.replace("raw_html = \"sanitize\"", "raw_html = \"allow\""));
    std::fs::remove_file(site.root().join("content/feed.xml")).expect("remove");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.out().join("guides/evil.svg").is_file());
}

#[test]
fn an_output_folder_that_climbs_out_is_refused() {
    let site = Sandbox::new();
    site.write("content/guides/ok.md", "---\ntitle: Ok\n---\nFine\n");
    for dir in ["..", "../..", "../escaped", ".", "content"] {
        site.edit_toml(|t| {
            let mut out = String::new();
            for line in t.lines() {
                if line.starts_with("output_dir") {
                    let _ = writeln!(out, "output_dir = \"{dir}\"");
                } else {
                    let _ = writeln!(out, "{line}");
                }
            }
            out
        });
        let before = site.listing();
        let run = run_bounded(&site.root(), &["build"]);
        assert_survived(&run);
        assert_eq!(run.code, 1, "output_dir = {dir}: {}", run.stderr);
        assert!(run.stderr.contains("output_dir"), "{}", run.stderr);
        assert_eq!(site.listing(), before, "output_dir = {dir} wrote files");
    }
}

#[test]
fn script_in_every_field_is_escaped() {
    let site = Sandbox::bundled();
    let content = site.root().join("content");
    let mut poisoned = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.expect("walk");
        if entry.path().extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read");
        let (text, n) = poison_front_matter(&text);
        poisoned += n;
        let text = format!(
            "{text}\n\n## Heading {p}\n\n- [ ] Item `{p}` {p}\n\n`{p}`\n\n[{p}](https://example.org/)\n",
            p = PAYLOAD.replace('\\', "")
        );
        std::fs::write(entry.path(), text).expect("write");
    }
    assert!(poisoned > 100, "only {poisoned} fields poisoned");
    site.edit_toml(|t| {
        t.lines()
            .map(|line| {
                for key in ["title = ", "name = "] {
                    if line.starts_with(key) {
                        return format!("{key}\"{PAYLOAD}\"");
                    }
                }
                // [repository]: web addresses whose path and query carry the payload.
                for key in ["url = ", "edit = "] {
                    if line.starts_with(key) {
                        return format!("{key}\"https://example.org/{{path}}?q={PAYLOAD}\"");
                    }
                }
                if line.contains(" = \"")
                    && !line.starts_with(['b', 'l', 't', 'o', 'r', 'i', 'm'])
                    && !line.starts_with("source = ")
                {
                    // [settings] and [roles]: `id = "Name"`.
                    let (id, _) = line.split_once(" = ").unwrap_or((line, ""));
                    return format!("{id} = \"{PAYLOAD}\"");
                }
                line.to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = site.assert_output_safe();
    assert!(pages > 20, "{pages} pages");
    // The payload is there, as text.
    let home = std::fs::read_to_string(site.out().join("index.html")).expect("home");
    assert!(home.contains("&lt;&#x2F;script&gt;") || home.contains("&lt;/script&gt;"));
}

/// Replaces every double-quoted string of a page's front matter with the payload (keeping the
/// word "Field" so lengths stay valid) and returns how many it replaced. `version:` keeps its
/// MAJOR.MINOR form, in a `changes` entry too.
fn poison_front_matter(text: &str) -> (String, usize) {
    let mut out = String::new();
    let mut fences = 0;
    let mut count = 0;
    for line in text.lines() {
        if line.trim_end() == "---" {
            fences += 1;
        }
        let in_front = fences == 1;
        let key = line.trim_start().trim_start_matches("- ");
        if in_front && (key.starts_with("link:") || key.starts_with("evidence:")) {
            // A URL field that runs a script.
            let (indent, _) = line.split_at(line.len() - line.trim_start().len());
            let name = key.split(':').next().unwrap_or("link");
            let dash = if line.trim_start().starts_with("- ") {
                "- "
            } else {
                ""
            };
            let _ = writeln!(out, "{indent}{dash}{name}: \" JaVaScript:alert(1)\"");
            count += 1;
            continue;
        }
        match line.find('"') {
            Some(start)
                if in_front
                    && line.trim_end().ends_with('"')
                    && line.len() > start + 1
                    // Checked shapes that a payload can never pass: `MAJOR.MINOR`, and NICE
                    // guidance ids (letters then digits; list items are written unquoted).
                    && !key.starts_with("version:")
                    && !line.trim_start().starts_with("nice_guidance_id:") =>
            {
                let _ = writeln!(out, "{}\"Field {PAYLOAD}\"", &line[..start]);
                count += 1;
            }
            _ => {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    (out, count)
}

/// Raw HTML that tries every way into a reader's browser.
const HOSTILE_BODY: &str = r#"Plain text.

<script>alert("pwned")</script>

<img src=x onerror=alert(1)>

<a href="javascript:alert(1)">js link</a> <a href="JaVaScRiPt&#x3A;alert(1)">entity</a>
<a href=" &#14;javascript:alert(1)">spaced</a>

<svg onload=alert(1)><circle r="1"/></svg>

<iframe src="https://example.org"></iframe>

<form action="https://example.org"><input name=x></form>

<div onclick="alert(1)" style="background:url(javascript:alert(1))">div</div>

<details open ontoggle=alert(1)><summary>More</summary>Kept</details>

<object data="x.swf"></object><embed src="x.swf"><base href="https://evil.example/">

<meta http-equiv="refresh" content="0;url=javascript:alert(1)">

[md link](javascript:alert(1)) [md data](data:text/html,<script>alert(1)</script>) ![img](javascript:alert(1))

<javascript:alert(1)>

<style>body{display:none}</style>

## Heading with attributes {#ok onclick=alert(1) onmouseover="alert(2)"}
"#;

fn raw_html_site(policy: &str) -> Sandbox {
    let site = Sandbox::new();
    site.edit_toml(|t| {
        t.replace(
            "raw_html = \"sanitize\"",
            &format!("raw_html = \"{policy}\""),
        )
    });
    site.write(
        "content/guides/hostile.md",
        format!("---\ntitle: \"Hostile {PAYLOAD}\"\n---\n{HOSTILE_BODY}"),
    );
    // Without any raw HTML the sanitiser does not run: the Markdown stage alone must hold.
    site.write(
        "content/guides/attributes.md",
        "---\ntitle: Attributes\n---\n## Hi {#x onclick=alert(1)}\n\n[a](javascript:alert(1))\n",
    );
    site
}

#[test]
fn raw_html_sanitize_removes_every_script() {
    let site = raw_html_site("sanitize");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.assert_output_safe();
    let html = std::fs::read_to_string(site.out().join("guides/hostile/index.html")).expect("page");
    assert!(html.contains("<details") && html.contains("Kept"), "{html}");
    assert!(
        run.stderr.contains("runs a script; it was removed"),
        "{}",
        run.stderr
    );
}

#[test]
fn raw_html_deny_names_every_line() {
    let site = raw_html_site("deny");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.matches("raw HTML is not allowed").count() >= 10,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/guides/hostile.md:6:"),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists());
}

#[test]
fn raw_html_allow_trusts_the_body_but_still_escapes_fields() {
    let site = raw_html_site("allow");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(site.out().join("guides/hostile/index.html")).expect("page");
    // `allow` passes the author's HTML through: that is what the setting means (and the
    // oracle the other tests rely on sees it).
    assert!(html.contains("<script>alert(\"pwned\")</script>"));
    let findings = unsafe_findings(&html);
    for expected in [
        "event handler `onerror`",
        "<iframe>",
        "inline script",
        "runs a script",
    ] {
        assert!(
            findings.iter().any(|f| f.contains(expected)),
            "the oracle missed {expected}: {findings:#?}"
        );
    }
    // The title is a field, not HTML: escaped wherever it appears.
    let title_start = html.find("<title>").expect("title");
    let title_end = html.find("</title>").expect("title end");
    assert!(
        html[title_start..title_end].contains("Hostile &lt;"),
        "{}",
        &html[title_start..title_end]
    );
    let h1 = html.find("<h1").expect("h1");
    assert!(html[h1..].starts_with("<h1") && html[h1..h1 + 200].contains("&lt;"));
}

#[test]
fn checklist_item_markdown_cannot_add_attributes_or_scripts() {
    // An item's text is inline Markdown: headings with `{onclick=…}`, images and links that run
    // scripts, and raw HTML must all come out inert.
    let site = Sandbox::new();
    let checklists = "checklists:\n  - id: go\n    title: Go\n    phase: prepare\n    items:\n      - id: a\n        text: \"## Do {#main-content onclick=alert(1)}\"\n      - id: b\n        text: \"![x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) <img src=x onerror=alert(1)>\"\n      - id: c\n        text: \"=HYPERLINK(\\\"https://evil.example\\\")\"\n---\n";
    site.write(
        "content/playbooks/items.md",
        tiny_playbook(1).replacen("---\nBody", &format!("{checklists}Body"), 1),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.assert_output_safe();
    let page =
        std::fs::read_to_string(site.out().join("playbooks/items/index.html")).expect("page");
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{page}"
    );
    // The spreadsheet copy must not run a formula (CSV injection).
    let csv =
        std::fs::read_to_string(site.out().join("playbooks/items/checklists.csv")).expect("csv");
    assert!(csv.contains(",\"'=HYPERLINK("), "{csv}");
}

#[test]
fn two_thousand_tiny_playbooks_build() {
    let site = Sandbox::new();
    for n in 0..2000 {
        site.write(&format!("content/playbooks/p{n:04}.md"), tiny_playbook(n));
    }
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("2000 playbooks"), "{}", run.stderr);
    assert!(site.out().join("playbooks/p1999/index.html").is_file());
    let list = std::fs::read_to_string(site.out().join("playbooks/index.html")).expect("list");
    assert!(list.contains("Playbook 1999"));
}

#[test]
fn a_site_toml_with_thousands_of_stages_builds() {
    let site = Sandbox::new();
    site.edit_toml(|t| {
        let mut t = t;
        for n in 0..5000 {
            let _ = write!(
                t,
                "\n[[stages]]\nid = \"stage-{n}\"\nname = \"Stage {n}\"\n"
            );
        }
        t
    });
    let mut playbook = tiny_playbook(1);
    playbook = playbook.replace("stages: [referral]", "stages: [referral, stage-4999]");
    site.write("content/playbooks/one.md", playbook);
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.out().join("stages/stage-4999/index.html").is_file());
    let page = std::fs::read_to_string(site.out().join("playbooks/one/index.html")).expect("page");
    assert!(page.contains("Stage 4999"));
}

#[test]
fn a_site_toml_with_a_duplicate_or_hostile_stage_id_is_named() {
    let site = Sandbox::new();
    site.edit_toml(|t| {
        format!(
            "{t}\n[[stages]]\nid = \"../../etc\"\nname = \"Bad\"\n\n[[stages]]\nid = \"referral\"\nname = \"Again\"\n"
        )
    });
    site.write("content/guides/ok.md", "---\ntitle: Ok\n---\nFine\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("site.toml"), "{}", run.stderr);
}
