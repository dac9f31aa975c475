//! GraphQL schema building: one dynamic async-graphql schema per app, derived
//! entirely from the app's table declarations.
//!
//! The schema is built at start-up (no generated Rust per table), printed as
//! SDL for `schema/<app>.graphql`, and executed with a per-request
//! [`loader::RequestLoader`] that batches every relation level into one query.

pub mod change_filter;
pub mod cost;
pub mod direct;
pub mod domain;
pub mod errors;
pub mod inputs;
pub mod loader;
pub mod objects;
pub mod plan;
pub mod root;
pub mod scalars;
pub mod subscriptions;

use std::sync::Arc;

use async_graphql::dynamic::{Enum, InputObject, InputValue, Object, Schema, Subscription, TypeRef};

use crate::auth::{Principal, Session};
use crate::catalog::model::AppModel;
use crate::catalog::{names, App, ColumnType};
use crate::db::Db;
use crate::error::QuiverError;
use crate::metrics::Operation;
use crate::realtime::Realtime;
use inputs::PageLimits;
use scalars::{column_type_ref, filter_type};

/// What resolvers of one app share: the indexed declarations, the database
/// and the page limits.
pub struct AppContext {
    /// The app's declarations, indexed.
    pub model: Arc<AppModel>,
    /// The database.
    pub db: Db,
    /// Page size limits.
    pub limits: PageLimits,
    /// Hashes and encrypts secret columns on write.
    pub secrets: crate::auth::Sealer,
    /// The table root fields of `QueryRoot`, by name, when read-only queries
    /// are answered on the direct path ([`direct`]); empty otherwise.
    pub roots: std::collections::HashMap<String, direct::RootKind>,
    /// The app's metrics (latency, errors, subscriptions).
    pub metrics: Arc<crate::metrics::AppMetrics>,
}

/// A mutation an app adds beyond the generated ones: its field name and a
/// constructor given that name and the app's context.
#[derive(Clone, Copy)]
pub struct DomainMutation {
    /// The mutation field's name.
    pub name: &'static str,
    /// Builds the field.
    pub field: fn(&'static str, &Arc<AppContext>) -> async_graphql::dynamic::Field,
}

/// Request limits applied to every operation.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Deepest allowed selection nesting.
    pub depth: usize,
    /// Largest allowed complexity (each selected field counts one).
    pub complexity: usize,
    /// Page sizes.
    pub pages: PageLimits,
    /// Answer read-only queries on the direct path ([`direct`]).
    pub direct_reads: bool,
    /// Most objects a request may return by its estimated cost ([`cost`]).
    pub max_nodes: u64,
    /// Most operations in one batch.
    pub max_batch: usize,
    /// Operations of one batch run at the same time.
    pub batch_concurrency: usize,
    /// Largest result message on a WebSocket, in bytes of JSON.
    pub response_bytes: usize,
    /// Most rows one operation (or one subscription event) may read.
    pub max_rows: u64,
    /// Most hashed secrets (passwords, API secrets) one request may set.
    pub max_hashes: usize,
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            depth: 16,
            complexity: 2000,
            pages: PageLimits { default: 100, max: 1000, filter_depth: 10 },
            direct_reads: true,
            max_nodes: 100_000,
            max_batch: 10,
            batch_concurrency: 4,
            response_bytes: 64 << 20,
            max_rows: 250_000,
            max_hashes: 10,
        }
    }
}

/// A built app schema with the context its requests need.
#[derive(Clone)]
pub struct AppSchema {
    /// The executable schema.
    pub schema: Schema,
    /// Shared resolver context.
    pub context: Arc<AppContext>,
    /// The limits it was built with.
    pub limits: QueryLimits,
}

/// The caller a request acts for, as put in the request data by the edge
/// (anonymous when there is none).
pub fn caller<'a>(ctx: &'a async_graphql::Context<'_>) -> &'a Principal {
    static ANON: std::sync::LazyLock<Principal> = std::sync::LazyLock::new(Principal::anon);
    ctx.data_opt::<Arc<Principal>>().map(|p| p.as_ref()).unwrap_or(&ANON)
}

/// The principal in connection or request data, if any.
fn principal_in(data: &async_graphql::Data) -> Option<Arc<Principal>> {
    data.get(&std::any::TypeId::of::<Arc<Principal>>()).and_then(|d| d.downcast_ref::<Arc<Principal>>()).cloned()
}

impl AppSchema {
    /// A fresh relation loader for one request by `who`: it remembers what it
    /// loaded, so the same page asked twice in one request is fetched once.
    pub fn loader(&self, who: Arc<Principal>, rows: Arc<cost::RowBudget>) -> loader::RequestLoader {
        loader::request_loader(self.context.model.clone(), self.context.db.clone(), who, rows)
    }

    /// A relation loader for a long-lived subscription: no memory between
    /// batches, so every event sees current rows (and the row cap applies to
    /// the stream as a whole only for one-shot operations).
    pub fn stream_loader(&self, who: Arc<Principal>, rows: Arc<cost::RowBudget>) -> loader::RequestLoader {
        let loader = self.loader(who, rows);
        loader.enable_all_cache(false);
        loader
    }

    /// Executes a request for `who`: a read-only query the direct path can
    /// answer is answered there ([`direct`]), anything else by the executor
    /// with a fresh loader. Every error gets a code.
    /// A request whose estimated cost ([`cost`]) is over the limit is
    /// refused before anything runs.
    pub async fn execute_as(&self, mut request: async_graphql::Request, who: Principal) -> Answer {
        let doc = async_graphql::parser::parse_query(&request.query).ok();
        if let Some(doc) = &doc {
            request = self.limit_cost(doc, request, "the query");
        }
        let hashes = Arc::new(inputs::HashBudget::new(self.limits.max_hashes));
        self.run(request, doc, Arc::new(who), hashes).await
    }

    /// Marks `request` (parsed as `doc`) to be refused after validation when
    /// its estimated cost is over the limit.
    fn limit_cost(
        &self,
        doc: &async_graphql::parser::types::ExecutableDocument,
        request: async_graphql::Request,
        what: &str,
    ) -> async_graphql::Request {
        let spent = self.cost(doc, &request);
        if spent <= self.limits.max_nodes {
            return request;
        }
        request.data(cost::OverLimit(cost::too_complex(spent, self.limits.max_nodes, what)))
    }

    /// The estimated objects `request` (parsed as `doc`) may return.
    pub fn cost(&self, doc: &async_graphql::parser::types::ExecutableDocument, request: &async_graphql::Request) -> u64 {
        cost::estimate(doc, request.operation_name.as_deref(), &request.variables, self.limits.pages.default as u64)
    }

    /// Executes a batch for `who`: at most `max_batch` operations, their
    /// costs added up against the one limit of a request, run at most
    /// `batch_concurrency` at a time, answered in order.
    pub async fn execute_batch(&self, requests: Vec<async_graphql::Request>, who: Principal) -> Result<Vec<Answer>, QuiverError> {
        use futures_util::StreamExt;
        if requests.len() > self.limits.max_batch {
            return Err(QuiverError::LimitExceeded(format!(
                "a batch may hold at most {} operations; this one has {}",
                self.limits.max_batch,
                requests.len()
            )));
        }
        let docs: Vec<_> = requests.iter().map(|r| async_graphql::parser::parse_query(&r.query).ok()).collect();
        let total = requests.iter().zip(&docs).filter_map(|(r, d)| d.as_ref().map(|d| self.cost(d, r))).fold(0u64, u64::saturating_add);
        if total > self.limits.max_nodes {
            let refusal = || {
                Answer::Response(async_graphql::Response::from_errors(vec![cost::too_complex(total, self.limits.max_nodes, "the batch")]))
            };
            for _ in &requests {
                self.context.metrics.error(crate::error::code::QUERY_TOO_COMPLEX);
            }
            return Ok(requests.iter().map(|_| refusal()).collect());
        }
        let who = Arc::new(who);
        // One budget of hashed secrets for the whole batch, as for one request.
        let hashes = Arc::new(inputs::HashBudget::new(self.limits.max_hashes));
        let runs = requests.into_iter().zip(docs).map(|(r, d)| self.run(r, d, who.clone(), hashes.clone()));
        Ok(futures_util::stream::iter(runs).buffered(self.limits.batch_concurrency.max(1)).collect().await)
    }

    async fn run(
        &self,
        request: async_graphql::Request,
        doc: Option<async_graphql::parser::types::ExecutableDocument>,
        who: Arc<Principal>,
        hashes: Arc<inputs::HashBudget>,
    ) -> Answer {
        let clock = std::time::Instant::now();
        let operation = doc.as_ref().map_or(Operation::Unknown, |d| operation_of(d, request.operation_name.as_deref()));
        let answer = self.run_timed(request, doc, who, hashes).await;
        let metrics = &self.context.metrics;
        metrics.observe(operation, clock.elapsed());
        if let Answer::Response(r) | Answer::Refused(r) = &answer {
            metrics.errors(&r.errors);
        }
        answer
    }

    async fn run_timed(
        &self,
        mut request: async_graphql::Request,
        doc: Option<async_graphql::parser::types::ExecutableDocument>,
        who: Arc<Principal>,
        hashes: Arc<inputs::HashBudget>,
    ) -> Answer {
        let query = request.query.clone();
        let direct_answer = Arc::new(std::sync::Mutex::new(None));
        let rows = Arc::new(cost::RowBudget::new(self.limits.max_rows));
        if let Some(doc) = doc {
            apply_variable_defaults(&doc, &mut request);
            let direct_on = !self.context.roots.is_empty();
            // Its own budget: when the direct path gives up, the executor reads afresh.
            let direct_rows = Arc::new(cost::RowBudget::new(self.limits.max_rows));
            let job = direct_on
                .then(|| direct::DirectRead::new(&doc, &request, self.context.clone(), who.clone(), direct_rows, direct_answer.clone()));
            if let Some(job) = job.flatten() {
                request = request.data(job);
            }
            request.set_parsed_query(doc);
        }
        let started = ExecutionStarted::default();
        let request = request
            .data(self.loader(who.clone(), rows.clone()))
            .data(rows)
            .data(hashes)
            .data(who)
            .data(plan::PlanCache::default())
            .data(started.clone());
        let response = self.schema.execute(request).await;
        if let Some(data) = direct_answer.lock().expect("answer lock").take() {
            return Answer::Data(data);
        }
        let response = errors::add_codes(response, &query);
        match started.0.load(std::sync::atomic::Ordering::Relaxed) {
            false if response.is_err() => Answer::Refused(response),
            _ => Answer::Response(response),
        }
    }
}

/// The type of the operation `request` runs in `doc` (the one named
/// `name`, or the only one).
fn operation_of(doc: &async_graphql::parser::types::ExecutableDocument, name: Option<&str>) -> Operation {
    use async_graphql::parser::types::OperationType;
    let mut chosen = doc.operations.iter().filter(|(n, _)| name.is_none_or(|wanted| n.is_some_and(|n| n.as_str() == wanted)));
    match (chosen.next(), chosen.next()) {
        (Some((_, op)), None) => match op.node.ty {
            OperationType::Query => Operation::Query,
            OperationType::Mutation => Operation::Mutation,
            OperationType::Subscription => Operation::Subscription,
        },
        _ => Operation::Unknown,
    }
}

/// When an operation arrived over the WebSocket (in its request data), so a
/// subscription's set-up time can be measured where its stream is made.
#[derive(Debug, Clone, Copy)]
pub struct OperationClock(pub std::time::Instant);

/// Gives variables left out of a request their declared defaults, as
/// GraphQL's variable coercion says. (async-graphql applies defaults where
/// arguments use variables, but not when it evaluates `@skip(if:)` and
/// `@include(if:)`, which then treat a defaulted variable as false.)
fn apply_variable_defaults(doc: &async_graphql::parser::types::ExecutableDocument, request: &mut async_graphql::Request) {
    let chosen = doc.operations.iter().filter(|(name, _)| match &request.operation_name {
        Some(wanted) => name.is_some_and(|n| n.as_str() == wanted),
        None => true,
    });
    let mut ops = chosen.map(|(_, op)| op);
    let (Some(op), None) = (ops.next(), ops.next()) else { return };
    for def in &op.node.variable_definitions {
        let def = &def.node;
        if let Some(default) = &def.default_value {
            if !request.variables.contains_key(&def.name.node) {
                request.variables.insert(def.name.node.clone(), default.node.clone());
            }
        }
    }
}

/// Set (by the [`direct::DirectReads`] extension, whose `execute` hook runs
/// only once a request has parsed and validated) when execution begins.
#[derive(Debug, Clone, Default)]
pub struct ExecutionStarted(pub Arc<std::sync::atomic::AtomicBool>);

/// What executing one operation produced.
#[derive(Debug)]
pub enum Answer {
    /// The executor's response.
    Response(async_graphql::Response),
    /// The executor's response to a request it did not execute (errors only).
    Refused(async_graphql::Response),
    /// A query's `data`, written as JSON by the direct path (no errors).
    Data(String),
}

impl Answer {
    /// Whether nothing was executed: request errors only (parse, validation,
    /// variable coercion, limits). A field error that nulled the whole
    /// `data` during execution is not one.
    pub fn is_request_error(&self) -> bool {
        matches!(self, Answer::Refused(_))
    }

    /// The response body's JSON. A request error has no `data` entry: the
    /// GraphQL spec leaves it out when execution never began.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        match self {
            Answer::Refused(r) => {
                #[derive(serde::Serialize)]
                struct Errors<'a> {
                    errors: &'a [async_graphql::ServerError],
                    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
                    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
                }
                serde_json::to_string(&Errors { errors: &r.errors, extensions: &r.extensions })
            }
            Answer::Response(r) => serde_json::to_string(r),
            Answer::Data(data) => {
                let mut out = String::with_capacity(data.len() + 10);
                out.push_str("{\"data\":");
                out.push_str(data);
                out.push('}');
                Ok(out)
            }
        }
    }

    /// As an executor response (the WebSocket transport wants one).
    pub fn into_response(self) -> async_graphql::Response {
        match self {
            Answer::Response(r) | Answer::Refused(r) => r,
            Answer::Data(data) => match serde_json::from_str::<async_graphql::Value>(&data) {
                Ok(value) => async_graphql::Response::new(value),
                Err(e) => async_graphql::Response::from_errors(vec![errors::with_code(
                    async_graphql::ServerError::new(format!("internal error: {e}"), None),
                    crate::error::code::INTERNAL,
                )]),
            },
        }
    }
}

/// The executor the WebSocket edge runs: the caller comes from the
/// connection's [`Session`] (its credentials resolved again as each operation
/// starts), or else its `connection_init` data; loaders are attached and error
/// codes added. A stream whose credentials expire ends with
/// `UNAUTHENTICATED`, one whose caller lost the right with the error
/// [`Session::lost`] gives; an
/// operation over the cost limit is refused; an operation that panics ends
/// with an `INTERNAL` error instead of taking the connection down.
impl async_graphql::Executor for AppSchema {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        use futures_util::FutureExt;
        let who = principal_in(&request.data).map(|p| (*p).clone()).unwrap_or_else(Principal::anon);
        if who.has_expired() {
            return expired();
        }
        let run = std::panic::AssertUnwindSafe(self.execute_as(request, who)).catch_unwind();
        run.await.map(Answer::into_response).unwrap_or_else(|_| panicked())
    }

    /// On a connection with a [`Session`], the caller is resolved afresh
    /// before the operation starts (refused as HTTP would refuse it), and the
    /// operation's stream ends once that caller is no longer the session's
    /// current one ([`Session::lost`]).
    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<Arc<async_graphql::Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        use futures_util::StreamExt;
        let session_data = session_data.unwrap_or_default();
        let session = session_data.get(&std::any::TypeId::of::<Arc<Session>>()).and_then(|d| d.downcast_ref::<Arc<Session>>()).cloned();
        let Some(session) = session else {
            let who = principal_in(&session_data).unwrap_or_else(|| Arc::new(Principal::anon()));
            return self.stream_as(request, session_data, who);
        };
        let this = self.clone();
        futures_util::stream::once(async move {
            match session.refresh().await {
                Err(e) => {
                    this.context.metrics.error(e.code());
                    futures_util::stream::once(async move { error_response(&e) }).boxed()
                }
                Ok(who) => {
                    let ended = Box::pin(session.clone().lost(who.clone()));
                    revocable(this.stream_as(request, session_data, who), ended, session.hold())
                }
            }
        })
        .flatten()
        .boxed()
    }
}

impl AppSchema {
    /// The response stream of one WebSocket operation run as `who`.
    fn stream_as(
        &self,
        request: async_graphql::Request,
        session_data: Arc<async_graphql::Data>,
        who: Arc<Principal>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        use futures_util::StreamExt;
        let metrics = self.context.metrics.clone();
        if who.has_expired() {
            metrics.error(crate::error::code::UNAUTHENTICATED);
            return futures_util::stream::once(async { expired() }).boxed();
        }
        let clock = std::time::Instant::now();
        let mut request = request;
        // One-shot operations get a row budget; a subscription's events are each bounded by the estimate.
        let mut row_limit = self.limits.max_rows;
        let mut operation = Operation::Unknown;
        if let Ok(doc) = async_graphql::parser::parse_query(&request.query) {
            if doc.operations.iter().any(|(_, op)| op.node.ty == async_graphql::parser::types::OperationType::Subscription) {
                row_limit = u64::MAX;
            }
            operation = operation_of(&doc, request.operation_name.as_deref());
            request = self.limit_cost(&doc, request, "the operation");
        }
        // A subscription's set-up time is taken where its stream is made; a
        // one-shot operation's at its response.
        let mut timed = (operation != Operation::Subscription).then_some(clock);
        let rows = Arc::new(cost::RowBudget::new(row_limit));
        let query = request.query.clone();
        let expires_at = who.expires_at;
        let hashes = Arc::new(inputs::HashBudget::new(self.limits.max_hashes));
        let request =
            request.data(self.stream_loader(who.clone(), rows.clone())).data(rows).data(hashes).data(who).data(plan::PlanCache::default());
        let request = request.data(OperationClock(clock));
        let limit = self.limits.response_bytes;
        let stream = unwind_safe(self.schema.execute_stream_with_session_data(request, session_data)).map(move |r| {
            let r = within_size(errors::add_codes(r, &query), limit);
            if let Some(clock) = timed.take() {
                metrics.observe(operation, clock.elapsed());
            }
            metrics.errors(&r.errors);
            r
        });
        match expires_at {
            None => stream.boxed(),
            Some(at) => {
                let left = std::time::Duration::from_secs(at.saturating_sub(crate::catalog::principal::unix_now()));
                let state = (stream.boxed(), Box::pin(tokio::time::sleep(left)), false);
                futures_util::stream::unfold(state, |(mut stream, mut expiry, done)| async move {
                    if done {
                        return None;
                    }
                    tokio::select! {
                        // Expiry first: nothing goes out once the credentials have lapsed.
                        biased;
                        _ = &mut expiry => Some((expired(), (stream, expiry, true))),
                        item = stream.next() => item.map(|r| (r, (stream, expiry, false))),
                    }
                })
                .boxed()
            }
        }
    }
}

/// `response`, or a `LIMIT_EXCEEDED` error in its place when its JSON is
/// longer than `limit` bytes (measured without building it).
fn within_size(response: async_graphql::Response, limit: usize) -> async_graphql::Response {
    struct Counter(usize, usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            if self.0 > self.1 {
                return Err(std::io::Error::other("over the limit"));
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    if serde_json::to_writer(Counter(0, limit), &response).is_ok() {
        return response;
    }
    let error = QuiverError::LimitExceeded(format!("the result is larger than {limit} bytes; ask for less"));
    async_graphql::Response::from_errors(vec![errors::with_code(async_graphql::ServerError::new(error.to_string(), None), error.code())])
}

/// `stream`, ended by one `INTERNAL` error response if polling it panics.
pub fn unwind_safe(
    stream: impl futures_util::Stream<Item = async_graphql::Response> + Send + 'static,
) -> impl futures_util::Stream<Item = async_graphql::Response> + Send + 'static {
    use futures_util::StreamExt;
    std::panic::AssertUnwindSafe(stream).catch_unwind().scan(false, |failed, item| {
        let out = match item {
            _ if *failed => None,
            Ok(r) => Some(r),
            Err(_) => {
                *failed = true;
                Some(panicked())
            }
        };
        futures_util::future::ready(out)
    })
}

/// The response to an operation that panicked (logged with a request id).
pub fn panicked() -> async_graphql::Response {
    async_graphql::Response::from_errors(vec![errors::panic_error()])
}

/// The response to an operation whose credentials have expired.
fn expired() -> async_graphql::Response {
    error_response(&QuiverError::Unauthenticated("the credentials have expired; reconnect with a fresh token".into()))
}

/// A response carrying only `error`, with its code.
fn error_response(error: &QuiverError) -> async_graphql::Response {
    async_graphql::Response::from_errors(vec![errors::with_code(async_graphql::ServerError::new(error.to_string(), None), error.code())])
}

/// `stream` until `ended` resolves, then that error as its last response;
/// `mark` is held for as long as the stream lives.
fn revocable(
    stream: futures_util::stream::BoxStream<'static, async_graphql::Response>,
    ended: std::pin::Pin<Box<dyn std::future::Future<Output = QuiverError> + Send>>,
    mark: crate::auth::session::StreamMark,
) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
    use futures_util::StreamExt;
    // The mark goes only when the stream is asked for more after its last
    // response, so that response is on its way before the mark is dropped.
    futures_util::stream::unfold((stream, ended, mark, false), |(mut stream, mut ended, mark, done)| async move {
        if done {
            return None;
        }
        tokio::select! {
            // Revocation first: nothing goes out once the caller lost the right.
            biased;
            e = &mut ended => Some((error_response(&e), (stream, ended, mark, true))),
            item = stream.next() => item.map(|r| (r, (stream, ended, mark, false))),
        }
    })
    .boxed()
}

/// Builds the GraphQL schema of `app`. Subscriptions and `broadcast` need a
/// running [`Realtime`] hub; without one (e.g. to print the SDL) they answer
/// with an error.
pub fn build(
    app: &'static App,
    domain: &[DomainMutation],
    db: Db,
    limits: QueryLimits,
    realtime: Option<Realtime>,
    keyring: Option<crate::auth::secrets::Keyring>,
) -> Result<AppSchema, QuiverError> {
    for m in domain {
        let generated = app.tables.iter().any(|t| ["create", "update", "delete"].iter().any(|v| format!("{v}{}", t.type_name) == m.name));
        if generated || names::FIXED_ROOT_FIELDS.contains(&("mutation", m.name)) {
            return Err(QuiverError::Internal(format!("app {}: domain mutation {} clashes with a generated mutation", app.name, m.name)));
        }
    }
    let model = match realtime.as_ref().and_then(|r| r.model(app.name)) {
        Some(m) => m.clone(),
        None => Arc::new(AppModel::new(app)),
    };
    let secrets = crate::auth::Sealer::new(app.name, keyring);
    let roots = if limits.direct_reads { direct::root_index(&model.tables) } else { Default::default() };
    let metrics = db.metrics.app(app.name);
    let context = Arc::new(AppContext { model: model.clone(), db, limits: limits.pages, secrets, roots, metrics });
    let mut builder = Schema::build("QueryRoot", Some("MutationRoot"), Some("SubscriptionRoot"));
    builder = scalars::register_shared(builder);
    let (enums, objects) = subscriptions::shared_types();
    for e in enums {
        builder = builder.register(e);
    }
    for o in objects {
        builder = builder.register(o);
    }
    if let Some(r) = realtime {
        builder = builder.data(r);
    }
    // Root types are named *Root so no table type (studio has `Subscription`) can clash.
    let mut query = Object::new("QueryRoot");
    let mut mutation = Object::new("MutationRoot").field(subscriptions::broadcast_mutation(app));
    let mut subscription = Subscription::new("SubscriptionRoot")
        .field(subscriptions::channel_subscription(app, context.metrics.clone()))
        .field(subscriptions::presence_subscription(app, context.metrics.clone()));
    for m in domain {
        mutation = mutation.field((m.field)(m.name, &context));
    }
    for watch in app.watches {
        subscription = subscription.field(subscriptions::watch_subscription(&context, watch));
    }
    for ti in 0..model.tables.len() {
        for ty in objects::table_types(&context, ti) {
            builder = builder.register(ty);
        }
        for input in table_inputs(&model, ti) {
            builder = builder.register(input);
        }
        let (enums, filters) = table_enums(&model, ti);
        for e in enums {
            builder = builder.register(e);
        }
        for f in filters {
            builder = builder.register(f);
        }
        for f in root::query_fields(&context, ti) {
            query = query.field(f);
        }
        for f in root::mutation_fields(&context, ti) {
            mutation = mutation.field(f);
        }
        let (event, filter) = subscriptions::table_types(&context, ti);
        builder = builder.register(event).register(filter);
        if !model.tables[ti].table.is_foreign() {
            subscription = subscription.field(subscriptions::table_subscription(&context, ti));
        }
    }
    let schema = builder
        .register(query)
        .register(mutation)
        .register(subscription)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .extension(direct::DirectReads)
        .finish()
        .map_err(|e| QuiverError::Internal(format!("schema {}: {e}", app.name)))?;
    Ok(AppSchema { schema, context, limits })
}

/// The SDL of an app's schema, as checked in under `schema/`.
pub fn sdl(app: &'static App, domain: &[DomainMutation]) -> Result<String, QuiverError> {
    // Building needs a pool handle, but printing never connects.
    let db = Db::connect("postgres://localhost/unused", &crate::db::PoolOptions::default())?;
    Ok(build(app, domain, db, QueryLimits::default(), None, None)?.schema.sdl())
}

/// Enum types of a table's enum columns (PostgreSQL enums are registered once
/// per app, by the first table that uses them) and its order-field enum.
fn table_enums(model: &AppModel, ti: usize) -> (Vec<Enum>, Vec<InputObject>) {
    let tm = &model.tables[ti];
    let mut out = Vec::new();
    let mut filters = Vec::new();
    for (ci, column) in tm.table.columns.iter().enumerate() {
        match column.ty {
            ColumnType::Enum(_) => {}
            ColumnType::PgEnum(pg) => {
                // A PostgreSQL enum type is one GraphQL enum, registered by its first column.
                let first_user = model
                    .tables
                    .iter()
                    .flat_map(|t| t.table.columns.iter().map(move |c| (t, c)))
                    .find(|(_, c)| matches!(c.ty, ColumnType::PgEnum(other) if std::ptr::eq(other, pg) || other == pg));
                if first_user.map(|(t, c)| (t.table.name, c.name)) != Some((tm.table.name, column.name)) {
                    continue;
                }
            }
            _ => continue,
        }
        let enum_name = names::enum_type(tm.table, column);
        filters.push(scalars::enum_filter(&enum_name));
        let mut e = Enum::new(enum_name);
        for (gql, db) in &tm.enums[&ci] {
            e = e.item(async_graphql::dynamic::EnumItem::new(gql).description(format!("`{db}`")));
        }
        out.push(e);
    }
    // The key column is always sortable, so the enum is never empty.
    let mut order = Enum::new(names::order_field(tm.table));
    for column in tm.table.columns.iter().filter(|c| c.readable() && !matches!(c.ty, ColumnType::Json | ColumnType::TextArray)) {
        order = order.item(names::screaming(&names::field(column)));
    }
    out.push(order);
    (out, filters)
}

/// Filter, order, create and patch inputs of a table.
fn table_inputs(model: &AppModel, ti: usize) -> Vec<InputObject> {
    let tm = &model.tables[ti];
    let table = tm.table;
    let filter_name = names::filter(table);
    let mut filter = InputObject::new(&filter_name)
        .description(format!("Conditions on `{}` rows; all given fields must hold.", table.type_name))
        .field(InputValue::new("and", TypeRef::named_nn_list(&filter_name)).description("All of these hold."))
        .field(InputValue::new("or", TypeRef::named_nn_list(&filter_name)).description("At least one of these holds."))
        .field(InputValue::new("not", TypeRef::named(&filter_name)).description("This does not hold."));
    for column in table.columns.iter().filter(|c| c.readable()) {
        filter = filter.field(InputValue::new(names::field(column), TypeRef::named(filter_type(table, column))));
    }
    for fk in table.belongs_to {
        let target = model.app.table(fk.target).expect("validated");
        filter = filter.field(
            InputValue::new(fk.field, TypeRef::named(names::filter(target)))
                .description(format!("The referenced `{}` matches.", target.type_name)),
        );
    }
    let order = InputObject::new(names::order_by(table))
        .description("One sort key.")
        .field(InputValue::new("field", TypeRef::named_nn(names::order_field(table))))
        .field(
            InputValue::new("direction", TypeRef::named_nn("SortDirection"))
                .default_value(async_graphql::Value::Enum(async_graphql::Name::new("ASC"))),
        )
        .field(InputValue::new("nulls", TypeRef::named("NullsOrder")));
    let mut create = InputObject::new(names::create_input(table)).description(format!("A new `{}`.", table.type_name));
    let mut patch = InputObject::new(names::patch_input(table))
        .description(format!("Changes to an existing `{}`: absent fields stay, null clears.", table.type_name));
    for column in table.columns.iter().filter(|c| !c.managed) {
        let required = !column.nullable && !column.has_default;
        let name = names::input_field(column);
        let mut create_field = InputValue::new(&name, column_type_ref(table, column, !required));
        let mut patch_field = InputValue::new(&name, column_type_ref(table, column, true));
        let note = match column.storage {
            crate::catalog::Storage::Plain if column.secret => Some("Write-only."),
            crate::catalog::Storage::Plain => None,
            crate::catalog::Storage::Hashed(_) => Some("Write-only: stored as an argon2id hash."),
            crate::catalog::Storage::Encrypted => Some("Write-only: encrypted at rest with the server key."),
        };
        if let Some(note) = note {
            create_field = create_field.description(note);
            patch_field = patch_field.description(note);
        }
        if column.settable_on_create() {
            create = create.field(create_field);
        }
        if !column.immutable {
            patch = patch.field(patch_field);
        }
    }
    vec![filter, order, create, patch]
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    #[tokio::test]
    async fn a_panicking_stream_ends_with_an_internal_error() {
        let items = futures_util::stream::iter([1, 2, 3]).map(|i| {
            assert!(i < 2, "boom");
            async_graphql::Response::new(async_graphql::Value::from(i))
        });
        let out: Vec<_> = super::unwind_safe(items).collect().await;
        assert_eq!(out.len(), 2, "one result, then the error, then the end");
        assert_eq!(out[0].data, async_graphql::Value::from(1));
        let code = out[1].errors[0].extensions.as_ref().and_then(|e| e.get("code")).cloned();
        assert_eq!(code, Some(async_graphql::Value::from("INTERNAL")));
    }
}
