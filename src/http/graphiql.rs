//! GraphiQL, served by Quiver itself: the page (`GET /graphql/<app>`) and its
//! scripts and styles (`GET /graphql/<app>/assets/<file>`), all built into the
//! binary. The browser files come from the npm packages pinned in
//! `assets/graphiql/package-lock.json` (`scripts/refresh-graphiql.sh` copies
//! them, with their licences, into `assets/graphiql/`), so the page works
//! offline; its Content-Security-Policy lets it load nothing from another host.
//!
//! In development mode (a private cluster's secret, served on loopback only;
//! see `server::serve`) the page also carries a service-role token and one
//! token per demo user of the app, for its "Sign in as" choice.

use std::sync::OnceLock;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

const PAGE: &str = include_str!("graphiql.html");

/// What the page may load and connect to: this server only (`'self'` covers
/// its WebSocket too). Styles may be inline: GraphiQL sets some at run time.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

/// One file under `/graphql/<app>/assets/`.
struct Asset {
    name: &'static str,
    media: &'static str,
    body: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";

macro_rules! vendored {
    ($name:literal, $media:expr) => {
        Asset { name: $name, media: $media, body: include_bytes!(concat!("../../assets/graphiql/", $name)) }
    };
}

static ASSETS: &[Asset] = &[
    vendored!("react.production.min.js", JS),
    vendored!("react-dom.production.min.js", JS),
    vendored!("graphql-ws.min.js", JS),
    vendored!("graphiql.min.js", JS),
    vendored!("graphiql.min.css", "text/css; charset=utf-8"),
    Asset { name: "quiver-graphiql.js", media: JS, body: include_bytes!("quiver-graphiql.js") },
];

/// A demo user GraphiQL offers to sign in as (development mode only).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignIn {
    /// The demo user's short name (`ada`).
    pub name: &'static str,
    /// Who they are and what they may see.
    pub about: &'static str,
    /// A token acting as them.
    pub token: String,
}

/// The page for `app`, with `token` (development mode) prefilled in the
/// headers editor and `users` to sign in as instead.
pub fn page(app: &str, token: Option<&str>, users: &[SignIn]) -> Response {
    // The token is a JWT (base64url and dots), safe inside an HTML attribute.
    let token = token.filter(|t| t.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
    // Demo users only come with the development token.
    let users = if token.is_some() { users } else { &[] };
    let endpoint = format!("/graphql/{app}");
    let html = PAGE
        .replace("{{TITLE}}", &format!("Quiver · {app}"))
        .replace("{{ASSETS}}", &format!("{endpoint}/assets"))
        .replace("{{ENDPOINT}}", &endpoint)
        .replace("{{TOKEN}}", token.unwrap_or(""))
        .replace("{{USERS}}", &attribute(&serde_json::to_string(users).unwrap_or_else(|_| "[]".into())));
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CONTENT_SECURITY_POLICY, PAGE_POLICY),
        // The page may carry a development token: never from a shared cache.
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    (headers, html).into_response()
}

/// `text` escaped for a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// `GET /graphql/<app>/assets/<name>`: a built-in file, with an `ETag`
/// (revalidated after an hour), or 404.
pub fn asset(name: &str, request_headers: &HeaderMap) -> Response {
    let Some((index, asset)) = ASSETS.iter().enumerate().find(|(_, a)| a.name == name) else {
        return (StatusCode::NOT_FOUND, "no such GraphiQL asset\n").into_response();
    };
    let etag = &etags()[index];
    let cached = request_headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let mut response = match cached {
        true => StatusCode::NOT_MODIFIED.into_response(),
        false => ([(header::CONTENT_TYPE, asset.media)], asset.body).into_response(),
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

/// A strong `ETag` per asset (its sha256's first 16 hex digits), computed once.
fn etags() -> &'static [String] {
    static ETAGS: OnceLock<Vec<String>> = OnceLock::new();
    ETAGS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                use sha2::Digest;
                let digest = sha2::Sha256::digest(a.body);
                let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
                format!("\"{hex}\"")
            })
            .collect()
    })
}
