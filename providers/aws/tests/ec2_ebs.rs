//! aws_ebs_volume, aws_volume_attachment and aws_ec2_tag against moto: each created, checked with
//! our own EC2 client (not the provider's read code), changed out of band and seen as drift,
//! imported and destroyed.

mod common;

use aws_sdk_ec2::types::{Filter, Tag, Volume};
use common::ec2::*;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ImportRequest, Provider, Value};

const AMI: &str = "ami-03cf127a";
const ZONE: &str = "us-east-1a";

async fn live_volume(id: &str) -> Option<Volume> {
    ec2()
        .await
        .describe_volumes()
        .filters(Filter::builder().name("volume-id").values(id).build())
        .send()
        .await
        .expect("describe volumes")
        .volumes()
        .first()
        .cloned()
}

async fn new_instance() -> String {
    ec2()
        .await
        .run_instances()
        .image_id(AMI)
        .min_count(1)
        .max_count(1)
        .placement(aws_sdk_ec2::types::Placement::builder().availability_zone(ZONE).build())
        .send()
        .await
        .expect("run instance")
        .instances()
        .first()
        .and_then(|i| i.instance_id())
        .expect("an instance id")
        .to_string()
}

async fn end_instance(id: &str) {
    ec2()
        .await
        .terminate_instances()
        .instance_ids(id)
        .send()
        .await
        .expect("terminate");
}

fn volume_config(p: &AwsProvider, extra: &[(&str, Value)]) -> Value {
    let mut given = vec![
        ("availability_zone", s(ZONE)),
        ("size", Value::int(10)),
        ("type", s("gp3")),
        ("tags", tags(&[("Name", "checkpoints")])),
    ];
    given.extend(extra.iter().cloned());
    config(p, "aws_ebs_volume", &given)
}

// ---------------------------------------------------------------------------------------------
// aws_ebs_volume

#[tokio::test]
async fn ebs_volume_lifecycle() {
    let p = provider().await;
    let cfg = volume_config(&p, &[]);
    // Terraform's checks: io1 needs iops, throughput is gp3's, a size or a snapshot.
    let bad = config(
        &p,
        "aws_ebs_volume",
        &[
            ("availability_zone", s(ZONE)),
            ("type", s("io1")),
            ("throughput", Value::int(200)),
        ],
    );
    assert_eq!(
        validate(&p, "aws_ebs_volume", &bad),
        vec![
            "aws_ebs_volume needs size or snapshot_id",
            "iops is required",
            "Invalid throughput"
        ]
    );

    let state = create(&p, "aws_ebs_volume", cfg.clone()).await;
    let id = id_of(&state);
    assert!(id.starts_with("vol-"), "{id}");
    assert_eq!(
        state.get("arn"),
        &s(&format!("arn:aws:ec2:us-east-1:123456789012:volume/{id}"))
    );
    assert_eq!(state.get("multi_attach_enabled"), &Value::Bool(false));
    let live = live_volume(&id).await.expect("the volume");
    assert_eq!(live.size(), Some(10));
    assert_eq!(live.volume_type().map(|t| t.as_str()), Some("gp3"));
    assert_eq!(live.availability_zone(), Some(ZONE));
    assert_eq!(sdk_tags(live.tags()), pairs(&[("Name", "checkpoints")]));
    let fresh = assert_clean(&p, "aws_ebs_volume", &state, &cfg).await;

    // Grown in place (ModifyVolume, waited for).
    let bigger = volume_config(&p, &[("size", Value::int(20))]);
    let grown = update(&p, "aws_ebs_volume", &fresh, &bigger).await;
    assert_eq!(live_volume(&id).await.and_then(|v| v.size()), Some(20));
    let grown = assert_clean(&p, "aws_ebs_volume", &grown, &bigger).await;

    // Out of band: a tag changed and the volume grown: both drift; the tag is repaired.
    ec2()
        .await
        .create_tags()
        .resources(&id)
        .tags(Tag::builder().key("Name").value("other").build())
        .send()
        .await
        .expect("retag");
    ec2()
        .await
        .modify_volume()
        .volume_id(&id)
        .size(30)
        .send()
        .await
        .expect("modify");
    let drifted = read(&p, "aws_ebs_volume", &grown).await.expect("there");
    let resp = plan(&p, "aws_ebs_volume", &drifted, &bigger).await;
    assert_eq!(plan_changes(&resp, &drifted), vec!["size", "tags", "tags_all"]);
    let thirty = volume_config(&p, &[("size", Value::int(30))]);
    let repaired = update(&p, "aws_ebs_volume", &drifted, &thirty).await;
    assert_eq!(
        sdk_tags(live_volume(&id).await.expect("there").tags()),
        pairs(&[("Name", "checkpoints")])
    );
    let repaired = assert_clean(&p, "aws_ebs_volume", &repaired, &thirty).await;

    // Import by id: the same state.
    let imported = import(&p, "aws_ebs_volume", &id).await;
    for k in [
        "id",
        "arn",
        "availability_zone",
        "size",
        "type",
        "iops",
        "throughput",
        "encrypted",
        "tags",
    ] {
        assert_eq!(imported.get(k), repaired.get(k), "imported {k}");
    }
    assert_clean(&p, "aws_ebs_volume", &imported, &thirty).await;

    // Destroy with a final snapshot.
    let mut last = repaired.clone();
    if let Value::Map(m) = &mut last {
        m.insert("final_snapshot".into(), Value::Bool(true));
    }
    delete(&p, "aws_ebs_volume", &last).await;
    assert!(live_volume(&id).await.is_none());
    assert!(read(&p, "aws_ebs_volume", &repaired).await.is_none());
    let snaps = ec2()
        .await
        .describe_snapshots()
        .filters(Filter::builder().name("volume-id").values(&id).build())
        .send()
        .await
        .expect("describe snapshots");
    assert_eq!(snaps.snapshots().len(), 1, "a final snapshot");
    assert_eq!(sdk_tags(snaps.snapshots()[0].tags()), pairs(&[("Name", "checkpoints")]));
    // Deleting again is fine.
    delete(&p, "aws_ebs_volume", &repaired).await;
}

// ---------------------------------------------------------------------------------------------
// aws_volume_attachment

#[tokio::test]
async fn volume_attachment_lifecycle() {
    let p = provider().await;
    let volume = create(&p, "aws_ebs_volume", volume_config(&p, &[])).await;
    let vol_id = id_of(&volume);
    let instance = new_instance().await;
    let cfg = config(
        &p,
        "aws_volume_attachment",
        &[
            ("device_name", s("/dev/sdh")),
            ("volume_id", s(&vol_id)),
            ("instance_id", s(&instance)),
        ],
    );
    let state = create(&p, "aws_volume_attachment", cfg.clone()).await;
    assert_eq!(
        id_of(&state),
        format!(
            "vai-{}",
            crc32fast::hash(format!("/dev/sdh-{instance}-{vol_id}-").as_bytes())
        )
    );
    let live = live_volume(&vol_id).await.expect("the volume");
    let att = live.attachments().first().expect("attached");
    assert_eq!(att.instance_id(), Some(instance.as_str()));
    assert_eq!(att.device(), Some("/dev/sdh"));
    assert_eq!(att.state().map(|s| s.as_str()), Some("attached"));
    let fresh = assert_clean(&p, "aws_volume_attachment", &state, &cfg).await;

    // The destroy-time flags change in place.
    let mut flagged = cfg.clone();
    if let Value::Map(m) = &mut flagged {
        m.insert("force_detach".into(), Value::Bool(true));
    }
    let flagged_state = update(&p, "aws_volume_attachment", &fresh, &flagged).await;
    assert_eq!(flagged_state.get("force_detach"), &Value::Bool(true));

    let imported = import(&p, "aws_volume_attachment", &format!("/dev/sdh:{vol_id}:{instance}")).await;
    assert_eq!(id_of(&imported), id_of(&fresh));
    assert_clean(&p, "aws_volume_attachment", &imported, &cfg).await;
    let refused = p
        .import(ImportRequest {
            type_name: "aws_volume_attachment".into(),
            address: "aws_volume_attachment.x".into(),
            id: format!("/dev/sdx:{vol_id}:{instance}"),
        })
        .await;
    assert!(refused.is_err(), "not attached there");

    // Destroy detaches and waits.
    delete(&p, "aws_volume_attachment", &flagged_state).await;
    let live = live_volume(&vol_id).await.expect("the volume");
    assert!(live.attachments().is_empty(), "{live:?}");
    assert_eq!(live.state().map(|s| s.as_str()), Some("available"));

    // Out of band: detached: the attachment is gone (drift: attach again).
    let again = create(&p, "aws_volume_attachment", cfg.clone()).await;
    ec2()
        .await
        .detach_volume()
        .volume_id(&vol_id)
        .instance_id(&instance)
        .device("/dev/sdh")
        .send()
        .await
        .expect("detach");
    assert!(read(&p, "aws_volume_attachment", &again).await.is_none());
    delete(&p, "aws_volume_attachment", &again).await;

    // skip_destroy leaves the volume attached.
    let mut keep = cfg.clone();
    if let Value::Map(m) = &mut keep {
        m.insert("skip_destroy".into(), Value::Bool(true));
    }
    let kept = create(&p, "aws_volume_attachment", keep).await;
    delete(&p, "aws_volume_attachment", &kept).await;
    assert_eq!(live_volume(&vol_id).await.expect("there").attachments().len(), 1);

    end_instance(&instance).await;
    delete(&p, "aws_ebs_volume", &volume).await;
}

// ---------------------------------------------------------------------------------------------
// aws_ec2_tag

async fn live_tag(resource: &str, key: &str) -> Option<String> {
    ec2()
        .await
        .describe_tags()
        .filters(Filter::builder().name("resource-id").values(resource).build())
        .filters(Filter::builder().name("key").values(key).build())
        .send()
        .await
        .expect("describe tags")
        .tags()
        .first()
        .and_then(|t| t.value())
        .map(str::to_string)
}

#[tokio::test]
async fn ec2_tag_lifecycle() {
    let p = provider().await;
    let vpc = create(
        &p,
        "aws_vpc",
        config(&p, "aws_vpc", &[("cidr_block", s("10.90.0.0/16"))]),
    )
    .await;
    let vpc_id = id_of(&vpc);
    let cfg = config(
        &p,
        "aws_ec2_tag",
        &[("resource_id", s(&vpc_id)), ("key", s("team")), ("value", s("ml"))],
    );
    let state = create(&p, "aws_ec2_tag", cfg.clone()).await;
    assert_eq!(id_of(&state), format!("{vpc_id},team"));
    assert_eq!(live_tag(&vpc_id, "team").await.as_deref(), Some("ml"));
    let fresh = assert_clean(&p, "aws_ec2_tag", &state, &cfg).await;

    // A second tag on the same object: one refresh reads both.
    let cfg2 = config(
        &p,
        "aws_ec2_tag",
        &[
            ("resource_id", s(&vpc_id)),
            ("key", s("cost")),
            ("value", s("research")),
        ],
    );
    let second = create(&p, "aws_ec2_tag", cfg2).await;
    let before = p.call_count();
    let both = p
        .read(read_request("aws_ec2_tag", "t", &[fresh.clone(), second.clone()]))
        .await
        .expect("read");
    assert!(both.states.iter().all(Option::is_some));
    assert_eq!(p.call_count() - before, 1, "one DescribeTags for both");

    // Out of band, the value changes: drift, repaired in place.
    ec2()
        .await
        .create_tags()
        .resources(&vpc_id)
        .tags(Tag::builder().key("team").value("web").build())
        .send()
        .await
        .expect("retag");
    let drifted = read(&p, "aws_ec2_tag", &fresh).await.expect("there");
    assert_eq!(drifted.get("value"), &s("web"));
    let repaired = update(&p, "aws_ec2_tag", &drifted, &cfg).await;
    assert_eq!(live_tag(&vpc_id, "team").await.as_deref(), Some("ml"));
    assert_clean(&p, "aws_ec2_tag", &repaired, &cfg).await;

    let imported = import(&p, "aws_ec2_tag", &format!("{vpc_id},team")).await;
    assert_eq!(imported, repaired);
    let refused = p
        .import(ImportRequest {
            type_name: "aws_ec2_tag".into(),
            address: "aws_ec2_tag.x".into(),
            id: vpc_id.clone(),
        })
        .await;
    assert!(refused.is_err());

    // Destroy removes only that tag; one removed out of band reads as gone.
    delete(&p, "aws_ec2_tag", &repaired).await;
    assert_eq!(live_tag(&vpc_id, "team").await, None);
    assert_eq!(live_tag(&vpc_id, "cost").await.as_deref(), Some("research"));
    ec2()
        .await
        .delete_tags()
        .resources(&vpc_id)
        .tags(Tag::builder().key("cost").build())
        .send()
        .await
        .expect("untag");
    assert!(read(&p, "aws_ec2_tag", &second).await.is_none());
    delete(&p, "aws_ec2_tag", &second).await;
    delete(&p, "aws_vpc", &vpc).await;
}
