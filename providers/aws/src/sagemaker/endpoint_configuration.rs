//! `aws_sagemaker_endpoint_configuration`: which models an endpoint serves, on what instances
//! (GPU types such as ml.g5.xlarge or ml.p4d.24xlarge) and with what traffic weights, whether it
//! captures requests and responses to S3 (`data_capture_config`, what a drift monitor reads) and
//! how it answers asynchronous invocations (`async_inference_config`). There is no update API:
//! every attribute but `tags` replaces it (roll a new one out to the endpoint).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_endpoint_config::DescribeEndpointConfigOutput;
use aws_sdk_sagemaker::types::{
    AsyncInferenceClientConfig, AsyncInferenceConfig, AsyncInferenceNotificationConfig, AsyncInferenceOutputConfig,
    AsyncNotificationTopicTypes, CaptureContentTypeHeader, CaptureMode, CaptureOption, DataCaptureConfig,
    ProductionVariant, ProductionVariantInstanceType,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::adopt;
use super::{
    Kind, Listed, SageMakerType, block, float, int, items, list as list_block, list_named, opt_i32, single, sm_tags,
    time, with_arn_id, with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, opt_bool, opt_str, opt_string, sorted_strings, str_list, string};

pub struct EndpointConfiguration;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_endpoint_configuration",
    noun: "endpoint configuration",
    name_attr: "name",
    stamp: Some("creation_time"),
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
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
                "capacity_reservation_config",
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
        .block("data_capture_config", single(data_capture_schema(), 0, true))
        .block("async_inference_config", single(async_inference_schema(), 0, true))
        .unsupported_block(
            "shadow_production_variants",
            "Plinth's aws_sagemaker_endpoint_configuration does not send shadow variants yet (the emulator Plinth is \
             tested against drops them, so their round trip cannot be checked): leave it out and test a new model \
             with a second production variant and a traffic weight instead",
        )
        .unsupported(
            "execution_role_arn",
            "only used with inference components and async endpoints, which Plinth does not manage yet: leave it out",
        ),
    ))
    .identity(&["name"])
});

fn string_set() -> Type {
    Type::Set(Box::new(Type::String))
}

/// `data_capture_config`: what the endpoint captures to S3 (Model Monitor's input).
fn data_capture_schema() -> Schema {
    let option = Schema::new("One kind of data to capture.").attr(
        "capture_mode",
        Attribute::required(Type::String).describe("Input, Output or InputAndOutput."),
    );
    let header = Schema::new("The content types whose payloads are captured as text (CSV or JSON).")
        .attr(
            "csv_content_types",
            Attribute::optional(string_set()).describe("CSV content types, such as text/csv."),
        )
        .attr(
            "json_content_types",
            Attribute::optional(string_set()).describe("JSON content types, such as application/json."),
        );
    Schema::new("Capture of the endpoint's requests and responses to S3 (what a data-quality monitor reads).")
        .attr(
            "enable_capture",
            Attribute::optional(Type::Bool).describe("Whether capture is on (default false, as in Terraform)."),
        )
        .attr(
            "initial_sampling_percentage",
            Attribute::required(Type::Number).describe("Share of requests captured, 0 to 100."),
        )
        .attr(
            "destination_s3_uri",
            Attribute::required(Type::String).describe("S3 URI the captured data is written under."),
        )
        .attr(
            "kms_key_id",
            Attribute::optional(Type::String).describe("ARN of the KMS key encrypting the captured data in S3."),
        )
        .block("capture_options", list_block(option, 1, Some(2), true))
        .block("capture_content_type_header", single(header, 0, true))
}

/// `async_inference_config`: where asynchronous invocations write their results.
fn async_inference_schema() -> Schema {
    let client = Schema::new("How SageMaker's client calls the model container.").attr(
        "max_concurrent_invocations_per_instance",
        Attribute::optional(Type::Number)
            .describe("Concurrent requests per instance, 1 to 1000 (SageMaker chooses when omitted)."),
    );
    let notification = Schema::new("SNS notifications of finished invocations.")
        .attr(
            "success_topic",
            Attribute::optional(Type::String).describe("SNS topic ARN told of each success."),
        )
        .attr(
            "error_topic",
            Attribute::optional(Type::String).describe("SNS topic ARN told of each failure."),
        )
        .attr(
            "include_inference_response_in",
            Attribute::optional(string_set()).describe(
                "Topics whose notification carries the response: SUCCESS_NOTIFICATION_TOPIC, ERROR_NOTIFICATION_TOPIC.",
            ),
        );
    let output = Schema::new("Where results go.")
        .attr(
            "s3_output_path",
            Attribute::required(Type::String).describe("S3 location of the responses."),
        )
        .attr(
            "s3_failure_path",
            Attribute::optional(Type::String).describe("S3 location of failed invocations' responses."),
        )
        .attr(
            "kms_key_id",
            Attribute::optional(Type::String).describe("KMS key encrypting the output in S3."),
        )
        .block("notification_config", single(notification, 0, true));
    Schema::new("Asynchronous inference: requests queued, results written to S3.")
        .block("client_config", single(client, 0, true))
        .block("output_config", single(output, 1, true))
}

/// A set of strings as sent to AWS (`None` when empty).
fn opt_set(v: &Value, key: &str) -> Option<Vec<String>> {
    Some(str_list(v, key)).filter(|l| !l.is_empty())
}

/// A set of strings as state holds it (`Null` when AWS has none).
fn set_value(items: &[String]) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        sorted_strings(items.iter().cloned())
    }
}

fn data_capture(planned: &Value) -> Option<DataCaptureConfig> {
    let c = block(planned, "data_capture_config")?;
    let options = items(c, "capture_options")
        .iter()
        .map(|o| {
            CaptureOption::builder()
                .set_capture_mode(opt_str(o, "capture_mode").map(|m| CaptureMode::from(m.as_str())))
                .build()
        })
        .collect();
    let header = block(c, "capture_content_type_header").map(|h| {
        CaptureContentTypeHeader::builder()
            .set_csv_content_types(opt_set(h, "csv_content_types"))
            .set_json_content_types(opt_set(h, "json_content_types"))
            .build()
    });
    Some(
        DataCaptureConfig::builder()
            // Left out, Terraform sends false: so does Plinth (the plan fills it in).
            .enable_capture(opt_bool(c, "enable_capture").unwrap_or(false))
            .set_initial_sampling_percentage(opt_i32(c, "initial_sampling_percentage"))
            .set_destination_s3_uri(opt_str(c, "destination_s3_uri"))
            .set_kms_key_id(opt_str(c, "kms_key_id"))
            .set_capture_options(Some(options))
            .set_capture_content_type_header(header)
            .build(),
    )
}

fn data_capture_value(d: Option<&DataCaptureConfig>) -> Value {
    // An empty DataCaptureConfig (moto answers one for a configuration without) is none.
    let Some(d) = d.filter(|d| d.destination_s3_uri().is_some()) else {
        return Value::Null;
    };
    let options = d
        .capture_options()
        .iter()
        .map(|o| Value::object([("capture_mode", opt_string(o.capture_mode().map(|m| m.as_str())))]))
        .collect();
    let header = d.capture_content_type_header().map_or(Value::Null, |h| {
        Value::object([
            ("csv_content_types", set_value(h.csv_content_types())),
            ("json_content_types", set_value(h.json_content_types())),
        ])
    });
    Value::object([
        ("enable_capture", Value::Bool(d.enable_capture().unwrap_or(false))),
        ("initial_sampling_percentage", int(d.initial_sampling_percentage())),
        ("destination_s3_uri", opt_string(d.destination_s3_uri())),
        ("kms_key_id", opt_string(d.kms_key_id())),
        ("capture_options", Value::List(options)),
        ("capture_content_type_header", header),
    ])
}

fn async_inference(planned: &Value) -> Option<AsyncInferenceConfig> {
    let c = block(planned, "async_inference_config")?;
    let client = block(c, "client_config").map(|cc| {
        AsyncInferenceClientConfig::builder()
            .set_max_concurrent_invocations_per_instance(opt_i32(cc, "max_concurrent_invocations_per_instance"))
            .build()
    });
    let output = block(c, "output_config").map(|o| {
        let notification = block(o, "notification_config").map(|n| {
            AsyncInferenceNotificationConfig::builder()
                .set_success_topic(opt_str(n, "success_topic"))
                .set_error_topic(opt_str(n, "error_topic"))
                .set_include_inference_response_in(opt_set(n, "include_inference_response_in").map(|l| {
                    l.iter()
                        .map(|t| AsyncNotificationTopicTypes::from(t.as_str()))
                        .collect()
                }))
                .build()
        });
        AsyncInferenceOutputConfig::builder()
            .set_s3_output_path(opt_str(o, "s3_output_path"))
            .set_s3_failure_path(opt_str(o, "s3_failure_path"))
            .set_kms_key_id(opt_str(o, "kms_key_id"))
            .set_notification_config(notification)
            .build()
    });
    Some(
        AsyncInferenceConfig::builder()
            .set_client_config(client)
            .set_output_config(output)
            .build(),
    )
}

fn async_inference_value(a: Option<&AsyncInferenceConfig>) -> Value {
    let Some(a) = a.filter(|a| a.output_config().is_some()) else {
        return Value::Null;
    };
    let client = a.client_config().map_or(Value::Null, |c| {
        Value::object([(
            "max_concurrent_invocations_per_instance",
            int(c.max_concurrent_invocations_per_instance()),
        )])
    });
    let output = a.output_config().map_or(Value::Null, |o| {
        let notification = o.notification_config().map_or(Value::Null, |n| {
            let topics: Vec<String> = n
                .include_inference_response_in()
                .iter()
                .map(|t| t.as_str().to_string())
                .collect();
            Value::object([
                ("success_topic", opt_string(n.success_topic())),
                ("error_topic", opt_string(n.error_topic())),
                ("include_inference_response_in", set_value(&topics)),
            ])
        });
        Value::object([
            ("s3_output_path", opt_string(o.s3_output_path())),
            ("s3_failure_path", opt_string(o.s3_failure_path())),
            ("kms_key_id", opt_string(o.kms_key_id())),
            ("notification_config", notification),
        ])
    });
    Value::object([("client_config", client), ("output_config", output)])
}

/// The configuration with Terraform's default for `data_capture_config.enable_capture` (false)
/// when the block leaves it out, so that the false AWS reports is no change.
fn with_capture_default(config: &Value) -> Value {
    let mut out = config.clone();
    if let Value::Map(m) = &mut out
        && let Some(Value::Map(c)) = m.get_mut("data_capture_config")
        && c.get("enable_capture").is_none_or(Value::is_null)
    {
        c.insert("enable_capture".to_string(), Value::Bool(false));
    }
    out
}

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

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let req = PlanRequest {
            config: with_capture_default(&req.config),
            ..req.clone()
        };
        super::plan(KIND.schema(), ctx, &req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let tags = ctx.merged_tags(planned.get("tags"));
        let sent = ctx
            .sagemaker
            .create_endpoint_config()
            .endpoint_config_name(&name)
            .set_production_variants(Some(variants(planned)))
            .set_kms_key_id(opt_str(planned, "kms_key_arn"))
            .set_data_capture_config(data_capture(planned))
            .set_async_inference_config(async_inference(planned))
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        Self::created(ctx, &name, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeEndpointConfigOutput>, ProviderError> {
        let call = ctx
            .sagemaker
            .describe_endpoint_config()
            .endpoint_config_name(name)
            .send()
            .boxed();
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
            ("data_capture_config", data_capture_value(d.data_capture_config())),
            (
                "async_inference_config",
                async_inference_value(d.async_inference_config()),
            ),
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
        let call = ctx
            .sagemaker
            .delete_endpoint_config()
            .endpoint_config_name(name)
            .send()
            .boxed();
        delete_call(call).await
    }
}
