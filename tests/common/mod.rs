//! What the binary's tests share: a loopback HTTP server answering from a routing function, and
//! the head of an impolite seeds file (fast, no robots) for one district.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// The head of a seeds file: the district and impolite `[defaults]`, to which a test appends its
/// own defaults lines, units, sites and accounts.
pub const SEEDS_HEAD: &str = r#"[district]
name = "示范区"
office = "示范区人民政府办公室"
[defaults]
rate_per_host = 1000.0
timeout_s = 5
respect_robots = false
"#;

/// One request as the server saw it: its path (with the query) and its header lines.
pub struct Request {
    /// The path and query.
    pub path: String,
    /// The header lines, as sent.
    #[allow(dead_code)] // each test binary compiles this module; not all read headers
    pub headers: Vec<String>,
}

/// An answer: the status line's tail (`200 OK`), the content type, the body.
pub type Reply = (&'static str, &'static str, &'static str);

/// Serve `route` (a function or a closure over `'static` data) on loopback, a thread per connection, for the life of the test process; returns
/// the port.
pub fn serve(route: impl Fn(&Request) -> Reply + Copy + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    return;
                }
                let mut headers = Vec::new();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    headers.push(line.trim_end().to_string());
                    line.clear();
                }
                let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (status, kind, body) = route(&Request { path, headers });
                let mut out = &stream;
                let _ = write!(
                    out,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}; charset=utf-8\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    port
}
