use crate::model::project::{At, Container, Graph, Image, Runtime};
use crate::rules::appconfig::each_setting;
use crate::rules::{Project, Rule, Sink};

/// A probe, a Kubernetes Service, or a published Compose port that sends traffic to a port the
/// application does not listen on: one its repository image never EXPOSEs (while the image does
/// declare its ports), or, where the image says nothing of it, one the production app config
/// the application reads does not name. Health checks and requests go to a closed port.
pub struct PortNotExposed;

impl Rule for PortNotExposed {
    fn name(&self) -> &'static str {
        "project/port-not-exposed"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let g = project.graph();
        for runtime in g.every_runtime() {
            // EXPOSE speaks for the image's own program, not for one the runtime runs instead.
            let image = g
                .image_run_by(&runtime)
                .filter(|i| !i.exposes.is_empty() && !i.exposes_unknown && !replaces_program(&runtime, i));
            let listens = listen_ports(project, &runtime);
            if image.is_none() && listens.is_empty() {
                continue;
            }
            let exposed = image.map(|i| (i.path.as_str(), i.exposes.iter().map(|(n, _)| *n).collect::<Vec<_>>()));
            for (port, at, what) in destinations(g, &runtime) {
                if told(image, &runtime, port) {
                    continue;
                }
                let message = match &exposed {
                    Some((path, ports)) if !ports.contains(&port) => {
                        format!(
                            "{what} port {port}, which its image never opens: {path} EXPOSEs only {}",
                            list(ports)
                        )
                    }
                    Some(_) => continue,
                    None if !listens.is_empty() && !listens.iter().any(|l| l.port == port) => {
                        let named: Vec<String> = listens.iter().map(|l| format!("`{}` = {} in {}", l.key, l.port, l.path)).collect();
                        format!(
                            "{what} port {port}, which the application is not configured to listen on: {}",
                            named.join(", ")
                        )
                    }
                    None => continue,
                };
                out.report_in(&at.path, at.span, message)
                    .help("use the port the application listens on, or tell the application to listen on this one (its config, or a PORT variable) and EXPOSE it in the Dockerfile");
            }
        }
    }
}

/// The ports traffic is sent to in a runtime, where each is written, and who sends it.
fn destinations<'g>(g: &'g Graph, runtime: &Runtime<'g>) -> Vec<(u16, &'g At, String)> {
    match *runtime {
        Runtime::Compose(s) => s
            .ports
            .iter()
            .map(|p| (p.number, &p.at, format!("service `{}` sends traffic to", s.name)))
            .collect(),
        Runtime::Kube(c) => {
            let probes = c
                .probe_ports
                .iter()
                .map(|(n, at)| (*n, at, format!("a probe of {} connects to", c.object)));
            let services = g.kube_services.iter().filter(|s| s.fronts(c)).flat_map(|s| {
                s.ports.iter().filter_map(move |p| {
                    let number = u16::try_from(s.target_number(p, c)?).ok()?;
                    served_by(g, c, p.target.as_deref(), number).then(|| (number, &p.at, format!("Service `{}` sends traffic to", s.name)))
                })
            });
            probes.chain(services).collect()
        }
    }
}

/// Whether container `c` is the one of its pod that a Service port reaches: the container that
/// declares that port (by name or number), or the pod's only container. A sidecar is not
/// judged by its neighbour's ports.
fn served_by(g: &Graph, c: &Container, target: Option<&str>, number: u16) -> bool {
    let declares = |x: &Container| {
        x.ports
            .iter()
            .any(|(name, n, _)| match target.filter(|t| t.parse::<u16>().is_err()) {
                Some(t) => name.as_deref() == Some(t),
                None => *n == Some(i64::from(number)),
            })
    };
    if declares(c) {
        return true;
    }
    let mut pod = g.containers.iter().filter(|x| x.path == c.path && x.object == c.object);
    pod.all(|x| std::ptr::eq(x, c))
}

/// Whether `port` is handed to the application in a variable or on its command line
/// (`PORT=3000`, `--listen=:3000` tell it where to listen, whatever EXPOSE or a config file
/// says).
fn told(image: Option<&Image>, runtime: &Runtime, port: u16) -> bool {
    let text = port.to_string();
    let inherited = image.map(|i| i.env.as_slice()).unwrap_or_default();
    let in_env = runtime
        .env()
        .iter()
        .chain(inherited)
        .any(|v| v.value.as_deref().map(str::trim) == Some(text.as_str()));
    in_env || runtime.command_line().mentions_number(&text)
}

/// Whether the runtime runs another program than the image's entrypoint (Compose
/// `entrypoint: nodemon --inspect …`, a Kubernetes `command:` naming another binary).
fn replaces_program(runtime: &Runtime, image: &Image) -> bool {
    match (&runtime.command_line().program, &image.program) {
        (Some(own), Some(image)) => own != image,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

fn list(ports: &[u16]) -> String {
    ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
}

/// A port an app config tells the application to listen on.
struct Listen {
    key: String,
    port: u16,
    /// The config file that says so.
    path: String,
}

/// The ports the production app configs a runtime reads tell the application to listen on.
/// Empty unless one of them names the main listener: a config that only sets a metrics or admin
/// port says nothing of where the application serves its traffic.
fn listen_ports(project: &Project, runtime: &Runtime) -> Vec<Listen> {
    let mut found = Vec::new();
    let mut main = false;
    for file in project.configs_of(runtime) {
        each_setting(file, |setting| {
            let Some(port) = listen_port(&setting.path, setting.text()) else {
                return;
            };
            main |= !setting.path.iter().any(|k| is_side_listener(k));
            found.push(Listen {
                key: setting.path.join("."),
                port,
                path: file.path().to_string(),
            });
        });
    }
    if main {
        found
    } else {
        Vec::new()
    }
}

/// The port a setting tells the application to listen on, if it is a listener setting:
/// `port: 8080` at the top or under `server:`/`http:`/…, `http_port: 8080`, or an address
/// such as `listen: ":8080"` or `server.addr: 0.0.0.0:8080`. Ports of things the application
/// connects to (`database.port`, `redis.addr`) are not listeners.
fn listen_port(path: &[String], value: Option<String>) -> Option<u16> {
    let (name, parents) = path.split_last()?;
    let name = name.replace('-', "_");
    if parents.iter().any(|k| is_client_side(k)) {
        return None;
    }
    let under_listener = parents.last().is_none_or(|p| is_listener(p));
    let value = value?;
    let value = value.trim();
    let port_key = matches!(
        name.as_str(),
        "http_port"
            | "https_port"
            | "listen_port"
            | "http_listen_port"
            | "grpc_listen_port"
            | "bind_port"
            | "server_port"
            | "httpport"
            | "listenport"
            | "serverport"
            | "grpc_port"
            | "metrics_port"
            | "admin_port"
            | "management_port"
    ) || (name == "port" && under_listener);
    if port_key {
        return value.parse::<u16>().ok().filter(|p| *p > 0);
    }
    let address_key = matches!(
        name.as_str(),
        "listen"
            | "listen_addr"
            | "listen_address"
            | "bind"
            | "bind_addr"
            | "bind_address"
            | "http_addr"
            | "http_address"
            | "http_listen_address"
            | "grpc_listen_address"
            | "metrics_address"
            | "metrics_addr"
    ) || (matches!(name.as_str(), "addr" | "address") && under_listener && !parents.is_empty());
    if !address_key {
        return None;
    }
    let host_port = value.split("://").last().unwrap_or(value).split('/').next().unwrap_or_default();
    let (_, port) = host_port.rsplit_once(':')?;
    port.parse::<u16>().ok().filter(|p| *p > 0)
}

/// Sections that describe a server of the application.
fn is_listener(key: &str) -> bool {
    matches!(
        key,
        "server"
            | "http"
            | "https"
            | "grpc"
            | "web"
            | "api"
            | "listen"
            | "listener"
            | "app"
            | "application"
            | "service"
            | "metrics"
            | "admin"
            | "management"
            | "health"
    )
}

/// Servers beside the one that serves the application's traffic.
fn is_side_listener(key: &str) -> bool {
    [
        "metrics",
        "admin",
        "management",
        "health",
        "debug",
        "pprof",
        "prometheus",
        "memberlist",
        "gossip",
    ]
    .iter()
    .any(|w| key.contains(w))
}

/// Sections that describe something the application connects to.
fn is_client_side(key: &str) -> bool {
    [
        "database", "db", "redis", "postgres", "mysql", "mongo", "smtp", "mail", "upstream", "proxy", "backend", "client", "cache",
        "queue", "kafka", "rabbit", "amqp", "nats", "elastic", "ldap", "sentry", "statsd", "jaeger", "otlp", "otel", "tracing", "exporter",
        "remote", "target", "peer", "cluster", "replica", "sink", "consul", "etcd", "vault", "broker",
    ]
    .iter()
    .any(|w| key.contains(w))
}

#[cfg(test)]
mod tests {
    use super::listen_port;

    fn port(path: &str, value: &str) -> Option<u16> {
        let path: Vec<String> = path.split('.').map(str::to_string).collect();
        listen_port(&path, Some(value.to_string()))
    }

    #[test]
    fn listeners_are_told_from_clients() {
        assert_eq!(port("port", "8080"), Some(8080));
        assert_eq!(port("server.port", "8080"), Some(8080));
        assert_eq!(port("management.server.port", "9000"), Some(9000));
        assert_eq!(port("http.addr", "0.0.0.0:3000"), Some(3000));
        assert_eq!(port("listen", ":8443"), Some(8443));
        assert_eq!(port("server.listen_address", "[::]:9090"), Some(9090));
        assert_eq!(port("http_port", "80"), Some(80));
        assert_eq!(port("database.port", "5432"), None);
        assert_eq!(port("redis.addr", "redis:6379"), None);
        assert_eq!(port("smtp.port", "587"), None);
        assert_eq!(port("tracing.otlp.port", "4317"), None);
        assert_eq!(port("addr", "localhost:8080"), None);
        assert_eq!(port("server.http_listen_port", "3100"), Some(3100));
        assert_eq!(port("memberlist.bind_port", "7946"), Some(7946));
        assert_eq!(port("server.port", "${PORT}"), None);
        assert_eq!(port("server.port", "0"), None);
    }
}
