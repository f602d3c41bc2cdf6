use super::{check_container_flag, ContainerFlag};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A container whose root filesystem is writable.
pub struct WritableRootFilesystem;

const FLAG: ContainerFlag = ContainerFlag {
    key: "readOnlyRootFilesystem",
    wanted: true,
    help: "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process must write (/tmp, caches)",
};

impl Rule for WritableRootFilesystem {
    fn name(&self) -> &'static str {
        "k8s/writable-root-filesystem"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        check_container_flag(file, out, &FLAG);
    }
}
