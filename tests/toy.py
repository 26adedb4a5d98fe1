"""A toy network written for the tests: a rail line with a border and a gauge change, a ferry.

Aktau seaport - Mangyshlak - Zhetybai - Uzen - Bolashak (KZ, 1520 mm) - Serhetyaka (TM, rail of
unpublished gauge), and a sea lane Aktau seaport - Turkmenbashi seaport - Baku port. Scenarios
add a link, set a gauge, and change the value of time; od_pairs.yaml carries a note.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SMALL_SEEDS, write_seeds

TOY_NODES = """
    id,name,name_local,kind,country,lat,lon,sources,confidence,notes
    aktau_seaport,Aktau seaport,порт Актау,seaport,KZ,43.59956,51.22256,osm,high,
    aktau,Aktau,Актау,city,KZ,43.65,51.15,osm,medium,
    mangyshlak_station,Mangyshlak,Мангышлак,rail_station,KZ,43.69695,51.30896,osm,high,
    zhetybai_station,Zhetybai,Жетыбай,rail_station,KZ,43.45891,52.09792,osm,high,
    uzen_station,Uzen,Узень,rail_station,KZ,43.32098,52.85378,osm,high,
    bolashak,Bolashak,Болашак,border_crossing,KZ,42.33011,53.67673,osm,high,
    serhetyaka,Serhetyaka,Серхетяка,border_crossing,TM,42.27636,53.65532,osm,high,
    turkmenbashi_seaport,Turkmenbashi seaport,порт Туркменбаши,seaport,TM,40.0,53.03333,osm,high,
    baku_port,Baku port,Baki limani,seaport,AZ,39.95281,49.40817,osm,high,
    gas_field,Gas field,,poi,TM,37.3014,62.3586,osm,medium,
"""


def _rail(
    link_id: str, start: str, end: str, gauge: str = "1520", status: str = "operational"
) -> str:
    gauge_line = f"\n  gauge_mm: {gauge}" if gauge else ""
    return f"""- id: {link_id}
  name: {link_id}
  from: {start}
  to: {end}
  mode: rail
  status: {status}{gauge_line}
  alignment: approximate
  sources: [osm]
  confidence: medium
"""


def _sea(link_id: str, start: str, end: str) -> str:
    return f"""- id: {link_id}
  name: {link_id}
  from: {start}
  to: {end}
  mode: sea
  status: operational
  alignment: approximate
  sources: [osm]
  confidence: medium
"""


TOY_LINKS = (
    _rail("port_line", "mangyshlak_station", "aktau_seaport")
    + _rail("main_line", "mangyshlak_station", "zhetybai_station")
    + _rail("uzen_line", "zhetybai_station", "uzen_station")
    + _rail("border_line", "uzen_station", "bolashak")
    + _rail("crossing", "bolashak", "serhetyaka", gauge="")
    + _rail("spur", "zhetybai_station", "bolashak", status="planned")
    + _sea("lane_tm", "aktau_seaport", "turkmenbashi_seaport")
    + _sea("lane_az", "baku_port", "turkmenbashi_seaport")
    + """- id: city_road
  name: Aktau city road
  from: aktau
  to: aktau_seaport
  mode: road
  status: operational
  alignment: approximate
  sources: [osm]
  confidence: medium
"""
)

TOY_PARAMETERS = """
value_of_time_usd_per_t_h: {value: 1.0, source: assumption}
speeds:
  - {mode: rail, km_h: 40, source: assumption}
  - {mode: road, km_h: 50, source: assumption}
  - {mode: sea, km_h: 25, source: assumption}
tariffs:
  - {mode: rail, country: "*", usd_per_t_km: 0.1, source: assumption}
  - {mode: road, country: "*", usd_per_t_km: 0.12, source: assumption}
  - {mode: sea, country: "*", usd_per_t_km: 0.11, source: assumption}
transfers:
  - {from: rail, to: sea, time_h: 30, cost_usd_per_t: 10, source: assumption}
  - {from: sea, to: rail, time_h: 8, cost_usd_per_t: 10, source: assumption}
  - {from: sea, to: sea, time_h: 38, cost_usd_per_t: 20, source: assumption}
  - {from: road, to: sea, time_h: 30, cost_usd_per_t: 10, source: assumption}
  - {from: sea, to: road, time_h: 8, cost_usd_per_t: 10, source: assumption}
cargo_units:
  default: container
  units:
    - {unit: container, payload_t: 20, source: assumption}
    - {unit: truck, payload_t: 20, source: assumption}
break_of_gauge: {time_h: 12, cost_usd_per_t: 12, source: assumption}
border_defaults:
  - {mode: rail, dwell_h: 10, cost_usd_per_t: 4, source: assumption}
  - {mode: road, dwell_h: 12, cost_usd_per_t: 12, source: assumption}
  - {mode: sea, dwell_h: 12, cost_usd_per_t: 5, source: assumption}
"""

TOY_UNCERTAINTY = """
kinds:
  - {kind: speed, keys: "speed:*", term: time, distribution: triangular, low: 0.8, high: 1.1,
     source: assumption}
  - {kind: tariff, keys: "tariff:*", term: cost, distribution: triangular, low: 0.9, high: 1.2,
     source: assumption}
  - {kind: ferry_wait, keys: "transfer:*->sea", term: time, distribution: pert, low: 0.5, high: 2.5,
     source: assumption}
  - {kind: transfer_dwell, keys: "transfer:*", term: time, distribution: pert, low: 0.5, high: 2.0,
     source: assumption}
  - {kind: fees, keys: "*", term: cost, distribution: triangular, low: 0.7, high: 1.5,
     source: assumption}
  - {kind: dwell, keys: "*", term: time, distribution: pert, low: 0.5, high: 2.0,
     source: assumption}
ranges:
  - {key: "border_default:rail", term: time, low: 6, high: 40, source: osm, note: a wide border}
  - {key: "speed:sea", term: time, low: 20, source: osm}
"""


TOY_SCENARIOS = {
    "current": """
        name: current
        title: Today
        description: What operates today.
    """,
    "with_spur": """
        name: with_spur
        title: A new spur
        description: Adds a rail link from Uzen to the border post.
        base: current
        changes:
          add_links:
            - id: new_spur
              name: New spur
              from: uzen_station
              to: bolashak
              mode: rail
              status: operational
              gauge_mm: 1520
              alignment: approximate
              sources: [osm]
              confidence: medium
              waypoints: [[42.9, 53.2]]
        sources: [osm]
    """,
    "regauged": """
        name: regauged
        title: The crossing regauged
        description: The crossing gets a published gauge.
        base: current
        changes:
          set_gauge: {crossing: 1435}
        sources: [osm]
    """,
    "dear_time": """
        name: dear_time
        title: Time is dearer
        description: A higher value of time.
        base: current
        changes:
          value_of_time_usd_per_t_h: 50
        sources: [osm]
    """,
}

TOY_PLACES = """
- id: aktau
  name: Aktau
  country: KZ
  members: [aktau_seaport, mangyshlak_station, aktau]
  aliases:
    - {name: Aqtau, source: osm}
    - {name: Shevchenko, source: osm}
  sources: [osm]
- id: tashkent
  name: Tashkent
  country: UZ
  members: []
  aliases:
    - {name: Toshkent, source: osm}
  note: not modelled yet
  sources: [osm]
"""

TOY_PAIRS = """
- origin: aktau_seaport
  destination: serhetyaka
  note: Port to the Turkmen border by rail
  sources: [osm]
"""


def write_toy_seeds(folder: Path) -> Path:
    """Write the toy seeds into ``folder`` and return it."""
    files = dict(SMALL_SEEDS)
    files["nodes.csv"] = TOY_NODES
    files["links.yaml"] = TOY_LINKS
    files["alignments.csv"] = "link,seq,lat,lon,name,source\n"
    files["lines.yaml"] = """
        - id: aktau_line
          name: Aktau line
          links: [main_line, uzen_line]
    """
    files["parameters.yaml"] = TOY_PARAMETERS
    files["od_pairs.yaml"] = TOY_PAIRS
    files["places.yaml"] = TOY_PLACES
    files["uncertainty.yaml"] = TOY_UNCERTAINTY
    for name, text in TOY_SCENARIOS.items():
        files[f"scenarios/{name}.yaml"] = text
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    return write_seeds(folder, files)


# ---------------------------------------------------------------------------- freight flows
#: Roads beside the toy railway: Aktau-Uzen and a road crossing Uzen-Serhetyaka, so that a trip
#: from Aktau to the Turkmen border has a rail, a road and a road-rail route.
TOY_FLOW_ROADS = """- id: coast_road
  name: Coast road
  from: aktau
  to: uzen_station
  mode: road
  status: operational
  alignment: approximate
  sources: [osm]
  confidence: medium
- id: border_road
  name: Border road
  from: uzen_station
  to: serhetyaka
  mode: road
  status: operational
  alignment: approximate
  sources: [osm]
  confidence: medium
"""

TOY_COMMODITIES = "".join(
    f"""- id: {commodity}
  name: {commodity}
  logit_scale_per_usd: {scale}
  source: assumption
  note: toy scale
"""
    for commodity, scale in (
        ("grain", 0.5),
        ("oil_products", 0.5),
        ("containers", 0.2),
        ("chemicals", 0.5),
        ("construction", 0.5),
    )
)

TOY_DEMAND = """
- {id: grain_aktau_border, origin: aktau, destination: serhetyaka, commodity: grain,
   t_per_year: 1000000, year: 2024, source: osm}
- {id: boxes_baku_border, origin: baku_port, destination: serhetyaka, commodity: containers,
   t_per_year: 100000, year: 2024, source: assumption, note: toy cell}
"""

TOY_DEMAND_SCENARIOS = """
- id: doubled
  title: Twice the grain
  year: 2030
  rules:
    - {commodity: grain, between: [KZ, TM], factor: 2.0, source: assumption, note: toy rule}
  add:
    - {id: grain_uzen_baku, origin: uzen_station, destination: baku_port, commodity: grain,
       t_per_year: 50000, year: 2030, source: osm}
"""

TOY_CAPACITY = """
volume_delay:
  link: {alpha: 0.15, beta: 4, source: osm}
  crossing: {alpha: 1.0, beta: 8, source: assumption, note: toy function}
  port: {alpha: 1.0, beta: 8, source: assumption, note: toy function}
elements:
  - {id: rail_crossing, kind: crossing, name: Rail crossing, links: [crossing],
     t_per_year: 600000, source: osm}
  - {id: road_crossing, kind: crossing, name: Road crossing, links: [border_road],
     t_per_year: 3000000, source: osm}
  - {id: main_line, kind: link, name: Main line, links: [main_line, uzen_line],
     t_per_year: 10000000, source: osm}
  - {id: port_aktau, kind: port, name: Aktau port, node: aktau_seaport, t_per_year: 5000000,
     free_dwell_h: 24, source: osm}
"""

TOY_OBSERVED = """
- {id: rail_border, name: Rail over the border, elements: [rail_crossing], t_per_year: 500000,
   year: 2024, source: osm}
- {id: grain_by_road, name: Grain by road, elements: [road_crossing], commodity: grain,
   t_per_year: 500000, year: 2024, source: osm}
"""


def write_flow_toy_seeds(folder: Path, **replace: str) -> Path:
    """Write the toy seeds with roads, demand, capacities and observed volumes into ``folder``.

    Keyword arguments replace a flow file's text: ``demand``, ``scenarios``, ``commodities``,
    ``capacity`` or ``observed``.
    """
    write_toy_seeds(folder)
    with (folder / "links.yaml").open("a", encoding="utf-8") as links:
        links.write(TOY_FLOW_ROADS)
    texts = {
        "demand/base.yaml": replace.get("demand", TOY_DEMAND),
        "demand/scenarios.yaml": replace.get("scenarios", TOY_DEMAND_SCENARIOS),
        "demand/commodities.yaml": replace.get("commodities", TOY_COMMODITIES),
        "demand/observed_volumes.yaml": replace.get("observed", TOY_OBSERVED),
        "capacity.yaml": replace.get("capacity", TOY_CAPACITY),
    }
    (folder / "demand").mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text.lstrip("\n"), encoding="utf-8")
    return folder
