//! The `random` provider: values generated once, at create, and then kept in state until a
//! `keepers` value (or any other argument: every argument of these types forces replacement, as in
//! Terraform) changes. Types: `random_id`, `random_string`, `random_password`, `random_uuid`,
//! `random_integer`, `random_shuffle` and `random_pet` (its word lists are in `words`).
//!
//! Nothing here is ever read back: refresh returns the state unchanged, so a plan is a no-op until
//! the configuration changes. `random_password.result` and `bcrypt_hash` are sensitive: the engine
//! stores only their keyed hashes, so they are derived from `.plinth/utility.key` and the
//! non-secret `secret_nonce` in state (see `support`), and derived again by refresh and plan; the
//! bcrypt salt is derived too, so the hash is the same every time. `seed` makes `random_integer` and
//! `random_shuffle` deterministic with Plinth's own stream (`support::Source`), which gives
//! different numbers than Terraform's for the same seed.

mod words;

use std::path::Path;
use std::sync::LazyLock;

use async_trait::async_trait;
use base64::Engine as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use crate::Family;
use crate::support::{
    SECRET_NONCE, Source, UtilityKey, default_to, diag, flag, int, invalid, mismatch, parse_nonce, redacted,
    required_int, set, string, string_map,
};

pub const ID: &str = "random_id";
pub const STRING: &str = "random_string";
pub const PASSWORD: &str = "random_password";
pub const UUID: &str = "random_uuid";
pub const INTEGER: &str = "random_integer";
pub const SHUFFLE: &str = "random_shuffle";
pub const PET: &str = "random_pet";

/// The `random` provider.
pub struct Random;

fn keepers() -> Attribute {
    Attribute::optional(string_map()).force_new().describe(
        "Arbitrary string values; a change to any of them replaces the resource (a new random value). \
         Use it to tie the value to the lifetime of something else.",
    )
}

static ID_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("Random bytes, shown in several encodings; a name suffix that stays the same until `keepers` change.")
        .attr(
            "byte_length",
            Attribute::required(Type::Number)
                .force_new()
                .describe("How many random bytes to produce (at least 1)."),
        )
        .attr(
            "prefix",
            Attribute::optional(Type::String)
                .force_new()
                .describe("Text put before `b64_url`, `b64_std`, `hex` and `dec` (not before `id`)."),
        )
        .attr("keepers", keepers())
        .attr(
            "b64_url",
            Attribute::computed(Type::String)
                .describe("URL-safe base64 of the bytes, without padding, after `prefix`."),
        )
        .attr(
            "b64_std",
            Attribute::computed(Type::String).describe("Standard base64 of the bytes, padded, after `prefix`."),
        )
        .attr(
            "hex",
            Attribute::computed(Type::String).describe("Lower-case hex of the bytes, after `prefix`."),
        )
        .attr(
            "dec",
            Attribute::computed(Type::String)
                .describe("The bytes as a big-endian unsigned decimal number, after `prefix`."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("URL-safe base64 of the bytes, without padding or prefix."),
        )
});

fn string_schema(password: bool) -> Schema {
    let what = if password {
        "A random password. `result` is sensitive: never shown, and kept in state only as a keyed hash."
    } else {
        "A random string of letters, digits and special characters (not secret: use `random_password` for secrets)."
    };
    let class = |what: &str| {
        Attribute::optional_computed(Type::Bool)
            .force_new()
            .describe(&format!("Whether {what} may appear; default true."))
    };
    let min = |what: &str| {
        Attribute::optional_computed(Type::Number)
            .force_new()
            .describe(&format!("At least this many {what}; default 0."))
    };
    let result = Attribute::computed(Type::String).describe("The generated string.");
    let mut s = Schema::new(what)
        .attr(
            "length",
            Attribute::required(Type::Number)
                .force_new()
                .describe("The length of the result, at least 1 and at least the sum of the `min_*` arguments."),
        )
        .attr("keepers", keepers())
        .attr("upper", class("upper-case letters"))
        .attr("lower", class("lower-case letters"))
        .attr("numeric", class("digits"))
        .attr(
            "number",
            Attribute::optional_computed(Type::Bool)
                .force_new()
                .describe("Deprecated spelling of `numeric` (as in Terraform); must agree with it when both are set."),
        )
        .attr("special", class("special characters"))
        .attr("min_upper", min("upper-case letters"))
        .attr("min_lower", min("lower-case letters"))
        .attr("min_numeric", min("digits"))
        .attr("min_special", min("special characters"))
        .attr(
            "override_special",
            Attribute::optional(Type::String)
                .force_new()
                .describe("The special characters to use instead of the default `!@#$%&*()-_=+[]{}<>:?`."),
        )
        .attr("result", if password { result.sensitive() } else { result })
        .attr(
            "id",
            Attribute::computed(Type::String).describe(if password {
                "Always \"none\" (the result is secret)."
            } else {
                "The same as `result`."
            }),
        );
    if password {
        s = s
            .attr(
                "bcrypt_hash",
                Attribute::computed(Type::String)
                    .sensitive()
                    .describe("A bcrypt hash (cost 10) of `result`; sensitive."),
            )
            .attr(
                SECRET_NONCE,
                Attribute::computed(Type::String).describe(
                    "Plinth only, not secret: the nonce `result` is derived from with `.plinth/utility.key` (and a \
                     keyed check of it), so that refresh and plan know `result` again although state keeps only \
                     its hash. Null for an imported password, whose value is known only in the apply that imports it.",
                ),
            );
    }
    s
}

static STRING_SCHEMA: LazyLock<Schema> = LazyLock::new(|| string_schema(false));
static PASSWORD_SCHEMA: LazyLock<Schema> = LazyLock::new(|| string_schema(true));

static UUID_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("A random version-4 UUID.")
        .attr("keepers", keepers())
        .attr(
            "result",
            Attribute::computed(Type::String).describe("The UUID, lower case with hyphens."),
        )
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The same as `result`."),
        )
});

static INTEGER_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("A random whole number in the range [min, max].")
        .attr(
            "min",
            Attribute::required(Type::Number)
                .force_new()
                .describe("The smallest possible result."),
        )
        .attr(
            "max",
            Attribute::required(Type::Number)
                .force_new()
                .describe("The largest possible result."),
        )
        .attr(
            "seed",
            Attribute::optional(Type::String).force_new().describe(
                "Makes the result a function of this text (Plinth's own generator: other numbers than Terraform's).",
            ),
        )
        .attr("keepers", keepers())
        .attr("result", Attribute::computed(Type::Number).describe("The number."))
        .attr(
            "id",
            Attribute::computed(Type::String).describe("The number as a string."),
        )
});

static SHUFFLE_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("A random permutation of a list of strings.")
        .attr(
            "input",
            Attribute::required(Type::List(Box::new(Type::String)))
                .force_new()
                .describe("The strings to shuffle."),
        )
        .attr(
            "result_count",
            Attribute::optional(Type::Number).force_new().describe(
                "How many strings to return; default the length of `input`. More than that repeats items, \
                 none more often than the others.",
            ),
        )
        .attr(
            "seed",
            Attribute::optional(Type::String).force_new().describe(
                "Makes the order a function of this text (Plinth's own generator: another order than Terraform's).",
            ),
        )
        .attr("keepers", keepers())
        .attr(
            "result",
            Attribute::computed(Type::List(Box::new(Type::String))).describe("The shuffled strings."),
        )
        .attr("id", Attribute::computed(Type::String).describe("Always \"-\"."))
});

static PET_SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("A random, readable name such as `wisely-brave-otter`.")
        .attr(
            "length",
            Attribute::optional_computed(Type::Number)
                .force_new()
                .describe("How many words; default 2 (adjective and animal; more words add adverbs in front)."),
        )
        .attr(
            "prefix",
            Attribute::optional(Type::String)
                .force_new()
                .describe("A first word put before the name."),
        )
        .attr(
            "separator",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("What joins the words; default \"-\"."),
        )
        .attr("keepers", keepers())
        .attr("id", Attribute::computed(Type::String).describe("The name."))
});

pub fn id_schema() -> &'static Schema {
    &ID_SCHEMA
}

const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const DIGITS: &str = "0123456789";
/// Terraform's default special characters.
const SPECIAL: &str = "!@#$%&*()-_=+[]{}<>:?";

/// The settings of a `random_string`/`random_password`, with defaults applied.
struct Charset {
    length: i64,
    upper: bool,
    lower: bool,
    numeric: bool,
    special: bool,
    min_upper: i64,
    min_lower: i64,
    min_numeric: i64,
    min_special: i64,
    special_chars: String,
}

impl Charset {
    fn of(v: &Value) -> Charset {
        let numeric = match (v.get("numeric").as_bool(), v.get("number").as_bool()) {
            (Some(n), _) | (None, Some(n)) => n,
            (None, None) => true,
        };
        Charset {
            length: int(v, "length").unwrap_or(0),
            upper: flag(v, "upper", true),
            lower: flag(v, "lower", true),
            numeric,
            special: flag(v, "special", true),
            min_upper: int(v, "min_upper").unwrap_or(0),
            min_lower: int(v, "min_lower").unwrap_or(0),
            min_numeric: int(v, "min_numeric").unwrap_or(0),
            min_special: int(v, "min_special").unwrap_or(0),
            special_chars: string(v, "override_special").unwrap_or_else(|| SPECIAL.to_string()),
        }
    }

    /// Terraform's algorithm: the minimum counts of each class first, the rest from every enabled
    /// class, then shuffled.
    fn generate(&self, rng: &mut Source) -> Result<String, ProviderError> {
        let mut all = String::new();
        for (on, chars) in [
            (self.upper, UPPER),
            (self.lower, LOWER),
            (self.numeric, DIGITS),
            (self.special, self.special_chars.as_str()),
        ] {
            if on {
                all.push_str(chars);
            }
        }
        let mut out: Vec<char> = Vec::new();
        let mut pick = |chars: &str, n: i64, out: &mut Vec<char>| -> Result<(), ProviderError> {
            let chars: Vec<char> = chars.chars().collect();
            if n > 0 && chars.is_empty() {
                return Err(invalid("override_special", "no characters to choose from"));
            }
            for _ in 0..n {
                out.push(chars[rng.below(chars.len() as u64) as usize]);
            }
            Ok(())
        };
        pick(UPPER, self.min_upper, &mut out)?;
        pick(LOWER, self.min_lower, &mut out)?;
        pick(DIGITS, self.min_numeric, &mut out)?;
        pick(&self.special_chars, self.min_special, &mut out)?;
        let rest = self.length - out.len() as i64;
        if rest > 0 && all.is_empty() {
            return Err(invalid(
                "upper",
                "upper, lower, numeric and special are all false: there are no characters to choose from",
            ));
        }
        pick(&all, rest, &mut out)?;
        rng.shuffle(&mut out);
        Ok(out.into_iter().collect())
    }
}

fn validate_string(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut d = Vec::new();
    let known = |n: &str| !config.get(n).contains_unknown();
    if let Some(len) = int(config, "length") {
        if len < 1 {
            d.push(diag(
                "length",
                "Invalid length",
                format!("length must be at least 1, not {len}."),
            ));
        }
        let mins = ["min_upper", "min_lower", "min_numeric", "min_special"];
        if mins.iter().all(|m| known(m)) {
            let sum: i64 = mins.iter().map(|m| int(config, m).unwrap_or(0)).sum();
            if sum > len {
                d.push(diag(
                    "length",
                    "Length too short",
                    format!("length ({len}) must be at least the sum of min_upper, min_lower, min_numeric and min_special ({sum})."),
                ));
            }
        }
    }
    for m in ["min_upper", "min_lower", "min_numeric", "min_special"] {
        if int(config, m).is_some_and(|n| n < 0) {
            d.push(diag(m, "Invalid minimum", format!("{m} must not be negative.")));
        }
    }
    if let (Some(a), Some(b)) = (config.get("numeric").as_bool(), config.get("number").as_bool())
        && a != b
    {
        d.push(diag(
            "number",
            "Conflicting numeric and number",
            "`number` is the deprecated spelling of `numeric`; set only `numeric`.",
        ));
    }
    if ["upper", "lower", "numeric", "number", "special"]
        .iter()
        .all(|n| config.get(n).as_bool() == Some(false) || (*n == "number" && config.get(n).is_null()))
        && ["min_upper", "min_lower", "min_numeric", "min_special"]
            .iter()
            .all(|m| int(config, m).unwrap_or(0) == 0)
    {
        d.push(diag(
            "special",
            "No characters to choose from",
            "upper, lower, numeric and special are all false; enable at least one.",
        ));
    }
    d
}

fn validate(type_name: &str, config: &Value) -> Vec<ProviderDiagnostic> {
    match type_name {
        ID => match int(config, "byte_length") {
            Some(n) if n < 1 => vec![diag(
                "byte_length",
                "Invalid byte_length",
                format!("byte_length must be at least 1, not {n}."),
            )],
            _ => Vec::new(),
        },
        STRING | PASSWORD => validate_string(config),
        INTEGER => match (int(config, "min"), int(config, "max")) {
            (Some(min), Some(max)) if min > max => vec![diag(
                "max",
                "Invalid range",
                format!("min ({min}) must be at most max ({max})."),
            )],
            _ => Vec::new(),
        },
        SHUFFLE => match int(config, "result_count") {
            Some(n) if n < 0 => vec![diag(
                "result_count",
                "Invalid result_count",
                "result_count must not be negative.",
            )],
            _ => Vec::new(),
        },
        PET => match int(config, "length") {
            Some(n) if n < 1 => vec![diag(
                "length",
                "Invalid length",
                format!("length must be at least 1, not {n}."),
            )],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn schema_of(type_name: &str) -> &'static Schema {
    match type_name {
        STRING => &STRING_SCHEMA,
        PASSWORD => &PASSWORD_SCHEMA,
        UUID => &UUID_SCHEMA,
        INTEGER => &INTEGER_SCHEMA,
        SHUFFLE => &SHUFFLE_SCHEMA,
        PET => &PET_SCHEMA,
        _ => &ID_SCHEMA,
    }
}

fn plan(
    working_dir: &Path,
    type_name: &str,
    prior: Option<&Value>,
    config: &Value,
) -> Result<PlanResponse, ProviderError> {
    // Without a refresh (`--refresh=false`) the prior comes straight from state: derive its
    // secret here, so that the plan hands dependents the value itself.
    let prior = prior.map(|p| rederive(working_dir, type_name, p.clone())).transpose()?;
    let mut resp = default_plan(schema_of(type_name), prior.as_ref(), config);
    let p = &mut resp.planned;
    match type_name {
        STRING | PASSWORD => {
            for class in ["upper", "lower", "special"] {
                default_to(p, config, class, Value::Bool(true));
            }
            // `numeric` and its deprecated spelling `number` show the same value, as in Terraform.
            let numeric = Charset::of(config).numeric;
            default_to(p, config, "numeric", Value::Bool(numeric));
            default_to(p, config, "number", Value::Bool(numeric));
            for m in ["min_upper", "min_lower", "min_numeric", "min_special"] {
                default_to(p, config, m, Value::int(0));
            }
            if type_name == PASSWORD {
                set(p, "id", Value::string("none"));
            }
        }
        PET => {
            default_to(p, config, "length", Value::int(2));
            default_to(p, config, "separator", Value::string("-"));
        }
        SHUFFLE => set(p, "id", Value::string("-")),
        _ => {}
    }
    Ok(resp)
}

/// The password and its bcrypt hash for `nonce`: a function of the key, the nonce and the
/// arguments, so that it can be derived again.
fn derive_password(key: &UtilityKey, nonce: &str, args: &Value) -> Result<(String, String), ProviderError> {
    let result = Charset::of(args).generate(&mut Source::derived(key.seed(PASSWORD, nonce)))?;
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&key.seed("random_password/bcrypt", nonce)[..16]);
    let hash = bcrypt::hash_with_salt(&result, bcrypt::DEFAULT_COST, salt)
        .map_err(|e| ProviderError::with_code("BCRYPT", format!("hashing the password: {e}")))?;
    Ok((result, hash.to_string()))
}

/// `state` with a redacted `result` and `bcrypt_hash` of a `random_password` derived again (other
/// types and imported passwords, which have no nonce, unchanged).
fn rederive(working_dir: &Path, type_name: &str, mut state: Value) -> Result<Value, ProviderError> {
    if type_name != PASSWORD || !redacted(state.get("result")) {
        return Ok(state);
    }
    let Some(sealed) = string(&state, SECRET_NONCE) else {
        return Ok(state);
    };
    let Some(nonce) = parse_nonce(&sealed) else {
        return Err(invalid(
            SECRET_NONCE,
            format!("{sealed:?} is not a secret_nonce this Plinth can derive from"),
        ));
    };
    let key = UtilityKey::load(working_dir, PASSWORD)?;
    let (result, hash) = derive_password(&key, nonce, &state)?;
    if !key.verify(&sealed, &result) {
        return Err(mismatch(PASSWORD, working_dir));
    }
    set(&mut state, "result", Value::String(result).mark());
    set(&mut state, "bcrypt_hash", Value::String(hash).mark());
    Ok(state)
}

fn generate(working_dir: &Path, type_name: &str, mut state: Value) -> Result<Value, ProviderError> {
    let s = &mut state;
    match type_name {
        ID => {
            let n = required_int(s, "byte_length")?;
            if n < 1 {
                return Err(invalid("byte_length", "byte_length must be at least 1"));
            }
            let bytes = Source::Os.bytes(n as usize);
            let prefix = string(s, "prefix").unwrap_or_default();
            for (name, value) in id_encodings(&bytes, &prefix) {
                set(s, name, Value::String(value));
            }
        }
        STRING | PASSWORD => {
            let cs = Charset::of(s);
            if cs.length < 1 {
                return Err(invalid("length", "length must be at least 1"));
            }
            if type_name == PASSWORD {
                let key = UtilityKey::load_or_create(working_dir)?;
                let nonce = UtilityKey::new_nonce();
                let (result, hash) = derive_password(&key, &nonce, s)?;
                set(s, SECRET_NONCE, Value::String(key.seal(&nonce, &result)));
                set(s, "bcrypt_hash", Value::String(hash).mark());
                set(s, "result", Value::String(result).mark());
                set(s, "id", Value::string("none"));
            } else {
                let result = cs.generate(&mut Source::Os)?;
                set(s, "id", Value::String(result.clone()));
                set(s, "result", Value::String(result));
            }
        }
        UUID => {
            let u = uuid::Uuid::new_v4().to_string();
            set(s, "id", Value::String(u.clone()));
            set(s, "result", Value::String(u));
        }
        INTEGER => {
            let min = required_int(s, "min")?;
            let max = required_int(s, "max")?;
            if min > max {
                return Err(invalid("max", format!("min ({min}) must be at most max ({max})")));
            }
            let seed = string(s, "seed");
            let span = (max as i128 - min as i128 + 1) as u128;
            let mut rng = Source::from_seed(seed.as_deref());
            let offset = if span > u64::MAX as u128 {
                rng.next_u64() as i128
            } else {
                rng.below(span as u64) as i128
            };
            let n = (min as i128 + offset) as i64;
            set(s, "result", Value::int(n));
            set(s, "id", Value::String(n.to_string()));
        }
        SHUFFLE => {
            let input: Vec<Value> = s.get("input").as_list().cloned().unwrap_or_default();
            if input.iter().any(|v| v.strip_sensitive().as_str().is_none()) {
                return Err(invalid("input", "input must be a known list of strings at apply"));
            }
            let count = match int(s, "result_count") {
                Some(n) if n < 0 => return Err(invalid("result_count", "result_count must not be negative")),
                Some(n) => n as usize,
                None => input.len(),
            };
            let mut rng = Source::from_seed(string(s, "seed").as_deref());
            let mut result = Vec::with_capacity(count);
            // More results than items: whole shuffled rounds, so no item repeats more than others.
            while result.len() < count && !input.is_empty() {
                let mut round = input.clone();
                rng.shuffle(&mut round);
                result.extend(round);
            }
            result.truncate(count);
            set(s, "result", Value::List(result));
            set(s, "id", Value::string("-"));
        }
        PET => {
            let len = int(s, "length").unwrap_or(2);
            if len < 1 {
                return Err(invalid("length", "length must be at least 1"));
            }
            let sep = string(s, "separator").unwrap_or_else(|| "-".to_string());
            let mut name = words::pet(len as usize, &mut Source::Os);
            if let Some(prefix) = string(s, "prefix") {
                name.insert(0, prefix);
            }
            set(s, "id", Value::String(name.join(&sep)));
        }
        other => return Err(ProviderError::new(format!("no random type {other:?}"))),
    }
    Ok(state)
}

/// The encodings `random_id` shows, given its bytes and prefix.
pub(crate) fn id_encodings(bytes: &[u8], prefix: &str) -> Vec<(&'static str, String)> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let url = URL_SAFE_NO_PAD.encode(bytes);
    vec![
        ("id", url.clone()),
        ("b64_url", format!("{prefix}{url}")),
        ("b64_std", format!("{prefix}{}", STANDARD.encode(bytes))),
        ("hex", format!("{prefix}{}", hex::encode(bytes))),
        ("dec", format!("{prefix}{}", big_decimal(bytes))),
    ]
}

/// A big-endian unsigned number of any length in decimal (long division by 10).
fn big_decimal(bytes: &[u8]) -> String {
    let mut num: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    if num.is_empty() {
        return "0".to_string();
    }
    let mut digits = Vec::new();
    while !num.is_empty() {
        let mut rem: u32 = 0;
        let mut next = Vec::with_capacity(num.len());
        for b in &num {
            let cur = rem * 256 + *b as u32;
            let q = (cur / 10) as u8;
            rem = cur % 10;
            if !(next.is_empty() && q == 0) {
                next.push(q);
            }
        }
        digits.push(b'0' + rem as u8);
        num = next;
    }
    digits.reverse();
    String::from_utf8_lossy(&digits).into_owned()
}

fn import(type_name: &str, id: &str) -> Result<Value, ProviderError> {
    let bad = |what: &str| ProviderError::with_code("EINVAL", format!("cannot import {type_name} from {id:?}: {what}"));
    let mut base = Value::Map(Default::default());
    for name in schema_of(type_name).attributes.keys() {
        set(&mut base, name, Value::Null);
    }
    let s = &mut base;
    match type_name {
        ID => {
            // Terraform's import id: the b64_url value, optionally after "PREFIX,".
            let (prefix, b64) = match id.split_once(',') {
                Some((p, b)) => (p.to_string(), b),
                None => (String::new(), id),
            };
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(b64)
                .map_err(|_| bad("expected the b64_url value, optionally as PREFIX,B64_URL"))?;
            set(s, "byte_length", Value::int(bytes.len() as i64));
            if !prefix.is_empty() {
                set(s, "prefix", Value::String(prefix.clone()));
            }
            for (name, value) in id_encodings(&bytes, &prefix) {
                set(s, name, Value::String(value));
            }
        }
        STRING | PASSWORD => {
            if id.is_empty() {
                return Err(bad("expected the value itself"));
            }
            let mut planned = plan(Path::new("."), type_name, None, &base)?.planned;
            set(&mut planned, "length", Value::int(id.chars().count() as i64));
            if type_name == PASSWORD {
                let hash = bcrypt::hash(id, bcrypt::DEFAULT_COST)
                    .map_err(|e| ProviderError::with_code("BCRYPT", format!("hashing the password: {e}")))?;
                set(&mut planned, "bcrypt_hash", Value::String(hash).mark());
                set(&mut planned, "result", Value::string(id).mark());
                set(&mut planned, "id", Value::string("none"));
            } else {
                set(&mut planned, "result", Value::string(id));
                set(&mut planned, "id", Value::string(id));
            }
            return Ok(planned);
        }
        UUID => {
            let u = uuid::Uuid::parse_str(id).map_err(|_| bad("expected a UUID"))?;
            set(s, "result", Value::String(u.to_string()));
            set(s, "id", Value::String(u.to_string()));
        }
        INTEGER => {
            // Terraform's import id: RESULT,MIN,MAX[,SEED].
            let parts: Vec<&str> = id.splitn(4, ',').collect();
            let num = |i: usize| -> Result<i64, ProviderError> {
                parts
                    .get(i)
                    .and_then(|p| p.trim().parse::<i64>().ok())
                    .ok_or_else(|| bad("expected RESULT,MIN,MAX or RESULT,MIN,MAX,SEED"))
            };
            let (result, min, max) = (num(0)?, num(1)?, num(2)?);
            set(s, "result", Value::int(result));
            set(s, "id", Value::String(result.to_string()));
            set(s, "min", Value::int(min));
            set(s, "max", Value::int(max));
            if let Some(seed) = parts.get(3) {
                set(s, "seed", Value::string(*seed));
            }
        }
        _ => {
            return Err(ProviderError::with_code(
                "IMPORT_UNSUPPORTED",
                format!("{type_name} cannot be imported (nor can it in Terraform)"),
            ));
        }
    }
    Ok(base)
}

#[async_trait]
impl Family for Random {
    fn name(&self) -> &'static str {
        "random"
    }

    fn about(&self) -> &'static str {
        "Random values generated once at create and kept in state until `keepers` change. No settings."
    }

    fn resources(&self) -> Vec<(&'static str, &'static Schema)> {
        [ID, STRING, PASSWORD, UUID, INTEGER, SHUFFLE, PET]
            .into_iter()
            .map(|t| (t, schema_of(t)))
            .collect()
    }

    fn validate(&self, type_name: &str, config: &Value) -> Vec<ProviderDiagnostic> {
        validate(type_name, config)
    }

    fn plan(
        &self,
        working_dir: &Path,
        type_name: &str,
        prior: Option<&Value>,
        config: &Value,
    ) -> Result<PlanResponse, ProviderError> {
        plan(working_dir, type_name, prior, config)
    }

    fn read(&self, working_dir: &Path, type_name: &str, state: Value) -> Result<Option<Value>, ProviderError> {
        rederive(working_dir, type_name, state).map(Some)
    }

    async fn apply(
        &self,
        working_dir: &Path,
        type_name: &str,
        prior: Option<Value>,
        planned: Option<Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let Some(planned) = planned else {
            return Ok(None);
        };
        // Every argument forces replacement, so an update only ever changes nothing that matters
        // (a default spelled out): keep the prior's generated values.
        if let Some(prior) = prior {
            let prior = rederive(working_dir, type_name, prior)?;
            let mut state = planned;
            for (name, attr) in &schema_of(type_name).attributes {
                if attr.computed && !attr.optional {
                    set(&mut state, name, prior.get(name).clone());
                }
            }
            return Ok(Some(state));
        }
        let type_name = type_name.to_string();
        let dir = working_dir.to_path_buf();
        // bcrypt at cost 10 takes a noticeable moment: off the async threads.
        tokio::task::spawn_blocking(move || generate(&dir, &type_name, planned))
            .await
            .map_err(|e| ProviderError::new(format!("generating the value: {e}")))?
            .map(Some)
    }

    fn import(&self, type_name: &str, id: &str) -> Result<Value, ProviderError> {
        import(type_name, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_decimal_matches_u64() {
        assert_eq!(big_decimal(&[0, 0]), "0");
        assert_eq!(big_decimal(&[1, 0]), "256");
        assert_eq!(big_decimal(&u64::MAX.to_be_bytes()), u64::MAX.to_string());
    }
}
