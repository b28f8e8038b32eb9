//! The bundled site in content/ is the first thing a new user sees: it must pass `check --strict`
//! and build.

mod common;

use std::path::Path;

#[test]
fn bundled_site_passes_check_strict() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = common::playbook(root, &["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("no errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn bundled_site_builds_every_playbook() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let run = common::playbook(root, &["build", "--output", target.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "index.html",
        "playbooks/index.html",
        "playbooks/diabetes-self-management/index.html",
        "playbooks/diabetes-self-management/pathway.svg",
        "playbooks/remote-monitoring-virtual-ward/index.html",
        "guides/npt-in-practice/index.html",
        "404.html",
    ] {
        assert!(target.join(page).is_file(), "missing {page}");
    }
    let summary = run.stderr.lines().last().unwrap_or("");
    assert!(
        summary.starts_with("Built ")
            && summary.contains("playbooks")
            && summary.contains("checklists"),
        "{summary}"
    );
}
