//! Least-privilege checks that need no cloud: warnings over the loaded configuration's syntax tree.
//!
//! - A `provider` block (or `plinth { encryption { key } }`) with a literal string for a
//!   credential-like argument (its name contains `secret`, `password`, `token`, `access_key` or
//!   `private_key`, and does not end in `_file`, `_path` or `_command`): credentials come from
//!   `secret(...)` sources or the platform's own chain, never from files. The warning names
//!   file:line:col without a source excerpt, because the excerpt would print the credential.
//! - IAM policy documents (`policy` of `aws_iam_role_policy`, `aws_iam_policy`,
//!   `aws_iam_user_policy`, `aws_iam_group_policy`, and `aws_iam_role`'s `inline_policy` blocks)
//!   whose `Allow` statements grant `"Action": "*"`, a whole service (`"s3:*"`), `NotAction`, or
//!   `"Resource": "*"`. The document is checked when it is a constant string or heredoc, or a
//!   `jsonencode({...})`: its argument is evaluated with every reference unknown, so a statement
//!   granting `"Action": "*"` on `aws_s3_bucket.data.arn` still warns for its action, while a
//!   part computed from references (`Resource = "${aws_s3_bucket.data.arn}/*"`) is taken as
//!   scoped. Anything that calls `secret` is skipped: a lint must not read secrets.
//! - Kubernetes `kubernetes_role` / `kubernetes_cluster_role` (and their `_v1` names) `rule` blocks
//!   with `"*"` in `verbs` or `resources`.
//!
//! Each warning names the resource address. The resource types belong to providers that may not
//! be compiled in: the checks read attribute names as Terraform's providers define them, and run
//! on the [`Config`] as loaded, before any schema is consulted.

use hcl::edit::Span as _;
use hcl::edit::expr::{Expression, FuncCall};
use hcl::edit::structure::{Attribute, Body, Structure};
use hcl::edit::template::Element;
use hcl::edit::visit::{self, Visit};
use plinth_sdk::Value;
use serde_json::Value as Json;

use crate::config::{Config, Mode, Module};
use crate::diag::{Diagnostic, Diagnostics, FileId, Span};
use crate::lang::eval::eval;
use crate::lang::{EmptyScope, EvalContext, Scope, ScopeError, Step};
use crate::secrets::sources::Sources;

const CREDENTIAL_WORDS: &[&str] = &["secret", "password", "token", "access_key", "private_key"];
const NOT_CREDENTIAL_SUFFIXES: &[&str] = &["_file", "_files", "_path", "_command"];
const IAM_POLICY_TYPES: &[&str] = &[
    "aws_iam_role_policy",
    "aws_iam_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
];
const K8S_ROLE_TYPES: &[&str] = &[
    "kubernetes_role",
    "kubernetes_role_v1",
    "kubernetes_cluster_role",
    "kubernetes_cluster_role_v1",
];

/// Every least-privilege warning for `config`.
pub fn lint(config: &Config) -> Diagnostics {
    let mut out = Diagnostics::default();
    let base = config.root.dir.clone();
    let at = |file: FileId, attr: &Attribute| {
        attr.key
            .span()
            .and_then(|r| config.sources.location(&Span::new(file, r), &base))
    };
    if let Some(key) = &config.root.settings.encryption_key
        && is_literal_string(&key.expr)
    {
        let mut d = Diagnostic::warning("The state encryption key is written in the configuration").with_detail(
            "anyone who can read the configuration can decrypt the state: use key = secret(\"keyring:plinth/state-key\") (store it with `plinth secret set keyring:plinth/state-key`) or secret(\"env:NAME\")",
        );
        // No span, as for credentials: the excerpt would print the key.
        if let Some(loc) = key.span().and_then(|s| config.sources.location(&s, &base)) {
            d = d.with_address(loc);
        }
        out.push(d);
    }
    config.root.walk(&mut |m: &Module| {
        for p in &m.providers {
            let name = p.key();
            literal_credentials(&p.body, &mut |attr| {
                let mut d = Diagnostic::warning(format!(
                    "provider \"{name}\" has a literal credential in {:?}",
                    attr.key.as_str()
                ))
                .with_detail(format!(
                    "a credential written in a file ends up in version control and every copy of it: use {} = secret(\"keyring:SERVICE/USER\") (store it with `plinth secret set keyring:SERVICE/USER`) or secret(\"env:NAME\"), or leave it out to use the platform's own credential chain",
                    attr.key.as_str()
                ));
                // No span: the source excerpt under a diagnostic would print the credential.
                if let Some(loc) = at(p.file, attr) {
                    d = d.with_address(loc);
                }
                out.push(d);
            });
        }
        let prefix: String = m.path.iter().map(|c| format!("module.{c}.")).collect();
        for r in m.resources.values().filter(|r| r.mode == Mode::Managed) {
            let address = format!("{prefix}{}", r.local_address());
            let ty = r.type_name.as_str();
            if IAM_POLICY_TYPES.contains(&ty) {
                if let Some(a) = r.body.get_attribute("policy") {
                    policy(&address, "policy", a, r.file, m, &mut out);
                }
            } else if ty == "aws_iam_role" {
                for b in r.body.get_blocks("inline_policy") {
                    if let Some(a) = b.body.get_attribute("policy") {
                        policy(&address, "inline_policy.policy", a, r.file, m, &mut out);
                    }
                }
            } else if K8S_ROLE_TYPES.contains(&ty) {
                for (i, b) in r.body.get_blocks("rule").enumerate() {
                    for (attr, what) in [("verbs", "every verb"), ("resources", "every resource")] {
                        let Some(a) = b.body.get_attribute(attr) else { continue };
                        let Some(v) = constant(&a.value, r.file, m) else { continue };
                        if strings(&v.to_json()).iter().any(|s| s == "*") {
                            out.push(
                                Diagnostic::warning(format!(
                                    "{address}: rule {} allows {what} ({attr} = [\"*\"])",
                                    i + 1
                                ))
                                .with_detail(format!(
                                    "list only the {attr} this workload needs: a wildcard grants today's and every future one"
                                ))
                                .with_span(a.value.span().map(|s| Span::new(r.file, s)))
                                .with_address(address.clone()),
                            );
                        }
                    }
                }
            }
        }
    });
    out
}

/// Calls `found` for every credential-like attribute of `body` (nested blocks too) whose value is
/// a literal, non-empty string.
fn literal_credentials(body: &Body, found: &mut dyn FnMut(&Attribute)) {
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let name = a.key.as_str().to_ascii_lowercase();
                let credential = CREDENTIAL_WORDS.iter().any(|w| name.contains(w))
                    && !NOT_CREDENTIAL_SUFFIXES.iter().any(|s| name.ends_with(s));
                if credential && is_literal_string(&a.value) {
                    found(a);
                }
            }
            Structure::Block(b) => literal_credentials(&b.body, found),
        }
    }
}

/// A string written out in full: a quoted string or a template or heredoc without interpolations,
/// not empty.
fn is_literal_string(e: &Expression) -> bool {
    match e {
        Expression::String(s) => !s.value().is_empty(),
        Expression::StringTemplate(t) => {
            t.iter().all(|el| matches!(el, Element::Literal(_)))
                && t.iter()
                    .any(|el| matches!(el, Element::Literal(l) if !l.value().is_empty()))
        }
        Expression::HeredocTemplate(h) => {
            h.template.iter().all(|el| matches!(el, Element::Literal(_)))
                && h.template
                    .iter()
                    .any(|el| matches!(el, Element::Literal(l) if !l.value().trim().is_empty()))
        }
        Expression::Parenthesis(p) => is_literal_string(p.inner()),
        _ => false,
    }
}

/// The value of an expression made of constants only, or `None` (it refers to something, fails,
/// is unknown, or calls `secret`, which a lint must not read).
fn constant(e: &Expression, file: FileId, m: &Module) -> Option<Value> {
    if calls_secret(e) {
        return None;
    }
    let ctx = EvalContext {
        file,
        scope: &EmptyScope,
        secrets: &Sources,
        base_dir: &m.dir,
    };
    let value = eval(e, &ctx).ok()?;
    (!value.contains_unknown()).then_some(value)
}

/// A scope in which every reference is unknown.
struct UnknownScope;

impl Scope for UnknownScope {
    fn lookup(&self, _root: &str, steps: &[Step]) -> Result<(Value, usize), ScopeError> {
        Ok((Value::Unknown, steps.len()))
    }
}

/// Whether `e` calls `secret` anywhere.
fn calls_secret(e: &Expression) -> bool {
    struct CallsSecret(bool);
    impl Visit for CallsSecret {
        fn visit_func_call(&mut self, f: &FuncCall) {
            if f.name.name.value().as_str() == "secret" {
                self.0 = true;
            }
            visit::visit_func_call(self, f);
        }
    }
    let mut v = CallsSecret(false);
    v.visit_expr(e);
    v.0
}

/// The policy document of an attribute as far as it is known without planning: a constant JSON
/// string, or the argument of `jsonencode(...)` with every reference unknown (unknown parts
/// become `null`, which no check matches).
fn policy_document(e: &Expression, file: FileId, m: &Module) -> Option<Json> {
    if let Some(v) = constant(e, file, m) {
        return match v.unmark().0 {
            Value::String(text) => serde_json::from_str(&text).ok(),
            _ => None,
        };
    }
    let Expression::FuncCall(f) = e else { return None };
    if f.name.name.value().as_str() != "jsonencode" || f.args.len() != 1 || calls_secret(e) {
        return None;
    }
    let arg = f.args.iter().next()?;
    let ctx = EvalContext {
        file,
        scope: &UnknownScope,
        secrets: &Sources,
        base_dir: &m.dir,
    };
    match eval(arg, &ctx).ok()?.unmark().0 {
        Value::Unknown => None,
        v => Some(v.to_json()),
    }
}

/// Warns about the wildcard grants of one IAM policy attribute.
fn policy(address: &str, attr: &str, a: &Attribute, file: FileId, m: &Module, out: &mut Diagnostics) {
    let Some(doc) = policy_document(&a.value, file, m) else {
        return;
    };
    let span = a.value.span().map(|r| Span::new(file, r));
    for finding in policy_findings(&doc) {
        out.push(
            Diagnostic::warning(format!("{address}: {attr} {finding}"))
                .with_detail(
                    "grant only the actions this workload calls, on the ARNs of the resources it references (e.g. aws_s3_bucket.data.arn): a wildcard grants today's and every future one",
                )
                .with_span(span.clone())
                .with_address(address),
        );
    }
}

/// What is too broad in a policy document, one phrase per finding.
fn policy_findings(doc: &Json) -> Vec<String> {
    let statements: Vec<&Json> = match doc.get("Statement") {
        Some(Json::Array(items)) => items.iter().collect(),
        Some(one @ Json::Object(_)) => vec![one],
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for (i, st) in statements.iter().enumerate() {
        let effect = st.get("Effect").and_then(Json::as_str).unwrap_or("Allow");
        if !effect.eq_ignore_ascii_case("allow") {
            continue;
        }
        let which = match st.get("Sid").and_then(Json::as_str) {
            Some(sid) if !sid.is_empty() => format!("statement {sid:?}"),
            _ => format!("statement {}", i + 1),
        };
        let actions = st.get("Action").map(strings).unwrap_or_default();
        if actions.iter().any(|a| a == "*") {
            out.push(format!("{which} allows every action (\"Action\": \"*\")"));
        }
        for a in &actions {
            if let Some(service) = a.strip_suffix(":*")
                && !service.is_empty()
                && !service.contains([':', '*'])
            {
                out.push(format!("{which} allows every {service} action (\"Action\": \"{a}\")"));
            }
        }
        if st.get("NotAction").is_some() {
            out.push(format!("{which} allows every action except those in NotAction"));
        }
        if st
            .get("Resource")
            .map(strings)
            .unwrap_or_default()
            .iter()
            .any(|r| r == "*")
        {
            out.push(format!("{which} applies to every resource (\"Resource\": \"*\")"));
        }
        if st.get("NotResource").is_some() {
            out.push(format!("{which} applies to every resource except those in NotResource"));
        }
    }
    out
}

/// A JSON string, or the strings of a JSON array.
fn strings(j: &Json) -> Vec<String> {
    match j {
        Json::String(s) => vec![s.clone()],
        Json::Array(items) => items.iter().filter_map(Json::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load::load;

    fn lint_of(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<Diagnostic>, String) {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            let path = dir.path().join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("mkdir");
            }
            std::fs::write(path, text).expect("write");
        }
        let (config, diags) = load(dir.path());
        assert!(!diags.has_errors(), "{diags:?}");
        let out = lint(&config);
        let rendered = config.sources.render(&out.0, dir.path(), false);
        (dir, out.0, rendered)
    }

    fn summaries(ds: &[Diagnostic]) -> Vec<String> {
        ds.iter().map(|d| d.summary.clone()).collect()
    }

    #[test]
    fn literal_provider_credentials_warn_without_echoing_them() {
        let (_dir, ds, rendered) = lint_of(&[(
            "main.hcl",
            r#"provider "aws" {
  region     = "us-east-1"
  access_key = "AKIAEXAMPLEEXAMPLE"
  secret_key = "s3cr3t-literal-value"
  shared_credentials_files = ["~/.aws/credentials"]
  assume_role {
    role_arn = "arn:aws:iam::123456789012:role/x"
  }
}

provider "kubernetes" {
  alias                  = "gpu"
  token                  = secret("keyring:kube/token")
  client_key_password    = var.pw
  config_path            = "~/.kube/config"
  token_file             = "/var/run/token"
}

variable "pw" {
  type      = string
  sensitive = true
}
"#,
        )]);
        assert_eq!(
            summaries(&ds),
            [
                "provider \"aws\" has a literal credential in \"access_key\"",
                "provider \"aws\" has a literal credential in \"secret_key\"",
            ]
        );
        assert_eq!(ds[0].address.as_deref(), Some("main.hcl:3:3"));
        assert_eq!(ds[1].address.as_deref(), Some("main.hcl:4:3"));
        assert!(ds.iter().all(|d| d.span.is_none() && !d.is_error()));
        assert!(ds[0].detail.contains("secret(\"keyring:"), "{}", ds[0].detail);
        assert!(rendered.starts_with("main.hcl:3:3: warning: "), "{rendered}");
        assert!(!rendered.contains("s3cr3t-literal-value"), "{rendered}");
        assert!(!rendered.contains("AKIAEXAMPLE"), "{rendered}");
    }

    // Provider blocks with arguments live in the root module only (a child module's is a load
    // error, see `config::load`), so the credential sits in a second root file.
    #[test]
    fn credentials_in_second_files_and_encryption_keys() {
        let (_dir, ds, rendered) = lint_of(&[
            (
                "main.hcl",
                "plinth {\n  encryption {\n    key = \"hardcoded-key\"\n  }\n}\n\nmodule \"net\" {\n  source = \"./net\"\n}\n",
            ),
            ("net/main.hcl", "provider \"aws\" {}\n"),
            ("providers.hcl", "provider \"aws\" {\n  token = <<EOT\nabc\nEOT\n}\n"),
        ]);
        assert_eq!(
            summaries(&ds),
            [
                "The state encryption key is written in the configuration",
                "provider \"aws\" has a literal credential in \"token\"",
            ]
        );
        assert_eq!(ds[0].address.as_deref(), Some("main.hcl:3:11"));
        assert_eq!(ds[1].address.as_deref(), Some("providers.hcl:2:3"));
        assert!(
            !rendered.contains("abc") && !rendered.contains("hardcoded-key"),
            "{rendered}"
        );
    }

    #[test]
    fn secret_sources_and_references_do_not_warn() {
        let (_dir, ds, _) = lint_of(&[(
            "main.hcl",
            "plinth {\n  encryption {\n    key = secret(\"keyring:plinth/state-key\")\n  }\n}\nprovider \"aws\" {\n  secret_key = secret(\"env:AWS_SECRET\")\n  token = \"\"\n  password = \"${var.x}\"\n}\nvariable \"x\" {}\n",
        )]);
        assert!(ds.is_empty(), "{ds:?}");
    }

    #[test]
    fn iam_wildcards_are_named_by_address() {
        let (_dir, ds, _) = lint_of(&[
            (
                "main.hcl",
                r#"resource "aws_iam_role_policy" "admin" {
  role = "r"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_policy" "s3" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": {"Sid": "Data", "Effect": "Allow", "Action": ["s3:*", "sagemaker:Describe*"], "Resource": "arn:aws:s3:::data/*"}}
EOF
}

resource "aws_iam_policy" "narrow" {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::data/*"] },
      { Effect = "Deny", Action = "*", Resource = "*" },
    ]
  })
}

resource "aws_iam_policy" "dynamic" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = var.arn }] })
}

resource "aws_iam_policy" "scoped_by_reference" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = [for a in ["Get", "Put"] : "s3:${a}Object"]
      Resource = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    }]
  })
}

resource "aws_iam_policy" "unknown_actions" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = var.actions, Resource = "arn:aws:s3:::x" }] })
}

resource "aws_iam_policy" "whole_document_unknown" {
  policy = jsonencode(var.document)
}

resource "aws_iam_policy" "from_secret" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = secret("env:PLINTH_LINT_NEVER_SET") }] })
}

resource "aws_iam_role" "r" {
  name = "r"
  inline_policy {
    name   = "all"
    policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"arn:x\"}]}"
  }
}

variable "arn" {}
variable "actions" {}
variable "document" {}

module "child" {
  source = "./child"
}
"#,
            ),
            (
                "child/main.hcl",
                "resource \"aws_iam_user_policy\" \"u\" {\n  policy = jsonencode({ Statement = [{ Action = \"ec2:*\", Resource = \"*\" }] })\n}\n",
            ),
        ]);
        assert_eq!(
            summaries(&ds),
            [
                "aws_iam_role_policy.admin: policy statement 1 allows every action (\"Action\": \"*\")",
                "aws_iam_role_policy.admin: policy statement 1 applies to every resource (\"Resource\": \"*\")",
                "aws_iam_policy.s3: policy statement \"Data\" allows every s3 action (\"Action\": \"s3:*\")",
                "aws_iam_policy.dynamic: policy statement 1 allows every action (\"Action\": \"*\")",
                "aws_iam_role.r: inline_policy.policy statement 1 allows every action except those in NotAction",
                "module.child.aws_iam_user_policy.u: policy statement 1 allows every ec2 action (\"Action\": \"ec2:*\")",
                "module.child.aws_iam_user_policy.u: policy statement 1 applies to every resource (\"Resource\": \"*\")",
            ]
        );
        assert_eq!(ds[0].address.as_deref(), Some("aws_iam_role_policy.admin"));
        assert!(ds.iter().all(|d| d.span.is_some()));
    }

    #[test]
    fn kubernetes_role_wildcards() {
        let (_dir, ds, rendered) = lint_of(&[(
            "main.hcl",
            r#"resource "kubernetes_cluster_role" "admin" {
  metadata {
    name = "admin"
  }
  rule {
    api_groups = [""]
    resources  = ["pods"]
    verbs      = ["get", "list"]
  }
  rule {
    api_groups = ["*"]
    resources  = ["*"]
    verbs      = ["*"]
  }
}

resource "kubernetes_role_v1" "reader" {
  metadata {
    name = "reader"
  }
  rule {
    api_groups = [""]
    resources  = ["configmaps"]
    verbs      = ["get"]
  }
}
"#,
        )]);
        assert_eq!(
            summaries(&ds),
            [
                "kubernetes_cluster_role.admin: rule 2 allows every verb (verbs = [\"*\"])",
                "kubernetes_cluster_role.admin: rule 2 allows every resource (resources = [\"*\"])",
            ]
        );
        assert!(
            rendered.contains("main.hcl:13:18: warning: kubernetes_cluster_role.admin: rule 2 allows every verb"),
            "{rendered}"
        );
    }

    #[test]
    fn policy_findings_cover_the_statement_shapes() {
        let doc = serde_json::json!({"Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "iam:*"], "NotResource": "arn:x"},
            {"Action": "sagemaker:*", "Resource": ["arn:a", "*"]},
        ]});
        assert_eq!(
            policy_findings(&doc),
            [
                "statement 1 allows every iam action (\"Action\": \"iam:*\")",
                "statement 1 applies to every resource except those in NotResource",
                "statement 2 allows every sagemaker action (\"Action\": \"sagemaker:*\")",
                "statement 2 applies to every resource (\"Resource\": \"*\")",
            ]
        );
        assert!(policy_findings(&serde_json::json!({"Version": "x"})).is_empty());
    }
}
