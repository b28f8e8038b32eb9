//! `playbooks.json` (every built playbook's front matter, URL and status, for dashboards and
//! other tools) and `playbook.schema.json` (the front matter's JSON Schema with this site's
//! vocabularies).

use serde::Serialize;
use serde_json::Value;

use crate::content::json_schema;
use crate::content::model::Status;
use crate::output::OutputFile;
use crate::site::Site;

/// The version of the `playbooks.json` layout; raised only if a field changes meaning.
pub const PLAYBOOKS_JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct PlaybooksFile<'a> {
    version: u32,
    site: SiteInfo<'a>,
    playbooks: Vec<PlaybookEntry<'a>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    base_url: &'a str,
    /// The date review checks used (`PLAYBOOK_TODAY` or the build's date).
    built_on: String,
}

#[derive(Serialize)]
struct PlaybookEntry<'a> {
    url: &'a str,
    permalink: String,
    status: &'static str,
    front_matter: Value,
}

/// Every built playbook that is not a draft: published and retired ones, each with its status.
/// Drafts appear in no list, this one included, even in a `--drafts` build.
pub fn playbooks_json(site: &Site) -> OutputFile {
    let mut playbooks: Vec<PlaybookEntry> = site
        .pages
        .iter()
        .filter_map(|page| {
            let meta = page.meta().playbook()?;
            if meta.status == Status::Draft {
                return None;
            }
            let front_matter = serde_json::to_value(meta).map(without_nulls).ok()?;
            Some(PlaybookEntry {
                url: &page.url,
                permalink: format!("{}{}", site.config.base_url, page.url),
                status: meta.status.as_str(),
                front_matter,
            })
        })
        .collect();
    playbooks.sort_by(|a, b| a.url.cmp(b.url));
    let file = PlaybooksFile {
        version: PLAYBOOKS_JSON_VERSION,
        site: SiteInfo {
            title: &site.config.title,
            base_url: &site.config.base_url,
            built_on: site.today.iso(),
        },
        playbooks,
    };
    let mut contents = serde_json::to_vec_pretty(&file).unwrap_or_default();
    contents.push(b'\n');
    OutputFile {
        path: "playbooks.json".into(),
        contents,
    }
}

/// The JSON Schema with this site's stage, setting and role ids as enums.
pub fn schema_file(site: &Site) -> OutputFile {
    OutputFile {
        path: "playbook.schema.json".into(),
        contents: json_schema::playbook_schema_text(Some(&site.config)).into_bytes(),
    }
}

/// Leaves out fields that were not given (`null`), so the JSON reads like the front matter.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_are_left_out_at_every_depth() {
        let value = json!({"a": null, "b": [{"c": null, "d": 1}], "e": {"f": null}});
        assert_eq!(without_nulls(value), json!({"b": [{"d": 1}], "e": {}}));
    }
}
