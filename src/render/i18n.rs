//! The theme's text in each of the site's languages: navigation, headings, labels, the pages'
//! script messages and dates ("3 Tachwedd 2026"), keyed by dotted names (`nav.search`).
//!
//! The strings of a language come, each file overriding the one before, from the default
//! theme's `i18n/<key>.toml` (built into the binary, or `themes/default/i18n/` in the site),
//! the site's theme's `themes/<theme>/i18n/<key>.toml`, and the site's own `i18n/<key>.toml`.
//! The themes' files may add keys (for their templates); the site's own only reword and
//! translate. A string a language lacks falls back to the default language's (with a warning),
//! and any string still missing to the default theme's English, so every key has a text.
//!
//! Templates read them with `t(key="nav.search")`; `{name}` in a string is filled from the
//! call's other arguments (`t(key="home.due_intro", days=30)`), and a key not found as written
//! is looked up as `<key>_one` or `<key>_other` by the `count` argument. A string's own text is
//! escaped unless its key ends in `_html`; an argument is escaped unless it is already safe
//! (HTML a template made, such as a `{% set %}` block).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::content::model::IsoDate;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::source::SourceText;

use super::theme::DEFAULT_I18N;

/// The language the default theme is written in: the last fallback of every string.
const BASE: &str = "en";

/// How many names `months` holds.
const MONTHS: usize = 12;

/// The language key of a BCP 47 code: its primary subtag, lower-cased ("en-GB" → "en",
/// "cy" → "cy"). The strings of `en-GB` and `en-US` are those of `i18n/en.toml`.
pub fn language_key(code: &str) -> String {
    code.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// One value of a strings file: a text, or a list of texts (`months`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Entry {
    Text(String),
    List(Vec<String>),
}

/// A string as written in a file, and where.
#[derive(Debug, Clone)]
struct Found {
    entry: Entry,
    /// The file, as diagnostics name it.
    file: String,
    line: usize,
    column: usize,
}

/// Each key's string as read from a file or files, later files winning.
type Keyed = BTreeMap<String, Found>;

/// The strings of every language of a site, with their fallbacks applied. Cheap to clone.
#[derive(Clone)]
pub struct Translations {
    /// The default language's key.
    default: String,
    /// Each configured language's strings, by key.
    languages: Arc<HashMap<String, Strings>>,
    /// A hash of everything above, so `serve` can tell when a strings file changed.
    fingerprint: u64,
}

impl Default for Translations {
    /// The default theme's strings alone, English first (what a site without any strings
    /// files of its own gets).
    fn default() -> Self {
        static BUILT_IN: OnceLock<Translations> = OnceLock::new();
        BUILT_IN
            .get_or_init(|| {
                let files = HashMap::from([(
                    BASE.to_string(),
                    built_in_source(BASE).into_iter().collect(),
                )]);
                build(&[BASE.to_string()], files, &mut Vec::new())
            })
            .clone()
    }
}

impl std::fmt::Debug for Translations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut languages: Vec<&String> = self.languages.keys().collect();
        languages.sort();
        f.debug_struct("Translations")
            .field("default", &self.default)
            .field("languages", &languages)
            .finish()
    }
}

impl Hash for Translations {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.fingerprint.hash(state);
    }
}

impl Translations {
    /// The strings of `language` (a BCP 47 code such as "cy" or "en-GB", or its key), with
    /// every string it lacks taken from the default language. A language the site does not
    /// have gets the default language's strings.
    pub fn strings(&self, language: &str) -> Strings {
        let key = language_key(language);
        self.languages
            .get(&key)
            .or_else(|| self.languages.get(&self.default))
            .or_else(|| self.languages.get(BASE))
            .cloned()
            .unwrap_or_else(|| Translations::default().strings(BASE))
    }
}

/// Loads the strings of `languages` (the site's BCP 47 codes, the default language first) for
/// the site at `root` with theme `theme`. Problems come back beside the strings, which are
/// always usable: a file that does not parse is an error (at its line and column) and is left
/// out; a string missing in a language, a key the theme does not have and a `{placeholder}`
/// its text does not have are warnings.
pub fn load(root: &Path, theme: &str, languages: &[String]) -> (Translations, Vec<Diagnostic>) {
    let mut keys: Vec<String> = Vec::new();
    for code in languages {
        let key = language_key(code);
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    }
    if keys.is_empty() {
        keys.push(BASE.to_string());
    }
    let mut diagnostics = Vec::new();
    let mut files = HashMap::new();
    for key in keys.iter().map(String::as_str).chain([BASE]) {
        if !files.contains_key(key) {
            let found = files_of(root, theme, key, &mut diagnostics);
            files.insert(key.to_string(), found);
        }
    }
    let translations = build(&keys, files, &mut diagnostics);
    (translations, diagnostics)
}

/// One strings file, named as diagnostics name it, and whose it is.
struct Source {
    text: SourceText,
    origin: Origin,
}

/// Who wrote a strings file: the theme's strings may add keys; a site's own `i18n/` file only
/// rewords or translates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// The default theme's copy in the binary.
    BuiltIn,
    /// A theme's folder in the site (`themes/default/` or the site's theme).
    Theme,
    /// The site's own `i18n/`.
    Site,
}

/// The default theme's built-in file for `key`, if it ships one.
fn built_in_source(key: &str) -> Option<Source> {
    let name = format!("{key}.toml");
    DEFAULT_I18N
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| Source {
            text: SourceText::new(
                format!("themes/default/i18n/{name} (built in)"),
                text.to_string(),
            ),
            origin: Origin::BuiltIn,
        })
}

/// The files holding `key`'s strings, in the order they override each other: the default
/// theme's built-in file, its copy in the site, the site's theme's, the site's own. A file that
/// exists but cannot be read is reported in `problems` and left out.
fn files_of(root: &Path, theme: &str, key: &str, problems: &mut Vec<Diagnostic>) -> Vec<Source> {
    let name = format!("{key}.toml");
    let mut read = |rel: String, origin: Origin| -> Option<Source> {
        let path = root.join(&rel);
        if !path.is_file() {
            return None;
        }
        match std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
        {
            Ok(text) => Some(Source {
                text: SourceText::new(rel, text),
                origin,
            }),
            Err(err) => {
                problems.push(
                    Diagnostic::error(rel, 1, 1, format!("cannot read the strings file: {err}"))
                        .with_help("save it as UTF-8 text, or remove it"),
                );
                None
            }
        }
    };
    let mut files: Vec<Source> = built_in_source(key).into_iter().collect();
    files.extend(read(format!("themes/default/i18n/{name}"), Origin::Theme));
    if theme != "default" {
        files.extend(read(format!("themes/{theme}/i18n/{name}"), Origin::Theme));
    }
    files.extend(read(format!("i18n/{name}"), Origin::Site));
    files
}

/// One file's strings, and whose they are.
struct Layer {
    strings: Keyed,
    origin: Origin,
}

/// Every language's strings from its files, with the checks `load` describes.
fn build(
    keys: &[String],
    mut files: HashMap<String, Vec<Source>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Translations {
    let default = keys.first().cloned().unwrap_or_else(|| BASE.to_string());
    let mut wanted: Vec<String> = keys.to_vec();
    if !wanted.iter().any(|k| k == BASE) {
        wanted.push(BASE.to_string());
    }
    // Each language's files, read and checked; the first definition of a key is its reference.
    let mut reference = Keyed::new();
    let mut read: HashMap<String, Vec<Layer>> = HashMap::new();
    // English first, then the default language, then the others: a key's reference is the
    // text the theme first wrote for it.
    let mut order = vec![BASE.to_string()];
    order.extend(wanted.iter().filter(|k| k.as_str() != BASE).cloned());
    for key in &order {
        let mut layers = Vec::new();
        for source in files.remove(key).unwrap_or_default() {
            let strings = parse_file(&source.text, &reference, diagnostics);
            for (name, found) in &strings {
                reference
                    .entry(name.clone())
                    .or_insert_with(|| found.clone());
            }
            layers.push(Layer {
                strings,
                origin: source.origin,
            });
        }
        read.insert(key.clone(), layers);
    }
    let merged = |key: &str, keep: &dyn Fn(Origin) -> bool| -> Keyed {
        let mut out = Keyed::new();
        for layer in read.get(key).map(Vec::as_slice).unwrap_or_default() {
            if keep(layer.origin) {
                out.extend(layer.strings.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        out
    };
    let all = |_: Origin| true;
    // The keys a template may use: those the themes define in English or the default language.
    let mut known = merged(BASE, &|o| o != Origin::Site);
    known.extend(merged(&default, &|o| o != Origin::Site));
    check_keys(keys, &default, &read, &known, diagnostics);
    let built_in_js = js_strings(&merged(BASE, &|o| o == Origin::BuiltIn));
    let mut fallback = merged(BASE, &all);
    fallback.extend(merged(&default, &all));
    let mut languages = HashMap::new();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    default.hash(&mut hasher);
    for key in &wanted {
        let mut table = fallback.clone();
        table.extend(merged(key, &all));
        for (name, found) in &table {
            (key, name, &found.entry).hash(&mut hasher);
        }
        languages.insert(key.clone(), Strings::new(key, &table, &built_in_js));
    }
    Translations {
        default,
        languages: Arc::new(languages),
        fingerprint: hasher.finish(),
    }
}

/// Warns about each key that no theme has (`known` holds those the themes define), and each
/// one a language lacks: the default language (when it has strings at all) and every other
/// language but English, which the default theme is written in.
fn check_keys(
    keys: &[String],
    default: &str,
    read: &HashMap<String, Vec<Layer>>,
    known: &Keyed,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut languages: Vec<&String> = read.keys().collect();
    languages.sort();
    for layers in languages.iter().filter_map(|k| read.get(*k)) {
        for layer in layers {
            for (name, found) in &layer.strings {
                if !known.contains_key(name) {
                    diagnostics.push(unknown_key(name, found, known));
                }
            }
        }
    }
    for key in keys {
        let layers = read.get(key).map(Vec::as_slice).unwrap_or_default();
        if key == BASE || (key == default && layers.is_empty()) {
            continue;
        }
        // Where a string this language lacks falls back to.
        let fallback = if key == default { BASE } else { default };
        let file = format!("i18n/{key}.toml");
        if layers.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    file.clone(),
                    1,
                    1,
                    format!("there are no theme strings in `{key}`: its pages show the theme's text in `{fallback}`"),
                )
                .with_help(format!(
                    "add {file} with each string of themes/default/i18n/en.toml in `{key}`"
                )),
            );
            continue;
        }
        let mut have: BTreeSet<&str> = BTreeSet::new();
        for layer in layers {
            have.extend(layer.strings.keys().map(String::as_str));
        }
        for (name, found) in known {
            if !have.contains(name.as_str()) {
                // A string of a theme in the site goes in that theme's file for the language.
                let file = match found.file.rsplit_once('/') {
                    Some((dir, _))
                        if found.file.starts_with("themes/") && !found.file.ends_with(')') =>
                    {
                        format!("{dir}/{key}.toml")
                    }
                    _ => file.clone(),
                };
                diagnostics.push(missing_key(name, found, key, fallback, &file));
            }
        }
    }
}

/// A string `key` lacks, to add to `file` (its text in English is shown where it is).
fn missing_key(name: &str, found: &Found, key: &str, fallback: &str, file: &str) -> Diagnostic {
    let text = match &found.entry {
        Entry::Text(t) => format!("{name} = {}", toml_string(t)),
        Entry::List(_) => format!("{name} = [ … ]"),
    };
    Diagnostic::warning(
        file.to_string(),
        1,
        1,
        format!("the string `{name}` has no `{key}` text: `{key}` pages show the `{fallback}` one"),
    )
    .with_help(format!(
        "add `{text}` to {file}, in `{key}` (it is at {}:{})",
        found.file, found.line
    ))
}

/// A key that no template or script of the theme has.
fn unknown_key(name: &str, found: &Found, known: &Keyed) -> Diagnostic {
    let help = match did_you_mean(name, known.keys().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "remove it, or add it to the default language's strings first".to_string(),
    };
    Diagnostic::warning(
        found.file.clone(),
        found.line,
        found.column,
        format!("`{name}` is not a string of the theme: nothing shows it"),
    )
    .with_help(help)
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The strings of one file, flattened to dotted keys. A file that does not parse is an error
/// at its line and column and gives nothing; a value that is neither text nor (for a key whose
/// reference is a list) a list of texts is an error and is left out.
fn parse_file(source: &SourceText, reference: &Keyed, diagnostics: &mut Vec<Diagnostic>) -> Keyed {
    let mut layer = Keyed::new();
    let table = match toml::de::DeTable::parse(source.as_str()) {
        Ok(table) => table,
        Err(err) => {
            let span = err.span().unwrap_or(0..1);
            diagnostics.push(
                source
                    .error_at_span(
                        span,
                        format!("not a valid strings file: {}", err.message().trim()),
                    )
                    .with_help(
                        "write each string as `key = \"text\"`, under a `[section]` for dotted keys",
                    ),
            );
            return layer;
        }
    };
    flatten(
        source,
        "",
        table.get_ref(),
        reference,
        &mut layer,
        diagnostics,
    );
    layer
}

/// Adds each string of `table` (under `prefix`) to `layer`.
fn flatten(
    source: &SourceText,
    prefix: &str,
    table: &toml::de::DeTable<'_>,
    reference: &Keyed,
    layer: &mut Keyed,
    diagnostics: &mut Vec<Diagnostic>,
) {
    use toml::de::DeValue;
    for (key, value) in table.iter() {
        let name = format!("{prefix}{}", key.get_ref());
        let span = key.span();
        let entry = match value.get_ref() {
            DeValue::Table(inner) => {
                flatten(
                    source,
                    &format!("{name}."),
                    inner,
                    reference,
                    layer,
                    diagnostics,
                );
                continue;
            }
            DeValue::String(text) => Entry::Text(text.to_string()),
            DeValue::Array(items) => {
                let texts: Option<Vec<String>> = items
                    .iter()
                    .map(|i| i.get_ref().as_str().map(String::from))
                    .collect();
                match texts {
                    Some(texts) => Entry::List(texts),
                    None => {
                        diagnostics.push(
                            source
                                .error_at_span(
                                    value.span(),
                                    format!("`{name}` must list texts in quotes"),
                                )
                                .with_help("write each item as \"text\""),
                        );
                        continue;
                    }
                }
            }
            other => {
                let what = match other {
                    DeValue::Integer(_) | DeValue::Float(_) => "a number",
                    DeValue::Boolean(_) => "true or false",
                    _ => "a date",
                };
                diagnostics.push(
                    source
                        .error_at_span(
                            value.span(),
                            format!("`{name}` must be text in quotes, not {what}"),
                        )
                        .with_help(format!("write it as {name} = \"…\"")),
                );
                continue;
            }
        };
        if let Some(problem) = entry_problem(&name, &entry, reference.get(&name)) {
            diagnostics.push(problem.place(source, value.span()));
            continue;
        }
        let (line, column) = source.position(span.start);
        for extra in unknown_placeholders(&entry, reference.get(&name)) {
            diagnostics.push(
                source
                    .warning(
                        line,
                        column,
                        key.get_ref().chars().count(),
                        format!(
                            "`{{{extra}}}` in `{name}` is never filled in: it shows as written"
                        ),
                    )
                    .with_help(format!(
                        "use only the placeholders of the theme's text: {}",
                        placeholder_list(reference.get(&name))
                    )),
            );
        }
        layer.insert(
            name,
            Found {
                entry,
                file: source.rel_path.clone(),
                line,
                column,
            },
        );
    }
}

/// A value of the wrong shape, to report at the value.
struct EntryProblem {
    message: String,
    help: String,
}

impl EntryProblem {
    fn place(self, source: &SourceText, span: std::ops::Range<usize>) -> Diagnostic {
        source
            .error_at_span(span, self.message)
            .with_help(self.help)
    }
}

/// Whether `entry` has the shape of the theme's text for `name` (text for text, a list for a
/// list; twelve month names).
fn entry_problem(name: &str, entry: &Entry, reference: Option<&Found>) -> Option<EntryProblem> {
    match (entry, reference.map(|r| &r.entry)) {
        (Entry::List(items), _) if name == "months" && items.len() != MONTHS => {
            Some(EntryProblem {
                message: format!("`months` has {} names, not {MONTHS}", items.len()),
                help: "list the twelve month names, January first".into(),
            })
        }
        (Entry::List(_), Some(Entry::Text(_))) | (Entry::List(_), None) if name != "months" => {
            Some(EntryProblem {
                message: format!("`{name}` must be text in quotes, not a list"),
                help: format!("write it as {name} = \"…\""),
            })
        }
        (Entry::Text(_), Some(Entry::List(_))) => Some(EntryProblem {
            message: format!("`{name}` must be a list of texts"),
            help: format!("write it as {name} = [\"…\", \"…\"]"),
        }),
        _ => None,
    }
}

/// The `{names}` of a text, in order of first use.
fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_placeholder_name(&after[..close]) => {
                if !names.contains(&&after[..close]) {
                    names.push(&after[..close]);
                }
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

fn is_placeholder_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The placeholders of `entry` that the theme's text for the same key does not have.
fn unknown_placeholders(entry: &Entry, reference: Option<&Found>) -> Vec<String> {
    let (
        Entry::Text(text),
        Some(Found {
            entry: Entry::Text(theirs),
            ..
        }),
    ) = (entry, reference)
    else {
        return Vec::new();
    };
    let known = placeholders(theirs);
    placeholders(text)
        .into_iter()
        .filter(|p| !known.contains(p))
        .map(String::from)
        .collect()
}

fn placeholder_list(reference: Option<&Found>) -> String {
    let names: Vec<String> = match reference {
        Some(Found {
            entry: Entry::Text(t),
            ..
        }) => placeholders(t)
            .into_iter()
            .map(|p| format!("`{{{p}}}`"))
            .collect(),
        _ => Vec::new(),
    };
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The scripts' strings (`js.*`, without `js.`) of a table.
fn js_strings(table: &Keyed) -> BTreeMap<String, String> {
    table
        .iter()
        .filter_map(|(name, found)| {
            let short = name.strip_prefix("js.")?;
            match &found.entry {
                Entry::Text(t) => Some((short.to_string(), t.clone())),
                Entry::List(_) => None,
            }
        })
        .collect()
}

/// One string ready to show: as written, and as HTML (escaped, unless its key ends in `_html`).
#[derive(Debug)]
struct Text {
    raw: String,
    html: String,
    /// `html` as the template value `t(…)` gives when there is nothing to fill in, made once
    /// (cloning it shares its text): a playbook page asks for a hundred such strings.
    value: Value,
    /// It has `{…}` to fill in.
    fills: bool,
}

/// The strings of one language, every key filled in from its fallbacks. Cheap to clone.
#[derive(Clone)]
pub struct Strings {
    table: Arc<Table>,
}

struct Table {
    language: String,
    texts: foldhash::HashMap<String, Text>,
    lists: HashMap<String, Vec<String>>,
    /// The scripts' strings as JSON for the page, when they are not the English the scripts
    /// have built in.
    script_json: Option<String>,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings")
            .field("language", &self.table.language)
            .field("texts", &self.table.texts.len())
            .finish()
    }
}

impl Default for Strings {
    /// The default theme's English.
    fn default() -> Self {
        Translations::default().strings(BASE)
    }
}

impl Strings {
    fn new(language: &str, table: &Keyed, base_js: &BTreeMap<String, String>) -> Self {
        let mut texts = foldhash::HashMap::default();
        let mut lists = HashMap::new();
        for (name, found) in table {
            match &found.entry {
                Entry::Text(raw) => {
                    let html = if name.ends_with("_html") {
                        raw.clone()
                    } else {
                        escape_text(raw)
                    };
                    let fills = !placeholders(raw).is_empty();
                    texts.insert(
                        name.clone(),
                        Text {
                            raw: raw.clone(),
                            value: Value::safe_string(&html),
                            html,
                            fills,
                        },
                    );
                }
                Entry::List(items) => {
                    lists.insert(name.clone(), items.clone());
                }
            }
        }
        let js = js_strings(table);
        let script_json = (js != *base_js)
            .then(|| super::embed::json_for_script(&js).ok())
            .flatten();
        Strings {
            table: Arc::new(Table {
                language: language.to_string(),
                texts,
                lists,
                script_json,
            }),
        }
    }

    /// The language key these strings are in ("cy").
    pub fn language(&self) -> &str {
        &self.table.language
    }

    /// The text of `key` as written; the key itself when no language has it.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.table
            .texts
            .get(key)
            .map(|t| t.raw.as_str())
            .unwrap_or(key)
    }

    /// What `t(key=…)` gives a template for `key`, a text with nothing to fill in: its HTML,
    /// as a value whose clones share it (`none` when no language has the key).
    pub fn value(&self, key: &str) -> Value {
        self.table
            .texts
            .get(key)
            .map_or_else(Value::none, |t| t.value.clone())
    }

    /// The text of `key` with each `{name}` of `values` filled in (as plain text).
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.text(key), |name| {
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_string())
        })
    }

    /// `<key>_one` (for 1) or `<key>_other` filled in with `{count}` and `values`.
    pub fn count(&self, key: &str, count: i64, values: &[(&str, &str)]) -> String {
        let form = format!("{key}_{}", if count == 1 { "one" } else { "other" });
        let count = count.to_string();
        let mut all = vec![("count", count.as_str())];
        all.extend_from_slice(values);
        self.fill(&form, &all)
    }

    /// The name of the fixed value `id` of a group of the format (`phase`, `go-live`): its text
    /// in this language, else `english`.
    pub fn label<'a>(&'a self, group: &str, id: &str, english: &'a str) -> &'a str {
        // Asked for every checklist item's phase, mechanism and factor: the key is put
        // together on the stack when it fits, rather than in a new string each time.
        let mut buffer = [0u8; 64];
        let length = group.len() + 1 + id.len();
        let key = match buffer.get_mut(..length) {
            Some(key) => {
                key[..group.len()].copy_from_slice(group.as_bytes());
                key[group.len()] = b'.';
                key[group.len() + 1..].copy_from_slice(id.as_bytes());
                std::str::from_utf8(key)
                    .ok()
                    .map(std::borrow::Cow::Borrowed)
            }
            None => Some(std::borrow::Cow::Owned(format!("{group}.{id}"))),
        };
        key.and_then(|key| self.table.texts.get(key.as_ref()))
            .map(|t| t.raw.as_str())
            .unwrap_or(english)
    }

    /// A date as people read it: "3 November 2026", "3 Tachwedd 2026".
    pub fn date(&self, date: IsoDate) -> String {
        let month = usize::from(u8::from(date.0.month())) - 1;
        let name = self
            .table
            .lists
            .get("months")
            .and_then(|m| m.get(month))
            .cloned()
            .unwrap_or_else(|| date.0.month().to_string());
        self.fill(
            "date",
            &[
                ("day", &date.0.day().to_string()),
                ("month", &name),
                ("year", &date.0.year().to_string()),
            ],
        )
    }

    /// Items in words: "1", "1 and 2", "1, 2 and 4" ("1, 2 a 4", "Atgyfeirio ac Asesu").
    pub fn list(&self, mut items: Vec<String>) -> String {
        let Some(last) = items.pop() else {
            return String::new();
        };
        if items.is_empty() {
            return last;
        }
        let rest = items.join(self.text("list.separator"));
        let key = if starts_with_vowel_sound(&last) {
            "list.and_vowel"
        } else {
            "list.and"
        };
        self.fill(key, &[("rest", &rest), ("last", &last)])
    }

    /// The scripts' strings as JSON safe inside a `<script>` block, or `None` when they are
    /// the English the scripts have built in (a page then needs no block).
    pub fn script_json(&self) -> Option<&str> {
        self.table.script_json.as_deref()
    }

    /// What `t(…)` gives a template: the key's text as HTML, filled in from `kwargs`.
    fn html(&self, kwargs: &Kwargs) -> TeraResult<Value> {
        let key: &str = kwargs.must_get("key")?;
        let text = match self.table.texts.get(key) {
            Some(text) => text,
            None => {
                let count = kwargs.get::<Value>("count")?.and_then(|c| c.as_i128());
                let form = count.map(|n| format!("{key}_{}", if n == 1 { "one" } else { "other" }));
                match form.as_ref().and_then(|f| self.table.texts.get(f)) {
                    Some(text) => text,
                    None => {
                        return Err(tera::Error::message(format!(
                            "there is no string `{key}`{}: add it to the theme's i18n/{}.toml",
                            if count.is_some() {
                                " (nor `_one`/`_other` forms)"
                            } else {
                                ""
                            },
                            BASE
                        )))
                    }
                }
            }
        };
        if !text.fills {
            return Ok(text.value.clone());
        }
        let filled = fill(&text.html, |name| {
            let (_, value) = kwargs.iter().find(|(k, _)| k.as_str() == Some(name))?;
            Some(if value.is_safe() {
                value.to_string()
            } else {
                escape_value(&value.to_string())
            })
        });
        Ok(Value::safe_string(&filled))
    }
}

/// Registers the templates' `t(key=…, …)` for `strings` (see the module docs).
pub(crate) fn register_t_function(tera: &mut Tera, strings: Strings) {
    tera.register_function("t", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        strings.html(&kwargs)
    });
}

/// `text` with each `{name}` that `value` knows replaced, in one pass (a value's own braces
/// stay as they are); others are left as written.
fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        match close
            .map(|c| &after[..c])
            .filter(|n| is_placeholder_name(n))
        {
            Some(name) => {
                match value(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A string's own text as HTML: `&`, `<`, `>` and `"` escaped (it stays text inside an
/// element and inside a double-quoted attribute; an apostrophe stays one).
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A template's value escaped exactly as `{{ value }}` would write it.
fn escape_value(text: &str) -> String {
    let mut buf = Vec::with_capacity(text.len() + 8);
    if tera::escape_html(text, &mut buf).is_err() {
        return escape_text(text).replace('\'', "&#39;");
    }
    String::from_utf8(buf).unwrap_or_else(|_| escape_text(text))
}

/// Whether a list's last item starts with a vowel sound, for Welsh "ac" rather than "a": a
/// vowel (w and y included, with any accent), or a number said with one (1 un, 8 wyth, 11 un
/// ar ddeg, 80 to 89 wyth deg…).
fn starts_with_vowel_sound(item: &str) -> bool {
    let word = item.trim_start();
    if let Ok(n) = word
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or_default()
        .parse::<u64>()
    {
        return matches!(n, 1 | 8 | 11) || (80..90).contains(&n) || (800..900).contains(&n);
    }
    word.chars()
        .next()
        .map(|c| c.to_lowercase().collect::<String>())
        .is_some_and(|c| {
            "aeiouwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ"
                .chars()
                .any(|v| c.starts_with(v))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> IsoDate {
        IsoDate::parse(text).unwrap()
    }

    fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        root
    }

    fn languages(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn language_keys_are_primary_subtags() {
        assert_eq!(language_key("en-GB"), "en");
        assert_eq!(language_key("cy"), "cy");
        assert_eq!(language_key("CY-gb"), "cy");
        assert_eq!(language_key("ga_IE"), "ga");
    }

    #[test]
    fn the_built_in_english_and_welsh_have_the_same_keys_and_placeholders() {
        let parse = |key: &str| {
            let source = built_in_source(key).unwrap();
            let mut problems = Vec::new();
            let layer = parse_file(&source.text, &Keyed::new(), &mut problems);
            assert!(problems.is_empty(), "{key}: {problems:?}");
            layer
        };
        let (en, cy) = (parse("en"), parse("cy"));
        let en_keys: Vec<&String> = en.keys().collect();
        let cy_keys: Vec<&String> = cy.keys().collect();
        assert_eq!(en_keys, cy_keys);
        for (name, found) in &cy {
            assert!(
                unknown_placeholders(&found.entry, en.get(name)).is_empty(),
                "{name}"
            );
        }
    }

    #[test]
    fn every_key_the_default_templates_use_has_an_english_text() {
        let en = Strings::default();
        let has = |key: &str| en.table.texts.contains_key(key);
        let mut used = 0;
        for (name, text) in super::super::theme::DEFAULT_TEMPLATES {
            for (at, _) in text.match_indices("t(key=\"") {
                let rest = &text[at + 7..];
                let key = &rest[..rest.find('"').unwrap()];
                let counted = has(&format!("{key}_one")) && has(&format!("{key}_other"));
                assert!(has(key) || counted, "{name}: no string `{key}`");
                used += 1;
            }
        }
        assert!(used > 150, "{used}");
    }

    #[test]
    fn the_scripts_have_the_english_messages_built_in() {
        let scripts: String = super::super::theme::DEFAULT_STATIC
            .iter()
            .filter(|(path, _)| path.ends_with(".js"))
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .collect();
        let en = Translations::default();
        let base = &en.strings(BASE).table;
        let mut found = 0;
        for (name, text) in &base.texts {
            let Some(key) = name.strip_prefix("js.") else {
                continue;
            };
            let written = format!("{key}: '{}',", text.raw.replace('\'', "\\'"));
            assert!(
                scripts.contains(&written),
                "no `{written}` in the theme's scripts"
            );
            found += 1;
        }
        assert!(found > 30, "{found}");
    }

    #[test]
    fn a_site_that_names_only_english_gets_no_warnings() {
        let root = site_with(&[]);
        for code in ["en-GB", "en", "fr"] {
            let (translations, problems) = load(root.path(), "default", &languages(&[code]));
            assert!(problems.is_empty(), "{code}: {problems:?}");
            let s = translations.strings(code);
            assert_eq!(s.text("nav.search"), "Search");
            assert_eq!(s.script_json(), None);
        }
    }

    #[test]
    fn welsh_strings_and_dates() {
        let root = site_with(&[]);
        let (translations, problems) = load(root.path(), "default", &languages(&["en-GB", "cy"]));
        assert!(problems.is_empty(), "{problems:?}");
        let cy = translations.strings("cy");
        assert_eq!(cy.language(), "cy");
        assert_eq!(cy.text("nav.home"), "Hafan");
        assert_eq!(cy.text("not_found.title"), "Tudalen heb ei chanfod");
        assert_eq!(
            format!(
                "{} {}",
                cy.text("common.page_last_reviewed"),
                cy.date(date("2026-11-03"))
            ),
            "Adolygwyd y dudalen ddiwethaf: 3 Tachwedd 2026"
        );
        let months: Vec<String> = (1..=12)
            .map(|m| cy.date(date(&format!("2026-{m:02}-01"))))
            .collect();
        assert_eq!(
            months.join(", "),
            "1 Ionawr 2026, 1 Chwefror 2026, 1 Mawrth 2026, 1 Ebrill 2026, 1 Mai 2026, \
             1 Mehefin 2026, 1 Gorffennaf 2026, 1 Awst 2026, 1 Medi 2026, 1 Hydref 2026, \
             1 Tachwedd 2026, 1 Rhagfyr 2026"
        );
        let en = translations.strings("en-GB");
        assert_eq!(en.date(date("2026-08-06")), "6 August 2026");
        assert_eq!(en.date(date("2026-08-06")), date("2026-08-06").human());
        // The Welsh page hands its scripts their words; the English one needs none.
        assert!(cy
            .script_json()
            .unwrap()
            .contains("\"reset\":\"Ailosod y rhestr wirio hon\""));
        assert_eq!(en.script_json(), None);
        assert_eq!(cy.label("phase", "go-live", "Go-live"), "Mynd yn fyw");
        assert_eq!(en.label("phase", "go-live", "?"), "Go-live");
        assert_eq!(cy.label("phase", "nonsense", "Nonsense"), "Nonsense");
        // A key longer than the stack buffer is still looked up.
        let long = "x".repeat(80);
        assert_eq!(cy.label("phase", &long, "Long"), "Long");
        assert_eq!(cy.label(&long, "go-live", "Long"), "Long");
    }

    #[test]
    fn placeholders_counts_and_lists() {
        let s = Strings::default();
        assert_eq!(
            s.fill("home.due_intro", &[("days", "30")]),
            "Pages whose next review is due within 30 days."
        );
        // A value's own braces are not filled again; an unknown placeholder stays as written.
        assert_eq!(
            fill("{a} and {b} {c", |n| (n == "a").then(|| "{b}".into())),
            "{b} and {b} {c"
        );
        assert_eq!(s.count("count.items", 1, &[]), "1 item");
        assert_eq!(s.count("count.items", 3, &[]), "3 items");
        let list =
            |s: &Strings, items: &[&str]| s.list(items.iter().map(|i| i.to_string()).collect());
        assert_eq!(list(&s, &[]), "");
        assert_eq!(list(&s, &["1"]), "1");
        assert_eq!(list(&s, &["1", "2", "4"]), "1, 2 and 4");
        let (translations, _) = load(site_with(&[]).path(), "default", &languages(&["en", "cy"]));
        let cy = translations.strings("cy");
        assert_eq!(list(&cy, &["1", "2", "4"]), "1, 2 a 4");
        assert_eq!(list(&cy, &["2", "8"]), "2 ac 8");
        assert_eq!(list(&cy, &["Atgyfeirio", "Asesu"]), "Atgyfeirio ac Asesu");
        assert_eq!(list(&cy, &["Atgyfeirio", "Ŵyr"]), "Atgyfeirio ac Ŵyr");
        assert_eq!(cy.count("count.items", 3, &[]), "3 eitem");
        assert_eq!(
            cy.fill("when.in_days", &[("count", "4")]),
            "ymhen 4 diwrnod"
        );
    }

    #[test]
    fn the_template_function_escapes_text_but_not_html_keys_nor_safe_values() {
        let s = Strings::default();
        let call = |pairs: Vec<(&'static str, Value)>| {
            let map: tera::Map = pairs
                .into_iter()
                .map(|(k, v)| (tera::value::Key::Str(k), v))
                .collect();
            s.html(&Kwargs::new(Arc::new(map))).map(|v| v.to_string())
        };
        assert_eq!(call(vec![("key", "nav.search".into())]).unwrap(), "Search");
        // The string's apostrophe stays; the value's markup is escaped as {{ value }} would.
        assert_eq!(
            call(vec![
                ("key", "footer.about".into()),
                ("site", "Trust's <b>".into())
            ])
            .unwrap(),
            "Trust&#39;s &lt;b&gt;. Checklist progress is kept only in this browser."
        );
        assert_eq!(
            call(vec![
                ("key", "changes.renamed_item_html".into()),
                ("old", "a<b".into()),
                ("new", Value::safe_string("<i>c</i>"))
            ])
            .unwrap(),
            "<code>a&lt;b</code> is now <code><i>c</i></code>"
        );
        assert_eq!(
            call(vec![("key", "count.items".into()), ("count", 1.into())]).unwrap(),
            "1 item"
        );
        let missing = call(vec![("key", "nav.serch".into())])
            .unwrap_err()
            .to_string();
        assert!(missing.contains("no string `nav.serch`"), "{missing}");
    }

    #[test]
    fn site_strings_override_the_theme_and_fall_back_with_warnings() {
        let root = site_with(&[
            (
                "themes/trust/i18n/en.toml",
                "[custom]\nhello = \"Hello {name}\"\nbye = \"Bye\"\n",
            ),
            ("i18n/en.toml", "[nav]\nsearch = \"Find\"\n"),
            (
                "i18n/cy.toml",
                "[nav]\nsearch = \"Canfod\"\nserch = \"x\"\n[custom]\nhello = \"Helo {enw}\"\n",
            ),
        ]);
        let (translations, problems) = load(root.path(), "trust", &languages(&["en-GB", "cy"]));
        let en = translations.strings("en-GB");
        let cy = translations.strings("cy");
        assert_eq!(en.text("nav.search"), "Find");
        assert_eq!(cy.text("nav.search"), "Canfod");
        // Missing in Welsh: the English text.
        assert_eq!(cy.text("custom.bye"), "Bye");
        let summary: Vec<(String, usize, String)> = problems
            .iter()
            .map(|d| (d.file.clone(), d.line, d.message.clone()))
            .collect();
        assert!(problems.iter().all(|d| !d.is_error()), "{summary:?}");
        // The theme's own string belongs in the theme's Welsh file.
        assert!(
            summary.contains(&(
                "themes/trust/i18n/cy.toml".into(),
                1,
                "the string `custom.bye` has no `cy` text: `cy` pages show the `en` one".into()
            )),
            "{summary:?}"
        );
        let help = problems
            .iter()
            .find(|d| d.message.contains("custom.bye"))
            .and_then(|d| d.help.clone())
            .unwrap();
        assert_eq!(help, "add `custom.bye = \"Bye\"` to themes/trust/i18n/cy.toml, in `cy` (it is at themes/trust/i18n/en.toml:3)");
        assert!(
            summary.contains(&(
                "i18n/cy.toml".into(),
                3,
                "`nav.serch` is not a string of the theme: nothing shows it".into()
            )),
            "{summary:?}"
        );
        assert!(
            summary
                .iter()
                .any(|(f, l, m)| f == "i18n/cy.toml" && *l == 5 && m.contains("`{enw}`")),
            "{summary:?}"
        );
        assert_eq!(problems.len(), 3, "{summary:?}");
        // A site's own file only rewords the theme: a key of its own is a mistake.
        let root = site_with(&[("i18n/en.toml", "[nav]\nserch = \"Find\"\n")]);
        let (_, problems) = load(root.path(), "default", &languages(&["en-GB"]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (2, 1));
        assert_eq!(
            problems[0].help.as_deref(),
            Some("did you mean `nav.search`?")
        );
    }

    #[test]
    fn a_site_rewording_a_script_message_hands_it_to_the_scripts() {
        let root = site_with(&[("i18n/en.toml", "[js]\nreset = \"Start this list again\"\n")]);
        let (translations, problems) = load(root.path(), "default", &languages(&["en-GB"]));
        assert!(problems.is_empty(), "{problems:?}");
        let json = translations
            .strings("en")
            .script_json()
            .unwrap()
            .to_string();
        assert!(
            json.contains("\"reset\":\"Start this list again\""),
            "{json}"
        );
    }

    #[test]
    fn a_bad_file_is_an_error_at_its_line_and_column_and_the_rest_still_works() {
        let root = site_with(&[
            ("i18n/en.toml", "[nav]\nsearch = \"Find\nhome = 3\n"),
            ("i18n/cy.toml", "months = [\"Ionawr\"]\n[nav]\nhome = 3\n"),
        ]);
        let (translations, problems) = load(root.path(), "default", &languages(&["en", "cy"]));
        let errors: Vec<(String, usize, usize)> = problems
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.file.clone(), d.line, d.column))
            .collect();
        assert_eq!(
            errors,
            [
                ("i18n/en.toml".into(), 2, 15),
                ("i18n/cy.toml".into(), 1, 10),
                ("i18n/cy.toml".into(), 3, 8)
            ],
            "{problems:?}"
        );
        assert_eq!(translations.strings("en").text("nav.search"), "Search");
        assert_eq!(
            translations.strings("cy").date(date("2026-11-03")),
            "3 Tachwedd 2026"
        );
    }

    #[test]
    fn a_language_without_strings_is_one_warning_and_a_theme_may_add_its_own() {
        let root = site_with(&[
            (
                "themes/trust/i18n/en.toml",
                "[trust]\nmotto = \"Care first\"\n",
            ),
            (
                "themes/trust/i18n/cy.toml",
                "[trust]\nmotto = \"Gofal yn gyntaf\"\n",
            ),
        ]);
        let (translations, problems) =
            load(root.path(), "trust", &languages(&["en-GB", "cy", "ga"]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].file, "i18n/ga.toml");
        assert!(problems[0].message.contains("no theme strings in `ga`"));
        assert_eq!(
            translations.strings("cy").text("trust.motto"),
            "Gofal yn gyntaf"
        );
        assert_eq!(translations.strings("ga").text("trust.motto"), "Care first");
        assert_eq!(translations.strings("fr").text("nav.home"), "Home");
    }
}
