//! Latency statistics shared by the load drivers (`load`, `fanout`).

/// The `p`th percentile (0–100) of sorted samples, by nearest rank.
pub fn percentile<T: Copy + Default>(sorted: &[T], p: f64) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Microseconds as milliseconds with one decimal.
pub fn format_ms(us: impl Into<u128>) -> String {
    format!("{:.1} ms", us.into() as f64 / 1000.0)
}
