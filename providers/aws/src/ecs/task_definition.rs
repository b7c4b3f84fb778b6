//! `aws_ecs_task_definition`: one revision of a task definition family. Revisions are immutable,
//! so every change but tags (and Plinth-side flags) registers a new revision, planned as a
//! replacement; destroy deregisters the revision (or leaves it, with `skip_destroy`).
//!
//! `container_definitions` is JSON text read into the SDK's own types (`ecs::decode_definitions`):
//! an unknown field is a validation error, and the text is compared by meaning with what AWS
//! returns (`ecs::definitions_equivalent`), so AWS's filled-in defaults are not a change.
//!
//! Refresh: one DescribeTaskDefinition per revision (the API reads one at a time), a few at once.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ecs::operation::describe_task_definition::DescribeTaskDefinitionOutput;
use aws_sdk_ecs::types::{
    Compatibility, CpuArchitecture, EphemeralStorage, HostVolumeProperties, IpcMode, NetworkMode, OsFamily, PidMode,
    RuntimePlatform, TaskDefinition as Td, TaskDefinitionField, TaskDefinitionStatus, Volume,
};
use futures::FutureExt as _;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::{decode_definitions, definitions_equivalent, ecs_tags, encode_definitions, tags_of};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{
    error_at, items, list, list_of_strings, number, one_of, opt_bool, opt_i64, opt_str, opt_string, plan_blocks,
    read_each, req_str, str_list, string, with_defaults,
};
use crate::{AwsResource, Ctx};

pub struct TaskDefinition;

const NETWORK_MODES: &[&str] = &["bridge", "host", "awsvpc", "none"];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let volume = Schema::new("A volume the containers may mount (by name, in mountPoints).")
        .attr(
            "name",
            Attribute::required(Type::String).describe("The volume name (sourceVolume in mountPoints)."),
        )
        .attr(
            "host_path",
            Attribute::optional(Type::String)
                .describe("A path on the container instance; left out, a scratch volume that lives with the task."),
        )
        .attr(
            "configure_at_launch",
            Attribute::optional_computed(Type::Bool)
                .describe("The volume is configured when the task or service is launched (an EBS volume)."),
        )
        .unsupported_blocks(
            &[
                "docker_volume_configuration",
                "efs_volume_configuration",
                "fsx_windows_file_server_volume_configuration",
            ],
            "Plinth supports host and scratch volumes (name, host_path) and configure_at_launch for now: register \
             a task definition with this volume through the AWS CLI and refer to its ARN, or leave the block out",
        );
    let runtime_platform = Schema::new("The platform the task runs on (Fargate: the CPU architecture, the OS).")
        .attr(
            "cpu_architecture",
            Attribute::optional(Type::String).describe("X86_64 or ARM64."),
        )
        .attr(
            "operating_system_family",
            Attribute::optional(Type::String).describe("LINUX, or a WINDOWS_SERVER_... family."),
        );
    let ephemeral_storage = Schema::new("Fargate task storage beyond the default 20 GiB.").attr(
        "size_in_gib",
        Attribute::required(Type::Number).describe("21 to 200 GiB."),
    );
    let set_of_strings = || Type::Set(Box::new(Type::String));
    let schema = Schema::new(
        "A revision of an ECS task definition: the containers of a task, their resources and roles. Import with \
         the revision's ARN (arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION).",
    )
    .attr(
        "family",
        Attribute::required(Type::String)
            .force_new()
            .describe("The family: revisions of the same family share it."),
    )
    .attr(
        "container_definitions",
        Attribute::required(Type::String).force_new().describe(
            "The containers, as a JSON array of ContainerDefinition objects (camelCase keys, as in the ECS API); \
             compared by meaning, so AWS's defaults and the order of containers and environment are no change.",
        ),
    )
    .attr(
        "cpu",
        Attribute::optional(Type::String)
            .force_new()
            .describe("CPU units of the task (1024 = one vCPU); required on Fargate."),
    )
    .attr(
        "memory",
        Attribute::optional(Type::String)
            .force_new()
            .describe("Memory of the task in MiB; required on Fargate."),
    )
    .attr(
        "network_mode",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("bridge, host, awsvpc (required on Fargate) or none."),
    )
    .attr(
        "requires_compatibilities",
        Attribute::optional(set_of_strings())
            .force_new()
            .describe("Launch types the task must suit: EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES."),
    )
    .attr(
        "execution_role_arn",
        Attribute::optional(Type::String)
            .force_new()
            .describe("The role ECS uses to pull images and write logs."),
    )
    .attr(
        "task_role_arn",
        Attribute::optional(Type::String)
            .force_new()
            .describe("The role the containers' code runs as."),
    )
    .attr(
        "ipc_mode",
        Attribute::optional(Type::String)
            .force_new()
            .describe("host, task or none."),
    )
    .attr(
        "pid_mode",
        Attribute::optional(Type::String).force_new().describe("host or task."),
    )
    .attr(
        "skip_destroy",
        Attribute::optional(Type::Bool)
            .describe("Destroy leaves the revision registered (default false). Not read from AWS."),
    )
    .attr(
        "track_latest",
        Attribute::optional(Type::Bool).describe(
            "Refresh reads the family's latest ACTIVE revision rather than this one (default false), so a revision \
             registered outside Plinth shows as a change.",
        ),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The family, as Terraform has it."),
    )
    .attr(
        "arn",
        Attribute::computed(Type::String).describe("The revision's ARN (…:task-definition/FAMILY:REVISION)."),
    )
    .attr(
        "arn_without_revision",
        Attribute::computed(Type::String).describe("The family's ARN (…:task-definition/FAMILY)."),
    )
    .attr(
        "revision",
        Attribute::computed(Type::Number).describe("The revision number."),
    )
    .block(
        "volume",
        BlockSchema {
            nesting: Nesting::Set,
            schema: volume,
            min_items: 0,
            max_items: None,
            force_new: true,
        },
    )
    .block("runtime_platform", list(runtime_platform, 0, Some(1), true))
    .block("ephemeral_storage", list(ephemeral_storage, 0, Some(1), true))
    .unsupported(
        "enable_fault_injection",
        "Plinth does not set fault injection yet: leave it out (off), or register the revision with the AWS CLI",
    )
    .unsupported_blocks(
        &["placement_constraints", "proxy_configuration", "inference_accelerator"],
        "Plinth does not register task definitions with placement constraints, an App Mesh proxy or Elastic \
         Inference accelerators yet: leave the block out (GPUs go in the container definition's \
         resourceRequirements)",
    );
    with_tags(schema).identity(&["family"])
});

/// A set of strings for state: sorted; null when AWS has none and the configuration or prior
/// state had none, so an unset argument is not a change from null to [].
fn set_value(mut v: Vec<String>, prior: &Value) -> Value {
    if v.is_empty() && prior.is_null() {
        return Value::Null;
    }
    v.sort();
    v.dedup();
    list_of_strings(v)
}

fn volumes_value(t: &Td) -> Value {
    let mut out: Vec<Value> = t
        .volumes()
        .iter()
        .map(|v| {
            Value::object([
                ("name", opt_string(v.name())),
                ("host_path", opt_string(v.host().and_then(|h| h.source_path()))),
                (
                    "configure_at_launch",
                    Value::Bool(v.configured_at_launch().unwrap_or(false)),
                ),
            ])
        })
        .collect();
    out.sort_by_key(|v| v.to_json().to_string());
    Value::List(out)
}

fn to_value(ctx: &Ctx, t: &Td, tags: &BTreeMap<String, String>, prior: &Value) -> Value {
    let arn = t.task_definition_arn().unwrap_or_default();
    let family = t.family().unwrap_or_default();
    let awsvpc = t.network_mode() == Some(&NetworkMode::Awsvpc);
    let live = encode_definitions(t.container_definitions()).unwrap_or_default();
    let definitions = match prior.get("container_definitions").as_str() {
        Some(p) if definitions_equivalent(p, &live, awsvpc) => string(p),
        _ => string(live),
    };
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let runtime = match t.runtime_platform() {
        Some(r) => Value::List(vec![Value::object([
            ("cpu_architecture", opt_string(r.cpu_architecture().map(|c| c.as_str()))),
            (
                "operating_system_family",
                opt_string(r.operating_system_family().map(|o| o.as_str())),
            ),
        ])]),
        None => Value::List(vec![]),
    };
    let storage = match t.ephemeral_storage() {
        Some(e) => Value::List(vec![Value::object([("size_in_gib", number(e.size_in_gib()))])]),
        None => Value::List(vec![]),
    };
    let compat: Vec<String> = t
        .requires_compatibilities()
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    Value::object([
        ("id", string(family)),
        ("arn", string(arn)),
        (
            "arn_without_revision",
            string(arn.rsplit_once(':').map(|(a, _)| a).unwrap_or(arn)),
        ),
        ("revision", number(t.revision())),
        ("family", string(family)),
        ("container_definitions", definitions),
        ("cpu", opt_string(t.cpu())),
        ("memory", opt_string(t.memory())),
        ("network_mode", opt_string(t.network_mode().map(|m| m.as_str()))),
        (
            "requires_compatibilities",
            set_value(compat, prior.get("requires_compatibilities")),
        ),
        ("execution_role_arn", opt_string(t.execution_role_arn())),
        ("task_role_arn", opt_string(t.task_role_arn())),
        ("ipc_mode", opt_string(t.ipc_mode().map(|m| m.as_str()))),
        ("pid_mode", opt_string(t.pid_mode().map(|m| m.as_str()))),
        (
            "skip_destroy",
            Value::Bool(opt_bool(prior, "skip_destroy").unwrap_or(false)),
        ),
        (
            "track_latest",
            Value::Bool(opt_bool(prior, "track_latest").unwrap_or(false)),
        ),
        ("volume", volumes_value(t)),
        ("runtime_platform", runtime),
        ("ephemeral_storage", storage),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The family's latest ACTIVE revision, when it carries this create's bookkeeping tags (an
/// earlier, interrupted attempt of this create registered it) and is not the revision being
/// replaced (matched by ARN: the state's `id` is the family): its ARN.
async fn registered_before(ctx: &Ctx, family: &str, creating: &Creating) -> Result<Option<String>, ProviderError> {
    if !creating.tracked() {
        return Ok(None);
    }
    let Some(out) = describe_raw(ctx, family).await? else {
        return Ok(None);
    };
    let Some(t) = out.task_definition() else {
        return Ok(None);
    };
    let arn = t.task_definition_arn().unwrap_or_default();
    let replaced = creating.replacing.as_ref().and_then(|r| r.get("arn").as_str()) == Some(arn);
    let made = creating.made(out.tags().iter().map(|t| (t.key(), t.value())));
    let active = t.status() == Some(&TaskDefinitionStatus::Active);
    Ok((made && active && !replaced).then(|| arn.to_string()))
}

/// DescribeTaskDefinition of a family or revision with its tags; `None` for a missing one (ECS
/// answers it with a ClientException, "Unable to describe task definition").
async fn describe_raw(ctx: &Ctx, id: &str) -> Result<Option<DescribeTaskDefinitionOutput>, ProviderError> {
    match ctx
        .ecs
        .describe_task_definition()
        .task_definition(id)
        .include(TaskDefinitionField::Tags)
        .send()
        .boxed()
        .await
    {
        Ok(out) => Ok(Some(out)),
        Err(e) => match aws_error(e) {
            e if e.code.as_deref() == Some("ClientException") => Ok(None),
            e => Err(e),
        },
    }
}

/// The revision (or, by family, the latest ACTIVE one) and its tags; `None` when it does not
/// exist or is INACTIVE (deregistered).
async fn describe(ctx: &Ctx, id: &str) -> Result<Option<(Td, BTreeMap<String, String>)>, ProviderError> {
    let Some(out) = describe_raw(ctx, id).await? else {
        return Ok(None);
    };
    let Some(t) = out.task_definition() else {
        return Ok(None);
    };
    if t.status() == Some(&TaskDefinitionStatus::Inactive) {
        return Ok(None);
    }
    Ok(Some((t.clone(), tags_of(out.tags()))))
}

/// What refresh reads: the family with `track_latest`, else the revision.
fn read_key(state: &Value) -> Option<String> {
    if opt_bool(state, "track_latest") == Some(true) {
        opt_str(state, "family")
    } else {
        opt_str(state, "arn")
    }
}

fn volumes_of(v: &Value) -> Option<Vec<Volume>> {
    let out: Vec<Volume> = items(v, "volume")
        .iter()
        .map(|vol| {
            Volume::builder()
                .set_name(opt_str(vol, "name"))
                .set_host(opt_str(vol, "host_path").map(|p| HostVolumeProperties::builder().source_path(p).build()))
                .set_configured_at_launch(opt_bool(vol, "configure_at_launch"))
                .build()
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

#[async_trait]
impl AwsResource for TaskDefinition {
    fn type_name(&self) -> &'static str {
        "aws_ecs_task_definition"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        if let Some(text) = config.get("container_definitions").as_str()
            && let Err(e) = decode_definitions(text)
        {
            out.push(error_at("container_definitions", "Invalid container_definitions", e));
        }
        if let Some(f) = config.get("family").as_str()
            && (f.is_empty()
                || f.len() > 255
                || !f.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        {
            out.push(error_at(
                "family",
                "Invalid family",
                format!("{f:?}: 1 to 255 letters, digits, hyphens and underscores"),
            ));
        }
        out.extend(one_of(config.get("network_mode"), "network_mode", NETWORK_MODES));
        out.extend(one_of(config.get("ipc_mode"), "ipc_mode", &["host", "task", "none"]));
        out.extend(one_of(config.get("pid_mode"), "pid_mode", &["host", "task"]));
        for c in config.get("requires_compatibilities").as_list().into_iter().flatten() {
            out.extend(one_of(
                c,
                "requires_compatibilities",
                &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"],
            ));
        }
        for (i, r) in items(config, "runtime_platform").iter().enumerate() {
            out.extend(one_of(
                r.get("cpu_architecture"),
                &format!("runtime_platform[{i}].cpu_architecture"),
                &["X86_64", "ARM64"],
            ));
        }
        for (i, e) in items(config, "ephemeral_storage").iter().enumerate() {
            if let Some(n) = opt_i64(e, "size_in_gib")
                && !(21..=200).contains(&n)
            {
                out.push(error_at(
                    &format!("ephemeral_storage[{i}].size_in_gib"),
                    "Invalid size_in_gib",
                    format!("{n}: between 21 and 200"),
                ));
            }
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut config = with_defaults(
            &req.config,
            &[
                ("skip_destroy", Value::Bool(false)),
                ("track_latest", Value::Bool(false)),
            ],
        );
        // The same containers written another way keep the text in state: no new revision.
        if let (Some(prior), Value::Map(m)) = (req.prior.as_ref(), &mut config)
            && let (Some(want), Some(have)) = (
                m.get("container_definitions").and_then(Value::as_str),
                prior.get("container_definitions").as_str(),
            )
        {
            let mode = m
                .get("network_mode")
                .and_then(Value::as_str)
                .or(prior.get("network_mode").as_str());
            if want != have && definitions_equivalent(want, have, mode == Some("awsvpc")) {
                m.insert("container_definitions".into(), string(have));
            }
        }
        let req = PlanRequest { config, ..req.clone() };
        let mut resp = plan_blocks(&SCHEMA, &req);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): RegisterTaskDefinition takes
    /// no token and makes a new revision each time, so the revision gets the bookkeeping tags,
    /// and before registering, the family's latest ACTIVE revision (one DescribeTaskDefinition)
    /// is adopted when it carries them with this address and state and is not the revision being
    /// replaced.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let family = req_str(planned, "family")?;
        if let Some(arn) = registered_before(ctx, &family, creating).await? {
            tracing::info!(address = %creating.address, arn, "adopting the revision an earlier, interrupted create registered");
            let (t, tags) = describe(ctx, &arn).await?.ok_or_else(|| {
                ProviderError::with_code("ClientException", format!("task definition {arn} disappeared"))
            })?;
            return Ok(to_value(ctx, &t, &tags, planned));
        }
        let defs = decode_definitions(&req_str(planned, "container_definitions")?)
            .map_err(|e| ProviderError::with_code("InvalidParameterValue", format!("container_definitions: {e}")))?;
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let runtime = items(planned, "runtime_platform").first().map(|r| {
            RuntimePlatform::builder()
                .set_cpu_architecture(opt_str(r, "cpu_architecture").map(|c| CpuArchitecture::from(c.as_str())))
                .set_operating_system_family(opt_str(r, "operating_system_family").map(|o| OsFamily::from(o.as_str())))
                .build()
        });
        let storage = items(planned, "ephemeral_storage")
            .first()
            .and_then(|e| opt_i64(e, "size_in_gib"))
            .map(|n| EphemeralStorage::builder().size_in_gib(n as i32).build());
        let compat: Vec<Compatibility> = str_list(planned, "requires_compatibilities")
            .iter()
            .map(|c| Compatibility::from(c.as_str()))
            .collect();
        let out = ctx
            .ecs
            .register_task_definition()
            .family(&family)
            .set_container_definitions(Some(defs))
            .set_cpu(opt_str(planned, "cpu"))
            .set_memory(opt_str(planned, "memory"))
            .set_network_mode(opt_str(planned, "network_mode").map(|m| NetworkMode::from(m.as_str())))
            .set_requires_compatibilities((!compat.is_empty()).then_some(compat))
            .set_execution_role_arn(opt_str(planned, "execution_role_arn"))
            .set_task_role_arn(opt_str(planned, "task_role_arn"))
            .set_ipc_mode(opt_str(planned, "ipc_mode").map(|m| IpcMode::from(m.as_str())))
            .set_pid_mode(opt_str(planned, "pid_mode").map(|m| PidMode::from(m.as_str())))
            .set_volumes(volumes_of(planned))
            .set_runtime_platform(runtime)
            .set_ephemeral_storage(storage)
            .set_tags((!tags.is_empty()).then(|| ecs_tags(&tags)))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let arn = out
            .task_definition()
            .and_then(|t| t.task_definition_arn())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::new("RegisterTaskDefinition returned no ARN"))?;
        let (t, tags) = describe(ctx, &arn)
            .await?
            .ok_or_else(|| ProviderError::with_code("ClientException", format!("task definition {arn} disappeared")))?;
        Ok(to_value(ctx, &t, &tags, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let arn = req_str(prior, "arn")?;
        update_tags(ctx, Tagged::Ecs(&arn), prior, planned).await?;
        let (t, tags) = describe(ctx, &arn)
            .await?
            .ok_or_else(|| ProviderError::with_code("ClientException", format!("task definition {arn} disappeared")))?;
        Ok(to_value(ctx, &t, &tags, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        if opt_bool(prior, "skip_destroy") == Some(true) {
            return Ok(());
        }
        let arn = req_str(prior, "arn")?;
        if describe(ctx, &arn).await?.is_none() {
            return Ok(());
        }
        ctx.ecs
            .deregister_task_definition()
            .task_definition(&arn)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let keyed: Vec<Value> = states
            .iter()
            .map(|s| Value::object([("key", opt_string(read_key(s)))]))
            .collect();
        let found = read_each(ctx, &keyed, "key", |ctx, id| async move { describe(&ctx, &id).await }).await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, f)| f.map(|(t, tags)| to_value(ctx, &t, &tags, s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (t, tags) = describe(ctx, id).await?.ok_or_else(|| {
            ProviderError::with_code("ClientException", format!("no ACTIVE ECS task definition {id}"))
        })?;
        Ok(to_value(ctx, &t, &tags, &Value::Null))
    }
}
