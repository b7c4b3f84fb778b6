//! Module sources: where a `module` block's `source` points and how remote ones are installed.
//!
//! A source is a local path (`./net`), a git repository (`git::https://…//subdir?ref=v1`) or a
//! `.tar.gz` archive (`file:///…/net.tar.gz//subdir`). Only `plinth init` fetches remote sources
//! (the system `git`, `tar` + `flate2`) into `.plinth/modules/<module key>/` and records what
//! they resolved to in `.plinth.lock.hcl`; every other command reads the installed copy and
//! checks it against the lock, so **plan and apply never touch the network**. The loader in
//! `load.rs` knows nothing of remote sources beyond calling [`Modules::resolve`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

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
    /// A `.tar.gz` archive on disk (`file://`) and the `//subdir` inside it.
    Archive { path: PathBuf, subdir: String },
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
    if has_version {
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
    let plain = source.split('?').next().unwrap_or(source);
    let (url, subdir) = split_subdir(plain);
    let is_archive = url.ends_with(".tar.gz") || url.ends_with(".tgz");
    if let Some(path) = url.strip_prefix("file://") {
        if is_archive && source == plain {
            return Ok(Source::Archive {
                path: PathBuf::from(path),
                subdir,
            });
        }
        return Err(bad(
            format!("Unsupported module source {source:?}"),
            "a file:// source is a .tar.gz or .tgz archive; for a directory use a relative path such as \"./modules/net\"",
        ));
    }
    if url.starts_with("https://") || url.starts_with("http://") {
        return Err(bad(
            format!("Unsupported module source {source:?}"),
            "downloading modules over HTTP is not supported yet; use a git:: source, or a file:// archive",
        ));
    }
    if let Some((scheme, _)) = source.split_once("::") {
        return Err(bad(
            format!("Unsupported module source scheme {scheme:?}"),
            "module sources are local paths, git:: repositories and file:// .tar.gz archives",
        ));
    }
    if source.starts_with("github.com/") || source.starts_with("bitbucket.org/") {
        return Err(bad(
            format!("Unsupported module source {source:?}"),
            "write the repository as a git source, such as git::https://github.com/OWNER/REPO.git",
        ));
    }
    Err(bad(
        format!("Registry module source {source:?} is not supported yet"),
        "registry module sources are not supported yet; use a git:: source (git::https://host/repo.git//subdir?ref=v1.2.0) or a local path (./modules/net)",
    ))
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
        span: Option<Span>,
    ) -> Result<PathBuf, Diagnostic> {
        let parsed = match parse_address(source) {
            Ok(p) => p,
            Err(b) => return Err(Diagnostic::error(b.summary).with_detail(b.hint).with_span(span)),
        };
        let subdir = match &parsed {
            Source::Local(path) => return Ok(caller_dir.join(path)),
            Source::Git { subdir, .. } | Source::Archive { subdir, .. } => subdir.clone(),
        };
        let dest = self.root.join(MODULES_DIR).join(key);
        let result = match self.mode {
            Mode::Installed => self.check_installed(key, source, &dest),
            Mode::Install { upgrade } => self.fetch(key, source, &parsed, &dest, upgrade),
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

    fn check_installed(&self, key: &str, source: &str, dest: &Path) -> Result<PathBuf, (String, String)> {
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
        dest: &Path,
        upgrade: bool,
    ) -> Result<PathBuf, (String, String)> {
        let locked = match &self.lock {
            Ok(Some(l)) if !upgrade => l.module.get(key).filter(|e| e.source == source).cloned(),
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
        let fetched = match parsed {
            Source::Git { url, rev, .. } => fetch_git(
                url,
                rev.as_deref(),
                locked.as_ref().and_then(|e| e.commit.as_deref()),
                &tmp,
            )
            .map(|commit| (Some(commit), None)),
            Source::Archive { path, .. } => {
                fetch_archive(path, locked.as_ref().and_then(|e| e.sha256.as_deref()), &tmp)
                    .map(|sha| (None, Some(sha)))
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

/// Unpacks the `.tar.gz` at `path` into `dest`; returns the archive's SHA-256, which must equal
/// the locked one when there is one.
fn fetch_archive(path: &Path, locked: Option<&str>, dest: &Path) -> Result<String, (String, String)> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| {
        (
            format!("Cannot fetch module source file://{shown}"),
            format!("cannot read it: {e}"),
        )
    })?;
    let sha = hex::encode(Sha256::digest(&bytes));
    if let Some(l) = locked
        && l != sha
    {
        return Err((
            format!("Archive file://{shown} changed since it was locked"),
            format!(
                "{LOCK_FILE} records sha256 {l}, the file has {sha}; run `plinth init -upgrade` to accept the new archive"
            ),
        ));
    }
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
    std::fs::create_dir_all(dest)
        .and_then(|_| archive.unpack(dest))
        .map_err(|e| {
            (
                format!("Cannot unpack module source file://{shown}"),
                format!("{e}; the source must be a gzip-compressed tar archive"),
            )
        })?;
    Ok(sha)
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
        expect_test::expect![[r#"Ok(Archive { path: "/tmp/net.tar.gz", subdir: "net" })"#]]
            .assert_eq(&show("file:///tmp/net.tar.gz//net"));
        expect_test::expect![[r#"Err(BadSource { summary: "Registry module source \"hashicorp/consul/aws\" is not supported yet", hint: "registry module sources are not supported yet; use a git:: source (git::https://host/repo.git//subdir?ref=v1.2.0) or a local path (./modules/net)" })"#]]
            .assert_eq(&show("hashicorp/consul/aws"));
        expect_test::expect![[r#"Err(BadSource { summary: "Unsupported module source scheme \"s3\"", hint: "module sources are local paths, git:: repositories and file:// .tar.gz archives" })"#]]
            .assert_eq(&show("s3::https://bucket/x.zip"));
        assert_eq!(
            parse("./net", true).map_err(|b| b.summary),
            Err("Invalid registry module source address".to_string())
        );
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
                hash: "sha256:00".into(),
            },
        );
        let text = lock.render();
        let back: Lock = hcl::from_str(&text).expect("parses");
        assert_eq!(back, lock);
    }
}
