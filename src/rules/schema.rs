//! Validation of a YAML file against a bundled JSON Schema, shared by the rules of the kinds whose
//! tool validates its configuration structurally (Compose, prometheus.yml, alertmanager.yml):
//! errors worded readably at their exact key or value, `oneOf` explained by the form the value
//! was written in, values never quoted (they may be secrets), alias bombs skipped.

use crate::model::File;
use crate::rules::{closest, Sink};
use crate::syntax::value::{node_at_pointer, to_json};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;
use std::sync::OnceLock;

/// Most errors reported per file: past a few, the file is simply not of the kind.
const MAX_ERRORS: usize = 20;

/// A bundled schema (for the keys an object accepts) and its compiled validator.
pub(crate) struct Schema {
    schema: Value,
    validator: Validator,
}

/// One tool's format: its bundled schema, compiled on first use, its name in messages, the
/// help line, and what it accepts that the schema does not say. Declare it as a `static`.
pub(crate) struct Dialect {
    /// The schema's JSON text (`include_str!`).
    pub source: &'static str,
    /// Where the compiled schema is kept: `OnceLock::new()`.
    pub compiled: OnceLock<Option<Schema>>,
    /// The tool's name for the format: "Compose", "Prometheus", "Alertmanager".
    pub product: &'static str,
    pub help: &'static str,
    /// An error the tool would not raise (interpolation, an ignored key).
    pub excused: fn(&ValidationError) -> bool,
    /// A key at `pointer` the tool accepts though the bundled schema does not list it.
    pub ahead_of_schema: fn(pointer: &str, key: &str) -> bool,
    /// What a value matching one of the schema's patterns is, in the user's words
    /// (`a duration such as `30s``), instead of the regular expression.
    pub patterns: &'static [(&'static str, &'static str)],
    /// A key whose value may be a credential (a webhook URL with its token, an API key): a
    /// finding about such a value masks it in the snippet.
    pub secret_value: fn(key: &str) -> bool,
}

impl Dialect {
    fn schema(&self) -> Option<&Schema> {
        self.compiled
            .get_or_init(|| {
                let schema: Value = serde_json::from_str(self.source).ok()?;
                let validator = jsonschema::validator_for(&schema).ok()?;
                Some(Schema { schema, validator })
            })
            .as_ref()
    }

    /// Does the bundled schema compile (for the rules' tests)?
    #[cfg(test)]
    pub(crate) fn compiles(&self) -> bool {
        self.schema().is_some()
    }

    /// "a Compose key", "an Alertmanager key".
    fn key_of(&self) -> String {
        let article = if self.product.starts_with(['A', 'E', 'I', 'O', 'U']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {} key", self.product)
    }
}

/// A validation error in words, with the offending value masked: a value may be a secret, so the
/// message names the place and the expectation, never the value.
pub(crate) fn error_text(err: &ValidationError) -> String {
    err.masked_with("the value").to_string()
}

/// The excuse of the tools written in Go (Prometheus, Alertmanager): their YAML decoder reads
/// any scalar into a string field (`test: 2` is the string "2"), so a number or boolean where
/// a string belongs is no error; and it reads `null` (`global:` with nothing under it) as the
/// field's zero value, so an empty value is no type error either (nor one that several
/// `oneOf` branches accept: `basic_auth:` with only a comment under it).
pub(crate) fn go_scalar_as_string(err: &ValidationError) -> bool {
    match err.kind() {
        ValidationErrorKind::Type { .. } | ValidationErrorKind::OneOfMultipleValid { .. } if err.instance().is_null() => true,
        ValidationErrorKind::Type { kind } => {
            let wants_string = match kind {
                TypeKind::Single(t) => t.as_str() == "string",
                TypeKind::Multiple(set) => set.iter().any(|t| t.as_str() == "string"),
            };
            wants_string && (err.instance().is_number() || err.instance().is_boolean())
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            context.iter().any(|branch| branch.iter().all(go_scalar_as_string))
        }
        _ => false,
    }
}

/// Validates every document of `file` and reports each error at its place.
pub(crate) fn validate(file: &File, dialect: &Dialect, out: &mut Sink) {
    let (Some(tree), Some(schema)) = (file.tree(), dialect.schema()) else {
        return;
    };
    // A file that does not parse is reported as such; its half-read tree would only add noise.
    if !tree.errors.is_empty() {
        return;
    }
    for doc in &tree.docs {
        let Some(root) = &doc.root else { continue };
        // An alias bomb is andon/alias-bomb's finding; expanding it here would exhaust memory.
        if doc.is_alias_bomb() {
            continue;
        }
        let value = to_json(doc, root);
        let mut problems = Vec::new();
        for err in schema.validator.iter_errors(&value) {
            explain(&schema.schema, dialect, &err, &mut problems);
        }
        for p in problems.into_iter().take(MAX_ERRORS) {
            let span = node_at_pointer(doc, root, &p.pointer, p.key.as_deref());
            let report = out.report(span, p.message).help(dialect.help);
            let key = p.pointer.rsplit('/').next().unwrap_or("");
            if p.key.is_none() && (dialect.secret_value)(key) {
                report.secret(span);
            }
        }
    }
}

/// One error as the user should read it: where (a JSON pointer, and a key inside that node
/// when the problem is the key) and what.
struct Problem {
    pointer: String,
    key: Option<String>,
    message: String,
}

/// Turns one validator error into readable problems. A `oneOf`/`anyOf` failure is explained by
/// the alternative the value was evidently written for (the one whose type it has); only when
/// it has none of their types is the list of accepted types the message.
fn explain(schema: &Value, dialect: &Dialect, err: &ValidationError, out: &mut Vec<Problem>) {
    if (dialect.excused)(err) {
        return;
    }
    let pointer = err.instance_path().to_string();
    let at = display_path(&pointer);
    let mut push = |key: Option<String>, message: String| {
        out.push(Problem {
            pointer: pointer.clone(),
            key,
            message,
        })
    };
    match err.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for key in unexpected.iter().filter(|k| !(dialect.ahead_of_schema)(&pointer, k)) {
                let mut message = if pointer.is_empty() {
                    format!("`{key}` is not a top-level {} key", dialect.product)
                } else {
                    format!("`{key}` is not {} of `{at}`", dialect.key_of())
                };
                if let Some(near) = closest(key, &accepted_keys(schema, err)) {
                    message.push_str(&format!(": did you mean `{near}`?"));
                }
                push(Some(key.clone()), message);
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or("?");
            push(None, format!("`{at}` lacks the required key `{name}`"));
        }
        ValidationErrorKind::Type { kind } => push(None, format!("`{at}` must be {}", types(kind))),
        ValidationErrorKind::Enum { options } => {
            let list: Vec<String> = options
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| format!("`{}`", plain(o)))
                .collect();
            push(None, format!("`{at}` must be one of {}", list.join(", ")));
        }
        ValidationErrorKind::Pattern { pattern } => match dialect.patterns.iter().find(|(p, _)| p == pattern) {
            Some((_, meaning)) => push(None, format!("`{at}` must be {meaning}")),
            None => push(None, format!("`{at}` does not match the pattern `{pattern}`")),
        },
        ValidationErrorKind::Minimum { limit } => push(None, format!("`{at}` must be at least {limit}")),
        ValidationErrorKind::Maximum { limit } => push(None, format!("`{at}` must be at most {limit}")),
        // How schemas say "at most one of these keys" (`if basic_auth then bearer_token: null`).
        ValidationErrorKind::Constant { expected_value } if expected_value.is_null() => {
            let parent = display_path(pointer.rsplit_once('/').map_or("", |(p, _)| p));
            push(
                None,
                format!("`{at}` cannot be set together with another key of `{parent}` that excludes it"),
            )
        }
        ValidationErrorKind::UniqueItems => push(None, format!("`{at}` lists the same item twice")),
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            match intended_branch(&pointer, context) {
                Some(branch) => branch.iter().for_each(|e| explain(schema, dialect, e, out)),
                None => {
                    let mut accepted: Vec<String> = Vec::new();
                    for e in context.iter().flatten() {
                        if let ValidationErrorKind::Type { kind } = e.kind() {
                            if e.instance_path().to_string() == pointer {
                                let t = types(kind);
                                if !accepted.contains(&t) {
                                    accepted.push(t);
                                }
                            }
                        }
                    }
                    let message = if accepted.is_empty() {
                        format!("`{at}` matches none of the forms {} accepts here", dialect.product)
                    } else {
                        format!("`{at}` must be {}", join_or(&accepted))
                    };
                    push(None, message);
                }
            }
        }
        // The validator's own wording, with the value masked: a value may be a secret.
        _ => push(None, format!("`{at}`: {}", error_text(err))),
    }
}

/// The keys the object an `additionalProperties` error is about accepts, read from the schema
/// beside the failing keyword.
fn accepted_keys<'s>(schema: &'s Value, err: &ValidationError) -> Vec<&'s str> {
    let path = err.schema_path().to_string();
    let parent = path.rsplit_once('/').map_or("", |(p, _)| p);
    schema
        .pointer(parent)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|props| props.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The alternative of a `oneOf`/`anyOf` the value was written for: the one that does not
/// reject the value's type outright, fewest errors first.
fn intended_branch<'e>(pointer: &str, context: &'e [Vec<ValidationError<'static>>]) -> Option<&'e Vec<ValidationError<'static>>> {
    context
        .iter()
        .filter(|branch| {
            !branch
                .iter()
                .any(|e| matches!(e.kind(), ValidationErrorKind::Type { .. }) && e.instance_path().to_string() == pointer)
        })
        .min_by_key(|branch| branch.len())
}

/// `/services/api/ports/0` as `services.api.ports[0]`.
fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for raw in pointer.split('/').skip(1) {
        let part = raw.replace("~1", "/").replace("~0", "~");
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&part);
        }
    }
    if out.is_empty() {
        "the file".to_string()
    } else {
        out
    }
}

fn types(kind: &TypeKind) -> String {
    let names: Vec<String> = match kind {
        TypeKind::Single(t) => vec![type_name(t.as_str())],
        TypeKind::Multiple(set) => set.iter().map(|t| type_name(t.as_str())).collect(),
    };
    join_or(&names)
}

/// JSON Schema's type names in the words of a YAML file.
fn type_name(t: &str) -> String {
    match t {
        "object" => "a map",
        "array" => "a list",
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean",
        other => other,
    }
    .to_string()
}

/// "a", "a or b", "a, b or c".
pub(crate) fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_yaml() {
        assert_eq!(display_path("/services/api/ports/0"), "services.api.ports[0]");
        assert_eq!(display_path(""), "the file");
        assert_eq!(display_path("/x~1y"), "x/y");
    }
}
