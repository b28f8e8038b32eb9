//! The JSON Schema of playbook front matter, checked by an independent validator (the
//! `jsonschema` crate): it accepts every bundled playbook and what `playbook new` writes, and
//! rejects broken front matter the way `check` does.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The front matter of a Markdown file as JSON (as an editor's YAML extension reads it).
fn front_matter(text: &str) -> Value {
    let text = text.trim_start_matches('\u{feff}');
    let rest = text
        .strip_prefix("---\n")
        .expect("front matter opens with ---");
    let end = rest.find("\n---\n").expect("front matter closes with ---");
    serde_yaml::from_str(&rest[..end]).expect("front matter is YAML")
}

fn printed_schema() -> Value {
    // Outside any site: `schema` needs no site.toml.
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .arg("schema")
        .current_dir(dir.path())
        .output()
        .expect("run playbook schema");
    assert_eq!(output.status.code(), Some(0));
    serde_json::from_slice(&output.stdout).expect("schema is JSON")
}

fn bundled_playbooks() -> Vec<(String, Value)> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut found = Vec::new();
    let mut stack = vec![content];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md")
                // A translation (`x.cy.md`) holds only text: its other fields are its original's.
                && !path.to_string_lossy().ends_with(".cy.md")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                if !text.starts_with("---") {
                    continue;
                }
                let value = front_matter(&text);
                if value.get("pathway").is_some() {
                    found.push((path.display().to_string(), value));
                }
            }
        }
    }
    assert!(found.len() >= 6, "found {} playbooks", found.len());
    found
}

fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("a valid JSON Schema");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_printed_schema_is_draft_07_and_describes_every_field() {
    let schema = printed_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::draft7::meta::validate(&schema).expect("valid against the draft-07 meta-schema");
    let summary = &schema["properties"]["summary"];
    assert_eq!(summary["maxLength"], 300);
    assert!(summary["description"]
        .as_str()
        .unwrap()
        .contains("search results"));
}

#[test]
fn the_schema_accepts_every_bundled_playbook() {
    let printed = printed_schema();
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = common::playbook(root, &["build", "--output", out.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("playbook.schema.json")).unwrap(),
    )
    .unwrap();
    for (file, value) in bundled_playbooks() {
        assert_eq!(errors(&printed, &value), Vec::<String>::new(), "{file}");
        assert_eq!(
            errors(&site, &value),
            Vec::<String>::new(),
            "{file} (site schema)"
        );
    }
}

#[test]
fn the_schema_rejects_broken_front_matter() {
    let schema = printed_schema();
    let (_, good) = bundled_playbooks().remove(0);
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut value = good.clone();
        change(&mut value);
        errors(&schema, &value)
    };
    let misspelt = broken(&|v| {
        let training = v["training"].take();
        v.as_object_mut()
            .unwrap()
            .insert("traning".into(), training);
    });
    assert!(
        misspelt.iter().any(|e| e.contains("traning")),
        "{misspelt:?}"
    );
    let bad_kind = broken(&|v| v["technology"]["kind"] = "remote-monitor".into());
    assert!(
        bad_kind.iter().any(|e| e.contains("/technology/kind")),
        "{bad_kind:?}"
    );
    let missing = broken(&|v| {
        v.as_object_mut().unwrap().remove("owners");
    });
    assert!(missing.iter().any(|e| e.contains("owners")), "{missing:?}");
    let long = broken(&|v| v["summary"] = "x".repeat(301).into());
    assert!(long.iter().any(|e| e.contains("/summary")), "{long:?}");
    let bad_date = broken(&|v| v["last_reviewed"] = "2 October 2026".into());
    assert!(
        bad_date.iter().any(|e| e.contains("/last_reviewed")),
        "{bad_date:?}"
    );
    let bad_id = broken(&|v| v["audiences"][0] = "Practice Nurse".into());
    assert!(
        bad_id.iter().any(|e| e.contains("/audiences/0")),
        "{bad_id:?}"
    );
}

#[test]
fn guidance_ids_are_one_string_or_a_list_and_commissioning_is_closed() {
    let schema = printed_schema();
    let guidance = &schema["definitions"]["assurance"]["properties"]["nice_guidance_id"];
    assert_eq!(guidance["oneOf"][0]["type"], "string");
    assert_eq!(guidance["oneOf"][1]["type"], "array");
    assert_eq!(guidance["oneOf"][1]["minItems"], 1);
    assert_eq!(
        guidance["oneOf"][0]["pattern"], guidance["oneOf"][1]["items"]["pattern"],
        "each id in a list has the single id's pattern"
    );
    let tier = schema["definitions"]["assurance"]["properties"]["nice_esf_tier"]["description"]
        .as_str()
        .unwrap();
    assert!(
        tier.contains("C interventions") && tier.contains("self-management"),
        "{tier}"
    );
    let (_, good) = bundled_playbooks().remove(0);
    let with = |change: &dyn Fn(&mut Value)| {
        let mut value = good.clone();
        change(&mut value);
        errors(&schema, &value)
    };
    let no_errors = Vec::<String>::new();
    assert_eq!(
        with(&|v| v["assurance"]["nice_guidance_id"] = "HTE13".into()),
        no_errors
    );
    assert_eq!(
        with(&|v| v["assurance"]["nice_guidance_id"] = serde_json::json!(["HTE8", "HTE9"])),
        no_errors
    );
    let bad_item =
        with(&|v| v["assurance"]["nice_guidance_id"] = serde_json::json!(["HTE8", "HTE 9"]));
    assert!(
        bad_item
            .iter()
            .any(|e| e.contains("/assurance/nice_guidance_id")),
        "{bad_item:?}"
    );
    let empty = with(&|v| v["assurance"]["nice_guidance_id"] = serde_json::json!([]));
    assert!(!empty.is_empty(), "an empty list is refused");
    let commissioning = serde_json::json!({
        "funding": "ICB budget",
        "annual_cost": "About £10,000",
        "contract_end": "2027-03-31",
        "procurement_route": "A framework",
        "dspt": "standards-met",
        "device_class": "not-a-device",
    });
    assert_eq!(
        with(&|v| v["commissioning"] = commissioning.clone()),
        no_errors
    );
    let bad_enum = with(&|v| {
        v["commissioning"] = commissioning.clone();
        v["commissioning"]["dspt"] = "standards-meet".into();
    });
    assert!(
        bad_enum.iter().any(|e| e.contains("/commissioning/dspt")),
        "{bad_enum:?}"
    );
    let unknown = with(&|v| {
        v["commissioning"] = commissioning.clone();
        v["commissioning"]["budget"] = "x".into();
    });
    assert!(unknown.iter().any(|e| e.contains("budget")), "{unknown:?}");
}

#[test]
fn the_site_schema_knows_the_sites_vocabularies() {
    let out = tempfile::tempdir().unwrap();
    let root = common::fixture("navigation");
    let run = common::playbook(&root, &["build", "--output", out.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("playbook.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        schema["$id"],
        "https://fixture.example.org/playbook.schema.json"
    );
    let text = std::fs::read_to_string(root.join("content/playbooks/alpha-monitoring.md")).unwrap();
    let mut value = front_matter(&text);
    assert_eq!(errors(&schema, &value), Vec::<String>::new());
    value["audiences"][0] = "pharmacist".into(); // a valid id, but not one of this site's roles
    let found = errors(&schema, &value);
    assert!(
        found.iter().any(|e| e.contains("/audiences/0")),
        "{found:?}"
    );
}

#[test]
fn what_playbook_new_writes_is_valid_against_the_schema() {
    let schema = printed_schema();
    let site = common::copy_fixture("navigation");
    for (path, kind) in [
        ("playbooks/new-one.md", "playbook"),
        ("guides/new-guide.md", "guide"),
    ] {
        let run = common::playbook(site.path(), &["new", path, "--kind", kind]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = std::fs::read_to_string(site.path().join("content").join(path)).unwrap();
        let value = front_matter(&text);
        if kind == "playbook" {
            assert_eq!(errors(&schema, &value), Vec::<String>::new(), "{text}");
        } else {
            let guide = serde_json::json!({
                "$schema": schema["$schema"],
                "definitions": schema["definitions"],
                "$ref": "#/definitions/guide",
            });
            assert_eq!(errors(&guide, &value), Vec::<String>::new(), "{text}");
        }
    }
}
