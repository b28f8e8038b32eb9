//! `playbook init` and `playbook new` write starting points that build and pass `check --strict`
//! as written, whatever the date (PLAYBOOK_TODAY set or not), and never overwrite anything.

mod common;

use std::path::Path;
use std::process::Command;

/// Runs the binary in `cwd`, with PLAYBOOK_TODAY set to `today` or removed.
fn run(cwd: &Path, args: &[&str], today: Option<&str>) -> common::Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_playbook"));
    command.args(args).current_dir(cwd).env("NO_COLOR", "1");
    match today {
        Some(date) => command.env("PLAYBOOK_TODAY", date),
        None => command.env_remove("PLAYBOOK_TODAY"),
    };
    command.output().expect("run playbook").into()
}

fn assert_ok(run: &common::Run, what: &str) {
    assert_eq!(run.code, 0, "{what}: {}{}", run.stdout, run.stderr);
}

/// init, then new pages of both kinds, each checked strictly and built.
fn starting_points_build_and_pass_strict_check(today: Option<&str>) {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["init", "my-site"], today), "init");
    let site = tmp.path().join("my-site");
    for file in [
        "site.toml",
        "content/_index.md",
        "content/playbooks/_index.md",
        "content/playbooks/example-playbook.md",
        "content/guides/_index.md",
        "content/guides/getting-started.md",
    ] {
        assert!(site.join(file).is_file(), "init did not write {file}");
    }
    let check = run(&site, &["check", "--strict"], today);
    assert_ok(&check, "check --strict after init");
    assert!(
        check.stderr.contains("no errors, 0 warnings"),
        "{}",
        check.stderr
    );
    assert_ok(&run(&site, &["build"], today), "build after init");
    assert!(site
        .join("public/playbooks/example-playbook/index.html")
        .is_file());
    assert!(site
        .join("public/guides/getting-started/index.html")
        .is_file());

    assert_ok(
        &run(&site, &["new", "playbooks/home-oximetry.md"], today),
        "new playbook",
    );
    assert_ok(
        &run(
            &site,
            &["new", "content/guides/how-we-review", "--kind", "guide"],
            today,
        ),
        "new guide",
    );
    assert_ok(
        &run(&site, &["new", "playbooks/virtual-ward/index.md"], today),
        "new bundle",
    );
    let check = run(&site, &["check", "--strict"], today);
    assert_ok(&check, "check --strict after new");
    assert!(
        check.stderr.contains("no errors, 0 warnings"),
        "{}",
        check.stderr
    );
    assert_ok(
        &run(&site, &["build", "--drafts"], today),
        "build --drafts after new",
    );
    for page in [
        "playbooks/home-oximetry",
        "guides/how-we-review",
        "playbooks/virtual-ward",
    ] {
        let html = std::fs::read_to_string(site.join("public").join(page).join("index.html"))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(html.contains("Draft:"), "{page} is not shown as a draft");
    }
    // New pages are drafts: a build without --drafts leaves them out.
    assert_ok(&run(&site, &["build"], today), "build after new");
    assert!(!site.join("public/playbooks/home-oximetry").exists());
}

#[test]
fn starting_points_pass_with_a_fixed_date() {
    starting_points_build_and_pass_strict_check(Some("2026-11-22"));
}

#[test]
fn starting_points_pass_with_todays_date() {
    starting_points_build_and_pass_strict_check(None);
}

#[test]
fn new_shows_every_field_with_a_comment() {
    let site = common::copy_fixture("navigation");
    assert_ok(
        &common::playbook(site.path(), &["new", "playbooks/x.md"]),
        "new",
    );
    let text = std::fs::read_to_string(site.path().join("content/playbooks/x.md")).unwrap();
    let front = text.split("\n---\n").next().unwrap();
    for key in [
        "title:",
        "summary:",
        "technology:",
        "kind:",
        "supplier:",
        "assurance:",
        "dtac:",
        "nice_esf_tier:",
        "nice_eva:",
        "nice_guidance_id:",
        "dcb0160:",
        "dpia:",
        "owners:",
        "contact:",
        "status:",
        "last_reviewed:",
        "next_review_due:",
        "maturity:",
        "minimum_stage:",
        "prerequisites:",
        "pathway:",
        "settings:",
        "stages:",
        "entry:",
        "exit:",
        "replaces:",
        "referrers:",
        "eligibility:",
        "include:",
        "exclude:",
        "escalation:",
        "alternative:",
        "audiences:",
        "training:",
        "format:",
        "duration_minutes:",
        "when:",
        "refresher_months:",
        "requires:",
        "link:",
        "champions:",
        "count:",
        "responsibilities:",
        "time_commitment:",
        "how_to_become:",
        "support:",
        "checklists:",
        "phase:",
        "items:",
        "owner:",
        "npt:",
        "factor:",
        "due:",
        "evidence:",
        "implementation_strategies:",
        "strategy:",
        "description:",
        "metrics:",
        "dimension:",
        "measure:",
        "target:",
        "baseline:",
        "source:",
        "frequency:",
        "risks:",
        "risk:",
        "mitigation:",
        "version:",
        "tags:",
        "weight:",
        "slug:",
    ] {
        let line = front
            .lines()
            .find(|l| l.trim_start_matches([' ', '-', '#']).starts_with(key))
            .unwrap_or_else(|| panic!("`{key}` is not shown:\n{front}"));
        assert!(line.contains("  # "), "`{key}` has no comment: {line}");
    }
    // The fixture's own vocabulary ids are used.
    assert!(front.contains("role: nurse"), "{front}");
    assert!(front.contains("status: draft"));
}

#[test]
fn new_and_init_refuse_to_overwrite_or_leave_their_folder() {
    let site = common::copy_fixture("navigation");
    let root = site.path();
    let before =
        std::fs::read_to_string(root.join("content/playbooks/alpha-monitoring.md")).unwrap();
    let again = common::playbook(root, &["new", "playbooks/alpha-monitoring.md"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("content/playbooks/alpha-monitoring.md")).unwrap(),
        before
    );
    for (bad, expect) in [
        ("../escape.md", "climbs out"),
        ("playbooks/Home Oximetry.md", "home-oximetry"),
        ("stages/x.md", "/stages/"),
        ("playbooks/notes.txt", "Markdown"),
    ] {
        let run = common::playbook(root, &["new", bad]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stderr.contains(expect), "{bad}: {}", run.stderr);
    }
    assert!(!root.join("escape.md").exists() && !root.parent().unwrap().join("escape.md").exists());

    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "keep").unwrap();
    let init = run(
        tmp.path().parent().unwrap(),
        &["init", tmp.path().to_str().unwrap()],
        None,
    );
    assert_eq!(init.code, 2, "{}", init.stderr);
    assert!(!tmp.path().join("site.toml").exists());
}

#[test]
fn new_needs_a_site_and_schema_does_not() {
    let empty = tempfile::tempdir().unwrap();
    let new = run(empty.path(), &["new", "playbooks/x.md"], None);
    assert_eq!(new.code, 2);
    assert!(new.stderr.contains("site.toml"));
    let schema = run(empty.path(), &["schema"], None);
    assert_eq!(schema.code, 0);
    assert!(schema
        .stdout
        .contains("\"$schema\": \"http://json-schema.org/draft-07/schema#\""));
}

/// The bundled guide "Writing a playbook" shows an error as `check` prints it, so authors
/// recognise it: misspell the same key in a copy of the bundled site and compare.
#[test]
fn the_writing_guide_shows_the_error_check_really_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("content/guides/writing-a-playbook.md")).unwrap();
    let example = guide
        .split("```text\n")
        .find(|block| block.starts_with("error: unknown field `traning`"))
        .and_then(|block| block.split("```").next())
        .expect("the guide shows the `traning` error");
    let site = tempfile::tempdir().unwrap();
    common::copy_dir(&root.join("content"), &site.path().join("content"));
    std::fs::copy(root.join("site.toml"), site.path().join("site.toml")).unwrap();
    common::copy_dir(&root.join("national"), &site.path().join("national"));
    let file = site
        .path()
        .join("content/playbooks/remote-monitoring-virtual-ward.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("\ntraining:", "\ntraning:", 1)).unwrap();
    let run = common::playbook(site.path(), &["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(example.trim_end()),
        "the guide shows:\n{example}\ncheck prints:\n{}",
        run.stderr
    );
}

/// The workflow `init` writes, in a fresh site (and the site's folder, kept alive).
fn init_workflow(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let mut all = vec!["init", "my-site"];
    all.extend_from_slice(args);
    assert_ok(&run(tmp.path(), &all, Some("2026-11-22")), "init");
    let workflow = tmp.path().join("my-site/.github/workflows/playbook.yml");
    (tmp, workflow)
}

/// `.venv-tools/bin/actionlint`, installed by scripts/test-all.sh. Absent outside CI: the test
/// says so and passes; absent in CI (CI=true): the test fails.
fn actionlint() -> Option<std::path::PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-tools/bin/actionlint");
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} is missing in CI: scripts/test-all.sh installs it",
        path.display()
    );
    println!(
        "SKIPPED: {} is missing; run scripts/test-all.sh once to install it",
        path.display()
    );
    None
}

#[test]
fn init_writes_a_workflow_that_passes_actionlint() {
    let (_tmp, workflow) = init_workflow(&[]);
    let text = std::fs::read_to_string(&workflow).expect("init writes the workflow");
    for needed in [
        "pull_request:",
        "playbook check --strict --format github",
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "pages: write",
        "id-token: write",
        "--base-url \"$BASE_URL\"",
        "steps.pages.outputs.base_url",
        &format!("PLAYBOOK_VERSION: \"{}\"", env!("CARGO_PKG_VERSION")),
        "cargo install --locked --git",
    ] {
        assert!(
            text.contains(needed),
            "the workflow lacks {needed}:\n{text}"
        );
    }
    assert!(!text.contains("{version}") && !text.contains("{source}"));
    let Some(actionlint) = actionlint() else {
        return;
    };
    let lint = Command::new(&actionlint)
        .arg("-no-color")
        .arg(&workflow)
        .output()
        .expect("run actionlint");
    assert!(
        lint.status.success(),
        "actionlint: {}{}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );
    // And actionlint does look: the same workflow with one wrong permission fails.
    let broken = workflow.with_file_name("broken.yml");
    std::fs::write(&broken, text.replace("id-token: write", "id-token: writ")).unwrap();
    let lint = Command::new(&actionlint)
        .arg("-no-color")
        .arg(&broken)
        .output()
        .expect("run actionlint");
    assert!(
        !lint.status.success(),
        "actionlint passed a broken workflow"
    );
}

#[test]
fn init_no_ci_writes_no_workflow() {
    let (tmp, workflow) = init_workflow(&["--no-ci"]);
    assert!(!workflow.exists());
    assert!(!tmp.path().join("my-site/.github").exists());
    assert!(tmp.path().join("my-site/site.toml").is_file());
}
