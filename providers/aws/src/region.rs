//! Terraform's per-resource `region` (AWS provider v6, "enhanced region support"): which types
//! have it, its schema attribute, its checks, and the `ID@REGION` import form.
//!
//! Every regional resource and data source takes an optional `region` that overrides the
//! provider configuration's; it defaults to the provider's, is recorded in state, and changing it
//! replaces the object. The provider's dispatch (`lib.rs`) runs each instance with the [`Ctx`] of
//! its region ([`Ctx::in_region`]); the type implementations do not know about it, each runs
//! with a `Ctx` of one region as before. Global types (IAM, `aws_caller_identity`,
//! `aws_partition`) have none, and `aws_region` keeps its own `region`, the region it describes.
//!
//! [`Ctx`]: crate::Ctx
//! [`Ctx::in_region`]: crate::Ctx::in_region

use plinth_sdk::{AttrPath, Attribute, ProviderDiagnostic, ProviderError, ResourceMode, Schema, Type, Value};

use crate::identity::partition_of;
use crate::util::invalid;

/// The argument's name.
pub const ARG: &str = "region";

/// Whether the type has the per-resource region. IAM is global, as are the identity data
/// sources; `aws_region`'s own `region` names the region it describes.
pub fn regional(mode: ResourceMode, type_name: &str) -> bool {
    if type_name.starts_with("aws_iam_") {
        return false;
    }
    match mode {
        ResourceMode::Managed => true,
        ResourceMode::Data => !matches!(type_name, "aws_caller_identity" | "aws_partition" | "aws_region"),
    }
}

/// `schema` with the per-resource `region` when the type has one. A type whose schema already
/// has `region` (`aws_s3_bucket`: the bucket's location, the same meaning) keeps its own.
pub fn with_region(mode: ResourceMode, type_name: &str, schema: Schema) -> Schema {
    if !regional(mode, type_name) || schema.attributes.contains_key(ARG) {
        return schema;
    }
    let attr = match mode {
        ResourceMode::Managed => Attribute::optional_computed(Type::String).force_new().describe(
            "The region the object is managed in; default the provider configuration's region. A change replaces \
             the object. Import one of another region with the id ID@REGION.",
        ),
        ResourceMode::Data => Attribute::optional_computed(Type::String)
            .describe("The region to read in; default the provider configuration's region."),
    };
    schema.attr(ARG, attr)
}

/// Whether `s` has the shape of a region name (`us-west-2`, `us-gov-east-1`): Terraform's
/// `[a-z]{2}(-[a-z]+)+-\d{1,2}`.
pub fn is_region_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return false;
    };
    first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !middle.is_empty()
        && middle
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && (1..=2).contains(&last.len())
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// The configuration's `region`, checked when known: a malformed name is an error naming the
/// argument.
pub fn validate(mode: ResourceMode, type_name: &str, config: &Value) -> Vec<ProviderDiagnostic> {
    if !regional(mode, type_name) {
        return Vec::new();
    }
    match config.get(ARG).as_str() {
        Some(r) if !is_region_name(r) => vec![invalid(
            ARG,
            format!("{r:?} is not an AWS region name (such as us-west-2)"),
        )],
        _ => Vec::new(),
    }
}

/// Checks a region the configuration asks for against the provider's: both must be in one
/// partition, as one set of credentials serves one partition.
pub fn check(wanted: &str, provider_region: &str) -> Result<(), ProviderError> {
    if !is_region_name(wanted) {
        return Err(ProviderError::with_code(
            "InvalidRegion",
            format!("region = {wanted:?} is not an AWS region name (such as us-west-2)"),
        )
        .at(AttrPath::attr(ARG)));
    }
    let (want, have) = (partition_of(wanted).name, partition_of(provider_region).name);
    if want != have {
        return Err(ProviderError::with_code(
            "InvalidRegion",
            format!(
                "region = {wanted:?} is in partition {want}, but the provider configuration's region \
                 {provider_region} is in {have}: configure a provider for that partition"
            ),
        )
        .at(AttrPath::attr(ARG)));
    }
    Ok(())
}

/// An import id `ID@REGION` as the id and the region; an id without such an ending as itself.
pub fn split_import_id(id: &str) -> (&str, Option<&str>) {
    match id.rsplit_once('@') {
        Some((rest, region)) if !rest.is_empty() && is_region_name(region) => (rest, Some(region)),
        _ => (id, None),
    }
}

/// `e` with the region it happened in, when that is not the provider configuration's (the
/// user set `region`); a partial state records the region too.
pub fn name_region(mut e: ProviderError, region: &str, provider_region: &str) -> ProviderError {
    if let Some(p) = e.partial.as_deref_mut() {
        set(p, region);
    }
    if region != provider_region {
        e.message = format!("{} (in region {region})", e.message);
    }
    e
}

/// Records `region` in the object `state`.
pub fn set(state: &mut Value, region: &str) {
    if let Value::Map(m) = state {
        m.insert(ARG.to_string(), Value::string(region));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_have_terraforms_shape() {
        for ok in [
            "us-west-2",
            "us-gov-east-1",
            "ap-southeast-7",
            "eu-isoe-west-1",
            "cn-north-1",
        ] {
            assert!(is_region_name(ok), "{ok}");
        }
        for bad in [
            "",
            "us",
            "us-west",
            "US-west-2",
            "us-west-123",
            "us--2",
            "useast-1",
            "us-west-2a",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }

    #[test]
    fn import_ids_may_end_with_a_region() {
        assert_eq!(split_import_id("vpc-1@us-west-2"), ("vpc-1", Some("us-west-2")));
        assert_eq!(split_import_id("vpc-1"), ("vpc-1", None));
        assert_eq!(split_import_id("a@b.com"), ("a@b.com", None));
        assert_eq!(split_import_id("@us-west-2"), ("@us-west-2", None));
        assert_eq!(split_import_id("name@x@eu-west-1"), ("name@x", Some("eu-west-1")));
    }

    #[test]
    fn global_types_have_no_region() {
        assert!(!regional(ResourceMode::Managed, "aws_iam_role"));
        assert!(!regional(ResourceMode::Data, "aws_iam_policy_document"));
        assert!(!regional(ResourceMode::Data, "aws_caller_identity"));
        assert!(!regional(ResourceMode::Data, "aws_partition"));
        assert!(!regional(ResourceMode::Data, "aws_region"));
        assert!(regional(ResourceMode::Managed, "aws_vpc"));
        assert!(regional(ResourceMode::Data, "aws_ssm_parameter"));
    }

    #[test]
    fn another_partition_is_refused() {
        assert!(check("us-west-2", "us-east-1").is_ok());
        let e = check("cn-north-1", "us-east-1").expect_err("another partition");
        assert!(e.message.contains("aws-cn"), "{}", e.message);
        assert_eq!(e.attribute, Some(AttrPath::attr("region")));
    }
}
