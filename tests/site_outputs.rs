//! Every URL and file that `site-output.md` lists, on the fixture site in
//! tests/fixtures/navigation and on the bundled site: home, section lists and their filters,
//! playbook pages, taxonomy lists, search and its index, 404, sitemap, feed and JSON files;
//! drafts absent everywhere, retired pages absent from every list.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

/// Builds `root` once per test process into a folder under Cargo's temporary directory.
fn build(name: &str, root: &Path, args: &[&str]) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let mut all = vec!["build", "--output", out.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    let run = common::playbook(root, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

fn fixture_site() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| build("nav-fixture", &common::fixture("navigation"), &[]))
}

fn fixture_with_drafts() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        build(
            "nav-fixture-drafts",
            &common::fixture("navigation"),
            &["--drafts"],
        )
    })
}

fn bundled_site() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| build("nav-bundled", Path::new(env!("CARGO_MANIFEST_DIR")), &[]))
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json(out: &Path, rel: &str) -> Value {
    serde_json::from_str(&read(out, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every text file of the output with its path relative to it.
fn text_files(out: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let rel = path
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, text));
            }
        }
    }
    files
}

/// The part of `html` between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no `{start}`"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

fn assert_files(out: &Path, files: &[String]) {
    let missing: Vec<&String> = files.iter().filter(|f| !out.join(f).is_file()).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}

#[test]
fn every_url_and_file_of_the_spec_is_written_for_the_fixture() {
    let out = fixture_site();
    let files: Vec<String> = [
        "index.html",
        "playbooks/index.html",
        "guides/index.html",
        "guides/advanced/index.html",
        "playbooks/alpha-monitoring/index.html",
        "playbooks/beta-referral/index.html",
        "guides/how-to/index.html",
        "guides/advanced/deep/index.html",
        "stages/index.html",
        "stages/referral/index.html",
        "stages/monitoring/index.html",
        "stages/discharge/index.html",
        "settings/index.html",
        "settings/community/index.html",
        "settings/acute/index.html",
        "roles/index.html",
        "roles/nurse/index.html",
        "roles/gp/index.html",
        "roles/patient/index.html",
        "tags/index.html",
        "tags/oximetry/index.html",
        "tags/remote-care/index.html",
        "search/index.html",
        "search/index/manifest.json",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "playbooks.json",
        "playbook.schema.json",
        "assets/search.js",
        "assets/filters.js",
    ]
    .map(String::from)
    .to_vec();
    assert_files(out, &files);
}

#[test]
fn every_url_and_file_of_the_spec_is_written_for_the_bundled_site() {
    let out = bundled_site();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("site.toml")).unwrap()).unwrap();
    let mut files: Vec<String> = [
        "index.html",
        "playbooks/index.html",
        "guides/index.html",
        "search/index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "playbooks.json",
        "playbook.schema.json",
        "stages/index.html",
        "settings/index.html",
        "roles/index.html",
        "tags/index.html",
    ]
    .map(String::from)
    .to_vec();
    for stage in config["stages"].as_array().unwrap() {
        files.push(format!(
            "stages/{}/index.html",
            stage["id"].as_str().unwrap()
        ));
    }
    for table in ["settings", "roles"] {
        for id in config[table].as_table().unwrap().keys() {
            files.push(format!("{table}/{id}/index.html"));
        }
    }
    let playbooks = json(out, "playbooks.json");
    for p in playbooks["playbooks"].as_array().unwrap() {
        let url = p["url"].as_str().unwrap();
        files.push(format!("{}index.html", url.trim_start_matches('/')));
        if p["status"] == "published" {
            for tag in p["front_matter"]["tags"].as_array().into_iter().flatten() {
                let slug = tag.as_str().unwrap().to_lowercase().replace(' ', "-");
                files.push(format!("tags/{slug}/index.html"));
            }
        }
    }
    assert!(playbooks["playbooks"].as_array().unwrap().len() >= 6);
    assert_files(out, &files);
}

/// Text as the templates' autoescaping writes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

#[test]
fn every_training_module_of_the_bundled_site_is_shown_once_with_its_roles() {
    let out = bundled_site();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("site.toml")).unwrap()).unwrap();
    let role_name = |id: &str| config["roles"][id].as_str().unwrap_or(id).to_string();
    let playbooks = json(out, "playbooks.json");
    let mut checked = 0;
    for p in playbooks["playbooks"].as_array().unwrap() {
        let Some(modules) = p["front_matter"]["training"].as_array() else {
            continue;
        };
        let url = p["url"].as_str().unwrap();
        let html = read(out, &format!("{}index.html", url.trim_start_matches('/')));
        let training = between(&html, "<h2 id=\"training\">", "</section>");
        let (table, by_role) = training
            .split_once("<h3>By role</h3>")
            .expect("a by-role list");
        assert_eq!(
            table.matches("<th scope=\"row\">").count(),
            modules.len(),
            "{url}"
        );
        let mut roles: Vec<&str> = Vec::new();
        for m in modules {
            let title = escaped(m["title"].as_str().unwrap());
            let names: Vec<String> = m["roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| escaped(&role_name(r.as_str().unwrap())))
                .collect();
            let who = format!("{title}</th><td>{}</td>", names.join(", "));
            let cell = format!(
                "{title}{}</th>",
                if m["link"].is_string() { "</a>" } else { "" }
            );
            assert_eq!(table.matches(&cell).count(), 1, "{url}: {title} once");
            assert!(
                table.contains(&who) || table.contains(&who.replacen("</th>", "</a></th>", 1)),
                "{url}: {title} with its roles {names:?}"
            );
            roles.extend(
                m["roles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap()),
            );
        }
        roles.sort();
        roles.dedup();
        assert_eq!(
            by_role.matches("<dt>").count(),
            roles.len(),
            "{url}: {by_role}"
        );
        for id in roles {
            let row = format!("<dt>{}</dt><dd>Module", escaped(&role_name(id)));
            let at = by_role.find(&row).unwrap_or_else(|| panic!("{url}: {row}"));
            let dd = &by_role[at..at + by_role[at..].find("</dd>").unwrap()];
            assert!(dd.ends_with(" in total)"), "{url}: {dd}");
        }
        checked += 1;
    }
    assert!(checked >= 6, "the bundled playbooks have training plans");
}

#[test]
fn drafts_are_absent_everywhere_without_drafts() {
    let out = fixture_site();
    assert!(!out.join("playbooks/secret-draft").exists());
    assert!(!out.join("tags/draftonlytag").exists());
    for (rel, text) in text_files(out) {
        for needle in ["zebrafinch", "secret-draft", "Secret draft", "draftonlytag"] {
            assert!(
                !text.contains(needle),
                "{rel} mentions the draft ({needle})"
            );
        }
    }
}

#[test]
fn with_drafts_a_draft_is_built_at_its_url_and_listed_nowhere() {
    let out = fixture_with_drafts();
    let page = read(out, "playbooks/secret-draft/index.html");
    assert!(page.contains("zebrafinch") && page.contains("Draft:"));
    for (rel, text) in text_files(out) {
        if rel.starts_with("playbooks/secret-draft/") {
            continue;
        }
        assert!(!text.contains("zebrafinch"), "{rel} holds the draft's text");
        assert!(
            !text.contains("/playbooks/secret-draft/"),
            "{rel} links to the draft"
        );
    }
}

#[test]
fn retired_pages_are_built_with_a_banner_and_listed_only_in_playbooks_json() {
    let out = fixture_site();
    let page = read(out, "playbooks/old-retired/index.html");
    assert!(page.contains("pb-banner--retired") && page.contains("Retired:"));
    for (rel, text) in text_files(out) {
        if rel.starts_with("playbooks/old-retired/") || rel == "playbooks.json" {
            continue;
        }
        assert!(
            !text.contains("/playbooks/old-retired/"),
            "{rel} lists the retired page"
        );
        assert!(
            !text.contains("mammothtusk"),
            "{rel} holds the retired page's text"
        );
    }
    assert!(!out.join("tags/retiredonlytag").exists());
    assert!(
        !page.contains("href=\"/tags/retiredonlytag/\""),
        "a retired page's tags have no pages to link to"
    );
    let playbooks = json(out, "playbooks.json");
    let retired: Vec<&Value> = playbooks["playbooks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["url"] == "/playbooks/old-retired/")
        .collect();
    assert_eq!(retired.len(), 1);
    assert_eq!(retired[0]["status"], "retired");
}

#[test]
fn home_page_draws_the_pathway_with_counts_and_lists_reviews() {
    let html = read(fixture_site(), "index.html");
    let svg = between(&html, "<svg", "</svg>");
    // Every stage, in site.toml's order, linking to its page with its count of listed playbooks;
    // each link is named by its visible text (number, stage name, count).
    let stage_link = |id: &str, name: &str, count: &str| {
        let start = svg.find(&format!("href=\"/stages/{id}/\">"))?;
        let link = &svg[start..start + svg[start..].find("</a>")?];
        (link.contains(&format!(">{name}</text>")) && link.contains(&format!(">{count}</text>")))
            .then_some(start)
    };
    let referral = stage_link("referral", "Referral", "2 playbooks");
    let monitoring = stage_link("monitoring", "Monitoring", "2 playbooks");
    let discharge = stage_link("discharge", "Discharge", "1 playbook");
    assert!(
        matches!((referral, monitoring, discharge), (Some(a), Some(b), Some(c)) if a < b && b < c),
        "{svg}"
    );
    assert!(html.contains("<a href=\"/settings/community/\">Community services</a> <span class=\"pb-secondary\">(2)</span>"));
    assert!(html.contains("<a href=\"/roles/gp/\">GP</a>"));

    let recent = between(&html, "<h2>Recently reviewed</h2>", "</ul>");
    let alpha = recent.find("Alpha monitoring").expect("alpha in recent");
    let how_to = recent
        .find("How to use the fixture")
        .expect("guide in recent");
    let beta = recent.find("Beta referral").expect("beta in recent");
    assert!(alpha < how_to && how_to < beta, "{recent}");

    let due = between(&html, "<h2>Due for review</h2>", "<h2>Overdue");
    assert!(
        due.contains("Beta referral") && due.contains("(in 18 days)"),
        "{due}"
    );
    assert!(!due.contains("Alpha monitoring"));
    let overdue = between(&html, "<h2>Overdue for review</h2>", "</section>");
    assert!(
        overdue.contains("Gamma overdue") && overdue.contains("(21 days ago)"),
        "{overdue}"
    );
}

#[test]
fn playbook_page_tells_its_story_at_a_glance() {
    let html = read(fixture_site(), "playbooks/alpha-monitoring/index.html");
    let svg = between(&html, "<svg", "</svg>");
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<desc id=\"pathway-svg-desc\">The pathway has 3 stages, in order: 1 Referral, 2 Monitoring, 3 Discharge. This playbook sits at Monitoring and Discharge.</desc>"), "{svg}");
    for name in ["Referral", "Monitoring", "Discharge"] {
        assert!(
            svg.contains(&format!(">{name}</text>")),
            "{name} is not drawn"
        );
    }
    assert_eq!(svg.matches("pb-pathway__stage--selected").count(), 2);
    let list = between(&html, "<ol class=\"pb-pathway__list\">", "</ol>");
    assert!(list.contains(
        "<a href=\"/stages/monitoring/\">Monitoring</a> <strong>(this playbook)</strong>"
    ));

    let glance = between(&html, "id=\"at-a-glance\"", "</section>");
    for row in ["Technology", "Kind", "Settings", "For", "Owners"] {
        assert!(
            glance.contains(&format!("<dt>{row}</dt>")),
            "at a glance lacks {row}"
        );
    }
    let training = between(&html, "id=\"training\"", "</section>");
    assert!(
        training.contains(
            "<dt>Community nurse</dt><dd>Modules 1 and 2 (2 hours 15 minutes in total)</dd>"
        ),
        "{training}"
    );
    let basics = training.find("Basics of Alpha monitoring").unwrap();
    let practice = training.find("Practice with Alpha monitoring").unwrap();
    assert!(basics < practice, "prerequisites come first");
    assert!(training.contains("every 12 months"));
    for anchor in ["champions", "measures", "risks"] {
        assert!(html.contains(&format!("id=\"{anchor}\"")), "no #{anchor}");
    }
    // At the bottom of the main content, as on NHS.UK pages.
    let main = between(&html, "<main", "</main>");
    let footer = &main[main.rfind("pb-review-date").unwrap_or(0)..];
    assert!(
        footer.contains("Page last reviewed: <time datetime=\"2026-11-01\">1 November 2026</time>")
    );
    assert!(footer.contains("Next review due: <time datetime=\"2027-05-01\">1 May 2027</time>"));
}

#[test]
fn pages_have_breadcrumbs_contents_and_previous_next_within_their_section() {
    let out = fixture_site();
    // sort_by: last_reviewed, newest first: alpha (Nov 2026), beta (Jun 2026), gamma (Oct 2025).
    let beta = read(out, "playbooks/beta-referral/index.html");
    assert!(beta.contains("<a href=\"/playbooks/alpha-monitoring/\" rel=\"prev\">"));
    assert!(beta.contains("<a href=\"/playbooks/gamma-overdue/\" rel=\"next\">"));
    let crumbs = between(&beta, "class=\"pb-breadcrumb\"", "</nav>");
    assert!(
        crumbs.contains("<a href=\"/\">Home</a>")
            && crumbs.contains("<a href=\"/playbooks/\">Playbooks</a>")
    );
    assert!(beta.contains("<nav class=\"pb-contents\" id=\"contents\""));

    let deep = read(out, "guides/advanced/deep/index.html");
    let crumbs = between(&deep, "class=\"pb-breadcrumb\"", "</nav>");
    assert!(crumbs.contains("/guides/advanced/"), "{crumbs}");
    // Guides by weight, then title: about (0), how-to (2).
    let about = read(out, "guides/about/index.html");
    assert!(about.contains("<a href=\"/guides/how-to/\" rel=\"next\">"));
}

#[test]
fn section_lists_follow_sort_by_and_narrow_by_links_then_a_form() {
    let html = read(fixture_site(), "playbooks/index.html");
    let list = between(
        &html,
        "<ul class=\"pb-card-list\" data-filter-list>",
        "</ul>\n",
    );
    let order: Vec<usize> = ["alpha-monitoring", "beta-referral", "gamma-overdue"]
        .iter()
        .map(|slug| list.find(&format!("/playbooks/{slug}/")).expect(slug))
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "not newest review first"
    );
    assert!(list.contains("data-filter-stage=\"monitoring discharge \""));
    assert!(list.contains("data-filter-kind=\"remote-monitoring\""));

    let filters = between(&html, "<div class=\"pb-filters\"", "data-filter-status");
    // Without JavaScript: plain links to the list pages of the values the list holds.
    for link in [
        "/stages/referral/",
        "/stages/monitoring/",
        "/settings/acute/",
        "/roles/patient/",
    ] {
        assert!(
            filters.contains(&format!("<a href=\"{link}\">")),
            "no link to {link}"
        );
    }
    assert!(
        !filters.contains("/stages/discharge/\">Discharge</a> <span class=\"pb-secondary\">(2)")
    );
    // With it: the form, hidden until the script shows it.
    assert!(filters.contains("<form class=\"pb-filters__form\" data-filter-form hidden>"));
    for select in [
        "name=\"stage\"",
        "name=\"setting\"",
        "name=\"role\"",
        "name=\"kind\"",
    ] {
        assert!(filters.contains(select), "no {select}");
    }
    assert!(html.contains("<script src=\"/assets/filters.js\" defer></script>"));
}

#[test]
fn taxonomy_pages_list_only_published_playbooks() {
    let out = fixture_site();
    let discharge = read(out, "stages/discharge/index.html");
    assert!(discharge.contains("/playbooks/alpha-monitoring/"));
    assert!(!discharge.contains("old-retired"));
    let oximetry = read(out, "tags/oximetry/index.html");
    assert!(
        oximetry.contains("/playbooks/alpha-monitoring/")
            && oximetry.contains("/playbooks/gamma-overdue/")
    );
}

#[test]
fn not_found_page_offers_a_way_on() {
    let html = read(fixture_site(), "404.html");
    assert!(html.contains("<h1>Page not found</h1>"));
    assert!(html.contains("href=\"/search/\""));
}

#[test]
fn sitemap_lists_every_listed_page_with_absolute_urls() {
    let out = fixture_site();
    let xml = read(out, "sitemap.xml");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let locs: BTreeSet<&str> = xml
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    for url in [
        "/",
        "/playbooks/",
        "/playbooks/alpha-monitoring/",
        "/guides/advanced/deep/",
        "/stages/referral/",
        "/tags/oximetry/",
        "/search/",
    ] {
        assert!(
            locs.contains(format!("https://fixture.example.org{url}").as_str()),
            "no {url}"
        );
    }
    assert!(!xml.contains("old-retired") && !xml.contains("404"));
    assert!(xml.contains("<loc>https://fixture.example.org/playbooks/alpha-monitoring/</loc>\n    <lastmod>2026-11-01</lastmod>"));
}

#[test]
fn feed_is_atom_with_playbooks_by_last_review() {
    let xml = read(fixture_site(), "feed.xml");
    assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(xml.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://fixture.example.org/feed.xml\"/>"));
    let entries: Vec<&str> = xml.split("<entry>").skip(1).collect();
    let titles: Vec<&str> = entries
        .iter()
        .map(|e| between(e, "<title>", "</title>").trim_start_matches("<title>"))
        .collect();
    assert_eq!(
        titles,
        ["Alpha monitoring", "Beta referral", "Gamma overdue"]
    );
    assert!(entries[0].contains("<updated>2026-11-01T00:00:00Z</updated>"));
    assert!(entries[0].contains("<id>https://fixture.example.org/playbooks/alpha-monitoring/</id>"));
    assert!(xml.contains("<updated>2026-11-01T00:00:00Z</updated>\n  <author>"));
}

#[test]
fn playbooks_json_has_every_playbooks_front_matter_url_and_status() {
    let value = json(fixture_site(), "playbooks.json");
    assert_eq!(value["version"], 1);
    assert_eq!(value["site"]["base_url"], "https://fixture.example.org");
    let playbooks = value["playbooks"].as_array().unwrap();
    let urls: Vec<&str> = playbooks
        .iter()
        .map(|p| p["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "/playbooks/alpha-monitoring/",
            "/playbooks/beta-referral/",
            "/playbooks/gamma-overdue/",
            "/playbooks/old-retired/"
        ]
    );
    let alpha = &playbooks[0];
    assert_eq!(
        alpha["permalink"],
        "https://fixture.example.org/playbooks/alpha-monitoring/"
    );
    assert_eq!(alpha["status"], "published");
    let front = &alpha["front_matter"];
    assert_eq!(front["title"], "Alpha monitoring");
    assert_eq!(
        front["pathway"]["stages"],
        serde_json::json!(["monitoring", "discharge"])
    );
    assert_eq!(
        front["training"][1]["requires"],
        serde_json::json!(["basics"])
    );
    assert!(
        front["technology"].get("supplier").is_none(),
        "absent fields are left out"
    );
    let keys: Vec<&String> = front.as_object().unwrap().keys().collect();
    assert_eq!(
        keys[..3],
        ["title", "summary", "technology"],
        "front matter keeps its order"
    );
}

/// Reads the index as search.js does: the chunk that holds `word`, then its postings.
fn pages_with_word(out: &Path, word: &str) -> Vec<u64> {
    let manifest = json(out, "search/index/manifest.json");
    let chunks: Vec<&str> = manifest["chunks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let n = chunks.iter().rposition(|first| *first <= word).unwrap_or(0);
    let chunk = json(out, &format!("search/index/terms/{n}.json"));
    let Some(postings) = chunk[word].as_array() else {
        return Vec::new();
    };
    let mut id = 0;
    postings
        .chunks(2)
        .map(|pair| {
            id += pair[0].as_u64().unwrap();
            id
        })
        .collect()
}

#[test]
fn search_index_finds_a_body_word_and_narrows_by_stage() {
    let out = fixture_site();
    let ids = pages_with_word(out, "pangolin");
    assert_eq!(ids.len(), 1);
    // A result's record is in the file of its id over `pages_per_file`, at the remainder.
    let per_file = json(out, "search/index/manifest.json")["pages_per_file"]
        .as_u64()
        .expect("pages_per_file");
    assert!(per_file > 1, "records share files");
    let records = json(
        out,
        &format!("search/index/pages/{}.json", ids[0] / per_file),
    );
    let fragment = &records[(ids[0] % per_file) as usize];
    assert_eq!(fragment["url"], "/playbooks/alpha-monitoring/");
    assert_eq!(fragment["title"], "Alpha monitoring");
    assert_eq!(
        fragment["labels"],
        serde_json::json!(["Remote monitoring", "Monitoring", "Discharge"])
    );

    let decode = |rel: &str| -> Vec<u64> {
        let mut id = 0;
        json(out, rel)
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                id += d.as_u64().unwrap();
                id
            })
            .collect()
    };
    assert!(decode("search/index/filters/stage/monitoring.json").contains(&ids[0]));
    assert!(!decode("search/index/filters/stage/referral.json").contains(&ids[0]));
    assert!(
        pages_with_word(out, "zebrafinch").is_empty(),
        "drafts are not indexed"
    );
    assert!(
        pages_with_word(out, "mammothtusk").is_empty(),
        "retired pages are not indexed"
    );
    // Words of every listed page, a guide's and the home page's text included.
    assert_eq!(pages_with_word(out, "steps").len(), 1);
    assert!(!pages_with_word(out, "home").is_empty());

    let page = read(out, "search/index.html");
    assert!(page.contains("<form class=\"pb-search\" role=\"search\" action=\"/search/\" method=\"get\" data-search-form>"));
    for select in [
        "name=\"stage\"",
        "name=\"setting\"",
        "name=\"role\"",
        "name=\"kind\"",
    ] {
        assert!(page.contains(select), "no {select}");
    }
    assert!(page.contains("<script src=\"/assets/search.js\" defer></script>"));
}

#[test]
fn the_bundled_site_builds_a_split_search_index() {
    let out = bundled_site();
    let manifest = json(out, "search/index/manifest.json");
    let chunks = manifest["chunks"].as_array().unwrap().len();
    assert!(chunks > 1, "the word list is split");
    assert!(read(out, "search/index/manifest.json").len() < 8 * 1024);
    let ids = pages_with_word(out, "oximetry");
    assert!(!ids.is_empty());
}
