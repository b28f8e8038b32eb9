//! The top-level modules of `src/` depend on each other in one direction only: this test reads
//! every `crate::…` path in the library's source (tests aside) and fails, naming the loop, when
//! one module reaches back to a module that reaches it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The source without its unit tests (`#[cfg(test)] mod tests { … }` at the end of a file, as
/// every file here writes them) and without comments.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names: `crate::x…` and each name at the top of a
/// `use crate::{x, y::z}` group.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Names at depth one of the braces.
            let mut depth = 1;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start && depth == 1 => {
                        found.insert(ident(&group[i..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found
}

/// Module → the modules it uses.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules: BTreeSet<String> = BTreeSet::new();
    let Ok(entries) = std::fs::read_dir(src) else {
        return BTreeMap::new();
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.is_dir()
            || (path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main")
        {
            modules.insert(name.to_string());
        }
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    for file in rust_files(src) {
        let Ok(rel) = file.strip_prefix(src) else {
            continue;
        };
        let Some(top) = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|s| s.trim_end_matches(".rs").to_string())
        else {
            continue;
        };
        if !modules.contains(&top) {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&file).unwrap_or_default());
        for used in named_modules(&code) {
            if used != top && modules.contains(&used) {
                graph.entry(top.clone()).or_default().insert(used);
            }
        }
    }
    graph
}

/// A loop in the graph, as the modules along it, or `None`.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn top_level_modules_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = module_graph(&src);
    assert!(
        graph.len() >= 8,
        "expected the pipeline's modules under src/, found {graph:?}"
    );
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(edges >= 10, "the `use` lines were not read: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        let shown: Vec<String> = graph
            .iter()
            .map(|(m, uses)| {
                format!(
                    "  {m} → {}",
                    uses.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        panic!(
            "the modules {} use each other in a loop; data must flow one way.\n{}",
            cycle.join(" → "),
            shown.join("\n")
        );
    }
}

#[test]
fn the_reader_sees_grouped_and_nested_uses() {
    let code = "use crate::{config::{self, SiteConfig}, content};\nfn f() { crate::render::x(); }";
    let found = named_modules(code);
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        vec!["config", "content", "render"]
    );
}

#[test]
fn a_loop_is_found_and_named() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(
        find_cycle(&graph),
        Some(
            vec!["a", "b", "c", "a"]
                .into_iter()
                .map(String::from)
                .collect()
        )
    );
    graph.insert("c".to_string(), BTreeSet::new());
    assert_eq!(find_cycle(&graph), None);
}

#[test]
fn the_readme_module_table_names_every_module() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap_or_default();
    let src = repo.join("src");
    let mut missing = Vec::new();
    let mut seen = 0;
    for file in rust_files(&src) {
        let Ok(rel) = file.strip_prefix(&src) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .filter_map(|c| {
                c.as_os_str()
                    .to_str()
                    .map(|s| s.trim_end_matches(".rs").to_string())
            })
            .collect();
        seen += 1;
        let named = match parts.as_slice() {
            [top] if top == "lib" => true,
            [top] => readme.contains(&format!("`src/{top}.rs`")),
            [dir, module] if module == "mod" => readme.contains(&format!("`src/{dir}/`")),
            // Test-only helpers are not part of the pipeline.
            [_, module] if module == "introspect" => true,
            [dir, module] => {
                readme.contains(&format!("`src/{dir}/`")) && readme.contains(&format!("`{module}`"))
            }
            [dir, sub, module] => {
                readme.contains(&format!("`src/{dir}/`"))
                    && readme.contains(&format!("`{sub}`"))
                    && (module == "mod"
                        || readme.contains(&format!("`{module}`"))
                        || readme.contains(module.as_str()))
            }
            _ => false,
        };
        if !named {
            missing.push(rel.display().to_string());
        }
    }
    assert!(seen > 30, "the source files were not found ({seen})");
    assert!(
        missing.is_empty(),
        "README.md's module table does not name: {missing:?}"
    );
}
