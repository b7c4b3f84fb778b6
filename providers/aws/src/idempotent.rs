//! Creates that a crash cannot duplicate. A create whose call returned but whose result the
//! state never recorded (the process was killed in between) is planned again by the next apply;
//! this module holds what lets that second create find the first one's object instead of making
//! another: the client token derived from the planned change (see
//! [`plinth_sdk::idempotency_token`]), and the bookkeeping tags Plinth sets at creation
//! (`plinth:address`, `plinth:lineage`) by which a type whose API honours no token finds the
//! object it made. Which types use which is listed in `docs/reliability.md`.

use std::collections::BTreeMap;

use plinth_sdk::{ApplyRequest, Value, idempotency_token};

/// The tag naming the resource address an object was created for.
pub const ADDRESS_TAG: &str = "plinth:address";
/// The tag naming the lineage of the state an object was created for.
pub const LINEAGE_TAG: &str = "plinth:lineage";
/// The prefix of Plinth's bookkeeping tags: left out of `tags` and `tags_all` when read, like
/// AWS's own `aws:` tags, so that they never show as drift or in a plan.
pub const PREFIX: &str = "plinth:";

/// How many tokens a create tries when the platform answers a token with an object deleted since
/// (a replacement with the same planned values as the object it replaces): the object of the
/// token `n` is gone, so the create goes on with token `n + 1`.
pub const MAX_GENERATIONS: u32 = 8;

/// What the engine says about a create beyond its planned value.
#[derive(Clone, Debug, Default)]
pub struct Creating {
    /// The state's lineage; empty when there is no state (a provider's own tests): then no
    /// bookkeeping tags are set and no object is adopted.
    pub lineage: String,
    pub address: String,
    /// The object this create replaces, which under create_before_destroy is still there and
    /// carries the same tags: it is never adopted.
    pub replacing: Option<Value>,
}

impl Creating {
    pub fn of(req: &ApplyRequest) -> Creating {
        Creating {
            lineage: req.lineage.clone(),
            address: req.address.clone(),
            replacing: req.replacing.clone(),
        }
    }

    /// The client token of generation `n` (0 first) of the create planned as `planned`.
    pub fn token(&self, planned: &Value, n: u32) -> String {
        match n {
            0 => idempotency_token(&self.lineage, &self.address, planned),
            n => idempotency_token(&self.lineage, &format!("{}#{n}", self.address), planned),
        }
    }

    /// Whether the create knows its state, so that tags and adoption apply.
    pub fn tracked(&self) -> bool {
        !self.lineage.is_empty()
    }

    /// The bookkeeping tags to set at creation (none when not [`Creating::tracked`]).
    pub fn tags(&self) -> BTreeMap<String, String> {
        if !self.tracked() {
            return BTreeMap::new();
        }
        BTreeMap::from([
            (ADDRESS_TAG.to_string(), self.address.clone()),
            (LINEAGE_TAG.to_string(), self.lineage.clone()),
        ])
    }

    /// `tags` with the bookkeeping tags added.
    pub fn with_tags(&self, mut tags: BTreeMap<String, String>) -> BTreeMap<String, String> {
        tags.extend(self.tags());
        tags
    }

    /// Whether `id` is the object this create replaces.
    pub fn is_replaced(&self, id: &str) -> bool {
        self.replacing.as_ref().and_then(|r| r.get("id").as_str()) == Some(id)
    }

    /// Whether tags `(key, value)` read from an object say this create made it.
    pub fn made<'a>(&self, tags: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>) -> bool {
        if !self.tracked() {
            return false;
        }
        let (mut address, mut lineage) = (false, false);
        for (k, v) in tags {
            match (k, v) {
                (Some(ADDRESS_TAG), Some(v)) => address = v == self.address,
                (Some(LINEAGE_TAG), Some(v)) => lineage = v == self.lineage,
                _ => {}
            }
        }
        address && lineage
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_tags_follow_the_request() {
        let c = Creating {
            lineage: "lin".into(),
            address: "aws_instance.web".into(),
            replacing: Some(Value::object([("id", Value::string("i-old"))])),
        };
        let planned = Value::object([("ami", Value::string("ami-1"))]);
        assert_eq!(c.token(&planned, 0), c.token(&planned, 0));
        assert_ne!(c.token(&planned, 0), c.token(&planned, 1));
        assert!(c.is_replaced("i-old") && !c.is_replaced("i-new"));
        let tags = [
            (Some(ADDRESS_TAG), Some("aws_instance.web")),
            (Some(LINEAGE_TAG), Some("lin")),
        ];
        assert!(c.made(tags));
        assert!(!c.made([(Some(ADDRESS_TAG), Some("aws_instance.web"))]));
        assert!(!c.made([
            (Some(ADDRESS_TAG), Some("aws_instance.db")),
            (Some(LINEAGE_TAG), Some("lin"))
        ]));
        let untracked = Creating::default();
        assert!(untracked.tags().is_empty() && !untracked.made(tags));
    }
}
