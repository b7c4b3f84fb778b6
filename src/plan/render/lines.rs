//! The shape of a rendered line: its column, its symbol (`+`, `-`, `~` or none) and its text, and
//! the two layouts that print them: the terminal's (the symbol at the line's indentation, in
//! colour when asked) and the ```` ```diff ```` fence's (the symbol in the first column). What the
//! lines say is decided by the differ.

use crate::plan::Action;
use crate::style;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Sym {
    None,
    Add,
    Del,
    Upd,
}

/// One output line: its column, its symbol (printed before the text) and the text.
#[derive(Debug)]
pub(super) struct Line {
    pub(super) indent: usize,
    pub(super) sym: Sym,
    pub(super) text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// `terraform plan`: the symbol sits at the line's indentation.
    Terminal,
    /// Symbols in the first column, for ```` ```diff ```` fences.
    Gutter,
}

#[derive(Clone, Copy)]
pub(super) struct Painter {
    pub(super) color: bool,
}

impl Painter {
    pub(super) fn paint(self, how: anstyle::Style, s: &str) -> String {
        style::paint(how, s, self.color)
    }

    pub(super) fn bold(self, s: &str) -> String {
        self.paint(style::BOLD, s)
    }

    fn sym(self, sym: Sym) -> String {
        match sym {
            Sym::None => " ".to_string(),
            Sym::Add => self.paint(style::ADD, "+"),
            Sym::Del => self.paint(style::REMOVE, "-"),
            Sym::Upd => self.paint(style::CHANGE, "~"),
        }
    }

    pub(super) fn action(self, action: Action) -> String {
        let plus = self.paint(style::ADD, "+");
        let minus = self.paint(style::REMOVE, "-");
        match action {
            Action::NoOp => "   ".to_string(),
            Action::Read => format!(" {}", self.paint(style::READ, "<=")),
            Action::Create => format!("  {plus}"),
            Action::Update => format!("  {}", self.paint(style::CHANGE, "~")),
            Action::DeleteThenCreate => format!("{minus}/{plus}"),
            Action::CreateThenDelete => format!("{plus}/{minus}"),
            Action::Delete => format!("  {minus}"),
            Action::Forget => "  .".to_string(),
        }
    }
}

pub(super) fn join(lines: &[Line], painter: Painter, layout: Layout) -> String {
    let mut s = String::new();
    for l in lines {
        let line = match layout {
            Layout::Terminal => format!("{:indent$}{} {}", "", painter.sym(l.sym), l.text, indent = l.indent),
            Layout::Gutter => {
                let g = match l.sym {
                    Sym::None => ' ',
                    Sym::Add => '+',
                    Sym::Del => '-',
                    Sym::Upd => '!',
                };
                format!("{g}{:indent$} {}", "", l.text, indent = l.indent)
            }
        };
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}
