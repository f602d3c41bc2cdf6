use super::{compose, is_app_service, judged_elsewhere};
use crate::model::compose::Service;
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
        for s in compose.services.iter().filter(|s| lacks_tracing(s)) {
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

/// An application service whose environment names no tracing variable. Services with an
/// `env_file:` may set it there; they are not judged.
fn lacks_tracing(s: &Service) -> bool {
    is_app_service(s) && !s.extends && s.env_files.is_empty() && !s.environment.iter().any(|e| is_tracing_var(&e.key))
}
