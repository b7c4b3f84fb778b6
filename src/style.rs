//! Terminal colour: which style each meaning gets, and the one rule deciding whether colour is on.
//!
//! The rule is [`use_color`]: never with `--no-color`, never when `NO_COLOR` holds a non-empty
//! value (as no-color.org asks), and only when the stream is a terminal. The command line asks it
//! once per stream; renderers (`diag`, `plan::render`, `plan::drift`) only receive the answer as a
//! `color: bool` and paint through [`pick`] and [`paint`], so a renderer never looks at the
//! environment and its output with `color` false has no escape code at all. The escape codes are
//! anstyle's.

use std::ffi::OsStr;
use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};

/// Resource addresses and headings.
pub const BOLD: Style = Style::new().bold();
/// The `error` label of a diagnostic.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// The `warning` label of a diagnostic.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// Something created (`+`).
pub const ADD: Style = AnsiColor::Green.on_default();
/// Something deleted (`-`), what forces a replacement, a drifted-away object.
pub const REMOVE: Style = AnsiColor::Red.on_default();
/// Something changed in place (`~`), a drifted object.
pub const CHANGE: Style = AnsiColor::Yellow.on_default();
/// A data source read (`<=`).
pub const READ: Style = AnsiColor::Cyan.on_default();

/// Whether to colour what is written to `stream`, given the `--no-color` flag.
pub fn use_color(no_color_flag: bool, stream: &impl IsTerminal) -> bool {
    color_wanted(no_color_flag, std::env::var_os("NO_COLOR").as_deref()) && stream.is_terminal()
}

/// The user's side of the rule: the flag and the `NO_COLOR` variable (an empty value counts as
/// unset, per no-color.org).
fn color_wanted(no_color_flag: bool, no_color_env: Option<&OsStr>) -> bool {
    !no_color_flag && no_color_env.is_none_or(OsStr::is_empty)
}

/// `style` when colouring, else the plain style, which writes nothing (`{s}` and `{s:#}` are empty).
pub fn pick(style: Style, color: bool) -> Style {
    if color { style } else { Style::new() }
}

/// `text` in `style`, followed by a reset; `text` alone when not colouring.
pub fn paint(style: Style, text: &str, color: bool) -> String {
    let style = pick(style, color);
    format!("{style}{text}{style:#}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn flag_and_no_color_variable_turn_colour_off() {
        let empty = OsStr::new("");
        let one = OsStr::new("1");
        assert!(color_wanted(false, None));
        assert!(color_wanted(false, Some(empty)));
        assert!(!color_wanted(false, Some(one)));
        assert!(!color_wanted(true, None));
        assert!(!color_wanted(true, Some(empty)));
    }

    #[test]
    fn escape_codes() {
        let all = [BOLD, ERROR, WARNING, ADD, REMOVE, CHANGE, READ]
            .map(|s| format!("{:?}", paint(s, "x", true)))
            .join(" ");
        expect![[r#""\u{1b}[1mx\u{1b}[0m" "\u{1b}[1m\u{1b}[31mx\u{1b}[0m" "\u{1b}[1m\u{1b}[33mx\u{1b}[0m" "\u{1b}[32mx\u{1b}[0m" "\u{1b}[31mx\u{1b}[0m" "\u{1b}[33mx\u{1b}[0m" "\u{1b}[36mx\u{1b}[0m""#]]
            .assert_eq(&all);
        assert_eq!(paint(ERROR, "x", false), "x");
    }

    /// The invariant in docs/ARCHITECTURE.md: no other module writes escape codes or reads
    /// `NO_COLOR` (test modules, after `#[cfg(test)]`, may spell out the codes they expect).
    #[test]
    fn colour_is_decided_and_written_only_here() {
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../src"))];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read src") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("src/style.rs")
                    && !path.ends_with("tests.rs")
                {
                    let text = std::fs::read_to_string(&path).expect("read source");
                    let code = text.split("#[cfg(test)]").next().unwrap_or("");
                    if ["\\x1b", "\\u{1b}", "\"NO_COLOR\""].iter().any(|p| code.contains(p)) {
                        offenders.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "colour handled outside src/style.rs: {offenders:?}"
        );
    }
}
