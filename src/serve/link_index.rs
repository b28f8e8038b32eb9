//! `serve`'s index of the links of the last site that built, so that an edit to a page's body
//! can be checked against the rest of the site without assembling it again: which page each
//! file is, and which pages link to an anchor of which page.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::config::RawHtml;
use crate::content::ParsedPage;
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::site::links::{
    anchors_of, page_checks, render_page_markdown, CheckedPage, LinkContext, LinkFacts, LinkTargets,
};
use crate::site::BodyRenderer;

/// What `assemble` learnt about links, kept by `serve` so that an edit to a page's body can be
/// checked against the rest of the site without assembling it again.
#[derive(Debug, Default)]
pub struct LinkIndex {
    /// What links can point at, as assembled.
    targets: LinkTargets,
    /// The anchors of each page (whose front matter parsed) by URL.
    anchors: HashMap<String, HashSet<String>>,
    /// Every page whose body was checked: the built ones first, in `Site::pages` order.
    checked: Vec<CheckedPage>,
    /// Index into `checked` by the page's path relative to the root.
    by_path: HashMap<String, usize>,
    /// For each URL, the pages (indexes into `checked`) that link to one of its anchors.
    referrers: HashMap<String, Vec<usize>>,
}

/// A built page whose body changed and whose front matter did not, rendered again.
#[derive(Debug, Clone)]
pub struct BodyEdit {
    /// Index into `Site::pages`.
    pub page: usize,
    /// The page as parsed now.
    pub parsed: Arc<ParsedPage>,
    /// Its body as rendered now (see [`LinkIndex::render_body`]).
    pub rendered: Arc<Rendered>,
}

impl LinkIndex {
    /// Indexes what `assemble` learnt about links.
    pub fn new(facts: LinkFacts) -> Self {
        let LinkFacts {
            targets,
            anchors,
            checked,
        } = facts;
        let by_path = checked
            .iter()
            .enumerate()
            .map(|(i, c)| (c.page.source.rel_path.clone(), i))
            .collect();
        let mut index = LinkIndex {
            targets,
            anchors,
            checked,
            by_path,
            referrers: HashMap::new(),
        };
        for i in 0..index.checked.len() {
            index.add_referrer(i);
        }
        index
    }

    fn add_referrer(&mut self, i: usize) {
        let Some(c) = self.checked.get(i) else {
            return;
        };
        for check in &c.rendered.anchor_checks {
            let list = self.referrers.entry(check.page_url.clone()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }

    fn context(&self, built: bool) -> LinkContext<'_> {
        self.targets.context(built)
    }

    /// The index in `Site::pages` of the built page read from `rel_path` (relative to the root).
    pub fn built_page(&self, rel_path: &str) -> Option<usize> {
        let i = *self.by_path.get(rel_path)?;
        self.checked.get(i).filter(|c| c.built).map(|_| i)
    }

    /// Renders the body of `page`, a built page at `url`, as `assemble` does: links resolve
    /// against the site as it was assembled (an edit that changes no front matter cannot
    /// change what they resolve to).
    pub fn render_body(
        &self,
        raw_html: RawHtml,
        page: &Arc<ParsedPage>,
        url: &str,
        render_page_body: &BodyRenderer,
    ) -> Arc<Rendered> {
        render_page_markdown(page, url, raw_html, &self.context(true), render_page_body)
    }

    /// Checks `edits` against the rest of the site, changing nothing: the link and anchor
    /// diagnostics of every page they touch (the edited pages, and the pages that link to an
    /// anchor of an edited page whose anchors changed), by file, in page order.
    pub fn check_edits(&self, edits: &[BodyEdit]) -> Vec<(String, Vec<Diagnostic>)> {
        let mut new_anchors: HashMap<&str, HashSet<String>> = HashMap::new();
        let mut touched: Vec<usize> = Vec::new();
        for edit in edits {
            let Some(c) = self.checked.get(edit.page) else {
                continue;
            };
            touched.push(edit.page);
            let anchors = anchors_of(&edit.parsed, &edit.rendered);
            if self.anchors.get(&c.url) != Some(&anchors) {
                touched.extend(self.referrers.get(&c.url).into_iter().flatten());
            }
            new_anchors.insert(c.url.as_str(), anchors);
        }
        touched.sort_unstable();
        touched.dedup();
        let edited = |i: usize| edits.iter().rev().find(|e| e.page == i);
        touched
            .into_iter()
            .filter_map(|i| {
                let c = self.checked.get(i)?;
                let (page, rendered) = match edited(i) {
                    Some(edit) => (&edit.parsed, &edit.rendered),
                    None => (&c.page, &c.rendered),
                };
                let diagnostics = page_checks(page, rendered, &self.context(c.built), |url| {
                    new_anchors.get(url).or_else(|| self.anchors.get(url))
                });
                Some((c.page.source.rel_path.clone(), diagnostics))
            })
            .collect()
    }

    /// Takes `edits` in: the edited pages' renderings, anchors and anchor links.
    pub fn apply_edits(&mut self, edits: &[BodyEdit]) {
        for edit in edits {
            let Some(c) = self.checked.get_mut(edit.page) else {
                continue;
            };
            let old = std::mem::replace(&mut c.rendered, Arc::clone(&edit.rendered));
            c.page = Arc::clone(&edit.parsed);
            let url = c.url.clone();
            self.anchors
                .insert(url, anchors_of(&edit.parsed, &edit.rendered));
            for check in &old.anchor_checks {
                if let Some(list) = self.referrers.get_mut(&check.page_url) {
                    list.retain(|&i| i != edit.page);
                }
            }
            self.add_referrer(edit.page);
        }
    }
}
