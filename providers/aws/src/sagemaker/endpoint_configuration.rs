//! `aws_sagemaker_endpoint_configuration`: which models an endpoint serves, on what instances
//! (GPU types such as ml.g5.xlarge or ml.p4d.24xlarge) and with what traffic weights. There is no
//! update API: every attribute but `tags` replaces it (roll a new one out to the endpoint).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_endpoint_config::DescribeEndpointConfigOutput;
use aws_sdk_sagemaker::types::{ProductionVariant, ProductionVariantInstanceType};
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::{
    Kind, Listed, SageMakerType, float, int, items, list as list_block, list_named, opt_i32, sm_tags, time,
    with_arn_id, with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::util::{call_found, delete_call, name_or_generated, opt_str, opt_string, string};

pub struct EndpointConfiguration;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_endpoint_configuration",
    noun: "endpoint configuration",
    name_attr: "name",
    stamp: Some("creation_time"),
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> =
    LazyLock::new(|| {
        let variant = Schema::new("A production variant: one model on a fleet of instances.")
            .attr(
                "variant_name",
                Attribute::optional_computed(Type::String)
                    .describe("The variant name; variant-1, variant-2... by position when omitted."),
            )
            .attr(
                "model_name",
                Attribute::required(Type::String).describe("The aws_sagemaker_model to serve."),
            )
            .attr(
                "initial_instance_count",
                Attribute::optional(Type::Number).describe("Instances to start with."),
            )
            .attr(
                "instance_type",
                Attribute::optional(Type::String).describe("Instance type, such as ml.g5.xlarge or ml.p4d.24xlarge."),
            )
            .attr(
                "initial_variant_weight",
                Attribute::optional_computed(Type::Number)
                    .describe("Share of traffic relative to the other variants (AWS default 1)."),
            )
            .unsupported_all(
                &[
                    "accelerator_type",
                    "container_startup_health_check_timeout_in_seconds",
                    "enable_ssm_access",
                    "inference_ami_version",
                    "model_data_download_timeout_in_seconds",
                    "volume_size_in_gb",
                ],
                "Plinth's production variants take model_name, instance_type, initial_instance_count, \
             initial_variant_weight and variant_name only: leave it out (SageMaker's default applies)",
            )
            .unsupported_blocks(
                &[
                    "core_dump_config",
                    "managed_instance_scaling",
                    "routing_config",
                    "serverless_config",
                ],
                "Plinth's production variants do not send this block yet: leave it out (serverless endpoints are not \
             supported yet; use instance_type and initial_instance_count)",
            );
        with_tags(with_arn_id(
        Schema::new(
            "A SageMaker endpoint configuration: the production variants an endpoint serves. There is no update \
             API: a change to anything but tags replaces it. Refresh: one ListEndpointConfigs per 100 \
             configurations (name filter), DescribeEndpointConfig only for one re-created since the last refresh, \
             and one ListTags each. Import with the configuration name.",
        )
        .attr(
            "name",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The configuration name; generated from name_prefix (or plinth-) when omitted."),
        )
        .attr(
            "name_prefix",
            Attribute::optional(Type::String)
                .force_new()
                .describe("Creates a unique name beginning with this prefix. Conflicts with name."),
        )
        .attr(
            "kms_key_arn",
            Attribute::optional(Type::String)
                .force_new()
                .describe("KMS key encrypting the storage volumes of the endpoint's instances."),
        )
        .attr(
            "creation_time",
            Attribute::computed(Type::String).describe("When the configuration was created (RFC 3339)."),
        )
        .block("production_variants", list_block(variant, 1, Some(10), true))
        .unsupported_blocks(
            &["async_inference_config", "data_capture_config", "shadow_production_variants"],
            "Plinth's aws_sagemaker_endpoint_configuration does not send this block yet: leave it out (real-time \
             endpoints without data capture or shadow variants)",
        )
        .unsupported(
            "execution_role_arn",
            "only used with inference components and async endpoints, which Plinth does not manage yet: leave it out",
        ),
    ))
    .identity(&["name"])
    });

fn variants(planned: &Value) -> Vec<ProductionVariant> {
    items(planned, "production_variants")
        .iter()
        .enumerate()
        .map(|(i, v)| {
            ProductionVariant::builder()
                .variant_name(opt_str(v, "variant_name").unwrap_or_else(|| format!("variant-{}", i + 1)))
                .set_model_name(opt_str(v, "model_name"))
                .set_initial_instance_count(opt_i32(v, "initial_instance_count"))
                .set_instance_type(opt_str(v, "instance_type").map(|t| ProductionVariantInstanceType::from(t.as_str())))
                .set_initial_variant_weight(v.get("initial_variant_weight").as_f64().map(|w| w as f32))
                .build()
        })
        .collect()
}

#[async_trait]
impl SageMakerType for EndpointConfiguration {
    type Described = DescribeEndpointConfigOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = name_or_generated(planned, "name", "name_prefix", "plinth-");
        let tags = ctx.merged_tags(planned.get("tags"));
        ctx.sagemaker
            .create_endpoint_config()
            .endpoint_config_name(&name)
            .set_production_variants(Some(variants(planned)))
            .set_kms_key_id(opt_str(planned, "kms_key_arn"))
            .set_tags(sm_tags(&tags))
            .send()
            .await
            .map_err(aws_error)?;
        Self::created(ctx, &name, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeEndpointConfigOutput>, ProviderError> {
        let call = ctx
            .sagemaker
            .describe_endpoint_config()
            .endpoint_config_name(name)
            .send();
        call_found(call).await
    }

    fn to_value(d: &DescribeEndpointConfigOutput, prior: &Value) -> Value {
        let name = d.endpoint_config_name().unwrap_or_default();
        let variants = d
            .production_variants()
            .iter()
            .map(|v| {
                Value::object([
                    ("variant_name", opt_string(v.variant_name())),
                    ("model_name", opt_string(v.model_name())),
                    ("initial_instance_count", int(v.initial_instance_count())),
                    (
                        "instance_type",
                        opt_string(v.instance_type().map(|t| t.as_str().to_string())),
                    ),
                    ("initial_variant_weight", float(v.initial_variant_weight())),
                ])
            })
            .collect();
        Value::object([
            ("name", string(name)),
            ("id", string(name)),
            ("arn", opt_string(d.endpoint_config_arn())),
            ("name_prefix", prior.get("name_prefix").clone()),
            ("kms_key_arn", opt_string(d.kms_key_id())),
            ("creation_time", time(d.creation_time())),
            ("production_variants", Value::List(variants)),
        ])
    }

    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |filter| {
            let list = ctx
                .sagemaker
                .list_endpoint_configs()
                .set_name_contains(filter)
                .max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(names, items, |c| {
            let listed = Listed::new(c.endpoint_config_arn(), c.creation_time());
            Some((c.endpoint_config_name()?.to_string(), listed))
        });
        Ok(Some(listed.await?))
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        let call = ctx.sagemaker.delete_endpoint_config().endpoint_config_name(name).send();
        delete_call(call).await
    }
}
