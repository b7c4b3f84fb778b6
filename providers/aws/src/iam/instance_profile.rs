//! `aws_iam_instance_profile`: the container that hands an IAM role to EC2 instances (GPU
//! training nodes). It holds at most one role; changing `role` removes the old one and adds the
//! new one in place. Destroy removes the role first, as IAM requires.
//!
//! Refresh: one GetInstanceProfile per profile (its role and tags), a few at a time: neither
//! ListInstanceProfiles nor GetAccountAuthorizationDetails returns a profile's tags.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_iam::types::InstanceProfile;
use aws_smithy_types::date_time::Format;
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{check_name_prefix, iam_tags, tags_from};
use crate::error::{aws_error, is_not_found};
use crate::idempotent::{Creating, read_tags};
use crate::tags::{Tagged, plan_tags_all, tag_values, update_tags, with_tags};
use crate::util::{opt_str, opt_string, read_each, req_str, string, wait_gone, with_generated_name};
use crate::{AwsResource, Ctx};

pub struct IamInstanceProfile;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        with_generated_name(
            Schema::new(
                "An IAM instance profile: passes a role to EC2 instances (iam_instance_profile of an instance or a \
                 launch template). IAM is global. Import with the profile name.",
            ),
            ("name", "name_prefix"),
            "Profile name",
        )
        .attr(
            "path",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("Path of the profile (default `/`)."),
        )
        .attr(
            "role",
            Attribute::optional(Type::String).describe("Name of the role in the profile (at most one)."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The profile name."))
        .attr("arn", Attribute::computed(Type::String).describe("The profile ARN."))
        .attr(
            "unique_id",
            Attribute::computed(Type::String).describe("The stable unique id (AIPA...)."),
        )
        .attr(
            "create_date",
            Attribute::computed(Type::String).describe("Creation time (RFC 3339)."),
        ),
    )
    .identity(&["name"])
});

fn to_value(ctx: &Ctx, p: &InstanceProfile, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, &tags_from(p.tags()), prior);
    let name = p.instance_profile_name();
    Value::object([
        ("id", string(name)),
        ("name", string(name)),
        ("name_prefix", prior.get("name_prefix").clone()),
        ("path", string(p.path())),
        ("arn", string(p.arn())),
        ("unique_id", string(p.instance_profile_id())),
        ("create_date", opt_string(p.create_date().fmt(Format::DateTime).ok())),
        ("role", opt_string(p.roles().first().map(|r| r.role_name()))),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// GetInstanceProfile; `None` when there is no such profile.
async fn get_profile(ctx: &Ctx, name: &str) -> Result<Option<InstanceProfile>, ProviderError> {
    match ctx
        .iam
        .get_instance_profile()
        .instance_profile_name(name)
        .send()
        .boxed()
        .await
    {
        Ok(resp) => Ok(resp.instance_profile),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

async fn must_get(ctx: &Ctx, name: &str) -> Result<InstanceProfile, ProviderError> {
    get_profile(ctx, name)
        .await?
        .ok_or_else(|| ProviderError::with_code("NoSuchEntity", format!("no IAM instance profile named {name}")))
}

async fn add_role(ctx: &Ctx, name: &str, role: &str) -> Result<(), ProviderError> {
    ctx.iam
        .add_role_to_instance_profile()
        .instance_profile_name(name)
        .role_name(role)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(())
}

async fn remove_role(ctx: &Ctx, name: &str, role: &str) -> Result<(), ProviderError> {
    match ctx
        .iam
        .remove_role_from_instance_profile()
        .instance_profile_name(name)
        .role_name(role)
        .send()
        .boxed()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e) => Ok(()),
        Err(e) => Err(aws_error(e)),
    }
}

#[async_trait]
impl AwsResource for IamInstanceProfile {
    fn type_name(&self) -> &'static str {
        "aws_iam_instance_profile"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        check_name_prefix(config)
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &req.config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash, as a role (see `docs/reliability.md`): bookkeeping tags on
    /// CreateInstanceProfile, a generated name derived from the planned change, and a profile
    /// answered EntityAlreadyExists adopted when its tags name this address and state; its role
    /// is added unless it already has it.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let mut req = ctx
            .iam
            .create_instance_profile()
            .instance_profile_name(&name)
            .set_path(opt_str(planned, "path"));
        if !tags.is_empty() {
            req = req.set_tags(Some(iam_tags(&tags)?));
        }
        let sent = req.send().boxed().await.map(|_| ()).map_err(aws_error);
        let adopted = creating
            .adopt(&name, sent, || async {
                let profile = get_profile(ctx, &name).await?;
                Ok(profile.map(|p| read_tags(p.tags().iter().map(|t| (Some(t.key()), Some(t.value()))))))
            })
            .await?
            .is_none();
        if let Some(role) = opt_str(planned, "role") {
            let has = adopted
                && get_profile(ctx, &name)
                    .await?
                    .is_some_and(|p| p.roles().iter().any(|r| r.role_name() == role));
            if !has {
                add_role(ctx, &name, &role).await?;
            }
        }
        Ok(to_value(ctx, &must_get(ctx, &name).await?, planned))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "id")?;
        let (was, want) = (opt_str(prior, "role"), opt_str(planned, "role"));
        if was != want {
            if let Some(old) = &was {
                remove_role(ctx, &name, old).await?;
            }
            if let Some(new) = &want {
                add_role(ctx, &name, new).await?;
            }
        }
        update_tags(ctx, Tagged::IamInstanceProfile(&name), prior, planned).await?;
        Ok(to_value(ctx, &must_get(ctx, &name).await?, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "id")?;
        let Some(profile) = get_profile(ctx, &name).await? else {
            return Ok(());
        };
        // Every role, not only the recorded one: IAM refuses to delete a profile that has one.
        for r in profile.roles() {
            remove_role(ctx, &name, r.role_name()).await?;
        }
        match ctx
            .iam
            .delete_instance_profile()
            .instance_profile_name(&name)
            .send()
            .boxed()
            .await
        {
            Ok(_) => {}
            Err(e) if is_not_found(&e) => return Ok(()),
            Err(e) => return Err(aws_error(e)),
        }
        wait_gone(ctx, &format!("instance profile {name}"), || async {
            Ok(get_profile(ctx, &name).await?.is_some())
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = read_each(
            ctx,
            states,
            "id",
            |ctx, name| async move { get_profile(&ctx, &name).await },
        )
        .await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, p)| p.map(|p| to_value(ctx, &p, s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        Ok(to_value(ctx, &must_get(ctx, id).await?, &Value::Null))
    }
}
