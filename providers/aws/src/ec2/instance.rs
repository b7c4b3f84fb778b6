//! `aws_instance`: one EC2 instance, typically a GPU node (g5, p4d, p5 ...).
//!
//! Refresh is batched: one DescribeInstances with an `instance-id` filter per 200 instances, so
//! refreshing a fleet costs one call per 200 nodes instead of one per node, plus one
//! DescribeIamInstanceProfileAssociations per 200 for the instance profiles (the association is
//! what AssociateIamInstanceProfile changes, and not every emulator reports the profile in
//! DescribeInstances). An instance that is shutting down or terminated counts as gone.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{
    HttpTokensState, IamInstanceProfileAssociationState, IamInstanceProfileSpecification, InstanceAttributeName,
    InstanceMetadataEndpointState, InstanceMetadataOptionsRequest, InstanceMetadataProtocolState,
    InstanceMetadataTagsState, InstanceNetworkInterfaceSpecification, InstanceType, LaunchTemplateSpecification,
    Placement, ResourceType, RunInstancesMonitoringEnabled, Tenancy,
};
use futures::FutureExt as _;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Severity,
    Type, Value,
};

use super::{
    block_device, describe_by_filter, instance_options, plan_with_tags, tag_spec, tag_values, take, update_tags,
};
use crate::error::{aws_error, is_not_found};
use crate::idempotent::Creating;
use crate::tags::with_tags;
use crate::util::{list_of_strings, opt_str, opt_string, req_str, str_list, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct Instance;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    launch_schema(
        "An EC2 instance, such as a GPU training node (p4d.24xlarge, p5.48xlarge, g5.xlarge). Apply waits until \
         it is running; destroy waits until it is terminated. Import with the instance id (i-...).",
        Launch::Instance,
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The instance id (i-...)."),
    )
    .block(
        "metadata_options",
        BlockSchema {
            nesting: Nesting::Single,
            schema: Schema::new("The instance metadata service (IMDS). Updated in place.")
                .attr(
                    "http_endpoint",
                    Attribute::optional_computed(Type::String)
                        .describe("enabled (the default) or disabled: whether IMDS answers at all."),
                )
                .attr(
                    "http_tokens",
                    Attribute::optional_computed(Type::String).describe(
                        "required (IMDSv2 only, the recommended setting) or optional (AWS's default for older \
                         AMIs).",
                    ),
                )
                .attr(
                    "http_put_response_hop_limit",
                    Attribute::optional_computed(Type::Number)
                        .describe("Hops the IMDSv2 token may travel, 1 to 64 (2 lets containers reach IMDS)."),
                )
                .attr(
                    "http_protocol_ipv6",
                    Attribute::optional_computed(Type::String)
                        .describe("enabled or disabled (the default): IMDS on its IPv6 address."),
                )
                .attr(
                    "instance_metadata_tags",
                    Attribute::optional_computed(Type::String)
                        .describe("enabled or disabled (the default): the instance's tags in IMDS."),
                ),
            min_items: 0,
            max_items: Some(1),
            force_new: false,
        },
    )
    .block(
        "launch_template",
        BlockSchema {
            nesting: Nesting::Single,
            schema: Schema::new("The launch template to start from (a change replaces the instance).")
                .attr(
                    "id",
                    Attribute::optional(Type::String).describe("Template id (lt-...); or give name."),
                )
                .attr(
                    "name",
                    Attribute::optional(Type::String).describe("Template name; or give id."),
                )
                .attr(
                    "version",
                    Attribute::optional(Type::String).describe("Version number, $Latest or $Default (the default)."),
                ),
            min_items: 0,
            max_items: Some(1),
            force_new: true,
        },
    )
    .identity(&["id"])
});

/// Which type a launch schema is for: `aws_instance` changes some arguments in place;
/// `aws_spot_instance_request` (Terraform's schema is aws_instance's with every argument but the
/// tags force-new) replaces the request, and so its instance, on any change.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Launch {
    Instance,
    SpotRequest,
}

/// The arguments and computed attributes of an instance launch, which `aws_instance` and
/// `aws_spot_instance_request` share (with the tags and the arguments Plinth does not send yet);
/// each type adds its `id` and what only it has.
pub(crate) fn launch_schema(description: &str, kind: Launch) -> Schema {
    let spot = kind == Launch::SpotRequest;
    // An argument aws_instance updates in place: force-new on a spot request, whose description
    // then leaves out the in-place note.
    let in_place = |a: Attribute, text: &str, note: &str| {
        if spot {
            a.force_new().describe(text)
        } else {
            a.describe(&format!("{text} {note}"))
        }
    };
    let what = match kind {
        Launch::Instance => "the instance",
        Launch::SpotRequest => "the request and its instance",
    };
    let mut root = block_device::root_block();
    if spot {
        root.schema.description = "The root volume. Any change replaces the request and its instance.".into();
        for a in root.schema.attributes.values_mut().filter(|a| a.optional) {
            a.force_new = true;
        }
    }
    let unsupported = match kind {
        Launch::Instance => {
            "Plinth's aws_instance does not send this setting yet: leave it out (AWS's default applies), or put it \
             in an aws_launch_template and start the instance from it (launch_template block) once the template \
             supports it"
        }
        Launch::SpotRequest => {
            "Plinth's aws_spot_instance_request does not send this setting yet: leave it out (AWS's default applies)"
        }
    };
    let unsupported_block = match kind {
        Launch::Instance => {
            "Plinth's aws_instance does not send this block yet: leave it out (the AMI's and AWS's \
                             defaults apply)"
        }
        Launch::SpotRequest => {
            "Plinth's aws_spot_instance_request does not send this block yet: leave it out (the \
                                AMI's and AWS's defaults apply)"
        }
    };
    let s = with_tags(
        Schema::new(description)
            .attr(
                "ami",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe(match kind {
                        Launch::Instance => "The AMI to launch; may come from launch_template instead.",
                        Launch::SpotRequest => "The AMI to launch.",
                    }),
            )
            .attr(
                "instance_type",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe(&format!(
                        "Instance type, such as g5.xlarge or p4d.24xlarge{}. A change replaces {what}{}.",
                        if spot { "" } else { "; may come from launch_template" },
                        if spot {
                            ""
                        } else {
                            " (AWS could stop, modify and start it; Plinth keeps it simple and replaces)"
                        }
                    )),
            )
            .attr(
                "subnet_id",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe("Subnet to launch in; a default subnet when left out."),
            )
            .attr(
                "availability_zone",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe("Availability zone; follows the subnet when left out."),
            )
            .attr(
                "vpc_security_group_ids",
                in_place(
                    Attribute::optional_computed(Type::Set(Box::new(Type::String))),
                    "Security group ids.",
                    "Updated in place.",
                ),
            )
            .attr(
                "key_name",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe("Name of the EC2 key pair for SSH."),
            )
            .attr(
                "user_data",
                Attribute::optional(Type::String).force_new().describe(&format!(
                    "User data (plain text; Plinth base64-encodes it). A change replaces {what}. Refresh does not \
                     read it back (that would cost one call per instance): it is kept as last applied."
                )),
            )
            .attr("arn", Attribute::computed(Type::String).describe("The instance ARN."))
            .attr(
                "private_ip",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe("Private IPv4 address; chosen from the subnet when left out."),
            )
            .attr(
                "iam_instance_profile",
                in_place(
                    Attribute::optional_computed(Type::String),
                    "Name of the IAM instance profile the instance runs with (its role's credentials).",
                    "A change is applied in place (the association is replaced); removing it from the \
                     configuration keeps the current profile.",
                ),
            )
            .attr(
                "associate_public_ip_address",
                Attribute::optional_computed(Type::Bool).force_new().describe(
                    "Give the instance a public IPv4 address (default: the subnet's map_public_ip_on_launch). Read \
                     back as whether it has one.",
                ),
            )
            .attr(
                "monitoring",
                in_place(
                    Attribute::optional_computed(Type::Bool),
                    "Detailed (one-minute) CloudWatch monitoring (default false).",
                    "Updated in place.",
                ),
            )
            .attr(
                "ebs_optimized",
                Attribute::optional_computed(Type::Bool).force_new().describe(&format!(
                    "Launch EBS-optimized (most current types always are). A change replaces {what}{}.",
                    if spot {
                        ""
                    } else {
                        " (Terraform stops and starts it instead)"
                    }
                )),
            )
            .attr(
                "public_ip",
                Attribute::computed(Type::String).describe("Public IPv4 address, if any."),
            )
            .attr(
                "private_dns",
                Attribute::computed(Type::String).describe("Private DNS name."),
            )
            .attr(
                "public_dns",
                Attribute::computed(Type::String).describe("Public DNS name, if any."),
            )
            .attr(
                "instance_state",
                Attribute::computed(Type::String).describe("pending, running, stopping, stopped ..."),
            )
            .attr(
                "placement_group",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe("The placement group to launch in (cluster groups put GPU nodes close together)."),
            )
            .attr(
                "tenancy",
                Attribute::optional_computed(Type::String)
                    .force_new()
                    .describe("default, dedicated or host."),
            )
            .attr(
                "source_dest_check",
                in_place(
                    Attribute::optional_computed(Type::Bool),
                    "Whether traffic must be addressed to or from the instance (default true; false for NAT or \
                     routing instances).",
                    "Updated in place.",
                ),
            )
            .attr(
                "security_groups",
                Attribute::optional_computed(Type::Set(Box::new(Type::String)))
                    .force_new()
                    .describe(
                        "Security group names (the default VPC's way; elsewhere use vpc_security_group_ids). Read back \
                     only when set.",
                    ),
            )
            .attr(
                "user_data_base64",
                Attribute::optional(Type::String)
                    .force_new()
                    .describe("User data already base64-encoded (for binary data); instead of user_data."),
            )
            .attr(
                "user_data_replace_on_change",
                Attribute::optional(Type::Bool).describe(&format!(
                    "Plinth always replaces {what} when the user data changes, as Terraform does with true; false \
                     (update the user data of a stopped instance) is not supported."
                )),
            )
            .block(block_device::ROOT, root)
            .block(block_device::EBS, block_device::ebs_blocks()),
    );
    // What only aws_instance sends (RequestSpotInstances has no place for it) is unsupported on
    // the spot request.
    let (s, spot_only_attrs, spot_only_blocks): (Schema, &[&str], &[&str]) = match kind {
        Launch::Instance => (instance_options::schema(s), &[], &[]),
        Launch::SpotRequest => (s, instance_options::ATTRIBUTES, instance_options::BLOCKS),
    };
    let attrs = [
        "enable_primary_ipv6",
        "force_destroy",
        "get_password_data",
        "host_id",
        "host_resource_group_arn",
        "ipv6_address_count",
        "ipv6_addresses",
        "placement_partition_number",
        "secondary_private_ips",
    ];
    let blocks = [
        "capacity_reservation_specification",
        "enclave_options",
        "ephemeral_block_device",
        "instance_market_options",
        "maintenance_options",
        "network_interface",
        "primary_network_interface",
        "private_dns_name_options",
    ];
    let attrs: Vec<&str> = attrs.iter().chain(spot_only_attrs).copied().collect();
    let blocks: Vec<&str> = blocks.iter().chain(spot_only_blocks).copied().collect();
    s.unsupported_all(&attrs, unsupported)
        .unsupported_blocks(&blocks, unsupported_block)
}

/// Instances by id, each with its reservation's owner.
type Found = HashMap<String, (String, aws_sdk_ec2::types::Instance)>;

/// An instance's profile association: its id and the profile's name.
type Profiles = HashMap<String, (String, String)>;

/// The name of an instance profile from its ARN (`arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME`).
fn profile_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The current instance profile associations of `ids`, one call per 200 instances.
async fn profiles(ctx: &Ctx, ids: &[String]) -> Result<Profiles, ProviderError> {
    describe_by_filter("instance-id", ids, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_iam_instance_profile_associations()
            .filters(filter)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .iam_instance_profile_associations()
            .iter()
            .filter(|a| {
                a.state()
                    .is_none_or(|s| *s == IamInstanceProfileAssociationState::Associated)
            })
            .filter_map(|a| {
                let arn = a.iam_instance_profile()?.arn()?;
                Some((
                    a.instance_id()?.to_string(),
                    (
                        a.association_id().unwrap_or_default().to_string(),
                        profile_name(arn).to_string(),
                    ),
                ))
            })
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

/// The `metadata_options` block: read when the configuration manages it (or on import).
fn metadata_value(i: &aws_sdk_ec2::types::Instance, prior: &Value) -> Value {
    if prior.get("metadata_options").is_null() {
        return Value::Null;
    }
    let Some(m) = i.metadata_options() else {
        return Value::Null;
    };
    Value::object([
        ("http_endpoint", opt_string(m.http_endpoint().map(|v| v.as_str()))),
        ("http_tokens", opt_string(m.http_tokens().map(|v| v.as_str()))),
        (
            "http_put_response_hop_limit",
            m.http_put_response_hop_limit()
                .map_or(Value::Null, |n| Value::int(i64::from(n))),
        ),
        (
            "http_protocol_ipv6",
            opt_string(m.http_protocol_ipv6().map(|v| v.as_str())),
        ),
        (
            "instance_metadata_tags",
            opt_string(m.instance_metadata_tags().map(|v| v.as_str())),
        ),
    ])
}

fn metadata_request(planned: &Value) -> Option<InstanceMetadataOptionsRequest> {
    let m = planned.get("metadata_options");
    m.as_map()?;
    Some(
        InstanceMetadataOptionsRequest::builder()
            .set_http_endpoint(opt_str(m, "http_endpoint").map(|v| InstanceMetadataEndpointState::from(v.as_str())))
            .set_http_tokens(opt_str(m, "http_tokens").map(|v| HttpTokensState::from(v.as_str())))
            .set_http_put_response_hop_limit(
                m.get("http_put_response_hop_limit")
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok()),
            )
            .set_http_protocol_ipv6(
                opt_str(m, "http_protocol_ipv6").map(|v| InstanceMetadataProtocolState::from(v.as_str())),
            )
            .set_instance_metadata_tags(
                opt_str(m, "instance_metadata_tags").map(|v| InstanceMetadataTagsState::from(v.as_str())),
            )
            .build(),
    )
}

/// A block that is optional and computed, as Terraform's: left out of the configuration, it keeps
/// what the state has (not managed, never removed); sub-arguments left out keep their value
/// (update), or are unknown until AWS says (create, or a block newly configured).
fn fill_block(planned: &mut Value, prior: Option<&Value>, name: &str) {
    let Value::Map(top) = planned else { return };
    let before = prior.map(|p| p.get(name)).filter(|b| b.as_map().is_some());
    let Some(slot) = top.get_mut(name) else { return };
    if slot.is_null() {
        if let Some(b) = before {
            *slot = b.clone();
        }
        return;
    }
    let Value::Map(block) = slot else { return };
    for (k, v) in block.iter_mut() {
        if v.is_null() {
            *v = before.map_or(Value::Unknown, |b| b.get(k).clone());
        }
    }
}

fn gone(i: &aws_sdk_ec2::types::Instance) -> bool {
    matches!(
        i.state().and_then(|s| s.name()).map(|n| n.as_str()),
        Some("terminated" | "shutting-down")
    )
}

fn state_of(i: &aws_sdk_ec2::types::Instance) -> &str {
    i.state()
        .and_then(|s| s.name())
        .map(|n| n.as_str())
        .unwrap_or("unknown")
}

/// One DescribeInstances per 200 ids (an `instance-id` filter, so missing ids are simply absent;
/// the `InstanceIds` parameter would fail the whole call for one missing id).
pub(super) async fn describe(ctx: &Ctx, ids: &[String]) -> Result<Found, ProviderError> {
    describe_by_filter("instance-id", ids, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_instances()
            .filters(filter)
            .max_results(1000)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let mut found = Vec::new();
        for r in resp.reservations() {
            let owner = r.owner_id().unwrap_or_default();
            for i in r.instances() {
                if let Some(id) = i.instance_id() {
                    found.push((id.to_string(), (owner.to_string(), i.clone())));
                }
            }
        }
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

fn nonempty(s: Option<&str>) -> Value {
    opt_string(s.filter(|s| !s.is_empty()))
}

/// The `launch_template` block: as configured when the state has one; otherwise (import) from
/// the `aws:ec2launchtemplate:*` tags AWS puts on instances launched from a template.
fn launch_template_value(i: &aws_sdk_ec2::types::Instance, prior: &Value) -> Value {
    let configured = prior.get("launch_template");
    if !configured.is_null() {
        return configured.clone();
    }
    let tag = |k: &str| {
        i.tags()
            .iter()
            .find(|t| t.key() == Some(k))
            .and_then(|t| t.value())
            .map(str::to_string)
    };
    match tag("aws:ec2launchtemplate:id") {
        Some(id) => Value::object([
            ("id", string(id)),
            ("name", Value::Null),
            ("version", opt_string(tag("aws:ec2launchtemplate:version"))),
        ]),
        None => Value::Null,
    }
}

/// What refresh reads beside the instance itself: its profile association and its volumes.
struct Extra<'a> {
    profile: Option<&'a str>,
    volumes: &'a Volumes,
    options: &'a instance_options::Live,
}

type Volumes = HashMap<String, aws_sdk_ec2::types::Volume>;

fn to_value(ctx: &Ctx, owner: &str, i: &aws_sdk_ec2::types::Instance, extra: Extra<'_>, prior: &Value) -> Value {
    let Extra {
        profile,
        volumes,
        options,
    } = extra;
    let id = i.instance_id().unwrap_or_default().to_string();
    let (root, ebs) = block_device::values(i, volumes, prior);
    let placement = i.placement();
    // Group names are read back only when the configuration manages them.
    let names = match prior.get("security_groups").as_list() {
        Some(l) if !l.is_empty() => {
            let mut n: Vec<String> = i
                .security_groups()
                .iter()
                .filter_map(|g| g.group_name().map(str::to_string))
                .collect();
            n.sort();
            list_of_strings(n)
        }
        _ => Value::List(Vec::new()),
    };
    let (tags, tags_all) = tag_values(ctx, i.tags(), prior);
    // The instance's groups, and those of its primary interface (where a launch that described
    // the interface, for associate_public_ip_address, put them).
    let primary = i
        .network_interfaces()
        .iter()
        .filter(|n| n.attachment().and_then(|a| a.device_index()) == Some(0))
        .flat_map(|n| n.groups());
    let mut sgs: Vec<String> = i
        .security_groups()
        .iter()
        .chain(primary)
        .filter_map(|g| g.group_id().map(str::to_string))
        .collect();
    sgs.sort();
    sgs.dedup();
    let mut fields = vec![
        ("id", string(&id)),
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{}:instance/{}", ctx.region, owner, id)),
        ),
        ("ami", opt_string(i.image_id())),
        (
            "instance_type",
            opt_string(i.instance_type().map(|t| t.as_str().to_string())),
        ),
        ("subnet_id", nonempty(i.subnet_id())),
        (
            "availability_zone",
            nonempty(i.placement().and_then(|p| p.availability_zone())),
        ),
        ("vpc_security_group_ids", list_of_strings(sgs)),
        ("key_name", nonempty(i.key_name())),
        ("user_data", prior.get("user_data").clone()),
        ("user_data_base64", prior.get("user_data_base64").clone()),
        (
            "user_data_replace_on_change",
            prior.get("user_data_replace_on_change").clone(),
        ),
        ("placement_group", nonempty(placement.and_then(|p| p.group_name()))),
        (
            "tenancy",
            opt_string(placement.and_then(|p| p.tenancy()).map(|t| t.as_str().to_string())),
        ),
        ("source_dest_check", Value::Bool(i.source_dest_check().unwrap_or(true))),
        ("security_groups", names),
        (block_device::ROOT, root),
        (block_device::EBS, ebs),
        ("launch_template", launch_template_value(i, prior)),
        ("private_ip", nonempty(i.private_ip_address())),
        (
            "iam_instance_profile",
            // The association is what (Replace)IamInstanceProfileAssociation changes.
            opt_string(profile.or_else(|| i.iam_instance_profile().and_then(|p| p.arn()).map(profile_name))),
        ),
        (
            "associate_public_ip_address",
            Value::Bool(i.public_ip_address().is_some_and(|p| !p.is_empty())),
        ),
        (
            "monitoring",
            Value::Bool(matches!(
                i.monitoring().and_then(|m| m.state()).map(|s| s.as_str()),
                Some("enabled" | "pending")
            )),
        ),
        ("ebs_optimized", Value::Bool(i.ebs_optimized().unwrap_or(false))),
        ("metadata_options", metadata_value(i, prior)),
        ("public_ip", nonempty(i.public_ip_address())),
        ("private_dns", nonempty(i.private_dns_name())),
        ("public_dns", nonempty(i.public_dns_name())),
        ("instance_state", string(state_of(i))),
        ("tags", tags),
        ("tags_all", tags_all),
    ];
    // The settings only aws_instance has (the spot request takes what its schema has).
    fields.extend(instance_options::values(i, volumes, options, prior));
    Value::object(fields)
}

/// The instance's value as it is now (instance and profile association).
async fn live_value(ctx: &Ctx, id: &str, prior: &Value) -> Result<Value, ProviderError> {
    let found = instance_values(ctx, &[(id.to_string(), prior)]).await?;
    take(found, id, "InvalidInstanceID.NotFound", format!("no instance {id}"))
}

/// The values of the live instances among `wanted` (an instance id and the prior state it is
/// read against), by id: one DescribeInstances and one DescribeIamInstanceProfileAssociations
/// per 200 instances, plus DescribeVolumes for those whose state manages their volumes. An
/// instance that is shutting down or terminated is left out.
pub(crate) async fn instance_values(
    ctx: &Ctx,
    wanted: &[(String, &Value)],
) -> Result<HashMap<String, Value>, ProviderError> {
    let ids: Vec<String> = wanted.iter().map(|(id, _)| id.clone()).collect();
    let mut found = describe(ctx, &ids).await?;
    found.retain(|_, (_, i)| !gone(i));
    let live: Vec<String> = ids.into_iter().filter(|id| found.contains_key(id)).collect();
    let profiles = profiles(ctx, &live).await?;
    let live_wanted: Vec<(&aws_sdk_ec2::types::Instance, &Value)> = wanted
        .iter()
        .filter_map(|(id, prior)| found.get(id).map(|(_, i)| (i, *prior)))
        .collect();
    let volumes = volumes_of(ctx, live_wanted.iter().copied()).await?;
    let options = instance_options::read(ctx, &live_wanted).await?;
    Ok(wanted
        .iter()
        .filter_map(|(id, prior)| {
            let (owner, i) = found.get(id)?;
            let extra = Extra {
                profile: profiles.get(id).map(|(_, n)| n.as_str()),
                volumes: &volumes,
                options: &options,
            };
            Some((id.clone(), to_value(ctx, owner, i, extra, prior)))
        })
        .collect())
}

/// Terminates the instance `id` and waits until it is terminated (an already missing one is
/// fine).
pub(crate) async fn terminate(ctx: &Ctx, id: &str) -> Result<(), ProviderError> {
    match ctx.ec2.terminate_instances().instance_ids(id).send().boxed().await {
        Ok(_) => {}
        Err(e) if is_not_found(&e) => return Ok(()),
        Err(e) => return Err(aws_error(e)),
    }
    let ids = vec![id.to_string()];
    wait_for(ctx, &format!("instance {id} to be terminated"), || async {
        let found = describe(ctx, &ids).await?;
        Ok(match found.get(id) {
            None => Some(()),
            Some((_, i)) if state_of(i) == "terminated" => Some(()),
            Some(_) => None,
        })
    })
    .await
}

/// The prior an import of the instance `id` is read against: its user data, read once so that
/// a configuration with the same user_data does not plan a replacement, and markers that make
/// the read take the live metadata options and volumes.
pub(crate) async fn import_prior(ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
    // User data is not in DescribeInstances.
    let user_data = ctx
        .ec2
        .describe_instance_attribute()
        .instance_id(id)
        .attribute(InstanceAttributeName::UserData)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?
        .user_data()
        .and_then(|u| u.value())
        .and_then(|b| aws_smithy_types::base64::decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|s| !s.is_empty());
    Ok(Value::object(
        [
            ("user_data", opt_string(user_data)),
            ("metadata_options", Value::Map(Default::default())),
        ]
        .into_iter()
        .chain(block_device::import_marker())
        .chain(instance_options::import_marker()),
    ))
}

/// Checks of a launch's configuration that need no call to AWS (`type_name` names the type in
/// the messages).
pub(crate) fn validate_launch(type_name: &str, config: &Value) -> Vec<ProviderDiagnostic> {
    let mut out = Vec::new();
    let mut error = |attr: &str, summary: &str, detail: &str| {
        out.push(ProviderDiagnostic {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            attribute: Some(plinth_sdk::AttrPath::attr(attr)),
        })
    };
    let templated = type_name == "aws_instance";
    if config.get("ami").is_null() && config.get("launch_template").is_null() {
        error(
            "ami",
            &format!("{type_name} needs an AMI"),
            if templated {
                "Set ami, or a launch_template block whose template has an image_id."
            } else {
                "Set ami."
            },
        );
    }
    if config.get("user_data_replace_on_change").as_bool() == Some(false) {
        error(
            "user_data_replace_on_change",
            "user_data_replace_on_change = false is not supported",
            "Plinth replaces the instance when its user data changes; remove the argument or set it to true.",
        );
    }
    if !config.get("user_data").is_null() && !config.get("user_data_base64").is_null() {
        error(
            "user_data_base64",
            "user_data and user_data_base64 are both set",
            "Give the user data once: user_data for text, user_data_base64 for base64-encoded data.",
        );
    }
    if config.get(block_device::ROOT).as_map().is_some() && config.get("ami").is_null() {
        error(
            block_device::ROOT,
            "root_block_device needs ami",
            "The root volume is the AMI's: set ami, or put the volume in the launch template's \
             block_device_mappings.",
        );
    }
    let lt = config.get("launch_template");
    if !lt.is_null() && !lt.is_unknown() && lt.get("id").is_null() && lt.get("name").is_null() {
        error(
            "launch_template",
            "launch_template needs id or name",
            "Give the template's id (lt-...) or its name.",
        );
    }
    out
}

/// The planning steps of a launch beyond the standard rule: the computed blocks keep what the
/// state has, and the volume blocks judge their own replacement.
pub(crate) fn plan_launch(resp: &mut PlanResponse, req: &PlanRequest) {
    fill_block(&mut resp.planned, req.prior.as_ref(), "metadata_options");
    for name in instance_options::BLOCKS {
        fill_block(&mut resp.planned, req.prior.as_ref(), name);
    }
    fill_block(&mut resp.planned, req.prior.as_ref(), block_device::ROOT);
    block_device::fill_ebs(&mut resp.planned, req.prior.as_ref());
    resp.requires_replace
        .extend(block_device::root_replace_paths(&resp.planned, req.prior.as_ref()));
    resp.requires_replace
        .extend(instance_options::cpu_replace_paths(&resp.planned, req.prior.as_ref()));
    resp.requires_replace
        .extend(block_device::ebs_replace_paths(&req.config, req.prior.as_ref()));
}

/// The user data to send, base64-encoded.
pub(crate) fn user_data(planned: &Value) -> Option<String> {
    opt_str(planned, "user_data")
        .map(aws_smithy_types::base64::encode)
        .or_else(|| opt_str(planned, "user_data_base64"))
}

/// The `security_groups` names to send, if any.
pub(crate) fn security_group_names(planned: &Value) -> Option<Vec<String>> {
    let names = str_list(planned, "security_groups");
    (!names.is_empty()).then_some(names)
}

pub(crate) fn profile_spec(planned: &Value) -> Option<IamInstanceProfileSpecification> {
    opt_str(planned, "iam_instance_profile").map(|n| IamInstanceProfileSpecification::builder().name(n).build())
}

pub(crate) fn monitoring_spec(planned: &Value) -> Option<RunInstancesMonitoringEnabled> {
    planned
        .get("monitoring")
        .as_bool()
        .map(|on| RunInstancesMonitoringEnabled::builder().enabled(on).build())
}

/// The primary network interface (device 0), described with the subnet, security groups,
/// private IP and public address choice: how a launch asks for a public address or not.
pub(crate) fn primary_interface(planned: &Value) -> InstanceNetworkInterfaceSpecification {
    let sgs = str_list(planned, "vpc_security_group_ids");
    InstanceNetworkInterfaceSpecification::builder()
        .device_index(0)
        .set_associate_public_ip_address(planned.get("associate_public_ip_address").as_bool())
        .set_subnet_id(opt_str(planned, "subnet_id"))
        .set_groups((!sgs.is_empty()).then_some(sgs))
        .set_private_ip_address(opt_str(planned, "private_ip"))
        .build()
}

/// The volumes of the instances whose state manages their block devices, in one DescribeVolumes
/// per 200 volumes (none when no instance manages them).
async fn volumes_of<'a>(
    ctx: &Ctx,
    instances: impl IntoIterator<Item = (&'a aws_sdk_ec2::types::Instance, &'a Value)>,
) -> Result<Volumes, ProviderError> {
    let ids: Vec<String> = instances
        .into_iter()
        .filter(|(_, prior)| block_device::managed(prior) || instance_options::needs_volumes(prior))
        .flat_map(|(i, _)| block_device::volume_ids(i))
        .collect();
    if ids.is_empty() {
        return Ok(Volumes::new());
    }
    block_device::volumes(ctx, &ids).await
}

pub(crate) async fn set_source_dest_check(ctx: &Ctx, id: &str, on: bool) -> Result<(), ProviderError> {
    ctx.ec2
        .modify_instance_attribute()
        .instance_id(id)
        .source_dest_check(aws_sdk_ec2::types::AttributeBooleanValue::builder().value(on).build())
        .send()
        .boxed()
        .await
        .map_err(aws_error)
        .map(drop)
}

#[async_trait]
impl AwsResource for Instance {
    fn type_name(&self) -> &'static str {
        "aws_instance"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        validate_launch("aws_instance", config)
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = plan_with_tags(&SCHEMA, ctx, req);
        plan_launch(&mut resp, req);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash: an instance an earlier attempt launched for this address and
    /// state (found by its bookkeeping tags, running or pending, and not the instance this one
    /// replaces) is adopted; otherwise RunInstances goes with a client token derived from the
    /// planned change, so that a retried call (the SDK's, or the next apply's) launches nothing
    /// new. A token answered with a terminated instance (used by an instance deleted since) or
    /// with the instance being replaced (a replacement with the same values): the next
    /// generation's token is used instead (`Creating::with_token`).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let id = match adoptable(ctx, planned, creating).await? {
            Some(id) => id,
            None => launch(ctx, planned, creating).await?,
        };
        running(ctx, planned, &id).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let want = planned.get("vpc_security_group_ids");
        if want.as_list().is_some_and(|l| !l.is_empty())
            && !plinth_sdk::plan::same(want, prior.get("vpc_security_group_ids"))
        {
            ctx.ec2
                .modify_instance_attribute()
                .instance_id(&id)
                .set_groups(Some(str_list(planned, "vpc_security_group_ids")))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if let Some(want) = opt_str(planned, "iam_instance_profile")
            && opt_str(prior, "iam_instance_profile").as_deref() != Some(want.as_str())
        {
            let spec = IamInstanceProfileSpecification::builder().name(&want).build();
            match profiles(ctx, std::slice::from_ref(&id)).await?.remove(&id) {
                Some((association, _)) => {
                    ctx.ec2
                        .replace_iam_instance_profile_association()
                        .association_id(association)
                        .iam_instance_profile(spec)
                        .send()
                        .boxed()
                        .await
                        .map_err(aws_error)?;
                }
                None => {
                    ctx.ec2
                        .associate_iam_instance_profile()
                        .instance_id(&id)
                        .iam_instance_profile(spec)
                        .send()
                        .boxed()
                        .await
                        .map_err(aws_error)?;
                }
            }
        }
        match (planned.get("monitoring").as_bool(), prior.get("monitoring").as_bool()) {
            (Some(true), have) if have != Some(true) => {
                ctx.ec2
                    .monitor_instances()
                    .instance_ids(&id)
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
            }
            (Some(false), have) if have != Some(false) => {
                ctx.ec2
                    .unmonitor_instances()
                    .instance_ids(&id)
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
            }
            _ => {}
        }
        let want_md = planned.get("metadata_options");
        if want_md.as_map().is_some()
            && !plinth_sdk::plan::same(want_md, prior.get("metadata_options"))
            && let Some(m) = metadata_request(planned)
        {
            ctx.ec2
                .modify_instance_metadata_options()
                .instance_id(&id)
                .set_http_endpoint(m.http_endpoint().cloned())
                .set_http_tokens(m.http_tokens().cloned())
                .set_http_put_response_hop_limit(m.http_put_response_hop_limit())
                .set_http_protocol_ipv6(m.http_protocol_ipv6().cloned())
                .set_instance_metadata_tags(m.instance_metadata_tags().cloned())
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if let Some(want) = planned.get("source_dest_check").as_bool()
            && prior.get("source_dest_check").as_bool() != Some(want)
        {
            set_source_dest_check(ctx, &id, want).await?;
        }
        block_device::update_root(ctx, &id, prior, planned).await?;
        instance_options::update(ctx, &id, prior, planned).await?;
        update_tags(ctx, &id, prior, planned).await?;
        live_value(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        match instance_options::unprotect(ctx, &id, prior).await {
            Err(e) if e.code.as_deref() == Some("InvalidInstanceID.NotFound") => return Ok(()),
            r => r?,
        }
        terminate(ctx, &id).await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let wanted: Vec<(String, &Value)> = states
            .iter()
            .filter_map(|s| Some((s.get("id").as_str()?.to_string(), s)))
            .collect();
        let found = instance_values(ctx, &wanted).await?;
        Ok(states
            .iter()
            .map(|s| found.get(s.get("id").as_str()?).cloned())
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let prior = import_prior(ctx, id).await?;
        live_value(ctx, id, &prior).await
    }
}

/// The instance an earlier, crashed attempt of this create launched ([`super::adoptable`]):
/// running or pending, tagged with this address and lineage, and not the instance being
/// replaced.
async fn adoptable(ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Option<String>, ProviderError> {
    let want = ctx.merged_tags(planned.get("tags"));
    let page = |filters: Vec<aws_sdk_ec2::types::Filter>, next: Option<String>| async move {
        let state = aws_sdk_ec2::types::Filter::builder()
            .name("instance-state-name")
            .values("pending")
            .values("running")
            .build();
        let resp = ctx
            .ec2
            .describe_instances()
            .set_filters(Some(filters))
            .filters(state)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .reservations()
            .iter()
            .flat_map(|r| r.instances())
            .filter_map(|i| Some((i.instance_id()?.to_string(), i.clone())))
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    };
    super::adoptable(
        ctx,
        creating,
        &want,
        page,
        |i: &aws_sdk_ec2::types::Instance| i.tags(),
        |i| !gone(i),
    )
    .await
}

/// RunInstances for `planned`, with the bookkeeping tags and the client token; the new instance's id.
async fn launch(ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<String, ProviderError> {
    let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
    let sgs = str_list(planned, "vpc_security_group_ids");
    let mut req = ctx
        .ec2
        .run_instances()
        .min_count(1)
        .max_count(1)
        .set_image_id(opt_str(planned, "ami"))
        .set_instance_type(opt_str(planned, "instance_type").map(|t| InstanceType::from(t.as_str())))
        .set_key_name(opt_str(planned, "key_name"))
        .set_user_data(user_data(planned))
        .set_security_groups(security_group_names(planned))
        .set_block_device_mappings(block_device::mappings(ctx, planned).await?)
        .set_iam_instance_profile(profile_spec(planned))
        .set_ebs_optimized(planned.get("ebs_optimized").as_bool())
        .set_monitoring(monitoring_spec(planned))
        .set_metadata_options(metadata_request(planned));
    req = instance_options::run_request(req, planned);
    // A public address is a property of the primary network interface: asking for one (or
    // not) means describing that interface, which then carries the subnet, groups and IP.
    match planned.get("associate_public_ip_address").as_bool() {
        Some(_) => req = req.network_interfaces(primary_interface(planned)),
        None => {
            req = req
                .set_subnet_id(opt_str(planned, "subnet_id"))
                .set_security_group_ids((!sgs.is_empty()).then_some(sgs))
                .set_private_ip_address(opt_str(planned, "private_ip"));
        }
    }
    let (az, group, tenancy) = (
        opt_str(planned, "availability_zone"),
        opt_str(planned, "placement_group"),
        opt_str(planned, "tenancy"),
    );
    if az.is_some() || group.is_some() || tenancy.is_some() {
        req = req.placement(
            Placement::builder()
                .set_availability_zone(az)
                .set_group_name(group)
                .set_tenancy(tenancy.map(|t| Tenancy::from(t.as_str())))
                .build(),
        );
    }
    let lt = planned.get("launch_template");
    if !lt.is_null() {
        req = req.launch_template(
            LaunchTemplateSpecification::builder()
                .set_launch_template_id(opt_str(lt, "id"))
                .set_launch_template_name(opt_str(lt, "name"))
                .set_version(opt_str(lt, "version"))
                .build(),
        );
    }
    if let Some(spec) = tag_spec(ResourceType::Instance, &tags) {
        req = req.tag_specifications(spec);
    }
    if let Some(spec) = tag_spec(ResourceType::Volume, &instance_options::volume_tags(planned)) {
        req = req.tag_specifications(spec);
    }
    creating
        .with_token(planned, "RunInstances", |token| {
            let req = req.clone().client_token(token);
            async move {
                let resp = req.send().boxed().await.map_err(aws_error)?;
                let Some(i) = resp.instances().first() else {
                    return Err(ProviderError::new("RunInstances returned no instance"));
                };
                let id = i
                    .instance_id()
                    .ok_or_else(|| ProviderError::new("RunInstances returned no instance id"))?;
                Ok((id.to_string(), gone(i)))
            }
        })
        .await
}

/// Waits until the instance `id` launched for `planned` runs, then reads it.
async fn running(ctx: &Ctx, planned: &Value, id: &str) -> Result<Value, ProviderError> {
    let id = id.to_string();
    let ids = vec![id.clone()];
    let (owner, inst) = wait_for(ctx, &format!("instance {id} to be running"), || async {
        let mut found = describe(ctx, &ids).await?;
        match found.remove(&id) {
            Some((o, i)) if state_of(&i) == "running" => Ok(Some((o, i))),
            Some((_, i)) if gone(&i) || state_of(&i) == "stopped" => Err(ProviderError::with_code(
                "InstanceLaunchFailed",
                format!(
                    "instance {id} went to {} instead of running: {}",
                    state_of(&i),
                    i.state_reason().and_then(|r| r.message()).unwrap_or("no reason given")
                ),
            )),
            _ => Ok(None),
        }
    })
    .await?;
    // RunInstances has no source/destination check: a false one is set once the instance runs.
    if planned.get("source_dest_check").as_bool() == Some(false) {
        set_source_dest_check(ctx, &id, false).await?;
        return live_value(ctx, &id, planned).await;
    }
    let profile = profiles(ctx, &ids).await?.remove(&id);
    let volumes = volumes_of(ctx, [(&inst, planned)]).await?;
    let options = instance_options::read(ctx, &[(&inst, planned)]).await?;
    let extra = Extra {
        profile: profile.as_ref().map(|(_, n)| n.as_str()),
        volumes: &volumes,
        options: &options,
    };
    Ok(to_value(ctx, &owner, &inst, extra, planned))
}
