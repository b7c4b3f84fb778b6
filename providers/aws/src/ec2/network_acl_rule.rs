//! `aws_network_acl_rule`: one entry of a network ACL, found by its ACL, direction and rule
//! number. An entry has no id of its own in EC2: the id is Terraform's (`nacl-` + a CRC-32 of
//! ACL, number, direction and protocol as written) and import takes
//! `NETWORK_ACL_ID:RULE_NUMBER:PROTOCOL:EGRESS`, as Terraform's does. Every argument replaces the
//! entry. Refresh reads the entries' ACLs, one DescribeNetworkAcls per 200 ACLs.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{NetworkAcl as Nacl, NetworkAclEntry};
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::diag;
use super::network_acl::{
    Entry, create_entry, delete_entry, describe, describe_one, has_ports, is_icmp, protocol_number,
};
use crate::idempotent::Creating;
use crate::util::{one_of, opt_bool, opt_i64, opt_str, opt_string, req_str, string, wait_for, with_defaults};
use crate::{AwsResource, Ctx};

pub struct NetworkAclRule;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let arg = |ty: Type, text: &str| Attribute::optional(ty).force_new().describe(text);
    Schema::new(
        "One entry (rule) of a network ACL; do not combine with inline ingress/egress blocks of the same ACL. \
         Import with NETWORK_ACL_ID:RULE_NUMBER:PROTOCOL:EGRESS, such as acl-0123456789abcdef0:100:tcp:false.",
    )
    .attr(
        "network_acl_id",
        Attribute::required(Type::String).force_new().describe("The ACL."),
    )
    .attr(
        "rule_number",
        Attribute::required(Type::Number)
            .force_new()
            .describe("Rule number, 1 to 32766; entries are evaluated from the lowest number up."),
    )
    .attr(
        "egress",
        arg(
            Type::Bool,
            "An egress entry (traffic leaving the subnet); default false.",
        ),
    )
    .attr(
        "protocol",
        Attribute::required(Type::String).force_new().describe(
            "A protocol number or name (tcp, udp, icmp ...), or -1 (all); stays as written while it means the same \
             number.",
        ),
    )
    .attr(
        "rule_action",
        Attribute::required(Type::String).force_new().describe("allow or deny."),
    )
    .attr(
        "cidr_block",
        arg(
            Type::String,
            "The IPv4 range; exactly one of cidr_block and ipv6_cidr_block.",
        ),
    )
    .attr("ipv6_cidr_block", arg(Type::String, "The IPv6 range."))
    .attr("from_port", arg(Type::Number, "Start of the port range (tcp and udp)."))
    .attr("to_port", arg(Type::Number, "End of the port range (tcp and udp)."))
    .attr(
        "icmp_type",
        arg(Type::Number, "ICMP type (icmp and ipv6-icmp; -1 for every type)."),
    )
    .attr(
        "icmp_code",
        arg(Type::Number, "ICMP code (icmp and ipv6-icmp; -1 for every code)."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String)
            .describe("nacl-<CRC-32 of ACL, number, direction, protocol>, as Terraform's."),
    )
    .identity(&["network_acl_id", "rule_number", "egress"])
});

/// Terraform's rule id: `nacl-` + `create.StringHashcode("ACL-NUMBER-EGRESS-PROTOCOL-")`.
fn rule_id(acl: &str, number: i64, egress: bool, protocol: &str) -> String {
    format!(
        "nacl-{}",
        crc32fast::hash(format!("{acl}-{number}-{egress}-{protocol}-").as_bytes())
    )
}

/// The entry `number` of one direction of `a`.
fn find(a: &Nacl, egress: bool, number: i64) -> Option<&NetworkAclEntry> {
    a.entries()
        .iter()
        .find(|e| e.egress() == Some(egress) && e.rule_number().map(i64::from) == Some(number))
}

/// The state of the entry `e`, each field spelled as in `prior` while it means the same: the
/// protocol named or numbered, the action in any case, and ports or ICMP fields the protocol has
/// no use for (AWS keeps none) as they were.
fn to_value(acl: &str, e: &NetworkAclEntry, prior: &Value) -> Value {
    let egress = e.egress().unwrap_or(false);
    let number = e.rule_number().map(i64::from).unwrap_or_default();
    let live_protocol = e.protocol().unwrap_or_default();
    let n = protocol_number(live_protocol);
    let prior_n = prior.get("protocol").as_str().and_then(protocol_number);
    let protocol = match prior.get("protocol").as_str() {
        Some(p) if n.is_some() && prior_n == n => p.to_string(),
        _ => live_protocol.to_string(),
    };
    let action = e.rule_action().map(|a| a.as_str().to_string()).unwrap_or_default();
    let action = match prior.get("rule_action").as_str() {
        Some(a) if a.eq_ignore_ascii_case(&action) => a.to_string(),
        _ => action,
    };
    let id = match prior.get("id").as_str() {
        Some(id) if prior.get("protocol").as_str() == Some(protocol.as_str()) => id.to_string(),
        _ => rule_id(acl, number, egress, &protocol),
    };
    let int = |v: Option<i32>| v.map(|n| Value::int(i64::from(n)));
    let ports = e.port_range();
    let icmp = e.icmp_type_code();
    let n = n.unwrap_or_default();
    let field = |k: &str, live: Option<Value>, used: bool| match live {
        Some(v) if used => v,
        _ => prior.get(k).clone(),
    };
    Value::object([
        ("id", string(id)),
        ("network_acl_id", string(acl)),
        ("rule_number", Value::int(number)),
        ("egress", Value::Bool(egress)),
        ("protocol", string(protocol)),
        ("rule_action", string(action)),
        ("cidr_block", opt_string(e.cidr_block())),
        ("ipv6_cidr_block", opt_string(e.ipv6_cidr_block())),
        (
            "from_port",
            field("from_port", int(ports.and_then(|p| p.from())), has_ports(n)),
        ),
        (
            "to_port",
            field("to_port", int(ports.and_then(|p| p.to())), has_ports(n)),
        ),
        (
            "icmp_type",
            field("icmp_type", int(icmp.and_then(|i| i.r#type())), is_icmp(n)),
        ),
        (
            "icmp_code",
            field("icmp_code", int(icmp.and_then(|i| i.code())), is_icmp(n)),
        ),
    ])
}

/// The entry a configuration or state describes.
fn entry_of(v: &Value) -> Option<Entry> {
    let protocol = protocol_number(v.get("protocol").as_str()?)?;
    Some(Entry::new(
        opt_i64(v, "rule_number")?,
        v.get("rule_action").as_str().unwrap_or_default(),
        protocol,
        (opt_i64(v, "from_port"), opt_i64(v, "to_port")),
        opt_str(v, "cidr_block"),
        opt_str(v, "ipv6_cidr_block"),
        (opt_i64(v, "icmp_type"), opt_i64(v, "icmp_code")),
    ))
}

/// (ACL, egress, rule number) of a state.
fn key(v: &Value) -> Option<(String, bool, i64)> {
    Some((
        opt_str(v, "network_acl_id")?,
        opt_bool(v, "egress").unwrap_or(false),
        opt_i64(v, "rule_number")?,
    ))
}

async fn read_one(ctx: &Ctx, planned: &Value) -> Result<Option<Value>, ProviderError> {
    let Some((acl, egress, number)) = key(planned) else {
        return Ok(None);
    };
    let found = describe(ctx, std::slice::from_ref(&acl)).await?;
    Ok(found
        .get(&acl)
        .and_then(|a| find(a, egress, number))
        .map(|e| to_value(&acl, e, planned)))
}

#[async_trait]
impl AwsResource for NetworkAclRule {
    fn type_name(&self) -> &'static str {
        "aws_network_acl_rule"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let mut out = Vec::new();
        if let Some(p) = config.get("protocol").as_str()
            && protocol_number(p).is_none()
        {
            out.push(diag(
                "protocol",
                "Invalid protocol",
                format!("{p:?} is not a protocol number (-1 to 255) or a known protocol name such as tcp, udp, icmp"),
            ));
        }
        let action = config
            .get("rule_action")
            .as_str()
            .map(|a| Value::string(a.to_ascii_lowercase()));
        out.extend(action.and_then(|a| one_of(&a, "rule_action", &["allow", "deny"])));
        if config.get("cidr_block").is_null() == config.get("ipv6_cidr_block").is_null() {
            out.push(diag(
                "cidr_block",
                "Exactly one of cidr_block and ipv6_cidr_block",
                "Set cidr_block for an IPv4 range or ipv6_cidr_block for an IPv6 one.",
            ));
        }
        out
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut config = with_defaults(&req.config, &[("egress", Value::Bool(false))]);
        // Terraform's diff suppression: a protocol named or numbered, an action in any case, and
        // ports or ICMP fields the protocol has no use for, are no change while the entry they
        // describe is the same.
        if let (Some(prior), Value::Map(m)) = (&req.prior, &mut config)
            && !req.config.contains_unknown()
            && entry_of(prior).is_some()
            && entry_of(prior) == entry_of(&Value::Map(m.clone()))
        {
            for k in [
                "protocol",
                "rule_action",
                "from_port",
                "to_port",
                "icmp_type",
                "icmp_code",
            ] {
                m.insert(k.to_string(), prior.get(k).clone());
            }
        }
        plinth_sdk::plan::default_plan(&SCHEMA, req.prior.as_ref(), &config)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// An entry of the planned number that exists already is refused, unless it is exactly the
    /// planned entry and the ACL is this state's: then an earlier, interrupted attempt of this
    /// create made it, and it is adopted ([`Creating::adopt_content_or_refuse`], with the tags of
    /// the ACL the check reads anyway).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let acl = req_str(planned, "network_acl_id")?;
        let egress = opt_bool(planned, "egress").unwrap_or(false);
        let entry = entry_of(planned).ok_or_else(|| {
            ProviderError::with_code(
                "InvalidParameterValue",
                "the rule needs a valid protocol and rule number",
            )
        })?;
        // CreateNetworkAclEntry succeeds when an identical entry exists: refuse a taken number,
        // as Terraform does, rather than take over an entry someone else made.
        let nacl = describe_one(ctx, &acl).await?;
        if let Some(have) = find(&nacl, egress, entry.rule_no) {
            let way = if egress { "egress" } else { "ingress" };
            let protocol = have.protocol().unwrap_or("PROTOCOL");
            let err = ProviderError::with_code(
                "NetworkAclEntryAlreadyExists",
                format!("network ACL {acl} already has {way} rule {}", entry.rule_no),
            );
            let same = Entry::of_live(have).as_ref() == Some(&entry);
            let tags = nacl.tags().iter().map(|t| (t.key(), t.value()));
            let id = format!("{acl}:{}:{protocol}:{egress}", entry.rule_no);
            creating.adopt_content_or_refuse(&id, same, Some(tags), err)?;
        } else {
            create_entry(ctx, &acl, egress, &entry).await?;
        }
        let what = format!("rule {} of network ACL {acl} to exist", entry.rule_no);
        wait_for(ctx, &what, || read_one(ctx, planned)).await
    }

    async fn update(&self, ctx: &Ctx, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        // Every argument forces a new entry: only the timeouts block can change in place.
        read_one(ctx, planned).await?.ok_or_else(|| {
            ProviderError::with_code("InvalidNetworkAclEntry.NotFound", "the network ACL rule disappeared")
        })
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let Some((acl, egress, number)) = key(prior) else {
            return Ok(());
        };
        let exists = || async {
            let found = describe(ctx, std::slice::from_ref(&acl)).await?;
            Ok(found.get(&acl).is_some_and(|a| find(a, egress, number).is_some()))
        };
        // Only an entry that is there is deleted (moto answers a missing one with an empty error).
        if !exists().await? {
            return Ok(());
        }
        delete_entry(ctx, &acl, egress, number).await?;
        crate::util::wait_gone(ctx, &format!("rule {number} of network ACL {acl}"), exists).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let mut acls: Vec<String> = states.iter().filter_map(|s| opt_str(s, "network_acl_id")).collect();
        acls.sort();
        acls.dedup();
        let found = describe(ctx, &acls).await?;
        Ok(states
            .iter()
            .map(|s| {
                let (acl, egress, number) = key(s)?;
                let e = find(found.get(&acl)?, egress, number)?;
                Some(to_value(&acl, e, s))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let bad = || {
            ProviderError::with_code(
                "InvalidImportId",
                format!("{id:?} is not NETWORK_ACL_ID:RULE_NUMBER:PROTOCOL:EGRESS (such as acl-0123:100:tcp:false)"),
            )
        };
        let parts: Vec<&str> = id.split(':').collect();
        let [acl, number, protocol, egress] = parts.as_slice() else {
            return Err(bad());
        };
        let number: i64 = number.parse().map_err(|_| bad())?;
        let egress: bool = egress.parse().map_err(|_| bad())?;
        if acl.is_empty() || protocol.is_empty() {
            return Err(bad());
        }
        let a = describe_one(ctx, acl).await?;
        let e = find(&a, egress, number).ok_or_else(|| {
            ProviderError::with_code(
                "InvalidNetworkAclEntry.NotFound",
                format!(
                    "network ACL {acl} has no {} rule {number}",
                    if egress { "egress" } else { "ingress" }
                ),
            )
        })?;
        let mut v = to_value(acl, e, &Value::Null);
        if let Value::Map(m) = &mut v {
            // The id is made from the protocol as the import names it, as Terraform's.
            m.insert("id".into(), string(rule_id(acl, number, egress, protocol)));
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_follow_terraform() {
        // create.StringHashcode is CRC-32 (IEEE) of the joined parts.
        let id = rule_id("acl-1234", 100, false, "tcp");
        assert_eq!(id, format!("nacl-{}", crc32fast::hash(b"acl-1234-100-false-tcp-")));
        assert_ne!(id, rule_id("acl-1234", 100, false, "6"));
    }
}
