//! YAML into the spanned tree, built from granit-parser's events (research/crates.md Q1): it is
//! the only YAML parser found that reports byte offsets for the start and end of every node and
//! emits comments and anchor names as events.
//!
//! Span choices:
//! - scalars: the scalar as written, quotes included; a block scalar (`|`, `>`) runs from its
//!   indicator to the end of its last non-blank content, as granit's span starts at the content;
//! - collections: a flow collection from its bracket to its closing bracket; a block collection
//!   from its first key or `-` to the end of its last child, as granit's end event is empty;
//! - anchors and tags are not part of a node's span;
//! - a document: from its start (`---` or its first token) to its end (`...` or the next token).
//!
//! The tree is built iteratively on an explicit stack, so hostile nesting cannot overflow ours;
//! depth and node count are bounded by [`Limits`]. Aliases stay [`NodeKind::Alias`]: nothing is
//! ever expanded, so alias bombs cost what their text costs.

use super::tree::{Comment, Document, DuplicateKey, Entry, Node, NodeKind, Scalar, ScalarStyle, SyntaxError, TreeFile};
use super::Limits;
use crate::source::Span;
use granit_parser::{ErrorKind, Event, Options, Parser, Tag};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub fn parse(text: &str, limits: &Limits) -> TreeFile {
    let mut options = Options::default();
    options.emit_anchor_events = true;
    // An alias to an unknown anchor is reported and kept as an alias rather than ending the parse.
    options.emit_unresolved_aliases = true;
    // granit counts flow and block nesting apart, and its scanner may see a flow collection
    // nested too deep before any event of it arrives; our own check counts both together.
    options.flow_nesting_limit = limits.max_depth;
    options.block_nesting_limit = limits.max_depth;
    // granit buffers the comments between a key and its value; the default of 96 rejects real
    // files (Helm values often hold long commented-out blocks there). Buffered comments are
    // bounded by the text itself.
    options.max_buffered_comment_events = usize::MAX;

    let mut builder = Builder::new(text, limits);
    let mut parser = Parser::new_from_str_with_options(text, options);
    loop {
        // A panic inside the parser is a bug there, not in the file; it must not take the whole
        // run down, and what was built so far is still worth keeping.
        let next = match catch_unwind(AssertUnwindSafe(|| parser.next())) {
            Ok(next) => next,
            Err(_) => {
                let at = builder.last_end;
                builder.fail("internal error in the YAML parser".into(), at);
                break;
            }
        };
        match next {
            None => break,
            Some(Ok((event, span))) => {
                let (start, end) = builder.byte_range(&span);
                let tag = tag_text(text, &event, &span);
                if let Err(stop) = builder.event(event, start, end, tag) {
                    builder.fail(stop.message, stop.at);
                    break;
                }
            }
            Some(Err(err)) => {
                let at = err.marker().byte_offset().unwrap_or(builder.last_end);
                let message = if matches!(err.kind(), ErrorKind::RecursionLimitExceeded) {
                    too_deep(limits)
                } else {
                    let info = err.info();
                    if info.is_empty() {
                        "invalid YAML".into()
                    } else {
                        info
                    }
                };
                builder.fail(message, at);
                break;
            }
        }
    }
    builder.finish()
}

fn too_deep(limits: &Limits) -> String {
    format!("nesting deeper than {} levels", limits.max_depth)
}

/// The tag as written (`!!str`, `!Ref`), else as resolved with its original handle.
fn tag_text(text: &str, event: &Event, span: &granit_parser::Span) -> Option<String> {
    let tag: &Tag = match event {
        Event::Scalar(_, _, _, Some(tag)) | Event::SequenceStart(_, _, Some(tag)) | Event::MappingStart(_, _, Some(tag)) => tag,
        _ => return None,
    };
    let raw = span.tag_span().and_then(|t| t.slice(text));
    Some(raw.map_or_else(|| format!("{}{}", tag.original_handle(), tag.suffix()), str::to_string))
}

/// Why the build stopped and where.
struct Stop {
    message: String,
    at: usize,
}

enum FrameKind {
    Seq(Vec<Node>),
    /// Entries so far and a key still waiting for its value.
    Map(Vec<Entry>, Option<Node>),
}

/// An open collection.
struct Frame {
    kind: FrameKind,
    span: Span,
    anchor: Option<AnchorDef>,
    tag: Option<String>,
    /// Nodes in this subtree, itself included: what cloning it for its anchor costs.
    size: usize,
}

struct AnchorDef {
    name: String,
    /// Order of definition, so that the textually latest anchor of a name wins even when an
    /// outer collection (closed later) carries the same name as one inside it.
    seq: u64,
}

/// A finished node whose `Anchor` event may still follow, so not yet placed in its parent.
struct Built {
    node: Node,
    size: usize,
    anchor: Option<AnchorDef>,
}

/// What an `Anchor` event applies to: it immediately follows its node's event.
enum AnchorTarget {
    Pending,
    Frame,
}

struct Builder<'a> {
    text: &'a str,
    limits: &'a Limits,
    file: TreeFile,
    doc: Option<Document>,
    frames: Vec<Frame>,
    pending: Option<Built>,
    anchor_target: Option<AnchorTarget>,
    /// Anchor ids as granit numbers them, to name the target of an `Alias` event.
    anchor_names: HashMap<usize, String>,
    /// Latest definition of each anchor name in the current document.
    anchor_latest: HashMap<String, u64>,
    anchor_seq: u64,
    /// Nodes built plus nodes cloned for anchors, bounded by `limits.max_nodes`.
    nodes: usize,
    /// Furthest byte any event reached: the lower bound for a block scalar's indicator, and
    /// where a document cut short by an error ends.
    last_end: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, limits: &'a Limits) -> Self {
        Builder {
            text,
            limits,
            file: TreeFile::default(),
            doc: None,
            frames: Vec::new(),
            pending: None,
            anchor_target: None,
            anchor_names: HashMap::new(),
            anchor_latest: HashMap::new(),
            anchor_seq: 0,
            nodes: 0,
            last_end: 0,
        }
    }

    /// Byte offsets of a granit span, clamped into the text and onto character boundaries.
    /// granit always has byte offsets for `&str` input; without them the event lands at 0.
    fn byte_range(&self, span: &granit_parser::Span) -> (usize, usize) {
        let start = span.start.byte_offset().unwrap_or(0);
        let end = span.end.byte_offset().unwrap_or(start);
        let start = floor_boundary(self.text, start);
        let end = floor_boundary(self.text, end).max(start);
        (start, end)
    }

    fn event(&mut self, event: Event, start: usize, end: usize, tag: Option<String>) -> Result<(), Stop> {
        match event {
            Event::Anchor(id, name) => {
                self.anchor(id, name.into_owned());
                return Ok(());
            }
            Event::Comment(text, _) => {
                self.file.comments.push(Comment {
                    text: text.into_owned(),
                    span: Span::new(start, end),
                });
                return Ok(());
            }
            _ => {}
        }
        self.flush()?;
        self.anchor_target = None;
        let lower_bound = self.last_end;
        self.last_end = self.last_end.max(end);
        match event {
            Event::DocumentStart(..) => {
                self.close_document(start);
                self.doc = Some(Document {
                    span: Span::empty(start),
                    ..Document::default()
                });
                self.anchor_latest.clear();
            }
            Event::DocumentEnd => self.close_document(end),
            Event::Scalar(value, style, _, _) => {
                self.count(1, start)?;
                let style = match style {
                    granit_parser::ScalarStyle::Plain => ScalarStyle::Plain,
                    granit_parser::ScalarStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                    granit_parser::ScalarStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                    granit_parser::ScalarStyle::Literal => ScalarStyle::Literal,
                    granit_parser::ScalarStyle::Folded => ScalarStyle::Folded,
                };
                let span = match style {
                    ScalarStyle::Literal | ScalarStyle::Folded => self.block_span(lower_bound, start, end),
                    _ => Span::new(start, end),
                };
                let mut node = Node::scalar(value.into_owned(), style, span);
                node.tag = tag;
                self.pending = Some(Built {
                    node,
                    size: 1,
                    anchor: None,
                });
                self.anchor_target = Some(AnchorTarget::Pending);
            }
            Event::Alias(id) => {
                let name = match self.anchor_names.get(&id) {
                    Some(name) => name.clone(),
                    None => self.alias_name(start, end),
                };
                self.alias(name, start, end)?;
            }
            Event::UnresolvedAlias(name) => {
                self.file.errors.push(SyntaxError {
                    message: format!("unknown anchor '{name}'"),
                    span: Span::new(start, end),
                });
                self.alias(name.into_owned(), start, end)?;
            }
            Event::SequenceStart(_, _, _) => self.open(FrameKind::Seq(Vec::new()), start, end, tag)?,
            Event::MappingStart(_, _, _) => {
                self.open(FrameKind::Map(Vec::new(), None), start, end, tag)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                // A flow collection ends at its bracket; a block one's end event is empty and
                // sits at the next token, so it ends with its last child instead.
                let close = (end > start).then_some(end);
                self.close_frame(close);
            }
            _ => {}
        }
        Ok(())
    }

    fn anchor(&mut self, id: usize, name: String) {
        self.anchor_names.insert(id, name.clone());
        self.anchor_seq += 1;
        self.anchor_latest.insert(name.clone(), self.anchor_seq);
        let def = AnchorDef {
            name,
            seq: self.anchor_seq,
        };
        match self.anchor_target.take() {
            Some(AnchorTarget::Pending) => {
                if let Some(built) = &mut self.pending {
                    built.node.anchor = Some(def.name.clone());
                    built.anchor = Some(def);
                }
            }
            Some(AnchorTarget::Frame) => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.anchor = Some(def);
                }
            }
            None => {}
        }
    }

    /// The name an alias was written with, for the unlikely alias whose id granit never named.
    fn alias_name(&self, start: usize, end: usize) -> String {
        let raw = self.text.get(start..end).unwrap_or("");
        raw.strip_prefix('*').unwrap_or(raw).to_string()
    }

    fn alias(&mut self, name: String, start: usize, end: usize) -> Result<(), Stop> {
        self.count(1, start)?;
        self.pending = Some(Built {
            node: Node {
                span: Span::new(start, end),
                kind: NodeKind::Alias(name),
                anchor: None,
                tag: None,
            },
            size: 1,
            anchor: None,
        });
        Ok(())
    }

    fn open(&mut self, kind: FrameKind, start: usize, end: usize, tag: Option<String>) -> Result<(), Stop> {
        if self.frames.len() >= self.limits.max_depth {
            return Err(Stop {
                message: too_deep(self.limits),
                at: start,
            });
        }
        self.count(1, start)?;
        self.frames.push(Frame {
            kind,
            span: Span::new(start, end),
            anchor: None,
            tag,
            size: 1,
        });
        self.anchor_target = Some(AnchorTarget::Frame);
        Ok(())
    }

    /// Closes the innermost collection; `close` is the end of its closing bracket, if any.
    fn close_frame(&mut self, close: Option<usize>) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let mut span = frame.span;
        let kind = match frame.kind {
            FrameKind::Seq(items) => {
                if let Some(last) = items.last() {
                    span = span.cover(last.span);
                }
                NodeKind::Seq(items)
            }
            // A key without a value only remains when an error cut the map short.
            FrameKind::Map(entries, _) => {
                if let Some(last) = entries.last() {
                    span = span.cover(last.key.span).cover(last.value.span);
                }
                NodeKind::Map(entries)
            }
        };
        if let Some(close) = close {
            span = span.cover(Span::empty(close));
        }
        self.pending = Some(Built {
            node: Node {
                span,
                kind,
                anchor: frame.anchor.as_ref().map(|a| a.name.clone()),
                tag: frame.tag,
            },
            size: frame.size,
            anchor: frame.anchor,
        });
    }

    fn count(&mut self, n: usize, at: usize) -> Result<(), Stop> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(Stop {
                message: format!("more than {} nodes", self.limits.max_nodes),
                at,
            });
        }
        Ok(())
    }

    /// Places the pending node in its parent, registering a clone of it if it is anchored. The
    /// node is placed even when the clone would exceed the node budget.
    fn flush(&mut self) -> Result<(), Stop> {
        let Some(built) = self.pending.take() else {
            return Ok(());
        };
        let mut result = Ok(());
        if let Some(def) = &built.anchor {
            if self.anchor_latest.get(&def.name) == Some(&def.seq) {
                result = self.count(built.size, built.node.span.start as usize);
                if result.is_ok() {
                    let doc = self.doc.get_or_insert_with(Document::default);
                    doc.anchors.insert(def.name.clone(), built.node.clone());
                }
            }
        }
        let Built { node, size, .. } = built;
        match self.frames.last_mut() {
            Some(frame) => {
                frame.size = frame.size.saturating_add(size);
                match &mut frame.kind {
                    FrameKind::Seq(items) => items.push(node),
                    FrameKind::Map(entries, key) => match key.take() {
                        Some(key) => entries.push(Entry { key, value: node }),
                        None => *key = Some(node),
                    },
                }
            }
            None => {
                let doc = self.doc.get_or_insert_with(Document::default);
                doc.root = Some(node);
            }
        }
        result
    }

    /// Ends the current document, if any, at byte `end` (or its root's end, if later).
    fn close_document(&mut self, end: usize) {
        let Some(mut doc) = self.doc.take() else {
            return;
        };
        let mut span = doc.span.cover(Span::empty(end));
        if let Some(root) = &doc.root {
            span = span.cover(root.span);
        }
        doc.span = span;
        // granit gives an empty document (`---` alone) a null scalar with an empty span.
        if doc
            .root
            .as_ref()
            .is_some_and(|r| r.span.is_empty() && r.is_null() && r.anchor.is_none() && r.tag.is_none())
        {
            doc.root = None;
        }
        self.file.docs.push(doc);
    }

    /// Records an error at byte `at` and keeps the document cut short, closing what is open.
    fn fail(&mut self, message: String, at: usize) {
        let at = floor_boundary(self.text, at);
        self.file.errors.push(SyntaxError {
            message,
            span: Span::empty(at),
        });
        // The node budget may already be spent; what was built is kept regardless.
        let _ = self.flush();
        while !self.frames.is_empty() {
            self.close_frame(None);
            let _ = self.flush();
        }
        let end = self.last_end.max(at);
        self.close_document(end);
    }

    fn finish(mut self) -> TreeFile {
        let _ = self.flush();
        while !self.frames.is_empty() {
            self.close_frame(None);
            let _ = self.flush();
        }
        let end = self.last_end;
        self.close_document(end);
        self.file.duplicate_keys = duplicate_keys(&self.file.docs);
        self.file
    }

    /// The span of a block scalar whose content granit reports at `start..end`: from its `|` or
    /// `>` indicator, found between the previous event and the content, to the end of its last
    /// non-blank content. Falls back to the content alone when no indicator is found.
    fn block_span(&self, lower_bound: usize, start: usize, end: usize) -> Span {
        let bytes = self.text.as_bytes();
        // The content may start at the indicator itself: granit does so for an empty scalar
        // at the end of the text.
        let Some(indicator) = block_indicator(bytes, lower_bound, start + 1) else {
            return Span::new(start, end);
        };
        let mut header_end = indicator + 1;
        while bytes
            .get(header_end)
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-'))
        {
            header_end += 1;
        }
        let mut content_end = end.min(bytes.len());
        while content_end > start && matches!(bytes.get(content_end - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            content_end -= 1;
        }
        // An empty block scalar is just its header.
        let end = if content_end > start { content_end } else { header_end };
        Span::new(indicator, end)
    }
}

/// The `|` or `>` of a block scalar header in `from..to`, skipping what may stand between the
/// previous event and it: indicators (`:`, `-`, `?`), properties (`&anchor`, `!tag`), comments
/// and white space.
fn block_indicator(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    let mut i = from;
    while i < to {
        match bytes.get(i)? {
            b'|' | b'>' => return Some(i),
            b' ' | b'\t' | b'\r' | b'\n' | b':' | b'-' | b'?' => i += 1,
            b'#' => {
                while i < to && bytes.get(i).is_some_and(|b| *b != b'\n') {
                    i += 1;
                }
            }
            b'&' | b'!' => {
                while i < to && bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace()) {
                    i += 1;
                }
            }
            _ => return None,
        }
    }
    None
}

/// The largest character boundary at or below `at`, within the text.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Keys written twice in one map, in every document: scalar keys compared by value (so `a` and
/// `"a"` are the same key, as for a YAML loader), merge keys (`<<`) excepted. Used for JSON too.
pub(crate) fn duplicate_keys(docs: &[Document]) -> Vec<DuplicateKey> {
    let mut found = Vec::new();
    // An explicit stack: the tree may be as deep as the depth limit allows.
    let mut stack: Vec<&Node> = docs.iter().filter_map(|d| d.root.as_ref()).collect();
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Map(entries) => {
                let mut first: HashMap<&str, Span> = HashMap::new();
                for e in entries {
                    if let Some(Scalar { value, style }) = e.key.as_scalar() {
                        if !(*style == ScalarStyle::Plain && value == "<<") {
                            match first.get(value.as_str()) {
                                Some(span) => found.push(DuplicateKey {
                                    key: value.clone(),
                                    first: *span,
                                    second: e.key.span,
                                }),
                                None => {
                                    first.insert(value, e.key.span);
                                }
                            }
                        }
                    }
                    stack.push(&e.key);
                    stack.push(&e.value);
                }
            }
            NodeKind::Seq(items) => stack.extend(items),
            _ => {}
        }
    }
    found.sort_by_key(|d| (d.second, d.first));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::time::{Duration, Instant};

    fn parse_ok(text: &str) -> TreeFile {
        let file = parse(text, &Limits::default());
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        file
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    fn root(file: &TreeFile) -> &Node {
        file.docs[0].root.as_ref().expect("a root")
    }

    #[test]
    fn spans_are_bytes_after_multibyte_characters() {
        let text = "é: 1\nname: \"héllo 🎉\" # é\nbase: x\n";
        let file = parse_ok(text);
        let r = root(&file);
        let name = r.entry("name").expect("name");
        assert_eq!(slice(text, name.key.span), "name");
        assert_eq!(slice(text, name.value.span), "\"héllo 🎉\"");
        assert_eq!(name.value.as_str(), Some("héllo 🎉"));
        let base = r.entry("base").expect("base");
        assert_eq!(slice(text, base.key.span), "base");
        assert_eq!(slice(text, base.value.span), "x");
        assert_eq!(slice(text, file.comments[0].span), "# é");
        assert_eq!(file.comments[0].text, " é");
        assert_eq!(slice(text, r.span), &text[..text.len() - 1]);
    }

    #[test]
    fn scalar_styles_and_spans() {
        let text =
            "a: 'it''s'\nb: \"x\\ty\"\nc: |\n  line1\n  line2\n\nd: >-\n  folded\n  text\ne: &x !tag | # c|>\n  é\nf: plain\n  more\ng:\n";
        let file = parse_ok(text);
        let r = root(&file);
        let get = |k: &str| r.get(k).expect(k);
        let a = get("a");
        assert_eq!(
            (a.as_str(), a.as_scalar().map(|s| s.style)),
            (Some("it's"), Some(ScalarStyle::SingleQuoted))
        );
        assert_eq!(slice(text, a.span), "'it''s'");
        let b = get("b");
        assert_eq!(
            (b.as_str(), b.as_scalar().map(|s| s.style)),
            (Some("x\ty"), Some(ScalarStyle::DoubleQuoted))
        );
        assert_eq!(slice(text, b.span), "\"x\\ty\"");
        let c = get("c");
        assert_eq!(c.as_str(), Some("line1\nline2\n"));
        assert_eq!(c.as_scalar().map(|s| s.style), Some(ScalarStyle::Literal));
        assert_eq!(slice(text, c.span), "|\n  line1\n  line2");
        let d = get("d");
        assert_eq!(d.as_str(), Some("folded text"));
        assert_eq!(d.as_scalar().map(|s| s.style), Some(ScalarStyle::Folded));
        assert_eq!(slice(text, d.span), ">-\n  folded\n  text");
        let e = get("e");
        assert_eq!(slice(text, e.span), "| # c|>\n  é");
        assert_eq!(e.anchor.as_deref(), Some("x"));
        assert_eq!(e.tag.as_deref(), Some("!tag"));
        let f = get("f");
        assert_eq!((f.as_str(), slice(text, f.span)), (Some("plain more"), "plain\n  more"));
        assert!(get("g").is_null());
    }

    #[test]
    fn block_scalar_in_sequence_and_empty() {
        let text = "- |+\n\n  kept\n\n- >\n";
        let file = parse_ok(text);
        let items = root(&file).as_seq().expect("seq");
        assert_eq!(items[0].as_str(), Some("\nkept\n\n"));
        assert_eq!(slice(text, items[0].span), "|+\n\n  kept");
        assert_eq!(slice(text, items[1].span), ">");
    }

    #[test]
    fn collections_and_tags() {
        let text = "l: !!seq\n  - 1\n  - [x, {y: z}]\nm: !!str yes\n";
        let file = parse_ok(text);
        let r = root(&file);
        let l = r.get("l").expect("l");
        assert_eq!(l.tag.as_deref(), Some("!!seq"));
        assert_eq!(slice(text, l.span), "- 1\n  - [x, {y: z}]");
        let flow = &l.as_seq().expect("seq")[1];
        assert_eq!(slice(text, flow.span), "[x, {y: z}]");
        assert_eq!(slice(text, flow.as_seq().expect("seq")[1].span), "{y: z}");
        let m = r.get("m").expect("m");
        assert_eq!((m.tag.as_deref(), m.as_str()), (Some("!!str"), Some("yes")));
    }

    #[test]
    fn multiple_documents() {
        let text = "a: 1\n---\nkind: x\n...\n---\n--- ~\n";
        let file = parse_ok(text);
        assert_eq!(file.docs.len(), 4);
        assert_eq!(slice(text, file.docs[0].span), "a: 1\n");
        assert_eq!(
            file.docs[1].root.as_ref().and_then(|r| r.get("kind")).and_then(Node::as_str),
            Some("x")
        );
        assert_eq!(slice(text, file.docs[1].span), "---\nkind: x\n...");
        assert!(file.docs[2].root.is_none());
        assert!(file.docs[3].root.as_ref().is_some_and(Node::is_null));
        assert!(parse_ok("").docs.is_empty());
        assert!(parse_ok("# only a comment\n").docs.is_empty());
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text = "base: &b {image: nginx, port: 80}\nsvc:\n  <<: *b\n  port: 81\nlist: &l\n  - 1\nref: *l\n";
        let file = parse_ok(text);
        let doc = &file.docs[0];
        let r = root(&file);
        let svc = r.get("svc").expect("svc");
        assert_eq!(doc.get(svc, "image").and_then(Node::as_str), Some("nginx"));
        assert_eq!(doc.get(svc, "port").and_then(Node::as_str), Some("81"));
        let merge = &svc.as_map().expect("map")[0].value;
        assert_eq!(merge.kind, NodeKind::Alias("b".into()));
        assert_eq!(slice(text, merge.span), "*b");
        assert_eq!(slice(text, doc.anchors["b"].span), "{image: nginx, port: 80}");
        assert_eq!(doc.anchors["b"].anchor.as_deref(), Some("b"));
        assert_eq!(doc.items(r.get("ref").expect("ref")).len(), 1);
        assert!(file.duplicate_keys.is_empty());
    }

    #[test]
    fn latest_anchor_of_a_name_wins() {
        let file = parse_ok("a: &x [&x 1]\nb: &x 2\nc: *x\n---\nd: &x [&x 3]\ne: *x\n");
        assert_eq!(file.docs[0].anchors["x"].as_str(), Some("2"));
        assert_eq!(file.docs[1].anchors["x"].as_str(), Some("3"));
    }

    #[test]
    fn duplicate_keys_are_reported_not_fatal() {
        let text = "dup: 1\nx:\n  k: 1\n  \"k\": 2\n<<: {}\n<<: {}\ndup: 2\n";
        let file = parse_ok(text);
        assert_eq!(file.duplicate_keys.len(), 2);
        let k = &file.duplicate_keys[0];
        assert_eq!((k.key.as_str(), slice(text, k.first), slice(text, k.second)), ("k", "k", "\"k\""));
        let dup = &file.duplicate_keys[1];
        assert_eq!(dup.key, "dup");
        assert_eq!((dup.first.start, dup.second.start), (0, text.rfind("dup").unwrap_or(0) as u32));
        assert_eq!(root(&file).get("dup").and_then(Node::as_str), Some("2"));
    }

    #[test]
    fn comments_with_spans() {
        let text = "# andon-ignore: no-latest\nimage: x:latest # trailing\nrun: |\n  # not a comment\n";
        let file = parse_ok(text);
        let got: Vec<(&str, &str)> = file.comments.iter().map(|c| (c.text.as_str(), slice(text, c.span))).collect();
        assert_eq!(
            got,
            [
                (" andon-ignore: no-latest", "# andon-ignore: no-latest"),
                (" trailing", "# trailing")
            ]
        );
    }

    #[test]
    fn many_comments_between_key_and_value() {
        let mut text = String::from("a:\n");
        for i in 0..500 {
            text.push_str(&format!("  # line {i}\n"));
        }
        text.push_str("  b: 1\n");
        let file = parse_ok(&text);
        assert_eq!(file.comments.len(), 500);
        assert_eq!(root(&file).get_path(&["a", "b"]).and_then(Node::as_str), Some("1"));
    }

    #[test]
    fn error_keeps_previous_documents_at_the_right_offset() {
        let text = "a: 1\n---\nx: 1\ny: [é, 2\nz: c\n";
        let file = parse(text, &Limits::default());
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].span, Span::empty(text.find("z: c").unwrap_or(0) + 1));
        assert_eq!(file.docs.len(), 2);
        assert_eq!(root(&file).get("a").and_then(Node::as_str), Some("1"));
        let partial = file.docs[1].root.as_ref().expect("partial root");
        assert_eq!(partial.get("x").and_then(Node::as_str), Some("1"));
        assert_eq!(partial.get("y").and_then(Node::as_seq).map(<[Node]>::len), Some(1));
    }

    #[test]
    fn unknown_alias_is_an_error_but_parsing_goes_on() {
        let text = "a: *nope\nb: 1\n";
        let file = parse(text, &Limits::default());
        assert_eq!(file.errors.len(), 1);
        assert_eq!(slice(text, file.errors[0].span), "*nope");
        assert_eq!(root(&file).get("b").and_then(Node::as_str), Some("1"));
        assert_eq!(root(&file).get("a").map(|n| &n.kind), Some(&NodeKind::Alias("nope".into())));
    }

    #[test]
    fn unclosed_quote_error() {
        let file = parse("k: \"abc", &Limits::default());
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].span, Span::empty(3));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for text in ["[".repeat(10_000), "- ".repeat(10_000), "{a: ".repeat(10_000)] {
            let file = parse(&text, &Limits::default());
            assert_eq!(file.errors.len(), 1, "{:?}", file.errors);
            assert!(
                file.errors[0].message.contains("nesting deeper than 256"),
                "{}",
                file.errors[0].message
            );
        }
        let limits = Limits {
            max_depth: 4,
            ..Limits::default()
        };
        let text = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        let file = parse(&text, &limits);
        assert_eq!(file.errors[0].message, "nesting deeper than 4 levels");
        assert_eq!(file.errors[0].span, Span::empty(4));
        // Flow inside block nesting: granit counts them apart, we count them together.
        let text = "a:\n  b:\n    c: [[1]]\n    d: 2\n";
        let file = parse(text, &limits);
        assert_eq!(file.errors[0].message, "nesting deeper than 4 levels");
        assert_eq!(file.errors[0].span, Span::empty(text.find("[1").unwrap_or(0)));
        let c = root(&file).get_path(&["a", "b", "c"]).expect("partial tree");
        assert_eq!(c.as_seq().map(<[Node]>::len), Some(0));
    }

    #[test]
    fn node_limit() {
        let file = parse(
            "[1, 2, 3, 4, 5]",
            &Limits {
                max_nodes: 4,
                ..Limits::default()
            },
        );
        assert_eq!(file.errors[0].message, "more than 4 nodes");
        assert_eq!(file.errors[0].span, Span::empty(10));
        assert_eq!(root(&file).as_seq().map(<[Node]>::len), Some(3));
        // Anchors are cloned, so their clones count too.
        let file = parse(
            "a: &a [1, 2]\nb: 1\n",
            &Limits {
                max_nodes: 7,
                ..Limits::default()
            },
        );
        assert_eq!(file.errors[0].message, "more than 7 nodes");
    }

    #[test]
    fn billion_laughs_is_fast_and_unexpanded() {
        let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            text.push_str(&format!("{n}: &{n} [{refs}]\n", n = w[1]));
        }
        let started = Instant::now();
        let file = parse_ok(&text);
        assert!(started.elapsed() < Duration::from_secs(1));
        let i = root(&file).get("i").and_then(Node::as_seq).expect("i");
        assert_eq!(i.len(), 9);
        assert!(i.iter().all(|n| n.kind == NodeKind::Alias("h".into())));
        let mut count = 0;
        root(&file).walk(&mut |_| count += 1);
        assert!(count < 200);
    }

    #[test]
    fn byte_order_mark() {
        let text = "\u{feff}a: é\nb: 2\n";
        let file = parse_ok(text);
        let a = root(&file).entry("a").expect("a");
        assert_eq!((slice(text, a.key.span), slice(text, a.value.span)), ("a", "é"));
        assert_eq!(a.key.span.start, 3);
    }

    #[test]
    fn yaml_11_booleans_stay_plain_strings() {
        let file = parse_ok("a: yes\nb: on\nc: no\nd: true\n");
        let r = root(&file);
        for k in ["a", "b", "c"] {
            let v = r.get(k).expect(k);
            assert_eq!(v.as_scalar().map(|s| s.style), Some(ScalarStyle::Plain));
            assert_eq!(v.as_bool(), None);
        }
        assert_eq!(r.get("b").and_then(Node::as_str), Some("on"));
        assert_eq!(r.get("d").and_then(Node::as_bool), Some(true));
    }

    fn assert_spans_sane(text: &str, file: &TreeFile) -> Result<(), TestCaseError> {
        let ok = |span: Span| {
            span.start <= span.end
                && (span.end as usize) <= text.len()
                && text.is_char_boundary(span.start as usize)
                && text.is_char_boundary(span.end as usize)
        };
        let mut spans: Vec<Span> = Vec::new();
        for doc in &file.docs {
            spans.push(doc.span);
            if let Some(root) = &doc.root {
                root.walk(&mut |n| spans.push(n.span));
            }
            for node in doc.anchors.values() {
                node.walk(&mut |n| spans.push(n.span));
            }
        }
        spans.extend(file.comments.iter().map(|c| c.span));
        spans.extend(file.errors.iter().map(|e| e.span));
        spans.extend(file.duplicate_keys.iter().flat_map(|d| [d.first, d.second]));
        for span in spans {
            prop_assert!(ok(span), "bad span {:?} in {:?}", span, text);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let file = parse(&text, &Limits::default());
            assert_spans_sane(&text, &file)?;
        }

        #[test]
        fn yamlish_text_never_panics(text in "[-:{}\\[\\]&*!|>'\"\n #,?.~a-cé🎉\t\r\u{feff}0-9]{0,80}") {
            let file = parse(&text, &Limits::default());
            assert_spans_sane(&text, &file)?;
        }

        #[test]
        fn yamlish_lines_never_panic(lines in prop::collection::vec("( {0,4})(- |\\? |)([a-c]{1,3}|'[a-c]*'|\"[aé\\\\]*\"|\\*a|&a|!t|)(: |:|)(\\||>-|\\[|\\{|[a-c]|&a \\{|\\*a|)( #c)?", 0..12)) {
            let text = lines.join("\n");
            let file = parse(&text, &Limits::default());
            assert_spans_sane(&text, &file)?;
        }
    }
}
