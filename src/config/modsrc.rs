//! Module sources: where a `module` block's `source` points and how remote ones are installed.
//!
//! A source is a local path (`./net`), a git repository (`git::https://…//subdir?ref=v1`) or a
//! `.tar.gz`/`.zip` archive (`file:///…/net.tar.gz//subdir`, `https://…/net.zip//subdir`, or an
//! `https://` URL whose `X-Terraform-Get` names one, as go-getter reads it). Only `plinth init`
//! fetches remote sources (the system `git`; `reqwest`, `tar` + `flate2`, `zip`; archive entries
//! escaping the module's directory refused) into `.plinth/modules/<module key>/` and records what
//! they resolved to in `.plinth.lock.hcl`; every other command reads the installed copy and
//! checks it against the lock, so **plan and apply never touch the network**. The loader in
//! `load.rs` knows nothing of remote sources beyond calling [`Modules::resolve`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Span};

/// The lock file, next to the configuration.
pub const LOCK_FILE: &str = ".plinth.lock.hcl";
/// Where `plinth init` installs remote modules, one directory per module key.
pub const MODULES_DIR: &str = ".plinth/modules";

/// A parsed `source` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A path relative to the calling module's directory.
    Local(String),
    /// A git repository, the `//subdir` inside it and the `?ref=` to check out.
    Git {
        url: String,
        subdir: String,
        rev: Option<String>,
    },
    /// A `.tar.gz` or `.zip` archive on disk (`file://`) and the `//subdir` inside it.
    Archive {
        path: PathBuf,
        kind: ArchiveKind,
        subdir: String,
    },
    /// An `http://` or `https://` URL (query included, `archive=` removed): an archive of
    /// `archive`'s kind, or, when `None`, a page whose `X-Terraform-Get` header (or
    /// `terraform-get` meta tag) names the real source, as go-getter reads it.
    Http {
        url: String,
        archive: Option<ArchiveKind>,
        subdir: String,
    },
    /// A module registry address (`NAMESPACE/NAME/SYSTEM` or `HOST/NAMESPACE/NAME/SYSTEM`), taken
    /// with the module block's `version` constraint; see [`super::registry`].
    Registry {
        address: super::registry::Address,
        subdir: String,
    },
}

/// The archive formats a module source may be, detected by the URL's extension or forced with
/// `?archive=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    /// `.tar.gz` / `.tgz`.
    TarGz,
    /// `.zip`.
    Zip,
}

impl ArchiveKind {
    /// The kind a URL's path names by its extension.
    fn of(url: &str) -> Option<ArchiveKind> {
        if url.ends_with(".tar.gz") || url.ends_with(".tgz") {
            Some(ArchiveKind::TarGz)
        } else if url.ends_with(".zip") {
            Some(ArchiveKind::Zip)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            ArchiveKind::TarGz => "gzip-compressed tar (.tar.gz)",
            ArchiveKind::Zip => "zip",
        }
    }
}

impl Source {
    pub fn is_remote(&self) -> bool {
        !matches!(self, Source::Local(_))
    }
}

/// Why a source string cannot be used: a summary and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSource {
    pub summary: String,
    pub hint: String,
}

fn bad(summary: String, hint: &str) -> BadSource {
    BadSource {
        summary,
        hint: hint.to_string(),
    }
}

/// Splits `scheme://host/path//subdir` at the `//` that follows the scheme's own.
fn split_subdir(url: &str) -> (String, String) {
    let start = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[start..].find("//") {
        Some(i) => (
            url[..start + i].to_string(),
            url[start + i + 2..].trim_matches('/').to_string(),
        ),
        None => (url.to_string(), String::new()),
    }
}

/// Parses a `source` string. `has_version`: the block also sets `version`, which (as in
/// Terraform) only a registry source takes.
pub fn parse(source: &str, has_version: bool) -> Result<Source, BadSource> {
    let parsed = parse_address(source)?;
    if has_version && !matches!(parsed, Source::Registry { .. }) {
        return Err(bad(
            "Invalid registry module source address".to_string(),
            "the argument \"version\" applies only to registry modules, so Plinth read the source as a registry address; pin a git source with ?ref= instead of version",
        ));
    }
    Ok(parsed)
}

fn parse_address(source: &str) -> Result<Source, BadSource> {
    if source.starts_with("./") || source.starts_with("../") || Path::new(source).is_absolute() {
        return Ok(Source::Local(source.to_string()));
    }
    if let Some(forced) = git_shorthand(source)? {
        return parse_address(&forced);
    }
    if let Some(rest) = source.strip_prefix("git::") {
        let (url, query) = match rest.split_once('?') {
            Some((u, q)) => (u, Some(q)),
            None => (rest, None),
        };
        let mut rev = None;
        for pair in query.into_iter().flat_map(|q| q.split('&')) {
            match pair.split_once('=') {
                Some(("ref", r)) if !r.is_empty() => rev = Some(r.to_string()),
                Some(("depth", _)) => {}
                _ => {
                    return Err(bad(
                        format!("Unsupported query {pair:?} in module source {source:?}"),
                        "a git source takes ?ref=TAG, BRANCH or COMMIT",
                    ));
                }
            }
        }
        let (url, subdir) = split_subdir(url);
        // git's scp-like syntax (`git::git@host:owner/repo.git`) is ssh, as go-getter reads it.
        let url = scp_to_ssh(&url).unwrap_or(url);
        if !["https://", "http://", "ssh://", "file://"]
            .iter()
            .any(|s| url.starts_with(s))
        {
            return Err(bad(
                format!("Unsupported git URL {url:?} in module source {source:?}"),
                "write git::https://host/repo.git, git::ssh://user@host/repo.git or git::file:///path/to/repo",
            ));
        }
        return Ok(Source::Git { url, subdir, rev });
    }
    if let Some((scheme, _)) = source.split_once("::")
        && !scheme.contains('/')
    {
        let hint = if scheme == "s3" || scheme == "gcs" {
            "bucket sources (s3::, gcs::) are not supported; serve the archive over https:// (a presigned or public URL), or use a git:: source"
        } else {
            "module sources are local paths, git:: repositories and .tar.gz, .tgz or .zip archives (file://, http:// or https://)"
        };
        return Err(bad(format!("Unsupported module source scheme {scheme:?}"), hint));
    }
    // As go-getter: the query belongs to the URL, the `//subdir` sits before it, and
    // `archive=` is Plinth's (Terraform's) own parameter, not sent to the server.
    let (before_query, query) = match source.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (source, None),
    };
    let (url, subdir) = split_subdir(before_query);
    let mut forced = None;
    let mut kept = Vec::new();
    for pair in query.into_iter().flat_map(|q| q.split('&')).filter(|p| !p.is_empty()) {
        match pair.strip_prefix("archive=") {
            Some("zip") => forced = Some(Some(ArchiveKind::Zip)),
            Some("tar.gz" | "tgz") => forced = Some(Some(ArchiveKind::TarGz)),
            Some("false") => forced = Some(None),
            Some(other) => {
                return Err(bad(
                    format!("Unsupported archive type {other:?} in module source {source:?}"),
                    "?archive= takes zip, tar.gz or tgz (or false: the URL is not an archive)",
                ));
            }
            None => kept.push(pair),
        }
    }
    let kind = forced.unwrap_or_else(|| ArchiveKind::of(&url));
    if let Some(path) = url.strip_prefix("file://") {
        if let (Some(kind), true) = (kind, kept.is_empty()) {
            return Ok(Source::Archive {
                path: PathBuf::from(path),
                kind,
                subdir,
            });
        }
        return Err(bad(
            format!("Unsupported module source {source:?}"),
            "a file:// source is a .tar.gz, .tgz or .zip archive; for a directory use a relative path such as \"./modules/net\"",
        ));
    }
    if url.starts_with("https://") || url.starts_with("http://") {
        let url = if kept.is_empty() {
            url
        } else {
            format!("{url}?{}", kept.join("&"))
        };
        return Ok(Source::Http {
            url,
            archive: kind,
            subdir,
        });
    }
    if source.starts_with("bitbucket.org/") {
        return Err(bad(
            format!("Unsupported module source {source:?}"),
            "write the repository as a git source, such as git::https://bitbucket.org/OWNER/REPO.git",
        ));
    }
    if let Some((address, subdir)) = super::registry::parse(source) {
        return Ok(Source::Registry { address, subdir });
    }
    Err(bad(
        format!("Unsupported module source {source:?}"),
        "a module source is a local path (./modules/net), a registry address (NAMESPACE/NAME/SYSTEM with version), a git:: source (git::https://host/repo.git//subdir?ref=v1.2.0) or an http(s)/file:// archive",
    ))
}

/// Terraform's (go-getter's) git shorthands, rewritten to the `git::` form they stand for:
/// `github.com/OWNER/REPO` is `git::https://github.com/OWNER/REPO.git` and `git@HOST:PATH` is
/// `git::ssh://git@HOST/PATH`; a `//DIR` and a `?ref=` carry over. `None` for anything else.
fn git_shorthand(source: &str) -> Result<Option<String>, BadSource> {
    let (before_query, query) = match source.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (source, None),
    };
    let (repo, subdir) = match before_query.split_once("//") {
        Some((r, s)) => (r, Some(s)),
        None => (before_query, None),
    };
    let url = if let Some(path) = repo.strip_prefix("github.com/") {
        let (owner, name) = match path.trim_end_matches('/').split('/').collect::<Vec<_>>()[..] {
            [owner, name] if !owner.is_empty() && !name.is_empty() => (owner, name),
            _ => {
                return Err(bad(
                    format!("Unsupported module source {source:?}"),
                    "a GitHub source is github.com/OWNER/REPO, with //DIR for a directory in the repository and ?ref= for a tag, branch or commit (github.com/OWNER/REPO//modules/net?ref=v1.2.0)",
                ));
            }
        };
        format!("https://github.com/{owner}/{}.git", name.trim_end_matches(".git"))
    } else if repo.starts_with("git@") {
        match scp_to_ssh(repo) {
            Some(url) => url,
            None => {
                return Err(bad(
                    format!("Unsupported module source {source:?}"),
                    "an ssh source in git's short form is git@HOST:OWNER/REPO.git (or write git::ssh://git@HOST/OWNER/REPO.git)",
                ));
            }
        }
    } else {
        return Ok(None);
    };
    let mut forced = format!("git::{url}");
    if let Some(subdir) = subdir {
        forced.push_str("//");
        forced.push_str(subdir);
    }
    if let Some(query) = query {
        forced.push('?');
        forced.push_str(query);
    }
    Ok(Some(forced))
}

/// git's scp-like address `USER@HOST:PATH` as the URL `ssh://USER@HOST/PATH`; `None` when `url`
/// is not one (it has a scheme, no user, or no path).
fn scp_to_ssh(url: &str) -> Option<String> {
    if url.contains("://") {
        return None;
    }
    let (user_host, path) = url.split_once(':')?;
    let (user, host) = user_host.split_once('@')?;
    let path = path.trim_start_matches('/');
    let plain = |s: &str| !s.is_empty() && !s.contains(['/', ' ', '@']);
    (plain(user) && plain(host) && !path.is_empty()).then(|| format!("ssh://{user}@{host}/{path}"))
}

/// One module of the lock file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LockEntry {
    pub source: String,
    /// The git commit a git source resolved to.
    #[serde(default)]
    pub commit: Option<String>,
    /// The SHA-256 of an archive source's file.
    #[serde(default)]
    pub sha256: Option<String>,
    /// The version a registry source resolved to.
    #[serde(default)]
    pub version: Option<String>,
    /// The SHA-256 of the installed files (paths and contents), to notice edits.
    pub hash: String,
}

/// `.plinth.lock.hcl`: what each remote module resolved to, by module key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Lock {
    #[serde(default)]
    pub module: BTreeMap<String, LockEntry>,
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.replace("${", "$${").replace("%{", "%%{") + "\""
}

impl Lock {
    /// Reads the lock file of `root`; `None` when there is none.
    pub fn read(root: &Path) -> Result<Option<Lock>, String> {
        let path = root.join(LOCK_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        hcl::from_str(&text)
            .map(Some)
            .map_err(|e| format!("cannot parse {}: {e}", path.display()))
    }

    /// The lock file's text: modules sorted by key, attributes in a fixed order.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# This file is maintained by `plinth init`; commit it. Edit the module sources, not this file.\n",
        );
        for (key, e) in &self.module {
            out.push_str(&format!(
                "\nmodule {} {{\n  source = {}\n",
                quote(key),
                quote(&e.source)
            ));
            if let Some(v) = &e.version {
                out.push_str(&format!("  version = {}\n", quote(v)));
            }
            if let Some(c) = &e.commit {
                out.push_str(&format!("  commit = {}\n", quote(c)));
            }
            if let Some(s) = &e.sha256 {
                out.push_str(&format!("  sha256 = {}\n", quote(s)));
            }
            out.push_str(&format!("  hash   = {}\n}}\n", quote(&e.hash)));
        }
        out
    }
}

/// SHA-256 over every file below `dir` (relative path and contents), `.git` excluded.
pub fn tree_hash(dir: &Path) -> std::io::Result<String> {
    fn walk(base: &Path, dir: &Path, h: &mut Sha256) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if e.file_name() == ".git" {
                continue;
            }
            let path = e.path();
            let rel = path.strip_prefix(base).unwrap_or(&path).to_string_lossy().into_owned();
            let kind = e.file_type()?;
            if kind.is_dir() {
                walk(base, &path, h)?;
            } else if kind.is_symlink() {
                h.update(format!("l {rel}\0{}\0", std::fs::read_link(&path)?.display()).as_bytes());
            } else {
                h.update(format!("f {rel}\0").as_bytes());
                h.update(std::fs::read(&path)?);
                h.update([0]);
            }
        }
        Ok(())
    }
    let mut h = Sha256::new();
    walk(dir, dir, &mut h)?;
    Ok(format!("sha256:{}", hex::encode(h.finalize())))
}

enum Mode {
    /// validate, plan, apply, …: use `.plinth/modules` as the lock file describes it.
    Installed,
    /// `plinth init`: fetch what is missing or changed; `upgrade` re-resolves every ref.
    Install { upgrade: bool },
}

/// Resolves module sources to directories while the configuration loads.
pub struct Modules {
    root: PathBuf,
    mode: Mode,
    lock: Result<Option<Lock>, String>,
    /// What `plinth init` resolved, written to the lock file by [`Modules::write_lock`].
    resolved: Lock,
}

impl Modules {
    /// For every command but `init`: nothing is fetched.
    pub fn installed(root: &Path) -> Self {
        Self::new(root, Mode::Installed)
    }

    /// For `plinth init`.
    pub fn install(root: &Path, upgrade: bool) -> Self {
        Self::new(root, Mode::Install { upgrade })
    }

    fn new(root: &Path, mode: Mode) -> Self {
        Modules {
            root: root.to_path_buf(),
            mode,
            lock: Lock::read(root),
            resolved: Lock::default(),
        }
    }

    /// The directory of the module that `source` names, called as `key` (`net.subnet`) from
    /// `caller_dir`. Errors carry `span` (the `source` attribute).
    pub fn resolve(
        &mut self,
        caller_dir: &Path,
        key: &str,
        source: &str,
        version: Option<&str>,
        span: Option<Span>,
    ) -> Result<PathBuf, Diagnostic> {
        let parsed = match parse_address(source) {
            Ok(p) => p,
            Err(b) => return Err(Diagnostic::error(b.summary).with_detail(b.hint).with_span(span)),
        };
        let subdir = match &parsed {
            Source::Local(path) => return Ok(caller_dir.join(path)),
            Source::Git { subdir, .. }
            | Source::Archive { subdir, .. }
            | Source::Http { subdir, .. }
            | Source::Registry { subdir, .. } => subdir.clone(),
        };
        let constraint = match version.map(super::registry::Constraint::parse).transpose() {
            Ok(c) => c,
            Err(e) => {
                return Err(
                    Diagnostic::error(format!("Invalid version constraint for module {key:?}"))
                        .with_detail(e)
                        .with_span(span),
                );
            }
        };
        let dest = self.root.join(MODULES_DIR).join(key);
        let result = match self.mode {
            Mode::Installed => self.check_installed(key, source, constraint.as_ref(), &dest),
            Mode::Install { upgrade } => self.fetch(key, source, &parsed, constraint.as_ref(), &dest, upgrade),
        };
        let dir = result
            .map_err(|(summary, detail)| Diagnostic::error(summary).with_detail(detail).with_span(span.clone()))?;
        let dir = if subdir.is_empty() { dir } else { dir.join(&subdir) };
        if !dir.is_dir() {
            return Err(
                Diagnostic::error(format!("Module source {source:?} has no directory {subdir:?}"))
                    .with_detail(
                        "the part after // names a directory inside the repository or archive; check its spelling",
                    )
                    .with_span(span),
            );
        }
        Ok(dir)
    }

    fn check_installed(
        &self,
        key: &str,
        source: &str,
        constraint: Option<&super::registry::Constraint>,
        dest: &Path,
    ) -> Result<PathBuf, (String, String)> {
        let rerun = "run `plinth init` to install the configuration's modules";
        let lock = match &self.lock {
            Ok(Some(l)) => l,
            Ok(None) => {
                return Err((
                    format!("Module {key:?} is not installed"),
                    format!("there is no {LOCK_FILE}; {rerun}"),
                ));
            }
            Err(e) => return Err((format!("Cannot use {LOCK_FILE}"), format!("{e}; {rerun}"))),
        };
        let Some(entry) = lock.module.get(key) else {
            return Err((
                format!("Module {key:?} is not installed"),
                format!("{LOCK_FILE} has no entry for it; {rerun}"),
            ));
        };
        if entry.source != source {
            return Err((
                format!("Module {key:?} changed its source since `plinth init`"),
                format!("{LOCK_FILE} records {:?}; {rerun}", entry.source),
            ));
        }
        if let (Some(c), Some(v)) = (constraint, &entry.version)
            && !semver::Version::parse(v).is_ok_and(|v| c.matches(&v))
        {
            return Err((
                format!("Module {key:?} is installed at version {v}, which its version argument no longer allows"),
                "run `plinth init -upgrade` to install a version the constraint allows".to_string(),
            ));
        }
        let found = tree_hash(dest).map_err(|e| {
            (
                format!("Module {key:?} is not installed"),
                format!("cannot read {}: {e}; {rerun}", dest.display()),
            )
        })?;
        if found != entry.hash {
            return Err((
                format!("Module {key:?} in {MODULES_DIR}/{key} does not match {LOCK_FILE}"),
                format!(
                    "its files changed since `plinth init` installed them (locked {}, found {found}); {rerun} again",
                    entry.hash
                ),
            ));
        }
        Ok(dest.to_path_buf())
    }

    fn fetch(
        &mut self,
        key: &str,
        source: &str,
        parsed: &Source,
        constraint: Option<&super::registry::Constraint>,
        dest: &Path,
        upgrade: bool,
    ) -> Result<PathBuf, (String, String)> {
        let locked = match &self.lock {
            Ok(Some(l)) if !upgrade => l
                .module
                .get(key)
                .filter(|e| e.source == source)
                // A registry module whose constraint no longer allows the locked version is
                // resolved again.
                .filter(|e| match (constraint, &e.version) {
                    (Some(c), Some(v)) => semver::Version::parse(v).is_ok_and(|v| c.matches(&v)),
                    _ => true,
                })
                .cloned(),
            _ => None,
        };
        // Already installed exactly as locked: nothing to fetch.
        if let Some(entry) = &locked
            && tree_hash(dest).ok().as_deref() == Some(entry.hash.as_str())
        {
            self.resolved.module.insert(key.to_string(), entry.clone());
            return Ok(dest.to_path_buf());
        }
        let io = |what: &str, e: std::io::Error| (format!("Cannot install module {key:?}"), format!("{what}: {e}"));
        let modules = self.root.join(MODULES_DIR);
        std::fs::create_dir_all(&modules).map_err(|e| io("cannot create .plinth/modules", e))?;
        let tmp = modules.join(format!(".tmp-{key}"));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| io("cannot clear a former download", e))?;
        }
        let mut version = None;
        let fetched = match parsed {
            Source::Git { url, rev, .. } => fetch_git(
                url,
                rev.as_deref(),
                locked.as_ref().and_then(|e| e.commit.as_deref()),
                &tmp,
            )
            .map(|commit| (Some(commit), None)),
            Source::Archive { path, kind, .. } => {
                let shown = format!("file://{}", path.display());
                std::fs::read(path)
                    .map_err(|e| {
                        (
                            format!("Cannot fetch module source {shown}"),
                            format!("cannot read it: {e}"),
                        )
                    })
                    .and_then(|bytes| install_archive(&shown, *kind, &bytes, locked_sha(&locked), &tmp))
                    .map(|sha| (None, Some(sha)))
            }
            Source::Http { url, archive, .. } => fetch_http(url, *archive, locked.as_ref(), &tmp),
            Source::Registry { address, .. } => {
                fetch_registry(source, address, constraint, locked.as_ref(), &tmp).map(|(v, pinned)| {
                    version = Some(v);
                    pinned
                })
            }
            Source::Local(_) => Ok((None, None)),
        };
        let (commit, sha256) = match fetched {
            Ok(f) => f,
            Err((summary, detail)) => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err((summary, detail));
            }
        };
        let hash = tree_hash(&tmp).map_err(|e| io("cannot read the download", e))?;
        if dest.exists() {
            std::fs::remove_dir_all(dest).map_err(|e| io("cannot replace the installed copy", e))?;
        }
        std::fs::rename(&tmp, dest).map_err(|e| io("cannot move the download into place", e))?;
        self.resolved.module.insert(
            key.to_string(),
            LockEntry {
                source: source.to_string(),
                commit,
                sha256,
                version,
                hash,
            },
        );
        Ok(dest.to_path_buf())
    }

    /// After `plinth init` loaded the configuration: writes the lock file (removes it when no
    /// module is remote). Returns the modules installed, by key.
    pub fn write_lock(self) -> std::io::Result<Lock> {
        let path = self.root.join(LOCK_FILE);
        if self.resolved.module.is_empty() {
            if path.exists() {
                std::fs::remove_file(&path)?;
            }
        } else {
            let text = self.resolved.render();
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                std::fs::write(&path, text)?;
            }
        }
        Ok(self.resolved)
    }
}

/// Runs git; on failure, the first line of its stderr.
fn git(args: &[&str], dir: Option<&Path>) -> Result<String, String> {
    let mut cmd = Command::new("git");
    if let Some(d) = dir {
        cmd.arg("-C").arg(d);
    }
    cmd.args(args).env("GIT_TERMINAL_PROMPT", "0");
    let out = cmd.output().map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).trim().to_string());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("git failed without a message");
    Err(format!("git said: {:?}", line.trim()))
}

/// Clones `url` into `dest` at the locked commit, else `rev`, else the default branch; returns
/// the commit checked out. The clone's `.git` is removed: the copy is a snapshot.
fn fetch_git(url: &str, rev: Option<&str>, locked: Option<&str>, dest: &Path) -> Result<String, (String, String)> {
    let dest_s = dest.to_string_lossy();
    git(&["clone", "--quiet", "--", url, &dest_s], None).map_err(|e| {
        (
            format!("Cannot fetch module source {url:?}"),
            format!("{e}; check the URL and that you can reach it (git clone {url})"),
        )
    })?;
    let commit = if let Some(c) = locked {
        git(
            &["rev-parse", "--verify", "--quiet", &format!("{c}^{{commit}}")],
            Some(dest),
        )
        .map_err(|_| {
            (
                format!("Locked commit {c} is no longer in {url:?}"),
                format!("{LOCK_FILE} pins it; run `plinth init -upgrade` to lock what the ref names now"),
            )
        })?
    } else if let Some(r) = rev {
        [
            format!("refs/remotes/origin/{r}"),
            format!("refs/tags/{r}"),
            r.to_string(),
        ]
        .iter()
        .find_map(|cand| {
            git(
                &["rev-parse", "--verify", "--quiet", &format!("{cand}^{{commit}}")],
                Some(dest),
            )
            .ok()
        })
        .ok_or_else(|| {
            (
                format!("Ref {r:?} does not exist in {url:?}"),
                "?ref= names a tag, a branch or a commit of the repository (git ls-remote URL lists them)".to_string(),
            )
        })?
    } else {
        git(&["rev-parse", "HEAD"], Some(dest)).map_err(|e| (format!("Cannot fetch module source {url:?}"), e))?
    };
    git(&["checkout", "--quiet", "--detach", &commit], Some(dest))
        .map_err(|e| (format!("Cannot check out {commit} of {url:?}"), e))?;
    std::fs::remove_dir_all(dest.join(".git")).map_err(|e| {
        (
            format!("Cannot install {url:?}"),
            format!("cannot remove the clone's .git: {e}"),
        )
    })?;
    Ok(commit)
}

/// How long `plinth init` waits to connect to a module archive's server, and for the whole
/// download; a server that does not answer is an error naming the source, not a hang.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(300);
/// How many `X-Terraform-Get` redirections one source may take (go-getter follows one).
const MAX_INDIRECTIONS: usize = 1;

fn locked_sha(locked: &Option<LockEntry>) -> Option<&str> {
    locked.as_ref().and_then(|e| e.sha256.as_deref())
}

/// An error and its causes on one line: reqwest's own message hides the OS error inside.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        cause = c.source();
    }
    out
}

pub(super) fn http_client() -> Result<reqwest::blocking::Client, (String, String)> {
    reqwest::blocking::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(DOWNLOAD_TIMEOUT)
        .user_agent(concat!("plinth/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ("Cannot start an HTTP client".to_string(), chain(&e)))
}

/// GETs `url`; any failure, a non-2xx status included, is an error naming `url`.
pub(super) fn http_get(
    client: &reqwest::blocking::Client,
    url: &str,
) -> Result<reqwest::blocking::Response, (String, String)> {
    let failed = || format!("Cannot fetch module source {url:?}");
    let resp = client.get(url).send().map_err(|e| {
        let why = if e.is_timeout() {
            format!(
                "no answer within {}s",
                if e.is_connect() {
                    CONNECT_TIMEOUT
                } else {
                    DOWNLOAD_TIMEOUT
                }
                .as_secs()
            )
        } else if e.is_connect() {
            "cannot connect to the server".to_string()
        } else {
            "the request failed".to_string()
        };
        (
            failed(),
            format!(
                "{why} ({}); check the URL and that this machine can reach the host",
                chain(&e)
            ),
        )
    })?;
    let status = resp.status();
    if !status.is_success() {
        return Err((
            failed(),
            format!("the server answered {status}; check the URL (and any credentials in its query)"),
        ));
    }
    Ok(resp)
}

/// Installs a registry source into `dest`: the version the constraint allows (the locked one
/// first), from wherever the registry's download endpoint points. Returns (version, commit,
/// sha256).
fn fetch_registry(
    source: &str,
    address: &super::registry::Address,
    constraint: Option<&super::registry::Constraint>,
    locked: Option<&LockEntry>,
    dest: &Path,
) -> Result<(String, Pinned), (String, String)> {
    let client = http_client()?;
    let resolved = super::registry::resolve(
        &client,
        source,
        address,
        constraint,
        locked.and_then(|e| e.version.as_deref()),
    )?;
    let version = resolved.version.to_string();
    // A locked commit or archive digest holds only for the version it was locked with.
    let locked = locked.filter(|e| e.version.as_deref() == Some(version.as_str()));
    let fetched = match parse_address(&resolved.target) {
        Ok(Source::Git { url, rev, subdir }) if subdir.is_empty() => {
            fetch_git(&url, rev.as_deref(), locked.and_then(|e| e.commit.as_deref()), dest).map(|c| (Some(c), None))
        }
        Ok(Source::Http {
            url,
            archive,
            subdir,
        }) if subdir.is_empty() => fetch_http(&url, archive, locked, dest),
        _ => Err((
            format!("Registry module {source:?} {version} is at {:?}, which Plinth cannot fetch", resolved.target),
            "a registry download may name a git:: repository or an http(s) .tar.gz, .tgz or .zip archive, without //DIR".to_string(),
        )),
    }?;
    Ok((version, fetched))
}

/// What an installed source is pinned by: (git commit, archive sha256).
type Pinned = (Option<String>, Option<String>);

/// Installs an `http(s)://` source into `dest`: downloads and unpacks an archive, or asks the
/// URL where the module is (`X-Terraform-Get`) and installs that. Returns (commit, sha256).
fn fetch_http(
    url: &str,
    archive: Option<ArchiveKind>,
    locked: Option<&LockEntry>,
    dest: &Path,
) -> Result<(Option<String>, Option<String>), (String, String)> {
    let client = http_client()?;
    let locked_sha = locked.and_then(|e| e.sha256.as_deref());
    if let Some(kind) = archive {
        let bytes = http_get(&client, url)?
            .bytes()
            .map_err(|e| (format!("Cannot fetch module source {url:?}"), chain(&e)))?;
        return install_archive(url, kind, &bytes, locked_sha, dest).map(|sha| (None, Some(sha)));
    }
    let mut current = url.to_string();
    for _ in 0..=MAX_INDIRECTIONS {
        let target = terraform_get(&client, &current)?;
        let parsed = parse_address(&target);
        // go-getter joins the answer's own //DIR with the source's; Plinth resolves the
        // source's //DIR inside what it installs, so an answer with one is refused, not ignored.
        if let Ok(Source::Http { subdir, .. } | Source::Git { subdir, .. }) = &parsed
            && !subdir.is_empty()
        {
            return Err((
                format!("Module source {url:?} points to {target:?}, which names a subdirectory"),
                "Plinth does not follow an X-Terraform-Get answer with //DIR; use that address as the module's source, with //DIR".to_string(),
            ));
        }
        match parsed {
            Ok(Source::Http {
                url: next,
                archive: Some(kind),
                ..
            }) => {
                let bytes = http_get(&client, &next)?
                    .bytes()
                    .map_err(|e| (format!("Cannot fetch module source {next:?}"), chain(&e)))?;
                return install_archive(&next, kind, &bytes, locked_sha, dest).map(|sha| (None, Some(sha)));
            }
            Ok(Source::Http {
                url: next,
                archive: None,
                ..
            }) => current = next,
            Ok(Source::Git { url: git_url, rev, .. }) => {
                return fetch_git(&git_url, rev.as_deref(), locked.and_then(|e| e.commit.as_deref()), dest)
                    .map(|commit| (Some(commit), None));
            }
            _ => {
                return Err((
                    format!("Module source {url:?} points to {target:?}, which Plinth cannot fetch"),
                    "its X-Terraform-Get may name a git:: repository or an http(s) .tar.gz, .tgz or .zip archive"
                        .to_string(),
                ));
            }
        }
    }
    Err((
        format!("Module source {url:?} redirects too often"),
        format!(
            "Plinth follows X-Terraform-Get {MAX_INDIRECTIONS} time(s); point the URL at the archive or repository itself"
        ),
    ))
}

/// Where a non-archive URL says its module is, as go-getter asks: GET with `terraform-get=1`,
/// then the `X-Terraform-Get` header, else a `<meta name="terraform-get" content="…">` tag.
/// A relative answer is resolved against the URL.
pub(super) fn terraform_get(client: &reqwest::blocking::Client, url: &str) -> Result<String, (String, String)> {
    let sep = if url.contains('?') { '&' } else { '?' };
    let resp = http_get(client, &format!("{url}{sep}terraform-get=1"))?;
    let base = resp.url().clone();
    let header = resp
        .headers()
        .get("X-Terraform-Get")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let found = match header {
        Some(h) => Some(h),
        None => {
            let body = resp.text().unwrap_or_default();
            meta_terraform_get(&body)
        }
    };
    let Some(found) = found.filter(|f| !f.trim().is_empty()) else {
        return Err((
            format!("Module source {url:?} is not an archive"),
            "its URL does not end in .tar.gz, .tgz or .zip and the server sent no X-Terraform-Get header naming the module's real source; add ?archive=zip or ?archive=tar.gz if the URL serves an archive".to_string(),
        ));
    };
    let found = found.trim();
    if found.starts_with("./") || found.starts_with("../") || found.starts_with('/') {
        return base.join(found).map(|u| u.to_string()).map_err(|e| {
            (
                format!("Module source {url:?} points to {found:?}, which is not a URL"),
                e.to_string(),
            )
        });
    }
    Ok(found.to_string())
}

fn meta_terraform_get(html: &str) -> Option<String> {
    let re = regex::Regex::new(r#"(?i)<meta\s+name\s*=\s*"terraform-get"\s+content\s*=\s*"([^"]*)""#).ok()?;
    re.captures(html).map(|c| c[1].replace("&amp;", "&"))
}

/// Unpacks the archive `bytes` (from `shown`) into `dest`; returns its SHA-256, which must equal
/// the locked one when there is one.
fn install_archive(
    shown: &str,
    kind: ArchiveKind,
    bytes: &[u8],
    locked: Option<&str>,
    dest: &Path,
) -> Result<String, (String, String)> {
    let sha = hex::encode(Sha256::digest(bytes));
    if let Some(l) = locked
        && l != sha
    {
        return Err((
            format!("Archive {shown} changed since it was locked"),
            format!(
                "{LOCK_FILE} records sha256 {l}, the download has {sha}; run `plinth init -upgrade` to accept the new archive"
            ),
        ));
    }
    let magic: &[u8] = match kind {
        ArchiveKind::TarGz => &[0x1f, 0x8b],
        ArchiveKind::Zip => b"PK",
    };
    if !bytes.starts_with(magic) {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).into_owned();
        return Err((
            format!("Module source {shown} is not a {} archive", kind.name()),
            format!(
                "its content starts with {head:?}; check that the URL serves the archive itself (not a web page), or name its type with ?archive=zip or ?archive=tar.gz"
            ),
        ));
    }
    std::fs::create_dir_all(dest).map_err(|e| {
        (
            format!("Cannot install module source {shown}"),
            format!("cannot create {}: {e}", dest.display()),
        )
    })?;
    let unpacked = match kind {
        ArchiveKind::TarGz => unpack_tar_gz(bytes, dest),
        ArchiveKind::Zip => unpack_zip(bytes, dest),
    };
    unpacked.map_err(|e| {
        let summary = match e {
            Unpack::Escapes(..) => format!("Module source {shown} has an entry outside its directory"),
            Unpack::Broken(_) => format!("Cannot unpack module source {shown}"),
        };
        let detail = match e {
            Unpack::Escapes(entry, target) => format!(
                "the entry {entry:?}{} would be written outside the module's directory; Plinth refuses such archives (path traversal)",
                target.map(|t| format!(" (a link to {t:?})")).unwrap_or_default()
            ),
            Unpack::Broken(why) => format!("{why}; the archive is damaged or not a {} archive", kind.name()),
        };
        (summary, detail)
    })?;
    Ok(sha)
}

/// Why an archive could not be unpacked.
enum Unpack {
    /// An entry (and, for a link, its target) that would land outside the directory.
    Escapes(String, Option<String>),
    /// The archive cannot be read.
    Broken(String),
}

/// Whether `path`, relative to the archive's root, stays inside it. `base` is the depth it
/// is taken from (a symlink's target counts from the link's directory).
fn stays_inside(base: usize, path: &Path) -> bool {
    use std::path::Component;
    let mut depth = base;
    for c in path.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

/// Checks an entry's path and, for a link, its target (a symlink's relative to the entry's
/// directory, a hard link's relative to the root).
fn check_entry(path: &Path, link: Option<(&Path, bool)>) -> Result<(), Unpack> {
    let shown = || path.display().to_string();
    if !stays_inside(0, path) {
        return Err(Unpack::Escapes(shown(), None));
    }
    if let Some((target, symlink)) = link {
        let parent_depth = if symlink {
            path.parent().map(|p| p.components().count()).unwrap_or(0)
        } else {
            0
        };
        if !stays_inside(parent_depth, target) {
            return Err(Unpack::Escapes(shown(), Some(target.display().to_string())));
        }
    }
    Ok(())
}

fn unpack_tar_gz(bytes: &[u8], dest: &Path) -> Result<(), Unpack> {
    let broken = |e: std::io::Error| Unpack::Broken(e.to_string());
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    for entry in archive.entries().map_err(broken)? {
        let mut entry = entry.map_err(broken)?;
        let path = entry.path().map_err(broken)?.into_owned();
        let kind = entry.header().entry_type();
        let link = entry.link_name().map_err(broken)?.map(|l| l.into_owned());
        check_entry(&path, link.as_deref().map(|l| (l, kind.is_symlink())))?;
        // The tar crate skips (rather than refuses) what it deems unsafe; our check above ran
        // first, so a skip here is a path it refused on its own grounds, also refused.
        if !entry.unpack_in(dest).map_err(broken)? {
            return Err(Unpack::Escapes(path.display().to_string(), None));
        }
    }
    Ok(())
}

fn unpack_zip(bytes: &[u8], dest: &Path) -> Result<(), Unpack> {
    let broken = |e: &dyn std::error::Error| Unpack::Broken(chain(e));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| broken(&e))?;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| broken(&e))?;
        let name = file.name().map_err(|e| broken(&e))?.into_owned();
        let path = PathBuf::from(&name);
        let target = if file.is_symlink() {
            let mut t = String::new();
            std::io::Read::read_to_string(&mut file, &mut t).map_err(|e| broken(&e))?;
            Some(PathBuf::from(t))
        } else {
            None
        };
        check_entry(&path, target.as_deref().map(|t| (t, true)))?;
        let Some(rel) = file.enclosed_name() else {
            return Err(Unpack::Escapes(name, None));
        };
        let out = dest.join(rel);
        if file.is_dir() {
            std::fs::create_dir_all(&out).map_err(|e| broken(&e))?;
            continue;
        }
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).map_err(|e| broken(&e))?;
        }
        if let Some(t) = target {
            make_symlink(&t, &out).map_err(|e| broken(&e))?;
            continue;
        }
        let mut w = std::fs::File::create(&out).map_err(|e| broken(&e))?;
        std::io::copy(&mut file, &mut w).map_err(|e| broken(&e))?;
        #[cfg(unix)]
        if let Some(mode) = file.unix_mode() {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&out, std::fs::Permissions::from_mode(mode & 0o755 | 0o600))
                .map_err(|e| broken(&e))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn make_symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn make_symlink(_target: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "symbolic links in zip archives are supported on Unix only",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sources() {
        let show = |s: &str| format!("{:?}", parse(s, false));
        expect_test::expect![[
            r#"Ok(Git { url: "https://example.com/net.git", subdir: "modules/vpc", rev: Some("v1.2.0") })"#
        ]]
        .assert_eq(&show("git::https://example.com/net.git//modules/vpc?ref=v1.2.0"));
        expect_test::expect![[r#"Ok(Git { url: "file:///tmp/repo", subdir: "", rev: None })"#]]
            .assert_eq(&show("git::file:///tmp/repo"));
        expect_test::expect![[r#"Ok(Archive { path: "/tmp/net.tar.gz", kind: TarGz, subdir: "net" })"#]]
            .assert_eq(&show("file:///tmp/net.tar.gz//net"));
        expect_test::expect![[r#"Ok(Registry { address: Address { host: "registry.terraform.io", namespace: "hashicorp", name: "consul", system: "aws" }, subdir: "" })"#]]
            .assert_eq(&show("hashicorp/consul/aws"));
        expect_test::expect![[r#"Err(BadSource { summary: "Unsupported module source scheme \"s3\"", hint: "bucket sources (s3::, gcs::) are not supported; serve the archive over https:// (a presigned or public URL), or use a git:: source" })"#]]
            .assert_eq(&show("s3::https://bucket/x.zip"));
        expect_test::expect![[
            r#"Ok(Http { url: "https://example.com/m/net.tar.gz?token=a", archive: Some(TarGz), subdir: "net" })"#
        ]]
        .assert_eq(&show("https://example.com/m/net.tar.gz//net?token=a&archive=tgz"));
        expect_test::expect![[r#"Ok(Http { url: "http://example.com/get", archive: Some(Zip), subdir: "" })"#]]
            .assert_eq(&show("http://example.com/get?archive=zip"));
        expect_test::expect![[r#"Ok(Http { url: "https://example.com/modules/net", archive: None, subdir: "" })"#]]
            .assert_eq(&show("https://example.com/modules/net"));
        expect_test::expect![[r#"Ok(Archive { path: "/tmp/net.zip", kind: Zip, subdir: "a/b" })"#]]
            .assert_eq(&show("file:///tmp/net.zip//a/b"));
        expect_test::expect![[r#"Ok(Archive { path: "/tmp/net", kind: Zip, subdir: "" })"#]]
            .assert_eq(&show("file:///tmp/net?archive=zip"));
        expect_test::expect![[r#"Err(BadSource { summary: "Unsupported module source \"file:///tmp/dir\"", hint: "a file:// source is a .tar.gz, .tgz or .zip archive; for a directory use a relative path such as \"./modules/net\"" })"#]].assert_eq(&show("file:///tmp/dir"));
        expect_test::expect![[r#"Err(BadSource { summary: "Unsupported archive type \"rar\" in module source \"https://example.com/x.rar?archive=rar\"", hint: "?archive= takes zip, tar.gz or tgz (or false: the URL is not an archive)" })"#]].assert_eq(&show("https://example.com/x.rar?archive=rar"));
        expect_test::expect![[r#"Err(BadSource { summary: "Unsupported module source scheme \"gcs\"", hint: "bucket sources (s3::, gcs::) are not supported; serve the archive over https:// (a presigned or public URL), or use a git:: source" })"#]].assert_eq(&show("gcs::https://www.googleapis.com/storage/v1/b/m.zip"));
        assert_eq!(
            parse("./net", true).map_err(|b| b.summary),
            Err("Invalid registry module source address".to_string())
        );
    }

    /// Terraform's shorthands (go-getter's GitHub and git detectors) stand for `git::` sources.
    #[test]
    fn parses_the_git_shorthands_as_terraform_does() {
        let git = |url: &str, subdir: &str, rev: Option<&str>| {
            Ok::<_, String>(Source::Git {
                url: url.into(),
                subdir: subdir.into(),
                rev: rev.map(Into::into),
            })
        };
        let parsed = |s: &str| parse(s, false).map_err(|b| format!("{}: {}", b.summary, b.hint));
        let gh = "https://github.com/acme/plinth.git";
        assert_eq!(parsed("github.com/acme/plinth"), git(gh, "", None));
        assert_eq!(parsed("github.com/acme/plinth.git"), git(gh, "", None));
        assert_eq!(
            parsed("github.com/acme/plinth//modules/serving-endpoint/aws?ref=v1.2.0"),
            git(gh, "modules/serving-endpoint/aws", Some("v1.2.0"))
        );
        assert_eq!(parsed("github.com/acme/plinth?ref=main"), git(gh, "", Some("main")));
        let ssh = "ssh://git@github.com/acme/plinth.git";
        assert_eq!(parsed("git@github.com:acme/plinth.git"), git(ssh, "", None));
        assert_eq!(
            parsed("git@github.com:acme/plinth.git//modules/net?ref=v1"),
            git(ssh, "modules/net", Some("v1"))
        );
        assert_eq!(
            parsed("git::git@example.com:team/net.git//vpc"),
            git("ssh://git@example.com/team/net.git", "vpc", None)
        );
        for bad in [
            "github.com/acme",
            "github.com/acme/plinth/modules/net",
            "github.com//x",
            "git@github.com",
        ] {
            let err = parsed(bad).expect_err(bad);
            assert!(err.starts_with(&format!("Unsupported module source {bad:?}")), "{err}");
        }
        assert!(parsed("github.com/acme/plinth/modules/net").is_err_and(|e| e.contains("//DIR")));
        assert!(parsed("github.com/acme/plinth?ref=v1&sshkey=x").is_err_and(|e| e.contains("Unsupported query")));
    }

    #[test]
    fn lock_round_trips() {
        let mut lock = Lock::default();
        lock.module.insert(
            "net".into(),
            LockEntry {
                source: "git::file:///r?ref=${x}".into(),
                commit: Some("abc".into()),
                sha256: None,
                version: Some("1.2.0".into()),
                hash: "sha256:00".into(),
            },
        );
        let text = lock.render();
        let back: Lock = hcl::from_str(&text).expect("parses");
        assert_eq!(back, lock);
    }

    /// A .tar.gz with one entry whose name is written raw, so `..` and absolute paths get in.
    fn tar_gz(entries: &[(&str, tar::EntryType, &str)]) -> Vec<u8> {
        let mut b = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::default(),
        ));
        for (name, kind, data) in entries {
            let mut h = tar::Header::new_gnu();
            let raw = &mut h.as_old_mut().name;
            raw[..name.len()].copy_from_slice(name.as_bytes());
            h.set_entry_type(*kind);
            h.set_mode(0o644);
            if kind.is_symlink() {
                h.set_link_name(data).expect("link name");
                h.set_size(0);
                h.set_cksum();
                b.append(&h, std::io::empty()).expect("append");
            } else {
                h.set_size(data.len() as u64);
                h.set_cksum();
                b.append(&h, data.as_bytes()).expect("append");
            }
        }
        b.into_inner().expect("tar").finish().expect("gzip")
    }

    fn zip_of(entries: &[(&str, bool, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, symlink, data) in entries {
            if *symlink {
                w.add_symlink(*name, *data, opts).expect("symlink");
            } else {
                w.start_file(*name, opts).expect("start");
                std::io::Write::write_all(&mut w, data.as_bytes()).expect("write");
            }
        }
        w.finish().expect("zip").into_inner()
    }

    fn install(kind: ArchiveKind, bytes: &[u8]) -> (tempfile::TempDir, Result<String, (String, String)>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = install_archive("file:///x", kind, bytes, None, &dir.path().join("m"));
        (dir, r)
    }

    #[test]
    fn archives_unpack_and_refuse_entries_outside_their_directory() {
        use tar::EntryType::{Regular, Symlink};
        let (dir, r) = install(
            ArchiveKind::TarGz,
            &tar_gz(&[("m/a.hcl", Regular, "x"), ("m/l", Symlink, "a.hcl")]),
        );
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(std::fs::read_to_string(dir.path().join("m/m/l")).expect("read"), "x");
        let (dir, r) = install(
            ArchiveKind::Zip,
            &zip_of(&[("m/a.hcl", false, "y"), ("m/l", true, "../m/a.hcl")]),
        );
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(std::fs::read_to_string(dir.path().join("m/m/l")).expect("read"), "y");

        let refused = |kind, bytes: Vec<u8>| {
            let (dir, r) = install(kind, &bytes);
            assert!(!dir.path().join("evil").exists());
            r.expect_err("refused").1
        };
        expect_test::expect![[r#"the entry "m/../../evil" would be written outside the module's directory; Plinth refuses such archives (path traversal)"#]].assert_eq(&refused(ArchiveKind::TarGz, tar_gz(&[("m/../../evil", Regular, "x")])));
        expect_test::expect![[r#"the entry "/evil" would be written outside the module's directory; Plinth refuses such archives (path traversal)"#]].assert_eq(&refused(ArchiveKind::TarGz, tar_gz(&[("/evil", Regular, "x")])));
        expect_test::expect![[r#"the entry "m/l" (a link to "../../evil") would be written outside the module's directory; Plinth refuses such archives (path traversal)"#]].assert_eq(&refused(ArchiveKind::TarGz, tar_gz(&[("m/l", Symlink, "../../evil")])));
        expect_test::expect![[r#"the entry "l" (a link to "/etc") would be written outside the module's directory; Plinth refuses such archives (path traversal)"#]].assert_eq(&refused(ArchiveKind::TarGz, tar_gz(&[("l", Symlink, "/etc")])));
        expect_test::expect![[r#"the entry "../evil" would be written outside the module's directory; Plinth refuses such archives (path traversal)"#]].assert_eq(&refused(ArchiveKind::Zip, zip_of(&[("../evil", false, "x")])));
        expect_test::expect![[r#"the entry "m/l" (a link to "../../evil") would be written outside the module's directory; Plinth refuses such archives (path traversal)"#]].assert_eq(&refused(ArchiveKind::Zip, zip_of(&[("m/l", true, "../../evil")])));
        expect_test::expect!["invalid Zip archive: Could not find EOCD; the archive is damaged or not a zip archive"]
            .assert_eq(&refused(ArchiveKind::Zip, b"PK\x03\x04 not really".to_vec()));
        expect_test::expect![[r#"its content starts with "<html>Not Found</html>"; check that the URL serves the archive itself (not a web page), or name its type with ?archive=zip or ?archive=tar.gz"#]].assert_eq(&refused(ArchiveKind::TarGz, b"<html>Not Found</html>".to_vec()));
    }
}
