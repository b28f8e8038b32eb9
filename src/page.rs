//! One page from bytes to HTML, without a site folder: the whole pipeline (decode, split, parse,
//! validate, Markdown, templates) run on a site that holds just this page. Fuzzing and the
//! hostile-input tests use it to reach every stage with arbitrary input; the build does not.

use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::content::model::IsoDate;
use crate::content::{self, Discovery, PageSource, SectionIndex, SectionSource};
use crate::diagnostics::Diagnostic;
use crate::render::{self, RenderOptions, RenderRequest, Templates};
use crate::site::urls::output_path_for;
use crate::site::{self, AssembleOptions};
use crate::source::{decode_utf8, SourceText};

/// What became of one page.
#[derive(Debug, Default)]
pub struct PageOutput {
    /// The page's HTML, when it built without errors.
    pub html: Option<String>,
    /// Every problem found, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds `bytes` as the page `content/playbooks/page.md` of a site configured by `config`,
/// using `templates`, and returns its HTML and diagnostics. Never panics on any input.
pub fn render_page_bytes(
    bytes: &[u8],
    config: &SiteConfig,
    templates: &mut Templates,
    today: IsoDate,
) -> PageOutput {
    let rel_path = "content/playbooks/page.md";
    let text = match decode_utf8(rel_path, bytes.to_vec()) {
        Ok(text) => SourceText::new(rel_path, text),
        Err(d) => {
            return PageOutput {
                html: None,
                diagnostics: vec![d],
            }
        }
    };
    let source = PageSource {
        rel_path: rel_path.to_string(),
        abs_path: PathBuf::from(rel_path),
        section: "playbooks".into(),
        url_segments: vec!["playbooks".into(), "page".into()],
        is_bundle: false,
        content_path: "playbooks/page.md".into(),
        listed: true,
        language: None,
    };
    let parse =
        content::parse_page_text(source.clone(), text, config, today, &content::Bases::none());
    let mut diagnostics = parse.diagnostics;
    let Some(page) = parse.page else {
        return PageOutput {
            html: None,
            diagnostics,
        };
    };
    let discovery = Discovery {
        pages: vec![source],
        sections: vec![
            SectionSource {
                key: String::new(),
                index_file: None,
                translations: Vec::new(),
            },
            SectionSource {
                key: "playbooks".into(),
                index_file: None,
                translations: Vec::new(),
            },
        ],
        assets: Vec::new(),
        diagnostics: Vec::new(),
    };
    let options = AssembleOptions {
        team_ids: Vec::new(),
        drafts: false,
        static_paths: Default::default(),
        today,
        default_edition: Default::default(),
    };
    let assembled = site::assemble(
        config.clone(),
        &discovery,
        vec![std::sync::Arc::new(page)],
        vec![SectionIndex::default(), SectionIndex::default()],
        &options,
        &site::render_body,
    );
    diagnostics.extend(assembled.diagnostics);
    let site = assembled.site;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return PageOutput {
            html: None,
            diagnostics,
        };
    }
    let Some(url) = site.pages.first().map(|p| p.url.clone()) else {
        // A draft (or a page the site leaves out) has no HTML of its own.
        return PageOutput {
            html: None,
            diagnostics,
        };
    };
    let wanted = output_path_for(&url);
    // Every file of the site (the page's list pages too: a hostile page must not break them).
    let html = std::sync::Mutex::new(None);
    let jobs = render::jobs(&site);
    let request = RenderRequest {
        jobs: &jobs,
        bodies: Vec::new(),
        progress: None,
        times: None,
        stream_to: None,
    };
    let rendered = render::render_site(
        &site,
        templates,
        &RenderOptions::default(),
        request,
        &|_, file| {
            if file.path == wanted {
                let text = String::from_utf8_lossy(&file.contents).into_owned();
                *html.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(text);
            }
            Ok(())
        },
    );
    match rendered {
        Ok(()) => PageOutput {
            html: html
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
            diagnostics,
        },
        Err(mut d) => {
            diagnostics.append(&mut d);
            PageOutput {
                html: None,
                diagnostics,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn build(text: &str) -> PageOutput {
        let config = SiteConfig::minimal("Test");
        let mut templates =
            render::load_templates(Path::new(env!("CARGO_MANIFEST_DIR")), "default")
                .expect("templates");
        let today = IsoDate::parse("2026-11-22").expect("date");
        render_page_bytes(text.as_bytes(), &config, &mut templates, today)
    }

    #[test]
    fn a_guide_becomes_a_whole_html_page() {
        let out = build("---\ntitle: Hello <b>there</b>\n---\nSome *text*.\n");
        let html = out.html.expect("html");
        assert!(html.contains("Hello &lt;b&gt;there&lt;/b&gt;"), "{html}");
        assert!(html.contains("<em>text</em>"));
        assert!(html.starts_with("<!DOCTYPE html>"));
    }

    #[test]
    fn bad_bytes_and_bad_front_matter_are_diagnostics() {
        let config = SiteConfig::minimal("Test");
        let mut templates =
            render::load_templates(Path::new(env!("CARGO_MANIFEST_DIR")), "default")
                .expect("templates");
        let today = IsoDate::parse("2026-11-22").expect("date");
        let out = render_page_bytes(b"\xff\xfe", &config, &mut templates, today);
        assert!(out.html.is_none() && out.diagnostics[0].message.contains("UTF-8"));
        let out = build("---\ntitle: [\n---\n");
        assert!(out.html.is_none() && out.diagnostics.iter().any(Diagnostic::is_error));
    }
}
