//! The drift figures of `local_distribution_drift`, as pure functions over samples: the
//! Population Stability Index (over the baseline's deciles for numbers, over categories
//! otherwise), the two-sample Kolmogorov–Smirnov statistic with its p-value as scipy's
//! `ks_2samp(method="asymp")` gives it, and the chi-square test of homogeneity for categories
//! (scipy's `chi2_contingency` without continuity correction). Reading files and naming columns
//! is `distribution_drift`'s business; the Kolmogorov distribution is in `kolmogorov`.

use std::collections::BTreeMap;

use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::kolmogorov::kstwo_sf;

/// Added to both shares inside PSI's logarithm, so an empty bin does not make it infinite.
pub const PSI_EPSILON: f64 = 1e-6;

/// The number of PSI bins for numbers: the baseline's deciles are the 9 inner edges.
pub const PSI_BINS: usize = 10;

/// The drift of one feature.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drift {
    pub psi: f64,
    /// The two-sample KS statistic; `None` for categories (there is no order to take a CDF over).
    pub ks_statistic: Option<f64>,
    /// The KS p-value for numbers, the chi-square test's p-value for categories.
    pub p_value: f64,
}

/// The `q` quantile of sorted, non-empty `sorted` as numpy's default (`method="linear"`)
/// computes it, including its two-sided interpolation (`b - (b - a)(1 - t)` when `t >= 0.5`), so
/// the bin edges agree with numpy's to the last bit.
pub fn quantile_linear(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let virtual_index = (n - 1) as f64 * q;
    if virtual_index >= (n - 1) as f64 {
        return sorted[n - 1];
    }
    if virtual_index < 0.0 {
        return sorted[0];
    }
    let previous = virtual_index.floor();
    let i = previous as usize;
    let (a, b) = (sorted[i], sorted[i + 1]);
    let t = virtual_index - previous;
    let diff = b - a;
    if t >= 0.5 { b - diff * (1.0 - t) } else { a + diff * t }
}

/// The inner bin edges: the baseline's deciles `q = i/10`, `i = 1..=9`.
pub fn decile_edges(sorted_baseline: &[f64]) -> Vec<f64> {
    (1..PSI_BINS)
        .map(|i| quantile_linear(sorted_baseline, i as f64 / PSI_BINS as f64))
        .collect()
}

/// The share of `values` in each bin. Bin `i` holds the values with exactly `i` edges at or below
/// them, so the outer bins are open-ended and a value equal to an edge counts in the upper bin.
pub fn bin_shares(values: &[f64], edges: &[f64]) -> Vec<f64> {
    let mut counts = vec![0usize; edges.len() + 1];
    for v in values {
        counts[edges.partition_point(|e| e <= v)] += 1;
    }
    let n = values.len() as f64;
    counts.into_iter().map(|c| c as f64 / n).collect()
}

/// `Σ (cur - base) · ln((cur + ε) / (base + ε))` over paired shares.
pub fn psi(base: &[f64], cur: &[f64]) -> f64 {
    base.iter()
        .zip(cur)
        .map(|(b, c)| (c - b) * ((c + PSI_EPSILON) / (b + PSI_EPSILON)).ln())
        .sum()
}

/// The two-sample KS statistic of sorted, non-empty samples, as scipy computes it: the largest
/// of `max(F1 - F2)` and `max(F2 - F1)` over the pooled values, each ECDF being
/// `count(sample <= v) / size`.
pub fn ks_statistic(a: &[f64], b: &[f64]) -> f64 {
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let (mut max_diff, mut min_diff) = (f64::NEG_INFINITY, f64::INFINITY);
    while i < a.len() || j < b.len() {
        // The next pooled value, and both ECDFs just after it.
        let v = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.min(*y),
            (Some(x), None) => *x,
            (None, Some(y)) => *y,
            (None, None) => break,
        };
        while i < a.len() && a[i] <= v {
            i += 1;
        }
        while j < b.len() && b[j] <= v {
            j += 1;
        }
        let diff = i as f64 / n1 - j as f64 / n2;
        max_diff = max_diff.max(diff);
        min_diff = min_diff.min(diff);
    }
    let min_s = (-min_diff).clamp(0.0, 1.0);
    if min_s > max_diff { min_s } else { max_diff }
}

/// The two-sided p-value of KS statistic `d` for samples of `n1` and `n2` values, as
/// `ks_2samp(method="asymp")`: `kstwo.sf(d, round(m·n / (m + n)))` with numpy's rounding (half
/// to even).
pub fn ks_p_value(d: f64, n1: usize, n2: usize) -> f64 {
    let (m, n) = if n1 >= n2 {
        (n1 as f64, n2 as f64)
    } else {
        (n2 as f64, n1 as f64)
    };
    let en = (m * n / (m + n)).round_ties_even();
    kstwo_sf(en as u64, d).clamp(0.0, 1.0)
}

/// The drift of a numeric feature. Both samples must be non-empty and free of NaN.
pub fn numeric(baseline: &[f64], current: &[f64]) -> Drift {
    let mut base = baseline.to_vec();
    let mut cur = current.to_vec();
    base.sort_by(f64::total_cmp);
    cur.sort_by(f64::total_cmp);
    let edges = decile_edges(&base);
    let psi = psi(&bin_shares(&base, &edges), &bin_shares(&cur, &edges));
    let d = ks_statistic(&base, &cur);
    Drift {
        psi,
        ks_statistic: Some(d),
        p_value: ks_p_value(d, base.len(), cur.len()),
    }
}

/// The drift of a categorical feature: PSI over the shares of each category (the union of both
/// samples' categories) and the p-value of Pearson's chi-square test on the 2×K table of counts
/// (no continuity correction; one category only gives statistic 0 and p-value 1, as scipy).
pub fn categorical<S: AsRef<str>>(baseline: &[S], current: &[S]) -> Drift {
    let mut counts: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for v in baseline {
        counts.entry(v.as_ref()).or_default().0 += 1.0;
    }
    for v in current {
        counts.entry(v.as_ref()).or_default().1 += 1.0;
    }
    let (nb, nc) = (baseline.len() as f64, current.len() as f64);
    let base: Vec<f64> = counts.values().map(|(b, _)| b / nb).collect();
    let cur: Vec<f64> = counts.values().map(|(_, c)| c / nc).collect();
    let psi = psi(&base, &cur);

    let total = nb + nc;
    let statistic: f64 = counts
        .values()
        .map(|&(b, c)| {
            let col = b + c;
            let (eb, ec) = (nb * col / total, nc * col / total);
            (b - eb).powi(2) / eb + (c - ec).powi(2) / ec
        })
        .sum();
    let dof = counts.len().saturating_sub(1);
    let p_value = match ChiSquared::new(dof as f64) {
        Ok(chi2) if dof > 0 => chi2.sf(statistic).clamp(0.0, 1.0),
        _ => 1.0,
    };
    Drift {
        psi,
        ks_statistic: None,
        p_value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_as_numpy() {
        // np.quantile([1, 2, 3, 4, 10], [0, .1, .5, .9, 1]), to the last bit.
        let s = [1.0, 2.0, 3.0, 4.0, 10.0];
        let got: Vec<f64> = [0.0, 0.1, 0.5, 0.9, 1.0]
            .iter()
            .map(|q| quantile_linear(&s, *q))
            .collect();
        assert_eq!(got, vec![1.0, 1.4, 3.0, 7.600_000_000_000_000_5, 10.0]);
        // np.quantile(np.arange(1., 11), np.arange(1, 10) / 10)
        let base: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(
            decile_edges(&base),
            vec![
                1.9,
                2.8,
                3.699_999_999_999_999_7,
                4.6,
                5.5,
                6.399_999_999_999_999_5,
                7.3,
                8.2,
                9.1
            ]
        );
        assert_eq!(quantile_linear(&[5.0], 0.3), 5.0);
    }

    #[test]
    fn a_value_equal_to_an_edge_counts_in_the_upper_bin() {
        let edges = [1.0, 2.0, 3.0];
        // Below the first edge, on each edge, between and above.
        let shares = bin_shares(&[0.5, 1.0, 1.5, 2.0, 3.0, 9.0], &edges);
        let counts: Vec<f64> = shares.iter().map(|s| s * 6.0).collect();
        assert_eq!(counts, vec![1.0, 2.0, 1.0, 2.0]);
        // The baseline 1..=10: deciles 1.9, 2.8, ..., 9.1; 10 is above the last edge.
        let base: Vec<f64> = (1..=10).map(f64::from).collect();
        let edges = decile_edges(&base);
        assert_eq!(edges.len(), 9);
        let at_edge = bin_shares(&[edges[3]], &edges);
        assert_eq!(
            at_edge[4], 1.0,
            "a value equal to edge 4 is in bin 4 (above it): {at_edge:?}"
        );
        // All values equal: every edge is that value, and the values sit in the top bin.
        let same = [7.0; 20];
        let edges = decile_edges(&same);
        assert_eq!(bin_shares(&same, &edges)[PSI_BINS - 1], 1.0);
    }

    #[test]
    fn identical_samples_do_not_drift() {
        let xs: Vec<f64> = (0..200).map(|i| ((i * 37) % 101) as f64 / 7.0).collect();
        let d = numeric(&xs, &xs);
        assert_eq!(d.psi, 0.0);
        assert_eq!(d.ks_statistic, Some(0.0));
        assert_eq!(d.p_value, 1.0);

        let cats = ["a", "b", "b", "c", "a", "b"];
        let d = categorical(&cats, &cats);
        assert_eq!(d.psi, 0.0);
        assert_eq!(d.ks_statistic, None);
        assert!((d.p_value - 1.0).abs() < 1e-12, "{d:?}");
        assert_eq!(categorical(&["x"], &["x", "x"]).p_value, 1.0);
    }

    #[test]
    fn ks_as_scipy() {
        // scipy.stats.ks_2samp([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8], method="asymp")
        // statistic 0.5 (at 5: 5/5 - 3/6)
        let d = ks_statistic(&[1.0, 2.0, 3.0, 4.0, 5.0], &[3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
        assert_eq!(d, 0.5);
        let p = ks_p_value(d, 5, 6);
        assert!((p - P_5_6).abs() < 1e-9, "{p}");
    }

    /// `ks_2samp([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8], method="asymp").pvalue` in scipy 1.17.
    const P_5_6: f64 = 0.333_333_333_333_333_3;

    #[test]
    fn chi_square_as_scipy() {
        // chi2_contingency([[30, 20, 50], [20, 30, 30]], correction=False)
        let mut base = vec!["a"; 30];
        base.extend(vec!["b"; 20]);
        base.extend(vec!["c"; 50]);
        let mut cur = vec!["a"; 20];
        cur.extend(vec!["b"; 30]);
        cur.extend(vec!["c"; 30]);
        let d = categorical(&base, &cur);
        assert!((d.p_value - CHI2_P).abs() < 1e-12, "{d:?}");
    }

    /// `chi2_contingency([[30, 20, 50], [20, 30, 30]], correction=False).pvalue` in scipy 1.17.
    const CHI2_P: f64 = 0.032_346_482_388_699_03;
}
