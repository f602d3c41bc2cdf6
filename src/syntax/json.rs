//! JSON (RFC 8259) into the spanned tree, by a recursive-descent parser of our own: serde_json
//! keeps no spans, and duplicate keys, which it silently collapses, must stay visible.
//!
//! One document whose span runs from after a leading byte-order mark to the end of the text.
//! Objects become maps whose keys are double-quoted scalars; strings are double-quoted scalars
//! with escapes decoded; numbers, `true`, `false` and `null` are plain scalars holding their
//! text as written. Every span covers its value as written: quotes, brackets and braces
//! included. Recursion is bounded by [`Limits::max_depth`], nodes by [`Limits::max_nodes`].
//! The first error stops the parse; what was parsed before it is kept, so a file cut short
//! still yields its complete entries.

use super::tree::{Document, Entry, Node, NodeKind, ScalarStyle, SyntaxError, TreeFile};
use super::Limits;
use crate::source::Span;

pub fn parse(text: &str, limits: &Limits) -> TreeFile {
    parse_as(text, limits, false)
}

/// JSON with comments (`//`, `/* */`) and trailing commas, as application configs are read
/// (.NET's `appsettings.json`, VS Code-style settings): what their loaders accept must not be
/// reported as a parse error. Comments are skipped like white space.
pub fn parse_jsonc(text: &str, limits: &Limits) -> TreeFile {
    parse_as(text, limits, true)
}

fn parse_as(text: &str, limits: &Limits, jsonc: bool) -> TreeFile {
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut parser = JsonParser {
        text,
        bytes: text.as_bytes(),
        pos: start,
        limits,
        nodes: 0,
        error: None,
        jsonc,
    };
    parser.skip_ws();
    let root = parser.value(0);
    if parser.error.is_none() {
        parser.skip_ws();
        if parser.pos < text.len() {
            parser.fail("trailing characters after the JSON value", parser.pos);
        }
    }
    let docs = vec![Document {
        root,
        span: Span::new(start, text.len()),
        ..Document::default()
    }];
    TreeFile {
        duplicate_keys: super::yaml::duplicate_keys(&docs),
        docs,
        comments: Vec::new(),
        errors: parser.error.into_iter().collect(),
    }
}

struct JsonParser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Always on a character boundary: the parser only ever steps over ASCII bytes or whole
    /// runs of string content that end before an ASCII byte.
    pos: usize,
    limits: &'a Limits,
    nodes: usize,
    /// The first error; once set, every loop stops and returns what it has.
    error: Option<SyntaxError>,
    /// Comments and trailing commas allowed (see [`parse_jsonc`]).
    jsonc: bool,
}

impl JsonParser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        loop {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.pos += 1;
            }
            if !self.jsonc || self.peek() != Some(b'/') {
                return;
            }
            let start = self.pos;
            let rest = &self.text[start..];
            let end = if rest.starts_with("//") {
                start + rest.find('\n').unwrap_or(rest.len())
            } else if let Some(body) = rest.strip_prefix("/*") {
                match body.find("*/") {
                    Some(i) => start + 2 + i + 2,
                    None => {
                        self.fail("unterminated comment", start);
                        self.pos = self.text.len();
                        return;
                    }
                }
            } else {
                return;
            };
            self.pos = end;
        }
    }

    fn fail(&mut self, message: impl Into<String>, at: usize) {
        if self.error.is_none() {
            self.error = Some(SyntaxError {
                message: message.into(),
                span: Span::empty(at),
            });
        }
    }

    fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// Counts one node; false (with the error recorded) once the budget is spent.
    fn count(&mut self, at: usize) -> bool {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            self.fail(format!("more than {} nodes", self.limits.max_nodes), at);
            return false;
        }
        true
    }

    /// The value at the current position (white space already skipped), or `None` with the
    /// error recorded. `depth` is the number of enclosing arrays and objects.
    fn value(&mut self, depth: usize) -> Option<Node> {
        let at = self.pos;
        match self.peek() {
            Some(b'{' | b'[') => self.collection(depth),
            Some(b'"') => {
                if !self.count(at) {
                    return None;
                }
                let (value, span) = self.string()?;
                Some(Node::scalar(value, ScalarStyle::DoubleQuoted, span))
            }
            Some(b'-' | b'0'..=b'9') => {
                if !self.count(at) {
                    return None;
                }
                self.number()
            }
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(_) => {
                self.fail("expected a value", at);
                None
            }
            None => {
                self.fail("expected a value, found the end of the text", at);
                None
            }
        }
    }

    /// An array or object, or as much of it as parsed before an error.
    fn collection(&mut self, depth: usize) -> Option<Node> {
        let open = self.pos;
        let is_map = self.peek() == Some(b'{');
        if depth >= self.limits.max_depth {
            self.fail(format!("nesting deeper than {} levels", self.limits.max_depth), open);
            return None;
        }
        if !self.count(open) {
            return None;
        }
        let close = if is_map { b'}' } else { b']' };
        self.pos += 1;
        let mut entries = Vec::new();
        let mut items = Vec::new();
        let mut end = self.pos;
        self.skip_ws();
        if self.peek() == Some(close) {
            self.pos += 1;
            end = self.pos;
        } else {
            loop {
                let child_end = if is_map {
                    self.entry(depth).map(|e| {
                        let end = e.value.span.end as usize;
                        entries.push(e);
                        end
                    })
                } else {
                    self.value(depth + 1).map(|n| {
                        let end = n.span.end as usize;
                        items.push(n);
                        end
                    })
                };
                let Some(child_end) = child_end else { break };
                end = child_end;
                if self.failed() {
                    break;
                }
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        let comma = self.pos;
                        self.pos += 1;
                        self.skip_ws();
                        if self.peek() == Some(close) {
                            if self.jsonc {
                                self.pos += 1;
                                end = self.pos;
                            } else {
                                self.fail("trailing comma", comma);
                            }
                            break;
                        }
                    }
                    Some(c) if c == close => {
                        self.pos += 1;
                        end = self.pos;
                        break;
                    }
                    _ if is_map => {
                        self.fail("expected ',' or '}'", self.pos);
                        break;
                    }
                    _ => {
                        self.fail("expected ',' or ']'", self.pos);
                        break;
                    }
                }
            }
        }
        let kind = if is_map { NodeKind::Map(entries) } else { NodeKind::Seq(items) };
        Some(Node {
            span: Span::new(open, end),
            kind,
            anchor: None,
            tag: None,
        })
    }

    /// `"key": value` inside an object, at the key's quote; `None` unless both parsed (the
    /// value possibly cut short by an error).
    fn entry(&mut self, depth: usize) -> Option<Entry> {
        let at = self.pos;
        if self.peek() != Some(b'"') {
            self.fail("expected a string key", at);
            return None;
        }
        if !self.count(at) {
            return None;
        }
        let (key, span) = self.string()?;
        let key = Node::scalar(key, ScalarStyle::DoubleQuoted, span);
        self.skip_ws();
        if self.peek() != Some(b':') {
            self.fail("expected ':'", self.pos);
            return None;
        }
        self.pos += 1;
        self.skip_ws();
        let value = self.value(depth + 1)?;
        Some(Entry { key, value })
    }

    /// A string at its opening quote: its decoded value and span, quotes included.
    fn string(&mut self) -> Option<(String, Span)> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let run = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len());
            // The run stops before an ASCII byte or at the end, so both ends are boundaries.
            out.push_str(self.text.get(self.pos..self.pos + run).unwrap_or_default());
            self.pos += run;
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Some((out, Span::new(open, self.pos)));
                }
                Some(b'\\') => {
                    if !self.escape(open, &mut out) {
                        return None;
                    }
                }
                // A raw line break means the closing quote is missing, not a stray character.
                None | Some(b'\n' | b'\r') => {
                    self.fail("unterminated string", open);
                    return None;
                }
                Some(c) => {
                    self.fail(format!("control character U+{c:04X} in a string"), self.pos);
                    return None;
                }
            }
        }
    }

    /// One escape sequence at its backslash, appended to `out`; false with the error recorded.
    fn escape(&mut self, open: usize, out: &mut String) -> bool {
        let at = self.pos;
        let decoded = match self.bytes.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(out),
            Some(_) => {
                self.fail("invalid escape in a string", at);
                return false;
            }
            None => {
                self.fail("unterminated string", open);
                return false;
            }
        };
        out.push(decoded);
        self.pos += 2;
        true
    }

    /// `\uXXXX` at its backslash, joining a surrogate pair into one character. A lone surrogate,
    /// which RFC 8259 allows but no Rust string can hold, becomes U+FFFD.
    fn unicode_escape(&mut self, out: &mut String) -> bool {
        let Some(unit) = self.hex4(self.pos + 2) else {
            self.fail("invalid \\u escape: expected four hex digits", self.pos);
            return false;
        };
        self.pos += 6;
        let ch = if (0xD800..0xDC00).contains(&unit) {
            let low = (self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u"))
                .then(|| self.hex4(self.pos + 2))
                .flatten()
                .filter(|low| (0xDC00..0xE000).contains(low));
            match low {
                Some(low) => {
                    self.pos += 6;
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                }
                None => None,
            }
        } else {
            char::from_u32(unit)
        };
        out.push(ch.unwrap_or(char::REPLACEMENT_CHARACTER));
        true
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        digits.iter().try_fold(0u32, |acc, &b| {
            let digit = char::from(b).to_digit(16)?;
            Some(acc * 16 + digit)
        })
    }

    /// A number as RFC 8259 writes it, kept as its text.
    fn number(&mut self) -> Option<Node> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    self.fail("invalid number: leading zero", start);
                    return None;
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => {
                self.fail("invalid number: expected a digit", self.pos);
                return None;
            }
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.fail("invalid number: expected a digit after '.'", self.pos);
                return None;
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.fail("invalid number: expected a digit in the exponent", self.pos);
                return None;
            }
            self.digits();
        }
        let raw = self.text.get(start..self.pos).unwrap_or_default();
        Some(Node::scalar(raw, ScalarStyle::Plain, Span::new(start, self.pos)))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// `true`, `false` or `null`.
    fn literal(&mut self, word: &str) -> Option<Node> {
        let start = self.pos;
        let rest = self.bytes.get(start..).unwrap_or_default();
        if !rest.starts_with(word.as_bytes()) {
            self.fail(format!("expected a value (`{word}`?)"), start);
            return None;
        }
        if !self.count(start) {
            return None;
        }
        self.pos += word.len();
        Some(Node::scalar(word, ScalarStyle::Plain, Span::new(start, self.pos)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    fn parse_ok(text: &str) -> TreeFile {
        let file = parse(text, &Limits::default());
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        file
    }

    fn root(file: &TreeFile) -> &Node {
        file.docs[0].root.as_ref().expect("a root")
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    fn error(text: &str) -> (String, usize) {
        let file = parse(text, &Limits::default());
        assert_eq!(file.errors.len(), 1, "{text:?}: {:?}", file.errors);
        let e = &file.errors[0];
        assert!(e.span.is_empty());
        (e.message.clone(), e.span.start as usize)
    }

    #[test]
    fn values_styles_and_spans() {
        let text = "{\"é🎉\": \"héllo\", \"n\": -1.5e+3, \"t\": true, \"z\": null, \"a\": [1, {}, []]}";
        let file = parse_ok(text);
        let r = root(&file);
        assert_eq!(slice(text, r.span), text);
        let e = r.entry("é🎉").expect("key");
        assert_eq!(slice(text, e.key.span), "\"é🎉\"");
        assert_eq!(e.key.as_scalar().map(|s| s.style), Some(ScalarStyle::DoubleQuoted));
        assert_eq!(slice(text, e.value.span), "\"héllo\"");
        assert_eq!(e.value.as_str(), Some("héllo"));
        let n = r.get("n").expect("n");
        assert_eq!((slice(text, n.span), n.as_f64()), ("-1.5e+3", Some(-1500.0)));
        assert_eq!(r.get("t").and_then(Node::as_bool), Some(true));
        let z = r.get("z").expect("z");
        assert!(z.is_null());
        assert_eq!(z.as_scalar().map(|s| s.value.as_str()), Some("null"));
        let a = r.get("a").expect("a");
        assert_eq!(slice(text, a.span), "[1, {}, []]");
        let items = a.as_seq().expect("seq");
        assert_eq!(slice(text, items[1].span), "{}");
        assert_eq!(slice(text, items[2].span), "[]");
        assert_eq!(items[0].as_i64(), Some(1));
        assert!(file.duplicate_keys.is_empty());
        assert!(file.comments.is_empty());
    }

    #[test]
    fn escapes_are_decoded() {
        let text = r#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20AC", "\ud83c\udf89", "\ud800x", "\udc00"]"#;
        let file = parse_ok(text);
        let got: Vec<&str> = root(&file).as_seq().expect("seq").iter().filter_map(Node::as_str).collect();
        assert_eq!(got, ["a\"b\\c/d\u{8}\u{c}\n\r\t", "é€", "🎉", "\u{fffd}x", "\u{fffd}"]);
    }

    #[test]
    fn byte_order_mark_and_white_space() {
        let text = "\u{feff} \n{\"a\": 1}\r\n";
        let file = parse_ok(text);
        let r = root(&file);
        assert_eq!(slice(text, r.span), "{\"a\": 1}");
        assert_eq!(file.docs[0].span, Span::new(3, text.len()));
    }

    #[test]
    fn app_configs_take_comments_and_trailing_commas() {
        let text = "// settings\n{\n  \"a\": 1, /* why */\n  \"b\": [1, 2,],\n  // \"c\": \"x\"\n}\n";
        let file = parse_jsonc(text, &Limits::default());
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let r = root(&file);
        assert_eq!(r.get("a").and_then(Node::as_i64), Some(1));
        assert_eq!(r.get("b").and_then(Node::as_seq).map(<[Node]>::len), Some(2));
        assert!(r.get("c").is_none());
        assert!(!parse(text, &Limits::default()).errors.is_empty());
        let open = parse_jsonc("{\"a\": 1 /* open", &Limits::default());
        assert_eq!(open.errors[0].message, "unterminated comment");
    }

    #[test]
    fn duplicate_keys_are_reported() {
        let text = r#"{"a": 1, "b": {"x": 1, "x": 2}, "a": 3}"#;
        let file = parse_ok(text);
        let dups: Vec<(&str, usize, usize)> = file
            .duplicate_keys
            .iter()
            .map(|d| (d.key.as_str(), d.first.start as usize, d.second.start as usize))
            .collect();
        assert_eq!(dups, [("x", 15, 23), ("a", 1, 32)]);
        assert_eq!(root(&file).get("a").and_then(Node::as_str), Some("3"));
    }

    #[test]
    fn errors_at_the_exact_offset() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "expected a value, found the end of the text", 0),
            ("{\"a\": 1 \"b\": 2}", "expected ',' or '}'", 8),
            ("[1 2]", "expected ',' or ']'", 3),
            ("{\"é\": \"x", "unterminated string", 7),
            ("[\"a\nb\"]", "unterminated string", 1),
            ("[\"a\u{1}\"]", "control character U+0001 in a string", 3),
            ("{\"a\" 1}", "expected ':'", 5),
            ("{1: 2}", "expected a string key", 1),
            ("[1,]", "trailing comma", 2),
            ("{\"a\": 1,}", "trailing comma", 7),
            ("[01]", "invalid number: leading zero", 1),
            ("[1.]", "invalid number: expected a digit after '.'", 3),
            ("[1e]", "invalid number: expected a digit in the exponent", 3),
            ("[-]", "invalid number: expected a digit", 2),
            ("[tru]", "expected a value (`true`?)", 1),
            ("{\"a\": 'x'}", "expected a value", 6),
            ("[\"\\x\"]", "invalid escape in a string", 2),
            ("[\"\\u12\"]", "invalid \\u escape: expected four hex digits", 2),
            ("{} {}", "trailing characters after the JSON value", 3),
            ("é", "expected a value", 0),
        ];
        for (text, message, at) in cases {
            assert_eq!(error(text), (message.to_string(), *at), "{text:?}");
        }
    }

    #[test]
    fn error_keeps_what_was_parsed() {
        let text = "{\"a\": 1, \"b\": [1, 2, {\"c\": x}], \"d\": 4}";
        let file = parse(text, &Limits::default());
        assert_eq!(file.errors.len(), 1);
        let r = root(&file);
        assert_eq!(r.get("a").and_then(Node::as_str), Some("1"));
        assert_eq!(r.get("b").and_then(Node::as_seq).map(<[Node]>::len), Some(3));
        assert!(r.get("d").is_none());
        assert_eq!(slice(text, r.span), "{\"a\": 1, \"b\": [1, 2, {");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for open in ["[", "{\"a\":"] {
            let text = open.repeat(100_000);
            let (message, at) = error(&text);
            assert_eq!(message, "nesting deeper than 256 levels");
            assert_eq!(at, 256 * open.len());
        }
        let text = format!("{}{}", "[".repeat(256), "]".repeat(256));
        parse_ok(&text);
    }

    #[test]
    fn node_limit() {
        let limits = Limits {
            max_nodes: 3,
            ..Limits::default()
        };
        let file = parse("[1, 2, 3]", &limits);
        assert_eq!(file.errors[0].message, "more than 3 nodes");
        assert_eq!(file.errors[0].span, Span::empty(7));
        assert_eq!(root(&file).as_seq().map(<[Node]>::len), Some(2));
    }

    /// The tree as serde_json would read it, numbers through serde_json so that `1.0` and `1.00`
    /// compare as it would.
    fn to_value(node: &Node) -> Value {
        match &node.kind {
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.as_str().unwrap_or_default().to_string(), to_value(&e.value)))
                    .collect(),
            ),
            NodeKind::Seq(items) => Value::Array(items.iter().map(to_value).collect()),
            NodeKind::Scalar(s) if s.style == ScalarStyle::DoubleQuoted => Value::String(s.value.clone()),
            NodeKind::Scalar(s) => serde_json::from_str(&s.value).unwrap_or(Value::Null),
            NodeKind::Alias(_) => Value::Null,
        }
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn assert_spans_sane(text: &str, file: &TreeFile) -> Result<(), TestCaseError> {
        let mut spans: Vec<Span> = file.docs.iter().map(|d| d.span).collect();
        for doc in &file.docs {
            if let Some(root) = &doc.root {
                root.walk(&mut |n| spans.push(n.span));
            }
        }
        spans.extend(file.errors.iter().map(|e| e.span));
        spans.extend(file.duplicate_keys.iter().flat_map(|d| [d.first, d.second]));
        for span in spans {
            prop_assert!(span.start <= span.end && span.end as usize <= text.len());
            prop_assert!(text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize));
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let file = parse(&text, &Limits::default());
            assert_spans_sane(&text, &file)?;
        }

        /// On JSON-like text we accept exactly what serde_json accepts (`\u` escapes aside:
        /// we keep lone surrogates as U+FFFD where serde_json refuses them).
        #[test]
        fn agrees_with_serde_json(text in "[\\[\\]{}\",:0-3ae\\-+.E\\\\/ \n\té]{0,48}") {
            let file = parse(&text, &Limits::default());
            assert_spans_sane(&text, &file)?;
            let theirs = serde_json::from_str::<Value>(&text);
            // serde_json refuses numbers beyond f64; we keep every number as text.
            prop_assume!(!theirs.as_ref().is_err_and(|e| e.to_string().contains("out of range")));
            prop_assert_eq!(file.errors.is_empty(), theirs.is_ok(), "{:?} {:?}", file.errors, theirs);
            if let Ok(theirs) = theirs {
                prop_assert_eq!(file.docs[0].root.as_ref().map(to_value), Some(theirs));
            }
        }

        /// serde_json's output parses to the same value, and every node's span holds that node.
        #[test]
        fn round_trips_serde_json(value in json_value(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value)
            } else {
                serde_json::to_string(&value)
            }
            .unwrap_or_default();
            let file = parse(&text, &Limits::default());
            prop_assert!(file.errors.is_empty(), "{:?}", file.errors);
            let root = file.docs[0].root.as_ref().ok_or_else(|| TestCaseError::fail("no root"))?;
            // Compared with serde_json's reading rather than `value`: without its
            // `float_roundtrip` feature serde_json may read back a float one ulp off.
            let expected: Value =
                serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(to_value(root), expected);
            let mut nodes = Vec::new();
            root.walk(&mut |n| nodes.push(n));
            for node in nodes {
                let written: Value = serde_json::from_str(slice(&text, node.span))
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(written, to_value(node));
            }
        }
    }
}
