"""`corridors osm refine` and `corridors osm fetch` on small OSM files and a loopback Overpass."""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pyproj import Transformer
from shapely import LineString, Point

from corridors.cli import main
from corridors.data.geometry import geodesic_length_km
from corridors.data.osm import plan_from_extract
from corridors.data.schema import Mode
from corridors.data.seeds import load_seeds
from corridors.errors import InvalidArgument

# A bent railway from Mangyshlak station (43.69695, 51.30896) to Aktau seaport
# (43.59956, 51.22256), in two ways; the straight shortcut between them is disused, and a road
# runs beside it. Node 3 and 4 lie on a straight stretch, so simplification drops one of them.
STATION = (51.30900, 43.69700)
PORT = (51.22260, 43.59960)
NODES = {
    1: STATION,
    2: (51.32500, 43.66000),
    3: (51.30000, 43.64000),
    4: (51.27500, 43.62000),
    5: (51.25000, 43.60000),
    6: PORT,
    # the far detour of the straying test
    11: (51.50000, 43.68000),
    12: (51.45000, 43.60000),
    # a railway along main_line, through its waypoint, to Zhetybai (43.45891, 52.09792)
    21: (51.50000, 43.60000),
    22: (51.70000, 43.50000),
    23: (52.09790, 43.45890),
}
WAYS = {
    101: ([1, 2, 3], {"railway": "rail", "gauge": "1520", "usage": "main", "name": "Port line"}),
    102: ([3, 4, 5, 6], {"railway": "rail", "gauge": "1520", "usage": "main"}),
    201: ([1, 6], {"railway": "rail", "disused": "yes"}),
    301: ([1, 6], {"highway": "primary", "name": "Port road"}),
}
DETOUR_WAYS = {901: ([1, 11, 12, 6], {"railway": "rail", "gauge": "1520"})}
OSM_BASE = "2026-04-01T12:00:00Z"


def osm_xml(ways: dict[int, tuple[list[int], dict[str, str]]]) -> str:
    used = sorted({n for refs, _ in ways.values() for n in refs})
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<osm version="0.6" generator="Overpass API 0.7.62">',
        f'  <meta osm_base="{OSM_BASE}"/>',
    ]
    lines += [f'  <node id="{n}" lat="{NODES[n][1]}" lon="{NODES[n][0]}"/>' for n in used]
    for ident, (refs, tags) in ways.items():
        lines.append(f'  <way id="{ident}">')
        lines += [f'    <nd ref="{n}"/>' for n in refs]
        lines += [f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("  </way>")
    lines.append("</osm>")
    return "\n".join(lines) + "\n"


def overpass_json(ways: dict[int, tuple[list[int], dict[str, str]]]) -> dict[str, object]:
    used = sorted({n for refs, _ in ways.values() for n in refs})
    elements: list[dict[str, object]] = [
        {"type": "node", "id": n, "lat": NODES[n][1], "lon": NODES[n][0]} for n in used
    ]
    elements += [
        {"type": "way", "id": ident, "nodes": refs, "tags": tags}
        for ident, (refs, tags) in ways.items()
    ]
    return {
        "version": 0.6,
        "generator": "Overpass API 0.7.62",
        "osm3s": {"timestamp_osm_base": OSM_BASE, "copyright": "OpenStreetMap contributors"},
        "elements": elements,
    }


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    path = tmp_path / "test-extract.osm"
    path.write_text(osm_xml(WAYS), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def rows_of(folder: Path, link: str) -> list[str]:
    lines = (folder / "alignments.csv").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.startswith(f"{link},")]


def distance_m(point: tuple[float, float], line: LineString) -> float:
    aeqd = "+proj=aeqd +lat_0=43.65 +lon_0=51.3 +datum=WGS84 +units=m"
    to_m = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True).transform
    projected = LineString([to_m(*c) for c in line.coords])
    return float(projected.distance(Point(to_m(*point))))


def test_refine_follows_the_railway(small_seeds: Path, extract: Path) -> None:
    before = (small_seeds / "alignments.csv").read_bytes()
    main_rows = rows_of(small_seeds, "main_line")
    result = invoke("osm", "refine", "port_line", "--extract", extract, "--seeds", small_seeds)
    assert result.exit_code == 0, result.output

    seeds = load_seeds(small_seeds)
    points = seeds.alignments["port_line"]
    assert [p.seq for p in points] == list(range(1, len(points) + 1))
    assert all(p.source == "osm_test_extract_20260401" for p in points)
    # Every vertex is on the OSM railway, none on the disused shortcut or the road.
    railway = LineString([NODES[n] for n in [1, 2, 3, 4, 5, 6]])
    shortcut = LineString([STATION, PORT])
    for p in points:
        assert distance_m((p.lon, p.lat), railway) < 1.0
        assert distance_m((p.lon, p.lat), shortcut) > 500.0
    assert (NODES[2][1], NODES[2][0]) in {(p.lat, p.lon) for p in points}
    # The straight stretch 3-4-5 is simplified to its ends.
    assert (NODES[4][1], NODES[4][0]) not in {(p.lat, p.lon) for p in points}

    old_km = geodesic_length_km([(51.30896, 43.69695), (51.22256, 43.59956)])
    new_km = geodesic_length_km(seeds.link_coordinates("port_line"))
    full_km = geodesic_length_km(
        [(51.30896, 43.69695), *(NODES[n] for n in range(1, 7)), (51.22256, 43.59956)]
    )
    assert new_km == pytest.approx(full_km, rel=0.005)
    assert f"port_line: {old_km:.2f} km -> {new_km:.2f} km" in result.stdout
    assert "largest deviation" in result.stdout
    assert "2 OSM ways" in result.stdout

    source = seeds.sources["osm_test_extract_20260401"]
    assert source.kind.value == "dataset"
    assert source.publisher == "OpenStreetMap contributors"
    assert source.licence is not None
    assert "ODbL" in source.licence
    assert source.date == "2026-04-01"
    assert "test-extract.osm" in source.title
    assert source.summary is not None
    assert "port_line: 101, 102." in source.summary

    # Other links' rows are untouched, byte for byte, and stay in place.
    after = (small_seeds / "alignments.csv").read_bytes()
    assert rows_of(small_seeds, "main_line") == main_rows
    assert after.startswith(before)  # port_line had no rows: its rows are appended


def test_refine_keeps_other_rows_in_order(small_seeds: Path, extract: Path) -> None:
    csv_path = small_seeds / "alignments.csv"
    head = b"link,seq,lat,lon,name,source\r\nmain_line,1,43.5,51.7,,osm\r\n"
    tail = b"main_line,2,43.48,51.9,  Kept as written  ,osm\r\n"
    csv_path.write_bytes(head + b'port_line,1,43.66,51.32,"Bend, km 5",osm\r\n' + tail)
    result = invoke("osm", "refine", "port_line", "--extract", extract, "--seeds", small_seeds)
    assert result.exit_code == 0, result.output
    after = csv_path.read_bytes()
    assert after.startswith(head)
    assert after.endswith(tail)
    middle = after[len(head) : -len(tail)].decode("utf-8").split("\r\n")
    assert middle[-1] == ""
    assert all(line.startswith("port_line,") for line in middle[:-1])
    # The waypoint's name is carried to the OSM node it snapped to.
    assert middle[0] == 'port_line,1,43.66000,51.32500,"Bend, km 5",osm_test_extract_20260401'


def test_refine_sets_the_alignment_to_surveyed(broken_seeds, extract: Path) -> None:
    seeds = broken_seeds(
        "links.yaml",
        "  alignment: surveyed\n  published_length",
        "  alignment: approximate  # by hand\n  published_length",
    )
    before = (seeds / "links.yaml").read_text(encoding="utf-8")
    result = invoke("osm", "refine", "port_line", "--extract", extract, "--seeds", seeds)
    assert result.exit_code == 0, result.output
    after = (seeds / "links.yaml").read_text(encoding="utf-8")
    assert after == before.replace(
        "alignment: approximate  # by hand", "alignment: surveyed  # by hand"
    )
    assert load_seeds(seeds).links["port_line"].alignment.value == "surveyed"


def test_refine_twice_keeps_one_source(small_seeds: Path, extract: Path) -> None:
    original = (small_seeds / "sources.yaml").read_bytes()
    for run in range(2):
        result = invoke("osm", "refine", "port_line", "--extract", extract, "--seeds", small_seeds)
        assert result.exit_code == 0, result.output
        text = (small_seeds / "sources.yaml").read_text(encoding="utf-8")
        assert text.count("- id: osm_test_extract_20260401") == 1
        # The entries already there are kept byte for byte; the new one is appended.
        assert text.encode().startswith(original)
        if run == 0:  # another link's ways, recorded by an earlier run, are kept
            (small_seeds / "sources.yaml").write_text(
                text.replace("port_line: 101", "main_line: 7, 8; port_line: 101")
            )
    summary = load_seeds(small_seeds).sources["osm_test_extract_20260401"].summary
    assert summary is not None
    assert summary.endswith("OSM ways followed, in order: main_line: 7, 8; port_line: 101, 102.")


def test_dry_run_writes_nothing(small_seeds: Path, extract: Path) -> None:
    before = snapshot(small_seeds)
    result = invoke(
        "osm", "refine", "port_line", "--extract", extract, "--seeds", small_seeds, "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert "port_line: " in result.stdout
    assert "nothing written" in result.stderr
    assert snapshot(small_seeds) == before


def test_a_path_beyond_the_tolerance_is_refused(small_seeds: Path, tmp_path: Path) -> None:
    detour = tmp_path / "detour.osm"
    detour.write_text(osm_xml(DETOUR_WAYS), encoding="utf-8")
    before = snapshot(small_seeds)
    result = invoke("osm", "refine", "port_line", "--extract", detour, "--seeds", small_seeds)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: link 'port_line': the OSM path strays ")
    assert "--tolerance-km" in result.stderr
    assert snapshot(small_seeds) == before
    wider = invoke(
        "osm",
        "refine",
        "port_line",
        "--extract",
        detour,
        "--seeds",
        small_seeds,
        "--tolerance-km",
        "30",
        "--dry-run",
    )
    assert wider.exit_code == 0, wider.output


def test_a_waypoint_far_from_the_railway_is_refused(small_seeds: Path, extract: Path) -> None:
    before = snapshot(small_seeds)
    result = invoke("osm", "refine", "main_line", "--extract", extract, "--seeds", small_seeds)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "link 'main_line': its alignments.csv vertex seq 1 (43.50000, 51.70000)" in result.stderr
    assert snapshot(small_seeds) == before


def test_the_installed_seeds_are_not_edited(
    small_seeds: Path, extract: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("corridors.data.osm._installed_seeds_dir", lambda: small_seeds)
    before = snapshot(small_seeds)
    result = invoke("osm", "refine", "port_line", "--extract", extract, "--seeds", small_seeds)
    assert result.exit_code == 2
    assert "installed with the package" in result.stderr
    assert "--seeds PATH" in result.stderr
    assert snapshot(small_seeds) == before


def test_unknown_link_gets_a_suggestion(small_seeds: Path, extract: Path) -> None:
    result = invoke("osm", "refine", "prot_line", "--extract", extract, "--seeds", small_seeds)
    assert result.exit_code == 2
    assert result.stderr == "error: unknown link 'prot_line'. Fix: did you mean 'port_line'?\n"


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("missing.osm", None, "file not found"),
        ("broken.osm", "<osm><node id='1' lat='43.6'", "not valid XML"),
        ("empty.osm", "", "not valid XML"),
        ("other.xml", "<html></html>", "the root element is <html>"),
        ("roads.osm", osm_xml({301: WAYS[301]}), "holds no railway=rail ways"),
    ],
)
def test_a_bad_extract_is_one_line(
    small_seeds: Path, tmp_path: Path, name: str, text: str | None, reason: str
) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    before = snapshot(small_seeds)
    result = invoke("osm", "refine", "port_line", "--extract", path, "--seeds", small_seeds)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert reason in result.stderr
    assert snapshot(small_seeds) == before


def test_a_sea_link_is_refused(small_seeds: Path, extract: Path) -> None:
    seeds = load_seeds(small_seeds)
    sea = seeds.links["port_line"].model_copy(update={"mode": Mode.SEA})
    seeds = dataclasses.replace(seeds, links={**seeds.links, "port_line": sea})
    with pytest.raises(InvalidArgument, match="is a sea link"):
        plan_from_extract(seeds, ["port_line"], extract)


# --------------------------------------------------------------------------- fetch


class _Overpass(BaseHTTPRequestHandler):
    hits: list[str]
    body: bytes
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        query = self.rfile.read(length).decode("utf-8")
        type(self).hits.append(f"POST {self.path} {query}")
        if self.path != "/api/interpreter":
            self.send_error(404)
            return
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def do_GET(self) -> None:
        type(self).hits.append(f"GET {self.path}")
        self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def overpass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[type[_Overpass]]:
    handler = type(
        "Handler", (_Overpass,), {"hits": [], "body": json.dumps(overpass_json(WAYS)).encode()}
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("CORRIDORS_OVERPASS_URL", f"http://127.0.0.1:{server.server_port}/api")
    monkeypatch.setenv("CORRIDORS_CACHE", str(tmp_path / "cache"))
    # Nothing but the loopback server may be contacted.
    contacted: list[object] = []
    connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        contacted.append(address)
        if not (isinstance(address, tuple) and address[0] in {"127.0.0.1", "::1"}):
            raise AssertionError(f"tried to contact {address}")
        connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "getaddrinfo", socket.getaddrinfo)
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert all(a[0] == "127.0.0.1" for a in contacted if isinstance(a, tuple))


def test_fetch_refines_from_overpass_and_caches(
    small_seeds: Path, overpass: type[_Overpass]
) -> None:
    getaddrinfo = socket.getaddrinfo
    before = snapshot(small_seeds)
    dry = invoke("osm", "fetch", "port_line", "--seeds", small_seeds, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert snapshot(small_seeds) == before
    count = len(overpass.hits)
    assert count >= 1
    # The second run asks the same question: it is answered from the cache.
    result = invoke("osm", "fetch", "port_line", "--seeds", small_seeds)
    assert len(overpass.hits) == count
    assert result.exit_code == 0, result.output
    assert "port_line: " in result.stdout
    posts = [hit for hit in overpass.hits if hit.startswith("POST")]
    assert posts
    assert all(hit.startswith("POST /api/interpreter data=") for hit in posts)
    assert "%5Bout%3Ajson%5D" in posts[0]  # [out:json]
    assert "railway" in posts[0]
    assert not [hit for hit in overpass.hits if hit.startswith("GET")]  # no /status
    assert socket.getaddrinfo is getaddrinfo  # osmnx's DNS hook is undone

    seeds = load_seeds(small_seeds)
    points = seeds.alignments["port_line"]
    source_id = points[0].source
    assert source_id.startswith("osm_overpass_")
    assert "127.0.0.1" in seeds.sources[source_id].title
    railway = LineString([NODES[n] for n in [1, 2, 3, 4, 5, 6]])
    assert all(distance_m((p.lon, p.lat), railway) < 1.0 for p in points)
    cached = list((small_seeds.parent / "cache" / "osmnx").glob("*.json"))
    assert len(cached) == count


def test_fetch_network_error_is_one_line(
    small_seeds: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CORRIDORS_CACHE", "off")
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", socket.getaddrinfo)
    before = snapshot(small_seeds)
    result = invoke(
        "osm",
        "fetch",
        "port_line",
        "--seeds",
        small_seeds,
        "--overpass-url",
        f"http://127.0.0.1:{port}/api",
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: cannot reach the Overpass API at http://127.0.0.1:")
    assert snapshot(small_seeds) == before


def test_a_road_link_follows_the_road(small_seeds: Path, extract: Path) -> None:
    seeds = load_seeds(small_seeds)
    road = seeds.links["port_line"].model_copy(update={"mode": Mode.ROAD, "gauge_mm": None})
    seeds = dataclasses.replace(seeds, links={**seeds.links, "port_line": road})
    plan = plan_from_extract(seeds, ["port_line"], extract)
    assert plan.refinements[0].ways == [301]


def test_a_way_of_another_gauge_is_not_followed(small_seeds: Path, tmp_path: Path) -> None:
    standard = {k: (refs, {**tags, "gauge": "1435"}) for k, (refs, tags) in WAYS.items()}
    path = tmp_path / "standard.osm"
    path.write_text(osm_xml({k: standard[k] for k in (101, 102)}), encoding="utf-8")
    with pytest.raises(InvalidArgument, match="holds no railway=rail ways"):
        plan_from_extract(load_seeds(small_seeds), ["port_line"], path)
    dual = {k: (refs, {**tags, "gauge": "1520;1435"}) for k, (refs, tags) in WAYS.items()}
    path.write_text(osm_xml(dual), encoding="utf-8")
    assert plan_from_extract(load_seeds(small_seeds), ["port_line"], path).refinements[0].ways == [
        101,
        102,
    ]


@pytest.mark.parametrize("value", ["0", "-1", "nan"])
def test_a_bad_tolerance_is_one_line(small_seeds: Path, extract: Path, value: str) -> None:
    result = invoke(
        "osm",
        "refine",
        "port_line",
        "--extract",
        extract,
        "--seeds",
        small_seeds,
        "--tolerance-km",
        value,
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "--tolerance-km" in result.stderr


def test_help_does_not_import_osmnx() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from corridors.cli import main; "
        "CliRunner().invoke(main, ['osm', 'refine', '--help']); import corridors.data.osm; "
        "print(sorted(m for m in ('geopandas', 'osmnx', 'networkx') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_fetch_server_error_is_one_line(small_seeds: Path, overpass: type[_Overpass]) -> None:
    overpass.status = 400
    overpass.body = b"<html>bad request</html>"
    before = snapshot(small_seeds)
    result = invoke("osm", "fetch", "port_line", "--seeds", small_seeds)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: the Overpass API at http://127.0.0.1:")
    assert "answered with an error" in result.stderr
    assert snapshot(small_seeds) == before
    assert not list((small_seeds.parent / "cache" / "osmnx").glob("*.json"))


def test_fetch_empty_answer_is_one_line(small_seeds: Path, overpass: type[_Overpass]) -> None:
    overpass.body = json.dumps({"version": 0.6, "elements": []}).encode()
    result = invoke("osm", "fetch", "port_line", "--seeds", small_seeds)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "gave no usable railway=rail ways" in result.stderr


def test_two_links_in_one_run_share_one_source(small_seeds: Path, tmp_path: Path) -> None:
    both = {**WAYS, 103: ([1, 21, 22, 23], {"railway": "rail", "gauge": "1520"})}
    path = tmp_path / "both.osm"
    path.write_text(osm_xml(both), encoding="utf-8")
    result = invoke(
        "osm", "refine", "port_line", "main_line", "--extract", path, "--seeds", small_seeds
    )
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "port_line",
        "main_line",
    ]
    seeds = load_seeds(small_seeds)
    summary = seeds.sources["osm_both_20260401"].summary
    assert summary is not None
    assert summary.endswith("port_line: 101, 102; main_line: 103.")
    assert [(p.lat, p.lon) for p in seeds.alignments["main_line"]] == [(43.5, 51.7)]
