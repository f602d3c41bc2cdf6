//! One view of "environment variables set somewhere", whatever file sets them, so that each
//! environment check (secrets, log levels, backtraces, TLS) is written once for every source.
//!
//! Sources: `.env` files, Compose `environment:`, Kubernetes container `env:` and the
//! Dockerfile `ENV` of the stages that ship.

use super::compose::{interpolation, ComposeFile};
use super::{File, FromFile};
use crate::kind::FileKind;
use crate::source::Span;
use crate::syntax::tree::NodeKind;

/// Where a variable is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvSource {
    /// A `.env` file (`env_file:`, python-dotenv, …).
    DotEnv,
    /// A Compose service's `environment:`.
    Compose { service: String },
    /// A Kubernetes container's `env:`.
    Kubernetes { container: String },
    /// A Dockerfile `ENV` of a stage that ships.
    Dockerfile,
}

/// How a value is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Written in the file (in part at least: `postgres://app:pw@${HOST}/db`).
    Literal,
    /// Entirely from a variable with no default (`${DB_PASSWORD}`, `- KEY` with no value):
    /// the file holds nothing to judge.
    FromEnvironment,
    /// References whose defaults apply when the variables are unset
    /// (`${DB_PASSWORD:-changeme}`): the defaults are judged as literals.
    Defaulted,
    /// Empty: nothing set.
    Empty,
}

/// One variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub key: String,
    pub key_span: Span,
    /// The value as written (`None` when the name has no value at all).
    pub raw: Option<String>,
    /// The value used when no variable is set: defaults filled in, references without a
    /// default left as written. What checks read.
    pub effective: String,
    pub kind: ValueKind,
    /// The value's span (the key's when there is no value).
    pub value_span: Span,
    pub source: EnvSource,
}

/// Every variable a file sets, in file order.
#[derive(Clone, Debug, Default)]
pub struct EnvVars {
    pub vars: Vec<EnvVar>,
}

impl FromFile for EnvVars {
    fn build(file: &File) -> Option<Self> {
        let vars = match file.kind {
            FileKind::DotEnv => dotenv_vars(file),
            FileKind::Compose => compose_vars(file),
            FileKind::Kubernetes => kubernetes_vars(file),
            FileKind::Dockerfile => dockerfile_vars(file),
            _ => return None,
        };
        Some(EnvVars { vars })
    }
}

/// Builds a variable from a value as written, judging interpolation as Compose does (`.env`
/// files read by Compose interpolate the same way).
pub fn env_var(key: &str, key_span: Span, raw: Option<&str>, value_span: Option<Span>, source: EnvSource) -> EnvVar {
    let (effective, kind) = match raw {
        None => (String::new(), ValueKind::FromEnvironment),
        Some(v) if v.trim().is_empty() => (String::new(), ValueKind::Empty),
        Some(v) => {
            let i = interpolation(v);
            let kind = if !i.has_reference {
                ValueKind::Literal
            } else if !i.has_unset_reference {
                ValueKind::Defaulted
            } else if interpolation(v.trim()).with_defaults.trim_start().starts_with('$') && !v.contains("://") {
                ValueKind::FromEnvironment
            } else {
                ValueKind::Literal
            };
            (i.with_defaults, kind)
        }
    };
    EnvVar {
        key: key.to_string(),
        key_span,
        raw: raw.map(str::to_string),
        effective,
        kind,
        value_span: value_span.unwrap_or(key_span),
        source,
    }
}

fn dotenv_vars(file: &File) -> Vec<EnvVar> {
    let Some(root) = file.tree().and_then(|t| t.docs.first()?.root.as_ref()) else {
        return Vec::new();
    };
    let NodeKind::Map(entries) = &root.kind else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|e| {
            let key = e.key.as_str()?;
            let value = e.value.as_scalar().map_or("", |s| s.value.as_str());
            Some(env_var(key, e.key.span, Some(value), Some(e.value.span), EnvSource::DotEnv))
        })
        .collect()
}

fn compose_vars(file: &File) -> Vec<EnvVar> {
    let Some(compose) = file.model::<ComposeFile>() else {
        return Vec::new();
    };
    compose
        .services
        .iter()
        .flat_map(|s| {
            s.environment.iter().filter(|e| !e.inherited).map(|e| {
                env_var(
                    &e.key,
                    e.key_span,
                    e.value.as_deref(),
                    e.value_span,
                    EnvSource::Compose { service: s.name.clone() },
                )
            })
        })
        .collect()
}

/// Kubernetes container `env:` entries: `value:` literals are judged, `valueFrom` comes from
/// elsewhere (a Secret, a ConfigMap, the downward API).
fn kubernetes_vars(file: &File) -> Vec<EnvVar> {
    let Some(manifests) = file.model::<super::k8s::Manifests>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for object in &manifests.objects {
        let Some(pod) = &object.pod else { continue };
        for c in &pod.containers {
            let container = c.name.clone().unwrap_or_default();
            for e in &c.env {
                let source = EnvSource::Kubernetes {
                    container: container.clone(),
                };
                let var = match &e.value {
                    Some(v) => env_var(&e.name, e.name_span, Some(v.as_str().unwrap_or("")), Some(v.span), source),
                    None => env_var(&e.name, e.name_span, None, None, source),
                };
                out.push(var);
            }
        }
    }
    out
}

/// Dockerfile `ENV` of the stages that ship (see [`super::dockerfile::shipped_env`]).
fn dockerfile_vars(file: &File) -> Vec<EnvVar> {
    let Some(df) = file.dockerfile() else {
        return Vec::new();
    };
    super::dockerfile::shipped_env(df)
        .into_iter()
        .map(|p| env_var(&p.key, p.key_span, p.value.as_deref(), p.value_span, EnvSource::Dockerfile))
        .collect()
}

/// `.env` files meant as templates or for development (`.env.example`, `.env.local`,
/// `.env.test`, …): nothing in them reaches production.
pub fn is_template_dotenv(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.split(['.', '-', '_']).any(|p| {
        matches!(
            p,
            "example" | "sample" | "template" | "dist" | "tpl" | "defaults" | "local" | "dev" | "development" | "test" | "testing" | "ci"
        )
    })
}

/// Whether a variable configures tracing (OpenTelemetry, Jaeger, Zipkin, Datadog …).
pub fn is_tracing_var(key: &str) -> bool {
    let k = key.to_ascii_uppercase();
    k.starts_with("OTEL_")
        || k.starts_with("JAEGER_")
        || k.starts_with("ZIPKIN_")
        || k.starts_with("DD_TRACE")
        || k.starts_with("DD_AGENT")
        || k.contains("TRACING")
        || k.contains("OTLP")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_kinds() {
        let k = |v: Option<&str>| env_var("K", Span::default(), v, None, EnvSource::DotEnv).kind;
        assert_eq!(k(None), ValueKind::FromEnvironment);
        assert_eq!(k(Some("")), ValueKind::Empty);
        assert_eq!(k(Some("${X}")), ValueKind::FromEnvironment);
        assert_eq!(k(Some("${X:-pw}")), ValueKind::Defaulted);
        assert_eq!(k(Some("pw")), ValueKind::Literal);
        assert_eq!(k(Some("pg://u:${P}@h")), ValueKind::Literal);
    }

    #[test]
    fn template_env_files() {
        assert!(is_template_dotenv("app/.env.example"));
        assert!(is_template_dotenv(".env.local"));
        assert!(!is_template_dotenv(".env"));
        assert!(!is_template_dotenv("deploy/.env.production"));
        assert!(!is_template_dotenv("prod.env"));
    }
}
