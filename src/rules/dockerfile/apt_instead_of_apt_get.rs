use crate::diagnostic::{Edit, Fix};
use crate::model::dockerfile::{all_run_commands, tool_calls, Tool};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `apt` in a RUN: the interactive front end, whose output and behaviour may change between
/// releases ("apt does not have a stable CLI interface").
pub struct AptInsteadOfAptGet;

impl Rule for AptInsteadOfAptGet {
    fn name(&self) -> &'static str {
        "dockerfile/apt-instead-of-apt-get"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        let commands = all_run_commands(df);
        for call in tool_calls(&commands).iter().filter(|c| c.tool == Tool::Apt) {
            let Some(i) = call.run.command.find_program(&["apt"]) else {
                continue;
            };
            let Some(word) = call.run.command.words.get(i) else { continue };
            let span = call.run.word_span(word);
            out.report(
                call.run.span(),
                "`apt` is meant for people at a terminal: its command line is not stable for scripts",
            )
            .help("use `apt-get` (and `apt-cache`) in Dockerfiles")
            .fix(Fix::unsafe_(
                "use `apt-get`",
                vec![Edit {
                    span,
                    replacement: word.raw(call.run.script.text()).replacen("apt", "apt-get", 1),
                }],
            ));
        }
    }
}
