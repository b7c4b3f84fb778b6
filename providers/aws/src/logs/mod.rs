//! CloudWatch Logs: `aws_cloudwatch_log_group`, where training jobs, endpoints and Lambda
//! functions write their logs.
//!
//! Shared here: [`describe_groups`], the batched lookup of log groups by name: names are grouped
//! by their common prefix (names under one parent path, such as `/aws/sagemaker/...`, share one
//! group), and each group costs one DescribeLogGroups per page (50 log groups) of that prefix.

mod log_group;

use std::collections::{HashMap, HashSet};

use aws_sdk_cloudwatchlogs::types::LogGroup;
use futures::FutureExt as _;
use plinth_sdk::ProviderError;

use crate::error::aws_error;
use crate::{AwsResource, Ctx};

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(log_group::LogGroupResource)]
}

fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let n = a
        .char_indices()
        .zip(b.chars())
        .take_while(|((_, x), y)| x == y)
        .last()
        .map(|((i, c), _)| i + c.len_utf8())
        .unwrap_or(0);
    &a[..n]
}

/// The prefixes to list so that every name in `names` is listed: sorted names are grouped while
/// they share at least the parent path of the group's first name (all up to its last `/`, or one
/// character for a name without one).
pub(crate) fn prefix_groups(names: &[String]) -> Vec<String> {
    let mut sorted: Vec<&str> = names.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<(String, usize)> = None;
    for name in sorted {
        if let Some((prefix, min)) = &mut current {
            let shared = common_prefix(prefix, name);
            if shared.len() >= *min {
                *prefix = shared.to_string();
                continue;
            }
            out.push(std::mem::take(prefix));
        }
        let min = name.rfind('/').map(|i| i + 1).unwrap_or(1).max(1);
        current = Some((name.to_string(), min));
    }
    out.extend(current.map(|(p, _)| p));
    out
}

/// The log groups named in `names` that exist, by name: one DescribeLogGroups per page of each
/// prefix of [`prefix_groups`].
pub(crate) async fn describe_groups(ctx: &Ctx, names: &[String]) -> Result<HashMap<String, LogGroup>, ProviderError> {
    let wanted: HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut found = HashMap::new();
    for prefix in prefix_groups(names) {
        let mut next = None;
        loop {
            let page = ctx
                .logs
                .describe_log_groups()
                .log_group_name_prefix(&prefix)
                .limit(50)
                .set_next_token(next)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            for g in page.log_groups() {
                if let Some(n) = g.log_group_name()
                    && wanted.contains(n)
                {
                    found.insert(n.to_string(), g.clone());
                }
            }
            next = page.next_token().map(str::to_string);
            if next.is_none() {
                break;
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(names: &[&str]) -> Vec<String> {
        prefix_groups(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn names_under_one_parent_share_a_prefix() {
        assert_eq!(
            groups(&[
                "/aws/sagemaker/b",
                "/aws/sagemaker/a",
                "/aws/lambda/f",
                "train-1",
                "train-2",
                "x"
            ]),
            vec!["/aws/lambda/f", "/aws/sagemaker/", "train-", "x"]
        );
        assert_eq!(groups(&["only"]), vec!["only"]);
        assert!(groups(&[]).is_empty());
    }
}
