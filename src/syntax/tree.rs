//! One spanned tree for YAML, JSON, TOML and .env files.
//!
//! Rules never see a library's value type: every key and value keeps its byte span, the raw
//! style of each scalar (`yes` stays `yes`, plain, not a bool), anchors and aliases stay
//! references, and duplicate keys stay visible.

use crate::source::Span;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    /// Unquoted: YAML plain scalars, TOML/JSON numbers, booleans and dates.
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// YAML `|` block.
    Literal,
    /// YAML `>` block.
    Folded,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The value after unquoting and unescaping.
    pub value: String,
    pub style: ScalarStyle,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Map(Vec<Entry>),
    Seq(Vec<Node>),
    Scalar(Scalar),
    /// `*name`: a reference to the node anchored as `name`, resolved on demand by
    /// [`Document::resolve`] within a budget, never expanded in place.
    Alias(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
    /// `&name` defined on this node.
    pub anchor: Option<String>,
    /// An explicit tag such as `!!str` or `!Ref`.
    pub tag: Option<String>,
}

/// The longest chain of aliases and merge keys followed before giving up; beyond it a file is
/// treated as an alias bomb rather than expanded.
pub const ALIAS_DEPTH_BUDGET: usize = 32;
/// Most entries that one merged map may yield, whatever `<<:` nests.
pub const MERGE_ENTRY_BUDGET: usize = 10_000;
/// Expanded nodes above which a document is an alias bomb ("billion laughs"): rules that
/// follow aliases through the whole document pass it over, and andon/alias-bomb reports it
/// (go-yaml refuses much less).
pub const EXPANSION_LIMIT: u64 = 100_000;

impl Node {
    pub fn scalar(value: impl Into<String>, style: ScalarStyle, span: Span) -> Node {
        Node {
            span,
            kind: NodeKind::Scalar(Scalar {
                value: value.into(),
                style,
            }),
            anchor: None,
            tag: None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The string value of a scalar (any style); `None` for collections, aliases and null.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s) if !s.is_null() => Some(&s.value),
            _ => None,
        }
    }

    /// YAML 1.2 core booleans (`true`/`false`, any case) from plain scalars only.
    pub fn as_bool(&self) -> Option<bool> {
        let s = self.as_scalar()?;
        if s.style != ScalarStyle::Plain {
            return None;
        }
        match s.value.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        let s = self.as_scalar()?;
        if s.style != ScalarStyle::Plain {
            return None;
        }
        let v = s.value.replace('_', "");
        v.strip_prefix('+').unwrap_or(&v).parse().ok()
    }

    pub fn as_f64(&self) -> Option<f64> {
        let s = self.as_scalar()?;
        if s.style != ScalarStyle::Plain {
            return None;
        }
        s.value.parse().ok()
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s) if s.is_null())
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The direct entry for `key` (the last one when a key is duplicated, as YAML loaders do).
    /// Merge keys are not followed: use [`Document::get`] for effective values.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key.as_str() == Some(key))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follows a path of map keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// Every node of the subtree, depth first, self included.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Node)) {
        f(self);
        match &self.kind {
            NodeKind::Map(entries) => {
                for e in entries {
                    e.key.walk(f);
                    e.value.walk(f);
                }
            }
            NodeKind::Seq(items) => items.iter().for_each(|n| n.walk(f)),
            _ => {}
        }
    }
}

impl Scalar {
    /// YAML null: `~`, `null`, or nothing, unquoted.
    pub fn is_null(&self) -> bool {
        self.style == ScalarStyle::Plain && matches!(self.value.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }
}

/// A comment with its text (without `#`) and the span of the whole comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

/// A problem found while parsing, at the place it was found.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// One document of a stream (YAML has several per file; JSON, TOML and .env have one).
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub root: Option<Node>,
    pub span: Span,
    /// Anchored nodes by name; a later anchor of the same name wins, as in YAML.
    pub anchors: HashMap<String, Node>,
}

/// A key that appears twice in one map: where it first was and where it is again.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Span,
    pub second: Span,
}

/// A parsed tree file: documents, comments, duplicate keys and every error, each with its place.
#[derive(Clone, Debug, Default)]
pub struct TreeFile {
    pub docs: Vec<Document>,
    pub comments: Vec<Comment>,
    pub duplicate_keys: Vec<DuplicateKey>,
    pub errors: Vec<SyntaxError>,
}

impl Document {
    /// Follows aliases to the node they name, within [`ALIAS_DEPTH_BUDGET`].
    pub fn resolve<'a>(&'a self, mut node: &'a Node) -> &'a Node {
        for _ in 0..ALIAS_DEPTH_BUDGET {
            match &node.kind {
                NodeKind::Alias(name) => match self.anchors.get(name) {
                    Some(target) => node = target,
                    None => return node,
                },
                _ => return node,
            }
        }
        node
    }

    /// The effective entries of a map: its own, then those merged in by `<<:` (a map, an alias
    /// or a list of them), earlier keys winning, as YAML merge keys define. Bounded by
    /// [`MERGE_ENTRY_BUDGET`] and [`ALIAS_DEPTH_BUDGET`].
    pub fn entries<'a>(&'a self, map: &'a Node) -> Vec<&'a Entry> {
        let mut out: Vec<&'a Entry> = Vec::new();
        self.collect_entries(self.resolve(map), 0, &mut out);
        out
    }

    fn collect_entries<'a>(&'a self, map: &'a Node, depth: usize, out: &mut Vec<&'a Entry>) {
        if depth > ALIAS_DEPTH_BUDGET {
            return;
        }
        let Some(entries) = map.as_map() else { return };
        let mut merges = Vec::new();
        for e in entries {
            if out.len() >= MERGE_ENTRY_BUDGET {
                return;
            }
            if e.key.as_str() == Some("<<") && e.key.as_scalar().map(|s| s.style) == Some(ScalarStyle::Plain) {
                merges.push(&e.value);
                continue;
            }
            let key = e.key.as_str();
            if key.is_some() && out.iter().any(|o| o.key.as_str() == key) {
                // A later duplicate key wins over an earlier one of the same map.
                if let Some(pos) = out.iter().position(|o| o.key.as_str() == key) {
                    out[pos] = e;
                }
                continue;
            }
            out.push(e);
        }
        for m in merges {
            let m = self.resolve(m);
            let sources: Vec<&Node> = match &m.kind {
                NodeKind::Seq(items) => items.iter().map(|n| self.resolve(n)).collect(),
                _ => vec![m],
            };
            for src in sources {
                let mut merged = Vec::new();
                self.collect_entries(src, depth + 1, &mut merged);
                for e in merged {
                    if out.len() >= MERGE_ENTRY_BUDGET {
                        return;
                    }
                    if !out.iter().any(|o| o.key.as_str().is_some() && o.key.as_str() == e.key.as_str()) {
                        out.push(e);
                    }
                }
            }
        }
    }

    /// The effective value of `key` in `map`, following aliases and merge keys.
    pub fn get<'a>(&'a self, map: &'a Node, key: &str) -> Option<&'a Node> {
        let map = self.resolve(map);
        if let Some(v) = map.get(key) {
            return Some(self.resolve(v));
        }
        self.entries(map)
            .into_iter()
            .find(|e| e.key.as_str() == Some(key))
            .map(|e| self.resolve(&e.value))
    }

    /// Whether expanding every alias would exceed [`EXPANSION_LIMIT`] nodes: walking such a
    /// document alias by alias would hang and converting it would exhaust memory.
    pub fn is_alias_bomb(&self) -> bool {
        !self.anchors.is_empty() && self.expanded_size() > EXPANSION_LIMIT
    }

    /// How many nodes the document holds once every alias is expanded, counted without
    /// expanding anything (each anchor's size is computed once). Saturates.
    pub fn expanded_size(&self) -> u64 {
        let mut memo = HashMap::new();
        self.root.as_ref().map_or(0, |r| self.size_of(r, &mut memo, 0))
    }

    fn size_of(&self, node: &Node, memo: &mut HashMap<String, u64>, depth: usize) -> u64 {
        match &node.kind {
            NodeKind::Scalar(_) => 1,
            NodeKind::Seq(items) => items.iter().fold(1u64, |acc, n| acc.saturating_add(self.size_of(n, memo, depth))),
            NodeKind::Map(entries) => entries.iter().fold(1u64, |acc, e| {
                acc.saturating_add(self.size_of(&e.key, memo, depth))
                    .saturating_add(self.size_of(&e.value, memo, depth))
            }),
            NodeKind::Alias(name) => {
                if let Some(n) = memo.get(name) {
                    return *n;
                }
                // An alias chain deeper than the budget (or a cycle) counts as unbounded.
                let n = match self.anchors.get(name) {
                    Some(_) if depth >= ALIAS_DEPTH_BUDGET => u64::MAX,
                    Some(target) => self.size_of(target, memo, depth + 1),
                    None => 1,
                };
                memo.insert(name.clone(), n);
                n
            }
        }
    }

    /// Follows a path of keys with [`Document::get`].
    pub fn get_path<'a>(&'a self, map: &'a Node, path: &[&str]) -> Option<&'a Node> {
        path.iter().try_fold(map, |node, key| self.get(node, key))
    }

    /// The items of a sequence, each resolved; empty for anything else.
    pub fn items<'a>(&'a self, seq: &'a Node) -> Vec<&'a Node> {
        match &self.resolve(seq).kind {
            NodeKind::Seq(items) => items.iter().map(|n| self.resolve(n)).collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str, at: usize) -> Node {
        Node::scalar(v, ScalarStyle::Plain, Span::new(at, at + v.len()))
    }

    fn map(entries: Vec<(Node, Node)>) -> Node {
        Node {
            span: Span::default(),
            kind: NodeKind::Map(entries.into_iter().map(|(key, value)| Entry { key, value }).collect()),
            anchor: None,
            tag: None,
        }
    }

    #[test]
    fn merge_keys_give_own_keys_priority() {
        let base = map(vec![(s("a", 0), s("1", 0)), (s("b", 0), s("2", 0))]);
        let mut doc = Document::default();
        doc.anchors.insert("base".into(), base);
        let alias = Node {
            kind: NodeKind::Alias("base".into()),
            ..s("x", 0)
        };
        let m = map(vec![(s("<<", 0), alias), (s("b", 0), s("3", 0))]);
        assert_eq!(doc.get(&m, "a").and_then(Node::as_str), Some("1"));
        assert_eq!(doc.get(&m, "b").and_then(Node::as_str), Some("3"));
        assert_eq!(doc.entries(&m).len(), 2);
    }

    #[test]
    fn self_referencing_alias_terminates() {
        let mut doc = Document::default();
        let alias = Node {
            kind: NodeKind::Alias("loop".into()),
            ..s("x", 0)
        };
        doc.anchors.insert("loop".into(), alias.clone());
        assert!(matches!(doc.resolve(&alias).kind, NodeKind::Alias(_)));
        let m = map(vec![(s("<<", 0), alias)]);
        assert!(doc.entries(&m).is_empty());
    }

    #[test]
    fn expanded_size_counts_aliases_without_expanding() {
        let mut doc = Document::default();
        doc.anchors.insert(
            "a".into(),
            Node {
                kind: NodeKind::Seq(vec![s("x", 0), s("y", 0)]),
                ..s("", 0)
            },
        );
        let alias = || Node {
            kind: NodeKind::Alias("a".into()),
            ..s("", 0)
        };
        doc.anchors.insert(
            "b".into(),
            Node {
                kind: NodeKind::Seq(vec![alias(), alias(), alias()]),
                ..s("", 0)
            },
        );
        doc.root = Some(Node {
            kind: NodeKind::Seq(vec![Node {
                kind: NodeKind::Alias("b".into()),
                ..s("", 0)
            }]),
            ..s("", 0)
        });
        assert_eq!(doc.expanded_size(), 1 + (1 + 3 * 3));
    }

    #[test]
    fn scalar_typing_is_explicit() {
        assert_eq!(s("true", 0).as_bool(), Some(true));
        assert_eq!(s("yes", 0).as_bool(), None);
        assert_eq!(Node::scalar("true", ScalarStyle::DoubleQuoted, Span::default()).as_bool(), None);
        assert!(s("~", 0).is_null());
        assert_eq!(s("1_000", 0).as_i64(), Some(1000));
    }
}
