//! Typed view of a Compose file: each service with the fields production checks read, every
//! value keeping its span.
//!
//! Values are read as Compose reads them: `<<:` merge keys and aliases are followed (a key
//! merged from an `x-` anchor points into the anchor), `environment:` and `depends_on:` come in
//! their list and map forms, ports in short (`"127.0.0.1:8080:80/tcp"`) and long syntax.
//! Interpolation is not performed — andon does not know the environment — but
//! [`interpolation`] tells a value that comes from a variable from a literal one.

use super::{File, FromFile};
use crate::kind::FileKind;
use crate::source::Span;
use crate::syntax::tree::{Document, Node, NodeKind, ScalarStyle};
use std::collections::HashMap;

/// A value and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A Compose file: its services in file order.
#[derive(Clone, Debug, Default)]
pub struct ComposeFile {
    pub services: Vec<Service>,
    /// The top-level `version:` entry: (key span, span of the whole line including its newline).
    pub version: Option<(Span, Span)>,
    /// The files of the top-level `include:`, as written (relative to this file's folder):
    /// their services are part of the same application.
    pub includes: Vec<String>,
}

impl ComposeFile {
    /// A job that runs once and exits: another service waits for it to complete
    /// (`condition: service_completed_successfully`), or its name says it migrates, seeds,
    /// imports or sets up (`db-migrate`, `importer`, `createbuckets`). Restarting it would run
    /// it again forever, and its log is a few lines.
    pub fn is_one_shot(&self, service: &Service) -> bool {
        const JOB_WORDS: &[&str] = &[
            "init",
            "migrate",
            "migration",
            "migrations",
            "migrator",
            "setup",
            "seed",
            "seeder",
            "import",
            "importer",
            "bootstrap",
            "provision",
            "provisioner",
            "createbuckets",
            "job",
            "oneshot",
        ];
        let awaited = self
            .services
            .iter()
            .flat_map(|o| &o.depends_on)
            .any(|d| d.service == service.name && d.condition.as_ref().is_some_and(|c| c.value == "service_completed_successfully"));
        awaited
            || service
                .name
                .to_ascii_lowercase()
                .split(['-', '_', '.'])
                .any(|w| JOB_WORDS.contains(&w))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Service {
    pub name: String,
    /// The service's key: where findings about a missing field point.
    pub key_span: Span,
    /// The `#` comment lines right above the service's key, joined: where a file says a
    /// service is "for testing purposes only".
    pub comment_above: Option<String>,
    /// The whole entry, from its key to the end of its value.
    pub entry_span: Span,
    /// Where a new key of this service goes (start of its first own key's line) and the
    /// indentation that key uses; `None` for flow-style or empty services.
    pub insert_at: Option<(usize, String)>,
    pub image: Option<Spanned<String>>,
    /// A `build:` section: the image is built from this repository.
    pub build: Option<Build>,
    /// `extends:` another service that andon could not merge: fields may come from elsewhere.
    /// An `extends:` of a service of the same file is merged as Compose merges it, for the
    /// fields production checks read, and leaves this false; one of a service in another file
    /// stays true here until [`merge_across_files`] finds that file among the run's.
    pub extends: bool,
    /// The `extends: {file: …, service: …}` still to merge, this service's own or one its
    /// same-file base carries (a chain).
    pub extends_file: Option<ExtendsRef>,
    /// Which of the fields rules report at were taken from an `extends:` base: written there,
    /// judged there.
    pub from_base: FromBase,
    /// The base of its `extends:`, merged as the service sees it: a field that both lack is
    /// missing in the base, where adding it fixes every service built on it.
    pub base: Option<Box<Service>>,
    /// The image inherited through `extends:` (its span is in the base service), when the
    /// service names none itself: what the service runs, without reporting the base's image
    /// twice.
    pub inherited_image: Option<Spanned<String>>,
    pub restart: Option<Spanned<String>>,
    /// `deploy.restart_policy` (Swarm / `docker stack`) is present.
    pub deploy_restart_policy: bool,
    /// The service is written for a Swarm stack: its `deploy:` has keys only `docker stack
    /// deploy` reads (`mode`, `placement`, `update_config`, `rollback_config`,
    /// `endpoint_mode`). Swarm restarts a task on any exit unless told otherwise.
    pub swarm: bool,
    pub ports: Vec<Port>,
    /// The `environment:` key, when present.
    pub environment_key: Option<Span>,
    pub environment: Vec<EnvEntry>,
    pub env_files: Vec<Spanned<String>>,
    pub healthcheck: Option<Healthcheck>,
    pub depends_on: Vec<Dependency>,
    pub limits: Limits,
    pub logging: Option<Logging>,
    pub user: Option<Spanned<String>>,
    pub cap_add: Vec<Spanned<String>>,
    pub cap_drop: Vec<Spanned<String>>,
    pub security_opt: Vec<Spanned<String>>,
    pub read_only: Option<Spanned<bool>>,
    pub privileged: Option<Spanned<bool>>,
    pub network_mode: Option<Spanned<String>>,
    pub volumes: Vec<VolumeMount>,
    pub secrets: Vec<Spanned<String>>,
    pub stop_grace_period: Option<Spanned<String>>,
    /// `ulimits.nofile` key span, when set.
    pub ulimit_nofile: Option<Span>,
    /// `init: true`.
    pub init: bool,
    /// `entrypoint:` as its words (a string is split as Compose splits it, shell-like but
    /// without a shell); `None` when the image's own applies.
    pub entrypoint: Option<Spanned<Vec<String>>>,
    /// `command:` as its words, like `entrypoint`.
    pub command: Option<Spanned<Vec<String>>>,
    /// `tmpfs:` mount points.
    pub tmpfs: Vec<String>,
    /// `profiles:` — the service only starts when one of them is enabled.
    pub profiles: Vec<String>,
}

/// A service's `build:`: `build: ./api` or `build: {context: ./api, dockerfile: Dockerfile.prod}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    /// The context folder as written, relative to the Compose file's folder; `None` for a
    /// remote (`https://`, `git@`) or absolute one, which is not a folder of the repository.
    pub context: Option<String>,
    /// `dockerfile:`, relative to the context (`Dockerfile` when not given).
    pub dockerfile: String,
}

impl Build {
    fn read(doc: &Document, node: &Node) -> Build {
        let context = node
            .as_str()
            .or_else(|| doc.get(node, "context").and_then(Node::as_str))
            .unwrap_or(".");
        let local = !(context.contains("://") || context.starts_with('/') || context.starts_with("git@"));
        Build {
            context: local.then(|| context.to_string()),
            dockerfile: doc
                .get(node, "dockerfile")
                .and_then(Node::as_str)
                .unwrap_or("Dockerfile")
                .to_string(),
        }
    }

    /// The context as a repository path, for a Compose file in `compose_dir`.
    pub fn context_path(&self, compose_dir: &str) -> Option<String> {
        super::repo::join(compose_dir, self.context.as_deref()?)
    }

    /// The Dockerfile it builds, as a repository path.
    pub fn dockerfile_path(&self, compose_dir: &str) -> Option<String> {
        super::repo::join(&self.context_path(compose_dir)?, &self.dockerfile)
    }
}

/// `extends: {file: common.yaml, service: web}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtendsRef {
    /// As written, relative to the folder of the file that names it.
    pub file: String,
    pub service: String,
    /// The `extends` key of the service that names it.
    pub span: Span,
}

/// Fields of a service that come from the base of its `extends:`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FromBase {
    pub healthcheck: bool,
    pub logging: bool,
    pub entrypoint: bool,
    pub command: bool,
}

/// One published or exposed port of `ports:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// The whole item.
    pub span: Span,
    /// Host address it binds, when given (`127.0.0.1`, `::1`, `0.0.0.0`, `${BIND}`).
    pub host_ip: Option<String>,
    /// Host port or range as written; `None` when Docker picks a random host port.
    pub published: Option<String>,
    /// Container port or range as written.
    pub target: String,
    pub protocol: Option<String>,
    /// Text of a comment on the item's line (`# Metrics`), for the port's purpose.
    pub comment: Option<String>,
}

impl Port {
    /// The first container port number (the start of a range).
    pub fn target_number(&self) -> Option<u16> {
        self.target.split('-').next()?.trim().parse().ok()
    }

    /// Published on every host interface: no host address, or `0.0.0.0`/`::`.
    pub fn on_all_interfaces(&self) -> bool {
        match self.host_ip.as_deref() {
            None => true,
            Some(ip) => matches!(ip, "0.0.0.0" | "::" | "[::]" | ""),
        }
    }
}

/// One `environment:` variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvEntry {
    /// Merged in from the base service of an `extends:`: written there, judged there.
    pub inherited: bool,
    pub key: String,
    pub key_span: Span,
    /// `None` for `- KEY` or `KEY:` with no value: the value comes from the shell running Compose.
    pub value: Option<String>,
    pub value_span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Healthcheck {
    pub key_span: Span,
    /// The `test:` value: its words (exec form, `CMD`/`CMD-SHELL` included) or the shell string.
    pub test: Option<Spanned<Vec<String>>>,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub service: String,
    pub span: Span,
    /// `condition:` of the long form; `None` for the short list form (`service_started`).
    pub condition: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// `deploy.resources.limits.cpus` or the service-level `cpus:`.
    pub cpus: Option<Spanned<String>>,
    /// `deploy.resources.limits.memory` or `mem_limit:`.
    pub memory: Option<Spanned<String>>,
    /// The `deploy.resources` key, when present.
    pub resources_key: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logging {
    pub key_span: Span,
    pub driver: Option<Spanned<String>>,
    /// `options:` entries as (name, value).
    pub options: Vec<(String, Spanned<String>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeMount {
    /// Merged in from the base service of an `extends:`: written there, judged there.
    pub inherited: bool,
    pub span: Span,
    /// Host path or named volume; `None` for an anonymous volume.
    pub source: Option<String>,
    pub target: Option<String>,
    pub read_only: bool,
}

impl Service {
    /// The image the service runs: its own, or the one its `extends:` base names.
    pub fn image_run(&self) -> Option<&Spanned<String>> {
        self.image.as_ref().or(self.inherited_image.as_ref())
    }

    /// A fragment of a service that another Compose file defines: no image, nothing to build
    /// and no `extends:`. Compose cannot run it alone, so it is an overlay combined with `-f`
    /// (`docker-compose.logging.yml` adding a logging driver to `front-end`); what the service
    /// lacks is judged where it is defined.
    pub fn is_fragment(&self) -> bool {
        self.image_run().is_none() && self.build.is_none() && !self.extends && self.base.is_none()
    }
}

impl VolumeMount {
    /// A bind mount of a host path rather than a named volume.
    pub fn is_bind(&self) -> bool {
        self.source
            .as_deref()
            .is_some_and(|s| s.starts_with('/') || s.starts_with('.') || s.starts_with('~') || s.starts_with('$'))
    }
}

impl FromFile for ComposeFile {
    fn build(file: &File) -> Option<Self> {
        if file.kind != FileKind::Compose {
            return None;
        }
        let tree = file.tree()?;
        let mut out = ComposeFile::default();
        for doc in &tree.docs {
            let Some(root) = doc.root.as_ref() else {
                continue;
            };
            if let Some(e) = root.entry("version") {
                out.version = Some((e.key.span, whole_line(file.text(), e.key.span.cover(e.value.span))));
            }
            // `include: [a.yaml, {path: b.yaml}, {path: [c.yaml, c.prod.yaml]}]`
            for item in doc.get(root, "include").map(|n| doc.items(n)).unwrap_or_default() {
                let paths = doc.get(item, "path").unwrap_or(item);
                let paths = if paths.as_str().is_some() { vec![paths] } else { doc.items(paths) };
                out.includes.extend(paths.into_iter().filter_map(Node::as_str).map(str::to_string));
            }
            let Some(services) = doc.get(root, "services") else {
                continue;
            };
            let mut read = Vec::new();
            for e in doc.entries(services) {
                let Some(name) = e.key.as_str() else { continue };
                if let Some(mut s) = read_service(doc, file.text(), name, e.key.span, &e.value) {
                    let extends = doc
                        .entries(doc.resolve(&e.value))
                        .into_iter()
                        .find(|x| x.key.as_str() == Some("extends"));
                    let base = extends.as_ref().and_then(|x| same_file_base(doc, &x.value));
                    s.extends_file = extends.and_then(|x| other_file_base(doc, &x.value, x.key.span));
                    read.push((s, base));
                }
            }
            out.services.extend(resolve_extends(read));
        }
        Some(out)
    }
}

/// The service an `extends:` names when it is in the same file (`extends: base`, or
/// `extends: {service: base}` without `file:`).
fn same_file_base(doc: &Document, node: &Node) -> Option<String> {
    if let Some(name) = node.as_str() {
        return Some(name.to_string());
    }
    if doc.get(node, "file").is_some() {
        return None;
    }
    doc.get(node, "service").and_then(Node::as_str).map(str::to_string)
}

/// `extends: {file: …, service: …}`.
fn other_file_base(doc: &Document, node: &Node, span: Span) -> Option<ExtendsRef> {
    Some(ExtendsRef {
        file: doc.get(node, "file")?.as_str()?.to_string(),
        service: doc.get(node, "service")?.as_str()?.to_string(),
        span,
    })
}

/// Merges each service that extends another of the same file with its base, chains included
/// (a cycle or a missing base stays unmerged, `extends` true).
fn resolve_extends(mut read: Vec<(Service, Option<String>)>) -> Vec<Service> {
    // A chain is at most as long as the file has services; each round merges one more level.
    for _ in 0..read.len() {
        let mut merged_any = false;
        for i in 0..read.len() {
            let Some(base_name) = read[i].1.clone() else { continue };
            let Some(base) = read.iter().find(|(b, pending)| b.name == base_name && pending.is_none()) else {
                continue;
            };
            let base = base.0.clone();
            let child = &mut read[i];
            inherit(&mut child.0, &base);
            child.1 = None;
            merged_any = true;
        }
        if !merged_any {
            break;
        }
    }
    read.into_iter()
        .map(|(mut s, pending)| {
            s.extends = pending.is_some() || s.extends;
            s
        })
        .collect()
}

/// Compose's merge of a base service into one that extends it (the spec's merge rules, which
/// `-f base -f overlay` follows too), for the fields the checks read: the service's own values
/// win (`command`, `entrypoint` and the healthcheck are replaced whole), lists are joined,
/// `ports`, `volumes` and `secrets` unique by target. `depends_on` is not inherited. A base that
/// itself still extends a service of another file passes that reference on.
fn inherit(s: &mut Service, base: &Service) {
    fn take<T: Clone>(own: &mut Option<T>, base: &Option<T>) -> bool {
        let taken = own.is_none() && base.is_some();
        if own.is_none() {
            own.clone_from(base);
        }
        taken
    }
    fn join<T: Clone>(own: &mut Vec<T>, base: &[T], same: impl Fn(&T, &T) -> bool) {
        let extra: Vec<T> = base.iter().filter(|b| !own.iter().any(|o| same(o, b))).cloned().collect();
        own.extend(extra);
    }
    s.extends = base.extends;
    s.base = Some(Box::new(base.clone()));
    if s.extends_file.is_none() {
        s.extends_file.clone_from(&base.extends_file);
    }
    if s.image.is_none() {
        s.inherited_image = base.image.clone().or_else(|| base.inherited_image.clone());
        if s.build.is_none() {
            s.build.clone_from(&base.build);
        }
    }
    take(&mut s.restart, &base.restart);
    s.deploy_restart_policy |= base.deploy_restart_policy;
    s.swarm |= base.swarm;
    s.from_base.healthcheck |= take(&mut s.healthcheck, &base.healthcheck);
    take(&mut s.limits.cpus, &base.limits.cpus);
    take(&mut s.limits.memory, &base.limits.memory);
    take(&mut s.limits.resources_key, &base.limits.resources_key);
    s.from_base.logging |= take(&mut s.logging, &base.logging);
    // Both set `logging:`: the mappings merge, the base's options filling what the service omits.
    if let (Some(own), Some(b)) = (&mut s.logging, &base.logging) {
        let driver = |l: &Logging| l.driver.as_ref().map_or("json-file", |d| d.value.as_str()).to_string();
        if own.driver.is_none() || driver(own) == driver(b) {
            take(&mut own.driver, &b.driver);
            join(&mut own.options, &b.options, |x, y| x.0 == y.0);
        }
    }
    take(&mut s.user, &base.user);
    take(&mut s.read_only, &base.read_only);
    take(&mut s.stop_grace_period, &base.stop_grace_period);
    take(&mut s.ulimit_nofile, &base.ulimit_nofile);
    s.from_base.entrypoint |= take(&mut s.entrypoint, &base.entrypoint);
    s.from_base.command |= take(&mut s.command, &base.command);
    take(&mut s.environment_key, &base.environment_key);
    s.init |= base.init;
    let base_env: Vec<EnvEntry> = base
        .environment
        .iter()
        .map(|e| EnvEntry {
            inherited: true,
            ..e.clone()
        })
        .collect();
    join(&mut s.environment, &base_env, |a, b| a.key == b.key);
    join(&mut s.env_files, &base.env_files, |a, b| a.value == b.value);
    let base_volumes: Vec<VolumeMount> = base
        .volumes
        .iter()
        .map(|v| VolumeMount {
            inherited: true,
            ..v.clone()
        })
        .collect();
    join(&mut s.volumes, &base_volumes, |a, b| a.target == b.target);
    join(&mut s.tmpfs, &base.tmpfs, |a, b| a == b);
    join(&mut s.cap_drop, &base.cap_drop, |a, b| a.value == b.value);
    join(&mut s.security_opt, &base.security_opt, |a, b| a.value == b.value);
    join(&mut s.secrets, &base.secrets, |a, b| a.value == b.value);
}

/// The longest chain of `extends:` across files followed; a longer one is left unmerged.
const MAX_EXTENDS_DEPTH: usize = 16;

/// `compose` (the model of the file at repository path `path`) with each service that
/// extends a service of another file merged with it as Compose merges it, chains included;
/// `None` when no service does. `lookup` gives the model of another file of the run by its
/// repository path.
///
/// The other file is looked for among the run's files only, never read from disk: only `app`
/// reads files, a reference never leads out of what the user asked andon to check, and the
/// base's own problems are reported in that file when it is checked. A reference that leaves
/// the repository (`../`, an absolute path), names a file or service the run does not have, a
/// variable, or a cycle leaves the service unmerged (`extends` true: the checks of missing
/// fields skip it), silently: Compose reports those itself when it loads the file.
///
/// Merged values are written in another file: their spans are moved to the `extends` key, so
/// that no span ever points into the wrong file, and [`FromBase`], inherited volumes and
/// environment entries say they are the base's to report.
pub fn merge_across_files(
    path: &str,
    compose: &ComposeFile,
    lookup: &dyn Fn(&str) -> Option<std::sync::Arc<ComposeFile>>,
) -> Option<ComposeFile> {
    if !compose.services.iter().any(|s| s.extends_file.is_some()) {
        return None;
    }
    let mut out = compose.clone();
    for s in out.services.iter_mut() {
        let Some(r) = s.extends_file.clone() else { continue };
        let mut seen = vec![(path.to_string(), s.name.clone())];
        let Some(base) = base_in_other_file(path, &r, lookup, &mut seen) else {
            continue;
        };
        inherit(s, &moved_to(base, r.span));
        s.extends_file = None;
    }
    Some(out)
}

/// The service `r` names, itself merged with what it extends in turn; `None` when any link of
/// the chain is missing, leaves the repository or loops back.
fn base_in_other_file(
    from: &str,
    r: &ExtendsRef,
    lookup: &dyn Fn(&str) -> Option<std::sync::Arc<ComposeFile>>,
    seen: &mut Vec<(String, String)>,
) -> Option<Service> {
    if r.file.starts_with(['/', '~', '\\']) || r.file.contains('$') || seen.len() > MAX_EXTENDS_DEPTH {
        return None;
    }
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let path = super::repo::join(dir, &r.file)?;
    if seen.iter().any(|(p, n)| *p == path && *n == r.service) {
        return None;
    }
    seen.push((path.clone(), r.service.clone()));
    let compose = lookup(&path)?;
    let mut base = compose.services.iter().find(|b| b.name == r.service)?.clone();
    if let Some(next) = base.extends_file.clone() {
        let further = base_in_other_file(&path, &next, lookup, seen)?;
        inherit(&mut base, &moved_to(further, next.span));
        base.extends_file = None;
    }
    (!base.extends).then_some(base)
}

/// Merges `base`, a service written in another file (a base file under its override), into
/// `s` as Compose merges them, the base's spans moved to `at` in `s`'s file.
pub fn merge_from_other_file(s: &mut Service, base: &Service, at: Span) {
    inherit(s, &moved_to(base.clone(), at));
}

/// `base` with every span it holds moved to `at`: values written in another file, attributed
/// in this one to the `extends` key that brings them in.
fn moved_to(mut base: Service, at: Span) -> Service {
    fn move_opt<T>(v: &mut Option<Spanned<T>>, at: Span) {
        if let Some(v) = v {
            v.span = at;
        }
    }
    fn move_all<T>(v: &mut [Spanned<T>], at: Span) {
        for v in v {
            v.span = at;
        }
    }
    base.key_span = at;
    base.entry_span = at;
    base.insert_at = None;
    move_opt(&mut base.image, at);
    move_opt(&mut base.inherited_image, at);
    move_opt(&mut base.restart, at);
    move_opt(&mut base.user, at);
    move_opt(&mut base.read_only, at);
    move_opt(&mut base.privileged, at);
    move_opt(&mut base.network_mode, at);
    move_opt(&mut base.stop_grace_period, at);
    move_opt(&mut base.entrypoint, at);
    move_opt(&mut base.command, at);
    move_opt(&mut base.limits.cpus, at);
    move_opt(&mut base.limits.memory, at);
    base.limits.resources_key = base.limits.resources_key.map(|_| at);
    base.ulimit_nofile = base.ulimit_nofile.map(|_| at);
    base.environment_key = base.environment_key.map(|_| at);
    move_all(&mut base.env_files, at);
    move_all(&mut base.cap_add, at);
    move_all(&mut base.cap_drop, at);
    move_all(&mut base.security_opt, at);
    move_all(&mut base.secrets, at);
    for e in &mut base.environment {
        e.key_span = at;
        e.value_span = e.value_span.map(|_| at);
    }
    for p in &mut base.ports {
        p.span = at;
    }
    for v in &mut base.volumes {
        v.span = at;
    }
    for d in &mut base.depends_on {
        d.span = at;
        move_opt(&mut d.condition, at);
    }
    if let Some(h) = &mut base.healthcheck {
        h.key_span = at;
        move_opt(&mut h.test, at);
    }
    if let Some(l) = &mut base.logging {
        l.key_span = at;
        move_opt(&mut l.driver, at);
        for (_, v) in &mut l.options {
            v.span = at;
        }
    }
    base
}

/// The lines `span` covers, newline included, when nothing else shares them but a comment.
fn whole_line(text: &str, span: Span) -> Span {
    let start = text.get(..span.start as usize).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let end = text
        .get(span.end as usize..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| span.end as usize + i + 1);
    Span::new(start, end)
}

fn read_service(doc: &Document, text: &str, name: &str, key: Span, node: &Node) -> Option<Service> {
    let node = doc.resolve(node);
    if !matches!(node.kind, NodeKind::Map(_)) && !node.is_null() {
        return None;
    }
    let get = |k: &str| doc.get(node, k);
    let mut s = Service {
        name: name.to_string(),
        key_span: key,
        comment_above: comment_above(text, key),
        entry_span: Span::new(key.start as usize, node.span.end.max(key.end) as usize),
        insert_at: insert_point(text, node),
        image: get("image").and_then(spanned_str),
        build: get("build").map(|b| Build::read(doc, doc.resolve(b))),
        extends: get("extends").is_some(),
        restart: get("restart").and_then(spanned_str),
        deploy_restart_policy: doc.get_path(node, &["deploy", "restart_policy"]).is_some(),
        swarm: ["mode", "placement", "update_config", "rollback_config", "endpoint_mode"]
            .iter()
            .any(|k| doc.get_path(node, &["deploy", k]).is_some()),
        user: get("user").and_then(spanned_str),
        read_only: get("read_only").and_then(spanned_bool),
        privileged: get("privileged").and_then(spanned_bool),
        network_mode: get("network_mode").and_then(spanned_str),
        stop_grace_period: get("stop_grace_period").and_then(spanned_str),
        init: get("init").and_then(Node::as_bool) == Some(true),
        ..Service::default()
    };
    s.entrypoint = get("entrypoint").and_then(|n| read_command(doc, n));
    s.command = get("command").and_then(|n| read_command(doc, n));
    s.tmpfs = strings(doc, get("tmpfs"))
        .into_iter()
        .map(|t| t.value.split(':').next().unwrap_or_default().to_string())
        .collect();
    s.cap_add = strings(doc, get("cap_add"));
    s.cap_drop = strings(doc, get("cap_drop"));
    s.security_opt = strings(doc, get("security_opt"));
    s.profiles = strings(doc, get("profiles")).into_iter().map(|p| p.value).collect();
    s.env_files = match get("env_file") {
        Some(n) if n.as_str().is_some() => spanned_str(n).into_iter().collect(),
        Some(n) => doc
            .items(n)
            .into_iter()
            .filter_map(|i| spanned_str(i).or_else(|| doc.get(i, "path").and_then(spanned_str)))
            .collect(),
        None => Vec::new(),
    };
    s.secrets = get("secrets")
        .map(|n| {
            doc.items(n)
                .into_iter()
                .filter_map(|i| spanned_str(i).or_else(|| doc.get(i, "source").and_then(spanned_str)))
                .collect()
        })
        .unwrap_or_default();
    s.environment_key = entry_key_span(doc, node, "environment");
    s.environment = get("environment").map(|n| read_environment(doc, text, n)).unwrap_or_default();
    s.ports = get("ports")
        .map(|n| doc.items(n).into_iter().filter_map(|p| read_port(doc, text, p)).collect())
        .unwrap_or_default();
    s.healthcheck = entry_key_span(doc, node, "healthcheck").map(|key_span| {
        let hc = get("healthcheck");
        Healthcheck {
            key_span,
            test: hc.and_then(|h| doc.get(h, "test")).and_then(|t| read_words(doc, t)),
            disabled: hc.and_then(|h| doc.get(h, "disable")).and_then(Node::as_bool) == Some(true),
        }
    });
    s.depends_on = get("depends_on").map(|n| read_depends_on(doc, n)).unwrap_or_default();
    s.limits = Limits {
        cpus: doc
            .get_path(node, &["deploy", "resources", "limits", "cpus"])
            .or_else(|| get("cpus"))
            .and_then(spanned_str),
        memory: doc
            .get_path(node, &["deploy", "resources", "limits", "memory"])
            .or_else(|| get("mem_limit"))
            .and_then(spanned_str),
        resources_key: get("deploy").and_then(|d| entry_key_span(doc, d, "resources")),
    };
    s.logging = entry_key_span(doc, node, "logging").map(|key_span| {
        let l = get("logging");
        Logging {
            key_span,
            driver: l.and_then(|l| doc.get(l, "driver")).and_then(spanned_str),
            options: l
                .and_then(|l| doc.get(l, "options"))
                .map(|o| {
                    doc.entries(o)
                        .into_iter()
                        .filter_map(|e| {
                            let v = doc.resolve(&e.value);
                            Some((e.key.as_str()?.to_string(), spanned_str(v)?))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    });
    s.ulimit_nofile = get("ulimits").and_then(|u| entry_key_span(doc, u, "nofile"));
    s.volumes = get("volumes")
        .map(|n| doc.items(n).into_iter().filter_map(|v| read_volume(doc, v)).collect())
        .unwrap_or_default();
    Some(s)
}

/// The key span of `key` in `map`, following merge keys.
fn entry_key_span(doc: &Document, map: &Node, key: &str) -> Option<Span> {
    doc.entries(map)
        .into_iter()
        .find(|e| e.key.as_str() == Some(key))
        .map(|e| e.key.span)
}

fn spanned_str(n: &Node) -> Option<Spanned<String>> {
    Some(Spanned {
        value: n.as_str()?.to_string(),
        span: n.span,
    })
}

fn spanned_bool(n: &Node) -> Option<Spanned<bool>> {
    Some(Spanned {
        value: n.as_bool()?,
        span: n.span,
    })
}

/// A list of strings, or a single string as a list of one.
fn strings(doc: &Document, n: Option<&Node>) -> Vec<Spanned<String>> {
    let Some(n) = n else { return Vec::new() };
    if let Some(s) = spanned_str(n) {
        return vec![s];
    }
    doc.items(n).into_iter().filter_map(spanned_str).collect()
}

/// Where a new key goes in a block map: the start of its first own key's line, and that key's
/// indentation. Only when the key starts its line, so the insertion cannot land mid-line.
fn insert_point(text: &str, map: &Node) -> Option<(usize, String)> {
    let first = map.as_map()?.first()?;
    let at = first.key.span.start as usize;
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = text.get(line_start..at)?;
    if indent.is_empty() || !indent.chars().all(|c| c == ' ') {
        return None;
    }
    Some((line_start, indent.to_string()))
}

/// The comment lines right above the line where `span` starts, in order, joined by spaces.
fn comment_above(text: &str, span: Span) -> Option<String> {
    let start = text.get(..span.start as usize)?.rfind('\n').map_or(0, |i| i + 1);
    let lines: Vec<&str> = text[..start]
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    (!lines.is_empty()).then(|| lines.into_iter().rev().collect::<Vec<_>>().join(" "))
}

/// The text of a `#` comment on the line where `span` ends, if any.
fn trailing_comment(text: &str, span: Span) -> Option<String> {
    let rest = text.get(span.end as usize..)?;
    let line = rest.split('\n').next().unwrap_or("");
    let hash = line.find('#')?;
    if !line[..hash].trim().trim_matches(['"', '\'']).is_empty() {
        return None;
    }
    Some(line[hash + 1..].trim().to_string())
}

fn read_environment(doc: &Document, text: &str, node: &Node) -> Vec<EnvEntry> {
    if let NodeKind::Map(_) = doc.resolve(node).kind {
        return doc
            .entries(node)
            .into_iter()
            .filter_map(|e| {
                let key = e.key.as_str()?.to_string();
                let v = doc.resolve(&e.value);
                let value = match &v.kind {
                    NodeKind::Scalar(s) if !s.is_null() => Some(s.value.clone()),
                    _ => None,
                };
                Some(EnvEntry {
                    inherited: false,
                    key,
                    key_span: e.key.span,
                    value_span: value.as_ref().map(|_| v.span),
                    value,
                })
            })
            .collect();
    }
    doc.items(node)
        .into_iter()
        .filter_map(|item| {
            let s = item.as_str()?;
            let (key, value) = match s.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (s, None),
            };
            let key_span = sub_span(text, item, 0, key.len()).unwrap_or(item.span);
            let value_span = value.map(|v| sub_span(text, item, key.len() + 1, key.len() + 1 + v.len()).unwrap_or(item.span));
            Some(EnvEntry {
                inherited: false,
                key: key.trim().to_string(),
                key_span,
                value: value.map(str::to_string),
                value_span,
            })
        })
        .collect()
}

/// The span of bytes `from..to` of a scalar's value, when the value is written as-is in the
/// text (plain, or quoted without escapes); `None` otherwise.
pub fn sub_span(text: &str, node: &Node, from: usize, to: usize) -> Option<Span> {
    let s = node.as_scalar()?;
    let raw = text.get(node.span.range())?;
    let offset = match s.style {
        ScalarStyle::Plain => 0,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1,
        _ => return None,
    };
    if raw.get(offset..offset + s.value.len()) != Some(s.value.as_str()) {
        return None;
    }
    let start = node.span.start as usize + offset;
    Some(Span::new(start + from, start + to))
}

fn read_port(doc: &Document, text: &str, node: &Node) -> Option<Port> {
    if let NodeKind::Map(_) = node.kind {
        let field = |k: &str| doc.get(node, k).and_then(|n| n.as_str()).map(str::to_string);
        return Some(Port {
            span: node.span,
            host_ip: field("host_ip"),
            published: field("published"),
            target: field("target")?,
            protocol: field("protocol"),
            comment: trailing_comment(text, node.span),
        });
    }
    let raw = node.as_str()?;
    let (spec, protocol) = match raw.rsplit_once('/') {
        Some((spec, proto)) => (spec, Some(proto.to_string())),
        None => (raw, None),
    };
    let (host_ip, published, target) = split_port_spec(spec)?;
    Some(Port {
        span: node.span,
        host_ip,
        published,
        target,
        protocol,
        comment: trailing_comment(text, node.span),
    })
}

/// `[HOST:][PUBLISHED:]TARGET`, where HOST may be an IPv6 address in brackets.
fn split_port_spec(spec: &str) -> Option<(Option<String>, Option<String>, String)> {
    let (host, rest) = if let Some(after) = spec.strip_prefix('[') {
        let (ip, rest) = after.split_once(']')?;
        (Some(ip.to_string()), rest.strip_prefix(':').unwrap_or(rest))
    } else {
        (None, spec)
    };
    let parts: Vec<&str> = rest.rsplitn(3, ':').collect();
    let owned = |s: &str| (!s.is_empty()).then(|| s.to_string());
    match (host, parts.as_slice()) {
        (Some(h), [target, published]) => Some((Some(h), owned(published), target.to_string())),
        (Some(h), [target]) => Some((Some(h), None, target.to_string())),
        (None, [target]) => Some((None, None, target.to_string())),
        (None, [target, published]) => Some((None, owned(published), target.to_string())),
        (None, [target, published, ip]) => Some((Some(ip.to_string()), owned(published), target.to_string())),
        _ => None,
    }
}

/// The words of a healthcheck `test:` (a list) or the shell string as one word.
fn read_words(doc: &Document, node: &Node) -> Option<Spanned<Vec<String>>> {
    if let Some(s) = node.as_str() {
        return Some(Spanned {
            value: vec![s.to_string()],
            span: node.span,
        });
    }
    let items = doc.items(node);
    if items.is_empty() {
        return None;
    }
    Some(Spanned {
        value: items.into_iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
        span: node.span,
    })
}

/// `command:`/`entrypoint:`: a list of words, or a string Compose splits into words.
fn read_command(doc: &Document, node: &Node) -> Option<Spanned<Vec<String>>> {
    if let Some(s) = node.as_str() {
        let words = crate::syntax::shell::split(s)
            .into_iter()
            .flat_map(|c| c.words.into_iter().map(|w| w.text))
            .collect();
        return Some(Spanned {
            value: words,
            span: node.span,
        });
    }
    let items = doc.items(node);
    (!items.is_empty()).then(|| Spanned {
        value: items.into_iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
        span: node.span,
    })
}

fn read_depends_on(doc: &Document, node: &Node) -> Vec<Dependency> {
    if let NodeKind::Map(_) = doc.resolve(node).kind {
        return doc
            .entries(node)
            .into_iter()
            .filter_map(|e| {
                Some(Dependency {
                    service: e.key.as_str()?.to_string(),
                    span: e.key.span,
                    condition: doc.get(&e.value, "condition").and_then(spanned_str),
                })
            })
            .collect();
    }
    doc.items(node)
        .into_iter()
        .filter_map(|i| {
            Some(Dependency {
                service: i.as_str()?.to_string(),
                span: i.span,
                condition: None,
            })
        })
        .collect()
}

fn read_volume(doc: &Document, node: &Node) -> Option<VolumeMount> {
    if let NodeKind::Map(_) = node.kind {
        let field = |k: &str| doc.get(node, k).and_then(|n| n.as_str()).map(str::to_string);
        return Some(VolumeMount {
            inherited: false,
            span: node.span,
            source: field("source"),
            target: field("target"),
            read_only: doc.get(node, "read_only").and_then(Node::as_bool) == Some(true),
        });
    }
    let raw = node.as_str()?;
    let parts: Vec<&str> = raw.split(':').collect();
    let (source, target, mode) = match parts.as_slice() {
        [target] => (None, Some(*target), None),
        [source, target] => (Some(*source), Some(*target), None),
        [source, target, mode, ..] => (Some(*source), Some(*target), Some(*mode)),
        [] => return None,
    };
    Some(VolumeMount {
        inherited: false,
        span: node.span,
        source: source.map(str::to_string),
        target: target.map(str::to_string),
        read_only: mode.is_some_and(|m| m.split(',').any(|o| o == "ro")),
    })
}

/// How a Compose value relates to interpolation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interpolated {
    /// The value with every `${VAR:-default}` / `${VAR-default}` replaced by its default;
    /// references without a default stay as written.
    pub with_defaults: String,
    /// Some part of the value comes from a variable that has no default.
    pub has_unset_reference: bool,
    /// The value holds at least one variable reference.
    pub has_reference: bool,
}

/// Reads `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `$VAR` and the `$$`
/// escape as Compose does, without an environment. A default is read as a value of its own
/// (`${A:-${B:-x}}`); that nesting is followed with a stack of open defaults, not by
/// recursion, and braces are matched once for the whole value, so that a value nested ten
/// thousand deep costs time in proportion to its length and no stack.
pub fn interpolation(value: &str) -> Interpolated {
    let mut out = Interpolated {
        with_defaults: String::with_capacity(value.len()),
        has_unset_reference: false,
        has_reference: false,
    };
    let b = value.as_bytes();
    let closes = matching_braces(b);
    // The `}` that ends each default being read, innermost last.
    let mut open_defaults: Vec<usize> = Vec::new();
    let mut at = 0;
    while at < b.len() {
        let next = b[at..].iter().position(|c| *c == b'$' || *c == b'}').map_or(b.len(), |i| at + i);
        out.with_defaults.push_str(&value[at..next]);
        at = next;
        if at == b.len() {
            break;
        }
        if b[at] == b'}' {
            if open_defaults.last() == Some(&at) {
                open_defaults.pop();
            } else {
                out.with_defaults.push('}');
            }
            at += 1;
            continue;
        }
        match b.get(at + 1) {
            Some(b'$') => {
                out.with_defaults.push_str("$$");
                at += 2;
            }
            Some(b'{') => {
                let Some(close) = closes.get(&(at + 1)).copied() else {
                    // Never closed: the rest is text.
                    out.with_defaults.push_str(&value[at..]);
                    break;
                };
                out.has_reference = true;
                let name_end = b[at + 2..close]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map_or(close, |i| at + 2 + i);
                let modifier = &value[name_end..close];
                let default_at = if modifier.starts_with(":-") {
                    Some(name_end + 2)
                } else if modifier.starts_with('-') {
                    Some(name_end + 1)
                } else {
                    None
                };
                match default_at {
                    Some(d) => {
                        open_defaults.push(close);
                        at = d;
                    }
                    None => {
                        out.has_unset_reference = true;
                        out.with_defaults.push_str(&value[at..=close]);
                        at = close + 1;
                    }
                }
            }
            _ => {
                let name_len = b[at + 1..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .unwrap_or(b.len() - at - 1);
                if name_len > 0 {
                    out.has_reference = true;
                    out.has_unset_reference = true;
                }
                out.with_defaults.push_str(&value[at..at + 1 + name_len]);
                at += 1 + name_len;
            }
        }
    }
    out
}

/// For each `{` of `b` that is closed, the offset of its `}` (nested braces counted).
fn matching_braces(b: &[u8]) -> HashMap<usize, usize> {
    let mut out = HashMap::new();
    let mut open = Vec::new();
    for (i, c) in b.iter().enumerate() {
        match c {
            b'{' => open.push(i),
            b'}' => {
                if let Some(o) = open.pop() {
                    out.insert(o, i);
                }
            }
            _ => {}
        }
    }
    out
}

/// An image reference split into repository (with registry) and tag/digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry and path as written, lowercase, without tag or digest.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(image: &str) -> ImageRef {
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (image, None),
        };
        // A `:` after the last `/` is a tag; one before it belongs to a registry port.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (&rest[..last_slash + i], Some(rest[last_slash + i + 1..].to_string())),
            None => (rest, None),
        };
        ImageRef {
            repository: repository.to_ascii_lowercase(),
            tag,
            digest,
        }
    }

    /// The last path segment: `postgres` for `docker.io/library/postgres`, `grafana` for
    /// `grafana/grafana`.
    pub fn name(&self) -> &str {
        self.repository.rsplit('/').next().unwrap_or(&self.repository)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_specs() {
        let p = split_port_spec;
        assert_eq!(p("80"), Some((None, None, "80".into())));
        assert_eq!(p("8080:80"), Some((None, Some("8080".into()), "80".into())));
        assert_eq!(
            p("127.0.0.1:8080:80"),
            Some((Some("127.0.0.1".into()), Some("8080".into()), "80".into()))
        );
        assert_eq!(p("127.0.0.1::80"), Some((Some("127.0.0.1".into()), None, "80".into())));
        assert_eq!(p("[::1]:8080:80"), Some((Some("::1".into()), Some("8080".into()), "80".into())));
    }

    #[test]
    fn interpolation_defaults() {
        let i = interpolation("postgres://u:${PW:-secret}@db/x");
        assert_eq!(i.with_defaults, "postgres://u:secret@db/x");
        assert!(!i.has_unset_reference);
        let i = interpolation("${PW}");
        assert!(i.has_unset_reference && i.has_reference);
        let i = interpolation("$$notavar");
        assert!(!i.has_reference);
        let i = interpolation("${A:-${B}}");
        assert!(i.has_unset_reference);
        let i = interpolation("${A:?required}");
        assert!(i.has_unset_reference);
        assert_eq!(interpolation("${A-x}y}z").with_defaults, "xy}z");
        assert_eq!(interpolation("${A:-{x}}").with_defaults, "{x}");
        assert_eq!(interpolation("a ${B:-${C:?e}} $D $").with_defaults, "a ${C:?e} $D $");
        assert_eq!(interpolation("${A:-x").with_defaults, "${A:-x");
    }

    /// `${B:-${B:-…}}` far deeper than any stack allows: read in one pass, no recursion.
    #[test]
    fn interpolation_nested_far_past_any_stack() {
        let n = 200_000;
        let value = format!("{}x{}", "${B:-".repeat(n), "}".repeat(n));
        let i = interpolation(&value);
        assert_eq!(i.with_defaults, "x");
        assert!(i.has_reference && !i.has_unset_reference);
    }

    #[test]
    fn image_refs() {
        let r = ImageRef::parse("localhost:5000/app");
        assert_eq!(r.tag, None);
        assert_eq!(r.name(), "app");
        let r = ImageRef::parse("grafana/grafana:10.2.0");
        assert_eq!(r.tag.as_deref(), Some("10.2.0"));
        let r = ImageRef::parse("postgres@sha256:abc");
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
    }
}
