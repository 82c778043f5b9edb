//! Throughput of the hot paths, each beside its baseline in the same run:
//! the slice body encoder and decoder against base64's engine on the same
//! data and chunks, and the request decoder on 1 000 000 pipelined
//! `get_metadata` lines.
//!
//! Run: `cargo bench -p hftp-proto --bench throughput`.
//! The machine is noisy: each comparison alternates the baseline and ours
//! round by round, and reports the best time of each and the median of
//! the per-round ratios.

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::simd::Simd;
use base64::engine::{GeneralPurpose, GeneralPurposeConfig};
use hftp_proto::{BodyDecoder, Code, Item, ServerConfig, ServerConnection, SliceEncoder};

/// File bytes per round.
const DATA_LEN: usize = 24 << 20;
/// The server's read size: a multiple of 3, so no padding mid-stream.
const CHUNK: usize = 48 * 1024;
/// Base64 bytes fed to the decoder per call (one socket read).
const READ: usize = 64 * 1024;
const ROUNDS: usize = 15;
const LINES: usize = 1_000_000;

fn time(round: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    round();
    start.elapsed()
}

fn rate(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / time.as_secs_f64() / 1e9
}

/// Runs `baseline` and `ours` in alternation and prints both rates and
/// the median ratio of ours to the baseline.
fn compare(what: &str, mut baseline: impl FnMut(), mut ours: impl FnMut()) {
    let times: Vec<(Duration, Duration)> = (0..ROUNDS)
        .map(|_| (time(&mut baseline), time(&mut ours)))
        .collect();
    let mut ratios: Vec<f64> = times
        .iter()
        .map(|(b, o)| b.as_secs_f64() / o.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let base = times.iter().map(|t| t.0).min().unwrap_or_default();
    let mine = times.iter().map(|t| t.1).min().unwrap_or_default();
    println!(
        "{what:<38} engine {:6.2} GB/s   ours {:6.2} GB/s   median ratio {:5.1} %",
        rate(DATA_LEN, base),
        rate(DATA_LEN, mine),
        100.0 * ratios[ratios.len() / 2]
    );
}

fn encode(data: &[u8], engine: &Simd) {
    let mut out = vec![0u8; CHUNK / 3 * 4 + 4];
    let mut engine_out = out.clone();
    let mut engine_round = || {
        for chunk in data.chunks(CHUNK) {
            black_box(engine.encode_slice(chunk, &mut engine_out).unwrap_or(0));
        }
    };
    let slice_round = || {
        let mut status = Vec::new();
        let mut body = SliceEncoder::begin(data.len() as u64, &mut status);
        for chunk in data.chunks(CHUNK) {
            black_box(body.encode_to_slice(chunk, &mut out).unwrap_or(0));
        }
        black_box(body.finish(&mut status).is_ok());
    };
    compare(
        "encode, SliceEncoder::encode_to_slice",
        &mut engine_round,
        slice_round,
    );
    let mut vec_out = Vec::with_capacity(CHUNK / 3 * 4 + 4);
    let vec_round = || {
        let mut body = SliceEncoder::begin(data.len() as u64, &mut vec_out);
        for chunk in data.chunks(CHUNK) {
            vec_out.clear();
            black_box(body.encode(chunk, &mut vec_out).is_ok());
        }
        black_box(body.finish(&mut vec_out).is_ok());
    };
    compare(
        "encode, SliceEncoder::encode (Vec)",
        engine_round,
        vec_round,
    );
}

/// Decodes a body with a `BodyDecoder`, handing each piece to `sink`.
fn decode_body(body: &[u8], size: usize, out: &mut [u8], mut sink: impl FnMut(&[u8])) {
    let mut decoder = BodyDecoder::new(size as u64);
    for chunk in body.chunks(READ) {
        let mut rest = chunk;
        while let Ok(progress) = decoder.decode(rest, out) {
            sink(&out[..progress.produced]);
            rest = &rest[progress.consumed..];
            if rest.is_empty() {
                break;
            }
        }
    }
    assert_eq!(decoder.remaining(), 0, "the whole body decoded");
}

fn decode(data: &[u8], engine: &Simd) {
    let text = engine.encode(data).into_bytes();
    let body = [&text[..], b"\r\n"].concat();
    let mut out = vec![0u8; READ];
    let mut engine_out = out.clone();
    // Both sides must do the whole job: check their output once.
    let mut whole = Vec::new();
    for chunk in text.chunks(READ) {
        let made = engine.decode_slice(chunk, &mut engine_out).unwrap_or(0);
        whole.extend_from_slice(&engine_out[..made]);
    }
    assert_eq!(whole, data, "the engine decodes every chunk");
    whole.clear();
    decode_body(&body, data.len(), &mut out, |piece| {
        whole.extend_from_slice(piece);
    });
    assert_eq!(whole, data, "the body decoder gives the data back");

    let engine_round = || {
        for chunk in text.chunks(READ) {
            black_box(engine.decode_slice(chunk, &mut engine_out).unwrap_or(0));
        }
    };
    let ours_round = || {
        decode_body(&body, data.len(), &mut out, |piece| {
            black_box(piece);
        });
    };
    compare("decode, BodyDecoder::decode", engine_round, ours_round);
}

fn parse_requests() {
    let mut input = Vec::new();
    for i in 0..LINES {
        input.extend_from_slice(format!("get_metadata file-{:06}.txt\r\n", i % 1000).as_bytes());
    }
    let mut round = || {
        let mut server = ServerConnection::new(&ServerConfig::default());
        let mut rest = &input[..];
        let mut count = 0;
        while let Ok(decoded) = server.decode(rest) {
            rest = &rest[decoded.consumed..];
            match decoded.item {
                Some(Item::Request(request)) => {
                    black_box(request);
                    count += 1;
                    server.finish_reply(Code::Ok);
                }
                _ => break,
            }
        }
        assert_eq!(count, LINES);
    };
    let best = (0..ROUNDS)
        .map(|_| time(&mut round))
        .min()
        .unwrap_or_default();
    let per_second = LINES as f64 / best.as_secs_f64();
    println!(
        "parse {LINES} pipelined get_metadata    {:.1} M requests/s ({:.0} ns each, {:.2} GB/s of input)",
        per_second / 1e6,
        1e9 / per_second,
        input.len() as f64 / best.as_secs_f64() / 1e9
    );
}

fn main() {
    let data: Vec<u8> = (0..DATA_LEN)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let config = GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true);
    let simd = Simd::standard(config);
    let scalar = GeneralPurpose::new(&base64::alphabet::STANDARD, config);
    let mut out = vec![0u8; CHUNK / 3 * 4];
    let mut scalar_out = out.clone();
    let mut simd_round = || {
        for chunk in data.chunks(CHUNK) {
            black_box(simd.encode_slice(chunk, &mut out).unwrap_or(0));
        }
    };
    let scalar_round = || {
        for chunk in data.chunks(CHUNK) {
            black_box(scalar.encode_slice(chunk, &mut scalar_out).unwrap_or(0));
        }
    };
    compare(
        "(scale: SIMD engine, then scalar engine)",
        &mut simd_round,
        scalar_round,
    );
    encode(&data, &simd);
    decode(&data, &simd);
    parse_requests();
}
