//! `site.toml`: the site's settings and its shared vocabularies (stages, settings, roles).
//!
//! Every problem is reported with its line in site.toml; unknown keys get a "did you mean".

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostics::{suggestion_help, Diagnostic};
use crate::source::SourceText;
use crate::vocabulary::Vocabulary;

/// What to do with HTML written inside Markdown (`build.raw_html`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Pass it through untouched: only for sites whose authors are all trusted.
    Allow,
    /// Keep ordinary formatting, drop scripts, styles, event handlers, iframes and forms.
    #[default]
    Sanitize,
    /// Any raw HTML is an error with its line.
    Deny,
}

/// One entry of a vocabulary: an id used in front matter and the name people read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// `a-z 0-9 -`, used in front matter and URLs.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// The parsed, checked `site.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    /// Site title, shown in every page header.
    pub title: String,
    /// Absolute base of the published site, without a trailing slash (feeds, sitemap). Set it
    /// with [`SiteConfig::set_base_url`], which keeps `base_path` in step.
    pub base_url: String,
    /// The path of `base_url` (`/playbooks` for `https://nhs-org.github.io/playbooks`; empty for
    /// a site at a domain's root): every URL the site writes into its pages starts with it,
    /// while the site's own URLs (links checked, search ids, saved ticks) leave it out.
    pub base_path: String,
    /// `lang` of every page.
    pub language: String,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Output folder, relative to the root unless absolute.
    pub output_dir: PathBuf,
    /// Raw HTML policy for Markdown bodies.
    pub raw_html: RawHtml,
    /// List pages due for review within this many days.
    pub warn_within_days: i64,
    /// The ordered steps of a care pathway.
    pub stages: Vec<Term>,
    /// Where care happens.
    pub settings: Vec<Term>,
    /// Who does what.
    pub roles: Vec<Term>,
    /// `[repository]`: where the site's source lives, if site.toml says.
    pub repository: Option<Repository>,
    /// `[[mounts]]`: folders read as if they were under content/.
    pub mounts: Vec<Mount>,
    /// `[languages.<code>]`: the site's further languages, in the order written (empty for a
    /// site in one language).
    pub languages: Vec<Language>,
    /// `""` for the default language's edition, `/cy` for the Welsh edition (see
    /// [`SiteConfig::edition`]), whose `base_url` and `base_path` end with it: every page URL
    /// of the edition is under it, while shared files are not (`files_base_path`).
    pub language_path: String,
    /// Problems in site.toml that do not stop the build: vocabulary labels left out of a
    /// language (each falls back to the default language's).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// `[languages.<code>]` of site.toml: one further language of the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Language {
    /// The BCP 47 code (`cy`): the translations' file suffix (`x.cy.md`) and URL prefix (`/cy/`).
    pub code: String,
    /// The language's name in itself (`Cymraeg`), shown in the language switcher.
    pub name: String,
    /// The site title in this language, when site.toml gives one.
    pub title: Option<String>,
    /// What to build for a page with no translation.
    pub missing: Missing,
    /// The stages, settings and roles with their labels in this language (a label left out
    /// is the default language's).
    pub stages: Vec<Term>,
    /// See `stages`.
    pub settings: Vec<Term>,
    /// See `stages`.
    pub roles: Vec<Term>,
}

/// `missing` of a language: what the translated URL of an untranslated page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// The default language's page, with a notice (in this language) that it is not yet
    /// translated.
    #[default]
    Notice,
    /// Nothing: links to it in this language go to the default language's page.
    Omit,
}

/// The name of a language in itself, for the switcher, for the languages a site is most
/// likely to be written in; else its code.
pub fn language_name(code: &str) -> String {
    let primary = primary_subtag(code);
    let name = match primary.as_str() {
        "en" => "English",
        "cy" => "Cymraeg",
        "ga" => "Gaeilge",
        "gd" => "Gàidhlig",
        "kw" => "Kernewek",
        "gv" => "Gaelg",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "pl" => "Polski",
        "pa" => "ਪੰਜਾਬੀ",
        "ur" => "اردو",
        "bn" => "বাংলা",
        _ => return code.to_string(),
    };
    name.to_string()
}

/// The primary subtag of a BCP 47 code, lower-cased: `en` for `en-GB`.
pub fn primary_subtag(code: &str) -> String {
    code.split(['-', '_'])
        .next()
        .unwrap_or(code)
        .to_ascii_lowercase()
}

/// `[[mounts]]` of site.toml: a folder (often another repository, as a git submodule) whose
/// pages appear under content/ at `target`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    /// The folder, relative to the site root, with `/` separators (`vendor/national/content`).
    pub source: String,
    /// Where its pages appear under content/ (`national` → `/national/...`).
    pub target: String,
    /// False: its pages build nowhere and appear nowhere, but local versions may adapt them.
    pub listed: bool,
}

/// `[repository]` of site.toml: the site's source repository, for the footer link and each
/// page's "Suggest a change to this page" link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repository {
    /// The repository's web address, shown in the footer.
    pub url: Option<String>,
    /// The address of a page's edit form, with `{path}` where its source path goes.
    pub edit: Option<String>,
}

impl Repository {
    /// The edit link of the page whose source is `rel_path` (from the site root, e.g.
    /// `content/playbooks/x.md`): `edit` with `{path}` replaced by the path, percent-encoded
    /// so that spaces, `#`, `?`, `%` and non-ASCII letters in file names stay in the path.
    pub fn edit_url(&self, rel_path: &str) -> Option<String> {
        let template = self.edit.as_deref()?;
        Some(template.replace("{path}", &percent_encode_path(rel_path)))
    }
}

/// The path of a base URL, without a trailing slash: `/playbooks` for
/// `https://nhs-org.github.io/playbooks/`, `""` for `https://playbooks.example.nhs.uk` (or an
/// empty `base_url`). Its query and fragment, if any, are left out, and a space or other letter
/// a URL cannot hold is written as `%XX`.
pub fn base_path_of(base_url: &str) -> String {
    let after_host = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => match base_url.strip_prefix("//") {
            Some(rest) => rest.find('/').map_or("", |i| &rest[i..]),
            None if base_url.starts_with('/') => base_url,
            None => "",
        },
    };
    let path = after_host.split(['?', '#']).next().unwrap_or("");
    // Written into pages as it is: spaces and other letters a URL cannot hold as `%XX`.
    let mut encoded = String::with_capacity(path.len());
    for byte in path.trim_end_matches('/').bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// `url` as written in a page of a site under `base_path`: a site path (`/guides/`) gets the
/// base path in front; a web address, `//host/…`, `#anchor` or relative path is left as it is.
pub fn with_base_path(base_path: &str, url: &str) -> String {
    if !base_path.is_empty() && url.starts_with('/') && !url.starts_with("//") {
        format!("{base_path}{url}")
    } else {
        url.to_string()
    }
}

/// `path` with every byte but the unreserved characters of RFC 3986 and `/` written as `%XX`.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl SiteConfig {
    /// The terms of one vocabulary.
    pub fn terms(&self, vocabulary: Vocabulary) -> &[Term] {
        match vocabulary {
            Vocabulary::Stages => &self.stages,
            Vocabulary::Settings => &self.settings,
            Vocabulary::Roles => &self.roles,
        }
    }

    /// The display name of `id` in `vocabulary`, if defined.
    pub fn name_of(&self, vocabulary: Vocabulary, id: &str) -> Option<&str> {
        self.terms(vocabulary)
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.as_str())
    }

    /// Sets `base_url` (without its trailing slash) and the `base_path` taken from it.
    pub fn set_base_url(&mut self, base_url: &str) {
        self.base_url = base_url.trim_end_matches('/').to_string();
        self.base_path = base_path_of(&self.base_url);
    }

    /// `url` as the site writes it: a site path (`/guides/`) gets the base path in front;
    /// anything else (a web address, `#anchor`, `//host/`) is returned as it is.
    pub fn url_of(&self, url: &str) -> String {
        with_base_path(&self.base_path, url)
    }

    /// A configuration for tests and tools that need one without a file.
    pub fn minimal(title: &str) -> Self {
        Self {
            title: title.to_string(),
            base_url: String::new(),
            base_path: String::new(),
            language: "en-GB".into(),
            theme: "default".into(),
            output_dir: PathBuf::from("public"),
            raw_html: RawHtml::Sanitize,
            warn_within_days: 30,
            stages: Vec::new(),
            settings: Vec::new(),
            roles: Vec::new(),
            repository: None,
            mounts: Vec::new(),
            languages: Vec::new(),
            language_path: String::new(),
            warnings: Vec::new(),
        }
    }

    /// The language editions of the site: the default language's (`None`) first, then each
    /// `[languages.<code>]` in order.
    pub fn editions(&self) -> impl Iterator<Item = Option<&Language>> {
        std::iter::once(None).chain(self.languages.iter().map(Some))
    }

    /// This configuration as one language edition sees it: for a further language, its title,
    /// its code as `language`, its labels, and its URL prefix (`/cy`) in `language_path`.
    /// The default language's edition (`None`) is the configuration as it is.
    pub fn edition(&self, language: Option<&Language>) -> SiteConfig {
        let mut config = self.clone();
        config.warnings.clear();
        if let Some(language) = language {
            if let Some(title) = &language.title {
                config.title = title.clone();
            }
            config.language = language.code.clone();
            config.language_path = format!("/{}", language.code);
            // Every page URL of the edition is under `/cy`; shared files are not (see
            // `files_base_path`).
            config.base_url = format!("{}/{}", config.base_url, language.code);
            config.base_path = format!("{}/{}", config.base_path, language.code);
            config.stages = language.stages.clone();
            config.settings = language.settings.clone();
            config.roles = language.roles.clone();
        }
        config
    }

    /// The codes of the site's languages, the default language's first (`["en-GB", "cy"]`).
    pub fn language_codes(&self) -> Vec<String> {
        std::iter::once(self.language.clone())
            .chain(self.languages.iter().map(|l| l.code.clone()))
            .collect()
    }

    /// The edition's own language, `None` for the default language's edition.
    pub fn edition_language(&self) -> Option<&Language> {
        if self.language_path.is_empty() {
            return None;
        }
        self.languages.iter().find(|l| l.code == self.language)
    }

    /// The path shared files (theme assets, static files, the search index, `playbooks.json`)
    /// are under: the site's base path, without the edition's language (`base_path` is
    /// `/trust/cy` in the Welsh edition of a site under `/trust`; this is `/trust`).
    pub fn files_base_path(&self) -> &str {
        self.base_path
            .strip_suffix(self.language_path.as_str())
            .unwrap_or(&self.base_path)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Spanned<String>,
    #[serde(default)]
    base_url: Option<Spanned<String>>,
    #[serde(default)]
    language: Option<Spanned<String>>,
    #[serde(default)]
    theme: Option<Spanned<String>>,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    review: RawReview,
    #[serde(default)]
    stages: Vec<RawStage>,
    #[serde(default)]
    settings: IndexMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    roles: IndexMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    repository: Option<RawRepository>,
    #[serde(default)]
    mounts: Vec<RawMount>,
    #[serde(default)]
    languages: IndexMap<Spanned<String>, RawLanguage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: Spanned<String>,
    #[serde(default)]
    title: Option<Spanned<String>>,
    #[serde(default)]
    missing: Missing,
    #[serde(default)]
    stages: IndexMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    settings: IndexMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    roles: IndexMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMount {
    source: Spanned<String>,
    target: Spanned<String>,
    #[serde(default)]
    listed: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRepository {
    #[serde(default)]
    url: Option<Spanned<String>>,
    #[serde(default)]
    edit: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    #[serde(default)]
    output_dir: Option<Spanned<String>>,
    #[serde(default)]
    raw_html: RawHtml,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReview {
    #[serde(default)]
    warn_within_days: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    id: Spanned<String>,
    name: Spanned<String>,
}

/// The name of the settings file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// Reads and checks `root/site.toml`. Errors are returned all together.
pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let bytes = std::fs::read(&path).map_err(|err| {
        vec![
            Diagnostic::error(CONFIG_FILE, 1, 1, format!("cannot read site.toml: {err}"))
                .with_help(
                    "run `playbook init DIR` to create a site, or pass `--root` to point at one",
                ),
        ]
    })?;
    let text = crate::source::decode_utf8(CONFIG_FILE, bytes).map_err(|d| vec![d])?;
    parse_at(&SourceText::new(CONFIG_FILE, text), Some(root))
}

/// `theme = "x"` names a folder that is not under `root/themes/`: an error at the `theme` line
/// of site.toml. The template stage reports it, so content errors are reported in the same run.
pub fn missing_theme(root: &Path, theme: &str) -> Diagnostic {
    #[derive(Deserialize)]
    struct ThemeOnly {
        theme: Option<Spanned<String>>,
    }
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
    let source = SourceText::new(CONFIG_FILE, text);
    let span = toml::from_str::<ThemeOnly>(source.as_str())
        .ok()
        .and_then(|t| t.theme)
        .map(|t| t.span())
        .unwrap_or(0..1);
    source
        .error_at_span(
            span,
            format!("theme `{theme}` not found: there is no themes/{theme}/ folder"),
        )
        .with_help("create the folder with the theme's templates, or set `theme = \"default\"`")
}

/// Parses and checks site.toml text (without looking at the disk: mounts are not checked).
pub fn parse(source: &SourceText) -> Result<SiteConfig, Vec<Diagnostic>> {
    parse_at(source, None)
}

/// Parses and checks site.toml text; with `root`, also checks each mount's folder on disk.
fn parse_at(source: &SourceText, root: Option<&Path>) -> Result<SiteConfig, Vec<Diagnostic>> {
    let raw: RawConfig =
        toml::from_str(source.as_str()).map_err(|err| vec![toml_error(source, &err)])?;
    let mut diagnostics = Vec::new();

    let check_id = |id: &Spanned<String>, what: &str, diagnostics: &mut Vec<Diagnostic>| {
        if !is_valid_id(id.get_ref()) {
            diagnostics.push(
                source
                    .error_at_span(id.span(), format!("{what} id `{}` is not valid", id.get_ref()))
                    .with_help("ids may hold only lowercase letters a-z, digits 0-9 and `-`, e.g. `self-management`"),
            );
        }
    };

    let mut stages = Vec::new();
    for stage in &raw.stages {
        check_id(&stage.id, "stage", &mut diagnostics);
        if stages.iter().any(|t: &Term| &t.id == stage.id.get_ref()) {
            diagnostics.push(
                source
                    .error_at_span(
                        stage.id.span(),
                        format!("stage id `{}` is defined twice", stage.id.get_ref()),
                    )
                    .with_help("give every `[[stages]]` entry its own id"),
            );
        }
        stages.push(Term {
            id: stage.id.get_ref().clone(),
            name: stage.name.get_ref().clone(),
        });
    }
    let terms = |map: &IndexMap<Spanned<String>, Spanned<String>>,
                 what: &str,
                 diagnostics: &mut Vec<Diagnostic>| {
        map.iter()
            .map(|(id, name)| {
                check_id(id, what, diagnostics);
                Term {
                    id: id.get_ref().clone(),
                    name: name.get_ref().clone(),
                }
            })
            .collect::<Vec<_>>()
    };
    let settings = terms(&raw.settings, "setting", &mut diagnostics);
    let roles = terms(&raw.roles, "role", &mut diagnostics);

    let output_dir = raw
        .build
        .output_dir
        .as_ref()
        .map(|s| s.get_ref().clone())
        .unwrap_or_else(|| "public".to_string());
    if let Some(spanned) = &raw.build.output_dir {
        if let Some(problem) = output_dir_problem(spanned.get_ref()) {
            diagnostics.push(
                source
                    .error_at_span(spanned.span(), problem)
                    .with_help("use a folder of its own, such as `public`"),
            );
        }
    }
    let warn_within_days = match &raw.review.warn_within_days {
        Some(days) if *days.get_ref() < 0 => {
            diagnostics.push(
                source
                    .error_at_span(days.span(), "`warn_within_days` cannot be negative")
                    .with_help("use a number of days such as 30"),
            );
            30
        }
        Some(days) => *days.get_ref(),
        None => 30,
    };
    if raw.title.get_ref().trim().is_empty() {
        diagnostics.push(
            source
                .error_at_span(raw.title.span(), "the site `title` is empty")
                .with_help("give the site a name, e.g. title = \"Digital adoption playbooks\""),
        );
    }
    let repository = raw
        .repository
        .as_ref()
        .map(|r| repository(source, r, &mut diagnostics));
    let mounts = mounts(source, &raw.mounts, root, &mut diagnostics);
    let default_language = raw
        .language
        .as_ref()
        .map(|s| s.get_ref().clone())
        .unwrap_or_else(|| "en-GB".into());
    let vocabularies = [&stages, &settings, &roles];
    let mut warnings = Vec::new();
    let languages = languages(
        source,
        &raw.languages,
        (&default_language, vocabularies),
        &mut diagnostics,
        &mut warnings,
    );
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let base_url = raw
        .base_url
        .map(|s| s.into_inner().trim_end_matches('/').to_string())
        .unwrap_or_default();
    Ok(SiteConfig {
        title: raw.title.into_inner(),
        base_path: base_path_of(&base_url),
        base_url,
        language: raw
            .language
            .map(|s| s.into_inner())
            .unwrap_or_else(|| "en-GB".into()),
        theme: raw
            .theme
            .map(|s| s.into_inner())
            .unwrap_or_else(|| "default".into()),
        output_dir: PathBuf::from(output_dir),
        raw_html: raw.build.raw_html,
        warn_within_days,
        stages,
        settings,
        roles,
        repository,
        mounts,
        languages,
        language_path: String::new(),
        warnings,
    })
}

/// Checks `[languages.<code>]`: each code a language tag that is not the default language's,
/// each label's id one of the default vocabulary's; a label left out is a warning, and the
/// default language's label takes its place.
fn languages(
    source: &SourceText,
    raw: &IndexMap<Spanned<String>, RawLanguage>,
    (default_language, vocabularies): (&str, [&Vec<Term>; 3]),
    diagnostics: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Language> {
    let mut languages = Vec::new();
    for (code, language) in raw {
        let code_text = code.get_ref().trim();
        let is_tag = !code_text.is_empty()
            && code_text
                .split('-')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
            && code_text
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_lowercase());
        if !is_tag {
            diagnostics.push(
                source
                    .error_at_span(code.span(), format!("`{code_text}` is not a language code"))
                    .with_help("use a BCP 47 code in lower case, e.g. [languages.cy] for Welsh or [languages.gd] for Scottish Gaelic"),
            );
            continue;
        }
        if primary_subtag(code_text) == primary_subtag(default_language) {
            diagnostics.push(
                source
                    .error_at_span(
                        code.span(),
                        format!("`{code_text}` is the site's own language (`language = \"{default_language}\"`)"),
                    )
                    .with_help("list only the further languages under [languages.…]"),
            );
            continue;
        }
        if language.name.get_ref().trim().is_empty() {
            diagnostics.push(
                source
                    .error_at_span(language.name.span(), "the language's `name` is empty")
                    .with_help("give its name in itself, e.g. name = \"Cymraeg\""),
            );
        }
        let labels = [&language.stages, &language.settings, &language.roles];
        let what = ["stages", "settings", "roles"];
        let mut translated: Vec<Vec<Term>> = Vec::new();
        for ((given, defaults), what) in labels.into_iter().zip(vocabularies).zip(what) {
            for (id, _) in given {
                if !defaults.iter().any(|t| &t.id == id.get_ref()) {
                    let ids: Vec<&str> = defaults.iter().map(|t| t.id.as_str()).collect();
                    diagnostics.push(
                        source
                            .error_at_span(
                                id.span(),
                                format!("`{}` is not one of the site's {what}", id.get_ref()),
                            )
                            .with_help(suggestion_help(id.get_ref(), &ids)),
                    );
                }
            }
            let mut terms = Vec::new();
            let mut left_out = Vec::new();
            for term in defaults {
                match given.iter().find(|(id, _)| id.get_ref() == &term.id) {
                    Some((_, name)) => terms.push(Term {
                        id: term.id.clone(),
                        name: name.get_ref().clone(),
                    }),
                    None => {
                        left_out.push(term.id.as_str());
                        terms.push(term.clone());
                    }
                }
            }
            if !left_out.is_empty() {
                let (line, column) = source.position(code.span().start);
                warnings.push(
                    source
                        .warning(line, column, code_text.chars().count(), format!(
                            "{} of the {what} {} no label in `{code_text}`: {}",
                            match left_out.len() {
                                1 => "1 id".to_string(),
                                n => format!("{n} ids"),
                            },
                            if left_out.len() == 1 { "has" } else { "have" },
                            left_out.join(", ")
                        ))
                        .with_help(format!(
                            "add them under [languages.{code_text}.{what}], e.g. {} = \"…\"; until then the {} label is shown",
                            left_out[0],
                            language_name(default_language)
                        )),
                );
            }
            translated.push(terms);
        }
        let mut translated = translated.into_iter();
        languages.push(Language {
            code: code_text.to_string(),
            name: language.name.get_ref().trim().to_string(),
            title: language.title.as_ref().map(|t| t.get_ref().clone()),
            missing: language.missing,
            stages: translated.next().unwrap_or_default(),
            settings: translated.next().unwrap_or_default(),
            roles: translated.next().unwrap_or_default(),
        });
    }
    languages
}

/// Checks `[[mounts]]`: each target is a path of ids used once; with `root`, each source is a
/// folder inside the site (after `..` and symbolic links are resolved) and each target is not
/// a folder of content/ already.
fn mounts(
    source: &SourceText,
    raw: &[RawMount],
    root: Option<&Path>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Mount> {
    let mut out: Vec<Mount> = Vec::new();
    for mount in raw {
        let target = mount.target.get_ref().trim_matches('/').to_string();
        let folder = mount.source.get_ref().replace('\\', "/");
        let folder = folder.trim_end_matches('/').to_string();
        let mut error = |span: std::ops::Range<usize>, message: String, help: &str| {
            diagnostics.push(source.error_at_span(span, message).with_help(help));
        };
        if target.is_empty() || !target.split('/').all(is_valid_id) {
            error(
                mount.target.span(),
                format!(
                    "mount target `{}` is not a path of ids",
                    mount.target.get_ref()
                ),
                "write the folder its pages appear in under content/, e.g. target = \"national\"",
            );
            continue;
        }
        if out.iter().any(|m| m.target == target) {
            error(
                mount.target.span(),
                format!("two mounts have the target `{target}`"),
                "give each mount its own target folder",
            );
            continue;
        }
        // One mount's pages inside another's folder would mix two repositories in one section.
        let inside = |outer: &str, inner: &str| {
            inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with('/'))
        };
        if let Some(other) = out
            .iter()
            .find(|m| inside(&m.target, &target) || inside(&target, &m.target))
        {
            error(
                mount.target.span(),
                format!(
                    "mount target `{target}` and the target `{}` of another mount are one inside the other",
                    other.target
                ),
                "give each mount a folder of its own, side by side (e.g. `national` and `regional`)",
            );
            continue;
        }
        if let Some(root) = root {
            if let Some((message, help)) = mount_problem(root, &folder, &target) {
                let span = if message.contains("content/") {
                    mount.target.span()
                } else {
                    mount.source.span()
                };
                error(span, message, help);
                continue;
            }
        }
        out.push(Mount {
            source: folder,
            target,
            listed: mount.listed.unwrap_or(true),
        });
    }
    out
}

/// What is wrong with mounting `folder` (relative to `root`) at `target`, if anything.
fn mount_problem(root: &Path, folder: &str, target: &str) -> Option<(String, &'static str)> {
    let path = root.join(folder);
    let Ok(real) = path.canonicalize() else {
        return Some((
            format!("mount source `{folder}` does not exist"),
            "check the path (relative to the site root); a git submodule may need `git submodule update --init`",
        ));
    };
    let inside = root
        .canonicalize()
        .is_ok_and(|r| real.starts_with(&r) && real != r);
    if !inside {
        return Some((
            format!("mount source `{folder}` is outside the site folder"),
            "mount a folder inside the site, e.g. a git submodule under vendor/",
        ));
    }
    let content = root.join("content").canonicalize();
    if content.is_ok_and(|c| real.starts_with(c)) {
        return Some((
            format!("mount source `{folder}` is inside content/, which is read already"),
            "mount a folder outside content/, e.g. vendor/national/content",
        ));
    }
    if !real.is_dir() {
        return Some((
            format!("mount source `{folder}` is not a folder"),
            "mount a folder of Markdown pages, laid out like content/",
        ));
    }
    if root.join("content").join(target).exists() {
        return Some((
            format!("mount target `{target}` clashes with the folder content/{target}"),
            "choose a target that is not a folder of content/, or move that folder",
        ));
    }
    None
}

/// Checks `[repository]`: both addresses are web addresses, and `edit` says where the path goes.
fn repository(
    source: &SourceText,
    raw: &RawRepository,
    diagnostics: &mut Vec<Diagnostic>,
) -> Repository {
    let mut web_address = |value: &Option<Spanned<String>>, key: &str| {
        let value = value.as_ref()?;
        let text = value.get_ref().trim();
        if !(text.starts_with("https://") || text.starts_with("http://")) {
            diagnostics.push(
                source
                    .error_at_span(
                        value.span(),
                        format!("`repository.{key}` must be a web address, found `{text}`"),
                    )
                    .with_help(
                        "start it with https://, e.g. \"https://github.com/nhs-org/playbooks\"",
                    ),
            );
            return None;
        }
        if key == "edit" && !text.contains("{path}") {
            diagnostics.push(
                source
                    .error_at_span(value.span(), "`repository.edit` has no `{path}` in it")
                    .with_help("write `{path}` where the page's source path goes, e.g. \"https://github.com/nhs-org/playbooks/edit/main/{path}\""),
            );
            return None;
        }
        Some(text.to_string())
    };
    let url = web_address(&raw.url, "url");
    let edit = web_address(&raw.edit, "edit");
    Repository { url, edit }
}

/// Why an output folder would be dangerous to build into, if it would be.
///
/// The build replaces the whole output folder, so it must never be the site itself or hold it.
pub fn output_dir_problem(dir: &str) -> Option<String> {
    let path = Path::new(dir);
    let normal: Vec<_> = path.components().collect();
    let trimmed = dir.trim_matches(['/', '.']);
    if dir.trim().is_empty() || trimmed.is_empty() {
        return Some(format!(
            "`output_dir = \"{dir}\"` would replace the whole site folder"
        ));
    }
    if normal
        .iter()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Some(format!(
            "`output_dir = \"{dir}\"` climbs out of the site folder"
        ));
    }
    let first = trimmed.split('/').next().unwrap_or("");
    if [
        "content",
        "static",
        "themes",
        "site.toml",
        "src",
        "tests",
        ".git",
    ]
    .contains(&first)
    {
        return Some(format!(
            "`output_dir = \"{dir}\"` would overwrite the site's own `{first}`"
        ));
    }
    None
}

/// True for ids made only of `a-z`, `0-9` and `-`, not empty.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn toml_error(source: &SourceText, err: &toml::de::Error) -> Diagnostic {
    let message = err.message().trim().to_string();
    let (message, help) = explain_serde_message(&message);
    let span = err.span().unwrap_or(0..1);
    let diagnostic = source.error_at_span(span, format!("site.toml: {message}"));
    diagnostic.with_help(
        help.unwrap_or_else(|| "see the site.toml example in the playbook format".into()),
    )
}

/// Turns serde's "unknown field `x`, expected one of …" (and the same for enum variants) into
/// a short message and a "did you mean" help.
pub fn explain_serde_message(message: &str) -> (String, Option<String>) {
    for (prefix, noun) in [("unknown field `", "field"), ("unknown variant `", "value")] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let Some((word, tail)) = rest.split_once('`') else {
                continue;
            };
            let expected: Vec<&str> = tail
                .split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .map(|(_, s)| s)
                .collect();
            let help = if expected.is_empty() {
                format!("remove `{word}`: nothing is allowed here")
            } else {
                suggestion_help(word, &expected)
            };
            return (format!("unknown {noun} `{word}`"), Some(help));
        }
    }
    (message.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        parse(&SourceText::new("site.toml", text.to_string()))
    }

    #[test]
    fn the_base_path_is_the_path_of_base_url() {
        for (url, path) in [
            ("https://nhs-org.github.io/playbooks/", "/playbooks"),
            ("https://nhs-org.github.io/playbooks", "/playbooks"),
            ("https://intranet.example/a/b/?x=1#y", "/a/b"),
            ("https://playbooks.example.nhs.uk", ""),
            ("https://playbooks.example.nhs.uk/", ""),
            ("//host/p", "/p"),
            ("/p/", "/p"),
            (
                "https://intranet.example/adoption playbooks/é/",
                "/adoption%20playbooks/%C3%A9",
            ),
            (
                "https://intranet.example/already%20encoded/",
                "/already%20encoded",
            ),
            ("", ""),
        ] {
            assert_eq!(base_path_of(url), path, "{url}");
        }
        let mut c = SiteConfig::minimal("T");
        c.set_base_url("https://nhs-org.github.io/playbooks/");
        assert_eq!(c.base_url, "https://nhs-org.github.io/playbooks");
        assert_eq!(c.url_of("/guides/x/#a"), "/playbooks/guides/x/#a");
        assert_eq!(c.url_of("https://x.example/"), "https://x.example/");
        assert_eq!(c.url_of("//cdn.example/x"), "//cdn.example/x");
        assert_eq!(c.url_of("#top"), "#top");
        c.set_base_url("https://playbooks.example.nhs.uk/");
        assert_eq!(c.url_of("/guides/"), "/guides/");
    }

    #[test]
    fn parses_vocabularies_in_order() {
        let c = parse_str(
            "title = \"T\"\n[[stages]]\nid = \"b\"\nname = \"B\"\n[[stages]]\nid = \"a\"\nname = \"A\"\n[roles]\nz = \"Zed\"\ny = \"Why\"\n",
        )
        .unwrap();
        assert_eq!(
            c.stages.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
        assert_eq!(
            c.roles.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["z", "y"]
        );
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.raw_html, RawHtml::Sanitize);
    }

    #[test]
    fn unknown_key_names_its_line_and_suggests() {
        let errs = parse_str("title = \"T\"\nbase_ulr = \"x\"\n").unwrap_err();
        assert_eq!(errs[0].line, 2);
        assert!(errs[0].message.contains("base_ulr"), "{:?}", errs[0]);
        assert!(errs[0]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `base_url`"));
    }

    #[test]
    fn bad_raw_html_value_is_explained() {
        let errs = parse_str("title = \"T\"\n[build]\nraw_html = \"sanitise\"\n").unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert!(errs[0].help.as_deref().unwrap().contains("`sanitize`"));
    }

    #[test]
    fn bad_and_duplicate_ids_are_all_reported() {
        let errs = parse_str(
            "title = \"T\"\n[[stages]]\nid = \"A b\"\nname = \"x\"\n[[stages]]\nid = \"c\"\nname = \"x\"\n[[stages]]\nid = \"c\"\nname = \"y\"\n",
        )
        .unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].line, 3);
        assert_eq!(errs[1].line, 9);
    }

    #[test]
    fn a_theme_without_its_folder_is_an_error_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.toml"),
            "title = \"T\"\ntheme = \"nhs\"\n",
        )
        .unwrap();
        let err = missing_theme(dir.path(), "nhs");
        assert_eq!((err.line, err.column), (2, 9));
        assert!(err.message.contains("theme `nhs` not found"));
    }

    #[test]
    fn repository_links_are_checked_and_paths_encoded() {
        let c = parse_str(
            "title = \"T\"\n[repository]\nurl = \"https://g.example/o/r\"\nedit = \"https://g.example/o/r/edit/main/{path}\"\n",
        )
        .unwrap();
        let repo = c.repository.unwrap();
        assert_eq!(repo.url.as_deref(), Some("https://g.example/o/r"));
        assert_eq!(
            repo.edit_url("content/playbooks/a b#c?é.md").as_deref(),
            Some("https://g.example/o/r/edit/main/content/playbooks/a%20b%23c%3F%C3%A9.md")
        );
        assert!(parse_str("title = \"T\"\n").unwrap().repository.is_none());
        let errs = parse_str(
            "title = \"T\"\n[repository]\nurl = \"javascript:alert(1)\"\nedit = \"https://g.example/edit\"\n",
        )
        .unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!((errs[0].line, errs[1].line), (3, 4));
        assert!(errs[1].message.contains("{path}"));
        let errs = parse_str("title = \"T\"\n[repository]\nedits = \"x\"\n").unwrap_err();
        assert!(errs[0]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `edit`"));
    }

    #[test]
    fn nested_mount_targets_are_refused_at_the_inner_one() {
        let errors = parse_str(
            "title = \"T\"\n[[mounts]]\nsource = \"a\"\ntarget = \"national\"\n[[mounts]]\nsource = \"b\"\ntarget = \"national/extra\"\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 7);
        assert!(errors[0].message.contains("one inside the other"));
    }

    #[test]
    fn dangerous_output_dirs_are_refused() {
        for dir in [".", "./", "", "content", "../elsewhere", "static/out"] {
            assert!(output_dir_problem(dir).is_some(), "{dir}");
        }
        assert!(output_dir_problem("public").is_none());
        assert!(output_dir_problem("dist/site").is_none());
    }
}
