//! A minimal HTTP/1.1 client over one kept-alive TCP connection, for drills, load runs and
//! tests that must control the bytes on the wire (slow heads, partial bodies, keep-alive).
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One response: status, head (lower-cased) and body bytes.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Why an exchange failed.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("the server closed the connection")]
    Closed,
    #[error("unreadable response head: {0}")]
    Malformed(String),
}

/// A POST of a JSON body to `/graphql`, with extra header lines (each ending in CRLF).
pub fn graphql_post(body: &str, extra_headers: &str) -> Vec<u8> {
    format!(
        "POST /graphql HTTP/1.1\r\nhost: loadgen\r\ncontent-type: application/json\r\n{extra_headers}content-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A GET of `path`.
pub fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nhost: loadgen\r\n\r\n").into_bytes()
}

/// Sends `request` and reads one response (Content-Length framed), within `timeout`.
pub async fn exchange(
    stream: &mut TcpStream,
    request: &[u8],
    timeout: Duration,
) -> Result<RawResponse, ExchangeError> {
    stream.write_all(request).await?;
    read_response(stream, timeout).await
}

/// Reads one response (Content-Length framed), within `timeout`.
pub async fn read_response(
    stream: &mut TcpStream,
    timeout: Duration,
) -> Result<RawResponse, ExchangeError> {
    tokio::time::timeout(timeout, read_framed(stream))
        .await
        .map_err(|_| ExchangeError::Timeout(timeout))?
}

async fn read_framed(stream: &mut TcpStream) -> Result<RawResponse, ExchangeError> {
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(ExchangeError::Closed);
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_lowercase();
    let status = head
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| ExchangeError::Malformed(head.clone()))?;
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map_or(Ok(0), |value| value.trim().parse())
        .map_err(|_| ExchangeError::Malformed(head.clone()))?;
    while buffer.len() < head_end + length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(ExchangeError::Closed);
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    Ok(RawResponse {
        status,
        head,
        body: buffer[head_end..head_end + length].to_vec(),
    })
}

/// Whether the server closes `stream` within `timeout` (a read returns end of file).
pub async fn closed_by_server(stream: &mut TcpStream, timeout: Duration) -> bool {
    let mut byte = [0u8; 1];
    matches!(
        tokio::time::timeout(timeout, stream.read(&mut byte)).await,
        Ok(Ok(0) | Err(_))
    )
}
