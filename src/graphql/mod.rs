//! GraphQL schema building: one dynamic async-graphql schema per app, derived
//! entirely from the app's table declarations.
//!
//! The schema is built at start-up (no generated Rust per table), printed as
//! SDL for `schema/<app>.graphql`, and executed with a per-request
//! [`loader::RequestLoader`] that batches every relation level into one query.

pub mod change_filter;
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

use crate::auth::Principal;
use crate::catalog::{names, App, ColumnType};
use crate::db::Db;
use crate::error::QuiverError;
use crate::realtime::Realtime;
use inputs::PageLimits;
use crate::catalog::model::AppModel;
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
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits { depth: 16, complexity: 2000, pages: PageLimits { default: 100, max: 1000 }, direct_reads: true }
    }
}

/// A built app schema with the context its requests need.
#[derive(Clone)]
pub struct AppSchema {
    /// The executable schema.
    pub schema: Schema,
    /// Shared resolver context.
    pub context: Arc<AppContext>,
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
    pub fn loader(&self, who: Arc<Principal>) -> loader::RequestLoader {
        loader::request_loader(self.context.model.clone(), self.context.db.clone(), who)
    }

    /// A relation loader for a long-lived subscription: no memory between
    /// batches, so every event sees current rows.
    pub fn stream_loader(&self, who: Arc<Principal>) -> loader::RequestLoader {
        let loader = self.loader(who);
        loader.enable_all_cache(false);
        loader
    }

    /// Executes a request for `who`: a read-only query the direct path can
    /// answer is answered there ([`direct`]), anything else by the executor
    /// with a fresh loader. Every error gets a code.
    pub async fn execute_as(&self, mut request: async_graphql::Request, who: Principal) -> Answer {
        let query = request.query.clone();
        let who = Arc::new(who);
        let direct_answer = Arc::new(std::sync::Mutex::new(None));
        if let Ok(doc) = async_graphql::parser::parse_query(&request.query) {
            apply_variable_defaults(&doc, &mut request);
            let direct_on = !self.context.roots.is_empty();
            let job = direct_on.then(|| direct::DirectRead::new(&doc, &request, self.context.clone(), who.clone(), direct_answer.clone()));
            if let Some(job) = job.flatten() {
                request = request.data(job);
            }
            request.set_parsed_query(doc);
        }
        let request = request.data(self.loader(who.clone())).data(who).data(plan::PlanCache::default());
        let response = self.schema.execute(request).await;
        if let Some(data) = direct_answer.lock().expect("answer lock").take() {
            return Answer::Data(data);
        }
        Answer::Response(errors::add_codes(response, &query))
    }
}

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

/// What executing one operation produced.
#[derive(Debug)]
pub enum Answer {
    /// The executor's response.
    Response(async_graphql::Response),
    /// A query's `data`, written as JSON by the direct path (no errors).
    Data(String),
}

impl Answer {
    /// Whether nothing was executed: request-level errors only.
    pub fn is_request_error(&self) -> bool {
        matches!(self, Answer::Response(r) if r.data == async_graphql::Value::Null && r.is_err())
    }

    /// The response body's JSON.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        match self {
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
            Answer::Response(r) => r,
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
/// connection's `connection_init`; loaders are attached and error codes added.
/// A stream whose credentials expire ends with `UNAUTHENTICATED`.
impl async_graphql::Executor for AppSchema {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        let who = principal_in(&request.data).map(|p| (*p).clone()).unwrap_or_else(Principal::anon);
        if who.has_expired() {
            return expired();
        }
        self.execute_as(request, who).await.into_response()
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<Arc<async_graphql::Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        use futures_util::StreamExt;
        let session_data = session_data.unwrap_or_default();
        let who = principal_in(&session_data).unwrap_or_else(|| Arc::new(Principal::anon()));
        if who.has_expired() {
            return futures_util::stream::once(async { expired() }).boxed();
        }
        let query = request.query.clone();
        let expires_at = who.expires_at;
        let request = request.data(self.stream_loader(who.clone())).data(who).data(plan::PlanCache::default());
        let stream = self
            .schema
            .execute_stream_with_session_data(request, session_data)
            .map(move |r| errors::add_codes(r, &query));
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

/// The response to an operation whose credentials have expired.
fn expired() -> async_graphql::Response {
    let error = QuiverError::Unauthenticated("the credentials have expired; reconnect with a fresh token".into());
    async_graphql::Response::from_errors(vec![errors::with_code(async_graphql::ServerError::new(error.to_string(), None), error.code())])
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
    let context = Arc::new(AppContext { model: model.clone(), db, limits: limits.pages, secrets, roots });
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
    let mut mutation = Object::new("MutationRoot").field(subscriptions::broadcast_mutation(app.name));
    let mut subscription = Subscription::new("SubscriptionRoot")
        .field(subscriptions::channel_subscription(app.name))
        .field(subscriptions::presence_subscription(app.name));
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
    Ok(AppSchema { schema, context })
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
        .field(InputValue::new("direction", TypeRef::named_nn("SortDirection")).default_value(async_graphql::Value::Enum(async_graphql::Name::new("ASC"))))
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
