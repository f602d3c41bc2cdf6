use super::config;
use crate::model::alertmanager::AmConfig;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A receiver no route names receives nothing: either dead configuration, or a route that was
/// meant to send to it and does not.
pub struct UnreferencedReceiver;

impl Rule for UnreferencedReceiver {
    fn name(&self) -> &'static str {
        "alertmanager/unreferenced-receiver"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        // Without a route tree (a partial file, e.g. receivers only) nothing can be judged.
        if cfg.route.is_none() {
            return;
        }
        let used = referenced(&cfg);
        for r in cfg.receivers.iter().filter(|r| !used.contains(&r.name.value.as_str())) {
            out.report(r.name.span, format!("receiver `{}` is not used by any route", r.name.value))
                .help("route alerts to it (`routes: [{matchers: [...], receiver: ...}]`) or remove it");
        }
    }
}

fn referenced(cfg: &AmConfig) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(route) = &cfg.route {
        route.walk(&mut |r| {
            if let Some(name) = &r.receiver {
                out.push(name.value.as_str());
            }
        });
    }
    out
}
