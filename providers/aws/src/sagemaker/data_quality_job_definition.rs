//! `aws_sagemaker_data_quality_job_definition`: how a data-quality (drift) monitoring job runs:
//! the analyzer image, the endpoint whose captured traffic it reads, where reports go and on what
//! instances, the analyzer's environment, the baseline (constraints and statistics) it compares
//! with, its network and its time limit. There is no update API: every attribute but `tags`
//! replaces it.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_data_quality_job_definition::DescribeDataQualityJobDefinitionOutput;
use aws_sdk_sagemaker::types::{
    DataQualityAppSpecification, DataQualityBaselineConfig, DataQualityJobInput, EndpointInput,
    MonitoringClusterConfig, MonitoringConstraintsResource, MonitoringNetworkConfig, MonitoringOutput,
    MonitoringOutputConfig, MonitoringResources, MonitoringS3Output, MonitoringStatisticsResource,
    MonitoringStoppingCondition, ProcessingInstanceType, VpcConfig,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::adopt;
use super::{
    Kind, Listed, SageMakerType, block, int, invalid, list_named, map_type, opt_i32, single, sm_tags, string_map, time,
    with_arn_id, with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{
    call_found, delete_call, opt_bool, opt_str, opt_string, req_str, sorted_strings, str_list, str_map, string,
};

pub struct DataQualityJobDefinition;

/// SageMaker's conventional paths inside the monitoring container (Terraform's defaults too).
const DEFAULT_INPUT_PATH: &str = "/opt/ml/processing/input";
const DEFAULT_OUTPUT_PATH: &str = "/opt/ml/processing/output";

/// The range SageMaker (and Terraform) accept for `stopping_condition.max_runtime_in_seconds`.
const MAX_RUNTIME: std::ops::RangeInclusive<i64> = 1..=3600;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_data_quality_job_definition",
    noun: "data quality job definition",
    name_attr: "name",
    stamp: Some("creation_time"),
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let app = Schema::new("The analyzer container.")
        .attr(
            "image_uri",
            Attribute::required(Type::String).describe("The monitoring (model-monitor analyzer) image."),
        )
        .attr(
            "environment",
            Attribute::optional(map_type())
                .describe("Environment variables of the analyzer container (names [a-zA-Z_][a-zA-Z0-9_]*)."),
        )
        .unsupported_all(
            &["post_analytics_processor_source_uri", "record_preprocessor_source_uri"],
            "Plinth's data quality app specification does not send processor scripts yet: leave it out (the \
             analyzer's built-in processing applies)",
        );
    let s3_resource = |what: &str| {
        Schema::new(&format!("The baseline's {what}.")).attr(
            "s3_uri",
            Attribute::optional(Type::String).describe(&format!("S3 URI of the {what} file ({what}.json).")),
        )
    };
    let baseline = Schema::new(
        "The baseline the analyzer compares each run with: the constraints and statistics a baselining job \
         produced.",
    )
    .block("constraints_resource", single(s3_resource("constraints"), 0, true))
    .block("statistics_resource", single(s3_resource("statistics"), 0, true));
    let vpc = Schema::new("The VPC the monitoring job runs in.")
        .attr(
            "security_group_ids",
            Attribute::required(Type::Set(Box::new(Type::String))).describe("Security group ids (1 to 5)."),
        )
        .attr(
            "subnets",
            Attribute::required(Type::Set(Box::new(Type::String))).describe("Subnet ids (1 to 16)."),
        );
    let network = Schema::new("The monitoring job's network.")
        .attr(
            "enable_inter_container_traffic_encryption",
            Attribute::optional(Type::Bool).describe("Encrypt the traffic between the job's instances."),
        )
        .attr(
            "enable_network_isolation",
            Attribute::optional(Type::Bool).describe("Run the job's containers without network access."),
        )
        .block("vpc_config", single(vpc, 0, true));
    let stopping = Schema::new("The monitoring job's time limit.").attr(
        "max_runtime_in_seconds",
        Attribute::optional_computed(Type::Number)
            .describe("The longest a run may take, 1 to 3600 seconds (SageMaker's default: 3600)."),
    );
    let endpoint_input = Schema::new("The endpoint whose captured requests and responses are analyzed.")
        .attr(
            "endpoint_name",
            Attribute::required(Type::String).describe("The aws_sagemaker_endpoint to monitor."),
        )
        .attr(
            "local_path",
            Attribute::optional_computed(Type::String)
                .describe("Where the input is mounted in the container (default /opt/ml/processing/input)."),
        )
        .unsupported_all(
            &["s3_data_distribution_type", "s3_input_mode"],
            "Plinth's endpoint input uses SageMaker's defaults (FullyReplicated, File): leave it out",
        );
    let input = Schema::new("The job's input.")
        .block("endpoint_input", single(endpoint_input, 1, false))
        .unsupported_block(
            "batch_transform_input",
            "Plinth's data quality jobs monitor an endpoint (endpoint_input) only, not batch transform output yet",
        );
    let s3_output = Schema::new("An S3 output.")
        .attr(
            "s3_uri",
            Attribute::required(Type::String).describe("Where reports are uploaded."),
        )
        .attr(
            "local_path",
            Attribute::optional_computed(Type::String)
                .describe("Where the container writes them (default /opt/ml/processing/output)."),
        )
        .unsupported(
            "s3_upload_mode",
            "Plinth's S3 outputs use SageMaker's default upload mode (EndOfJob): leave it out",
        );
    let outputs = Schema::new("The job's output.").block("s3_output", single(s3_output, 1, false));
    let output = Schema::new("Where the job's results go.")
        .block("monitoring_outputs", single(outputs, 1, false))
        .unsupported(
            "kms_key_id",
            "Plinth's monitoring outputs use the bucket's default encryption (no kms_key_id yet): leave it out",
        );
    let cluster = Schema::new("The instances the job runs on.")
        .attr(
            "instance_count",
            Attribute::required(Type::Number).describe("Number of instances."),
        )
        .attr(
            "instance_type",
            Attribute::required(Type::String).describe("Instance type, such as ml.m5.xlarge."),
        )
        .attr(
            "volume_size_in_gb",
            Attribute::required(Type::Number).describe("Storage per instance, in GB."),
        )
        .unsupported(
            "volume_kms_key_id",
            "Plinth's monitoring jobs use the default volume encryption (no volume_kms_key_id yet): leave it out",
        );
    let resources = Schema::new("Compute for the job.").block("cluster_config", single(cluster, 1, false));
    with_tags(with_arn_id(
        Schema::new(
            "A SageMaker data-quality monitoring job definition (drift detection on an endpoint's traffic), run \
             by an aws_sagemaker_monitoring_schedule. There is no update API: a change to anything but tags \
             replaces it. Refresh: one ListDataQualityJobDefinitions per 100 definitions (name filter), \
             DescribeDataQualityJobDefinition only for one re-created since the last refresh, and one ListTags \
             each. Import with the job definition name.",
        )
        .attr(
            "name",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The job definition name; generated (plinth-...) when omitted."),
        )
        .attr(
            "role_arn",
            Attribute::required(Type::String)
                .force_new()
                .describe("IAM role the monitoring job runs as."),
        )
        .attr(
            "creation_time",
            Attribute::computed(Type::String).describe("When the definition was created (RFC 3339)."),
        )
        .block("data_quality_app_specification", single(app, 1, true))
        .block("data_quality_job_input", single(input, 1, true))
        .block("data_quality_job_output_config", single(output, 1, true))
        .block("job_resources", single(resources, 1, true))
        .block("data_quality_baseline_config", single(baseline, 0, true))
        .block("network_config", single(network, 0, true))
        .block("stopping_condition", single(stopping, 0, true))
        .computed_when_omitted("stopping_condition"),
    ))
    .identity(&["name"])
});

#[async_trait]
impl SageMakerType for DataQualityJobDefinition {
    type Described = DescribeDataQualityJobDefinitionOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let runtime = config.get("stopping_condition").get("max_runtime_in_seconds");
        match runtime.as_f64() {
            Some(n) if n.fract() != 0.0 || !MAX_RUNTIME.contains(&(n as i64)) => vec![invalid(
                "stopping_condition.max_runtime_in_seconds",
                "Invalid max_runtime_in_seconds",
                format!("max_runtime_in_seconds must be a whole number of seconds from 1 to 3600, not {n}"),
            )],
            _ => vec![],
        }
    }

    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let tags = ctx.merged_tags(planned.get("tags"));
        let app = block(planned, "data_quality_app_specification").map(|a| {
            let env = str_map(a, "environment");
            DataQualityAppSpecification::builder()
                .set_image_uri(opt_str(a, "image_uri"))
                .set_environment((!env.is_empty()).then(|| env.into_iter().collect()))
                .build()
        });
        let input = block(planned, "data_quality_job_input").map(|i| {
            DataQualityJobInput::builder()
                .set_endpoint_input(block(i, "endpoint_input").map(|e| {
                    EndpointInput::builder()
                        .set_endpoint_name(opt_str(e, "endpoint_name"))
                        .local_path(opt_str(e, "local_path").unwrap_or_else(|| DEFAULT_INPUT_PATH.to_string()))
                        .build()
                }))
                .build()
        });
        let output = block(planned, "data_quality_job_output_config").map(|o| {
            let outputs = block(o, "monitoring_outputs").map(|m| {
                MonitoringOutput::builder()
                    .set_s3_output(block(m, "s3_output").map(|s| {
                        MonitoringS3Output::builder()
                            .set_s3_uri(opt_str(s, "s3_uri"))
                            .local_path(opt_str(s, "local_path").unwrap_or_else(|| DEFAULT_OUTPUT_PATH.to_string()))
                            .build()
                    }))
                    .build()
            });
            MonitoringOutputConfig::builder()
                .set_monitoring_outputs(outputs.map(|m| vec![m]))
                .build()
        });
        let resources = block(planned, "job_resources").map(|r| {
            MonitoringResources::builder()
                .set_cluster_config(block(r, "cluster_config").map(|c| {
                    MonitoringClusterConfig::builder()
                        .set_instance_count(opt_i32(c, "instance_count"))
                        .set_instance_type(
                            opt_str(c, "instance_type").map(|t| ProcessingInstanceType::from(t.as_str())),
                        )
                        .set_volume_size_in_gb(opt_i32(c, "volume_size_in_gb"))
                        .build()
                }))
                .build()
        });
        let sent = ctx
            .sagemaker
            .create_data_quality_job_definition()
            .job_definition_name(&name)
            .role_arn(req_str(planned, "role_arn")?)
            .set_data_quality_app_specification(app)
            .set_data_quality_job_input(input)
            .set_data_quality_job_output_config(output)
            .set_job_resources(resources)
            .set_data_quality_baseline_config(baseline_config(planned))
            .set_network_config(network_config(planned))
            .set_stopping_condition(stopping_condition(planned))
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        Self::created(ctx, &name, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeDataQualityJobDefinitionOutput>, ProviderError> {
        let call = ctx
            .sagemaker
            .describe_data_quality_job_definition()
            .job_definition_name(name)
            .send()
            .boxed();
        call_found(call).await
    }

    fn to_value(d: &DescribeDataQualityJobDefinitionOutput, prior: &Value) -> Value {
        let name = d.job_definition_name().unwrap_or_default();
        let prior_env = prior.get("data_quality_app_specification").get("environment");
        let app = d
            .data_quality_app_specification()
            .map(|a| {
                Value::object([
                    ("image_uri", opt_string(a.image_uri())),
                    ("environment", string_map(a.environment(), prior_env)),
                ])
            })
            .unwrap_or(Value::Null);
        let input = d
            .data_quality_job_input()
            .map(|i| {
                let e = i
                    .endpoint_input()
                    .map(|e| {
                        Value::object([
                            ("endpoint_name", opt_string(e.endpoint_name())),
                            ("local_path", opt_string(e.local_path())),
                        ])
                    })
                    .unwrap_or(Value::Null);
                Value::object([("endpoint_input", e)])
            })
            .unwrap_or(Value::Null);
        let output = d
            .data_quality_job_output_config()
            .map(|o| {
                let first = o
                    .monitoring_outputs()
                    .first()
                    .map(|m| {
                        let s3 = m
                            .s3_output()
                            .map(|s| {
                                Value::object([
                                    ("s3_uri", opt_string(s.s3_uri())),
                                    ("local_path", opt_string(s.local_path())),
                                ])
                            })
                            .unwrap_or(Value::Null);
                        Value::object([("s3_output", s3)])
                    })
                    .unwrap_or(Value::Null);
                Value::object([("monitoring_outputs", first)])
            })
            .unwrap_or(Value::Null);
        let resources = d
            .job_resources()
            .map(|r| {
                let c = r
                    .cluster_config()
                    .map(|c| {
                        Value::object([
                            ("instance_count", int(c.instance_count())),
                            (
                                "instance_type",
                                opt_string(c.instance_type().map(|t| t.as_str().to_string())),
                            ),
                            ("volume_size_in_gb", int(c.volume_size_in_gb())),
                        ])
                    })
                    .unwrap_or(Value::Null);
                Value::object([("cluster_config", c)])
            })
            .unwrap_or(Value::Null);
        Value::object([
            ("name", string(name)),
            ("id", string(name)),
            ("arn", opt_string(d.job_definition_arn())),
            ("role_arn", opt_string(d.role_arn())),
            ("creation_time", time(d.creation_time())),
            ("data_quality_app_specification", app),
            ("data_quality_job_input", input),
            ("data_quality_job_output_config", output),
            ("job_resources", resources),
            (
                "data_quality_baseline_config",
                baseline_value(d.data_quality_baseline_config()),
            ),
            (
                "network_config",
                network_value(d.network_config(), prior.get("network_config")),
            ),
            ("stopping_condition", stopping_value(d.stopping_condition())),
        ])
    }

    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |filter| {
            let list = ctx
                .sagemaker
                .list_data_quality_job_definitions()
                .set_name_contains(filter)
                .max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(names, items, |j| {
            let listed = Listed::new(j.monitoring_job_definition_arn(), j.creation_time());
            Some((j.monitoring_job_definition_name()?.to_string(), listed))
        });
        Ok(Some(listed.await?))
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        let call = ctx
            .sagemaker
            .delete_data_quality_job_definition()
            .job_definition_name(name)
            .send()
            .boxed();
        delete_call(call).await
    }
}

// ---------------------------------------------------------------------------------------------
// The optional blocks: what CreateDataQualityJobDefinition takes, and state from its Describe.

fn baseline_config(planned: &Value) -> Option<DataQualityBaselineConfig> {
    let b = block(planned, "data_quality_baseline_config")?;
    let uri = |key| block(b, key).and_then(|r| opt_str(r, "s3_uri"));
    Some(
        DataQualityBaselineConfig::builder()
            .set_constraints_resource(
                uri("constraints_resource").map(|u| MonitoringConstraintsResource::builder().s3_uri(u).build()),
            )
            .set_statistics_resource(
                uri("statistics_resource").map(|u| MonitoringStatisticsResource::builder().s3_uri(u).build()),
            )
            .build(),
    )
}

fn network_config(planned: &Value) -> Option<MonitoringNetworkConfig> {
    let n = block(planned, "network_config")?;
    let vpc = block(n, "vpc_config").map(|v| {
        VpcConfig::builder()
            .set_security_group_ids(Some(str_list(v, "security_group_ids")))
            .set_subnets(Some(str_list(v, "subnets")))
            .build()
    });
    Some(
        MonitoringNetworkConfig::builder()
            .set_enable_inter_container_traffic_encryption(opt_bool(n, "enable_inter_container_traffic_encryption"))
            .set_enable_network_isolation(opt_bool(n, "enable_network_isolation"))
            .set_vpc_config(vpc)
            .build(),
    )
}

/// Sent only with a limit: SageMaker requires `MaxRuntimeInSeconds` in a stopping condition.
fn stopping_condition(planned: &Value) -> Option<MonitoringStoppingCondition> {
    let s = block(planned, "stopping_condition")?;
    let max = opt_i32(s, "max_runtime_in_seconds")?;
    Some(
        MonitoringStoppingCondition::builder()
            .max_runtime_in_seconds(max)
            .build(),
    )
}

/// An S3 resource block from its URI (`Null` when there is none).
fn s3_resource(uri: Option<&str>) -> Value {
    uri.map_or(Value::Null, |u| Value::object([("s3_uri", string(u))]))
}

/// A baseline with neither constraints nor statistics (some emulators answer `{}` for none) is
/// no baseline.
fn baseline_value(b: Option<&DataQualityBaselineConfig>) -> Value {
    let Some(b) = b else { return Value::Null };
    let constraints = s3_resource(b.constraints_resource().and_then(|c| c.s3_uri()));
    let statistics = s3_resource(b.statistics_resource().and_then(|s| s.s3_uri()));
    if constraints.is_null() && statistics.is_null() {
        return Value::Null;
    }
    Value::object([
        ("constraints_resource", constraints),
        ("statistics_resource", statistics),
    ])
}

/// A flag as state holds it: `false` and unset mean the same to SageMaker, so a `false` (or
/// nothing) stays whichever of the two `prior` has, as Terraform treats a boolean's zero value.
fn flag(live: Option<bool>, prior: &Value) -> Value {
    match live {
        Some(true) => Value::Bool(true),
        _ if prior.as_bool() == Some(false) => Value::Bool(false),
        _ => Value::Null,
    }
}

/// The network configuration; one that says nothing (no VPC, no flag set) is none, unless
/// `prior` (the configuration's or the state's block) has one too.
fn network_value(n: Option<&MonitoringNetworkConfig>, prior: &Value) -> Value {
    let Some(n) = n else { return Value::Null };
    let vpc = n
        .vpc_config()
        .filter(|v| !v.subnets().is_empty())
        .map_or(Value::Null, |v| {
            Value::object([
                (
                    "security_group_ids",
                    sorted_strings(v.security_group_ids().iter().cloned()),
                ),
                ("subnets", sorted_strings(v.subnets().iter().cloned())),
            ])
        });
    let encryption = flag(
        n.enable_inter_container_traffic_encryption(),
        prior.get("enable_inter_container_traffic_encryption"),
    );
    let isolation = flag(n.enable_network_isolation(), prior.get("enable_network_isolation"));
    if vpc.is_null() && encryption.is_null() && isolation.is_null() && prior.is_null() {
        return Value::Null;
    }
    Value::object([
        ("enable_inter_container_traffic_encryption", encryption),
        ("enable_network_isolation", isolation),
        ("vpc_config", vpc),
    ])
}

/// The time limit; a condition without one (some emulators answer `{}` when none was given) is
/// none.
fn stopping_value(s: Option<&MonitoringStoppingCondition>) -> Value {
    match s.and_then(|s| s.max_runtime_in_seconds()) {
        Some(n) if n > 0 => Value::object([("max_runtime_in_seconds", int(Some(n)))]),
        _ => Value::Null,
    }
}
