//! `aws_launch_template`.
//!
//! A launch template's data cannot be edited: a change to any launch setting creates a new
//! version (the full data, not a diff on the previous one), and `update_default_version` makes it
//! the default. Refresh reads the latest version, as Terraform does. Tags belong to the
//! template itself and are updated in place without a new version.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{InstanceType, LaunchTemplateVersion, RequestLaunchTemplateData, ResourceType};
use futures::FutureExt as _;
use plinth_sdk::plan::same;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{account_of_arn, describe_by_filter, plan_with_tags, tag_spec, tag_values, update_tags};
use crate::error::{aws_error, is_not_found};
use crate::idempotent::{self, Creating};
use crate::tags::with_tags;
use crate::util::{
    delete_call, list_of_strings, number, opt_str, opt_string, req_str, str_list, string, wait_for, wait_gone,
};
use crate::{AwsResource, Ctx};

pub struct LaunchTemplate;

/// The attributes that make up a version's launch data.
const VERSION_ATTRS: [&str; 6] = [
    "description",
    "image_id",
    "instance_type",
    "key_name",
    "vpc_security_group_ids",
    "user_data",
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        Schema::new(
            "A launch template: the AMI, instance type, key and security groups GPU nodes start with. A change to \
             a launch setting creates a new version. Import with the template id (lt-...).",
        )
        .attr(
            "name",
            Attribute::optional_computed(Type::String).force_new().describe(
                "Template name, unique in the region; generated from name_prefix (or plinth-lt-) when left out.",
            ),
        )
        .attr(
            "name_prefix",
            Attribute::optional(Type::String)
                .force_new()
                .describe("Creates a unique template name beginning with this prefix. Conflicts with name."),
        )
        .attr(
            "description",
            Attribute::optional(Type::String).describe("Description of the version (a change creates a new version)."),
        )
        .attr(
            "image_id",
            Attribute::optional(Type::String).describe("The AMI to launch."),
        )
        .attr(
            "instance_type",
            Attribute::optional(Type::String).describe("Instance type, such as g5.xlarge or p4d.24xlarge."),
        )
        .attr(
            "key_name",
            Attribute::optional(Type::String).describe("Name of the EC2 key pair for SSH."),
        )
        .attr(
            "vpc_security_group_ids",
            Attribute::optional(Type::Set(Box::new(Type::String))).describe("Security group ids."),
        )
        .attr(
            "user_data",
            Attribute::optional(Type::String)
                .describe("Base64-encoded user data (use base64encode(...)), as in Terraform."),
        )
        .attr(
            "update_default_version",
            Attribute::optional(Type::Bool)
                .describe("Make each new version the default version. Not read back: kept as configured."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The template id (lt-...)."),
        )
        .attr("arn", Attribute::computed(Type::String).describe("The template ARN."))
        .attr(
            "latest_version",
            Attribute::computed(Type::Number).describe("The latest version number."),
        )
        .attr(
            "default_version",
            Attribute::computed(Type::Number).describe("The default version number."),
        ),
    )
    .unsupported_all(
        &[
            "disable_api_stop",
            "disable_api_termination",
            "ebs_optimized",
            "instance_initiated_shutdown_behavior",
            "kernel_id",
            "ram_disk_id",
            "security_group_names",
        ],
        "Plinth's aws_launch_template does not put this setting in the template's data yet: leave it out (AWS's \
         default applies)",
    )
    .unsupported_blocks(
        &[
            "block_device_mappings",
            "capacity_reservation_specification",
            "cpu_options",
            "credit_specification",
            "enclave_options",
            "hibernation_options",
            "iam_instance_profile",
            "instance_market_options",
            "instance_requirements",
            "license_specification",
            "maintenance_options",
            "metadata_options",
            "monitoring",
            "network_interfaces",
            "placement",
            "private_dns_name_options",
            "tag_specifications",
        ],
        "Plinth's aws_launch_template does not put this block in the template's data yet: leave it out (the AMI's \
         and AWS's defaults apply); tags on the template itself go in tags",
    )
    .identity(&["id"])
});

fn to_value(
    ctx: &Ctx,
    t: &aws_sdk_ec2::types::LaunchTemplate,
    v: Option<&LaunchTemplateVersion>,
    prior: &Value,
) -> Value {
    let id = t.launch_template_id().unwrap_or_default().to_string();
    let account = t.created_by().and_then(account_of_arn).unwrap_or_default();
    let (tags, tags_all) = tag_values(ctx, t.tags(), prior);
    let data = v.and_then(|v| v.launch_template_data());
    let mut sgs: Vec<String> = data.map(|d| d.security_group_ids().to_vec()).unwrap_or_default();
    sgs.sort();
    sgs.dedup();
    let sgs = if sgs.is_empty() && prior.get("vpc_security_group_ids").is_null() {
        Value::Null
    } else {
        list_of_strings(sgs)
    };
    Value::object([
        ("id", string(&id)),
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{}:launch-template/{}", ctx.region, account, id)),
        ),
        ("name", opt_string(t.launch_template_name())),
        ("name_prefix", prior.get("name_prefix").clone()),
        (
            "description",
            opt_string(v.and_then(|v| v.version_description()).filter(|d| !d.is_empty())),
        ),
        ("image_id", opt_string(data.and_then(|d| d.image_id()))),
        (
            "instance_type",
            opt_string(data.and_then(|d| d.instance_type()).map(|t| t.as_str().to_string())),
        ),
        ("key_name", opt_string(data.and_then(|d| d.key_name()))),
        ("vpc_security_group_ids", sgs),
        (
            "user_data",
            opt_string(data.and_then(|d| d.user_data()).filter(|u| !u.is_empty())),
        ),
        ("update_default_version", prior.get("update_default_version").clone()),
        (
            "latest_version",
            t.latest_version_number()
                .map(|n| number(n as f64))
                .unwrap_or(Value::Null),
        ),
        (
            "default_version",
            t.default_version_number()
                .map(|n| number(n as f64))
                .unwrap_or(Value::Null),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// Templates by id: one DescribeLaunchTemplates per 200 names (a `launch-template-name` filter,
/// so a missing template is simply absent; names are unique per region).
async fn describe(
    ctx: &Ctx,
    names: &[String],
) -> Result<HashMap<String, aws_sdk_ec2::types::LaunchTemplate>, ProviderError> {
    describe_by_filter("launch-template-name", names, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_launch_templates()
            .filters(filter)
            .max_results(200)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .launch_templates()
            .iter()
            .filter_map(|t| Some((t.launch_template_id()?.to_string(), t.clone())))
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

/// The latest version of each template in `ids`. EC2 has no id filter for versions: for one or
/// two templates, one call each; for more, the latest versions of every template in the region
/// in pages of 200 (one call for up to 200 templates in the region).
async fn latest_versions(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, LaunchTemplateVersion>, ProviderError> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    if ids.len() <= 2 {
        for id in ids {
            match ctx
                .ec2
                .describe_launch_template_versions()
                .launch_template_id(id)
                .versions("$Latest")
                .send()
                .boxed()
                .await
            {
                Ok(resp) => {
                    if let Some(v) = resp.launch_template_versions().first() {
                        out.insert(id.clone(), v.clone());
                    }
                }
                Err(e) if is_not_found(&e) => {}
                Err(e) => return Err(aws_error(e)),
            }
        }
        return Ok(out);
    }
    let wanted: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    let mut next: Option<String> = None;
    loop {
        let resp = ctx
            .ec2
            .describe_launch_template_versions()
            .versions("$Latest")
            .max_results(200)
            .set_next_token(next.take())
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        for v in resp.launch_template_versions() {
            if let Some(id) = v.launch_template_id()
                && wanted.contains(id)
            {
                out.insert(id.to_string(), v.clone());
            }
        }
        match resp.next_token() {
            Some(t) if !t.is_empty() => next = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(out)
}

fn launch_data(planned: &Value) -> RequestLaunchTemplateData {
    let sgs = str_list(planned, "vpc_security_group_ids");
    RequestLaunchTemplateData::builder()
        .set_image_id(opt_str(planned, "image_id"))
        .set_instance_type(opt_str(planned, "instance_type").map(|t| InstanceType::from(t.as_str())))
        .set_key_name(opt_str(planned, "key_name"))
        .set_security_group_ids((!sgs.is_empty()).then_some(sgs))
        .set_user_data(opt_str(planned, "user_data"))
        .build()
}

/// Reads one template by name and id, with its latest version.
async fn read_one(ctx: &Ctx, name: &str, id: &str, prior: &Value) -> Result<Option<Value>, ProviderError> {
    let found = describe(ctx, &[name.to_string()]).await?;
    let Some(t) = found.get(id) else { return Ok(None) };
    let versions = latest_versions(ctx, &[id.to_string()]).await?;
    Ok(Some(to_value(ctx, t, versions.get(id), prior)))
}

fn version_changed(prior: &Value, planned: &Value) -> bool {
    VERSION_ATTRS.iter().any(|a| !same(prior.get(a), planned.get(a)))
}

#[async_trait]
impl AwsResource for LaunchTemplate {
    fn type_name(&self) -> &'static str {
        "aws_launch_template"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = plan_with_tags(&SCHEMA, ctx, req);
        if let Some(prior) = &req.prior
            && resp.requires_replace.is_empty()
            && version_changed(prior, &resp.planned)
            && let Value::Map(m) = &mut resp.planned
        {
            m.insert("latest_version".to_string(), Value::Unknown);
            if req.config.get("update_default_version").as_bool() == Some(true) {
                m.insert("default_version".to_string(), Value::Unknown);
            }
        }
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// With a client token derived from the planned change (see `docs/reliability.md`): a
    /// repeated call answers the template already made; a token answered with a template that
    /// is not described (deleted since) moves on to the next generation's token. A generated
    /// name is derived from the token too, so that where the token is not honoured (moto) the
    /// repeated create is told the name exists, and adopts the template when it carries this
    /// address's and state's bookkeeping tags.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let name = creating.name(planned, "name", "name_prefix", "plinth-lt-");
        let mut req = ctx
            .ec2
            .create_launch_template()
            .launch_template_name(&name)
            .set_version_description(opt_str(planned, "description"))
            .launch_template_data(launch_data(planned));
        if let Some(spec) = tag_spec(ResourceType::LaunchTemplate, &tags) {
            req = req.tag_specifications(spec);
        }
        let names = [name.clone()];
        let id = creating
            .with_token(planned, "CreateLaunchTemplate", |token| {
                let req = req.clone().client_token(token);
                let names = &names;
                async move {
                    let id = match req.send().boxed().await.map_err(aws_error) {
                        Ok(resp) => resp
                            .launch_template()
                            .and_then(|t| t.launch_template_id())
                            .map(str::to_string)
                            .ok_or_else(|| ProviderError::new("CreateLaunchTemplate returned no template id"))?,
                        Err(e) if idempotent::already_exists(&e) => {
                            let existing = describe(ctx, names).await?.into_values().next();
                            let id = existing
                                .as_ref()
                                .and_then(|t| t.launch_template_id())
                                .unwrap_or(names[0].as_str())
                                .to_string();
                            let tags = existing.as_ref().map(|t| t.tags().iter().map(|t| (t.key(), t.value())));
                            creating.adopt_or_refuse(&id, tags, e)?;
                            return Ok((id, false));
                        }
                        Err(e) => return Err(e),
                    };
                    let gone =
                        idempotent::vanished(ctx, || async { Ok(describe(ctx, names).await?.contains_key(&id)) })
                            .await?;
                    Ok((id, gone))
                }
            })
            .await?;
        wait_for(ctx, &format!("launch template {id} to exist"), || async {
            read_one(ctx, &name, &id, planned).await
        })
        .await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let name = req_str(prior, "name")?;
        if version_changed(prior, planned) {
            let resp = ctx
                .ec2
                .create_launch_template_version()
                .launch_template_id(&id)
                .set_version_description(opt_str(planned, "description"))
                .launch_template_data(launch_data(planned))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            let version = resp
                .launch_template_version()
                .and_then(|v| v.version_number())
                .ok_or_else(|| ProviderError::new("CreateLaunchTemplateVersion returned no version number"))?;
            if planned.get("update_default_version").as_bool() == Some(true) {
                ctx.ec2
                    .modify_launch_template()
                    .launch_template_id(&id)
                    .default_version(version.to_string())
                    .send()
                    .boxed()
                    .await
                    .map_err(aws_error)?;
            }
        }
        update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &name, &id, planned).await?.ok_or_else(|| {
            ProviderError::with_code(
                "InvalidLaunchTemplateId.NotFound",
                format!("launch template {id} disappeared during update"),
            )
        })
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        delete_call(ctx.ec2.delete_launch_template().launch_template_id(&id).send().boxed()).await?;
        let Some(name) = opt_str(prior, "name") else {
            return Ok(());
        };
        let names = vec![name];
        wait_gone(ctx, &format!("launch template {id}"), || async {
            Ok(describe(ctx, &names).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let names: Vec<String> = states.iter().filter_map(|s| opt_str(s, "name")).collect();
        let found = describe(ctx, &names).await?;
        let present: Vec<String> = states
            .iter()
            .filter_map(|s| s.get("id").as_str())
            .filter(|id| found.contains_key(*id))
            .map(str::to_string)
            .collect();
        let versions = latest_versions(ctx, &present).await?;
        Ok(states
            .iter()
            .map(|s| {
                let id = s.get("id").as_str()?;
                let t = found.get(id)?;
                Some(to_value(ctx, t, versions.get(id), s))
            })
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let resp = ctx
            .ec2
            .describe_launch_templates()
            .launch_template_ids(id)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let t = resp
            .launch_templates()
            .iter()
            .find(|t| t.launch_template_id() == Some(id))
            .ok_or_else(|| {
                ProviderError::with_code("InvalidLaunchTemplateId.NotFound", format!("no launch template {id}"))
            })?;
        let versions = latest_versions(ctx, &[id.to_string()]).await?;
        Ok(to_value(ctx, t, versions.get(id), &Value::Null))
    }
}
