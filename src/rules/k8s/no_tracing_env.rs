use super::{for_each_container, Scope};
use crate::model::env::is_tracing_var;
use crate::model::k8s::ContainerKind;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A container running an image this repository builds, whose environment configures no trace
/// exporter: its spans go to the SDK's default, `localhost:4317`, which is nothing in a pod.
pub struct NoTracingEnv;

impl Rule for NoTracingEnv {
    fn name(&self) -> &'static str {
        "k8s/no-tracing-env"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let graph = out.project().graph();
        for_each_container(file, Scope::Whole, |_, _, c| {
            let own_image = c.image_ref().is_some_and(|i| graph.builds(i));
            // `envFrom` may bring the variables from a ConfigMap or Secret.
            let configured = c.node.get("envFrom").is_some() || c.env.iter().any(|e| is_tracing_var(&e.name));
            if c.kind != ContainerKind::Regular || !own_image || configured {
                return;
            }
            let place = c.node.entry("env").map_or(c.at, |e| e.key.span);
            out.report(place, format!("{} configures no trace exporter", c.describe()))
                .help("set OTEL_EXPORTER_OTLP_ENDPOINT (the collector's Service) and OTEL_SERVICE_NAME, or the variables of the tracer the service uses");
        });
    }
}
