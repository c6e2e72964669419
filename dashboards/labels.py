"""Every chart text in English and Spanish, in one place, plus number and month formats."""

from __future__ import annotations

LANGS = ("en", "es")

LABELS: dict[str, dict[str, str]] = {
    "trucks_title": {
        "en": "Inbound trucks at the top {n} ports of the {border} border",
        "es": "Camiones que entran a EE. UU. por los {n} principales puertos de la frontera {border}",
    },
    "trucks_subtitle": {
        "en": "Monthly inbound truck crossings by port of entry; {other} sums all other ports",
        "es": "Cruces mensuales de camiones hacia EE. UU. por puerto de entrada; {other} suma los demás puertos",
    },
    "other_ports": {"en": "Other ports", "es": "Otros puertos"},
    "all_ports": {"en": "ports with wait readings", "es": "puertos con lecturas de espera"},
    "wait_hour_title": {
        "en": "Wait at the line by hour of day: {scope}",
        "es": "Espera en la línea por hora del día: {scope}",
    },
    "wait_hour_subtitle": {
        "en": "Median minutes to reach the CBP booth, standard lanes, crossing's local time; {basis}",
        "es": "Mediana de minutos hasta la caseta de CBP, carriles estándar, hora local del cruce; {basis}",
    },
    "wait_basis_readings": {
        "en": "from the readings collected {first} to {last}",
        "es": "según las lecturas recogidas del {first} al {last}",
    },
    "wait_basis_profile": {
        "en": "'avg' series are CBP historical averages",
        "es": "las series 'prom.' son promedios históricos de CBP",
    },
    "wait_commercial_trucks": {"en": "commercial lanes (trucks)", "es": "carriles comerciales (camiones)"},
    "hour_axis": {"en": "Hour of day (local)", "es": "Hora del día (local)"},
    "wait_axis": {"en": "Median wait (minutes)", "es": "Espera mediana (minutos)"},
    "wait_p90": {"en": "90th percentile (minutes)", "es": "Percentil 90 (minutos)"},
    "observations": {"en": "Readings", "es": "Lecturas"},
    "crossing": {"en": "Crossing", "es": "Cruce"},
    "avg_suffix": {"en": " (avg)", "es": " (prom.)"},
    "commercial": {"en": "commercial", "es": "comercial"},
    "passenger": {"en": "passenger", "es": "vehículos particulares"},
    "pedestrian": {"en": "pedestrian", "es": "peatones"},
    "idle_title": {
        "en": "Truck idle hours at the line (estimate): {scope}",
        "es": "Horas de camiones en espera en la línea (estimación): {scope}",
    },
    "idle_subtitle": {
        "en": "Inbound trucks x median commercial wait, per port and month; CO2 at {factor} kg per idle truck-hour",
        "es": "Camiones entrantes x espera comercial mediana, por puerto y mes; CO2 a {factor} kg por hora de camión en espera",
    },
    "idle_axis": {"en": "Truck idle hours per month", "es": "Horas de camiones en espera por mes"},
    "idle_co2": {"en": "CO2 (tonnes, estimate)", "es": "CO2 (toneladas, estimación)"},
    "trucks_month": {"en": "Truck count from", "es": "Conteo de camiones de"},
    "median_wait": {"en": "Median commercial wait (min)", "es": "Espera comercial mediana (min)"},
    "month": {"en": "Month", "es": "Mes"},
    "port": {"en": "Port of entry", "es": "Puerto de entrada"},
    "trucks_axis": {"en": "Inbound trucks per month", "es": "Camiones por mes (hacia EE. UU.)"},
    "trucks_value": {"en": "Trucks", "es": "Camiones"},
    "mode_title": {
        "en": "{border} trade by transport mode",
        "es": "Comercio {border} por modo de transporte",
    },
    "mode_subtitle": {
        "en": "Monthly value of US exports to and imports from the partner, by mode, through land ports of entry",
        "es": "Valor mensual de exportaciones de EE. UU. al socio e importaciones desde él, por modo, por puertos terrestres",
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
        "en": "Exports plus imports by truck in the 12 months to {year}; value per inbound truck in the tooltip",
        "es": "Exportaciones más importaciones en camión en los 12 meses más recientes hasta {year}; valor por camión entrante en la información emergente",
    },
    "per_truck": {"en": "US$ per inbound truck", "es": "US$ por camión entrante"},
    "sectors_title": {
        "en": "US–Mexico trade in the HLED priority sectors",
        "es": "Comercio México–EE. UU. en los sectores prioritarios del DEAN",
    },
    "sectors_subtitle": {
        "en": "Monthly exports plus imports by HLED sector, by land ports of entry{where}",
        "es": "Exportaciones más importaciones mensuales por sector del DEAN, por puertos terrestres{where}",
    },
    "sector": {"en": "Sector", "es": "Sector"},
    "at_port": {"en": ", port {port}", "es": ", puerto {port}"},
    "scope": {"en": "Border or port", "es": "Frontera o puerto"},
    "border": {"en": "Border", "es": "Frontera"},
    "chosen_port": {"en": "Selected port", "es": "Puerto elegido"},
    "port_trucks_title": {"en": "Inbound trucks: {scope}", "es": "Camiones que entran a EE. UU.: {scope}"},
    "border_trucks_title": {
        "en": "Inbound trucks, US–Mexico and US–Canada borders",
        "es": "Camiones que entran a EE. UU., fronteras con México y con Canadá",
    },
    "border_trucks_subtitle": {
        "en": "Monthly inbound truck crossings; triangles mark disruptions, months far below the usual seasonal level, at their deepest month",
        "es": "Cruces mensuales de camiones hacia EE. UU.; los triángulos marcan interrupciones, meses muy por debajo del nivel estacional habitual, en su peor mes",
    },
    "shock_start": {"en": "Shock began", "es": "Inicio del choque"},
    "shock_trough": {"en": "Deepest month", "es": "Mes más profundo"},
    "shock_depth": {"en": "Below expected (%)", "es": "Por debajo de lo esperado (%)"},
    "shock_recovery": {"en": "Months to recover", "es": "Meses para recuperarse"},
    "shock_nearby": {
        "en": "Ports nearby, same month, against expected",
        "es": "Puertos cercanos, mismo mes, frente a lo esperado",
    },
    "shock_diverted": {
        "en": "Taken up nearby (% of the shortfall)",
        "es": "Absorbido por puertos cercanos (% del faltante)",
    },
    "trucks_12m_axis": {
        "en": "Inbound trucks, latest 12 months",
        "es": "Camiones hacia EE. UU., últimos 12 meses",
    },
    "change_year_pct": {"en": "Change on a year before (%)", "es": "Cambio frente a un año antes (%)"},
    "top_ports_title": {
        "en": "The {n} busiest truck ports of entry",
        "es": "Los {n} puertos de entrada con más camiones",
    },
    "top_ports_subtitle": {
        "en": "Inbound truck crossings in the 12 months to {latest}; at the end of each bar, the change on the 12 months before",
        "es": "Cruces de camiones hacia EE. UU. en los 12 meses hasta {latest}; al final de cada barra, el cambio frente a los 12 meses anteriores",
    },
    "index_2019": {"en": "Index, 2019 = 100", "es": "Índice, 2019 = 100"},
    "people_value": {"en": "People", "es": "Personas"},
    "people_2019": {"en": "People, same month of 2019", "es": "Personas, mismo mes de 2019"},
    "heatmap_title": {
        "en": "Recovery of people crossing at the busiest {border} ports",
        "es": "Recuperación de las personas que cruzan por los puertos más concurridos de la frontera {border}",
    },
    "heatmap_subtitle": {
        "en": "Pedestrians and passengers entering the US, as an index of the same month of 2019 (100 = back to 2019; blue above, orange below)",
        "es": "Peatones y pasajeros que entran a EE. UU., como índice del mismo mes de 2019 (100 = igual que en 2019; azul por encima, naranja por debajo)",
    },
    "per_truck_axis": {
        "en": "Trade per inbound truck (US$ thousands)",
        "es": "Comercio por camión entrante (miles de US$)",
    },
    "per_truck_k": {"en": "US$ thousands per truck", "es": "Miles de US$ por camión"},
    "per_truck_title": {
        "en": "Trade carried per truck crossing at the main US–Mexico ports",
        "es": "Comercio transportado por cada cruce de camión en los principales puertos México–EE. UU.",
    },
    "per_truck_subtitle": {
        "en": "Exports plus imports by truck through the port / inbound truck crossings, monthly",
        "es": "Exportaciones más importaciones en camión por el puerto / cruces de camiones hacia EE. UU., mensual",
    },
    "share_pct": {"en": "Share of trade (%)", "es": "Participación en el comercio (%)"},
    "share_axis": {"en": "Share of trade value (%)", "es": "Participación en el valor comerciado (%)"},
    "share_title": {
        "en": "How {border} trade moves: mode shares",
        "es": "Cómo se mueve el comercio {border}: participación por modo",
    },
    "share_subtitle": {
        "en": "Percent of the month's trade value by mode; a rising rail share is the greening signal",
        "es": "Porcentaje del valor comerciado del mes por modo; una participación creciente del ferrocarril es la señal verde",
    },
    "sectors_port_title": {
        "en": "HLED priority-sector trade with Mexico by port",
        "es": "Comercio con México de los sectores prioritarios del DEAN, por puerto",
    },
    "sectors_port_subtitle": {
        "en": "Exports plus imports in the 12 months to {latest}: semiconductors & ICT, medical devices, pharmaceuticals",
        "es": "Exportaciones más importaciones en los 12 meses hasta {latest}: semiconductores y TIC, dispositivos médicos, farmacéuticos",
    },
    "basis_trucks": {"en": "truck crossings", "es": "cruces de camiones"},
    "basis_trade": {"en": "trade value", "es": "valor comerciado"},
    "series": {"en": "Series", "es": "Serie"},
    "hhi_axis": {
        "en": "Herfindahl-Hirschman index (0-10,000)",
        "es": "Índice de Herfindahl-Hirschman (0-10 000)",
    },
    "hhi": {"en": "HHI", "es": "IHH"},
    "hhi_title": {
        "en": "How concentrated is the border on a few ports?",
        "es": "¿Qué tan concentrada está la frontera en pocos puertos?",
    },
    "hhi_subtitle": {
        "en": "Herfindahl-Hirschman index of the port groups' shares, monthly; higher = more dependent on few ports (a supply-chain vulnerability)",
        "es": "Índice de Herfindahl-Hirschman de la participación de los grupos de puertos, mensual; más alto = más dependencia de pocos puertos",
    },
    "equivalent_ports": {"en": "Equivalent equal-sized ports", "es": "Puertos equivalentes de igual tamaño"},
    "top_port": {"en": "Largest port group", "es": "Grupo de puertos más grande"},
    "top_share": {"en": "Its share (%)", "es": "Su participación (%)"},
    "personal_vehicle_passengers": {
        "en": "Personal-vehicle passengers",
        "es": "Pasajeros de vehículos particulares",
    },
    "pedestrians": {"en": "Pedestrians", "es": "Peatones"},
    "bus_passengers": {"en": "Bus passengers", "es": "Pasajeros de autobús"},
    "train_passengers": {"en": "Train passengers", "es": "Pasajeros de tren"},
    "people_axis": {"en": "People entering the US per month", "es": "Personas que entran a EE. UU. por mes"},
    "way": {"en": "Crossing as", "es": "Cruza como"},
    "people_title": {
        "en": "People crossing into the US: {scope}",
        "es": "Personas que cruzan hacia EE. UU.: {scope}",
    },
    "people_subtitle": {
        "en": "Monthly inbound pedestrians and passengers by way of crossing (BTS Border Crossing Entry Data)",
        "es": "Peatones y pasajeros mensuales hacia EE. UU. por forma de cruce (datos de cruces fronterizos de BTS)",
    },
    "sc_pillar": {"en": "HLED pillar", "es": "Pilar del DEAN"},
    "sc_headline": {"en": "Indicator (US–Mexico)", "es": "Indicador (México–EE. UU.)"},
    "sc_v2019": {"en": "2019", "es": "2019"},
    "sc_v2021": {"en": "2021", "es": "2021"},
    "sc_latest": {"en": "Latest", "es": "Reciente"},
    "sc_unit": {"en": "Unit", "es": "Unidad"},
    "sc_until": {"en": "ending", "es": "hasta"},
    "sc_change": {"en": "Change vs 2021", "es": "Cambio vs. 2021"},
    "sc_legend": {"en": "Change", "es": "Cambio"},
    "sc_good": {"en": "the right way", "es": "en la dirección deseada"},
    "sc_bad": {"en": "the wrong way", "es": "en la dirección contraria"},
    "sc_neutral": {"en": "no direction / no data", "es": "sin dirección / sin datos"},
    "scorecard_title": {
        "en": "HLED scorecard: is the border moving the right way?",
        "es": "Tablero del DEAN: ¿avanza la frontera en la dirección deseada?",
    },
    "scorecard_subtitle": {
        "en": "US–Mexico border; 12-month totals or averages for 2019, 2021 (the HLED relaunch) and the latest 12 months on hand; – = not on hand",
        "es": "Frontera México–EE. UU.; totales o promedios de 12 meses para 2019, 2021 (relanzamiento del DEAN) y los últimos 12 meses disponibles; – = sin datos",
    },
    "page_title": {
        "en": "US–Mexico border: HLED indicators",
        "es": "Frontera México–EE. UU.: indicadores del DEAN",
    },
    "page_intro": {
        "en": "Crossings and trade at the ports of entry, measured against the goals of the US–Mexico High-Level Economic Dialogue. Every chart can be downloaded below it.",
        "es": "Cruces y comercio en los puertos de entrada, medidos frente a los objetivos del Diálogo Económico de Alto Nivel México–EE. UU. Cada gráfica se puede descargar debajo de ella.",
    },
    "page_vintage": {
        "en": "{title} ({publisher}): {first} to {latest}, refreshed {refreshed}.",
        "es": "{title} ({publisher}): de {first} a {latest}, actualizado el {refreshed}.",
    },
    "page_port": {"en": "Port", "es": "Puerto"},
    "page_all_ports": {"en": "All ports (border view)", "es": "Todos los puertos (vista de frontera)"},
    "page_files": {"en": "Download", "es": "Descargar"},
    "page_brief": {"en": "Monthly brief", "es": "Informe mensual"},
    "page_no_data": {
        "en": "No data for this port in this chart.",
        "es": "No hay datos de este puerto para esta gráfica.",
    },
    "page_status": {"en": "{n} charts drawn, {e} errors.", "es": "{n} gráficas dibujadas, {e} errores."},
    "footer": {
        "en": "Source: {publisher}, {title}. Data through {latest}; refreshed {refreshed}.",
        "es": "Fuente: {publisher}, {title}. Datos hasta {latest}; actualizado el {refreshed}.",
    },
    "footer_gaps": {
        "en": "No data in the warehouse for {months}: the gaps in the lines (months the publisher's files do not hold).",
        "es": "Sin datos en el almacén para {months}: los huecos de las líneas (meses que los archivos del editor no contienen).",
    },
    "footer_stale": {
        "en": "Source: {publisher}, {title}. Data through {latest}: the last good data, as its refresh "
        "has failed since {since}.",
        "es": "Fuente: {publisher}, {title}. Datos hasta {latest}: los últimos datos válidos, pues su "
        "actualización falla desde el {since}.",
    },
}

# The monthly brief (dashboards/brief.py): templates filled with numbers formatted per language.
BRIEF: dict[str, dict[str, str]] = {
    "title": {"en": "{scope}: border brief, {month}", "es": "{scope}: informe fronterizo, {month}"},
    "subtitle": {
        "en": "{border} border · HLED indicators from public BTS and CBP data, computed by hled-border",
        "es": "Frontera {border} · Indicadores del DEAN (HLED) con datos públicos de BTS y CBP, calculados por hled-border",
    },
    "this_month": {"en": "This month", "es": "Este mes"},
    "measure": {"en": "Measure", "es": "Medida"},
    "vs_year": {"en": "vs {month}", "es": "frente a {month}"},
    "goal": {"en": "HLED goal", "es": "Meta del DEAN"},
    "trucks": {"en": "Inbound trucks", "es": "Camiones que entran a EE. UU."},
    "people": {"en": "People crossing inbound", "es": "Personas que cruzan hacia EE. UU."},
    "trade": {"en": "Trade with {partner}, US$ ({month})", "es": "Comercio con {partner}, US$ ({month})"},
    "toward": {"en": "toward the goal", "es": "hacia la meta"},
    "away": {"en": "away from the goal", "es": "en contra de la meta"},
    "flat": {"en": "flat", "es": "sin cambio"},
    "n/a": {"en": "n/a", "es": "s. d."},
    "sentence": {
        "en": "{measure} at {scope}: {value} in {month}, {vs_year} {month_year} and {vs_2019} {month_2019}.",
        "es": "{measure} en {scope}: {value} en {month}, {vs_year} {month_year} y {vs_2019} {month_2019}.",
    },
    "sentence_year": {
        "en": "{measure} at {scope}: {value} in {month}, {vs_year} {month_year}; no figure for {month_2019} to compare.",
        "es": "{measure} en {scope}: {value} en {month}, {vs_year} {month_year}; sin cifra de {month_2019} para comparar.",
    },
    "sentence_value": {
        "en": "{measure} at {scope}: {value} in {month}; no figure a year before or in 2019 to compare.",
        "es": "{measure} en {scope}: {value} en {month}; sin cifra de un año antes ni de 2019 para comparar.",
    },
    "more": {"en": "{pct} % more than in", "es": "{pct} % más que en"},
    "fewer": {"en": "{pct} % less than in", "es": "{pct} % menos que en"},
    "same": {"en": "about the same as in", "es": "casi lo mismo que en"},
    "unknown": {"en": "no comparison with", "es": "sin comparación con"},
    "border_phrase": {"en": "the {border} border", "es": "la frontera {border}"},
    "disruptions": {
        "en": "Disruptions in the last 12 months",
        "es": "Interrupciones en los últimos 12 meses",
    },
    "disruptions_where_border": {
        "en": "Months that fell far below what each port group's own seasonal pattern, trend and calendar predicted, at the {where} border and its port groups; changes in reporting left out.",
        "es": "Meses muy por debajo de lo que predecían el patrón estacional, la tendencia y el calendario de cada grupo de puertos, en la frontera {where} y sus grupos de puertos; sin los cambios de registro.",
    },
    "disruptions_where": {
        "en": "Months that fell far below what {where}'s own seasonal pattern, trend and calendar predicted; changes in reporting left out.",
        "es": "Meses muy por debajo de lo que predecían el patrón estacional, la tendencia y el calendario de {where}; sin los cambios de registro.",
    },
    "no_disruption": {
        "en": "No disruption detected in the last 12 months.",
        "es": "Ninguna interrupción detectada en los últimos 12 meses.",
    },
    "disruption": {
        "en": "{scope}, {measure}: from {first}, {depth} % below expected at its deepest ({trough}); {status}.",
        "es": "{scope}, {measure}: desde {first}, {depth} % por debajo de lo esperado en su peor mes ({trough}); {status}.",
    },
    "recovered": {"en": "recovered in {n} month(s)", "es": "recuperada en {n} mes(es)"},
    "ongoing": {"en": "not yet recovered", "es": "aún sin recuperarse"},
    "not_recovered": {"en": "not recovered within 36 months", "es": "sin recuperarse en 36 meses"},
    "series_ended": {"en": "the series stopped", "es": "la serie se interrumpió"},
    "diverted": {
        "en": " Nearby ports took up {pct} % of the shortfall.",
        "es": " Los puertos cercanos absorbieron el {pct} % del faltante.",
    },
    "measure_trucks": {"en": "trucks", "es": "camiones"},
    "measure_personal_vehicle_passengers": {
        "en": "personal-vehicle passengers",
        "es": "pasajeros de vehículos particulares",
    },
    "measure_pedestrians": {"en": "pedestrians", "es": "peatones"},
    "sectors": {
        "en": "HLED priority sectors: trade with {partner}, 12 months to {month}",
        "es": "Sectores prioritarios del DEAN: comercio con {partner}, 12 meses hasta {month}",
    },
    "sector": {"en": "Sector", "es": "Sector"},
    "value_usd": {"en": "US$", "es": "US$"},
    "vs_prev_12m": {"en": "vs the 12 months before", "es": "frente a los 12 meses anteriores"},
    "no_sectors": {
        "en": "No priority-sector trade on record.",
        "es": "Sin comercio de sectores prioritarios registrado.",
    },
    "scorecard": {"en": "HLED scorecard, {scope} border", "es": "Tablero del DEAN, frontera {scope}"},
    "pillar": {"en": "Pillar", "es": "Pilar"},
    "headline": {"en": "Indicator", "es": "Indicador"},
    "latest": {"en": "Latest 12 months", "es": "Últimos 12 meses"},
    "vs_2019": {"en": "vs 2019", "es": "frente a 2019"},
    "vs_2021": {"en": "vs 2021", "es": "frente a 2021"},
    "right_way": {"en": "right way", "es": "buen rumbo"},
    "wrong_way": {"en": "wrong way", "es": "mal rumbo"},
    "waits": {"en": "Wait times and idling", "es": "Tiempos de espera y motores en marcha"},
    "no_waits": {
        "en": "Wait times are not collected for {scope} (hled waits collects CBP's live feed).",
        "es": "No se recogen tiempos de espera para {scope} (hled waits recoge el feed en vivo de CBP).",
    },
    "wait": {
        "en": "{crossing}, {lane}, {month}: median {median} min, 90th percentile {p90} min.",
        "es": "{crossing}, {lane}, {month}: mediana {median} min, percentil 90 {p90} min.",
    },
    "idle": {
        "en": "Trucks idled an estimated {hours} hours at the line in {month}: about {tonnes} t of CO2 (estimate).",
        "es": "Los camiones esperaron en la línea unas {hours} horas en {month}: cerca de {tonnes} t de CO2 (estimación).",
    },
    "revisions": {
        "en": "Revisions since the previous refresh",
        "es": "Revisiones desde la actualización anterior",
    },
    "first_refresh": {
        "en": "This warehouse is the first refresh: there is no earlier one to compare with. "
        "Revisions are listed from the next refresh on.",
        "es": "Este almacén es la primera actualización: no hay una anterior con la cual comparar. "
        "Las revisiones se listan a partir de la próxima actualización.",
    },
    "no_revisions": {
        "en": "Against the refresh of {date}, the publishers revised no value of a month already published.",
        "es": "Frente a la actualización del {date}, los editores no revisaron ningún valor de un mes ya publicado.",
    },
    "revisions_count": {
        "en": "Against the refresh of {date}, the publishers revised {n} value(s) of months already "
        "published; the largest:",
        "es": "Frente a la actualización del {date}, los editores revisaron {n} valor(es) de meses ya "
        "publicados; los mayores:",
    },
    "revision": {
        "en": "{port}, {month}, {item}: from {old} to {new}.",
        "es": "{port}, {month}, {item}: de {old} a {new}.",
    },
    "sources": {"en": "Sources and vintage", "es": "Fuentes y vigencia"},
    "source_line": {
        "en": "{title} ({publisher}): data to {latest}, refreshed {refreshed}; {status}.",
        "es": "{title} ({publisher}): datos hasta {latest}, actualizados el {refreshed}; {status}.",
    },
    "current": {"en": "current", "es": "al día"},
    "stale": {"en": "stale: its last refresh failed", "es": "desactualizada: su última actualización falló"},
    "method": {
        "en": "Figures are read from the published warehouse's marts; definitions in the project's indicator catalog. "
        "People: personal-vehicle, bus and train passengers and pedestrians entering the US.",
        "es": "Las cifras se leen de los marts del almacén publicado; definiciones en el catálogo de indicadores del proyecto. "
        "Personas: pasajeros de vehículos particulares, autobuses y trenes y peatones que entran a EE. UU.",
    },
    "port_scope": {"en": "{name} ({code})", "es": "{name} ({code})"},
    "trend_title": {"en": "Inbound trucks, last 36 months", "es": "Camiones hacia EE. UU., últimos 36 meses"},
}
PARTNER = {"US-Mexico": {"en": "Mexico", "es": "México"}, "US-Canada": {"en": "Canada", "es": "Canadá"}}

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


def _fill(table: dict[str, dict[str, str]], key: str, lang: str, values: dict[str, object]) -> str:
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} not supported; use one of {', '.join(LANGS)}")
    return table[key][lang].format(**values)


def text(key: str, lang: str, **values: object) -> str:
    """The label `key` in `lang`, with `{placeholders}` filled."""
    return _fill(LABELS, key, lang, values)


BORDER_NAMES = {
    "US-Mexico": {"en": "US–Mexico", "es": "México–EE. UU."},
    "US-Canada": {"en": "US–Canada", "es": "Canadá–EE. UU."},
}


UNITS_ES = {
    "trucks": "camiones",
    "people": "personas",
    "percent of truck containers": "% de contenedores de camión",
    "US dollars per inbound truck": "US$ por camión entrante",
    "US dollars (current)": "US$ (corrientes)",
    "percent of trade value": "% del valor comerciado",
    "index 0-10,000": "índice 0-10 000",
}


# The publishers in marts.data_vintage are written in English; their Spanish wording for footers.
PUBLISHER_ES = {
    "U.S. DOT Bureau of Transportation Statistics": "Oficina de Estadísticas de Transporte (BTS) del DOT de EE. UU.",
    "from Census foreign-trade data": "con datos de comercio exterior del Census Bureau",
    "from CBP": "con datos de CBP",
    "U.S. Customs and Border Protection": "Oficina de Aduanas y Protección Fronteriza (CBP) de EE. UU.",
    "collected by this pipeline": "recogidos por este sistema",
    "TransBorder code lists": "listas de códigos de TransBorder",
}


# Port-group names that are the project's own (warehouse/sql/derive/06_port_groups.sql), in Spanish.
GROUP_NAMES_ES = {"El Paso area (El Paso + Ysleta)": "Zona de El Paso (El Paso + Ysleta)"}


def group_name(name: str, lang: str) -> str:
    """A port group's name (or label) as readers of the language write it."""
    if lang == "es":
        for english, spanish in GROUP_NAMES_ES.items():
            name = name.replace(english, spanish)
    return name


def publisher_name(publisher: str, lang: str) -> str:
    """A source's publisher as readers of the language write it."""
    if lang == "es":
        for english, spanish in PUBLISHER_ES.items():
            publisher = publisher.replace(english, spanish)
    return publisher


def unit_name(unit: str, lang: str) -> str:
    """A scorecard unit in the language (the declarations in warehouse/indicators.py are in English)."""
    return UNITS_ES.get(unit, unit) if lang == "es" else unit


def border_name(border: str, lang: str) -> str:
    """A border as readers of the language write it."""
    return BORDER_NAMES.get(border, {}).get(lang, border)


def fmt_number(
    value: float | None, lang: str, signed: bool = False, whole: bool = False, exact: bool = False
) -> str:
    """A number for a table cell, with the language's separators; billions and millions shortened
    unless `exact`; `whole` for counts (no decimals)."""
    if value is None:
        return "–"
    sign = "+" if signed and value > 0 else ""
    for size, suffix in ((1e9, {"en": " bn", "es": " mil M"}), (1e6, {"en": " M", "es": " M"})):
        if abs(value) >= size and not exact:
            return sign + _separators(f"{value / size:,.1f}", lang) + suffix[lang]
    digits = 0 if whole or abs(value) >= 1000 else 1 if abs(value) >= 10 else 2
    return sign + _separators(f"{value:,.{digits}f}", lang)


def _separators(formatted: str, lang: str) -> str:
    locale = FORMAT_LOCALE[lang]
    return formatted.replace(",", "\0").replace(".", locale["decimal"]).replace("\0", locale["thousands"])


def brief_text(key: str, lang: str, **values: object) -> str:
    """A sentence or heading of the monthly brief in `lang`, with `{placeholders}` filled."""
    return _fill(BRIEF, key, lang, values)


def month_long(year: int, month: int, lang: str) -> str:
    """`February 2025` / `febrero de 2025`."""
    name = MONTHS_LONG[lang][month - 1]
    return f"{name} {year}" if lang == "en" else f"{name} de {year}"


def fmt_pct(value: float | None, lang: str, signed: bool = True) -> str:
    """A percentage with one decimal in the language's notation: `+7.5` / `+7,5`."""
    if value is None:
        return BRIEF["n/a"][lang]
    return _separators(f"{value:+,.1f}" if signed else f"{value:,.1f}", lang)


def month_label(year: int, month: int, lang: str) -> str:
    """`Feb 2025` / `feb 2025`."""
    return f"{MONTHS[lang][month - 1]} {year}"
