//! `--format junit`: JUnit XML, which GitLab's test report, Jenkins, Azure DevOps and most CI
//! dashboards read.
//!
//! One testsuite per checked file, one failing testcase per finding. Per file rather than per
//! rule: a file is where the fix is made and what a merge request changes; a clean file becomes
//! a passing suite, so the pass count means something; and a suite per rule would list every
//! enabled rule, nearly all of them empty, and scatter one file's problems over many suites.

use super::{checked_paths, xml_escape, ReportInput};
use crate::engine::Finding;

pub fn render(input: &ReportInput) -> String {
    let paths = checked_paths(input);
    let mut suites = String::new();
    let mut tests = 0;
    for path in &paths {
        let findings: Vec<&Finding> = input.findings.iter().filter(|f| f.diag.path == *path).collect();
        let n = findings.len().max(1);
        tests += n;
        suites.push_str(&format!(
            "  <testsuite name=\"{p}\" tests=\"{n}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
            findings.len(),
            p = xml_escape(path),
        ));
        if findings.is_empty() {
            suites.push_str(&format!(
                "    <testcase name=\"no findings\" classname=\"{p}\" file=\"{p}\"/>\n",
                p = xml_escape(path)
            ));
        }
        for f in findings {
            suites.push_str(&testcase(input, f));
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"andon\" tests=\"{tests}\" failures=\"{}\" errors=\"0\">\n{suites}</testsuites>\n",
        input.findings.len()
    )
}

fn testcase(input: &ReportInput, f: &Finding) -> String {
    let d = &f.diag;
    let mut body = format!(
        "{}:{}:{}: {} {} {}: {}",
        d.path,
        f.start.line,
        f.start.column,
        d.severity.as_str(),
        f.meta.id,
        f.meta.name,
        d.message
    );
    if let Some(help) = d.help.as_deref().filter(|h| !h.trim().is_empty()) {
        body.push_str(&format!("\nhelp: {}", help.trim()));
    }
    body.push_str(&format!("\ndocs: {}", f.meta.docs_url()));
    format!(
        "    <testcase name=\"{id} {name} at {line}:{col}\" classname=\"{p}\" file=\"{p}\" line=\"{line}\">\n      <failure message=\"{msg}\" type=\"{sev}\">{body}</failure>\n    </testcase>\n",
        id = xml_escape(&f.meta.id),
        name = xml_escape(&f.meta.name),
        line = f.start.line,
        col = f.start.column,
        p = xml_escape(&d.path),
        msg = xml_escape(&input.scrub(f, &d.message)),
        sev = d.severity.as_str(),
        body = xml_escape(&input.scrub(f, &body)),
    )
}
