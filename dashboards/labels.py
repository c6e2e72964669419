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
    "mode_title": {
        "en": "US–Mexico trade by transport mode",
        "es": "Comercio México–EE. UU. por modo de transporte",
    },
    "mode_subtitle": {
        "en": "Monthly value of US exports to and imports from Mexico, by mode (BTS TransBorder table 1)",
        "es": "Valor mensual de exportaciones de EE. UU. a México e importaciones desde México, por modo (tabla 1 de TransBorder)",
    },
    "mode": {"en": "Mode", "es": "Modo"},
    "value_bn_axis": {
        "en": "Trade value (US$ billions)",
        "es": "Valor del comercio (miles de millones de US$)",
    },
    "value_bn": {"en": "US$ billions", "es": "Miles de millones de US$"},
    "truck_ports_title": {
        "en": "Top US–Mexico ports by trade carried by truck",
        "es": "Principales puertos México–EE. UU. por comercio transportado en camión",
    },
    "truck_ports_subtitle": {
        "en": "Exports plus imports by truck over the 12 latest months of {year}; value per inbound truck in the tooltip",
        "es": "Exportaciones más importaciones en camión en los 12 meses más recientes hasta {year}; valor por camión entrante en la información emergente",
    },
    "per_truck": {"en": "US$ per inbound truck", "es": "US$ por camión entrante"},
    "sectors_title": {
        "en": "US–Mexico trade in the HLED priority sectors",
        "es": "Comercio México–EE. UU. en los sectores prioritarios del DEAN",
    },
    "sectors_subtitle": {
        "en": "Monthly exports plus imports by HLED sector (HS chapters; BTS TransBorder table 3){where}",
        "es": "Exportaciones más importaciones mensuales por sector del DEAN (capítulos SA; tabla 3 de TransBorder){where}",
    },
    "sector": {"en": "Sector", "es": "Sector"},
    "at_port": {"en": ", port {port}", "es": ", puerto {port}"},
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
