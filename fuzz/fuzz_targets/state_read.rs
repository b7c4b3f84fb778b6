//! `cargo fuzz run state_read`: see plinth_fuzz::state_read.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plinth_fuzz::state_read(data));
