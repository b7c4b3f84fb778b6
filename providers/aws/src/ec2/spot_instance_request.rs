//! `aws_spot_instance_request`: one EC2 Spot Instance request for one instance (a GPU node at
//! spot prices). Its launch arguments and the instance's computed attributes are `aws_instance`'s
//! (one shape, [`super::instance::launch_schema`]), every one force-new as in Terraform; what is
//! the request's own (price, type, validity, the `spot_*` status attributes, the tags) lives here.
//!
//! Refresh is batched: one DescribeSpotInstanceRequests per 200 requests (a
//! `spot-instance-request-id` filter, so a missing one is simply absent), then the instances that
//! fulfil them through `aws_instance`'s own batched read. A request that is `cancelled` or
//! `closed` counts as gone, as in Terraform. The tags are the request's: AWS does not copy them to
//! the instance.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{
    InstanceInterruptionBehavior, InstanceType, RequestSpotLaunchSpecification, ResourceType, SpotInstanceRequest,
    SpotInstanceType, SpotPlacement, Tenancy,
};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use futures::FutureExt as _;
use plinth_sdk::Map;
use plinth_sdk::plan::same;
use plinth_sdk::{
    AttrPath, Attribute, PathStep, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::instance::{self, Launch};
use super::{block_device, describe_by_filter, diag, ids_of, plan_with_tags, tag_spec, tag_values, update_tags};
use crate::error::{aws_error, is_not_found};
use crate::idempotent::Creating;
use crate::util::{opt_str, opt_string, req_str, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct SpotInstanceRequestResource;

const TYPE: &str = "aws_spot_instance_request";

/// Bid statuses on the way to `fulfilled` (AWS's spot request status codes).
const PENDING: &[&str] = &["start", "pending-evaluation", "pending-fulfillment"];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let mut s = instance::launch_schema(
        "An EC2 Spot Instance request for one instance, such as a GPU node at spot prices. Takes every argument \
         of aws_instance; any change but the tags replaces the request and its instance. The tags are the \
         request's, not the instance's (AWS does not copy them). With wait_for_fulfillment, apply waits until \
         the request is fulfilled; destroy cancels the request and waits until its instance is terminated. \
         Import with the request id (sir-...).",
        Launch::SpotRequest,
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The Spot Instance request id (sir-...)."),
    )
    .attr(
        "spot_price",
        Attribute::optional_computed(Type::String).force_new().describe(
            "The highest price per instance-hour to pay (default: the On-Demand price). Read back as AWS writes \
             it (0.030000); the same number written otherwise is not a change.",
        ),
    )
    .attr(
        "spot_type",
        Attribute::optional_computed(Type::String).force_new().describe(
            "persistent (the default: AWS launches again after an interruption) or one-time (the request closes \
             when its instance ends).",
        ),
    )
    .attr(
        "wait_for_fulfillment",
        Attribute::optional(Type::Bool).describe(
            "Wait at create until the request is fulfilled (default false); a bid status other than start, \
             pending-evaluation, pending-fulfillment or fulfilled is an error. Kept as configured.",
        ),
    )
    .attr(
        "launch_group",
        Attribute::optional(Type::String)
            .force_new()
            .describe("A group of spot instances that launch together and terminate together."),
    )
    .attr(
        "block_duration_minutes",
        Attribute::optional(Type::Number)
            .force_new()
            .describe("The required duration in minutes, a multiple of 60 (AWS no longer offers it to new accounts)."),
    )
    .attr(
        "instance_interruption_behavior",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("terminate (the default), stop or hibernate: what happens to the instance when interrupted."),
    )
    .attr(
        "valid_from",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("Start of the request's validity, RFC 3339 (default: at once)."),
    )
    .attr(
        "valid_until",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("End of the request's validity, RFC 3339 (AWS's default: 7 days on)."),
    )
    .attr(
        "spot_bid_status",
        Attribute::computed(Type::String).describe("The bid status code, such as fulfilled or price-too-low."),
    )
    .attr(
        "spot_request_state",
        Attribute::computed(Type::String).describe("The request state: open, active, closed, cancelled or failed."),
    )
    .attr(
        "spot_instance_id",
        Attribute::computed(Type::String).describe("The instance that fulfils the request, if any (i-...)."),
    )
    .unsupported_blocks(
        &["launch_template", "metadata_options"],
        "RequestSpotInstances takes no launch template and no metadata options (Terraform's \
         aws_spot_instance_request ignores this block; Plinth refuses it rather than ignore it): leave it out, or \
         use an aws_instance",
    )
    .identity(&["id"]);
    // Terraform's schema is aws_instance's with every argument but the tags force-new (the root
    // volume's block is judged in `plan`).
    for (name, a) in s.attributes.iter_mut() {
        if a.optional && !matches!(name.as_str(), "tags" | "wait_for_fulfillment") {
            a.force_new = true;
        }
    }
    if let Some(t) = s.attributes.get_mut("tags") {
        t.description = "Tags of the spot request (AWS does not copy them to its instance). Updated in place.".into();
    }
    s
});

/// Requests by id.
type Found = HashMap<String, SpotInstanceRequest>;

/// Cancelled and closed requests count as gone, as in Terraform.
fn gone(r: &SpotInstanceRequest) -> bool {
    matches!(r.state().map(|s| s.as_str()), Some("cancelled" | "closed"))
}

/// One DescribeSpotInstanceRequests per 200 ids (a filter: a missing id is simply absent, where
/// the `SpotInstanceRequestIds` parameter would fail the whole call).
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<Found, ProviderError> {
    describe_by_filter("spot-instance-request-id", ids, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_spot_instance_requests()
            .filters(filter)
            .max_results(1000)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .spot_instance_requests()
            .iter()
            .filter_map(|r| Some((r.spot_instance_request_id()?.to_string(), r.clone())))
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

/// The live (not cancelled or closed) request `id`.
async fn describe_one(ctx: &Ctx, id: &str) -> Result<Option<SpotInstanceRequest>, ProviderError> {
    Ok(describe(ctx, &[id.to_string()]).await?.remove(id).filter(|r| !gone(r)))
}

fn rfc3339(t: &DateTime) -> Option<String> {
    t.fmt(Format::DateTime).ok()
}

fn parse_time(planned: &Value, key: &str) -> Result<Option<DateTime>, ProviderError> {
    opt_str(planned, key)
        .map(|t| {
            DateTime::from_str(&t, Format::DateTime).map_err(|e| {
                ProviderError::with_code(
                    "InvalidParameterValue",
                    format!("{key} {t:?} is not an RFC 3339 time: {e}"),
                )
                .at(AttrPath::attr(key))
            })
        })
        .transpose()
}

/// A time read back: the state's own spelling when it names the same instant.
fn time_value(live: Option<&DateTime>, prior: &Value, key: &str) -> Value {
    let Some(live) = live else { return Value::Null };
    let kept = prior
        .get(key)
        .as_str()
        .and_then(|p| DateTime::from_str(p, Format::DateTime).ok())
        .is_some_and(|p| p.secs() == live.secs());
    if kept {
        prior.get(key).clone()
    } else {
        opt_string(rfc3339(live))
    }
}

/// The price read back: the state's own spelling when it is the same number (AWS writes six
/// decimals).
fn price_value(live: Option<&str>, prior: &Value) -> Value {
    let number = |s: &str| s.trim().parse::<f64>().ok();
    match (live, prior.get("spot_price").as_str()) {
        (Some(l), Some(p)) if number(l).is_some() && number(l) == number(p) => string(p),
        (l, _) => opt_string(l),
    }
}

/// The attributes that only a running instance has; null while the request has none.
const INSTANCE_ONLY: &[&str] = &["arn", "instance_state", "public_ip", "private_dns", "public_dns"];

/// The request's value: the launch arguments and instance attributes from `instance` (the
/// instance's value, when one fulfils the request) or else the prior state's arguments, then the
/// request's own attributes.
fn to_value(ctx: &Ctx, r: &SpotInstanceRequest, instance: Option<&Value>, prior: &Value) -> Value {
    let mut m = Map::new();
    for name in SCHEMA.attributes.keys() {
        let v = match instance {
            Some(i) => i.get(name).clone(),
            None if INSTANCE_ONLY.contains(&name.as_str()) => Value::Null,
            // Unknown in a planned value (a create whose request is not fulfilled yet): null.
            None => Some(prior.get(name).clone())
                .filter(|v| !v.is_unknown())
                .unwrap_or(Value::Null),
        };
        m.insert(name.clone(), v);
    }
    for (name, b) in &SCHEMA.blocks {
        let v = instance.map_or_else(|| prior.get(name).clone(), |i| i.get(name).clone());
        let empty = match b.nesting {
            plinth_sdk::Nesting::Single => Value::Null,
            _ => Value::List(Vec::new()),
        };
        m.insert(name.clone(), if v.is_null() || v.is_unknown() { empty } else { v });
    }
    let spec = r.launch_specification();
    let (tags, tags_all) = tag_values(ctx, r.tags(), prior);
    let mut set = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    set("id", opt_string(r.spot_instance_request_id()));
    set("spot_bid_status", opt_string(r.status().and_then(|s| s.code())));
    set("spot_request_state", opt_string(r.state().map(|s| s.as_str())));
    set("spot_instance_id", opt_string(r.instance_id()));
    set("spot_price", price_value(r.spot_price(), prior));
    set("spot_type", opt_string(r.r#type().map(|t| t.as_str())));
    set("launch_group", opt_string(r.launch_group().filter(|g| !g.is_empty())));
    set(
        "block_duration_minutes",
        r.block_duration_minutes()
            .map_or(Value::Null, |n| Value::int(i64::from(n))),
    );
    set(
        "instance_interruption_behavior",
        opt_string(r.instance_interruption_behavior().map(|b| b.as_str())),
    );
    set("valid_from", time_value(r.valid_from(), prior, "valid_from"));
    set("valid_until", time_value(r.valid_until(), prior, "valid_until"));
    set("wait_for_fulfillment", prior.get("wait_for_fulfillment").clone());
    if let Some(ami) = spec.and_then(|s| s.image_id()) {
        set("ami", string(ami));
    }
    if let Some(t) = spec.and_then(|s| s.instance_type()) {
        set("instance_type", string(t.as_str()));
    }
    if let Some(k) = spec.and_then(|s| s.key_name()).filter(|k| !k.is_empty()) {
        set("key_name", string(k));
    }
    set("tags", tags);
    set("tags_all", tags_all);
    Value::Map(m)
}

/// The values of the live requests among `states` (by request id), with their instances read in
/// one batch.
async fn values(ctx: &Ctx, states: &[Value]) -> Result<HashMap<String, Value>, ProviderError> {
    let mut found = describe(ctx, &ids_of(states)).await?;
    found.retain(|_, r| !gone(r));
    let wanted: Vec<(String, &Value)> = states
        .iter()
        .filter_map(|s| {
            let r = found.get(s.get("id").as_str()?)?;
            Some((r.instance_id()?.to_string(), s))
        })
        .collect();
    let instances = instance::instance_values(ctx, &wanted).await?;
    Ok(states
        .iter()
        .filter_map(|s| {
            let id = s.get("id").as_str()?;
            let r = found.get(id)?;
            let i = r.instance_id().and_then(|i| instances.get(i));
            Some((id.to_string(), to_value(ctx, r, i, s)))
        })
        .collect())
}

/// The request `id` as it is now, read against `prior`.
async fn live_value(ctx: &Ctx, id: &str, prior: &Value) -> Result<Value, ProviderError> {
    let state = with_id(prior, id);
    values(ctx, std::slice::from_ref(&state))
        .await?
        .remove(id)
        .ok_or_else(|| {
            ProviderError::with_code(
                "InvalidSpotInstanceRequestID.NotFound",
                format!("no open or active spot instance request {id}"),
            )
        })
}

fn with_id(v: &Value, id: &str) -> Value {
    let mut m = v.as_map().cloned().unwrap_or_default();
    m.insert("id".into(), string(id));
    Value::Map(m)
}

fn launch_specification(
    planned: &Value,
    mappings: Option<Vec<aws_sdk_ec2::types::BlockDeviceMapping>>,
) -> RequestSpotLaunchSpecification {
    let mut spec = RequestSpotLaunchSpecification::builder()
        .set_image_id(opt_str(planned, "ami"))
        .set_instance_type(opt_str(planned, "instance_type").map(|t| InstanceType::from(t.as_str())))
        .set_key_name(opt_str(planned, "key_name"))
        .set_user_data(instance::user_data(planned))
        .set_security_groups(instance::security_group_names(planned))
        .set_block_device_mappings(mappings)
        .set_iam_instance_profile(instance::profile_spec(planned))
        .set_ebs_optimized(planned.get("ebs_optimized").as_bool())
        .set_monitoring(instance::monitoring_spec(planned));
    // The launch specification has no private IP of its own: asking for one, or for a public
    // address (or none), means describing the primary interface, which then carries the subnet
    // and groups.
    if planned.get("associate_public_ip_address").as_bool().is_some() || opt_str(planned, "private_ip").is_some() {
        spec = spec.network_interfaces(instance::primary_interface(planned));
    } else {
        let sgs = crate::util::str_list(planned, "vpc_security_group_ids");
        spec = spec
            .set_subnet_id(opt_str(planned, "subnet_id"))
            .set_security_group_ids((!sgs.is_empty()).then_some(sgs));
    }
    // AWS takes a placement group only with the default interruption behavior (as Terraform).
    let behavior = opt_str(planned, "instance_interruption_behavior");
    if behavior.as_deref().is_none_or(|b| b == "terminate") {
        let (az, group, tenancy) = (
            opt_str(planned, "availability_zone"),
            opt_str(planned, "placement_group"),
            opt_str(planned, "tenancy"),
        );
        if az.is_some() || group.is_some() || tenancy.is_some() {
            spec = spec.placement(
                SpotPlacement::builder()
                    .set_availability_zone(az)
                    .set_group_name(group)
                    .set_tenancy(tenancy.map(|t| Tenancy::from(t.as_str())))
                    .build(),
            );
        }
    }
    spec.build()
}

#[async_trait]
impl AwsResource for SpotInstanceRequestResource {
    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = instance::validate_launch(TYPE, config);
        let one_of = |key: &str, allowed: &[&str]| {
            let v = config.get(key).as_str()?;
            (!allowed.contains(&v)).then(|| {
                diag(
                    key,
                    format!("{key} must be one of {}", allowed.join(", ")),
                    format!("{v:?} is not a valid {key}."),
                )
            })
        };
        out.extend(one_of("spot_type", &["one-time", "persistent"]));
        out.extend(one_of(
            "instance_interruption_behavior",
            &["hibernate", "stop", "terminate"],
        ));
        if let Some(n) = config.get("block_duration_minutes").as_f64()
            && (n <= 0.0 || n % 60.0 != 0.0)
        {
            out.push(diag(
                "block_duration_minutes",
                "block_duration_minutes must be a multiple of 60",
                "Give 60, 120, 180, 240, 300 or 360.",
            ));
        }
        for key in ["valid_from", "valid_until"] {
            if let Some(t) = config.get(key).as_str()
                && DateTime::from_str(t, Format::DateTime).is_err()
            {
                out.push(diag(
                    key,
                    format!("{key} is not an RFC 3339 time"),
                    format!("{t:?}: write it as YYYY-MM-DDTHH:MM:SSZ."),
                ));
            }
        }
        if config.get("source_dest_check").as_bool() == Some(false)
            && config.get("wait_for_fulfillment").as_bool() != Some(true)
        {
            out.push(diag(
                "source_dest_check",
                "source_dest_check = false needs wait_for_fulfillment = true",
                "The check is turned off on the instance once it runs, so apply must wait for the request to be \
                 fulfilled.",
            ));
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        // A price equal as a number to the state's (0.03 and 0.030000) is not a change.
        let mut req = req.clone();
        if let (Some(prior), Value::Map(config)) = (&req.prior, &mut req.config)
            && let Some(want) = config.get("spot_price").and_then(|v| v.as_str())
            && let Value::String(have) = price_value(Some(want), prior)
        {
            config.insert("spot_price".into(), Value::String(have));
        }
        let req = &req;
        let mut resp = plan_with_tags(&SCHEMA, ctx, req);
        instance::plan_launch(&mut resp, req);
        // Any change of the root volume replaces the request (aws_instance changes it in place).
        if let Some(before) = req.prior.as_ref().map(|p| p.get(block_device::ROOT))
            && before.as_map().is_some()
            && !same(resp.planned.get(block_device::ROOT), before)
            && !resp
                .requires_replace
                .iter()
                .any(|p| p.0.first() == Some(&PathStep::Attr(block_device::ROOT.into())))
        {
            resp.requires_replace.push(AttrPath::attr(block_device::ROOT));
        }
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// With a client token derived from the planned change (see `docs/reliability.md`): a
    /// repeated call answers the request already made. A token answered with a request that is
    /// cancelled, closed or failed moves on to the next generation's token.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let spec = launch_specification(planned, block_device::mappings(ctx, planned).await?);
        let mut req = ctx
            .ec2
            .request_spot_instances()
            .instance_count(1)
            .launch_specification(spec)
            .set_spot_price(opt_str(planned, "spot_price"))
            .r#type(SpotInstanceType::from(
                opt_str(planned, "spot_type").as_deref().unwrap_or("persistent"),
            ))
            .instance_interruption_behavior(InstanceInterruptionBehavior::from(
                opt_str(planned, "instance_interruption_behavior")
                    .as_deref()
                    .unwrap_or("terminate"),
            ))
            .set_launch_group(opt_str(planned, "launch_group"))
            .set_block_duration_minutes(
                planned
                    .get("block_duration_minutes")
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok()),
            )
            .set_valid_from(parse_time(planned, "valid_from")?)
            .set_valid_until(parse_time(planned, "valid_until")?);
        if let Some(spec) = tag_spec(ResourceType::SpotInstancesRequest, &tags) {
            req = req.tag_specifications(spec);
        }
        let id = creating
            .with_token(planned, "RequestSpotInstances", |token| {
                let req = req.clone().client_token(token);
                async move {
                    let resp = req.send().boxed().await.map_err(aws_error)?;
                    let r = resp
                        .spot_instance_requests()
                        .first()
                        .ok_or_else(|| ProviderError::new("RequestSpotInstances returned no request"))?;
                    let id = r
                        .spot_instance_request_id()
                        .ok_or_else(|| ProviderError::new("RequestSpotInstances returned no request id"))?;
                    let failed = r.state().map(|s| s.as_str()) == Some("failed");
                    Ok((id.to_string(), gone(r) || failed))
                }
            })
            .await?;
        let wait = planned.get("wait_for_fulfillment").as_bool() == Some(true);
        let what = if wait {
            format!("spot instance request {id} to be fulfilled")
        } else {
            format!("spot instance request {id} to be readable")
        };
        let r = wait_for(ctx, &what, || async {
            let Some(r) = describe(ctx, std::slice::from_ref(&id)).await?.remove(&id) else {
                return Ok(None);
            };
            if !wait {
                return Ok(Some(r));
            }
            let code = r.status().and_then(|s| s.code()).unwrap_or("start");
            match code {
                "fulfilled" if r.instance_id().is_some() => Ok(Some(r)),
                c if PENDING.contains(&c) || c == "fulfilled" => Ok(None),
                c => Err(ProviderError::with_code(
                    "ResourceFailed",
                    format!(
                        "spot instance request {id} was not fulfilled: bid status {c}: {}",
                        r.status().and_then(|s| s.message()).unwrap_or("no message given")
                    ),
                )),
            }
        })
        .await?;
        if planned.get("source_dest_check").as_bool() == Some(false)
            && let Some(i) = r.instance_id()
        {
            instance::set_source_dest_check(ctx, i, false).await?;
        }
        live_value(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        // Only the tags (and wait_for_fulfillment, which makes no call) change in place.
        let id = req_str(prior, "id")?;
        update_tags(ctx, &id, prior, planned).await?;
        live_value(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        // The instance fulfilling it now, which may be newer than the state's.
        let current = describe_one(ctx, &id).await?;
        let instance = current
            .as_ref()
            .and_then(|r| r.instance_id().map(str::to_string))
            .or_else(|| opt_str(prior, "spot_instance_id"));
        if current.is_some() {
            match ctx
                .ec2
                .cancel_spot_instance_requests()
                .spot_instance_request_ids(&id)
                .send()
                .boxed()
                .await
            {
                Ok(_) => {}
                Err(e) if is_not_found(&e) => {}
                Err(e) => return Err(aws_error(e)),
            }
        }
        // Cancelling a request leaves its instance running: terminate it too, as Terraform does.
        match instance {
            Some(i) => instance::terminate(ctx, &i).await,
            None => Ok(()),
        }
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = values(ctx, states).await?;
        Ok(states
            .iter()
            .map(|s| found.get(s.get("id").as_str()?).cloned())
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let r = describe_one(ctx, id).await?.ok_or_else(|| {
            ProviderError::with_code(
                "InvalidSpotInstanceRequestID.NotFound",
                format!("no open or active spot instance request {id}"),
            )
        })?;
        let prior = match r.instance_id() {
            Some(i) => instance::import_prior(ctx, i).await?,
            None => Value::Map(Default::default()),
        };
        live_value(ctx, id, &prior).await
    }
}
