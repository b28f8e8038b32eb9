//! The text of a new playbook or guide: front matter with every field of the format, each with
//! a one-line comment, written from the same table `check` validates against (`schema.rs`),
//! so a field added to the format appears here without anyone remembering to add it.
//!
//! Every value is one that passes `check --strict`: vocabulary ids are the site's own, review
//! dates start today, and fields whose only sensible example would be invented data (a NICE
//! guidance id, an evidence path, a slug that moves the page) are shown commented out.

use crate::config::SiteConfig;
use crate::content::model::IsoDate;
use crate::content::schema::{Field, Object, Shape, GUIDE, PLAYBOOK};
use crate::vocabulary::Vocabulary;

/// Months between a new page's review dates.
pub const REVIEW_MONTHS: u8 = 6;

/// Which kind of page to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A page with `pathway:`.
    Playbook,
    /// Any other page.
    Guide,
}

/// What the template needs to know besides the format.
pub struct TemplateInput<'a> {
    /// The page title.
    pub title: &'a str,
    /// The site's vocabularies.
    pub config: &'a SiteConfig,
    /// `last_reviewed`; `next_review_due` is `REVIEW_MONTHS` later.
    pub today: IsoDate,
    /// `draft` (for `new`: nothing is published until the author says so) or `published`.
    pub status: &'static str,
}

/// Fields left out: they make a page a local version of another playbook, which starts from a
/// few lines (see the README), not from this template.
const LEFT_OUT: &[&str] = &["adapts", "remove", "body"];

/// Fields shown commented out: any value written would be invented or would move the page.
/// Commissioning facts (cost, contract, DSPT, device class) are never safe to guess, and a new
/// playbook has renamed nothing.
const COMMENTED_OUT: &[&str] = &[
    "assurance.nice_guidance_id",
    "commissioning",
    "commissioning.funding",
    "commissioning.annual_cost",
    "commissioning.contract_end",
    "commissioning.procurement_route",
    "commissioning.dspt",
    "commissioning.device_class",
    "slug",
    "changes.renamed",
    "checklists.items.evidence",
    "training.link",
];

/// A double-quoted YAML string.
pub fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The date `months` after `date` (the last day of the month when that day does not exist).
pub fn add_months(date: IsoDate, months: u8) -> IsoDate {
    let d = date.0;
    let total = d.month() as u8 - 1 + months;
    let year = d.year() + i32::from(total / 12);
    let month = time::Month::try_from(total % 12 + 1).unwrap_or(time::Month::January);
    let mut day = d.day();
    loop {
        if let Ok(next) = time::Date::from_calendar_date(year, month, day) {
            return IsoDate(next);
        }
        if day <= 28 {
            return date;
        }
        day -= 1;
    }
}

/// The site's ids the examples use: the first one or two of each vocabulary.
struct Ids<'a> {
    stages: Vec<&'a str>,
    settings: Vec<&'a str>,
    roles: Vec<&'a str>,
}

impl<'a> Ids<'a> {
    fn of(config: &'a SiteConfig) -> Result<Self, String> {
        let take = |vocabulary: Vocabulary, n: usize| -> Result<Vec<&'a str>, String> {
            let ids: Vec<&str> = config
                .terms(vocabulary)
                .iter()
                .take(n)
                .map(|t| t.id.as_str())
                .collect();
            if ids.is_empty() {
                Err(format!(
                    "site.toml defines no {}s ({}), and a playbook needs one",
                    vocabulary.noun(),
                    vocabulary.table()
                ))
            } else {
                Ok(ids)
            }
        };
        Ok(Ids {
            stages: take(Vocabulary::Stages, 2)?,
            settings: take(Vocabulary::Settings, 1)?,
            roles: take(Vocabulary::Roles, 2)?,
        })
    }
}

/// The example value(s) of a scalar or a list of scalars at `path` (`training.roles`, with list
/// positions left out). `index` is the position of the enclosing list item.
fn example(path: &str, index: usize, input: &TemplateInput, ids: &Ids) -> Vec<String> {
    let today = input.today;
    let one = |s: &str| vec![s.to_string()];
    let quoted = |s: &str| vec![yaml_string(s)];
    let first_role = ids.roles[0];
    match path {
        "title" => quoted(input.title),
        "summary" => quoted(
            "One or two sentences on what this page helps a team do. Shown in lists and search results.",
        ),
        "status" => one(input.status),
        "last_reviewed" => one(&today.iso()),
        "next_review_due" => one(&add_months(today, REVIEW_MONTHS).iso()),
        "version" | "changes.version" => quoted("0.1"),
        "changes.date" => one(&today.iso()),
        "changes.summary" => quoted("First version"),
        "changes.retrain" => Vec::new(),
        "changes.renamed" => one("get-ready/old-item-id: get-ready/agree-the-pathway"),
        "weight" => one("0"),
        "tags" => quoted("example"),
        "slug" => one("a-shorter-address"),
        "owners.name" => quoted("Name of the person or team who keeps this page true"),
        "owners.role" => one(first_role),
        "owners.contact" => quoted("team.mailbox@example.nhs.uk"),
        "technology.name" => quoted("Name of the product or service"),
        "technology.kind" => one("other"),
        "technology.supplier" => quoted("Name of the supplier"),
        "assurance.dtac" => one("not-started"),
        "assurance.nice_esf_tier" => one("B"),
        "assurance.nice_eva" => one("not-assessed"),
        "assurance.nice_guidance_id" => quoted("HTE13"),
        "commissioning.funding" => quoted("e.g. ICB digital transformation budget"),
        "commissioning.annual_cost" => quoted("e.g. About £12,000 a year for 9 practices"),
        "commissioning.contract_end" => one(&add_months(today, 12).iso()),
        "commissioning.procurement_route" => quoted("e.g. A national framework, or a local tender"),
        "commissioning.dspt" => one("standards-met"),
        "commissioning.device_class" => one("not-a-device"),
        "assurance.dcb0160" => one("not-started"),
        "assurance.dpia" => one("not-started"),
        "maturity.minimum_stage" => one("developing"),
        "maturity.prerequisites" => quoted("Something the organisation must have first, e.g. Wi-Fi in clinic rooms"),
        "pathway.name" => quoted("Name of the care pathway, e.g. Type 2 diabetes"),
        "pathway.settings" => ids.settings.iter().map(|s| s.to_string()).collect(),
        "pathway.stages" => ids.stages.iter().map(|s| s.to_string()).collect(),
        "pathway.entry" => quoted("e.g. Referred by the practice nurse at the annual review"),
        "pathway.exit" => quoted("e.g. Back to usual care after 12 weeks, with a summary to the GP"),
        "pathway.replaces" => quoted("e.g. Part of the face-to-face review"),
        "pathway.referrers" => one(first_role),
        "pathway.eligibility.include" => quoted("e.g. Adults aged 18 and over"),
        "pathway.eligibility.exclude" => quoted("e.g. People who are pregnant"),
        "pathway.escalation" => quoted("e.g. The duty clinician, 8am to 6:30pm on weekdays; NHS 111 at other times"),
        "pathway.alternative" => quoted("e.g. The same programme by phone or face to face"),
        "audiences" => ids.roles.iter().map(|s| s.to_string()).collect(),
        "training.id" => one(["getting-started", "using-it-safely"][index.min(1)]),
        "training.title" => quoted(["Getting started", "Using it safely"][index.min(1)]),
        "training.roles" => one(first_role),
        "training.format" => one(["e-learning", "workshop"][index.min(1)]),
        "training.duration_minutes" => one(["30", "90"][index.min(1)]),
        "training.when" => one("prepare"),
        "training.refresher_months" => one("12"),
        "training.requires" => {
            if index == 0 {
                Vec::new()
            } else {
                one("getting-started")
            }
        }
        "training.link" => quoted("https://learning.example.nhs.uk/course"),
        "champions.role" => one(first_role),
        "champions.count" => one("2"),
        "champions.responsibilities" => quoted("What a champion does, e.g. answer colleagues' questions"),
        "champions.time_commitment" => quoted("About 1 hour a week"),
        "champions.how_to_become" => quoted("How to volunteer, and who to ask"),
        "champions.support" => quoted("What champions get in return, e.g. protected time"),
        "checklists.id" => one("get-ready"),
        "checklists.title" => quoted("Get ready"),
        "checklists.phase" => one("prepare"),
        "checklists.items.id" => one(["agree-the-pathway", "book-training"][index.min(1)]),
        "checklists.items.text" => quoted(
            ["Agree the pathway with the clinical lead", "Book training for every role"][index.min(1)],
        ),
        "checklists.items.owner" => one(first_role),
        "checklists.items.npt" => one(["coherence", "cognitive-participation"][index.min(1)]),
        "checklists.items.factor" => one(["ways-of-working", "skills-and-knowledge"][index.min(1)]),
        "checklists.items.due" => quoted("4 weeks before go-live"),
        "checklists.items.evidence" => quoted("/guides/a-page-of-this-site/"),
        "checklists.items.gate" => one("false"),
        "implementation_strategies.strategy" => one("educational-meetings"),
        "implementation_strategies.description" => quoted("e.g. A lunchtime session for each practice team before go-live"),
        "metrics.dimension" => one("reach"),
        "metrics.measure" => quoted("e.g. Share of eligible patients offered it, by age and ethnicity"),
        "metrics.target" => quoted("e.g. 60%"),
        "metrics.baseline" => quoted("e.g. 0% before go-live"),
        "metrics.source" => quoted("e.g. Practice clinical system search"),
        "metrics.frequency" => quoted("Monthly"),
        "risks.risk" => quoted("e.g. People without a smartphone are left out"),
        "risks.mitigation" => quoted("e.g. Offer the non-digital route at every step"),
        "risks.kind" => one("equity"),
        "risks.owner" => one(first_role),
        _ => quoted("…"),
    }
}

/// How many example items a list of objects gets.
fn items_in(path: &str) -> usize {
    match path {
        "training" | "checklists.items" => 2,
        _ => 1,
    }
}

/// The comment after a field: its doc line, and for closed sets the values allowed.
fn comment(field: &Field) -> String {
    let mut text = field.doc.to_string();
    let shape = match &field.shape {
        Shape::List { item, .. } => item,
        shape => shape,
    };
    match shape {
        Shape::Enum(values) if !values.iter().all(|v| text.contains(v)) => {
            text.push_str(": ");
            text.push_str(&values.join(", "));
        }
        Shape::Vocab(vocabulary) if !text.contains("site.toml") => {
            text.push_str(&format!(" (ids from site.toml {})", vocabulary.table()));
        }
        _ => {}
    }
    if field.required {
        text.push_str(" [required]");
    }
    text
}

struct Writer<'a> {
    out: String,
    input: &'a TemplateInput<'a>,
    ids: &'a Ids<'a>,
}

impl Writer<'_> {
    /// Writes `object`'s fields at `indent`; when the object is a list item, its first line
    /// starts with `- ` in place of the indent's last two spaces.
    fn object(
        &mut self,
        object: &Object,
        path: &str,
        indent: usize,
        list_item: bool,
        index: usize,
    ) {
        let fields = object
            .fields
            .iter()
            .filter(|f| !(path.is_empty() && LEFT_OUT.contains(&f.name)));
        for (n, field) in fields.enumerate() {
            let lead = if list_item && n == 0 {
                format!("{}- ", " ".repeat(indent - 2))
            } else {
                " ".repeat(indent)
            };
            let field_path = if path.is_empty() {
                field.name.to_string()
            } else {
                format!("{path}.{}", field.name)
            };
            self.field(field, &field_path, &lead, indent, index);
        }
    }

    fn field(&mut self, field: &Field, path: &str, lead: &str, indent: usize, index: usize) {
        let hash = if COMMENTED_OUT.contains(&path) {
            "# "
        } else {
            ""
        };
        let note = comment(field);
        match &field.shape {
            Shape::Object(object) => {
                self.line(format!("{lead}{hash}{}:  # {note}", field.name));
                self.object(object, path, indent + 2, false, index);
            }
            Shape::List {
                item: Shape::Object(object),
                ..
            } => {
                self.line(format!("{lead}{hash}{}:  # {note}", field.name));
                for i in 0..items_in(path) {
                    self.object(object, path, indent + 4, true, i);
                }
            }
            Shape::Map { .. } => {
                self.line(format!("{lead}{hash}{}:  # {note}", field.name));
                for entry in example(path, index, self.input, self.ids) {
                    self.line(format!("{}{hash}  {entry}", " ".repeat(indent)));
                }
            }
            Shape::List { .. } => {
                let values = example(path, index, self.input, self.ids);
                if values.is_empty() {
                    self.line(format!("{lead}{hash}{}: []  # {note}", field.name));
                } else {
                    self.line(format!("{lead}{hash}{}:  # {note}", field.name));
                    for value in values {
                        self.line(format!("{}{hash}  - {value}", " ".repeat(indent)));
                    }
                }
            }
            _ => {
                let value = example(path, index, self.input, self.ids).join(" ");
                self.line(format!("{lead}{hash}{}: {value}  # {note}", field.name));
            }
        }
    }

    fn line(&mut self, text: String) {
        self.out.push_str(&text);
        self.out.push('\n');
    }
}

/// The front matter block (between `---` lines) of a new page of `kind`.
pub fn front_matter(kind: PageKind, input: &TemplateInput) -> Result<String, String> {
    let ids = Ids::of(input.config)?;
    let mut writer = Writer {
        out: String::from("---\n"),
        input,
        ids: &ids,
    };
    let object = match kind {
        PageKind::Playbook => &PLAYBOOK,
        PageKind::Guide => &GUIDE,
    };
    writer.object(object, "", 0, false, 0);
    writer.out.push_str("---\n");
    Ok(writer.out)
}

/// The Markdown body of a new page: headings to fill in, and how to write the rest.
pub fn body(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Playbook => PLAYBOOK_BODY,
        PageKind::Guide => GUIDE_BODY,
    }
}

const PLAYBOOK_BODY: &str = "
Write the playbook here, below the front matter, in plain English. The page shows its own
title, so start your headings at `##`. Lines that start with `#` inside the front matter above
are notes for you and are not published.

## Why this matters

What problem the technology solves for patients and staff, and what the evidence says.

## How it fits into the working day

Who does what, and when. A table often helps:

| Who | Does what |
|---|---|
| The referring clinician | Checks eligibility and refers |

## What good looks like

How you will know it is working, in words a team can check.

## Before the first patient

A task list in the body is a checklist too, and readers can tick it off:

- [ ] Everyone who refers knows the eligibility criteria
- [ ] The non-digital route is written down and tested
";

const GUIDE_BODY: &str = "
Write the guide here, below the front matter, in plain English. The page shows its own title,
so start your headings at `##`.

## What this guide covers

A sentence or two on who should read it and what they will be able to do afterwards.

## The main points

Short paragraphs, lists and tables. Link to other pages by their file, for example
`[the playbooks](../playbooks/_index.md)`.
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Term;

    fn config() -> SiteConfig {
        let mut c = SiteConfig::minimal("T");
        let term = |id: &str| Term {
            id: id.into(),
            name: id.into(),
        };
        c.stages = vec![term("referral"), term("monitoring")];
        c.settings = vec![term("community")];
        c.roles = vec![term("gp"), term("practice-nurse")];
        c
    }

    fn input(config: &SiteConfig) -> TemplateInput<'_> {
        TemplateInput {
            title: "Home \"oximetry\"",
            config,
            today: IsoDate::parse("2026-08-31").unwrap(),
            status: "draft",
        }
    }

    #[test]
    fn every_field_of_the_format_is_shown_with_a_comment_but_those_of_local_versions() {
        let config = config();
        let text = front_matter(PageKind::Playbook, &input(&config)).unwrap();
        fn keys(object: &Object, out: &mut Vec<&'static str>) {
            let top = std::ptr::eq(object, &PLAYBOOK);
            for field in object
                .fields
                .iter()
                .filter(|f| !(top && LEFT_OUT.contains(&f.name)))
            {
                out.push(field.name);
                match &field.shape {
                    Shape::Object(o)
                    | Shape::List {
                        item: Shape::Object(o),
                        ..
                    } => keys(o, out),
                    _ => {}
                }
            }
        }
        let mut all = Vec::new();
        keys(&PLAYBOOK, &mut all);
        for key in all {
            let line = text
                .lines()
                .find(|l| {
                    l.trim_start_matches([' ', '-', '#'])
                        .starts_with(&format!("{key}:"))
                })
                .unwrap_or_else(|| panic!("`{key}` is not shown:\n{text}"));
            assert!(line.contains("  # "), "`{key}` has no comment: {line}");
        }
        assert!(text.contains("title: \"Home \\\"oximetry\\\"\""));
        assert!(text.contains("next_review_due: 2027-02-28"));
        assert!(text.contains("kind: other  # What kind of technology it is: digital-therapy,"));
        assert!(
            !text.contains("adapts:"),
            "a new page is not a local version"
        );
    }

    #[test]
    fn a_site_without_roles_cannot_have_a_playbook_template() {
        let mut config = config();
        config.roles.clear();
        let err = front_matter(PageKind::Playbook, &input(&config)).unwrap_err();
        assert!(err.contains("[roles]"), "{err}");
    }

    #[test]
    fn months_are_added_on_the_calendar() {
        let d = |s: &str| IsoDate::parse(s).unwrap();
        assert_eq!(add_months(d("2026-01-31"), 1), d("2026-02-28"));
        assert_eq!(add_months(d("2026-11-22"), 6), d("2027-05-22"));
    }
}
