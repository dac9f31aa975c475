//! Platform domain logic beyond generated CRUD: creating a workspace.
//!
//! A workspace is written only by its owners and admins, so a new one, which
//! has no members yet, cannot be created through the generated
//! `createWorkspace` by a user (only by the service).
//! `createOwnedWorkspace(name, slug, description)` inserts the workspace and
//! makes the signed-in caller its `OWNER` in one transaction: both rows are
//! written or neither is (a taken slug is `CONFLICT` and leaves nothing).

use std::sync::Arc;

use async_graphql::dynamic::{Field, FieldFuture, InputValue, TypeRef};
use diesel::sql_types::{Nullable, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::structure;
use crate::catalog::{Principal, Role};
use crate::error::QuiverError;
use crate::graphql::domain::in_transaction;
use crate::graphql::AppContext;

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Inserts the workspace and its owner's membership; returns the workspace id.
async fn create_in(
    conn: &mut AsyncPgConnection,
    app: &crate::catalog::App,
    owner: &str,
    name: &str,
    slug: &str,
    description: Option<&str>,
) -> Result<String, QuiverError> {
    let workspace: Id = diesel::sql_query(format!(
        "INSERT INTO {} (name, slug, description) VALUES ($1, $2, $3) RETURNING id",
        app.qualified("workspaces")
    ))
    .bind::<Text, _>(name)
    .bind::<Text, _>(slug)
    .bind::<Nullable<Text>, _>(description)
    .get_result(conn)
    .await?;
    diesel::sql_query(format!(
        "INSERT INTO {} (\"workspaceId\", \"userId\", role, \"invitedAt\", \"joinedAt\") \
         VALUES ($1, $2, 'OWNER', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        app.qualified("workspace_members")
    ))
    .bind::<Text, _>(&workspace.id)
    .bind::<Text, _>(owner)
    .execute(conn)
    .await?;
    Ok(workspace.id)
}

/// The signed-in user a workspace is created for.
fn owner_of(who: &Principal) -> Result<&str, QuiverError> {
    match (&who.role, who.user_id.as_deref()) {
        (Role::Authenticated, Some(user)) if who.grants.is_none() => Ok(user),
        _ => Err(QuiverError::Forbidden("createOwnedWorkspace needs a signed-in user, who becomes the owner".into())),
    }
}

/// `createOwnedWorkspace(name, slug, description): Workspace!`.
pub fn create_owned_workspace(field: &'static str, ctx: &Arc<AppContext>) -> Field {
    let app = ctx.clone();
    let workspace_type = ctx.table(&structure::WORKSPACES).type_name();
    Field::new(field, TypeRef::named_nn(workspace_type), move |rc| {
        let ctx = app.clone();
        FieldFuture::new(async move {
            let run = async {
                let workspaces = ctx.table(&structure::WORKSPACES);
                let required = |arg: &str| -> Result<String, QuiverError> {
                    workspaces.argument(&rc, arg, arg)?.ok_or_else(|| QuiverError::BadInput(format!("{arg} is required")))
                };
                let (name, slug) = (required("name")?, required("slug")?);
                let description = workspaces.argument(&rc, "description", "description")?;
                let who = crate::graphql::caller(rc.ctx);
                let owner = owner_of(who)?;
                let id = in_transaction(&ctx, who, async |conn| {
                    create_in(conn, ctx.model.app, owner, &name, &slug, description.as_deref()).await
                })
                .await?;
                workspaces.result(who, &id).await
            };
            run.await.map_err(|e| e.extend())
        })
    })
    .argument(InputValue::new("name", TypeRef::named_nn(TypeRef::STRING)))
    .argument(InputValue::new("slug", TypeRef::named_nn(TypeRef::STRING)))
    .argument(InputValue::new("description", TypeRef::named(TypeRef::STRING)))
    .description("Creates a workspace and makes the signed-in caller its OWNER, in one transaction.")
}
