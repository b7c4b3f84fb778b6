//! aws_elb (Classic Load Balancer) against moto: create, an independent read with boto3,
//! out-of-band changes made with boto3 seen as drift and repaired, an in-place listener change,
//! import, destroy.

mod common;

use common::boto::boto3;
use common::*;
use plinth_sdk::Value;
use serde_json::Value as J;

const ELB: &str = "aws_elb";

fn json(script: &str) -> J {
    let out = boto3(&format!("elb = client('elb')\n{script}"));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn listener(lb_port: i64, instance_port: i64) -> Value {
    Value::object([
        ("lb_port", Value::int(lb_port)),
        ("lb_protocol", s("HTTP")),
        ("instance_port", Value::int(instance_port)),
        ("instance_protocol", s("HTTP")),
    ])
}

fn cfg(p: &plinth_aws::AwsProvider, listeners: Vec<Value>) -> Value {
    config(
        p,
        ELB,
        &[
            ("name", s("classic-serving")),
            ("availability_zones", strs(&["us-east-1a", "us-east-1b"])),
            ("listener", Value::List(listeners)),
            (
                "health_check",
                Value::List(vec![Value::object([
                    ("target", s("HTTP:8080/ping")),
                    ("interval", Value::int(30)),
                    ("timeout", Value::int(5)),
                    ("healthy_threshold", Value::int(2)),
                    ("unhealthy_threshold", Value::int(3)),
                ])]),
            ),
            ("idle_timeout", Value::int(120)),
            ("tags", Value::object([("team", s("ml"))])),
        ],
    )
}

#[tokio::test]
async fn classic_load_balancer_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let config = cfg(&p, vec![listener(80, 8080)]);
    let lb = create(&p, ELB, config.clone()).await;
    assert_eq!(lb.get("id"), &s("classic-serving"));
    assert_eq!(
        lb.get("arn"),
        &s("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/classic-serving")
    );
    let live = json(
        "d = elb.describe_load_balancers(LoadBalancerNames=['classic-serving'])['LoadBalancerDescriptions'][0]\n\
         a = elb.describe_load_balancer_attributes(LoadBalancerName='classic-serving')['LoadBalancerAttributes']\n\
         t = elb.describe_tags(LoadBalancerNames=['classic-serving'])['TagDescriptions'][0]['Tags']\n\
         print(json.dumps({'target': d['HealthCheck']['Target'], 'ports': [l['Listener']['LoadBalancerPort'] for l in d['ListenerDescriptions']], \
         'idle': a['ConnectionSettings']['IdleTimeout'], 'tags': {x['Key']: x['Value'] for x in t}}))",
    );
    assert_eq!(live["target"], "HTTP:8080/ping");
    assert_eq!(live["ports"][0], 80);
    assert_eq!(live["idle"], 120);
    assert_eq!(live["tags"]["team"], "ml");
    assert_eq!(read(&p, ELB, &lb).await.as_ref(), Some(&lb));
    assert_eq!(
        plan_changes(&plan(&p, ELB, &lb, &config).await, &lb),
        Vec::<String>::new()
    );

    // Out of band: another health check target and idle timeout.
    boto3(
        "elb = client('elb')\n\
         elb.configure_health_check(LoadBalancerName='classic-serving', HealthCheck={'Target': 'TCP:8080', 'Interval': 30, \
         'Timeout': 5, 'HealthyThreshold': 2, 'UnhealthyThreshold': 3})\n\
         elb.modify_load_balancer_attributes(LoadBalancerName='classic-serving', LoadBalancerAttributes={'ConnectionSettings': {'IdleTimeout': 60}})",
    );
    let drifted = read(&p, ELB, &lb).await.expect("exists");
    let pl = plan(&p, ELB, &drifted, &config).await;
    assert_eq!(plan_changes(&pl, &drifted), vec!["health_check", "idle_timeout"]);
    let lb = apply_update(&p, ELB, &drifted, pl.planned, &config).await;
    assert_eq!(read(&p, ELB, &lb).await.as_ref(), Some(&lb));

    // In place: a second listener.
    let two = cfg(&p, vec![listener(443, 8443), listener(80, 8080)]);
    let lb = apply_in_place(&p, ELB, &lb, &two).await;
    let ports = json(
        "d = elb.describe_load_balancers(LoadBalancerNames=['classic-serving'])['LoadBalancerDescriptions'][0]\n\
         print(json.dumps(sorted(l['Listener']['LoadBalancerPort'] for l in d['ListenerDescriptions'])))",
    );
    assert_eq!(ports, serde_json::json!([80, 443]));
    assert_eq!(plan_changes(&plan(&p, ELB, &lb, &two).await, &lb), Vec::<String>::new());

    let imported = import(&p, ELB, "classic-serving").await;
    assert_eq!(imported.get("listener"), lb.get("listener"));
    assert_eq!(imported.get("health_check"), lb.get("health_check"));

    delete(&p, ELB, &lb).await;
    assert_eq!(read(&p, ELB, &lb).await, None);
    let left = json(
        "print(json.dumps([d['LoadBalancerName'] for d in elb.describe_load_balancers()['LoadBalancerDescriptions']]))",
    );
    assert!(!left.to_string().contains("classic-serving"), "{left}");
}
