//! EventBridge (CloudWatch Events): rules that match events or run on a schedule
//! (`aws_cloudwatch_event_rule`) and the targets they invoke (`aws_cloudwatch_event_target`),
//! such as a SageMaker pipeline started nightly or a Lambda function on a model-registry event.
//!
//! Shared here: tags in EventBridge's shape, the bus a state names (`default` when left out),
//! and Terraform's ids: a rule is `NAME` on the default bus and `BUS/NAME` elsewhere.

mod rule;
mod target;

use std::collections::BTreeMap;

use aws_sdk_eventbridge::types::Tag;
use plinth_sdk::{ProviderError, Value};

use crate::AwsResource;
use crate::util::opt_str;

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(rule::Rule), Box::new(target::Target)]
}

/// The bus every rule is on unless told otherwise.
pub(crate) const DEFAULT_BUS: &str = "default";

/// Tags in EventBridge's shape.
pub(crate) fn events_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| ProviderError::new(format!("EventBridge tag {k:?}: {e}")))
        })
        .collect()
}

/// The event bus a configuration or state names (`event_bus_name`), `default` when left out. A
/// bus may be named by ARN; the API takes either.
pub(crate) fn bus_of(v: &Value) -> String {
    opt_str(v, "event_bus_name").unwrap_or_else(|| DEFAULT_BUS.to_string())
}

/// Terraform's id of a rule: `NAME` on the default bus, `BUS/NAME` on another.
pub(crate) fn rule_id(bus: &str, name: &str) -> String {
    if bus == DEFAULT_BUS {
        name.to_string()
    } else {
        format!("{bus}/{name}")
    }
}

/// The bus and name in a rule id. A bus given by ARN holds a `/` itself (`event-bus/NAME`), so
/// the name is the part after the last one.
pub(crate) fn parse_rule_id(id: &str) -> (String, String) {
    match id.rsplit_once('/') {
        Some((bus, name)) => (bus.to_string(), name.to_string()),
        None => (DEFAULT_BUS.to_string(), id.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_terraforms() {
        assert_eq!(rule_id("default", "nightly"), "nightly");
        assert_eq!(rule_id("ml", "nightly"), "ml/nightly");
        assert_eq!(parse_rule_id("nightly"), ("default".into(), "nightly".into()));
        assert_eq!(parse_rule_id("ml/nightly"), ("ml".into(), "nightly".into()));
        let arn = "arn:aws:events:us-east-1:123456789012:event-bus/ml";
        assert_eq!(parse_rule_id(&format!("{arn}/nightly")), (arn.into(), "nightly".into()));
    }
}
