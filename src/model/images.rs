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
    "busybox",
    "alpine",
    "ubuntu",
    "debian",
];

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
    } else if known(OTHER_INFRA) {
        Some(Infra::Other)
    } else {
        None
    }
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
