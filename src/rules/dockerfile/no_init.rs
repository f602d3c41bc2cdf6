use super::runtime;
use crate::model::dockerfile::{last_in_chain, run_commands, stage_chain, tool_calls, Tool};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Programs that forward signals to and reap the children of the process they start.
const INITS: &[&str] = &[
    "tini",
    "tini-static",
    "dumb-init",
    "catatonit",
    "docker-init",
    "init",
    "s6-svscan",
    "supervisord",
    "runsvdir",
    "my_init",
];

/// Packages whose programs a service starts as child processes that fork in turn (office
/// suites, headless browsers): their orphans are re-parented to PID 1.
const SPAWNERS: &[&str] = &[
    "libreoffice",
    "chromium",
    "google-chrome",
    "firefox",
    "wkhtmltopdf",
    "puppeteer",
    "playwright",
    "xvfb",
];

/// The application is PID 1 without an init although the image ships programs it runs as
/// child processes: orphaned grandchildren become zombies that nobody reaps.
pub struct NoInit;

impl Rule for NoInit {
    fn name(&self) -> &'static str {
        "dockerfile/no-init"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some((df, stage)) = runtime(file) else { return };
        let start = last_in_chain(df, stage, "ENTRYPOINT").or_else(|| last_in_chain(df, stage, "CMD"));
        let Some(start) = start else { return };
        let Some(program) = start.exec().and_then(|w| w.first()) else {
            return;
        };
        let name = program.text.rsplit('/').next().unwrap_or(&program.text);
        if INITS.contains(&name) {
            return;
        }
        let spawned: Vec<String> = stage_chain(df, stage)
            .iter()
            .flat_map(|s| {
                let commands = run_commands(df, s);
                tool_calls(&commands)
                    .iter()
                    .filter(|c| matches!(c.tool, Tool::AptGet | Tool::Apt | Tool::Apk | Tool::Npm))
                    .flat_map(|c| c.packages().iter().map(|w| w.text.clone()).collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            })
            .filter(|p| SPAWNERS.iter().any(|s| p.to_ascii_lowercase().starts_with(s)))
            .collect();
        let Some(first) = spawned.first() else { return };
        out.report(start.span, format!("`{}` runs as PID 1 without an init, but the image ships `{first}`, whose child processes it starts: their orphans become zombies nobody reaps", program.text))
            .help("start through an init: install `tini` and use `ENTRYPOINT [\"tini\", \"--\", …]`, or run the container with `init: true` / `docker run --init`");
    }
}
