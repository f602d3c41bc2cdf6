//! Rules for application configs (YAML, TOML, JSON under `config/`, `production.*`, …), and
//! the walker they share.

mod dangerous_flag_enabled;
mod debug_log_level;
mod full_trace_sampling;
mod hardcoded_secret;
mod plain_text_logs;
mod plaintext_connection;
mod schema_violation;
mod timeout_disabled;

use super::{Rule, Sink};
use crate::kind::FileKind;
use crate::model::File;
use crate::syntax::tree::{Document, Node, NodeKind};

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &dangerous_flag_enabled::DangerousFlagEnabled,
        &debug_log_level::DebugLogLevel,
        &full_trace_sampling::FullTraceSampling,
        &hardcoded_secret::HardcodedSecret,
        &plain_text_logs::PlainTextLogs,
        &plaintext_connection::PlaintextConnection,
        &schema_violation::SchemaViolation,
        &timeout_disabled::TimeoutDisabled,
    ]
}

/// Deepest nesting the walker follows: configs are shallow, hostile files are not.
const MAX_DEPTH: usize = 64;

/// One scalar setting: the keys leading to it (lowercase; list items add nothing) and its value.
pub(crate) struct Setting<'a> {
    pub path: Vec<String>,
    pub value: &'a Node,
}

impl Setting<'_> {
    /// The setting's own key, lowercase.
    pub fn name(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }

    /// The value as text, when it is a string or an integer (`8080` and `"8080"` alike).
    pub fn text(&self) -> Option<String> {
        self.value
            .as_str()
            .map(str::to_string)
            .or_else(|| self.value.as_i64().map(|i| i.to_string()))
    }
}

/// Calls `f` for every scalar value under a key in an app config, depth first, aliases
/// followed once.
pub(crate) fn each_setting(file: &File, mut f: impl FnMut(&Setting)) {
    if !matches!(file.kind, FileKind::AppConfig(_)) {
        return;
    }
    let Some(tree) = file.tree() else { return };
    // An alias bomb is andon/alias-bomb's finding; walking it alias by alias would not end.
    for doc in tree.docs.iter().filter(|d| !d.is_alias_bomb()) {
        if let Some(root) = &doc.root {
            walk(doc, root, &mut Vec::new(), 0, &mut f);
        }
    }
}

fn walk<'a>(doc: &'a Document, node: &'a Node, path: &mut Vec<String>, depth: usize, f: &mut impl FnMut(&Setting)) {
    if depth > MAX_DEPTH {
        return;
    }
    let node = doc.resolve(node);
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                let Some(k) = e.key.as_str() else { continue };
                path.push(k.to_ascii_lowercase());
                walk(doc, &e.value, path, depth + 1, f);
                path.pop();
            }
        }
        NodeKind::Seq(items) => {
            for item in items {
                walk(doc, item, path, depth + 1, f);
            }
        }
        NodeKind::Scalar(_) => {
            if !path.is_empty() {
                f(&Setting {
                    path: path.clone(),
                    value: node,
                });
            }
        }
        NodeKind::Alias(_) => {}
    }
}

/// Reports each scalar setting of an app config that `matches(key path joined with _, value)`
/// judges, as "`a.b = value` {what}". For checks whose values are settings, never secrets.
pub(crate) fn report_matching_settings(file: &File, out: &mut Sink, matches: fn(&str, &str) -> bool, what: &str, help: &str) {
    each_setting(file, |s| {
        let Some(value) = s.value.as_scalar().map(|v| v.value.as_str()) else {
            return;
        };
        if matches(&s.path.join("_"), value) {
            out.report(s.value.span, format!("`{} = {}` {what}", s.path.join("."), value.trim()))
                .help(help);
        }
    });
}
