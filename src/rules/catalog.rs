//! Rule metadata: `rules/<kind>/<rule-name>.yaml`, embedded at build time (see build.rs).

use crate::diagnostic::Severity;
use crate::syntax::{value::to_json, yaml, Limits};
use serde::Deserialize;
use std::sync::OnceLock;

/// (path in the repository, text) of every catalog file.
const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionMeta {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub default: serde_json::Value,
    pub docs: String,
    /// The values a string option accepts, when it is one of a few.
    #[serde(default)]
    pub values: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub why: String,
    pub failing: String,
    pub passing: String,
    pub fix: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub severity: Severity,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Judges only files that ship (`crate::surface`): every rule does but those that tell
    /// whether a file is valid at all (it parses, its tool would load it), which judge every file.
    #[serde(default = "yes")]
    pub production_only: bool,
    pub checklist: Option<String>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub peers: Vec<String>,
    pub fix: FixKind,
    #[serde(default)]
    pub security: bool,
    #[serde(default)]
    pub options: Vec<OptionMeta>,
    pub docs: Docs,
    /// A declarative rule (see [`crate::rules::declarative`]): the named selector of the nodes
    /// it judges.
    pub select: Option<String>,
    /// The JSON Schema every selected node must satisfy.
    pub check: Option<serde_json::Value>,
    /// The message of a finding; `{error}` and `{object}` are filled in.
    pub message: Option<String>,
    /// The fix: set the value at this path below the selected node.
    pub set: Option<SetMeta>,
    /// Where the entry came from (filled in on load).
    #[serde(skip)]
    pub file: String,
    /// A team's own rule from a config's `rule-files:`, not one of andon's.
    #[serde(skip)]
    pub custom: bool,
}

/// A declarative rule's fix: `path` (dotted, below the selected node) and the scalar to set.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetMeta {
    pub path: String,
    pub value: serde_json::Value,
}

fn yes() -> bool {
    true
}

impl RuleMeta {
    /// The kind folder: the part of the name before `/`.
    pub fn kind(&self) -> &str {
        self.name.split('/').next().unwrap_or("")
    }

    /// Option defaults as one JSON object, the shape rules deserialize their options from.
    pub fn default_options(&self) -> serde_json::Value {
        serde_json::Value::Object(self.options.iter().map(|o| (o.name.clone(), o.default.clone())).collect())
    }

    /// The rule's generated page in the repository (see `src/docs.rs`).
    pub fn docs_path(&self) -> String {
        format!("docs/rules/{}.md", self.name)
    }

    /// Where the rule is documented: its page in andon's repository, or for a team's own rule
    /// the rule file itself, which holds its docs.
    pub fn docs_url(&self) -> String {
        if self.custom {
            return self.file.clone();
        }
        format!("https://github.com/andon-lint/andon/blob/main/{}", self.docs_path())
    }
}

/// Every catalog entry, or the first error in the catalog (a build defect, caught by tests).
pub fn load() -> Result<&'static [RuleMeta], String> {
    static CATALOG: OnceLock<Result<Vec<RuleMeta>, String>> = OnceLock::new();
    CATALOG
        .get_or_init(|| FILES.iter().map(|(path, text)| parse_entry(path, text)).collect())
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

/// One rule entry from its YAML text; `path` names it in messages.
pub fn parse_entry(path: &str, text: &str) -> Result<RuleMeta, String> {
    let tree = yaml::parse(text, &Limits::default());
    if let Some(e) = tree.errors.first() {
        let at = crate::source::LineIndex::new(text).position(text, e.span.start);
        return Err(format!("{path}:{}:{}: {}", at.line, at.column, e.message));
    }
    // A second `docs:` would silently replace the first.
    if let Some(d) = tree.duplicate_keys.first() {
        let at = crate::source::LineIndex::new(text).position(text, d.second.start);
        return Err(format!("{path}:{}:{}: this key is already set above", at.line, at.column));
    }
    let doc = tree.docs.first().ok_or_else(|| format!("{path}: empty"))?;
    let root = doc.root.as_ref().ok_or_else(|| format!("{path}: empty"))?;
    let mut meta: RuleMeta = serde_json::from_value(to_json(doc, root)).map_err(|e| format!("{path}: {e}"))?;
    meta.file = path.to_string();
    Ok(meta)
}

/// Paths of the catalog files, for the catalog test.
pub fn files() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(p, _)| *p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_key_set_twice_is_an_error_at_its_second_place() {
        let text = "id: X001\nname: x/y\ndocs: stray\ndocs:\n  why: w\n";
        let err = super::parse_entry("x.yaml", text).err();
        assert_eq!(err.as_deref(), Some("x.yaml:4:1: this key is already set above"));
    }
}
