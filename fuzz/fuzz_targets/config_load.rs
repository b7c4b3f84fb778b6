//! `cargo fuzz run config_load`: see plinth_fuzz::config_load.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plinth_fuzz::config_load(data));
