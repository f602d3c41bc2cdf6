use super::rule_file;
use crate::model::prometheus::Group;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Prometheus refuses a rule file in which two groups share a name.
pub struct DuplicateGroupName;

impl Rule for DuplicateGroupName {
    fn name(&self) -> &'static str {
        "prometheus/duplicate-group-name"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(rf) = rule_file(file) else { return };
        for (first, dup) in duplicates(&rf.groups) {
            let (Some(name), Some(earlier)) = (&dup.name, &first.name) else {
                continue;
            };
            out.report(name.span, format!("group `{}` is defined twice in this file", name.value))
                .label(earlier.span, "first defined here")
                .help(
                    "rename one group or merge their rules; Prometheus refuses the file (`groupname: \"…\" is repeated in the same file`)",
                );
        }
    }
}

/// Each group whose name an earlier group of the same document already has, with that group.
fn duplicates(groups: &[Group]) -> Vec<(&Group, &Group)> {
    let mut out = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let Some(name) = &g.name else { continue };
        let first = groups[..i]
            .iter()
            .find(|e| e.doc == g.doc && e.name.as_ref().is_some_and(|n| n.value == name.value));
        if let Some(first) = first {
            out.push((first, g));
        }
    }
    out
}
