use super::{for_each_container, Scope};
use crate::model::k8s::Container;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::{Entry, Node};

/// A probe on a named port that the container does not declare: the probe can never succeed.
pub struct ProbePortNotDeclared;

impl Rule for ProbePortNotDeclared {
    fn name(&self) -> &'static str {
        "k8s/probe-port-not-declared"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Written, |_, _, c| {
            let probes = [&c.liveness_probe, &c.readiness_probe, &c.startup_probe];
            for probe in probes.into_iter().flatten() {
                let Some(port) = named_port(probe) else { continue };
                if !c.has_port(port) {
                    out.report(port.span, undeclared(c, probe, port))
                        .help("name a port the container declares under ports (or give the number): a probe on an unknown named port fails, so the pod never becomes ready or is restarted forever");
                }
            }
        });
    }
}

/// The port of an httpGet, tcpSocket or grpc probe, when given by name.
fn named_port(probe: &Entry) -> Option<&Node> {
    let port = ["httpGet", "tcpSocket", "grpc"]
        .iter()
        .find_map(|h| probe.value.get(h)?.get("port"))?;
    (port.as_i64().is_none() && port.as_str().is_some_and(|s| s.parse::<i64>().is_err())).then_some(port)
}

fn undeclared(c: &Container, probe: &Entry, port: &Node) -> String {
    format!(
        "{} of {} uses port `{}`, which the container does not declare",
        probe.key.as_str().unwrap_or("probe"),
        c.describe(),
        port.as_str().unwrap_or("")
    )
}
