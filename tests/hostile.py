"""Hostile-input behaviours of logscrub, one function each, run by name from
the tests/hostile-*.test drivers: python3 hostile.py NAME.

Every input is generated here (streamed into logscrub's stdin where it is
large) and every expectation is derived independently of logscrub: by
counting, by Python's ipaddress module, or from the fixed texts the
documented modes write (truncation to /24 -> x.y.z.0, --email=mask ->
***@domain, --ip=redact -> 0.0.0.0 / ::).  Exit status: 0 pass, 1 fail,
77 skip (TESTS protocol).
"""
import hashlib
import ipaddress
import json
import os
import random
import subprocess
import sys
import threading
import time

LOGSCRUB = os.environ["LOGSCRUB"]
SANITIZED = os.environ.get("SANITIZED", "no") == "yes"
MIB = 1 << 20


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def run(args, data, timeout=120):
    """Run logscrub ARGS on DATA (bytes); return (status, stdout, stderr)."""
    p = subprocess.run([LOGSCRUB] + args, input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    if p.stderr:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
    return p.returncode, p.stdout, p.stderr


def run_stream(args, chunks, timeout=300):
    """Run logscrub ARGS with the byte chunks of the iterable CHUNKS streamed
    to its stdin.  Returns (status, sha256 of stdout, stdout length, last
    4 KiB of stdout, peak RSS in KiB or None); stdout is never held whole.
    The peak is VmHWM from /proc/PID/status, read while the output flows:
    the high-water mark of logscrub's own memory since its exec.  (The
    ru_maxrss of wait4 would count this Python process too: a child's
    maximum starts from its parent's size at fork.)"""
    p = subprocess.Popen([LOGSCRUB] + args, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)

    def feed():
        try:
            for c in chunks:
                p.stdin.write(c)
        except BrokenPipeError:
            pass
        finally:
            try:
                p.stdin.close()
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed)
    writer.start()
    h, n, tail, hwm = hashlib.sha256(), 0, b"", None
    deadline = time.monotonic() + timeout
    while True:
        b = p.stdout.read1(MIB)
        if not b:
            break
        h.update(b)
        n += len(b)
        tail = (tail + b)[-4096:]
        m = vm_hwm(p.pid)
        if m is not None:
            hwm = max(hwm or 0, m)
        if time.monotonic() > deadline:
            p.kill()
            fail("logscrub took more than %d s" % timeout)
    writer.join()
    p.wait()
    return p.returncode, h.hexdigest(), n, tail, hwm


def vm_hwm(pid):
    """Peak resident memory of process PID in KiB, or None if unknown."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def lines_of(data):
    return data.count(b"\n")


def long_line():
    """A 256 MiB line without a newline and with addresses at its end comes
    out whole with them anonymised, and logscrub's peak memory stays under
    64 MiB whatever the line is made of (white space to cut at, or none)."""
    size = 256 * MIB
    tail_in = b" 192.0.2.77 alice@example.org"
    tail_out = b" 192.0.2.0 ***@example.org"
    for name, block in (("words", (b"GET /x?q=lorem+ipsum HTTP/1.1 " * 40000)[:MIB]),
                        ("no white space", b"x" * MIB)):
        def chunks():
            for _ in range(size // MIB):
                yield block
            yield tail_in

        want = hashlib.sha256()
        for c in chunks():
            want.update(c if c is not tail_in else tail_out)
        status, got, n, tail, rss = run_stream(["--email=mask"], chunks())
        if status != 0:
            fail("%s: exit status %d" % (name, status))
        if not tail.endswith(tail_out):
            fail("%s: the end of the line is %r" % (name, tail[-60:]))
        if n != size + len(tail_out) or got != want.hexdigest():
            fail("%s: %d bytes out, not the %d expected (or other bytes)"
                 % (name, n, size + len(tail_out)))
        print("%s: 256 MiB line anonymised, peak RSS %s KiB" % (name, rss))
        if SANITIZED:
            print("sanitizer build: the memory limit is not checked")
        elif rss is None:
            print("no /proc/PID/status here: the memory limit is not checked")
        elif rss > 64 * 1024:
            fail("%s: peak RSS %d KiB, over 64 MiB" % (name, rss))


def many_addresses():
    """A million addresses on one line (10 MiB, cut into pieces by the
    stream): every one is anonymised, none is lost, in reasonable time."""
    n = 1000000
    rng = random.Random(7)
    quads = ["198.51.%d.%d" % (rng.randrange(256), rng.randrange(1, 256)) for _ in range(n)]
    line = (" ".join(quads) + "\n").encode()
    t0 = time.monotonic()
    status, out, _ = run([], line)
    dt = time.monotonic() - t0
    if status != 0:
        fail("exit status %d" % status)
    want = (" ".join(q.rsplit(".", 1)[0] + ".0" for q in quads) + "\n").encode()
    if out != want:
        fail("the output is not the input truncated to /24")
    print("1,000,000 addresses on one line: all truncated in %.2f s" % dt)
    # and a million emails, the other trigger
    line = (" ".join("u%d@example.org" % i for i in range(n)) + "\n").encode()
    status, out, _ = run(["--email=mask"], line)
    if status != 0 or out != (" ".join(["***@example.org"] * n) + "\n").encode():
        fail("a million emails on one line are not all masked")
    print("1,000,000 emails on one line: all masked")


def binary():
    """Binary input (a program file and random bytes): no crash, exit 0, as
    many lines out as in; with --ip=keep --email=keep, byte for byte the
    same."""
    rng = random.Random(11)
    inputs = [("random bytes", bytes(rng.getrandbits(8) for _ in range(4 * MIB)))]
    for prog in ("/bin/ls", "/bin/sh", LOGSCRUB):
        if os.path.isfile(prog):
            with open(prog, "rb") as f:
                inputs.append((prog, f.read()))
            break
    for name, data in inputs:
        for args in ([], ["--ip=pseudonymise", "--email=hash"], ["--ip=redact", "--email=redact"]):
            status, out, _ = run(args, data)
            if status != 0:
                fail("%s %s: exit status %d" % (name, args, status))
            if lines_of(out) != lines_of(data):
                fail("%s %s: %d lines in, %d out" % (name, args, lines_of(data), lines_of(out)))
        status, out, _ = run(["--ip=keep", "--email=keep"], data)
        if status != 0 or out != data:
            fail("%s: keep/keep changed the bytes" % name)
        print("%s (%d bytes): lines kept in every mode, identical under keep" % (name, len(data)))


def hex_colons():
    """Lines of only ':' and hex digits, and IPv6 with thousands of colons:
    fast, no line lost, and every line that is an IPv6 address (by Python's
    ipaddress) comes out as :: under --ip=redact."""
    rng = random.Random(5)
    alphabet = "0123456789abcdefABCDEF:::::"
    lines = []
    for _ in range(100000):
        k = rng.choice((2, 3, 5, 8, 15, 20, 39, 60, 200))
        lines.append("".join(rng.choice(alphabet) for _ in range(k)))
    # valid addresses as whole lines, so the check has something to bite on
    for _ in range(20000):
        a = ipaddress.IPv6Address(rng.getrandbits(128) & ~((1 << rng.choice((0, 16, 64))) - 1))
        lines.append(rng.choice((a.compressed, a.exploded)))
    # thousands of colons
    lines += [":" * 5000, "1:" * 5000 + "1", "::" * 3000 + "1", "a:" * 3000 + ":1",
              "1:2:3:4:5:6:7:8:" * 500, ":" * 3000 + "ffff::1" + ":" * 3000]
    rng.shuffle(lines)
    data = ("\n".join(lines) + "\n").encode()
    t0 = time.monotonic()
    status, out, _ = run(["--ip=redact"], data)
    dt = time.monotonic() - t0
    if status != 0:
        fail("exit status %d" % status)
    outl = out.decode().split("\n")[:-1]
    if len(outl) != len(lines):
        fail("%d lines in, %d out" % (len(lines), len(outl)))
    valid = 0
    for i, l in enumerate(lines):
        try:
            ipaddress.IPv6Address(l)
        except ValueError:
            continue
        valid += 1
        if l != "::" and outl[i] != "::":
            fail("the address %r came out as %r" % (l, outl[i]))
    print("%d lines of ':' and hex (%d of them addresses) in %.2f s" % (len(lines), valid, dt))
    if dt > 30:
        fail("too slow: %.1f s" % dt)


def long_email():
    """Emails with 10,000-character local parts, plain, quoted and
    URL-encoded: the local part is gone in every email mode but keep."""
    local = "".join(random.Random(3).choice("abcdefghijklmnopqrstuvwxyz0123456789._+-")
                    for _ in range(10000)).strip(".")
    qlocal = '"' + local.replace(".", " ") + '"'
    data = ("a %s@example.org\nb %s@example.org\nc x=%s%%40example.org\n"
            % (local, qlocal, local.replace("+", "%2B"))).encode()
    for mode in ("pseudonymise", "hash", "mask", "redact"):
        status, out, _ = run(["--email=" + mode], data)
        if status != 0 or lines_of(out) != 3:
            fail("--email=%s: exit status %d, %d lines" % (mode, status, lines_of(out)))
        for piece in (local[:40], local[-40:], local[5000:5040]):
            if piece.encode() in out or piece.replace(".", " ").encode() in out:
                fail("--email=%s: part of a 10,000-character local part came through" % mode)
        if len(out) > 400:
            fail("--email=%s: %d bytes out, the local parts were not replaced whole" % (mode, len(out)))
        print("--email=%s: 10,000-character local parts replaced (%d bytes out)" % (mode, len(out)))


def random_lines():
    """Invariant under random input: as many lines out as in, in every mode,
    for lines of random bytes mixed with address-like pieces; and with
    retention dropping old lines, lines in = lines out + lines dropped, as
    counted by the output and reported by --stats=json."""
    rng = random.Random(1)
    pieces = [b"192.0.2.1", b"::", b"2001:db8::", b"@", b"%40", b"alice", b".", b":",
              b"example.org", b'"', b"[", b"]", b" ", b"\r", b"\x00", b"\xff", b"1", b"a"]
    data = bytearray()
    for _ in range(50000):
        for _ in range(rng.randrange(0, 40)):
            data += rng.choice(pieces) if rng.random() < 0.8 else bytes([rng.randrange(256)])
        data += b"\n"
    data = bytes(data)
    want = lines_of(data)
    modes = [["--ip=%s" % ip, "--email=%s" % em]
             for ip in ("truncate", "pseudonymise", "redact", "keep")
             for em in ("pseudonymise", "hash", "mask", "redact", "keep")]
    for args in modes:
        status, out, _ = run(args, data)
        if status != 0 or lines_of(out) != want:
            fail("%s: exit status %d, %d lines in, %d out" % (args, status, want, lines_of(out)))
    print("%d random lines, %d modes: lines in = lines out" % (want, len(modes)))
    # with retention dropping old lines: lines in = lines out + lines dropped
    dated = bytearray()
    for line in data.split(b"\n")[:-1]:
        if rng.random() < 0.5:
            line = b"2026-%02d-%02dT12:00:00Z " % (rng.randrange(1, 12), rng.randrange(1, 29)) + line
        dated += line + b"\n"
    p = subprocess.run([LOGSCRUB, "--now=2026-11-24T00:00:00Z", "--max-age=60d", "--stats=json"],
                       input=bytes(dated), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    st = json.loads(p.stderr.decode().strip().splitlines()[-1])
    if p.returncode != 0 or st["lines_in"] != want or st["lines_out"] != lines_of(p.stdout):
        fail("--stats: exit %d, %s, %d lines in, %d out" % (p.returncode, st, want, lines_of(p.stdout)))
    if st["lines_in"] != st["lines_out"] + st["lines_dropped"] or st["lines_dropped"] == 0:
        fail("--stats: lines in %(lines_in)d != out %(lines_out)d + dropped %(lines_dropped)d" % st)
    print("--max-age on random dated lines: %(lines_in)d in = %(lines_out)d out + %(lines_dropped)d dropped" % st)


if __name__ == "__main__":
    globals()[sys.argv[1].replace("-", "_")]()
