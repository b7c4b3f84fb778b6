//! Wall-clock timestamps as Plinth writes them (plans, lock files, `timestamp()`): RFC 3339, UTC,
//! whole seconds, `Z` suffix — `2024-10-04T00:00:00Z`.

use jiff::Timestamp;

/// `ts` in RFC 3339, UTC, whole seconds.
pub fn rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The current time in RFC 3339, UTC, whole seconds.
pub fn now_rfc3339() -> String {
    rfc3339(Timestamp::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_seconds_in_utc() {
        let day_20000 = Timestamp::from_second(20_000 * 86_400).expect("in range");
        assert_eq!(rfc3339(day_20000), "2024-10-04T00:00:00Z");
        let leap = Timestamp::new(951_782_400 + 3_723, 999_999_999).expect("in range");
        assert_eq!(rfc3339(leap), "2000-02-29T01:02:03Z");
        for (secs, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400 + 3661, "2000-02-29T01:01:01Z"),
            (1_700_000_000, "2023-11-14T22:13:20Z"),
            (1_767_225_599, "2025-12-31T23:59:59Z"),
        ] {
            assert_eq!(rfc3339(Timestamp::from_second(secs).expect("in range")), text);
        }
        assert_eq!(now_rfc3339().len(), "2024-10-04T00:00:00Z".len());
    }
}
