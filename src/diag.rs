//! Diagnostics: what the user did wrong, where, and what to do about it.
//!
//! Parsing and evaluation never stop at the first mistake: they return what they could build plus
//! a list of [`Diagnostic`]s, each with a severity, a summary, a detail (the hint) and, where the
//! mistake is in a file, a [`Span`]. [`Sources`] keeps every loaded file's text so that a
//! diagnostic renders as `path/to/file.hcl:LINE:COL: error: summary`, the source line, a caret
//! under the offending part and the hint. Nothing here does I/O other than the renderer's writer.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::style;

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// A byte range in one source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about user input.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    /// Longer explanation or a hint of what to do; may be empty.
    pub detail: String,
    pub span: Option<Span>,
    /// The resource address it concerns, for diagnostics without a source position.
    pub address: Option<String>,
}

impl Diagnostic {
    pub fn error(summary: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            summary: summary.into(),
            detail: String::new(),
            span: None,
            address: None,
        }
    }
    pub fn warning(summary: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(summary)
        }
    }
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
    pub fn with_span(mut self, span: Option<Span>) -> Self {
        if self.span.is_none() {
            self.span = span;
        }
        self
    }
    pub fn at(self, file: FileId, range: Option<Range<usize>>) -> Self {
        self.with_span(range.map(|r| Span::new(file, r)))
    }
    pub fn with_address(mut self, address: impl Into<String>) -> Self {
        if self.address.is_none() {
            self.address = Some(address.into());
        }
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A list of diagnostics with a few conveniences.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One loaded source file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts.get(line - 1).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }
}

/// Every source file loaded for one run, addressed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.files.push(SourceFile::new(path, text));
        self.files.len() - 1
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id)
    }

    /// `path:line:col` of a span, with the path shown relative to `base` when below it.
    pub fn location(&self, span: &Span, base: &Path) -> Option<String> {
        let file = self.get(span.file)?;
        let (line, col) = file.line_col(span.range.start);
        Some(format!("{}:{line}:{col}", display_path(&file.path, base)))
    }

    /// Renders diagnostics for a terminal: location, severity, summary, source line, caret, hint.
    pub fn render(&self, diags: &[Diagnostic], base: &Path, color: bool) -> String {
        let mut out = String::new();
        for d in diags {
            let label = match d.severity {
                Severity::Error => style::paint(style::ERROR, "error", color),
                Severity::Warning => style::paint(style::WARNING, "warning", color),
            };
            let loc = d.span.as_ref().and_then(|s| self.location(s, base));
            match (&loc, &d.address) {
                (Some(loc), _) => {
                    let _ = writeln!(out, "{loc}: {label}: {}", d.summary);
                }
                (None, Some(addr)) => {
                    // Provider errors already open with their address; say it once.
                    let summary = d.summary.strip_prefix(addr.as_str()).and_then(|s| s.strip_prefix(": "));
                    let _ = writeln!(out, "{addr}: {label}: {}", summary.unwrap_or(&d.summary));
                }
                (None, None) => {
                    let _ = writeln!(out, "{label}: {}", d.summary);
                }
            }
            if let Some(span) = &d.span
                && let Some(file) = self.get(span.file)
            {
                let (line, col) = file.line_col(span.range.start);
                let (end_line, end_col) = file.line_col(span.range.end.max(span.range.start + 1) - 1);
                let width = if end_line == line {
                    (end_col + 1).saturating_sub(col).max(1)
                } else {
                    1
                };
                let (text, col, width) = shown_line(file.line_text(line), col, width);
                let gutter = format!("{line}");
                let _ = writeln!(out, "{} |", " ".repeat(gutter.len()));
                let _ = writeln!(out, "{gutter} | {text}");
                let _ = writeln!(
                    out,
                    "{} | {}{}",
                    " ".repeat(gutter.len()),
                    " ".repeat(col - 1),
                    "^".repeat(width)
                );
            }
            if !d.detail.is_empty() {
                // An indented line continues the one before it (the values a failed condition
                // compared), aligned under its text.
                for l in d.detail.lines() {
                    match l.strip_prefix("  ") {
                        Some(more) => {
                            let _ = writeln!(out, "          {more}");
                        }
                        None => {
                            let _ = writeln!(out, "  = hint: {l}");
                        }
                    }
                }
            }
        }
        out
    }
}

/// The longest source line a diagnostic shows whole; a longer one (a minified or generated file)
/// is cut to a window around the caret, so that one error never prints megabytes.
const MAX_SHOWN_LINE: usize = 160;

/// The part of `text` a diagnostic shows, with the caret's column and width moved into it: the
/// whole line when it is short, else [`MAX_SHOWN_LINE`] characters around column `col` with `…`
/// where it was cut.
fn shown_line(text: &str, col: usize, width: usize) -> (String, usize, usize) {
    if text.len() <= MAX_SHOWN_LINE {
        return (text.to_string(), col, width);
    }
    let total = text.chars().count();
    if total <= MAX_SHOWN_LINE {
        return (text.to_string(), col, width);
    }
    let start = col.saturating_sub(1 + MAX_SHOWN_LINE / 4).min(total - MAX_SHOWN_LINE);
    let end = start + MAX_SHOWN_LINE;
    let mut shown: String = text.chars().skip(start).take(MAX_SHOWN_LINE).collect();
    let mut col = col - start;
    if start > 0 {
        shown.insert(0, '…');
        col += 1;
    }
    if end < total {
        shown.push('…');
    }
    let room = (shown.chars().count() + 1).saturating_sub(col);
    (shown, col, width.min(room).max(1))
}

/// A path relative to `base` when it lies below it, else as given.
pub fn display_path(path: &Path, base: &Path) -> String {
    path.strip_prefix(base).unwrap_or(path).display().to_string()
}

/// The candidate closest to `word` by edit distance, when close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_a_long_line_to_a_window_around_the_caret() {
        let mut s = Sources::default();
        let line = format!("x = [{}]", "1,".repeat(10_000));
        let id = s.add(PathBuf::from("/cfg/main.hcl"), line.clone());
        let at = line.len() / 2;
        let d = Diagnostic::error("Bad").at(id, Some(at..at + 1));
        let text = s.render(&[d], Path::new("/cfg"), false);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with(&format!("main.hcl:1:{}: error: Bad", at + 1)),
            "{text}"
        );
        assert!(text.len() < 1000, "{text}");
        let shown = lines[2].strip_prefix("1 | ").expect("source line");
        let caret = lines[3].strip_prefix("  | ").expect("caret line");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{text}");
        // The caret stands under the same character as in the full line.
        let under = shown.chars().nth(caret.len() - 1).expect("caret inside the shown line");
        assert_eq!(under, line[at..].chars().next().expect("char"), "{text}");
    }

    #[test]
    fn renders_location_caret_and_hint() {
        let mut s = Sources::default();
        let id = s.add(PathBuf::from("/cfg/main.hcl"), "a = 1\nb = var.nope\n".into());
        let d = Diagnostic::error("Reference to undeclared input variable")
            .with_detail("declare it with a variable \"nope\" block")
            .at(id, Some(10..18));
        let text = s.render(&[d], Path::new("/cfg"), false);
        assert_eq!(
            text,
            "main.hcl:2:5: error: Reference to undeclared input variable\n  |\n2 | b = var.nope\n  |     ^^^^^^^^\n  = hint: declare it with a variable \"nope\" block\n"
        );
    }
}
