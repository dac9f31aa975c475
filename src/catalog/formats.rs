//! The text forms of column values (`Decimal`, `Date`, `DateTime`), checked
//! and compared without a date library: GraphQL inputs are validated with
//! them and change filters compare row values by them.

/// Whether `s` is a plain decimal number (`-12.50`, `3`, `1e5` is rejected).
pub fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit())
        && !(s.contains('.') && frac.is_empty())
}

/// Whether `s` is `YYYY-MM-DD` with plausible month and day.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    b.len() == 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (1..=12).contains(&num(5..7))
        && (1..=31).contains(&num(8..10))
}

/// Whether `s` is an RFC 3339 timestamp: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`
/// (`T` may be a space, as RFC 3339 allows).
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    // `get` rather than slicing: byte 10 may fall inside a multibyte character.
    if b.len() < 20 || !s.get(..10).is_some_and(is_date) || !matches!(b[10], b'T' | b't' | b' ') {
        return false;
    }
    let two = |i: usize, max: u32| {
        b.get(i..i + 2).is_some_and(|d| d.iter().all(u8::is_ascii_digit)) && s[i..i + 2].parse::<u32>().is_ok_and(|n| n <= max)
    };
    if !(two(11, 23) && b[13] == b':' && two(14, 59) && b[16] == b':' && two(17, 60)) {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', ..] if rest.len() == 6 => {
            let off = rest.as_bytes();
            off[1..3].iter().all(u8::is_ascii_digit)
                && off[3] == b':'
                && off[4..6].iter().all(u8::is_ascii_digit)
                && rest[1..3].parse::<u32>().is_ok_and(|h| h <= 23)
                && rest[4..6].parse::<u32>().is_ok_and(|m| m <= 59)
        }
        _ => false,
    }
}

/// Days from 1970-01-01 to a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// An RFC 3339 timestamp as (seconds since the Unix epoch, nanoseconds), for comparisons.
pub fn rfc3339_instant(s: &str) -> Option<(i64, u32)> {
    if !is_rfc3339(s) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().ok();
    let days = days_from_civil(n(0..4)?, n(5..7)?, n(8..10)?);
    let mut secs = days * 86400 + n(11..13)? * 3600 + n(14..16)? * 60 + n(17..19)?;
    let mut rest = &s[19..];
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        rest = &frac[digits.len()..];
        let padded = format!("{:0<9}", &digits[..digits.len().min(9)]);
        nanos = padded.parse().ok()?;
    }
    if let Some(sign) = rest.chars().next().filter(|c| *c == '+' || *c == '-') {
        let offset = rest[1..3].parse::<i64>().ok()? * 3600 + rest[4..6].parse::<i64>().ok()? * 60;
        secs -= if sign == '+' { offset } else { -offset };
    }
    Some((secs, nanos))
}
