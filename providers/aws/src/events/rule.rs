//! `aws_cloudwatch_event_rule`: an EventBridge rule on a bus, matching events by a JSON pattern
//! or firing on a schedule, with its state, role and tags. The pattern is compared as JSON, so a
//! reformatting (by the user or by AWS) is no change. PutRule creates and updates in place.
//!
//! Refresh: per bus, one DescribeRule for a single rule, else one ListRules pass over the bus
//! (100 a page), which carries every field; and one ListTagsForResource per rule (no call lists
//! the tags of many).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_eventbridge::types::RuleState;
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{DEFAULT_BUS, bus_of, events_tags, parse_rule_id, rule_id};
use crate::error::{aws_error, is_not_found};
use crate::idempotent::{Creating, ReadTags, read_tags};
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags};
use crate::util::{
    concurrently, delete_call, invalid, json_equal, keep_json_text, one_of, opt_bool, opt_str, opt_string, req_str,
    string, with_defaults, with_generated_name,
};
use crate::{AwsResource, Ctx};

pub struct Rule;

const STATES: [&str; 3] = ["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"];

static SCHEMA: LazyLock<Schema> =
    LazyLock::new(|| {
        let schema = with_generated_name(
        Schema::new(
            "An EventBridge (CloudWatch Events) rule: an event pattern or a schedule that invokes its targets. \
             Import with the rule name, or EVENT_BUS/NAME for a rule on another bus than default.",
        ),
        ("name", "name_prefix"),
        "Rule name",
    )
    .attr(
        "event_bus_name",
        Attribute::optional(Type::String)
            .force_new()
            .describe("The bus (name or ARN); default when left out."),
    )
    .attr(
        "schedule_expression",
        Attribute::optional(Type::String).describe("cron(...) or rate(...); only on the default bus."),
    )
    .attr(
        "event_pattern",
        Attribute::optional(Type::String)
            .describe("The event pattern, JSON (jsonencode(...)); compared as JSON, not as text."),
    )
    .attr("description", Attribute::optional(Type::String).describe("A description."))
    .attr(
        "role_arn",
        Attribute::optional(Type::String).describe("The IAM role EventBridge uses to invoke targets."),
    )
    .attr(
        "state",
        Attribute::optional(Type::String).describe(
            "ENABLED (default), DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS. Conflicts with is_enabled.",
        ),
    )
    .attr(
        "is_enabled",
        Attribute::optional_computed(Type::Bool)
            .describe("Deprecated in Terraform in favour of state: true is ENABLED, false DISABLED."),
    )
    .attr(
        "force_destroy",
        Attribute::optional(Type::Bool)
            .describe("Destroy deletes a rule managed by another AWS service too (default false). Not read from AWS."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("NAME, or EVENT_BUS/NAME on another bus than default."),
    )
    .attr("arn", Attribute::computed(Type::String).describe("The rule ARN."));
        with_tags(schema).identity(&["event_bus_name", "name"])
    });

/// A rule as DescribeRule and ListRules both give it.
#[derive(Clone, Debug)]
struct Live {
    name: String,
    arn: Option<String>,
    event_pattern: Option<String>,
    schedule_expression: Option<String>,
    state: Option<String>,
    description: Option<String>,
    role_arn: Option<String>,
}

fn to_value(ctx: &Ctx, r: &Live, bus: &str, tags: &BTreeMap<String, String>, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let state = r.state.clone().unwrap_or_else(|| "ENABLED".into());
    let bus_value = match prior.get("event_bus_name") {
        Value::Null if bus == DEFAULT_BUS => Value::Null,
        _ => string(bus),
    };
    Value::object([
        ("id", string(rule_id(bus, &r.name))),
        ("arn", opt_string(r.arn.clone())),
        ("name", string(&r.name)),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("event_bus_name", bus_value),
        ("schedule_expression", opt_string(r.schedule_expression.clone())),
        (
            "event_pattern",
            keep_json_text(r.event_pattern.as_deref(), prior.get("event_pattern")),
        ),
        (
            "description",
            opt_string(r.description.clone().filter(|d| !d.is_empty())),
        ),
        ("role_arn", opt_string(r.role_arn.clone())),
        ("is_enabled", Value::Bool(state != "DISABLED")),
        ("state", string(state)),
        (
            "force_destroy",
            Value::Bool(opt_bool(prior, "force_destroy").unwrap_or(false)),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

async fn describe_one(ctx: &Ctx, bus: &str, name: &str) -> Result<Option<Live>, ProviderError> {
    let call = ctx
        .events
        .describe_rule()
        .name(name)
        .event_bus_name(bus)
        .send()
        .boxed()
        .await;
    match call {
        Ok(r) => Ok(Some(Live {
            name: r.name().unwrap_or(name).to_string(),
            arn: r.arn().map(str::to_string),
            event_pattern: r.event_pattern().map(str::to_string),
            schedule_expression: r.schedule_expression().map(str::to_string),
            state: r.state().map(|s| s.as_str().to_string()),
            description: r.description().map(str::to_string),
            role_arn: r.role_arn().map(str::to_string),
        })),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// Every rule on `bus`, by name; `None` when the bus is gone.
async fn list_bus(ctx: &Ctx, bus: &str) -> Result<Option<HashMap<String, Live>>, ProviderError> {
    let mut out = HashMap::new();
    let mut next = None;
    loop {
        let call = ctx
            .events
            .list_rules()
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
        for r in page.rules() {
            let Some(name) = r.name() else { continue };
            out.insert(
                name.to_string(),
                Live {
                    name: name.to_string(),
                    arn: r.arn().map(str::to_string),
                    event_pattern: r.event_pattern().map(str::to_string),
                    schedule_expression: r.schedule_expression().map(str::to_string),
                    state: r.state().map(|s| s.as_str().to_string()),
                    description: r.description().map(str::to_string),
                    role_arn: r.role_arn().map(str::to_string),
                },
            );
        }
        next = page.next_token().filter(|t| !t.is_empty()).map(str::to_string);
        if next.is_none() {
            return Ok(Some(out));
        }
    }
}

async fn list_tags(ctx: &Ctx, arn: &str) -> Result<Option<BTreeMap<String, String>>, ProviderError> {
    let all = all_tags(ctx, arn).await?;
    Ok(all.map(|all| tags_from(all.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))))))
}

/// Every tag on the rule `arn`, Plinth's bookkeeping tags included (for adoption); `None` when
/// it is gone.
async fn all_tags(ctx: &Ctx, arn: &str) -> Result<Option<ReadTags>, ProviderError> {
    match ctx
        .events
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .boxed()
        .await
    {
        Ok(out) => Ok(Some(read_tags(
            out.tags().iter().map(|t| (Some(t.key()), Some(t.value()))),
        ))),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let mut by_bus: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in states {
        if let Some(name) = opt_str(s, "name") {
            by_bus.entry(bus_of(s)).or_default().push(name);
        }
    }
    let found: HashMap<(String, String), Live> = concurrently(by_bus.into_iter().collect(), |(bus, names)| {
        let ctx = ctx.clone();
        async move {
            let rules: Vec<Live> = if let [one] = names.as_slice() {
                describe_one(&ctx, &bus, one).await?.into_iter().collect()
            } else {
                let all = list_bus(&ctx, &bus).await?.unwrap_or_default();
                names.iter().filter_map(|n| all.get(n).cloned()).collect()
            };
            Ok(rules
                .into_iter()
                .map(|r| ((bus.clone(), r.name.clone()), r))
                .collect::<Vec<_>>())
        }
    })
    .await?
    .into_iter()
    .flatten()
    .collect();
    let keys: Vec<Option<(String, String)>> = states
        .iter()
        .map(|s| {
            opt_str(s, "name")
                .map(|n| (bus_of(s), n))
                .filter(|k| found.contains_key(k))
        })
        .collect();
    let tags = concurrently(keys.clone(), |k| {
        let ctx = ctx.clone();
        let arn = k.and_then(|k| found.get(&k).and_then(|r| r.arn.clone()));
        async move {
            match arn {
                Some(arn) => list_tags(&ctx, &arn).await,
                None => Ok(None),
            }
        }
    })
    .await?;
    Ok(states
        .iter()
        .zip(keys)
        .zip(tags)
        .map(|((s, k), t)| {
            let k = k?;
            let r = found.get(&k)?;
            Some(to_value(ctx, r, &k.0, &t.unwrap_or_default(), s))
        })
        .collect())
}

async fn read_one(ctx: &Ctx, bus: &str, name: &str, planned: &Value) -> Result<Value, ProviderError> {
    let mut probe = planned.as_map().cloned().unwrap_or_default();
    probe.insert("name".into(), string(name));
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
                format!("EventBridge rule {} disappeared", rule_id(bus, name)),
            )
        })
}

/// The state to send: `state`, else from `is_enabled`, else ENABLED.
fn state_of(v: &Value) -> String {
    opt_str(v, "state").unwrap_or_else(|| match opt_bool(v, "is_enabled") {
        Some(false) => "DISABLED".into(),
        _ => "ENABLED".into(),
    })
}

async fn put_rule(ctx: &Ctx, name: &str, planned: &Value) -> Result<(), ProviderError> {
    let bus = bus_of(planned);
    ctx.events
        .put_rule()
        .name(name)
        .event_bus_name(&bus)
        .set_schedule_expression(opt_str(planned, "schedule_expression"))
        .set_event_pattern(opt_str(planned, "event_pattern"))
        .set_description(opt_str(planned, "description"))
        .set_role_arn(opt_str(planned, "role_arn"))
        .state(RuleState::from(state_of(planned).as_str()))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

#[async_trait]
impl AwsResource for Rule {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_event_rule"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out: Vec<ProviderDiagnostic> = one_of(config.get("state"), "state", &STATES).into_iter().collect();
        if config.get("schedule_expression").is_null() && config.get("event_pattern").is_null() {
            out.push(invalid(
                "event_pattern",
                "give event_pattern or schedule_expression (or both): a rule needs one",
            ));
        }
        if let Some(p) = config.get("event_pattern").as_str()
            && let Err(e) = serde_json::from_str::<serde_json::Value>(p)
        {
            out.push(invalid("event_pattern", format!("not JSON: {e}")));
        }
        if !config.get("state").is_null() && !config.get("is_enabled").is_null() {
            out.push(invalid("is_enabled", "conflicts with state: give only state"));
        }
        if !config.get("name").is_null() && !config.get("name_prefix").is_null() {
            out.push(invalid("name_prefix", "conflicts with name: give one of them"));
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut config = with_defaults(&req.config, &[("force_destroy", Value::Bool(false))]);
        // state and is_enabled are one setting: whichever is given decides both; neither is
        // ENABLED, so a rule disabled out of band shows as drift.
        if let Value::Map(m) = &mut config {
            let state = state_of(&req.config);
            m.insert("is_enabled".into(), Value::Bool(state != "DISABLED"));
            m.insert("state".into(), string(state));
            // The same pattern in another layout is no change.
            if let (Some(want), Some(have)) = (
                req.config.get("event_pattern").as_str(),
                req.prior.as_ref().and_then(|p| p.get("event_pattern").as_str()),
            ) && want != have
                && json_equal(want, have)
            {
                m.insert("event_pattern".into(), string(have));
            }
        }
        let mut resp = default_plan(&SCHEMA, req.prior.as_ref(), &config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): PutRule is an upsert, which
    /// would silently take over a rule of the same name, so a tracked create first looks the
    /// rule up (DescribeRule): one there is gone on with (PutRule makes its settings the planned
    /// ones) only when its tags name this address and state, else the create stops with how to
    /// import it. The bookkeeping tags ride on PutRule; a generated name is derived from the
    /// planned change.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "terraform-");
        let bus = bus_of(planned);
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        if creating.tracked()
            && let Some(live) = describe_one(ctx, &bus, &name).await?
        {
            let exists = ProviderError::with_code(
                "ResourceAlreadyExistsException",
                format!("rule {name} already exists on event bus {bus}"),
            );
            let arn = live.arn.unwrap_or_default();
            creating
                .adopt(&rule_id(&bus, &name), Err::<(), _>(exists), || all_tags(ctx, &arn))
                .await?;
        }
        ctx.events
            .put_rule()
            .name(&name)
            .event_bus_name(&bus)
            .set_schedule_expression(opt_str(planned, "schedule_expression"))
            .set_event_pattern(opt_str(planned, "event_pattern"))
            .set_description(opt_str(planned, "description"))
            .set_role_arn(opt_str(planned, "role_arn"))
            .state(RuleState::from(state_of(planned).as_str()))
            .set_tags((!tags.is_empty()).then(|| events_tags(&tags)).transpose()?)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        read_one(ctx, &bus, &name, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        let bus = bus_of(prior);
        let settings = [
            "schedule_expression",
            "event_pattern",
            "description",
            "role_arn",
            "state",
        ];
        if settings.iter().any(|k| planned.get(k) != prior.get(k)) {
            put_rule(ctx, &name, planned).await?;
        }
        update_tags(ctx, Tagged::Events(&req_str(prior, "arn")?), prior, planned).await?;
        read_one(ctx, &bus, &name, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        let force = opt_bool(prior, "force_destroy").unwrap_or(false);
        delete_call(
            ctx.events
                .delete_rule()
                .name(&name)
                .event_bus_name(bus_of(prior))
                .force(force)
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
        let (bus, name) = parse_rule_id(id);
        read_one(ctx, &bus, &name, &Value::Null)
            .await
            .map_err(|_| ProviderError::with_code("ResourceNotFoundException", format!("no EventBridge rule {id}")))
    }
}
