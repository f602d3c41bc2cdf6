use crate::model::dockerfile::{full_repository, has_unresolved_reference, image_ref, parent_stage};
use crate::model::File;
use crate::rules::{Rule, Sink};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    allowed: Vec<String>,
}

/// A FROM image pulled from a registry (or namespace) outside the allowed list. Off while the
/// list is empty: only a team knows which registries it trusts.
pub struct UntrustedRegistry;

impl Rule for UntrustedRegistry {
    fn name(&self) -> &'static str {
        "dockerfile/untrusted-registry"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let options: Options = out.options();
        if options.allowed.is_empty() {
            return;
        }
        let Some(df) = file.dockerfile() else { return };
        for stage in &df.stages {
            if stage.is_scratch() || stage.image.text.is_empty() || parent_stage(df, stage).is_some() {
                continue;
            }
            let image = df.substitute_args(&stage.image.text, None);
            if has_unresolved_reference(&image) {
                continue;
            }
            let repository = full_repository(&image_ref(&image));
            if options.allowed.iter().any(|a| allows(a, &repository)) {
                continue;
            }
            out.report(
                stage.image.span,
                format!("base image `{image}` comes from `{repository}`, outside the allowed registries"),
            )
            .help(format!(
                "pull it through an allowed registry ({}), or add its registry to the `allowed` option",
                options.allowed.join(", ")
            ));
        }
    }
}

/// Whether the allowed entry (`docker.io`, `ghcr.io/acme`, `docker.io/library`) covers the
/// repository, on a path-segment boundary.
fn allows(allowed: &str, repository: &str) -> bool {
    let allowed = allowed.trim_end_matches('/').to_ascii_lowercase();
    repository == allowed || repository.strip_prefix(&allowed).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::allows;

    #[test]
    fn segment_prefixes() {
        assert!(allows("docker.io", "docker.io/library/debian"));
        assert!(allows("ghcr.io/acme/", "ghcr.io/acme/app"));
        assert!(!allows("ghcr.io/acme", "ghcr.io/acme-evil/app"));
        assert!(!allows("docker.io/library", "docker.io/grafana/grafana"));
    }
}
