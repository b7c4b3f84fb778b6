//! `aws_sagemaker_pipeline`: a SageMaker Pipelines workflow (training, evaluation, registration
//! steps) given as a JSON definition. Display name, definition, description and role change in
//! place with UpdatePipeline.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_pipeline::DescribePipelineOutput;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::adopt;
use super::{Kind, Listed, SageMakerType, invalid, list_named, sm_tags, time, with_arn_id, with_tags};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::{self, Creating};
use crate::util::{call_found, delete_call, json_equal, keep_json_text, opt_str, opt_string, req_str, string};

pub struct Pipeline;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_pipeline",
    noun: "pipeline",
    name_attr: "pipeline_name",
    stamp: Some("last_modified_time"),
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(with_arn_id(
        Schema::new(
            "A SageMaker pipeline (a training/evaluation/registration workflow). Display name, definition, \
             description and role are updated in place with UpdatePipeline; a definition that is the same JSON \
             written differently is not a change. Refresh: one ListPipelines per 100 pipelines (name prefix; the \
             summary carries display name, description and role), DescribePipeline only for a pipeline modified \
             since the last refresh (for its definition), and one ListTags each. Import with the pipeline name.",
        )
        .attr(
            "pipeline_name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The pipeline name."),
        )
        .attr(
            "pipeline_display_name",
            Attribute::required(Type::String).describe("The name shown in SageMaker Studio."),
        )
        .attr(
            "pipeline_definition",
            Attribute::optional(Type::String)
                .describe("The pipeline definition, a JSON document (jsonencode(...) or file(...))."),
        )
        .attr(
            "role_arn",
            Attribute::optional(Type::String).describe("IAM role the pipeline's steps run as."),
        )
        .attr(
            "pipeline_description",
            Attribute::optional(Type::String).describe("What the pipeline does."),
        )
        .attr(
            "creation_time",
            Attribute::computed(Type::String).describe("When the pipeline was created (RFC 3339)."),
        )
        .attr(
            "last_modified_time",
            Attribute::computed(Type::String).describe("When the pipeline last changed (RFC 3339)."),
        ),
    ))
    .unsupported_block(
        "pipeline_definition_s3_location",
        "Plinth sends the pipeline definition inline: give it as pipeline_definition (file(...) or jsonencode(...))",
    )
    .unsupported_block(
        "parallelism_configuration",
        "Plinth's pipelines run with SageMaker's default parallelism: leave it out",
    )
    .identity(&["pipeline_name"])
});

/// An optional text, `Null` when empty (a cleared description reads back as "").
fn non_empty(s: Option<&str>) -> Value {
    opt_string(s.filter(|s| !s.is_empty()))
}

#[async_trait]
impl SageMakerType for Pipeline {
    type Described = DescribePipelineOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        match config.get("pipeline_definition").as_str() {
            Some(d) => match serde_json::from_str::<serde_json::Value>(d) {
                Ok(_) => vec![],
                Err(e) => vec![invalid(
                    "pipeline_definition",
                    "Invalid pipeline definition",
                    format!("pipeline_definition must be a JSON document: {e}"),
                )],
            },
            None => vec![],
        }
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = super::plan(&SCHEMA, ctx, req);
        // The same JSON written differently is no change: keep the recorded text.
        if let (Some(prior), Value::Map(m)) = (&req.prior, &mut resp.planned)
            && let (Some(want), Some(have)) = (
                m.get("pipeline_definition").and_then(Value::as_str),
                prior.get("pipeline_definition").as_str(),
            )
            && want != have
            && json_equal(want, have)
        {
            m.insert("pipeline_definition".to_string(), string(have));
        }
        resp
    }

    /// With a `ClientRequestToken` derived from the planned change, as the EC2 creates' (see
    /// `docs/reliability.md`), and the name: a repeated call answers the pipeline already made;
    /// past the token's life, the create is answered "already exists" and the pipeline is
    /// adopted by its bookkeeping tags ([`adopt`]). A token answered with success but no
    /// pipeline (not described after a few polls: one deleted since was made with it) moves on
    /// to the next generation's token.
    /// The token of generation 0 is skipped when this create replaces a pipeline of the same
    /// name: that pipeline, made from the same values, may have had the same token, and whether
    /// it is alive (create_before_destroy: the name is taken, and the create must be refused)
    /// or deleted, its token's answer is not this create's.
    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "pipeline_name")?;
        let tags = ctx.merged_tags(planned.get("tags"));
        let req = ctx
            .sagemaker
            .create_pipeline()
            .pipeline_name(&name)
            .pipeline_display_name(req_str(planned, "pipeline_display_name")?)
            .set_pipeline_definition(opt_str(planned, "pipeline_definition"))
            .set_pipeline_description(opt_str(planned, "pipeline_description"))
            .set_role_arn(opt_str(planned, "role_arn"))
            .set_tags(sm_tags(&creating.with_tags(tags.clone())));
        let first = u32::from(creating.is_replaced(&name));
        let mut sent = Err(ProviderError::with_code(
            "IdempotentTokensExhausted",
            format!(
                "CreatePipeline answered {} client tokens in a row with a pipeline deleted since",
                idempotent::MAX_GENERATIONS - first
            ),
        ));
        for n in first..idempotent::MAX_GENERATIONS {
            let token = creating.token(planned, n);
            let answer = req
                .clone()
                .client_request_token(token)
                .send()
                .boxed()
                .await
                .map_err(aws_error);
            let exists = || async { Ok(Self::describe(ctx, &name).await?.is_some()) };
            match answer {
                Ok(_) if idempotent::vanished(ctx, exists).await? => {
                    tracing::info!(address = %creating.address, generation = n, "CreatePipeline answered its token with a pipeline deleted since; trying the next token");
                }
                answer => {
                    sent = answer.map(drop);
                    break;
                }
            }
        }
        adopt::<Self>(ctx, creating, &name, sent).await?;
        Self::created(ctx, &name, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribePipelineOutput>, ProviderError> {
        call_found(ctx.sagemaker.describe_pipeline().pipeline_name(name).send().boxed()).await
    }

    fn to_value(d: &DescribePipelineOutput, prior: &Value) -> Value {
        let name = d.pipeline_name().unwrap_or_default();
        Value::object([
            ("pipeline_name", string(name)),
            ("id", string(name)),
            ("arn", opt_string(d.pipeline_arn())),
            ("pipeline_display_name", opt_string(d.pipeline_display_name())),
            (
                "pipeline_definition",
                keep_json_text(d.pipeline_definition(), prior.get("pipeline_definition")),
            ),
            ("role_arn", opt_string(d.role_arn())),
            ("pipeline_description", non_empty(d.pipeline_description())),
            ("creation_time", time(d.creation_time())),
            ("last_modified_time", time(d.last_modified_time())),
        ])
    }

    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |prefix| {
            let list = ctx
                .sagemaker
                .list_pipelines()
                .set_pipeline_name_prefix(prefix)
                .max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(names, items, |p| {
            let listed = Listed::new(p.pipeline_arn(), p.last_modified_time()).with(vec![
                ("pipeline_display_name", opt_string(p.pipeline_display_name())),
                ("pipeline_description", non_empty(p.pipeline_description())),
                ("role_arn", opt_string(p.role_arn())),
                ("creation_time", time(p.creation_time())),
            ]);
            Some((p.pipeline_name()?.to_string(), listed))
        });
        Ok(Some(listed.await?))
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        delete_call(ctx.sagemaker.delete_pipeline().pipeline_name(name).send().boxed()).await
    }

    async fn update_in_place(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Option<Value>, ProviderError> {
        let name = req_str(prior, "pipeline_name")?;
        let changed = |k: &str| planned.get(k) != prior.get(k);
        let updatable = [
            "pipeline_display_name",
            "pipeline_definition",
            "pipeline_description",
            "role_arn",
        ];
        if !updatable.iter().any(|k| changed(k)) {
            return Ok(None);
        }
        let pick = |k: &str| opt_str(planned, k).filter(|_| changed(k));
        // A removed description is cleared with an empty one.
        let description = pick("pipeline_description").or_else(|| changed("pipeline_description").then(String::new));
        ctx.sagemaker
            .update_pipeline()
            .pipeline_name(&name)
            .set_pipeline_display_name(pick("pipeline_display_name"))
            .set_pipeline_definition(pick("pipeline_definition"))
            .set_pipeline_description(description)
            .set_role_arn(pick("role_arn"))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let d = Self::describe(ctx, &name).await?.ok_or_else(|| {
            ProviderError::with_code(
                "ResourceNotFound",
                format!("SageMaker pipeline {name} disappeared during update"),
            )
        })?;
        Ok(Some(Self::to_value(&d, planned)))
    }
}
