//! `aws_ebs_volume`: one EBS volume (a dataset or checkpoint disk for a GPU node). Apply waits
//! until the volume is available; size, type, IOPS and throughput change in place (ModifyVolume,
//! waited for until the modification is optimizing or completed); destroy optionally takes a final
//! snapshot, retries while the volume is still in use, and waits until it is gone. Refresh is one
//! DescribeVolumes per 200 volumes (`block_device::volumes`). Attaching is `aws_volume_attachment`'s.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{ResourceType, Volume, VolumeModificationState, VolumeState, VolumeType};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::block_device::volumes;
use super::{by_id, diag, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags, wait_found};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{
    delete_call, opt_bool, opt_i64, opt_str, opt_string, req_str, string, wait_for, wait_gone, with_defaults,
};
use crate::{AwsResource, Ctx};

pub struct EbsVolume;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let mut s = Schema::new(
        "An EBS volume. Apply waits until it is available; size, type, iops and throughput change in place. \
         Import with the volume id (vol-...).",
    )
    .attr(
        "availability_zone",
        Attribute::required(Type::String)
            .force_new()
            .describe("The availability zone (it must be the zone of the instances it attaches to)."),
    )
    .attr(
        "size",
        Attribute::optional_computed(Type::Number)
            .describe("Size in GiB; at least one of size and snapshot_id. Grows in place (EBS cannot shrink)."),
    )
    .attr(
        "snapshot_id",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("A snapshot to make the volume from."),
    )
    .attr(
        "type",
        Attribute::optional_computed(Type::String)
            .describe("standard, gp2 (AWS's default), gp3, io1, io2, sc1 or st1; changed in place."),
    )
    .attr(
        "iops",
        Attribute::optional_computed(Type::Number)
            .describe("Provisioned IOPS (io1, io2, gp3; required for io1 and io2); changed in place."),
    )
    .attr(
        "throughput",
        Attribute::optional_computed(Type::Number)
            .describe("Throughput in MiB/s, 125 to 1000 (gp3 only); changed in place."),
    )
    .attr(
        "encrypted",
        Attribute::optional_computed(Type::Bool)
            .force_new()
            .describe("Encrypt the volume (default: the account's EBS encryption-by-default setting)."),
    )
    .attr(
        "kms_key_id",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("ARN of the KMS key to encrypt with (encrypted must be true)."),
    )
    .attr(
        "multi_attach_enabled",
        Attribute::optional(Type::Bool)
            .force_new()
            .describe("Let several instances attach the volume (io1 and io2 only); default false."),
    )
    .attr(
        "outpost_arn",
        Attribute::optional(Type::String)
            .force_new()
            .describe("The Outpost to make the volume on."),
    )
    .attr(
        "volume_initialization_rate",
        Attribute::optional(Type::Number)
            .force_new()
            .describe("MiB/s at which the blocks of snapshot_id are fetched, 100 to 300 (only with snapshot_id)."),
    )
    .attr(
        "final_snapshot",
        Attribute::optional(Type::Bool).describe(
            "Take a snapshot (tagged with tags_all) before destroy deletes the volume, and wait until it is \
             completed; default false. Not read from AWS.",
        ),
    );
    for (name, text) in [
        ("id", "The volume id (vol-...)."),
        ("arn", "The volume ARN."),
        ("create_time", "When the volume was made (RFC 3339)."),
    ] {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    with_tags(s).identity(&["id"])
});

/// Defaults of Terraform's schema that refresh reads back (or keeps) as a value.
fn defaults() -> [(&'static str, Value); 2] {
    [
        ("multi_attach_enabled", Value::Bool(false)),
        ("final_snapshot", Value::Bool(false)),
    ]
}

fn int(n: Option<i32>) -> Value {
    n.map(|n| Value::int(i64::from(n))).unwrap_or(Value::Null)
}

/// The state of `v`; `account` (for the ARN, which DescribeVolumes does not give) is the prior
/// ARN's when `None`.
fn to_value(ctx: &Ctx, v: &Volume, prior: &Value, account: Option<&str>) -> Value {
    let id = v.volume_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, v.tags(), prior);
    let account = account.or_else(|| account_of(prior));
    let arn = account.map(|a| format!("arn:aws:ec2:{}:{a}:volume/{id}", ctx.region));
    Value::object([
        ("id", string(&id)),
        ("arn", opt_string(arn)),
        ("availability_zone", opt_string(v.availability_zone())),
        (
            "create_time",
            opt_string(
                v.create_time()
                    .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
            ),
        ),
        ("encrypted", v.encrypted().map(Value::Bool).unwrap_or(Value::Null)),
        ("iops", int(v.iops())),
        ("kms_key_id", opt_string(v.kms_key_id())),
        (
            "multi_attach_enabled",
            Value::Bool(v.multi_attach_enabled().unwrap_or(false)),
        ),
        ("outpost_arn", opt_string(v.outpost_arn())),
        ("size", int(v.size())),
        ("snapshot_id", opt_string(v.snapshot_id().filter(|s| !s.is_empty()))),
        ("throughput", int(v.throughput())),
        ("type", opt_string(v.volume_type().map(|t| t.as_str().to_string()))),
        (
            "volume_initialization_rate",
            match v.volume_initialization_rate() {
                Some(n) => Value::int(i64::from(n)),
                // AWS names it only while the volume is being initialized: keep what was set.
                None => prior.get("volume_initialization_rate").clone(),
            },
        ),
        (
            "final_snapshot",
            prior.get("final_snapshot").clone().or_if_null(Value::Bool(false)),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

trait OrIfNull {
    fn or_if_null(self, d: Value) -> Value;
}

impl OrIfNull for Value {
    fn or_if_null(self, d: Value) -> Value {
        if self.is_null() || self.is_unknown() { d } else { self }
    }
}

fn account_of(prior: &Value) -> Option<&str> {
    prior.get("arn").as_str().and_then(super::account_of_arn)
}

async fn describe_one(ctx: &Ctx, id: &str) -> Result<Volume, ProviderError> {
    take(
        volumes(ctx, &[id.to_string()]).await?,
        id,
        "InvalidVolume.NotFound",
        format!("no EBS volume {id}"),
    )
}

/// Whether a volume is gone (deleted volumes linger in DescribeVolumes for a while).
fn gone(v: &Volume) -> bool {
    matches!(v.state(), Some(VolumeState::Deleted) | Some(VolumeState::Deleting))
}

/// Waits until the volume is available (or in use) and returns it; an error when it fails.
async fn wait_available(ctx: &Ctx, id: &str) -> Result<Volume, ProviderError> {
    let ids = vec![id.to_string()];
    let v = wait_found(
        ctx,
        &format!("EBS volume {id} to be available"),
        id,
        || volumes(ctx, &ids),
        |v: &Volume| !matches!(v.state(), Some(VolumeState::Creating)),
    )
    .await?;
    match v.state() {
        Some(VolumeState::Available) | Some(VolumeState::InUse) => Ok(v),
        s => Err(ProviderError::with_code(
            "VolumeCreationFailed",
            format!(
                "EBS volume {id} ended up {}",
                s.map(|s| s.as_str()).unwrap_or("in no state")
            ),
        )),
    }
}

/// Waits until the last modification of the volume is optimizing or completed (as Terraform).
async fn wait_modified(ctx: &Ctx, id: &str) -> Result<(), ProviderError> {
    wait_for(ctx, &format!("EBS volume {id} modification to take effect"), || async {
        let resp = ctx
            .ec2
            .describe_volumes_modifications()
            .volume_ids(id)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let state = resp
            .volumes_modifications()
            .iter()
            .max_by_key(|m| m.start_time().map(|t| (t.secs(), t.subsec_nanos())))
            .and_then(|m| m.modification_state().cloned());
        match state {
            None | Some(VolumeModificationState::Completed) | Some(VolumeModificationState::Optimizing) => Ok(Some(())),
            Some(VolumeModificationState::Failed) => Err(ProviderError::with_code(
                "VolumeModificationFailed",
                format!("the modification of EBS volume {id} failed"),
            )),
            Some(_) => Ok(None),
        }
    })
    .await
}

/// `final_snapshot`: a snapshot of the volume, tagged with its tags_all, waited for until it is
/// completed.
async fn final_snapshot(ctx: &Ctx, id: &str, prior: &Value) -> Result<(), ProviderError> {
    let tags = crate::util::str_map(prior, "tags_all");
    let mut req = ctx.ec2.create_snapshot().volume_id(id);
    if let Some(spec) = tag_spec(ResourceType::Snapshot, &tags) {
        req = req.tag_specifications(spec);
    }
    let snap = req
        .send()
        .boxed()
        .await
        .map_err(aws_error)?
        .snapshot_id()
        .map(str::to_string)
        .ok_or_else(|| ProviderError::new("CreateSnapshot returned no snapshot id"))?;
    wait_for(ctx, &format!("final snapshot {snap} of {id} to complete"), || async {
        let resp = ctx
            .ec2
            .describe_snapshots()
            .snapshot_ids(&snap)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        match resp.snapshots().first().and_then(|s| s.state()).map(|s| s.as_str()) {
            Some("completed") => Ok(Some(())),
            Some("error") => Err(ProviderError::with_code(
                "SnapshotCreationFailed",
                format!("the final snapshot {snap} of EBS volume {id} failed"),
            )),
            _ => Ok(None),
        }
    })
    .await
}

#[async_trait]
impl AwsResource for EbsVolume {
    fn type_name(&self) -> &'static str {
        "aws_ebs_volume"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        if config.get("size").is_null() && config.get("snapshot_id").is_null() {
            out.push(diag(
                "size",
                "aws_ebs_volume needs size or snapshot_id",
                "Set size (GiB), snapshot_id, or both.",
            ));
        }
        // Terraform's create-time checks, where the type is known.
        let ty = config.get("type").as_str().unwrap_or("gp2");
        let set = |k: &str| !config.get(k).is_null();
        let io = matches!(ty, "io1" | "io2");
        if io && config.get("iops").is_null() {
            out.push(diag(
                "iops",
                "iops is required",
                format!("'iops' must be set when 'type' is '{ty}'"),
            ));
        }
        if !io && ty != "gp3" && set("iops") && opt_i64(config, "iops") != Some(0) {
            out.push(diag(
                "iops",
                "Invalid iops",
                format!("'iops' must not be set when 'type' is '{ty}'"),
            ));
        }
        if opt_bool(config, "multi_attach_enabled") == Some(true) && !io {
            out.push(diag(
                "multi_attach_enabled",
                "Invalid multi_attach_enabled",
                format!("'multi_attach_enabled' must not be set when 'type' is '{ty}'"),
            ));
        }
        if ty != "gp3" && opt_i64(config, "throughput").is_some_and(|t| t > 0) {
            out.push(diag(
                "throughput",
                "Invalid throughput",
                format!("'throughput' must not be set when 'type' is '{ty}'"),
            ));
        }
        if set("volume_initialization_rate") && config.get("snapshot_id").is_null() {
            out.push(diag(
                "volume_initialization_rate",
                "Invalid volume_initialization_rate",
                "'volume_initialization_rate' must not be set unless 'snapshot_id' is set",
            ));
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let config = with_defaults(&req.config, &defaults());
        plan_with_tags(&SCHEMA, ctx, &PlanRequest { config, ..req.clone() })
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// With a client token derived from the planned change (see `docs/reliability.md`): a
    /// repeated call answers the volume already made. A token answered with a volume deleted
    /// since (or in error) moves on to the next generation's token.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let n = |k: &str| opt_i64(planned, k).map(|n| n as i32);
        let mut req = ctx
            .ec2
            .create_volume()
            .availability_zone(req_str(planned, "availability_zone")?)
            .set_size(n("size"))
            .set_snapshot_id(opt_str(planned, "snapshot_id"))
            .set_volume_type(opt_str(planned, "type").map(|t| VolumeType::from(t.as_str())))
            .set_iops(n("iops"))
            .set_throughput(n("throughput"))
            .set_encrypted(opt_bool(planned, "encrypted"))
            .set_kms_key_id(opt_str(planned, "kms_key_id"))
            .set_outpost_arn(opt_str(planned, "outpost_arn"))
            .set_volume_initialization_rate(n("volume_initialization_rate"));
        if opt_bool(planned, "multi_attach_enabled") == Some(true) {
            req = req.multi_attach_enabled(true);
        }
        if let Some(spec) = tag_spec(ResourceType::Volume, &tags) {
            req = req.tag_specifications(spec);
        }
        let id = creating
            .with_token(planned, "CreateVolume", |token| {
                let req = req.clone().client_token(token);
                async move {
                    let resp = req.send().boxed().await.map_err(aws_error)?;
                    let id = resp
                        .volume_id()
                        .ok_or_else(|| ProviderError::new("CreateVolume returned no volume id"))?;
                    let gone = matches!(
                        resp.state(),
                        Some(VolumeState::Deleting | VolumeState::Deleted | VolumeState::Error)
                    );
                    Ok((id.to_string(), gone))
                }
            })
            .await?;
        let v = wait_available(ctx, &id).await?;
        Ok(to_value(ctx, &v, planned, Some(&ctx.account_id().await?)))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let changed = |k: &str| {
            let want = planned.get(k);
            !want.is_null() && !want.is_unknown() && want != prior.get(k)
        };
        if ["size", "type", "iops", "throughput"].iter().any(|k| changed(k)) {
            let n = |k: &str| opt_i64(planned, k).map(|n| n as i32);
            let ty = opt_str(planned, "type").unwrap_or_default();
            let mut req = ctx.ec2.modify_volume().volume_id(&id);
            if changed("size") {
                req = req.set_size(n("size"));
            }
            if changed("iops") || (changed("type") && matches!(ty.as_str(), "io1" | "io2" | "gp3")) {
                // Changing to io1, io2 or gp3 without IOPS would reset them to 3000 (as Terraform).
                req = req.set_iops(n("iops").filter(|i| *i > 0));
            }
            if changed("type") {
                req = req.volume_type(VolumeType::from(ty.as_str()));
            }
            // "If no throughput value is specified, the existing value is retained" does not hold:
            // send it for gp3 always, as Terraform.
            if ty == "gp3" {
                req = req.set_throughput(n("throughput").filter(|t| *t > 0));
            }
            req.send().boxed().await.map_err(aws_error)?;
            wait_modified(ctx, &id).await?;
        }
        update_tags(ctx, &id, prior, planned).await?;
        Ok(to_value(
            ctx,
            &describe_one(ctx, &id).await?,
            planned,
            account_of(prior),
        ))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        let exists = || async { Ok(volumes(ctx, &ids).await?.get(&id).is_some_and(|v| !gone(v))) };
        if !exists().await? {
            return Ok(());
        }
        if opt_bool(prior, "final_snapshot") == Some(true) {
            final_snapshot(ctx, &id, prior).await?;
        }
        // A volume still detaching from an instance is "in use" for a while.
        wait_for(ctx, &format!("EBS volume {id} to be detached"), || async {
            match delete_call(ctx.ec2.delete_volume().volume_id(&id).send().boxed()).await {
                Ok(_) => Ok(Some(())),
                Err(e) if e.code.as_deref() == Some("VolumeInUse") => Ok(None),
                Err(e) => Err(e),
            }
        })
        .await?;
        wait_gone(ctx, &format!("EBS volume {id}"), exists).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let mut found = volumes(ctx, &ids_of(states)).await?;
        found.retain(|_, v| !gone(v));
        Ok(by_id(states, &found, |v, s| to_value(ctx, v, s, None)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let v = describe_one(ctx, id).await?;
        if gone(&v) {
            return Err(ProviderError::with_code(
                "InvalidVolume.NotFound",
                format!("EBS volume {id} is deleted"),
            ));
        }
        let prior = Value::object(defaults());
        Ok(to_value(ctx, &v, &prior, Some(&ctx.account_id().await?)))
    }
}
