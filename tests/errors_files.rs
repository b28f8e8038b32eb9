//! Problems with a file as a whole: YAML that does not parse, front matter that never ends,
//! tabs, bytes that are not UTF-8, empty files, site.toml errors. Each names the file and line;
//! a run reports every error of every file, not only the first.

mod common;

use common::{check, check_fixture, copy_fixture};

const ERROR: &str = "error";

#[test]
fn front_matter_that_is_not_valid_yaml_is_refused_at_its_line() {
    let checked = check_fixture("invalid-yaml");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/playbooks/invalid.md",
        3,
        "the front matter is not valid YAML",
    )]);
    // `summary: Step 1: refer the patient`: the second `: ` is the problem.
    assert_eq!(checked.found[0].column, 16);
    assert!(checked.help_at(3).contains("must be quoted"));
}

#[test]
fn front_matter_without_its_closing_line_points_at_the_opening_line() {
    let checked = check_fixture("unterminated-front-matter");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/playbooks/unterminated.md",
        1,
        "the front matter starts here but never ends",
    )]);
}

#[test]
fn a_tab_in_front_matter_indentation_is_refused_at_its_line() {
    let checked = check_fixture("tabs");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/playbooks/tabs.md",
        9,
        "a tab is used for indentation in the front matter",
    )]);
    assert_eq!(checked.found[0].column, 1);
}

#[test]
fn an_empty_file_is_an_error_at_line_1() {
    let checked = check_fixture("empty-file");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(ERROR, "content/guides/empty.md", 1, "the file is empty")]);
}

#[test]
fn a_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte() {
    // Git and editors mangle such bytes, so the file is written here, into a copy of a valid site.
    let site = copy_fixture("minimal");
    std::fs::write(
        site.path().join("content/guides/latin-1.md"),
        b"---\ntitle: \"Caf\xe9 opening hours\"\n---\n",
    )
    .unwrap();
    let checked = check(site.path(), &[]);
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/guides/latin-1.md",
        2,
        "the file is not valid UTF-8 text",
    )]);
    assert_eq!(checked.found[0].column, 12, "the column of the é byte");
    assert!(checked.help_at(2).contains("UTF-8"));
}

#[test]
fn two_broken_files_are_both_reported_in_one_run() {
    let checked = check_fixture("two-files");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[
        (
            ERROR,
            "content/playbooks/first.md",
            6,
            "`remote-monitor` is not a valid value for `kind`",
        ),
        (
            ERROR,
            "content/playbooks/second.md",
            10,
            "`last_reviewed` is not a valid date: `2026-13-01`",
        ),
    ]);
}

#[test]
fn errors_in_bom_and_crlf_files_keep_their_file_lines() {
    // windows.md starts with a byte order mark and ends its lines with CRLF. It has a misspelt
    // key in its front matter and a broken link in its body: both are reported, at their lines.
    let checked = check_fixture("bom-crlf-error");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[
        (
            ERROR,
            "content/playbooks/windows.md",
            17,
            "unknown field `traning`",
        ),
        (
            ERROR,
            "content/playbooks/windows.md",
            22,
            "`../guides/missing.md` points at `content/guides/missing.md`",
        ),
    ]);
    assert_eq!(checked.found[0].column, 1, "the BOM is not a column");
    assert_eq!(checked.found[1].column, 9);
}

#[test]
fn a_site_toml_error_names_its_line_and_exits_1() {
    let checked = check_fixture("site-toml-error");
    assert_eq!(
        checked.code, 1,
        "a broken site.toml is a site error, not a usage error"
    );
    checked.assert_only(&[(ERROR, "site.toml", 3, "unknown field `base_ulr`")]);
    assert!(checked.help_at(3).starts_with("did you mean `base_url`?"));
}
