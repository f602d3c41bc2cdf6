use super::config;
use crate::model::alertmanager::Receiver;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A receiver without any `*_configs` accepts alerts and delivers them nowhere.
pub struct ReceiverWithoutIntegration;

impl Rule for ReceiverWithoutIntegration {
    fn name(&self) -> &'static str {
        "alertmanager/receiver-without-integration"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        for r in cfg.receivers.iter().filter(|r| is_black_hole(r)) {
            out.report(
                r.name.span,
                format!("receiver `{}` has no integration: alerts routed to it are dropped", r.name.value),
            )
            .help("add an integration (`pagerduty_configs`, `opsgenie_configs`, `slack_configs`, `email_configs`, `webhook_configs`, …) or route its alerts elsewhere");
        }
    }
}

/// A deliberately silent receiver is usually named so (`null`, `blackhole`, `devnull`); one that
/// only receives `Watchdog`-style heartbeats is still a black hole and is reported.
fn is_black_hole(r: &Receiver) -> bool {
    let name = r.name.value.to_ascii_lowercase();
    let deliberate = [
        "null",
        "blackhole",
        "black-hole",
        "black_hole",
        "devnull",
        "dev-null",
        "void",
        "noop",
        "none",
        "silence",
        "discard",
    ]
    .iter()
    .any(|n| name == *n || name.contains(n));
    r.integrations.iter().all(|i| i.count == 0) && !deliberate
}
