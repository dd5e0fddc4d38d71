"""WebSub publishing (`feedpub build --ping`, `feedpub ping`): tell each hub of
[websub] hubs that feeds changed, with `hub.mode=publish` and the feed's URL as
`hub.url` (the form hubs such as pubsubhubbub.appspot.com and websub.rocks take).

Every request has a timeout; a 5xx answer or a connection failure is tried again
with exponential backoff, a bounded number of times; a 4xx answer is final. The
result is one line per hub.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from feedpub.config.model import Config

TIMEOUT = 10.0  # seconds, per request
ATTEMPTS = 3
BACKOFF = 1.0  # seconds before the second try; doubled before each next one
USER_AGENT = "feedpub (WebSub publisher)"


@dataclass(frozen=True, slots=True)
class HubResult:
    hub: str
    told: int  # feeds the hub accepted
    failures: tuple[str, ...]  # one line per feed it did not

    @property
    def ok(self) -> bool:
        return not self.failures

    def line(self) -> str:
        if self.ok:
            return f"pinged {self.hub}: {self.told} feed(s) accepted"
        return (f"ping {self.hub}: {len(self.failures)} of {self.told + len(self.failures)} "
                f"feed(s) failed: " + "; ".join(self.failures))


def feed_urls(config: Config, paths: Sequence[Path]) -> list[str]:
    """The URLs the output files are served at (the output folder is served at url)."""
    return [config.url + p.relative_to(config.output_dir).as_posix() for p in paths]


def ping(hubs: Sequence[str], urls: Sequence[str], *, timeout: float = TIMEOUT,
         attempts: int = ATTEMPTS, backoff: float = BACKOFF,
         sleep: Callable[[float], None] = time.sleep) -> list[HubResult]:
    """Tell every hub of every URL; never raises for a hub's failure."""
    results = []
    for hub in hubs:
        told, failures = 0, []
        for url in urls:
            problem = _publish(hub, url, timeout, attempts, backoff, sleep)
            if problem is None:
                told += 1
            else:
                failures.append(f"{url}: {problem}")
        results.append(HubResult(hub, told, tuple(failures)))
    return results


def _publish(hub: str, url: str, timeout: float, attempts: int, backoff: float,
             sleep: Callable[[float], None]) -> str | None:
    """None once the hub accepts; else what went wrong on the last try."""
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url}).encode()
    problem = "not tried"
    for attempt in range(attempts):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        request = urllib.request.Request(hub, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                answer.read(65536)
                return None
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code} {exc.reason}"
            if exc.code < 500:
                return problem  # the hub refuses: asking again changes nothing
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            problem = f"no answer ({reason})"
    return f"{problem}, after {attempts} tries"
