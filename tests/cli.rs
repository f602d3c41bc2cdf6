//! The binary as users run it: exit codes, formats, hostile inputs, secrets.

mod common;
use common::{repo, run_in};

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn json_of(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn rules_in(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["name"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn demo_has_findings_and_exits_1() {
    let out = run_in(&repo(), &["check", "examples/demo"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("examples/demo/"), "paths relative to the current folder: {text}");
    assert!(text.contains("checked "), "summary line: {text}");
}

#[test]
fn json_report_validates_against_its_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(repo().join("schemas/andon-report.schema.json")).expect("schema")).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for dir in ["examples/demo", "fixtures"] {
        let out = run_in(&repo(), &["check", dir, "--format", "json", "--fail-on", "never"]);
        assert_eq!(out.status.code(), Some(0));
        let report = json_of(&out);
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{dir}: {errors:?}");
        assert!(
            !report["diagnostics"].as_array().expect("array").is_empty(),
            "{dir} should have findings"
        );
    }
}

#[test]
fn output_is_deterministic_and_sorted() {
    let a = run_in(&repo(), &["check", "fixtures", "--format", "json"]);
    let b = run_in(&repo(), &["check", "fixtures", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
    let report = json_of(&a);
    let keys: Vec<(String, u64, u64, String)> = report["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("").to_string(),
                d["start"]["line"].as_u64().unwrap_or(0),
                d["start"]["column"].as_u64().unwrap_or(0),
                d["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn fail_on_decides_the_exit_code() {
    let never = run_in(&repo(), &["check", "examples/demo", "--fail-on", "never"]);
    assert_eq!(never.status.code(), Some(0));
    let info = run_in(&repo(), &["check", "examples/demo", "--fail-on", "info"]);
    assert_eq!(info.status.code(), Some(1));
}

#[test]
fn missing_path_and_bad_arguments_exit_2_with_one_line() {
    let out = run_in(&repo(), &["check", "does/not/exist"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("does/not/exist"));
    let bad = run_in(&repo(), &["check", "--format", "yaml"]);
    assert_eq!(bad.status.code(), Some(2));
    let unknown = run_in(&repo(), &["check", "--select", "NOPE999"]);
    assert_eq!(unknown.status.code(), Some(2));
    let no_sub = run_in(&repo(), &[]);
    assert_eq!(no_sub.status.code(), Some(2), "no implicit default subcommand");
}

#[test]
fn empty_repository_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("notes.txt"), "hello").expect("write");
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no deployment files"));
    let strict = run_in(dir.path(), &["check", "--error-on-empty"]);
    assert_eq!(strict.status.code(), Some(2));
}

#[test]
fn select_and_ignore_pick_rules() {
    let only = run_in(
        &repo(),
        &["check", "fixtures", "--format", "json", "--select", "AND", "--fail-on", "never"],
    );
    let names = rules_in(&json_of(&only));
    assert!(!names.is_empty() && names.iter().all(|n| n.starts_with("andon/")), "{names:?}");
    let without = run_in(
        &repo(),
        &["check", "fixtures", "--format", "json", "--ignore", "andon", "--fail-on", "never"],
    );
    assert!(rules_in(&json_of(&without)).iter().all(|n| !n.starts_with("andon/")));
}

#[test]
fn rules_and_explain_describe_the_catalog() {
    let list = run_in(&repo(), &["rules", "--format", "json"]);
    assert_eq!(list.status.code(), Some(0));
    let rows = json_of(&list);
    let rows = rows.as_array().expect("array");
    assert!(rows.iter().any(|r| r["id"] == "AND001"));
    for r in rows {
        for key in ["id", "name", "kind", "severity", "enabled", "checklist", "fixable"] {
            assert!(r.get(key).is_some(), "rules --format json lacks {key}");
        }
    }
    let explain = run_in(&repo(), &["explain", "andon/parse-error"]);
    let text = String::from_utf8_lossy(&explain.stdout);
    assert!(
        text.contains("AND001") && text.contains("## Why") && text.contains("## Fix"),
        "{text}"
    );
    assert_eq!(run_in(&repo(), &["explain", "XYZ123"]).status.code(), Some(2));
}

#[test]
fn show_files_lists_kinds_and_skips() {
    let out = run_in(&repo(), &["check", "examples/demo", "--show-files", "--quiet"]);
    let listing = String::from_utf8_lossy(&out.stderr);
    assert!(listing.contains("examples/demo/Dockerfile\tdockerfile"), "{listing}");
    assert!(listing.contains("examples/demo/k8s/deployment.yaml\tkubernetes"), "{listing}");
    assert!(listing.contains("examples/demo/README.md\tskipped:"), "{listing}");
}

/// A "billion laughs" document (9^9 nodes once expanded) whose last lines are `tail`.
fn alias_bomb(tail: &str) -> String {
    let mut bomb = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    bomb + tail
}

/// Files no parser should choke on. Each must end in a finding or nothing, never a crash.
/// Returns the alias bombs it wrote.
fn hostile(dir: &Path) -> Vec<&'static str> {
    fs::create_dir_all(dir.join("config")).expect("mkdir");
    // One bomb for each kind of YAML file andon reads: each walks its documents its own way.
    let bombs = [
        ("compose.yaml", "services:\n  x:\n    <<: *i\n    image: nginx:1\n"),
        ("config/production.yaml", "password: *i\n"),
        (
            "alerts.rules.yml",
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: *i\n",
        ),
        ("prometheus.yml", "scrape_configs:\n  - job_name: j\n    static_configs: *i\n"),
        (
            "alertmanager.yml",
            "route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs: *i\n",
        ),
        ("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: *i\n"),
    ];
    for (path, tail) in bombs {
        fs::write(dir.join(path), alias_bomb(tail)).expect("write");
    }
    let bomb_paths = bombs.iter().map(|(path, _)| *path).collect();
    fs::write(
        dir.join("deep.yaml"),
        format!(
            "apiVersion: v1\nkind: ConfigMap\ndata: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    )
    .expect("write");
    fs::write(dir.join("deep.json"), "[".repeat(200_000)).expect("write");
    fs::write(dir.join("config/production.toml"), format!("a = {}", "[".repeat(100_000))).expect("write");
    fs::write(dir.join("Dockerfile"), b"FROM scratch\x00\x01\x02binary").expect("write");
    fs::write(dir.join("Dockerfile.utf16"), [0xFFu8, 0xFE, b'F', 0, b'R', 0]).expect("write");
    fs::write(dir.join("Dockerfile.latin1"), b"FROM debian:12\nLABEL who=\"Jos\xe9\"\n").expect("write");
    fs::write(dir.join("broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n").expect("write");
    fs::write(dir.join("heredoc.Dockerfile"), "FROM alpine:3\nRUN <<EOF\nnever closed\n").expect("write");
    fs::write(dir.join(".env"), "A=\"unterminated\nB\n=novalue\n").expect("write");
    // `${B:-${B:-…}}` 100,000 deep, in a .env file, a Compose value and a Dockerfile ENV.
    let nested = format!("{}x{}", "${B:-".repeat(100_000), "}".repeat(100_000));
    fs::create_dir_all(dir.join("nested")).expect("mkdir");
    fs::write(dir.join("nested/.env"), format!("A={nested}\n")).expect("write");
    fs::write(
        dir.join("nested/compose.yaml"),
        format!("services:\n  a:\n    image: '{nested}'\n    environment:\n      A: '{nested}'\n"),
    )
    .expect("write");
    fs::write(dir.join("nested/Dockerfile"), format!("FROM alpine:3\nENV A={nested}\n")).expect("write");
    // PromQL: 50,000 terms `up + up + …`, 200 KB of unary minus, brackets 100,000 deep.
    let rules = |expr: String| format!("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: '{expr}'\n");
    fs::create_dir_all(dir.join("promql")).expect("mkdir");
    fs::write(dir.join("promql/chain.rules.yml"), rules(vec!["up"; 50_000].join(" + "))).expect("write");
    fs::write(dir.join("promql/minus.rules.yml"), rules(format!("{}up", "-".repeat(200_000)))).expect("write");
    let brackets = format!("{}up{}", "(".repeat(100_000), ")".repeat(100_000));
    fs::write(dir.join("promql/brackets.rules.yml"), rules(brackets)).expect("write");
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(".", dir.join("loop"));
        let _ = std::os::unix::fs::symlink("missing-target", dir.join("dangling.yaml"));
        let _ = Command::new("mkfifo").arg(dir.join("pipe.yaml")).status();
    }
    bomb_paths
}

#[test]
fn hostile_inputs_become_findings_not_crashes() {
    let dir = tempfile::tempdir().expect("tmp");
    let bombs = hostile(dir.path());
    let out = run_in(dir.path(), &["check", "--format", "json", "--show-files"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "exit {:?}: {err}", out.status.code());
    let names = rules_in(&json_of(&out));
    assert!(names.iter().any(|n| n == "andon/unreadable-file"), "{names:?}");
    assert!(names.iter().any(|n| n == "andon/parse-error"), "{names:?}");
    let report = json_of(&out);
    let too_complex = |path: &str| {
        report["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|d| d["name"] == "andon/too-complex-to-check" && d["path"] == path)
    };
    for path in ["promql/chain.rules.yml", "promql/minus.rules.yml", "promql/brackets.rules.yml"] {
        assert!(too_complex(path), "{path} is reported as too complex to check");
    }
    for bomb in bombs {
        let reported = report["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|d| d["name"] == "andon/alias-bomb" && d["path"] == bomb);
        assert!(reported, "{bomb} is reported as an alias bomb");
    }
    assert!(err.contains("pipe.yaml\tskipped"), "FIFO skipped: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn too_large_files_are_reported_not_read() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("Dockerfile"), format!("FROM alpine:3\n{}", "# pad\n".repeat(2000))).expect("write");
    let out = run_in(dir.path(), &["check", "--format", "json", "--max-file-size", "1000"]);
    assert!(rules_in(&json_of(&out)).contains(&"andon/file-too-large".to_string()));
}

#[test]
fn paths_are_relative_without_dotdot() {
    let out = run_in(
        &repo().join("src"),
        &["check", "../examples/demo", "--format", "json", "--fail-on", "never"],
    );
    let report = json_of(&out);
    for d in report["diagnostics"].as_array().expect("array") {
        let p = d["path"].as_str().unwrap_or("");
        assert!(!p.starts_with('/') && !p.split('/').any(|c| c == ".."), "{p}");
    }
    let rooted = run_in(
        &repo(),
        &[
            "check",
            "examples/demo",
            "--root",
            "examples",
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    );
    let report = json_of(&rooted);
    assert!(report["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .all(|d| d["path"].as_str().unwrap_or("").starts_with("demo/")));
}

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let dir = tempfile::tempdir().expect("tmp");
    let body = "services:\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\"]\n  bad: [\n";
    fs::write(dir.path().join("compose.yaml"), body).expect("write");
    let before = json_of(&run_in(dir.path(), &["check", "--format", "json"]));
    fs::write(dir.path().join("compose.yaml"), format!("# a comment\n# another\n{body}")).expect("write");
    let after = json_of(&run_in(dir.path(), &["check", "--format", "json"]));
    let prints = |r: &serde_json::Value| -> Vec<String> {
        r["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .map(|d| d["fingerprint"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert!(!prints(&before).is_empty());
    assert_eq!(prints(&before), prints(&after));
    let lines = |r: &serde_json::Value| -> Vec<u64> {
        r["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .map(|d| d["start"]["line"].as_u64().unwrap_or(0))
            .collect()
    };
    assert_ne!(lines(&before), lines(&after));
}

/// Every file of the public corpus and the seed examples: no crash, no exit 2, no hang, and
/// each corpus file classified as MANIFEST.tsv says. Skipped when ../shared is absent.
#[test]
fn corpus_and_seeds_are_handled() {
    let shared = repo().join("../shared");
    if !shared.join("corpus/MANIFEST.tsv").exists() {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    }
    for dir in ["corpus", "seed-examples"] {
        let out = run_in(&shared, &["check", dir, "--format", "json", "--fail-on", "never", "--show-files"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{dir}: {err}");
        let report = json_of(&out);
        assert!(
            !rules_in(&report).iter().any(|n| n == "andon/internal-error"),
            "{dir}: internal errors: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        if dir == "corpus" {
            check_manifest(&shared, &err);
        }
    }
}

fn check_manifest(shared: &Path, listing: &str) {
    let kinds: std::collections::HashMap<&str, &str> = listing
        .lines()
        .filter_map(|l| l.split_once('\t'))
        // `kind` or `kind, non-production: why`.
        .map(|(path, kind)| (path, kind.split(',').next().unwrap_or(kind)))
        .collect();
    let manifest = fs::read_to_string(shared.join("corpus/MANIFEST.tsv")).expect("manifest");
    let mut wrong = Vec::new();
    for row in manifest.lines().skip(1) {
        let mut cols = row.split('\t');
        let (Some(kind), Some(file)) = (cols.next(), cols.next()) else {
            continue;
        };
        let expected = match kind {
            "k8s" => "kubernetes",
            other => other,
        };
        let got = kinds.get(format!("corpus/{file}").as_str()).copied().unwrap_or("missing");
        if got != expected && !known_manifest_disagreement(file) {
            wrong.push(format!("{file}: manifest {kind}, andon {got}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} files classified differently from MANIFEST.tsv:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Corpus files whose MANIFEST kind andon deliberately does not share, with the reason.
fn known_manifest_disagreement(file: &str) -> bool {
    KNOWN_DISAGREEMENTS.iter().any(|(f, _why)| *f == file)
}

const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[];

#[test]
fn files_named_like_env_files_are_read_only_when_they_are_env_files() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("db.env"), "POSTGRES_DB=orders\n").expect("write");
    fs::write(
        dir.path().join("variables.env"),
        "GOBIN=${GOBIN:=$(go env GOBIN)}\n\nif [ -z \"$GOBIN\" ]; then\n\tGOBIN=bin\nfi\n",
    )
    .expect("write");
    fs::write(dir.path().join(".env"), "A=1\nnot a variable\n").expect("write");
    let out = run_in(dir.path(), &["check", "--format", "json", "--show-files"]);
    let listing = String::from_utf8_lossy(&out.stderr);
    assert!(listing.contains("db.env\tdotenv"), "{listing}");
    assert!(listing.contains("variables.env\tskipped: not KEY=value lines"), "{listing}");
    let report = json_of(&out);
    let broken_dotenv = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|d| d["name"] == "andon/parse-error" && d["path"] == ".env");
    assert!(broken_dotenv, "a broken .env is reported: {report}");
}

/// Past 50 findings of one rule in one file the human report shows one line each, and says so;
/// the snippets it does show number their lines as the file does.
#[test]
fn human_report_caps_repeats_of_a_rule_in_a_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let runs: String = (0..60).map(|i| format!("RUN apt-get install -y pkg{i}=1.0\n")).collect();
    fs::write(dir.path().join("Dockerfile"), format!("FROM debian:12\n{runs}USER 1000\n")).expect("write");
    let args = ["check", "--color", "never", "--select", "DKR005"];
    let json = json_of(&run_in(dir.path(), &[&args[..], &["--format", "json"]].concat()));
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(60), "JSON carries every finding");
    let out = run_in(dir.path(), &args);
    let text = String::from_utf8_lossy(&out.stdout);
    let snippets = text.matches("docs: andon explain DKR005").count();
    let one_liners = text
        .lines()
        .filter(|l| l.starts_with("Dockerfile:") && l.contains(": warning DKR005 "))
        .count();
    assert_eq!((snippets, one_liners), (50, 10), "{text}");
    assert!(
        text.contains("Dockerfile: 60 DKR005 findings; after the first 50, one line each"),
        "{text}"
    );
    // The 50th snippet is of line 51 and shows lines 50 to 52.
    assert!(
        text.contains(" 51 │ RUN apt-get install -y pkg49=1.0") && text.contains(" 52 │ RUN"),
        "{text}"
    );
    assert!(text.contains("Dockerfile:61:5: warning DKR005 "), "{text}");
}

/// A Compose service the file itself marks "for testing purposes only" is judged like a file
/// that does not ship: production rules leave it, the listing says why, and
/// `--all-production` judges it again.
#[test]
fn a_service_commented_for_testing_only_is_not_judged_as_production() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(
        dir.path().join("docker-compose.yml"),
        "services:\n  api:\n    image: registry.example.com/api:1.4.2\n\n  # for testing purposes only, disable in production\n  log-generator:\n    image: mingrammer/flog:0.4.3\n",
    )
    .expect("write");
    let restart_lines = |args: &[&str]| -> Vec<u64> {
        let out = run_in(dir.path(), args);
        json_of(&out)["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["rule"] == "CMP001")
            .filter_map(|d| d["start"]["line"].as_u64())
            .collect()
    };
    assert_eq!(restart_lines(&["check", "--format", "json", "--fail-on", "never"]), vec![2]);
    assert_eq!(
        restart_lines(&["check", "--format", "json", "--fail-on", "never", "--all-production"]),
        vec![2, 6]
    );
    let out = run_in(dir.path(), &["check", "--show-files", "--quiet", "--fail-on", "never"]);
    let listing = String::from_utf8_lossy(&out.stderr);
    assert!(
        listing.contains("non-production part: service `log-generator` is commented \"for testing purposes only"),
        "{listing}"
    );
}

/// An env file whose folder holds only Compose stacks that do not ship, and that no shipping
/// stack names, does not ship either; one a shipping stack reads does.
#[test]
fn env_files_beside_only_development_stacks_do_not_ship() {
    let dir = tempfile::tempdir().expect("tmp");
    let local = dir.path().join("compose");
    fs::create_dir_all(&local).expect("mkdir");
    fs::write(
        local.join("local-dev-compose.yml"),
        "services:\n  api:\n    image: api:local\n    env_file: ${ENV_FILE:-dev.env}\n",
    )
    .expect("write");
    fs::write(local.join("tls.env"), "API_TLS_KEY=/etc/tls/api.key\n").expect("write");
    fs::write(
        dir.path().join("docker-compose.yml"),
        "services:\n  api:\n    image: registry.example.com/api:1.4.2\n    env_file: api.env\n",
    )
    .expect("write");
    fs::write(dir.path().join("api.env"), "API_PORT=8080\n").expect("write");
    let out = run_in(dir.path(), &["check", "--show-files", "--quiet", "--fail-on", "never"]);
    let listing = String::from_utf8_lossy(&out.stderr);
    assert!(
        listing.contains(
            "compose/tls.env\tdotenv, non-production: beside only Compose stacks that do not ship (compose/local-dev-compose.yml)"
        ),
        "{listing}"
    );
    assert!(listing.contains("api.env\tdotenv\n"), "{listing}");
}

/// A Dockerfile named for building that runs nothing compiles the project and never runs as a
/// service, even when its build script copies it into a temporary context; one that runs a
/// command ships.
#[test]
fn build_images_that_run_nothing_do_not_ship() {
    let dir = tempfile::tempdir().expect("tmp");
    let adapter = dir.path().join("adapter");
    fs::create_dir_all(&adapter).expect("mkdir");
    fs::write(
        adapter.join("Dockerfile.binary"),
        "ARG golang_image\nFROM ${golang_image}\nCOPY . /src\nRUN cd /src && go build -o /out/adapter ./cmd/adapter\n",
    )
    .expect("write");
    fs::write(
        adapter.join("builder.sh"),
        "#!/bin/sh\nTEMP=$(mktemp -d)\ncp Dockerfile.binary $TEMP\ndocker build -f $TEMP/Dockerfile.binary -t adapter-golang $TEMP\n",
    )
    .expect("write");
    fs::write(
        adapter.join("Dockerfile.build"),
        "FROM golang:1.23\nCOPY . /src\nRUN go build -o /adapter ./cmd/adapter\nUSER 65532\nCMD [\"/adapter\"]\n",
    )
    .expect("write");
    let out = run_in(dir.path(), &["check", "--show-files", "--quiet", "--fail-on", "never"]);
    let listing = String::from_utf8_lossy(&out.stderr);
    assert!(
        listing.contains("adapter/Dockerfile.binary\tdockerfile, non-production: a build image"),
        "{listing}"
    );
    assert!(listing.contains("adapter/Dockerfile.build\tdockerfile\n"), "{listing}");
}

/// What the operating system refuses is reported with its reason, never skipped in silence: a
/// folder without access, a mode-000 file whatever its name, a file named on the command line
/// inside a folder without search access. As root everything is readable, so the run drops to
/// `nobody` with `setpriv`; where neither works the test says it skipped.
#[test]
fn files_and_folders_the_system_refuses_are_and002_with_its_reason() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    fs::set_permissions(root, fs::Permissions::from_mode(0o755)).expect("chmod");
    fs::create_dir_all(root.join("locked")).expect("mkdir");
    fs::write(root.join("locked/Dockerfile"), "FROM alpine:3.20\n").expect("write");
    fs::write(root.join("deploy.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n").expect("write");
    fs::write(root.join("Dockerfile"), "FROM alpine:3.20\nUSER 10001\n").expect("write");
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o000)).expect("chmod");
    fs::set_permissions(root.join("deploy.yaml"), fs::Permissions::from_mode(0o000)).expect("chmod");
    let as_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let run = |args: &[&str]| -> Option<Output> {
        let mut cmd = if as_root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_andon")]);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_andon"))
        };
        let out = cmd.args(args).current_dir(root).env("NO_COLOR", "1").output().ok()?;
        // setpriv missing, or `nobody` may not run the binary where it was built.
        (out.status.code().is_some_and(|c| c <= 2)).then_some(out)
    };
    let Some(out) = run(&["check", ".", "--format", "json", "--fail-on", "never"]) else {
        eprintln!("skipped: cannot run andon as an unprivileged user here");
        return;
    };
    let refused = |out: &Output| -> Vec<(String, String)> {
        json_of(out)["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["rule"] == "AND002")
            .map(|d| {
                (
                    d["path"].as_str().unwrap_or("").to_string(),
                    d["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        refused(&out),
        vec![
            (
                "deploy.yaml".to_string(),
                "could not be read (permission denied), so it was not checked".to_string()
            ),
            (
                "locked".to_string(),
                "folder could not be read (permission denied): nothing below it was checked".to_string()
            ),
        ]
    );
    let named = run(&["check", "locked/Dockerfile", "--format", "json"]).expect("runs");
    assert_eq!(named.status.code(), Some(1), "{}", String::from_utf8_lossy(&named.stderr));
    assert_eq!(refused(&named).len(), 1, "{}", String::from_utf8_lossy(&named.stdout));
    let missing = run(&["check", "nowhere.yaml"]).expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such file or folder"));
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).expect("chmod back");
}

/// A file too large to parse is AND003 when its start says it is a deployment file, whatever
/// its name; a large data file of the same format is skipped, with why.
#[test]
fn large_files_are_classified_by_their_start() {
    let dir = tempfile::tempdir().expect("tmp");
    let objects: String = (0..40)
        .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"))
        .collect();
    fs::write(dir.path().join("all.yaml"), objects).expect("write");
    let data: String = (0..200).map(|i| format!("{{\"id\": {i}, \"name\": \"row {i}\"}},\n")).collect();
    fs::write(dir.path().join("rows.json"), format!("[\n{data}{{}}]\n")).expect("write");
    let out = run_in(
        dir.path(),
        &["check", "--format", "json", "--max-file-size", "1024", "--show-files"],
    );
    let report = json_of(&out);
    let too_large: Vec<&str> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["rule"] == "AND003")
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert_eq!(too_large, vec!["all.yaml"]);
    let listing = String::from_utf8_lossy(&out.stderr);
    assert!(
        listing.contains("rows.json\tskipped: unreadable, and neither its name nor its start says it is a deployment file"),
        "{listing}"
    );
}

/// `--fix` writes every file it can, names each one it cannot and ends with exit 2, reporting
/// that file as it stands; it writes through a symbolic link, and removes the temporary files
/// a killed run left.
#[test]
fn fix_writes_what_it_can_and_says_what_it_could_not() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    let unfixed = "FROM node:22.11-bookworm-slim\nUSER node\nCMD node server.js\n";
    for name in ["a", "b", "c"] {
        fs::create_dir_all(root.join(name)).expect("mkdir");
        fs::write(root.join(name).join("Dockerfile"), unfixed).expect("write");
    }
    fs::set_permissions(root.join("b/Dockerfile"), fs::Permissions::from_mode(0o444)).expect("chmod");
    fs::write(root.join("c/.Dockerfile.andon-999999999.tmp"), "half a file").expect("write");
    let out = run_in(root, &["check", "--fix", "--format", "json", "--fail-on", "never"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("andon: could not fix b/Dockerfile: file is read-only; nothing was written"),
        "{stderr}"
    );
    assert!(stderr.contains("andon: fixed 2 files; 1 could not be written"), "{stderr}");
    let fixed = "FROM node:22.11-bookworm-slim\nUSER node\nCMD [\"node\", \"server.js\"]\n";
    assert_eq!(fs::read_to_string(root.join("a/Dockerfile")).expect("read"), fixed);
    assert_eq!(fs::read_to_string(root.join("c/Dockerfile")).expect("read"), fixed);
    assert_eq!(fs::read_to_string(root.join("b/Dockerfile")).expect("read"), unfixed);
    assert!(!root.join("c/.Dockerfile.andon-999999999.tmp").exists(), "stale temporary removed");
    let still: Vec<String> = json_of(&out)["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["rule"] == "DKR003")
        .filter_map(|d| d["path"].as_str().map(str::to_string))
        .collect();
    assert_eq!(still, vec!["b/Dockerfile"], "the unwritten file is reported as it is");

    std::os::unix::fs::symlink(root.join("a/Dockerfile.real"), root.join("a/Dockerfile.link")).expect("symlink");
    fs::write(root.join("a/Dockerfile.real"), unfixed).expect("write");
    let out = run_in(root, &["check", "a/Dockerfile.link", "--fix", "--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(fs::symlink_metadata(root.join("a/Dockerfile.link"))
        .expect("meta")
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(root.join("a/Dockerfile.real")).expect("read"), fixed);
}

/// `--diff` and `--fix` say how many fixes they left because they may change behaviour.
#[test]
fn unsafe_fixes_left_are_counted() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(
        dir.path().join("alerts.yml"),
        "groups:\n  - name: a\n    rules:\n      - alert: ApiDown\n        expr: up{job=\"api\"} == 0\n        for: 1m\n",
    )
    .expect("write");
    let out = run_in(dir.path(), &["check", "--diff"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("andon: 1 more fix available with `--unsafe-fixes` (it may change behaviour"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_in(dir.path(), &["check", "--diff", "--unsafe-fixes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("more fix"));
}

/// `andon rules` has a header line; the human report names each finding's severity in words.
#[test]
fn rules_have_a_header_and_findings_say_their_severity() {
    let out = run_in(&repo(), &["rules"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let header: Vec<&str> = text.lines().next().unwrap_or_default().split_whitespace().collect();
    assert_eq!(header, ["ID", "NAME", "SEVERITY", "ON", "CHECKLIST", "ITEM", "FIX"]);
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\nCMD [\"/app\"]\n").expect("write");
    let out = run_in(dir.path(), &["check", "--color", "never", "--fail-on", "never"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l == "warning DKR001 dockerfile/runs-as-root"), "{text}");
}

/// The plain Compose file beside an install script that drives Compose is the product, whatever
/// a contributing guide says of bringing it up; beside an installer of something else it is not.
#[test]
fn the_stack_an_install_script_beside_it_prepares_ships() {
    let listing = |install: &str| -> String {
        let dir = tempfile::tempdir().expect("tmp");
        fs::write(
            dir.path().join("docker-compose.yml"),
            "services:\n  web:\n    image: registry.example.com/web:24.1.0\n",
        )
        .expect("write");
        fs::write(
            dir.path().join("CONTRIBUTING.md"),
            "# Contributing\n\nRun the stack:\n\n```\ndocker compose up -d\n```\n",
        )
        .expect("write");
        fs::write(dir.path().join("install.sh"), install).expect("write");
        let out = run_in(dir.path(), &["check", "--show-files", "--quiet", "--fail-on", "never"]);
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let product = listing("#!/bin/sh\nset -e\ncp -n .env.example .env\ndocker compose pull\n");
    assert!(
        product.contains("docker-compose.yml\tcompose, production: the stack install.sh beside it installs"),
        "{product}"
    );
    let cli = listing("#!/bin/sh\ncurl -fsSL https://example.com/cli.tar.gz | tar xz -C /usr/local/bin\n");
    assert!(
        cli.contains("docker-compose.yml\tcompose, non-production: brought up under the heading"),
        "{cli}"
    );
}

/// A Kustomize base is judged as each overlay renders it: a port or a limit that every
/// overlay's patch adds is there; one that an overlay leaves out is still missing, at the base's
/// line; a fix is never offered on a rendering.
#[test]
fn kustomize_bases_are_judged_as_each_overlay_renders_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    };
    write("base/kustomization.yaml", "resources: [deployment.yaml, service.yaml]\n");
    write(
        "base/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.2.3\n        ports: [{containerPort: 80, name: http}]\n",
    );
    write(
        "base/service.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 9090, targetPort: metrics}]\n",
    );
    let metrics_port = "- patch: |-\n    - op: add\n      path: /spec/template/spec/containers/0/ports/-\n      value: {containerPort: 9090, name: metrics}\n  target: {kind: Deployment, name: web}\n";
    write(
        "overlays/prod/kustomization.yaml",
        &format!("resources: [../../base]\npatches:\n- path: limits.yaml\n{metrics_port}"),
    );
    let limits = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        resources: {limits: {memory: 256Mi}}\n";
    write("overlays/prod/limits.yaml", limits);
    write(
        "overlays/staging/kustomization.yaml",
        &format!("resources: [../../base]\npatches:\n{metrics_port}"),
    );

    let report = json_of(&run_in(dir.path(), &["check", "--format", "json", "--fail-on", "never"]));
    let rules = rules_in(&report);
    assert!(!rules.contains(&"k8s/service-port-not-declared".to_string()), "{rules:?}");
    let memory: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["name"] == "k8s/missing-memory-limits")
        .collect();
    assert_eq!(memory.len(), 1, "staging deploys no limit: {memory:?}");
    assert_eq!(memory[0]["path"], "base/deployment.yaml");
    assert_eq!(memory[0]["start"]["line"], 10, "at the container's name");
    assert!(memory[0]["fix"].is_null(), "no fix on a rendering: {:?}", memory[0]);

    write("overlays/staging/limits.yaml", limits);
    write(
        "overlays/staging/kustomization.yaml",
        &format!("resources: [../../base]\npatchesStrategicMerge: [limits.yaml]\npatches:\n{metrics_port}"),
    );
    let rules = rules_in(&json_of(&run_in(dir.path(), &["check", "--format", "json", "--fail-on", "never"])));
    assert!(!rules.contains(&"k8s/missing-memory-limits".to_string()), "{rules:?}");
}

/// A Kustomize base whose rendering the repository commits (a release manifest under the name
/// the overlay gives) is judged in the rendering, not twice; without the rendering it ships.
#[test]
fn a_kustomize_base_rendered_into_a_committed_release_is_judged_there() {
    let dir = tempfile::tempdir().expect("tmp");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    };
    let deployment = |name: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n  template:\n    spec:\n      containers:\n      - name: manager\n        image: example/operator:1.0.0\n")
    };
    write("config/manager/kustomization.yaml", "resources: [manager.yaml]\n");
    write("config/manager/manager.yaml", &deployment("controller-manager"));
    write("config/default/kustomization.yaml", "namePrefix: op-\nresources: [../manager]\n");
    let listing =
        |dir: &Path| String::from_utf8_lossy(&run_in(dir, &["check", "--show-files", "--quiet", "--fail-on", "never"]).stderr).to_string();
    assert!(listing(dir.path()).contains("config/manager/manager.yaml\tkubernetes\n"));
    write("releases/op-1.0.0.yaml", &deployment("op-controller-manager"));
    let shown = listing(dir.path());
    assert!(
        shown.contains(
            "config/manager/manager.yaml\tkubernetes, non-production: a Kustomize base whose rendering releases/op-1.0.0.yaml commits"
        ),
        "{shown}"
    );
    assert!(shown.contains("releases/op-1.0.0.yaml\tkubernetes\n"), "{shown}");
}
