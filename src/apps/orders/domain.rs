//! Orders domain logic beyond generated CRUD: accepting a proposed order.
//!
//! `acceptProposedOrder(id, expectedVersion)` turns the proposed order built
//! during a call into an `orders` row with its `order_items`, and marks the
//! proposed order accepted — in one transaction: everything is written or
//! nothing is. The proposed order is locked first, so two devices accepting
//! at once cannot both succeed; the one whose version is stale gets CONFLICT.

use std::sync::Arc;

use async_graphql::dynamic::{Field, FieldFuture, InputValue, TypeRef};
use diesel::sql_types::{Nullable, Text};
use diesel::{OptionalExtension, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::structure;
use crate::catalog::Principal;
use crate::error::QuiverError;
use crate::graphql::domain::in_transaction;
use crate::graphql::AppContext;

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

/// Runs the acceptance for `who`, who must be allowed to write the proposed
/// order (a row they may not read is NOT_FOUND); returns the new order's id.
async fn accept_in(
    conn: &mut AsyncPgConnection,
    ctx: &AppContext,
    who: &Principal,
    id: &str,
    expected: Option<&str>,
) -> Result<String, QuiverError> {
    let proposed_orders = ctx.table(&structure::PROPOSED_ORDERS);
    let [proposed_table, orders, products, items] =
        ["proposed_orders", "orders", "products", "order_items"].map(|t| ctx.model.app.qualified(t));
    proposed_orders.check_writable(conn, who, id).await?;
    let proposed: Option<Proposed> = diesel::sql_query(format!(
        "SELECT tenant_id::text AS tenant_id, customer_id::text AS customer_id, status, \
                CASE WHEN updated_at IS NOT DISTINCT FROM $2::timestamptz THEN 'yes' END AS version_matches \
         FROM {proposed_table} WHERE id = $1::uuid FOR UPDATE"
    ))
    .bind::<Text, _>(id)
    .bind::<Nullable<Text>, _>(expected)
    .get_result(conn)
    .await
    .optional()?;
    let Some(p) = proposed else { return Err(proposed_orders.not_found(id)) };
    if p.version_matches.is_none() {
        return Err(proposed_orders.version_conflict(conn, who, id).await);
    }
    if p.status.as_deref() == Some("accepted") {
        return Err(QuiverError::BadInput("the proposed order is already accepted".into()));
    }
    let order: Id = diesel::sql_query(format!(
        "INSERT INTO {orders} (tenant_id, customer_id, status, notes) \
         VALUES ($1::uuid, $2::uuid, 'accepted', 'accepted from proposed order ' || $3) RETURNING id::text AS id"
    ))
    .bind::<Text, _>(&p.tenant_id)
    .bind::<Text, _>(&p.customer_id)
    .bind::<Text, _>(id)
    .get_result(conn)
    .await?;
    // Every item must name a product of the same tenant and a positive quantity.
    let problems: Vec<Invalid> = diesel::sql_query(format!(
        "SELECT format('item %s: %s', n, CASE \
                  WHEN NOT (i ? 'productId') OR (i->>'productId') !~* '^[0-9a-f-]{{36}}$' THEN 'productId is not a UUID' \
                  WHEN pr.id IS NULL THEN 'productId is not a product of this tenant' \
                  ELSE 'quantity must be a whole number from 1 to 2147483647' END) AS problem \
         FROM {proposed_table} po \
         CROSS JOIN LATERAL jsonb_array_elements(coalesce(po.order_items, '[]'::jsonb)) WITH ORDINALITY AS e(i, n) \
         LEFT JOIN {products} pr ON (i->>'productId') ~* '^[0-9a-f-]{{36}}$' \
              AND pr.id = (i->>'productId')::uuid AND pr.tenant_id = po.tenant_id \
         WHERE po.id = $1::uuid AND (pr.id IS NULL OR jsonb_typeof(i->'quantity') <> 'number' \
              OR (i->>'quantity')::numeric <= 0 OR (i->>'quantity')::numeric > 2147483647 \
              OR (i->>'quantity')::numeric <> trunc((i->>'quantity')::numeric))"
    ))
    .bind::<Text, _>(id)
    .load(conn)
    .await?;
    if !problems.is_empty() {
        let list: Vec<_> = problems.into_iter().map(|p| p.problem).collect();
        return Err(QuiverError::BadInput(format!("the proposed order cannot be accepted: {}", list.join("; "))));
    }
    diesel::sql_query(format!(
        "INSERT INTO {items} (tenant_id, order_id, product_id, quantity) \
         SELECT po.tenant_id, $2::uuid, (i->>'productId')::uuid, (i->>'quantity')::numeric::int \
         FROM {proposed_table} po CROSS JOIN LATERAL jsonb_array_elements(coalesce(po.order_items, '[]'::jsonb)) AS e(i) \
         WHERE po.id = $1::uuid"
    ))
    .bind::<Text, _>(id)
    .bind::<Text, _>(&order.id)
    .execute(conn)
    .await?;
    diesel::sql_query(format!("UPDATE {proposed_table} SET status = 'accepted' WHERE id = $1::uuid"))
        .bind::<Text, _>(id)
        .execute(conn)
        .await?;
    Ok(order.id)
}

/// `acceptProposedOrder(id, expectedVersion): Order!`.
pub fn accept_proposed_order(name: &'static str, ctx: &Arc<AppContext>) -> Field {
    let app = ctx.clone();
    let order_type = ctx.table(&structure::ORDERS).type_name();
    Field::new(name, TypeRef::named_nn(order_type), move |rc| {
        let ctx = app.clone();
        FieldFuture::new(async move {
            let run = async {
                let proposed_orders = ctx.table(&structure::PROPOSED_ORDERS);
                let id = proposed_orders.key_argument(&rc, "id")?;
                if rc.args.get("expectedVersion").is_none() {
                    return Err(QuiverError::BadInput("expectedVersion is required".into()));
                }
                let expected = proposed_orders.argument(&rc, "expectedVersion", "updated_at")?;
                let who = crate::graphql::caller(rc.ctx);
                let order_id = in_transaction(&ctx, who, async |conn| accept_in(conn, &ctx, who, &id, expected.as_deref()).await).await?;
                ctx.table(&structure::ORDERS).result(who, &order_id).await
            };
            run.await.map_err(|e| e.extend())
        })
    })
    .argument(InputValue::new("id", TypeRef::named_nn("UUID")))
    .argument(
        InputValue::new("expectedVersion", TypeRef::named("DateTime")).description(
            "Required: the `updatedAt` you last saw (null if it was null); CONFLICT with the current row if it changed since.",
        ),
    )
    .description("Creates the order and its items from a proposed order and marks it accepted, in one transaction.")
}
