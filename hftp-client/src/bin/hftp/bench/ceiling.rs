//! The machine's own limits, measured with no server and no files:
//! plain loopback TCP, base64 through a loopback socket, and a minimal
//! request/reply round trip.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use hftp_proto::{BodyDecoder, SliceEncoder};

use super::stats::{Line, mb_per_sec};

/// Options of `hftp bench ceiling`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// Bytes to move for the throughput ceilings.
    #[arg(long, value_name = "BYTES", default_value_t = 256 << 20)]
    bytes: u64,
    /// Round trips for the latency ceiling.
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    round_trips: u64,
}

/// Prints the three ceilings.
pub(crate) fn run(args: &Args, json: bool) -> io::Result<()> {
    let tcp = tcp(args.bytes)?;
    Line::new("ceiling")
        .text("what", "tcp")
        .int("bytes", args.bytes)
        .float("MB/s", tcp, 1)
        .print(json);
    let b64 = base64(args.bytes)?;
    Line::new("ceiling")
        .text("what", "base64")
        .text(
            "engine",
            "hftp_proto SliceEncoder/BodyDecoder (base64 Simd)",
        )
        .int("bytes", args.bytes)
        .float("MB/s", b64, 1)
        .print(json);
    let rtt = round_trip(args.round_trips)?;
    Line::new("ceiling")
        .text("what", "round-trip")
        .int("round_trips", args.round_trips)
        .micros("us", rtt)
        .float("req/s", 1.0 / rtt.as_secs_f64().max(1e-12), 0)
        .print(json);
    Ok(())
}

/// A connected pair over loopback: (client side, server side).
fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    Ok((client, server))
}

/// Plain bytes from one thread to another through loopback, MB/s.
pub(crate) fn tcp(bytes: u64) -> io::Result<f64> {
    let (mut reader, mut writer) = pair()?;
    let started = Instant::now();
    let sender = thread::spawn(move || -> io::Result<()> {
        let chunk = vec![7u8; 256 * 1024];
        let mut left = bytes;
        while left > 0 {
            let n = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            writer.write_all(&chunk[..n])?;
            left -= n as u64;
        }
        Ok(())
    });
    let mut buffer = vec![0; 256 * 1024];
    let mut got = 0;
    while got < bytes {
        match reader.read(&mut buffer)? {
            0 => break,
            n => got += n as u64,
        }
    }
    let took = started.elapsed();
    sender
        .join()
        .map_err(|_| io::Error::other("sender panicked"))??;
    Ok(mb_per_sec(got, took))
}

/// File bytes encoded as a server does, sent through loopback and
/// decoded as a client does, MB/s of file bytes.
pub(crate) fn base64(bytes: u64) -> io::Result<f64> {
    let (mut reader, mut writer) = pair()?;
    let started = Instant::now();
    let sender = thread::spawn(move || -> io::Result<()> {
        let data: Vec<u8> = (0..48 * 1024).map(|i| (i % 251) as u8).collect();
        let mut out = Vec::with_capacity(70 * 1024);
        let mut encoder = SliceEncoder::begin(bytes, &mut out);
        while encoder.remaining() > 0 {
            let n = data
                .len()
                .min(usize::try_from(encoder.remaining()).unwrap_or(usize::MAX));
            encoder
                .encode(&data[..n], &mut out)
                .map_err(io::Error::other)?;
            writer.write_all(&out)?;
            out.clear();
        }
        encoder.finish(&mut out).map_err(io::Error::other)?;
        writer.write_all(&out)
    });
    let mut input = vec![0; 256 * 1024];
    let mut out = vec![0; 256 * 1024];
    let mut decoder = BodyDecoder::new(bytes);
    // Skip `0 OK\r\n`, as a client's connection does before the body.
    let mut status = [0; 6];
    reader.read_exact(&mut status)?;
    let mut produced = 0;
    'read: loop {
        let n = reader.read(&mut input)?;
        if n == 0 {
            break;
        }
        let mut at = 0;
        while at < n {
            let progress = decoder
                .decode(&input[at..n], &mut out)
                .map_err(io::Error::other)?;
            at += progress.consumed;
            produced += progress.produced as u64;
            if progress.done {
                break 'read;
            }
        }
    }
    let took = started.elapsed();
    sender
        .join()
        .map_err(|_| io::Error::other("sender panicked"))??;
    if produced != bytes {
        return Err(io::Error::other(format!(
            "decoded {produced} of {bytes} bytes"
        )));
    }
    Ok(mb_per_sec(produced, took))
}

/// The mean time of a minimal request/reply exchange over loopback: a
/// `get_metadata` line out, its 12-byte reply back, nothing parsed.
pub(crate) fn round_trip(round_trips: u64) -> io::Result<Duration> {
    const REQUEST: &[u8] = b"get_metadata hola.txt\r\n";
    const REPLY: &[u8] = b"0 OK\r\n33\r\n";
    let (mut client, mut server) = pair()?;
    let echo = thread::spawn(move || -> io::Result<()> {
        let mut line = [0; REQUEST.len()];
        while server.read_exact(&mut line).is_ok() {
            server.write_all(REPLY)?;
        }
        Ok(())
    });
    let mut reply = [0; REPLY.len()];
    let started = Instant::now();
    for _ in 0..round_trips {
        client.write_all(REQUEST)?;
        client.read_exact(&mut reply)?;
    }
    let took = started.elapsed();
    drop(client);
    echo.join()
        .map_err(|_| io::Error::other("echo panicked"))??;
    Ok(took / u32::try_from(round_trips.max(1)).unwrap_or(u32::MAX))
}
