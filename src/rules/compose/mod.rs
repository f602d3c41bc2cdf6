//! Rules for Compose files, and what they share: the services of a file, which of them are the
//! application's own, which are data stores or unauthenticated admin tools.

mod capabilities_not_dropped;
mod dangerous_capability;
mod data_without_named_volume;
mod depends_on_not_healthy;
mod docker_socket_mounted;
mod healthcheck_cannot_fail;
mod host_network;
mod internal_port_published;
mod no_cpu_limit;
mod no_fd_limit;
mod no_log_rotation;
mod no_memory_limit;
mod no_restart_policy;
mod no_stop_grace_period;
mod no_tracing_env;
mod obsolete_version;
mod privilege_escalation_allowed;
mod privileged;
mod schema_violation;
mod shell_without_init;
mod unpinned_image;
mod writable_root_filesystem;

use super::{Rule, Sink};
use crate::diagnostic::{Edit, Fix};
use crate::model::compose::{merge_across_files, merge_from_other_file, ComposeFile, Service};
use crate::model::File;
use std::sync::Arc;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &capabilities_not_dropped::CapabilitiesNotDropped,
        &data_without_named_volume::DataWithoutNamedVolume,
        &dangerous_capability::DangerousCapability,
        &depends_on_not_healthy::DependsOnNotHealthy,
        &docker_socket_mounted::DockerSocketMounted,
        &healthcheck_cannot_fail::HealthcheckCannotFail,
        &host_network::HostNetwork,
        &internal_port_published::InternalPortPublished,
        &no_cpu_limit::NoCpuLimit,
        &no_fd_limit::NoFdLimit,
        &no_log_rotation::NoLogRotation,
        &no_memory_limit::NoMemoryLimit,
        &no_restart_policy::NoRestartPolicy,
        &no_stop_grace_period::NoStopGracePeriod,
        &no_tracing_env::NoTracingEnv,
        &obsolete_version::ObsoleteVersion,
        &privilege_escalation_allowed::PrivilegeEscalationAllowed,
        &privileged::Privileged,
        &schema_violation::SchemaViolation,
        &shell_without_init::ShellWithoutInit,
        &unpinned_image::UnpinnedImage,
        &writable_root_filesystem::WritableRootFilesystem,
    ]
}

/// The Compose model of `file`, or `None` for other kinds, with each `extends:` of a service
/// in another file of the run merged in (see [`merge_across_files`]).
pub(crate) fn compose(file: &File, out: &Sink) -> Option<Arc<ComposeFile>> {
    let own = file.model::<ComposeFile>()?;
    let project = out.project();
    let lookup = |path: &str| project.file(path).and_then(|f| f.model::<ComposeFile>());
    match merge_across_files(file.path(), &own, &lookup) {
        Some(merged) => Some(Arc::new(merged)),
        None => Some(own),
    }
}

/// A service another one names (`depends_on`), as Compose sees it when it runs `file`.
pub(crate) struct Named {
    pub service: Service,
    /// Defined in `file` alone, so its spans are `file`'s; a service of an included file, or
    /// one an override file completes from its base, is not.
    pub here: bool,
}

/// The service called `name` in the application `file` belongs to: `file`'s own, else one of a
/// file its top-level `include:` brings in. In an override file (`compose.override.yaml`), which
/// Compose never runs alone, the service is the base's merged with the override's. A base file
/// is judged without its override: production runs it alone.
pub(crate) fn service_named(file: &File, out: &Sink, name: &str) -> Option<Named> {
    let compose = compose(file, out)?;
    let own = compose.services.iter().find(|s| s.name == name);
    let base = base_of_override(file, out).and_then(|b| b.services.iter().find(|s| s.name == name).cloned());
    match (own, base) {
        (Some(o), Some(b)) => {
            let mut merged = o.clone();
            merge_from_other_file(&mut merged, &b, o.key_span);
            return Some(Named {
                service: merged,
                here: false,
            });
        }
        (Some(o), None) => {
            return Some(Named {
                service: o.clone(),
                here: true,
            })
        }
        (None, Some(b)) => return Some(Named { service: b, here: false }),
        (None, None) => {}
    }
    included_files(file, out)
        .iter()
        .flat_map(|c| &c.services)
        .find(|s| s.name == name)
        .map(|s| Named {
            service: s.clone(),
            here: false,
        })
}

/// The base file Compose reads before `file` when `file` is a default override
/// (`compose.override.yaml`, `docker-compose.override.yml`, …): the first of Compose's default
/// file names present in the same folder, in Compose's order.
fn base_of_override(file: &File, out: &Sink) -> Option<Arc<ComposeFile>> {
    const OVERRIDES: [&str; 4] = [
        "compose.override.yml",
        "compose.override.yaml",
        "docker-compose.override.yml",
        "docker-compose.override.yaml",
    ];
    const BASES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
    let (dir, name) = split_path(file.path());
    if !OVERRIDES.contains(&name) {
        return None;
    }
    let base = BASES.iter().find_map(|b| {
        let path = if dir.is_empty() { b.to_string() } else { format!("{dir}/{b}") };
        out.project().file(&path)
    })?;
    compose(base, out)
}

pub(crate) use crate::model::images::Infra;

/// The kind of well-known image a service runs, `None` for the application's own services
/// (built here, or an image andon does not know).
pub(crate) fn infra(service: &Service) -> Option<Infra> {
    if service.build.is_some() {
        return None;
    }
    crate::model::images::infra(&service.image_run()?.value)
}

/// The data directories of a data store's image (`None` for other images, or one from a
/// variable), with the image's name.
pub(crate) fn data_dirs(service: &Service) -> Option<(&'static str, &'static [&'static str])> {
    crate::model::images::data_dirs(&service.image_run()?.value)
}

/// `path` is `parent` or lies below it (`/data/db` within `/data`, not `/database`).
pub(crate) fn path_within(path: &str, parent: &str) -> bool {
    let parent = parent.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    path == parent || crate::model::repo::is_below(path, parent)
}

/// The application's own services: built here, or running an image that is not a well-known
/// third-party one. Hardening and app-level checks apply to these (third-party entrypoints
/// often need root, capabilities or a writable root filesystem).
pub(crate) fn is_app_service(service: &Service) -> bool {
    infra(service).is_none()
}

/// Reports, at its key, each service of `file` for which `lacks` holds: the place where the
/// missing field belongs. Services built with `extends:` may get the field from elsewhere.
pub(crate) fn report_services_lacking(
    file: &File,
    out: &mut Sink,
    lacks: impl Fn(&Service) -> bool,
    message: impl Fn(&Service) -> String,
    help: &str,
) {
    let Some(compose) = compose(file, out) else { return };
    for s in compose.services.iter().filter(|s| !s.extends && lacks(s)) {
        if !judged_elsewhere(file, out, s, &lacks) {
            out.report(s.key_span, message(s)).help(help);
        }
    }
}

/// A "missing X" finding on `service` belongs elsewhere: in the base of its `extends:` when
/// that lacks it too (reported once, where the base is written and the fix goes); or, Compose
/// combining `-f base -f overlay`, in a base file (`compose.yaml`, `docker-compose.yml`), a
/// production overlay beside it (`compose.prod.yaml`, `docker-compose.production.yml`) gives
/// the service what `lacks` looks for; in such an overlay, the base defines the service, and
/// the finding is the base's (reported once, there). Override, dev and test files are not
/// production and do not count. A fragment ([`Service::is_fragment`]) is judged where its
/// service is defined.
pub(crate) fn judged_elsewhere(file: &File, out: &Sink, service: &Service, lacks: impl Fn(&Service) -> bool) -> bool {
    if service.is_fragment() || service.base.as_deref().is_some_and(&lacks) {
        return true;
    }
    let (dir, name) = split_path(file.path());
    // The services named like `service` in the Compose files of the same folder that `keep`.
    let beside = |keep: &dyn Fn(&str) -> bool| -> Vec<Service> {
        let files = out.project().files_in(dir).filter(|f| keep(split_path(f.path()).1));
        files
            .filter_map(|f| compose(f, out))
            .flat_map(|c| c.services.iter().filter(|o| o.name == service.name).cloned().collect::<Vec<_>>())
            .collect()
    };
    if let Some(stem) = base_stem(name) {
        return beside(&|n| is_production_overlay(stem, n)).iter().any(|o| !lacks(o));
    }
    let overlay_of = |base: &str| base_stem(base).is_some_and(|stem| is_production_overlay(stem, name));
    !beside(&overlay_of).is_empty()
}

const COMPOSE_STEMS: [&str; 2] = ["compose", "docker-compose"];

/// `compose` for `compose.yaml`, `docker-compose` for `docker-compose.yml`: a base file.
fn base_stem(name: &str) -> Option<&'static str> {
    COMPOSE_STEMS
        .into_iter()
        .find(|stem| name.strip_prefix(stem).is_some_and(|ext| matches!(ext, ".yaml" | ".yml")))
}

/// The Compose files `file` brings in with a top-level `include:`, among the run's files
/// (paths relative to `file`'s folder).
fn included_files(file: &File, out: &Sink) -> Vec<Arc<ComposeFile>> {
    let Some(this) = compose(file, out) else { return Vec::new() };
    let dir = split_path(file.path()).0;
    this.includes
        .iter()
        // Like `extends: {file: …}`, a path that leaves the repository is not followed.
        .filter(|p| !p.starts_with(['/', '~', '\\']) && !p.contains('$'))
        .filter_map(|p| crate::model::repo::join(dir, p))
        .filter_map(|p| out.project().file(&p))
        .filter_map(|f| compose(f, out))
        .collect()
}

fn split_path(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// `compose.prod.yaml`, `docker-compose-production.yml`: the base's name with a production
/// word before the extension.
fn is_production_overlay(stem: &str, name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix(stem).and_then(|r| r.strip_prefix(['.', '-'])) else {
        return false;
    };
    let Some(middle) = rest.strip_suffix(".yaml").or_else(|| rest.strip_suffix(".yml")) else {
        return false;
    };
    middle.contains("prod") && crate::surface::conventions::non_production(&lower).is_none()
}

/// An Unsafe fix adding `key: value` as the service's first key, with its indentation; `None`
/// when the service is in flow style or empty.
pub(crate) fn insert_key_fix(service: &Service, key: &str, value: &str) -> Option<Fix> {
    let (at, indent) = service.insert_at.as_ref()?;
    Some(Fix::unsafe_(
        format!("add `{key}: {value}` to service `{}`", service.name),
        vec![Edit {
            span: crate::source::Span::empty(*at),
            replacement: format!("{indent}{key}: {value}\n"),
        }],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::compose::Spanned;
    use crate::source::Span;

    fn svc(image: &str) -> Service {
        Service {
            image: Some(Spanned {
                value: image.into(),
                span: Span::default(),
            }),
            ..Service::default()
        }
    }

    #[test]
    fn infra_images() {
        assert_eq!(infra(&svc("postgres:16-alpine")), Some(Infra::DataStore));
        assert_eq!(infra(&svc("bitnami/postgresql")), Some(Infra::DataStore));
        assert_eq!(infra(&svc("prom/prometheus:latest")), Some(Infra::OpenAdmin));
        assert_eq!(infra(&svc("jaegertracing/all-in-one:latest")), Some(Infra::OpenAdmin));
        assert_eq!(infra(&svc("grafana/grafana")), Some(Infra::Other));
        assert_eq!(infra(&svc("pmcp:1.0.0")), None);
    }
}
