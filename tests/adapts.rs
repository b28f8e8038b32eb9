//! Mounts and local versions (`[[mounts]]`, `adapts:`): the merged page, the panel, "Adapted
//! by", `playbooks.json`, and each error with its exact message, file and line.

mod common;

use std::fs;
use std::path::Path;

use common::{check, copy_fixture, fixture};

const LOCAL: &str = "content/playbooks/northshire-remote-monitoring.md";
const BASE: &str = "vendor/national/content/playbooks/remote-monitoring.md";

/// Replaces `from` with `to` in the file at `rel` under `root` (which must hold `from`).
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).expect("fixture file");
    assert!(text.contains(from), "{rel} holds {from:?}");
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn built(root: &Path) -> tempfile::TempDir {
    common::build_to_temp(root)
}

fn page(out: &tempfile::TempDir, url: &str) -> String {
    fs::read_to_string(out.path().join(url).join("index.html")).expect("built page")
}

#[test]
fn the_fixture_checks_clean_under_strict() {
    let checked = check(&fixture("adapts"), &["--strict"]);
    assert_eq!(checked.code, 0, "{:?}", checked.found);
    checked.assert_only(&[]);
}

#[test]
fn the_local_version_shows_its_panel_both_bodies_and_the_merged_checklists() {
    let site = copy_fixture("adapts");
    let out = built(site.path());
    let html = page(&out, "playbooks/northshire-remote-monitoring");
    for expected in [
        "<h2 id=\"local-version\" class=\"pb-local__title\">Local version</h2>",
        "<a href=\"/national/playbooks/remote-monitoring/\">Remote monitoring on a virtual ward</a>, version 2.1.",
        "<li>Checklist &quot;Safe to start&quot;, item &quot;Agree the alert rota&quot;: changed</li>",
        "<li>Checklist &quot;Northshire estates&quot;: added</li>",
        "<li>Checklist &quot;First patients&quot;, item &quot;Hold a weekly huddle&quot;: removed (Northshire holds a daily huddle instead)</li>",
        "<li>Pathway, escalation: changed</li>",
        "<h2 id=\"how-we-do-it-here\">How we do it here</h2>",
        "We hold a daily huddle at 9am.",
        // The base body's relative link resolves from the base's folder.
        "href=\"/national/guides/about/\"",
        "Agree the Northshire alert rota",
        "Survey Wi-Fi in the two community hubs",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    assert!(
        !html.contains("Title: changed"),
        "its own title is no change"
    );
    assert!(
        !html.contains("Hold a weekly huddle</"),
        "the removed item is gone"
    );
    let base_at = html.find("Why it matters").expect("base body");
    let local_at = html.find("We hold a daily huddle").expect("local body");
    assert!(base_at < local_at, "the base's body comes first");
    let base = page(&out, "national/playbooks/remote-monitoring");
    assert!(base.contains(
        "<dt>Adapted by</dt><dd><ul><li><a href=\"/playbooks/northshire-remote-monitoring/\">Remote monitoring on the Northshire virtual ward</a></li></ul></dd>"
    ));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("playbooks.json")).expect("json"))
            .expect("valid json");
    let local = json["playbooks"]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["url"] == "/playbooks/northshire-remote-monitoring/")
        .expect("the local version is listed");
    let fm = &local["front_matter"];
    assert_eq!(
        fm["adapts"]["playbook"],
        "national/playbooks/remote-monitoring"
    );
    assert_eq!(fm["adapts"]["version"], "2.1");
    assert_eq!(
        fm["summary"],
        "The national playbook for remote monitoring."
    );
    let ids: Vec<&str> = fm["checklists"]
        .as_array()
        .expect("checklists")
        .iter()
        .map(|c| c["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        ids,
        ["safe-to-start", "first-patients", "northshire-estates"]
    );
    assert_eq!(fm["checklists"][1]["items"][0]["id"], "review-alerts");
    assert_eq!(fm["checklists"][0]["items"][0]["owner"], "service-manager");
}

#[test]
fn body_replace_shows_only_the_local_body() {
    let site = copy_fixture("adapts");
    edit(site.path(), LOCAL, "remove:", "body: replace\nremove:");
    let out = built(site.path());
    let html = page(&out, "playbooks/northshire-remote-monitoring");
    assert!(html.contains("We hold a daily huddle at 9am."));
    assert!(!html.contains("Why it matters"));
    assert!(!html.contains("id=\"how-we-do-it-here\""));
}

#[test]
fn an_unlisted_mount_is_built_nowhere_but_can_be_adapted() {
    let site = copy_fixture("adapts");
    edit(
        site.path(),
        "site.toml",
        "target = \"national\"",
        "target = \"national\"\nlisted = false",
    );
    // Its pages are built nowhere, so a link to one would be broken.
    edit(
        site.path(),
        BASE,
        "with a [guide](../guides/about.md)",
        "with a guide",
    );
    let out = built(site.path());
    assert!(!out.path().join("national").exists());
    let html = page(&out, "playbooks/northshire-remote-monitoring");
    assert!(html.contains(
        "This page adapts <strong>Remote monitoring on a virtual ward</strong>, version 2.1."
    ));
    let json = fs::read_to_string(out.path().join("playbooks.json")).expect("json");
    assert!(
        !json.contains("/national/"),
        "unlisted pages appear nowhere"
    );
}

#[test]
fn an_unknown_base_is_an_error_at_adapts_playbook() {
    let site = copy_fixture("adapts");
    edit(
        site.path(),
        LOCAL,
        "national/playbooks/remote-monitoring",
        "national/playbooks/remote-monitorin",
    );
    let checked = check(site.path(), &[]);
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        "error",
        LOCAL,
        4,
        "`adapts.playbook` names `national/playbooks/remote-monitorin`, which is not a page of this site",
    )]);
    assert_eq!(
        checked.help_at(4),
        "did you mean `national/playbooks/remote-monitoring`?"
    );
}

#[test]
fn a_base_that_is_not_a_playbook_is_an_error() {
    let site = copy_fixture("adapts");
    edit(
        site.path(),
        LOCAL,
        "national/playbooks/remote-monitoring",
        "national/guides/about",
    );
    let checked = check(site.path(), &[]);
    checked.assert_only(&[(
        "error",
        LOCAL,
        4,
        "`national/guides/about` is not a playbook (it has no `pathway:`), so it cannot be adapted",
    )]);
}

#[test]
fn adapting_a_local_version_is_an_error() {
    let site = copy_fixture("adapts");
    fs::write(
        site.path().join("content/playbooks/second.md"),
        "---\ntitle: \"Second\"\nadapts:\n  playbook: playbooks/northshire-remote-monitoring\n  version: \"2.1\"\n---\n",
    )
    .expect("write");
    let checked = check(site.path(), &[]);
    checked.assert_only(&[(
        "error",
        "content/playbooks/second.md",
        4,
        "`playbooks/northshire-remote-monitoring` is itself a local version (of `national/playbooks/remote-monitoring`), and a local version cannot be adapted",
    )]);
}

#[test]
fn an_unknown_remove_id_is_an_error_at_its_line() {
    let site = copy_fixture("adapts");
    edit(
        site.path(),
        LOCAL,
        "first-patients/weekly-huddle",
        "first-patients/weekly-hudle",
    );
    let checked = check(site.path(), &[]);
    checked.assert_only(&[(
        "error",
        LOCAL,
        21,
        "`remove` names `checklists/first-patients/weekly-hudle`, which the base playbook does not have",
    )]);
}

#[test]
fn a_removal_without_a_reason_is_an_error() {
    let site = copy_fixture("adapts");
    edit(
        site.path(),
        LOCAL,
        "    reason: \"Northshire holds a daily huddle instead\"\n",
        "",
    );
    let checked = check(site.path(), &[]);
    checked.assert_only(&[("error", LOCAL, 21, "missing required field `reason`")]);
}

#[test]
fn adapts_version_newer_than_the_base_is_an_error() {
    let site = copy_fixture("adapts");
    edit(site.path(), LOCAL, "version: \"2.1\"", "version: \"2.4\"");
    let checked = check(site.path(), &[]);
    checked.assert_only(&[(
        "error",
        LOCAL,
        5,
        "`adapts.version` is 2.4, newer than the base playbook's version 2.1",
    )]);
}

#[test]
fn a_newer_base_is_a_warning_and_an_error_under_strict() {
    let site = copy_fixture("adapts");
    edit(site.path(), BASE, "version: \"2.1\"", "version: \"2.3\"");
    let message = "the base playbook is now 2.3; you adapted 2.1: review its changes and update adapts.version";
    let checked = check(site.path(), &[]);
    assert_eq!(checked.code, 0);
    checked.assert_only(&[("warning", LOCAL, 5, message)]);
    let strict = check(site.path(), &["--strict"]);
    assert_eq!(strict.code, 1);
    strict.assert_only(&[("error", LOCAL, 5, message)]);
    let site_page = built(site.path());
    let html = page(&site_page, "playbooks/northshire-remote-monitoring");
    assert!(html.contains("version 2.1 (that playbook is now version 2.3)"));
}

#[test]
fn a_bad_value_from_the_base_or_the_local_file_names_that_file_and_line() {
    let site = copy_fixture("adapts");
    edit(
        site.path(),
        LOCAL,
        "owner: service-manager",
        "owner: service-manger",
    );
    edit(site.path(), BASE, "phase: pilot", "phase: pilott");
    let checked = check(site.path(), &[]);
    checked.assert_only(&[
        ("error", LOCAL, 12, "service-manger"),
        // Reported once, though both the base and its local version read it.
        ("error", BASE, 31, "pilott"),
    ]);
}

#[test]
fn remove_outside_a_local_version_is_an_error() {
    let site = copy_fixture("adapts");
    edit(
        site.path(),
        BASE,
        "version: \"2.1\"",
        "version: \"2.1\"\nbody: replace",
    );
    let checked = check(site.path(), &[]);
    assert!(checked.found.iter().any(|f| f.file == BASE
        && f.line == 13
        && f.message == "`body` is only for a local version (a page with `adapts:`)"));
}

#[test]
fn mount_errors_name_their_line_in_site_toml() {
    let site = copy_fixture("adapts");
    edit(
        site.path(),
        "site.toml",
        "vendor/national/content",
        "vendor/missing",
    );
    let checked = check(site.path(), &[]);
    assert_eq!(checked.code, 1);
    assert_eq!(checked.found[0].file, "site.toml");
    assert_eq!(checked.found[0].line, 6);
    assert_eq!(
        checked.found[0].message,
        "mount source `vendor/missing` does not exist"
    );

    let site = copy_fixture("adapts");
    edit(site.path(), "site.toml", "vendor/national/content", "../");
    let checked = check(site.path(), &[]);
    assert_eq!(checked.found[0].line, 6);
    assert_eq!(
        checked.found[0].message,
        "mount source `..` is outside the site folder"
    );

    let site = copy_fixture("adapts");
    edit(
        site.path(),
        "site.toml",
        "target = \"national\"",
        "target = \"guides\"",
    );
    let checked = check(site.path(), &[]);
    assert_eq!(checked.found[0].line, 7);
    assert_eq!(
        checked.found[0].message,
        "mount target `guides` clashes with the folder content/guides"
    );
}

#[cfg(unix)]
#[test]
fn a_mount_that_links_outside_the_site_is_an_error() {
    let site = copy_fixture("adapts");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(elsewhere.path(), site.path().join("vendor/link")).expect("link");
    edit(
        site.path(),
        "site.toml",
        "vendor/national/content",
        "vendor/link",
    );
    let checked = check(site.path(), &[]);
    assert_eq!(checked.found[0].line, 6);
    assert_eq!(
        checked.found[0].message,
        "mount source `vendor/link` is outside the site folder"
    );
}

#[test]
fn a_mounted_page_s_error_names_its_real_path() {
    let site = copy_fixture("adapts");
    edit(
        site.path(),
        "vendor/national/content/guides/about.md",
        "title: \"About national playbooks\"",
        "titel: x",
    );
    let checked = check(site.path(), &[]);
    assert!(checked
        .found
        .iter()
        .any(|f| f.file == "vendor/national/content/guides/about.md"
            && f.line == 2
            && f.message == "unknown field `titel`"));
}

#[test]
fn a_broken_link_or_unsafe_file_in_a_mount_names_the_real_paths() {
    let site = copy_fixture("adapts");
    let about = "vendor/national/content/guides/about.md";
    let text = fs::read_to_string(site.path().join(about)).expect("about");
    fs::write(
        site.path().join(about),
        format!("{text}\nSee [the missing page](missing.md).\n"),
    )
    .expect("write");
    fs::write(
        site.path().join("vendor/national/content/guides/run.js"),
        "alert(1)\n",
    )
    .expect("write");
    let checked = check(site.path(), &[]);
    assert!(
        checked.found.iter().any(|f| f.file == about
            && f.message
                == "`missing.md` points at `vendor/national/content/guides/missing.md`, which does not exist"),
        "{:?}",
        checked.found
    );
    assert!(
        checked
            .found
            .iter()
            .any(|f| f.file == "vendor/national/content/guides/run.js"
                && f.message.contains("would run in readers' browsers")),
        "{:?}",
        checked.found
    );
}
