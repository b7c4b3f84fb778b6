//! The `aws_instance` settings beyond its launch core, which `aws_spot_instance_request` cannot
//! send (RequestSpotInstances has no place for them, so they stay unsupported there):
//! `credit_specification`, `cpu_options`, `hibernation`, `disable_api_termination`,
//! `disable_api_stop`, `instance_initiated_shutdown_behavior` and `volume_tags`. This module owns
//! their schema, what RunInstances carries of them, how refresh reads them and how an update
//! changes them; `instance.rs` calls it.
//!
//! Refresh cost: `cpu_options` and `hibernation` come with DescribeInstances (free);
//! `volume_tags` with the DescribeVolumes the block devices already use (one call per 200
//! volumes); `credit_specification` from one DescribeInstanceCreditSpecifications per 200
//! burstable instances (t2, t3, t3a, t4g: AWS refuses the call for other types, and Terraform
//! neither sends nor reads the block for them). AWS has no batched read of the three instance
//! attributes: each is one DescribeInstanceAttribute per instance, made only for instances whose
//! state manages it (an attribute left out of the configuration stays null in the state and is
//! never read, except on import).

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ec2::operation::run_instances::builders::RunInstancesFluentBuilder;
use aws_sdk_ec2::types::{
    AmdSevSnpSpecification, AttributeBooleanValue, CpuOptionsRequest, CreditSpecificationRequest,
    HibernationOptionsRequest, InstanceAttributeName, InstanceCreditSpecificationRequest, ShutdownBehavior,
};
use futures::FutureExt as _;
use plinth_sdk::{AttrPath, Attribute, BlockSchema, Nesting, PathStep, ProviderError, Schema, Type, Value};

use super::describe_by_ids;
use crate::Ctx;
use crate::error::{aws_error, is_not_found};
use crate::tags::{Tagged, sync_tags};
use crate::util::{concurrently, opt_bool, opt_str, opt_string, str_map, string};

/// The arguments this module adds to `aws_instance` (for the spot request's unsupported list).
pub(crate) const ATTRIBUTES: &[&str] = &[
    DISABLE_API_STOP,
    DISABLE_API_TERMINATION,
    "hibernation",
    SHUTDOWN,
    VOLUME_TAGS,
];
/// The blocks this module adds to `aws_instance`.
pub(crate) const BLOCKS: &[&str] = &[CPU, CREDIT];

const DISABLE_API_STOP: &str = "disable_api_stop";
const DISABLE_API_TERMINATION: &str = "disable_api_termination";
const SHUTDOWN: &str = "instance_initiated_shutdown_behavior";
const VOLUME_TAGS: &str = "volume_tags";
const CPU: &str = "cpu_options";
const CREDIT: &str = "credit_specification";

/// The three attributes only DescribeInstanceAttribute reads, with the name AWS gives each.
const INSTANCE_ATTRIBUTES: [(&str, InstanceAttributeName); 3] = [
    (DISABLE_API_TERMINATION, InstanceAttributeName::DisableApiTermination),
    (DISABLE_API_STOP, InstanceAttributeName::DisableApiStop),
    (SHUTDOWN, InstanceAttributeName::InstanceInitiatedShutdownBehavior),
];

/// Adds the settings to `aws_instance`'s schema.
pub(crate) fn schema(s: Schema) -> Schema {
    s.attr(
        DISABLE_API_TERMINATION,
        Attribute::optional_computed(Type::Bool).describe(
            "Termination protection: TerminateInstances is refused while true (default false). Updated in place; \
             destroy turns it off first, as Terraform does. Read by refresh only when configured (one \
             DescribeInstanceAttribute per instance).",
        ),
    )
    .attr(
        DISABLE_API_STOP,
        Attribute::optional_computed(Type::Bool).describe(
            "Stop protection: StopInstances is refused while true (default false). Updated in place; destroy \
             turns it off first. Read by refresh only when configured (one DescribeInstanceAttribute per \
             instance).",
        ),
    )
    .attr(
        SHUTDOWN,
        Attribute::optional_computed(Type::String).describe(
            "stop (AWS's default) or terminate: what a shutdown from inside the instance does. Updated in place. \
             Read by refresh only when configured (one DescribeInstanceAttribute per instance).",
        ),
    )
    .attr(
        "hibernation",
        Attribute::optional_computed(Type::Bool)
            .force_new()
            .describe("Launch the instance able to hibernate (default false; needs an encrypted root volume)."),
    )
    .attr(
        VOLUME_TAGS,
        Attribute::optional(Type::Map(Box::new(Type::String))).describe(
            "Tags for the root and EBS volumes made at launch (not the provider's default_tags). Updated in place \
             on every volume of the instance; read back as the tags the volumes carry.",
        ),
    )
    .block(
        CREDIT,
        BlockSchema {
            nesting: Nesting::Single,
            schema: Schema::new(
                "CPU credits of a burstable instance (t2, t3, t3a, t4g; ignored for other types, as in Terraform). \
                 Updated in place; left out, the current setting is kept.",
            )
            .attr(
                "cpu_credits",
                Attribute::optional(Type::String)
                    .describe("standard or unlimited (AWS's default: standard for t2, unlimited for t3, t3a, t4g)."),
            ),
            min_items: 0,
            max_items: Some(1),
            force_new: false,
        },
    )
    .block(
        CPU,
        BlockSchema {
            nesting: Nesting::Single,
            schema: Schema::new(
                "The CPU options of the launch (optional and computed: left out, AWS's defaults for the type). A \
                 change replaces the instance.",
            )
            .attr(
                "core_count",
                Attribute::optional_computed(Type::Number)
                    .force_new()
                    .describe("CPU cores to enable."),
            )
            .attr(
                "threads_per_core",
                Attribute::optional_computed(Type::Number)
                    .force_new()
                    .describe("Threads per core: 1 turns simultaneous multithreading off, 2 (the default) keeps it."),
            )
            .attr(
                "amd_sev_snp",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe("enabled or disabled: AMD SEV-SNP (on the AMD types that support it)."),
            ),
            min_items: 0,
            max_items: Some(1),
            force_new: false,
        },
    )
}

/// Whether the instance type has burstable CPU credits (Terraform asks DescribeInstanceTypes;
/// the families are few and fixed).
pub(crate) fn burstable(instance_type: &str) -> bool {
    matches!(instance_type.split('.').next(), Some("t2" | "t3" | "t3a" | "t4g"))
}

fn int(v: &Value, key: &str) -> Option<i32> {
    v.get(key).as_i64().and_then(|n| i32::try_from(n).ok())
}

/// A value the state manages: set, and not unknown (an argument left out of a create is unknown
/// in the planned value and becomes null: not managed, never read), or the import marker.
fn managed(prior: &Value, key: &str) -> bool {
    let v = prior.get(key);
    !v.is_null() && !v.is_unknown()
}

/// The import marker of `volume_tags` and `credit_specification`: read them, and keep null what
/// is not there (a configuration without them then plans no change).
fn import_marker_value() -> Value {
    string("import")
}

fn is_marker(v: &Value) -> bool {
    v.as_str() == Some("import")
}

/// The volume tags to send, if any.
pub(crate) fn volume_tags(planned: &Value) -> BTreeMap<String, String> {
    str_map(planned, VOLUME_TAGS)
}

/// Adds the settings `planned` gives to a RunInstances call (the volume tags go with the other
/// tag specifications, in `instance.rs`).
pub(crate) fn run_request(mut req: RunInstancesFluentBuilder, planned: &Value) -> RunInstancesFluentBuilder {
    let credits = planned.get(CREDIT);
    let type_ok = opt_str(planned, "instance_type").is_none_or(|t| burstable(&t));
    if let Some(c) = opt_str(credits, "cpu_credits").filter(|_| type_ok) {
        req = req.credit_specification(CreditSpecificationRequest::builder().cpu_credits(c).build());
    }
    let cpu = planned.get(CPU);
    if cpu.as_map().is_some() {
        req = req.cpu_options(
            CpuOptionsRequest::builder()
                .set_core_count(int(cpu, "core_count"))
                .set_threads_per_core(int(cpu, "threads_per_core"))
                .set_amd_sev_snp(opt_str(cpu, "amd_sev_snp").map(|v| AmdSevSnpSpecification::from(v.as_str())))
                .build(),
        );
    }
    if let Some(on) = opt_bool(planned, "hibernation") {
        req = req.hibernation_options(HibernationOptionsRequest::builder().configured(on).build());
    }
    req.set_disable_api_termination(opt_bool(planned, DISABLE_API_TERMINATION))
        .set_disable_api_stop(opt_bool(planned, DISABLE_API_STOP))
        .set_instance_initiated_shutdown_behavior(
            opt_str(planned, SHUTDOWN).map(|v| ShutdownBehavior::from(v.as_str())),
        )
}

/// What refresh reads of these settings beside DescribeInstances: the instance attributes and the
/// credit options, by instance id.
#[derive(Default)]
pub(crate) struct Live {
    attributes: HashMap<String, HashMap<&'static str, Value>>,
    credits: HashMap<String, String>,
}

/// Reads what the states of `wanted` (instance, prior state) manage: one
/// DescribeInstanceCreditSpecifications per 200 burstable instances whose state has the block,
/// and one DescribeInstanceAttribute per instance and managed attribute, a few at a time.
pub(crate) async fn read(ctx: &Ctx, wanted: &[(&aws_sdk_ec2::types::Instance, &Value)]) -> Result<Live, ProviderError> {
    let credit_ids: Vec<String> = wanted
        .iter()
        .filter(|(i, prior)| managed(prior, CREDIT) && i.instance_type().is_some_and(|t| burstable(t.as_str())))
        .filter_map(|(i, _)| i.instance_id().map(str::to_string))
        .collect();
    let credits = if credit_ids.is_empty() {
        HashMap::new()
    } else {
        describe_by_ids(
            ctx,
            &credit_ids,
            |ctx, ids| async move { credit_specs(&ctx, ids).await },
        )
        .await?
    };
    let calls: Vec<(String, &'static str, InstanceAttributeName)> = wanted
        .iter()
        .flat_map(|(i, prior)| {
            let id = i.instance_id().unwrap_or_default().to_string();
            INSTANCE_ATTRIBUTES
                .iter()
                .filter(|(key, _)| managed(prior, key))
                .map(move |(key, name)| (id.clone(), *key, name.clone()))
        })
        .collect();
    let read = concurrently(calls, |(id, key, name)| {
        let ctx = ctx.clone();
        async move {
            let v = instance_attribute(&ctx, &id, key, name).await?;
            Ok((id, key, v))
        }
    })
    .await?;
    let mut attributes: HashMap<String, HashMap<&'static str, Value>> = HashMap::new();
    for (id, key, v) in read {
        attributes.entry(id).or_default().insert(key, v);
    }
    Ok(Live { attributes, credits })
}

/// The credit options of `ids`, or `None` when one of them is gone (the call fails as a whole).
async fn credit_specs(ctx: &Ctx, ids: Vec<String>) -> Result<Option<Vec<(String, String)>>, ProviderError> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let resp = match ctx
            .ec2
            .describe_instance_credit_specifications()
            .set_instance_ids(Some(ids.clone()))
            .set_next_token(next.take())
            .send()
            .boxed()
            .await
        {
            Ok(r) => r,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => return Err(aws_error(e)),
        };
        out.extend(
            resp.instance_credit_specifications()
                .iter()
                .filter_map(|c| Some((c.instance_id()?.to_string(), c.cpu_credits()?.to_string()))),
        );
        match resp.next_token() {
            Some(t) if !t.is_empty() => next = Some(t.to_string()),
            _ => return Ok(Some(out)),
        }
    }
}

/// One instance attribute as the state holds it.
async fn instance_attribute(
    ctx: &Ctx,
    id: &str,
    key: &str,
    name: InstanceAttributeName,
) -> Result<Value, ProviderError> {
    let resp = match ctx
        .ec2
        .describe_instance_attribute()
        .instance_id(id)
        .attribute(name)
        .send()
        .boxed()
        .await
    {
        Ok(r) => r,
        // Gone between DescribeInstances and now: the instance read says so.
        Err(e) if is_not_found(&e) => return Ok(Value::Null),
        Err(e) => return Err(aws_error(e)),
    };
    let flag = |b: Option<&AttributeBooleanValue>| Value::Bool(b.and_then(|b| b.value()).unwrap_or(false));
    Ok(match key {
        DISABLE_API_TERMINATION => flag(resp.disable_api_termination()),
        DISABLE_API_STOP => flag(resp.disable_api_stop()),
        _ => opt_string(resp.instance_initiated_shutdown_behavior().and_then(|v| v.value())),
    })
}

/// A block with its unknown sub-arguments made null (a create's planned block, kept where AWS
/// reports nothing).
fn known(block: &Value) -> Value {
    match block {
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), if v.is_unknown() { Value::Null } else { v.clone() }))
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// The settings' values of instance `i` read against `prior`, with `volumes` (the instance's
/// volumes, when read) and `live` (the attributes and credits read).
pub(crate) fn values(
    i: &aws_sdk_ec2::types::Instance,
    volumes: &HashMap<String, aws_sdk_ec2::types::Volume>,
    live: &Live,
    prior: &Value,
) -> Vec<(&'static str, Value)> {
    let id = i.instance_id().unwrap_or_default();
    let attrs = live.attributes.get(id);
    let mut out: Vec<(&'static str, Value)> = INSTANCE_ATTRIBUTES
        .iter()
        .map(|(key, _)| {
            let v = match attrs.and_then(|a| a.get(key)) {
                Some(v) => v.clone(),
                None if managed(prior, key) => prior.get(key).clone(),
                None => Value::Null,
            };
            (*key, v)
        })
        .collect();
    out.push((
        "hibernation",
        Value::Bool(i.hibernation_options().and_then(|h| h.configured()).unwrap_or(false)),
    ));
    // Read when the state has the block (as metadata_options). AWS reports the CPU options of
    // every instance; where nothing is reported (an emulator), the configured block is kept.
    let cpu = match i.cpu_options() {
        _ if prior.get(CPU).is_null() => Value::Null,
        Some(c) if c.core_count().is_some() || c.threads_per_core().is_some() => Value::object([
            (
                "core_count",
                c.core_count().map_or(Value::Null, |n| Value::int(i64::from(n))),
            ),
            (
                "threads_per_core",
                c.threads_per_core().map_or(Value::Null, |n| Value::int(i64::from(n))),
            ),
            ("amd_sev_snp", opt_string(c.amd_sev_snp().map(|v| v.as_str()))),
        ]),
        _ if is_marker(prior.get(CPU)) => Value::Null,
        _ => known(prior.get(CPU)),
    };
    out.push((CPU, cpu));
    let credit = match live.credits.get(id) {
        Some(c) => Value::object([("cpu_credits", string(c))]),
        // Not burstable, or not managed: what the state has.
        None if is_marker(prior.get(CREDIT)) => Value::Null,
        None => known(prior.get(CREDIT)),
    };
    out.push((CREDIT, credit));
    let tags = if managed(prior, VOLUME_TAGS) {
        let mut all = plinth_sdk::Map::new();
        for v in super::block_device::volume_ids(i).iter().filter_map(|v| volumes.get(v)) {
            for t in v.tags() {
                if let (Some(k), Some(val)) = (t.key(), t.value())
                    && !k.starts_with("aws:")
                {
                    all.insert(k.to_string(), string(val));
                }
            }
        }
        if all.is_empty() && is_marker(prior.get(VOLUME_TAGS)) {
            Value::Null
        } else {
            Value::Map(all)
        }
    } else {
        Value::Null
    };
    out.push((VOLUME_TAGS, tags));
    out
}

/// The `cpu_options` sub-arguments whose change replaces the instance: those the planned block
/// gives (known) and the state's block has otherwise. A block newly configured on an instance
/// whose state does not manage it replaces nothing: the apply reads it, and a difference then
/// shows in the next plan.
pub(crate) fn cpu_replace_paths(planned: &Value, prior: Option<&Value>) -> Vec<AttrPath> {
    let Some(before) = prior.map(|p| p.get(CPU)).filter(|b| b.as_map().is_some()) else {
        return Vec::new();
    };
    let Some(want) = planned.get(CPU).as_map() else {
        return Vec::new();
    };
    want.iter()
        .filter(|(k, v)| !v.is_null() && !v.is_unknown() && before.get(k) != *v)
        .map(|(k, _)| AttrPath(vec![PathStep::Attr(CPU.into()), PathStep::Attr(k.clone())]))
        .collect()
}

/// Whether refresh must read the instance's volumes for these settings.
pub(crate) fn needs_volumes(prior: &Value) -> bool {
    managed(prior, VOLUME_TAGS)
}

/// Applies the in-place changes from `prior` to `planned` on instance `id` (a volume tag change
/// is made on every volume the instance has now).
pub(crate) async fn update(ctx: &Ctx, id: &str, prior: &Value, planned: &Value) -> Result<(), ProviderError> {
    for (key, attr) in [
        (DISABLE_API_TERMINATION, InstanceAttributeName::DisableApiTermination),
        (DISABLE_API_STOP, InstanceAttributeName::DisableApiStop),
    ] {
        if let Some(want) = opt_bool(planned, key)
            && opt_bool(prior, key) != Some(want)
        {
            set_flag(ctx, id, attr, want).await?;
        }
    }
    if let Some(want) = opt_str(planned, SHUTDOWN)
        && opt_str(prior, SHUTDOWN).as_deref() != Some(want.as_str())
    {
        // The Attribute/Value form of ModifyInstanceAttribute (AWS takes it and the
        // InstanceInitiatedShutdownBehavior member alike).
        ctx.ec2
            .modify_instance_attribute()
            .instance_id(id)
            .attribute(InstanceAttributeName::InstanceInitiatedShutdownBehavior)
            .value(want)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    let type_ok = opt_str(planned, "instance_type").is_none_or(|t| burstable(&t));
    if let Some(want) = opt_str(planned.get(CREDIT), "cpu_credits").filter(|_| type_ok)
        && opt_str(prior.get(CREDIT), "cpu_credits").as_deref() != Some(want.as_str())
    {
        ctx.ec2
            .modify_instance_credit_specification()
            .instance_credit_specifications(
                InstanceCreditSpecificationRequest::builder()
                    .instance_id(id)
                    .cpu_credits(want)
                    .build(),
            )
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    let (have, want) = (str_map(prior, VOLUME_TAGS), volume_tags(planned));
    if have != want {
        let found = super::instance::describe(ctx, &[id.to_string()]).await?;
        let volume_ids = found
            .get(id)
            .map(|(_, i)| super::block_device::volume_ids(i))
            .unwrap_or_default();
        for v in &volume_ids {
            sync_tags(ctx, Tagged::Ec2(v), &have, &want).await?;
        }
    }
    Ok(())
}

async fn set_flag(ctx: &Ctx, id: &str, attr: InstanceAttributeName, on: bool) -> Result<(), ProviderError> {
    let value = AttributeBooleanValue::builder().value(on).build();
    let req = ctx.ec2.modify_instance_attribute().instance_id(id);
    let req = match attr {
        InstanceAttributeName::DisableApiStop => req.disable_api_stop(value),
        _ => req.disable_api_termination(value),
    };
    req.send().boxed().await.map(drop).map_err(aws_error)
}

/// Before destroy: turns off the termination and stop protection the state has on, as Terraform
/// does, so that TerminateInstances is not refused.
pub(crate) async fn unprotect(ctx: &Ctx, id: &str, prior: &Value) -> Result<(), ProviderError> {
    if opt_bool(prior, DISABLE_API_TERMINATION) == Some(true) {
        set_flag(ctx, id, InstanceAttributeName::DisableApiTermination, false).await?;
    }
    if opt_bool(prior, DISABLE_API_STOP) == Some(true) {
        set_flag(ctx, id, InstanceAttributeName::DisableApiStop, false).await?;
    }
    Ok(())
}

/// The import markers: read every setting once.
pub(crate) fn import_marker() -> [(&'static str, Value); 6] {
    [
        (DISABLE_API_TERMINATION, Value::Bool(false)),
        (DISABLE_API_STOP, Value::Bool(false)),
        (SHUTDOWN, string("stop")),
        (VOLUME_TAGS, import_marker_value()),
        (CREDIT, import_marker_value()),
        (CPU, import_marker_value()),
    ]
}
