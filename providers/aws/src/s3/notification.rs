//! `aws_s3_bucket_notification`: the events a bucket sends to SNS topics, SQS queues, Lambda
//! functions and EventBridge (GetBucketNotificationConfiguration /
//! PutBucketNotificationConfiguration; destroy puts an empty configuration, as Terraform does).

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    Event, EventBridgeConfiguration, FilterRule, FilterRuleName, LambdaFunctionConfiguration,
    NotificationConfiguration, NotificationConfigurationFilter, QueueConfiguration, S3KeyFilter, TopicConfiguration,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderError, Schema, Type, Value};

use super::{BucketConfig, BucketRef, build_error, done, got, plan_defaults, sub_schema};
use crate::Ctx;
use crate::util::{items, list};
use crate::util::{list_of_strings, opt_bool, opt_str, opt_string, str_list};

pub struct Notification;

/// One destination block: its ARN attribute, then what every destination has.
fn destination(what: &str, arn: &str, arn_required: bool) -> Schema {
    let arn_attr = if arn_required {
        Attribute::required(Type::String)
    } else {
        Attribute::optional(Type::String)
    };
    Schema::new(&format!("Events sent to one {what}, in the order written."))
        .attr(arn, arn_attr.describe(&format!("ARN of the {what}.")))
        .attr(
            "events",
            Attribute::required(Type::List(Box::new(Type::String)))
                .describe("Event types (`s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`, ...)."),
        )
        .attr(
            "filter_prefix",
            Attribute::optional(Type::String).describe("Only keys starting with this."),
        )
        .attr(
            "filter_suffix",
            Attribute::optional(Type::String).describe("Only keys ending with this."),
        )
        .attr(
            "id",
            Attribute::optional_computed(Type::String)
                .describe("Id of the configuration; S3 generates one when unset."),
        )
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    sub_schema(
        Schema::new(
            "The event notifications of a bucket (new objects announced to a queue, a topic, a function or \
             EventBridge): one resource holds all of them. Import with the bucket name.",
        )
        .attr(
            "eventbridge",
            Attribute::optional(Type::Bool).describe("Send every event to Amazon EventBridge (default false)."),
        )
        .block(
            "topic",
            list(destination("SNS topic", "topic_arn", true), 0, None, false),
        )
        .block(
            "queue",
            list(destination("SQS queue", "queue_arn", true), 0, None, false),
        )
        .block(
            "lambda_function",
            list(
                destination("Lambda function", "lambda_function_arn", false),
                0,
                None,
                false,
            ),
        ),
        false,
    )
});

/// The key filter of a destination block, when it has one.
fn filter_of(v: &Value) -> Option<NotificationConfigurationFilter> {
    let rules: Vec<FilterRule> = [
        ("filter_prefix", FilterRuleName::Prefix),
        ("filter_suffix", FilterRuleName::Suffix),
    ]
    .into_iter()
    .filter_map(|(k, name)| opt_str(v, k).map(|value| FilterRule::builder().name(name).value(value).build()))
    .collect();
    (!rules.is_empty()).then(|| {
        NotificationConfigurationFilter::builder()
            .key(S3KeyFilter::builder().set_filter_rules(Some(rules)).build())
            .build()
    })
}

/// `filter_prefix` and `filter_suffix` from a key filter (S3 answers `Prefix`, moto `prefix`).
fn filters(f: Option<&NotificationConfigurationFilter>) -> [(&'static str, Value); 2] {
    let rules = f.and_then(|f| f.key()).map(|k| k.filter_rules()).unwrap_or_default();
    let get = |n: &str| {
        rules
            .iter()
            .find(|r| r.name().is_some_and(|x| x.as_str().eq_ignore_ascii_case(n)))
            .and_then(|r| r.value())
            .map(|v| Value::String(v.to_string()))
            .unwrap_or(Value::Null)
    };
    [("filter_prefix", get("prefix")), ("filter_suffix", get("suffix"))]
}

fn events_of(v: &Value) -> Vec<Event> {
    str_list(v, "events").iter().map(|e| Event::from(e.as_str())).collect()
}

fn destination_value(
    arn_attr: &'static str,
    arn: Option<&str>,
    id: Option<&str>,
    events: &[Event],
    f: Option<&NotificationConfigurationFilter>,
) -> Value {
    let mut m = vec![
        (arn_attr, opt_string(arn)),
        ("id", opt_string(id)),
        ("events", list_of_strings(events.iter().map(|e| e.as_str().to_string()))),
    ];
    m.extend(filters(f));
    Value::object(m)
}

#[async_trait]
impl BucketConfig for Notification {
    const TYPE_NAME: &'static str = "aws_s3_bucket_notification";
    const HAS_OWNER: bool = false;

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn plan(_ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = crate::util::plan_blocks(Self::schema(), req);
        plan_defaults(&mut resp, &[("eventbridge", Value::Bool(false))], &req.config);
        resp
    }

    async fn get(
        ctx: &Ctx,
        b: &BucketRef,
        _prior: &Value,
    ) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx
            .s3
            .get_bucket_notification_configuration()
            .bucket(&b.bucket)
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let topics: Vec<Value> = out
            .topic_configurations()
            .iter()
            .map(|t| destination_value("topic_arn", Some(t.topic_arn()), t.id(), t.events(), t.filter()))
            .collect();
        let queues: Vec<Value> = out
            .queue_configurations()
            .iter()
            .map(|q| destination_value("queue_arn", Some(q.queue_arn()), q.id(), q.events(), q.filter()))
            .collect();
        let lambdas: Vec<Value> = out
            .lambda_function_configurations()
            .iter()
            .map(|l| {
                destination_value(
                    "lambda_function_arn",
                    Some(l.lambda_function_arn()),
                    l.id(),
                    l.events(),
                    l.filter(),
                )
            })
            .collect();
        let eventbridge = out.event_bridge_configuration().is_some();
        // No destination at all: the configuration is gone.
        if topics.is_empty() && queues.is_empty() && lambdas.is_empty() && !eventbridge {
            return Ok(None);
        }
        Ok(Some(vec![
            ("eventbridge", Value::Bool(eventbridge)),
            ("topic", Value::List(topics)),
            ("queue", Value::List(queues)),
            ("lambda_function", Value::List(lambdas)),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let mut conf = NotificationConfiguration::builder();
        for t in items(planned, "topic") {
            conf = conf.topic_configurations(
                TopicConfiguration::builder()
                    .set_id(opt_str(t, "id"))
                    .set_topic_arn(opt_str(t, "topic_arn"))
                    .set_events(Some(events_of(t)))
                    .set_filter(filter_of(t))
                    .build()
                    .map_err(|e| build_error("topic", e))?,
            );
        }
        for q in items(planned, "queue") {
            conf = conf.queue_configurations(
                QueueConfiguration::builder()
                    .set_id(opt_str(q, "id"))
                    .set_queue_arn(opt_str(q, "queue_arn"))
                    .set_events(Some(events_of(q)))
                    .set_filter(filter_of(q))
                    .build()
                    .map_err(|e| build_error("queue", e))?,
            );
        }
        for l in items(planned, "lambda_function") {
            conf = conf.lambda_function_configurations(
                LambdaFunctionConfiguration::builder()
                    .set_id(opt_str(l, "id"))
                    .set_lambda_function_arn(opt_str(l, "lambda_function_arn"))
                    .set_events(Some(events_of(l)))
                    .set_filter(filter_of(l))
                    .build()
                    .map_err(|e| build_error("lambda_function", e))?,
            );
        }
        if opt_bool(planned, "eventbridge") == Some(true) {
            conf = conf.event_bridge_configuration(EventBridgeConfiguration::builder().build());
        }
        done(
            ctx.s3
                .put_bucket_notification_configuration()
                .bucket(&b.bucket)
                .notification_configuration(conf.build())
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .put_bucket_notification_configuration()
                .bucket(&b.bucket)
                .notification_configuration(NotificationConfiguration::builder().build())
                .send()
                .boxed()
                .await,
            true,
        )
    }
}
