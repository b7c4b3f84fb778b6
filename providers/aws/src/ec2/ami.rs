//! Data source `aws_ami`: the machine image a GPU node boots (such as the newest Deep Learning AMI),
//! chosen by owners, `filter` blocks and `name_regex`; `most_recent` picks the newest of several.
//! One DescribeImages call (plus its pages).

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::Image;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::filter::{filter_block, filters};
use crate::error::aws_error;
use crate::tags::tags_from;
use crate::util::{list_of_strings, map_of_strings, opt_bool, opt_str, opt_string, str_list, string};
use crate::{AwsDataSource, Ctx};

pub struct AmiData;

/// Computed string attributes: (name, description).
const STRINGS: &[(&str, &str)] = &[
    ("id", "The AMI id."),
    ("image_id", "The AMI id."),
    ("arn", "The AMI ARN."),
    ("name", "The image name."),
    ("description", "The image description."),
    ("architecture", "x86_64, arm64, ..."),
    ("creation_date", "When it was created (RFC 3339)."),
    ("deprecation_time", "When it is deprecated, if set."),
    ("owner_id", "The owning account."),
    ("image_owner_alias", "amazon, aws-marketplace, or null."),
    ("image_location", "Where the image manifest is."),
    ("image_type", "machine, kernel or ramdisk."),
    ("platform", "windows, or null for Linux."),
    ("platform_details", "The platform, such as Linux/UNIX."),
    ("root_device_name", "The root device, such as /dev/xvda."),
    ("root_device_type", "ebs or instance-store."),
    ("root_snapshot_id", "The root volume's snapshot."),
    ("state", "available, pending, ..."),
    ("virtualization_type", "hvm or paravirtual."),
    ("hypervisor", "xen or nitro."),
    ("kernel_id", "The kernel, if any."),
    ("ramdisk_id", "The RAM disk, if any."),
    ("sriov_net_support", "simple when enhanced networking is on."),
    ("boot_mode", "legacy-bios, uefi or uefi-preferred."),
    ("imds_support", "v2.0 when the image requires IMDSv2."),
    ("tpm_support", "v2.0 when NitroTPM is on."),
    ("usage_operation", "The billing operation."),
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let strings = || Type::List(Box::new(Type::String));
    let mut s = Schema::new(
        "One existing AMI, selected by owners, filter blocks, executable_users and name_regex; with several \
         matches most_recent = true picks the newest, else it is an error, as in Terraform.",
    )
    .attr(
        "owners",
        Attribute::optional(strings()).describe("Account ids or aliases (self, amazon, aws-marketplace)."),
    )
    .attr(
        "most_recent",
        Attribute::optional(Type::Bool).describe("Pick the newest of several matches (default false)."),
    )
    .attr(
        "name_regex",
        Attribute::optional(Type::String)
            .describe("A regular expression the name must match (applied after AWS's filters)."),
    )
    .attr(
        "executable_users",
        Attribute::optional(strings()).describe("Images these accounts (or self, all) may launch."),
    )
    .attr(
        "include_deprecated",
        Attribute::optional(Type::Bool).describe("Also consider deprecated images (default false)."),
    )
    .attr(
        "allow_unsafe_filter",
        Attribute::optional(Type::Bool)
            .describe("Accepted for Terraform compatibility; Plinth does not warn about owner-less name filters."),
    );
    for (name, text) in STRINGS {
        s = s.attr(name, Attribute::computed(Type::String).describe(text));
    }
    s.attr(
        "public",
        Attribute::computed(Type::Bool).describe("Whether anyone may launch it."),
    )
    .attr(
        "ena_support",
        Attribute::computed(Type::Bool).describe("Whether ENA networking is on."),
    )
    .attr(
        "tags",
        Attribute::computed(Type::Map(Box::new(Type::String))).describe("The image's tags."),
    )
    .attr(
        "product_codes",
        Attribute::computed(strings()).describe("Marketplace product codes."),
    )
    .block("filter", filter_block())
});

fn image_value(ctx: &Ctx, i: &Image, config: &Value) -> Value {
    let id = i.image_id().unwrap_or_default();
    let enum_str = |s: Option<&str>| opt_string(s.filter(|s| !s.is_empty()));
    let root_snapshot = i
        .block_device_mappings()
        .iter()
        .find(|b| b.device_name() == i.root_device_name())
        .and_then(|b| b.ebs())
        .and_then(|e| e.snapshot_id());
    let mut m: Vec<(&str, Value)> = vec![
        ("id", string(id)),
        ("image_id", string(id)),
        ("arn", string(format!("arn:aws:ec2:{}::image/{id}", ctx.region))),
        ("name", opt_string(i.name())),
        ("description", opt_string(i.description())),
        ("architecture", enum_str(i.architecture().map(|a| a.as_str()))),
        ("creation_date", opt_string(i.creation_date())),
        ("deprecation_time", opt_string(i.deprecation_time())),
        ("owner_id", opt_string(i.owner_id())),
        ("image_owner_alias", opt_string(i.image_owner_alias())),
        ("image_location", opt_string(i.image_location())),
        ("image_type", enum_str(i.image_type().map(|a| a.as_str()))),
        ("platform", enum_str(i.platform().map(|a| a.as_str()))),
        ("platform_details", opt_string(i.platform_details())),
        ("root_device_name", opt_string(i.root_device_name())),
        ("root_device_type", enum_str(i.root_device_type().map(|a| a.as_str()))),
        ("root_snapshot_id", opt_string(root_snapshot)),
        ("state", enum_str(i.state().map(|a| a.as_str()))),
        (
            "virtualization_type",
            enum_str(i.virtualization_type().map(|a| a.as_str())),
        ),
        ("hypervisor", enum_str(i.hypervisor().map(|a| a.as_str()))),
        ("kernel_id", opt_string(i.kernel_id())),
        ("ramdisk_id", opt_string(i.ramdisk_id())),
        ("sriov_net_support", opt_string(i.sriov_net_support())),
        ("boot_mode", enum_str(i.boot_mode().map(|a| a.as_str()))),
        ("imds_support", enum_str(i.imds_support().map(|a| a.as_str()))),
        ("tpm_support", enum_str(i.tpm_support().map(|a| a.as_str()))),
        ("usage_operation", opt_string(i.usage_operation())),
        ("public", Value::Bool(i.public().unwrap_or(false))),
        ("ena_support", Value::Bool(i.ena_support().unwrap_or(false))),
        (
            "tags",
            map_of_strings(&tags_from(i.tags().iter().map(|t| (t.key(), t.value())))),
        ),
        (
            "product_codes",
            list_of_strings(i.product_codes().iter().filter_map(|p| p.product_code_id())),
        ),
    ];
    for k in [
        "owners",
        "most_recent",
        "name_regex",
        "executable_users",
        "include_deprecated",
        "allow_unsafe_filter",
        "filter",
    ] {
        m.push((k, config.get(k).clone()));
    }
    Value::object(m)
}

#[async_trait]
impl AwsDataSource for AmiData {
    fn type_name(&self) -> &'static str {
        "aws_ami"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let regex = match opt_str(config, "name_regex") {
            Some(r) => Some(regex::Regex::new(&r).map_err(|e| {
                ProviderError::with_code(
                    "InvalidParameterValue",
                    format!("name_regex {r:?} is not a regular expression: {e}"),
                )
            })?),
            None => None,
        };
        let owners = Some(str_list(config, "owners")).filter(|o| !o.is_empty());
        let users = Some(str_list(config, "executable_users")).filter(|o| !o.is_empty());
        let fs = Some(filters(config)).filter(|f| !f.is_empty());
        let mut images: Vec<Image> = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let resp = ctx
                .ec2
                .describe_images()
                .set_owners(owners.clone())
                .set_executable_users(users.clone())
                .set_filters(fs.clone())
                .set_include_deprecated(opt_bool(config, "include_deprecated"))
                .set_next_token(next.take())
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            images.extend(resp.images().iter().cloned());
            match resp.next_token() {
                Some(t) if !t.is_empty() => next = Some(t.to_string()),
                _ => break,
            }
        }
        if let Some(re) = &regex {
            images.retain(|i| i.name().is_some_and(|n| re.is_match(n)));
        }
        // Newest first; the RFC 3339 creation dates sort as text.
        images.sort_by(|a, b| b.creation_date().cmp(&a.creation_date()));
        let image = match images.as_slice() {
            [] => {
                return Err(ProviderError::with_code(
                    "NotFound",
                    "no AMI matches the owners, filters and name_regex of this data source",
                ));
            }
            [one] => one,
            [newest, ..] if opt_bool(config, "most_recent") == Some(true) => newest,
            many => {
                return Err(ProviderError::with_code(
                    "TooManyResults",
                    format!(
                        "{} AMIs match; narrow the filters down or set most_recent = true",
                        many.len()
                    ),
                ));
            }
        };
        Ok(image_value(ctx, image, config))
    }
}
