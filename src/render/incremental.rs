//! Rendering only what changed, for `serve`. Every output file has a fingerprint of what its
//! template reads: the site-wide values, the page itself, and the list entry ("card") of every
//! page it links to (neighbours, section and taxonomy members; a role view also reads every
//! listed playbook's front matter). A file whose fingerprint is the one it was last rendered
//! with is reused as it is; the others go through the templates again.
//! So editing one page's body renders that page (and its list pages only when its title,
//! summary or other listed fields changed), while a template or site.toml change renders all.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use super::{
    collect_rendered, jobs, render_job, site_values, view, Job, RenderOptions, Shared, Templates,
};
use crate::content::{PageMeta, ParsedPage};
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::site::Site;

/// Output files of the last render and what each was rendered from.
#[derive(Default)]
pub struct RenderCache {
    next_token: u64,
    /// The fingerprint of the site-wide values at the last render.
    global: u64,
    /// By page URL.
    pages: HashMap<String, PageStamp>,
    /// By job (see `job_id`).
    outputs: HashMap<String, Output>,
}

struct PageStamp {
    /// Held, so that `Arc::ptr_eq` against a new page cannot be fooled by a reused address.
    parsed: Arc<ParsedPage>,
    rendered: Arc<Rendered>,
    /// Changes whenever the page does.
    token: u64,
    /// Hash of the page's list entry: changes when what list pages show of it does.
    card: u64,
    /// Hash of its front matter, URL and listing: what role views read of a playbook
    /// (training modules and checklist items, which its list entry does not show).
    front: u64,
}

struct Output {
    fingerprint: u64,
    path: String,
    bytes: Arc<[u8]>,
}

/// A file the templates made: its path relative to the output folder, and its bytes.
pub type RenderedFile = (String, Arc<[u8]>);

/// A render that reused what it could.
pub struct IncrementalRender {
    /// Every output file of the templates.
    pub files: Vec<RenderedFile>,
    /// Paths of the files that went through the templates this time.
    pub rendered: Vec<String>,
}

/// Like `render_site`, but renders only the files whose inputs changed since the last call
/// with the same `cache`. `templates_generation` must change whenever `templates` are reloaded.
pub fn render_site_incremental(
    site: &Site,
    templates: &mut Templates,
    templates_generation: u64,
    options: &RenderOptions,
    cache: &mut RenderCache,
) -> Result<IncrementalRender, Vec<Diagnostic>> {
    let values = site_values(site, options);
    templates.tera.global_context().insert("site", &values);
    let templates = &*templates;

    let mut global = DefaultHasher::new();
    serde_json::to_string(&values)
        .unwrap_or_default()
        .hash(&mut global);
    templates_generation.hash(&mut global);
    format!("{:?}|{:?}", site.config, site.today).hash(&mut global);
    for s in &site.sections {
        (&s.key, &s.url, &s.title, &s.summary, s.weight, &s.body_html).hash(&mut global);
        s.parent.hash(&mut global);
    }
    let global = global.finish();

    // Stamp every page: the same Arcs as last time keep their token and card.
    let mut stamps: HashMap<String, PageStamp> = HashMap::with_capacity(site.pages.len());
    let mut tokens = Vec::with_capacity(site.pages.len());
    let mut cards = Vec::with_capacity(site.pages.len());
    let mut fronts = Vec::with_capacity(site.pages.len());
    for page in &site.pages {
        let reused = cache.pages.get(&page.url).filter(|old| {
            Arc::ptr_eq(&old.parsed, &page.parsed) && Arc::ptr_eq(&old.rendered, &page.rendered)
        });
        let stamp = match reused {
            Some(old) => PageStamp {
                parsed: Arc::clone(&old.parsed),
                rendered: Arc::clone(&old.rendered),
                token: old.token,
                card: old.card,
                front: old.front,
            },
            None => {
                cache.next_token += 1;
                PageStamp {
                    parsed: Arc::clone(&page.parsed),
                    rendered: Arc::clone(&page.rendered),
                    token: cache.next_token,
                    card: card_hash(page, site),
                    front: front_hash(page),
                }
            }
        };
        tokens.push(stamp.token);
        cards.push(stamp.card);
        fronts.push(stamp.front);
        stamps.insert(page.url.clone(), stamp);
    }
    // Each page's neighbours in its section, as `render_job` finds them.
    let mut neighbours: Vec<(Option<usize>, Option<usize>)> = vec![(None, None); site.pages.len()];
    for section in &site.sections {
        for (position, &page) in section.pages.iter().enumerate() {
            if let Some(slot) = neighbours.get_mut(page) {
                *slot = (
                    position
                        .checked_sub(1)
                        .and_then(|p| section.pages.get(p).copied()),
                    section.pages.get(position + 1).copied(),
                );
            }
        }
    }
    let card_of = |i: &usize| cards.get(*i).copied();

    let jobs = jobs(site);
    let keyed: Vec<(String, u64)> = jobs
        .iter()
        .enumerate()
        .map(|(n, job)| {
            let mut h = DefaultHasher::new();
            global.hash(&mut h);
            let id = match job {
                Job::Page(i) => {
                    let (prev, next) = neighbours.get(*i).copied().unwrap_or_default();
                    let page = site.pages.get(*i);
                    let fingerprint = page_fingerprint(
                        global,
                        tokens.get(*i).copied(),
                        prev.and_then(|p| card_of(&p)),
                        next.and_then(|p| card_of(&p)),
                        page.map(|p| p.section),
                    );
                    return (
                        page_job_id(page.map_or("", |p| p.url.as_str())),
                        fingerprint,
                    );
                }
                Job::Section(i) => {
                    let section = &site.sections[*i];
                    section
                        .pages
                        .iter()
                        .map(card_of)
                        .for_each(|c| c.hash(&mut h));
                    if *i == 0 {
                        site.pages
                            .iter()
                            .enumerate()
                            .filter(|(_, p)| {
                                p.is_listed() && matches!(p.meta(), PageMeta::Playbook(_))
                            })
                            .for_each(|(k, _)| card_of(&k).hash(&mut h));
                    }
                    format!("section {}", section.url)
                }
                Job::Taxonomy {
                    kind,
                    id,
                    name,
                    pages,
                } => {
                    (kind, id, name).hash(&mut h);
                    pages.iter().map(card_of).for_each(|c| c.hash(&mut h));
                    if *kind == "roles" {
                        // A role view shows every listed playbook that trains or asks something
                        // of the role, with front matter that its list entry leaves out.
                        fronts.hash(&mut h);
                    }
                    format!("taxonomy /{kind}/{id}/")
                }
                Job::TaxonomyIndex { kind, title, terms } => {
                    (kind, title, terms).hash(&mut h);
                    format!("taxonomies /{kind}/")
                }
                Job::NotFound => "404".to_string(),
                // The search page shows only site-wide values; its index is written separately.
                Job::Search => "search".to_string(),
                // A kind of output added later: render it whenever any page changes.
                #[allow(unreachable_patterns)]
                _ => {
                    tokens.hash(&mut h);
                    format!("job {n}")
                }
            };
            (id, h.finish())
        })
        .collect();

    let todo: Vec<usize> = keyed
        .iter()
        .enumerate()
        .filter(|(_, (id, fingerprint))| {
            cache
                .outputs
                .get(id)
                .is_none_or(|o| o.fingerprint != *fingerprint)
        })
        .map(|(n, _)| n)
        .collect();
    let shared = Shared::new(site);
    let results: Vec<_> = todo
        .par_iter()
        .map(|&n| render_job(site, templates, &shared, &jobs[n]).map(|file| (n, file)))
        .collect();
    // On an error, the cache stays as it was: the next render tries these files again.
    let mut fresh: HashMap<usize, Output> = collect_rendered(results)?
        .into_iter()
        .map(|(n, file)| {
            let output = Output {
                fingerprint: keyed[n].1,
                path: file.path,
                bytes: file.contents.into(),
            };
            (n, output)
        })
        .collect();

    let mut rendered = Vec::with_capacity(fresh.len());
    let mut outputs = HashMap::with_capacity(keyed.len());
    for (n, (id, _)) in keyed.into_iter().enumerate() {
        let output = match fresh.remove(&n) {
            Some(output) => {
                rendered.push(output.path.clone());
                output
            }
            None => match cache.outputs.remove(&id) {
                Some(output) => output,
                None => continue, // unreachable: a job without output was in `todo`
            },
        };
        outputs.insert(id, output);
    }
    cache.outputs = outputs;
    cache.pages = stamps;
    cache.global = global;
    let files = cache
        .outputs
        .values()
        .map(|o| (o.path.clone(), Arc::clone(&o.bytes)))
        .collect();
    rendered.sort();
    Ok(IncrementalRender { files, rendered })
}

/// Renders again only `pages` (indexes into `site.pages`), whose bodies changed while nothing
/// else did, and updates `cache` as `render_site_incremental` would have: no other file can
/// differ, since every other output shows a page only through its list entry. Returns the
/// files rendered (path relative to the output folder, bytes), or `None` when that does not hold (a page's list entry changed, or the cache
/// never rendered it): call `render_site_incremental` then. `templates` must be the ones the
/// cache last rendered with, and the site-wide values the same.
pub fn render_pages_incremental(
    site: &Site,
    templates: &Templates,
    pages: &[usize],
    cache: &mut RenderCache,
) -> Option<Result<Vec<RenderedFile>, Vec<Diagnostic>>> {
    let mut todo = Vec::with_capacity(pages.len());
    for &i in pages {
        let page = site.pages.get(i)?;
        let stamp = cache.pages.get(&page.url)?;
        let id = page_job_id(&page.url);
        if stamp.card != card_hash(page, site)
            || stamp.front != front_hash(page)
            || !cache.outputs.contains_key(&id)
        {
            return None;
        }
        todo.push((i, id));
    }
    let shared = Shared::new(site);
    let results: Vec<_> = todo
        .par_iter()
        .map(|(i, _)| render_job(site, templates, &shared, &Job::Page(*i)))
        .collect();
    let files = match collect_rendered(results) {
        Ok(files) => files,
        Err(diagnostics) => return Some(Err(diagnostics)),
    };
    let card_at = |k: usize| {
        site.pages
            .get(k)
            .and_then(|p| cache.pages.get(&p.url))
            .map(|s| s.card)
    };
    let mut fresh = Vec::with_capacity(todo.len());
    for ((i, id), file) in todo.into_iter().zip(files) {
        let page = &site.pages[i];
        let section = site.sections.get(page.section);
        let position = section.and_then(|s| s.pages.iter().position(|&p| p == i));
        let neighbour = |at: Option<usize>| {
            at.and_then(|at| section.and_then(|s| s.pages.get(at)).copied())
                .and_then(card_at)
        };
        cache.next_token += 1;
        let fingerprint = page_fingerprint(
            cache.global,
            Some(cache.next_token),
            neighbour(position.and_then(|p| p.checked_sub(1))),
            neighbour(position.map(|p| p + 1)),
            Some(page.section),
        );
        fresh.push((i, id, cache.next_token, fingerprint, file));
    }
    let mut out = Vec::with_capacity(fresh.len());
    for (i, id, token, fingerprint, file) in fresh {
        let page = &site.pages[i];
        if let Some(stamp) = cache.pages.get_mut(&page.url) {
            stamp.parsed = Arc::clone(&page.parsed);
            stamp.rendered = Arc::clone(&page.rendered);
            stamp.token = token;
        }
        let bytes: Arc<[u8]> = file.contents.into();
        out.push((file.path.clone(), Arc::clone(&bytes)));
        cache.outputs.insert(
            id,
            Output {
                fingerprint,
                path: file.path,
                bytes,
            },
        );
    }
    Some(Ok(out))
}

/// The render cache's name for a page's output.
fn page_job_id(url: &str) -> String {
    format!("page {url}")
}

/// What a page's output is rendered from: the site-wide values, the page itself (its token),
/// its neighbours' list entries and its section.
fn page_fingerprint(
    global: u64,
    token: Option<u64>,
    prev_card: Option<u64>,
    next_card: Option<u64>,
    section: Option<usize>,
) -> u64 {
    let mut h = DefaultHasher::new();
    global.hash(&mut h);
    (token, prev_card, next_card).hash(&mut h);
    section.hash(&mut h);
    h.finish()
}

/// A hash of the page's front matter, URL and listing.
fn front_hash(page: &crate::site::SitePage) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{:?}", page.meta()).hash(&mut h);
    (&page.url, page.is_listed()).hash(&mut h);
    h.finish()
}

/// A hash of what list pages show of `page`.
fn card_hash(page: &crate::site::SitePage, site: &Site) -> u64 {
    let mut card = DefaultHasher::new();
    serde_json::to_string(&view::card(page, &site.config))
        .unwrap_or_default()
        .hash(&mut card);
    page.is_listed().hash(&mut card);
    card.finish()
}
