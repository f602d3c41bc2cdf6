use crate::model::compose::{interpolation, ComposeFile};
use crate::model::File;
use crate::rules::{closest, Rule, Sink};
use crate::syntax::value::{node_at_pointer, to_json};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;
use std::sync::OnceLock;

/// A Compose file that breaks the Compose Specification: Compose refuses to start it.
pub struct SchemaViolation;

/// The Compose Specification JSON Schema, bundled so validation never touches the network:
/// compose-spec/compose-spec `schema/compose-spec.json` at commit
/// 170098ba07d9f53c383a41bfd4c5166b0a4529a6 (2026-06-23), Apache-2.0 (see schemas/README.md).
const COMPOSE_SPEC: &str = include_str!("../../../schemas/compose-spec.json");

/// Most errors reported per file: past a few, the file is simply not Compose.
const MAX_ERRORS: usize = 20;

/// Expanded nodes past which a document is not converted for validation (andon/alias-bomb's
/// threshold: such a document is reported as a bomb).
const EXPANSION_LIMIT: u64 = 100_000;

/// The schema (for the keys an object accepts) and its compiled validator, built once.
fn compiled() -> Option<&'static (Value, Validator)> {
    static COMPILED: OnceLock<Option<(Value, Validator)>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let schema: Value = serde_json::from_str(COMPOSE_SPEC).ok()?;
            let validator = jsonschema::validator_for(&schema).ok()?;
            Some((schema, validator))
        })
        .as_ref()
}

impl Rule for SchemaViolation {
    fn name(&self) -> &'static str {
        "compose/schema-violation"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = super::compose(file) else { return };
        if !surely_compose(file.path(), &compose) {
            return;
        }
        let (Some(tree), Some((schema, validator))) = (file.tree(), compiled()) else {
            return;
        };
        // A file that does not parse is reported as such; its half-read tree would only add noise.
        if !tree.errors.is_empty() {
            return;
        }
        for doc in &tree.docs {
            let Some(root) = &doc.root else { continue };
            // An alias bomb is andon/alias-bomb's finding; expanding it here would exhaust memory.
            if doc.expanded_size() > EXPANSION_LIMIT {
                continue;
            }
            let value = to_json(doc, root);
            let mut problems = Vec::new();
            for err in validator.iter_errors(&value) {
                explain(schema, &err, &mut problems);
            }
            for p in problems.into_iter().take(MAX_ERRORS) {
                let span = node_at_pointer(doc, root, &p.pointer, p.key.as_deref());
                out.report(span, p.message).help(
                    "Compose refuses a file that breaks its specification; see https://github.com/compose-spec/compose-spec/blob/main/spec.md",
                );
            }
        }
    }
}

/// Compose files are recognised by a `services:` map; an application config can have one too
/// (`services: {payments: {url: …}}`), and validating it as Compose would report every key.
/// The schema is applied to files named like Compose files (`compose.yaml`,
/// `docker-compose.prod.yml`, `web.compose.yaml`), and to others only when every service says
/// what it runs (`image:`, `build:` or `extends:`).
fn surely_compose(path: &str, compose: &ComposeFile) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let compose_name = name.starts_with("compose") || name.starts_with("docker-compose") || name.contains(".compose.");
    compose_name || (!compose.services.is_empty() && compose.services.iter().all(|s| s.image_run().is_some() || s.build || s.extends))
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
fn explain(schema: &Value, err: &ValidationError, out: &mut Vec<Problem>) {
    if excused(err) {
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
            for key in unexpected.iter().filter(|k| !ahead_of_schema(&pointer, k)) {
                let mut message = if pointer.is_empty() {
                    format!("`{key}` is not a top-level Compose key")
                } else {
                    format!("`{key}` is not a Compose key of `{at}`")
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
        ValidationErrorKind::Pattern { pattern } => push(None, format!("`{at}` does not match the pattern `{pattern}`")),
        ValidationErrorKind::Minimum { limit } => push(None, format!("`{at}` must be at least {limit}")),
        ValidationErrorKind::Maximum { limit } => push(None, format!("`{at}` must be at most {limit}")),
        ValidationErrorKind::UniqueItems => push(None, format!("`{at}` lists the same item twice")),
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            match intended_branch(&pointer, context) {
                Some(branch) => branch.iter().for_each(|e| explain(schema, e, out)),
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
                        format!("`{at}` matches none of the forms Compose accepts here")
                    } else {
                        format!("`{at}` must be {}", join_or(&accepted))
                    };
                    push(None, message);
                }
            }
        }
        // The validator's own wording, with the value masked: a Compose value may be a secret.
        _ => push(None, format!("`{at}`: {}", err.masked_with("the value"))),
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

/// Keys the Compose Specification documents and Compose accepts, but the bundled schema does
/// not list yet: `pre_start` (spec commit a076fad, 2026-06-16) is in `spec.md` only.
fn ahead_of_schema(pointer: &str, key: &str) -> bool {
    let in_service = pointer.strip_prefix("/services/").is_some_and(|name| !name.contains('/'));
    in_service && key == "pre_start"
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

/// An error Compose would not raise: Compose validates after interpolation, so a value written
/// as `${VAR}` (or holding one) may well be a number, a boolean or a valid enum value then.
/// The obsolete `version:` is ignored by Compose whatever its type (`version: 3` included);
/// compose/obsolete-version reports the key itself.
fn excused(err: &ValidationError) -> bool {
    if err.instance_path().to_string() == "/version" {
        return true;
    }
    match err.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            context.iter().any(|branch| branch.iter().all(excused))
        }
        ValidationErrorKind::Type { .. }
        | ValidationErrorKind::Enum { .. }
        | ValidationErrorKind::Constant { .. }
        | ValidationErrorKind::Pattern { .. }
        | ValidationErrorKind::Format { .. }
        | ValidationErrorKind::Minimum { .. }
        | ValidationErrorKind::Maximum { .. }
        | ValidationErrorKind::ExclusiveMinimum { .. }
        | ValidationErrorKind::ExclusiveMaximum { .. }
        | ValidationErrorKind::MinLength { .. }
        | ValidationErrorKind::MaxLength { .. }
        | ValidationErrorKind::MultipleOf { .. } => err.instance().as_str().is_some_and(|s| interpolation(s).has_reference),
        _ => false,
    }
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

fn join_or(items: &[String]) -> String {
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
    fn paths_read_like_compose() {
        assert_eq!(display_path("/services/api/ports/0"), "services.api.ports[0]");
        assert_eq!(display_path(""), "the file");
        assert_eq!(display_path("/x~1y"), "x/y");
    }

    #[test]
    fn the_bundled_schema_compiles() {
        assert!(compiled().is_some());
    }
}
