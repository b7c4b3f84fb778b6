#!/usr/bin/env python3
"""Trimmed copies of the AWS SDK crates, for a faster release build (issue 18, docs/performance.md,
"Build time").

Each generated `aws-sdk-*` crate carries every operation of its service (EC2 has 811) and the SDK
has no per-operation features, so a clean release build spends half of its CPU time compiling
operations Plinth never calls. This script copies each locked `aws-sdk-*` crate from Cargo's
registry cache into OUT and removes the operations no source of the AWS provider names: their
modules (`operation/`, `client/`, `protocol_serde/`) and every top-level item of the crate's index
files that refers to one (`From` impls in `error_meta.rs`, paginator lenses, error-correction
helpers), and the waiters (Plinth polls with its own loops). Nothing else is touched: the code of a
kept operation, the shared types, endpoints and config are the published crate's, byte for byte.
A missing operation is a compile error, never a runtime one.

It writes OUT/patch.toml, a Cargo configuration with one `[patch.crates-io]` entry per trimmed
crate, for `cargo --config OUT/patch.toml ...` (tools/build-fast.sh does both).

    tools/trim_sdk.py OUT

Standard library only. The crates `aws-config` itself calls (`aws-sdk-sso`, `aws-sdk-ssooidc`,
`aws-sdk-sts`) are small and are left whole.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The AWS provider's sources and tests: an operation is kept when one of them calls a method of its
# name (over-inclusive by design: `get_policy` keeps IAM's, Lambda's and ECR's).
SOURCES = [os.path.join(REPO, "providers", "aws", "src"), os.path.join(REPO, "providers", "aws", "tests"),
           os.path.join(REPO, "tests")]
# Left whole: called by aws-config (credentials), and small.
WHOLE = {"aws-sdk-sso", "aws-sdk-ssooidc", "aws-sdk-sts"}
# Operations a crate's own hand-written code calls (S3 Express sessions, upload customizations).
INTERNAL = {"aws-sdk-s3": {"create_session", "upload_part"}}

ITEM_REF = re.compile(
    r"(?m)crate::operation::(\w+)::|^\s*(?:pub(?:\(crate\))?\s+)?mod (\w+);|\bshape_(\w+)\b"
)
INDEX_FILES = ("operation.rs", "client.rs", "protocol_serde.rs", "error_meta.rs", "lens.rs", "serde_util.rs")


def locked_sdk_crates():
    """(name, version) of every aws-sdk-* package in Cargo.lock."""
    out, name = [], None
    with open(os.path.join(REPO, "Cargo.lock")) as f:
        for line in f:
            if line.startswith("name = "):
                name = line.split('"')[1]
            elif line.startswith("version = ") and name and name.startswith("aws-sdk-"):
                out.append((name, line.split('"')[1]))
                name = None
    return out


def registry_source(name, version):
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    src = os.path.join(home, "registry", "src")
    for index in sorted(os.listdir(src)) if os.path.isdir(src) else []:
        path = os.path.join(src, index, f"{name}-{version}")
        if os.path.isdir(path):
            return path
    sys.exit(f"trim_sdk: {name} {version} is not in {src}: run `cargo fetch --locked` first")


def called_methods():
    names = set()
    call = re.compile(r"\.([a-z][a-z0-9_]*)\(")
    for root in SOURCES:
        for dirpath, _, files in os.walk(root):
            for f in files:
                if f.endswith(".rs"):
                    with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                        names.update(call.findall(fh.read()))
    return names


def items(lines):
    """Top-level items of a generated index file, each with its doc comments and attributes."""
    cur, depth = [], 0
    for line in lines:
        cur.append(line)
        s = line.strip()
        if s.startswith("//"):
            continue
        depth += line.count("{") - line.count("}")
        if depth == 0 and (s.endswith("}") or s.endswith(";")):
            yield "".join(cur)
            cur = []
    if cur:
        yield "".join(cur)


def refers_to(text, dropped):
    for m in ITEM_REF.finditer(text):
        for g in m.groups():
            if not g:
                continue
            if g.startswith("shape_"):
                g = g[len("shape_"):]
            if g in dropped or re.sub(r"_(input|output)$", "", g) in dropped:
                return True
    return False


def filter_items(path, keep_item, prefix=""):
    """Rewrites `path` with its top-level items that `keep_item` keeps, after `prefix`."""
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    kept = [t for t in items(line + "\n" for line in lines) if keep_item(t)]
    with open(path, "w", encoding="utf-8") as f:
        f.write(prefix + "".join(kept)[:-1])


def remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def trim(src, dst, wanted, script):
    ops = sorted(n for n in os.listdir(os.path.join(src, "src", "operation")) if os.path.isdir(os.path.join(src, "src", "operation", n)))
    dropped = set(ops) - wanted
    # A copy made from the same crate, keeping the same operations, by this same script, is left as
    # it is: Cargo rebuilds a path crate whose files are newer, and rewriting them each run would
    # cost the whole SDK's compile again. `script` is this script's hash.
    stamp = "\n".join([src, script] + sorted(set(ops) - dropped)) + "\n"
    stamp_path = os.path.join(dst, ".trim-stamp")
    if os.path.exists(stamp_path):
        with open(stamp_path, encoding="utf-8") as f:
            if f.read() == stamp:
                return len(ops), len(ops) - len(dropped)
    remove(dst)
    shutil.copytree(src, dst)
    s = os.path.join(dst, "src")
    for op in dropped:
        remove(os.path.join(s, "operation", op))
        remove(os.path.join(s, "operation", op + ".rs"))
        remove(os.path.join(s, "client", op + ".rs"))
        for suffix in ("", "_input", "_output"):
            remove(os.path.join(s, "protocol_serde", f"shape_{op}{suffix}.rs"))
    # The waiters go too (the client's `Waiters` trait refers to them).
    remove(os.path.join(s, "waiters"))
    remove(os.path.join(s, "waiters.rs"))
    for f in INDEX_FILES:
        filter_items(os.path.join(s, f), lambda t: not refers_to(t, dropped) and "crate::waiters::" not in t)
    # What only a removed operation used (shapes' parsers, error helpers) stays, unused: no warnings
    # for it (Cargo caps lints only for registry crates, and these are path crates).
    filter_items(os.path.join(s, "lib.rs"), lambda t: "mod waiters;" not in t, prefix="#![allow(dead_code, unused)]\n")
    # The published manifest's dev-dependencies and tests are not part of a library build.
    manifest = os.path.join(dst, "Cargo.toml")
    with open(manifest, encoding="utf-8") as f:
        tables = re.split(r"(?m)^(?=\[)", f.read())
    tables = [t for t in tables if not t.startswith(("[dev-dependencies", "[[test]]", "[[bench]]", "[[example]]"))]
    with open(manifest, "w", encoding="utf-8") as f:
        f.write("".join(tables))
    with open(stamp_path, "w", encoding="utf-8") as f:
        f.write(stamp)
    return len(ops), len(ops) - len(dropped)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = os.path.abspath(sys.argv[1])
    os.makedirs(out, exist_ok=True)
    subprocess.run(["cargo", "fetch", "--locked"], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    methods = called_methods()
    with open(os.path.abspath(__file__), "rb") as f:
        script = hashlib.sha256(f.read()).hexdigest()
    patch = ["# Written by tools/trim_sdk.py: the AWS SDK crates with only the operations Plinth calls.",
             "[patch.crates-io]"]
    for name, version in locked_sdk_crates():
        if name in WHOLE:
            continue
        total, kept = trim(registry_source(name, version), os.path.join(out, name), methods | INTERNAL.get(name, set()), script)
        print(f"{name} {version}: {kept} of {total} operations")
        patch.append(f'{name} = {{ path = "{os.path.join(out, name)}" }}')
    with open(os.path.join(out, "patch.toml"), "w") as f:
        f.write("\n".join(patch) + "\n")
    print(f"wrote {os.path.join(out, 'patch.toml')}")


if __name__ == "__main__":
    main()
