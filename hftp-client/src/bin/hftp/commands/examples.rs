//! The "Examples:" that end each subcommand's `--help`, as `git` and
//! `curl` show them. `get` and `shell` keep theirs beside their notes, in
//! their own modules.

/// `hftp ls`.
pub(crate) const LS: &str = "\
Examples:
  hftp ls                          one name per line
  hftp ls -l                       with sizes: SIZE NAME
  hftp -s hftp://host:19500 ls | grep '\\.txt$'";

/// `hftp stat`.
pub(crate) const STAT: &str = "\
Examples:
  hftp stat hola.txt big.iso       sizes, asked in one pipelined batch
  hftp ls | xargs hftp stat        every file's size";

/// `hftp check`.
pub(crate) const CHECK: &str = "\
Examples:
  hftp -s 127.0.0.1:19500 check                     the cases needing no files
  hftp -s 127.0.0.1:19500 check --dir /srv/served   all of them
  hftp check --list                                 id, rule, needs --dir, title
  hftp -s HOST:PORT check --only 1.,robust --json   some cases, as JSON Lines";

/// `hftp bench`.
pub(crate) const BENCH: &str = "\
Examples:
  hftp bench ceiling                                the machine alone, no server
  hftp -s HOST:PORT bench slice big.bin --repeat 4  raw bodies (--base64: base64)
  hftp -s HOST:PORT bench meta hola.txt --conns 8
  hftp -s HOST:PORT bench idle --conns 10000";

/// `hftp completions`.
pub(crate) const COMPLETIONS: &str = "\
Examples:
  hftp completions bash > ~/.local/share/bash-completion/completions/hftp
  hftp completions zsh > \"${fpath[1]}/_hftp\"";

/// `hftp man`.
pub(crate) const MAN: &str = "\
Examples:
  hftp man > hftp.1 && man ./hftp.1
  hftp man get | man -l -                     hftp-get(1), the options of get
  hftp man --dir ~/.local/share/man/man1      every page, for man hftp-get";
