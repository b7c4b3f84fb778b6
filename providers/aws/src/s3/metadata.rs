//! `aws_s3_bucket_metadata_configuration`: S3 Metadata of a bucket — the journal table (every
//! change to the bucket's objects) and the optional inventory table that S3 keeps in an AWS
//! managed S3 table bucket (CreateBucketMetadataConfiguration, then
//! UpdateBucketMetadataInventoryTableConfiguration / UpdateBucketMetadataJournalTableConfiguration
//! for changes, Get/DeleteBucketMetadataConfiguration). Creating waits until the tables are
//! active. Import id `BUCKET` or `BUCKET,EXPECTED_BUCKET_OWNER`.
//!
//! S3 does not return the tables' encryption: it is kept from the configuration (as Terraform
//! does), so it is not imported and its drift is not seen. The journal table's encryption cannot
//! be changed in place: a change replaces the configuration (Terraform ignores the change).

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    ExpirationState, InventoryConfigurationState, InventoryTableConfiguration, InventoryTableConfigurationUpdates,
    JournalTableConfiguration, JournalTableConfigurationUpdates, MetadataConfiguration, MetadataConfigurationResult,
    MetadataTableEncryptionConfiguration, RecordExpiration, TableSseAlgorithm,
};
use futures::FutureExt as _;
use plinth_sdk::plan::same;
use plinth_sdk::{
    AttrPath, Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::{BucketConfig, BucketRef, build_error, done, got, int, invalid};
use crate::Ctx;
use crate::util::{block, conform, one_of, opt_i64, opt_str, opt_string, single, string, wait_for};

pub struct Metadata;

const JOURNAL_ENCRYPTION: &str = "metadata_configuration.journal_table_configuration.encryption_configuration";

fn encryption() -> Schema {
    Schema::new("How the table is encrypted (S3 does not report it: kept from the configuration, not imported).")
        .attr(
            "sse_algorithm",
            Attribute::required(Type::String).describe("`AES256` or `aws:kms`."),
        )
        .attr(
            "kms_key_arn",
            Attribute::optional(Type::String).describe("ARN of the KMS key, with `aws:kms`."),
        )
}

fn table_attrs(s: Schema) -> Schema {
    s.attr(
        "table_arn",
        Attribute::computed(Type::String).describe("ARN of the table."),
    )
    .attr(
        "table_name",
        Attribute::computed(Type::String).describe("Name of the table."),
    )
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let destination = Type::List(Box::new(Type::Object {
        attrs: [
            ("table_bucket_arn", Type::String),
            ("table_bucket_type", Type::String),
            ("table_namespace", Type::String),
        ]
        .into_iter()
        .map(|(k, t)| (k.to_string(), t))
        .collect(),
        optional: Vec::new(),
    }));
    let inventory = table_attrs(
        Schema::new("The inventory table (a listing of every object, kept current).").attr(
            "configuration_state",
            Attribute::required(Type::String).describe("`ENABLED` or `DISABLED`."),
        ),
    )
    .block("encryption_configuration", single(encryption(), 0, false));
    let expiration = Schema::new("How long journal records are kept.")
        .attr(
            "expiration",
            Attribute::required(Type::String).describe("`ENABLED` (records expire) or `DISABLED`."),
        )
        .attr(
            "days",
            Attribute::optional(Type::Number).describe("Days records are kept (7 or more), with `ENABLED`."),
        );
    let journal = table_attrs(Schema::new(
        "The journal table (a record of every change to the bucket's objects).",
    ))
    .block("encryption_configuration", single(encryption(), 0, false))
    .block("record_expiration", single(expiration, 1, false));
    let metadata = Schema::new("The metadata tables.")
        .attr(
            "destination",
            Attribute::computed(destination).describe(
                "The table bucket holding the tables (table_bucket_arn, table_bucket_type, table_namespace).",
            ),
        )
        .block("inventory_table_configuration", single(inventory, 1, false))
        .block("journal_table_configuration", single(journal, 1, false));
    super::sub_schema(
        Schema::new(
            "S3 Metadata of a bucket: its journal and inventory tables. Import with `BUCKET` or \
             `BUCKET,EXPECTED_BUCKET_OWNER`.",
        )
        .block("metadata_configuration", single(metadata, 1, false)),
        true,
    )
});

fn encryption_of(e: Option<&Value>, path: &str) -> Result<Option<MetadataTableEncryptionConfiguration>, ProviderError> {
    e.map(|e| {
        MetadataTableEncryptionConfiguration::builder()
            .set_sse_algorithm(opt_str(e, "sse_algorithm").map(|a| TableSseAlgorithm::from(a.as_str())))
            .set_kms_key_arn(opt_str(e, "kms_key_arn"))
            .build()
            .map_err(|err| build_error(path, err))
    })
    .transpose()
}

fn expiration_of(j: &Value) -> Result<RecordExpiration, ProviderError> {
    let r = j.get("record_expiration");
    RecordExpiration::builder()
        .set_expiration(opt_str(r, "expiration").map(|x| ExpirationState::from(x.as_str())))
        .set_days(opt_i64(r, "days").map(|d| d as i32))
        .build()
        .map_err(|e| {
            build_error(
                "metadata_configuration.journal_table_configuration.record_expiration",
                e,
            )
        })
}

fn state_of(i: &Value) -> Option<InventoryConfigurationState> {
    opt_str(i, "configuration_state").map(|s| InventoryConfigurationState::from(s.as_str()))
}

/// The configured inventory and journal table blocks.
fn tables(planned: &Value) -> (&Value, &Value) {
    let m = planned.get("metadata_configuration");
    (
        m.get("inventory_table_configuration"),
        m.get("journal_table_configuration"),
    )
}

/// The metadata configuration S3 holds now, `None` when there is none (or no bucket).
async fn live(ctx: &Ctx, b: &BucketRef) -> Result<Option<MetadataConfigurationResult>, ProviderError> {
    Ok(got(ctx
        .s3
        .get_bucket_metadata_configuration()
        .bucket(&b.bucket)
        .set_expected_bucket_owner(b.owner.clone())
        .send()
        .boxed()
        .await)?
    .and_then(|o| o.get_bucket_metadata_configuration_result)
    .and_then(|r| r.metadata_configuration_result))
}

/// Waits until the journal table (and the inventory table, when `inventory` is enabled) is
/// active; a table S3 failed to create is an error carrying S3's reason.
async fn wait_active(ctx: &Ctx, b: &BucketRef, inventory: bool) -> Result<(), ProviderError> {
    wait_for(
        ctx,
        &format!("the metadata tables of bucket {} to be active", b.bucket),
        || async {
            let Some(r) = live(ctx, b).await? else {
                return Ok(None);
            };
            let failed = |what: &str, e: Option<&aws_sdk_s3::types::ErrorDetails>| {
                ProviderError::with_code(
                    e.and_then(|e| e.error_code()).unwrap_or("TableCreationFailed"),
                    format!(
                        "S3 could not create the {what} table of bucket {}: {}",
                        b.bucket,
                        e.and_then(|e| e.error_message()).unwrap_or("no reason given")
                    ),
                )
            };
            let journal = match r.journal_table_configuration_result() {
                Some(j) if j.table_status() == "FAILED" => return Err(failed("journal", j.error())),
                Some(j) => j.table_status() == "ACTIVE",
                None => false,
            };
            let inventory_ready = !inventory
                || match r.inventory_table_configuration_result() {
                    Some(i) if i.table_status() == Some("FAILED") => return Err(failed("inventory", i.error())),
                    Some(i) => matches!(i.table_status(), Some("ACTIVE" | "BACKFILLING")),
                    None => false,
                };
            Ok((journal && inventory_ready).then_some(()))
        },
    )
    .await
}

fn result_value(r: &MetadataConfigurationResult, prior: &Value) -> Value {
    let (prior_inv, prior_journal) = tables(prior);
    let destination = r
        .destination_result()
        .map(|d| {
            Value::List(vec![Value::object([
                ("table_bucket_arn", opt_string(d.table_bucket_arn())),
                (
                    "table_bucket_type",
                    opt_string(d.table_bucket_type().map(|t| t.as_str())),
                ),
                ("table_namespace", opt_string(d.table_namespace())),
            ])])
        })
        .unwrap_or(Value::Null);
    let inventory = r.inventory_table_configuration_result().map(|i| {
        Value::object([
            ("configuration_state", string(i.configuration_state().as_str())),
            ("table_arn", opt_string(i.table_arn())),
            ("table_name", opt_string(i.table_name())),
            (
                "encryption_configuration",
                prior_inv.get("encryption_configuration").clone(),
            ),
        ])
    });
    let journal = r.journal_table_configuration_result().map(|j| {
        let expiration = j
            .record_expiration()
            .map(|x| Value::object([("expiration", string(x.expiration().as_str())), ("days", int(x.days()))]));
        Value::object([
            ("table_arn", opt_string(j.table_arn())),
            ("table_name", string(j.table_name())),
            ("record_expiration", expiration.unwrap_or(Value::Null)),
            (
                "encryption_configuration",
                prior_journal.get("encryption_configuration").clone(),
            ),
        ])
    });
    Value::object([
        ("destination", destination),
        ("inventory_table_configuration", inventory.unwrap_or(Value::Null)),
        ("journal_table_configuration", journal.unwrap_or(Value::Null)),
    ])
}

#[async_trait]
impl BucketConfig for Metadata {
    const TYPE_NAME: &'static str = "aws_s3_bucket_metadata_configuration";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = Vec::new();
        let (inv, journal) = tables(config);
        let base = "metadata_configuration";
        d.extend(one_of(
            inv.get("configuration_state"),
            &format!("{base}.inventory_table_configuration.configuration_state"),
            &["ENABLED", "DISABLED"],
        ));
        let exp = journal.get("record_expiration");
        d.extend(one_of(
            exp.get("expiration"),
            &format!("{base}.journal_table_configuration.record_expiration.expiration"),
            &["ENABLED", "DISABLED"],
        ));
        if let Some(n) = exp.get("days").as_i64()
            && n < 7
        {
            d.push(invalid(
                &format!("{base}.journal_table_configuration.record_expiration.days"),
                "Invalid days",
                format!("{n}: journal records are kept 7 days or more"),
            ));
        }
        for (table, t) in [("inventory", inv), ("journal", journal)] {
            d.extend(one_of(
                t.get("encryption_configuration").get("sse_algorithm"),
                &format!("{base}.{table}_table_configuration.encryption_configuration.sse_algorithm"),
                &["AES256", "aws:kms"],
            ));
        }
        d
    }

    /// The engine's rule, plus: the journal table's encryption cannot change in place (a change
    /// replaces), and the inventory table's ARN and name are unknown when its state changes.
    fn plan(_ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = crate::util::plan_blocks(Self::schema(), req);
        let Some(prior) = &req.prior else {
            return resp;
        };
        // Both with every key, so an absent key and a null compare alike.
        let (prior, config) = (conform(Self::schema(), prior), conform(Self::schema(), &req.config));
        let (prior_inv, prior_journal) = tables(&prior);
        let (inv, journal) = tables(&config);
        let enc = "encryption_configuration";
        if !journal.is_null() && !same(journal.get(enc), prior_journal.get(enc)) {
            // A replacement: planned as a new configuration (computed values unknown).
            let mut replaced = crate::util::plan_blocks(
                Self::schema(),
                &PlanRequest {
                    prior: None,
                    ..req.clone()
                },
            );
            replaced.requires_replace = AttrPath::parse(JOURNAL_ENCRYPTION).into_iter().collect();
            return replaced;
        }
        if inv.get("configuration_state") != prior_inv.get("configuration_state")
            && let Value::Map(m) = &mut resp.planned
            && let Some(Value::Map(mc)) = m.get_mut("metadata_configuration")
            && let Some(Value::Map(i)) = mc.get_mut("inventory_table_configuration")
        {
            i.insert("table_arn".into(), Value::Unknown);
            i.insert("table_name".into(), Value::Unknown);
        }
        resp
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        Ok(live(ctx, b)
            .await?
            .map(|r| vec![("metadata_configuration", result_value(&r, prior))]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let (inv, journal) = tables(planned);
        let inventory = InventoryTableConfiguration::builder()
            .set_configuration_state(state_of(inv))
            .set_encryption_configuration(encryption_of(
                block(inv, "encryption_configuration"),
                "metadata_configuration.inventory_table_configuration.encryption_configuration",
            )?)
            .build()
            .map_err(|e| build_error("metadata_configuration.inventory_table_configuration", e))?;
        let journal_conf = JournalTableConfiguration::builder()
            .record_expiration(expiration_of(journal)?)
            .set_encryption_configuration(encryption_of(
                block(journal, "encryption_configuration"),
                JOURNAL_ENCRYPTION,
            )?)
            .build();
        let conf = MetadataConfiguration::builder()
            .journal_table_configuration(journal_conf)
            .inventory_table_configuration(inventory)
            .build();
        done(
            ctx.s3
                .create_bucket_metadata_configuration()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .metadata_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )?;
        let enabled = state_of(inv) == Some(InventoryConfigurationState::Enabled);
        wait_active(ctx, b, enabled).await
    }

    /// As Terraform: each table's update call, only for the table whose configuration changed.
    async fn change(ctx: &Ctx, b: &BucketRef, prior: &Value, planned: &Value) -> Result<(), ProviderError> {
        let (prior_inv, prior_journal) = tables(prior);
        let (inv, journal) = tables(planned);
        let settable = |t: &Value| {
            Value::object([
                ("configuration_state", t.get("configuration_state").clone()),
                ("encryption_configuration", t.get("encryption_configuration").clone()),
            ])
        };
        if !same(&settable(inv), &settable(prior_inv)) {
            let updates = InventoryTableConfigurationUpdates::builder()
                .set_configuration_state(state_of(inv))
                .set_encryption_configuration(encryption_of(
                    block(inv, "encryption_configuration"),
                    "metadata_configuration.inventory_table_configuration.encryption_configuration",
                )?)
                .build()
                .map_err(|e| build_error("metadata_configuration.inventory_table_configuration", e))?;
            done(
                ctx.s3
                    .update_bucket_metadata_inventory_table_configuration()
                    .bucket(&b.bucket)
                    .set_expected_bucket_owner(b.owner.clone())
                    .inventory_table_configuration(updates)
                    .send()
                    .boxed()
                    .await,
                false,
            )?;
            if state_of(inv) == Some(InventoryConfigurationState::Enabled) {
                wait_active(ctx, b, true).await?;
            }
        }
        if !same(journal.get("record_expiration"), prior_journal.get("record_expiration")) {
            let updates = JournalTableConfigurationUpdates::builder()
                .record_expiration(expiration_of(journal)?)
                .build();
            done(
                ctx.s3
                    .update_bucket_metadata_journal_table_configuration()
                    .bucket(&b.bucket)
                    .set_expected_bucket_owner(b.owner.clone())
                    .journal_table_configuration(updates)
                    .send()
                    .boxed()
                    .await,
                false,
            )?;
        }
        Ok(())
    }

    /// Deletes the configuration and waits until S3 no longer reports it (S3 leaves the tables
    /// themselves in the table bucket).
    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_metadata_configuration()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .send()
                .boxed()
                .await,
            true,
        )?;
        crate::util::wait_gone(
            ctx,
            &format!("the metadata configuration of bucket {}", b.bucket),
            || async { Ok(live(ctx, b).await?.is_some()) },
        )
        .await
    }
}
