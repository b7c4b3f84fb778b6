//! `aws_sagemaker_model`: a model (inference image, artifacts, role) that endpoint
//! configurations serve. SageMaker has no UpdateModel: every attribute but `tags` replaces it.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_model::DescribeModelOutput;
use aws_sdk_sagemaker::types::{
    ContainerDefinition, ContainerMode, ImageConfig, ModelCacheSetting, MultiModelConfig, RepositoryAccessMode,
    RepositoryAuthConfig, VpcConfig,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::adopt;
use super::{
    Kind, Listed, SageMakerType, block, invalid, items, list, list_named, single, sm_tags, string_map, time,
    with_arn_id, with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, list_of_strings, opt_str, opt_string, req_str, str_list, str_map, string};

pub struct Model;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_model",
    noun: "model",
    name_attr: "name",
    stamp: Some("creation_time"),
    tagged: true,
    schema: &SCHEMA,
};

/// One container: `primary_container`, or each of the `container` blocks of an inference pipeline.
fn container_schema() -> Schema {
    let auth = Schema::new("How SageMaker authenticates to a private registry.").attr(
        "repository_credentials_provider_arn",
        Attribute::required(Type::String)
            .describe("ARN of the Lambda function that returns the registry's credentials."),
    );
    let image_config = Schema::new("Where the image is pulled from: ECR, or a private registry in the model's VPC.")
        .attr(
            "repository_access_mode",
            Attribute::required(Type::String).describe("Platform (ECR) or Vpc (a private registry in the VPC)."),
        )
        .block("repository_auth_config", single(auth, 0, true));
    let multi_model = Schema::new("Settings of a MultiModel container.").attr(
        "model_cache_setting",
        Attribute::optional(Type::String).describe("Enabled (the default) or Disabled: whether models are cached."),
    );
    Schema::new("An inference container.")
        .attr(
            "image",
            Attribute::optional(Type::String).describe(
                "The inference image in ECR (registry path, with tag or digest); optional with model_package_name.",
            ),
        )
        .attr(
            "model_data_url",
            Attribute::optional(Type::String).describe("S3 URI of the model artifacts (model.tar.gz)."),
        )
        .attr(
            "model_package_name",
            Attribute::optional(Type::String)
                .describe("ARN of a (versioned) model package to deploy, from the model registry, instead of image."),
        )
        .attr(
            "container_hostname",
            Attribute::optional(Type::String).describe("DNS host name of the container (inference pipelines)."),
        )
        .attr(
            "environment",
            Attribute::optional(super::map_type()).describe("Environment variables of the container."),
        )
        .attr(
            "mode",
            Attribute::optional_computed(Type::String)
                .describe("SingleModel (the default) or MultiModel (one container serving many models from S3)."),
        )
        .block("image_config", single(image_config, 0, true))
        .block("multi_model_config", single(multi_model, 0, true))
        .unsupported(
            "inference_specification_name",
            "Plinth's aws_sagemaker_model does not send an inference specification name yet: leave it out (the \
             model package's default inference specification applies)",
        )
        .unsupported_blocks(
            &["additional_model_data_source", "model_data_source"],
            "Plinth's aws_sagemaker_model does not send this container block yet: leave it out and give the \
             artifacts as model_data_url",
        )
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let vpc = Schema::new("The VPC the model's containers run in (SageMaker in a private network).")
        .attr(
            "security_group_ids",
            Attribute::required(Type::Set(Box::new(Type::String))).describe("Security group ids."),
        )
        .attr(
            "subnets",
            Attribute::required(Type::Set(Box::new(Type::String))).describe("Subnet ids."),
        );
    with_tags(with_arn_id(
        Schema::new(
            "A SageMaker model: an inference image (primary_container) or an inference pipeline of containers \
             (container blocks), its artifacts and the role it runs as. There is no UpdateModel: \
             a change to anything but tags replaces it. Refresh: one ListModels per 100 models (name filter), \
             DescribeModel only for a model re-created since the last refresh, and one ListTags per model. \
             Import with the model name.",
        )
        .attr(
            "name",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The model name; generated (plinth-...) when omitted."),
        )
        .attr(
            "execution_role_arn",
            Attribute::required(Type::String)
                .force_new()
                .describe("IAM role SageMaker assumes to pull the image and artifacts."),
        )
        .attr(
            "creation_time",
            Attribute::computed(Type::String).describe("When the model was created (RFC 3339)."),
        )
        .attr(
            "enable_network_isolation",
            Attribute::optional_computed(Type::Bool)
                .force_new()
                .describe("Run the containers without network access (default false)."),
        )
        .block("primary_container", single(container_schema(), 0, true))
        .block("container", list(container_schema(), 0, None, true))
        .block("vpc_config", single(vpc, 0, true))
        .unsupported_block(
            "inference_execution_config",
            "Plinth's aws_sagemaker_model does not send an inference pipeline's execution mode yet (the emulator \
             Plinth is tested against drops it, so its round trip cannot be checked): leave it out (Serial, \
             SageMaker's default, applies)",
        ),
    ))
    .identity(&["name"])
});

/// A container as state holds it; `prior` is the same container's prior value (`Null` when new).
fn container_value(c: &ContainerDefinition, prior: &Value) -> Value {
    let image_config = c.image_config().map_or(Value::Null, |i| {
        Value::object([
            (
                "repository_access_mode",
                opt_string(i.repository_access_mode().map(|m| m.as_str())),
            ),
            (
                "repository_auth_config",
                i.repository_auth_config().map_or(Value::Null, |a| {
                    Value::object([(
                        "repository_credentials_provider_arn",
                        opt_string(a.repository_credentials_provider_arn()),
                    )])
                }),
            ),
        ])
    });
    let multi_model = c.multi_model_config().map_or(Value::Null, |m| {
        Value::object([(
            "model_cache_setting",
            opt_string(m.model_cache_setting().map(|s| s.as_str())),
        )])
    });
    Value::object([
        ("image", opt_string(c.image())),
        ("model_data_url", opt_string(c.model_data_url())),
        ("model_package_name", opt_string(c.model_package_name())),
        ("container_hostname", opt_string(c.container_hostname())),
        ("environment", string_map(c.environment(), prior.get("environment"))),
        ("mode", opt_string(c.mode().map(|m| m.as_str()))),
        ("image_config", image_config),
        ("multi_model_config", multi_model),
    ])
}

fn to_value(d: &DescribeModelOutput, prior: &Value) -> Value {
    let name = d.model_name().unwrap_or_default();
    // An empty primary container (some emulators answer one for a pipeline) is none.
    let container = d
        .primary_container()
        .filter(|c| c.image().is_some() || c.model_package_name().is_some())
        .map_or(Value::Null, |c| container_value(c, prior.get("primary_container")));
    let pipeline = d
        .containers()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let p = items(prior, "container").get(i).unwrap_or(&Value::Null);
            container_value(c, p)
        })
        .collect();
    Value::object([
        ("name", string(name)),
        ("id", string(name)),
        ("arn", opt_string(d.model_arn())),
        ("execution_role_arn", opt_string(d.execution_role_arn())),
        ("creation_time", time(d.creation_time())),
        (
            "enable_network_isolation",
            Value::Bool(d.enable_network_isolation().unwrap_or(false)),
        ),
        ("primary_container", container),
        ("container", Value::List(pipeline)),
        (
            "vpc_config",
            // An empty VpcConfig (some emulators answer one) is no VPC.
            d.vpc_config()
                .filter(|v| !v.subnets().is_empty())
                .map_or(Value::Null, |v| {
                    let sorted = |s: &[String]| {
                        let mut s = s.to_vec();
                        s.sort();
                        list_of_strings(s)
                    };
                    Value::object([
                        ("security_group_ids", sorted(v.security_group_ids())),
                        ("subnets", sorted(v.subnets())),
                    ])
                }),
        ),
    ])
}

/// One container block (`primary_container` or an item of `container`) as CreateModel takes it.
fn container(c: &Value) -> ContainerDefinition {
    let env = str_map(c, "environment");
    let image_config = block(c, "image_config").map(|i| {
        ImageConfig::builder()
            .set_repository_access_mode(
                opt_str(i, "repository_access_mode").map(|m| RepositoryAccessMode::from(m.as_str())),
            )
            .set_repository_auth_config(block(i, "repository_auth_config").map(|a| {
                RepositoryAuthConfig::builder()
                    .set_repository_credentials_provider_arn(opt_str(a, "repository_credentials_provider_arn"))
                    .build()
            }))
            .build()
    });
    let multi_model = block(c, "multi_model_config").map(|m| {
        MultiModelConfig::builder()
            .set_model_cache_setting(opt_str(m, "model_cache_setting").map(|s| ModelCacheSetting::from(s.as_str())))
            .build()
    });
    ContainerDefinition::builder()
        .set_image(opt_str(c, "image"))
        .set_model_data_url(opt_str(c, "model_data_url"))
        .set_model_package_name(opt_str(c, "model_package_name"))
        .set_container_hostname(opt_str(c, "container_hostname"))
        .set_environment((!env.is_empty()).then(|| env.into_iter().collect()))
        .set_mode(opt_str(c, "mode").map(|m| ContainerMode::from(m.as_str())))
        .set_image_config(image_config)
        .set_multi_model_config(multi_model)
        .build()
}

/// The validation of the containers: a primary container or a pipeline (not both, as CreateModel
/// requires), each with an image or a model package.
fn check_containers(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut d = Vec::new();
    let primary = config.get("primary_container");
    let pipeline = items(config, "container");
    if primary.is_unknown() || config.get("container").is_unknown() {
        return d;
    }
    match (primary.is_null(), pipeline.is_empty()) {
        (true, true) => d.push(invalid(
            "primary_container",
            "Missing container",
            "a model needs a primary_container block, or container blocks (an inference pipeline)".to_string(),
        )),
        (false, false) => d.push(invalid(
            "container",
            "Conflicting containers",
            "give either one primary_container or container blocks (an inference pipeline), not both".to_string(),
        )),
        _ => {}
    }
    let all = std::iter::once(("primary_container".to_string(), primary))
        .filter(|(_, c)| !c.is_null())
        .chain(pipeline.iter().enumerate().map(|(i, c)| (format!("container[{i}]"), c)));
    for (at, c) in all {
        let given = |k: &str| !c.get(k).is_null();
        if !given("image") && !given("model_package_name") {
            d.push(invalid(
                &format!("{at}.image"),
                "Missing image",
                "a container needs an image, or a model_package_name to deploy".to_string(),
            ));
        }
    }
    d
}

fn vpc_config(planned: &Value) -> Option<VpcConfig> {
    let v = block(planned, "vpc_config")?;
    Some(
        VpcConfig::builder()
            .set_security_group_ids(Some(str_list(v, "security_group_ids")))
            .set_subnets(Some(str_list(v, "subnets")))
            .build(),
    )
}

#[async_trait]
impl SageMakerType for Model {
    type Described = DescribeModelOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        check_containers(config)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let tags = ctx.merged_tags(planned.get("tags"));
        let sent = ctx
            .sagemaker
            .create_model()
            .model_name(&name)
            .execution_role_arn(req_str(planned, "execution_role_arn")?)
            .set_primary_container(block(planned, "primary_container").map(container))
            .set_containers(
                Some(items(planned, "container").iter().map(container).collect()).filter(|c: &Vec<_>| !c.is_empty()),
            )
            .set_enable_network_isolation(planned.get("enable_network_isolation").as_bool())
            .set_vpc_config(vpc_config(planned))
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        Self::created(ctx, &name, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeModelOutput>, ProviderError> {
        call_found(ctx.sagemaker.describe_model().model_name(name).send().boxed()).await
    }

    fn to_value(d: &DescribeModelOutput, prior: &Value) -> Value {
        to_value(d, prior)
    }

    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |filter| {
            let list = ctx.sagemaker.list_models().set_name_contains(filter).max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(names, items, |m| {
            Some((
                m.model_name()?.to_string(),
                Listed::new(m.model_arn(), m.creation_time()),
            ))
        });
        Ok(Some(listed.await?))
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        delete_call(ctx.sagemaker.delete_model().model_name(name).send().boxed()).await
    }

    // Only tags change in place (the rest is force-new): the default update.
}
