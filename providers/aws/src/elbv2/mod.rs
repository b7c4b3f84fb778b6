//! Elastic Load Balancing v2: Application, Network and Gateway Load Balancers (`aws_lb`), their
//! target groups (`aws_lb_target_group`) and listeners (`aws_lb_listener`), each also under
//! Terraform's older `aws_alb*` name.
//!
//! Shared here: tags in ELBv2's shape and [`describe_tags`] (one DescribeTags per 20 ARNs, the
//! API's limit), and the attribute tables ([`Attr`]) that map Terraform arguments onto the
//! key/value attributes of a load balancer or target group (Describe/Modify...Attributes, one
//! object a call). Listeners are found per load balancer in `listener.rs`.

mod listener;
mod load_balancer;
mod target_group;

use std::collections::{BTreeMap, HashMap};

use aws_sdk_elasticloadbalancingv2::types::Tag;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Type, Value};

use crate::error::aws_error;
use crate::idempotent::{ReadTags, read_tags};
use crate::tags::tags_from;
use crate::util::{describe_chunked, string};
use crate::{AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(load_balancer::LoadBalancer("aws_lb")),
        Box::new(load_balancer::LoadBalancer("aws_alb")),
        Box::new(target_group::TargetGroup("aws_lb_target_group")),
        Box::new(target_group::TargetGroup("aws_alb_target_group")),
        Box::new(listener::Listener("aws_lb_listener")),
        Box::new(listener::Listener("aws_alb_listener")),
    ]
}

/// Tags in ELBv2's shape.
pub(crate) fn elbv2_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// The tags of each of `arns` (load balancers, target groups or listeners, mixed as they come):
/// one DescribeTags per 20 ARNs; an ARN gone meanwhile is left out.
pub(crate) async fn describe_tags(
    ctx: &Ctx,
    arns: &[String],
) -> Result<HashMap<String, BTreeMap<String, String>>, ProviderError> {
    describe_chunked(ctx, arns, 20, |ctx, arns| async move {
        match ctx
            .elbv2
            .describe_tags()
            .set_resource_arns(Some(arns))
            .send()
            .boxed()
            .await
        {
            Ok(out) => Ok(Some(
                out.tag_descriptions()
                    .iter()
                    .filter_map(|d| {
                        let tags = tags_from(d.tags().iter().map(|t| (t.key(), t.value())));
                        Some((d.resource_arn()?.to_string(), tags))
                    })
                    .collect(),
            )),
            Err(e) if crate::error::is_not_found(&e) => Ok(None),
            Err(e) => Err(aws_error(e)),
        }
    })
    .await
}

/// Every tag on the ELBv2 object `arn`, Plinth's bookkeeping tags included (for adoption);
/// `None` when it is gone.
pub(crate) async fn all_tags(ctx: &Ctx, arn: String) -> Result<Option<ReadTags>, ProviderError> {
    match ctx.elbv2.describe_tags().resource_arns(arn).send().boxed().await {
        Ok(out) => Ok(out
            .tag_descriptions()
            .first()
            .map(|d| read_tags(d.tags().iter().map(|t| (t.key(), t.value()))))),
        Err(e) if crate::error::is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

/// How an attribute's text reads as a Terraform value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    Int,
}

/// One Terraform argument kept as an ELBv2 attribute.
pub(crate) struct Attr {
    /// The Terraform argument.
    pub name: &'static str,
    /// The ELBv2 attribute key.
    pub key: &'static str,
    pub kind: Kind,
    /// Terraform's default, as ELBv2 writes it.
    pub default: &'static str,
    /// The load balancer (or target group) types it applies to; empty: all.
    pub types: &'static [&'static str],
    pub describe: &'static str,
}

impl Attr {
    pub fn applies(&self, kind: &str) -> bool {
        self.types.is_empty() || self.types.contains(&kind)
    }

    pub fn schema(&self) -> Attribute {
        let ty = match self.kind {
            Kind::Bool => Type::Bool,
            Kind::Int => Type::Number,
        };
        Attribute::optional_computed(ty).describe(self.describe)
    }

    /// The attribute's text as a value.
    pub fn value(&self, text: &str) -> Value {
        match self.kind {
            Kind::Bool => Value::Bool(text == "true"),
            Kind::Int => text.parse::<i64>().map(Value::int).unwrap_or_else(|_| string(text)),
        }
    }

    /// A value as the attribute's text.
    pub fn text(&self, v: &Value) -> Option<String> {
        match self.kind {
            Kind::Bool => v.as_bool().map(|b| b.to_string()),
            Kind::Int => v.as_i64().map(|n| n.to_string()),
        }
    }
}

/// `config` with each attribute of `attrs` that applies to `kind` and is left null planned as its
/// default (so removing it from the configuration restores the default, as in Terraform), and
/// each one that does not apply kept from `prior` when left null.
pub(crate) fn plan_attrs(attrs: &[Attr], kind: &str, config: &Value, prior: Option<&Value>) -> Value {
    let mut out = config.clone();
    if let Value::Map(m) = &mut out {
        for a in attrs {
            if m.get(a.name).is_some_and(|v| !v.is_null()) {
                continue;
            }
            let v = if a.applies(kind) {
                a.value(a.default)
            } else {
                prior.map(|p| p.get(a.name).clone()).unwrap_or(Value::Null)
            };
            m.insert(a.name.to_string(), v);
        }
    }
    out
}

/// After the standard plan: an attribute that does not apply to `kind` and is left out is null,
/// not unknown (AWS has nothing to compute for it).
pub(crate) fn settle_attrs(attrs: &[Attr], kind: &str, planned: &mut Value) {
    if let Value::Map(m) = planned {
        for a in attrs.iter().filter(|a| !a.applies(kind)) {
            if m.get(a.name).is_some_and(Value::is_unknown) {
                m.insert(a.name.to_string(), Value::Null);
            }
        }
    }
}

/// The state values of `attrs` for an object of `kind` whose attributes are `live`: applicable
/// ones from AWS (the default when AWS leaves one out), the rest as `prior` had them (Terraform
/// ignores them for that type).
pub(crate) fn attr_values(
    attrs: &[Attr],
    kind: &str,
    live: &HashMap<String, String>,
    prior: &Value,
) -> Vec<(&'static str, Value)> {
    attrs
        .iter()
        .map(|a| {
            let v = if a.applies(kind) {
                a.value(live.get(a.key).map(String::as_str).unwrap_or(a.default))
            } else {
                Some(prior.get(a.name).clone())
                    .filter(|v| !v.is_unknown())
                    .unwrap_or(Value::Null)
            };
            (a.name, v)
        })
        .collect()
}

/// The (key, text) pairs to send for `planned`: on create (`prior` `None`) the applicable
/// attributes that differ from their defaults (some, such as `proxy_protocol_v2`, are refused
/// outright by objects they do not fit), on update the changed ones.
pub(crate) fn attr_changes(
    attrs: &[Attr],
    kind: &str,
    prior: Option<&Value>,
    planned: &Value,
) -> Vec<(String, String)> {
    attrs
        .iter()
        .filter(|a| a.applies(kind))
        .filter(|a| match prior {
            Some(p) => p.get(a.name) != planned.get(a.name),
            None => planned.get(a.name) != &a.value(a.default),
        })
        .filter_map(|a| Some((a.key.to_string(), a.text(planned.get(a.name))?)))
        .collect()
}

/// Terraform's `arn_suffix`, the dimension CloudWatch metrics use: the ARN's resource part
/// (`targetgroup/NAME/ID`), for a load balancer without its `loadbalancer/` (`app/NAME/ID`).
pub(crate) fn arn_suffix(arn: &str) -> String {
    let tail = arn.rsplit(':').next().unwrap_or(arn);
    tail.strip_prefix("loadbalancer/").unwrap_or(tail).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_suffixes_are_what_cloudwatch_names() {
        let lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
        assert_eq!(arn_suffix(lb), "app/web/50dc6c495c0c9188");
        let tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067";
        assert_eq!(arn_suffix(tg), "targetgroup/api/73e2d6bc24d8a067");
    }

    #[test]
    fn attributes_apply_by_type_and_plan_their_defaults() {
        const ATTRS: [Attr; 2] = [
            Attr {
                name: "idle_timeout",
                key: "idle_timeout.timeout_seconds",
                kind: Kind::Int,
                default: "60",
                types: &["application"],
                describe: "",
            },
            Attr {
                name: "enable_deletion_protection",
                key: "deletion_protection.enabled",
                kind: Kind::Bool,
                default: "false",
                types: &[],
                describe: "",
            },
        ];
        let cfg = Value::object([
            ("idle_timeout", Value::Null),
            ("enable_deletion_protection", Value::Null),
        ]);
        let planned = plan_attrs(&ATTRS, "application", &cfg, None);
        assert_eq!(planned.get("idle_timeout"), &Value::int(60));
        assert_eq!(planned.get("enable_deletion_protection"), &Value::Bool(false));
        let nlb = plan_attrs(&ATTRS, "network", &cfg, None);
        assert_eq!(nlb.get("idle_timeout"), &Value::Null);
        assert!(
            attr_changes(&ATTRS, "network", None, &nlb).is_empty(),
            "defaults are not sent"
        );
        let on = Value::object([("enable_deletion_protection", Value::Bool(true))]);
        assert_eq!(
            attr_changes(&ATTRS, "network", None, &plan_attrs(&ATTRS, "network", &on, None)),
            vec![("deletion_protection.enabled".to_string(), "true".to_string())]
        );
    }
}
