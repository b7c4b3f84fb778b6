//! [`format_source`] on whole inputs: each case checks the expected text, that formatting the
//! output again changes nothing, and that the structure is kept.

use super::*;

/// Test texts are written starting on the line after the opening quote.
fn text(s: &str) -> &str {
    s.strip_prefix('\n').unwrap_or(s)
}

/// Formats `input`, compares with `expected`, and checks that formatting the output again
/// changes nothing and that input and output parse to the same structure.
#[track_caller]
fn check(input: &str, expected: &str) {
    let out = format_source(input).expect("test input should parse");
    assert_eq!(out, expected, "\n--- got ---\n{out}\n--- expected ---\n{expected}");
    check_stable(input, &out);
}

#[track_caller]
fn check_stable(input: &str, out: &str) {
    let again = format_source(out).expect("formatted output should parse");
    assert_eq!(again, out, "formatting is not idempotent:\n{again}");
    let before: hcl::Body = hcl::from_str(input).expect("input should deserialize");
    let after: hcl::Body = hcl::from_str(out).expect("output should deserialize");
    assert_eq!(before, after, "formatting changed the structure");
}

#[test]
fn messy_block_becomes_canonical() {
    check(
        text(
            r#"
resource   "gpu_cluster"    "train"{
name="train"
    node_count =    4
  gpu_type= "a100"
      labels {
  team="ml"
        }
    }
"#,
        ),
        text(
            r#"
resource "gpu_cluster" "train" {
  name       = "train"
  node_count = 4
  gpu_type   = "a100"
  labels {
    team = "ml"
  }
}
"#,
        ),
    );
}

#[test]
fn comments_are_kept_and_reindented() {
    check(
        text(
            r#"
# File header.
// Second header line.

/* Block comment
   over two lines. */
resource "gpu_cluster" "train" { # after the brace
        # Leading comment, badly indented.
  name = "train"    # trailing hash
  size = 4 // trailing slashes
  /* inline */ zone = "a"
  image /* why */ = "cuda"
      # Comment before the closing brace.
}
# Comment at the end of the file.
"#,
        ),
        text(
            r#"
# File header.
// Second header line.

/* Block comment
   over two lines. */
resource "gpu_cluster" "train" { # after the brace
  # Leading comment, badly indented.
  name              = "train" # trailing hash
  size              = 4       // trailing slashes
  /* inline */ zone = "a"
  image /* why */   = "cuda"
  # Comment before the closing brace.
}
# Comment at the end of the file.
"#,
        ),
    );
}

#[test]
fn comments_only_and_empty_files() {
    check("", "");
    check("\n\n  \n", "");
    check(
        "  # only a comment   \n\n\n// and another",
        "# only a comment\n\n// and another\n",
    );
}

#[test]
fn alignment_runs_are_broken_by_blank_lines_comments_and_blocks() {
    check(
        text(
            r#"
model_registry "main" {
  name = "main"
  bucket_name = "models"
  versioning = true

  retention_days = 30
  region = "eu-west-1"
  # A comment line breaks the run.
  storage_class = "STANDARD"
  kms = "alias/models"
  access {
    role = "reader"
  }
  owner = "ml-platform"
  description = "Model registry"
}
"#,
        ),
        text(
            r#"
model_registry "main" {
  name        = "main"
  bucket_name = "models"
  versioning  = true

  retention_days = 30
  region         = "eu-west-1"
  # A comment line breaks the run.
  storage_class = "STANDARD"
  kms           = "alias/models"
  access {
    role = "reader"
  }
  owner       = "ml-platform"
  description = "Model registry"
}
"#,
        ),
    );
}

#[test]
fn multi_line_values_break_runs_but_a_heredoc_start_joins_the_run_above() {
    check(
        text(
            r#"
serving_endpoint "api" {
  name = "api"
  tags = {
    team = "ml"
  }
  replicas = 3
  script = <<EOT
echo hi
EOT
  port = 8080
}
"#,
        ),
        text(
            r#"
serving_endpoint "api" {
  name = "api"
  tags = {
    team = "ml"
  }
  replicas = 3
  script   = <<EOT
echo hi
EOT
  port = 8080
}
"#,
        ),
    );
}

#[test]
fn trailing_comments_are_aligned_within_a_run() {
    check(
        text(
            r#"
drift_monitor "m" {
  threshold = 0.2 # alert above this
  window_days = 7 # rolling window
  metric = "psi"

  schedule = "daily" # when
}
"#,
        ),
        text(
            r#"
drift_monitor "m" {
  threshold   = 0.2 # alert above this
  window_days = 7   # rolling window
  metric      = "psi"

  schedule = "daily" # when
}
"#,
        ),
    );
}

#[test]
fn nested_empty_and_one_line_blocks() {
    check(
        text(
            r#"
training_pipeline "nightly" {
stage "prepare" {
resources {
cpu = 4
memory = "16Gi"
}
}
stage   "train" {   gpus=8   }
lifecycle {
}
empty_with_comment {
# TODO
}
}
"#,
        ),
        text(
            r#"
training_pipeline "nightly" {
  stage "prepare" {
    resources {
      cpu    = 4
      memory = "16Gi"
    }
  }
  stage "train" { gpus = 8 }
  lifecycle {}
  empty_with_comment {
    # TODO
  }
}
"#,
        ),
    );
}

#[test]
fn one_line_block_with_a_multi_line_value_is_expanded() {
    check(
        "a { b = [\n1,\n] }\n",
        text(
            r#"
a {
  b = [
    1,
  ]
}
"#,
        ),
    );
}

#[test]
fn multi_line_objects_and_arrays() {
    check(
        text(
            r#"
locals {
  zones = ["a","b" ,  "c"]
  empty = [ ]
  none = {  }
  inline = {a=1,bb=2}
  sizes = [
  "small",
          "medium", # default
     "large",
  ]
  pairs = [
    "a", "b",
    "c"
  ]
  limits = {
      cpu = "4"
    memory_limit = "16Gi"
 # keep
    gpu = 1,
  }
  nested = {
    outer = {
      inner = [
        1,
        2
      ]
    }
  }
}
"#,
        ),
        text(
            r#"
locals {
  zones  = ["a", "b", "c"]
  empty  = []
  none   = {}
  inline = { a = 1, bb = 2 }
  sizes = [
    "small",
    "medium", # default
    "large",
  ]
  pairs = [
    "a", "b",
    "c"
  ]
  limits = {
    cpu          = "4"
    memory_limit = "16Gi"
    # keep
    gpu = 1,
  }
  nested = {
    outer = {
      inner = [
        1,
        2
      ]
    }
  }
}
"#,
        ),
    );
}

#[test]
fn brackets_opened_on_one_line_indent_once() {
    check(
        text(
            r#"
locals {
  merged = merge(local.tags, {
      extra = "x"
    })
  args = format(
  "%s-%s",
     var.name,
  var.env,
  )
  policy = jsonencode({
  Statement = [{
  Effect = "Allow"
  }]
  })
}
"#,
        ),
        text(
            r#"
locals {
  merged = merge(local.tags, {
    extra = "x"
  })
  args = format(
    "%s-%s",
    var.name,
    var.env,
  )
  policy = jsonencode({
    Statement = [{
      Effect = "Allow"
    }]
  })
}
"#,
        ),
    );
}

#[test]
fn expression_spacing() {
    check(
        text(
            r#"
locals {
  sum = 1+2*3
  cond = var.enabled?var.size:0
  attr = module.vpc . subnets [0] . id
  splat = aws_instance.web[*].id
  not = ! var.flag
  neg = - 5
  call = max( 1 ,2 )
  list_for = [ for s in var.names : upper(s) if s != "" ]
  map_for = {for k,v in var.models:k=>v.version}
  long_for = {
        for k, v in var.models : k => v
          if v.enabled
  }
  paren = ( var.a + var.b ) * 2
  wrapped = (
      var.enabled
    ? "on"
       : "off"
  )
}
"#,
        ),
        text(
            r#"
locals {
  sum      = 1 + 2 * 3
  cond     = var.enabled ? var.size : 0
  attr     = module.vpc.subnets[0].id
  splat    = aws_instance.web[*].id
  not      = !var.flag
  neg      = -5
  call     = max(1, 2)
  list_for = [for s in var.names : upper(s) if s != ""]
  map_for  = { for k, v in var.models : k => v.version }
  long_for = {
    for k, v in var.models : k => v
    if v.enabled
  }
  paren = (var.a + var.b) * 2
  wrapped = (
    var.enabled
    ? "on"
    : "off"
  )
}
"#,
        ),
    );
}

#[test]
fn heredocs_and_templates_are_untouched() {
    let input = concat!(
        "locals {\n",
        "    script = <<EOT\n",
        "   keep   this   \n",
        "\tand this\n",
        "EOT\n",
        "  indented = <<-EOT\n",
        "      a\n",
        "        b\n",
        "    EOT\n",
        "  list = [\n",
        "  <<EOT\n",
        "x\n",
        "EOT\n",
        "  ]\n",
        "  call = trimspace(<<EOT\n",
        "hello\n",
        "EOT\n",
        "  )\n",
        "  tmpl = \"${var.name}-${ var.env }\"\n",
        "}\n",
    );
    let expected = concat!(
        "locals {\n",
        "  script = <<EOT\n",
        "   keep   this   \n",
        "\tand this\n",
        "EOT\n",
        "  indented = <<-EOT\n",
        "      a\n",
        "        b\n",
        "    EOT\n",
        "  list = [\n",
        "    <<EOT\n",
        "x\n",
        "EOT\n",
        "  ]\n",
        "  call = trimspace(<<EOT\n",
        "hello\n",
        "EOT\n",
        "  )\n",
        "  tmpl = \"${var.name}-${ var.env }\"\n",
        "}\n",
    );
    check(input, expected);
}

#[test]
fn indented_heredoc_with_tabs_is_kept_byte_for_byte() {
    let input = "x = <<-EOT\n\t\tfoo\n    bar\n  EOT\n";
    check(input, input);
}

#[test]
fn comments_around_operators_and_traversals_are_kept() {
    check(
        text(
            r#"
ok = (
  var.a &&
      # both must hold
  var.b
)
first = var.list[
  # the first one
  0
]
chain = (
  module.net
  # private side
  .subnets
)
"#,
        ),
        text(
            r#"
ok = (
  var.a &&
  # both must hold
  var.b
)
first = var.list[
  # the first one
  0
]
chain = (
  module.net
  # private side
  .subnets
)
"#,
        ),
    );
}

#[test]
fn escapes_after_a_nested_template_survive() {
    let input = "a = \"${format(\"%s-${var.x}\", y)}\\\"q\\\"\\n\"\n";
    check(input, input);
}

#[test]
fn heredoc_followed_by_a_comma_stays_valid() {
    check(
        "a = [\n<<EOT\nx\nEOT\n, \"b\"]\nb = { c = <<EOT\ny\nEOT\n}\n",
        "a = [\n  <<EOT\nx\nEOT\n  , \"b\"]\nb = { c = <<EOT\ny\nEOT\n}\n",
    );
}

#[test]
fn blank_lines_and_whitespace() {
    check(
        "\n\n\na = 1   \n\n\n\nb = 2\n\n\nblock {\n\n\n  c = 3\n\n\n  d = 4\n\n\n}\n\n\n\nother {}   \n\n\n",
        text(
            r#"
a = 1

b = 2

block {
  c = 3

  d = 4
}

other {}
"#,
        ),
    );
    // No newline at the end of the input; tabs for indentation.
    check("x {\n\ty = 1\n}", "x {\n  y = 1\n}\n");
}

#[test]
fn crlf_input_gives_lf_output() {
    check(
        "a = 1\r\nblock {\r\n  b = 2 # c\r\n}\r\n",
        "a = 1\nblock {\n  b = 2 # c\n}\n",
    );
}

#[test]
fn formatted_input_is_unchanged() {
    let canonical = text(
        r#"
# GPU training cluster with a model registry.
variable "gpu_count" {
  type    = number
  default = 2
}

locals {
  name = "ml-${var.env}"
  tags = {
    Team    = "ml-platform"
    Managed = "plinth"
  }
}

resource "gpu_cluster" "train" {
  count = var.gpu_count > 0 ? 1 : 0

  name          = local.name
  instance_type = "p4d.24xlarge" # 8 x A100
  subnets       = [for s in module.vpc.private_subnets : s.id]

  node_pool "default" {
    min_size = 1
    max_size = var.gpu_count
  }

  tags = merge(local.tags, {
    Name = local.name
  })

  lifecycle {
    prevent_destroy = true
  }
}

output "endpoint" {
  value     = gpu_cluster.train[0].endpoint
  sensitive = false
}
"#,
    );
    check(canonical, canonical);
}

#[test]
fn syntax_error_reports_line_and_column() {
    let err = format_source("resource \"x\" \"y\" {\n  name = \"a\"\n  size = = 4\n}\n").expect_err("invalid input");
    assert_eq!((err.line, err.column), (3, 10));
    assert!(err.message.contains("expected"), "{}", err.message);
    assert!(err.to_string().starts_with("line 3, column 10: "), "{err}");

    let err = format_source("zones = [\"a\", \"b\"\n").expect_err("invalid input");
    assert_eq!(err.line, 1);
    assert!(err.message.contains("`]`"), "{}", err.message);
}
