//! The `archive` provider: the `archive_file` data source, which writes a zip of a file, a
//! directory or literal contents to `output_path` and reports its size and hashes (for a Lambda
//! function's `source_code_hash`, say).
//!
//! The zip is deterministic — entries sorted by path, every timestamp 1980-01-01 00:00 (the zip
//! epoch; Terraform writes Go's zero time, which zip also stores as that), deflate — so the same
//! inputs give the same bytes and hashes on every run and machine, and a plan that reads it again
//! shows no change. As in Terraform, a data source is read during plan, so `plan` writes the file.
//! Relative paths resolve against the directory Plinth runs in (`-C DIR`). `excludes` takes paths
//! relative to `source_dir` and glob patterns (`*` within a path segment, `**` across them).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use async_trait::async_trait;
use base64::Engine as _;
use plinth_sdk::{
    AttrPath, Attribute, BlockSchema, Nesting, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};
use sha2::Digest as _;

use crate::Family;
use crate::support::{diag, invalid, set, string};

pub const FILE: &str = "archive_file";

/// The `archive` provider.
pub struct Archive;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let out = |what: &str| Attribute::computed(Type::String).describe(what);
    Schema::new(
        "Writes a zip archive of a file, a directory or literal contents to `output_path` (during plan, as \
         Terraform does) and reports its size and hashes. The archive is deterministic: the same inputs give \
         the same bytes.",
    )
    .attr(
        "type",
        Attribute::required(Type::String).describe("The archive format: \"zip\"."),
    )
    .attr(
        "source_file",
        Attribute::optional(Type::String).describe("A file to archive (stored under its file name)."),
    )
    .attr(
        "source_dir",
        Attribute::optional(Type::String).describe("A directory whose files to archive (paths relative to it)."),
    )
    .attr(
        "source_content",
        Attribute::optional(Type::String)
            .describe("Literal content of the one file to archive; needs `source_content_filename`."),
    )
    .attr(
        "source_content_filename",
        Attribute::optional(Type::String).describe("The file name of `source_content` in the archive."),
    )
    .block(
        "source",
        BlockSchema {
            nesting: Nesting::Set,
            schema: Schema::new("A file of literal content.")
                .attr(
                    "content",
                    Attribute::required(Type::String).describe("The file's content."),
                )
                .attr(
                    "filename",
                    Attribute::required(Type::String).describe("The file's path in the archive."),
                ),
            min_items: 0,
            max_items: None,
            force_new: false,
        },
    )
    .attr(
        "excludes",
        Attribute::optional(Type::Set(Box::new(Type::String))).describe(
            "Paths under `source_dir` to leave out: exact relative paths (a directory leaves out everything \
             in it) or glob patterns (`*`, `?`, `**`).",
        ),
    )
    .attr(
        "exclude_symlink_directories",
        Attribute::optional(Type::Bool)
            .describe("Leave out directories that are symbolic links; default false (they are followed)."),
    )
    .attr(
        "output_path",
        Attribute::required(Type::String).describe("Where to write the archive; parent directories are created."),
    )
    .attr(
        "output_file_mode",
        Attribute::optional(Type::String).describe(
            "Permission bits for every file in the archive, an octal string such as \"0644\"; default each file's own \
             (0644 for literal content).",
        ),
    )
    .attr(
        "output_size",
        Attribute::computed(Type::Number).describe("The archive's size in bytes."),
    )
    .attr("output_md5", out("Hex MD5 of the archive."))
    .attr("output_sha", out("Hex SHA-1 of the archive."))
    .attr("output_sha256", out("Hex SHA-256 of the archive."))
    .attr(
        "output_base64sha256",
        out("Base64 SHA-256 of the archive (a Lambda function's `source_code_hash`)."),
    )
    .attr("output_sha512", out("Hex SHA-512 of the archive."))
    .attr("output_base64sha512", out("Base64 SHA-512 of the archive."))
    .attr("id", out("The same as `output_sha`."))
});

pub fn schema() -> &'static Schema {
    &SCHEMA
}

const SOURCES: [&str; 4] = ["source_file", "source_dir", "source_content", "source"];

fn sources_set(config: &Value) -> Vec<&'static str> {
    SOURCES
        .into_iter()
        .filter(|n| match config.get(n) {
            Value::Null => false,
            Value::List(items) => !items.is_empty(),
            _ => true,
        })
        .collect()
}

fn parse_mode(s: &str) -> Option<u32> {
    if !(3..=4).contains(&s.len()) || !s.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return None;
    }
    u32::from_str_radix(s, 8).ok()
}

fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut d = Vec::new();
    if let Some(t) = string(config, "type")
        && t != "zip"
    {
        d.push(diag(
            "type",
            "Unsupported archive type",
            format!("{t:?} is not supported; use \"zip\"."),
        ));
    }
    // Unknown counts as set.
    let set = sources_set(config);
    if set.len() != 1 {
        d.push(diag(
            "source_file",
            if set.is_empty() {
                "Missing source"
            } else {
                "Conflicting sources"
            },
            format!(
                "Set exactly one of source_file, source_dir, source_content or source blocks{}.",
                if set.is_empty() {
                    String::new()
                } else {
                    format!(" (set: {})", set.join(", "))
                }
            ),
        ));
    }
    if !config.get("source_content").is_null() && config.get("source_content_filename").is_null() {
        d.push(diag(
            "source_content_filename",
            "Missing source_content_filename",
            "source_content needs source_content_filename, the file's name in the archive.",
        ));
    }
    if let Some(m) = string(config, "output_file_mode")
        && parse_mode(&m).is_none()
    {
        d.push(diag(
            "output_file_mode",
            "Invalid output_file_mode",
            format!("{m:?} is not an octal permission string such as \"0644\"."),
        ));
    }
    d
}

/// Whether `path` (relative, `/`-separated) matches a glob with `*`, `?` and `**`.
fn glob(pattern: &str, path: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some((b'*', rest)) if rest.first() == Some(&b'*') => {
                let rest = rest[1..].strip_prefix(b"/").unwrap_or(&rest[1..]);
                (0..=s.len()).any(|i| go(rest, &s[i..]))
            }
            Some((b'*', rest)) => (0..=s.len())
                .take_while(|i| *i == 0 || s[i - 1] != b'/')
                .any(|i| go(rest, &s[i..])),
            Some((b'?', rest)) => s.first().is_some_and(|c| *c != b'/') && go(rest, &s[1..]),
            Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    go(pattern.as_bytes(), path.as_bytes())
}

fn excluded(rel: &str, excludes: &[String]) -> bool {
    excludes.iter().any(|e| {
        let e = e.trim_start_matches("./").trim_end_matches('/');
        rel == e || rel.starts_with(&format!("{e}/")) || glob(e, rel)
    })
}

struct Entry {
    name: String,
    bytes: Vec<u8>,
    mode: u32,
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> ProviderError {
    ProviderError::with_code(format!("{:?}", e.kind()), format!("{what} {}: {e}", path.display())).with_kind(
        if e.kind() == std::io::ErrorKind::NotFound {
            plinth_sdk::ErrorKind::NotFound
        } else {
            plinth_sdk::ErrorKind::Other
        },
    )
}

fn file_entry(path: &Path, name: String) -> Result<Entry, ProviderError> {
    use std::os::unix::fs::PermissionsExt;
    let bytes = std::fs::read(path).map_err(|e| io_error("reading", path, &e))?;
    let mode = std::fs::metadata(path)
        .map_err(|e| io_error("reading the metadata of", path, &e))?
        .permissions()
        .mode()
        & 0o777;
    Ok(Entry { name, bytes, mode })
}

fn walk(
    root: &Path,
    dir: &Path,
    excludes: &[String],
    skip_links: bool,
    out: &mut Vec<Entry>,
) -> Result<(), ProviderError> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error("reading the directory", dir, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_error("reading the directory", dir, &e))?;
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if excluded(&rel, excludes) {
            continue;
        }
        let link = std::fs::symlink_metadata(&path)
            .map_err(|e| io_error("reading the metadata of", &path, &e))?
            .file_type()
            .is_symlink();
        let meta = std::fs::metadata(&path).map_err(|e| io_error("reading the metadata of", &path, &e))?;
        if meta.is_dir() {
            if link && skip_links {
                continue;
            }
            walk(root, &path, excludes, skip_links, out)?;
        } else {
            out.push(file_entry(&path, rel)?);
        }
    }
    Ok(())
}

fn resolve(working_dir: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        working_dir.join(p)
    }
}

fn entries(working_dir: &Path, config: &Value) -> Result<Vec<Entry>, ProviderError> {
    let mut out = Vec::new();
    if let Some(f) = string(config, "source_file") {
        let path = resolve(working_dir, &f);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| invalid("source_file", format!("{f:?} names no file")))?;
        out.push(file_entry(&path, name)?);
    } else if let Some(d) = string(config, "source_dir") {
        let root = resolve(working_dir, &d);
        let excludes: Vec<String> = config
            .get("excludes")
            .as_list()
            .map(|l| l.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let skip_links = config.get("exclude_symlink_directories").as_bool().unwrap_or(false);
        walk(&root, &root, &excludes, skip_links, &mut out)?;
    } else if let Some(c) = config.get("source_content").strip_sensitive().as_str() {
        let name = string(config, "source_content_filename").ok_or_else(|| {
            invalid(
                "source_content_filename",
                "source_content needs source_content_filename",
            )
        })?;
        out.push(Entry {
            name,
            bytes: c.as_bytes().to_vec(),
            mode: 0o644,
        });
    } else if let Some(blocks) = config.get("source").as_list() {
        for b in blocks {
            let (Some(name), Some(content)) = (string(b, "filename"), b.get("content").strip_sensitive().as_str())
            else {
                return Err(invalid("source", "every source block needs known content and filename"));
            };
            out.push(Entry {
                name,
                bytes: content.as_bytes().to_vec(),
                mode: 0o644,
            });
        }
    } else {
        return Err(invalid(
            "source_file",
            "set exactly one of source_file, source_dir, source_content or source blocks",
        ));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(pair) = out.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(invalid(
            "source",
            format!("two files have the path {:?} in the archive", pair[0].name),
        ));
    }
    Ok(out)
}

/// The zip of `entries`, byte for byte the same for the same entries.
pub fn zip_bytes(entries: &[(String, Vec<u8>, u32)]) -> Result<Vec<u8>, ProviderError> {
    use zip::write::SimpleFileOptions;
    let zerr = |e: zip::result::ZipError| ProviderError::with_code("ZIP", format!("writing the archive: {e}"));
    let epoch =
        zip::DateTime::from_date_and_time(1980, 1, 1, 0, 0, 0).map_err(|e| ProviderError::new(e.to_string()))?;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, mode) in entries {
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(epoch)
            .unix_permissions(*mode);
        w.start_file(name.as_str(), opts).map_err(zerr)?;
        w.write_all(bytes)
            .map_err(|e| ProviderError::with_code("ZIP", format!("writing the archive: {e}")))?;
    }
    Ok(w.finish().map_err(zerr)?.into_inner())
}

fn read(working_dir: &Path, config: &Value) -> Result<Value, ProviderError> {
    let kind = string(config, "type").unwrap_or_default();
    if kind != "zip" {
        return Err(invalid(
            "type",
            format!("archive type {kind:?} is not supported; use \"zip\""),
        ));
    }
    let forced_mode = match string(config, "output_file_mode") {
        Some(m) => Some(
            parse_mode(&m)
                .ok_or_else(|| invalid("output_file_mode", format!("{m:?} is not an octal permission string")))?,
        ),
        None => None,
    };
    let entries: Vec<(String, Vec<u8>, u32)> = entries(working_dir, config)?
        .into_iter()
        .map(|e| (e.name, e.bytes, forced_mode.unwrap_or(e.mode)))
        .collect();
    let bytes = zip_bytes(&entries)?;
    let out = string(config, "output_path").ok_or_else(|| invalid("output_path", "output_path must be known"))?;
    let path = resolve(working_dir, &out);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io_error("creating the directory", parent, &e))?;
    }
    // Written only when different, so an unchanged archive keeps its file (and its mtime).
    if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
        std::fs::write(&path, &bytes).map_err(|e| io_error("writing", &path, &e))?;
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    let sha256 = sha2::Sha256::digest(&bytes);
    let sha1 = <sha1::Sha1 as sha1::Digest>::digest(&bytes);
    let mut v = match config {
        Value::Map(_) => config.clone(),
        _ => Value::Map(Default::default()),
    };
    set(&mut v, "output_size", Value::int(bytes.len() as i64));
    set(
        &mut v,
        "output_md5",
        Value::String(hex::encode(<md5::Md5 as md5::Digest>::digest(&bytes))),
    );
    set(&mut v, "output_sha", Value::String(hex::encode(sha1)));
    set(&mut v, "id", Value::String(hex::encode(sha1)));
    set(&mut v, "output_sha256", Value::String(hex::encode(sha256)));
    set(&mut v, "output_base64sha256", Value::String(b64.encode(sha256)));
    let sha512 = sha2::Sha512::digest(&bytes);
    set(&mut v, "output_sha512", Value::String(hex::encode(sha512)));
    set(&mut v, "output_base64sha512", Value::String(b64.encode(sha512)));
    Ok(v)
}

#[async_trait]
impl Family for Archive {
    fn name(&self) -> &'static str {
        "archive"
    }

    fn about(&self) -> &'static str {
        "Zip archives of files and directories (`data \"archive_file\"`). No settings."
    }

    fn resources(&self) -> Vec<(&'static str, &'static Schema)> {
        Vec::new()
    }

    fn data_sources(&self) -> Vec<(&'static str, &'static Schema)> {
        vec![(FILE, schema())]
    }

    fn validate(&self, _type_name: &str, config: &Value) -> Vec<ProviderDiagnostic> {
        validate(config)
    }

    fn plan(
        &self,
        _working_dir: &Path,
        type_name: &str,
        _prior: Option<&Value>,
        _config: &Value,
    ) -> Result<PlanResponse, ProviderError> {
        Err(ProviderError::new(format!("{type_name} is a data source, not a resource")).at(AttrPath::default()))
    }

    async fn apply(
        &self,
        _working_dir: &Path,
        type_name: &str,
        _prior: Option<Value>,
        _planned: Option<Value>,
    ) -> Result<Option<Value>, ProviderError> {
        Err(ProviderError::new(format!(
            "{type_name} is a data source, not a resource"
        )))
    }

    async fn read_data(&self, working_dir: &Path, type_name: &str, config: &Value) -> Result<Value, ProviderError> {
        if type_name != FILE {
            return Err(crate::unsupported("archive", "data source", type_name));
        }
        let dir = working_dir.to_path_buf();
        let config = config.clone();
        tokio::task::spawn_blocking(move || read(&dir, &config))
            .await
            .map_err(|e| ProviderError::new(format!("writing the archive: {e}")))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("*.pyc", "a.pyc"));
        assert!(!glob("*.pyc", "dir/a.pyc"));
        assert!(glob("**/*.pyc", "dir/sub/a.pyc"));
        assert!(glob("**/*.pyc", "a.pyc"));
        assert!(glob("dir/?.txt", "dir/a.txt"));
        assert!(excluded("tests/x.py", &["tests".to_string()]));
        assert!(!excluded("tests2/x.py", &["tests".to_string()]));
    }
}
