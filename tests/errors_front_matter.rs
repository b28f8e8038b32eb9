//! Front matter rules: every broken fixture is refused with exit code 1 and a diagnostic that
//! names the file, the line of the field (counted in the file, not in the front matter block)
//! and what is wrong, with a "did you mean" where a near spelling exists.

mod common;

use common::check_fixture;

const ERROR: &str = "error";

#[test]
fn an_unknown_key_suggests_the_nearest_known_key() {
    let checked = check_fixture("unknown-key");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/playbooks/remote-monitoring.md",
        14,
        "unknown field `traning`",
    )]);
    assert_eq!(checked.found[0].column, 1);
    assert_eq!(checked.help_at(14), "did you mean `training`?");
}

#[test]
fn a_wrong_enum_value_names_the_nearest_value_and_lists_the_others() {
    let checked = check_fixture("wrong-enum");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/playbooks/remote-monitoring.md",
        6,
        "`remote-monitor` is not a valid value for `kind`",
    )]);
    assert_eq!(checked.found[0].column, 9, "points at the value");
    let help = checked.help_at(6);
    assert!(
        help.starts_with("did you mean `remote-monitoring`?"),
        "{help}"
    );
    for other in [
        "digital-therapy",
        "ai-diagnostic",
        "decision-support",
        "virtual-consultation",
        "patient-portal",
        "other",
    ] {
        assert!(
            help.contains(&format!("`{other}`")),
            "{other} missing: {help}"
        );
    }
}

#[test]
fn a_missing_required_field_points_at_the_opening_line_or_at_its_parent() {
    let checked = check_fixture("missing-field");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[
        // Inside `technology:` (line 4) and inside the first owner (line 7).
        (
            ERROR,
            "content/playbooks/nested.md",
            4,
            "missing required field `name` in `technology`",
        ),
        (
            ERROR,
            "content/playbooks/nested.md",
            7,
            "missing required field `role` in `owners[0]`",
        ),
        // At the top level: the opening `---`.
        (
            ERROR,
            "content/playbooks/no-summary.md",
            1,
            "missing required field `summary`",
        ),
    ]);
    let columns: Vec<u64> = checked.found.iter().map(|f| f.column).collect();
    assert_eq!(columns, [1, 5, 1]);
    assert!(checked.found[2].help.contains("add `summary:`"));
}

#[test]
fn a_date_that_does_not_exist_is_refused() {
    let checked = check_fixture("bad-date");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/playbooks/bad-date.md",
        10,
        "`last_reviewed` is not a valid date: `2026-02-30`",
    )]);
    assert!(checked.help_at(10).contains("YYYY-MM-DD"));
}

#[test]
fn the_next_review_must_come_after_the_last_review() {
    let checked = check_fixture("review-order");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/playbooks/review-order.md",
        11,
        "`next_review_due` (2026-01-01) is not after `last_reviewed` (2026-10-01)",
    )]);
}

#[test]
fn unknown_vocabulary_ids_name_the_nearest_id_and_list_the_others() {
    let checked = check_fixture("unknown-vocabulary");
    assert_eq!(checked.code, 1);
    let file = "content/playbooks/unknown-ids.md";
    checked.assert_only(&[
        (
            ERROR,
            file,
            14,
            "unknown setting `primary-car` in `pathway.settings`",
        ),
        (
            ERROR,
            file,
            15,
            "unknown stage `referal` in `pathway.stages`",
        ),
        (
            ERROR,
            file,
            16,
            "unknown role `physiotherapist` in `pathway.referrers`",
        ),
        (
            ERROR,
            file,
            17,
            "unknown role `practice-nures` in `audiences`",
        ),
    ]);
    assert_eq!(
        checked.help_at(14),
        "did you mean `primary-care`? settings defined in site.toml [settings]: `primary-care`, `community`, `virtual-ward`"
    );
    assert_eq!(
        checked.help_at(15),
        "did you mean `referral`? stages defined in site.toml [[stages]]: `referral`, `monitoring`, `discharge`"
    );
    assert_eq!(
        checked.help_at(16),
        "roles defined in site.toml [roles]: `gp`, `practice-nurse`, `ig-lead`, `patient`",
        "no role is near enough to suggest"
    );
    assert_eq!(
        checked.help_at(17),
        "did you mean `practice-nurse`? roles defined in site.toml [roles]: `gp`, `practice-nurse`, `ig-lead`, `patient`"
    );
    assert_eq!(checked.found[3].column, 17, "points at the second audience");
}

#[test]
fn ids_must_be_unique_within_their_list() {
    let checked = check_fixture("duplicate-ids");
    assert_eq!(checked.code, 1);
    let file = "content/playbooks/duplicates.md";
    checked.assert_only(&[
        (
            ERROR,
            file,
            23,
            "duplicate training module id `basics` (first used on line 18)",
        ),
        (
            ERROR,
            file,
            35,
            "duplicate item id `sign-dpia` (first used on line 33)",
        ),
        (
            ERROR,
            file,
            37,
            "duplicate checklist id `prepare` (first used on line 29)",
        ),
    ]);
}

#[test]
fn training_prerequisites_may_not_loop_or_name_unknown_modules() {
    let checked = check_fixture("requires-loop");
    assert_eq!(checked.code, 1);
    let file = "content/playbooks/loop.md";
    checked.assert_only(&[
        (
            ERROR,
            file,
            23,
            "training prerequisites form a loop: basics → advanced → basics",
        ),
        (
            ERROR,
            file,
            29,
            "training module `advanced` requires `expert`, which is not a module of this playbook",
        ),
    ]);
    assert!(checked.help_at(29).contains("`basics`, `advanced`"));
}

#[test]
fn a_slug_may_hold_only_lowercase_letters_digits_and_hyphens() {
    let checked = check_fixture("bad-slug");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/playbooks/bad-slug.md",
        17,
        "`slug` is not a valid id: `Remote_Monitoring`",
    )]);
    assert!(
        checked.help_at(17).ends_with("e.g. `remote-monitoring`"),
        "the suggestion must itself be a valid slug: {}",
        checked.help_at(17)
    );
}

#[test]
fn summary_length_is_counted_in_characters_not_bytes() {
    // exactly-300.md has 300 two-byte letters (600 bytes) and passes; too-long.md has 301.
    let checked = check_fixture("summary-length");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/playbooks/too-long.md",
        3,
        "`summary` is 301 characters long; at most 300 are allowed",
    )]);
    assert_eq!(checked.help_at(3), "shorten it by 1 character");
}

#[test]
fn drafts_are_validated_even_when_the_build_leaves_them_out() {
    // Both files are drafts: one with a misspelt key, one with a link to nothing.
    let checked = check_fixture("draft-invalid");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[
        (
            ERROR,
            "content/playbooks/next-version.md",
            22,
            "`../guides/missing.md` points at `content/guides/missing.md`, which does not exist",
        ),
        (
            ERROR,
            "content/playbooks/work-in-progress.md",
            18,
            "unknown field `sumary`",
        ),
    ]);
}
