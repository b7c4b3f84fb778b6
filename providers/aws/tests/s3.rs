//! aws_s3_bucket against moto: create, refresh after an out-of-band retag or deletion, import,
//! a non-empty bucket refusing destroy without force_destroy and emptied (every version) with
//! it — checked with our own SDK reads.

mod common;

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketVersioningStatus, Tag, Tagging, VersioningConfiguration};
use common::*;
use plinth_aws::AwsProvider;
use plinth_sdk::{ApplyRequest, ImportRequest, PlanRequest, PlanResponse, Provider, Value};

const T: &str = "aws_s3_bucket";

/// Plans `config` against `prior` for this file's type.
async fn plan(p: &AwsProvider, prior: &Value, config: &Value) -> PlanResponse {
    common::plan(p, T, prior, config).await
}

/// Our own client (path style, as the provider does: moto on 127.0.0.1 has no bucket hosts).
async fn s3() -> aws_sdk_s3::Client {
    let conf = sdk_config().await;
    aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build())
}

async fn exists(bucket: &str) -> bool {
    s3().await.head_bucket().bucket(bucket).send().await.is_ok()
}

async fn live_tags(bucket: &str) -> Vec<(String, String)> {
    let resp = s3()
        .await
        .get_bucket_tagging()
        .bucket(bucket)
        .send()
        .await
        .expect("tags");
    let mut tags: Vec<(String, String)> = resp
        .tag_set()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    tags.sort();
    tags
}

async fn plan_create(p: &AwsProvider, config: &Value) -> Value {
    p.plan(PlanRequest {
        type_name: "aws_s3_bucket".into(),
        address: "aws_s3_bucket.twin".into(),
        prior: None,
        config: config.clone(),
    })
    .await
    .expect("plan")
    .planned
}

async fn try_destroy(p: &AwsProvider, state: &Value) -> Result<(), plinth_sdk::ProviderError> {
    p.apply(ApplyRequest {
        type_name: "aws_s3_bucket".into(),
        address: "aws_s3_bucket.test".into(),
        prior: Some(state.clone()),
        planned: None,
        config: Value::Null,
        ..Default::default()
    })
    .await
    .map(|_| ())
}

async fn put(bucket: &str, key: &str, body: &str) {
    s3().await
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body.as_bytes().to_vec()))
        .send()
        .await
        .expect("put object");
}

#[tokio::test]
async fn bucket_lifecycle_drift_and_repair() {
    let p = provider().await;
    let bucket = "plinth-test-artifacts";
    let cfg = config(
        &p,
        "aws_s3_bucket",
        &[
            ("bucket", Value::string(bucket)),
            ("tags", Value::object([("team", Value::string("ml"))])),
        ],
    );
    let state = create(&p, "aws_s3_bucket", cfg.clone()).await;
    assert_eq!(state.get("id"), &Value::string(bucket));

    // Creating it again is refused, not silently adopted.
    let again = p
        .apply(ApplyRequest {
            type_name: "aws_s3_bucket".into(),
            address: "aws_s3_bucket.twin".into(),
            prior: None,
            planned: Some(plan_create(&p, &cfg).await),
            config: cfg.clone(),
            ..Default::default()
        })
        .await
        .expect_err("an existing bucket is not adopted");
    assert_eq!(again.code.as_deref(), Some("BucketAlreadyOwnedByYou"));
    assert_eq!(state.get("arn"), &Value::string("arn:aws:s3:::plinth-test-artifacts"));
    assert_eq!(
        state.get("bucket_domain_name"),
        &Value::string("plinth-test-artifacts.s3.amazonaws.com")
    );
    assert_eq!(state.get("region"), &Value::string("us-east-1"));
    assert_eq!(state.get("force_destroy"), &Value::Bool(false));
    assert!(exists(bucket).await);
    assert_eq!(live_tags(bucket).await, vec![("team".into(), "ml".into())]);
    assert_eq!(read(&p, "aws_s3_bucket", &state).await.as_ref(), Some(&state));

    // Someone retags it by hand: refresh sees it, the plan repairs it in place.
    let tagging = Tagging::builder()
        .tag_set(Tag::builder().key("team").value("web").build().expect("tag"))
        .tag_set(Tag::builder().key("extra").value("1").build().expect("tag"))
        .build()
        .expect("tagging");
    s3().await
        .put_bucket_tagging()
        .bucket(bucket)
        .tagging(tagging)
        .send()
        .await
        .expect("retag");
    let drifted = read(&p, "aws_s3_bucket", &state).await.expect("still there");
    assert_eq!(drifted.get("tags").get("team"), &Value::string("web"));
    assert_eq!(drifted.get("tags").get("extra"), &Value::string("1"));
    let repaired = apply_in_place(&p, T, &drifted, &cfg).await;
    assert_eq!(repaired, state);
    assert_eq!(live_tags(bucket).await, vec![("team".into(), "ml".into())]);

    // Removing every tag removes the tag set.
    let untagged_cfg = config(&p, "aws_s3_bucket", &[("bucket", Value::string(bucket))]);
    let untagged = apply_in_place(&p, T, &repaired, &untagged_cfg).await;
    assert_eq!(untagged.get("tags"), &Value::Null);
    assert!(
        s3().await.get_bucket_tagging().bucket(bucket).send().await.is_err(),
        "no tag set left"
    );
    assert_eq!(read(&p, "aws_s3_bucket", &untagged).await.as_ref(), Some(&untagged));

    // A new name replaces the bucket.
    let renamed = config(&p, "aws_s3_bucket", &[("bucket", Value::string("plinth-test-other"))]);
    assert_eq!(plan(&p, &untagged, &renamed).await.requires_replace.len(), 1);

    // Import by name.
    let imported = p
        .import(ImportRequest {
            type_name: "aws_s3_bucket".into(),
            address: "aws_s3_bucket.i".into(),
            id: bucket.into(),
        })
        .await
        .expect("import");
    assert_eq!(imported.get("arn"), state.get("arn"));
    assert_eq!(imported.get("region"), &Value::string("us-east-1"));

    // Destroy an empty bucket: nothing left, and refresh reports it gone.
    delete(&p, "aws_s3_bucket", &untagged).await;
    assert!(!exists(bucket).await, "destroy leaves nothing");
    assert!(read(&p, "aws_s3_bucket", &untagged).await.is_none());
}

#[tokio::test]
async fn bucket_deleted_out_of_band_reads_as_gone() {
    let p = provider().await;
    let cfg = config(&p, "aws_s3_bucket", &[("bucket_prefix", Value::string("plinth-oob-"))]);
    let state = create(&p, "aws_s3_bucket", cfg).await;
    let bucket = state.get("id").as_str().expect("generated name").to_string();
    assert!(bucket.starts_with("plinth-oob-"));
    assert_eq!(state.get("tags"), &Value::Null);
    s3().await
        .delete_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("delete by hand");
    assert!(read(&p, "aws_s3_bucket", &state).await.is_none());
    delete(&p, "aws_s3_bucket", &state).await;
}

#[tokio::test]
async fn non_empty_bucket_needs_force_destroy() {
    let p = provider().await;
    let bucket = "plinth-test-datasets";
    let cfg = config(&p, "aws_s3_bucket", &[("bucket", Value::string(bucket))]);
    let state = create(&p, "aws_s3_bucket", cfg.clone()).await;

    // Versioned, with several versions of one object, a delete marker and plain objects.
    s3().await
        .put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .expect("versioning");
    put(bucket, "train/part-0.parquet", "v1").await;
    put(bucket, "train/part-0.parquet", "v2").await;
    put(bucket, "train/part-1.parquet", "x").await;
    s3().await
        .delete_object()
        .bucket(bucket)
        .key("train/part-1.parquet")
        .send()
        .await
        .expect("delete marker");
    for i in 0..25 {
        put(bucket, &format!("eval/{i:03}.json"), "{}").await;
    }

    // Without force_destroy: a clear refusal, and the data stays.
    let err = try_destroy(&p, &state).await.expect_err("refused");
    assert_eq!(err.code.as_deref(), Some("BucketNotEmpty"));
    assert!(err.message.contains("force_destroy"), "{}", err.message);
    assert!(exists(bucket).await);
    let objects = s3().await.list_objects_v2().bucket(bucket).send().await.expect("list");
    assert_eq!(objects.key_count(), Some(26), "nothing was deleted");

    // With force_destroy (an in-place change), every version goes and then the bucket.
    let forced_cfg = config(
        &p,
        "aws_s3_bucket",
        &[("bucket", Value::string(bucket)), ("force_destroy", Value::Bool(true))],
    );
    let forced = apply_in_place(&p, T, &state, &forced_cfg).await;
    assert_eq!(forced.get("force_destroy"), &Value::Bool(true));
    assert_eq!(
        read(&p, "aws_s3_bucket", &forced)
            .await
            .expect("there")
            .get("force_destroy"),
        &Value::Bool(true),
        "force_destroy is kept across refresh"
    );
    try_destroy(&p, &forced).await.expect("force destroy");
    assert!(!exists(bucket).await, "destroy leaves nothing");
}

#[tokio::test]
async fn refresh_costs_one_call_per_bucket() {
    let p = provider().await;
    let mut states = Vec::new();
    for i in 0..4 {
        let cfg = config(
            &p,
            "aws_s3_bucket",
            &[
                ("bucket", Value::string(format!("plinth-test-count-{i}"))),
                ("tags", Value::object([("n", Value::string(i.to_string()))])),
            ],
        );
        states.push(create(&p, "aws_s3_bucket", cfg).await);
    }
    let before = p.call_count();
    let resp = p.read(read_request(T, "b", &states)).await.expect("read");
    let calls = p.call_count() - before;
    eprintln!("refresh of 4 aws_s3_bucket: {calls} calls");
    assert_eq!(
        calls, 4,
        "one GetBucketTagging per bucket (S3 has no multi-bucket read)"
    );
    for (got, want) in resp.states.iter().zip(&states) {
        assert_eq!(got.as_ref(), Some(want));
    }
    for s in &states {
        delete(&p, "aws_s3_bucket", s).await;
    }
}

/// `object_lock_enabled`: sent on CreateBucket (checked with boto3), read back on import, and a
/// change replaces the bucket. `region` set to another region than the provider's makes it there.
#[tokio::test]
async fn bucket_with_object_lock() {
    let p = provider().await;
    let bucket = "plinth-test-locked";
    let cfg = config(
        &p,
        T,
        &[
            ("bucket", Value::string(bucket)),
            ("object_lock_enabled", Value::Bool(true)),
        ],
    );
    let state = create(&p, T, cfg.clone()).await;
    assert_eq!(state.get("object_lock_enabled"), &Value::Bool(true));
    let live = common::boto::boto3(&format!(
        "print(s3.get_object_lock_configuration(Bucket='{bucket}')['ObjectLockConfiguration']['ObjectLockEnabled'])"
    ));
    assert_eq!(live, "Enabled");

    let fresh = common::read(&p, T, &state).await.expect("exists");
    let resp = plan(&p, &fresh, &cfg).await;
    assert_eq!(plan_changes(&resp, &fresh), Vec::<String>::new());
    let imported = common::import(&p, T, bucket).await;
    assert_eq!(imported.get("object_lock_enabled"), &Value::Bool(true));

    let mut unlocked = cfg.as_map().expect("an object").clone();
    unlocked.insert("object_lock_enabled".into(), Value::Bool(false));
    let resp = plan(&p, &fresh, &Value::Map(unlocked)).await;
    assert_eq!(
        resp.requires_replace,
        vec![plinth_sdk::AttrPath::attr("object_lock_enabled")]
    );
    delete(&p, T, &state).await;

    // A plain bucket has no object lock, as boto3 sees it.
    let plain = create(
        &p,
        T,
        config(&p, T, &[("bucket", Value::string("plinth-test-unlocked"))]),
    )
    .await;
    assert_eq!(plain.get("object_lock_enabled"), &Value::Bool(false));
    let live = common::boto::boto3(
        "try:\n    s3.get_object_lock_configuration(Bucket='plinth-test-unlocked')\n    print('locked')\n\
         except s3.exceptions.ClientError as e:\n    print(e.response['Error']['Code'])",
    );
    assert_eq!(live, "ObjectLockConfigurationNotFoundError");

    // region: another region than the provider's (Terraform's per-resource region) is where
    // the bucket is made, as S3 reports its location.
    let elsewhere = config(
        &p,
        T,
        &[
            ("bucket", Value::string("plinth-test-elsewhere")),
            ("region", Value::string("eu-west-1")),
        ],
    );
    let planned = plan_create(&p, &elsewhere).await;
    assert_eq!(planned.get("region"), &Value::string("eu-west-1"));
    let made = p
        .apply(ApplyRequest {
            type_name: T.into(),
            address: "aws_s3_bucket.test".into(),
            prior: None,
            planned: Some(planned),
            config: elsewhere,
            ..Default::default()
        })
        .await
        .expect("created in eu-west-1")
        .new_state
        .expect("a state");
    assert_eq!(made.get("region"), &Value::string("eu-west-1"));
    let location =
        common::boto::boto3("print(s3.get_bucket_location(Bucket='plinth-test-elsewhere')['LocationConstraint'])");
    assert_eq!(location, "eu-west-1");
    delete(&p, T, &made).await;
    delete(&p, T, &plain).await;
}
