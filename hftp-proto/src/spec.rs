//! The HFTP protocol specification, whose numbered rules the rest of the crate cites.
#![doc = include_str!("../PROTOCOL.md")]
