//! `.env` files into the spanned tree: one map of variable name to value.
//!
//! The dialect is the common one that Docker Compose's `env_file`, python-dotenv and node's
//! dotenv agree on:
//! - `KEY=value`, optionally `export KEY=value`, with spaces or tabs allowed around `=`; a bare
//!   `KEY` (its value comes from the environment) is valid and holds no value to read;
//! - names of ASCII letters, digits, `_`, `.` and `-`, not starting with a digit, `.` or `-`;
//! - unquoted values run to the end of the line, or to a `#` that follows a space or tab (a
//!   comment), trailing blanks trimmed; `KEY=` is an empty value;
//! - `'…'` is literal, `"…"` knows the escapes `\n \r \t \" \\ \$` (any other backslash stays
//!   as written); both may span lines, and a line break inside them reads as `\n`;
//! - `${VAR}` is not expanded: a rule that cares can read the value as written.
//!
//! A line that cannot be read becomes a [`SyntaxError`] and parsing goes on at the next line,
//! so one typo does not hide every variable after it.

use super::tree::{Comment, Document, DuplicateKey, Entry, Node, NodeKind, ScalarStyle, SyntaxError, TreeFile};
use super::Limits;
use crate::source::Span;
use std::collections::HashMap;

const BAD_NAME: &str = "invalid variable name: use letters, digits, `_`, `.` or `-`, starting with a letter or `_`";

pub fn parse(text: &str, limits: &Limits) -> TreeFile {
    let mut parser = Parser {
        text,
        b: text.as_bytes(),
        max_nodes: limits.max_nodes,
        nodes: 1,
        file: TreeFile::default(),
        entries: Vec::new(),
        first_seen: HashMap::new(),
    };
    let mut pos = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    while pos < text.len() {
        match parser.line(pos) {
            Some(next) => pos = next,
            None => break,
        }
    }
    let whole = Span::new(0, text.len());
    let mut file = parser.file;
    file.docs.push(Document {
        root: Some(Node {
            span: whole,
            kind: NodeKind::Map(parser.entries),
            anchor: None,
            tag: None,
        }),
        span: whole,
        anchors: HashMap::new(),
    });
    file
}

struct Parser<'t> {
    text: &'t str,
    b: &'t [u8],
    max_nodes: usize,
    nodes: usize,
    file: TreeFile,
    entries: Vec<Entry>,
    first_seen: HashMap<String, Span>,
}

/// A value as read: its node, and where the line holding its end finishes.
struct Value {
    node: Node,
    /// Just past the value: trailing blanks and a comment may follow up to `line_end`.
    after: usize,
    line_end: usize,
}

impl Parser<'_> {
    /// Reads the line starting at `start` (more lines for a quoted value that spans them) and
    /// returns where the next one starts, or `None` once the node limit stopped parsing.
    fn line(&mut self, start: usize) -> Option<usize> {
        let (end, next) = self.line_bounds(start);
        let first = self.skip_blanks(start, end);
        if first == end {
            return Some(next);
        }
        if self.b[first] == b'#' {
            self.comment(first, end);
            return Some(next);
        }
        let Some(key_span) = self.key(first, end) else {
            let message = if self.b[first..end].contains(&b'=') {
                BAD_NAME
            } else {
                "expected `KEY=value`"
            };
            self.error(message, Span::new(first, end));
            return Some(next);
        };
        let eq = self.skip_blanks(key_span.end as usize, end);
        if eq >= end || self.b[eq] == b'#' {
            // A bare `KEY` takes its value from the environment (Docker's --env-file, Compose's
            // env_file; an empty one for Kustomize's configMapGenerator): nothing to read here.
            if eq < end {
                self.comment(eq, end);
            }
            return Some(next);
        }
        if self.b[eq] != b'=' {
            let message = if self.b[eq..end].contains(&b'=') {
                BAD_NAME
            } else {
                "expected `=` after the variable name"
            };
            self.error(message, Span::new(first, end));
            return Some(next);
        }
        let Some(value) = self.value(eq + 1, end) else {
            self.error("unterminated quoted value", Span::new(first, end));
            return Some(next);
        };
        let next = self.line_bounds(value.line_end).1;
        let rest = self.skip_blanks(value.after, value.line_end);
        if rest < value.line_end {
            if self.b[rest] == b'#' {
                self.comment(rest, value.line_end);
            } else {
                self.error("unexpected text after the closing quote", Span::new(rest, value.line_end));
            }
        }
        self.nodes += 2;
        if self.nodes > self.max_nodes {
            self.error(&format!("more than {} nodes", self.max_nodes), key_span);
            return None;
        }
        let name = self.text.get(key_span.range()).unwrap_or("").to_string();
        if let Some(&first) = self.first_seen.get(&name) {
            self.file.duplicate_keys.push(DuplicateKey {
                key: name.clone(),
                first,
                second: key_span,
            });
        } else {
            self.first_seen.insert(name.clone(), key_span);
        }
        self.entries.push(Entry {
            key: Node::scalar(name, ScalarStyle::Plain, key_span),
            value: value.node,
        });
        Some(next)
    }

    /// The name at `at`, after an optional `export `; `None` if there is no valid name.
    fn key(&self, at: usize, end: usize) -> Option<Span> {
        let name_end = |from: usize| {
            let b = self.b.get(from).copied()?;
            if !(b.is_ascii_alphabetic() || b == b'_') {
                return None;
            }
            let len = self.b[from..end]
                .iter()
                .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
                .count();
            Some(from + len)
        };
        // `export` is a prefix only when a name follows it; `export=1` names a variable `export`.
        if self.b[at..end].starts_with(b"export") && matches!(self.b.get(at + 6), Some(b' ' | b'\t')) {
            let from = self.skip_blanks(at + 6, end);
            if let Some(name_end) = name_end(from) {
                return Some(Span::new(from, name_end));
            }
        }
        name_end(at).map(|name_end| Span::new(at, name_end))
    }

    /// The value after the `=` at `at - 1`; `None` for a quote that never closes.
    fn value(&self, at: usize, end: usize) -> Option<Value> {
        let v = self.skip_blanks(at, end);
        match self.b.get(v) {
            Some(&quote @ (b'"' | b'\'')) if v < end => {
                let close = self.closing_quote(v + 1, quote)?;
                let raw = self.text.get(v + 1..close).unwrap_or("");
                let (value, style) = if quote == b'"' {
                    (unescape(raw), ScalarStyle::DoubleQuoted)
                } else {
                    (raw.replace("\r\n", "\n"), ScalarStyle::SingleQuoted)
                };
                let line_end = self.line_bounds(close).0;
                Some(Value {
                    node: Node::scalar(value, style, Span::new(v, close + 1)),
                    after: close + 1,
                    line_end,
                })
            }
            _ => {
                // A `#` starts a comment only after a blank, so `KEY=a#b` keeps its `#`.
                let stop = (v..end)
                    .find(|&i| self.b[i] == b'#' && matches!(self.b[i - 1], b' ' | b'\t'))
                    .unwrap_or(end);
                let mut value_end = stop;
                while value_end > v && matches!(self.b[value_end - 1], b' ' | b'\t' | b'\r') {
                    value_end -= 1;
                }
                let span = if value_end > v { Span::new(v, value_end) } else { Span::empty(at) };
                let value = self.text.get(span.range()).unwrap_or("");
                Some(Value {
                    node: Node::scalar(value, ScalarStyle::Plain, span),
                    after: stop,
                    line_end: end,
                })
            }
        }
    }

    /// The closing `quote` for a value whose body starts at `from`, across lines.
    fn closing_quote(&self, from: usize, quote: u8) -> Option<usize> {
        let mut i = from;
        while i < self.b.len() {
            match self.b[i] {
                b'\\' if quote == b'"' => i += 2,
                c if c == quote => return Some(i),
                _ => i += 1,
            }
        }
        None
    }

    /// The end of the line holding `at` (before `\r\n` or `\n`, and any stray `\r` before them)
    /// and the start of the next line.
    fn line_bounds(&self, at: usize) -> (usize, usize) {
        let nl = self.b[at..].iter().position(|&c| c == b'\n').map(|p| at + p);
        let mut end = nl.unwrap_or(self.b.len());
        while end > at && self.b[end - 1] == b'\r' {
            end -= 1;
        }
        (end, nl.map_or(self.b.len(), |nl| nl + 1))
    }

    fn skip_blanks(&self, mut i: usize, end: usize) -> usize {
        while i < end && matches!(self.b[i], b' ' | b'\t') {
            i += 1;
        }
        i
    }

    fn comment(&mut self, at: usize, end: usize) {
        self.file.comments.push(Comment {
            text: self.text.get(at + 1..end).unwrap_or("").to_string(),
            span: Span::new(at, end),
        });
    }

    fn error(&mut self, message: &str, span: Span) {
        self.file.errors.push(SyntaxError {
            message: message.to_string(),
            span,
        });
    }
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek().copied() {
                Some(e @ ('n' | 'r' | 't' | '"' | '\\' | '$')) => {
                    chars.next();
                    out.push(match e {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        other => other,
                    });
                }
                _ => out.push('\\'),
            },
            '\r' if chars.peek() == Some(&'\n') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    fn root(file: &TreeFile) -> &Node {
        file.docs[0].root.as_ref().expect("root")
    }

    fn ok(text: &str) -> TreeFile {
        let file = parse(text, &Limits::default());
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        file
    }

    fn value<'a>(file: &'a TreeFile, key: &str) -> (&'a str, ScalarStyle) {
        let node = root(file).get(key).expect(key);
        let s = node.as_scalar().expect("scalar");
        (s.value.as_str(), s.style)
    }

    #[test]
    fn plain_values_and_their_spans() {
        let text = "A=1\nexport B = two words \n  C=\tx=y\nexport=e\nD=\n";
        let file = ok(text);
        assert_eq!(value(&file, "A"), ("1", ScalarStyle::Plain));
        assert_eq!(value(&file, "B"), ("two words", ScalarStyle::Plain));
        assert_eq!(value(&file, "C"), ("x=y", ScalarStyle::Plain));
        assert_eq!(value(&file, "export"), ("e", ScalarStyle::Plain));
        assert_eq!(value(&file, "D"), ("", ScalarStyle::Plain));
        let b = root(&file).entry("B").expect("B");
        assert_eq!(slice(text, b.key.span), "B");
        assert_eq!(slice(text, b.value.span), "two words");
        let d = root(&file).entry("D").expect("D");
        assert_eq!(d.value.span, Span::empty(text.find("D=").expect("D") + 2));
        assert!(d.value.is_null());
    }

    #[test]
    fn quoted_values_keep_quotes_in_their_span() {
        let text = "S='lit \\n $x' # c1\nD=\"a\\nb \\\"q\\\" \\$HOME \\x\"\nM=\"line1\r\nline2\"\nL='one\ntwo'\nE=\"\"\n";
        let file = ok(text);
        assert_eq!(value(&file, "S"), ("lit \\n $x", ScalarStyle::SingleQuoted));
        assert_eq!(value(&file, "D"), ("a\nb \"q\" $HOME \\x", ScalarStyle::DoubleQuoted));
        assert_eq!(value(&file, "M"), ("line1\nline2", ScalarStyle::DoubleQuoted));
        assert_eq!(value(&file, "L"), ("one\ntwo", ScalarStyle::SingleQuoted));
        assert_eq!(value(&file, "E"), ("", ScalarStyle::DoubleQuoted));
        let s = root(&file).get("S").expect("S");
        assert_eq!(slice(text, s.span), "'lit \\n $x'");
        let m = root(&file).get("M").expect("M");
        assert_eq!(slice(text, m.span), "\"line1\r\nline2\"");
        let keys: Vec<_> = root(&file)
            .as_map()
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e.key.as_str())
            .collect();
        assert_eq!(keys, ["S", "D", "M", "L", "E"]);
        assert_eq!(file.comments.len(), 1);
        assert_eq!(file.comments[0].text, " c1");
    }

    #[test]
    fn comments_blank_lines_and_inline_comments() {
        let text = "# head\n\n   \nA=x # tail\nB=x#y\nC= # only\n  # indented\n";
        let file = ok(text);
        assert_eq!(value(&file, "A"), ("x", ScalarStyle::Plain));
        assert_eq!(value(&file, "B"), ("x#y", ScalarStyle::Plain));
        assert_eq!(value(&file, "C"), ("", ScalarStyle::Plain));
        let texts: Vec<_> = file.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, [" head", " tail", " only", " indented"]);
        for c in &file.comments {
            assert_eq!(slice(text, c.span), format!("#{}", c.text));
        }
    }

    #[test]
    fn duplicate_keys_are_reported_and_kept() {
        let text = "A=1\nB=2\nexport A=3\n";
        let file = ok(text);
        assert_eq!(
            file.duplicate_keys,
            [DuplicateKey {
                key: "A".into(),
                first: Span::new(0, 1),
                second: Span::new(15, 16)
            }]
        );
        assert_eq!(root(&file).as_map().map(<[Entry]>::len), Some(3));
        assert_eq!(root(&file).get("A").and_then(Node::as_str), Some("3"));
    }

    #[test]
    fn malformed_lines_are_errors_and_parsing_goes_on() {
        let text = "A=1\nno equals here\n1BAD=x\nMY KEY=1\nU=\"open\nB=2\nQ='x' trailing\nC=3";
        let file = parse(text, &Limits::default());
        let lines: Vec<_> = file.errors.iter().map(|e| slice(text, e.span)).collect();
        assert_eq!(lines, ["no equals here", "1BAD=x", "MY KEY=1", "U=\"open", "trailing"]);
        let keys: Vec<_> = root(&file)
            .as_map()
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e.key.as_str())
            .collect();
        assert_eq!(keys, ["A", "B", "Q", "C"]);
        assert_eq!(value(&file, "C"), ("3", ScalarStyle::Plain));
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{feff}A=1\r\n# c\r\nB='x'\r\nC=\r\n";
        let file = ok(text);
        let a = root(&file).entry("A").expect("A");
        assert_eq!(a.key.span, Span::new(3, 4));
        assert_eq!(slice(text, a.value.span), "1");
        assert_eq!(slice(text, file.comments[0].span), "# c");
        assert_eq!(value(&file, "B"), ("x", ScalarStyle::SingleQuoted));
        assert_eq!(value(&file, "C"), ("", ScalarStyle::Plain));
        let bad = parse("X Y\r\n", &Limits::default());
        assert_eq!(bad.errors.first().map(|e| e.span), Some(Span::new(0, 3)));
    }

    #[test]
    fn a_bare_name_takes_its_value_from_the_environment() {
        let text = "staging\nexport HOME # from the shell\nA=1";
        let file = ok(text);
        assert_eq!(root(&file).as_map().map(<[Entry]>::len), Some(1));
        assert_eq!(slice(text, file.comments[0].span), "# from the shell");
    }

    #[test]
    fn multibyte_values() {
        let text = "É=1\nNAME=héllo ✓ # ünï\nQ=\"✓\"\n";
        let file = parse(text, &Limits::default());
        assert_eq!(file.errors.len(), 1);
        assert_eq!(slice(text, file.errors[0].span), "É=1");
        let name = root(&file).entry("NAME").expect("NAME");
        assert_eq!(slice(text, name.value.span), "héllo ✓");
        assert_eq!(file.comments[0].text, " ünï");
        assert_eq!(value(&file, "Q"), ("✓", ScalarStyle::DoubleQuoted));
    }

    #[test]
    fn node_limit_stops_parsing() {
        let limits = Limits {
            max_nodes: 4,
            ..Limits::default()
        };
        let file = parse("A=1\nB=2\nC=3\n", &limits);
        assert_eq!(file.errors.len(), 1);
        assert_eq!(root(&file).as_map().map(<[Entry]>::len), Some(1));
    }

    #[test]
    fn empty_input_is_an_empty_map() {
        for text in ["", "\u{feff}", "\n\n", "# only\n"] {
            let file = ok(text);
            assert_eq!(root(&file).as_map().map(<[Entry]>::len), Some(0));
        }
    }

    fn check_spans(text: &str, file: &TreeFile) {
        let ok = |s: Span| {
            s.end as usize <= text.len()
                && text.is_char_boundary(s.start as usize)
                && text.is_char_boundary(s.end as usize)
                && !text[s.range()].ends_with('\r')
        };
        for c in &file.comments {
            assert!(ok(c.span), "{c:?}");
        }
        for e in &file.errors {
            assert!(ok(e.span), "{e:?}");
        }
        for d in &file.duplicate_keys {
            assert!(ok(d.first) && ok(d.second), "{d:?}");
        }
        let root = file.docs[0].root.as_ref().expect("root");
        for e in root.as_map().unwrap_or_default() {
            assert!(ok(e.key.span) && ok(e.value.span), "{e:?}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            check_spans(&text, &parse(&text, &Limits::default()));
        }

        #[test]
        fn env_like_text_never_panics(text in "(\u{feff})?[A-Za-z_0-9 =#'\"\\\\\n\r\t$é✓.-]{0,80}") {
            check_spans(&text, &parse(&text, &Limits { max_depth: 1, max_nodes: 9 }));
        }

        #[test]
        fn written_values_read_back(
            pairs in proptest::collection::vec(("[A-Z_][A-Z0-9_]{0,6}", "[a-z0-9é✓ ]{0,8}", 0..3u8), 1..6),
        ) {
            let mut text = String::new();
            for (k, v, quote) in &pairs {
                let raw = match quote {
                    0 => v.trim().to_string(),
                    1 => format!("'{v}'"),
                    _ => format!("\"{v}\""),
                };
                text.push_str(&format!("{k}={raw}\r\n"));
            }
            let file = parse(&text, &Limits::default());
            prop_assert!(file.errors.is_empty());
            let entries = root(&file).as_map().unwrap_or_default();
            prop_assert_eq!(entries.len(), pairs.len());
            for (e, (k, v, quote)) in entries.iter().zip(&pairs) {
                prop_assert_eq!(slice(&text, e.key.span), k.as_str());
                let want = if *quote == 0 { v.trim() } else { v.as_str() };
                prop_assert_eq!(e.value.as_scalar().map(|s| s.value.as_str()), Some(want));
            }
        }
    }
}
