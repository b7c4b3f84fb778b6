//! Terraform's per-resource `region` (AWS provider v6) against moto, which serves every region
//! from one server: a provider configured for us-east-1 manages a VPC, an SSM parameter and a
//! bucket in us-west-2, checked with SDK clients of each region (not the provider's read code);
//! re-plan, drift, a region change that replaces, `ID@REGION` import, refresh cost per region,
//! destroy, data sources, the checks, and states written before Plinth knew the argument.

mod common;

use aws_sdk_ec2::types::Filter;
use common::ec2::{sdk_tags, tags};
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::Map;
use plinth_sdk::{AttrPath, ProviderError, ReadDataRequest, ResourceMode, ValidateRequest, Value};

const WEST: &str = "us-west-2";

/// An SDK config of our own in `region`.
async fn sdk_in(region: &str) -> aws_config::SdkConfig {
    sdk_config()
        .await
        .to_builder()
        .region(aws_config::Region::new(region.to_string()))
        .build()
}

/// The tags of VPC `id` in `region`; `None` when that region has no such VPC.
async fn vpc_in(region: &str, id: &str) -> Option<Vec<(String, String)>> {
    let resp = aws_sdk_ec2::Client::new(&sdk_in(region).await)
        .describe_vpcs()
        .filters(Filter::builder().name("vpc-id").values(id).build())
        .send()
        .await
        .expect("describe");
    resp.vpcs().first().map(|v| sdk_tags(v.tags()))
}

fn with(cfg: &Value, key: &str, v: Value) -> Value {
    let mut m = cfg.as_map().expect("an object").clone();
    m.insert(key.to_string(), v);
    Value::Map(m)
}

async fn read_data(p: &AwsProvider, type_name: &str, given: &[(&str, Value)]) -> Result<Value, ProviderError> {
    let schema = plinth_sdk::Provider::schema(p);
    let s = schema.data_sources.get(type_name).expect("known data source");
    let mut m: Map = s.attributes.keys().map(|k| (k.clone(), Value::Null)).collect();
    for k in s.blocks.keys() {
        m.insert(k.clone(), Value::List(vec![]));
    }
    for (k, v) in given {
        m.insert(k.to_string(), v.clone());
    }
    plinth_sdk::Provider::read_data(
        p,
        ReadDataRequest {
            type_name: type_name.into(),
            address: format!("data.{type_name}.test"),
            config: Value::Map(m),
        },
    )
    .await
}

#[tokio::test]
async fn a_vpc_in_another_region_lives_and_dies_there() {
    let p = provider().await;
    let cfg = config(
        &p,
        "aws_vpc",
        &[
            ("cidr_block", s("10.61.0.0/16")),
            ("region", s(WEST)),
            ("tags", tags(&[("team", "ml")])),
        ],
    );
    let planned = plan(&p, "aws_vpc", None, &cfg).await.planned;
    assert_eq!(planned.get("region"), &s(WEST), "known at plan time");
    let state = create(&p, "aws_vpc", cfg.clone()).await;
    assert_eq!(state.get("region"), &s(WEST));
    let id = id_of(&state);
    assert_eq!(vpc_in(WEST, &id).await, Some(pairs(&[("team", "ml")])));
    assert_eq!(vpc_in("us-east-1", &id).await, None, "not in the provider's region");

    // A re-plan is clean.
    let fresh = assert_clean(&p, "aws_vpc", &state, &cfg).await;
    assert_eq!(fresh.get("region"), &s(WEST));

    // Drift in us-west-2 is seen, and repaired there.
    aws_sdk_ec2::Client::new(&sdk_in(WEST).await)
        .create_tags()
        .resources(&id)
        .tags(aws_sdk_ec2::types::Tag::builder().key("team").value("web").build())
        .send()
        .await
        .expect("retag");
    let drifted = read(&p, "aws_vpc", &state).await.expect("still there");
    assert_eq!(drifted.get("tags").get("team"), &s("web"));
    let repaired = apply_in_place(&p, "aws_vpc", &drifted, &cfg).await;
    assert_eq!(repaired.get("region"), &s(WEST));
    assert_eq!(vpc_in(WEST, &id).await, Some(pairs(&[("team", "ml")])));

    // Another region is another VPC: a replacement, its computed values unknown.
    let moved = plan(&p, "aws_vpc", &repaired, &with(&cfg, "region", s("us-east-2"))).await;
    assert_eq!(moved.requires_replace, vec![AttrPath::attr("region")]);
    assert_eq!(moved.planned.get("region"), &s("us-east-2"));
    assert_eq!(moved.planned.get("id"), &Value::Unknown);
    // Leaving region out means the provider's region: a replacement too.
    let home = plan(&p, "aws_vpc", &repaired, &with(&cfg, "region", Value::Null)).await;
    assert_eq!(home.requires_replace, vec![AttrPath::attr("region")]);
    assert_eq!(home.planned.get("region"), &s("us-east-1"));

    // Import: ID@REGION finds it; the bare id looks in the provider's region.
    let imported = import(&p, "aws_vpc", &format!("{id}@{WEST}")).await;
    assert_eq!(imported.get("region"), &s(WEST));
    assert_eq!(imported.get("cidr_block"), &s("10.61.0.0/16"));
    let bare = plinth_sdk::Provider::import(
        &p,
        plinth_sdk::ImportRequest {
            type_name: "aws_vpc".into(),
            address: "aws_vpc.i".into(),
            id: id.clone(),
        },
    )
    .await;
    assert!(bare.is_err(), "not in us-east-1: {bare:?}");

    // Destroy removes it from us-west-2.
    delete(&p, "aws_vpc", &repaired).await;
    assert_eq!(vpc_in(WEST, &id).await, None);
    assert!(read(&p, "aws_vpc", &repaired).await.is_none());
}

#[tokio::test]
async fn refresh_makes_one_batched_read_per_region() {
    let p = provider().await;
    let mut states = Vec::new();
    for (i, region) in ["us-east-1", WEST, "us-east-1", WEST, WEST].iter().enumerate() {
        let cfg = config(
            &p,
            "aws_vpc",
            &[
                ("cidr_block", s(&format!("10.{}.0.0/16", 70 + i))),
                ("region", s(region)),
            ],
        );
        states.push(create(&p, "aws_vpc", cfg).await);
    }
    let before = p.call_count();
    let resp = plinth_sdk::Provider::read(&p, read_request("aws_vpc", "v", &states))
        .await
        .expect("read");
    assert_eq!(
        p.call_count() - before,
        2,
        "five VPCs in two regions: one DescribeVpcs per region"
    );
    for (fresh, prior) in resp.states.iter().zip(&states) {
        let fresh = fresh.as_ref().expect("still there");
        assert_eq!(fresh.get("id"), prior.get("id"), "in request order");
        assert_eq!(fresh.get("region"), prior.get("region"));
    }
    for st in &states {
        delete(&p, "aws_vpc", st).await;
    }
}

/// A bucket and an SSM parameter in us-west-2, and the data sources that read there.
#[tokio::test]
async fn other_services_and_data_sources_follow_region() {
    let p = provider().await;
    let param = make(
        &p,
        "aws_ssm_parameter",
        &[
            ("name", s("/plinth/region/west")),
            ("type", s("String")),
            ("value", s("in-the-west")),
            ("region", s(WEST)),
        ],
    )
    .await;
    assert_eq!(param.get("region"), &s(WEST));
    let ssm = |region: &'static str| async move {
        aws_sdk_ssm::Client::new(&sdk_in(region).await)
            .get_parameter()
            .name("/plinth/region/west")
            .send()
            .await
            .ok()
            .and_then(|r| r.parameter().and_then(|p| p.value().map(str::to_string)))
    };
    assert_eq!(ssm(WEST).await.as_deref(), Some("in-the-west"));
    assert_eq!(ssm("us-east-1").await, None);

    // The data source reads in its region; without one, in the provider's, where it is not.
    let got = read_data(
        &p,
        "aws_ssm_parameter",
        &[("name", s("/plinth/region/west")), ("region", s(WEST))],
    )
    .await
    .expect("read in us-west-2");
    assert_eq!(got.get("value"), &s("in-the-west"));
    assert_eq!(got.get("region"), &s(WEST));
    let e = read_data(&p, "aws_ssm_parameter", &[("name", s("/plinth/region/west"))])
        .await
        .expect_err("not in us-east-1");
    assert_eq!(e.code.as_deref(), Some("ParameterNotFound"), "{}", e.message);

    let zones = read_data(&p, "aws_availability_zones", &[("region", s(WEST))])
        .await
        .expect("zones");
    assert_eq!(zones.get("id"), &s(WEST));
    let names = zones.get("names").as_list().expect("names").clone();
    assert!(!names.is_empty());
    assert!(
        names
            .iter()
            .all(|n| n.as_str().is_some_and(|n| n.starts_with("us-west-2"))),
        "{names:?}"
    );

    // A bucket: S3 reports its location in us-west-2.
    let bucket = make(
        &p,
        "aws_s3_bucket",
        &[("bucket", s("plinth-region-west")), ("region", s(WEST))],
    )
    .await;
    assert_eq!(bucket.get("region"), &s(WEST));
    let location = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk_in(WEST).await)
            .force_path_style(true)
            .build(),
    )
    .get_bucket_location()
    .bucket("plinth-region-west")
    .send()
    .await
    .expect("location");
    assert_eq!(location.location_constraint().map(|c| c.as_str()), Some(WEST));
    assert_clean(
        &p,
        "aws_s3_bucket",
        &bucket,
        &config(
            &p,
            "aws_s3_bucket",
            &[("bucket", s("plinth-region-west")), ("region", s(WEST))],
        ),
    )
    .await;

    delete(&p, "aws_s3_bucket", &bucket).await;
    delete(&p, "aws_ssm_parameter", &param).await;
    assert_eq!(ssm(WEST).await, None, "destroyed in us-west-2");
}

/// Where the argument exists, and its checks: a malformed name at validate, another partition
/// at plan.
#[tokio::test]
async fn regional_types_have_region_and_it_is_checked() {
    let p = provider().await;
    let schema = plinth_sdk::Provider::schema(&p);
    let vpc = &schema.resources["aws_vpc"].attributes["region"];
    assert!(vpc.optional && vpc.computed && vpc.force_new);
    assert!(
        schema.data_sources["aws_ssm_parameter"]
            .attributes
            .contains_key("region")
    );
    for global in ["aws_iam_role", "aws_iam_policy", "aws_iam_role_policy_attachment"] {
        assert!(
            !schema.resources[global].attributes.contains_key("region"),
            "{global} is global"
        );
    }
    for global in ["aws_caller_identity", "aws_partition", "aws_iam_policy_document"] {
        assert!(
            !schema.data_sources[global].attributes.contains_key("region"),
            "{global} is global"
        );
    }
    for (k, r) in &schema.resources {
        if !k.starts_with("aws_iam_") {
            assert!(r.attributes.contains_key("region"), "{k} has region");
            assert!(!r.unsupported.contains_key("region"), "{k}: region is supported");
        }
    }

    let cfg = config(
        &p,
        "aws_vpc",
        &[("cidr_block", s("10.0.0.0/16")), ("region", s("mars"))],
    );
    let diags = plinth_sdk::Provider::validate(&p, &ValidateRequest::managed("aws_vpc", cfg));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].summary, "Invalid region");
    assert_eq!(diags[0].attribute, Some(AttrPath::attr("region")));
    let data = Value::object([("name", s("/x")), ("region", s("Oregon"))]);
    let diags = plinth_sdk::Provider::validate(
        &p,
        &ValidateRequest {
            mode: ResourceMode::Data,
            type_name: "aws_ssm_parameter".into(),
            config: data,
        },
    );
    assert_eq!(diags.len(), 1, "{diags:?}");

    let cn = config(
        &p,
        "aws_vpc",
        &[("cidr_block", s("10.0.0.0/16")), ("region", s("cn-north-1"))],
    );
    let e = plinth_sdk::Provider::plan(
        &p,
        plinth_sdk::PlanRequest {
            type_name: "aws_vpc".into(),
            address: "aws_vpc.cn".into(),
            prior: None,
            config: cn,
        },
    )
    .await
    .expect_err("another partition");
    assert!(e.message.contains("aws-cn"), "{}", e.message);
    assert_eq!(e.attribute, Some(AttrPath::attr("region")));
}

/// A state written before Plinth knew `region` lives in the provider's region: no replacement,
/// and recording the region is no AWS call; refresh records it.
#[tokio::test]
async fn a_state_without_region_is_in_the_providers_region() {
    let p = provider().await;
    let cfg = config(&p, "aws_vpc", &[("cidr_block", s("10.62.0.0/16"))]);
    let state = create(&p, "aws_vpc", cfg.clone()).await;
    assert_eq!(state.get("region"), &s("us-east-1"));
    let mut legacy = state.as_map().expect("an object").clone();
    legacy.remove("region");
    let legacy = Value::Map(legacy);

    let pl = plan(&p, "aws_vpc", &legacy, &cfg).await;
    assert!(pl.requires_replace.is_empty(), "{:?}", pl.requires_replace);
    assert_eq!(plan_changes(&pl, &legacy), vec!["region".to_string()]);
    let before = p.call_count();
    let updated = apply_update(&p, "aws_vpc", &legacy, pl.planned, &cfg).await;
    assert_eq!(p.call_count(), before, "recording the region calls nothing");
    assert_eq!(updated.get("region"), &s("us-east-1"));

    let fresh = read(&p, "aws_vpc", &legacy).await.expect("found in us-east-1");
    assert_eq!(fresh.get("region"), &s("us-east-1"));
    delete(&p, "aws_vpc", &legacy).await;
    assert_eq!(vpc_in("us-east-1", &id_of(&state)).await, None);
}
