//! 检查端网络异常: whether the inspecting machine's own network failed during a run.
//!
//! A site that does not answer is a finding only when the inspector could have reached it. When
//! the machine running xunjian has no working resolver, or no outbound connection succeeds, every
//! outside site and link fails alike, and reporting them would send every department chasing its
//! own healthy site. The run itself is the evidence: all fetches of the run are tallied per
//! outside host (loopback and private addresses say nothing about the way out), and when enough
//! distinct hosts were tried and none of them resolved, or none answered at all, the fault is the
//! inspector's. One site failing while other outside hosts answer is still that site's finding.

use std::collections::BTreeMap;
use std::net::IpAddr;

use url::{Host, Url};
use xunjian_model::observe::{FailKind, FetchRecord};

/// Outside hosts that must have been tried, none reached, before the fault is the inspector's: one
/// or two unreachable hosts may be the sites' own fault (a method setting, not a national rule).
pub const MIN_OUTSIDE_HOSTS: usize = 3;

/// The inspector's own network fault, judged from a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectorFault {
    /// No outside host name resolved: the inspector's resolver is failing.
    Resolver {
        /// Distinct outside host names tried.
        hosts: usize,
    },
    /// Names resolved, but no outside host answered: outbound connections are failing.
    Outbound {
        /// Distinct outside hosts tried.
        hosts: usize,
    },
}

impl InspectorFault {
    /// Whether a failed fetch is what this fault makes every outside fetch do (then it is no
    /// evidence about the site or link it was for).
    pub fn explains(&self, fetch: &FetchRecord) -> bool {
        if fetch.status.is_some() || !is_outside(&fetch.url) {
            return false;
        }
        match self {
            InspectorFault::Resolver { .. } => fetch.error == Some(FailKind::Dns),
            InspectorFault::Outbound { .. } => matches!(
                fetch.error,
                Some(FailKind::Dns | FailKind::Connect | FailKind::Timeout | FailKind::Tls)
            ),
        }
    }

    /// The reason, in the words of the documents (检查端网络异常：…).
    pub fn reason_zh(&self) -> String {
        match self {
            InspectorFault::Resolver { hosts } => format!(
                "检查端网络异常：本次检查访问的{hosts}个外部域名均无法解析，检查端域名解析不可用"
            ),
            InspectorFault::Outbound { hosts } => format!(
                "检查端网络异常：本次检查访问的{hosts}个外部主机均无法连接，检查端对外网络不可用"
            ),
        }
    }
}

/// How the fetches to one outside host went.
#[derive(Debug, Default, Clone, Copy)]
struct HostOutcome {
    /// A fetch got an HTTP answer.
    answered: bool,
    /// A fetch got past name resolution (an answer, or a failure after it).
    resolved: bool,
}

impl HostOutcome {
    /// Count one more fetch: its HTTP status and failure.
    fn count(&mut self, status: Option<u16>, error: Option<FailKind>) {
        self.answered |= status.is_some();
        self.resolved |= status.is_some() || error.is_some_and(|e| e != FailKind::Dns);
    }
}

/// The run's fetches tallied per outside host, to judge the inspector's network from (loopback
/// and private addresses, `localhost` among them, say nothing about the way out; `localhost`
/// resolves from the hosts file even without a resolver).
#[derive(Debug, Default)]
pub struct HostTally {
    hosts: BTreeMap<String, (bool, HostOutcome)>,
    /// The seeds' reference addresses fetched (how many, whether any answered, whether any
    /// resolved).
    references: (usize, HostOutcome),
}

impl HostTally {
    /// Count one fetch of the run: its URL, HTTP status and failure.
    pub fn add(&mut self, url: &str, status: Option<u16>, error: Option<FailKind>) {
        let not_reached = matches!(
            error,
            Some(FailKind::Disallowed | FailKind::Skipped | FailKind::Other | FailKind::Internal)
        ) && status.is_none();
        let Some((host, named)) = Url::parse(url)
            .ok()
            .filter(|_| !not_reached)
            .and_then(|u| outside_host(&u))
        else {
            // Never sent, failed for a reason of its own, or local: no evidence either way.
            return;
        };
        let (_, o) = self
            .hosts
            .entry(host)
            .or_insert((named, HostOutcome::default()));
        o.count(status, error);
    }

    /// Count one fetch of a reference address the seeds name (also [`HostTally::add`] it): the
    /// inspector's own check of its way out.
    pub fn add_reference(&mut self, status: Option<u16>, error: Option<FailKind>) {
        let (n, o) = &mut self.references;
        *n += 1;
        o.count(status, error);
    }

    /// The inspector's fault, when the run shows one. With reference addresses: their answer
    /// decides (one answering clears the inspector; none answering is its fault, however few
    /// sites there are). Without: enough outside hosts tried and none answered; the resolver's
    /// when every one of them is a name that did not resolve.
    pub fn fault(&self) -> Option<InspectorFault> {
        let (references, r) = self.references;
        if references > 0 {
            let hosts = self.hosts.len().max(references);
            return (!r.answered).then_some(if r.resolved {
                InspectorFault::Outbound { hosts }
            } else {
                InspectorFault::Resolver { hosts }
            });
        }
        let hosts = self.hosts.len();
        if hosts < MIN_OUTSIDE_HOSTS || self.hosts.values().any(|(_, o)| o.answered) {
            return None;
        }
        let unresolved = |(named, o): &(bool, HostOutcome)| *named && !o.resolved;
        Some(if self.hosts.values().all(unresolved) {
            InspectorFault::Resolver { hosts }
        } else {
            InspectorFault::Outbound { hosts }
        })
    }
}

/// Whether a URL is fetched over the web.
fn is_web(u: &Url) -> bool {
    matches!(u.scheme(), "http" | "https")
}

/// The host of a URL outside the inspector's own machine and network, and whether it is a name.
fn outside_host(u: &Url) -> Option<(String, bool)> {
    if !is_web(u) {
        return None;
    }
    match u.host()? {
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            (d != "localhost" && !d.ends_with(".localhost")).then_some((d, true))
        }
        Host::Ipv4(ip) => is_outside_ip(IpAddr::V4(ip)).then(|| (ip.to_string(), false)),
        Host::Ipv6(ip) => is_outside_ip(IpAddr::V6(ip)).then(|| (ip.to_string(), false)),
    }
}

/// Whether a URL's host is outside the inspector's machine and network.
fn is_outside(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| outside_host(&u).is_some())
}

/// Whether an address is beyond the inspector's own machine and private network.
fn is_outside_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast())
        }
        IpAddr::V6(v6) => {
            let unique_local = (v6.segments()[0] & 0xfe00) == 0xfc00;
            let link_local = (v6.segments()[0] & 0xffc0) == 0xfe80;
            !(v6.is_loopback() || v6.is_unspecified() || unique_local || link_local)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(fetches: &[(&str, Option<u16>, Option<FailKind>)]) -> Option<InspectorFault> {
        let mut t = HostTally::default();
        for (url, status, error) in fetches {
            t.add(url, *status, *error);
        }
        t.fault()
    }

    const DNS: Option<FailKind> = Some(FailKind::Dns);

    #[test]
    fn no_name_resolving_is_the_resolver() {
        let fault = tally(&[
            ("http://127.0.0.1:8080/", Some(200), None),
            ("https://beian.miit.gov.cn/", None, DNS),
            ("https://beian.mps.gov.cn/", None, DNS),
            ("https://zfwzzc.www.gov.cn/", None, DNS),
            ("https://zfwzzc.www.gov.cn/x", None, DNS),
        ]);
        assert_eq!(fault, Some(InspectorFault::Resolver { hosts: 3 }));
        let f = fault.unwrap();
        let failed = |url: &str, error| FetchRecord {
            error,
            status: None,
            ..crate::testkit::fetch(url)
        };
        assert!(f.explains(&failed("https://beian.miit.gov.cn/", DNS)));
        assert!(!f.explains(&failed("http://127.0.0.1:1/", DNS)));
        assert!(!f.explains(&failed("https://a.gov.cn/", Some(FailKind::Connect))));
        assert!(f.reason_zh().starts_with("检查端网络异常"));
    }

    #[test]
    fn one_outside_answer_clears_the_inspector() {
        assert_eq!(
            tally(&[
                ("https://a.gov.cn/", None, DNS),
                ("https://b.gov.cn/", None, DNS),
                ("https://c.gov.cn/", None, DNS),
                ("https://www.gov.cn/", Some(404), None),
            ]),
            None
        );
    }

    #[test]
    fn too_few_hosts_are_the_sites_own_fault() {
        assert_eq!(
            tally(&[
                ("https://a.gov.cn/", None, DNS),
                ("https://b.gov.cn/x", None, DNS),
                ("http://10.0.0.1/", None, Some(FailKind::Connect)),
                ("http://localhost:9/", None, Some(FailKind::Connect)),
            ]),
            None
        );
    }

    #[test]
    fn reference_addresses_decide_however_few_hosts_were_tried() {
        let mut t = HostTally::default();
        t.add("https://www.fgj.invalid/", None, DNS);
        assert_eq!(t.fault(), None, "one host alone is the site's fault");
        t.add("https://www.gov.cn/", None, DNS);
        t.add_reference(None, DNS);
        assert_eq!(t.fault(), Some(InspectorFault::Resolver { hosts: 2 }));
        let mut t = HostTally::default();
        for n in 0..4 {
            t.add(&format!("https://s{n}.invalid/"), None, DNS);
        }
        t.add("https://www.gov.cn/", Some(200), None);
        t.add_reference(Some(200), None);
        assert_eq!(
            t.fault(),
            None,
            "the reference answered: the sites' own faults"
        );
    }

    #[test]
    fn localhost_resolving_says_nothing_about_the_resolver() {
        assert_eq!(
            tally(&[
                ("http://localhost:8080/", Some(200), None),
                ("https://a.invalid/", None, DNS),
                ("https://b.invalid/", None, DNS),
                ("https://c.invalid/", None, DNS),
            ]),
            Some(InspectorFault::Resolver { hosts: 3 })
        );
    }

    #[test]
    fn names_resolving_but_nothing_connecting_is_outbound() {
        assert_eq!(
            tally(&[
                ("https://a.gov.cn/", None, Some(FailKind::Connect)),
                ("https://b.gov.cn/", None, Some(FailKind::Timeout)),
                ("http://8.8.8.8/", None, Some(FailKind::Connect)),
                ("https://c.gov.cn/", None, Some(FailKind::Skipped)),
            ]),
            Some(InspectorFault::Outbound { hosts: 3 })
        );
    }
}
