//! `aws_network_acl_association`: puts one subnet on a network ACL. Every subnet is always on
//! exactly one ACL, so create moves the subnet's association (ReplaceNetworkAclAssociation) and
//! destroy moves it back onto the VPC's default ACL, as Terraform does. Refresh is one
//! DescribeNetworkAcls per 200 associations, by the `association.association-id` filter; import
//! takes the association id (aclassoc-...).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::NetworkAclAssociation as Assoc;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use super::network_acl::{associate, default_acl_of, filter, find, replace_association};
use super::{by_id, describe_by_filter, ids_of, take, wait_found};
use crate::error::aws_error;
use crate::util::{opt_string, req_str};
use crate::{AwsResource, Ctx};

pub struct NetworkAclAssociation;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "Puts a subnet on a network ACL (moving it off the one it was on); destroy puts it back on the VPC's default \
         ACL. Import with the association id (aclassoc-...).",
    )
    .attr(
        "network_acl_id",
        Attribute::required(Type::String).force_new().describe("The ACL."),
    )
    .attr(
        "subnet_id",
        Attribute::required(Type::String).force_new().describe("The subnet."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The association id (aclassoc-...)."),
    )
    .identity(&["subnet_id"])
});

fn to_value(a: &Assoc) -> Value {
    Value::object([
        ("id", opt_string(a.network_acl_association_id())),
        ("network_acl_id", opt_string(a.network_acl_id())),
        ("subnet_id", opt_string(a.subnet_id())),
    ])
}

/// The associations among `ids`, found through their ACLs: one DescribeNetworkAcls per 200.
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, (Assoc, String)>, ProviderError> {
    let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let wanted = &wanted;
    describe_by_filter("association.association-id", ids, |filter, next| async move {
        let resp = ctx
            .ec2
            .describe_network_acls()
            .filters(filter)
            .set_next_token(next)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let found = resp
            .network_acls()
            .iter()
            .flat_map(|acl| {
                let vpc = acl.vpc_id().unwrap_or_default().to_string();
                acl.associations().iter().filter_map(move |a| {
                    let id = a.network_acl_association_id()?;
                    wanted.contains(id).then(|| (id.to_string(), (a.clone(), vpc.clone())))
                })
            })
            .collect();
        Ok((found, resp.next_token().map(str::to_string)))
    })
    .await
}

#[async_trait]
impl AwsResource for NetworkAclAssociation {
    fn type_name(&self) -> &'static str {
        "aws_network_acl_association"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let acl = req_str(planned, "network_acl_id")?;
        let subnet = req_str(planned, "subnet_id")?;
        let id = associate(ctx, &acl, &subnet).await?;
        let ids = vec![id.clone()];
        let what = format!("network ACL association {id} to exist");
        let (a, _) = wait_found(ctx, &what, &id, || describe(ctx, &ids), |_| true).await?;
        Ok(to_value(&a))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, _planned: &Value) -> Result<Value, ProviderError> {
        // Both arguments force a new association: only the timeouts block changes in place.
        let id = req_str(prior, "id")?;
        let (a, _) = take(
            describe(ctx, std::slice::from_ref(&id)).await?,
            &id,
            "InvalidAssociationID.NotFound",
            format!("network ACL association {id} disappeared"),
        )?;
        Ok(to_value(&a))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        // Gone already (the subnet deleted, or moved by someone else): nothing to undo.
        let Some((_, vpc)) = describe(ctx, &ids).await?.remove(&id) else {
            return Ok(());
        };
        let default = default_acl_of(ctx, &vpc).await?;
        match replace_association(ctx, &id, &default).await {
            Ok(_) => Ok(()),
            Err(e) if e.code.as_deref() == Some("InvalidAssociationID.NotFound") => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |(a, _), _| to_value(a)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = find(ctx, vec![filter("association.association-id", id)]).await?;
        let a = found
            .iter()
            .flat_map(|acl| acl.associations())
            .find(|a| a.network_acl_association_id() == Some(id))
            .ok_or_else(|| {
                ProviderError::with_code(
                    "InvalidAssociationID.NotFound",
                    format!("no network ACL association {id}"),
                )
            })?;
        Ok(to_value(a))
    }
}
