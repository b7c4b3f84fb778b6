//! Alignment of `=` signs and trailing comments across a run of lines. Works on widths only; the
//! callers decide what a line is and what ends a run.

/// Spaces before `=` for each line: `widths[i]` is the key width of a line that can take part in
/// an alignment run, `links[i]` whether line `i` continues the run of line `i - 1`.
pub(super) fn assign_pads(widths: &[Option<usize>], links: &[bool]) -> Vec<usize> {
    let n = widths.len();
    let mut pads = vec![1; n];
    let mut i = 0;
    while i < n {
        let Some(first) = widths[i] else {
            i += 1;
            continue;
        };
        let mut max = first;
        let mut j = i + 1;
        while j < n && links[j] {
            match widths[j] {
                Some(w) => max = max.max(w),
                None => break,
            }
            j += 1;
        }
        for k in i..j {
            pads[k] = max - widths[k].unwrap_or(max) + 1;
        }
        i = j;
    }
    pads
}

/// Spaces before the trailing comment of each line: `widths[i]` is the width of a one-line item
/// with a trailing comment, `links[i]` whether nothing separates line `i` from line `i - 1`.
pub(super) fn comment_pads(widths: &[Option<usize>], links: &[bool]) -> Vec<usize> {
    // Same run logic: consecutive lines that all carry a comment.
    assign_pads(widths, links)
}

pub(super) fn spaces(n: usize) -> String {
    " ".repeat(n)
}

pub(super) fn width(s: &str) -> usize {
    s.chars().count()
}
