//! `aws_sagemaker_domain`: a SageMaker Studio domain (its users, VPC and home file system).
//! SageMaker keys a domain by its id (`d-...`), which CreateDomain does not return: it is the
//! last part of the ARN. Create waits for InService; delete applies `retention_policy` (keep or
//! delete the home EFS file system) and waits until the domain is gone.
//!
//! Plinth manages the domain's own settings and the core of `default_user_settings` (the
//! execution role and security groups); the many per-application settings blocks are listed as
//! unsupported, so setting one is a clear error, never a silent ignore.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_domain::DescribeDomainOutput;
use aws_sdk_sagemaker::types::{
    AppNetworkAccessType, AppSecurityGroupManagement, AuthMode, RetentionPolicy, RetentionType, UserSettings,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::{
    Kind, Listed, SageMakerType, Status, all_tags, block, list_named, single, sm_tags, still_exists, time, wait_status,
    with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, list_of_strings, opt_str, opt_string, req_str, str_list};

pub struct Domain;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_domain",
    noun: "domain",
    name_attr: "id",
    stamp: Some("last_modified_time"),
    tagged: true,
    schema: &SCHEMA,
};

/// The per-application settings of `default_user_settings` (and of a user profile's
/// `user_settings`) that Plinth does not manage yet.
pub(crate) const USER_SETTINGS_BLOCKS: [&str; 12] = [
    "canvas_app_settings",
    "code_editor_app_settings",
    "custom_file_system_config",
    "custom_posix_user_config",
    "jupyter_lab_app_settings",
    "jupyter_server_app_settings",
    "kernel_gateway_app_settings",
    "r_session_app_settings",
    "r_studio_server_pro_app_settings",
    "sharing_settings",
    "space_storage_settings",
    "tensor_board_app_settings",
];

/// `user_settings` of a user profile or `default_user_settings` of a domain: the execution role
/// and security groups, the rest listed as unsupported.
pub(crate) fn user_settings_schema(role_required: bool) -> Schema {
    let role = if role_required {
        Attribute::required(Type::String)
    } else {
        Attribute::optional(Type::String)
    };
    Schema::new("Settings of the users' apps.")
        .attr("execution_role", role.describe("The IAM role the users' apps run as."))
        .attr(
            "security_groups",
            Attribute::optional(Type::Set(Box::new(Type::String)))
                .describe("Security groups of the apps' network interfaces (VpcOnly domains)."),
        )
        .unsupported_all(
            &["auto_mount_home_efs", "default_landing_uri", "studio_web_portal"],
            "Plinth manages only execution_role and security_groups of the user settings yet: leave it out",
        )
        .unsupported_blocks(
            &USER_SETTINGS_BLOCKS,
            "Plinth manages only execution_role and security_groups of the user settings yet: leave it out",
        )
        .unsupported_block(
            "studio_web_portal_settings",
            "Plinth manages only execution_role and security_groups of the user settings yet: leave it out",
        )
}

/// The SDK's user settings from a `user_settings`-shaped block.
pub(crate) fn user_settings(b: &Value) -> UserSettings {
    let groups = str_list(b, "security_groups");
    UserSettings::builder()
        .set_execution_role(opt_str(b, "execution_role"))
        .set_security_groups((!groups.is_empty()).then_some(groups))
        .build()
}

/// A `user_settings`-shaped block from AWS.
pub(crate) fn user_settings_value(s: Option<&UserSettings>) -> Value {
    let Some(s) = s else { return Value::Null };
    let mut groups = s.security_groups().to_vec();
    groups.sort();
    Value::object([
        ("execution_role", opt_string(s.execution_role())),
        (
            "security_groups",
            if groups.is_empty() {
                Value::Null
            } else {
                list_of_strings(groups)
            },
        ),
    ])
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let retention = Schema::new("What happens to the home file system when the domain is destroyed.").attr(
        "home_efs_file_system",
        Attribute::optional(Type::String).describe("\"Retain\" (default) or \"Delete\"."),
    );
    let not_yet = "Plinth does not manage this domain setting yet: leave it out";
    with_tags(
        Schema::new(
            "A SageMaker Studio domain. Create waits until it is InService; destroy applies retention_policy and \
             waits until the domain is gone. default_user_settings changes in place (UpdateDomain); the rest \
             replaces it. Refresh: one ListDomains per 100 domains, DescribeDomain only for one modified since the \
             last refresh, and one ListTags each. Import with the domain id (d-...).",
        )
        .attr(
            "domain_name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The domain name."),
        )
        .attr(
            "auth_mode",
            Attribute::required(Type::String)
                .force_new()
                .describe("How users sign in: \"IAM\" or \"SSO\" (IAM Identity Center)."),
        )
        .attr(
            "vpc_id",
            Attribute::required(Type::String)
                .force_new()
                .describe("The VPC of the apps' network interfaces."),
        )
        .attr(
            "subnet_ids",
            Attribute::required(Type::Set(Box::new(Type::String)))
                .force_new()
                .describe("The subnets of the apps' network interfaces."),
        )
        .attr(
            "app_network_access_type",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("\"PublicInternetOnly\" (default) or \"VpcOnly\"."),
        )
        .attr(
            "app_security_group_management",
            Attribute::optional(Type::String)
                .force_new()
                .describe("\"Service\" or \"Customer\": who manages the security groups between apps (VpcOnly)."),
        )
        .attr(
            "kms_key_id",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The KMS key encrypting the home EFS file system."),
        )
        .attr("arn", Attribute::computed(Type::String).describe("The ARN."))
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The domain id (d-...)."),
        )
        .attr(
            "url",
            Attribute::computed(Type::String).describe("The domain's Studio URL."),
        )
        .attr(
            "home_efs_file_system_id",
            Attribute::computed(Type::String).describe("The EFS file system holding the users' homes."),
        )
        .attr(
            "security_group_id_for_domain_boundary",
            Attribute::computed(Type::String).describe("The security group between the domain and its apps."),
        )
        .attr(
            "single_sign_on_managed_application_instance_id",
            Attribute::computed(Type::String).describe("The IAM Identity Center application instance (SSO domains)."),
        )
        .attr(
            "single_sign_on_application_arn",
            Attribute::computed(Type::String).describe("The IAM Identity Center application (SSO domains)."),
        )
        .attr(
            "last_modified_time",
            Attribute::computed(Type::String).describe("When the domain last changed (RFC 3339)."),
        )
        .block("default_user_settings", single(user_settings_schema(true), 1, false))
        .block("retention_policy", single(retention, 0, false))
        .unsupported("tag_propagation", not_yet)
        .unsupported_blocks(&["domain_settings", "default_space_settings"], not_yet),
    )
    .identity(&["id"])
});

impl Status for DescribeDomainOutput {
    fn status(&self) -> (&str, Option<&str>) {
        let status = self.status().map(|s| s.as_str());
        (status.unwrap_or_default(), self.failure_reason())
    }
}

/// The domain id in a domain ARN (`arn:...:domain/d-xxxx`).
fn id_of_arn(arn: &str) -> Option<&str> {
    arn.rsplit_once("domain/").map(|(_, id)| id).filter(|id| !id.is_empty())
}

/// The domain an earlier, interrupted attempt of this create made: of this name, not being
/// deleted or failed, its bookkeeping tags naming this address and state, and not the domain
/// being replaced. One ListDomains pass, then ListTags for each domain of the name.
async fn adoptable(ctx: &Ctx, creating: &Creating, name: &str) -> Result<Option<String>, ProviderError> {
    if !creating.tracked() {
        return Ok(None);
    }
    let mut pages = ctx.sagemaker.list_domains().into_paginator().items().send();
    let mut named = Vec::new();
    while let Some(d) = pages.next().await {
        let d = d.map_err(aws_error)?;
        let status = d.status().map(|s| s.as_str()).unwrap_or_default();
        if d.domain_name() == Some(name) && !matches!(status, "Deleting" | "Delete_Failed" | "Failed") {
            named.extend(
                d.domain_id()
                    .zip(d.domain_arn())
                    .map(|(i, a)| (i.to_string(), a.to_string())),
            );
        }
    }
    named.sort();
    for (id, arn) in named {
        let Some(tags) = all_tags(ctx, &arn).await? else {
            continue;
        };
        if creating.made(tags.iter().map(|t| (t.key(), t.value()))) && !creating.is_replaced(&id) {
            tracing::info!(address = %creating.address, id, "adopting the domain an earlier, interrupted create made");
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// CreateDomain with `tags` (the bookkeeping tags among them); the new domain's id.
async fn create_domain(ctx: &Ctx, planned: &Value, tags: &BTreeMap<String, String>) -> Result<String, ProviderError> {
    let settings = block(planned, "default_user_settings").unwrap_or(&Value::Null);
    let resp = ctx
        .sagemaker
        .create_domain()
        .domain_name(req_str(planned, "domain_name")?)
        .auth_mode(AuthMode::from(req_str(planned, "auth_mode")?.as_str()))
        .vpc_id(req_str(planned, "vpc_id")?)
        .set_subnet_ids(Some(str_list(planned, "subnet_ids")))
        .set_app_network_access_type(
            opt_str(planned, "app_network_access_type").map(|s| AppNetworkAccessType::from(s.as_str())),
        )
        .set_app_security_group_management(
            opt_str(planned, "app_security_group_management").map(|s| AppSecurityGroupManagement::from(s.as_str())),
        )
        .set_kms_key_id(opt_str(planned, "kms_key_id"))
        .default_user_settings(user_settings(settings))
        .set_tags(sm_tags(tags))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let arn = resp.domain_arn().unwrap_or_default();
    let id = id_of_arn(arn)
        .ok_or_else(|| ProviderError::new(format!("CreateDomain answered an ARN without a domain id: {arn:?}")))?
        .to_string();
    Ok(id)
}

#[async_trait]
impl SageMakerType for Domain {
    type Described = DescribeDomainOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    /// CreateDomain takes no token and domain names need not be unique: the domain gets the
    /// bookkeeping tags, and before creating, a domain of this name that carries them with this
    /// address and state ([`adoptable`]) is adopted instead; it then goes through the same wait.
    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = ctx.merged_tags(planned.get("tags"));
        let name = req_str(planned, "domain_name")?;
        let id = match adoptable(ctx, creating, &name).await? {
            Some(id) => id,
            None => create_domain(ctx, planned, &creating.with_tags(tags.clone())).await?,
        };
        let waited = wait_status(ctx, &KIND.what(&id), &["InService"], &["Failed"], || {
            Self::describe(ctx, &id)
        })
        .await;
        self.settled(ctx, &id, waited, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, id: &str) -> Result<Option<DescribeDomainOutput>, ProviderError> {
        call_found(ctx.sagemaker.describe_domain().domain_id(id).send().boxed()).await
    }

    fn to_value(d: &DescribeDomainOutput, prior: &Value) -> Value {
        let mut subnets = d.subnet_ids().to_vec();
        subnets.sort();
        Value::object([
            ("domain_name", opt_string(d.domain_name())),
            ("id", opt_string(d.domain_id())),
            ("arn", opt_string(d.domain_arn())),
            ("auth_mode", opt_string(d.auth_mode().map(|m| m.as_str()))),
            ("vpc_id", opt_string(d.vpc_id())),
            ("subnet_ids", list_of_strings(subnets)),
            (
                "app_network_access_type",
                opt_string(d.app_network_access_type().map(|t| t.as_str())),
            ),
            (
                "app_security_group_management",
                opt_string(d.app_security_group_management().map(|t| t.as_str())),
            ),
            ("kms_key_id", opt_string(d.kms_key_id())),
            ("url", opt_string(d.url())),
            ("home_efs_file_system_id", opt_string(d.home_efs_file_system_id())),
            (
                "security_group_id_for_domain_boundary",
                opt_string(d.security_group_id_for_domain_boundary()),
            ),
            (
                "single_sign_on_managed_application_instance_id",
                opt_string(d.single_sign_on_managed_application_instance_id()),
            ),
            (
                "single_sign_on_application_arn",
                opt_string(d.single_sign_on_application_arn()),
            ),
            ("last_modified_time", time(d.last_modified_time())),
            ("default_user_settings", user_settings_value(d.default_user_settings())),
            // Not reported by AWS: it is what destroy does.
            ("retention_policy", prior.get("retention_policy").clone()),
        ])
    }

    /// ListDomains has no name filter: one pass over the account's domains.
    async fn list(ctx: &Ctx, ids: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |_filter| {
            let list = ctx.sagemaker.list_domains().max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(ids, items, |d| {
            let listed = Listed::new(d.domain_arn(), d.last_modified_time());
            Some((d.domain_id()?.to_string(), listed))
        });
        Ok(Some(listed.await?))
    }

    /// Without a state (a failed create's clean-up): AWS's default retention (Retain).
    async fn delete_call(ctx: &Ctx, id: &str) -> Result<bool, ProviderError> {
        delete_call(ctx.sagemaker.delete_domain().domain_id(id).send().boxed()).await
    }

    /// With the state's retention_policy.
    async fn delete_call_for(ctx: &Ctx, id: &str, prior: &Value) -> Result<bool, ProviderError> {
        let call = ctx
            .sagemaker
            .delete_domain()
            .domain_id(id)
            .set_retention_policy(retention(prior))
            .send()
            .boxed();
        delete_call(call).await
    }

    fn exists(what: &str, described: Option<DescribeDomainOutput>) -> Result<bool, ProviderError> {
        match described.as_ref().map(Status::status) {
            Some(("Delete_Failed", reason)) => Err(super::failed(what, "Delete_Failed", reason)),
            _ => still_exists(what, described),
        }
    }

    /// New default user settings are applied with UpdateDomain; waits for InService.
    async fn update_in_place(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Option<Value>, ProviderError> {
        let key = "default_user_settings";
        if plinth_sdk::plan::same(prior.get(key), planned.get(key)) {
            return Ok(None);
        }
        let id = req_str(prior, "id")?;
        ctx.sagemaker
            .update_domain()
            .domain_id(&id)
            .default_user_settings(user_settings(planned.get(key)))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let d = wait_status(
            ctx,
            &KIND.what(&id),
            &["InService"],
            &["Update_Failed", "Failed"],
            || Self::describe(ctx, &id),
        )
        .await?;
        Ok(Some(Self::to_value(&d, planned)))
    }
}

/// The retention policy of a domain's state, for DeleteDomain.
fn retention(prior: &Value) -> Option<RetentionPolicy> {
    let choice = prior.get("retention_policy").get("home_efs_file_system").as_str()?;
    Some(
        RetentionPolicy::builder()
            .home_efs_file_system(RetentionType::from(choice))
            .build(),
    )
}
