use super::{prom_config, rule_file, same_deployment, Loader};
use crate::kind::FileKind;
use crate::rules::{Project, Rule, Sink};

/// A rule file that no prometheus.yml of the repository names in `rule_files` is never
/// evaluated: its alerts look like coverage in review and never fire.
pub struct RuleFileNotLoaded;

impl Rule for RuleFileNotLoaded {
    fn name(&self) -> &'static str {
        "prometheus/rule-file-not-loaded"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        // PrometheusRule objects are loaded by the operator, not by rule_files.
        let rule_files: Vec<_> = project.files.iter().filter(|f| f.kind == FileKind::PrometheusRules).collect();
        // Per config: its entries, each compiled once, and whether any names a rule file of
        // the repository. O(configs × entries × rule files) glob matches in all.
        let configs: Vec<_> = project
            .files
            .iter()
            .filter_map(|f| {
                let c = prom_config(f)?;
                let loaders: Vec<Loader> = c.rule_files.iter().map(|e| Loader::new(&e.value)).collect();
                let names_some = loaders.iter().any(|l| rule_files.iter().any(|r| l.loads(r.path())));
                Some((f.path(), c, loaders, names_some))
            })
            .collect();
        for file in &rule_files {
            let deployment: Vec<_> = configs.iter().filter(|(path, ..)| same_deployment(path, file.path())).collect();
            // Only when some entry names a rule file of the repository do entries and file
            // names speak of the same files; entries that match nothing, and configs without
            // entries, are reported by alerting-not-wired.
            if !deployment.iter().any(|(.., names_some)| *names_some) {
                continue;
            }
            if deployment
                .iter()
                .any(|(_, _, loaders, _)| loaders.iter().any(|l| l.loads(file.path())))
            {
                continue;
            }
            let entries: Vec<&str> = deployment
                .iter()
                .flat_map(|(_, c, ..)| &c.rule_files)
                .map(|e| e.value.as_str())
                .collect();
            let Some(place) = rule_file(file).and_then(|rf| rf.groups_key) else {
                continue;
            };
            let shown: Vec<String> = entries.iter().take(3).map(|e| format!("`{e}`")).collect();
            out.report_in(
                file.path(),
                place,
                format!(
                    "no prometheus.yml of the repository loads this rule file (rule_files: {}{})",
                    shown.join(", "),
                    if entries.len() > 3 { ", …" } else { "" }
                ),
            )
            .help("add the file (or a glob matching it) to `rule_files` in prometheus.yml, or delete it if it is obsolete");
        }
    }
}
