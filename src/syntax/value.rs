//! A tree as a `serde_json::Value`, for JSON Schema validation and typed loading of andon's own
//! YAML (the rule catalog, `.andon.yaml`). Aliases and merge keys are resolved within the
//! document's budgets; scalar typing follows YAML 1.2's core schema, explicitly.

use super::tree::{Document, Node, NodeKind, ScalarStyle, ALIAS_DEPTH_BUDGET};
use crate::source::Span;
use serde_json::{Map, Number, Value};

/// Converts `node`; aliases nested past the budget become `null`.
pub fn to_json(doc: &Document, node: &Node) -> Value {
    convert(doc, node, 0)
}

fn convert(doc: &Document, node: &Node, depth: usize) -> Value {
    if depth > ALIAS_DEPTH_BUDGET * 16 {
        return Value::Null;
    }
    let node = doc.resolve(node);
    match &node.kind {
        NodeKind::Map(_) => {
            let mut map = Map::new();
            for e in doc.entries(node) {
                let key = match e.key.as_scalar() {
                    Some(s) => s.value.clone(),
                    None => continue,
                };
                map.insert(key, convert(doc, &e.value, depth + 1));
            }
            Value::Object(map)
        }
        NodeKind::Seq(items) => Value::Array(items.iter().map(|n| convert(doc, n, depth + 1)).collect()),
        NodeKind::Scalar(s) => {
            if s.style != ScalarStyle::Plain || node.tag.as_deref() == Some("!!str") {
                return Value::String(s.value.clone());
            }
            if s.is_null() {
                return Value::Null;
            }
            if let Some(b) = node.as_bool() {
                return Value::Bool(b);
            }
            if let Ok(i) = s.value.parse::<i64>() {
                return Value::Number(i.into());
            }
            if looks_like_float(&s.value) {
                if let Some(n) = s.value.parse::<f64>().ok().and_then(Number::from_f64) {
                    return Value::Number(n);
                }
            }
            Value::String(s.value.clone())
        }
        NodeKind::Alias(_) => Value::Null,
    }
}

/// YAML 1.2 core floats: digits with a dot or exponent (not `inf`, `nan` or `1_000`).
fn looks_like_float(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && body.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.')
}

/// The span of the node at a JSON pointer (`/services/api/ports/0`), or of the key `key` inside
/// it: how a JSON Schema error is put back at its place in the file. Stops at the deepest node
/// that exists.
pub fn node_at_pointer(doc: &Document, root: &Node, pointer: &str, key: Option<&str>) -> Span {
    let mut node = root;
    for raw in pointer.split('/').skip(1) {
        let part = raw.replace("~1", "/").replace("~0", "~");
        let next = match &doc.resolve(node).kind {
            NodeKind::Map(_) => doc
                .entries(node)
                .into_iter()
                .find(|e| e.key.as_str() == Some(part.as_str()))
                .map(|e| &e.value),
            NodeKind::Seq(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    if let Some(k) = key {
        if let Some(e) = doc.entries(node).into_iter().find(|e| e.key.as_str() == Some(k)) {
            return e.key.span;
        }
    }
    node.span
}

/// jsonschema says "Additional properties are not allowed ('x' was unexpected)": the key `x`.
pub fn unexpected_key(msg: &str) -> Option<String> {
    let start = msg.find("('")? + 2;
    let end = msg[start..].find('\'')? + start;
    Some(msg[start..end].to_string())
}
