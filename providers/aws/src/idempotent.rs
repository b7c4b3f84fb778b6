//! Creates that a crash cannot duplicate. A create whose call returned but whose result the
//! state never recorded (the process was killed in between) is planned again by the next apply;
//! this module holds what lets that second create find the first one's object instead of making
//! another: the client token derived from the planned change (see
//! [`plinth_sdk::idempotency_token`]), and the bookkeeping tags Plinth sets at creation
//! (`plinth:address`, `plinth:lineage`) by which a type whose API honours no token finds the
//! object it made, and the adoption of an object a create is told already exists under its
//! unique name. Which types use which is listed in `docs/reliability.md`.

use std::collections::BTreeMap;
use std::future::Future;

use plinth_sdk::{ApplyRequest, ProviderError, Value, idempotency_token};

/// The bookkeeping tags and their prefix: one definition, in the SDK, shared with the other
/// providers that tag what they create.
pub use plinth_sdk::idempotency::{ADDRESS_TAG, BOOKKEEPING_PREFIX as PREFIX, LINEAGE_TAG};

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
        plinth_sdk::idempotency::bookkeeping_tags(&self.lineage, &self.address)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
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

    /// Calls a create API (`api`, for the error) with the client token of generation 0, 1, ...
    /// in turn until it answers an object that is live and not the one being replaced: that
    /// object's id. `call` gets the token and answers the object's id and whether it is gone
    /// (deleted, deleting, failed: the token was used by an object deleted since, so the next
    /// generation's token is tried). An answer naming the replaced object is the same: under
    /// create_before_destroy that object is alive, and a replacement with the same values as it
    /// repeats its token.
    pub async fn with_token<F, Fut>(&self, planned: &Value, api: &str, mut call: F) -> Result<String, ProviderError>
    where
        F: FnMut(String) -> Fut,
        Fut: Future<Output = Result<(String, bool), ProviderError>>,
    {
        for n in 0..MAX_GENERATIONS {
            let (id, gone) = call(self.token(planned, n)).await?;
            if !gone && !self.is_replaced(&id) {
                return Ok(id);
            }
            tracing::info!(
                address = %self.address,
                generation = n,
                id,
                "{api} answered its client token with an object deleted since or being replaced; trying the next token"
            );
        }
        Err(ProviderError::with_code(
            "IdempotentTokensExhausted",
            format!(
                "{api} answered {MAX_GENERATIONS} client tokens in a row with an object deleted since or being replaced"
            ),
        ))
    }

    /// The name to create: the configured `name_attr`, else `prefix_attr` (or `default_prefix`)
    /// plus a suffix. Untracked, the suffix is unique ([`crate::util::unique_name`]); tracked, it
    /// is derived from the client token, so that a create repeated after a crash asks for the
    /// same name again, is told it exists and can adopt the object (see
    /// [`Creating::adopt_or_refuse`]). The name of the object being replaced is skipped (the next
    /// generation's suffix), since under create_before_destroy that object still holds it.
    pub fn name(&self, planned: &Value, name_attr: &str, prefix_attr: &str, default_prefix: &str) -> String {
        if let Some(name) = crate::util::opt_str(planned, name_attr) {
            return name;
        }
        let prefix = crate::util::opt_str(planned, prefix_attr).unwrap_or_else(|| default_prefix.to_string());
        if !self.tracked() {
            return crate::util::unique_name(&prefix);
        }
        let replaced = self.replacing.as_ref().and_then(|r| crate::util::opt_str(r, name_attr));
        let mut name = String::new();
        for n in 0..MAX_GENERATIONS {
            // 20 hex digits, as long as the time-and-counter suffix of an untracked name.
            let suffix: String = self.token(planned, n).chars().filter(|c| *c != '-').take(20).collect();
            name = format!("{prefix}{suffix}");
            if replaced.as_deref() != Some(name.as_str()) {
                break;
            }
        }
        name
    }

    /// After a create was answered "already exists" (`err`) for the object `id` (what
    /// `plinth import` takes): `Ok` when `tags`, read from the existing object (`None` when they
    /// could not be read), carry this address and lineage and the object is not the one being
    /// replaced — an earlier attempt of this very create made it, and the create goes on with it
    /// — else `err`, with a hint naming the address and how to import the object.
    pub fn adopt_or_refuse<'a>(
        &self,
        id: &str,
        tags: Option<impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>>,
        err: ProviderError,
    ) -> Result<(), ProviderError> {
        if tags.is_some_and(|t| self.made(t)) && !self.is_replaced(id) {
            tracing::info!(address = %self.address, id, "adopting the object an earlier, interrupted create made");
            return Ok(());
        }
        Err(self.exists_error(id, err))
    }

    /// `err` (an "already exists" answer for `id`) with a hint on importing the object.
    pub fn exists_error(&self, id: &str, err: ProviderError) -> ProviderError {
        let address = if self.address.is_empty() {
            "ADDRESS"
        } else {
            &self.address
        };
        let hint = format!(
            "{id} exists and was not made for {address} by this state; to manage it here, run `plinth import {address} {id}`, or choose another name"
        );
        err.with_hint(hint)
    }

    /// For an object whose identity is its content and that carries no tags of its own (a
    /// security group rule, a route, a network ACL entry, an association: EC2 refuses a second
    /// one as a duplicate), found already there by a create (`err`, its "already exists" answer
    /// or one made up after a describe found it; `id` what `plinth import` takes): `Ok` when the
    /// object is exactly the planned one (`same`) and the object it belongs to (its security
    /// group, route table, network ACL, VPC ...) carries this state's lineage (`parent_tags`,
    /// `None` when they could not be read; see [`Creating::ours`]) — the parent is managed by
    /// this state, so the object is what an earlier, interrupted attempt of this create made, and
    /// the create goes on with it — else `err` with the import hint. Never the object being
    /// replaced.
    pub fn adopt_content_or_refuse<'a>(
        &self,
        id: &str,
        same: bool,
        parent_tags: Option<impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>>,
        err: ProviderError,
    ) -> Result<(), ProviderError> {
        if same && parent_tags.is_some_and(|t| self.ours(t)) && !self.is_replaced(id) {
            tracing::info!(
                address = %self.address,
                id,
                "adopting the object an earlier, interrupted create made in an object of this state"
            );
            return Ok(());
        }
        Err(self.exists_error(id, err))
    }

    /// Whether tags `(key, value)` read from an object say this state made it (its
    /// `plinth:lineage` is this state's lineage, whatever address made it).
    pub fn ours<'a>(&self, tags: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>) -> bool {
        self.tracked()
            && tags
                .into_iter()
                .any(|(k, v)| k == Some(LINEAGE_TAG) && v == Some(self.lineage.as_str()))
    }

    /// Whether tags `(key, value)` read from an object say this create made it.
    pub fn made<'a>(&self, tags: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>) -> bool {
        plinth_sdk::idempotency::made_by(&self.lineage, &self.address, tags)
    }
}

/// For an API whose answer carries no state: whether the object `exists` reports (the id a
/// client token was answered with) is gone, that is, still not described after a few polls at
/// the provider's interval. A new object may take a moment to be described (EC2 is eventually
/// consistent); one deleted since never will.
pub async fn vanished<F, Fut>(ctx: &crate::Ctx, mut exists: F) -> Result<bool, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool, ProviderError>>,
{
    for poll in 0..5 {
        if poll > 0 {
            tokio::time::sleep(ctx.poll_interval).await;
        }
        if exists().await? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The id a token-carrying create answered with (`id`, an error naming `action` and `what` when
/// the answer has none), and whether that object has [`vanished`] since, looked up by `describe`
/// (the type's batched describe by ids): the one answer of the EC2 creates whose answer carries no
/// state.
pub async fn answered<T, F, Fut>(
    ctx: &crate::Ctx,
    action: &str,
    what: &str,
    id: Option<&str>,
    describe: F,
) -> Result<(String, bool), ProviderError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<std::collections::HashMap<String, T>, ProviderError>>,
{
    let id = id
        .map(str::to_string)
        .ok_or_else(|| ProviderError::new(format!("{action} returned no {what}")))?;
    let gone = vanished(ctx, || {
        let described = describe(id.clone());
        let id = &id;
        async move { Ok(described.await?.contains_key(id)) }
    })
    .await?;
    Ok((id, gone))
}

/// Whether `e` answers a create with "an object of that name already exists", however the
/// service spells it: `EntityAlreadyExists` (IAM), `BucketAlreadyOwnedByYou` (S3),
/// `InvalidKeyPair.Duplicate`, `InvalidPlacementGroup.Duplicate` (EC2: `….Duplicate`),
/// `ResourceInUse` (SageMaker feature groups, clusters, domains), `...AlreadyExists...`, or a
/// `ValidationException` saying so (SageMaker models, endpoints, pipelines: "Cannot create already
/// existing ...", "... already exists").
pub fn already_exists(e: &ProviderError) -> bool {
    let code = e.code.as_deref().unwrap_or_default();
    let message = e.message.to_ascii_lowercase();
    code.contains("AlreadyExists")
        || code == "BucketAlreadyOwnedByYou"
        || code.ends_with(".Duplicate")
        || code.starts_with("ResourceInUse")
        || (code.starts_with("Validation")
            && (message.contains("already exist") || message.contains("cannot create a duplicate")))
        || already_exists_elsewhere(code, &message)
}

/// The other services' spellings of "already exists" (see [`already_exists`]):
/// `ResourceExistsException` (Secrets Manager), Lambda's `ResourceConflictException` when it
/// says so ("Function already exist: …"; the same code also means "being updated"), the ELB
/// names (`DuplicateLoadBalancerName`, `DuplicateTargetGroupName`, `DuplicateListener`,
/// `DuplicateAccessPointName`), and ECS's "Creation of service was not idempotent".
fn already_exists_elsewhere(code: &str, message: &str) -> bool {
    code == "ResourceExistsException"
        || (code == "ResourceConflictException" && message.contains("already exist"))
        || matches!(
            code,
            "DuplicateLoadBalancerName" | "DuplicateTargetGroupName" | "DuplicateListener" | "DuplicateAccessPointName"
        )
        || (code == "InvalidParameterException" && message.contains("not idempotent"))
}

/// Tags as read from an object, `(key, value)`, bookkeeping tags included: what the closures
/// given to [`Creating::adopt`] and [`Creating::confirm`] answer.
pub type ReadTags = Vec<(String, String)>;

impl Creating {
    /// The answer `sent` of the create call of the uniquely named object `id` (what `plinth
    /// import` takes), made safe to repeat after a crash; the one rule of every type adopted by
    /// name. `Ok(Some(answer))` when the call made the object. When it was answered *already
    /// exists* ([`already_exists`]), `tags` reads the existing object's tags (`None` when it is
    /// gone): `Ok(None)` when they say an earlier, interrupted attempt of this create made it
    /// ([`Creating::adopt_or_refuse`]), and the create goes on with that object (its waits, its
    /// settings, its read); else the error, with how to import the object. Untracked, the tags
    /// are not read and the error stays, with the hint.
    pub async fn adopt<T, F, Fut>(
        &self,
        id: &str,
        sent: Result<T, ProviderError>,
        tags: F,
    ) -> Result<Option<T>, ProviderError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<ReadTags>, ProviderError>>,
    {
        let err = match sent {
            Err(e) if already_exists(&e) => e,
            other => return other.map(Some),
        };
        if !self.tracked() {
            return Err(self.exists_error(id, err));
        }
        let read = tags().await?;
        let pairs = read
            .as_ref()
            .map(|t| t.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))));
        self.adopt_or_refuse(id, pairs, err).map(|()| None)
    }

    /// For a create whose API answers an existing object of the same name as though it made it
    /// (ELBv2's CreateLoadBalancer and CreateTargetGroup, ECS's CreateCluster and CreateService,
    /// with the same settings): `Ok` when the object `id` answered by `api` carries this create's
    /// bookkeeping tags (given by this very call, or by an earlier, interrupted attempt) and is
    /// not the object being replaced; else an *already exists* error with how to import it, and
    /// the object is left as it was. `tags` reads its tags (`None` when it is gone). Untracked,
    /// no tags were sent and nothing is checked.
    pub async fn confirm<F, Fut>(&self, api: &str, id: &str, tags: F) -> Result<(), ProviderError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<ReadTags>, ProviderError>>,
    {
        if !self.tracked() {
            return Ok(());
        }
        let read = tags().await?;
        let pairs = read
            .as_ref()
            .map(|t| t.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))));
        let err = ProviderError::with_code(
            "AlreadyExists",
            format!("{api} answered with {id}, which already existed"),
        );
        self.adopt_or_refuse(id, pairs, err)
    }
}

impl Creating {
    /// The create of a named object whose API answers an existing object of that name either as
    /// though it made it (same settings) or *already exists* (other settings), as ELBv2's and
    /// ECS's creates do: `sent` is the answer (the object's id, its ARN); `find` finds the id of
    /// the object of that name after an *already exists*, and `tags` reads an object's tags.
    /// The id to go on with when the object carries this create's bookkeeping tags (set by this
    /// very call, or by an earlier, interrupted attempt: [`Creating::confirm`],
    /// [`Creating::adopt`]); else the error, with how to import the object.
    pub async fn settle<F, Fut, G, GFut>(
        &self,
        api: &str,
        sent: Result<String, ProviderError>,
        find: F,
        tags: G,
    ) -> Result<String, ProviderError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<String>, ProviderError>>,
        G: Fn(String) -> GFut,
        GFut: Future<Output = Result<Option<ReadTags>, ProviderError>>,
    {
        match sent {
            Ok(id) => {
                self.confirm(api, &id, || tags(id.clone())).await?;
                Ok(id)
            }
            Err(e) if already_exists(&e) && self.tracked() => {
                let Some(id) = find().await? else {
                    return Err(e);
                };
                self.adopt(&id, Err::<(), _>(e), || tags(id.clone())).await?;
                Ok(id)
            }
            Err(e) => Err(e),
        }
    }
}

/// [`ReadTags`] from a service's `(key, value)` pairs (a pair without a key is left out).
pub fn read_tags<'a>(pairs: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>) -> ReadTags {
    pairs
        .into_iter()
        .filter_map(|(k, v)| Some((k?.to_string(), v.unwrap_or_default().to_string())))
        .collect()
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

    #[test]
    fn generated_names_repeat_for_the_same_create_and_skip_the_replaced_one() {
        let planned = Value::object([("name_prefix", Value::string("app-")), ("name", Value::Unknown)]);
        let c = Creating {
            lineage: "lin".into(),
            address: "aws_iam_role.app".into(),
            replacing: None,
        };
        let first = c.name(&planned, "name", "name_prefix", "plinth-");
        assert!(first.starts_with("app-") && first.len() == 24, "{first}");
        assert_eq!(first, c.name(&planned, "name", "name_prefix", "plinth-"));
        let replacing = Creating {
            replacing: Some(Value::object([("name", Value::string(first.clone()))])),
            ..c.clone()
        };
        let second = replacing.name(&planned, "name", "name_prefix", "plinth-");
        assert!(second.starts_with("app-") && second != first);
        let named = Value::object([("name", Value::string("fixed"))]);
        assert_eq!(c.name(&named, "name", "name_prefix", "plinth-"), "fixed");
        let untracked = Creating::default();
        assert_ne!(
            untracked.name(&planned, "name", "name_prefix", "x-"),
            untracked.name(&planned, "name", "name_prefix", "x-")
        );
    }

    #[test]
    fn adoption_needs_both_tags_and_another_object_than_the_replaced_one() {
        let c = Creating {
            lineage: "lin".into(),
            address: "aws_s3_bucket.b".into(),
            replacing: Some(Value::object([("id", Value::string("old"))])),
        };
        let ours = [
            (Some(ADDRESS_TAG), Some("aws_s3_bucket.b")),
            (Some(LINEAGE_TAG), Some("lin")),
        ];
        let exists = || ProviderError::with_code("BucketAlreadyOwnedByYou", "exists");
        assert!(c.adopt_or_refuse("new", Some(ours), exists()).is_ok());
        let refused = c
            .adopt_or_refuse("old", Some(ours), exists())
            .expect_err("the replaced object is never adopted");
        assert!(
            refused
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("plinth import aws_s3_bucket.b old"))
        );
        assert!(
            c.adopt_or_refuse("new", Some([(Some(ADDRESS_TAG), Some("aws_s3_bucket.b"))]), exists())
                .is_err()
        );
        assert!(
            c.adopt_or_refuse("new", None::<[(Option<&str>, Option<&str>); 0]>, exists())
                .is_err()
        );
        let parent = [(Some(LINEAGE_TAG), Some("lin")), (Some(ADDRESS_TAG), Some("aws_vpc.v"))];
        let other = [(Some(LINEAGE_TAG), Some("other"))];
        assert!(c.adopt_content_or_refuse("r", true, Some(parent), exists()).is_ok());
        assert!(c.adopt_content_or_refuse("r", false, Some(parent), exists()).is_err());
        assert!(c.adopt_content_or_refuse("r", true, Some(other), exists()).is_err());
        assert!(c.adopt_content_or_refuse("old", true, Some(parent), exists()).is_err());
        assert!(
            Creating::default()
                .adopt_content_or_refuse("r", true, Some([(Some(LINEAGE_TAG), Some(""))]), exists())
                .is_err()
        );
        assert!(already_exists(&ProviderError::with_code("EntityAlreadyExists", "x")));
        assert!(already_exists(&ProviderError::with_code(
            "InvalidKeyPair.Duplicate",
            "x"
        )));
        assert!(already_exists(&ProviderError::with_code(
            "ValidationException",
            "Cannot create already existing model"
        )));
        assert!(!already_exists(&ProviderError::with_code(
            "ValidationException",
            "bad role"
        )));
    }

    #[test]
    fn the_other_services_spell_already_exists_their_way() {
        let e = |code: &str, message: &str| ProviderError::with_code(code, message);
        assert!(already_exists(&e("ResourceExistsException", "x")));
        assert!(already_exists(&e(
            "ResourceConflictException",
            "Function already exist: f"
        )));
        assert!(!already_exists(&e(
            "ResourceConflictException",
            "The operation cannot be performed at this time"
        )));
        assert!(already_exists(&e("DuplicateTargetGroupName", "x")));
        assert!(already_exists(&e("DuplicateListener", "x")));
        assert!(!already_exists(&e("DuplicateTagKeys", "x")));
        assert!(already_exists(&e(
            "InvalidParameterException",
            "Creation of service was not idempotent."
        )));
        assert!(!already_exists(&e("InvalidParameterException", "bad cluster")));
        assert!(already_exists(&e("RepositoryAlreadyExistsException", "x")));
    }

    #[tokio::test]
    async fn adopt_and_settle_go_on_only_with_an_object_this_create_made() {
        let c = Creating {
            lineage: "lin".into(),
            address: "aws_lb.web".into(),
            replacing: Some(Value::object([("id", Value::string("arn:old"))])),
        };
        let ours = || async {
            Ok::<_, ProviderError>(Some(vec![
                (ADDRESS_TAG.to_string(), "aws_lb.web".to_string()),
                (LINEAGE_TAG.to_string(), "lin".to_string()),
            ]))
        };
        let theirs = || async { Ok::<_, ProviderError>(Some(vec![("team".to_string(), "x".to_string())])) };
        let dup = || Err::<String, _>(ProviderError::with_code("DuplicateLoadBalancerName", "exists"));
        // adopt: made is Some, adopted None, foreign the error with the hint.
        assert_eq!(
            c.adopt("web", Ok::<_, ProviderError>(1), ours).await.ok(),
            Some(Some(1))
        );
        assert_eq!(c.adopt("web", dup(), ours).await.ok(), Some(None));
        let refused = c.adopt("web", dup(), theirs).await.expect_err("not ours");
        assert!(
            refused
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("plinth import aws_lb.web web"))
        );
        let other = ProviderError::with_code("AccessDenied", "no");
        assert_eq!(
            c.adopt("web", Err::<(), _>(other), ours)
                .await
                .expect_err("kept")
                .code
                .as_deref(),
            Some("AccessDenied")
        );
        // settle: an answered object is checked; a duplicate is found and adopted.
        let found = || async { Ok::<_, ProviderError>(Some("arn:new".to_string())) };
        let tags_ours = |_: String| ours();
        let tags_theirs = |_: String| theirs();
        assert_eq!(
            c.settle("Create", Ok("arn:new".into()), found, tags_ours)
                .await
                .ok()
                .as_deref(),
            Some("arn:new")
        );
        assert!(
            c.settle("Create", Ok("arn:new".into()), found, tags_theirs)
                .await
                .is_err()
        );
        assert!(
            c.settle("Create", Ok("arn:old".into()), found, tags_ours)
                .await
                .is_err(),
            "the replaced object"
        );
        assert_eq!(
            c.settle("Create", dup(), found, tags_ours).await.ok().as_deref(),
            Some("arn:new")
        );
        assert!(c.settle("Create", dup(), found, tags_theirs).await.is_err());
        // Untracked: an answered object is taken as it is; a duplicate is refused.
        let untracked = Creating::default();
        assert!(
            untracked
                .settle("Create", Ok("arn:x".into()), found, tags_theirs)
                .await
                .is_ok()
        );
        assert!(untracked.settle("Create", dup(), found, tags_ours).await.is_err());
    }
}
