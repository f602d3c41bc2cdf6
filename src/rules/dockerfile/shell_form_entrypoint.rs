use super::runtime;
use crate::diagnostic::{Edit, Fix};
use crate::model::dockerfile::last_in_chain;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::dockerfile::{Instruction, ShellText};
use crate::syntax::shell::Command;

/// ENTRYPOINT or CMD of the shipped image in shell form: `/bin/sh -c` becomes PID 1 and
/// SIGTERM never reaches the application.
pub struct ShellFormEntrypoint;

impl Rule for ShellFormEntrypoint {
    fn name(&self) -> &'static str {
        "dockerfile/shell-form-entrypoint"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some((df, stage)) = runtime(file) else { return };
        let entrypoint = last_in_chain(df, stage, "ENTRYPOINT");
        // With an ENTRYPOINT in shell form, CMD is ignored: only the ENTRYPOINT matters.
        let shell_entrypoint = entrypoint.is_some_and(|e| e.shell().is_some());
        let cmd = last_in_chain(df, stage, "CMD").filter(|_| !shell_entrypoint);
        for inst in [entrypoint, cmd].into_iter().flatten() {
            let Some(text) = inst.shell().filter(|t| !t.is_empty()) else {
                continue;
            };
            let commands = text.commands();
            if execs_itself(&commands) {
                continue;
            }
            out.report(inst.span, message(inst))
                .help("write it in exec form, `[\"/path/to/app\", \"arg\"]`, or start the shell command with `exec`")
                .fix_opt(exec_form_fix(text, &commands));
        }
    }
}

fn message(inst: &Instruction) -> String {
    format!(
        "{} in shell form runs under `/bin/sh -c`: the shell is PID 1 and SIGTERM never reaches the application, which is killed after the grace period",
        inst.keyword
    )
}

/// `CMD exec app --flag`: the shell replaces itself with the application.
fn execs_itself(commands: &[Command]) -> bool {
    matches!(commands, [only] if only.is("exec"))
}

/// The same command in exec form, when the words mean exactly what they say: a single simple
/// command without variables, globs, redirections, operators or escapes for the shell to
/// interpret.
fn exec_form_fix(text: &ShellText, commands: &[Command]) -> Option<Fix> {
    let [command] = commands else { return None };
    if command.separator_after.is_some() || !command.redirects.is_empty() || !command.assignments().is_empty() {
        return None;
    }
    let plain = |raw: &str| {
        !raw.contains([
            '$', '`', '*', '?', '[', ']', '{', '}', '~', '\\', '#', '(', ')', '<', '>', '|', '&', ';',
        ])
    };
    if command.words.is_empty() || !command.words.iter().all(|w| plain(w.raw(&text.text))) {
        return None;
    }
    let json: Vec<String> = command
        .words
        .iter()
        .map(|w| serde_json::to_string(&w.text).unwrap_or_default())
        .collect();
    Some(Fix::safe(
        "rewrite in exec (JSON) form",
        vec![Edit {
            span: text.span,
            replacement: format!("[{}]", json.join(", ")),
        }],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::dockerfile::parse;

    fn fix_of(src: &str) -> Option<String> {
        let df = parse(src);
        let inst = df.instructions.last()?;
        let text = inst.shell()?;
        exec_form_fix(text, &text.commands()).map(|f| f.edits[0].replacement.clone())
    }

    #[test]
    fn fixes_only_plain_commands() {
        assert_eq!(fix_of("FROM a\nCMD node server.js\n").as_deref(), Some("[\"node\", \"server.js\"]"));
        assert_eq!(
            fix_of("FROM a\nCMD app \"--name=a b\"\n").as_deref(),
            Some("[\"app\", \"--name=a b\"]")
        );
        assert_eq!(fix_of("FROM a\nCMD app --port $PORT\n"), None);
        assert_eq!(fix_of("FROM a\nCMD app > /log\n"), None);
        assert_eq!(fix_of("FROM a\nCMD a && b\n"), None);
        assert_eq!(fix_of("FROM a\nCMD app *.conf\n"), None);
    }
}
