//! Canonical formatting (placeholder until the formatter lands).

/// Why a file cannot be formatted.
#[derive(Debug)]
pub struct FormatError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Formats one file's text.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    match hcl::edit::parser::parse_body(text) {
        Ok(_) => Ok(text.to_string()),
        Err(e) => Err(FormatError {
            message: e.message().to_string(),
            line: e.location().line(),
            column: e.location().column(),
        }),
    }
}
