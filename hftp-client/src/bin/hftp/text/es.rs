//! Los mensajes en castellano, con voseo, como escribe un estudiante de
//! Córdoba: cortos, con los términos del glosario (`GLOSSARY.md`).
#![deny(unused_variables)]

use std::io;
use std::num::{IntErrorKind, ParseIntError};
use std::path::Path;

use hftp_client::{Error, Retrying};

use super::clap_es::{SHELL_EXAMPLES, SHELL_HELP};
use super::io::{error, io_error, retrying};
use super::{Es, Text};

impl Text for Es {
    fn see_help(&self, message: &str) -> String {
        format!("{message} (mirá --help)")
    }

    fn error(&self, error: &Error) -> String {
        self::error(error)
    }

    fn not_utf8(&self, variable: &str) -> String {
        format!("{variable}: no es UTF-8 válido")
    }

    fn not_seconds(&self, text: &str) -> String {
        format!("`{text}` no es un número de segundos")
    }

    fn not_whole(&self, error: &ParseIntError) -> String {
        match error.kind() {
            IntErrorKind::Empty => "falta el número".to_owned(),
            IntErrorKind::InvalidDigit => "no es un número entero sin signo".to_owned(),
            IntErrorKind::PosOverflow => "es demasiado grande".to_owned(),
            _ => "no es un número válido".to_owned(),
        }
    }

    fn not_in_range(&self, value: u64, low: u64, high: u64) -> String {
        format!("{value} no está entre {low} y {high}")
    }

    fn not_a_duration(&self, text: &str) -> String {
        format!("`{text}` no es una duración en segundos")
    }

    fn tor_browser_port(&self, tor: u16, browser: &str) -> String {
        format!("nada responde en el puerto {tor} de Tor; uso el de Tor Browser, {browser}")
    }

    fn cannot_write_stdout(&self, error: &io::Error) -> String {
        format!("no se puede escribir en stdout: {}", io_error(error))
    }

    fn onion_through(&self, host: &str, proxy: &str) -> String {
        format!(
            "{host} es una dirección onion: el proxy {proxy} la resolvería acá; usá socks5h:// (o --tor) así la resuelve Tor"
        )
    }

    fn onion_needs_tor(&self, host: &str) -> String {
        format!(
            "{host} es una dirección onion, solo se llega por Tor: agregá --tor (o --proxy socks5h://HOST:PORT)"
        )
    }

    fn range_takes_one_name(&self) -> String {
        "--offset y --size van con un solo NAME".to_owned()
    }

    fn output_takes_one_name(&self) -> String {
        "-o va con un solo NAME (para varios, usá -O DIR)".to_owned()
    }

    fn stdout_cannot_resume(&self) -> String {
        "--parallel y --continue necesitan escribir a un archivo, no a stdout".to_owned()
    }

    fn exists(&self, path: &Path) -> String {
        format!(
            "{} ya existe; usá --force para sobrescribirlo",
            path.display()
        )
    }

    fn offset_past_end(&self, offset: u64, file_size: u64) -> String {
        format!(
            "el desplazamiento {offset} está más allá del final del archivo ({file_size} bytes)"
        )
    }

    fn no_match(&self, pattern: &str) -> String {
        format!("{pattern}: ningún archivo del servidor coincide con este patrón")
    }

    fn started_over(&self, name: &str, len: u64, path: &Path) -> String {
        format!(
            "{name}: el archivo cambió en el servidor desde que se escribió su .part de {len} bytes; empecé de nuevo, los bytes viejos quedaron en {}.part.mismatch",
            path.display()
        )
    }

    fn already_complete(&self, path: &Path) -> String {
        format!("{}: ya estaba descargado entero", path.display())
    }

    fn interrupted_kept(&self, part: &Path) -> String {
        format!(
            "interrumpido; {} queda guardado para --continue",
            part.display()
        )
    }

    fn interrupted(&self) -> String {
        "interrumpido".to_owned()
    }

    fn named(&self, name: &str, error: &str) -> String {
        format!("{name}: {error}")
    }

    fn lost_kept(&self, name: &str, error: &str, part: &Path) -> String {
        format!(
            "{name}: {error}; {} queda guardado para --continue",
            part.display()
        )
    }

    fn binary_on_terminal(&self, name: &str) -> String {
        format!(
            "{name} es binario: no lo escribo en la terminal (usá -o ARCHIVO, o --force si lo querés igual)"
        )
    }

    fn changed_on_stdout(&self, name: &str, file_size: u64, now: u64, written: u64) -> String {
        format!(
            "{name}: el archivo cambió en el servidor ({file_size} bytes, ahora {now}) después de mandar {written} bytes a stdout"
        )
    }

    fn stalled(&self, secs: u64) -> String {
        format!("trabado, nada hace {secs} s")
    }

    fn rate_and_eta(&self, rate: &str, eta: &str) -> String {
        format!("{rate}/s faltan {eta}")
    }

    fn resumed_from(&self, name: &str, done: &str) -> String {
        format!("{name} (desde {done})")
    }

    fn transfer(&self, bytes: &str, time: &str, rate: &str) -> String {
        format!("{bytes} en {time} ({rate}/s)")
    }

    fn resuming(&self, name: &str, at: u64) -> String {
        format!(
            "{name}: reanudo en el byte {at}; los bytes de antes coinciden con los del servidor"
        )
    }

    fn retrying(&self, retry: &Retrying<'_>) -> String {
        retrying(retry)
    }

    fn removed(&self, path: &Path, why: &str) -> String {
        // The library gives its reason in English words, not typed.
        format!("{}: borrado: {why}", path.display())
    }

    fn cannot_watch_signals(&self, error: &io::Error) -> String {
        format!("no puedo atender las señales (Ctrl-C): {}", io_error(error))
    }

    fn one_request_at_a_time(&self) -> String {
        "el servidor responde un pedido a la vez; le pregunto de a uno".to_owned()
    }

    fn man_dir_failed(&self, dir: &Path, error: &io::Error) -> String {
        format!("--dir {}: {}", dir.display(), io_error(error))
    }

    fn no_manual_page(&self, name: &str, names: &str) -> String {
        format!("no hay página de manual para `{name}`: los subcomandos son {names}")
    }

    fn connected(&self, server: &str) -> String {
        format!("Conectado a {server}.")
    }

    fn no_files(&self) -> String {
        "El servidor no ofrece ningún archivo.".to_owned()
    }

    fn files_on_server(&self) -> String {
        "Archivos en el servidor:".to_owned()
    }

    fn type_a_name(&self) -> String {
        "Escribí el nombre de un archivo para descargarlo, `help` para ver los comandos, `quit` para salir.".to_owned()
    }

    fn shell_help(&self) -> &'static str {
        SHELL_HELP
    }

    fn shell_examples(&self) -> &'static str {
        SHELL_EXAMPLES
    }

    fn unknown_command_like(&self, word: &str, command: &str) -> String {
        format!("comando desconocido `{word}`: ¿quisiste decir `{command}`?")
    }

    fn unknown_command(&self, word: &str) -> String {
        format!("comando desconocido `{word}`, probá `help`")
    }

    fn see_command_help(&self, message: &str, command: &str) -> String {
        format!("{message} (mirá `{command} --help`)")
    }

    fn open_quote(&self) -> String {
        "quedó una comilla sin cerrar, o la línea termina en una barra invertida".to_owned()
    }

    fn cannot_use_terminal(&self, error: &str) -> String {
        format!("no se puede usar la terminal: {error}")
    }

    fn cannot_read_terminal(&self, error: &str) -> String {
        format!("no se puede leer la terminal: {error}")
    }

    fn local_failed(&self, what: &str, error: &io::Error) -> String {
        format!("{what}: {}", io_error(error))
    }

    fn command_status(&self, command: &str, code: i32) -> String {
        format!("`{command}` terminó con el código {code}")
    }

    fn command_signal(&self, command: &str, signal: i32) -> String {
        format!("`{command}` terminó por la señal {signal}")
    }

    fn cannot_read_stdin(&self, error: &io::Error) -> String {
        format!("stdin: {}", io_error(error))
    }
}
