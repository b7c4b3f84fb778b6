//! `aws_sagemaker_model`: a model (inference image, artifacts, role) that endpoint
//! configurations serve. SageMaker has no UpdateModel: every attribute but `tags` replaces it.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_model::DescribeModelOutput;
use aws_sdk_sagemaker::types::{ContainerDefinition, ContainerMode, VpcConfig};
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::{
    Kind, Listed, SageMakerType, block, list_named, single, sm_tags, string_map, time, with_arn_id, with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::util::{
    call_found, delete_call, list_of_strings, name_or_generated, opt_str, opt_string, req_str, str_list, str_map,
    string,
};

pub struct Model;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_model",
    noun: "model",
    name_attr: "name",
    stamp: Some("creation_time"),
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let container = Schema::new("The inference container.")
        .attr(
            "image",
            Attribute::required(Type::String)
                .describe("The inference image in ECR (registry path, with tag or digest)."),
        )
        .attr(
            "model_data_url",
            Attribute::optional(Type::String).describe("S3 URI of the model artifacts (model.tar.gz)."),
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
        .unsupported_all(
            &[
                "container_hostname",
                "inference_specification_name",
                "model_package_name",
            ],
            "Plinth's aws_sagemaker_model does not send this container setting yet: leave it out and give image \
             (and model_data_url)",
        )
        .unsupported_blocks(
            &[
                "additional_model_data_source",
                "image_config",
                "model_data_source",
                "multi_model_config",
            ],
            "Plinth's aws_sagemaker_model does not send this container block yet: leave it out and give the \
             artifacts as model_data_url",
        );
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
            "A SageMaker model: an inference image, its artifacts and the role it runs as. There is no UpdateModel: \
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
        .block("primary_container", single(container, 1, true))
        .block("vpc_config", single(vpc, 0, true))
        .unsupported_block(
            "container",
            "Plinth's aws_sagemaker_model takes one primary_container, not inference pipelines (container blocks) \
             yet: give the single container as primary_container",
        )
        .unsupported_block(
            "inference_execution_config",
            "Plinth's aws_sagemaker_model has no inference pipelines (container blocks) yet, so no execution mode for \
             them: leave it out",
        ),
    ))
    .identity(&["name"])
});

fn to_value(d: &DescribeModelOutput, prior: &Value) -> Value {
    let name = d.model_name().unwrap_or_default();
    let container = d
        .primary_container()
        .map(|c| {
            let prior_c = prior.get("primary_container");
            Value::object([
                ("image", opt_string(c.image())),
                ("model_data_url", opt_string(c.model_data_url())),
                ("environment", string_map(c.environment(), prior_c.get("environment"))),
                ("mode", opt_string(c.mode().map(|m| m.as_str()))),
            ])
        })
        .unwrap_or(Value::Null);
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

fn container(planned: &Value) -> Option<ContainerDefinition> {
    let c = block(planned, "primary_container")?;
    let env = str_map(c, "environment");
    Some(
        ContainerDefinition::builder()
            .set_image(opt_str(c, "image"))
            .set_model_data_url(opt_str(c, "model_data_url"))
            .set_environment((!env.is_empty()).then(|| env.into_iter().collect()))
            .set_mode(opt_str(c, "mode").map(|m| ContainerMode::from(m.as_str())))
            .build(),
    )
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

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = name_or_generated(planned, "name", "name_prefix", "plinth-");
        let tags = ctx.merged_tags(planned.get("tags"));
        ctx.sagemaker
            .create_model()
            .model_name(&name)
            .execution_role_arn(req_str(planned, "execution_role_arn")?)
            .set_primary_container(container(planned))
            .set_enable_network_isolation(planned.get("enable_network_isolation").as_bool())
            .set_vpc_config(vpc_config(planned))
            .set_tags(sm_tags(&tags))
            .send()
            .await
            .map_err(aws_error)?;
        Self::created(ctx, &name, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeModelOutput>, ProviderError> {
        call_found(ctx.sagemaker.describe_model().model_name(name).send()).await
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
        delete_call(ctx.sagemaker.delete_model().model_name(name).send()).await
    }

    // Only tags change in place (the rest is force-new): the default update.
}
