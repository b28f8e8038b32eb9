//! Team records (`progress/<team>.yaml`): every problem with its file, line, column and exact
//! message; the team pages and progress.json; `playbook progress import` and `status`.

mod common;

use common::{check, check_fixture, copy_fixture, playbook};

const FILE: &str = "progress/bad-team.yaml";

#[test]
fn each_problem_of_a_progress_file_is_reported_at_its_place() {
    let checked = check_fixture("team-progress-errors");
    assert_eq!(checked.code, 1);
    let found: Vec<(u64, u64, &str)> = checked
        .found
        .iter()
        .inspect(|f| assert_eq!((f.severity.as_str(), f.file.as_str()), ("error", FILE)))
        .map(|f| (f.line, f.column, f.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (2, 1, "unknown field `organisaton`"),
            (4, 3, "unknown playbook `playbooks/wards`"),
            (8, 15, "`playbooks/ward` has no item `safe-to-start/safety-cse`"),
            (11, 15, "`playbooks/ward` has no checklist `safe-to-stat`"),
            (16, 13, "unknown role `gpp` in `playbooks.playbooks/ward.done[2].by`"),
            (20, 19, "evidence `/guides/missing/` points at no page or file of this site"),
            (21, 15, "`safe-to-start/dpia-signed` is recorded twice (first on line 17)"),
            (25, 15, "`2027-01-01` is in the future (today is 2026-11-22)"),
            (29, 19, "`go` for the go-live phase on 2026-06-15 breaks a gate: 2 gate items are not done by then: `safe-to-start/safety-case` (not done), `safe-to-start/dpia-signed` (done 2026-07-01, after the decision)"),
            (33, 19, "a `go-with-conditions` decision needs its `conditions`"),
            (33, 19, "`go-with-conditions` for the prepare phase on 2026-07-05 breaks a gate: a gate item is not done by then: `safe-to-start/safety-case` (not done)"),
            (37, 19, "`maybe` is not a valid value for `decision`"),
            (39, 13, "`playbooks.playbooks/ward.decisions[2].by` needs at least 1 item(s)"),
        ]
    );
    assert_eq!(checked.help_at(2), "did you mean `organisation`?");
    assert!(checked
        .help_at(8)
        .starts_with("did you mean `safe-to-start/safety-case`?"));
    assert!(checked
        .help_at(11)
        .starts_with("did you mean `safe-to-start`?"));
}

#[test]
fn github_annotations_name_the_progress_file() {
    let run = playbook(
        &common::fixture("team-progress-errors"),
        &["check", "--format", "github"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "::error file=progress/bad-team.yaml,line=2,col=1::unknown field `organisaton`"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn status_exits_1_when_a_decision_breaks_a_gate() {
    let run = playbook(
        &common::fixture("team-progress-errors"),
        &["progress", "status"],
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Decision: go for go-live on 2026-06-15 BREAKS A GATE: not done by then: safe-to-start/safety-case, safe-to-start/dpia-signed"), "{}", run.stdout);
    let good = playbook(
        &common::fixture("team-progress"),
        &["progress", "status", "--team", "good-team"],
    );
    assert_eq!(good.code, 0, "{}", good.stderr);
    assert_eq!(
        good.stdout,
        "Good team (progress/good-team.yaml)\n  Ward playbook (playbooks/ward)\n    Prepare: 2 of 3 done\n    Pilot: 0 of 1 done\n    Other checklists: 1 of 1 done\n    Open gate items: none\n    Decision: go-with-conditions for pilot on 2026-06-10\n"
    );
}

#[test]
fn team_pages_show_the_record() {
    let site = copy_fixture("team-progress");
    let out = tempfile::tempdir().expect("temp dir");
    let run = playbook(
        site.path(),
        &["build", "--output", out.path().to_str().expect("utf-8")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = |path: &str| std::fs::read_to_string(out.path().join(path)).expect(path);
    let teams = read("teams/index.html");
    assert!(
        teams.contains("<a href=\"/teams/good-team/\">Good team</a>"),
        "{teams}"
    );
    assert!(
        teams.contains(
            "3 of 5 items done; latest decision: Go, with conditions (Pilot), 10 June 2026"
        ),
        "{teams}"
    );
    let team = read("teams/good-team/index.html");
    assert!(team.contains("Prepare: 2 of 3 done"), "{team}");
    assert!(team.contains("style=\"width: 66%\""), "{team}");
    assert!(
        team.contains("Note: Approved at the <em>June</em> board"),
        "{team}"
    );
    assert!(
        team.contains("<p>Conditions: Weekly review for a month</p>"),
        "{team}"
    );
    assert!(team.contains("None: every gate item is done."), "{team}");
    let json: serde_json::Value =
        serde_json::from_str(&read("teams/good-team/progress.json")).expect("JSON");
    assert_eq!(json["team"]["name"], "Good team");
    assert_eq!(json["playbooks"][0]["items_done"], 3);
    assert_eq!(
        json["playbooks"][0]["done"][1]["evidence"],
        "/playbooks/ward/"
    );
    assert_eq!(
        json["playbooks"][0]["decisions"][0]["decision"],
        "go-with-conditions"
    );
    let playbook_page = read("playbooks/ward/index.html");
    assert!(playbook_page.contains("<h2 id=\"team-records\">Team records</h2>"));
    assert!(playbook_page.contains("data-team-done=\"safe-to-start/safety-case safe-to-start/dpia-signed local-steps/tell-the-practices\""), "{playbook_page}");
    // The role owning a gate item sees it open for no team here (all done).
    assert!(!read("roles/gp/index.html").contains("team-gates"));
}

#[test]
fn a_translated_playbook_keeps_its_team_records_in_every_language() {
    let site = copy_fixture("team-progress");
    let root = site.path();
    let config = std::fs::read_to_string(root.join("site.toml")).expect("site.toml");
    std::fs::write(
        root.join("site.toml"),
        format!("{config}\n[languages.cy]\nname = \"Cymraeg\"\ntitle = \"Safle prawf\"\n"),
    )
    .expect("write site.toml");
    std::fs::write(
        root.join("content/playbooks/ward.cy.md"),
        "---\ntitle: \"Llyfr chwarae'r ward\"\nsummary: \"Llyfr chwarae gydag eitemau giât.\"\n---\n\n## Camau lleol {#local-steps}\n\n- [ ] Dweud wrth y practisau\n",
    )
    .expect("write translation");
    let out = tempfile::tempdir().expect("temp dir");
    let run = playbook(
        root,
        &["build", "--output", out.path().to_str().expect("utf-8")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = |path: &str| std::fs::read_to_string(out.path().join(path)).expect(path);
    for team in [
        "teams/good-team/index.html",
        "cy/teams/good-team/index.html",
    ] {
        let page = read(team);
        assert!(
            page.contains("Prepare: 2 of 3") || page.contains(": 2 o 3"),
            "{team}: {page}"
        );
    }
    let welsh: serde_json::Value =
        serde_json::from_str(&read("cy/teams/good-team/progress.json")).expect("JSON");
    assert_eq!(welsh["playbooks"][0]["path"], "playbooks/ward");
    assert_eq!(welsh["playbooks"][0]["items_done"], 3);
    assert!(read("cy/playbooks/ward/index.html").contains("data-team-done="));
}

#[test]
fn import_adds_ticked_items_once_and_keeps_the_file_as_written() {
    let site = copy_fixture("team-progress");
    let file = site.path().join("progress/good-team.yaml");
    let before = std::fs::read_to_string(&file).expect("file");
    let export = site.path().join("export.json");
    std::fs::write(&export, r#"{"format":"playbook-progress","version":1,"exported":"2026-11-20T09:00:00.000Z","playbooks":{"/playbooks/ward/":{"safe-to-start":{"safety-case":true,"dpia-signed":false,"kit":true},"pilot":{"huddle":false},"local-steps":{"tell-the-practices":true}}}}"#).expect("write");
    let args = [
        "progress",
        "import",
        export.to_str().expect("utf-8"),
        "--team",
        "good-team",
        "--by",
        "gp",
        "--date",
        "2026-11-20",
    ];
    let run = playbook(site.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Updated progress/good-team.yaml: added 1 item(s):\n  + playbooks/ward: safe-to-start/kit\n"), "{}", run.stdout);
    assert!(run.stdout.contains("safe-to-start/dpia-signed is recorded as done but not ticked in the export; it was left in the file"), "{}", run.stdout);
    let after = std::fs::read_to_string(&file).expect("file");
    let added = "      - item: safe-to-start/kit\n        date: 2026-11-20\n        by: gp\n";
    assert_eq!(
        after,
        before.replace("    decisions:\n", &format!("{added}    decisions:\n"))
    );
    // Twice changes nothing.
    let again = playbook(site.path(), &args);
    assert_eq!(again.code, 0);
    assert!(
        again.stdout.starts_with("Nothing to add"),
        "{}",
        again.stdout
    );
    assert_eq!(std::fs::read_to_string(&file).expect("file"), after);
    assert_eq!(check(site.path(), &[]).code, 0);
}

#[test]
fn import_creates_a_missing_file_and_refuses_other_sites_and_unknown_items() {
    let site = copy_fixture("team-progress");
    let export = site.path().join("export.json");
    let run_with = |json: &str| {
        std::fs::write(&export, json).expect("write");
        playbook(
            site.path(),
            &[
                "progress",
                "import",
                export.to_str().expect("utf-8"),
                "--team",
                "new-team",
                "--by",
                "gp",
                "--date",
                "2026-11-01",
            ],
        )
    };
    let other = run_with(
        r#"{"format":"playbook-progress","version":1,"playbooks":{"/elsewhere/x/":{"a":{"b":true}}}}"#,
    );
    assert_eq!(other.code, 1);
    assert!(other.stderr.contains("is from another site: none of its playbooks (/elsewhere/x/) is a playbook of this site; nothing was imported"), "{}", other.stderr);
    let unknown = run_with(
        r#"{"format":"playbook-progress","version":1,"playbooks":{"/playbooks/ward/":{"safe-to-start":{"nope":true}}}}"#,
    );
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("names things this site does not have, so nothing was imported: items /playbooks/ward/ does not have: safe-to-start/nope"), "{}", unknown.stderr);
    assert!(!site.path().join("progress/new-team.yaml").exists());
    let made = run_with(
        r#"{"format":"playbook-progress","version":1,"playbooks":{"/playbooks/ward/":{"safe-to-start":{"kit":true}}}}"#,
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let text =
        std::fs::read_to_string(site.path().join("progress/new-team.yaml")).expect("created");
    assert!(text.contains("team: new-team"));
    assert!(text.ends_with("playbooks:\n  playbooks/ward:\n    done:\n      - item: safe-to-start/kit\n        date: 2026-11-01\n        by: gp\n"), "{text}");
    assert_eq!(check(site.path(), &[]).code, 0);
}
