//! `aws_security_group_rule`: one ingress or egress rule (of possibly several sources) added to a
//! security group managed elsewhere. EC2 keeps one entry per source and no id for the whole, so
//! the rule is found by its atoms (protocol, ports, source; see `security_group`), as
//! Terraform's `findRuleMatch` does; the id is Terraform's (`sgrule-` + a CRC-32 of the rule) and
//! import takes Terraform's `SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE]*`. Only the description
//! changes in place (UpdateSecurityGroupRuleDescriptions*); everything else replaces the rule.
//! Refresh reads the rules' groups, one DescribeSecurityGroups per 200 groups.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{IpPermission, SecurityGroup as Sg};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::diag;
use super::security_group::{Key, Source, describe as describe_groups, live_atoms, norm_protocol, permissions, ports};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{list_of_strings, opt_i64, opt_str, opt_string, req_str, str_list, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct SecurityGroupRule;

/// The source arguments: at least one is set.
const SOURCES: &[&str] = &[
    "cidr_blocks",
    "ipv6_cidr_blocks",
    "prefix_list_ids",
    "self",
    "source_security_group_id",
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let list = || Type::List(Box::new(Type::String));
    Schema::new(
        "One ingress or egress rule of a security group, for groups whose inline rules are left out. Import with \
         SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE]*, such as sg-0123456789abcdef0_ingress_tcp_8000_8000_10.0.0.0/16 \
         (a source is a CIDR, an IPv6 CIDR, a prefix list id, a group id or self).",
    )
    .attr(
        "type",
        Attribute::required(Type::String)
            .force_new()
            .describe("ingress (inbound) or egress (outbound)."),
    )
    .attr(
        "security_group_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The group the rule belongs to."),
    )
    .attr(
        "protocol",
        Attribute::required(Type::String)
            .force_new()
            .describe("tcp, udp, icmp, icmpv6, a protocol number, or \"-1\" (or \"all\") for every protocol."),
    )
    .attr(
        "from_port",
        Attribute::required(Type::Number)
            .force_new()
            .describe("Start of the port range (ICMP type for icmp; 0 with protocol \"-1\")."),
    )
    .attr(
        "to_port",
        Attribute::required(Type::Number)
            .force_new()
            .describe("End of the port range (ICMP code for icmp; 0 with protocol \"-1\")."),
    )
    .attr(
        "cidr_blocks",
        Attribute::optional(list()).force_new().describe("IPv4 CIDR ranges."),
    )
    .attr(
        "ipv6_cidr_blocks",
        Attribute::optional(list()).force_new().describe("IPv6 CIDR ranges."),
    )
    .attr(
        "prefix_list_ids",
        Attribute::optional(list())
            .force_new()
            .describe("Ids of managed prefix lists (pl-...)."),
    )
    .attr(
        "source_security_group_id",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("Another security group as the source (ingress) or destination (egress). Conflicts with self and the CIDRs."),
    )
    .attr(
        "self",
        Attribute::optional(Type::Bool)
            .force_new()
            .describe("The group itself as the source (default false)."),
    )
    .attr(
        "description",
        Attribute::optional(Type::String).describe("Description of the rule; changed in place."),
    )
    .attr(
        "security_group_rule_id",
        Attribute::computed(Type::String)
            .describe("The rule's sgr- id when the rule has a single source (null otherwise, as in Terraform)."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("sgrule-<CRC-32 of the rule>, as Terraform's."),
    )
    .identity(&["id"])
});

/// The configured rule: direction and atoms (the description is separate).
struct Rule {
    group: String,
    ingress: bool,
    protocol: String,
    from: i64,
    to: i64,
    sources: Vec<Source>,
    description: Option<String>,
}

impl Rule {
    fn of(v: &Value) -> Result<Rule, ProviderError> {
        let group = req_str(v, "security_group_id")?;
        let ingress = match req_str(v, "type")?.as_str() {
            "ingress" => true,
            "egress" => false,
            other => {
                return Err(ProviderError::with_code(
                    "InvalidParameterValue",
                    format!("type must be ingress or egress, not {other:?}"),
                ));
            }
        };
        let protocol = norm_protocol(&req_str(v, "protocol")?);
        let (from, to) = ports(&protocol, opt_i64(v, "from_port"), opt_i64(v, "to_port"));
        let mut sources: Vec<Source> = Vec::new();
        sources.extend(str_list(v, "cidr_blocks").into_iter().map(Source::V4));
        sources.extend(str_list(v, "ipv6_cidr_blocks").into_iter().map(Source::V6));
        sources.extend(str_list(v, "prefix_list_ids").into_iter().map(Source::PrefixList));
        if v.get("self").as_bool() == Some(true) {
            sources.push(Source::Group(group.clone()));
        }
        if let Some(g) = opt_str(v, "source_security_group_id").filter(|g| *g != group) {
            // [OwnerID/]SecurityGroupID: EC2 reports the group id.
            let g = g.rsplit('/').next().unwrap_or(&g).to_string();
            sources.push(Source::Group(g));
        }
        Ok(Rule {
            group,
            ingress,
            protocol,
            from,
            to,
            sources,
            description: opt_str(v, "description"),
        })
    }

    fn keys(&self) -> Vec<Key> {
        self.sources
            .iter()
            .map(|source| Key {
                protocol: self.protocol.clone(),
                from: self.from,
                to: self.to,
                source: source.clone(),
            })
            .collect()
    }

    fn kind(&self) -> &'static str {
        if self.ingress { "ingress" } else { "egress" }
    }

    /// Terraform's import id of the rule, `SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE]*`.
    fn import_id(&self) -> String {
        let mut id = format!(
            "{}_{}_{}_{}_{}",
            self.group,
            self.kind(),
            self.protocol,
            self.from,
            self.to
        );
        for s in &self.sources {
            let (Source::V4(s) | Source::V6(s) | Source::Group(s) | Source::PrefixList(s)) = s;
            id.push('_');
            id.push_str(if *s == self.group { "self" } else { s });
        }
        id
    }

    /// One IpPermission per source, each with the rule's description.
    fn permissions(&self) -> Vec<IpPermission> {
        let keys = self.keys();
        let d = self.description.clone();
        let atoms: Vec<(&Key, &Option<String>)> = keys.iter().map(|k| (k, &d)).collect();
        permissions(&atoms, true)
    }

    /// Terraform's `SecurityGroupRuleCreateID`: `sgrule-` + the CRC-32 (IEEE) of the group, the
    /// ports when positive, protocol, type and the sorted sources, each followed by `-`.
    fn id(&self) -> String {
        let mut buf = format!("{}-", self.group);
        if self.protocol != "-1" {
            for p in [self.from, self.to] {
                if p > 0 {
                    buf.push_str(&format!("{p}-"));
                }
            }
        }
        buf.push_str(&format!("{}-{}-", self.protocol, self.kind()));
        let sorted = |pick: fn(&Source) -> Option<&String>| {
            let mut v: Vec<&String> = self.sources.iter().filter_map(pick).collect();
            v.sort();
            v
        };
        for pick in [
            (|s: &Source| match s {
                Source::V4(c) => Some(c),
                _ => None,
            }) as fn(&Source) -> Option<&String>,
            |s| match s {
                Source::V6(c) => Some(c),
                _ => None,
            },
            |s| match s {
                Source::PrefixList(c) => Some(c),
                _ => None,
            },
        ] {
            for v in sorted(pick) {
                buf.push_str(&format!("{v}-"));
            }
        }
        // A VPC group pair has a group id and no group name: "ID-" then "-".
        for g in sorted(|s| match s {
            Source::Group(g) => Some(g),
            _ => None,
        }) {
            buf.push_str(&format!("{g}--"));
        }
        format!("sgrule-{}", crc32fast::hash(buf.as_bytes()))
    }
}

/// The rule's state out of its group: `None` when none of its sources is there any more (the
/// rule is gone). Sources still there are kept, those gone drop out (a change that replaces
/// the rule); the description is the first non-empty one of the live sources.
fn to_value(g: &Sg, state: &Value) -> Result<Option<Value>, ProviderError> {
    let rule = Rule::of(state)?;
    let live = live_atoms(if rule.ingress {
        g.ip_permissions()
    } else {
        g.ip_permissions_egress()
    });
    let keys = rule.keys();
    let present: Vec<&Key> = keys.iter().filter(|k| live.contains_key(*k)).collect();
    if present.is_empty() {
        return Ok(None);
    }
    let description = present
        .iter()
        .find_map(|k| live.get(*k).cloned().flatten())
        .map(string)
        .unwrap_or(Value::Null);
    let keep = |attr: &str, make: fn(String) -> Source| {
        let v = state.get(attr);
        match v.as_list() {
            Some(items) => Value::List(
                items
                    .iter()
                    .filter(|x| {
                        x.as_str()
                            .is_some_and(|s| present.iter().any(|k| k.source == make(s.to_string())))
                    })
                    .cloned()
                    .collect(),
            ),
            None => v.clone(),
        }
    };
    let group_present = |id: &str| present.iter().any(|k| k.source == Source::Group(id.to_string()));
    let self_v = match state.get("self").as_bool() {
        Some(true) => Value::Bool(group_present(&rule.group)),
        _ => state.get("self").clone(),
    };
    let source_sg = match opt_str(state, "source_security_group_id") {
        Some(sg) if group_present(sg.rsplit('/').next().unwrap_or(&sg)) => string(sg),
        Some(_) => Value::Null,
        None => Value::Null,
    };
    let mut m = state.as_map().cloned().unwrap_or_default();
    for (k, v) in [
        ("cidr_blocks", keep("cidr_blocks", Source::V4)),
        ("ipv6_cidr_blocks", keep("ipv6_cidr_blocks", Source::V6)),
        ("prefix_list_ids", keep("prefix_list_ids", Source::PrefixList)),
        ("self", self_v),
        ("source_security_group_id", source_sg),
        ("description", description),
        ("id", string(rule.id())),
    ] {
        m.insert(k.to_string(), v);
    }
    m.entry("security_group_rule_id".to_string()).or_insert(Value::Null);
    Ok(Some(Value::Map(m)))
}

/// The states of `states`, refreshed from their groups (one DescribeSecurityGroups per 200).
async fn read_all(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let mut groups: Vec<String> = states.iter().filter_map(|s| opt_str(s, "security_group_id")).collect();
    groups.sort();
    groups.dedup();
    let found: HashMap<String, Sg> = describe_groups(ctx, &groups).await?;
    states
        .iter()
        .map(|s| match opt_str(s, "security_group_id").and_then(|g| found.get(&g)) {
            Some(g) => to_value(g, s),
            None => Ok(None),
        })
        .collect()
}

async fn read_one(ctx: &Ctx, state: &Value) -> Result<Option<Value>, ProviderError> {
    Ok(read_all(ctx, std::slice::from_ref(state)).await?.pop().flatten())
}

/// Authorizes (or revokes) the rule's permissions, or updates their descriptions.
async fn call(ctx: &Ctx, rule: &Rule, op: &str) -> Result<Option<String>, ProviderError> {
    let perms = Some(rule.permissions());
    let g = &rule.group;
    let rule_ids = |r: &[aws_sdk_ec2::types::SecurityGroupRule]| match r {
        [one] => one.security_group_rule_id().map(str::to_string),
        _ => None,
    };
    match (op, rule.ingress) {
        ("authorize", true) => {
            let r = ctx
                .ec2
                .authorize_security_group_ingress()
                .group_id(g)
                .set_ip_permissions(perms)
                .send()
                .boxed()
                .await;
            Ok(rule_ids(r.map_err(aws_error)?.security_group_rules()))
        }
        ("authorize", false) => {
            let r = ctx
                .ec2
                .authorize_security_group_egress()
                .group_id(g)
                .set_ip_permissions(perms)
                .send()
                .boxed()
                .await;
            Ok(rule_ids(r.map_err(aws_error)?.security_group_rules()))
        }
        ("revoke", true) => crate::util::delete_call(
            ctx.ec2
                .revoke_security_group_ingress()
                .group_id(g)
                .set_ip_permissions(perms)
                .send()
                .boxed(),
        )
        .await
        .map(|_| None),
        ("revoke", false) => crate::util::delete_call(
            ctx.ec2
                .revoke_security_group_egress()
                .group_id(g)
                .set_ip_permissions(perms)
                .send()
                .boxed(),
        )
        .await
        .map(|_| None),
        (_, true) => {
            let c = ctx.ec2.update_security_group_rule_descriptions_ingress().group_id(g);
            c.set_ip_permissions(perms)
                .send()
                .boxed()
                .await
                .map_err(aws_error)
                .map(|_| None)
        }
        (_, false) => {
            let c = ctx.ec2.update_security_group_rule_descriptions_egress().group_id(g);
            c.set_ip_permissions(perms)
                .send()
                .boxed()
                .await
                .map_err(aws_error)
                .map(|_| None)
        }
    }
}

/// Waits until the rule shows in its group (with its description) and returns its state.
async fn wait_present(ctx: &Ctx, rule: &Rule, planned: &Value) -> Result<Value, ProviderError> {
    wait_for(ctx, &format!("security group rule {} to appear", rule.id()), || async {
        Ok(read_one(ctx, planned)
            .await?
            .filter(|v| opt_str(v, "description") == rule.description))
    })
    .await
}

#[async_trait]
impl AwsResource for SecurityGroupRule {
    fn type_name(&self) -> &'static str {
        "aws_security_group_rule"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        let set = |a: &&str| match config.get(a) {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::List(l) => !l.is_empty(),
            _ => true,
        };
        if !SOURCES.iter().any(set) {
            out.push(diag(
                "cidr_blocks",
                "aws_security_group_rule needs a source",
                "Set at least one of cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, self or source_security_group_id.",
            ));
        }
        let peer = ["self", "source_security_group_id"].iter().filter(|a| set(a)).count();
        let cidrs = ["cidr_blocks", "ipv6_cidr_blocks"].iter().any(set);
        if peer > 1 || (peer == 1 && cidrs) {
            out.push(diag(
                "source_security_group_id",
                "Conflicting sources",
                "cidr_blocks/ipv6_cidr_blocks, self and source_security_group_id exclude one another (as in Terraform).",
            ));
        }
        if let Some(t) = config.get("type").as_str()
            && t != "ingress"
            && t != "egress"
        {
            out.push(diag(
                "type",
                "Invalid rule type",
                "type must be \"ingress\" or \"egress\".",
            ));
        }
        out
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plinth_sdk::plan::default_plan(&SCHEMA, req.prior.as_ref(), &req.config)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// A rule an earlier, interrupted attempt of this create authorized is answered
    /// `InvalidPermission.Duplicate`: it is adopted when every source of the rule is in the group
    /// with the planned description and the group is this state's
    /// ([`Creating::adopt_content_or_refuse`], with the tags of the group read to check the
    /// rule); else the error stays, with the import hint.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let rule = Rule::of(planned)?;
        let sgr = match call(ctx, &rule, "authorize").await {
            Ok(sgr) => sgr,
            Err(e) if e.code.as_deref() == Some("InvalidPermission.Duplicate") => {
                let found = describe_groups(ctx, std::slice::from_ref(&rule.group)).await?;
                let group = found.get(&rule.group);
                let same = group.is_some_and(|g| {
                    let live = live_atoms(if rule.ingress {
                        g.ip_permissions()
                    } else {
                        g.ip_permissions_egress()
                    });
                    let keys = rule.keys();
                    !keys.is_empty() && keys.iter().all(|k| live.get(k) == Some(&rule.description))
                });
                let tags = group.map(|g| g.tags().iter().map(|t| (t.key(), t.value())));
                creating.adopt_content_or_refuse(&rule.import_id(), same, tags, e)?;
                None
            }
            Err(e) => return Err(e),
        };
        let mut v = wait_present(ctx, &rule, planned).await?;
        if let Value::Map(m) = &mut v {
            m.insert("security_group_rule_id".into(), opt_string(sgr));
        }
        Ok(v)
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let rule = Rule::of(planned)?;
        if opt_str(prior, "description") != rule.description {
            call(ctx, &rule, "describe").await?;
        }
        let mut v = wait_present(ctx, &rule, planned).await?;
        if let Value::Map(m) = &mut v {
            m.insert(
                "security_group_rule_id".into(),
                prior.get("security_group_rule_id").clone(),
            );
        }
        Ok(v)
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let rule = Rule::of(prior)?;
        call(ctx, &rule, "revoke").await?;
        wait_for(
            ctx,
            &format!("security group rule {} to be revoked", rule.id()),
            || async { Ok(read_one(ctx, prior).await?.is_none().then_some(())) },
        )
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_all(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let state = parse_import_id(id)?;
        read_one(ctx, &state).await?.ok_or_else(|| {
            ProviderError::with_code("InvalidPermission.NotFound", format!("no security group rule {id}"))
        })
    }
}

/// Terraform's import id `SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE]*` as a state to read.
fn parse_import_id(id: &str) -> Result<Value, ProviderError> {
    let bad = |why: &str| {
        ProviderError::with_code(
            "InvalidImportId",
            format!(
                "unexpected import id {id:?}: {why}; expected SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE]*, such as \
                 sg-0123456789abcdef0_ingress_tcp_8000_8000_10.0.0.0/16"
            ),
        )
    };
    let parts: Vec<&str> = id.split('_').collect();
    if parts.len() < 6 {
        return Err(bad("too few parts"));
    }
    let (group, kind, protocol) = (parts[0], parts[1], parts[2]);
    if !group.starts_with("sg-") {
        return Err(bad("the first part is not a security group id"));
    }
    if kind != "ingress" && kind != "egress" {
        return Err(bad("the type is not ingress or egress"));
    }
    let protocol = norm_protocol(protocol);
    let known = ["-1", "tcp", "udp", "icmp", "icmpv6"].contains(&protocol.as_str());
    if !known && protocol.parse::<i64>().is_err() {
        return Err(bad("protocol must be tcp, udp, icmp, icmpv6, all or a number"));
    }
    let port = |s: &str, what: &str| s.parse::<i64>().map_err(|_| bad(&format!("invalid {what}")));
    let (from, to) = (port(parts[3], "from_port")?, port(parts[4], "to_port")?);
    let (mut v4, mut v6, mut pls) = (Vec::new(), Vec::new(), Vec::new());
    let mut is_self = false;
    let mut sg = Value::Null;
    for s in &parts[5..] {
        match *s {
            "self" => is_self = true,
            s if s.contains("sg-") => sg = string(s),
            s if s.contains(':') => v6.push(s.to_string()),
            s if s.contains("pl-") => pls.push(s.to_string()),
            s if s.contains('.') => v4.push(s.to_string()),
            s => {
                return Err(bad(&format!(
                    "source {s:?} is not a CIDR, prefix list, self or security group id"
                )));
            }
        }
    }
    let list = |l: Vec<String>| if l.is_empty() { Value::Null } else { list_of_strings(l) };
    Ok(Value::object([
        ("security_group_id", string(group)),
        ("type", string(kind)),
        ("protocol", string(protocol)),
        ("from_port", Value::int(from)),
        ("to_port", Value::int(to)),
        ("cidr_blocks", list(v4)),
        ("ipv6_cidr_blocks", list(v6)),
        ("prefix_list_ids", list(pls)),
        ("self", Value::Bool(is_self)),
        ("source_security_group_id", sg),
        ("description", Value::Null),
        ("security_group_rule_id", Value::Null),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids_parse_as_terraform_s() {
        let v = parse_import_id("sg-0abc_ingress_tcp_8000_8000_10.0.0.0/16_2001:db8::/48_pl-1234").expect("parses");
        assert_eq!(v.get("type").as_str(), Some("ingress"));
        assert_eq!(v.get("from_port").as_i64(), Some(8000));
        assert_eq!(str_list(&v, "cidr_blocks"), vec!["10.0.0.0/16"]);
        assert_eq!(str_list(&v, "ipv6_cidr_blocks"), vec!["2001:db8::/48"]);
        assert_eq!(str_list(&v, "prefix_list_ids"), vec!["pl-1234"]);
        let v = parse_import_id("sg-0abc_egress_all_0_0_sg-0def").expect("parses");
        assert_eq!(v.get("protocol").as_str(), Some("-1"));
        assert_eq!(v.get("source_security_group_id").as_str(), Some("sg-0def"));
        assert!(parse_import_id("sg-0abc_sideways_tcp_1_2_10.0.0.0/8").is_err());
        assert!(parse_import_id("sg-0abc_ingress_tcp_1").is_err());
    }

    #[test]
    fn the_id_is_terraform_s_hash() {
        let v = parse_import_id("sg-0abc_ingress_tcp_8000_8000_10.0.0.0/16").expect("parses");
        let rule = Rule::of(&v).expect("a rule");
        let expected = crc32fast::hash(b"sg-0abc-8000-8000-tcp-ingress-10.0.0.0/16-");
        assert_eq!(rule.id(), format!("sgrule-{expected}"));
    }
}
