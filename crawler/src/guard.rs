//! Never a tool against its own network (不被利用探测内网): the guard on every address xunjian
//! connects to.
//!
//! The crawler follows links that strangers wrote. A hacked page (暗链 are common) may link to
//! `http://169.254.169.254/` (a cloud's metadata service), `http://100.100.100.200/` (Alibaba
//! Cloud's), the office's own intranet or the inspector's loopback; a name may resolve to such an
//! address. Fetching them would make the inspector a scanner of the network it runs in. So an
//! address in an internal range is refused unless its host is one the seeds name (the operator
//! chose to inspect it) or its range is allowed in the seeds (`[defaults] allow_networks`).
//!
//! The check sits inside the resolver the HTTP client connects through ([`GuardedResolver`]): the
//! addresses it lets through are the very addresses connected to, so a name cannot answer a
//! public address to a check and an internal one to the connect (DNS rebinding). Literal
//! addresses in URLs never reach a resolver and are checked by [`NetworkGuard::refuses_url`]
//! before each request, redirect hops included. A refused fetch is [`FailKind::Internal`]
//! (reported as not checked), never a broken link.
//!
//! [`FailKind::Internal`]: xunjian_model::observe::FailKind::Internal

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// Which internal addresses may be connected to.
#[derive(Debug, Clone, Default)]
pub struct NetworkGuard {
    /// Hosts the seeds name (sites, columns, feeds, platforms, reference URLs): always allowed,
    /// whatever they resolve to.
    trusted_hosts: HashSet<String>,
    /// Internal ranges the seeds allow.
    allowed: Vec<IpNet>,
    /// No guard at all (benchmarks against one's own servers).
    open: bool,
}

impl NetworkGuard {
    /// A guard that trusts `hosts` and allows the internal ranges `allowed`.
    pub fn new(hosts: impl IntoIterator<Item = String>, allowed: Vec<IpNet>) -> NetworkGuard {
        NetworkGuard {
            trusted_hosts: hosts
                .into_iter()
                .map(|h| h.trim_matches(['[', ']']).to_ascii_lowercase())
                .collect(),
            allowed,
            open: false,
        }
    }

    /// A guard that refuses nothing.
    pub fn open() -> NetworkGuard {
        NetworkGuard {
            open: true,
            ..NetworkGuard::default()
        }
    }

    /// Whether `host` may be connected to at `ip`.
    pub fn permits(&self, host: &str, ip: IpAddr) -> bool {
        self.open
            || !is_internal(ip)
            || self.allowed.iter().any(|n| n.contains(&ip))
            || self
                .trusted_hosts
                .contains(&host.trim_matches(['[', ']']).to_ascii_lowercase())
    }

    /// Whether `url` names a literal internal address the guard refuses (names are checked when
    /// they resolve).
    pub fn refuses_url(&self, url: &Url) -> bool {
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            _ => return false,
        };
        !self.permits(url.host_str().unwrap_or(""), ip)
    }
}

/// Whether `ip` is loopback, private, link-local, shared (CGNAT), unspecified, multicast,
/// broadcast, documentation, or a cloud metadata address: anything that is not the public
/// internet. IPv4 written inside IPv6 (`::ffff:10.0.0.1`, `64:ff9b::a00:1`) counts as the IPv4.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_v4(v6) {
                return internal_v4(v4);
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || first & 0xfe00 == 0xfc00 // unique local fc00::/7 (incl. fd00:ec2::254)
                || first & 0xffc0 == 0xfe80 // link-local fe80::/10
                || first & 0xffc0 == 0xfec0 // site-local fec0::/10 (deprecated, still routed)
                || first == 0x2001 && v6.segments()[1] == 0x0db8 // documentation
        }
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16: AWS, GCP, Azure, Tencent metadata
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || a == 100 && (64..128).contains(&b) // 100.64/10 shared address space; 100.100.100.200 (Alibaba metadata)
        || a == 192 && b == 0 && c == 0 // 192.0.0/24 protocol assignments
        || a == 198 && (18..20).contains(&b) // 198.18/15 benchmarking
        || a >= 240 // reserved
}

/// The IPv4 address an IPv6 address carries (mapped, compatible, NAT64), if any.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    let nat64 = s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4];
    let compatible = s[..6] == [0; 6] && !ip.is_loopback() && !ip.is_unspecified();
    (nat64 || compatible).then_some(tail)
}

/// Why a name was not connected to: every address it resolved to is internal.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves only to internal addresses, which xunjian does not connect to")]
pub struct InternalAddress {
    /// The name.
    pub host: String,
}

/// The future of one lookup.
pub type LookupFuture = Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send>>;

/// Where names are resolved: the system resolver in production, a table in tests (so that no
/// test needs, or sends a packet to, anything but loopback).
pub trait Lookup: Send + Sync + std::fmt::Debug {
    /// The addresses of `host`.
    fn lookup(&self, host: &str) -> LookupFuture;
}

/// The operating system's resolver (getaddrinfo, through tokio).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(&self, host: &str) -> LookupFuture {
        let host = host.to_string();
        Box::pin(async move {
            Ok(tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .map(|a| a.ip())
                .collect())
        })
    }
}

/// A fixed table of names and their addresses; any other name does not resolve.
#[derive(Debug, Clone, Default)]
pub struct StaticLookup {
    table: HashMap<String, Vec<IpAddr>>,
}

impl StaticLookup {
    /// A table from `(name, addresses)` pairs.
    pub fn new<'a>(entries: impl IntoIterator<Item = (&'a str, Vec<IpAddr>)>) -> StaticLookup {
        StaticLookup {
            table: entries
                .into_iter()
                .map(|(name, ips)| (name.to_ascii_lowercase(), ips))
                .collect(),
        }
    }
}

impl Lookup for StaticLookup {
    fn lookup(&self, host: &str) -> LookupFuture {
        let found = self.table.get(&host.to_ascii_lowercase()).cloned();
        let host = host.to_string();
        Box::pin(async move {
            found.ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("failed to lookup address information: {host} is not in the table"),
                )
            })
        })
    }
}

/// The resolver the HTTP client connects through: a [`Lookup`] whose internal answers the
/// [`NetworkGuard`] refuses are dropped before any connection is tried.
#[derive(Debug)]
pub struct GuardedResolver {
    lookup: Arc<dyn Lookup>,
    guard: Arc<NetworkGuard>,
}

impl GuardedResolver {
    /// Resolve through `lookup`, keeping what `guard` permits.
    pub fn new(lookup: Arc<dyn Lookup>, guard: Arc<NetworkGuard>) -> GuardedResolver {
        GuardedResolver { lookup, guard }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let lookup = self.lookup.lookup(&host);
        let guard = self.guard.clone();
        Box::pin(async move {
            let ips = lookup.await?;
            let permitted: Vec<SocketAddr> = ips
                .iter()
                .filter(|ip| guard.permits(&host, **ip))
                .map(|ip| SocketAddr::new(*ip, 0))
                .collect();
            if permitted.is_empty() && !ips.is_empty() {
                tracing::warn!(
                    host,
                    "not connecting: the name resolves only to internal addresses"
                );
                return Err(Box::new(InternalAddress { host }) as _);
            }
            Ok(Box::new(permitted.into_iter()) as Addrs)
        })
    }
}

/// Whether a client error is the guard's refusal.
pub fn is_refusal(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(e);
    while let Some(s) = source {
        if s.is::<InternalAddress>() {
            return true;
        }
        source = s.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn internal_ranges_are_recognised_and_public_ones_are_not() {
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(is_internal(ip(internal)), "{internal} is internal");
        }
        for public in [
            "8.8.8.8",
            "202.108.22.5",
            "172.32.0.1",
            "100.128.0.1",
            "2400:3200::1",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_internal(ip(public)), "{public} is public");
        }
    }

    #[test]
    fn seeded_hosts_and_allowed_ranges_pass_everything_else_internal_does_not() {
        let guard = NetworkGuard::new(
            [
                "intranet.example.gov.cn".to_string(),
                "127.0.0.1".to_string(),
            ],
            vec!["10.20.0.0/16".parse().unwrap()],
        );
        assert!(guard.permits("intranet.example.gov.cn", ip("10.9.9.9")));
        assert!(guard.permits("other.example", ip("10.20.3.4")));
        assert!(!guard.permits("other.example", ip("10.21.3.4")));
        assert!(!guard.permits("other.example", ip("169.254.169.254")));
        assert!(guard.permits("other.example", ip("8.8.8.8")));
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(!guard.refuses_url(&url("http://127.0.0.1:8080/")));
        assert!(guard.refuses_url(&url("http://169.254.169.254/latest/meta-data/")));
        assert!(guard.refuses_url(&url("http://[::1]:8080/")));
        assert!(guard.refuses_url(&url("http://0x7f.0.0.2/"))); // WHATWG parses it as 127.0.0.2
        assert!(!guard.refuses_url(&url("http://metadata.example/")));
        assert!(!NetworkGuard::open().refuses_url(&url("http://10.0.0.1/")));
    }

    #[tokio::test]
    async fn the_resolver_drops_internal_answers_and_refuses_names_with_only_those() {
        let lookup = Arc::new(StaticLookup::new([
            ("mixed.test", vec![ip("10.0.0.1"), ip("202.108.22.5")]),
            ("metadata.test", vec![ip("169.254.169.254")]),
        ]));
        let resolver = GuardedResolver::new(lookup, Arc::new(NetworkGuard::default()));
        let name = |s: &str| s.parse::<Name>().unwrap();
        let kept: Vec<SocketAddr> = resolver
            .resolve(name("mixed.test"))
            .await
            .unwrap()
            .collect();
        assert_eq!(kept, vec![SocketAddr::new(ip("202.108.22.5"), 0)]);
        let Err(refused) = resolver.resolve(name("metadata.test")).await else {
            panic!("an internal-only name must be refused");
        };
        assert!(is_refusal(refused.as_ref()));
        let Err(unknown) = resolver.resolve(name("nowhere.test")).await else {
            panic!("a name not in the table does not resolve");
        };
        assert!(!is_refusal(unknown.as_ref()));
    }
}
