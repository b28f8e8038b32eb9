//! `serve::rebuild::rebuild`, as `serve` calls it after each change: edits to page bodies take
//! the quick path (see src/serve/quick.rs), everything else the full one. After every edit the files must be
//! exactly those that a first rebuild of the same sources makes, and problems must be reported.

mod common;

use std::path::{Path, PathBuf};

use playbook::build::BuildOptions;
use playbook::content::model::IsoDate;
use playbook::serve::cache::BuildCache;
use playbook::serve::rebuild::{rebuild, Rebuilt};

const PAGE: &str = "content/playbooks/covid-oximetry-at-home.md";
const PAGE_OUT: &str = "playbooks/covid-oximetry-at-home/index.html";
/// The edited playbook's `checklists.csv`: the render stage makes it beside the page.
const PAGE_CSV: &str = "playbooks/covid-oximetry-at-home/checklists.csv";
const TARGET: &str = "content/guides/anchor-target.md";
const SOURCE: &str = "content/guides/anchor-source.md";

/// Removes the Welsh translations (`*.cy.md`) under `dir`: without `[languages.cy]` they
/// would be pages of their own.
fn remove_translations(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_translations(&path);
        } else if path.to_string_lossy().ends_with(".cy.md") {
            std::fs::remove_file(&path).expect("remove");
        }
    }
}

/// The bundled site in a temporary folder, with a cache that has seen one rebuild.
struct Served {
    dir: tempfile::TempDir,
    options: BuildOptions,
    cache: BuildCache,
}

impl Served {
    /// The bundled site in English only: the quick path is for a site in one language (a
    /// site in several rebuilds each edition through the caches: see `bilingual`).
    fn start() -> Served {
        Served::start_with(false)
    }

    /// The bundled site with its Welsh edition.
    fn start_bilingual() -> Served {
        Served::start_with(true)
    }

    fn start_with(bilingual: bool) -> Served {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let toml = std::fs::read_to_string(repo.join("site.toml")).expect("site.toml");
        let toml = match toml.split_once("\n[languages.") {
            Some((english, _)) if !bilingual => english.to_string(),
            _ => toml,
        };
        std::fs::write(dir.path().join("site.toml"), toml).expect("site.toml");
        common::copy_dir(&repo.join("content"), &dir.path().join("content"));
        common::copy_dir(&repo.join("themes"), &dir.path().join("themes"));
        common::copy_dir(&repo.join("progress"), &dir.path().join("progress"));
        common::copy_dir(&repo.join("national"), &dir.path().join("national"));
        std::fs::write(
            dir.path().join(TARGET),
            "# Anchor target\n\n## Kept heading\n\nText.\n\n## Linked heading\n\nMore text.\n",
        )
        .expect("write target");
        std::fs::write(
            dir.path().join(SOURCE),
            "# Anchor source\n\nSee [the heading](anchor-target.md#linked-heading).\n",
        )
        .expect("write source");
        let today = IsoDate::parse("2026-11-22").expect("a date");
        let options = BuildOptions {
            live_reload: true,
            ..BuildOptions::new(dir.path(), today)
        };
        if !bilingual {
            remove_translations(&dir.path().join("content"));
        }
        let mut served = Served {
            dir,
            options,
            cache: BuildCache::default(),
        };
        let first = rebuild(&served.options, &mut served.cache);
        assert!(first.files.is_some(), "{:?}", first.report.diagnostics);
        served
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }

    /// Writes `text` to `rel`, tells the cache, and rebuilds.
    fn save(&mut self, rel: &str, text: &str) -> Rebuilt {
        let path = self.path(rel);
        std::fs::write(&path, text).expect("write");
        self.rebuild(&[path])
    }

    fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuilt {
        self.cache.changed(changed);
        rebuild(&self.options, &mut self.cache)
    }

    /// Checks that `rebuilt` is what a rebuild from nothing makes of the sources now.
    fn assert_fresh(&self, rebuilt: &Rebuilt) {
        let fresh = rebuild(&self.options, &mut BuildCache::default());
        let messages = |r: &Rebuilt| {
            let mut m: Vec<String> = r
                .report
                .diagnostics
                .iter()
                .map(|d| format!("{}:{}:{} {}", d.file, d.line, d.column, d.message))
                .collect();
            m.sort();
            m
        };
        assert_eq!(messages(rebuilt), messages(&fresh), "diagnostics");
        match (&rebuilt.files, &fresh.files) {
            (Some(files), Some(expected)) => {
                let mut paths: Vec<&String> = files.keys().collect();
                paths.sort();
                let mut expected_paths: Vec<&String> = expected.keys().collect();
                expected_paths.sort();
                assert_eq!(paths, expected_paths, "the same files");
                for (path, bytes) in expected.iter() {
                    assert!(files[path][..] == bytes[..], "{path} differs");
                }
            }
            (None, None) => {}
            _ => panic!("one built and the other did not"),
        }
    }
}

fn text(rebuilt: &Rebuilt, path: &str) -> String {
    let files = rebuilt.files.as_ref().expect("the site built");
    String::from_utf8_lossy(&files[path]).into_owned()
}

fn errors(rebuilt: &Rebuilt) -> Vec<String> {
    rebuilt
        .report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.file, d.message))
        .collect()
}

#[test]
fn a_body_edit_renders_only_its_page() {
    let mut served = Served::start();
    let good = served.read(PAGE);
    let rebuilt = served.save(
        PAGE,
        &good.replacen("## ", "A sentence added while serving.\n\n## ", 1),
    );
    assert_eq!(
        rebuilt.rendered,
        vec![PAGE_CSV.to_string(), PAGE_OUT.to_string()]
    );
    assert!(text(&rebuilt, PAGE_OUT).contains("A sentence added while serving."));
    served.assert_fresh(&rebuilt);

    // Saved again unchanged.
    let again = served.rebuild(&[served.path(PAGE)]);
    assert_eq!(text(&again, PAGE_OUT), text(&rebuilt, PAGE_OUT));
    served.assert_fresh(&again);
}

#[test]
fn a_task_list_added_while_serving_is_in_the_checklists_csv() {
    let mut served = Served::start();
    const CSV: &str = PAGE_CSV;
    let before = text(&served.rebuild(&[]), CSV);
    assert!(
        before.starts_with("checklist,"),
        "served before the edit: {before}"
    );
    let good = served.read(PAGE);
    let rebuilt = served.save(
        PAGE,
        &format!("{good}\n## Added while serving\n\n- [ ] Check the spare probes\n"),
    );
    assert_eq!(
        rebuilt.rendered,
        vec![PAGE_CSV.to_string(), PAGE_OUT.to_string()],
        "the quick path"
    );
    let after = text(&rebuilt, CSV);
    assert!(after.contains("Check the spare probes"), "{after}");
    assert!(
        after.starts_with(&before),
        "the front matter's rows stay first"
    );
    served.assert_fresh(&rebuilt);
}

#[test]
fn a_vim_save_with_its_probe_and_backup_files_is_a_body_edit() {
    let mut served = Served::start();
    let page = served.path("content/guides/glossary.md");
    let dir = served.path("content/guides");
    let text_before = std::fs::read_to_string(&page).expect("read");
    std::fs::write(dir.join("4913"), "").expect("probe");
    std::fs::remove_file(dir.join("4913")).expect("probe gone");
    std::fs::rename(&page, dir.join("glossary.md~")).expect("backup");
    std::fs::write(
        &page,
        text_before.replacen("\n\n", "\n\nSaved the vim way.\n\n", 1),
    )
    .expect("write");
    std::fs::remove_file(dir.join("glossary.md~")).expect("backup gone");
    let rebuilt = served.rebuild(&[dir.join("4913"), page.clone(), dir.join("glossary.md~")]);
    assert_eq!(
        rebuilt.rendered,
        vec!["guides/glossary/index.html".to_string()]
    );
    assert!(text(&rebuilt, "guides/glossary/index.html").contains("Saved the vim way."));
    served.assert_fresh(&rebuilt);

    // A content file that was there and is gone is not a transient one.
    let asset = "content/playbooks/diabetes-self-management/pathway.svg";
    let out = "playbooks/diabetes-self-management/pathway.svg";
    assert!(rebuilt.files.as_ref().expect("built").contains_key(out));
    std::fs::remove_file(served.path(asset)).expect("remove asset");
    let rebuilt = served.rebuild(&[served.path(asset)]);
    served.assert_fresh(&rebuilt);
}

#[test]
fn a_title_edit_updates_the_list_pages() {
    let mut served = Served::start();
    let listed = "content/playbooks/online-record-access.md";
    let out = "playbooks/online-record-access/index.html";
    let good = served.read(listed);
    let title = "Online record access in general practice";
    assert!(good.contains(title));
    let renamed = "Record access renamed while serving";
    let rebuilt = served.save(listed, &good.replacen(title, renamed, 1));
    assert!(text(&rebuilt, "playbooks/index.html").contains(renamed));
    assert!(text(&rebuilt, "index.html").contains(renamed));
    assert!(text(&rebuilt, out).contains(renamed));
    served.assert_fresh(&rebuilt);

    // A body edit after it still sees the new title everywhere.
    let now = served.read(listed);
    let rebuilt = served.save(listed, &now.replacen("## ", "Then a body edit.\n\n## ", 1));
    assert!(text(&rebuilt, out).contains("Then a body edit."));
    assert!(text(&rebuilt, "playbooks/index.html").contains(renamed));
    served.assert_fresh(&rebuilt);
}

#[test]
fn a_broken_link_in_a_body_fails_until_fixed_and_other_edits_wait_for_it() {
    let mut served = Served::start();
    let good = served.read(PAGE);
    let broken = served.save(
        PAGE,
        &good.replacen("## ", "See [nowhere](no-such-page.md).\n\n## ", 1),
    );
    assert!(broken.files.is_none(), "the build fails");
    let found = errors(&broken);
    assert!(
        found
            .iter()
            .any(|e| e.starts_with(PAGE) && e.contains("no-such-page.md")),
        "{found:?}"
    );
    served.assert_fresh(&broken);

    // Another page's body edit does not hide the broken one.
    let other = "content/guides/glossary.md";
    let glossary = served.read(other);
    let still = served.save(
        other,
        &glossary.replacen("\n## ", "\nA glossary edit.\n\n## ", 1),
    );
    assert!(still.files.is_none(), "still broken");
    assert!(errors(&still).iter().any(|e| e.contains("no-such-page.md")));
    served.assert_fresh(&still);

    let fixed = served.save(PAGE, &good.replacen("## ", "Fixed now.\n\n## ", 1));
    assert!(errors(&fixed).is_empty(), "{:?}", errors(&fixed));
    assert!(text(&fixed, PAGE_OUT).contains("Fixed now."));
    assert!(text(&fixed, "guides/glossary/index.html").contains("A glossary edit."));
    served.assert_fresh(&fixed);
}

#[test]
fn removing_a_linked_anchor_is_reported_where_the_link_is() {
    let mut served = Served::start();
    let target = served.read(TARGET);
    let removed = served.save(
        TARGET,
        &target.replace("## Linked heading", "## Renamed heading"),
    );
    assert!(removed.files.is_none(), "the build fails");
    let found = errors(&removed);
    assert!(
        found
            .iter()
            .any(|e| e.starts_with(SOURCE) && e.contains("#linked-heading")),
        "{found:?}"
    );
    served.assert_fresh(&removed);

    let restored = served.save(TARGET, &target.replace("Text.", "Text, edited."));
    assert!(errors(&restored).is_empty(), "{:?}", errors(&restored));
    assert!(text(&restored, "guides/anchor-target/index.html").contains("Text, edited."));
    served.assert_fresh(&restored);

    // The link itself moved to a heading that is not there.
    let source = served.read(SOURCE);
    let moved = served.save(SOURCE, &source.replace("#linked-heading", "#missing"));
    assert!(errors(&moved).iter().any(|e| e.contains("#missing")));
    served.assert_fresh(&moved);
}

#[test]
fn new_deleted_and_renamed_pages_rebuild_the_site() {
    let mut served = Served::start();
    let added = "content/guides/added-while-serving.md";
    let rebuilt = served.save(added, "# Added while serving\n\nA new guide.\n");
    assert!(text(&rebuilt, "guides/index.html").contains("Added while serving"));
    served.assert_fresh(&rebuilt);

    let renamed = served.path("content/guides/renamed-while-serving.md");
    std::fs::rename(served.path(added), &renamed).expect("rename");
    let rebuilt = served.rebuild(&[served.path(added), renamed.clone()]);
    let files = rebuilt.files.as_ref().expect("built");
    assert!(files.contains_key("guides/renamed-while-serving/index.html"));
    assert!(!files.contains_key("guides/added-while-serving/index.html"));
    served.assert_fresh(&rebuilt);

    // Then a body edit of the renamed page, on the quick path.
    let rebuilt = served.save(
        "content/guides/renamed-while-serving.md",
        "# Added while serving\n\nA new guide, edited.\n",
    );
    assert!(text(&rebuilt, "guides/renamed-while-serving/index.html").contains("edited."));
    served.assert_fresh(&rebuilt);

    std::fs::remove_file(&renamed).expect("remove");
    let rebuilt = served.rebuild(&[renamed]);
    let files = rebuilt.files.as_ref().expect("built");
    assert!(!files.contains_key("guides/renamed-while-serving/index.html"));
    assert!(!text(&rebuilt, "guides/index.html").contains("Added while serving"));
    served.assert_fresh(&rebuilt);
}

#[test]
fn a_training_edit_updates_the_role_views() {
    let mut served = Served::start();
    let listed = "content/playbooks/online-record-access.md";
    let good = served.read(listed);
    let module = "Checking identity and setting up proxy access";
    let renamed = "Checking identity, renamed while serving";
    let rebuilt = served.save(listed, &good.replacen(module, renamed, 1));
    assert!(text(&rebuilt, "roles/receptionist/index.html").contains(renamed));
    served.assert_fresh(&rebuilt);
}

#[test]
fn a_change_history_edit_updates_the_role_notices() {
    let mut served = Served::start();
    let listed = "content/playbooks/online-record-access.md";
    let good = served.read(listed);
    let before = "    retrain: [receptionist, practice-manager]";
    assert!(
        good.contains(before),
        "the bundled history names the receptionist"
    );
    let summary = "Setting up proxy access now includes checking the carer's identity";
    let edited = good
        .replacen(before, "    retrain: [practice-manager]", 1)
        .replacen(
            summary,
            "Proxy access, reworded while serving, checks the carer",
            1,
        );
    let rebuilt = served.save(listed, &edited);
    assert!(!text(&rebuilt, "roles/receptionist/index.html").contains("pb-retrain"));
    assert!(text(&rebuilt, "roles/practice-manager/index.html")
        .contains("Proxy access, reworded while serving, checks the carer"));
    assert!(text(&rebuilt, "playbooks/online-record-access/index.html")
        .contains("Proxy access, reworded while serving"));
    served.assert_fresh(&rebuilt);
}

impl Served {
    /// Checks that `rebuilt`'s search index, sitemap, feed and schema are byte for byte what
    /// `build` writes for the same sources (every file under search/index/, and no other).
    fn assert_like_build(&self, rebuilt: &Rebuilt) {
        let out = tempfile::tempdir().expect("temp dir");
        let options = BuildOptions {
            write: true,
            live_reload: false,
            output: Some(out.path().join("public")),
            ..self.options.clone()
        };
        let report = playbook::build::run(&options);
        assert!(!report.failed(), "{:?}", report.diagnostics);
        let files = rebuilt.files.as_ref().expect("served");
        let public = out.path().join("public");
        let mut built: Vec<String> = walkdir(&public.join("search/index"))
            .into_iter()
            .map(|path| {
                let rel = path.strip_prefix(&public).expect("inside");
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        built.extend(["sitemap.xml", "feed.xml", "playbook.schema.json"].map(String::from));
        built.sort();
        let mut served: Vec<&String> = files
            .keys()
            .filter(|path| path.starts_with("search/index/"))
            .collect();
        served.extend(
            files.keys().filter(|p| {
                ["sitemap.xml", "feed.xml", "playbook.schema.json"].contains(&p.as_str())
            }),
        );
        served.sort();
        assert_eq!(served, built.iter().collect::<Vec<_>>(), "the same files");
        for path in &built {
            let written = std::fs::read(public.join(path)).expect("read built file");
            assert!(
                written[..] == files[path][..],
                "{path} differs from build's"
            );
        }
    }
}

/// Every file under `dir`, recursively.
fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The search index files of a served site, by path.
fn index_files(rebuilt: &Rebuilt) -> std::collections::BTreeMap<String, Vec<u8>> {
    let files = rebuilt.files.as_ref().expect("the site built");
    files
        .iter()
        .filter(|(path, _)| path.starts_with("search/index/"))
        .map(|(path, bytes)| (path.clone(), bytes.to_vec()))
        .collect()
}

/// Whether a word is in the served index's word lists.
fn indexed(rebuilt: &Rebuilt, word: &str) -> bool {
    let quoted = format!("\"{word}\":[");
    index_files(rebuilt).iter().any(|(path, bytes)| {
        path.contains("/terms/") && String::from_utf8_lossy(bytes).contains(&quoted)
    })
}

#[test]
fn the_search_index_follows_edits_and_equals_builds() {
    let mut served = Served::start();
    let start = served.rebuild(&[]);
    assert!(index_files(&start).contains_key("search/index/manifest.json"));
    served.assert_like_build(&start);

    // A body edit with a new word: the quick path updates a few index files. (PAGE is
    // retired, so not indexed: this one is published.)
    let listed = "content/playbooks/online-record-access.md";
    let good = served.read(listed);
    let rebuilt = served.save(listed, &good.replacen("## ", "Quuxoximetry.\n\n## ", 1));
    assert_eq!(
        rebuilt.rendered,
        vec![
            "playbooks/online-record-access/checklists.csv".to_string(),
            "playbooks/online-record-access/index.html".to_string()
        ],
        "the quick path"
    );
    assert!(indexed(&rebuilt, "quuxoximetry"));
    let (before, after) = (index_files(&start), index_files(&rebuilt));
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(changed.contains(&&"search/index/manifest.json".to_string()));
    assert!(changed.len() <= 3, "{changed:?}");
    served.assert_fresh(&rebuilt);
    served.assert_like_build(&rebuilt);

    // A title edit, a new page, a body edit of it, and its deletion.
    let text = served.read(listed);
    let renamed = text.replacen(
        "Online record access in general practice",
        "Zebrafinch record access",
        1,
    );
    let rebuilt = served.save(listed, &renamed);
    assert!(indexed(&rebuilt, "zebrafinch"));
    served.assert_fresh(&rebuilt);
    served.assert_like_build(&rebuilt);

    let added = "content/guides/added-for-search.md";
    let rebuilt = served.save(added, "# Added for search\n\nA guide about kiwifruit.\n");
    assert!(indexed(&rebuilt, "kiwifruit"));
    served.assert_fresh(&rebuilt);
    served.assert_like_build(&rebuilt);

    let rebuilt = served.save(added, "# Added for search\n\nA guide about mangosteen.\n");
    assert!(rebuilt
        .rendered
        .iter()
        .all(|p| p.starts_with("guides/added-for-search/")));
    assert!(indexed(&rebuilt, "mangosteen") && !indexed(&rebuilt, "kiwifruit"));
    served.assert_fresh(&rebuilt);
    served.assert_like_build(&rebuilt);

    std::fs::remove_file(served.path(added)).expect("remove");
    let rebuilt = served.rebuild(&[served.path(added)]);
    assert!(!indexed(&rebuilt, "mangosteen"));
    assert!(indexed(&rebuilt, "quuxoximetry"));
    served.assert_fresh(&rebuilt);
    served.assert_like_build(&rebuilt);
}

#[test]
fn a_progress_edit_rebuilds_the_team_pages_and_a_broken_one_keeps_reporting_until_fixed() {
    let mut served = Served::start();
    let file = "progress/northshire-virtual-ward.yaml";
    let team_page = "teams/northshire-virtual-ward/index.html";
    let good = served.read(file);
    let edited = good.replace(
        "Northshire virtual ward team",
        "Northshire virtual ward and hospital at home team",
    );
    let rebuilt = served.save(file, &edited);
    assert!(text(&rebuilt, team_page).contains("Northshire virtual ward and hospital at home team"));
    assert!(text(&rebuilt, "teams/index.html").contains("hospital at home"));
    assert!(text(
        &rebuilt,
        "playbooks/remote-monitoring-virtual-ward/index.html"
    )
    .contains("hospital at home"));
    assert!(
        rebuilt
            .rendered
            .iter()
            .any(|p| p == "teams/northshire-virtual-ward/progress.json"),
        "{:?}",
        rebuilt.rendered
    );
    served.assert_fresh(&rebuilt);

    // A decision that breaks a gate: reported, and nothing is kept from it.
    let broken = edited.replace("        date: 2026-06-02\n", "        date: 2026-07-02\n");
    let failed = served.save(file, &broken);
    assert!(failed.files.is_none());
    assert_eq!(
        errors(&failed),
        ["progress/northshire-virtual-ward.yaml: `go` for the pilot phase on 2026-07-01 breaks a gate: a gate item is not done by then: `safe-to-start/safety-case` (done 2026-07-02, after the decision)"]
    );
    served.assert_fresh(&failed);

    // Fixed: the site builds again, as a fresh build would.
    let fixed = served.save(file, &edited);
    assert!(fixed.files.is_some(), "{:?}", errors(&fixed));
    served.assert_fresh(&fixed);

    // A new team file adds its page; removing it takes the page away.
    let new_team = "progress/new-team.yaml";
    let added = served.save(new_team, "team: New team\n");
    assert!(text(&added, "teams/new-team/index.html").contains("New team"));
    served.assert_fresh(&added);
    std::fs::remove_file(served.path(new_team)).expect("remove");
    let path = served.path(new_team);
    let removed = served.rebuild(&[path]);
    assert!(!removed
        .files
        .as_ref()
        .expect("built")
        .contains_key("teams/new-team/index.html"));
    served.assert_fresh(&removed);
}

const NATIONAL: &str = "national/content/playbooks/frailty-virtual-ward-monitoring.md";
const LOCAL: &str = "content/playbooks/northshire-frailty-virtual-ward.md";
const LOCAL_OUT: &str = "playbooks/northshire-frailty-virtual-ward/index.html";

#[test]
fn a_base_body_edit_rebuilds_its_local_versions() {
    let mut served = Served::start();
    let good = served.read(NATIONAL);
    let rebuilt = served.save(
        NATIONAL,
        &good.replacen(
            "## Why a frailty",
            "A national sentence.\n\n## Why a frailty",
            1,
        ),
    );
    assert!(
        text(&rebuilt, LOCAL_OUT).contains("A national sentence."),
        "the local version shows the base's body"
    );
    // The quick path: the base and its local version, nothing else.
    let pages: Vec<&String> = rebuilt
        .rendered
        .iter()
        .filter(|p| p.ends_with("index.html"))
        .collect();
    assert_eq!(
        pages,
        [
            "national/playbooks/frailty-virtual-ward-monitoring/index.html",
            LOCAL_OUT
        ],
        "{:?}",
        rebuilt.rendered
    );
    served.assert_fresh(&rebuilt);
    // And the local version's own body, quickly too.
    let local = served.read(LOCAL);
    let rebuilt = served.save(LOCAL, &format!("{local}\nA local sentence.\n"));
    assert!(text(&rebuilt, LOCAL_OUT).contains("A local sentence."));
    assert!(!rebuilt.rendered.iter().any(|p| p.starts_with("national/")));
    served.assert_fresh(&rebuilt);
}

#[test]
fn a_base_front_matter_edit_rebuilds_its_local_versions() {
    let mut served = Served::start();
    let good = served.read(NATIONAL);
    let rebuilt = served.save(
        NATIONAL,
        &good.replacen(
            "Sign off the data protection impact assessment",
            "Sign off the DPIA",
            1,
        ),
    );
    assert!(text(&rebuilt, LOCAL_OUT).contains("Sign off the DPIA"));
    served.assert_fresh(&rebuilt);

    // The base moves on: the local version is warned, in serve as in a fresh build.
    let now = served.read(NATIONAL);
    let rebuilt = served.save(
        NATIONAL,
        &now.replacen("version: \"2.1\"", "version: \"2.2\"", 1),
    );
    assert!(rebuilt
        .report
        .diagnostics
        .iter()
        .any(|d| d.file == LOCAL && d.message.starts_with("the base playbook is now 2.2")));
    served.assert_fresh(&rebuilt);
}

#[test]
fn a_local_version_edit_rebuilds_it_and_its_base_list() {
    let mut served = Served::start();
    let good = served.read(LOCAL);
    let rebuilt = served.save(
        LOCAL,
        &good.replacen("daily huddle at", "morning huddle at", 1),
    );
    served.assert_fresh(&rebuilt);
    let rebuilt = served.save(
        LOCAL,
        &good.replacen(
            "Frailty virtual ward at Northshire Community Trust",
            "Northshire frailty ward",
            1,
        ),
    );
    assert!(text(
        &rebuilt,
        "national/playbooks/frailty-virtual-ward-monitoring/index.html"
    )
    .contains(">Northshire frailty ward</a>"));
    served.assert_fresh(&rebuilt);
    // A bad value in the local file is reported at its line there.
    let rebuilt = served.save(
        LOCAL,
        &good.replacen("owner: service-manager", "owner: service-manger", 1),
    );
    assert!(errors(&rebuilt)
        .iter()
        .any(|e| e.starts_with(LOCAL) && e.contains("service-manger")));
    served.assert_fresh(&rebuilt);
}

#[test]
fn a_bilingual_site_follows_edits_to_translations_and_originals() {
    let mut served = Served::start_bilingual();
    let welsh = "content/playbooks/online-record-access.cy.md";
    let english = "content/playbooks/online-record-access.md";
    // A Welsh body edit.
    let text = served.read(welsh);
    let rebuilt = served.save(welsh, &format!("{text}\nParagraff newydd am gofnodion.\n"));
    assert!(rebuilt.files.is_some(), "{:?}", rebuilt.report.diagnostics);
    let files = rebuilt.files.as_ref().expect("files");
    let page = String::from_utf8_lossy(&files["cy/playbooks/online-record-access/index.html"]);
    assert!(page.contains("Paragraff newydd am gofnodion."));
    assert_eq!(
        rebuilt.rendered,
        [
            "cy/playbooks/online-record-access/checklists.csv",
            "cy/playbooks/online-record-access/index.html"
        ],
        "the quick path renders the Welsh page alone"
    );
    served.assert_fresh(&rebuilt);
    // An English body edit of a page shown untranslated in Welsh: both pages, quickly.
    let english_only = "content/playbooks/covid-oximetry-at-home.md";
    let text = served.read(english_only);
    let rebuilt = served.save(
        english_only,
        &text.replacen("## ", "Brawddeg newydd.\n\n## ", 1),
    );
    assert_eq!(
        rebuilt.rendered,
        [
            "cy/playbooks/covid-oximetry-at-home/checklists.csv",
            "cy/playbooks/covid-oximetry-at-home/index.html",
            "playbooks/covid-oximetry-at-home/checklists.csv",
            "playbooks/covid-oximetry-at-home/index.html"
        ]
    );
    served.assert_fresh(&rebuilt);
    // An original's body checklist item renamed: its translation's item takes the new id.
    let bundle = "content/playbooks/diabetes-self-management/index.md";
    let text = served.read(bundle);
    let first = text.find("- [ ] ").expect("a task list item");
    let renamed = format!(
        "{}- [ ] Renamed first step\n{}",
        &text[..first],
        &text[first..]
    );
    let rebuilt = served.save(bundle, &renamed);
    let files = rebuilt.files.as_ref().expect("files");
    let welsh_page =
        String::from_utf8_lossy(&files["cy/playbooks/diabetes-self-management/index.html"]);
    assert!(welsh_page.contains("data-item=\"renamed-first-step\""));
    served.assert_fresh(&rebuilt);
    // A broken link in a Welsh body fails, and fixing it builds again.
    let text = served.read(welsh);
    let broken = served.save(welsh, &format!("{text}\n[dim](/nowhere/)\n"));
    assert!(broken.files.is_none());
    assert!(broken
        .report
        .diagnostics
        .iter()
        .any(|d| d.file == welsh && d.is_error()));
    let rebuilt = served.save(welsh, &text);
    assert!(rebuilt.files.is_some(), "{:?}", rebuilt.report.diagnostics);
    served.assert_fresh(&rebuilt);
    // The English original's front matter: the Welsh page takes what it does not translate.
    let text = served.read(english);
    let rebuilt = served.save(
        english,
        &text.replacen("name: \"PracticeView\"", "name: \"PracticeView 2\"", 1),
    );
    let files = rebuilt.files.as_ref().expect("files");
    let page = String::from_utf8_lossy(&files["cy/playbooks/online-record-access/index.html"]);
    assert!(
        page.contains("PracticeView 2"),
        "the translation follows its original"
    );
    served.assert_fresh(&rebuilt);
    // A translation that changes a non-text value fails, and the next good edit builds.
    let text = served.read(welsh);
    let broken = served.save(
        welsh,
        &text.replacen("---\n", "---\nstatus: retired\naudiences: [gp]\n", 1),
    );
    assert!(
        broken.files.is_none(),
        "a refused translation fails the rebuild"
    );
    assert!(broken
        .report
        .diagnostics
        .iter()
        .any(|d| d.file == welsh && d.message == "`audiences` may not differ from the original"));
    let rebuilt = served.save(welsh, &text);
    assert!(rebuilt.files.is_some());
    served.assert_fresh(&rebuilt);
}
