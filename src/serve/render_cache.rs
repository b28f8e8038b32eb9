//! Rendering only what changed, for `serve`: which of the render stage's jobs to run again. Every output file has a fingerprint of what its
//! template reads: the site-wide values, the page itself, and the list entry ("card") of every
//! page it links to (neighbours, section and taxonomy members; a role view also reads every
//! listed playbook's front matter). A file whose fingerprint is the one it was last rendered
//! with is reused as it is; the others go through the templates again.
//! So editing one page's body renders that page (and its list pages only when its title,
//! summary or other listed fields changed), while a template or site.toml change renders all.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::content::{PageMeta, ParsedPage};
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::render::{self, view, Job, OutputFile, RenderOptions, RenderRequest, Templates};
use crate::site::{Site, SitePage};
use crate::vocabulary::Vocabulary;

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

/// What a page was when its files were last rendered. A page is the same when both its parsed
/// source and its rendered body are the very `Arc`s of last time (`Arc::ptr_eq`): the parse
/// and Markdown caches hand back the same `Arc` for an unchanged file, and a new one whenever
/// anything of the page changed.
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

/// A file the render stage made: its path relative to the output folder, and its bytes.
pub type RenderedFile = (String, Arc<[u8]>);

/// A render that reused what it could.
pub struct IncrementalRender {
    /// Every output file of the templates.
    pub files: Vec<RenderedFile>,
    /// Paths of the files that went through the templates this time.
    pub rendered: Vec<String>,
}

/// Runs the render stage for the jobs whose inputs changed since the last call with the same
/// `cache`, and reuses the other files. `templates_generation` must change whenever
/// `templates` are reloaded.
pub fn render_site_incremental(
    site: &Site,
    templates: &mut Templates,
    templates_generation: u64,
    options: &RenderOptions,
    cache: &mut RenderCache,
) -> Result<IncrementalRender, Vec<Diagnostic>> {
    let global = global_fingerprint(site, templates_generation, options);
    let (stamps, fingerprints) = stamp_pages(site, global, cache);
    // Every job's key and fingerprint; the jobs whose fingerprint is not the one their file was
    // rendered with go through the templates again.
    let mut keyed: Vec<(String, u64)> = Vec::new();
    let mut todo: Vec<Job> = Vec::new();
    let mut todo_at: Vec<usize> = Vec::new();
    for job in render::jobs(site) {
        let (id, fingerprint) = fingerprints.of(&job, site);
        let stale = cache
            .outputs
            .get(&id)
            .is_none_or(|o| o.fingerprint != fingerprint);
        if stale {
            todo_at.push(keyed.len());
            todo.push(job);
        }
        keyed.push((id, fingerprint));
    }
    // On an error, the cache stays as it was: the next render tries these files again.
    let made = render_jobs(site, templates, options, &todo)?;
    let mut fresh: HashMap<usize, Output> = made
        .into_iter()
        .map(|(k, file)| {
            let n = todo_at[k];
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
                None => continue, // cannot happen: a job without output was stale
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

/// Runs the render stage for `jobs`, collecting each file with the index of its job.
fn render_jobs(
    site: &Site,
    templates: &mut Templates,
    options: &RenderOptions,
    jobs: &[Job],
) -> Result<Vec<(usize, OutputFile)>, Vec<Diagnostic>> {
    let made = Mutex::new(Vec::with_capacity(jobs.len()));
    let request = RenderRequest {
        jobs,
        bodies: Vec::new(),
        progress: None,
        times: None,
        stream_to: None,
    };
    render::render_site(site, templates, options, request, &|n, file| {
        made.lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push((n, file));
        Ok(())
    })?;
    Ok(made
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner()))
}

/// A fingerprint of what every file reads: the site-wide values, the templates, the settings
/// and the sections.
fn global_fingerprint(site: &Site, templates_generation: u64, options: &RenderOptions) -> u64 {
    let values = render::site_values(site, options);
    let mut global = DefaultHasher::new();
    serde_json::to_string(&values)
        .unwrap_or_default()
        .hash(&mut global);
    templates_generation.hash(&mut global);
    format!("{:?}|{:?}", site.config, site.today).hash(&mut global);
    // A base's page lists its local versions ("Adapted by"): rare, so any change to who
    // adapts what renders everything again.
    for page in &site.pages {
        if let Some(a) = &page.parsed.adaptation {
            (&a.base_source.rel_path, page.meta().title(), &page.url).hash(&mut global);
        }
    }
    for s in &site.sections {
        (&s.key, &s.url, &s.title, &s.summary, s.weight, &s.body_html).hash(&mut global);
        s.parent.hash(&mut global);
    }
    // Every page's versions in the other languages (the switcher, `hreflang`, where ticks
    // are kept): a translation added, removed or given its own slug renders everything again.
    site.languages.hash_into(&mut global);
    global.finish()
}

/// Each page's token, card and front matter hashes in `site.pages` order, and its neighbours
/// in its section, from which each job's fingerprint is made.
struct Fingerprints {
    global: u64,
    tokens: Vec<u64>,
    cards: Vec<u64>,
    fronts: Vec<u64>,
    neighbours: Vec<(Option<usize>, Option<usize>)>,
}

/// Stamps every page: the same `Arc`s as last time keep their token and card; a changed page
/// gets a new token.
fn stamp_pages(
    site: &Site,
    global: u64,
    cache: &mut RenderCache,
) -> (HashMap<String, PageStamp>, Fingerprints) {
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
    // Each page's neighbours in its section, as the page's template shows them.
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
    let fingerprints = Fingerprints {
        global,
        tokens,
        cards,
        fronts,
        neighbours,
    };
    (stamps, fingerprints)
}

impl Fingerprints {
    fn card(&self, page: usize) -> Option<u64> {
        self.cards.get(page).copied()
    }

    /// What a team's files show: its record, and each playbook it records (by the page's
    /// token and URL).
    fn team_hash(&self, team: &crate::site::progress::Team, site: &Site, h: &mut DefaultHasher) {
        format!("{team:?}").hash(h);
        for record in &team.playbooks {
            self.tokens.get(record.page).hash(h);
            site.pages.get(record.page).map(|p| &p.url).hash(h);
        }
    }

    /// A job's key in the cache, and a fingerprint of everything its file shows.
    fn of(&self, job: &Job, site: &Site) -> (String, u64) {
        let mut h = DefaultHasher::new();
        self.global.hash(&mut h);
        let id = match job {
            Job::Page(i) => {
                let (prev, next) = self.neighbours.get(*i).copied().unwrap_or_default();
                let page = site.pages.get(*i);
                let fingerprint = page_fingerprint(
                    self.global,
                    self.tokens.get(*i).copied(),
                    prev.and_then(|p| self.card(p)),
                    next.and_then(|p| self.card(p)),
                    page.map(|p| p.section),
                    page_teams_hash(site, *i),
                );
                return (page_job_id(page), fingerprint);
            }
            Job::ChecklistsCsv(i) => {
                let page = site.pages.get(*i);
                return (
                    csv_job_id(page),
                    csv_fingerprint(self.global, self.tokens.get(*i).copied()),
                );
            }
            Job::Section(i) => {
                let section = &site.sections[*i];
                section
                    .pages
                    .iter()
                    .map(|&p| self.card(p))
                    .for_each(|c| c.hash(&mut h));
                if *i == 0 {
                    site.pages
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.is_listed() && matches!(p.meta(), PageMeta::Playbook(_)))
                        .for_each(|(k, _)| self.card(k).hash(&mut h));
                }
                format!("section {}", section.url)
            }
            Job::Taxonomy {
                listing,
                id,
                name,
                pages,
            } => {
                (listing.segment, id, name).hash(&mut h);
                pages
                    .iter()
                    .map(|&p| self.card(p))
                    .for_each(|c| c.hash(&mut h));
                if **listing == *Vocabulary::Roles.listing() {
                    // A role view shows every listed playbook that trains or asks something
                    // of the role, with front matter that its list entry leaves out, and the
                    // gate items it owns that teams have not done.
                    self.fronts.hash(&mut h);
                    format!("{:?}", site.teams).hash(&mut h);
                }
                listing.term_url(id)
            }
            Job::TaxonomyIndex { listing, terms } => {
                (listing.segment, listing.title, terms).hash(&mut h);
                listing.index_url()
            }
            Job::NotFound => "404".to_string(),
            // The search page shows only site-wide values; its index is written separately.
            Job::Search => "search".to_string(),
            // Every team's record, and the title, items and phases of each playbook they
            // record (a page's token changes whenever anything of the page does).
            Job::Teams => {
                for team in &site.teams {
                    self.team_hash(team, site, &mut h);
                }
                "teams".to_string()
            }
            Job::Team(i) => {
                let team = site.teams.get(*i);
                if let Some(team) = team {
                    self.team_hash(team, site, &mut h);
                }
                format!("team {}", team.map_or("", |t| t.id.as_str()))
            }
            Job::TeamJson(i) => {
                let team = site.teams.get(*i);
                if let Some(team) = team {
                    self.team_hash(team, site, &mut h);
                }
                format!("team json {}", team.map_or("", |t| t.id.as_str()))
            }
        };
        (id, h.finish())
    }
}

/// Renders again only `pages` (indexes into `site.pages`), whose bodies changed while nothing
/// else did, and updates `cache` as `render_site_incremental` would have: no other file can
/// differ, since every other output shows a page only through its list entry. Returns the
/// files rendered (a page and, for a playbook, its `checklists.csv`), or `None` when that does
/// not hold (a page's list entry changed, or the cache never rendered it): call
/// `render_site_incremental` then. `templates` must be the ones the cache last rendered with,
/// and the site-wide values the same.
pub fn render_pages_incremental(
    site: &Site,
    templates: &mut Templates,
    options: &RenderOptions,
    pages: &[usize],
    cache: &mut RenderCache,
) -> Option<Result<Vec<RenderedFile>, Vec<Diagnostic>>> {
    let mut jobs = Vec::with_capacity(pages.len() * 2);
    for &i in pages {
        let page = site.pages.get(i)?;
        let stamp = cache.pages.get(&page.url)?;
        if stamp.card != card_hash(page, site)
            || stamp.front != front_hash(page)
            || !cache.outputs.contains_key(&page_job_id(Some(page)))
        {
            return None;
        }
        jobs.push(Job::Page(i));
        if page.meta().playbook().is_some() {
            jobs.push(Job::ChecklistsCsv(i));
        }
    }
    let made = match render_jobs(site, templates, options, &jobs) {
        Ok(made) => made,
        Err(diagnostics) => return Some(Err(diagnostics)),
    };
    // Each edited page's new token, and the fingerprints of its files.
    let mut tokens: HashMap<usize, u64> = HashMap::new();
    for &i in pages {
        cache.next_token += 1;
        tokens.insert(i, cache.next_token);
    }
    let card_at = |k: usize| {
        site.pages
            .get(k)
            .and_then(|p| cache.pages.get(&p.url))
            .map(|s| s.card)
    };
    let mut out = Vec::with_capacity(made.len());
    let mut fresh = Vec::with_capacity(made.len());
    for (n, file) in made {
        let (i, id, fingerprint) = match jobs.get(n) {
            Some(Job::Page(i)) => {
                let page = &site.pages[*i];
                let section = site.sections.get(page.section);
                let position = section.and_then(|s| s.pages.iter().position(|p| p == i));
                let neighbour = |at: Option<usize>| {
                    at.and_then(|at| section.and_then(|s| s.pages.get(at)).copied())
                        .and_then(card_at)
                };
                let fingerprint = page_fingerprint(
                    cache.global,
                    tokens.get(i).copied(),
                    neighbour(position.and_then(|p| p.checked_sub(1))),
                    neighbour(position.map(|p| p + 1)),
                    Some(page.section),
                    page_teams_hash(site, *i),
                );
                (*i, page_job_id(Some(page)), fingerprint)
            }
            Some(Job::ChecklistsCsv(i)) => {
                let fingerprint = csv_fingerprint(cache.global, tokens.get(i).copied());
                (*i, csv_job_id(site.pages.get(*i)), fingerprint)
            }
            // Only pages and their CSV files were asked for.
            Some(
                Job::Section(_)
                | Job::Taxonomy { .. }
                | Job::TaxonomyIndex { .. }
                | Job::NotFound
                | Job::Search
                | Job::Teams
                | Job::Team(_)
                | Job::TeamJson(_),
            )
            | None => continue,
        };
        let bytes: Arc<[u8]> = file.contents.into();
        out.push((file.path.clone(), Arc::clone(&bytes)));
        fresh.push((
            i,
            id,
            Output {
                fingerprint,
                path: file.path,
                bytes,
            },
        ));
    }
    for (i, id, output) in fresh {
        let page = &site.pages[i];
        if let Some(stamp) = cache.pages.get_mut(&page.url) {
            stamp.parsed = Arc::clone(&page.parsed);
            stamp.rendered = Arc::clone(&page.rendered);
            stamp.token = tokens.get(&i).copied().unwrap_or(stamp.token);
        }
        cache.outputs.insert(id, output);
    }
    Some(Ok(out))
}

/// The render cache's name for a page's output.
fn page_job_id(page: Option<&SitePage>) -> String {
    format!("page {}", page.map_or("", |p| p.url.as_str()))
}

/// The render cache's name for a playbook's `checklists.csv`.
fn csv_job_id(page: Option<&SitePage>) -> String {
    format!("csv {}", page.map_or("", |p| p.url.as_str()))
}

/// What a page's output is rendered from: the site-wide values, the page itself (its token),
/// its neighbours' list entries, its section and the team records it lists.
fn page_fingerprint(
    global: u64,
    token: Option<u64>,
    prev_card: Option<u64>,
    next_card: Option<u64>,
    section: Option<usize>,
    teams: u64,
) -> u64 {
    let mut h = DefaultHasher::new();
    global.hash(&mut h);
    (token, prev_card, next_card).hash(&mut h);
    section.hash(&mut h);
    teams.hash(&mut h);
    h.finish()
}

/// What a playbook page shows of the teams recording progress on it ("Team records").
fn page_teams_hash(site: &Site, page: usize) -> u64 {
    let mut h = DefaultHasher::new();
    for team in &site.teams {
        if let Some(record) = team.playbooks.iter().find(|r| r.page == page) {
            (&team.id, &team.name).hash(&mut h);
            for done in &record.done {
                done.key.hash(&mut h);
            }
        }
    }
    h.finish()
}

/// What a `checklists.csv` is made from: the page itself (its token).
fn csv_fingerprint(global: u64, token: Option<u64>) -> u64 {
    let mut h = DefaultHasher::new();
    (global, token, "csv").hash(&mut h);
    h.finish()
}

/// A hash of the page's front matter, URL and listing.
fn front_hash(page: &SitePage) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{:?}", page.meta()).hash(&mut h);
    (&page.url, page.is_listed()).hash(&mut h);
    h.finish()
}

/// A hash of what list pages show of `page`.
fn card_hash(page: &SitePage, site: &Site) -> u64 {
    let mut card = DefaultHasher::new();
    serde_json::to_string(&view::card(page, &site.config))
        .unwrap_or_default()
        .hash(&mut card);
    page.is_listed().hash(&mut card);
    card.finish()
}
