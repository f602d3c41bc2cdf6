use crate::diagnostic::Severity;
use crate::model::dockerfile::{has_unresolved_reference, image_ref, parent_stage};
use crate::model::File;
use crate::rules::{Rule, Sink};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
struct Options {
    require_digest: bool,
}

/// A FROM image without a tag, or tagged `latest`, once ARG defaults are filled in.
pub struct UnpinnedImage;

impl Rule for UnpinnedImage {
    fn name(&self) -> &'static str {
        "dockerfile/unpinned-image"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        let options: Options = out.options();
        for stage in &df.stages {
            if stage.is_scratch() || stage.image.text.is_empty() || parent_stage(df, stage).is_some() {
                continue;
            }
            let image = df.substitute_args(&stage.image.text, None);
            if let Some(problem) = unpinned(&image) {
                let shown = if image == stage.image.text {
                    format!("`{image}`")
                } else {
                    format!("`{}` (`{image}` with its ARG defaults)", stage.image.text)
                };
                out.report(stage.image.span, format!("base image {shown} {problem}"))
                    .help("pin a release tag (`debian:12.7-slim`), or a digest, and update it deliberately");
            } else if options.require_digest && !has_unresolved_reference(&image) && image_ref(&image).digest.is_none() {
                out.report(
                    stage.image.span,
                    format!("base image `{image}` is pinned by tag only: a tag can be pushed again, a digest cannot"),
                )
                .severity(Severity::Info)
                .help("add the digest (`image:tag@sha256:…`) and let a bot such as Renovate update both");
            }
        }
    }
}

/// What is wrong with the pinning of `image`, if anything. An image still holding an ARG
/// without a default is pinned by whoever builds it (`--build-arg`), and is not judged.
fn unpinned(image: &str) -> Option<&'static str> {
    if has_unresolved_reference(image) || image.eq_ignore_ascii_case("scratch") {
        return None;
    }
    let r = image_ref(image);
    if r.digest.is_some() {
        return None;
    }
    match r.tag.as_deref() {
        None | Some("") => Some("has no tag, so it means `latest`: whatever was pushed last"),
        Some("latest") => Some("is tagged `latest`: whatever was pushed last"),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::unpinned;

    #[test]
    fn tags() {
        assert!(unpinned("debian").is_some());
        assert!(unpinned("debian:latest").is_some());
        assert!(unpinned("localhost:5000/app").is_some());
        assert!(unpinned("debian:12-slim").is_none());
        assert!(unpinned("debian@sha256:abc").is_none());
        assert!(unpinned("rust:${RUST_VERSION}").is_none());
    }
}
