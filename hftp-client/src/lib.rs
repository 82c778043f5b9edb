//! The HFTP client library.
