//! `aws_network_acl`: a VPC's stateless subnet firewall, its inline `ingress`/`egress` entries
//! (computed when omitted, as Terraform's, so `aws_network_acl_rule` resources can add entries)
//! and the subnets it guards. Also the network ACL plumbing `aws_default_network_acl`,
//! `aws_network_acl_rule` and `aws_network_acl_association` share: the entry block, protocol
//! numbers, entries compared as [`Entry`] values whatever their spelling, the entry sync, moving
//! a subnet's association, and the batched describe (DescribeNetworkAcls of up to 200 ids a call,
//! through `describe_by_ids`: moto has no `network-acl-id` filter).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{
    Filter, IcmpTypeCode, NetworkAcl as Nacl, NetworkAclEntry, PortRange, ResourceType, RuleAction,
};
use futures::FutureExt as _;
use plinth_sdk::plan::same;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::security_group::as_block_set;
use super::{
    by_id, delete_when_free, describe_by_ids, diag, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags,
    wait_found,
};
use crate::error::{aws_error, code_of};
use crate::idempotent::{self, Creating};
use crate::tags::with_tags;
use crate::util::{delete_call, list_of_strings, opt_str, opt_string, req_str, str_list, string};
use crate::{AwsResource, Ctx};

pub struct NetworkAcl;

/// The rule numbers of the catch-all deny entries AWS puts in every ACL (IPv4, IPv6): they can be
/// neither changed nor deleted, and are left out of `ingress` and `egress`, as in Terraform.
const CATCH_ALL: [i32; 2] = [32767, 32768];

/// The two directions: (block name, whether it is egress).
pub(super) const DIRECTIONS: [(&str, bool); 2] = [("ingress", false), ("egress", true)];

/// The `ingress` / `egress` block of `aws_network_acl` and `aws_default_network_acl`.
pub(super) fn entry_block() -> BlockSchema {
    let num = |text: &str| Attribute::required(Type::Number).describe(text);
    BlockSchema {
        nesting: Nesting::Set,
        schema: Schema::new("One entry of the ACL. Changes are applied in place (the entry deleted and created).")
            .attr(
                "rule_no",
                num("Rule number, 1 to 32766; entries are evaluated from the lowest number up."),
            )
            .attr("action", Attribute::required(Type::String).describe("allow or deny."))
            .attr(
                "protocol",
                Attribute::required(Type::String).describe(
                    "A protocol number or name (tcp, udp, icmp, ipv6-icmp ...), or -1 (all) for every protocol. \
                     Read back as the number; a name stays as written while it means the same number.",
                ),
            )
            .attr(
                "from_port",
                num("Start of the port range (tcp and udp; 0 for other protocols)."),
            )
            .attr(
                "to_port",
                num("End of the port range (tcp and udp; 0 for other protocols)."),
            )
            .attr(
                "cidr_block",
                Attribute::optional(Type::String).describe("The IPv4 range; one of cidr_block and ipv6_cidr_block."),
            )
            .attr(
                "ipv6_cidr_block",
                Attribute::optional(Type::String).describe("The IPv6 range."),
            )
            .attr(
                "icmp_type",
                Attribute::optional(Type::Number)
                    .describe("ICMP type (protocol icmp or ipv6-icmp; -1 for every type)."),
            )
            .attr(
                "icmp_code",
                Attribute::optional(Type::Number)
                    .describe("ICMP code (protocol icmp or ipv6-icmp; -1 for every code)."),
            ),
        min_items: 0,
        max_items: None,
        force_new: false,
    }
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let mut s = Schema::new(
        "A network ACL: stateless, numbered allow and deny entries for the subnets it is associated with. Import \
         with the ACL id (acl-...); a VPC's default ACL is aws_default_network_acl's.",
    )
    .attr(
        "vpc_id",
        Attribute::required(Type::String).force_new().describe("The VPC."),
    )
    .attr(
        "subnet_ids",
        Attribute::optional_computed(Type::Set(Box::new(Type::String))).describe(
            "Subnets to guard (each is moved off its current ACL); a subnet removed goes back to the VPC's default \
             ACL. Left out: the associations are not managed.",
        ),
    )
    .block("ingress", entry_block())
    .block("egress", entry_block())
    .computed_when_omitted("ingress")
    .computed_when_omitted("egress");
    for (name, text) in [
        ("id", "The ACL id (acl-...)."),
        ("arn", "The ACL ARN."),
        ("owner_id", "The owning account."),
    ] {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    with_tags(s).identity(&["id"])
});

/// Protocol names Terraform accepts (IANA's keywords for the protocols a network ACL is written
/// for), beside any number from -1 to 255.
const PROTOCOLS: &[(&str, i64)] = &[
    ("all", -1),
    ("hopopt", 0),
    ("icmp", 1),
    ("igmp", 2),
    ("ggp", 3),
    ("ipv4", 4),
    ("st", 5),
    ("tcp", 6),
    ("cbt", 7),
    ("egp", 8),
    ("igp", 9),
    ("udp", 17),
    ("rdp", 27),
    ("dccp", 33),
    ("ipv6", 41),
    ("ipv6-route", 43),
    ("ipv6-frag", 44),
    ("rsvp", 46),
    ("gre", 47),
    ("esp", 50),
    ("ah", 51),
    ("ipv6-icmp", 58),
    ("ipv6-nonxt", 59),
    ("ipv6-opts", 60),
    ("eigrp", 88),
    ("ospfigp", 89),
    ("ipip", 94),
    ("etherip", 97),
    ("pim", 103),
    ("ipcomp", 108),
    ("vrrp", 112),
    ("l2tp", 115),
    ("sctp", 132),
    ("udplite", 136),
    ("mpls-in-ip", 137),
];

/// The protocol number of a protocol as written (`tcp`, `6`, `all`, `-1`).
pub(super) fn protocol_number(p: &str) -> Option<i64> {
    let p = p.trim().to_ascii_lowercase();
    if let Ok(n) = p.parse::<i64>() {
        return (-1..=255).contains(&n).then_some(n);
    }
    PROTOCOLS.iter().find(|(name, _)| *name == p).map(|(_, n)| *n)
}

/// Whether ports matter for a protocol (AWS keeps a port range for TCP and UDP only).
pub(super) fn has_ports(protocol: i64) -> bool {
    protocol == 6 || protocol == 17
}

/// Whether a protocol is ICMP or ICMPv6 (the entry has a type and code).
pub(super) fn is_icmp(protocol: i64) -> bool {
    protocol == 1 || protocol == 58
}

/// One ACL entry as AWS keeps it, whatever the spelling it was written in: two blocks with the
/// same `Entry` are the same rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    pub rule_no: i64,
    pub action: String,
    pub protocol: i64,
    pub from: i64,
    pub to: i64,
    pub cidr: Option<String>,
    pub ipv6: Option<String>,
    pub icmp: Option<(i64, i64)>,
}

impl Entry {
    /// From the given parts (ports and ICMP kept only where the protocol has them).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        rule_no: i64,
        action: &str,
        protocol: i64,
        ports: (Option<i64>, Option<i64>),
        cidr: Option<String>,
        ipv6: Option<String>,
        icmp: (Option<i64>, Option<i64>),
    ) -> Entry {
        let (from, to) = if has_ports(protocol) {
            (ports.0.unwrap_or(0), ports.1.unwrap_or(0))
        } else {
            (0, 0)
        };
        Entry {
            rule_no,
            action: action.to_ascii_lowercase(),
            protocol,
            from,
            to,
            cidr: cidr.filter(|c| !c.is_empty()),
            ipv6: ipv6.filter(|c| !c.is_empty()),
            icmp: is_icmp(protocol).then(|| (icmp.0.unwrap_or(0), icmp.1.unwrap_or(0))),
        }
    }

    /// A configured or stored `ingress`/`egress` block; `None` when its protocol or rule number
    /// is not valid (validation reports it).
    pub fn of_block(b: &Value) -> Option<Entry> {
        let protocol = protocol_number(b.get("protocol").as_str()?)?;
        Some(Entry::new(
            b.get("rule_no").as_i64()?,
            b.get("action").as_str().unwrap_or_default(),
            protocol,
            (b.get("from_port").as_i64(), b.get("to_port").as_i64()),
            opt_str(b, "cidr_block"),
            opt_str(b, "ipv6_cidr_block"),
            (b.get("icmp_type").as_i64(), b.get("icmp_code").as_i64()),
        ))
    }

    /// A live entry (`None` for AWS's catch-all entries and unreadable ones).
    pub fn of_live(e: &NetworkAclEntry) -> Option<Entry> {
        let rule_no = e.rule_number()?;
        if CATCH_ALL.contains(&rule_no) {
            return None;
        }
        let protocol = protocol_number(e.protocol()?)?;
        let ports = e.port_range();
        let icmp = e.icmp_type_code();
        Some(Entry::new(
            i64::from(rule_no),
            e.rule_action().map(|a| a.as_str()).unwrap_or_default(),
            protocol,
            (
                ports.and_then(|p| p.from()).map(i64::from),
                ports.and_then(|p| p.to()).map(i64::from),
            ),
            e.cidr_block().map(str::to_string),
            e.ipv6_cidr_block().map(str::to_string),
            (
                icmp.and_then(|i| i.r#type()).map(i64::from),
                icmp.and_then(|i| i.code()).map(i64::from),
            ),
        ))
    }

    /// The block AWS's own spelling gives (protocol as its number).
    fn block(&self) -> Value {
        Value::object([
            ("rule_no", Value::int(self.rule_no)),
            ("action", string(&self.action)),
            ("protocol", string(self.protocol.to_string())),
            ("from_port", Value::int(self.from)),
            ("to_port", Value::int(self.to)),
            ("cidr_block", opt_string(self.cidr.clone())),
            ("ipv6_cidr_block", opt_string(self.ipv6.clone())),
            (
                "icmp_type",
                self.icmp.map(|(t, _)| Value::int(t)).unwrap_or(Value::Null),
            ),
            (
                "icmp_code",
                self.icmp.map(|(_, c)| Value::int(c)).unwrap_or(Value::Null),
            ),
        ])
    }
}

/// The entries of one direction of a live ACL (catch-all entries left out).
fn live_entries(a: &Nacl, egress: bool) -> Vec<Entry> {
    a.entries()
        .iter()
        .filter(|e| e.egress() == Some(egress))
        .filter_map(Entry::of_live)
        .collect()
}

/// The blocks of `blocks` (a set), each replaced by the block of `prior` (a set) that means the
/// same entry: a rule written `tcp` and read back as `6` stays `tcp`.
fn keep_spelling(blocks: &[Value], prior: &Value) -> Vec<Value> {
    let prior: Vec<(Entry, &Value)> = prior
        .as_list()
        .into_iter()
        .flatten()
        .filter_map(|b| Some((Entry::of_block(b)?, b)))
        .collect();
    blocks
        .iter()
        .map(|b| match Entry::of_block(b) {
            Some(e) => prior
                .iter()
                .find(|(p, _)| *p == e)
                .map(|(_, pb)| (*pb).clone())
                .unwrap_or_else(|| b.clone()),
            None => b.clone(),
        })
        .collect()
}

/// The live entries of one direction as a set of blocks, spelled as in `prior` where they mean
/// the same.
fn entry_blocks(a: &Nacl, egress: bool, prior: &Value) -> Value {
    let live: Vec<Value> = live_entries(a, egress).iter().map(Entry::block).collect();
    as_block_set(keep_spelling(&live, prior))
}

/// `v`'s subnets: `null` when there are none and `prior` had none either.
fn subnets_value(a: &Nacl, prior: &Value) -> Value {
    let mut ids: Vec<&str> = a.associations().iter().filter_map(|x| x.subnet_id()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() && prior.get("subnet_ids").is_null() {
        Value::Null
    } else {
        list_of_strings(ids)
    }
}

pub(super) fn to_value(ctx: &Ctx, a: &Nacl, prior: &Value) -> Value {
    let id = a.network_acl_id().unwrap_or_default().to_string();
    let owner = a.owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, a.tags(), prior);
    Value::object([
        ("id", string(&id)),
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{}:network-acl/{}", ctx.region, owner, id)),
        ),
        ("owner_id", string(owner)),
        ("vpc_id", opt_string(a.vpc_id())),
        ("subnet_ids", subnets_value(a, prior)),
        ("ingress", entry_blocks(a, false, prior.get("ingress"))),
        ("egress", entry_blocks(a, true, prior.get("egress"))),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The error codes of a DescribeNetworkAcls naming an ACL that does not exist: AWS's, and moto's
/// (which answers with the route table's code).
const NOT_FOUND: [&str; 2] = ["InvalidNetworkAclID.NotFound", "InvalidRouteTableID.NotFound"];

/// The ACLs among `ids` that exist: one DescribeNetworkAcls per 200 ids.
pub(super) async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Nacl>, ProviderError> {
    describe_by_ids(ctx, ids, |ctx, ids| async move { describe_ids(&ctx, ids).await }).await
}

/// One DescribeNetworkAcls of `ids` (following pages); `None` when one of them does not exist.
async fn describe_ids(ctx: &Ctx, ids: Vec<String>) -> Result<Option<Vec<(String, Nacl)>>, ProviderError> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let call = ctx
            .ec2
            .describe_network_acls()
            .set_network_acl_ids(Some(ids.clone()))
            .set_next_token(next.take())
            .send()
            .boxed()
            .await;
        let resp = match call {
            Ok(r) => r,
            Err(e) if code_of(&e).is_some_and(|c| NOT_FOUND.contains(&c)) => return Ok(None),
            Err(e) => return Err(aws_error(e)),
        };
        out.extend(
            resp.network_acls()
                .iter()
                .filter_map(|a| Some((a.network_acl_id()?.to_string(), a.clone()))),
        );
        match resp.next_token() {
            Some(t) if !t.is_empty() => next = Some(t.to_string()),
            _ => return Ok(Some(out)),
        }
    }
}

pub(super) async fn describe_one(ctx: &Ctx, id: &str) -> Result<Nacl, ProviderError> {
    take(
        describe(ctx, &[id.to_string()]).await?,
        id,
        "InvalidNetworkAclID.NotFound",
        format!("no network ACL {id}"),
    )
}

/// ACLs found by `filters` (all pages).
pub(super) async fn find(ctx: &Ctx, filters: Vec<Filter>) -> Result<Vec<Nacl>, ProviderError> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let resp = ctx
            .ec2
            .describe_network_acls()
            .set_filters(Some(filters.clone()))
            .set_next_token(next.take())
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        out.extend(resp.network_acls().iter().cloned());
        match resp.next_token() {
            Some(t) if !t.is_empty() => next = Some(t.to_string()),
            _ => return Ok(out),
        }
    }
}

pub(super) fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// The default ACL of `vpc`.
pub(super) async fn default_acl_of(ctx: &Ctx, vpc: &str) -> Result<String, ProviderError> {
    find(ctx, vec![filter("vpc-id", vpc), filter("default", "true")])
        .await?
        .first()
        .and_then(|a| a.network_acl_id())
        .map(str::to_string)
        .ok_or_else(|| {
            ProviderError::with_code(
                "InvalidNetworkAclID.NotFound",
                format!("VPC {vpc} has no default network ACL"),
            )
        })
}

/// The id of the association between `subnet` and its ACL now (every subnet has exactly one);
/// `None` when the subnet is gone.
async fn subnet_association(ctx: &Ctx, subnet: &str) -> Result<Option<String>, ProviderError> {
    Ok(find(ctx, vec![filter("association.subnet-id", subnet)])
        .await?
        .iter()
        .flat_map(|a| a.associations())
        .find(|x| x.subnet_id() == Some(subnet))
        .and_then(|x| x.network_acl_association_id())
        .map(str::to_string))
}

/// Moves the association `association` to `acl`; returns the new association id.
pub(super) async fn replace_association(ctx: &Ctx, association: &str, acl: &str) -> Result<String, ProviderError> {
    let resp = ctx
        .ec2
        .replace_network_acl_association()
        .association_id(association)
        .network_acl_id(acl)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    resp.new_association_id()
        .map(str::to_string)
        .ok_or_else(|| ProviderError::new("ReplaceNetworkAclAssociation returned no association id"))
}

/// Moves `subnet` onto `acl`; returns the new association id.
pub(super) async fn associate(ctx: &Ctx, acl: &str, subnet: &str) -> Result<String, ProviderError> {
    let assoc = subnet_association(ctx, subnet).await?.ok_or_else(|| {
        ProviderError::with_code(
            "InvalidSubnetID.NotFound",
            format!("subnet {subnet} has no network ACL association (does the subnet exist?)"),
        )
    })?;
    replace_association(ctx, &assoc, acl).await
}

/// Moves `subnets` back onto the default ACL of `vpc` (subnets already gone are skipped).
async fn disassociate(ctx: &Ctx, vpc: &str, subnets: &[String]) -> Result<(), ProviderError> {
    if subnets.is_empty() {
        return Ok(());
    }
    let default = default_acl_of(ctx, vpc).await?;
    for subnet in subnets {
        if let Some(assoc) = subnet_association(ctx, subnet).await? {
            replace_association(ctx, &assoc, &default).await?;
        }
    }
    Ok(())
}

/// Creates one entry.
pub(super) async fn create_entry(ctx: &Ctx, acl: &str, egress: bool, e: &Entry) -> Result<(), ProviderError> {
    let mut req = ctx
        .ec2
        .create_network_acl_entry()
        .network_acl_id(acl)
        .egress(egress)
        .rule_number(e.rule_no as i32)
        .protocol(e.protocol.to_string())
        .rule_action(RuleAction::from(e.action.as_str()))
        .set_cidr_block(e.cidr.clone())
        .set_ipv6_cidr_block(e.ipv6.clone())
        .port_range(PortRange::builder().from(e.from as i32).to(e.to as i32).build());
    if let Some((t, c)) = e.icmp {
        req = req.icmp_type_code(IcmpTypeCode::builder().r#type(t as i32).code(c as i32).build());
    }
    req.send().boxed().await.map_err(aws_error)?;
    Ok(())
}

/// Deletes one entry; one already gone is fine.
pub(super) async fn delete_entry(ctx: &Ctx, acl: &str, egress: bool, rule_no: i64) -> Result<(), ProviderError> {
    delete_call(
        ctx.ec2
            .delete_network_acl_entry()
            .network_acl_id(acl)
            .egress(egress)
            .rule_number(rule_no as i32)
            .send()
            .boxed(),
    )
    .await
    .map(drop)
}

/// Makes the entries of one direction of the live ACL `live` exactly `want` (blocks): entries
/// not wanted are deleted first (so a rule number whose entry changes is free again), then the
/// missing ones created.
async fn sync_entries(ctx: &Ctx, live: &Nacl, egress: bool, want: &Value) -> Result<(), ProviderError> {
    let id = live.network_acl_id().unwrap_or_default();
    let have = live_entries(live, egress);
    let mut wanted = Vec::new();
    for b in want.as_list().into_iter().flatten() {
        wanted.push(Entry::of_block(b).ok_or_else(|| {
            ProviderError::with_code(
                "InvalidParameterValue",
                format!("a network ACL entry has an invalid protocol or rule number: {b}"),
            )
        })?);
    }
    for e in have.iter().filter(|e| !wanted.contains(e)) {
        delete_entry(ctx, id, egress, e.rule_no).await?;
    }
    for e in wanted.iter().filter(|e| !have.contains(e)) {
        create_entry(ctx, id, egress, e).await?;
    }
    Ok(())
}

/// Makes both directions of the live ACL match the planned blocks. A direction is left alone
/// when its planned blocks are not a list (left out on create: unknown), or on an update equal
/// the prior ones, as Terraform's `HasChange`; `exclusive` (the default ACL's adoption) syncs
/// both directions always, a direction left out meaning no entries.
pub(super) async fn sync_directions(
    ctx: &Ctx,
    live: &Nacl,
    prior: Option<&Value>,
    planned: &Value,
    exclusive: bool,
) -> Result<(), ProviderError> {
    let empty = Value::List(Vec::new());
    for (dir, egress) in DIRECTIONS {
        let want = planned.get(dir);
        let want = match (want.as_list(), prior) {
            (Some(_), Some(prior)) if same(want, prior.get(dir)) => continue,
            (Some(_), _) => want,
            (None, _) if exclusive => &empty,
            (None, _) => continue,
        };
        sync_entries(ctx, live, egress, want).await?;
    }
    Ok(())
}

/// Moves the subnets added to `subnet_ids` onto the ACL and, when `release` holds, the removed
/// ones back onto the VPC's default ACL. Left alone when the planned set is not a list.
pub(super) async fn sync_subnets(
    ctx: &Ctx,
    live: &Nacl,
    prior: Option<&Value>,
    planned: &Value,
    release: bool,
) -> Result<(), ProviderError> {
    let id = live.network_acl_id().unwrap_or_default();
    if planned.get("subnet_ids").as_list().is_none() {
        return Ok(());
    }
    let want = str_list(planned, "subnet_ids");
    let had = prior.map(|p| str_list(p, "subnet_ids")).unwrap_or_default();
    let have: Vec<&str> = live.associations().iter().filter_map(|a| a.subnet_id()).collect();
    if release {
        let gone: Vec<String> = had
            .iter()
            .filter(|s| !want.contains(s) && have.contains(&s.as_str()))
            .cloned()
            .collect();
        disassociate(ctx, live.vpc_id().unwrap_or_default(), &gone).await?;
    }
    for s in want.iter().filter(|s| !have.contains(&s.as_str())) {
        associate(ctx, id, s).await?;
    }
    Ok(())
}

/// The checks of the `ingress` and `egress` blocks.
pub(super) fn validate_entries(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut out = Vec::new();
    for (dir, _) in DIRECTIONS {
        for b in config.get(dir).as_list().into_iter().flatten() {
            if let Some(p) = b.get("protocol").as_str()
                && protocol_number(p).is_none()
            {
                out.push(diag(
                    dir,
                    format!("Invalid {dir} protocol"),
                    format!(
                        "{p:?} is not a protocol number (-1 to 255) or a known protocol name such as tcp, udp, icmp"
                    ),
                ));
            }
            if let Some(a) = b.get("action").as_str()
                && !a.eq_ignore_ascii_case("allow")
                && !a.eq_ignore_ascii_case("deny")
            {
                out.push(diag(
                    dir,
                    format!("Invalid {dir} action"),
                    format!("{a:?}: expected allow or deny"),
                ));
            }
            if let Some(n) = b.get("rule_no").as_i64()
                && !(1..=32766).contains(&n)
            {
                out.push(diag(
                    dir,
                    format!("Invalid {dir} rule_no"),
                    format!("{n}: expected 1 to 32766"),
                ));
            }
            let all = b.get("protocol").as_str().and_then(protocol_number) == Some(-1);
            let port = |k: &str| b.get(k).as_i64().unwrap_or(0);
            if all && (port("from_port") != 0 || port("to_port") != 0) {
                out.push(diag(
                    dir,
                    format!("Invalid {dir} ports"),
                    "from_port and to_port must both be 0 with the protocol -1 (all), as Terraform requires",
                ));
            }
        }
    }
    out
}

/// The standard plan with each configured entry that means the same as a prior one spelled as
/// the prior one (`tcp` against a stored `6` is no change), and `tags_all` planned.
pub(super) fn plan_acl(schema: &Schema, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
    let mut config = req.config.clone();
    if let (Some(prior), Value::Map(m)) = (&req.prior, &mut config) {
        for (dir, _) in DIRECTIONS {
            if let Some(blocks) = m
                .get(dir)
                .and_then(Value::as_list)
                .filter(|l| !l.iter().any(Value::contains_unknown))
            {
                let kept = as_block_set(keep_spelling(blocks, prior.get(dir)));
                m.insert(dir.to_string(), kept);
            }
        }
    }
    plan_with_tags(schema, ctx, &PlanRequest { config, ..req.clone() })
}

async fn read_one(ctx: &Ctx, id: &str, planned: &Value) -> Result<Value, ProviderError> {
    Ok(to_value(ctx, &describe_one(ctx, id).await?, planned))
}

#[async_trait]
impl AwsResource for NetworkAcl {
    fn type_name(&self) -> &'static str {
        "aws_network_acl"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        validate_entries(config)
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_acl(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// With a client token derived from the planned change (see `docs/reliability.md`): a
    /// repeated call answers the network ACL already made. The answer carries no state, so a
    /// token answered with an id that is not described (a network ACL deleted since) moves on to the
    /// next generation's token.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let mut req = ctx.ec2.create_network_acl().vpc_id(req_str(planned, "vpc_id")?);
        if let Some(spec) = tag_spec(ResourceType::NetworkAcl, &tags) {
            req = req.tag_specifications(spec);
        }
        let id = creating
            .with_token(planned, "CreateNetworkAcl", |token| {
                let req = req.clone().client_token(token);
                async move {
                    let resp = req.send().boxed().await.map_err(aws_error)?;
                    let id = resp.network_acl().and_then(|a| a.network_acl_id());
                    idempotent::answered(ctx, "CreateNetworkAcl", "ACL id", id, |id| async move {
                        describe(ctx, &[id]).await
                    })
                    .await
                }
            })
            .await?;
        let ids = vec![id.clone()];
        let what = format!("network ACL {id} to exist");
        let live = wait_found(ctx, &what, &id, || describe(ctx, &ids), |_| true).await?;
        sync_directions(ctx, &live, None, planned, false).await?;
        sync_subnets(ctx, &live, None, planned, true).await?;
        read_one(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        // Diff against the live entries: deleting an entry already gone, or creating one whose
        // rule number is taken, fails in EC2.
        let live = describe_one(ctx, &id).await?;
        sync_directions(ctx, &live, Some(prior), planned, false).await?;
        sync_subnets(ctx, &live, Some(prior), planned, true).await?;
        update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        // Every subnet goes back to the default ACL first, also those aws_network_acl_association
        // resources put here, as Terraform does: an ACL in use cannot be deleted.
        if let Some(a) = describe(ctx, &ids).await?.get(&id) {
            let subnets: Vec<String> = a
                .associations()
                .iter()
                .filter_map(|x| x.subnet_id().map(str::to_string))
                .collect();
            disassociate(ctx, a.vpc_id().unwrap_or_default(), &subnets).await?;
        }
        let delete = || delete_call(ctx.ec2.delete_network_acl().network_acl_id(&id).send().boxed());
        let exists = || async { Ok(describe(ctx, &ids).await?.contains_key(&id)) };
        delete_when_free(ctx, &format!("network ACL {id}"), "to be unused", delete, exists).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |a, s| to_value(ctx, a, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let a = describe_one(ctx, id).await?;
        if a.is_default() == Some(true) {
            return Err(ProviderError::with_code(
                "InvalidImportId",
                format!("network ACL {id} is a VPC's default ACL; import it as aws_default_network_acl"),
            ));
        }
        Ok(to_value(ctx, &a, &Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_by_name_or_number() {
        assert_eq!(protocol_number("tcp"), Some(6));
        assert_eq!(protocol_number("6"), Some(6));
        assert_eq!(protocol_number("all"), Some(-1));
        assert_eq!(protocol_number("-1"), Some(-1));
        assert_eq!(protocol_number("ipv6-icmp"), Some(58));
        assert_eq!(protocol_number("256"), None);
        assert_eq!(protocol_number("tcpx"), None);
    }

    #[test]
    fn entries_compare_whatever_their_spelling() {
        let block = |p: &str, action: &str, from: i64| {
            Value::object([
                ("rule_no", Value::int(100)),
                ("action", Value::string(action)),
                ("protocol", Value::string(p)),
                ("from_port", Value::int(from)),
                ("to_port", Value::int(from)),
                ("cidr_block", Value::string("10.0.0.0/8")),
                ("ipv6_cidr_block", Value::Null),
                ("icmp_type", Value::Null),
                ("icmp_code", Value::Null),
            ])
        };
        assert_eq!(
            Entry::of_block(&block("tcp", "ALLOW", 80)),
            Entry::of_block(&block("6", "allow", 80))
        );
        assert_ne!(
            Entry::of_block(&block("tcp", "allow", 80)),
            Entry::of_block(&block("udp", "allow", 80))
        );
        // Ports do not matter to "all".
        assert_eq!(
            Entry::of_block(&block("all", "deny", 0)),
            Entry::of_block(&block("-1", "deny", 5))
        );
        // A stored spelling is kept for a block meaning the same.
        let prior = Value::List(vec![block("tcp", "allow", 80)]);
        assert_eq!(
            keep_spelling(&[block("6", "allow", 80)], &prior),
            vec![block("tcp", "allow", 80)]
        );
    }
}
