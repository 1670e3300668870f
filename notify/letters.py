"""Letters to tenants before their first hearing, as printed: English on the front, Spanish on
the back, for a #10 double-window envelope; Avery 5160 label sheets and a mail house's CSV.

A letter states only what the court published (the case number, the court, the hearing's date,
time and place) and what the partner offers; its wording is the partner's own where it wrote one
(evictwatch.config_letters), else the defaults here. Everything printed is one plain line:
control and bidirectional characters are gone before a template sees it (and it autoescapes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from notify.render import clock_text, environment
from notify.rows import table_csv
from pipeline.store.contacts import clean_note

SPANISH_DAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
SPANISH_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                  "octubre", "noviembre", "diciembre")


@dataclass(frozen=True, slots=True)
class Wording:
    greeting: str
    body: str
    closing: str


ENGLISH = Wording(
    greeting="Dear tenant,",
    body="{partner} gives free legal help to tenants facing eviction. We can talk with you about your case "
         "before the hearing, and help you prepare for it, at no cost to you.",
    closing="Sincerely,",
)
SPANISH = Wording(
    greeting="Estimado/a inquilino/a:",
    body="{partner} ofrece ayuda legal gratuita a inquilinos que enfrentan un desalojo. Podemos hablar con "
         "usted sobre su caso antes de la audiencia y ayudarle a prepararse, sin ningún costo para usted.",
    closing="Atentamente,",
)


@dataclass(frozen=True, slots=True)
class Sender:
    partner: str
    return_lines: tuple[str, ...]  # the envelope's upper window, the partner's name first
    phone: str
    signature: str
    english: Wording
    spanish: Wording


@dataclass(frozen=True, slots=True)
class Letter:
    letter_id: str  # the case number, and a household's number where a case has several
    court: str  # the court's id
    court_name: str
    case_number: str
    hearing_date: dt.date
    hearing_time: dt.time | None
    place: str  # the court's address where configured, and the courtroom where known
    names: tuple[str, ...]
    all_occupants: bool
    street: str
    unit: str | None
    city: str | None
    state: str | None
    zip5: str | None

    @property
    def name_lines(self) -> list[str]:
        """Whom the envelope names: two tenants at most ("ET AL" for more), and the occupants."""
        names = [plain(n).upper() for n in self.names[:2]]
        if len(self.names) > 2:
            names[-1] += " ET AL"
        if self.all_occupants:
            names.append("AND ALL OTHER OCCUPANTS" if names else "ALL OCCUPANTS")
        return names

    @property
    def address_lines(self) -> list[str]:
        """As the Postal Service reads an envelope: names, then the street and unit, then the city line."""
        street = " ".join(part for part in (plain(self.street), plain(self.unit)) if part)
        city = " ".join(part for part in (plain(self.city), plain(self.state), plain(self.zip5)) if part)
        return self.name_lines + [line.upper() for line in (street, city) if line]


def plain(text: str | None) -> str:
    """One printable line: no control, line-break or bidirectional characters."""
    return clean_note(text) or ""


def english_day(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def spanish_day(day: dt.date) -> str:
    return f"{SPANISH_DAYS[day.weekday()]} {day.day} de {SPANISH_MONTHS[day.month - 1]} de {day.year}"


def spanish_clock(t: dt.time | None) -> str:
    if t is None:
        return ""
    return f"{t.hour % 12 or 12}:{t.minute:02d} {'a. m.' if t.hour < 12 else 'p. m.'}"


def _page(letter: Letter, sender: Sender) -> dict:
    return {
        "id": letter.letter_id, "case_number": plain(letter.case_number), "court": plain(letter.court_name),
        "place": plain(letter.place), "address": letter.address_lines,
        "en_when": english_day(letter.hearing_date), "en_time": clock_text(letter.hearing_time),
        "es_when": spanish_day(letter.hearing_date), "es_time": spanish_clock(letter.hearing_time),
    }


def render_letters(letters: Sequence[Letter], sender: Sender) -> str:
    """Every letter as two printed pages (front English, back Spanish): print duplex, long edge."""
    partner = plain(sender.partner)
    wording = {lang: {"greeting": plain(w.greeting), "body": plain(w.body.replace("{partner}", partner)),
                      "closing": plain(w.closing)}
               for lang, w in (("en", sender.english), ("es", sender.spanish))}
    return environment().get_template("letters.html.j2").render(
        letters=[_page(letter, sender) for letter in letters], wording=wording,
        return_lines=[plain(line) for line in sender.return_lines] or [partner], phone=plain(sender.phone),
        signature=plain(sender.signature) or partner, partner=partner)


def render_labels(letters: Sequence[Letter]) -> str:
    """Avery 5160 sheets (30 labels a US Letter page): one label a letter, in the letters' order."""
    return environment().get_template("labels.html.j2").render(labels=[letter.address_lines for letter in letters])


MAIL_HOUSE_COLUMNS = (
    ("Letter", lambda r: r.letter_id),
    ("Name", lambda r: (r.name_lines or [""])[0]),
    ("Name 2", lambda r: " ".join(r.name_lines[1:])),
    ("Address line 1", lambda r: plain(r.street).upper()),
    ("Address line 2", lambda r: plain(r.unit).upper()),
    ("City", lambda r: plain(r.city).upper()),
    ("State", lambda r: plain(r.state).upper()),
    ("ZIP", lambda r: plain(r.zip5)),
    ("Case number", lambda r: r.case_number),
    ("Court", lambda r: plain(r.court_name)),
    ("Hearing date", lambda r: r.hearing_date),
    ("Pages", lambda r: "2 (duplex: English front, Spanish back)"),
)


def mail_house_csv(letters: Sequence[Letter]) -> bytes:
    """The letters as a print-and-mail service takes them: one row a letter (cells made safe for
    a spreadsheet by notify.rows)."""
    return table_csv(MAIL_HOUSE_COLUMNS, letters)
