use super::compose;
use crate::model::compose::VolumeMount;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// The Docker socket inside a container is root on the host, read-only mount or not.
pub struct DockerSocketMounted;

impl Rule for DockerSocketMounted {
    fn name(&self) -> &'static str {
        "compose/docker-socket-mounted"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        for s in &compose.services {
            for v in s.volumes.iter().filter(|v| !v.inherited && is_docker_socket(v)) {
                out.report(v.span, format!("service `{}` mounts the Docker socket", s.name))
                    .help("whoever controls this container controls the host: use a socket proxy that allows only the API calls needed, or drop the mount");
            }
        }
    }
}

fn is_docker_socket(v: &VolumeMount) -> bool {
    v.source.as_deref().is_some_and(|s| {
        let s = s.trim_end_matches('/');
        s.ends_with("/docker.sock") || s.ends_with("/podman.sock") || s.ends_with("/containerd.sock")
    })
}
