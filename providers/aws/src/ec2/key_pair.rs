//! `aws_key_pair`: an SSH public key imported into EC2 (ImportKeyPair), for `key_name` of
//! instances and launch templates. Only the public half is ever sent or stored. The name is the
//! id, as in Terraform; refresh is one DescribeKeyPairs per 200 names.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::primitives::Blob;
use aws_sdk_ec2::types::{KeyPairInfo, ResourceType};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{by_id, describe_by_filter, ids_of, plan_with_tags, tag_spec, tag_values, take, update_tags};
use crate::error::aws_error;
use crate::idempotent::{self, Creating};
use crate::tags::with_tags;
use crate::util::{delete_call, opt_string, req_str, string, with_generated_name};
use crate::{AwsResource, Ctx};

pub struct KeyPair;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let s = Schema::new(
        "An SSH key pair: the public key you give, imported into EC2 for instances' key_name. Import with the \
         key name (public_key is then unknown to Plinth until you set it; it is not refreshed).",
    )
    .attr(
        "public_key",
        Attribute::required(Type::String)
            .force_new()
            .describe("The public key material, such as the contents of ~/.ssh/id_ed25519.pub."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The key name."))
    .attr(
        "key_pair_id",
        Attribute::computed(Type::String).describe("The key pair id (key-...)."),
    )
    .attr(
        "fingerprint",
        Attribute::computed(Type::String).describe("The key's fingerprint as EC2 computes it."),
    )
    .attr(
        "key_type",
        Attribute::computed(Type::String).describe("rsa or ed25519."),
    )
    .attr(
        "arn",
        Attribute::computed(Type::String).describe("The key pair ARN (when the account is known)."),
    );
    with_tags(with_generated_name(s, ("key_name", "key_name_prefix"), "Key name")).identity(&["id"])
});

fn to_value(ctx: &Ctx, k: &KeyPairInfo, prior: &Value) -> Value {
    let name = k.key_name().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, k.tags(), prior);
    // DescribeKeyPairs does not name the account; an ARN kept from before stays.
    let arn = prior.get("arn").clone();
    Value::object([
        ("id", string(&name)),
        ("key_name", string(&name)),
        ("key_name_prefix", prior.get("key_name_prefix").clone()),
        ("key_pair_id", opt_string(k.key_pair_id())),
        ("fingerprint", opt_string(k.key_fingerprint())),
        ("key_type", opt_string(k.key_type().map(|t| t.as_str().to_string()))),
        // AWS does not give the material back unless asked; the configured key is kept.
        ("public_key", prior.get("public_key").clone()),
        ("arn", if arn.is_unknown() { Value::Null } else { arn }),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// One DescribeKeyPairs per 200 names (a `key-name` filter, so a missing name is simply absent
/// instead of failing the whole call).
async fn describe(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, KeyPairInfo>, ProviderError> {
    describe_by_filter("key-name", names, |filter, _| async move {
        let resp = ctx
            .ec2
            .describe_key_pairs()
            .filters(filter)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .key_pairs()
            .iter()
            .filter_map(|k| Some((k.key_name()?.to_string(), k.clone())))
            .collect();
        Ok((found, None))
    })
    .await
}

async fn read_one(ctx: &Ctx, name: &str, planned: &Value) -> Result<Value, ProviderError> {
    let k = take(
        describe(ctx, &[name.to_string()]).await?,
        name,
        "InvalidKeyPair.NotFound",
        format!("key pair {name} disappeared"),
    )?;
    Ok(to_value(ctx, &k, planned))
}

#[async_trait]
impl AwsResource for KeyPair {
    fn type_name(&self) -> &'static str {
        "aws_key_pair"
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

    /// ImportKeyPair takes no client token, but key names are unique: the key gets the
    /// bookkeeping tags, a generated name is derived from the planned change
    /// ([`Creating::name`]), and a key answered `InvalidKeyPair.Duplicate` is adopted when its
    /// bookkeeping tags name this address and state ([`Creating::adopt_or_refuse`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "key_name", "key_name_prefix", "terraform-");
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let mut req = ctx
            .ec2
            .import_key_pair()
            .key_name(&name)
            .public_key_material(Blob::new(req_str(planned, "public_key")?.into_bytes()));
        if let Some(spec) = tag_spec(ResourceType::KeyPair, &tags) {
            req = req.tag_specifications(spec);
        }
        match req.send().boxed().await.map_err(aws_error) {
            Ok(_) => {}
            Err(e) if idempotent::already_exists(&e) => {
                let found = describe(ctx, std::slice::from_ref(&name)).await?;
                let tags = found.get(&name).map(|k| k.tags().iter().map(|t| (t.key(), t.value())));
                creating.adopt_or_refuse(&name, tags, e)?;
            }
            Err(e) => return Err(e),
        }
        read_one(ctx, &name, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "key_name")?;
        // EC2 tags key pairs by their id (key-...), not by name.
        let id = req_str(prior, "key_pair_id")?;
        update_tags(ctx, &id, prior, planned).await?;
        read_one(ctx, &name, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "key_name")?;
        delete_call(ctx.ec2.delete_key_pair().key_name(&name).send().boxed())
            .await
            .map(drop)
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |k, s| to_value(ctx, k, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let k = take(found, id, "InvalidKeyPair.NotFound", format!("no key pair {id}"))?;
        Ok(to_value(ctx, &k, &Value::Null))
    }
}
