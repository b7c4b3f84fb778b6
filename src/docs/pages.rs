//! The generated parts of checked-in pages, found and rewritten in place; the prose around them is
//! never touched.
//!
//! A provider reference page (`docs/providers/*.md`) documents each type under a heading that
//! names it (`` ### `aws_vpc` ``, `### Data source `aws_ami``, `### data "kubernetes_secret"`; the
//! provider block under "Provider configuration"). The generated parts of that heading's section
//! are its first table starting with [`TABLE_HEADER`] and its line starting with
//! [`NOT_YET_PREFIX`]; a section ends at the next heading of any level, and one without such a
//! table is prose that names nothing. One heading names one type: types documented together get
//! a sub-heading each. A type may go without a section of its own when its generated parts are
//! exactly those of a documented type of the same kind: an alias (`aws_alb` of `aws_lb`,
//! `kubernetes_role_v1` of `kubernetes_role`).
//!
//! A module README holds `plinth module doc`'s output between [`module::BEGIN`] and
//! [`module::END`].

use std::fmt;

use plinth_sdk::Schema;

use super::ProviderDoc;
use super::module;
use super::tables::{NOT_YET_PREFIX, TABLE_HEADER, not_yet, table};

/// What a section of a provider page documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The `provider "NAME"` block.
    Provider(String),
    Resource(String),
    DataSource(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Provider(n) => write!(f, "provider \"{n}\""),
            Subject::Resource(n) => write!(f, "{n}"),
            Subject::DataSource(n) => write!(f, "data source {n}"),
        }
    }
}

/// The generated parts of one subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    pub subject: Subject,
    pub table: String,
    pub not_yet: Option<String>,
}

impl Generated {
    fn of(subject: Subject, schema: &Schema) -> Self {
        Generated {
            subject,
            table: table(schema),
            not_yet: not_yet(schema),
        }
    }

    /// The parts as a new section would hold them, to paste under a heading.
    pub fn to_paste(&self) -> String {
        match &self.not_yet {
            Some(n) => format!("{}\n\n{n}\n", self.table),
            None => format!("{}\n", self.table),
        }
    }
}

/// What one provider page should hold: the provider block's table (when it has settings), then
/// every resource and data source of each provider the page documents.
pub fn expected(providers: &[&ProviderDoc]) -> Vec<Generated> {
    let mut out = Vec::new();
    for p in providers {
        let s = &p.schema;
        if !s.provider.attributes.is_empty() || !s.provider.blocks.is_empty() {
            out.push(Generated::of(Subject::Provider(p.name.to_string()), &s.provider));
        }
        for (name, r) in &s.resources {
            out.push(Generated::of(Subject::Resource(name.clone()), r));
        }
        for (name, d) in &s.data_sources {
            out.push(Generated::of(Subject::DataSource(name.clone()), d));
        }
    }
    out
}

/// The outcome of checking one page: its text with every generated part brought up to date, and
/// what was wrong. `text` is worth writing (bless) when `stale` is not empty; `missing` and
/// `problems` need a person.
#[derive(Debug, Default)]
pub struct Checked {
    pub text: String,
    /// Sections whose generated parts differ from the code's, each with a line number.
    pub stale: Vec<String>,
    /// Subjects with no section, each with the generated text to paste under a new heading.
    pub missing: Vec<String>,
    /// Headings that name several types, the same type twice, or no type yet hold a table.
    pub problems: Vec<String>,
}

impl Checked {
    pub fn up_to_date(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.problems.is_empty()
    }
}

/// A heading outside code fences: its line, level and text.
struct Heading {
    line: usize,
    level: usize,
    text: String,
}

/// The words of a heading that can be type names.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// Checks the provider page `text` against `expected` (see the module comment).
pub fn check_provider_page(text: &str, expected: &[Generated]) -> Checked {
    let lines: Vec<&str> = text.split('\n').collect();
    // Which lines are inside code fences.
    let mut fenced = vec![false; lines.len()];
    let mut in_fence = false;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            fenced[i] = true;
        } else {
            fenced[i] = in_fence;
        }
    }
    let headings: Vec<Heading> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !fenced[*i])
        .filter_map(|(i, l)| {
            let level = l.chars().take_while(|c| *c == '#').count();
            let rest = l.get(level..)?;
            (level > 0 && rest.starts_with(' ')).then(|| Heading {
                line: i,
                level,
                text: rest.trim().to_string(),
            })
        })
        .collect();
    let provider_subject = expected.iter().find(|g| matches!(g.subject, Subject::Provider(_)));
    let mut out = Checked::default();
    // (subject index, first line of table, end of table, not-yet line)
    let mut found: Vec<(usize, usize, usize, Option<usize>)> = Vec::new();
    for (h_index, h) in headings.iter().enumerate() {
        let end = headings.get(h_index + 1).map_or(lines.len(), |n| n.line);
        let body = (h.line + 1)..end;
        let Some(start) = body.clone().find(|i| !fenced[*i] && lines[*i] == TABLE_HEADER) else {
            continue;
        };
        let table_end = (start..end).find(|i| !lines[*i].starts_with('|')).unwrap_or(end);
        let not_yet_line = body
            .clone()
            .find(|i| !fenced[*i] && lines[*i].starts_with(NOT_YET_PREFIX));
        let at = format!("line {} (\"{} {}\")", h.line + 1, "#".repeat(h.level), h.text);
        let subjects: Vec<usize> = if h.text.to_lowercase().contains("provider configuration") {
            provider_subject
                .and_then(|p| expected.iter().position(|g| g == p))
                .into_iter()
                .collect()
        } else {
            let data = words(&h.text).any(|w| w.eq_ignore_ascii_case("data"));
            let mut named: Vec<usize> = Vec::new();
            for w in words(&h.text) {
                let hit = expected.iter().position(|g| match &g.subject {
                    Subject::Resource(n) => !data && n == w,
                    Subject::DataSource(n) => data && n == w,
                    Subject::Provider(_) => false,
                });
                if let Some(i) = hit
                    && !named.contains(&i)
                {
                    named.push(i);
                }
            }
            named
        };
        match subjects.as_slice() {
            [] => out.problems.push(format!(
                "{at}: the section has a generated table but its heading names no type of this page"
            )),
            [one] => {
                if let Some(prior) = found.iter().find(|f| f.0 == *one) {
                    out.problems.push(format!(
                        "{at}: {} has a table already under the heading on line {}",
                        expected[*one].subject,
                        headings
                            .iter()
                            .rev()
                            .find(|h| h.line < prior.1)
                            .map_or(0, |h| h.line + 1)
                    ));
                    continue;
                }
                found.push((*one, start, table_end, not_yet_line));
            }
            many => out.problems.push(format!(
                "{at}: the heading names {}; give each type its own heading and table",
                many.iter()
                    .map(|i| expected[*i].subject.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    // Replacements, by line range, applied from the end.
    let mut edits: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for (i, start, table_end, not_yet_line) in &found {
        let g = &expected[*i];
        let current = lines[*start..*table_end].join("\n");
        let mut stale = false;
        if current != g.table {
            stale = true;
            edits.push((*start, *table_end, g.table.split('\n').map(str::to_string).collect()));
        }
        match (not_yet_line, &g.not_yet) {
            (Some(l), Some(n)) if lines[*l] != n.as_str() => {
                stale = true;
                edits.push((*l, l + 1, vec![n.clone()]));
            }
            (Some(l), None) => {
                stale = true;
                // The sentence and the blank line before it.
                let from = if *l > 0 && lines[l - 1].is_empty() { l - 1 } else { *l };
                edits.push((from, l + 1, Vec::new()));
            }
            (None, Some(n)) => {
                stale = true;
                edits.push((*table_end, *table_end, vec![String::new(), n.clone()]));
            }
            _ => {}
        }
        if stale {
            out.stale.push(format!("{} (table on line {})", g.subject, start + 1));
        }
    }
    for (i, g) in expected.iter().enumerate() {
        if found.iter().any(|f| f.0 == i) {
            continue;
        }
        // An alias (`aws_alb` of `aws_lb`, `kubernetes_role_v1` of `kubernetes_role`): the same
        // parts as a documented type of the same kind need no section of their own.
        let alias_of = found.iter().any(|f| {
            let d = &expected[f.0];
            std::mem::discriminant(&d.subject) == std::mem::discriminant(&g.subject)
                && d.table == g.table
                && d.not_yet == g.not_yet
        });
        if !alias_of {
            out.missing.push(format!(
                "{} has no section: add a heading naming it, and below it:\n\n{}",
                g.subject,
                g.to_paste()
            ));
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut new: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    for (from, to, with) in edits {
        new.splice(from..to, with);
    }
    out.text = new.join("\n");
    out
}

/// A module README with `doc` (the output of [`module::render`]) between the markers: replaced
/// there when the README has them, appended when it has not, a new README titled `title` when
/// there is none. Returns the text and whether `existing` was already up to date.
pub fn module_readme(existing: Option<&str>, title: &str, doc: &str) -> (String, bool) {
    let block = format!("{}\n{doc}{}", module::BEGIN, module::END);
    let text = match existing {
        None => format!("# {title}\n\n{block}\n"),
        Some(text) => match (text.find(module::BEGIN), text.find(module::END)) {
            (Some(b), Some(e)) if b < e => {
                format!("{}{block}{}", &text[..b], &text[e + module::END.len()..])
            }
            _ => format!("{}\n\n{block}\n", text.trim_end_matches('\n')),
        },
    };
    let same = existing == Some(text.as_str());
    (text, same)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plinth_sdk::{Attribute, Type};

    fn generated(subject: Subject, s: &Schema) -> Generated {
        Generated::of(subject, s)
    }

    #[test]
    fn stale_tables_and_sentences_are_rewritten_in_place_and_prose_is_kept() {
        let a = Schema::new("")
            .attr("name", Attribute::required(Type::String))
            .unsupported("region", "no");
        let d = Schema::new("").attr("id", Attribute::computed(Type::String));
        let expected = vec![
            generated(Subject::Resource("x_thing".into()), &a),
            generated(Subject::DataSource("x_thing".into()), &d),
            generated(Subject::Resource("x_thing_v1".into()), &a),
        ];
        let page = "# x\n\n## `x_thing`\n\nProse.\n\n| attribute | type | flags | description |\n|---|---|---|---|\n| `old` | string | optional |  |\n\nMore prose.\n\n```hcl\n# x_thing in a fence\n```\n\n## Data source `x_thing`\n\n| attribute | type | flags | description |\n|---|---|---|---|\n| `id` | string | computed |  |\n\nAccepted but not yet supported (an error naming the argument when set to anything but null): `gone`.\n\nEnd.\n";
        let c = check_provider_page(page, &expected);
        assert_eq!(
            c.stale,
            ["x_thing (table on line 7)", "data source x_thing (table on line 19)"]
        );
        assert!(c.missing.is_empty() && c.problems.is_empty(), "{c:?}");
        expect_test::expect![[r#"
            # x

            ## `x_thing`

            Prose.

            | attribute | type | flags | description |
            |---|---|---|---|
            | `name` | string | required |  |

            Accepted but not yet supported (an error naming the argument when set to anything but null): `region`.

            More prose.

            ```hcl
            # x_thing in a fence
            ```

            ## Data source `x_thing`

            | attribute | type | flags | description |
            |---|---|---|---|
            | `id` | string | computed |  |

            End.
        "#]]
        .assert_eq(&c.text);
        let again = check_provider_page(&c.text, &expected);
        assert!(again.up_to_date(), "{again:?}");
        assert_eq!(again.text, c.text);
    }

    #[test]
    fn missing_sections_and_ambiguous_headings_are_reported() {
        let a = Schema::new("").attr("name", Attribute::required(Type::String));
        let b = Schema::new("").attr("other", Attribute::required(Type::String));
        let expected = vec![
            generated(Subject::Resource("x_a".into()), &a),
            generated(Subject::Resource("x_b".into()), &b),
        ];
        let page = "## `x_a` and `x_b`\n\n| attribute | type | flags | description |\n|---|---|---|---|\n";
        let c = check_provider_page(page, &expected);
        assert_eq!(c.problems.len(), 1, "{c:?}");
        assert!(c.problems[0].contains("names x_a, x_b"), "{c:?}");
        assert_eq!(c.missing.len(), 2);
        assert!(c.missing[0].starts_with("x_a has no section"), "{c:?}");
    }

    #[test]
    fn a_module_readme_gets_its_doc_between_the_markers() {
        let doc = "## Inputs\n\nNo inputs.\n";
        let (new, same) = module_readme(None, "serving-endpoint/local", doc);
        assert!(!same);
        assert_eq!(
            new,
            "# serving-endpoint/local\n\n<!-- BEGIN_PLINTH_DOCS -->\n## Inputs\n\nNo inputs.\n<!-- END_PLINTH_DOCS -->\n"
        );
        let edited = new
            .replace("No inputs.", "Old.")
            .replace("# serving", "Prose.\n\n# serving");
        let (fixed, same) = module_readme(Some(&edited), "ignored", doc);
        assert!(!same);
        assert_eq!(fixed, format!("Prose.\n\n{new}"));
        assert!(module_readme(Some(&fixed), "ignored", doc).1);
        let (appended, _) = module_readme(Some("# t\n\nProse."), "ignored", doc);
        assert_eq!(
            appended,
            "# t\n\nProse.\n\n<!-- BEGIN_PLINTH_DOCS -->\n## Inputs\n\nNo inputs.\n<!-- END_PLINTH_DOCS -->\n"
        );
    }
}
