//! Building the graph from a configuration, one small named step at a time:
//! 1. [`add_config_nodes`]: a node per variable, local, output, resource, module call and provider;
//! 2. [`check_bodies`]: resource bodies against their provider schemas (unknown arguments, missing
//!    required ones);
//! 3. [`connect_references`]: an edge from everything an expression refers to;
//! 4. [`connect_modules`]: a module's expansion before everything in it, and call inputs before
//!    the child's variables;
//! 5. [`connect_providers`]: each provider configuration before the resources it manages, through
//!    the module calls' `providers` maps;
//! 6. [`check_cycles`]: every cycle reported with its whole path.
//!
//! Each step is linear in the size of the configuration.

use std::collections::{BTreeMap, HashMap};

use hcl::edit::Span as _;
use hcl::edit::structure::{Body, Structure};
use petgraph::graph::NodeIndex;
use plinth_sdk::{ProviderSchema, Schema};

use super::{Graph, Node, NodeKind};
use crate::config::{Config, Expr, Mode, Module, providers};
use crate::diag::{Diagnostic, Diagnostics, FileId, Span, closest};
use crate::lang::dynamic;
use crate::lang::refs::{Reference, references};

/// The provider schemas a configuration is checked against: those of the providers it uses (see
/// [`crate::workspace::schemas`]; building every provider's schema costs about 23 MB), and
/// the names of every provider this build has, which the "unknown provider" error lists.
#[derive(Default)]
pub struct Schemas {
    pub loaded: HashMap<String, ProviderSchema>,
    pub available: Vec<String>,
}

impl Schemas {
    pub fn get(&self, provider: &str) -> Option<&ProviderSchema> {
        self.loaded.get(provider)
    }
}

/// Every given schema loaded, and only those available (tests).
impl FromIterator<(String, ProviderSchema)> for Schemas {
    fn from_iter<I: IntoIterator<Item = (String, ProviderSchema)>>(iter: I) -> Self {
        let loaded: HashMap<String, ProviderSchema> = iter.into_iter().collect();
        let available = loaded.keys().cloned().collect();
        Schemas { loaded, available }
    }
}

/// Builds the graph of `config`. Diagnostics name every unknown reference, schema mismatch and
/// cycle; the graph is only usable when none is an error.
pub fn build(config: &Config, schemas: &Schemas) -> (Graph, Diagnostics) {
    let mut g = Graph::default();
    let mut diags = Diagnostics::default();
    add_config_nodes(&mut g, &config.root, schemas, &mut diags);
    check_bodies(&config.root, schemas, &mut diags);
    connect_references(&mut g, &config.root, &mut diags);
    connect_modules(&mut g, &config.root, &mut diags);
    connect_providers(&mut g, &config.root, &mut diags);
    check_cycles(&g, &mut diags);
    (g, diags)
}

/// Step 1.
pub fn add_config_nodes(g: &mut Graph, root: &Module, schemas: &Schemas, diags: &mut Diagnostics) {
    for p in &root.providers {
        if schemas.get(&p.name).is_none() {
            diags.push(unknown_provider(&p.name, schemas).with_span(p.span.clone()));
        }
        g.add(Node::new(&[], NodeKind::Provider(p.key())), p.span.clone());
    }
    root.walk(&mut |m: &Module| {
        for (name, v) in &m.variables {
            g.add(Node::new(&m.path, NodeKind::Variable(name.clone())), v.span.clone());
        }
        for (name, l) in &m.locals {
            g.add(Node::new(&m.path, NodeKind::Local(name.clone())), l.expr.span());
        }
        for (name, o) in &m.outputs {
            g.add(Node::new(&m.path, NodeKind::Output(name.clone())), o.span.clone());
        }
        for (addr, r) in &m.resources {
            g.add(Node::new(&m.path, NodeKind::Resource(addr.clone())), r.span.clone());
            if schemas.get(r.provider_name()).is_none() {
                diags.push(unknown_provider(r.provider_name(), schemas).with_span(r.span.clone()));
                continue;
            }
            match providers::resolve(root, &m.path, r) {
                Ok(key) => {
                    g.add(Node::new(&[], NodeKind::Provider(key)), None);
                }
                Err(u) => diags.extend(providers::unavailable_error(m, r, &u)),
            }
        }
        for (name, c) in &m.calls {
            g.add(Node::new(&m.path, NodeKind::Expand(name.clone())), c.span.clone());
        }
    });
}

fn unknown_provider(name: &str, schemas: &Schemas) -> Diagnostic {
    let mut known: Vec<&str> = schemas.available.iter().map(String::as_str).collect();
    known.sort();
    Diagnostic::error(format!("Unknown provider {name:?}")).with_detail(format!(
        "this Plinth has the providers: {}; a resource type's provider is the part of its name before the first underscore",
        known.join(", ")
    ))
}

/// The schema of a resource or data source type, if its provider knows it.
pub fn resource_schema<'a>(schemas: &'a Schemas, provider: &str, mode: Mode, type_name: &str) -> Option<&'a Schema> {
    let p = schemas.get(provider)?;
    match mode {
        Mode::Managed => p.resources.get(type_name),
        Mode::Data => p.data_sources.get(type_name),
    }
}

/// Step 2.
pub fn check_bodies(root: &Module, schemas: &Schemas, diags: &mut Diagnostics) {
    root.walk(&mut |m: &Module| {
        for r in m.resources.values() {
            let Some(p) = schemas.get(r.provider_name()) else {
                continue;
            };
            let (types, what) = match r.mode {
                Mode::Managed => (&p.resources, "resource"),
                Mode::Data => (&p.data_sources, "data source"),
            };
            let Some(schema) = types.get(&r.type_name) else {
                let suggestion = closest(&r.type_name, types.keys().map(String::as_str))
                    .map(|s| format!("did you mean {s:?}? "))
                    .unwrap_or_default();
                let mut all: Vec<&str> = types.keys().map(String::as_str).collect();
                all.sort();
                diags.push(
                    Diagnostic::error(format!("Unknown {what} type {:?}", r.type_name))
                        .with_detail(format!(
                            "{suggestion}provider {:?} has: {}",
                            r.provider_name(),
                            all.join(", ")
                        ))
                        .with_span(r.span.clone()),
                );
                continue;
            };
            check_body(&r.body, schema, r.file, r.span.clone(), &r.type_name, diags);
        }
    });
}

/// Checks one body against a schema: unknown arguments and blocks, missing required arguments,
/// computed-only attributes set by hand, block counts.
pub fn check_body(body: &Body, schema: &Schema, file: usize, span: Option<Span>, what: &str, diags: &mut Diagnostics) {
    let mut block_counts: BTreeMap<&str, usize> = BTreeMap::new();
    // Block types a dynamic block generates: their count is checked once for_each is known.
    let mut generated: Vec<&str> = Vec::new();
    for s in body.iter() {
        match s {
            Structure::Block(b) if b.ident.as_str() == dynamic::KEYWORD => {
                let (d, errs) = dynamic::parse(b, file);
                diags.extend(errs);
                let Some(bs) = schema.blocks.get(d.name) else {
                    if let Some((summary, hint)) = schema.unsupported_message(d.name, what) {
                        diags.push(
                            Diagnostic::error(summary)
                                .with_detail(hint)
                                .with_span(d.name_span.clone().map(|r| Span::new(file, r))),
                        );
                    } else if b.labels.len() == 1 {
                        diags.push(dynamic::unknown_block_type(&d, schema, what, file));
                    }
                    continue;
                };
                generated.push(d.name);
                if let Some(content) = d.content {
                    check_body(
                        content,
                        &bs.schema,
                        file,
                        d.name_span.clone().map(|r| Span::new(file, r)),
                        d.name,
                        diags,
                    );
                }
            }
            Structure::Attribute(a) => {
                let key = a.key.as_str();
                if schema.computed_when_omitted.contains(key) {
                    // The argument syntax of a block computed when omitted (`ingress = []`).
                    if body.blocks().any(|b| b.ident.as_str() == key) {
                        diags.push(
                            Diagnostic::error(format!("Both {key} = ... and {key} blocks"))
                                .with_detail(format!(
                                    "write either {key} = [...] or {key} {{ ... }} blocks, not both"
                                ))
                                .at(file, a.key.span()),
                        );
                    }
                    continue;
                }
                match schema.attributes.get(key) {
                    // A constant is judged here; an expression with references once evaluated
                    // (`lang::body`), since it may well come out null.
                    None if schema.unsupported.contains_key(key) => {
                        if !is_null_literal(&a.value)
                            && references(&a.value).is_empty()
                            && let Some((summary, hint)) = schema.unsupported_message(key, what)
                        {
                            diags.push(Diagnostic::error(summary).with_detail(hint).at(file, a.key.span()));
                        }
                    }
                    None => {
                        let hint = match closest(key, schema.attributes.keys().map(String::as_str)) {
                            Some(s) => format!("did you mean {s:?}?"),
                            None if schema.blocks.contains_key(key) => {
                                format!("{key} is a block: write {key} {{ ... }}")
                            }
                            None => format!(
                                "{what} takes: {}",
                                schema.attributes.keys().cloned().collect::<Vec<_>>().join(", ")
                            ),
                        };
                        diags.push(
                            Diagnostic::error(format!("Unsupported argument {key:?}"))
                                .with_detail(hint)
                                .at(file, a.key.span()),
                        );
                    }
                    Some(attr) if attr.computed && !attr.optional && !attr.required => diags.push(
                        Diagnostic::error(format!("Invalid argument {key:?}"))
                            .with_detail(format!("{key} is set by the provider and cannot be configured"))
                            .at(file, a.key.span()),
                    ),
                    Some(_) => {}
                }
            }
            Structure::Block(b) => {
                let key = b.ident.as_str();
                match schema.blocks.get(key) {
                    None if schema.unsupported.contains_key(key) => {
                        if let Some((summary, hint)) = schema.unsupported_message(key, what) {
                            diags.push(Diagnostic::error(summary).with_detail(hint).at(file, b.ident.span()));
                        }
                    }
                    None => {
                        let hint = match closest(key, schema.blocks.keys().map(String::as_str)) {
                            Some(s) => format!("did you mean {s:?}?"),
                            None if schema.attributes.contains_key(key) => {
                                format!("{key} is an argument: write {key} = ...")
                            }
                            None => format!("{what} has no blocks named {key}"),
                        };
                        diags.push(
                            Diagnostic::error(format!("Unsupported block type {key:?}"))
                                .with_detail(hint)
                                .at(file, b.ident.span()),
                        );
                    }
                    Some(bs) => {
                        *block_counts.entry(key).or_default() += 1;
                        check_body(
                            &b.body,
                            &bs.schema,
                            file,
                            b.ident.span().map(|r| Span::new(file, r)),
                            key,
                            diags,
                        );
                    }
                }
            }
        }
    }
    for (name, attr) in &schema.attributes {
        if attr.required && !body.has_attribute(name) {
            diags.push(
                Diagnostic::error(format!("Missing required argument {name:?}"))
                    .with_detail(format!("{what} needs {name} = ..."))
                    .with_span(span.clone()),
            );
        }
    }
    for (name, b) in &schema.blocks {
        if generated.contains(&name.as_str()) {
            continue;
        }
        let n = block_counts.get(name.as_str()).copied().unwrap_or(0);
        if n < b.min_items {
            diags.push(
                Diagnostic::error(format!("Missing required block {name:?}"))
                    .with_detail(format!("{what} needs at least {} {name} block(s)", b.min_items))
                    .with_span(span.clone()),
            );
        }
        if let Some(max) = b.max_items
            && n > max
        {
            diags.push(
                Diagnostic::error(format!("Too many {name:?} blocks"))
                    .with_detail(format!("{what} takes at most {max}"))
                    .with_span(span.clone()),
            );
        }
    }
}

/// `null` written as such (an unsupported argument set to it is as good as left out).
fn is_null_literal(expr: &hcl::edit::expr::Expression) -> bool {
    matches!(expr, hcl::edit::expr::Expression::Null(_))
}

/// References with the file each is in.
pub type Refs = Vec<(FileId, Reference)>;

/// Every reference in a body, nested and `dynamic` blocks included (without the names `dynamic`
/// iterators bind), with the file it is in.
pub fn body_refs(body: &Body, file: FileId) -> Refs {
    dynamic::body_references(body).into_iter().map(|r| (file, r)).collect()
}

/// Step 3.
pub fn connect_references(g: &mut Graph, root: &Module, diags: &mut Diagnostics) {
    root.walk(&mut |m: &Module| {
        let mut pending: Vec<(Node, Vec<&Expr>)> = Vec::new();
        for (name, l) in &m.locals {
            pending.push((Node::new(&m.path, NodeKind::Local(name.clone())), vec![&l.expr]));
        }
        for (name, o) in &m.outputs {
            let mut exprs = vec![&o.value];
            // `depends_on` adds edges only: the output waits for what it names.
            exprs.extend(&o.depends_on);
            for c in &o.preconditions {
                exprs.push(&c.condition);
                exprs.push(&c.error_message);
            }
            pending.push((Node::new(&m.path, NodeKind::Output(name.clone())), exprs));
        }
        let mut owned: Vec<(Node, Vec<Expr>, Refs)> = Vec::new();
        for (addr, r) in &m.resources {
            let mut exprs: Vec<Expr> = Vec::new();
            exprs.extend(r.count.iter().cloned());
            exprs.extend(r.for_each.iter().cloned());
            exprs.extend(r.depends_on.iter().cloned());
            // A trigger is planned after what it watches, so that its change is known.
            exprs.extend(r.lifecycle.replace_triggered_by.iter().map(|(e, _)| e.clone()));
            for c in r.preconditions.iter().chain(&r.postconditions) {
                exprs.push(c.condition.clone());
                exprs.push(c.error_message.clone());
            }
            exprs.extend(r.provisioners.iter().flat_map(|p| p.exprs()).cloned());
            // A destroy-time provisioner runs when the rest of the configuration may be gone.
            for p in r.provisioners.iter().filter(|p| p.when == crate::config::provisioner::When::Destroy) {
                for e in p.exprs() {
                    for rf in references(&e.expr) {
                        if !matches!(rf.root.as_str(), "self" | "count" | "each") {
                            diags.push(
                                Diagnostic::error("Invalid reference from destroy provisioner")
                                    .with_detail("a destroy-time provisioner may refer only to self, count.index and each.key, as in Terraform: copy what it needs into an attribute of the resource (such as triggers) and read it through self")
                                    .at(e.file, rf.span.clone()),
                            );
                        }
                    }
                }
            }
            let body = body_refs(&r.body, r.file);
            owned.push((Node::new(&m.path, NodeKind::Resource(addr.clone())), exprs, body));
        }
        for (name, c) in &m.calls {
            let mut exprs: Vec<Expr> = Vec::new();
            exprs.extend(c.count.iter().cloned());
            exprs.extend(c.for_each.iter().cloned());
            exprs.extend(c.depends_on.iter().cloned());
            owned.push((Node::new(&m.path, NodeKind::Expand(name.clone())), exprs, Vec::new()));
        }
        for (node, exprs) in pending {
            connect_exprs(g, m, &node, exprs.into_iter(), diags);
        }
        for (node, exprs, body) in owned {
            connect_exprs(g, m, &node, exprs.iter(), diags);
            connect_refs(g, m, &node, body, diags);
        }
        // Provider configurations live in the root and refer to root names.
        if m.path.is_empty() {
            for p in &m.providers {
                let refs = body_refs(&p.body, p.file);
                connect_refs(g, m, &Node::new(&[], NodeKind::Provider(p.key())), refs, diags);
            }
        }
    });
}

fn connect_exprs<'a>(
    g: &mut Graph,
    m: &Module,
    node: &Node,
    exprs: impl Iterator<Item = &'a Expr>,
    diags: &mut Diagnostics,
) {
    let refs = exprs.flat_map(|e| references(&e.expr).into_iter().map(|r| (e.file, r)));
    connect_refs(g, m, node, refs.collect(), diags);
}

fn connect_refs(g: &mut Graph, m: &Module, node: &Node, refs: Refs, diags: &mut Diagnostics) {
    let Some(target) = g.get(node) else { return };
    let is_resource = matches!(node.kind, NodeKind::Resource(_));
    for (file, r) in refs {
        connect_reference(g, m, &r, file, target, diags);
        if r.root == "self" && !is_resource {
            diags.push(
                Diagnostic::error("Invalid \"self\" reference")
                    .with_detail("self is only available in a resource's postcondition and provisioner blocks")
                    .at(file, r.span.clone()),
            );
        }
    }
}

/// Makes `target` depend on what reference `r` (made in module `m`, in `file`) names, or reports
/// why it names nothing.
fn connect_reference(
    g: &mut Graph,
    m: &Module,
    r: &Reference,
    file: FileId,
    target: NodeIndex,
    diags: &mut Diagnostics,
) {
    match resolve(m, r) {
        Ok(deps) => {
            for d in deps {
                if let Some(i) = g.get(&d) {
                    g.connect(i, target);
                }
            }
        }
        Err(d) => diags.push(d.at(file, r.span.clone())),
    }
}

/// The nodes a reference made in module `m` depends on.
pub fn resolve(m: &Module, r: &Reference) -> Result<Vec<Node>, Diagnostic> {
    let first = r.attrs.first().map(String::as_str);
    let here = |kind| Ok(vec![Node::new(&m.path, kind)]);
    match r.root.as_str() {
        "var" => match first {
            Some(n) if m.variables.contains_key(n) => here(NodeKind::Variable(n.to_string())),
            Some(n) => Err(
                Diagnostic::error(format!("Reference to undeclared input variable {n:?}")).with_detail(
                    match closest(n, m.variables.keys().map(String::as_str)) {
                        Some(s) => format!("did you mean var.{s}?"),
                        None => format!("declare it with a variable \"{n}\" {{}} block"),
                    },
                ),
            ),
            None => Err(Diagnostic::error("Invalid reference").with_detail("write var.NAME")),
        },
        "local" => match first {
            Some(n) if m.locals.contains_key(n) => here(NodeKind::Local(n.to_string())),
            Some(n) => Err(
                Diagnostic::error(format!("Reference to undeclared local value {n:?}")).with_detail(
                    match closest(n, m.locals.keys().map(String::as_str)) {
                        Some(s) => format!("did you mean local.{s}?"),
                        None => format!("define it in a locals block: {n} = ..."),
                    },
                ),
            ),
            None => Err(Diagnostic::error("Invalid reference").with_detail("write local.NAME")),
        },
        "module" => {
            let Some(call) = first else {
                return Err(Diagnostic::error("Invalid reference").with_detail("write module.NAME.OUTPUT"));
            };
            let Some(child) = m.children.get(call) else {
                return Err(
                    Diagnostic::error(format!("Reference to undeclared module {call:?}")).with_detail(format!(
                        "declare it with a module \"{call}\" {{ source = \"./...\" }} block"
                    )),
                );
            };
            match r.attrs.get(1) {
                Some(out) if child.outputs.contains_key(out) => {
                    Ok(vec![Node::new(&child.path, NodeKind::Output(out.clone()))])
                }
                Some(out) if out.parse::<usize>().is_err() => Err(Diagnostic::error(format!(
                    "Module {call:?} has no output {out:?}"
                ))
                .with_detail(format!(
                    "its outputs are: {}",
                    child.outputs.keys().cloned().collect::<Vec<_>>().join(", ")
                ))),
                _ => Ok(child
                    .outputs
                    .keys()
                    .map(|o| Node::new(&child.path, NodeKind::Output(o.clone())))
                    .collect()),
            }
        }
        "data" => match (first, r.attrs.get(1)) {
            (Some(t), Some(n)) => {
                let addr = crate::addrs::local_address(crate::addrs::Mode::Data, t, n);
                if m.resources.contains_key(&addr) {
                    here(NodeKind::Resource(addr))
                } else {
                    Err(
                        Diagnostic::error(format!("Reference to undeclared data source {addr:?}"))
                            .with_detail(format!("declare it with a data \"{t}\" \"{n}\" {{ ... }} block")),
                    )
                }
            }
            _ => Err(Diagnostic::error("Invalid reference").with_detail("write data.TYPE.NAME")),
        },
        "count" | "each" | "path" | "env" | "self" | "plinth" | "terraform" => Ok(Vec::new()),
        t => match first {
            Some(n) => {
                let addr = crate::addrs::local_address(crate::addrs::Mode::Managed, t, n);
                if m.resources.contains_key(&addr) {
                    here(NodeKind::Resource(addr))
                } else {
                    let hint = match closest(&addr, m.resources.keys().map(String::as_str)) {
                        Some(s) => format!("did you mean {s}?"),
                        None => format!("declare it with a resource \"{t}\" \"{n}\" {{ ... }} block"),
                    };
                    Err(Diagnostic::error(format!("Reference to undeclared resource {addr:?}")).with_detail(hint))
                }
            }
            None => Err(Diagnostic::error(format!("Unknown name {t:?}")).with_detail(
                "references start with var., local., module., data., a resource type, count., each., path. or env.",
            )),
        },
    }
}

/// Step 4.
pub fn connect_modules(g: &mut Graph, root: &Module, diags: &mut Diagnostics) {
    root.walk(&mut |m: &Module| {
        for (name, call) in &m.calls {
            let Some(child) = m.children.get(name) else { continue };
            let Some(expand) = g.get(&Node::new(&m.path, NodeKind::Expand(name.clone()))) else {
                continue;
            };
            // Everything in the child waits for its expansion.
            let mut child_nodes = Vec::new();
            for v in child.variables.keys() {
                child_nodes.push(NodeKind::Variable(v.clone()));
            }
            for l in child.locals.keys() {
                child_nodes.push(NodeKind::Local(l.clone()));
            }
            for o in child.outputs.keys() {
                child_nodes.push(NodeKind::Output(o.clone()));
            }
            for r in child.resources.keys() {
                child_nodes.push(NodeKind::Resource(r.clone()));
            }
            for c in child.calls.keys() {
                child_nodes.push(NodeKind::Expand(c.clone()));
            }
            for kind in child_nodes {
                if let Some(i) = g.get(&Node::new(&child.path, kind)) {
                    g.connect(expand, i);
                }
            }
            // Inputs: evaluated in the caller, feeding the child's variables.
            for (input, (expr, key_span)) in &call.inputs {
                let Some(var) = g.get(&Node::new(&child.path, NodeKind::Variable(input.clone()))) else {
                    diags.push(
                        Diagnostic::error(format!("Unsupported argument {input:?} in module {name:?}"))
                            .with_detail(format!(
                                "the module declares no variable {input:?}; its variables are: {}",
                                child.variables.keys().cloned().collect::<Vec<_>>().join(", ")
                            ))
                            .at(call.file, key_span.clone()),
                    );
                    continue;
                };
                for r in references(&expr.expr) {
                    connect_reference(g, m, &r, expr.file, var, diags);
                }
            }
            for (vname, v) in &child.variables {
                if v.default.is_none() && !call.inputs.contains_key(vname) {
                    diags.push(
                        Diagnostic::error(format!("Missing required argument {vname:?} in module {name:?}"))
                            .with_detail(format!(
                                "the module's variable {vname:?} has no default: add {vname} = ... to the module block"
                            ))
                            .with_span(call.span.clone()),
                    );
                }
            }
        }
    });
}

/// Step 5. Each resource waits for the root configuration its module's calls resolve it to
/// ([`providers::resolve`]); the calls' `providers` maps are checked here too.
pub fn connect_providers(g: &mut Graph, root: &Module, diags: &mut Diagnostics) {
    providers::check_calls(root, diags);
    root.walk(&mut |m: &Module| {
        for (addr, r) in &m.resources {
            let Ok(key) = providers::resolve(root, &m.path, r) else {
                continue;
            };
            let (Some(p), Some(res)) = (
                g.get(&Node::new(&[], NodeKind::Provider(key))),
                g.get(&Node::new(&m.path, NodeKind::Resource(addr.clone()))),
            ) else {
                continue;
            };
            g.connect(p, res);
        }
    });
}

/// Step 6.
pub fn check_cycles(g: &Graph, diags: &mut Diagnostics) {
    for cycle in g.cycles() {
        let names: Vec<String> = cycle.iter().map(|i| g.dag[*i].to_string()).collect();
        let span = cycle.first().and_then(|i| g.spans.get(i)).cloned();
        diags.push(
            Diagnostic::error(format!("Cycle: {}", names.join(" -> ")))
                .with_detail("these objects refer to each other in a loop; break it by removing one of the references")
                .with_span(span),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_typos_only() {
        let names = ["content", "path", "file_permission"];
        assert_eq!(closest("contnet", names.iter().copied()), Some("content"));
        assert_eq!(closest("zzz", names.iter().copied()), None);
    }
}
