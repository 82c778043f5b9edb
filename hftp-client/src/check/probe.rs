//! What the checker learns of the server before the cases: that it
//! serves `--dir`, how it frames plain slices, which revision it speaks.

use std::path::{Path, PathBuf};
use std::time::Duration;

use hftp_proto::Framing;

use super::Error;
use super::Options;
use super::Revision;
use super::context::Ctx;
use crate::{Dialer, Foreign};

/// The file of an unlikely size that shows the server serves `--dir`,
/// and then how it frames plain slices; dropping it removes it.
pub(super) struct Probe {
    /// Where it is written.
    path: PathBuf,
    /// What it holds.
    data: Vec<u8>,
}

impl Probe {
    /// Its name in the served directory.
    const NAME: &str = "hftp-check-probe";
}

impl Drop for Probe {
    fn drop(&mut self) {
        if let Err(error) = std::fs::remove_file(&self.path) {
            log::warn!("cannot remove {}: {error}", self.path.display());
        }
    }
}

/// Checks that the server `dialer` reaches serves `dir`: a probe file of an
/// unlikely size written there must have that size on the server. A
/// server that answers otherwise (not found, another size) serves
/// another directory; one that fails to answer is left to the cases.
/// The probe stays until the returned value is dropped.
pub(super) fn verify_served(dialer: &Dialer, dir: &Path) -> Result<Probe, Error> {
    let size = 4099 + u64::from(std::process::id() % 997);
    let probe = Probe {
        path: dir.join(Probe::NAME),
        data: vec![b'p'; usize::try_from(size).unwrap_or(0)],
    };
    std::fs::write(&probe.path, &probe.data).map_err(|source| Error::dir(dir, source))?;
    let answer = crate::Builder::new()
        .read_timeout(Some(Duration::from_secs(10)))
        .connect_by(dialer)
        .and_then(|mut client| client.metadata(Probe::NAME));
    let seen = match answer {
        Ok(got) if got == size => return Ok(probe),
        Ok(got) => format!("says it has {got} bytes, not {size}"),
        Err(crate::Error::Refused {
            code: code @ hftp_proto::Code::FileNotFound,
            ..
        }) => format!("answered {code} for it"),
        Err(other) => {
            log::debug!("probing --dir: {other}");
            return Ok(probe);
        }
    };
    drop(probe);
    let message = format!(
        "does not serve this directory: the checker wrote {} there, and the server at {} {seen}",
        Probe::NAME,
        dialer.target(),
    );
    Err(Error::dir(dir, std::io::Error::other(message)))
}

/// What the server looks like if it is not an HFTP server at all (an
/// HTTP, SSH or TLS server, noise, silence), from its answer to the size
/// of the probe's name (a request every HFTP server answers at once,
/// unlike a listing, which may be megabytes); `None` for a server that
/// answers as HFTP, or fails in another way (the cases then say how).
pub(super) fn not_hftp(dialer: &Dialer, options: &Options) -> Option<Foreign> {
    let answer = crate::Builder::new()
        .connect_timeout(Some(options.connect_timeout))
        .read_timeout(Some(options.reply_wait))
        .connect_by(dialer)
        .and_then(|mut client| client.metadata(Probe::NAME));
    match answer {
        Err(crate::Error::NotHftp { looks, .. }) => Some(looks),
        _ => None,
    }
}

/// The revision the server speaks: 2026 if it answers `help` with `0`,
/// else 2019 (also when the question itself fails: the cases then say
/// why).
pub(super) fn detect_revision(cx: &Ctx) -> Revision {
    let answered = cx.connect().and_then(|mut conn| {
        conn.send(b"help\r\n")?;
        conn.expect_status(hftp_proto::Code::Ok)
    });
    let revision = if answered.is_ok() {
        Revision::R2026
    } else {
        Revision::R2019
    };
    log::debug!("the server speaks the {revision} revision");
    revision
}

/// The framing of plain slices, from a first slice of the probe: `None`
/// when that slice fails (the cases then say why).
pub(super) fn detect_framing(cx: &Ctx, probe: &Probe) -> Option<Framing> {
    let mut conn = cx.connect().ok()?;
    let framing = conn.probe_framing(Probe::NAME, &probe.data).ok()?;
    log::debug!("plain slices come as {framing:?}");
    framing
}
