//! `aws_sagemaker_cluster`: a SageMaker HyperPod cluster of GPU instance groups for distributed
//! training. An instance group's `instance_count` changes in place with UpdateCluster; any other
//! change to the instance groups replaces the cluster.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_cluster::DescribeClusterOutput;
use aws_sdk_sagemaker::types::{ClusterInstanceGroupSpecification, ClusterInstanceType, ClusterLifeCycleConfig};
use futures::FutureExt as _;
use plinth_sdk::plan::same;
use plinth_sdk::{
    AttrPath, Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::adopt;
use super::{
    Kind, Listed, SageMakerType, Status, block, int, invalid, items, list as list_block, opt_i32, single, sm_tags,
    wait_status, with_arn_id, with_tags,
};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, opt_str, opt_string, req_str, string};

pub struct Cluster;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_cluster",
    noun: "HyperPod cluster",
    name_attr: "cluster_name",
    stamp: None,
    tagged: true,
    schema: &SCHEMA,
};

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let lifecycle = Schema::new("The lifecycle scripts run on each new instance.")
        .attr(
            "source_s3_uri",
            Attribute::required(Type::String).describe("S3 prefix holding the lifecycle scripts."),
        )
        .attr(
            "on_create",
            Attribute::required(Type::String).describe("The script run when an instance is created."),
        );
    let group = Schema::new("A group of identical instances.")
        .attr(
            "instance_group_name",
            Attribute::required(Type::String).describe("The group name."),
        )
        .attr(
            "instance_type",
            Attribute::required(Type::String).describe("Instance type, such as ml.p5.48xlarge or ml.g5.8xlarge."),
        )
        .attr(
            "instance_count",
            Attribute::required(Type::Number).describe("Number of instances; changed in place with UpdateCluster."),
        )
        .attr(
            "execution_role",
            Attribute::required(Type::String).describe("IAM role the instances run as."),
        )
        .attr(
            "threads_per_core",
            Attribute::optional_computed(Type::Number).describe("1 (hyperthreading off) or 2."),
        )
        .block("life_cycle_config", single(lifecycle, 1, false));
    with_tags(with_arn_id(
        Schema::new(
            "A SageMaker HyperPod cluster: instance groups of GPU nodes for distributed training. Create waits \
             until it is InService. An instance group's instance_count changes in place with UpdateCluster (and \
             waits for InService again); any other change to the instance groups replaces the cluster. Refresh: \
             one DescribeCluster per cluster (ListClusters carries neither the instance groups nor a \
             modification time) and one ListTags each. Import with the cluster name.",
        )
        .attr(
            "cluster_name",
            Attribute::required(Type::String)
                .force_new()
                .describe("The cluster name."),
        )
        .attr(
            "cluster_status",
            Attribute::computed(Type::String).describe("InService, Updating, Failed..."),
        )
        .block("instance_group", list_block(group, 1, Some(100), false)),
    ))
    .identity(&["cluster_name"])
});

impl Status for DescribeClusterOutput {
    fn status(&self) -> (&str, Option<&str>) {
        let status = self.cluster_status().map(|s| s.as_str());
        (status.unwrap_or_default(), self.failure_message())
    }
}

fn groups(planned: &Value) -> Vec<ClusterInstanceGroupSpecification> {
    items(planned, "instance_group")
        .iter()
        .map(|g| {
            ClusterInstanceGroupSpecification::builder()
                .set_instance_group_name(opt_str(g, "instance_group_name"))
                .set_instance_type(opt_str(g, "instance_type").map(|t| ClusterInstanceType::from(t.as_str())))
                .set_instance_count(opt_i32(g, "instance_count"))
                .set_execution_role(opt_str(g, "execution_role"))
                .set_threads_per_core(opt_i32(g, "threads_per_core"))
                .set_life_cycle_config(block(g, "life_cycle_config").map(|l| {
                    ClusterLifeCycleConfig::builder()
                        .set_source_s3_uri(opt_str(l, "source_s3_uri"))
                        .set_on_create(opt_str(l, "on_create"))
                        .build()
                }))
                .build()
        })
        .collect()
}

/// The instance groups without their counts: what UpdateCluster cannot change here.
fn without_counts(v: &Value) -> Value {
    Value::List(
        items(v, "instance_group")
            .iter()
            .map(|g| {
                let mut m = g.as_map().cloned().unwrap_or_default();
                m.remove("instance_count");
                Value::Map(m)
            })
            .collect(),
    )
}

/// Waits until the cluster is InService.
async fn wait_in_service(ctx: &Ctx, name: &str) -> Result<DescribeClusterOutput, ProviderError> {
    let what = KIND.what(name);
    wait_status(ctx, &what, &["InService"], &["Failed", "RollingBack"], || {
        Cluster::describe(ctx, name)
    })
    .await
}

#[async_trait]
impl SageMakerType for Cluster {
    type Described = DescribeClusterOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        items(config, "instance_group")
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let t = g.get("threads_per_core").as_f64()?;
                (t != 1.0 && t != 2.0).then(|| {
                    invalid(
                        &format!("instance_group[{i}].threads_per_core"),
                        "Invalid threads_per_core",
                        format!("threads_per_core must be 1 or 2, not {t}"),
                    )
                })
            })
            .collect()
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let resp = super::plan(&SCHEMA, ctx, req);
        let Some(prior) = &req.prior else { return resp };
        if same(&without_counts(&resp.planned), &without_counts(prior)) {
            return resp;
        }
        // Anything but a count changed in the instance groups: plan a new cluster.
        let mut fresh = super::plan(
            &SCHEMA,
            ctx,
            &PlanRequest {
                prior: None,
                ..req.clone()
            },
        );
        fresh.requires_replace = resp.requires_replace;
        fresh.requires_replace.push(AttrPath::attr("instance_group"));
        fresh
    }

    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "cluster_name")?;
        let tags = ctx.merged_tags(planned.get("tags"));
        let sent = ctx
            .sagemaker
            .create_cluster()
            .cluster_name(&name)
            .set_instance_groups(Some(groups(planned)))
            .set_tags(sm_tags(&creating.with_tags(tags.clone())))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        let waited = wait_in_service(ctx, &name).await;
        self.settled(ctx, &name, waited, &tags, planned).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Result<Option<DescribeClusterOutput>, ProviderError> {
        call_found(ctx.sagemaker.describe_cluster().cluster_name(name).send().boxed()).await
    }

    fn to_value(d: &DescribeClusterOutput, _prior: &Value) -> Value {
        let name = d.cluster_name().unwrap_or_default();
        let groups = d
            .instance_groups()
            .iter()
            .map(|g| {
                let lc = g
                    .life_cycle_config()
                    .map(|l| {
                        Value::object([
                            ("source_s3_uri", opt_string(l.source_s3_uri())),
                            ("on_create", opt_string(l.on_create())),
                        ])
                    })
                    .unwrap_or(Value::Null);
                Value::object([
                    ("instance_group_name", opt_string(g.instance_group_name())),
                    (
                        "instance_type",
                        opt_string(g.instance_type().map(|t| t.as_str().to_string())),
                    ),
                    // The desired count: what was asked for, even while nodes are still coming up.
                    ("instance_count", int(g.target_count().or(g.current_count()))),
                    ("execution_role", opt_string(g.execution_role())),
                    ("threads_per_core", int(g.threads_per_core())),
                    ("life_cycle_config", lc),
                ])
            })
            .collect();
        Value::object([
            ("cluster_name", string(name)),
            ("id", string(name)),
            ("arn", opt_string(d.cluster_arn())),
            (
                "cluster_status",
                opt_string(d.cluster_status().map(|s| s.as_str().to_string())),
            ),
            ("instance_group", Value::List(groups)),
        ])
    }

    /// ListClusters carries no creation or modification time: every cluster is described.
    async fn list(_ctx: &Ctx, _names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        Ok(None)
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        delete_call(ctx.sagemaker.delete_cluster().cluster_name(name).send().boxed()).await
    }

    async fn update_in_place(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Option<Value>, ProviderError> {
        let name = req_str(prior, "cluster_name")?;
        if same(planned.get("instance_group"), prior.get("instance_group")) {
            return Ok(None);
        }
        // Only counts differ (the plan replaces for anything else). UpdateCluster takes the full
        // specification of every group.
        ctx.sagemaker
            .update_cluster()
            .cluster_name(&name)
            .set_instance_groups(Some(groups(planned)))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        Ok(Some(Self::to_value(&wait_in_service(ctx, &name).await?, planned)))
    }
}
