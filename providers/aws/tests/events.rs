//! aws_cloudwatch_event_rule and aws_cloudwatch_event_target against moto: create, an
//! independent read with boto3, out-of-band changes made with boto3 seen as drift and repaired,
//! import by Terraform's ids, the cost of a batched refresh, destroy.

mod common;

use common::boto::boto3;
use common::*;
use plinth_sdk::{Provider, Value};
use serde_json::Value as J;

const RULE: &str = "aws_cloudwatch_event_rule";
const TARGET: &str = "aws_cloudwatch_event_target";

const PATTERN: &str = r#"{"source":["aws.sagemaker"],"detail-type":["SageMaker Model Package State Change"]}"#;
const PATTERN_REFORMATTED: &str =
    r#"{ "detail-type": [ "SageMaker Model Package State Change" ], "source": [ "aws.sagemaker" ] }"#;

fn json(script: &str) -> J {
    let out = boto3(&format!("ev = client('events')\n{script}"));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[tokio::test]
async fn rule_and_target_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let cfg = config(
        &p,
        RULE,
        &[
            ("name", s("model-approved")),
            ("description", s("a model package changed")),
            ("event_pattern", s(PATTERN)),
            ("tags", Value::object([("team", s("ml"))])),
        ],
    );
    let rule = create(&p, RULE, cfg.clone()).await;
    assert_eq!(rule.get("id"), &s("model-approved"));
    assert_eq!(rule.get("state"), &s("ENABLED"));
    assert_eq!(rule.get("is_enabled"), &Value::Bool(true));
    assert_eq!(rule.get("event_pattern"), &s(PATTERN));
    let arn = rule.get("arn").as_str().expect("an arn").to_string();
    let live = json(&format!(
        "r = ev.describe_rule(Name='model-approved')\n\
         t = ev.list_tags_for_resource(ResourceARN='{arn}')['Tags']\n\
         print(json.dumps({{'state': r['State'], 'pattern': json.loads(r['EventPattern']), 'description': r['Description'], \
         'tags': {{x['Key']: x['Value'] for x in t}}}}))"
    ));
    assert_eq!(live["state"], "ENABLED");
    assert_eq!(live["pattern"]["source"][0], "aws.sagemaker");
    assert_eq!(live["description"], "a model package changed");
    assert_eq!(live["tags"]["team"], "ml");
    assert_eq!(read(&p, RULE, &rule).await.as_ref(), Some(&rule));
    assert_eq!(
        plan_changes(&plan(&p, RULE, &rule, &cfg).await, &rule),
        Vec::<String>::new()
    );
    // The same pattern in another layout is no change.
    let same = config(
        &p,
        RULE,
        &[
            ("name", s("model-approved")),
            ("description", s("a model package changed")),
            ("event_pattern", s(PATTERN_REFORMATTED)),
            ("tags", Value::object([("team", s("ml"))])),
        ],
    );
    assert_eq!(
        plan_changes(&plan(&p, RULE, &rule, &same).await, &rule),
        Vec::<String>::new()
    );

    // Out of band: disabled, another description.
    boto3(
        "ev = client('events')\n\
         ev.disable_rule(Name='model-approved')\n\
         r = ev.describe_rule(Name='model-approved')\n\
         ev.put_rule(Name='model-approved', EventPattern=r['EventPattern'], State='DISABLED', Description='changed')",
    );
    let drifted = read(&p, RULE, &rule).await.expect("exists");
    let pl = plan(&p, RULE, &drifted, &cfg).await;
    assert_eq!(plan_changes(&pl, &drifted), vec!["description", "is_enabled", "state"]);
    let rule = apply_update(&p, RULE, &drifted, pl.planned, &cfg).await;
    assert_eq!(read(&p, RULE, &rule).await.as_ref(), Some(&rule));
    assert_eq!(
        json("print(json.dumps(ev.describe_rule(Name='model-approved')['State']))"),
        "ENABLED"
    );

    // A target: a Lambda function with a fixed input.
    let fn_arn = "arn:aws:lambda:us-east-1:123456789012:function:notify";
    let tcfg = config(
        &p,
        TARGET,
        &[
            ("rule", s("model-approved")),
            ("target_id", s("notify")),
            ("arn", s(fn_arn)),
            ("input", s(r#"{"channel":"ml"}"#)),
            (
                "retry_policy",
                Value::List(vec![Value::object([
                    ("maximum_event_age_in_seconds", Value::int(3600)),
                    ("maximum_retry_attempts", Value::int(5)),
                ])]),
            ),
        ],
    );
    let target = create(&p, TARGET, tcfg.clone()).await;
    assert_eq!(target.get("id"), &s("model-approved-notify"));
    let live = json(
        "t = ev.list_targets_by_rule(Rule='model-approved')['Targets']\n\
         print(json.dumps(t))",
    );
    assert_eq!(live[0]["Id"], "notify");
    assert_eq!(live[0]["Arn"], fn_arn);
    assert_eq!(live[0]["Input"], r#"{"channel":"ml"}"#);
    assert_eq!(live[0]["RetryPolicy"]["MaximumRetryAttempts"], 5);
    assert_eq!(read(&p, TARGET, &target).await.as_ref(), Some(&target));
    assert_eq!(
        plan_changes(&plan(&p, TARGET, &target, &tcfg).await, &target),
        Vec::<String>::new()
    );

    // Out of band: another input.
    boto3(&format!(
        "client('events').put_targets(Rule='model-approved', Targets=[{{'Id': 'notify', 'Arn': '{fn_arn}', 'Input': '{{}}'}}])"
    ));
    let drifted = read(&p, TARGET, &target).await.expect("exists");
    let pl = plan(&p, TARGET, &drifted, &tcfg).await;
    assert_eq!(plan_changes(&pl, &drifted), vec!["input", "retry_policy"]);
    let target = apply_update(&p, TARGET, &drifted, pl.planned, &tcfg).await;
    assert_eq!(read(&p, TARGET, &target).await.as_ref(), Some(&target));

    // Import by Terraform's ids.
    let imported = import(&p, RULE, "model-approved").await;
    assert_eq!(
        imported
            .get("event_pattern")
            .as_str()
            .map(|p| serde_json::from_str::<J>(p).ok()),
        Some(serde_json::from_str::<J>(PATTERN).ok())
    );
    assert_eq!(imported.get("arn"), &s(&arn));
    let imported = import(&p, TARGET, "model-approved/notify").await;
    assert_eq!(imported.get("id"), target.get("id"));
    assert_eq!(imported.get("input"), target.get("input"));
    assert_eq!(imported.get("retry_policy"), target.get("retry_policy"));

    // Destroy: the target, then the rule.
    delete(&p, TARGET, &target).await;
    assert_eq!(read(&p, TARGET, &target).await, None);
    assert_eq!(
        json("print(json.dumps(ev.list_targets_by_rule(Rule='model-approved')['Targets']))"),
        J::Array(vec![])
    );
    delete(&p, RULE, &rule).await;
    assert_eq!(read(&p, RULE, &rule).await, None);
    let names = json("print(json.dumps([r['Name'] for r in ev.list_rules()['Rules']]))");
    assert!(!names.to_string().contains("model-approved"), "{names}");
}

#[tokio::test]
async fn scheduled_rules_on_a_custom_bus_refresh_from_one_listing() {
    let p = provider().await;
    boto3("client('events').create_event_bus(Name='ml-bus')");
    let mut rules = Vec::new();
    for i in 0..3 {
        let cfg = config(
            &p,
            RULE,
            &[
                ("name", s(&format!("nightly-{i}"))),
                ("event_bus_name", s("ml-bus")),
                ("event_pattern", s(PATTERN)),
                ("is_enabled", Value::Bool(i != 1)),
            ],
        );
        rules.push(create(&p, RULE, cfg).await);
    }
    assert_eq!(rules[0].get("id"), &s("ml-bus/nightly-0"));
    assert_eq!(rules[1].get("state"), &s("DISABLED"));
    let sched = create(
        &p,
        RULE,
        config(
            &p,
            RULE,
            &[
                ("name_prefix", s("retrain-")),
                ("schedule_expression", s("rate(1 day)")),
            ],
        ),
    )
    .await;
    assert!(sched.get("name").as_str().is_some_and(|n| n.starts_with("retrain-")));
    assert_eq!(
        json(&format!(
            "print(json.dumps(ev.describe_rule(Name='{}')['ScheduleExpression']))",
            sched.get("name").as_str().unwrap_or_default()
        )),
        "rate(1 day)"
    );

    // Three rules on one bus: one ListRules, then tags per rule.
    let before = p.call_count();
    let out = p.read(read_request(RULE, "r", &rules)).await.expect("read");
    assert!(out.states.iter().all(Option::is_some));
    assert_eq!(p.call_count() - before, 1 + 3);

    let imported = import(&p, RULE, "ml-bus/nightly-2").await;
    assert_eq!(imported.get("event_bus_name"), &s("ml-bus"));
    assert_eq!(imported.get("id"), &s("ml-bus/nightly-2"));

    // A target on the custom bus, with an id Plinth makes up.
    let tcfg = config(
        &p,
        TARGET,
        &[
            ("rule", s("nightly-0")),
            ("event_bus_name", s("ml-bus")),
            ("arn", s("arn:aws:sagemaker:us-east-1:123456789012:pipeline/train")),
            ("role_arn", s("arn:aws:iam::123456789012:role/events")),
        ],
    );
    let target = create(&p, TARGET, tcfg).await;
    let tid = target.get("target_id").as_str().expect("an id").to_string();
    assert!(tid.starts_with("terraform-"));
    assert_eq!(target.get("id"), &s(&format!("ml-bus-nightly-0-{tid}")));
    let imported = import(&p, TARGET, &format!("ml-bus/nightly-0/{tid}")).await;
    assert_eq!(imported.get("role_arn"), target.get("role_arn"));
    delete(&p, TARGET, &target).await;

    for r in rules.iter().chain([&sched]) {
        delete(&p, RULE, r).await;
    }
    assert!(
        p.read(read_request(RULE, "r", &rules))
            .await
            .expect("read")
            .states
            .iter()
            .all(Option::is_none)
    );
}
