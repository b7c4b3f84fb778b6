//! Conformance tests of numbers (issue 12): integers stay exact up to 2^64 through literals,
//! arithmetic, functions, JSON and YAML, state and outputs; fractions print as Terraform prints
//! them (`0.1 + 0.2` is `0.3`). Expected values are Terraform's (`terraform console`), except
//! where docs/language.md "Differences from Terraform" says otherwise (`1 / 3` has 16 digits here).
//!
//! `UPDATE_EXPECT=1 cargo test --test language_numbers` rewrites the snapshots.

mod support;

use expect_test::expect;
use support::check_plan;
use support::cli::{Dir, expect_code, ok, stdout};

#[test]
fn integers_are_exact_up_to_2_pow_64() {
    check_plan(
        r#"
output "max_i64" { value = 9223372036854775807 }
output "max_i64_minus_1" { value = 9223372036854775807 - 1 }
output "min_i64" { value = -9223372036854775808 }
output "max_u64" { value = 18446744073709551615 }
output "past_2_53" { value = 9007199254740993 }
output "sum_to_u64" { value = 9223372036854775807 + 9223372036854775808 }
output "product" { value = 4294967296 * 4294967295 }
output "parseint_hex" { value = parseint("7fffffffffffffff", 16) }
output "parseint_u64" { value = parseint("ffffffffffffffff", 16) }
output "jsondecode" { value = jsondecode("18446744073709551615") }
output "yamldecode" { value = yamldecode("n: 9223372036854775807").n }
output "tonumber" { value = tonumber("9223372036854775807") }
output "tostring" { value = tostring(9223372036854775807) }
output "template" { value = "id-${9223372036854775806 + 1}" }
output "format_d" { value = format("%d", 9223372036854775807) }
output "format_x" { value = format("%x", 18446744073709551615) }
output "format_v" { value = format("%v", 9223372036854775807) }
output "jsonencode" { value = jsonencode([18446744073709551615, -9223372036854775808]) }
output "equal" { value = 9007199254740993 == 9007199254740992 }
output "max" { value = max(9007199254740993, 9007199254740992) }
output "pow" { value = pow(3, 39) }
output "abs" { value = abs(-9223372036854775807) }
output "past_u64" { value = 18446744073709551615 + 1 }
"#,
        expect![[r#"
            Changes to Outputs:
              + abs             = 9223372036854775807
              + equal           = false
              + format_d        = "9223372036854775807"
              + format_v        = "9.223372036854775807e+18"
              + format_x        = "ffffffffffffffff"
              + jsondecode      = 18446744073709551615
              + jsonencode      = "[18446744073709551615,-9223372036854775808]"
              + max             = 9007199254740993
              + max_i64         = 9223372036854775807
              + max_i64_minus_1 = 9223372036854775806
              + max_u64         = 18446744073709551615
              + min_i64         = -9223372036854775808
              + parseint_hex    = 9223372036854775807
              + parseint_u64    = 18446744073709551615
              + past_2_53       = 9007199254740993
              + past_u64        = 18446744073709552000
              + pow             = 4052555153018976267
              + product         = 18446744069414584320
              + sum_to_u64      = 18446744073709551615
              + template        = "id-9223372036854775807"
              + tonumber        = 9223372036854775807
              + tostring        = "9223372036854775807"
              + yamldecode      = 9223372036854775807

            You can apply this plan to save these new output values to the Plinth state, without changing any real infrastructure.
        "#]],
    );
}

#[test]
fn fractions_print_as_terraform_prints_them() {
    check_plan(
        r#"
output "a_sum" { value = 0.1 + 0.2 }
output "a_sum_is_0_3" { value = 0.1 + 0.2 == 0.3 }
output "product" { value = 0.1 * 1.5 }
output "third" { value = 1 / 3 }
output "third_times_3" { value = 1 / 3 * 3 }
output "exact_div" { value = 10 / 2 }
output "half" { value = 5 / 2 }
output "mod" { value = 7 % 3 }
output "neg_mod" { value = -7 % 3 }
output "frac_mod" { value = 5.5 % 2 }
output "literal" { value = 2.5 }
output "one_point_zero" { value = 1.0 }
output "big" { value = 1e21 }
output "small" { value = 0.0000001 }
output "neg_zero" { value = -0.0 }
output "template" { value = "v=${0.1 + 0.2}" }
output "json" { value = jsonencode({ a = 0.1 + 0.2, b = 1e21, c = 2.50 }) }
output "range" { value = range(0, 0.5, 0.1) }
output "sum" { value = sum([0.1, 0.2, 0.3]) }
output "ceil" { value = ceil(2.1) }
output "floor" { value = floor(-2.1) }
output "signum" { value = signum(-0.5) }
"#,
        expect![[r#"
            Changes to Outputs:
              + a_sum          = 0.3
              + a_sum_is_0_3   = true
              + big            = 1000000000000000000000
              + ceil           = 3
              + exact_div      = 5
              + floor          = -3
              + frac_mod       = 1.5
              + half           = 2.5
              + json           = "{\"a\":0.3,\"b\":1000000000000000000000,\"c\":2.5}"
              + literal        = 2.5
              + mod            = 1
              + neg_mod        = -1
              + neg_zero       = 0
              + one_point_zero = 1
              + product        = 0.15
              + range          = [
                  + 0,
                  + 0.1,
                  + 0.2,
                  + 0.3,
                  + 0.4,
                ]
              + signum         = -1
              + small          = 0.0000001
              + sum            = 0.6
              + template       = "v=0.3"
              + third          = 0.3333333333333333
              + third_times_3  = 1

            You can apply this plan to save these new output values to the Plinth state, without changing any real infrastructure.
        "#]],
    );
}

#[test]
fn division_by_zero_is_an_error() {
    check_plan(
        r#"
output "x" { value = 9223372036854775807 % 0 }
"#,
        expect![[r#"
            main.hcl:2:44: error: Division by zero
              |
            2 | output "x" { value = 9223372036854775807 % 0 }
              |                                            ^
              = hint: The right operand of this operation is zero; it must not be.
        "#]],
    );
}

/// A big integer goes through a resource's state and `output -json` digit for digit, and the
/// next plan sees no change.
#[test]
fn big_integers_survive_state_and_json_output() {
    let d = Dir::with(
        r#"
resource "local_value" "ids" {
  input = {
    account = 18446744073709551615
    signed  = -9223372036854775808
    ratio   = 0.1 + 0.2
  }
}

output "ids" {
  value = local_value.ids.output
}

output "next" {
  value = local_value.ids.output.account - 1
}
"#,
    );
    ok(d.run(&["init"]));
    ok(d.run(&["apply", "--auto-approve"]));

    let state = d.read(".plinth/env/default/state.json");
    assert!(state.contains("18446744073709551615"), "{state}");
    assert!(state.contains("-9223372036854775808"), "{state}");

    let o = ok(d.run(&["output", "--json"]));
    let text = stdout(&o);
    assert!(text.contains("\"account\": 18446744073709551615"), "{text}");
    assert!(text.contains("\"signed\": -9223372036854775808"), "{text}");
    assert!(text.contains("\"ratio\": 0.3"), "{text}");
    assert!(text.contains("18446744073709551614"), "{text}");

    let o = ok(d.run(&["output", "--raw", "next"]));
    assert_eq!(stdout(&o), "18446744073709551614\n");

    let o = d.run(&["plan", "--detailed-exitcode"]);
    expect_code(&o, 0);
    assert!(stdout(&o).contains("No changes."), "{}", stdout(&o));
}
