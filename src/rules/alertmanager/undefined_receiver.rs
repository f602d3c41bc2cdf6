use super::config;
use crate::model::alertmanager::AmConfig;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A route naming a receiver that does not exist: Alertmanager refuses the configuration.
pub struct UndefinedReceiver;

impl Rule for UndefinedReceiver {
    fn name(&self) -> &'static str {
        "alertmanager/undefined-receiver"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        let Some(route) = &cfg.route else { return };
        route.walk(&mut |r| {
            let Some(name) = &r.receiver else { return };
            if !is_defined(&cfg, &name.value) {
                out.report(
                    name.span,
                    format!("route sends alerts to receiver `{}`, which is not defined", name.value),
                )
                .help("define the receiver under `receivers:` or correct the name; Alertmanager refuses this configuration (`amtool check-config` says the same)");
            }
        });
    }
}

fn is_defined(cfg: &AmConfig, name: &str) -> bool {
    cfg.receivers.iter().any(|r| r.name.value == name)
}
