//! Secrets never leave andon in full: no output shows more than a 4-character prefix and the
//! length, and nothing at all of a value under 16 characters.

use crate::source::Span;

/// The masked form of a secret value.
pub fn mask(secret: &str) -> String {
    let n = secret.chars().count();
    if n < 16 {
        "[redacted]".to_string()
    } else {
        let prefix: String = secret.chars().take(4).collect();
        format!("{prefix}…[redacted, {n} chars]")
    }
}

/// A stand-in that no one would deploy as a credential: `<api key>`, `{{ token }}`, `${VAR}`,
/// `xxxx`, `your-token-here`, `REPLACE_ME`, `changeme!`. The one policy of every rule that
/// looks for literal secrets.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || (v.starts_with("%(") && v.ends_with(")s"))
        || v.starts_with("#{")
        || (v.starts_with("${") && v.ends_with('}'))
        || lower.chars().all(|c| matches!(c, 'x' | '*' | '.' | '-' | '_'))
        || lower.starts_with("your")
        || lower.starts_with("replace")
        || lower.starts_with("insert")
        || lower.starts_with("enter")
        || lower.starts_with("put_")
        || lower.contains("placeholder")
        || lower.contains("redacted")
        || lower.starts_with("todo")
        || lower.starts_with("fixme")
        || lower.starts_with("example")
        || lower.starts_with("dummy")
        || lower.starts_with("fake")
        || matches!(lower.as_str(), "none" | "null" | "nil" | "~" | "undefined" | "changeme!")
}

/// A text with secret spans masked, and the way back from original offsets to new ones.
pub struct Redacted {
    pub text: String,
    /// (original span, span in `text`) of each masked region, in order.
    regions: Vec<(Span, Span)>,
}

impl Redacted {
    /// Masks `secrets` (overlapping or unsorted spans are merged) in `text`.
    pub fn new(text: &str, secrets: &[Span]) -> Redacted {
        let mut spans: Vec<Span> = secrets
            .iter()
            .copied()
            .filter(|s| !s.is_empty() && (s.end as usize) <= text.len())
            .collect();
        spans.sort();
        let mut merged: Vec<Span> = Vec::new();
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                _ => merged.push(s),
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut regions = Vec::new();
        let mut at = 0usize;
        for s in merged {
            let (Some(before), Some(secret)) = (text.get(at..s.start as usize), text.get(s.range())) else {
                continue;
            };
            out.push_str(before);
            let start = out.len();
            out.push_str(&mask(secret));
            regions.push((s, Span::new(start, out.len())));
            at = s.end as usize;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        Redacted { text: out, regions }
    }

    /// Where original byte `offset` lies in the redacted text (inside a secret: its mask start).
    pub fn map(&self, offset: u32) -> u32 {
        let mut delta: i64 = 0;
        for (orig, new) in &self.regions {
            if offset < orig.start {
                break;
            }
            if offset < orig.end {
                return new.start;
            }
            delta = i64::from(new.end) - i64::from(orig.end);
        }
        (i64::from(offset) + delta).max(0) as u32
    }

    pub fn map_span(&self, span: Span) -> Span {
        let start = self.map(span.start);
        // A span ending where a secret ends ends after its mask, not at the mask's start.
        let end = self
            .regions
            .iter()
            .find(|(o, _)| o.end == span.end)
            .map_or_else(|| self.map(span.end), |(_, n)| n.end);
        Span {
            start,
            end: end.max(start),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_secrets_show_nothing() {
        assert_eq!(mask("hunter2"), "[redacted]");
        assert_eq!(mask("ghp_0123456789abcdefghij"), "ghp_…[redacted, 24 chars]");
    }

    #[test]
    fn spans_map_around_masks() {
        let text = "a: supersecretvalue123\nb: 1\n";
        let at = text.find("super").unwrap();
        let r = Redacted::new(text, &[Span::new(at, at + 19)]);
        assert!(!r.text.contains("supersecret"));
        let b = text.find("b:").unwrap() as u32;
        assert_eq!(&r.text[r.map(b) as usize..r.map(b) as usize + 2], "b:");
        let whole = r.map_span(Span::new(at, at + 19));
        assert_eq!(&r.text[whole.range()], "supe…[redacted, 19 chars]");
    }
}
