//! andon where teams use it: pre-commit, the GitHub Action, editors (stdin), shell completions,
//! the man page, the progress line and `--version`, through the binary as users run it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_andon")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn andon(dir: &Path, args: &[&str]) -> Output {
    andon_with_stdin(dir, args, "")
}

/// Runs andon in `dir` with `stdin` as its standard input (closed after writing).
fn andon_with_stdin(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("andon starts");
    if let Some(mut input) = child.stdin.take() {
        // A run refused before reading its input closes the pipe: that is its answer, not an error.
        let _ = input.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("andon runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_of(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

/// (rule name, path) of every diagnostic of a JSON report.
fn findings(report: &serde_json::Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["name"].as_str().unwrap_or_default().to_string(),
                d["path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web-frontend\n  ports:\n  - {port: 80, targetPort: 8080}\n";
const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: web:1.0.0\n";

#[test]
fn explicit_files_skip_project_rules_and_say_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("service.yaml"), SERVICE).expect("write");
    fs::write(dir.path().join("deployment.yaml"), DEPLOYMENT).expect("write");
    let select = ["--select", "k8s/service-selects-nothing", "--fail-on", "never"];

    let folder = andon(dir.path(), &[&["check", ".", "--format", "json"], &select[..]].concat());
    assert!(
        findings(&json_of(&folder)).contains(&("k8s/service-selects-nothing".into(), "service.yaml".into())),
        "a folder run sees the whole project: {}",
        stdout(&folder)
    );
    let human = andon(dir.path(), &[&["check", "."], &select[..]].concat());
    assert!(!stdout(&human).contains("skipped"), "{}", stdout(&human));

    let files = andon(dir.path(), &[&["check", "service.yaml", "--format", "json"], &select[..]].concat());
    assert_eq!(findings(&json_of(&files)), vec![], "project rules do not judge a lone file");
    let human = andon(dir.path(), &[&["check", "service.yaml", "deployment.yaml"], &select[..]].concat());
    assert!(
        stdout(&human).contains("project-wide rules skipped (files given, not folders)"),
        "the summary says why: {}",
        stdout(&human)
    );
}

const BAD_DOCKERFILE: &str = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCMD [\"/app\"]\n";
const GOOD_DOCKERFILE: &str = "FROM debian:12.7-slim\nUSER 10001\nCMD [\"/app\"]\n";

#[test]
fn stdin_filename_checks_the_buffer_as_that_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("services/api")).expect("mkdir");
    // What is on disk must not be read: the editor's buffer is the truth.
    fs::write(dir.path().join("services/api/Dockerfile"), GOOD_DOCKERFILE).expect("write");
    // Nor any other file of the repository.
    fs::write(dir.path().join("compose.yaml"), "services: [unclosed\n").expect("write");
    let args = [
        "check",
        "--stdin-filename",
        "services/api/Dockerfile",
        "--format",
        "json",
        "--select",
        "dockerfile/runs-as-root,andon/parse-error",
        "--fail-on",
        "never",
    ];
    let out = andon_with_stdin(dir.path(), &args, BAD_DOCKERFILE);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        findings(&json_of(&out)),
        vec![("dockerfile/runs-as-root".to_string(), "services/api/Dockerfile".to_string())],
        "classified as a Dockerfile by its name; other files unread"
    );

    let clean = andon_with_stdin(dir.path(), &args, GOOD_DOCKERFILE);
    assert_eq!(findings(&json_of(&clean)), vec![]);

    // The same text under a name andon does not read is no deployment file.
    let other = andon_with_stdin(
        dir.path(),
        &["check", "--stdin-filename", "notes.txt", "--format", "json"],
        BAD_DOCKERFILE,
    );
    assert_eq!(other.status.code(), Some(0));
    assert_eq!(json_of(&other)["summary"]["files"], 0);
}

/// What `helm template` prints: a Deployment and a Service that selects none of its pods.
const RENDERED: &str = "---\n# Source: web/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3\n---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: webb}\n  ports: [{port: 80}]\n";

#[test]
fn dash_reads_a_rendered_deployment_from_standard_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let select = ["--select", "k8s/service-selects-nothing,k8s/missing-liveness-probe"];
    let args = [
        &["check", "-", "--stdin-kind", "kubernetes", "--format", "json", "--fail-on", "never"],
        &select[..],
    ]
    .concat();
    let out = andon_with_stdin(dir.path(), &args, RENDERED);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let mut got = findings(&json_of(&out));
    got.sort();
    assert_eq!(
        got,
        vec![
            ("k8s/missing-liveness-probe".to_string(), "stdin.yaml".to_string()),
            ("k8s/service-selects-nothing".to_string(), "stdin.yaml".to_string()),
        ],
        "the stream is a whole deployment: project rules run across its objects"
    );
    // Without --stdin-kind the content says what it is.
    let by_content = andon_with_stdin(
        dir.path(),
        &[&["check", "-", "--format", "json", "--fail-on", "never"], &select[..]].concat(),
        RENDERED,
    );
    assert_eq!(findings(&json_of(&by_content)).len(), 2);
    // `-` stands alone, and --stdin-kind needs it.
    let mixed = andon_with_stdin(dir.path(), &["check", "-", "."], RENDERED);
    assert_eq!(mixed.status.code(), Some(2), "{}", stderr(&mixed));
    let no_dash = andon_with_stdin(dir.path(), &["check", ".", "--stdin-kind", "kubernetes"], RENDERED);
    assert_eq!(no_dash.status.code(), Some(2), "{}", stderr(&no_dash));
    let unknown = andon_with_stdin(dir.path(), &["check", "-", "--stdin-kind", "helm"], RENDERED);
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));
}

#[test]
fn stdin_filename_exit_codes_and_conflicts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fails = andon_with_stdin(
        dir.path(),
        &["check", "--stdin-filename", "Dockerfile", "--quiet"],
        "FROM debian:12\nUSER root\nRUN apt-get install curl\n",
    );
    assert!(stdout(&fails).contains("project-wide rules skipped"), "{}", stdout(&fails));
    let bad = andon_with_stdin(dir.path(), &["check", "--stdin-filename", "Dockerfile", "."], "");
    assert_eq!(bad.status.code(), Some(2), "a buffer and paths at once: {}", stderr(&bad));
    let latin1 = dir.path().join("latin1");
    fs::write(&latin1, b"FROM debian:12\nLABEL maintainer=\"J\xfcrgen\"\n").expect("write");
    let not_text = Command::new(bin())
        .args(["check", "--stdin-filename", "Dockerfile"])
        .current_dir(dir.path())
        .stdin(Stdio::from(fs::File::open(&latin1).expect("open")))
        .output()
        .expect("andon runs");
    assert_eq!(not_text.status.code(), Some(2), "binary input is refused with a reason");
    assert!(stderr(&not_text).contains("not UTF-8"), "{}", stderr(&not_text));
}

#[test]
fn version_names_the_commit() {
    let out = andon(&repo(), &["--version"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let prefix = format!("andon {} (", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&prefix) && text.trim_end().ends_with(')'), "{text}");
    let commit = &text.trim_end()[prefix.len()..text.trim_end().len() - 1];
    assert!(
        commit == "unknown" || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "a short commit or `unknown`: {commit}"
    );
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = andon(&repo(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains("andon") && script.contains("stdin-filename"), "{shell}: {script}");
    }
    let bad = andon(&repo(), &["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn bash_completion_loads_and_completes_subcommands() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("bash not installed; skipped");
        return;
    }
    // Loads the script as a user's .bashrc would, then asks it what follows `andon ch`.
    let script = format!(
        r#"source <("{bin}" completions bash) && complete -p andon && COMP_WORDS=(andon ch) COMP_CWORD=1 COMP_LINE="andon ch" COMP_POINT=8 && _andon andon ch andon && printf '%s\n' "${{COMPREPLY[@]}}""#,
        bin = bin()
    );
    let out = Command::new("bash").args(["--norc", "-c", &script]).output().expect("bash runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("complete -o bashdefault -o default -o nosort -F _andon andon") || text.contains("-F _andon andon"),
        "{text}"
    );
    let replies: Vec<&str> = text.lines().skip(1).collect();
    assert!(replies.contains(&"check") && replies.contains(&"checklist"), "{replies:?}");
}

#[test]
fn man_page_is_roff_and_covers_subcommands() {
    let out = andon(&repo(), &["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(page.contains(".TH andon 1"), "{page}");
    assert!(page.contains("andon\\-check(1)"), "links the subcommand pages: {page}");
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("man1");
    let written = andon(&repo(), &["man", "--out-dir", &out_dir.to_string_lossy()]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let check = fs::read_to_string(out_dir.join("andon-check.1")).expect("andon-check.1");
    assert!(check.contains("stdin\\-filename"), "{check}");
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Enough files that a debug build takes well over the half second before progress shows.
    for i in 0..1500 {
        let sub = dir.path().join(format!("svc{i}"));
        fs::create_dir_all(&sub).expect("mkdir");
        fs::write(sub.join("Dockerfile"), BAD_DOCKERFILE).expect("write");
    }
    let out = andon(dir.path(), &["check", "--quiet", "--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("scanned") && !err.contains('\r') && !err.contains('\x1b'), "{err:?}");
}

/// The parts of `.pre-commit-hooks.yaml` pre-commit reads, by andon's own YAML parser.
fn hook() -> serde_json::Value {
    let text = fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).expect(".pre-commit-hooks.yaml");
    let tree = andon::syntax::yaml::parse(&text, &andon::syntax::Limits::default());
    assert!(tree.errors.is_empty(), "{:?}", tree.errors.first().map(|e| &e.message));
    let doc = tree.docs.first().expect("one document");
    let root = doc.root.as_ref().expect("a list of hooks");
    andon::syntax::value::to_json(doc, root)[0].clone()
}

#[test]
fn pre_commit_hook_runs_on_the_whole_repository_when_deployment_files_change() {
    let hook = hook();
    assert_eq!(hook["id"], "andon");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "andon check");
    assert_eq!(hook["pass_filenames"], false, "project rules need the whole repository");
    assert_eq!(hook["always_run"], false);
    // pre-commit's `files` is a Python regex searched in each staged path; this one stays
    // within the syntax both engines share.
    let files = regex::Regex::new(hook["files"].as_str().expect("files")).expect("files is a regex");
    for read in [
        "Dockerfile",
        "services/api/Dockerfile.prod",
        "build/api.dockerfile",
        "Containerfile",
        "deploy/k8s/deployment.yaml",
        "compose.yml",
        "monitoring/alerts.rules",
        "config/production.toml",
        "appsettings.json",
        ".env",
        ".env.production",
        "services/api/.dockerignore",
        ".andon.yaml",
        "README.md",
        "docs/deploy.markdown",
        ".github/workflows/ci.yml",
    ] {
        assert!(files.is_match(read), "the hook must run when {read} changes");
    }
    for ignored in ["src/main.rs", "package-lock.jsonx", "Makefile", "docs/logo.png"] {
        assert!(!files.is_match(ignored), "{ignored} cannot change andon's verdict");
    }
}

#[test]
fn action_passes_inputs_through_the_environment_only() {
    let text = fs::read_to_string(repo().join("action.yml")).expect("action.yml");
    let tree = andon::syntax::yaml::parse(&text, &andon::syntax::Limits::default());
    assert!(tree.errors.is_empty(), "{:?}", tree.errors.first().map(|e| &e.message));
    let doc = tree.docs.first().expect("one document");
    let action = andon::syntax::value::to_json(doc, doc.root.as_ref().expect("a mapping"));
    for input in ["paths", "args", "fail-on", "sarif-category", "version"] {
        assert!(action["inputs"][input].is_object(), "input {input}");
    }
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let scripts: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    for script in &scripts {
        // `${{ }}` pasted into a script is a shell injection; inputs go through `env:`.
        assert!(!script.contains("${{"), "{script}");
    }
    let all = scripts.join("\n");
    assert!(all.contains("cargo install --locked"), "{all}");
    assert!(all.contains("--format sarif --output"), "{all}");
    assert!(all.contains("$GITHUB_STEP_SUMMARY"), "{all}");
    assert!(steps
        .iter()
        .any(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/cache@"))));
}
