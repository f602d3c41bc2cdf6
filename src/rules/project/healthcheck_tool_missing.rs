use crate::model::project::{image_ref, Image, Runtime};
use crate::rules::{Project, Rule, Sink};

/// A Compose healthcheck or Kubernetes exec probe runs a program (`curl`, `wget`, a shell) that
/// the repository image it checks does not contain: the check fails with "executable file not
/// found" whatever the state of the service, so it never tests it.
pub struct HealthcheckToolMissing;

impl Rule for HealthcheckToolMissing {
    fn name(&self) -> &'static str {
        "project/healthcheck-tool-missing"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let g = project.graph();
        for image in &g.images {
            for runtime in g.runtimes(&image.path) {
                for cmd in runtime.health_commands() {
                    let needed = if cmd.through_shell {
                        ["sh", cmd.program.as_str()]
                    } else {
                        [cmd.program.as_str(); 2]
                    };
                    let Some(missing) = needed.into_iter().find(|tool| ships(image, tool) == Some(false)) else {
                        continue;
                    };
                    let check = match runtime {
                        Runtime::Compose(s) => format!("the healthcheck of service `{}`", s.name),
                        Runtime::Kube(c) => format!("a probe of {}", c.object),
                    };
                    let how = if missing == "sh" && cmd.through_shell {
                        "runs through `/bin/sh`".to_string()
                    } else {
                        format!("runs `{missing}`")
                    };
                    out.report_in(
                        &cmd.at.path,
                        cmd.at.span,
                        format!(
                            "{check} {how}, but its image (built from {}, base `{}`) has no `{missing}`: the check can never pass",
                            image.path,
                            image.base
                        ),
                    )
                    .help(if missing == "sh" {
                        "the image has no shell: run the check in exec form with a program the image has (the service's own binary, e.g. `[\"/app\", \"healthcheck\"]`)".to_string()
                    } else {
                        format!("install `{missing}` in the image, or check health with a program the image has (the service's own binary, e.g. `[\"CMD\", \"/app\", \"healthcheck\"]`)")
                    });
                }
            }
        }
    }
}

/// The programs whose presence andon knows for common base images.
const KNOWN_TOOLS: &[&str] = &["curl", "wget", "nc", "sh", "bash"];

/// Whether the image has `tool`: `Some(true)` when its own build steps mention it (installed
/// or copied in), else what its base image is known to ship; `None` when andon cannot tell.
fn ships(image: &Image, tool: &str) -> Option<bool> {
    if !KNOWN_TOOLS.contains(&tool) {
        return None;
    }
    let mentioned = image.build_steps.iter().any(|step| {
        step.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .any(|w| w == tool)
    });
    if mentioned {
        return Some(true);
    }
    base_ships(&image.base, tool)
}

/// What the official minimal images ship: scratch and distroless nothing (distroless `:debug`
/// a busybox shell), Chainguard images without `-dev` nothing, Debian and Ubuntu and the
/// `-slim` language images a shell but neither curl nor wget, Alpine and busybox a busybox
/// shell, wget and nc but no curl and no bash. Everything else is not judged.
fn base_ships(base: &str, tool: &str) -> Option<bool> {
    let r = image_ref(base);
    let tag = r.tag.as_deref().unwrap_or("latest");
    let repository = r.repository.strip_prefix("docker.io/").unwrap_or(&r.repository);
    let official = repository.strip_prefix("library/").unwrap_or(repository);
    let busybox = |tool: &str| Some(matches!(tool, "sh" | "wget" | "nc"));
    let glibc_minimal = |tool: &str| Some(matches!(tool, "sh" | "bash"));
    if official == "scratch" {
        return Some(false);
    }
    if r.repository.starts_with("gcr.io/distroless/") {
        return if tag.contains("debug") { busybox(tool) } else { Some(false) };
    }
    if let Some(name) = r.repository.strip_prefix("cgr.dev/chainguard/") {
        return (!tag.contains("dev") && name != tool).then_some(false);
    }
    match official {
        "alpine" | "busybox" => busybox(tool),
        "debian" | "ubuntu" => glibc_minimal(tool),
        "python" | "node" | "ruby" | "golang" | "php" | "perl" | "openjdk" if tag.contains("alpine") => busybox(tool),
        "python" | "node" | "ruby" | "golang" | "php" | "perl" | "openjdk" if tag.contains("slim") => glibc_minimal(tool),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_images() {
        assert_eq!(base_ships("debian:bookworm-slim", "curl"), Some(false));
        assert_eq!(base_ships("docker.io/library/debian:12", "sh"), Some(true));
        assert_eq!(base_ships("alpine:3.20", "wget"), Some(true));
        assert_eq!(base_ships("alpine:3.20", "curl"), Some(false));
        assert_eq!(base_ships("gcr.io/distroless/cc-debian12:nonroot", "sh"), Some(false));
        assert_eq!(base_ships("gcr.io/distroless/base:debug", "sh"), Some(true));
        assert_eq!(base_ships("cgr.dev/chainguard/curl:latest", "curl"), None);
        assert_eq!(base_ships("python:3.12-slim", "curl"), Some(false));
        assert_eq!(base_ships("python:3.12", "curl"), None);
        assert_eq!(base_ships("registry.example.com/debian:12", "curl"), None);
        assert_eq!(base_ships("nginx:1.27", "curl"), None);
    }
}
