use super::in_builder;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::dockerfile::Instruction;
use crate::syntax::shell::{Command, Sep};

/// A HEALTHCHECK whose result says nothing about the service: `--help`, `--version`, `true`,
/// `exit 0`, a swallowed failure, or a JSON-looking array that is really shell form.
pub struct HealthcheckCannotFail;

impl Rule for HealthcheckCannotFail {
    fn name(&self) -> &'static str {
        "dockerfile/healthcheck-cannot-fail"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for (index, inst) in df.instructions.iter().enumerate() {
            if !inst.is("HEALTHCHECK") || in_builder(df, index) {
                continue;
            }
            let problems = problems(inst);
            if problems.is_empty() {
                continue;
            }
            out.report(inst.span, format!("this HEALTHCHECK does not test the service: {}", problems.join("; also ")))
                .help("probe the service itself in exec form, e.g. `HEALTHCHECK CMD [\"/app\", \"healthcheck\"]` or an HTTP check of its health endpoint");
        }
    }
}

/// Why the check's result is meaningless, in the order a reader meets the problems.
fn problems(inst: &Instruction) -> Vec<&'static str> {
    let mut out = Vec::new();
    if let Some(words) = inst.exec() {
        let words: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        out.extend(always_succeeds(&words));
    } else if let Some(text) = inst.shell() {
        let t = text.text.trim_start();
        if t.starts_with('[') {
            out.push("the JSON-looking array is followed by more text, so Docker runs the whole line with `/bin/sh -c`, which tries to run `[…` as a command: the check fails whatever the state of the service");
            // The words inside the brackets are what the author meant to run.
            let meant: Vec<&str> = t
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .split(',')
                .map(|w| w.trim().trim_matches('"'))
                .collect();
            out.extend(always_succeeds(&meant));
        } else {
            out.extend(shell_always_succeeds(text.commands()));
        }
    }
    out
}

const ALWAYS: &str = "it always succeeds";
const INFO_FLAG: &str = "`--help` and `--version` succeed whether or not the server runs";

/// Why the command `words` succeeds whatever the service's state.
fn always_succeeds<S: AsRef<str>>(words: &[S]) -> Option<&'static str> {
    let program = words.first()?.as_ref();
    let program = program.rsplit('/').next().unwrap_or(program);
    let args: Vec<&str> = words[1..].iter().map(AsRef::as_ref).collect();
    if matches!(program, "true" | ":" | "echo") || (program == "exit" && args.first().is_none_or(|a| *a == "0")) {
        return Some(ALWAYS);
    }
    if args.iter().any(|a| matches!(*a, "--help" | "--version" | "-help" | "-version")) {
        return Some(INFO_FLAG);
    }
    None
}

/// Shell-form variant: a command that always succeeds, or a failure turned into success
/// (`|| true`, `|| exit 0`, `; exit 0`).
fn shell_always_succeeds(commands: &[Command]) -> Option<&'static str> {
    let words = |c: &Command| -> Vec<String> { c.words.iter().map(|w| w.text.clone()).collect() };
    if let [.., before, last] = commands {
        let forgiving = matches!(before.separator_after, Some(Sep::Or | Sep::Semi | Sep::Newline));
        if forgiving && always_succeeds(&words(last)) == Some(ALWAYS) {
            return Some("its failure is turned into success");
        }
    }
    commands.iter().find_map(|c| {
        let why = always_succeeds(&words(c));
        // `true` inside a longer script is ordinary control flow; `--help` anywhere is not.
        why.filter(|w| commands.len() == 1 || *w == INFO_FLAG)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::dockerfile::parse;

    fn check(line: &str) -> Vec<&'static str> {
        let df = parse(&format!("FROM a\n{line}\n"));
        df.instructions.get(1).map(problems).unwrap_or_default()
    }

    #[test]
    fn cases() {
        assert_eq!(check("HEALTHCHECK CMD [\"/app\", \"--help\"] || exit 1").len(), 2);
        assert_eq!(check("HEALTHCHECK CMD [\"/app\", \"health\"] || exit 1").len(), 1);
        assert_eq!(check("HEALTHCHECK CMD [\"/app\", \"--version\"]").len(), 1);
        assert_eq!(check("HEALTHCHECK CMD true").len(), 1);
        assert_eq!(check("HEALTHCHECK CMD curl -f http://localhost/ || exit 0").len(), 1);
        assert!(check("HEALTHCHECK CMD curl -f http://localhost/ || exit 1").is_empty());
        assert!(check("HEALTHCHECK CMD [\"/app\", \"health\"]").is_empty());
        assert!(check("HEALTHCHECK NONE").is_empty());
    }
}
