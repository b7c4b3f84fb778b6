//! `aws_sagemaker_code_repository`: a Git repository registered with SageMaker, which notebook
//! instances clone (`default_code_repository`). Only the credentials secret changes in place
//! (UpdateCodeRepository); the URL and branch replace it.
//!
//! moto 5.2 implements none of the code repository operations: the tests are ignored.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_code_repository::DescribeCodeRepositoryOutput;
use aws_sdk_sagemaker::types::{GitConfig, GitConfigForUpdate};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::adopt;
use super::{Kind, Listed, SageMakerType, block, list_named, single, sm_tags, time, with_arn_id, with_tags};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, opt_str, opt_string, req_str, string};

pub struct CodeRepository;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_code_repository",
    noun: "code repository",
    name_attr: "code_repository_name",
    stamp: Some("last_modified_time"),
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let git = Schema::new("Where the repository is.")
        .attr(
            "repository_url",
            Attribute::required(Type::String)
                .force_new()
                .describe("The repository's HTTPS URL."),
        )
        .attr(
            "branch",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The branch notebooks check out (default the repository's default branch)."),
        )
        .attr(
            "secret_arn",
            Attribute::optional(Type::String).describe(
                "A Secrets Manager secret holding the Git credentials (username and password keys); changed in place.",
            ),
        );
    with_tags(with_arn_id(
        Schema::new(
            "A Git repository registered with SageMaker, for notebook instances to clone. The credentials secret \
             changes in place; the URL and branch replace it. Refresh: one ListCodeRepositories per 100 \
             repositories (name filter), DescribeCodeRepository only for one modified since the last refresh, and \
             one ListTags each. Import with the repository name. moto 5.2 does not implement code repositories, so \
             Plinth's tests of this type are skipped.",
        )
        .attr(
            "code_repository_name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The repository's name in SageMaker."),
        )
        .attr(
            "last_modified_time",
            Attribute::computed(Type::String).describe("When the repository last changed (RFC 3339)."),
        )
        .block("git_config", single(git, 1, false)),
    ))
    .identity(&["code_repository_name"])
});

#[async_trait]
impl SageMakerType for CodeRepository {
    type Described = DescribeCodeRepositoryOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "code_repository_name")?;
        let tags = ctx.merged_tags(planned.get("tags"));
        let git = block(planned, "git_config").unwrap_or(&Value::Null);
        let config = GitConfig::builder()
            .repository_url(req_str(git, "repository_url")?)
            .set_branch(opt_str(git, "branch"))
            .set_secret_arn(opt_str(git, "secret_arn"))
            .build();
        let sent = ctx
            .sagemaker
            .create_code_repository()
            .code_repository_name(&name)
            .git_config(config)
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        Self::created(ctx, &name, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeCodeRepositoryOutput>, ProviderError> {
        call_found(
            ctx.sagemaker
                .describe_code_repository()
                .code_repository_name(name)
                .send()
                .boxed(),
        )
        .await
    }

    fn to_value(d: &DescribeCodeRepositoryOutput, _prior: &Value) -> Value {
        let name = d.code_repository_name().unwrap_or_default();
        let git = d.git_config().map(|g| {
            Value::object([
                ("repository_url", opt_string(g.repository_url())),
                ("branch", opt_string(g.branch())),
                ("secret_arn", opt_string(g.secret_arn())),
            ])
        });
        Value::object([
            ("code_repository_name", string(name)),
            ("id", string(name)),
            ("arn", opt_string(d.code_repository_arn())),
            ("last_modified_time", time(d.last_modified_time())),
            ("git_config", git.unwrap_or(Value::Null)),
        ])
    }

    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |filter| {
            let list = ctx
                .sagemaker
                .list_code_repositories()
                .set_name_contains(filter)
                .max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(names, items, |r| {
            let listed = Listed::new(r.code_repository_arn(), r.last_modified_time());
            Some((r.code_repository_name()?.to_string(), listed))
        });
        Ok(Some(listed.await?))
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        delete_call(
            ctx.sagemaker
                .delete_code_repository()
                .code_repository_name(name)
                .send()
                .boxed(),
        )
        .await
    }

    /// A new credentials secret is set with UpdateCodeRepository.
    async fn update_in_place(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Option<Value>, ProviderError> {
        let secret = |v: &Value| v.get("git_config").get("secret_arn").clone();
        if secret(prior) == secret(planned) {
            return Ok(None);
        }
        let name = req_str(prior, "code_repository_name")?;
        let update = GitConfigForUpdate::builder()
            .set_secret_arn(secret(planned).as_str().map(str::to_string))
            .build();
        ctx.sagemaker
            .update_code_repository()
            .code_repository_name(&name)
            .git_config(update)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let d = Self::describe(ctx, &name)
            .await?
            .ok_or_else(|| super::missing(KIND.noun, &name))?;
        Ok(Some(Self::to_value(&d, planned)))
    }
}
