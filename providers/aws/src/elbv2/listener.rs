//! `aws_lb_listener` (and its older name `aws_alb_listener`): a port and protocol on a load
//! balancer with its default actions (forward to target groups, a fixed response, a redirect),
//! TLS policy and certificate, and tags. Rules beyond the default actions are
//! `aws_lb_listener_rule`'s (not in Plinth yet).
//!
//! Refresh: one DescribeListeners per load balancer (which lists all its listeners; a load
//! balancer gone means its listeners are), and one DescribeTags per 20 listeners.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, Certificate, FixedResponseActionConfig, ForwardActionConfig, Listener as L, ProtocolEnum,
    RedirectActionConfig, RedirectActionStatusCodeEnum, TargetGroupStickinessConfig, TargetGroupTuple,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{all_tags, describe_tags, elbv2_tags};
use crate::error::{aws_error, is_not_found};
use crate::idempotent::Creating;
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{
    concurrently, delete_call, error_at, items, list, opt_bool, opt_i64, opt_str, opt_string, plan_blocks, req_str,
    string, with_defaults,
};
use crate::{AwsResource, Ctx};

/// The type under one of its two names (`aws_lb_listener`, `aws_alb_listener`).
pub struct Listener(pub &'static str);

const ACTION_TYPES: [&str; 3] = ["forward", "redirect", "fixed-response"];

const AUTH_HINT: &str = "Plinth does not support authenticating actions yet: put authentication in front of the \
     load balancer, or leave the listener to Terraform for now";

const NOT_YET: &str = "Plinth does not manage this listener setting yet: leave it out (AWS keeps its default)";

/// Terraform's `routing_http_*` listener attributes (ALB header names and values).
const ROUTING_HTTP: [&str; 19] = [
    "routing_http_request_x_amzn_mtls_clientcert_header_name",
    "routing_http_request_x_amzn_mtls_clientcert_issuer_header_name",
    "routing_http_request_x_amzn_mtls_clientcert_leaf_header_name",
    "routing_http_request_x_amzn_mtls_clientcert_serial_number_header_name",
    "routing_http_request_x_amzn_mtls_clientcert_subject_header_name",
    "routing_http_request_x_amzn_mtls_clientcert_validity_header_name",
    "routing_http_request_x_amzn_tls_cipher_suite_header_name",
    "routing_http_request_x_amzn_tls_version_header_name",
    "routing_http_response_access_control_allow_credentials_header_value",
    "routing_http_response_access_control_allow_headers_header_value",
    "routing_http_response_access_control_allow_methods_header_value",
    "routing_http_response_access_control_allow_origin_header_value",
    "routing_http_response_access_control_expose_headers_header_value",
    "routing_http_response_access_control_max_age_header_value",
    "routing_http_response_content_security_policy_header_value",
    "routing_http_response_server_enabled",
    "routing_http_response_strict_transport_security_header_value",
    "routing_http_response_x_content_type_options_header_value",
    "routing_http_response_x_frame_options_header_value",
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let target_group = Schema::new("One target group of a weighted forward.")
        .attr(
            "arn",
            Attribute::required(Type::String).describe("The target group ARN."),
        )
        .attr(
            "weight",
            Attribute::optional(Type::Number).describe("Its share of requests (0-999, default 1)."),
        );
    let stickiness = Schema::new("Stickiness to one target group of the forward.")
        .attr(
            "duration",
            Attribute::required(Type::Number).describe("Seconds a client stays with its target group (1-604800)."),
        )
        .attr(
            "enabled",
            Attribute::optional(Type::Bool).describe("Stickiness on (default false)."),
        );
    let forward = Schema::new("Forward to one or more weighted target groups.")
        .block("target_group", list(target_group, 1, Some(5), false))
        .block("stickiness", list(stickiness, 0, Some(1), false));
    let redirect = Schema::new(
        "Redirect; each part may reuse the request's with #{protocol}, #{host}, #{port}, #{path}, #{query}.",
    )
    .attr(
        "status_code",
        Attribute::required(Type::String).describe("HTTP_301 (permanent) or HTTP_302 (temporary)."),
    )
    .attr("host", Attribute::optional(Type::String).describe("Default #{host}."))
    .attr("path", Attribute::optional(Type::String).describe("Default /#{path}."))
    .attr("port", Attribute::optional(Type::String).describe("Default #{port}."))
    .attr(
        "protocol",
        Attribute::optional(Type::String).describe("HTTP, HTTPS or #{protocol} (default)."),
    )
    .attr("query", Attribute::optional(Type::String).describe("Default #{query}."));
    let fixed = Schema::new("A fixed response.")
        .attr(
            "content_type",
            Attribute::required(Type::String)
                .describe("text/plain, text/css, text/html, application/javascript or application/json."),
        )
        .attr("message_body", Attribute::optional(Type::String).describe("The body."))
        .attr(
            "status_code",
            Attribute::optional_computed(Type::String).describe("A 2XX, 4XX or 5XX code."),
        );
    let action = Schema::new("A default action, in order.")
        .attr(
            "type",
            Attribute::required(Type::String).describe("forward, redirect or fixed-response."),
        )
        .attr(
            "order",
            Attribute::optional_computed(Type::Number).describe("The action's order (1-50000)."),
        )
        .attr(
            "target_group_arn",
            Attribute::optional(Type::String).describe("The target group of a forward to one group."),
        )
        .block("forward", list(forward, 0, Some(1), false))
        .block("redirect", list(redirect, 0, Some(1), false))
        .block("fixed_response", list(fixed, 0, Some(1), false))
        .unsupported_blocks(
            &["authenticate_cognito", "authenticate_oidc", "jwt_validation"],
            AUTH_HINT,
        );
    let schema = Schema::new(
        "A listener of an ELBv2 load balancer: the port and protocol it accepts and its default actions. Import \
         with the listener ARN.",
    )
    .attr(
        "load_balancer_arn",
        Attribute::required(Type::String)
            .force_new()
            .describe("The load balancer."),
    )
    .attr(
        "port",
        Attribute::optional(Type::Number).describe("The port (not for Gateway Load Balancers)."),
    )
    .attr(
        "protocol",
        Attribute::optional_computed(Type::String).describe(
            "HTTP or HTTPS (Application; HTTP when left out), TCP, TLS, UDP or TCP_UDP (Network); none for Gateway.",
        ),
    )
    .attr(
        "ssl_policy",
        Attribute::optional_computed(Type::String).describe("The TLS security policy (HTTPS and TLS listeners)."),
    )
    .attr(
        "certificate_arn",
        Attribute::optional(Type::String).describe("The default server certificate (HTTPS and TLS listeners)."),
    )
    .attr(
        "alpn_policy",
        Attribute::optional(Type::String)
            .describe("TLS listeners: HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred or None."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The listener ARN."))
    .attr("arn", Attribute::computed(Type::String).describe("The listener ARN."))
    .block("default_action", list(action, 1, None, false))
    .unsupported_block("mutual_authentication", NOT_YET)
    .unsupported("tcp_idle_timeout_seconds", NOT_YET)
    .unsupported_all(&ROUTING_HTTP, NOT_YET);
    with_tags(schema)
});

fn int(n: Option<i32>) -> Value {
    n.map(|n| Value::int(n.into())).unwrap_or(Value::Null)
}

fn int32(v: &Value, key: &str) -> Option<i32> {
    opt_i64(v, key).and_then(|n| i32::try_from(n).ok())
}

/// One default action as state holds it. A forward to one group is `target_group_arn` unless the
/// configuration (`known`, the prior item) used the `forward` block, as Terraform reads it.
fn action_value(a: &Action, known: Option<&Value>) -> Value {
    let kind = a.r#type().map(|t| t.as_str()).unwrap_or_default();
    let used_forward_block = known.is_some_and(|k| !items(k, "forward").is_empty());
    let groups = a.forward_config().map(|f| f.target_groups()).unwrap_or_default();
    let single = a.target_group_arn().map(str::to_string).or_else(|| {
        (groups.len() == 1)
            .then(|| groups[0].target_group_arn().map(str::to_string))
            .flatten()
    });
    let (tg_arn, forward) = if kind != "forward" {
        (Value::Null, vec![])
    } else if used_forward_block || single.is_none() {
        // The groups in the order the configuration had them, so a set reads back unchanged.
        let order: Vec<String> = known
            .and_then(|k| items(k, "forward").first())
            .map(|f| {
                items(f, "target_group")
                    .iter()
                    .filter_map(|g| opt_str(g, "arn"))
                    .collect()
            })
            .unwrap_or_default();
        let mut tgs: Vec<&TargetGroupTuple> = groups.iter().collect();
        tgs.sort_by_key(|g| {
            let arn = g.target_group_arn().unwrap_or_default();
            (
                order.iter().position(|o| o == arn).unwrap_or(usize::MAX),
                arn.to_string(),
            )
        });
        let tg_values = tgs
            .iter()
            .map(|g| {
                Value::object([
                    ("arn", opt_string(g.target_group_arn())),
                    ("weight", Value::int(g.weight().unwrap_or(1).into())),
                ])
            })
            .collect();
        let stick = a
            .forward_config()
            .and_then(|f| f.target_group_stickiness_config())
            .filter(|s| s.enabled() == Some(true) || s.duration_seconds().is_some())
            .map(|s| {
                vec![Value::object([
                    ("duration", int(s.duration_seconds())),
                    ("enabled", Value::Bool(s.enabled().unwrap_or(false))),
                ])]
            })
            .unwrap_or_default();
        (
            Value::Null,
            vec![Value::object([
                ("target_group", Value::List(tg_values)),
                ("stickiness", Value::List(stick)),
            ])],
        )
    } else {
        (opt_string(single), vec![])
    };
    let redirect = a
        .redirect_config()
        .map(|r| {
            vec![Value::object([
                ("status_code", opt_string(r.status_code().map(|c| c.as_str()))),
                ("host", opt_string(r.host())),
                ("path", opt_string(r.path())),
                ("port", opt_string(r.port())),
                ("protocol", opt_string(r.protocol())),
                ("query", opt_string(r.query())),
            ])]
        })
        .unwrap_or_default();
    let fixed = a
        .fixed_response_config()
        .map(|f| {
            vec![Value::object([
                ("content_type", opt_string(f.content_type())),
                ("message_body", opt_string(f.message_body())),
                ("status_code", opt_string(f.status_code())),
            ])]
        })
        .unwrap_or_default();
    Value::object([
        ("type", string(kind)),
        ("order", int(a.order())),
        ("target_group_arn", tg_arn),
        ("forward", Value::List(forward)),
        ("redirect", Value::List(redirect)),
        ("fixed_response", Value::List(fixed)),
    ])
}

fn to_value(ctx: &Ctx, l: &L, tags: &BTreeMap<String, String>, prior: &Value) -> Value {
    let arn = l.listener_arn().unwrap_or_default();
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let known = items(prior, "default_action");
    let mut actions: Vec<&Action> = l.default_actions().iter().collect();
    actions.sort_by_key(|a| a.order().unwrap_or(i32::MAX));
    let actions = actions
        .iter()
        .enumerate()
        .map(|(i, a)| action_value(a, known.get(i)))
        .collect();
    // ELBv2 lists every certificate; the default one is this argument's.
    let cert = l
        .certificates()
        .iter()
        .find(|c| c.is_default() != Some(false))
        .and_then(|c| c.certificate_arn());
    Value::object([
        ("id", string(arn)),
        ("arn", string(arn)),
        ("load_balancer_arn", opt_string(l.load_balancer_arn())),
        ("port", int(l.port())),
        ("protocol", opt_string(l.protocol().map(|p| p.as_str()))),
        ("ssl_policy", opt_string(l.ssl_policy())),
        ("certificate_arn", opt_string(cert)),
        ("alpn_policy", opt_string(l.alpn_policy().first())),
        ("default_action", Value::List(actions)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The listeners of one load balancer, by ARN; `None` when the load balancer is gone.
async fn listeners_of(ctx: &Ctx, lb: &str) -> Result<Option<Vec<L>>, ProviderError> {
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let call = ctx
            .elbv2
            .describe_listeners()
            .load_balancer_arn(lb)
            .set_marker(marker)
            .send()
            .boxed()
            .await;
        let page = match call {
            Ok(page) => page,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => return Err(aws_error(e)),
        };
        out.extend(page.listeners().iter().cloned());
        marker = page.next_marker().filter(|m| !m.is_empty()).map(str::to_string);
        if marker.is_none() {
            return Ok(Some(out));
        }
    }
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let mut lbs: Vec<String> = states.iter().filter_map(|s| opt_str(s, "load_balancer_arn")).collect();
    lbs.sort();
    lbs.dedup();
    let found: HashMap<String, L> = concurrently(lbs, |lb| {
        let ctx = ctx.clone();
        async move { Ok(listeners_of(&ctx, &lb).await?.unwrap_or_default()) }
    })
    .await?
    .into_iter()
    .flatten()
    .filter_map(|l| Some((l.listener_arn()?.to_string(), l)))
    .collect();
    let wanted: Vec<String> = states
        .iter()
        .filter_map(|s| opt_str(s, "arn"))
        .filter(|a| found.contains_key(a))
        .collect();
    let tags = describe_tags(ctx, &wanted).await?;
    Ok(states
        .iter()
        .map(|s| {
            let arn = opt_str(s, "arn")?;
            let l = found.get(&arn)?;
            Some(to_value(ctx, l, &tags.get(&arn).cloned().unwrap_or_default(), s))
        })
        .collect())
}

async fn read_one(ctx: &Ctx, arn: &str, lb: &str, planned: &Value) -> Result<Value, ProviderError> {
    let mut probe = planned.as_map().cloned().unwrap_or_default();
    probe.insert("arn".into(), string(arn));
    probe.insert("load_balancer_arn".into(), string(lb));
    read_many(ctx, &[Value::Map(probe)])
        .await?
        .pop()
        .flatten()
        .ok_or_else(|| ProviderError::with_code("ListenerNotFound", format!("listener {arn} disappeared")))
}

fn action(v: &Value) -> Action {
    let kind = opt_str(v, "type").unwrap_or_default();
    let mut b = Action::builder()
        .r#type(ActionTypeEnum::from(kind.as_str()))
        .set_order(int32(v, "order"));
    match kind.as_str() {
        "forward" => {
            if let Some(f) = items(v, "forward").first() {
                let groups = items(f, "target_group")
                    .iter()
                    .map(|g| {
                        TargetGroupTuple::builder()
                            .set_target_group_arn(opt_str(g, "arn"))
                            .set_weight(int32(g, "weight"))
                            .build()
                    })
                    .collect();
                let stick = items(f, "stickiness").first().map(|s| {
                    TargetGroupStickinessConfig::builder()
                        .set_enabled(opt_bool(s, "enabled"))
                        .set_duration_seconds(int32(s, "duration"))
                        .build()
                });
                b = b.forward_config(
                    ForwardActionConfig::builder()
                        .set_target_groups(Some(groups))
                        .set_target_group_stickiness_config(stick)
                        .build(),
                );
            } else {
                b = b.set_target_group_arn(opt_str(v, "target_group_arn"));
            }
        }
        "redirect" => {
            if let Some(r) = items(v, "redirect").first() {
                b = b.redirect_config(
                    RedirectActionConfig::builder()
                        .set_host(opt_str(r, "host"))
                        .set_path(opt_str(r, "path"))
                        .set_port(opt_str(r, "port"))
                        .set_protocol(opt_str(r, "protocol"))
                        .set_query(opt_str(r, "query"))
                        .set_status_code(
                            opt_str(r, "status_code").map(|c| RedirectActionStatusCodeEnum::from(c.as_str())),
                        )
                        .build(),
                );
            }
        }
        "fixed-response" => {
            if let Some(f) = items(v, "fixed_response").first() {
                b = b.fixed_response_config(
                    FixedResponseActionConfig::builder()
                        .set_content_type(opt_str(f, "content_type"))
                        .set_message_body(opt_str(f, "message_body"))
                        .set_status_code(opt_str(f, "status_code"))
                        .build(),
                );
            }
        }
        _ => {}
    }
    b.build()
}

fn actions(planned: &Value) -> Vec<Action> {
    items(planned, "default_action").iter().map(action).collect()
}

/// The protocol to send: the configured one, else HTTP on an Application Load Balancer (as
/// Terraform does).
fn protocol(planned: &Value) -> Option<ProtocolEnum> {
    opt_str(planned, "protocol")
        .or_else(|| {
            opt_str(planned, "load_balancer_arn")
                .filter(|a| a.contains(":loadbalancer/app/"))
                .map(|_| "HTTP".to_string())
        })
        .map(|p| ProtocolEnum::from(p.to_ascii_uppercase().as_str()))
}

fn certificates(planned: &Value) -> Option<Vec<Certificate>> {
    opt_str(planned, "certificate_arn").map(|c| vec![Certificate::builder().certificate_arn(c).build()])
}

/// Terraform's defaults inside the configured actions.
fn action_defaults(config: &Value) -> Value {
    let mut out = config.clone();
    let Some(Value::List(acts)) = out.as_map().and_then(|m| m.get("default_action")).cloned() else {
        return out;
    };
    let acts = acts
        .into_iter()
        .map(|mut a| {
            if let Value::Map(m) = &mut a {
                if let Some(Value::List(rs)) = m.get_mut("redirect") {
                    for r in rs.iter_mut() {
                        *r = with_defaults(
                            r,
                            &[
                                ("host", string("#{host}")),
                                ("path", string("/#{path}")),
                                ("port", string("#{port}")),
                                ("protocol", string("#{protocol}")),
                                ("query", string("#{query}")),
                            ],
                        );
                    }
                }
                if let Some(Value::List(fs)) = m.get_mut("forward") {
                    for f in fs.iter_mut() {
                        if let Value::Map(fm) = f {
                            if let Some(Value::List(gs)) = fm.get_mut("target_group") {
                                for g in gs.iter_mut() {
                                    *g = with_defaults(g, &[("weight", Value::int(1))]);
                                }
                            }
                            if let Some(Value::List(ss)) = fm.get_mut("stickiness") {
                                for s in ss.iter_mut() {
                                    *s = with_defaults(s, &[("enabled", Value::Bool(false))]);
                                }
                            }
                        }
                    }
                }
            }
            a
        })
        .collect();
    if let Value::Map(m) = &mut out {
        m.insert("default_action".into(), Value::List(acts));
    }
    out
}

#[async_trait]
impl AwsResource for Listener {
    fn type_name(&self) -> &'static str {
        self.0
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        for (i, a) in items(config, "default_action").iter().enumerate() {
            let Some(kind) = a.get("type").as_str() else { continue };
            let path = format!("default_action[{i}].type");
            if !ACTION_TYPES.contains(&kind) {
                out.push(error_at(
                    &path,
                    "Invalid type",
                    if kind.starts_with("authenticate") {
                        format!("{kind:?}: {AUTH_HINT}")
                    } else {
                        format!("{kind:?}: expected forward, redirect or fixed-response")
                    },
                ));
                continue;
            }
            let needs = match kind {
                "forward" if a.get("target_group_arn").is_null() && items(a, "forward").is_empty() => {
                    Some("a forward action needs target_group_arn or a forward block")
                }
                "redirect" if items(a, "redirect").is_empty() => Some("a redirect action needs a redirect block"),
                "fixed-response" if items(a, "fixed_response").is_empty() => {
                    Some("a fixed-response action needs a fixed_response block")
                }
                _ => None,
            };
            if let Some(why) = needs {
                out.push(error_at(&path, "Incomplete default_action", why));
            }
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut req2 = req.clone();
        req2.config = action_defaults(&req.config);
        let mut resp = plan_blocks(&SCHEMA, &req2);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): a listener is unique by its
    /// load balancer and port; the bookkeeping tags ride on CreateListener, and the existing
    /// listener AWS answers a repeat with (or names in DuplicateListener) is gone on with only
    /// when its tags name this address and state ([`Creating::settle`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let lb = req_str(planned, "load_balancer_arn")?;
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let sent = ctx
            .elbv2
            .create_listener()
            .load_balancer_arn(&lb)
            .set_port(int32(planned, "port"))
            .set_protocol(protocol(planned))
            .set_ssl_policy(opt_str(planned, "ssl_policy"))
            .set_certificates(certificates(planned))
            .set_alpn_policy(opt_str(planned, "alpn_policy").map(|p| vec![p]))
            .set_default_actions(Some(actions(planned)))
            .set_tags((!tags.is_empty()).then(|| elbv2_tags(&tags)))
            .send()
            .boxed()
            .await
            .map_err(aws_error)
            .and_then(|out| {
                out.listeners()
                    .first()
                    .and_then(|l| l.listener_arn())
                    .map(str::to_string)
                    .ok_or_else(|| ProviderError::new("CreateListener returned no listener ARN"))
            });
        let port = int32(planned, "port");
        let find = || async {
            let out = ctx
                .elbv2
                .describe_listeners()
                .load_balancer_arn(&lb)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            Ok(out
                .listeners()
                .iter()
                .find(|l| l.port() == port)
                .and_then(|l| l.listener_arn())
                .map(str::to_string))
        };
        let arn = creating
            .settle("CreateListener", sent, find, |arn| all_tags(ctx, arn))
            .await?;
        read_one(ctx, &arn, &lb, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let arn = req_str(prior, "arn")?;
        let lb = req_str(prior, "load_balancer_arn")?;
        let settings = [
            "port",
            "protocol",
            "ssl_policy",
            "certificate_arn",
            "alpn_policy",
            "default_action",
        ];
        if settings.iter().any(|k| planned.get(k) != prior.get(k)) {
            ctx.elbv2
                .modify_listener()
                .listener_arn(&arn)
                .set_port(int32(planned, "port"))
                .set_protocol(protocol(planned))
                .set_ssl_policy(opt_str(planned, "ssl_policy"))
                .set_certificates(certificates(planned))
                .set_alpn_policy(opt_str(planned, "alpn_policy").map(|p| vec![p]))
                .set_default_actions(Some(actions(planned)))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, Tagged::Elbv2(&arn), prior, planned).await?;
        read_one(ctx, &arn, &lb, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let arn = req_str(prior, "arn")?;
        delete_call(ctx.elbv2.delete_listener().listener_arn(&arn).send().boxed()).await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let out = ctx
            .elbv2
            .describe_listeners()
            .listener_arns(id)
            .send()
            .boxed()
            .await
            .map_err(|e| {
                let e = aws_error(e);
                if e.kind == plinth_sdk::ErrorKind::NotFound {
                    ProviderError::with_code("ListenerNotFound", format!("no listener {id}"))
                } else {
                    e
                }
            })?;
        let lb = out
            .listeners()
            .first()
            .and_then(|l| l.load_balancer_arn())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::with_code("ListenerNotFound", format!("no listener {id}")))?;
        read_one(ctx, id, &lb, &Value::Null).await
    }
}
