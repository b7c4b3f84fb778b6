//! The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic `D_n` for a finite
//! `n` (scipy's `kstwo`), which gives the p-value of the two-sample test: scipy's
//! `ks_2samp(method="asymp")` takes `kstwo.sf(d, round(m·n / (m + n)))`.
//!
//! This is a port of scipy's `scipy/stats/_ksstats.py` (`_kolmogn`, after Simard & L'Ecuyer 2011,
//! which picks among the exact algorithms by `n` and `n·x²`): the Durbin matrix in the form of
//! Marsaglia, Tsang & Wang, Pomeranz's recursion, the Pelz–Good asymptotic series, and for the
//! upper tail twice the one-sided Smirnov probability (Birnbaum–Tingey's sum, as scipy's
//! `special.smirnov`). The same branches and cut-overs are kept so that the figures agree with
//! scipy's, which the drift tests check to 1e-3. Only the survival function is needed.
//!
//! Pure computation on `f64`; no I/O.

use std::f64::consts::PI;

/// Intermediate results are rescaled by this power of two to stay within `f64`'s range.
const E128: i32 = 128;
const EP128: f64 = 3.402_823_669_209_385e38; // 2^128
const EM128: f64 = 2.938_735_877_055_719e-39; // 2^-128
/// Below this `ln` an `exp` underflows (scipy's `_MIN_LOG`).
const MIN_LOG: f64 = -708.0;
/// cephes' `MINLOG`: `ln` of the smallest normal double.
const CEPHES_MINLOG: f64 = -7.083_964_185_322_641e2;
/// Above this `n` scipy's `smirnov` switches to an approximation.
const SMIRNOV_MAX_COMPUTE_N: u64 = 1_000_000;

/// `x · 2^e` without overflowing the power of two on the way.
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    x * 2f64.powi(e as i32)
}

fn clip(p: f64) -> f64 {
    p.clamp(0.0, 1.0)
}

/// `P(D_n > x)` for the two-sided one-sample statistic (scipy's `kstwo.sf(x, n)`).
pub fn kstwo_sf(n: u64, x: f64) -> f64 {
    if n == 0 || x.is_nan() {
        return f64::NAN;
    }
    let nf = n as f64;
    // `kstwo`'s support is [1/(2n), 1]: at or below its lower end the survival function is 1.
    if x <= 0.5 / nf {
        return 1.0;
    }
    if x >= 1.0 {
        return 0.0;
    }
    let t = nf * x;
    if t <= 1.0 {
        // Ruben–Gambino: for 1/(2n) < x <= 1/n, P(D_n <= x) = n!/n^n (2t - 1)^n.
        let cdf = if n <= 140 {
            (1..=n).fold(1.0, |acc, i| acc * (i as f64 * (1.0 / nf) * (2.0 * t - 1.0)))
        } else {
            (log_nfactorial_div_n_pow_n(nf) + nf * (2.0 * t - 1.0).ln()).exp()
        };
        return clip(1.0 - cdf);
    }
    if t >= nf - 1.0 {
        // Ruben–Gambino: P(D_n > x) = 2 (1 - x)^n.
        return clip(2.0 * (1.0 - x).powf(nf));
    }
    if x >= 0.5 {
        // Exact: the events D+ > x and D- > x are disjoint.
        return clip(2.0 * smirnov_sf(n, x));
    }
    let nxsquared = t * x;
    if n <= 140 {
        if nxsquared <= 0.754693 {
            return clip(1.0 - durbin_cdf(n, x));
        }
        if nxsquared <= 4.0 {
            return clip(1.0 - pomeranz_cdf(n, x));
        }
        return clip(2.0 * smirnov_sf(n, x));
    }
    if nxsquared >= 370.0 {
        return 0.0;
    }
    if nxsquared >= 2.2 {
        return clip(2.0 * smirnov_sf(n, x));
    }
    let cdf = if n <= 100_000 && nf * x.powf(1.5) <= 1.4 {
        durbin_cdf(n, x)
    } else {
        pelz_good_cdf(n, x)
    };
    clip(1.0 - cdf)
}

/// `ln(n! / n^n)` by Stirling's series, with `n ln n` taken out up front.
fn log_nfactorial_div_n_pow_n(n: f64) -> f64 {
    // B_{2j} / (2j) / (2j - 1) for j = 8, ..., 1, highest first (for Horner's scheme).
    const STIRLING: [f64; 8] = [
        -2.955_065_359_477_124e-2,
        6.410_256_410_256_41e-3,
        -1.917_526_917_526_917_6e-3,
        8.417_508_417_508_417e-4,
        -5.952_380_952_380_953e-4,
        7.936_507_936_507_937e-4,
        -2.777_777_777_777_778e-3,
        8.333_333_333_333_333e-2,
    ];
    let rn = 1.0 / n;
    let poly = STIRLING.iter().fold(0.0, |acc, c| acc * (rn / n) + c);
    n.ln() / 2.0 - n + (2.0 * PI).ln() / 2.0 + rn * poly
}

/// A dense square matrix, row-major.
struct Matrix {
    m: usize,
    a: Vec<f64>,
}

impl Matrix {
    fn zeros(m: usize) -> Matrix {
        Matrix { m, a: vec![0.0; m * m] }
    }

    fn identity(m: usize) -> Matrix {
        let mut id = Matrix::zeros(m);
        for i in 0..m {
            id.a[i * m + i] = 1.0;
        }
        id
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.a[i * self.m + j]
    }

    fn set(&mut self, i: usize, j: usize, v: f64) {
        self.a[i * self.m + j] = v;
    }

    fn mul(&self, other: &Matrix) -> Matrix {
        let m = self.m;
        let mut out = Matrix::zeros(m);
        for i in 0..m {
            let row = &mut out.a[i * m..(i + 1) * m];
            for k in 0..m {
                let aik = self.a[i * m + k];
                if aik == 0.0 {
                    continue;
                }
                for (o, b) in row.iter_mut().zip(&other.a[k * m..(k + 1) * m]) {
                    *o += aik * b;
                }
            }
        }
        out
    }
}

/// `P(D_n <= d)` by Durbin's matrix, computed as Marsaglia, Tsang & Wang do: with
/// `d = (k - h)/n`, the `(k, k)` entry of `n!/n^n · H^n` for an `(2k-1)`-square `H`.
fn durbin_cdf(n: u64, d: f64) -> f64 {
    if d >= 1.0 {
        return 1.0;
    }
    let nf = n as f64;
    let nd = nf * d;
    if nd <= 0.5 {
        return 0.0;
    }
    let k = nd.ceil() as usize;
    let h = k as f64 - nd;
    let m = 2 * k - 1;

    // v[j] = (1 - h^(j+1)) / (j+1)!, w[j] = 1/j!.
    let mut v = vec![0.0; m];
    let mut w = vec![0.0; m];
    let mut fac = 1.0;
    for j in 1..=m {
        w[j - 1] = fac;
        fac /= j as f64;
        v[j - 1] = (1.0 - h.powi(j as i32)) * fac;
    }
    let tt = (2.0 * h - 1.0).max(0.0).powi(m as i32) - 2.0 * h.powi(m as i32);
    v[m - 1] = (1.0 + tt) * fac;

    let mut hm = Matrix::zeros(m);
    for i in 1..m {
        for r in (i - 1)..m {
            hm.set(r, i, w[r - (i - 1)]);
        }
    }
    for (r, vr) in v.iter().enumerate() {
        hm.set(r, 0, *vr);
    }
    for c in 0..m {
        hm.set(m - 1, c, v[m - 1 - c]);
    }

    let mut power = Matrix::identity(m);
    let mut nn = n;
    let mut expnt: i64 = 0;
    let mut h_expnt: i64 = 0;
    while nn > 0 {
        if nn % 2 == 1 {
            power = power.mul(&hm);
            expnt += h_expnt;
        }
        hm = hm.mul(&hm);
        h_expnt *= 2;
        if hm.at(k - 1, k - 1).abs() > EP128 {
            for x in &mut hm.a {
                *x /= EP128;
            }
            h_expnt += i64::from(E128);
        }
        nn /= 2;
    }

    let mut p = power.at(k - 1, k - 1);
    for i in 1..=n {
        p = i as f64 * p / nf;
        if p.abs() < EM128 {
            p *= EP128;
            expnt -= i64::from(E128);
        }
    }
    if expnt != 0 {
        p = ldexp(p, expnt);
    }
    clip(p)
}

/// The ends of the interval of row `i` in Pomeranz's recursion.
fn pomeranz_j1j2(i: i64, n: i64, ll: i64, ceilf: i64, roundf: i64) -> (i64, i64) {
    let (j1, j2) = if i == 0 {
        (-ll - ceilf - 1, ll + ceilf - 1)
    } else {
        let (ip1div2, ip1mod2) = ((i + 1) / 2, (i + 1) % 2);
        if ip1mod2 == 0 {
            if ip1div2 == n + 1 {
                (n - ll - ceilf - 1, n + ll + ceilf - 1)
            } else {
                (ip1div2 - 1 - ll - roundf - 1, ip1div2 + ll - 1 + ceilf - 1)
            }
        } else {
            (ip1div2 - 1 - ll - 1, ip1div2 + ll + roundf - 1)
        }
    };
    ((j1 + 2).max(0), j2.min(n))
}

/// `P(D_n <= x)` by Pomeranz's recursion: each row is the previous one convolved with
/// (unnormalised) Poisson probabilities; the answer is `n!` times the last entry.
fn pomeranz_cdf(n: u64, x: f64) -> f64 {
    let nf = n as f64;
    let ni = n as i64;
    let t = nf * x;
    let ll = t.floor() as i64;
    let f = t - ll as f64;
    let g = f.min(1.0 - f);
    let ceilf = i64::from(f > 0.0);
    let roundf = i64::from(f > 0.5);
    let npwrs = (2 * (ll + 1)) as usize;
    let mut gpower = vec![1.0; npwrs];
    let mut twogpower = vec![1.0; npwrs];
    let mut onem2gpower = vec![1.0; npwrs];
    let (g_over_n, two_g_over_n, one_minus_two_g_over_n) = (g / nf, 2.0 * g / nf, (1.0 - 2.0 * g) / nf);
    for m in 1..npwrs {
        gpower[m] = gpower[m - 1] * g_over_n / m as f64;
        twogpower[m] = twogpower[m - 1] * two_g_over_n / m as f64;
        onem2gpower[m] = onem2gpower[m - 1] * one_minus_two_g_over_n / m as f64;
    }

    let mut v0 = vec![0.0; npwrs];
    let mut v1 = vec![0.0; npwrs];
    v1[0] = 1.0;
    let (mut v0s, mut v1s): (i64, i64) = (0, 0);
    let mut expnt: i64 = 0;

    let (mut j1, _) = pomeranz_j1j2(0, ni, ll, ceilf, roundf);
    for i in 1..(2 * ni + 2) {
        let k1 = j1;
        std::mem::swap(&mut v0, &mut v1);
        std::mem::swap(&mut v0s, &mut v1s);
        v1.fill(0.0);
        let j2;
        (j1, j2) = pomeranz_j1j2(i, ni, ll, ceilf, roundf);
        let pwrs = if i == 1 || i == 2 * ni + 1 {
            &gpower
        } else if i % 2 == 1 {
            &twogpower
        } else {
            &onem2gpower
        };
        let ln2 = j2 - k1 + 1;
        if ln2 > 0 {
            // numpy's slice V0[k1 - V0s : k1 - V0s + ln2], clamped to the row as numpy does.
            let start = (k1 - v0s).clamp(0, npwrs as i64) as usize;
            let end = (k1 - v0s + ln2).clamp(0, npwrs as i64) as usize;
            let a = &v0[start..end.max(start)];
            let b = &pwrs[..(ln2 as usize).min(npwrs)];
            let conv_start = (j1 - k1) as usize;
            let conv_len = (j2 - j1 + 1).max(0) as usize;
            for (out_i, slot) in v1.iter_mut().enumerate().take(conv_len) {
                let idx = conv_start + out_i;
                // Full convolution: conv[idx] = sum a[p] b[idx - p].
                let mut sum = 0.0;
                for (p, ap) in a.iter().enumerate() {
                    if p <= idx && idx - p < b.len() {
                        sum += ap * b[idx - p];
                    }
                }
                *slot = sum;
            }
            let max = v1.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if 0.0 < max && max < EM128 {
                for x in &mut v1 {
                    *x *= EP128;
                }
                expnt -= i64::from(E128);
            }
            v1s = v0s + j1 - k1;
        }
    }

    let idx = ni - v1s;
    let mut ans = if (0..npwrs as i64).contains(&idx) {
        v1[idx as usize]
    } else {
        0.0
    };
    for m in 1..=n {
        if ans.abs() > EP128 {
            ans *= EM128;
            expnt += i64::from(E128);
        }
        ans *= m as f64;
    }
    if expnt != 0 {
        ans = ldexp(ans, expnt);
    }
    clip(ans)
}

/// The Pelz–Good approximation of `P(D_n <= x)`: the Li-Chien/Korolyuk expansion
/// `K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5` (`z = x√n`) in its small-`z` form.
fn pelz_good_cdf(n: u64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let nf = n as f64;
    let z = nf.sqrt() * x;
    let (zsquared, zthree, zfour, zsix) = (z * z, z.powi(3), z.powi(4), z.powi(6));
    let pi2 = PI * PI;
    let pi4 = pi2 * pi2;
    let pi6 = pi4 * pi2;

    let qlog = -pi2 / 8.0 / zsquared;
    if qlog < MIN_LOG {
        return 0.0;
    }
    let q = qlog.exp();

    let k1a = -zsquared;
    let k1b = pi2 / 4.0;
    let k2a = 6.0 * zsix + 2.0 * zfour;
    let k2b = (2.0 * zfour - 5.0 * zsquared) * pi2 / 4.0;
    let k2c = pi4 * (1.0 - 2.0 * zsquared) / 16.0;
    let k3d = pi6 * (5.0 - 30.0 * zsquared) / 64.0;
    let k3c = pi4 * (-60.0 * zsquared + 212.0 * zfour) / 16.0;
    let k3b = pi2 * (135.0 * zfour - 96.0 * zsix) / 4.0;
    let k3a = -30.0 * zsix - 90.0 * z.powi(8);

    let mut k = [0.0f64; 4];
    let maxk = (16.0 * z / PI).ceil() as i64;
    for kk in (1..=maxk).rev() {
        let m = (2 * kk - 1) as f64;
        let (msquared, mfour, msix) = (m * m, m.powi(4), m.powi(6));
        let qpower = q.powf(8.0 * kk as f64);
        let coeffs = [
            1.0,
            k1a + k1b * msquared,
            k2a + k2b * msquared + k2c * mfour,
            k3a + k3b * msquared + k3c * mfour + k3d * msix,
        ];
        for (ki, c) in k.iter_mut().zip(coeffs) {
            *ki = *ki * qpower + c;
        }
    }
    let sqrt2pi = (2.0 * PI).sqrt();
    let divisors = [z, 6.0 * zfour, 72.0 * z.powi(7), 6480.0 * z.powi(10)];
    for (ki, dv) in k.iter_mut().zip(divisors) {
        *ki = *ki * q * sqrt2pi / dv;
    }

    let q = (-pi2 / 2.0 / zsquared).exp();
    let sqrt3z = 3f64.sqrt() * z;
    let (mut k2extra, mut k3extra) = (0.0, 0.0);
    for kk in (1..=maxk).rev() {
        let ks = kk as f64;
        let ksquared = ks * ks;
        let qp = q.powf(ksquared);
        let kspi = PI * ks;
        k2extra += ksquared * qp;
        k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qp;
    }
    k[2] += k2extra * pi2 * sqrt2pi / (-36.0 * zthree);
    k[3] += k3extra * pi2 * sqrt2pi / (216.0 * zsix);
    (0..4).map(|i| k[i] / nf.powf(i as f64 / 2.0)).sum()
}

/// `P(D+_n > x)` for the one-sided statistic (scipy's `special.smirnov(n, x)`), by
/// Birnbaum–Tingey's sum `x Σ_{v < n(1-x)} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)`, each term
/// taken through its logarithm so that the binomial never overflows.
fn smirnov_sf(n: u64, x: f64) -> f64 {
    if x.is_nan() || !(0.0..=1.0).contains(&x) {
        return f64::NAN;
    }
    if n == 1 {
        return 1.0 - x;
    }
    if x == 0.0 {
        return 1.0;
    }
    if x == 1.0 {
        return 0.0;
    }
    let nf = n as f64;
    let nx = nf * x;
    if nx <= 1.0 {
        // x <= 1/n: P(D+ <= x) = x (1 + x)^(n-1).
        return 1.0 - x * (1.0 + x).powf(nf - 1.0);
    }
    if -2.0 * nf * x * x < CEPHES_MINLOG {
        return 0.0;
    }
    if nx.floor() >= nf - 1.0 {
        return (1.0 - x).powf(nf);
    }
    if n > SMIRNOV_MAX_COMPUTE_N {
        // scipy's approximation for very large n: p ~ exp(-(6nx + 1)² / 18n).
        return (-(6.0 * nx + 1.0).powi(2) / 18.0 / nf).exp();
    }
    let mut sum = 0.0;
    let mut ln_binom = 0.0; // ln C(n, v)
    for v in 0..n {
        let vf = v as f64;
        let rest = (nf - vf) / nf - x; // 1 - x - v/n
        if rest <= 0.0 {
            break;
        }
        let lead = vf / nf + x; // x + v/n
        let term = ln_binom + (vf - 1.0) * lead.ln() + (nf - vf) * rest.ln();
        if term > MIN_LOG {
            sum += term.exp();
        }
        ln_binom += ((nf - vf) / (vf + 1.0)).ln();
    }
    clip(x * sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from scipy 1.17: `scipy.stats.kstwo.sf(x, n)`, one per branch.
    #[test]
    fn matches_scipy_kstwo_sf() {
        let cases: &[(u64, f64, f64)] = &[
            (10, 0.04, 1.0),                         // below the support
            (10, 0.08, 0.999_997_805_803_405_4),     // Ruben–Gambino, lower
            (10, 0.95, 1.953_125_000_000_017_2e-13), // Ruben–Gambino, upper
            (10, 0.6, 0.000_568_167_200_000_000_3),  // x >= 0.5
            (50, 0.1, 0.662_311_270_465_818_6),      // Durbin (n <= 140)
            (50, 0.2, 0.031_438_777_769_532_41),     // Pomeranz
            (50, 0.35, 5.573_523_514_803_185e-6),    // Smirnov (n <= 140)
            (500, 0.03, 0.747_316_670_045_702_1),    // Durbin (n > 140)
            (500, 0.06, 0.052_434_634_890_262_23),   // Smirnov (n > 140)
            (5000, 0.015, 0.208_461_420_961_862_04), // Pelz–Good
            (100_000, 0.003, 0.328_456_332_772_695_6),
            (2_000_000, 0.001, 0.036_606_624_319_704_85), // Smirnov's large-n approximation
        ];
        for &(n, x, want) in cases {
            let got = kstwo_sf(n, x);
            assert!(
                (got - want).abs() <= 1e-9 * want + 1e-15,
                "kstwo.sf({x}, {n}) = {got}, scipy says {want}"
            );
        }
    }
}
