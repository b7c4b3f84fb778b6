//! `aws_appautoscaling_target`: registers a resource's capacity (a SageMaker variant's instance
//! count, an ECS service's task count, ...) with Application Auto Scaling, between a minimum and a
//! maximum. RegisterScalableTarget creates and updates it in place; DeregisterScalableTarget
//! deletes it (and, on AWS's side, the policies on it).
//!
//! Refresh: one DescribeScalableTargets per service namespace and 50 resource ids (the states are
//! matched on resource id and dimension), plus one ListTagsForResource per target whose state
//! holds tags or has not read them yet (an import): a target Plinth manages without tags costs
//! no tag call. The id is the resource id, as in Terraform; import takes
//! `SERVICE_NAMESPACE/RESOURCE_ID/SCALABLE_DIMENSION`.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_applicationautoscaling::types::{ScalableTarget, SuspendedState};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{Key, describe_all, int32, parse_import_id};
use crate::error::aws_error;
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags};
use crate::util::{
    concurrently, delete_call, error_at, items, list, opt_str, opt_string, plan_blocks, req_str, string, wait_gone,
};
use crate::{AwsResource, Ctx};

pub struct Target;

const SUSPENDED: [&str; 3] = [
    "dynamic_scaling_in_suspended",
    "dynamic_scaling_out_suspended",
    "scheduled_scaling_suspended",
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let suspended = Schema::new("Scaling activities to suspend (each false, that is running, when left out).")
        .attr(
            "dynamic_scaling_in_suspended",
            Attribute::optional(Type::Bool).describe("Scaling policies do not remove capacity."),
        )
        .attr(
            "dynamic_scaling_out_suspended",
            Attribute::optional(Type::Bool).describe("Scaling policies do not add capacity."),
        )
        .attr(
            "scheduled_scaling_suspended",
            Attribute::optional(Type::Bool).describe("Scheduled actions do not run."),
        );
    with_tags(
        Schema::new(
            "A scalable target: the capacity of one resource (a SageMaker endpoint variant, an ECS service, a \
             DynamoDB table, ...) that Application Auto Scaling may move between min_capacity and max_capacity. Import \
             with SERVICE_NAMESPACE/RESOURCE_ID/SCALABLE_DIMENSION.",
        )
        .attr(
            "service_namespace",
            Attribute::required(Type::String)
                .force_new()
                .describe("The AWS service of the resource: sagemaker, ecs, dynamodb, ..."),
        )
        .attr(
            "resource_id",
            Attribute::required(Type::String).force_new().describe(
                "The resource, as the service names it: endpoint/NAME/variant/VARIANT for a SageMaker variant.",
            ),
        )
        .attr(
            "scalable_dimension",
            Attribute::required(Type::String)
                .force_new()
                .describe("What is scaled: sagemaker:variant:DesiredInstanceCount for a SageMaker variant."),
        )
        .attr(
            "min_capacity",
            Attribute::required(Type::Number).describe("The least capacity scaling may leave."),
        )
        .attr(
            "max_capacity",
            Attribute::required(Type::Number).describe("The most capacity scaling may reach."),
        )
        .attr(
            "role_arn",
            Attribute::optional_computed(Type::String).describe(
                "The IAM role Application Auto Scaling acts with; most namespaces use their service-linked role \
                 whatever is given.",
            ),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The resource id (as in Terraform)."),
        )
        .attr(
            "arn",
            Attribute::computed(Type::String).describe("The scalable target's ARN."),
        )
        .block("suspended_state", list(suspended, 0, Some(1), false))
        .computed_when_omitted("suspended_state"),
    )
    .identity(&["service_namespace", "resource_id", "scalable_dimension"])
});

fn suspended_value(s: Option<&SuspendedState>) -> Value {
    let Some(s) = s else {
        return Value::List(vec![]);
    };
    let flag = |b: Option<bool>| Value::Bool(b.unwrap_or(false));
    Value::List(vec![Value::object([
        ("dynamic_scaling_in_suspended", flag(s.dynamic_scaling_in_suspended())),
        ("dynamic_scaling_out_suspended", flag(s.dynamic_scaling_out_suspended())),
        ("scheduled_scaling_suspended", flag(s.scheduled_scaling_suspended())),
    ])])
}

fn suspended_of(planned: &Value) -> Option<SuspendedState> {
    items(planned, "suspended_state").first().map(|s| {
        let flag = |k: &str| Some(s.get(k).as_bool().unwrap_or(false));
        SuspendedState::builder()
            .set_dynamic_scaling_in_suspended(flag(SUSPENDED[0]))
            .set_dynamic_scaling_out_suspended(flag(SUSPENDED[1]))
            .set_scheduled_scaling_suspended(flag(SUSPENDED[2]))
            .build()
    })
}

/// The state of `t`; `tags` is what ListTagsForResource answered, `None` when it was not asked
/// (the prior's `tags` and `tags_all` are kept).
fn to_value(ctx: &Ctx, t: &ScalableTarget, tags: Option<&BTreeMap<String, String>>, prior: &Value) -> Value {
    let (tags, tags_all) = match tags {
        Some(all) => tag_values(ctx, all, prior),
        None => (prior.get("tags").clone(), prior.get("tags_all").clone()),
    };
    let role = Some(t.role_arn()).filter(|r| !r.is_empty());
    Value::object([
        ("id", string(t.resource_id())),
        ("arn", opt_string(t.scalable_target_arn())),
        ("service_namespace", string(t.service_namespace().as_str())),
        ("resource_id", string(t.resource_id())),
        ("scalable_dimension", string(t.scalable_dimension().as_str())),
        ("min_capacity", Value::int(t.min_capacity().into())),
        ("max_capacity", Value::int(t.max_capacity().into())),
        ("role_arn", opt_string(role)),
        ("suspended_state", suspended_value(t.suspended_state())),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The targets of one namespace among `ids`, by resource id and dimension: one
/// DescribeScalableTargets (paged) per 50 ids.
async fn describe(ctx: &Ctx, namespace: &str, ids: &[String]) -> Result<HashMap<Key, ScalableTarget>, ProviderError> {
    let found = describe_all(ids, |chunk, next| async move {
        let resp = ctx
            .appautoscaling
            .describe_scalable_targets()
            .service_namespace(namespace.into())
            .set_resource_ids(Some(chunk))
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        Ok((resp.scalable_targets().to_vec(), resp.next_token().map(str::to_string)))
    })
    .await?;
    Ok(found
        .into_iter()
        .map(|t| (Key::new(namespace, t.resource_id(), t.scalable_dimension()), t))
        .collect())
}

/// The tags on a target (by ARN); a target registered before AWS gave targets ARNs has none.
async fn tags_of(ctx: Ctx, arn: Option<String>) -> Result<BTreeMap<String, String>, ProviderError> {
    let Some(arn) = arn else { return Ok(BTreeMap::new()) };
    let resp = ctx
        .appautoscaling
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(tags_from(
        resp.tags()
            .into_iter()
            .flatten()
            .map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))),
    ))
}

/// Whether a refresh of `state` asks for the target's tags: when the state holds some, or has
/// not read them (`tags_all` null: an import).
fn reads_tags(state: &Value) -> bool {
    match state.get("tags_all") {
        Value::Map(m) => !m.is_empty(),
        _ => true,
    }
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let keys: Vec<Option<Key>> = states.iter().map(|s| Key::of(s).ok()).collect();
    let mut by_namespace: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for k in keys.iter().flatten() {
        by_namespace
            .entry(k.namespace.as_str())
            .or_default()
            .push(k.resource_id.clone());
    }
    let mut found = HashMap::new();
    for (namespace, mut ids) in by_namespace {
        ids.sort();
        ids.dedup();
        found.extend(describe(ctx, namespace, &ids).await?);
    }
    let targets: Vec<Option<&ScalableTarget>> = keys.iter().map(|k| k.as_ref().and_then(|k| found.get(k))).collect();
    let tag_reads: Vec<Option<Option<String>>> = targets
        .iter()
        .zip(states)
        .map(|(t, s)| {
            (*t).filter(|_| reads_tags(s))
                .map(|t| t.scalable_target_arn().map(str::to_string))
        })
        .collect();
    let tags = concurrently(tag_reads, |arn| {
        let ctx = ctx.clone();
        async move {
            match arn {
                Some(arn) => Ok(Some(tags_of(ctx, arn).await?)),
                None => Ok(None),
            }
        }
    })
    .await?;
    Ok(targets
        .into_iter()
        .zip(tags)
        .zip(states)
        .map(|((t, tags), s)| t.map(|t| to_value(ctx, t, tags.as_ref(), s)))
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
                    "scalable target {} disappeared",
                    opt_str(planned, "resource_id").unwrap_or_default()
                ),
            )
        })
}

/// RegisterScalableTarget with the planned bounds, role and suspended state (and `tags` on a
/// create: AWS takes them only then).
async fn register(ctx: &Ctx, planned: &Value, tags: Option<BTreeMap<String, String>>) -> Result<(), ProviderError> {
    let key = Key::of(planned)?;
    ctx.appautoscaling
        .register_scalable_target()
        .service_namespace(key.namespace())
        .resource_id(&key.resource_id)
        .scalable_dimension(key.dimension())
        .set_min_capacity(int32(planned, "min_capacity"))
        .set_max_capacity(int32(planned, "max_capacity"))
        .set_role_arn(opt_str(planned, "role_arn"))
        .set_suspended_state(suspended_of(planned))
        .set_tags(tags.filter(|t| !t.is_empty()).map(|t| t.into_iter().collect()))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

#[async_trait]
impl AwsResource for Target {
    fn type_name(&self) -> &'static str {
        "aws_appautoscaling_target"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        for k in ["min_capacity", "max_capacity"] {
            if let Some(n) = config.get(k).as_f64()
                && (n < 0.0 || n.fract() != 0.0 || n > f64::from(i32::MAX))
            {
                out.push(error_at(
                    k,
                    format!("Invalid {k}"),
                    format!("{n}: a whole number, 0 or more"),
                ));
            }
        }
        if let (Some(min), Some(max)) = (config.get("min_capacity").as_f64(), config.get("max_capacity").as_f64())
            && min > max
        {
            out.push(error_at(
                "max_capacity",
                "Invalid max_capacity",
                format!("max_capacity ({max}) is less than min_capacity ({min})"),
            ));
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        // An activity left out of a suspended_state block runs (false), as in Terraform.
        let mut config = req.config.clone();
        if let Value::Map(m) = &mut config
            && let Some(Value::List(blocks)) = m.get_mut("suspended_state")
        {
            for b in blocks.iter_mut() {
                if let Value::Map(b) = b {
                    for k in SUSPENDED {
                        if b.get(k).is_none_or(Value::is_null) {
                            b.insert(k.to_string(), Value::Bool(false));
                        }
                    }
                }
            }
        }
        let req2 = PlanRequest {
            config: config.clone(),
            ..req.clone()
        };
        let mut resp = plan_blocks(&SCHEMA, &req2);
        plan_tags_all(ctx, &config, &mut resp.planned);
        if let Value::Map(m) = &mut resp.planned {
            let id = m.get("resource_id").cloned().unwrap_or(Value::Unknown);
            m.insert("id".into(), id);
        }
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        register(ctx, planned, Some(ctx.merged_tags(planned.get("tags")))).await?;
        read_one(ctx, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let changed = |k: &str| !plinth_sdk::plan::same(prior.get(k), planned.get(k));
        if ["min_capacity", "max_capacity", "role_arn", "suspended_state"]
            .iter()
            .any(|k| changed(k))
        {
            register(ctx, planned, None).await?;
        }
        if changed("tags") || changed("tags_all") {
            let arn = req_str(prior, "arn").map_err(|_| {
                ProviderError::with_code(
                    "InvalidParameterValue",
                    "this scalable target has no ARN (registered before AWS gave targets ARNs), so it cannot be tagged",
                )
            })?;
            update_tags(ctx, Tagged::AppAutoScaling(&arn), prior, planned).await?;
        }
        read_one(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let key = Key::of(prior)?;
        delete_call(
            ctx.appautoscaling
                .deregister_scalable_target()
                .service_namespace(key.namespace())
                .resource_id(&key.resource_id)
                .scalable_dimension(key.dimension())
                .send()
                .boxed(),
        )
        .await?;
        let ids = [key.resource_id.clone()];
        wait_gone(ctx, &format!("scalable target {}", key.resource_id), || async {
            Ok(describe(ctx, &key.namespace, &ids).await?.contains_key(&key))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (key, _) = parse_import_id(id, false).ok_or_else(|| {
            ProviderError::with_code(
                "InvalidImportId",
                format!("{id:?}: expected SERVICE_NAMESPACE/RESOURCE_ID/SCALABLE_DIMENSION"),
            )
        })?;
        let found = describe(ctx, &key.namespace, std::slice::from_ref(&key.resource_id)).await?;
        let t = found
            .get(&key)
            .ok_or_else(|| ProviderError::with_code("ObjectNotFoundException", format!("no scalable target {id}")))?;
        // Tags are read by the first refresh (tags_all null: not read yet).
        let mut v = to_value(ctx, t, None, &Value::Null);
        if let Value::Map(m) = &mut v {
            m.insert("tags".into(), Value::Null);
            m.insert("tags_all".into(), Value::Null);
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::map_of_strings;

    #[test]
    fn tags_are_read_when_held_or_never_read() {
        assert!(!reads_tags(&Value::object([(
            "tags_all",
            Value::Map(Default::default())
        )])));
        assert!(reads_tags(&Value::object([(
            "tags_all",
            map_of_strings(&[("a".to_string(), "b".to_string())].into_iter().collect())
        )])));
        assert!(reads_tags(&Value::object([("tags_all", Value::Null)])));
    }
}
