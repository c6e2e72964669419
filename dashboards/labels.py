"""Every chart text in English and Spanish, in one place, plus number and month formats."""

from __future__ import annotations

LANGS = ("en", "es")

LABELS: dict[str, dict[str, str]] = {
    "trucks_title": {
        "en": "Inbound trucks at the top {n} US–Mexico ports",
        "es": "Camiones que entran a EE. UU. por los {n} principales puertos de la frontera México–EE. UU.",
    },
    "trucks_subtitle": {
        "en": "Monthly inbound truck crossings by port of entry; {other} sums all other ports",
        "es": "Cruces mensuales de camiones hacia EE. UU. por puerto de entrada; {other} suma los demás puertos",
    },
    "other_ports": {"en": "Other ports", "es": "Otros puertos"},
    "month": {"en": "Month", "es": "Mes"},
    "port": {"en": "Port of entry", "es": "Puerto de entrada"},
    "trucks_axis": {"en": "Inbound trucks per month", "es": "Camiones por mes (hacia EE. UU.)"},
    "trucks_value": {"en": "Trucks", "es": "Camiones"},
    "footer": {
        "en": "Source: {publisher}, {title}. Data through {latest}; refreshed {refreshed}.",
        "es": "Fuente: {publisher}, {title}. Datos hasta {latest}; actualizado el {refreshed}.",
    },
}

MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
}
MONTHS_LONG = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}

# Vega-Lite number/time locales so axes and tooltips follow the language.
FORMAT_LOCALE = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
    "es": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0$"]},
}
TIME_LOCALE = {
    lang: {
        "dateTime": "%x, %X",
        "date": "%m/%d/%Y" if lang == "en" else "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        if lang == "en"
        else ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        if lang == "en"
        else ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
        "months": MONTHS_LONG[lang],
        "shortMonths": MONTHS[lang],
    }
    for lang in LANGS
}


def text(key: str, lang: str, **values: object) -> str:
    """The label `key` in `lang`, with `{placeholders}` filled."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} not supported; use one of {', '.join(LANGS)}")
    return LABELS[key][lang].format(**values)


def month_label(year: int, month: int, lang: str) -> str:
    """`Feb 2025` / `feb 2025`."""
    return f"{MONTHS[lang][month - 1]} {year}"
