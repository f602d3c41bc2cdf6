//! The fixture harness: every `fixtures/<kind>/<rule-name>/fail*` and `pass*` (a file, or a
//! folder holding a small repository) is checked with only its rule on. Failing cases must
//! report, passing cases must not; the rendered findings are snapshots. For a fix, the fixed
//! text is a snapshot too, the rule is silent on it, and fixing again changes nothing.

use andon::config::Config;
use andon::engine::{Finding, RuleSet};
use andon::fix;
use andon::load::{check_paths, LoadOptions, DEFAULT_MAX_FILE_SIZE};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The case's rule, plus andon's own rules that judge suppressions (so that an unused-ignore
/// fixture can name a rule that really ran). Only the case's rule's findings are looked at.
/// A case folder may carry its own `.andon.yaml` (schemas, options) as a real repository would.
fn rules_for(name: &str, case: &Path) -> RuleSet {
    let config = match case.join(".andon.yaml") {
        p if p.is_file() => andon::config::load(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
        _ => Config::default(),
    };
    let select = [name.to_string(), "andon/parse-error".to_string()];
    let mut rules = RuleSet::build(&select, &[], &config).unwrap_or_else(|e| panic!("{name}: {e}"));
    rules.enabled.retain(|e| e.meta.name == name || e.meta.name == "andon/parse-error");
    rules
}

fn check(case: &Path, base: &Path, rules: &RuleSet) -> (Vec<Finding>, Vec<andon::model::File>) {
    // Production-only rules judge every case: a fixture's name (`pass-dev-variant.yml`) says
    // what it tests, not whether it ships.
    let mut opts = LoadOptions::new(DEFAULT_MAX_FILE_SIZE, Config::default());
    opts.all_production = true;
    let checked = check_paths(&[case.to_path_buf()], base, rules, &mut opts).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
    (checked.findings, checked.files)
}

fn render(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let d = &f.diag;
        let _ = writeln!(
            out,
            "{}:{}:{}-{}:{} {} {} [{}] {}",
            d.path,
            f.start.line,
            f.start.column,
            f.end.line,
            f.end.column,
            f.meta.id,
            f.meta.name,
            d.severity.as_str(),
            d.message
        );
        if let Some(h) = &d.help {
            let _ = writeln!(out, "  help: {h}");
        }
        for l in &d.labels {
            let _ = writeln!(out, "  label {}..{}: {}", l.span.start, l.span.end, l.message);
        }
        if let Some(fx) = &d.fix {
            let _ = writeln!(out, "  fix ({:?}): {}", fx.applicability, fx.description);
        }
    }
    out
}

/// Applies every fix of `findings` to the files they name; returns (path, fixed text) pairs.
fn apply_fixes(findings: &[Finding], files: &[andon::model::File]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in files {
        let edits: Vec<_> = findings
            .iter()
            .filter(|f| f.diag.path == file.path())
            .filter_map(|f| f.diag.fix.as_ref())
            .flat_map(|fx| fx.edits.clone())
            .collect();
        if !edits.is_empty() {
            let (fixed, _) = fix::apply_in_file(file.text(), &edits);
            out.push((file.path().to_string(), fixed));
        }
    }
    out
}

#[test]
fn every_fixture() {
    let fixtures = root().join("fixtures");
    let mut failures = Vec::new();
    let mut cases = 0;
    let Ok(kinds) = fs::read_dir(&fixtures) else {
        panic!("no fixtures folder")
    };
    let mut kinds: Vec<_> = kinds.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    kinds.sort();
    for kind in kinds {
        let mut rules: Vec<_> = fs::read_dir(&kind)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        rules.sort();
        for rule_dir in rules {
            let name = format!(
                "{}/{}",
                kind.file_name().unwrap_or_default().to_string_lossy(),
                rule_dir.file_name().unwrap_or_default().to_string_lossy()
            );
            let mut entries: Vec<_> = fs::read_dir(&rule_dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
            entries.sort();
            for case in entries {
                let case_name = case.file_name().unwrap_or_default().to_string_lossy().into_owned();
                let failing = case_name.starts_with("fail");
                if !failing && !case_name.starts_with("pass") {
                    continue;
                }
                cases += 1;
                let rules = rules_for(&name, &case);
                let (findings, files) = check(&case, &rule_dir, &rules);
                let mine: Vec<Finding> = findings.into_iter().filter(|f| f.meta.name == name).collect();
                if failing && mine.is_empty() {
                    failures.push(format!("{name}/{case_name}: expected findings, got none"));
                }
                if !failing && !mine.is_empty() {
                    failures.push(format!("{name}/{case_name}: expected no findings, got:\n{}", render(&mine)));
                }
                let mut snapshot = render(&mine);
                for (path, fixed) in apply_fixes(&mine, &files) {
                    let _ = write!(snapshot, "\n--- fixed {path}\n{fixed}");
                    // Re-lint the fixed text in a scratch copy of the case.
                    let scratch = tempfile::tempdir().expect("temp dir");
                    let copy = scratch.path().join(&case_name);
                    copy_case(&case, &copy);
                    let target = if case.is_dir() { scratch.path().join(&path) } else { copy.clone() };
                    fs::write(&target, &fixed).expect("write fixed");
                    let (again, files_again) = check(&copy, scratch.path(), &rules);
                    let fixable_again: Vec<_> = again.iter().filter(|f| f.meta.name == name && f.diag.fix.is_some()).collect();
                    if !fixable_again.is_empty() {
                        failures.push(format!(
                            "{name}/{case_name}: after the fix the rule still reports a fixable finding:\n{}",
                            render(&again)
                        ));
                    }
                    for (p, twice) in apply_fixes(&again, &files_again) {
                        if twice != fixed {
                            failures.push(format!("{name}/{case_name}: fixing {p} a second time changed it"));
                        }
                    }
                }
                insta::with_settings!({snapshot_path => root().join("tests/snapshots/fixtures"), prepend_module_to_snapshot => false}, {
                    insta::assert_snapshot!(format!("{}__{}", name.replace('/', "__"), case_name), snapshot);
                });
            }
        }
    }
    assert!(cases > 0, "no fixture cases found");
    assert!(failures.is_empty(), "{} fixture failures:\n{}", failures.len(), failures.join("\n"));
}

fn copy_case(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).expect("mkdir");
        for e in fs::read_dir(from).expect("read_dir").flatten() {
            copy_case(&e.path(), &to.join(e.file_name()));
        }
    } else {
        fs::copy(from, to).expect("copy");
    }
}
