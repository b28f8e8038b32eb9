//! The Markdown stage: a page body through pulldown-cmark, with heading anchors by the spec's
//! rule, task lists turned into checklists, GitHub alerts turned into callouts, links and images
//! resolved to URLs (and recorded for checking), and raw HTML handled per `build.raw_html`.
//!
//! Everything works on one flat list of events, so no input nesting can overflow the stack.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::config::{with_base_path, RawHtml};
use crate::diagnostics::Diagnostic;
use crate::source::SourceText;

/// The Markdown extensions of the format: tables, footnotes, strikethrough, task lists, heading
/// ids and GitHub alerts.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// GitHub's anchor rule: lowercase; keep letters, digits, spaces, `-` and `_`; drop the rest;
/// spaces become `-`.
pub fn slugify(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        // The common case, without Unicode tables.
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                out.push(b.to_ascii_lowercase() as char);
            } else if b == b' ' {
                out.push('-');
            }
        }
        return out;
    }
    for c in text.chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Ids already used on a page, remembering for each base the next suffix to try, so that
/// thousands of headings with the same text take linear time, not quadratic.
#[derive(Debug, Default)]
pub struct IdSet {
    used: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl IdSet {
    /// Records `id`; false if it was already used.
    pub fn insert(&mut self, id: String) -> bool {
        self.used.insert(id)
    }

    /// Forgets every id.
    pub fn clear(&mut self) {
        self.used.clear();
        self.next_suffix.clear();
    }
}

impl FromIterator<String> for IdSet {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        Self {
            used: iter.into_iter().collect(),
            next_suffix: HashMap::new(),
        }
    }
}

/// Makes `base` unique among `used` by adding `-1`, `-2`…, and records it.
pub fn unique_id(base: &str, used: &mut IdSet) -> String {
    if used.insert(base.to_string()) {
        return base.to_string();
    }
    // Ids are never removed, so a suffix found taken once stays taken: start after it.
    let mut n = used.next_suffix.get(base).copied().unwrap_or(1);
    loop {
        let candidate = format!("{base}-{n}");
        n += 1;
        if used.insert(candidate.clone()) {
            used.next_suffix.insert(base.to_string(), n);
            return candidate;
        }
    }
}

/// A heading of the body, for the table of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// The anchor.
    pub id: String,
}

/// A task list of the body, which is a checklist with no phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyChecklist {
    /// The nearest heading's anchor, or `checklist`, made unique on the page.
    pub id: String,
    /// The nearest heading's text, or "Checklist".
    pub title: String,
    /// The anchor of that heading, to link to the checklist (`None` when there is no heading).
    pub heading_id: Option<String>,
    /// Its items in order.
    pub items: Vec<BodyChecklistItem>,
}

/// An item of a body task list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyChecklistItem {
    /// From the text by the anchor rule, unique within the checklist.
    pub id: String,
    /// Plain text.
    pub text: String,
    /// Written `- [x]`.
    pub checked: bool,
}

/// What a link destination turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Left as written (external URL, mailto:, or a path the resolver does not know to check).
    Keep,
    /// Rewritten to `url`; `page` is set when the target is a page whose anchors can be checked.
    Url {
        /// The URL to write.
        url: String,
        /// The target page's URL and the fragment to check on it.
        anchor_check: Option<(String, String)>,
    },
    /// Points at nothing: the message says what is missing.
    Broken(String),
}

/// A fragment to look for on a page once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorCheck {
    /// URL of the page that must have the anchor.
    pub page_url: String,
    /// The anchor, without `#`.
    pub fragment: String,
    /// Where the link is written.
    pub line: usize,
    /// Column of the link.
    pub column: usize,
    /// The link as written, for the message.
    pub written: String,
    /// The text of its line, for the diagnostic if the anchor is missing (`build` lets the page's
    /// text go once its body is rendered, before every page's anchors are known).
    pub line_text: String,
}

/// The body rendered to HTML and what was learnt on the way.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Task lists as checklists.
    pub checklists: Vec<BodyChecklist>,
    /// Anchors to check once every page is known.
    pub anchor_checks: Vec<AnchorCheck>,
    /// Every id the body defines (headings, footnotes).
    pub ids: Vec<String>,
    /// Broken links, denied HTML and other problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// What to render and how.
pub struct MarkdownInput<'a> {
    /// The file (for positions).
    pub text: &'a SourceText,
    /// Byte range of the body in the file.
    pub body: Range<usize>,
    /// A range to leave out (a guide's title heading).
    pub skip: Option<Range<usize>>,
    /// The raw HTML policy.
    pub raw_html: RawHtml,
    /// This page's URL (for same-page anchors).
    pub page_url: &'a str,
    /// Anchors the template adds to every page of this kind, reserved from headings.
    pub reserved_ids: &'a [&'a str],
    /// Ids of the page's front matter checklists: a task list's id must differ from them (saved
    /// progress is keyed on it), and their anchors (`checklist-<id>`) are reserved from headings.
    pub checklist_ids: &'a [&'a str],
    /// For a translation: its original's body checklists' item ids, by position. Its items
    /// take them, so a reader's ticks are the same in both languages (ids made from the
    /// translated text would differ).
    pub item_ids: &'a [Vec<String>],
}

/// Renders a page body. `resolve` turns a link destination into a URL.
///
/// Two passes over pulldown-cmark's events: the first names every heading (checklists take
/// their ids from them), the second rewrites the rest (task lists into checklists, alerts,
/// links, raw HTML by the site's policy) into the events that become HTML.
pub fn render(input: &MarkdownInput, resolve: &dyn Fn(&str) -> Resolution) -> Rendered {
    let body = input.text.get(input.body.clone()).unwrap_or("");
    let offset = input.body.start;
    let mut out = Rendered::default();
    // Room for the events from the start (a filtered iterator cannot say how many it has):
    // Markdown makes about one event per 28 bytes, and growing the list cost 2% of a
    // 1,000-guide build.
    let mut events: Vec<(Event, Range<usize>)> = Vec::with_capacity(body.len() / 12 + 16);
    events.extend(
        Parser::new_ext(body, options())
            .into_offset_iter()
            .filter(|(_, r)| match &input.skip {
                Some(skip) => !(r.start + offset >= skip.start && r.end + offset <= skip.end),
                None => true,
            }),
    );
    let heading_at = name_headings(&mut events, input, &mut out);
    let mut pass = BodyPass {
        input,
        resolve,
        result: Vec::with_capacity(events.len() + 16),
        list_depth: 0,
        checklist_ids: input.checklist_ids.iter().map(|s| s.to_string()).collect(),
        current_heading: None,
        open_checklist: None,
        item_ids: IdSet::default(),
        pending_label_close: Vec::new(),
        has_raw_html: false,
        raw_html_is_plain: true,
        plain_open: Vec::new(),
    };
    for (index, heading) in heading_at.iter().enumerate() {
        if let Some(h) = heading {
            pass.current_heading = Some(*h);
        }
        pass.event(&mut events, index, &mut out);
    }
    let BodyPass {
        result,
        has_raw_html,
        raw_html_is_plain,
        plain_open,
        ..
    } = pass;
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, result.into_iter());
    // Raw HTML made only of harmless tags needs no sanitizer (see `is_plain_html`).
    let needs_sanitizer = has_raw_html && !(raw_html_is_plain && plain_open.is_empty());
    out.html = if needs_sanitizer {
        sanitize(&html)
    } else {
        html
    };
    // Every page's body stays in memory until the site is written: keep only what it uses.
    out.html.shrink_to_fit();
    out
}

/// The file line and column of a range of the body.
fn position_of(input: &MarkdownInput, range: &Range<usize>) -> (usize, usize) {
    input.text.position(range.start + input.body.start)
}

/// The first pass: gives every heading its id (written `{#id}`, else from its text, unique on
/// the page and apart from the template's and the checklists' anchors), records it in
/// `out.headings` and `out.ids`, and shows a body `#` heading as `##`. Returns, for each event,
/// the index of the heading it starts, if any.
fn name_headings(
    events: &mut [(Event, Range<usize>)],
    input: &MarkdownInput,
    out: &mut Rendered,
) -> Vec<Option<usize>> {
    let mut used_ids: IdSet = input.reserved_ids.iter().map(|s| s.to_string()).collect();
    for id in input.checklist_ids {
        used_ids.insert(format!("checklist-{id}"));
        used_ids.insert(format!("checklist-{id}-title"));
    }
    let mut heading_at: Vec<Option<usize>> = vec![None; events.len()];
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = *level;
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let (line, column) = position_of(input, &events[i].1);
            let anchor = heading_anchor(explicit, &text, &mut used_ids, input, (line, column), out);
            if let Event::Start(Tag::Heading { id, attrs, .. }) = &mut events[i].0 {
                *id = Some(CowStr::from(anchor.clone()));
                strip_heading_attributes(attrs, input, (line, column), out);
            }
            heading_at[i] = Some(out.headings.len());
            out.headings.push(Heading {
                level: heading_number(level),
                text: text.trim().to_string(),
                id: anchor.clone(),
            });
            out.ids.push(anchor);
            if level == HeadingLevel::H1 {
                demote_h1(events, i, j, input, (line, column), out);
            }
            i = j;
        }
        i += 1;
    }
    heading_at
}

/// A heading's id: the one written after it (`{#id}`; used twice on a page is an error), else
/// one made from its text.
fn heading_anchor(
    explicit: Option<String>,
    text: &str,
    used_ids: &mut IdSet,
    input: &MarkdownInput,
    (line, column): (usize, usize),
    out: &mut Rendered,
) -> String {
    match explicit {
        Some(explicit) => {
            if !used_ids.insert(explicit.clone()) {
                out.diagnostics.push(
                    input
                        .text
                        .error(
                            line,
                            column,
                            1,
                            format!("the heading id `{explicit}` is used twice on this page"),
                        )
                        .with_help("give each `{#id}` a different name"),
                );
            }
            explicit
        }
        None => {
            let base = slugify(text);
            unique_id(if base.is_empty() { "section" } else { &base }, used_ids)
        }
    }
}

/// `{key=value}` after a heading writes any attribute, `onclick` included; only `{#id}` and
/// `{.class}` belong to the format unless raw HTML is allowed: the others are removed, with an
/// error (`raw_html = "deny"`) or a warning.
fn strip_heading_attributes(
    attrs: &mut Vec<(CowStr, Option<CowStr>)>,
    input: &MarkdownInput,
    (line, column): (usize, usize),
    out: &mut Rendered,
) {
    if input.raw_html == RawHtml::Allow || attrs.is_empty() {
        return;
    }
    let names: Vec<String> = attrs.iter().map(|(k, _)| k.to_string()).collect();
    attrs.clear();
    let message = format!(
        "heading attributes are not allowed (`{}`); they were removed",
        names.join("`, `")
    );
    let help = "only `{#id}` and `{.class}` may follow a heading";
    out.diagnostics.push(
        match input.raw_html {
            RawHtml::Deny => input.text.error(line, column, 1, message),
            _ => input.text.warning(line, column, 1, message),
        }
        .with_help(help),
    );
}

/// A `#` heading in the body (from event `start` to its end at `end`) would be a second
/// `<h1>`: it is shown as `##`, with a warning.
fn demote_h1(
    events: &mut [(Event, Range<usize>)],
    start: usize,
    end: usize,
    input: &MarkdownInput,
    (line, column): (usize, usize),
    out: &mut Rendered,
) {
    out.diagnostics.push(
        input
            .text
            .warning(
                line,
                column,
                1,
                "a `#` heading in the body makes a second <h1>; it is shown as `##`",
            )
            .with_help("the title is the page's only level-1 heading: use `##` for sections"),
    );
    if let Event::Start(Tag::Heading { level, .. }) = &mut events[start].0 {
        *level = HeadingLevel::H2;
    }
    let end = end.min(events.len() - 1);
    if let Event::End(TagEnd::Heading(level)) = &mut events[end].0 {
        *level = HeadingLevel::H2;
    }
}

/// The second pass's state: the events written so far and what is open.
struct BodyPass<'i, 'e> {
    input: &'i MarkdownInput<'i>,
    resolve: &'i dyn Fn(&str) -> Resolution,
    /// The events that become HTML.
    result: Vec<Event<'e>>,
    list_depth: usize,
    /// Ids of the page's checklists (front matter and body), for unique body checklist ids.
    checklist_ids: IdSet,
    /// The heading the current event is under, as an index into `Rendered::headings`.
    current_heading: Option<usize>,
    /// The body checklist being written: its index in `Rendered::checklists` and list depth.
    open_checklist: Option<(usize, usize)>,
    /// Item ids of the open checklist.
    item_ids: IdSet,
    /// List depths awaiting `</label>`.
    pending_label_close: Vec<usize>,
    has_raw_html: bool,
    /// Whether all raw HTML so far is made of harmless tags (see `is_plain_html`)...
    raw_html_is_plain: bool,
    /// ...and which of them are still open.
    plain_open: Vec<&'static str>,
}

impl<'i, 'e> BodyPass<'i, 'e> {
    /// Rewrites event `index` (taking it out of `events`, whose later events it may read).
    fn event(
        &mut self,
        events: &mut [(Event<'e>, Range<usize>)],
        index: usize,
        out: &mut Rendered,
    ) {
        let (event, range) = std::mem::replace(&mut events[index], (Event::SoftBreak, 0..0));
        match event {
            Event::Start(Tag::List(start)) => {
                self.close_label();
                if self.open_checklist.is_none()
                    && self.list_depth == 0
                    && list_has_task(events, index)
                {
                    self.open_body_checklist(out);
                }
                self.list_depth += 1;
                self.result.push(Event::Start(Tag::List(start)));
            }
            Event::End(TagEnd::List(ordered)) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.result.push(Event::End(TagEnd::List(ordered)));
                if let Some((_, depth)) = self.open_checklist {
                    if depth == self.list_depth {
                        self.result.push(Event::Html("</section>\n".into()));
                        self.open_checklist = None;
                    }
                }
            }
            Event::TaskListMarker(checked) => {
                let text = item_text(events, index + 1);
                self.task(checked, &text, out);
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                self.close_label();
                self.result.push(event);
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert_label(kind);
                self.result.push(Event::Html(
                    format!("<div class=\"pb-callout pb-callout--{class}\" role=\"note\">\n<p class=\"pb-callout__label\"><strong>{label}</strong></p>\n")
                        .into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.result.push(Event::Html("</div>\n".into()))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.destination(&dest_url, &range, out);
                self.result.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.destination(&dest_url, &range, out);
                self.result.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html(html, &range, out),
            Event::Start(Tag::FootnoteDefinition(name)) => {
                out.ids.push(name.to_string());
                self.result
                    .push(Event::Start(Tag::FootnoteDefinition(name)));
            }
            other => self.result.push(other),
        }
    }

    /// Closes the label of a checklist item at this list depth, if one is open.
    fn close_label(&mut self) {
        if let Some(&depth) = self.pending_label_close.last() {
            if depth == self.list_depth {
                self.pending_label_close.pop();
                self.result.push(Event::Html("</label>".into()));
            }
        }
    }

    /// A top-level list with a task in it starts a body checklist, named after the heading it
    /// is under.
    fn open_body_checklist(&mut self, out: &mut Rendered) {
        let (title, base, heading_id) = match self.current_heading.map(|h| &out.headings[h]) {
            Some(h) => (h.text.clone(), h.id.clone(), Some(h.id.clone())),
            None => ("Checklist".to_string(), "checklist".to_string(), None),
        };
        let id = unique_id(&base, &mut self.checklist_ids);
        self.result.push(Event::Html(
            format!(
                "<section class=\"pb-checklist pb-checklist--body\" data-checklist=\"{}\" aria-label=\"{}\">\n",
                escape(&id),
                escape(&title)
            )
            .into(),
        ));
        out.checklists.push(BodyChecklist {
            id,
            title,
            heading_id,
            items: Vec::new(),
        });
        self.item_ids.clear();
        self.open_checklist = Some((out.checklists.len() - 1, self.list_depth));
    }

    /// A task (`- [ ]`): in a body checklist, a real checkbox with its label and an item id.
    fn task(&mut self, checked: bool, text: &str, out: &mut Rendered) {
        let Some((c, _)) = self.open_checklist else {
            self.result.push(Event::TaskListMarker(checked));
            return;
        };
        let original = self
            .input
            .item_ids
            .get(c)
            .and_then(|items| items.get(out.checklists[c].items.len()));
        let id = match original {
            Some(id) => unique_id(id, &mut self.item_ids),
            None => {
                let base = slugify(text);
                unique_id(
                    if base.is_empty() { "item" } else { &base },
                    &mut self.item_ids,
                )
            }
        };
        let checklist = &mut out.checklists[c];
        // A short DOM id ("t" for the text's checklists; the template's are numbered): only
        // `data-item` keys the saved tick.
        let dom_id = format!("cl.t{}.{}", c + 1, checklist.items.len() + 1);
        self.result.push(Event::Html(
            format!(
                "<input type=\"checkbox\" id=\"{}\" data-item=\"{}\"{}><label for=\"{}\">",
                escape(&dom_id),
                escape(&id),
                if checked { " checked" } else { "" },
                escape(&dom_id)
            )
            .into(),
        ));
        self.pending_label_close.push(self.list_depth);
        checklist.items.push(BodyChecklistItem {
            id,
            text: text.trim().to_string(),
            checked,
        });
    }

    /// A link's or image's destination, resolved (see `resolve_destination`).
    fn destination(
        &self,
        dest: &CowStr<'e>,
        range: &Range<usize>,
        out: &mut Rendered,
    ) -> CowStr<'e> {
        let input = self.input;
        resolve_destination(dest, range, input, self.resolve, out, &|r| {
            position_of(input, r)
        })
    }

    /// Raw HTML, by the site's `raw_html` policy: kept, kept for the sanitizer, or refused.
    fn raw_html(&mut self, html: CowStr<'e>, range: &Range<usize>, out: &mut Rendered) {
        match self.input.raw_html {
            RawHtml::Allow => self.result.push(Event::Html(html)),
            RawHtml::Sanitize => {
                if !self.raw_html_is_plain || !is_plain_html(&html, &mut self.plain_open) {
                    self.raw_html_is_plain = false;
                }
                self.has_raw_html = true;
                self.result.push(Event::Html(html));
            }
            RawHtml::Deny => {
                let (line, column) = position_of(self.input, range);
                let first = html.lines().next().unwrap_or("").trim();
                out.diagnostics.push(
                    self.input
                        .text
                        .error(line, column, first.chars().count().max(1), "raw HTML is not allowed on this site")
                        .with_help("write it in Markdown instead, or set `raw_html = \"sanitize\"` under [build] in site.toml"),
                );
            }
        }
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alert_label(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// True when the list whose start event was at `start` holds a task item at any depth.
fn list_has_task(events: &[(Event, Range<usize>)], start: usize) -> bool {
    let mut depth = 1usize;
    for (event, _) in &events[(start + 1).min(events.len())..] {
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            Event::TaskListMarker(_) => return true,
            _ => {}
        }
    }
    false
}

/// The plain text of a task item, up to its nested list or its end.
fn item_text(events: &[(Event, Range<usize>)], from: usize) -> String {
    let mut text = String::new();
    for (event, _) in &events[from.min(events.len())..] {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::Start(Tag::List(_))
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::Paragraph) => break,
            _ => {}
        }
    }
    text
}

fn resolve_destination<'e>(
    dest: &CowStr<'e>,
    range: &Range<usize>,
    input: &MarkdownInput,
    resolve: &dyn Fn(&str) -> Resolution,
    out: &mut Rendered,
    position: &dyn Fn(&Range<usize>) -> (usize, usize),
) -> CowStr<'e> {
    let written = dest.to_string();
    if is_dangerous_url(&written) && input.raw_html != RawHtml::Allow {
        let (line, column) = position(range);
        out.diagnostics.push(
            input
                .text
                .warning(
                    line,
                    column,
                    1,
                    format!(
                        "the link `{}` runs a script; it was removed",
                        truncate(&written, 40)
                    ),
                )
                .with_help("link to a page or a web address instead"),
        );
        return CowStr::from("#");
    }
    if let Some(fragment) = written.strip_prefix('#') {
        let (line, column) = position(range);
        out.anchor_checks.push(AnchorCheck {
            page_url: input.page_url.to_string(),
            fragment: fragment.to_string(),
            line,
            column,
            written: written.clone(),
            line_text: input.text.line_text(line).to_string(),
        });
        return dest.clone();
    }
    match resolve(&written) {
        Resolution::Keep => dest.clone(),
        Resolution::Url { url, anchor_check } => {
            if let Some((page_url, fragment)) = anchor_check {
                let (line, column) = position(range);
                out.anchor_checks.push(AnchorCheck {
                    page_url,
                    fragment,
                    line,
                    column,
                    written,
                    line_text: input.text.line_text(line).to_string(),
                });
            }
            CowStr::from(url)
        }
        Resolution::Broken(message) => {
            let (line, column) = position(range);
            // Underline the link itself (`[text](dest)`), up to the end of its first line.
            let start = range.start + input.body.start;
            let width = input
                .text
                .get(start..range.end + input.body.start)
                .and_then(|link| link.lines().next())
                .map(|first| first.chars().count())
                .unwrap_or(1)
                .max(1);
            out.diagnostics.push(
                input
                    .text
                    .error(line, column, width, message)
                    .with_help("fix the path (it is relative to this file), or remove the link"),
            );
            dest.clone()
        }
    }
}

/// True for `javascript:`, `vbscript:` and `data:` URLs, however they are spelt.
pub fn is_dangerous_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

/// Tags an author may write as raw HTML that the sanitizer would keep exactly as written when
/// they carry no attributes: formatting, `details` and `summary`. (`br`, `hr` and `wbr` are void.)
const PLAIN_TAGS: &[&str] = &[
    "details", "summary", "kbd", "sup", "sub", "b", "i", "em", "strong", "code", "mark", "small",
    "s", "u", "ins", "del", "q", "cite", "dfn", "samp", "var", "abbr", "span", "p", "div", "br",
    "hr", "wbr",
];
const VOID_TAGS: &[&str] = &["br", "hr", "wbr"];

/// True when a raw HTML fragment holds nothing but attribute-free tags from `PLAIN_TAGS` and
/// text without `<`, and its closing tags match the tags opened so far on the page (`open`
/// carries them across fragments). Such HTML is harmless as written, so the page can skip the
/// sanitizer, which parses the whole page again; anything else (an attribute, a comment, any
/// other tag, a stray `<`, an unbalanced tag) goes through ammonia as before.
pub fn is_plain_html(fragment: &str, open: &mut Vec<&'static str>) -> bool {
    let mut rest = fragment;
    while let Some(lt) = rest.find('<') {
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            return false;
        };
        let inner = &after[..gt];
        let (closing, name) = match inner.strip_prefix('/') {
            Some(name) => (true, name),
            None => (false, inner),
        };
        let Some(&tag) = PLAIN_TAGS.iter().find(|t| **t == name) else {
            return false;
        };
        if VOID_TAGS.contains(&tag) {
            if closing {
                return false;
            }
        } else if closing {
            if open.pop() != Some(tag) {
                return false;
            }
        } else {
            open.push(tag);
        }
        rest = &after[gt + 1..];
    }
    true
}

/// Cleans rendered HTML that holds raw HTML from an author: keeps formatting, `details`,
/// `kbd`, tables, images and links, and the markup this stage writes itself; drops scripts,
/// styles, event handlers, `javascript:` URLs, iframes, objects and forms.
pub fn sanitize(html: &str) -> String {
    use std::sync::OnceLock;
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let cleaner = CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags([
                "section", "input", "label", "details", "summary", "div", "p", "span", "kbd",
                "sup", "sub", "br",
            ])
            .add_generic_attributes(["id", "class", "role", "aria-label", "title", "lang"])
            .add_generic_attribute_prefixes(["data-"])
            .add_tag_attributes("input", ["type", "checked"])
            .add_tag_attributes("label", ["for"])
            .add_tag_attributes("details", ["open"])
            .add_tag_attributes("img", ["width", "height", "loading"])
            .add_tag_attributes("th", ["scope", "colspan", "rowspan", "style"])
            .add_tag_attributes("td", ["colspan", "rowspan", "style"])
            .link_rel(None)
            .url_relative(ammonia::UrlRelative::PassThrough);
        builder
    });
    cleaner.clean(html).to_string()
}

/// Whether `text` is a plain sentence that Markdown renders as itself: letters, digits, single
/// spaces and punctuation that neither marks anything up nor needs escaping, starting with a
/// letter (so it cannot open a list, heading or quote). Most checklist items are; each is
/// rendered for its playbook page and its owner's role view, and skipping the parser for them
/// took `render_inline` from 153M to 112M instructions in a 1,000-playbook build.
fn is_plain_inline(text: &str) -> bool {
    /// The bytes a plain sentence may hold, as a table: one load per byte instead of a chain
    /// of comparisons (each role view checks every item it shows).
    const PLAIN: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            table[b] = c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    b' ' | b','
                        | b'.'
                        | b';'
                        | b':'
                        | b'?'
                        | b'('
                        | b')'
                        | b'\''
                        | b'/'
                        | b'%'
                        | b'-'
                );
            b += 1;
        }
        table
    };
    let bytes = text.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.last() != Some(&b' ')
        && bytes.iter().all(|&b| PLAIN[usize::from(b)])
        && !text.contains("  ")
}

/// Renders a line of inline Markdown (a checklist item's text) with raw HTML shown as text.
/// Links and images to site paths (`/guides/x/`) get `base_path` in front.
pub fn render_inline(text: &str, base_path: &str) -> String {
    if is_plain_inline(text) {
        return text.to_string();
    }
    parse_inline(text, base_path)
}

/// `render_inline` through the parser.
fn parse_inline(text: &str, base_path: &str) -> String {
    // A script URL becomes `#`; a site path gets the base path.
    fn written<'a>(dest_url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
        if is_dangerous_url(&dest_url) {
            "#".into()
        } else if !base_path.is_empty() && dest_url.starts_with('/') {
            with_base_path(base_path, &dest_url).into()
        } else {
            dest_url
        }
    }
    let events = Parser::new_ext(text, options()).filter_map(|event| match event {
        Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => None,
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: written(dest_url, base_path),
            title,
            id,
        })),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Some(Event::Start(Tag::Image {
            link_type,
            dest_url: written(dest_url, base_path),
            title,
            id,
        })),
        // `{key=value}` would write any attribute (`onclick`); ids would clash with the page's.
        Event::Start(Tag::Heading { level, .. }) => Some(Event::Start(Tag::Heading {
            level,
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        })),
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_body(body: &str, raw_html: RawHtml) -> Rendered {
        let text = SourceText::new("content/p.md", format!("---\ntitle: T\n---\n{body}"));
        let start = text.line_start(4);
        let input = MarkdownInput {
            text: &text,
            body: start..text.len(),
            skip: None,
            raw_html,
            page_url: "/p/",
            reserved_ids: &["checklists"],
            checklist_ids: &["prepare"],
            item_ids: &[],
        };
        render(&input, &|dest: &str| {
            if dest.starts_with("missing") {
                Resolution::Broken(format!("`{dest}` does not exist"))
            } else if let Some(rest) = dest.strip_prefix("../g.md") {
                Resolution::Url {
                    url: format!("/g/{rest}"),
                    anchor_check: rest
                        .strip_prefix('#')
                        .map(|f| ("/g/".to_string(), f.to_string())),
                }
            } else {
                Resolution::Keep
            }
        })
    }

    #[test]
    fn plain_item_text_renders_as_the_parser_would_render_it() {
        let plain = [
            "Check the DPIA.",
            "Agree the go-live date (week 12) with the ward's team: 80% of staff trained?",
            "Book 2/3 sessions; see https://example.nhs.uk/a/b",
            "Measure each agreed device stock risks alerts workload.",
        ];
        for text in plain {
            assert!(is_plain_inline(text), "{text}");
            assert_eq!(render_inline(text, "/base"), parse_inline(text, "/base"));
        }
        for text in [
            "1. Numbered",
            "- Bulleted",
            "Sign **the** DPIA",
            "Use <b>bold</b>",
            "A & B",
            "Say \"yes\"",
            "Two  spaces",
            "Trailing ",
            " Leading",
            "[link](/x/)",
            "Line\nbreak",
            "Sjögren",
            "",
        ] {
            assert!(!is_plain_inline(text), "{text}");
        }
    }

    #[test]
    fn anchors_follow_the_github_rule_with_repeats_and_explicit_ids() {
        let r = render_body("## Hello, World!\n## Hello, World!\n## Café & co_op\n## Custom {#mine}\n## Checklists\n", RawHtml::Sanitize);
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "hello-world",
                "hello-world-1",
                "café--co_op",
                "mine",
                "checklists-1"
            ]
        );
        assert!(r.html.contains("<h2 id=\"hello-world-1\">"), "{}", r.html);
    }

    #[test]
    fn task_lists_become_checklists_named_by_their_heading() {
        let r = render_body(
            "## Before go-live\n- [ ] Sign the DPIA\n- [x] Train staff\n  - [ ] Nested one\n- plain\n\nThen:\n\n- [ ] Again\n",
            RawHtml::Sanitize,
        );
        assert_eq!(r.checklists.len(), 2);
        assert_eq!(r.checklists[0].id, "before-go-live");
        assert_eq!(r.checklists[1].id, "before-go-live-1");
        let items: Vec<_> = r.checklists[0]
            .items
            .iter()
            .map(|i| (i.id.as_str(), i.checked))
            .collect();
        assert_eq!(
            items,
            [
                ("sign-the-dpia", false),
                ("train-staff", true),
                ("nested-one", false)
            ]
        );
        assert!(r.html.contains("data-checklist=\"before-go-live\""));
        assert!(r.html.contains(
            "<input type=\"checkbox\" id=\"cl.t1.1\" data-item=\"sign-the-dpia\"><label for=\"cl.t1.1\">Sign the DPIA</label>"
        ), "{}", r.html);
        assert_eq!(
            r.html.matches("<label").count(),
            r.html.matches("</label>").count()
        );
    }

    #[test]
    fn task_lists_take_ids_the_front_matter_checklists_do_not_use() {
        let r = render_body(
            "## Prepare\n- [ ] One\n\n## Checklist prepare\n",
            RawHtml::Sanitize,
        );
        assert_eq!(
            r.checklists[0].id, "prepare-1",
            "`prepare` is a front matter checklist"
        );
        assert_eq!(r.headings[0].id, "prepare", "headings may still use the id");
        assert_eq!(
            r.headings[1].id, "checklist-prepare-1",
            "`checklist-prepare` is its anchor"
        );
        assert!(
            r.html.contains("data-checklist=\"prepare-1\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn task_list_without_a_heading_is_called_checklist() {
        let r = render_body("- [ ] One\n- [ ] One\n", RawHtml::Sanitize);
        assert_eq!(r.checklists[0].id, "checklist");
        assert_eq!(r.checklists[0].items[1].id, "one-1");
    }

    #[test]
    fn body_checklists_know_their_heading_even_when_their_id_differs() {
        let text = SourceText::new(
            "content/p.md",
            "---\ntitle: T\n---\n- [ ] A\n\n## Prepare\n- [ ] B\n".to_string(),
        );
        let input = MarkdownInput {
            text: &text,
            body: text.line_start(4)..text.len(),
            skip: None,
            raw_html: RawHtml::Sanitize,
            page_url: "/p/",
            reserved_ids: &[],
            checklist_ids: &["checklist", "prepare"],
            item_ids: &[],
        };
        let r = render(&input, &|_: &str| Resolution::Keep);
        let ids: Vec<_> = r.checklists.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["checklist-1", "prepare-1"]);
        assert_eq!(r.checklists[0].heading_id, None);
        assert_eq!(r.checklists[1].heading_id.as_deref(), Some("prepare"));
    }

    #[test]
    fn alerts_become_callouts() {
        let r = render_body("> [!WARNING]\n> Mind the gap\n", RawHtml::Sanitize);
        assert!(r.html.contains("pb-callout--warning"), "{}", r.html);
        assert!(r.html.contains("Mind the gap"));
        assert!(!r.html.contains("<blockquote"));
    }

    #[test]
    fn broken_links_name_their_line_and_anchors_are_recorded() {
        let r = render_body(
            "Text\n\nSee [x](missing.md) and [y](../g.md#part) and [z](#local).\n",
            RawHtml::Sanitize,
        );
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!((r.diagnostics[0].line, r.diagnostics[0].column), (6, 5));
        assert_eq!(r.diagnostics[0].width, "[x](missing.md)".len());
        assert!(r.html.contains("href=\"/g/#part\""));
        let checks: Vec<_> = r
            .anchor_checks
            .iter()
            .map(|c| (c.page_url.as_str(), c.fragment.as_str()))
            .collect();
        assert_eq!(checks, [("/g/", "part"), ("/p/", "local")]);
    }

    #[test]
    fn raw_html_policies() {
        let body = "<details><summary>More</summary>\n\nHidden <kbd>Ctrl</kbd>\n\n</details>\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))\n";
        let clean = render_body(body, RawHtml::Sanitize);
        assert!(clean.html.contains("<details>") && clean.html.contains("<kbd>"));
        assert!(
            !clean.html.contains("<script")
                && !clean.html.contains("onerror")
                && !clean.html.contains("javascript:")
        );
        let denied = render_body(body, RawHtml::Deny);
        assert!(denied.diagnostics.iter().filter(|d| d.is_error()).count() >= 3);
        assert_eq!(denied.diagnostics[0].line, 4);
        let allowed = render_body(body, RawHtml::Allow);
        assert!(allowed.html.contains("<script>alert(1)</script>"));
    }

    #[test]
    fn heading_attributes_cannot_add_event_handlers() {
        let body = "## Hi {#x .y onclick=alert(1) style=color:red}\n";
        let r = render_body(body, RawHtml::Sanitize);
        assert!(
            r.html.contains("<h2 id=\"x\" class=\"y\">Hi</h2>"),
            "{}",
            r.html
        );
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].message.contains("`onclick`, `style`"));
        assert!(!r.diagnostics[0].is_error());
        let denied = render_body(body, RawHtml::Deny);
        assert!(!denied.html.contains("onclick") && denied.diagnostics[0].is_error());
        let allowed = render_body(body, RawHtml::Allow);
        assert!(allowed.html.contains("onclick") && allowed.diagnostics.is_empty());
    }

    #[test]
    fn only_attribute_free_balanced_plain_tags_skip_the_sanitizer() {
        let plain = |fragments: &[&str]| {
            let mut open = Vec::new();
            fragments.iter().all(|f| is_plain_html(f, &mut open)) && open.is_empty()
        };
        assert!(plain(&[
            "<details>\n",
            "<summary>Why</summary>\n",
            "</details>\n"
        ]));
        assert!(plain(&["Press <kbd>Ctrl</kbd> then<br>", "x<sup>2</sup>"]));
        for bad in [
            "<script>alert(1)</script>",
            "<details open>",
            "<span onclick=x>y</span>",
            "<img src=x onerror=alert(1)>",
            "<!-- c -->",
            "<DETAILS></DETAILS>",
            "<a href=\"javascript:x\">y</a>",
            "a < b",
            "<p",
            "</div>",
            "<br></br>",
            "<style>p{}</style>",
            "<iframe></iframe>",
        ] {
            assert!(!plain(&[bad]), "{bad}");
        }
        assert!(!plain(&["<details>"]), "unclosed");
        assert!(!plain(&["<b><i></b></i>"]), "crossed");
    }

    #[test]
    fn plain_raw_html_is_kept_and_other_raw_html_still_sanitized() {
        let r = render_body(
            "<details>\n<summary>More</summary>\n\nHidden <kbd>Ctrl</kbd>\n\n</details>\n",
            RawHtml::Sanitize,
        );
        assert!(
            r.html.contains("<details>\n<summary>More</summary>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<kbd>Ctrl</kbd>"));
        let r = render_body(
            "<details>\n<summary>More</summary>\n\n<b onclick=\"x()\">Hi</b>\n\n</details>\n",
            RawHtml::Sanitize,
        );
        assert!(
            r.html.contains("<details>") && !r.html.contains("onclick"),
            "{}",
            r.html
        );
    }

    #[test]
    fn body_h1_is_demoted_with_a_warning() {
        let r = render_body("# Big\n", RawHtml::Sanitize);
        assert!(r.html.contains("<h2 id=\"big\">Big</h2>"), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 1);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let body = format!("{}deep\n\n{}deep\n", "> ".repeat(5000), "- ".repeat(5000));
        let r = render_body(&body, RawHtml::Sanitize);
        assert!(r.html.contains("deep"));
    }

    #[test]
    fn inline_markdown_shows_html_as_text() {
        assert_eq!(
            render_inline("Sign **the** <b>DPIA</b>", ""),
            "Sign <strong>the</strong> &lt;b&gt;DPIA&lt;/b&gt;"
        );
        assert_eq!(
            render_inline("## Do {#main-content onclick=alert(1)}", ""),
            "<h2>Do</h2>"
        );
        assert_eq!(
            render_inline("![x](javascript:alert(1))", "/p"),
            "<img src=\"#\" alt=\"x\" />"
        );
        assert_eq!(
            render_inline("[a](/guides/a/#b) [c](https://c.example/) [d](#d)", "/p"),
            "<a href=\"/p/guides/a/#b\">a</a> <a href=\"https://c.example/\">c</a> <a href=\"#d\">d</a>"
        );
    }
}
