//! The release profile's overrides for the generated AWS SDK crates (issue 18's build time, see
//! `docs/performance.md`, "Build time"): Cargo has no prefix wildcard for
//! `[profile.release.package.NAME]`, so the root `Cargo.toml` names each `aws-sdk-*` crate. This
//! test reads `Cargo.lock` and fails when a crate there has no override, the mistake a new SDK
//! dependency would otherwise make silently (a clean release build minutes slower). It also checks
//! that `build.rs` packed the binary's relative relocations where it meant to.

use std::collections::BTreeSet;

/// The `aws-sdk-*` package names in `Cargo.lock`.
fn locked_sdk_crates(lock: &str) -> BTreeSet<String> {
    lock.lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|name| name.starts_with("aws-sdk-"))
        .map(str::to_string)
        .collect()
}

/// The packages with a `[profile.release.package.NAME]` table in `Cargo.toml`, with the lines of
/// each table.
fn overrides(manifest: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut current: Option<usize> = None;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            current = None;
            if let Some(name) = line
                .strip_prefix("[profile.release.package.")
                .and_then(|rest| rest.strip_suffix(']'))
            {
                out.push((name.trim_matches('"').to_string(), Vec::new()));
                current = Some(out.len() - 1);
            }
        } else if let Some(i) = current
            && !line.is_empty()
            && !line.starts_with('#')
        {
            out[i].1.push(line.to_string());
        }
    }
    out
}

#[test]
fn every_aws_sdk_crate_has_a_release_override() {
    let root = env!("CARGO_MANIFEST_DIR");
    let lock = std::fs::read_to_string(format!("{root}/Cargo.lock")).expect("read Cargo.lock");
    let manifest = std::fs::read_to_string(format!("{root}/Cargo.toml")).expect("read Cargo.toml");
    let sdk = locked_sdk_crates(&lock);
    assert!(sdk.contains("aws-sdk-ec2"), "Cargo.lock lists aws-sdk-ec2: {sdk:?}");
    let tables = overrides(&manifest);
    let missing: Vec<&String> = sdk
        .iter()
        .filter(|name| {
            !tables
                .iter()
                .any(|(table, lines)| &table == name && lines.iter().any(|l| l.replace(' ', "") == "opt-level=0"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "these AWS SDK crates in Cargo.lock have no `[profile.release.package.NAME]` table with \
         `opt-level = 0` in Cargo.toml; copy an existing aws-sdk-* block for each: {missing:?}"
    );
}

/// Where `build.rs` packs relocations (glibc 2.36 or later), the linked binary needs glibc's
/// `GLIBC_ABI_DT_RELR`, which only a packed binary does: the flag reached the linker.
#[test]
fn the_binary_packs_its_relative_relocations_where_build_rs_says_so() {
    if option_env!("PLINTH_PACKED_RELOCATIONS") != Some("1") {
        return;
    }
    use std::io::Read as _;
    let file = std::fs::File::open(env!("CARGO_BIN_EXE_plinth")).expect("open the plinth binary");
    // The dynamic string table is in the first kilobytes of the file, before the data and code.
    let mut head = Vec::new();
    file.take(1 << 20)
        .read_to_end(&mut head)
        .expect("read the plinth binary");
    let needle = b"GLIBC_ABI_DT_RELR";
    assert!(
        head.windows(needle.len()).any(|w| w == needle),
        "build.rs asked for packed relocations (-z pack-relative-relocs) but the binary does not need \
         GLIBC_ABI_DT_RELR: the linker ignored the flag"
    );
}
