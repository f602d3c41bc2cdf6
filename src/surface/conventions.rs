//! Path conventions for files that do not ship: what a folder or a file name says about it.
//! They apply to the path below the folder the user named, so `andon check examples/demo`
//! judges the demo as production while `andon check .` does not.

/// How a path convention marks a file as not shipping: by a folder it sits in, by a name that
/// makes it a variant for development, tests or benchmarks, or by a name that makes it an
/// example or template. Evidence from the repository overrules only the last (an example file
/// an installer copies into place is the production config; a `local-dev-compose.yml` that a
/// Makefile brings up is still the local stack, and the examples folder's files stay examples).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marked {
    Folder,
    Variant,
    Name,
}

/// Why a path does not ship, by convention, and how strongly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Convention {
    pub marked: Marked,
    pub reason: String,
}

const TESTS: &str = "tests";

/// Folders whose whole name says what they hold: examples and docs, tutorials and getting-started
/// guides, development tooling, tests, benchmarks, CI definitions and vendored code.
const FOLDERS: &[(&[&str], &str)] = &[
    (
        &["examples", "example", "samples", "sample", "demo", "demos", ".examples"],
        "examples",
    ),
    (&["docs", "doc", "documentation"], "documentation"),
    (
        &[
            "tutorials",
            "tutorial",
            "getting-started",
            "getting_started",
            "gettingstarted",
            "quickstart",
            "quickstarts",
            "quick-start",
            "walkthrough",
        ],
        "a tutorial or getting-started guide",
    ),
    (
        &[
            "hack",
            "tools",
            "dev",
            "development",
            "devenv",
            ".devcontainer",
            ".cursor",
            "sandbox",
            "playground",
            "debug",
            "local",
        ],
        "development tooling",
    ),
    (
        &[
            "test",
            "tests",
            "testdata",
            "test-data",
            "testing",
            "fixtures",
            "e2e",
            "integration",
            "integration-test",
            "integration-tests",
            "integration_tests",
            "cypress",
            "mocks",
        ],
        TESTS,
    ),
    (
        &[
            "bench",
            "benchmark",
            "benchmarks",
            "loadtest",
            "loadtests",
            "load-test",
            "load-tests",
        ],
        "benchmarks and load tests",
    ),
    (
        &[".github", ".gitlab", ".circleci", ".buildkite", ".woodpecker", "ci", ".ci"],
        "CI tooling",
    ),
    (&["third_party", "third-party", "thirdparty"], "vendored third-party code"),
];

/// Words that mark a folder when they are one of the words of its name (`docker-compose-examples`,
/// `e2e-tests`, `tools-dev`, `.examples/insecure`): split at `-`, `_` and `.`, so `devices`,
/// `latest` or `contest` are not matched.
const FOLDER_WORDS: &[(&[&str], &str)] = &[
    (&["example", "examples", "sample", "samples", "demo", "demos"], "examples"),
    (
        &["tutorial", "tutorials", "quickstart", "walkthrough"],
        "a tutorial or getting-started guide",
    ),
    (&["dev", "debug", "sandbox", "playground", "insecure"], "development tooling"),
    (&["test", "tests", "testing", "e2e", "mock", "mocks"], TESTS),
    (&["benchmark", "benchmarks", "loadtest"], "benchmarks and load tests"),
];

/// Words of a file's name that make it a variant that does not ship (`compose.dev.yaml`,
/// `docker-compose.ci-test.yml`, `config.example.yml`, `Dockerfile-dev`, `values-e2e.yaml`,
/// `local-dev-compose.yml`, `.env.sample`).
const NAME_WORDS: &[(&[&str], &str, Marked)] = &[
    (&["example", "examples", "sample", "samples", "demo"], "an example", Marked::Name),
    (
        &["dev", "development", "devel", "local", "debug", "sandbox", "playground", "insecure"],
        "a development variant",
        Marked::Variant,
    ),
    (
        // End-to-end test runners name their images too (`Dockerfile.cypress`).
        &[
            "test",
            "tests",
            "testing",
            "e2e",
            "ci",
            "mock",
            "fake",
            "dummy",
            "cypress",
            "playwright",
            "selenium",
        ],
        "a test or CI variant",
        Marked::Variant,
    ),
    (&["bench", "benchmark", "loadtest"], "a benchmark", Marked::Variant),
    (&["dist", "tmpl"], "a template to copy", Marked::Name),
];

/// Name parts that mark a variant although they are not words on their own: Compose overrides
/// (`docker-compose.override.yml`, `compose.override.dev.yaml`), templates (`.env.template`,
/// `vtgate-controller-template.yaml`, filled in by a script) and Gitpod's image.
const NAME_PARTS: &[(&str, &str, Marked)] = &[
    ("override", "a Compose override for development", Marked::Variant),
    (".template", "a template to copy", Marked::Name),
    ("-template.", "a template to copy", Marked::Name),
    (".gitpod.", "a development environment image", Marked::Variant),
];

/// Why `rel` (a path below the folder the user named, `/`-separated) does not ship, if a
/// convention says so.
pub fn non_production(rel: &str) -> Option<Convention> {
    let lower = rel.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    for dir in &parts {
        if let Some(what) = folder_convention(dir) {
            return Some(Convention {
                marked: Marked::Folder,
                reason: format!("under {dir}/ ({what})"),
            });
        }
    }
    name_convention(name).map(|(what, marked)| Convention {
        marked,
        reason: format!("named as {what}"),
    })
}

/// Whether `path` lies in a tests folder (`tests/`, `testdata/`, `fixtures/`, `e2e/`): what is
/// there is test data, even a CI workflow or a bot config.
pub fn is_test_data(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let tests = FOLDERS.iter().find(|(_, what)| *what == TESTS).map_or(&[][..], |(names, _)| *names);
    lower.split('/').rev().skip(1).any(|d| tests.contains(&d))
}

fn folder_convention(dir: &str) -> Option<&'static str> {
    if let Some((_, what)) = FOLDERS.iter().find(|(names, _)| names.contains(&dir)) {
        return Some(what);
    }
    let words: Vec<&str> = words(dir).collect();
    // Images that only build or test the project (`loki-build-image/`, `build-images/`).
    if words.contains(&"build") && words.iter().any(|w| matches!(*w, "image" | "images")) {
        return Some("a build image");
    }
    FOLDER_WORDS
        .iter()
        .find(|(set, _)| words.iter().any(|w| set.contains(w)))
        .map(|(_, what)| *what)
}

fn name_convention(name: &str) -> Option<(&'static str, Marked)> {
    if let Some((_, what, marked)) = NAME_PARTS.iter().find(|(part, ..)| name.contains(part)) {
        return Some((what, *marked));
    }
    let words: Vec<&str> = words(name).collect();
    // `local` names a variant (`compose.local.yaml`, `local-dev-compose.yml`) except where it
    // names a kind of storage (`local-path-storage.yaml`, `local-volume-provisioner.yaml`).
    let storage = |i: usize| {
        words
            .get(i + 1)
            .is_some_and(|w| matches!(*w, "path" | "volume" | "volumes" | "storage" | "pv"))
    };
    NAME_WORDS
        .iter()
        .find(|(set, ..)| {
            words
                .iter()
                .enumerate()
                .any(|(i, w)| (set.contains(w) || set.contains(&"tests") && is_tests_compound(w)) && !(*w == "local" && storage(i)))
        })
        .map(|(_, what, marked)| (*what, *marked))
}

/// A compound of "tests" (`s3tests`, `unittests`, `itests`): the plural, as "latest" or
/// "contest" end in "test".
pub fn is_tests_compound(word: &str) -> bool {
    word.len() > "tests".len() && word.ends_with("tests")
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(['-', '_', '.']).filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn np(path: &str) -> bool {
        non_production(path).is_some()
    }

    #[test]
    fn folders_that_do_not_ship() {
        for path in [
            "examples/getting-started/docker-compose.yaml",
            "example/k8s/deploy.yaml",
            "docs/sources/setup/docker-compose.yaml",
            "production/tutorials/compose.yaml",
            "tools/dev/k3d/Dockerfile",
            "tools/kafka/plain/docker-compose.yml",
            "operator/hack/addons.yaml",
            "development/tsdb-blocks/docker-compose.yml",
            ".examples/dockerfiles/full/Dockerfile",
            "deploy/tests/pod.yaml",
            "web/e2e/compose.yaml",
            "loki-build-image/Dockerfile",
            ".github/docker/Dockerfile",
            "integration/e2e/compose.yaml",
            "cmd/docker-compose-examples/compose.yml",
            "e2e-tests/Dockerfile",
            ".examples/insecure/compose.yaml",
            "k8s/overlays/dev/patch.yaml",
            "benchmarks/compose.yaml",
        ] {
            let c = non_production(path).unwrap_or_else(|| panic!("{path} should not ship"));
            assert_eq!(c.marked, Marked::Folder, "{path}");
        }
    }

    #[test]
    fn names_that_do_not_ship() {
        for path in [
            "docker-compose.override.yml",
            "compose.dev.yaml",
            "compose.local.yaml",
            ".env.development",
            "src/cart/Dockerfile.debug",
            "Dockerfile-dev",
            "src/frontend/Dockerfile.cypress",
            "docker/Dockerfile.s3tests",
            "debug.Dockerfile",
            "sentry/config.example.yml",
            "config/settings-sample.toml",
            "app/parameters.yml.dist",
            "app/appsettings.Development.json",
            "src/main/resources/application-development.yml",
            "compose.test.yaml",
            "docker/compose/docker-compose.ci-test.yml",
            "docker-compose.dev-azure.yml",
            "docker/compose/local-dev-compose.yml",
            ".gitpod.Dockerfile",
            ".env.example",
            "values-e2e.yaml",
            "vtgate-controller-template.yaml",
        ] {
            let c = non_production(path).unwrap_or_else(|| panic!("{path} should not ship"));
            assert_ne!(c.marked, Marked::Folder, "{path}");
        }
        for (path, marked) in [
            ("docker/compose/local-dev-compose.yml", Marked::Variant),
            ("docker-compose.override.yml", Marked::Variant),
            ("values-e2e.yaml", Marked::Variant),
            (".env.example", Marked::Name),
            ("deploy/complete-demo.yaml", Marked::Name),
            ("vtgate-controller-template.yaml", Marked::Name),
        ] {
            assert_eq!(non_production(path).map(|c| c.marked), Some(marked), "{path}");
        }
    }

    #[test]
    fn paths_that_ship() {
        for path in [
            ".env.production",
            "Dockerfile.prod",
            "devices/Dockerfile",
            "k8s/deployment.yaml",
            "docker-compose.devops.yml",
            "compose.latest.yml",
            "appsettings.Production.json",
            "devcontainer-features/Dockerfile",
            "production/docker-compose.yaml",
            "cmd/loki/Dockerfile",
            "build/Dockerfile",
            "deploy/helm/values.yaml",
            "contest/Dockerfile",
            "local-path-provisioner/deploy.yaml",
            "deploy/local-path-storage.yaml",
        ] {
            assert!(!np(path), "{path} should ship: {:?}", non_production(path));
        }
    }

    #[test]
    fn the_folder_is_named_in_the_reason() {
        let c = non_production("examples/demo/Dockerfile").expect("an example");
        assert_eq!(c.reason, "under examples/ (examples)");
    }
}
