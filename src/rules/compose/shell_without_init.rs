use super::{compose, insert_key_fix};
use crate::model::compose::Service;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::shell;

/// A service whose `entrypoint:`/`command:` keeps a shell as PID 1 (`sh -c "while …; done"`)
/// without `init: true`: the shell ignores SIGTERM and reaps no zombies.
pub struct ShellWithoutInit;

impl Rule for ShellWithoutInit {
    fn name(&self) -> &'static str {
        "compose/shell-without-init"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        for s in compose.services.iter().filter(|s| !s.extends && !s.init) {
            let Some((line, from_base)) = s
                .entrypoint
                .as_ref()
                .map(|e| (e, s.from_base.entrypoint))
                .or(s.command.as_ref().map(|c| (c, s.from_base.command)))
            else {
                continue;
            };
            // A line written in an `extends:` base is reported there.
            if from_base {
                continue;
            }
            if !shell_stays_pid1(s) {
                continue;
            }
            out.report(
                line.span,
                format!(
                    "service `{}` keeps a shell as PID 1 without `init: true`: SIGTERM is ignored and the stop waits for SIGKILL",
                    s.name
                ),
            )
            .help("set `init: true` (Docker's tini becomes PID 1, forwards SIGTERM and reaps zombies), or end the script with one `exec`'d command")
            .fix_opt(insert_key_fix(s, "init", "true"));
        }
    }
}

/// The words the container starts: the entrypoint with the command as its arguments, or the
/// command alone (an image entrypoint that ends in `exec "$@"` hands PID 1 to it).
fn started(s: &Service) -> Vec<&str> {
    match (&s.entrypoint, &s.command) {
        (Some(e), Some(c)) => e.value.iter().chain(&c.value).map(String::as_str).collect(),
        (Some(e), None) => e.value.iter().map(String::as_str).collect(),
        (None, Some(c)) => c.value.iter().map(String::as_str).collect(),
        (None, None) => Vec::new(),
    }
}

/// `sh -c SCRIPT` where the shell stays PID 1. sh, dash, ash and bash (5.1+) exec the last
/// simple command of a `-c` script themselves (`./migrate && ./serve` ends with `serve` as
/// PID 1); they stay when the script ends in a loop, a conditional, a group or a pipeline, sets
/// a trap, or leaves a job in the background.
fn shell_stays_pid1(s: &Service) -> bool {
    let words = started(s);
    let Some((program, rest)) = words.split_first() else {
        return false;
    };
    let name = program.rsplit('/').next().unwrap_or(program);
    if !matches!(name, "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh") {
        return false;
    }
    let Some(at) = rest
        .iter()
        .position(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('c'))
    else {
        return false;
    };
    let Some(script) = rest.get(at + 1) else {
        return false;
    };
    let commands = shell::split(script);
    let ends_compound = {
        let tail = script.trim_end().trim_end_matches([';', '&']).trim_end();
        let last = tail.rsplit(char::is_whitespace).next().unwrap_or("");
        matches!(last, "done" | "fi" | "esac" | "}" | ")") || (last.ends_with([')', '}']) && !last.contains('$'))
    };
    let ends_in_pipeline = commands.len() > 1 && commands[commands.len() - 2].separator_after == Some(shell::Sep::Pipe);
    let background = commands.iter().any(|c| c.separator_after == Some(shell::Sep::Background));
    let trap = commands.iter().any(|c| c.is("trap"));
    ends_compound || ends_in_pipeline || background || trap
}
