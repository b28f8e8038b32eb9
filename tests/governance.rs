//! Governance warnings: a site that breaks no rule but needs an author's attention builds with
//! warnings (exit 0), and fails under `--strict` (exit 1). PLAYBOOK_TODAY is 2026-11-22.

mod common;

use common::{check, copy_fixture, fixture, playbook, Expected};

const FILE: &str = "content/playbooks/warnings.md";

/// The five warnings of the `governance` fixture, in file order, with `severity`.
fn expected(severity: &str) -> Vec<Expected<'_>> {
    vec![
        (
            severity,
            FILE,
            9,
            "a published tier C technology has not passed DTAC",
        ),
        (
            severity,
            FILE,
            14,
            "the review was due on 1 October 2026 and has passed",
        ),
        (
            severity,
            FILE,
            23,
            "training module `basics` is for `practice-nurse`, who is not among the playbook's audiences",
        ),
        (
            severity,
            FILE,
            33,
            "item `sign-dpia` is owned by `ig-lead`, who is not among the playbook's audiences",
        ),
        (
            severity,
            FILE,
            37,
            "an equity risk is named but the pathway has no non-digital alternative",
        ),
    ]
}

#[test]
fn governance_problems_are_warnings_that_pass_without_strict() {
    let checked = check(&fixture("governance"), &[]);
    assert_eq!(checked.code, 0);
    checked.assert_only(&expected("warning"));
    assert!(checked.help_at(37).contains("pathway.alternative"));
}

#[test]
fn governance_warnings_fail_check_under_strict() {
    let checked = check(&fixture("governance"), &["--strict"]);
    assert_eq!(checked.code, 1);
    checked.assert_only(&expected("error"));
}

#[test]
fn build_writes_the_site_despite_warnings_but_not_under_strict() {
    let site = copy_fixture("governance");
    let strict = playbook(site.path(), &["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        !site.path().join("public").exists(),
        "a failed build writes nothing"
    );

    let relaxed = playbook(site.path(), &["build"]);
    assert_eq!(relaxed.code, 0, "{}", relaxed.stderr);
    assert!(relaxed
        .stderr
        .contains("warning: the review was due on 1 October 2026"));
    assert!(relaxed
        .stderr
        .lines()
        .last()
        .unwrap_or("")
        .contains("5 warnings"));
    assert!(site
        .path()
        .join("public/playbooks/warnings/index.html")
        .is_file());
}

#[test]
fn the_review_date_is_judged_against_today() {
    // The same playbook reviewed on time: on 2026-09-30 its review (due 2026-10-01) has not passed.
    let run = common::Run::from(
        std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["check", "--format", "json", "--root"])
            .arg(fixture("governance"))
            .env("PLAYBOOK_TODAY", "2026-09-30")
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0);
    assert!(!run.stdout.contains("has passed"), "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
}
