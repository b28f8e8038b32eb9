//! Version 1.1's change history on the built site: the "What has changed" panel (the latest
//! change in full, earlier ones folded), the retraining notice on each named role's page, one
//! feed entry per change, and the renames that checklists.js reads to move saved ticks.

mod common;

use common::{check, copy_fixture, fixture};

/// Builds the `changes` fixture; returns (the site, the output folder), both kept alive.
fn built() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = copy_fixture("changes");
    let out = common::build_to_temp(site.path());
    (site, out)
}

fn read(out: &tempfile::TempDir, path: &str) -> String {
    std::fs::read_to_string(out.path().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} missing"));
    let to = html[from..].find(end).expect("end") + from;
    &html[from..to]
}

#[test]
fn the_site_checks_clean_under_strict() {
    let checked = check(&fixture("changes"), &["--strict"]);
    assert_eq!(checked.code, 0, "{:?}", checked.found);
    checked.assert_only(&[]);
}

#[test]
fn the_panel_shows_the_latest_change_in_full_and_folds_the_others() {
    let (_site, out) = built();
    let html = read(&out, "playbooks/home-oximetry/index.html");
    assert!(html.contains("<li><a href=\"#what-has-changed\">What has changed</a></li>"));
    let panel = between(
        &html,
        "<section class=\"pb-section pb-changes\"",
        "</section>",
    );
    assert!(panel.contains("aria-labelledby=\"what-has-changed\""));
    assert!(panel.contains("<h2 id=\"what-has-changed\">What has changed</h2>"));
    let (latest, older) = panel
        .split_once("<details")
        .expect("older changes are folded");
    assert!(latest.contains("<h3 class=\"pb-change__title\">Version 1.3 <span class=\"pb-secondary\">(<time datetime=\"2026-10-01\">1 October 2026</time>)</span></h3>"));
    assert!(
        latest.contains("<p>Escalate below <strong>94%</strong> oxygen saturation, not 92%.</p>")
    );
    assert!(latest.contains("<strong>Retraining needed for:</strong> <a href=\"/roles/practice-nurse/\">Practice nurse</a>, <a href=\"/roles/gp/\">GP</a>"));
    assert!(latest.contains("<li><code>before-go-live/order-oximeters</code> is now <code>before-go-live/order-devices</code></li>"));
    assert!(older.contains("<summary>Earlier changes (2)</summary>"));
    assert!(older.contains("Version 1.2") && older.contains("Version 1.1"));
    assert!(
        !latest.contains("Version 1.2"),
        "only the latest is outside"
    );
    assert!(
        older.find("Version 1.2") < older.find("Version 1.1"),
        "newest first"
    );
}

#[test]
fn one_change_has_nothing_folded_and_no_history_has_no_panel() {
    let (_site, out) = built();
    let one = read(&out, "playbooks/one-change/index.html");
    let panel = between(
        &one,
        "<section class=\"pb-section pb-changes\"",
        "</section>",
    );
    assert!(panel.contains("Version 2.0"));
    assert!(!panel.contains("<details"));
    let none = read(&out, "playbooks/no-changes/index.html");
    assert!(!none.contains("what-has-changed"));
    assert!(!none.contains("data-renamed"));
}

#[test]
fn the_checklists_carry_the_renames_oldest_change_first() {
    let (_site, out) = built();
    let html = read(&out, "playbooks/home-oximetry/index.html");
    let expected = "data-renamed=\"[[&quot;setup/train-staff&quot;,&quot;before-go-live/book-training&quot;],\
[&quot;before-go-live/stock&quot;,&quot;before-go-live/order-oximeters&quot;],\
[&quot;before-the-first-patient/agree-pathway&quot;,&quot;before-the-first-patient/agree-the-pathway-with-the-clinical-lead&quot;],\
[&quot;before-go-live/order-oximeters&quot;,&quot;before-go-live/order-devices&quot;]]\"";
    let container = between(&html, "<section class=\"pb-section pb-checklists\"", ">");
    assert!(container.contains(expected), "{container}");
    let role = read(&out, "roles/practice-nurse/index.html");
    assert!(
        role.contains(&format!(
            "<div class=\"pb-role-playbook\" data-playbook=\"/playbooks/home-oximetry/\" {expected}>"
        )),
        "the role page moves ticks too"
    );
}

#[test]
fn each_role_to_retrain_gets_a_notice_newest_first() {
    let (_site, out) = built();
    let nurse = read(&out, "roles/practice-nurse/index.html");
    let notice = between(
        &nurse,
        "<div class=\"pb-callout pb-callout--important pb-retrain\"",
        "</div>",
    );
    assert!(notice.contains("role=\"note\" aria-labelledby=\"retrain-title\""));
    assert!(notice.contains("<p class=\"pb-callout__label\" id=\"retrain-title\"><strong>Retraining needed</strong></p>"));
    assert!(notice
        .contains("Playbooks have changed, and people in this role must retake their training:"));
    let home = "<li><a href=\"/playbooks/home-oximetry/#what-has-changed\">Home oximetry</a>, version 1.3 (<time datetime=\"2026-10-01\">1 October 2026</time>): Escalate below <strong>94%</strong> oxygen saturation, not 92%.</li>";
    let one = "<li><a href=\"/playbooks/one-change/#what-has-changed\">Oximetry with one change</a>, version 2.0 (<time datetime=\"2026-09-01\">1 September 2026</time>): New device supplier.</li>";
    assert!(notice.find(home).expect("home oximetry") < notice.find(one).expect("one change"));
    let gp = read(&out, "roles/gp/index.html");
    assert!(
        gp.contains("A playbook has changed, and people in this role must retake its training:")
    );
    assert!(
        !gp.contains("New device supplier"),
        "version 2.0 did not name the GP"
    );
    let lead = read(&out, "roles/ig-lead/index.html");
    assert!(
        !lead.contains("pb-retrain"),
        "no notice for a role not named"
    );
}

#[test]
fn the_feed_has_an_entry_per_change_with_a_stable_id() {
    let (_site, out) = built();
    let feed = read(&out, "feed.xml");
    assert_eq!(
        feed.matches("<entry>").count(),
        7,
        "3 reviews and 4 changes"
    );
    let entry = between(
        &feed,
        "<entry>\n    <title>Home oximetry: version 1.3</title>",
        "</entry>",
    );
    for line in [
        "<link rel=\"alternate\" type=\"text/html\" href=\"https://playbooks.example.nhs.uk/playbooks/home-oximetry/#what-has-changed\"/>",
        "<id>https://playbooks.example.nhs.uk/playbooks/home-oximetry/#change-1.3</id>",
        "<updated>2026-10-01T00:00:00Z</updated>",
        "<summary type=\"html\">Escalate below &lt;strong&gt;94%&lt;/strong&gt; oxygen saturation, not 92%. Retraining needed for: Practice nurse, GP.</summary>",
    ] {
        assert!(entry.contains(line), "{line} missing from {entry}");
    }
    let updated: Vec<&str> = feed
        .match_indices("    <updated>")
        .map(|(at, m)| &feed[at + m.len()..at + m.len() + 10])
        .collect();
    assert_eq!(
        updated,
        [
            "2026-10-01",
            "2026-10-01",
            "2026-10-01",
            "2026-10-01",
            "2026-09-01",
            "2026-06-15",
            "2026-03-01"
        ],
        "newest first"
    );
    assert!(feed
        .contains("<id>https://playbooks.example.nhs.uk/playbooks/home-oximetry/#change-1.1</id>"));
}

#[test]
fn playbooks_json_keeps_the_history_as_written() {
    let (_site, out) = built();
    let json: serde_json::Value =
        serde_json::from_str(&read(&out, "playbooks.json")).expect("JSON");
    let home = json["playbooks"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|p| p["url"] == "/playbooks/home-oximetry/")
        .expect("home oximetry");
    let changes = &home["front_matter"]["changes"];
    assert_eq!(changes[0]["version"], "1.3");
    assert_eq!(
        changes[0]["retrain"],
        serde_json::json!(["practice-nurse", "gp"])
    );
    let renamed: Vec<&String> = changes[1]["renamed"]
        .as_object()
        .expect("a mapping")
        .keys()
        .collect();
    assert_eq!(
        renamed,
        [
            "setup/train-staff",
            "before-go-live/stock",
            "before-the-first-patient/agree-pathway"
        ],
        "in the order written"
    );
}
