//! The later S3 bucket sub-resources against moto — replication, metadata tables, and the named
//! configurations (intelligent tiering, request metrics, inventory, analytics): each is created on buckets made by boto3, checked
//! through boto3, changed out of band (seen as drift and repaired in place), imported by
//! Terraform's id, and destroyed. What moto 5.2 does not serve is ignored and says why.

mod common;

use common::boto::boto3;
use common::s3::*;
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ImportRequest, Provider, Value};

const ROLE: &str = "arn:aws:iam::123456789012:role/replication";

/// Two versioned buckets made by boto3, the source and the destination.
fn versioned_pair(src: &str, dst: &str) {
    for b in [src, dst] {
        make_bucket(b);
        boto3(&format!(
            "s3.put_bucket_versioning(Bucket='{b}', VersioningConfiguration={{'Status': 'Enabled'}})"
        ));
    }
}

/// What boto3 gets for a configuration that is gone: the error code.
fn gone_code(call: &str) -> String {
    boto3(&format!(
        "try:\n    {call}\n    print('still there')\nexcept s3.exceptions.ClientError as e:\n    \
         print(e.response['Error']['Code'])"
    ))
}

async fn import_error(p: &AwsProvider, t: &str, id: &str) -> String {
    p.import(ImportRequest {
        type_name: t.into(),
        address: format!("{t}.imported"),
        id: id.into(),
    })
    .await
    .expect_err("a bad import id")
    .to_string()
}

#[tokio::test]
async fn replication_rule_drift_import_and_delete() {
    const T: &str = "aws_s3_bucket_replication_configuration";
    let (src, dst) = ("plinth-more-repl-src", "plinth-more-repl-dst");
    versioned_pair(src, dst);
    let p = provider().await;
    let rule = |class: &str| {
        Value::List(vec![obj([
            ("id", s("everything")),
            ("status", s("Enabled")),
            (
                "destination",
                obj([
                    ("bucket", s(&format!("arn:aws:s3:::{dst}"))),
                    ("storage_class", s(class)),
                ]),
            ),
        ])])
    };
    let cfg = config(
        &p,
        T,
        &[("bucket", s(src)), ("role", s(ROLE)), ("rule", rule("STANDARD_IA"))],
    );
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(src));
    let live = boto3(&format!(
        "c = s3.get_bucket_replication(Bucket='{src}')['ReplicationConfiguration']\n\
         r = c['Rules'][0]\n\
         print(c['Role'], r['ID'], r['Status'], r['Destination']['Bucket'], r['Destination']['StorageClass'])"
    ));
    assert_eq!(
        live,
        format!("{ROLE} everything Enabled arn:aws:s3:::{dst} STANDARD_IA")
    );
    // Left unset, the priority is S3's (moto's 1) and stays out of the plan.
    let r0 = &state.get("rule").as_list().expect("rules")[0];
    assert!(r0.get("priority").as_i64().is_some(), "{r0:?}");
    assert!(r0.get("filter").is_null() && r0.get("delete_marker_replication").is_null());
    assert_reads_back(&p, T, &state).await;
    assert_clean(&p, T, &state, &cfg).await;

    boto3(&format!(
        "s3.put_bucket_replication(Bucket='{src}', ReplicationConfiguration={{'Role': '{ROLE}', 'Rules': \
         [{{'ID': 'everything', 'Priority': 1, 'Status': 'Enabled', 'Filter': {{'Prefix': ''}}, \
         'DeleteMarkerReplication': {{'Status': 'Disabled'}}, \
         'Destination': {{'Bucket': 'arn:aws:s3:::{dst}', 'StorageClass': 'GLACIER'}}}}]}})"
    ));
    let drifted = read(&p, T, &state).await.expect("still there");
    let r0 = &drifted.get("rule").as_list().expect("rules")[0];
    assert_eq!(r0.get("destination").get("storage_class"), &s("GLACIER"));
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert_eq!(repaired, state);

    // A changed rule is an update in place.
    let glacier = config(
        &p,
        T,
        &[("bucket", s(src)), ("role", s(ROLE)), ("rule", rule("GLACIER"))],
    );
    let updated = apply_in_place(&p, T, &state, &glacier).await;
    let r0 = &updated.get("rule").as_list().expect("rules")[0];
    assert_eq!(r0.get("destination").get("storage_class"), &s("GLACIER"));
    let back = apply_in_place(&p, T, &updated, &cfg).await;
    assert_eq!(back, state);

    assert_eq!(import(&p, T, src).await, state);
    let err = import_error(&p, T, &format!("{src},123456789012")).await;
    assert!(err.contains("bucket name alone"), "{err}");

    delete(&p, T, &state).await;
    assert_eq!(
        gone_code(&format!("s3.get_bucket_replication(Bucket='{src}')")),
        "ReplicationConfigurationNotFoundError"
    );
    assert!(read(&p, T, &state).await.is_none(), "refresh reports it gone");
}

#[tokio::test]
async fn replication_needs_versioning_on_the_source() {
    const T: &str = "aws_s3_bucket_replication_configuration";
    let (src, dst) = ("plinth-more-repl-unversioned", "plinth-more-repl-unversioned-dst");
    make_bucket(src);
    make_bucket(dst);
    let p = provider().await;
    let cfg = config(
        &p,
        T,
        &[
            ("bucket", s(src)),
            ("role", s(ROLE)),
            (
                "rule",
                Value::List(vec![obj([
                    ("status", s("Enabled")),
                    ("destination", obj([("bucket", s(&format!("arn:aws:s3:::{dst}")))])),
                ])]),
            ),
        ],
    );
    let pl = plan(&p, T, None, &cfg).await;
    let err = p
        .apply(plinth_sdk::ApplyRequest {
            type_name: T.into(),
            address: format!("{T}.test"),
            prior: None,
            planned: Some(pl.planned),
            config: cfg,
            ..Default::default()
        })
        .await
        .expect_err("S3 refuses replication without versioning")
        .to_string();
    assert!(err.contains("ersioning"), "{err}");
}

#[tokio::test]
#[ignore = "moto 5.2: GetBucketReplication answers every rule with Filter { Prefix: \"\" } and \
            DeleteMarkerReplication Disabled, whatever was put"]
async fn replication_filter_and_delete_markers_read_back() {
    const T: &str = "aws_s3_bucket_replication_configuration";
    let (src, dst) = ("plinth-more-repl-filter", "plinth-more-repl-filter-dst");
    versioned_pair(src, dst);
    let p = provider().await;
    let cfg = config(
        &p,
        T,
        &[
            ("bucket", s(src)),
            ("role", s(ROLE)),
            (
                "rule",
                Value::List(vec![obj([
                    ("id", s("logs")),
                    ("priority", Value::int(10)),
                    ("status", s("Enabled")),
                    ("filter", obj([("prefix", s("logs/"))])),
                    ("delete_marker_replication", obj([("status", s("Enabled"))])),
                    ("destination", obj([("bucket", s(&format!("arn:aws:s3:::{dst}")))])),
                ])]),
            ),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    let live = boto3(&format!(
        "r = s3.get_bucket_replication(Bucket='{src}')['ReplicationConfiguration']['Rules'][0]\n\
         print(r['Filter']['Prefix'], r['DeleteMarkerReplication']['Status'], r['Priority'])"
    ));
    assert_eq!(live, "logs/ Enabled 10");
    assert_reads_back(&p, T, &state).await;
    assert_clean(&p, T, &state, &cfg).await;
    assert_eq!(import(&p, T, src).await, state);
    delete(&p, T, &state).await;
}

#[tokio::test]
async fn named_configurations_are_imported_by_bucket_and_name() {
    let p = provider().await;
    for t in [
        "aws_s3_bucket_intelligent_tiering_configuration",
        "aws_s3_bucket_metric",
        "aws_s3_bucket_inventory",
        "aws_s3_bucket_analytics_configuration",
    ] {
        for bad in ["just-a-bucket", "bucket:", ":name"] {
            let err = import_error(&p, t, bad).await;
            assert!(err.contains("BUCKET:NAME"), "{t} {bad}: {err}");
        }
    }
}

#[tokio::test]
#[ignore = "moto 5.2 does not serve the intelligent-tiering calls: PutBucketIntelligentTieringConfiguration \
            is taken for CreateBucket and stores nothing, the Get answers the object listing (ListBucketResult)"]
async fn intelligent_tiering_drift_import_and_delete() {
    const T: &str = "aws_s3_bucket_intelligent_tiering_configuration";
    let bucket = "plinth-more-tiering";
    make_bucket(bucket);
    let p = provider().await;
    let tier = |t: &str, d: i64| obj([("access_tier", s(t)), ("days", Value::int(d))]);
    let cfg = config(
        &p,
        T,
        &[
            ("bucket", s(bucket)),
            ("name", s("documents")),
            (
                "filter",
                obj([("prefix", s("documents/")), ("tags", obj([("class", s("blue"))]))]),
            ),
            (
                "tiering",
                Value::List(vec![tier("DEEP_ARCHIVE_ACCESS", 180), tier("ARCHIVE_ACCESS", 125)]),
            ),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(&format!("{bucket}:documents")));
    assert_eq!(state.get("status"), &s("Enabled"));
    let live = boto3(&format!(
        "c = s3.get_bucket_intelligent_tiering_configuration(Bucket='{bucket}', Id='documents')\
         ['IntelligentTieringConfiguration']\n\
         a = c['Filter']['And']\n\
         print(c['Status'], a['Prefix'], a['Tags'][0]['Value'], sorted(t['Days'] for t in c['Tierings']))"
    ));
    assert_eq!(live, "Enabled documents/ blue [125, 180]");
    assert_reads_back(&p, T, &state).await;
    assert_clean(&p, T, &state, &cfg).await;

    boto3(&format!(
        "s3.put_bucket_intelligent_tiering_configuration(Bucket='{bucket}', Id='documents', \
         IntelligentTieringConfiguration={{'Id': 'documents', 'Status': 'Disabled', \
         'Filter': {{'And': {{'Prefix': 'documents/', 'Tags': [{{'Key': 'class', 'Value': 'blue'}}]}}}}, \
         'Tierings': [{{'AccessTier': 'ARCHIVE_ACCESS', 'Days': 125}}, {{'AccessTier': 'DEEP_ARCHIVE_ACCESS', 'Days': 180}}]}})"
    ));
    let drifted = read(&p, T, &state).await.expect("still there");
    assert_eq!(drifted.get("status"), &s("Disabled"));
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert_eq!(repaired, state);

    assert_eq!(import(&p, T, &format!("{bucket}:documents")).await, state);
    delete(&p, T, &state).await;
    assert_eq!(
        gone_code(&format!(
            "s3.get_bucket_intelligent_tiering_configuration(Bucket='{bucket}', Id='documents')"
        )),
        "NoSuchConfiguration"
    );
    assert!(read(&p, T, &state).await.is_none(), "refresh reports it gone");
}

#[tokio::test]
#[ignore = "moto 5.2 does not serve the metrics-configuration calls: PutBucketMetricsConfiguration is taken \
            for CreateBucket and stores nothing, the Get answers the object listing (ListBucketResult)"]
async fn metric_drift_import_and_delete() {
    const T: &str = "aws_s3_bucket_metric";
    let bucket = "plinth-more-metric";
    make_bucket(bucket);
    let p = provider().await;
    let cfg = config(
        &p,
        T,
        &[
            ("bucket", s(bucket)),
            ("name", s("ImportantDocs")),
            ("filter", obj([("prefix", s("documents/"))])),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(&format!("{bucket}:ImportantDocs")));
    let live = boto3(&format!(
        "c = s3.get_bucket_metrics_configuration(Bucket='{bucket}', Id='ImportantDocs')['MetricsConfiguration']\n\
         print(c['Id'], c['Filter']['Prefix'])"
    ));
    assert_eq!(live, "ImportantDocs documents/");
    assert_reads_back(&p, T, &state).await;
    assert_clean(&p, T, &state, &cfg).await;

    boto3(&format!(
        "s3.put_bucket_metrics_configuration(Bucket='{bucket}', Id='ImportantDocs', \
         MetricsConfiguration={{'Id': 'ImportantDocs', 'Filter': {{'Prefix': 'other/'}}}})"
    ));
    let drifted = read(&p, T, &state).await.expect("still there");
    assert_eq!(drifted.get("filter").get("prefix"), &s("other/"));
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert_eq!(repaired, state);

    assert_eq!(import(&p, T, &format!("{bucket}:ImportantDocs")).await, state);
    delete(&p, T, &state).await;
    assert_eq!(
        gone_code(&format!(
            "s3.get_bucket_metrics_configuration(Bucket='{bucket}', Id='ImportantDocs')"
        )),
        "NoSuchConfiguration"
    );
    assert!(read(&p, T, &state).await.is_none(), "refresh reports it gone");
}

fn inventory_config(p: &AwsProvider, bucket: &str, target: &str) -> Value {
    config(
        p,
        "aws_s3_bucket_inventory",
        &[
            ("bucket", s(bucket)),
            ("name", s("weekly")),
            ("included_object_versions", s("All")),
            ("optional_fields", strs(&["Size", "StorageClass"])),
            ("schedule", obj([("frequency", s("Weekly"))])),
            (
                "destination",
                obj([(
                    "bucket",
                    obj([
                        ("bucket_arn", s(&format!("arn:aws:s3:::{target}"))),
                        ("format", s("CSV")),
                        ("prefix", s("inventory")),
                    ]),
                )]),
            ),
            ("filter", obj([("prefix", s("datasets/"))])),
        ],
    )
}

#[tokio::test]
async fn inventory_drift_and_import() {
    const T: &str = "aws_s3_bucket_inventory";
    let (bucket, target) = ("plinth-more-inventory", "plinth-more-inventory-target");
    make_bucket(bucket);
    make_bucket(target);
    let p = provider().await;
    let cfg = inventory_config(&p, bucket, target);
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(&format!("{bucket}:weekly")));
    assert_eq!(state.get("enabled"), &Value::Bool(true));
    let live = boto3(&format!(
        "c = s3.get_bucket_inventory_configuration(Bucket='{bucket}', Id='weekly')['InventoryConfiguration']\n\
         d = c['Destination']['S3BucketDestination']\n\
         print(c['IsEnabled'], c['Schedule']['Frequency'], d['Bucket'], d['Format'], d['Prefix'], c['Filter']['Prefix'])"
    ));
    assert_eq!(
        live,
        format!("True Weekly arn:aws:s3:::{target} CSV inventory datasets/")
    );
    assert_reads_back(&p, T, &state).await;
    assert_clean(&p, T, &state, &cfg).await;

    boto3(&format!(
        "s3.put_bucket_inventory_configuration(Bucket='{bucket}', Id='weekly', InventoryConfiguration={{\
         'Id': 'weekly', 'IsEnabled': False, 'IncludedObjectVersions': 'All', \
         'OptionalFields': ['Size', 'StorageClass'], 'Schedule': {{'Frequency': 'Daily'}}, \
         'Filter': {{'Prefix': 'datasets/'}}, 'Destination': {{'S3BucketDestination': \
         {{'Bucket': 'arn:aws:s3:::{target}', 'Format': 'CSV', 'Prefix': 'inventory'}}}}}})"
    ));
    let drifted = read(&p, T, &state).await.expect("still there");
    assert_eq!(drifted.get("enabled"), &Value::Bool(false));
    assert_eq!(drifted.get("schedule").get("frequency"), &s("Daily"));
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert_eq!(repaired, state);

    assert_eq!(import(&p, T, &format!("{bucket}:weekly")).await, state);
}

#[tokio::test]
#[ignore = "moto 5.2 does not serve DeleteBucketInventoryConfiguration: it takes the call for DeleteBucket \
            and deletes the (empty) bucket itself"]
async fn inventory_delete() {
    const T: &str = "aws_s3_bucket_inventory";
    let (bucket, target) = ("plinth-more-inventory-delete", "plinth-more-inventory-delete-target");
    make_bucket(bucket);
    make_bucket(target);
    let p = provider().await;
    let state = create(&p, T, inventory_config(&p, bucket, target)).await;
    delete(&p, T, &state).await;
    assert_eq!(
        gone_code(&format!(
            "s3.get_bucket_inventory_configuration(Bucket='{bucket}', Id='weekly')"
        )),
        "NoSuchConfiguration"
    );
    assert_eq!(
        boto3(&format!("print(s3.head_bucket(Bucket='{bucket}') is not None)")),
        "True"
    );
    assert!(read(&p, T, &state).await.is_none(), "refresh reports it gone");
}

/// [`inventory_config`] with the listings encrypted by `encryption` (an `encryption` block).
fn encrypted_inventory_config(p: &AwsProvider, bucket: &str, target: &str, encryption: Value) -> Value {
    let mut cfg = inventory_config(p, bucket, target);
    if let Value::Map(m) = &mut cfg {
        m.insert(
            "destination".into(),
            obj([(
                "bucket",
                obj([
                    ("bucket_arn", s(&format!("arn:aws:s3:::{target}"))),
                    ("format", s("CSV")),
                    ("prefix", s("inventory")),
                    ("encryption", encryption),
                ]),
            )]),
        );
    }
    cfg
}

const KEY_A: &str = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const KEY_B: &str = "arn:aws:kms:us-east-1:123456789012:key/66666666-7777-8888-9999-000000000000";

#[tokio::test]
async fn inventory_listings_encrypted_with_a_kms_key() {
    const T: &str = "aws_s3_bucket_inventory";
    let (bucket, target) = ("plinth-more-inventory-kms", "plinth-more-inventory-kms-target");
    make_bucket(bucket);
    make_bucket(target);
    let p = provider().await;
    let kms = |k: &str| obj([("sse_kms", obj([("key_id", s(k))]))]);
    let cfg = encrypted_inventory_config(&p, bucket, target, kms(KEY_A));
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(
        state.get("destination").get("bucket").get("encryption"),
        &obj([("sse_kms", obj([("key_id", s(KEY_A))])), ("sse_s3", Value::Null)])
    );
    let live = boto3(&format!(
        "c = s3.get_bucket_inventory_configuration(Bucket='{bucket}', Id='weekly')['InventoryConfiguration']\n\
         print(c['Destination']['S3BucketDestination']['Encryption']['SSEKMS']['KeyId'])"
    ));
    assert_eq!(live, KEY_A);
    assert_reads_back(&p, T, &state).await;
    assert_clean(&p, T, &state, &cfg).await;

    boto3(&format!(
        "s3.put_bucket_inventory_configuration(Bucket='{bucket}', Id='weekly', InventoryConfiguration={{\
         'Id': 'weekly', 'IsEnabled': True, 'IncludedObjectVersions': 'All', \
         'OptionalFields': ['Size', 'StorageClass'], 'Schedule': {{'Frequency': 'Weekly'}}, \
         'Filter': {{'Prefix': 'datasets/'}}, 'Destination': {{'S3BucketDestination': \
         {{'Bucket': 'arn:aws:s3:::{target}', 'Format': 'CSV', 'Prefix': 'inventory', \
         'Encryption': {{'SSEKMS': {{'KeyId': '{KEY_B}'}}}}}}}}}})"
    ));
    let drifted = read(&p, T, &state).await.expect("still there");
    assert_eq!(
        drifted
            .get("destination")
            .get("bucket")
            .get("encryption")
            .get("sse_kms")
            .get("key_id"),
        &s(KEY_B)
    );
    let pl = plan(&p, T, &drifted, &cfg).await;
    assert_eq!(plan_changes(&pl, &drifted), vec!["destination"]);
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert_eq!(repaired, state);

    assert_eq!(import(&p, T, &format!("{bucket}:weekly")).await, state);

    // Dropping the block sends no encryption: the listings fall back to the bucket's default.
    let plain = inventory_config(&p, bucket, target);
    let unencrypted = apply_in_place(&p, T, &state, &plain).await;
    assert!(unencrypted.get("destination").get("bucket").get("encryption").is_null());
    assert_eq!(
        boto3(&format!(
            "c = s3.get_bucket_inventory_configuration(Bucket='{bucket}', Id='weekly')['InventoryConfiguration']\n\
             print('Encryption' in c['Destination']['S3BucketDestination'])"
        )),
        "False"
    );
}

#[tokio::test]
#[ignore = "moto 5.2 drops SSE-S3 from an inventory destination: GetBucketInventoryConfiguration answers \
            an empty <Encryption/> for a configuration put with <SSE-S3/>"]
async fn inventory_listings_encrypted_with_s3_keys() {
    const T: &str = "aws_s3_bucket_inventory";
    let (bucket, target) = ("plinth-more-inventory-sse-s3", "plinth-more-inventory-sse-s3-target");
    make_bucket(bucket);
    make_bucket(target);
    let p = provider().await;
    let sse_s3 = obj([("sse_s3", Value::Map(Default::default()))]);
    let cfg = encrypted_inventory_config(&p, bucket, target, sse_s3);
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(
        state.get("destination").get("bucket").get("encryption"),
        &obj([("sse_kms", Value::Null), ("sse_s3", Value::Map(Default::default()))])
    );
    let live = boto3(&format!(
        "c = s3.get_bucket_inventory_configuration(Bucket='{bucket}', Id='weekly')['InventoryConfiguration']\n\
         print(list(c['Destination']['S3BucketDestination']['Encryption']))"
    ));
    assert_eq!(live, "['SSES3']");
    assert_reads_back(&p, T, &state).await;
    assert_clean(&p, T, &state, &cfg).await;
    assert_eq!(import(&p, T, &format!("{bucket}:weekly")).await, state);
}

#[tokio::test]
async fn inventory_encryption_takes_one_kind_of_key() {
    let p = provider().await;
    let both = obj([
        ("sse_s3", Value::Map(Default::default())),
        ("sse_kms", obj([("key_id", s(KEY_A))])),
    ]);
    let cfg = encrypted_inventory_config(&p, "any-bucket", "any-target", both);
    let errors = validate(&p, "aws_s3_bucket_inventory", &cfg);
    assert!(errors.iter().any(|e| e == "Conflicting encryption"), "{errors:?}");
}

fn analytics_config(p: &AwsProvider, bucket: &str, target: &str, prefix: &str) -> Value {
    config(
        p,
        "aws_s3_bucket_analytics_configuration",
        &[
            ("bucket", s(bucket)),
            ("name", s("datasets")),
            (
                "filter",
                obj([("prefix", s(prefix)), ("tags", obj([("team", s("ml"))]))]),
            ),
            (
                "storage_class_analysis",
                obj([(
                    "data_export",
                    obj([(
                        "destination",
                        obj([(
                            "s3_bucket_destination",
                            obj([
                                ("bucket_arn", s(&format!("arn:aws:s3:::{target}"))),
                                ("prefix", s("analysis")),
                            ]),
                        )]),
                    )]),
                )]),
            ),
        ],
    )
}

#[tokio::test]
#[ignore = "moto 5.2 does not serve the analytics-configuration calls: PutBucketAnalyticsConfiguration is taken \
            for CreateBucket and stores nothing, the Get answers an empty result, and the Delete deletes the bucket"]
async fn analytics_drift_import_and_delete() {
    const T: &str = "aws_s3_bucket_analytics_configuration";
    let (bucket, target) = ("plinth-more-analytics", "plinth-more-analytics-target");
    make_bucket(bucket);
    make_bucket(target);
    let p = provider().await;
    let cfg = analytics_config(&p, bucket, target, "datasets/");
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(&format!("{bucket}:datasets")));
    let export = state.get("storage_class_analysis").get("data_export");
    assert_eq!(export.get("output_schema_version"), &s("V_1"));
    assert_eq!(
        export.get("destination").get("s3_bucket_destination").get("format"),
        &s("CSV")
    );
    let live = boto3(&format!(
        "c = s3.get_bucket_analytics_configuration(Bucket='{bucket}', Id='datasets')['AnalyticsConfiguration']\n\
         d = c['StorageClassAnalysis']['DataExport']\n\
         b = d['Destination']['S3BucketDestination']\n\
         print(c['Filter']['And']['Prefix'], c['Filter']['And']['Tags'][0]['Value'], d['OutputSchemaVersion'], \
         b['Bucket'], b['Format'], b['Prefix'])"
    ));
    assert_eq!(live, format!("datasets/ ml V_1 arn:aws:s3:::{target} CSV analysis"));
    assert_reads_back(&p, T, &state).await;
    assert_clean(&p, T, &state, &cfg).await;

    boto3(&format!(
        "s3.put_bucket_analytics_configuration(Bucket='{bucket}', Id='datasets', AnalyticsConfiguration={{\
         'Id': 'datasets', 'Filter': {{'Prefix': 'other/'}}, 'StorageClassAnalysis': {{}}}})"
    ));
    let drifted = read(&p, T, &state).await.expect("still there");
    assert_eq!(drifted.get("filter").get("prefix"), &s("other/"));
    assert!(drifted.get("storage_class_analysis").is_null());
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert_eq!(repaired, state);

    assert_eq!(import(&p, T, &format!("{bucket}:datasets")).await, state);
    delete(&p, T, &state).await;
    assert_eq!(
        gone_code(&format!(
            "s3.get_bucket_analytics_configuration(Bucket='{bucket}', Id='datasets')"
        )),
        "NoSuchConfiguration"
    );
    assert!(read(&p, T, &state).await.is_none(), "refresh reports it gone");
}

#[tokio::test]
async fn analytics_plans_terraforms_defaults_and_checks_the_filter() {
    const T: &str = "aws_s3_bucket_analytics_configuration";
    let p = provider().await;
    let cfg = analytics_config(&p, "any-bucket", "any-target", "datasets/");
    let pl = plan(&p, T, None, &cfg).await;
    let export = pl.planned.get("storage_class_analysis").get("data_export");
    assert_eq!(export.get("output_schema_version"), &s("V_1"));
    assert_eq!(
        export.get("destination").get("s3_bucket_destination").get("format"),
        &s("CSV")
    );
    assert!(validate(&p, T, &cfg).is_empty());
    let mut empty = cfg.clone();
    if let Value::Map(m) = &mut empty {
        m.insert("filter".into(), obj([("prefix", Value::Null), ("tags", Value::Null)]));
    }
    assert_eq!(validate(&p, T, &empty), vec!["Empty filter".to_string()]);
}

fn metadata_config(p: &AwsProvider, bucket: &str, inventory: &str, journal_sse: &str) -> Value {
    config(
        p,
        "aws_s3_bucket_metadata_configuration",
        &[
            ("bucket", s(bucket)),
            (
                "metadata_configuration",
                obj([
                    (
                        "inventory_table_configuration",
                        obj([("configuration_state", s(inventory))]),
                    ),
                    (
                        "journal_table_configuration",
                        obj([
                            (
                                "record_expiration",
                                obj([("expiration", s("ENABLED")), ("days", Value::int(7))]),
                            ),
                            ("encryption_configuration", obj([("sse_algorithm", s(journal_sse))])),
                        ]),
                    ),
                ]),
            ),
        ],
    )
}

#[tokio::test]
#[ignore = "moto 5.2 does not serve S3 Metadata: CreateBucketMetadataConfiguration answers 500 and \
            GetBucketMetadataConfiguration is not implemented"]
async fn metadata_tables_drift_import_and_delete() {
    const T: &str = "aws_s3_bucket_metadata_configuration";
    let bucket = "plinth-more-metadata";
    make_bucket(bucket);
    let p = provider().await;
    let cfg = metadata_config(&p, bucket, "DISABLED", "AES256");
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(state.get("id"), &s(bucket));
    let m = state.get("metadata_configuration");
    assert!(m.get("journal_table_configuration").get("table_arn").as_str().is_some());
    assert!(m.get("destination").as_list().is_some_and(|d| d.len() == 1));
    let live = boto3(&format!(
        "r = s3.get_bucket_metadata_configuration(Bucket='{bucket}')['GetBucketMetadataConfigurationResult']\
         ['MetadataConfigurationResult']\n\
         j = r['JournalTableConfigurationResult']\n\
         print(j['TableStatus'], j['RecordExpiration']['Expiration'], j['RecordExpiration']['Days'], \
         r['InventoryTableConfigurationResult']['ConfigurationState'])"
    ));
    assert_eq!(live, "ACTIVE ENABLED 7 DISABLED");
    assert_reads_back(&p, T, &state).await;
    assert_clean(&p, T, &state, &cfg).await;

    boto3(&format!(
        "s3.update_bucket_metadata_journal_table_configuration(Bucket='{bucket}', \
         JournalTableConfiguration={{'RecordExpiration': {{'Expiration': 'DISABLED'}}}})"
    ));
    let drifted = read(&p, T, &state).await.expect("still there");
    assert_eq!(
        drifted
            .get("metadata_configuration")
            .get("journal_table_configuration")
            .get("record_expiration")
            .get("expiration"),
        &s("DISABLED")
    );
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert_eq!(repaired, state);

    // S3 does not report the tables' encryption: an import has none.
    let imported = import(&p, T, bucket).await;
    assert!(
        imported
            .get("metadata_configuration")
            .get("journal_table_configuration")
            .get("encryption_configuration")
            .is_null()
    );
    delete(&p, T, &state).await;
    assert!(read(&p, T, &state).await.is_none(), "refresh reports it gone");
}

#[tokio::test]
async fn metadata_plans_a_journal_encryption_change_as_a_replacement() {
    const T: &str = "aws_s3_bucket_metadata_configuration";
    let p = provider().await;
    let prior_cfg = metadata_config(&p, "any-bucket", "DISABLED", "AES256");
    // The prior state as a create would leave it (computed values filled in).
    let mut prior = plan(&p, T, None, &prior_cfg).await.planned;
    if let Value::Map(m) = &mut prior {
        m.insert("id".into(), s("any-bucket"));
        m.insert("metadata_configuration".into(), {
            let mut mc = prior_cfg.get("metadata_configuration").clone();
            if let Value::Map(mm) = &mut mc {
                mm.insert("destination".into(), Value::List(vec![]));
                for t in ["inventory_table_configuration", "journal_table_configuration"] {
                    if let Some(Value::Map(tm)) = mm.get_mut(t) {
                        tm.insert("table_arn".into(), Value::Null);
                        tm.insert("table_name".into(), s("t"));
                    }
                }
            }
            mc
        });
    }
    let same = plan(&p, T, &prior, &prior_cfg).await;
    assert!(same.requires_replace.is_empty(), "{:?}", same.requires_replace);
    let rekeyed = metadata_config(&p, "any-bucket", "DISABLED", "aws:kms");
    assert!(!plan(&p, T, &prior, &rekeyed).await.requires_replace.is_empty());
    let enabled = metadata_config(&p, "any-bucket", "ENABLED", "AES256");
    let pl = plan(&p, T, &prior, &enabled).await;
    assert!(pl.requires_replace.is_empty());
    assert!(
        pl.planned
            .get("metadata_configuration")
            .get("inventory_table_configuration")
            .get("table_arn")
            .is_unknown()
    );
    let short = metadata_config(&p, "any-bucket", "SOMETIMES", "AES256");
    assert_eq!(validate(&p, T, &short), vec!["Invalid configuration_state".to_string()]);
}
