//! Property tests of every input parser (issue 14, hole 3): arbitrary and
//! near-miss input never panics, and what is accepted is what the parser
//! promises. In-process parsers run a few thousand cases; the parsers behind
//! the running server (scalars, filters, cursors, WebSocket messages) run a
//! few dozen requests each against a real server, which must answer every one
//! with data or a coded error and stay up. Case counts are fixed so the whole
//! module runs in seconds.

use std::net::IpAddr;

use async_graphql::{Name, Value as GqlValue};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

use quiver::auth::{client_ip, Cidr, Credentials};
use quiver::catalog::model::AppModel;
use quiver::graphql::inputs::{input_text, parse_filter, parse_list, Args, PageLimits};
use quiver::graphql::scalars::{is_date, is_decimal, is_rfc3339, rfc3339_instant};

use crate::common::TestServer;

/// The codes a response may carry (the README's list).
const STABLE_CODES: &[&str] = &[
    "BAD_USER_INPUT",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "NOT_FOUND",
    "CONFLICT",
    "FOREIGN_KEY_VIOLATION",
    "QUERY_TOO_DEEP",
    "QUERY_TOO_COMPLEX",
    "PAYLOAD_TOO_LARGE",
    "LIMIT_EXCEEDED",
    "UNAUTHENTICATED",
    "FORBIDDEN",
];

/// A runner of `cases` cases: the same cases every run (so CI is stable),
/// fresh random ones with `QUIVER_FUZZ_RANDOM=1` (to look for new failures).
fn runner(cases: u32) -> TestRunner {
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    if std::env::var_os("QUIVER_FUZZ_RANDOM").is_some() {
        TestRunner::new(config)
    } else {
        let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
        TestRunner::new_with_rng(config, rng)
    }
}

/// Strings that look like a valid input with one character replaced,
/// inserted or removed (often multibyte), plus arbitrary strings.
fn near_miss(valid: &'static [&'static str]) -> impl Strategy<Value = String> {
    let edited = (prop::sample::select(valid), any::<prop::sample::Index>(), any::<char>(), 0..3u8).prop_map(|(base, at, c, how)| {
        let mut chars: Vec<char> = base.chars().collect();
        let i = at.index(chars.len() + 1);
        match how {
            0 if i < chars.len() => chars[i] = c,
            1 if i < chars.len() => {
                chars.remove(i);
            }
            _ => chars.insert(i.min(chars.len()), c),
        }
        chars.into_iter().collect()
    });
    prop_oneof![3 => edited, 1 => any::<String>(), 1 => prop::sample::select(valid).prop_map(str::to_string)]
}

const TIMESTAMPS: &[&str] =
    &["2024-01-01T00:00:00Z", "2025-01-31 12:00:00.123456+05:30", "1999-12-31t23:59:60.5-08:00", "2024-02-29T12:00:00z"];

#[test]
fn datetime_and_date_parsers_never_panic() {
    runner(4000)
        .run(&near_miss(TIMESTAMPS), |s| {
            let ok = is_rfc3339(&s);
            let instant = rfc3339_instant(&s);
            prop_assert_eq!(ok, instant.is_some(), "{:?}", s);
            if ok {
                prop_assert!(s.is_ascii(), "{:?}", s);
            }
            let _ = is_date(&s);
            let _ = s.get(..10).map(is_date);
            Ok(())
        })
        .unwrap();
    for t in TIMESTAMPS {
        assert!(is_rfc3339(t), "{t}");
    }
}

#[test]
fn decimal_and_integer_parsers_never_panic() {
    runner(3000)
        .run(&near_miss(&["0", "-12.50", "99999999.99", "123456789012345678901234567890.5"]), |s| {
            if is_decimal(&s) {
                // Accepted decimals are plain: an optional minus, digits, at most one point.
                prop_assert!(s.trim_start_matches('-').chars().all(|c| c.is_ascii_digit() || c == '.'), "{:?}", s);
            }
            let _ = s.trim().parse::<i64>();
            Ok(())
        })
        .unwrap();
}

#[test]
fn cidr_and_forwarded_for_parsers_never_panic() {
    let trusted: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()];
    let proxy: IpAddr = "10.0.0.1".parse().unwrap();
    runner(3000)
        .run(
            &(
                near_miss(&["10.0.0.0/8", "::ffff:1.2.3.4/120", "203.0.113.9", "fe80::/10"]),
                near_miss(&["1.2.3.4, 10.0.0.5", "203.0.113.9"]),
            ),
            |(cidr, chain)| {
                if let Ok(net) = cidr.parse::<Cidr>() {
                    let _ = net.contains(&proxy);
                }
                let ip = client_ip(proxy, Some(&chain), &trusted);
                // The answer is the peer or an address named in the chain.
                prop_assert!(
                    ip == proxy || chain.split(',').any(|h| h.trim().parse::<IpAddr>().ok() == Some(ip)),
                    "{} from {:?}",
                    ip,
                    chain
                );
                Ok(())
            },
        )
        .unwrap();
    runner(2000)
        .run(&(any::<[u8; 4]>(), 0..=40u8), |(octets, prefix)| {
            let addr = IpAddr::from(octets);
            let parsed = format!("{addr}/{prefix}").parse::<Cidr>();
            prop_assert_eq!(parsed.is_ok(), prefix <= 32);
            if let Ok(net) = parsed {
                prop_assert!(net.contains(&addr));
            }
            Ok(())
        })
        .unwrap();
}

/// Arbitrary JSON, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        near_miss(&["Bearer abc.def.ghi", "ApiKey id.secret", "bearer", "Authorization", "headers"]).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(
                        &["Authorization", "authorization", "headers", "token", "apiKey", "x-api-key", "accessToken", "other"][..]
                    ),
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

#[test]
fn credential_header_and_init_payload_parsers_never_panic() {
    runner(3000)
        .run(
            &(prop::collection::vec(any::<u8>(), 0..80), near_miss(&["Bearer a.b.c", "ApiKey k.s", "bearer  x", "Basic x"])),
            |(bytes, text)| {
                for raw in [bytes.as_slice(), text.as_bytes()] {
                    let Ok(value) = axum::http::HeaderValue::from_bytes(raw) else {
                        continue;
                    };
                    let mut headers = axum::http::HeaderMap::new();
                    headers.insert(axum::http::header::AUTHORIZATION, value.clone());
                    headers.insert("x-api-key", value);
                    let _ = Credentials::from_headers(&headers);
                }
                Ok(())
            },
        )
        .unwrap();
    runner(2000)
        .run(&json_value(), |payload| {
            let _ = Credentials::from_init_payload(&payload);
            let _ = Credentials::from_init_payload(&json!({ "headers": payload }));
            Ok(())
        })
        .unwrap();
}

#[test]
fn jwt_parser_refuses_garbage_without_panicking() {
    let config = quiver::auth::jwt::JwtConfig {
        hs256_secret: Some(crate::common::JWT_SECRET.into()),
        audiences: vec!["authenticated".into()],
        ..Default::default()
    };
    let verifier = quiver::auth::jwt::JwtVerifier::new(&config).unwrap();
    let valid = crate::common::token("authenticated", Some("00000000-0000-4000-8000-000000000001"), 3600);
    assert!(verifier.verify(&valid).is_ok());
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let segments = (json_value(), json_value(), prop::collection::vec(any::<u8>(), 0..64));
    runner(1500)
        .run(&segments, |(header, claims, sig)| {
            let forged = format!("{}.{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()), b64(&sig));
            prop_assert!(verifier.verify(&forged).is_err(), "{}", forged);
            let hs = format!("{}.{}.{}", b64(br#"{"alg":"HS256","typ":"JWT"}"#), b64(claims.to_string().as_bytes()), b64(&sig));
            prop_assert!(verifier.verify(&hs).is_err(), "{}", hs);
            Ok(())
        })
        .unwrap();
    runner(1500)
        .run(&(any::<prop::sample::Index>(), any::<char>(), any::<String>()), |(at, c, garbage)| {
            let mut chars: Vec<char> = valid.chars().collect();
            let i = at.index(chars.len());
            if chars[i] != c {
                chars[i] = c;
                let tampered: String = chars.into_iter().collect();
                // A changed character either still decodes to the same bytes (base64 padding bits) or is refused.
                if let Ok(claims) = verifier.verify(&tampered) {
                    prop_assert_eq!(claims.sub.as_deref(), Some("00000000-0000-4000-8000-000000000001"));
                }
            }
            prop_assert!(verifier.verify(&garbage).is_err());
            Ok(())
        })
        .unwrap();
}

/// Names the filter, list and input parsers look for, to reach deep branches.
const KEYS: &[&str] = &[
    "and",
    "or",
    "not",
    "eq",
    "neq",
    "in",
    "lt",
    "lte",
    "gt",
    "gte",
    "isNull",
    "like",
    "ilike",
    "contains",
    "id",
    "name",
    "createdAt",
    "workbench",
    "workbenchId",
    "status",
    "metadata",
    "field",
    "direction",
    "nulls",
    "first",
    "last",
    "after",
    "before",
    "filter",
    "orderBy",
    "user",
    "email",
    "creditBalance",
    "tags",
    "x",
];

fn gql_value() -> impl Strategy<Value = GqlValue> {
    let leaf = prop_oneof![
        Just(GqlValue::Null),
        any::<bool>().prop_map(GqlValue::Boolean),
        any::<i64>().prop_map(GqlValue::from),
        (-2000i64..2000).prop_map(GqlValue::from),
        any::<f64>().prop_map(GqlValue::from),
        near_miss(&[
            "2024-01-01T00:00:00Z",
            "12.50",
            "9223372036854775807",
            "4f9b2c9e-8d1a-4c6e-9a53-0b1f8f2d7c11",
            "{\"a\":1}",
            "10.0.0.0/8",
            "%x%"
        ])
        .prop_map(GqlValue::String),
        prop::sample::select(&["ASC", "DESC", "FIRST", "LAST", "NAME", "CREATED_AT", "ID", "DRAFT", "x"][..])
            .prop_map(|n| GqlValue::Enum(Name::new(n))),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(GqlValue::List),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6)
                .prop_map(|kv| { GqlValue::Object(kv.into_iter().map(|(k, v)| (Name::new(k), v)).collect()) }),
        ]
    })
}

#[test]
fn filter_list_cursor_and_input_parsers_never_panic() {
    let model = AppModel::new(quiver::apps::find("studio").unwrap().app());
    let limits = PageLimits { default: 100, max: 1000, filter_depth: 10 };
    let cursor = prop_oneof![
        any::<String>(),
        json_value().prop_map(|v| {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
        }),
        (any::<String>(), prop::collection::vec(json_value(), 0..4)).prop_map(|(sig, values)| {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json!([sig, values]).to_string())
        }),
    ];
    let tables = model.tables.len();
    runner(3000)
        .run(&(0..tables, gql_value(), gql_value(), cursor), |(table, filter, order, cursor)| {
            let mut args = Args::new();
            args.insert(Name::new("filter"), filter.clone());
            args.insert(Name::new("orderBy"), order);
            args.insert(Name::new("after"), GqlValue::String(cursor.clone()));
            let _ = parse_list(&model, table, &args, vec![], limits);
            args.shift_remove("after");
            args.insert(Name::new("before"), GqlValue::String(cursor));
            args.insert(Name::new("last"), GqlValue::from(3));
            let _ = parse_list(&model, table, &args, vec![], limits);
            if let GqlValue::Object(obj) = &filter {
                let _ = parse_filter(&model, table, obj, 64);
            }
            let tm = &model.tables[table];
            for column in 0..tm.table.columns.len() {
                if let Err(e) = input_text(tm, column, &filter) {
                    prop_assert_eq!(e.code(), "BAD_USER_INPUT");
                }
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------
// Parsers behind the running server
// ---------------------------------------------------------------------------

/// Checks a response body: data, or errors that each carry a stable code.
fn well_formed(body: &Value) -> Result<(), TestCaseError> {
    if let Some(errors) = body.get("errors") {
        let errors = errors.as_array().ok_or_else(|| TestCaseError::fail(format!("errors is not a list: {body}")))?;
        for e in errors {
            let code = e["extensions"]["code"].as_str().unwrap_or_default();
            prop_assert!(STABLE_CODES.contains(&code), "unexpected code in {}", body);
        }
    } else {
        prop_assert!(body.get("data").is_some(), "neither data nor errors: {}", body);
    }
    Ok(())
}

/// A server and a runtime to drive it from synchronous proptest closures.
fn live() -> (tokio::runtime::Runtime, TestServer) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let server = rt.block_on(TestServer::start());
    (rt, server)
}

#[test]
fn scalar_filter_and_cursor_arguments_over_http_get_coded_answers() {
    let (rt, server) = live();
    let studio = [
        ("DateTime", "projects(filter: {createdAt: {lt: $v}})"),
        ("UUID", "projects(filter: {id: {eq: $v}})"),
        ("Decimal", "users(filter: {creditBalance: {gte: $v}})"),
        ("JSON", "assets(filter: {metadata: {contains: $v}})"),
        ("BigInt", "usageLogs(filter: {id: {eq: $v}})"),
        ("String", "projects(after: $v)"),
        ("String", "projects(before: $v, last: 2)"),
        ("ProjectFilter", "projects(filter: $v)"),
        ("[ProjectOrderBy!]", "projects(orderBy: $v)"),
    ];
    let value = prop_oneof![
        json_value(),
        near_miss(&["2024-01-0éT00:00:00Z", "4f9b2c9e-8d1a-4c6e-9a53-0b1f8f2d7c11", "12.50", "9223372036854775808"]).prop_map(Value::from),
    ];
    runner(96)
        .run(&(0..studio.len(), value), |(i, v)| {
            let (ty, field) = studio[i];
            let root = field.split('(').next().unwrap();
            let query = format!("query($v: {ty}) {{ {field} {{ nodes {{ id }} }} }}");
            let body = rt.block_on(server.gql(&query, json!({ "v": v })));
            well_formed(&body)?;
            // And inline, as a literal (when the value prints as one).
            let literal = match &v {
                Value::String(s) => serde_json::to_string(s).unwrap(),
                other => other.to_string(),
            };
            let inline = field.replace("$v", &literal);
            let body = rt.block_on(server.gql(&format!("{{ {inline} {{ nodes {{ id }} }} }}"), json!({})));
            well_formed(&body)?;
            prop_assert!(body.get("data").is_some() || body.get("errors").is_some(), "{} {}", root, body);
            Ok(())
        })
        .unwrap();
    // cidr lives in orders.
    let orders = [("String", "ipAllowlist(filter: {ipAddress: {eq: $v}})"), ("String", "ipAllowlist(filter: {ipAddress: {in: [$v]}})")];
    runner(48)
        .run(&(0..orders.len(), near_miss(&["9223372036854775807", "10.0.0.0/8", "::1/128"])), |(i, v)| {
            let (ty, field) = orders[i];
            let query = format!("query($v: {ty}) {{ {field} {{ nodes {{ __typename }} }} }}");
            let body = rt.block_on(server.gql_app("orders", &query, json!({ "v": v })));
            if body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED" {
                // A field name above that the schema does not have would make this test vacuous.
                prop_assert!(!body.to_string().contains("Unknown field"), "{}", body);
            }
            well_formed(&body)
        })
        .unwrap();
    rt.block_on(async {
        assert!(server.data("{ projects { totalCount } }", json!({})).await["projects"]["totalCount"].is_number());
    });
}

#[test]
fn deeply_nested_documents_and_values_get_coded_answers() {
    let (rt, server) = live();
    rt.block_on(async {
        for n in [100, 1000, 20_000] {
            for query in [
                format!("{{ projects(filter: {}{}) {{ totalCount }} }}", "{not: ".repeat(n), "}".repeat(n)),
                format!("{{ projects(filter: {{metadata: {{contains: {}1{}}}}}) {{ totalCount }} }}", "[".repeat(n), "]".repeat(n)),
                format!("{}{}", "{ projects { nodes { workbench ".repeat(n.min(5000)), "}".repeat(n.min(5000) * 3 + 1)),
            ] {
                let resp = server.http.post(server.endpoint("studio")).json(&json!({ "query": query })).send().await.expect("an answer");
                let body: Value = resp.json().await.expect("a JSON body");
                assert!(body["errors"][0]["extensions"]["code"].is_string(), "{n}: {body}");
            }
        }
        assert!(server.data("{ projects { totalCount } }", json!({})).await["projects"]["totalCount"].is_number());
    });
}

#[test]
fn arbitrary_websocket_messages_never_take_the_server_down() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::Message;
    let (rt, server) = live();
    let url = format!("{}/graphql/studio/ws", server.base.replacen("http://", "ws://", 1));
    let message = prop_oneof![
        any::<String>(),
        json_value().prop_map(|v| v.to_string()),
        (
            prop::sample::select(
                &["connection_init", "subscribe", "start", "complete", "stop", "ping", "pong", "connection_terminate", "x"][..]
            ),
            json_value(),
            json_value()
        )
            .prop_map(|(t, id, payload)| { json!({ "type": t, "id": id, "payload": payload }).to_string() }),
        (prop::sample::select(&["subscribe", "start"][..]), gql_value())
            .prop_map(|(t, q)| { json!({ "type": t, "id": "1", "payload": { "query": q.to_string() } }).to_string() }),
    ];
    runner(64)
        .run(&(prop::collection::vec(message, 1..5), any::<bool>()), |(messages, init_first)| {
            rt.block_on(async {
                let mut request = url.clone().into_client_request().unwrap();
                request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
                let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("connects");
                if init_first {
                    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", crate::common::service_token()) } });
                    socket.send(Message::Text(init.to_string().into())).await.unwrap();
                }
                for m in &messages {
                    if socket.send(Message::Text(m.clone().into())).await.is_err() {
                        break;
                    }
                }
                // Read what comes within a moment: answers or a close, never a hang of the server.
                while let Ok(Some(Ok(msg))) = tokio::time::timeout(std::time::Duration::from_millis(150), socket.next()).await {
                    if let Message::Text(t) = msg {
                        let v: Value = serde_json::from_str(&t).expect("the server sends JSON");
                        assert!(v["type"].is_string(), "{v}");
                    }
                }
                let _ = socket.close(None).await;
            });
            let body = rt.block_on(server.gql("{ projects { totalCount } }", json!({})));
            prop_assert!(body["data"]["projects"]["totalCount"].is_number(), "{}", body);
            Ok(())
        })
        .unwrap();
}
