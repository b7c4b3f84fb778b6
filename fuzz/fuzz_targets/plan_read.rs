//! `cargo fuzz run plan_read`: see plinth_fuzz::plan_read.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plinth_fuzz::plan_read(data));
