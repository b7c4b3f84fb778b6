//! `aws_sagemaker_model_package_group`: a model registry entry (the versions of one model are
//! model packages in it). There is no update API: name and description replace it.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_model_package_group::DescribeModelPackageGroupOutput;
use aws_sdk_sagemaker::types::ModelPackageGroupSummary;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{
    Listed, create_failed, failed, finish, found, import_one, name_filter, names_of, refresh, sm_tags, update_tags,
    wait_for, wait_gone, with_arn_id, with_tags,
};
use crate::error::aws_error;
use crate::util::{opt_str, opt_string, req_str, string};
use crate::{AwsResource, Ctx};

pub struct ModelPackageGroup;

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

async fn describe_raw(ctx: &Ctx, name: &str) -> Result<Option<DescribeModelPackageGroupOutput>, ProviderError> {
    ctx.throttle().await;
    found(
        ctx.sagemaker
            .describe_model_package_group()
            .model_package_group_name(name)
            .send()
            .await,
    )
}

async fn list(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, Listed>, ProviderError> {
    let mut out = HashMap::new();
    if names.is_empty() {
        return Ok(out);
    }
    let filter = name_filter(names);
    let mut token = None;
    loop {
        ctx.throttle().await;
        let resp = ctx
            .sagemaker
            .list_model_package_groups()
            .set_name_contains(filter.clone())
            .max_results(100)
            .set_next_token(token)
            .send()
            .await
            .map_err(aws_error)?;
        for g in resp.model_package_group_summary_list() {
            if let Some(n) = g.model_package_group_name().filter(|n| names.iter().any(|x| x == n)) {
                let v = summary_value(g);
                let attrs = ["model_package_group_name", "id", "model_package_group_description"]
                    .into_iter()
                    .map(|k| (k, v.get(k).clone()))
                    .collect();
                out.insert(
                    n.to_string(),
                    Listed {
                        arn: g.model_package_group_arn().unwrap_or_default().to_string(),
                        stamp: None,
                        attrs,
                    },
                );
            }
        }
        token = resp.next_token().map(str::to_string);
        if token.is_none() || out.len() == names.len() {
            return Ok(out);
        }
    }
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
        ctx.throttle().await;
        ctx.sagemaker
            .create_model_package_group()
            .model_package_group_name(&name)
            .set_model_package_group_description(opt_str(planned, "model_package_group_description"))
            .set_tags(sm_tags(&tags))
            .send()
            .await
            .map_err(aws_error)?;
        let what = format!("SageMaker model package group {name}");
        let waited = wait_for(ctx, &format!("{what} to be Completed"), || async {
            let Some(d) = describe_raw(ctx, &name).await? else {
                return Ok(None);
            };
            match d.model_package_group_status().map(|s| s.as_str()).unwrap_or_default() {
                "Completed" => Ok(Some(d)),
                s @ ("Failed" | "DeleteFailed") => Err(failed(&what, s, None)),
                _ => Ok(None),
            }
        })
        .await;
        let d = match waited {
            Ok(d) => d,
            Err(e) => {
                let gone = Value::object([("model_package_group_name", string(&name))]);
                let cleanup = self.delete(ctx, &gone);
                return Err(create_failed(e, "model package group", &name, cleanup).await);
            }
        };
        Ok(finish(ctx, &SCHEMA, to_value(&d), &tags, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let all = update_tags(ctx, &req_str(prior, "arn")?, prior, planned).await?;
        Ok(finish(ctx, &SCHEMA, planned.clone(), &all, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "model_package_group_name")?;
        ctx.throttle().await;
        let r = ctx
            .sagemaker
            .delete_model_package_group()
            .model_package_group_name(&name)
            .send()
            .await;
        if found(r)?.is_none() {
            return Ok(());
        }
        let what = format!("SageMaker model package group {name}");
        wait_gone(ctx, &what, || async {
            match describe_raw(ctx, &name).await? {
                None => Ok(false),
                Some(d) if d.model_package_group_status().map(|s| s.as_str()) == Some("DeleteFailed") => {
                    Err(failed(&what, "DeleteFailed", None))
                }
                Some(_) => Ok(true),
            }
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        // The summary carries every attribute: no Describe.
        let listed = list(ctx, &names_of(states, "model_package_group_name")).await?;
        refresh(
            ctx,
            &SCHEMA,
            states,
            "model_package_group_name",
            None,
            Some(listed),
            |ctx, name, _| async move { Ok(describe_raw(&ctx, &name).await?.map(|d| to_value(&d))) },
        )
        .await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let described = async { Ok(describe_raw(ctx, id).await?.map(|d| to_value(&d))) };
        import_one(ctx, &SCHEMA, "model package group", id, described).await
    }
}
