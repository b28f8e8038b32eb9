//! The render stage: Tera templates from `themes/<theme>/templates`, falling back per template to
//! the default theme (on disk if the site has it, else the copy built into the binary), and the
//! per-page values they see. Pages render independently, in parallel.

pub mod body;
pub mod checklists_csv;
pub mod embed;
pub mod home;
pub mod i18n;
pub mod pathway;
pub mod role;
pub mod team;
pub mod theme;
pub mod times;
pub mod view;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use indicatif::ProgressBar;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::content::PageMeta;
use crate::diagnostics::Diagnostic;
use crate::site::urls::output_path_for;
use crate::site::{Section, Site, SitePage};
use crate::vocabulary::{self, Listing, VOCABULARIES};
use i18n::{Strings, Translations};
use view::{card_in, Link, Named, PageCard};

/// A file the render stage made, with its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators, e.g. `playbooks/x/index.html`.
    pub path: String,
    /// The bytes.
    pub contents: Vec<u8>,
}

/// Compiled templates and where each came from, for error messages.
pub struct Templates {
    tera: Tera,
    /// Template name → file path shown in diagnostics.
    origins: HashMap<String, String>,
    /// Template name → its text, to quote the line of an error found while rendering.
    texts: HashMap<String, String>,
    /// The theme's strings in every language of the site; each render uses its site's.
    translations: Translations,
}

impl Templates {
    /// Gives the templates the site's strings (from `i18n::load`); until then they have the
    /// default theme's, English first.
    pub fn set_translations(&mut self, translations: Translations) {
        self.translations = translations;
    }

    /// The strings the templates render with.
    pub fn translations(&self) -> &Translations {
        &self.translations
    }
}

/// Loads the site's theme with per-template fallback to the default theme.
pub fn load_templates(root: &Path, theme: &str) -> Result<Templates, Vec<Diagnostic>> {
    let mut sources: HashMap<String, (String, String)> = HashMap::new(); // name → (origin, text)
    for (name, text) in theme::DEFAULT_TEMPLATES {
        sources.insert(
            name.to_string(),
            (
                format!("themes/default/templates/{name} (built in)"),
                text.to_string(),
            ),
        );
    }
    let mut diagnostics = Vec::new();
    let mut dirs = vec!["default".to_string()];
    if theme != "default" {
        let theme_dir = root.join("themes").join(theme);
        if !theme_dir.is_dir() {
            diagnostics.push(crate::config::missing_theme(root, theme));
            return Err(diagnostics);
        }
        dirs.push(theme.to_string());
    }
    for dir in dirs {
        let templates_dir = root.join("themes").join(&dir).join("templates");
        let Ok(entries) = std::fs::read_dir(&templates_dir) else {
            continue;
        };
        let mut names: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        names.sort();
        for path in names {
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(String::from) else {
                continue;
            };
            if !name.ends_with(".html") && !name.ends_with(".xml") {
                continue;
            }
            let origin = format!("themes/{dir}/templates/{name}");
            match std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
            {
                Ok(text) => {
                    sources.insert(name, (origin, text));
                }
                Err(err) => diagnostics.push(Diagnostic::error(
                    origin,
                    1,
                    1,
                    format!("cannot read the template: {err}"),
                )),
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.register_filter("safe", safe);
    // Each render sets the site's base path and language; a template is checked against the
    // functions.
    register_url_function(&mut tera, String::new(), SharedFiles::default());
    i18n::register_t_function(&mut tera, Strings::default());
    let origins: HashMap<String, String> = sources
        .iter()
        .map(|(n, (o, _))| (n.clone(), o.clone()))
        .collect();
    let texts: HashMap<String, String> = sources
        .iter()
        .map(|(n, (_, t))| (n.clone(), t.clone()))
        .collect();
    // Add one by one first, to point at the template that does not parse.
    for (name, (origin, text)) in &sources {
        let mut probe = Tera::default();
        register_url_function(&mut probe, String::new(), SharedFiles::default());
        i18n::register_t_function(&mut probe, Strings::default());
        if let Err(err) = probe.add_raw_template(name, text) {
            if let tera::ErrorKind::SyntaxError(_) = err.kind() {
                diagnostics.push(template_diagnostic(&err, &origins, &texts, Some(origin)));
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    if let Err(err) =
        tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
    {
        return Err(template_diagnostics(&err, &origins, &texts, None));
    }
    Ok(Templates {
        tera,
        origins,
        texts,
        translations: Translations::default(),
    })
}

/// The `safe` filter, as Tera's, without copying a string: Tera's makes a new one, which for a
/// page's `content | safe` copied every page body once more (1.5% of a 1,000-guide build).
fn safe(value: &Value, _: Kwargs, _: &State) -> Value {
    if value.is_string() {
        // Long strings are shared, so this clone copies none of the text.
        value.clone().mark_safe()
    } else {
        Value::safe_string(&value.to_string())
    }
}

/// Registers the templates' `url(path="/guides/")`: a site path with the site's base path in
/// front (`/playbooks/guides/` for a site at `https://nhs-org.github.io/playbooks/`), anything
/// else (a web address, `#anchor`) as it is. See `SiteConfig::url_of`.
///
/// In a further language's edition, `base_path` ends with the language (`/cy`), and a static
/// file (one of `shared`, such as `/assets/playbook.css`) gets `files_base_path` instead: the
/// editions share them.
fn register_url_function(tera: &mut Tera, base_path: String, files: SharedFiles) {
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            // One base path for both (a site in one language): no need to look the path up.
            let base = if files.base_path != base_path && files.paths.contains(path) {
                &files.base_path
            } else {
                &base_path
            };
            Ok(crate::config::with_base_path(base, path))
        },
    );
}

/// The files every language edition shares, and the path they are under.
#[derive(Default, Clone)]
struct SharedFiles {
    base_path: String,
    paths: Arc<HashSet<String>>,
}

/// A Tera error as diagnostics naming the template file and line: one per problem when Tera
/// reports several at once (unknown filters, tests, functions or includes across templates).
fn template_diagnostics(
    err: &tera::Error,
    origins: &HashMap<String, String>,
    texts: &HashMap<String, String>,
    fallback_origin: Option<&String>,
) -> Vec<Diagnostic> {
    let origin_of = |name: &str| {
        origins
            .get(name)
            .cloned()
            .or_else(|| fallback_origin.cloned())
            .unwrap_or_else(|| format!("themes/…/templates/{name}"))
    };
    let at_top = |name: &str, message: String, help: &str| {
        Diagnostic::error(origin_of(name), 1, 1, format!("template error: {message}"))
            .with_help(help)
    };
    match err.kind() {
        tera::ErrorKind::Msg(text) => {
            let found: Vec<Diagnostic> = reports_in(text)
                .into_iter()
                .map(|report| {
                    let mut d = Diagnostic::error(
                        origin_of(&report.template),
                        report.line,
                        report.column,
                        format!("template error: {}", report.message),
                    )
                    .with_help(TEMPLATE_HELP);
                    if let Some(line_text) = texts
                        .get(&report.template)
                        .and_then(|t| t.lines().nth(report.line - 1))
                    {
                        d = d.with_source(line_text, report.width);
                    }
                    d
                })
                .collect();
            if found.is_empty() {
                let first = text
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("error: ");
                vec![Diagnostic::error(
                    fallback_origin.cloned().unwrap_or_else(|| "themes".into()),
                    1,
                    1,
                    format!("template error: {first}"),
                )
                .with_help("check the template named in the message")]
            } else {
                found
            }
        }
        tera::ErrorKind::MissingParent { current, parent } => vec![at_top(
            current,
            format!("`{current}` extends `{parent}`, which does not exist"),
            "fix the name in `{% extends \"…\" %}`, or add the template to the theme",
        )],
        tera::ErrorKind::CircularExtend { tpl, .. } => vec![at_top(
            tpl,
            format!("`{tpl}` extends itself through its parents"),
            "make one template in the chain stop extending the others",
        )],
        tera::ErrorKind::CircularInclude { tpl, .. } => vec![at_top(
            tpl,
            format!("`{tpl}` includes itself through other templates"),
            "remove one `{% include %}` from the loop",
        )],
        _ => vec![template_diagnostic(err, origins, texts, fallback_origin)],
    }
}

const TEMPLATE_HELP: &str =
    "fix the template; Tera's syntax is like Jinja2's ({{ value }}, {% if %}, {% for %})";

/// One problem in a report that Tera wrote as text (`error: …` then `--> name:line:col`).
#[derive(Debug, PartialEq, Eq)]
struct TextReport {
    message: String,
    template: String,
    line: usize,
    column: usize,
    width: usize,
}

/// Reads the problems out of Tera's text reports; Tera gives them only as text when it
/// checks filters, tests, functions and includes across all templates.
fn reports_in(text: &str) -> Vec<TextReport> {
    let mut reports = Vec::new();
    let mut message: Option<&str> = None;
    let mut place: Option<(String, usize, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
            place = None;
        } else if let Some(locus) = trimmed.strip_prefix("--> ") {
            let mut parts = locus.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse::<usize>().ok());
            let line_number = parts.next().and_then(|l| l.parse::<usize>().ok());
            if let (Some(column), Some(line_number), Some(name)) =
                (column, line_number, parts.next())
            {
                place = Some((name.to_string(), line_number.max(1), column.max(1)));
            }
        } else if let (Some(m), Some((template, line_number, column))) = (message, &place) {
            // The underline: `  | ^^^^`.
            if let Some(marks) = trimmed.strip_prefix('|').map(str::trim) {
                if !marks.is_empty() && marks.chars().all(|c| c == '^') {
                    reports.push(TextReport {
                        message: m.to_string(),
                        template: template.clone(),
                        line: *line_number,
                        column: *column,
                        width: marks.chars().count(),
                    });
                    message = None;
                    place = None;
                }
            }
        }
    }
    reports
}

/// A Tera error as a diagnostic naming the template file and line.
fn template_diagnostic(
    err: &tera::Error,
    origins: &HashMap<String, String>,
    texts: &HashMap<String, String>,
    fallback_origin: Option<&String>,
) -> Diagnostic {
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let name = report.filename();
            let origin = origins
                .get(name)
                .cloned()
                .or_else(|| fallback_origin.cloned())
                .unwrap_or_else(|| name.to_string());
            let span = report.span();
            let line = span.start_line.max(1);
            let column = span.start_col + 1;
            let mut d = Diagnostic::error(
                origin,
                line,
                column,
                format!("template error: {}", report.message()),
            )
            .with_help(TEMPLATE_HELP);
            if let Some(text) = texts.get(name) {
                let line_text = text.lines().nth(line - 1).unwrap_or("");
                let width = if span.start_line == span.end_line {
                    span.end_col.saturating_sub(span.start_col).max(1)
                } else {
                    1
                };
                d = d.with_source(line_text, width);
            }
            d
        }
        tera::ErrorKind::Msg(_)
        | tera::ErrorKind::MissingParent { .. }
        | tera::ErrorKind::CircularExtend { .. }
        | tera::ErrorKind::CircularInclude { .. } => {
            let mut all = template_diagnostics(err, origins, texts, fallback_origin);
            all.truncate(1);
            all.pop().unwrap_or_else(|| {
                Diagnostic::error("themes", 1, 1, "template error").with_help(TEMPLATE_HELP)
            })
        }
        other => Diagnostic::error(
            fallback_origin.cloned().unwrap_or_else(|| "themes".into()),
            1,
            1,
            format!("template error: {other}"),
        )
        .with_help("check the template named in the message"),
    }
}

/// Site-wide values, set once in Tera's global context (not copied into every page).
#[derive(Serialize)]
pub(crate) struct SiteValues<'a> {
    title: &'a str,
    base_url: &'a str,
    /// The path every URL of the site starts with (`/playbooks`), empty at a domain's root:
    /// templates write site paths through `url(path=…)`, which puts it in front.
    base_path: &'a str,
    /// In a further language's edition, where its search index is (`/search/index/cy/`, with
    /// the base path); empty in the default language's, whose index is `/search/index/`.
    search_index: String,
    language: &'a str,
    stages: &'a [crate::config::Term],
    settings: &'a [crate::config::Term],
    roles: &'a [crate::config::Term],
    sections: Vec<Link>,
    live_reload: bool,
    /// `[repository]` of site.toml: the footer links to its `url`.
    repository: Option<&'a crate::config::Repository>,
}

/// Options that change what templates write.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// `playbook serve` adds its live-reload script.
    pub live_reload: bool,
}

/// What one render is asked for.
pub struct RenderRequest<'a> {
    /// The files to make: [`jobs`] for the whole site, or some of them (`serve` renders only
    /// the files whose inputs changed).
    pub jobs: &'a [Job],
    /// Each page's body HTML in `site.pages` order, moved out of the site (and packed) by the
    /// caller (`build`): each page's job takes its own and drops it once the page is made, so
    /// the bodies are let go as the render goes rather than at its end. When empty, pages read
    /// `rendered.html` from the site (`serve`, which keeps them).
    pub bodies: Vec<body::BodyHtml>,
    /// Counts the files, when given (`build` on a terminal).
    pub progress: Option<&'a ProgressBar>,
    /// Adds up the time each kind of file took, when given (`PLAYBOOK_TIMINGS`).
    pub times: Option<&'a times::RenderTimes>,
    /// When given (`build` writing its output), term pages and role views, which the search
    /// index does not read, are rendered straight into the file this opens for their output
    /// path rather than into memory (a role view is 12 MB at 10,000 playbooks), and `write` is
    /// not called for them.
    pub stream_to: Option<&'a StreamTo<'a>>,
}

/// The labels of a checklist item's details, as `t(key="checklist.owner")` and so on give
/// them: `checklist.html` writes them on every item, and asking `t()` for them once per
/// checklist was 3% of a build's instructions (each call builds its arguments as a map, and a
/// 10,000-playbook site draws 300,000 checklists on its pages and role views).
fn checklist_labels(strings: &Strings) -> Value {
    map_value([
        ("owner", strings.value("checklist.owner")),
        ("due", strings.value("checklist.due")),
        ("npt", strings.value("checklist.npt")),
        ("factor", strings.value("checklist.factor")),
        ("evidence", strings.value("checklist.evidence")),
    ])
}

/// Opens the file at an output path for the render stage to write a page straight into (see
/// [`RenderRequest::stream_to`]).
pub type StreamTo<'a> = dyn Fn(&str) -> std::io::Result<std::fs::File> + Sync + 'a;

/// The render stage: makes the files `request.jobs` names, in parallel, handing each to
/// `write` (from any thread) with its job's index in `request.jobs`, as soon as it is made, so
/// a whole site is never held in memory. Every distinct error is reported once.
pub fn render_site(
    site: &Site,
    templates: &mut Templates,
    options: &RenderOptions,
    request: RenderRequest,
    write: &(dyn Fn(usize, OutputFile) -> std::io::Result<()> + Sync),
) -> Result<(), Vec<Diagnostic>> {
    let values = site_values(site, options);
    templates.tera.global_context().insert("site", &values);
    let shared = SharedFiles {
        base_path: site.config.files_base_path().to_string(),
        paths: Arc::clone(&site.static_paths),
    };
    register_url_function(&mut templates.tera, site.config.base_path.clone(), shared);
    // The page's language is the site's (one `Site` per language edition).
    let strings = templates.translations.strings(&site.config.language);
    i18n::register_t_function(&mut templates.tera, strings.clone());
    templates.tera.global_context().insert(
        "strings_json",
        &strings
            .script_json()
            .map_or_else(Value::none, Value::safe_string),
    );
    templates
        .tera
        .global_context()
        .insert("checklist_labels", &checklist_labels(&strings));
    let templates = &*templates;
    let RenderRequest {
        jobs,
        bodies,
        progress,
        times,
        stream_to,
    } = request;
    if let Some(bar) = progress {
        bar.set_length(jobs.len() as u64);
        bar.set_position(0);
    }
    let mut shared = Shared::new(site, strings);
    shared.bodies = bodies.into_iter().map(Mutex::new).collect();
    let run = |(n, job): (usize, &Job)| {
        let started = times.map(|_| std::time::Instant::now());
        let stream_to = stream_to.filter(|_| matches!(job, Job::Taxonomy { .. }));
        let rendered = render_job(site, templates, &shared, job, stream_to);
        if let (Some(times), Some(started)) = (times, started) {
            times.rendered(job, started.elapsed());
        }
        let result = rendered.and_then(|file| match file {
            Some(file) => {
                let path = file.path.clone();
                write(n, file).map_err(|err| cannot_write(&path, &err))
            }
            None => Ok(()),
        });
        if let Some(bar) = progress {
            bar.inc(1);
        }
        result.err()
    };
    // The pages that list the site are the heavy jobs: they go one after another in a lane of
    // their own, largest (the role views) first, while every other job is shared out between
    // the cores. At most one is held at a time, and the other core keeps making pages beside
    // it. Two role views at once were the build's peak in memory.
    let (mut heavy, light): (Vec<_>, Vec<_>) = jobs
        .iter()
        .enumerate()
        .partition(|(_, job)| job.lists_the_site());
    heavy.sort_by_key(|(_, job)| !job.is_role_view());
    let (mut failures, more): (Vec<Diagnostic>, Vec<Diagnostic>) = rayon::join(
        || heavy.into_iter().filter_map(run).collect(),
        || {
            light
                .into_par_iter()
                // One job at a time: rayon would otherwise hand a thread a run of jobs to do
                // in order, and a run can be seconds long at 10,000 pages.
                .with_max_len(1)
                .filter_map(run)
                .collect()
        },
    );
    failures.extend(more);
    collect_rendered(failures.into_iter().map(Err)).map(|_: Vec<()>| ())
}

/// Every result's value, or else each distinct diagnostic once (many jobs that use a broken
/// template fail with the same one).
pub(crate) fn collect_rendered<T>(
    results: impl IntoIterator<Item = Result<T, Diagnostic>>,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut values = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for result in results {
        match result {
            Ok(value) => values.push(value),
            Err(d) if !diagnostics.contains(&d) => diagnostics.push(d),
            Err(_) => {}
        }
    }
    if diagnostics.is_empty() {
        Ok(values)
    } else {
        Err(diagnostics)
    }
}

/// Values many jobs show, built at most once per render rather than once per list showing them.
struct Shared<'a> {
    site: &'a Site,
    /// Each page as a list entry (`card`), made the first time a list needs it; cloning a
    /// template value is cheap (its strings and maps are shared).
    cards: Vec<OnceLock<Value>>,
    /// Body HTML handed over by the caller, by page index (see `RenderRequest::bodies`); empty when the
    /// pages' own `rendered.html` is read.
    bodies: Vec<Mutex<body::BodyHtml>>,
    /// Each vocabulary term and technology kind as a template value, made once.
    named: NamedValues,
    /// Each page's position in its section's list, for previous and next links.
    positions: Vec<Option<usize>>,
    /// Local versions and their bases (empty on a site without local versions).
    adaptations: view::Adaptations,
    /// The theme's strings in the site's language.
    strings: Strings,
}

impl<'a> Shared<'a> {
    fn new(site: &'a Site, strings: Strings) -> Self {
        let mut positions = vec![None; site.pages.len()];
        for section in &site.sections {
            for (position, &page) in section.pages.iter().enumerate() {
                if let Some(slot) = positions.get_mut(page) {
                    *slot = Some(position);
                }
            }
        }
        let config = &site.config;
        let terms = config
            .stages
            .iter()
            .chain(&config.settings)
            .chain(&config.roles);
        let mut named = NamedValues::default();
        for n in terms
            .map(|term| Named {
                id: term.id.clone(),
                name: term.name.clone(),
            })
            .chain(view::technology_kinds(&strings))
        {
            named.value(&n);
        }
        Shared {
            site,
            cards: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            positions,
            named,
            bodies: Vec::new(),
            adaptations: view::Adaptations::of(site),
            strings,
        }
    }

    /// The cards of `pages`, as one template value.
    fn cards_of(&self, pages: &[usize]) -> Value {
        Value::from(
            pages
                .iter()
                .filter_map(|&p| {
                    let page = self.site.pages.get(p)?;
                    let card = self.cards.get(p)?.get_or_init(|| self.card_value(page));
                    Some(card.clone())
                })
                .collect::<Vec<Value>>(),
        )
    }

    /// A page's card as a template value: what serialising its `PageCard` gives, but with the
    /// stage, setting, role and technology names shared with every other card. At 10,000
    /// playbooks the cards held through a render fell from about 65 MB to 25 MB.
    fn card_value(&self, page: &SitePage) -> Value {
        let card = card_in(page, &self.site.config, &self.strings);
        let named = |n: &Named| self.named.shared_or_new(n);
        let list = |items: &[Named]| Value::from(items.iter().map(named).collect::<Vec<Value>>());
        map_value([
            ("title", card.title.into()),
            ("url", card.url.into()),
            ("summary", card.summary.into()),
            ("kind", card.kind.into()),
            (
                "technology_kind",
                card.technology_kind
                    .as_ref()
                    .map(named)
                    .unwrap_or_else(Value::none),
            ),
            ("stages", list(&card.stages)),
            ("settings", list(&card.settings)),
            ("audiences", list(&card.audiences)),
            ("last_reviewed", card.last_reviewed.into()),
            ("next_review_due", card.next_review_due.into()),
            ("next_review_due_iso", card.next_review_due_iso.into()),
        ])
    }
}

/// `{id, name}` template values made once and shared (their maps are reference counted) by
/// every value that shows them: a large site's list cards and role views repeat a few dozen
/// stages, settings, roles, mechanisms and factors tens of thousands of times.
#[derive(Default)]
pub(crate) struct NamedValues {
    /// By id, then name, so a lookup needs no key of its own.
    by_id: foldhash::HashMap<String, foldhash::HashMap<String, Value>>,
}

impl NamedValues {
    /// The value of `n`: the shared one, made now if it was not yet.
    pub(crate) fn value(&mut self, n: &Named) -> Value {
        self.value_of(&n.id, &n.name)
    }

    /// The value of `{id, name}`: the shared one, made now if it was not yet.
    pub(crate) fn value_of(&mut self, id: &str, name: &str) -> Value {
        if let Some(value) = self.by_id.get(id).and_then(|names| names.get(name)) {
            return value.clone();
        }
        let value = named_value_of(id, name);
        self.by_id
            .entry(id.to_string())
            .or_default()
            .insert(name.to_string(), value.clone());
        value
    }

    /// The shared value of `n`, or one of its own when it was not made beforehand.
    fn shared_or_new(&self, n: &Named) -> Value {
        self.get(n)
            .unwrap_or_else(|| named_value_of(&n.id, &n.name))
    }

    fn get(&self, n: &Named) -> Option<Value> {
        self.by_id.get(&n.id)?.get(&n.name).cloned()
    }
}

/// `{id, name}` as a template value.
fn named_value_of(id: &str, name: &str) -> Value {
    map_value([("id", Value::from(id)), ("name", Value::from(name))])
}

/// A template map of `entries`, built once. Role views and cards make hundreds of thousands
/// of these, and `Value::from(tera::Map)` would build each map a second time (it takes any
/// `HashMap` and inserts every entry again). Tera's serialiser fills its map as it is given
/// fields and passes a `Value` through as a clone (a reference count, or a short string), so
/// the entries go in once.
pub(crate) fn map_value<const N: usize>(entries: [(&'static str, Value); N]) -> Value {
    /// The entries as a struct, for Tera's serialiser.
    struct Fields<const N: usize>([(&'static str, Value); N]);

    impl<const N: usize> serde::Serialize for Fields<N> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            let mut map = serializer.serialize_struct("map", N)?;
            for (key, value) in &self.0 {
                map.serialize_field(key, value)?;
            }
            map.end()
        }
    }

    // Serialising template values into a template value cannot fail.
    Value::try_from_serializable(&Fields(entries)).unwrap_or_else(|_| Value::none())
}

/// The site-wide values every template sees as `site`.
pub(crate) fn site_values<'a>(site: &'a Site, options: &RenderOptions) -> SiteValues<'a> {
    SiteValues {
        title: &site.config.title,
        base_url: &site.config.base_url,
        base_path: &site.config.base_path,
        search_index: match site.config.language_path.as_str() {
            "" => String::new(),
            // `output::search::INDEX_DIR` and the language (`/cy`).
            language => format!("{}/search/index{language}/", site.config.files_base_path()),
        },
        language: &site.config.language,
        stages: &site.config.stages,
        settings: &site.config.settings,
        roles: &site.config.roles,
        sections: site
            .sections
            .iter()
            .skip(1)
            .filter(|s| s.parent == Some(0))
            .map(|s| Link {
                title: s.title.clone(),
                url: s.url.clone(),
            })
            .collect(),
        live_reload: options.live_reload,
        repository: site.config.repository.as_ref(),
    }
}

/// Every file of the site the render stage makes: each playbook's `checklists.csv`, then
/// pages, sections, taxonomies, the 404 and search pages (see `render_site` on how they are
/// shared out between the cores).
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend(
        site.pages
            .iter()
            .enumerate()
            .filter(|(_, page)| page.meta().playbook().is_some())
            .map(|(i, _)| Job::ChecklistsCsv(i)),
    );
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend((0..site.sections.len()).map(Job::Section));
    jobs.extend(taxonomy_jobs(site));
    jobs.push(Job::NotFound);
    jobs.push(Job::Search);
    if !site.teams.is_empty() {
        jobs.push(Job::Teams);
        jobs.extend((0..site.teams.len()).map(Job::Team));
        jobs.extend((0..site.teams.len()).map(Job::TeamJson));
    }
    jobs
}

/// One file the render stage makes.
#[derive(Debug, Clone)]
pub enum Job {
    /// A page, by index into `Site::pages`.
    Page(usize),
    /// A playbook's `checklists.csv`, by index into `Site::pages`.
    ChecklistsCsv(usize),
    /// A section's list page, by index into `Site::sections` (0 is the home page).
    Section(usize),
    /// The list page of one vocabulary term or tag.
    Taxonomy {
        /// Which vocabulary (or tags).
        listing: &'static Listing,
        /// The term's id (a tag's slug).
        id: String,
        /// Its name.
        name: String,
        /// The listed pages that have it, as indexes into `Site::pages`.
        pages: Vec<usize>,
    },
    /// The page listing every term of a vocabulary (or every tag).
    TaxonomyIndex {
        /// Which vocabulary (or tags).
        listing: &'static Listing,
        /// Each term's id, name and number of pages.
        terms: Vec<(String, String, usize)>,
    },
    /// `/404.html`.
    NotFound,
    /// The search page.
    Search,
    /// `/teams/`: every team with a progress file.
    Teams,
    /// `/teams/<id>/`, by index into `Site::teams`.
    Team(usize),
    /// `/teams/<id>/progress.json`, by index into `Site::teams`.
    TeamJson(usize),
}

impl Job {
    /// Whether this is a role's view (`/roles/<id>/`), the largest page a site has.
    pub fn is_role_view(&self) -> bool {
        matches!(self, Job::Taxonomy { listing, .. } if **listing == *vocabulary::Vocabulary::Roles.listing())
    }

    /// Whether the file lists pages or items from across the site (a section's or a term's
    /// list, a role view), so that it grows with the site: at 10,000 playbooks a role view
    /// lists some 9,000 checklist items and 5,000 training modules, and takes a third of a
    /// second and 40 to 60 MB to make.
    pub fn lists_the_site(&self) -> bool {
        matches!(self, Job::Section(_) | Job::Taxonomy { .. })
    }
}

/// A list page for every term of every vocabulary and every tag of a listed page, and one
/// listing the terms of each.
fn taxonomy_jobs(site: &Site) -> Vec<Job> {
    let mut jobs = Vec::new();
    let listed: Vec<(usize, &SitePage)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_listed())
        .collect();
    for vocabulary in VOCABULARIES {
        let listing = vocabulary.listing();
        let mut terms = Vec::new();
        for term in site.config.terms(vocabulary) {
            let pages: Vec<usize> = listed
                .iter()
                .filter(|(_, p)| {
                    p.meta()
                        .playbook()
                        .is_some_and(|pb| pb.terms(vocabulary).contains(&term.id))
                })
                .map(|(i, _)| *i)
                .collect();
            terms.push((term.id.clone(), term.name.clone(), pages.len()));
            jobs.push(Job::Taxonomy {
                listing,
                id: term.id.clone(),
                name: term.name.clone(),
                pages,
            });
        }
        jobs.push(Job::TaxonomyIndex { listing, terms });
    }
    let mut tags: Vec<(String, String, Vec<usize>)> = Vec::new();
    for (i, page) in &listed {
        for tag in page.meta().tags() {
            let slug = crate::site::urls::tag_slug(tag);
            match tags.iter_mut().find(|(s, _, _)| *s == slug) {
                Some((_, _, pages)) => {
                    if !pages.contains(i) {
                        pages.push(*i)
                    }
                }
                None => tags.push((slug, tag.clone(), vec![*i])),
            }
        }
    }
    tags.sort_by(|a, b| a.0.cmp(&b.0));
    let terms = tags
        .iter()
        .map(|(s, n, p)| (s.clone(), n.clone(), p.len()))
        .collect();
    for (slug, name, pages) in tags {
        jobs.push(Job::Taxonomy {
            listing: &vocabulary::TAGS,
            id: slug,
            name,
            pages,
        });
    }
    jobs.push(Job::TaxonomyIndex {
        listing: &vocabulary::TAGS,
        terms,
    });
    jobs
}

/// Breadcrumbs from home down to `section` (inclusive).
fn breadcrumbs(site: &Site, section: usize, strings: &Strings) -> Vec<Link> {
    let mut chain = Vec::new();
    let mut current = Some(section);
    while let Some(i) = current {
        let s: &Section = &site.sections[i];
        chain.push(Link {
            title: if i == 0 {
                strings.text("nav.home").into()
            } else {
                s.title.clone()
            },
            url: s.url.clone(),
        });
        current = s.parent;
    }
    chain.reverse();
    chain
}

/// The breadcrumbs of a page that hangs off the home page.
fn home_crumb(strings: &Strings) -> Vec<Link> {
    vec![Link {
        title: strings.text("nav.home").into(),
        url: "/".into(),
    }]
}

/// Makes one file: fills a template's context for the job (or, for a CSV, writes it directly).
/// Why a file could not be written, as a diagnostic on it.
fn cannot_write(path: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(path, 1, 1, format!("cannot write the file: {err}"))
        .with_help("check that the output folder is writable and the disk is not full")
}

/// Room a page's HTML starts with: more than most pages need (a playbook page of the benchmark
/// corpus is about 38 KB), so the buffer rarely grows.
const PAGE_BUFFER_BYTES: usize = 48 * 1024;

/// Makes the file `job` names: `Some` of it, or `None` once it has been written straight into
/// the file `stream_to` opened for it.
fn render_job(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    job: &Job,
    stream_to: Option<&StreamTo>,
) -> Result<Option<OutputFile>, Diagnostic> {
    let mut ctx = Context::new();
    let strings = &shared.strings;
    let (template, path) = match job {
        Job::ChecklistsCsv(i) => return Ok(Some(checklists_csv::checklists_csv(&site.pages[*i]))),
        Job::TeamJson(i) => {
            let team = &site.teams[*i];
            let json =
                serde_json::to_string_pretty(&team::team_json(site, team)).unwrap_or_default();
            return Ok(Some(OutputFile {
                path: format!("teams/{}/progress.json", team.id),
                contents: json.into_bytes(),
            }));
        }
        Job::Teams => {
            ctx.insert("teams", &team::teams_view(site, strings));
            ctx.insert("breadcrumbs", &home_crumb(strings));
            (
                "teams.html",
                output_path_for(crate::site::progress::TEAMS_URL),
            )
        }
        Job::Team(i) => {
            let t = &site.teams[*i];
            ctx.insert(
                "team",
                &TeamValues {
                    id: &t.id,
                    name: &t.name,
                    organisation: t.organisation.as_deref(),
                    file: &t.file,
                },
            );
            ctx.insert("playbooks", &team::team_view(site, t, strings));
            let mut crumbs = home_crumb(strings);
            crumbs.push(Link {
                title: strings.text("teams.title").into(),
                url: crate::site::progress::TEAMS_URL.into(),
            });
            ctx.insert("breadcrumbs", &crumbs);
            (
                "team.html",
                output_path_for(&crate::site::progress::team_url(&t.id)),
            )
        }
        Job::Page(i) => page_context(site, shared, *i, &mut ctx),
        Job::Section(i) => section_context(site, shared, *i, &mut ctx),
        Job::Taxonomy {
            listing,
            id,
            name,
            pages,
        } => taxonomy_context(site, shared, listing, id, name, pages, &mut ctx),
        Job::TaxonomyIndex { listing, terms } => {
            let terms: Vec<TermCount> = terms
                .iter()
                .map(|(id, name, count)| TermCount {
                    url: listing.term_url(id),
                    name: name.clone(),
                    count: *count,
                })
                .collect();
            ctx.insert("kind", listing.segment);
            ctx.insert("title", &view::listing_text(strings, listing, "title"));
            ctx.insert("terms", &terms);
            ctx.insert("breadcrumbs", &home_crumb(strings));
            ("taxonomy_index.html", output_path_for(&listing.index_url()))
        }
        Job::NotFound => {
            ctx.insert("breadcrumbs", &home_crumb(strings));
            ("404.html", "404.html".to_string())
        }
        Job::Search => {
            ctx.insert("breadcrumbs", &home_crumb(strings));
            ctx.insert("technology_kinds", &view::technology_kinds(strings));
            ctx.insert("filters", &view::search_filters(&site.config, strings));
            ("search.html", output_path_for(vocabulary::SEARCH_URL))
        }
    };
    if site.languages.is_multilingual() {
        language_context(site, job, &path, &mut ctx);
    }
    let failed = |err: tera::Error| {
        let origin = templates.origins.get(template);
        template_diagnostic(&err, &templates.origins, &templates.texts, origin)
    };
    let Some(open) = stream_to else {
        // Into bytes from the start: `render` would check the page is UTF-8 only for it to be
        // turned back into bytes, and grow its buffer from the template's size.
        let mut html = Vec::with_capacity(PAGE_BUFFER_BYTES);
        templates
            .tera
            .render_to(template, &ctx, &mut html)
            .map_err(failed)?;
        return Ok(Some(OutputFile {
            path,
            contents: html,
        }));
    };
    let file = open(&path).map_err(|err| cannot_write(&path, &err))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    templates
        .tera
        .render_to(template, &ctx, &mut out)
        .map_err(failed)?;
    std::io::Write::flush(&mut out).map_err(|err| cannot_write(&path, &err))?;
    Ok(None)
}

/// One entry of the language switcher: the same page in another language.
#[derive(Serialize)]
struct LanguageLink<'a> {
    code: &'a str,
    name: &'a str,
    /// As written in the page (base path and language in front).
    url: &'a str,
}

/// One `<link rel="alternate" hreflang>` of a page.
#[derive(Serialize)]
struct Alternate<'a> {
    hreflang: &'a str,
    href: &'a str,
}

/// The template values of a site in more than one language: `languages` (the switcher: this
/// page in each other language, or that language's home page when it has none),
/// `alternates` (`hreflang` links to every real language version, and `x-default`),
/// `not_translated` (the page is its original, shown with a notice) with `page_language`,
/// the language its text is in.
fn language_context(site: &Site, job: &Job, path: &str, ctx: &mut Context) {
    use crate::site::languages::section_key;
    let map = &site.languages;
    let generated_url = format!("/{}", path.strip_suffix("index.html").unwrap_or(""));
    let (versions, not_translated) = match job {
        Job::Page(i) => {
            let page = &site.pages[*i];
            let own = site.config.edition_language().map(|l| l.code.as_str());
            (
                map.page_versions(page.parsed.original_rel_path()),
                page.parsed.language() != own,
            )
        }
        Job::Section(i) => (
            map.page_versions(&section_key(&site.sections[*i].key)),
            false,
        ),
        Job::NotFound => (map.generated_versions("/"), false),
        _ => (map.generated_versions(&generated_url), false),
    };
    let own = &site.config.language;
    let languages: Vec<LanguageLink> = versions
        .iter()
        .filter(|v| &v.edition.code != own)
        .map(|v| LanguageLink {
            code: &v.edition.code,
            name: &v.edition.name,
            url: &v.href,
        })
        .collect();
    let mut alternates: Vec<Alternate> = versions
        .iter()
        .filter(|v| v.exists && v.translated)
        .map(|v| Alternate {
            hreflang: &v.edition.code,
            href: &v.absolute,
        })
        .collect();
    if let Some(default) = versions.first().filter(|v| v.exists && v.translated) {
        alternates.push(Alternate {
            hreflang: "x-default",
            href: &default.absolute,
        });
    }
    if alternates.len() < 2 {
        alternates.clear();
    }
    ctx.insert("languages", &languages);
    ctx.insert("alternates", &alternates);
    ctx.insert("not_translated", &not_translated);
    if not_translated {
        if let Some(default) = versions.first() {
            ctx.insert("page_language", &default.edition.code);
            ctx.insert("original_url", &default.href);
        }
    }
    // Ticks are kept under the original's URL in every language.
    if let Some(default) = versions.first().filter(|v| v.exists) {
        ctx.insert("ticks_url", default.url);
    }
}

/// The list page of one vocabulary term or tag; a role's is its role view.
fn taxonomy_context(
    site: &Site,
    shared: &Shared,
    listing: &Listing,
    id: &str,
    name: &str,
    pages: &[usize],
    ctx: &mut Context,
) -> (&'static str, String) {
    ctx.insert("kind", listing.segment);
    ctx.insert(
        "term",
        &view::Named {
            id: id.to_string(),
            name: name.to_string(),
        },
    );
    ctx.insert_value("pages", shared.cards_of(pages));
    let strings = &shared.strings;
    let mut crumbs = home_crumb(strings);
    crumbs.push(Link {
        title: view::listing_text(strings, listing, "title"),
        url: listing.index_url(),
    });
    ctx.insert("breadcrumbs", &crumbs);
    let template = if *listing == *vocabulary::Vocabulary::Roles.listing() {
        ctx.insert_value("role", role::role_value(site, id, strings));
        ctx.insert("team_gates", &team::open_gates_of_role(site, id, strings));
        "role.html"
    } else {
        "taxonomy.html"
    };
    (template, output_path_for(&listing.term_url(id)))
}

/// A page's template values: its neighbours, breadcrumbs, front matter, body and contents.
fn page_context(
    site: &Site,
    shared: &Shared,
    i: usize,
    ctx: &mut Context,
) -> (&'static str, String) {
    let page = &site.pages[i];
    let section = &site.sections[page.section];
    let position = shared.positions.get(i).copied().flatten();
    let neighbour = |j: Option<usize>| {
        j.and_then(|j| section.pages.get(j)).map(|&k| Link {
            title: site.pages[k].meta().title().to_string(),
            url: site.pages[k].url.clone(),
        })
    };
    let strings = &shared.strings;
    ctx.insert("prev", &neighbour(position.and_then(|p| p.checked_sub(1))));
    ctx.insert("next", &neighbour(position.map(|p| p + 1)));
    ctx.insert("breadcrumbs", &breadcrumbs(site, page.section, strings));
    ctx.insert("page", &page_values(page, strings));
    ctx.insert("edit_url", &view::edit_url(&site.config, page));
    // HTML this build made (and sanitized): no need to escape it.
    let handed = shared.bodies.get(i).map(|body| {
        std::mem::take(&mut *body.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
            .into_string()
    });
    let body = handed.as_deref().unwrap_or(&page.rendered.html);
    ctx.insert_value("content", Value::safe_string(body));
    drop(handed);
    ctx.insert(
        "toc",
        &page
            .rendered
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .collect::<Vec<_>>(),
    );
    ctx.insert("body_checklists", &page.rendered.checklists);
    ctx.insert(
        "local_version",
        &view::local_version(page, site, &shared.adaptations, strings),
    );
    ctx.insert("adapted_by", &shared.adaptations.adapted_by(page, site));
    let template = match page.meta() {
        PageMeta::Playbook(p) => {
            ctx.insert("playbook", &view::playbook_view(p, site, strings));
            ctx.insert("team_records", &team::team_records_of(site, i));
            "playbook.html"
        }
        PageMeta::Guide(_) => "page.html",
    };
    (template, output_path_for(&page.url))
}

/// A section's (or the home page's) template values: its cards, filters and subsections.
fn section_context(
    site: &Site,
    shared: &Shared,
    i: usize,
    ctx: &mut Context,
) -> (&'static str, String) {
    let section = &site.sections[i];
    let strings = &shared.strings;
    let cards: Vec<PageCard> = section
        .pages
        .iter()
        .map(|&p| card_in(&site.pages[p], &site.config, strings))
        .collect();
    let subsections: Vec<Link> = site
        .sections
        .iter()
        .filter(|s| s.parent == Some(i))
        .map(|s| Link {
            title: s.title.clone(),
            url: s.url.clone(),
        })
        .collect();
    ctx.insert(
        "section",
        &SectionValues {
            title: &section.title,
            summary: section.summary.as_deref(),
            url: &section.url,
            content: &section.body_html,
        },
    );
    ctx.insert(
        "filters",
        &home::filter_groups(&cards, &site.config, strings),
    );
    // The shared cards (the same values): a section of 10,000 playbooks held a second copy of
    // each while it rendered.
    drop(cards);
    ctx.insert_value("pages", shared.cards_of(&section.pages));
    ctx.insert("subsections", &subsections);
    ctx.insert("breadcrumbs", &breadcrumbs(site, i, strings));
    if i == 0 {
        ctx.insert("home", &home::home_values(site, strings));
        let playbooks: Vec<usize> = (0..site.pages.len())
            .filter(|&p| {
                let page = &site.pages[p];
                page.is_listed() && page.meta().playbook().is_some()
            })
            .collect();
        ctx.insert_value("playbooks", shared.cards_of(&playbooks));
        ("index.html", "index.html".to_string())
    } else {
        ("section.html", output_path_for(&section.url))
    }
}

/// A team's own values on its page.
#[derive(Serialize)]
struct TeamValues<'a> {
    id: &'a str,
    name: &'a str,
    organisation: Option<&'a str>,
    /// `progress/<id>.yaml`.
    file: &'a str,
}

#[derive(Serialize)]
struct TermCount {
    url: String,
    name: String,
    count: usize,
}

#[derive(Serialize)]
struct SectionValues<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    url: &'a str,
    content: &'a str,
}

#[derive(Serialize)]
struct PageValues<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    url: &'a str,
    kind: &'static str,
    status: &'static str,
    last_reviewed: Option<String>,
    last_reviewed_iso: Option<String>,
    next_review_due: Option<String>,
    next_review_due_iso: Option<String>,
    owners: Vec<view::OwnerView>,
    tags: Vec<Link>,
    has_checklists: bool,
}

fn page_values<'a>(page: &'a SitePage, strings: &Strings) -> PageValues<'a> {
    match page.meta() {
        PageMeta::Playbook(p) => PageValues {
            title: &p.title,
            summary: Some(&p.summary),
            url: &page.url,
            kind: "playbook",
            status: p.status.as_str(),
            last_reviewed: Some(strings.date(p.last_reviewed)),
            last_reviewed_iso: Some(p.last_reviewed.iso()),
            next_review_due: Some(strings.date(p.next_review_due)),
            next_review_due_iso: Some(p.next_review_due.iso()),
            owners: Vec::new(),
            tags: view::tag_links(&p.tags),
            has_checklists: !p.checklists.is_empty() || !page.rendered.checklists.is_empty(),
        },
        PageMeta::Guide(g) => PageValues {
            title: &g.title,
            summary: g.summary.as_deref(),
            url: &page.url,
            kind: "guide",
            status: g.status.as_str(),
            last_reviewed: g.last_reviewed.map(|d| strings.date(d)),
            last_reviewed_iso: g.last_reviewed.map(|d| d.iso()),
            next_review_due: g.next_review_due.map(|d| strings.date(d)),
            next_review_due_iso: g.next_review_due.map(|d| d.iso()),
            owners: g
                .owners
                .iter()
                .map(|o| view::OwnerView {
                    name: o.name.clone(),
                    role: view::Named {
                        id: o.role.clone(),
                        name: o.role.clone(),
                    },
                    contact: o.contact.clone(),
                })
                .collect(),
            tags: view::tag_links(&g.tags),
            has_checklists: !page.rendered.checklists.is_empty(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_views_section_and_term_lists_go_in_the_lane_of_lists() {
        let term = |vocabulary: vocabulary::Vocabulary| Job::Taxonomy {
            listing: vocabulary.listing(),
            id: "x".into(),
            name: "X".into(),
            pages: Vec::new(),
        };
        let role = term(vocabulary::Vocabulary::Roles);
        assert!(role.is_role_view() && role.lists_the_site());
        let stage = term(vocabulary::Vocabulary::Stages);
        assert!(!stage.is_role_view() && stage.lists_the_site());
        assert!(Job::Section(0).lists_the_site() && !Job::Section(0).is_role_view());
        for job in [
            Job::Page(0),
            Job::ChecklistsCsv(0),
            Job::NotFound,
            Job::Search,
        ] {
            assert!(!job.lists_the_site() && !job.is_role_view(), "{job:?}");
        }
    }

    /// The bundled site (this repository's `content/`), parsed and assembled as `build` does.
    pub(crate) fn bundled_site() -> Site {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::config::load(root).unwrap();
        let discovery = crate::content::discover(root, &config);
        let today = crate::content::model::IsoDate::parse("2026-11-22").unwrap();
        let parsed = crate::content::parse_all(
            &discovery,
            &config,
            today,
            &crate::source::PackBudget::default(),
        );
        let options = crate::site::AssembleOptions {
            team_ids: Vec::new(),
            drafts: false,
            static_paths: Default::default(),
            today,
            default_edition: Default::default(),
        };
        crate::site::assemble(
            config,
            &discovery,
            parsed.pages,
            parsed.sections,
            &options,
            &crate::site::render_body,
        )
        .site
    }

    #[test]
    fn shared_card_values_are_the_serialised_cards() {
        let site = bundled_site();
        let shared = Shared::new(&site, Strings::default());
        let mut playbooks = 0;
        for page in &site.pages {
            let expected = Value::try_from_serializable(&view::card(page, &site.config)).unwrap();
            assert_eq!(shared.card_value(page), expected, "{}", page.url);
            playbooks += usize::from(page.meta().playbook().is_some());
        }
        assert!(playbooks >= 6, "the bundled site has playbooks to compare");
    }

    /// The 404 page of a Welsh edition, rendered with `values` in its context.
    fn welsh_404(values: serde_json::Value) -> String {
        let root = tempfile::tempdir().unwrap();
        let mut templates = load_templates(root.path(), "default").unwrap();
        let (translations, problems) =
            i18n::load(root.path(), "default", &["en-GB".into(), "cy".into()]);
        assert!(problems.is_empty(), "{problems:?}");
        let site = serde_json::json!({
            "title": "Llyfrau chwarae", "base_url": "https://x.example", "base_path": "",
            "language": "cy", "stages": [], "settings": [], "roles": [], "sections": [],
            "live_reload": false, "repository": null,
        });
        templates.tera.global_context().insert("site", &site);
        i18n::register_t_function(&mut templates.tera, translations.strings("cy"));
        let context = Context::from_serialize(&values).unwrap();
        templates.tera.render("404.html", &context).unwrap()
    }

    #[test]
    fn the_frame_links_the_other_languages_and_says_when_a_page_is_not_translated() {
        let html = welsh_404(serde_json::json!({
            "alternates": [
                {"hreflang": "en-GB", "href": "https://x.example/guides/a/"},
                {"hreflang": "cy", "href": "https://x.example/cy/guides/a/"},
                {"hreflang": "x-default", "href": "https://x.example/guides/a/"},
            ],
            "languages": [{"code": "en-GB", "name": "English", "url": "/base/guides/a/"}],
            "not_translated": true,
            "page_language": "en-GB",
        }));
        assert!(html.contains(
            "<link rel=\"alternate\" hreflang=\"cy\" href=\"https://x.example/cy/guides/a/\">\n<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://x.example/guides/a/\">\n\n</head>"
        ), "{html}");
        assert!(html.contains(
            "<nav class=\"pb-width-container pb-language\" aria-label=\"Iaith\">\n<ul class=\"pb-language__list\">\n<li><a href=\"/base/guides/a/\" lang=\"en-GB\" hreflang=\"en-GB\">English</a></li>\n</ul>\n</nav>"
        ), "{html}");
        // The notice is in the edition's language; the page's own text, in another, says so.
        assert!(html.contains(
            "<main id=\"main-content\" class=\"pb-main\">\n<div class=\"pb-inset-text pb-not-translated\" role=\"note\"><p>Nid yw'r dudalen hon wedi'i chyfieithu i'r Gymraeg eto.</p></div>\n<div lang=\"en-GB\">\n\n<h1>Tudalen heb ei chanfod</h1>"
        ), "{html}");
        assert!(html.contains("</p>\n\n</div>\n\n</main>"), "{html}");
        assert!(html.contains(
            "<a class=\"pb-skip-link\" href=\"#main-content\">Neidio i'r prif gynnwys</a>"
        ));
    }

    #[test]
    fn without_those_values_the_frame_has_none_of_it() {
        let html = welsh_404(serde_json::json!({ "page_language": "cy" }));
        for absent in ["hreflang", "pb-language", "pb-not-translated", "<div lang="] {
            assert!(!html.contains(absent), "{absent}: {html}");
        }
        assert!(
            html.contains(
                "<main id=\"main-content\" class=\"pb-main\">\n\n<h1>Tudalen heb ei chanfod</h1>"
            ),
            "{html}"
        );
    }

    fn theme_with(page_html: &str) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("themes/custom/templates");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("page.html"), page_html).unwrap();
        root
    }

    #[test]
    fn unknown_filters_are_reported_one_by_one_at_their_lines() {
        let root = theme_with(
            "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title | shout_loud }}\n{{ page.title | nope }}\n{% endblock main %}\n",
        );
        let Err(errors) = load_templates(root.path(), "custom") else {
            panic!("unknown filters must not load");
        };
        let places: Vec<_> = errors
            .iter()
            .map(|d| (d.file.as_str(), d.line, d.column, d.width))
            .collect();
        assert_eq!(
            places,
            [
                ("themes/custom/templates/page.html", 3, 17, 10),
                ("themes/custom/templates/page.html", 4, 17, 4)
            ]
        );
        assert!(errors[0].message.ends_with("Unknown filter `shout_loud`"));
        assert_eq!(
            errors[1].source_line.as_deref(),
            Some("{{ page.title | nope }}")
        );
    }

    #[test]
    fn a_missing_parent_template_names_the_child() {
        let root = theme_with("{% extends \"layout.html\" %}\n");
        let Err(errors) = load_templates(root.path(), "custom") else {
            panic!("a missing parent must not load");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].file, "themes/custom/templates/page.html");
        assert!(errors[0].message.contains("`layout.html`"), "{errors:?}");
    }

    #[test]
    fn text_reports_are_read_back_into_places() {
        let text = "error: Unknown test `odd_one`\n  --> page.html:12:8\n   |\n12 | {% if x is odd_one %}\n   |            ^^^^^^^\n\nnot a report";
        assert_eq!(
            reports_in(text),
            [TextReport {
                message: "Unknown test `odd_one`".into(),
                template: "page.html".into(),
                line: 12,
                column: 8,
                width: 7,
            }]
        );
        assert!(reports_in("something else entirely").is_empty());
    }
}
