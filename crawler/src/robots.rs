//! robots.txt, through texting_robots (a well-tested parser of the Google/RFC 9309 rules), so that
//! xunjian stays out of what a site asks crawlers to leave alone.

use std::time::Duration;

use texting_robots::Robot;

/// The robots.txt rules of one origin, for xunjian's agent.
pub struct Robots {
    robot: Option<Robot>,
}

impl Robots {
    /// No rules: everything allowed (no robots.txt, or it could not be read).
    pub fn allow_all() -> Robots {
        Robots { robot: None }
    }

    /// Parse a robots.txt body for `agent`; a body that does not parse allows everything.
    pub fn parse(agent: &str, body: &[u8]) -> Robots {
        Robots {
            robot: Robot::new(agent, body).ok(),
        }
    }

    /// Whether `url` may be fetched.
    pub fn allowed(&self, url: &str) -> bool {
        self.robot.as_ref().is_none_or(|r| r.allowed(url))
    }

    /// The `Crawl-delay` asked for, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        let delay = self.robot.as_ref()?.delay?;
        (delay.is_finite() && delay > 0.0).then(|| Duration::from_secs_f32(delay.min(60.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disallow_and_delay() {
        let r = Robots::parse(
            "xunjian",
            b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n",
        );
        assert!(!r.allowed("http://a/private/x.html"));
        assert!(r.allowed("http://a/public/x.html"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(2)));
        assert!(Robots::allow_all().allowed("http://a/private/x.html"));
    }
}
