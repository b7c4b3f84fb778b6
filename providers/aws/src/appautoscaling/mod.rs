//! Application Auto Scaling: the scalable target that bounds a resource's capacity
//! (`aws_appautoscaling_target`, such as a SageMaker endpoint variant's instance count) and the
//! policies that move it between those bounds (`aws_appautoscaling_policy`).
//!
//! Shared here: the three-part key every call names an object by (service namespace, resource
//! id, scalable dimension) and parsing Terraform's import ids built from it. The CloudWatch alarms
//! AWS makes for target tracking policies are AWS's: Plinth reports their ARNs and never touches
//! them.

mod policy;
mod target;

use aws_sdk_applicationautoscaling::types::{ScalableDimension, ServiceNamespace};
use plinth_sdk::{ProviderError, Value};

use crate::AwsResource;
use crate::util::req_str;

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(target::Target), Box::new(policy::Policy)]
}

/// DescribeScalableTargets takes at most this many resource ids, DescribeScalingPolicies this
/// many policy names.
const PER_CALL: usize = 50;

/// Every object a Describe call answers for `names`, `PER_CALL` names a call and every page of
/// each: `call(chunk, next_token)` sends one request and answers its objects and the next token.
/// Both types' batched reads go through it.
async fn describe_all<T, F, Fut>(names: &[String], mut call: F) -> Result<Vec<T>, ProviderError>
where
    F: FnMut(Vec<String>, Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>), ProviderError>>,
{
    let mut out = Vec::new();
    for chunk in names.chunks(PER_CALL) {
        let mut next = None;
        loop {
            let (found, token) = call(chunk.to_vec(), next).await?;
            out.extend(found);
            next = token.filter(|t| !t.is_empty());
            if next.is_none() {
                break;
            }
        }
    }
    Ok(out)
}

/// The namespace, resource id and dimension a configuration or state names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Key {
    pub namespace: String,
    pub resource_id: String,
    pub dimension: String,
}

impl Key {
    /// The key of what AWS answered.
    fn new(namespace: &str, resource_id: &str, dimension: &ScalableDimension) -> Key {
        Key {
            namespace: namespace.to_string(),
            resource_id: resource_id.to_string(),
            dimension: dimension.as_str().to_string(),
        }
    }

    pub fn of(v: &Value) -> Result<Key, ProviderError> {
        Ok(Key {
            namespace: req_str(v, "service_namespace")?,
            resource_id: req_str(v, "resource_id")?,
            dimension: req_str(v, "scalable_dimension")?,
        })
    }

    pub fn namespace(&self) -> ServiceNamespace {
        ServiceNamespace::from(self.namespace.as_str())
    }

    pub fn dimension(&self) -> ScalableDimension {
        ScalableDimension::from(self.dimension.as_str())
    }
}

/// Splits Terraform's import id `SERVICE_NAMESPACE/RESOURCE_ID/SCALABLE_DIMENSION` (the resource
/// id holds slashes of its own: `endpoint/NAME/variant/AllTraffic`) and, with `with_name`, a
/// trailing `/POLICY_NAME`. Like Terraform, a DynamoDB resource id is `table/T` or
/// `table/T/index/I` and an MSK one has three parts, so a policy name after them may hold slashes.
pub(crate) fn parse_import_id(id: &str, with_name: bool) -> Option<(Key, Option<String>)> {
    let parts: Vec<&str> = id.split('/').collect();
    let min = if with_name { 4 } else { 3 };
    if parts.len() < min {
        return None;
    }
    let namespace = parts[0];
    let (rid_end, name) = if !with_name {
        (parts.len() - 1, None)
    } else {
        let dimension_at = match namespace {
            "dynamodb" if parts.get(3) == Some(&"index") => 5,
            "dynamodb" => 3,
            "kafka" => 4,
            _ => parts.len() - 2,
        };
        if dimension_at + 1 >= parts.len() {
            return None;
        }
        (dimension_at, Some(parts[dimension_at + 1..].join("/")))
    };
    let key = Key {
        namespace: namespace.to_string(),
        resource_id: parts[1..rid_end].join("/"),
        dimension: parts[rid_end].to_string(),
    };
    let empty = key.namespace.is_empty()
        || key.resource_id.is_empty()
        || key.dimension.is_empty()
        || name.as_deref().is_some_and(str::is_empty);
    (!empty).then_some((key, name))
}

/// An integer of i32 range (capacities, cooldowns, adjustments) at `key`.
pub(crate) fn int32(v: &Value, key: &str) -> Option<i32> {
    v.get(key).as_i64().and_then(|n| i32::try_from(n).ok())
}

pub(crate) fn int(n: Option<i32>) -> Value {
    n.map(|n| Value::int(n.into())).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ns: &str, rid: &str, dim: &str) -> Key {
        Key {
            namespace: ns.into(),
            resource_id: rid.into(),
            dimension: dim.into(),
        }
    }

    #[test]
    fn import_ids_are_terraforms() {
        let variant = "endpoint/churn/variant/AllTraffic";
        let dim = "sagemaker:variant:DesiredInstanceCount";
        assert_eq!(
            parse_import_id(&format!("sagemaker/{variant}/{dim}"), false),
            Some((key("sagemaker", variant, dim), None))
        );
        assert_eq!(
            parse_import_id(&format!("sagemaker/{variant}/{dim}/scale"), true),
            Some((key("sagemaker", variant, dim), Some("scale".into())))
        );
        assert_eq!(
            parse_import_id("dynamodb/table/t/index/i/dynamodb:index:ReadCapacityUnits/a/b", true),
            Some((
                key("dynamodb", "table/t/index/i", "dynamodb:index:ReadCapacityUnits"),
                Some("a/b".into())
            ))
        );
        assert_eq!(
            parse_import_id("dynamodb/table/t/dynamodb:table:ReadCapacityUnits/p", true),
            Some((
                key("dynamodb", "table/t", "dynamodb:table:ReadCapacityUnits"),
                Some("p".into())
            ))
        );
        assert_eq!(parse_import_id("sagemaker/x", false), None);
        assert_eq!(parse_import_id(&format!("sagemaker/{variant}/{dim}/"), true), None);
        assert_eq!(parse_import_id("ecs//ecs:service:DesiredCount", false), None);
    }
}
