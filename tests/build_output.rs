//! What `build` writes for the `valid` fixture, a small site that uses every part of the format:
//! every front matter field shown, checklists keyed for saved progress, retired and draft pages,
//! bundles, slugs, copied and ignored files, and a failed build that leaves the old site alone.

mod common;

use std::path::{Path, PathBuf};

use common::{check, copy_fixture, fixture, playbook, snapshot_dir};

/// Builds a copy of fixture `name` into `<tmp>/public` with `extra` arguments.
fn build(name: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let site = copy_fixture(name);
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let run = playbook(site.path(), &args);
    assert_eq!(run.code, 0, "build {name} failed:\n{}", run.stderr);
    let out = site.path().join("public");
    (site, out)
}

fn read(out: &Path, page: &str) -> String {
    std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// The `<section …data-checklist="id"…>` element, up to its `</section>`.
fn checklist_section<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("data-checklist=\"{id}\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} in the page"));
    let start = html[..at].rfind("<section").expect("a <section> holds it");
    let end = at + html[at..].find("</section>").expect("closed") + "</section>".len();
    &html[start..end]
}

#[test]
fn the_valid_site_passes_check_strict_with_no_diagnostic() {
    let checked = check(&fixture("valid"), &["--strict"]);
    assert_eq!(checked.code, 0);
    checked.assert_only(&[]);
}

#[test]
fn the_summary_line_counts_pages_playbooks_and_checklists() {
    let site = copy_fixture("valid");
    let run = playbook(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.stderr.lines().last().unwrap_or("");
    // Three built playbooks (the draft is left out); two front matter checklists, two task lists.
    assert!(summary.starts_with("Built "), "{summary}");
    assert!(summary.contains("(3 playbooks, 4 checklists)"), "{summary}");
}

#[test]
fn every_front_matter_field_of_a_playbook_is_shown() {
    let (_site, out) = build("valid", &[]);
    let html = read(&out, "playbooks/home-blood-pressure/index.html");
    let shown = [
        // title, summary, technology
        "<h1>Home blood pressure monitoring</h1>",
        "Patients measure their blood pressure at home and send readings to the practice.",
        "PressureLink",
        "Remote monitoring",
        "PressureLink Supplies Ltd",
        // assurance
        "<dt>DTAC</dt><dd>Passed</dd>",
        "Tier B",
        "Conditionally recommended",
        "HTE99",
        "<dt>Clinical safety case (DCB0160)</dt><dd>Complete</dd>",
        "<dt>Data protection impact assessment</dt><dd>In progress</dd>",
        // owners, status, review dates
        "Dr Ada Okafor (GP): ada.okafor@example.nhs.uk",
        "Ben Price (Digital lead)",
        "<span class=\"pb-tag pb-tag--published\">Published</span>",
        "Page last reviewed: <time datetime=\"2026-10-01\">1 October 2026</time>",
        "Next review due: <time datetime=\"2027-04-01\">1 April 2027</time>",
        // maturity
        "Developing",
        "Wi-Fi in clinic rooms",
        "EPR able to receive PDF reports",
        // pathway
        "Hypertension",
        "<a href=\"/settings/primary-care/\">Primary care</a>",
        "<a href=\"/settings/community/\">Community services</a>",
        "This playbook sits at Referral and Monitoring.</desc>",
        "The practice nurse offers it at the annual review.",
        "Back to usual care once blood pressure is at target.",
        "Readings taken in clinic.",
        "<dt>Who refers</dt><dd>GP, Practice nurse</dd>",
        "Adults with hypertension",
        "People in atrial fibrillation",
        "Readings above 180/120 go to the duty GP the same day.",
        "Readings taken by a healthcare assistant in clinic.",
        // audiences
        "<a href=\"/roles/ig-lead/\">Information governance lead</a>",
        "<a href=\"/roles/patient/\">Patient</a>",
        // training
        "<a href=\"https://learning.example.nhs.uk/pressurelink\">Using the PressureLink dashboard</a>",
        "Reviewing readings safely",
        "E-learning",
        "Workshop",
        "<td>30</td>",
        "<td>90</td>",
        "<td>Prepare</td>",
        "<td>Pilot</td>",
        "every 12 months",
        "<td>Using the PressureLink dashboard</td>",
        // champions
        "<h3>Practice nurse <span class=\"pb-secondary\">(2 needed)</span></h3>",
        "Show colleagues how to enrol a patient",
        "One hour a week for three months",
        "Ask the practice manager",
        "Protected time and a peer network",
        // checklists and their items
        "data-phase-heading=\"prepare\">Prepare</h3>",
        "data-phase-heading=\"sustain\">Sustain</h3>",
        "Before go-live",
        "First month",
        "Sign the <strong>DPIA</strong>",
        "Owner: <a href=\"/roles/ig-lead/\">Information governance lead</a>",
        "NPT mechanism: Coherence",
        "Implementation factor: Safety and equity",
        "Due: 4 weeks before go-live",
        "<a href=\"/guides/reading-list/\">Evidence</a>",
        // strategies, metrics, risks
        "<dt>Audit and feedback</dt><dd>Monthly report of readings reviewed on time.</dd>",
        "<td>Reach</td><td>Share of eligible patients enrolled</td><td>0%</td><td>40%</td><td>EPR search</td><td>Monthly</td>",
        "<td>Readings are not reviewed</td><td><span class=\"pb-tag pb-tag--grey\">Safety</span></td><td>A daily task list for the duty GP</td><td>GP</td>",
        "People without a smartphone are left out",
        // version and tags
        "<dt>Version</dt><dd>1.2</dd>",
        "<a class=\"pb-tag\" href=\"/tags/hypertension/\">hypertension</a>",
        "<a class=\"pb-tag\" href=\"/tags/home-monitoring/\">Home monitoring</a>",
    ];
    let missing: Vec<&str> = shown
        .iter()
        .copied()
        .filter(|s| !html.contains(s))
        .collect();
    assert!(missing.is_empty(), "not shown: {missing:#?}");
    assert_eq!(html.matches("<h1").count(), 1);
}

#[test]
fn the_training_plan_is_one_table_of_modules_then_each_roles_share() {
    let (_site, out) = build("valid", &[]);
    let html = read(&out, "playbooks/home-blood-pressure/index.html");
    let start = html.find("<h2 id=\"training\">").expect("a training plan");
    let training = &html[start..start + html[start..].find("</section>").unwrap()];
    assert_eq!(training.matches("<table").count(), 1, "{training}");
    // Every module once, in the order to take it, with its roles, format, minutes, phase,
    // refresher and prerequisites.
    let rows: Vec<&str> = training.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 2, "{training}");
    assert!(rows[0].starts_with(
        "<td>1</td><th scope=\"row\"><a href=\"https://learning.example.nhs.uk/pressurelink\">Using the PressureLink dashboard</a></th><td>Practice nurse</td><td>E-learning</td><td>30</td><td>Prepare</td><td>every 12 months</td><td>–</td></tr>"
    ), "{}", rows[0]);
    assert!(rows[1].starts_with(
        "<td>2</td><th scope=\"row\">Reviewing readings safely</th><td>GP, Practice nurse</td><td>Workshop</td><td>90</td><td>Pilot</td><td>none</td><td>Using the PressureLink dashboard</td></tr>"
    ), "{}", rows[1]);
    for module in [
        "Using the PressureLink dashboard</a></th>",
        "Reviewing readings safely</th>",
    ] {
        assert_eq!(training.matches(module).count(), 1, "{module}");
    }
    // Then every role that trains, in the order of the audiences, with its modules and total.
    let by_role = &training[training.find("<h3>By role</h3>").expect("a by-role list")..];
    let gp = by_role
        .find("<dt>GP</dt><dd>Module 2 (1 hour 30 minutes in total)</dd>")
        .expect("GP's share");
    let nurse = by_role
        .find("<dt>Practice nurse</dt><dd>Modules 1 and 2 (2 hours in total)</dd>")
        .expect("the practice nurse's share");
    assert!(gp < nurse);
    assert_eq!(by_role.matches("<dt>").count(), 2, "{by_role}");
}

#[test]
fn every_checklist_item_is_a_checkbox_keyed_by_playbook_checklist_and_item() {
    let (_site, out) = build("valid", &[]);
    let html = read(&out, "playbooks/home-blood-pressure/index.html");
    let playbook_at = html
        .find("data-playbook=\"/playbooks/home-blood-pressure/\"")
        .expect("an element names the playbook URL");
    let closes_at = html[playbook_at..]
        .find("</article>")
        .map(|i| i + playbook_at)
        .expect("the element closes");
    let checklists = [
        // Front matter checklists, then the body's task lists under "## On the day" and
        // "## First month" (whose id is taken by a front matter checklist, hence `-1`).
        ("before-go-live", vec!["sign-dpia", "train-nurses"]),
        ("first-month", vec!["audit-readings"]),
        (
            "on-the-day",
            vec!["check-the-cuff-size", "book-the-follow-up-call"],
        ),
        (
            "first-month-1",
            vec!["ring-every-patient-after-their-first-week"],
        ),
    ];
    for (id, items) in &checklists {
        let section = checklist_section(&html, id);
        let at = html.find(section).unwrap();
        assert!(
            playbook_at < at && at < closes_at,
            "checklist {id} is inside the data-playbook element"
        );
        assert_eq!(
            section.matches("type=\"checkbox\"").count(),
            items.len(),
            "{section}"
        );
        for item in items {
            // The DOM id is short and only ties the label to the box; `data-item` is the key.
            let input = format!("\" data-item=\"{item}\"");
            let at = section
                .find(&input)
                .unwrap_or_else(|| panic!("item {item} of {id}: {section}"));
            let open = section[..at]
                .rfind("<input type=\"checkbox\" id=\"")
                .expect("the item is a checkbox");
            let input_id = &section[open..at].rsplit('"').next().unwrap();
            assert!(input_id.len() <= 12, "a short id: {input_id}");
            assert!(
                section[at..].contains(&format!("<label for=\"{input_id}\">")),
                "label of {item}"
            );
            assert_eq!(html.matches(&format!("id=\"{input_id}\"")).count(), 1);
        }
    }
    assert_eq!(html.matches("type=\"checkbox\"").count(), 6);
    let mut ids: Vec<&str> = html
        .split("data-checklist=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "before-go-live",
            "first-month",
            "first-month-1",
            "on-the-day"
        ],
        "each checklist id once on the page"
    );
    assert!(
        html.contains("id=\"checklist-first-month\""),
        "the anchor the body links to exists"
    );
    assert!(
        html.contains("data-item=\"book-the-follow-up-call\" checked>"),
        "`- [x]` starts ticked"
    );
}

#[test]
fn retired_pages_are_built_with_a_banner_but_appear_in_no_list() {
    let (_site, out) = build("valid", &[]);
    let page = read(&out, "playbooks/retired-pilot/index.html");
    assert!(page.contains("pb-banner--retired"), "{page}");
    assert!(page.contains("<strong>Retired:</strong>"));
    for list in [
        "index.html",
        "playbooks/index.html",
        "stages/referral/index.html",
        "settings/primary-care/index.html",
        "roles/gp/index.html",
    ] {
        let html = read(&out, list);
        assert!(
            !html.contains("/playbooks/retired-pilot/"),
            "{list} lists the retired playbook"
        );
    }
    // The published playbooks are listed, so the lists above are not empty by accident.
    assert!(read(&out, "playbooks/index.html").contains("/playbooks/home-blood-pressure/"));
    assert!(read(&out, "roles/gp/index.html").contains("/playbooks/home-blood-pressure/"));
}

#[test]
fn drafts_are_built_only_with_drafts_and_then_listed_nowhere() {
    let (_site, out) = build("valid", &[]);
    assert!(!out.join("playbooks/next-version").exists());
    for (path, bytes) in snapshot_dir(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("next-version") && !text.contains("Next version draft"),
            "{path} mentions the draft"
        );
    }

    let (_site, out) = build("valid", &["--drafts"]);
    let page = read(&out, "playbooks/next-version/index.html");
    assert!(page.contains("<strong>Draft:</strong>"), "{page}");
    for list in ["index.html", "playbooks/index.html", "roles/gp/index.html"] {
        assert!(
            !read(&out, list).contains("/playbooks/next-version/"),
            "{list} lists the draft"
        );
    }
}

#[test]
fn files_and_folders_starting_with_a_dot_or_underscore_are_ignored() {
    // content/_private/secret.md and content/_notes.md have front matter that would fail if
    // parsed; the valid site passing check shows they were not.
    let (_site, out) = build("valid", &[]);
    let written: Vec<String> = snapshot_dir(&out).into_keys().collect();
    for ignored in [
        "_private",
        "secret",
        "_notes",
        "editor-backup",
        "_unused",
        ".hidden",
    ] {
        assert!(
            written.iter().all(|p| !p.contains(ignored)),
            "{ignored} was copied: {written:#?}"
        );
    }
}

#[test]
fn other_files_are_copied_to_the_same_relative_path() {
    let (site, out) = build("valid", &[]);
    assert_eq!(
        std::fs::read(out.join("downloads/template.pdf")).unwrap(),
        std::fs::read(site.path().join("content/downloads/template.pdf")).unwrap()
    );
    let html = read(&out, "playbooks/home-blood-pressure/index.html");
    assert!(html.contains("<a href=\"/downloads/template.pdf\">consent template</a>"));
}

#[test]
fn a_page_bundle_is_built_at_its_folder_with_its_image_beside_it() {
    let (site, out) = build("valid", &[]);
    let html = read(&out, "playbooks/wound-photos/index.html");
    assert!(
        html.contains(
            "<img src=\"/playbooks/wound-photos/pathway.png\" alt=\"The wound care pathway\""
        ),
        "{html}"
    );
    assert_eq!(
        std::fs::read(out.join("playbooks/wound-photos/pathway.png")).unwrap(),
        std::fs::read(
            site.path()
                .join("content/playbooks/wound-photos/pathway.png")
        )
        .unwrap()
    );
    // Linked from another page by its file path, it resolves to the bundle's URL.
    assert!(read(&out, "playbooks/home-blood-pressure/index.html")
        .contains("<a href=\"/playbooks/wound-photos/pathway.png\">pathway picture</a>"));
}

#[test]
fn slug_replaces_the_last_segment_of_the_url() {
    let (_site, out) = build("valid", &[]);
    assert!(out.join("guides/new-name/index.html").is_file());
    assert!(!out.join("guides/old-name").exists());
    assert!(read(&out, "guides/reading-list/index.html")
        .contains("<a href=\"/guides/new-name/\">renamed guide</a>"));
}

#[test]
fn links_to_index_md_resolve_to_the_section_url() {
    let (_site, out) = build("valid", &[]);
    assert!(read(&out, "index.html").contains("<a href=\"/playbooks/\">playbooks</a>"));
    assert!(read(&out, "playbooks/home-blood-pressure/index.html")
        .contains("<a href=\"/guides/\">guides</a>"));
}

#[test]
fn a_guide_without_front_matter_takes_its_title_from_its_heading() {
    let (_site, out) = build("valid", &[]);
    let html = read(&out, "guides/reading-list/index.html");
    assert!(
        html.contains("<title>Reading list – Fixture playbooks</title>"),
        "{html}"
    );
    assert_eq!(html.matches("<h1").count(), 1, "one <h1>: {html}");
    assert!(html.contains("<h1>Reading list</h1>"));
    assert!(html.contains("<h2 id=\"before-you-start\">Before you start</h2>"));
}

#[test]
fn files_with_a_byte_order_mark_and_crlf_line_endings_build() {
    let (_site, out) = build("bom-crlf", &[]);
    let guide = read(&out, "guides/windows-guide/index.html");
    assert!(guide.contains("<h1>Saved on Windows</h1>"), "{guide}");
    assert_eq!(guide.matches("<h1").count(), 1);
    let playbook = read(&out, "playbooks/windows/index.html");
    assert!(playbook.contains("<h1>Minimal playbook</h1>"));
    assert!(playbook.contains("data-item=\"check-the-cuff-size\""));
    assert!(
        !playbook.contains('\u{feff}'),
        "the BOM is not copied into the page"
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_under_content_are_skipped_with_a_warning() {
    // Git and some editors handle links badly, so they are made here in a copy of a valid site.
    let site = copy_fixture("minimal");
    let content = site.path().join("content");
    std::os::unix::fs::symlink("../playbooks/minimal.md", content.join("guides/linked.md"))
        .unwrap();
    std::os::unix::fs::symlink("playbooks", content.join("linked-folder")).unwrap();

    let checked = check(site.path(), &[]);
    assert_eq!(checked.code, 0, "a warning does not fail the build");
    checked.assert_only(&[
        (
            "warning",
            "content/guides/linked.md",
            1,
            "symbolic link skipped",
        ),
        (
            "warning",
            "content/linked-folder",
            1,
            "symbolic link skipped",
        ),
    ]);

    let run = playbook(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written: Vec<String> = snapshot_dir(&site.path().join("public"))
        .into_keys()
        .collect();
    assert!(written.contains(&"playbooks/minimal/index.html".to_string()));
    assert!(
        written.iter().all(|p| !p.contains("linked")),
        "{written:#?}"
    );

    let strict = playbook(site.path(), &["build", "--strict"]);
    assert_eq!(strict.code, 1, "under --strict the warning fails the build");
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let site = copy_fixture("valid");
    let out = site.path().join("public");
    let first = playbook(site.path(), &["build"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = snapshot_dir(&out);
    assert!(before.contains_key("playbooks/home-blood-pressure/index.html"));

    // Break one page (an unknown key) and change another, so a partial write would show.
    let broken = site.path().join("content/playbooks/wound-photos/index.md");
    let text = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, text.replacen("title:", "titel: x\ntitle:", 1)).unwrap();
    let guide = site.path().join("content/guides/old-name.md");
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(&guide, text.replace("Renamed guide", "Changed title")).unwrap();

    let failed = playbook(site.path(), &["build"]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("unknown field `titel`"),
        "{}",
        failed.stderr
    );
    assert!(snapshot_dir(&out) == before, "the output changed");

    // A failure under --strict (a review date that has passed: a warning) keeps it too.
    let text = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, text.replacen("titel: x\n", "", 1)).unwrap();
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(
        &guide,
        text.replacen("slug:", "next_review_due: 2026-01-01\nslug:", 1),
    )
    .unwrap();
    let strict = playbook(site.path(), &["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(strict.stderr.contains("has passed"), "{}", strict.stderr);
    assert!(
        snapshot_dir(&out) == before,
        "the output changed under --strict"
    );

    // Nothing is left beside the output folder (no staging or backup folders).
    let beside: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("public"))
        .collect();
    assert_eq!(beside, ["public"]);
}
