use super::manifests;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A PersistentVolumeClaim without a storageClassName: it gets whatever the cluster's default is.
pub struct VolumeClaimWithoutStorageClass;

impl Rule for VolumeClaimWithoutStorageClass {
    fn name(&self) -> &'static str {
        "k8s/volume-claim-without-storage-class"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(m) = manifests(file) else { return };
        for pvc in m.whole().filter(|o| o.is("PersistentVolumeClaim")) {
            let Some(spec) = pvc.spec_entry() else { continue };
            // The annotation is the field's deprecated form, still honoured.
            let annotated = pvc.annotations.contains_key("volume.beta.kubernetes.io/storage-class");
            if spec.value.get("storageClassName").is_none() && spec.value.get("volumeName").is_none() && !annotated {
                out.report(spec.key.span, format!("{} names no storageClassName", pvc.describe()))
                    .help("name the storage class (its performance, replication and reclaim policy) instead of relying on the cluster default, which differs between clusters");
            }
            if spec.value.get_path(&["resources", "requests", "storage"]).is_none() {
                out.report(spec.key.span, format!("{} requests no storage size", pvc.describe()))
                    .help("set resources.requests.storage to the size the data needs");
            }
        }
    }
}
