//! RFC 3339 timestamps (`2025-01-02T03:04:05Z`) from the system clock.

use jiff::Timestamp;

/// The current time as Kubernetes writes it: UTC, whole seconds, `Z` suffix.
pub(crate) fn now_rfc3339() -> String {
    format_rfc3339(Timestamp::now())
}

fn format_rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        for (secs, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_735_787_045, "2025-01-02T03:04:05Z"),
        ] {
            assert_eq!(format_rfc3339(Timestamp::from_second(secs).expect("in range")), text);
        }
    }
}
