//! One source of table structure: each app's generated `structure.rs` must
//! be exactly what `quiver structure <app>` prints from the migrated catalog,
//! and hand-written declarations that name what the structure lacks, or
//! GraphQL names that collide, stop start-up with a message naming them.

use std::path::Path;

use quiver::catalog::shape::{render, Shape};
use quiver::catalog::{hashed, rel, topic, AppDecl, Rel, Rule, Secret, TableDecl};
use quiver::db::{Db, PoolOptions};

use crate::common::TestDb;

#[tokio::test]
async fn generated_structure_matches_the_migrated_catalog() {
    let db = TestDb::new().await;
    let pool = Db::connect(&db.url, &PoolOptions::default()).unwrap();
    for def in quiver::apps::APPS {
        let shapes = quiver::db::introspect::shapes(&pool, def.name(), def.decl.include).await.expect("catalog reads");
        let printed = render(def.name(), &shapes);
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/apps").join(def.name()).join("structure.rs");
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            printed == checked_in,
            "{} is stale: the migrations define another structure. Regenerate it with\n  cargo run -q -- structure {} > {}",
            path.display(),
            def.name(),
            path.display()
        );
    }
}

#[test]
fn every_registered_app_builds() {
    for def in quiver::apps::APPS {
        if let Err(e) = def.build() {
            panic!("{e}");
        }
    }
}

/// A real shape, under a declaration that names what it does not have.
fn built(decl: &'static AppDecl) -> Vec<String> {
    decl.build().expect_err("the declarations are refused")
}

fn studio_shape(name: &str) -> &'static Shape {
    let app = quiver::apps::find("studio").unwrap().app();
    app.table(name).unwrap().shape
}

const SECRETS: &[Secret] = &[hashed("pin_hash", "pin")];
const RELATIONS: &[Rel] = &[rel("owner_id", "owner", "benches")];

#[test]
fn stale_hand_written_references_name_the_table_and_column() {
    let shape = studio_shape("workbenches");
    let decl: &'static AppDecl = Box::leak(Box::new(AppDecl {
        name: "studio",
        tables: Box::leak(Box::new([TableDecl::new(shape)
            .secrets(SECRETS)
            .managed(&["touched_at"])
            .relations(RELATIONS)
            .rules(Rule::Owner("account_id"), Rule::ServiceOnly)])),
        structure: Box::leak(Box::new([*shape])),
        include: &[],
        watches: &[],
        api_keys: None,
        topics: &[],
    }));
    let problems = built(decl).join("\n");
    for expected in [
        "table workbenches: a secret names column pin_hash, which the table does not have",
        "table workbenches: managed names column touched_at, which the table does not have",
        "table workbenches: a relation names column owner_id, which the table does not have",
        // Its foreign keys point at tables this app does not declare.
        "foreign key fk_workbenches_user_id refers to users, which is not declared",
    ] {
        assert!(problems.contains(expected), "missing «{expected}» in:\n{problems}");
    }
}

/// The problems of an app of studio's `ai_models` alone, read under `rule`.
fn ai_models_read_by(rule: Rule) -> String {
    let shape = studio_shape("ai_models");
    let decl: &'static AppDecl = Box::leak(Box::new(AppDecl {
        name: "studio",
        tables: Box::leak(Box::new([TableDecl::new(shape).rules(rule, Rule::ServiceOnly)])),
        structure: Box::leak(Box::new([*shape])),
        include: &[],
        watches: &[],
        api_keys: None,
        topics: &[],
    }));
    built(decl).join("\n")
}

#[test]
fn rule_columns_that_do_not_exist_are_named() {
    let problems = ai_models_read_by(Rule::Owner("owner_id"));
    assert!(problems.contains("table ai_models: rule column owner_id is not declared"), "{problems}");
}

#[test]
fn rule_values_outside_a_columns_enum_are_named() {
    let rule = Rule::AnyOf(&[Rule::OneOf("task_type", &["TextGeneration"]), Rule::OneOf("task_type", &["Poetry"])]);
    let problems = ai_models_read_by(rule);
    assert!(problems.contains("table ai_models: rule value Poetry is not a value of column task_type"), "{problems}");
    assert!(!problems.contains("TextGeneration"), "{problems}");
}

#[test]
fn name_clashes_are_reported_not_panicked_on() {
    let models = studio_shape("ai_models");
    let versions = studio_shape("ai_model_versions");
    let decl: &'static AppDecl = Box::leak(Box::new(AppDecl {
        name: "studio",
        tables: Box::leak(Box::new([
            // Two tables under one type name, and a type named like a built-in one.
            TableDecl::new(models).named("Model"),
            TableDecl::new(versions).named("Model"),
        ])),
        structure: Box::leak(Box::new([*models, *versions])),
        include: &[],
        watches: &[],
        api_keys: None,
        topics: &[],
    }));
    let problems = built(decl).join("\n");
    assert!(problems.contains("GraphQL type Model of table ai_model_versions clashes with table ai_models"), "{problems}");
    assert!(problems.contains("query field model of table ai_model_versions clashes with table ai_models"), "{problems}");
    assert!(problems.contains("mutation field createModel of table ai_model_versions clashes"), "{problems}");

    let builtin: &'static AppDecl = Box::leak(Box::new(AppDecl {
        name: "studio",
        tables: Box::leak(Box::new([TableDecl::new(models).named("PageInfo")])),
        structure: Box::leak(Box::new([*models])),
        include: &[],
        watches: &[],
        api_keys: None,
        topics: &[],
    }));
    let problems = built(builtin).join("\n");
    assert!(problems.contains("GraphQL type PageInfo of table ai_models clashes with Quiver itself"), "{problems}");
}

#[test]
fn undeclared_tables_of_the_structure_are_reported() {
    let models = studio_shape("ai_models");
    let versions = studio_shape("ai_model_versions");
    let decl: &'static AppDecl = Box::leak(Box::new(AppDecl {
        name: "studio",
        tables: Box::leak(Box::new([TableDecl::new(models)])),
        structure: Box::leak(Box::new([*models, *versions])),
        include: &[],
        watches: &[],
        api_keys: None,
        topics: &[],
    }));
    let problems = built(decl).join("\n");
    assert!(problems.contains("table ai_model_versions is in the schema but not declared"), "{problems}");
}

#[test]
fn topic_families_must_name_a_declared_table_once() {
    let models = studio_shape("ai_models");
    for (topics, expected) in [
        (&[topic("model", "models")][..], "app studio: topic model: unknown table models"),
        (&[topic("model", "ai_models"), topic("model", "ai_models")][..], "app studio: topic model: declared twice"),
        (&[topic("a:b", "ai_models")][..], "topic a:b: a topic prefix is not empty and has no colon"),
    ] {
        let topics: &'static [_] = Box::leak(topics.to_vec().into_boxed_slice());
        let decl: &'static AppDecl = Box::leak(Box::new(AppDecl {
            name: "studio",
            tables: Box::leak(Box::new([TableDecl::new(models)])),
            structure: Box::leak(Box::new([*models])),
            include: &[],
            watches: &[],
            api_keys: None,
            topics,
        }));
        let problems = built(decl).join("\n");
        assert!(problems.contains(expected), "missing «{expected}» in:\n{problems}");
    }
}
