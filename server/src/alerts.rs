//! Delivering alerts: the group robots Chinese offices use (企业微信, 钉钉, 飞书) and mail over SMTP.
//!
//! The analyzer says which events hold and what they say; this module sends each event once per
//! channel while it lasts, and remembers what it sent in the store, so a restart or the next run
//! does not send it again. A channel that fails is tried again at the next settlement; the others
//! are not held back by it.

use std::collections::BTreeSet;
use std::time::Duration;

use base64::Engine as _;
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use xunjian_core::Store;
use xunjian_model::alert::{Alert, AlertKind};
use xunjian_model::clock::SharedClock;
use xunjian_model::seeds::{AlertSetup, EmailSetup, SmtpSecurity, Webhook, WebhookKind};

/// Why an alert channel could not be set up or did not take an alert.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    /// The configuration names something that is not there (an unset environment variable, a bad
    /// address).
    #[error("[alerts]: {0}")]
    Setup(String),
    /// The receiver did not take the alert.
    #[error("{channel}: {why}")]
    Send {
        /// The channel's name.
        channel: String,
        /// What went wrong.
        why: String,
    },
}

impl AlertError {
    fn send(channel: &str, why: String) -> AlertError {
        AlertError::Send {
            channel: channel.to_string(),
            why,
        }
    }
}

/// A way of telling people: one configured robot or mailbox.
pub trait Channel: Send + Sync {
    /// A name that stays the same while the configuration does (`wecom:1a2b3c4d5e6f`), without
    /// the secrets in the address.
    fn name(&self) -> &str;
    /// Send one alert.
    fn send<'a>(&'a self, alert: &'a Alert) -> BoxFuture<'a, Result<(), AlertError>>;
}

/// The configured channels and the memory of what was sent.
pub struct Notifier {
    channels: Vec<Box<dyn Channel>>,
    store: Store,
    clock: SharedClock,
}

/// What one settlement did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Settled {
    /// Deliveries made (an event on a channel).
    pub sent: usize,
    /// Deliveries that failed (tried again next time).
    pub failed: usize,
    /// Events that ended since the last settlement.
    pub ended: usize,
}

impl std::fmt::Display for Settled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "alerts: {} sent, {} failed, {} ended",
            self.sent, self.failed, self.ended
        )
    }
}

impl Notifier {
    /// The channels of `setup`, with the secrets read from their environment variables.
    pub fn new(
        setup: &AlertSetup,
        store: Store,
        clock: SharedClock,
    ) -> Result<Notifier, AlertError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| AlertError::Setup(e.to_string()))?;
        let mut channels: Vec<Box<dyn Channel>> = Vec::new();
        for w in &setup.webhooks {
            channels.push(Box::new(Robot::new(w, http.clone(), clock.clone())?));
        }
        if let Some(e) = &setup.email {
            channels.push(Box::new(Mail::new(e)?));
        }
        Ok(Notifier {
            channels,
            store,
            clock,
        })
    }

    /// Settle the events of `kinds`: send each of `holding` that a channel has not had yet, and
    /// forget the events of those kinds that no longer hold.
    pub async fn settle(&self, kinds: &[AlertKind], holding: &[Alert]) -> Settled {
        let mut settled = Settled::default();
        if self.channels.is_empty() {
            return settled;
        }
        for &kind in kinds {
            let (sent, ended) = self.settle_kind(kind, holding).await;
            settled.sent += sent.0;
            settled.failed += sent.1;
            settled.ended += ended;
        }
        settled
    }

    async fn settle_kind(&self, kind: AlertKind, holding: &[Alert]) -> ((usize, usize), usize) {
        let name = kind.as_str();
        let already = match self.store.alerts_sent(name).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!("reading the alerts sent: {e}");
                return ((0, 0), 0);
            }
        };
        let (mut sent, mut failed) = (0, 0);
        let mut keys = BTreeSet::new();
        for alert in holding.iter().filter(|a| a.kind == kind) {
            keys.insert(alert.key.clone());
            for ch in &self.channels {
                if already.contains(&(alert.key.clone(), ch.name().to_string())) {
                    continue;
                }
                match ch.send(alert).await {
                    Ok(()) => {
                        sent += 1;
                        let at = self.clock.now_rfc3339();
                        if let Err(e) = self
                            .store
                            .mark_alert_sent(name, &alert.key, ch.name(), &at)
                            .await
                        {
                            tracing::error!("recording alert {}: {e}", alert.key);
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        tracing::warn!("alert {} not delivered: {e}", alert.key);
                    }
                }
            }
        }
        let ended = match self.store.end_alerts(name, &keys).await {
            Ok(ended) => ended.len(),
            Err(e) => {
                tracing::error!("forgetting ended alerts: {e}");
                0
            }
        };
        ((sent, failed), ended)
    }
}

/// A short digest of an address, so that a channel's name carries no key or token.
fn digest(s: &str) -> String {
    hex::encode(&Sha256::digest(s.as_bytes())[..6])
}

/// A group robot's webhook.
struct Robot {
    name: String,
    kind: WebhookKind,
    url: String,
    secret: Option<String>,
    http: reqwest::Client,
    clock: SharedClock,
}

impl Robot {
    fn new(w: &Webhook, http: reqwest::Client, clock: SharedClock) -> Result<Robot, AlertError> {
        let secret = w.secret_env.as_deref().map(env_secret).transpose()?;
        Ok(Robot {
            name: format!("{}:{}", w.kind.as_str(), digest(&w.url)),
            kind: w.kind,
            url: w.url.clone(),
            secret,
            http,
            clock,
        })
    }

    /// The request for `alert`: where to post it and the body, signed when a secret is set.
    fn request(&self, alert: &Alert) -> (String, Value) {
        let content = message_text(alert);
        let now = self.clock.now();
        match self.kind {
            WebhookKind::Wecom => (
                self.url.clone(),
                json!({"msgtype": "text", "text": {"content": content}}),
            ),
            WebhookKind::Dingtalk => {
                let mut url = self.url.clone();
                if let Some(secret) = &self.secret {
                    // 加签: HmacSHA256 of "timestamp\nsecret" keyed by the secret, in the query.
                    let ts = now.timestamp_millis();
                    let sign = sign(secret.as_bytes(), format!("{ts}\n{secret}").as_bytes());
                    let sign: String =
                        url::form_urlencoded::byte_serialize(sign.as_bytes()).collect();
                    let sep = if url.contains('?') { '&' } else { '?' };
                    url = format!("{url}{sep}timestamp={ts}&sign={sign}");
                }
                (
                    url,
                    json!({"msgtype": "text", "text": {"content": content}}),
                )
            }
            WebhookKind::Feishu => {
                let mut body = json!({"msg_type": "text", "content": {"text": content}});
                if let Some(secret) = &self.secret {
                    // 签名校验: HmacSHA256 of nothing keyed by "timestamp\nsecret", in the body.
                    let ts = now.timestamp();
                    body["timestamp"] = json!(ts.to_string());
                    body["sign"] = json!(sign(format!("{ts}\n{secret}").as_bytes(), b""));
                }
                (self.url.clone(), body)
            }
        }
    }
}

/// Base64 of HmacSHA256(`key`, `message`).
fn sign(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The text a robot or a mail carries: the title, then the body.
fn message_text(alert: &Alert) -> String {
    format!("{}\n{}", alert.title, alert.text)
}

impl Channel for Robot {
    fn name(&self) -> &str {
        &self.name
    }

    fn send<'a>(&'a self, alert: &'a Alert) -> BoxFuture<'a, Result<(), AlertError>> {
        Box::pin(async move {
            let fail = |why: String| AlertError::send(&self.name, why);
            let (url, body) = self.request(alert);
            let answer = self
                .http
                .post(url)
                .json(&body)
                .send()
                .await
                .map_err(|e| fail(e.without_url().to_string()))?;
            let status = answer.status();
            let text = answer.text().await.unwrap_or_default();
            if !status.is_success() {
                return Err(fail(format!("HTTP {status}")));
            }
            // The robots answer 200 with an error code in the body (钉钉 310000: a keyword missing).
            let reply: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let code = ["errcode", "code", "StatusCode"]
                .iter()
                .find_map(|k| reply.get(k).and_then(Value::as_i64));
            match code {
                None | Some(0) => Ok(()),
                Some(c) => Err(fail(format!("the robot answered code {c}: {text}"))),
            }
        })
    }
}

/// Mail over SMTP.
struct Mail {
    name: String,
    from: Mailbox,
    to: Vec<Mailbox>,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Mail {
    fn new(e: &EmailSetup) -> Result<Mail, AlertError> {
        let parse = |s: &str| {
            s.parse::<Mailbox>()
                .map_err(|why| AlertError::Setup(format!("email: `{s}`: {why}")))
        };
        let tls = |why: lettre::transport::smtp::Error| AlertError::Setup(format!("email: {why}"));
        let builder = match e.security {
            SmtpSecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&e.server).map_err(tls)?
            }
            SmtpSecurity::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&e.server).map_err(tls)?
            }
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&e.server)
            }
        };
        let mut builder = builder.port(e.port).timeout(Some(Duration::from_secs(15)));
        if let Some(user) = &e.user {
            let password = match &e.password_env {
                Some(var) => env_secret(var)?,
                None => String::new(),
            };
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        Ok(Mail {
            name: format!(
                "email:{}",
                digest(&format!("{}:{}:{:?}", e.server, e.port, e.to))
            ),
            from: parse(&e.from)?,
            to: e.to.iter().map(|t| parse(t)).collect::<Result<_, _>>()?,
            transport: builder.build(),
        })
    }
}

impl Channel for Mail {
    fn name(&self) -> &str {
        &self.name
    }

    fn send<'a>(&'a self, alert: &'a Alert) -> BoxFuture<'a, Result<(), AlertError>> {
        Box::pin(async move {
            let fail = |why: String| AlertError::send(&self.name, why);
            let mut message = Message::builder()
                .from(self.from.clone())
                .subject(&alert.title);
            for to in &self.to {
                message = message.to(to.clone());
            }
            let message = message
                .header(ContentType::TEXT_PLAIN)
                .body(message_text(alert))
                .map_err(|e| fail(e.to_string()))?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| fail(e.to_string()))
        })
    }
}

/// A secret from the environment variable the seeds name.
fn env_secret(var: &str) -> Result<String, AlertError> {
    std::env::var(var)
        .map_err(|_| AlertError::Setup(format!("environment variable `{var}` is not set")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use xunjian_model::clock::FixedClock;

    fn robot(kind: WebhookKind, url: &str, secret: Option<&str>) -> Robot {
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        Robot {
            name: "r".into(),
            kind,
            url: url.into(),
            secret: secret.map(Into::into),
            http: reqwest::Client::new(),
            clock: Arc::new(FixedClock(at)),
        }
    }

    fn alert() -> Alert {
        Alert {
            kind: AlertKind::SiteDown,
            key: "site_down:portal".into(),
            target: "portal".into(),
            title: "【网站巡检告警】门户网站无法访问".into(),
            text: "正文".into(),
            url: "http://h/".into(),
        }
    }

    #[test]
    fn each_robot_gets_its_own_message_shape() {
        let content = "【网站巡检告警】门户网站无法访问\n正文";
        let (url, body) = robot(WebhookKind::Wecom, "http://w/send?key=k", None).request(&alert());
        assert_eq!(url, "http://w/send?key=k");
        assert_eq!(
            body,
            json!({"msgtype": "text", "text": {"content": content}})
        );
        let (url, body) = robot(
            WebhookKind::Dingtalk,
            "http://d/robot/send?access_token=t",
            None,
        )
        .request(&alert());
        assert_eq!(url, "http://d/robot/send?access_token=t");
        assert_eq!(
            body,
            json!({"msgtype": "text", "text": {"content": content}})
        );
        let (_, body) = robot(WebhookKind::Feishu, "http://f/hook/x", None).request(&alert());
        assert_eq!(
            body,
            json!({"msg_type": "text", "content": {"text": content}})
        );
    }

    #[test]
    fn signed_robots_carry_the_platforms_hmac_sha256_signature() {
        // Values computed independently (Python's hmac) for the secret `sec` at 1700000000 s.
        let (url, _) = robot(
            WebhookKind::Dingtalk,
            "http://d/robot/send?access_token=t",
            Some("sec"),
        )
        .request(&alert());
        assert_eq!(
            url,
            "http://d/robot/send?access_token=t&timestamp=1700000000000\
             &sign=2Bn%2B1b9JMbAnwLtaHqn8F5V8vOWoUG9M7qcsi2p%2Bu90%3D"
        );
        let (_, body) =
            robot(WebhookKind::Feishu, "http://f/hook/x", Some("sec")).request(&alert());
        assert_eq!(body["timestamp"], "1700000000");
        assert_eq!(body["sign"], "ttGYnPblC3CcNExnS7y5igm57JhpqZJtHpJ+TURiUeg=");
        assert_eq!(
            sign(b"key", b""),
            "XV0TlWPJW1lnub2ajJsjOp3ttFByeUzSMtwbdIMmB9A="
        );
    }

    #[test]
    fn a_channels_name_keeps_the_robots_key_out_of_the_store() {
        let w = Webhook {
            kind: WebhookKind::Wecom,
            url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY".into(),
            secret_env: None,
        };
        let clock: SharedClock = Arc::new(FixedClock(chrono::Utc::now()));
        let r = Robot::new(&w, reqwest::Client::new(), clock).unwrap();
        assert!(
            r.name().starts_with("wecom:") && !r.name().contains("SECRETKEY"),
            "{}",
            r.name()
        );
        let unset = Webhook {
            secret_env: Some("XUNJIAN_TEST_UNSET_SECRET".into()),
            ..w
        };
        let clock: SharedClock = Arc::new(FixedClock(chrono::Utc::now()));
        let e = Robot::new(&unset, reqwest::Client::new(), clock)
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "[alerts]: environment variable `XUNJIAN_TEST_UNSET_SECRET` is not set"
        );
    }
}
