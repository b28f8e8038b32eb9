//! Version 1.1's change history (`changes`): each broken rule is refused at the file, line and
//! column of the field that breaks it, with a message naming the field. The `changes-errors`
//! fixture holds one playbook per rule, each breaking that rule and nothing else.

mod common;

use common::{check_fixture, Checked, Found};

const ERROR: &str = "error";

fn checked() -> Checked {
    let checked = check_fixture("changes-errors");
    assert_eq!(checked.code, 1);
    checked
}

/// The only diagnostic of `content/playbooks/<name>`.
fn only_in(checked: &Checked, name: &str) -> Found {
    let file = format!("content/playbooks/{name}");
    let found: Vec<&Found> = checked.found.iter().filter(|f| f.file == file).collect();
    assert_eq!(found.len(), 1, "one diagnostic in {file}: {found:#?}");
    assert_eq!(found[0].severity, ERROR);
    found[0].clone()
}

/// Asserts the diagnostic's line, column, message and help.
fn assert_at(found: &Found, line: u64, column: u64, message: &str, help: &str) {
    assert_eq!(
        (
            found.line,
            found.column,
            found.message.as_str(),
            found.help.as_str()
        ),
        (line, column, message, help)
    );
}

#[test]
fn every_broken_rule_is_reported_once_and_nothing_else() {
    let checked = checked();
    let files: Vec<&str> = checked.found.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "content/playbooks/date-after-review.md",
            "content/playbooks/date-in-future.md",
            "content/playbooks/date-order.md",
            "content/playbooks/first-not-version.md",
            "content/playbooks/no-version.md",
            "content/playbooks/renamed-bad-form.md",
            "content/playbooks/renamed-missing-target.md",
            "content/playbooks/renamed-old-still-there.md",
            "content/playbooks/retrain-unknown-role.md",
            "content/playbooks/version-order.md",
        ]
    );
}

#[test]
fn a_history_without_a_playbook_version_is_refused_at_the_first_version() {
    let found = only_in(&checked(), "no-version.md");
    assert_at(
        &found,
        28,
        14,
        "`changes[0].version` is 1.0, but the playbook has no `version`",
        "add `version: \"1.0\"`: the newest change's version is the playbook's",
    );
}

#[test]
fn the_first_change_must_be_at_the_playbook_version() {
    let found = only_in(&checked(), "first-not-version.md");
    assert_at(
        &found,
        29,
        14,
        "`changes[0].version` is 1.1, but the playbook's `version` is 1.2",
        "the newest change comes first, at the playbook's version: bump `version` with each change",
    );
}

#[test]
fn versions_fall_strictly_down_the_list_compared_as_numbers() {
    // 1.10 above 1.9 is in order; 1.9 twice is not.
    let found = only_in(&checked(), "version-order.md");
    assert_at(
        &found,
        35,
        14,
        "`changes[2].version` (1.9) is not lower than the version above it (1.9)",
        "list changes newest first, each with a lower version than the one above it",
    );
}

#[test]
fn a_change_dated_after_the_last_review_is_refused() {
    let found = only_in(&checked(), "date-after-review.md");
    assert_at(
        &found,
        30,
        11,
        "`changes[0].date` (2026-10-05) is after `last_reviewed` (2026-10-01)",
        "a change is reviewed when it is made: set `last_reviewed` to the newest change's date or later",
    );
}

#[test]
fn a_change_dated_in_the_future_is_refused() {
    // The tests' today is 2026-11-22.
    let found = only_in(&checked(), "date-in-future.md");
    assert_at(
        &found,
        30,
        11,
        "`changes[0].date` (2026-12-01) is in the future (today is 2026-11-22)",
        "write the date the change was made, once it has been",
    );
}

#[test]
fn dates_may_not_rise_down_the_list() {
    let found = only_in(&checked(), "date-order.md");
    assert_at(
        &found,
        33,
        11,
        "`changes[1].date` (2026-06-01) is later than the date above it (2026-05-01)",
        "list changes newest first: the latest date at the top",
    );
}

#[test]
fn retrain_names_roles_of_site_toml() {
    let found = only_in(&checked(), "retrain-unknown-role.md");
    assert_at(
        &found,
        32,
        15,
        "unknown role `practise-nurse` in `changes[0].retrain`",
        "did you mean `practice-nurse`? roles defined in site.toml [roles]: `gp`, `practice-nurse`, `ig-lead`, `patient`, `commissioner`",
    );
}

#[test]
fn a_renamed_item_must_exist_under_its_new_id() {
    let found = only_in(&checked(), "renamed-missing-target.md");
    assert_at(
        &found,
        33,
        29,
        "`changes[0].renamed` renames `before-go-live/stock` to `before-go-live/order-oximeter`, which is not a checklist item of this playbook",
        "did you mean `before-go-live/order-oximeters`? the new id is `checklist-id/item-id` of an item in `checklists` or of a task list in the text",
    );
}

#[test]
fn a_renamed_item_may_not_keep_its_old_id() {
    let found = only_in(&checked(), "renamed-old-still-there.md");
    assert_at(
        &found,
        33,
        7,
        "`changes[0].renamed` renames `before-go-live/book-training`, which is still a checklist item of this playbook",
        "an old id must not come back: readers' ticks on it would move to `before-go-live/order-oximeters`; give the item another id",
    );
}

#[test]
fn a_renamed_key_must_name_a_checklist_and_an_item() {
    let found = only_in(&checked(), "renamed-bad-form.md");
    assert_at(
        &found,
        33,
        7,
        "the old id `stock` in `changes[0].renamed` should be `checklist-id/item-id`",
        "write the checklist's id, `/`, then the item's id, each of a-z, 0-9 and `-`, e.g. `get-ready/book-training`",
    );
}

#[test]
fn each_error_names_its_field() {
    let run = common::playbook(
        &common::fixture("changes-errors"),
        &["check", "--format", "json"],
    );
    let fields: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            v["field"].as_str().unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(
        fields,
        [
            "changes[0].date",
            "changes[0].date",
            "changes[1].date",
            "changes[0].version",
            "changes[0].version",
            "changes[0].renamed",
            "changes[0].renamed.before-go-live/stock",
            "changes[0].renamed",
            "changes[0].retrain[0]",
            "changes[2].version",
        ]
    );
}
