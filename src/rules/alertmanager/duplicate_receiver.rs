use super::config;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Two receivers with one name, or a receiver without a name: routes name receivers, so
/// Alertmanager refuses the configuration rather than guess.
pub struct DuplicateReceiver;

impl Rule for DuplicateReceiver {
    fn name(&self) -> &'static str {
        "alertmanager/duplicate-receiver"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        for (i, r) in cfg.receivers.iter().enumerate() {
            if cfg.receivers[..i].iter().any(|e| e.name.value == r.name.value) {
                out.report(r.name.span, format!("receiver `{}` is defined twice", r.name.value))
                    .help("rename or merge one of them; Alertmanager refuses this configuration (`amtool check-config`: notification config name is not unique)");
            }
        }
        for place in &cfg.unnamed_receivers {
            out.report(*place, "receiver has no `name`")
                .help("name the receiver so that routes can send to it; Alertmanager refuses this configuration (`amtool check-config`: missing name in receiver)");
        }
    }
}
