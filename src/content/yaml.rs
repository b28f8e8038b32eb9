//! Front matter YAML as a tree that remembers where every key and value stands in the file.
//!
//! serde_yaml turns YAML into types but forgets positions, and the format promises a line for
//! every problem, so the parse goes through yaml-rust2's event stream (which carries marks) into
//! this small tree first. Aliases are refused (they can expand exponentially) and nesting is
//! bounded, so no front matter can make the build hang or overflow the stack.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deepest nesting accepted; real front matter needs four or five levels.
pub const MAX_DEPTH: usize = 32;

/// A YAML value with the file position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the value is.
    pub kind: NodeKind,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Characters to underline when pointing at it.
    pub width: usize,
    /// Which file the value was read from: [`OWN_FILE`] (the page's own) unless the tree was
    /// merged from several files (see `overlay`), whose diagnostics then name the right one.
    pub file: u8,
}

/// `Node::file` of a value read from the page's own file.
pub const OWN_FILE: u8 = 0;

/// The shape of a YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `~`, `null` or nothing.
    Null,
    /// Any scalar: its text, and whether it was written plain (unquoted).
    Scalar {
        /// The scalar's text as YAML reads it.
        text: String,
        /// Unquoted (so `1.2` or `true` may mean a number or a boolean).
        plain: bool,
    },
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in file order; keys are nodes so they keep their position.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar's text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The value under `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The key node for `key`, to point at the key rather than its value.
    pub fn key(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, _)| k),
            _ => None,
        }
    }

    /// Follows a path of keys and list indexes.
    pub fn at(&self, path: &[PathStep]) -> Option<&Node> {
        let mut node = self;
        for step in path {
            node = match (step, &node.kind) {
                (PathStep::Key(key), _) => node.get(key)?,
                (PathStep::Index(i), NodeKind::Seq(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Marks this value and everything in it as read from `file` (see [`Node::file`]).
    pub fn set_file(&mut self, file: u8) {
        self.file = file;
        match &mut self.kind {
            NodeKind::Seq(items) => items.iter_mut().for_each(|n| n.set_file(file)),
            NodeKind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.set_file(file);
                v.set_file(file);
            }),
            NodeKind::Null | NodeKind::Scalar { .. } => {}
        }
    }

    /// A short name for the kind of value, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "nothing",
            NodeKind::Scalar { .. } => "a single value",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping of keys",
        }
    }
}

/// One step of a path into front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// A mapping key (borrowed from the format's field table when it can be, to save copies).
    Key(std::borrow::Cow<'static, str>),
    /// A list index.
    Index(usize),
}

/// Renders a path the way authors read it: `checklists[0].items[2].owner`.
pub fn path_to_string(path: &[PathStep]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            PathStep::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            PathStep::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A YAML syntax problem, at a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// 1-based file line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Parses `yaml`, whose first line is line `first_line` of the file, into a tree.
///
/// An empty document is a `Null` node. Only the first document is read.
pub fn parse(yaml: &str, first_line: usize) -> Result<Node, YamlError> {
    let mut parser = Parser::new_from_str(yaml);
    let position = |mark: &Marker| (mark.line() + first_line - 1, mark.col() + 1);
    // Containers being built: (node under construction, pending key for maps).
    let mut stack: Vec<(Node, Option<Node>)> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let (event, mark) = parser.next_token().map_err(|err| {
            let (line, column) = position(err.marker());
            YamlError {
                message: format!("the front matter is not valid YAML: {}", err.info()),
                help: syntax_help(err.info()),
                line,
                column,
            }
        })?;
        let (line, column) = position(&mark);
        let node = match event {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::Scalar(text, style, _, _) => {
                let plain = style == TScalarStyle::Plain;
                let width = match style {
                    TScalarStyle::Plain => text.chars().count(),
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                        text.chars().count() + 2
                    }
                    _ => 1,
                };
                let kind = if plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL")
                {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar { text, plain }
                };
                Node {
                    kind,
                    line,
                    column,
                    width: width.max(1),
                    file: OWN_FILE,
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        message: format!("the front matter nests deeper than {MAX_DEPTH} levels"),
                        help: "flatten the structure; no field of the format nests this deep"
                            .into(),
                        line,
                        column,
                    });
                }
                let kind = if matches!(event, Event::SequenceStart(..)) {
                    NodeKind::Seq(Vec::new())
                } else {
                    NodeKind::Map(Vec::new())
                };
                stack.push((
                    Node {
                        kind,
                        line,
                        column,
                        width: 1,
                        file: OWN_FILE,
                    },
                    None,
                ));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some((mut node, _)) => {
                    // yaml-rust2 marks a block mapping at its first `:`; a mapping starts
                    // where its first key does (a flow mapping's `{` comes before it).
                    if let NodeKind::Map(entries) = &node.kind {
                        if let Some((key, _)) = entries.first() {
                            if (key.line, key.column) < (node.line, node.column) {
                                (node.line, node.column) = (key.line, key.column);
                            }
                        }
                    }
                    node
                }
                None => continue,
            },
            Event::Alias(_) => {
                return Err(YamlError {
                    message: "YAML aliases (`*name`) are not supported in front matter".into(),
                    help: "write the value out in full where it is needed".into(),
                    line,
                    column,
                })
            }
            Event::StreamStart | Event::DocumentStart | Event::Nothing => continue,
        };
        // Attach the finished node to its parent.
        match stack.last_mut() {
            None => {
                root = Some(node);
            }
            Some((parent, pending_key)) => match &mut parent.kind {
                NodeKind::Seq(items) => items.push(node),
                NodeKind::Map(entries) => match pending_key.take() {
                    None => *pending_key = Some(node),
                    Some(key) => entries.push((key, node)),
                },
                // Only sequences and mappings are ever pushed on the stack.
                NodeKind::Null | NodeKind::Scalar { .. } => {}
            },
        }
    }
    Ok(root.unwrap_or(Node {
        kind: NodeKind::Null,
        line: first_line,
        column: 1,
        width: 1,
        file: OWN_FILE,
    }))
}

fn syntax_help(info: &str) -> String {
    if info.contains("mapping values are not allowed") {
        "a value holding `: ` must be quoted, e.g. summary: \"Step 1: refer\"".into()
    } else if info.contains("did not find expected key") || info.contains("block mapping") {
        "check the indentation: keys at the same level must start in the same column".into()
    } else if info.contains("tab") {
        "indent with spaces; YAML does not allow tab characters for indentation".into()
    } else if info.contains("quote") || info.contains("quoted") {
        "close the quoted string on the same line it starts, or use a `>` block".into()
    } else {
        "check the YAML syntax near this line (indentation, quotes, `- ` before list items)".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_file_lines_and_columns() {
        let yaml = "title: Hello\npathway:\n  stages: [a, b]\n";
        let root = parse(yaml, 2).unwrap();
        let title = root.get("title").unwrap();
        assert_eq!((title.line, title.column), (2, 8));
        let key = root.key("pathway").unwrap();
        assert_eq!((key.line, key.column, key.width), (3, 1, 7));
        let b = root
            .at(&[
                PathStep::Key("pathway".into()),
                PathStep::Key("stages".into()),
                PathStep::Index(1),
            ])
            .unwrap();
        assert_eq!((b.line, b.column), (4, 15));
    }

    #[test]
    fn mappings_start_at_their_first_key() {
        let root = parse(
            "technology:
  kind: other
owners:
  - name: A
flow: {a: 1}
",
            2,
        )
        .unwrap();
        assert_eq!((root.line, root.column), (2, 1));
        let technology = root.get("technology").unwrap();
        assert_eq!((technology.line, technology.column), (3, 3));
        let owners = root.get("owners").unwrap();
        let NodeKind::Seq(items) = &owners.kind else {
            panic!("owners is a list")
        };
        assert_eq!((items[0].line, items[0].column), (5, 5));
        let flow = root.get("flow").unwrap();
        assert_eq!((flow.line, flow.column), (6, 7), "at the `{{`");
    }

    #[test]
    fn scalars_remember_if_they_were_quoted() {
        let root = parse("a: 1.10\nb: \"1.10\"\nc: ~\n", 1).unwrap();
        assert_eq!(
            root.get("a").unwrap().kind,
            NodeKind::Scalar {
                text: "1.10".into(),
                plain: true
            }
        );
        assert_eq!(
            root.get("b").unwrap().kind,
            NodeKind::Scalar {
                text: "1.10".into(),
                plain: false
            }
        );
        assert_eq!(root.get("c").unwrap().kind, NodeKind::Null);
    }

    #[test]
    fn syntax_errors_have_file_positions() {
        let err = parse("title: a\nsummary: one: two\n", 2).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.help.contains("quoted"), "{err:?}");
    }

    #[test]
    fn aliases_and_deep_nesting_are_refused() {
        assert!(parse("a: &x 1\nb: *x\n", 1).is_err());
        let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep, 1).unwrap_err().message.contains("deeper"));
    }

    #[test]
    fn path_renders_like_authors_write_it() {
        let path = [
            PathStep::Key("checklists".into()),
            PathStep::Index(0),
            PathStep::Key("items".into()),
        ];
        assert_eq!(path_to_string(&path), "checklists[0].items");
    }
}
