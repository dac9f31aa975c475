//! Rows as PostgreSQL sends them: every column in its binary wire format,
//! tagged with its type, decoded on demand.
//!
//! Generated statements select table columns directly (no JSON built in the
//! database: formatting uuids and timestamps as text was a large share of the
//! database's work per row), and diesel's PostgreSQL connection receives
//! results in binary. [`DbRow`] keeps those bytes; [`Datum`] reads one column,
//! and formats it exactly as PostgreSQL's own JSON functions would, so a row
//! read here and a row captured by the change trigger (`to_jsonb`) look alike
//! (except that a `timestamp` without time zone gets its UTC offset, on both
//! paths, so every timestamp is an RFC 3339 instant).

use std::fmt::Write;

use diesel::deserialize::QueryableByName;
use diesel::pg::Pg;
use diesel::row::{Field, NamedRow};

use crate::error::QuiverError;

/// PostgreSQL type OIDs the decoder understands. Generated SQL casts
/// everything else (numeric, cidr, enums, arrays) to text or JSON.
mod oid {
    pub const BOOL: u32 = 16;
    pub const NAME: u32 = 19;
    pub const INT8: u32 = 20;
    pub const INT2: u32 = 21;
    pub const INT4: u32 = 23;
    pub const TEXT: u32 = 25;
    pub const JSON: u32 = 114;
    pub const FLOAT4: u32 = 700;
    pub const FLOAT8: u32 = 701;
    pub const UNKNOWN: u32 = 705;
    pub const BPCHAR: u32 = 1042;
    pub const VARCHAR: u32 = 1043;
    pub const DATE: u32 = 1082;
    pub const TIMESTAMP: u32 = 1114;
    pub const TIMESTAMPTZ: u32 = 1184;
    pub const UUID: u32 = 2950;
    pub const JSONB: u32 = 3802;
}

/// Where one column's bytes sit in the row buffer.
#[derive(Debug, Clone, Copy)]
struct Slot {
    oid: u32,
    start: u32,
    /// Byte length; `None` for SQL NULL.
    len: Option<u32>,
}

/// One result row of a generated statement: its columns' raw binary values.
///
/// By convention column 0 is a tag (the parent ordinal of a batched read, or
/// whether a written row passes the write rule) and the table's selected
/// columns follow.
#[derive(Debug, Default)]
pub struct DbRow {
    bytes: Vec<u8>,
    slots: Vec<Slot>,
}

impl QueryableByName<Pg> for DbRow {
    fn build<'a>(row: &impl NamedRow<'a, Pg>) -> diesel::deserialize::Result<Self> {
        let count = row.field_count();
        let mut out = DbRow { bytes: Vec::new(), slots: Vec::with_capacity(count) };
        for i in 0..count {
            let field = diesel::row::Row::get(row, i).ok_or("a result column went missing")?;
            let slot = match field.value() {
                None => Slot { oid: 0, start: 0, len: None },
                Some(value) => {
                    let bytes = value.as_bytes();
                    let start = out.bytes.len() as u32;
                    out.bytes.extend_from_slice(bytes);
                    Slot { oid: value.get_oid().get(), start, len: Some(bytes.len() as u32) }
                }
            };
            out.slots.push(slot);
        }
        Ok(out)
    }
}

/// One decoded column value, borrowing from its row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Datum<'a> {
    /// SQL NULL.
    Null,
    /// `boolean`.
    Bool(bool),
    /// `smallint`, `integer`, `bigint`.
    Int(i64),
    /// `double precision` and `real` (widened to its shortest decimal form,
    /// so `0.1::real` reads as 0.1).
    Float(f64),
    /// Text types (and everything generated SQL casts to text).
    Text(&'a str),
    /// `uuid`.
    Uuid(&'a [u8; 16]),
    /// `timestamp` or `timestamptz`: microseconds since 2000-01-01 UTC (a
    /// `timestamp` without time zone holds UTC too, see [`write_timestamp`]).
    Timestamp(i64),
    /// `date` (days since 2000-01-01).
    Date(i32),
    /// `json` / `jsonb`, as JSON text.
    Json(&'a str),
}

fn malformed(what: &str) -> QuiverError {
    QuiverError::Internal(format!("malformed {what} value from the database"))
}

fn fixed<const N: usize>(bytes: &[u8], what: &str) -> Result<[u8; N], QuiverError> {
    bytes.try_into().map_err(|_| malformed(what))
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, QuiverError> {
    std::str::from_utf8(bytes).map_err(|_| malformed(what))
}

impl DbRow {
    /// The number of columns.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Column `i`, decoded.
    pub fn datum(&self, i: usize) -> Result<Datum<'_>, QuiverError> {
        let slot = self.slots.get(i).ok_or_else(|| QuiverError::Internal(format!("no result column {i}")))?;
        let Some(len) = slot.len else { return Ok(Datum::Null) };
        let bytes = &self.bytes[slot.start as usize..(slot.start + len) as usize];
        Ok(match slot.oid {
            oid::BOOL => Datum::Bool(bytes.first().copied().ok_or_else(|| malformed("boolean"))? != 0),
            oid::INT2 => Datum::Int(i16::from_be_bytes(fixed(bytes, "smallint")?) as i64),
            oid::INT4 => Datum::Int(i32::from_be_bytes(fixed(bytes, "integer")?) as i64),
            oid::INT8 => Datum::Int(i64::from_be_bytes(fixed(bytes, "bigint")?)),
            oid::FLOAT4 => {
                let f = f32::from_be_bytes(fixed(bytes, "real")?);
                Datum::Float(if f.is_finite() { f.to_string().parse().unwrap_or(f as f64) } else { f as f64 })
            }
            oid::FLOAT8 => Datum::Float(f64::from_be_bytes(fixed(bytes, "double precision")?)),
            oid::TEXT | oid::VARCHAR | oid::BPCHAR | oid::NAME | oid::UNKNOWN => Datum::Text(utf8(bytes, "text")?),
            oid::UUID => Datum::Uuid(bytes.try_into().map_err(|_| malformed("uuid"))?),
            oid::TIMESTAMP | oid::TIMESTAMPTZ => Datum::Timestamp(i64::from_be_bytes(fixed(bytes, "timestamp")?)),
            oid::DATE => Datum::Date(i32::from_be_bytes(fixed(bytes, "date")?)),
            oid::JSON => Datum::Json(utf8(bytes, "json")?),
            // jsonb's binary form is a version byte (1) and the text.
            oid::JSONB => match bytes.split_first() {
                Some((1, text)) => Datum::Json(utf8(text, "jsonb")?),
                _ => return Err(malformed("jsonb")),
            },
            other => return Err(QuiverError::Internal(format!("result column of unsupported type (oid {other})"))),
        })
    }

    /// Column `i` as text (the form binds, keys and cursors use); `None` for NULL.
    pub fn text(&self, i: usize) -> Result<Option<String>, QuiverError> {
        Ok(self.datum(i)?.to_text())
    }

    /// Column `i` as a boolean (NULL is false).
    pub fn flag(&self, i: usize) -> Result<bool, QuiverError> {
        match self.datum(i)? {
            Datum::Bool(b) => Ok(b),
            Datum::Null => Ok(false),
            other => Err(QuiverError::Internal(format!("expected a boolean, got {other:?}"))),
        }
    }

    /// Column `i` as an integer (`None` for NULL).
    pub fn int(&self, i: usize) -> Result<Option<i64>, QuiverError> {
        match self.datum(i)? {
            Datum::Int(n) => Ok(Some(n)),
            Datum::Null => Ok(None),
            other => Err(QuiverError::Internal(format!("expected an integer, got {other:?}"))),
        }
    }

    /// Column `i` as JSON (`Null` for SQL NULL; text and numbers as JSON scalars).
    pub fn json(&self, i: usize) -> Result<serde_json::Value, QuiverError> {
        Ok(match self.datum(i)? {
            Datum::Json(text) => serde_json::from_str(text).map_err(|_| malformed("json"))?,
            Datum::Null => serde_json::Value::Null,
            Datum::Bool(b) => serde_json::Value::Bool(b),
            Datum::Int(n) => serde_json::Value::from(n),
            other => other.to_text().map(serde_json::Value::String).unwrap_or_default(),
        })
    }
}

impl Datum<'_> {
    /// The value as text, as PostgreSQL's JSON would spell a string of it
    /// (`None` for NULL; JSON as its text).
    pub fn to_text(&self) -> Option<String> {
        let mut out = String::new();
        match self {
            Datum::Null => return None,
            Datum::Text(s) | Datum::Json(s) => return Some((*s).to_string()),
            other => other.write_plain(&mut out),
        }
        Some(out)
    }

    /// Writes a non-text, non-NULL value's plain text form.
    fn write_plain(&self, out: &mut String) {
        match *self {
            Datum::Null => out.push_str("null"),
            Datum::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Datum::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Datum::Float(f) => write_float(out, f),
            Datum::Text(s) | Datum::Json(s) => out.push_str(s),
            Datum::Uuid(b) => write_uuid(out, b),
            Datum::Timestamp(micros) => write_timestamp(out, micros),
            Datum::Date(days) => write_date(out, days),
        }
    }

    /// Appends the value as a JSON value: text and temporal values quoted,
    /// numbers and booleans bare, JSON as it is; `as_string` quotes numbers
    /// too (`BigInt` travels as a string to stay exact in JavaScript).
    pub fn write_json(&self, out: &mut String, as_string: bool) {
        match self {
            Datum::Null => out.push_str("null"),
            Datum::Json(s) => out.push_str(s),
            Datum::Text(s) => write_json_string(out, s),
            Datum::Bool(_) => self.write_plain(out),
            Datum::Float(f) if !f.is_finite() => out.push_str("null"),
            Datum::Int(_) | Datum::Float(_) if !as_string => self.write_plain(out),
            _ => {
                out.push('"');
                self.write_plain(out);
                out.push('"');
            }
        }
    }
}

/// Appends `s` as a JSON string literal.
pub fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// A float as serde_json writes it (so both execution paths agree), or
/// PostgreSQL's name for a non-finite one.
fn write_float(out: &mut String, f: f64) {
    match serde_json::Number::from_f64(f) {
        Some(n) => {
            let _ = write!(out, "{n}");
        }
        None => out.push_str(if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }),
    }
}

fn write_uuid(out: &mut String, b: &[u8; 16]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[(byte >> 4) as usize] as char);
        out.push(HEX[(byte & 15) as usize] as char);
    }
}

/// Days from 2000-01-01 (PostgreSQL's epoch) to a proleptic Gregorian date.
fn civil(days_since_2000: i64) -> (i64, u32, u32) {
    // Howard Hinnant's civil_from_days, shifted to 0000-03-01.
    let z = days_since_2000 + 10_957 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Appends `n` as two digits (`n` < 100).
fn two_digits(out: &mut String, n: u32) {
    out.push((b'0' + (n / 10) as u8) as char);
    out.push((b'0' + (n % 10) as u8) as char);
}

/// Writes `YYYY-MM-DD`; returns whether the year is BC (PostgreSQL appends ` BC` last).
fn write_civil(out: &mut String, days: i64) -> bool {
    let (y, m, d) = civil(days);
    let (year, bc) = if y <= 0 { (1 - y, true) } else { (y, false) };
    if (1000..10_000).contains(&year) {
        two_digits(out, (year / 100) as u32);
        two_digits(out, (year % 100) as u32);
    } else {
        let _ = write!(out, "{year:04}");
    }
    out.push('-');
    two_digits(out, m);
    out.push('-');
    two_digits(out, d);
    bc
}

/// PostgreSQL's JSON spelling of a date.
fn write_date(out: &mut String, days: i32) {
    match days {
        i32::MAX => out.push_str("infinity"),
        i32::MIN => out.push_str("-infinity"),
        days => {
            if write_civil(out, days as i64) {
                out.push_str(" BC");
            }
        }
    }
}

/// PostgreSQL's JSON spelling of a timestamp (`2026-11-22T04:43:48.12+00:00`
/// for timestamptz in UTC, the session zone Quiver sets; no offset without
/// time zone; fraction trimmed of trailing zeros).
fn write_timestamp(out: &mut String, micros: i64) {
    match micros {
        i64::MAX => return out.push_str("infinity"),
        i64::MIN => return out.push_str("-infinity"),
        _ => {}
    }
    const DAY: i64 = 86_400_000_000;
    let (days, in_day) = (micros.div_euclid(DAY), micros.rem_euclid(DAY));
    let bc = write_civil(out, days);
    let secs = (in_day / 1_000_000) as u32;
    out.push('T');
    two_digits(out, secs / 3600);
    out.push(':');
    two_digits(out, secs / 60 % 60);
    out.push(':');
    two_digits(out, secs % 60);
    let mut fraction = (in_day % 1_000_000) as u32;
    if fraction != 0 {
        // Six digits, trailing zeros trimmed.
        let mut width = 6;
        while fraction.is_multiple_of(10) {
            fraction /= 10;
            width -= 1;
        }
        let _ = write!(out, ".{fraction:0width$}");
    }
    // `timestamptz` is UTC in the binary format; a `timestamp` without time
    // zone holds UTC too (Quiver's sessions run in UTC, and Prisma stores UTC),
    // so both read as RFC 3339 instants.
    out.push_str("+00:00");
    if bc {
        out.push_str(" BC");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: Datum) -> String {
        d.to_text().unwrap()
    }

    /// 2026-11-22T04:43:48 UTC, in microseconds since 2000-01-01.
    const INSTANT: i64 = (9822 * 86_400 + 4 * 3600 + 43 * 60 + 48) * 1_000_000;

    #[test]
    fn timestamps_read_as_postgresql_writes_them_in_json() {
        assert_eq!(text(Datum::Timestamp(INSTANT + 120_000)), "2026-11-22T04:43:48.12+00:00");
        assert_eq!(text(Datum::Timestamp(INSTANT)), "2026-11-22T04:43:48+00:00");
        assert_eq!(text(Datum::Timestamp(INSTANT + 500_000)), "2026-11-22T04:43:48.5+00:00");
        assert_eq!(text(Datum::Timestamp(INSTANT + 1)), "2026-11-22T04:43:48.000001+00:00");
        assert_eq!(text(Datum::Timestamp(i64::MAX)), "infinity");
        assert_eq!(text(Datum::Timestamp(0)), "2000-01-01T00:00:00+00:00");
        assert_eq!(text(Datum::Timestamp(-1)), "1999-12-31T23:59:59.999999+00:00");
        // 0001-01-01 is 730,119 days before 2000-01-01; the day before is in 1 BC.
        assert_eq!(text(Datum::Date(-730_119)), "0001-01-01");
        assert_eq!(text(Datum::Date(-730_120)), "0001-12-31 BC");
        assert_eq!(text(Datum::Timestamp(-730_120 * 86_400_000_000)), "0001-12-31T00:00:00+00:00 BC");
    }

    #[test]
    fn dates_uuids_and_numbers() {
        assert_eq!(text(Datum::Date(9498)), "2026-01-02");
        assert_eq!(text(Datum::Date(i32::MIN)), "-infinity");
        assert_eq!(text(Datum::Date(-1)), "1999-12-31");
        let id = [0x6f, 0x1c, 0, 1, 2, 3, 0x40, 4, 0x80, 5, 6, 7, 8, 9, 10, 0xff];
        assert_eq!(text(Datum::Uuid(&id)), "6f1c0001-0203-4004-8005-060708090aff");
        assert_eq!(text(Datum::Float(1.5)), "1.5");
        assert_eq!(text(Datum::Float(100.0)), "100.0");
        let mut out = String::new();
        Datum::Int(9_007_199_254_740_993).write_json(&mut out, true);
        Datum::Int(7).write_json(&mut out, false);
        Datum::Float(f64::NAN).write_json(&mut out, false);
        assert_eq!(out, "\"9007199254740993\"7null");
    }

    #[test]
    fn strings_are_escaped_for_json() {
        let mut out = String::new();
        write_json_string(&mut out, "a\"b\\c\nd\u{1}é");
        assert_eq!(out, r#""a\"b\\c\nd\u0001é""#);
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), "a\"b\\c\nd\u{1}é");
    }
}
