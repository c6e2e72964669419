"""The dashboard page: every chart on one static HTML file that works offline from the file system
(Vega, Vega-Lite and vega-embed inlined), a port selector in plain JavaScript, the data vintage, and
links to each chart's exported files."""

from __future__ import annotations

import html
import logging
from pathlib import Path

import duckdb

from dashboards.brief_data import BRIEF_PORTS, busiest_ports
from dashboards.charts import BORDERS, CHARTS
from dashboards.labels import border_name, month_label, text
from dashboards.offline import BUNDLE, write_atomic
from dashboards.script_json import script_json
from dashboards.theme import NoData
from warehouse.db import rows

PAGE_PORTS = BRIEF_PORTS  # busiest ports by inbound trucks in the selector: each has its brief
# charts the selector redraws for a port (the others are the same for every port)
PAGE_PER_PORT = ("border_trucks", "top_ports", "people_flows", "priority_sectors")
log = logging.getLogger(__name__)

SCRIPT = """
let errors = [];
window.addEventListener("error", (e) => errors.push(String(e.message)));
const consoleError = console.error;
console.error = (...args) => { errors.push(args.join(" ")); consoleError(...args); };
const options = {renderer: "svg", actions: false};
const views = {};
let drawing = 0;
function briefLinks(port) {  // the selected port's own brief, beside the borders'
  const box = document.getElementById("brief-port");
  box.textContent = "";
  if (!port) return;
  box.append(" · " + PORT_NAMES[port] + " (");
  for (const [ext, last] of [["html", false], ["pdf", true]]) {
    const link = document.createElement("a");
    link.href = "brief/port-" + port + "." + ext;
    link.textContent = ext.toUpperCase();
    box.append(link, last ? ")" : ", ");
  }
}
async function draw(port) {
  const token = ++drawing;  // a later selection wins over one still drawing
  briefLinks(port);
  errors = [];
  const jobs = [];
  for (const name of CHART_NAMES) {
    const box = document.getElementById("chart-" + name);
    const perPort = port && PORT_SPECS[port] && (name in PORT_SPECS[port]);
    if (port && PER_PORT.includes(name) && !perPort) {
      if (views[name]) { views[name].finalize(); delete views[name]; }
      box.textContent = NO_DATA;
      fileLinks(name).textContent = "";  // no chart, no files
      continue;
    }
    if (port && !PER_PORT.includes(name) && views[name]) continue;  // the same for every port
    const spec = perPort ? PORT_SPECS[port][name] : SPECS[name];
    jobs.push(vegaEmbed(box, spec, options).then(async (result) => {
      if (views[name]) views[name].finalize();
      views[name] = result.view;
      await files(name, perPort ? port : "", result.view, spec, token);
      return name;
    }));
  }
  const drawn = await Promise.allSettled(jobs);
  if (token !== drawing) return;
  drawn.filter((d) => d.status === "rejected").forEach((d) => errors.push(String(d.reason)));
  const shown = Object.keys(views).length;
  const status = document.getElementById("status");
  status.dataset.rendered = shown;
  status.dataset.port = port;
  status.dataset.errors = errors.length;
  status.textContent = STATUS.replace("{n}", shown).replace("{e}", errors.length);
}
// a chart's file links: the exported files for the border view; for a selected port, files made
// here from the chart as drawn (PNG at 2x, SVG, and its Vega-Lite spec), named <chart>_<port>.<ext>
const exported = {};
const made = {};  // object URLs of each chart's links, released when the links change
function fileLinks(name) {
  const box = document.getElementById("files-" + name);
  if (!(name in exported)) exported[name] = box.innerHTML;
  (made[name] || []).forEach((url) => URL.revokeObjectURL(url));
  made[name] = [];
  return box;
}
async function files(name, port, view, spec, token) {
  if (!port) { fileLinks(name).innerHTML = exported[name]; return; }
  const png = await view.toImageURL("png", 2);
  const svg = await view.toImageURL("svg");
  if (token !== drawing) return;  // a later selection is drawing its own links
  const box = fileLinks(name);
  const json = URL.createObjectURL(new Blob([JSON.stringify(spec)], {type: "application/json"}));
  made[name].push(svg, json);
  box.replaceChildren(document.createTextNode(FILES + ": "));
  for (const [ext, url] of [["png", png], ["svg", svg], ["json", json]]) {
    const link = document.createElement("a");
    link.href = url;
    link.download = name + "_" + port + "." + ext;
    link.textContent = ext.toUpperCase();
    box.append(link, " ");
  }
}
const select = document.getElementById("port");
function fromHash() {
  const wanted = new URLSearchParams(location.hash.slice(1)).get("port") || "";
  return [...select.options].some((o) => o.value === wanted) ? wanted : "";
}
select.addEventListener("change", (e) => {
  location.hash = e.target.value ? "port=" + e.target.value : "";
});
window.addEventListener("hashchange", () => { select.value = fromHash(); draw(select.value); });
select.value = fromHash();
draw(select.value);
"""

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1180px; color: #222; }
header p, footer p { color: #444; margin: 4px 0; }
.chart { margin: 28px 0 8px; min-height: 120px; }
.files { font-size: 13px; color: #555; margin-bottom: 24px; }
.files a { margin-right: 10px; }
label { font-weight: bold; margin-right: 8px; }
select { font-size: 15px; padding: 4px; }
#status { font-size: 12px; color: #777; }
"""


def _vintage_lines(con: duckdb.DuckDBPyConnection, lang: str) -> list[str]:
    out = []
    for title, publisher, first, latest, refreshed in rows(
        con,
        "SELECT title, publisher, first_month, latest_month, refreshed_at FROM marts.data_vintage ORDER BY 1",
    ):
        out.append(
            text(
                "page_vintage",
                lang,
                title=title,
                publisher=publisher,
                first=month_label(first.year, first.month, lang),
                latest=month_label(latest.year, latest.month, lang),
                refreshed=refreshed.strftime("%Y-%m-%d"),
            )
        )
    return out


def page_specs(
    con: duckdb.DuckDBPyConnection, lang: str, names: list[str]
) -> tuple[dict[str, dict], dict[str, dict[str, dict]], list[tuple[str, str]]]:
    """Vega-Lite specs of the charts (border view), of the per-port charts for each port in the selector,
    and the selector's ports."""
    specs = {name: CHARTS[name].builder(con, lang=lang).to_dict() for name in names}
    ports = busiest_ports(con, PAGE_PORTS)
    per_port: dict[str, dict[str, dict]] = {}
    for code, _ in ports:
        per_port[code] = {}
        for name in names:
            if name not in PAGE_PER_PORT:
                continue
            try:
                per_port[code][name] = CHARTS[name].builder(con, lang=lang, port=code).to_dict()
            except NoData:
                continue  # the page says the port has no such data
    return specs, per_port, ports


def write_page(con: duckdb.DuckDBPyConnection, folder: Path, lang: str, written: list[Path]) -> Path:
    """Write `index.html` in `folder` for the charts whose files were just written there."""
    names = [n for n in CHARTS if (folder / f"{n}.json") in written]
    specs, per_port, ports = page_specs(con, lang, names)
    options = [f'<option value="">{html.escape(text("page_all_ports", lang))}</option>']
    options += [f'<option value="{code}">{html.escape(label)}</option>' for code, label in ports]
    sections = []
    for name in names:
        links = " ".join(
            f'<a href="{name}.{fmt}">{fmt.upper()}</a>' for fmt in ("html", "png", "svg", "json")
        )
        sections.append(
            f'<section><div class="chart" id="chart-{name}"></div>'
            f'<div class="files" id="files-{name}">{html.escape(text("page_files", lang))}: {links}</div>'
            "</section>"
        )
    data = {
        "CHART_NAMES": names,
        "PER_PORT": [n for n in names if n in PAGE_PER_PORT],
        "SPECS": specs,
        "PORT_SPECS": per_port,
        "NO_DATA": text("page_no_data", lang),
        "FILES": text("page_files", lang),
        "STATUS": text("page_status", lang, n="{n}", e="{e}"),
        "PORT_NAMES": dict(ports),
    }

    constants = "\n".join(f"const {k} = {script_json(v)};" for k, v in data.items())
    brief_links = " · ".join(
        f"{html.escape(border_name(b, lang))} "
        f'(<a href="brief/{b}.html">HTML</a>, <a href="brief/{b}.pdf">PDF</a>)'
        for b in BORDERS
    )
    vintage = "".join(f"<p>{html.escape(line)}</p>" for line in _vintage_lines(con, lang))
    page = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{html.escape(text("page_title", lang))}</title>
<style>{STYLE}</style>
<script src="{BUNDLE}"></script>
</head>
<body>
<header>
<h1>{html.escape(text("page_title", lang))}</h1>
<p>{html.escape(text("page_intro", lang))}</p>
{vintage}
<p id="brief">{html.escape(text("page_brief", lang))}: {brief_links}<span id="brief-port"></span></p>
<p><label for="port">{html.escape(text("page_port", lang))}</label>
<select id="port">{"".join(options)}</select></p>
</header>
<main>{"".join(sections)}</main>
<footer><p id="status"></p></footer>
<script>{constants}
{SCRIPT}</script>
</body>
</html>
"""
    return write_atomic(folder / "index.html", page)
