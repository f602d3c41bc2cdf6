use super::runtime;
use crate::diagnostic::{Edit, Fix};
use crate::model::dockerfile::last_in_chain;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::source::Span;
use crate::syntax::dockerfile::{Instruction, ShellText, Word};
use crate::syntax::shell::{self, Command, Sep};

/// ENTRYPOINT or CMD of the shipped image in shell form, or an exec-form `sh -c "…"` wrapper
/// whose script does not `exec` its last command: the shell stays PID 1 and SIGTERM never
/// reaches the application. Both are one question, "does a shell stand between the signal and
/// the process", so one rule answers it.
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
            if let Some(words) = inst.exec() {
                check_wrapper(file.text(), inst, words, ash_shell(df, stage), out);
                continue;
            }
            let Some(text) = inst.shell().filter(|t| !t.is_empty()) else {
                continue;
            };
            let commands = text.commands();
            if execs_itself(commands) || (ash_shell(df, stage) && is_one_simple_command(commands)) {
                continue;
            }
            out.report(inst.span, message(inst))
                .help("write it in exec form, `[\"/path/to/app\", \"arg\"]`, or start the shell command with `exec`")
                .fix_opt(exec_form_fix(text, commands));
        }
    }
}

fn message(inst: &Instruction) -> String {
    format!(
        "{} in shell form runs under `/bin/sh -c`: the shell is PID 1 and SIGTERM never reaches the application, which is killed after the grace period",
        inst.keyword
    )
}

/// `CMD exec app --flag`, `CMD migrate && exec app`: the shell ends by replacing itself with
/// the application, which then receives the signals.
fn execs_itself(commands: &[Command]) -> bool {
    let Some((last, before)) = commands.split_last() else {
        return true;
    };
    last.is("exec")
        && !before
            .last()
            .is_some_and(|c| matches!(c.separator_after, Some(Sep::Pipe | Sep::Background)))
}

/// Shells whose `-c` script `exec` can hand PID 1 to the application.
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];

/// `["sh", "-c", "script"]`: the word holding the script, when the instruction is a shell
/// wrapper. A `-c` without its script in the same instruction (the script comes from CMD or
/// `docker run`) is not judged.
fn wrapper_script(words: &[Word]) -> Option<&Word> {
    let (program, args) = words.split_first()?;
    let name = program.text.rsplit('/').next().unwrap_or(&program.text);
    if !SHELLS.contains(&name) {
        return None;
    }
    let c = args
        .iter()
        .position(|w| w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains('c'))?;
    args.get(c + 1)
}

/// Whether `/bin/sh` of the stage is busybox ash (Alpine, BusyBox): ash runs the last simple
/// command of a `-c` script by exec, with no fork, so a script of one command hands PID 1 to
/// it. Debian's and Ubuntu's dash forks.
fn ash_shell(df: &crate::syntax::dockerfile::Dockerfile, stage: &crate::syntax::dockerfile::Stage) -> bool {
    let base = crate::model::dockerfile::base_image(df, stage).to_ascii_lowercase();
    base.contains("alpine") || base.contains("busybox")
}

/// A script of one simple command: no list, pipeline, background job, compound command or
/// trap, which a shell that execs its last command hands PID 1 to.
fn is_one_simple_command(commands: &[Command]) -> bool {
    let [only] = commands else { return false };
    only.separator_after.is_none()
        && !only
            .program_name()
            .is_some_and(|p| matches!(p, "if" | "for" | "while" | "until" | "case" | "{" | "(" | "trap"))
}

fn check_wrapper(src: &str, inst: &Instruction, words: &[Word], execs_one: bool, out: &mut Sink) {
    let Some(script) = wrapper_script(words) else { return };
    let commands = shell::split(&script.text);
    if commands.is_empty() || execs_itself(&commands) {
        return;
    }
    // bash, and ash as /bin/sh, exec a script of one simple command.
    let shell = words.first().map_or("", |w| w.text.rsplit('/').next().unwrap_or(&w.text));
    if (shell == "bash" || (execs_one && matches!(shell, "sh" | "ash"))) && is_one_simple_command(&commands) {
        return;
    }
    out.report(
        script.span,
        format!(
            "{} runs `{} -c` with a script that does not `exec` its last command: the shell stays PID 1 and SIGTERM never reaches the application",
            inst.keyword,
            words.first().map_or("sh", |w| w.text.as_str())
        ),
    )
    .help("start the long-running command with `exec` (`sh -c \"migrate && exec app\"`), or drop the shell and use exec form")
    .fix_opt(exec_last_fix(src, script, &commands));
}

/// Inserts `exec ` before the script's last command, when the JSON string is written without
/// escapes (so script offsets are file offsets) and the last command runs after the others,
/// not in a pipeline or the background.
fn exec_last_fix(src: &str, script: &Word, commands: &[Command]) -> Option<Fix> {
    let raw = src.get(script.span.range())?;
    if raw.get(1..raw.len().checked_sub(1)?) != Some(script.text.as_str()) {
        return None;
    }
    let (last, before) = commands.split_last()?;
    let sequential = before
        .iter()
        .all(|c| matches!(c.separator_after, Some(Sep::And | Sep::Semi | Sep::Newline)));
    let ends = last.separator_after.is_none_or(|s| s == Sep::Semi || s == Sep::Newline);
    // Compound commands hide where the last command really is: leave those to a person.
    let compound = script.text.contains(['(', ')', '{', '}'])
        || script.text.split_whitespace().any(|w| {
            matches!(
                w.trim_end_matches(';'),
                "if" | "then" | "fi" | "for" | "while" | "until" | "do" | "done" | "case" | "esac"
            )
        });
    if !sequential || !ends || compound || !last.assignments().is_empty() || last.program().is_none() {
        return None;
    }
    let at = script.span.start as usize + 1 + last.start;
    Some(Fix::safe(
        "start the last command with `exec`",
        vec![Edit {
            span: Span::empty(at),
            replacement: "exec ".to_string(),
        }],
    ))
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
        exec_form_fix(text, text.commands()).map(|f| f.edits[0].replacement.clone())
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
