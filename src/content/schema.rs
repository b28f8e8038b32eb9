//! The front matter format as data: which keys each object allows, what each value must be,
//! and which are required. `check` walks a YAML tree against it, reporting every problem with
//! its position (not only the first), and returns a clean value for serde to turn into types.
//!
//! The same table drives the JSON Schema for editors, so the two cannot drift apart; a unit
//! test keeps it in step with the Rust types in `model.rs`.

use super::checked::Checked;
use super::model::*;
use super::yaml::{path_to_string, Node, NodeKind, PathStep};
use crate::config::{is_valid_id, SiteConfig};
use crate::diagnostics::{did_you_mean, suggestion_help, Diagnostic};
use crate::source::{Files, SourceText};
use crate::vocabulary::Vocabulary;

/// What a value must look like.
#[derive(Debug)]
pub enum Shape {
    /// Any text.
    Text,
    /// Text of at most this many characters.
    TextMax(usize),
    /// A whole number from `min` to `max`.
    Int {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value: what the field's Rust type holds.
        max: i64,
    },
    /// `YYYY-MM-DD`.
    Date,
    /// `MAJOR.MINOR`.
    Version,
    /// `true` or `false` (1.1: a checklist item's `gate`).
    Bool,
    /// `a-z 0-9 -`.
    Id,
    /// A NICE guidance id: letters then digits, e.g. `HTE13` (see [`is_guidance_id`]).
    GuidanceId,
    /// One value, or the list given here (a `Shape::List`) of them (1.1: `nice_guidance_id`).
    OneOrList(&'static Shape),
    /// `checklist-id/item-id`: one checklist item of the playbook (1.1: `changes[].renamed`).
    ItemRef,
    /// A mapping whose keys are authors' own (1.1: `changes[].renamed`), each key and value
    /// of the shapes given.
    Map {
        /// What each key must be.
        key: &'static Shape,
        /// What each value must be.
        value: &'static Shape,
    },
    /// One of a fixed set.
    Enum(&'static [&'static str]),
    /// An id from a site.toml vocabulary.
    Vocab(Vocabulary),
    /// A list.
    List {
        /// What each item must be.
        item: &'static Shape,
        /// Fewest items allowed.
        min: usize,
    },
    /// A mapping with known keys.
    Object(&'static Object),
    /// Anything: its checks are done elsewhere (a team progress file's `playbooks:`, keyed by
    /// site paths rather than fixed names).
    Any,
}

/// One allowed key.
#[derive(Debug)]
pub struct Field {
    /// The key.
    pub name: &'static str,
    /// What its value must be.
    pub shape: Shape,
    /// Whether it must be present.
    pub required: bool,
    /// One line for editors and generated templates.
    pub doc: &'static str,
}

/// A mapping and its allowed keys.
#[derive(Debug)]
pub struct Object {
    /// What authors call it, for messages.
    pub name: &'static str,
    /// Allowed keys.
    pub fields: &'static [Field],
}

impl Object {
    /// The allowed key names.
    pub fn keys(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.name).collect()
    }
}

const fn req(name: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        name,
        shape,
        required: true,
        doc,
    }
}

const fn opt(name: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        name,
        shape,
        required: false,
        doc,
    }
}

const TEXT_LIST: Shape = Shape::List {
    item: &Shape::Text,
    min: 0,
};
const ROLE: Shape = Shape::Vocab(Vocabulary::Roles);
/// The list form of `nice_guidance_id`.
const GUIDANCE_ID_LIST: Shape = Shape::List {
    item: &Shape::GuidanceId,
    min: 1,
};

/// A count or a length (minutes, months, people): a whole number of at least 1 that fits the
/// `u32` it is read into.
const COUNT: Shape = Shape::Int {
    min: 1,
    max: u32::MAX as i64,
};

/// A page's or section's `weight`: any whole number an `i64` holds.
const WEIGHT: Shape = Shape::Int {
    min: i64::MIN,
    max: i64::MAX,
};

/// `technology:`
pub static TECHNOLOGY: Object = Object {
    name: "technology",
    fields: &[
        req("name", Shape::Text, "The product or service being adopted"),
        req(
            "kind",
            Shape::Enum(TechnologyKind::ALL),
            "What kind of technology it is",
        ),
        opt("supplier", Shape::Text, "Who supplies it"),
    ],
};

/// `assurance:`
pub static ASSURANCE: Object = Object {
    name: "assurance",
    fields: &[
        opt(
            "dtac",
            Shape::Enum(DtacStatus::ALL),
            "Digital Technology Assessment Criteria status",
        ),
        opt(
            "nice_esf_tier",
            Shape::Enum(EsfTier::ALL),
            "NICE Evidence Standards Framework (2022) tier: A system services; B understanding and communicating (information, simple monitoring, communication); C interventions (preventing or managing a diagnosed condition, incl. self-management, treating, active monitoring, calculating, diagnosing)",
        ),
        opt(
            "nice_eva",
            Shape::Enum(NiceEva::ALL),
            "NICE early-use (Early Value Assessment) outcome",
        ),
        opt(
            "nice_guidance_id",
            Shape::OneOrList(&GUIDANCE_ID_LIST),
            "NICE guidance id, e.g. HTE13, or a list such as [HTE8, HTE9] where guidance differs by condition; each links to https://www.nice.org.uk/guidance/<id>",
        ),
        opt(
            "dcb0160",
            Shape::Enum(ProgressStatus::ALL),
            "The deploying organisation's clinical safety case",
        ),
        opt(
            "dpia",
            Shape::Enum(ProgressStatus::ALL),
            "Data protection impact assessment",
        ),
    ],
};

/// `commissioning:` (1.1)
pub static COMMISSIONING: Object = Object {
    name: "commissioning",
    fields: &[
        opt(
            "funding",
            Shape::Text,
            "Where the money comes from, e.g. the ICB's digital budget",
        ),
        opt(
            "annual_cost",
            Shape::Text,
            "What it costs a year, e.g. \"About £12,000 for 9 practices\"",
        ),
        opt(
            "contract_end",
            Shape::Date,
            "When the current contract ends (YYYY-MM-DD)",
        ),
        opt(
            "procurement_route",
            Shape::Text,
            "How it is bought, e.g. a national framework or a local tender",
        ),
        opt(
            "dspt",
            Shape::Enum(DsptStatus::ALL),
            "The supplier's Data Security and Protection Toolkit outcome",
        ),
        opt(
            "device_class",
            Shape::Enum(DeviceClass::ALL),
            "Medical device class (UK MDR), or not-a-device",
        ),
    ],
};

/// An entry of `owners:`
pub static OWNER: Object = Object {
    name: "owner",
    fields: &[
        req("name", Shape::Text, "Person or team"),
        req("role", ROLE, "Role id from site.toml"),
        opt("contact", Shape::Text, "Email or other contact"),
    ],
};

/// `maturity:`
pub static MATURITY: Object = Object {
    name: "maturity",
    fields: &[
        opt(
            "minimum_stage",
            Shape::Enum(MaturityStage::ALL),
            "The digital maturity an organisation needs first",
        ),
        opt("prerequisites", TEXT_LIST, "e.g. \"Wi-Fi in clinic rooms\""),
    ],
};

/// `pathway.eligibility:`
pub static ELIGIBILITY: Object = Object {
    name: "eligibility",
    fields: &[
        opt("include", TEXT_LIST, "Who the technology is for"),
        opt("exclude", TEXT_LIST, "Who it is not for"),
    ],
};

/// `pathway:`
pub static PATHWAY: Object = Object {
    name: "pathway",
    fields: &[
        req(
            "name",
            Shape::Text,
            "The care pathway, e.g. \"Type 2 diabetes\"",
        ),
        req(
            "settings",
            Shape::List {
                item: &Shape::Vocab(Vocabulary::Settings),
                min: 1,
            },
            "Setting ids from site.toml: where care happens",
        ),
        req(
            "stages",
            Shape::List {
                item: &Shape::Vocab(Vocabulary::Stages),
                min: 1,
            },
            "Stage ids from site.toml: where the technology sits",
        ),
        opt(
            "entry",
            Shape::Text,
            "How a patient arrives at the technology",
        ),
        opt(
            "exit",
            Shape::Text,
            "What happens when the patient leaves it",
        ),
        opt(
            "replaces",
            Shape::Text,
            "The step or practice it changes or replaces",
        ),
        opt(
            "referrers",
            Shape::List {
                item: &ROLE,
                min: 0,
            },
            "Role ids of who refers",
        ),
        opt(
            "eligibility",
            Shape::Object(&ELIGIBILITY),
            "Who it is and is not for",
        ),
        opt(
            "escalation",
            Shape::Text,
            "Who responds to alerts, in which hours, and out of hours",
        ),
        opt("alternative", Shape::Text, "The non-digital route"),
    ],
};

/// An entry of `training:`
pub static TRAINING_MODULE: Object = Object {
    name: "training module",
    fields: &[
        req("id", Shape::Id, "Unique within this playbook"),
        req("title", Shape::Text, "Module title"),
        req(
            "roles",
            Shape::List {
                item: &ROLE,
                min: 1,
            },
            "Role ids who take it",
        ),
        req(
            "format",
            Shape::Enum(TrainingFormat::ALL),
            "How it is delivered",
        ),
        req("duration_minutes", COUNT, "Length in minutes"),
        opt(
            "when",
            Shape::Enum(Phase::ALL),
            "The phase by which it is done",
        ),
        opt("refresher_months", COUNT, "How often it is refreshed"),
        opt(
            "requires",
            Shape::List {
                item: &Shape::Id,
                min: 0,
            },
            "Ids of modules to take first",
        ),
        opt("link", Shape::Text, "Where to take it"),
    ],
};

/// An entry of `champions:`
pub static CHAMPION: Object = Object {
    name: "champion",
    fields: &[
        req("role", ROLE, "Role id"),
        opt("count", COUNT, "How many are needed"),
        req(
            "responsibilities",
            Shape::List {
                item: &Shape::Text,
                min: 1,
            },
            "What they do",
        ),
        req("time_commitment", Shape::Text, "How much time it takes"),
        opt("how_to_become", Shape::Text, "How to become one"),
        opt("support", Shape::Text, "What the champion gets in return"),
    ],
};

/// An entry of a checklist's `items:`
pub static CHECKLIST_ITEM: Object = Object {
    name: "checklist item",
    fields: &[
        req(
            "id",
            Shape::Id,
            "Unique within the checklist; readers' saved ticks are keyed on it",
        ),
        req("text", Shape::Text, "What to do (inline Markdown)"),
        opt("owner", ROLE, "Role id responsible"),
        opt(
            "npt",
            Shape::Enum(NptMechanism::ALL),
            "Normalisation Process Theory mechanism",
        ),
        opt("factor", Shape::Enum(Factor::ALL), "Implementation factor"),
        opt("due", Shape::Text, "e.g. \"4 weeks before go-live\""),
        opt("evidence", Shape::Text, "URL or site path of the evidence"),
        opt(
            "gate",
            Shape::Bool,
            "true: a team must have it done before recording a decision to go ahead with this phase or a later one",
        ),
    ],
};

/// An entry of `checklists:`
pub static CHECKLIST: Object = Object {
    name: "checklist",
    fields: &[
        req("id", Shape::Id, "Unique within this playbook"),
        req("title", Shape::Text, "Heading shown above it"),
        req("phase", Shape::Enum(Phase::ALL), "Adoption phase"),
        req(
            "items",
            Shape::List {
                item: &Shape::Object(&CHECKLIST_ITEM),
                min: 1,
            },
            "Things to do and tick off",
        ),
    ],
};

/// An entry of `implementation_strategies:`
pub static STRATEGY: Object = Object {
    name: "implementation strategy",
    fields: &[
        req("strategy", Shape::Enum(StrategyKind::ALL), "Which strategy"),
        req("description", Shape::Text, "How it is used here"),
    ],
};

/// An entry of `metrics:`
pub static METRIC: Object = Object {
    name: "metric",
    fields: &[
        req(
            "dimension",
            Shape::Enum(ReAimDimension::ALL),
            "RE-AIM dimension",
        ),
        req("measure", Shape::Text, "What is measured"),
        opt("target", Shape::Text, "Target"),
        opt("baseline", Shape::Text, "Starting value"),
        opt("source", Shape::Text, "Where the data comes from"),
        opt("frequency", Shape::Text, "How often"),
    ],
};

/// An entry of `risks:`
pub static RISK: Object = Object {
    name: "risk",
    fields: &[
        req("risk", Shape::Text, "What could go wrong"),
        req("mitigation", Shape::Text, "What reduces it"),
        req("kind", Shape::Enum(RiskKind::ALL), "Kind of risk"),
        opt("owner", ROLE, "Role id who owns it"),
    ],
};

/// An entry of `changes:` (1.1)
pub static CHANGE: Object = Object {
    name: "change",
    fields: &[
        req(
            "version",
            Shape::Version,
            "MAJOR.MINOR; the first entry's is the playbook's `version`, and each later entry's is lower",
        ),
        req(
            "date",
            Shape::Date,
            "When the change was made (YYYY-MM-DD), not after `last_reviewed`",
        ),
        req("summary", Shape::Text, "What changed (inline Markdown)"),
        opt(
            "retrain",
            Shape::List {
                item: &ROLE,
                min: 0,
            },
            "Role ids who must retake training because of this change",
        ),
        opt(
            "renamed",
            Shape::Map {
                key: &Shape::ItemRef,
                value: &Shape::ItemRef,
            },
            "Checklist items this change renamed, old-checklist-id/old-item-id: new-checklist-id/new-item-id; readers' ticks move to the new id",
        ),
    ],
};

const OWNERS: Shape = Shape::List {
    item: &Shape::Object(&OWNER),
    min: 1,
};

/// A playbook's front matter.
pub static PLAYBOOK: Object = Object {
    name: "playbook",
    fields: &[
        req("title", Shape::Text, "Page title"),
        req(
            "summary",
            Shape::TextMax(300),
            "Shown in lists, search results and link previews (≤ 300 characters)",
        ),
        req(
            "technology",
            Shape::Object(&TECHNOLOGY),
            "What is being adopted",
        ),
        opt("assurance", Shape::Object(&ASSURANCE), "Assurance status"),
        req("owners", OWNERS, "Who keeps the playbook true"),
        opt(
            "status",
            Shape::Enum(Status::ALL),
            "draft, published (default) or retired",
        ),
        req(
            "last_reviewed",
            Shape::Date,
            "Shown as \"Page last reviewed\"",
        ),
        req(
            "next_review_due",
            Shape::Date,
            "Shown as \"Next review due\"",
        ),
        opt(
            "maturity",
            Shape::Object(&MATURITY),
            "Digital maturity needed first",
        ),
        req(
            "pathway",
            Shape::Object(&PATHWAY),
            "Where the technology sits in the care pathway",
        ),
        req(
            "audiences",
            Shape::List {
                item: &ROLE,
                min: 1,
            },
            "Role ids this playbook is for",
        ),
        opt(
            "training",
            Shape::List {
                item: &Shape::Object(&TRAINING_MODULE),
                min: 0,
            },
            "The training plan",
        ),
        opt(
            "champions",
            Shape::List {
                item: &Shape::Object(&CHAMPION),
                min: 0,
            },
            "Champion roles",
        ),
        opt(
            "checklists",
            Shape::List {
                item: &Shape::Object(&CHECKLIST),
                min: 0,
            },
            "Checklists by phase",
        ),
        opt(
            "implementation_strategies",
            Shape::List {
                item: &Shape::Object(&STRATEGY),
                min: 0,
            },
            "Implementation strategies",
        ),
        opt(
            "metrics",
            Shape::List {
                item: &Shape::Object(&METRIC),
                min: 0,
            },
            "RE-AIM measures",
        ),
        opt(
            "risks",
            Shape::List {
                item: &Shape::Object(&RISK),
                min: 0,
            },
            "Risks and mitigations",
        ),
        opt("version", Shape::Version, "MAJOR.MINOR"),
        opt(
            "changes",
            Shape::List {
                item: &Shape::Object(&CHANGE),
                min: 0,
            },
            "The change history, newest first",
        ),
        opt(
            "commissioning",
            Shape::Object(&COMMISSIONING),
            "What a commissioner needs: funding, cost, contract end, procurement route, DSPT, device class",
        ),
        opt(
            "adapts",
            Shape::Object(&ADAPTS),
            "This page is a local version of another playbook: its site path and version",
        ),
        opt(
            "remove",
            Shape::List {
                item: &Shape::Object(&REMOVAL),
                min: 0,
            },
            "In a local version: base entries to drop, each with a reason",
        ),
        opt(
            "body",
            Shape::Enum(BodyMode::ALL),
            "In a local version: append (the base's body, then this one) or replace",
        ),
        opt("tags", TEXT_LIST, "Free tags; each gets a page"),
        opt(
            "weight",
            WEIGHT,
            "Order within the section (lower first)",
        ),
        opt(
            "slug",
            Shape::Id,
            "Replaces the last URL segment (a-z 0-9 -)",
        ),
    ],
};

/// A guide's front matter.
pub static GUIDE: Object = Object {
    name: "guide",
    fields: &[
        req("title", Shape::Text, "Page title"),
        opt(
            "summary",
            Shape::TextMax(300),
            "Shown in lists and search results (≤ 300 characters)",
        ),
        opt(
            "status",
            Shape::Enum(Status::ALL),
            "draft, published (default) or retired",
        ),
        opt(
            "last_reviewed",
            Shape::Date,
            "Shown as \"Page last reviewed\"",
        ),
        opt(
            "next_review_due",
            Shape::Date,
            "Shown as \"Next review due\"",
        ),
        opt(
            "owners",
            Shape::List {
                item: &Shape::Object(&OWNER),
                min: 0,
            },
            "Who keeps the guide true",
        ),
        opt("tags", TEXT_LIST, "Free tags"),
        opt("weight", WEIGHT, "Order within the section"),
        opt(
            "slug",
            Shape::Id,
            "Replaces the last URL segment (a-z 0-9 -)",
        ),
    ],
};

/// `adapts:` of a local version (1.1): the playbook it adapts and that playbook's version then.
pub static ADAPTS: Object = Object {
    name: "adapts",
    fields: &[
        req(
            "playbook",
            Shape::Text,
            "Site path of the base playbook, without .md, e.g. national/playbooks/remote-monitoring",
        ),
        req(
            "version",
            Shape::Version,
            "The base's version when it was adapted (MAJOR.MINOR)",
        ),
    ],
};

/// One entry of `remove:` in a local version (1.1).
pub static REMOVAL: Object = Object {
    name: "removal",
    fields: &[
        req(
            "id",
            Shape::Text,
            "What to drop from the base: list/id or list/parent-id/id, e.g. checklists/go-live/huddle",
        ),
        req("reason", Shape::Text, "Why this organisation drops it"),
    ],
};

/// A section's `_index.md` front matter.
pub static SECTION: Object = Object {
    name: "section index",
    fields: &[
        opt("title", Shape::Text, "Section title"),
        opt("summary", Shape::TextMax(300), "Short description"),
        opt("weight", WEIGHT, "Order among sections"),
        opt(
            "sort_by",
            Shape::Enum(SortBy::ALL),
            "weight (default), title or last_reviewed",
        ),
    ],
};

/// Walks a YAML tree against an `Object`, collecting every problem.
pub struct Checker<'a> {
    files: Files<'a>,
    config: &'a SiteConfig,
    /// Where "missing field" problems of the top-level object point: the opening `---`.
    top_line: usize,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// The keys whose values are being checked, innermost last: a required field missing
    /// from `technology:` is reported at the `technology` key.
    keys: Vec<(usize, usize, usize, u8)>,
}

impl<'a> Checker<'a> {
    /// A checker for one file.
    pub fn new(source: &'a SourceText, config: &'a SiteConfig, top_line: usize) -> Self {
        Self::with_files(Files::one(source), config, top_line)
    }

    /// A checker for a tree merged from several files (a local version and its base): each
    /// problem names the file its value came from.
    pub fn with_files(files: Files<'a>, config: &'a SiteConfig, top_line: usize) -> Self {
        Self {
            files,
            config,
            top_line,
            diagnostics: Vec::new(),
            keys: Vec::new(),
        }
    }

    fn error_at(&mut self, node: &Node, path: &[PathStep], message: String, help: String) {
        let diagnostic = self
            .files
            .of(node.file)
            .error(node.line, node.column, node.width, message)
            .with_help(help)
            .with_field(path_to_string(path));
        self.diagnostics.push(diagnostic);
    }

    /// The site settings it checks vocabulary ids against.
    pub fn config(&self) -> &'a SiteConfig {
        self.config
    }

    /// Checks one value found at `path` against `shape` (a part of a file whose outer layers
    /// are checked by hand, as a team progress file's) and returns its cleaned value.
    pub fn check_node<'n>(
        &mut self,
        node: &'n Node,
        shape: &'static Shape,
        path: &mut Vec<PathStep>,
    ) -> Option<Checked<'n>> {
        self.check_value(node, shape, path)
    }

    /// Checks the root mapping against `object` and returns the cleaned value.
    pub fn check_root<'n>(&mut self, root: &'n Node, object: &'static Object) -> Checked<'n> {
        let mut path = Vec::new();
        // Front matter with nothing between its `---` lines holds no keys: its missing fields
        // are what to report, not its shape.
        if root.kind == NodeKind::Null {
            let empty = Node {
                kind: NodeKind::Map(Vec::new()),
                ..root.clone()
            };
            self.check_object(&empty, object, &mut path);
            return Checked::Map(Vec::new());
        }
        self.check_object(root, object, &mut path)
            .unwrap_or(Checked::Null)
    }

    fn check_object<'n>(
        &mut self,
        node: &'n Node,
        object: &'static Object,
        path: &mut Vec<PathStep>,
    ) -> Option<Checked<'n>> {
        let NodeKind::Map(entries) = &node.kind else {
            let keys = object.keys().join(", ");
            self.error_at(
                node,
                path,
                format!(
                    "{} should be a mapping of keys, found {}",
                    describe_place(path, object),
                    node.describe()
                ),
                format!("write it as `key: value` lines; allowed keys: {keys}"),
            );
            return None;
        };
        let mut out = Vec::with_capacity(entries.len());
        let mut seen: Vec<&str> = Vec::new();
        for (key_node, value_node) in entries {
            let Some(key) = key_node.as_str() else {
                self.error_at(
                    key_node,
                    path,
                    "a key must be a plain word".into(),
                    "write keys like `title:`".into(),
                );
                continue;
            };
            if seen.contains(&key) {
                path.push(PathStep::Key(key.to_string().into()));
                self.error_at(
                    key_node,
                    path,
                    format!("`{key}` is given twice"),
                    "keep one of them; YAML keys must be unique in a mapping".into(),
                );
                path.pop();
                continue;
            }
            seen.push(key);
            let Some(field) = object.fields.iter().find(|f| f.name == key) else {
                path.push(PathStep::Key(key.to_string().into()));
                let help = unknown_key_help(key, object);
                self.error_at(key_node, path, format!("unknown field `{key}`"), help);
                path.pop();
                continue;
            };
            path.push(PathStep::Key(field.name.into()));
            if let NodeKind::Null = value_node.kind {
                // An empty value counts as absent; required ones are reported below.
                path.pop();
                continue;
            }
            if field.required
                && matches!(field.shape, Shape::Text | Shape::TextMax(_))
                && value_node.as_str().is_some_and(|t| t.trim().is_empty())
            {
                // `title: ""` would make a page with an empty <title> and <h1>.
                self.error_at(
                    value_node,
                    path,
                    format!("`{}` is empty", path_to_string(path)),
                    format!("give `{key}` a value ({})", field.doc),
                );
                path.pop();
                continue;
            }
            self.keys.push((
                key_node.line,
                key_node.column,
                key_node.width,
                key_node.file,
            ));
            if let Some(value) = self.check_value(value_node, &field.shape, path) {
                out.push((field.name, value));
            }
            self.keys.pop();
            path.pop();
        }
        for field in object.fields.iter().filter(|f| f.required) {
            let present = entries
                .iter()
                .any(|(k, v)| k.as_str() == Some(field.name) && v.kind != NodeKind::Null);
            if !present {
                let (line, column, width, file) = match (path.last(), self.keys.last()) {
                    (None, _) => (self.top_line, 1, 3, crate::content::yaml::OWN_FILE),
                    // `technology:` holding a mapping: point at the key.
                    (Some(PathStep::Key(_)), Some(&key)) => key,
                    // A list item: point at where it starts.
                    _ => (node.line, node.column, 1, node.file),
                };
                let mut field_path = path.clone();
                field_path.push(PathStep::Key(field.name.into()));
                let where_ = if path.is_empty() {
                    format!("the {}", object.name)
                } else {
                    format!("`{}`", path_to_string(path))
                };
                let diagnostic = self
                    .files
                    .of(file)
                    .error(
                        line,
                        column,
                        width,
                        format!("missing required field `{}` in {where_}", field.name),
                    )
                    .with_help(format!("add `{}:` ({})", field.name, field.doc))
                    .with_field(path_to_string(&field_path));
                self.diagnostics.push(diagnostic);
            }
        }
        Some(Checked::Map(out))
    }

    fn check_value<'n>(
        &mut self,
        node: &'n Node,
        shape: &'static Shape,
        path: &mut Vec<PathStep>,
    ) -> Option<Checked<'n>> {
        match shape {
            Shape::Object(object) => self.check_object(node, object, path),
            Shape::Map { key, value } => self.check_map(node, key, value, path),
            Shape::Any => Some(Checked::Null),
            Shape::OneOrList(list) => match (&node.kind, list) {
                // The list form goes through the list rules: at least `min`, no blank items.
                (NodeKind::Seq(_), _) => self.check_value(node, list, path),
                (_, Shape::List { item, .. }) => self.check_scalar(node, item, path),
                (_, one) => self.check_scalar(node, one, path),
            },
            Shape::List { item, min } => {
                let NodeKind::Seq(items) = &node.kind else {
                    let example = match node.as_str() {
                        Some(text) => {
                            format!("write `[{text}]` or put each item on its own line after `- `")
                        }
                        None => "put each item on its own line after `- `".into(),
                    };
                    self.error_at(
                        node,
                        path,
                        format!(
                            "`{}` should be a list, found {}",
                            path_to_string(path),
                            node.describe()
                        ),
                        example,
                    );
                    return None;
                };
                if items.len() < *min {
                    self.error_at(
                        node,
                        path,
                        format!("`{}` needs at least {min} item(s)", path_to_string(path)),
                        "add an item after `- `".into(),
                    );
                }
                let mut values = Vec::with_capacity(items.len());
                for (i, item_node) in items.iter().enumerate() {
                    path.push(PathStep::Index(i));
                    if item_node.kind == NodeKind::Null {
                        self.error_at(
                            item_node,
                            path,
                            format!("`{}` is empty", path_to_string(path)),
                            "remove the empty `- ` line or give it a value".into(),
                        );
                    } else if let Some(value) = self.check_value(item_node, item, path) {
                        values.push(value);
                    }
                    path.pop();
                }
                Some(Checked::Seq(values))
            }
            scalar_shape => self.check_scalar(node, scalar_shape, path),
        }
    }

    /// A mapping with authors' own keys (`renamed:`): every key and value checked, a repeated
    /// key refused, the written order kept.
    fn check_map<'n>(
        &mut self,
        node: &'n Node,
        key_shape: &'static Shape,
        value_shape: &'static Shape,
        path: &mut Vec<PathStep>,
    ) -> Option<Checked<'n>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.error_at(
                node,
                path,
                format!(
                    "`{}` should be a mapping of `old: new` lines, found {}",
                    path_to_string(path),
                    node.describe()
                ),
                "write one `old-checklist-id/old-item-id: new-checklist-id/new-item-id` per line"
                    .into(),
            );
            return None;
        };
        let mut out = Vec::with_capacity(entries.len());
        let mut seen: Vec<&str> = Vec::new();
        for (key_node, value_node) in entries {
            let Some(key) = key_node.as_str() else {
                self.error_at(
                    key_node,
                    path,
                    format!("a key of `{}` must be a single value", path_to_string(path)),
                    "write keys like `get-ready/old-id:`".into(),
                );
                continue;
            };
            if seen.contains(&key) {
                self.error_at(
                    key_node,
                    path,
                    format!("`{key}` is given twice in `{}`", path_to_string(path)),
                    "keep one of them; YAML keys must be unique in a mapping".into(),
                );
                continue;
            }
            seen.push(key);
            let key_ok = match key_shape {
                Shape::ItemRef if !is_item_ref(key) => {
                    self.error_at(
                        key_node,
                        path,
                        format!(
                            "the old id `{key}` in `{}` should be `checklist-id/item-id`",
                            path_to_string(path)
                        ),
                        item_ref_help(key),
                    );
                    false
                }
                _ => self.check_scalar(key_node, key_shape, path).is_some(),
            };
            path.push(PathStep::Key(key.to_string().into()));
            let value = if value_node.kind == NodeKind::Null {
                self.error_at(
                    key_node,
                    path,
                    format!("`{}` has no new id", path_to_string(path)),
                    "write the new `checklist-id/item-id` after the colon".into(),
                );
                None
            } else {
                self.check_scalar(value_node, value_shape, path)
            };
            path.pop();
            if let (true, Some(value)) = (key_ok, value) {
                out.push((key, value));
            }
        }
        Some(Checked::Map(out))
    }

    /// A vocabulary id: one of the site's, else an error naming the nearest and the others.
    fn check_term<'n>(
        &mut self,
        node: &Node,
        vocabulary: Vocabulary,
        text: &'n str,
        path: &[PathStep],
    ) -> Option<Checked<'n>> {
        let terms = self.config.terms(vocabulary);
        if !terms.iter().any(|t| t.id == text) {
            let ids: Vec<&str> = terms.iter().map(|t| t.id.as_str()).collect();
            let help = if ids.is_empty() {
                format!(
                    "define {}s in {} of site.toml",
                    vocabulary.noun(),
                    vocabulary.table()
                )
            } else {
                let near = did_you_mean(text, ids.iter().copied())
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                format!(
                    "{near}{}s defined in site.toml {}: {}",
                    vocabulary.noun(),
                    vocabulary.table(),
                    ids.iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.error_at(
                node,
                path,
                format!(
                    "unknown {} `{text}` in `{}`",
                    vocabulary.noun(),
                    list_path(path)
                ),
                help,
            );
            return None;
        }
        Some(Checked::Str(text))
    }

    /// A whole number from `min` to `max`.
    fn check_int<'n>(
        &mut self,
        node: &Node,
        (min, max): (i64, i64),
        text: &str,
        path: &[PathStep],
    ) -> Option<Checked<'n>> {
        let field = || path_to_string(path);
        let written = text.trim();
        let problem = match written.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => return Some(Checked::Int(n)),
            Ok(n) if n < min => (
                format!("`{}` is {n}; it must be at least {min}", field()),
                format!("use a whole number of {min} or more"),
            ),
            Ok(n) => (
                format!("`{}` is {n}; it must be at most {max}", field()),
                format!("use a whole number from {min} to {max}"),
            ),
            // Digits that no whole number type holds.
            Err(_)
                if !written.is_empty()
                    && written
                        .trim_start_matches(['-', '+'])
                        .bytes()
                        .all(|b| b.is_ascii_digit()) =>
            {
                (
                    format!("`{}` is too large a number: `{written}`", field()),
                    format!("use a whole number from {min} to {max}"),
                )
            }
            Err(_) => (
                format!("`{}` should be a whole number, found `{text}`", field()),
                "write digits only, e.g. 30".into(),
            ),
        };
        self.error_at(node, path, problem.0, problem.1);
        None
    }

    /// `text` as written when `ok`; else the error `problem` gives (message, help) at `node`.
    fn text_if<'n>(
        &mut self,
        node: &Node,
        path: &[PathStep],
        text: &'n str,
        ok: bool,
        problem: impl FnOnce() -> (String, String),
    ) -> Option<Checked<'n>> {
        if ok {
            return Some(Checked::Str(text));
        }
        let (message, help) = problem();
        self.error_at(node, path, message, help);
        None
    }

    fn check_scalar<'n>(
        &mut self,
        node: &'n Node,
        shape: &Shape,
        path: &[PathStep],
    ) -> Option<Checked<'n>> {
        let Some(text) = node.as_str() else {
            self.error_at(
                node,
                path,
                format!(
                    "`{}` should be a single value, found {}",
                    path_to_string(path),
                    node.describe()
                ),
                format!("write it on one line: `{}: …`", last_key(path)),
            );
            return None;
        };
        // Built only when a message needs it: most values are fine.
        let field = || path_to_string(path);
        match shape {
            Shape::Text => Some(Checked::Str(text)),
            Shape::TextMax(max) => {
                let count = text.chars().count();
                if count > *max {
                    self.error_at(
                        node,
                        path,
                        format!(
                            "`{}` is {count} characters long; at most {max} are allowed",
                            field()
                        ),
                        match count - max {
                            1 => "shorten it by 1 character".to_string(),
                            n => format!("shorten it by {n} characters"),
                        },
                    );
                }
                Some(Checked::Str(text))
            }
            Shape::Int { min, max } => self.check_int(node, (*min, *max), text, path),
            Shape::Date => match IsoDate::parse(text.trim()) {
                Some(_) => Some(Checked::Str(text.trim())),
                None => {
                    self.error_at(
                        node,
                        path,
                        format!("`{}` is not a valid date: `{text}`", field()),
                        "write dates as YYYY-MM-DD, e.g. 2026-08-06".into(),
                    );
                    None
                }
            },
            Shape::Bool => match text.trim() {
                "true" => Some(Checked::Bool(true)),
                "false" => Some(Checked::Bool(false)),
                _ => {
                    self.error_at(
                        node,
                        path,
                        format!("`{}` should be true or false, found `{text}`", field()),
                        "write `true` or `false`, without quotes".into(),
                    );
                    None
                }
            },
            Shape::Version => {
                let ok = text
                    .split_once('.')
                    .is_some_and(|(a, b)| is_digits(a) && is_digits(b));
                self.text_if(node, path, text, ok, || {
                    (
                        format!("`{}` should be MAJOR.MINOR, found `{text}`", field()),
                        "write the version as two numbers with a dot, e.g. \"1.2\"".into(),
                    )
                })
            }
            Shape::Id => self.text_if(node, path, text, is_valid_id(text), || {
                (
                    format!("`{}` is not a valid id: `{text}`", field()),
                    id_help(text),
                )
            }),
            Shape::GuidanceId => self.text_if(node, path, text, is_guidance_id(text), || {
                (
                    format!("`{}` is not a NICE guidance id: `{text}`", field()),
                    guidance_id_help(text),
                )
            }),
            Shape::Enum(valid) => self.text_if(node, path, text, valid.contains(&text), || {
                (
                    format!("`{text}` is not a valid value for `{}`", last_key(path)),
                    suggestion_help(text, valid),
                )
            }),
            Shape::Vocab(vocabulary) => self.check_term(node, *vocabulary, text, path),
            Shape::ItemRef => self.text_if(node, path, text, is_item_ref(text), || {
                (
                    format!(
                        "`{}` should be `checklist-id/item-id`, found `{text}`",
                        field()
                    ),
                    item_ref_help(text),
                )
            }),
            Shape::List { .. }
            | Shape::Object(_)
            | Shape::OneOrList(_)
            | Shape::Map { .. }
            | Shape::Any => None,
        }
    }
}

/// How to fix an invalid id, with a valid spelling of it when one can be made.
fn id_help(text: &str) -> String {
    let mut suggestion = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            suggestion.push(c);
        } else if !suggestion.is_empty() && !suggestion.ends_with('-') {
            // Spaces, `_` and other separators become one `-`.
            suggestion.push('-');
        }
    }
    let suggestion = suggestion.trim_end_matches('-');
    if suggestion.is_empty() {
        "use only lowercase letters a-z, digits 0-9 and `-`".into()
    } else {
        format!("use only lowercase letters a-z, digits 0-9 and `-`, e.g. `{suggestion}`")
    }
}

/// True when the value at `path` (keys from the root, lists passed through) of `object` is
/// free text a translation may change: `Text`, `TextMax`, or a list of them. Anything else (ids,
/// enums, vocabularies, dates, numbers, booleans) and any key the format does not know is not.
pub fn is_text_at(object: &Object, path: &[&str]) -> bool {
    fn shape_is_text(shape: &Shape, rest: &[&str]) -> bool {
        match shape {
            Shape::Text | Shape::TextMax(_) => rest.is_empty(),
            Shape::List { item, .. } | Shape::OneOrList(item) => shape_is_text(item, rest),
            Shape::Object(object) => is_text_at(object, rest),
            _ => false,
        }
    }
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    object
        .fields
        .iter()
        .find(|f| f.name == *first)
        .is_some_and(|f| shape_is_text(&f.shape, rest))
}

/// `checklist-id/item-id`: two ids joined by one `/`.
pub fn is_item_ref(text: &str) -> bool {
    text.split_once('/')
        .is_some_and(|(list, item)| is_valid_id(list) && is_valid_id(item))
}

/// The pattern of [`is_item_ref`], for the JSON Schema.
pub const ITEM_REF_PATTERN: &str = "^[a-z0-9-]+/[a-z0-9-]+$";

/// How to write a checklist item reference, with a valid spelling of this one when one can be
/// made (`Get Ready / Book training` → `get-ready/book-training`).
fn item_ref_help(text: &str) -> String {
    let base = "write the checklist's id, `/`, then the item's id, each of a-z, 0-9 and `-`";
    let part = |p: &str| {
        id_help(p)
            .split_once("e.g. `")
            .map(|(_, rest)| rest.trim_end_matches('`').to_string())
    };
    match text.split_once('/') {
        Some((list, item)) => match (part(list), part(item)) {
            (Some(list), Some(item)) if is_item_ref(&format!("{list}/{item}")) => {
                format!("{base}, e.g. `{list}/{item}`")
            }
            _ => format!("{base}, e.g. `get-ready/book-training`"),
        },
        None => format!("{base}, e.g. `get-ready/book-training`"),
    }
}

/// A NICE guidance id: 1 to 6 ASCII letters then at least 1 digit (`HTE13`, `NG28`, `ta1000`),
/// so it can only ever make a link to a page of https://www.nice.org.uk/guidance/.
pub fn is_guidance_id(text: &str) -> bool {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    (1..=6).contains(&letters) && is_digits(&text[letters..])
}

/// The pattern of [`is_guidance_id`], for the JSON Schema.
pub const GUIDANCE_ID_PATTERN: &str = "^[A-Za-z]{1,6}[0-9]+$";

/// How to fix a NICE guidance id, with the id left after dropping spaces and punctuation when
/// that is one (`"NICE HTE13"` → no; `"HTE 13"` → `HTE13`).
fn guidance_id_help(text: &str) -> String {
    let squeezed: String = text.chars().filter(char::is_ascii_alphanumeric).collect();
    let base = "write the id alone, letters then digits, as in the address https://www.nice.org.uk/guidance/<id>";
    if is_guidance_id(&squeezed) {
        format!("{base}, e.g. `{squeezed}`")
    } else {
        format!("{base}, e.g. `HTE13`")
    }
}

/// The path of the field a list item belongs to: `audiences`, not `audiences[1]`.
fn list_path(path: &[PathStep]) -> String {
    let end = path
        .iter()
        .rposition(|s| matches!(s, PathStep::Key(_)))
        .map_or(0, |i| i + 1);
    path_to_string(&path[..end])
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn last_key(path: &[PathStep]) -> String {
    path.iter()
        .rev()
        .find_map(|s| match s {
            PathStep::Key(k) => Some(k.to_string()),
            PathStep::Index(_) => None,
        })
        .unwrap_or_default()
}

fn describe_place(path: &[PathStep], object: &Object) -> String {
    if path.is_empty() {
        format!("the {} front matter", object.name)
    } else {
        format!("`{}`", path_to_string(path))
    }
}

fn unknown_key_help(key: &str, object: &Object) -> String {
    let keys = object.keys();
    if let Some(near) = did_you_mean(key, keys.iter().copied()) {
        return format!("did you mean `{near}`?");
    }
    if std::ptr::eq(object, &GUIDE) && PLAYBOOK.fields.iter().any(|f| f.name == key) {
        return format!(
            "`{key}` belongs to playbooks; add `pathway:` to make this page a playbook"
        );
    }
    format!(
        "a {} may hold: {}",
        object.name,
        keys.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Term;
    use crate::content::yaml;

    fn config() -> SiteConfig {
        let mut c = SiteConfig::minimal("T");
        c.roles = vec![
            Term {
                id: "gp".into(),
                name: "GP".into(),
            },
            Term {
                id: "practice-nurse".into(),
                name: "Practice nurse".into(),
            },
        ];
        c
    }

    /// The checked value (as `serde_yaml` would have written it) and the problems found.
    fn check(text: &str, object: &'static Object) -> (serde_yaml::Value, Vec<Diagnostic>) {
        let source = SourceText::new("content/a.md", format!("---\n{text}---\n"));
        let root = yaml::parse(text, 2).unwrap();
        let cfg = config();
        let mut checker = Checker::new(&source, &cfg, 1);
        let value = checker.check_root(&root, object).into_typed().unwrap();
        (value, checker.diagnostics)
    }

    #[test]
    fn reports_every_problem_in_a_file() {
        let (_, diags) = check(
            "title: A\ntraning: x\nowners:\n  - name: N\n    role: practice-nures\nstatus: publshed\nlast_reviewed: 2026-02-30\n",
            &GUIDE,
        );
        let messages: Vec<_> = diags.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(diags.len(), 4, "{messages:?}");
        assert_eq!(diags[0].line, 3);
        assert!(diags[1]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `practice-nurse`"));
        assert!(diags[2]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `published`"));
        assert!(diags[3].help.as_deref().unwrap().contains("YYYY-MM-DD"));
    }

    #[test]
    fn missing_top_level_field_points_at_the_opening_line() {
        let (_, diags) = check("summary: s\n", &GUIDE);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 1);
        assert!(diags[0].message.contains("`title`"));
    }

    #[test]
    fn missing_nested_fields_point_at_their_key_or_list_item() {
        let (_, diags) = check("title: A\nowners:\n  - name: N\n    contact: c\n", &GUIDE);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            (diags[0].line, diags[0].column),
            (4, 5),
            "the item's first key"
        );
        let source = SourceText::new(
            "content/a.md",
            "---\ntechnology:\n  kind: other\n---\n".to_string(),
        );
        let root = yaml::parse("technology:\n  kind: other\n", 2).unwrap();
        let cfg = config();
        let mut checker = Checker::new(&source, &cfg, 1);
        checker.check_root(&root, &PLAYBOOK);
        let name = checker
            .diagnostics
            .iter()
            .find(|d| d.message.contains("`name` in `technology`"))
            .unwrap();
        assert_eq!((name.line, name.column, name.width), (2, 1, 10));
    }

    #[test]
    fn a_blank_required_text_is_an_error() {
        // Found by the frontmatter fuzz target: `title: ""` made a page with no title.
        let (_, diags) = check("title: \"  \"\n", &GUIDE);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].message, "`title` is empty");
        assert_eq!((diags[0].line, diags[0].column), (2, 8));
        let (_, diags) = check("title: T\nsummary: \"\"\n", &GUIDE);
        assert!(
            diags.is_empty(),
            "an optional blank field is allowed: {diags:?}"
        );
    }

    #[test]
    fn empty_front_matter_is_missing_its_title() {
        let (_, diags) = check("", &GUIDE);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, 1);
        assert!(diags[0].message.contains("missing required field `title`"));
    }

    #[test]
    fn playbook_keys_in_a_guide_explain_the_difference() {
        let (_, diags) = check("title: A\naudiences: [gp]\n", &GUIDE);
        assert!(
            diags[0].help.as_deref().unwrap().contains("add `pathway:`"),
            "{diags:?}"
        );
    }

    #[test]
    fn plain_numbers_are_kept_as_written_for_text_fields() {
        let (value, diags) = check("title: 2026\n", &GUIDE);
        assert!(diags.is_empty());
        assert_eq!(value["title"], serde_yaml::Value::String("2026".into()));
    }

    #[test]
    fn summary_length_counts_characters() {
        let long = "é".repeat(300);
        let (_, diags) = check(&format!("title: A\nsummary: {long}\n"), &GUIDE);
        assert!(
            diags.is_empty(),
            "300 two-byte characters are allowed: {diags:?}"
        );
        let (_, diags) = check(&format!("title: A\nsummary: {long}x\n"), &GUIDE);
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn invalid_ids_get_a_valid_suggestion() {
        let (_, diags) = check("title: A\nslug: Remote_Monitoring v2\n", &GUIDE);
        let help = diags[0].help.as_deref().unwrap();
        assert!(help.ends_with("e.g. `remote-monitoring-v2`"), "{help}");
        assert!(is_valid_id("remote-monitoring-v2"));
        assert!(!id_help("***").contains("e.g."));
    }

    #[test]
    fn numbers_beyond_what_a_field_holds_are_refused_at_the_field() {
        let guide = "title: A\n";
        let (_, diags) = check(&format!("{guide}weight: -40\n"), &GUIDE);
        assert!(diags.is_empty(), "{diags:?}");
        for (written, message) in [
            (
                "99999999999",
                "`count` is 99999999999; it must be at most 4294967295",
            ),
            (
                "99999999999999999999",
                "`count` is too large a number: `99999999999999999999`",
            ),
            ("0", "`count` is 0; it must be at least 1"),
            ("two", "`count` should be a whole number, found `two`"),
        ] {
            let (_, diags) = check(
                &format!("role: gp\ncount: {written}\nresponsibilities: [Lead]\ntime_commitment: An hour\n"),
                &CHAMPION,
            );
            assert_eq!(diags.len(), 1, "{written}: {diags:?}");
            assert_eq!(diags[0].message, message);
            assert_eq!(
                (diags[0].line, diags[0].field.as_deref()),
                (3, Some("count"))
            );
        }
    }

    /// The table and the Rust types must allow exactly the same keys.
    #[test]
    fn table_matches_the_rust_types() {
        use crate::content::introspect::fields_of;
        let pairs: Vec<(&Object, &[&str])> = vec![
            (&PLAYBOOK, fields_of::<PlaybookMeta>()),
            (&GUIDE, fields_of::<GuideMeta>()),
            (&SECTION, fields_of::<SectionMeta>()),
            (&TECHNOLOGY, fields_of::<Technology>()),
            (&ASSURANCE, fields_of::<Assurance>()),
            (&OWNER, fields_of::<Owner>()),
            (&MATURITY, fields_of::<Maturity>()),
            (&PATHWAY, fields_of::<Pathway>()),
            (&ELIGIBILITY, fields_of::<Eligibility>()),
            (&TRAINING_MODULE, fields_of::<TrainingModule>()),
            (&CHAMPION, fields_of::<Champion>()),
            (&CHECKLIST, fields_of::<Checklist>()),
            (&CHECKLIST_ITEM, fields_of::<ChecklistItem>()),
            (&STRATEGY, fields_of::<Strategy>()),
            (&METRIC, fields_of::<Metric>()),
            (&ADAPTS, fields_of::<Adapts>()),
            (&REMOVAL, fields_of::<Removal>()),
            (&RISK, fields_of::<Risk>()),
            (&COMMISSIONING, fields_of::<Commissioning>()),
            (&CHANGE, fields_of::<Change>()),
        ];
        for (object, fields) in pairs {
            assert_eq!(object.keys(), fields.to_vec(), "{}", object.name);
        }
    }
}
