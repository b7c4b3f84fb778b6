//! EC2 Auto Scaling: groups of instances launched from a launch template
//! (`aws_autoscaling_group`), such as GPU worker pools. Their tags are `tag` blocks with
//! `propagate_at_launch`, set through the Auto Scaling API (CreateOrUpdateTags/DeleteTags), and
//! take no part in the provider's `default_tags`, as in Terraform.

mod group;

use crate::AwsResource;

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(group::AutoscalingGroup)]
}
