//! Checklists in the published site: the page markup the browser script and saved progress rely
//! on (site-output.md, "Checklists in the page"), checklists.csv, and the role views that gather
//! each role's training and checklist items. Runs the real binary on tests/fixtures/checklists.

mod common;

use std::collections::HashSet;
use std::path::Path;

/// Builds the checklist fixture and returns (temp dir, output folder).
fn build() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let run = common::playbook(
        &common::fixture("checklists"),
        &["build", "--output", out.to_str().expect("utf-8 path")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    (dir, out)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every start tag `<name …>` in `html`, as its text.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    html.match_indices(&open)
        .map(|(at, _)| {
            let end = html[at..].find('>').map_or(html.len(), |e| at + e + 1);
            &html[at..end]
        })
        .collect()
}

/// The value of `attr` in a start tag.
fn attr<'a>(tag: &'a str, attr: &str) -> Option<&'a str> {
    let key = format!(" {attr}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Checkbox inputs: (DOM id, data-item).
fn checkboxes(html: &str) -> Vec<(String, String)> {
    tags(html, "input")
        .into_iter()
        .filter(|t| attr(t, "type") == Some("checkbox"))
        .map(|t| {
            (
                attr(t, "id").unwrap_or_default().to_string(),
                attr(t, "data-item").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// `data-checklist` values of the `<section>` elements, in page order.
fn checklist_ids(html: &str) -> Vec<String> {
    tags(html, "section")
        .into_iter()
        .filter_map(|t| attr(t, "data-checklist").map(String::from))
        .collect()
}

/// One front matter item's `<li>`, meta list included: from the `<li` that opens the item (its box
/// is the item's first child) to the end of its meta list.
fn item_block<'a>(html: &'a str, item: &str) -> &'a str {
    const END: &str = "</ul></li>";
    let at = html
        .find(&format!("data-item=\"{item}\""))
        .unwrap_or_else(|| panic!("no item `{item}`"));
    let start = html[..at].rfind("<li").expect("item start");
    assert!(
        !html[start..at].contains("</li>"),
        "the box is not in the item's own <li>"
    );
    let end = html[at..]
        .find(END)
        .map_or(html.len(), |e| at + e + END.len());
    &html[start..end]
}

fn assert_unique_ids(html: &str) {
    let mut seen = HashSet::new();
    for (at, _) in html.match_indices(" id=\"") {
        let rest = &html[at + 5..];
        let id = &rest[..rest.find('"').unwrap_or(0)];
        assert!(seen.insert(id.to_string()), "duplicate id `{id}`");
    }
}

/// The text of `html` from the element holding `marker` to the end of that element's tag name.
fn element_containing<'a>(html: &'a str, marker: &str, tag: &str) -> &'a str {
    let at = html.find(marker).unwrap_or_else(|| panic!("no `{marker}`"));
    let start = html[..at].rfind(&format!("<{tag}")).expect("opening tag");
    let end = at + html[at..].find(&format!("</{tag}>")).expect("closing tag");
    &html[start..end]
}

#[test]
fn front_matter_and_body_checklists_render_as_real_checkboxes_with_labels() {
    let (_dir, out) = build();
    let html = read(&out, "playbooks/alpha/index.html");
    let article = element_containing(&html, "data-playbook=\"/playbooks/alpha/\"", "article");

    // 8 front matter items and 4 body items, all inside the playbook's element.
    let boxes = checkboxes(article);
    assert_eq!(boxes.len(), 12, "{boxes:?}");
    assert_eq!(checkboxes(&html).len(), 12);
    for (id, item) in &boxes {
        assert!(!id.is_empty() && !item.is_empty(), "{id} {item}");
        assert!(
            html.contains(&format!("<label for=\"{id}\">")),
            "no label for {id}"
        );
    }
    let items: Vec<&str> = boxes.iter().map(|(_, item)| item.as_str()).collect();
    assert_eq!(
        items,
        [
            "read-the-guide",
            "book-a-room",
            "nested-step",
            "print-the-posters",
            "dpia",
            "train-nurses",
            "wifi",
            "pilot-patients",
            "switch-on",
            "first-referrals",
            "second-site",
            "audit",
        ]
    );
    assert_unique_ids(&html);

    // Body task lists come first (in the text); front matter ones are grouped by phase in order,
    // whatever order the file wrote them in. A body list never takes a front matter list's id.
    assert_eq!(
        checklist_ids(article),
        [
            "before-you-start",
            "prepare-the-practice-1",
            "prepare-the-practice",
            "pilot-week",
            "go-live-day",
            "scale-up",
            "keep-going",
        ]
    );
    let phase_at = |phase: &str| {
        html.find(&format!("data-phase-heading=\"{phase}\""))
            .unwrap_or_else(|| panic!("no {phase} heading"))
    };
    let order: Vec<usize> = ["prepare", "pilot", "go-live", "scale", "sustain"]
        .iter()
        .map(|p| phase_at(p))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(html.contains("<section class=\"pb-checklist\" id=\"checklist-prepare-the-practice\" data-checklist=\"prepare-the-practice\" data-phase=\"prepare\""));

    // A written `- [x]` starts ticked; nothing else does.
    let checked: Vec<&str> = tags(&html, "input")
        .into_iter()
        .filter(|t| t.contains(" checked"))
        .filter_map(|t| attr(t, "data-item"))
        .collect();
    assert_eq!(checked, ["book-a-room"]);
}

#[test]
fn each_item_shows_owner_mechanism_factor_due_and_evidence() {
    let (_dir, out) = build();
    let html = read(&out, "playbooks/alpha/index.html");
    let dpia = item_block(&html, "dpia");
    for shown in [
        "Sign the <strong>DPIA</strong>",
        "Owner: <a href=\"/roles/ig-lead/\">Information governance lead</a>",
        "Due: 4 weeks before go-live",
        "NPT mechanism: Coherence",
        "Implementation factor: Safety and equity",
        "<a href=\"/guides/how/#signing\">Evidence</a>",
    ] {
        assert!(dpia.contains(shown), "missing `{shown}` in {dpia}");
    }
    assert!(html.contains("Train \"super users\", then everyone else</label>"));
    // An item without an owner has no owner line (the owner filter reads the owner from it).
    let wifi = item_block(&html, "wifi");
    assert!(
        !wifi.contains("/roles/") && !wifi.contains("Owner:"),
        "{wifi}"
    );
}

#[test]
fn the_page_without_javascript_is_a_plain_printable_checklist() {
    let (_dir, out) = build();
    let html = read(&out, "playbooks/alpha/index.html");
    // Controls are the script's to add: the page itself has none.
    assert!(!html.contains("<button") && !html.contains("<select") && !html.contains("<progress"));
    assert!(html.contains("<p class=\"pb-progress-total\" data-progress-total hidden></p>"));
    // The print stylesheet is linked for print only, and the page says where it came from.
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/assets/print.css\" media=\"print\">"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/assets/checklists.css\">"));
    assert!(html.contains(
        "Checklists from https://playbooks.example.nhs.uk/playbooks/alpha/ · version 2.3 · page last reviewed 1 October 2026 · next review due 1 April 2027"
    ));
    assert!(html.contains("href=\"/playbooks/alpha/checklists.csv\""));
    for asset in [
        "assets/checklists.js",
        "assets/checklists.css",
        "assets/print.css",
    ] {
        assert!(out.join(asset).is_file(), "missing {asset}");
    }
    let script = read(&out, "assets/checklists.js");
    // 10,000 until its messages could be in the page's language: it now carries its English
    // messages as a table (1,100 bytes) that a page in another language replaces, since an
    // English page, unchanged, cannot hand them to it.
    assert!(
        script.len() < 11_500,
        "checklists.js is {} bytes",
        script.len()
    );
    assert!(!script.contains("innerHTML") && !script.contains("insertAdjacentHTML"));
}

#[test]
fn checklists_csv_has_the_spec_columns_one_row_per_item_and_proper_quoting() {
    let (_dir, out) = build();
    let raw = read(&out, "playbooks/alpha/checklists.csv");
    assert!(raw.starts_with("checklist,phase,item id,text,owner,NPT mechanism,factor,due\r\n"));
    assert!(raw.contains(
        "prepare-the-practice,prepare,train-nurses,\"Train \"\"super users\"\", then everyone else\",practice-nurse,collective-action,skills-and-knowledge,\"2 weeks before go-live, at the latest\"\r\n"
    ), "{raw}");

    let mut reader = csv::Reader::from_reader(raw.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("valid CSV")).collect();
    assert_eq!(rows.len(), 12);
    assert!(rows.iter().all(|r| r.len() == 8));
    let keys: Vec<(&str, &str, &str)> = rows.iter().map(|r| (&r[0], &r[1], &r[2])).collect();
    assert_eq!(
        keys[..4],
        [
            ("prepare-the-practice", "prepare", "dpia"),
            ("prepare-the-practice", "prepare", "train-nurses"),
            ("prepare-the-practice", "prepare", "wifi"),
            ("pilot-week", "pilot", "pilot-patients"),
        ]
    );
    assert_eq!(keys[7], ("keep-going", "sustain", "audit"));
    // Body task lists: no phase, owner, mechanism, factor or due.
    assert_eq!(
        keys[8..],
        [
            ("before-you-start", "", "read-the-guide"),
            ("before-you-start", "", "book-a-room"),
            ("before-you-start", "", "nested-step"),
            ("prepare-the-practice-1", "", "print-the-posters"),
        ]
    );
    assert!(rows[8..]
        .iter()
        .all(|r| r.iter().skip(4).all(str::is_empty)));
    let dpia = &rows[0];
    assert_eq!(
        dpia.iter().collect::<Vec<_>>(),
        [
            "prepare-the-practice",
            "prepare",
            "dpia",
            "Sign the DPIA",
            "ig-lead",
            "coherence",
            "safety-and-equity",
            "4 weeks before go-live"
        ]
    );
    assert_eq!(&rows[1][3], "Train \"super users\", then everyone else");

    // Every built playbook has one (retired ones build at their URL); drafts and guides do not.
    assert!(out.join("playbooks/beta/checklists.csv").is_file());
    assert!(out.join("playbooks/gamma-retired/checklists.csv").is_file());
    assert!(!out.join("playbooks/delta-draft").exists());
    assert!(!out.join("guides/how/checklists.csv").exists());
}

#[test]
fn a_role_view_gathers_the_roles_training_and_items_from_published_playbooks() {
    let (_dir, out) = build();
    let html = read(&out, "roles/gp/index.html");
    assert_unique_ids(&html);
    assert_eq!(html.matches("<h1>").count(), 1);

    // The playbook list is still there (audiences include the role; retired ones are not).
    assert!(html.contains("<a href=\"/playbooks/alpha/\">Alpha remote monitoring</a>"));
    assert!(html.contains("<a href=\"/playbooks/beta/\">Beta decision support</a>"));
    assert!(!html.contains("Gamma") && !html.contains("Delta"));

    // Training: the role's modules only, numbered in the order this role takes them.
    for shown in [
        "Alpha basics",
        "Reading the monthly report",
        "Beta introduction",
        "every 12 months",
        "every 6 months",
        "E-learning",
        "Workshop",
    ] {
        assert!(html.contains(shown), "missing {shown}");
    }
    assert!(!html.contains("Responding to alerts"));
    assert!(html.contains("<p>3 modules, 105 minutes in total.</p>"));

    // Items: the ones the role owns, under their playbook's URL and checklist id, so a tick
    // here is the same saved tick as on the playbook page.
    let alpha = element_containing(&html, "data-playbook=\"/playbooks/alpha/\"", "div");
    let beta = element_containing(&html, "data-playbook=\"/playbooks/beta/\"", "div");
    let items = |part: &str| -> Vec<String> {
        checkboxes(part).into_iter().map(|(_, item)| item).collect()
    };
    assert_eq!(items(alpha), ["switch-on", "audit"]);
    assert_eq!(checklist_ids(alpha), ["go-live-day", "keep-going"]);
    assert_eq!(items(beta), ["agree-pathway"]);
    assert_eq!(checklist_ids(beta), ["set-up"]);
    assert_eq!(checkboxes(&html).len(), 3);
    assert!(html.find("/playbooks/alpha/\"").unwrap() < html.find("/playbooks/beta/\"").unwrap());
    assert!(
        alpha.contains("Due: Go-live day")
            && alpha.contains("NPT mechanism: Cognitive participation")
    );
}

#[test]
fn a_role_with_no_training_or_items_says_so() {
    let (_dir, out) = build();
    let html = read(&out, "roles/ig-lead/index.html");
    assert!(html.contains("No published playbook has training for this role yet."));
    assert_eq!(checkboxes(&html).len(), 1, "the DPIA item");
    let nobody = read(&out, "roles/digital-lead/index.html");
    assert_eq!(checkboxes(&nobody).len(), 2, "scale-up and install");
}
