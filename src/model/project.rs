//! The project graph: what the files of one run say about the deployment as a whole — the
//! repository's own images, the Compose services and Kubernetes containers that run them, the
//! scrape configuration, and the repository's documents and CI files. Every entity keeps the
//! path and span it came from, so that a project rule can point at the exact place.
//!
//! It is built from the files and the [`RepoIndex`] of a run (`Graph::build`); project rules
//! build it when they run (a few milliseconds for hundreds of files).

use super::compose::{ComposeFile, ImageRef};
use super::env::EnvVars;
use super::k8s::{int_value, Manifests, Object};
use super::prometheus::PromConfig;
use super::repo::{parent, RepoIndex};
use super::File;
use crate::kind::FileKind;
use crate::source::Span;
use crate::syntax::tree::{Document, Node};
use std::collections::BTreeMap;

/// A place in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    pub path: String,
    pub span: Span,
}

/// A variable set for a container, and where.
#[derive(Clone, Debug)]
pub struct SetVar {
    pub name: String,
    pub at: At,
}

/// A Dockerfile of the repository: an image the team builds.
#[derive(Clone, Debug)]
pub struct Image {
    pub path: String,
    /// The folder holding it (`""` at the top): its usual build context.
    pub dir: String,
    /// Ports of `EXPOSE` in the shipped stage.
    pub exposes: Vec<(u16, At)>,
    /// `ENV` of the stages that ship.
    pub env: Vec<SetVar>,
}

/// A Compose service.
#[derive(Clone, Debug)]
pub struct Service {
    pub name: String,
    /// The service's key.
    pub at: At,
    /// Built from this repository (`build:`), with the context folder as a repository path.
    pub build_context: Option<String>,
    pub built: bool,
    pub image: Option<String>,
    /// Container-side ports (`ports:` targets and `expose:`), each with whether it says it serves
    /// metrics (a `# metrics` comment, or a `*METRICS*PORT*` variable holding that number).
    pub ports: Vec<ServicePort>,
    pub env: Vec<SetVar>,
}

#[derive(Clone, Debug)]
pub struct ServicePort {
    pub number: u16,
    pub metrics: bool,
    pub at: At,
}

/// One container of a Kubernetes pod-bearing object.
#[derive(Clone, Debug)]
pub struct Container {
    pub path: String,
    /// `Deployment orders-api` and the like.
    pub object: String,
    pub namespace: String,
    pub pod_labels: BTreeMap<String, String>,
    /// Pod-template annotations (`prometheus.io/scrape` and friends), with their spans.
    pub pod_annotations: BTreeMap<String, (String, Span)>,
    pub name: Option<String>,
    /// The container's item (where a missing field points).
    pub at: At,
    pub image: Option<String>,
    /// (name, number, place) of each `ports:` item.
    pub ports: Vec<(Option<String>, Option<i64>, At)>,
    pub env: Vec<SetVar>,
}

/// A Kubernetes Service.
#[derive(Clone, Debug)]
pub struct KubeService {
    pub path: String,
    pub name: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub selector: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// (name, port, targetPort as written) of each port.
    pub ports: Vec<(Option<String>, Option<i64>, Option<String>)>,
}

/// A prometheus.yml scrape job.
#[derive(Clone, Debug)]
pub struct ScrapeJob {
    pub path: String,
    pub name: Option<String>,
    pub span: Span,
    /// (host, port) of each static target.
    pub targets: Vec<(String, Option<u16>, Span)>,
    /// Finds Kubernetes targets itself (`kubernetes_sd_configs`).
    pub kubernetes_sd: bool,
    /// Finds targets some other way (file, DNS, Consul, Docker … discovery): andon cannot tell
    /// which.
    pub other_sd: bool,
}

/// A ServiceMonitor or PodMonitor.
#[derive(Clone, Debug)]
pub struct Monitor {
    pub path: String,
    pub pods: bool,
    pub namespace: String,
    /// `None`: every namespace; else these.
    pub namespaces: Option<Vec<String>>,
    /// `matchLabels`; `None` when the selector is more than that (it is then taken to match).
    pub match_labels: Option<BTreeMap<String, String>>,
}

/// The deployment as a whole.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub images: Vec<Image>,
    pub services: Vec<Service>,
    pub containers: Vec<Container>,
    pub kube_services: Vec<KubeService>,
    pub jobs: Vec<ScrapeJob>,
    pub monitors: Vec<Monitor>,
}

impl Graph {
    pub fn build(files: &[File]) -> Graph {
        let mut g = Graph::default();
        for file in files {
            match file.kind {
                FileKind::Dockerfile => g.images.extend(image(file)),
                FileKind::Compose => g.services.extend(services(file)),
                FileKind::Kubernetes => kubernetes(file, &mut g),
                FileKind::PrometheusConfig => g.jobs.extend(jobs(file)),
                _ => {}
            }
        }
        g
    }

    /// Whether any scrape configuration is in the run.
    pub fn has_scrape_config(&self) -> bool {
        !self.jobs.is_empty() || !self.monitors.is_empty()
    }

    /// The repository Dockerfile a Compose service builds, when it builds one.
    pub fn image_of_service(&self, s: &Service) -> Option<&Image> {
        let ctx = s.build_context.as_deref()?;
        self.images.iter().find(|i| i.dir == ctx)
    }

    /// Whether a Kubernetes container runs an image this repository builds: its image name is
    /// the image of a Compose service with `build:`, or the folder of a repository Dockerfile.
    pub fn container_image_is_built_here(&self, c: &Container) -> bool {
        let Some(name) = c.image.as_deref().map(image_name) else {
            return false;
        };
        if name.is_empty() {
            return false;
        }
        self.services
            .iter()
            .any(|s| s.built && s.image.as_deref().map(image_name) == Some(name))
            || self
                .images
                .iter()
                .any(|i| !i.dir.is_empty() && i.dir.rsplit('/').next() == Some(name))
    }
}

/// The last path part of an image reference without registry, tag or digest:
/// `registry.example.com/team/orders-api:1.4` → `orders-api`.
pub fn image_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

fn image(file: &File) -> Option<Image> {
    let df = file.dockerfile()?;
    let at = |span| At {
        path: file.path().to_string(),
        span,
    };
    let mut exposes = Vec::new();
    if let Some(stage) = super::dockerfile::runtime_stage(df) {
        for s in super::dockerfile::stage_chain(df, stage) {
            for inst in s.instructions(df).iter().filter(|i| i.is("EXPOSE")) {
                for w in inst.words() {
                    let number = w.text.split('/').next().and_then(|n| n.parse::<u16>().ok());
                    if let Some(n) = number {
                        exposes.push((n, at(w.span)));
                    }
                }
            }
        }
    }
    let env = file
        .model::<EnvVars>()
        .map(|vars| {
            vars.vars
                .iter()
                .map(|v| SetVar {
                    name: v.key.clone(),
                    at: at(v.key_span),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Image {
        path: file.path().to_string(),
        dir: parent(file.path()).to_string(),
        exposes,
        env,
    })
}

/// `a/b/../c/./d` → `a/c/d`; `None` when it climbs out of the repository.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn services(file: &File) -> Vec<Service> {
    let Some(compose) = file.model::<ComposeFile>() else {
        return Vec::new();
    };
    let tree = file.tree();
    let doc = tree.and_then(|t| t.docs.iter().find(|d| d.root.is_some()));
    let dir = parent(file.path());
    compose
        .services
        .iter()
        .map(|s| {
            let at = |span| At {
                path: file.path().to_string(),
                span,
            };
            let node = doc.and_then(|d| service_node(d, &s.name).map(|n| (d, n)));
            let build_context = node.and_then(|(d, n)| {
                let b = d.get(n, "build")?;
                let ctx = b.as_str().or_else(|| d.get(b, "context").and_then(Node::as_str)).unwrap_or(".");
                if ctx.contains("://") || ctx.starts_with('/') {
                    return None;
                }
                normalize(&format!("{dir}/{ctx}"))
            });
            let env: Vec<SetVar> = s
                .environment
                .iter()
                .filter(|e| !e.inherited)
                .map(|e| SetVar {
                    name: e.key.clone(),
                    at: at(e.key_span),
                })
                .collect();
            // A variable such as METRICS_PORT=9090 names the port that serves metrics.
            let metrics_numbers: Vec<u16> = s
                .environment
                .iter()
                .filter(|e| {
                    let k = e.key.to_ascii_uppercase();
                    k.contains("METRICS") && k.contains("PORT")
                })
                .filter_map(|e| e.value.as_deref()?.trim().parse().ok())
                .collect();
            let mut ports: Vec<ServicePort> = s
                .ports
                .iter()
                .filter_map(|p| {
                    let number = p.target_number()?;
                    let commented = p.comment.as_deref().is_some_and(|c| c.to_ascii_lowercase().contains("metric"));
                    Some(ServicePort {
                        number,
                        metrics: commented || metrics_numbers.contains(&number),
                        at: at(p.span),
                    })
                })
                .collect();
            if let Some((d, n)) = node {
                for item in d.get(n, "expose").map(|e| d.items(e)).unwrap_or_default() {
                    let text = item.as_str().map(str::to_string).or_else(|| item.as_i64().map(|i| i.to_string()));
                    let Some(number) = text.and_then(|t| t.split('/').next()?.trim().parse::<u16>().ok()) else {
                        continue;
                    };
                    ports.push(ServicePort {
                        number,
                        metrics: metrics_numbers.contains(&number),
                        at: at(item.span),
                    });
                }
            }
            Service {
                name: s.name.clone(),
                at: at(s.key_span),
                build_context,
                built: s.build,
                image: s.image.as_ref().map(|i| i.value.clone()),
                ports,
                env,
            }
        })
        .collect()
}

fn service_node<'d>(doc: &'d Document, name: &str) -> Option<&'d Node> {
    let root = doc.root.as_ref()?;
    let services = doc.get(root, "services")?;
    doc.get(services, name)
}

fn string_map(node: Option<&Node>) -> BTreeMap<String, String> {
    let Some(map) = node.and_then(Node::as_map) else {
        return BTreeMap::new();
    };
    map.iter()
        .filter_map(|e| {
            let v = e
                .value
                .as_str()
                .map(str::to_string)
                .or_else(|| e.value.as_i64().map(|i| i.to_string()))?;
            Some((e.key.as_str()?.to_string(), v))
        })
        .collect()
}

fn kubernetes(file: &File, g: &mut Graph) {
    let Some(manifests) = file.model::<Manifests>() else { return };
    let path = file.path().to_string();
    for obj in manifests.whole() {
        if let Some(pod) = &obj.pod {
            let template_annotations: BTreeMap<String, (String, Span)> = obj
                .node
                .get_path(&["spec", "template", "metadata", "annotations"])
                .or_else(|| obj.is("Pod").then(|| obj.node.get_path(&["metadata", "annotations"])).flatten())
                .and_then(Node::as_map)
                .map(|m| {
                    m.iter()
                        .filter_map(|e| Some((e.key.as_str()?.to_string(), (e.value.as_str()?.to_string(), e.value.span))))
                        .collect()
                })
                .unwrap_or_default();
            for c in pod.regular() {
                let at = |span| At { path: path.clone(), span };
                g.containers.push(Container {
                    path: path.clone(),
                    object: obj.describe(),
                    namespace: obj.namespace.clone(),
                    pod_labels: pod.labels.clone(),
                    pod_annotations: template_annotations.clone(),
                    name: c.name.clone(),
                    at: at(c.at),
                    image: c.image_ref().map(str::to_string),
                    ports: c
                        .ports
                        .iter()
                        .map(|p| (p.name.clone(), p.container_port, at(p.node.span)))
                        .collect(),
                    env: c
                        .env
                        .iter()
                        .map(|e| SetVar {
                            name: e.name.clone(),
                            at: at(e.name_span),
                        })
                        .collect(),
                });
            }
        }
        if obj.is("Service") {
            g.kube_services.push(kube_service(&path, obj));
        }
        if obj.kind == "ServiceMonitor" || obj.kind == "PodMonitor" {
            g.monitors.push(monitor(&path, obj));
        }
    }
}

fn kube_service(path: &str, obj: &Object) -> KubeService {
    let ports = obj
        .node
        .get_path(&["spec", "ports"])
        .and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .map(|p| {
                    let target = p
                        .get("targetPort")
                        .and_then(|t| t.as_str().map(str::to_string).or_else(|| int_value(t).map(|i| i.to_string())));
                    (
                        p.get("name").and_then(Node::as_str).map(str::to_string),
                        p.get("port").and_then(int_value),
                        target,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    KubeService {
        path: path.to_string(),
        name: obj.name.clone().unwrap_or_default(),
        namespace: obj.namespace.clone(),
        labels: obj.labels.clone(),
        selector: string_map(obj.node.get_path(&["spec", "selector"])),
        annotations: obj.annotations.clone(),
        ports,
    }
}

fn monitor(path: &str, obj: &Object) -> Monitor {
    let spec = obj.node.get("spec");
    let selector = spec.and_then(|s| s.get("selector"));
    let only_match_labels = selector
        .and_then(Node::as_map)
        .is_some_and(|m| m.iter().all(|e| e.key.as_str() == Some("matchLabels")));
    let ns = spec.and_then(|s| s.get("namespaceSelector"));
    let namespaces = match ns {
        Some(n) if n.get("any").and_then(Node::as_bool) == Some(true) => None,
        Some(n) => n
            .get("matchNames")
            .and_then(Node::as_seq)
            .map(|s| s.iter().filter_map(Node::as_str).map(str::to_string).collect())
            .or_else(|| Some(vec![obj.namespace.clone()])),
        None => Some(vec![obj.namespace.clone()]),
    };
    Monitor {
        path: path.to_string(),
        pods: obj.kind == "PodMonitor",
        namespace: obj.namespace.clone(),
        namespaces,
        match_labels: only_match_labels.then(|| string_map(selector.and_then(|s| s.get("matchLabels")))),
    }
}

impl Monitor {
    /// Whether this monitor selects objects with `labels` in `namespace`.
    pub fn selects(&self, namespace: &str, labels: &BTreeMap<String, String>) -> bool {
        let in_ns = self.namespaces.as_ref().is_none_or(|n| n.iter().any(|x| x == namespace));
        let labelled = self
            .match_labels
            .as_ref()
            .is_none_or(|want| want.iter().all(|(k, v)| labels.get(k) == Some(v)));
        in_ns && labelled
    }
}

fn jobs(file: &File) -> Vec<ScrapeJob> {
    let Some(config) = file.model::<PromConfig>() else {
        return Vec::new();
    };
    let tree = file.tree();
    let doc = tree.and_then(|t| t.docs.iter().find(|d| d.root.is_some()));
    let job_nodes: Vec<&Node> = doc
        .and_then(|d| d.get(d.root.as_ref()?, "scrape_configs").map(|s| d.items(s)))
        .unwrap_or_default();
    config
        .scrape_configs
        .iter()
        .map(|j| {
            let node = job_nodes.iter().find(|n| n.span == j.span);
            let sd_keys: Vec<String> = match (doc, node) {
                (Some(d), Some(n)) => d
                    .entries(n)
                    .iter()
                    .filter_map(|e| e.key.as_str())
                    .filter(|k| k.ends_with("_sd_configs"))
                    .map(str::to_string)
                    .collect(),
                _ => Vec::new(),
            };
            ScrapeJob {
                path: file.path().to_string(),
                name: j.job_name.as_ref().map(|n| n.value.clone()),
                span: j.place(),
                targets: j
                    .targets
                    .iter()
                    .map(|t| {
                        let (host, port) = split_target(&t.target);
                        (host, port, t.span)
                    })
                    .collect(),
                kubernetes_sd: sd_keys.iter().any(|k| k == "kubernetes_sd_configs"),
                other_sd: sd_keys.iter().any(|k| k != "kubernetes_sd_configs"),
            }
        })
        .collect()
}

/// `host:port` (or `scheme://host:port/path`) → (lowercased host, port).
pub fn split_target(target: &str) -> (String, Option<u16>) {
    let t = target.split("://").last().unwrap_or(target);
    let t = t.split('/').next().unwrap_or(t);
    match t.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (h.to_ascii_lowercase(), p.parse().ok()),
        _ => (t.to_ascii_lowercase(), None),
    }
}

/// The Compose or Kubernetes name a scrape target host refers to: its first DNS label
/// (`orders-api.orders.svc.cluster.local` → `orders-api`).
pub fn host_name(host: &str) -> &str {
    host.split('.').next().unwrap_or(host)
}

/// Whether `repo` has `path` as a file (case-insensitive on the name part).
pub fn repo_has(repo: &RepoIndex, path: &str) -> bool {
    repo.contains(path) || repo.paths().any(|p| p.eq_ignore_ascii_case(path))
}

/// The image reference parsed the way Compose rules read it.
pub fn image_ref(image: &str) -> ImageRef {
    ImageRef::parse(image)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_names() {
        assert_eq!(
            split_target("orders-api.orders.svc:9090"),
            ("orders-api.orders.svc".into(), Some(9090))
        );
        assert_eq!(split_target("http://api:8080/metrics"), ("api".into(), Some(8080)));
        assert_eq!(split_target("api"), ("api".into(), None));
        assert_eq!(host_name("orders-api.orders.svc"), "orders-api");
        assert_eq!(image_name("registry.example.com:5000/team/orders-api:1.4@sha256:ab"), "orders-api");
        assert_eq!(normalize("a/./b/../c").as_deref(), Some("a/c"));
        assert_eq!(normalize("../x"), None);
    }
}
