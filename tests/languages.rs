//! Sites in more than one language (`[languages.<code>]`): translations beside their
//! originals, merged onto them by id, built as a Welsh edition under `/cy/`, and every error a
//! translation can make, with its exact message, file and line.

mod common;

use std::fs;
use std::path::Path;

use common::{check, copy_fixture, fixture};

const WELSH: &str = "content/playbooks/remote.cy.md";

/// Replaces `from` with `to` in the file at `rel` under `root` (which must hold `from`).
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).expect("fixture file");
    assert!(text.contains(from), "{rel} holds {from:?}");
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_only_warning_is_the_missing_translation_and_strict_fails_on_it() {
    let checked = check(&fixture("bilingual"), &[]);
    assert_eq!(checked.code, 0);
    checked.assert_only(&[(
        "warning",
        "content/playbooks/untranslated.md",
        1,
        "this page has no Cymraeg translation (cy)",
    )]);
    assert_eq!(
        checked.help_at(1),
        "add content/playbooks/untranslated.cy.md; until then the English page is shown at its Cymraeg address with a notice"
    );
    let strict = check(&fixture("bilingual"), &["--strict"]);
    assert_ne!(strict.code, 0, "a missing translation fails under --strict");
}

#[test]
fn the_welsh_edition_is_under_cy_with_its_own_slug_bundle_files_and_lists() {
    let site = copy_fixture("bilingual");
    let out = common::build_to_temp(site.path());
    let out = out.path();
    for rel in [
        "cy/index.html",
        "cy/playbooks/monitro-o-bell/index.html",
        "cy/playbooks/monitro-o-bell/checklists.csv",
        "cy/playbooks/kit/index.html",
        "cy/playbooks/kit/pic.svg",
        "cy/playbooks/untranslated/index.html",
        "cy/guides/about/index.html",
        "cy/stages/referral/index.html",
        "cy/roles/gp/index.html",
        "cy/search/index.html",
        "cy/404.html",
        "cy/feed.xml",
        "search/index/manifest.json",
        "search/index/cy/manifest.json",
    ] {
        assert!(out.join(rel).is_file(), "{rel} was not built");
    }
    assert!(
        !out.join("cy/playbooks/remote").exists(),
        "the slug is used"
    );
    let page = read(out, "cy/playbooks/monitro-o-bell/index.html");
    for expected in [
        "<html lang=\"cy\"",
        "Monitro o bell",
        // Front matter: the translation's text over the original's ids and owners.
        "Hyfforddi'r nyrsys practis",
        "data-item=\"train-nurses\"",
        // Body task lists keep the original's item ids, so ticks are shared.
        "data-item=\"switch-the-service-on\"",
        "data-item=\"tell-the-first-patients\"",
        // Links stay in the Welsh edition; theme files are shared.
        "href=\"/cy/guides/about/#why\"",
        "href=\"/cy/playbooks/untranslated/\"",
        "href=\"/assets/playbook.css\"",
        // Vocabulary labels in Welsh.
        "Atgyfeirio",
        "Meddyg teulu",
    ] {
        assert!(page.contains(expected), "missing {expected:?}");
    }
    let kit = read(out, "cy/playbooks/kit/index.html");
    assert!(kit.contains("src=\"/cy/playbooks/kit/pic.svg\""), "{kit}");
    let home = read(out, "cy/index.html");
    assert!(
        home.contains("Croeso i&#x27;r safle prawf") || home.contains("Croeso i'r safle prawf")
    );
    let english = read(out, "playbooks/remote/index.html");
    assert!(english.contains("<html lang=\"en-GB\""));
    assert!(english.contains("data-item=\"switch-the-service-on\""));
}

#[test]
fn sitemap_feeds_json_and_search_are_per_language() {
    let site = copy_fixture("bilingual");
    let out = common::build_to_temp(site.path());
    let out = out.path();
    let sitemap = read(out, "sitemap.xml");
    for expected in [
        "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"",
        "<loc>https://example.org/playbooks/remote/</loc>",
        "<loc>https://example.org/cy/playbooks/monitro-o-bell/</loc>",
        "<xhtml:link rel=\"alternate\" hreflang=\"cy\" href=\"https://example.org/cy/playbooks/monitro-o-bell/\"/>",
        "<xhtml:link rel=\"alternate\" hreflang=\"en-GB\" href=\"https://example.org/playbooks/remote/\"/>",
        "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/playbooks/remote/\"/>",
    ] {
        assert!(sitemap.contains(expected), "sitemap lacks {expected}");
    }
    assert_eq!(
        sitemap
            .matches("<loc>https://example.org/cy/playbooks/monitro-o-bell/</loc>")
            .count(),
        1,
        "every URL once"
    );
    let feed = read(out, "cy/feed.xml");
    assert!(feed.contains("Monitro o bell"), "{feed}");
    assert!(feed.contains("https://example.org/cy/playbooks/monitro-o-bell/"));
    assert!(!read(out, "feed.xml").contains("Monitro o bell"));

    let json: serde_json::Value = serde_json::from_str(&read(out, "playbooks.json")).expect("JSON");
    let remote = json["playbooks"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["url"] == "/playbooks/remote/"))
        .expect("the English playbook");
    assert_eq!(
        remote["translations"],
        serde_json::json!([{
            "language": "cy",
            "title": "Monitro o bell",
            "url": "/cy/playbooks/monitro-o-bell/",
            "permalink": "https://example.org/cy/playbooks/monitro-o-bell/"
        }])
    );
    assert_eq!(
        json["playbooks"].as_array().map(Vec::len),
        Some(3),
        "playbooks.json lists the original playbooks"
    );

    // Each index holds its own language's pages; Welsh words fold (ŵ → w).
    let welsh_terms = read(out, "search/index/cy/terms/0.json");
    let english_terms = read(out, "search/index/terms/0.json");
    assert!(welsh_terms.contains("\"wyl\""), "ŵyl is folded to wyl");
    assert!(welsh_terms.contains("\"gydweithio\""));
    assert!(!english_terms.contains("\"gydweithio\""));
    let welsh_pages = read(out, "search/index/cy/pages/0.json");
    assert!(welsh_pages.contains("/playbooks/monitro-o-bell/"));
    assert!(
        !welsh_pages.contains("/playbooks/untranslated/"),
        "the untranslated page is not in the Welsh index"
    );
}

#[test]
fn missing_omit_builds_nothing_and_links_go_to_the_english_page() {
    let site = copy_fixture("bilingual");
    edit(
        site.path(),
        "site.toml",
        "missing = \"notice\"",
        "missing = \"omit\"",
    );
    let checked = check(site.path(), &[]);
    assert_eq!(checked.code, 0);
    assert_eq!(
        checked.help_at(1),
        "add content/playbooks/untranslated.cy.md; until then links from Cymraeg pages go to the English page"
    );
    let out = common::build_to_temp(site.path());
    assert!(!out.path().join("cy/playbooks/untranslated").exists());
    let page = read(out.path(), "cy/playbooks/monitro-o-bell/index.html");
    assert!(page.contains("href=\"/playbooks/untranslated/\""), "{page}");
}

#[test]
fn a_translation_may_change_only_text() {
    let site = copy_fixture("bilingual");
    edit(
        site.path(),
        WELSH,
        "      - id: agree-alerts\n        text: \"Cytuno pwy sy'n ateb rhybuddion\"\n",
        "      - id: agree-alerts\n        text: \"Cytuno pwy sy'n ateb rhybuddion\"\n        owner: practice-nurse\n      - id: new-item\n        text: \"Newydd\"\n",
    );
    edit(
        site.path(),
        WELSH,
        "slug: monitro-o-bell\n",
        "slug: monitro-o-bell\naudiences: [gp]\n",
    );
    let checked = check(site.path(), &[]);
    assert_ne!(checked.code, 0);
    checked.assert_only(&[
        (
            "error",
            WELSH,
            5,
            "`audiences` may not differ from the original",
        ),
        (
            "error",
            WELSH,
            14,
            "`checklists.items.owner` may not differ from the original",
        ),
        ("error", WELSH, 15, "item `new-item` is not in the original"),
        (
            "warning",
            "content/playbooks/untranslated.md",
            1,
            "no Cymraeg translation",
        ),
    ]);
}

#[test]
fn a_translation_without_an_original_is_an_error() {
    let site = copy_fixture("bilingual");
    fs::write(
        site.path().join("content/guides/orphan.cy.md"),
        "---\ntitle: \"Amddifad\"\n---\n\nTestun.\n",
    )
    .expect("write");
    let checked = check(site.path(), &[]);
    assert_ne!(checked.code, 0);
    assert!(
        checked.found.iter().any(|f| {
            f.file == "content/guides/orphan.cy.md"
                && f.line == 1
                && f.message
                    == "this translation has no original: `content/guides/orphan.md` does not exist"
        }),
        "{:?}",
        checked.found
    );
}

#[test]
fn a_translation_reviewed_before_its_original_is_a_warning() {
    let site = copy_fixture("bilingual");
    edit(
        site.path(),
        "content/playbooks/kit/index.cy.md",
        "last_reviewed: 2026-11-01",
        "last_reviewed: 2026-09-01",
    );
    let checked = check(site.path(), &[]);
    assert_eq!(checked.code, 0);
    assert!(
        checked.found.iter().any(|f| f.file == "content/playbooks/kit/index.cy.md"
            && f.line == 3
            && f.severity == "warning"
            && f.message
                == "the English page was reviewed on 2026-10-01, after this translation (2026-09-01): check it still says the same"),
        "{:?}",
        checked.found
    );
}

#[test]
fn a_label_left_out_is_a_warning_at_the_language() {
    let site = copy_fixture("bilingual");
    edit(site.path(), "site.toml", "monitoring = \"Monitro\"\n", "");
    let checked = check(site.path(), &[]);
    assert!(
        checked.found.iter().any(|f| f.file == "site.toml"
            && f.line == 21
            && f.message == "1 id of the stages has no label in `cy`: monitoring"),
        "{:?}",
        checked.found
    );
}

#[test]
fn a_translation_needs_its_own_title() {
    let site = copy_fixture("bilingual");
    fs::write(
        site.path().join("content/guides/about.cy.md"),
        "---\nsummary: \"Heb deitl\"\n---\n\nTestun.\n",
    )
    .expect("write");
    let checked = check(site.path(), &[]);
    assert_ne!(checked.code, 0);
    assert!(
        checked
            .found
            .iter()
            .any(|f| f.file == "content/guides/about.cy.md"
                && f.line == 2
                && f.message == "a translation needs its own `title`"),
        "{:?}",
        checked.found
    );
}

#[test]
fn a_file_named_like_a_translation_into_a_language_the_site_lacks_is_left_out_with_a_warning() {
    let site = copy_fixture("minimal");
    fs::copy(
        site.path().join("content/guides/a-guide.md"),
        site.path().join("content/guides/a-guide.fr.md"),
    )
    .expect("copy");
    let checked = check(site.path(), &[]);
    assert_eq!(checked.code, 0);
    checked.assert_only(&[(
        "warning",
        "content/guides/a-guide.fr.md",
        1,
        "`a-guide.fr.md` is named like a translation into `fr`, but site.toml has no [languages.fr]: it is left out",
    )]);
}
