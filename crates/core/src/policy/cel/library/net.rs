//! Kubernetes' IP and CIDR libraries: `ip()`, `isIP()`, `cidr()`,
//! `isCIDR()` and their member functions.
//!
//! Addresses are read as Kubernetes reads them (Go's `netip`): no zones, no
//! IPv4-mapped IPv6 addresses, no leading zeros in IPv4 octets.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use cel::common::types::STRING_TYPE;
use cel::common::value::CowVal;
use cel::{DeclarationError, Env, ExecutionError};

use super::support::{arg, bool_out, fail, int_out, opaque_value, string_arg, string_out, Out};

/// An IP address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ip(IpAddr);

/// A prefix as written: its address (not masked) and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    address: IpAddr,
    length: u8,
}

opaque_value!(Ip, IP_TYPE, "net.IP");
opaque_value!(Cidr, CIDR_TYPE, "net.CIDR");

fn parse_ip(text: &str) -> Result<IpAddr, String> {
    if text.contains('%') {
        return Err(format!("IP address with zone value is not allowed: {text}"));
    }
    let address: IpAddr =
        text.parse().map_err(|_| format!("IP Address {text:?} parse error during conversion from string"))?;
    if let IpAddr::V6(v6) = address {
        if v6.to_ipv4_mapped().is_some() {
            return Err(format!("IPv4-mapped IPv6 address {text:?} is not allowed"));
        }
    }
    Ok(address)
}

fn parse_cidr(text: &str) -> Result<Cidr, String> {
    let wrong = || format!("network address parse error during conversion from string: {text:?}");
    let (address, length) = text.split_once('/').ok_or_else(wrong)?;
    let address = parse_ip(address).map_err(|_| wrong())?;
    let bits = if address.is_ipv4() { 32 } else { 128 };
    let length_ok = !length.is_empty()
        && length.len() <= 3
        && length.bytes().all(|b| b.is_ascii_digit())
        && (length == "0" || !length.starts_with('0'));
    let length: u8 = length.parse().ok().filter(|&n: &u8| length_ok && u32::from(n) <= bits).ok_or_else(wrong)?;
    Ok(Cidr { address, length })
}

fn bits(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

fn width(address: IpAddr) -> u32 {
    if address.is_ipv4() {
        32
    } else {
        128
    }
}

impl Cidr {
    fn masked(&self) -> Cidr {
        let width = width(self.address);
        let host_bits = width - u32::from(self.length);
        let mask = if host_bits >= 128 { 0 } else { !0u128 << host_bits };
        let value = bits(self.address) & mask;
        let address = match self.address {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from(value as u32)),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(value)),
        };
        Cidr { address, length: self.length }
    }

    fn contains(&self, address: IpAddr) -> bool {
        address.is_ipv4() == self.address.is_ipv4()
            && self.masked().address == Cidr { address, length: self.length }.masked().address
    }

    fn contains_cidr(&self, other: &Cidr) -> bool {
        other.length >= self.length && self.contains(other.address)
    }
}

fn ip_of(args: &[CowVal<'_, '_>], index: usize) -> Result<IpAddr, ExecutionError> {
    arg::<Ip>(args, index).map(|ip| ip.0)
}

fn cidr_of(args: &[CowVal<'_, '_>], index: usize) -> Result<Cidr, ExecutionError> {
    arg::<Cidr>(args, index).copied()
}

fn ip<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    parse_ip(string_arg(&args, 0)?).map(|address| CowVal::owned(Ip(address))).map_err(|message| fail("ip", message))
}

fn is_ip<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(parse_ip(string_arg(&args, 0)?).is_ok())
}

fn is_canonical<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let text = string_arg(&args, 0)?;
    let address = parse_ip(text).map_err(|message| fail("ip.isCanonical", message))?;
    bool_out(address.to_string() == text)
}

fn family<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    int_out(if ip_of(&args, 0)?.is_ipv4() { 4 } else { 6 })
}

fn is_unspecified<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(ip_of(&args, 0)?.is_unspecified())
}

fn is_loopback<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(ip_of(&args, 0)?.is_loopback())
}

fn is_link_local_multicast_address(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        IpAddr::V6(v6) => v6.segments()[0] & 0xff0f == 0xff02,
    }
}

fn is_link_local_unicast_address(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => v4.octets()[..2] == [169, 254],
        IpAddr::V6(v6) => v6.segments()[0] & 0xffc0 == 0xfe80,
    }
}

fn is_link_local_multicast<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(is_link_local_multicast_address(ip_of(&args, 0)?))
}

fn is_link_local_unicast<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(is_link_local_unicast_address(ip_of(&args, 0)?))
}

/// Go's `IsGlobalUnicast`: not unspecified, loopback, multicast, link-local
/// unicast or the IPv4 broadcast address.
fn is_global_unicast<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let address = ip_of(&args, 0)?;
    let broadcast = address == IpAddr::V4(Ipv4Addr::BROADCAST);
    bool_out(
        !address.is_unspecified()
            && !address.is_loopback()
            && !address.is_multicast()
            && !is_link_local_unicast_address(address)
            && !broadcast,
    )
}

fn ip_string<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    string_out(ip_of(&args, 0)?.to_string())
}

fn cidr<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    parse_cidr(string_arg(&args, 0)?).map(CowVal::owned).map_err(|message| fail("cidr", message))
}

fn is_cidr<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(parse_cidr(string_arg(&args, 0)?).is_ok())
}

fn contains_ip<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(cidr_of(&args, 0)?.contains(ip_of(&args, 1)?))
}

fn contains_ip_string<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let address = parse_ip(string_arg(&args, 1)?).map_err(|message| fail("containsIP", message))?;
    bool_out(cidr_of(&args, 0)?.contains(address))
}

fn contains_cidr<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(cidr_of(&args, 0)?.contains_cidr(&cidr_of(&args, 1)?))
}

fn contains_cidr_string<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let other = parse_cidr(string_arg(&args, 1)?).map_err(|message| fail("containsCIDR", message))?;
    bool_out(cidr_of(&args, 0)?.contains_cidr(&other))
}

fn cidr_ip<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    Ok(CowVal::owned(Ip(cidr_of(&args, 0)?.address)))
}

fn masked<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    Ok(CowVal::owned(cidr_of(&args, 0)?.masked()))
}

fn prefix_length<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    int_out(i64::from(cidr_of(&args, 0)?.length))
}

fn cidr_string<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let cidr = cidr_of(&args, 0)?;
    string_out(format!("{}/{}", cidr.address, cidr.length))
}

/// Registers the IP and CIDR libraries.
pub(super) fn register(env: &mut Env) -> Result<(), DeclarationError> {
    let ip_type = || IP_TYPE.to_owned();
    let cidr_type = || CIDR_TYPE.to_owned();
    env.add_type(ip_type())?;
    env.add_type(cidr_type())?;
    env.add_overload("ip", "string_to_ip", vec![STRING_TYPE], ip)?;
    env.add_overload("isIP", "is_ip_string", vec![STRING_TYPE], is_ip)?;
    env.add_overload("ip.isCanonical", "ip_is_canonical_string", vec![STRING_TYPE], is_canonical)?;
    env.add_member_overload("family", "ip_family", ip_type(), vec![], family)?;
    env.add_member_overload("isUnspecified", "ip_is_unspecified", ip_type(), vec![], is_unspecified)?;
    env.add_member_overload("isLoopback", "ip_is_loopback", ip_type(), vec![], is_loopback)?;
    env.add_member_overload(
        "isLinkLocalMulticast",
        "ip_is_link_local_multicast",
        ip_type(),
        vec![],
        is_link_local_multicast,
    )?;
    env.add_member_overload(
        "isLinkLocalUnicast",
        "ip_is_link_local_unicast",
        ip_type(),
        vec![],
        is_link_local_unicast,
    )?;
    env.add_member_overload("isGlobalUnicast", "ip_is_global_unicast", ip_type(), vec![], is_global_unicast)?;
    env.add_overload("string", "ip_to_string", vec![ip_type()], ip_string)?;
    env.add_overload("cidr", "string_to_cidr", vec![STRING_TYPE], cidr)?;
    env.add_overload("isCIDR", "is_cidr_string", vec![STRING_TYPE], is_cidr)?;
    env.add_member_overload("containsIP", "cidr_contains_ip_ip", cidr_type(), vec![ip_type()], contains_ip)?;
    env.add_member_overload(
        "containsIP",
        "cidr_contains_ip_string",
        cidr_type(),
        vec![STRING_TYPE],
        contains_ip_string,
    )?;
    env.add_member_overload("containsCIDR", "cidr_contains_cidr", cidr_type(), vec![cidr_type()], contains_cidr)?;
    env.add_member_overload(
        "containsCIDR",
        "cidr_contains_cidr_string",
        cidr_type(),
        vec![STRING_TYPE],
        contains_cidr_string,
    )?;
    env.add_member_overload("ip", "cidr_ip", cidr_type(), vec![], cidr_ip)?;
    env.add_member_overload("masked", "cidr_masked", cidr_type(), vec![], masked)?;
    env.add_member_overload("prefixLength", "cidr_prefix_length", cidr_type(), vec![], prefix_length)?;
    env.add_overload("string", "cidr_to_string", vec![cidr_type()], cidr_string)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_as_kubernetes_reads_them() {
        assert!(parse_ip("192.168.0.1").is_ok());
        assert!(parse_ip("2001:db8::1").is_ok());
        for bad in ["01.2.3.4", "::ffff:1.2.3.4", "fe80::1%eth0", "1.2.3", "", "1.2.3.4/8"] {
            assert!(parse_ip(bad).is_err(), "{bad}");
        }
        for bad in ["1.2.3.4", "1.2.3.4/33", "1.2.3.4/08", "::1/129", "/8", "1.2.3.4/"] {
            assert!(parse_cidr(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes_contain_and_mask() {
        let net = parse_cidr("10.0.0.0/8").unwrap();
        assert!(net.contains("10.1.2.3".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        assert!(!net.contains("::1".parse().unwrap()));
        assert!(net.contains_cidr(&parse_cidr("10.1.0.0/16").unwrap()));
        assert!(!net.contains_cidr(&parse_cidr("0.0.0.0/0").unwrap()));
        let written = parse_cidr("192.168.1.5/24").unwrap();
        assert_eq!(written.masked().address.to_string(), "192.168.1.0");
        assert_eq!(parse_cidr("::/0").unwrap().masked().address.to_string(), "::");
    }
}
