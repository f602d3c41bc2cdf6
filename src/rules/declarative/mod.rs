//! Declarative rules: a catalog entry with `select:` (a named selector, see [`select`]) and
//! `check:` (a JSON Schema every selected node must satisfy), a `message:` template and an
//! optional fix (`set:` a path below the node to a value). Teams add their own through the
//! config's `rule-files:`; they are checked, reported, suppressed and fixed like every rule.

pub mod select;

use super::catalog::{FixKind, RuleMeta};
use super::{Rule, Sink};
use crate::diagnostic::{Applicability, Fix};
use crate::model::File;
use crate::syntax::value::unexpected_key;

/// Most findings per selected node: past a few, the node is simply the wrong shape.
const MAX_ERRORS: usize = 20;

/// A declarative rule, built from its catalog entry.
pub struct Declarative {
    meta: &'static RuleMeta,
    selector: &'static str,
    validator: jsonschema::Validator,
}

impl Declarative {
    /// The rule of a declarative entry; `Err` says what is wrong with the entry.
    pub fn new(meta: &'static RuleMeta) -> Result<Declarative, String> {
        let selector = meta.select.as_deref().ok_or("a declarative rule needs `select:`")?;
        let kind = select::kind_of(selector).ok_or_else(|| {
            let names: Vec<&str> = select::SELECTORS.iter().map(|(n, _)| *n).collect();
            format!("unknown selector `{selector}` (one of: {})", names.join(", "))
        })?;
        if meta.kind() != kind {
            return Err(format!(
                "rule `{}` selects `{selector}`, so its name must start with `{kind}/`",
                meta.name
            ));
        }
        let schema = meta.check.as_ref().ok_or("a declarative rule needs `check:` (a JSON Schema)")?;
        let validator = jsonschema::validator_for(schema).map_err(|e| format!("`check:` is not a valid JSON Schema: {e}"))?;
        if meta.set.is_some() == (meta.fix == FixKind::None) {
            return Err("`set:` and `fix: safe|unsafe` go together".into());
        }
        if let Some(set) = &meta.set {
            if !(set.value.is_boolean() || set.value.is_number() || set.value.is_string()) || set.path.is_empty() {
                return Err("`set:` needs a dotted `path` and a scalar `value`".into());
            }
        }
        Ok(Declarative { meta, selector, validator })
    }

    /// The edit that sets `set:` on a selected node, when the node is a tree node.
    fn fix(&self, file: &File, place: &select::Place) -> Option<Fix> {
        let set = self.meta.set.as_ref()?;
        let node = place.node()?;
        let path: Vec<&str> = set.path.split('.').collect();
        let value = match &set.value {
            serde_json::Value::String(s) => serde_json::to_string(s).ok()?,
            other => other.to_string(),
        };
        let edit = crate::rules::k8s::set_path(file.text(), node, &path, &value)?;
        Some(Fix {
            description: format!("set `{}: {value}`", set.path),
            applicability: if self.meta.fix == FixKind::Safe {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            },
            edits: vec![edit],
        })
    }
}

impl Rule for Declarative {
    fn name(&self) -> &'static str {
        &self.meta.name
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        select::each(self.selector, file, &mut |selected| {
            let mut errors = self.validator.iter_errors(&selected.value).take(MAX_ERRORS).peekable();
            // Most nodes pass: the fix is worked out only for one that does not.
            if errors.peek().is_none() {
                return;
            }
            let mut fix = self.fix(file, &selected.place);
            for err in errors {
                let text = crate::rules::schema::error_text(&err);
                let pointer = err.instance_path().to_string();
                let span = selected.place.span(&pointer, unexpected_key(&text).as_deref());
                let at = if pointer.is_empty() {
                    String::new()
                } else {
                    format!(" at {pointer}")
                };
                let message = match &self.meta.message {
                    Some(m) => m.replace("{object}", &selected.object).replace("{error}", &text),
                    None => format!("{}: {} ({text}{at})", selected.object, self.meta.summary),
                };
                // One fix per node: it settles the node, and edits of one node must not overlap.
                out.report(span, message)
                    .help(self.meta.docs.fix.trim().to_string())
                    .fix_opt(fix.take());
            }
        });
    }
}
