//! `aws_volume_attachment`: an EBS volume attached to an instance at a device name. Create waits
//! for the instance to be running or stopped, attaches and waits until the attachment is
//! `attached`; destroy detaches (optionally stopping the instance first, or forcing) and waits
//! until it is gone, unless `skip_destroy`. The id is Terraform's (`vai-` + a CRC-32 of device,
//! instance and volume) and import takes `DEVICE_NAME:VOLUME_ID:INSTANCE_ID`. Refresh is one
//! DescribeVolumes per 200 volumes (`block_device::volumes`).

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{InstanceStateName, Volume, VolumeAttachment as Attachment, VolumeAttachmentState};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::block_device::volumes;
use crate::error::{aws_error, code_of};
use crate::util::{opt_bool, opt_str, req_str, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct VolumeAttachment;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let flag = |text: &str| Attribute::optional(Type::Bool).describe(text);
    Schema::new(
        "Attaches an EBS volume to an instance. Apply waits until it is attached, destroy until it is detached. \
         Import with DEVICE_NAME:VOLUME_ID:INSTANCE_ID, such as /dev/sdh:vol-0123:i-0123.",
    )
    .attr(
        "device_name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The device name the instance sees, such as /dev/sdh or xvdh."),
    )
    .attr(
        "instance_id",
        Attribute::required(Type::String).force_new().describe("The instance."),
    )
    .attr(
        "volume_id",
        Attribute::required(Type::String).force_new().describe("The volume."),
    )
    .attr(
        "force_detach",
        flag(
            "Force the detach on destroy (as after an instance failure; the file system may be damaged). Not read \
             from AWS.",
        ),
    )
    .attr(
        "skip_destroy",
        flag("Destroy only forgets the attachment, leaving the volume attached. Not read from AWS."),
    )
    .attr(
        "stop_instance_before_detaching",
        flag("Stop the instance (and wait until it is stopped) before detaching on destroy. Not read from AWS."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("vai-<CRC-32 of device, instance, volume>, as Terraform's."),
    )
    .identity(&["volume_id", "instance_id", "device_name"])
});

/// Terraform's attachment id: `vai-` + `create.StringHashcode("DEVICE-INSTANCE-VOLUME-")`.
fn attachment_id(device: &str, volume: &str, instance: &str) -> String {
    format!(
        "vai-{}",
        crc32fast::hash(format!("{device}-{instance}-{volume}-").as_bytes())
    )
}

/// The attachment of `v` to `instance` at `device`, unless detached.
fn find<'a>(v: &'a Volume, instance: &str, device: &str) -> Option<&'a Attachment> {
    v.attachments().iter().find(|a| {
        a.state() != Some(&VolumeAttachmentState::Detached)
            && a.instance_id() == Some(instance)
            && a.device() == Some(device)
    })
}

/// (volume, instance, device) of a configuration or state.
fn key(v: &Value) -> Option<(String, String, String)> {
    Some((
        opt_str(v, "volume_id")?,
        opt_str(v, "instance_id")?,
        opt_str(v, "device_name")?,
    ))
}

fn to_value(volume: &str, instance: &str, device: &str, prior: &Value) -> Value {
    Value::object([
        ("id", string(attachment_id(device, volume, instance))),
        ("volume_id", string(volume)),
        ("instance_id", string(instance)),
        ("device_name", string(device)),
        ("force_detach", prior.get("force_detach").clone()),
        ("skip_destroy", prior.get("skip_destroy").clone()),
        (
            "stop_instance_before_detaching",
            prior.get("stop_instance_before_detaching").clone(),
        ),
    ])
}

/// The state of the attachment (`attaching`, `attached`, `detaching`), `None` when there is none.
async fn attachment_state(
    ctx: &Ctx,
    volume: &str,
    instance: &str,
    device: &str,
) -> Result<Option<String>, ProviderError> {
    let found = volumes(ctx, &[volume.to_string()]).await?;
    Ok(found
        .get(volume)
        .and_then(|v| find(v, instance, device))
        .and_then(|a| a.state())
        .map(|s| s.as_str().to_string()))
}

/// The instance's state name, `None` when it does not exist.
async fn instance_state(ctx: &Ctx, instance: &str) -> Result<Option<InstanceStateName>, ProviderError> {
    let resp = ctx.ec2.describe_instances().instance_ids(instance).send().boxed().await;
    let resp = match resp {
        Ok(r) => r,
        Err(e) if code_of(&e) == Some("InvalidInstanceID.NotFound") => return Ok(None),
        Err(e) => return Err(aws_error(e)),
    };
    Ok(resp
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .find(|i| i.instance_id() == Some(instance))
        .and_then(|i| i.state())
        .and_then(|s| s.name())
        .cloned())
}

/// Waits until the instance is in one of `target` states, while it is in one of `pending`.
async fn wait_instance(
    ctx: &Ctx,
    instance: &str,
    pending: &[InstanceStateName],
    target: &[InstanceStateName],
) -> Result<(), ProviderError> {
    let names: Vec<&str> = target.iter().map(|t| t.as_str()).collect();
    wait_for(
        ctx,
        &format!("instance {instance} to be {}", names.join(" or ")),
        || async {
            match instance_state(ctx, instance).await? {
                Some(s) if target.contains(&s) => Ok(Some(())),
                Some(s) if pending.contains(&s) => Ok(None),
                s => Err(ProviderError::with_code(
                    "IncorrectInstanceState",
                    format!(
                        "instance {instance} is {}",
                        s.map(|s| s.as_str().to_string()).unwrap_or_else(|| "gone".into())
                    ),
                )),
            }
        },
    )
    .await
}

/// Waits until the attachment's state satisfies `done` (`None`: no attachment).
async fn wait_attachment(
    ctx: &Ctx,
    (volume, instance, device): (&str, &str, &str),
    what: &str,
    done: impl Fn(Option<&str>) -> bool,
) -> Result<(), ProviderError> {
    let done = &done;
    wait_for(ctx, what, || async move {
        let s = attachment_state(ctx, volume, instance, device).await?;
        Ok(done(s.as_deref()).then_some(()))
    })
    .await
}

#[async_trait]
impl AwsResource for VolumeAttachment {
    fn type_name(&self) -> &'static str {
        "aws_volume_attachment"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let (volume, instance, device) = (
            req_str(planned, "volume_id")?,
            req_str(planned, "instance_id")?,
            req_str(planned, "device_name")?,
        );
        if attachment_state(ctx, &volume, &instance, &device).await?.is_none() {
            // An instance still starting (a spot request just fulfilled) cannot take a volume yet.
            wait_instance(
                ctx,
                &instance,
                &[InstanceStateName::Pending, InstanceStateName::Stopping],
                &[InstanceStateName::Running, InstanceStateName::Stopped],
            )
            .await?;
            ctx.ec2
                .attach_volume()
                .volume_id(&volume)
                .instance_id(&instance)
                .device(&device)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        let what = format!("volume {volume} to be attached to {instance} at {device}");
        wait_attachment(ctx, (&volume, &instance, &device), &what, |s| s == Some("attached")).await?;
        Ok(to_value(&volume, &instance, &device, planned))
    }

    async fn update(&self, _ctx: &Ctx, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        // Only the destroy-time flags change in place, and they are Plinth's own.
        let (volume, instance, device) =
            key(planned).ok_or_else(|| ProviderError::with_code("MissingAttribute", "volume_id is required"))?;
        Ok(to_value(&volume, &instance, &device, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        if opt_bool(prior, "skip_destroy") == Some(true) {
            return Ok(());
        }
        let Some((volume, instance, device)) = key(prior) else {
            return Ok(());
        };
        if attachment_state(ctx, &volume, &instance, &device).await?.is_none() {
            return Ok(());
        }
        if opt_bool(prior, "stop_instance_before_detaching") == Some(true) {
            ctx.ec2
                .stop_instances()
                .instance_ids(&instance)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            wait_instance(
                ctx,
                &instance,
                &[
                    InstanceStateName::Pending,
                    InstanceStateName::Running,
                    InstanceStateName::ShuttingDown,
                    InstanceStateName::Stopping,
                ],
                &[InstanceStateName::Stopped],
            )
            .await?;
        }
        let sent = ctx
            .ec2
            .detach_volume()
            .volume_id(&volume)
            .instance_id(&instance)
            .device(&device)
            .force(opt_bool(prior, "force_detach") == Some(true))
            .send()
            .boxed()
            .await;
        match sent {
            Ok(_) => {}
            // Detached already (AWS: IncorrectState, the volume is available; moto:
            // InvalidAttachment.NotFound).
            Err(e) if matches!(code_of(&e), Some("IncorrectState") | Some("InvalidAttachment.NotFound")) => {
                return Ok(());
            }
            Err(e) => return Err(aws_error(e)),
        }
        let what = format!("volume {volume} to be detached from {instance}");
        wait_attachment(ctx, (&volume, &instance, &device), &what, |s| s.is_none()).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let mut ids: Vec<String> = states.iter().filter_map(|s| opt_str(s, "volume_id")).collect();
        ids.sort();
        ids.dedup();
        let found = volumes(ctx, &ids).await?;
        Ok(states
            .iter()
            .map(|s| {
                let (volume, instance, device) = key(s)?;
                find(found.get(&volume)?, &instance, &device)?;
                Some(to_value(&volume, &instance, &device, s))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let parts: Vec<&str> = id.split(':').collect();
        let [device, volume, instance] = parts.as_slice() else {
            return Err(ProviderError::with_code(
                "InvalidImportId",
                format!("{id:?} is not DEVICE_NAME:VOLUME_ID:INSTANCE_ID"),
            ));
        };
        if attachment_state(ctx, volume, instance, device).await?.is_none() {
            return Err(ProviderError::with_code(
                "InvalidAttachment.NotFound",
                format!("volume {volume} is not attached to {instance} at {device}"),
            ));
        }
        Ok(to_value(volume, instance, device, &Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_ids_follow_terraform() {
        assert_eq!(
            attachment_id("/dev/sdh", "vol-1", "i-1"),
            format!("vai-{}", crc32fast::hash(b"/dev/sdh-i-1-vol-1-"))
        );
    }
}
