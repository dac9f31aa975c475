//! Phoenix channel framing, as realtime-js speaks it: vsn `1.0.0` (JSON
//! objects), vsn `2.0.0` (JSON arrays `[join_ref, ref, topic, event,
//! payload]`, plus binary user-broadcast frames of kind 3 from clients).
//! Refs are kept as the client sent them (a string or `null`) and echoed
//! unchanged.

use serde_json::{json, Value};

/// The serializer version a socket asked for with `vsn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vsn {
    /// `1.0.0` (also when `vsn` is absent): JSON objects; never binary.
    V1,
    /// `2.0.0`: JSON arrays and binary broadcasts.
    V2,
}

impl Vsn {
    /// Parses the `vsn` query parameter.
    pub fn parse(vsn: Option<&str>) -> Result<Vsn, String> {
        match vsn {
            None | Some("1.0.0") => Ok(Vsn::V1),
            Some("2.0.0") => Ok(Vsn::V2),
            Some(other) => Err(format!("Unsupported serializer version: {other}")),
        }
    }
}

/// One Phoenix message.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The join ref of the channel it belongs to (`null` for fan-out).
    pub join_ref: Value,
    /// The message ref (`null` for server pushes).
    pub r#ref: Value,
    /// `realtime:<name>` or `phoenix`.
    pub topic: String,
    /// The event name.
    pub event: String,
    /// The payload.
    pub payload: Value,
}

impl Frame {
    /// A server push without refs (fan-out).
    pub fn push(topic: &str, event: &str, payload: Value) -> Frame {
        Frame { join_ref: Value::Null, r#ref: Value::Null, topic: topic.into(), event: event.into(), payload }
    }

    /// The `phx_reply` to this message.
    pub fn reply(&self, status: &str, response: Value) -> Frame {
        Frame {
            join_ref: self.join_ref.clone(),
            r#ref: self.r#ref.clone(),
            topic: self.topic.clone(),
            event: "phx_reply".into(),
            payload: json!({ "status": status, "response": response }),
        }
    }
}

fn text_or_null(v: Option<&Value>) -> Result<Value, String> {
    match v {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) => Ok(Value::String(s.clone())),
        Some(Value::Number(n)) => Ok(Value::String(n.to_string())),
        Some(_) => Err("a ref must be a string or null".into()),
    }
}

fn text(v: Option<&Value>, what: &str) -> Result<String, String> {
    v.and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("the message has no {what}"))
}

/// Decodes a text frame.
pub fn decode_text(vsn: Vsn, raw: &str) -> Result<Frame, String> {
    let v: Value = serde_json::from_str(raw).map_err(|e| format!("the message is not JSON: {e}"))?;
    match vsn {
        Vsn::V2 => {
            let Some(items) = v.as_array().filter(|a| a.len() >= 5) else {
                return Err("expected V2 array [join_ref, ref, topic, event, payload]".into());
            };
            Ok(Frame {
                join_ref: text_or_null(items.first())?,
                r#ref: text_or_null(items.get(1))?,
                topic: text(items.get(2), "topic")?,
                event: text(items.get(3), "event")?,
                payload: items[4].clone(),
            })
        }
        Vsn::V1 => {
            let Some(o) = v.as_object() else { return Err("expected a JSON object {topic, event, payload, ref}".into()) };
            Ok(Frame {
                join_ref: text_or_null(o.get("join_ref"))?,
                r#ref: text_or_null(o.get("ref"))?,
                topic: text(o.get("topic"), "topic")?,
                event: text(o.get("event"), "event")?,
                payload: o.get("payload").cloned().unwrap_or(Value::Null),
            })
        }
    }
}

/// Binary kind of a client user broadcast.
const USER_BROADCAST_PUSH: u8 = 3;

/// Decodes a binary frame: only kind 3 (a user broadcast pushed by the
/// client) with a JSON payload; it becomes a `broadcast` message as the
/// text form would carry it.
pub fn decode_binary(bytes: &[u8]) -> Result<Frame, String> {
    let truncated = || "truncated binary frame".to_string();
    let (&kind, rest) = bytes.split_first().ok_or_else(truncated)?;
    if kind != USER_BROADCAST_PUSH {
        return Err(format!("binary frames of kind {kind} are not accepted (only 3, a user broadcast)"));
    }
    let header = rest.get(..6).ok_or_else(truncated)?;
    let lens: Vec<usize> = header[..5].iter().map(|&b| b as usize).collect();
    let encoding = header[5];
    let mut at = 6;
    let mut parts = Vec::new();
    for len in &lens {
        let part = rest.get(at..at + len).ok_or_else(truncated)?;
        parts.push(std::str::from_utf8(part).map_err(|_| "a binary frame header field is not UTF-8".to_string())?.to_string());
        at += len;
    }
    let body = rest.get(at..).ok_or_else(truncated)?;
    if encoding != 1 {
        return Err("binary broadcast payloads are not supported; send JSON".into());
    }
    let payload: Value = serde_json::from_slice(body).map_err(|e| format!("the broadcast payload is not JSON: {e}"))?;
    let opt = |s: &String| if s.is_empty() { Value::Null } else { Value::String(s.clone()) };
    Ok(Frame {
        join_ref: opt(&parts[0]),
        r#ref: opt(&parts[1]),
        topic: parts[2].clone(),
        event: "broadcast".into(),
        payload: json!({ "type": "broadcast", "event": parts[3], "payload": payload }),
    })
}

/// Encodes a frame as text (vsn 1.0.0 leaves `join_ref` out, as Phoenix's
/// V1 serializer does).
pub fn encode(vsn: Vsn, f: &Frame) -> String {
    match vsn {
        Vsn::V2 => json!([f.join_ref, f.r#ref, f.topic, f.event, f.payload]).to_string(),
        Vsn::V1 => json!({ "topic": f.topic, "event": f.event, "payload": f.payload, "ref": f.r#ref }).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_text_round_trip() {
        let f = decode_text(Vsn::V2, r#"["6","6","realtime:room1","phx_join",{"config":{}}]"#).unwrap();
        assert_eq!((f.topic.as_str(), f.event.as_str(), &f.join_ref), ("realtime:room1", "phx_join", &json!("6")));
        assert_eq!(encode(Vsn::V2, &f.reply("ok", json!({}))), r#"["6","6","realtime:room1","phx_reply",{"response":{},"status":"ok"}]"#);
        assert!(decode_text(Vsn::V2, r#"{"topic":"x"}"#).is_err());
        assert!(decode_text(Vsn::V2, r#"[null,"1","phoenix"]"#).is_err());
    }

    #[test]
    fn v1_objects_omit_join_ref_on_output() {
        let f = decode_text(Vsn::V1, r#"{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"10"}"#).unwrap();
        assert_eq!(f.join_ref, Value::Null);
        let out: Value = serde_json::from_str(&encode(Vsn::V1, &f.reply("ok", json!({})))).unwrap();
        assert_eq!(out, json!({"topic":"phoenix","event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"10"}));
    }

    #[test]
    fn binary_user_broadcast_decodes() {
        // The frame realtime-js 2.119.1 sends for send({type:'broadcast', event:'cursor', payload:{x:3}}).
        let hex = "0301010e06000136387265616c74696d653a726f6f6d31637572736f727b2278223a337d";
        let bytes: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
        let f = decode_binary(&bytes).unwrap();
        assert_eq!((f.join_ref, f.r#ref, f.topic.as_str()), (json!("6"), json!("8"), "realtime:room1"));
        assert_eq!(f.payload, json!({"type":"broadcast","event":"cursor","payload":{"x":3}}));
        assert!(decode_binary(&bytes[..10]).is_err());
        assert!(decode_binary(&[4, 0, 0, 0, 0, 0, 1]).is_err());
        assert_eq!(Vsn::parse(None), Ok(Vsn::V1));
        assert!(Vsn::parse(Some("3.0.0")).is_err());
    }
}
