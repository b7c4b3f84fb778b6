//! `aws_ecr_repository`: an image repository with its tag mutability, scan-on-push setting,
//! encryption and tags. `force_delete` lets destroy remove a repository that still holds images.
//!
//! Refresh: the repositories from `ecr::describe_repos` (one call for one, the registry's
//! listing for more), the tags from one ListTagsForResource per repository.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ecr::types::{
    EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability, Repository,
};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{describe_repos, ecr_tags};
use crate::error::aws_error;
use crate::idempotent::{Creating, ReadTags, read_tags};
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags_described};
use crate::util::{concurrently, delete_call, opt_bool, opt_str, opt_string, req_str, string, with_defaults};
use crate::{AwsResource, Ctx};

pub struct RepositoryResource;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = Schema::new(
        "An ECR repository for training and serving container images. Import with the repository name.",
    )
    .attr(
        "name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The repository name."),
    )
    .attr(
        "image_tag_mutability",
        Attribute::optional(Type::String).describe("MUTABLE (default) or IMMUTABLE."),
    )
    .attr(
        "force_delete",
        Attribute::optional(Type::Bool)
            .describe("Destroy deletes the repository even if it holds images (default false). Not read from AWS."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The repository name."))
    .attr("arn", Attribute::computed(Type::String).describe("The repository ARN."))
    .attr(
        "registry_id",
        Attribute::computed(Type::String).describe("The registry (account) id."),
    )
    .attr(
        "repository_url",
        Attribute::computed(Type::String).describe("The repository URL (ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME)."),
    )
    .block(
        "image_scanning_configuration",
        BlockSchema {
            nesting: Nesting::List,
            schema: Schema::new("Image scanning.").attr(
                "scan_on_push",
                Attribute::required(Type::Bool).describe("Scan each image when it is pushed."),
            ),
            min_items: 0,
            max_items: Some(1),
            force_new: false,
        },
    )
    .block(
        "encryption_configuration",
        BlockSchema {
            nesting: Nesting::List,
            schema: Schema::new("Encryption at rest; AES256 when left out.")
                .attr(
                    "encryption_type",
                    Attribute::optional(Type::String).describe("AES256 (default), KMS or KMS_DSSE."),
                )
                .attr(
                    "kms_key",
                    Attribute::optional(Type::String)
                        .describe("ARN of the KMS key (with KMS; AWS's managed key for ECR when left out)."),
                ),
            min_items: 0,
            max_items: Some(1),
            force_new: true,
        },
    )
    .unsupported_block(
        "image_tag_mutability_exclusion_filter",
        "Plinth does not manage tag mutability exclusion filters yet: leave it out (and use MUTABLE or IMMUTABLE)",
    );
    with_tags_described(schema, "Tags of the repository.").identity(&["name"])
});

fn scanning_value(scan_on_push: bool) -> Value {
    Value::List(vec![Value::object([("scan_on_push", Value::Bool(scan_on_push))])])
}

fn encryption_value(kind: &str, key: Option<&str>) -> Value {
    Value::List(vec![Value::object([
        ("encryption_type", string(kind)),
        ("kms_key", opt_string(key)),
    ])])
}

fn is_empty_block(v: &Value) -> bool {
    v.is_null() || v.as_list().is_some_and(|l| l.is_empty())
}

/// The first (only) block of a list-of-one block.
fn first_block<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    v.get(name).as_list().and_then(|l| l.first())
}

fn to_value(ctx: &Ctx, r: &Repository, tags: &BTreeMap<String, String>, prior: &Value) -> Value {
    let (tags, tags_all) = tag_values(ctx, tags, prior);
    let name = r.repository_name().unwrap_or_default();
    let scan = r
        .image_scanning_configuration()
        .map(|s| s.scan_on_push())
        .unwrap_or(false);
    let encryption = match r.encryption_configuration() {
        Some(e) => encryption_value(e.encryption_type().as_str(), e.kms_key()),
        None => encryption_value("AES256", None),
    };
    Value::object([
        ("id", string(name)),
        ("name", string(name)),
        ("arn", opt_string(r.repository_arn())),
        ("registry_id", opt_string(r.registry_id())),
        ("repository_url", opt_string(r.repository_uri())),
        (
            "image_tag_mutability",
            string(r.image_tag_mutability().map(|m| m.as_str()).unwrap_or("MUTABLE")),
        ),
        (
            "force_delete",
            Value::Bool(opt_bool(prior, "force_delete").unwrap_or(false)),
        ),
        ("image_scanning_configuration", scanning_value(scan)),
        ("encryption_configuration", encryption),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

async fn list_tags(ctx: &Ctx, arn: &str) -> Result<BTreeMap<String, String>, ProviderError> {
    let all = all_tags(ctx, arn).await?;
    Ok(tags_from(all.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str())))))
}

/// Every tag on the repository `arn`, Plinth's bookkeeping tags included (for adoption).
async fn all_tags(ctx: &Ctx, arn: &str) -> Result<ReadTags, ProviderError> {
    let out = ctx
        .ecr
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(read_tags(out.tags().iter().map(|t| (Some(t.key()), Some(t.value())))))
}

async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let names: Vec<String> = states.iter().filter_map(|s| opt_str(s, "name")).collect();
    let found = describe_repos(ctx, &names).await?;
    let repos: Vec<Option<Repository>> = states
        .iter()
        .map(|s| opt_str(s, "name").and_then(|n| found.get(&n).cloned()))
        .collect();
    let tags = concurrently(repos.clone(), |r| {
        let ctx = ctx.clone();
        async move {
            match r.as_ref().and_then(|r| r.repository_arn()) {
                Some(arn) => list_tags(&ctx, arn).await.map(Some),
                None => Ok(None),
            }
        }
    })
    .await?;
    Ok(states
        .iter()
        .zip(repos)
        .zip(tags)
        .map(|((s, r), t)| Some(to_value(ctx, &r?, &t?, s)))
        .collect())
}

async fn read_one(ctx: &Ctx, name: &str, planned: &Value) -> Result<Value, ProviderError> {
    read_many(ctx, std::slice::from_ref(planned))
        .await?
        .pop()
        .flatten()
        .ok_or_else(|| {
            ProviderError::with_code(
                "RepositoryNotFoundException",
                format!("ECR repository {name} disappeared"),
            )
        })
}

#[async_trait]
impl AwsResource for RepositoryResource {
    fn type_name(&self) -> &'static str {
        "aws_ecr_repository"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut config = with_defaults(
            &req.config,
            &[
                ("image_tag_mutability", Value::string("MUTABLE")),
                ("force_delete", Value::Bool(false)),
            ],
        );
        if let Value::Map(m) = &mut config {
            if m.get("image_scanning_configuration").is_none_or(is_empty_block) {
                m.insert("image_scanning_configuration".into(), scanning_value(false));
            }
            // Optional and computed, as in Terraform: left out, the repository keeps what it has.
            if m.get("encryption_configuration").is_none_or(is_empty_block) {
                let keep = req
                    .prior
                    .as_ref()
                    .map(|p| p.get("encryption_configuration").clone())
                    .filter(|v| !is_empty_block(v))
                    .unwrap_or_else(|| encryption_value("AES256", None));
                m.insert("encryption_configuration".into(), keep);
            }
        }
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): bookkeeping tags sent with the
    /// create, and a repository answered RepositoryAlreadyExistsException adopted when they name
    /// this address and state.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "name")?;
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let scan = first_block(planned, "image_scanning_configuration")
            .and_then(|b| b.get("scan_on_push").as_bool())
            .unwrap_or(false);
        let encryption = match first_block(planned, "encryption_configuration") {
            Some(b) => Some(
                EncryptionConfiguration::builder()
                    .encryption_type(EncryptionType::from(
                        opt_str(b, "encryption_type")
                            .unwrap_or_else(|| "AES256".into())
                            .as_str(),
                    ))
                    .set_kms_key(opt_str(b, "kms_key"))
                    .build()
                    .map_err(|e| ProviderError::new(format!("encryption_configuration: {e}")))?,
            ),
            None => None,
        };
        let sent = ctx
            .ecr
            .create_repository()
            .repository_name(&name)
            .set_image_tag_mutability(
                opt_str(planned, "image_tag_mutability").map(|m| ImageTagMutability::from(m.as_str())),
            )
            .image_scanning_configuration(ImageScanningConfiguration::builder().scan_on_push(scan).build())
            .set_encryption_configuration(encryption)
            .set_tags((!tags.is_empty()).then(|| ecr_tags(&tags)).transpose()?)
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        creating
            .adopt(&name, sent, || async {
                let repo = describe_repos(ctx, std::slice::from_ref(&name)).await?.remove(&name);
                match repo.as_ref().and_then(|r| r.repository_arn()) {
                    Some(arn) => Ok(Some(all_tags(ctx, arn).await?)),
                    None => Ok(None),
                }
            })
            .await?;
        read_one(ctx, &name, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "name")?;
        if planned.get("image_tag_mutability") != prior.get("image_tag_mutability")
            && let Some(m) = opt_str(planned, "image_tag_mutability")
        {
            ctx.ecr
                .put_image_tag_mutability()
                .repository_name(&name)
                .image_tag_mutability(ImageTagMutability::from(m.as_str()))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        if planned.get("image_scanning_configuration") != prior.get("image_scanning_configuration") {
            let scan = first_block(planned, "image_scanning_configuration")
                .and_then(|b| b.get("scan_on_push").as_bool())
                .unwrap_or(false);
            ctx.ecr
                .put_image_scanning_configuration()
                .repository_name(&name)
                .image_scanning_configuration(ImageScanningConfiguration::builder().scan_on_push(scan).build())
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, Tagged::Ecr(&req_str(prior, "arn")?), prior, planned).await?;
        read_one(ctx, &name, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "name")?;
        let force = opt_bool(prior, "force_delete").unwrap_or(false);
        delete_call(
            ctx.ecr
                .delete_repository()
                .repository_name(&name)
                .force(force)
                .send()
                .boxed(),
        )
        .await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let probe = Value::object([("name", string(id))]);
        read_one(ctx, id, &probe)
            .await
            .map_err(|_| ProviderError::with_code("RepositoryNotFoundException", format!("no ECR repository {id}")))
    }
}
