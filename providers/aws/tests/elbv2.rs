//! aws_lb, aws_lb_target_group and aws_lb_listener against moto: create, an independent read
//! with boto3, out-of-band changes made with boto3 seen as drift and repaired, import, the cost
//! of a batched refresh, destroy.

mod common;

use common::boto::boto3;
use common::ec2::tags;
use common::*;
use plinth_sdk::{Provider, Value};
use serde_json::Value as J;

const LB: &str = "aws_lb";
const TG: &str = "aws_lb_target_group";
const LISTENER: &str = "aws_lb_listener";

fn json(script: &str) -> J {
    let out = boto3(&format!("elb2 = client('elbv2')\n{script}"));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// A VPC with two subnets in two zones and a security group, made with boto3.
fn network(cidr: &str) -> (String, Vec<String>, String) {
    let n = json(&format!(
        "v = ec2.create_vpc(CidrBlock='{cidr}.0.0/16')['Vpc']['VpcId']\n\
         a = ec2.create_subnet(VpcId=v, CidrBlock='{cidr}.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']\n\
         b = ec2.create_subnet(VpcId=v, CidrBlock='{cidr}.2.0/24', AvailabilityZone='us-east-1b')['Subnet']['SubnetId']\n\
         g = ec2.create_security_group(VpcId=v, GroupName='lb', Description='lb')['GroupId']\n\
         print(json.dumps({{'vpc': v, 'subnets': sorted([a, b]), 'sg': g}}))"
    ));
    let s = |v: &J| v.as_str().expect("a string").to_string();
    (
        s(&n["vpc"]),
        n["subnets"].as_array().expect("subnets").iter().map(s).collect(),
        s(&n["sg"]),
    )
}

fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(|i| Value::string(i.clone())).collect())
}

fn health(path: &str) -> Value {
    Value::List(vec![Value::object([
        ("path", s(path)),
        ("matcher", s("200-299")),
        ("interval", Value::int(15)),
    ])])
}

fn forward(tg: &str) -> Value {
    Value::List(vec![Value::object([
        ("type", s("forward")),
        ("target_group_arn", s(tg)),
    ])])
}

#[tokio::test]
async fn load_balancer_target_group_listener_lifecycle() {
    let p = provider().await;
    let (vpc, subnets, sg) = network("10.40");

    // The target group.
    let tg_cfg = config(
        &p,
        TG,
        &[
            ("name", s("serving")),
            ("port", Value::int(8080)),
            ("protocol", s("HTTP")),
            ("vpc_id", s(&vpc)),
            ("target_type", s("ip")),
            ("deregistration_delay", Value::int(30)),
            ("health_check", health("/ping")),
            ("tags", tags(&[("team", "ml")])),
        ],
    );
    let tg = create(&p, TG, tg_cfg.clone()).await;
    let tg_arn = id_of(&tg);
    assert_eq!(tg.get("arn"), tg.get("id"));
    assert!(
        tg.get("arn_suffix")
            .as_str()
            .is_some_and(|s| s.starts_with("targetgroup/serving/"))
    );
    let hc = &tg.get("health_check").as_list().expect("a health check")[0];
    assert_eq!(hc.get("port"), &s("traffic-port"));
    assert_eq!(hc.get("healthy_threshold"), &Value::int(3));
    let live = json(&format!(
        "t = elb2.describe_target_groups(TargetGroupArns=['{tg_arn}'])['TargetGroups'][0]\n\
         a = {{x['Key']: x['Value'] for x in elb2.describe_target_group_attributes(TargetGroupArn='{tg_arn}')['Attributes']}}\n\
         g = elb2.describe_tags(ResourceArns=['{tg_arn}'])['TagDescriptions'][0]['Tags']\n\
         print(json.dumps({{'path': t['HealthCheckPath'], 'interval': t['HealthCheckIntervalSeconds'], 'type': t['TargetType'], \
         'delay': a['deregistration_delay.timeout_seconds'], 'tags': {{x['Key']: x['Value'] for x in g}}}}))"
    ));
    assert_eq!(live["path"], "/ping");
    assert_eq!(live["interval"], 15);
    assert_eq!(live["type"], "ip");
    assert_eq!(live["delay"], "30");
    assert_eq!(live["tags"]["team"], "ml");
    assert_eq!(read(&p, TG, &tg).await.as_ref(), Some(&tg));
    assert_eq!(
        plan_changes(&plan(&p, TG, &tg, &tg_cfg).await, &tg),
        Vec::<String>::new()
    );

    // Out of band: another health check path and deregistration delay.
    boto3(&format!(
        "elb2 = client('elbv2')\n\
         elb2.modify_target_group(TargetGroupArn='{tg_arn}', HealthCheckPath='/other')\n\
         elb2.modify_target_group_attributes(TargetGroupArn='{tg_arn}', Attributes=[{{'Key': 'deregistration_delay.timeout_seconds', 'Value': '300'}}])"
    ));
    let drifted = read(&p, TG, &tg).await.expect("exists");
    let pl = plan(&p, TG, &drifted, &tg_cfg).await;
    assert_eq!(
        plan_changes(&pl, &drifted),
        vec!["deregistration_delay", "health_check"]
    );
    let tg = apply_update(&p, TG, &drifted, pl.planned, &tg_cfg).await;
    assert_eq!(read(&p, TG, &tg).await.as_ref(), Some(&tg));
    assert_eq!(
        json(&format!(
            "print(json.dumps(elb2.describe_target_groups(TargetGroupArns=['{tg_arn}'])['TargetGroups'][0]['HealthCheckPath']))"
        )),
        "/ping"
    );

    // The load balancer.
    let lb_cfg = config(
        &p,
        LB,
        &[
            ("name", s("serving-alb")),
            ("subnets", strings(&subnets)),
            ("security_groups", strings(std::slice::from_ref(&sg))),
            ("idle_timeout", Value::int(120)),
            ("tags", tags(&[("team", "ml")])),
        ],
    );
    let lb = create(&p, LB, lb_cfg.clone()).await;
    let lb_arn = id_of(&lb);
    assert_eq!(lb.get("load_balancer_type"), &s("application"));
    assert_eq!(lb.get("internal"), &Value::Bool(false));
    assert_eq!(lb.get("vpc_id"), &s(&vpc));
    assert_eq!(lb.get("enable_http2"), &Value::Bool(true));
    assert_eq!(
        lb.get("enable_cross_zone_load_balancing"),
        &Value::Null,
        "not for an ALB"
    );
    assert!(lb.get("dns_name").as_str().is_some_and(|d| !d.is_empty()));
    assert!(
        lb.get("arn_suffix")
            .as_str()
            .is_some_and(|s| s.starts_with("app/serving-alb/"))
    );
    let live = json(&format!(
        "l = elb2.describe_load_balancers(LoadBalancerArns=['{lb_arn}'])['LoadBalancers'][0]\n\
         a = {{x['Key']: x['Value'] for x in elb2.describe_load_balancer_attributes(LoadBalancerArn='{lb_arn}')['Attributes']}}\n\
         g = elb2.describe_tags(ResourceArns=['{lb_arn}'])['TagDescriptions'][0]['Tags']\n\
         print(json.dumps({{'scheme': l.get('Scheme', 'internet-facing'), 'type': l['Type'], 'sgs': l['SecurityGroups'], \
         'idle': a['idle_timeout.timeout_seconds'], 'tags': {{x['Key']: x['Value'] for x in g}}}}))"
    ));
    // moto leaves Scheme out unless it was given; AWS's default is internet-facing.
    assert_eq!(live["scheme"], "internet-facing");
    assert_eq!(live["type"], "application");
    assert_eq!(live["sgs"][0], sg.as_str());
    assert_eq!(live["idle"], "120");
    assert_eq!(live["tags"]["team"], "ml");
    assert_eq!(read(&p, LB, &lb).await.as_ref(), Some(&lb));
    assert_eq!(
        plan_changes(&plan(&p, LB, &lb, &lb_cfg).await, &lb),
        Vec::<String>::new()
    );

    // Out of band: another idle timeout, deletion protection on, a tag removed.
    boto3(&format!(
        "elb2 = client('elbv2')\n\
         elb2.modify_load_balancer_attributes(LoadBalancerArn='{lb_arn}', Attributes=[\
         {{'Key': 'idle_timeout.timeout_seconds', 'Value': '300'}}, {{'Key': 'deletion_protection.enabled', 'Value': 'true'}}])\n\
         elb2.remove_tags(ResourceArns=['{lb_arn}'], TagKeys=['team'])"
    ));
    let drifted = read(&p, LB, &lb).await.expect("exists");
    let pl = plan(&p, LB, &drifted, &lb_cfg).await;
    assert_eq!(
        plan_changes(&pl, &drifted),
        vec!["enable_deletion_protection", "idle_timeout", "tags", "tags_all"]
    );
    let lb = apply_update(&p, LB, &drifted, pl.planned, &lb_cfg).await;
    assert_eq!(read(&p, LB, &lb).await.as_ref(), Some(&lb));
    assert_eq!(lb.get("idle_timeout"), &Value::int(120));

    // The listener, forwarding to the target group.
    let l_cfg = config(
        &p,
        LISTENER,
        &[
            ("load_balancer_arn", s(&lb_arn)),
            ("port", Value::int(80)),
            ("default_action", forward(&tg_arn)),
            ("tags", tags(&[("team", "ml")])),
        ],
    );
    let listener = create(&p, LISTENER, l_cfg.clone()).await;
    let l_arn = id_of(&listener);
    assert_eq!(listener.get("protocol"), &s("HTTP"));
    let live = json(&format!(
        "l = elb2.describe_listeners(ListenerArns=['{l_arn}'])['Listeners'][0]\n\
         print(json.dumps({{'port': l['Port'], 'actions': l['DefaultActions']}}))"
    ));
    assert_eq!(live["port"], 80);
    assert_eq!(live["actions"][0]["Type"], "forward");
    assert_eq!(live["actions"][0]["TargetGroupArn"], tg_arn.as_str());
    assert_eq!(read(&p, LISTENER, &listener).await.as_ref(), Some(&listener));
    assert_eq!(
        plan_changes(&plan(&p, LISTENER, &listener, &l_cfg).await, &listener),
        Vec::<String>::new()
    );
    // The target group now knows its load balancer.
    let tg = read(&p, TG, &tg).await.expect("exists");
    assert_eq!(tg.get("load_balancer_arns"), &strs(&[&lb_arn]));

    // Out of band: a fixed response instead.
    boto3(&format!(
        "elb2 = client('elbv2')\n\
         elb2.modify_listener(ListenerArn='{l_arn}', DefaultActions=[{{'Type': 'fixed-response', \
         'FixedResponseConfig': {{'StatusCode': '503', 'ContentType': 'text/plain', 'MessageBody': 'down'}}}}])"
    ));
    let drifted = read(&p, LISTENER, &listener).await.expect("exists");
    let pl = plan(&p, LISTENER, &drifted, &l_cfg).await;
    assert_eq!(plan_changes(&pl, &drifted), vec!["default_action"]);
    let listener = apply_update(&p, LISTENER, &drifted, pl.planned, &l_cfg).await;
    assert_eq!(
        json(&format!(
            "print(json.dumps(elb2.describe_listeners(ListenerArns=['{l_arn}'])['Listeners'][0]['DefaultActions'][0]['Type']))"
        )),
        "forward"
    );

    // In place: a redirect to HTTPS.
    let redirect = Value::List(vec![Value::object([
        ("type", s("redirect")),
        (
            "redirect",
            Value::List(vec![Value::object([
                ("status_code", s("HTTP_301")),
                ("protocol", s("HTTPS")),
                ("port", s("443")),
            ])]),
        ),
    ])]);
    let r_cfg = config(
        &p,
        LISTENER,
        &[
            ("load_balancer_arn", s(&lb_arn)),
            ("port", Value::int(80)),
            ("default_action", redirect),
            ("tags", tags(&[("team", "ml")])),
        ],
    );
    let listener = apply_in_place(&p, LISTENER, &listener, &r_cfg).await;
    let r = &listener.get("default_action").as_list().expect("actions")[0];
    assert_eq!(
        r.get("redirect").as_list().expect("a redirect")[0].get("host"),
        &s("#{host}")
    );
    assert_eq!(read(&p, LISTENER, &listener).await.as_ref(), Some(&listener));
    assert_eq!(
        plan_changes(&plan(&p, LISTENER, &listener, &r_cfg).await, &listener),
        Vec::<String>::new()
    );

    // Import each by ARN.
    let imported = import(&p, LB, &lb_arn).await;
    assert_eq!(imported.get("name"), &s("serving-alb"));
    assert_eq!(imported.get("idle_timeout"), &Value::int(120));
    assert_eq!(imported.get("subnets"), &strings(&subnets));
    let imported = import(&p, TG, &tg_arn).await;
    assert_eq!(imported.get("health_check"), tg.get("health_check"));
    let imported = import(&p, LISTENER, &l_arn).await;
    assert_eq!(imported.get("default_action"), listener.get("default_action"));
    assert_eq!(imported.get("load_balancer_arn"), &s(&lb_arn));

    // Destroy: the listener, then the load balancer (deletion protection off first), then the group.
    delete(&p, LISTENER, &listener).await;
    assert_eq!(read(&p, LISTENER, &listener).await, None);
    let mut unprotected = lb_cfg.clone();
    if let Value::Map(m) = &mut unprotected {
        m.insert("enable_deletion_protection".into(), Value::Bool(false));
    }
    let lb = apply_in_place(&p, LB, &lb, &unprotected).await;
    delete(&p, LB, &lb).await;
    assert_eq!(read(&p, LB, &lb).await, None);
    delete(&p, TG, &tg).await;
    assert_eq!(read(&p, TG, &tg).await, None);
    let left = json(
        "print(json.dumps([t['TargetGroupArn'] for t in elb2.describe_target_groups()['TargetGroups']] + \
         [l['LoadBalancerArn'] for l in elb2.describe_load_balancers()['LoadBalancers']]))",
    );
    assert!(
        !left.to_string().contains(&tg_arn) && !left.to_string().contains(&lb_arn),
        "{left}"
    );
}

#[tokio::test]
async fn refresh_is_batched_and_a_gone_object_reads_as_none() {
    let p = provider().await;
    let (vpc, subnets, _) = network("10.41");
    let mut groups = Vec::new();
    for i in 0..3 {
        let cfg = config(
            &p,
            TG,
            &[
                ("name", s(&format!("batch-{i}"))),
                ("port", Value::int(80)),
                ("protocol", s("HTTP")),
                ("vpc_id", s(&vpc)),
            ],
        );
        groups.push(create(&p, TG, cfg).await);
    }
    let nlb_cfg = config(
        &p,
        LB,
        &[
            ("name_prefix", s("nlb-")),
            ("load_balancer_type", s("network")),
            ("internal", Value::Bool(true)),
            ("subnets", strings(&subnets)),
        ],
    );
    let nlb = create(&p, LB, nlb_cfg.clone()).await;
    assert!(nlb.get("name").as_str().is_some_and(|n| n.starts_with("nlb-")));
    assert_eq!(nlb.get("idle_timeout"), &Value::Null, "only for an ALB");
    assert_eq!(nlb.get("enable_cross_zone_load_balancing"), &Value::Bool(false));
    assert_eq!(
        plan_changes(&plan(&p, LB, &nlb, &nlb_cfg).await, &nlb),
        Vec::<String>::new()
    );

    // Three target groups: one DescribeTargetGroups, one DescribeTags, an attributes call each.
    let before = p.call_count();
    let out = p.read(read_request(TG, "g", &groups)).await.expect("read");
    assert!(out.states.iter().all(Option::is_some));
    assert_eq!(p.call_count() - before, 1 + 1 + 3);

    // One deleted out of band: the batch falls back to one call per group and reads it as gone.
    let gone = id_of(&groups[1]);
    boto3(&format!("client('elbv2').delete_target_group(TargetGroupArn='{gone}')"));
    let out = p.read(read_request(TG, "g", &groups)).await.expect("read");
    assert!(out.states[0].is_some() && out.states[1].is_none() && out.states[2].is_some());

    delete(&p, LB, &nlb).await;
    for g in &groups {
        delete(&p, TG, g).await;
    }
}
