//! The project graph: what the files of one run say about the deployment as a whole — the
//! repository's own images, the Compose services and Kubernetes containers that run them, the
//! scrape configuration, and the repository's documents and CI files. Every entity keeps the
//! path and span it came from, so that a project rule can point at the exact place.
//!
//! It is built from the files of a run (`Graph::build`), once, on first use by a rule
//! ([`crate::rules::Project::graph`]).

use super::compose::{merge_across_files, ComposeFile, ImageRef};
use super::env::EnvVars;
use super::k8s::{int_value, Manifests, Object};
use super::prometheus::PromConfig;
use super::repo::{join, parent, RepoIndex};
use super::File;
use crate::kind::FileKind;
use crate::source::Span;
use crate::syntax::tree::{Document, Node};
use std::collections::{BTreeMap, HashMap, HashSet};

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
    /// The value as written, when it is a plain string.
    pub value: Option<String>,
}

/// A Dockerfile of the repository: an image the team builds.
#[derive(Clone, Debug)]
pub struct Image {
    pub path: String,
    /// The folder holding it (`""` at the top): its usual build context.
    pub dir: String,
    /// Ports of `EXPOSE` in the shipped stage.
    pub exposes: Vec<(u16, At)>,
    /// Some `EXPOSE` word is not a plain port (`$PORT`, a range): the list is incomplete.
    pub exposes_unknown: bool,
    /// `ENV` of the stages that ship.
    pub env: Vec<SetVar>,
    /// The program its ENTRYPOINT (or CMD) runs, by file name (`orders-api`): images are
    /// usually named after it, so a runtime's `image: orders-api:1.4` finds this Dockerfile.
    pub program: Option<String>,
    /// The shipped stage (or one it builds on) sets an ENTRYPOINT or CMD: it runs something of
    /// its own, not just its base's program with files or settings added.
    pub own_command: bool,
    /// The external image the shipped stage is built from, lowercase.
    pub base: String,
    /// The RUN, COPY and ADD texts of the shipped stage and the stages it builds on: what
    /// the image adds to its base.
    pub build_steps: Vec<String>,
    /// Repository paths (files or folders) that COPY and ADD of those stages bring in from the
    /// build context, taken to be the Dockerfile's folder.
    pub copied: Vec<String>,
    /// The shipped stage ends as a user other than root (`USER app`, `USER 65532`): what runs
    /// the image runs as that user unless it says otherwise.
    pub non_root_user: bool,
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
    /// `user:`, as written.
    pub user: Option<String>,
    /// A `healthcheck:` that is not disabled.
    pub checks_health: bool,
    /// The command of that healthcheck, when it has its own `test`.
    pub health_command: Option<HealthCommand>,
    /// `stop_grace_period:` as written, and where.
    pub stop_grace_period: Option<(String, At)>,
    /// Repository paths (files or folders) it bind-mounts.
    pub mounted: Vec<String>,
    pub command_line: CommandLine,
}

/// What a runtime writes of the command its container runs.
#[derive(Clone, Debug, Default)]
pub struct CommandLine {
    /// The program it runs instead of the image's entrypoint (Compose `entrypoint:`,
    /// Kubernetes `command:`), by file name.
    pub program: Option<String>,
    /// Every word of its entrypoint and arguments (Compose `entrypoint:` and `command:`,
    /// Kubernetes `command:` and `args:`).
    pub words: Vec<String>,
}

impl CommandLine {
    /// The names of the config files its words name (`-config.file=/etc/loki/loki.yaml`,
    /// `--config /app/settings.toml`).
    pub fn config_file_names(&self) -> Vec<&str> {
        const EXTENSIONS: [&str; 5] = [".yaml", ".yml", ".json", ".toml", ".conf"];
        self.words
            .iter()
            .map(|w| w.rsplit_once('=').map_or(w.as_str(), |(_, v)| v).trim_matches(['"', '\'']))
            .filter(|w| EXTENSIONS.iter().any(|e| w.ends_with(e)))
            .map(|w| w.rsplit('/').next().unwrap_or(w))
            .collect()
    }

    fn new(entrypoint: Option<&[String]>, args: Option<&[String]>) -> CommandLine {
        CommandLine {
            program: entrypoint.and_then(first_program).map(str::to_string),
            words: entrypoint.into_iter().chain(args).flatten().cloned().collect(),
        }
    }

    /// Whether `number` is one of its words, or part of one (`--port=3000`, `0.0.0.0:3000`).
    pub fn mentions_number(&self, number: &str) -> bool {
        self.words
            .iter()
            .any(|w| w.split(|c: char| !c.is_ascii_digit()).any(|part| part == number))
    }
}

/// The command a runtime health check runs: its program by file name (`curl`) and where that
/// is written, and whether it runs through `/bin/sh`.
#[derive(Clone, Debug)]
pub struct HealthCommand {
    pub program: String,
    pub at: At,
    pub through_shell: bool,
}

impl HealthCommand {
    /// From the words of a command; a shell's `-c` script is read for its own first program.
    fn from_words(words: &[(&str, Span)], path: &str) -> Option<HealthCommand> {
        let at = |span| At {
            path: path.to_string(),
            span,
        };
        let (first, span) = words.first()?;
        let program = file_name(first);
        if matches!(program, "sh" | "bash" | "ash" | "dash") {
            let script = words.iter().skip_while(|(w, _)| *w != "-c").nth(1)?;
            return HealthCommand::from_script(script.0, script.1, path);
        }
        Some(HealthCommand {
            program: program.to_string(),
            at: at(*span),
            through_shell: false,
        })
    }

    /// From a script `/bin/sh -c` runs; the place is the script's.
    fn from_script(script: &str, span: Span, path: &str) -> Option<HealthCommand> {
        let first = script.split_whitespace().find(|w| !w.contains('='))?;
        Some(HealthCommand {
            program: file_name(first).to_string(),
            at: At {
                path: path.to_string(),
                span,
            },
            through_shell: true,
        })
    }
}

/// `/usr/bin/curl` → `curl`.
fn file_name(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
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
    /// `runAsUser` of the container or, failing that, of the pod.
    pub run_as_user: Option<i64>,
    /// Whether it has a liveness or readiness probe.
    pub probed: bool,
    /// The commands of its `exec` probes.
    pub exec_probes: Vec<HealthCommand>,
    /// The pod's `terminationGracePeriodSeconds`, and where.
    pub grace_period: Option<(i64, At)>,
    /// The port number each httpGet, tcpSocket or grpc probe connects to (a named port resolved
    /// through `ports:`), and where the probe names it.
    pub probe_ports: Vec<(u16, At)>,
    pub command_line: CommandLine,
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
    pub ports: Vec<KubePort>,
}

/// One of a Service's `spec.ports`.
#[derive(Clone, Debug)]
pub struct KubePort {
    pub name: Option<String>,
    pub port: Option<i64>,
    /// `targetPort` as written (a number or a container port's name).
    pub target: Option<String>,
    /// Where traffic is sent: the `targetPort` value, or `port` when there is none.
    pub at: At,
}

impl KubeService {
    /// Whether the Service sends traffic to the pods of container `c`.
    pub fn fronts(&self, c: &Container) -> bool {
        self.namespace == c.namespace && !self.selector.is_empty() && self.selector.iter().all(|(k, v)| c.pod_labels.get(k) == Some(v))
    }

    /// The container port number a Service port sends traffic to in container `c`: its
    /// `targetPort` as a number, or the number of the container port so named, or the `port`.
    pub fn target_number(&self, p: &KubePort, c: &Container) -> Option<i64> {
        match p.target.as_deref() {
            None => p.port,
            Some(t) => t.parse().ok().or_else(|| {
                c.ports
                    .iter()
                    .find_map(|(name, number, _)| (name.as_deref() == Some(t)).then_some(*number).flatten())
            }),
        }
    }
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
    /// Where the production app configs are among the files the graph was built from.
    app_configs: Vec<usize>,
    links: Links,
}

/// Which repository image each runtime runs, worked out once: rules ask for every image and
/// every runtime, and hundreds of each are common.
#[derive(Clone, Debug, Default)]
struct Links {
    /// Image index by Dockerfile path.
    by_path: HashMap<String, usize>,
    /// Images by the image name of a Compose service that builds them.
    built_as: HashMap<String, Vec<usize>>,
    /// Images by folder name and by program name.
    named: HashMap<String, Vec<usize>>,
    /// Image names of the Compose services that build theirs (`build:`), wherever the context.
    built_names: HashSet<String>,
    /// The image each service and each container runs, index for index.
    service_image: Vec<Option<usize>>,
    container_image: Vec<Option<usize>>,
}

impl Links {
    fn new(g: &Graph) -> Links {
        let mut links = Links {
            by_path: g.images.iter().enumerate().map(|(i, img)| (img.path.clone(), i)).collect(),
            ..Links::default()
        };
        links.built_names = g
            .services
            .iter()
            .filter(|s| s.built)
            .filter_map(|s| Some(image_name(s.image.as_deref()?).to_string()))
            .collect();
        let by_dir: HashMap<&str, usize> = g.images.iter().enumerate().rev().map(|(i, img)| (img.dir.as_str(), i)).collect();
        let built: Vec<Option<usize>> = g
            .services
            .iter()
            .map(|s| s.build_context.as_deref().and_then(|ctx| by_dir.get(ctx).copied()))
            .collect();
        for (s, image) in g.services.iter().zip(&built) {
            if let (Some(reference), Some(i)) = (s.image.as_deref(), image) {
                let list = links.built_as.entry(image_name(reference).to_string()).or_default();
                if !list.contains(i) {
                    list.push(*i);
                }
            }
        }
        for (i, img) in g.images.iter().enumerate() {
            let folder = img.dir.rsplit('/').next().filter(|d| !d.is_empty());
            for name in folder.into_iter().chain(img.program.as_deref()) {
                let list = links.named.entry(name.to_string()).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        links.service_image = g
            .services
            .iter()
            .zip(&built)
            .map(|(s, b)| b.or_else(|| links.image_named(image_name(s.image.as_deref()?))))
            .collect();
        links.container_image = g
            .containers
            .iter()
            .map(|c| links.image_named(image_name(c.image.as_deref()?)))
            .collect();
        links
    }

    /// The one image a name means, preferring what a Compose service builds under it.
    fn image_named(&self, name: &str) -> Option<usize> {
        let only = |list: Option<&Vec<usize>>| match list.map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        };
        if name.is_empty() {
            return None;
        }
        only(self.built_as.get(name)).or_else(|| only(self.named.get(name)))
    }
}

impl Graph {
    pub fn build(files: &[File]) -> Graph {
        let mut g = Graph::default();
        for (i, file) in files.iter().enumerate() {
            match file.kind {
                FileKind::AppConfig(_) if file.production() => g.app_configs.push(i),
                FileKind::Dockerfile => g.images.extend(image(file)),
                FileKind::Compose => g.services.extend(services(file, files)),
                FileKind::Kubernetes => kubernetes(file, &mut g),
                FileKind::PrometheusConfig => g.jobs.extend(jobs(file)),
                _ => {}
            }
        }
        g.links = Links::new(&g);
        g
    }

    /// The repository Dockerfile an image reference names: the image of a Compose service
    /// that builds one, else the only Dockerfile whose folder or program has the reference's
    /// name. `None` when that is ambiguous.
    pub fn image_for_ref(&self, reference: &str) -> Option<&Image> {
        self.links.image_named(image_name(reference)).map(|i| &self.images[i])
    }

    /// What runs the repository image built from the Dockerfile at `path`: the Compose
    /// services and Kubernetes containers that were matched to it.
    pub fn runtimes(&self, path: &str) -> Vec<Runtime<'_>> {
        let Some(&image) = self.links.by_path.get(path) else {
            return Vec::new();
        };
        let runs = |linked: &Option<usize>| *linked == Some(image);
        let services = self.services.iter().zip(&self.links.service_image).filter(|(_, l)| runs(l));
        let containers = self.containers.iter().zip(&self.links.container_image).filter(|(_, l)| runs(l));
        services
            .map(|(s, _)| Runtime::Compose(s))
            .chain(containers.map(|(c, _)| Runtime::Kube(c)))
            .collect()
    }

    /// Every Compose service and Kubernetes container of the run, whatever image it runs.
    pub fn every_runtime(&self) -> impl Iterator<Item = Runtime<'_>> {
        self.services
            .iter()
            .map(Runtime::Compose)
            .chain(self.containers.iter().map(Runtime::Kube))
    }

    /// The repository image a runtime runs: the one a Compose service builds, else the one its
    /// image reference names.
    pub fn image_run_by(&self, runtime: &Runtime) -> Option<&Image> {
        match runtime {
            Runtime::Compose(s) => self
                .image_of_service(s)
                .or_else(|| s.image.as_deref().and_then(|i| self.image_for_ref(i))),
            Runtime::Kube(c) => c.image.as_deref().and_then(|i| self.image_for_ref(i)),
        }
    }

    /// The production application configs a runtime reads: files that it bind-mounts, or that
    /// the repository image it runs copies in. `files` are those the graph was built from
    /// ([`crate::rules::Project::configs_of`] passes them).
    pub(crate) fn configs_of<'f>(&self, runtime: &Runtime, files: &'f [File]) -> Vec<&'f File> {
        let mut sources: Vec<&str> = match runtime {
            Runtime::Compose(s) => s.mounted.iter().map(String::as_str).collect(),
            Runtime::Kube(_) => Vec::new(),
        };
        sources.extend(self.image_run_by(runtime).iter().flat_map(|i| i.copied.iter().map(String::as_str)));
        let covers = |path: &str| {
            sources
                .iter()
                .any(|s| s.is_empty() || path == *s || path.strip_prefix(*s).is_some_and(|rest| rest.starts_with('/')))
        };
        let covered = self.app_configs.iter().filter_map(|&i| files.get(i)).filter(|f| covers(f.path()));
        // A mounted folder holds the configs of several programs (`./config` with loki.yaml,
        // promtail.yaml and alertmanager.yml); a command line that names its config file
        // (`-config.file=/etc/promtail/promtail.yaml`) reads that one.
        let named = runtime.command_line().config_file_names();
        if named.is_empty() {
            return covered.collect();
        }
        covered
            .filter(|f| named.contains(&f.path().rsplit('/').next().unwrap_or_default()))
            .collect()
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
        c.image.as_deref().is_some_and(|i| self.builds(i))
    }

    /// Whether an image reference names an image this repository builds (see
    /// [`Graph::container_image_is_built_here`]).
    pub fn builds(&self, reference: &str) -> bool {
        let name = image_name(reference);
        if name.is_empty() {
            return false;
        }
        self.links.built_names.contains(name) || self.links.named.contains_key(name)
    }
}

/// A Compose service or Kubernetes container that runs a repository image.
#[derive(Clone, Copy, Debug)]
pub enum Runtime<'g> {
    Compose(&'g Service),
    Kube(&'g Container),
}

impl<'g> Runtime<'g> {
    /// Whether it runs the image as a user other than root, whatever the image says.
    pub fn sets_non_root_user(&self) -> bool {
        match self {
            Runtime::Compose(s) => s
                .user
                .as_deref()
                .is_some_and(|u| !super::dockerfile::is_root_user(u.split(':').next().unwrap_or(u)) && !u.contains('$')),
            Runtime::Kube(c) => c.run_as_user.is_some_and(|uid| uid != 0),
        }
    }

    /// Whether it checks the container's health itself (a Compose healthcheck, a Kubernetes
    /// liveness or readiness probe).
    pub fn checks_health(&self) -> bool {
        match self {
            Runtime::Compose(s) => s.checks_health,
            Runtime::Kube(c) => c.probed,
        }
    }

    /// The variables it sets itself.
    pub fn env(self) -> &'g [SetVar] {
        match self {
            Runtime::Compose(s) => &s.env,
            Runtime::Kube(c) => &c.env,
        }
    }

    /// The command line it writes for its container.
    pub fn command_line(self) -> &'g CommandLine {
        match self {
            Runtime::Compose(s) => &s.command_line,
            Runtime::Kube(c) => &c.command_line,
        }
    }

    /// The commands its health checks run.
    pub fn health_commands(&self) -> Vec<&HealthCommand> {
        match self {
            Runtime::Compose(s) => s.health_command.iter().collect(),
            Runtime::Kube(c) => c.exec_probes.iter().collect(),
        }
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
    let mut exposes_unknown = false;
    if let Some(stage) = super::dockerfile::runtime_stage(df) {
        for s in super::dockerfile::stage_chain(df, stage) {
            for inst in s.instructions(df).iter().filter(|i| i.is("EXPOSE")) {
                for w in inst.words() {
                    match w.text.split('/').next().and_then(|n| n.parse::<u16>().ok()) {
                        Some(n) => exposes.push((n, at(w.span))),
                        None => exposes_unknown = true,
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
                    value: v.raw.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let stage = super::dockerfile::runtime_stage(df);
    let chain = stage.map(|s| super::dockerfile::stage_chain(df, s)).unwrap_or_default();
    Some(Image {
        path: file.path().to_string(),
        dir: parent(file.path()).to_string(),
        exposes,
        exposes_unknown,
        env,
        program: stage.and_then(|s| program(df, s)),
        non_root_user: stage
            .and_then(|s| super::dockerfile::user_of(df, s))
            .is_some_and(|(_, user)| !user.contains('$') && !super::dockerfile::is_root_user(&user)),
        own_command: stage.is_some_and(|s| {
            ["ENTRYPOINT", "CMD"]
                .iter()
                .any(|i| super::dockerfile::last_in_chain(df, s, i).is_some())
        }),
        base: stage
            .map(|s| super::dockerfile::base_image(df, s).to_ascii_lowercase())
            .unwrap_or_default(),
        build_steps: chain
            .iter()
            .flat_map(|s| s.instructions(df))
            .filter(|i| i.is("RUN") || i.is("COPY") || i.is("ADD"))
            .map(|i| i.rest.text.clone())
            .collect(),
        copied: chain
            .iter()
            .flat_map(|s| s.instructions(df))
            .filter(|i| (i.is("COPY") || i.is("ADD")) && i.flag("from").is_none())
            .flat_map(|i| {
                let words = i.words();
                words[..words.len().saturating_sub(1)]
                    .iter()
                    .map(|w| w.text.clone())
                    .collect::<Vec<_>>()
            })
            .filter(|src| !src.contains("://") && !src.starts_with('/'))
            .filter_map(|src| join(parent(file.path()), &src))
            .collect(),
    })
}

/// Programs too common to name an image after: an image reference with this name is the
/// upstream image, not a repository Dockerfile that happens to run it.
const GENERIC_PROGRAMS: &[&str] = &[
    "sh",
    "bash",
    "ash",
    "tini",
    "dumb-init",
    "gosu",
    "su-exec",
    "java",
    "python",
    "python3",
    "node",
    "npm",
    "yarn",
    "pnpm",
    "ruby",
    "bundle",
    "php",
    "php-fpm",
    "perl",
    "dotnet",
    "nginx",
    "httpd",
    "caddy",
    "envoy",
    "uvicorn",
    "gunicorn",
    "supervisord",
    "postgres",
    "redis-server",
    "mysqld",
    "mongod",
];

/// The program the image runs by file name: the first word of its ENTRYPOINT (or of CMD
/// without one), looking through init wrappers; scripts and generic programs are no name.
fn program(df: &crate::syntax::dockerfile::Dockerfile, stage: &crate::syntax::dockerfile::Stage) -> Option<String> {
    let words = super::dockerfile::start_command(df, stage);
    let name = first_program(&words)?;
    let generic = GENERIC_PROGRAMS.contains(&name) || name.contains('.') || name.contains('$') || name.contains("entrypoint");
    (!generic && !name.is_empty()).then(|| name.to_string())
}

/// The program a command line runs, by file name: init wrappers (`tini --`, `gosu app`) and
/// their flags passed over.
fn first_program(words: &[String]) -> Option<&str> {
    words
        .iter()
        .map(|w| file_name(w))
        .find(|w| !w.starts_with('-') && !matches!(*w, "tini" | "dumb-init" | "gosu" | "su-exec" | "exec"))
}

/// The services of a Compose file, each `extends:` of a service in another file of the run
/// merged in (its healthcheck, user and grace period count for the runtime).
fn services(file: &File, files: &[File]) -> Vec<Service> {
    let Some(own) = file.model::<ComposeFile>() else {
        return Vec::new();
    };
    let lookup = |path: &str| files.iter().find(|f| f.path() == path).and_then(|f| f.model::<ComposeFile>());
    let compose = merge_across_files(file.path(), &own, &lookup).map_or(own, std::sync::Arc::new);
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
            let build_context = s.build.as_ref().and_then(|b| b.context_path(dir));
            let env: Vec<SetVar> = s
                .environment
                .iter()
                .filter(|e| !e.inherited)
                .map(|e| SetVar {
                    name: e.key.clone(),
                    at: at(e.key_span),
                    value: e.value.clone(),
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
            let checks_health = s.healthcheck.as_ref().is_some_and(|h| !h.disabled);
            let health_command = node
                .and_then(|(d, n)| d.get(d.get(n, "healthcheck")?, "test").map(|t| (d, t)))
                .filter(|_| checks_health)
                .and_then(|(d, test)| match test.as_str() {
                    Some(script) => HealthCommand::from_script(script, test.span, file.path()),
                    None => {
                        let items: Vec<(&str, Span)> = d.items(test).iter().filter_map(|i| Some((i.as_str()?, i.span))).collect();
                        match items.split_first() {
                            Some(((form, _), rest)) if *form == "CMD" => HealthCommand::from_words(rest, file.path()),
                            Some(((form, _), [(script, span), ..])) if *form == "CMD-SHELL" => {
                                HealthCommand::from_script(script, *span, file.path())
                            }
                            _ => None,
                        }
                    }
                });
            Service {
                name: s.name.clone(),
                at: at(s.key_span),
                build_context,
                built: s.build.is_some(),
                image: s.image.as_ref().map(|i| i.value.clone()),
                ports,
                env,
                user: s.user.as_ref().map(|u| u.value.clone()),
                checks_health,
                health_command,
                stop_grace_period: s.stop_grace_period.as_ref().map(|g| (g.value.clone(), at(g.span))),
                mounted: s
                    .volumes
                    .iter()
                    .filter(|v| v.is_bind())
                    .filter_map(|v| v.source.as_deref().filter(|p| p.starts_with('.')))
                    .filter_map(|p| join(dir, p))
                    .collect(),
                command_line: CommandLine::new(
                    s.entrypoint.as_ref().map(|e| e.value.as_slice()),
                    s.command.as_ref().map(|c| c.value.as_slice()),
                ),
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
                            value: e.value.as_ref().and_then(Node::as_str).map(str::to_string),
                        })
                        .collect(),
                    run_as_user: c.effective_security(pod, "runAsUser").and_then(|(n, _)| int_value(n)),
                    probed: c.liveness_probe.is_some() || c.readiness_probe.is_some(),
                    grace_period: pod
                        .get("terminationGracePeriodSeconds")
                        .and_then(|n| Some((int_value(n)?, at(n.span)))),
                    probe_ports: [&c.liveness_probe, &c.readiness_probe, &c.startup_probe]
                        .into_iter()
                        .flatten()
                        .filter_map(|probe| {
                            let port = ["httpGet", "tcpSocket", "grpc"]
                                .iter()
                                .find_map(|h| probe.value.get(h)?.get("port"))?;
                            let number = match int_value(port) {
                                Some(n) => n,
                                None => c.ports.iter().find(|p| p.name.as_deref() == port.as_str())?.container_port?,
                            };
                            Some((u16::try_from(number).ok()?, at(port.span)))
                        })
                        .collect(),
                    exec_probes: [&c.liveness_probe, &c.readiness_probe, &c.startup_probe]
                        .into_iter()
                        .flatten()
                        .filter_map(|probe| {
                            let command = probe.value.get_path(&["exec", "command"])?.as_seq()?;
                            let words: Vec<(&str, Span)> = command.iter().filter_map(|w| Some((w.as_str()?, w.span))).collect();
                            HealthCommand::from_words(&words, &path)
                        })
                        .collect(),
                    command_line: {
                        let words = |key: &str| -> Option<Vec<String>> {
                            let items = c.node.get(key)?.as_seq()?;
                            Some(items.iter().filter_map(|w| w.as_str().map(str::to_string)).collect())
                        };
                        CommandLine::new(words("command").as_deref(), words("args").as_deref())
                    },
                });
            }
        }
        if obj.is("Service") {
            g.kube_services.push(kube_service(&path, obj));
        }
        if obj.is("ConfigMap") {
            g.jobs.extend(embedded_jobs(&path, obj));
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
                    let target_node = p.get("targetPort");
                    let target = target_node.and_then(|t| t.as_str().map(str::to_string).or_else(|| int_value(t).map(|i| i.to_string())));
                    KubePort {
                        name: p.get("name").and_then(Node::as_str).map(str::to_string),
                        port: p.get("port").and_then(int_value),
                        target,
                        at: At {
                            path: path.to_string(),
                            span: target_node.or_else(|| p.get("port")).map_or(p.span, |n| n.span),
                        },
                    }
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
    // A monitor that names no namespace is applied into one (`kubectl apply -n`), and
    // kubebuilder's `system` is a placeholder its Kustomization replaces: either watches the
    // namespace it ends up in, which the files do not say.
    let own = obj.node.get_path(&["metadata", "namespace"]).and_then(Node::as_str);
    let placed_later = own.is_none_or(|n| n == "system");
    let namespaces = match ns {
        None if placed_later => None,
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

/// The scrape jobs of a prometheus.yml held in a ConfigMap's `data` (plain-manifest
/// deployments mount Prometheus's config that way), each placed at its data key: the embedded
/// text is parsed on its own, so its spans are not the manifest's.
fn embedded_jobs(path: &str, obj: &Object) -> Vec<ScrapeJob> {
    let Some(data) = obj.node.get("data").and_then(Node::as_map) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in data {
        let (Some(key), Some(text)) = (entry.key.as_str(), entry.value.as_str()) else {
            continue;
        };
        if !matches!(key, "prometheus.yml" | "prometheus.yaml") {
            continue;
        }
        let tree = crate::syntax::yaml::parse(text, &crate::syntax::Limits::default());
        let embedded = File::new(
            crate::source::SourceFile::new(path, std::path::PathBuf::from(path), text.to_string()),
            FileKind::PrometheusConfig,
            super::Parsed::Tree(tree),
            crate::surface::Placement::production(),
        );
        out.extend(jobs(&embedded).into_iter().map(|mut j| {
            j.span = entry.key.span;
            for t in &mut j.targets {
                t.2 = entry.key.span;
            }
            j
        }));
    }
    out
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
        assert_eq!(join("", "a/./b/../c").as_deref(), Some("a/c"));
        assert_eq!(join("a", "../../x"), None);
    }
}
