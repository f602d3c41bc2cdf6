//! Rules for Kubernetes manifests, and the walkers and fix helpers they share.

mod autoscaler_cannot_scale;
mod bare_pod;
mod capabilities_not_dropped;
mod cluster_admin_binding;
mod dangerous_capabilities;
mod default_service_account;
mod deprecated_api_version;
mod exposed_service_type;
mod host_namespace;
mod host_path_volume;
mod host_port;
mod ingress_without_tls;
mod liveness_probe_timing;
mod low_user_id;
mod missing_autoscaler;
mod missing_cpu_limits;
mod missing_disruption_budget;
mod missing_liveness_probe;
mod missing_memory_limits;
mod missing_network_policy;
mod missing_prestop_hook;
mod missing_readiness_probe;
mod missing_startup_probe;
mod no_tracing_env;
mod privilege_escalation_allowed;
mod privileged_container;
mod probe_cannot_fail;
mod probe_port_not_declared;
mod rbac_wildcard;
mod readiness_same_as_liveness;
mod replicas_beside_autoscaler;
mod replicas_not_spread;
mod replicas_share_volume;
mod run_as_root_allowed;
mod schema_violation;
mod secret_in_env;
mod service_port_not_declared;
mod service_selects_nothing;
mod short_grace_period;
mod targets_nothing;
mod too_few_replicas;
mod unbounded_ephemeral_storage;
mod unbounded_rollout;
mod unconfined_seccomp;
mod undefined_ingress_backend;
mod undefined_reference;
mod unpinned_image;
mod volume_claim_without_storage_class;
mod writable_root_filesystem;

use super::{Rule, Sink};
use crate::diagnostic::{Edit, Fix};
use crate::model::k8s::{quantity, Container, ContainerKind, Manifests, Object, PodSpec};
use crate::model::{File, ReadError};
use crate::rules::Project;
use crate::source::Span;
use crate::syntax::tree::{Entry, Node, NodeKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &autoscaler_cannot_scale::AutoscalerCannotScale,
        &bare_pod::BarePod,
        &capabilities_not_dropped::CapabilitiesNotDropped,
        &cluster_admin_binding::ClusterAdminBinding,
        &dangerous_capabilities::DangerousCapabilities,
        &default_service_account::DefaultServiceAccount,
        &deprecated_api_version::DeprecatedApiVersion,
        &exposed_service_type::ExposedServiceType,
        &host_namespace::HostNamespace,
        &host_path_volume::HostPathVolume,
        &host_port::HostPort,
        &ingress_without_tls::IngressWithoutTls,
        &liveness_probe_timing::LivenessProbeTiming,
        &low_user_id::LowUserId,
        &missing_autoscaler::MissingAutoscaler,
        &missing_cpu_limits::MissingCpuLimits,
        &missing_disruption_budget::MissingDisruptionBudget,
        &missing_liveness_probe::MissingLivenessProbe,
        &missing_memory_limits::MissingMemoryLimits,
        &missing_network_policy::MissingNetworkPolicy,
        &missing_prestop_hook::MissingPrestopHook,
        &missing_readiness_probe::MissingReadinessProbe,
        &missing_startup_probe::MissingStartupProbe,
        &no_tracing_env::NoTracingEnv,
        &privilege_escalation_allowed::PrivilegeEscalationAllowed,
        &privileged_container::PrivilegedContainer,
        &probe_cannot_fail::ProbeCannotFail,
        &probe_port_not_declared::ProbePortNotDeclared,
        &rbac_wildcard::RbacWildcard,
        &readiness_same_as_liveness::ReadinessSameAsLiveness,
        &replicas_beside_autoscaler::ReplicasBesideAutoscaler,
        &replicas_not_spread::ReplicasNotSpread,
        &replicas_share_volume::ReplicasShareVolume,
        &run_as_root_allowed::RunAsRootAllowed,
        &schema_violation::SchemaViolation,
        &secret_in_env::SecretInEnv,
        &service_port_not_declared::ServicePortNotDeclared,
        &service_selects_nothing::ServiceSelectsNothing,
        &short_grace_period::ShortGracePeriod,
        &targets_nothing::TargetsNothing,
        &too_few_replicas::TooFewReplicas,
        &unbounded_ephemeral_storage::UnboundedEphemeralStorage,
        &unbounded_rollout::UnboundedRollout,
        &unconfined_seccomp::UnconfinedSeccomp,
        &undefined_ingress_backend::UndefinedIngressBackend,
        &undefined_reference::UndefinedReference,
        &unpinned_image::UnpinnedImage,
        &volume_claim_without_storage_class::VolumeClaimWithoutStorageClass,
        &writable_root_filesystem::WritableRootFilesystem,
    ]
}

/// The Kubernetes objects of `file`, or `None` for other kinds. Rules that look at objects
/// directly take [`Manifests::whole`] unless they judge only values that are written.
pub fn manifests(file: &File) -> Option<Arc<Manifests>> {
    file.model::<Manifests>()
}

/// Which objects a walker visits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Whole objects: for rules about what is missing, which a patch leaves out on purpose.
    Whole,
    /// Patches and fragments too: for rules about a value that is written and wrong.
    Written,
}

/// Calls `f` with every container of every pod-bearing object of `file` in `scope`.
pub fn for_each_container(file: &File, scope: Scope, mut f: impl FnMut(&Object, &PodSpec, &Container)) {
    for_each_pod(file, scope, |obj, pod| {
        for c in &pod.containers {
            f(obj, pod, c);
        }
    });
}

/// Calls `f` with every pod-bearing object of `file` in `scope` and its pod spec.
pub fn for_each_pod(file: &File, scope: Scope, mut f: impl FnMut(&Object, &PodSpec)) {
    let Some(m) = manifests(file) else { return };
    for obj in m.objects.iter() {
        if obj.partial && scope == Scope::Whole {
            continue;
        }
        if let Some(pod) = &obj.pod {
            f(obj, pod);
        }
    }
}

/// Reports containers whose `resource` (`cpu`, `memory`) has no limit, or a limit below its
/// request. A request alone is not enough; a limit alone is (the request defaults to it).
pub fn check_resource(file: &File, out: &mut Sink, resource: &str, label: &str) {
    for_each_container(file, Scope::Whole, |_, _, c| {
        if c.kind == ContainerKind::Ephemeral {
            return; // ephemeral containers may not set resources
        }
        let Some(resources) = &c.resources else {
            out.report(c.at, format!("{} sets no {label} request or limit", c.describe()))
                .help(format!(
                    "add resources.requests.{resource} and resources.limits.{resource}: without them the pod can starve its neighbours and the scheduler cannot place it well"
                ));
            return;
        };
        let request = resources.value.get_path(&["requests", resource]);
        match resources.value.get_path(&["limits", resource]).filter(|n| !n.is_null()) {
            None => {
                out.report(resources.key.span, format!("{} has no {label} limit", c.describe()))
                    .help(format!(
                        "add resources.limits.{resource} (at least the request) so that one container cannot take the whole node"
                    ));
            }
            Some(limit) => {
                if let (Some(l), Some(r)) = (quantity(limit), request.and_then(quantity)) {
                    if l < r {
                        out.report(limit.span, format!("{} has a {label} limit below its request", c.describe()))
                            .help("the API server rejects a limit below the request: raise the limit or lower the request");
                    }
                }
            }
        }
    });
}

/// Reports long-running regular containers that lack the probe `field` (`livenessProbe`, …);
/// Jobs and CronJobs run to completion and are not probed.
pub fn check_probe_present(file: &File, out: &mut Sink, field: &str, pick: fn(&Container) -> Option<&Entry>, help: &str) {
    for_each_pod(file, Scope::Whole, |obj, pod| {
        if obj.runs_to_completion() {
            return;
        }
        for c in pod.regular() {
            if pick(c).is_none() {
                out.report(c.at, format!("{} has no {field}", c.describe())).help(help);
            }
        }
    });
}

/// A boolean that each container's own securityContext should set to `wanted` (the pod-level
/// securityContext has no such field).
pub struct ContainerFlag {
    pub key: &'static str,
    pub wanted: bool,
    pub help: &'static str,
}

/// Reports containers (init containers included) whose securityContext does not set `flag`, at
/// the wrong value when one is given, else at the container's name; the fix sets it (unsafe:
/// the workload may rely on the permission).
pub fn check_container_flag(file: &File, out: &mut Sink, flag: &ContainerFlag) {
    let wanted = if flag.wanted { "true" } else { "false" };
    for_each_container(file, Scope::Whole, |obj, _, c| {
        if c.kind == ContainerKind::Ephemeral {
            return;
        }
        let value = c.security(flag.key).filter(|n| !n.is_null());
        if value.and_then(Node::as_bool) == Some(flag.wanted) {
            return;
        }
        let (span, message) = match value {
            Some(v) => (v.span, format!("{} sets {}: {}", c.describe(), flag.key, v.as_str().unwrap_or("…"))),
            None => (c.at, format!("{} does not set {}: {wanted}", c.describe(), flag.key)),
        };
        let fix = (!obj.shared_spans)
            .then(|| set_path(file.text(), &c.node, &["securityContext", flag.key], wanted))
            .flatten()
            .map(|edit| Fix::unsafe_(format!("set {}: {wanted}", flag.key), vec![edit]));
        out.report(span, message).help(flag.help).fix_opt(fix);
    });
}

/// The replica count of a replicated workload and the `replicas` value when it is written
/// (absent means 1); `None` for other objects.
pub fn replicas(obj: &Object) -> Option<(i64, Option<&Node>)> {
    if !obj.is_replicated() {
        return None;
    }
    match obj.spec().and_then(|s| s.get("replicas")) {
        Some(n) => Some((n.as_i64()?, Some(n))),
        None => Some((1, None)),
    }
}

/// Whether a label selector (`matchLabels` / `matchExpressions`, or a plain map as Services
/// write it) selects `labels`. An empty selector selects everything.
pub fn selects(selector: &Node, labels: &BTreeMap<String, String>) -> bool {
    let Some(entries) = selector.as_map() else {
        return false;
    };
    let structured = selector.get("matchLabels").is_some() || selector.get("matchExpressions").is_some();
    if !structured {
        return entries.iter().all(|e| label_is(labels, &e.key, &e.value));
    }
    let plain = selector.get("matchLabels").and_then(Node::as_map).unwrap_or_default();
    if !plain.iter().all(|e| label_is(labels, &e.key, &e.value)) {
        return false;
    }
    let expressions = selector.get("matchExpressions").and_then(Node::as_seq).unwrap_or_default();
    expressions.iter().all(|x| {
        let key = x.get("key").and_then(Node::as_str).unwrap_or("");
        let values: Vec<&str> = x
            .get("values")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let have = labels.get(key).map(String::as_str);
        match x.get("operator").and_then(Node::as_str) {
            Some("In") => have.is_some_and(|v| values.contains(&v)),
            Some("NotIn") => !have.is_some_and(|v| values.contains(&v)),
            Some("Exists") => have.is_some(),
            Some("DoesNotExist") => have.is_none(),
            _ => false,
        }
    })
}

/// Whether a workload runs a Kubernetes controller or operator: it takes part in leader
/// election (`--leader-elect`, `--enable-leader-election`) or carries kubebuilder's
/// `control-plane: controller-manager` label. A controller reconciles against the API server:
/// it holds no client connections to drain.
pub fn runs_a_controller(obj: &Object, pod: &PodSpec) -> bool {
    let scaffold = |labels: &BTreeMap<String, String>| labels.get("control-plane").is_some_and(|v| v == "controller-manager");
    scaffold(&obj.labels)
        || scaffold(&pod.labels)
        || pod.regular().any(|c| {
            ["command", "args"].iter().any(|k| {
                c.node
                    .get(k)
                    .and_then(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .any(|a| a.as_str().is_some_and(|a| a.starts_with("--") && a.contains("leader-elect")))
            })
        })
}

fn label_is(labels: &BTreeMap<String, String>, key: &Node, value: &Node) -> bool {
    match (key.as_str(), value.as_str()) {
        (Some(k), Some(v)) => labels.get(k).map(String::as_str) == Some(v),
        _ => false,
    }
}

/// Every object of the project with the path of its file, in path order, indexed once by
/// what the cross-object rules look up (kind, name, namespace, autoscaling target): each lookup
/// is O(matches), so a rule that pairs every workload with its Services, budgets and
/// autoscalers is O(objects), not O(objects²).
pub struct ProjectObjects {
    files: Vec<(String, Arc<Manifests>)>,
    /// (file, object) positions, in path order, by key.
    by_kind: HashMap<String, Vec<(usize, usize)>>,
    by_name: HashMap<String, Vec<(usize, usize)>>,
    by_namespace: HashMap<String, Vec<(usize, usize)>>,
    /// Autoscalers by (namespace, `scaleTargetRef.name`).
    by_scale_target: HashMap<(String, String), Vec<(usize, usize)>>,
}

impl ProjectObjects {
    pub fn new(files: &[File]) -> ProjectObjects {
        let mut files: Vec<(String, Arc<Manifests>)> = files.iter().filter_map(|f| Some((f.path().to_string(), manifests(f)?))).collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut objects = ProjectObjects {
            files,
            by_kind: HashMap::new(),
            by_name: HashMap::new(),
            by_namespace: HashMap::new(),
            by_scale_target: HashMap::new(),
        };
        for (fi, (_, m)) in objects.files.iter().enumerate() {
            for (oi, o) in m.objects.iter().enumerate() {
                let at = (fi, oi);
                objects.by_kind.entry(o.kind.clone()).or_default().push(at);
                objects.by_namespace.entry(o.namespace.clone()).or_default().push(at);
                if let Some(name) = &o.name {
                    objects.by_name.entry(name.clone()).or_default().push(at);
                }
                if let Some(target) = o
                    .spec()
                    .and_then(|s| s.get("scaleTargetRef"))
                    .and_then(|r| r.get("name"))
                    .and_then(Node::as_str)
                {
                    objects
                        .by_scale_target
                        .entry((o.namespace.clone(), target.to_string()))
                        .or_default()
                        .push(at);
                }
            }
        }
        objects
    }

    fn at(&self, (fi, oi): (usize, usize)) -> &Object {
        &self.files[fi].1.objects[oi]
    }

    fn lookup<'a>(&'a self, index: Option<&'a Vec<(usize, usize)>>) -> impl Iterator<Item = &'a Object> + 'a {
        index.into_iter().flatten().map(|&at| self.at(at))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Object)> {
        self.files.iter().flat_map(|(p, m)| m.objects.iter().map(move |o| (p.as_str(), o)))
    }

    /// The whole objects, without Kustomize patches and fragments: what a rule may judge for
    /// something missing (a patch leaves out all it does not change).
    pub fn whole(&self) -> impl Iterator<Item = (&str, &Object)> {
        self.iter().filter(|(_, o)| !o.partial)
    }

    /// Every object in `namespace`.
    pub fn in_namespace<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        self.lookup(self.by_namespace.get(namespace))
    }

    /// Objects of built-in `kind` in `namespace`.
    pub fn of_kind<'a>(&'a self, kind: &'a str, namespace: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        self.lookup(self.by_kind.get(kind)).filter(move |o| o.namespace == namespace)
    }

    /// The objects of built-in `kind` named `name` that may share `referrer`'s namespace (several
    /// when unrelated folders reuse a name).
    pub fn named<'a>(&'a self, kind: &'a str, name: &'a str, referrer: &'a Object) -> impl Iterator<Item = &'a Object> + 'a {
        self.lookup(self.by_name.get(name))
            .filter(move |o| o.is(kind) && may_share_namespace(o, referrer))
    }

    /// Whether the project defines any object of built-in `kind` that may share `referrer`'s
    /// namespace: only then is a reference to one it does not define suspicious.
    pub fn defines_any(&self, kind: &str, referrer: &Object) -> bool {
        self.lookup(self.by_kind.get(kind))
            .any(|o| o.is(kind) && may_share_namespace(o, referrer))
    }

    /// The HorizontalPodAutoscaler (or other autoscaler with a `scaleTargetRef`, such as a KEDA
    /// ScaledObject) that scales `obj`.
    pub fn autoscaler_of(&self, obj: &Object) -> Option<&Object> {
        let name = obj.name.as_deref()?;
        self.by_scale_target
            .get(&(obj.namespace.clone(), name.to_string()))
            .into_iter()
            .flatten()
            .map(|&at| self.at(at))
            .find(|o| {
                o.spec()
                    .and_then(|s| s.get_path(&["scaleTargetRef", "kind"]))
                    .and_then(Node::as_str)
                    .is_none_or(|k| k == obj.kind)
            })
    }
}

/// Whether two objects may end up in one namespace: the same one, or either names none (and is
/// applied wherever `kubectl -n`, Kustomize or Helm puts it).
pub fn may_share_namespace(a: &Object, b: &Object) -> bool {
    let written = |o: &Object| {
        o.node
            .get_path(&["metadata", "namespace"])
            .and_then(Node::as_str)
            .is_some_and(|n| !n.is_empty())
    };
    !written(a) || !written(b) || a.namespace == b.namespace
}

/// The Helm charts of the repository (folders with a `Chart.yaml`) and the kinds their templates
/// may define. Objects a chart renders are unknown by name (`{{ include "app.fullname" . }}`),
/// so a cross-object rule cannot say a name is missing when a chart may define objects of that
/// kind. What is sound without turning the whole repository blind:
/// - a referrer inside a chart's folder (its `crds/`, plain files beside the templates) is never
///   judged: it is installed with the chart's templates and may point at any of them;
/// - a referrer in a plain manifest is judged unless some chart may define the kind it points
///   at. A chart may define a kind that one of its templates names on a literal `kind:` line;
///   it may define any kind when a template names none (a library chart's `include`), names it
///   with template syntax, could not be read, or when the chart has dependencies (subcharts,
///   `dependencies:` in `Chart.yaml`, a Helm 2 `requirements.yaml`).
///
/// A template file outside any chart counts as a chart of its own.
pub struct HelmCharts {
    charts: Vec<Chart>,
}

struct Chart {
    /// The chart's folder with a trailing `/` (`""` for a chart at the top).
    dir: String,
    /// The kinds its templates name; `None` when they may define any kind.
    kinds: Option<BTreeSet<String>>,
}

impl HelmCharts {
    pub fn new(project: &Project) -> HelmCharts {
        let mut charts: Vec<Chart> = project
            .repo
            .paths()
            .filter(|p| *p == "Chart.yaml" || p.ends_with("/Chart.yaml"))
            .map(|chart_file| {
                let dir = chart_file.strip_suffix("Chart.yaml").unwrap_or_default().to_string();
                let kinds = chart_kinds(project, chart_file, &dir);
                Chart { dir, kinds }
            })
            .collect();
        // A template outside any chart (`replicas: {{replicas}}` filled in by sed or envsubst
        // before `kubectl apply`) defines its objects like a one-file chart.
        let loose: Vec<Chart> = project
            .files
            .iter()
            .filter(|f| matches!(f.read_error, Some(ReadError::Template { .. })))
            .filter(|f| !charts.iter().any(|c| f.path().starts_with(&c.dir)))
            .map(|f| Chart {
                dir: f.path().to_string(),
                kinds: template_kinds(f.text()),
            })
            .collect();
        charts.extend(loose);
        HelmCharts { charts }
    }

    /// Whether `path` lies in a chart's folder or below it.
    fn holds(&self, path: &str) -> bool {
        self.charts.iter().any(|c| path.starts_with(&c.dir))
    }

    /// Whether a reference from the object in `path` to an object of `kind` is left unjudged,
    /// because a chart may define it.
    pub fn may_define(&self, path: &str, kind: &str) -> bool {
        self.holds(path) || self.charts.iter().any(|c| c.kinds.as_ref().is_none_or(|k| k.contains(kind)))
    }

    /// Whether a selector in `path` may select pods a chart renders: a chart that defines any
    /// kind other than those known to own no pods (a custom resource may, like Argo Rollouts).
    pub fn may_define_pods(&self, path: &str) -> bool {
        const NO_PODS: &[&str] = &[
            "ConfigMap",
            "Secret",
            "Service",
            "ServiceAccount",
            "Role",
            "RoleBinding",
            "ClusterRole",
            "ClusterRoleBinding",
            "Ingress",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "NetworkPolicy",
            "PersistentVolumeClaim",
            "ServiceMonitor",
            "PodMonitor",
            "PrometheusRule",
            "Certificate",
            "Issuer",
            "Namespace",
        ];
        self.holds(path)
            || self
                .charts
                .iter()
                .any(|c| c.kinds.as_ref().is_none_or(|k| k.iter().any(|k| !NO_PODS.contains(&k.as_str()))))
    }
}

/// The kinds the templates of the chart in `dir` name, or `None` when it may define any kind.
fn chart_kinds(project: &Project, chart_file: &str, dir: &str) -> Option<BTreeSet<String>> {
    let repo = project.repo;
    let has_dependencies = repo
        .text(chart_file)
        .is_none_or(|t| t.lines().any(|l| l.starts_with("dependencies:")))
        || repo.contains(&format!("{dir}requirements.yaml"))
        || repo.paths().any(|p| p.starts_with(&format!("{dir}charts/")));
    if has_dependencies {
        return None;
    }
    let templates = format!("{dir}templates/");
    let mut kinds = BTreeSet::new();
    for path in repo.paths().filter(|p| p.starts_with(&templates)) {
        let lower = path.to_ascii_lowercase();
        if !(lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")) {
            continue; // `_helpers.tpl` and NOTES.txt render nothing by themselves
        }
        let file = project.files.iter().find(|f| f.path() == path)?;
        if file.read_error.is_none() {
            continue; // a template without template syntax: its objects are read as they are
        }
        if !matches!(file.read_error, Some(ReadError::Template { .. })) {
            return None;
        }
        kinds.extend(template_kinds(file.text())?);
    }
    Some(kinds)
}

/// The kinds a template names on literal `kind:` lines; `None` when it names none or names one
/// with template syntax.
fn template_kinds(text: &str) -> Option<BTreeSet<String>> {
    let named: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().trim_start_matches("- ").strip_prefix("kind:"))
        .map(|k| k.split(" #").next().unwrap_or(k).trim().trim_matches(['"', '\'']))
        .collect();
    if named.is_empty() || named.iter().any(|k| k.is_empty() || k.contains("{{")) {
        return None;
    }
    Some(named.into_iter().map(str::to_string).collect())
}

/// Custom resources (Argo Rollouts, Knative Services, operators' Prometheus or Postgres kinds)
/// may own pods that a selector matches: namespaces that hold them are not judged.
pub fn has_unknown_owners(objects: &ProjectObjects, namespace: &str) -> bool {
    const NOT_POD_OWNERS: &[&str] = &[
        "ServiceMonitor",
        "PodMonitor",
        "PrometheusRule",
        "Probe",
        "Certificate",
        "Issuer",
        "ClusterIssuer",
    ];
    objects
        .iter()
        .map(|(_, o)| o)
        .any(|o| o.namespace == namespace && !o.is_builtin() && !NOT_POD_OWNERS.contains(&o.kind.as_str()))
}

/// An edit that adds `lines` (YAML at the map's own indentation, nested lines indented by two
/// more spaces each level) as the last entries of the block mapping `map`. `None` for flow maps,
/// empty maps and texts it cannot place safely.
pub fn insert_entries(text: &str, map: &Node, lines: &[&str]) -> Option<Edit> {
    let entries = match &map.kind {
        NodeKind::Map(e) if !e.is_empty() => e,
        _ => return None,
    };
    if text.get(map.span.range())?.starts_with('{') {
        return None;
    }
    let first = &entries.first()?.key;
    let line_start = text[..first.span.start as usize].rfind('\n').map_or(0, |i| i + 1);
    let width = text[line_start..first.span.start as usize].chars().count();
    let last_end = entries.iter().map(|e| e.value.span.end.max(e.key.span.end)).max()? as usize;
    // The map's own first line tells how the file ends its lines (looking through the whole
    // text for each fix made large files quadratic).
    let crlf = text[line_start..]
        .find('\n')
        .is_some_and(|i| text[..line_start + i].ends_with('\r'));
    let newline = if crlf { "\r\n" } else { "\n" };
    let (at, lead) = match text.get(last_end..)?.find('\n') {
        Some(i) => (last_end + i + 1, ""),
        None => (text.len(), newline),
    };
    let indent = " ".repeat(width);
    let mut replacement = lead.to_string();
    for line in lines {
        replacement.push_str(&indent);
        replacement.push_str(line);
        replacement.push_str(newline);
    }
    Some(Edit {
        span: Span::empty(at),
        replacement,
    })
}

/// The edit that makes the scalar at `path` below the block map `node` say `value`: replaces an
/// existing scalar, or adds the missing maps and entry under the deepest map that exists.
pub fn set_path(text: &str, node: &Node, path: &[&str], value: &str) -> Option<Edit> {
    let (first, rest) = path.split_first()?;
    match node.get(first) {
        Some(v) if rest.is_empty() => v.as_scalar().map(|_| Edit {
            span: v.span,
            replacement: value.to_string(),
        }),
        Some(v) if v.as_map().is_some() => set_path(text, v, rest, value),
        Some(_) => None,
        None => {
            let mut lines: Vec<String> = Vec::new();
            for (depth, key) in path.iter().enumerate() {
                let indent = "  ".repeat(depth);
                if depth + 1 == path.len() {
                    lines.push(format!("{indent}{key}: {value}"));
                } else {
                    lines.push(format!("{indent}{key}:"));
                }
            }
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            insert_entries(text, node, &lines)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix;
    use crate::syntax::{yaml, Limits};

    fn apply(text: &str, path: &[&str], parent_key: &str, key: &str, value: &str) -> String {
        let tree = yaml::parse(text, &Limits::default());
        let root = tree.docs[0].root.as_ref().expect("root");
        let parent = root.get_path(path).expect("parent");
        let edit = set_path(text, parent, &[parent_key, key], value).expect("edit");
        fix::apply(text, &[edit]).0
    }

    #[test]
    fn adds_a_map_under_a_sequence_item() {
        let text = "containers:\n- name: a\n  image: x # c\n- name: b\n";
        let items = yaml::parse(text, &Limits::default());
        let seq = items.docs[0].root.as_ref().and_then(|r| r.get("containers")).expect("seq");
        let first = &seq.as_seq().expect("items")[0];
        let edit = set_path(text, first, &["securityContext", "readOnlyRootFilesystem"], "true").expect("edit");
        assert_eq!(
            fix::apply(text, &[edit]).0,
            "containers:\n- name: a\n  image: x # c\n  securityContext:\n    readOnlyRootFilesystem: true\n- name: b\n"
        );
    }

    #[test]
    fn replaces_or_appends_in_an_existing_map() {
        let text = "spec:\n  securityContext:\n    runAsUser: 1\n";
        assert_eq!(
            apply(text, &["spec"], "securityContext", "runAsUser", "1000"),
            "spec:\n  securityContext:\n    runAsUser: 1000\n"
        );
        assert_eq!(
            apply(text, &["spec"], "securityContext", "runAsNonRoot", "true"),
            "spec:\n  securityContext:\n    runAsUser: 1\n    runAsNonRoot: true\n"
        );
    }

    #[test]
    fn leaves_flow_maps_alone() {
        let text = "spec: {securityContext: {runAsUser: 1}}\n";
        let tree = yaml::parse(text, &Limits::default());
        let root = tree.docs[0].root.as_ref().expect("root");
        let spec = root.get("spec").expect("spec");
        assert!(set_path(text, spec, &["securityContext", "runAsNonRoot"], "true").is_none());
    }
}
