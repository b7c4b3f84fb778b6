//! An instance's EBS volumes as Terraform's `aws_instance` writes them: the `root_block_device`
//! block (the AMI's root volume, resized or retyped in place with ModifyVolume) and
//! `ebs_block_device` blocks (more volumes made at launch; a change replaces the instance).
//!
//! What DescribeInstances says of a volume is only its device and id: size, type, IOPS,
//! throughput and encryption come from DescribeVolumes, one call per 200 volumes, made only for
//! instances whose state manages these blocks (or on import).

use std::collections::HashMap;

use aws_sdk_ec2::types::{BlockDeviceMapping, EbsBlockDevice, VolumeType};
use futures::FutureExt as _;
use plinth_sdk::{AttrPath, Attribute, BlockSchema, Nesting, PathStep, ProviderError, Schema, Type, Value};

use super::describe_by_filter;
use crate::Ctx;
use crate::error::aws_error;
use crate::util::{opt_bool, opt_str, opt_string, string};

pub const ROOT: &str = "root_block_device";
pub const EBS: &str = "ebs_block_device";

/// The volume settings both blocks share.
fn volume_schema(description: &str, force_new: bool) -> Schema {
    let attr = |a: Attribute| if force_new { a.force_new() } else { a };
    Schema::new(description)
        .attr(
            "volume_size",
            attr(Attribute::optional_computed(Type::Number))
                .describe("Size in GiB (the snapshot's size when left out)."),
        )
        .attr(
            "volume_type",
            attr(Attribute::optional_computed(Type::String))
                .describe("gp3, gp2, io1, io2, st1, sc1 or standard (AWS's default: gp2 or the AMI's)."),
        )
        .attr(
            "iops",
            attr(Attribute::optional_computed(Type::Number)).describe("Provisioned IOPS (io1, io2, gp3)."),
        )
        .attr(
            "throughput",
            attr(Attribute::optional_computed(Type::Number)).describe("Throughput in MiB/s (gp3)."),
        )
        .attr(
            "encrypted",
            Attribute::optional_computed(Type::Bool)
                .force_new()
                .describe("Encrypt the volume (a change replaces the instance)."),
        )
        .attr(
            "kms_key_id",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The KMS key encrypting the volume (a change replaces the instance)."),
        )
        .attr(
            "delete_on_termination",
            attr(Attribute::optional_computed(Type::Bool))
                .describe("Delete the volume when the instance terminates (default true)."),
        )
        .attr(
            "volume_id",
            Attribute::computed(Type::String).describe("The volume id (vol-...)."),
        )
}

/// The `root_block_device` block: at most one, optional and computed (left out, the state keeps
/// what it has and nothing is managed). Size, type, IOPS, throughput and delete_on_termination
/// change in place.
pub fn root_block() -> BlockSchema {
    BlockSchema {
        nesting: Nesting::Single,
        schema: volume_schema(
            "The root volume. Size, type, IOPS and throughput change in place (ModifyVolume), as does \
             delete_on_termination; encryption changes replace the instance.",
            false,
        )
        .attr(
            "device_name",
            Attribute::computed(Type::String).describe("The root device name (such as /dev/xvda)."),
        ),
        min_items: 0,
        max_items: Some(1),
        force_new: false,
    }
}

/// The `ebs_block_device` blocks: more volumes made at launch, by device name. Any change
/// replaces the instance (as in Terraform; [`ebs_replace_paths`] judges it, since the state holds
/// what AWS chose for the sub-arguments left out); volumes attached later belong to
/// `aws_volume_attachment`.
pub fn ebs_blocks() -> BlockSchema {
    BlockSchema {
        nesting: Nesting::List,
        schema: volume_schema(
            "A volume made at launch and attached at device_name. A change replaces the instance.",
            true,
        )
        .attr(
            "device_name",
            Attribute::required(Type::String).describe("The device name to expose (such as /dev/sdf)."),
        )
        .attr(
            "snapshot_id",
            Attribute::optional_computed(Type::String).describe("The snapshot to make the volume from."),
        ),
        min_items: 0,
        max_items: None,
        force_new: false,
    }
}

fn num(v: &Value, key: &str) -> Option<i32> {
    v.get(key).as_i64().and_then(|n| i32::try_from(n).ok())
}

fn ebs(v: &Value) -> EbsBlockDevice {
    EbsBlockDevice::builder()
        .set_volume_size(num(v, "volume_size"))
        .set_volume_type(opt_str(v, "volume_type").map(|t| VolumeType::from(t.as_str())))
        .set_iops(num(v, "iops"))
        .set_throughput(num(v, "throughput"))
        .set_encrypted(opt_bool(v, "encrypted"))
        .set_kms_key_id(opt_str(v, "kms_key_id"))
        .set_delete_on_termination(opt_bool(v, "delete_on_termination"))
        .set_snapshot_id(opt_str(v, "snapshot_id"))
        .build()
}

/// The block device mappings RunInstances gets from the planned blocks; the root volume's
/// device is the AMI's, so it needs one DescribeImages when a root block is configured.
pub async fn mappings(ctx: &Ctx, planned: &Value) -> Result<Option<Vec<BlockDeviceMapping>>, ProviderError> {
    let mut out = Vec::new();
    let root = planned.get(ROOT);
    if root.as_map().is_some() {
        let device = root_device_of_image(ctx, planned).await?;
        out.push(BlockDeviceMapping::builder().device_name(device).ebs(ebs(root)).build());
    }
    for b in planned.get(EBS).as_list().into_iter().flatten() {
        out.push(
            BlockDeviceMapping::builder()
                .set_device_name(opt_str(b, "device_name"))
                .ebs(ebs(b))
                .build(),
        );
    }
    Ok((!out.is_empty()).then_some(out))
}

async fn root_device_of_image(ctx: &Ctx, planned: &Value) -> Result<String, ProviderError> {
    let Some(ami) = opt_str(planned, "ami") else {
        return Err(ProviderError::with_code(
            "InvalidParameterCombination",
            "root_block_device needs ami: the root device is the AMI's, and an instance started from a launch \
             template takes its volumes from the template",
        )
        .at(AttrPath::attr(ROOT)));
    };
    let resp = ctx
        .ec2
        .describe_images()
        .image_ids(&ami)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    resp.images()
        .first()
        .and_then(|i| i.root_device_name())
        .map(str::to_string)
        .ok_or_else(|| {
            ProviderError::with_code("InvalidAMIID.NotFound", format!("AMI {ami} has no root device name"))
                .at(AttrPath::attr("ami"))
        })
}

/// Volumes by id, one DescribeVolumes per 200 ids.
pub async fn volumes(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, aws_sdk_ec2::types::Volume>, ProviderError> {
    describe_by_filter("volume-id", ids, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_volumes()
            .filters(filter)
            .max_results(500)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .volumes()
            .iter()
            .filter_map(|v| Some((v.volume_id()?.to_string(), v.clone())))
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

/// Whether refresh reads the blocks of an instance whose prior state (or import marker) is `prior`.
pub fn managed(prior: &Value) -> bool {
    prior.get(ROOT).as_map().is_some() || prior.get(EBS).as_list().is_some_and(|l| !l.is_empty())
}

/// The volume ids the blocks of a managed instance need read.
pub fn volume_ids(i: &aws_sdk_ec2::types::Instance) -> Vec<String> {
    i.block_device_mappings()
        .iter()
        .filter_map(|m| m.ebs()?.volume_id().map(str::to_string))
        .collect()
}

fn volume_value(
    m: &aws_sdk_ec2::types::InstanceBlockDeviceMapping,
    vols: &HashMap<String, aws_sdk_ec2::types::Volume>,
    root: bool,
) -> Value {
    let ebs = m.ebs();
    let id = ebs.and_then(|e| e.volume_id());
    let vol = id.and_then(|id| vols.get(id));
    let int = |n: Option<i32>| n.map_or(Value::Null, |n| Value::int(i64::from(n)));
    let mut fields = vec![
        ("device_name", opt_string(m.device_name())),
        ("volume_id", opt_string(id)),
        (
            "delete_on_termination",
            ebs.and_then(|e| e.delete_on_termination())
                .map_or(Value::Null, Value::Bool),
        ),
        ("volume_size", int(vol.and_then(|v| v.size()))),
        (
            "volume_type",
            opt_string(vol.and_then(|v| v.volume_type()).map(|t| t.as_str().to_string())),
        ),
        ("iops", int(vol.and_then(|v| v.iops()))),
        ("throughput", int(vol.and_then(|v| v.throughput()))),
        (
            "encrypted",
            vol.and_then(|v| v.encrypted()).map_or(Value::Null, Value::Bool),
        ),
        ("kms_key_id", opt_string(vol.and_then(|v| v.kms_key_id()))),
    ];
    if !root {
        fields.push((
            "snapshot_id",
            opt_string(vol.and_then(|v| v.snapshot_id()).filter(|s| !s.is_empty())),
        ));
    }
    Value::object(fields)
}

/// The `root_block_device` and `ebs_block_device` values of an instance, read when the prior
/// state manages them; otherwise what the prior state has (null and an empty list).
pub fn values(
    i: &aws_sdk_ec2::types::Instance,
    vols: &HashMap<String, aws_sdk_ec2::types::Volume>,
    prior: &Value,
) -> (Value, Value) {
    let root_name = i.root_device_name();
    let (root, others): (Vec<_>, Vec<_>) = i
        .block_device_mappings()
        .iter()
        .partition(|m| m.device_name().is_some() && m.device_name() == root_name);
    let root = match prior.get(ROOT) {
        Value::Map(_) => root.first().map_or(Value::Null, |m| volume_value(m, vols, true)),
        _ => Value::Null,
    };
    let ebs = match prior.get(EBS).as_list() {
        Some(l) if !l.is_empty() => {
            let mut list: Vec<Value> = others.iter().map(|m| volume_value(m, vols, false)).collect();
            list.sort_by(|a, b| a.get("device_name").as_str().cmp(&b.get("device_name").as_str()));
            Value::List(list)
        }
        _ => Value::List(Vec::new()),
    };
    (root, ebs)
}

/// Fills the planned `ebs_block_device` list's unset sub-arguments from the prior state's block
/// of the same device (an update), or leaves them unknown (a create or a new device).
pub fn fill_ebs(planned: &mut Value, prior: Option<&Value>) {
    let Value::Map(top) = planned else { return };
    let Some(Value::List(list)) = top.get_mut(EBS) else {
        return;
    };
    let before: Vec<&Value> = prior
        .and_then(|p| p.get(EBS).as_list())
        .map(|l| l.iter().collect())
        .unwrap_or_default();
    for b in list.iter_mut() {
        let device = b.get("device_name").as_str().map(str::to_string);
        let old = before
            .iter()
            .find(|o| o.get("device_name").as_str() == device.as_deref())
            .copied();
        let Value::Map(m) = b else { continue };
        for (k, v) in m.iter_mut() {
            if v.is_null() {
                *v = old.map_or(Value::Unknown, |o| o.get(k).clone());
            }
        }
    }
    list.sort_by(|a, b| a.get("device_name").as_str().cmp(&b.get("device_name").as_str()));
}

/// Whether the configured `ebs_block_device` blocks differ from the prior state's: another set
/// of devices, or a sub-argument set to something else (one left out takes what AWS chose).
pub fn ebs_replace_paths(config: &Value, prior: Option<&Value>) -> Vec<AttrPath> {
    let Some(prior) = prior else { return Vec::new() };
    let want = config.get(EBS).as_list().cloned().unwrap_or_default();
    let have = prior.get(EBS).as_list().cloned().unwrap_or_default();
    let device = |b: &Value| b.get("device_name").as_str().map(str::to_string);
    let mut a: Vec<_> = want.iter().map(device).collect();
    let mut b: Vec<_> = have.iter().map(device).collect();
    a.sort();
    b.sort();
    let differs = a != b
        || want.iter().any(|w| {
            let old = have.iter().find(|h| device(h) == device(w));
            w.as_map().into_iter().flatten().any(|(k, v)| {
                !v.is_null() && !v.is_unknown() && !old.is_some_and(|o| plinth_sdk::plan::same(v, o.get(k)))
            })
        });
    if differs { vec![AttrPath::attr(EBS)] } else { Vec::new() }
}

/// The replacement paths of the root block: its encryption settings, once the state has them.
pub fn root_replace_paths(planned: &Value, prior: Option<&Value>) -> Vec<AttrPath> {
    let Some(before) = prior.map(|p| p.get(ROOT)).filter(|b| b.as_map().is_some()) else {
        return Vec::new();
    };
    let now = planned.get(ROOT);
    ["encrypted", "kms_key_id"]
        .into_iter()
        .filter(|k| {
            let want = now.get(k);
            !want.is_unknown() && !want.is_null() && !plinth_sdk::plan::same(want, before.get(k))
        })
        .map(|k| AttrPath(vec![PathStep::Attr(ROOT.into()), PathStep::Attr(k.into())]))
        .collect()
}

/// Applies a changed `root_block_device` in place: ModifyVolume for size, type, IOPS and
/// throughput, ModifyInstanceAttribute for delete_on_termination.
pub async fn update_root(ctx: &Ctx, id: &str, prior: &Value, planned: &Value) -> Result<(), ProviderError> {
    let want = planned.get(ROOT);
    let have = prior.get(ROOT);
    if want.as_map().is_none() || plinth_sdk::plan::same(want, have) {
        return Ok(());
    }
    let changed = |k: &str| !want.get(k).is_null() && !plinth_sdk::plan::same(want.get(k), have.get(k));
    let volume = opt_str(have, "volume_id");
    if let Some(volume) = &volume
        && ["volume_size", "volume_type", "iops", "throughput"]
            .iter()
            .any(|k| changed(k))
    {
        ctx.ec2
            .modify_volume()
            .volume_id(volume)
            .set_size(changed("volume_size").then(|| num(want, "volume_size")).flatten())
            .set_volume_type(
                changed("volume_type")
                    .then(|| opt_str(want, "volume_type"))
                    .flatten()
                    .map(|t| VolumeType::from(t.as_str())),
            )
            .set_iops(changed("iops").then(|| num(want, "iops")).flatten())
            .set_throughput(changed("throughput").then(|| num(want, "throughput")).flatten())
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    if changed("delete_on_termination")
        && let Some(device) = opt_str(have, "device_name")
    {
        ctx.ec2
            .modify_instance_attribute()
            .instance_id(id)
            .block_device_mappings(
                aws_sdk_ec2::types::InstanceBlockDeviceMappingSpecification::builder()
                    .device_name(device)
                    .ebs(
                        aws_sdk_ec2::types::EbsInstanceBlockDeviceSpecification::builder()
                            .set_delete_on_termination(opt_bool(want, "delete_on_termination"))
                            .build(),
                    )
                    .build(),
            )
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    Ok(())
}

/// A marker prior for import: read both blocks.
pub fn import_marker() -> [(&'static str, Value); 2] {
    [
        (ROOT, Value::Map(Default::default())),
        (EBS, Value::List(vec![string("import")])),
    ]
}
