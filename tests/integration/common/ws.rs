//! A real WebSocket client speaking graphql-transport-ws (the protocol of the
//! `graphql-ws` npm client), or the legacy `graphql-ws` protocol.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for one expected message.
pub const WAIT: Duration = Duration::from_secs(10);

/// A connected, acknowledged GraphQL WebSocket client.
pub struct WsClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    legacy: bool,
}

impl WsClient {
    /// Connects to `ws://…/graphql/<app>/ws` with graphql-transport-ws and
    /// completes `connection_init` with a service-role token.
    pub async fn connect(base: &str, app: &str) -> WsClient {
        Self::connect_as(base, app, &super::service_token()).await
    }

    /// Connects with graphql-transport-ws, authenticating with `token`.
    pub async fn connect_as(base: &str, app: &str, token: &str) -> WsClient {
        Self::connect_with(base, app, "graphql-transport-ws", json!({ "Authorization": format!("Bearer {token}") })).await
    }

    /// Connects with a given subprotocol and `connection_init` payload.
    pub async fn connect_with(base: &str, app: &str, protocol: &str, payload: Value) -> WsClient {
        let url = format!("{}/graphql/{app}/ws", base.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_str(protocol).unwrap());
        let (socket, response) = tokio_tungstenite::connect_async(request).await.expect("WebSocket connects");
        assert_eq!(
            response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok()),
            Some(protocol),
            "server picked the subprotocol"
        );
        let mut client = WsClient { socket, legacy: protocol == "graphql-ws" };
        client.send(json!({ "type": "connection_init", "payload": payload })).await;
        let ack = client.next_message().await.expect("connection_ack");
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        client
    }

    /// Sends one protocol message.
    pub async fn send(&mut self, message: Value) {
        self.socket.send(Message::Text(message.to_string().into())).await.expect("send");
    }

    /// Starts a subscription under `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let kind = if self.legacy { "start" } else { "subscribe" };
        self.send(json!({ "id": id, "type": kind, "payload": { "query": query, "variables": variables } })).await;
    }

    /// Stops a subscription.
    pub async fn complete(&mut self, id: &str) {
        let kind = if self.legacy { "stop" } else { "complete" };
        self.send(json!({ "id": id, "type": kind })).await;
    }

    /// The next protocol message (pings are answered and skipped); `None` when closed or silent for [`WAIT`].
    pub async fn next_message(&mut self) -> Option<Value> {
        self.next_message_within(WAIT).await
    }

    /// Like [`Self::next_message`] with a custom silence limit.
    pub async fn next_message_within(&mut self, wait: Duration) -> Option<Value> {
        loop {
            let msg = tokio::time::timeout(wait, self.socket.next()).await.ok()??.ok()?;
            match msg {
                Message::Text(t) => {
                    let v: Value = serde_json::from_str(&t).expect("JSON message");
                    match v["type"].as_str() {
                        Some("ping") => self.send(json!({ "type": "pong" })).await,
                        Some("ka") | Some("pong") => {}
                        _ => return Some(v),
                    }
                }
                Message::Close(_) => return None,
                _ => {}
            }
        }
    }

    /// The next protocol message (pings are answered and skipped), or the
    /// code and reason of the close frame when the server closes instead;
    /// panics when neither arrives within [`WAIT`].
    pub async fn next_or_close(&mut self) -> Result<Value, (u16, String)> {
        loop {
            let msg = tokio::time::timeout(WAIT, self.socket.next()).await.expect("a message or a close within WAIT");
            match msg {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(&t).expect("JSON message");
                    match v["type"].as_str() {
                        Some("ping") => self.send(json!({ "type": "pong" })).await,
                        Some("ka") | Some("pong") => {}
                        _ => return Ok(v),
                    }
                }
                Some(Ok(Message::Close(frame))) => {
                    return Err(frame.map(|f| (u16::from(f.code), f.reason.to_string())).unwrap_or((1005, String::new())))
                }
                Some(Ok(_)) => {}
                other => panic!("the connection ended without a close frame: {other:?}"),
            }
        }
    }

    /// The next text message as it arrives, keep-alives included (nothing is answered).
    pub async fn next_raw(&mut self, wait: Duration) -> Option<Value> {
        loop {
            match tokio::time::timeout(wait, self.socket.next()).await.ok()??.ok()? {
                Message::Text(t) => return serde_json::from_str(&t).ok(),
                Message::Close(_) => return None,
                _ => {}
            }
        }
    }

    /// The next `next`/`data` payload for subscription `id` (panics on anything else).
    pub async fn next_data(&mut self, id: &str) -> Value {
        let msg = self.next_message().await.unwrap_or_else(|| panic!("no event for subscription {id} within {WAIT:?}"));
        assert_eq!(msg["id"], id, "{msg}");
        assert!(msg["type"] == "next" || msg["type"] == "data", "expected an event, got {msg}");
        msg["payload"].clone()
    }

    /// Asserts nothing arrives for `wait`.
    pub async fn expect_silence(&mut self, wait: Duration) {
        if let Some(msg) = self.next_message_within(wait).await {
            panic!("expected no message, got {msg}");
        }
    }

    /// Closes the connection.
    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}

impl WsClient {
    /// Tries to open a graphql-transport-ws connection; the HTTP status when the upgrade is refused.
    pub async fn try_connect(base: &str, app: &str) -> Result<WsClient, u16> {
        let url = format!("{}/graphql/{app}/ws", base.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
        match tokio_tungstenite::connect_async(request).await {
            Ok((socket, _)) => {
                let mut client = WsClient { socket, legacy: false };
                let payload = json!({ "Authorization": format!("Bearer {}", super::service_token()) });
                client.send(json!({ "type": "connection_init", "payload": payload })).await;
                let ack = client.next_message().await.expect("connection_ack");
                assert_eq!(ack["type"], "connection_ack", "{ack}");
                Ok(client)
            }
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
            Err(e) => panic!("WebSocket connect failed: {e}"),
        }
    }

    /// The next message of any kind for subscription `id`, skipping (and
    /// returning) nothing else: panics when a message for another id arrives.
    pub async fn next_for(&mut self, id: &str) -> Value {
        let msg = self.next_message().await.unwrap_or_else(|| panic!("no message for subscription {id} within {WAIT:?}"));
        assert_eq!(msg["id"], id, "{msg}");
        msg
    }
}
