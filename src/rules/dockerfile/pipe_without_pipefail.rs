use crate::model::dockerfile::{all_run_commands, RunCommand};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::dockerfile::Dockerfile;
use crate::syntax::shell::{Command, Sep};

/// Producers whose failure cannot matter: they print a literal.
const LITERAL_PRODUCERS: &[&str] = &["echo", "printf", "yes", "true"];

/// Consumers that fail on empty or truncated input, so the pipeline fails anyway when the
/// producer does (`curl … | tar xz`).
const STRICT_CONSUMERS: &[&str] = &[
    "tar",
    "gunzip",
    "gzip",
    "zcat",
    "xz",
    "unxz",
    "zstd",
    "bunzip2",
    "bzip2",
    "unzip",
    "apt-key",
    "sha256sum",
    "sha512sum",
    "sha1sum",
    "md5sum",
];

/// A pipeline in RUN whose first command may fail unnoticed: without `pipefail` the RUN's
/// status is the last command's, so `curl … | sh` succeeds with an empty script when the
/// download fails.
pub struct PipeWithoutPipefail;

impl Rule for PipeWithoutPipefail {
    fn name(&self) -> &'static str {
        "dockerfile/pipe-without-pipefail"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        let commands = all_run_commands(df);
        let mut reported = Vec::new();
        for (i, run) in commands.iter().enumerate() {
            if run.command.separator_after != Some(Sep::Pipe) || reported.contains(&run.index) {
                continue;
            }
            let Some(next) = commands.get(i + 1) else { continue };
            let producer = run.command.program_name().unwrap_or("");
            let consumer = next.command.program_name().unwrap_or("");
            if LITERAL_PRODUCERS.contains(&producer) || fails_on_empty_input(next.command) || pipefail_on(df, &commands, run) {
                continue;
            }
            reported.push(run.index);
            out.report(
                run.span().cover(next.span()),
                format!("if `{producer}` fails, this pipeline still succeeds: without `pipefail` the RUN's status is `{consumer}`'s"),
            )
            .help("set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN, or start it with `set -o pipefail &&` where /bin/sh supports it (busybox ash, bash; not dash)");
        }
    }
}

/// Consumers whose status already reflects a failed producer: they fail on empty or
/// truncated input. `grep` without `-v` is one: no input, no match, exit 1; so is `cpio -i`
/// (`rpm2cpio … | cpio -idm`): "premature end of archive".
fn fails_on_empty_input(consumer: &Command) -> bool {
    let name = consumer.program_name().unwrap_or("");
    STRICT_CONSUMERS.contains(&name)
        || (matches!(name, "grep" | "egrep" | "fgrep") && !consumer.has_flag("invert-match", Some('v')))
        || (name == "cpio" && consumer.has_flag("extract", Some('i')))
}

/// Whether `pipefail` is on for `run`: set by the stage's SHELL, or by a `set -o pipefail`
/// earlier in the same script.
fn pipefail_on(df: &Dockerfile, commands: &[RunCommand], run: &RunCommand) -> bool {
    let shell_sets_it = df
        .shell_at(run.index)
        .is_some_and(|words| words.iter().any(|w| w.text == "pipefail"));
    shell_sets_it
        || commands.iter().any(|c| {
            c.index == run.index
                && std::ptr::eq(c.script.text(), run.script.text())
                && c.position < run.position
                && c.command.is("set")
                && c.command.args().iter().any(|w| w.text == "pipefail")
        })
}
