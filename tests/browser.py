"""Open a saved map in headless Debian Chromium with every network request blocked.

Used by the browser tests, and runnable by hand to refresh the README screenshots::

    .venv/bin/python tests/browser.py maps/network.html maps/network.png
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Route, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MAP_READY = "window.L !== undefined"
REPORT_READY = (
    "document.querySelector('iframe') !== null && "
    "document.querySelector('iframe').contentWindow.L !== undefined"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class PageReport:
    """What happened while a page loaded."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    load_seconds: float = 0.0


@contextmanager
def open_page(
    html: Path, *, width: int = 1280, height: int = 860, ready: str = MAP_READY
) -> Iterator[tuple[Page, PageReport]]:
    """Yield the loaded page and a report; any request leaving file:// is blocked.

    ``ready`` is a JavaScript expression that is true once the page has drawn.
    """
    if not Path(CHROMIUM).exists():
        message = "Debian chromium is not installed: apt-get install chromium (see .ci/run)"
        raise RuntimeError(message)
    report = PageReport()

    def block(route: Route) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:", "about:")):
            route.continue_()
        else:
            report.blocked_requests.append(url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", block)
            page.on(
                "console",
                lambda m: report.console_errors.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: report.page_errors.append(str(e)))
            page.on("requestfailed", lambda r: report.failed_requests.append(r.url))
            page.on("dialog", lambda d: (report.dialogs.append(d.message), d.dismiss()))
            start = time.perf_counter()
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.wait_for_function(ready)
            page.wait_for_timeout(300)
            report.load_seconds = time.perf_counter() - start
            yield page, report
        finally:
            browser.close()


def count(page: Page, selector: str) -> int:
    """Number of elements matching a CSS selector."""
    value: Any = page.evaluate(f"document.querySelectorAll({selector!r}).length")
    return int(value)


def click_path(page: Page, selector: str, fraction: float = 0.5) -> None:
    """Click with the mouse on a point of an SVG path (by default half-way along it)."""
    point: Any = page.evaluate(
        """([selector, fraction]) => {
            const path = document.querySelector(selector);
            const at = path.getPointAtLength(path.getTotalLength() * fraction);
            const matrix = path.getScreenCTM();
            return {x: at.x * matrix.a + at.y * matrix.c + matrix.e,
                    y: at.x * matrix.b + at.y * matrix.d + matrix.f};
        }""",
        [selector, fraction],
    )
    page.mouse.click(point["x"], point["y"])


def screenshot(html: Path, png: Path, action: Callable[[Page], None] | None = None) -> float:
    """Save a screenshot of a map or report; return its load time in seconds."""
    ready = REPORT_READY if "<iframe" in html.read_text(encoding="utf-8")[:200_000] else MAP_READY
    with open_page(html, ready=ready) as (page, report):
        if action is not None:
            action(page)
        page.screenshot(path=str(png))
        return report.load_seconds


if __name__ == "__main__":
    seconds = screenshot(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{sys.argv[2]} written; page loaded in {seconds:.2f} s")
