//! Views over a parsed Dockerfile that several rules share: which stage is the runtime image,
//! what a stage's base image is once ARG defaults are filled in, which USER and ENV are in
//! effect, and every shell command a stage runs (RUN lines and heredoc scripts alike).

use super::compose::ImageRef;
use crate::source::Span;
use crate::syntax::dockerfile::{Dockerfile, Heredoc, Instruction, ShellText, Stage};
use crate::syntax::shell::{self, Command};
use std::ops::Range;

/// Stage names that say "this builds, something later runs": a file whose last stage is one of
/// them is a fragment (or a `--target` build helper), not the image that ships.
const BUILDER_NAMES: &[&str] = &[
    "build",
    "builder",
    "builds",
    "compile",
    "compiler",
    "deps",
    "dependencies",
    "planner",
    "chef",
    "cacher",
    "prepare",
];

/// Whether a stage name marks a build-only stage (`builder`, `go-builder`, `build-env`, …).
pub fn is_builder_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.split(['-', '_', '.']).any(|part| BUILDER_NAMES.contains(&part))
}

/// The stage that produces the shipped image: the last one, unless it is named as a builder
/// (a fragment showing only the build half of a multi-stage file) or is a `scratch` stage
/// without a command (an export of build artifacts, `--output` style: nothing runs it).
pub fn runtime_stage(df: &Dockerfile) -> Option<&Stage> {
    let last = df.final_stage()?;
    if last.name.as_deref().is_some_and(is_builder_name) {
        return None;
    }
    let root = stage_chain(df, last).last().copied().unwrap_or(last);
    let runs_something = last_in_chain(df, last, "ENTRYPOINT").is_some() || last_in_chain(df, last, "CMD").is_some();
    if root.is_scratch() && !runs_something {
        return None;
    }
    Some(last)
}

/// Programs that make an image a base or tool image when they are its whole default command:
/// an interpreter or a shell waiting for input, not a service.
const INTERACTIVE: &[&str] = &[
    "python",
    "python3",
    "node",
    "bash",
    "sh",
    "ash",
    "go",
    "irb",
    "ruby",
    "php",
    "perl",
    "jshell",
    "pwsh",
    "powershell",
    "cmd",
];

/// Whether the stage's default command is a bare interpreter or shell (`CMD ["python3"]`):
/// a base image for others to build on, as the official language images are.
pub fn is_base_image(df: &Dockerfile, stage: &Stage) -> bool {
    let entrypoint = last_in_chain(df, stage, "ENTRYPOINT");
    let runs_entrypoint_script = entrypoint
        .and_then(|e| e.exec().and_then(|w| w.first()).map(|w| w.text.contains("entrypoint")))
        .unwrap_or(true);
    let cmd = last_in_chain(df, stage, "CMD").and_then(|c| c.exec());
    match cmd {
        Some([only]) => runs_entrypoint_script && INTERACTIVE.contains(&only.text.rsplit('/').next().unwrap_or(&only.text)),
        _ => false,
    }
}

/// The earlier stage a `FROM <name>` builds on, if it names one.
pub fn parent_stage<'a>(df: &'a Dockerfile, stage: &Stage) -> Option<&'a Stage> {
    let image = df.substitute_args(&stage.image.text, None).to_ascii_lowercase();
    df.stages
        .iter()
        .take(stage.index)
        .rev()
        .find(|s| s.name.as_deref() == Some(image.as_str()))
}

/// The stage and its ancestors through `FROM <earlier stage>`, the stage itself first.
pub fn stage_chain<'a>(df: &'a Dockerfile, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut chain = vec![stage];
    let mut cur = stage;
    while let Some(parent) = parent_stage(df, cur) {
        // Stage indices only decrease along the chain, so it ends.
        if parent.index >= cur.index {
            break;
        }
        chain.push(parent);
        cur = parent;
    }
    chain
}

/// The external image a stage is built from: its FROM after ARG substitution, following
/// `FROM <earlier stage>` to the first stage of the chain.
pub fn base_image(df: &Dockerfile, stage: &Stage) -> String {
    let root = stage_chain(df, stage).last().copied().unwrap_or(stage);
    df.substitute_args(&root.image.text, None)
}

/// A parsed image reference with the helpers rules need.
pub fn image_ref(image: &str) -> ImageRef {
    ImageRef::parse(image)
}

/// The image's repository with its registry spelled out, as Docker resolves it:
/// `docker.io/library/debian` for `debian`, `docker.io/grafana/grafana` for `grafana/grafana`.
pub fn full_repository(r: &ImageRef) -> String {
    let first = r.repository.split('/').next().unwrap_or("");
    let has_registry = r.repository.contains('/') && (first.contains(['.', ':']) || first == "localhost");
    if has_registry {
        r.repository.clone()
    } else if r.repository.contains('/') {
        format!("docker.io/{}", r.repository)
    } else {
        format!("docker.io/library/{}", r.repository)
    }
}

/// Whether an image text still holds an ARG reference nobody gave a value to.
pub fn has_unresolved_reference(image: &str) -> bool {
    image.contains('$')
}

/// The last `USER` of the stage or, failing that, of the stages it builds on: the user the
/// image runs as (`None`: never set here, so the base image's, usually root).
pub fn effective_user<'a>(df: &'a Dockerfile, stage: &'a Stage) -> Option<&'a Instruction> {
    stage_chain(df, stage)
        .into_iter()
        .find_map(|s| s.instructions(df).iter().rev().find(|i| i.is("USER")))
}

/// The user part of a `USER user[:group]` value.
pub fn user_name(inst: &Instruction) -> Option<&str> {
    let word = inst.words().first()?;
    Some(word.text.split(':').next().unwrap_or(&word.text))
}

/// The USER the stage runs as, with ARG defaults filled in, and the instruction setting it.
pub fn user_of<'a>(df: &'a Dockerfile, stage: &'a Stage) -> Option<(&'a Instruction, String)> {
    let inst = effective_user(df, stage)?;
    let name = user_name(inst)?;
    Some((inst, df.substitute_args(name, Some(stage))))
}

/// Whether the stage builds on a Windows image, whose users (`ContainerUser`) have no UIDs.
pub fn is_windows(df: &Dockerfile, stage: &Stage) -> bool {
    let base = base_image(df, stage).to_ascii_lowercase();
    ["windows", "nanoserver", "servercore"].iter().any(|w| base.contains(w))
}

/// Whether a USER value means root: `root`, UID `0`.
pub fn is_root_user(user: &str) -> bool {
    let u = user.trim();
    u.eq_ignore_ascii_case("root") || (!u.is_empty() && u.chars().all(|c| c == '0'))
}

/// The last instruction named `keyword` in the stage or the stages it builds on.
pub fn last_in_chain<'a>(df: &'a Dockerfile, stage: &'a Stage, keyword: &str) -> Option<&'a Instruction> {
    stage_chain(df, stage)
        .into_iter()
        .find_map(|s| s.instructions(df).iter().rev().find(|i| i.is(keyword)))
}

/// The words of what the image starts: its ENTRYPOINT, else its CMD, as the exec form lists
/// them or the shell form splits at blanks. Empty when it sets neither.
pub fn start_command(df: &Dockerfile, stage: &Stage) -> Vec<String> {
    let Some(inst) = last_in_chain(df, stage, "ENTRYPOINT").or_else(|| last_in_chain(df, stage, "CMD")) else {
        return Vec::new();
    };
    match inst.exec() {
        Some(words) => words.iter().map(|w| w.text.clone()).collect(),
        None => inst.rest.text.split_whitespace().map(str::to_string).collect(),
    }
}

/// Where a shell command's text comes from, so word offsets map back to the file.
#[derive(Clone, Copy, Debug)]
pub enum Script<'a> {
    Line(&'a ShellText),
    Heredoc(&'a Heredoc),
}

impl Script<'_> {
    pub fn text(&self) -> &str {
        match self {
            Script::Line(t) => &t.text,
            Script::Heredoc(h) => &h.body,
        }
    }

    pub fn file_span(&self, start: usize, end: usize) -> Span {
        match self {
            Script::Line(t) => t.file_span(start, end),
            Script::Heredoc(h) => h.file_span(start, end),
        }
    }

    pub fn word_span(&self, w: &shell::Word) -> Span {
        self.file_span(w.start, w.end)
    }
}

/// One shell command run by a RUN instruction.
pub struct RunCommand<'a> {
    /// Index of the RUN in [`Dockerfile::instructions`].
    pub index: usize,
    pub inst: &'a Instruction,
    pub script: Script<'a>,
    pub command: &'a Command,
    /// Position of the command in its script.
    pub position: usize,
}

impl RunCommand<'_> {
    pub fn span(&self) -> Span {
        self.script.file_span(self.command.start, self.command.end)
    }

    pub fn word_span(&self, w: &shell::Word) -> Span {
        self.script.word_span(w)
    }
}

/// The RUN scripts of a stage whose text andon can read as POSIX shell: the shell-form line
/// and the heredoc bodies fed to a shell. Stages switched to another `SHELL` (PowerShell,
/// cmd) are skipped.
fn run_scripts(df: &Dockerfile, range: Range<usize>) -> Vec<(usize, &Instruction, Script<'_>)> {
    let mut out = Vec::new();
    for index in range {
        let Some(inst) = df.instructions.get(index) else { continue };
        if !inst.is("RUN") || !posix_shell(df, index) {
            continue;
        }
        if let Some(line) = inst.shell() {
            out.push((index, inst, Script::Line(line)));
        }
        for h in inst.shell_heredocs() {
            out.push((index, inst, Script::Heredoc(h)));
        }
    }
    out
}

/// Every simple command the RUN instructions of `stage` execute, in order.
pub fn run_commands<'a>(df: &'a Dockerfile, stage: &Stage) -> Vec<RunCommand<'a>> {
    run_commands_in(df, stage.instructions.clone())
}

/// Every simple command of the whole file, RUNs before any FROM included (seed fragments and
/// snippets often have no FROM).
pub fn all_run_commands(df: &Dockerfile) -> Vec<RunCommand<'_>> {
    run_commands_in(df, 0..df.instructions.len())
}

fn run_commands_in(df: &Dockerfile, range: Range<usize>) -> Vec<RunCommand<'_>> {
    run_scripts(df, range)
        .into_iter()
        .flat_map(|(index, inst, script)| {
            let commands = match script {
                Script::Line(t) => t.commands(),
                Script::Heredoc(h) => h.commands(),
            };
            commands.iter().enumerate().map(move |(position, command)| RunCommand {
                index,
                inst,
                script,
                command,
                position,
            })
        })
        .collect()
}

/// Whether RUN at `index` runs under a POSIX shell (the default, or a SHELL naming one).
fn posix_shell(df: &Dockerfile, index: usize) -> bool {
    match df.shell_at(index).and_then(|w| w.first()) {
        None => true,
        Some(w) => {
            let name = w.text.rsplit(['/', '\\']).next().unwrap_or(&w.text);
            matches!(name, "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox")
        }
    }
}

/// Whether the RUN mounts a cache at one of `targets` (or below): `--mount=type=cache`
/// makes removing that cache in the same layer unnecessary.
pub fn has_cache_mount(inst: &Instruction, targets: &[&str]) -> bool {
    inst.flags_named("mount").filter_map(|f| f.value.as_deref()).any(|v| {
        let mut is_cache = false;
        let mut target = "";
        for part in v.split(',') {
            match part.split_once('=') {
                Some(("type", "cache")) => is_cache = true,
                Some(("target" | "dst" | "destination", t)) => target = t,
                _ => {}
            }
        }
        let target = target.trim_end_matches('/');
        is_cache
            && targets
                .iter()
                .any(|t| t.trim_end_matches('/').starts_with(target) && !target.is_empty())
    })
}

/// The ENV variables the stage and its ancestors set, a later value of a key replacing an
/// earlier one.
pub fn env_pairs<'a>(df: &'a Dockerfile, stage: &'a Stage) -> Vec<&'a crate::syntax::dockerfile::KeyValue> {
    let mut chain = stage_chain(df, stage);
    chain.reverse();
    let mut out: Vec<&crate::syntax::dockerfile::KeyValue> = Vec::new();
    for s in chain {
        for inst in s.instructions(df).iter().filter(|i| i.is("ENV")) {
            for pair in &inst.pairs {
                out.retain(|p| p.key != pair.key);
                out.push(pair);
            }
        }
    }
    out
}

/// The ENV variables of the image that ships: those of the runtime stage and the stages it
/// builds on; for a fragment without any FROM, every ENV. Empty for a builder-only file.
pub fn shipped_env(df: &Dockerfile) -> Vec<&crate::syntax::dockerfile::KeyValue> {
    if df.stages.is_empty() {
        return df.instructions.iter().filter(|i| i.is("ENV")).flat_map(|i| &i.pairs).collect();
    }
    runtime_stage(df).map(|s| env_pairs(df, s)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::dockerfile::parse;

    #[test]
    fn runtime_stage_skips_builder_fragments() {
        let df = parse("FROM rust:1 AS builder\nRUN cargo build\n");
        assert!(runtime_stage(&df).is_none());
        let df = parse("FROM rust:1 AS builder\nFROM debian:12-slim\n");
        assert_eq!(runtime_stage(&df).map(|s| s.index), Some(1));
        assert!(is_builder_name("go-builder"));
        assert!(!is_builder_name("runtime"));
    }

    #[test]
    fn chains_follow_stage_names() {
        let df = parse("ARG V=3.20\nFROM alpine:${V} AS base\nUSER app\nFROM base AS final\nENV A=1\n");
        let last = df.final_stage().expect("stage");
        assert_eq!(stage_chain(&df, last).len(), 2);
        assert_eq!(base_image(&df, last), "alpine:3.20");
        assert_eq!(effective_user(&df, last).and_then(user_name), Some("app"));
        assert!(is_root_user("0") && is_root_user("root") && !is_root_user("1000"));
    }

    #[test]
    fn commands_of_lines_and_heredocs() {
        let df = parse("FROM a\nRUN apt-get update && apt-get install -y x\nRUN <<EOF\napk add y\nEOF\n");
        let stage = &df.stages[0];
        let names: Vec<_> = run_commands(&df, stage)
            .iter()
            .filter_map(|c| c.command.program_name().map(str::to_string))
            .collect();
        assert_eq!(names, ["apt-get", "apt-get", "apk"]);
    }

    #[test]
    fn cache_mounts() {
        let df = parse("FROM a\nRUN --mount=type=cache,target=/var/cache/apt apt-get install x\n");
        let run = &df.instructions[1];
        assert!(has_cache_mount(run, &["/var/cache/apt/archives"]));
        assert!(!has_cache_mount(run, &["/root/.cache/pip"]));
    }
}

/// A package manager (or build tool) a RUN command invokes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    AptGet,
    /// `apt`, the interactive front end.
    Apt,
    Apk,
    Pip,
    Npm,
    Yarn,
    Cargo,
    /// RubyGems' `gem`.
    Gem,
}

impl Tool {
    fn of(name: &str) -> Option<Tool> {
        Some(match name {
            "apt-get" => Tool::AptGet,
            "apt" => Tool::Apt,
            "apk" => Tool::Apk,
            "pip" | "pip3" => Tool::Pip,
            "npm" => Tool::Npm,
            "yarn" => Tool::Yarn,
            "cargo" => Tool::Cargo,
            "gem" => Tool::Gem,
            _ => {
                // `pip3.12`
                if name.starts_with("pip3.") {
                    Tool::Pip
                } else {
                    return None;
                }
            }
        })
    }

    /// Options of this tool that take their value as the next word.
    fn value_options(self) -> &'static [&'static str] {
        match self {
            Tool::AptGet | Tool::Apt => &["-o", "--option", "-t", "--target-release", "-c", "--config-file"],
            Tool::Apk => &[
                "-X",
                "--repository",
                "-t",
                "--virtual",
                "-p",
                "--root",
                "--repositories-file",
                "--arch",
            ],
            Tool::Pip => &[
                "-r",
                "--requirement",
                "-c",
                "--constraint",
                "-e",
                "--editable",
                "-i",
                "--index-url",
                "--extra-index-url",
                "-f",
                "--find-links",
                "-t",
                "--target",
                "--prefix",
                "--root",
                "--trusted-host",
                "--platform",
                "--python-version",
                "--implementation",
                "--abi",
                "--only-binary",
                "--no-binary",
                "--upgrade-strategy",
                "--src",
                "--progress-bar",
                "--cache-dir",
                "--log",
                "--proxy",
                "--retries",
                "--timeout",
            ],
            Tool::Npm | Tool::Yarn => &["--prefix", "-w", "--workspace", "--registry", "--cache"],
            Tool::Gem => &[
                "-v",
                "--version",
                "-i",
                "--install-dir",
                "-n",
                "--bindir",
                "-s",
                "--source",
                "--platform",
                "-g",
                "--file",
            ],
            Tool::Cargo => &[
                "-p",
                "--package",
                "--bin",
                "--example",
                "--features",
                "-F",
                "--target",
                "--target-dir",
                "--manifest-path",
                "--profile",
                "-j",
                "--jobs",
                "--root",
                "--version",
                "--git",
                "--branch",
                "--tag",
                "--rev",
                "--path",
                "--config",
                "-Z",
                "--color",
            ],
        }
    }
}

/// A package manager or build tool invocation found in a RUN command.
pub struct ToolCall<'a, 'c> {
    pub run: &'c RunCommand<'a>,
    pub tool: Tool,
    /// The words after the tool's name (or after `-m pip`).
    pub args: &'c [shell::Word],
    /// Operands: the subcommand first, then its arguments (values of known options skipped).
    pub operands: Vec<&'c shell::Word>,
}

impl ToolCall<'_, '_> {
    pub fn subcommand(&self) -> Option<&str> {
        self.operands.first().map(|w| w.text.as_str())
    }

    /// The operands after the subcommand: packages, for install commands.
    pub fn packages(&self) -> &[&shell::Word] {
        self.operands.get(1..).unwrap_or(&[])
    }

    pub fn has_flag(&self, long: &str, short: Option<char>) -> bool {
        shell::has_flag(self.args, long, short)
    }

    /// `apt-get -s install …`: a simulation that changes nothing.
    pub fn is_simulation(&self) -> bool {
        matches!(self.tool, Tool::AptGet | Tool::Apt)
            && (self.has_flag("simulate", Some('s'))
                || self.has_flag("dry-run", None)
                || self.has_flag("just-print", None)
                || self.has_flag("no-act", None)
                || self.has_flag("recon", None))
    }
}

/// The tool the command runs, through wrappers such as `sudo` and as `python -m pip`.
pub fn tool_call<'a, 'c>(run: &'c RunCommand<'a>) -> Option<ToolCall<'a, 'c>> {
    let cmd = &run.command;
    let names = [
        "apt-get", "apt", "apk", "pip", "pip3", "npm", "yarn", "cargo", "gem", "python", "python3",
    ];
    let i = cmd.find_program(&names)?;
    let name = cmd.words.get(i)?.basename();
    let mut args = cmd.words.get(i + 1..).unwrap_or(&[]);
    let tool = if name.starts_with("python") {
        match args {
            [m, pip, rest @ ..] if m.text == "-m" && pip.text == "pip" => {
                args = rest;
                Tool::Pip
            }
            _ => return None,
        }
    } else {
        Tool::of(name)?
    };
    let operands = operands_of(args, tool.value_options());
    let call = ToolCall { run, tool, args, operands };
    (!call.is_simulation()).then_some(call)
}

/// The non-option words of `args`, skipping the values of `value_options` given as the next
/// word.
fn operands_of<'c>(args: &'c [shell::Word], value_options: &[&str]) -> Vec<&'c shell::Word> {
    let mut out = Vec::new();
    let mut skip_next = false;
    let mut rest_are_operands = false;
    for w in args {
        if skip_next {
            skip_next = false;
            continue;
        }
        let t = w.text.as_str();
        if rest_are_operands || !t.starts_with('-') || t == "-" {
            out.push(w);
        } else if t == "--" {
            rest_are_operands = true;
        } else if value_options.contains(&t) {
            skip_next = true;
        }
    }
    out
}

/// Every RUN command of the stage that calls a package manager or build tool.
pub fn tool_calls<'a, 'c>(commands: &'c [RunCommand<'a>]) -> Vec<ToolCall<'a, 'c>> {
    commands.iter().filter_map(tool_call).collect()
}

/// Whether `run`'s RUN instruction (the same layer) also runs a command matching `pred`.
pub fn same_run<'a>(commands: &[RunCommand<'a>], run: &RunCommand<'a>, pred: impl Fn(&RunCommand<'a>) -> bool) -> bool {
    commands.iter().filter(|c| c.index == run.index).any(pred)
}

/// The stages whose layers end up in the shipped image: the runtime stage and the stages it
/// builds on (`FROM base`). Empty when the file has no runtime stage.
pub fn shipped_stages(df: &Dockerfile) -> Vec<&Stage> {
    runtime_stage(df).map(|s| stage_chain(df, s)).unwrap_or_default()
}

#[cfg(test)]
mod tool_tests {
    use super::*;
    use crate::syntax::dockerfile::parse;

    #[test]
    fn finds_tools_and_packages() {
        let df =
            parse("FROM a\nRUN sudo apt-get -o Acquire::Retries=3 install -y curl=7 git && python3 -m pip install -r req.txt flask==3.0\n");
        let cmds = run_commands(&df, &df.stages[0]);
        let calls = tool_calls(&cmds);
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].tool, Tool::AptGet);
        assert_eq!(calls[0].subcommand(), Some("install"));
        let pkgs: Vec<_> = calls[0].packages().iter().map(|w| w.text.as_str()).collect();
        assert_eq!(pkgs, ["curl=7", "git"]);
        assert_eq!(calls[1].tool, Tool::Pip);
        let pkgs: Vec<_> = calls[1].packages().iter().map(|w| w.text.as_str()).collect();
        assert_eq!(pkgs, ["flask==3.0"]);
    }
}
