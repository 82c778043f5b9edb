//! The Spanish words of the library's errors, which keep English
//! `Display`s: each is told by its variant, never by its English text.

use std::borrow::Cow;
use std::io;

use hftp_client::proxy::{ProxyError, SocksError};
use hftp_client::{Error, Foreign, NameProblem, Retrying};
use hftp_proto::ProtocolError;

/// An error of the library, in Spanish.
pub(super) fn error(error: &Error) -> String {
    match error {
        Error::Connect { addr, source } => {
            format!("no se pudo conectar a {addr}: {}", io_error(source))
        }
        Error::Proxy {
            proxy,
            target,
            source,
        } => format!(
            "no se pudo llegar a {target} a través del proxy {proxy}: {}",
            proxy_error(source)
        ),
        Error::Onion { host, proxy } => match proxy {
            Some(proxy) => format!(
                "{host} es una dirección onion, solo se llega por Tor: el proxy {proxy} resuelve los nombres acá; usá socks5h:// así los resuelve Tor"
            ),
            None => format!(
                "{host} es una dirección onion, solo se llega por Tor: conectate por el puerto SOCKS de Tor (socks5h://127.0.0.1:9050)"
            ),
        },
        Error::Refused { code, request } => {
            format!("el servidor rechazó `{request}`: {code}")
        }
        Error::Protocol(violation) => {
            format!("violación del protocolo: {}", protocol_error(violation))
        }
        Error::NotHftp { server, looks } => match server {
            Some(server) => format!("{server} no es un servidor HFTP: {}", foreign(looks)),
            None => format!("no es un servidor HFTP: {}", foreign(looks)),
        },
        Error::ShortBody { received, expected } => format!(
            "cuerpo incompleto: el servidor cerró la conexión antes del final del cuerpo, después de {received} de los {expected} bytes esperados"
        ),
        Error::Disconnected => {
            "el servidor cerró la conexión antes de completar su respuesta".to_owned()
        }
        Error::Changed { path, kept, why } => format!(
            "{}: el archivo cambió en el servidor desde que se escribieron estos datos parciales, o los datos están mal ({why}); quedaron guardados como {}",
            path.display(),
            kept.file_name()
                .unwrap_or(kept.as_os_str())
                .to_string_lossy()
        ),
        Error::Timeout(timeout) => match timeout {
            Some(timeout) => format!(
                "se agotó el tiempo de espera: el servidor no mandó nada en {:.3} s",
                timeout.as_secs_f64()
            ),
            None => "se agotó el tiempo de espera: el servidor no mandó nada en más tiempo del permitido".to_owned(),
        },
        Error::Network(source) => format!("se perdió la conexión: {}", io_error(source)),
        Error::Closed => "la conexión quedó cerrada por un error anterior".to_owned(),
        Error::Sink(source) => {
            format!("no se pueden escribir los datos recibidos: {}", io_error(source))
        }
        Error::File { path, source } => format!("{}: {}", path.display(), io_error(source)),
        Error::Output {
            path,
            through,
            source,
        } => format!(
            "no se puede escribir {}: {}: {}",
            path.display(),
            through.display(),
            io_error(source)
        ),
        Error::Exists { path } => format!("{} ya existe", path.display()),
        Error::BadRange {
            offset,
            size,
            file_size,
        } => format!(
            "el rango de {size} bytes desde el desplazamiento {offset} se pasa del final del archivo ({file_size} bytes)"
        ),
        Error::BadName { name, reason } => {
            format!("nombre de archivo inválido {name:?}: {}", name_problem(*reason))
        }
        Error::Interrupted => "interrumpido".to_owned(),
        other => other.to_string(),
    }
}

/// Why a name cannot be a served file's, in Spanish.
fn name_problem(problem: NameProblem) -> Cow<'static, str> {
    Cow::Borrowed(match problem {
        NameProblem::Empty => "un nombre de archivo no puede estar vacío",
        NameProblem::Space => {
            "los nombres de archivo de HFTP no pueden tener espacios (los espacios separan las \
             palabras de un pedido), así que ningún servidor HFTP puede servir este archivo"
        }
        NameProblem::Control => {
            "un nombre de archivo no puede tener fines de línea ni otros caracteres de control"
        }
        NameProblem::Slash => {
            "un nombre de archivo no puede tener '/': un servidor sirve los archivos de una \
             carpeta, no los de sus subcarpetas"
        }
        NameProblem::Dots => "'.' y '..' son carpetas, no archivos",
        NameProblem::TooLong => "un nombre de archivo tiene como mucho 255 bytes",
        NameProblem::Other => "ningún pedido puede llevarlo",
        other => return Cow::Owned(other.to_string()),
    })
}

/// What a retry notice says interrupted the download.
pub(super) fn retrying(retry: &Retrying<'_>) -> String {
    let mut text = match retry.error {
        Error::Disconnected | Error::ShortBody { .. } => "el servidor cerró la conexión".to_owned(),
        Error::Network(source) => format!("se perdió la conexión ({})", io_error(source)),
        Error::Timeout(_) => "el servidor dejó de responder".to_owned(),
        Error::Connect { source, .. } => {
            format!("no se pudo volver a conectar ({})", io_error(source))
        }
        Error::Refused { code, .. } => format!("el servidor rechazó la conexión ({code})"),
        other => error(other),
    };
    if retry.have > 0 && !matches!(retry.error, Error::Connect { .. }) {
        text.push_str(&format!(
            " después de {}",
            hftp_client::download::Bytes(retry.have)
        ));
    }
    text.push_str(&format!(
        "; reintento en {:.2} s ({}/{})",
        retry.delay.as_secs_f64(),
        retry.attempt,
        retry.retries
    ));
    text
}

/// What the operating system said, in Spanish for the common cases; its
/// own words otherwise.
pub(super) fn io_error(error: &io::Error) -> String {
    use io::ErrorKind::{
        AddrInUse, AddrNotAvailable, AlreadyExists, BrokenPipe, ConnectionAborted,
        ConnectionRefused, ConnectionReset, HostUnreachable, IsADirectory, NetworkUnreachable,
        NotADirectory, NotFound, PermissionDenied, ReadOnlyFilesystem, StorageFull, TimedOut,
        UnexpectedEof,
    };
    let words = match error.kind() {
        ConnectionRefused => "conexión rechazada",
        ConnectionReset => "el otro lado reinició la conexión",
        ConnectionAborted => "conexión abortada",
        HostUnreachable => "no hay ruta al host",
        NetworkUnreachable => "la red no está al alcance",
        AddrInUse => "la dirección ya está en uso",
        AddrNotAvailable => "la dirección no está disponible",
        BrokenPipe => "el otro lado cerró la conexión",
        NotFound => "no existe el archivo o directorio",
        PermissionDenied => "permiso denegado",
        AlreadyExists => "ya existe",
        IsADirectory => "es un directorio",
        NotADirectory => "no es un directorio",
        ReadOnlyFilesystem => "el sistema de archivos es de solo lectura",
        StorageFull => "no queda espacio en el disco",
        TimedOut => "se agotó el tiempo de espera",
        UnexpectedEof => "los datos terminaron antes de tiempo",
        _ => return error.to_string(),
    };
    match error.raw_os_error() {
        Some(code) => format!("{words} (error del sistema {code})"),
        None => words.to_owned(),
    }
}

/// A reply the client refused, in Spanish.
/// What a server that is not an HFTP server looks like, in Spanish.
pub(super) fn foreign(looks: &Foreign) -> String {
    let shown = looks.shown();
    match looks {
        Foreign::Http(_) => format!("respondió como un servidor HTTP ({shown})"),
        Foreign::Ssh(_) => format!("saludó como un servidor SSH ({shown})"),
        Foreign::Tls(_) => format!("respondió como un servidor TLS (bytes {shown})"),
        Foreign::Silent => "cerró la conexión sin mandar ni un byte".to_owned(),
        Foreign::Noise(_) => format!("mandó bytes que no son texto ({shown})"),
        other => other.to_string(),
    }
}

fn protocol_error(violation: &ProtocolError) -> String {
    match violation {
        ProtocolError::BadLineEnd => "se esperaba una línea terminada en \\r\\n".to_owned(),
        ProtocolError::LineTooLong { limit } => {
            format!("se esperaba una línea de {limit} bytes como mucho")
        }
        ProtocolError::BadStatusLine => {
            "se esperaba una línea de estado: un código decimal, un espacio y un texto".to_owned()
        }
        ProtocolError::UnknownCode(code) => {
            format!("se esperaba un código de estado de HFTP, llegó {code}")
        }
        ProtocolError::BadSize => "se esperaba un tamaño de archivo en decimal".to_owned(),
        ProtocolError::BadHeader => {
            "se esperaba `Content-Length: SIZE` y una línea vacía".to_owned()
        }
        ProtocolError::LengthMismatch { asked, announced } => {
            format!("se esperaba Content-Length {asked}, llegó {announced}")
        }
        ProtocolError::BadBase64 => "se esperaba un cuerpo de rebanada en base64".to_owned(),
        ProtocolError::EmptyBodyLines { limit } => {
            format!("se esperaban {limit} líneas vacías como mucho en un cuerpo de rebanada")
        }
        ProtocolError::BodyTooLong => "llegaron más bytes de rebanada que los pedidos".to_owned(),
        ProtocolError::BodyTooShort { missing } => {
            format!("faltaban {missing} bytes de rebanada antes del último fragmento")
        }
        ProtocolError::BadFragmentLength => {
            "se esperaba el largo de un fragmento: dígitos decimales y un espacio".to_owned()
        }
        ProtocolError::BadName => {
            "se esperaba un nombre de archivo válido en el listado".to_owned()
        }
        ProtocolError::UnexpectedData => {
            "llegaron datos cuando no se esperaba ninguna respuesta".to_owned()
        }
        ProtocolError::Truncated { pending } => {
            format!("faltaban {pending} respuestas, pero la conexión terminó")
        }
        other => other.to_string(),
    }
}

/// A proxy's failure, in Spanish.
fn proxy_error(error: &ProxyError) -> String {
    match error {
        ProxyError::Unreachable(source) => format!("el proxy no responde ({})", io_error(source)),
        ProxyError::Timeout(limit) => format!(
            "el proxy no completó el saludo en {:.1} s",
            limit.as_secs_f64()
        ),
        ProxyError::Closed => "el proxy cerró la conexión durante el saludo".to_owned(),
        ProxyError::Io(source) => {
            format!("falló la conexión con el proxy ({})", io_error(source))
        }
        ProxyError::Socks(SocksError::NotSocks { version: b'H' }) => {
            "habla HTTP, no SOCKS5 (¿un proxy HTTP?)".to_owned()
        }
        ProxyError::Socks(SocksError::NotSocks { version: 4 }) => {
            "respondió como SOCKS versión 4, no 5".to_owned()
        }
        ProxyError::Socks(SocksError::NotSocks { version }) => {
            format!("no habla SOCKS5 (su primer byte es {version:#04x})")
        }
        ProxyError::Socks(SocksError::NoAcceptableMethod {
            offered_password: true,
        }) => "no acepta ni conectarse sin autenticación ni este usuario y contraseña".to_owned(),
        ProxyError::Socks(SocksError::NoAcceptableMethod { .. }) => {
            "pide autenticación: poné usuario:contraseña@ en la URL del proxy".to_owned()
        }
        ProxyError::Socks(SocksError::BadCredentials { status }) => {
            format!("rechazó el usuario y la contraseña (estado {status:#04x})")
        }
        ProxyError::Socks(SocksError::Reply(code)) => format!("respondió: {code}"),
        other => other.to_string(),
    }
}
