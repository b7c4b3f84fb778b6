//! `aws_sagemaker_model_package_group`: a model registry entry (the versions of one model are
//! model packages in it). There is no update API: name and description replace it.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_model_package_group::DescribeModelPackageGroupOutput;
use aws_sdk_sagemaker::types::ModelPackageGroupSummary;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{
    Kind, Listed, Status, finish, import_one, list_named, names_of, refresh, retagged, settle_create, sm_tags,
    still_exists, wait_status, with_arn_id, with_tags,
};
use crate::error::aws_error;
use crate::util::{call_found, delete_and_wait, opt_str, opt_string, req_str, string};
use crate::{AwsResource, Ctx};

pub struct ModelPackageGroup;

static KIND: Kind = Kind {
    noun: "model package group",
    name_attr: "model_package_group_name",
    stamp: None,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(with_arn_id(
        Schema::new(
            "A SageMaker model package group: the model registry entry whose model packages are a model's \
             versions. There is no update API: a change to the name or description replaces it (and deleting a \
             group that still holds model packages fails). Refresh: one ListModelPackageGroups per 100 groups \
             (name filter; the summary carries every attribute, so no Describe) and one ListTags each. Import \
             with the group name.",
        )
        .attr(
            "model_package_group_name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The group name."),
        )
        .attr(
            "model_package_group_description",
            Attribute::optional(Type::String)
                .force_new()
                .describe("What the group holds."),
        ),
    ))
    .identity(&["model_package_group_name"])
});

fn value(name: &str, arn: Option<&str>, description: Option<&str>) -> Value {
    Value::object([
        ("model_package_group_name", string(name)),
        ("id", string(name)),
        ("arn", opt_string(arn)),
        ("model_package_group_description", opt_string(description)),
    ])
}

fn summary_value(s: &ModelPackageGroupSummary) -> Value {
    value(
        s.model_package_group_name().unwrap_or_default(),
        s.model_package_group_arn(),
        s.model_package_group_description(),
    )
}

fn to_value(d: &DescribeModelPackageGroupOutput) -> Value {
    value(
        d.model_package_group_name().unwrap_or_default(),
        d.model_package_group_arn(),
        d.model_package_group_description(),
    )
}

/// The group's status; SageMaker gives no failure reason.
impl Status for DescribeModelPackageGroupOutput {
    fn status(&self) -> (&str, Option<&str>) {
        let status = self.model_package_group_status().map(|s| s.as_str());
        (status.unwrap_or_default(), None)
    }
}

async fn describe_raw(ctx: &Ctx, name: &str) -> Result<Option<DescribeModelPackageGroupOutput>, ProviderError> {
    let call = ctx
        .sagemaker
        .describe_model_package_group()
        .model_package_group_name(name)
        .send();
    call_found(call).await
}

async fn list(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, Listed>, ProviderError> {
    let items = |filter| {
        let list = ctx
            .sagemaker
            .list_model_package_groups()
            .set_name_contains(filter)
            .max_results(100);
        list.into_paginator().items().send()
    };
    list_named(names, items, |g| {
        let v = summary_value(g);
        let attrs = ["model_package_group_name", "id", "model_package_group_description"]
            .into_iter()
            .map(|k| (k, v.get(k).clone()))
            .collect();
        let listed = Listed::new(g.model_package_group_arn(), None).with(attrs);
        Some((g.model_package_group_name()?.to_string(), listed))
    })
    .await
}

#[async_trait]
impl AwsResource for ModelPackageGroup {
    fn type_name(&self) -> &'static str {
        "aws_sagemaker_model_package_group"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        super::plan(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(planned, "model_package_group_name")?;
        let tags = ctx.merged_tags(planned.get("tags"));
        ctx.sagemaker
            .create_model_package_group()
            .model_package_group_name(&name)
            .set_model_package_group_description(opt_str(planned, "model_package_group_description"))
            .set_tags(sm_tags(&tags))
            .send()
            .await
            .map_err(aws_error)?;
        let what = KIND.what(&name);
        let failing = ["Failed", "DeleteFailed"];
        let waited = wait_status(ctx, &what, &["Completed"], &failing, || describe_raw(ctx, &name)).await;
        let d = settle_create(ctx, self, &KIND, &name, waited).await?;
        Ok(finish(ctx, &SCHEMA, to_value(&d), &tags, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        retagged(ctx, &SCHEMA, prior, planned, planned.clone()).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "model_package_group_name")?;
        let call = ctx
            .sagemaker
            .delete_model_package_group()
            .model_package_group_name(&name)
            .send();
        let what = KIND.what(&name);
        delete_and_wait(ctx, &what, call, || async {
            still_exists(&what, describe_raw(ctx, &name).await?)
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        // The summary carries every attribute: no Describe.
        let listed = list(ctx, &names_of(states, KIND.name_attr)).await?;
        refresh(ctx, &KIND, states, Some(listed), |ctx, name, _| async move {
            Ok(describe_raw(&ctx, &name).await?.map(|d| to_value(&d)))
        })
        .await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let described = async { Ok(describe_raw(ctx, id).await?.map(|d| to_value(&d))) };
        import_one(ctx, &KIND, id, described).await
    }
}
