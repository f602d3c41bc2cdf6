#!/usr/bin/env python3
"""Regenerates schemas/kubernetes/v<VERSION>.json.zlib for every bundled VERSION, the JSON Schemas of the common built-in
Kubernetes kinds that k8s/schema-violation validates against, from the PyPI package
kubernetes-validate (Apache-2.0), which ships self-contained `v<VERSION>-local-strict` sets.

    python3 scripts/k8s-schemas.py                      # pip download, then extract every version
    python3 scripts/k8s-schemas.py --wheel path/to.whl  # from a wheel already downloaded
    python3 scripts/k8s-schemas.py --kubernetes 1.33.0  # one version only

Only what validation needs is kept: descriptions and x-kubernetes-* annotations are dropped,
and only the definitions the chosen kinds reach. `oneOf` becomes `anyOf`: Kubernetes uses it
for int-or-string and quantities, whose branches both accept null, so `oneOf` would reject a
null that the API server takes. The output is zlib-compressed JSON:
{"kubernetes": VERSION, "source": ..., "$defs": {...}, "kinds": {"apps/v1 Deployment": schema}}.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile
import zlib

PACKAGE = "kubernetes-validate"
PACKAGE_VERSION = "1.37.0"
# The versions k8s/schema-violation offers (its `kubernetes-version` option; the last is the
# default): the ones a managed cluster may still run.
VERSIONS = ["1.31.0", "1.32.0", "1.33.0", "1.34.0", "1.35.0", "1.36.0", "1.37.0"]

# (file stem in the schema set) for the common built-in kinds; CRDs and rarely written kinds
# (webhooks, CustomResourceDefinition, DRA) are left out to keep the bundle small.
KINDS = [
    "pod-v1", "podtemplate-v1", "replicationcontroller-v1", "service-v1", "endpoints-v1",
    "configmap-v1", "secret-v1", "serviceaccount-v1", "namespace-v1",
    "persistentvolumeclaim-v1", "persistentvolume-v1", "limitrange-v1", "resourcequota-v1",
    "deployment-apps-v1", "statefulset-apps-v1", "daemonset-apps-v1", "replicaset-apps-v1",
    "job-batch-v1", "cronjob-batch-v1",
    "ingress-networking-v1", "ingressclass-networking-v1", "networkpolicy-networking-v1",
    "role-rbac-v1", "clusterrole-rbac-v1", "rolebinding-rbac-v1", "clusterrolebinding-rbac-v1",
    "horizontalpodautoscaler-autoscaling-v1", "horizontalpodautoscaler-autoscaling-v2",
    "poddisruptionbudget-policy-v1", "priorityclass-scheduling-v1", "storageclass-storage-v1",
]

REF_PREFIXES = ("/api/_definitions.json#/$defs/", "_definitions.json#/$defs/", "#/$defs/")
DROP = {"description", "$id", "$schema"}


def clean(node, refs):
    """The node without descriptions and annotations, its refs local, every ref collected."""
    if isinstance(node, list):
        return [clean(n, refs) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in DROP or key.startswith("x-kubernetes-"):
            continue
        if key == "$ref" and isinstance(value, str):
            name = next((value[len(p):] for p in REF_PREFIXES if value.startswith(p)), None)
            if name is None:
                sys.exit(f"unexpected $ref {value}")
            refs.append(name)
            out[key] = "#/$defs/" + name
            continue
        if key == "properties" and isinstance(value, dict):
            # Property names are data here, not keywords: keep `description` and the like.
            out[key] = {k: clean(v, refs) for k, v in value.items()}
            continue
        out["anyOf" if key == "oneOf" else key] = clean(value, refs)
    return out


def wheel_path(args):
    if args.wheel:
        return args.wheel
    tmp = tempfile.mkdtemp()
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", f"{PACKAGE}=={PACKAGE_VERSION}", "-d", tmp],
        check=True,
    )
    return glob.glob(os.path.join(tmp, "*.whl"))[0]


def extract(wheel, version, out):
    base = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
    all_defs = json.loads(wheel.read(base + "_definitions.json"))["$defs"]
    kinds = {}
    pending = []
    for stem in KINDS:
        root = json.loads(wheel.read(base + stem + ".json"))
        gvk = root["x-kubernetes-group-version-kind"][0]
        api = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
        kinds[f"{api} {gvk['kind']}"] = clean(root, pending)
    defs = {}
    while pending:
        name = pending.pop()
        if name not in defs:
            defs[name] = clean(all_defs[name], pending)
    bundle = {
        "kubernetes": version,
        "source": f"PyPI {PACKAGE} {PACKAGE_VERSION}, v{version}-local-strict (Apache-2.0)",
        "$defs": dict(sorted(defs.items())),
        "kinds": kinds,
    }
    raw = json.dumps(bundle, separators=(",", ":"), sort_keys=False).encode()
    packed = zlib.compress(raw, 9)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(packed)
    print(f"{out}: {len(kinds)} kinds, {len(defs)} definitions, {len(raw)} bytes JSON, {len(packed)} compressed")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheel")
    parser.add_argument("--kubernetes", help="one version (default: every bundled version)")
    args = parser.parse_args()
    versions = [args.kubernetes] if args.kubernetes else VERSIONS
    with zipfile.ZipFile(wheel_path(args)) as wheel:
        for version in versions:
            extract(wheel, version, f"schemas/kubernetes/v{version}.json.zlib")


if __name__ == "__main__":
    main()
