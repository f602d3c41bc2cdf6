use super::runtime;
use crate::model::dockerfile::{base_image, image_ref, last_in_chain, stage_chain};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::dockerfile::{Dockerfile, Stage};

/// Compiler toolchain images: what they add over a runtime base is only needed to build.
const TOOLCHAINS: &[&str] = &["rust", "golang", "gcc", "maven", "gradle", "sbt", "haskell", "swift", "sdk"];

/// The shipped image is a compiler toolchain: the build and the runtime are one stage.
pub struct ToolchainFinalStage;

impl Rule for ToolchainFinalStage {
    fn name(&self) -> &'static str {
        "dockerfile/toolchain-final-stage"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some((df, stage)) = runtime(file) else { return };
        if !is_service(df, stage) {
            return;
        }
        let image = base_image(df, stage);
        let Some(toolchain) = toolchain(&image) else { return };
        out.report(
            stage.image.span,
            format!("the final stage runs on the `{toolchain}` toolchain image: compilers, sources and caches ship to production"),
        )
        .help("build in a first stage (`FROM … AS builder`) and copy only the binary into a slim, distroless or scratch final stage");
    }
}

/// Programs a tool image (code generation, certificates, CI tooling) runs; a service runs
/// something else.
const TOOL_COMMANDS: &[&str] = &["sh", "bash", "cp", "make", "go", "cargo", "mvn", "gradle", "protoc", "buf"];

/// Whether the stage looks like a service rather than a tool image: it EXPOSEs a port, or its
/// command is not one of the toolchain's own tools.
fn is_service(df: &Dockerfile, stage: &Stage) -> bool {
    if stage_chain(df, stage)
        .iter()
        .flat_map(|s| s.instructions(df))
        .any(|i| i.is("EXPOSE"))
    {
        return true;
    }
    let start = last_in_chain(df, stage, "ENTRYPOINT").or_else(|| last_in_chain(df, stage, "CMD"));
    let program = start.and_then(|i| match i.exec() {
        Some(words) => words.first().map(|w| w.text.clone()),
        None => i.commands().first().and_then(|c| c.program_name().map(str::to_string)),
    });
    program.is_some_and(|p| !TOOL_COMMANDS.contains(&p.rsplit('/').next().unwrap_or(&p)))
}

/// The toolchain an image is, if it is one (`mcr.microsoft.com/dotnet/sdk` counts as `sdk`).
fn toolchain(image: &str) -> Option<&str> {
    let r = image_ref(image);
    let name = r.name();
    if name == "sdk" && !r.repository.contains("dotnet") {
        return None;
    }
    TOOLCHAINS.iter().find(|t| **t == name).copied()
}

#[cfg(test)]
mod tests {
    #[test]
    fn toolchains() {
        assert_eq!(super::toolchain("rust:1.82"), Some("rust"));
        assert_eq!(super::toolchain("mcr.microsoft.com/dotnet/sdk:8.0"), Some("sdk"));
        assert_eq!(super::toolchain("debian:12-slim"), None);
        assert_eq!(super::toolchain("node:22"), None);
    }
}
