//! The address parser: Terraform's address syntax to [`Address`], with the column of the first
//! mistake. Spelling the result back is `Display`'s job, in the parent module.

use std::fmt;

use super::{Address, Key, Mode, Resource, ResourceInstance};

/// A bad address: what was expected, and the column (1-based, in characters) where it was not
/// found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub column: usize,
    pub message: String,
}

impl ParseError {
    pub(super) fn new(column: usize, message: impl Into<String>) -> Self {
        ParseError {
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.column)
    }
}

impl std::error::Error for ParseError {}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

pub(super) fn address(s: &str) -> Result<Address, ParseError> {
    let mut p = Parser { s, pos: 0 };
    let mut module = Vec::new();
    loop {
        let id = p.ident("a name (module, data or a resource type)")?;
        if id == "module" {
            p.expect('.', "after \"module\"")?;
            let name = p.ident("a module call name")?;
            let key = p.opt_key()?;
            module.push((name, key));
            if p.at_end() {
                return Ok(Address::Module(module));
            }
            p.expect('.', "or the end after a module call")?;
            continue;
        }
        let (mode, type_name) = if id == "data" {
            p.expect('.', "after \"data\"")?;
            (Mode::Data, p.ident("a data source type")?)
        } else {
            (Mode::Managed, id)
        };
        p.expect('.', "and a name after the resource type")?;
        let name = p.ident("a resource name")?;
        let key = p.opt_key()?;
        if !p.at_end() {
            return Err(p.error(format!("unexpected {:?} after the resource address", p.rest())));
        }
        return Ok(Address::Instance(ResourceInstance {
            module,
            resource: Resource { mode, type_name, name },
            key,
        }));
    }
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        let s: &'a str = self.s;
        &s[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos == self.s.len()
    }

    fn column_at(&self, pos: usize) -> usize {
        self.s[..pos].chars().count() + 1
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError::new(self.column_at(self.pos), message)
    }

    /// An error that says what was found instead, or that the address ended.
    fn expected(&self, what: &str) -> ParseError {
        match self.rest().chars().next() {
            None => self.error(format!("expected {what}, found the end")),
            Some(c) => self.error(format!("expected {what}, found {c:?}")),
        }
    }

    fn expect(&mut self, c: char, context: &str) -> Result<(), ParseError> {
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else {
            Err(self.expected(&format!("\"{c}\" {context}")))
        }
    }

    fn ident(&mut self, what: &str) -> Result<String, ParseError> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let id = &rest[..len];
        if id.is_empty() || !id.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            return Err(self.expected(what));
        }
        self.pos += len;
        Ok(id.to_string())
    }

    fn opt_key(&mut self) -> Result<Key, ParseError> {
        if !self.rest().starts_with('[') {
            return Ok(Key::None);
        }
        self.pos += 1;
        let key = if self.rest().starts_with('"') {
            Key::Str(self.string()?)
        } else {
            let rest = self.rest();
            let len = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            if len == 0 {
                return Err(self.expected("a number or a quoted string as the instance key"));
            }
            let n = rest[..len]
                .parse()
                .map_err(|_| self.error(format!("the index {} is too large", &rest[..len])))?;
            self.pos += len;
            Key::Int(n)
        };
        self.expect(']', "after the instance key")?;
        Ok(key)
    }

    /// A double-quoted string with the escapes Rust's `{:?}` (which `Display` writes) and JSON
    /// produce.
    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        let rest = self.rest();
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos = start + i + 1;
                    return Ok(out);
                }
                '\\' => {
                    let at = |p: &Parser<'_>, msg: String| ParseError::new(p.column_at(start + i), msg);
                    let Some((_, e)) = chars.next() else {
                        return Err(at(self, "unterminated escape".into()));
                    };
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        '0' => out.push('\0'),
                        '"' | '\\' | '\'' | '/' => out.push(e),
                        'u' => {
                            let hex: String = if rest.get(i + 2..i + 3) == Some("{") {
                                chars.next();
                                chars.by_ref().map(|(_, c)| c).take_while(|&c| c != '}').collect()
                            } else {
                                chars.by_ref().take(4).map(|(_, c)| c).collect()
                            };
                            let ch = u32::from_str_radix(&hex, 16)
                                .ok()
                                .and_then(char::from_u32)
                                .ok_or_else(|| at(self, format!("invalid unicode escape \\u{hex}")))?;
                            out.push(ch);
                        }
                        other => return Err(at(self, format!("unknown escape \\{other}"))),
                    }
                }
                c => out.push(c),
            }
        }
        Err(ParseError::new(self.column_at(open), "unterminated string"))
    }
}
