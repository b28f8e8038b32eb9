//! Version 1.1 of the format's assurance and commissioning fields: `nice_guidance_id` as one id
//! or a list (each a link to NICE), the `commissioning` block (checked like every other object,
//! shown in the summary, kept in `playbooks.json`), and the tier C governance warning's bounds.

mod common;

use common::{check, check_fixture, copy_fixture, fixture};
use serde_json::{json, Value};

const ERROR: &str = "error";

/// Builds the `format-1-1` fixture and returns (the output folder, keeping it alive).
fn built() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = copy_fixture("format-1-1");
    let out = common::build_to_temp(site.path());
    (site, out)
}

fn page(out: &tempfile::TempDir, url: &str) -> String {
    std::fs::read_to_string(out.path().join(url).join("index.html")).expect("built page")
}

fn nice_links(html: &str) -> Vec<&str> {
    html.match_indices("href=\"https://www.nice.org.uk/guidance/")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect()
}

#[test]
fn the_site_checks_clean_under_strict() {
    let checked = check(&fixture("format-1-1"), &["--strict"]);
    assert_eq!(checked.code, 0, "{:?}", checked.found);
    checked.assert_only(&[]);
}

#[test]
fn a_list_of_guidance_ids_renders_one_link_each_in_a_list() {
    let (_site, out) = built();
    let html = page(&out, "playbooks/several-guidance");
    assert_eq!(nice_links(&html), ["HTE8", "HTE9"]);
    assert!(
        html.contains(
            "<dt>NICE guidance</dt><dd><ul><li><a href=\"https://www.nice.org.uk/guidance/HTE8\">"
        ),
        "several ids are a list inside the summary's <dd>"
    );
}

#[test]
fn a_version_1_single_id_renders_one_link() {
    let (_site, out) = built();
    let html = page(&out, "playbooks/one-guidance");
    assert_eq!(nice_links(&html), ["HTE13"]);
    assert!(html.contains("<dt>NICE guidance</dt><dd><a href=\"https://www.nice.org.uk/guidance/HTE13\"><span class=\"pb-visually-hidden\">NICE guidance </span>HTE13</a></dd>"));
    assert!(
        !html.contains("<h3>Commissioning</h3>"),
        "no commissioning part without the field"
    );
}

#[test]
fn commissioning_is_a_part_of_the_summary() {
    let (_site, out) = built();
    let html = page(&out, "playbooks/several-guidance");
    let start = html
        .find("<h3>Commissioning</h3>")
        .expect("a Commissioning heading");
    let glance_end = html[start..].find("</section>").expect("inside a section") + start;
    let part = &html[start..glance_end];
    for row in [
        "<dt>Funding</dt><dd>Integrated care board digital budget</dd>",
        "<dt>Annual cost</dt><dd>About £40,000 a year</dd>",
        "<dt>Contract ends</dt><dd>31 March 2027</dd>",
        "<dt>Procurement route</dt><dd>A national framework</dd>",
        "<dt>Data Security and Protection Toolkit</dt><dd>Standards met</dd>",
        "<dt>Medical device class</dt><dd>Class IIa</dd>",
    ] {
        assert!(part.contains(row), "{row} missing from:\n{part}");
    }
    assert!(part.contains("<dl class=\"pb-summary-list\">"));
    assert!(
        html[..start].contains("<h2 id=\"at-a-glance\">"),
        "it follows the at-a-glance heading"
    );
}

#[test]
fn playbooks_json_keeps_what_was_written() {
    let (_site, out) = built();
    let text = std::fs::read_to_string(out.path().join("playbooks.json")).expect("playbooks.json");
    let json: Value = serde_json::from_str(&text).expect("JSON");
    let by_url = |url: &str| -> Value {
        json["playbooks"]
            .as_array()
            .expect("a list")
            .iter()
            .find(|p| p["url"] == url)
            .map(|p| p["front_matter"].clone())
            .unwrap_or_else(|| panic!("{url} missing"))
    };
    let several = by_url("/playbooks/several-guidance/");
    assert_eq!(
        several["assurance"]["nice_guidance_id"],
        json!(["HTE8", "HTE9"])
    );
    assert_eq!(
        several["commissioning"],
        json!({
            "funding": "Integrated care board digital budget",
            "annual_cost": "About £40,000 a year",
            "contract_end": "2027-03-31",
            "procurement_route": "A national framework",
            "dspt": "standards-met",
            "device_class": "IIa",
        })
    );
    let one = by_url("/playbooks/one-guidance/");
    assert_eq!(one["assurance"]["nice_guidance_id"], json!("HTE13"));
    assert!(one.get("commissioning").is_none());
}

#[test]
fn a_guidance_id_that_is_not_letters_then_digits_is_refused_at_its_line() {
    let checked = check_fixture("guidance-id-list");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[
        (ERROR, "content/playbooks/in-a-list.md", 10, ""),
        (ERROR, "content/playbooks/one-string.md", 8, ""),
    ]);
    assert_eq!(
        checked.found[0].message,
        "`assurance.nice_guidance_id[1]` is not a NICE guidance id: `HTE 9`"
    );
    assert_eq!(
        checked.found[0].column, 7,
        "points at the item, not the list"
    );
    assert!(
        checked.found[0].help.ends_with("e.g. `HTE9`"),
        "{}",
        checked.found[0].help
    );
    assert_eq!(
        checked.found[1].message,
        "`assurance.nice_guidance_id` is not a NICE guidance id: `NICE guidance HTE13`"
    );
}

#[test]
fn commissioning_is_checked_like_any_other_object() {
    let checked = check_fixture("commissioning-errors");
    assert_eq!(checked.code, 1);
    let file = "content/playbooks/commissioning.md";
    checked.assert_only(&[
        (ERROR, file, 19, ""),
        (ERROR, file, 20, ""),
        (ERROR, file, 21, ""),
    ]);
    let messages: Vec<&str> = checked.found.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`commissioning.contract_end` is not a valid date: `2027-02-30`",
            "unknown field `procurment_route`",
            "`standards-meet` is not a valid value for `dspt`",
        ]
    );
    assert_eq!(checked.help_at(20), "did you mean `procurement_route`?");
    assert_eq!(
        checked.help_at(21),
        "did you mean `standards-met`? valid values: `standards-met`, `approaching-standards`, `standards-not-met`, `not-published`"
    );
    assert_eq!(checked.found[2].column, 9, "points at the value");
}

#[test]
fn only_a_published_tier_c_playbook_without_dtac_is_warned_about() {
    let expected = |severity| {
        vec![(
            severity,
            "content/playbooks/published-in-progress.md",
            9,
            "a published tier C technology has not passed DTAC",
        )]
    };
    let checked = check(&fixture("tier-c-dtac"), &[]);
    assert_eq!(checked.code, 0);
    checked.assert_only(&expected("warning"));
    assert_eq!(
        checked.found[0].message,
        "a published tier C technology has not passed DTAC"
    );
    let strict = check(&fixture("tier-c-dtac"), &["--strict"]);
    assert_eq!(strict.code, 1);
    strict.assert_only(&expected("error"));
}
