//! Data source `aws_ec2_instance_type`: what one instance type offers (GPUs, vCPUs, memory), for
//! GPU-aware modules. One DescribeInstanceTypes call.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::InstanceType;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use crate::error::aws_error;
use crate::util::{number, opt_string, req_str, string};
use crate::{AwsDataSource, Ctx};

pub struct InstanceTypeData;

fn gpu_object_type() -> Type {
    Type::Object {
        attrs: BTreeMap::from([
            ("count".to_string(), Type::Number),
            ("manufacturer".to_string(), Type::String),
            ("name".to_string(), Type::String),
            ("memory_size".to_string(), Type::Number),
        ]),
        optional: vec![],
    }
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "Facts about one EC2 instance type (GPUs, vCPUs, memory), from DescribeInstanceTypes. The gpu_* attributes \
         describe the first GPU kind (instance types have one); an instance type without GPUs has gpu_count 0.",
    )
    .attr(
        "instance_type",
        Attribute::required(Type::String).describe("The instance type, such as p4d.24xlarge."),
    )
    .attr(
        "gpu_count",
        Attribute::computed(Type::Number).describe("Number of GPUs (0 without GPUs)."),
    )
    .attr(
        "gpu_manufacturer",
        Attribute::computed(Type::String).describe("GPU maker, such as NVIDIA; null without GPUs."),
    )
    .attr(
        "gpu_name",
        Attribute::computed(Type::String).describe("GPU model, such as A100; null without GPUs."),
    )
    .attr(
        "gpu_memory_mib",
        Attribute::computed(Type::Number).describe("Total GPU memory of the instance, in MiB (0 without GPUs)."),
    )
    .attr(
        "vcpus",
        Attribute::computed(Type::Number).describe("Default number of vCPUs."),
    )
    .attr(
        "memory_mib",
        Attribute::computed(Type::Number).describe("Memory, in MiB."),
    )
    .attr(
        "default_vcpus",
        Attribute::computed(Type::Number).describe("Same as vcpus (Terraform's name)."),
    )
    .attr(
        "memory_size",
        Attribute::computed(Type::Number).describe("Same as memory_mib (Terraform's name)."),
    )
    .attr(
        "total_gpu_memory",
        Attribute::computed(Type::Number).describe("Same as gpu_memory_mib (Terraform's name)."),
    )
    .attr(
        "gpus",
        Attribute::computed(Type::List(Box::new(gpu_object_type())))
            .describe("Each GPU kind: count, manufacturer, name, memory_size (MiB per GPU), as in Terraform."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The instance type."))
});

#[async_trait]
impl AwsDataSource for InstanceTypeData {
    fn type_name(&self) -> &'static str {
        "aws_ec2_instance_type"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let name = req_str(config, "instance_type")?;
        let resp = ctx
            .ec2
            .describe_instance_types()
            .instance_types(InstanceType::from(name.as_str()))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let info = resp
            .instance_types()
            .iter()
            .find(|t| t.instance_type().map(|t| t.as_str()) == Some(name.as_str()))
            .ok_or_else(|| {
                ProviderError::with_code(
                    "InvalidInstanceType",
                    format!("no instance type {name:?} in this region"),
                )
            })?;
        let gpu = info.gpu_info();
        let gpus = gpu.map(|g| g.gpus()).unwrap_or_default();
        let first = gpus.first();
        let count: i64 = gpus.iter().map(|g| i64::from(g.count().unwrap_or(0))).sum();
        let total_mem: i64 = gpu
            .and_then(|g| g.total_gpu_memory_in_mib())
            .map(i64::from)
            .unwrap_or_else(|| {
                gpus.iter()
                    .map(|g| {
                        i64::from(g.count().unwrap_or(0))
                            * i64::from(g.memory_info().and_then(|m| m.size_in_mib()).unwrap_or(0))
                    })
                    .sum()
            });
        let vcpus = info
            .v_cpu_info()
            .and_then(|v| v.default_v_cpus())
            .map(number)
            .unwrap_or(Value::Null);
        let mem = info
            .memory_info()
            .and_then(|m| m.size_in_mib())
            .map(|n| number(n as f64))
            .unwrap_or(Value::Null);
        let gpu_list = Value::List(
            gpus.iter()
                .map(|g| {
                    Value::object([
                        ("count", number(g.count().unwrap_or(0))),
                        ("manufacturer", opt_string(g.manufacturer())),
                        ("name", opt_string(g.name())),
                        (
                            "memory_size",
                            number(g.memory_info().and_then(|m| m.size_in_mib()).unwrap_or(0)),
                        ),
                    ])
                })
                .collect(),
        );
        Ok(Value::object([
            ("instance_type", string(&name)),
            ("id", string(&name)),
            ("gpu_count", number(count as f64)),
            ("gpu_manufacturer", opt_string(first.and_then(|g| g.manufacturer()))),
            ("gpu_name", opt_string(first.and_then(|g| g.name()))),
            ("gpu_memory_mib", number(total_mem as f64)),
            ("total_gpu_memory", number(total_mem as f64)),
            ("vcpus", vcpus.clone()),
            ("default_vcpus", vcpus),
            ("memory_mib", mem.clone()),
            ("memory_size", mem),
            ("gpus", gpu_list),
        ]))
    }
}
