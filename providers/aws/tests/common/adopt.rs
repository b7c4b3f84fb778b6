//! The crash-window check of issue 17 shared by the adoption tests (`docs/reliability.md`): a
//! create applied twice with the same lineage and address must adopt the first one's object; a
//! create at another address or lineage, or of an object made without the bookkeeping tags, must be
//! refused with the `plinth import` hint. Objects are counted and their tags read with boto3.

use super::boto::boto3;
use super::plan;
use plinth_aws::AwsProvider;
use plinth_sdk::{ApplyRequest, Provider, ProviderError, Value};

pub const LINEAGE: &str = "adopt-lineage-1";

/// Plans and applies a create of `t` at `address` in the state of `lineage`, as the engine does.
pub async fn apply_as(
    p: &AwsProvider,
    t: &str,
    address: &str,
    lineage: &str,
    cfg: &Value,
) -> Result<Value, ProviderError> {
    let planned = plan(p, t, None, cfg).await.planned;
    p.apply(ApplyRequest {
        type_name: t.into(),
        address: address.into(),
        prior: None,
        planned: Some(planned),
        config: cfg.clone(),
        lineage: lineage.into(),
        replacing: None,
    })
    .await
    .map(|r| r.new_state.expect("a state"))
}

pub fn no_bookkeeping_in_state(state: &Value) {
    for k in ["tags", "tags_all"] {
        if let Some(m) = state.get(k).as_map() {
            assert!(m.keys().all(|k| !k.starts_with("plinth:")), "{k}: {m:?}");
        }
    }
}

pub fn refused_with_hint(e: &ProviderError, address: &str) {
    let hint = e.hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains(&format!("plinth import {address} ")),
        "{e:?} should say how to import into {address}"
    );
}

/// Asserts that the printed tag dict `tags` holds both bookkeeping tags of `address`.
pub fn has_bookkeeping(t: &str, tags: &str, address: &str) {
    assert!(
        tags.contains(&format!("'plinth:address': '{address}'"))
            && tags.contains(&format!("'plinth:lineage': '{LINEAGE}'")),
        "{t}: {tags}"
    );
}

/// The whole check for one type: `cfg` created twice at `T.a` adopts (the same `id`, `count`
/// answers 1, `tags_of` shows the bookkeeping tags on the object); `cfg` at `T.b` and at `T.a` of
/// another lineage is refused (with a generated name: makes another object, which its own repeat
/// adopts); `foreign_cfg`, whose object `make_foreign` made without
/// bookkeeping tags, is refused. Returns the adopted state.
pub async fn adopts_and_refuses(
    p: &AwsProvider,
    t: &str,
    cfg: &Value,
    count: impl Fn() -> usize,
    tags_of: impl Fn() -> String,
    make_foreign: impl Fn(),
    foreign_cfg: &Value,
) -> Value {
    let a = format!("{t}.a");
    let first = apply_as(p, t, &a, LINEAGE, cfg).await.expect("the first create");
    let second = apply_as(p, t, &a, LINEAGE, cfg)
        .await
        .expect("the repeated create adopts the object");
    assert_eq!(first.get("id"), second.get("id"));
    assert_eq!(first.get("arn"), second.get("arn"));
    assert_eq!(count(), 1, "{t}: one object after the repeated create");
    has_bookkeeping(t, &tags_of(), &a);
    no_bookkeeping_in_state(&second);

    let b = format!("{t}.b");
    if !cfg.get("name_prefix").is_null() {
        // A generated name: another address (or state) derives another name, so another object.
        let other = apply_as(p, t, &b, LINEAGE, cfg).await.expect("another address");
        assert_ne!(other.get("id"), first.get("id"));
        let again = apply_as(p, t, &b, LINEAGE, cfg).await.expect("its repeat adopts it");
        assert_eq!(other.get("id"), again.get("id"));
        assert_eq!(count(), 2);
    } else {
        let other = apply_as(p, t, &b, LINEAGE, cfg)
            .await
            .expect_err("another address does not adopt the object");
        refused_with_hint(&other, &b);
        let other = apply_as(p, t, &a, "another-lineage", cfg)
            .await
            .expect_err("another state does not adopt the object");
        refused_with_hint(&other, &a);
        assert_eq!(count(), 1);
    }

    make_foreign();
    let foreign = apply_as(p, t, &a, LINEAGE, foreign_cfg)
        .await
        .expect_err("an object made without the bookkeeping tags is not adopted");
    refused_with_hint(&foreign, &a);
    second
}

/// Runs a boto3 script (see [`boto3`]) with `glue`, `rds`, `elb2` (ELBv2), `elb` (classic ELB),
/// `ecs`, `asg` (Auto Scaling), `ec` (ElastiCache) and `rs` (Redshift) clients defined too.
pub fn py(script: &str) -> String {
    boto3(&format!(
        "glue = client('glue'); rds = client('rds'); elb2 = client('elbv2'); elb = client('elb'); \
         ecs = client('ecs'); asg = client('autoscaling'); ec = client('elasticache'); rs = client('redshift')\n{script}"
    ))
}

pub fn count(script: &str) -> usize {
    py(script).parse().expect("a count")
}

/// A VPC with two subnets in two zones, made with boto3: its id and the subnets.
pub fn network(cidr: &str) -> (String, Vec<String>) {
    let out = py(&format!(
        "v = ec2.create_vpc(CidrBlock='{cidr}.0.0/16')['Vpc']['VpcId']\n\
         a = ec2.create_subnet(VpcId=v, CidrBlock='{cidr}.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']\n\
         b = ec2.create_subnet(VpcId=v, CidrBlock='{cidr}.2.0/24', AvailabilityZone='us-east-1b')['Subnet']['SubnetId']\n\
         print(v, a, b)"
    ));
    let mut parts = out.split_whitespace().map(str::to_string);
    let vpc = parts.next().expect("a vpc");
    (vpc, parts.collect())
}

/// The crash-window check for a *content + parent* type (no tags of its own, found by what it
/// is under a parent this state made): `cfg` created twice at `address` answers the same state
/// and leaves one object (`count`); the same create in another state is refused with the hint.
/// Returns the state.
pub async fn adopts_by_content(
    p: &AwsProvider,
    t: &str,
    address: &str,
    cfg: &Value,
    count: impl Fn() -> usize,
) -> Value {
    let first = apply_as(p, t, address, LINEAGE, cfg).await.expect("the first create");
    let second = apply_as(p, t, address, LINEAGE, cfg)
        .await
        .expect("the repeated create adopts the object");
    assert_eq!(first, second);
    assert_eq!(count(), 1, "{t}: one object after the repeated create");
    let e = apply_as(p, t, address, "another-lineage", cfg)
        .await
        .expect_err("another state does not adopt the object");
    refused_with_hint(&e, address);
    second
}
