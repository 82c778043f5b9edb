//! Publishing the server as a Tor onion service, with no root and no
//! torrc to edit: through a running tor's control port, or a tor started
//! for the purpose, as OnionShare does.
//!
//! [`OnionService::publish`] adds an ephemeral service (`ADD_ONION`) that
//! leads to the server's loopback address, and keeps it for as long as
//! the control connection stays open; [`OnionService::remove`] takes it
//! away. The pieces underneath are usable alone: [`ControlPort`] speaks
//! tor's control protocol (authentication with SAFECOOKIE, COOKIE or
//! NULL), [`reply`] decodes its replies, [`OwnTor`] starts a private tor.
//!
//! ```no_run
//! use hftp_server::onion::{OnionOptions, OnionService};
//! let server = hftp_server::Server::bind(
//!     &hftp_server::Config::new("/srv/files").address("127.0.0.1".parse()?).port(0),
//! )?;
//! let handle = server.shutdown_handle();
//! let service = OnionService::publish(&OnionOptions::new(), server.local_addr(), move || {
//!     handle.shutdown();
//! })?;
//! println!("published as {}:{}", service.onion_address(), service.virtual_port());
//! server.run()?;
//! service.remove()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod control;
mod key;
mod launch;
pub mod reply;
mod service;

pub use control::{
    AddedOnion, AuthMethod, ControlAddr, ControlAddrError, ControlError, ControlPort, KeyRequest,
    ProtocolInfo, SERVICE_ID_LEN, is_service_id,
};
pub use key::{KeyError, KeyFileError, OnionKey};
pub use launch::{LaunchError, OwnTor};
pub use service::{OnionError, OnionOptions, OnionService, TorUsed};
