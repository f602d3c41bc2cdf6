use crate::model::dockerfile::all_run_commands;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::shell::Sep;

/// `RUN cd /app && make` where `WORKDIR /app` says the same thing and keeps saying it for the
/// instructions that follow.
pub struct CdInRun;

impl Rule for CdInRun {
    fn name(&self) -> &'static str {
        "dockerfile/cd-in-run"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for run in all_run_commands(df) {
            // Only a RUN that starts by changing directory for good: `cd` into a temporary or
            // unpacked source tree later in a script is ordinary shell.
            if run.position != 0 || !run.command.is("cd") || run.command.separator_after != Some(Sep::And) {
                continue;
            }
            let Some(dir) = run.command.args().first() else { continue };
            if !dir.text.starts_with('/') || dir.text.starts_with("/tmp") || dir.text.contains('$') {
                continue;
            }
            out.report(
                run.span(),
                format!(
                    "`cd {}` at the start of a RUN: a WORKDIR says this for every later instruction too",
                    dir.text
                ),
            )
            .help(format!("put `WORKDIR {}` before the RUN and drop the `cd`", dir.text));
        }
    }
}
