//! The checker's words in Spanish: voseo, as a student from Córdoba
//! writes; the terms of the glossary (`caso`, `veredicto`, `rebanada`,
//! `informe`...).

#![deny(unused_variables)]

use super::{ClassLine, Es, Text};
use crate::Foreign;
use crate::check::group::{Group, Revision};
use crate::check::kind::Kind;

/// `count` and the word that goes with it: `one` for one, else `more`.
fn many(count: usize, one: &str, more: &str) -> String {
    match count {
        1 => format!("1 {one}"),
        _ => format!("{count} {more}"),
    }
}

/// The headings of the rules' groups, by rule number, as in English.
const RULE_TITLES: [&str; 12] = [
    "comandos y respuestas",
    "fines de línea",
    "elementos",
    "comandos y el orden de las verificaciones",
    "números",
    "nombres de archivo",
    "seguridad",
    "listado",
    "rebanadas en tránsito",
    "líneas largas",
    "después del final",
    "cuerpos que acepta el cliente",
];

impl Text for Es {
    fn kind_word(&self, kind: Kind) -> &'static str {
        match kind {
            Kind::Security => "seguridad",
            Kind::Fail => "falla",
            Kind::NonStrict => "no estricto",
            Kind::Info => "info",
            Kind::Missing => "falta",
            Kind::Skip => "salteado",
            Kind::Pass => "pasa",
        }
    }

    fn kind_meaning(&self, kind: Kind) -> &'static str {
        match kind {
            Kind::Security => {
                "un archivo servido desde fuera del directorio, o un servidor bloqueado o caído"
            }
            Kind::Fail => "no cumple un requisito de la materia",
            Kind::NonStrict => {
                "solo difiere del contrato más estricto del proyecto, donde la materia no dice nada"
            }
            Kind::Info => "no es un requisito: es lo que hace el servidor",
            Kind::Missing => "una función de una revisión posterior que el servidor no tiene",
            Kind::Skip => "el caso no se pudo correr acá",
            Kind::Pass => "el servidor hizo lo que el caso verifica",
        }
    }

    fn mark(&self, kind: Kind) -> &'static str {
        match kind {
            Kind::Security => "SEGURIDAD",
            Kind::Fail => "FALLA",
            Kind::NonStrict => "no estricto",
            Kind::Info => "info",
            Kind::Missing => "falta",
            Kind::Skip => "salteado",
            Kind::Pass => "pasa",
        }
    }

    fn group_name(&self, group: Group) -> String {
        match group {
            Group::Rule(0) => "tabla".to_owned(),
            Group::Rule(rule) => format!("regla {rule}"),
            other => other.to_string(),
        }
    }

    fn group_title(&self, group: Group) -> &'static str {
        match group {
            Group::Rule(rule) => RULE_TITLES
                .get(usize::from(rule))
                .copied()
                .unwrap_or("otras"),
            Group::Course(Revision::R2019) => "pruebas de la materia, 2019",
            Group::Course(_) => "pruebas de la materia, 2026",
            Group::Robust => "robustez",
            Group::Info => "a título informativo",
        }
    }

    fn passed(&self, count: usize) -> String {
        many(count, "pasa", "pasan")
    }

    fn failed(&self, count: usize) -> String {
        many(count, "falla", "fallan")
    }

    fn counted(&self, kind: Kind, count: usize) -> String {
        match kind {
            Kind::Security => format!("{count} de seguridad"),
            Kind::NonStrict => many(count, "no estricto", "no estrictos"),
            Kind::Missing => many(count, "falta", "faltan"),
            Kind::Skip => self.skipped(count),
            Kind::Pass => self.passed(count),
            Kind::Fail => self.failed(count),
            Kind::Info => format!("{count} info"),
        }
    }

    fn skipped(&self, count: usize) -> String {
        many(count, "salteado", "salteados")
    }

    fn waited(&self, secs: f64) -> String {
        let secs = format!("{secs:.1}").replace('.', ",");
        format!("{secs} s esperando respuestas que nunca llegaron")
    }

    fn fragments(&self) -> &'static str {
        "las rebanadas (slice) comunes llegan en fragmentos (como en el esqueleto, regla 12): todas se juzgan con ese formato"
    }

    fn missing_line(&self, revision: Revision, count: usize, ids: &str) -> String {
        let (run, cases, test) = match count {
            1 => ("corrió", "1 caso", "prueba"),
            _ => ("corrieron", &*format!("{count} casos"), "prueban"),
        };
        format!(
            "falta: el servidor habla la revisión {revision}; no se {run} {cases} que {test} funciones posteriores (help, cuerpos crudos): {ids}"
        )
    }

    fn dead_unstarted(&self, how: &str) -> String {
        format!("CAÍDO: el servidor no arrancó: {how}")
    }

    fn dead_during(&self, case: &str, how: &str, restarted: bool) -> String {
        let then = if restarted {
            "se volvió a arrancar"
        } else {
            "los casos siguientes no se corrieron"
        };
        format!("CAÍDO: el servidor se cayó durante {case}: {how}; {then}")
    }

    fn not_run_line(&self, count: usize) -> String {
        let run = if count == 1 { "corrió" } else { "corrieron" };
        let cases = many(count, "caso", "casos");
        format!("no se {run}: {cases}, porque el servidor está caído")
    }

    fn not_hftp(&self, server: &str, looks: &Foreign) -> String {
        let shown = looks.shown();
        let looks = match looks {
            Foreign::Http(_) => format!("respondió como un servidor HTTP ({shown})"),
            Foreign::Ssh(_) => format!("saludó como un servidor SSH ({shown})"),
            Foreign::Tls(_) => format!("respondió como un servidor TLS (bytes {shown})"),
            Foreign::Silent => "cerró la conexión sin mandar ni un byte".to_owned(),
            Foreign::Noise(_) => format!("mandó bytes que no son texto ({shown})"),
        };
        format!("NO ES HFTP: {server} no es un servidor HFTP: {looks}")
    }

    fn not_hftp_not_run(&self, count: usize) -> String {
        let run = if count == 1 { "corrió" } else { "corrieron" };
        let cases = many(count, "caso", "casos");
        format!("no se {run}: {cases}, porque el servidor no es HFTP")
    }

    fn not_run_not_hftp(&self) -> &'static str {
        "no se corrió: el servidor no es HFTP"
    }

    fn missing_note(&self, revision: Revision) -> String {
        format!(" (una función de {revision})")
    }

    fn failure_labels(&self) -> [&'static str; 3] {
        ["enviado:  ", "recibido: ", "esperado: "]
    }

    fn not_run_died(&self, case: &str) -> String {
        format!("no se corrió: el servidor se cayó en {case}")
    }

    fn not_run_unstarted(&self) -> &'static str {
        "no se corrió: el servidor no arrancó"
    }

    fn missing_reason(&self, needed: Revision, speaks: Revision) -> String {
        format!(
            "una función de la revisión {needed}; el servidor habla la revisión {speaks}: no se corrió"
        )
    }

    fn stay_up(&self, expected: &str, how: &str) -> String {
        let stay_up = format!("que el servidor siga andando: se cayó durante este caso ({how})");
        if expected.is_empty() {
            stay_up
        } else {
            format!("{expected}; y {stay_up}")
        }
    }

    fn html_title(&self, servers: usize, cases: usize) -> String {
        format!(
            "hftp check: {}, {}",
            many(servers, "servidor", "servidores"),
            many(cases, "caso", "casos")
        )
    }

    fn summary_heading(&self) -> &'static str {
        "Resumen"
    }

    fn summary_head(&self) -> [&'static str; 3] {
        ["servidor", "puntaje de la materia", "puntaje del contrato"]
    }

    fn summary_tail(&self) -> [&'static str; 4] {
        ["caídas", "revisión", "formato", "dirección"]
    }

    fn summary_note(&self) -> &'static str {
        "Un puntaje cuenta los casos juzgados en la revisión que habla el servidor (su \
         columna): a un servidor de 2019 no se le cuentan las funciones de 2026, que figuran \
         como faltantes, así que los puntajes de dos servidores pueden tener distinto total."
    }

    fn none_judged(&self) -> &'static str {
        "ninguno juzgado"
    }

    fn framing_unknown(&self) -> &'static str {
        "desconocido"
    }

    fn no_address(&self) -> &'static str {
        "no arrancó"
    }

    fn verdicts_heading(&self) -> &'static str {
        "Veredictos"
    }

    fn case_column(&self) -> &'static str {
        "caso"
    }

    fn absent(&self) -> &'static str {
        "no se corrió"
    }

    fn cases_heading(&self) -> &'static str {
        "Casos"
    }

    fn rests_on(&self, course: bool) -> &'static str {
        if course {
            "se basa en la materia"
        } else {
            "se basa en el contrato del proyecto"
        }
    }

    fn passed_by_all(&self) -> &'static str {
        "Lo pasaron todos los servidores."
    }

    fn passed_by(&self, names: &str) -> String {
        format!("Lo pasaron: {names}.")
    }

    fn byte_names(&self) -> [&'static str; 3] {
        ["enviado", "recibido", "esperado"]
    }

    fn nothing(&self) -> &'static str {
        "nada"
    }

    fn junit_failure(&self, word: &str, expected: &str) -> String {
        format!("{word}: se esperaba {expected}")
    }

    fn junit_non_strict(&self, word: &str) -> String {
        format!("{word} (una falla con --strict)")
    }

    fn class_line(&self, line: &ClassLine<'_>) -> String {
        let ClassLine {
            label,
            course: (course, of_course),
            contract: (contract, of_contract),
            revision,
            died,
            totals,
        } = line;
        let died = match died {
            Some(0) => String::new(),
            None => ", no arrancó".to_owned(),
            Some(1) => ", se cayó 1 vez".to_owned(),
            Some(n) => format!(", se cayó {n} veces"),
        };
        format!(
            "{label:<24} materia {course}/{of_course}, contrato {contract}/{of_contract} casos de la revisión {revision}{died}: {totals}"
        )
    }

    fn the_class(&self) -> &'static str {
        "=== el curso"
    }
}
