//! Pages are written to a staging folder as soon as each is rendered (the whole site is never
//! held in memory): a build that fails half-way must still leave the previous output as it was.

mod common;

use std::fs;
use std::path::Path;

/// The bundled site, copied to a temporary folder.
fn bundled_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("content"), &dir.path().join("content"));
    fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).expect("site.toml");
    common::copy_dir(&repo.join("national"), &dir.path().join("national"));
    dir
}

fn html_files(dir: &Path) -> usize {
    let mut count = 0;
    for entry in fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            count += html_files(&path);
        } else if path.extension().is_some_and(|e| e == "html") {
            count += 1;
        }
    }
    count
}

/// Switches the site at `root` to a theme `broken` whose `template` is `text` (the others fall
/// back to the default theme's).
fn use_theme_with(root: &Path, template: &str, text: &str) {
    let theme = root.join("themes/broken/templates");
    fs::create_dir_all(&theme).expect("theme dir");
    fs::write(theme.join(template), text).expect("template");
    let toml = fs::read_to_string(root.join("site.toml")).expect("site.toml");
    fs::write(
        root.join("site.toml"),
        toml.replace("theme = \"default\"", "theme = \"broken\""),
    )
    .expect("site.toml");
}

#[test]
fn the_summary_counts_the_pages_written() {
    let site = bundled_copy();
    let out = site.path().join("public");
    let run = common::playbook(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = html_files(&out);
    assert!(written > 10, "{written}");
    assert!(
        run.stderr.contains(&format!("Built {written} pages")),
        "{written} html files, but: {}",
        run.stderr
    );
}

#[test]
fn a_template_that_fails_while_rendering_leaves_the_previous_output() {
    let site = bundled_copy();
    let out = site.path().join("public");
    let first = common::playbook(site.path(), &["build"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = fs::read_to_string(out.join("index.html")).expect("index.html");

    // Guides render with page.html: make it fail at render time, after other pages were written.
    use_theme_with(
        site.path(),
        "page.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_value.field }}{% endblock main %}",
    );
    fs::write(
        site.path().join("content/_index.md"),
        "---\ntitle: Changed\n---\n",
    )
    .expect("home");

    let second = common::playbook(site.path(), &["build"]);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(second.stderr.contains("page.html"), "{}", second.stderr);
    assert_eq!(
        fs::read_to_string(out.join("index.html")).expect("index.html"),
        before,
        "the previous output changed"
    );
    let beside: Vec<_> = fs::read_dir(site.path())
        .expect("read site")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "left behind: {beside:?}");
}

/// Role views are rendered straight into their files: one whose template fails half-way (after
/// it wrote its start) still fails the build at the template's line and leaves the previous
/// output as it was, and a good build writes every role view whole.
#[test]
fn a_role_view_written_as_it_renders_fails_cleanly_half_way() {
    let site = bundled_copy();
    let out = site.path().join("public");
    let first = common::playbook(site.path(), &["build"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let role = fs::read_to_string(out.join("roles/gp/index.html")).expect("a role view");
    assert!(
        role.trim_end().ends_with("</html>"),
        "written whole: {role}"
    );
    assert!(role.contains("data-item="), "it lists the role's items");

    use_theme_with(
        site.path(),
        "role.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ term.name }}</h1>\n{{ \"x\" ~ 1 }}\n{{ role.no_such.field }}{% endblock main %}",
    );

    let second = common::playbook(site.path(), &["build"]);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(second.stderr.contains("role.html:3"), "{}", second.stderr);
    assert_eq!(
        fs::read_to_string(out.join("roles/gp/index.html")).expect("role view"),
        role,
        "the previous output changed"
    );
}

/// `PLAYBOOK_TIMINGS` splits the render stage by kind of file, each with its file count, and
/// says nothing of it when unset.
#[test]
fn timings_split_the_render_stage_by_kind_of_file() {
    let site = common::copy_fixture("checklists");
    let out = site.path().join("public");
    let timed = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["build", "--output"])
        .arg(&out)
        .arg("--root")
        .arg(site.path())
        .env("PLAYBOOK_TODAY", "2026-11-22")
        .env("PLAYBOOK_TIMINGS", "1")
        .env("NO_COLOR", "1")
        .output()
        .expect("run playbook");
    let stderr = String::from_utf8_lossy(&timed.stderr);
    assert_eq!(timed.status.code(), Some(0), "{stderr}");
    let render = stderr
        .find("timing: render and write pages")
        .expect("the render stage's line");
    let after = &stderr[render..];
    for kind in ["pages", "role pages", "checklists.csv", "writing files"] {
        let line = after
            .lines()
            .find(|l| l.starts_with(&format!("timing:   {kind} ")))
            .unwrap_or_else(|| panic!("no line for {kind}:\n{stderr}"));
        assert!(line.contains(" ms  over "), "{line}");
        assert!(line.contains("file(s), summed over threads"), "{line}");
    }
    let quiet = common::playbook(site.path(), &["build"]);
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(!quiet.stderr.contains("timing:"), "{}", quiet.stderr);
}

/// Page bodies wait packed on a large site and as they are on a small one: which of them are
/// packed must change nothing in the output, in either language of the bundled site.
#[test]
fn packing_page_bodies_changes_nothing_in_the_output() {
    let site = bundled_copy();
    let build = |unpacked_bytes: &str| {
        let out = tempfile::tempdir().expect("temp dir");
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["build", "--output"])
            .arg(out.path())
            .arg("--root")
            .arg(site.path())
            .env("PLAYBOOK_UNPACKED_BYTES", unpacked_bytes)
            .env("PLAYBOOK_TODAY", "2026-11-22")
            .env("NO_COLOR", "1")
            .output()
            .expect("run playbook");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        common::snapshot_dir(out.path())
    };
    let all_packed = build("0");
    let none_packed = build("1000000000");
    // Some packed, some not: the budget runs out part of the way through.
    let some_packed = build("20000");
    assert!(
        all_packed.keys().any(|path| path.starts_with("cy/")),
        "the bundled site has a Welsh edition"
    );
    assert!(all_packed.len() > 100, "{} files", all_packed.len());
    for (name, other) in [("none", &none_packed), ("some", &some_packed)] {
        assert_eq!(
            all_packed.keys().collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>(),
            "{name} packed: the same files"
        );
        for (path, bytes) in &all_packed {
            assert!(other[path] == *bytes, "{name} packed: {path} differs");
        }
    }
}
