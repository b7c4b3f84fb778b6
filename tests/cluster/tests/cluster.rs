//! The test cluster itself: what the provider's tests rely on is there — a Ready fake GPU node,
//! a restricted identity that RBAC refuses, a pool of volumes for claims, and an audit log of the
//! test users' requests.

use plinth_test_cluster::{shared, unique};

#[test]
fn the_gpu_node_is_ready_and_advertises_eight_gpus() {
    let node = shared().get(&["node", "gpu-node-0"]).expect("gpu-node-0 exists");
    assert_eq!(node["status"]["allocatable"]["nvidia.com/gpu"], "8");
    let ready = node["status"]["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .find(|c| c["type"] == "Ready")
        .expect("a Ready condition");
    assert_eq!(ready["status"], "True");
}

#[test]
fn the_restricted_identity_is_forbidden_and_its_requests_are_audited() {
    let c = shared();
    let o = std::process::Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(c.kubeconfig_restricted())
        .args(["get", "namespaces"])
        .output()
        .expect("kubectl");
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(r#"User "restricted" cannot list resource "namespaces""#),
        "{err}"
    );
    let refused = c.audit().into_iter().any(|e| {
        e["user"]["username"] == "restricted"
            && e["verb"] == "list"
            && e["objectRef"]["resource"] == "namespaces"
            && e["responseStatus"]["code"] == 403
    });
    assert!(refused, "the audit log records the refused list");
}

#[test]
fn a_claim_without_a_class_binds_to_a_pooled_volume() {
    let c = shared();
    let ns = unique("pvc");
    c.kubectl_ok(&["create", "namespace", &ns]);
    c.apply(&format!(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: data, namespace: {ns}}}\n\
         spec: {{accessModes: [ReadWriteOnce], storageClassName: \"\", resources: {{requests: {{storage: 1Gi}}}}}}\n"
    ));
    let mut phase = String::new();
    for _ in 0..100 {
        let pvc = c.get(&["-n", &ns, "pvc", "data"]).expect("the claim");
        phase = pvc["status"]["phase"].as_str().unwrap_or_default().to_string();
        if phase == "Bound" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(phase, "Bound");
    c.kubectl_ok(&["delete", "namespace", &ns, "--wait=false"]);
}
