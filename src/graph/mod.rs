//! The dependency graph: which configuration objects depend on which, and the order to visit them.
//!
//! [`build::build`] turns a [`Config`](crate::config::Config) into a [`Graph`] in small named steps
//! (add nodes, connect references, connect providers and module expansion, check cycles). Nodes are
//! configuration objects per *static* module path (a resource with `count = 1000` is one node);
//! instances are expanded while walking, which keeps every pass linear in the number of instances.
//! This module knows nothing of providers' behaviour, state, or how a node is evaluated.

pub mod build;
pub mod dot;
pub mod sched;
pub mod scope;
pub mod walk;

use std::collections::{HashMap, HashSet};

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::diag::Span;

/// What a node stands for. Names are local to the node's module.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    /// A `provider` configuration (root module), by key: `local`, `aws.west`.
    Provider(String),
    /// The expansion of a module call (`count`/`for_each`), by call name, in the calling module.
    Expand(String),
    Variable(String),
    Local(String),
    /// A resource or data source, by local address (`local_file.a`, `data.local_file.b`).
    Resource(String),
    Output(String),
}

/// A node: a kind within a static module path (`[]` for the root, call names below it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Node {
    pub module: Vec<String>,
    pub kind: NodeKind,
}

impl Node {
    pub fn new(module: &[String], kind: NodeKind) -> Self {
        Node {
            module: module.to_vec(),
            kind,
        }
    }
}

impl std::fmt::Display for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for m in &self.module {
            write!(f, "module.{m}.")?;
        }
        match &self.kind {
            NodeKind::Provider(k) => write!(f, "provider.{k}"),
            NodeKind::Expand(c) => write!(f, "module.{c}"),
            NodeKind::Variable(n) => write!(f, "var.{n}"),
            NodeKind::Local(n) => write!(f, "local.{n}"),
            NodeKind::Resource(a) => write!(f, "{a}"),
            NodeKind::Output(n) => write!(f, "output.{n}"),
        }
    }
}

/// The DAG: an edge `a -> b` means b depends on a (a is visited first).
#[derive(Debug, Default)]
pub struct Graph {
    pub dag: DiGraph<Node, ()>,
    pub index: HashMap<Node, NodeIndex>,
    /// Where each node is declared, for cycle messages.
    pub spans: HashMap<NodeIndex, Span>,
}

impl Graph {
    pub fn add(&mut self, node: Node, span: Option<Span>) -> NodeIndex {
        if let Some(&i) = self.index.get(&node) {
            return i;
        }
        let i = self.dag.add_node(node.clone());
        self.index.insert(node, i);
        if let Some(s) = span {
            self.spans.insert(i, s);
        }
        i
    }

    pub fn get(&self, node: &Node) -> Option<NodeIndex> {
        self.index.get(node).copied()
    }

    /// The nodes `start` and everything they depend on, directly or not.
    pub fn with_dependencies(&self, start: impl IntoIterator<Item = NodeIndex>) -> HashSet<NodeIndex> {
        let mut stack: Vec<NodeIndex> = start.into_iter().collect();
        let mut seen = HashSet::new();
        while let Some(i) = stack.pop() {
            if seen.insert(i) {
                stack.extend(self.dag.neighbors_directed(i, Direction::Incoming));
            }
        }
        seen
    }

    /// `dependent` depends on `dependency`.
    pub fn connect(&mut self, dependency: NodeIndex, dependent: NodeIndex) {
        self.dag.update_edge(dependency, dependent, ());
    }

    /// The nodes in an order where every node comes after its dependencies, or the cycles.
    pub fn order(&self) -> Result<Vec<NodeIndex>, Vec<Vec<NodeIndex>>> {
        match petgraph::algo::toposort(&self.dag, None) {
            Ok(order) => Ok(order),
            Err(_) => Err(self.cycles()),
        }
    }

    /// Every cycle, one path each: the nodes of each strongly connected component with more than
    /// one node (or a self-loop), in the order of a path through it.
    pub fn cycles(&self) -> Vec<Vec<NodeIndex>> {
        let mut out = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&self.dag) {
            let self_loop = scc.len() == 1 && self.dag.contains_edge(scc[0], scc[0]);
            if scc.len() < 2 && !self_loop {
                continue;
            }
            out.push(self.cycle_path(&scc));
        }
        out
    }

    /// A closed path through a strongly connected component, starting at its smallest node.
    fn cycle_path(&self, scc: &[NodeIndex]) -> Vec<NodeIndex> {
        let members: std::collections::HashSet<NodeIndex> = scc.iter().copied().collect();
        let start = scc
            .iter()
            .copied()
            .min_by_key(|i| self.dag[*i].to_string())
            .unwrap_or(scc[0]);
        // Breadth-first search from start back to start, within the component.
        let mut prev: HashMap<NodeIndex, NodeIndex> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            let mut next: Vec<NodeIndex> = self.dag.neighbors(n).filter(|m| members.contains(m)).collect();
            next.sort_by_key(|i| self.dag[*i].to_string());
            for m in next {
                if m == start {
                    // Dependency direction: start -> ... -> n -> start.
                    let mut path = vec![n];
                    let mut cur = n;
                    while cur != start {
                        let Some(&p) = prev.get(&cur) else { break };
                        cur = p;
                        path.push(cur);
                    }
                    path.reverse();
                    path.push(start);
                    // Reference direction reads better: `a -> b` where a refers to b.
                    path.reverse();
                    return path;
                }
                if !prev.contains_key(&m) && m != start {
                    prev.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        vec![start, start]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(name: &str) -> Node {
        Node::new(&[], NodeKind::Resource(format!("local_value.{name}")))
    }

    #[test]
    fn cycle_path_names_every_node_and_closes() {
        let mut g = Graph::default();
        let a = g.add(res("alpha"), None);
        let b = g.add(res("beta"), None);
        let c = g.add(res("gamma"), None);
        // alpha refers to beta, beta to gamma, gamma to alpha: dependency edges point the other way.
        g.connect(b, a);
        g.connect(c, b);
        g.connect(a, c);
        let cycles = g.order().expect_err("cycle");
        let names: Vec<String> = cycles[0].iter().map(|i| g.dag[*i].to_string()).collect();
        assert_eq!(
            names,
            vec![
                "local_value.alpha",
                "local_value.beta",
                "local_value.gamma",
                "local_value.alpha"
            ]
        );
    }

    #[test]
    fn order_puts_dependencies_first() {
        let mut g = Graph::default();
        let a = g.add(res("a"), None);
        let b = g.add(res("b"), None);
        g.connect(a, b);
        let order = g.order().expect("acyclic");
        assert_eq!(order, vec![a, b]);
    }
}
