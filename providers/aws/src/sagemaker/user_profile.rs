//! `aws_sagemaker_user_profile`: a user of a SageMaker Studio domain. SageMaker keys a profile
//! by domain id and name; Terraform's id (and the import id) is its ARN,
//! `arn:...:user-profile/DOMAIN_ID/NAME`, from which both are read. `user_settings` changes in
//! place (UpdateUserProfile); the rest replaces it.
//!
//! moto 5.2 implements no user profile operation: the tests are ignored.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_user_profile::DescribeUserProfileOutput;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::domain::{user_settings, user_settings_schema, user_settings_value};
use super::{Kind, Listed, SageMakerType, Status, adopt, block, single, sm_tags, still_exists, wait_status, with_tags};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, opt_str, opt_string, req_str, string};

pub struct UserProfile;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_user_profile",
    noun: "user profile",
    name_attr: "id",
    stamp: None,
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_tags(
        Schema::new(
            "A user of a SageMaker Studio domain. Create waits until it is InService; user_settings changes in \
             place (UpdateUserProfile); the rest replaces it. Refresh: one DescribeUserProfile per profile (a few \
             at a time) and one ListTags each. Import with the profile's ARN. moto 5.2 does not implement user \
             profiles, so Plinth's tests of this type are skipped.",
        )
        .attr(
            "domain_id",
            Attribute::required(Type::String)
                .force_new()
                .describe("The domain (d-...)."),
        )
        .attr(
            "user_profile_name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The user's name in the domain."),
        )
        .attr(
            "single_sign_on_user_identifier",
            Attribute::optional(Type::String)
                .force_new()
                .describe("For an SSO domain: the identifier kind, UserName."),
        )
        .attr(
            "single_sign_on_user_value",
            Attribute::optional(Type::String)
                .force_new()
                .describe("For an SSO domain: the user's IAM Identity Center user name."),
        )
        .attr("arn", Attribute::computed(Type::String).describe("The ARN."))
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The ARN (as Terraform's id)."),
        )
        .attr(
            "home_efs_file_system_uid",
            Attribute::computed(Type::String).describe("The user's POSIX id on the domain's home file system."),
        )
        .block("user_settings", single(user_settings_schema(false), 0, false)),
    )
    .identity(&["domain_id", "user_profile_name"])
});

impl Status for DescribeUserProfileOutput {
    fn status(&self) -> (&str, Option<&str>) {
        let status = self.status().map(|s| s.as_str());
        (status.unwrap_or_default(), self.failure_reason())
    }
}

/// `(domain id, profile name)` of a profile ARN.
fn key_of_arn(arn: &str) -> Option<(&str, &str)> {
    let (_, rest) = arn.split_once(":user-profile/")?;
    let (domain, name) = rest.split_once('/')?;
    (!domain.is_empty() && !name.is_empty()).then_some((domain, name))
}

fn bad_arn(arn: &str) -> ProviderError {
    ProviderError::with_code(
        "InvalidImportId",
        format!("{arn:?} is not a user profile ARN (arn:aws:sagemaker:REGION:ACCOUNT:user-profile/DOMAIN_ID/NAME)"),
    )
}

#[async_trait]
impl SageMakerType for UserProfile {
    type Described = DescribeUserProfileOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    /// Names are unique within a domain: a profile answered "already exists" (`ResourceInUse`)
    /// is adopted when its bookkeeping tags name this address and state ([`adopt`]; its ARN,
    /// the id, is built from the account, the domain and the name).
    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let (domain, name) = (req_str(planned, "domain_id")?, req_str(planned, "user_profile_name")?);
        let sent = ctx
            .sagemaker
            .create_user_profile()
            .domain_id(&domain)
            .user_profile_name(&name)
            .set_single_sign_on_user_identifier(opt_str(planned, "single_sign_on_user_identifier"))
            .set_single_sign_on_user_value(opt_str(planned, "single_sign_on_user_value"))
            .set_user_settings(block(planned, "user_settings").map(user_settings))
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        let arn = match sent {
            Ok(resp) => resp.user_profile_arn().unwrap_or_default().to_string(),
            Err(e) => {
                let arn = format!(
                    "arn:{}:sagemaker:{}:{}:user-profile/{domain}/{name}",
                    crate::identity::partition_of(&ctx.region).name,
                    ctx.region,
                    ctx.account_id().await?,
                );
                adopt::<Self>(ctx, creating, &arn, Err(e)).await?;
                arn
            }
        };
        let waited = wait_status(ctx, &KIND.what(&arn), &["InService"], &["Failed"], || {
            Self::describe(ctx, &arn)
        })
        .await;
        self.settled(ctx, &arn, waited, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, arn: &str) -> Result<Option<DescribeUserProfileOutput>, ProviderError> {
        let (domain, name) = key_of_arn(arn).ok_or_else(|| bad_arn(arn))?;
        let call = ctx
            .sagemaker
            .describe_user_profile()
            .domain_id(domain)
            .user_profile_name(name)
            .send()
            .boxed();
        call_found(call).await
    }

    fn to_value(d: &DescribeUserProfileOutput, prior: &Value) -> Value {
        let arn = d.user_profile_arn().unwrap_or_default();
        Value::object([
            ("domain_id", opt_string(d.domain_id())),
            ("user_profile_name", opt_string(d.user_profile_name())),
            (
                "single_sign_on_user_identifier",
                opt_string(d.single_sign_on_user_identifier()),
            ),
            ("single_sign_on_user_value", opt_string(d.single_sign_on_user_value())),
            ("arn", string(arn)),
            ("id", string(arn)),
            ("home_efs_file_system_uid", opt_string(d.home_efs_file_system_uid())),
            (
                "user_settings",
                match d.user_settings() {
                    None if prior.get("user_settings").is_null() => Value::Null,
                    s => user_settings_value(s),
                },
            ),
        ])
    }

    /// ListUserProfiles' summary carries no ARN: every profile is described.
    async fn list(_ctx: &Ctx, _arns: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        Ok(None)
    }

    async fn delete_call(ctx: &Ctx, arn: &str) -> Result<bool, ProviderError> {
        let (domain, name) = key_of_arn(arn).ok_or_else(|| bad_arn(arn))?;
        let call = ctx
            .sagemaker
            .delete_user_profile()
            .domain_id(domain)
            .user_profile_name(name)
            .send()
            .boxed();
        delete_call(call).await
    }

    fn exists(what: &str, described: Option<DescribeUserProfileOutput>) -> Result<bool, ProviderError> {
        match described.as_ref().map(Status::status) {
            Some(("Delete_Failed", reason)) => Err(super::failed(what, "Delete_Failed", reason)),
            _ => still_exists(what, described),
        }
    }

    /// New user settings are applied with UpdateUserProfile; waits for InService.
    async fn update_in_place(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Option<Value>, ProviderError> {
        if plinth_sdk::plan::same(prior.get("user_settings"), planned.get("user_settings")) {
            return Ok(None);
        }
        let arn = req_str(prior, "id")?;
        let (domain, name) = key_of_arn(&arn).ok_or_else(|| bad_arn(&arn))?;
        ctx.sagemaker
            .update_user_profile()
            .domain_id(domain)
            .user_profile_name(name)
            .set_user_settings(block(planned, "user_settings").map(user_settings))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let d = wait_status(
            ctx,
            &KIND.what(&arn),
            &["InService"],
            &["Update_Failed", "Failed"],
            || Self::describe(ctx, &arn),
        )
        .await?;
        Ok(Some(Self::to_value(&d, planned)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arn_gives_domain_and_name() {
        let arn = "arn:aws:sagemaker:us-east-1:123456789012:user-profile/d-abc123/alice";
        assert_eq!(key_of_arn(arn), Some(("d-abc123", "alice")));
        assert_eq!(key_of_arn("alice"), None);
    }
}
