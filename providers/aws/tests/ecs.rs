//! aws_ecs_cluster, aws_ecs_task_definition and aws_ecs_service against moto: create, an
//! independent read with boto3, an out-of-band change made with boto3 seen as drift (and
//! repaired), import, destroy; container definitions compared by meaning (a re-plan is clean);
//! the batched refreshes (one DescribeClusters for many clusters, one DescribeServices per
//! cluster and 10 services).

mod common;

use common::boto::boto3;
use common::ec2::tags;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{Provider, ValidateRequest, Value};
use serde_json::Value as J;

const CLUSTER: &str = "aws_ecs_cluster";
const TASK: &str = "aws_ecs_task_definition";
const SERVICE: &str = "aws_ecs_service";

fn json(script: &str) -> J {
    let out = boto3(&format!("ecs = client('ecs')\n{script}"));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn block(items: &[(&str, Value)]) -> Value {
    Value::object(items.iter().map(|(k, v)| (k.to_string(), v.clone())))
}

fn validate(p: &AwsProvider, type_name: &str, cfg: &Value) -> Vec<String> {
    p.validate(&ValidateRequest::managed(type_name, cfg.clone()))
        .into_iter()
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

#[tokio::test]
async fn cluster_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let setting = |v: &str| Value::List(vec![block(&[("name", s("containerInsights")), ("value", s(v))])]);
    let cfg = config(
        &p,
        CLUSTER,
        &[
            ("name", s("plinth-serving")),
            ("setting", setting("enabled")),
            ("tags", tags(&[("team", "ml")])),
        ],
    );
    let state = create(&p, CLUSTER, cfg.clone()).await;
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(arn.ends_with(":cluster/plinth-serving"), "{arn}");
    assert_eq!(state.get("id"), &s(&arn));
    let live = json(
        "c = ecs.describe_clusters(clusters=['plinth-serving'], include=['TAGS', 'SETTINGS'])['clusters'][0]\n\
         print(json.dumps({'status': c['status'], 'settings': c['settings'], 'tags': c.get('tags', [])}))",
    );
    assert_eq!(live["status"], "ACTIVE");
    assert_eq!(live["settings"][0]["value"], "enabled");
    assert_eq!(live["tags"][0]["key"], "team");
    let state = assert_clean(&p, CLUSTER, &state, &cfg).await;

    // Out of band: Container Insights off, a tag added.
    boto3(&format!(
        "ecs = client('ecs')\n\
         ecs.update_cluster(cluster='{arn}', settings=[{{'name': 'containerInsights', 'value': 'disabled'}}])\n\
         ecs.tag_resource(resourceArn='{arn}', tags=[{{'key': 'owner', 'value': 'someone'}}])"
    ));
    let drifted = read(&p, CLUSTER, &state).await.expect("exists");
    assert_eq!(drifted.get("setting"), &setting("disabled"));
    let pl = plan(&p, CLUSTER, &drifted, &cfg).await;
    assert_eq!(plan_changes(&pl, &drifted), vec!["setting", "tags", "tags_all"]);
    let repaired = apply_update(&p, CLUSTER, &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired.get("setting"), &setting("enabled"));
    let live = json(
        "c = ecs.describe_clusters(clusters=['plinth-serving'], include=['TAGS', 'SETTINGS'])['clusters'][0]\n\
         print(json.dumps({'settings': c['settings'], 'tags': c.get('tags', [])}))",
    );
    assert_eq!(live["settings"][0]["value"], "enabled");
    assert_eq!(live["tags"].as_array().map(Vec::len), Some(1), "{live}");

    let imported = import(&p, CLUSTER, "plinth-serving").await;
    assert_eq!(imported.get("arn"), &s(&arn));
    assert_eq!(imported.get("tags"), &tags(&[("team", "ml")]));

    delete(&p, CLUSTER, &repaired).await;
    let live = json(
        "print(json.dumps([c['status'] for c in ecs.describe_clusters(clusters=['plinth-serving'])['clusters']]))",
    );
    assert!(
        live.as_array().is_some_and(|a| a.iter().all(|s| s == "INACTIVE")),
        "{live}"
    );
    assert_eq!(read(&p, CLUSTER, &repaired).await, None);
    delete(&p, CLUSTER, &repaired).await; // already gone
}

#[tokio::test]
async fn clusters_refresh_with_one_describe() {
    let p = provider().await;
    let mut states = Vec::new();
    for i in 0..3 {
        let cfg = config(&p, CLUSTER, &[("name", s(&format!("plinth-batch-{i}")))]);
        states.push(create(&p, CLUSTER, cfg).await);
    }
    let before = p.call_count();
    let out = p.read(read_request(CLUSTER, "c", &states)).await.expect("read");
    assert!(out.states.iter().all(Option::is_some));
    assert_eq!(p.call_count() - before, 1, "one DescribeClusters for three clusters");
    for s in &states {
        delete(&p, CLUSTER, s).await;
    }
    let out = p.read(read_request(CLUSTER, "c", &states)).await.expect("read");
    assert!(out.states.iter().all(Option::is_none));
}

const CONTAINERS: &str = r#"[
  {
    "name": "model-server",
    "image": "public.ecr.aws/docker/library/nginx:1.27",
    "memory": 512,
    "essential": true,
    "environment": [
      {"name": "MODEL", "value": "resnet50"},
      {"name": "BATCH", "value": "8"}
    ],
    "portMappings": [{"containerPort": 8080}],
    "resourceRequirements": [{"type": "GPU", "value": "1"}],
    "linuxParameters": {"sharedMemorySize": 2048}
  }
]"#;

fn task_config(p: &AwsProvider, containers: &str) -> Value {
    config(
        p,
        TASK,
        &[
            ("family", s("plinth-infer")),
            ("container_definitions", s(containers)),
            ("network_mode", s("awsvpc")),
            ("requires_compatibilities", strs(&["EC2"])),
            ("cpu", s("1024")),
            ("memory", s("4096")),
            ("tags", tags(&[("team", "ml")])),
        ],
    )
}

#[tokio::test]
async fn task_definition_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let cfg = task_config(&p, CONTAINERS);
    let state = create(&p, TASK, cfg.clone()).await;
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(arn.contains(":task-definition/plinth-infer:"), "{arn}");
    assert_eq!(state.get("id"), &s("plinth-infer"));
    assert_eq!(
        state.get("container_definitions"),
        &s(CONTAINERS),
        "the configured text is kept"
    );
    let live = json(&format!(
        "t = ecs.describe_task_definition(taskDefinition='{arn}', include=['TAGS'])\n\
         print(json.dumps({{'defs': t['taskDefinition']['containerDefinitions'], 'cpu': t['taskDefinition']['cpu'], \
         'mode': t['taskDefinition']['networkMode'], 'tags': t.get('tags', [])}}))"
    ));
    assert_eq!(live["defs"][0]["image"], "public.ecr.aws/docker/library/nginx:1.27");
    assert_eq!(live["defs"][0]["linuxParameters"]["sharedMemorySize"], 2048);
    assert_eq!(live["defs"][0]["resourceRequirements"][0]["type"], "GPU");
    assert_eq!(live["cpu"], "1024");
    assert_eq!(live["mode"], "awsvpc");
    assert_eq!(live["tags"][0]["key"], "team");
    let state = assert_clean(&p, TASK, &state, &cfg).await;

    // The same containers written another way (environment reordered, AWS's defaults spelled
    // out, other whitespace): no new revision.
    let same = r#"[{"name":"model-server","image":"public.ecr.aws/docker/library/nginx:1.27","memory":512,"cpu":0,
        "environment":[{"name":"BATCH","value":"8"},{"name":"MODEL","value":"resnet50"}],"mountPoints":[],
        "portMappings":[{"containerPort":8080,"hostPort":8080,"protocol":"tcp"}],
        "resourceRequirements":[{"type":"GPU","value":"1"}],"linuxParameters":{"sharedMemorySize":2048}}]"#;
    let pl = plan(&p, TASK, &state, &task_config(&p, same)).await;
    assert!(pl.requires_replace.is_empty(), "{:?}", pl.requires_replace);
    assert_eq!(plan_changes(&pl, &state), Vec::<String>::new());

    // A new image is a new revision.
    let newer = CONTAINERS.replace("nginx:1.27", "nginx:1.28");
    let pl = plan(&p, TASK, &state, &task_config(&p, &newer)).await;
    assert_eq!(pl.requires_replace.len(), 1);
    assert_eq!(pl.requires_replace[0].to_string(), "container_definitions");

    // Out of band: a tag added.
    boto3(&format!(
        "ecs = client('ecs')\necs.tag_resource(resourceArn='{arn}', tags=[{{'key': 'owner', 'value': 'someone'}}])"
    ));
    let drifted = read(&p, TASK, &state).await.expect("exists");
    let pl = plan(&p, TASK, &drifted, &cfg).await;
    assert!(pl.requires_replace.is_empty());
    assert_eq!(plan_changes(&pl, &drifted), vec!["tags", "tags_all"]);
    let repaired = apply_update(&p, TASK, &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired.get("tags"), &tags(&[("team", "ml")]));

    let imported = import(&p, TASK, &arn).await;
    assert_eq!(imported.get("family"), &s("plinth-infer"));
    assert_eq!(imported.get("cpu"), &s("1024"));
    let text = imported
        .get("container_definitions")
        .as_str()
        .expect("text")
        .to_string();
    assert!(text.contains("\"sharedMemorySize\":2048"), "{text}");

    delete(&p, TASK, &repaired).await;
    let live = json(&format!(
        "print(json.dumps(ecs.describe_task_definition(taskDefinition='{arn}')['taskDefinition']['status']))"
    ));
    assert_eq!(live, "INACTIVE", "deregistered");
    assert_eq!(read(&p, TASK, &repaired).await, None);
    delete(&p, TASK, &repaired).await; // already deregistered
}

#[tokio::test]
async fn container_definitions_are_checked_before_any_call() {
    let p = provider().await;
    let cfg = task_config(&p, r#"[{"name": "a", "image": "b", "memroy": 512}]"#);
    let d = validate(&p, TASK, &cfg);
    assert!(d.iter().any(|d| d.contains("\"memroy\"")), "{d:?}");
    let cfg = task_config(&p, r#"{"name": "a"}"#);
    assert!(!validate(&p, TASK, &cfg).is_empty());
    // Unsupported blocks are refused by the engine before the provider sees them; the schema
    // keeps them apart from the blocks it plans.
    let schema = p.schema();
    let td = schema.resources.get(TASK).expect("type");
    assert!(td.unsupported.contains_key("placement_constraints"));
    assert!(!td.blocks.contains_key("placement_constraints"));
}

/// A VPC, a subnet and a security group made with boto3, for awsvpc services.
fn network() -> (String, String) {
    let out = json(
        "v = ec2.create_vpc(CidrBlock='10.42.0.0/16')['Vpc']['VpcId']\n\
         sn = ec2.create_subnet(VpcId=v, CidrBlock='10.42.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']\n\
         sg = ec2.create_security_group(GroupName='plinth-ecs-' + sn, Description='ecs', VpcId=v)['GroupId']\n\
         print(json.dumps([sn, sg]))",
    );
    (
        out[0].as_str().expect("subnet").to_string(),
        out[1].as_str().expect("group").to_string(),
    )
}

#[tokio::test]
async fn service_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let (subnet, group) = network();
    let cluster = create(&p, CLUSTER, config(&p, CLUSTER, &[("name", s("plinth-svc"))])).await;
    let cluster_arn = cluster.get("arn").as_str().expect("arn").to_string();
    let task = create(
        &p,
        TASK,
        config(
            &p,
            TASK,
            &[
                ("family", s("plinth-svc-task")),
                (
                    "container_definitions",
                    s(r#"[{"name":"web","image":"nginx","memory":256}]"#),
                ),
                ("network_mode", s("awsvpc")),
                ("requires_compatibilities", strs(&["FARGATE"])),
                ("cpu", s("256")),
                ("memory", s("512")),
            ],
        ),
    )
    .await;
    let network_block = Value::List(vec![block(&[
        ("subnets", strs(&[&subnet])),
        ("security_groups", strs(&[&group])),
        ("assign_public_ip", Value::Bool(false)),
    ])]);
    let cfg = |count: i64| {
        config(
            &p,
            SERVICE,
            &[
                ("name", s("scorer")),
                ("cluster", s(&cluster_arn)),
                ("task_definition", s("plinth-svc-task")),
                ("desired_count", Value::int(count)),
                ("launch_type", s("FARGATE")),
                ("network_configuration", network_block.clone()),
                ("tags", tags(&[("team", "ml")])),
            ],
        )
    };
    let state = create(&p, SERVICE, cfg(2)).await;
    let arn = state.get("arn").as_str().expect("arn").to_string();
    assert!(arn.ends_with("/plinth-svc/scorer"), "{arn}");
    assert_eq!(
        state.get("task_definition"),
        &s("plinth-svc-task"),
        "the family as configured"
    );
    assert_eq!(state.get("desired_count"), &Value::int(2));
    let live = json(
        "s = ecs.describe_services(cluster='plinth-svc', services=['scorer'], include=['TAGS'])['services'][0]\n\
         print(json.dumps({'count': s['desiredCount'], 'launch': s['launchType'], 'td': s['taskDefinition'], \
         'subnets': s['networkConfiguration']['awsvpcConfiguration']['subnets'], 'tags': s.get('tags', [])}))",
    );
    assert_eq!(live["count"], 2);
    assert_eq!(live["launch"], "FARGATE");
    assert_eq!(live["subnets"][0], subnet.as_str());
    assert_eq!(live["tags"][0]["key"], "team");
    assert!(
        live["td"]
            .as_str()
            .is_some_and(|t| t.ends_with("task-definition/plinth-svc-task:1"))
    );
    let state = assert_clean(&p, SERVICE, &state, &cfg(2)).await;

    // Out of band: scaled to 5.
    boto3("ecs = client('ecs')\necs.update_service(cluster='plinth-svc', service='scorer', desiredCount=5)");
    let drifted = read(&p, SERVICE, &state).await.expect("exists");
    assert_eq!(drifted.get("desired_count"), &Value::int(5));
    let pl = plan(&p, SERVICE, &drifted, &cfg(2)).await;
    assert!(pl.requires_replace.is_empty());
    assert_eq!(plan_changes(&pl, &drifted), vec!["desired_count"]);
    let repaired = apply_update(&p, SERVICE, &drifted, pl.planned, &cfg(2)).await;
    assert_eq!(repaired.get("desired_count"), &Value::int(2));
    let live =
        json("print(ecs.describe_services(cluster='plinth-svc', services=['scorer'])['services'][0]['desiredCount'])");
    assert_eq!(live, 2);

    let imported = import(&p, SERVICE, "plinth-svc/scorer").await;
    assert_eq!(imported.get("arn"), &s(&arn));
    assert_eq!(imported.get("cluster"), &s(&cluster_arn));
    assert!(
        imported
            .get("task_definition")
            .as_str()
            .is_some_and(|t| t.ends_with("task-definition/plinth-svc-task:1"))
    );

    // Destroy scales to zero first (moto refuses to delete a service above 0, as AWS does
    // without force).
    delete(&p, SERVICE, &repaired).await;
    let live = json(
        "print(json.dumps([s['status'] for s in ecs.describe_services(cluster='plinth-svc', services=['scorer'])['services']]))",
    );
    assert!(
        live.as_array().is_some_and(|a| a.iter().all(|s| s == "INACTIVE")),
        "{live}"
    );
    assert_eq!(read(&p, SERVICE, &repaired).await, None);
    delete(&p, SERVICE, &repaired).await; // already gone
    delete(&p, TASK, &task).await;
    delete(&p, CLUSTER, &cluster).await;
}

#[tokio::test]
async fn services_refresh_with_one_describe_per_cluster() {
    let p = provider().await;
    let cluster = create(&p, CLUSTER, config(&p, CLUSTER, &[("name", s("plinth-svc-batch"))])).await;
    let cluster_arn = cluster.get("arn").as_str().expect("arn").to_string();
    let task = create(
        &p,
        TASK,
        config(
            &p,
            TASK,
            &[
                ("family", s("plinth-batch-task")),
                (
                    "container_definitions",
                    s(r#"[{"name":"w","image":"busybox","memory":64}]"#),
                ),
            ],
        ),
    )
    .await;
    let mut states = Vec::new();
    for i in 0..3 {
        let cfg = config(
            &p,
            SERVICE,
            &[
                ("name", s(&format!("worker-{i}"))),
                ("cluster", s(&cluster_arn)),
                ("task_definition", task.get("arn").clone()),
                ("desired_count", Value::int(0)),
                ("wait_for_steady_state", Value::Bool(true)),
            ],
        );
        states.push(create(&p, SERVICE, cfg).await);
    }
    let before = p.call_count();
    let out = p.read(read_request(SERVICE, "s", &states)).await.expect("read");
    assert!(out.states.iter().all(Option::is_some));
    assert_eq!(
        p.call_count() - before,
        1,
        "one DescribeServices for three services of one cluster"
    );
    for s in &states {
        delete(&p, SERVICE, s).await;
    }
    let out = p.read(read_request(SERVICE, "s", &states)).await.expect("read");
    assert!(out.states.iter().all(Option::is_none));
    delete(&p, TASK, &task).await;
    delete(&p, CLUSTER, &cluster).await;
}

#[tokio::test]
async fn cluster_exec_configuration_round_trips() {
    let p = provider().await;
    let exec = |logging: &str| {
        Value::List(vec![block(&[(
            "execute_command_configuration",
            Value::List(vec![block(&[
                ("kms_key_id", Value::Null),
                ("logging", s(logging)),
                (
                    "log_configuration",
                    Value::List(vec![block(&[
                        ("cloud_watch_encryption_enabled", Value::Null),
                        ("cloud_watch_log_group_name", s("/ecs/exec")),
                        ("s3_bucket_encryption_enabled", Value::Null),
                        ("s3_bucket_name", Value::Null),
                        ("s3_key_prefix", Value::Null),
                    ])]),
                ),
            ])]),
        )])])
    };
    let cfg = config(
        &p,
        CLUSTER,
        &[
            ("name", s("plinth-exec")),
            ("setting", Value::Null),
            ("configuration", exec("OVERRIDE")),
        ],
    );
    let state = create(&p, CLUSTER, cfg.clone()).await;
    let live = json(
        "c = ecs.describe_clusters(clusters=['plinth-exec'], include=['CONFIGURATIONS'])['clusters'][0]\n\
         print(json.dumps(c.get('configuration', {})))",
    );
    assert_eq!(live["executeCommandConfiguration"]["logging"], "OVERRIDE", "{live}");
    assert_eq!(
        live["executeCommandConfiguration"]["logConfiguration"]["cloudWatchLogGroupName"],
        "/ecs/exec"
    );
    let state = assert_clean(&p, CLUSTER, &state, &cfg).await;
    let changed = config(
        &p,
        CLUSTER,
        &[
            ("name", s("plinth-exec")),
            ("setting", Value::Null),
            ("configuration", exec("DEFAULT")),
        ],
    );
    let updated = apply_in_place(&p, CLUSTER, &state, &changed).await;
    let live = json(
        "c = ecs.describe_clusters(clusters=['plinth-exec'], include=['CONFIGURATIONS'])['clusters'][0]\n\
         print(json.dumps(c['configuration']['executeCommandConfiguration']['logging']))",
    );
    assert_eq!(live, "DEFAULT");
    delete(&p, CLUSTER, &updated).await;
}
