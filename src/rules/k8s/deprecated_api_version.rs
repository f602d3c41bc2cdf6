use super::manifests;
use super::schema_violation::Release;
use crate::diagnostic::{Edit, Fix, Severity};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// An object written in an API version that Kubernetes has stopped serving, or stops serving
/// after the release the objects are checked against.
pub struct DeprecatedApiVersion;

/// An API version of a kind that a Kubernetes release stopped serving (the Deprecated API
/// Migration Guide, kubernetes.io/docs/reference/using-api/deprecation-guide/).
pub struct Removal {
    pub api_version: &'static str,
    /// `None` for every kind of the group version.
    pub kind: Option<&'static str>,
    /// The minor release of 1.x that no longer serves it.
    pub removed_in: u32,
    /// The API version to write instead, or `None` when the kind itself is gone.
    pub replacement: Option<&'static str>,
    /// Whether the replacement takes the object unchanged (the guide lists no notable changes):
    /// only then is the apiVersion rewritten by the fix.
    pub rename_only: bool,
}

const fn gone(
    api_version: &'static str,
    kind: Option<&'static str>,
    removed_in: u32,
    replacement: &'static str,
    rename_only: bool,
) -> Removal {
    Removal {
        api_version,
        kind,
        removed_in,
        replacement: Some(replacement),
        rename_only,
    }
}

/// Every removal of the guide, 1.16 to 1.32.
static REMOVALS: &[Removal] = &[
    gone("extensions/v1beta1", Some("NetworkPolicy"), 16, "networking.k8s.io/v1", true),
    gone("extensions/v1beta1", Some("DaemonSet"), 16, "apps/v1", false),
    gone("extensions/v1beta1", Some("Deployment"), 16, "apps/v1", false),
    gone("extensions/v1beta1", Some("ReplicaSet"), 16, "apps/v1", false),
    Removal {
        api_version: "extensions/v1beta1",
        kind: Some("PodSecurityPolicy"),
        removed_in: 16,
        replacement: None,
        rename_only: false,
    },
    gone("apps/v1beta1", None, 16, "apps/v1", false),
    gone("apps/v1beta2", None, 16, "apps/v1", false),
    gone("extensions/v1beta1", Some("Ingress"), 22, "networking.k8s.io/v1", false),
    gone("networking.k8s.io/v1beta1", Some("Ingress"), 22, "networking.k8s.io/v1", false),
    gone("networking.k8s.io/v1beta1", Some("IngressClass"), 22, "networking.k8s.io/v1", true),
    gone(
        "admissionregistration.k8s.io/v1beta1",
        None,
        22,
        "admissionregistration.k8s.io/v1",
        false,
    ),
    gone("apiextensions.k8s.io/v1beta1", None, 22, "apiextensions.k8s.io/v1", false),
    gone("apiregistration.k8s.io/v1beta1", None, 22, "apiregistration.k8s.io/v1", true),
    gone("authentication.k8s.io/v1beta1", None, 22, "authentication.k8s.io/v1", true),
    gone("authorization.k8s.io/v1beta1", None, 22, "authorization.k8s.io/v1", false),
    gone("certificates.k8s.io/v1beta1", None, 22, "certificates.k8s.io/v1", false),
    gone("coordination.k8s.io/v1beta1", None, 22, "coordination.k8s.io/v1", true),
    gone("rbac.authorization.k8s.io/v1beta1", None, 22, "rbac.authorization.k8s.io/v1", true),
    gone("scheduling.k8s.io/v1beta1", None, 22, "scheduling.k8s.io/v1", true),
    gone("storage.k8s.io/v1beta1", Some("CSIDriver"), 22, "storage.k8s.io/v1", true),
    gone("storage.k8s.io/v1beta1", Some("CSINode"), 22, "storage.k8s.io/v1", true),
    gone("storage.k8s.io/v1beta1", Some("StorageClass"), 22, "storage.k8s.io/v1", true),
    gone("storage.k8s.io/v1beta1", Some("VolumeAttachment"), 22, "storage.k8s.io/v1", true),
    gone("batch/v1beta1", Some("CronJob"), 25, "batch/v1", true),
    gone("discovery.k8s.io/v1beta1", None, 25, "discovery.k8s.io/v1", false),
    gone("events.k8s.io/v1beta1", None, 25, "events.k8s.io/v1", false),
    gone("autoscaling/v2beta1", None, 25, "autoscaling/v2", false),
    gone("policy/v1beta1", Some("PodDisruptionBudget"), 25, "policy/v1", false),
    Removal {
        api_version: "policy/v1beta1",
        kind: Some("PodSecurityPolicy"),
        removed_in: 25,
        replacement: None,
        rename_only: false,
    },
    gone("node.k8s.io/v1beta1", None, 25, "node.k8s.io/v1", true),
    gone(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        None,
        26,
        "flowcontrol.apiserver.k8s.io/v1",
        false,
    ),
    gone("autoscaling/v2beta2", None, 26, "autoscaling/v2", false),
    gone("storage.k8s.io/v1beta1", Some("CSIStorageCapacity"), 27, "storage.k8s.io/v1", true),
    gone(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        None,
        29,
        "flowcontrol.apiserver.k8s.io/v1",
        false,
    ),
    gone(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        None,
        32,
        "flowcontrol.apiserver.k8s.io/v1",
        false,
    ),
];

/// The removal of `kind` in `api_version`, if Kubernetes has removed it.
pub fn removal(api_version: &str, kind: &str) -> Option<&'static Removal> {
    REMOVALS
        .iter()
        .find(|r| r.api_version == api_version && r.kind.is_none_or(|k| k == kind))
}

impl Rule for DeprecatedApiVersion {
    fn name(&self) -> &'static str {
        "k8s/deprecated-api-version"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(m) = manifests(file) else { return };
        let target: Release = out.options();
        let target_minor = minor(&target.kubernetes_version).unwrap_or(u32::MAX);
        for obj in m.written() {
            let Some(r) = removal(&obj.api_version, &obj.kind) else {
                continue;
            };
            let Some(node) = obj.node.get("apiVersion") else { continue };
            let removed = r.removed_in <= target_minor;
            let message = match (removed, r.replacement) {
                (true, Some(new)) => format!(
                    "{} uses `{}`, which Kubernetes 1.{} no longer serves: use `{new}`",
                    obj.describe(),
                    r.api_version,
                    r.removed_in
                ),
                (false, Some(new)) => format!(
                    "{} uses `{}`, deprecated and removed in Kubernetes 1.{}: use `{new}`",
                    obj.describe(),
                    r.api_version,
                    r.removed_in
                ),
                (_, None) => format!(
                    "{} uses `{}`, which Kubernetes 1.{} no longer serves, and PodSecurityPolicy was removed in 1.25 without a successor",
                    obj.describe(),
                    r.api_version,
                    r.removed_in
                ),
            };
            let help = match r.replacement {
                None => "delete it and enforce the Pod Security Standards with Pod Security Admission (`pod-security.kubernetes.io/enforce` labels on the namespace) or a policy engine".to_string(),
                Some(_) if r.rename_only => "change the apiVersion: the fields are the same in the new version".to_string(),
                Some(new) => format!("move the object to `{new}` and adapt its fields as the Deprecated API Migration Guide lists (`kubectl convert -f <file> --output-version {new}` does it): the API server rejects the old version"),
            };
            let fix = r
                .replacement
                .filter(|_| r.rename_only && !obj.shared_spans && node.as_str().is_some())
                .map(|new| {
                    Fix::unsafe_(
                        format!("change the apiVersion to {new}"),
                        vec![Edit {
                            span: node.span,
                            replacement: new.to_string(),
                        }],
                    )
                });
            let report = out.report(node.span, message).help(help).fix_opt(fix);
            if !removed {
                report.severity(Severity::Warning);
            }
        }
    }
}

/// `1.31` as 31.
fn minor(version: &str) -> Option<u32> {
    version.strip_prefix("1.")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_a_group_version_and_single_kinds() {
        assert_eq!(removal("apps/v1beta2", "StatefulSet").map(|r| r.removed_in), Some(16));
        assert_eq!(
            removal("storage.k8s.io/v1beta1", "CSIStorageCapacity").map(|r| r.removed_in),
            Some(27)
        );
        assert!(removal("storage.k8s.io/v1beta1", "SomethingElse").is_none());
        assert!(removal("apps/v1", "Deployment").is_none());
        assert_eq!(minor("1.31"), Some(31));
    }
}
