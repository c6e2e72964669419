"""Every chart text in English and Spanish, in one place, plus number and month formats."""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton, get_day_names, get_month_names
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from warehouse.safe_text import visible

LANGS = ("en", "es")


def _week(names: dict) -> list:
    """Babel's day names (Monday = 0) in Vega's order, Sunday first."""
    return [names[6]] + [names[d] for d in range(6)]


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
    "window_missing": {
        "en": " · only {on_hand} of 12 months: {months} not published",
        "es": " · solo {on_hand} de 12 meses: {months} sin publicar",
    },
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
        "en": "Monthly value of US exports to and imports from the partner, by mode, through every US port (land, sea, air and pipeline)",
        "es": "Valor mensual de exportaciones de EE. UU. al socio e importaciones desde él, por modo, por todos los puertos de EE. UU. (terrestres, marítimos, aéreos y ductos)",
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
        "en": "Exports plus imports by truck in the 12 months to {latest}; value per inbound truck in the tooltip{missing}",
        "es": "Exportaciones más importaciones en camión en los 12 meses hasta {latest}; valor por camión entrante en la información emergente{missing}",
    },
    "per_truck": {"en": "US$ per inbound truck", "es": "US$ por camión entrante"},
    "sectors_title": {
        "en": "US–Mexico trade in the HLED priority sectors",
        "es": "Comercio México–EE. UU. en los sectores prioritarios del DEAN",
    },
    "sectors_subtitle": {
        "en": "Monthly exports plus imports by HLED sector (HS chapters), every mode, through every US port{where}",
        "es": "Exportaciones más importaciones mensuales por sector del DEAN (capítulos del SA), todos los modos, por todos los puertos de EE. UU.{where}",
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
        "en": "Pedestrians and passengers entering the US, as an index of the same month of 2019 (100 = back to 2019; blue above, orange below); blank: a port did not report one of its usual counts (a gap, not a drop)",
        "es": "Peatones y pasajeros que entran a EE. UU., como índice del mismo mes de 2019 (100 = igual que en 2019; azul por encima, naranja por debajo); en blanco: un puerto no reportó uno de sus conteos habituales (un hueco, no una caída)",
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
    "products_port_title": {
        "en": "HLED products with Mexico by port, named exactly",
        "es": "Productos del DEAN con México por puerto, nombrados con exactitud",
    },
    "products_port_subtitle": {
        "en": "Exports plus imports, every mode, in the 12 months to {latest}, from the Census trade API by HS heading: integrated circuits and semiconductor devices, medical devices, medicines{missing}",
        "es": "Exportaciones más importaciones, todos los modos, en los 12 meses hasta {latest}, de la API de comercio del Census por partida del SA: circuitos integrados y dispositivos semiconductores, dispositivos médicos, medicamentos{missing}",
    },
    "product": {"en": "Product", "es": "Producto"},
    "chapter": {"en": "HS chapter", "es": "Capítulo del SA"},
    "chapter_m": {"en": "Whole chapter, US$ millions", "es": "Capítulo completo, millones de US$"},
    "value_m_axis": {"en": "Trade value (US$ millions)", "es": "Valor del comercio (millones de US$)"},
    "value_m": {"en": "US$ millions", "es": "Millones de US$"},
    "share_of_chapter": {"en": "Share of the chapter, %", "es": "Parte del capítulo, %"},
    "sectors_port_subtitle": {
        "en": "Exports plus imports, every mode, in the 12 months to {latest}: HS 85 (electrical machinery incl. semiconductors), HS 90 (optical & medical instruments), HS 30 (pharmaceuticals){missing}",
        "es": "Exportaciones más importaciones, todos los modos, en los 12 meses hasta {latest}: SA 85 (maquinaria eléctrica, incl. semiconductores), SA 90 (instrumentos ópticos y médicos), SA 30 (farmacéuticos){missing}",
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
        "en": "No data published for {months}: the gaps in the lines (months the publisher's files do not hold).",
        "es": "Sin datos publicados para {months}: los huecos de las líneas (meses que no contienen los archivos de la fuente).",
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
        "es": "Frontera {border} · Indicadores del Diálogo Económico de Alto Nivel (DEAN) con datos públicos de BTS y CBP, calculados por hled-border",
    },
    "subtitle_alongside": {
        "en": "{border} border · measured alongside the US–Mexico border from public BTS and CBP data, without HLED verdicts (the HLED is a US–Mexico dialogue); computed by hled-border",
        "es": "Frontera {border} · medida junto a la frontera México–EE. UU. con datos públicos de BTS y CBP, sin juicios del DEAN (el DEAN es un diálogo México–EE. UU.); calculado por hled-border",
    },
    "net_calendar": {"en": "vs {month}, net of calendar", "es": "frente a {month}, sin efecto calendario"},
    "trade_measure": {
        "en": "Trade with {partner} (all modes)",
        "es": "Comercio con {partner} (todos los modos)",
    },
    "unit_trucks": {"en": "{n} trucks", "es": "{n} camiones"},
    "unit_people": {"en": "{n} people", "es": "{n} personas"},
    "unit_usd": {"en": "US${n}", "es": "US${n}"},
    "unit_pct": {"en": "{n} %", "es": "{n} %"},
    "unit_usd_per_truck": {"en": "US${n} per truck", "es": "US${n} por camión"},
    "unit_index": {"en": "{n} of 10,000", "es": "{n} de 10,000"},
    "unit_minutes": {"en": "{n} min", "es": "{n} min"},
    "unit_number": {"en": "{n}", "es": "{n}"},
    "working_days": {"en": "working days", "es": "días hábiles"},
    "days": {"en": "days", "es": "días"},
    "calendar_note": {
        "en": "{measure}: the calendar explains most of this change. {Month} had {days} {basis} against {days_before} in {month_year}; net of the calendar the change is {net} %{judged}.",
        "es": "{measure}: el calendario explica la mayor parte de este cambio. {Month} tuvo {days} {basis} frente a {days_before} en {month_year}; sin efecto calendario el cambio es de {net} %{judged}.",
    },
    "judged_on_it": {
        "en": ", and the HLED direction is judged on that",
        "es": ", y la dirección frente a la meta del DEAN se juzga con esa cifra",
    },
    "gap_note": {
        "en": "{measure}: compared like for like. {cells} {reported} in {month_year} but not in {month}; {left_out} of both months. As published, the change is {raw} %.",
        "es": "{measure}: comparación homogénea. {cells} {reported} en {month_year} pero no en {month}; {left_out} de ambos meses. Con las cifras publicadas, el cambio es de {raw} %.",
    },
    "gap_note_new": {
        "en": "{measure}: compared like for like. {cells} {reported} in {month} but not in {month_year}; {left_out} of both months. As published, the change is {raw} %.",
        "es": "{measure}: comparación homogénea. {cells} {reported} en {month} pero no en {month_year}; {left_out} de ambos meses. Con las cifras publicadas, el cambio es de {raw} %.",
    },
    "reported_one": {"en": "reported", "es": "se reportó"},
    "reported_many": {"en": "reported", "es": "se reportaron"},
    "left_out_one": {"en": "it is left out", "es": "se excluye"},
    "left_out_many": {"en": "they are left out", "es": "se excluyen"},
    "and_more": {"en": "{cells} and {n} more", "es": "{cells} y {n} más"},
    "this_month": {"en": "This month", "es": "Este mes"},
    "measure": {"en": "Measure", "es": "Medida"},
    "vs_year": {"en": "vs {month}", "es": "frente a {month}"},
    "goal": {"en": "HLED goal", "es": "Meta del DEAN"},
    "trucks": {"en": "Inbound trucks", "es": "Camiones que entran a EE. UU."},
    "people": {"en": "People crossing inbound", "es": "Personas que cruzan hacia EE. UU."},
    "trade": {
        "en": "Trade with {partner}, all modes ({month})",
        "es": "Comercio con {partner}, todos los modos ({month})",
    },
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
        "en": "Disruptions in the last 12 months and those still under way",
        "es": "Interrupciones de los últimos 12 meses y las que siguen en curso",
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
        "en": "No disruption detected in the last 12 months, and none still under way.",
        "es": "Ninguna interrupción detectada en los últimos 12 meses, y ninguna en curso.",
    },
    "disruption": {
        "en": "{scope}, {measure}: from {first}, {depth} % below what its own past predicted at its deepest ({trough}); {status}.",
        "es": "{scope}, {measure}: desde {first}, {depth} % por debajo de lo que predecía su propio historial en su peor mes ({trough}); {status}.",
    },
    "recovered": {"en": "recovered in {n} month(s)", "es": "recuperada en {n} mes(es)"},
    "ongoing": {"en": "not yet recovered", "es": "aún sin recuperarse"},
    "not_recovered": {"en": "not recovered within 36 months", "es": "sin recuperarse en 36 meses"},
    "series_ended": {"en": "the series stopped", "es": "la serie se interrumpió"},
    "below_peers": {
        "en": " The border's other ports did not share it: {pct} % below what they predicted for this port.",
        "es": " Los demás puertos de la frontera no la compartieron: {pct} % por debajo de lo que predecían para este puerto.",
    },
    "shared_with_peers": {
        "en": " The border's other ports fell with it: against what they predicted for this port, {pct} %.",
        "es": " Los demás puertos de la frontera cayeron con ella: frente a lo que predecían para este puerto, {pct} %.",
    },
    "part_of_border": {
        "en": " Part of a fall across the whole border from {month}.",
        "es": " Parte de una caída en toda la frontera desde {month}.",
    },
    "groups_with_it": {
        "en": " {n} port groups fell with it.",
        "es": " {n} grupos de puertos cayeron con ella.",
    },
    "earlier_disruptions": {
        "en": "Earlier disruptions since the HLED relaunch ({month})",
        "es": "Interrupciones anteriores desde el relanzamiento del DEAN ({month})",
    },
    "diverted": {
        "en": " Nearby ports took up {pct} % of the shortfall.",
        "es": " Los puertos cercanos absorbieron el {pct} % del faltante.",
    },
    "diverted_more": {
        "en": " Nearby ports carried more than the whole shortfall above what was expected of them ({pct} % of it).",
        "es": " Los puertos cercanos llevaron más que todo el faltante por encima de lo esperado de ellos ({pct} % del faltante).",
    },
    "measure_trucks": {"en": "trucks", "es": "camiones"},
    "measure_personal_vehicle_passengers": {
        "en": "personal-vehicle passengers",
        "es": "pasajeros de vehículos particulares",
    },
    "measure_pedestrians": {"en": "pedestrians", "es": "peatones"},
    "measure_bus_passengers": {"en": "bus passengers", "es": "pasajeros de autobús"},
    "measure_train_passengers": {"en": "train passengers", "es": "pasajeros de tren"},
    "measure_personal_vehicles": {"en": "personal vehicles", "es": "vehículos particulares"},
    "measure_buses": {"en": "buses", "es": "autobuses"},
    "measure_trains": {"en": "trains", "es": "trenes"},
    "measure_truck_containers_loaded": {
        "en": "loaded truck containers",
        "es": "contenedores de camión cargados",
    },
    "measure_truck_containers_empty": {"en": "empty truck containers", "es": "contenedores de camión vacíos"},
    "measure_rail_containers_loaded": {
        "en": "loaded rail containers",
        "es": "contenedores de ferrocarril cargados",
    },
    "measure_rail_containers_empty": {
        "en": "empty rail containers",
        "es": "contenedores de ferrocarril vacíos",
    },
    "measure_trade_value_usd": {"en": "trade (US$)", "es": "comercio (US$)"},
    "sectors": {
        "en": "HLED priority sectors: trade with {partner}, all modes, 12 months to {month}",
        "es": "Sectores prioritarios del DEAN: comercio con {partner}, todos los modos, 12 meses hasta {month}",
    },
    "sectors_border_table": {
        "en": "From TransBorder's state-by-commodity table, which has every month and matches the sum over the ports where both are published. Sectors are HS chapters: wider than their names.",
        "es": "De la tabla de TransBorder por estado y mercancía, que tiene todos los meses y coincide con la suma de los puertos donde ambas se publican. Los sectores son capítulos del SA: más amplios que su nombre.",
    },
    "sectors_port_table": {
        "en": "From TransBorder's port-by-commodity table. Sectors are HS chapters: wider than their names.",
        "es": "De la tabla de TransBorder por puerto y mercancía. Los sectores son capítulos del SA: más amplios que su nombre.",
    },
    "products_note": {
        "en": "The products named exactly, each the sum of its HS headings, come from the Census trade API by port (12 months to {month}); the chapters above stand in for them where only chapters are published.",
        "es": "Los productos nombrados con exactitud, cada uno la suma de sus partidas del SA, vienen de la API de comercio del Census por puerto (12 meses hasta {month}); los capítulos de arriba los representan donde solo se publican capítulos.",
    },
    "sectors_missing": {
        "en": "{on_hand} of 12 months: {months} not published; the values cover {on_hand} months and the change compares the same {compared} months a year before.",
        "es": "{on_hand} de 12 meses: {months} sin publicar; los valores cubren {on_hand} meses y el cambio compara los mismos {compared} meses un año antes.",
    },
    "sectors_compared": {
        "en": "The change compares the {compared} months on hand in both years.",
        "es": "El cambio compara los {compared} meses disponibles en ambos años.",
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
    "latest": {"en": "Value", "es": "Valor"},
    "window": {"en": "Window", "es": "Periodo"},
    "window_total": {"en": "total, 12 months to {month}", "es": "total, 12 meses hasta {month}"},
    "window_average": {"en": "average, 12 months to {month}", "es": "promedio, 12 meses hasta {month}"},
    "vs_2019": {"en": "vs 2019", "es": "frente a 2019"},
    "vs_2021": {"en": "vs 2021", "es": "frente a 2021"},
    "right_way": {"en": "right way", "es": "buen rumbo"},
    "wrong_way": {"en": "wrong way", "es": "mal rumbo"},
    "waits": {"en": "Wait times and idling", "es": "Tiempos de espera y motores en marcha"},
    "no_waits": {
        "en": "CBP wait times are not collected for {scope}.",
        "es": "No se registran tiempos de espera de CBP para {scope}.",
    },
    "wait": {
        "en": "{crossing}, {lane}, {month}: median {median} min, 90th percentile {p90} min (readings on {days} of {month_days} days).",
        "es": "{crossing}, {lane}, {month}: mediana {median} min, percentil 90 {p90} min (lecturas en {days} de {month_days} días).",
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
        "en": "This is the first refresh: there is no earlier one to compare with. "
        "Revisions are listed from the next refresh on.",
        "es": "Esta es la primera actualización: no hay una anterior con la cual comparar. "
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
    "behind": {
        "en": "behind: its publisher usually has {expected} out by now",
        "es": "atrasada: la fuente suele tener publicado {expected} a estas fechas",
    },
    "state_collecting": {"en": "collecting", "es": "en registro"},
    "state_collection_stopped": {
        "en": "stale: the collection has stopped",
        "es": "desactualizada: el registro se detuvo",
    },
    "state_never collected": {"en": "never collected", "es": "nunca registrada"},
    "source_missing": {
        "en": "{title}: no data published: its refresh has failed since {since}.",
        "es": "{title}: sin datos publicados: su actualización falla desde el {since}.",
    },
    "stale": {"en": "stale: its last refresh failed", "es": "desactualizada: su última actualización falló"},
    "method": {
        "en": "Figures computed by hled-border from the public data above; definitions in the project's indicator catalog. "
        "People: personal-vehicle, bus and train passengers and pedestrians entering the US. Changes on a year before "
        "compare the port counts on hand in both months; net of the calendar, they are per working day (trucks, trade) "
        "or per day (people).",
        "es": "Cifras calculadas por hled-border con los datos públicos citados; definiciones en el catálogo de indicadores del proyecto. "
        "Personas: pasajeros de vehículos particulares, autobuses y trenes y peatones que entran a EE. UU. Los cambios frente a un año antes "
        "comparan los conteos de puertos disponibles en ambos meses; sin efecto calendario, son por día hábil (camiones, comercio) "
        "o por día (personas).",
    },
    "port_scope": {"en": "{name} ({code})", "es": "{name} ({code})"},
    "trend_title": {"en": "Inbound trucks, last 36 months", "es": "Camiones hacia EE. UU., últimos 36 meses"},
    "page_footer": {
        "en": "{title} · Sources: {sources} · Refreshed {refreshed} · Page {page} of {pages}",
        "es": "{title} · Fuentes: {sources} · Actualizado el {refreshed} · Página {page} de {pages}",
    },
    "source_short": {"en": "{title}, data to {latest}", "es": "{title}, datos hasta {latest}"},
    "wait_state_never": {
        "en": "CBP wait times have never been collected: no wait figure can be given.",
        "es": "Los tiempos de espera de CBP nunca se han registrado: no hay cifras de espera.",
    },
    "wait_state_stale": {
        "en": "CBP wait times stopped being collected after {latest}: the figures below are the last ones on hand.",
        "es": "Los tiempos de espera de CBP dejaron de registrarse después de {latest}: las cifras siguientes son las últimas disponibles.",
    },
}
PARTNER = {"US-Mexico": {"en": "Mexico", "es": "México"}, "US-Canada": {"en": "Canada", "es": "Canadá"}}

# The locale of each language: readers of the Spanish brief are in Mexico (es_MX: 591,249, 4.3 %,
# 72.5 mil millones, febrero de 2025), not in Spain.
LOCALES = {"en": "en_US", "es": "es_MX"}
MONTHS = {
    lang: [str(m) for m in get_month_names("abbreviated", "stand-alone", LOCALES[lang]).values()]
    for lang in LANGS
}
MONTHS_LONG = {
    lang: [str(m) for m in get_month_names("wide", "format", LOCALES[lang]).values()] for lang in LANGS
}
# Shortened large numbers: the words readers of each language use for them.
LARGE = {"en": ((1e9, " bn"), (1e6, " M")), "es": ((1e9, " mil millones"), (1e6, " millones"))}


def _vega_number_locale(lang: str) -> dict:
    symbols = get_decimal_symbol(LOCALES[lang]), get_group_symbol(LOCALES[lang])
    return {"decimal": symbols[0], "thousands": symbols[1], "grouping": [3], "currency": ["$", ""]}


# Vega-Lite number/time locales so axes and tooltips follow the language (from the same locale data).
FORMAT_LOCALE = {lang: _vega_number_locale(lang) for lang in LANGS}
TIME_LOCALE = {
    lang: {
        "dateTime": "%x, %X",
        "date": "%m/%d/%Y" if lang == "en" else "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"] if lang == "en" else ["a. m.", "p. m."],
        "days": [str(d) for d in _week(get_day_names("wide", "format", LOCALES[lang]))],
        "shortDays": [str(d) for d in _week(get_day_names("abbreviated", "format", LOCALES[lang]))],
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
    """A port group's name (or label) as readers of the language write it, control characters from the
    data shown as U+FFFD."""
    name = visible(name)
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
    """A number for a table cell in the language's locale (Babel); billions and millions shortened
    ("72.5 bn" / "72.5 mil millones") unless `exact`; `whole` for counts (no decimals)."""
    if value is None:
        return "–"
    sign = "+" if signed and value > 0 else ""
    for size, suffix in LARGE[lang]:
        if abs(value) >= size and not exact:
            return sign + format_decimal(value / size, "#,##0.0", locale=LOCALES[lang]) + suffix
    digits = 0 if whole or abs(value) >= 1000 else 1 if abs(value) >= 10 else 2
    return sign + format_decimal(
        value, "#,##0" + ("." + "0" * digits if digits else ""), locale=LOCALES[lang]
    )


def brief_text(key: str, lang: str, **values: object) -> str:
    """A sentence or heading of the monthly brief in `lang`, with `{placeholders}` filled."""
    return _fill(BRIEF, key, lang, values)


def month_long(year: int, month: int, lang: str) -> str:
    """`February 2025` / `febrero de 2025`."""
    return format_skeleton("yMMMM", date(year, month, 1), locale=LOCALES[lang])


def fmt_pct(value: float | None, lang: str, signed: bool = True) -> str:
    """A percentage with one decimal in the language's notation: `+7.5` (the caller adds ` %`)."""
    if value is None:
        return BRIEF["n/a"][lang]
    pattern = "+#,##0.0;-#,##0.0" if signed else "#,##0.0"
    return format_decimal(value if signed else abs(value), pattern, locale=LOCALES[lang])


def month_label(year: int, month: int, lang: str) -> str:
    """`Feb 2025` / `feb 2025`."""
    return f"{MONTHS[lang][month - 1]} {year}"
