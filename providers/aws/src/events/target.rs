//! `aws_cloudwatch_event_target`: one target of an EventBridge rule (a Lambda function, a
//! SageMaker pipeline, a queue, ...) with its input, role, retry policy and dead-letter queue.
//! PutTargets with the same id replaces the target in place; RemoveTargets deletes it.
//!
//! Refresh: one ListTargetsByRule per rule (every target of the rule at once; a rule gone means
//! its targets are). Ids follow Terraform: the state id is `RULE-TARGET_ID` (`BUS-RULE-TARGET_ID`
//! off the default bus) and import takes `RULE/TARGET_ID` or `BUS/RULE/TARGET_ID`.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_eventbridge::types::{
    DeadLetterConfig, InputTransformer, RetryPolicy, SageMakerPipelineParameter, SageMakerPipelineParameters,
    Target as T,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{DEFAULT_BUS, bus_of};
use crate::error::{aws_error, is_not_found};
use crate::util::{
    concurrently, invalid, items, list, map_of_strings, opt_bool, opt_i64, opt_str, opt_string, plan_blocks, req_str,
    str_map, string, unique_name, with_defaults,
};
use crate::{AwsResource, Ctx};

pub struct Target;

const NOT_YET: &str = "Plinth does not manage this kind of target parameters yet: leave it out, or target a Lambda \
     function or SageMaker pipeline for now";

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let transformer = Schema::new("Builds the input from parts of the event.")
        .attr(
            "input_paths",
            Attribute::optional(Type::Map(Box::new(Type::String)))
                .describe("Names for JSON paths into the event, used in input_template as <name>."),
        )
        .attr(
            "input_template",
            Attribute::required(Type::String).describe("The input, with <name> placeholders."),
        );
    let retry = Schema::new("Retries of a failed delivery.")
        .attr(
            "maximum_event_age_in_seconds",
            Attribute::optional(Type::Number).describe("How long to keep trying (60-86400 seconds)."),
        )
        .attr(
            "maximum_retry_attempts",
            Attribute::optional(Type::Number).describe("At most this many retries (0-185)."),
        );
    let dead_letter = Schema::new("The queue that receives events that could not be delivered.")
        .attr("arn", Attribute::optional(Type::String).describe("The SQS queue ARN."));
    let parameter = Schema::new("One pipeline parameter.")
        .attr(
            "name",
            Attribute::required(Type::String).describe("The parameter name."),
        )
        .attr("value", Attribute::required(Type::String).describe("Its value."));
    let pipeline = Schema::new("Parameters of a SageMaker pipeline execution.")
        .block("pipeline_parameter_list", list(parameter, 0, Some(200), false));
    Schema::new(
        "A target of an EventBridge rule. Import with RULE/TARGET_ID, or EVENT_BUS/RULE/TARGET_ID on another bus \
         than default.",
    )
    .attr(
        "rule",
        Attribute::required(Type::String).force_new().describe("The rule name."),
    )
    .attr(
        "target_id",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("The target's id within the rule; generated (terraform-...) when left out."),
    )
    .attr(
        "event_bus_name",
        Attribute::optional(Type::String)
            .force_new()
            .describe("The rule's bus (name or ARN); default when left out."),
    )
    .attr(
        "arn",
        Attribute::required(Type::String).describe("The ARN of what is invoked."),
    )
    .attr(
        "role_arn",
        Attribute::optional(Type::String).describe("The IAM role EventBridge assumes to invoke it."),
    )
    .attr(
        "input",
        Attribute::optional(Type::String)
            .describe("A fixed JSON input instead of the event. Conflicts with input_path and input_transformer."),
    )
    .attr(
        "input_path",
        Attribute::optional(Type::String).describe("A JSONPath of the part of the event to send."),
    )
    .attr(
        "force_destroy",
        Attribute::optional(Type::Bool)
            .describe("Destroy removes a target of a rule managed by another AWS service too (default false)."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("RULE-TARGET_ID (BUS-RULE-TARGET_ID off the default bus)."),
    )
    .block("input_transformer", list(transformer, 0, Some(1), false))
    .block("retry_policy", list(retry, 0, Some(1), false))
    .block("dead_letter_config", list(dead_letter, 0, Some(1), false))
    .block("sagemaker_pipeline_target", list(pipeline, 0, Some(1), false))
    .unsupported_blocks(
        &[
            "appsync_target",
            "batch_target",
            "ecs_target",
            "http_target",
            "kinesis_target",
            "redshift_target",
            "run_command_targets",
            "sqs_target",
        ],
        NOT_YET,
    )
    .identity(&["event_bus_name", "rule", "target_id"])
});

fn int(n: Option<i32>) -> Value {
    n.map(|n| Value::int(n.into())).unwrap_or(Value::Null)
}

fn int32(v: &Value, key: &str) -> Option<i32> {
    opt_i64(v, key).and_then(|n| i32::try_from(n).ok())
}

/// Terraform's state id of a target.
fn target_id(bus: &str, rule: &str, id: &str) -> String {
    if bus == DEFAULT_BUS {
        format!("{rule}-{id}")
    } else {
        format!("{bus}-{rule}-{id}")
    }
}

/// The bus, rule and target id of an import id (`RULE/TARGET_ID` or `BUS/RULE/TARGET_ID`; a bus
/// given by ARN holds a `/` of its own).
fn parse_import_id(id: &str) -> Option<(String, String, String)> {
    let (rest, target) = id.rsplit_once('/')?;
    let (bus, rule) = match rest.rsplit_once('/') {
        Some((bus, rule)) => (bus.to_string(), rule.to_string()),
        None => (DEFAULT_BUS.to_string(), rest.to_string()),
    };
    (!rule.is_empty() && !target.is_empty()).then(|| (bus, rule, target.to_string()))
}

fn to_value(t: &T, bus: &str, rule: &str, prior: &Value) -> Value {
    let transformer = t
        .input_transformer()
        .map(|x| {
            let paths: BTreeMap<String, String> = x
                .input_paths_map()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            let paths = if paths.is_empty() {
                Value::Null
            } else {
                map_of_strings(&paths)
            };
            vec![Value::object([
                ("input_paths", paths),
                ("input_template", string(x.input_template())),
            ])]
        })
        .unwrap_or_default();
    let retry = t
        .retry_policy()
        .map(|r| {
            vec![Value::object([
                ("maximum_event_age_in_seconds", int(r.maximum_event_age_in_seconds())),
                ("maximum_retry_attempts", int(r.maximum_retry_attempts())),
            ])]
        })
        .unwrap_or_default();
    let dead_letter = t
        .dead_letter_config()
        .map(|d| vec![Value::object([("arn", opt_string(d.arn()))])])
        .unwrap_or_default();
    let pipeline = t
        .sage_maker_pipeline_parameters()
        .map(|p| {
            let params = p
                .pipeline_parameter_list()
                .iter()
                .map(|x| Value::object([("name", string(x.name())), ("value", string(x.value()))]))
                .collect();
            vec![Value::object([("pipeline_parameter_list", Value::List(params))])]
        })
        .unwrap_or_default();
    let bus_value = match prior.get("event_bus_name") {
        Value::Null if bus == DEFAULT_BUS => Value::Null,
        _ => string(bus),
    };
    Value::object([
        ("id", string(target_id(bus, rule, t.id()))),
        ("rule", string(rule)),
        ("target_id", string(t.id())),
        ("event_bus_name", bus_value),
        ("arn", string(t.arn())),
        ("role_arn", opt_string(t.role_arn())),
        ("input", opt_string(t.input())),
        ("input_path", opt_string(t.input_path())),
        (
            "force_destroy",
            Value::Bool(opt_bool(prior, "force_destroy").unwrap_or(false)),
        ),
        ("input_transformer", Value::List(transformer)),
        ("retry_policy", Value::List(retry)),
        ("dead_letter_config", Value::List(dead_letter)),
        ("sagemaker_pipeline_target", Value::List(pipeline)),
    ])
}

/// The targets of one rule, by id; `None` when the rule (or its bus) is gone.
async fn targets_of(ctx: &Ctx, bus: &str, rule: &str) -> Result<Option<HashMap<String, T>>, ProviderError> {
    let mut out = HashMap::new();
    let mut next = None;
    loop {
        let call = ctx
            .events
            .list_targets_by_rule()
            .rule(rule)
            .event_bus_name(bus)
            .limit(100)
            .set_next_token(next)
            .send()
            .boxed()
            .await;
        let page = match call {
            Ok(p) => p,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => return Err(aws_error(e)),
        };
        for t in page.targets() {
            out.insert(t.id().to_string(), t.clone());
        }
        next = page.next_token().filter(|t| !t.is_empty()).map(str::to_string);
        if next.is_none() {
            return Ok(Some(out));
        }
    }
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let mut rules: Vec<(String, String)> = states
        .iter()
        .filter_map(|s| Some((bus_of(s), opt_str(s, "rule")?)))
        .collect();
    rules.sort();
    rules.dedup();
    let found: HashMap<(String, String), HashMap<String, T>> = concurrently(rules, |(bus, rule)| {
        let ctx = ctx.clone();
        async move {
            let targets = targets_of(&ctx, &bus, &rule).await?.unwrap_or_default();
            Ok(((bus, rule), targets))
        }
    })
    .await?
    .into_iter()
    .collect();
    Ok(states
        .iter()
        .map(|s| {
            let (bus, rule, id) = (bus_of(s), opt_str(s, "rule")?, opt_str(s, "target_id")?);
            let t = found.get(&(bus.clone(), rule.clone()))?.get(&id)?;
            Some(to_value(t, &bus, &rule, s))
        })
        .collect())
}

async fn read_one(ctx: &Ctx, bus: &str, rule: &str, id: &str, planned: &Value) -> Result<Value, ProviderError> {
    let mut probe = planned.as_map().cloned().unwrap_or_default();
    probe.insert("rule".into(), string(rule));
    probe.insert("target_id".into(), string(id));
    if bus != DEFAULT_BUS {
        probe.insert("event_bus_name".into(), string(bus));
    }
    read_many(ctx, &[Value::Map(probe)])
        .await?
        .pop()
        .flatten()
        .ok_or_else(|| {
            ProviderError::with_code(
                "ResourceNotFoundException",
                format!("EventBridge target {id} of rule {rule} disappeared"),
            )
        })
}

fn target(id: &str, planned: &Value) -> Result<T, ProviderError> {
    let transformer = items(planned, "input_transformer")
        .first()
        .map(|x| {
            let paths = str_map(x, "input_paths");
            InputTransformer::builder()
                .set_input_paths_map((!paths.is_empty()).then(|| paths.into_iter().collect()))
                .set_input_template(opt_str(x, "input_template"))
                .build()
                .map_err(|e| ProviderError::new(format!("input_transformer: {e}")))
        })
        .transpose()?;
    let retry = items(planned, "retry_policy").first().map(|r| {
        RetryPolicy::builder()
            .set_maximum_event_age_in_seconds(int32(r, "maximum_event_age_in_seconds"))
            .set_maximum_retry_attempts(int32(r, "maximum_retry_attempts"))
            .build()
    });
    let dead_letter = items(planned, "dead_letter_config")
        .first()
        .map(|d| DeadLetterConfig::builder().set_arn(opt_str(d, "arn")).build());
    let pipeline = match items(planned, "sagemaker_pipeline_target").first() {
        Some(p) => {
            let params = items(p, "pipeline_parameter_list")
                .iter()
                .map(|x| {
                    SageMakerPipelineParameter::builder()
                        .set_name(opt_str(x, "name"))
                        .set_value(x.get("value").as_str().map(str::to_string))
                        .build()
                        .map_err(|e| ProviderError::new(format!("pipeline_parameter_list: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Some(
                SageMakerPipelineParameters::builder()
                    .set_pipeline_parameter_list((!params.is_empty()).then_some(params))
                    .build(),
            )
        }
        None => None,
    };
    T::builder()
        .id(id)
        .arn(req_str(planned, "arn")?)
        .set_role_arn(opt_str(planned, "role_arn"))
        .set_input(opt_str(planned, "input"))
        .set_input_path(opt_str(planned, "input_path"))
        .set_input_transformer(transformer)
        .set_retry_policy(retry)
        .set_dead_letter_config(dead_letter)
        .set_sage_maker_pipeline_parameters(pipeline)
        .build()
        .map_err(|e| ProviderError::new(format!("target: {e}")))
}

/// PutTargets answers 200 with the targets it could not put listed: each is an error here.
async fn put(ctx: &Ctx, bus: &str, rule: &str, t: T) -> Result<(), ProviderError> {
    let out = ctx
        .events
        .put_targets()
        .rule(rule)
        .event_bus_name(bus)
        .targets(t)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    if let Some(f) = out.failed_entries().first() {
        return Err(ProviderError::with_code(
            f.error_code().unwrap_or("PutTargetsFailed"),
            format!(
                "EventBridge did not put target {} on rule {rule}: {}",
                f.target_id().unwrap_or_default(),
                f.error_message().unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

#[async_trait]
impl AwsResource for Target {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_event_target"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        let inputs = [
            !config.get("input").is_null(),
            !config.get("input_path").is_null(),
            !items(config, "input_transformer").is_empty(),
        ];
        if inputs.iter().filter(|x| **x).count() > 1 {
            out.push(invalid(
                "input",
                "input, input_path and input_transformer conflict: give at most one",
            ));
        }
        if let Some(id) = config.get("target_id").as_str()
            && (id.is_empty()
                || id.len() > 64
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        {
            out.push(invalid(
                "target_id",
                format!("{id:?}: 1 to 64 letters, digits, periods, hyphens and underscores"),
            ));
        }
        out
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut req2 = req.clone();
        req2.config = with_defaults(&req.config, &[("force_destroy", Value::Bool(false))]);
        plan_blocks(&SCHEMA, &req2)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let rule = req_str(planned, "rule")?;
        let bus = bus_of(planned);
        let id = opt_str(planned, "target_id").unwrap_or_else(|| unique_name("terraform-"));
        put(ctx, &bus, &rule, target(&id, planned)?).await?;
        read_one(ctx, &bus, &rule, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let rule = req_str(prior, "rule")?;
        let bus = bus_of(prior);
        let id = req_str(prior, "target_id")?;
        // force_destroy is Plinth's own; anything else is a new target definition.
        let rest = |v: &Value| {
            let mut v = v.clone();
            if let Value::Map(m) = &mut v {
                m.remove("force_destroy");
            }
            v
        };
        if rest(planned) != rest(prior) {
            put(ctx, &bus, &rule, target(&id, planned)?).await?;
        }
        read_one(ctx, &bus, &rule, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let rule = req_str(prior, "rule")?;
        let id = req_str(prior, "target_id")?;
        let call = ctx
            .events
            .remove_targets()
            .rule(&rule)
            .event_bus_name(bus_of(prior))
            .ids(&id)
            .force(opt_bool(prior, "force_destroy").unwrap_or(false))
            .send()
            .boxed()
            .await;
        match call {
            Ok(out) => match out.failed_entries().first() {
                Some(f) if f.error_code() != Some("ResourceNotFoundException") => Err(ProviderError::with_code(
                    f.error_code().unwrap_or("RemoveTargetsFailed"),
                    format!(
                        "EventBridge did not remove target {id} from rule {rule}: {}",
                        f.error_message().unwrap_or_default()
                    ),
                )),
                _ => Ok(()),
            },
            Err(e) if is_not_found(&e) => Ok(()),
            Err(e) => Err(aws_error(e)),
        }
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (bus, rule, target) = parse_import_id(id).ok_or_else(|| {
            ProviderError::with_code(
                "InvalidImportId",
                format!("{id:?}: expected RULE/TARGET_ID or EVENT_BUS/RULE/TARGET_ID"),
            )
        })?;
        read_one(ctx, &bus, &rule, &target, &Value::Null)
            .await
            .map_err(|_| ProviderError::with_code("ResourceNotFoundException", format!("no EventBridge target {id}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_terraforms() {
        assert_eq!(target_id("default", "nightly", "run"), "nightly-run");
        assert_eq!(target_id("ml", "nightly", "run"), "ml-nightly-run");
        assert_eq!(
            parse_import_id("nightly/run"),
            Some(("default".into(), "nightly".into(), "run".into()))
        );
        assert_eq!(
            parse_import_id("ml/nightly/run"),
            Some(("ml".into(), "nightly".into(), "run".into()))
        );
        assert_eq!(parse_import_id("nightly"), None);
    }
}
