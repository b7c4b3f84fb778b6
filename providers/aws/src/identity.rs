//! Where the provider runs: the data sources `aws_caller_identity` (who the credentials are, one
//! STS GetCallerIdentity call), `aws_partition` and `aws_region` (from the provider's region,
//! without a call), named and shaped as Terraform's AWS provider has them, so that ARNs can be
//! built as `arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:...`.
//!
//! The partition and endpoint rules are the AWS SDKs' (region prefixes `cn-`, `us-gov-`,
//! `us-iso-`...); the region descriptions are the console's names. What this module does not
//! know: any other service.

use std::sync::LazyLock;

use async_trait::async_trait;
use futures::FutureExt as _;
use plinth_sdk::{AttrPath, Attribute, ProviderError, Schema, Type, Value};

use crate::error::aws_error;
use crate::util::{opt_str, string};
use crate::{AwsDataSource, Ctx};

pub fn data_sources() -> Vec<Box<dyn AwsDataSource>> {
    vec![
        Box::new(CallerIdentityData),
        Box::new(PartitionData),
        Box::new(RegionData),
    ]
}

/// A partition: its name, DNS suffix and reverse DNS prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    pub name: &'static str,
    pub dns_suffix: &'static str,
    pub reverse_dns_prefix: &'static str,
}

/// The partition a region belongs to (the SDKs' region patterns; `aws` otherwise).
pub fn partition_of(region: &str) -> Partition {
    let p = |name, dns_suffix, reverse_dns_prefix| Partition {
        name,
        dns_suffix,
        reverse_dns_prefix,
    };
    if region.starts_with("cn-") {
        p("aws-cn", "amazonaws.com.cn", "cn.com.amazonaws")
    } else if region.starts_with("us-gov-") {
        p("aws-us-gov", "amazonaws.com", "com.amazonaws")
    } else if region.starts_with("us-isob-") {
        p("aws-iso-b", "sc2s.sgov.gov", "gov.sgov.sc2s")
    } else if region.starts_with("us-isof-") {
        p("aws-iso-f", "csp.hci.ic.gov", "gov.ic.hci.csp")
    } else if region.starts_with("us-iso-") {
        p("aws-iso", "c2s.ic.gov", "gov.ic.c2s")
    } else if region.starts_with("eu-isoe-") {
        p("aws-iso-e", "cloud.adc-e.uk", "uk.adc-e.cloud")
    } else if region.starts_with("eusc-") {
        p("aws-eusc", "amazonaws.eu", "eu.amazonaws")
    } else {
        p("aws", "amazonaws.com", "com.amazonaws")
    }
}

/// The console's name of a region (Terraform's `description`); `None` for a region this table
/// does not know.
pub fn region_description(region: &str) -> Option<&'static str> {
    Some(match region {
        "af-south-1" => "Africa (Cape Town)",
        "ap-east-1" => "Asia Pacific (Hong Kong)",
        "ap-east-2" => "Asia Pacific (Taipei)",
        "ap-northeast-1" => "Asia Pacific (Tokyo)",
        "ap-northeast-2" => "Asia Pacific (Seoul)",
        "ap-northeast-3" => "Asia Pacific (Osaka)",
        "ap-south-1" => "Asia Pacific (Mumbai)",
        "ap-south-2" => "Asia Pacific (Hyderabad)",
        "ap-southeast-1" => "Asia Pacific (Singapore)",
        "ap-southeast-2" => "Asia Pacific (Sydney)",
        "ap-southeast-3" => "Asia Pacific (Jakarta)",
        "ap-southeast-4" => "Asia Pacific (Melbourne)",
        "ap-southeast-5" => "Asia Pacific (Malaysia)",
        "ap-southeast-7" => "Asia Pacific (Thailand)",
        "ca-central-1" => "Canada (Central)",
        "ca-west-1" => "Canada West (Calgary)",
        "eu-central-1" => "Europe (Frankfurt)",
        "eu-central-2" => "Europe (Zurich)",
        "eu-north-1" => "Europe (Stockholm)",
        "eu-south-1" => "Europe (Milan)",
        "eu-south-2" => "Europe (Spain)",
        "eu-west-1" => "Europe (Ireland)",
        "eu-west-2" => "Europe (London)",
        "eu-west-3" => "Europe (Paris)",
        "il-central-1" => "Israel (Tel Aviv)",
        "me-central-1" => "Middle East (UAE)",
        "me-south-1" => "Middle East (Bahrain)",
        "mx-central-1" => "Mexico (Central)",
        "sa-east-1" => "South America (Sao Paulo)",
        "us-east-1" => "US East (N. Virginia)",
        "us-east-2" => "US East (Ohio)",
        "us-west-1" => "US West (N. California)",
        "us-west-2" => "US West (Oregon)",
        "cn-north-1" => "China (Beijing)",
        "cn-northwest-1" => "China (Ningxia)",
        "us-gov-east-1" => "AWS GovCloud (US-East)",
        "us-gov-west-1" => "AWS GovCloud (US-West)",
        _ => return None,
    })
}

pub struct CallerIdentityData;

static CALLER_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "Who the provider's credentials are, from STS GetCallerIdentity (no permission needed). Typically \
         `data \"aws_caller_identity\" \"current\" {}` for the account id in ARNs.",
    )
    .attr(
        "account_id",
        Attribute::computed(Type::String).describe("The 12-digit account id."),
    )
    .attr(
        "arn",
        Attribute::computed(Type::String).describe("ARN of the calling user or assumed role."),
    )
    .attr(
        "user_id",
        Attribute::computed(Type::String).describe("Unique id of the calling entity."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The account id."))
});

#[async_trait]
impl AwsDataSource for CallerIdentityData {
    fn type_name(&self) -> &'static str {
        "aws_caller_identity"
    }

    fn schema(&self) -> &Schema {
        &CALLER_SCHEMA
    }

    async fn read(&self, ctx: &Ctx, _config: &Value) -> Result<Value, ProviderError> {
        let resp = ctx.sts.get_caller_identity().send().boxed().await.map_err(aws_error)?;
        let account = resp
            .account()
            .ok_or_else(|| ProviderError::new("GetCallerIdentity returned no account"))?;
        Ok(Value::object([
            ("id", string(account)),
            ("account_id", string(account)),
            ("arn", string(resp.arn().unwrap_or_default())),
            ("user_id", string(resp.user_id().unwrap_or_default())),
        ]))
    }
}

pub struct PartitionData;

static PARTITION_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "The partition of the provider's region (`aws`, `aws-cn`, `aws-us-gov`, ...), for ARNs that work in \
         every partition. Makes no AWS call.",
    )
    .attr(
        "partition",
        Attribute::computed(Type::String).describe("The partition, such as aws."),
    )
    .attr(
        "dns_suffix",
        Attribute::computed(Type::String).describe("Base DNS domain, such as amazonaws.com."),
    )
    .attr(
        "reverse_dns_prefix",
        Attribute::computed(Type::String).describe("Reverse DNS prefix, such as com.amazonaws."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The partition."))
});

#[async_trait]
impl AwsDataSource for PartitionData {
    fn type_name(&self) -> &'static str {
        "aws_partition"
    }

    fn schema(&self) -> &Schema {
        &PARTITION_SCHEMA
    }

    async fn read(&self, ctx: &Ctx, _config: &Value) -> Result<Value, ProviderError> {
        let p = partition_of(&ctx.region);
        Ok(Value::object([
            ("id", string(p.name)),
            ("partition", string(p.name)),
            ("dns_suffix", string(p.dns_suffix)),
            ("reverse_dns_prefix", string(p.reverse_dns_prefix)),
        ]))
    }
}

pub struct RegionData;

static REGION_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("A region: the provider's own unless `region` (or the older `name`) picks another. Makes no AWS call.")
        .attr(
            "region",
            Attribute::optional_computed(Type::String).describe("The region; default the provider's."),
        )
        .attr(
            "name",
            Attribute::optional_computed(Type::String).describe("Same as region (Terraform's older name)."),
        )
        .attr(
            "endpoint",
            Attribute::optional_computed(Type::String).describe(
                "The region's EC2 endpoint, such as ec2.us-east-1.amazonaws.com; selects the region when set.",
            ),
        )
        .attr(
            "description",
            Attribute::computed(Type::String)
                .describe("The region's name in the console, such as US East (N. Virginia)."),
        )
        .attr("id", Attribute::computed(Type::String).describe("The region."))
});

fn ec2_endpoint(region: &str) -> String {
    format!("ec2.{region}.{}", partition_of(region).dns_suffix)
}

#[async_trait]
impl AwsDataSource for RegionData {
    fn type_name(&self) -> &'static str {
        "aws_region"
    }

    fn schema(&self) -> &Schema {
        &REGION_SCHEMA
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let from_endpoint = opt_str(config, "endpoint").map(|e| {
            let region = e
                .strip_prefix("ec2.")
                .and_then(|r| r.split('.').next())
                .unwrap_or_default()
                .to_string();
            (e, region)
        });
        let named = opt_str(config, "region").or_else(|| opt_str(config, "name"));
        let region = match (&named, &from_endpoint) {
            (Some(n), Some((e, r))) if n != r => {
                return Err(ProviderError::with_code(
                    "InvalidRegion",
                    format!("region {n:?} and endpoint {e:?} name different regions"),
                )
                .at(AttrPath::attr("endpoint")));
            }
            (Some(n), _) => n.clone(),
            (None, Some((e, r))) => {
                if r.is_empty() || ec2_endpoint(r) != *e {
                    return Err(ProviderError::with_code(
                        "InvalidRegion",
                        format!("{e:?} is not a regional EC2 endpoint (ec2.REGION.amazonaws.com)"),
                    )
                    .at(AttrPath::attr("endpoint")));
                }
                r.clone()
            }
            (None, None) => ctx.region.clone(),
        };
        let description = region_description(&region);
        if description.is_none() && named.is_some() {
            return Err(ProviderError::with_code(
                "InvalidRegion",
                format!("no AWS region named {region:?} is known to this provider"),
            )
            .at(AttrPath::attr("region")));
        }
        Ok(Value::object([
            ("id", string(&region)),
            ("region", string(&region)),
            ("name", string(&region)),
            ("endpoint", string(ec2_endpoint(&region))),
            ("description", string(description.unwrap_or_default())),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_follow_the_region_prefix() {
        assert_eq!(partition_of("us-east-1").name, "aws");
        assert_eq!(partition_of("eu-west-1").reverse_dns_prefix, "com.amazonaws");
        assert_eq!(partition_of("cn-north-1").dns_suffix, "amazonaws.com.cn");
        assert_eq!(partition_of("us-gov-west-1").name, "aws-us-gov");
        assert_eq!(partition_of("us-iso-east-1").name, "aws-iso");
        assert_eq!(partition_of("us-isob-east-1").name, "aws-iso-b");
        assert_eq!(ec2_endpoint("cn-north-1"), "ec2.cn-north-1.amazonaws.com.cn");
        assert_eq!(region_description("us-east-1"), Some("US East (N. Virginia)"));
    }
}
