use super::runtime;
use crate::model::dockerfile::{base_image, image_ref};
use crate::model::File;
use crate::rules::{Rule, Sink};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    allowed: Vec<String>,
}

/// Full distribution and language images whose slim, alpine or distroless variants serve the
/// same runtime purpose. Toolchain images are `toolchain-final-stage`'s.
const FULL_IMAGES: &[&str] = &["debian", "python", "node", "ruby", "perl", "openjdk"];

/// Tag words that mark a small variant.
const SMALL_TAGS: &[&str] = &["slim", "alpine", "minimal", "micro", "distroless", "jre", "busybox"];

/// The final stage builds on a full distribution or language image.
pub struct NonMinimalBase;

impl Rule for NonMinimalBase {
    fn name(&self) -> &'static str {
        "dockerfile/non-minimal-base"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some((df, stage)) = runtime(file) else { return };
        let options: Options = out.options();
        let image = base_image(df, stage);
        if image.contains('$') || options.allowed.iter().any(|a| image.starts_with(a.as_str())) {
            return;
        }
        if !is_full(&image) {
            return;
        }
        out.report(stage.image.span, format!("the final stage builds on `{image}`, a full image: hundreds of packages the service never uses, each one a CVE to patch"))
            .help("use a `-slim` or `-alpine` variant, a distroless image, or scratch for a static binary (or allow this image with the `allowed` option)");
    }
}

fn is_full(image: &str) -> bool {
    let r = image_ref(image);
    if !FULL_IMAGES.contains(&r.name()) {
        return false;
    }
    let tag = r.tag.as_deref().unwrap_or("latest").to_ascii_lowercase();
    !SMALL_TAGS.iter().any(|s| tag.contains(s))
}

#[cfg(test)]
mod tests {
    #[test]
    fn full_images() {
        assert!(super::is_full("python:3.12"));
        assert!(super::is_full("debian:bookworm"));
        assert!(!super::is_full("debian:bookworm-slim"));
        assert!(!super::is_full("python:3.12-alpine3.20"));
        assert!(!super::is_full("gcr.io/distroless/cc-debian12"));
        assert!(!super::is_full("buildpack-deps:bookworm"));
    }
}
