"""The GitHub Actions workflows in examples/github-actions/: valid, shown verbatim in the
README, and working. Their `run:` steps are run here in order, with bash as GitHub runs
them (`bash --noprofile --norc -eo pipefail`), in a copy of the bundled sample, with
feedpub installed by the workflow's own step into a fresh virtual environment, from
the working tree instead of the repository URL. The live feed is a loopback HTTP server.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from lxml import etree

from .conftest import NS, ROOT

EXAMPLES = ROOT / "examples" / "github-actions"
PAGES = EXAMPLES / "feed.yml"
RSYNC = EXAMPLES / "feed-rsync.yml"
WORKFLOWS = [PAGES, RSYNC]
README_SECTION = "## Run it in CI on every push (GitHub Actions)"
SITE = "https://dispatch.example.org/"  # the sample's feed.url
FIRST = "first publication"  # what the compare step says when there is no feed yet


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text("utf-8"))
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    return workflow


def run_steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


# ---------------------------------------------------------------- what the files say


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_runs_on_push_to_main_every_hour_and_by_hand(path: Path) -> None:
    workflow = load(path)
    assert set(workflow["on"]) == {"push", "schedule", "workflow_dispatch"}
    assert workflow["on"]["push"] == {"branches": ["main"]}
    [schedule] = workflow["on"]["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert minute.isdigit() and 0 <= int(minute) < 60
    assert [hour, *rest] == ["*", "*", "*", "*"]  # every hour
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_installs_feedpub_by_url_pinned_and_runs_plain_shell(path: Path) -> None:
    workflow = load(path)
    assert re.fullmatch(r"git\+https://github\.com/[\w-]+/feedpub@v\d+\.\d+\.\d+",
                        workflow["env"]["FEEDPUB"])
    text = path.read_text("utf-8")
    assert "replace this with the repository you got" in text
    assert "pinned to a tag or a commit" in text
    assert re.fullmatch(r"https://\S+/atom\.xml", workflow["env"]["FEED_URL"])
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert all(("uses" in step) != ("run" in step) for step in steps)
    assert all(re.fullmatch(r"actions/[\w-]+@v\d+", step["uses"])
               for step in steps if "uses" in step)
    runs = [step["run"] for step in run_steps(workflow)]
    assert 'pip install "$FEEDPUB"' in runs
    assert not any("${{" in run for run in runs)  # env variables only: the test runs them
    assert not any(re.search(r"pip install feedpub\b", run) for run in runs)


def test_pages_workflow_adds_the_feeds_to_the_site_and_deploys_from_main_only() -> None:
    workflow = load(PAGES)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    names = [step.get("name") or step["uses"] for step in build["steps"]]
    assert names.index("Build the site") < names.index("Add the feeds to the site") \
        < names.index("actions/upload-pages-artifact@v3")
    site_build = build["steps"][names.index("Build the site")]
    assert site_build["run"] == 'mkdir -p "$SITE_DIR"'  # harmless until replaced
    assert "replace with your site's build" in PAGES.read_text("utf-8").lower()
    assert build["steps"][names.index("Add the feeds to the site")]["run"] \
        == 'feedpub build --output "$SITE_DIR"'
    upload = build["steps"][names.index("actions/upload-pages-artifact@v3")]
    assert upload["with"] == {"path": "${{ env.SITE_DIR }}"}
    assert deploy["needs"] == "build"
    assert deploy["if"] == "github.ref == 'refs/heads/main'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"] for step in deploy["steps"]] == ["actions/deploy-pages@v4"]


def test_rsync_workflow_sends_only_the_feed_files_with_secrets_from_env() -> None:
    workflow = load(RSYNC)
    [job] = workflow["jobs"].values()
    copy = next(step for step in job["steps"] if "rsync" in step.get("run", ""))
    assert copy["if"] == "github.ref == 'refs/heads/main'"
    assert copy["env"]["DEPLOY_TARGET"] == "${{ secrets.DEPLOY_TARGET }}"
    command = " ".join(copy["run"].replace("\\\n", " ").split("rsync ", 1)[1].split())
    assert "--delete" not in command and "--archive" not in command
    assert not re.search(r"(^| )-\w*[at]", command)  # no --times: see the run test
    assert command.endswith('"$OUT/" "$DEPLOY_TARGET"')  # the output folder holds only feeds
    assert "--recursive" in command  # tags/ and archive/ too


def readme_yaml_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    start = text.index(README_SECTION)
    end = text.find("\n## ", start + len(README_SECTION))
    section = text[start: end if end >= 0 else len(text)]
    return re.findall(r"^```yaml\n(.*?)^```$", section, flags=re.DOTALL | re.MULTILINE)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_readme_shows_the_workflow_file_verbatim(path: Path) -> None:
    assert path.read_text("utf-8") in readme_yaml_blocks()


# ---------------------------------------------------------------- running them


@dataclass
class Ran:
    name: str
    returncode: int
    output: str


class LiveSite:
    """A loopback HTTP server standing for the published site: files under `root`;
    /status/NNN answers that status."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[str] = []
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, directory=str(root), **kwargs)

            def do_GET(self) -> None:
                site.requests.append(self.path)
                if m := re.fullmatch(r"/status/(\d{3})/.*", self.path):
                    self.send_error(int(m[1]))
                else:
                    super().do_GET()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/{path}"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveSite]:
    (tmp_path / "live").mkdir()
    site = LiveSite(tmp_path / "live")
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


def need(tool: str) -> None:
    """CI (FEEDPUB_REQUIRE_FEEDCHECK=1, as .ci/run sets) installs the tools; elsewhere a
    missing one skips the test."""
    if shutil.which(tool):
        return
    reason = f"{tool} is not installed (apt-get install {tool}; .ci/run installs it)"
    if os.environ.get("FEEDPUB_REQUIRE_FEEDCHECK") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment for the workflow's `pip install "$FEEDPUB"`.

    It sees this environment's installed packages except feedpub (a .pth file naming
    a folder of links to them), so pip builds and installs only feedpub itself.
    """
    base = tmp_path_factory.mktemp("runner")
    subprocess.run([sys.executable, "-m", "venv", base / "venv"], check=True)
    ours = Path(sysconfig.get_paths()["purelib"])
    shared = base / "installed"
    shared.mkdir()
    left_out = {"feedpub", "pip", "setuptools", "_distutils_hack", "pkg_resources", "__pycache__"}
    for item in ours.iterdir():
        name = re.split(r"[-.]", item.name, maxsplit=1)[0].lower()
        if not (name in left_out or item.suffix == ".pth" or name.startswith("__editable__")):
            (shared / item.name).symlink_to(item)
    purelib = subprocess.run(
        [base / "venv" / "bin" / "python", "-c",
         "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "installed-here.pth").write_text(f"{shared}\n", encoding="utf-8")
    venv = base / "venv"
    assert feedpub_in(venv) is None  # until the workflow's install step runs
    assert subprocess.run([venv / "bin" / "python", "-I", "-c", "import lxml, yaml, feedgen"],
                          capture_output=True).returncode == 0
    return venv


def feedpub_in(venv: Path) -> Path | None:
    """Where the venv's Python imports feedpub from (None: it cannot)."""
    proc = subprocess.run(
        [venv / "bin" / "python", "-I", "-c", "import feedpub; print(feedpub.__file__)"],
        capture_output=True, text=True)
    return Path(proc.stdout.strip()) if proc.returncode == 0 else None


@pytest.fixture(scope="module")
def working_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree as `$FEEDPUB`: a copy, so that pip's in-tree build leaves the
    repository as it is."""
    copy = tmp_path_factory.mktemp("feedpub") / "feedpub"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "dist", "public", "*.egg-info", "__pycache__",
        ".*cache*", ".hypothesis", "corpus", ".work"))
    return copy


def checkout(tmp_path: Path, name: str, site_dir: str | None = None) -> Path:
    """A fresh copy of the sample, as actions/checkout gives; an existing page in
    `site_dir` stands for what the site's own build wrote."""
    repo = tmp_path / name
    repo.mkdir()
    shutil.copy(ROOT / "feedpub.toml", repo / "feedpub.toml")
    shutil.copytree(ROOT / "entries", repo / "entries")
    if site_dir:  # a site that makes its own pages: feedpub adds the feeds alone
        with (repo / "feedpub.toml").open("a", encoding="utf-8") as config:
            config.write("\n[site]\npages = false\n")
        (repo / site_dir).mkdir()
        (repo / site_dir / "index.html").write_text("<h1>The site</h1>\n", encoding="utf-8")
    return repo


def run_job(path: Path, cwd: Path, venv: Path, env: dict[str, str],
            only: set[str] | None = None) -> list[Ran]:
    """Run the `run:` steps of the workflow's first job in order (or those named in
    `only`), stopping at the first that fails, as GitHub does; `if:` conditions are
    taken as true (a push to main). The workflow's, the job's and the step's env apply,
    then `env`, which must replace every `${{ ... }}` value."""
    workflow = load(path)
    job = next(iter(workflow["jobs"].values()))
    ours = str(Path(sys.executable).parent)
    base = {k: v for k, v in os.environ.items()
            if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
            and not k.startswith(("FEEDPUB", "PYTEST", "DEPLOY_"))}
    base.update(
        PATH=os.pathsep.join([str(venv / "bin")] + [
            p for p in os.environ["PATH"].split(os.pathsep) if p != ours]),
        VIRTUAL_ENV=str(venv), HOME=str(cwd.parent / f"{cwd.name}-home"),
        PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip"),
        no_proxy="127.0.0.1", NO_PROXY="127.0.0.1", CI="true", GITHUB_ACTIONS="true")
    Path(base["HOME"]).mkdir(exist_ok=True)
    ran = []
    for number, step in enumerate(job["steps"]):
        if "run" not in step or (only is not None and step["name"] not in only):
            continue
        step_env = {**base, **workflow.get("env", {}), **job.get("env", {}),
                    **step.get("env", {}), **env}
        unresolved = sorted(k for k, v in step_env.items() if "${{" in str(v))
        assert not unresolved, f"give the test a value for {unresolved}"
        script = cwd.parent / f"{cwd.name}-step{number}.sh"
        script.write_text(step["run"], encoding="utf-8")
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                              cwd=cwd, env={k: str(v) for k, v in step_env.items()},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=180)
        ran.append(Ran(step["name"], proc.returncode, proc.stdout))
        if proc.returncode:
            break
    return ran


def passed(ran: list[Ran]) -> dict[str, str]:
    failed = [r for r in ran if r.returncode]
    assert not failed, f"step {failed[0].name!r} exited {failed[0].returncode}:\n" \
                       f"{failed[0].output}"
    return {r.name: r.output for r in ran}


def failed_at(ran: list[Ran], name: str) -> str:
    assert ran[-1].name == name and ran[-1].returncode != 0, [(r.name, r.returncode)
                                                              for r in ran]
    return ran[-1].output


def assert_feeds(folder: Path) -> None:
    """rss.xml and atom.xml of the sample: its newest 3 entries (limit), each with its
    self link, and the archive's pages."""
    rss = etree.parse(str(folder / "rss.xml")).getroot()
    atom = etree.parse(str(folder / "atom.xml")).getroot()
    assert len(rss.findall("channel/item")) == 3
    assert len(atom.findall("atom:entry", NS)) == 3
    assert (folder / "archive" / "1" / "atom.xml").is_file()
    assert rss.find("channel/atom:link[@rel='self']", NS).get("href") == SITE + "rss.xml"
    assert atom.find("atom:link[@rel='self']", NS).get("href") == SITE + "atom.xml"
    assert all(guid.text.startswith("tag:dispatch.example.org,")
               for guid in rss.iterfind("channel/item/guid"))


def assert_installed_from_the_working_tree(venv: Path, output: str) -> None:
    assert "Successfully installed feedpub" in output
    installed = feedpub_in(venv)
    assert installed is not None and installed.is_relative_to(venv)
    assert (venv / "bin" / "feedpub").is_file()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_pages_workflow_builds_into_the_site_and_checks_against_the_live_feed(
        tmp_path: Path, runner: Path, working_tree: Path, live: LiveSite) -> None:
    need("curl")
    site_dir = load(PAGES)["env"]["SITE_DIR"]
    env = {"FEEDPUB": str(working_tree), "FEED_URL": live.url("atom.xml")}

    # First publication: nothing at FEED_URL yet (404).
    first = checkout(tmp_path, "first", site_dir)
    out = passed(run_job(PAGES, first, runner, env))
    assert_installed_from_the_working_tree(runner, out["Install feedpub"])
    compared = out["Compare with the published feed (ids must not change)"]
    # Said as a warning in the job's log: a mistyped FEED_URL must not go unseen.
    assert f"::warning::{env['FEED_URL']}: HTTP 404, taken as the {FIRST}" in compared
    assert (first / site_dir / "index.html").read_text("utf-8") == "<h1>The site</h1>\n"
    assert sorted(p.name for p in (first / site_dir).iterdir()) \
        == ["archive", "atom.xml", "feed.json", "index.html", "rss.xml", "tags"]
    assert_feeds(first / site_dir)

    # Next run: FEED_URL serves what the first run published; the check compares with it.
    shutil.copy(first / site_dir / "atom.xml", live.root / "atom.xml")
    second = checkout(tmp_path, "second", site_dir)
    out = passed(run_job(PAGES, second, runner, env))
    assert FIRST not in out["Compare with the published feed (ids must not change)"]
    assert live.requests == ["/atom.xml", "/atom.xml"]
    assert (second / site_dir / "index.html").exists()
    assert (second / site_dir / "atom.xml").read_bytes() \
        == (first / site_dir / "atom.xml").read_bytes()

    # An id that changed since publication stops the job before anything is built.
    published = (live.root / "atom.xml").read_text("utf-8")
    old_id = re.search(r"<entry>\s*<id>(tag:[^<]+)</id>", published)[1]
    (live.root / "changed").mkdir()
    (live.root / "changed" / "atom.xml").write_text(
        published.replace(old_id, old_id + "-as-first-published"), encoding="utf-8")
    compare = {"Compare with the published feed (ids must not change)"}
    changed = checkout(tmp_path, "changed")
    output = failed_at(run_job(PAGES, changed, runner,
                               {**env, "FEED_URL": live.url("changed/atom.xml")}, compare),
                       *compare)
    assert old_id + "-as-first-published" in output
    # So do an answer other than 200, 404 or 410, and an unreachable site.
    output = failed_at(run_job(PAGES, changed, runner,
                               {**env, "FEED_URL": live.url("status/403/atom.xml")}, compare),
                       *compare)
    assert "answered HTTP 403" in output
    unreachable = f"http://127.0.0.1:{closed_port()}/atom.xml"
    output = failed_at(run_job(PAGES, changed, runner, {**env, "FEED_URL": unreachable},
                               compare), *compare)
    assert f"cannot fetch {unreachable}" in output
    assert not (changed / site_dir).exists()

    # Left as it is, the site's build makes no page: with feedpub making the feeds
    # alone, the job refuses to deploy them in place of the site.
    bare = checkout(tmp_path, "bare")
    with (bare / "feedpub.toml").open("a", encoding="utf-8") as config:
        config.write("\n[site]\npages = false\n")
    guard = "Refuse to replace the site with the feeds alone"
    output = failed_at(run_job(PAGES, bare, runner, env,
                               {"Build the site", "Add the feeds to the site", guard}), guard)
    assert "Build the site" in output
    assert sorted(p.name for p in (bare / site_dir).iterdir()) == [
        "archive", "atom.xml", "feed.json", "rss.xml", "tags"]


def test_rsync_workflow_copies_only_the_feeds_and_leaves_unchanged_ones_alone(
        tmp_path: Path, runner: Path, working_tree: Path, live: LiveSite) -> None:
    need("curl")
    need("rsync")
    out_dir = load(RSYNC)["env"]["OUT"]
    server = tmp_path / "www"
    server.mkdir()
    (server / "index.html").write_text("<h1>The site</h1>\n", encoding="utf-8")
    env = {"FEEDPUB": str(working_tree), "FEED_URL": live.url("atom.xml"),
           "DEPLOY_TARGET": f"{server}/", "DEPLOY_KEY": "not a key: the copy here is local",
           "DEPLOY_KNOWN_HOSTS": "example.org ssh-ed25519 AAAA"}

    first = checkout(tmp_path, "first")
    out = passed(run_job(RSYNC, first, runner, env))
    assert_installed_from_the_working_tree(runner, out["Install feedpub"])
    assert FIRST in out["Compare with the published feed (ids must not change)"]
    assert sorted(p.name for p in server.iterdir()) == [
        "archive", "atom.xml", "feed.json", "index.html", "rss.xml", "tags"]
    assert (server / "index.html").read_text("utf-8") == "<h1>The site</h1>\n"
    assert_feeds(server)
    for name in ("rss.xml", "atom.xml"):
        assert (server / name).read_bytes() == (first / out_dir / name).read_bytes()
    key = first.parent / "first-home" / ".ssh" / "deploy_key"
    assert key.read_text("utf-8") == env["DEPLOY_KEY"] + "\n"
    assert key.stat().st_mode & 0o777 == 0o600

    # The next run builds the same feeds: nothing is sent, and the server's files keep
    # their dates (readers' conditional requests keep getting 304).
    shutil.copy(server / "atom.xml", live.root / "atom.xml")
    for name in ("rss.xml", "atom.xml"):
        os.utime(server / name, (1_000_000_000, 1_000_000_000))
    second = checkout(tmp_path, "second")
    out = passed(run_job(RSYNC, second, runner, env))
    assert FIRST not in out["Compare with the published feed (ids must not change)"]
    assert live.requests == ["/atom.xml", "/atom.xml"]
    for name in ("rss.xml", "atom.xml"):
        assert (server / name).stat().st_mtime == 1_000_000_000
        assert (server / name).read_bytes() == (second / out_dir / name).read_bytes()
    assert (server / "index.html").exists()


def test_the_readmes_images_are_in_the_repository() -> None:
    """The walkthrough's screenshot (and any other image) shows on a fresh clone."""
    text = (ROOT / "README.md").read_text("utf-8")
    images = re.findall(r"^!\[[^\]]+\]\(([^)\s]+)\)", text, flags=re.MULTILINE)
    assert "docs/front-page.png" in images
    for image in images:
        assert (ROOT / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image
