use super::{compose, insert_key_fix, judged_elsewhere};
use crate::model::compose::Service;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A service without a restart policy stays down after a crash or a host reboot.
pub struct NoRestartPolicy;

impl Rule for NoRestartPolicy {
    fn name(&self) -> &'static str {
        "compose/no-restart-policy"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        for s in compose.services.iter().filter(|s| lacks_restart(s) && !compose.is_one_shot(s)) {
            if judged_elsewhere(file, out, s, lacks_restart) {
                continue;
            }
            out.report(s.key_span, format!("service `{}` has no restart policy", s.name))
                .help("add `restart: unless-stopped` (or `on-failure`) so the service comes back after a crash or a reboot")
                .fix_opt(insert_key_fix(s, "restart", "unless-stopped"));
        }
    }
}

/// `restart: "no"` is a deliberate choice, and one-shot jobs (`ComposeFile::is_one_shot`) are
/// left alone.
/// A Swarm service restarts on any exit by default.
fn lacks_restart(s: &Service) -> bool {
    s.restart.is_none() && !s.deploy_restart_policy && !s.extends && !s.swarm
}
