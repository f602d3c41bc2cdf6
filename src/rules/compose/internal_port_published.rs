use super::{compose, infra, Infra};
use crate::diagnostic::{Edit, Fix};
use crate::model::compose::{Port, Service};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::source::Span;
use serde::Deserialize;

/// A database, an unauthenticated admin tool or a metrics endpoint published on every host
/// interface: reachable by anyone who can reach the host.
pub struct InternalPortPublished;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    /// Container ports that serve metrics in the application's own services.
    metrics_ports: Vec<u16>,
    /// Report every port published on all interfaces, whatever the service.
    all_ports: bool,
}

impl Rule for InternalPortPublished {
    fn name(&self) -> &'static str {
        "compose/internal-port-published"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        let options: Options = out.options();
        for s in &compose.services {
            if s.network_mode.as_ref().is_some_and(|n| n.value == "host") {
                continue; // nothing is published: `compose/host-network` reports it
            }
            for p in s.ports.iter().filter(|p| p.on_all_interfaces()) {
                let Some(what) = what_is_exposed(s, p, &options) else {
                    continue;
                };
                out.report(
                    p.span,
                    format!(
                        "port {} of service `{}` ({what}) is published on all host interfaces",
                        p.target, s.name
                    ),
                )
                .help("drop it (services on the Compose network reach it by name) or bind it to 127.0.0.1")
                .fix_opt(bind_localhost(file.text(), p));
            }
        }
    }
}

/// What the port serves, when it should not face the world.
fn what_is_exposed(s: &Service, p: &Port, options: &Options) -> Option<&'static str> {
    let metrics = p.comment.as_deref().is_some_and(|c| c.to_ascii_lowercase().contains("metric"))
        || p.target_number().is_some_and(|n| options.metrics_ports.contains(&n));
    match infra(s) {
        Some(Infra::DataStore) => Some("a data store"),
        Some(Infra::OpenAdmin) => Some("no authentication by default"),
        None if metrics => Some("unauthenticated metrics"),
        _ if options.all_ports => Some("no host address given"),
        _ => None,
    }
}

/// Prefixes a short-syntax `HOST:CONTAINER` mapping with `127.0.0.1:`. Unsafe: clients on
/// other hosts lose access.
fn bind_localhost(text: &str, p: &Port) -> Option<Fix> {
    p.published.as_ref()?;
    if p.host_ip.is_some() {
        return None;
    }
    let raw = text.get(p.span.range())?;
    let at = match raw.chars().next()? {
        '"' | '\'' => p.span.start as usize + 1,
        c if c.is_ascii_digit() || c == '$' => p.span.start as usize,
        _ => return None, // long syntax: a map
    };
    Some(Fix::unsafe_(
        "bind the port to 127.0.0.1",
        vec![Edit {
            span: Span::empty(at),
            replacement: "127.0.0.1:".to_string(),
        }],
    ))
}
