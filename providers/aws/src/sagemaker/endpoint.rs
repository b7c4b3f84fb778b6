//! `aws_sagemaker_endpoint`: a serving endpoint. A new `endpoint_config_name` is rolled out in
//! place with UpdateEndpoint (SageMaker's blue/green deployment); create and update wait for
//! InService within the provider's wait timeout.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_endpoint::DescribeEndpointOutput;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::adopt;
use super::{Kind, Listed, SageMakerType, failed, list_named, sm_tags, time, wait_for, with_arn_id, with_tags};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, opt_string, req_str, string};

pub struct Endpoint;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_endpoint",
    noun: "endpoint",
    name_attr: "name",
    stamp: Some("last_modified_time"),
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(with_arn_id(
        Schema::new(
            "A SageMaker real-time inference endpoint. Create waits until it is InService; a new \
             endpoint_config_name is rolled out in place with UpdateEndpoint and waits for InService again (the \
             wait honours the provider's timeout). Refresh: one ListEndpoints per 100 endpoints (name filter), \
             DescribeEndpoint only for one modified since the last refresh, and one ListTags each. Import with the \
             endpoint name.",
        )
        .attr(
            "name",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The endpoint name; generated (plinth-...) when omitted."),
        )
        .attr(
            "endpoint_config_name",
            Attribute::required(Type::String)
                .describe("The aws_sagemaker_endpoint_configuration to serve; a change is rolled out in place."),
        )
        .attr(
            "creation_time",
            Attribute::computed(Type::String).describe("When the endpoint was created (RFC 3339)."),
        )
        .attr(
            "last_modified_time",
            Attribute::computed(Type::String).describe("When the endpoint last changed (RFC 3339)."),
        ),
    ))
    .unsupported_block(
        "deployment_config",
        "Plinth rolls a new endpoint_config_name out with SageMaker's default (all at once, no blue/green \
         traffic shifting or auto-rollback alarms yet): leave it out",
    )
    .identity(&["name"])
});

/// Waits until the endpoint is InService with `config` deployed. A rollout that failed and rolled
/// back (InService with another configuration and a failure reason) is an error.
async fn wait_in_service(ctx: &Ctx, name: &str, config: &str) -> Result<DescribeEndpointOutput, ProviderError> {
    let what = format!("SageMaker endpoint {name} to be InService with configuration {config}");
    wait_for(ctx, &what, || async {
        let Some(d) = Endpoint::describe(ctx, name).await? else {
            return Err(ProviderError::with_code(
                "ResourceNotFound",
                format!("SageMaker endpoint {name} disappeared while waiting for it"),
            ));
        };
        let status = d.endpoint_status().map(|s| s.as_str()).unwrap_or_default();
        match status {
            "InService" if d.endpoint_config_name() == Some(config) => Ok(Some(d)),
            "InService" if d.failure_reason().is_some_and(|r| !r.is_empty()) => Err(failed(
                &format!(
                    "SageMaker endpoint {name} (rolled back, still serving {:?})",
                    d.endpoint_config_name()
                ),
                "InService",
                d.failure_reason(),
            )),
            "Failed" | "UpdateRollbackFailed" | "OutOfService" => {
                Err(failed(&KIND.what(name), status, d.failure_reason()))
            }
            _ => Ok(None),
        }
    })
    .await
}

#[async_trait]
impl SageMakerType for Endpoint {
    type Described = DescribeEndpointOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let config = req_str(planned, "endpoint_config_name")?;
        let tags = ctx.merged_tags(planned.get("tags"));
        let sent = ctx
            .sagemaker
            .create_endpoint()
            .endpoint_name(&name)
            .endpoint_config_name(&config)
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        let waited = wait_in_service(ctx, &name, &config).await;
        self.settled(ctx, &name, waited, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeEndpointOutput>, ProviderError> {
        call_found(ctx.sagemaker.describe_endpoint().endpoint_name(name).send().boxed()).await
    }

    fn to_value(d: &DescribeEndpointOutput, _prior: &Value) -> Value {
        let name = d.endpoint_name().unwrap_or_default();
        Value::object([
            ("name", string(name)),
            ("id", string(name)),
            ("arn", opt_string(d.endpoint_arn())),
            ("endpoint_config_name", opt_string(d.endpoint_config_name())),
            ("creation_time", time(d.creation_time())),
            ("last_modified_time", time(d.last_modified_time())),
        ])
    }

    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |filter| {
            let list = ctx
                .sagemaker
                .list_endpoints()
                .set_name_contains(filter)
                .max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(names, items, |e| {
            let listed = Listed::new(e.endpoint_arn(), e.last_modified_time())
                .with(vec![("creation_time", time(e.creation_time()))]);
            Some((e.endpoint_name()?.to_string(), listed))
        });
        Ok(Some(listed.await?))
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        delete_call(ctx.sagemaker.delete_endpoint().endpoint_name(name).send().boxed()).await
    }

    /// A new configuration is rolled out with UpdateEndpoint.
    async fn update_in_place(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Option<Value>, ProviderError> {
        let name = req_str(prior, "name")?;
        let config = req_str(planned, "endpoint_config_name")?;
        if prior.get("endpoint_config_name").as_str() == Some(config.as_str()) {
            return Ok(None);
        }
        ctx.sagemaker
            .update_endpoint()
            .endpoint_name(&name)
            .endpoint_config_name(&config)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let d = wait_in_service(ctx, &name, &config).await?;
        Ok(Some(Self::to_value(&d, planned)))
    }
}
