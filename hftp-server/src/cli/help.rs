//! `--help` and the manual page in Spanish: the command's clap tree with
//! every text replaced from a table keyed by argument id.
//!
//! clap's texts stay English in the derive's doc comments; [`command`]
//! gives the tree for a language. The table's tests fail on an argument
//! without Spanish text and on an entry that matches no argument.

use std::io::{self, Write};

use clap::builder::Str;
use clap::{Arg, Command, CommandFactory as _};
use hftp_server::Lang;

use super::Cli;

/// The command's description, in Spanish.
const ABOUT: &str = "Sirve por HFTP los archivos regulares de un directorio";

/// `--help`'s layout, with clap's `Usage:` heading in Spanish.
const TEMPLATE: &str = "{before-help}{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}";

/// The usage line.
const USAGE: &str = "hftp-server [OPCIONES]";

/// The heading of the options without one of their own.
const OPTIONS: &str = "Opciones";

/// The headings of our own, English to Spanish.
const HEADINGS: [(&str, &str); 1] = [("Onion service", "Servicio onion")];

/// The values' names, English to Spanish.
const VALUE_NAMES: [(&str, &str); 11] = [
    ("CLOCK", "RELOJ"),
    ("DIR", "DIRECTORIO"),
    ("PORT", "PUERTO"),
    ("ADDR", "DIRECCIÓN"),
    ("SECS", "SEGUNDOS"),
    ("ADDR[/BITS],...", "RED[/BITS],..."),
    ("FILE", "ARCHIVO"),
    ("LANG", "IDIOMA"),
    ("N", "N"),
    ("BYTES", "BYTES"),
    ("SHELL", "SHELL"),
];

/// One argument in Spanish: its id, its help, and what its value must
/// be (for a usage error that refuses one).
struct Spanish {
    id: &'static str,
    help: &'static str,
    expects: Option<&'static str>,
}

/// What every number of seconds takes.
const SECONDS: Option<&str> = Some("se espera una cantidad de segundos, como 30 o 0.5");

/// Every argument, in Spanish.
const ARGS: &[Spanish] = &[
    Spanish {
        id: "directory",
        help: "El directorio cuyos archivos regulares se sirven",
        expects: None,
    },
    Spanish {
        id: "port",
        help: "El puerto TCP; 0 elige uno libre (se muestra al arrancar)",
        expects: Some("se espera un puerto de 0 a 65535"),
    },
    Spanish {
        id: "address",
        help: "La dirección en la que escucha; `::` atiende IPv6 e IPv4 y, donde no hay IPv6, \
               pasa a 0.0.0.0 [por defecto: ::, o 127.0.0.1 con --onion]",
        expects: Some("se espera una dirección IP, como 127.0.0.1 o ::1"),
    },
    Spanish {
        id: "max_connections",
        help: "La mayor cantidad de clientes atendidos a la vez; el siguiente recibe `199` y se \
               cierra",
        expects: Some("se espera un número de 1 a 12000"),
    },
    Spanish {
        id: "max_per_address",
        help: "La mayor cantidad de clientes atendidos a la vez desde una misma dirección; el \
               siguiente recibe `199` y se cierra [por defecto: la mitad de --max-connections]",
        expects: Some("se espera un número de 1 a 12000"),
    },
    Spanish {
        id: "evict_idle_after",
        help: "Con el servidor lleno, cierra la conexión quieta hace más tiempo (ningún pedido \
               completo durante al menos este tiempo: inactiva, o mandando una línea de a poco) \
               para dejar entrar a un cliente nuevo (segundos)",
        expects: SECONDS,
    },
    Spanish {
        id: "request_timeout",
        help: "Cerrar a un cliente cuya línea de pedido no terminó de llegar este tiempo después \
               de su primer byte, por más que siga goteando (segundos; 0 nunca)",
        expects: SECONDS,
    },
    Spanish {
        id: "ascii_names",
        help: "Listar solo nombres ASCII (los clientes de la materia se caen con otros); igual se \
               puede pedir cualquier nombre válido",
        expects: None,
    },
    Spanish {
        id: "idle_timeout",
        help: "Cerrar a un cliente que no manda nada durante este tiempo mientras no hay una \
               respuesta en curso (segundos, se aceptan fracciones; 0 nunca)",
        expects: SECONDS,
    },
    Spanish {
        id: "send_timeout",
        help: "Cortar a un cliente que deja de leer una respuesta durante este tiempo (segundos; \
               0 nunca)",
        expects: SECONDS,
    },
    Spanish {
        id: "grace",
        help: "Con SIGINT o SIGTERM, les da este tiempo a las respuestas en curso para terminar \
               (segundos); una segunda señal sale en el acto",
        expects: SECONDS,
    },
    Spanish {
        id: "fragments",
        help: "Responder a get_slice (sin raw) con los fragmentos del esqueleto, con su longitud \
               adelante (la materia antes de 2019), en vez de base64; `raw` y `help` siguen \
               andando",
        expects: None,
    },
    Spanish {
        id: "fragment_size",
        help: "Con --fragments: la mayor cantidad de bytes de un fragmento",
        expects: Some("se espera una cantidad de bytes de 1 a 16777216"),
    },
    Spanish {
        id: "sequential",
        help: "Atender a un cliente por vez, como el primer servidor del esqueleto: los demás esperan \
               en la cola de escucha (nunca se rechazan)",
        expects: None,
    },
    Spanish {
        id: "max_line_len",
        help: "La línea de pedido más larga, en bytes; una más larga recibe `101`",
        expects: Some("se espera una cantidad de bytes"),
    },
    Spanish {
        id: "proxy_protocol",
        help: "Esperar un encabezado del protocolo PROXY (v1 o v2, como los que mandan send-proxy \
               y send-proxy-v2 de HAProxy) al principio de cada conexión, y tomar de ahí la \
               dirección del cliente; una conexión que no venga de --proxy-from, o sin un \
               encabezado válido dentro del tiempo de espera del pedido, se cierra",
        expects: None,
    },
    Spanish {
        id: "proxy_from",
        help: "Con --proxy-protocol: los balanceadores de carga, direcciones o rangos CIDR \
               separados por comas",
        expects: Some("se esperan direcciones o rangos CIDR, como 10.0.0.5 o 192.168.0.0/16"),
    },
    Spanish {
        id: "onion",
        help: "Publicar el directorio como servicio onion de Tor, escuchando solo en loopback: a \
               través del puerto de control de un tor que ya corre, si no con un tor propio \
               arrancado desde el PATH (el log dice cuál). La línea de arranque agrega `, \
               publicado como NOMBRE.onion:PUERTO`; el servicio se elimina cuando el servidor \
               se detiene. Si no se puede publicar, es una línea en stderr y código de salida 1",
        expects: None,
    },
    Spanish {
        id: "onion_port",
        help: "Con --onion: el puerto que ofrece el servicio onion",
        expects: Some("se espera un puerto de 1 a 65535"),
    },
    Spanish {
        id: "onion_key",
        help: "Con --onion: guarda la clave del servicio en ARCHIVO, para que su dirección no \
               cambie entre reinicios (se crea con modo 0600 la primera vez y después se reusa)",
        expects: None,
    },
    Spanish {
        id: "tor_control",
        help: "Con --onion: el puerto de control de un tor que ya corre, HOST:PUERTO o la ruta de \
               un socket Unix [por defecto: 127.0.0.1:9051 si ahí contesta un tor, si no un tor \
               propio]",
        expects: Some("se espera HOST:PUERTO o la ruta de un socket Unix"),
    },
    Spanish {
        id: "tor_cookie",
        help: "Con --onion: el archivo cookie para autenticarse ante un tor que ya corre, en vez \
               del que indica tor",
        expects: None,
    },
    Spanish {
        id: "tor_config",
        help: "Con --onion: arranca un tor propio, sumándole las líneas de torrc de ARCHIVO (por \
               ejemplo, las líneas DirAuthority de una red privada)",
        expects: None,
    },
    Spanish {
        id: "verbose",
        help: "Más log: -v suma las conexiones y los nombres fuera del listado (debug), -vv todo \
               (trace)",
        expects: None,
    },
    Spanish {
        id: "quiet",
        help: "Menos log: -q solo advertencias y errores, -qq solo errores",
        expects: None,
    },
    Spanish {
        id: "log_time",
        help: "El reloj de las marcas de tiempo del log: utc (2026-12-07T00:45:12.123Z), o \
               local, la zona horaria del sistema (TZ, si no /etc/localtime) con su \
               diferencia con UTC (2026-12-06T21:45:12.123-03:00)",
        expects: Some("se espera utc o local"),
    },
    Spanish {
        id: "completions",
        help: "Imprimir el script de autocompletado para SHELL y salir (bash, zsh, fish, elvish, \
               powershell)",
        expects: None,
    },
    Spanish {
        id: "man",
        help: "Imprimir la página de manual (roff) y salir, por ejemplo `hftp-server --man > \
               hftp-server.1`",
        expects: None,
    },
    Spanish {
        id: "lang",
        help: "El idioma de los mensajes, la ayuda y el log, en o es [por defecto: el de \
               HFTP_LANG, si no el del locale: LC_ALL, LC_MESSAGES, LANG]",
        expects: None,
    },
    Spanish {
        id: "help",
        help: "Mostrar la ayuda",
        expects: None,
    },
    Spanish {
        id: "version",
        help: "Mostrar la versión",
        expects: None,
    },
];

/// The command line's clap tree, with its texts in `lang`.
pub(crate) fn command(lang: Lang) -> Command {
    let mut command = Cli::command();
    if lang != Lang::Es {
        return command;
    }
    // Built first, so that `--help` and `--version` are there to change.
    command.build();
    command
        .about(ABOUT)
        .help_template(TEMPLATE)
        .override_usage(USAGE)
        .mut_args(spanish)
}

/// One argument with its texts in Spanish: its help (with its default
/// and possible values, which clap would write in English), value names
/// and heading.
fn spanish(arg: Arg) -> Arg {
    let id = arg.get_id().as_str();
    let help = ARGS
        .iter()
        .find(|spanish| spanish.id == id)
        .map_or("", |spanish| spanish.help);
    let mut help = help.to_owned();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    let takes_value = arg.get_num_args().is_some_and(|num| num.takes_values());
    if takes_value && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        help.push_str(&format!(" [por defecto: {}]", defaults.join(",")));
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| value.get_name().to_owned())
        .collect();
    if !possible.is_empty() && !arg.is_hide_possible_values_set() {
        help.push_str(&format!(" [valores posibles: {}]", possible.join(", ")));
    }
    let heading = match arg.get_help_heading() {
        None => Some(OPTIONS),
        Some(english) => HEADINGS
            .iter()
            .find(|(from, _)| *from == english)
            .map(|(_, spanish)| *spanish),
    };
    let names: Option<Vec<Str>> = arg.get_value_names().map(|names| {
        names
            .iter()
            .map(|name| {
                VALUE_NAMES
                    .iter()
                    .find(|(from, _)| *from == name.as_str())
                    .map_or_else(|| name.clone(), |(_, spanish)| Str::from(*spanish))
            })
            .collect()
    });
    let mut arg = arg
        .help(help)
        .long_help(None::<&str>)
        .hide_default_value(true)
        .hide_possible_values(true);
    if let Some(heading) = heading {
        arg = arg.help_heading(heading);
    }
    match names {
        Some(names) => arg.value_names(names),
        None => arg,
    }
}

/// The manual page in `lang`: in Spanish, clap_mangen's sections with
/// their titles in Spanish too.
pub(crate) fn manual(lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    type Section = fn(&clap_mangen::Man, &mut dyn Write) -> io::Result<()>;
    let man = clap_mangen::Man::new(command(lang));
    if lang != Lang::Es {
        return man.render(out);
    }
    man.render_title(out)?;
    let sections: [Section; 5] = [
        clap_mangen::Man::render_name_section,
        clap_mangen::Man::render_synopsis_section,
        clap_mangen::Man::render_description_section,
        clap_mangen::Man::render_options_section,
        clap_mangen::Man::render_version_section,
    ];
    for render in sections {
        let mut section = Vec::new();
        render(&man, &mut section)?;
        for line in String::from_utf8_lossy(&section).lines() {
            // Each section repeats the title's preamble.
            if !ROFF_PREAMBLE.contains(&line) {
                let line = MAN_TITLES
                    .iter()
                    .find(|(english, _)| line.strip_prefix(".SH ") == Some(english))
                    .map_or(line, |(_, spanish)| spanish);
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// The lines clap_mangen starts every piece it renders with.
const ROFF_PREAMBLE: [&str; 2] = [".ie \\n(.g .ds Aq \\(aq", ".el .ds Aq '"];

/// clap_mangen's section titles, English to Spanish (the options'
/// headings are Spanish already).
const MAN_TITLES: [(&str, &str); 4] = [
    ("NAME", ".SH NOMBRE"),
    ("SYNOPSIS", ".SH SINOPSIS"),
    ("DESCRIPTION", ".SH DESCRIPCIÓN"),
    ("VERSION", ".SH VERSIÓN"),
];

/// What the argument written `written` (`--port <PUERTO>`, `-p`) takes,
/// in Spanish, for a usage error that refused its value.
pub(crate) fn expects(command: &Command, written: &str) -> Option<&'static str> {
    let flag = written.split([' ', '=']).next().unwrap_or(written);
    let arg = command.get_arguments().find(|arg| {
        flag.strip_prefix("--")
            .is_some_and(|long| arg.get_long() == Some(long))
            || flag
                .strip_prefix('-')
                .and_then(|short| short.chars().next())
                == arg.get_short().filter(|_| !flag.starts_with("--"))
    })?;
    ARGS.iter()
        .find(|spanish| spanish.id == arg.get_id().as_str())
        .and_then(|spanish| spanish.expects)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every argument, `--help` and `--version` included.
    fn english_ids() -> Vec<String> {
        let mut command = Cli::command();
        command.build();
        command
            .get_arguments()
            .map(|arg| arg.get_id().to_string())
            .collect()
    }

    #[test]
    fn every_argument_has_spanish_and_every_entry_an_argument() {
        let ids = english_ids();
        let missing: Vec<&String> = ids
            .iter()
            .filter(|id| !ARGS.iter().any(|spanish| spanish.id == id.as_str()))
            .collect();
        assert!(missing.is_empty(), "without Spanish help: {missing:?}");
        let stale: Vec<&str> = ARGS
            .iter()
            .map(|spanish| spanish.id)
            .filter(|id| !ids.iter().any(|arg| arg == id))
            .collect();
        assert!(
            stale.is_empty(),
            "in the table, not in the command: {stale:?}"
        );
    }

    #[test]
    fn every_heading_and_value_name_has_spanish() {
        let mut command = Cli::command();
        command.build();
        for arg in command.get_arguments() {
            if let Some(heading) = arg.get_help_heading() {
                assert!(
                    HEADINGS.iter().any(|(english, _)| *english == heading),
                    "heading {heading:?} without Spanish"
                );
            }
            let takes_value = arg.get_num_args().is_some_and(|num| num.takes_values());
            let names = arg.get_value_names().filter(|_| takes_value);
            for name in names.unwrap_or_default() {
                assert!(
                    VALUE_NAMES
                        .iter()
                        .any(|(english, _)| *english == name.as_str()),
                    "value name {name:?} without Spanish"
                );
            }
        }
        let spanish = command_help(Lang::Es);
        for english in [
            "Usage:",
            "Options:",
            "[default:",
            "[possible values:",
            "Print help",
        ] {
            assert!(
                !spanish.contains(english),
                "{english:?} left in:\n{spanish}"
            );
        }
    }

    #[test]
    fn the_caps_spanish_expects_names_the_highest_cap() {
        let most = hftp_server::Config::MAX_CONNECTIONS.to_string();
        for id in ["max_connections", "max_per_address"] {
            let entry = ARGS.iter().find(|spanish| spanish.id == id).expect(id);
            assert!(
                entry
                    .expects
                    .is_some_and(|expects| expects.ends_with(&most))
            );
        }
    }

    #[test]
    fn the_spanish_tree_is_well_formed_and_finds_what_a_value_takes() {
        let command = command(Lang::Es);
        command.clone().debug_assert();
        assert_eq!(
            expects(&command, "--port <PUERTO>"),
            Some("se espera un puerto de 0 a 65535")
        );
        assert_eq!(expects(&command, "-p"), expects(&command, "--port"));
        assert_eq!(expects(&command, "--datadir <DIRECTORIO>"), None);
    }

    fn command_help(lang: Lang) -> String {
        command(lang).render_long_help().to_string()
    }
}
