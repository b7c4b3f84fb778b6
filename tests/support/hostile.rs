//! The hostile-input corpus generator (`tests/hostile.rs`): mutations of real configurations
//! (truncations, stray braces, bad escapes, NUL bytes, invalid UTF-8, flipped bytes, dropped and
//! doubled lines, unterminated heredocs) and hand-made worst cases (10,000-deep nesting, reference
//! cycles through modules, module recursion, a million-element `for`, values that double in a
//! chain, huge numbers and widths). Deterministic: one fixed seed, so the checked-in corpus
//! (`tests/hostile/corpus/NNN-name/`) is exactly what [`corpus`] returns; [`big_cases`] are the
//! cases too large to check in (a 50 MB file, a 100-deep module chain), made at test time.

use std::fmt::Write as _;

/// One case: a configuration directory's files (relative path, bytes). `plan` is false for
/// mutations of configurations that use a cloud provider, which are only validated (planning
/// them could reach for the network).
pub struct Case {
    pub name: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub plan: bool,
}

/// The marker file of a case that is only validated.
pub const VALIDATE_ONLY: &str = ".validate-only";

/// splitmix64: a tiny deterministic generator, so that the corpus never depends on a crate's
/// algorithm changing.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A language tour on the local provider: heredocs with directives, `for` with `if`, escapes,
/// `for_each`, a module.
const TOUR: &str = r#"variable "names" {
  type    = list(string)
  default = ["a", "b", "c"]
}

locals {
  doc = <<-EOT
    name: ${var.names[0]}
    %{ for n in var.names ~}
    - ${n}
    %{ endfor ~}
  EOT
  by_name = { for i, n in var.names : n => i if n != "b" }
  text    = "tab\there \"quoted\" \u00e9 $${literal} %%{x}"
  nums    = [1, 2.5, -3e2, 0x0]
}

resource "local_value" "each" {
  for_each = local.by_name
  input    = "${each.key}-${each.value}"
}

module "child" {
  source = "./child"
  prefix = local.text
}

output "doc" {
  value = local.doc
}

output "child" {
  value = module.child.out
}
"#;

const TOUR_CHILD: &str = r#"variable "prefix" {
  type = string
}

output "out" {
  value = upper(var.prefix)
}
"#;

const QUICKSTART_VARS: &str = r#"project         = "churn"
drift_threshold = 0.5
features = [
  { name = "customer_id", type = "TEXT" },
]
"#;

/// A real configuration to mutate: its name, its files (path, text), whether `plan` is safe. The
/// texts are copies of the examples taken when the corpus was made (`tests/hostile/seeds/`), so
/// that editing an example does not change the regression corpus.
type Seed = (&'static str, Vec<(&'static str, &'static str)>, bool);

fn seeds() -> Vec<Seed> {
    vec![
        (
            "quickstart",
            vec![("main.hcl", include_str!("../hostile/seeds/quickstart.hcl"))],
            true,
        ),
        (
            "staging",
            vec![("main.hcl", include_str!("../hostile/seeds/staging-clone.hcl"))],
            true,
        ),
        ("tour", vec![("main.hcl", TOUR), ("child/main.hcl", TOUR_CHILD)], true),
        (
            "vars",
            vec![
                ("main.hcl", include_str!("../hostile/seeds/quickstart.hcl")),
                ("hostile.auto.vars.hcl", QUICKSTART_VARS),
            ],
            true,
        ),
        (
            "aws",
            vec![("main.hcl", include_str!("../hostile/seeds/aws-platform.hcl"))],
            false,
        ),
        (
            "k8s",
            vec![(
                "main.hcl",
                include_str!("../hostile/seeds/kubernetes-platform-serving.hcl"),
            )],
            false,
        ),
    ]
}

/// The file of a seed that mutations change: the variable file of `vars`, else `main.hcl`.
fn target(seed: &str) -> &'static str {
    if seed == "vars" {
        "hostile.auto.vars.hcl"
    } else {
        "main.hcl"
    }
}

/// Every checked-in case, numbered in order.
pub fn corpus() -> Vec<Case> {
    let mut rng = Rng(17);
    let mut cases: Vec<Case> = Vec::new();
    for (seed, files, plan) in seeds() {
        let target = target(seed);
        let text = files
            .iter()
            .find(|(p, _)| *p == target)
            .map(|(_, t)| t.as_bytes().to_vec())
            .expect("the seed has its target file");
        let mut add = |name: String, bytes: Vec<u8>| {
            let mut out: Vec<(String, Vec<u8>)> = files
                .iter()
                .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
                .collect();
            for f in &mut out {
                if f.0 == target {
                    f.1 = bytes.clone();
                }
            }
            cases.push(Case {
                name: format!("{seed}-{name}"),
                files: out,
                plan,
            });
        };
        for m in mutations(&text, &mut rng) {
            add(m.0, m.1);
        }
    }
    cases.extend(handmade());
    for (i, c) in cases.iter_mut().enumerate() {
        c.name = format!("{:03}-{}", i + 1, c.name);
    }
    cases
}

/// A char boundary at or after `at` (mutations cut between characters, except those meant to
/// break UTF-8).
fn boundary(text: &[u8], mut at: usize) -> usize {
    while at < text.len() && (text[at] & 0xC0) == 0x80 {
        at += 1;
    }
    at.min(text.len())
}

fn splice(text: &[u8], at: usize, insert: &[u8]) -> Vec<u8> {
    let mut out = text[..at].to_vec();
    out.extend_from_slice(insert);
    out.extend_from_slice(&text[at..]);
    out
}

/// Offsets just inside string literals (after an opening quote), where escapes matter.
fn string_starts(text: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, w) in text.windows(2).enumerate() {
        if w == b" \"" {
            out.push(i + 2);
        }
    }
    out
}

/// The mutations of one file: (name, bytes).
fn mutations(text: &[u8], rng: &mut Rng) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let n = text.len();
    // Truncations: evenly spaced and at random offsets.
    for k in 1..=6 {
        let at = boundary(text, n * k / 7);
        out.push((format!("truncated-{at}"), text[..at].to_vec()));
    }
    for _ in 0..3 {
        let at = boundary(text, rng.below(n));
        out.push((format!("truncated-{at}"), text[..at].to_vec()));
    }
    // Stray brackets and quotes.
    for s in ["{", "}", "]", "(", "\"", "${", "%{", "<<EOT"] {
        let at = boundary(text, rng.below(n));
        let name = s.replace('{', "brace").replace('}', "close").replace(']', "bracket");
        let name = name
            .replace('(', "paren")
            .replace('"', "quote")
            .replace('$', "dollar")
            .replace('%', "percent")
            .replace('<', "lt");
        out.push((format!("stray-{name}-{at}"), splice(text, at, s.as_bytes())));
    }
    // Bad escapes inside string literals.
    let starts = string_starts(text);
    for (name, esc) in [
        ("q", "\\q"),
        ("short-u", "\\u12"),
        ("surrogate", "\\uD800"),
        ("past-unicode", "\\U0011FFFF"),
        ("trailing-backslash", "\\"),
    ] {
        if starts.is_empty() {
            break;
        }
        let at = starts[rng.below(starts.len())];
        out.push((format!("escape-{name}-{at}"), splice(text, at, esc.as_bytes())));
    }
    // NUL bytes: one inside, one at the start, a run of them.
    let at = boundary(text, rng.below(n));
    out.push((format!("nul-{at}"), splice(text, at, b"\0")));
    out.push(("nul-first".into(), splice(text, 0, b"\0")));
    let at = boundary(text, rng.below(n));
    out.push((format!("nul-run-{at}"), splice(text, at, &[0; 64])));
    // Invalid UTF-8: a stray byte, a lone continuation, a cut multi-byte character, an overlong
    // encoding, a UTF-16 surrogate encoded as UTF-8.
    for (name, bytes) in [
        ("ff", &b"\xff"[..]),
        ("continuation", &b"\x80"[..]),
        ("cut-char", &b"\xe2\x82"[..]),
        ("overlong", &b"\xc0\xaf"[..]),
        ("surrogate", &b"\xed\xa0\x80"[..]),
    ] {
        let at = boundary(text, rng.below(n));
        out.push((format!("utf8-{name}-{at}"), splice(text, at, bytes)));
    }
    // Flipped bytes: replaced by a random printable character.
    for _ in 0..4 {
        let at = boundary(text, rng.below(n));
        if at >= n {
            continue;
        }
        let end = boundary(text, at + 1);
        let c = b"{}[]()\"=<>$%\\#/*,.:?!-+~"[rng.below(24)];
        let mut m = text[..at].to_vec();
        m.push(c);
        m.extend_from_slice(&text[end..]);
        out.push((format!("flip-{at}"), m));
    }
    // Dropped and doubled lines.
    let lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    for _ in 0..2 {
        let i = rng.below(lines.len());
        let dropped: Vec<u8> = lines
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .flat_map(|(_, l)| l.iter().copied())
            .collect();
        out.push((format!("drop-line-{}", i + 1), dropped));
        let doubled: Vec<u8> = lines
            .iter()
            .enumerate()
            .flat_map(|(j, l)| if j == i { [*l, *l].concat() } else { l.to_vec() })
            .collect();
        out.push((format!("double-line-{}", i + 1), doubled));
    }
    // An unterminated heredoc, and one whose end marker is misspelled.
    let mut m = text.to_vec();
    m.extend_from_slice(b"\nlocals {\n  h = <<EOT\nnever ends\n");
    out.push(("heredoc-unterminated".into(), m));
    let mut m = text.to_vec();
    m.extend_from_slice(b"\nlocals {\n  h = <<-EOT\n  text\n  EOF\n}\n");
    out.push(("heredoc-wrong-marker".into(), m));
    out
}

fn case(name: &str, files: &[(&str, String)]) -> Case {
    Case {
        name: name.to_string(),
        files: files
            .iter()
            .map(|(p, t)| (p.to_string(), t.clone().into_bytes()))
            .collect(),
        plan: true,
    }
}

fn main_only(name: &str, text: String) -> Case {
    case(name, &[("main.hcl", text)])
}

/// `local.x` set to `expr`, and an output that uses it.
fn local(expr: &str) -> String {
    format!("locals {{\n  x = {expr}\n}}\n\noutput \"x\" {{\n  value = local.x\n}}\n")
}

/// Hand-made worst cases.
fn handmade() -> Vec<Case> {
    const DEEP: usize = 10_000;
    let mut v = Vec::new();
    // 10,000-deep nesting of every kind of bracket.
    let open_close = [
        ("brackets", "[", "]", ""),
        ("parens", "(", ")", "1"),
        ("objects", "{a = ", "}", "1"),
        ("calls", "abs(", ")", "1"),
        ("not", "!", "", "true"),
        ("minus", "-", "", "1"),
        ("conditionals", "true ? 1 : ", "", "2"),
        ("templates", "\"${", "}\"", "1"),
        ("template-ifs", "\"%{if true}", "%{endif}\"", ""),
        ("fors", "[for x in ", " : x]", "[1]"),
        ("index", "", "[0]", "[1]"),
        ("attrs", "", ".a", "{a = 1}"),
        ("splats", "", "[*]", "[1]"),
    ];
    for (name, open, close, inner) in open_close {
        let expr = format!("{}{inner}{}", open.repeat(DEEP), close.repeat(DEEP));
        v.push(main_only(&format!("deep-{name}"), local(&expr)));
    }
    let mut blocks = String::from("resource \"local_file\" \"deep\" {\n");
    for _ in 0..DEEP {
        blocks.push_str("b {\n");
    }
    blocks.push_str(&"}\n".repeat(DEEP + 1));
    v.push(main_only("deep-blocks", blocks));
    let mut dynamic = String::from("resource \"local_file\" \"deep\" {\n  path = \"x\"\n");
    for _ in 0..200 {
        dynamic.push_str("dynamic \"b\" {\nfor_each = [1]\ncontent {\n");
    }
    dynamic.push_str(&"}\n}\n".repeat(200));
    dynamic.push_str("}\n");
    v.push(main_only("deep-dynamic-blocks", dynamic));
    v.push(main_only("deep-unclosed-brackets", local(&"[".repeat(DEEP))));
    v.push(main_only("deep-unopened-brackets", local(&"]".repeat(DEEP))));
    v.push(main_only("chained-operators", local(&vec!["1"; DEEP].join(" + "))));
    v.push(main_only(
        "chained-traversal",
        local(&format!("{{a = 1}}{}", ".a".repeat(DEEP))),
    ));
    v.push(main_only(
        "long-identifier",
        format!("locals {{\n  {} = 1\n}}\n", "a".repeat(100_000)),
    ));
    v.push(main_only(
        "many-labels",
        format!("resource {} {{\n}}\n", "\"l\" ".repeat(DEEP)),
    ));

    // Reference cycles.
    v.push(main_only(
        "cycle-locals",
        "locals {\n  a = local.b\n  b = local.c\n  c = local.a\n}\n".into(),
    ));
    v.push(main_only("cycle-self", "locals {\n  a = [local.a]\n}\n".into()));
    v.push(main_only(
        "cycle-resources",
        "resource \"local_value\" \"a\" {\n  input = local_value.b.output\n}\n\nresource \"local_value\" \"b\" {\n  input = local_value.a.output\n}\n".into(),
    ));
    v.push(main_only(
        "cycle-depends-on",
        "resource \"local_value\" \"a\" {\n  depends_on = [local_value.b]\n}\n\nresource \"local_value\" \"b\" {\n  depends_on = [local_value.a]\n}\n".into(),
    ));
    v.push(main_only(
        "cycle-for-each",
        "resource \"local_value\" \"a\" {\n  for_each = local_value.a\n  input    = each.key\n}\n".into(),
    ));
    v.push(main_only(
        "cycle-variable-default",
        "variable \"a\" {\n  default = var.a\n}\n".into(),
    ));
    let io = "variable \"in\" {\n  type = string\n}\n\noutput \"out\" {\n  value = var.in\n}\n".to_string();
    v.push(case(
        "cycle-through-modules",
        &[
            (
                "main.hcl",
                "module \"a\" {\n  source = \"./a\"\n  in     = module.b.out\n}\n\nmodule \"b\" {\n  source = \"./b\"\n  in     = module.a.out\n}\n".into(),
            ),
            ("a/main.hcl", io.clone()),
            ("b/main.hcl", io.clone()),
        ],
    ));
    v.push(case(
        "cycle-through-nested-modules",
        &[
            (
                "main.hcl",
                "module \"outer\" {\n  source = \"./outer\"\n  in     = module.outer.out\n}\n".into(),
            ),
            (
                "outer/main.hcl",
                "variable \"in\" {\n  type = string\n}\n\nmodule \"inner\" {\n  source = \"./inner\"\n  in     = var.in\n}\n\noutput \"out\" {\n  value = module.inner.out\n}\n".into(),
            ),
            ("outer/inner/main.hcl", io.clone()),
        ],
    ));
    // Module recursion.
    v.push(case(
        "module-calls-itself",
        &[
            ("main.hcl", "module \"m\" {\n  source = \"./m\"\n}\n".into()),
            ("m/main.hcl", "module \"again\" {\n  source = \"../m\"\n}\n".into()),
        ],
    ));
    v.push(case(
        "modules-call-each-other",
        &[
            ("main.hcl", "module \"a\" {\n  source = \"./a\"\n}\n".into()),
            ("a/main.hcl", "module \"b\" {\n  source = \"../b\"\n}\n".into()),
            ("b/main.hcl", "module \"a\" {\n  source = \"../a\"\n}\n".into()),
        ],
    ));
    v.push(main_only(
        "root-calls-itself",
        "module \"me\" {\n  source = \"./\"\n}\n".into(),
    ));
    v.push(main_only(
        "module-source-missing",
        "module \"m\" {\n  source = \"./nowhere\"\n}\n".into(),
    ));

    // Big values from small text.
    v.push(main_only(
        "for-million",
        "locals {\n  million = flatten([for a in range(1000) : range(1000)])\n  x       = [for i in local.million : i * 2]\n}\n\noutput \"n\" {\n  value = length(local.x)\n}\n".into(),
    ));
    v.push(main_only(
        "for-million-object",
        "locals {\n  x = { for i in flatten([for a in range(1000) : [for b in range(1000) : a * 1000 + b]]) : tostring(i) => i }\n}\n\noutput \"n\" {\n  value = length(local.x)\n}\n".into(),
    ));
    v.push(main_only(
        "for-billion",
        "locals {\n  x = flatten([for a in range(1000) : [for b in range(1000) : range(1000)]])\n}\n\noutput \"n\" {\n  value = length(local.x)\n}\n".into(),
    ));
    v.push(main_only(
        "for-million-errors",
        "locals {\n  x = [for i in flatten([for a in range(1000) : [for b in range(1000) : a * 1000 + b]]) : lookup({}, \"k${i}\")]\n}\n\noutput \"n\" {\n  value = length(local.x)\n}\n".into(),
    ));
    v.push(main_only(
        "for-million-duplicate-keys",
        "locals {\n  x = { for i in flatten([for a in range(1000) : range(1000)]) : \"k\" => i }\n}\n".into(),
    ));
    let mut doubling = String::from("locals {\n  s0 = \"0123456789abcdef\"\n");
    for i in 1..=40 {
        let _ = writeln!(doubling, "  s{i} = \"${{local.s{}}}${{local.s{}}}\"", i - 1, i - 1);
    }
    doubling.push_str("}\n\noutput \"n\" {\n  value = length(local.s40)\n}\n");
    v.push(main_only("doubling-strings", doubling));
    let mut doubling = String::from("locals {\n  l0 = [1, 2, 3, 4]\n");
    for i in 1..=40 {
        let _ = writeln!(doubling, "  l{i} = concat(local.l{}, local.l{})", i - 1, i - 1);
    }
    doubling.push_str("}\n\noutput \"n\" {\n  value = length(local.l40)\n}\n");
    v.push(main_only("doubling-lists", doubling));
    let mut tuple = String::from("locals {\n  big = join(\"\", [for i in range(1000) : \"0123456789\"])\n");
    for i in 1..=5 {
        let refs = vec![format!("local.t{}", i - 1); 64].join(", ");
        let refs = if i == 1 {
            refs.replace("local.t0", "local.big")
        } else {
            refs
        };
        let _ = writeln!(tuple, "  t{i} = [{refs}]");
    }
    tuple.push_str("}\n\noutput \"n\" {\n  value = length(local.t5)\n}\n");
    v.push(main_only("tuple-of-tuples", tuple));
    for (name, expr) in [
        ("format-width", "format(\"%999999999d\", 1)"),
        ("format-precision", "format(\"%.999999999f\", 1)"),
        ("format-argnum", "format(\"%[18446744073709551615]d\", 1)"),
        ("formatlist-width", "formatlist(\"%900000d\", range(1000))"),
        ("indent-huge", "indent(1000000000, \"a\\nb\\nc\")"),
        (
            "join-huge-separator",
            "join(join(\"\", [for i in range(1000) : \"0123456789\"]), [for i in flatten([for a in range(1000) : range(100)]) : \"x\"])",
        ),
        (
            "replace-empty",
            "replace(join(\"\", [for i in range(1000) : \"0123456789\"]), \"\", join(\"\", [for i in range(1000) : \"0123456789\"]))",
        ),
        ("range-huge", "range(0, 1e15)"),
        ("range-step-zero", "range(0, 10, 0)"),
        ("range-negative", "range(10, 0, 1)"),
        ("number-huge-literal", &"9".repeat(100_000)),
        ("number-exponent", "1e999999999"),
        ("number-overflow", "1e308 * 10"),
        ("number-pow", "pow(10, 400)"),
        ("number-min-mod", "-9223372036854775808 % -1"),
        ("number-min-div", "-9223372036854775808 / -1"),
        ("number-min-abs", "abs(-9223372036854775808)"),
        ("number-min-negate", "-(-9223372036854775808)"),
        ("number-shift", "9223372036854775807 + 1"),
        ("number-mul-overflow", "9223372036854775807 * 9223372036854775807"),
        ("number-div-zero", "1 / 0"),
        ("number-mod-zero", "1 % 0"),
        (
            "number-parseint",
            "parseint(\"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\", 36)",
        ),
        ("number-parseint-base", "parseint(\"10\", 99999999999999999999)"),
        ("number-ceil-huge", "ceil(1e300)"),
        ("number-log", "log(0, 0)"),
        ("substr-huge", "substr(\"abc\", 99999999999999999999, -5)"),
        (
            "substr-negative",
            "substr(\"abc\", -9223372036854775808, 9223372036854775807)",
        ),
        ("element-huge", "element([1, 2], 9223372036854775807)"),
        ("element-negative", "element([1, 2], -9223372036854775808)"),
        ("slice-reversed", "slice([1, 2, 3], 2, 1)"),
        ("slice-huge", "slice([1, 2, 3], 0, 99999999999999999999)"),
        ("chunklist-zero", "chunklist([1, 2, 3], 0)"),
        ("chunklist-negative", "chunklist([1, 2, 3], -1)"),
        ("cidrsubnet-huge", "cidrsubnet(\"10.0.0.0/8\", 99999999, 99999999999)"),
        (
            "cidrsubnets-many",
            "cidrsubnets(\"10.0.0.0/8\", [for i in range(1000) : 24]...)",
        ),
        ("cidrhost-huge", "cidrhost(\"10.0.0.0/8\", 99999999999999999999)"),
        ("cidrhost-v6", "cidrhost(\"::/0\", -1)"),
        (
            "regex-catastrophic",
            "regexall(\"(a*)*b\", join(\"\", [for i in range(1000) : \"aaaaaaaaaa\"]))",
        ),
        ("regex-huge-repeat", "regex(\"a{1000}{1000}{1000}\", \"a\")"),
        (
            "jsondecode-deep",
            &format!("jsondecode(\"{}{}\")", "[".repeat(DEEP), "]".repeat(DEEP)),
        ),
        (
            "yamldecode-deep",
            &format!("yamldecode(\"{}{}\")", "[".repeat(DEEP), "]".repeat(DEEP)),
        ),
        (
            "yamldecode-bomb",
            "yamldecode(\"a: &a [x, x, x, x, x, x, x, x, x]\\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\\ni: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\\n\")",
        ),
        ("jsondecode-invalid", "jsondecode(\"{\\\"a\\\": \")"),
        ("base64decode-invalid", "base64decode(\"%%%\")"),
        ("tonumber-huge", "tonumber(\"1e99999\")"),
        ("templatefile-missing", "templatefile(\"nope.tpl\", {})"),
        ("file-dev-zero", "file(\"/dev/zero\")"),
        ("filesha256-dev-zero", "filesha256(\"/dev/zero\")"),
        ("file-directory", "file(\".\")"),
        (
            "timeadd-huge",
            "timeadd(\"2024-01-01T00:00:00Z\", \"99999999999999999h\")",
        ),
        (
            "formatdate-junk",
            "formatdate(\"YYYYYYYYYYYYYYYY\", \"2024-01-01T00:00:00Z\")",
        ),
        ("nested-try", &format!("{}1{}", "try(".repeat(60), ")".repeat(60))),
        ("sensitive-everywhere", "nonsensitive(sensitive(sensitive(1)))"),
        ("splat-null", "null[*].a"),
        ("index-null", "null[0]"),
        ("unknown-function", "nosuchfunction(1)"),
        ("namespaced-function", "provider::x::y(1)"),
        ("string-huge-escape", &format!("\"{}\"", "\\u00e9".repeat(50_000))),
    ] {
        v.push(main_only(name, local(expr)));
    }
    // Unterminated constructs, odd files.
    for (name, text) in [
        ("unterminated-string", "locals {\n  x = \"abc\n}\n".to_string()),
        ("unterminated-interpolation", "locals {\n  x = \"${abc\"\n}\n".into()),
        ("unterminated-directive", "locals {\n  x = \"%{ if true }abc\"\n}\n".into()),
        ("unterminated-heredoc", "locals {\n  x = <<EOT\nabc\n".into()),
        ("unterminated-heredoc-indented", "locals {\n  x = <<-EOT\n  abc\n  EO\n}\n".into()),
        ("heredoc-no-marker", "locals {\n  x = <<\nabc\n}\n".into()),
        ("heredoc-in-interpolation", "locals {\n  x = \"${<<EOT\nabc\nEOT\n}\"\n}\n".into()),
        ("unterminated-comment", "/* never closed\nlocals {\n  x = 1\n}\n".into()),
        ("unterminated-block", "resource \"local_value\" \"a\" {\n  input = \"x\"\n".into()),
        ("empty-file", String::new()),
        ("only-whitespace", " \n\t\r\n   \n".into()),
        ("only-comment", "# nothing here\n// nor here\n".into()),
        ("crlf", "locals {\r\n  x = \"a\"\r\n}\r\n\r\noutput \"x\" {\r\n  value = local.x\r\n}\r\n".into()),
        ("lone-cr", "locals {\r  x = 1\r}\r".into()),
        ("bom", "\u{feff}locals {\n  x = 1\n}\n".into()),
        ("zero-width", "locals {\n  x\u{200b} = 1\n}\n".into()),
        ("rtl-override", "locals {\n  x = \"\u{202e}abc\"\n}\n".into()),
        ("unicode-identifier", "locals {\n  ü = 1\n  日本 = 2\n}\n".into()),
        ("top-level-attribute", "x = 1\n".into()),
        ("unknown-block", "nonsense \"a\" {\n}\n".into()),
        ("duplicate-everything", "variable \"a\" {}\nvariable \"a\" {}\nlocals {\n  x = 1\n}\nlocals {\n  x = 2\n}\noutput \"o\" {\n  value = 1\n}\noutput \"o\" {\n  value = 2\n}\n".into()),
        ("count-huge", "resource \"local_value\" \"a\" {\n  count = 99999999999999999999\n}\n".into()),
        ("count-negative", "resource \"local_value\" \"a\" {\n  count = -1\n}\n".into()),
        ("count-fraction", "resource \"local_value\" \"a\" {\n  count = 1.5\n}\n".into()),
        ("count-million", "resource \"local_value\" \"a\" {\n  count = 1000000\n}\n".into()),
        ("for-each-million", "resource \"local_value\" \"a\" {\n  for_each = toset([for i in flatten([for a in range(1000) : [for b in range(1000) : a * 1000 + b]]) : tostring(i)])\n}\n".into()),
        ("provider-loop-alias", "provider \"local\" {\n  alias = \"a\"\n}\nresource \"local_value\" \"a\" {\n  provider = local.a.b.c\n}\n".into()),
        ("moved-cycle", "moved {\n  from = local_value.a\n  to   = local_value.b\n}\nmoved {\n  from = local_value.b\n  to   = local_value.a\n}\nresource \"local_value\" \"a\" {}\n".into()),
        ("import-junk", "import {\n  to = \"!!!\"\n  id = 1\n}\n".into()),
        ("validation-loop", "variable \"a\" {\n  default = 1\n  validation {\n    condition     = var.a == var.a\n    error_message = \"${var.a}\"\n  }\n}\n".into()),
        ("lifecycle-junk", "resource \"local_value\" \"a\" {\n  lifecycle {\n    ignore_changes = [\"!!!\", 1, null]\n  }\n}\n".into()),
    ] {
        v.push(main_only(name, text));
    }
    // Hostile variable files beside a valid configuration.
    let config = "variable \"a\" {\n  type = any\n}\n\noutput \"a\" {\n  value = var.a\n}\n".to_string();
    for (name, vars) in [
        ("vars-truncated", "a = [1, 2,".to_string()),
        ("vars-deep", format!("a = {}{}", "[".repeat(DEEP), "]".repeat(DEEP))),
        ("vars-reference", "a = var.a".into()),
        ("vars-function", "a = file(\"/dev/zero\")".into()),
        ("vars-block", "a {\n}\n".into()),
        ("vars-undeclared", "b = 1\n".into()),
        ("vars-duplicate", "a = 1\na = 2\n".into()),
        ("vars-heredoc", "a = <<EOT\nnever ends\n".into()),
    ] {
        v.push(case(name, &[("main.hcl", config.clone()), ("x.auto.vars.hcl", vars)]));
    }
    let mut c = case("vars-invalid-utf8", &[("main.hcl", config.clone())]);
    c.files.push(("x.auto.vars.hcl".into(), b"a = \"\xff\xfe\"\n".to_vec()));
    v.push(c);
    let mut c = case("vars-nul", &[("main.hcl", config.clone())]);
    c.files.push(("x.auto.vars.hcl".into(), b"a = \"x\0y\"\n\0\n".to_vec()));
    v.push(c);
    v
}

/// The cases too large to check in, made at test time: (name, files, how many times larger
/// than the default time limit the case may take).
pub fn big_cases() -> Vec<Case> {
    let mut v = Vec::new();
    // A 50 MB file: the quickstart configuration repeated with renamed blocks.
    let seed = include_str!("../hostile/seeds/quickstart.hcl");
    let mut text = String::with_capacity(51 << 20);
    let mut i = 0;
    while text.len() < 50 << 20 {
        text.push_str(&seed.replace("\" {", &format!("_{i}\" {{")));
        i += 1;
    }
    v.push(main_only("big-50mb-file", text));
    // A big file within the limit: one string of 2 MB.
    v.push(main_only(
        "big-2mb-string",
        local(&format!("\"{}\"", "0123456789abcdef".repeat(1 << 17))),
    ));
    // A file just over the limit.
    v.push(main_only(
        "big-over-limit",
        format!("# {}\nlocals {{\n  x = 1\n}}\n", "x".repeat((8 << 20) + 1)),
    ));
    // A long single line with an error at its end (the diagnostic shows a window of it).
    v.push(main_only(
        "big-long-line-error",
        local(&format!("[{}!]", "1, ".repeat(200_000))),
    ));
    // A chain of 100 modules, each calling the next.
    let mut files = Vec::new();
    let mut dir = String::new();
    for _ in 0..100 {
        files.push((
            format!("{dir}main.hcl"),
            "module \"m\" {\n  source = \"./m\"\n}\n".to_string(),
        ));
        dir.push_str("m/");
    }
    files.push((format!("{dir}main.hcl"), "output \"o\" {\n  value = 1\n}\n".to_string()));
    let files: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    v.push(case("big-module-chain-100", &files));
    v
}
