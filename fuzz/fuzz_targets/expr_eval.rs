//! `cargo fuzz run expr_eval`: see plinth_fuzz::expr_eval.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plinth_fuzz::expr_eval(data));
