"""The preview's HTTP server: files of the temporary output folder with their media
types (feeds as `application/rss+xml`, `application/atom+xml`,
`application/feed+json`, UTF-8), an ETag and Last-Modified on each with 304 answers
to conditional requests (a browser, asking for HTML first, gets an XML feed as
`application/xml`, which it styles), nothing outside the folder (a path with `..`, a link, a
folder: 404). The front page lists the feeds (with autodiscovery links) and the last
build's errors; it and every HTML page reload themselves after a build (they ask
`/__feedpub/generation` every second)."""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from feedpub.serve.state import Preview

TYPES = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml",
         "feed.json": "application/feed+json"}
SUFFIXES = {".xml": "application/xml", ".json": "application/json", ".xsl": "text/xsl",
            ".html": "text/html", ".css": "text/css", ".js": "text/javascript",
            ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
            ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp",
            ".mp3": "audio/mpeg", ".txt": "text/plain"}
RELOAD = ("<script>(function(){var g=null;setInterval(function(){fetch('/__feedpub/"
          "generation').then(function(r){return r.text()}).then(function(t){if(g!==null"
          "&&t!==g)location.reload();g=t}).catch(function(){})},1000)})();</script>")


def media_type(path: Path) -> str:
    kind = TYPES.get(path.name) or SUFFIXES.get(path.suffix.lower(), "application/octet-stream")
    textual = kind.startswith("text/") or kind.endswith(("xml", "json", "javascript"))
    return kind + ("; charset=utf-8" if textual else "")


def make_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    server_version = "feedpub-serve"

    def log_message(self, format: str, *args: object) -> None:
        pass  # (the terminal shows builds, not requests)

    def do_HEAD(self) -> None:
        self.do_GET(body=False)

    def do_GET(self, body: bool = True) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/__feedpub/generation":
            return self._send(200, "text/plain; charset=utf-8",
                              str(self.preview.generation).encode(), body)
        if path == "/":
            index = self.preview.root / "index.html"
            if not index.is_file():
                return self._send(200, "text/html; charset=utf-8", self._front(), body)
        if self._folder_without_slash(path):  # as static hosts do: /post -> /post/
            self.send_response(301)
            self.send_header("Location", urlsplit(self.path).path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        file = self._file(path)
        try:
            data = file.read_bytes() if file is not None else None
            modified = file.stat().st_mtime if file is not None else 0.0
        except OSError:  # (removed by a rebuild meanwhile)
            data = None
        if file is None or data is None:
            return self._send(404, "text/plain; charset=utf-8", b"not found\n", body)
        if file.suffix == ".html":  # (a page of the site's: it shows a failed build too)
            data = data.replace(b"</body>", RELOAD.encode() + b"</body>", 1)
            if self.preview.problems:
                data = _after_body_tag(data, self._failure().encode())
        kind = self._type_for(file)
        # (one file, two types by Accept: each its own tag, and caches told so)
        tag = '"' + hashlib.sha256(data + kind.encode()).hexdigest()[:32] + '"'
        if self._fresh(tag, modified):
            return self._send(304, None, b"", False, tag, modified)
        return self._send(200, kind, data, body, tag, modified)

    def _type_for(self, file: Path) -> str:
        """The file's media type; but an RSS or Atom feed asked for by a browser, which
        shows `application/rss+xml` as text (Chromium 156), is served as XML so that
        the browser applies the feed's stylesheet. Readers get the feed's own type."""
        kind = media_type(file)
        accept = self.headers.get("Accept", "")
        if file.suffix == ".xml" and "text/html" in accept and "rss" not in accept \
                and "atom" not in accept:
            return "application/xml; charset=utf-8"
        return kind

    def _file(self, path: str) -> Path | None:
        """The file under the root that `path` names, or None (never outside it)."""
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\0" in p for p in parts):
            return None
        try:
            root = self.preview.root.resolve()
            file = root.joinpath(*parts) if parts else root
            if file.is_dir() and not path.endswith("/") and parts:
                return None  # a folder is asked for with its slash
            if file.is_dir():
                file = file / "index.html"
            elif path.endswith("/"):
                return None  # a file is not a folder
            resolved = file.resolve(strict=True)
            if not resolved.is_relative_to(root) or not resolved.is_file():
                return None
        except (OSError, RuntimeError, ValueError):  # too long, a loop, gone
            return None
        return resolved

    def _folder_without_slash(self, path: str) -> bool:
        parts = [p for p in path.split("/") if p]
        if not parts or path.endswith("/") or any(
                p in (".", "..") or "\\" in p or "\0" in p for p in parts):
            return False
        try:
            root = self.preview.root.resolve()
            folder = root.joinpath(*parts).resolve(strict=True)
            return folder.is_relative_to(root) and folder.is_dir()
        except (OSError, RuntimeError, ValueError):
            return False

    def _fresh(self, tag: str, modified: float) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:  # (a weak comparison, as RFC 9110 asks for GET)
            tags = [m.strip().removeprefix("W/") for m in match.split(",")]
            return tag in tags or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(modified) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, kind: str | None, data: bytes, body: bool,
              tag: str | None = None, modified: float | None = None) -> None:
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        if tag:
            self.send_header("ETag", tag)
            self.send_header("Last-Modified", formatdate(modified, usegmt=True))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Vary", "Accept")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _failure(self) -> str:
        """What a page says while the last build failed ("" while it did not)."""
        errors = "".join(f"<li><code>{html.escape(str(p))}</code></li>"
                         for p in self.preview.problems)
        return (f'<section role="alert"><h2>The last build failed</h2><p>These are '
                f"still the files of the last good build.</p><ul>{errors}</ul></section>"
                if errors else "")

    def _front(self) -> bytes:
        """The front page while feedpub makes no index of its own: the feeds, with
        autodiscovery links, and the last build's errors."""
        preview = self.preview
        feeds = sorted(p.relative_to(preview.root).as_posix()
                       for p in preview.root.rglob("*") if p.name in TYPES)
        links = "".join(f'<link rel="alternate" type="{TYPES[posixpath.basename(f)]}" '
                        f'href="{html.escape(preview.url + f)}">' for f in feeds
                        if "/" not in f)
        items = "".join(f'<li><a href="/{html.escape(f)}">{html.escape(f)}</a></li>'
                        for f in feeds)
        failed = self._failure()
        return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>feedpub preview</title>{links}</head><body><h1>feedpub preview"
                f"</h1>{failed}<h2>Feeds</h2><ul>{items}</ul>{RELOAD}</body></html>").encode()


def _after_body_tag(page: bytes, section: bytes) -> bytes:
    """`section` at the start of the page's body (at its start, if it has no <body>)."""
    match = re.search(rb"<body\b[^>]*>", page, re.IGNORECASE)
    at = match.end() if match else 0
    return page[:at] + section + page[at:]
