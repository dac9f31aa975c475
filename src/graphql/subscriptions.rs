//! Subscription types and fields: per-table row changes (`<type>Changed`),
//! the app's domain watches, `channel` (broadcast) and `presence`, plus the
//! `broadcast` mutation. Streams read from the instance's [`Realtime`] hub.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_graphql::dynamic::{
    Enum, Field, FieldFuture, FieldValue, InputObject, InputValue, Object, ResolverContext, SubscriptionField, SubscriptionFieldFuture,
    TypeRef,
};
use async_graphql::Value;
use futures_util::stream::{self, BoxStream, StreamExt};

use super::change_filter;
use super::inputs::input_text;
use super::scalars::{column_type_ref, filter_type};
use super::AppContext;
use crate::auth::Principal;
use crate::catalog::Watch;
use crate::catalog::{names, App};
use crate::error::QuiverError;
use crate::metrics::{AppMetrics, LiveSubscription, SubscriptionKind};
use crate::realtime::presence::{Member, PresenceKind};
use crate::realtime::stream::ChangeSpec;
use crate::realtime::topics::Sender;
use crate::realtime::{BroadcastMessage, Change, Cursor, Op, Realtime};
use crate::sql::{CmpOp, Filter};

/// Per-connection subscription budget, put in the WebSocket connection data.
#[derive(Clone)]
pub struct SubscriptionBudget {
    open: Arc<AtomicUsize>,
    max: usize,
}

impl SubscriptionBudget {
    /// A budget of `max` concurrent subscriptions.
    pub fn new(max: usize) -> Self {
        SubscriptionBudget { open: Arc::default(), max }
    }

    fn take(&self) -> Result<BudgetGuard, QuiverError> {
        if self.open.fetch_add(1, Ordering::SeqCst) >= self.max {
            self.open.fetch_sub(1, Ordering::SeqCst);
            return Err(QuiverError::LimitExceeded(format!("at most {} subscriptions per connection", self.max)));
        }
        Ok(BudgetGuard(self.open.clone()))
    }
}

/// Returns a subscription slot when the stream ends.
struct BudgetGuard(Arc<AtomicUsize>);

impl Drop for BudgetGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Event type name of a table.
fn event_type(table: &crate::catalog::Table) -> String {
    format!("{}ChangeEvent", table.type_name)
}

/// Change filter input name of a table.
fn change_filter_type(table: &crate::catalog::Table) -> String {
    format!("{}ChangeFilter", table.type_name)
}

/// Shared types: the `ChangeOp` enum, broadcast and presence types.
pub fn shared_types() -> (Vec<Enum>, Vec<Object>) {
    let ops = Enum::new("ChangeOp").description("A row change.").item("INSERT").item("UPDATE").item("DELETE");
    let kinds = Enum::new("PresenceEventKind")
        .description("SYNC first lists everyone present; JOIN and LEAVE follow.")
        .item("SYNC")
        .item("JOIN")
        .item("LEAVE");
    let message = Object::new("BroadcastMessage")
        .description("A message sent with `broadcast` to a topic.")
        .field(value_field::<BroadcastMessage>("topic", TypeRef::named_nn(TypeRef::STRING), |m| Value::String(m.topic.clone())))
        .field(value_field::<BroadcastMessage>("event", TypeRef::named_nn(TypeRef::STRING), |m| Value::String(m.event.clone())))
        .field(value_field::<BroadcastMessage>("payload", TypeRef::named("JSON"), |m| {
            Value::from_json(m.payload.clone()).unwrap_or(Value::Null)
        }))
        .field(value_field::<BroadcastMessage>("sentAt", TypeRef::named_nn("DateTime"), |m| Value::String(m.sent_at.clone())))
        .field(
            Field::new("sender", TypeRef::named_nn("BroadcastSender"), |rc| {
                FieldFuture::Value(rc.parent_value.downcast_ref::<BroadcastMessage>().map(|m| FieldValue::owned_any(m.sender.clone())))
            })
            .description("Who sent it, as the server authenticated them."),
        );
    let sender = Object::new("BroadcastSender")
        .description("The sender of a broadcast, filled in by the server from the sender's credentials.")
        .field(
            value_field::<Sender>("role", TypeRef::named_nn(TypeRef::STRING), |s| Value::String(s.role.clone()))
                .description("`authenticated` or `service_role`."),
        )
        .field(
            value_field::<Sender>("userId", TypeRef::named(TypeRef::STRING), |s| {
                s.user_id.clone().map(Value::String).unwrap_or(Value::Null)
            })
            .description("The sender's user id (`sub`); null for the service role and tenant API keys."),
        );
    let member = Object::new("PresenceMember")
        .description("Someone present on a topic.")
        .field(value_field::<Member>("key", TypeRef::named_nn(TypeRef::STRING), |m| Value::String(m.key.clone())))
        .field(value_field::<Member>("meta", TypeRef::named("JSON"), |m| Value::from_json(m.meta.clone()).unwrap_or(Value::Null)));
    let event = Object::new("PresenceEvent")
        .description("A presence change on a topic, with everyone present after it.")
        .field(value_field::<PresenceEvent>("kind", TypeRef::named_nn("PresenceEventKind"), |e| {
            Value::Enum(async_graphql::Name::new(e.kind))
        }))
        .field(value_field::<PresenceEvent>("me", TypeRef::named_nn(TypeRef::STRING), |e| Value::String(e.me.clone())))
        .field(Field::new("member", TypeRef::named("PresenceMember"), |rc| {
            FieldFuture::Value(rc.parent_value.downcast_ref::<PresenceEvent>().and_then(|e| e.member.clone()).map(FieldValue::owned_any))
        }))
        .field(Field::new("members", TypeRef::named_nn_list_nn("PresenceMember"), |rc| {
            FieldFuture::Value(
                rc.parent_value
                    .downcast_ref::<PresenceEvent>()
                    .map(|e| FieldValue::list(e.members.iter().cloned().map(FieldValue::owned_any))),
            )
        }));
    (vec![ops, kinds], vec![message, sender, member, event])
}

/// A field reading a plain value off a parent of type `T`.
fn value_field<T: Send + Sync + 'static>(name: &str, ty: TypeRef, get: fn(&T) -> Value) -> Field {
    Field::new(name, ty, move |rc| {
        FieldFuture::Value(rc.parent_value.downcast_ref::<T>().and_then(|t| match get(t) {
            Value::Null => None,
            v => Some(v.into()),
        }))
    })
}

/// Where a presence stream is: its SYNC is next, it is live, or it ended on an error.
#[derive(Clone, Copy)]
enum Phase {
    Sync,
    Live,
    Done,
}

/// The presence event value.
struct PresenceEvent {
    kind: &'static str,
    me: String,
    member: Option<Member>,
    members: Vec<Member>,
}

/// `<Type>ChangeEvent` and `<Type>ChangeFilter` of table `ti`.
pub fn table_types(app: &Arc<AppContext>, ti: usize) -> (Object, InputObject) {
    let table = app.model.tables[ti].table;
    let change = |rc: &ResolverContext<'_>| rc.parent_value.downcast_ref::<Arc<Change>>().cloned();
    let row = move |rc: &ResolverContext<'_>, new: bool| {
        change(rc).and_then(|c| if new { c.new.clone() } else { c.old.clone() }).map(FieldValue::owned_any)
    };
    let event = Object::new(event_type(table))
        .description(format!("A committed change of a `{}` row.", table.type_name))
        .field(Field::new("event", TypeRef::named_nn("ChangeOp"), move |rc| {
            FieldFuture::Value(change(&rc).map(|c| Value::Enum(async_graphql::Name::new(c.op.name())).into()))
        }))
        .field(
            Field::new("cursor", TypeRef::named_nn(TypeRef::STRING), move |rc| {
                FieldFuture::Value(change(&rc).map(|c| Value::String(c.cursor.encode()).into()))
            })
            .description("Pass as `after` when resubscribing to receive every later change."),
        )
        .field(Field::new("committedAt", TypeRef::named_nn("DateTime"), move |rc| {
            FieldFuture::Value(change(&rc).map(|c| Value::String(c.committed_at.clone()).into()))
        }))
        .field(
            Field::new("new", TypeRef::named(table.type_name), move |rc| FieldFuture::Value(row(&rc, true)))
                .description("The row after the change; null on DELETE."),
        )
        .field(
            Field::new("old", TypeRef::named(table.type_name), move |rc| FieldFuture::Value(row(&rc, false)))
                .description("The row before the change; null on INSERT."),
        );
    let mut filter = InputObject::new(change_filter_type(table)).description(format!(
        "Conditions on changed `{}` rows (the new row; the old one for DELETE). Operators: eq, neq, lt, lte, gt, gte, in, isNull.",
        table.type_name
    ));
    for column in table.columns.iter().filter(|c| c.readable()) {
        filter = filter.field(InputValue::new(names::field(column), TypeRef::named(filter_type(table, column))));
    }
    (event, filter)
}

fn realtime(rc: &ResolverContext<'_>) -> Result<Realtime, QuiverError> {
    rc.data_opt::<Realtime>().cloned().ok_or_else(|| QuiverError::Internal("realtime is not running".into()))
}

fn budget(rc: &ResolverContext<'_>) -> Result<BudgetGuard, QuiverError> {
    match rc.data_opt::<SubscriptionBudget>() {
        Some(b) => b.take(),
        None => Ok(BudgetGuard(Arc::default())),
    }
}

/// A new subscription of `kind`, counted on `/metrics` while it lives; its
/// set-up time runs from the operation's arrival ([`super::OperationClock`]).
fn counted(rc: &ResolverContext<'_>, metrics: &Arc<AppMetrics>, kind: SubscriptionKind) -> LiveSubscription {
    let setup = rc.data_opt::<super::OperationClock>().map_or(Duration::ZERO, |c| c.0.elapsed());
    metrics.subscription(kind, setup)
}

/// The time from a change's commit (`committed_at`) to now, for changes
/// committed after `since` (earlier ones are a replayed backlog, not lag).
fn delivery_lag(committed_at: &str, since: SystemTime) -> Option<Duration> {
    let (secs, nanos) = crate::catalog::formats::rfc3339_instant(committed_at)?;
    let committed = UNIX_EPOCH + Duration::new(u64::try_from(secs).ok()?, nanos);
    if committed < since {
        return None;
    }
    Some(SystemTime::now().duration_since(committed).unwrap_or_default())
}

/// Turns a change spec into the event stream of one subscription; the
/// subscriber only receives what it may read (see [`crate::realtime::stream`]).
fn change_stream<'a>(
    rc: &ResolverContext<'_>,
    ctx: &AppContext,
    spec: ChangeSpec,
    kind: SubscriptionKind,
) -> Result<BoxStream<'a, async_graphql::Result<FieldValue<'a>>>, QuiverError> {
    let realtime = realtime(rc)?;
    let guard = budget(rc)?;
    let live = counted(rc, &ctx.metrics, kind);
    let since = SystemTime::now();
    let who = rc.data_opt::<Arc<Principal>>().cloned().unwrap_or_else(|| Arc::new(Principal::anon()));
    let events = crate::realtime::stream::change_stream(realtime, ctx.model.clone(), who, spec, Box::new(guard));
    Ok(events
        .map(move |item| {
            match &item {
                Ok(change) => {
                    live.delivered();
                    if let Some(lag) = delivery_lag(&change.committed_at, since) {
                        live.lag(lag);
                    }
                }
                Err(QuiverError::SlowConsumer(_)) => live.dropped(1),
                Err(_) => {}
            }
            item.map(FieldValue::owned_any).map_err(|e| e.extend())
        })
        .boxed())
}

fn parse_events(rc: &ResolverContext<'_>) -> Result<Vec<Op>, QuiverError> {
    match rc.args.get("events").filter(|v| !v.is_null()) {
        None => Ok(vec![Op::Insert, Op::Update, Op::Delete]),
        Some(list) => list.list()?.iter().map(|v| Ok(Op::parse(v.enum_name()?).expect("enum validated"))).collect(),
    }
}

fn parse_after(rc: &ResolverContext<'_>) -> Result<Option<Cursor>, QuiverError> {
    rc.args.get("after").filter(|v| !v.is_null()).map(|v| Cursor::decode(v.string()?)).transpose()
}

/// `<single>Changed(filter, events, after)` of table `ti`.
pub fn table_subscription(app: &Arc<AppContext>, ti: usize) -> SubscriptionField {
    let table = app.model.tables[ti].table;
    let ctx = app.clone();
    SubscriptionField::new(format!("{}Changed", names::single(table)), TypeRef::named_nn(event_type(table)), move |rc| {
        let ctx = ctx.clone();
        SubscriptionFieldFuture::new(async move {
            let run = || -> Result<_, QuiverError> {
                let tm = &ctx.model.tables[ti];
                let conds = match rc.args.get("filter").filter(|v| !v.is_null()) {
                    Some(f) => change_filter::parse(tm, super::inputs::object(f.as_value(), "filter")?)?,
                    None => Vec::new(),
                };
                let spec = ChangeSpec {
                    app: ctx.model.app.name,
                    table: ti,
                    events: parse_events(&rc)?,
                    conds,
                    after: parse_after(&rc)?,
                    until: None,
                };
                change_stream(&rc, &ctx, spec, SubscriptionKind::RowChange)
            };
            run().map_err(|e| e.extend())
        })
    })
    .argument(InputValue::new("filter", TypeRef::named(change_filter_type(table))))
    .argument(InputValue::new("events", TypeRef::named_nn_list("ChangeOp")).description("Which operations to deliver (default: all)."))
    .argument(
        InputValue::new("after", TypeRef::named(TypeRef::STRING))
            .description("Resume: deliver every change after this cursor first, in commit order."),
    )
    .description(format!("Committed changes of `{}` rows, from the database itself, in commit order.", table.type_name))
}

/// A domain watch: the changes of the rows whose `column` equals the argument.
pub fn watch_subscription(app: &Arc<AppContext>, watch: &'static Watch) -> SubscriptionField {
    let ti = app.model.tables.iter().position(|t| t.table.name == watch.table).expect("validated");
    let tm = &app.model.tables[ti];
    let (ci, column) = tm.table.column(watch.column).expect("validated");
    let arg = names::field(column);
    let ctx = app.clone();
    let arg_name = arg.clone();
    SubscriptionField::new(watch.field, TypeRef::named_nn(event_type(tm.table)), move |rc| {
        let ctx = ctx.clone();
        let arg_name = arg_name.clone();
        SubscriptionFieldFuture::new(async move {
            let run = || -> Result<_, QuiverError> {
                let tm = &ctx.model.tables[ti];
                let value = input_text(tm, ci, rc.args.try_get(&arg_name)?.as_value())?;
                let until = watch
                    .until
                    .map(|(c, values)| (tm.table.column(c).expect("validated").0, values.iter().map(|v| v.to_string()).collect()));
                let spec = ChangeSpec {
                    app: ctx.model.app.name,
                    table: ti,
                    events: watch.events.iter().filter_map(|e| Op::parse(e)).collect(),
                    conds: vec![Filter::Cmp { column: ci, op: CmpOp::Eq, value }],
                    after: parse_after(&rc)?,
                    until,
                };
                change_stream(&rc, &ctx, spec, SubscriptionKind::Watch)
            };
            run().map_err(|e| e.extend())
        })
    })
    .argument(InputValue::new(arg, column_type_ref(tm.table, column, false)))
    .argument(InputValue::new("after", TypeRef::named(TypeRef::STRING)).description("Resume after this cursor."))
    .description(watch.description)
}

/// `channel(topic)`: broadcast messages of a topic, for callers who may listen to it.
pub fn channel_subscription(served: &'static App, metrics: Arc<AppMetrics>) -> SubscriptionField {
    let app = served.name;
    SubscriptionField::new("channel", TypeRef::named_nn("BroadcastMessage"), move |rc| {
        let metrics = metrics.clone();
        SubscriptionFieldFuture::new(async move {
            let run = async {
                let topic = rc.args.try_get("topic")?.string()?.to_string();
                let realtime = realtime(&rc)?;
                let guard = (budget(&rc)?, counted(&rc, &metrics, SubscriptionKind::Channel));
                let rx = realtime.listen(app, super::caller(rc.ctx), &topic).await?;
                let closed = Box::pin(realtime.closed());
                Ok::<_, QuiverError>(stream::unfold((rx, closed, guard, false), move |(mut rx, mut closed, guard, done)| async move {
                    if done {
                        return None;
                    }
                    tokio::select! {
                        r = rx.recv() => match r? {
                            Ok(m) => {
                                guard.1.delivered();
                                Some((Ok(FieldValue::owned_any((*m).clone())), (rx, closed, guard, false)))
                            }
                            Err(e) => {
                                if let QuiverError::SlowConsumer(n) = e {
                                    guard.1.dropped(n);
                                }
                                Some((Err(e.extend()), (rx, closed, guard, true)))
                            }
                        },
                        _ = &mut closed => None,
                    }
                }))
            };
            run.await.map_err(|e| e.extend())
        })
    })
    .argument(InputValue::new("topic", TypeRef::named_nn(TypeRef::STRING)))
    .description(format!("Messages sent with `broadcast` to a topic, on any instance, while subscribed (not stored). {}", topics(served)))
}

/// How the `topic` argument is spelled, in each field's description.
fn topics(app: &App) -> String {
    let declared: Vec<String> = app.topics.iter().map(|t| format!("`{}`", t.pattern(app))).collect();
    format!(
        "`topic` is one of this app's topics, {}, for whoever may read the row it names; any topic for the service role.",
        declared.join(", ")
    )
}

/// `presence(topic, meta)`: joins the topic while subscribed and streams who is there.
pub fn presence_subscription(served: &'static App, metrics: Arc<AppMetrics>) -> SubscriptionField {
    let app = served.name;
    SubscriptionField::new("presence", TypeRef::named_nn("PresenceEvent"), move |rc| {
        let metrics = metrics.clone();
        SubscriptionFieldFuture::new(async move {
            let topic = rc.args.try_get("topic")?.string()?.to_string();
            let meta = rc.args.get("meta").map(|m| m.as_value().clone().into_json()).transpose()?.unwrap_or(serde_json::Value::Null);
            let realtime = realtime(&rc).map_err(|e| e.extend())?;
            let guard = budget(&rc).map_err(|e| e.extend())?;
            let (rx, me, presence) = realtime.enter(app, super::caller(rc.ctx), &topic, meta).await.map_err(|e| e.extend())?;
            let closed = Box::pin(realtime.closed());
            let live = counted(&rc, &metrics, SubscriptionKind::Presence);
            let state = (rx, closed, (guard, presence, live), realtime, Phase::Sync);
            Ok(stream::unfold(state, move |(mut rx, mut closed, guards, realtime, phase)| {
                let topic = topic.clone();
                let me = me.key.clone();
                async move {
                    let event =
                        |kind, member| PresenceEvent { kind, me: me.clone(), member, members: realtime.presence().members(app, &topic) };
                    match phase {
                        Phase::Done => return None,
                        Phase::Sync => {
                            guards.2.delivered();
                            let e = event("SYNC", None);
                            return Some((Ok(FieldValue::owned_any(e)), (rx, closed, guards, realtime, Phase::Live)));
                        }
                        Phase::Live => {}
                    }
                    loop {
                        tokio::select! {
                            r = rx.recv() => match r? {
                                Ok(c) if c.member.key != me => {
                                    let kind = if c.kind == PresenceKind::Join { "JOIN" } else { "LEAVE" };
                                    let e = event(kind, Some(c.member.clone()));
                                    guards.2.delivered();
                                    return Some((Ok(FieldValue::owned_any(e)), (rx, closed, guards, realtime, Phase::Live)));
                                }
                                Ok(_) => continue,
                                // Behind its queue, or no longer allowed on the topic: the stream ends (and the member leaves).
                                Err(e) => {
                                    if let QuiverError::SlowConsumer(n) = e {
                                        guards.2.dropped(n);
                                    }
                                    return Some((Err(e.extend()), (rx, closed, guards, realtime, Phase::Done)));
                                }
                            },
                            _ = &mut closed => return None,
                        }
                    }
                }
            }))
        })
    })
    .argument(InputValue::new("topic", TypeRef::named_nn(TypeRef::STRING)))
    .argument(InputValue::new("meta", TypeRef::named("JSON")).description("What others see about you (e.g. a device name)."))
    .description(format!(
        "Presence on a topic: you are a member while subscribed; first SYNC with everyone present, then JOIN and LEAVE \
         (joins per caller are rate-limited, `RATE_LIMITED`). {}",
        topics(served)
    ))
}

/// The `broadcast(topic, event, payload)` mutation.
pub fn broadcast_mutation(served: &'static App) -> Field {
    let app = served.name;
    Field::new("broadcast", TypeRef::named_nn(TypeRef::BOOLEAN), move |rc| {
        FieldFuture::new(async move {
            let run = async {
                let realtime = realtime(&rc)?;
                let topic = rc.args.try_get("topic")?.string()?.to_string();
                let event = rc.args.try_get("event")?.string()?.to_string();
                let payload = rc
                    .args
                    .get("payload")
                    .map(|p| p.as_value().clone().into_json())
                    .transpose()
                    .map_err(|e| QuiverError::BadInput(format!("payload: {e}")))?
                    .unwrap_or(serde_json::Value::Null);
                realtime.send(app, super::caller(rc.ctx), &topic, &event, payload).await?;
                Ok::<_, QuiverError>(Some(FieldValue::value(Value::Boolean(true))))
            };
            run.await.map_err(|e| e.extend())
        })
    })
    .argument(InputValue::new("topic", TypeRef::named_nn(TypeRef::STRING)))
    .argument(InputValue::new("event", TypeRef::named_nn(TypeRef::STRING)))
    .argument(InputValue::new("payload", TypeRef::named("JSON")))
    .description(format!(
        "Sends a message to every `channel(topic)` subscriber on every instance, with your identity as `sender`; not stored. \
         Payloads are limited to about 7.9 kB; broadcasts per caller are rate-limited (`RATE_LIMITED`). {}",
        topics(served)
    ))
}
