//! `aws_instance`: one EC2 instance, typically a GPU node (g5, p4d, p5 ...).
//!
//! Refresh is batched: one DescribeInstances with an `instance-id` filter per 200 instances, so
//! refreshing a fleet costs one call per 200 nodes instead of one per node. An instance that is
//! shutting down or terminated counts as gone.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{InstanceAttributeName, InstanceType, LaunchTemplateSpecification, Placement, ResourceType};
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Severity,
    Type, Value,
};

use super::{describe_by_filter, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags};
use crate::error::{aws_error, is_not_found};
use crate::tags::with_tags;
use crate::util::{list_of_strings, opt_str, opt_string, req_str, str_list, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct Instance;

static SCHEMA: LazyLock<Schema> =
    LazyLock::new(|| {
        with_tags(
        Schema::new(
            "An EC2 instance, such as a GPU training node (p4d.24xlarge, p5.48xlarge, g5.xlarge). Apply waits until \
             it is running; destroy waits until it is terminated. Import with the instance id (i-...).",
        )
        .attr(
            "ami",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The AMI to launch; may come from launch_template instead."),
        )
        .attr(
            "instance_type",
            Attribute::optional_computed(Type::String).force_new().describe(
                "Instance type, such as g5.xlarge or p4d.24xlarge; may come from launch_template. A change \
                 replaces the instance (AWS could stop, modify and start it; Plinth keeps it simple and replaces).",
            ),
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
            Attribute::optional_computed(Type::Set(Box::new(Type::String)))
                .describe("Security group ids; updated in place."),
        )
        .attr(
            "key_name",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("Name of the EC2 key pair for SSH."),
        )
        .attr(
            "user_data",
            Attribute::optional(Type::String).force_new().describe(
                "User data (plain text; Plinth base64-encodes it). A change replaces the instance. Refresh does not \
                 read it back (that would cost one call per instance): it is kept as last applied.",
            ),
        )
        .attr("id", Attribute::computed(Type::String).describe("The instance id (i-...)."))
        .attr("arn", Attribute::computed(Type::String).describe("The instance ARN."))
        .attr(
            "private_ip",
            Attribute::computed(Type::String).describe("Private IPv4 address."),
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
                        Attribute::optional(Type::String)
                            .describe("Version number, $Latest or $Default (the default)."),
                    ),
                min_items: 0,
                max_items: Some(1),
                force_new: true,
            },
        ),
    )
    .identity(&["id"])
    });

/// Instances by id, each with its reservation's owner.
type Found = HashMap<String, (String, aws_sdk_ec2::types::Instance)>;

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
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<Found, ProviderError> {
    describe_by_filter("instance-id", ids, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_instances()
            .filters(filter)
            .max_results(1000)
            .set_next_token(next)
            .send()
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

fn to_value(ctx: &Ctx, owner: &str, i: &aws_sdk_ec2::types::Instance, prior: &Value) -> Value {
    let id = i.instance_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, i.tags(), prior);
    let mut sgs: Vec<String> = i
        .security_groups()
        .iter()
        .filter_map(|g| g.group_id().map(str::to_string))
        .collect();
    sgs.sort();
    sgs.dedup();
    Value::object([
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
        ("launch_template", launch_template_value(i, prior)),
        ("private_ip", nonempty(i.private_ip_address())),
        ("public_ip", nonempty(i.public_ip_address())),
        ("private_dns", nonempty(i.private_dns_name())),
        ("public_dns", nonempty(i.public_dns_name())),
        ("instance_state", string(state_of(i))),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

async fn describe_live(ctx: &Ctx, id: &str) -> Result<(String, aws_sdk_ec2::types::Instance), ProviderError> {
    let mut found = describe(ctx, &[id.to_string()]).await?;
    found.retain(|_, (_, i)| !gone(i));
    take(found, id, "InvalidInstanceID.NotFound", format!("no instance {id}"))
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
        let mut out = Vec::new();
        if config.get("ami").is_null() && config.get("launch_template").is_null() {
            out.push(ProviderDiagnostic {
                severity: Severity::Error,
                summary: "aws_instance needs an AMI".into(),
                detail: "Set ami, or a launch_template block whose template has an image_id.".into(),
                attribute: Some(plinth_sdk::AttrPath::attr("ami")),
            });
        }
        let lt = config.get("launch_template");
        if !lt.is_null() && !lt.is_unknown() && lt.get("id").is_null() && lt.get("name").is_null() {
            out.push(ProviderDiagnostic {
                severity: Severity::Error,
                summary: "launch_template needs id or name".into(),
                detail: "Give the template's id (lt-...) or its name.".into(),
                attribute: Some(plinth_sdk::AttrPath::attr("launch_template")),
            });
        }
        out
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        plan_with_tags(&SCHEMA, ctx, req)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let sgs = str_list(planned, "vpc_security_group_ids");
        let mut req = ctx
            .ec2
            .run_instances()
            .min_count(1)
            .max_count(1)
            .set_image_id(opt_str(planned, "ami"))
            .set_instance_type(opt_str(planned, "instance_type").map(|t| InstanceType::from(t.as_str())))
            .set_subnet_id(opt_str(planned, "subnet_id"))
            .set_security_group_ids((!sgs.is_empty()).then_some(sgs))
            .set_key_name(opt_str(planned, "key_name"))
            .set_user_data(opt_str(planned, "user_data").map(aws_smithy_types::base64::encode));
        if let Some(az) = opt_str(planned, "availability_zone") {
            req = req.placement(Placement::builder().availability_zone(az).build());
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
        let resp = req.send().await.map_err(aws_error)?;
        let id = resp
            .instances()
            .first()
            .and_then(|i| i.instance_id())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::new("RunInstances returned no instance id"))?;
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
        Ok(to_value(ctx, &owner, &inst, planned))
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
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, &id, prior, planned).await?;
        let (owner, inst) = describe_live(ctx, &id).await?;
        Ok(to_value(ctx, &owner, &inst, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        match ctx.ec2.terminate_instances().instance_ids(&id).send().await {
            Ok(_) => {}
            Err(e) if is_not_found(&e) => return Ok(()),
            Err(e) => return Err(aws_error(e)),
        }
        let ids = vec![id.clone()];
        wait_for(ctx, &format!("instance {id} to be terminated"), || async {
            let found = describe(ctx, &ids).await?;
            Ok(match found.get(&id) {
                None => Some(()),
                Some((_, i)) if state_of(i) == "terminated" => Some(()),
                Some(_) => None,
            })
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(states
            .iter()
            .map(|s| {
                let (owner, i) = found.get(s.get("id").as_str()?)?;
                (!gone(i)).then(|| to_value(ctx, owner, i, s))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (owner, inst) = describe_live(ctx, id).await?;
        // User data is not in DescribeInstances; an import reads it once so that a configuration
        // with the same user_data does not plan a replacement.
        let user_data = ctx
            .ec2
            .describe_instance_attribute()
            .instance_id(id)
            .attribute(InstanceAttributeName::UserData)
            .send()
            .await
            .map_err(aws_error)?
            .user_data()
            .and_then(|u| u.value())
            .and_then(|b| aws_smithy_types::base64::decode(b).ok())
            .and_then(|b| String::from_utf8(b).ok())
            .filter(|s| !s.is_empty());
        let prior = Value::object([("user_data", opt_string(user_data))]);
        Ok(to_value(ctx, &owner, &inst, &prior))
    }
}
