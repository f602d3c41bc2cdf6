use crate::model::k8s::Object;
use crate::rules::k8s::ProjectObjects;
use crate::rules::{Project, Rule, Sink};
use crate::syntax::tree::Node;

/// Kubernetes manifests that keep data on volumes (a PersistentVolumeClaim, a StatefulSet with
/// volumeClaimTemplates) and nothing in the repository that backs it up.
pub struct NoBackupJob;

/// Words in a CronJob's name, image or command that say it backs data up.
const BACKUP_WORDS: &[&str] = &[
    "backup",
    "dump",
    "snapshot",
    "restic",
    "velero",
    "borg",
    "kopia",
    "wal-g",
    "walg",
    "pgbackrest",
    "barman",
    "xtrabackup",
];

/// Kinds that schedule backups themselves (Velero, k8up, CloudNativePG, Percona, Stash,
/// VolumeSnapshot users).
const BACKUP_KINDS: &[&str] = &[
    "Schedule",
    "ScheduledBackup",
    "Backup",
    "BackupConfiguration",
    "PerconaXtraDBClusterBackup",
    "PerconaServerMongoDBBackup",
    "VolumeSnapshot",
    "VolumeSnapshotClass",
    "SnapshotSchedule",
];

impl Rule for NoBackupJob {
    fn name(&self) -> &'static str {
        "project/no-backup-job"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let objects = ProjectObjects::new(project.files);
        let Some((path, keeper)) = objects.iter().find(|(_, o)| !o.partial && keeps_data(o)) else {
            return;
        };
        if objects.iter().any(|(_, o)| backs_up(o)) {
            return;
        }
        out.report_in(
            path,
            keeper.at,
            format!("{} keeps data on a volume, and nothing in these manifests backs it up", keeper.describe()),
        )
        .help("add a backup CronJob (pg_dump, restic, velero …) or a backup operator's schedule, or note where backups are made and suppress this with the reason");
    }
}

fn keeps_data(o: &Object) -> bool {
    o.is("PersistentVolumeClaim")
        || (o.is("StatefulSet")
            && o.node
                .get_path(&["spec", "volumeClaimTemplates"])
                .and_then(Node::as_seq)
                .is_some_and(|s| !s.is_empty()))
}

fn backs_up(o: &Object) -> bool {
    if BACKUP_KINDS.contains(&o.kind.as_str()) {
        return true;
    }
    let said = |text: &str| {
        let lower = text.to_ascii_lowercase();
        BACKUP_WORDS.iter().any(|w| lower.contains(w))
    };
    let runs_on_schedule = o.is("CronJob") || o.is("Job");
    runs_on_schedule
        && (o.name.as_deref().is_some_and(said)
            || o.pod.as_ref().is_some_and(|pod| {
                pod.containers.iter().any(|c| {
                    c.image_ref().is_some_and(said)
                        || ["command", "args"].iter().any(|k| {
                            c.node
                                .get(k)
                                .and_then(Node::as_seq)
                                .is_some_and(|words| words.iter().filter_map(Node::as_str).any(said))
                        })
                })
            }))
}
