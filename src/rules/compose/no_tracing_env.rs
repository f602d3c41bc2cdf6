use super::{compose, is_app_service, judged_elsewhere};
use crate::model::compose::{ImageRef, Service};
use crate::model::env::is_tracing_var;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// The application's environment configures no trace exporter: spans go nowhere.
pub struct NoTracingEnv;

impl Rule for NoTracingEnv {
    fn name(&self) -> &'static str {
        "compose/no-tracing-env"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        // Where the file builds the team's services, a service it pulls from a public registry
        // (gotenberg, tika, an exporter) is someone else's program: its tracing is not this
        // repository's to set. One pulled from a private registry is the team's.
        let builds_some = compose.services.iter().any(|s| s.build.is_some());
        let own = |s: &Service| s.build.is_some() || !builds_some || s.image.as_ref().is_some_and(|i| from_private_registry(&i.value));
        for s in compose.services.iter().filter(|s| own(s) && lacks_tracing(s)) {
            if judged_elsewhere(file, out, s, lacks_tracing) {
                continue;
            }
            // An `environment:` merged from an anchor (written before the service: YAML
            // aliases only look back) is shared by many services; each is reported at its own
            // key instead.
            let own_environment = s.environment_key.filter(|k| k.start > s.key_span.start);
            out.report(
                own_environment.unwrap_or(s.key_span),
                format!("service `{}` configures no trace exporter", s.name),
            )
            .help("set OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME (or the tracer your service uses) to the collector on the Compose network");
        }
    }
}

/// `registry.example.com/shop/api`, `123.dkr.ecr.eu-west-1.amazonaws.com/api`: a registry host
/// that is not one of the public ones (Docker Hub has none in the name).
fn from_private_registry(image: &str) -> bool {
    const PUBLIC: &[&str] = &[
        "docker.io",
        "index.docker.io",
        "ghcr.io",
        "quay.io",
        "gcr.io",
        "mcr.microsoft.com",
        "public.ecr.aws",
        "registry.k8s.io",
        "registry.gitlab.com",
        "docker.elastic.co",
        "cgr.dev",
        "lscr.io",
    ];
    let repository = ImageRef::parse(image).repository;
    match repository.split_once('/') {
        Some((host, _)) if host.contains('.') || host.contains(':') || host == "localhost" => {
            !PUBLIC.iter().any(|p| host == *p || host.ends_with(&format!(".{p}")))
        }
        _ => false,
    }
}

/// An application service whose environment names no tracing variable. Services with an
/// `env_file:` may set it there; they are not judged.
fn lacks_tracing(s: &Service) -> bool {
    is_app_service(s) && !s.extends && s.env_files.is_empty() && !s.environment.iter().any(|e| is_tracing_var(&e.key))
}

#[cfg(test)]
mod tests {
    use super::from_private_registry;

    #[test]
    fn private_registries_are_the_teams() {
        assert!(from_private_registry("registry.example.com/shop/api:1.4.2"));
        assert!(from_private_registry("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api"));
        assert!(from_private_registry("localhost:5000/api"));
        assert!(!from_private_registry("gotenberg/gotenberg:8.12.0"));
        assert!(!from_private_registry("ghcr.io/org/app:1.0"));
        assert!(!from_private_registry("redis:7"));
    }
}
