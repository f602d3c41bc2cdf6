//! Fixes, suppressions, configuration and baselines, through the binary as users run it.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn andon(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_andon"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("andon runs")
}

fn report(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
    args.extend_from_slice(extra);
    let out = andon(dir, &args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn names(r: &serde_json::Value) -> Vec<String> {
    r["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["name"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The diagnostics of one rule, by id.
fn of_rule<'a>(r: &'a serde_json::Value, id: &str) -> Vec<&'a serde_json::Value> {
    r["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["rule"] == id)
        .collect()
}

fn lines_of(r: &serde_json::Value, rule: &str) -> Vec<u64> {
    r["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["name"] == rule)
        .map(|d| d["start"]["line"].as_u64().unwrap_or(0))
        .collect()
}

const BROKEN: &str = "FROM alpine:3.20\nRUNN apk add curl\nUSER 10001\n";

#[test]
fn inline_suppressions_silence_and_unused_ones_are_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\n# andon-ignore: AND001 -- legacy syntax kept on purpose\nRUNN apk add curl\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("b.Dockerfile"),
        "# andon-ignore: AND001\nFROM alpine:3.20\nUSER 10001\n",
    )
    .expect("write");
    let r = report(dir.path(), &["--select", "AND001,AND006"]);
    let all = names(&r);
    assert_eq!(all, vec!["andon/unused-ignore"], "only b.Dockerfile's ignore is unused");
    assert_eq!(lines_of(&r, "andon/unused-ignore"), vec![1]);
    let with_reasons = report(dir.path(), &["--select", "AND001,AND006", "--require-reasons"]);
    assert!(names(&with_reasons).contains(&"andon/ignore-without-reason".to_string()));
    let foreign_off = report(dir.path(), &["--select", "AND001", "--no-foreign-ignores"]);
    assert!(names(&foreign_off).is_empty(), "andon's own ignores still apply");
}

#[test]
fn file_level_and_annotation_suppressions() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(
        dir.path().join("Dockerfile"),
        format!("{BROKEN}# andon-ignore-file: andon/parse-error -- generated\n"),
    )
    .expect("write");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    andon.dev/ignore: \"AND005\"\nspec:\n  x: 1\n  x: 2\n";
    fs::write(dir.path().join("pod.yaml"), pod).expect("write");
    let r = report(dir.path(), &["--select", "AND001,AND005,AND006"]);
    assert!(names(&r).is_empty(), "{:?}", names(&r));
}

#[test]
fn config_turns_rules_off_overrides_paths_and_fails_on() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir_all(dir.path().join("legacy")).expect("mkdir");
    fs::write(dir.path().join("Dockerfile"), BROKEN).expect("write");
    fs::write(dir.path().join("legacy/Dockerfile"), BROKEN).expect("write");
    fs::write(
        dir.path().join(".andon.yaml"),
        "fail-on: warning\nrules:\n  AND001: warning\noverrides:\n  - files: [\"legacy/**\"]\n    rules:\n      andon/parse-error: off\n",
    )
    .expect("write");
    let out = andon(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "fail-on from the config");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let parse = of_rule(&r, "AND001");
    assert_eq!(parse.len(), 1, "legacy/ is overridden off: {parse:?}");
    assert_eq!(parse[0]["severity"], "warning");
    assert_eq!(parse[0]["path"], "Dockerfile");
}

#[test]
fn config_globs_are_relative_to_the_config_wherever_andon_runs() {
    let dir = tempfile::tempdir().expect("tmp");
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join("legacy")).expect("mkdir");
    fs::create_dir_all(repo.join(".git")).expect("mkdir");
    fs::write(repo.join("Dockerfile"), BROKEN).expect("write");
    fs::write(repo.join("legacy/Dockerfile"), BROKEN).expect("write");
    fs::write(
        repo.join(".andon.yaml"),
        "exclude: [\"legacy/**\"]\noverrides:\n  - files: [Dockerfile]\n    rules:\n      AND001: info\n",
    )
    .expect("write");
    // From the repository, from its parent and from inside a subfolder: the same files.
    for (cwd, target) in [(repo.clone(), "."), (dir.path().to_path_buf(), "repo"), (repo.join("legacy"), "..")] {
        let r = report(&cwd, &[target]);
        let parse = of_rule(&r, "AND001");
        assert_eq!(parse.len(), 1, "legacy/ is excluded from {cwd:?}: {parse:?}");
        assert_eq!(parse[0]["severity"], "info", "the override applies from {cwd:?}");
    }
}

#[test]
fn config_errors_point_at_the_key_and_exit_2() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("Dockerfile"), BROKEN).expect("write");
    fs::write(dir.path().join(".andon.yaml"), "rules:\n  AND001: warning\nfail_on: error\n").expect("write");
    let out = andon(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".andon.yaml:3:1"), "{err}");
    fs::write(dir.path().join(".andon.yaml"), "rules:\n  AND001:\n    options:\n      nope: 1\n").expect("write");
    let err = String::from_utf8_lossy(&andon(dir.path(), &["check"]).stderr).into_owned();
    assert!(err.contains(".andon.yaml:4:7"), "{err}");
    fs::write(dir.path().join(".andon.yaml"), "rules:\n  NOPE123: off\n").expect("write");
    assert_eq!(andon(dir.path(), &["check"]).status.code(), Some(2));
}

const READ_ONLY_RULE: &str = r#"id: ACME002
name: k8s/acme-read-only-root
summary: containers mount their root filesystem read-only
severity: error
checklist: security.read-only-rootfs
fix: unsafe
select: k8s.containers
check:
  required: [securityContext]
  properties:
    securityContext:
      required: [readOnlyRootFilesystem]
      properties:
        readOnlyRootFilesystem: {const: true}
message: "{object} has a writable root filesystem: {error}"
set:
  path: securityContext.readOnlyRootFilesystem
  value: true
docs:
  why: A writable root lets an attacker persist.
  failing: "securityContext: {}"
  passing: "securityContext: {readOnlyRootFilesystem: true}"
  fix: "Set `securityContext.readOnlyRootFilesystem: true`."
"#;

const TWO_CONTAINERS: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          securityContext:\n            runAsNonRoot: true # kept\n        - name: sidecar\n          image: busybox:1.36\n";

#[test]
fn rule_files_add_declarative_rules_that_report_and_fix() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir_all(dir.path().join("policy")).expect("mkdir");
    fs::write(dir.path().join("policy/read-only.yaml"), READ_ONLY_RULE).expect("write");
    fs::write(dir.path().join(".andon.yaml"), "rule-files: [policy/read-only.yaml]\n").expect("write");
    fs::write(dir.path().join("deploy.yaml"), TWO_CONTAINERS).expect("write");
    let r = report(dir.path(), &["--select", "ACME002"]);
    // The first container lacks the key inside its securityContext, the second the whole map.
    assert_eq!(lines_of(&r, "k8s/acme-read-only-root"), vec![12, 13]);
    let first = &r["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    assert!(
        first["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("container `web` of Deployment `api` has a writable root")),
        "{first}"
    );
    let explained = andon(dir.path(), &["explain", "ACME002"]);
    assert!(String::from_utf8_lossy(&explained.stdout).contains("k8s/acme-read-only-root"));
    let sarif = andon(dir.path(), &["check", "--select", "ACME002", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("sarif");
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    let own = rules.iter().find(|r| r["id"] == "ACME002").expect("the team's rule is described");
    assert!(own.get("helpUri").is_none(), "no andon page to link for a team's rule: {own}");

    let fixed = andon(dir.path(), &["check", "--select", "ACME002", "--fix", "--unsafe-fixes"]);
    assert_eq!(fixed.status.code(), Some(0), "{}", String::from_utf8_lossy(&fixed.stderr));
    let text = fs::read_to_string(dir.path().join("deploy.yaml")).expect("read");
    assert!(
        text.contains("runAsNonRoot: true # kept\n            readOnlyRootFilesystem: true\n"),
        "{text}"
    );
    assert!(
        text.ends_with("image: busybox:1.36\n          securityContext:\n            readOnlyRootFilesystem: true\n"),
        "{text}"
    );
    andon(dir.path(), &["check", "--select", "ACME002", "--fix", "--unsafe-fixes"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("deploy.yaml")).expect("read"),
        text,
        "a second --fix changes nothing"
    );
}

#[test]
fn broken_rule_files_are_config_errors_at_their_entry() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("deploy.yaml"), TWO_CONTAINERS).expect("write");
    fs::write(dir.path().join(".andon.yaml"), "exclude: [x]\nrule-files:\n  - rule.yaml\n").expect("write");
    let cases = [
        (READ_ONLY_RULE.replace("k8s.containers", "k8s.pods"), "unknown selector `k8s.pods`"),
        (READ_ONLY_RULE.replace("ACME002", "DKR001"), "clashes with DKR001"),
        (READ_ONLY_RULE.replace("name: k8s/", "name: compose/"), "must start with `k8s/`"),
        (
            READ_ONLY_RULE.replace("security.read-only-rootfs", "security.nope"),
            "not an item of the checklist",
        ),
        (
            READ_ONLY_RULE.replace("{const: true}", "{const: true, type: 12}"),
            "not a valid JSON Schema",
        ),
        (READ_ONLY_RULE.replace("summary: containers", "summary: x: y"), "rule.yaml:3:11"),
    ];
    for (rule, expected) in cases {
        fs::write(dir.path().join("rule.yaml"), rule).expect("write");
        let out = andon(dir.path(), &["check"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(expected), "expected `{expected}` in: {err}");
    }
    fs::remove_file(dir.path().join("rule.yaml")).expect("rm");
    let err = String::from_utf8_lossy(&andon(dir.path(), &["check"]).stderr).into_owned();
    assert!(
        err.contains(".andon.yaml:3:5") && err.contains("cannot read rule file rule.yaml"),
        "{err}"
    );
}

#[test]
fn shipped_config_schema_is_the_generated_one() {
    let shipped = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/andon-config.schema.json"))
        .expect("schemas/andon-config.schema.json");
    let printed = andon(Path::new(env!("CARGO_MANIFEST_DIR")), &["schema", "config"]);
    // Not assert_eq: the schema is large, and the message says all that is needed.
    assert!(
        String::from_utf8_lossy(&printed.stdout) == shipped,
        "stale schema: run `andon schema config > schemas/andon-config.schema.json`"
    );
}

#[test]
fn baseline_matches_by_content_not_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let body = "FROM alpine:3.20\nRUNN one\nRUNN one\nUSER 10001\n";
    fs::write(dir.path().join("Dockerfile"), body).expect("write");
    let out = andon(dir.path(), &["check", "--select", "AND", "--write-baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(0));
    // Two identical findings are two entries: nothing new.
    assert!(names(&report(dir.path(), &["--select", "AND", "--baseline", "base.json"])).is_empty());
    // Lines inserted above: still known.
    fs::write(dir.path().join("Dockerfile"), format!("# comment\n\n{body}")).expect("write");
    assert!(names(&report(dir.path(), &["--select", "AND", "--baseline", "base.json"])).is_empty());
    // A neighbouring line edited: still known.
    fs::write(
        dir.path().join("Dockerfile"),
        "# comment\n\nFROM alpine:3.21\nRUNN one\nRUNN one\nUSER 10001\n",
    )
    .expect("write");
    assert!(names(&report(dir.path(), &["--select", "AND", "--baseline", "base.json"])).is_empty());
    // The flagged line edited: new, and the old entry no longer occurs.
    fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\nRUNN two\nRUNN one\nUSER 10001\n").expect("write");
    let out = andon(
        dir.path(),
        &["check", "--select", "AND", "--format", "json", "--baseline", "base.json"],
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(lines_of(&r, "andon/parse-error"), vec![2]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 baseline entry no longer occur"));
}

#[test]
fn fix_and_diff_remove_an_unused_ignore_idempotently_keeping_crlf() {
    let dir = tempfile::tempdir().expect("tmp");
    let original = "FROM alpine:3.20\r\n# andon-ignore: AND001 -- old\r\nRUN true\r\nUSER 10001\r\n";
    let path = dir.path().join("Dockerfile");
    fs::write(&path, original).expect("write");
    let diff = andon(dir.path(), &["check", "--select", "AND", "--diff"]);
    assert_eq!(diff.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&diff.stdout).contains("-# andon-ignore: AND001 -- old"));
    assert_eq!(fs::read_to_string(&path).expect("read"), original, "--diff writes nothing");
    let fixed = andon(dir.path(), &["check", "--select", "AND", "--fix"]);
    assert_eq!(fixed.status.code(), Some(0), "{}", String::from_utf8_lossy(&fixed.stderr));
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "FROM alpine:3.20\r\nRUN true\r\nUSER 10001\r\n"
    );
    let again = andon(dir.path(), &["check", "--select", "AND", "--diff"]);
    assert_eq!(again.status.code(), Some(0), "a second run has nothing to fix");
}

#[cfg(unix)]
#[test]
fn read_only_files_are_not_touched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("Dockerfile");
    let original = "FROM alpine:3.20\n# andon-ignore: AND001 -- old\nRUN true\n";
    fs::write(&path, original).expect("write");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
    let out = andon(dir.path(), &["check", "--select", "AND", "--fix"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Dockerfile"));
    assert_eq!(fs::read_to_string(&path).expect("read"), original);
}

#[test]
fn readme_config_example_is_valid() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README.md");
    let start = readme
        .find("# yaml-language-server: $schema=schemas/andon-config.schema.json")
        .expect("config example in README");
    let end = readme[start..].find("```").map(|e| start + e).expect("end of the example");
    andon::config::parse(&readme[start..end], Path::new(".andon.yaml")).unwrap_or_else(|e| panic!("README example: {e}"));
    let start = readme.find("id: ACME001").expect("rule file example in README");
    let end = readme[start..].find("```").map(|e| start + e).expect("end of the rule example");
    let meta = andon::rules::catalog::parse_entry("README.md", &readme[start..end]).unwrap_or_else(|e| panic!("README rule: {e}"));
    andon::rules::declarative::Declarative::new(Box::leak(Box::new(meta))).unwrap_or_else(|e| panic!("README rule: {e}"));
}

#[test]
fn peers_ignore_comments_are_honoured_unless_turned_off() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(
        dir.path().join("Dockerfile"),
        "# hadolint ignore=DL3007\nFROM nginx:latest\nUSER 10001\n",
    )
    .expect("write");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    ignore-check.kube-linter.io/latest-tag: \"pinned by the deploy tool\"\nspec:\n  containers:\n    - name: a\n      image: nginx:latest\n";
    fs::write(dir.path().join("pod.yaml"), pod).expect("write");
    let rules = ["--select", "DKR002,K8S013"];
    assert!(
        names(&report(dir.path(), &rules)).is_empty(),
        "hadolint and kube-linter ignores apply"
    );
    let mut strict = rules.to_vec();
    strict.push("--no-foreign-ignores");
    let found = names(&report(dir.path(), &strict));
    assert!(
        found.contains(&"dockerfile/unpinned-image".to_string()) && found.contains(&"k8s/unpinned-image".to_string()),
        "{found:?}"
    );
}

#[test]
fn fix_keeps_a_byte_order_mark_and_overlapping_fixes_settle() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("pod.yaml");
    let body = "\u{feff}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a # andon-ignore: AND005 -- old\n  # andon-ignore: AND001 -- old\ndata: {}\n";
    fs::write(&path, body).expect("write");
    let out = andon(dir.path(), &["check", "--select", "AND", "--fix"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let fixed = fs::read_to_string(&path).expect("read");
    assert_eq!(fixed, "\u{feff}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: {}\n");
    let again = andon(dir.path(), &["check", "--select", "AND", "--diff"]);
    assert_eq!(again.status.code(), Some(0));
}

#[test]
fn a_missing_schema_file_is_a_config_error_at_its_key() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join(".andon.yaml"), "schemas:\n  \"config/*.yaml\": schemas/none.json\n").expect("write");
    let out = andon(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".andon.yaml:2:20") && err.contains("none.json"), "{err}");
}
