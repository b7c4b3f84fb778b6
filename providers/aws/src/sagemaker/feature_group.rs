//! `aws_sagemaker_feature_group`: a Feature Store feature group (online and/or offline store).
//! Every attribute but `tags` replaces it (UpdateFeatureGroup only adds features and tunes the
//! online store, which this type does not expose).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_feature_group::DescribeFeatureGroupOutput;
use aws_sdk_sagemaker::types::{
    FeatureDefinition, FeatureType, OfflineStoreConfig, OnlineStoreConfig, S3StorageConfig,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::adopt;
use super::{
    Kind, Listed, SageMakerType, Status, block, invalid, items, list as list_block, list_named, single, sm_tags,
    still_exists, time, wait_status, with_arn_id, with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, opt_bool, opt_str, opt_string, req_str, string};

pub struct FeatureGroup;

const FEATURE_TYPES: [&str; 3] = ["Integral", "Fractional", "String"];

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_feature_group",
    noun: "feature group",
    name_attr: "feature_group_name",
    stamp: Some("creation_time"),
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let feature = Schema::new("One feature.")
        .attr(
            "feature_name",
            Attribute::required(Type::String).describe("The feature name."),
        )
        .attr(
            "feature_type",
            Attribute::required(Type::String).describe("Integral, Fractional or String."),
        )
        .unsupported(
            "collection_type",
            "Plinth's feature definitions are scalar features only (no List, Set or Vector collections yet): leave it out",
        )
        .unsupported_block(
            "collection_config",
            "Plinth's feature definitions are scalar features only (no List, Set or Vector collections yet): leave it out",
        );
    let online = Schema::new("The online store (low-latency reads of the latest record).")
        .attr(
            "enable_online_store",
            Attribute::optional_computed(Type::Bool).describe("Whether the online store is on."),
        )
        .unsupported(
            "storage_type",
            "Plinth's online store uses SageMaker's default storage (Standard); InMemory is not supported yet: leave it out",
        )
        .unsupported_blocks(
            &["security_config", "ttl_duration"],
            "Plinth's online store does not send this block yet (the default AWS-owned key, no record expiry): leave it out",
        );
    let s3 = Schema::new("Where the offline store writes.").attr(
        "s3_uri",
        Attribute::required(Type::String).describe("S3 URI the offline store writes under."),
    );
    let s3 = s3.unsupported_all(
        &["kms_key_id", "resolved_output_s3_uri"],
        "Plinth's offline store takes s3_uri only (encrypted with the bucket's default key): leave it out",
    );
    let offline = Schema::new("The offline store (historical records in S3, for training).")
        .block("s3_storage_config", single(s3, 1, false))
        .unsupported(
            "disable_glue_table_creation",
            "Plinth lets SageMaker create the offline store's Glue table as it does by default: leave it out",
        )
        .unsupported_block(
            "data_catalog_config",
            "Plinth lets SageMaker name the offline store's Glue catalog table by default: leave it out",
        )
        .unsupported_block(
            "table_format",
            "Plinth's offline store uses SageMaker's default table format (Glue); Iceberg is not supported yet: leave it out",
        );
    with_tags(with_arn_id(
        Schema::new(
            "A SageMaker Feature Store feature group. Create waits until it is Created, delete until it is gone. \
             Every attribute but tags replaces it. Refresh: one ListFeatureGroups per 100 groups (name filter), \
             DescribeFeatureGroup only for a group re-created since the last refresh, and one ListTags each. \
             Import with the feature group name.",
        )
        .attr(
            "feature_group_name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The feature group name."),
        )
        .attr(
            "record_identifier_feature_name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The feature that identifies a record."),
        )
        .attr(
            "event_time_feature_name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The feature that holds a record's event time."),
        )
        .attr(
            "role_arn",
            Attribute::required(Type::String)
                .force_new()
                .describe("IAM role Feature Store uses to write the offline store."),
        )
        .attr(
            "description",
            Attribute::optional(Type::String)
                .force_new()
                .describe("What the group holds."),
        )
        .attr(
            "creation_time",
            Attribute::computed(Type::String).describe("When the group was created (RFC 3339)."),
        )
        .block("feature_definition", list_block(feature, 1, Some(2500), true))
        .block("online_store_config", single(online, 0, true))
        .block("offline_store_config", single(offline, 0, true)),
    ))
    .unsupported_block(
        "throughput_config",
        "Plinth's feature groups use SageMaker's default throughput mode (on demand): leave it out",
    )
    .identity(&["feature_group_name"])
});

impl Status for (DescribeFeatureGroupOutput, Vec<FeatureDefinition>) {
    fn status(&self) -> (&str, Option<&str>) {
        let d = &self.0;
        (
            d.feature_group_status().map(|s| s.as_str()).unwrap_or_default(),
            d.failure_reason(),
        )
    }
}

#[async_trait]
impl SageMakerType for FeatureGroup {
    type Described = (DescribeFeatureGroupOutput, Vec<FeatureDefinition>);

    fn kind() -> &'static Kind {
        &KIND
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        items(config, "feature_definition")
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let t = f.get("feature_type").as_str()?;
                (!FEATURE_TYPES.contains(&t)).then(|| {
                    invalid(
                        &format!("feature_definition[{i}].feature_type"),
                        "Invalid feature type",
                        format!("feature_type must be one of {}, not {t:?}", FEATURE_TYPES.join(", ")),
                    )
                })
            })
            .collect()
    }

    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "feature_group_name")?;
        let tags = ctx.merged_tags(planned.get("tags"));
        let features = items(planned, "feature_definition")
            .iter()
            .map(|f| {
                FeatureDefinition::builder()
                    .set_feature_name(opt_str(f, "feature_name"))
                    .set_feature_type(opt_str(f, "feature_type").map(|t| FeatureType::from(t.as_str())))
                    .build()
            })
            .collect();
        let online = block(planned, "online_store_config").map(|o| {
            OnlineStoreConfig::builder()
                .set_enable_online_store(opt_bool(o, "enable_online_store"))
                .build()
        });
        let offline = block(planned, "offline_store_config").map(|o| {
            OfflineStoreConfig::builder()
                .set_s3_storage_config(
                    block(o, "s3_storage_config")
                        .map(|s| S3StorageConfig::builder().set_s3_uri(opt_str(s, "s3_uri")).build()),
                )
                .build()
        });
        let sent = ctx
            .sagemaker
            .create_feature_group()
            .feature_group_name(&name)
            .record_identifier_feature_name(req_str(planned, "record_identifier_feature_name")?)
            .event_time_feature_name(req_str(planned, "event_time_feature_name")?)
            .set_feature_definitions(Some(features))
            .set_online_store_config(online)
            .set_offline_store_config(offline)
            .set_role_arn(opt_str(planned, "role_arn"))
            .set_description(opt_str(planned, "description"))
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        let what = KIND.what(&name);
        let waited = wait_status(ctx, &what, &["Created"], &["CreateFailed"], || {
            Self::describe(ctx, &name)
        })
        .await;
        self.settled(ctx, &name, waited, &tags, planned).await
    }

    /// Describes a group, following the pages of its feature definitions.
    async fn describe(
        ctx: &Ctx,
        name: &str,
    ) -> Result<Option<(DescribeFeatureGroupOutput, Vec<FeatureDefinition>)>, ProviderError> {
        let mut token: Option<String> = None;
        let mut first: Option<DescribeFeatureGroupOutput> = None;
        let mut features = Vec::new();
        loop {
            let call = ctx
                .sagemaker
                .describe_feature_group()
                .feature_group_name(name)
                .set_next_token(token)
                .send()
                .boxed();
            let Some(d) = call_found(call).await? else {
                return Ok(None);
            };
            features.extend(d.feature_definitions().iter().cloned());
            token = d.next_token().filter(|t| !t.is_empty()).map(str::to_string);
            first.get_or_insert(d);
            if token.is_none() {
                break;
            }
        }
        Ok(first.map(|d| (d, features)))
    }

    fn to_value((d, features): &(DescribeFeatureGroupOutput, Vec<FeatureDefinition>), _prior: &Value) -> Value {
        let name = d.feature_group_name().unwrap_or_default();
        let features = features
            .iter()
            .map(|f| {
                Value::object([
                    ("feature_name", opt_string(f.feature_name())),
                    (
                        "feature_type",
                        opt_string(f.feature_type().map(|t| t.as_str().to_string())),
                    ),
                ])
            })
            .collect();
        let online = d
            .online_store_config()
            .map(|o| {
                Value::object([(
                    "enable_online_store",
                    o.enable_online_store().map(Value::Bool).unwrap_or(Value::Null),
                )])
            })
            .unwrap_or(Value::Null);
        let offline = d
            .offline_store_config()
            .map(|o| {
                let s3 = o
                    .s3_storage_config()
                    .map(|s| Value::object([("s3_uri", opt_string(s.s3_uri()))]))
                    .unwrap_or(Value::Null);
                Value::object([("s3_storage_config", s3)])
            })
            .unwrap_or(Value::Null);
        Value::object([
            ("feature_group_name", string(name)),
            ("id", string(name)),
            ("arn", opt_string(d.feature_group_arn())),
            (
                "record_identifier_feature_name",
                opt_string(d.record_identifier_feature_name()),
            ),
            ("event_time_feature_name", opt_string(d.event_time_feature_name())),
            ("role_arn", opt_string(d.role_arn())),
            ("description", opt_string(d.description())),
            ("creation_time", time(d.creation_time())),
            ("feature_definition", Value::List(features)),
            ("online_store_config", online),
            ("offline_store_config", offline),
        ])
    }

    async fn list(ctx: &Ctx, names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        let items = |filter| {
            let list = ctx
                .sagemaker
                .list_feature_groups()
                .set_name_contains(filter)
                .max_results(100);
            list.into_paginator().items().send()
        };
        let listed = list_named(names, items, |g| {
            let listed = Listed::new(g.feature_group_arn(), g.creation_time());
            Some((g.feature_group_name()?.to_string(), listed))
        });
        Ok(Some(listed.await?))
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        delete_call(
            ctx.sagemaker
                .delete_feature_group()
                .feature_group_name(name)
                .send()
                .boxed(),
        )
        .await
    }

    fn exists(what: &str, described: Option<Self::Described>) -> Result<bool, ProviderError> {
        still_exists(what, described)
    }
}
