use crate::model::compose::ComposeFile;
use crate::model::k8s::Manifests;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::source::Span;

/// Prometheus keeps 15 days of TSDB by default and never limits it by size: a busy server, or
/// a disk shared with other containers, fills up before the 15 days roll over.
pub struct NoRetentionLimit;

/// The prefix of the flags that bound the TSDB: `.size`, `.time`, and `--storage.tsdb.retention`
/// itself, the old name of `.time`.
const RETENTION_FLAG: &str = "--storage.tsdb.retention";

impl Rule for NoRetentionLimit {
    fn name(&self) -> &'static str {
        "prometheus/no-retention-limit"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        if let Some(compose) = file.model::<ComposeFile>() {
            for s in &compose.services {
                let Some(image) = s.image.as_ref().or(s.inherited_image.as_ref()) else {
                    continue;
                };
                if !is_prometheus_image(&image.value) {
                    continue;
                }
                let words = s.command.iter().chain(&s.entrypoint).flat_map(|c| &c.value);
                if words.clone().any(|w| sets_retention(w)) {
                    continue;
                }
                let place = match &s.command {
                    Some(c) => command_key(file, &s.name, c.span).unwrap_or(c.span),
                    None => image.span,
                };
                report(out, place, &format!("service `{}`", s.name), s.command.is_some());
            }
        }
        // Prometheus Operator `Prometheus` objects (monitoring.coreos.com/v1) are left alone on
        // purpose: with neither `spec.retention` nor `spec.retentionSize` the Operator passes
        // `--storage.tsdb.retention.time=24h` (its API reference: "Default is '24h' if
        // retentionSize is not set"), a bound, and either field set is a chosen bound, which this
        // rule accepts for containers too. Such objects have no pod template, so they never
        // reach the loop below.
        if let Some(manifests) = file.model::<Manifests>() {
            for object in &manifests.objects {
                let Some(pod) = &object.pod else { continue };
                for c in &pod.containers {
                    let Some(image) = &c.image else { continue };
                    if !image.as_str().is_some_and(is_prometheus_image) {
                        continue;
                    }
                    let keys = ["args", "command"].map(|k| c.node.entry(k));
                    let words = keys.iter().flatten().flat_map(|e| scalars(&e.value));
                    if words.into_iter().any(sets_retention) {
                        continue;
                    }
                    let set = keys.iter().flatten().next();
                    let place = set.map(|e| e.key.span).unwrap_or(image.span);
                    let name = c.name.as_deref().unwrap_or("prometheus");
                    report(out, place, &format!("container `{name}` of {}", object.describe()), set.is_some());
                }
            }
        }
    }
}

fn report(out: &mut Sink, place: Span, what: &str, has_args: bool) {
    let why = if has_args {
        "its arguments set no `--storage.tsdb.retention.size` or `.time`"
    } else {
        "it runs with the image's default arguments"
    };
    out.report(place, format!("Prometheus {what} keeps its TSDB without a size limit: {why}"))
        .help("add `--storage.tsdb.retention.size=` below the volume's size (e.g. 80 % of it) and an explicit `--storage.tsdb.retention.time=`; the default is 15d, with no size bound");
}

/// Prometheus's own image (`prom/prometheus`, `quay.io/prometheus/prometheus`, on any
/// registry mirror), not its exporters nor other distributions' builds.
fn is_prometheus_image(image: &str) -> bool {
    let image = image.to_ascii_lowercase();
    let repo = image.split('@').next().unwrap_or(&image);
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    repo == "prom/prometheus" || repo.ends_with("/prom/prometheus") || repo.ends_with("quay.io/prometheus/prometheus")
}

fn sets_retention(word: &str) -> bool {
    word.contains(RETENTION_FLAG)
}

/// The `command:` key of the Compose service `service` whose value is at `value`.
fn command_key(file: &File, service: &str, value: Span) -> Option<Span> {
    file.tree()?.docs.iter().find_map(|doc| {
        let services = doc.get(doc.root.as_ref()?, "services")?;
        let entry = doc.entries(services).into_iter().find(|e| e.key.as_str() == Some(service))?;
        let command = doc.entries(&entry.value).into_iter().find(|e| e.key.as_str() == Some("command"))?;
        (command.value.span == value).then_some(command.key.span)
    })
}

/// The strings of a scalar or a sequence of scalars.
fn scalars(node: &crate::syntax::tree::Node) -> Vec<&str> {
    match node.as_seq() {
        Some(items) => items.iter().filter_map(|n| n.as_str()).collect(),
        None => node.as_str().into_iter().collect(),
    }
}
