//! `aws_security_group`, with `ingress` and `egress` rule blocks.
//!
//! A rule block may name several sources (CIDRs, IPv6 CIDRs, security groups, itself); AWS
//! keeps one entry per source. Rules are therefore compared as "atoms" (protocol, ports,
//! one source, description): an update revokes the atoms that went away and authorizes the new
//! ones, without touching the group. Refresh rebuilds the blocks from the live atoms, keeping
//! the grouping of the prior state where the atoms still exist, so an unchanged group plans no
//! change and a rule added or removed outside Plinth shows up as a block to repair.
//!
//! As in Terraform, the ALLOW ALL egress rule AWS adds to a new group is removed unless the
//! configuration declares it, and `ingress` and `egress` are computed when omitted: left out of
//! the configuration, the group leaves the rules of that direction alone (those that separate
//! `aws_security_group_rule` / `aws_vpc_security_group_*_rule` resources add), while `ingress =
//! []` asks for none. The rule types share this module's atoms (`Key`, `Source`) and reads.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, IpPermission, IpRange, Ipv6Range, PrefixListId, ResourceType, UserIdGroupPair};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{
    Page, adoptable, by_id, delete_when_free, describe_by_filter, ids_of, plan_with_tags, tag_spec, tag_values, take,
    update_tags, wait_found,
};
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{delete_call, opt_str, opt_string, req_str, string};
use crate::{AwsResource, Ctx};

pub struct SecurityGroup;

pub(super) fn rule_schema(kind: &str) -> BlockSchema {
    let what = if kind == "ingress" { "from" } else { "to" };
    BlockSchema {
        nesting: Nesting::Set,
        schema: Schema::new(&format!(
            "An {kind} rule: traffic allowed {what} the listed sources. Changes are applied in place (revoke and \
             authorize)."
        ))
        .attr(
            "from_port",
            Attribute::required(Type::Number)
                .describe("Start of the port range (ICMP type for icmp; 0 with protocol \"-1\")."),
        )
        .attr(
            "to_port",
            Attribute::required(Type::Number)
                .describe("End of the port range (ICMP code for icmp; 0 with protocol \"-1\")."),
        )
        .attr(
            "protocol",
            Attribute::required(Type::String)
                .describe("tcp, udp, icmp, icmpv6, a protocol number, or \"-1\" (or \"all\") for every protocol."),
        )
        .attr(
            "cidr_blocks",
            Attribute::optional(Type::Set(Box::new(Type::String))).describe("IPv4 CIDR ranges."),
        )
        .attr(
            "ipv6_cidr_blocks",
            Attribute::optional(Type::Set(Box::new(Type::String))).describe("IPv6 CIDR ranges."),
        )
        .attr(
            "security_groups",
            Attribute::optional(Type::Set(Box::new(Type::String))).describe("Ids of other security groups."),
        )
        .attr(
            "self",
            Attribute::optional(Type::Bool).describe("Include this security group itself as a source."),
        )
        .attr(
            "description",
            Attribute::optional(Type::String).describe("Description of the rule."),
        )
        .attr(
            "prefix_list_ids",
            Attribute::optional(Type::Set(Box::new(Type::String))).describe("Ids of managed prefix lists (pl-...)."),
        ),
        min_items: 0,
        max_items: None,
        force_new: false,
    }
}

static SCHEMA: LazyLock<Schema> =
    LazyLock::new(|| {
        with_tags(
        Schema::new(
            "A security group: stateful firewall rules for GPU nodes and endpoints. Import with the group id (sg-...).",
        )
        .attr(
            "name",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("Group name, unique in the VPC; generated from name_prefix (or plinth-sg-) when left out."),
        )
        .attr(
            "name_prefix",
            Attribute::optional(Type::String)
                .force_new()
                .describe("Creates a unique group name beginning with this prefix. Conflicts with name."),
        )
        .attr(
            "revoke_rules_on_delete",
            Attribute::optional(Type::Bool).describe(
                "Revoke every ingress and egress rule (also those other services added) before deleting the group, \
                 which breaks cycles between groups that reference each other (default false). Not read from AWS.",
            ),
        )
        .attr(
            "description",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("Group description (default \"Managed by Plinth\"); AWS cannot change it in place."),
        )
        .attr(
            "vpc_id",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The VPC; the region's default VPC when left out."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The group id (sg-...)."))
        .attr("arn", Attribute::computed(Type::String).describe("The group ARN."))
        .attr(
            "owner_id",
            Attribute::computed(Type::String).describe("The owning account."),
        )
        .block("ingress", rule_schema("ingress"))
        .block("egress", rule_schema("egress"))
        .computed_when_omitted("ingress")
        .computed_when_omitted("egress"),
    )
    .identity(&["id"])
    });

/// Where a rule lets traffic come from or go to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Source {
    V4(String),
    V6(String),
    Group(String),
    PrefixList(String),
}

/// The identity of one rule entry as AWS keeps it (the description is not part of it).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Key {
    pub protocol: String,
    pub from: i64,
    pub to: i64,
    pub source: Source,
}

pub(super) type Atoms = BTreeMap<Key, Option<String>>;

/// AWS's spelling of a protocol: names for the common numbers, `-1` for all.
pub(super) fn norm_protocol(p: &str) -> String {
    match p.to_ascii_lowercase().as_str() {
        "all" | "-1" => "-1".to_string(),
        "6" => "tcp".to_string(),
        "17" => "udp".to_string(),
        "1" => "icmp".to_string(),
        "58" => "icmpv6".to_string(),
        other => other.to_string(),
    }
}

pub(super) fn ports(protocol: &str, from: Option<i64>, to: Option<i64>) -> (i64, i64) {
    if protocol == "-1" {
        (0, 0)
    } else {
        (from.unwrap_or(0), to.unwrap_or(0))
    }
}

fn set_of(v: &Value, key: &str) -> Vec<String> {
    crate::util::str_list(v, key)
}

/// The atoms of one configured or stored rule block.
fn block_atoms(block: &Value, own_id: &str) -> Vec<(Key, Option<String>)> {
    let protocol = norm_protocol(block.get("protocol").as_str().unwrap_or("-1"));
    let (from, to) = ports(
        &protocol,
        block.get("from_port").as_f64().map(|n| n as i64),
        block.get("to_port").as_f64().map(|n| n as i64),
    );
    let desc = opt_str(block, "description");
    let mut sources: Vec<Source> = Vec::new();
    sources.extend(set_of(block, "cidr_blocks").into_iter().map(Source::V4));
    sources.extend(set_of(block, "ipv6_cidr_blocks").into_iter().map(Source::V6));
    sources.extend(set_of(block, "security_groups").into_iter().map(Source::Group));
    sources.extend(set_of(block, "prefix_list_ids").into_iter().map(Source::PrefixList));
    if block.get("self").as_bool() == Some(true) {
        sources.push(Source::Group(own_id.to_string()));
    }
    sources
        .into_iter()
        .map(|source| {
            (
                Key {
                    protocol: protocol.clone(),
                    from,
                    to,
                    source,
                },
                desc.clone(),
            )
        })
        .collect()
}

fn blocks_atoms(blocks: &Value, own_id: &str) -> Atoms {
    blocks
        .as_list()
        .map(|l| l.iter().flat_map(|b| block_atoms(b, own_id)).collect())
        .unwrap_or_default()
}

pub(super) fn live_atoms(perms: &[IpPermission]) -> Atoms {
    let mut out = Atoms::new();
    for p in perms {
        let protocol = norm_protocol(p.ip_protocol().unwrap_or("-1"));
        let (from, to) = ports(&protocol, p.from_port().map(i64::from), p.to_port().map(i64::from));
        let mut add = |source: Source, desc: Option<&str>| {
            out.insert(
                Key {
                    protocol: protocol.clone(),
                    from,
                    to,
                    source,
                },
                desc.filter(|d| !d.is_empty()).map(str::to_string),
            );
        };
        for r in p.ip_ranges() {
            if let Some(c) = r.cidr_ip() {
                add(Source::V4(c.to_string()), r.description());
            }
        }
        for r in p.ipv6_ranges() {
            if let Some(c) = r.cidr_ipv6() {
                add(Source::V6(c.to_string()), r.description());
            }
        }
        for g in p.user_id_group_pairs() {
            if let Some(id) = g.group_id() {
                add(Source::Group(id.to_string()), g.description());
            }
        }
        for l in p.prefix_list_ids() {
            if let Some(id) = l.prefix_list_id() {
                add(Source::PrefixList(id.to_string()), l.description());
            }
        }
    }
    out
}

pub(super) use crate::util::as_block_set;

fn list_or_null(items: Vec<String>, keep_empty: bool) -> Value {
    if items.is_empty() && !keep_empty {
        Value::Null
    } else {
        let mut items = items;
        items.sort();
        items.dedup();
        crate::util::list_of_strings(items)
    }
}

/// Rebuilds the rule blocks from the live atoms. Prior blocks whose atoms still exist keep their
/// shape (spelling of the protocol, grouping of sources); atoms no prior block accounts for are
/// grouped by protocol, ports and description into new blocks.
fn rebuild_blocks(live: &Atoms, prior_blocks: &Value, own_id: &str) -> Value {
    let mut claimed: BTreeSet<Key> = BTreeSet::new();
    let mut out = Vec::new();
    for block in prior_blocks.as_list().into_iter().flatten() {
        let atoms = block_atoms(block, own_id);
        let present: Vec<&(Key, Option<String>)> = atoms
            .iter()
            .filter(|(k, d)| live.get(k) == Some(d) && !claimed.contains(k))
            .collect();
        if present.is_empty() {
            continue;
        }
        for (k, _) in &present {
            claimed.insert(k.clone());
        }
        let keep = |source: &Source| present.iter().any(|(k, _)| &k.source == source);
        let mut b = block.as_map().cloned().unwrap_or_default();
        for (attr, make) in [
            ("cidr_blocks", Source::V4 as fn(String) -> Source),
            ("ipv6_cidr_blocks", Source::V6),
            ("security_groups", Source::Group),
            ("prefix_list_ids", Source::PrefixList),
        ] {
            let v = block.get(attr);
            if let Some(items) = v.as_list() {
                let kept: Vec<Value> = items
                    .iter()
                    .filter(|x| x.as_str().is_some_and(|s| keep(&make(s.to_string()))))
                    .cloned()
                    .collect();
                b.insert(attr.to_string(), Value::List(kept));
            }
        }
        if block.get("self").as_bool() == Some(true) && !keep(&Source::Group(own_id.to_string())) {
            b.insert("self".to_string(), Value::Bool(false));
        }
        out.push(Value::Map(b));
    }
    let mut groups: BTreeMap<(String, i64, i64, Option<String>), Vec<Source>> = BTreeMap::new();
    for (k, d) in live {
        if !claimed.contains(k) {
            groups
                .entry((k.protocol.clone(), k.from, k.to, d.clone()))
                .or_default()
                .push(k.source.clone());
        }
    }
    for ((protocol, from, to, desc), sources) in groups {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        let mut sgs = Vec::new();
        let mut pls = Vec::new();
        let mut is_self = false;
        for s in sources {
            match s {
                Source::V4(c) => v4.push(c),
                Source::V6(c) => v6.push(c),
                Source::Group(g) if g == own_id => is_self = true,
                Source::Group(g) => sgs.push(g),
                Source::PrefixList(l) => pls.push(l),
            }
        }
        out.push(Value::object([
            ("protocol", string(protocol)),
            ("from_port", Value::int(from)),
            ("to_port", Value::int(to)),
            ("cidr_blocks", list_or_null(v4, false)),
            ("ipv6_cidr_blocks", list_or_null(v6, false)),
            ("security_groups", list_or_null(sgs, false)),
            ("prefix_list_ids", list_or_null(pls, false)),
            ("self", if is_self { Value::Bool(true) } else { Value::Null }),
            ("description", opt_string(desc)),
        ]));
    }
    as_block_set(out)
}

pub(super) fn to_value(ctx: &Ctx, g: &aws_sdk_ec2::types::SecurityGroup, prior: &Value) -> Value {
    let id = g.group_id().unwrap_or_default().to_string();
    let owner = g.owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, g.tags(), prior);
    let arn = g
        .security_group_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:ec2:{}:{}:security-group/{}", ctx.region, owner, id));
    Value::object([
        ("id", string(&id)),
        ("arn", string(arn)),
        ("owner_id", string(owner)),
        ("name", opt_string(g.group_name())),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("revoke_rules_on_delete", prior.get("revoke_rules_on_delete").clone()),
        ("description", opt_string(g.description())),
        ("vpc_id", opt_string(g.vpc_id())),
        (
            "ingress",
            rebuild_blocks(&live_atoms(g.ip_permissions()), prior.get("ingress"), &id),
        ),
        (
            "egress",
            rebuild_blocks(&live_atoms(g.ip_permissions_egress()), prior.get("egress"), &id),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// One page of DescribeSecurityGroups with `filters`.
async fn page(ctx: &Ctx, filters: Vec<Filter>, next: Option<String>) -> Page<aws_sdk_ec2::types::SecurityGroup> {
    let resp = ctx
        .ec2
        .describe_security_groups()
        .set_filters(Some(filters))
        .max_results(1000)
        .set_next_token(next)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let found = resp
        .security_groups()
        .iter()
        .filter_map(|g| Some((g.group_id()?.to_string(), g.clone())))
        .collect();
    Ok((found, resp.next_token().map(str::to_string)))
}

pub(super) async fn describe(
    ctx: &Ctx,
    ids: &[String],
) -> Result<HashMap<String, aws_sdk_ec2::types::SecurityGroup>, ProviderError> {
    describe_by_filter("group-id", ids, |filter, next| page(ctx, vec![filter], next)).await
}

/// One IpPermission per atom.
pub(super) fn permissions(atoms: &[(&Key, &Option<String>)], with_description: bool) -> Vec<IpPermission> {
    atoms
        .iter()
        .map(|(k, d)| {
            let desc = if with_description { (*d).clone() } else { None };
            let mut p = IpPermission::builder().ip_protocol(&k.protocol);
            if k.protocol != "-1" {
                p = p.from_port(k.from as i32).to_port(k.to as i32);
            }
            match &k.source {
                Source::V4(c) => p.ip_ranges(IpRange::builder().cidr_ip(c).set_description(desc).build()),
                Source::V6(c) => p.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(c).set_description(desc).build()),
                Source::Group(g) => {
                    p.user_id_group_pairs(UserIdGroupPair::builder().group_id(g).set_description(desc).build())
                }
                Source::PrefixList(l) => {
                    p.prefix_list_ids(PrefixListId::builder().prefix_list_id(l).set_description(desc).build())
                }
            }
            .build()
        })
        .collect()
}

/// Makes the live rules of one direction equal to `want`: revokes first (so a rule whose
/// description changed can be authorized again), then authorizes.
async fn sync_rules(ctx: &Ctx, id: &str, ingress: bool, have: &Atoms, want: &Atoms) -> Result<(), ProviderError> {
    let revoke: Vec<(&Key, &Option<String>)> = have.iter().filter(|(k, d)| want.get(*k) != Some(*d)).collect();
    let authorize: Vec<(&Key, &Option<String>)> = want.iter().filter(|(k, d)| have.get(*k) != Some(*d)).collect();
    if !revoke.is_empty() {
        change_rules(ctx, id, ingress, false, permissions(&revoke, false)).await?;
    }
    if !authorize.is_empty() {
        change_rules(ctx, id, ingress, true, permissions(&authorize, true)).await?;
    }
    Ok(())
}

/// Authorizes (or revokes) `perms` on the group's ingress (or egress) rules.
async fn change_rules(
    ctx: &Ctx,
    id: &str,
    ingress: bool,
    authorize: bool,
    perms: Vec<IpPermission>,
) -> Result<(), ProviderError> {
    macro_rules! send {
        ($op:ident) => {
            ctx.ec2
                .$op()
                .group_id(id)
                .set_ip_permissions(Some(perms))
                .send()
                .boxed()
                .await
                .map(|_| ())
                .map_err(aws_error)
        };
    }
    match (authorize, ingress) {
        (false, true) => send!(revoke_security_group_ingress),
        (false, false) => send!(revoke_security_group_egress),
        (true, true) => send!(authorize_security_group_ingress),
        (true, false) => send!(authorize_security_group_egress),
    }
}

/// Makes the rules of both directions equal to the planned blocks, given the live group. A
/// direction is left alone when its planned blocks are not a list (left out of the
/// configuration on create: unknown) or, on an update, equal the prior ones (left out: the plan
/// kept them; declared: nothing to repair) — as Terraform's `HasChange`. Exception: on create,
/// egress left out still loses the ALLOW ALL rule AWS adds, as in Terraform.
pub(super) async fn sync_all_rules(
    ctx: &Ctx,
    id: &str,
    live: &aws_sdk_ec2::types::SecurityGroup,
    prior: Option<&Value>,
    planned: &Value,
) -> Result<(), ProviderError> {
    for (dir, ingress, have) in [
        ("ingress", true, live.ip_permissions()),
        ("egress", false, live.ip_permissions_egress()),
    ] {
        let want = planned.get(dir);
        let want = match (want.as_list(), prior) {
            (Some(_), Some(prior)) if plinth_sdk::plan::same(want, prior.get(dir)) => continue,
            (Some(_), _) => blocks_atoms(want, id),
            (None, None) if !ingress => Atoms::new(),
            (None, _) => continue,
        };
        sync_rules(ctx, id, ingress, &live_atoms(have), &want).await?;
    }
    Ok(())
}

/// `revoke_rules_on_delete`: revokes every rule the group has now (not only the configured ones).
pub(super) async fn revoke_all(ctx: &Ctx, id: &str) -> Result<(), ProviderError> {
    let Some(g) = describe(ctx, &[id.to_string()]).await?.remove(id) else {
        return Ok(());
    };
    if !g.ip_permissions().is_empty() {
        ctx.ec2
            .revoke_security_group_ingress()
            .group_id(id)
            .set_ip_permissions(Some(g.ip_permissions().to_vec()))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    if !g.ip_permissions_egress().is_empty() {
        ctx.ec2
            .revoke_security_group_egress()
            .group_id(id)
            .set_ip_permissions(Some(g.ip_permissions_egress().to_vec()))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
    }
    Ok(())
}

pub(super) async fn describe_one(ctx: &Ctx, id: &str) -> Result<aws_sdk_ec2::types::SecurityGroup, ProviderError> {
    let found = describe(ctx, &[id.to_string()]).await?;
    take(found, id, "InvalidGroup.NotFound", format!("no security group {id}"))
}

#[async_trait]
impl AwsResource for SecurityGroup {
    fn type_name(&self) -> &'static str {
        "aws_security_group"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// CreateSecurityGroup takes no client token: the group gets the bookkeeping tags, and one
    /// an earlier, interrupted attempt made is adopted instead ([`super::adoptable`]); its rules
    /// are then made the planned ones against what it has. A generated name is derived from the
    /// planned change ([`Creating::name`]), so that a repeated create that missed the group
    /// would be refused as a duplicate name rather than make a second group.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let tags_of = aws_sdk_ec2::types::SecurityGroup::tags;
        let found = adoptable(ctx, creating, &tags, |f, next| page(ctx, f, next), tags_of, |_| true);
        let id = match found.await? {
            Some(id) => id,
            None => {
                let name = creating.name(planned, "name", "name_prefix", "plinth-sg-");
                let description = opt_str(planned, "description").unwrap_or_else(|| "Managed by Plinth".to_string());
                let mut req = ctx
                    .ec2
                    .create_security_group()
                    .group_name(&name)
                    .description(&description)
                    .set_vpc_id(opt_str(planned, "vpc_id"));
                if let Some(spec) = tag_spec(ResourceType::SecurityGroup, &creating.with_tags(tags)) {
                    req = req.tag_specifications(spec);
                }
                let resp = req.send().boxed().await.map_err(aws_error)?;
                resp.group_id()
                    .map(str::to_string)
                    .ok_or_else(|| ProviderError::new("CreateSecurityGroup returned no group id"))?
            }
        };
        let ids = vec![id.clone()];
        let what = format!("security group {id} to exist");
        let created = wait_found(ctx, &what, &id, || describe(ctx, &ids), |_| true).await?;
        sync_all_rules(ctx, &id, &created, None, planned).await?;
        let g = describe_one(ctx, &id).await?;
        Ok(to_value(ctx, &g, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        // Diff against the live rules, not the prior state: revoking a rule that is already gone
        // or authorizing one that exists are errors in EC2.
        let live = describe_one(ctx, &id).await?;
        sync_all_rules(ctx, &id, &live, Some(prior), planned).await?;
        update_tags(ctx, &id, prior, planned).await?;
        let g = describe_one(ctx, &id).await?;
        Ok(to_value(ctx, &g, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        if prior.get("revoke_rules_on_delete").as_bool() == Some(true) {
            revoke_all(ctx, &id).await?;
        }
        let delete = || delete_call(ctx.ec2.delete_security_group().group_id(&id).send().boxed());
        let exists = || async { Ok(describe(ctx, &ids).await?.contains_key(&id)) };
        delete_when_free(ctx, &format!("security group {id}"), "to be unused", delete, exists).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |g, s| to_value(ctx, g, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let g = describe_one(ctx, id).await?;
        Ok(to_value(ctx, &g, &Value::Null))
    }
}
