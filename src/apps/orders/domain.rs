//! Orders domain logic beyond generated CRUD: accepting a proposed order.
//!
//! `acceptProposedOrder(id, expectedVersion)` turns the proposed order built
//! during a call into an `orders` row with its `order_items`, and marks the
//! proposed order accepted — in one transaction: everything is written or
//! nothing is. The proposed order is locked first, so two devices accepting
//! at once cannot both succeed; the one whose version is stale gets CONFLICT.

use std::sync::Arc;

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, InputValue, TypeRef};
use diesel::sql_types::{Nullable, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::auth::Principal;
use crate::error::QuiverError;
use crate::graphql::inputs::input_text;
use crate::graphql::model::Row;
use crate::graphql::root::row_as_json;
use crate::graphql::AppContext;
use crate::sql;

/// The proposed order, as the transaction reads it under lock.
#[derive(QueryableByName)]
struct Proposed {
    #[diesel(sql_type = Text)]
    tenant_id: String,
    #[diesel(sql_type = Text)]
    customer_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    status: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    version_matches: Option<String>,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

#[derive(QueryableByName)]
struct Invalid {
    #[diesel(sql_type = Text)]
    problem: String,
}

/// Index of a table of the app by SQL name.
fn table(ctx: &AppContext, name: &str) -> usize {
    ctx.model.tables.iter().position(|t| t.table.name == name).expect("orders tables are declared")
}

/// Runs the acceptance for `who`, who must be allowed to write the proposed
/// order (a row they may not read is NOT_FOUND); returns the new order's id.
async fn accept_in(conn: &mut AsyncPgConnection, ctx: &AppContext, who: &Principal, id: &str, expected: Option<&str>) -> Result<String, QuiverError> {
    let pt = table(ctx, "proposed_orders");
    let tm = &ctx.model.tables[pt];
    ctx.db.act_as(conn, who).await?;
    let keys = [id.to_string()];
    if ctx.db.fetch_on(conn, sql::select_by_keys_writable(ctx.model.app, tm.table, &keys, who)).await?.is_empty() {
        let readable = ctx.db.fetch_on(conn, sql::select_by_keys(ctx.model.app, tm.table, &[], &keys, who)).await?;
        return Err(match readable.is_empty() {
            true => QuiverError::NotFound { type_name: tm.table.type_name, key: "id", value: id.to_string() },
            false => QuiverError::Forbidden("you may not accept this proposed order".into()),
        });
    }
    let proposed: Option<Proposed> = diesel::sql_query(
        "SELECT tenant_id::text AS tenant_id, customer_id::text AS customer_id, status, \
                CASE WHEN updated_at IS NOT DISTINCT FROM $2::timestamptz THEN 'yes' END AS version_matches \
         FROM orders.proposed_orders WHERE id = $1::uuid FOR UPDATE",
    )
    .bind::<Text, _>(id)
    .bind::<Nullable<Text>, _>(expected)
    .get_result(conn)
    .await
    .map(Some)
    .or_else(|e| if matches!(e, diesel::result::Error::NotFound) { Ok(None) } else { Err(e) })?;
    let Some(p) = proposed else {
        return Err(QuiverError::NotFound { type_name: ctx.model.tables[pt].table.type_name, key: "id", value: id.to_string() });
    };
    if p.version_matches.is_none() {
        let rows = ctx.db.fetch_on(conn, sql::select_by_keys(ctx.model.app, tm.table, &tm.readable, &keys, who)).await?;
        let current = rows.into_iter().next().ok_or_else(|| QuiverError::Internal("locked proposed order vanished".into()))?;
        let row = Row::from_db(pt, tm.table, &tm.readable, &current)?;
        return Err(QuiverError::VersionConflict { type_name: tm.table.type_name, current: row_as_json(tm, &row) });
    }
    if p.status.as_deref() == Some("accepted") {
        return Err(QuiverError::BadInput("the proposed order is already accepted".into()));
    }
    let order: Id = diesel::sql_query(
        "INSERT INTO orders.orders (tenant_id, customer_id, status, notes) \
         VALUES ($1::uuid, $2::uuid, 'accepted', 'accepted from proposed order ' || $3) RETURNING id::text AS id",
    )
    .bind::<Text, _>(&p.tenant_id)
    .bind::<Text, _>(&p.customer_id)
    .bind::<Text, _>(id)
    .get_result(conn)
    .await?;
    // Every item must name a product of the same tenant and a positive quantity.
    let problems: Vec<Invalid> = diesel::sql_query(
        "SELECT format('item %s: %s', n, CASE \
                  WHEN NOT (i ? 'productId') OR (i->>'productId') !~* '^[0-9a-f-]{36}$' THEN 'productId is not a UUID' \
                  WHEN pr.id IS NULL THEN 'productId is not a product of this tenant' \
                  ELSE 'quantity must be a whole number from 1 to 2147483647' END) AS problem \
         FROM orders.proposed_orders po \
         CROSS JOIN LATERAL jsonb_array_elements(coalesce(po.order_items, '[]'::jsonb)) WITH ORDINALITY AS e(i, n) \
         LEFT JOIN orders.products pr ON (i->>'productId') ~* '^[0-9a-f-]{36}$' \
              AND pr.id = (i->>'productId')::uuid AND pr.tenant_id = po.tenant_id \
         WHERE po.id = $1::uuid AND (pr.id IS NULL OR jsonb_typeof(i->'quantity') <> 'number' \
              OR (i->>'quantity')::numeric <= 0 OR (i->>'quantity')::numeric > 2147483647 \
              OR (i->>'quantity')::numeric <> trunc((i->>'quantity')::numeric))",
    )
    .bind::<Text, _>(id)
    .load(conn)
    .await?;
    if !problems.is_empty() {
        let list: Vec<_> = problems.into_iter().map(|p| p.problem).collect();
        return Err(QuiverError::BadInput(format!("the proposed order cannot be accepted: {}", list.join("; "))));
    }
    diesel::sql_query(
        "INSERT INTO orders.order_items (tenant_id, order_id, product_id, quantity) \
         SELECT po.tenant_id, $2::uuid, (i->>'productId')::uuid, (i->>'quantity')::numeric::int \
         FROM orders.proposed_orders po CROSS JOIN LATERAL jsonb_array_elements(coalesce(po.order_items, '[]'::jsonb)) AS e(i) \
         WHERE po.id = $1::uuid",
    )
    .bind::<Text, _>(id)
    .bind::<Text, _>(&order.id)
    .execute(conn)
    .await?;
    diesel::sql_query("UPDATE orders.proposed_orders SET status = 'accepted' WHERE id = $1::uuid")
        .bind::<Text, _>(id)
        .execute(conn)
        .await?;
    Ok(order.id)
}

/// `acceptProposedOrder(id, expectedVersion): Order!`.
pub fn accept_proposed_order(ctx: &Arc<AppContext>) -> Field {
    let app = ctx.clone();
    let order_type = ctx.model.tables[table(ctx, "orders")].table.type_name;
    Field::new("acceptProposedOrder", TypeRef::named_nn(order_type), move |rc| {
        let ctx = app.clone();
        FieldFuture::new(async move {
            let run = async {
                let pt = table(&ctx, "proposed_orders");
                let tm = &ctx.model.tables[pt];
                let (ki, _) = tm.table.key_column();
                let id = input_text(tm, ki, rc.args.try_get("id")?.as_value())?;
                let (vi, _) = tm.table.column("updated_at").expect("proposed_orders.updated_at is declared");
                let expected = match rc.args.get("expectedVersion") {
                    None => return Err(QuiverError::BadInput("expectedVersion is required".into())),
                    Some(v) if v.is_null() => None,
                    Some(v) => Some(input_text(tm, vi, v.as_value())?),
                };
                let who = crate::graphql::caller(rc.ctx);
                if !who.may(tm.table, crate::sql::access::Mode::Write) {
                    return Err(QuiverError::Forbidden("these credentials may not write proposed orders".into()));
                }
                let mut conn = ctx.db.conn().await?;
                let order_id = conn
                    .transaction::<_, QuiverError, _>(async |conn| accept_in(conn, &ctx, who, &id, expected.as_deref()).await)
                    .await?;
                let ot = table(&ctx, "orders");
                let om = &ctx.model.tables[ot];
                let rows = ctx.db.fetch(sql::select_by_keys(ctx.model.app, om.table, &om.readable, std::slice::from_ref(&order_id), who)).await?;
                // Deleted by someone else in the instant since the commit.
                let created = rows.into_iter().next().ok_or(QuiverError::NotFound { type_name: om.table.type_name, key: "id", value: order_id })?;
                let row = Row::from_db(ot, om.table, &om.readable, &created)?;
                Ok::<_, QuiverError>(Some(FieldValue::owned_any(Arc::new(row))))
            };
            run.await.map_err(|e| e.extend())
        })
    })
    .argument(InputValue::new("id", TypeRef::named_nn("UUID")))
    .argument(
        InputValue::new("expectedVersion", TypeRef::named("DateTime"))
            .description("Required: the `updatedAt` you last saw (null if it was null); CONFLICT with the current row if it changed since."),
    )
    .description("Creates the order and its items from a proposed order and marks it accepted, in one transaction.")
}
