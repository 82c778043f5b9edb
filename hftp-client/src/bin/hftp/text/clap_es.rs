//! The Spanish words of the command line, for `--help`, the manual pages
//! and the completions: one entry per command (by path) and per argument
//! (by command and id). `help.rs` applies them; its test holds this table
//! to the command tree, entry by entry.

/// The Spanish words of one command.
pub(super) struct About {
    /// The command's path: `hftp`, `hftp get`, `shell get`.
    pub(super) path: &'static str,
    /// The line `--help` and the command list show.
    pub(super) about: &'static str,
    /// The longer text of `--help`, when the English has one.
    pub(super) long: Option<&'static str>,
    /// The text after the options (notes, examples, the exit status).
    pub(super) after: Option<&'static str>,
}

/// The Spanish help of one argument.
pub(super) struct ArgText {
    /// The command's name (`hftp` for the global options).
    pub(super) command: &'static str,
    /// The argument's id.
    pub(super) id: &'static str,
    /// The help of `-h`.
    pub(super) help: &'static str,
    /// The help of `--help`, when the English has a longer one.
    pub(super) long: Option<&'static str>,
}

/// clap's default help layout, with `Uso:` for `Usage:`.
pub(super) const TEMPLATE: &str =
    "{before-help}{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}";

/// A heading of ours in Spanish: the global options' is the only one.
pub(super) fn heading(english: &str) -> &'static str {
    match english {
        "Global options" => "Opciones globales",
        _ => "Opciones",
    }
}

/// clap's own help texts (`-h`, `-V`, the `help` subcommand) in Spanish.
pub(super) fn builtin(english: &str) -> &str {
    match english {
        "Print help" => "Mostrar la ayuda",
        "Print help (see more with '--help')" => "Mostrar la ayuda (más detalle con --help)",
        "Print help (see a summary with '-h')" => "Mostrar la ayuda (un resumen con -h)",
        "Print version" => "Mostrar la versión",
        "Print this message or the help of the given subcommand(s)" => {
            "Mostrar este mensaje o la ayuda de los subcomandos nombrados"
        }
        other => other,
    }
}

/// The shell's commands, for its `help` and the end of `hftp shell --help`.
macro_rules! shell_help {
    () => {
        "\
Comandos (uno por línea; cada uno acepta las opciones del subcomando de hftp):
  ls [-l]                 listar los archivos (-l: con tamaños)
  stat NAME...            mostrar tamaños
  get NAME... [OPCIONES]  descargar (mirá `get --help`); `*`, `?` y `[...]`
                          coinciden con los nombres listados
  mget PATRÓN...          lo mismo que get, como en sftp
  NAME [OPCIONES]         descargar NAME, un nombre que lista el servidor
  lcd [DIR]               cambiar el directorio local (por defecto: tu home)
  lpwd                    mostrar el directorio local
  !COMANDO                correr COMANDO con sh -c (un ! solo abre un sh)
  help                    mostrar esto
  clear                   limpiar la pantalla
  quit                    salir (también `exit`, Ctrl-D o el fin de la entrada)
En una terminal: Tab completa comandos y nombres de archivo, las flechas
arriba y abajo traen líneas anteriores, Ctrl-C corta el comando en curso
(una descarga deja su .part para `get -c`). Si el servidor cerró la
conexión mientras no hacías nada, se abre de nuevo.
Sin una terminal en stdin, los comandos se leen línea por línea, sin
prompt; las líneas en blanco y las que empiezan con # se saltean, y el
código de salida es el del primer comando que falló."
    };
}

/// The examples at the end of `hftp shell --help`.
macro_rules! shell_examples {
    () => {
        "\
Ejemplos:
  hftp shell                                  explorar y descargar interactivamente
  printf 'ls\\nget hola.txt\\n' | hftp shell    un script; código de salida del primer error"
    };
}

/// The shell's `help`.
pub(super) const SHELL_HELP: &str = shell_help!();

/// The examples of `hftp shell --help`.
pub(super) const SHELL_EXAMPLES: &str = shell_examples!();

/// The notes and examples of `hftp get --help` (and of `get --help` in
/// the shell).
const GET_AFTER: &str = "\
Cada archivo va primero a OUT.part y pasa a llamarse OUT recién cuando
llegaron exactamente los bytes anunciados. Los nombres que manda el
servidor nunca salen del directorio elegido.

Un NAME con `*`, `?` o `[...]` es un patrón: vale por cada nombre que lista el
servidor y coincide con él (ponelo entre comillas, así tu shell no lo toca);
un nombre listado siempre se toma tal cual. Un patrón que no coincide con
nada es un error (código 4); los demás nombres se descargan igual.

Ejemplos:
  hftp get hola.txt                   a ./hola.txt
  hftp get a.txt b.txt -O descargas/
  hftp get '*.txt'                    cada nombre listado que termina en .txt
  hftp get big.iso -c                 reanudar big.iso.part después de Ctrl-C
  hftp get big.iso --parallel 4
  hftp get big.iso --offset 1048576 --size 4096 -o pedazo.bin
  hftp get hola.txt -o - | wc -c      \"-\" es stdout";

/// The exit status table at the end of `hftp --help`.
const EXIT_CODES: &str = "\
Código de salida:
  0    éxito (también cuando el que lee stdout se va, como con `| head`)
  1    cualquier otra falla
  2    uso: argumentos u opciones incorrectos, o un nombre que no puede ser
       nombre de archivo
  3    no se pudo conectar al servidor (directo, o el proxy no llegó)
  4    el servidor rechazó el pedido (se muestran su código y su texto), un
       rango que se pasa del final, o un patrón de NAME que no coincide con
       ningún archivo listado
  5    violación del protocolo: una respuesta mal formada, un cuerpo roto, o
       el servidor no es HFTP (un servidor HTTP, SSH o TLS, ruido, o silencio)
  6    E/S local: no se puede escribir la salida, o ya existe (mirá --force)
  7    se agotó el tiempo de espera: el servidor dejó de responder (mirá
       --timeout)
  8    se perdió la conexión: el servidor la cerró o la reinició, y --retry
       no alcanzó
  9    el archivo cambió en el servidor desde que se escribió OUT.part: quedó
       guardado como OUT.part.mismatch (mirá --restart-if-changed)
  10   falló el proxy: no responde, rechazó el login o no es SOCKS5
  130  interrumpido (Ctrl-C); una descarga deja OUT.part para --continue";

/// The commands' words.
pub(super) const ABOUT: &[About] = &[
    About {
        path: "hftp",
        about: "Lista y descarga archivos de un servidor HFTP",
        long: Some(
            "Lista y descarga archivos de un servidor HFTP.\n\nLos datos van a stdout; los mensajes, el progreso y los errores, a stderr.",
        ),
        after: Some(EXIT_CODES),
    },
    About {
        path: "hftp ls",
        about: "Listar los archivos servidos, un nombre por línea (-l: con tamaños)",
        long: None,
        after: Some(
            "\
Ejemplos:
  hftp ls                          un nombre por línea
  hftp ls -l                       con tamaños: TAMAÑO NOMBRE
  hftp -s hftp://host:19500 ls | grep '\\.txt$'",
        ),
    },
    About {
        path: "hftp stat",
        about: "Mostrar el tamaño de archivos, una línea por archivo",
        long: None,
        after: Some(
            "\
Ejemplos:
  hftp stat hola.txt big.iso       tamaños, pedidos todos juntos (pipelining)
  hftp ls | xargs hftp stat        el tamaño de cada archivo",
        ),
    },
    About {
        path: "hftp get",
        about: "Descargar archivos, o un rango de uno",
        long: None,
        after: Some(GET_AFTER),
    },
    About {
        path: "hftp shell",
        about: "Explorar y descargar interactivamente, o correr comandos leídos de stdin",
        long: None,
        after: Some(concat!(shell_help!(), "\n\n", shell_examples!())),
    },
    About {
        path: "hftp check",
        about: "Verificar un servidor contra cada regla del protocolo (sale con 0 si pasó todo, 1 si algo falló, 2 por uso o si no se puede conectar)",
        long: None,
        after: Some(
            "\
Ejemplos:
  hftp -s 127.0.0.1:19500 check                     los casos que no necesitan archivos
  hftp -s 127.0.0.1:19500 check --dir /srv/served   todos
  hftp check --list                                 id, regla, si necesita --dir, título
  hftp -s HOST:PORT check --only 1.,robust --json   algunos casos, en JSON Lines",
        ),
    },
    About {
        path: "hftp bench",
        about: "Cargar un servidor: slice, meta, idle, soak; o medir los techos de la máquina (sale con 1 si alguna respuesta estuvo mal)",
        long: None,
        after: Some(
            "\
Ejemplos:
  hftp bench ceiling                                la máquina sola, sin servidor
  hftp -s HOST:PORT bench slice big.bin --repeat 4  cuerpos crudos (--base64: en base64)
  hftp -s HOST:PORT bench meta hola.txt --conns 8
  hftp -s HOST:PORT bench idle --conns 10000",
        ),
    },
    About {
        path: "hftp bench slice",
        about: "Velocidad de descarga de un archivo, en MB/s de bytes del archivo",
        long: None,
        after: None,
    },
    About {
        path: "hftp bench meta",
        about: "Pedidos get_metadata por segundo y latencia, en pipelining, sobre C conexiones",
        long: None,
        after: None,
    },
    About {
        path: "hftp bench idle",
        about: "Mantener N conexiones quietas y después preguntar en cada una",
        long: None,
        after: None,
    },
    About {
        path: "hftp bench soak",
        about: "Una mezcla de clientes normales, lentos, quietos, que se esfuman y mal formados",
        long: None,
        after: None,
    },
    About {
        path: "hftp bench stall",
        about: "N clientes piden una respuesta larga y nunca la leen: la memoria del servidor mientras están trabados y después de que se van",
        long: None,
        after: None,
    },
    About {
        path: "hftp bench ceiling",
        about: "Los límites de la máquina, sin servidor: TCP por loopback, base64 por loopback, ida y vuelta mínima",
        long: None,
        after: None,
    },
    About {
        path: "hftp completions",
        about: "Mostrar las completions de un shell (bash, zsh, fish, elvish, powershell)",
        long: None,
        after: Some(
            "\
Ejemplos:
  hftp completions bash > ~/.local/share/bash-completion/completions/hftp
  hftp completions zsh > \"${fpath[1]}/_hftp\"",
        ),
    },
    About {
        path: "hftp man",
        about: "Mostrar una página de manual (roff): hftp(1), o la de un subcomando, p. ej. `hftp man get` para hftp-get(1); o escribirlas todas con --dir",
        long: None,
        after: Some(
            "\
Ejemplos:
  hftp man > hftp.1 && man ./hftp.1
  hftp man get | man -l -                     hftp-get(1), las opciones de get
  hftp man --dir ~/.local/share/man/man1      todas las páginas, para man hftp-get
  hftp man --lang es get | man -l -           la página en castellano",
        ),
    },
    About {
        path: "shell",
        about: "Una línea del shell, leída como una línea de comandos",
        long: None,
        after: None,
    },
    About {
        path: "shell ls",
        about: "Listar los archivos servidos",
        long: None,
        after: None,
    },
    About {
        path: "shell stat",
        about: "Mostrar el tamaño de archivos",
        long: None,
        after: None,
    },
    About {
        path: "shell get",
        about: "Descargar archivos",
        long: None,
        after: Some(GET_AFTER),
    },
    About {
        path: "shell lcd",
        about: "Cambiar el directorio local, donde van las descargas",
        long: None,
        after: None,
    },
    About {
        path: "shell lpwd",
        about: "Mostrar el directorio local",
        long: None,
        after: None,
    },
    About {
        path: "shell help",
        about: "Mostrar los comandos",
        long: None,
        after: None,
    },
    About {
        path: "shell clear",
        about: "Limpiar la pantalla",
        long: None,
        after: None,
    },
    About {
        path: "shell quit",
        about: "Salir del shell",
        long: None,
        after: None,
    },
];

/// The help of an argument with no longer `--help` text.
const fn arg(command: &'static str, id: &'static str, help: &'static str) -> ArgText {
    ArgText {
        command,
        id,
        help,
        long: None,
    }
}

/// The arguments' words.
pub(super) const ARGS: &[ArgText] = &[
    arg(
        "hftp",
        "server",
        "El servidor: HOST[:PORT], [IPV6]:PORT, una dirección IPV6 sola o hftp://HOST[:PORT] [por defecto: $HFTP_SERVER, si no localhost:19500]",
    ),
    arg(
        "hftp",
        "connect_timeout",
        "Dejar de intentar conectar después de estos segundos (se aceptan fracciones; 0 nunca) [por defecto: 10; 60 a través de un proxy, porque Tor tarda segundos en armar un circuito hasta un servicio onion]",
    ),
    arg(
        "hftp",
        "proxy",
        "Conectar a través de este proxy SOCKS5: socks5h://HOST[:PORT] (el proxy resuelve los nombres, como necesita un .onion) o socks5://HOST[:PORT], con USER:PASSWORD@ opcional antes del host; \"\" para ninguno [por defecto: $HFTP_PROXY, si no $ALL_PROXY]",
    ),
    arg(
        "hftp",
        "noproxy",
        "Hosts a los que se llega sin el proxy: nombres (con sus subdominios), direcciones y rangos CIDR, separados por comas; * para todos [por defecto: $NO_PROXY]",
    ),
    arg(
        "hftp",
        "tor",
        "Por Tor: --proxy socks5h://127.0.0.1:9050, o el puerto 9150 de Tor Browser cuando 9050 no responde",
    ),
    arg(
        "hftp",
        "timeout",
        "Abandonar cuando el servidor se queda callado estos segundos (0 nunca)",
    ),
    arg(
        "hftp",
        "base64",
        "Pedir los cuerpos en base64 aunque el servidor ofrezca cuerpos crudos",
    ),
    arg(
        "hftp",
        "quiet",
        "Mostrar solo los errores: sin progreso ni avisos",
    ),
    arg(
        "hftp",
        "no_progress",
        "No mostrar nunca la barra de progreso (solo aparece cuando stderr es una terminal)",
    ),
    arg(
        "hftp",
        "verbose",
        "Registrar en stderr lo que pasa: -v debug, -vv trace",
    ),
    arg(
        "hftp",
        "lang",
        "El idioma de los mensajes y la ayuda: es o en [por defecto: $HFTP_LANG, si no el del locale: LC_ALL, LC_MESSAGES, LANG]",
    ),
    arg(
        "ls",
        "long",
        "Mostrar el tamaño en bytes de cada archivo antes de su nombre",
    ),
    arg(
        "ls",
        "human",
        "Mostrar los tamaños en B, KiB, MiB, GiB (de a 1024), alineados; implica -l",
    ),
    arg(
        "lcd",
        "dir",
        "El directorio al que pasar (por defecto: tu home; ~ se expande)",
    ),
    arg("stat", "names", "Los archivos a consultar"),
    arg(
        "get",
        "names",
        "Los archivos a descargar; `*`, `?` y `[...]` coinciden con nombres listados",
    ),
    arg(
        "get",
        "output",
        "Escribir en OUT en vez de ./NAME (un solo NAME; su carpeta se crea si no existe); \
         `-` escribe en stdout",
    ),
    arg(
        "get",
        "output_dir",
        "Escribir cada archivo en DIR (se crea si no existe) con su propio nombre",
    ),
    arg("get", "offset", "Traer desde el byte N (con -o)"),
    arg(
        "get",
        "size",
        "Traer N bytes (con -o); por defecto, hasta el final",
    ),
    arg(
        "get",
        "force",
        "Sobrescribir un archivo de salida que ya existe; con `-o -`, escribir datos binarios también en una terminal",
    ),
    arg(
        "get",
        "resume",
        "Reanudar desde OUT.part, una vez que sus últimos 64 KiB coinciden con los del servidor; un OUT que ya tiene el archivo entero es un éxito",
    ),
    arg(
        "get",
        "restart_if_changed",
        "Cuando OUT.part no coincide con el archivo del servidor, empezar de nuevo en vez de fallar (código 9)",
    ),
    arg(
        "get",
        "parallel",
        "Traer cada archivo por N conexiones a la vez, en rangos (de 1 a 64)",
    ),
    arg(
        "get",
        "retry",
        "Reintentar hasta estas veces cuando la conexión termina o falla en el camino, reanudando desde los bytes en disco (0: nunca)",
    ),
    arg(
        "get",
        "retry_max_time",
        "No empezar ningún reintento más de estos segundos después del comienzo de la descarga (0: sin límite salvo --retry)",
    ),
    arg(
        "check",
        "dir",
        "El directorio que sirve el servidor a verificar, en esta máquina: el verificador escribe ahí sus archivos de prueba (tiene que estar vacío o no existir) y después los borra. Sin él, se saltean los casos que necesitan archivos",
    ),
    arg(
        "check",
        "json",
        "Mostrar el informe en JSON Lines: un objeto por caso y después los totales",
    ),
    arg(
        "check",
        "html",
        "Escribir además el informe como una página HTML autocontenida en FILE: puntajes, una matriz de veredictos y los bytes de cada caso que no pasó",
    ),
    arg(
        "check",
        "html_lang",
        "El idioma del informe de --html, `en` o `es` [por defecto: el idioma del resto de la salida]",
    ),
    arg(
        "check",
        "junit",
        "Escribir además el informe como JUnit XML en FILE, para CI; con --strict, los casos no estrictos también son fallas ahí",
    ),
    arg("check", "list", "Listar los casos y salir"),
    arg(
        "check",
        "only",
        "Correr solo los casos que eligen estos patrones separados por comas: ids exactos, globs de ids o grupos (p. ej. `1.*,6.fifo,robust`)",
    ),
    arg(
        "check",
        "case_timeout",
        "Lo máximo que puede tardar un caso, en segundos",
    ),
    arg(
        "check",
        "reply_wait",
        "El silencio más largo (sin recibir ningún byte) con el que una respuesta puede empezar o seguir antes de que su caso falle, en segundos; aparte de --case-timeout. Los casos a los que la materia les da más (un nombre de 5 MiB: 18 s) lo dicen [por defecto: 5; 30 a través de un proxy, donde una respuesta larga cruza un circuito de Tor a pocos MiB/s]",
    ),
    arg(
        "check",
        "close_wait",
        "Cuánto puede tardar un servidor en cerrar después de un código de estado fatal o de quit",
    ),
    arg(
        "check",
        "framing",
        "Cómo arma el servidor los cuerpos comunes (no crudos) de las rebanadas (slices): base64, o los fragmentos del esqueleto (regla 12). `auto` lo deduce de una primera rebanada de un archivo de prueba (con --dir) y después exige eso en cada rebanada",
    ),
    arg(
        "check",
        "revision",
        "La revisión que se le exige al servidor: `auto` pregunta con `help` (`0`: 2026, si no 2019). Los casos que prueban cosas de una revisión posterior (`help`, cuerpos crudos) se informan como faltantes, una vez, no como fallas",
    ),
    arg(
        "check",
        "strict",
        "Salir con 1 también cuando solo difieren las elecciones más estrictas del contrato (casos no estrictos), no solo ante fallas de los requisitos de la materia y problemas de seguridad",
    ),
    arg(
        "check",
        "spawn",
        "Arrancar el servidor a verificar con este comando de shell, en un puerto libre, sirviendo un directorio nuevo del verificador; `{port}` y `{dir}` se completan. Un servidor que se muere durante un caso se informa ahí y se arranca de nuevo. Repetí la opción para verificar varios servidores, p. ej. `--spawn 'python3 alice/server.py -p {port} -d {dir}'`",
    ),
    arg(
        "check",
        "class",
        "Verificar todos los servidores de un curso: un archivo de líneas `NOMBRE: COMANDO` (`#` empieza un comentario), cada comando como para --spawn",
    ),
    arg(
        "check",
        "user",
        "Correr los servidores arrancados como este usuario: como root, los archivos sin permiso de lectura quedan ilegibles para ellos, como necesitan los casos `199`",
    ),
    arg(
        "check",
        "start_wait",
        "Cuánto puede tardar un servidor arrancado en aceptar conexiones",
    ),
    arg(
        "check",
        "jobs",
        "Verificar esta cantidad de servidores arrancados a la vez (cada uno en su puerto y su directorio). Los casos con límites de tiempo (cerrar dentro de 0,5 s de `quit`, los 3 s de la materia) necesitan más o menos un núcleo por servidor",
    ),
    arg(
        "check",
        "keep_going",
        "Cuando el servidor se murió y no se pudo arrancar de nuevo, seguir probando cada caso (alguien puede reiniciarlo) en vez de informar el resto como no corridos",
    ),
    arg(
        "bench",
        "json",
        "Mostrar el resultado como un objeto JSON por línea",
    ),
    arg(
        "bench",
        "server_pid",
        "El id de proceso del servidor, para informar su RSS y sus descriptores abiertos desde /proc (solo en la misma máquina)",
    ),
    arg("slice", "name", "El archivo a descargar"),
    arg(
        "slice",
        "chunk",
        "Bytes por pedido `get_slice` (por defecto: todo el archivo de una vez)",
    ),
    arg("slice", "repeat", "Cuántas veces descargar el archivo"),
    arg(
        "slice",
        "ceiling",
        "Medir también el techo que corresponde (TCP por loopback para crudo, base64 por loopback si no) y mostrar la proporción",
    ),
    arg("meta", "name", "El archivo cuyo tamaño se pregunta"),
    arg("meta", "depth", "Pedidos en vuelo en cada conexión"),
    arg(
        "meta",
        "conns",
        "Conexiones; un solo hilo maneja varias con epoll",
    ),
    arg(
        "meta",
        "requests",
        "Pedidos en total, repartidos entre las conexiones",
    ),
    arg(
        "meta",
        "ceiling",
        "Medir también la ida y vuelta mínima por loopback y mostrar la proporción (tiene sentido con --depth 1 --conns 1)",
    ),
    arg(
        "idle",
        "conns",
        "Conexiones a abrir y mantener (cada una es un descriptor acá también)",
    ),
    arg(
        "idle",
        "hold",
        "Segundos que se mantienen calladas antes de preguntar",
    ),
    arg("soak", "seconds", "Cuánto tiempo correr, en segundos"),
    arg(
        "soak",
        "name",
        "El archivo que traen los clientes normales (por defecto: el primero del listado)",
    ),
    arg("stall", "conns", "Conexiones trabadas a abrir"),
    arg(
        "stall",
        "name",
        "Pedir el cuerpo entero de este archivo en vez del listado",
    ),
    arg(
        "stall",
        "raw",
        "Con `--name`: pedir la forma cruda en vez de base64",
    ),
    arg(
        "stall",
        "hold",
        "Segundos que se mantienen las conexiones trabadas una vez respondidas todas",
    ),
    arg(
        "ceiling",
        "bytes",
        "Bytes a mover para los techos de velocidad",
    ),
    arg(
        "ceiling",
        "round_trips",
        "Idas y vueltas para el techo de latencia",
    ),
    arg(
        "completions",
        "shell",
        "El shell para el que escribir las completions",
    ),
    arg(
        "man",
        "subcommand",
        "El subcomando cuya página mostrar (`get`: hftp-get(1)); ninguno: hftp(1)",
    ),
    arg(
        "man",
        "dir",
        "Escribir en cambio todas las páginas en DIR (se crea si no existe): hftp.1 y un hftp-SUBCOMANDO.1 por subcomando",
    ),
];
