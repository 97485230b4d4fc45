//! Where a webhook may send: the scheme, the host and every address the host resolves to are
//! checked against an operator's allow-list, so that a webhook cannot be used to reach the
//! broker's own network (server-side request forgery).
//!
//! With an empty host allow-list any host name may be used, but only public addresses may be
//! called; with a non-empty one the host must match an entry. A non-public address (loopback,
//! private, link-local, …; see [`classify`]) is called only when the operator allowed it: the
//! host matched an exact host-name entry, or the address lies in an IP or CIDR entry.
//!
//! The decisions ([`TargetPolicy::check_url`], [`TargetPolicy::check_address`],
//! [`TargetPolicy::check_addresses`], [`classify`]) are pure. The only IO is name resolution, in
//! [`TargetPolicy::resolve_and_check`] and in [`GuardedResolver`], which a `reqwest` client uses
//! so that the address it connects to is the one that was checked (no DNS rebinding between the
//! check and the connection). A client using it must also turn off proxies (`no_proxy()`, or
//! the resolver sees only the proxy's name) and must not follow redirects to IP literals
//! unchecked (`redirect::Policy::none()`, or a policy calling [`TargetPolicy::check_url`]),
//! since reqwest resolves host names only.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use ipnet::IpNet;
use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::domain::webhooks::template;

mod address;

pub use address::{AddressClass, classify};

/// The schemes allowed when none are configured.
pub const DEFAULT_SCHEMES: &[&str] = &["https"];
/// The command-line flag that allows a host, named in error messages.
pub const HOST_ALLOW_FLAG: &str = "--webhook-host-allow";
/// The command-line flag that allows a scheme, named in error messages.
pub const SCHEME_ALLOW_FLAG: &str = "--webhook-scheme-allow";

/// Why an allow-list entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// A host entry is neither a host name, a `*.` wildcard, an IP address nor a CIDR network.
    #[error(
        "webhook host allow-list entry `{entry}` is not valid: {reason}; expected a host name \
         (hooks.example.com), a wildcard (*.example.com), an IP address (10.1.2.3) or a CIDR \
         network (10.0.0.0/8)"
    )]
    InvalidHost {
        /// The entry as given.
        entry: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A scheme entry is not one a webhook can use.
    #[error("webhook scheme allow-list entry `{entry}` is not valid; expected http or https")]
    InvalidScheme {
        /// The entry as given.
        entry: String,
    },
}

/// Why a webhook may not send to a URL or an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// The URL does not parse.
    #[error(
        "the webhook URL is not a valid URL ({reason}); expected an absolute URL such as \
         https://hooks.example.com/pact"
    )]
    InvalidUrl {
        /// What the URL parser said.
        reason: String,
    },
    /// The scheme is not allowed.
    #[error("{}", scheme_message(scheme, allowed))]
    SchemeNotAllowed {
        /// The URL's scheme.
        scheme: String,
        /// The allowed schemes.
        allowed: Vec<String>,
    },
    /// The URL carries a user name or password.
    #[error(
        "the webhook URL must not contain a user name or password; put credentials in the \
         webhook's username and password fields"
    )]
    UserInfo,
    /// The URL has no host.
    #[error(
        "the webhook URL has no host; expected an absolute URL such as https://hooks.example.com/pact"
    )]
    NoHost,
    /// The URL template's host contains a template variable.
    #[error(
        "the webhook URL's host must not contain a template variable; use variables in the \
         path or query only"
    )]
    TemplatedHost,
    /// The host matches no allow-list entry.
    #[error("host `{host}` is not allowed; allowed: {} (add {HOST_ALLOW_FLAG} {host})", .allowed.join(", "))]
    HostNotAllowed {
        /// The URL's host.
        host: String,
        /// The allow-list, as configured.
        allowed: Vec<String>,
    },
    /// An address the host is or resolves to is not public, and not allowed.
    #[error("{}", address_message(host, *address, *class))]
    AddressNotAllowed {
        /// The URL's host (the address itself for an IP literal).
        host: String,
        /// The refused address.
        address: IpAddr,
        /// What kind of address it is.
        class: AddressClass,
    },
    /// The host name does not resolve (creation may accept this; delivery fails).
    #[error("host `{host}` does not resolve ({reason}); check the webhook URL's host name")]
    Unresolvable {
        /// The URL's host.
        host: String,
        /// What the resolver said.
        reason: String,
    },
}

fn scheme_message(scheme: &str, allowed: &[String]) -> String {
    let allowed = allowed.join(", ");
    if scheme == "http" || scheme == "https" {
        format!(
            "scheme `{scheme}` is not allowed; allowed: {allowed} (add {SCHEME_ALLOW_FLAG} {scheme})"
        )
    } else {
        format!(
            "scheme `{scheme}` is not allowed; allowed: {allowed} (webhooks can only use http or https)"
        )
    }
}

fn address_message(host: &str, address: IpAddr, class: AddressClass) -> String {
    let advice = format!(
        "webhooks may only call public addresses unless the host is allowed with {HOST_ALLOW_FLAG}"
    );
    if host == address.to_string() {
        format!("`{address}` is {class}; {advice}")
    } else {
        format!("`{host}` resolves to `{address}`, {class}; {advice}")
    }
}

/// The checked parts of a webhook URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The URL, parsed.
    pub url: Url,
    /// The host: a lowercase host name, or an IP address without brackets.
    pub host: String,
    /// The port, explicit or the scheme's default.
    pub port: u16,
    /// The address, when the host is an IP literal (already checked completely).
    pub ip_literal: Option<IpAddr>,
}

/// One parsed host allow-list entry.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HostEntry {
    /// Exactly this host name; its addresses may be non-public.
    Exact(String),
    /// Any host name ending in `.suffix`; its addresses must be public.
    Wildcard(String),
    /// Addresses in this network (a single address is a /32 or /128), public or not.
    Network(IpNet),
}

/// The operator's rules for webhook targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetPolicy {
    hosts: Vec<HostEntry>,
    /// The host entries as configured, for error messages.
    host_entries: Vec<String>,
    schemes: Vec<String>,
}

impl Default for TargetPolicy {
    /// Any host with public addresses, over https.
    fn default() -> Self {
        Self {
            hosts: Vec::new(),
            host_entries: Vec::new(),
            schemes: DEFAULT_SCHEMES.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

impl TargetPolicy {
    /// Parses the allow-lists. `allowed_hosts` entries are host names (`hooks.example.com`,
    /// matched case-insensitively), wildcards (`*.example.com`: any name below, at any depth),
    /// IP addresses or CIDR networks (`10.0.0.0/8`); `allowed_schemes` are `http` and/or
    /// `https`, and an empty list means [`DEFAULT_SCHEMES`].
    pub fn new(allowed_hosts: &[String], allowed_schemes: &[String]) -> Result<Self, PolicyError> {
        let hosts = allowed_hosts
            .iter()
            .map(|entry| parse_host_entry(entry))
            .collect::<Result<Vec<_>, _>>()?;
        let mut schemes = Vec::new();
        for entry in allowed_schemes {
            let scheme = entry.trim().to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(PolicyError::InvalidScheme {
                    entry: entry.clone(),
                });
            }
            if !schemes.contains(&scheme) {
                schemes.push(scheme);
            }
        }
        if schemes.is_empty() {
            schemes = DEFAULT_SCHEMES.iter().map(|s| (*s).to_owned()).collect();
        }
        Ok(Self {
            hosts,
            host_entries: allowed_hosts.iter().map(|e| e.trim().to_owned()).collect(),
            schemes,
        })
    }

    /// Checks a URL without resolving it: it parses, its scheme is allowed, it has a host and
    /// no user name or password, the host is allowed, and an IP literal is an allowed address.
    /// A host name's addresses are checked later ([`TargetPolicy::resolve_and_check`]).
    pub fn check_url(&self, url: &str) -> Result<Target, TargetError> {
        let url = Url::parse(url).map_err(|error| TargetError::InvalidUrl {
            reason: error.to_string(),
        })?;
        if !self.schemes.iter().any(|scheme| scheme == url.scheme()) {
            return Err(TargetError::SchemeNotAllowed {
                scheme: url.scheme().to_owned(),
                allowed: self.schemes.clone(),
            });
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(TargetError::UserInfo);
        }
        let host = match url.host_str() {
            Some(host) if !host.is_empty() => normalise_host(host),
            _ => return Err(TargetError::NoHost),
        };
        // The URL parser has already turned any IPv4 spelling (`0x7f.1`) into a.b.c.d.
        let ip_literal = host.parse::<IpAddr>().ok();
        let host = ip_literal.map_or(host, |address| address.to_string());
        let port = url.port_or_known_default().ok_or(TargetError::NoHost)?;
        match ip_literal {
            Some(address) => self.check_address(&host, address)?,
            None => self.check_host(&host)?,
        }
        Ok(Target {
            url,
            host,
            port,
            ip_literal,
        })
    }

    /// Checks a webhook's URL template at creation: its host must not contain a template
    /// variable (as the Pact Broker requires), and the URL with placeholders for the variables
    /// must pass [`TargetPolicy::check_url`].
    pub fn check_url_template(&self, template: &str) -> Result<Target, TargetError> {
        let one = template::render_with_placeholder(template, "placeholder");
        let other = template::render_with_placeholder(template, "otherplaceholder");
        let host = |url: &str| {
            Url::parse(url)
                .ok()
                .map(|url| url.host_str().map(str::to_owned))
        };
        if host(&one) != host(&other) {
            return Err(TargetError::TemplatedHost);
        }
        self.check_url(&one)
    }

    /// Checks one address that `target_host` (a host name, or the address itself for an IP
    /// literal) is or resolves to.
    pub fn check_address(&self, target_host: &str, address: IpAddr) -> Result<(), TargetError> {
        let host = normalise_host(target_host);
        let is_literal = host.parse::<IpAddr>().is_ok();
        if !is_literal {
            self.check_host(&host)?;
        }
        let in_network = self.hosts.iter().any(|entry| match entry {
            HostEntry::Network(network) => network_contains(network, address),
            HostEntry::Exact(_) | HostEntry::Wildcard(_) => false,
        });
        if in_network {
            return Ok(());
        }
        if is_literal && !self.hosts.is_empty() {
            return Err(TargetError::HostNotAllowed {
                host,
                allowed: self.host_entries.clone(),
            });
        }
        let class = classify(address);
        let exact = !is_literal
            && self
                .hosts
                .iter()
                .any(|entry| matches!(entry, HostEntry::Exact(name) if *name == host));
        if class.is_public() || exact {
            return Ok(());
        }
        Err(TargetError::AddressNotAllowed {
            host,
            address,
            class,
        })
    }

    /// Checks every address a host resolved to: one refused address refuses them all, since a
    /// DNS answer mixing a public and a loopback address is a rebinding trick. No address at
    /// all is [`TargetError::Unresolvable`].
    pub fn check_addresses(
        &self,
        target_host: &str,
        addresses: &[IpAddr],
    ) -> Result<(), TargetError> {
        if addresses.is_empty() {
            return Err(TargetError::Unresolvable {
                host: normalise_host(target_host),
                reason: "no addresses".to_owned(),
            });
        }
        addresses
            .iter()
            .try_for_each(|address| self.check_address(target_host, *address))
    }

    /// Resolves the target's host (IO: the system resolver through `tokio`) and checks every
    /// address with [`TargetPolicy::check_addresses`]; an IP literal is not resolved. A name
    /// that does not resolve is [`TargetError::Unresolvable`], which creation may accept and
    /// delivery must not.
    pub async fn resolve_and_check(&self, target: &Target) -> Result<Vec<SocketAddr>, TargetError> {
        if let Some(address) = target.ip_literal {
            self.check_address(&target.host, address)?;
            return Ok(vec![SocketAddr::new(address, target.port)]);
        }
        self.check_host(&target.host)?;
        self.resolve_host(&target.host, target.port).await
    }

    /// Resolves `host` and checks its addresses; the shared edge of
    /// [`TargetPolicy::resolve_and_check`] and [`GuardedResolver`].
    async fn resolve_host(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, TargetError> {
        let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
            .await
            .map_err(|error| TargetError::Unresolvable {
                host: normalise_host(host),
                reason: error.to_string(),
            })?
            .collect();
        let addresses: Vec<IpAddr> = resolved.iter().map(SocketAddr::ip).collect();
        self.check_addresses(host, &addresses)?;
        Ok(resolved)
    }

    /// Whether a host name may be used at all: any, with an empty allow-list; else one
    /// matching an exact or wildcard entry.
    fn check_host(&self, host: &str) -> Result<(), TargetError> {
        if self.hosts.is_empty() || self.hosts.iter().any(|entry| host_matches(entry, host)) {
            return Ok(());
        }
        Err(TargetError::HostNotAllowed {
            host: host.to_owned(),
            allowed: self.host_entries.clone(),
        })
    }
}

/// A `reqwest` resolver that refuses what the [`TargetPolicy`] refuses, so the addresses a
/// webhook client connects to are exactly the checked ones. Install it with
/// `ClientBuilder::dns_resolver(Arc::new(GuardedResolver::new(policy)))` together with
/// `no_proxy()` and a redirect policy that checks IP literals (see the module docs). A refusal
/// surfaces as a connect error whose source chain holds the [`TargetError`].
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    policy: Arc<TargetPolicy>,
}

impl GuardedResolver {
    /// A resolver applying `policy`.
    pub fn new(policy: Arc<TargetPolicy>) -> Self {
        Self { policy }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = Arc::clone(&self.policy);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // Port 0: reqwest puts the URL's port (or the scheme's) in its place.
            let addresses = policy.resolve_host(&host, 0).await?;
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}

/// A host name as it is compared: lowercase, without brackets or one trailing dot.
fn normalise_host(host: &str) -> String {
    let host = host.trim();
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase()
}

fn host_matches(entry: &HostEntry, host: &str) -> bool {
    match entry {
        HostEntry::Exact(name) => name == host,
        HostEntry::Wildcard(suffix) => host
            .strip_suffix(suffix.as_str())
            .and_then(|label| label.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty()),
        HostEntry::Network(_) => false,
    }
}

/// Whether `network` holds `address`, comparing an IPv4-mapped IPv6 address as IPv4.
fn network_contains(network: &IpNet, address: IpAddr) -> bool {
    network.contains(&address) || network.contains(&address.to_canonical())
}

fn parse_host_entry(entry: &str) -> Result<HostEntry, PolicyError> {
    let invalid = |reason: &str| PolicyError::InvalidHost {
        entry: entry.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = entry.trim();
    if trimmed.is_empty() {
        return Err(invalid("it is blank"));
    }
    if let Ok(network) = trimmed.parse::<IpNet>() {
        if network.trunc() != network {
            return Err(invalid(&format!(
                "it has host bits set; did you mean {}?",
                network.trunc()
            )));
        }
        return Ok(HostEntry::Network(network));
    }
    let unbracketed = trimmed
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(trimmed);
    if let Ok(address) = unbracketed.parse::<IpAddr>() {
        return Ok(HostEntry::Network(IpNet::from(address)));
    }
    let (wildcard, name) = match trimmed.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let name = parse_host_name(name).map_err(|reason| invalid(&reason))?;
    Ok(if wildcard {
        HostEntry::Wildcard(name)
    } else {
        HostEntry::Exact(name)
    })
}

/// A host name as the URL parser would give it (lowercase, punycode), or why it is not one.
fn parse_host_name(name: &str) -> Result<String, String> {
    if name.contains(['*', '/', ':', '@', '?', '#', '[', ']', '\\', '%'])
        || name.chars().any(char::is_whitespace)
    {
        return Err("a host name holds only letters, digits, `-` and `.`, and a wildcard only a leading `*.`".to_owned());
    }
    let url = Url::parse(&format!("https://{name}/")).map_err(|error| error.to_string())?;
    match url.host_str() {
        Some(host) if host.parse::<IpAddr>().is_ok() => {
            Err("it reads as an IP address in a non-standard form; write it as a.b.c.d".to_owned())
        }
        Some(host) if !host.is_empty() => Ok(normalise_host(host)),
        _ => Err("it has no host name".to_owned()),
    }
}

#[cfg(test)]
mod tests;
