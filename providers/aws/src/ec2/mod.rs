//! EC2: networking and GPU nodes. One file per resource type; shared here: EC2's tag types, the
//! batched Describe by filter, refresh and import by id, retries while a dependent object is
//! released, and the wait for an object to appear. Tags in general, idempotent deletes and the
//! wait for an object to go are in `crate::tags` and `crate::util`.

pub mod ami;
pub mod availability_zones;
pub mod block_device;
pub mod customer_gateway;
pub mod default_network_acl;
pub mod default_route_table;
pub mod default_security_group;
pub mod default_subnet;
pub mod default_vpc;
pub mod ebs_volume;
pub mod ec2_tag;
pub mod egress_only_internet_gateway;
pub mod eip;
pub mod filter;
pub mod flow_log;
pub mod instance;
pub mod instance_options;
pub mod instance_type;
pub mod internet_gateway;
pub mod key_pair;
pub mod launch_template;
pub mod nat_gateway;
pub mod network_acl;
pub mod network_acl_association;
pub mod network_acl_rule;
pub mod placement_group;
pub mod route;
pub mod route_table;
pub mod route_table_association;
pub mod security_group;
pub mod security_group_rule;
pub mod spot_instance_request;
pub mod subnet;
pub mod subnet_data;
pub mod volume_attachment;
pub mod vpc;
pub mod vpc_block_public_access_exclusion;
pub mod vpc_block_public_access_options;
pub mod vpc_dhcp_options;
pub mod vpc_dhcp_options_association;
pub mod vpc_endpoint;
pub mod vpc_ipv4_cidr_block_association;
pub mod vpc_security_group_rule;
pub mod vpn_gateway;
pub mod vpn_gateway_attachment;
pub mod vpn_gateway_route_propagation;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;

use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{PlanRequest, PlanResponse, ProviderError, Schema, Value};

use crate::idempotent::{self, Creating};
use crate::tags::{Tagged, plan_tags_all, tags_from};
use crate::util::wait_for;
use crate::{AwsDataSource, AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(vpc::Vpc),
        Box::new(subnet::Subnet),
        Box::new(security_group::SecurityGroup),
        Box::new(security_group_rule::SecurityGroupRule),
        Box::new(vpc_security_group_rule::VpcSecurityGroupRule::INGRESS),
        Box::new(vpc_security_group_rule::VpcSecurityGroupRule::EGRESS),
        Box::new(launch_template::LaunchTemplate),
        Box::new(instance::Instance),
        Box::new(spot_instance_request::SpotInstanceRequestResource),
        Box::new(eip::Eip),
        Box::new(internet_gateway::InternetGateway),
        Box::new(egress_only_internet_gateway::EgressOnlyInternetGateway),
        Box::new(route_table::RouteTable),
        Box::new(route::Route),
        Box::new(route_table_association::RouteTableAssociation),
        Box::new(nat_gateway::NatGateway),
        Box::new(key_pair::KeyPair),
        Box::new(placement_group::PlacementGroupResource),
        Box::new(default_vpc::DefaultVpc),
        Box::new(default_security_group::DefaultSecurityGroup),
        Box::new(default_route_table::DefaultRouteTable),
        Box::new(default_subnet::DefaultSubnet),
        Box::new(flow_log::FlowLog),
        Box::new(vpc_endpoint::VpcEndpoint),
        Box::new(vpc_dhcp_options::VpcDhcpOptions),
        Box::new(vpc_dhcp_options_association::VpcDhcpOptionsAssociation),
        Box::new(vpc_ipv4_cidr_block_association::VpcIpv4CidrBlockAssociation),
        Box::new(customer_gateway::CustomerGateway),
        Box::new(vpn_gateway::VpnGateway),
        Box::new(vpn_gateway_attachment::VpnGatewayAttachment),
        Box::new(vpn_gateway_route_propagation::VpnGatewayRoutePropagation),
        Box::new(vpc_block_public_access_options::VpcBlockPublicAccessOptions),
        Box::new(vpc_block_public_access_exclusion::VpcBlockPublicAccessExclusion),
        Box::new(network_acl::NetworkAcl),
        Box::new(network_acl_rule::NetworkAclRule),
        Box::new(network_acl_association::NetworkAclAssociation),
        Box::new(default_network_acl::DefaultNetworkAcl),
        Box::new(ebs_volume::EbsVolume),
        Box::new(volume_attachment::VolumeAttachment),
        Box::new(ec2_tag::Ec2Tag),
    ]
}

pub fn data_sources() -> Vec<Box<dyn AwsDataSource>> {
    vec![
        Box::new(instance_type::InstanceTypeData),
        Box::new(availability_zones::AvailabilityZones),
        Box::new(subnet_data::SubnetData),
        Box::new(ami::AmiData),
    ]
}

/// A validation error about the argument `attr`.
pub use crate::util::error_at as diag;

/// The standard plan, with `tags_all` planned from `tags` and default_tags.
pub fn plan_with_tags(schema: &Schema, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
    let mut resp = default_plan(schema, req.prior.as_ref(), &req.config);
    plan_tags_all(ctx, &req.config, &mut resp.planned);
    resp
}

pub fn ec2_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

pub fn tag_spec(kind: ResourceType, tags: &BTreeMap<String, String>) -> Option<TagSpecification> {
    if tags.is_empty() {
        return None;
    }
    Some(
        TagSpecification::builder()
            .resource_type(kind)
            .set_tags(Some(ec2_tags(tags)))
            .build(),
    )
}

/// The `tags` (the user's own, judged against `prior`) and `tags_all` values of an object
/// carrying `tags`.
pub fn tag_values(ctx: &Ctx, tags: &[Tag], prior: &Value) -> (Value, Value) {
    let all = tags_from(tags.iter().map(|t| (t.key(), t.value())));
    crate::tags::tag_values(ctx, &all, prior)
}

/// The account id out of an ARN such as `arn:aws:iam::123456789012:root`.
pub fn account_of_arn(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// Retries `op` while EC2 answers `DependencyViolation` (a dependent object such as the network
/// interface of a just-terminated instance is still being released), up to the wait timeout.
pub async fn retry_dependency<T, F, Fut>(ctx: &Ctx, what: &str, op: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ProviderError>>,
{
    retry_on(ctx, what, "DependencyViolation", op).await
}

/// Retries `op` (waiting for `what`) while EC2 answers the error `code`, up to the wait timeout.
pub async fn retry_on<T, F, Fut>(ctx: &Ctx, what: &str, code: &str, mut op: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ProviderError>>,
{
    crate::util::wait_for(ctx, what, || {
        let fut = op();
        async move {
            match fut.await {
                Ok(v) => Ok(Some(v)),
                Err(e) if e.code.as_deref() == Some(code) => Ok(None),
                Err(e) => Err(e),
            }
        }
    })
    .await
}

/// Deletes the object `what` ("subnet ID") with `delete`, retried while EC2 says something still
/// depends on it (the retries wait for it `to_be` free, as "to be unused"), then waits until
/// `exists` reports it gone.
pub async fn delete_when_free<D, DFut, X, XFut>(
    ctx: &Ctx,
    what: &str,
    to_be: &str,
    delete: D,
    exists: X,
) -> Result<(), ProviderError>
where
    D: FnMut() -> DFut,
    DFut: Future<Output = Result<bool, ProviderError>>,
    X: FnMut() -> XFut,
    XFut: Future<Output = Result<bool, ProviderError>>,
{
    retry_dependency(ctx, &format!("{what} {to_be}"), delete).await?;
    crate::util::wait_gone(ctx, what, exists).await
}

/// One page of an EC2 Describe call: the objects found, by id, and the next page's token.
pub type Page<T> = Result<(Vec<(String, T)>, Option<String>), ProviderError>;

/// For an EC2 type whose create takes no client token (CreateVpc, CreateSubnet,
/// CreateSecurityGroup, AllocateAddress ...; the list is in `docs/reliability.md`): the object an
/// earlier, interrupted attempt of this create made, so that the create adopts it instead of
/// making a second one. Found by one Describe filtered on the bookkeeping tags
/// ([`idempotent::ADDRESS_TAG`], [`idempotent::LINEAGE_TAG`]) with this address and lineage:
/// `page(filters, next)` is the type's Describe call with `filters` (the type may add its own,
/// such as a state), followed over pages; `tags` are an object's tags, `live` whether it can be
/// adopted (not deleting, deleted, failed). Never the object being replaced (under
/// create_before_destroy it is alive and carries the same tags). `None` when the create is not
/// tracked (no state: a provider's own tests) or nothing is found; the first by id when, against
/// every expectation, several are. The adopted object's tags are made `want` (the planned tags
/// and default_tags; the bookkeeping tags stay), since the configuration may have changed since
/// the crash; its other settings are the rest of the create's, which goes on with it.
pub async fn adoptable<T, F, Fut>(
    ctx: &Ctx,
    creating: &Creating,
    want: &BTreeMap<String, String>,
    mut page: F,
    tags: impl Fn(&T) -> &[Tag],
    live: impl Fn(&T) -> bool,
) -> Result<Option<String>, ProviderError>
where
    F: FnMut(Vec<Filter>, Option<String>) -> Fut,
    Fut: Future<Output = Page<T>>,
{
    if !creating.tracked() {
        return Ok(None);
    }
    let filter = |key: &str, value: &str| Filter::builder().name(format!("tag:{key}")).values(value).build();
    let filters = vec![
        filter(idempotent::ADDRESS_TAG, &creating.address),
        filter(idempotent::LINEAGE_TAG, &creating.lineage),
    ];
    let mut found: Vec<(String, T)> = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let (objects, token) = page(filters.clone(), next.take()).await?;
        // The tags are checked here too: an emulator may ignore a tag filter.
        found.extend(objects.into_iter().filter(|(id, o)| {
            live(o) && !creating.is_replaced(id) && creating.made(tags(o).iter().map(|t| (t.key(), t.value())))
        }));
        match token {
            Some(t) if !t.is_empty() => next = Some(t),
            _ => break,
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let Some((id, object)) = found.into_iter().next() else {
        return Ok(None);
    };
    tracing::info!(address = %creating.address, id, "adopting the object an earlier, interrupted create made");
    let have = tags_from(tags(&object).iter().map(|t| (t.key(), t.value())));
    crate::tags::sync_tags(ctx, Tagged::Ec2(&id), &have, want).await?;
    Ok(Some(id))
}

/// For the EC2 types whose identity is their content (rules, routes, associations; they carry
/// no tags of their own): after a create found its object `id` already there (`err`), `Ok` when
/// it is the planned one (`same`) and the object it belongs to, `parent` (of any kind: a group,
/// a table, an ACL, a VPC, a volume ...), carries this state's lineage — the one rule,
/// [`Creating::adopt_content_or_refuse`] — else `err` with the import hint. The parent's tag is
/// read by one DescribeTags (resource id and key filters), only when there is something to adopt.
pub async fn adopt_content(
    ctx: &Ctx,
    creating: &Creating,
    parent: &str,
    id: &str,
    same: bool,
    err: ProviderError,
) -> Result<(), ProviderError> {
    let mut tags: Option<Vec<(String, String)>> = None;
    if same && creating.tracked() {
        let filter = |name: &str, value: &str| Filter::builder().name(name).values(value).build();
        let resp = ctx
            .ec2
            .describe_tags()
            .filters(filter("resource-id", parent))
            .filters(filter("key", idempotent::LINEAGE_TAG))
            .send()
            .boxed()
            .await
            .map_err(crate::error::aws_error)?;
        tags = Some(
            resp.tags()
                .iter()
                .filter(|t| t.resource_id() == Some(parent))
                .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                .collect(),
        );
    }
    let pairs = tags
        .as_ref()
        .map(|t| t.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))));
    creating.adopt_content_or_refuse(id, same, pairs, err)
}

/// Syncs the tags on `id` from the prior state's `tags_all` to the planned `tags` (+ default_tags).
pub async fn update_tags(ctx: &Ctx, id: &str, prior: &Value, planned: &Value) -> Result<(), ProviderError> {
    crate::tags::update_tags(ctx, Tagged::Ec2(id), prior, planned)
        .await
        .map(drop)
}

/// The objects among `ids` that exist, for a Describe call that takes ids but no id filter (a
/// missing id fails the whole call): `describe_ids(ctx, ids)` of up to 200 ids a call, `None`
/// when one of them is gone; then each id of that chunk alone, a few at a time.
pub async fn describe_by_ids<T, F, Fut>(
    ctx: &Ctx,
    ids: &[String],
    describe_ids: F,
) -> Result<HashMap<String, T>, ProviderError>
where
    T: Send + 'static,
    F: Fn(Ctx, Vec<String>) -> Fut + Copy,
    Fut: Future<Output = Result<Option<Vec<(String, T)>>, ProviderError>> + Send + 'static,
{
    crate::util::describe_chunked(ctx, ids, 200, describe_ids).await
}

/// Objects by id, described with a `filter` on up to 200 of `values` a call (so a missing one is
/// simply absent), following pages: `page(filter, token)` makes one call
/// and returns the objects it found, by id, and the next page's token.
pub async fn describe_by_filter<T, F, Fut>(
    filter: &str,
    values: &[String],
    mut page: F,
) -> Result<HashMap<String, T>, ProviderError>
where
    F: FnMut(Filter, Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<(String, T)>, Option<String>), ProviderError>>,
{
    let mut out = HashMap::new();
    // EC2 accepts up to 200 values per filter.
    for chunk in values.chunks(200) {
        let mut next: Option<String> = None;
        loop {
            let f = Filter::builder().name(filter).set_values(Some(chunk.to_vec())).build();
            let (found, token) = page(f, next.take()).await?;
            out.extend(found);
            match token {
                Some(t) if !t.is_empty() => next = Some(t),
                _ => break,
            }
        }
    }
    Ok(out)
}

/// Ids of the given states (`id` attribute).
pub fn ids_of(states: &[Value]) -> Vec<String> {
    states
        .iter()
        .filter_map(|s| s.get("id").as_str().map(str::to_string))
        .collect()
}

/// The refreshed states: each state's object in `found` (by `id`), or `None` when it is gone.
pub fn by_id<T>(
    states: &[Value],
    found: &HashMap<String, T>,
    to_value: impl Fn(&T, &Value) -> Value,
) -> Vec<Option<Value>> {
    states
        .iter()
        .map(|s| {
            s.get("id")
                .as_str()
                .and_then(|id| found.get(id))
                .map(|v| to_value(v, s))
        })
        .collect()
}

/// The object `id` out of `found`, or an error with `code` and `message` when it is not there.
pub fn take<T>(mut found: HashMap<String, T>, id: &str, code: &str, message: String) -> Result<T, ProviderError> {
    found.remove(id).ok_or_else(|| ProviderError::with_code(code, message))
}

/// Waits (`what`) until `describe` finds `id` and `ready` holds for it; returns it.
pub async fn wait_found<T, F, Fut>(
    ctx: &Ctx,
    what: &str,
    id: &str,
    mut describe: F,
    ready: impl Fn(&T) -> bool,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<HashMap<String, T>, ProviderError>>,
{
    let ready = &ready;
    wait_for(ctx, what, || {
        let found = describe();
        async move { Ok(found.await?.remove(id).filter(|t| ready(t))) }
    })
    .await
}
