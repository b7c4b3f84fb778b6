//! `aws_sagemaker_model`: a model (inference image, artifacts, role) that endpoint
//! configurations serve. SageMaker has no UpdateModel: every attribute but `tags` replaces it.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_model::DescribeModelOutput;
use aws_sdk_sagemaker::types::ContainerDefinition;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{
    Kind, Listed, block, created, import_one, list_named, names_of, refresh, retagged, single, sm_tags, string_map,
    time, with_arn_id, with_tags,
};
use crate::error::aws_error;
use crate::util::{call_found, delete_and_wait, name_or_generated, opt_str, opt_string, req_str, str_map, string};
use crate::{AwsResource, Ctx};

pub struct Model;

static KIND: Kind = Kind {
    noun: "model",
    name_attr: "name",
    stamp: Some("creation_time"),
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
        .block("primary_container", single(container, 1, true)),
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
            ])
        })
        .unwrap_or(Value::Null);
    Value::object([
        ("name", string(name)),
        ("id", string(name)),
        ("arn", opt_string(d.model_arn())),
        ("execution_role_arn", opt_string(d.execution_role_arn())),
        ("creation_time", time(d.creation_time())),
        ("primary_container", container),
    ])
}

async fn describe(ctx: &Ctx, name: &str, prior: &Value) -> Result<Option<Value>, ProviderError> {
    let d = call_found(ctx.sagemaker.describe_model().model_name(name).send()).await?;
    Ok(d.map(|d| to_value(&d, prior)))
}

async fn list(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, Listed>, ProviderError> {
    let items = |filter| {
        let list = ctx.sagemaker.list_models().set_name_contains(filter).max_results(100);
        list.into_paginator().items().send()
    };
    list_named(names, items, |m| {
        Some((
            m.model_name()?.to_string(),
            Listed::new(m.model_arn(), m.creation_time()),
        ))
    })
    .await
}

fn container(planned: &Value) -> Option<ContainerDefinition> {
    let c = block(planned, "primary_container")?;
    let env = str_map(c, "environment");
    Some(
        ContainerDefinition::builder()
            .set_image(opt_str(c, "image"))
            .set_model_data_url(opt_str(c, "model_data_url"))
            .set_environment((!env.is_empty()).then(|| env.into_iter().collect()))
            .build(),
    )
}

#[async_trait]
impl AwsResource for Model {
    fn type_name(&self) -> &'static str {
        "aws_sagemaker_model"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        super::plan(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = name_or_generated(planned, "name", "name_prefix", "plinth-");
        let tags = ctx.merged_tags(planned.get("tags"));
        ctx.sagemaker
            .create_model()
            .model_name(&name)
            .execution_role_arn(req_str(planned, "execution_role_arn")?)
            .set_primary_container(container(planned))
            .set_tags(sm_tags(&tags))
            .send()
            .await
            .map_err(aws_error)?;
        created(ctx, &KIND, &name, &tags, planned, || describe(ctx, &name, planned)).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        // Only tags change in place (the rest is force-new).
        retagged(ctx, &SCHEMA, prior, planned, planned.clone()).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        let call = ctx.sagemaker.delete_model().model_name(&name).send();
        delete_and_wait(ctx, &KIND.what(&name), call, || async {
            Ok(describe(ctx, &name, prior).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let listed = list(ctx, &names_of(states, KIND.name_attr)).await?;
        refresh(ctx, &KIND, states, Some(listed), |ctx, name, prior| async move {
            describe(&ctx, &name, &prior).await
        })
        .await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        import_one(ctx, &KIND, id, describe(ctx, id, &Value::Null)).await
    }
}
