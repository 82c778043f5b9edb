//! The cases' titles in Spanish, by case id. The English titles live
//! with the cases in the catalogue; a test below checks that every case
//! has a Spanish title here and that every title here names a case.

/// The Spanish title of the case `id`, if it has one (every case does).
pub(crate) fn spanish_title(id: &str) -> Option<&'static str> {
    TITLES
        .iter()
        .find(|(case, _)| *case == id)
        .map(|(_, title)| *title)
}

/// Case id, then its title in Spanish, in the catalogue's order.
const TITLES: &[(&str, &str)] = &[
    // The course's 2019 suite.
    (
        "2019.bad-argument-count",
        "TestHFTPErrors.test_bad_argument_count: quit con argumentos da 201 en 3 s como mucho",
    ),
    (
        "2019.bad-argument-count-2",
        "TestHFTPErrors.test_bad_argument_count_2: get_metadata sin argumentos da 201 en 3 s como mucho",
    ),
    (
        "2019.bad-argument-type",
        "TestHFTPErrors.test_bad_argument_type: get_slice bar x x da 201 en 3 s como mucho",
    ),
    (
        "2019.bad-command",
        "TestHFTPErrors.test_bad_command: verdura da 200 en 3 s como mucho",
    ),
    (
        "2019.bad-eol",
        "TestHFTPErrors.test_bad_eol: qui\\nt\\n\\r\\n da 100 en 3 s como mucho",
    ),
    (
        "2019.file-not-found",
        "TestHFTPErrors.test_file_not_found: get_metadata de un archivo que no existe da 202 en 3 s como mucho",
    ),
    (
        "2019.big-file",
        "TestHFTPHard.test_big_file: el tamaño y el cuerpo en base64 de 254 bloques de 128 KiB",
    ),
    (
        "2019.big-filename",
        "TestHFTPHard.test_big_filename: un nombre de 5 MiB da 202 en 18 s como mucho",
    ),
    (
        "2019.command-in-pieces",
        "TestHFTPHard.test_command_in_pieces: quit de a un byte por segundo da 0 en 3 s como mucho",
    ),
    (
        "2019.data-with-nulls",
        "TestHFTPHard.test_data_with_nulls: una rebanada (slice) de bytes x, NUL e y",
    ),
    (
        "2019.long-file-listing",
        "TestHFTPHard.test_long_file_listing: un listado de 1000 archivos, en cualquier orden",
    ),
    (
        "2019.multiple-commands",
        "TestHFTPHard.test_multiple_commands: dos listados en un paquete, 0 en 3 s como mucho, y el cliente se va",
    ),
    (
        "2019.connect-and-quit",
        "TestHFTPServer.test_connect_and_quit: una respuesta a quit y el cierre en 0,5 s como mucho",
    ),
    (
        "2019.get-full-slice",
        "TestHFTPServer.test_get_full_slice: un archivo entero de 44 bytes, en base64",
    ),
    (
        "2019.get-metadata",
        "TestHFTPServer.test_get_metadata: el tamaño de un archivo de 123459 bytes",
    ),
    (
        "2019.get-metadata-empty",
        "TestHFTPServer.test_get_metadata_empty: el tamaño de un archivo vacío es 0",
    ),
    (
        "2019.lookup",
        "TestHFTPServer.test_lookup: un listado de bar, foo y x, en cualquier orden",
    ),
    (
        "2019.partial-slices",
        "TestHFTPServer.test_partial_slices: cuatro rebanadas (slice) de un archivo en una sola conexión",
    ),
    (
        "2019.quit-answers-ok",
        "TestHFTPServer.test_quit_answers_ok: quit da 0",
    ),
    // The course's 2026 suite.
    (
        "2026.bad-argument-count",
        "TestHFTPErrors.test_bad_argument_count: quit con argumentos da 201 en 3 s como mucho",
    ),
    (
        "2026.bad-argument-count-2",
        "TestHFTPErrors.test_bad_argument_count_2: get_metadata sin argumentos da 201 en 3 s como mucho",
    ),
    (
        "2026.bad-argument-type",
        "TestHFTPErrors.test_bad_argument_type: get_slice bar x x da 201 en 3 s como mucho",
    ),
    (
        "2026.bad-command",
        "TestHFTPErrors.test_bad_command: verdura da 200 en 3 s como mucho",
    ),
    (
        "2026.bad-eol",
        "TestHFTPErrors.test_bad_eol: qui\\nt\\n\\r\\n da 100 en 3 s como mucho",
    ),
    (
        "2026.bad-offset",
        "TestHFTPErrors.test_bad_offset: 10 bytes de un archivo de 3 bytes da 203 en 3 s como mucho",
    ),
    (
        "2026.empty-command-line-bad-request",
        "TestHFTPErrors.test_empty_command_line_bad_request: una línea vacía da 101 en 3 s como mucho",
    ),
    (
        "2026.file-not-found",
        "TestHFTPErrors.test_file_not_found: get_metadata de un archivo que no existe da 202 en 3 s como mucho",
    ),
    (
        "2026.file-not-found-get-slice",
        "TestHFTPErrors.test_file_not_found_get_slice: get_slice de un archivo que no existe da 202 en 3 s como mucho",
    ),
    (
        "2026.internal-error-unreadable-file",
        "TestHFTPErrors.test_internal_error_unreadable_file: una rebanada (slice) de un archivo con modo 000 da 199 en 3 s como mucho",
    ),
    (
        "2026.big-file",
        "TestHFTPHard.test_big_file: el tamaño y el cuerpo exacto en base64 de 16 bloques de 128 KiB",
    ),
    (
        "2026.big-filename",
        "TestHFTPHard.test_big_filename: un nombre de 8 KiB da 202 en 3 s como mucho",
    ),
    (
        "2026.command-in-pieces",
        "TestHFTPHard.test_command_in_pieces: quit de a un byte cada 30 ms da 0 en 3 s como mucho",
    ),
    (
        "2026.data-with-nulls",
        "TestHFTPHard.test_data_with_nulls: una rebanada (slice) de bytes x, NUL e y, exacta",
    ),
    (
        "2026.long-file-listing",
        "TestHFTPHard.test_long_file_listing: un listado de 200 archivos, en cualquier orden",
    ),
    (
        "2026.multiple-commands",
        "TestHFTPHard.test_multiple_commands: dos listados en un paquete, 0 en 3 s como mucho, y el cliente se va",
    ),
    (
        "2026.two-concurrent-file-listing",
        "TestHFTPMultiClient.test_two_concurrent_file_listing: dos clientes listan c1 y c2 cada uno",
    ),
    (
        "2026.two-concurrent-help",
        "TestHFTPMultiClient.test_two_concurrent_help: dos clientes piden help cada uno",
    ),
    (
        "2026.connect-and-quit",
        "TestHFTPServer.test_connect_and_quit: una respuesta a quit y el cierre en 0,5 s como mucho",
    ),
    (
        "2026.context-manager",
        "TestHFTPServer.test_context_manager: el listado tiene one, después quit",
    ),
    (
        "2026.empty-file-listing",
        "TestHFTPServer.test_empty_file_listing: un directorio vacío no lista nada",
    ),
    (
        "2026.get-full-slice",
        "TestHFTPServer.test_get_full_slice: un archivo entero de 44 bytes, en base64, exacto",
    ),
    (
        "2026.get-metadata",
        "TestHFTPServer.test_get_metadata: el tamaño de un archivo de 123459 bytes",
    ),
    (
        "2026.get-metadata-empty",
        "TestHFTPServer.test_get_metadata_empty: el tamaño de un archivo vacío es 0",
    ),
    (
        "2026.get-slice-raw",
        "TestHFTPServer.test_get_slice_raw: los 256 valores de byte, crudos",
    ),
    (
        "2026.get-slice-raw-partial",
        "TestHFTPServer.test_get_slice_raw_partial: defg de abcdefghij, crudo",
    ),
    (
        "2026.get-slice-rejects-bad-raw-token",
        "TestHFTPServer.test_get_slice_rejects_bad_raw_token: rawx da 201 antes del rango, en 3 s como mucho",
    ),
    (
        "2026.help",
        "TestHFTPServer.test_help: 0 y los cinco comandos en cualquier orden, en 3 s como mucho",
    ),
    (
        "2026.lookup",
        "TestHFTPServer.test_lookup: un listado de bar, foo y x, en cualquier orden",
    ),
    (
        "2026.partial-slices",
        "TestHFTPServer.test_partial_slices: cuatro rebanadas (slice) exactas de un archivo en una sola conexión",
    ),
    (
        "2026.quit-answers-ok",
        "TestHFTPServer.test_quit_answers_ok: quit da 0",
    ),
    (
        "2026.retrieve-full-file",
        "TestHFTPServer.test_retrieve_full_file: el tamaño, después quijote.txt entero",
    ),
    // Rule 0: the command table.
    (
        "0.help",
        "help lista los cinco comandos, y la conexión sigue",
    ),
    ("0.quit", "quit se responde 0 OK y el servidor cierra"),
    ("0.metadata", "get_metadata hola.txt da 0 OK y 33"),
    // Rule 1: line ends.
    ("1.bare-lf", "un LF sin CR da 100 y el servidor cierra"),
    ("1.lone-lf", "una línea de un solo LF da 100"),
    (
        "1.cr-then-byte",
        "un CR seguido de un byte que no es LF da 100",
    ),
    ("1.cr-cr-lf", "un CR seguido de CR LF da 100"),
    (
        "1.split-crlf",
        "un CR al final de un paquete espera el LF del siguiente",
    ),
    (
        "1.before-bad-byte",
        "los pedidos antes de un byte inválido se responden primero",
    ),
    // Rule 2: elements.
    (
        "2.empty-line",
        "una línea vacía da 101 y el servidor cierra",
    ),
    ("2.spaces-only", "una línea de espacios da 101"),
    (
        "2.leading-space",
        "un espacio al principio deja un comando vacío: 200",
    ),
    (
        "2.trailing-space",
        "un espacio al final deja un argumento vacío: 201",
    ),
    (
        "2.double-space",
        "un espacio doble deja un argumento vacío: 201",
    ),
    ("2.slice-double-space", "un número vacío da 201"),
    // Rule 3: commands and the order of checks.
    ("3.case-sensitive", "QUIT no es quit: 200"),
    ("3.unknown-command", "un comando desconocido da 200"),
    (
        "3.command-first",
        "un comando desconocido con argumentos da 200",
    ),
    ("3.quit-now", "quit con un argumento da 201"),
    ("3.help-me", "help con un argumento da 201"),
    ("3.metadata-alone", "get_metadata sin nombre da 201"),
    ("3.metadata-two", "get_metadata con dos nombres da 201"),
    (
        "3.listing-argument",
        "get_file_listing con un argumento da 201",
    ),
    ("3.slice-too-few", "get_slice con dos argumentos da 201"),
    ("3.slice-too-many", "get_slice con cinco argumentos da 201"),
    (
        "3.mode-rawx",
        "la palabra de modo rawx da 201, antes de mirar el nombre",
    ),
    ("3.mode-upper", "la palabra de modo RAW da 201"),
    ("3.mode-base64", "la palabra de modo base64 da 201"),
    (
        "3.number-before-name",
        "un número inválido da 201, antes de mirar el nombre",
    ),
    (
        "3.name-before-range",
        "un archivo que no existe da 202, antes de mirar el rango",
    ),
    (
        "3.mode-before-range",
        "una palabra de modo inválida da 201 aunque el rango se pase del final",
    ),
    // Rule 4: numbers.
    ("4.minus", "un número negativo da 201"),
    ("4.plus", "un número con signo da 201"),
    ("4.hex", "un número en hexadecimal da 201"),
    ("4.overflow", "2^64 da 201"),
    (
        "4.max",
        "2^64-1 es un número: el archivo que no existe da 202",
    ),
    (
        "4.sum-overflow",
        "OFFSET + SIZE más allá de 2^64 da 203, sin dar la vuelta",
    ),
    ("4.leading-zeros", "se aceptan ceros a la izquierda"),
    (
        "4.size-zero",
        "SIZE 0 da 0 OK y una línea vacía, aun al final del archivo",
    ),
    ("4.past-end", "OFFSET + SIZE más allá del tamaño da 203"),
    // Rule 5: file names.
    ("5.missing", "un nombre que no se sirve da 202"),
    ("5.name-256", "un nombre de 256 bytes da 202"),
    (
        "5.long-before-form",
        "un nombre de 256 bytes con barras da 202: primero el largo",
    ),
    ("5.slash", "un nombre con / da 201"),
    ("5.traversal", "../etc/passwd da 201"),
    ("5.absolute", "/etc/passwd da 201"),
    ("5.dot", "el nombre . da 201"),
    ("5.dotdot", "el nombre .. da 201"),
    ("5.control", "un carácter de control en un nombre da 201"),
    ("5.nul", "un NUL en un nombre da 201"),
    ("5.tab", "un tab en un nombre da 201"),
    ("5.del", "un DEL en un nombre da 201"),
    ("5.not-utf8", "un nombre que no es UTF-8 da 201"),
    ("5.name-255", "un nombre de 255 bytes se sirve"),
    ("5.utf8", "un nombre en UTF-8 se sirve"),
    (
        "5.control-exists",
        "un carácter de control da 201 aunque exista un archivo así",
    ),
    (
        "5.not-utf8-exists",
        "un nombre que no es UTF-8 da 201 aunque exista un archivo así",
    ),
    // Rule 6: safety.
    (
        "6.link-inside",
        "un enlace simbólico a un archivo de adentro se sirve",
    ),
    (
        "6.link-out-absolute",
        "un enlace simbólico a /etc/passwd da 202",
    ),
    (
        "6.link-out-dotdot",
        "un enlace simbólico que sale con .. da 202",
    ),
    (
        "6.traversal-leak",
        "las rutas que salen del directorio, tan profundas como las mandan los atacantes, no devuelven nada",
    ),
    ("6.link-dangling", "un enlace simbólico a nada da 202"),
    ("6.directory", "un subdirectorio da 202"),
    (
        "6.inner-file",
        "un archivo dentro de un subdirectorio da 202",
    ),
    ("6.fifo", "un FIFO da 202 y nunca bloquea al servidor"),
    ("6.socket", "un socket Unix da 202"),
    (
        "6.noread-metadata",
        "un archivo sin permiso de lectura tiene tamaño",
    ),
    (
        "6.noread-slice",
        "una rebanada (slice) de un archivo sin permiso de lectura da 199",
    ),
    (
        "6.dir-replaced",
        "el directorio se vuelve a buscar: si lo reemplazan, sirve los archivos nuevos",
    ),
    // Rule 7: listing.
    (
        "7.listing",
        "el listado tiene exactamente los archivos regulares válidos, ordenados byte a byte",
    ),
    // Rule 8: slices in flight.
    (
        "8.shrink-base64",
        "un archivo que se achica a mitad del cuerpo: el servidor cierra, nunca rellena",
    ),
    (
        "8.shrink-raw",
        "lo mismo con un cuerpo crudo: menos bytes, después el cierre",
    ),
    // Rule 9: long lines.
    (
        "9.name-5mib",
        "un nombre de 5 MiB da 202 (en 18 s como mucho) y la conexión sigue",
    ),
    (
        "9.line-past-limit",
        "una línea de más de 16 MiB da 101 y el servidor cierra",
    ),
    // Rule 10: after the end.
    ("10.quit-then-more", "después de quit no se responde nada"),
    ("10.fatal-then-more", "después de 101 no se responde nada"),
    ("10.bad-eol-then-more", "después de 100 no se responde nada"),
    (
        "10.cut-request",
        "un pedido cortado porque el cliente cerró no se responde",
    ),
    // Rule 11: bodies the client accepts.
    (
        "11.base64-one-line",
        "un cuerpo en base64 son los bytes exactos en una línea",
    ),
    (
        "11.padding",
        "los cuerpos de 1, 2 y 3 bytes llevan el relleno correcto",
    ),
    (
        "11.base64-exact-size",
        "un cuerpo en base64 de 123459 bytes decodifica exactamente al archivo",
    ),
    (
        "11.base64-empty-file",
        "una rebanada (slice) vacía de un archivo vacío da 0 OK y una línea vacía",
    ),
    (
        "11.raw-exact",
        "un cuerpo crudo son exactamente Content-Length bytes, nada después",
    ),
    (
        "11.raw-empty",
        "un cuerpo crudo de 0 bytes es el encabezado solo",
    ),
    (
        "11.raw-exact-size",
        "un cuerpo crudo de 123459 bytes es exactamente el archivo",
    ),
    // Robustness.
    (
        "robust.byte-at-a-time",
        "tres pedidos, de a un byte por paquete",
    ),
    (
        "robust.pipelined-1000",
        "mil pedidos seguidos sin esperar, respondidos en orden",
    ),
    (
        "robust.idle-client",
        "un cliente quieto no bloquea a un segundo",
    ),
    (
        "robust.many-clients",
        "300 clientes a la vez reciben todos su respuesta",
    ),
    (
        "robust.walk-away",
        "un cliente que se va a mitad del cuerpo, después un pedido normal",
    ),
    (
        "robust.cut-then-new",
        "un cliente que se va a mitad de línea, después un pedido normal",
    ),
    // For information.
    (
        "info.status-texts",
        "los textos de estado, comparados con los del kit (la materia solo lee el código)",
    ),
    (
        "info.second-client-while-idle",
        "un segundo cliente, mientras el primero está quieto",
    ),
    (
        "info.second-client-mid-request",
        "un segundo cliente, mientras el primero va por la mitad de una línea",
    ),
];

#[cfg(test)]
mod tests {
    use super::{TITLES, spanish_title};
    use crate::check::catalogue;

    #[test]
    fn every_case_has_a_spanish_title_and_every_title_a_case() {
        let cases = catalogue::all();
        let untitled: Vec<&str> = cases
            .iter()
            .map(|case| case.id)
            .filter(|id| spanish_title(id).is_none())
            .collect();
        assert_eq!(
            untitled,
            Vec::<&str>::new(),
            "cases without a Spanish title"
        );
        let stray: Vec<&str> = TITLES
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| !cases.iter().any(|case| case.id == *id))
            .collect();
        assert_eq!(stray, Vec::<&str>::new(), "Spanish titles of no case");
        let ids: Vec<&str> = TITLES.iter().map(|(id, _)| *id).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "a case titled twice");
        for (id, title) in TITLES {
            let english = cases
                .iter()
                .find(|case| case.id == *id)
                .map(|case| case.title);
            assert_ne!(Some(*title), english, "{id} is not translated");
        }
    }
}
