#!/usr/bin/env python3
"""The AWS SDK crates Plinth builds with, trimmed to the operations it calls (issue 18,
docs/performance.md "Build time", vendor/aws-sdk/README.md).

Each generated `aws-sdk-*` crate carries every operation of its service (EC2 has 811) and the SDK
has no per-operation features (awslabs/aws-sdk-rust#113), so a clean release build spent half of
its CPU time, and most of its 7 GB of memory, compiling operations Plinth never calls. This script
copies each locked `aws-sdk-*` release from Cargo's registry cache and removes the operations no
source of Plinth names: their modules (`operation/`, `client/`, `protocol_serde/`) and every
top-level item of the crate's index files that refers to one (`From` impls in `error_meta.rs`,
paginator lenses, error-correction helpers), and the waiters (Plinth polls with its own loops).
Nothing else is touched: the code of a kept operation, the shared types, endpoints and config are
the published crate's, byte for byte. A missing operation is a compile error, never a runtime one.

The copies live in vendor/aws-sdk/, and the root Cargo.toml's `[patch.crates-io]` (which this
script writes) points Cargo at them, so a plain `cargo build` or `cargo install --path .` uses them.

    tools/trim_sdk.py            # rewrite vendor/aws-sdk from the versions in Cargo.lock (after
                                 # calling an SDK operation Plinth did not call before)
    tools/trim_sdk.py --check    # exit 1 when vendor/aws-sdk is not exactly what the first makes
                                 # (tests/run.sh runs it)
    tools/trim_sdk.py --update   # move to the newest releases the workspace's requirements allow

Only files whose bytes change are written, so Cargo rebuilds only the crates that changed. The
published releases are fetched from crates.io (through Cargo, which checks their checksums) when
they are not in Cargo's registry cache. Standard library only. The crates `aws-config` itself calls
(`aws-sdk-sso`, `aws-sdk-ssooidc`, `aws-sdk-sts`) are small and are left to crates.io.
"""

import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENDOR = os.path.join(REPO, "vendor", "aws-sdk")
# Every source that calls the SDK: the engine (S3 backend, Secrets Manager), the AWS provider and
# the tests. An operation is kept when one of them calls a method of its name (over-inclusive by
# design: `get_policy` keeps IAM's, Lambda's and ECR's).
SOURCES = [os.path.join(REPO, d) for d in ("src", os.path.join("providers", "aws", "src"),
                                           os.path.join("providers", "aws", "tests"), "tests")]
# Left to crates.io: called by aws-config (credentials), and small.
WHOLE = {"aws-sdk-sso", "aws-sdk-ssooidc", "aws-sdk-sts"}
# Operations a crate's own hand-written code calls (S3 Express sessions, upload customizations).
INTERNAL = {"aws-sdk-s3": {"create_session", "upload_part"}}
# What a copy keeps besides its trimmed `src/`: the manifest (without its dev-dependencies) and the
# licence and readme of the release.
KEPT_FILES = ("Cargo.toml", "LICENSE", "README.md")
NOTICE = ("// Modified by Plinth's tools/trim_sdk.py: the operations Plinth does not call are removed "
          "(vendor/aws-sdk/README.md).\n")
PATCH_HEADER = "[patch.crates-io]"

ITEM_REF = re.compile(
    r"(?m)crate::operation::(\w+)::|^\s*(?:pub(?:\(crate\))?\s+)?mod (\w+);|\bshape_(\w+)\b"
)
INDEX_FILES = ("operation.rs", "client.rs", "protocol_serde.rs", "error_meta.rs", "lens.rs", "serde_util.rs")


def locked_sdk_crates():
    """(name, version) of every aws-sdk-* package in Cargo.lock that is vendored (not in WHOLE)."""
    out, name = [], None
    with open(os.path.join(REPO, "Cargo.lock")) as f:
        for line in f:
            if line.startswith("name = "):
                name = line.split('"')[1]
            elif line.startswith("version = ") and name and name.startswith("aws-sdk-") and name not in WHOLE:
                out.append((name, line.split('"')[1]))
                name = None
    return sorted(out)


def cargo_home():
    return os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))


def registry_source(name, version):
    src = os.path.join(cargo_home(), "registry", "src")
    for index in sorted(os.listdir(src)) if os.path.isdir(src) else []:
        path = os.path.join(src, index, f"{name}-{version}")
        if os.path.isfile(os.path.join(path, "Cargo.toml")):
            return path
    return None


def scratch_project(requirements):
    """A throwaway package depending on `requirements` ({name: version requirement})."""
    d = tempfile.mkdtemp(prefix="plinth-trim-sdk.")
    deps = "\n".join(f'{n} = {{ version = "{r}", default-features = false }}' for n, r in sorted(requirements.items()))
    with open(os.path.join(d, "Cargo.toml"), "w") as f:
        f.write(f'[package]\nname = "plinth-trim-sdk-fetch"\nversion = "0.0.0"\nedition = "2021"\n'
                f'[lib]\npath = "lib.rs"\n[dependencies]\n{deps}\n[workspace]\n')
    open(os.path.join(d, "lib.rs"), "w").close()
    return d


def fetch(crates):
    """Puts the published releases `crates` ((name, version)) into Cargo's registry cache."""
    missing = {n: f"={v}" for n, v in crates if registry_source(n, v) is None}
    if missing:
        d = scratch_project(missing)
        try:
            subprocess.run(["cargo", "fetch", "--quiet"], cwd=d, check=True)
        finally:
            shutil.rmtree(d, ignore_errors=True)
    for n, v in crates:
        if registry_source(n, v) is None:
            sys.exit(f"trim_sdk: {n} {v} is not in Cargo's registry cache after `cargo fetch`")


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


def trim(src, dst, wanted):
    """Writes the trimmed copy of the release at `src` to the new directory `dst`."""
    ops = sorted(n for n in os.listdir(os.path.join(src, "src", "operation")) if os.path.isdir(os.path.join(src, "src", "operation", n)))
    dropped = set(ops) - wanted
    shutil.copytree(os.path.join(src, "src"), os.path.join(dst, "src"))
    for f in KEPT_FILES:
        shutil.copyfile(os.path.join(src, f), os.path.join(dst, f))
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
    filter_items(os.path.join(s, "lib.rs"), lambda t: "mod waiters;" not in t,
                 prefix=NOTICE + "#![allow(dead_code, unused)]\n")
    # The published manifest's dev-dependencies and tests are not part of a library build. Its
    # `[hints]` (`mostly-unused`) has no effect on stable Cargo, which warns of it in every build of
    # a path package.
    manifest = os.path.join(dst, "Cargo.toml")
    with open(manifest, encoding="utf-8") as f:
        tables = re.split(r"(?m)^(?=\[)", f.read())
    tables = [t for t in tables if not t.startswith(("[dev-dependencies", "[[test]]", "[[bench]]", "[[example]]", "[hints]"))]
    with open(manifest, "w", encoding="utf-8") as f:
        f.write("".join(tables))
    return len(ops), len(ops) - len(dropped)


def generate(out, crates):
    """Writes the trimmed copy of every release in `crates` to out/NAME; returns the report lines."""
    methods = called_methods()
    report = []
    for name, version in crates:
        total, kept = trim(registry_source(name, version), os.path.join(out, name), methods | INTERNAL.get(name, set()))
        report.append(f"{name} {version}: {kept} of {total} operations")
    return report


def tree(root):
    """Every file under `root`, as paths relative to it."""
    out = set()
    for dirpath, _, files in os.walk(root):
        out.update(os.path.relpath(os.path.join(dirpath, f), root) for f in files)
    return out


def differences(made, vendored):
    """The files that differ between the two trees: missing, extra or changed."""
    a, b = tree(made), tree(vendored)
    changed = [f for f in sorted(a & b) if not filecmp.cmp(os.path.join(made, f), os.path.join(vendored, f), shallow=False)]
    return sorted(a - b), sorted(b - a), changed


def sync(made, vendored):
    """Makes `vendored` equal `made`, writing only the files whose bytes differ."""
    missing, extra, changed = differences(made, vendored)
    for f in missing + changed:
        os.makedirs(os.path.dirname(os.path.join(vendored, f)), exist_ok=True)
        shutil.copyfile(os.path.join(made, f), os.path.join(vendored, f))
    for f in extra:
        os.remove(os.path.join(vendored, f))
    for dirpath, dirs, files in os.walk(vendored, topdown=False):
        if not dirs and not files and dirpath != vendored:
            os.rmdir(dirpath)
    return len(missing) + len(changed) + len(extra)


def patch_table(crates):
    lines = [PATCH_HEADER]
    lines += [f'{n} = {{ path = "vendor/aws-sdk/{n}" }}' for n, _ in crates]
    return "\n".join(lines) + "\n"


def manifest_with_patch(text, crates):
    """The root Cargo.toml with its `[patch.crates-io]` table listing `crates`: the table's lines (up
    to a blank line or the next table) replaced, or the table added at the end, after its comment."""
    table = re.search(r"(?m)^" + re.escape(PATCH_HEADER) + r"\n(?:[^\[\n].*(?:\n|$))*", text)
    if table:
        return text[:table.start()] + patch_table(crates) + text[table.end():]
    return text.rstrip("\n") + "\n\n" + patch_table(crates)


def newest_allowed():
    """The newest release of every vendored crate that the workspace's requirement allows."""
    with open(os.path.join(REPO, "Cargo.toml"), encoding="utf-8") as f:
        reqs = dict(re.findall(r'(?m)^(aws-sdk-[\w-]+) = \{ version = "([^"]+)"', f.read()))
    reqs = {n: r for n, r in reqs.items() if n not in WHOLE}
    d = scratch_project(reqs)
    try:
        subprocess.run(["cargo", "generate-lockfile", "--quiet"], cwd=d, check=True)
        with open(os.path.join(d, "Cargo.lock")) as f:
            locked = re.findall(r'name = "(aws-sdk-[\w-]+)"\nversion = "([^"]+)"', f.read())
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return sorted((n, v) for n, v in locked if n in reqs)


def strays(crates):
    """The directories of vendor/aws-sdk that are not one of `crates`."""
    names = {n for n, _ in crates}
    return [d for d in sorted(os.listdir(VENDOR)) if os.path.isdir(os.path.join(VENDOR, d)) and d not in names] \
        if os.path.isdir(VENDOR) else []


def check(made, crates, manifest_stale):
    """Exits 1, naming what differs, unless vendor/aws-sdk and the patch table are what was made."""
    stale = ["Cargo.toml's [patch.crates-io] table"] if manifest_stale else []
    for name, _ in crates:
        missing, extra, changed = differences(os.path.join(made, name), os.path.join(VENDOR, name))
        for what, files in (("missing", missing), ("not made by the script", extra), ("changed", changed)):
            if files:
                stale.append(f"vendor/aws-sdk/{name}: {len(files)} files {what}, e.g. {files[0]}")
    stale += [f"vendor/aws-sdk/{d}: not a locked aws-sdk crate" for d in strays(crates)]
    if stale:
        print("trim_sdk: vendor/aws-sdk is not what tools/trim_sdk.py makes from the locked releases "
              "and Plinth's calls; run tools/trim_sdk.py and commit the result:", file=sys.stderr)
        for line in stale:
            print(f"  {line}", file=sys.stderr)
        sys.exit(1)
    print(f"trim_sdk: vendor/aws-sdk matches the {len(crates)} locked releases")


def write(made, crates):
    """Makes vendor/aws-sdk what was made; returns how many files were written or removed."""
    written = sum(sync(os.path.join(made, name), os.path.join(VENDOR, name)) for name, _ in crates)
    for d in strays(crates):
        shutil.rmtree(os.path.join(VENDOR, d))
    return written


def main():
    args = sys.argv[1:]
    if args not in ([], ["--check"], ["--update"]):
        sys.exit(__doc__)
    crates = newest_allowed() if args == ["--update"] else locked_sdk_crates()
    fetch(crates)
    manifest = os.path.join(REPO, "Cargo.toml")
    with open(manifest, encoding="utf-8") as f:
        text = f.read()
    wanted = manifest_with_patch(text, crates)
    made = tempfile.mkdtemp(prefix="plinth-trim-sdk.")
    try:
        report = generate(made, crates)
        if args == ["--check"]:
            check(made, crates, wanted != text)
            return
        written = write(made, crates)
    finally:
        shutil.rmtree(made, ignore_errors=True)
    if wanted != text:
        with open(manifest, "w", encoding="utf-8") as f:
            f.write(wanted)
    for line in report:
        print(line)
    print(f"trim_sdk: {written} files written under vendor/aws-sdk")
    if crates != locked_sdk_crates():
        # Cargo.lock follows the copies' new versions (--update) and resolves only what they newly
        # require (`cargo update -p` would also move crates they share with others).
        subprocess.run(["cargo", "metadata", "--format-version", "1"], cwd=REPO, check=True, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
