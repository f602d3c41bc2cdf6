use super::{documents, under};
use crate::kind::FileKind;
use crate::model::project::{Graph, SetVar};
use crate::rules::{Project, Rule, Sink};
use std::collections::BTreeSet;

/// An environment variable that the repository's own images are given, mentioned in no README,
/// document or `.env.example`.
pub struct UndocumentedEnvVar;

impl Rule for UndocumentedEnvVar {
    fn name(&self) -> &'static str {
        "project/undocumented-env-var"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let g = project.graph();
        for root in &project.repo.roots {
            let mut docs: Vec<&str> = documents(project, root).map(|(_, t)| t).collect();
            // An env file the repository holds, a template such as .env.example or the `.env`
            // its Compose files read, lists each variable with its value, often under a comment
            // naming the service.
            docs.extend(
                project
                    .of_kind(FileKind::DotEnv)
                    .filter(|f| under(f.path(), root))
                    .map(|f| f.text()),
            );
            let mut seen = BTreeSet::new();
            let mut vars = own_vars(g, root);
            vars.sort_by(|a, b| (&a.at.path, a.at.span).cmp(&(&b.at.path, b.at.span)));
            for v in vars {
                if is_image_internal(&v.name) || !seen.insert(v.name.clone()) || docs.iter().any(|d| mentions_word(d, &v.name)) {
                    continue;
                }
                out.report_in(&v.at.path, v.at.span, format!("environment variable `{}` is not documented", v.name))
                    .help("say what it does, its default and its allowed values in the README or a document under docs/ (or list it in a .env.example)");
            }
        }
    }
}

/// Variables given to images built from this repository: their Dockerfile `ENV`, the
/// `environment:` of Compose services that build them, the `env:` of Kubernetes containers that
/// run them. Third-party images (postgres, grafana …) document their own variables, and so
/// they do for a Dockerfile that only configures one (`FROM grafana/grafana` with `ENV GF_…`
/// and no ENTRYPOINT or CMD of its own; one with its own entrypoint script reads its own).
fn own_vars<'g>(g: &'g Graph, root: &str) -> Vec<&'g SetVar> {
    let mut vars: Vec<&SetVar> = Vec::new();
    vars.extend(
        g.images
            .iter()
            .filter(|i| under(&i.path, root) && (i.own_command || !crate::model::images::is_product(&i.base)))
            .flat_map(|i| &i.env),
    );
    vars.extend(
        g.services
            .iter()
            .filter(|s| s.built && under(&s.at.path, root))
            .flat_map(|s| &s.env),
    );
    vars.extend(
        g.containers
            .iter()
            .filter(|c| under(&c.path, root) && g.container_image_is_built_here(c))
            .flat_map(|c| &c.env),
    );
    vars
}

/// Variables every base image or toolchain sets, which configure the image rather than the
/// application, and those a runtime or SDK specifies and documents itself (`OTEL_*`,
/// `ASPNETCORE_*`, `JAVA_TOOL_OPTIONS`, `GOMAXPROCS`).
fn is_image_internal(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "PATH",
        "HOME",
        "USER",
        "SHELL",
        "TERM",
        "LANG",
        "LANGUAGE",
        "TZ",
        "DEBIAN_FRONTEND",
        "VIRTUAL_ENV",
        "JAVA_HOME",
        "GOPATH",
        "GOFLAGS",
        "GOOS",
        "GOARCH",
        "CGO_ENABLED",
        "GO111MODULE",
        "RUSTFLAGS",
        "LD_LIBRARY_PATH",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "NODE_ENV",
        "APP_HOME",
        "NODE_OPTIONS",
        "JAVA_OPTS",
        "JAVA_TOOL_OPTIONS",
        "_JAVA_OPTIONS",
        "GOMAXPROCS",
        "GOMEMLIMIT",
        "GODEBUG",
        "GOTRACEBACK",
        "MALLOC_ARENA_MAX",
        "GUNICORN_CMD_ARGS",
        // Web frameworks' own switches, documented by the framework.
        "RAILS_ENV",
        "RACK_ENV",
        "RAILS_LOG_TO_STDOUT",
        "RAILS_SERVE_STATIC_FILES",
        "MIX_ENV",
        "FLASK_APP",
        "FLASK_ENV",
        "FLASK_DEBUG",
        "FLASK_RUN_HOST",
        "FLASK_RUN_PORT",
        "DJANGO_SETTINGS_MODULE",
        "GIN_MODE",
        "PLAYWRIGHT_BROWSERS_PATH",
        "NEXT_TELEMETRY_DISABLED",
        "NEXT_MANUAL_SIG_HANDLE",
        "HOSTNAME",
        "APP_ENV",
        // Phoenix's own.
        "SECRET_KEY_BASE",
        "PHX_HOST",
        "PHX_SERVER",
        // PostgreSQL's own: the data directory and libpq's connection variables.
        "PGDATA",
        "PGHOST",
        "PGPORT",
        "PGDATABASE",
        "PGUSER",
        "PGSSLMODE",
        "PGPASSFILE",
        "PGAPPNAME",
        "PGOPTIONS",
        "PGCONNECT_TIMEOUT",
    ];
    const PREFIXES: &[&str] = &[
        "LC_",
        "PIP_",
        "NPM_CONFIG_",
        "YARN_",
        "CARGO_",
        "RUSTUP_",
        "POETRY_",
        "UV_",
        "MAVEN_",
        "GRADLE_",
        "DOTNET_",
        "NUGET_",
        "BUNDLE_",
        "GEM_",
        "OTEL_",
        "ASPNETCORE_",
        // Machine-learning runtimes and SDKs, documented upstream.
        "HF_",
        "HUGGING_FACE_",
        "TRANSFORMERS_",
        "TORCH_",
        "PYTORCH_",
        "TF_",
        "XLA_",
        "JAX_",
        "VLLM_",
        "CUDA_",
        "NCCL_",
        "NVIDIA_",
        "OMP_",
        "MKL_",
        "STREAMLIT_",
        "GRADIO_",
        // CPython's own variables (PYTHONWARNINGS, PYTHONFAULTHANDLER, …), s6-overlay's,
        // Puppeteer's and Rocket's configuration namespaces.
        "PYTHON",
        "S6_",
        "PUPPETEER_",
        "ROCKET_",
        // k6's, protobuf's and the OpenAI and Traceloop SDKs' own.
        "K6_",
        "PROTOCOL_BUFFERS_",
        "OPENAI_",
        "TRACELOOP_",
    ];
    // `NODE_VERSION`, `CLOJURE_VERSION`: the version a build step installs, not a setting.
    // `discovery.type`, `cluster.name`: OpenSearch's and Elasticsearch's own settings, which
    // their images read from dotted variables; no application names its variables so.
    EXACT.contains(&name) || PREFIXES.iter().any(|p| name.starts_with(p)) || name.ends_with("_VERSION") || name.contains('.')
}

/// Whether `word` occurs in `text` with no identifier character on either side.
fn mentions_word(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        assert!(mentions_word("set `PORT` to listen", "PORT"));
        assert!(!mentions_word("METRICS_PORT only", "PORT"));
        assert!(mentions_word("PORT", "PORT"));
    }
}
