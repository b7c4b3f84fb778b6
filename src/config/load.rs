//! Reading a configuration directory into a [`Config`].

use std::path::{Path, PathBuf};

use hcl::edit::Span as _;
use hcl::edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl::edit::structure::{Attribute, Block, Body, Structure};
use indexmap::IndexMap;
use plinth_sdk::{AttrPath, PathStep};
use sha2::{Digest, Sha256};

use super::modsrc::{self, Modules};
use super::providers;
use super::*;
use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::lang::typeexpr;

/// Loads the configuration rooted at `dir`. Returns the config (possibly partial) and every
/// diagnostic found; callers stop when any is an error.
pub fn load(dir: &Path) -> (Config, Diagnostics) {
    let (config, diags, _) = load_with(dir, Modules::installed(dir));
    (config, diags)
}

/// [`load`] resolving module sources with `modules` (`plinth init` passes one that fetches).
pub fn load_with(dir: &Path, modules: Modules) -> (Config, Diagnostics, Modules) {
    let mut loader = Loader {
        sources: Sources::default(),
        diags: Diagnostics::default(),
        hasher: Sha256::new(),
        modules,
    };
    let root = loader.load_module(dir, Vec::new(), &mut Vec::new());
    let hash = hex::encode(loader.hasher.finalize());
    (
        Config {
            sources: loader.sources,
            root,
            hash,
        },
        loader.diags,
        loader.modules,
    )
}

/// The `*.hcl` files of a configuration directory, sorted, without `*.vars.hcl`.
pub fn config_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            p.is_file() && name.ends_with(".hcl") && !name.ends_with(".vars.hcl") && !name.starts_with('.')
        })
        .collect();
    files.sort();
    Ok(files)
}

pub(super) struct Loader {
    sources: Sources,
    pub(super) diags: Diagnostics,
    hasher: Sha256,
    modules: Modules,
}

fn err(summary: &str, detail: &str, file: FileId, range: Option<std::ops::Range<usize>>) -> Diagnostic {
    Diagnostic::error(summary).with_detail(detail).at(file, range)
}

/// The largest configuration or variable file Plinth reads: 8 MiB, far above any hand-written
/// configuration (hcl-edit's syntax tree takes tens of bytes per source byte, so this also bounds
/// the memory one file can take). A larger file is refused before it is read (see
/// docs/reliability.md, "Hostile input").
pub const MAX_SOURCE_BYTES: u64 = 8 * 1024 * 1024;

/// How deep module calls may nest (the root's calls are depth 1). Real configurations nest a
/// handful of levels; the limit keeps a chain of generated modules from exhausting the stack.
pub const MAX_MODULE_DEPTH: usize = 64;

/// Reads one source file (`what` names its kind in messages: "configuration file", "variable
/// file"). A file over [`MAX_SOURCE_BYTES`] or not valid UTF-8 is refused with a diagnostic at
/// `file:line:col` (the first byte that is not UTF-8, or 1:1 for a file too large); the text is
/// then in `sources` so that the diagnostic renders. Never reads more than the limit, so a
/// special file such as `/dev/zero` is refused too.
pub fn read_source(sources: &mut Sources, path: &Path, what: &str) -> Result<String, Diagnostic> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| Diagnostic::error(format!("Cannot read {what} {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        // Keep only the first line for the caret: the rest is never looked at.
        let head = bytes.iter().take(200).take_while(|b| **b != b'\n').count();
        let id = sources.add(path.to_path_buf(), String::from_utf8_lossy(&bytes[..head]).into_owned());
        return Err(
            Diagnostic::error(format!("The {what} is too large (over {} MiB)", MAX_SOURCE_BYTES >> 20))
                .with_detail(format!(
                    "Plinth reads {what}s of at most {} bytes; split it into several files or generate less",
                    MAX_SOURCE_BYTES
                ))
                .at(id, Some(0..head.min(1))),
        );
    }
    match String::from_utf8(bytes) {
        // A UTF-8 byte order mark is not part of the text, as in HCL's own scanner (Terraform
        // reads such files); Windows editors write one.
        Ok(text) => Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        }),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let id = sources.add(path.to_path_buf(), text);
            Err(Diagnostic::error(format!("The {what} is not valid UTF-8"))
                .with_detail("save the file as UTF-8 text; a byte here is not part of any UTF-8 character")
                .at(id, Some(offset..offset + 1)))
        }
    }
}

/// Parses one file's text; a syntax error becomes a diagnostic at its line and column.
pub fn parse_file(sources: &mut Sources, path: PathBuf, text: String) -> (FileId, Result<Body, Diagnostic>) {
    let parsed = hcl::edit::parser::parse_body(&text);
    let id = sources.add(path, text);
    match parsed {
        Ok(body) => (id, Ok(body)),
        Err(e) => {
            let loc = e.location();
            let file = &sources.files[id];
            let offset = line_col_offset(&file.text, loc.line(), loc.column()).unwrap_or(loc.offset());
            if let Some(number) = number_out_of_range(&file.text, offset) {
                return (
                    id,
                    Err(Diagnostic::error("Number out of range")
                        .with_detail(
                            "the number is beyond what a 64-bit floating-point number holds (about 1.8e308); write a smaller one, or a string if it is an identifier",
                        )
                        .at(id, Some(number))),
                );
            }
            let end = (offset + 1).min(file.text.len().max(offset));
            let message = e.message().to_string();
            let summary = if message.is_empty() {
                "Invalid syntax".to_string()
            } else {
                format!("Invalid syntax: {message}")
            };
            (
                id,
                Err(Diagnostic::error(summary)
                    .with_detail("check for a missing quote, bracket, brace or `=` near here")
                    .at(id, Some(offset..end))),
            )
        }
    }
}

/// The number literal on the line of a syntax error at `offset` that no `f64` holds (hcl-edit
/// refuses such a literal with an error about what it expected next, at the attribute or in the
/// middle of the literal): its byte range, or `None` when the line has none.
fn number_out_of_range(text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text.as_bytes()[start..end];
    let mut i = 0;
    while i < line.len() {
        let boundary =
            i == 0 || !(line[i - 1].is_ascii_alphanumeric() || matches!(line[i - 1], b'_' | b'.' | b'-' | b'"'));
        if !(boundary && line[i].is_ascii_digit()) {
            i += 1;
            continue;
        }
        // HCL's number: digits, an optional fraction, an optional exponent.
        let from = i;
        let digits = |i: &mut usize| {
            while *i < line.len() && line[*i].is_ascii_digit() {
                *i += 1;
            }
        };
        digits(&mut i);
        if i + 1 < line.len() && line[i] == b'.' && line[i + 1].is_ascii_digit() {
            i += 1;
            digits(&mut i);
        }
        if i < line.len() && matches!(line[i], b'e' | b'E') {
            let mut j = i + 1;
            if j < line.len() && matches!(line[j], b'+' | b'-') {
                j += 1;
            }
            if j < line.len() && line[j].is_ascii_digit() {
                i = j;
                digits(&mut i);
            }
        }
        let literal = std::str::from_utf8(&line[from..i]).ok()?;
        if literal.parse::<f64>().is_ok_and(f64::is_infinite) {
            return Some(start + from..start + i);
        }
    }
    None
}

fn line_col_offset(text: &str, line: usize, col: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let line_text = &text[start..];
    let byte = line_text
        .char_indices()
        .nth(col.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(line_text.len());
    Some(start + byte)
}

impl Loader {
    fn load_module(&mut self, dir: &Path, path: Vec<String>, stack: &mut Vec<PathBuf>) -> Module {
        let mut module = Module {
            dir: dir.to_path_buf(),
            path,
            ..Default::default()
        };
        let files = match config_files(dir) {
            Ok(f) => f,
            Err(e) => {
                self.diags.push(Diagnostic::error(format!(
                    "Cannot read configuration directory {}: {e}",
                    dir.display()
                )));
                return module;
            }
        };
        if files.is_empty() && module.path.is_empty() {
            self.diags.push(
                Diagnostic::error(format!("No configuration files in {}", dir.display())).with_detail(
                    "Plinth reads every *.hcl file in the directory (run with -C DIR to point at another one)",
                ),
            );
        }
        for file in files {
            let text = match read_source(&mut self.sources, &file, "configuration file") {
                Ok(t) => t,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            self.hasher.update(file.to_string_lossy().as_bytes());
            self.hasher.update([0]);
            self.hasher.update(text.as_bytes());
            self.hasher.update([0]);
            let (id, body) = parse_file(&mut self.sources, file, text);
            match body {
                Ok(body) => self.add_body(&mut module, id, body),
                Err(d) => self.diags.push(d),
            }
        }
        let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        stack.push(canonical);
        type Call = (String, String, Option<String>, Option<Span>, Option<Span>);
        let calls: Vec<Call> = module
            .calls
            .values()
            .map(|c| {
                (
                    c.name.clone(),
                    c.source.clone(),
                    c.version.clone(),
                    c.source_span.clone(),
                    c.span.clone(),
                )
            })
            .collect();
        for (name, source, version, source_span, span) in calls {
            // Remote modules are installed by this key: `net`, `net.inner`.
            let key = module.path.iter().chain([&name]).cloned().collect::<Vec<_>>().join(".");
            let child_dir =
                match self
                    .modules
                    .resolve(dir, &key, &source, version.as_deref(), source_span.or(span.clone()))
                {
                    Ok(d) => d,
                    Err(d) => {
                        self.diags.push(d);
                        continue;
                    }
                };
            let canonical = std::fs::canonicalize(&child_dir).unwrap_or_else(|_| child_dir.clone());
            if !child_dir.is_dir() {
                self.diags.push(
                    Diagnostic::error(format!("Module source {source:?} is not a directory"))
                        .with_detail(format!("looked for {}; a local source is a path relative to the calling module, such as \"./modules/net\"", child_dir.display()))
                        .with_span(span),
                );
                continue;
            }
            if stack.contains(&canonical) {
                self.diags.push(
                    Diagnostic::error(format!("Module {name:?} calls itself"))
                        .with_detail("a module's source may not include one of its own callers")
                        .with_span(span),
                );
                continue;
            }
            if module.path.len() >= MAX_MODULE_DEPTH {
                self.diags.push(
                    Diagnostic::error(format!(
                        "Module {name:?} nests modules more than {MAX_MODULE_DEPTH} levels deep"
                    ))
                    .with_detail(format!(
                        "module calls may nest at most {MAX_MODULE_DEPTH} levels; a chain this deep is almost certainly generated by mistake"
                    ))
                    .with_span(span),
                );
                continue;
            }
            let mut child_path = module.path.clone();
            child_path.push(name.clone());
            let child = self.load_module(&child_dir, child_path, stack);
            module.children.insert(name, child);
        }
        stack.pop();
        module
    }

    fn add_body(&mut self, m: &mut Module, file: FileId, body: Body) {
        for structure in body.into_iter() {
            match structure {
                Structure::Attribute(a) => self.diags.push(err(
                    &format!("Unexpected attribute {:?} at the top level", a.key.as_str()),
                    "top-level attributes belong inside a block, such as `locals { ... }`",
                    file,
                    a.key.span(),
                )),
                Structure::Block(b) => self.add_block(m, file, b),
            }
        }
    }

    fn labels(&mut self, b: &Block, file: FileId, want: usize, what: &str) -> Option<Vec<String>> {
        if b.labels.len() != want {
            self.diags.push(err(
                &format!(
                    "A {} block needs {want} label(s), found {}",
                    b.ident.as_str(),
                    b.labels.len()
                ),
                &format!("write it as {what}"),
                file,
                b.ident.span(),
            ));
            return None;
        }
        Some(b.labels.iter().map(|l| l.as_str().to_string()).collect())
    }

    fn add_block(&mut self, m: &mut Module, file: FileId, b: Block) {
        let header = b.ident.span().map(|r| {
            let end = b.labels.last().and_then(|l| l.span()).map_or(r.end, |l| l.end);
            Span::new(file, r.start..end)
        });
        match b.ident.as_str() {
            "plinth" | "terraform" => self.settings(m, file, b),
            "provider" => {
                let Some(l) = self.labels(&b, file, 1, "provider \"NAME\" { ... }") else {
                    return;
                };
                let mut body = b.body;
                let alias = body
                    .remove_attribute("alias")
                    .and_then(|a| self.literal_string(&a, file));
                if !m.path.is_empty() {
                    self.child_provider_block(m, l[0].clone(), alias, &body, header);
                    return;
                }
                m.providers.push(ProviderBlock {
                    name: l[0].clone(),
                    alias,
                    body,
                    file,
                    span: header,
                });
            }
            "variable" => {
                let Some(l) = self.labels(&b, file, 1, "variable \"NAME\" { ... }") else {
                    return;
                };
                let name = l[0].clone();
                if m.variables.contains_key(&name) {
                    self.diags.push(err(
                        &format!("Duplicate variable {name:?}"),
                        "each variable is declared once per module",
                        file,
                        b.ident.span(),
                    ));
                    return;
                }
                let v = self.variable(name.clone(), file, b.body, header);
                m.variables.insert(name, v);
            }
            "locals" => {
                for s in b.body.into_iter() {
                    match s {
                        Structure::Attribute(a) => {
                            let name = a.key.as_str().to_string();
                            if m.locals.contains_key(&name) {
                                self.diags.push(err(
                                    &format!("Duplicate local value {name:?}"),
                                    "each local is defined once per module",
                                    file,
                                    a.key.span(),
                                ));
                                continue;
                            }
                            m.locals.insert(
                                name.clone(),
                                Local {
                                    name,
                                    expr: Expr { file, expr: a.value },
                                },
                            );
                        }
                        Structure::Block(inner) => self.diags.push(err(
                            "Blocks are not allowed in locals",
                            "a locals block holds only `name = expression` lines",
                            file,
                            inner.ident.span(),
                        )),
                    }
                }
            }
            "output" => {
                let Some(l) = self.labels(&b, file, 1, "output \"NAME\" { value = ... }") else {
                    return;
                };
                let name = l[0].clone();
                if m.outputs.contains_key(&name) {
                    self.diags.push(err(
                        &format!("Duplicate output {name:?}"),
                        "each output is declared once per module",
                        file,
                        b.ident.span(),
                    ));
                    return;
                }
                if let Some(o) = self.output(name.clone(), file, b.body, header) {
                    m.outputs.insert(name, o);
                }
            }
            "resource" | "data" => {
                let mode = if b.ident.as_str() == "data" {
                    Mode::Data
                } else {
                    Mode::Managed
                };
                let what = format!("{} \"TYPE\" \"NAME\" {{ ... }}", b.ident.as_str());
                let Some(l) = self.labels(&b, file, 2, &what) else {
                    return;
                };
                let r = self.resource(mode, l[0].clone(), l[1].clone(), file, b.body, header);
                let key = r.local_address();
                if m.resources.contains_key(&key) {
                    self.diags.push(
                        Diagnostic::error(format!("Duplicate resource {key:?}"))
                            .with_detail("each resource address is declared once per module; rename one of them")
                            .with_span(r.span.clone()),
                    );
                    return;
                }
                m.resources.insert(key, r);
            }
            "module" => {
                let Some(l) = self.labels(&b, file, 1, "module \"NAME\" { source = \"./path\" }") else {
                    return;
                };
                if let Some(c) = self.module_call(l[0].clone(), file, b.body, header) {
                    if m.calls.contains_key(&c.name) {
                        self.diags.push(
                            Diagnostic::error(format!("Duplicate module call {:?}", c.name)).with_span(c.span.clone()),
                        );
                        return;
                    }
                    m.calls.insert(c.name.clone(), c);
                }
            }
            "import" => {
                if let Some(i) = import::parse(file, b, &mut self.diags) {
                    if m.path.is_empty() {
                        m.imports.push(i);
                    } else {
                        self.diags.push(
                            Diagnostic::error("Import blocks are only allowed in the root module")
                                .with_detail("move the import block to the root configuration and write its to address with the module prefix")
                                .with_span(i.span),
                        );
                    }
                }
            }
            "check" => self.check_block(m, file, b, header),
            "moved" => {
                let text = &self.sources.files[file].text;
                if let Some(mv) = super::refactor::moved(&mut self.diags, text, file, b, header) {
                    m.moved.push(mv);
                }
            }
            "removed" => {
                let text = &self.sources.files[file].text;
                if let Some(rm) = super::refactor::removed(&mut self.diags, text, file, b, header) {
                    m.removed.push(rm);
                }
            }
            // Terraform 1.10's ephemeral resources need providers that open and close them
            // around each run; none of Plinth's does yet.
            "ephemeral" => self.diags.push(err(
                "Ephemeral resources are not supported yet",
                "read the value with a data source (data \"TYPE\" \"NAME\" { ... }) or with secret(\"SOURCE\") instead: Plinth keeps neither a sensitive value nor a secret in state or plan files",
                file,
                header.as_ref().map(|h| h.range.clone()),
            )),
            other => self.diags.push(err(
                &format!("Unsupported block type {other:?}"),
                "top-level blocks are plinth, provider, variable, locals, output, resource, data, module, moved, removed, import and check",
                file,
                b.ident.span(),
            )),
        }
    }

    /// A `provider` block in a child module. An empty one (at most `alias`) is the legacy way to
    /// say which configurations the module expects, as Terraform still accepts; one with
    /// arguments is refused: configurations live in the root and are passed down.
    fn child_provider_block(
        &mut self,
        m: &mut Module,
        name: String,
        alias: Option<String>,
        body: &Body,
        header: Option<Span>,
    ) {
        if body.iter().next().is_some() {
            let key = providers::ProviderAddr {
                name: name.clone(),
                alias: alias.clone(),
            }
            .key();
            self.diags.push(
                Diagnostic::error(format!("Provider configuration block in module.{}", m.path.join(".module.")))
                    .with_detail(format!(
                        "provider blocks with arguments belong in the root module: move this block there and pass it to the module with providers = {{ {key} = {key} }} in its module block"
                    ))
                    .with_span(header),
            );
            return;
        }
        if let Some(alias) = alias {
            m.expected_aliases.push(providers::ExpectedAlias {
                addr: providers::ProviderAddr {
                    name,
                    alias: Some(alias),
                },
                span: header,
            });
        }
    }

    /// `required_providers { NAME = { source, version, configuration_aliases = [NAME.ALIAS] } }`:
    /// providers are built in, so only a child module's `configuration_aliases` matter.
    fn required_providers(&mut self, m: &mut Module, file: FileId, body: Body) {
        for s in body.into_iter() {
            let Structure::Attribute(a) = s else { continue };
            let Expression::Object(o) = &a.value else { continue };
            for (k, v) in o.iter() {
                let is_aliases = matches!(k, ObjectKey::Ident(id) if id.value().as_str() == "configuration_aliases");
                if !is_aliases {
                    continue;
                }
                let items = match v.expr() {
                    Expression::Array(items) => items.iter().collect::<Vec<_>>(),
                    other => {
                        self.diags.push(err(
                            "configuration_aliases must be a list",
                            &format!("write configuration_aliases = [{}.ALIAS, ...]", a.key.as_str()),
                            file,
                            other.span(),
                        ));
                        continue;
                    }
                };
                for item in items {
                    match provider_addr(item) {
                        Some(addr) if addr.alias.is_some() && addr.name == a.key.as_str() => {
                            if !m.path.is_empty() {
                                m.expected_aliases.push(providers::ExpectedAlias {
                                    addr,
                                    span: item.span().map(|r| Span::new(file, r)),
                                });
                            }
                        }
                        _ => self.diags.push(err(
                            "Invalid configuration alias",
                            &format!(
                                "write {}.ALIAS, without quotes: an alias of the provider this entry declares",
                                a.key.as_str()
                            ),
                            file,
                            item.span(),
                        )),
                    }
                }
            }
        }
    }

    fn settings(&mut self, m: &mut Module, file: FileId, b: Block) {
        if !m.path.is_empty() {
            // A child module's settings are its caller's, except what it expects to be passed.
            for s in b.body.into_iter() {
                if let Structure::Block(inner) = s
                    && inner.ident.as_str() == "required_providers"
                {
                    self.required_providers(m, file, inner.body);
                }
            }
            return;
        }
        for s in b.body.into_iter() {
            match s {
                Structure::Attribute(a) if a.key.as_str() == "required_version" => {
                    m.settings.required_version = self.literal_string(&a, file);
                }
                Structure::Block(inner) if inner.ident.as_str() == "backend" => {
                    // The kind and its arguments are checked where backends are known
                    // (`workspace::check_backend_block`), with every other configuration check.
                    if let Some(l) = self.labels(&inner, file, 1, "backend \"KIND\" { ... }") {
                        let span = inner.labels.first().and_then(|l| l.span());
                        m.settings.backend = Some(BackendBlock {
                            kind: l[0].clone(),
                            kind_span: span,
                            body: inner.body,
                            file,
                        });
                    }
                }
                Structure::Block(inner) if inner.ident.as_str() == "encryption" => {
                    for a in inner.body.into_attributes() {
                        if a.key.as_str() == "key" {
                            m.settings.encryption_key = Some(Expr { file, expr: a.value });
                        } else {
                            self.diags.push(err(
                                &format!("Unsupported argument {:?} in encryption", a.key.as_str()),
                                "encryption takes `key`",
                                file,
                                a.key.span(),
                            ));
                        }
                    }
                }
                Structure::Block(inner) if inner.ident.as_str() == "required_providers" => {
                    self.required_providers(m, file, inner.body)
                }
                // Module authors' metadata sent to a provider (Terraform passes it to providers
                // that ask for it; Plinth's built-in providers ask for none): accepted, unused.
                Structure::Block(inner) if inner.ident.as_str() == "provider_meta" => {}
                Structure::Attribute(a) => self.diags.push(err(
                    &format!("Unsupported argument {:?} in the plinth block", a.key.as_str()),
                    "the plinth block takes required_version, backend and encryption",
                    file,
                    a.key.span(),
                )),
                Structure::Block(inner) => self.diags.push(err(
                    &format!("Unsupported block {:?} in the plinth block", inner.ident.as_str()),
                    "the plinth block takes required_version, backend and encryption",
                    file,
                    inner.ident.span(),
                )),
            }
        }
    }

    fn variable(&mut self, name: String, file: FileId, body: Body, span: Option<Span>) -> Variable {
        let mut v = Variable {
            name,
            ty: None,
            type_defaults: None,
            default: None,
            description: String::new(),
            sensitive: false,
            nullable: true,
            validations: Vec::new(),
            span,
        };
        for s in body.into_iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "type" => match legacy_type(&a.value)
                        .map(|t| Ok((t, None)))
                        .unwrap_or_else(|| typeexpr::parse_type_constraint(&a.value))
                    {
                        Ok((t, defaults)) => {
                            v.ty = Some(t);
                            v.type_defaults = defaults;
                        }
                        Err((msg, range)) => self.diags.push(
                            Diagnostic::error("Invalid type constraint")
                                .with_detail(msg)
                                .at(file, range.or_else(|| a.value.span())),
                        ),
                    },
                    "default" => v.default = Some(Expr { file, expr: a.value }),
                    "description" => v.description = self.literal_string(&a, file).unwrap_or_default(),
                    "sensitive" => v.sensitive |= self.literal_bool(&a, file),
                    // Terraform 1.10: a value never persisted. Plinth already persists no sensitive
                    // value anywhere, so an ephemeral variable is a sensitive one.
                    "ephemeral" => v.sensitive |= self.literal_bool(&a, file),
                    "nullable" => v.nullable = self.literal_bool(&a, file),
                    other => self.diags.push(err(
                        &format!("Unsupported argument {other:?} in variable"),
                        "a variable takes type, default, description, sensitive, ephemeral, nullable and validation blocks",
                        file,
                        a.key.span(),
                    )),
                },
                Structure::Block(b) if b.ident.as_str() == "validation" => {
                    if let Some(c) = self.check(file, b) {
                        v.validations.push(c);
                    }
                }
                Structure::Block(b) => self.diags.push(err(
                    &format!("Unsupported block {:?} in variable", b.ident.as_str()),
                    "a variable takes only validation blocks",
                    file,
                    b.ident.span(),
                )),
            }
        }
        v
    }

    pub(super) fn check(&mut self, file: FileId, b: Block) -> Option<Check> {
        let what = b.ident.as_str().to_string();
        let span = b.ident.span();
        let mut condition = None;
        let mut message = None;
        for a in b.body.into_attributes() {
            match a.key.as_str() {
                "condition" => condition = Some(Expr { file, expr: a.value }),
                "error_message" => message = Some(Expr { file, expr: a.value }),
                other => self.diags.push(err(
                    &format!("Unsupported argument {other:?} in {what}"),
                    "takes condition and error_message",
                    file,
                    a.key.span(),
                )),
            }
        }
        match (condition, message) {
            (Some(condition), Some(error_message)) => Some(Check {
                condition,
                error_message,
            }),
            _ => {
                self.diags.push(err(
                    &format!("A {what} block needs condition and error_message"),
                    "write both: condition = <bool expression>, error_message = \"...\"",
                    file,
                    span,
                ));
                None
            }
        }
    }

    fn output(&mut self, name: String, file: FileId, body: Body, span: Option<Span>) -> Option<Output> {
        let mut value = None;
        let mut o_desc = String::new();
        let mut sensitive = false;
        let mut depends_on = Vec::new();
        let mut preconditions = Vec::new();
        for s in body.into_iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "value" => value = Some(Expr { file, expr: a.value }),
                    "description" => o_desc = self.literal_string(&a, file).unwrap_or_default(),
                    "sensitive" => sensitive = self.literal_bool(&a, file),
                    "depends_on" => depends_on = self.expr_list(&a, file),
                    other => self.diags.push(err(
                        &format!("Unsupported argument {other:?} in output"),
                        "an output takes value, description, sensitive and depends_on",
                        file,
                        a.key.span(),
                    )),
                },
                Structure::Block(b) if b.ident.as_str() == "precondition" => preconditions.extend(self.check(file, b)),
                Structure::Block(b) => self.diags.push(err(
                    &format!("Unsupported block {:?} in output", b.ident.as_str()),
                    "",
                    file,
                    b.ident.span(),
                )),
            }
        }
        let Some(value) = value else {
            self.diags.push(
                Diagnostic::error(format!("Output {name:?} has no value"))
                    .with_detail("add `value = <expression>`")
                    .with_span(span),
            );
            return None;
        };
        Some(Output {
            name,
            value,
            description: o_desc,
            sensitive,
            depends_on,
            preconditions,
            span,
        })
    }

    pub(super) fn resource(
        &mut self,
        mode: Mode,
        type_name: String,
        name: String,
        file: FileId,
        body: Body,
        span: Option<Span>,
    ) -> Resource {
        let mut r = Resource {
            mode,
            type_name,
            name,
            file,
            span,
            count: None,
            for_each: None,
            depends_on: Vec::new(),
            provider: None,
            lifecycle: Lifecycle::default(),
            preconditions: Vec::new(),
            postconditions: Vec::new(),
            provisioners: Vec::new(),
            body: Body::new(),
        };
        for s in body.into_iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "count" => r.count = Some(Expr { file, expr: a.value }),
                    "for_each" => r.for_each = Some(Expr { file, expr: a.value }),
                    "depends_on" => r.depends_on = self.expr_list(&a, file),
                    "provider" => r.provider = self.provider_ref(&a, file),
                    _ => r.body.push(a),
                },
                Structure::Block(b) => match b.ident.as_str() {
                    "lifecycle" => self.lifecycle(&mut r, file, b),
                    "provisioner" if r.mode == Mode::Managed => {
                        let text = &self.sources.files[file].text;
                        if let Some(p) = super::provisioner::read(&mut self.diags, text, file, b) {
                            r.provisioners.push(p);
                        }
                    }
                    "connection" if r.mode == Mode::Managed => {
                        self.diags.push(super::provisioner::connection_refused(file, &b));
                    }
                    _ => r.body.push(b),
                },
            }
        }
        if r.count.is_some() && r.for_each.is_some() {
            self.diags.push(
                Diagnostic::error("count and for_each cannot both be set")
                    .with_detail("use one of them to make several instances")
                    .with_span(r.span.clone()),
            );
        }
        r
    }

    fn lifecycle(&mut self, r: &mut Resource, file: FileId, b: Block) {
        for s in b.body.into_iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "prevent_destroy" => r.lifecycle.prevent_destroy = self.literal_bool(&a, file),
                    "create_before_destroy" => r.lifecycle.create_before_destroy = self.literal_bool(&a, file),
                    "ignore_changes" => r.lifecycle.ignore_changes = self.ignore_changes(&a, file),
                    "replace_triggered_by" => {
                        for e in self.expr_list(&a, file) {
                            match triggers::parse(&e.expr) {
                                Ok(t) => r.lifecycle.replace_triggered_by.push((e, t)),
                                Err((msg, range)) => self.diags.push(
                                    Diagnostic::error("Invalid replace_triggered_by entry")
                                        .with_detail(msg)
                                        .at(file, range.or_else(|| e.expr.span())),
                                ),
                            }
                        }
                    }
                    other => self.diags.push(err(
                        &format!("Unsupported argument {other:?} in lifecycle"),
                        "lifecycle takes prevent_destroy, create_before_destroy, ignore_changes and replace_triggered_by",
                        file,
                        a.key.span(),
                    )),
                },
                Structure::Block(c) => match c.ident.as_str() {
                    "precondition" => r.preconditions.extend(self.check(file, c)),
                    "postcondition" => r.postconditions.extend(self.check(file, c)),
                    other => self.diags.push(err(
                        &format!("Unsupported block {other:?} in lifecycle"),
                        "lifecycle takes precondition and postcondition blocks",
                        file,
                        c.ident.span(),
                    )),
                },
            }
        }
    }

    fn ignore_changes(&mut self, a: &Attribute, file: FileId) -> IgnoreChanges {
        match &a.value {
            Expression::Variable(v) if v.as_str() == "all" => IgnoreChanges::All,
            Expression::Array(items) => {
                let mut paths = Vec::new();
                for item in items.iter() {
                    match static_path(item) {
                        Some(p) => paths.push(p),
                        None => self.diags.push(err(
                            "Invalid ignore_changes entry",
                            "list attribute names, such as [content, tags[\"owner\"]], or write `all`",
                            file,
                            item.span(),
                        )),
                    }
                }
                IgnoreChanges::Paths(paths)
            }
            other => {
                self.diags.push(err(
                    "Invalid ignore_changes",
                    "write a list of attribute names, or `all`",
                    file,
                    other.span(),
                ));
                IgnoreChanges::None
            }
        }
    }

    fn module_call(&mut self, name: String, file: FileId, body: Body, span: Option<Span>) -> Option<ModuleCall> {
        let mut c = ModuleCall {
            name,
            source: String::new(),
            source_span: None,
            file,
            span,
            count: None,
            for_each: None,
            depends_on: Vec::new(),
            inputs: IndexMap::new(),
            providers: None,
            version: None,
        };
        let mut has_source = false;
        let mut has_version = false;
        for s in body.into_iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "source" => {
                        if let Some(src) = self.literal_string(&a, file) {
                            c.source = src;
                            c.source_span = a.value.span().map(|r| Span::new(file, r));
                            has_source = true;
                        }
                    }
                    "version" => {
                        has_version = true;
                        c.version = self.literal_string(&a, file);
                    }
                    "count" => c.count = Some(Expr { file, expr: a.value }),
                    "for_each" => c.for_each = Some(Expr { file, expr: a.value }),
                    "depends_on" => c.depends_on = self.expr_list(&a, file),
                    "providers" => c.providers = Some(self.provider_passes(&a, file)),
                    _ => {
                        let key_span = a.key.span();
                        c.inputs
                            .insert(a.key.as_str().to_string(), (Expr { file, expr: a.value }, key_span));
                    }
                },
                Structure::Block(b) => self.diags.push(err(
                    &format!("Unsupported block {:?} in module call", b.ident.as_str()),
                    "a module call takes source, count, for_each, depends_on and input values",
                    file,
                    b.ident.span(),
                )),
            }
        }
        if !has_source {
            self.diags.push(
                Diagnostic::error(format!("Module call {:?} has no source", c.name))
                    .with_detail("add source = \"./path/to/module\"")
                    .with_span(c.span.clone()),
            );
            return None;
        }
        match modsrc::parse(&c.source, has_version) {
            Ok(_) => Some(c),
            Err(b) => {
                self.diags.push(
                    Diagnostic::error(b.summary)
                        .with_detail(b.hint)
                        .with_span(c.source_span.clone().or(c.span.clone())),
                );
                None
            }
        }
    }

    fn literal_string(&mut self, a: &Attribute, file: FileId) -> Option<String> {
        match &a.value {
            Expression::String(s) => Some(s.value().to_string()),
            // A heredoc or template without interpolations is a literal too (a long `description`
            // is often written `<<-EOT ... EOT`).
            e @ (Expression::StringTemplate(_) | Expression::HeredocTemplate(_)) if literal_template(e) => {
                let ctx = crate::lang::EvalContext {
                    file,
                    scope: &crate::lang::EmptyScope,
                    secrets: &crate::lang::NoSecrets,
                    base_dir: Path::new("."),
                };
                crate::lang::eval::eval(e, &ctx)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
            }
            other => {
                self.diags.push(err(
                    &format!("{} must be a literal string", a.key.as_str()),
                    "write it in quotes, without ${...}",
                    file,
                    other.span(),
                ));
                None
            }
        }
    }

    fn literal_bool(&mut self, a: &Attribute, file: FileId) -> bool {
        match &a.value {
            Expression::Bool(b) => *b.value(),
            other => {
                self.diags.push(err(
                    &format!("{} must be true or false", a.key.as_str()),
                    "this argument is read before evaluation, so it must be a literal",
                    file,
                    other.span(),
                ));
                false
            }
        }
    }

    fn expr_list(&mut self, a: &Attribute, file: FileId) -> Vec<Expr> {
        match &a.value {
            Expression::Array(items) => items.iter().map(|e| Expr { file, expr: e.clone() }).collect(),
            other => {
                self.diags.push(err(
                    &format!("{} must be a list", a.key.as_str()),
                    "write it as [resource_type.name, module.name, ...]",
                    file,
                    other.span(),
                ));
                Vec::new()
            }
        }
    }

    /// `providers = { CHILD = PARENT, ... }` in a module call.
    fn provider_passes(&mut self, a: &Attribute, file: FileId) -> Vec<providers::ProviderPass> {
        let Expression::Object(o) = &a.value else {
            self.diags.push(err(
                "providers must be a map",
                "write providers = { aws = aws.west }: the module's configuration = the caller's",
                file,
                a.value.span(),
            ));
            return Vec::new();
        };
        let mut passes = Vec::new();
        for (k, v) in o.iter() {
            let child = match k {
                ObjectKey::Ident(id) => Some(providers::ProviderAddr {
                    name: id.value().as_str().to_string(),
                    alias: None,
                }),
                ObjectKey::Expression(e) => provider_addr(e),
            };
            let span = match (k.span(), v.expr().span()) {
                (Some(s), Some(e)) => Some(Span::new(file, s.start..e.end)),
                (s, _) => s.map(|r| Span::new(file, r)),
            };
            match (child, provider_addr(v.expr())) {
                (Some(child), Some(parent)) => passes.push(providers::ProviderPass { child, parent, span }),
                _ => self.diags.push(
                    Diagnostic::error("Invalid providers entry")
                        .with_detail("write NAME = NAME or NAME.ALIAS = NAME.ALIAS, without quotes: the module's configuration on the left, the caller's on the right")
                        .with_span(span),
                ),
            }
        }
        passes
    }

    fn provider_ref(&mut self, a: &Attribute, file: FileId) -> Option<(String, Option<String>)> {
        provider_addr(&a.value).map(|p| (p.name, p.alias)).or_else(|| {
            self.diags.push(err(
                "Invalid provider reference",
                "write provider = NAME or provider = NAME.ALIAS, without quotes",
                file,
                a.value.span(),
            ));
            None
        })
    }
}

/// An attribute path written as an expression: `content`, `tags["owner"]`, `columns[0].name`.
pub fn static_path(e: &Expression) -> Option<AttrPath> {
    match e {
        Expression::Variable(v) => Some(AttrPath::attr(v.as_str())),
        Expression::String(s) => Some(AttrPath::attr(s.value())),
        Expression::Traversal(t) => {
            let mut path = static_path(&t.expr)?;
            for op in &t.operators {
                path = match op.value() {
                    TraversalOperator::GetAttr(id) => path.child(PathStep::Attr(id.as_str().to_string())),
                    TraversalOperator::Index(Expression::String(s)) => path.child(PathStep::Key(s.value().to_string())),
                    TraversalOperator::Index(Expression::Number(n)) => {
                        path.child(PathStep::Index(n.value().as_u64()? as usize))
                    }
                    TraversalOperator::LegacyIndex(n) => path.child(PathStep::Index(*n.value() as usize)),
                    _ => return None,
                };
            }
            Some(path)
        }
        _ => None,
    }
}

/// A provider configuration reference, `NAME` or `NAME.ALIAS` without quotes.
fn provider_addr(e: &Expression) -> Option<providers::ProviderAddr> {
    let addr = |name: &str, alias: Option<&str>| providers::ProviderAddr {
        name: name.to_string(),
        alias: alias.map(str::to_string),
    };
    match e {
        Expression::Variable(v) => Some(addr(v.as_str(), None)),
        Expression::Traversal(t) => match (&t.expr, t.operators.as_slice()) {
            (Expression::Variable(v), [op]) => match op.value() {
                TraversalOperator::GetAttr(alias) => Some(addr(v.as_str(), Some(alias.as_str()))),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// Whether `e` is a quoted template or heredoc made of literal text only.
fn literal_template(e: &Expression) -> bool {
    use hcl::edit::template::Element;
    match e {
        Expression::StringTemplate(t) => t.iter().all(|el| matches!(el, Element::Literal(_))),
        Expression::HeredocTemplate(h) => h.template.iter().all(|el| matches!(el, Element::Literal(_))),
        _ => false,
    }
}

/// A variable's legacy bare `type = list` or `type = map` (Terraform 0.11): Terraform still reads
/// them as `list(any)` and `map(any)` in a variable's `type`, and so does Plinth (nowhere else).
fn legacy_type(e: &Expression) -> Option<plinth_sdk::Type> {
    use plinth_sdk::Type;
    match e {
        Expression::Variable(v) => match v.value().as_str() {
            "list" => Some(Type::List(Box::new(Type::Any))),
            "map" => Some(Type::Map(Box::new(Type::Any))),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    /// Writes `files` into a temporary directory (creating subdirectories).
    fn write(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temporary directory");
        for (name, text) in files {
            let path = dir.path().join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("directory");
            }
            std::fs::write(path, text).expect("file");
        }
        dir
    }

    /// Loads `files` and shows the files read, the module tree and the diagnostics with their
    /// positions.
    fn check(files: &[(&str, &str)], expect: Expect) {
        let dir = write(files);
        let (config, diags) = load(dir.path());
        let mut out = String::new();
        for f in &config.sources.files {
            let name = f.path.strip_prefix(dir.path()).unwrap_or(&f.path);
            out.push_str(&format!("read {}\n", name.display()));
        }
        fn tree(m: &Module, out: &mut String) {
            let names = |keys: Vec<&String>| keys.into_iter().cloned().collect::<Vec<_>>().join(" ");
            out.push_str(&format!(
                "module [{}]: variables [{}] locals [{}] outputs [{}] resources [{}] calls [{}]\n",
                m.path.join("."),
                names(m.variables.keys().collect()),
                names(m.locals.keys().collect()),
                names(m.outputs.keys().collect()),
                names(m.resources.keys().collect()),
                names(m.calls.keys().collect()),
            ));
            for child in m.children.values() {
                tree(child, out);
            }
        }
        tree(&config.root, &mut out);
        for d in &diags.0 {
            let at = d
                .span
                .as_ref()
                .and_then(|s| config.sources.location(s, dir.path()))
                .unwrap_or_else(|| "-".to_string());
            let summary = d.summary.replace(&dir.path().display().to_string(), "DIR");
            out.push_str(&format!("{at}: {:?}: {summary}\n", d.severity));
        }
        expect.assert_eq(&out);
    }

    /// A number no `f64` holds is refused as such, at the literal (hcl-edit's own error names
    /// what it expected next, at the attribute or in the middle of the literal).
    #[test]
    fn a_number_out_of_range_is_named_at_the_literal() {
        let digits = "9".repeat(400);
        check(
            &[
                ("a.hcl", &format!("locals {{\n  a = 1\n  big = {digits}\n}}\n")),
                ("b.hcl", "locals {\n  x   = [1, 2e999999999, 3]\n}\n"),
                ("c.hcl", "locals {\n  y = {\n    k = 1.5E+400\n  }\n}\n"),
                (
                    "d.hcl",
                    "locals {\n  fine = 1e308 + 123456789012345678901234567890\n}\n",
                ),
            ],
            expect![[r#"
                read a.hcl
                read b.hcl
                read c.hcl
                read d.hcl
                module []: variables [] locals [fine] outputs [] resources [] calls []
                a.hcl:3:9: Error: Number out of range
                b.hcl:2:13: Error: Number out of range
                c.hcl:3:9: Error: Number out of range
            "#]],
        );
    }

    /// A UTF-8 byte order mark at the start of a file is skipped, as HCL's scanner skips it.
    #[test]
    fn a_byte_order_mark_is_skipped() {
        check(
            &[
                ("a.hcl", "\u{feff}locals {\n  a = 1\n}\n"),
                ("b.hcl", "\u{feff}\u{feff}x = 1\n"),
            ],
            expect![[r#"
                read a.hcl
                read b.hcl
                module []: variables [] locals [a] outputs [] resources [] calls []
                b.hcl:1:1: Error: Invalid syntax: unexpected token
            "#]],
        );
    }

    #[test]
    fn reads_every_hcl_file_but_variable_files_hidden_files_and_others() {
        check(
            &[
                ("b.hcl", "locals {\n  b = 1\n}\n"),
                ("a.hcl", "variable \"v\" {}\n"),
                ("prod.vars.hcl", "v = 1\n"),
                ("x.auto.vars.hcl", "v = 2\n"),
                (".hidden.hcl", "locals {\n  hidden = 1\n}\n"),
                ("notes.txt", "not configuration"),
                ("main.tf", "locals {\n  tf = 1\n}\n"),
                ("sub/c.hcl", "locals {\n  sub = 1\n}\n"),
            ],
            expect![[r#"
                read a.hcl
                read b.hcl
                module []: variables [v] locals [b] outputs [] resources [] calls []
            "#]],
        );
    }

    #[test]
    fn an_empty_directory_is_an_error() {
        check(
            &[("notes.txt", "")],
            expect![[r#"
                module []: variables [] locals [] outputs [] resources [] calls []
                -: Error: No configuration files in DIR
            "#]],
        );
    }

    #[test]
    fn follows_local_module_calls() {
        check(
            &[
                (
                    "main.hcl",
                    "module \"net\" {\n  source = \"./modules/net\"\n}\noutput \"id\" {\n  value = module.net.id\n}\n",
                ),
                (
                    "modules/net/main.hcl",
                    "module \"subnet\" {\n  source = \"../subnet\"\n}\noutput \"id\" {\n  value = module.subnet.id\n}\n",
                ),
                (
                    "modules/subnet/main.hcl",
                    "resource \"local_file\" \"f\" {\n  filename = \"x\"\n}\noutput \"id\" {\n  value = local_file.f.id\n}\n",
                ),
            ],
            expect![[r#"
                read main.hcl
                read modules/net/main.hcl
                read modules/net/../subnet/main.hcl
                module []: variables [] locals [] outputs [id] resources [] calls [net]
                module [net]: variables [] locals [] outputs [id] resources [] calls [subnet]
                module [net.subnet]: variables [] locals [] outputs [id] resources [local_file.f] calls []
            "#]],
        );
    }

    #[test]
    fn refuses_module_cycles_and_missing_sources() {
        check(
            &[
                (
                    "main.hcl",
                    "module \"a\" {\n  source = \"./a\"\n}\nmodule \"gone\" {\n  source = \"./nowhere\"\n}\n",
                ),
                ("a/main.hcl", "module \"back\" {\n  source = \"../\"\n}\n"),
            ],
            expect![[r#"
                read main.hcl
                read a/main.hcl
                module []: variables [] locals [] outputs [] resources [] calls [a gone]
                module [a]: variables [] locals [] outputs [] resources [] calls [back]
                a/main.hcl:1:1: Error: Module "back" calls itself
                main.hcl:4:1: Error: Module source "./nowhere" is not a directory
            "#]],
        );
    }

    #[test]
    fn diagnostics_point_at_the_mistake_and_loading_goes_on() {
        check(
            &[
                (
                    "a.hcl",
                    "locals {\n  ok = 1\n}\nresource \"local_file\" {\n}\nstray = 1\n",
                ),
                ("b.hcl", "locals {\n  x = \"unterminated\n}\n"),
                ("c.hcl", "output \"o\" {\n  value = local.ok\n}\nwhatever \"x\" {}\n"),
            ],
            expect![[r#"
                read a.hcl
                read b.hcl
                read c.hcl
                module []: variables [] locals [ok] outputs [o] resources [] calls []
                a.hcl:4:1: Error: A resource block needs 2 label(s), found 1
                a.hcl:6:1: Error: Unexpected attribute "stray" at the top level
                b.hcl:2:3: Error: Invalid syntax: invalid block body; expected `}`, newline or identifier
                c.hcl:4:1: Error: Unsupported block type "whatever"
            "#]],
        );
    }

    #[test]
    fn the_hash_covers_every_file_name_and_text() {
        let dir = write(&[("main.hcl", "locals {\n  a = 1\n}\n")]);
        let hash = || load(dir.path()).0.hash;
        let base = hash();
        assert_eq!(base.len(), 64);
        assert_eq!(base, hash());
        std::fs::write(dir.path().join("dev.vars.hcl"), "a = 1\n").expect("file");
        assert_eq!(base, hash(), "variable files are not configuration");
        std::fs::write(dir.path().join("main.hcl"), "locals {\n  a = 2\n}\n").expect("file");
        assert_ne!(base, hash());
        std::fs::write(dir.path().join("main.hcl"), "locals {\n  a = 1\n}\n").expect("file");
        assert_eq!(base, hash());
        std::fs::rename(dir.path().join("main.hcl"), dir.path().join("other.hcl")).expect("rename");
        assert_ne!(base, hash(), "a file's name counts");
    }
}
