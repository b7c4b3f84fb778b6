//! `aws_vpc_security_group_ingress_rule` and `aws_vpc_security_group_egress_rule`: one rule with
//! one source and its own `sgr-` id, as Terraform's current rule types. Everything but the group
//! changes in place (ModifySecurityGroupRules), tags through CreateTags/DeleteTags on the rule
//! id. Refresh is one DescribeSecurityGroupRules per 200 rules (a `security-group-rule-id`
//! filter); import takes the rule id.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{
    IpPermission, IpRange, Ipv6Range, PrefixListId, ResourceType, SecurityGroupRule as Sgr, SecurityGroupRuleRequest,
    SecurityGroupRuleUpdate, UserIdGroupPair,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::security_group::norm_protocol;
use super::{
    adopt_content, by_id, describe_by_filter, diag, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags,
    wait_found,
};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{delete_call, opt_i64, opt_str, opt_string, req_str, string, wait_gone};
use crate::{AwsResource, Ctx};

/// The fields an update compares: a rule's identity (the first [`IDENTITY_FIELDS`]: protocol,
/// ports and peer), then its description.
const RULE_FIELDS: [&str; 8] = [
    "ip_protocol",
    "from_port",
    "to_port",
    "cidr_ipv4",
    "cidr_ipv6",
    "prefix_list_id",
    "referenced_security_group_id",
    "description",
];
const IDENTITY_FIELDS: usize = 7;

/// One of the two types: which direction it manages.
pub struct VpcSecurityGroupRule {
    egress: bool,
}

impl VpcSecurityGroupRule {
    pub const INGRESS: VpcSecurityGroupRule = VpcSecurityGroupRule { egress: false };
    pub const EGRESS: VpcSecurityGroupRule = VpcSecurityGroupRule { egress: true };
}

/// The source (ingress) or destination (egress) arguments: exactly one is set.
const PEERS: &[&str] = &[
    "cidr_ipv4",
    "cidr_ipv6",
    "prefix_list_id",
    "referenced_security_group_id",
];

fn schema(kind: &str, peer: &str) -> Schema {
    let mut s = Schema::new(&format!(
        "One {kind} rule of a security group, with its own id: one protocol, one port range and one {peer}. Import \
         with the rule id (sgr-...)."
    ))
    .attr(
        "security_group_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The group the rule belongs to."),
    )
    .attr(
        "ip_protocol",
        Attribute::required(Type::String)
            .describe("tcp, udp, icmp, icmpv6, a protocol number, or \"-1\" for every protocol (ports then left out)."),
    )
    .attr(
        "from_port",
        Attribute::optional(Type::Number).describe("Start of the port range (ICMP type for icmp)."),
    )
    .attr(
        "to_port",
        Attribute::optional(Type::Number).describe("End of the port range (ICMP code for icmp)."),
    )
    .attr(
        "description",
        Attribute::optional(Type::String).describe("Description of the rule."),
    );
    for (name, text) in [
        ("cidr_ipv4", "An IPv4 CIDR range."),
        ("cidr_ipv6", "An IPv6 CIDR range."),
        ("prefix_list_id", "A managed prefix list (pl-...)."),
        (
            "referenced_security_group_id",
            "Another security group (or [ACCOUNT/]GROUP of a peered VPC).",
        ),
    ] {
        s = s.attr(
            name,
            Attribute::optional(Type::String).describe(&format!("The {peer}: {text} Exactly one of the four.")),
        );
    }
    for (name, text) in [
        ("id", "The rule id (sgr-...)."),
        ("security_group_rule_id", "The rule id (sgr-...)."),
        ("arn", "The rule ARN."),
    ] {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    with_tags(s).identity(&["id"])
}

static INGRESS_SCHEMA: LazyLock<Schema> = LazyLock::new(|| schema("ingress", "source"));
static EGRESS_SCHEMA: LazyLock<Schema> = LazyLock::new(|| schema("egress", "destination"));

/// The protocol as stored: the prior (or configured) spelling when it means the same.
fn protocol_value(live: &str, prior: &Value) -> Value {
    match prior.get("ip_protocol").as_str() {
        Some(p) if norm_protocol(p) == norm_protocol(live) => string(p),
        _ => string(live),
    }
}

fn to_value(ctx: &Ctx, r: &Sgr, prior: &Value) -> Value {
    let id = r.security_group_rule_id().unwrap_or_default().to_string();
    let owner = r.group_owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, r.tags(), prior);
    // All protocols: AWS reports the ports as -1; Terraform keeps them null.
    let port = |p: Option<i32>| match p {
        Some(-1) | None => Value::Null,
        Some(p) => Value::int(i64::from(p)),
    };
    let referenced = r.referenced_group_info().and_then(|g| {
        let group = g.group_id()?;
        Some(match g.user_id() {
            Some(u) if !u.is_empty() && u != owner => format!("{u}/{group}"),
            _ => group.to_string(),
        })
    });
    Value::object([
        ("id", string(&id)),
        ("security_group_rule_id", string(&id)),
        (
            "arn",
            string(format!(
                "arn:aws:ec2:{}:{}:security-group-rule/{}",
                ctx.region, owner, id
            )),
        ),
        ("security_group_id", opt_string(r.group_id())),
        ("ip_protocol", protocol_value(r.ip_protocol().unwrap_or("-1"), prior)),
        ("from_port", port(r.from_port())),
        ("to_port", port(r.to_port())),
        ("cidr_ipv4", opt_string(r.cidr_ipv4())),
        ("cidr_ipv6", opt_string(r.cidr_ipv6())),
        ("prefix_list_id", opt_string(r.prefix_list_id())),
        ("referenced_security_group_id", opt_string(referenced)),
        ("description", opt_string(r.description().filter(|d| !d.is_empty()))),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// One DescribeSecurityGroupRules per 200 ids (a `security-group-rule-id` filter: missing ids
/// are simply absent).
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Sgr>, ProviderError> {
    describe_where(ctx, "security-group-rule-id", ids).await
}

/// The rules `filter` (a DescribeSecurityGroupRules filter name, such as `group-id`) names by
/// `values`, 200 values a call.
async fn describe_where(ctx: &Ctx, filter: &str, values: &[String]) -> Result<HashMap<String, Sgr>, ProviderError> {
    describe_by_filter(filter, values, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_security_group_rules()
            .filters(filter)
            .max_results(1000)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .security_group_rules()
            .iter()
            .filter_map(|r| Some((r.security_group_rule_id()?.to_string(), r.clone())))
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

/// The ports to send: none for all protocols (EC2 refuses them), else the configured ones.
fn ports_of(v: &Value) -> Option<(i32, i32)> {
    let protocol = norm_protocol(opt_str(v, "ip_protocol").as_deref().unwrap_or("-1"));
    if protocol == "-1" {
        return None;
    }
    let p = |k: &str| opt_i64(v, k).and_then(|n| i32::try_from(n).ok()).unwrap_or(-1);
    Some((p("from_port"), p("to_port")))
}

/// `[ACCOUNT/]GROUP` split into (account, group).
fn referenced(v: &Value) -> Option<(Option<String>, String)> {
    let r = opt_str(v, "referenced_security_group_id")?;
    Some(match r.split_once('/') {
        Some((user, group)) => (Some(user.to_string()), group.to_string()),
        None => (None, r),
    })
}

/// The IpPermission that authorizes the planned rule.
fn permission(v: &Value) -> IpPermission {
    let desc = opt_str(v, "description");
    let mut p = IpPermission::builder().ip_protocol(opt_str(v, "ip_protocol").unwrap_or_else(|| "-1".into()));
    if let Some((from, to)) = ports_of(v) {
        p = p.from_port(from).to_port(to);
    }
    if let Some(c) = opt_str(v, "cidr_ipv4") {
        p = p.ip_ranges(IpRange::builder().cidr_ip(c).set_description(desc.clone()).build());
    }
    if let Some(c) = opt_str(v, "cidr_ipv6") {
        p = p.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(c).set_description(desc.clone()).build());
    }
    if let Some(l) = opt_str(v, "prefix_list_id") {
        p = p.prefix_list_ids(
            PrefixListId::builder()
                .prefix_list_id(l)
                .set_description(desc.clone())
                .build(),
        );
    }
    if let Some((user, group)) = referenced(v) {
        let pair = UserIdGroupPair::builder()
            .group_id(group)
            .set_user_id(user)
            .set_description(desc);
        p = p.user_id_group_pairs(pair.build());
    }
    p.build()
}

/// The rule as ModifySecurityGroupRules takes it.
fn rule_request(v: &Value) -> SecurityGroupRuleRequest {
    let ports = ports_of(v);
    SecurityGroupRuleRequest::builder()
        .set_ip_protocol(opt_str(v, "ip_protocol"))
        .set_from_port(Some(ports.map_or(-1, |p| p.0)))
        .set_to_port(Some(ports.map_or(-1, |p| p.1)))
        .set_cidr_ipv4(opt_str(v, "cidr_ipv4"))
        .set_cidr_ipv6(opt_str(v, "cidr_ipv6"))
        .set_prefix_list_id(opt_str(v, "prefix_list_id"))
        .set_referenced_group_id(referenced(v).map(|(_, g)| g))
        .set_description(opt_str(v, "description"))
        .build()
}

impl VpcSecurityGroupRule {
    fn kind(&self) -> &'static str {
        if self.egress { "egress" } else { "ingress" }
    }

    async fn describe_one(&self, ctx: &Ctx, id: &str) -> Result<Sgr, ProviderError> {
        let r = take(
            describe(ctx, &[id.to_string()]).await?,
            id,
            "InvalidSecurityGroupRuleId.NotFound",
            format!("no security group rule {id}"),
        )?;
        if r.is_egress() != Some(self.egress) {
            let other = if self.egress { "ingress" } else { "egress" };
            return Err(ProviderError::with_code(
                "InvalidImportId",
                format!("security group rule {id} is an {other} rule: use aws_vpc_security_group_{other}_rule"),
            ));
        }
        Ok(r)
    }

    /// The group's rule of this direction with the planned protocol, ports and peer (its id,
    /// `None` when there is none), and whether its description is the planned one too.
    async fn existing(&self, ctx: &Ctx, group: &str, planned: &Value) -> Result<(Option<String>, bool), ProviderError> {
        let rules = describe_where(ctx, "group-id", &[group.to_string()]).await?;
        let same = |v: &Value, fields: &[&str]| fields.iter().all(|f| plinth_sdk::plan::same(v.get(f), planned.get(f)));
        let mut found: Vec<(String, bool)> = rules
            .iter()
            .filter(|(_, r)| r.is_egress() == Some(self.egress) && r.group_id() == Some(group))
            .map(|(id, r)| (id, to_value(ctx, r, planned)))
            .filter(|(_, v)| same(v, &RULE_FIELDS[..IDENTITY_FIELDS]))
            .map(|(id, v)| (id.clone(), same(&v, &["description"])))
            .collect();
        found.sort();
        Ok(found.pop().map_or((None, false), |(id, same)| (Some(id), same)))
    }

    /// Waits for the rule `id` to be listed and returns its state.
    async fn wait_listed(&self, ctx: &Ctx, id: &str, planned: &Value) -> Result<Value, ProviderError> {
        let ids = vec![id.to_string()];
        let what = format!("security group rule {id} to exist");
        let r = wait_found(ctx, &what, id, || describe(ctx, &ids), |_| true).await?;
        Ok(to_value(ctx, &r, planned))
    }
}

#[async_trait]
impl AwsResource for VpcSecurityGroupRule {
    fn type_name(&self) -> &'static str {
        if self.egress {
            "aws_vpc_security_group_egress_rule"
        } else {
            "aws_vpc_security_group_ingress_rule"
        }
    }

    fn schema(&self) -> &Schema {
        if self.egress { &EGRESS_SCHEMA } else { &INGRESS_SCHEMA }
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let set: Vec<&str> = PEERS.iter().filter(|a| !config.get(a).is_null()).copied().collect();
        let unknown = PEERS.iter().any(|a| config.get(a).is_unknown());
        if set.len() == 1 || (unknown && set.len() <= 1) {
            return Vec::new();
        }
        vec![diag(
            set.get(1).copied().unwrap_or("cidr_ipv4"),
            format!("{} needs exactly one peer", self.type_name()),
            format!(
                "Set exactly one of {} (set here: {}).",
                PEERS.join(", "),
                set.join(", ")
            ),
        )]
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(self.schema(), ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// The rule gets the bookkeeping tags in the Authorize call. A rule an earlier, interrupted
    /// attempt of this create made is answered `InvalidPermission.Duplicate`: the group's rule
    /// with the planned protocol, ports and peer is adopted when its description is the planned
    /// one too and the group is this state's ([`super::adopt_content`]); else the error stays,
    /// with the import hint.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let group = req_str(planned, "security_group_id")?;
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let spec = tag_spec(ResourceType::SecurityGroupRule, &tags);
        let answer = if self.egress {
            let req = ctx.ec2.authorize_security_group_egress().group_id(&group);
            let req = req
                .ip_permissions(permission(planned))
                .set_tag_specifications(spec.map(|s| vec![s]));
            req.send()
                .boxed()
                .await
                .map(|r| r.security_group_rules().to_vec())
                .map_err(aws_error)
        } else {
            let req = ctx.ec2.authorize_security_group_ingress().group_id(&group);
            let req = req
                .ip_permissions(permission(planned))
                .set_tag_specifications(spec.map(|s| vec![s]));
            req.send()
                .boxed()
                .await
                .map(|r| r.security_group_rules().to_vec())
                .map_err(aws_error)
        };
        let rules = match answer {
            Ok(rules) => rules,
            Err(e) if e.code.as_deref() == Some("InvalidPermission.Duplicate") => {
                let (id, same) = self.existing(ctx, &group, planned).await?;
                adopt_content(ctx, creating, &group, id.as_deref().unwrap_or(&group), same, e).await?;
                let id = id.unwrap_or_default();
                if !tags.is_empty() {
                    let have = describe(ctx, std::slice::from_ref(&id)).await?;
                    let have = have
                        .get(&id)
                        .map(|r| crate::tags::tags_from(r.tags().iter().map(|t| (t.key(), t.value()))))
                        .unwrap_or_default();
                    crate::tags::sync_tags(ctx, crate::tags::Tagged::Ec2(&id), &have, &tags).await?;
                }
                return self.wait_listed(ctx, &id, planned).await;
            }
            Err(e) => return Err(e),
        };
        let id = rules
            .first()
            .and_then(|r| r.security_group_rule_id())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::new(format!("Authorize{} returned no rule id", self.kind())))?;
        self.wait_listed(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        if RULE_FIELDS
            .iter()
            .any(|f| !plinth_sdk::plan::same(prior.get(f), planned.get(f)))
        {
            let group = req_str(prior, "security_group_id")?;
            let update = SecurityGroupRuleUpdate::builder()
                .security_group_rule_id(&id)
                .security_group_rule(rule_request(planned))
                .build();
            let call = ctx
                .ec2
                .modify_security_group_rules()
                .group_id(group)
                .security_group_rules(update);
            call.send().boxed().await.map_err(aws_error)?;
        }
        update_tags(ctx, &id, prior, planned).await?;
        self.wait_listed(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let group = req_str(prior, "security_group_id")?;
        let gone_already = if self.egress {
            let call = ctx
                .ec2
                .revoke_security_group_egress()
                .group_id(&group)
                .security_group_rule_ids(&id);
            !delete_call(call.send().boxed()).await?
        } else {
            let call = ctx
                .ec2
                .revoke_security_group_ingress()
                .group_id(&group)
                .security_group_rule_ids(&id);
            !delete_call(call.send().boxed()).await?
        };
        if gone_already {
            return Ok(());
        }
        let ids = vec![id.clone()];
        wait_gone(ctx, &format!("security group rule {id}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |r, s| to_value(ctx, r, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let r = self.describe_one(ctx, id).await?;
        Ok(to_value(ctx, &r, &Value::Null))
    }
}
