//! The command line as cli.md describes it: exit code 2 for a command used wrongly, `--root`
//! before or after the command, and the three message formats (human, json, github).

mod common;

use common::{copy_fixture, fixture, playbook, playbook_args};

fn root_of(name: &str) -> String {
    fixture(name).to_str().expect("UTF-8 path").to_string()
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let root = root_of("minimal");
    for args in [
        vec!["check", "--bogus", "--root", root.as_str()],
        vec!["build", "--drafs", "--root", root.as_str()],
        vec!["--root", root.as_str(), "chekc"],
        vec!["check", "--format", "xml", "--root", root.as_str()],
    ] {
        let run = playbook_args(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("error"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_root_that_does_not_exist_is_a_usage_error() {
    let missing = fixture("no-such-site");
    let run = playbook(&missing, &["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}

#[test]
fn a_root_without_site_toml_is_a_usage_error() {
    let empty = tempfile::tempdir().unwrap();
    for command in ["check", "build"] {
        let run = playbook(empty.path(), &[command]);
        assert_eq!(run.code, 2, "{command}");
        assert!(run.stderr.contains("holds no site.toml"), "{}", run.stderr);
    }
    assert!(!empty.path().join("public").exists());
}

#[test]
fn root_is_accepted_before_or_after_the_command() {
    for name in ["minimal", "unknown-key"] {
        let root = root_of(name);
        let before = playbook_args(&["--root", &root, "check", "--format", "json"]);
        let after = playbook_args(&["check", "--format", "json", "--root", &root]);
        assert_eq!(before.code, after.code, "{name}");
        assert_eq!(before.stdout, after.stdout, "{name}");
    }
    let ok = playbook_args(&["--root", &root_of("minimal"), "check"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

#[test]
fn check_writes_nothing() {
    let site = copy_fixture("minimal");
    let run = playbook(site.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path().join("public").exists());
}

#[test]
fn human_format_is_the_rustc_style_of_the_spec() {
    // The spec's own example, down to the file name and line.
    let run = playbook(&fixture("unknown-key"), &["check"]);
    assert_eq!(run.code, 1);
    let expected = "\
error: unknown field `traning`
  --> content/playbooks/remote-monitoring.md:14:1
   |
14 | traning:
   | ^^^^^^^ did you mean `training`?

";
    assert!(
        run.stderr.starts_with(expected),
        "expected:\n{expected}\nfound:\n{}",
        run.stderr
    );
    let summary = run.stderr.lines().last().unwrap_or("");
    assert!(summary.starts_with("Failed: 1 error"), "{summary}");
    assert!(run.stdout.is_empty(), "people's messages go to stderr");
}

#[test]
fn a_failing_summary_counts_one_error_and_one_warning_in_the_singular() {
    // One published tier C playbook without DTAC (a warning), and one unknown key (an error).
    let site = copy_fixture("tier-c-dtac");
    let extra = std::fs::read_to_string(fixture(
        "unknown-key/content/playbooks/remote-monitoring.md",
    ))
    .expect("read the unknown-key fixture");
    std::fs::write(site.path().join("content/playbooks/unknown-key.md"), extra).expect("write");
    let run = playbook(site.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let summary = run.stderr.lines().last().unwrap_or("");
    assert!(
        summary.starts_with("Failed: 1 error, 1 warning in "),
        "{summary}"
    );
    let build = playbook(site.path(), &["build"]);
    let summary = build.stderr.lines().last().unwrap_or("");
    assert!(
        summary.starts_with("Failed: 1 error, 1 warning in ")
            && summary.ends_with("; the previous output was left as it was"),
        "{summary}"
    );
}

#[test]
fn json_format_is_one_object_per_line_with_the_spec_fields() {
    let run = playbook(&fixture("two-files"), &["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "content/playbooks/first.md");
    assert_eq!(first["line"], 6);
    assert_eq!(first["column"], 9);
    assert_eq!(
        first["message"],
        "`remote-monitor` is not a valid value for `kind`"
    );
    assert!(first["help"]
        .as_str()
        .unwrap()
        .starts_with("did you mean `remote-monitoring`?"));
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["severity", "file", "line", "column", "message", "help"] {
            assert!(value.get(key).is_some(), "{key} missing in {line}");
        }
    }
}

#[test]
fn github_format_prints_workflow_annotations() {
    let run = playbook(&fixture("unknown-key"), &["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=content/playbooks/remote-monitoring.md,line=14,col=1::unknown field `traning` (did you mean `training`?)\n"
    );

    let warnings = playbook(&fixture("governance"), &["check", "--format", "github"]);
    assert_eq!(warnings.code, 0);
    assert_eq!(warnings.stdout.lines().count(), 5, "{}", warnings.stdout);
    assert!(warnings
        .stdout
        .lines()
        .all(|l| l.starts_with("::warning file=content/playbooks/warnings.md,line=")));
}
