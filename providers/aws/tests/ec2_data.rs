//! The EC2 data sources that network and GPU-node configurations read — aws_availability_zones,
//! aws_subnet, aws_ami — against moto, each result compared with our own EC2 reads.

mod common;

use aws_sdk_ec2::types::Filter;
use common::ec2::*;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::Map;
use plinth_sdk::{Provider, ProviderError, ReadDataRequest, Value};

async fn read_data(p: &AwsProvider, type_name: &str, given: &[(&str, Value)]) -> Result<Value, ProviderError> {
    let schema = p.schema();
    let s = schema.data_sources.get(type_name).expect("known data source");
    let mut m: Map = s.attributes.keys().map(|k| (k.clone(), Value::Null)).collect();
    for k in s.blocks.keys() {
        m.insert(k.clone(), Value::List(vec![]));
    }
    for (k, v) in given {
        m.insert(k.to_string(), v.clone());
    }
    p.read_data(ReadDataRequest {
        type_name: type_name.into(),
        address: format!("data.{type_name}.test"),
        config: Value::Map(m),
    })
    .await
}

fn filter_blocks(items: &[(&str, &[&str])]) -> Value {
    Value::List(
        items
            .iter()
            .map(|(n, vs)| Value::object([("name", s(n)), ("values", strs(vs))]))
            .collect(),
    )
}

#[tokio::test]
async fn availability_zones_data_source() {
    let p = provider().await;
    let zones = ec2()
        .await
        .describe_availability_zones()
        .send()
        .await
        .expect("describe zones");
    let mut live: Vec<(String, String)> = zones
        .availability_zones()
        .iter()
        .map(|z| {
            (
                z.zone_name().unwrap_or_default().to_string(),
                z.zone_id().unwrap_or_default().to_string(),
            )
        })
        .collect();
    live.sort();
    assert!(live.len() >= 2, "{live:?}");
    let got = read_data(&p, "aws_availability_zones", &[("state", s("available"))])
        .await
        .expect("read");
    let names: Vec<&str> = live.iter().map(|z| z.0.as_str()).collect();
    let ids: Vec<&str> = live.iter().map(|z| z.1.as_str()).collect();
    assert_eq!(got.get("names"), &Value::List(names.iter().map(|n| s(n)).collect()));
    assert_eq!(got.get("zone_ids"), &Value::List(ids.iter().map(|n| s(n)).collect()));
    assert_eq!(got.get("id"), &s("us-east-1"));

    // exclude_names and a filter block narrow the list.
    let got = read_data(&p, "aws_availability_zones", &[("exclude_names", strs(&[names[0]]))])
        .await
        .expect("read");
    assert_eq!(got.get("names").as_list().map(Vec::len), Some(names.len() - 1));
    let got = read_data(
        &p,
        "aws_availability_zones",
        &[("filter", filter_blocks(&[("zone-name", &[names[1]])]))],
    )
    .await
    .expect("read");
    assert_eq!(got.get("names"), &Value::List(vec![s(names[1])]));
}

#[tokio::test]
async fn subnet_data_source() {
    let p = provider().await;
    let vpc = create(
        &p,
        "aws_vpc",
        config(&p, "aws_vpc", &[("cidr_block", s("10.80.0.0/16"))]),
    )
    .await;
    let vpc_id = id_of(&vpc);
    let mut subnets = Vec::new();
    for (cidr, tier) in [("10.80.1.0/24", "private"), ("10.80.2.0/24", "public")] {
        let cfg = config(
            &p,
            "aws_subnet",
            &[
                ("vpc_id", s(&vpc_id)),
                ("cidr_block", s(cidr)),
                ("availability_zone", s("us-east-1a")),
                ("tags", tags(&[("Tier", tier)])),
            ],
        );
        subnets.push(create(&p, "aws_subnet", cfg).await);
    }
    let private_id = id_of(&subnets[0]);

    // By VPC and tags.
    let got = read_data(
        &p,
        "aws_subnet",
        &[("vpc_id", s(&vpc_id)), ("tags", tags(&[("Tier", "private")]))],
    )
    .await
    .expect("read");
    assert_eq!(got.get("id"), &s(&private_id));
    let live = ec2()
        .await
        .describe_subnets()
        .subnet_ids(&private_id)
        .send()
        .await
        .expect("describe subnet");
    let live = live.subnets().first().expect("the subnet");
    assert_eq!(got.get("cidr_block").as_str(), live.cidr_block());
    assert_eq!(got.get("availability_zone_id").as_str(), live.availability_zone_id());
    assert_eq!(
        got.get("available_ip_address_count").as_i64(),
        live.available_ip_address_count().map(i64::from)
    );

    // By id, and by a filter block.
    let by_id = read_data(&p, "aws_subnet", &[("id", s(&private_id))])
        .await
        .expect("read");
    assert_eq!(by_id.get("cidr_block"), &s("10.80.1.0/24"));
    let by_filter = read_data(
        &p,
        "aws_subnet",
        &[(
            "filter",
            filter_blocks(&[("cidr-block", &["10.80.2.0/24"]), ("vpc-id", &[&vpc_id])]),
        )],
    )
    .await
    .expect("read");
    assert_eq!(by_filter.get("id"), &s(&id_of(&subnets[1])));

    // Two matches, or none, are errors.
    let err = read_data(&p, "aws_subnet", &[("vpc_id", s(&vpc_id))])
        .await
        .expect_err("two match");
    assert_eq!(err.code.as_deref(), Some("TooManyResults"), "{err:?}");
    let err = read_data(
        &p,
        "aws_subnet",
        &[("vpc_id", s(&vpc_id)), ("tags", tags(&[("Tier", "none")]))],
    )
    .await
    .expect_err("none match");
    assert_eq!(err.code.as_deref(), Some("NotFound"), "{err:?}");

    for sn in &subnets {
        delete(&p, "aws_subnet", sn).await;
    }
    delete(&p, "aws_vpc", &vpc).await;
}

#[tokio::test]
async fn ami_data_source() {
    let p = provider().await;
    let sdk = ec2().await;
    // moto serves a fixed list of public AMIs owned by "amazon", among them two Deep Learning AMIs.
    let dl = sdk
        .describe_images()
        .owners("amazon")
        .filters(Filter::builder().name("name").values("Deep Learning AMI*").build())
        .send()
        .await
        .expect("describe images");
    let dl: Vec<(String, String)> = dl
        .images()
        .iter()
        .map(|i| {
            (
                i.image_id().unwrap_or_default().to_string(),
                i.name().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(dl.len(), 2, "moto's fixture changed: {dl:?}");

    // Two matches without most_recent: an error, as in Terraform.
    let err = read_data(
        &p,
        "aws_ami",
        &[
            ("owners", strs(&["amazon"])),
            ("filter", filter_blocks(&[("name", &["Deep Learning AMI*"])])),
        ],
    )
    .await
    .expect_err("two match");
    assert_eq!(err.code.as_deref(), Some("TooManyResults"), "{err:?}");

    // name_regex narrows them to the Ubuntu one.
    let got = read_data(
        &p,
        "aws_ami",
        &[
            ("owners", strs(&["amazon"])),
            ("filter", filter_blocks(&[("name", &["Deep Learning AMI*"])])),
            ("name_regex", s("Ubuntu")),
        ],
    )
    .await
    .expect("read");
    let ubuntu = dl.iter().find(|(_, n)| n.contains("Ubuntu")).expect("an Ubuntu DLAMI");
    assert_eq!(got.get("id"), &s(&ubuntu.0));
    assert_eq!(got.get("image_id"), &s(&ubuntu.0));
    assert_eq!(got.get("name"), &s(&ubuntu.1));
    assert!(got.get("owner_id").as_str().is_some());

    // most_recent picks the newest: two images made from an instance a second apart.
    let run = sdk
        .run_instances()
        .image_id(&ubuntu.0)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("run an instance");
    let instance = run
        .instances()
        .first()
        .and_then(|i| i.instance_id())
        .expect("an instance")
        .to_string();
    let mut made = Vec::new();
    for n in ["plinth-dl-1", "plinth-dl-2"] {
        let id = sdk
            .create_image()
            .instance_id(&instance)
            .name(n)
            .send()
            .await
            .expect("create image")
            .image_id()
            .expect("an image id")
            .to_string();
        made.push(id);
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    }
    let got = read_data(
        &p,
        "aws_ami",
        &[
            ("owners", strs(&["self"])),
            ("most_recent", Value::Bool(true)),
            ("filter", filter_blocks(&[("name", &["plinth-dl-*"])])),
        ],
    )
    .await
    .expect("read");
    assert_eq!(got.get("id"), &s(&made[1]), "the newer image");

    // A bad regular expression is an error naming it.
    let err = read_data(&p, "aws_ami", &[("owners", strs(&["amazon"])), ("name_regex", s("("))])
        .await
        .expect_err("bad regex");
    assert!(err.to_string().contains("name_regex"), "{err}");

    for id in &made {
        sdk.deregister_image().image_id(id).send().await.expect("deregister");
    }
    sdk.terminate_instances()
        .instance_ids(&instance)
        .send()
        .await
        .expect("terminate");
}
