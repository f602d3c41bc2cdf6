//! Well-known third-party images, by name: what they are (a data store, an admin endpoint
//! open by default, other infrastructure) and where the data stores keep their data. Compose
//! services and Kubernetes containers run the same images, so both kinds' rules read this.

use crate::model::compose::ImageRef;

/// What a well-known third-party image is, by its name (the last path segment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Infra {
    /// Holds data: reachable only by the services that use it.
    DataStore,
    /// An admin or observability endpoint without authentication by default.
    OpenAdmin,
    /// Another well-known image (proxies, UIs with their own login, …).
    Other,
}

const DATA_STORES: &[&str] = &[
    "postgres",
    "postgis",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "redis",
    "valkey",
    "keydb",
    "memcached",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "scylla",
    "couchdb",
    "couchbase",
    "rabbitmq",
    "kafka",
    "cp-kafka",
    "zookeeper",
    "cp-zookeeper",
    "etcd",
    "consul",
    "nats",
    "influxdb",
    "clickhouse-server",
    "clickhouse",
    "mssql-server",
    "neo4j",
    "minio",
    "cockroach",
    "timescaledb",
    "qdrant",
    "weaviate",
    "pulsar",
];

const OPEN_ADMIN: &[&str] = &[
    "prometheus",
    "alertmanager",
    "pushgateway",
    "node-exporter",
    "cadvisor",
    "all-in-one",
    "jaeger",
    "jaeger-query",
    "zipkin",
    "loki",
    "tempo",
    "mimir",
    "kibana",
    "opensearch-dashboards",
    "adminer",
    "redis-commander",
    "mongo-express",
    "phpmyadmin",
    "kafka-ui",
];

const OTHER_INFRA: &[&str] = &[
    "grafana",
    "nginx",
    "httpd",
    "traefik",
    "haproxy",
    "caddy",
    "envoy",
    "logstash",
    "promtail",
    "fluentd",
    "fluent-bit",
    "vector",
    "telegraf",
    "opentelemetry-collector",
    "opentelemetry-collector-contrib",
    "otel-collector",
    "vault",
    "keycloak",
    "pgadmin4",
    "portainer",
    "portainer-ce",
    "localstack",
    "mailhog",
    "mailpit",
    "wordpress",
    "nextcloud",
    "gitea",
    "registry",
];

/// Operating-system images: infrastructure to run, a blank page to build on.
const OS_IMAGES: &[&str] = &["busybox", "alpine", "ubuntu", "debian"];

/// The kind of well-known image `image` (a reference, `postgres:16-alpine`) is, `None` for one
/// andon does not know.
pub fn infra(image: &str) -> Option<Infra> {
    let image = ImageRef::parse(image);
    let name = image.name();
    // `bitnami/postgresql`, `library/mysql-server` and `postgres-exporter`-like names.
    let base = name.trim_end_matches("ql").trim_end_matches("-server").trim_end_matches("-alpine");
    let known = |list: &[&str]| list.contains(&name) || list.contains(&base);
    if name.ends_with("-exporter") || known(OPEN_ADMIN) {
        Some(Infra::OpenAdmin)
    } else if known(DATA_STORES) {
        Some(Infra::DataStore)
    } else if known(OTHER_INFRA) || known(OS_IMAGES) {
        Some(Infra::Other)
    } else {
        None
    }
}

/// Whether `image` runs a data store, known by name or named after one
/// (`heapster-influxdb-amd64`, `catalogue-mysql`); not a tool beside one
/// (`postgres-exporter`, `redis-commander`, `mongo-express`).
pub fn runs_data_store(image: &str) -> bool {
    if let Some(kind) = infra(image) {
        return kind == Infra::DataStore;
    }
    let name = ImageRef::parse(image).name().to_ascii_lowercase();
    let words: Vec<&str> = name.split(['-', '_', '.']).collect();
    const TOOLS: &[&str] = &[
        "exporter",
        "operator",
        "ui",
        "commander",
        "express",
        "admin",
        "proxy",
        "client",
        "cli",
        "backup",
    ];
    words.iter().any(|w| DATA_STORES.contains(w)) && !words.iter().any(|w| TOOLS.contains(w))
}

/// Whether `image` is a third-party product (a data store, a proxy, Grafana), not an operating
/// system: a Dockerfile built on one configures that product.
pub fn is_product(image: &str) -> bool {
    infra(image).is_some() && !OS_IMAGES.contains(&ImageRef::parse(image).name())
}

/// Images whose process holds its memory to a size of its own: memcached's cache is capped by
/// `-m` (64 MB unless told), so the container cannot take the host's memory.
pub fn bounds_own_memory(image: &str) -> bool {
    ImageRef::parse(image).name() == "memcached"
}

/// Node agents that report on or wire up the node itself, by name, with the host namespaces
/// their upstream DaemonSets share: node-exporter reads the node's interfaces and processes,
/// CNI and kube-proxy agents program the node's network.
const NODE_AGENTS: &[(&str, &[&str])] = &[
    ("node-exporter", &["hostNetwork", "hostPID"]),
    ("kube-proxy", &["hostNetwork"]),
    ("calico-node", &["hostNetwork"]),
    ("cilium", &["hostNetwork"]),
    ("flannel", &["hostNetwork"]),
    ("weave-kube", &["hostNetwork"]),
];

/// Whether `image` is a node agent that needs the host namespace `field` (`hostNetwork`).
pub fn needs_host_namespace(image: &str, field: &str) -> bool {
    let name = ImageRef::parse(image).name().to_string();
    NODE_AGENTS.iter().any(|(n, fields)| *n == name && fields.contains(&field))
}

/// Where well-known data stores keep their data by default, by image name. Bitnami images keep
/// theirs under `/bitnami`. Caches that persist nothing unless told (memcached) are absent.
const DATA_DIRS: &[(&str, &[&str])] = &[
    ("postgres", &["/var/lib/postgresql/data", "/var/lib/postgresql"]),
    ("postgis", &["/var/lib/postgresql/data", "/var/lib/postgresql"]),
    ("timescaledb", &["/var/lib/postgresql/data", "/var/lib/postgresql"]),
    ("timescaledb-ha", &["/home/postgres/pgdata"]),
    ("mysql", &["/var/lib/mysql"]),
    ("mysql-server", &["/var/lib/mysql"]),
    ("mariadb", &["/var/lib/mysql"]),
    ("percona-server", &["/var/lib/mysql"]),
    ("mongo", &["/data/db"]),
    ("mongodb-community-server", &["/data/db"]),
    ("redis", &["/data"]),
    ("valkey", &["/data"]),
    ("keydb", &["/data"]),
    ("elasticsearch", &["/usr/share/elasticsearch/data"]),
    ("opensearch", &["/usr/share/opensearch/data"]),
    ("rabbitmq", &["/var/lib/rabbitmq"]),
    ("cassandra", &["/var/lib/cassandra"]),
    ("scylla", &["/var/lib/scylla"]),
    ("couchdb", &["/opt/couchdb/data"]),
    ("influxdb", &["/var/lib/influxdb2", "/var/lib/influxdb"]),
    ("clickhouse-server", &["/var/lib/clickhouse"]),
    ("mssql-server", &["/var/opt/mssql"]),
    ("neo4j", &["/data"]),
    ("qdrant", &["/qdrant/storage"]),
    ("cockroach", &["/cockroach/cockroach-data"]),
];

/// The data directories of a data store's image (`None` for other images), with the image's
/// name.
pub fn data_dirs(image: &str) -> Option<(&'static str, &'static [&'static str])> {
    let image = ImageRef::parse(image);
    if image.repository.starts_with("bitnami/") || image.repository.contains("/bitnami/") {
        let name = image.name();
        let known = DATA_DIRS.iter().any(|(n, _)| name.starts_with(n)) || matches!(name, "postgresql" | "mongodb");
        return known.then_some(("bitnami", &["/bitnami"][..]));
    }
    DATA_DIRS.iter().find(|(n, _)| *n == image.name()).map(|(n, dirs)| (*n, *dirs))
}

/// Official images whose entrypoint starts as root only to drop to their own user (`gosu`,
/// `su-exec`) before the server runs, by name.
const DROP_PRIVILEGES: &[&str] = &["postgres", "redis", "mongo", "mysql", "mariadb", "rabbitmq", "memcached"];

/// Images that set a non-root `USER` of their own, by repository without registry
/// (`prom/prometheus`, `quay.io/prometheus/prometheus`), with the first release that does
/// (major, minor): older tags still run as root.
const OWN_USER: &[(&str, (u32, u32))] = &[
    ("prom/prometheus", (2, 0)),
    ("prometheus/prometheus", (2, 0)),
    ("prom/alertmanager", (0, 16)),
    ("prometheus/alertmanager", (0, 16)),
    ("prom/node-exporter", (0, 15)),
    ("prometheus/node-exporter", (0, 15)),
    ("prom/pushgateway", (0, 5)),
    ("prometheus/pushgateway", (0, 5)),
    ("prom/blackbox-exporter", (0, 12)),
    ("prometheus/blackbox-exporter", (0, 12)),
    ("grafana/grafana", (5, 1)),
    ("grafana/grafana-oss", (0, 0)),
    ("grafana/grafana-enterprise", (0, 0)),
    ("grafana/loki", (2, 0)),
    ("grafana/tempo", (0, 0)),
    ("grafana/mimir", (0, 0)),
    ("elasticsearch/elasticsearch", (6, 0)),
    ("kube-state-metrics/kube-state-metrics", (0, 0)),
];

/// The (major, minor) a tag names (`v2.5.0`, `5.3.4-ubuntu`); `None` for `latest`, `main` and
/// other names, which follow the newest release.
fn version(tag: &str) -> Option<(u32, u32)> {
    let mut parts = tag.trim_start_matches('v').split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

/// Whether `image` runs its process as a non-root user without being told: it sets a non-root
/// `USER` (Prometheus' and Grafana's images, Bitnami's, distroless and Chainguard `nonroot`,
/// `*-unprivileged`), or it is an official data store whose entrypoint drops to its own user.
pub fn runs_non_root(image: &str) -> bool {
    let image = ImageRef::parse(image);
    let repo = image.repository.as_str();
    let library = repo.strip_prefix("docker.io/").unwrap_or(repo);
    let library = library.strip_prefix("library/").unwrap_or(library);
    // The path after a registry host (`quay.io/`, `docker.elastic.co/`, `registry.k8s.io/`).
    let path = match repo.split_once('/') {
        Some((host, rest)) if host.contains('.') || host.contains(':') => rest,
        _ => repo,
    };
    let tag = image.tag.as_deref().unwrap_or_default();
    DROP_PRIVILEGES.contains(&library)
        || OWN_USER
            .iter()
            .any(|(r, since)| *r == path && version(tag).is_none_or(|v| v >= *since))
        || path.starts_with("bitnami/")
        || repo.starts_with("cgr.dev/chainguard/")
        || repo.contains("distroless") && tag.contains("nonroot")
        || image.name().ends_with("-unprivileged")
}

#[cfg(test)]
mod tests {
    use super::runs_non_root;

    #[test]
    fn images_that_run_as_their_own_user() {
        for image in [
            "prom/prometheus:v2.5.0",
            "prom/alertmanager:latest",
            "quay.io/prometheus/alertmanager:v0.27.0",
            "grafana/grafana:7.5.5",
            "mongo:7",
            "docker.io/library/redis:7.2",
            "bitnami/postgresql:16",
            "gcr.io/distroless/static:nonroot",
            "nginxinc/nginx-unprivileged:1.27",
            "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0",
        ] {
            assert!(runs_non_root(image), "{image}");
        }
        for image in [
            "nginx:1.27",
            "weaveworksdemos/carts:0.4.8",
            "gcr.io/distroless/static",
            "grafana/promtail:3.0",
            "myorg/postgres:1",
            "prom/alertmanager:v0.15.3",
        ] {
            assert!(!runs_non_root(image), "{image}");
        }
    }
}
