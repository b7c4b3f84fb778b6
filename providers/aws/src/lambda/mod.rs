//! Lambda: functions (`aws_lambda_function`), for the glue of ML platforms (feature jobs,
//! pre- and post-processing, triggers), and the resource-policy statements that let other
//! services invoke them (`aws_lambda_permission`).

mod function;
mod permission;

use crate::AwsResource;

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![Box::new(function::Function), Box::new(permission::Permission)]
}
