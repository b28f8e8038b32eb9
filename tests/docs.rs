//! docs/format.md cannot fall behind the code: every field the JSON Schema knows (the schema
//! `playbook schema` prints, made from the table `check` validates against), at every depth,
//! and every allowed value, is written in the matching part of the document.

mod common;

use serde_json::Value;

/// The text of docs/format.md from the heading `## {title}` to the next `## ` heading.
fn part<'a>(doc: &'a str, title: &str) -> &'a str {
    let heading = format!("\n## {title}\n");
    let start = doc
        .find(&heading)
        .unwrap_or_else(|| panic!("docs/format.md has no heading `## {title}`"));
    let rest = &doc[start + heading.len()..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// The schema node `node` stands for, following `$ref` and `allOf` into `definitions`.
fn resolve<'a>(schema: &'a Value, node: &'a Value) -> &'a Value {
    if let Some(reference) = node["$ref"].as_str() {
        let name = reference.trim_start_matches("#/definitions/");
        return resolve(schema, &schema["definitions"][name]);
    }
    if let Some([only]) = node["allOf"].as_array().map(Vec::as_slice) {
        return resolve(schema, only);
    }
    node
}

/// Every field path under `node` (`technology.kind`, `checklists[].items[].owner`) with the
/// enum values its value may take.
fn fields(schema: &Value, node: &Value, prefix: &str, out: &mut Vec<(String, Vec<String>)>) {
    let node = resolve(schema, node);
    let Some(properties) = node["properties"].as_object() else {
        return;
    };
    for (name, value) in properties {
        let path = format!("{prefix}{name}");
        let value = resolve(schema, value);
        let (inner, path_in) = if value["type"] == "array" {
            (resolve(schema, &value["items"]), format!("{path}[]."))
        } else {
            (value, format!("{path}."))
        };
        let values = inner["enum"]
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        out.push((path, values));
        fields(schema, inner, &path_in, out);
    }
}

/// Asserts every field of `node` and every value it allows is written in `text`.
fn assert_documented(schema: &Value, node: &Value, text: &str, what: &str) -> usize {
    let mut found = Vec::new();
    fields(schema, node, "", &mut found);
    let mut missing = Vec::new();
    for (path, values) in &found {
        if !text.contains(&format!("`{path}`")) {
            missing.push(format!("field `{path}`"));
        }
        for value in values {
            if !text.contains(&format!("`{value}`")) {
                missing.push(format!("value `{value}` of `{path}`"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/format.md, {what}, does not document: {}",
        missing.join(", ")
    );
    found.len()
}

#[test]
fn format_md_documents_every_field_and_value_the_schema_knows() {
    let run = common::playbook_args(&["schema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: Value = serde_json::from_str(&run.stdout).expect("playbook schema prints JSON");
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"),
    )
    .expect("docs/format.md");

    let playbook = part(&doc, "Fields of a playbook");
    let count = assert_documented(&schema, &schema, playbook, "fields of a playbook");
    // Nested fields are found too, not only the top level.
    assert!(
        count > 80,
        "only {count} playbook fields found in the schema"
    );
    for nested in [
        "technology.kind",
        "assurance.dcb0160",
        "pathway.eligibility.include",
        "checklists[].items[].evidence",
    ] {
        assert!(playbook.contains(&format!("`{nested}`")), "{nested}");
    }
    let guide = &schema["definitions"]["guide"];
    assert_documented(&schema, guide, part(&doc, "Fields of a guide"), "guides");
    let section = &schema["definitions"]["section-index"];
    assert_documented(
        &schema,
        section,
        part(&doc, "Fields of a section `_index.md`"),
        "section indexes",
    );
}

/// No link in the documentation points outside the repository (a clone has no `../shared/`).
#[test]
fn docs_link_only_inside_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).expect("docs/") {
        files.push(entry.expect("entry").path());
    }
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read doc");
        assert!(
            !text.contains("../shared"),
            "{} mentions ../shared",
            file.display()
        );
        let dir = file.parent().expect("in a folder");
        for (i, _) in text.match_indices("](") {
            let target = &text[i + 2..];
            let target = &target[..target.find(')').unwrap_or(0)];
            if target.contains("://") || target.starts_with('#') || target.is_empty() {
                continue;
            }
            let path = dir.join(target.split('#').next().unwrap_or(target));
            let resolved = path
                .canonicalize()
                .unwrap_or_else(|_| panic!("{}: link `{target}` leads nowhere", file.display()));
            assert!(
                resolved.starts_with(root.canonicalize().expect("root")),
                "{}: link `{target}` leaves the repository",
                file.display()
            );
        }
    }
}

/// The first fenced block of `lang` after `heading` in README.md.
fn readme_block(heading: &str, lang: &str) -> String {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README.md");
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README.md has no {heading}"));
    let fence = format!("```{lang}\n");
    let rest = &readme[start..];
    let open = rest.find(&fence).expect("a fenced block") + fence.len();
    let close = rest[open..].find("\n```").expect("a closed block");
    rest[open..open + close].to_string()
}

#[test]
fn readme_publishing_recipes_parse() {
    let gitlab: serde_yaml::Value =
        serde_yaml::from_str(&readme_block("### GitLab Pages", "yaml")).expect("valid YAML");
    // GitLab publishes the `public` artifact of the job named `pages`.
    assert_eq!(gitlab["pages"]["artifacts"]["paths"][0], "public");
    let script = serde_yaml::to_string(&gitlab["pages"]["script"]).unwrap_or_default();
    assert!(script.contains("--base-url \"$CI_PAGES_URL\""), "{script}");
    let azure: serde_yaml::Value =
        serde_yaml::from_str(&readme_block("### Azure Static Web Apps", "yaml")).expect("YAML");
    assert_eq!(azure[1]["with"]["app_location"], "public");
    let config: Value = serde_json::from_str(&readme_block("### Azure Static Web Apps", "json"))
        .expect("valid JSON");
    assert_eq!(config["responseOverrides"]["404"]["rewrite"], "/404.html");
}
