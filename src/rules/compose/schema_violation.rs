use crate::model::compose::{interpolation, ComposeFile};
use crate::model::File;
use crate::rules::schema::{validate, Dialect};
use crate::rules::{Rule, Sink};
use jsonschema::error::ValidationErrorKind;
use jsonschema::ValidationError;
use std::sync::OnceLock;

/// A Compose file that breaks the Compose Specification: Compose refuses to start it.
pub struct SchemaViolation;

/// The Compose Specification JSON Schema, bundled so validation never touches the network:
/// compose-spec/compose-spec `schema/compose-spec.json` at commit
/// 170098ba07d9f53c383a41bfd4c5166b0a4529a6 (2026-06-23), Apache-2.0 (see schemas/README.md).
const SCHEMA: &str = include_str!("../../../schemas/compose-spec.json");

static COMPOSE: Dialect = Dialect {
    source: SCHEMA,
    compiled: OnceLock::new(),
    product: "Compose",
    help: "Compose refuses a file that breaks its specification; see https://github.com/compose-spec/compose-spec/blob/main/spec.md",
    excused,
    ahead_of_schema,
    patterns: &[],
    secret_value: |_| false,
};

impl Rule for SchemaViolation {
    fn name(&self) -> &'static str {
        "compose/schema-violation"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = super::compose(file, out) else { return };
        if !surely_compose(file.path(), &compose) {
            return;
        }
        validate(file, &COMPOSE, out);
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
    compose_name
        || (!compose.services.is_empty()
            && compose
                .services
                .iter()
                .all(|s| s.image_run().is_some() || s.build.is_some() || s.extends))
}

/// Keys the Compose Specification documents and Compose accepts, but the bundled schema does
/// not list yet: `pre_start` (spec commit a076fad, 2026-06-16) is in `spec.md` only.
fn ahead_of_schema(pointer: &str, key: &str) -> bool {
    let in_service = pointer.strip_prefix("/services/").is_some_and(|name| !name.contains('/'));
    in_service && key == "pre_start"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_schema_compiles() {
        assert!(COMPOSE.compiles());
    }
}
