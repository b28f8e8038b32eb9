//! `sitemap.xml` and `feed.xml` (Atom): the published site as lists for crawlers and feed
//! readers. Both hold only listed pages (published, not drafts or retired ones), with absolute
//! URLs built from `base_url`. Written by hand: two small fixed formats need only escaping.

use std::collections::{HashMap, HashSet};

use crate::content::model::{Change, IsoDate, PlaybookMeta};
use crate::content::PageMeta;
use crate::render::OutputFile;
use crate::site::{Site, SitePage};

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than written.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The site's own URL joined to a path that starts with `/`.
fn absolute(site: &Site, url: &str) -> String {
    format!("{}{url}", site.config.base_url)
}

fn review_date(page: &SitePage) -> Option<IsoDate> {
    match page.meta() {
        PageMeta::Playbook(p) => Some(p.last_reviewed),
        PageMeta::Guide(g) => g.last_reviewed,
    }
}

/// The URL of every HTML page among the written `paths` of each language edition that a
/// reader may be sent to: generated list pages, sections and listed pages; never the 404 page,
/// drafts or retired pages. On a site in more than one language, each URL lists its versions
/// in the other languages (`xhtml:link`, with `x-default` for the default language's).
pub fn sitemap(editions: &[(&Site, &[String])]) -> OutputFile {
    let multilingual = editions.len() > 1;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(if multilingual {
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    } else {
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    });
    for (site, paths) in editions {
        sitemap_entries(site, paths, multilingual, &mut xml);
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        contents: xml.into_bytes(),
    }
}

/// One edition's `<url>` entries.
fn sitemap_entries(site: &Site, paths: &[String], multilingual: bool, xml: &mut String) {
    let unlisted: HashSet<&str> = site
        .pages
        .iter()
        .filter(|p| !p.is_listed())
        .map(|p| p.url.as_str())
        .collect();
    let reviewed: HashMap<&str, IsoDate> = site
        .pages
        .iter()
        .filter_map(|p| review_date(p).map(|d| (p.url.as_str(), d)))
        .collect();
    // The original each page and section URL stands for, to find its other versions.
    let originals: HashMap<&str, String> = if multilingual {
        site.pages
            .iter()
            .map(|p| (p.url.as_str(), p.parsed.original_rel_path().to_string()))
            .chain(
                site.sections
                    .iter()
                    .map(|s| (s.url.as_str(), crate::site::languages::section_key(&s.key))),
            )
            .collect()
    } else {
        HashMap::new()
    };
    let mut urls: Vec<String> = paths
        .iter()
        .filter_map(|path| path.strip_suffix("index.html"))
        .map(|dir| format!("/{dir}"))
        .filter(|url| !unlisted.contains(url.as_str()))
        .collect();
    urls.sort();
    urls.dedup();
    for url in urls {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&xml_escape(&absolute(site, &url)));
        xml.push_str("</loc>\n");
        if let Some(date) = reviewed.get(url.as_str()) {
            xml.push_str(&format!("    <lastmod>{}</lastmod>\n", date.iso()));
        }
        if multilingual {
            let versions = match originals.get(url.as_str()) {
                Some(original) => site.languages.page_versions(original),
                None => site.languages.generated_versions(&url),
            };
            let real: Vec<_> = versions
                .iter()
                .filter(|v| v.exists && v.translated)
                .collect();
            if real.len() > 1 {
                for v in &real {
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                        xml_escape(&v.edition.code),
                        xml_escape(&v.absolute)
                    ));
                }
                if let Some(default) = versions.first().filter(|v| v.exists && v.translated) {
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                        xml_escape(&default.absolute)
                    ));
                }
            }
        }
        xml.push_str("  </url>\n");
    }
}

/// Listed playbooks, most recently reviewed first (then by title).
pub fn playbooks_by_review(site: &Site) -> Vec<&SitePage> {
    let mut playbooks: Vec<&SitePage> = site
        .listed_pages()
        .filter(|p| p.meta().playbook().is_some())
        .collect();
    playbooks.sort_by(|a, b| {
        review_date(b)
            .cmp(&review_date(a))
            .then_with(|| a.meta().title().cmp(b.meta().title()))
    });
    playbooks
}

fn timestamp(date: IsoDate) -> String {
    format!("{}T00:00:00Z", date.iso())
}

/// An Atom feed of listed playbooks by last review: a feed reader shows a playbook again each
/// time it is reviewed.
pub fn atom_feed(site: &Site) -> OutputFile {
    let playbooks = playbooks_by_review(site);
    let updated = playbooks
        .first()
        .and_then(|p| review_date(p))
        .unwrap_or(site.today);
    let title = xml_escape(&site.config.title);
    let home = xml_escape(&absolute(site, "/"));
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         \x20 <title>{title}</title>\n\
         \x20 <subtitle>Playbooks by last review</subtitle>\n\
         \x20 <id>{home}</id>\n\
         \x20 <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n\
         \x20 <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n\
         \x20 <updated>{updated}</updated>\n\
         \x20 <author><name>{title}</name></author>\n\
         \x20 <generator>playbook</generator>\n",
        lang = xml_escape(&site.config.language),
        feed = xml_escape(&absolute(site, "/feed.xml")),
        updated = timestamp(updated),
    );
    // Each playbook's review, then (1.1) each of its changes; newest first, a playbook's review
    // before its changes of the same day. A site without `changes` gets the review entries
    // alone, in the order they always had.
    let mut entries: Vec<(IsoDate, String)> = Vec::new();
    for page in playbooks {
        let Some(p) = page.meta().playbook() else {
            continue;
        };
        entries.push((p.last_reviewed, review_entry(site, page, p)));
        for change in &p.changes {
            entries.push((change.date, change_entry(site, page, p, change)));
        }
    }
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    for (_, entry) in entries {
        xml.push_str(&entry);
    }
    xml.push_str("</feed>\n");
    OutputFile {
        path: "feed.xml".into(),
        contents: xml.into_bytes(),
    }
}

/// The entry of a playbook's last review.
fn review_entry(site: &Site, page: &SitePage, p: &PlaybookMeta) -> String {
    let link = xml_escape(&absolute(site, &page.url));
    let mut xml = String::from("  <entry>\n");
    xml.push_str(&format!("    <title>{}</title>\n", xml_escape(&p.title)));
    xml.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n"
    ));
    xml.push_str(&format!("    <id>{link}</id>\n"));
    xml.push_str(&format!(
        "    <updated>{}</updated>\n",
        timestamp(p.last_reviewed)
    ));
    xml.push_str(&format!(
        "    <summary>{}</summary>\n",
        xml_escape(&p.summary)
    ));
    push_authors(&mut xml, p);
    for stage in &p.pathway.stages {
        let label = site
            .config
            .name_of(crate::vocabulary::Vocabulary::Stages, stage)
            .unwrap_or(stage);
        xml.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            xml_escape(stage),
            xml_escape(label)
        ));
    }
    xml.push_str("  </entry>\n");
    xml
}

fn push_authors(xml: &mut String, p: &PlaybookMeta) {
    for owner in &p.owners {
        xml.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml_escape(&owner.name)
        ));
    }
}

/// The entry of one change (1.1): its id is the playbook's URL and the change's version, which
/// no later change can reuse (versions only rise), so a feed reader shows it once.
fn change_entry(site: &Site, page: &SitePage, p: &PlaybookMeta, change: &Change) -> String {
    let page_link = absolute(site, &page.url);
    let mut summary = crate::markdown::render_inline(&change.summary, &site.config.base_path);
    if !change.retrain.is_empty() {
        let roles: Vec<&str> = change
            .retrain
            .iter()
            .map(|r| {
                site.config
                    .name_of(crate::vocabulary::Vocabulary::Roles, r)
                    .unwrap_or(r)
            })
            .collect();
        summary.push_str(&format!(" Retraining needed for: {}.", roles.join(", ")));
    }
    let mut xml = String::from("  <entry>\n");
    xml.push_str(&format!(
        "    <title>{}: version {}</title>\n",
        xml_escape(&p.title),
        xml_escape(&change.version)
    ));
    xml.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&format!("{page_link}#what-has-changed"))
    ));
    xml.push_str(&format!(
        "    <id>{}</id>\n",
        xml_escape(&format!("{page_link}#change-{}", change.version))
    ));
    xml.push_str(&format!(
        "    <updated>{}</updated>\n",
        timestamp(change.date)
    ));
    xml.push_str(&format!(
        "    <summary type=\"html\">{}</summary>\n",
        xml_escape(&summary)
    ));
    push_authors(&mut xml, p);
    xml.push_str("  </entry>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml_escape("A & B <c> \"d\" 'e'\u{1}"),
            "A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
    }

    #[test]
    fn timestamps_are_rfc3339() {
        let date = IsoDate::parse("2026-10-02").unwrap();
        assert_eq!(timestamp(date), "2026-10-02T00:00:00Z");
    }
}
