//! `plinth graph`: the dependency graph in Graphviz DOT.

use std::fmt::Write as _;

use petgraph::visit::EdgeRef;

use super::{Graph, NodeKind};

/// DOT text: one node per configuration object, an edge from each object to what it depends on
/// (the direction `terraform graph` uses). Nodes and edges are sorted so the output is stable.
pub fn to_dot(g: &Graph) -> String {
    let mut nodes: Vec<String> = g
        .dag
        .node_indices()
        .map(|i| {
            let n = &g.dag[i];
            let shape = match n.kind {
                NodeKind::Resource(_) => "box",
                NodeKind::Provider(_) => "diamond",
                NodeKind::Expand(_) => "folder",
                _ => "note",
            };
            format!("  \"{}\" [label=\"{}\", shape={shape}];", n, n)
        })
        .collect();
    nodes.sort();
    let mut edges: Vec<String> = g
        .dag
        .edge_references()
        .map(|e| format!("  \"{}\" -> \"{}\";", g.dag[e.target()], g.dag[e.source()]))
        .collect();
    edges.sort();
    let mut out = String::from("digraph plinth {\n  rankdir = \"RL\";\n");
    for n in nodes {
        let _ = writeln!(out, "{n}");
    }
    for e in edges {
        let _ = writeln!(out, "{e}");
    }
    out.push_str("}\n");
    out
}
