//! The CI formats as their readers see them: SARIF against the 2.1.0 schema and code scanning's
//! invariants, and github, gitlab, junit and checkstyle parsed by real parsers, each carrying
//! every finding and no secret.

mod common;
use common::repo;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Output;

const SECRET: &str = "s3cr3t-Very-Long-Password-123";
const K8S_SECRET: &str = "k8s-Very-Long-Password-456789";
/// The token part of a Slack webhook URL, on the line above another finding's.
const SLACK_SECRET: &str = "Zq8x2Lm4Vn6Bc0Df3Gh5Jk7P";
const FORMATS: &[&str] = &["human", "json", "sarif", "github", "gitlab", "junit", "checkstyle", "concise"];

/// Runs andon (see `common::run_in`) and insists it did its job: exit 0 or 1.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    let out = common::run_in(dir, args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "andon {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("output is UTF-8")
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn demo(format: &str) -> String {
    stdout(&run_in(&repo(), &["check", "examples/demo", "--format", format]))
}

/// The diagnostics of the JSON report: the reference every other format is compared with.
fn demo_diagnostics() -> Vec<Value> {
    let report = json_of(&demo("json"));
    let diags = report["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(!diags.is_empty(), "the demo has findings left in on purpose");
    diags
}

/// (path, line, rule id) of each JSON diagnostic, with multiplicity.
fn json_keys(diags: &[Value]) -> Vec<(String, u64, String)> {
    let mut keys: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_string(),
                d["start"]["line"].as_u64().unwrap_or_default(),
                d["rule"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    keys.sort();
    keys
}

fn sarif_schema_errors(log: &Value) -> Vec<String> {
    let text = fs::read_to_string(repo().join("schemas/sarif-schema-2.1.0.json")).expect("schema is in the repository");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(
        schema["$schema"], "http://json-schema.org/draft-04/schema#",
        "the SARIF schema is draft-04"
    );
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn run_of(log: &Value) -> &Value {
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run");
    &runs[0]
}

fn results_of(log: &Value) -> Vec<Value> {
    run_of(log)["results"]
        .as_array()
        .cloned()
        .expect("results present, even when empty")
}

/// A folder with a Compose file and a Kubernetes manifest that each hold a literal password,
/// and an Alertmanager config whose inline webhook URL sits just above another finding (its
/// snippet shows that line).
fn secret_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("alertmanager.yml"),
        format!(
            "global:\n  slack_api_url: https://hooks.slack.com/services/T0123ABCD/B0123ABCD/{SLACK_SECRET}\n  smtp_smarthost: mail.example.com\nroute:\n  receiver: team\nreceivers:\n  - name: team\n    slack_configs:\n      - channel: '#alerts'\n"
        ),
    )
    .expect("write alertmanager config");
    fs::write(
        dir.path().join("compose.yaml"),
        format!(
            "services:\n  db:\n    image: postgres:16.3\n    privileged: true\n    environment:\n      POSTGRES_PASSWORD: {SECRET}\n      OTHER: \"50%, a:b\"\n"
        ),
    )
    .expect("write compose");
    fs::create_dir(dir.path().join("k8s")).expect("mkdir");
    fs::write(
        dir.path().join("k8s/api.yaml"),
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.0.0\n          env:\n            - name: DB_PASSWORD\n              value: {K8S_SECRET}\n"
        ),
    )
    .expect("write manifest");
    dir
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let demo_log = json_of(&demo("sarif"));
    let errors = sarif_schema_errors(&demo_log);
    assert!(errors.is_empty(), "demo SARIF breaks the schema:\n{}", errors.join("\n"));

    let dir = secret_dir();
    let log = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "sarif"])));
    let errors = sarif_schema_errors(&log);
    assert!(errors.is_empty(), "SARIF breaks the schema:\n{}", errors.join("\n"));

    let clean = tempfile::tempdir().expect("temp dir");
    let log = json_of(&stdout(&run_in(clean.path(), &["check", "--format", "sarif"])));
    let errors = sarif_schema_errors(&log);
    assert!(errors.is_empty(), "empty SARIF breaks the schema:\n{}", errors.join("\n"));
}

#[test]
fn the_schema_check_catches_a_broken_log() {
    let mut log = json_of(&demo("sarif"));
    log["runs"][0]["results"][0]["level"] = Value::from("fatal");
    log["runs"][0]["columnKind"] = Value::from("bytes");
    assert!(
        sarif_schema_errors(&log).len() >= 2,
        "the validator must reject a bad level and columnKind"
    );
}

#[test]
fn sarif_results_point_at_rules_and_relative_regions() {
    let log = json_of(&demo("sarif"));
    let run = run_of(&log);
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object(), "the base id is declared");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "andon");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"].as_str().is_some_and(|u| u.starts_with("https://")));
    let rules = driver["rules"].as_array().expect("driver.rules");

    // Suppressed findings are SARIF results too, but not in the JSON report's diagnostics.
    let results: Vec<Value> = results_of(&log).into_iter().filter(|r| r.get("suppressions").is_none()).collect();
    let diags = demo_diagnostics();
    assert_eq!(results.len(), diags.len(), "one result per finding");
    for (r, d) in results.iter().zip(&diags) {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"], "ruleIndex points at the result's rule");
        assert_eq!(r["ruleId"], d["rule"], "results keep the report's order");
        assert!(matches!(r["level"].as_str(), Some("error" | "warning" | "note")));
        assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        let locations = r["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1, "one location: {r}");
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(
            !uri.starts_with('/') && !uri.contains("..") && !uri.contains(':') && !uri.is_empty(),
            "relative uri: {uri}"
        );
        assert_eq!(uri, d["path"].as_str().unwrap_or_default().replace(' ', "%20"));
        let region = &physical["region"];
        let start_line = region["startLine"].as_u64().expect("startLine");
        assert!(start_line >= 1);
        assert_eq!(
            start_line,
            d["start"]["line"].as_u64().unwrap_or_default(),
            "the line is the finding's, not 1"
        );
        assert_eq!(region["startColumn"], d["start"]["column"]);
        assert_eq!(region["endLine"], d["end"]["line"]);
        assert_eq!(region["endColumn"], d["end"]["column"]);
        assert_eq!(r["partialFingerprints"]["andon/v1"], d["fingerprint"]);
        if d["fix"].is_object() {
            let change = &r["fixes"][0]["artifactChanges"][0];
            assert_eq!(change["artifactLocation"]["uri"], uri);
            let replacements = change["replacements"].as_array().expect("replacements");
            assert!(!replacements.is_empty());
            for rep in replacements {
                assert!(rep["deletedRegion"]["startLine"].as_u64().is_some_and(|l| l >= 1));
                assert!(rep["insertedContent"]["text"].is_string());
            }
        } else {
            assert!(r.get("fixes").is_none(), "no fix, no fixes: {r}");
        }
    }
}

#[test]
fn sarif_fixes_are_artifact_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    // An obsolete `version:` key is a finding with a safe fix in every andon version so far;
    // if that changes, the demo loop above still checks whatever fixes exist.
    fs::write(
        dir.path().join("compose.yaml"),
        "version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27.0\n",
    )
    .expect("write");
    let report = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "json"])));
    let fixable = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["fix"].is_object())
        .count();
    assert!(fixable > 0, "the folder has a fixable finding: {report}");
    let log = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "sarif"])));
    let with_fixes = results_of(&log).iter().filter(|r| r["fixes"].is_array()).count();
    assert_eq!(with_fixes, fixable, "every fix becomes a SARIF fix");
}

#[test]
fn sarif_describes_every_enabled_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let listing = json_of(&stdout(&run_in(dir.path(), &["rules", "--format", "json"])));
    let enabled: BTreeSet<String> = listing
        .as_array()
        .expect("rules list")
        .iter()
        .filter(|r| r["enabled"] == true)
        .filter_map(|r| r["id"].as_str().map(str::to_string))
        .collect();
    let log = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "sarif"])));
    let rules = run_of(&log)["tool"]["driver"]["rules"].as_array().cloned().expect("rules");
    let ids: BTreeSet<String> = rules.iter().filter_map(|r| r["id"].as_str().map(str::to_string)).collect();
    assert_eq!(ids.len(), rules.len(), "rule ids are unique");
    assert!(
        enabled.is_subset(&ids),
        "missing rules: {:?}",
        enabled.difference(&ids).collect::<Vec<_>>()
    );
    for r in &rules {
        for field in ["id", "name", "helpUri"] {
            assert!(r[field].as_str().is_some_and(|s| !s.is_empty()), "{field} of {r}");
        }
        for field in ["shortDescription", "fullDescription"] {
            assert!(r[field]["text"].as_str().is_some_and(|s| !s.is_empty()), "{field} of {r}");
        }
        assert!(r["help"]["text"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(r["help"]["markdown"]
            .as_str()
            .is_some_and(|s| s.contains("## Why") && s.contains("## Fix")));
        assert!(matches!(
            r["defaultConfiguration"]["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        let tags: Vec<&str> = r["properties"]["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let kind = r["name"].as_str().and_then(|n| n.split('/').next()).unwrap_or_default();
        assert!(tags.contains(&kind), "the kind is a tag: {r}");
        if let Some(item) = r["properties"]["checklist"].as_str() {
            assert!(tags.contains(&item), "the checklist item is a tag: {r}");
        }
        let is_security = tags.contains(&"security");
        let score = r["properties"]["security-severity"].as_str();
        assert_eq!(score.is_some(), is_security, "security-severity exactly on security rules: {r}");
        if let Some(score) = score {
            let n: f64 = score.parse().expect("security-severity is a number in a string");
            assert!((0.0..=10.0).contains(&n));
        }
    }
    assert!(
        rules.iter().any(|r| r["properties"]["security-severity"].is_string()),
        "some rule is a security rule"
    );
}

#[test]
fn sarif_results_are_empty_not_missing_on_a_clean_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "sarif"])));
    assert_eq!(run_of(&log)["results"], serde_json::json!([]));

    fs::write(dir.path().join("compose.yaml"), "services:\n  web:\n    image: nginx:1.27.0\n").expect("write");
    let log = json_of(&stdout(&run_in(
        dir.path(),
        &["check", "--format", "sarif", "--select", "compose/privileged"],
    )));
    assert_eq!(run_of(&log)["results"], serde_json::json!([]));
}

#[test]
fn sarif_keeps_suppressed_findings_as_suppressed() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  agent:\n    image: registry.example.com/agent:2.0.1\n    # andon-ignore: CMP013 -- the agent drives host devices\n    privileged: true\n",
    )
    .expect("write");
    let log = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "sarif"])));
    let suppressed: Vec<Value> = results_of(&log).into_iter().filter(|r| r["ruleId"] == "CMP013").collect();
    assert_eq!(suppressed.len(), 1, "the suppressed finding stays in the log: {log}");
    assert_eq!(
        suppressed[0]["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "the agent drives host devices"}])
    );
    assert!(sarif_schema_errors(&log).is_empty());
    let report = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "gitlab"])));
    assert!(
        report.as_array().into_iter().flatten().all(|i| i["check_name"] != "CMP013"),
        "other formats leave suppressed findings out"
    );

    // The same finding covered by the config instead: a suppression from outside the file.
    fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  agent:\n    image: registry.example.com/agent:2.0.1\n    privileged: true\n",
    )
    .expect("write");
    fs::write(
        dir.path().join(".andon.yaml"),
        "ignore:\n  - {path: compose.yaml, rules: [CMP013], reason: vendored file}\n",
    )
    .expect("write");
    let log = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "sarif"])));
    let suppressed: Vec<Value> = results_of(&log).into_iter().filter(|r| r["ruleId"] == "CMP013").collect();
    assert_eq!(
        suppressed[0]["suppressions"],
        serde_json::json!([{"kind": "external", "justification": "vendored file"}])
    );
}

#[test]
fn sarif_category_sets_automation_details() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "sarif"])));
    assert_eq!(run_of(&log)["automationDetails"]["id"], "andon/");
    let log = json_of(&stdout(&run_in(
        dir.path(),
        &["check", "--format", "sarif", "--sarif-category", "andon/k8s/"],
    )));
    assert_eq!(run_of(&log)["automationDetails"]["id"], "andon/k8s/");
}

#[test]
fn sarif_fingerprints_survive_lines_inserted_above() {
    let dir = secret_dir();
    let fingerprints = |dir: &Path| -> BTreeMap<String, (String, u64)> {
        let log = json_of(&stdout(&run_in(dir, &["check", "--format", "sarif"])));
        results_of(&log)
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["andon/v1"].as_str().unwrap_or_default().to_string(),
                    (
                        r["ruleId"].as_str().unwrap_or_default().to_string(),
                        r["locations"][0]["physicalLocation"]["region"]["startLine"]
                            .as_u64()
                            .unwrap_or_default(),
                    ),
                )
            })
            .collect()
    };
    let before = fingerprints(dir.path());
    assert!(!before.is_empty(), "the folder has findings");
    for name in ["compose.yaml", "k8s/api.yaml", "alertmanager.yml"] {
        let path = dir.path().join(name);
        let text = fs::read_to_string(&path).expect("read");
        fs::write(&path, format!("# one\n# two\n# three\n{text}")).expect("write");
    }
    let after = fingerprints(dir.path());
    assert_eq!(before.len(), after.len(), "same findings, every fingerprint unique");
    for (fp, (rule, line)) in &before {
        let (rule_after, line_after) = after
            .get(fp)
            .unwrap_or_else(|| panic!("fingerprint of {rule} at line {line} changed"));
        assert_eq!(rule, rule_after);
        assert_eq!(line + 3, *line_after, "the result moved with its line");
    }
}

#[test]
fn github_annotates_every_finding_with_escaped_properties() {
    let diags = demo_diagnostics();
    let text = demo("github");
    let mut annotated = 0;
    let mut plain = 0;
    let mut per_level: BTreeMap<&str, usize> = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("::") {
            let (head, message) = rest.split_once("::").expect("`::level props::message`");
            let (level, props) = head.split_once(' ').expect("a level and properties");
            assert!(matches!(level, "error" | "warning" | "notice"), "{line}");
            *per_level.entry(level).or_default() += 1;
            assert!(!message.contains('\r') && !message.is_empty());
            let props: BTreeMap<&str, &str> = props
                .split(',')
                .map(|p| {
                    p.split_once('=')
                        .unwrap_or_else(|| panic!("property without `=` (unescaped `,`?): {line}"))
                })
                .collect();
            if props.get("title") == Some(&"andon") {
                assert!(message.contains("not shown as annotations"), "{line}");
                continue;
            }
            for key in ["file", "line", "col", "endLine", "endColumn", "title"] {
                assert!(props.contains_key(key), "{key} missing: {line}");
            }
            assert!(props["line"].parse::<u32>().is_ok_and(|l| l >= 1));
            assert!(!props["title"].contains(':'), "`:` in a property is escaped: {line}");
            annotated += 1;
        } else if line.contains(": error ") || line.contains(": warning ") || line.contains(": info ") {
            plain += 1;
        }
    }
    assert_eq!(annotated + plain, diags.len(), "every finding is in the log:\n{text}");
    for (level, n) in per_level {
        assert!(n <= 10, "GitHub keeps 10 {level} annotations per step, andon sent {n}");
    }
    assert!(
        text.lines().last().is_some_and(|l| l.starts_with("checked ")),
        "a summary line ends the log"
    );
}

#[test]
fn github_output_writes_a_markdown_summary_and_keeps_annotations_on_stdout() {
    let dir = secret_dir();
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "earlier step\n").expect("write");
    let out = run_in(dir.path(), &["check", "--format", "github", "--output", "summary.md"]);
    assert!(stdout(&out).lines().any(|l| l.starts_with("::error ")), "annotations on stdout");
    let md = fs::read_to_string(&summary).expect("summary written");
    assert!(
        md.starts_with("earlier step\n"),
        "the summary is appended, as $GITHUB_STEP_SUMMARY expects"
    );
    assert!(md.contains("## andon") && md.contains("| severity | rule | place | message |"));
    assert!(!md.contains(SECRET) && !md.contains(K8S_SECRET));
}

#[test]
fn gitlab_is_a_code_quality_report_with_unique_fingerprints() {
    let diags = demo_diagnostics();
    let issues = json_of(&demo("gitlab"));
    let issues = issues.as_array().expect("an array of issues");
    assert_eq!(issues.len(), diags.len());
    let mut fingerprints = BTreeSet::new();
    let mut keys = Vec::new();
    for i in issues {
        for field in ["description", "check_name", "fingerprint"] {
            assert!(i[field].as_str().is_some_and(|s| !s.is_empty()), "{field}: {i}");
        }
        assert!(
            matches!(i["severity"].as_str(), Some("info" | "minor" | "major" | "critical" | "blocker")),
            "{i}"
        );
        assert!(
            fingerprints.insert(i["fingerprint"].as_str().unwrap_or_default().to_string()),
            "duplicate fingerprint: {i}"
        );
        let path = i["location"]["path"].as_str().expect("location.path");
        assert!(!path.starts_with('/') && !path.contains(".."));
        let begin = i["location"]["lines"]["begin"].as_u64().expect("location.lines.begin");
        assert!(begin >= 1);
        keys.push((path.to_string(), begin, i["check_name"].as_str().unwrap_or_default().to_string()));
    }
    keys.sort();
    assert_eq!(keys, json_keys(&diags), "every finding, at its place");
}

#[test]
fn junit_parses_with_a_failure_per_finding() {
    let diags = demo_diagnostics();
    let text = demo("junit");
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("JUnit is not well-formed XML ({e}):\n{text}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("failures"), Some(diags.len().to_string().as_str()));
    let mut keys = Vec::new();
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let name = suite.attribute("name").expect("suite name");
        let cases: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
        assert_eq!(suite.attribute("tests"), Some(cases.len().to_string().as_str()), "suite {name}");
        let failures: Vec<_> = cases
            .iter()
            .flat_map(|c| c.children().filter(|n| n.has_tag_name("failure")).map(move |f| (c, f)))
            .collect();
        assert_eq!(suite.attribute("failures"), Some(failures.len().to_string().as_str()));
        for (case, failure) in failures {
            assert_eq!(case.attribute("file"), Some(name), "one suite per file");
            let line: u64 = case.attribute("line").and_then(|l| l.parse().ok()).expect("line");
            let rule = case
                .attribute("name")
                .and_then(|n| n.split(' ').next())
                .expect("name starts with the rule id");
            assert!(failure.attribute("message").is_some_and(|m| !m.is_empty()));
            assert!(
                failure.text().is_some_and(|t| t.contains(&format!("{name}:{line}:"))),
                "the body names file and line"
            );
            keys.push((name.to_string(), line, rule.to_string()));
        }
    }
    keys.sort();
    assert_eq!(keys, json_keys(&diags));
}

#[test]
fn checkstyle_parses_with_an_error_per_finding() {
    let diags = demo_diagnostics();
    let text = demo("checkstyle");
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("Checkstyle is not well-formed XML ({e}):\n{text}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    let mut keys = Vec::new();
    for file in root.children().filter(|n| n.has_tag_name("file")) {
        let name = file.attribute("name").expect("file name");
        for e in file.children().filter(|n| n.has_tag_name("error")) {
            let line: u64 = e.attribute("line").and_then(|l| l.parse().ok()).expect("line");
            assert!(line >= 1 && e.attribute("column").is_some_and(|c| c.parse::<u64>().is_ok_and(|c| c >= 1)));
            assert!(matches!(e.attribute("severity"), Some("error" | "warning" | "info")));
            assert!(e.attribute("message").is_some_and(|m| !m.is_empty()));
            let rule = e
                .attribute("source")
                .and_then(|s| s.strip_prefix("andon."))
                .expect("source andon.ID");
            keys.push((name.to_string(), line, rule.to_string()));
        }
    }
    keys.sort();
    assert_eq!(keys, json_keys(&diags));
}

#[test]
fn xml_formats_escape_hostile_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A file name and values with every character XML and workflow commands treat specially.
    let sub = dir.path().join("a&b <c>");
    fs::create_dir(&sub).expect("mkdir");
    fs::write(
        sub.join("compose.yaml"),
        "services:\n  \"w<e>b&'\\\"\":\n    image: \"nginx:latest\"\n    privileged: true\n",
    )
    .expect("write");
    for format in ["junit", "checkstyle"] {
        let text = stdout(&run_in(dir.path(), &["check", "--format", format]));
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{format} is not well-formed XML ({e}):\n{text}"));
    }
    let gitlab = stdout(&run_in(dir.path(), &["check", "--format", "gitlab"]));
    json_of(&gitlab);
    let log = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "sarif"])));
    assert!(sarif_schema_errors(&log).is_empty());
    for r in results_of(&log) {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_default();
        assert!(uri.starts_with("a&b%20%3Cc%3E/"), "the uri is percent-encoded: {uri}");
    }
    let github = stdout(&run_in(dir.path(), &["check", "--format", "github"]));
    for line in github.lines().filter(|l| l.starts_with("::")) {
        assert!(line.contains("file=a&b <c>/compose.yaml,"), "{line}");
    }
}

#[test]
fn no_format_shows_a_secret() {
    let dir = secret_dir();
    let report = json_of(&stdout(&run_in(dir.path(), &["check", "--format", "json"])));
    let diags = report["diagnostics"].as_array().cloned().unwrap_or_default();
    // A rule that marks secrets (env/hardcoded-secret, k8s/secret-in-env) reports at least one
    // of the two literal passwords, so the masking below is exercised and not vacuous. Whether
    // or not each is reported, neither may appear in any output.
    let on_line = |path: &str, line: u64| diags.iter().any(|d| d["path"] == path && d["start"]["line"] == line);
    assert!(
        on_line("compose.yaml", 6) || on_line("k8s/api.yaml", 13),
        "a literal password is reported: {diags:?}"
    );
    for format in FORMATS {
        let out = run_in(dir.path(), &["check", "--format", format]);
        let text = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
        for secret in [SECRET, K8S_SECRET, SLACK_SECRET] {
            assert!(!text.contains(secret), "{format} shows the secret {secret}:\n{text}");
            // Not even a long piece of it (the mask keeps at most a 4-character prefix).
            assert!(!text.contains(&secret[..8]), "{format} shows part of {secret}:\n{text}");
        }
        if *format == "sarif" {
            let log = json_of(&stdout(&out));
            let snippets: Vec<String> = results_of(&log)
                .iter()
                .filter_map(|r| {
                    r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]
                        .as_str()
                        .map(str::to_string)
                })
                .collect();
            assert!(
                snippets.iter().any(|s| s.contains("[redacted")),
                "the secret's snippet is masked: {snippets:?}"
            );
        }
    }
}

#[test]
fn output_file_keeps_the_summary_on_stderr() {
    let dir = secret_dir();
    for format in ["sarif", "gitlab", "junit", "checkstyle", "json"] {
        let out = run_in(dir.path(), &["check", "--format", format, "--output", "report.out"]);
        assert!(out.stdout.is_empty(), "{format}: the report goes to the file only");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("checked "), "{format}: summary on stderr: {err}");
        let written = fs::read_to_string(dir.path().join("report.out")).expect("report written");
        assert!(!written.is_empty());
    }
}

#[test]
fn every_format_is_deterministic() {
    for format in FORMATS {
        assert_eq!(demo(format), demo(format), "{format} differs between two runs");
    }
}

/// Secrets a new user's repository holds (issue 23): some a rule reports, some no rule
/// recognises, several on lines that only a `--diff` context or a neighbour's snippet shows.
const REPOSITORY_SECRETS: &[&str] = &[
    "Tr0ub4dor3xyzQ",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "9f8e7d6c5b4a39281706qwzxrt",
    "AKIAQ3EGRT5Z7XWP2KLM",
    "S3cretDbPassw0rd",
    "redisPassw0rdXyz",
    "ghp_Q7wErT9yUiOp3AsDfGh5JkLzXc8VbNm2Lk4J",
    "k8sTokenValue12345",
    "promBasicPassw0rd",
    "promBearerTok3nValue",
    "amBasicPassw0rd",
    "amBearerTok3nValue",
];

fn repository_full_of_secrets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = REPOSITORY_SECRETS;
    let files = [
        (
            "Dockerfile",
            format!(
                "FROM debian:12\nARG DB_PASSWORD={}\nENV STRIPE_SECRET_KEY={}\nRUN apt-get update && apt-get install -y curl\n\
                 RUN curl -H \"Authorization: Bearer {}\" https://api.example.com/hook\nENV AWS_ACCESS_KEY_ID={}\nCMD [\"app\"]\n",
                s[0], s[1], s[2], s[3]
            ),
        ),
        (".env", format!("DATABASE_URL=postgres://app:{}@db:5432/app\nREDIS_PASSWORD={}\n", s[4], s[5])),
        (
            "compose.yaml",
            format!(
                "services:\n  api:\n    image: api:latest\n    command: [\"deploy\", \"--token\", \"{}\"]\n    environment:\n      \
                 REDIS_PASSWORD: {}\n      DATABASE_URL: postgres://app:{}@db:5432/app\n",
                s[6], s[5], s[4]
            ),
        ),
        (
            "k8s/api.yaml",
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        \
                 - name: api\n          image: registry.example.com/api:latest\n          env:\n            - name: API_TOKEN\n              value: {}\n",
                s[7]
            ),
        ),
        (
            "monitoring/prometheus.yml",
            format!(
                "global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: api\n    basic_auth:\n      username: prom\n      password: {}\n    \
                 static_configs:\n      - targets: ['api:9090']\n  - job_name: node\n    bearer_token: {}\n    static_configs:\n      - targets: ['node:9100']\n",
                s[8], s[9]
            ),
        ),
        (
            "monitoring/alertmanager.yml",
            format!(
                "route:\n  receiver: team\nreceivers:\n  - name: team\n    webhook_configs:\n      - url: https://hooks.example.com/x\n        \
                 http_config:\n          basic_auth:\n            username: am\n            password: {}\n          bearer_token: {}\n",
                s[10], s[11]
            ),
        ),
    ];
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    dir
}

#[test]
fn no_output_of_any_kind_shows_a_secret_of_the_repository() {
    let dir = repository_full_of_secrets();
    let mut runs: Vec<Vec<&str>> = FORMATS.iter().map(|f| vec!["check", "--format", f]).collect();
    runs.push(vec!["check", "--format", "human", "--color", "always"]);
    runs.push(vec!["check", "--diff"]);
    runs.push(vec!["check", "--diff", "--unsafe-fixes"]);
    runs.push(vec!["check", "--write-baseline", "baseline.json"]);
    for args in &runs {
        let out = common::run_in(dir.path(), args);
        let mut text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        text.push_str(&fs::read_to_string(dir.path().join("baseline.json")).unwrap_or_default());
        assert!(text.len() > 200, "{args:?} printed a report: {text}");
        // A mask keeps at most a 4-character prefix (`sk_l…`, and rule docs name prefixes
        // such as `sk_live_`): no 8 characters of a secret past its fourth may appear.
        for secret in REPOSITORY_SECRETS {
            for at in 4..=secret.len() - 8 {
                assert!(!text.contains(&secret[at..at + 8]), "{args:?} shows {secret}:\n{text}");
            }
        }
    }
}

/// `--format concise`: one `path:line:column: severity ID message` line per finding, the JSON
/// report's findings exactly, then the summary.
#[test]
fn concise_is_one_line_per_finding() {
    let text = demo("concise");
    let (summary, lines) = text
        .trim_end()
        .lines()
        .collect::<Vec<_>>()
        .split_last()
        .map(|(s, l)| (s.to_string(), l.to_vec()))
        .expect("lines");
    assert!(summary.starts_with("checked "), "{summary}");
    let mut keys: Vec<(String, u64, String)> = lines
        .iter()
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let path = parts.next().unwrap_or_default().to_string();
            let line = parts.next().and_then(|n| n.parse().ok()).unwrap_or_default();
            let rest = parts.nth(1).unwrap_or_default();
            let id = rest.split_whitespace().nth(1).unwrap_or_default().to_string();
            (path, line, id)
        })
        .collect();
    keys.sort();
    assert_eq!(keys, json_keys(&demo_diagnostics()));
}
