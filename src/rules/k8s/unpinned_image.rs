use super::{for_each_container, Scope};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A container image without a tag, or tagged `latest`.
pub struct UnpinnedImage;

#[derive(Debug, PartialEq)]
enum Problem {
    Untagged,
    Latest,
}

impl Rule for UnpinnedImage {
    fn name(&self) -> &'static str {
        "k8s/unpinned-image"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Written, |_, _, c| {
            let (Some(image), Some(reference)) = (&c.image, c.image_ref()) else {
                return;
            };
            let Some(problem) = detect(reference) else {
                return;
            };
            // Kustomize's `images:` sets the tag of every resource naming that image, whatever
            // tag it was written with (`controller:latest`, a kubebuilder placeholder).
            let name = reference.trim();
            let name = name
                .strip_suffix(":latest")
                .or_else(|| name.strip_suffix(":LATEST"))
                .unwrap_or(name);
            if file.kustomize_images.contains(name) {
                return;
            }
            let what = match problem {
                Problem::Untagged => "has no tag (it means `latest`)",
                Problem::Latest => "is tagged `latest`",
            };
            out.report(image.span, format!("image of {} {what}", c.describe()))
                .help("pin a release tag (better: a digest, `image:1.4.2@sha256:…`) so that every pod runs the same build and a rollback has a target");
        });
    }
}

fn detect(reference: &str) -> Option<Problem> {
    let reference = reference.trim();
    if reference.is_empty() || reference.contains('@') || reference.contains('$') || reference.contains("{{") {
        return None;
    }
    let last_part = reference.rsplit('/').next().unwrap_or(reference);
    match last_part.split_once(':') {
        None => Some(Problem::Untagged),
        Some((_, tag)) if tag.eq_ignore_ascii_case("latest") => Some(Problem::Latest),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_registries_with_ports_and_digests() {
        assert_eq!(detect("registry:5000/app"), Some(Problem::Untagged));
        assert_eq!(detect("registry:5000/app:latest"), Some(Problem::Latest));
        assert_eq!(detect("registry:5000/app:1.2"), None);
        assert_eq!(detect("app@sha256:abc"), None);
        assert_eq!(detect("nginx"), Some(Problem::Untagged));
    }
}
