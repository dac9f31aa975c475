//! Custom scalars, the per-type filter inputs, and the shared list types
//! (`PageInfo`, `SortDirection`, `NullsOrder`).

use async_graphql::dynamic::{Enum, Field, FieldFuture, InputObject, InputValue, Object, Scalar, SchemaBuilder, TypeRef};
use async_graphql::Value;

use crate::catalog::{Column, ColumnType, Table};

use crate::catalog::names;

pub use crate::catalog::formats::{is_date, is_decimal, is_rfc3339, rfc3339_instant};

/// The GraphQL scalar or enum type name of a column.
pub fn column_type(table: &Table, column: &Column) -> String {
    match column.ty {
        ColumnType::Uuid => "UUID".into(),
        ColumnType::Text => TypeRef::STRING.into(),
        ColumnType::Bool => TypeRef::BOOLEAN.into(),
        ColumnType::Int => TypeRef::INT.into(),
        ColumnType::Float => TypeRef::FLOAT.into(),
        ColumnType::BigInt => "BigInt".into(),
        ColumnType::Decimal => "Decimal".into(),
        ColumnType::Timestamp => "DateTime".into(),
        ColumnType::Date => "Date".into(),
        ColumnType::Json => "JSON".into(),
        ColumnType::TextArray | ColumnType::Cidr => TypeRef::STRING.into(),
        ColumnType::Enum(_) | ColumnType::PgEnum(..) => names::enum_type(table, column),
    }
}

/// The full output or input type of a column (`String!`, `[String!]`, ...).
pub fn column_type_ref(table: &Table, column: &Column, nullable: bool) -> TypeRef {
    let name = column_type(table, column);
    match (column.ty, nullable) {
        (ColumnType::TextArray, true) => TypeRef::named_nn_list(name),
        (ColumnType::TextArray, false) => TypeRef::named_nn_list_nn(name),
        (_, true) => TypeRef::named(name),
        (_, false) => TypeRef::named_nn(name),
    }
}

/// The filter input type name for a column.
pub fn filter_type(table: &Table, column: &Column) -> String {
    match column.ty {
        ColumnType::TextArray => "StringListFilter".into(),
        ColumnType::Cidr => "CidrFilter".into(),
        _ => format!("{}Filter", column_type(table, column)),
    }
}

fn scalar_filter(name: &str, of: &str, ordered: bool, text: bool, json: bool) -> InputObject {
    let mut f = InputObject::new(format!("{name}Filter"))
        .description(format!("Conditions on a {of} value; all given conditions must hold."))
        .field(InputValue::new("eq", TypeRef::named(of)).description("Equal to."))
        .field(InputValue::new("neq", TypeRef::named(of)).description("Not equal to (NULLs never match)."))
        .field(InputValue::new("in", TypeRef::named_nn_list(of)).description("Equal to one of."))
        .field(InputValue::new("isNull", TypeRef::named(TypeRef::BOOLEAN)).description("Is NULL (true) or is not NULL (false)."));
    if ordered {
        for (op, d) in [("lt", "Less than."), ("lte", "At most."), ("gt", "Greater than."), ("gte", "At least.")] {
            f = f.field(InputValue::new(op, TypeRef::named(of)).description(d));
        }
    }
    if text {
        f = f
            .field(InputValue::new("like", TypeRef::named(TypeRef::STRING)).description("SQL LIKE pattern (% and _), case-sensitive."))
            .field(InputValue::new("ilike", TypeRef::named(TypeRef::STRING)).description("SQL ILIKE pattern, case-insensitive."));
    }
    if json {
        f = f.field(InputValue::new("contains", TypeRef::named(of)).description("Contains the given JSON (jsonb @>)."));
    }
    f
}

/// The filter input of an enum type.
pub fn enum_filter(enum_name: &str) -> InputObject {
    scalar_filter(enum_name, enum_name, false, false, false)
}

/// Registers the scalars and shared types every app schema uses.
pub fn register_shared(mut builder: SchemaBuilder) -> SchemaBuilder {
    builder = builder
        .register(
            Scalar::new("UUID")
                .description("A UUID, e.g. `4f9b2c9e-8d1a-4c6e-9a53-0b1f8f2d7c11`.")
                .validator(|v| matches!(v, Value::String(s) if uuid::Uuid::parse_str(s).is_ok())),
        )
        .register(
            Scalar::new("DateTime")
                .description("An RFC 3339 timestamp with time zone, e.g. `2025-01-31T12:00:00Z`.")
                .validator(|v| matches!(v, Value::String(s) if is_rfc3339(s))),
        )
        .register(
            Scalar::new("Date").description("A calendar date, `YYYY-MM-DD`.").validator(|v| matches!(v, Value::String(s) if is_date(s))),
        )
        .register(
            Scalar::new("Decimal")
                .description("An exact decimal number, as a string (`\"12.50\"`); numbers are accepted as input.")
                .validator(|v| match v {
                    Value::String(s) => is_decimal(s),
                    Value::Number(_) => true,
                    _ => false,
                }),
        )
        .register(Scalar::new("BigInt").description("A 64-bit integer, as a string; numbers are accepted as input.").validator(
            |v| match v {
                Value::String(s) => s.parse::<i64>().is_ok(),
                Value::Number(n) => n.is_i64(),
                _ => false,
            },
        ))
        .register(Scalar::new("JSON").description("Any JSON value."));
    for (name, of, ordered, text, json) in [
        ("UUID", "UUID", false, false, false),
        ("String", TypeRef::STRING, true, true, false),
        ("Boolean", TypeRef::BOOLEAN, false, false, false),
        ("Int", TypeRef::INT, true, false, false),
        ("Float", TypeRef::FLOAT, true, false, false),
        ("BigInt", "BigInt", true, false, false),
        ("Decimal", "Decimal", true, false, false),
        ("DateTime", "DateTime", true, false, false),
        ("Date", "Date", true, false, false),
        ("JSON", "JSON", false, false, true),
    ] {
        builder = builder.register(scalar_filter(name, of, ordered, text, json));
    }
    builder = builder
        .register(scalar_filter("Cidr", TypeRef::STRING, false, false, false).description("Conditions on a network address (cidr)."));
    builder = builder.register(
        InputObject::new("StringListFilter")
            .description("Conditions on a list of strings.")
            .field(InputValue::new("contains", TypeRef::named_nn_list(TypeRef::STRING)).description("Has every one of these elements."))
            .field(InputValue::new("overlaps", TypeRef::named_nn_list(TypeRef::STRING)).description("Has at least one of these elements."))
            .field(InputValue::new("isNull", TypeRef::named(TypeRef::BOOLEAN))),
    );
    builder
        .register(Enum::new("SortDirection").description("Sort direction.").item("ASC").item("DESC"))
        .register(
            Enum::new("NullsOrder")
                .description("Where NULLs sort; by default last ascending and first descending.")
                .item("FIRST")
                .item("LAST"),
        )
        .register(page_info())
}

fn page_info() -> Object {
    let flag = |name: &'static str| {
        Field::new(name, TypeRef::named_nn(TypeRef::BOOLEAN), move |ctx| {
            FieldFuture::Value(
                ctx.parent_value
                    .downcast_ref::<PageInfo>()
                    .map(|p| Value::Boolean(if name == "hasNextPage" { p.has_next } else { p.has_previous }).into()),
            )
        })
    };
    let cursor = |name: &'static str| {
        Field::new(name, TypeRef::named(TypeRef::STRING), move |ctx| {
            FieldFuture::Value(ctx.parent_value.downcast_ref::<PageInfo>().and_then(|p| {
                let c = if name == "startCursor" { &p.start } else { &p.end };
                c.clone().map(|c| Value::String(c).into())
            }))
        })
    };
    Object::new("PageInfo")
        .description("Relay pagination state of a connection.")
        .field(flag("hasNextPage"))
        .field(flag("hasPreviousPage"))
        .field(cursor("startCursor"))
        .field(cursor("endCursor"))
}

/// The value behind a `PageInfo` object.
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// More rows follow the page.
    pub has_next: bool,
    /// Rows precede the page.
    pub has_previous: bool,
    /// Cursor of the first row.
    pub start: Option<String>,
    /// Cursor of the last row.
    pub end: Option<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps() {
        for ok in ["2025-01-31T12:00:00Z", "2025-01-31 12:00:00.123456+05:30", "2026-07-28T01:30:00+00:00"] {
            assert!(super::is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "yesterday",
            "infinity",
            "2025-01-31",
            "2025-13-01T00:00:00Z",
            "2025-01-31T25:00:00Z",
            "2025-01-31T12:00:00",
            "2025-01-31T12:00:00.Z",
        ] {
            assert!(!super::is_rfc3339(bad), "{bad}");
        }
        assert!(super::is_date("2025-02-28"));
        assert_eq!(super::rfc3339_instant("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(super::rfc3339_instant("2025-01-01T05:30:00.5+05:30"), super::rfc3339_instant("2025-01-01T00:00:00.500Z"));
        assert_eq!(super::rfc3339_instant("2000-03-01T00:00:00Z"), Some((951868800, 0)));
        assert!(!super::is_date("2025-2-28"));
    }

    #[test]
    fn decimals() {
        for ok in ["0", "12.50", "-3.1"] {
            assert!(super::is_decimal(ok), "{ok}");
        }
        for bad in ["", "1e5", "abc", "1.", ".5", "--1"] {
            assert!(!super::is_decimal(bad), "{bad}");
        }
    }
}
