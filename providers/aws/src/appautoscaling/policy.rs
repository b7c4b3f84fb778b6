//! `aws_appautoscaling_policy`: a scaling policy on a scalable target, either target tracking
//! (keep a metric near a value, such as a SageMaker variant's invocations per instance) or step
//! scaling (add or remove capacity in steps when a CloudWatch alarm fires). PutScalingPolicy
//! creates and updates it in place; DeleteScalingPolicy deletes it. The alarms a target tracking
//! policy makes are AWS's: their ARNs are reported in `alarm_arns`.
//!
//! Refresh: one DescribeScalingPolicies (paged) per service namespace and 50 policy names; the
//! answer is matched on name, resource id and dimension. Policies have no tags. The id is the
//! policy name, as in Terraform; import takes
//! `SERVICE_NAMESPACE/RESOURCE_ID/SCALABLE_DIMENSION/POLICY_NAME`.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_applicationautoscaling::types::{
    AdjustmentType, CustomizedMetricSpecification, MetricAggregationType, MetricDimension, MetricStatistic, MetricType,
    PolicyType, PredefinedMetricSpecification, ScalingPolicy, StepAdjustment, StepScalingPolicyConfiguration,
    TargetTrackingScalingPolicyConfiguration,
};
use futures::FutureExt as _;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::{Key, describe_all, int, int32, parse_import_id};
use crate::error::aws_error;
use crate::util::{
    as_block_set, delete_call, error_at, items, list, list_of_strings, one_of, opt_str, plan_blocks, req_str, string,
    with_defaults,
};
use crate::{AwsResource, Ctx};

pub struct Policy;

const POLICY_TYPES: [&str; 2] = ["StepScaling", "TargetTrackingScaling"];

fn set(schema: Schema) -> BlockSchema {
    BlockSchema {
        nesting: Nesting::Set,
        schema,
        min_items: 0,
        max_items: None,
        force_new: false,
    }
}

static SCHEMA: LazyLock<Schema> =
    LazyLock::new(|| {
        let step = Schema::new("One step: the adjustment made while the metric is this far from the alarm threshold.")
            .attr(
                "metric_interval_lower_bound",
                Attribute::optional(Type::Number).describe(
                    "Lower bound of the metric's difference from the threshold; minus infinity when left out.",
                ),
            )
            .attr(
                "metric_interval_upper_bound",
                Attribute::optional(Type::Number)
                    .describe("Upper bound of the metric's difference from the threshold; infinity when left out."),
            )
            .attr(
                "scaling_adjustment",
                Attribute::required(Type::Number).describe("Capacity to add (positive) or remove (negative)."),
            );
        let step_config = Schema::new("A step scaling policy (policy_type = \"StepScaling\").")
            .attr(
                "adjustment_type",
                Attribute::optional(Type::String)
                    .describe("ChangeInCapacity, ExactCapacity or PercentChangeInCapacity."),
            )
            .attr(
                "cooldown",
                Attribute::optional(Type::Number)
                    .describe("Seconds after a scaling activity before the next may start."),
            )
            .attr(
                "metric_aggregation_type",
                Attribute::optional(Type::String).describe("Minimum, Maximum or Average (AWS's default)."),
            )
            .attr(
                "min_adjustment_magnitude",
                Attribute::optional(Type::Number)
                    .describe("With PercentChangeInCapacity: the least capacity a step changes."),
            )
            .block("step_adjustment", set(step));
        let predefined = Schema::new("A metric AWS defines for the service.")
            .attr(
                "predefined_metric_type",
                Attribute::required(Type::String).describe(
                    "The metric, such as SageMakerVariantInvocationsPerInstance or ECSServiceAverageCPUUtilization.",
                ),
            )
            .attr(
                "resource_label",
                Attribute::optional(Type::String)
                    .describe("Identifies the load balancer target group for ALBRequestCountPerTarget."),
            );
        let dimension = Schema::new("One dimension of the metric.")
            .attr(
                "name",
                Attribute::required(Type::String).describe("The dimension's name."),
            )
            .attr("value", Attribute::required(Type::String).describe("Its value."));
        let customized = Schema::new("A CloudWatch metric of your choice.")
        .attr("metric_name", Attribute::optional(Type::String).describe("The metric's name."))
        .attr("namespace", Attribute::optional(Type::String).describe("The metric's namespace."))
        .attr(
            "statistic",
            Attribute::optional(Type::String).describe("Average, Minimum, Maximum, SampleCount or Sum."),
        )
        .attr("unit", Attribute::optional(Type::String).describe("The metric's unit."))
        .block("dimensions", set(dimension))
        .unsupported_block(
            "metrics",
            "Plinth does not send metric math queries yet: name one metric with metric_name, namespace, statistic and \
             dimensions",
        );
        let tracking = Schema::new("A target tracking policy (policy_type = \"TargetTrackingScaling\").")
            .attr(
                "target_value",
                Attribute::required(Type::Number).describe("The value the metric is kept near."),
            )
            .attr(
                "disable_scale_in",
                Attribute::optional(Type::Bool).describe("The policy only adds capacity (default false)."),
            )
            .attr(
                "scale_in_cooldown",
                Attribute::optional(Type::Number).describe("Seconds after a scale-in before the next may start."),
            )
            .attr(
                "scale_out_cooldown",
                Attribute::optional(Type::Number).describe("Seconds after a scale-out before the next may start."),
            )
            .block("predefined_metric_specification", list(predefined, 0, Some(1), false))
            .block("customized_metric_specification", list(customized, 0, Some(1), false));
        Schema::new(
            "A scaling policy on a scalable target (aws_appautoscaling_target). Import with \
         SERVICE_NAMESPACE/RESOURCE_ID/SCALABLE_DIMENSION/POLICY_NAME.",
        )
        .attr(
            "name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The policy name."),
        )
        .attr(
            "service_namespace",
            Attribute::required(Type::String)
                .force_new()
                .describe("The scalable target's service namespace."),
        )
        .attr(
            "resource_id",
            Attribute::required(Type::String)
                .force_new()
                .describe("The scalable target's resource id."),
        )
        .attr(
            "scalable_dimension",
            Attribute::required(Type::String)
                .force_new()
                .describe("The scalable target's dimension."),
        )
        .attr(
            "policy_type",
            Attribute::optional(Type::String).describe("StepScaling (the default) or TargetTrackingScaling."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The policy name (as in Terraform)."),
        )
        .attr("arn", Attribute::computed(Type::String).describe("The policy's ARN."))
        .attr(
            "alarm_arns",
            Attribute::computed(Type::List(Box::new(Type::String)))
                .describe("The CloudWatch alarms AWS made for a target tracking policy."),
        )
        .block(
            "step_scaling_policy_configuration",
            list(step_config, 0, Some(1), false),
        )
        .block(
            "target_tracking_scaling_policy_configuration",
            list(tracking, 0, Some(1), false),
        )
        .unsupported_block(
            "predictive_scaling_policy_configuration",
            "Plinth does not make predictive scaling policies yet: use target tracking or step scaling",
        )
        .identity(&["service_namespace", "resource_id", "scalable_dimension", "name"])
    });

fn num(n: Option<f64>) -> Value {
    n.map(Value::number).unwrap_or(Value::Null)
}

fn step_value(c: &StepScalingPolicyConfiguration) -> Value {
    let steps = c
        .step_adjustments()
        .iter()
        .map(|s| {
            Value::object([
                ("metric_interval_lower_bound", num(s.metric_interval_lower_bound())),
                ("metric_interval_upper_bound", num(s.metric_interval_upper_bound())),
                ("scaling_adjustment", Value::int(s.scaling_adjustment().into())),
            ])
        })
        .collect();
    Value::object([
        (
            "adjustment_type",
            string_of(c.adjustment_type().map(AdjustmentType::as_str)),
        ),
        ("cooldown", int(c.cooldown())),
        (
            "metric_aggregation_type",
            string_of(c.metric_aggregation_type().map(MetricAggregationType::as_str)),
        ),
        ("min_adjustment_magnitude", int(c.min_adjustment_magnitude())),
        ("step_adjustment", as_block_set(steps)),
    ])
}

fn string_of(s: Option<&str>) -> Value {
    s.filter(|s| !s.is_empty()).map(string).unwrap_or(Value::Null)
}

fn tracking_value(c: &TargetTrackingScalingPolicyConfiguration) -> Value {
    let predefined: Vec<Value> = c
        .predefined_metric_specification()
        .map(|p| {
            Value::object([
                ("predefined_metric_type", string(p.predefined_metric_type().as_str())),
                ("resource_label", string_of(p.resource_label())),
            ])
        })
        .into_iter()
        .collect();
    let customized: Vec<Value> = c
        .customized_metric_specification()
        .map(|m| {
            let dims = m
                .dimensions()
                .iter()
                .map(|d| Value::object([("name", string(d.name())), ("value", string(d.value()))]))
                .collect();
            Value::object([
                ("metric_name", string_of(m.metric_name())),
                ("namespace", string_of(m.namespace())),
                ("statistic", string_of(m.statistic().map(MetricStatistic::as_str))),
                ("unit", string_of(m.unit())),
                ("dimensions", as_block_set(dims)),
            ])
        })
        .into_iter()
        .collect();
    Value::object([
        ("target_value", Value::number(c.target_value())),
        ("disable_scale_in", Value::Bool(c.disable_scale_in().unwrap_or(false))),
        ("scale_in_cooldown", int(c.scale_in_cooldown())),
        ("scale_out_cooldown", int(c.scale_out_cooldown())),
        ("predefined_metric_specification", Value::List(predefined)),
        ("customized_metric_specification", Value::List(customized)),
    ])
}

fn to_value(p: &ScalingPolicy) -> Value {
    let step: Vec<Value> = p
        .step_scaling_policy_configuration()
        .map(step_value)
        .into_iter()
        .collect();
    let tracking: Vec<Value> = p
        .target_tracking_scaling_policy_configuration()
        .map(tracking_value)
        .into_iter()
        .collect();
    Value::object([
        ("id", string(p.policy_name())),
        ("arn", string(p.policy_arn())),
        ("name", string(p.policy_name())),
        ("service_namespace", string(p.service_namespace().as_str())),
        ("resource_id", string(p.resource_id())),
        ("scalable_dimension", string(p.scalable_dimension().as_str())),
        ("policy_type", string(p.policy_type().as_str())),
        (
            "alarm_arns",
            list_of_strings(p.alarms().iter().map(|a| a.alarm_arn().to_string())),
        ),
        ("step_scaling_policy_configuration", Value::List(step)),
        ("target_tracking_scaling_policy_configuration", Value::List(tracking)),
    ])
}

/// The policies of one namespace among `names`, by target key and name: one
/// DescribeScalingPolicies (paged) per 50 names.
async fn describe(
    ctx: &Ctx,
    namespace: &str,
    names: &[String],
) -> Result<HashMap<(Key, String), ScalingPolicy>, ProviderError> {
    let found = describe_all(names, |chunk, next| async move {
        let resp = ctx
            .appautoscaling
            .describe_scaling_policies()
            .service_namespace(namespace.into())
            .set_policy_names(Some(chunk))
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        Ok((resp.scaling_policies().to_vec(), resp.next_token().map(str::to_string)))
    })
    .await?;
    Ok(found
        .into_iter()
        .map(|p| {
            let key = Key::new(namespace, p.resource_id(), p.scalable_dimension());
            ((key, p.policy_name().to_string()), p)
        })
        .collect())
}

fn key_of(v: &Value) -> Option<(Key, String)> {
    Some((Key::of(v).ok()?, opt_str(v, "name")?))
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let keys: Vec<Option<(Key, String)>> = states.iter().map(key_of).collect();
    let mut by_namespace: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (k, name) in keys.iter().flatten() {
        by_namespace.entry(k.namespace.as_str()).or_default().push(name.clone());
    }
    let mut found = HashMap::new();
    for (namespace, mut names) in by_namespace {
        names.sort();
        names.dedup();
        found.extend(describe(ctx, namespace, &names).await?);
    }
    Ok(keys
        .iter()
        .map(|k| k.as_ref().and_then(|k| found.get(k)).map(to_value))
        .collect())
}

async fn read_one(ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
    read_many(ctx, std::slice::from_ref(planned))
        .await?
        .pop()
        .flatten()
        .ok_or_else(|| {
            ProviderError::with_code(
                "ObjectNotFoundException",
                format!(
                    "scaling policy {} disappeared",
                    opt_str(planned, "name").unwrap_or_default()
                ),
            )
        })
}

fn f64_at(v: &Value, key: &str) -> Option<f64> {
    v.get(key).as_f64()
}

fn step_config(c: &Value) -> Result<StepScalingPolicyConfiguration, ProviderError> {
    let steps: Vec<StepAdjustment> = items(c, "step_adjustment")
        .iter()
        .map(|s| {
            StepAdjustment::builder()
                .set_metric_interval_lower_bound(f64_at(s, "metric_interval_lower_bound"))
                .set_metric_interval_upper_bound(f64_at(s, "metric_interval_upper_bound"))
                .set_scaling_adjustment(int32(s, "scaling_adjustment"))
                .build()
                .map_err(|e| ProviderError::new(format!("step_adjustment: {e}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(StepScalingPolicyConfiguration::builder()
        .set_adjustment_type(opt_str(c, "adjustment_type").map(|s| AdjustmentType::from(s.as_str())))
        .set_cooldown(int32(c, "cooldown"))
        .set_metric_aggregation_type(
            opt_str(c, "metric_aggregation_type").map(|s| MetricAggregationType::from(s.as_str())),
        )
        .set_min_adjustment_magnitude(int32(c, "min_adjustment_magnitude").filter(|n| *n > 0))
        .set_step_adjustments((!steps.is_empty()).then_some(steps))
        .build())
}

fn tracking_config(c: &Value) -> Result<TargetTrackingScalingPolicyConfiguration, ProviderError> {
    let predefined = items(c, "predefined_metric_specification")
        .first()
        .map(|p| {
            PredefinedMetricSpecification::builder()
                .set_predefined_metric_type(opt_str(p, "predefined_metric_type").map(|s| MetricType::from(s.as_str())))
                .set_resource_label(opt_str(p, "resource_label"))
                .build()
                .map_err(|e| ProviderError::new(format!("predefined_metric_specification: {e}")))
        })
        .transpose()?;
    let customized = items(c, "customized_metric_specification")
        .first()
        .map(|m| {
            let dims = items(m, "dimensions")
                .iter()
                .map(|d| {
                    MetricDimension::builder()
                        .set_name(opt_str(d, "name"))
                        .set_value(d.get("value").as_str().map(str::to_string))
                        .build()
                        .map_err(|e| ProviderError::new(format!("dimensions: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, ProviderError>(
                CustomizedMetricSpecification::builder()
                    .set_metric_name(opt_str(m, "metric_name"))
                    .set_namespace(opt_str(m, "namespace"))
                    .set_statistic(opt_str(m, "statistic").map(|s| MetricStatistic::from(s.as_str())))
                    .set_unit(opt_str(m, "unit"))
                    .set_dimensions((!dims.is_empty()).then_some(dims))
                    .build(),
            )
        })
        .transpose()?;
    TargetTrackingScalingPolicyConfiguration::builder()
        .set_target_value(f64_at(c, "target_value"))
        .set_disable_scale_in(c.get("disable_scale_in").as_bool())
        .set_scale_in_cooldown(int32(c, "scale_in_cooldown"))
        .set_scale_out_cooldown(int32(c, "scale_out_cooldown"))
        .set_predefined_metric_specification(predefined)
        .set_customized_metric_specification(customized)
        .build()
        .map_err(|e| ProviderError::new(format!("target_tracking_scaling_policy_configuration: {e}")))
}

async fn put(ctx: &Ctx, planned: &Value) -> Result<(), ProviderError> {
    let key = Key::of(planned)?;
    let tracking = items(planned, "target_tracking_scaling_policy_configuration")
        .first()
        .map(tracking_config)
        .transpose()?;
    let step = items(planned, "step_scaling_policy_configuration")
        .first()
        .map(step_config)
        .transpose()?;
    ctx.appautoscaling
        .put_scaling_policy()
        .policy_name(req_str(planned, "name")?)
        .service_namespace(key.namespace())
        .resource_id(&key.resource_id)
        .scalable_dimension(key.dimension())
        .set_policy_type(opt_str(planned, "policy_type").map(|s| PolicyType::from(s.as_str())))
        .set_step_scaling_policy_configuration(step)
        .set_target_tracking_scaling_policy_configuration(tracking)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

#[async_trait]
impl AwsResource for Policy {
    fn type_name(&self) -> &'static str {
        "aws_appautoscaling_policy"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out: Vec<ProviderDiagnostic> = one_of(config.get("policy_type"), "policy_type", &POLICY_TYPES)
            .into_iter()
            .collect();
        if let Some(n) = config.get("name").as_str()
            && (n.is_empty() || n.len() > 255)
        {
            out.push(error_at("name", "Invalid name", format!("{n:?}: 1 to 255 characters")));
        }
        let kind = config.get("policy_type").as_str().unwrap_or("StepScaling");
        let step = !items(config, "step_scaling_policy_configuration").is_empty();
        let tracking = !items(config, "target_tracking_scaling_policy_configuration").is_empty();
        if kind == "StepScaling" && tracking {
            out.push(error_at(
                "target_tracking_scaling_policy_configuration",
                "Invalid target_tracking_scaling_policy_configuration",
                "a target tracking configuration needs policy_type = \"TargetTrackingScaling\"",
            ));
        }
        if kind == "TargetTrackingScaling" && step {
            out.push(error_at(
                "step_scaling_policy_configuration",
                "Invalid step_scaling_policy_configuration",
                "a step scaling configuration needs policy_type = \"StepScaling\" (the default)",
            ));
        }
        for (i, t) in items(config, "target_tracking_scaling_policy_configuration")
            .iter()
            .enumerate()
        {
            let predefined = !items(t, "predefined_metric_specification").is_empty();
            let customized = !items(t, "customized_metric_specification").is_empty();
            if predefined && customized {
                out.push(error_at(
                    &format!("target_tracking_scaling_policy_configuration[{i}].customized_metric_specification"),
                    "Conflicting blocks",
                    "give predefined_metric_specification or customized_metric_specification, not both",
                ));
            }
        }
        out
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut config = with_defaults(&req.config, &[("policy_type", string("StepScaling"))]);
        // disable_scale_in left out is false, as in Terraform.
        if let Value::Map(m) = &mut config
            && let Some(Value::List(blocks)) = m.get_mut("target_tracking_scaling_policy_configuration")
        {
            for b in blocks.iter_mut() {
                *b = with_defaults(b, &[("disable_scale_in", Value::Bool(false))]);
            }
        }
        let mut resp = plan_blocks(&SCHEMA, &PlanRequest { config, ..req.clone() });
        if let Value::Map(m) = &mut resp.planned {
            let id = m.get("name").cloned().unwrap_or(Value::Unknown);
            m.insert("id".into(), id);
        }
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        put(ctx, planned).await?;
        read_one(ctx, planned).await
    }

    async fn update(&self, ctx: &Ctx, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        put(ctx, planned).await?;
        read_one(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let key = Key::of(prior)?;
        delete_call(
            ctx.appautoscaling
                .delete_scaling_policy()
                .policy_name(req_str(prior, "name")?)
                .service_namespace(key.namespace())
                .resource_id(&key.resource_id)
                .scalable_dimension(key.dimension())
                .send()
                .boxed(),
        )
        .await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (key, name) = parse_import_id(id, true)
            .and_then(|(k, n)| Some((k, n?)))
            .ok_or_else(|| {
                ProviderError::with_code(
                    "InvalidImportId",
                    format!("{id:?}: expected SERVICE_NAMESPACE/RESOURCE_ID/SCALABLE_DIMENSION/POLICY_NAME"),
                )
            })?;
        let found = describe(ctx, &key.namespace, std::slice::from_ref(&name)).await?;
        found
            .get(&(key, name))
            .map(to_value)
            .ok_or_else(|| ProviderError::with_code("ObjectNotFoundException", format!("no scaling policy {id}")))
    }
}
