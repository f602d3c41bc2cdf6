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
                let passed = passed_by_ci(&stage.image.text, &out.project().repo.texts);
                let report = out
                    .report(
                        stage.image.span,
                        format!(
                            "base image {shown} {problem}{}",
                            if passed {
                                " (the default of local builds: CI passes the ARG)"
                            } else {
                                ""
                            }
                        ),
                    )
                    .help("pin a release tag (`debian:12.7-slim`), or a digest, and update it deliberately");
                // The default only serves local builds when the repository's CI passes every
                // ARG of the reference: a hint to pin it too, not a finding about what ships.
                if passed {
                    report.severity(Severity::Info);
                }
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

/// Whether the reference uses ARGs (`${BASE_IMAGE}`) and the repository's CI definitions pass
/// every one of them (`--build-arg BASE_IMAGE=…`, or a `build-args:` list with `BASE_IMAGE=…`).
fn passed_by_ci(reference: &str, texts: &[(String, String)]) -> bool {
    let names = arg_names(reference);
    !names.is_empty()
        && names.iter().all(|name| {
            let assignment = format!("{name}=");
            texts.iter().any(|(_, t)| {
                ["--build-arg ", "--build-arg=", "--build-arg \"", "--build-arg '"]
                    .iter()
                    .any(|flag| t.contains(&format!("{flag}{assignment}")))
                    || (t.contains("build-args") && t.match_indices(&assignment).any(|(i, _)| starts_word(t, i)))
            })
        })
}

fn starts_word(text: &str, at: usize) -> bool {
    !text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The variables a reference uses: `$NAME`, `${NAME}`, `${NAME:-default}`.
fn arg_names(reference: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = reference;
    while let Some(i) = rest.find('$') {
        rest = &rest[i + 1..];
        let body = rest.strip_prefix('{').unwrap_or(rest);
        let end = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(body.len());
        if end > 0 {
            out.push(&body[..end]);
        }
        rest = &body[end..];
    }
    out
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
    use super::{arg_names, passed_by_ci, unpinned};

    #[test]
    fn args_passed_by_ci() {
        assert_eq!(arg_names("${REGISTRY}/base:${TAG:-latest}"), ["REGISTRY", "TAG"]);
        assert_eq!(arg_names("$BASE"), ["BASE"]);
        let texts = |t: &str| vec![(".github/workflows/release.yml".to_string(), t.to_string())];
        assert!(passed_by_ci("${BASE_IMAGE}", &texts("build-args: BASE_IMAGE=alpine:3")));
        assert!(passed_by_ci(
            "${BASE_IMAGE}",
            &texts("docker build --build-arg BASE_IMAGE=\"$X\" .")
        ));
        assert!(!passed_by_ci("${BASE_IMAGE}", &texts("build-args: PYTHON_BASE_IMAGE=x")));
        assert!(!passed_by_ci("alpine:latest", &texts("--build-arg BASE_IMAGE=x")));
    }

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
