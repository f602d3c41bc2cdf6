use super::{ci_files, mentions, under};
use crate::kind::FileKind;
use crate::rules::{Project, Rule, Sink};

/// A repository that builds images but whose CI never scans them.
pub struct NoImageScan;

/// What a CI step that scans an image says (lowercase).
const SCANNERS: &[&str] = &[
    "trivy",
    "grype",
    "anchore/scan-action",
    "snyk container",
    "snyk/actions/docker",
    "docker scout",
    "docker/scout-action",
    "clair",
    "container_scanning",
    "container-scanning",
    "azure/container-scan",
    "twistcli",
    "prisma-cloud-scan",
    "dockle",
    "neuvector",
    "wiz-cli",
    "wizcli",
    "xray",
];

impl Rule for NoImageScan {
    fn name(&self) -> &'static str {
        "project/no-image-scan"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        for root in &project.repo.roots {
            let first = project
                .files
                .iter()
                .filter(|f| f.kind == FileKind::Dockerfile && under(f.path(), root) && f.production())
                // A file named like a Dockerfile that has no FROM builds nothing.
                .filter(|f| f.dockerfile().is_some_and(|df| df.final_stage().is_some()))
                .min_by_key(|f| (f.path().matches('/').count(), f.path()));
            let Some(file) = first else { continue };
            if mentions(ci_files(project, root), SCANNERS) {
                continue;
            }
            let place = file
                .dockerfile()
                .and_then(|df| {
                    crate::model::dockerfile::runtime_stage(df)
                        .or(df.final_stage())
                        .and_then(|s| s.from_inst(df))
                })
                .map(|i| i.keyword_span)
                .unwrap_or(super::WHOLE_FILE);
            out.report_in(file.path(), place, "no CI job scans the image this Dockerfile builds")
                .help("scan the built image in CI (trivy image, grype, docker scout …) and fail on critical vulnerabilities, so that a vulnerable base image does not ship");
        }
    }
}
