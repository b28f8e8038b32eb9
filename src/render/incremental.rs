//! Rendering only what changed, for `serve`. Every output file has a fingerprint of what its
//! template reads: the site-wide values, the page itself, and the list entry ("card") of every
//! page it links to (neighbours, section and taxonomy members). A file whose fingerprint is the
//! one it was last rendered with is reused as it is; the others go through the templates again.
//! So editing one page's body renders that page (and its list pages only when its title,
//! summary or other listed fields changed), while a template or site.toml change renders all.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use super::{jobs, render_job, site_values, view, Job, RenderOptions, Shared, Templates};
use crate::content::{PageMeta, ParsedPage};
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::site::Site;

/// Output files of the last render and what each was rendered from.
#[derive(Default)]
pub struct RenderCache {
    next_token: u64,
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
}

struct Output {
    fingerprint: u64,
    path: String,
    bytes: Arc<[u8]>,
}

/// A render that reused what it could.
pub struct IncrementalRender {
    /// Every output file of the templates: (path relative to the output folder, bytes).
    pub files: Vec<(String, Arc<[u8]>)>,
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
            },
            None => {
                cache.next_token += 1;
                let mut card = DefaultHasher::new();
                serde_json::to_string(&view::card(page, &site.config))
                    .unwrap_or_default()
                    .hash(&mut card);
                page.is_listed().hash(&mut card);
                PageStamp {
                    parsed: Arc::clone(&page.parsed),
                    rendered: Arc::clone(&page.rendered),
                    token: cache.next_token,
                    card: card.finish(),
                }
            }
        };
        tokens.push(stamp.token);
        cards.push(stamp.card);
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
                    (
                        tokens.get(*i),
                        prev.and_then(|p| card_of(&p)),
                        next.and_then(|p| card_of(&p)),
                    )
                        .hash(&mut h);
                    site.pages.get(*i).map(|p| p.section).hash(&mut h);
                    format!("page {}", site.pages.get(*i).map_or("", |p| p.url.as_str()))
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
        .map(|&n| (n, render_job(site, templates, &shared, &jobs[n])))
        .collect();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut fresh: HashMap<usize, Output> = HashMap::with_capacity(results.len());
    for (n, result) in results {
        match result {
            Ok(file) => {
                fresh.insert(
                    n,
                    Output {
                        fingerprint: keyed[n].1,
                        path: file.path,
                        bytes: file.contents.into(),
                    },
                );
            }
            Err(d) => {
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
            }
        }
    }
    if !diagnostics.is_empty() {
        // Keep the cache as it was: the next render tries these files again.
        return Err(diagnostics);
    }

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
    let files = cache
        .outputs
        .values()
        .map(|o| (o.path.clone(), Arc::clone(&o.bytes)))
        .collect();
    rendered.sort();
    Ok(IncrementalRender { files, rendered })
}
