//! Module registry sources: `NAMESPACE/NAME/SYSTEM` (on `registry.terraform.io`) or
//! `HOST/NAMESPACE/NAME/SYSTEM`, with an optional `//SUBDIR`, and the `version` constraint of the
//! module block.
//!
//! Resolved at `plinth init` as Terraform's module registry protocol says: service discovery
//! (`https://HOST/.well-known/terraform.json`, key `modules.v1`), the versions list
//! (`…/NAMESPACE/NAME/SYSTEM/versions`), the newest version the constraint allows, and the
//! download endpoint (`…/VERSION/download`), whose `X-Terraform-Get` names the real source (a git
//! repository or an archive), which `modsrc` then installs. Registries are reached over HTTPS;
//! a loopback host (`localhost`, `127.0.0.1`, `[::1]`, with a port) is reached over plain HTTP,
//! for local mirrors and tests.

use semver::Version;

/// A registry module address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub host: String,
    pub namespace: String,
    pub name: String,
    pub system: String,
}

/// The public registry, for addresses without a host.
pub const DEFAULT_HOST: &str = "registry.terraform.io";

fn is_part(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn is_host(s: &str) -> bool {
    let (name, port) = match s.rsplit_once(':') {
        Some((n, p)) if !n.contains(']') || n.ends_with(']') => (n, Some(p)),
        _ => (s, None),
    };
    port.is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && (name.contains('.') || name == "localhost" || name == "[::1]")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'))
}

/// Reads `source` as a registry address, with the `//SUBDIR` after it; `None` when it is not one.
pub fn parse(source: &str) -> Option<(Address, String)> {
    let (addr, subdir) = match source.split_once("//") {
        Some((a, s)) => (a, s.trim_matches('/').to_string()),
        None => (source, String::new()),
    };
    let parts: Vec<&str> = addr.split('/').collect();
    let (host, rest) = match parts.as_slice() {
        [h, rest @ ..] if rest.len() == 3 && is_host(h) => (h.to_ascii_lowercase(), rest),
        rest if rest.len() == 3 => (DEFAULT_HOST.to_string(), rest),
        _ => return None,
    };
    if !rest.iter().all(|p| is_part(p)) {
        return None;
    }
    Some((
        Address {
            host,
            namespace: rest[0].to_string(),
            name: rest[1].to_string(),
            system: rest[2].to_string(),
        },
        subdir,
    ))
}

impl Address {
    fn scheme(&self) -> &'static str {
        let name = self.host.rsplit_once(':').map_or(self.host.as_str(), |(n, _)| n);
        if matches!(name, "localhost" | "127.0.0.1" | "[::1]") {
            "http"
        } else {
            "https"
        }
    }
}

/// One `OP VERSION` of a constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    /// `~>`: this version or a later one whose parts up to the last given one stay the same
    /// (`~> 1.2` allows 1.x from 1.2; `~> 1.2.3` allows 1.2.x from 1.2.3).
    Pessimistic(usize),
}

/// A version constraint as Terraform writes it: `">= 1.2, < 2.0"`, `"~> 5.1"`, `"1.4.0"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint(Vec<(Op, Version)>);

/// Reads a version that may leave out its minor and patch parts (`1`, `1.2`); returns it with how
/// many parts were written.
fn loose_version(text: &str) -> Option<(Version, usize)> {
    let text = text.trim().trim_start_matches('v');
    if let Ok(v) = Version::parse(text) {
        return Some((v, 3));
    }
    let parts: Vec<&str> = text.split('.').collect();
    let nums: Option<Vec<u64>> = parts.iter().map(|p| p.parse().ok()).collect();
    match nums?.as_slice() {
        [a] => Some((Version::new(*a, 0, 0), 1)),
        [a, b] => Some((Version::new(*a, *b, 0), 2)),
        _ => None,
    }
}

impl Constraint {
    /// Parses a constraint; the error says which part is wrong.
    pub fn parse(text: &str) -> Result<Constraint, String> {
        let mut out = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            let (op, rest) = ["~>", ">=", "<=", "!=", ">", "<", "="]
                .iter()
                .find_map(|op| part.strip_prefix(op).map(|r| (*op, r)))
                .unwrap_or(("=", part));
            let Some((v, given)) = loose_version(rest) else {
                return Err(format!(
                    "{part:?} is not a version constraint: write a version (1.2.0) after =, !=, >, >=, <, <= or ~>"
                ));
            };
            let op = match op {
                "~>" => Op::Pessimistic(given),
                ">=" => Op::Ge,
                "<=" => Op::Le,
                "!=" => Op::Ne,
                ">" => Op::Gt,
                "<" => Op::Lt,
                _ => Op::Eq,
            };
            out.push((op, v));
        }
        Ok(Constraint(out))
    }

    /// Whether `v` satisfies every part. A pre-release satisfies only an exact `=` naming it.
    pub fn matches(&self, v: &Version) -> bool {
        if !v.pre.is_empty() && !self.0.iter().any(|(op, c)| *op == Op::Eq && c == v) {
            return false;
        }
        self.0.iter().all(|(op, c)| match op {
            Op::Eq => v == c,
            Op::Ne => v != c,
            Op::Gt => v > c,
            Op::Ge => v >= c,
            Op::Lt => v < c,
            Op::Le => v <= c,
            Op::Pessimistic(given) => {
                v >= c
                    && match given {
                        1 | 2 => v.major == c.major,
                        _ => v.major == c.major && v.minor == c.minor,
                    }
            }
        })
    }
}

/// What a registry resolved: the version chosen and the source its download endpoint names.
pub struct Resolved {
    pub version: Version,
    pub target: String,
}

type Failure = (String, String);

/// Picks the newest version of `addr` that `constraint` allows (`locked` first, when it still
/// does and `!upgrade`), and asks the registry where that version's source is. `source` is the
/// address as written, for messages.
pub fn resolve(
    client: &reqwest::blocking::Client,
    source: &str,
    addr: &Address,
    constraint: Option<&Constraint>,
    locked: Option<&str>,
) -> Result<Resolved, Failure> {
    let fail = |detail: String| (format!("Cannot resolve registry module {source:?}"), detail);
    let base = modules_base(client, addr).map_err(fail)?;
    let module = format!("{base}{}/{}/{}", addr.namespace, addr.name, addr.system);
    let locked = locked
        .and_then(|l| Version::parse(l).ok())
        .filter(|l| constraint.is_none_or(|c| c.matches(l)));
    let version = match locked {
        Some(l) => l,
        None => {
            let versions = versions(client, &format!("{module}/versions")).map_err(fail)?;
            let allowed = versions
                .iter()
                .filter(|v| match constraint {
                    Some(c) => c.matches(v),
                    None => v.pre.is_empty(),
                })
                .max()
                .cloned();
            match allowed {
                Some(v) => v,
                None => {
                    let mut shown: Vec<String> = versions.iter().map(Version::to_string).collect();
                    shown.reverse();
                    shown.truncate(10);
                    return Err((
                        format!("No version of registry module {source:?} matches the constraint"),
                        format!(
                            "the registry has {}; change the module's version argument",
                            if shown.is_empty() {
                                "no versions".to_string()
                            } else {
                                shown.join(", ")
                            }
                        ),
                    ));
                }
            }
        }
    };
    let target = super::modsrc::terraform_get(client, &format!("{module}/{version}/download"))?;
    Ok(Resolved { version, target })
}

/// The registry's modules API base URL, ending in `/`, from its service discovery document.
fn modules_base(client: &reqwest::blocking::Client, addr: &Address) -> Result<String, String> {
    let root = format!("{}://{}/", addr.scheme(), addr.host);
    let url = format!("{root}.well-known/terraform.json");
    let doc: serde_json::Value = get_json(client, &url)?;
    let Some(base) = doc.get("modules.v1").and_then(|v| v.as_str()) else {
        return Err(format!(
            "{url} names no modules.v1 service: {} is not a module registry",
            addr.host
        ));
    };
    let joined = reqwest::Url::parse(&root)
        .and_then(|r| r.join(base))
        .map_err(|e| format!("{url} names modules.v1 {base:?}, which is not a URL: {e}"))?;
    let mut s = joined.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Ok(s)
}

/// Every version the registry lists for a module (`{"modules":[{"versions":[{"version":…}]}]}`),
/// oldest first; entries that are not semantic versions are skipped.
fn versions(client: &reqwest::blocking::Client, url: &str) -> Result<Vec<Version>, String> {
    let doc = get_json(client, url)?;
    let mut out: Vec<Version> = doc
        .get("modules")
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .flat_map(|m| m.get("versions").and_then(|v| v.as_array()).into_iter().flatten())
        .filter_map(|v| v.get("version").and_then(|s| s.as_str()))
        .filter_map(|s| Version::parse(s.trim_start_matches('v')).ok())
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

fn get_json(client: &reqwest::blocking::Client, url: &str) -> Result<serde_json::Value, String> {
    let resp = super::modsrc::http_get(client, url).map_err(|(s, d)| format!("{s}: {d}"))?;
    let text = resp.text().map_err(|e| format!("cannot read {url}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{url} did not answer JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(c: &str, v: &str) -> bool {
        Constraint::parse(c)
            .expect("constraint")
            .matches(&Version::parse(v).expect("version"))
    }

    #[test]
    fn constraints_mean_what_terraform_says() {
        assert!(ok("~> 1.2", "1.9.0") && !ok("~> 1.2", "2.0.0") && !ok("~> 1.2", "1.1.9"));
        assert!(ok("~> 1.2.3", "1.2.9") && !ok("~> 1.2.3", "1.3.0"));
        assert!(ok(">= 1.0, < 2.0", "1.5.0") && !ok(">= 1.0, < 2.0", "2.0.0"));
        assert!(ok("1.4.0", "1.4.0") && !ok("= 1.4.0", "1.4.1"));
        assert!(ok("!= 1.4.0", "1.4.1") && !ok("!= 1.4.0", "1.4.0"));
        assert!(!ok(">= 1.0", "2.0.0-beta1") && ok("= 2.0.0-beta1", "2.0.0-beta1"));
        assert!(Constraint::parse(">= banana").is_err());
    }

    #[test]
    fn addresses_with_and_without_host() {
        let (a, sub) = parse("terraform-aws-modules/vpc/aws").expect("registry");
        assert_eq!(
            (
                a.host.as_str(),
                a.namespace.as_str(),
                a.name.as_str(),
                a.system.as_str(),
                sub.as_str()
            ),
            (DEFAULT_HOST, "terraform-aws-modules", "vpc", "aws", "")
        );
        let (a, sub) = parse("app.terraform.io/acme/net/aws//modules/sub").expect("registry");
        assert_eq!((a.host.as_str(), sub.as_str()), ("app.terraform.io", "modules/sub"));
        let (a, _) = parse("127.0.0.1:8080/acme/net/aws").expect("registry");
        assert_eq!(a.scheme(), "http");
        assert!(parse("acme/net").is_none() && parse("a/b/c/d/e").is_none() && parse("a/b c/d").is_none());
    }
}
