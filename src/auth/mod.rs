//! Authentication: who is asking. Bearer JWTs ([`jwt`]), API keys, and the
//! hashing and encryption of secret columns ([`secrets`]).

pub mod jwt;
pub mod secrets;
