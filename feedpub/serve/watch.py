"""The preview's builds: into the temporary folder, for the server's address, again
whenever an entry, the config or a template changes (watchfiles). The build cache is
neither read nor written: a preview never touches what `feedpub build` keeps."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from feedpub.base.problems import FeedpubError, Problem, error
from feedpub.serve.server import make_server
from feedpub.serve.state import Preview

DEBOUNCE_MS = 200  # changes closer than this make one rebuild
WAIT_MS = 500  # the watcher answers at least this often, with no change if none came


class Serve:
    """A running preview: `start()` builds and serves, `watch()` rebuilds on changes
    until `stop()`."""

    def __init__(self, config_path: Path, host: str = "127.0.0.1", port: int = 8000,
                 report: Callable[[str, tuple[Problem, ...]], None] | None = None) -> None:
        self.config_path = config_path.absolute()
        self.server = make_server(Preview(Path(), ""), host, port)  # (OSError: taken)
        self.root = Path(tempfile.mkdtemp(prefix="feedpub-serve-"))
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.server.server_address[1]}/"
        self.preview = self.server.RequestHandlerClass.preview  # type: ignore[attr-defined]
        self.preview.root, self.preview.url = self.root, self.url
        self.report = report or (lambda line, problems: None)
        self.stopping = threading.Event()
        self.watching = threading.Event()  # set once `watch()` sees every change
        self._written: set[Path] = set()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.rebuild()
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def rebuild(self) -> bool:
        """Build into the folder; on failure keep the last good files. True if built."""
        from feedpub.build import build, now_for_build
        from feedpub.config.load import load_config
        from feedpub.publish.write import publish

        try:
            config = load_config(self.config_path, output=self.root, url=self.url)
            result = build(config, now=now_for_build())
            made = {*result.outputs, *(target for _, target in result.copies)}
            stale = {p: (p.stat().st_size, p.stat().st_mtime_ns)
                     for p in self._written - made if p.is_file()}
            publish(result.outputs, stale=stale, root=self.root, copies=result.copies)
        except FeedpubError as exc:
            return self._failed(tuple(exc.problems))
        except Exception as exc:  # a preview keeps running, whatever stopped a build
            return self._failed((error(f"the build stopped: {type(exc).__name__}: {exc}",
                                       hint="fix what it names; the preview builds again "
                                            "on the next change"),))
        self._written = made
        self.preview.built()
        self.report(f"built: {result.entry_count} of {result.found_count} entries in the "
                    "main feed", tuple(result.warnings))
        return True

    def _failed(self, problems: tuple[Problem, ...]) -> bool:
        self.preview.failed(problems)
        self.report("build failed: still serving the last good build", problems)
        return False

    def watch(self) -> None:
        """Build again on every change in the config's folder (recursively, so that a
        file an editor saves by renaming, or a folder deleted and made again, is still
        seen), except in the output folder, the cache and version control."""
        from watchfiles import DefaultFilter, watch

        folder = self.config_path.parent
        ignored = [str(folder / name) for name in (".feedpub-cache", "public")]
        with contextlib.suppress(FeedpubError):
            from feedpub.config.load import load_config

            ignored.append(str(load_config(self.config_path).output_dir))
        # The watcher is in place before its first answer, a change or a quiet
        # half-second (an empty set): only then is `watching` set.
        for changes in watch(folder, watch_filter=DefaultFilter(ignore_paths=ignored),
                             stop_event=self.stopping, debounce=DEBOUNCE_MS, step=50,
                             rust_timeout=WAIT_MS, yield_on_timeout=True):
            self.watching.set()
            if changes:
                self.rebuild()

    def stop(self) -> None:
        self.stopping.set()
        if self._thread is not None:  # (shutdown waits for serve_forever to have run)
            self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.root, ignore_errors=True)
