//! Tags, written once for every service: the `tags`/`tags_all` schema pair, reading tags back
//! (AWS's own `aws:` tags left out), telling the user's tags from `default_tags`, planning
//! `tags_all`, and making an object's tags match (one tag API per service, in [`Tagged`]).
//! Which tags a create call sends, and how a service lists tags, stay with the resource modules.

use std::collections::BTreeMap;

use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use crate::Ctx;
use crate::error::aws_error;
use crate::util::{map_of_strings, str_map};

/// `tags` (optional) and `tags_all` (computed: tags plus default_tags), as Terraform has them.
pub fn with_tags(schema: Schema) -> Schema {
    with_tags_described(schema, "Tags of the object.")
}

/// [`with_tags`], with `tags` described as `description`.
pub fn with_tags_described(schema: Schema, description: &str) -> Schema {
    schema
        .attr(
            "tags",
            Attribute::optional(Type::Map(Box::new(Type::String))).describe(description),
        )
        .attr(
            "tags_all",
            Attribute::computed(Type::Map(Box::new(Type::String)))
                .describe("All tags, including the provider's default_tags."),
        )
}

/// The tags on an object, from a service's `(key, value)` pairs. Keys starting with `aws:` are
/// AWS's own (such as `aws:cloudformation:stack-name`, or `aws:ec2launchtemplate:id` on an
/// instance launched from a template): users can neither set nor remove them, so they are left
/// out, as Terraform's AWS provider does. So are Plinth's own bookkeeping tags (`plinth:address`,
/// `plinth:lineage`, see [`crate::idempotent`]): they are the provider's, never in `tags` or
/// `tags_all`, so never drift. When a key appears twice the last wins.
pub fn tags_from<'a>(pairs: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .filter_map(|(k, v)| Some((k?.to_string(), v.unwrap_or_default().to_string())))
        .filter(|(k, _)| !k.starts_with("aws:") && !k.starts_with(crate::idempotent::PREFIX))
        .collect()
}

/// A tags map for state: null when empty and the configuration left it null, so an untagged
/// resource does not plan a change from null to {}.
pub fn tags_value(tags: &BTreeMap<String, String>, configured: &Value) -> Value {
    if tags.is_empty() && configured.is_null() {
        Value::Null
    } else {
        map_of_strings(tags)
    }
}

/// The user's own tags out of all tags on the object (those not added by default_tags, unless
/// the user set them too).
pub fn own_tags(all: &BTreeMap<String, String>, ctx: &Ctx, configured: &Value) -> BTreeMap<String, String> {
    let mine = str_map(configured, "tags");
    all.iter()
        .filter(|(k, v)| mine.contains_key(*k) || ctx.default_tags.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The `tags` (the user's own, judged against `configured`: the prior state or planned value)
/// and `tags_all` values of an object carrying `all`.
pub fn tag_values(ctx: &Ctx, all: &BTreeMap<String, String>, configured: &Value) -> (Value, Value) {
    let mine = own_tags(all, ctx, configured);
    (tags_value(&mine, configured.get("tags")), map_of_strings(all))
}

/// After the standard plan: `tags_all` planned as default_tags merged with the configured
/// `tags`, unknown while `tags` is, so a tag change shows its effect on `tags_all` instead of
/// keeping the prior value.
pub fn plan_tags_all(ctx: &Ctx, config: &Value, planned: &mut Value) {
    let tags = config.get("tags");
    let all = if tags.contains_unknown() {
        Value::Unknown
    } else {
        map_of_strings(&ctx.merged_tags(tags))
    };
    if let Value::Map(m) = planned {
        m.insert("tags_all".to_string(), all);
    }
}

/// An object whose tags [`sync_tags`] changes, by the service's tagging API.
#[derive(Clone, Copy, Debug)]
pub enum Tagged<'a> {
    /// An EC2 object by id (CreateTags/DeleteTags).
    Ec2(&'a str),
    /// A SageMaker object by ARN (AddTags/DeleteTags).
    SageMaker(&'a str),
    /// An IAM role by name (TagRole/UntagRole).
    IamRole(&'a str),
    /// An IAM managed policy by ARN (TagPolicy/UntagPolicy).
    IamPolicy(&'a str),
    /// An IAM instance profile by name (TagInstanceProfile/UntagInstanceProfile).
    IamInstanceProfile(&'a str),
    /// A Secrets Manager secret by ARN (TagResource/UntagResource).
    Secret(&'a str),
    /// A KMS key by id (TagResource/UntagResource).
    Kms(&'a str),
    /// A CloudWatch Logs log group by ARN, without the `:*` suffix (TagResource/UntagResource).
    Logs(&'a str),
    /// An ECR repository by ARN (TagResource/UntagResource).
    Ecr(&'a str),
    /// An SSM parameter by name (AddTagsToResource/RemoveTagsFromResource).
    SsmParameter(&'a str),
    /// A Lambda function by ARN (TagResource/UntagResource).
    Lambda(&'a str),
    /// An RDS object by ARN (AddTagsToResource/RemoveTagsFromResource).
    Rds(&'a str),
    /// An ElastiCache object by ARN (AddTagsToResource/RemoveTagsFromResource).
    ElastiCache(&'a str),
    /// A Redshift object by ARN (CreateTags/DeleteTags).
    Redshift(&'a str),
    /// A Glue object by ARN (TagResource/UntagResource).
    Glue(&'a str),
    /// An ELBv2 load balancer, target group or listener by ARN (AddTags/RemoveTags).
    Elbv2(&'a str),
    /// A Classic Load Balancer by name (AddTags/RemoveTags).
    Elb(&'a str),
    /// An EventBridge rule by ARN (TagResource/UntagResource).
    Events(&'a str),
    /// An ECS cluster, service or task definition by ARN (TagResource/UntagResource).
    Ecs(&'a str),
    /// An Application Auto Scaling scalable target by ARN (TagResource/UntagResource).
    AppAutoScaling(&'a str),
}

/// Makes the tags on `target` equal to `want`, given that they are `have`: first removes the
/// keys `want` lacks, then sets the tags to add or change; each call only when it has something
/// to do.
pub async fn sync_tags(
    ctx: &Ctx,
    target: Tagged<'_>,
    have: &BTreeMap<String, String>,
    want: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    let gone: Vec<String> = have.keys().filter(|k| !want.contains_key(*k)).cloned().collect();
    let changed: BTreeMap<String, String> = want
        .iter()
        .filter(|(k, v)| have.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !gone.is_empty() {
        match target {
            Tagged::Ec2(id) => {
                let keys = gone.iter().map(|k| aws_sdk_ec2::types::Tag::builder().key(k).build());
                let call = ctx.ec2.delete_tags().resources(id).set_tags(Some(keys.collect()));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::SageMaker(arn) => {
                let call = ctx.sagemaker.delete_tags().resource_arn(arn).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::IamRole(name) => {
                let call = ctx.iam.untag_role().role_name(name).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::IamPolicy(arn) => {
                let call = ctx.iam.untag_policy().policy_arn(arn).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::IamInstanceProfile(name) => {
                let call = ctx
                    .iam
                    .untag_instance_profile()
                    .instance_profile_name(name)
                    .set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Secret(arn) => {
                let call = ctx
                    .secretsmanager
                    .untag_resource()
                    .secret_id(arn)
                    .set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Kms(id) => {
                let call = ctx.kms.untag_resource().key_id(id).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Logs(arn) => {
                let call = ctx.logs.untag_resource().resource_arn(arn).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Ecr(arn) => {
                let call = ctx.ecr.untag_resource().resource_arn(arn).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::SsmParameter(name) => {
                let call = ctx
                    .ssm
                    .remove_tags_from_resource()
                    .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
                    .resource_id(name)
                    .set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Lambda(arn) => {
                let call = ctx.lambda.untag_resource().resource(arn).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Rds(arn) => {
                let call = ctx
                    .rds
                    .remove_tags_from_resource()
                    .resource_name(arn)
                    .set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::ElastiCache(arn) => {
                let call = ctx
                    .elasticache
                    .remove_tags_from_resource()
                    .resource_name(arn)
                    .set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Redshift(arn) => {
                let call = ctx.redshift.delete_tags().resource_name(arn).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Glue(arn) => {
                let call = ctx
                    .glue
                    .untag_resource()
                    .resource_arn(arn)
                    .set_tags_to_remove(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Elbv2(arn) => {
                let call = ctx.elbv2.remove_tags().resource_arns(arn).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Elb(name) => {
                let keys = gone.iter().map(|k| {
                    aws_sdk_elasticloadbalancing::types::TagKeyOnly::builder()
                        .key(k)
                        .build()
                });
                let call = ctx
                    .elb
                    .remove_tags()
                    .load_balancer_names(name)
                    .set_tags(Some(keys.collect()));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Events(arn) => {
                let call = ctx.events.untag_resource().resource_arn(arn).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Ecs(arn) => {
                let call = ctx.ecs.untag_resource().resource_arn(arn).set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::AppAutoScaling(arn) => {
                let call = ctx
                    .appautoscaling
                    .untag_resource()
                    .resource_arn(arn)
                    .set_tag_keys(Some(gone));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
        }
    }
    if !changed.is_empty() {
        match target {
            Tagged::Ec2(id) => {
                let call = ctx
                    .ec2
                    .create_tags()
                    .resources(id)
                    .set_tags(Some(crate::ec2::ec2_tags(&changed)));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::SageMaker(arn) => {
                let call = ctx
                    .sagemaker
                    .add_tags()
                    .resource_arn(arn)
                    .set_tags(crate::sagemaker::sm_tags(&changed));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::IamRole(name) => {
                let call = ctx
                    .iam
                    .tag_role()
                    .role_name(name)
                    .set_tags(Some(crate::iam::iam_tags(&changed)?));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::IamPolicy(arn) => {
                let tags = Some(crate::iam::iam_tags(&changed)?);
                let call = ctx.iam.tag_policy().policy_arn(arn).set_tags(tags);
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::IamInstanceProfile(name) => {
                let tags = Some(crate::iam::iam_tags(&changed)?);
                let call = ctx
                    .iam
                    .tag_instance_profile()
                    .instance_profile_name(name)
                    .set_tags(tags);
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Secret(arn) => {
                let tags = crate::secretsmanager::secret_tags(&changed);
                let call = ctx.secretsmanager.tag_resource().secret_id(arn).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Kms(id) => {
                let tags = crate::kms::kms_tags(&changed)?;
                let call = ctx.kms.tag_resource().key_id(id).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Logs(arn) => {
                let tags = changed.clone().into_iter().collect();
                let call = ctx.logs.tag_resource().resource_arn(arn).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Ecr(arn) => {
                let tags = crate::ecr::ecr_tags(&changed)?;
                let call = ctx.ecr.tag_resource().resource_arn(arn).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::SsmParameter(name) => {
                let tags = crate::ssm::ssm_tags(&changed)?;
                let call = ctx
                    .ssm
                    .add_tags_to_resource()
                    .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
                    .resource_id(name)
                    .set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Lambda(arn) => {
                let tags = changed.clone().into_iter().collect();
                let call = ctx.lambda.tag_resource().resource(arn).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Rds(arn) => {
                let tags = crate::rds::rds_tags(&changed);
                let call = ctx.rds.add_tags_to_resource().resource_name(arn).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::ElastiCache(arn) => {
                let tags = crate::elasticache::elasticache_tags(&changed);
                let call = ctx
                    .elasticache
                    .add_tags_to_resource()
                    .resource_name(arn)
                    .set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Redshift(arn) => {
                let tags = crate::redshift::redshift_tags(&changed);
                let call = ctx.redshift.create_tags().resource_name(arn).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Glue(arn) => {
                let tags = changed.clone().into_iter().collect();
                let call = ctx.glue.tag_resource().resource_arn(arn).set_tags_to_add(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Elbv2(arn) => {
                let tags = crate::elbv2::elbv2_tags(&changed);
                let call = ctx.elbv2.add_tags().resource_arns(arn).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Elb(name) => {
                let tags = crate::elb::elb_tags(&changed)?;
                let call = ctx.elb.add_tags().load_balancer_names(name).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Events(arn) => {
                let tags = crate::events::events_tags(&changed)?;
                let call = ctx.events.tag_resource().resource_arn(arn).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::Ecs(arn) => {
                let tags = crate::ecs::ecs_tags(&changed);
                let call = ctx.ecs.tag_resource().resource_arn(arn).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
            Tagged::AppAutoScaling(arn) => {
                let tags = changed.clone().into_iter().collect();
                let call = ctx.appautoscaling.tag_resource().resource_arn(arn).set_tags(Some(tags));
                call.send().boxed().await.map(drop).map_err(aws_error)?;
            }
        }
    }
    Ok(())
}

/// Syncs the tags on `target` from the prior state's `tags_all` to the planned `tags` (plus
/// default_tags); returns the tags now on the object.
pub async fn update_tags(
    ctx: &Ctx,
    target: Tagged<'_>,
    prior: &Value,
    planned: &Value,
) -> Result<BTreeMap<String, String>, ProviderError> {
    let want = ctx.merged_tags(planned.get("tags"));
    sync_tags(ctx, target, &str_map(prior, "tags_all"), &want).await?;
    Ok(want)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_tags_are_left_out() {
        let pairs = [
            (Some("team"), Some("ml")),
            (Some("aws:cloudformation:stack-name"), Some("s")),
            (None, Some("no key")),
            (Some("empty"), None),
        ];
        let tags = tags_from(pairs);
        let expected: BTreeMap<String, String> = [("empty", ""), ("team", "ml")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(tags, expected);
    }
}
