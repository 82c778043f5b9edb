//! The command in Spanish, as a student from Córdoba writes it (voseo).
#![deny(unused_variables)]

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use hftp_server::onion::{ControlError, KeyFileError, LaunchError, OnionError, TorUsed};

use super::{Es, Text};

impl Text for Es {
    fn serving(&self, version: &str, dir: &Path, addr: SocketAddr, published: &str) -> String {
        format!(
            "hftp-server {version} sirviendo {} en {addr}{published}",
            dir.display()
        )
    }

    fn published(&self, onion: &str, port: u16) -> String {
        format!(", publicado como {onion}:{port}")
    }

    fn usage(&self, message: &str) -> String {
        format!("{message} (mirá --help)")
    }

    fn usage_invalid_value(&self, value: &str, arg: &str, expected: Option<&str>) -> String {
        match expected {
            Some(expected) => format!("valor inválido '{value}' para '{arg}': {expected}"),
            None => format!("valor inválido '{value}' para '{arg}'"),
        }
    }

    fn usage_not_possible(&self, value: &str, arg: &str, possible: &str) -> String {
        format!("valor inválido '{value}' para '{arg}' [valores posibles: {possible}]")
    }

    fn usage_unknown(&self, arg: &str, suggested: Option<&str>) -> String {
        match suggested {
            Some(suggested) => {
                format!("no existe la opción '{arg}': ¿quisiste decir '{suggested}'?")
            }
            None => format!("no existe la opción '{arg}'"),
        }
    }

    fn usage_missing(&self, args: &str) -> String {
        format!("faltan opciones obligatorias: {args}")
    }

    fn usage_no_value(&self, arg: &str) -> String {
        format!("'{arg}' necesita un valor y no le diste ninguno")
    }

    fn usage_conflict(&self, arg: &str, other: &str) -> String {
        if other.is_empty() {
            format!("'{arg}' no se puede usar junto con las otras opciones que diste")
        } else {
            format!("'{arg}' no se puede usar junto con '{other}'")
        }
    }

    fn usage_twice(&self, arg: &str) -> String {
        format!("'{arg}' no se puede dar más de una vez")
    }

    fn usage_other(&self, english: &str) -> String {
        format!("error en la línea de comandos: {english}")
    }

    fn onion_not_on(&self, address: IpAddr) -> String {
        format!("--onion escucha solo en loopback, no en {address}: sacá -a, o usá 127.0.0.1 o ::1")
    }

    fn onion_socket_passed(&self, listening: SocketAddr) -> String {
        format!("--onion escucha solo en loopback, y el socket recibido escucha en {listening}")
    }

    fn onion_failed(&self, error: &OnionError) -> String {
        match error {
            OnionError::NoTor { tried } => {
                format!("no hay puerto de control de tor en {tried} ni `tor` en el PATH")
            }
            OnionError::Launch(error) => launch_words(error),
            OnionError::Control(error) => control_words(error),
            OnionError::KeyFile(error) => key_file_words(error),
            OnionError::Lost => "tor cerró la conexión de control mientras el servidor corría: \
                                 el servicio onion ya no estaba"
                .into(),
            other => format!("no se pudo publicar el servicio onion: {other}"),
        }
    }

    fn hint_no_tor(&self) -> String {
        ": instalá tor, o indicá el puerto de control de un tor que ya corre con --tor-control"
            .into()
    }

    fn hint_cookie(&self) -> String {
        ": indicalo con --tor-cookie".into()
    }

    fn cannot_serve(&self, path: &Path, error: &io::Error) -> String {
        format!("no se puede servir {}: {}", path.display(), os_words(error))
    }

    fn cannot_listen(&self, address: SocketAddr, error: &io::Error) -> String {
        format!("no se puede escuchar en {address}: {}", os_words(error))
    }

    fn cannot_use_passed(&self, error: &io::Error) -> String {
        format!(
            "no se puede usar el socket de escucha recibido: {}",
            os_words(error)
        )
    }

    fn bad_limit(&self, name: &str, value: usize, max: usize) -> String {
        format!("los topes de conexiones van de 1 a {max}; {name} vale {value}")
    }

    fn activation_failed(&self, error: &io::Error) -> String {
        format!("activación por socket: {}", os_words(error))
    }

    fn failed(&self, error: &io::Error) -> String {
        os_words(error)
    }

    fn serving_passed(&self) -> String {
        "sirvo en el socket de escucha recibido; --address y --port no se usan".into()
    }

    fn several_passed(&self, count: usize) -> String {
        format!("se recibieron {count} sockets; sirvo solo en el primero")
    }

    fn onion_published(&self, onion: &str, port: u16, tor: &TorUsed) -> String {
        let through = match tor {
            TorUsed::Running(addr) => format!("del tor que ya corre en {addr}"),
            TorUsed::Own { pid } => format!("de un tor propio (pid {pid})"),
            other => format!("de {other}"),
        };
        format!("servicio onion {onion}:{port} publicado a través {through}")
    }

    fn onion_no_cap(&self) -> String {
        "todos los clientes llegan desde la dirección de tor: no hay tope por dirección (--max-per-address pone uno)"
            .into()
    }

    fn signal_stopping(&self, signal: &str) -> String {
        format!("{signal}: no acepto conexiones nuevas; termino las respuestas en curso")
    }

    fn signal_again(&self, signal: &str) -> String {
        format!("{signal} otra vez: salgo ya")
    }
}

/// What the system said, in Spanish for the failures a person meets
/// most; the system's own words otherwise.
fn os_words(error: &io::Error) -> String {
    let words = match error.kind() {
        io::ErrorKind::NotFound => "no existe",
        io::ErrorKind::PermissionDenied => "permiso denegado",
        io::ErrorKind::AddrInUse => "la dirección ya está en uso",
        io::ErrorKind::AddrNotAvailable => "esa dirección no es de esta máquina",
        io::ErrorKind::NotADirectory => "no es un directorio",
        _ => return error.to_string(),
    };
    match error.raw_os_error() {
        Some(code) => format!("{words} (error {code} del sistema)"),
        None => words.to_owned(),
    }
}

/// Why a tor of our own could not be started, in Spanish.
fn launch_words(error: &LaunchError) -> String {
    match error {
        LaunchError::NotFound => "no hay `tor` en el PATH".into(),
        LaunchError::Spawn(error) => format!("no se pudo arrancar tor: {}", os_words(error)),
        LaunchError::DataDirectory(error) => format!(
            "no se pudo crear el directorio de datos de tor: {}",
            os_words(error)
        ),
        LaunchError::Exited { status, last_words } => {
            let status = status.code().map_or_else(
                || status.to_string(),
                |code| format!("código de salida {code}"),
            );
            format!("tor terminó mientras arrancaba ({status}): {last_words}")
        }
        LaunchError::Timeout(waited) => {
            format!("tor no abrió su puerto de control dentro de {waited:?}")
        }
        other => other.to_string(),
    }
}

/// Why talking to tor's control port failed, in Spanish.
fn control_words(error: &ControlError) -> String {
    match error {
        ControlError::Connect { addr, source } => format!(
            "no se puede conectar al puerto de control de tor en {addr}: {}",
            os_words(source)
        ),
        ControlError::Io(error) => format!("conexión de control de tor: {}", os_words(error)),
        ControlError::Timeout(waited) => {
            format!("el puerto de control de tor no contestó dentro de {waited:?}")
        }
        ControlError::Closed => "tor cerró la conexión de control".into(),
        ControlError::Reply(error) => {
            format!("el puerto de control no habla el protocolo de tor: mandó {error}")
        }
        ControlError::Refused { command, reply } => format!("tor rechazó {command}: {reply}"),
        ControlError::Malformed { command, what } => {
            format!("la respuesta de tor a {command} no trae un {what} válido")
        }
        ControlError::NoAuthMethod { offered } => format!(
            "el puerto de control de tor pide {offered}; hftp-server se autentica con SAFECOOKIE, \
             COOKIE o NULL"
        ),
        ControlError::NoCookieFile => {
            "tor ofrece autenticarse con cookie pero no dice cuál es el archivo".into()
        }
        ControlError::Cookie { path, source } => format!(
            "no se puede leer el archivo cookie de tor {}: {}",
            path.display(),
            os_words(source)
        ),
        ControlError::CookieLength { path } => format!(
            "{} no es un archivo cookie de tor: no tiene 32 bytes",
            path.display()
        ),
        ControlError::ServerHash { path } => format!(
            "la respuesta SAFECOOKIE de tor no coincide con la cookie de {}: no es la cookie de \
             este tor",
            path.display()
        ),
        ControlError::Random(error) => {
            format!(
                "no hay bytes aleatorios para SAFECOOKIE: {}",
                os_words(error)
            )
        }
        other => other.to_string(),
    }
}

/// Why an onion key file cannot be used, in Spanish.
fn key_file_words(error: &KeyFileError) -> String {
    match error {
        KeyFileError::Io { path, source } => {
            format!("archivo de clave onion {path}: {}", os_words(source))
        }
        KeyFileError::Malformed { path, .. } => format!(
            "archivo de clave onion {path}: no es una clave onion (se espera una línea \
             `ED25519-V3:` y 88 caracteres en base64)"
        ),
        other => other.to_string(),
    }
}
