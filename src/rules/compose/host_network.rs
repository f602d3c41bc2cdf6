use super::compose;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `network_mode: host` puts every port the container opens on the host's interfaces, with no
/// network isolation.
pub struct HostNetwork;

impl Rule for HostNetwork {
    fn name(&self) -> &'static str {
        "compose/host-network"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        for s in &compose.services {
            if let Some(n) = s.network_mode.as_ref().filter(|n| n.value == "host") {
                out.report(n.span, format!("service `{}` shares the host's network", s.name))
                    .help("use a Compose network and publish only the ports clients need");
            }
        }
    }
}
