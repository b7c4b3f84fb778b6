//! A module's interface as markdown, like terraform-docs' markdown table: its inputs (the
//! `variable` blocks: type, default, whether required, and the error message of each
//! `validation`) and its outputs (description, sensitive). `plinth module doc DIR` prints it and
//! each `modules/<block>/<platform>/README.md` holds it between [`BEGIN`] and [`END`].
//!
//! Everything comes from the loaded configuration, unevaluated: a default or an error message that
//! is not a plain string is shown as its source text.

use hcl::edit::expr::Expression;

use crate::config::{Expr, Module};
use crate::diag::Sources;

/// The markers around the generated part of a module README (terraform-docs' are
/// `BEGIN_TF_DOCS` / `END_TF_DOCS`): what lies between them is rewritten, the rest is prose.
pub const BEGIN: &str = "<!-- BEGIN_PLINTH_DOCS -->";
pub const END: &str = "<!-- END_PLINTH_DOCS -->";

/// The source text of an expression, on one line.
fn source(sources: &Sources, e: &Expr) -> String {
    let text = e
        .span()
        .and_then(|s| sources.get(s.file).and_then(|f| f.text.get(s.range)))
        .unwrap_or("")
        .to_string();
    one_line(&text)
}

/// Whitespace runs (newlines included) made single spaces, so that text fits a table cell.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for a table cell: on one line, `|` escaped.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

/// Code in a table cell: in backticks (doubled, with spaces, when it holds one), `|` escaped.
fn code(text: &str) -> String {
    let text = cell(text);
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// A string literal's value, or the expression's source text in backticks.
fn message(sources: &Sources, e: &Expr) -> String {
    match &e.expr {
        Expression::String(s) => cell(s.value()),
        _ => code(&source(sources, e)),
    }
}

/// The markdown of `module`'s inputs and outputs, ending with a newline. Both are sorted by name.
pub fn render(module: &Module, sources: &Sources) -> String {
    let mut out = String::from("## Inputs\n\n");
    let mut vars: Vec<_> = module.variables.values().collect();
    vars.sort_by(|a, b| a.name.cmp(&b.name));
    if vars.is_empty() {
        out.push_str("No inputs.\n");
    } else {
        out.push_str("| name | description | type | default | required |\n|---|---|---|---|---|\n");
        for v in &vars {
            let ty = v.ty.as_ref().map_or_else(|| "any".to_string(), |t| t.to_string());
            let default = v
                .default
                .as_ref()
                .map_or_else(|| "n/a".to_string(), |d| code(&source(sources, d)));
            let mut description = cell(&v.description);
            if v.sensitive {
                description = format!("{description} (sensitive)").trim_start().to_string();
            }
            let required = if v.default.is_none() { "yes" } else { "no" };
            out.push_str(&format!(
                "| `{}` | {description} | {} | {default} | {required} |\n",
                v.name,
                code(&ty)
            ));
        }
        let checks: Vec<_> = vars
            .iter()
            .flat_map(|v| v.validations.iter().map(move |c| (&v.name, c)))
            .collect();
        if !checks.is_empty() {
            out.push_str("\n### Validation\n\n| input | error message |\n|---|---|\n");
            for (name, c) in checks {
                out.push_str(&format!("| `{name}` | {} |\n", message(sources, &c.error_message)));
            }
        }
    }
    out.push_str("\n## Outputs\n\n");
    let mut outputs: Vec<_> = module.outputs.values().collect();
    outputs.sort_by(|a, b| a.name.cmp(&b.name));
    if outputs.is_empty() {
        out.push_str("No outputs.\n");
    } else {
        out.push_str("| name | description | sensitive |\n|---|---|---|\n");
        for o in outputs {
            let sensitive = if o.sensitive { "yes" } else { "no" };
            out.push_str(&format!("| `{}` | {} | {sensitive} |\n", o.name, cell(&o.description)));
        }
    }
    out
}
