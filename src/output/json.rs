//! `playbooks.json` (every built playbook's front matter, URL and status, for dashboards and
//! other tools) and `playbook.schema.json` (the front matter's JSON Schema with this site's
//! vocabularies).

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::no_nulls::NoNulls;

use crate::content::json_schema;
use crate::content::model::{PlaybookMeta, Status};
use crate::render::OutputFile;
use crate::site::Site;

/// Where `playbooks.json` goes in the output.
pub const PLAYBOOKS_JSON: &str = "playbooks.json";

/// Entries serialised together (in parallel) before they are appended to the file.
const ENTRIES_PER_BATCH: usize = 256;

/// The version of the `playbooks.json` layout; raised only if a field changes meaning.
pub const PLAYBOOKS_JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    base_url: &'a str,
    /// The path of `base_url` the site is published under, when it has one: a playbook's `url`
    /// without it is its site path, which saved checklist progress is keyed on.
    #[serde(skip_serializing_if = "str::is_empty")]
    base_path: &'a str,
    /// The date review checks used (`PLAYBOOK_TODAY` or the build's date).
    built_on: String,
}

#[derive(Serialize)]
struct PlaybookEntry<'a> {
    /// The page's address on its host: its site path with the base path in front.
    url: &'a str,
    permalink: String,
    status: &'static str,
    /// Without the fields that were not given (see `NoNulls`).
    front_matter: NoNulls<'a, PlaybookMeta>,
    /// Its translations, on a site in more than one language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    translations: Vec<TranslationEntry<'a>>,
}

/// One translation of a playbook.
#[derive(Serialize)]
struct TranslationEntry<'a> {
    /// Its language's code (`cy`).
    language: &'a str,
    /// Its title in that language.
    title: &'a str,
    /// Its address on its host (`/cy/playbooks/x/`).
    url: String,
    /// Its absolute address.
    permalink: String,
}

/// Every built playbook that is not a draft: published and retired ones, each with its status,
/// sorted by URL. Drafts appear in no list, this one included, even in a `--drafts` build.
///
/// The file is `{"version", "site", "playbooks": [...]}`. Each entry is serialised on its own,
/// in parallel batches, and only its bytes are kept until written: a whole-file value tree for
/// 10,000 playbooks would take several times the file's size in memory. It is compact JSON (a pretty-printed one was
/// 190 MB at 10,000 playbooks); browsers' JSON viewers and `jq` indent it for reading.
pub fn playbooks_json(site: &Site) -> OutputFile {
    let mut contents = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_playbooks_json(site, &mut contents);
    OutputFile {
        path: PLAYBOOKS_JSON.into(),
        contents,
    }
}

/// Writes `playbooks.json` (see [`playbooks_json`]) to `out`: `build` streams it into its
/// file, so the whole file (130 MB at 10,000 playbooks) is never held in memory.
pub fn write_playbooks_json(site: &Site, out: &mut impl Write) -> io::Result<()> {
    let mut pages: Vec<_> = site
        .pages
        .iter()
        .filter(|page| {
            page.meta()
                .playbook()
                .is_some_and(|meta| meta.status != Status::Draft)
        })
        .collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    let info = SiteInfo {
        title: &site.config.title,
        base_url: &site.config.base_url,
        base_path: &site.config.base_path,
        built_on: site.today.iso(),
    };
    write!(out, "{{\"version\":{PLAYBOOKS_JSON_VERSION},\"site\":")?;
    serde_json::to_writer(&mut *out, &info)?;
    out.write_all(b",\"playbooks\":[")?;
    // A batch at a time: its entries are serialised in parallel, then written in order.
    let mut first = true;
    for batch in pages.chunks(ENTRIES_PER_BATCH) {
        let entries: Vec<Vec<u8>> = batch
            .par_iter()
            .filter_map(|page| {
                let meta = page.meta().playbook()?;
                let versions = site
                    .languages
                    .page_versions(page.parsed.original_rel_path());
                let translations = versions
                    .iter()
                    .skip(1)
                    .filter(|v| v.exists && v.translated)
                    .map(|v| TranslationEntry {
                        language: &v.edition.code,
                        title: v.title,
                        url: v.href.clone(),
                        permalink: v.absolute.clone(),
                    })
                    .collect();
                serde_json::to_vec(&PlaybookEntry {
                    url: &site.config.url_of(&page.url),
                    permalink: format!("{}{}", site.config.base_url, page.url),
                    status: meta.status.as_str(),
                    front_matter: NoNulls(meta),
                    translations,
                })
                .ok()
            })
            .collect();
        for entry in entries {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(&entry)?;
        }
    }
    out.write_all(b"]}\n")
}

/// The JSON Schema with this site's stage, setting and role ids as enums.
pub fn schema_file(site: &Site) -> OutputFile {
    OutputFile {
        path: "playbook.schema.json".into(),
        contents: json_schema::playbook_schema_text(Some(&site.config)).into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_are_left_out_at_every_depth() {
        let value = json!({"a": null, "b": [{"c": null, "d": 1}], "e": {"f": null}, "g": [null]});
        let written = serde_json::to_string(&NoNulls(&value)).unwrap();
        assert_eq!(written, r#"{"b":[{"d":1}],"e":{},"g":[null]}"#);
    }
}
