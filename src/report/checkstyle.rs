//! `--format checkstyle`: Checkstyle XML, the format Jenkins' warnings plugin, reviewdog,
//! SonarQube imports and many CI dashboards read. Every checked file is listed, clean or not.

use super::{checked_paths, xml_escape, ReportInput};
use crate::diagnostic::Severity;

pub fn render(input: &ReportInput) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for path in checked_paths(input) {
        let findings: Vec<_> = input.findings.iter().filter(|f| f.diag.path == path).collect();
        if findings.is_empty() {
            out.push_str(&format!("  <file name=\"{}\"/>\n", xml_escape(path)));
            continue;
        }
        out.push_str(&format!("  <file name=\"{}\">\n", xml_escape(path)));
        for f in findings {
            let severity = match f.diag.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"andon.{}\"/>\n",
                f.start.line.max(1),
                f.start.column.max(1),
                xml_escape(&input.scrub(f, &format!("{} ({} {})", f.diag.message, f.meta.id, f.meta.name))),
                xml_escape(&f.meta.id),
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
