//! `aws_sagemaker_notebook_instance`: a managed Jupyter notebook server. Create waits until it
//! is InService. Most settings change in place, but SageMaker only updates a stopped notebook:
//! an update stops it, calls UpdateNotebookInstance, and starts it again if it was running.
//! Delete likewise stops it first. Terraform's defaults (volume_size 5, root_access and
//! direct_internet_access "Enabled") are filled in at plan time, so the plan shows them and a
//! change made outside Plinth is drift.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_notebook_instance::DescribeNotebookInstanceOutput;
use aws_sdk_sagemaker::types::{DirectInternetAccess, InstanceMetadataServiceConfiguration, InstanceType, RootAccess};
use futures::FutureExt as _;
use plinth_sdk::{AttrPath, Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::adopt;
use super::{
    Kind, Listed, SageMakerType, Status, block, list_named, opt_i32, single, sm_tags, time, wait_status, with_arn_id,
    with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, opt_str, opt_string, req_str, sorted_strings, str_list, string};

pub struct NotebookInstance;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_notebook_instance",
    noun: "notebook instance",
    name_attr: "name",
    stamp: Some("last_modified_time"),
    tagged: true,
    schema: &SCHEMA,
};

/// The attributes UpdateNotebookInstance changes (each needs the notebook stopped).
const UPDATABLE: [&str; 8] = [
    "role_arn",
    "instance_type",
    "volume_size",
    "lifecycle_config_name",
    "default_code_repository",
    "additional_code_repositories",
    "root_access",
    "instance_metadata_service_configuration",
];

/// Terraform's schema defaults, applied when the configuration leaves the attribute out.
const DEFAULTS: [(&str, DefaultValue); 3] = [
    ("volume_size", DefaultValue::Int(5)),
    ("root_access", DefaultValue::Str("Enabled")),
    ("direct_internet_access", DefaultValue::Str("Enabled")),
];

enum DefaultValue {
    Int(i64),
    Str(&'static str),
}

fn strings() -> Type {
    Type::Set(Box::new(Type::String))
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let imds = Schema::new("The instance metadata service (IMDS) the notebook's instance offers.").attr(
        "minimum_instance_metadata_service_version",
        Attribute::optional_computed(Type::String)
            .describe("\"1\" (IMDSv1 and v2) or \"2\" (IMDSv2 only); AWS's default when omitted."),
    );
    with_tags(with_arn_id(
        Schema::new(
            "A SageMaker notebook instance (a managed Jupyter server). Create waits until it is InService. \
             role_arn, instance_type, volume_size (growing only: a smaller one replaces), lifecycle_config_name, \
             the code repositories, root_access and the metadata service setting change in place: SageMaker \
             updates only a stopped notebook, so the update stops it, updates, waits for Stopped and starts it \
             again if it was running (the waits honour the provider's timeout). Delete stops it first. Refresh: \
             one ListNotebookInstances per 100 notebooks (name filter), DescribeNotebookInstance only for one \
             modified since the last refresh, and one ListTags each. Import with the notebook name.",
        )
        .attr(
            "name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The notebook instance name."),
        )
        .attr(
            "role_arn",
            Attribute::required(Type::String).describe("The IAM role the notebook runs as (its AWS permissions)."),
        )
        .attr(
            "instance_type",
            Attribute::required(Type::String).describe("The ML instance type, such as ml.t3.medium."),
        )
        .attr(
            "platform_identifier",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The platform: notebook-al2-v2, notebook-al2-v3 ...; AWS's default when omitted."),
        )
        .attr(
            "volume_size",
            Attribute::optional(Type::Number)
                .describe("The ML storage volume in GB (default 5). Growing changes in place; shrinking replaces."),
        )
        .attr(
            "subnet_id",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The VPC subnet the notebook's network interface is placed in."),
        )
        .attr(
            "security_groups",
            Attribute::optional_computed(strings())
                .force_new()
                .describe("Security group ids for the network interface (with subnet_id)."),
        )
        .attr(
            "kms_key_id",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The KMS key encrypting the ML storage volume."),
        )
        .attr(
            "lifecycle_config_name",
            Attribute::optional(Type::String).describe(
                "The aws_sagemaker_notebook_instance_lifecycle_configuration to run; removing it disassociates it.",
            ),
        )
        .attr(
            "direct_internet_access",
            Attribute::optional(Type::String)
                .force_new()
                .describe("\"Enabled\" (default) or \"Disabled\" (traffic only through the VPC; needs subnet_id)."),
        )
        .attr(
            "root_access",
            Attribute::optional(Type::String)
                .describe("Whether users get root in the notebook: \"Enabled\" (default) or \"Disabled\"."),
        )
        .attr(
            "default_code_repository",
            Attribute::optional(Type::String).describe(
                "A Git repository (an aws_sagemaker_code_repository name or a URL) cloned as the notebook's working \
                 directory; removing it disassociates it.",
            ),
        )
        .attr(
            "additional_code_repositories",
            Attribute::optional(strings()).describe("Up to 3 more Git repositories cloned next to the default one."),
        )
        .attr(
            "url",
            Attribute::computed(Type::String).describe("The notebook's URL (without https://)."),
        )
        .attr(
            "network_interface_id",
            Attribute::computed(Type::String).describe("The network interface in subnet_id, if any."),
        )
        .attr(
            "last_modified_time",
            Attribute::computed(Type::String).describe("When the notebook last changed (RFC 3339)."),
        )
        .block("instance_metadata_service_configuration", single(imds, 0, false)),
    ))
    .identity(&["name"])
});

/// The notebook's status and failure reason.
impl Status for DescribeNotebookInstanceOutput {
    fn status(&self) -> (&str, Option<&str>) {
        let status = self.notebook_instance_status().map(|s| s.as_str());
        (status.unwrap_or_default(), self.failure_reason())
    }
}

/// A string set from AWS: `Null` when empty, unless the prior value was an empty set.
fn string_set(items: &[String], prior: &Value) -> Value {
    match items {
        [] if prior.as_list().is_some_and(Vec::is_empty) => Value::List(vec![]),
        [] => Value::Null,
        _ => sorted_strings(items),
    }
}

fn imds(planned: &Value) -> Option<InstanceMetadataServiceConfiguration> {
    let b = block(planned, "instance_metadata_service_configuration")?;
    let version = b.get("minimum_instance_metadata_service_version").as_str()?;
    Some(
        InstanceMetadataServiceConfiguration::builder()
            .minimum_instance_metadata_service_version(version)
            .build(),
    )
}

/// Waits until the notebook is in one of `done`; Failed is an error.
async fn wait_for_status(
    ctx: &Ctx,
    name: &str,
    done: &[&str],
) -> Result<DescribeNotebookInstanceOutput, ProviderError> {
    let failing: &[&str] = if done.contains(&"Failed") { &[] } else { &["Failed"] };
    wait_status(ctx, &KIND.what(name), done, failing, || {
        NotebookInstance::describe(ctx, name)
    })
    .await
}

/// Stops the notebook unless it is stopped (or failed) already and waits for that; the status
/// it had before, once settled (None when it does not exist).
async fn stop(ctx: &Ctx, name: &str) -> Result<Option<String>, ProviderError> {
    let Some(d) = NotebookInstance::describe(ctx, name).await? else {
        return Ok(None);
    };
    let mut status = d.status().0.to_string();
    // A notebook in transition cannot be stopped yet: let it settle first.
    if matches!(status.as_str(), "Pending" | "Updating" | "Stopping") {
        let settled = wait_for_status(ctx, name, &["InService", "Stopped", "Failed"]).await?;
        status = settled.status().0.to_string();
    }
    if status == "InService" {
        ctx.sagemaker
            .stop_notebook_instance()
            .notebook_instance_name(name)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        wait_for_status(ctx, name, &["Stopped", "Failed"]).await?;
    }
    Ok(Some(status))
}

#[async_trait]
impl SageMakerType for NotebookInstance {
    type Described = DescribeNotebookInstanceOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    /// Terraform's defaults fill unset attributes; a smaller volume replaces the notebook.
    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut config = req.config.as_map().cloned().unwrap_or_default();
        for (k, d) in DEFAULTS {
            if config.get(k).is_none_or(Value::is_null) {
                let v = match d {
                    DefaultValue::Int(n) => Value::int(n),
                    DefaultValue::Str(s) => string(s),
                };
                config.insert(k.to_string(), v);
            }
        }
        let req = PlanRequest {
            config: Value::Map(config),
            ..req.clone()
        };
        let mut resp = super::plan(&SCHEMA, ctx, &req);
        let shrinks = match (&req.prior, resp.planned.get("volume_size").as_f64()) {
            (Some(prior), Some(new)) => prior.get("volume_size").as_f64().is_some_and(|old| new < old),
            _ => false,
        };
        if shrinks {
            let mut fresh = super::plan(&SCHEMA, ctx, &PlanRequest { prior: None, ..req });
            fresh.requires_replace = resp.requires_replace;
            fresh.requires_replace.push(AttrPath::attr("volume_size"));
            resp = fresh;
        }
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "name")?;
        let tags = ctx.merged_tags(planned.get("tags"));
        let groups = str_list(planned, "security_groups");
        let repos = str_list(planned, "additional_code_repositories");
        let sent = ctx
            .sagemaker
            .create_notebook_instance()
            .notebook_instance_name(&name)
            .role_arn(req_str(planned, "role_arn")?)
            .instance_type(InstanceType::from(req_str(planned, "instance_type")?.as_str()))
            .set_platform_identifier(opt_str(planned, "platform_identifier"))
            .set_volume_size_in_gb(opt_i32(planned, "volume_size"))
            .set_subnet_id(opt_str(planned, "subnet_id"))
            .set_security_group_ids((!groups.is_empty()).then_some(groups))
            .set_kms_key_id(opt_str(planned, "kms_key_id"))
            .set_lifecycle_config_name(opt_str(planned, "lifecycle_config_name"))
            .set_direct_internet_access(
                opt_str(planned, "direct_internet_access").map(|s| DirectInternetAccess::from(s.as_str())),
            )
            .set_root_access(opt_str(planned, "root_access").map(|s| RootAccess::from(s.as_str())))
            .set_default_code_repository(opt_str(planned, "default_code_repository"))
            .set_additional_code_repositories((!repos.is_empty()).then_some(repos))
            .set_instance_metadata_service_configuration(imds(planned))
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        let waited = wait_for_status(ctx, &name, &["InService"]).await;
        self.settled(ctx, &name, waited, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeNotebookInstanceOutput>, ProviderError> {
        let call = ctx
            .sagemaker
            .describe_notebook_instance()
            .notebook_instance_name(name)
            .send()
            .boxed();
        call_found(call).await
    }

    fn to_value(d: &DescribeNotebookInstanceOutput, prior: &Value) -> Value {
        let name = d.notebook_instance_name().unwrap_or_default();
        let imds = d.instance_metadata_service_configuration().map(|c| {
            Value::object([(
                "minimum_instance_metadata_service_version",
                opt_string(c.minimum_instance_metadata_service_version()),
            )])
        });
        Value::object([
            ("name", string(name)),
            ("id", string(name)),
            ("arn", opt_string(d.notebook_instance_arn())),
            ("role_arn", opt_string(d.role_arn())),
            ("instance_type", opt_string(d.instance_type().map(|t| t.as_str()))),
            ("platform_identifier", opt_string(d.platform_identifier())),
            ("volume_size", super::int(d.volume_size_in_gb())),
            ("subnet_id", opt_string(d.subnet_id())),
            (
                "security_groups",
                string_set(d.security_groups(), prior.get("security_groups")),
            ),
            ("kms_key_id", opt_string(d.kms_key_id())),
            (
                "lifecycle_config_name",
                opt_string(d.notebook_instance_lifecycle_config_name()),
            ),
            (
                "direct_internet_access",
                opt_string(d.direct_internet_access().map(|a| a.as_str())),
            ),
            ("root_access", opt_string(d.root_access().map(|a| a.as_str()))),
            ("default_code_repository", opt_string(d.default_code_repository())),
            (
                "additional_code_repositories",
                string_set(
                    d.additional_code_repositories(),
                    prior.get("additional_code_repositories"),
                ),
            ),
            ("url", opt_string(d.url())),
            ("network_interface_id", opt_string(d.network_interface_id())),
            ("last_modified_time", time(d.last_modified_time())),
            ("instance_metadata_service_configuration", imds.unwrap_or(Value::Null)),
        ])
    }

    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |filter| {
            let list = ctx
                .sagemaker
                .list_notebook_instances()
                .set_name_contains(filter)
                .max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(names, items, |n| {
            let listed = Listed::new(n.notebook_instance_arn(), n.last_modified_time());
            Some((n.notebook_instance_name()?.to_string(), listed))
        });
        Ok(Some(listed.await?))
    }

    /// Stops the notebook (SageMaker deletes only a stopped or failed one), then deletes it.
    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        if stop(ctx, name).await?.is_none() {
            return Ok(false);
        }
        let call = ctx
            .sagemaker
            .delete_notebook_instance()
            .notebook_instance_name(name)
            .send()
            .boxed();
        delete_call(call).await
    }

    /// Stops the notebook, updates it, and starts it again if it was running.
    async fn update_in_place(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Option<Value>, ProviderError> {
        let changed = |k: &str| !plinth_sdk::plan::same(planned.get(k), prior.get(k));
        if !UPDATABLE.iter().any(|k| changed(k)) {
            return Ok(None);
        }
        let name = req_str(prior, "name")?;
        let before = stop(ctx, &name)
            .await?
            .ok_or_else(|| super::missing(KIND.noun, &name))?;
        let mut call = ctx.sagemaker.update_notebook_instance().notebook_instance_name(&name);
        if changed("role_arn") {
            call = call.role_arn(req_str(planned, "role_arn")?);
        }
        if changed("instance_type") {
            call = call.instance_type(InstanceType::from(req_str(planned, "instance_type")?.as_str()));
        }
        if changed("volume_size") {
            call = call.set_volume_size_in_gb(opt_i32(planned, "volume_size"));
        }
        if changed("lifecycle_config_name") {
            call = match opt_str(planned, "lifecycle_config_name") {
                Some(l) => call.lifecycle_config_name(l),
                None => call.disassociate_lifecycle_config(true),
            };
        }
        if changed("default_code_repository") {
            call = match opt_str(planned, "default_code_repository") {
                Some(r) => call.default_code_repository(r),
                None => call.disassociate_default_code_repository(true),
            };
        }
        if changed("additional_code_repositories") {
            let repos = str_list(planned, "additional_code_repositories");
            call = if repos.is_empty() {
                call.disassociate_additional_code_repositories(true)
            } else {
                call.set_additional_code_repositories(Some(repos))
            };
        }
        if changed("root_access") {
            call = call.set_root_access(opt_str(planned, "root_access").map(|s| RootAccess::from(s.as_str())));
        }
        if changed("instance_metadata_service_configuration") {
            call = call.set_instance_metadata_service_configuration(imds(planned));
        }
        call.send().boxed().await.map_err(aws_error)?;
        let mut d = wait_for_status(ctx, &name, &["Stopped"]).await?;
        if before == "InService" {
            ctx.sagemaker
                .start_notebook_instance()
                .notebook_instance_name(&name)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            d = wait_for_status(ctx, &name, &["InService"]).await?;
        }
        Ok(Some(Self::to_value(&d, planned)))
    }
}
