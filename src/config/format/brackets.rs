//! The inside of brackets: the items of arrays and function arguments, objects (with their
//! aligned `=`), and `for` expressions. Line breaks between items are kept where they were written.

use hcl::edit::expr::{
    Expression, ForExpr, Object, ObjectKey, ObjectValue, ObjectValueAssignment, ObjectValueTerminator,
};

use hcl::edit::Decorate;

use super::align::{assign_pads, comment_pads, spaces, width};
use super::body::comment_part;
use super::expr::{bare_text, direct_nl, ends_with_heredoc, fmt_expr, has_nl};
use super::trivia::{Trivia, ind, join, raw_prefix, raw_str, raw_suffix, render_gap, render_list_gap, set_gaps};

/// Formats the items of an array or of function arguments; returns the new trailing trivia
/// (before the closing bracket). `sep_after_last`: a `,` or `...` follows the last item.
///
/// Line breaks between items are kept as written (items written on one line stay on one line);
/// items that start a line are indented one level deeper than the line with the opening bracket.
/// An item that ends with a heredoc is followed by a line break that belongs to the heredoc: it
/// does not count as a line break between items, and a `,` after it starts the next line (`EOT`
/// must be alone on its line).
pub(super) fn format_seq(
    items: &mut [&mut Expression],
    trailing_raw: &str,
    sep_after_last: bool,
    lvl: usize,
) -> String {
    let n = items.len();
    if n == 0 {
        return empty_bracket(&Trivia::parse(trailing_raw), lvl);
    }
    let heredoc: Vec<bool> = items.iter().map(|e| ends_with_heredoc(e)).collect();
    let mut gaps = Vec::with_capacity(n + 1);
    gaps.push(Trivia::parse(raw_prefix(items[0].decor())));
    for i in 1..n {
        gaps.push(Trivia::from_parts(&[
            raw_suffix(items[i - 1].decor()),
            raw_prefix(items[i].decor()),
        ]));
    }
    gaps.push(Trivia::from_parts(&[raw_suffix(items[n - 1].decor()), trailing_raw]));
    let breaks: Vec<bool> = gaps
        .iter()
        .enumerate()
        .map(|(i, g)| breaks_line(g, i > 0 && heredoc[i - 1]))
        .collect();
    let multiline = breaks.iter().any(|&b| b);
    let c = if multiline || items.iter().any(|e| direct_nl(e)) {
        lvl + 1
    } else {
        lvl
    };
    for item in items.iter_mut() {
        fmt_expr(item, c);
    }
    let (ci, li) = (ind(c), ind(lvl));

    // Align the comments that trail items alone on their line.
    let mut widths = Vec::with_capacity(n);
    let mut links = Vec::with_capacity(n);
    for (i, item) in items.iter_mut().enumerate() {
        let has_sep = i + 1 < n || sep_after_last;
        let text = bare_text(item);
        let commented = breaks[i] && !gaps[i + 1].first().is_empty() && gaps[i + 1].has_newline();
        widths.push((commented && !text.contains('\n')).then(|| width(&text) + usize::from(has_sep)));
        links.push(i > 0 && !gaps[i].has_own_lines());
    }
    let cpads = comment_pads(&widths, &links);
    let mut heads = vec![" ".to_string()];
    heads.extend(cpads.iter().map(|&p| spaces(p)));

    for i in 0..n {
        items[i].decor_mut().set_suffix("");
        let prefix = if i > 0 && heredoc[i - 1] {
            let (head, rest) = render_list_gap(&gaps[i], &ci, Some(&ci), false, &heads[i]);
            items[i - 1].decor_mut().set_suffix(format!("{head}\n{rest}"));
            " ".to_string()
        } else if breaks[i] {
            let (head, rest) = render_list_gap(&gaps[i], &ci, None, i == 0, &heads[i]);
            format!("{head}\n{rest}")
        } else {
            let cs = gaps[i].comments();
            match (i, cs.is_empty()) {
                (0, true) => String::new(),
                (0, false) => format!("{} ", join(&cs)),
                (_, true) => " ".to_string(),
                (_, false) => format!(" {} ", join(&cs)),
            }
        };
        items[i].decor_mut().set_prefix(prefix);
    }
    if heredoc[n - 1] && sep_after_last {
        let (head, rest) = render_list_gap(&gaps[n], &ci, Some(&ci), false, &heads[n]);
        items[n - 1].decor_mut().set_suffix(format!("{head}\n{rest}"));
        return if multiline { format!("\n{li}") } else { String::new() };
    }
    if breaks[n] || heredoc[n - 1] {
        let (head, rest) = render_list_gap(&gaps[n], &ci, Some(&li), false, &heads[n]);
        return format!("{head}\n{rest}");
    }
    let cs = gaps[n].comments();
    if cs.is_empty() {
        String::new()
    } else {
        format!(" {}", join(&cs))
    }
}

/// Whether trivia between two items puts them on different lines. After a heredoc, the first line
/// break is the heredoc's own.
fn breaks_line(t: &Trivia, after_heredoc: bool) -> bool {
    if after_heredoc {
        t.has_own_lines() || !t.first().is_empty()
    } else {
        t.has_newline()
    }
}

/// The trivia inside an empty bracket: nothing, unless it holds comments.
fn empty_bracket(t: &Trivia, lvl: usize) -> String {
    if !t.has_comments() {
        return String::new();
    }
    if !t.has_newline() {
        return format!(" {} ", join(t.first()));
    }
    let (head, rest) = render_list_gap(t, &ind(lvl + 1), Some(&ind(lvl)), true, " ");
    format!("{head}\n{rest}")
}

pub(super) fn fmt_object(obj: &mut Object, lvl: usize) {
    let trailing_raw = raw_str(Some(obj.trailing())).to_string();
    let decor = obj.decor().clone();
    let mut items: Vec<_> = std::mem::take(obj).into_iter().collect();
    let n = items.len();
    *obj.decor_mut() = decor;
    if n == 0 {
        obj.set_trailing(empty_bracket(&Trivia::parse(&trailing_raw), lvl));
        return;
    }

    // The trivia between two items is the value's suffix, the newline terminator (if it is one) and
    // the next key's prefix.
    let newline = |t: ObjectValueTerminator| if t == ObjectValueTerminator::Newline { "\n" } else { "" };
    let mut gaps = Vec::with_capacity(n + 1);
    gaps.push(Trivia::parse(raw_prefix(items[0].0.decor())));
    for i in 1..n {
        let (_, prev) = &items[i - 1];
        gaps.push(Trivia::from_parts(&[
            raw_suffix(prev.expr().decor()),
            newline(prev.terminator()),
            raw_prefix(items[i].0.decor()),
        ]));
    }
    let (_, last) = &items[n - 1];
    gaps.push(Trivia::from_parts(&[
        raw_suffix(last.expr().decor()),
        newline(last.terminator()),
        &trailing_raw,
    ]));
    // A heredoc value ends with the line break of its newline terminator.
    let heredoc: Vec<bool> = items
        .iter()
        .map(|(_, v)| v.terminator() == ObjectValueTerminator::Newline && ends_with_heredoc(v.expr()))
        .collect();
    let breaks: Vec<bool> = gaps
        .iter()
        .enumerate()
        .map(|(i, g)| breaks_line(g, i > 0 && heredoc[i - 1]))
        .collect();
    // Whether the item (or the closing brace, for `n`) starts a line.
    let line_start: Vec<bool> = (0..=n).map(|i| breaks[i] || (i > 0 && heredoc[i - 1])).collect();
    let multiline = breaks.iter().any(|&b| b);
    let c = if multiline
        || items
            .iter()
            .any(|(k, v)| k.as_expr().is_some_and(direct_nl) || direct_nl(v.expr()))
    {
        lvl + 1
    } else {
        lvl
    };
    let (ci, li) = (ind(c), ind(lvl));

    // Keys and values.
    struct Item {
        comment_part: String,
        key_width: usize,
        value_width: usize,
        single_line: bool,
        joins: bool,
    }
    let mut infos = Vec::with_capacity(n);
    for (k, v) in &mut items {
        let comment_part = comment_part(k.decor());
        k.decor_mut().set_prefix("");
        k.decor_mut().set_suffix("");
        let key_width = match k {
            ObjectKey::Ident(ident) => width(ident.as_str()),
            ObjectKey::Expression(e) => {
                fmt_expr(e, c);
                width(&e.to_string())
            }
        } + width(&comment_part);
        let value_prefix = Trivia::parse(raw_prefix(v.expr().decor()));
        fmt_expr(v.expr_mut(), c);
        v.expr_mut()
            .decor_mut()
            .set_prefix(render_gap(&value_prefix, " ", &ind(c + 1)));
        v.expr_mut().decor_mut().set_suffix("");
        let text = v.expr().to_string();
        let single_line = !text.contains('\n');
        let equals = v.assignment() == ObjectValueAssignment::Equals;
        infos.push(Item {
            comment_part,
            key_width,
            value_width: width(&text),
            single_line,
            joins: equals && (single_line || matches!(v.expr(), Expression::HeredocTemplate(_))),
        });
    }

    // `=` alignment over items alone on their line, then trailing comment alignment.
    let alone: Vec<bool> = (0..n).map(|i| line_start[i] && line_start[i + 1]).collect();
    let widths: Vec<Option<usize>> = (0..n)
        .map(|i| (alone[i] && infos[i].joins).then_some(infos[i].key_width))
        .collect();
    let links: Vec<bool> = (0..n)
        .map(|i| i > 0 && !gaps[i].has_own_lines() && infos[i - 1].single_line)
        .collect();
    let pads = assign_pads(&widths, &links);
    let mut cwidths = Vec::with_capacity(n);
    for (i, (k, v)) in items.iter_mut().enumerate() {
        k.decor_mut()
            .set_suffix(format!("{}{}", infos[i].comment_part, spaces(pads[i])));
        let commented = alone[i] && !gaps[i + 1].first().is_empty() && gaps[i + 1].has_newline();
        let comma = usize::from(v.terminator() == ObjectValueTerminator::Comma);
        cwidths.push(
            (commented && infos[i].single_line)
                .then(|| infos[i].key_width + pads[i] + 1 + infos[i].value_width + comma),
        );
    }
    let clinks: Vec<bool> = (0..n).map(|i| i > 0 && !gaps[i].has_own_lines()).collect();
    let cpads = comment_pads(&cwidths, &clinks);

    let inline = |gap: &Trivia| {
        let cs = gap.comments();
        if cs.is_empty() {
            " ".to_string()
        } else {
            format!(" {} ", join(&cs))
        }
    };
    let prefix = if breaks[0] {
        let (head, rest) = render_list_gap(&gaps[0], &ci, None, true, " ");
        format!("{head}\n{rest}")
    } else {
        inline(&gaps[0])
    };
    items[0].0.decor_mut().set_prefix(prefix);
    let mut trailing = String::new();
    for i in 1..=n {
        let (_, prev) = &mut items[i - 1];
        let (value_suffix, after) = if line_start[i] {
            let close = (i == n).then_some(li.as_str());
            let (head, rest) = render_list_gap(&gaps[i], &ci, close, false, &spaces(cpads[i - 1]));
            if i < n && prev.terminator() == ObjectValueTerminator::None {
                prev.set_terminator(ObjectValueTerminator::Newline);
            }
            match prev.terminator() {
                ObjectValueTerminator::Newline => (head, rest),
                _ => (String::new(), format!("{head}\n{rest}")),
            }
        } else {
            (String::new(), inline(&gaps[i]))
        };
        prev.expr_mut().decor_mut().set_suffix(value_suffix);
        if i < n {
            items[i].0.decor_mut().set_prefix(after);
        } else {
            trailing = after;
        }
    }
    rebuild_object(obj, items, trailing);
}

fn rebuild_object(obj: &mut Object, items: Vec<(ObjectKey, ObjectValue)>, trailing: String) {
    for (k, v) in items {
        obj.insert(k, v);
    }
    obj.set_trailing(trailing);
}

pub(super) fn fmt_for(f: &mut ForExpr, lvl: usize) {
    let is_object = f.key_expr.is_some();
    let pad = if is_object { " " } else { "" };
    // Trivia at this bracket's level (own decor of the parts) decides the continuation level.
    let mut multiline = has_nl(f.intro.decor())
        || f.intro.key_var.as_ref().is_some_and(|k| has_nl(k.decor()))
        || has_nl(f.intro.value_var.decor())
        || has_nl(f.intro.collection_expr.decor())
        || direct_nl(&f.intro.collection_expr)
        || has_nl(f.value_expr.decor())
        || direct_nl(&f.value_expr);
    if let Some(k) = &f.key_expr {
        multiline |= has_nl(k.decor()) || direct_nl(k);
    }
    if let Some(cond) = &f.cond {
        multiline |= has_nl(cond.decor()) || has_nl(cond.expr.decor()) || direct_nl(&cond.expr);
    }
    let c = if multiline { lvl + 1 } else { lvl };
    let (ci, li) = (ind(c), ind(lvl));

    // for [k,] v in collection :
    let intro_prefix = render_gap(&Trivia::parse(raw_prefix(f.intro.decor())), pad, &ci);
    let intro_suffix = raw_suffix(f.intro.decor()).to_string();
    f.intro.decor_mut().set_prefix(intro_prefix);
    f.intro.decor_mut().set_suffix("");
    if let Some(k) = &mut f.intro.key_var {
        set_gaps(k.decor_mut(), " ", "", &ci, &ci);
    }
    set_gaps(f.intro.value_var.decor_mut(), " ", " ", &ci, &ci);
    fmt_expr(&mut f.intro.collection_expr, c);
    set_gaps(f.intro.collection_expr.decor_mut(), " ", " ", &ci, &ci);

    // [key =>] value [...]
    let first = match &mut f.key_expr {
        Some(k) => k,
        None => &mut f.value_expr,
    };
    let first_prefix = Trivia::from_parts(&[&intro_suffix, raw_prefix(first.decor())]);
    first.decor_mut().set_prefix(render_gap(&first_prefix, " ", &ci));
    if let Some(k) = &mut f.key_expr {
        fmt_expr(k, c);
        let suffix = render_gap(&Trivia::parse(raw_suffix(k.decor())), " ", &ci);
        k.decor_mut().set_suffix(suffix);
        let prefix = render_gap(&Trivia::parse(raw_prefix(f.value_expr.decor())), " ", &ci);
        f.value_expr.decor_mut().set_prefix(prefix);
    }
    fmt_expr(&mut f.value_expr, c);
    // Between the value and `if` (or the closing bracket); with `...`, the trivia after `...` is
    // the prefix of the condition.
    let value_suffix_raw = raw_suffix(f.value_expr.decor()).to_string();
    let value_suffix = match (&f.cond, f.grouping) {
        (_, true) => render_gap(&Trivia::parse(&value_suffix_raw), "", &ci),
        (Some(_), false) => String::new(),
        (None, false) => render_gap(&Trivia::parse(&value_suffix_raw), pad, &li),
    };
    f.value_expr.decor_mut().set_suffix(value_suffix);

    // if cond
    if let Some(cond) = &mut f.cond {
        let before_if = if f.grouping { String::new() } else { value_suffix_raw };
        let prefix = render_gap(&Trivia::from_parts(&[&before_if, raw_prefix(cond.decor())]), " ", &ci);
        cond.decor_mut().set_prefix(prefix);
        cond.decor_mut().set_suffix("");
        fmt_expr(&mut cond.expr, c);
        set_gaps(cond.expr.decor_mut(), " ", pad, &ci, &li);
    }
}
