//! Row rules compiled to SQL predicates, and decided from a change's row
//! alone where they can be, on the studio declarations.

use quiver::catalog::{App, Mode, Principal, Table};
use quiver::sql::access::{decide_locally, guard};
use quiver::sql::{Bind, Sql};

fn studio() -> &'static App {
    quiver::apps::find("studio").unwrap().app()
}

fn table(name: &str) -> &'static Table {
    studio().table(name).unwrap()
}

const ALICE: &str = "00000000-0000-4000-8000-00000000a11c";

fn predicate(table: &Table, mode: Mode, who: &Principal) -> Sql {
    let mut sql = Sql::default();
    let t = sql.alias();
    guard(&mut sql, studio(), table, &t, mode, who);
    sql
}

#[test]
fn service_role_passes_and_anonymous_callers_own_nothing() {
    assert_eq!(predicate(table("projects"), Mode::Read, &Principal::service()).text, "TRUE");
    let anon = predicate(table("projects"), Mode::Read, &Principal::anon());
    assert_eq!(anon.text, "FALSE");
    assert!(anon.binds.is_empty());
    // Public rows need no claims.
    assert_eq!(predicate(table("templates"), Mode::Read, &Principal::anon()).text, "(t0.\"is_public\" IS TRUE OR FALSE)");
}

#[test]
fn owners_bind_their_id_and_memberships_become_exists() {
    let alice = Principal::user(ALICE);
    let own = predicate(table("projects"), Mode::Read, &alice);
    assert_eq!(own.text, "t0.\"user_id\" = $1::uuid");
    assert_eq!(own.binds, vec![Bind::Text(Some(ALICE.into()))]);
    let kit = predicate(table("brand_kits"), Mode::Write, &alice);
    assert!(
        kit.text.contains("EXISTS (SELECT 1 FROM \"studio\".\"team_members\" t1 WHERE t1.\"team_id\" = t0.\"team_id\""),
        "{}",
        kit.text
    );
    assert!(kit.binds.contains(&Bind::Array(vec![Some("Owner".into()), Some("Admin".into()), Some("Editor".into())])));
    // A user id that is no UUID matches no UUID column (and binds nothing that could fail).
    let odd = predicate(table("projects"), Mode::Read, &Principal::user("not-a-uuid"));
    assert_eq!(odd.text, "FALSE");
}

#[test]
fn via_follows_the_foreign_key_with_the_same_mode() {
    let versions = predicate(table("asset_versions"), Mode::Write, &Principal::user(ALICE));
    assert!(
        versions.text.starts_with("(EXISTS (SELECT 1 FROM \"studio\".\"assets\" t1 WHERE t1.\"id\" = t0.\"asset_id\" AND "),
        "{}",
        versions.text
    );
    // The asset's write rule, not its read rule: owner and the project's write rule.
    assert!(versions.text.contains("\"workbench_id\""), "{}", versions.text);
}

#[test]
fn decisions_from_the_row_alone_where_possible() {
    let alice = Principal::user(ALICE);
    let row = |user: &'static str| move |c: &str| (c == "user_id").then(|| user.to_string());
    assert_eq!(decide_locally(table("projects"), Mode::Read, &alice, &row(ALICE)), Some(true));
    assert_eq!(decide_locally(table("projects"), Mode::Read, &alice, &row("someone")), Some(false));
    assert_eq!(decide_locally(table("projects"), Mode::Read, &Principal::anon(), &row(ALICE)), Some(false));
    // Owner or team member: the owner is decided, anyone else needs the database.
    assert_eq!(decide_locally(table("brand_kits"), Mode::Read, &alice, &row(ALICE)), Some(true));
    assert_eq!(decide_locally(table("brand_kits"), Mode::Read, &alice, &row("someone")), None);
    assert_eq!(decide_locally(table("brand_kits"), Mode::Read, &Principal::anon(), &row("someone")), Some(false));
}
