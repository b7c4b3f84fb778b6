//! Canonical formatting of HCL source that keeps comments (what `plinth fmt` prints).
//!
//! The formatter works on hcl-edit's lossless syntax tree: it parses the text with
//! [`hcl::edit::parser::parse_body`], rewrites only the whitespace kept in the decor (prefix and
//! suffix) of blocks, attributes and the parts of expressions, and prints the tree again. Tokens are
//! never added or dropped, so the output parses to the same structure as the input (checked before
//! returning), and formatting formatted output changes nothing.
//!
//! The rules are Terraform's (`terraform fmt`, i.e. hclwrite):
//!
//! - two spaces of indentation per block level, and per level of multi-line brackets (arrays,
//!   objects, function arguments, `for` expressions, parentheses, index brackets); several brackets
//!   opened on one line indent their contents by one level only, as in `merge(local.tags, {`;
//!   continuation lines inside a bracket get the bracket's level;
//! - `key = value` with one space around `=`; in a run of consecutive attributes (or object items)
//!   each alone on its line, the `=` signs are aligned by padding the keys. A blank line, a comment
//!   line, a block, or a value that opens a multi-line bracket ends the run (that attribute is not
//!   aligned); a value that starts a heredoc still joins the run above it. Object items written
//!   with `:` are not aligned;
//! - comments that trail consecutive one-line attributes or items are aligned as well;
//! - `type "label" "label" {` with single spaces, the body one level deeper, `}` on its own line at
//!   the block's indentation; an empty block is `type {}`; a one-line block with one one-line
//!   attribute stays on one line (`type { key = value }`), otherwise it is spread over lines;
//! - line breaks between the items of a bracket are kept where they were written, never added:
//!   `[1, 2]`, `{ a = 1, b = 2 }` and `f(a, b)` stay on one line, items written on one line inside
//!   a multi-line bracket stay together. Commas, trailing commas and `:` are kept as written;
//! - expressions: single spaces around binary operators, `?` `:`, `=>` and the parts of a `for`
//!   intro, a space inside `{ }` of objects and object `for`s, none inside `[ ]`, `( )`,
//!   traversals, function calls and after unary operators (`-5`, `!x`). Line breaks inside an
//!   expression are kept where they were written (re-indented);
//! - comments (`#`, `//`, `/* */`) are kept and re-indented to the level of what follows them (the
//!   inner lines of a block comment are kept as written); trailing whitespace is removed; at most
//!   one blank line in a row; blank lines are removed at the start and end of a block body, a
//!   bracket and the file; the file ends with exactly one newline (an empty file stays empty);
//!   line endings become `\n`;
//! - string literals, string templates (including the spacing inside `${ }`) and heredocs are printed
//!   exactly as written: their text is part of the value (`hcl::Body` keeps a template's source).
//!
//! Known gaps: an object `for` with `...` and no `if` prints as `{ for k, v in m : k => v...}`
//! (hcl-edit has no place for the space before `}`); whitespace inside a multi-line `${ }` of a
//! quoted string is kept, as said above.
//!
//! hcl-edit 0.10 loses some source text in its tree and printer; `Recover` and `EscapeFix`
//! (in `recover`) work around the known cases, and [`format_source`] refuses (with an internal
//! error) to return text that does not parse back to the structure of the input.
//!
//! The submodules follow the tree: `body` formats blocks and attributes, `expr` expressions and
//! `brackets` what is inside their brackets, all three over `trivia` (comments and whitespace)
//! and `align` (alignment runs).

mod align;
mod body;
mod brackets;
mod expr;
mod recover;
mod trivia;

use std::fmt;

use hcl::edit::Decorate;
use hcl::edit::parser;
use hcl::edit::visit_mut::VisitMut;

use body::format_body;
use recover::{EscapeFix, Recover};
use trivia::{Trivia, raw_suffix, render_eof};

/// Why [`format_source`] could not format its input: a syntax error (with its position), or, if
/// the formatter has a bug, an internal error (line and column 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// What the parser expected or found.
    pub message: String,
    /// One-based line of the error (0 for an internal error, which has no position).
    pub line: usize,
    /// One-based column of the error, in characters (0 for an internal error).
    pub column: usize,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for FormatError {}

impl From<parser::Error> for FormatError {
    fn from(err: parser::Error) -> Self {
        FormatError {
            message: err.message().to_string(),
            line: err.location().line(),
            column: err.location().column(),
        }
    }
}

/// Formats HCL source text canonically, keeping its comments.
///
/// # Errors
///
/// Returns a [`FormatError`] with the position of the first syntax error if `text` is not valid HCL,
/// and an internal error (line 0) if the formatted text would not parse back to the same structure.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    let mut body = parser::parse_body(text)?;
    let before = hcl::Body::from(body.clone());
    Recover { text }.visit_body_mut(&mut body);
    let tail = Trivia::parse(raw_suffix(body.decor()));
    body.set_prefer_omit_trailing_newline(false);
    body.decor_mut().set_prefix("");
    format_body(&mut body, 0);
    let suffix = render_eof(&tail, !body.is_empty());
    body.decor_mut().set_suffix(suffix);
    EscapeFix::default().visit_body_mut(&mut body);
    let out = body.to_string();

    // Never hand back text that means something else: a bug in the printer would surface here.
    if out.parse::<hcl::Body>().ok().as_ref() != Some(&before) {
        return Err(FormatError {
            message: "internal error: the formatted text would not mean the same as the input".to_string(),
            line: 0,
            column: 0,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
