//! `aws_ssm_parameter`: a Parameter Store parameter (String, StringList or SecureString).
//!
//! `value` is sensitive: the provider reads it back (decrypted) so a change made outside Plinth
//! is drift, and the engine keeps only its keyed hash in state and shows `(sensitive)`.
//! `value_wo` (with `value_wo_version`) is write-only: sent, never read back nor stored.
//! `insecure_value` is for values that are no secret (shown in plans, stored in state).
//!
//! Refresh: GetParameters (10 a call) and DescribeParameters (50 a call) for many parameters
//! at once, plus one ListTagsForResource per parameter (no call lists many).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ssm::types::{Parameter, ParameterMetadata, ParameterTier, ParameterType, ResourceTypeForTagging};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{
    AttrPath, Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::{describe_parameters, get_parameters, ssm_tags};
use crate::error::aws_error;
use crate::idempotent::{Creating, ReadTags, read_tags};
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags_described};
use crate::util::error_at as diag;
use crate::util::{concurrently, delete_call, number, opt_bool, opt_str, opt_string, req_str, string};
use crate::{AwsResource, Ctx};

pub struct ParameterResource;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = Schema::new(
        "An SSM Parameter Store parameter: configuration or a secret (SecureString) for training jobs and \
         endpoints. value is sensitive: state keeps only its keyed hash. Import with the parameter name.",
    )
    .attr(
        "name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The parameter name (a path such as /ml/db/url)."),
    )
    .attr(
        "type",
        Attribute::required(Type::String).describe("String, StringList or SecureString."),
    )
    .attr(
        "value",
        Attribute::optional_computed(Type::String).sensitive().describe(
            "The value. Sensitive: never shown, and state keeps only a keyed hash. Exactly one of value, \
             insecure_value and value_wo.",
        ),
    )
    .attr(
        "insecure_value",
        Attribute::optional_computed(Type::String)
            .describe("The value, when it is no secret (shown in plans, stored in state); not with SecureString."),
    )
    .attr(
        "value_wo",
        Attribute::optional(Type::String).sensitive().write_only().describe(
            "The value, write-only: sent to SSM, never stored nor read back. Sent on create and whenever \
             value_wo_version changes; requires value_wo_version.",
        ),
    )
    .attr(
        "value_wo_version",
        Attribute::optional(Type::Number).describe("Bump it to send a new value_wo."),
    )
    .attr(
        "has_value_wo",
        Attribute::computed(Type::Bool).describe("Whether the value was set through value_wo."),
    )
    .attr(
        "description",
        Attribute::optional(Type::String).describe("Description of the parameter."),
    )
    .attr(
        "tier",
        Attribute::optional_computed(Type::String).describe(
            "Standard (default), Advanced or Intelligent-Tiering (no change from the tier SSM chose); Advanced to \
             Standard replaces the parameter.",
        ),
    )
    .attr(
        "key_id",
        Attribute::optional_computed(Type::String)
            .describe("KMS key encrypting a SecureString; default the AWS managed key alias/aws/ssm."),
    )
    .attr(
        "allowed_pattern",
        Attribute::optional(Type::String).describe("A regular expression the value must match."),
    )
    .attr(
        "data_type",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("text (default), aws:ec2:image or aws:ssm:integration."),
    )
    .attr(
        "overwrite",
        Attribute::optional(Type::Bool).describe(
            "Deprecated in Terraform. Create over an existing parameter of the same name (default false). Not \
             read from AWS.",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("The parameter name."))
    .attr("arn", Attribute::computed(Type::String).describe("The parameter ARN."))
    .attr(
        "version",
        Attribute::computed(Type::Number).describe("The parameter's version, bumped by each change of value."),
    );
    with_tags_described(schema, "Tags of the parameter.").identity(&["name"])
});

/// What one refresh of a parameter reads.
#[derive(Clone)]
struct Live {
    param: Parameter,
    meta: Option<ParameterMetadata>,
    tags: BTreeMap<String, String>,
}

fn uses_value_wo(v: &Value) -> bool {
    !v.get("value_wo_version").is_null() || opt_bool(v, "has_value_wo") == Some(true)
}

fn to_value(ctx: &Ctx, live: &Live, prior: &Value) -> Value {
    let p = &live.param;
    let m = live.meta.as_ref();
    let (tags, tags_all) = tag_values(ctx, &live.tags, prior);
    let ty = p.r#type().map(|t| t.as_str()).unwrap_or("String");
    let text = p.value().unwrap_or_default();
    let wo = uses_value_wo(prior);
    let insecure = !wo && ty != "SecureString" && !prior.get("insecure_value").is_null();
    let name = p.name().unwrap_or_default();
    // An empty description or pattern reads back as none; keep the configured "".
    let kept = |key: &str, live: Option<&str>| match live.filter(|s| !s.is_empty()) {
        Some(s) => string(s),
        None if prior.get(key).as_str() == Some("") => string(""),
        None => Value::Null,
    };
    Value::object([
        ("id", string(name)),
        ("name", string(name)),
        ("type", string(ty)),
        ("arn", opt_string(p.arn())),
        ("version", number(p.version() as f64)),
        ("value", if wo || insecure { Value::Null } else { string(text) }),
        ("insecure_value", if insecure { string(text) } else { Value::Null }),
        ("value_wo", Value::Null),
        (
            "value_wo_version",
            if wo {
                prior.get("value_wo_version").clone()
            } else {
                Value::Null
            },
        ),
        ("has_value_wo", Value::Bool(wo)),
        ("description", kept("description", m.and_then(|m| m.description()))),
        (
            "allowed_pattern",
            kept("allowed_pattern", m.and_then(|m| m.allowed_pattern())),
        ),
        (
            "tier",
            string(m.and_then(|m| m.tier()).map(|t| t.as_str()).unwrap_or("Standard")),
        ),
        (
            "key_id",
            if ty == "SecureString" {
                opt_string(m.and_then(|m| m.key_id()))
            } else {
                Value::Null
            },
        ),
        (
            "data_type",
            string(p.data_type().or(m.and_then(|m| m.data_type())).unwrap_or("text")),
        ),
        ("overwrite", prior.get("overwrite").clone()),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

async fn list_tags(ctx: &Ctx, name: &str) -> Result<BTreeMap<String, String>, ProviderError> {
    let all = all_tags(ctx, name).await?;
    Ok(tags_from(all.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str())))))
}

/// Every tag on the parameter `name`, Plinth's bookkeeping tags included (for adoption).
async fn all_tags(ctx: &Ctx, name: &str) -> Result<ReadTags, ProviderError> {
    let out = ctx
        .ssm
        .list_tags_for_resource()
        .resource_type(ResourceTypeForTagging::Parameter)
        .resource_id(name)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(read_tags(
        out.tag_list().iter().map(|t| (Some(t.key()), Some(t.value()))),
    ))
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let names: Vec<String> = states.iter().filter_map(|s| opt_str(s, "name")).collect();
    if names.is_empty() {
        return Ok(vec![None; states.len()]);
    }
    let params = get_parameters(ctx, &names, true).await?;
    let metas = describe_parameters(ctx, &names).await?;
    let found: Vec<Option<(Parameter, Option<ParameterMetadata>)>> = states
        .iter()
        .map(|s| {
            let n = opt_str(s, "name")?;
            Some((params.get(&n)?.clone(), metas.get(&n).cloned()))
        })
        .collect();
    let lives = concurrently(found, |f| {
        let ctx = ctx.clone();
        async move {
            let Some((param, meta)) = f else { return Ok(None) };
            let tags = list_tags(&ctx, param.name().unwrap_or_default()).await?;
            Ok(Some(Live { param, meta, tags }))
        }
    })
    .await?;
    Ok(states
        .iter()
        .zip(lives)
        .map(|(s, l)| l.map(|l| to_value(ctx, &l, s)))
        .collect())
}

async fn read_one(ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
    let name = req_str(planned, "name")?;
    read_many(ctx, std::slice::from_ref(planned))
        .await?
        .pop()
        .flatten()
        .ok_or_else(|| ProviderError::with_code("ParameterNotFound", format!("SSM parameter {name} disappeared")))
}

/// The value to send: `value`, `insecure_value` or `value_wo`, whichever the plan has.
fn value_to_send(planned: &Value) -> Result<String, ProviderError> {
    ["value_wo", "insecure_value", "value"]
        .iter()
        .find_map(|k| planned.get(k).as_str().map(str::to_string))
        .ok_or_else(|| {
            ProviderError::with_code(
                "MissingAttribute",
                "one of value, insecure_value and value_wo is required",
            )
        })
}

/// PutParameter with everything the plan says; `overwrite` for an update.
/// PutParameter. A create (`prior` none) that does not overwrite gets the bookkeeping tags of
/// `creating`, and one answered ParameterAlreadyExists adopts the parameter when they name this
/// address and state (see `docs/reliability.md`); a create that overwrites needs neither (the
/// name is the parameter: a repeat writes the same one).
async fn put(ctx: &Ctx, planned: &Value, prior: Option<&Value>, creating: &Creating) -> Result<(), ProviderError> {
    let name = req_str(planned, "name")?;
    let ty = req_str(planned, "type")?;
    let overwrite = prior.is_some() || opt_bool(planned, "overwrite") == Some(true);
    let changed = |k: &str| prior.is_none_or(|p| p.get(k) != planned.get(k));
    let tags = ctx.merged_tags(planned.get("tags"));
    let tags = match prior.is_none() && !overwrite {
        true => creating.with_tags(tags),
        false => tags,
    };
    let mut req = ctx
        .ssm
        .put_parameter()
        .name(&name)
        .r#type(ParameterType::from(ty.as_str()))
        .value(value_to_send(planned)?)
        .overwrite(overwrite)
        .set_tier(opt_str(planned, "tier").map(|t| ParameterTier::from(t.as_str())))
        .set_data_type(opt_str(planned, "data_type").filter(|_| changed("data_type")));
    if changed("description") || prior.is_none() {
        req = req.set_description(planned.get("description").as_str().map(str::to_string));
    }
    if changed("allowed_pattern") || prior.is_none() {
        req = req.set_allowed_pattern(planned.get("allowed_pattern").as_str().map(str::to_string));
    }
    if ty == "SecureString" && changed("key_id") {
        req = req.set_key_id(opt_str(planned, "key_id"));
    }
    // SSM takes tags with PutParameter only when it does not overwrite.
    if !overwrite && !tags.is_empty() {
        req = req.set_tags(Some(ssm_tags(&tags)?));
    }
    let sent = req.send().boxed().await.map(|_| ()).map_err(aws_error);
    creating
        .adopt(&name, sent, || async { Ok(Some(all_tags(ctx, &name).await?)) })
        .await?;
    if prior.is_none() && overwrite {
        update_tags(ctx, Tagged::SsmParameter(&name), &Value::Null, planned).await?;
    }
    Ok(())
}

#[async_trait]
impl AwsResource for ParameterResource {
    fn type_name(&self) -> &'static str {
        "aws_ssm_parameter"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = Vec::new();
        let set = |k: &str| !config.get(k).is_null();
        let given = ["value", "insecure_value", "value_wo"]
            .iter()
            .filter(|k| set(k))
            .count();
        // An unknown value is set; only a known null is missing.
        if given > 1 {
            d.push(diag(
                "value",
                "Conflicting attributes",
                "only one of value, insecure_value and value_wo can be set",
            ));
        } else if given == 0 {
            d.push(diag(
                "value",
                "Missing value",
                "one of value, insecure_value and value_wo is required",
            ));
        }
        if set("value_wo") != set("value_wo_version") {
            d.push(diag(
                if set("value_wo") {
                    "value_wo_version"
                } else {
                    "value_wo"
                },
                "Missing write-only pair",
                "value_wo and value_wo_version go together: the version is what tells Plinth to send a new value, \
                 since the value itself is never stored",
            ));
        }
        if set("insecure_value") && config.get("type").as_str() == Some("SecureString") {
            d.push(diag(
                "insecure_value",
                "Invalid insecure_value",
                "a SecureString is a secret: set value (sensitive) or value_wo, not insecure_value",
            ));
        }
        d
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &req.config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        if let (Some(prior), Value::Map(m)) = (req.prior.as_ref(), &mut resp.planned) {
            // As Terraform: Intelligent-Tiering picks Standard or Advanced itself, so it is no
            // change from either; and SSM cannot move a parameter from Advanced back to
            // Standard, so that replaces it.
            let prior_tier = prior.get("tier").as_str();
            if req.config.get("tier").as_str() == Some("Intelligent-Tiering") && prior_tier.is_some() {
                m.insert("tier".into(), prior.get("tier").clone());
            }
            if prior_tier == Some("Advanced") && m.get("tier").and_then(Value::as_str) == Some("Standard") {
                resp.requires_replace.push(AttrPath::attr("tier"));
            }
            // A new value (or type, pattern, ...) makes a new version; tags alone do not.
            let moved = [
                "value",
                "insecure_value",
                "value_wo_version",
                "type",
                "description",
                "tier",
                "key_id",
            ]
            .iter()
            .any(|k| !plinth_sdk::plan::same(req.config.get(k), prior.get(k)) && !req.config.get(k).is_null());
            if moved {
                m.insert("version".into(), Value::Unknown);
            }
        }
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        put(ctx, planned, None, creating).await?;
        read_one(ctx, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        let tag_keys = ["tags", "tags_all", "overwrite", "value_wo"];
        let other_change = planned.as_map().into_iter().flatten().any(|(k, v)| {
            !tag_keys.contains(&k.as_str()) && !v.is_unknown() && !plinth_sdk::plan::same(v, prior.get(k))
        });
        if other_change {
            put(ctx, planned, Some(prior), &Creating::default()).await?;
        }
        update_tags(ctx, Tagged::SsmParameter(&name), prior, planned).await?;
        read_one(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        delete_call(ctx.ssm.delete_parameter().name(&name).send().boxed()).await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        read_one(ctx, &Value::object([("name", string(id))]))
            .await
            .map_err(|_| ProviderError::with_code("ParameterNotFound", format!("no SSM parameter {id}")))
    }
}
