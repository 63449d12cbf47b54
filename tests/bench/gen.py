#!/usr/bin/env python3
"""Generate a synthetic, realistic log corpus for the logscrub benchmark.

    gen.py [--seed N] [--size MB] [--kind nginx|mail|mixed] OUTPUT

Writes about MB megabytes (10^6 bytes, whole lines, never more than asked)
of log lines to OUTPUT, atomically (a temporary file renamed into place, so
a cache never holds a half-written corpus).  The same seed, size, kind and
version of this file give the same bytes, on any Python 3.

  nginx  "combined" access log lines: ~25% IPv6 clients in their compressed
         (RFC 5952) forms, emails in query strings (mostly %40-encoded, some
         plain), varied paths, user agents (with dotted version numbers that
         look like IPv4), status codes and sizes.
  mail   postfix (postscreen, smtpd connect/client=/disconnect, cleanup,
         qmgr from=, smtp/lmtp to= relay=, rejects, SASL) and dovecot
         (imap/pop3 login, logout, lmtp, auth failures) lines with RFC 3164
         syslog prefixes; sessions are interleaved as on a busy server.
  mixed  both, interleaved line by line (about half the bytes each).

Client addresses, mailboxes and relays are drawn from pools with a
Zipf-like repeat distribution: real traffic repeats its clients, and a
pseudonymiser's cache or a scanner's branch predictor should see that.
Python standard library only.
"""

import argparse
import bisect
import ipaddress
import os
import random
import sys
import tempfile

MB = 1000 * 1000            # sizes are decimal megabytes, as MB/s in the table
CHUNK_LINES = 4096          # lines joined per write()
START_EPOCH = 1795474800    # 2026-11-24 00:00:00 +0100 (23:00 UTC the day before)
TZ_OFFSET = 3600            # the generated logs are written in +0100
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Zipf:
    """A fixed pool of items drawn with weight 1/rank^s (a few heavy hitters,
    a long tail), by bisection over precomputed cumulative weights."""

    def __init__(self, rng, items, s=1.1):
        self.rng = rng
        self.items = list(items)
        total = 0.0
        self.cum = []
        for rank in range(1, len(self.items) + 1):
            total += 1.0 / rank ** s
            self.cum.append(total)
        self.total = total

    def __call__(self):
        i = bisect.bisect_left(self.cum, self.rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]


def weighted(rng, pairs):
    """A sampler over (weight, value) pairs."""
    values = [v for _, v in pairs]
    cum = []
    total = 0.0
    for w, _ in pairs:
        total += w
        cum.append(total)

    def pick():
        return values[bisect.bisect_left(cum, rng.random() * total)]
    return pick


class Clock:
    """Monotonic log time with Poisson-ish arrivals; formats are cached per
    second because most consecutive lines share it."""

    def __init__(self, rng, rate):
        self.rng = rng
        self.rate = rate
        self.t = float(START_EPOCH)
        self._sec = None
        self._nginx = self._syslog = ""

    def tick(self):
        self.t += self.rng.expovariate(self.rate)
        sec = int(self.t)
        if sec != self._sec:
            self._sec = sec
            local = sec + TZ_OFFSET
            days, rem = divmod(local, 86400)
            y, m, d = civil_from_days(days)
            hh, rem = divmod(rem, 3600)
            mm, ss = divmod(rem, 60)
            mon = MONTHS[m - 1]
            self._nginx = "%02d/%s/%04d:%02d:%02d:%02d +0100" % (d, mon, y, hh, mm, ss)
            self._syslog = "%s %2d %02d:%02d:%02d" % (mon, d, hh, mm, ss)
        return sec

    @property
    def nginx(self):
        return self._nginx

    @property
    def syslog(self):
        return self._syslog


def civil_from_days(z):
    """Days since 1970-01-01 -> (year, month, day), proleptic Gregorian
    (H. Hinnant's algorithm; no time module, so no locale or TZ influence)."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


# ---------------------------------------------------------------- addresses

V4_EXCLUDED = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
    "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
    "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
    "224.0.0.0/3")]

# Real-looking IPv6 allocations: ISPs (SLAAC privacy addresses), hosters
# (small static interface IDs), clouds, mobile carriers.
V6_PREFIXES = (
    # (prefix, its length, interface-id style)
    (0x2a02810800000000, 32, "privacy"),   # Vodafone DE cable
    (0x2003000000000000, 19, "privacy"),   # Deutsche Telekom
    (0x2a01cb0000000000, 24, "privacy"),   # Orange FR
    (0x2607fb9000000000, 32, "privacy"),   # T-Mobile US
    (0x2a0104f800000000, 32, "static"),    # Hetzner
    (0x200141d000000000, 32, "static"),    # OVH
    (0x2a0104f900000000, 32, "static"),
    (0x2600190000000000, 28, "static"),    # Google Cloud
    (0x26001f1800000000, 32, "static"),    # AWS
    (0x2a00145000000000, 32, "eui64"),     # Google
    (0x2a0226f000000000, 29, "eui64"),     # Akamai
    (0x20010db800000000, 32, "static"),    # documentation, as real logs have it
)


def public_v4(rng):
    while True:
        n = rng.getrandbits(32)
        addr = ipaddress.IPv4Address(n)
        if not any(addr in net for net in V4_EXCLUDED):
            return str(addr)


def private_v4(rng):
    kind = rng.random()
    if kind < 0.5:
        return "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
    if kind < 0.8:
        return "192.168.%d.%d" % (rng.randrange(256), rng.randrange(1, 255))
    return "172.%d.%d.%d" % (rng.randrange(16, 32), rng.randrange(256), rng.randrange(1, 255))


def doc_v4(rng):
    net = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
    return "%s.%d" % (net, rng.randrange(1, 255))


def v6(rng):
    base, plen, style = rng.choice(V6_PREFIXES)
    hi = base | rng.getrandbits(64 - plen)      # a /64 inside the prefix
    if style == "static":
        hi &= ~0xffff if rng.random() < 0.6 else ~0   # often a :0 subnet -> '::'
        lo = rng.choice((1, 2, 3, 0x10, 0x25, 0x100 + rng.randrange(0x300),
                         rng.getrandbits(16), (rng.getrandbits(16) << 16) | 1))
    elif style == "eui64":
        mac = rng.getrandbits(48)
        lo = ((mac >> 24) << 40) | (0xfffe << 24) | (mac & 0xffffff)
        lo ^= 0x0200000000000000
    else:
        lo = rng.getrandbits(64)
    return ipaddress.IPv6Address((hi << 64) | lo).compressed


class Clients:
    """Client addresses: an IPv4 pool and an IPv6 pool, each drawn Zipf-like
    (a few heavy hitters, a long tail), mixed so that v6_share of the lines
    come from IPv6 whatever the skew.  Mostly public space; a little
    private (NAT, load balancers) and documentation space; IPv6 includes a
    few IPv4-mapped addresses (::ffff:a.b.c.d) as dual-stack sockets log."""

    def __init__(self, rng, n, v6_share, s=0.95):
        self.rng = rng
        self.v6_share = v6_share
        v4 = []
        for _ in range(n):
            r = rng.random()
            v4.append(private_v4(rng) if r < 0.02 else doc_v4(rng) if r < 0.03 else public_v4(rng))
        six = [v6(rng) if rng.random() > 0.01 else "::ffff:" + public_v4(rng)
               for _ in range(max(1, int(n * v6_share)))]
        self.v4 = Zipf(rng, v4, s)
        self.v6 = Zipf(rng, six, s)

    def __call__(self):
        return self.v6() if self.rng.random() < self.v6_share else self.v4()


# ---------------------------------------------------------------- people

FIRST = ("alice bob carol dave erin frank grace heidi ivan judy mallory niaj "
         "olivia peggy rupert sybil trent victor walter yasmin zoe anna ben "
         "chloe david emma felix hanna jonas lena lukas marie max mia noah "
         "paul sophie tim julia lea leon jan sarah thomas pierre camille "
         "lucas manon hugo ines arthur jade sven ingrid kenji yuki wei li "
         "mohammed fatima omar priya raj ana joao maria carlos sofia").split()
LAST = ("smith jones brown miller davis garcia wilson martin thompson white "
        "mueller schmidt schneider fischer weber meyer wagner becker schulz "
        "hoffmann dubois durand lefebvre moreau laurent rossi russo ferrari "
        "esposito bianchi tanaka suzuki wang zhang silva santos kowalski "
        "nowak novak horvat jensen nielsen hansen johansson andersson").split()
FREEMAIL = ("gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "web.de",
            "gmx.de", "gmx.net", "t-online.de", "orange.fr", "free.fr",
            "icloud.com", "proton.me", "mail.ru", "yandex.ru", "libero.it",
            "posteo.de", "mailbox.org", "aol.com", "live.com", "wp.pl")
WORDS = ("acme blue north river stone bright green cloud data media shop "
         "systems tech solutions consulting global digital net web smart "
         "alpen nord sud euro metro city garden house bike coffee").split()
TLDS = ("com", "de", "fr", "net", "org", "co.uk", "io", "nl", "ch", "at", "it", "eu")


def company_domain(rng):
    return "%s%s.%s" % (rng.choice(WORDS), rng.choice(("", "-" + rng.choice(WORDS), str(rng.randrange(2, 99)))),
                        rng.choice(TLDS))


def local_part(rng):
    f, l = rng.choice(FIRST), rng.choice(LAST)
    return rng.choice((
        f, f + "." + l, f + "." + l, f[0] + l, f + l[0], f + "_" + l,
        f + str(rng.randrange(1, 99)), f + "." + l + str(rng.randrange(60, 99)),
        f + "+" + rng.choice(("news", "shop", "spam", "github")),
        rng.choice(("info", "contact", "support", "billing", "sales", "admin",
                    "noreply", "newsletter", "office", "hr", "jobs")),
    ))


def email_pool(rng, n, domains):
    out = []
    for _ in range(n):
        dom = rng.choice(FREEMAIL) if rng.random() < 0.6 else rng.choice(domains)
        out.append(local_part(rng) + "@" + dom)
    return out


def hexid(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def b64id(rng, n):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(alphabet[rng.getrandbits(6)] for _ in range(n))


# ---------------------------------------------------------------- nginx

USER_AGENTS = (
    (30, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.199 Safari/537.36"),
    (8, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61"),
    (10, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.159 Safari/537.36"),
    (8, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Safari/605.1.15"),
    (8, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0"),
    (3, "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"),
    (3, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36"),
    (14, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1"),
    (12, "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36"),
    (3, "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36"),
    (4, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
    (2, "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/119.0.6045.199 Safari/537.36"),
    (2, "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"),
    (1, "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"),
    (1, "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)"),
    (1, "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"),
    (1, "curl/7.88.1"),
    (1, "python-requests/2.31.0"),
    (1, "Go-http-client/1.1"),
    (1, "Wget/1.21.3"),
    (1, "Prometheus/2.45.0"),
    (1, "kube-probe/1.28"),
    (0.5, "Mozilla/5.0 zgrab/0.x"),
    (0.5, "-"),
)
STATUS = ((74, "200"), (9, "304"), (3, "301"), (4, "302"), (6, "404"),
          (1, "403"), (0.6, "500"), (0.4, "502"), (0.3, "503"), (0.5, "206"),
          (0.5, "400"), (0.4, "499"), (0.3, "401"))
METHODS = ((88, "GET"), (8, "POST"), (2, "HEAD"), (0.8, "PUT"), (0.4, "DELETE"),
           (0.4, "OPTIONS"), (0.4, "PATCH"))
SLUGS = ("how-to-rotate-logs", "gdpr-and-access-logs", "winter-sale-2026",
         "release-notes-4-2", "ipv6-rollout", "black-friday", "contact",
         "about-us", "careers", "privacy-policy", "terms", "faq", "pricing")
SEARCH = ("winter jacket", "usb c cable", "gift card", "return policy",
          "shipping to austria", "size chart", "order status", "café crème")


def pct(s):
    out = []
    for ch in s:
        if ch.isalnum() and ch.isascii() or ch in "-._~":
            out.append(ch)
        elif ch == " ":
            out.append("+")
        else:
            out.extend("%%%02X" % b for b in ch.encode())
    return "".join(out)


class Nginx:
    def __init__(self, rng, clock):
        self.rng = rng
        self.clock = clock
        self.clients = Clients(rng, 40000, 0.25)
        domains = [company_domain(rng) for _ in range(400)]
        self.emails = Zipf(rng, email_pool(rng, 20000, domains), s=1.0)
        self.ua = weighted(rng, USER_AGENTS)
        self.status = weighted(rng, STATUS)
        self.method = weighted(rng, METHODS)
        self.site = "https://www.shop.example"
        self.assets = ["/static/js/app.%s.js" % hexid(rng, 8) for _ in range(6)] + \
                      ["/static/css/main.%s.css" % hexid(rng, 8) for _ in range(3)] + \
                      ["/static/media/hero-%d.%s.webp" % (i, hexid(rng, 8)) for i in range(8)] + \
                      ["/fonts/inter-var.woff2", "/favicon.ico", "/apple-touch-icon.png",
                       "/manifest.webmanifest", "/robots.txt", "/sitemap.xml"]

    def email_q(self):
        """An email inside a query string: mostly %40 (what a browser sends
        for a form), some plain '@' (links in mails, hand-written URLs)."""
        e = self.emails()
        r = self.rng.random()
        if r < 0.70:
            return e.replace("@", "%40").replace("+", "%2B")
        return e

    def path(self):
        rng = self.rng
        r = rng.random()
        if r < 0.38:
            return rng.choice(self.assets)
        if r < 0.50:
            return "/images/products/%d/%s.jpg" % (rng.randrange(1000, 99999), rng.choice(("main", "thumb", "zoom", "2", "3")))
        if r < 0.58:
            return "/product/%s-%d" % (rng.choice(SLUGS), rng.randrange(100, 9999))
        if r < 0.63:
            return "/blog/2026/%02d/%s/" % (rng.randrange(1, 12), rng.choice(SLUGS))
        if r < 0.67:
            return "/search?q=%s&page=%d" % (pct(rng.choice(SEARCH)), rng.randrange(1, 6))
        if r < 0.73:
            return "/api/v1/%s/%d" % (rng.choice(("orders", "cart", "items", "stock", "reviews")), rng.randrange(10 ** 6))
        if r < 0.76:
            return "/api/v2/session?sid=%s&ts=%d" % (hexid(rng, 32), int(self.clock.t * 1000))
        if r < 0.785:
            return "/track/open?uid=%s-%s-%s-%s-%s" % (hexid(rng, 8), hexid(rng, 4), hexid(rng, 4), hexid(rng, 4), hexid(rng, 12))
        # Emails in query strings: roughly 6% of all requests.
        if r < 0.80:
            return "/newsletter/subscribe?email=%s&list=%d" % (self.email_q(), rng.randrange(1, 9))
        if r < 0.815:
            return "/account/password-reset?email=%s" % self.email_q()
        if r < 0.825:
            return "/unsubscribe?e=%s&c=%s" % (self.email_q(), hexid(rng, 16))
        if r < 0.835:
            return "/login?next=%%2Faccount&user=%s" % self.email_q()
        if r < 0.84:
            return "/api/v1/users/%s/profile" % self.email_q()
        if r < 0.845:
            return "/r/%s?utm_source=newsletter&utm_medium=email&utm_campaign=nov26&email=%s" % (hexid(rng, 10), self.email_q())
        if r < 0.86:
            return rng.choice(("/wp-login.php", "/.env", "/xmlrpc.php", "/admin/config.php",
                               "/.git/config", "/phpmyadmin/index.php", "/cgi-bin/luci/;stok=/locale",
                               "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"))
        if r < 0.87:
            return "/healthz"
        if r < 0.9:
            return "/"
        return "/%s/%s" % (rng.choice(("category", "brand", "collections", "help")), rng.choice(SLUGS))

    def referer(self):
        rng = self.rng
        r = rng.random()
        if r < 0.45:
            return "-"
        if r < 0.80:
            return self.site + rng.choice(("/", "/cart", "/checkout", "/product/%s-%d" % (rng.choice(SLUGS), rng.randrange(100, 9999))))
        if r < 0.92:
            return rng.choice(("https://www.google.com/", "https://www.google.de/", "https://www.bing.com/",
                               "https://duckduckgo.com/", "android-app://com.google.android.gm/"))
        if r < 0.97:
            return "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.shop.example%2F&h=AT" + hexid(rng, 12)
        return "https://mail.example.net/webmail/?_task=mail&_mbox=INBOX&_uid=%d&_action=show&_to=%s" % (rng.randrange(9999), self.email_q())

    def line(self):
        rng = self.rng
        self.clock.tick()
        ip = self.clients()
        path = self.path()
        if path == "/healthz":
            ip = "10.0.%d.%d" % (rng.randrange(4), rng.randrange(2, 6))
            ua = "kube-probe/1.28"
            ref = "-"
        else:
            ua = self.ua()
            ref = self.referer()
        status = self.status()
        size = "0" if status == "304" else str(int(rng.lognormvariate(8.2, 1.6)))
        proto = "HTTP/2.0" if rng.random() < 0.3 else "HTTP/1.1"
        user = "-" if rng.random() > 0.004 else rng.choice(("admin", "deploy", self.emails()))
        return '%s - %s [%s] "%s %s %s" %s %s "%s" "%s"\n' % (
            ip, user, self.clock.nginx, self.method(), path, proto, status, size, ref, ua)


# ---------------------------------------------------------------- mail

TLS_CIPHERS = ("TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256",
               "TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
               "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256")
REJECTS = ("554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}",
           "450 4.1.2 <{rcpt}>: Recipient address rejected: Domain not found",
           "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table",
           "454 4.7.1 <{rcpt}>: Relay access denied",
           "450 4.7.1 Client host rejected: cannot find your reverse hostname, [{ip}]")
RELAYS = ("gmail-smtp-in.l.google.com", "alt1.gmail-smtp-in.l.google.com",
          "mx01.mail.icloud.com", "mx00.t-online.de", "mx-ha03.web.de",
          "mail.protonmail.ch", "mx1.mail.ovh.net", "mx.libero.it",
          "eu-smtp-inbound-1.mimecast.com", "mx.example.net")


class Mail:
    def __init__(self, rng, clock):
        self.rng = rng
        self.clock = clock
        self.host = "mx1"
        self.domain = "example.org"
        self.lip4 = "198.51.100.25"
        self.lip6 = "2001:db8:25::25"
        self.clients = Clients(rng, 20000, 0.15)
        self.relay_ip = {r: [public_v4(rng) if rng.random() > 0.3 else v6(rng) for _ in range(3)] for r in RELAYS}
        domains = [company_domain(rng) for _ in range(300)]
        self.remote = Zipf(rng, email_pool(rng, 15000, domains), s=1.0)
        self.local = Zipf(rng, ["%s@%s" % (local_part(rng), self.domain) for _ in range(800)], s=0.9)
        self.relay = weighted(rng, [(5, r) for r in RELAYS[:2]] + [(1, r) for r in RELAYS[2:]])
        self.rdns = weighted(rng, ((40, "unknown"), (20, "mail"), (15, "isp"), (15, "static"), (10, "cloud")))
        self.pids = {}
        self.active = []
        self.session = weighted(rng, ((34, self.inbound), (10, self.submission),
                                      (14, self.reject), (8, self.postscreen),
                                      (22, self.imap), (6, self.pop3),
                                      (4, self.auth_fail), (2, self.sasl_fail)))

    # -- helpers
    def pid(self, svc, workers=1):
        """A process id for a daemon: qmgr is one process, smtpd and
        friends are a pool of workers that postfix recycles now and then."""
        pool = self.pids.get(svc)
        if pool is None:
            pool = self.pids[svc] = [self.rng.randrange(1000, 4194304) for _ in range(workers)]
        i = self.rng.randrange(len(pool))
        if self.rng.random() < 0.01:
            pool[i] = self.rng.randrange(1000, 4194304)
        return pool[i]

    def rdns_name(self, ip):
        kind = self.rdns()
        if kind == "unknown":
            return "unknown"
        if kind == "mail":
            return "mail-%s%d-f%d.google.com" % (self.rng.choice(("ej1", "wr1", "lf1", "pj1")), self.rng.randrange(1, 9), self.rng.randrange(10, 200))
        if ":" in ip:
            return "static.%s.clients.your-server.de" % hexid(self.rng, 8)
        dashed = ip.replace(".", "-")
        if kind == "isp":
            return "host-%s.dyn.%s" % (dashed, self.rng.choice(("telekom.example", "cable.example.net", "dsl.isp.example")))
        if kind == "static":
            return "static.%s.clients.your-server.de" % ".".join(reversed(ip.split(".")))
        return "ec2-%s.eu-central-1.compute.amazonaws.com" % dashed

    def qid(self):
        return "%010X" % self.rng.getrandbits(40) if self.rng.random() < 0.8 else \
            "4" + b64id(self.rng, 11).replace("+", "x").replace("/", "z")

    def delays(self):
        r = self.rng
        a, b, c, d = r.uniform(0, 0.3), r.uniform(0, 0.02), r.uniform(0, 0.2), r.uniform(0, 1.2)

        def f(x):   # as postfix prints them: 0.09, 0.1, 0
            return ("%.2f" % x).rstrip("0").rstrip(".") or "0"
        return "delay=%s, delays=%s/%s/%s/%s" % (f(a + b + c + d), f(a), f(b), f(c), f(d))

    def msgid(self, sender):
        r = self.rng.random()
        if r < 0.4:
            return "<CA+%s=%s@mail.gmail.com>" % (b64id(self.rng, 20).replace("/", "_"), b64id(self.rng, 8).replace("/", "-"))
        if r < 0.7:
            return "<%d.%s@%s>" % (int(self.clock.t), hexid(self.rng, 12), sender.split("@")[1])
        return "<%s@%s>" % (hexid(self.rng, 32), self.host + "." + self.domain)

    def lip(self, ip):
        return self.lip6 if ":" in ip else self.lip4

    # -- sessions: generators of (program, message) pairs
    def inbound(self):
        r = self.rng
        ip = self.clients()
        name = self.rdns_name(ip)
        sender, rcpts = self.remote(), [self.local() for _ in range(1 if r.random() < 0.85 else r.randrange(2, 5))]
        smtpd = "postfix/smtpd[%d]" % self.pid("smtpd", 40)
        q = self.qid()
        yield smtpd, "connect from %s[%s]" % (name, ip)
        if r.random() < 0.8:
            yield smtpd, "Anonymous TLS connection established from %s[%s]: %s" % (name, ip, r.choice(TLS_CIPHERS))
        yield smtpd, "%s: client=%s[%s]" % (q, name, ip)
        yield "postfix/cleanup[%d]" % self.pid("cleanup", 6), "%s: message-id=%s" % (q, self.msgid(sender))
        qmgr = "postfix/qmgr[%d]" % self.pid("qmgr")
        yield qmgr, "%s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (q, sender, int(r.lognormvariate(9.5, 1.2)), len(rcpts))
        yield smtpd, "disconnect from %s[%s] ehlo=2 starttls=1 mail=1 rcpt=%d data=1 quit=1 commands=%d" % (name, ip, len(rcpts), 6 + len(rcpts) - 1)
        lmtp = "postfix/lmtp[%d]" % self.pid("lmtp", 6)
        for rc in rcpts:
            sess = b64id(r, 16)
            yield "dovecot", "lmtp(%s)<%d><%s>: msgid=%s: saved mail to INBOX" % (rc, self.pid("dlmtp", 6), sess, self.msgid(sender))
            yield lmtp, "%s: to=<%s>, relay=%s[private/dovecot-lmtp], %s, dsn=2.0.0, status=sent (250 2.0.0 <%s> %s Saved)" % (
                q, rc, self.host + "." + self.domain, self.delays(), rc, sess)
        yield qmgr, "%s: removed" % q

    def submission(self):
        r = self.rng
        ip = self.clients()
        name = self.rdns_name(ip)
        user = self.local()
        rcpt = self.remote()
        smtpd = "postfix/submission/smtpd[%d]" % self.pid("submission", 8)
        q = self.qid()
        yield smtpd, "connect from %s[%s]" % (name, ip)
        yield smtpd, "%s: client=%s[%s], sasl_method=PLAIN, sasl_username=%s" % (q, name, ip, user)
        yield "postfix/cleanup[%d]" % self.pid("cleanup", 6), "%s: message-id=%s" % (q, self.msgid(user))
        qmgr = "postfix/qmgr[%d]" % self.pid("qmgr")
        yield qmgr, "%s: from=<%s>, size=%d, nrcpt=1 (queue active)" % (q, user, int(r.lognormvariate(9.5, 1.2)))
        yield smtpd, "disconnect from %s[%s] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8" % (name, ip)
        relay = self.relay()
        rip = r.choice(self.relay_ip[relay])
        smtp = "postfix/smtp[%d]" % self.pid("smtp", 10)
        if r.random() < 0.9:
            yield smtp, "%s: to=<%s>, relay=%s[%s]:25, %s, dsn=2.0.0, status=sent (250 2.0.0 OK  %d %s.%d - gsmtp)" % (
                q, rcpt, relay, rip, self.delays(), int(self.clock.t), b64id(r, 12).replace("/", "-"), r.randrange(1000))
        else:
            yield smtp, "%s: to=<%s>, relay=%s[%s]:25, %s, dsn=4.7.0, status=deferred (host %s[%s] said: 421 4.7.0 Try again later (in reply to end of DATA command))" % (
                q, rcpt, relay, rip, self.delays(), relay, rip)
        yield qmgr, "%s: removed" % q

    def reject(self):
        r = self.rng
        ip = self.clients()
        name = self.rdns_name(ip)
        smtpd = "postfix/smtpd[%d]" % self.pid("smtpd", 40)
        rcpt = self.local() if r.random() < 0.6 else self.remote()
        helo = r.choice(("WIN-%s" % b64id(r, 11).upper().replace("/", "Q").replace("+", "P"), "[%s]" % ip, name if name != "unknown" else "localhost", "ylmf-pc"))
        yield smtpd, "connect from %s[%s]" % (name, ip)
        yield smtpd, "NOQUEUE: reject: RCPT from %s[%s]: %s; from=<%s> to=<%s> proto=ESMTP helo=<%s>" % (
            name, ip, r.choice(REJECTS).format(ip=ip, rcpt=rcpt), self.remote(), rcpt, helo)
        yield smtpd, "disconnect from %s[%s] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4" % (name, ip)

    def postscreen(self):
        r = self.rng
        ip = self.clients()
        port = r.randrange(1024, 65536)
        ps = "postfix/postscreen[%d]" % self.pid("postscreen", 1)
        yield ps, "CONNECT from [%s]:%d to [%s]:25" % (ip, port, self.lip(ip))
        x = r.random()
        if x < 0.6:
            yield ps, "PASS OLD [%s]:%d" % (ip, port)
        elif x < 0.8:
            yield ps, "DNSBL rank %d for [%s]:%d" % (r.randrange(2, 8), ip, port)
            yield ps, "DISCONNECT [%s]:%d" % (ip, port)
        else:
            yield ps, "PREGREET 14 after 0.%02d from [%s]:%d: EHLO ylmf-pc\\r\\n" % (r.randrange(100), ip, port)
            yield ps, "DISCONNECT [%s]:%d" % (ip, port)

    def imap(self, proto="imap"):
        r = self.rng
        ip = self.clients()
        user = self.local()
        mpid = r.randrange(1000, 4194304)
        sess = b64id(r, 16)
        d = "dovecot" if r.random() < 0.7 else "dovecot[%d]" % self.pid("dovecot", 1)
        yield d, "%s-login: Login: user=<%s>, method=PLAIN, rip=%s, lip=%s, mpid=%d, TLS, session=<%s>" % (
            proto, user, ip, self.lip(ip), mpid, sess)
        if proto == "imap":
            yield d, "imap(%s)<%d><%s>: Logged out in=%d out=%d deleted=%d expunged=%d trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0" % (
                user, mpid, sess, r.randrange(40, 9000), r.randrange(400, 900000), r.randrange(3), r.randrange(3))
        else:
            yield d, "pop3(%s)<%d><%s>: Disconnected: Logged out top=0/0, retr=%d/%d, del=0/%d, size=%d" % (
                user, mpid, sess, r.randrange(5), r.randrange(90000), r.randrange(9), r.randrange(900000))

    def pop3(self):
        return self.imap("pop3")

    def auth_fail(self):
        r = self.rng
        ip = self.clients()
        user = self.local() if r.random() < 0.5 else r.choice(("admin", "test", "info", "user", self.remote()))
        sess = b64id(r, 16)
        yield "dovecot", "auth: passwd-file(%s,%s,<%s>): unknown user" % (user, ip, sess)
        yield "dovecot", "imap-login: Disconnected: Connection closed (auth failed, 1 attempts in %d secs): user=<%s>, method=PLAIN, rip=%s, lip=%s, TLS, session=<%s>" % (
            r.randrange(1, 9), user, ip, self.lip(ip), sess)

    def sasl_fail(self):
        r = self.rng
        ip = self.clients()
        smtpd = "postfix/submission/smtpd[%d]" % self.pid("submission", 8)
        yield smtpd, "connect from unknown[%s]" % ip
        yield smtpd, "warning: unknown[%s]: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=%s" % (
            ip, self.local() if r.random() < 0.5 else r.choice(("admin@" + self.domain, "test", "info@" + self.domain)))
        yield smtpd, "lost connection after AUTH from unknown[%s]" % ip
        yield smtpd, "disconnect from unknown[%s] ehlo=1 auth=0/1 commands=1/2" % ip

    def line(self):
        """The next line of one of up to 12 interleaved sessions."""
        rng = self.rng
        while len(self.active) < 12:
            self.active.append(self.session()())
        i = rng.randrange(len(self.active))
        try:
            prog, msg = next(self.active[i])
        except StopIteration:
            self.active[i] = self.session()()
            prog, msg = next(self.active[i])
        self.clock.tick()
        return "%s %s %s: %s\n" % (self.clock.syslog, self.host, prog, msg)


# ---------------------------------------------------------------- main

def generate(kind, size_bytes, seed, out):
    rng = random.Random("logscrub-bench/%s/%d" % (kind, seed))
    if kind == "nginx":
        src = Nginx(rng, Clock(rng, 40.0)).line
    elif kind == "mail":
        src = Mail(rng, Clock(rng, 25.0)).line
    else:
        ng = Nginx(rng, Clock(rng, 40.0)).line
        ml = Mail(rng, Clock(rng, 25.0)).line

        def src():
            return ng() if rng.random() < 0.45 else ml()
    written = lines = 0
    done = False
    while not done:
        buf = []
        for _ in range(CHUNK_LINES):
            ln = src()
            n = len(ln.encode()) if not ln.isascii() else len(ln)
            if written + n > size_bytes:
                done = True
                break
            buf.append(ln)
            written += n
            lines += 1
        out.write("".join(buf).encode())
    return written, lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--size", type=float, default=10.0, help="size in MB = 10^6 bytes (default 10)")
    ap.add_argument("--kind", choices=("nginx", "mail", "mixed"), default="nginx")
    ap.add_argument("--quiet", "-q", action="store_true")
    ap.add_argument("output", help="file to write ('-' for stdout)")
    a = ap.parse_args(argv)
    size = int(a.size * MB)
    if a.output == "-":
        written, lines = generate(a.kind, size, a.seed, sys.stdout.buffer)
    else:
        d = os.path.dirname(os.path.abspath(a.output))
        os.makedirs(d, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".gen-", dir=d)
        try:
            with os.fdopen(fd, "wb") as f:
                written, lines = generate(a.kind, size, a.seed, f)
            os.replace(tmp, a.output)
        except BaseException:
            os.unlink(tmp)
            raise
    if not a.quiet:
        print("gen.py: %s: %d bytes, %d lines (%s, seed %d)" % (a.output, written, lines, a.kind, a.seed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
