//! TOML into the spanned tree.
//!
//! Parsing is toml_edit's (`Document::parse`, the only form that keeps spans). Comments are not
//! taken from toml_edit's decor, which scatters them over table, key, value and array-trailing
//! prefixes and suffixes; a small lexer of our own ([`scan`]) finds every `#` outside strings
//! instead, and in the same pass bounds the nesting depth before toml_edit sees the text.
//!
//! Span choices, since a TOML table need not be written in one place:
//! - a table opened by a header (`[a.b]`, `[[x]]`): key = the header's last key, map = the
//!   header (`[a.b]`), as toml_edit records it;
//! - a table only implied by a longer header or a dotted key (`a` in `[a.b]` or `a.b = 1`): key
//!   and map = the first key that implied it;
//! - an array of tables: the sequence runs from its first header to its last one;
//! - the root map and the document: the whole text.

use super::tree::{Comment, Document, Entry, Node, NodeKind, ScalarStyle, SyntaxError, TreeFile};
use super::Limits;
use crate::source::Span;
use std::collections::HashMap;
use std::ops::Range;
use toml_edit::{Item, Key, Table, Value};

pub fn parse(text: &str, limits: &Limits) -> TreeFile {
    let scan = scan(text, limits.max_depth);
    let mut file = TreeFile {
        comments: scan.comments,
        ..TreeFile::default()
    };
    if let Some(at) = scan.too_deep_at {
        file.errors.push(SyntaxError {
            message: format!("nesting deeper than {} levels", limits.max_depth),
            span: clamp(text, at..at + 1),
        });
        return file;
    }
    let doc = match toml_edit::Document::parse(text) {
        Ok(doc) => doc,
        Err(err) => {
            // The one spanless error toml_edit 0.25 reports is its limit on dotted-key length,
            // so the deepest place the scan saw is where the problem is.
            let span = err.span().map_or_else(|| Span::empty(scan.deepest_at), |r| clamp(text, r));
            file.errors.push(SyntaxError {
                message: err.message().trim().to_string(),
                span,
            });
            return file;
        }
    };
    let whole = Span::new(0, text.len());
    let mut builder = Builder {
        text,
        limits,
        nodes: 1,
        errors: Vec::new(),
        stopped: false,
    };
    let entries = builder.table_entries(doc.as_table(), 1);
    let root = collection(whole, NodeKind::Map(entries));
    file.errors.extend(builder.errors);
    file.docs.push(Document {
        root: Some(root),
        span: whole,
        anchors: HashMap::new(),
    });
    file
}

struct Builder<'t> {
    text: &'t str,
    limits: &'t Limits,
    nodes: usize,
    errors: Vec<SyntaxError>,
    /// Set once a limit was hit: the tree stays as built so far.
    stopped: bool,
}

impl Builder<'_> {
    /// Counts one more node; false (with the error recorded once) when over `max_nodes`.
    fn admit(&mut self, at: Span) -> bool {
        if self.stopped {
            return false;
        }
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            self.stop(at, format!("more than {} nodes", self.limits.max_nodes));
            return false;
        }
        true
    }

    fn stop(&mut self, at: Span, message: String) {
        if !self.stopped {
            self.stopped = true;
            self.errors.push(SyntaxError { message, span: at });
        }
    }

    fn span(&self, range: Option<Range<usize>>) -> Option<Span> {
        range.map(|r| clamp(self.text, r))
    }

    /// Entries in source order: toml_edit's order is insertion order, which moves a table
    /// re-opened by its own header (`[a.b]` then `[a]`) to the end.
    fn table_entries<'a>(&mut self, table: &'a Table, depth: usize) -> Vec<Entry> {
        let mut pairs: Vec<(&'a Key, &'a Item)> = table.iter().filter_map(|(name, _)| table.get_key_value(name)).collect();
        pairs.sort_by_key(|(key, _)| key.span().map_or(usize::MAX, |r| r.start));
        self.entries(pairs, depth)
    }

    fn inline_entries<'a>(&mut self, table: &'a toml_edit::InlineTable, depth: usize) -> Vec<Entry> {
        let mut pairs: Vec<(&'a Key, &'a Item)> = table.iter().filter_map(|(name, _)| table.get_key_value(name)).collect();
        pairs.sort_by_key(|(key, _)| key.span().map_or(usize::MAX, |r| r.start));
        self.entries(pairs, depth)
    }

    fn entries(&mut self, pairs: Vec<(&Key, &Item)>, depth: usize) -> Vec<Entry> {
        let mut out = Vec::with_capacity(pairs.len());
        for (key, item) in pairs {
            let key = self.key(key);
            if !self.admit(key.span) {
                break;
            }
            let Some(value) = self.item(item, key.span, depth) else {
                break;
            };
            out.push(Entry { key, value });
        }
        out
    }

    fn key(&self, key: &Key) -> Node {
        let span = self.span(key.span()).unwrap_or_default();
        let style = quote_style(self.text, span);
        Node::scalar(key.get(), style, span)
    }

    /// `None` once a limit stopped the build; `fallback` stands in for a missing span.
    fn item(&mut self, item: &Item, fallback: Span, depth: usize) -> Option<Node> {
        match item {
            Item::Value(value) => self.value(value, fallback, depth),
            Item::Table(table) => {
                let span = self.span(table.span()).unwrap_or(fallback);
                if !self.admit(span) || !self.descend(span, depth) {
                    return None;
                }
                let entries = self.table_entries(table, depth + 1);
                Some(collection(span, NodeKind::Map(entries)))
            }
            Item::ArrayOfTables(array) => {
                let span = self.span(array.span()).unwrap_or(fallback);
                if !self.admit(span) || !self.descend(span, depth) {
                    return None;
                }
                let mut items = Vec::with_capacity(array.len());
                for table in array.iter() {
                    let at = self.span(table.span()).unwrap_or(span);
                    if !self.admit(at) || !self.descend(at, depth + 1) {
                        break;
                    }
                    let entries = self.table_entries(table, depth + 2);
                    items.push(collection(at, NodeKind::Map(entries)));
                }
                Some(collection(span, NodeKind::Seq(items)))
            }
            // Table::iter and InlineTable::iter leave out `None`; an empty map is the sound stand-in.
            Item::None => Some(collection(fallback, NodeKind::Map(Vec::new()))),
        }
    }

    fn value(&mut self, value: &Value, fallback: Span, depth: usize) -> Option<Node> {
        let span = self.span(value.span()).unwrap_or(fallback);
        if !self.admit(span) {
            return None;
        }
        let raw = || self.text.get(span.range()).unwrap_or("").to_string();
        let node = match value {
            Value::String(s) => Node::scalar(s.value().as_str(), quote_style(self.text, span), span),
            Value::Integer(_) | Value::Float(_) | Value::Boolean(_) | Value::Datetime(_) => Node::scalar(raw(), ScalarStyle::Plain, span),
            Value::Array(array) => {
                if !self.descend(span, depth) {
                    return None;
                }
                let mut items = Vec::with_capacity(array.len());
                for v in array.iter() {
                    match self.value(v, span, depth + 1) {
                        Some(node) => items.push(node),
                        None => break,
                    }
                }
                collection(span, NodeKind::Seq(items))
            }
            Value::InlineTable(table) => {
                if !self.descend(span, depth) {
                    return None;
                }
                let entries = self.inline_entries(table, depth + 1);
                collection(span, NodeKind::Map(entries))
            }
        };
        Some(node)
    }

    /// Whether a collection at `depth` may hold children. The scan already refused deeper text,
    /// so this only guards the recursion should the two ever disagree.
    fn descend(&mut self, at: Span, depth: usize) -> bool {
        if depth >= self.limits.max_depth {
            self.stop(at, format!("nesting deeper than {} levels", self.limits.max_depth));
            return false;
        }
        true
    }
}

fn collection(span: Span, kind: NodeKind) -> Node {
    Node {
        span,
        kind,
        anchor: None,
        tag: None,
    }
}

/// Basic strings (`"…"`, `"""…"""`) read as double-quoted, literal ones as single-quoted, bare
/// keys as plain.
fn quote_style(text: &str, span: Span) -> ScalarStyle {
    match text.as_bytes().get(span.start as usize) {
        Some(b'"') => ScalarStyle::DoubleQuoted,
        Some(b'\'') => ScalarStyle::SingleQuoted,
        _ => ScalarStyle::Plain,
    }
}

/// A range from toml_edit, kept inside the text and widened to character boundaries, so that no
/// span can ever slice a character in two.
fn clamp(text: &str, range: Range<usize>) -> Span {
    let mut start = range.start.min(text.len());
    let mut end = range.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

struct Scan {
    comments: Vec<Comment>,
    /// Where the nesting first went beyond the limit.
    too_deep_at: Option<usize>,
    /// Where the nesting was deepest.
    deepest_at: usize,
}

/// One pass over the text that skips strings the way TOML delimits them, collecting comments and
/// the nesting depth the tree will have: the header's path for what follows it, plus the open
/// arrays and inline tables, plus the dots of each dotted key leading into them. It counts the
/// way [`Builder`] does, so a valid document is refused exactly when its tree would be too deep;
/// on invalid text it can only overstate. Malformed text cannot make it fail: an unterminated
/// one-line string ends at the line's end, a multi-line one at the text's end.
fn scan(text: &str, max_depth: usize) -> Scan {
    #[derive(Clone, Copy, PartialEq)]
    enum Open {
        /// `[` of a `[table]` or `[[array]]` header.
        Header,
        Array,
        Table,
    }
    let b = text.as_bytes();
    let mut out = Scan {
        comments: Vec::new(),
        too_deep_at: None,
        deepest_at: 0,
    };
    // Each open bracket with the key dots that led into it, their sum, the dots of the key
    // being read, and whether a value (where `.` is a float's) rather than a key is being read.
    let mut open: Vec<(Open, usize)> = Vec::new();
    let mut carried = 0usize;
    let mut dots = 0usize;
    let mut in_value = false;
    // Levels below the root of the table the last header opened, and of the header being read.
    let mut base = 0usize;
    let mut header_peak = 0usize;
    let mut deepest = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                let end = line_end(b, i);
                out.comments.push(Comment {
                    text: text.get(i + 1..end).unwrap_or("").to_string(),
                    span: Span::new(i, end),
                });
                i = end;
                continue;
            }
            b'"' if b[i..].starts_with(b"\"\"\"") => i = skip_multiline(b, i + 3, b'"'),
            b'\'' if b[i..].starts_with(b"'''") => i = skip_multiline(b, i + 3, b'\''),
            b'"' | b'\'' => i = skip_string(b, i + 1, b[i]),
            c @ (b'[' | b'{') => {
                let in_header = open.first().is_some_and(|(o, _)| *o == Open::Header);
                let kind = if c == b'{' {
                    Open::Table
                } else if !in_value && (open.is_empty() || in_header) {
                    if open.is_empty() {
                        base = 0;
                        header_peak = 0;
                    }
                    Open::Header
                } else {
                    Open::Array
                };
                open.push((kind, dots));
                carried += dots;
                dots = 0;
                in_value = kind == Open::Array;
                i += 1;
            }
            b']' | b'}' => {
                if let Some((kind, d)) = open.pop() {
                    carried -= d;
                    dots = d;
                    if kind == Open::Header && open.is_empty() {
                        base = header_peak;
                        dots = 0;
                    }
                }
                in_value = true;
                i += 1;
            }
            b'=' => {
                in_value = true;
                i += 1;
            }
            b',' | b'\n' => {
                // A new key starts, except between the items of an array.
                if !matches!(open.last(), Some((Open::Array, _))) {
                    dots = 0;
                    in_value = false;
                }
                i += 1;
            }
            b'.' => {
                if !in_value {
                    dots += 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
        let below_root = if open.first().is_some_and(|(o, _)| *o == Open::Header) {
            let levels = open.len() + carried + dots;
            header_peak = header_peak.max(levels);
            levels
        } else {
            base + open.len() + carried + dots
        };
        let depth = 1 + below_root;
        if depth > deepest {
            deepest = depth;
            out.deepest_at = i.saturating_sub(1);
        }
        if depth > max_depth {
            out.too_deep_at = Some(i.saturating_sub(1));
            break;
        }
    }
    out
}

/// The end of the line holding `i`, before any `\r\n` or `\n`.
fn line_end(b: &[u8], i: usize) -> usize {
    let end = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p);
    if end > i && b[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// Past the closing quote of a one-line string whose body starts at `i`.
fn skip_string(b: &[u8], mut i: usize, quote: u8) -> usize {
    while i < b.len() {
        match b[i] {
            c if c == quote => return i + 1,
            b'\n' => return i,
            // Only basic strings have escapes; an escaped newline is not one.
            b'\\' if quote == b'"' && b.get(i + 1).is_some_and(|&c| c != b'\n') => i += 2,
            _ => i += 1,
        }
    }
    b.len()
}

/// Past the closing delimiter of a multi-line string whose body starts at `i`. Up to two quotes
/// right before the closing three belong to the body (`"""a""""` is `a"`), so the whole run of
/// quotes is taken.
fn skip_multiline(b: &[u8], mut i: usize, quote: u8) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' if quote == b'"' => i += 2,
            c if c == quote && b[i..].starts_with(&[quote; 3]) => {
                let run = b[i..].iter().take_while(|&&c| c == quote).count();
                return i + run.min(5);
            }
            _ => i += 1,
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::tree::Scalar;
    use proptest::prelude::*;

    fn doc(text: &str) -> Node {
        let file = parse(text, &Limits::default());
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        file.docs.into_iter().next().and_then(|d| d.root).expect("a root")
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn scalars_keep_their_text_and_style() {
        let text = "port = 8080\non = true\nratio = 1.5\nwhen = 1979-05-27T07:32:00Z\n\
                    b = \"x\\ty\"\nl = 'C:\\x'\nmb = \"\"\"\nab\"\"\"\nml = '''\nq'''\n";
        let root = doc(text);
        let get = |k: &str| root.get(k).and_then(Node::as_scalar).cloned().expect(k);
        assert_eq!(
            get("port"),
            Scalar {
                value: "8080".into(),
                style: ScalarStyle::Plain
            }
        );
        assert_eq!(root.get("port").and_then(Node::as_i64), Some(8080));
        assert_eq!(root.get("on").and_then(Node::as_bool), Some(true));
        assert_eq!(get("ratio").value, "1.5");
        assert_eq!(get("when").value, "1979-05-27T07:32:00Z");
        assert_eq!(
            get("b"),
            Scalar {
                value: "x\ty".into(),
                style: ScalarStyle::DoubleQuoted
            }
        );
        assert_eq!(
            get("l"),
            Scalar {
                value: "C:\\x".into(),
                style: ScalarStyle::SingleQuoted
            }
        );
        assert_eq!(
            get("mb"),
            Scalar {
                value: "ab".into(),
                style: ScalarStyle::DoubleQuoted
            }
        );
        assert_eq!(
            get("ml"),
            Scalar {
                value: "q".into(),
                style: ScalarStyle::SingleQuoted
            }
        );
        assert_eq!(slice(text, root.get("b").map(|n| n.span).unwrap_or_default()), "\"x\\ty\"");
    }

    #[test]
    fn spans_count_bytes_after_multibyte_text() {
        let text = "# héllo wörld ✓\nname = \"ünïcode ✓\"\n\"ké\" = 'v'\n";
        let root = doc(text);
        let e = root.entry("name").expect("name");
        assert_eq!(slice(text, e.key.span), "name");
        assert_eq!(slice(text, e.value.span), "\"ünïcode ✓\"");
        assert_eq!(e.value.as_str(), Some("ünïcode ✓"));
        let e = root.entry("ké").expect("ké");
        assert_eq!(slice(text, e.key.span), "\"ké\"");
        assert_eq!(e.key.as_scalar().map(|s| s.style), Some(ScalarStyle::DoubleQuoted));
        assert_eq!(slice(text, e.value.span), "'v'");
    }

    #[test]
    fn headers_and_dotted_keys_nest() {
        let text = "top = 1\n[server.http]\nport = 80\n[server]\nname = \"a\"\n[db]\nconn.pool.max = 5\n";
        let root = doc(text);
        let keys: Vec<_> = root.as_map().unwrap_or_default().iter().filter_map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["top", "server", "db"]);
        let server = root.entry("server").expect("server");
        // Re-opened by its own header: the key and map are that header's.
        let at = text.find("[server]\n").expect("header") + 1;
        assert_eq!(server.key.span, Span::new(at, at + "server".len()));
        assert_eq!(slice(text, server.value.span), "[server]");
        let http = server.value.entry("http").expect("http");
        assert_eq!(slice(text, http.value.span), "[server.http]");
        assert_eq!(http.value.get("port").and_then(Node::as_i64), Some(80));
        // Source order inside `server`: `http` (line 2) before `name` (line 5).
        let inner: Vec<_> = server
            .value
            .as_map()
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e.key.as_str())
            .collect();
        assert_eq!(inner, ["http", "name"]);
        let max = root.get_path(&["db", "conn", "pool", "max"]).expect("dotted");
        assert_eq!(slice(text, max.span), "5");
        let conn = root.get("db").and_then(|d| d.entry("conn")).expect("conn");
        assert_eq!(slice(text, conn.key.span), "conn");
    }

    #[test]
    fn arrays_of_tables_and_inline_tables() {
        let text = "[[svc]]\nname = 'a'\nports = [80, 443]\n\n[[svc]]\nname = 'b'\nenv = { A = 1, b.c = \"x\" }\n";
        let root = doc(text);
        let svc = root.entry("svc").expect("svc");
        assert_eq!(svc.key.span, Span::new(2, 5));
        let items = svc.value.as_seq().expect("seq");
        assert_eq!(items.len(), 2);
        assert_eq!(slice(text, items[0].span), "[[svc]]");
        assert_eq!(slice(text, items[1].span), "[[svc]]");
        assert_eq!(items[1].span.start as usize, text.rfind("[[svc]]").expect("second"));
        assert_eq!(slice(text, svc.value.span), &text[..text.rfind("]]").expect("]]") + 2]);
        let ports = items[0].get("ports").expect("ports");
        assert_eq!(slice(text, ports.span), "[80, 443]");
        let ports: Vec<_> = ports.as_seq().expect("seq").iter().map(|n| slice(text, n.span)).collect();
        assert_eq!(ports, ["80", "443"]);
        let env = items[1].get("env").expect("env");
        assert_eq!(slice(text, env.span), "{ A = 1, b.c = \"x\" }");
        let c = env.entry("b").and_then(|b| b.value.entry("c")).expect("b.c");
        assert_eq!(slice(text, c.key.span), "c");
        assert_eq!(c.value.as_str(), Some("x"));
        assert_eq!(env.get("A").and_then(Node::as_i64), Some(1));
    }

    #[test]
    fn comments_are_found_outside_strings_only() {
        let text = "# top\r\na = \"# not\" # one\nb = '''\n# not either\n''' #two\n\
                    c = [ # three\n  1,\n]\nd = \"\"\"x\"\"\"\"\" # four\ne = \"a\\\"#\" #five";
        let file = parse(text, &Limits::default());
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let texts: Vec<_> = file.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, [" top", " one", "two", " three", " four", "five"]);
        for c in &file.comments {
            assert_eq!(slice(text, c.span), format!("#{}", c.text));
        }
        let root = file.docs[0].root.as_ref().expect("root");
        assert_eq!(root.get("d").and_then(Node::as_str), Some("x\"\""));
    }

    #[test]
    fn parse_errors_point_at_the_offset() {
        let text = "ok = 1\nbad = = 2\n";
        let file = parse(text, &Limits::default());
        assert!(file.docs.is_empty());
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].span.start as usize, text.find("= 2").expect("="));
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_duplicate() {
        let text = "a = 1\nb = 2\na = 3\n";
        let file = parse(text, &Limits::default());
        assert_eq!(file.errors.len(), 1, "{:?}", file.errors);
        assert_eq!(file.errors[0].span, Span::new(12, 13));
        assert!(file.errors[0].message.contains("duplicate"));
        let text = "[t]\nx = 1\n[t]\n";
        let file = parse(text, &Limits::default());
        assert_eq!(file.errors.first().map(|e| e.span), Some(Span::new(11, 12)));
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let n = 100_000;
        for text in [
            format!("a = {}", "[".repeat(n)),
            format!("a = {}1{}", "[".repeat(n), "]".repeat(n)),
            format!("a = {}", "{ b = ".repeat(n)),
            format!("{} = 1", vec!["k"; n].join(".")),
            format!("[{}]\nx = 1", vec!["k"; n].join(".")),
        ] {
            let file = parse(&text, &Limits::default());
            assert!(file.docs.is_empty());
            assert_eq!(file.errors.len(), 1);
            assert!(file.errors[0].message.contains("nesting"), "{:?}", file.errors);
            assert!(file.errors[0].span.end as usize <= text.len());
        }
        // Within our limit but beyond toml_edit's own (80): its error, placed where the scan saw
        // the depth, since toml_edit gives no place for this one.
        let text = format!("x = 1\n{} = 1", vec!["k"; 100].join("."));
        let file = parse(&text, &Limits::default());
        assert_eq!(file.errors.len(), 1);
        assert!(file.errors[0].span.start >= 6, "{:?}", file.errors);
        let small = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        assert!(parse("a = [[1]]", &small).errors.is_empty());
        assert_eq!(parse("a = [[[1]]]", &small).errors.len(), 1);
    }

    #[test]
    fn node_limit_stops_the_build() {
        let text = "a = [1, 2, 3, 4, 5, 6, 7, 8]\n";
        let limits = Limits {
            max_nodes: 5,
            ..Limits::default()
        };
        let file = parse(text, &limits);
        assert_eq!(file.errors.len(), 1);
        let root = file.docs[0].root.as_ref().expect("root");
        assert_eq!(root.get("a").and_then(Node::as_seq).map(<[Node]>::len), Some(2));
    }

    #[test]
    fn empty_text_is_an_empty_map() {
        assert_eq!(doc("").as_map().map(<[Entry]>::len), Some(0));
    }

    fn tree_depth(node: &Node) -> usize {
        match &node.kind {
            NodeKind::Map(entries) => 1 + entries.iter().map(|e| tree_depth(&e.value)).max().unwrap_or(0),
            NodeKind::Seq(items) => 1 + items.iter().map(tree_depth).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// The scan and the tree agree on depth: a document exactly at the limit passes, one level
    /// less refuses it before toml_edit runs.
    fn assert_depth_is_exact(text: &str) {
        let depth = tree_depth(&doc(text));
        let at = |max_depth| {
            parse(
                text,
                &Limits {
                    max_depth,
                    ..Limits::default()
                },
            )
        };
        let ok = at(depth);
        assert!(ok.errors.is_empty() && ok.docs.len() == 1, "{text:?} at {depth}: {:?}", ok.errors);
        let refused = at(depth - 1);
        assert!(refused.docs.is_empty(), "{text:?} at {}", depth - 1);
        assert!(refused.errors.first().is_some_and(|e| e.message.contains("nesting")));
    }

    #[test]
    fn depth_counts_headers_dotted_keys_and_values() {
        for text in [
            "x = 1.5",
            "a.b.c = [1.5, [2]]",
            "[a.b]\nx = [[1], 2.5]\n",
            "[[a.b]]\nx.y = { p.q = [1, { r = 2 }] }\n[c]\nz = 1\n",
            "[a]\n[b.c.d]\nv = 1\n",
            "v = [\n  [1,\n  2.0],\n  { a.b = 1 },\n]\n[t]\nk = 'x.y'\n",
            "t = { a = [1, 2], b.c.d = \"[{\" }",
        ] {
            assert_depth_is_exact(text);
        }
    }

    fn check_spans(text: &str, file: &TreeFile) {
        let ok = |s: Span| s.end as usize <= text.len() && text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize);
        for c in &file.comments {
            assert!(ok(c.span), "{c:?}");
        }
        for e in &file.errors {
            assert!(ok(e.span), "{e:?}");
        }
        for d in &file.docs {
            assert!(ok(d.span));
            if let Some(root) = &d.root {
                root.walk(&mut |n| assert!(ok(n.span), "{n:?}"));
            }
        }
    }

    /// TOML values nesting arrays and inline tables with dotted keys, floats and strings whose
    /// dots and brackets must not count.
    fn toml_value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("1".to_string()),
            Just("2.5".to_string()),
            Just("'a.b'".to_string()),
            Just("\"[{.\"".to_string()),
            Just("'''\n]\n'''".to_string()),
        ];
        leaf.prop_recursive(5, 24, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(|v| format!("[{}]", v.join(", "))),
                proptest::collection::vec((0..3usize, inner), 0..3).prop_map(|v| {
                    let entries: Vec<_> = v
                        .iter()
                        .enumerate()
                        .map(|(i, (dots, value))| format!("t{i}{} = {value}", ".e".repeat(*dots)))
                        .collect();
                    format!("{{ {} }}", entries.join(", "))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            check_spans(&text, &parse(&text, &Limits::default()));
        }

        #[test]
        fn toml_like_text_never_panics(text in "[\\[\\]{}=.,\"'#\\\\a-c0-9 \n\r\té✓-]{0,80}") {
            let limits = Limits { max_depth: 4, max_nodes: 20 };
            check_spans(&text, &parse(&text, &limits));
        }

        #[test]
        fn depth_is_exact_on_generated_documents(
            header in proptest::option::of((any::<bool>(), 1..4usize)),
            lines in proptest::collection::vec((0..3usize, toml_value()), 1..4),
        ) {
            let mut text = String::new();
            if let Some((array, len)) = header {
                let path = vec!["h"; len].join(".");
                text.push_str(&if array { format!("[[{path}]]\n") } else { format!("[{path}]\n") });
            }
            for (i, (dots, value)) in lines.iter().enumerate() {
                text.push_str(&format!("k{i}{} = {value}\n", ".d".repeat(*dots)));
            }
            assert_depth_is_exact(&text);
        }

        #[test]
        fn valid_documents_keep_exact_spans(
            pairs in proptest::collection::vec(("[a-zé]{1,6}", "[a-z ✓]{0,6}"), 1..6),
        ) {
            let mut text = String::from("# ü\n");
            let mut want = HashMap::new();
            for (k, v) in pairs {
                if let std::collections::hash_map::Entry::Vacant(slot) = want.entry(k) {
                    text.push_str(&format!("\"{}\" = \"{v}\"\n", slot.key()));
                    slot.insert(v);
                }
            }
            let file = parse(&text, &Limits::default());
            prop_assert!(file.errors.is_empty());
            let root = file.docs[0].root.as_ref().expect("root");
            for (k, v) in want {
                let e = root.entry(&k).expect("entry");
                prop_assert_eq!(slice(&text, e.key.span), format!("\"{k}\""));
                prop_assert_eq!(slice(&text, e.value.span), format!("\"{v}\""));
                prop_assert_eq!(e.value.as_str(), Some(v.as_str()));
            }
        }
    }
}
