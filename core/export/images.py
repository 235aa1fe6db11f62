"""Static chart images (PNG/SVG/PDF) with kaleido 1.x: one Chrome/Chromium started per batch, many figures rendered in it.

kaleido's async API runs on a private event loop in a helper thread, so callers (CLI, Streamlit's
script thread) stay synchronous and never clash with an event loop of their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import threading

import plotly.graph_objects as go

from core.errors import UserError
from core.export.style import HEIGHT, WIDTH

BROWSER_ENV = "LABELSCOPE_BROWSER"  # explicit path to Chrome/Chromium; a wrong path means "no browser"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = (
    "static image export (PNG, SVG, PDF, the deck's charts) needs Chrome or Chromium, and none was found: "
    "install one with `apt-get install chromium` (Debian/Ubuntu) or run `plotly_get_chrome`, "
    f"or set {BROWSER_ENV} to its path. HTML and CSV export work without it."
)
RENDER_TIMEOUT_S = 120.0


class BrowserNotFound(UserError):
    """No usable Chrome/Chromium; the message says how to install one."""


def _is_exe(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_browser() -> str:
    """Path of a Chrome/Chromium: $LABELSCOPE_BROWSER if set, else the PATH, else one `plotly_get_chrome` fetched."""
    explicit = os.environ.get(BROWSER_ENV)
    if explicit is not None:
        if _is_exe(explicit):
            return explicit
        raise BrowserNotFound(f"{BROWSER_ENV}={explicit!r} is not an executable. {INSTALL_HINT}")
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path and _is_exe(path):
            return path
    try:  # the browser `plotly_get_chrome` / `kaleido_get_chrome` downloads lives in choreographer's folder
        from choreographer.browsers.chromium import Chromium

        path = Chromium.find_browser(skip_local=False)
        if path and _is_exe(str(path)):
            return str(path)
    except Exception:  # noqa: BLE001 private lookup of an optional download; absence is handled below
        pass
    raise BrowserNotFound(INSTALL_HINT)


class ImageBatch:
    """One browser for many images: `with ImageBatch() as b: pngs = b.render_many([(fig, "png"), ...])`."""

    def __init__(self, tabs: int = 2, browser: str | None = None):
        self.path = browser or find_browser()
        self.tabs = tabs
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None

    def __enter__(self) -> ImageBatch:
        import kaleido

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido-loop", daemon=True)
        self._thread.start()
        # mathjax=False: kaleido would otherwise fetch MathJax from a CDN (offline machines wait on it).
        self._kaleido = kaleido.Kaleido(path=self.path, n=self.tabs, mathjax=False, timeout=RENDER_TIMEOUT_S)
        try:
            self._call(self._kaleido.open())
        except Exception as e:
            self.__exit__(None, None, None)
            raise UserError(f"could not start the browser at {self.path} for image export: {e}") from e
        return self

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(RENDER_TIMEOUT_S * 4)

    def render_many(self, jobs: list[tuple[go.Figure, str]], scale: float = 1.0) -> list[bytes]:
        """Bytes of each (figure, format) job, format in png|svg|pdf|jpeg; size from the figure's layout."""

        async def all_jobs():
            return await asyncio.gather(
                *(self._kaleido.calc_fig(fig, opts=_opts(fig, fmt, scale)) for fig, fmt in jobs)
            )

        return list(self._call(all_jobs()))

    def __exit__(self, *exc) -> None:
        try:
            if self._kaleido is not None:
                self._call(self._kaleido.close())
        except Exception:  # noqa: BLE001 closing a browser that failed to open
            pass
        finally:
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(timeout=30)
                self._loop.close()
            self._kaleido = self._loop = self._thread = None


def _opts(fig: go.Figure, fmt: str, scale: float) -> dict:
    lay = fig.layout
    return {
        "format": fmt,
        "width": lay.width or WIDTH,
        "height": lay.height or HEIGHT,
        "scale": scale if fmt in ("png", "jpeg", "webp") else 1,
    }


_warm: ImageBatch | None = None
_warm_lock = threading.Lock()


@contextlib.contextmanager
def warm_browser():
    """Keep one browser open for every `render_images` call inside (several exports in a row, tests)."""
    global _warm
    with ImageBatch() as batch:
        with _warm_lock:
            outer, _warm = _warm, batch
        try:
            yield batch
        finally:
            with _warm_lock:
                _warm = outer


def render_images(jobs: list[tuple[go.Figure, str]], scale: float = 1.0) -> list[bytes]:
    """Render a batch in the warm browser if one is open, else in one started for this batch and closed after."""
    if not jobs:
        return []
    if _warm is not None:
        return _warm.render_many(jobs, scale)
    with ImageBatch() as batch:
        return batch.render_many(jobs, scale)
