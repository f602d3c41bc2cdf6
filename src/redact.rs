//! Secrets never leave andon in full: no output shows more than a 4-character prefix and the
//! length, and nothing at all of a value under 16 characters.

use crate::source::Span;
use regex::Regex;
use std::sync::OnceLock;

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

/// Known credential formats, named for messages: the one list, read by the rules that report
/// secrets under any key and by every output, which masks text of these shapes whether or not
/// a rule reported it.
const TOKEN_FORMATS: &[(&str, &str)] = &[
    (r"\b(AKIA|ASIA)[0-9A-Z]{16}\b", "an AWS access key"),
    (r"\bgh[pousr]_[A-Za-z0-9]{36,}\b", "a GitHub token"),
    (r"\bgithub_pat_[A-Za-z0-9_]{60,}\b", "a GitHub token"),
    (r"\bglpat-[A-Za-z0-9_\-]{20,}\b", "a GitLab token"),
    (r"\bxox[abprs]-[A-Za-z0-9\-]{10,}", "a Slack token"),
    (r"\b[sr]k_live_[A-Za-z0-9]{20,}\b", "a Stripe secret key"),
    (r"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----", "a private key"),
    (
        r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}",
        "a JSON Web Token",
    ),
];

fn token_formats() -> &'static [(Regex, &'static str)] {
    static FORMATS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    FORMATS.get_or_init(|| {
        TOKEN_FORMATS
            .iter()
            .filter_map(|(re, what)| Regex::new(re).ok().map(|r| (r, *what)))
            .collect()
    })
}

/// The known token format `value` holds, named for a message.
pub fn token_format(value: &str) -> Option<&'static str> {
    token_formats().iter().find(|(re, _)| re.is_match(value)).map(|(_, what)| *what)
}

/// Shapes of credentials in free text that no format names: a private key's whole block, the
/// value after `Bearer`/`Basic` (holding a digit, so that prose such as "bearer tokens" is
/// left alone), and the password of a URL's user information. Group 1 is the secret.
const CREDENTIAL_SHAPES: &[&str] = &[
    r"(-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----(?s:.*?)(?:-----END (?:[A-Z]+ )?PRIVATE KEY-----|\z))",
    r"(?i)\b(?:bearer|basic)\s+([A-Za-z0-9._~+/=\-]*[0-9][A-Za-z0-9._~+/=\-]*)",
    r"\b[A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@'\x22]+:([^/\s@'\x22]+)@",
];

/// Every credential-shaped text in `text`, whether or not a rule reported it: known token
/// formats and [`CREDENTIAL_SHAPES`], references (`$TOKEN`, `${TOKEN}`) and placeholders
/// excepted. Every output masks these as it masks reported secrets.
pub fn credential_spans(text: &str) -> Vec<Span> {
    static SHAPES: OnceLock<Vec<Regex>> = OnceLock::new();
    let shapes = SHAPES.get_or_init(|| CREDENTIAL_SHAPES.iter().filter_map(|re| Regex::new(re).ok()).collect());
    let mut out = Vec::new();
    for (re, _) in token_formats() {
        out.extend(re.find_iter(text).map(|m| Span::new(m.start(), m.end())));
    }
    for re in shapes {
        for c in re.captures_iter(text) {
            let Some(m) = c.get(1) else { continue };
            let v = m.as_str();
            if m.len() >= 4 && !v.starts_with('$') && !is_placeholder(v) {
                out.push(Span::new(m.start(), m.end()));
            }
        }
    }
    out
}

/// Every span of `text` where one of `values` (secrets found in another version of the same
/// file, before or after a fix) is written. Values shorter than 4 bytes are left out: masking
/// every `a` of a file hides nothing and garbles everything.
pub fn occurrences(text: &str, values: &[&str]) -> Vec<Span> {
    let mut out = Vec::new();
    for v in values.iter().filter(|v| v.len() >= 4) {
        out.extend(text.match_indices(*v).map(|(at, _)| Span::new(at, at + v.len())));
    }
    out
}

/// Two versions of a file (before and after a fix), each with the secrets its findings marked,
/// masked for a diff: in each, its own secrets, every credential-shaped text, and wherever the
/// other version's secrets are written (a fix may move a secret no rule then reports).
pub fn mask_versions(before: (&str, &[Span]), after: (&str, &[Span])) -> (String, String) {
    let values =
        |(text, spans): (&str, &[Span])| -> Vec<String> { spans.iter().filter_map(|s| text.get(s.range())).map(str::to_string).collect() };
    let mask = |(text, spans): (&str, &[Span]), other: &[String]| {
        let mut all = spans.to_vec();
        all.extend(credential_spans(text));
        let own = values((text, spans));
        let known: Vec<&str> = own.iter().chain(other).map(String::as_str).collect();
        all.extend(occurrences(text, &known));
        Redacted::new(text, &all).text
    };
    let (vb, va) = (values(before), values(after));
    (mask(before, &va), mask(after, &vb))
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

    /// The part `window` of `text` with those of `secrets` that reach into it masked (clipped to
    /// it); offsets given to [`Redacted::map`] are then relative to `window.start`. Costs time
    /// in proportion to the window, not the file: a report shows thousands of snippets of one
    /// large file.
    pub fn window(text: &str, window: Span, secrets: &[Span]) -> Redacted {
        let inside: Vec<Span> = secrets
            .iter()
            .filter(|s| s.start < window.end && s.end > window.start)
            .map(|s| Span {
                start: s.start.max(window.start) - window.start,
                end: s.end.min(window.end) - window.start,
            })
            .collect();
        Redacted::new(text.get(window.range()).unwrap_or(""), &inside)
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
    fn credential_shapes_are_found_in_free_text() {
        let text = "RUN curl -H 'Authorization: Bearer abc123def456ghi' https://u:hunter22@db.example/x \\\n\
                    && echo ghp_0123456789abcdefghij0123456789abcdef\n\
                    key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEow\n  -----END RSA PRIVATE KEY-----\n\
                    note: bearer tokens expire; basic authentication; Bearer $TOKEN; https://u:${PASS}@h/\n";
        let red = Redacted::new(text, &credential_spans(text));
        for secret in ["abc123def456ghi", "hunter22", "ghp_0123456789", "MIIEow"] {
            assert!(!red.text.contains(secret), "{secret} in {}", red.text);
        }
        for kept in ["bearer tokens expire", "basic authentication", "Bearer $TOKEN", "${PASS}@h"] {
            assert!(red.text.contains(kept), "{kept} in {}", red.text);
        }
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
