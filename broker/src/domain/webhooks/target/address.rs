//! What kind of address an IP address is: public, or one of the special-purpose ranges a
//! webhook must not reach unless the operator allows it (loopback, private, link-local, …).
//! Pure; an IPv6 address that embeds an IPv4 one is judged by the IPv4 address.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What kind of address an IP address is, for deciding whether a webhook may call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    /// Reachable on the internet.
    Public,
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16; also IPv6 site-local fec0::/10.
    Private,
    /// 169.254.0.0/16 (cloud metadata services live here), fe80::/10.
    LinkLocal,
    /// fc00::/7.
    UniqueLocal,
    /// 100.64.0.0/10, carrier-grade NAT.
    SharedAddressSpace,
    /// 0.0.0.0, ::.
    Unspecified,
    /// 0.0.0.0/8 ("this network").
    ThisNetwork,
    /// 224.0.0.0/4, ff00::/8.
    Multicast,
    /// 255.255.255.255.
    Broadcast,
    /// 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20.
    Documentation,
    /// 198.18.0.0/15, network benchmarking.
    Benchmarking,
    /// Reserved or special-purpose: 240.0.0.0/4, 192.0.0.0/24, 192.88.99.0/24, 100::/64,
    /// 64:ff9b:1::/48, deprecated IPv4-compatible IPv6.
    Reserved,
}

impl AddressClass {
    /// Whether a webhook may call such an address without the operator allowing it.
    pub fn is_public(self) -> bool {
        self == Self::Public
    }
}

impl fmt::Display for AddressClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Public => "a public address",
            Self::Loopback => "a loopback address",
            Self::Private => "a private address",
            Self::LinkLocal => "a link-local address",
            Self::UniqueLocal => "a unique-local address",
            Self::SharedAddressSpace => "a shared (carrier-grade NAT) address",
            Self::Unspecified => "the unspecified address",
            Self::ThisNetwork => "a this-network (0.0.0.0/8) address",
            Self::Multicast => "a multicast address",
            Self::Broadcast => "the broadcast address",
            Self::Documentation => "a documentation address",
            Self::Benchmarking => "a benchmarking address",
            Self::Reserved => "a reserved address",
        })
    }
}

/// What kind of address `address` is. An IPv6 address that carries an IPv4 one (mapped
/// `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::`)
/// is classified by the IPv4 address, since that is what a connection to it reaches.
pub fn classify(address: IpAddr) -> AddressClass {
    match address {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(address: Ipv4Addr) -> AddressClass {
    let [a, b, c, _] = address.octets();
    if address.is_unspecified() {
        AddressClass::Unspecified
    } else if a == 0 {
        AddressClass::ThisNetwork
    } else if address.is_loopback() {
        AddressClass::Loopback
    } else if address.is_private() {
        AddressClass::Private
    } else if address.is_link_local() {
        AddressClass::LinkLocal
    } else if a == 100 && (b & 0xc0) == 64 {
        AddressClass::SharedAddressSpace
    } else if address.is_broadcast() {
        AddressClass::Broadcast
    } else if address.is_multicast() {
        AddressClass::Multicast
    } else if address.is_documentation() {
        AddressClass::Documentation
    } else if a == 198 && (b & 0xfe) == 18 {
        AddressClass::Benchmarking
    } else if a >= 240 || (a == 192 && b == 0 && c == 0) || (a == 192 && b == 88 && c == 99) {
        AddressClass::Reserved
    } else {
        AddressClass::Public
    }
}

fn classify_v6(address: Ipv6Addr) -> AddressClass {
    let segments = address.segments();
    let embedded_v4 = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    if address.is_unspecified() {
        return AddressClass::Unspecified;
    }
    if address.is_loopback() {
        return AddressClass::Loopback;
    }
    if let Some(v4) = address.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    // IPv4-compatible ::a.b.c.d (deprecated): what it embeds if that is not public, else
    // reserved, since nothing legitimate uses it any more.
    if segments[..6] == [0; 6] {
        let class = classify_v4(embedded_v4(segments[6], segments[7]));
        return if class.is_public() {
            AddressClass::Reserved
        } else {
            class
        };
    }
    // NAT64 well-known prefix 64:ff9b::/96 reaches the embedded IPv4 address.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return classify_v4(embedded_v4(segments[6], segments[7]));
    }
    // 6to4 2002::/16 embeds an IPv4 address in its next 32 bits.
    if segments[0] == 0x2002 {
        let class = classify_v4(embedded_v4(segments[1], segments[2]));
        if !class.is_public() {
            return class;
        }
    }
    let first = segments[0];
    if first & 0xff00 == 0xff00 {
        AddressClass::Multicast
    } else if first & 0xffc0 == 0xfe80 {
        AddressClass::LinkLocal
    } else if first & 0xffc0 == 0xfec0 {
        AddressClass::Private
    } else if first & 0xfe00 == 0xfc00 {
        AddressClass::UniqueLocal
    } else if (first == 0x2001 && segments[1] == 0x0db8)
        || (first == 0x3fff && segments[1] & 0xf000 == 0)
    {
        AddressClass::Documentation
    } else if (segments[..4] == [0x100, 0, 0, 0]) || (segments[..3] == [0x64, 0xff9b, 1]) {
        AddressClass::Reserved
    } else {
        AddressClass::Public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn addresses_are_classified() {
        use AddressClass::*;
        let table = [
            ("8.8.8.8", Public),
            ("1.1.1.1", Public),
            ("172.32.0.1", Public),
            ("100.128.0.1", Public),
            ("192.0.1.1", Public),
            ("223.255.255.255", Public),
            ("0.0.0.0", Unspecified),
            ("0.1.2.3", ThisNetwork),
            ("127.0.0.1", Loopback),
            ("127.255.255.254", Loopback),
            ("10.0.0.1", Private),
            ("172.16.0.1", Private),
            ("172.31.255.255", Private),
            ("192.168.1.1", Private),
            ("169.254.169.254", LinkLocal),
            ("100.64.0.1", SharedAddressSpace),
            ("100.127.255.255", SharedAddressSpace),
            ("224.0.0.1", Multicast),
            ("239.255.255.250", Multicast),
            ("255.255.255.255", Broadcast),
            ("192.0.2.1", Documentation),
            ("198.51.100.1", Documentation),
            ("203.0.113.1", Documentation),
            ("198.18.0.1", Benchmarking),
            ("198.19.255.255", Benchmarking),
            ("240.0.0.1", Reserved),
            ("192.0.0.8", Reserved),
            ("192.88.99.1", Reserved),
            ("2606:4700:4700::1111", Public),
            ("2001:4860:4860::8888", Public),
            ("::", Unspecified),
            ("::1", Loopback),
            ("fe80::1", LinkLocal),
            ("febf::1", LinkLocal),
            ("fec0::1", Private),
            ("fc00::1", UniqueLocal),
            ("fd12:3456::1", UniqueLocal),
            ("ff02::1", Multicast),
            ("2001:db8::1", Documentation),
            ("3fff::1", Documentation),
            ("3fff:1000::1", Public),
            ("2001:db9::1", Public),
            ("100::1", Reserved),
            ("64:ff9b:1::1", Reserved),
            // IPv4-mapped, -compatible, NAT64 and 6to4 are classified by what they embed.
            ("::ffff:127.0.0.1", Loopback),
            ("::ffff:10.1.2.3", Private),
            ("::ffff:169.254.169.254", LinkLocal),
            ("::ffff:8.8.8.8", Public),
            ("::127.0.0.1", Loopback),
            ("::10.0.0.1", Private),
            ("::8.8.8.8", Reserved),
            ("64:ff9b::127.0.0.1", Loopback),
            ("64:ff9b::192.168.0.1", Private),
            ("64:ff9b::8.8.8.8", Public),
            ("2002:7f00:1::1", Loopback),
            ("2002:a9fe:a9fe::1", LinkLocal),
            ("2002:808:808::1", Public),
        ];
        for (address, class) in table {
            assert_eq!(classify(ip(address)), class, "{address}");
        }
    }
}
