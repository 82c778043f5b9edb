//! The log in Spanish, as a student from Córdoba writes it (voseo).
#![deny(unused_variables)]

use std::fmt::{Debug, Display};
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use hftp_proto::{Code, Fatal, Unlisted};

use super::{Es, Text, Unserved};

impl Text for Es {
    fn not_served(&self, total: usize, dir: &Path) -> String {
        let (entries, served) = if total == 1 {
            ("entrada", "se sirve")
        } else {
            ("entradas", "se sirven")
        };
        format!(
            "{total} {entries} de {dir} no {served}: ",
            dir = dir.display()
        )
    }

    fn unserved(&self, why: Unserved, count: usize) -> &'static str {
        let (one, many) = match why {
            Unserved::Folder => ("carpeta", "carpetas"),
            Unserved::Space => ("nombre con un espacio", "nombres con un espacio"),
            Unserved::BadName => (
                "nombre que ningún pedido puede llevar",
                "nombres que ningún pedido puede llevar",
            ),
            Unserved::NotAscii => ("nombre que no es ASCII", "nombres que no son ASCII"),
            Unserved::LinkOut => (
                "enlace que apunta fuera del directorio",
                "enlaces que apuntan fuera del directorio",
            ),
            Unserved::Dangling => ("enlace roto", "enlaces rotos"),
            Unserved::Special => (
                "entrada que no es un archivo",
                "entradas que no son archivos",
            ),
        };
        if count == 1 { one } else { many }
    }

    fn fragments_on(&self, max: u64) -> String {
        format!(
            "las rebanadas (slices) comunes, sin raw, se mandan en fragmentos de hasta {max} bytes (regla 12)"
        )
    }

    fn sequential_on(&self) -> String {
        "secuencial: un cliente a la vez; el siguiente espera a que se vaya".into()
    }

    fn proxy_protocol_on(&self, from: &str) -> String {
        format!("protocolo PROXY: cada conexión empieza con un encabezado, y solo desde {from}")
    }

    fn ipv6_unavailable(&self, error: &io::Error, fallback: SocketAddr) -> String {
        format!("IPv6 no está disponible ({error}); escucho en {fallback}")
    }

    fn stopping(&self, grace: Duration, busy: usize) -> String {
        format!("me detengo: espero hasta {grace:?} a que terminen {busy} conexiones")
    }

    fn grace_over(&self, busy: usize) -> String {
        format!("se acabó el plazo: cierro {busy} conexiones que seguían ocupadas")
    }

    fn threads_left(&self, left: usize) -> String {
        format!("{left} hilos de conexión no terminaron")
    }

    fn stopped(&self) -> String {
        "detenido".into()
    }

    fn accept_backoff(&self, error: &io::Error) -> String {
        format!("accept: {error}; espero a que se liberen recursos")
    }

    fn accept_failed(&self, error: &io::Error) -> String {
        format!("accept: {error}")
    }

    fn proxy_not_allowed(&self, peer: SocketAddr) -> String {
        format!(
            "{peer}: conexión cerrada: esta dirección no puede mandar un encabezado del protocolo PROXY"
        )
    }

    fn refused(&self, peer: SocketAddr, code: u16, why: &str) -> String {
        format!("{peer}: rechazado con {code}: {why}")
    }

    fn address_full(&self, cap: usize) -> String {
        format!("ya hay {cap} conexiones abiertas desde esta dirección")
    }

    fn server_full(&self, cap: usize) -> String {
        format!(
            "ya hay {cap} conexiones abiertas y ninguna está quieta hace bastante como para cerrarla"
        )
    }

    fn no_thread(&self, error: &io::Error) -> String {
        format!("no se pudo arrancar un hilo: {error}")
    }

    fn evicted(&self, victim: SocketAddr, quiet: Duration, newcomer: SocketAddr) -> String {
        let quiet = quiet.as_secs_f64();
        format!(
            "{victim}: conexión cerrada tras {quiet:.1} s sin pedidos, para dejar entrar a {newcomer}"
        )
    }

    fn connected(&self, peer: SocketAddr) -> String {
        format!("{peer}: conectado")
    }

    fn connected_through(&self, client: SocketAddr, proxy: SocketAddr) -> String {
        format!("{client}: conectado a través de {proxy}")
    }

    fn setup_failed(&self, peer: SocketAddr, error: &io::Error) -> String {
        format!("{peer}: no se pudo configurar el socket: {error}")
    }

    fn fatal(&self, peer: SocketAddr, fatal: Fatal, code: Code) -> String {
        format!("{peer}: {}: respondo {code}", fatal_words(fatal))
    }

    fn closed(&self, peer: SocketAddr, why: &dyn Display) -> String {
        format!("{peer}: conexión cerrada: {why}")
    }

    fn end_quit(&self) -> String {
        "quit".into()
    }

    fn end_eof(&self, mid_request: bool) -> String {
        if mid_request {
            "la cerró el cliente en medio de un pedido".into()
        } else {
            "la cerró el cliente".into()
        }
    }

    fn end_fatal(&self, code: Code, fatal: Option<Fatal>) -> String {
        match fatal {
            Some(fatal) => format!("se respondió {code} ({})", fatal_words(fatal)),
            None => format!("se respondió {code} (falló el servidor)"),
        }
    }

    fn end_cut(&self, why: &str) -> String {
        format!("cuerpo cortado antes de tiempo: {why}")
    }

    fn end_idle(&self) -> String {
        "se agotó el tiempo de espera sin actividad".into()
    }

    fn end_request_timeout(&self) -> String {
        "se agotó el tiempo de espera del pedido: la línea no llegó a tiempo".into()
    }

    fn end_evicted(&self) -> String {
        "desalojada para hacerle lugar a un cliente nuevo".into()
    }

    fn end_send_timeout(&self) -> String {
        "se agotó el tiempo de espera de envío: el cliente dejó de leer".into()
    }

    fn end_stopping(&self) -> String {
        "el servidor se está deteniendo".into()
    }

    fn end_failed(&self, error: &io::Error) -> String {
        format!("error del socket: {error}")
    }

    fn proxy_invalid(&self, error: &dyn Display) -> String {
        format!("encabezado PROXY inválido: {error}")
    }

    fn proxy_timeout(&self) -> String {
        "el encabezado del protocolo PROXY no llegó completo a tiempo".into()
    }

    fn proxy_closed(&self) -> String {
        "se cerró antes de terminar su encabezado del protocolo PROXY".into()
    }

    fn proxy_failed(&self, error: &io::Error) -> String {
        format!("error del socket antes del encabezado PROXY: {error}")
    }

    fn not_listed(&self, name: &dyn Display, why: Unlisted) -> String {
        let why = match why {
            Unlisted::Space => "un nombre con un espacio no se puede pedir",
            Unlisted::NotAscii => "los nombres que no son ASCII quedan afuera (--ascii-names)",
            _ => "ningún pedido puede llevar este nombre",
        };
        format!("fuera del listado: {name}: {why}")
    }

    fn not_listed_more(&self, more: usize) -> String {
        format!(
            "fuera del listado: {more} nombres más (el resumen del arranque los cuenta por motivo)"
        )
    }

    fn no_permission(&self, name: &dyn Debug) -> String {
        format!("sin permiso para leer {name:?}")
    }

    fn cannot_list(&self, path: &Path, error: &io::Error) -> String {
        format!("no se puede listar {}: {error}", path.display())
    }

    fn directory_unavailable(&self, path: &Path, error: &io::Error) -> String {
        format!(
            "el directorio servido {} no está disponible: {error}",
            path.display()
        )
    }

    fn cannot_open(&self, name: &dyn Debug, error: &io::Error) -> String {
        format!("no se puede abrir {name:?}: {error}")
    }

    fn onion_key_readable(&self, path: &Path) -> String {
        format!(
            "{}: otros además de su dueño pueden leerla, y quien la lea puede publicar esta dirección onion",
            path.display()
        )
    }

    fn onion_key_saved(&self, path: &Path) -> String {
        format!(
            "clave onion guardada en {}: la dirección no cambia mientras el archivo exista",
            path.display()
        )
    }

    fn onion_descriptor_uploaded(&self, service: &str) -> String {
        format!("tor subió el descriptor de {service}.onion: ya se puede llegar al servicio")
    }

    fn onion_no_events(&self, error: &dyn Display) -> String {
        format!("los eventos de descriptor de tor no van a quedar en el log: {error}")
    }

    fn onion_lost(&self, error: &dyn Display) -> String {
        format!("{error}: el servicio onion ya no está; me detengo")
    }

    fn onion_removed(&self, address: &str) -> String {
        format!("servicio onion {address} eliminado")
    }

    fn tor_not_running(&self, usual: &dyn Display) -> String {
        format!("no hay puerto de control de tor en {usual}: arranco un tor propio")
    }

    fn tor_unusable(&self, usual: &dyn Display, error: &dyn Display) -> String {
        format!(
            "no se puede usar el puerto de control de tor en {usual} ({error}): arranco un tor propio"
        )
    }

    fn tor_authenticated(&self, version: Option<&str>, addr: &dyn Display, method: &str) -> String {
        let version = version.unwrap_or("(versión desconocida)");
        format!("autenticado ante tor {version} en {addr} con {method}")
    }

    fn tor_started(&self, pid: u32, data_dir: &Path) -> String {
        format!(
            "tor arrancado (pid {pid}) con el directorio de datos {}",
            data_dir.display()
        )
    }

    fn tor_exited(&self, status: &dyn Display) -> String {
        format!("tor terminó ({status})")
    }

    fn tor_killed(&self, waited: Duration) -> String {
        format!("tor no terminó dentro de {waited:?} tras SIGTERM: lo mato")
    }

    fn tor_stopped(&self) -> String {
        "tor detenido".into()
    }
}

/// A fatal fault of the request stream, in words.
fn fatal_words(fatal: Fatal) -> String {
    match fatal {
        Fatal::BadEol => "fin de línea inválido".into(),
        Fatal::LineTooLong { limit } => format!("línea de pedido de más de {limit} bytes"),
        Fatal::NoCommand => "línea de pedido sin comando".into(),
        _ => fatal.to_string(),
    }
}
