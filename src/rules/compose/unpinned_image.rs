use super::compose;
use crate::model::compose::{interpolation, ImageRef, Service, Spanned};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `image: app:latest` or `image: app`: what runs changes with every pull, and there is no
/// version to roll back to.
pub struct UnpinnedImage;

impl Rule for UnpinnedImage {
    fn name(&self) -> &'static str {
        "compose/unpinned-image"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        for (s, image, problem) in compose.services.iter().filter_map(unpinned) {
            out.report(image.span, format!("service `{}` runs image `{}` {problem}", s.name, image.value))
                .help("pin a release tag (`postgres:16.4-alpine`) or a digest (`@sha256:…`)");
        }
    }
}

/// The image and what is wrong with it. Images built here (`build:`) are named, not pulled, and
/// a tag that comes from a variable (`app:${TAG}`) is pinned by whoever deploys.
fn unpinned(s: &Service) -> Option<(&Service, &Spanned<String>, &'static str)> {
    let image = s.image.as_ref()?;
    if s.build.is_some() {
        return None;
    }
    let r = ImageRef::parse(&interpolation(&image.value).with_defaults);
    let from_variable = |t: &str| t.contains(['$', '{', '}']);
    if r.digest.is_some() || r.tag.as_deref().is_some_and(from_variable) {
        return None;
    }
    match r.tag.as_deref() {
        None if from_variable(r.name()) => None,
        None => Some((s, image, "without a tag (it means `latest`)")),
        Some(t) if t.eq_ignore_ascii_case("latest") => Some((s, image, "tagged `latest`")),
        _ => None,
    }
}
