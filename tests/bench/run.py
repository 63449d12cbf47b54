#!/usr/bin/env python3
"""logscrub throughput benchmark (make bench; never part of make check).

    run.py [--data-dir DIR] [--only REGEX] [--json FILE] [--callgrind] LOGSCRUB

Generates (once, cached in DIR) an nginx and a mail corpus with gen.py, then
times every row of ROWS below as the median of several runs, and prints one
aligned table: MB/s, lines/s, CPU time, peak RSS, ratios to cat and anonip.
With --callgrind, counts instructions per input byte under valgrind instead
(stable from run to run, for before/after comparisons of the hot path).
See tests/bench/README.md for how to read the figures.

Environment (all optional):
  BENCH_MB            nginx corpus size in MB (10^6 bytes), default 200
  BENCH_MAIL_MB       mail corpus size in MB, default BENCH_MB / 2
  BENCH_RUNS          timed runs per row, median reported, default 5
  BENCH_ANONIP_RUNS   runs per anonip row, default 2
  BENCH_ANONIP_MB     size of the nginx slice that anonip reads, default 10
  BENCH_CALLGRIND_MB  size of the slices for --callgrind, default 5
  BENCH_SEED          corpus seed, default 1
  BENCH_ONLY          regular expression; time only the rows whose label
                      matches (the cat rows always run: they are the baseline)
  BENCH_GEOIP_DB      a MaxMind database for rows that use {geoip_db}
  ANONIP              anonip to compare with, default /usr/bin/anonip
Python standard library only.
"""

import argparse
import atexit
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "gen.py")
MB = 1000 * 1000
PROBE_BYTES = 64 * 1024      # input for the probe run that detects unsupported options
EXIT_USAGE = 2               # logscrub's exit status for an unknown option


class Row:
    """One line of the table.

    label   what the table shows
    argv    the command; {logscrub}, {key}, {anonip}, {geoip_db} are
            substituted, and a row whose placeholder has no value (anonip not
            installed, keygen failed, no database) is shown as skipped
    input   "nginx" or "mail" (the whole corpus), "nginx-slice" (the small
            slice anonip reads)
    pipe    feed the input through `cat FILE |` instead of `< FILE`
    runs    timed runs: None for BENCH_RUNS, "anonip" for BENCH_ANONIP_RUNS,
            or a number
    """

    def __init__(self, label, argv, input, pipe=False, runs=None):
        self.label, self.argv, self.input, self.pipe, self.runs = label, argv, input, pipe, runs

    @property
    def is_cat(self):
        return self.argv == ["cat"]

    @property
    def kind(self):
        return self.input.split("-")[0]


PSEUDO = ["{logscrub}", "--ip=pseudonymise", "--key-file={key}"]

# The rows, in table order.  To add one, append a Row: a binary that exits 2
# on an option it does not know yet prints "n/a (unsupported)" instead of
# failing the run, so rows for features still being written are harmless.
GEO = ["{logscrub}", "--geo=country,continent", "--geoip-db={geoip_db}"]
ROWS = []
for _kind in ("nginx", "mail"):
    ROWS += [
        Row("cat < file", ["cat"], _kind),
        Row("cat file | cat", ["cat"], _kind, pipe=True),
        Row("logscrub < file", ["{logscrub}"], _kind),
        Row("logscrub --ip=pseudonymise < file", PSEUDO, _kind),
        Row("cat file | logscrub", ["{logscrub}"], _kind, pipe=True),
        Row("cat file | logscrub --ip=pseudonymise", PSEUDO, _kind, pipe=True),
        Row("logscrub --format=auto < file", ["{logscrub}", "--format=auto"], _kind),
    ]
ROWS += [Row("logscrub --geo=country,continent < file", GEO, "nginx")]
ROWS += [
    Row("anonip (default: -4 12 -6 84)", ["{anonip}"], "nginx-slice", runs="anonip"),
    Row("anonip --ipv4mask 8 --ipv6mask 80", ["{anonip}", "--ipv4mask", "8", "--ipv6mask", "80"],
        "nginx-slice", runs="anonip"),
]
ANONIP_REF = ROWS[-2].label   # the row every "x anonip" ratio divides by

# --callgrind: (label, argv) run on a slice of each corpus.
CALLGRIND_ROWS = [
    ("logscrub (truncate)", ["{logscrub}"]),
    ("logscrub --ip=pseudonymise", PSEUDO),
    ("logscrub --geo=country,continent", GEO),
    ("logscrub --format=auto", ["{logscrub}", "--format=auto"]),
]


def env_num(name, default, kind=float):
    v = os.environ.get(name, "")
    if not v.strip():
        return default
    try:
        n = kind(v)
    except ValueError:
        sys.exit("run.py: %s=%r is not a number" % (name, v))
    if n <= 0:
        sys.exit("run.py: %s must be positive" % name)
    return n


def note(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- corpora

def gen_version():
    with open(GEN, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:10]


def fmt_mb(mb):
    return ("%g" % mb).replace(".", "p")


def corpus(data_dir, kind, mb, seed):
    """Path to the cached corpus, generated when missing.  The name carries
    the generator's hash, so editing gen.py regenerates; older generations
    of the same kind are removed."""
    ver = gen_version()
    name = "%s-%sMB-seed%d-%s.log" % (kind, fmt_mb(mb), seed, ver)
    path = os.path.join(data_dir, name)
    if not os.path.exists(path):
        os.makedirs(data_dir, exist_ok=True)
        for old in os.listdir(data_dir):
            if re.match(r"%s-[0-9p]+MB-seed\d+-[0-9a-f]{10}\.log$" % kind, old) and not old.endswith(ver + ".log"):
                os.unlink(os.path.join(data_dir, old))
        note("run.py: generating %s (%g MB, once; cached in %s)" % (name, mb, data_dir))
        t = time.perf_counter()
        subprocess.run([sys.executable, GEN, "-q", "--seed", str(seed), "--size", str(mb),
                        "--kind", kind, path], check=True)
        note("run.py: generated in %.1f s" % (time.perf_counter() - t))
    return path


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 24)
            if not b:
                return n
            n += b.count(b"\n")


def warm(path):
    """Read the file once so that every row starts from the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


# ---------------------------------------------------------------- running

def child_env():
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    return env


def substitute(argv, res):
    """argv with placeholders filled, or (None, missing-name)."""
    out = []
    for a in argv:
        for name in re.findall(r"\{(\w+)\}", a):
            if res.get(name) is None:
                return None, name
            a = a.replace("{%s}" % name, res[name])
        out.append(a)
    return out, None


def spawn(argv, stdin, stdout, stderr, env):
    acts = [(os.POSIX_SPAWN_DUP2, stdin, 0), (os.POSIX_SPAWN_DUP2, stdout, 1),
            (os.POSIX_SPAWN_DUP2, stderr, 2)]
    return os.posix_spawnp(argv[0], argv, env, file_actions=acts)


def describe_status(code):
    return "killed by signal %d" % -code if code < 0 else "exit %d" % code


def find_gnu_time():
    """GNU time's path if it works, else None.  It supplies the peak RSS:
    wait4()'s ru_maxrss cannot, for a child spawned from this process
    inherits the interpreter's own high-water mark at exec (Linux keeps
    the larger of the old and new image's), tens of MiB before the command
    has done anything.  GNU time forks from a small process, so its %M is
    the command's own figure."""
    path = os.environ.get("GNU_TIME", "/usr/bin/time")
    if not os.access(path, os.X_OK):
        return None
    with tempfile.NamedTemporaryFile("r") as f:
        try:
            p = subprocess.run([path, "-f", "%M", "-o", f.name, "--", "true"],
                               capture_output=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return path if p.returncode == 0 and f.read().strip().isdigit() else None


def time_once(argv, path, pipe, env, errpath, gnu_time):
    """Run argv once with PATH on stdin (or through `cat PATH |`), stdout to
    /dev/null.  Returns (seconds, exit code, cpu seconds, peak RSS in KiB
    or None) of the command; the wall time covers the whole pipeline."""
    rsspath = errpath + ".rss"
    if gnu_time:
        argv = [gnu_time, "-f", "%M", "-o", rsspath, "--"] + argv
    null_w = os.open(os.devnull, os.O_WRONLY)
    err = os.open(errpath, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    feeder = None
    try:
        t0 = time.perf_counter()
        if pipe:
            null_r = os.open(os.devnull, os.O_RDONLY)
            r, w = os.pipe()
            try:
                feeder = spawn(["cat", path], null_r, w, err, env)
            finally:
                os.close(w)
                os.close(null_r)
            try:
                pid = spawn(argv, r, null_w, err, env)
            finally:
                os.close(r)
        else:
            fd = os.open(path, os.O_RDONLY)
            try:
                pid = spawn(argv, fd, null_w, err, env)
            finally:
                os.close(fd)
        # CPU time from wait4 is exact (GNU time's own is ~1 ms and its
        # %U/%S have 10 ms steps); with GNU time it includes the command,
        # which time reaped.
        _, status, ru = os.wait4(pid, 0)
        if feeder is not None:
            os.wait4(feeder, 0)
            feeder = None
        t1 = time.perf_counter()
    finally:
        if feeder is not None:
            os.waitpid(feeder, 0)
        os.close(null_w)
        os.close(err)
    rss = None
    if gnu_time:
        try:
            with open(rsspath) as f:
                last = f.read().strip().splitlines()[-1]
            rss = int(last)
        except (OSError, IndexError, ValueError):
            rss = None
    return t1 - t0, os.waitstatus_to_exitcode(status), ru.ru_utime + ru.ru_stime, rss


def probe(argv, path, env):
    """Run argv on the first PROBE_BYTES of PATH, capturing its output: a
    cheap check before the timed runs.  Returns None when it works, else
    the table cell and a note."""
    with open(path, "rb") as f:
        data = f.read(PROBE_BYTES)
    data = data[:data.rfind(b"\n") + 1]
    try:
        p = subprocess.run(argv, input=data, capture_output=True, env=env, timeout=120)
    except FileNotFoundError:
        return "n/a (not found)", "%s: not found" % argv[0]
    except PermissionError:
        return "n/a (not executable)", "%s: not executable" % argv[0]
    except subprocess.TimeoutExpired:
        return "FAILED (timeout)", "no result on %d bytes within 120 s" % len(data)
    err = p.stderr.decode(errors="replace").strip().splitlines()
    first = err[0] if err else ""
    if p.returncode == EXIT_USAGE:
        return "n/a (unsupported)", first
    if p.returncode != 0:
        return "FAILED (%s)" % describe_status(p.returncode), first
    if data and not p.stdout:
        return "FAILED (no output)", "wrote nothing for the first %d KiB of its input" % (PROBE_BYTES // 1024)
    return None


class Result:
    def __init__(self, row, argv, path, nbytes, nlines):
        self.row, self.argv, self.path = row, argv, path
        self.bytes, self.lines = nbytes, nlines
        self.times, self.cpu, self.rss = [], [], []
        self.cell = None       # set when the row is not timed: "n/a (...)", "FAILED (...)"
        self.note = ""

    @property
    def ok(self):
        return self.cell is None and bool(self.times)

    @property
    def median(self):
        return statistics.median(self.times)

    @property
    def mbps(self):
        return self.bytes / MB / self.median

    def as_dict(self):
        d = {"label": self.row.label, "input": self.row.input, "pipe": self.row.pipe,
             "argv": self.argv, "bytes": self.bytes, "lines": self.lines}
        if self.ok:
            d.update(times=self.times, cpu_times=self.cpu, median_s=self.median, mb_per_s=self.mbps,
                     lines_per_s=self.lines / self.median, cpu_s=statistics.median(self.cpu),
                     max_rss_kib=max(self.rss) if self.rss else None)
        else:
            d.update(status=self.cell, note=self.note)
        return d


# ---------------------------------------------------------------- report

def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    model = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {"nproc": usable, "cpus": os.cpu_count(), "cpu": model, "kernel": os.uname().release,
            "python": sys.version.split()[0]}


def source_rev(binary):
    """git describe of the tree the binary was built in (None outside git)."""
    try:
        p = subprocess.run(["git", "-C", os.path.dirname(binary), "describe", "--always", "--dirty"],
                           capture_output=True, text=True, timeout=10)
        return (p.stdout.strip() or None) if p.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def binary_version(path, env):
    try:
        p = subprocess.run([path, "--version"], capture_output=True, text=True, env=env, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = (p.stdout or "").strip().splitlines()
    return out[0] if p.returncode == 0 and out else None


def table(headers, rows, align, span_from=2):
    """Aligned text table.  A row of span_from cells plus one more is a
    status row: its last cell runs on from column span_from without
    widening it.  An empty row is a blank separator line."""
    full = [r for r in rows if len(r) == len(headers)]
    widths = [max(len(str(r[i])) for r in [headers] + (full if i >= span_from else [r for r in rows if r]))
              for i in range(len(headers))]

    def fmt(r):
        cells = []
        for i, c in enumerate(r):
            c = str(c)
            last_span = len(r) != len(headers) and i == len(r) - 1
            cells.append(c if last_span else c.ljust(widths[i]) if align[i] == "l" else c.rjust(widths[i]))
        return "  ".join(cells).rstrip()
    lines = [fmt(headers), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) if r else "" for r in rows]
    return "\n".join(lines)


def human_rate(x):
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    return "%.2f" % x


def human_count(x):
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= div:
            return "%.2f%s" % (x / div, unit)
    return "%.0f" % x


def cpu_rate(r):
    cpu = statistics.median(r.cpu)
    return human_rate(r.bytes / MB / cpu) if cpu >= 0.005 else "-"


def ratio(x):
    return "%.2fx" % x if x >= 0.1 else "%.3fx" % x


def report(results, info):
    by_label = {(r.row.label, r.row.kind): r for r in results}
    anon = by_label.get((ANONIP_REF, "nginx"))
    anon_mbps = anon.mbps if anon and anon.ok else None
    headers = ["row", "input", "MB/s", "lines/s", "x cat", "x anonip", "CPU s", "MB/CPU-s", "RSS MiB", "spread", "runs"]
    align = "llrrrrrrrrr"
    rows = []
    notes = {}
    prev_kind = None
    for r in results:
        if prev_kind is not None and r.row.input != prev_kind:
            rows.append(None)
        prev_kind = r.row.input
        inp = r.row.input + (" |" if r.row.pipe else "")
        if not r.ok:
            cell = r.cell or "n/a"
            rows.append([r.row.label, inp, cell])
            if r.note:
                notes.setdefault(r.note, []).append(r.row.label)
            continue
        base = by_label.get(("cat file | cat" if r.row.pipe else "cat < file", r.row.kind))
        x_cat = ratio(r.mbps / base.mbps) if base and base.ok else "-"
        x_anon = ratio(r.mbps / anon_mbps) if anon_mbps and r.row.kind == "nginx" else "-"
        spread = (max(r.times) - min(r.times)) / r.median * 100 if len(r.times) > 1 else 0
        rows.append([r.row.label, inp, human_rate(r.mbps), human_count(r.lines / r.median), x_cat, x_anon,
                     "%.2f" % statistics.median(r.cpu), cpu_rate(r),
                     "%.1f" % (max(r.rss) / 1024.0) if r.rss else "-",
                     "%.0f%%" % spread, str(len(r.times))])
    out = table(headers, [x or [] for x in rows], align)
    print()
    print("logscrub benchmark, %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    m = info["machine"]
    print("machine:  %s, nproc %s (of %s), Linux %s, Python %s" % (m["cpu"], m["nproc"], m["cpus"], m["kernel"], m["python"]))
    print("binary:   %s%s%s" % (info["logscrub"], " (%s)" % info["version"] if info.get("version") else "",
                                 ", source %s" % info["rev"] if info.get("rev") else ""))
    w = max(len(k) for k in info["corpora"]) + 2
    for k, c in info["corpora"].items():
        print("%-*s%s: %.1f MB, %d lines" % (w, k + ":", os.path.basename(c["path"]), c["bytes"] / MB, c["lines"]))
    print()
    print(out)
    print()
    print("MB/s = 10^6 bytes of input per second of wall time, median of 'runs'; lines/s likewise.")
    print("x cat = MB/s / MB/s of the cat row on the same input and plumbing ('< file' or 'cat file |').")
    print("x anonip = MB/s / MB/s of '%s' (nginx rows only; anonip reads the nginx slice)." % ANONIP_REF)
    print("CPU s, MB/CPU-s and RSS are the measured command's own (median user+sys, input MB per CPU")
    print("second, max peak RSS); in '|' rows the wall time covers the whole pipeline.  MB/CPU-s is")
    print("the figure least disturbed by other load.  spread = (max - min) / median of the runs.")
    if not info.get("rss"):
        print("RSS: '-' because GNU time was not found (apt install time, or set GNU_TIME).")
    print_notes(notes)


def print_notes(notes):
    """notes: {text: [row labels]}, one line per distinct text."""
    for text, labels in notes.items():
        print("note: %s%s: %s" % (labels[0], " (and %d more)" % (len(labels) - 1) if len(labels) > 1 else "", text))


# ---------------------------------------------------------------- main modes

def make_key(logscrub, env, tmpdir):
    """Create a key with `logscrub keygen`; (path, None) or (None, reason)."""
    path = os.path.join(tmpdir, "bench.key")
    try:
        p = subprocess.run([logscrub, "keygen", path], capture_output=True, text=True, env=env, timeout=60)
    except OSError as e:
        return None, "keygen: %s" % e
    except subprocess.TimeoutExpired:
        return None, "keygen: timed out"
    if p.returncode != 0:
        msg = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[0]
        return None, "`logscrub keygen` failed: %s" % msg
    if not os.path.exists(path):
        return None, "`logscrub keygen FILE` exited 0 but did not create FILE"
    return path, None


def geoip_db(logscrub, env, tmpdir):
    """The database of the {geoip_db} rows: BENCH_GEOIP_DB, or else one that
    logscrub-mkdb (next to logscrub) builds from tor-geoipdb, or None."""
    if os.environ.get("BENCH_GEOIP_DB"):
        return os.environ["BENCH_GEOIP_DB"]
    mkdb = os.path.join(os.path.dirname(logscrub), "logscrub-mkdb")
    tor = ["/usr/share/tor/geoip", "/usr/share/tor/geoip6"]
    if not os.access(mkdb, os.X_OK) or not all(os.access(t, os.R_OK) for t in tor):
        return None
    path = os.path.join(tmpdir, "tor-country.mmdb")
    note("run.py: building %s from tor-geoipdb" % path)
    p = subprocess.run([mkdb, "--tor-geoip=" + tor[0], "--tor-geoip6=" + tor[1], "-o", path],
                       capture_output=True, env=env, timeout=300)
    return path if p.returncode == 0 else None


def bench(args, res, env, tmpdir, key_note):
    runs = env_num("BENCH_RUNS", 5, int)
    anonip_runs = env_num("BENCH_ANONIP_RUNS", 2, int)
    seed = env_num("BENCH_SEED", 1, int)
    nginx_mb = env_num("BENCH_MB", 200.0)
    mail_mb = env_num("BENCH_MAIL_MB", nginx_mb / 2)
    anonip_mb = env_num("BENCH_ANONIP_MB", 10.0)
    only = os.environ.get("BENCH_ONLY") or args.only
    try:
        only_re = re.compile(only) if only else None
    except re.error as e:
        sys.exit("run.py: BENCH_ONLY/--only %r: %s" % (only, e))

    paths = {"nginx": corpus(args.data_dir, "nginx", nginx_mb, seed),
             "mail": corpus(args.data_dir, "mail", mail_mb, seed)}
    # gen.py's output for a smaller size is a prefix of the larger one: this
    # is the first anonip_mb of the nginx corpus, without reading it.
    paths["nginx-slice"] = corpus(args.data_dir, "nginx", min(anonip_mb, nginx_mb), seed)
    stats = {}
    for k, p in paths.items():
        stats[k] = {"path": p, "bytes": os.path.getsize(p), "lines": count_lines(p)}

    results = []
    for row in ROWS:
        if only_re and not row.is_cat and not only_re.search(row.label):
            continue
        argv, missing = substitute(row.argv, res)
        st = stats[row.input]
        r = Result(row, argv, st["path"], st["bytes"], st["lines"])
        r.want = anonip_runs if row.runs == "anonip" else (row.runs or runs)
        if argv is None:
            r.cell = "skipped"
            r.note = {"anonip": "anonip not installed (apt install anonip), or set ANONIP",
                      "key": key_note or "no key",
                      "geoip_db": "set BENCH_GEOIP_DB to a MaxMind database"}.get(missing, "no value for {%s}" % missing)
        else:
            bad = probe(argv, st["path"], env)
            if bad:
                r.cell, r.note = bad
        results.append(r)

    for p in set(r.path for r in results if r.cell is None):
        warm(p)
    errpath = os.path.join(tmpdir, "stderr")
    gnu_time = find_gnu_time()
    todo = [r for r in results if r.cell is None]
    total = sum(r.want for r in todo)
    done = 0
    # Round-robin: run 1 of every row, then run 2 of every row...  Machine
    # drift (up to 40% here) then spreads over all rows instead of biasing
    # whichever rows happened to run during a slow spell.
    for i in range(max([r.want for r in todo] or [0])):
        for r in todo:
            if r.cell is not None or i >= r.want:
                continue
            done += 1
            secs, code, cpu, rss = time_once(r.argv, r.path, r.row.pipe, env, errpath, gnu_time)
            if code != 0:
                with open(errpath, errors="replace") as f:
                    first = (f.read().strip().splitlines() or [""])[0]
                r.cell = "FAILED (%s)" % describe_status(code)
                r.note = first
                note("run.py: %s (%s): %s %s" % (r.row.label, r.row.input, r.cell, first))
                continue
            r.times.append(secs)
            r.cpu.append(cpu)
            if rss is not None:
                r.rss.append(rss)
            note("run.py: [%d/%d] %-40s %-12s %7.3f s  %8.1f MB/s" % (
                done, total, r.row.label, r.row.input + (" |" if r.row.pipe else ""), secs, r.bytes / MB / secs))

    info = {"machine": machine(), "logscrub": res["logscrub"], "version": binary_version(res["logscrub"], env),
            "rev": source_rev(res["logscrub"]), "corpora": stats}
    info["rss"] = "GNU time %M" if gnu_time else None
    report(results, info)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"info": info, "results": [r.as_dict() for r in results]}, f, indent=1)
    return 0 if all(r.cell is None or not r.cell.startswith("FAILED") for r in results) else 1


def callgrind_ir(argv, path, env, tmpdir):
    """Total instructions (Ir) of argv reading PATH under callgrind, or
    (None, cell, note)."""
    out = os.path.join(tmpdir, "callgrind.out")
    if os.path.exists(out):
        os.unlink(out)
    # valgrind cannot run a program under a seccomp filter: --no-sandbox
    # (the filter is set up once and costs nothing per line in user space)
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + argv[:1] + ["--no-sandbox"] + argv[1:]
    with open(path, "rb") as fin:
        p = subprocess.run(cmd, stdin=fin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if p.returncode != 0:
        err = [ln for ln in p.stderr.decode(errors="replace").splitlines() if not ln.startswith("==")]
        cell = "n/a (unsupported)" if p.returncode == EXIT_USAGE else "FAILED (%s)" % describe_status(p.returncode)
        return None, cell, err[0] if err else ""
    ir = None
    with open(out) as f:
        for ln in f:
            if ln.startswith("summary:") or ln.startswith("totals:"):
                ir = int(ln.split()[1])
    if ir is None:
        return None, "FAILED (no totals)", "callgrind wrote no summary line"
    return ir, None, None


def callgrind(args, res, env, tmpdir, key_note):
    if shutil.which("valgrind") is None:
        note("run.py: valgrind not found (apt install valgrind)")
        return 1
    seed = env_num("BENCH_SEED", 1, int)
    cg_mb = env_num("BENCH_CALLGRIND_MB", 5.0)
    # the first cg_mb of each corpus (a prefix, see bench())
    inputs = {"nginx": corpus(args.data_dir, "nginx", cg_mb, seed),
              "mail": corpus(args.data_dir, "mail", cg_mb, seed)}
    headers = ["row", "input", "Ir total", "Ir fixed", "Ir/byte", "Ir/line"]
    rows, notes = [], {}
    out = {}
    for kind, path in inputs.items():
        nbytes, nlines = os.path.getsize(path), count_lines(path)
        for label, argv in CALLGRIND_ROWS:
            argv, missing = substitute(argv, res)
            if argv is None:
                rows.append([label, kind, "skipped"])
                notes.setdefault(key_note if missing == "key" else "no {%s}" % missing, []).append(label)
                continue
            note("run.py: callgrind %s on %s" % (label, os.path.basename(path)))
            fixed, cell, why = callgrind_ir(argv, os.devnull, env, tmpdir)
            if fixed is not None:
                total, cell, why = callgrind_ir(argv, path, env, tmpdir)
            if cell:
                rows.append([label, kind, cell])
                if why:
                    notes.setdefault(why, []).append(label)
                continue
            per_byte = (total - fixed) / nbytes
            per_line = (total - fixed) / nlines
            rows.append([label, kind, "{:,}".format(total), "{:,}".format(fixed), "%.2f" % per_byte, "%.0f" % per_line])
            out["%s|%s" % (label, kind)] = {"ir": total, "ir_fixed": fixed, "bytes": nbytes, "lines": nlines,
                                            "ir_per_byte": per_byte, "ir_per_line": per_line}
    print()
    print("logscrub instruction counts (valgrind --tool=callgrind), %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    rev = source_rev(res["logscrub"])
    print("binary:   %s%s" % (res["logscrub"], ", source %s" % rev if rev else ""))
    for kind, path in inputs.items():
        print("%-9s %s: %d bytes, %d lines" % (kind + ":", os.path.basename(path), os.path.getsize(path), count_lines(path)))
    print()
    print(table(headers, rows, "llrrrr"))
    print()
    print("Ir fixed = instructions on empty input (start-up, key loading, exit);")
    print("Ir/byte and Ir/line = (Ir total - Ir fixed) / input size: the hot path's cost.")
    print_notes(notes)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="logscrub throughput benchmark (see tests/bench/README.md)")
    ap.add_argument("logscrub", help="path to the logscrub binary")
    ap.add_argument("--data-dir", default=os.path.join(HERE, "data"),
                    help="where generated corpora are cached (default: tests/bench/data)")
    ap.add_argument("--only", help="regular expression: time only matching rows (and cat)")
    ap.add_argument("--json", help="also write the results to this file as JSON")
    ap.add_argument("--callgrind", action="store_true", help="count instructions instead of timing")
    args = ap.parse_args(argv)

    logscrub = os.path.abspath(args.logscrub)
    if not os.access(logscrub, os.X_OK):
        sys.exit("run.py: %s: not an executable file (build it first: make)" % logscrub)
    env = child_env()
    anonip = os.environ.get("ANONIP", "/usr/bin/anonip")
    tmpdir = tempfile.mkdtemp(prefix="logscrub-bench-")
    atexit.register(shutil.rmtree, tmpdir, True)
    key, key_note = make_key(logscrub, env, tmpdir)
    res = {"logscrub": logscrub, "key": key,
           "anonip": anonip if os.access(anonip, os.X_OK) else None,
           "geoip_db": geoip_db(logscrub, env, tmpdir),
           "cat": "cat"}
    if args.callgrind:
        return callgrind(args, res, env, tmpdir, key_note)
    return bench(args, res, env, tmpdir, key_note)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
