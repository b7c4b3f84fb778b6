//! (being written)

use crate::AwsResource;

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![]
}
