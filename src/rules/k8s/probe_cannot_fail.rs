use super::{for_each_container, Scope};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::{Entry, Node};

/// An exec probe whose command always succeeds, whatever the state of the process.
pub struct ProbeCannotFail;

impl Rule for ProbeCannotFail {
    fn name(&self) -> &'static str {
        "k8s/probe-cannot-fail"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Written, |_, _, c| {
            let probes = [&c.liveness_probe, &c.readiness_probe, &c.startup_probe];
            for probe in probes.into_iter().flatten() {
                let Some(command) = always_succeeds(probe) else { continue };
                out.report(command.span, format!("{} of {} always succeeds", probe.key.as_str().unwrap_or("probe"), c.describe()))
                    .help("probe something that fails when the service cannot work: an HTTP health endpoint, a client ping (pg_isready, redis-cli ping) or a check script");
            }
        });
    }
}

/// The command of an exec probe that is `true`, `exit 0`, `echo …` or `--version`/`--help`.
fn always_succeeds(probe: &Entry) -> Option<&Node> {
    let command = probe.value.get_path(&["exec", "command"])?;
    let words: Vec<&str> = command.as_seq()?.iter().filter_map(Node::as_str).collect();
    let line = match words.as_slice() {
        [shell, "-c", script] if shell.ends_with("sh") => script.trim().to_string(),
        _ => words.join(" "),
    };
    let trivial = matches!(line.as_str(), "true" | "/bin/true" | "exit 0" | ":")
        || line.starts_with("echo ")
        || line.ends_with(" --version")
        || line.ends_with(" --help")
        || line.ends_with("|| true")
        || line.ends_with("|| exit 0");
    trivial.then_some(command)
}
