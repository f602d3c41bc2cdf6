//! Applying fixes to text: edits never overlap, and applying is a pure function of the text,
//! so that `--fix` and the fixture tests share it.

use crate::diagnostic::Edit;

/// Applies `edits` (byte spans into `text`) from last to first. An edit that overlaps one already
/// taken, or lies outside the text or inside a character, is left out and returned.
pub fn apply(text: &str, edits: &[Edit]) -> (String, Vec<Edit>) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut rejected = Vec::new();
    for e in sorted {
        let valid = (e.span.end as usize) <= text.len()
            && text.is_char_boundary(e.span.start as usize)
            && text.is_char_boundary(e.span.end as usize);
        let overlaps = taken.last().is_some_and(|last| {
            e.span.start < last.span.end || (e.span.start == last.span.start && e.span.is_empty() && last.span.is_empty())
        });
        if valid && !overlaps {
            taken.push(e);
        } else {
            rejected.push(e.clone());
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for e in taken {
        out.push_str(&text[at..e.span.start as usize]);
        out.push_str(&e.replacement);
        at = e.span.end as usize;
    }
    out.push_str(&text[at..]);
    (out, rejected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn edit(s: usize, e: usize, r: &str) -> Edit {
        Edit {
            span: Span::new(s, e),
            replacement: r.into(),
        }
    }

    #[test]
    fn applies_in_order_and_rejects_overlaps() {
        let (out, rejected) = apply("hello world", &[edit(6, 11, "there"), edit(0, 5, "hi"), edit(4, 7, "x")]);
        assert_eq!(out, "hi there");
        assert_eq!(rejected.len(), 1);
    }

    #[test]
    fn refuses_edits_inside_a_character() {
        let (out, rejected) = apply("é", &[edit(1, 2, "x")]);
        assert_eq!(out, "é");
        assert_eq!(rejected.len(), 1);
    }
}
