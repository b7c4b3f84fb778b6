//! Network functions over IPv4 and IPv6 prefixes, computed as integers: `cidrhost`,
//! `cidrnetmask`, `cidrsubnet`, `cidrsubnets`.

use super::*;

pub(super) struct Cidr {
    /// The network address (host bits cleared).
    network: u128,
    prefix: u32,
    /// 32 or 128.
    bits: u32,
}

impl Cidr {
    fn format_addr(&self, addr: u128) -> String {
        if self.bits == 32 {
            std::net::Ipv4Addr::from(addr as u32).to_string()
        } else {
            std::net::Ipv6Addr::from(addr).to_string()
        }
    }
    fn host_bits(&self) -> u32 {
        self.bits - self.prefix
    }
}

pub(super) fn mask(bits: u32, prefix: u32) -> u128 {
    let all = if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 };
    let host = bits - prefix;
    if host >= 128 {
        0
    } else {
        all & !((1u128 << host) - 1) & all
    }
}

pub(super) fn cidr_arg(a: &[Value], i: usize, cx: &Cx) -> Result<Cidr, Fail> {
    let s = str_arg(a, i)?;
    let bad = || {
        Fail::Param(
            i,
            format!("invalid CIDR expression: invalid CIDR address: {}", cx.show(i, &s)),
        )
    };
    let (addr, prefix) = s.split_once('/').ok_or_else(bad)?;
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let prefix: u32 = prefix.parse().map_err(|_| bad())?;
    let (value, bits) = match addr.parse::<std::net::IpAddr>().map_err(|_| bad())? {
        std::net::IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        std::net::IpAddr::V6(v6) => (u128::from(v6), 128),
    };
    if prefix > bits {
        return Err(bad());
    }
    Ok(Cidr {
        network: value & mask(bits, prefix),
        prefix,
        bits,
    })
}

pub(super) fn pow2(n: u32) -> Option<u128> {
    1u128.checked_shl(n)
}

pub(super) fn f_cidrsubnet(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let c = cidr_arg(a, 0, cx)?;
    let newbits = int_arg(a, 1)?;
    let netnum = int_arg(a, 2)?;
    if newbits < 0 {
        return Err(Fail::Param(1, "must not be negative".into()));
    }
    let newlen = c.prefix as i64 + newbits;
    if newlen > c.bits as i64 {
        return Err(call_err(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            c.prefix
        )));
    }
    let fits = netnum >= 0 && pow2(newbits as u32).is_none_or(|max| (netnum as u128) < max);
    if !fits {
        return Err(call_err(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        )));
    }
    let shift = c.bits - newlen as u32;
    let addr = c.network | (netnum as u128).checked_shl(shift).unwrap_or(0);
    Ok(Value::String(format!("{}/{newlen}", c.format_addr(addr))))
}

pub(super) fn f_cidrhost(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let c = cidr_arg(a, 0, cx)?;
    let hostnum = int_arg(a, 1)?;
    let size = pow2(c.host_bits());
    let offset = if hostnum >= 0 {
        let h = hostnum as u128;
        size.is_none_or(|s| h < s).then_some(h)
    } else {
        let back = hostnum.unsigned_abs() as u128;
        match size {
            Some(s) if back <= s => Some(s - back),
            Some(_) => None,
            None => Some(u128::MAX - back + 1),
        }
    };
    let Some(offset) = offset else {
        return Err(call_err(format!(
            "prefix of {} does not accommodate a host numbered {hostnum}",
            c.prefix
        )));
    };
    Ok(Value::String(c.format_addr(c.network | offset)))
}

pub(super) fn f_cidrnetmask(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let c = cidr_arg(a, 0, cx)?;
    if c.bits != 32 {
        return Err(Fail::Param(0, "IPv6 addresses cannot have a netmask".into()));
    }
    Ok(Value::String(c.format_addr(mask(32, c.prefix))))
}

pub(super) fn f_cidrsubnets(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let c = cidr_arg(a, 0, cx)?;
    let modulus = pow2(c.bits);
    let wrap = |x: u128| modulus.map_or(x, |m| x % m);
    let block = |len: u32| pow2(c.bits - len);
    // The subnet before the base network, as Terraform's allocator starts from there.
    let mut current_start = wrap(c.network.wrapping_sub(block(c.prefix).unwrap_or(0)));
    let mut current_len = c.prefix;
    let mut first = true;
    let mut out = Vec::new();
    for i in 1..a.len() {
        let newbits = int_arg(a, i)?;
        if newbits < 1 {
            return Err(Fail::Param(i, "must extend prefix by at least one bit".into()));
        }
        if newbits > 32 {
            return Err(Fail::Param(i, "may not extend prefix by more than 32 bits".into()));
        }
        let len = c.prefix + newbits as u32;
        if len > c.bits {
            return Err(Fail::Param(
                i,
                format!(
                    "would extend prefix to {len} bits, which is too long for an IPv{} address",
                    if c.bits == 32 { 4 } else { 6 }
                ),
            ));
        }
        // The last address of the current subnet, masked to the new length, then one block on.
        let current_last = wrap(current_start.wrapping_add(block(current_len).map_or(u128::MAX, |b| b - 1)));
        let base = current_last & mask(c.bits, len);
        let next = wrap(base.wrapping_add(block(len).unwrap_or(0)));
        let inside = (next & mask(c.bits, c.prefix)) == c.network;
        let rollover = next == 0 && !(first && c.network == 0);
        if rollover || !inside {
            return Err(Fail::Param(
                i,
                format!(
                    "not enough remaining address space for a subnet with a prefix of {len} bits after {}/{current_len}",
                    c.format_addr(current_start)
                ),
            ));
        }
        current_start = next;
        current_len = len;
        first = false;
        out.push(format!("{}/{len}", c.format_addr(next)));
    }
    Ok(strings(out))
}
