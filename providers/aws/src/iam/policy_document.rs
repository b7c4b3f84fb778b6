//! Data source `aws_iam_policy_document`: an IAM policy document rendered from HCL blocks, to
//! the very JSON text Terraform's AWS provider renders for the same input, so that a policy's
//! hash, a plan's diff and the least-privilege lint see the same document under both tools.
//!
//! Terraform's rendering rules, reproduced here (from its `policy_document_data_source.go` and
//! `policy_model.go`):
//! - keys in the order `Version`, `Id`, `Statement`; in a statement `Sid` (only when set),
//!   `Effect`, `Action`, `NotAction`, `Resource`, `NotResource`, `Principal`, `NotPrincipal`,
//!   `Condition`, each left out when empty;
//! - a set of one value renders as a string, a larger one as a list sorted in *descending*
//!   order (Terraform sorts, then reverses);
//! - `principals` blocks of one type merge into one list, in the order of Terraform's set hash
//!   (CRC-32 of the block's serialization, compared as decimal text), and a lone `*`/`*`
//!   principal renders as `"*"`; conditions group by test, then variable, values in order;
//! - `&{var}` becomes `${var}` (not allowed with version 2008-10-17);
//! - source documents merge first, then the statements, then override documents, a statement
//!   with a `Sid` replacing the earlier one with the same `Sid`;
//! - JSON as Go writes it: two-space indentation for `json`, none for `minified_json`, and
//!   `<`, `>`, `&` escaped as `\u003c`, `\u003e`, `\u0026`; `id` is the CRC-32 of `json`.
//!
//! No AWS call is made. What this module leaves to others: comparing documents by meaning
//! (`iam::policies_equivalent`).

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use async_trait::async_trait;
use plinth_sdk::{
    AttrPath, Attribute, BlockSchema, Nesting, ProviderDiagnostic, ProviderError, Schema, Severity, Type, Value,
};
use serde_json::{Map, Value as J};

use crate::util::string;
use crate::{AwsDataSource, Ctx};

pub struct PolicyDocumentData;

const DEFAULT_VERSION: &str = "2012-10-17";
const VERSIONS: [&str; 2] = ["2008-10-17", "2012-10-17"];

fn set_of_strings(description: &str) -> Attribute {
    Attribute::optional(Type::Set(Box::new(Type::String))).describe(description)
}

fn principals_block(description: &str) -> BlockSchema {
    BlockSchema {
        nesting: Nesting::Set,
        schema: Schema::new(description)
            .attr(
                "type",
                Attribute::required(Type::String)
                    .describe("Principal type: `AWS`, `Service`, `Federated`, `CanonicalUser` or `*`."),
            )
            .attr(
                "identifiers",
                Attribute::required(Type::Set(Box::new(Type::String)))
                    .describe("The principals of that type (ARNs, account ids, service names, `*`)."),
            ),
        min_items: 0,
        max_items: None,
        force_new: false,
    }
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let condition = BlockSchema {
        nesting: Nesting::Set,
        schema: Schema::new("A condition of the statement.")
            .attr(
                "test",
                Attribute::required(Type::String).describe("Condition operator, such as `StringEquals`."),
            )
            .attr(
                "variable",
                Attribute::required(Type::String).describe("Context key, such as `aws:SourceAccount`."),
            )
            .attr(
                "values",
                Attribute::required(Type::List(Box::new(Type::String)))
                    .describe("Values compared with the key (ORed), in order."),
            ),
        min_items: 0,
        max_items: None,
        force_new: false,
    };
    let statement = Schema::new("One statement of the document.")
        .attr(
            "sid",
            Attribute::optional(Type::String).describe("Statement id (letters and digits); unique in the document."),
        )
        .attr(
            "effect",
            Attribute::optional(Type::String).describe("`Allow` (default) or `Deny`."),
        )
        .attr("actions", set_of_strings("Actions the statement allows or denies."))
        .attr("not_actions", set_of_strings("Every action except these."))
        .attr("resources", set_of_strings("Resource ARNs the statement applies to."))
        .attr("not_resources", set_of_strings("Every resource except these."))
        .block("principals", principals_block("Who the statement applies to."))
        .block("not_principals", principals_block("Everyone except these principals."))
        .block("condition", condition);
    Schema::new(
        "An IAM policy document rendered from blocks, to the same JSON Terraform renders (statement order kept, \
         one value as a string, sets sorted as Terraform sorts them). Makes no AWS call.",
    )
    .attr(
        "version",
        Attribute::optional_computed(Type::String)
            .describe("Policy language version: 2012-10-17 (default) or 2008-10-17."),
    )
    .attr(
        "policy_id",
        Attribute::optional(Type::String).describe("The document's `Id`."),
    )
    .attr(
        "source_policy_documents",
        Attribute::optional(Type::List(Box::new(Type::String))).describe(
            "Documents (JSON) merged first, in order; the statements' sids must be unique across them. A \
             statement of this document replaces one with the same sid.",
        ),
    )
    .attr(
        "override_policy_documents",
        Attribute::optional(Type::List(Box::new(Type::String))).describe(
            "Documents (JSON) merged last, in order; a statement replaces the earlier one with the same sid.",
        ),
    )
    .attr(
        "source_json",
        Attribute::optional(Type::String).describe("Deprecated and unused in Terraform; must be empty."),
    )
    .attr(
        "override_json",
        Attribute::optional(Type::String).describe("Deprecated and unused in Terraform; must be empty."),
    )
    .block(
        "statement",
        BlockSchema {
            nesting: Nesting::List,
            schema: statement,
            min_items: 0,
            max_items: None,
            force_new: false,
        },
    )
    .attr(
        "json",
        Attribute::computed(Type::String).describe("The document, indented as Terraform indents it."),
    )
    .attr(
        "minified_json",
        Attribute::computed(Type::String).describe("The document without whitespace."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("CRC-32 of `json`, in decimal (as Terraform's id)."),
    )
});

/// Identifiers or values: one string, or a list.
#[derive(Clone, Debug, PartialEq)]
enum Strs {
    One(String),
    Many(Vec<String>),
}

/// One principal entry (a block, or a key of a parsed document's `Principal`).
#[derive(Clone, Debug, PartialEq)]
struct Principal {
    ty: String,
    ids: Strs,
}

#[derive(Clone, Debug, PartialEq)]
struct Condition {
    test: String,
    variable: String,
    values: Strs,
}

/// A statement in Terraform's model. Action and resource fields keep the JSON they came with.
#[derive(Clone, Debug, Default, PartialEq)]
struct Statement {
    sid: String,
    effect: String,
    action: Option<J>,
    not_action: Option<J>,
    resource: Option<J>,
    not_resource: Option<J>,
    principals: Vec<Principal>,
    not_principals: Vec<Principal>,
    conditions: Vec<Condition>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Doc {
    version: String,
    id: String,
    statements: Vec<Statement>,
}

impl Doc {
    /// Terraform's `Merge`: the newer `Id` and the later version win; a statement with a sid
    /// replaces the one with the same sid, the others are appended.
    fn merge(&mut self, new: Doc) {
        if !new.id.is_empty() {
            self.id = new.id;
        }
        if new.version > self.version {
            self.version = new.version;
        }
        for s in new.statements {
            if !s.sid.is_empty()
                && let Some(existing) = self.statements.iter_mut().find(|e| e.sid == s.sid)
            {
                *existing = s;
                continue;
            }
            self.statements.push(s);
        }
    }

    fn to_json(&self) -> J {
        let mut m = Map::new();
        if !self.version.is_empty() {
            m.insert("Version".into(), J::String(self.version.clone()));
        }
        if !self.id.is_empty() {
            m.insert("Id".into(), J::String(self.id.clone()));
        }
        if !self.statements.is_empty() {
            m.insert(
                "Statement".into(),
                J::Array(self.statements.iter().map(Statement::to_json).collect()),
            );
        }
        J::Object(m)
    }
}

fn strs_json(s: &Strs) -> J {
    match s {
        Strs::One(v) => J::String(v.clone()),
        Strs::Many(l) => J::Array(l.iter().cloned().map(J::String).collect()),
    }
}

impl Statement {
    fn to_json(&self) -> J {
        let mut m = Map::new();
        if !self.sid.is_empty() {
            m.insert("Sid".into(), J::String(self.sid.clone()));
        }
        if !self.effect.is_empty() {
            m.insert("Effect".into(), J::String(self.effect.clone()));
        }
        for (k, v) in [
            ("Action", &self.action),
            ("NotAction", &self.not_action),
            ("Resource", &self.resource),
            ("NotResource", &self.not_resource),
        ] {
            if let Some(v) = v {
                m.insert(k.into(), v.clone());
            }
        }
        if !self.principals.is_empty() {
            m.insert("Principal".into(), principals_json(&self.principals));
        }
        if !self.not_principals.is_empty() {
            m.insert("NotPrincipal".into(), principals_json(&self.not_principals));
        }
        if !self.conditions.is_empty() {
            m.insert("Condition".into(), conditions_json(&self.conditions));
        }
        J::Object(m)
    }
}

/// Terraform's principal set marshalling: a lone `*` of type `*` is `"*"`; otherwise one key
/// per type (keys sorted), identifiers of one type joined in the order of the entries, each
/// list sorted descending.
fn principals_json(ps: &[Principal]) -> J {
    if let [p] = ps
        && p.ty == "*"
    {
        match &p.ids {
            Strs::One(s) if s == "*" => return J::String("*".into()),
            Strs::Many(l) if l.len() == 1 && l[0] == "*" => return J::String("*".into()),
            _ => {}
        }
    }
    let mut raw: BTreeMap<String, Strs> = BTreeMap::new();
    for p in ps {
        let entry = raw.remove(&p.ty);
        let merged = match (&p.ids, entry) {
            (Strs::Many(ids), prior) => {
                let mut list = match prior {
                    None => Vec::new(),
                    Some(Strs::One(v)) => vec![v],
                    Some(Strs::Many(l)) => l,
                };
                list.extend(sorted_desc(ids.clone()));
                Strs::Many(list)
            }
            (Strs::One(id), None) => Strs::One(id.clone()),
            (Strs::One(id), Some(Strs::One(v))) => Strs::Many(vec![v, id.clone()]),
            (Strs::One(id), Some(Strs::Many(mut l))) => {
                l.push(id.clone());
                Strs::Many(l)
            }
        };
        raw.insert(p.ty.clone(), merged);
    }
    J::Object(raw.into_iter().map(|(k, v)| (k, strs_json(&v))).collect())
}

/// Terraform's condition set marshalling: grouped by test, then variable (keys sorted), values
/// appended in order, a single value flattened to a string.
fn conditions_json(cs: &[Condition]) -> J {
    let mut raw: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for c in cs {
        let values = raw
            .entry(c.test.clone())
            .or_default()
            .entry(c.variable.clone())
            .or_default();
        match &c.values {
            Strs::One(v) => values.push(v.clone()),
            Strs::Many(l) => values.extend(l.iter().cloned()),
        }
    }
    J::Object(
        raw.into_iter()
            .map(|(test, vars)| {
                let vars: Map<String, J> = vars
                    .into_iter()
                    .map(|(k, mut v)| {
                        let j = if v.len() == 1 {
                            J::String(v.remove(0))
                        } else {
                            J::Array(v.into_iter().map(J::String).collect())
                        };
                        (k, j)
                    })
                    .collect();
                (test, J::Object(vars))
            })
            .collect(),
    )
}

fn sorted_desc(mut l: Vec<String>) -> Vec<String> {
    l.sort();
    l.reverse();
    l
}

/// Terraform's `policyDecodeConfigStrings`: one value as a string, more sorted descending.
fn decode_strings(mut l: Vec<String>) -> Strs {
    if l.len() == 1 {
        Strs::One(l.remove(0))
    } else {
        Strs::Many(sorted_desc(l))
    }
}

/// The JSON of a set attribute, for `Action` and friends.
fn set_json(l: Vec<String>) -> J {
    strs_json(&decode_strings(l))
}

/// `&{var}` to `${var}`, refused in a 2008-10-17 document (which has no policy variables).
fn replace_vars(s: &str, version: &str) -> Result<String, String> {
    if version == "2008-10-17" && s.contains("&{") {
        return Err(format!(
            "found &{{ sequence in ({s}), which is not supported in document version 2008-10-17"
        ));
    }
    Ok(s.replace("&{", "${"))
}

fn replace_all(l: Vec<String>, version: &str) -> Result<Vec<String>, String> {
    l.iter().map(|s| replace_vars(s, version)).collect()
}

/// The strings of a set or list value, in its order; duplicates dropped for a set (`dedup`).
fn strings(v: &Value, dedup: bool) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_list()
        .map(|l| l.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    if dedup {
        let mut seen = HashSet::new();
        out.retain(|s| seen.insert(s.clone()));
    }
    out
}

/// Terraform's set order: elements sorted by the decimal text of their hash code.
fn set_order<T>(items: Vec<T>, hash: impl Fn(&T) -> u32) -> Vec<T> {
    let mut keyed: Vec<(String, T)> = items.into_iter().map(|t| (hash(&t).to_string(), t)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, t)| t).collect()
}

fn crc(s: &str) -> u32 {
    crc32fast::hash(s.as_bytes())
}

/// The `principals` blocks of a statement, in Terraform's set order. The hash is of the
/// block's serialization `identifiers:{ID;...};type:TYPE;`, its identifiers in their own set
/// order (the helper/schema serialization Terraform hashes sets of blocks with).
fn config_principals(v: &Value, version: &str) -> Result<Vec<Principal>, String> {
    let blocks: Vec<(String, Vec<String>)> = v
        .as_list()
        .map(|l| {
            l.iter()
                .map(|b| {
                    let ty = b.get("type").as_str().unwrap_or("").to_string();
                    (ty, set_order(strings(b.get("identifiers"), true), |s| crc(s)))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut seen = HashSet::new();
    let blocks: Vec<(String, Vec<String>)> = blocks.into_iter().filter(|b| seen.insert(b.clone())).collect();
    let blocks = set_order(blocks, |(ty, ids)| {
        let ids: String = ids.iter().map(|i| format!("{i};")).collect();
        crc(&format!("identifiers:{{{ids}}};type:{ty};"))
    });
    blocks
        .into_iter()
        .map(|(ty, ids)| {
            Ok(Principal {
                ty,
                ids: decode_strings(replace_all(ids, version)?),
            })
        })
        .collect()
}

/// The `condition` blocks of a statement, in Terraform's set order (the serialization
/// `test:TEST;values:(V;...);variable:VAR;`). Values keep their order and empty strings.
fn config_conditions(v: &Value, version: &str) -> Result<Vec<Condition>, String> {
    let blocks: Vec<(String, Vec<String>, String)> = v
        .as_list()
        .map(|l| {
            l.iter()
                .map(|b| {
                    (
                        b.get("test").as_str().unwrap_or("").to_string(),
                        strings(b.get("values"), false),
                        b.get("variable").as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut seen = HashSet::new();
    let blocks: Vec<_> = blocks.into_iter().filter(|b| seen.insert(b.clone())).collect();
    let blocks = set_order(blocks, |(test, values, variable)| {
        let values: String = values.iter().map(|v| format!("{v};")).collect();
        crc(&format!("test:{test};values:({values});variable:{variable};"))
    });
    blocks
        .into_iter()
        .map(|(test, values, variable)| {
            let mut values = replace_all(values, version)?;
            let values = if values.len() == 1 {
                Strs::One(values.remove(0))
            } else {
                Strs::Many(values)
            };
            Ok(Condition { test, variable, values })
        })
        .collect()
}

fn err_at(path: AttrPath, message: String) -> ProviderError {
    ProviderError::with_code("InvalidPolicyDocument", message).at(path)
}

fn statement_path(i: usize, attr: &str) -> AttrPath {
    AttrPath::attr("statement")
        .child(plinth_sdk::PathStep::Index(i))
        .child(plinth_sdk::PathStep::Attr(attr.to_string()))
}

/// The document of this data source's own blocks.
fn config_doc(config: &Value) -> Result<Doc, ProviderError> {
    let version = config
        .get("version")
        .as_str()
        .filter(|v| !v.is_empty())
        .unwrap_or(DEFAULT_VERSION)
        .to_string();
    let mut doc = Doc {
        version: version.clone(),
        id: config.get("policy_id").as_str().unwrap_or("").to_string(),
        statements: Vec::new(),
    };
    let mut sids = HashSet::new();
    for (i, s) in config.get("statement").as_list().into_iter().flatten().enumerate() {
        let at = |attr: &str, e: String| err_at(statement_path(i, attr), e);
        let sid = s.get("sid").as_str().unwrap_or("").to_string();
        if !sid.is_empty() && !sids.insert(sid.clone()) {
            return Err(at(
                "sid",
                format!("duplicate Sid ({sid}). Remove the Sid or ensure the Sid is unique."),
            ));
        }
        let set = |k: &str| strings(s.get(k), true);
        let nonempty = |l: Vec<String>| (!l.is_empty()).then_some(l);
        let mut st = Statement {
            sid,
            effect: s.get("effect").as_str().unwrap_or("Allow").to_string(),
            action: nonempty(set("actions")).map(set_json),
            not_action: nonempty(set("not_actions")).map(set_json),
            ..Statement::default()
        };
        if let Some(l) = nonempty(set("resources")) {
            st.resource = Some(set_json(replace_all(l, &version).map_err(|e| at("resources", e))?));
        }
        if let Some(l) = nonempty(set("not_resources")) {
            st.not_resource = Some(set_json(replace_all(l, &version).map_err(|e| at("not_resources", e))?));
        }
        st.principals = config_principals(s.get("principals"), &version).map_err(|e| at("principals", e))?;
        st.not_principals =
            config_principals(s.get("not_principals"), &version).map_err(|e| at("not_principals", e))?;
        st.conditions = config_conditions(s.get("condition"), &version).map_err(|e| at("condition", e))?;
        doc.statements.push(st);
    }
    Ok(doc)
}

/// A member of a JSON object as Go's decoder finds a struct field: the exact key, else one
/// equal to it ignoring case (`"statement"` fills `Statement`).
fn field<'a>(m: &'a Map<String, J>, key: &str) -> Option<&'a J> {
    m.get(key)
        .or_else(|| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

/// A document parsed as Terraform's Go model reads JSON.
fn parse_doc(text: &str) -> Result<Doc, String> {
    let j: J = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let J::Object(m) = j else {
        return Err("a policy document must be a JSON object".into());
    };
    let text_of = |k: &str| -> Result<String, String> {
        match field(&m, k) {
            None | Some(J::Null) => Ok(String::new()),
            Some(J::String(s)) => Ok(s.clone()),
            Some(other) => Err(format!("{k} must be a string, not {other}")),
        }
    };
    let statements = match field(&m, "Statement") {
        None | Some(J::Null) => Vec::new(),
        Some(J::Array(l)) => l.iter().map(parse_statement).collect::<Result<_, _>>()?,
        Some(_) => {
            return Err("Statement must be a list of statements (Terraform reads no single statement object)".into());
        }
    };
    Ok(Doc {
        version: text_of("Version")?,
        id: text_of("Id")?,
        statements,
    })
}

fn parse_statement(j: &J) -> Result<Statement, String> {
    let J::Object(m) = j else {
        return Err(format!("a statement must be an object, not {j}"));
    };
    let text = |k: &str| match field(m, k) {
        Some(J::String(s)) => s.clone(),
        _ => String::new(),
    };
    let kept = |k: &str| field(m, k).filter(|v| !v.is_null()).cloned();
    Ok(Statement {
        sid: text("Sid"),
        effect: text("Effect"),
        action: kept("Action"),
        not_action: kept("NotAction"),
        resource: kept("Resource"),
        not_resource: kept("NotResource"),
        principals: parse_principals(field(m, "Principal"))?,
        not_principals: parse_principals(field(m, "NotPrincipal"))?,
        conditions: parse_conditions(field(m, "Condition"))?,
    })
}

fn parse_principals(j: Option<&J>) -> Result<Vec<Principal>, String> {
    match j {
        None | Some(J::Null) => Ok(Vec::new()),
        Some(J::String(_)) => Ok(vec![Principal {
            ty: "*".into(),
            ids: Strs::Many(vec!["*".into()]),
        }]),
        Some(J::Object(m)) => m
            .iter()
            .map(|(ty, v)| {
                let ids = match v {
                    J::String(s) => Strs::One(s.clone()),
                    J::Array(l) => {
                        let mut ids = l
                            .iter()
                            .enumerate()
                            .map(|(i, x)| {
                                x.as_str()
                                    .map(str::to_string)
                                    .ok_or_else(|| format!("principal {ty:?} identifier {i} must be a string, not {x}"))
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        ids.sort();
                        Strs::Many(ids)
                    }
                    other => return Err(format!("principal {ty:?} must be a string or a list, not {other}")),
                };
                Ok(Principal { ty: ty.clone(), ids })
            })
            .collect(),
        Some(other) => Err(format!("Principal must be \"*\" or an object, not {other}")),
    }
}

/// A condition value as text: Terraform reads strings and booleans (`true` as "true"). A number
/// is read as its text too (Terraform drops it; IAM compares it as text).
fn condition_text(v: &J) -> Option<String> {
    match v {
        J::String(s) => Some(s.clone()),
        J::Bool(b) => Some(b.to_string()),
        J::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn parse_conditions(j: Option<&J>) -> Result<Vec<Condition>, String> {
    let m = match j {
        None | Some(J::Null) => return Ok(Vec::new()),
        Some(J::Object(m)) => m,
        Some(other) => return Err(format!("Condition must be an object, not {other}")),
    };
    let mut out = Vec::new();
    for (test, vars) in m {
        let J::Object(vars) = vars else {
            return Err(format!("Condition {test:?} must be an object of keys and values"));
        };
        for (variable, v) in vars {
            let bad = || format!("Condition {test:?} {variable:?}: values must be strings or booleans, not {v}");
            let values = match v {
                J::Array(l) => Strs::Many(
                    l.iter()
                        .map(|x| condition_text(x).ok_or_else(bad))
                        .collect::<Result<_, _>>()?,
                ),
                J::String(s) => Strs::Many(vec![s.clone()]),
                other => Strs::One(condition_text(other).ok_or_else(bad)?),
            };
            out.push(Condition {
                test: test.clone(),
                variable: variable.clone(),
                values,
            });
        }
    }
    Ok(out)
}

/// JSON text as Go's encoder writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped. These
/// characters only occur inside strings, so replacing them in the whole text is exact.
fn go_escape(text: String) -> String {
    if !text.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The rendered document: `(json, minified_json, id)`.
pub(crate) fn render(config: &Value) -> Result<(String, String, String), ProviderError> {
    for key in ["source_json", "override_json"] {
        if config.get(key).as_str().is_some_and(|s| !s.is_empty()) {
            return Err(err_at(
                AttrPath::attr(key),
                format!(
                    "{key} is deprecated and not used (as in Terraform): use {}",
                    if key == "source_json" {
                        "source_policy_documents"
                    } else {
                        "override_policy_documents"
                    }
                ),
            ));
        }
    }
    let mut merged = Doc::default();
    let mut sids = HashSet::new();
    for (i, text) in strings(config.get("source_policy_documents"), false).iter().enumerate() {
        if text.is_empty() {
            continue;
        }
        let at = AttrPath::attr("source_policy_documents").child(plinth_sdk::PathStep::Index(i));
        let doc = parse_doc(text).map_err(|e| err_at(at.clone(), format!("merging source document {i}: {e}")))?;
        for (n, s) in doc.statements.iter().enumerate() {
            if !s.sid.is_empty() && !sids.insert(s.sid.clone()) {
                return Err(err_at(
                    at,
                    format!(
                        "merging source document {i}: duplicate Sid ({}) in source_policy_documents (statement {n}). \
                         Remove the Sid or ensure Sids are unique.",
                        s.sid
                    ),
                ));
            }
        }
        merged.merge(doc);
    }
    merged.merge(config_doc(config)?);
    for (i, text) in strings(config.get("override_policy_documents"), false)
        .iter()
        .enumerate()
    {
        if text.is_empty() {
            continue;
        }
        let at = AttrPath::attr("override_policy_documents").child(plinth_sdk::PathStep::Index(i));
        let doc = parse_doc(text).map_err(|e| err_at(at, format!("merging override document {i}: {e}")))?;
        merged.merge(doc);
    }
    let j = merged.to_json();
    let pretty = serde_json::to_string_pretty(&j)
        .map_err(|e| ProviderError::new(format!("formatting the policy document: {e}")))?;
    let minified =
        serde_json::to_string(&j).map_err(|e| ProviderError::new(format!("formatting the policy document: {e}")))?;
    let pretty = go_escape(pretty);
    let id = crc(&pretty).to_string();
    Ok((pretty, go_escape(minified), id))
}

fn diag(path: AttrPath, summary: &str, detail: String) -> ProviderDiagnostic {
    ProviderDiagnostic {
        severity: Severity::Error,
        summary: summary.to_string(),
        detail,
        attribute: Some(path),
    }
}

#[async_trait]
impl AwsDataSource for PolicyDocumentData {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy_document"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        if let Some(v) = config.get("version").as_str()
            && !VERSIONS.contains(&v)
        {
            out.push(diag(
                AttrPath::attr("version"),
                "Invalid version",
                format!("expected 2012-10-17 or 2008-10-17, got {v:?}"),
            ));
        }
        for (i, s) in config.get("statement").as_list().into_iter().flatten().enumerate() {
            if let Some(e) = s.get("effect").as_str()
                && e != "Allow"
                && e != "Deny"
            {
                out.push(diag(
                    statement_path(i, "effect"),
                    "Invalid effect",
                    format!("expected Allow or Deny, got {e:?}"),
                ));
            }
            if let Some(sid) = s.get("sid").as_str()
                && !sid.chars().all(|c| c.is_ascii_alphanumeric())
            {
                out.push(diag(
                    statement_path(i, "sid"),
                    "Invalid sid",
                    format!("a sid must only include alphanumeric characters, got {sid:?}"),
                ));
            }
        }
        out
    }

    async fn read(&self, _ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let (json, minified, id) = render(config)?;
        let mut out = config.clone();
        if let Value::Map(m) = &mut out {
            if config.get("version").is_null() {
                m.insert("version".into(), string(DEFAULT_VERSION));
            }
            m.insert("json".into(), string(json));
            m.insert("minified_json".into(), string(minified));
            m.insert("id".into(), string(id));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
