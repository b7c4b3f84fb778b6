//! Filesystem functions: `file`, `filebase64`, `filesha256`, `fileexists` (relative paths
//! resolve against `FuncContext::base_dir`), and the path functions `abspath`, `basename`,
//! `dirname`, `pathexpand`. `templatefile` is the evaluator's.

use super::*;

/// `~` expanded to the home directory, as Terraform's `pathexpand` does.
pub(super) fn expand_home(p: &str) -> String {
    let home = || std::env::var("HOME").ok().filter(|h| !h.is_empty());
    if p == "~" {
        return home().unwrap_or_else(|| p.to_string());
    }
    match (p.strip_prefix("~/"), home()) {
        (Some(rest), Some(h)) => format!("{}/{rest}", h.trim_end_matches('/')),
        _ => p.to_string(),
    }
}

pub(super) fn resolve(cx: &Cx, p: &str) -> PathBuf {
    let p = PathBuf::from(expand_home(p));
    if p.is_absolute() { p } else { cx.ctx.base_dir.join(p) }
}

/// Reads `path` whole, refusing (as an I/O error) a file over [`MAX_VALUE_BYTES`] without reading
/// more of it than that: `file("/dev/zero")` ends with an error instead of taking all memory.
pub(crate) fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_VALUE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_VALUE_BYTES {
        return Err(std::io::Error::other(format!(
            "the file is larger than {} MiB, the most a function may read",
            MAX_VALUE_BYTES >> 20
        )));
    }
    Ok(bytes)
}

pub(super) fn read_file(a: &[Value], cx: &Cx) -> Result<Vec<u8>, Fail> {
    let p = str_arg(a, 0)?;
    let full = resolve(cx, &p);
    read_capped(&full).map_err(|e| {
        let shown = cx.show(0, &p);
        match e.kind() {
            std::io::ErrorKind::NotFound => Fail::Param(
                0,
                format!(
                    "no file exists at {shown}; this function works only with files that are distributed as \
                     part of the configuration source code, so if this file will be created by a resource in \
                     this configuration you must instead obtain this result from an attribute of that resource"
                ),
            ),
            _ if full.is_dir() => Fail::Param(0, format!("{shown} is a directory, not a file")),
            _ => Fail::Param(0, format!("failed to read {shown}: {e}")),
        }
    })
}

pub(super) fn f_file(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let bytes = read_file(a, cx)?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        let p = str_arg(a, 0).unwrap_or_default();
        Fail::Param(
            0,
            format!(
                "contents of {} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded \
                 contents or the other file functions (e.g. filesha256) to obtain file hashing results instead",
                cx.show(0, &p)
            ),
        )
    })
}

pub(super) fn f_filebase64(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(read_file(a, cx)?),
    ))
}

/// Streams the file through the hash, so a model artifact larger than [`MAX_VALUE_BYTES`] (which
/// `file` refuses) still has a hash; only regular files, so that `/dev/zero` is refused rather
/// than read forever.
pub(super) fn f_filesha256(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let p = str_arg(a, 0)?;
    let full = resolve(cx, &p);
    if std::fs::metadata(&full).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Err(Fail::Param(0, format!("{} is not a regular file", cx.show(0, &p))));
    }
    let mut hasher = sha2::Sha256::new();
    match std::fs::File::open(&full).and_then(|mut f| std::io::copy(&mut f, &mut hasher)) {
        Ok(_) => Ok(Value::String(hex::encode(hasher.finalize()))),
        // The same messages as the other file functions.
        Err(_) => read_file(a, cx).map(|b| Value::String(hex::encode(sha2::Sha256::digest(b)))),
    }
}

pub(super) fn f_fileexists(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let p = str_arg(a, 0)?;
    match std::fs::metadata(resolve(cx, &p)) {
        Ok(m) if m.is_file() => Ok(Value::Bool(true)),
        Ok(m) if m.is_dir() => Err(Fail::Param(0, format!("{} is a directory, not a file", cx.show(0, &p)))),
        Ok(_) => Err(Fail::Param(0, format!("{} is not a regular file", cx.show(0, &p)))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Value::Bool(false)),
        Err(e) => Err(Fail::Param(0, format!("failed to stat {}: {e}", cx.show(0, &p)))),
    }
}

/// Go's `path.Clean` for slash-separated paths.
pub(super) fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            seg => parts.push(seg),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

pub(super) fn f_abspath(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let p = str_arg(a, 0)?;
    let mut full = resolve(cx, &p);
    if full.is_relative() {
        let cwd = std::env::current_dir().map_err(|e| call_err(format!("cannot find the current directory: {e}")))?;
        full = cwd.join(full);
    }
    Ok(Value::String(clean_path(&full.to_string_lossy())))
}

pub(super) fn f_basename(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let p = str_arg(a, 0)?;
    if p.is_empty() {
        return Ok(Value::string("."));
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::string("/"));
    }
    Ok(Value::string(trimmed.rsplit('/').next().unwrap_or(trimmed)))
}

pub(super) fn f_dirname(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let p = str_arg(a, 0)?;
    let dir = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    Ok(Value::String(clean_path(dir)))
}

pub(super) fn f_pathexpand(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(expand_home(&str_arg(a, 0)?)))
}
