use super::{compose, is_app_service};
use crate::model::compose::Service;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// The application's environment configures no trace exporter: spans go nowhere.
pub struct NoTracingEnv;

impl Rule for NoTracingEnv {
    fn name(&self) -> &'static str {
        "compose/no-tracing-env"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file) else { return };
        for s in compose.services.iter().filter(|s| lacks_tracing(s)) {
            out.report(
                s.environment_key.unwrap_or(s.key_span),
                format!("service `{}` configures no trace exporter", s.name),
            )
            .help("set OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME (or the tracer your service uses) to the collector on the Compose network");
        }
    }
}

/// An application service whose environment names no tracing variable. Services with an
/// `env_file:` may set it there; they are not judged.
fn lacks_tracing(s: &Service) -> bool {
    is_app_service(s) && !s.extends && s.env_files.is_empty() && !s.environment.iter().any(|e| is_tracing_var(&e.key))
}

fn is_tracing_var(key: &str) -> bool {
    let k = key.to_ascii_uppercase();
    k.starts_with("OTEL_")
        || k.starts_with("JAEGER_")
        || k.starts_with("ZIPKIN_")
        || k.starts_with("DD_TRACE")
        || k.starts_with("DD_AGENT")
        || k.contains("TRACING")
        || k.contains("OTLP")
}
