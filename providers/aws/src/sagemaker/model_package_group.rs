//! `aws_sagemaker_model_package_group`: a model registry entry (the versions of one model are
//! model packages in it). There is no update API: name and description replace it.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_model_package_group::DescribeModelPackageGroupOutput;
use aws_sdk_sagemaker::types::ModelPackageGroupSummary;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::adopt;
use super::{
    Kind, Listed, SageMakerType, Status, list_named, sm_tags, still_exists, wait_status, with_arn_id, with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, opt_str, opt_string, req_str, string};

pub struct ModelPackageGroup;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_model_package_group",
    noun: "model package group",
    name_attr: "model_package_group_name",
    stamp: None,
    tagged: true,
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

/// The group's status; SageMaker gives no failure reason.
impl Status for DescribeModelPackageGroupOutput {
    fn status(&self) -> (&str, Option<&str>) {
        let status = self.model_package_group_status().map(|s| s.as_str());
        (status.unwrap_or_default(), None)
    }
}

#[async_trait]
impl SageMakerType for ModelPackageGroup {
    type Described = DescribeModelPackageGroupOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "model_package_group_name")?;
        let tags = ctx.merged_tags(planned.get("tags"));
        let sent = ctx
            .sagemaker
            .create_model_package_group()
            .model_package_group_name(&name)
            .set_model_package_group_description(opt_str(planned, "model_package_group_description"))
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        let what = KIND.what(&name);
        let failing = ["Failed", "DeleteFailed"];
        let waited = wait_status(ctx, &what, &["Completed"], &failing, || Self::describe(ctx, &name)).await;
        self.settled(ctx, &name, waited, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeModelPackageGroupOutput>, ProviderError> {
        let call = ctx
            .sagemaker
            .describe_model_package_group()
            .model_package_group_name(name)
            .send()
            .boxed();
        call_found(call).await
    }

    fn to_value(d: &DescribeModelPackageGroupOutput, _prior: &Value) -> Value {
        value(
            d.model_package_group_name().unwrap_or_default(),
            d.model_package_group_arn(),
            d.model_package_group_description(),
        )
    }

    /// The summary carries every attribute: no Describe.
    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |filter| {
            let list = ctx
                .sagemaker
                .list_model_package_groups()
                .set_name_contains(filter)
                .max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(names, items, |g| {
            let v = summary_value(g);
            let attrs = ["model_package_group_name", "id", "model_package_group_description"]
                .into_iter()
                .map(|k| (k, v.get(k).clone()))
                .collect();
            let listed = Listed::new(g.model_package_group_arn(), None).with(attrs);
            Some((g.model_package_group_name()?.to_string(), listed))
        });
        Ok(Some(listed.await?))
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        let call = ctx
            .sagemaker
            .delete_model_package_group()
            .model_package_group_name(name)
            .send()
            .boxed();
        delete_call(call).await
    }

    fn exists(what: &str, described: Option<DescribeModelPackageGroupOutput>) -> Result<bool, ProviderError> {
        still_exists(what, described)
    }
}
