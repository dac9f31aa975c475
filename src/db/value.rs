//! Fetched rows as the GraphQL layer and the realtime hub work with them:
//! column values by index, in GraphQL value form.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql_value::{ConstValue as Value, Name};

use super::{Datum, DbRow};
use crate::catalog::model::TableModel;
use crate::catalog::{ColumnType, Table};
use crate::error::QuiverError;
use crate::sql::FIRST_COLUMN;

/// A fetched row: the table's columns by index (`Null` where not fetched),
/// already in GraphQL value form (enum columns hold their database value).
#[derive(Debug)]
pub struct Row {
    /// Index of the row's table in the [`AppModel`].
    pub table: usize,
    /// Column values.
    pub values: Vec<Value>,
}

/// A row shared between the loader's results and the resolvers.
pub type RowRef = Arc<Row>;

impl Row {
    /// Builds a row of `table` (declared as `decl`) from a fetched row holding
    /// `columns` from its first table column on.
    pub fn from_db(table: usize, decl: &Table, columns: &[usize], row: &DbRow) -> Result<Row, QuiverError> {
        let mut values = vec![Value::Null; decl.columns.len()];
        for (i, &c) in columns.iter().enumerate() {
            values[c] = datum_value(decl.columns[c].ty, row.datum(FIRST_COLUMN + i)?)?;
        }
        Ok(Row { table, values })
    }

    /// Builds a row from a JSON object keyed by column name (PostgreSQL's
    /// `to_jsonb(row)`), keeping exact numerics exact.
    pub fn from_object(tm: &TableModel, table: usize, fields: &HashMap<String, Box<serde_json::value::RawValue>>) -> Row {
        let columns = tm.table.columns;
        let mut values = vec![Value::Null; columns.len()];
        for (i, c) in columns.iter().enumerate() {
            let Some(raw) = fields.get(c.name) else { continue };
            let text = raw.get();
            values[i] = match c.ty {
                ColumnType::Decimal | ColumnType::BigInt if !text.starts_with('"') && text != "null" => Value::String(text.to_string()),
                // A `timestamp` without time zone holds UTC (sessions run in UTC): spelled
                // with its offset, as the row decoder spells it, so it stays RFC 3339.
                ColumnType::Timestamp => match serde_json::from_str::<Value>(text) {
                    Ok(Value::String(s)) if !has_offset(&s) && s.contains('T') => Value::String(format!("{s}+00:00")),
                    Ok(v) => v,
                    Err(_) => Value::Null,
                },
                _ => serde_json::from_str(text).unwrap_or(Value::Null),
            };
        }
        Row { table, values }
    }

    /// A column's value as text, the form binds and cursors use (`None` for NULL).
    pub fn text(&self, column: usize) -> Option<String> {
        match &self.values[column] {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            Value::Enum(n) => Some(n.to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Boolean(b) => Some(b.to_string()),
            other => other.clone().into_json().ok().map(|j| j.to_string()),
        }
    }
}

/// The value resolvers work with for a fetched column of type `ty`: exact
/// numbers as strings, enum columns as their database value (see
/// [`output_value`]), temporal values in PostgreSQL's JSON spelling.
pub fn datum_value(ty: ColumnType, d: Datum) -> Result<Value, QuiverError> {
    Ok(match d {
        Datum::Null => Value::Null,
        Datum::Bool(b) => Value::Boolean(b),
        Datum::Int(n) if matches!(ty, ColumnType::BigInt | ColumnType::Decimal) => Value::String(n.to_string()),
        Datum::Int(n) => Value::Number(n.into()),
        Datum::Float(f) => serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
        Datum::Json(text) => serde_json::from_str(text).map_err(|e| QuiverError::Internal(format!("json column: {e}")))?,
        other => Value::String(other.to_text().unwrap_or_default()),
    })
}

/// A JSON scalar as the text PostgreSQL would parse back into the same value.
pub fn json_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Converts a fetched column value to its GraphQL value.
pub fn output_value(model: &TableModel, column: usize, v: &Value) -> Value {
    match (model.table.columns[column].ty, v) {
        (ColumnType::Enum(_) | ColumnType::PgEnum(..), Value::String(s)) => {
            model.enum_name(column, s).map(|n| Value::Enum(Name::new(n))).unwrap_or(Value::Null)
        }
        (ColumnType::BigInt | ColumnType::Decimal, Value::Number(n)) => Value::String(n.to_string()),
        (_, v) => v.clone(),
    }
}

/// Whether an ISO timestamp ends with a UTC offset (`Z`, `+01:00`, `-05:00`).
fn has_offset(s: &str) -> bool {
    let time = s.rsplit_once('T').map(|(_, t)| t).unwrap_or(s);
    time.ends_with('Z') || time.contains('+') || time.contains('-')
}
