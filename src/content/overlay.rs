//! Overlaying one front matter tree on another, by id, before anything is typed: the merge
//! behind local versions (`adapts:`), and meant for translations too.
//!
//! Both trees are [`yaml::Node`]s, so every value of the result keeps the file and line it
//! came from (`Node::file`: the overlay's own file is [`OWN_FILE`], the base's [`BASE_FILE`]),
//! and the schema checker and the page rules, run on the merged tree, report each problem at
//! the file and line its value was written on.
//!
//! # Using it
//!
//! ```text
//! let mut base = yaml::parse(base_yaml, 2)?;
//! base.set_file(BASE_FILE);
//! let local = yaml::parse(local_yaml, 2)?;
//! let removals = overlay::removals(&local);          // `remove:` entries, with positions
//! let merged = overlay::merge(&base, &local, &removals, &Policy::Adapt, OWN_FIELDS);
//! // merged.root: the tree to check and type; merged.changes: what the overlay did, each
//! // named for people; merged.problems: ids that `remove` names but the base lacks, and
//! // anything the policy refuses, each with the position it concerns.
//! ```
//!
//! # The rules
//!
//! - Mappings merge key by key; a key in the overlay replaces the base's value.
//! - Lists in [`KEYED_LISTS`] (checklists and their items by `id`, training modules by `id`,
//!   champions by `role`, metrics by `measure`, risks by `risk`) merge by that key: the same key
//!   overlays the base entry field by field, a new key is appended, and a base entry goes only
//!   when a removal names it (`list/id`, or `list/parent-id/id` for a checklist's item).
//! - Any other list, and any scalar, is replaced whole.
//! - Keys in `skip` are never taken from the base (a page's own identity: its slug, status…).
//!
//! # Policies
//!
//! [`Policy::Adapt`] allows everything above. [`Policy::TextOnly`] is for a translation: it may
//! not add or remove keyed entries, and may change only the values its predicate calls text
//! (given the path of keys, e.g. `["checklists", "items", "text"]`); lists that are not keyed
//! then merge item by item and must keep their length. Each refusal is a [`Problem`].

use super::yaml::{Node, NodeKind};

pub use super::yaml::OWN_FILE;

/// `Node::file` of a value taken from the base tree.
pub const BASE_FILE: u8 = 1;

/// A list whose entries are matched by a key rather than by position.
#[derive(Debug, Clone, Copy)]
pub struct KeyedList {
    /// The keys from the root to the list, e.g. `["checklists", "items"]`.
    pub path: &'static [&'static str],
    /// The field that identifies an entry.
    pub key: &'static str,
    /// What people call an entry, for [`Change::what`].
    pub label: &'static str,
}

/// The lists of a playbook that merge by key.
pub const KEYED_LISTS: &[KeyedList] = &[
    KeyedList {
        path: &["checklists"],
        key: "id",
        label: "Checklist",
    },
    KeyedList {
        path: &["checklists", "items"],
        key: "id",
        label: "item",
    },
    KeyedList {
        path: &["training"],
        key: "id",
        label: "Training module",
    },
    KeyedList {
        path: &["champions"],
        key: "role",
        label: "Champion",
    },
    KeyedList {
        path: &["metrics"],
        key: "measure",
        label: "Metric",
    },
    KeyedList {
        path: &["risks"],
        key: "risk",
        label: "Risk",
    },
];

/// The fields of a local version that are its own and never taken from the base: where it is
/// (`slug`), whether it is published (`status`), its order, its own version and history, and
/// the fields that say how it adapts.
pub const OWN_FIELDS: &[&str] = &[
    "slug", "status", "weight", "version", "changes", "adapts", "remove", "body",
];

/// What the overlay may do.
pub enum Policy<'a> {
    /// A local version: anything the rules allow.
    Adapt,
    /// A translation: no entry added or removed; only values for which the predicate (given
    /// the path of keys) is true may differ.
    TextOnly(&'a dyn Fn(&[&str]) -> bool),
}

/// A base entry to drop, as `remove:` names it.
#[derive(Debug, Clone)]
pub struct Removal {
    /// `list/id` or `list/parent-id/id`.
    pub id: String,
    /// Why.
    pub reason: String,
    /// Where the id is written (for the problem if it names nothing).
    pub at: Node,
}

/// How an entry or field differs from the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// The overlay sets a value the base has differently.
    Changed,
    /// The overlay adds an entry (or field) the base does not have.
    Added,
    /// A removal dropped a base entry; the reason given.
    Removed(String),
}

/// One thing the overlay did, named for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// E.g. `Checklist "Safe to start", item "Agree the alert rota"`, or `Pathway, escalation`.
    pub what: String,
    /// Changed, added or removed.
    pub kind: ChangeKind,
}

/// Something the merge could not do, at the position it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Characters to underline.
    pub width: usize,
    /// `Node::file` of the file it is in.
    pub file: u8,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl Problem {
    fn at(node: &Node, message: String, help: impl Into<String>) -> Self {
        Problem {
            line: node.line,
            column: node.column,
            width: node.width,
            file: node.file,
            message,
            help: help.into(),
        }
    }
}

/// The result of [`merge`].
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged tree.
    pub root: Node,
    /// What differs from the base, in the order met.
    pub changes: Vec<Change>,
    /// Removals that name nothing, and what the policy refused.
    pub problems: Vec<Problem>,
}

/// Reads `remove:` from an overlay tree (entries without a text `id` are left for the schema
/// checker to report).
pub fn removals(overlay: &Node) -> Vec<Removal> {
    let Some(NodeKind::Seq(items)) = overlay.get("remove").map(|n| &n.kind) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let at = item.get("id")?;
            Some(Removal {
                id: at.as_str()?.trim().to_string(),
                reason: item
                    .get("reason")
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .to_string(),
                at: at.clone(),
            })
        })
        .collect()
}

/// Overlays `overlay` on `base` (see the module's doc for the rules).
pub fn merge(
    base: &Node,
    overlay: &Node,
    removals: &[Removal],
    policy: &Policy,
    skip: &[&str],
) -> Merged {
    let mut merger = Merger {
        policy,
        changes: Vec::new(),
        problems: Vec::new(),
        removals,
        used: vec![false; removals.len()],
        skip,
    };
    // A translation (no skipped keys, no removals) merges onto the base as it is, uncopied.
    let pruned;
    let base = if skip.is_empty() && removals.is_empty() {
        base
    } else {
        let mut copy = strip(base, skip);
        merger.prune(&mut copy, &mut Vec::new(), None);
        pruned = copy;
        &pruned
    };
    let root = merger.value(base, overlay, &mut Vec::new(), None);
    for (removal, used) in removals.iter().zip(&merger.used) {
        if !used {
            merger.problems.push(Problem::at(
                &removal.at,
                format!(
                    "`remove` names `{}`, which the base playbook does not have",
                    removal.id
                ),
                "write the path of a base entry: list/id (checklists/safe-to-start) or \
                 list/parent-id/id (checklists/safe-to-start/alert-rota)",
            ));
        }
    }
    if let Policy::TextOnly(_) = policy {
        for removal in removals {
            merger.problems.push(Problem::at(
                &removal.at,
                format!("`remove` is not allowed here (`{}`)", removal.id),
                "a translation keeps every entry of the page it translates",
            ));
        }
    }
    Merged {
        root,
        changes: merger.changes,
        problems: merger.problems,
    }
}

/// `base` without the `skip` keys at its top level.
fn strip(base: &Node, skip: &[&str]) -> Node {
    match &base.kind {
        NodeKind::Map(entries) => Node {
            kind: NodeKind::Map(
                entries
                    .iter()
                    .filter(|(k, _)| !k.as_str().is_some_and(|k| skip.contains(&k)))
                    .cloned()
                    .collect(),
            ),
            ..base.clone()
        },
        _ => base.clone(),
    }
}

struct Merger<'a> {
    policy: &'a Policy<'a>,
    changes: Vec<Change>,
    problems: Vec<Problem>,
    removals: &'a [Removal],
    used: Vec<bool>,
    skip: &'a [&'a str],
}

/// Two values are the same when they hold the same text in the same shape, wherever written.
fn same(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (NodeKind::Null, NodeKind::Null) => true,
        (NodeKind::Scalar { text: x, .. }, NodeKind::Scalar { text: y, .. }) => x == y,
        (NodeKind::Seq(x), NodeKind::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (NodeKind::Map(x), NodeKind::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .any(|(k2, v2)| k.as_str() == k2.as_str() && same(v, v2))
                })
        }
        _ => false,
    }
}

/// `Pathway, escalation` for `["pathway", "escalation"]`.
fn field_label(path: &[&str]) -> String {
    let mut words: Vec<String> = path.iter().map(|k| k.replace('_', " ")).collect();
    if let Some(first) = words.first_mut() {
        let mut chars = first.chars();
        if let Some(c) = chars.next() {
            *first = c.to_uppercase().chain(chars).collect();
        }
    }
    words.join(", ")
}

/// An entry's name for people: its title, else its text, else its key.
fn entry_name(entry: &Node, key: &str) -> String {
    ["title", "text", key]
        .iter()
        .find_map(|k| entry.get(k).and_then(Node::as_str))
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The keyed entry a value is inside: its name for people and its key.
struct Entry {
    name: String,
    id: String,
}

impl<'a> Merger<'a> {
    fn note(&mut self, what: String, kind: ChangeKind) {
        let change = Change { what, kind };
        if !self.changes.contains(&change) {
            self.changes.push(change);
        }
    }

    /// Drops the base entries the removals name (at any depth of keyed lists), noting each.
    fn prune(&mut self, node: &mut Node, path: &mut Vec<String>, parent: Option<&Entry>) {
        let NodeKind::Map(entries) = &mut node.kind else {
            return;
        };
        for (key, value) in entries.iter_mut() {
            path.push(key.as_str().unwrap_or("").to_string());
            if let (Some(list), NodeKind::Seq(items)) = (keyed(path), &mut value.kind) {
                let mut kept = Vec::with_capacity(items.len());
                for mut item in std::mem::take(items) {
                    let id = item.get(list.key).and_then(Node::as_str).unwrap_or("");
                    let name = entry_name(&item, list.key);
                    let entry = Entry {
                        name: match parent {
                            Some(p) => format!("{}, {} \"{name}\"", p.name, list.label),
                            None => format!("{} \"{name}\"", list.label),
                        },
                        id: id.trim().to_string(),
                    };
                    let wanted = match parent {
                        Some(p) => format!("{}/{}/{}", path[0], p.id, entry.id),
                        None => format!("{}/{}", path[0], entry.id),
                    };
                    if let Some(i) = self.removals.iter().position(|r| r.id == wanted) {
                        self.used[i] = true;
                        let reason = self.removals[i].reason.clone();
                        self.note(entry.name, ChangeKind::Removed(reason));
                        continue;
                    }
                    self.prune(&mut item, path, Some(&entry));
                    kept.push(item);
                }
                *items = kept;
            }
            path.pop();
        }
    }

    fn refuse(&mut self, node: &Node, message: String, help: &str) {
        self.problems.push(Problem::at(node, message, help));
    }

    /// Merges one value. `path` holds the keys from the root; `entry` is the keyed entry the
    /// value is inside, if any (changes inside it are reported as changes of it).
    fn value(
        &mut self,
        base: &Node,
        overlay: &Node,
        path: &mut Vec<String>,
        entry: Option<&Entry>,
    ) -> Node {
        match (&base.kind, &overlay.kind) {
            (NodeKind::Map(b), NodeKind::Map(o)) => self.map(base, b, o, path, entry),
            (NodeKind::Seq(b), NodeKind::Seq(o)) => {
                if let Some(list) = keyed(path) {
                    // A translation translates a key that is text (a metric's `measure`, a
                    // risk's `risk`), so such lists match by position there.
                    let text_key = match self.policy {
                        Policy::TextOnly(is_text) => {
                            let mut keys: Vec<&str> = path.iter().map(String::as_str).collect();
                            keys.push(list.key);
                            is_text(&keys)
                        }
                        Policy::Adapt => false,
                    };
                    if !text_key {
                        return self.keyed(base, b, o, list, path, entry);
                    }
                }
                if let Policy::TextOnly(is_text) = self.policy {
                    let keys: Vec<&str> = path.iter().map(String::as_str).collect();
                    if b.len() != o.len() && !is_text(&keys) {
                        return self.replaced(base, overlay, path, entry);
                    }
                    if b.len() != o.len() {
                        self.refuse(
                            overlay,
                            format!(
                                "`{}` has {} entries here and {} in the original",
                                keys.join("."),
                                o.len(),
                                b.len()
                            ),
                            "a translation lists every entry of the original, in its order",
                        );
                        return overlay.clone();
                    }
                    {
                        let items = b
                            .iter()
                            .zip(o)
                            .map(|(b, o)| self.value(b, o, path, entry))
                            .collect();
                        return Node {
                            kind: NodeKind::Seq(items),
                            ..overlay.clone()
                        };
                    }
                }
                self.replaced(base, overlay, path, entry)
            }
            _ => self.replaced(base, overlay, path, entry),
        }
    }

    /// The overlay's value in place of the base's, noted when it differs.
    fn replaced(
        &mut self,
        base: &Node,
        overlay: &Node,
        path: &[String],
        entry: Option<&Entry>,
    ) -> Node {
        if !same(base, overlay) {
            let keys: Vec<&str> = path.iter().map(String::as_str).collect();
            if let Policy::TextOnly(is_text) = self.policy {
                if !is_text(&keys) || !matches!(overlay.kind, NodeKind::Scalar { .. }) {
                    self.refuse(
                        overlay,
                        format!("`{}` may not differ from the original", keys.join(".")),
                        "a translation changes only text; copy this value as the original has it",
                    );
                }
            }
            // Every page has its own title: a new one is no news.
            if keys != ["title"] {
                let what = entry.map_or_else(|| field_label(&keys), |e| e.name.clone());
                self.note(what, ChangeKind::Changed);
            }
        }
        overlay.clone()
    }

    fn map(
        &mut self,
        node: &Node,
        base: &[(Node, Node)],
        overlay: &[(Node, Node)],
        path: &mut Vec<String>,
        entry: Option<&Entry>,
    ) -> Node {
        let mut out: Vec<(Node, Node)> = Vec::with_capacity(base.len() + overlay.len());
        for (key, value) in base {
            let name = key.as_str().unwrap_or("");
            match overlay.iter().find(|(k, _)| k.as_str() == Some(name)) {
                Some((okey, ovalue)) => {
                    path.push(name.to_string());
                    let merged = self.value(value, ovalue, path, entry);
                    path.pop();
                    out.push((okey.clone(), merged));
                }
                None => out.push((key.clone(), value.clone())),
            }
        }
        for (key, value) in overlay {
            let name = key.as_str().unwrap_or("");
            if base.iter().any(|(k, _)| k.as_str() == Some(name)) {
                continue;
            }
            // The overlay's own fields (never taken from the base) are the ones `merge` was
            // told to skip.
            let own = path.is_empty() && self.skip.contains(&name);
            if !own && value.kind != NodeKind::Null {
                path.push(name.to_string());
                let keys: Vec<&str> = path.iter().map(String::as_str).collect();
                if let Policy::TextOnly(is_text) = self.policy {
                    if !is_text(&keys) {
                        self.refuse(
                            key,
                            format!("`{}` is not in the original", keys.join(".")),
                            "a translation changes only text the original has",
                        );
                    }
                }
                let (what, kind) = match entry {
                    Some(e) => (e.name.clone(), ChangeKind::Changed),
                    None => (field_label(&keys), ChangeKind::Added),
                };
                self.note(what, kind);
                path.pop();
            }
            out.push((key.clone(), value.clone()));
        }
        Node {
            kind: NodeKind::Map(out),
            ..node.clone()
        }
    }

    /// Merges a keyed list: base entries in order (overlaid, or dropped by a removal), then the
    /// overlay's new entries.
    fn keyed(
        &mut self,
        node: &Node,
        base: &[Node],
        overlay: &[Node],
        list: &'static KeyedList,
        path: &mut Vec<String>,
        parent: Option<&Entry>,
    ) -> Node {
        fn key_of<'n>(n: &'n Node, key: &str) -> Option<&'n str> {
            n.get(key).and_then(Node::as_str).map(str::trim)
        }
        let label = |name: &str| match parent {
            Some(parent) => format!("{}, {} \"{name}\"", parent.name, list.label),
            None => format!("{} \"{name}\"", list.label),
        };
        let mut out = Vec::with_capacity(base.len() + overlay.len());
        for item in base {
            let id = key_of(item, list.key).unwrap_or("").to_string();
            let entry = Entry {
                name: label(&entry_name(item, list.key)),
                id,
            };
            match overlay
                .iter()
                .find(|o| key_of(o, list.key) == Some(entry.id.as_str()))
            {
                Some(local) => out.push(self.value(item, local, path, Some(&entry))),
                None => out.push(item.clone()),
            }
        }
        for item in overlay {
            let id = key_of(item, list.key);
            if id.is_some() && base.iter().any(|b| key_of(b, list.key) == id) {
                continue;
            }
            if let Policy::TextOnly(_) = self.policy {
                self.refuse(
                    item,
                    format!(
                        "{} `{}` is not in the original",
                        list.label,
                        id.unwrap_or("")
                    ),
                    "a translation keeps the original's entries: translate them, add none",
                );
            }
            self.note(label(&entry_name(item, list.key)), ChangeKind::Added);
            out.push(item.clone());
        }
        Node {
            kind: NodeKind::Seq(out),
            ..node.clone()
        }
    }
}

/// The keyed list at `path`, if the path is one.
fn keyed(path: &[String]) -> Option<&'static KeyedList> {
    KEYED_LISTS
        .iter()
        .find(|l| l.path.len() == path.len() && l.path.iter().zip(path).all(|(a, b)| a == b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;

    fn trees(base: &str, local: &str) -> (Node, Node) {
        let mut base = yaml::parse(base, 2).unwrap();
        base.set_file(BASE_FILE);
        (base, yaml::parse(local, 2).unwrap())
    }

    const BASE: &str = "title: Base\nslug: base\ntags: [a, b]\npathway:\n  name: P\n  escalation: E\nchecklists:\n  - id: c\n    title: C\n    items:\n      - id: i\n        text: I\n      - id: j\n        text: J\n";

    #[test]
    fn maps_merge_by_key_lists_by_id_and_others_whole() {
        let (base, local) = trees(
            BASE,
            "title: Local\ntags: [z]\npathway:\n  escalation: L\nchecklists:\n  - id: c\n    items:\n      - id: i\n        text: I2\n      - id: k\n        text: K\n",
        );
        let merged = merge(&base, &local, &[], &Policy::Adapt, OWN_FIELDS);
        let root = &merged.root;
        assert!(root.get("slug").is_none(), "own fields are not inherited");
        assert_eq!(
            root.get("tags").unwrap().kind,
            local.get("tags").unwrap().kind
        );
        let pathway = root.get("pathway").unwrap();
        assert_eq!(pathway.get("name").unwrap().file, BASE_FILE);
        assert_eq!(pathway.get("escalation").unwrap().as_str(), Some("L"));
        assert_eq!(pathway.get("escalation").unwrap().file, OWN_FILE);
        let NodeKind::Seq(items) = &root.get("checklists").unwrap().kind else {
            panic!("a list")
        };
        let items = items[0].get("items").unwrap();
        let ids: Vec<_> = match &items.kind {
            NodeKind::Seq(v) => v
                .iter()
                .map(|n| n.get("id").unwrap().as_str().unwrap())
                .collect(),
            _ => panic!("a list"),
        };
        assert_eq!(ids, ["i", "j", "k"]);
        let what: Vec<String> = merged
            .changes
            .iter()
            .map(|c| format!("{}: {:?}", c.what, c.kind))
            .collect();
        assert_eq!(
            what,
            [
                "Tags: Changed",
                "Pathway, escalation: Changed",
                "Checklist \"C\", item \"I\": Changed",
                "Checklist \"C\", item \"K\": Added",
            ]
        );
        assert!(merged.problems.is_empty());
    }

    #[test]
    fn removals_drop_entries_and_unknown_ones_are_problems() {
        let (base, local) = trees(BASE, "title: L\nremove:\n  - id: checklists/c/j\n    reason: R\n  - id: checklists/c/x\n    reason: R\n");
        let removals = removals(&local);
        let merged = merge(&base, &local, &removals, &Policy::Adapt, OWN_FIELDS);
        assert_eq!(
            merged.changes,
            [Change {
                what: "Checklist \"C\", item \"J\"".into(),
                kind: ChangeKind::Removed("R".into())
            }]
        );
        assert_eq!(merged.problems.len(), 1);
        assert_eq!(
            (merged.problems[0].line, merged.problems[0].file),
            (6, OWN_FILE)
        );
        assert!(merged.problems[0].message.contains("checklists/c/x"));
    }

    #[test]
    fn text_only_refuses_new_ids_removals_and_non_text_changes() {
        let is_text =
            |path: &[&str]| matches!(path.last(), Some(&"title" | &"text" | &"escalation"));
        let policy = Policy::TextOnly(&is_text);
        let (base, local) = trees(
            BASE,
            "title: Teitl\npathway:\n  escalation: Cymraeg\nchecklists:\n  - id: c\n    items:\n      - id: i\n        text: Testun\n",
        );
        let merged = merge(&base, &local, &[], &policy, &[]);
        assert!(merged.problems.is_empty(), "{:?}", merged.problems);
        let (base, local) = trees(
            BASE,
            "title: T\ntags: [x]\nchecklists:\n  - id: new\n    title: N\n    items: []\n",
        );
        let merged = merge(&base, &local, &[], &policy, &[]);
        let messages: Vec<&str> = merged.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`tags` may not differ from the original",
                "Checklist `new` is not in the original"
            ]
        );
    }
}
