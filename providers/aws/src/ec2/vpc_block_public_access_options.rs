//! `aws_vpc_block_public_access_options`: the region's VPC Block Public Access mode, a setting
//! of the account that always exists. Create and update set the mode, destroy sets it back to
//! `off`; each waits until AWS reports the change `update-complete`. One DescribeVpcBlockPublicAccessOptions
//! refreshes every instance.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{InternetGatewayBlockMode, VpcBlockPublicAccessOptions as Options};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use crate::error::aws_error;
use crate::util::{one_of, opt_string, req_str, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct VpcBlockPublicAccessOptions;

const MODES: [&str; 3] = ["block-bidirectional", "block-ingress", "off"];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "The VPC Block Public Access mode of the provider's region: block traffic between the region's \
         VPCs and internet gateways (exclusions aside). Destroy turns it off. Import with the region name.",
    )
    .attr(
        "internet_gateway_block_mode",
        Attribute::required(Type::String).describe("block-bidirectional, block-ingress or off."),
    )
    .attr(
        "aws_account_id",
        Attribute::computed(Type::String).describe("The account the options apply to."),
    )
    .attr(
        "aws_region",
        Attribute::computed(Type::String).describe("The region the options apply to."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The region name."))
    .identity(&["id"])
});

fn to_value(o: &Options) -> Value {
    Value::object([
        ("id", opt_string(o.aws_region())),
        ("aws_region", opt_string(o.aws_region())),
        ("aws_account_id", opt_string(o.aws_account_id())),
        (
            "internet_gateway_block_mode",
            opt_string(o.internet_gateway_block_mode().map(|m| m.as_str().to_string())),
        ),
    ])
}

async fn describe(ctx: &Ctx) -> Result<Option<Options>, ProviderError> {
    let resp = ctx
        .ec2
        .describe_vpc_block_public_access_options()
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    Ok(resp.vpc_block_public_access_options().cloned())
}

/// Sets the mode and waits until AWS reports the change complete, in `mode`.
async fn set_mode(ctx: &Ctx, mode: &str) -> Result<Options, ProviderError> {
    ctx.ec2
        .modify_vpc_block_public_access_options()
        .internet_gateway_block_mode(InternetGatewayBlockMode::from(mode))
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    wait_for(
        ctx,
        &format!("VPC Block Public Access of {} to be {mode}", ctx.region),
        || async {
            Ok(describe(ctx).await?.filter(|o| {
                o.state().map(|s| s.as_str()) == Some("update-complete")
                    && o.internet_gateway_block_mode().map(|m| m.as_str()) == Some(mode)
            }))
        },
    )
    .await
}

#[async_trait]
impl AwsResource for VpcBlockPublicAccessOptions {
    fn type_name(&self) -> &'static str {
        "aws_vpc_block_public_access_options"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        one_of(
            config.get("internet_gateway_block_mode"),
            "internet_gateway_block_mode",
            &MODES,
        )
        .into_iter()
        .collect()
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let o = set_mode(ctx, &req_str(planned, "internet_gateway_block_mode")?).await?;
        Ok(to_value(&o))
    }

    async fn update(&self, ctx: &Ctx, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let o = set_mode(ctx, &req_str(planned, "internet_gateway_block_mode")?).await?;
        Ok(to_value(&o))
    }

    async fn delete(&self, ctx: &Ctx, _prior: &Value) -> Result<(), ProviderError> {
        set_mode(ctx, "off").await.map(drop)
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let now = describe(ctx).await?.map(|o| to_value(&o));
        Ok(states.iter().map(|_| now.clone()).collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        if id != ctx.region {
            return Err(ProviderError::with_code(
                "InvalidImportId",
                format!(
                    "{id:?} is not this provider configuration's region ({}); import with the region name through \
                     a provider configured for that region",
                    ctx.region
                ),
            ));
        }
        let o = describe(ctx).await?.ok_or_else(|| {
            ProviderError::with_code("NotFound", format!("no VPC Block Public Access options in {id}"))
        })?;
        let mut v = to_value(&o);
        if let Value::Map(m) = &mut v {
            m.insert("id".into(), string(id));
        }
        Ok(v)
    }
}
