//! `tests/fixtures/kubernetes-platform-raw` (an ML platform written as raw resources), end to end
//! against the real control plane (`plinth-test-cluster`): the `plinth` binary applies the whole
//! platform (MLflow registry, serving endpoint with HPA, PDB and NetworkPolicy, the KServe
//! InferenceService with its CRD in the same apply, training and drift-monitor CronJobs), a re-plan
//! is clean, hand edits made with kubectl are drift that apply repairs, another field manager's
//! edit of a custom resource is a conflict until `force_conflicts`, an object the CRD's schema
//! rejects quotes the server, and destroy leaves nothing behind. Every check goes through kubectl.
//!
//! One test, in order: the fixture's CRD is cluster-wide, so only this test applies it (the other
//! tests of the fixture pass `-var kserve=false`; `tests/modules_kubernetes.rs`, another test
//! binary and so never running at the same time under `cargo test`, installs the same CRD with
//! kubectl for its KServe case and removes it after).

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use plinth_test_cluster::{Cluster, shared, unique};
use serde_json::Value as Json;
use support::cli::{Dir, copy_dir, expect_code, json, ok, stderr, stdout};

struct Platform {
    dir: Dir,
    cluster: &'static Cluster,
    env: Vec<(String, String)>,
    ns: String,
}

impl Platform {
    fn new() -> Platform {
        let cluster = shared();
        let dir = Dir::new();
        copy_dir(&PathBuf::from("tests/fixtures/kubernetes-platform-raw"), dir.path());
        let envname = unique("platform");
        let env = vec![
            ("KUBECONFIG".to_string(), cluster.kubeconfig().display().to_string()),
            ("HOME".to_string(), dir.path().display().to_string()),
            ("MODEL_REGISTRY_TOKEN".to_string(), unique("token")),
            ("PLINTH_ENV".to_string(), envname.clone()),
        ];
        let p = Platform {
            dir,
            cluster,
            env,
            ns: format!("ml-{envname}"),
        };
        ok(p.run(&["env", "new", &envname]));
        p
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        let env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.dir.run_env(args, &env)
    }

    fn get(&self, kind: &str, name: &str) -> Option<Json> {
        self.cluster.get(&["-n", &self.ns, kind, name])
    }

    fn kubectl(&self, args: &[&str]) -> String {
        let mut full = vec!["-n", self.ns.as_str()];
        full.extend_from_slice(args);
        self.cluster.kubectl_ok(&full)
    }

    /// Addresses `drift --json` reports as drifted, sorted.
    fn drifted(&self, want_code: i32) -> Vec<String> {
        let o = self.run(&["drift", "--json"]);
        expect_code(&o, want_code);
        let mut out: Vec<String> = json(&o)["resources"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    .filter(|r| r["status"] != "in_sync")
                    .filter_map(|r| r["address"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }
}

impl Drop for Platform {
    /// Whatever happened, the test's objects go (a destroy that passed leaves nothing to delete).
    fn drop(&mut self) {
        let serving = format!("{}-serving", self.ns);
        let training = format!("{}-training", self.ns);
        for args in [
            vec![
                "delete",
                "namespace",
                "--ignore-not-found",
                "--wait=false",
                self.ns.as_str(),
            ],
            vec![
                "delete",
                "priorityclass",
                "--ignore-not-found",
                "--wait=false",
                &serving,
                &training,
            ],
        ] {
            let _ = self.cluster.kubectl(&args);
        }
    }
}

fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let started = Instant::now();
    while !f() {
        assert!(started.elapsed() < Duration::from_secs(120), "{what}: not after 120 s");
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn the_ml_platform_applies_converges_repairs_drift_and_destroys_to_nothing() {
    let p = Platform::new();
    let o = ok(p.run(&["apply", "--auto-approve"]));
    let out = stdout(&o);
    assert!(!out.contains(&p.env[2].1), "the registry token was printed");

    // The registry and the serving endpoint rolled out before apply returned.
    let mlflow = p.get("deployment", "mlflow").expect("mlflow deployment");
    assert_eq!(mlflow["status"]["availableReplicas"], 1, "{mlflow}");
    assert_eq!(mlflow["spec"]["strategy"]["type"], "Recreate");
    let limits = &mlflow["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"];
    assert_eq!(limits["cpu"], "1", "the server canonicalised 1000m");
    assert_eq!(limits["memory"], "2Gi", "the server canonicalised 2048Mi");
    let pvc = p.get("pvc", "mlflow-data").expect("claim");
    assert_eq!(pvc["status"]["phase"], "Bound");
    let serving = p.get("deployment", "churn-serving").expect("serving deployment");
    assert_eq!(serving["status"]["availableReplicas"], 2, "{serving}");
    let svc = p.get("service", "churn-serving").expect("service");
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], 8080);
    let hpa = p.get("hpa", "churn-serving").expect("hpa");
    assert_eq!(hpa["apiVersion"], "autoscaling/v2");
    assert_eq!(hpa["spec"]["maxReplicas"], 10);
    assert_eq!(
        hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
        70
    );
    let pdb = p.get("pdb", "churn-serving").expect("pdb");
    assert_eq!(pdb["spec"]["minAvailable"], 1);
    let np = p
        .get("networkpolicy", "churn-serving-ingress-only")
        .expect("network policy");
    assert_eq!(np["spec"]["policyTypes"], serde_json::json!(["Ingress"]));
    assert_eq!(
        np["spec"]["ingress"][0]["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"],
        "ingress-nginx"
    );
    // The drift monitor's thresholds come from the variables (defaults 0.2 and 0.05).
    let drift = p.get("cronjob", "churn-drift-monitor").expect("drift cron job");
    let args = drift["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"].to_string();
    assert!(args.contains(r#""--psi-threshold","0.2""#), "{args}");
    assert!(args.contains(r#""--ks-p-value","0.05""#), "{args}");
    let training = p.get("cronjob", "churn-training").expect("training cron job");
    let pod = &training["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"], "1");
    assert_eq!(pod["priorityClassName"], format!("{}-training", p.ns));
    let pc = p
        .cluster
        .get(&["priorityclass", &format!("{}-serving", p.ns)])
        .expect("priority class");
    assert_eq!(pc["value"], 100000);
    // The InferenceService, through its CRD applied in the same run.
    let isvc = p
        .get("inferenceservices.serving.kserve.io", "churn")
        .expect("InferenceService");
    assert_eq!(isvc["spec"]["predictor"]["model"]["modelFormat"]["name"], "sklearn");

    // Nothing the server defaulted or canonicalised shows as a change.
    let o = p.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 0);
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
    assert_eq!(p.drifted(0), Vec::<String>::new());

    // Hand edits: a deployment scaled and a role widened with kubectl.
    p.kubectl(&["scale", "deployment/churn-serving", "--replicas=5"]);
    p.kubectl(&[
        "patch",
        "role",
        "drift-monitor",
        "--type=json",
        "-p",
        r#"[{"op":"add","path":"/rules/1/verbs/-","value":"delete"}]"#,
    ]);
    assert_eq!(p.drifted(2), ["kubernetes_deployment.serving", "kubernetes_role.drift"]);
    ok(p.run(&["apply", "--auto-approve"]));
    let serving = p.get("deployment", "churn-serving").expect("serving deployment");
    assert_eq!(serving["spec"]["replicas"], 2);
    let role = p.get("role", "drift-monitor").expect("role");
    assert_eq!(role["rules"][1]["verbs"], serde_json::json!(["create"]));
    assert_eq!(p.drifted(0), Vec::<String>::new());

    // Another field manager takes a field of the custom resource Plinth manages: drift, and a
    // conflict that names it until the configuration says to take the field back.
    p.cluster.kubectl_ok(&[
        "patch",
        "-n",
        &p.ns,
        "inferenceservices.serving.kserve.io",
        "churn",
        "--type=merge",
        "--field-manager=colleague",
        "-p",
        r#"{"spec":{"predictor":{"minReplicas":7}}}"#,
    ]);
    assert_eq!(p.drifted(2), ["kubernetes_manifest.churn[0]"]);
    let o = p.run(&["apply", "--auto-approve"]);
    expect_code(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("kubernetes_manifest.churn[0]"), "{err}");
    assert!(err.contains("colleague"), "the error names the other manager: {err}");
    assert!(
        err.contains("force_conflicts"),
        "the error says how to take over: {err}"
    );
    let kserve = p.dir.read("kserve.hcl").replace(
        "  depends_on = [kubernetes_manifest.inferenceservice_crd]",
        "  field_manager {\n    force_conflicts = true\n  }\n  depends_on = [kubernetes_manifest.inferenceservice_crd]",
    );
    p.dir.write("kserve.hcl", &kserve);
    ok(p.run(&["apply", "--auto-approve"]));
    let isvc = p
        .get("inferenceservices.serving.kserve.io", "churn")
        .expect("InferenceService");
    assert_eq!(isvc["spec"]["predictor"]["minReplicas"], 2);

    // An object the CRD's schema refuses: the server's field path and message, exit 1, and the
    // rest of the platform untouched.
    p.dir.write(
        "bad.hcl",
        r#"resource "kubernetes_manifest" "bad" {
  manifest = {
    apiVersion = "serving.kserve.io/v1beta1"
    kind       = "InferenceService"
    metadata   = { name = "bad", namespace = kubernetes_namespace.ml.metadata[0].name }
    spec       = { predictor = { model = { modelFormat = { name = "sklearn" }, storageUri = "ftp://models/x" } } }
  }
  depends_on = [kubernetes_manifest.inferenceservice_crd]
}
"#,
    );
    let o = p.run(&["apply", "--auto-approve"]);
    expect_code(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("kubernetes_manifest.bad"), "{err}");
    assert!(err.contains("spec.predictor.model.storageUri"), "{err}");
    assert!(err.contains("should match"), "{err}");
    assert!(p.get("inferenceservices.serving.kserve.io", "bad").is_none());
    p.dir.remove("bad.hcl");

    // Destroy leaves nothing: the namespace (the controllers finish it), the cluster-wide
    // priority classes and the CRD.
    ok(p.run(&["destroy", "--auto-approve"]));
    assert!(
        p.cluster.get(&["namespace", &p.ns]).is_none(),
        "destroy returned before the namespace was gone"
    );
    for pc in ["serving", "training"] {
        assert!(p.cluster.get(&["priorityclass", &format!("{}-{pc}", p.ns)]).is_none());
    }
    wait_until("the CRD is gone", || {
        p.cluster.get(&["crd", "inferenceservices.serving.kserve.io"]).is_none()
    });
    let o = p.run(&["state", "list"]);
    assert_eq!(stdout(&ok(o)).trim(), "");
}
