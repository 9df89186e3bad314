#!/usr/bin/python3
"""
phone_plan.py: writes the numbering-plan table of src/contact.c from the
metadata of libphonenumber, as Debian's python3-phonenumbers carries it.

    /usr/bin/python3 test/unit/phone_plan.py > /tmp/plan.c   # then paste
    /usr/bin/python3 test/unit/phone_plan.py --check         # table current?

Every country calling code gets its national prefix, its international
prefix (when it is plain digits), its possible lengths and the shapes of
its numbers (libphonenumber's "general" description).  The countries in
DETAILED also get the shapes of the numbers that exist and reach a person
(fixed line, mobile, personal, VoIP, pager: what is_valid_number accepts
and number_type calls so) and of the service numbers (toll free, premium
rate, shared cost, UAN, voicemail), which sched refuses; the others are
checked against their general shape only.

A shape is written as prefixes that the C matcher reads: "@10" starts a
group of prefixes for national numbers of 10 digits ("@8-13" for 8 to 13,
"@6,8" for 6 or 8); a prefix is digits and classes such as [2-7], each
standing for one digit; the number matches when it has one of the group's
lengths and starts with one of its prefixes.  The regular expressions of
the metadata are expanded into such prefixes here (they use only
alternation, groups, classes, \\d and counted repeats).
"""
import re
import sys

import phonenumbers
from phonenumbers import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

# Countries whose numbers are checked in full: India, and where most
# Indians abroad live (the Gulf, North America, the UK, South-East Asia,
# Australia and New Zealand, Europe's largest communities, East Africa).
DETAILED = [91, 1, 44, 971, 966, 974, 965, 968, 973, 65, 60, 61, 64, 49,
            353, 31, 33, 39, 41, 27, 254, 230, 977, 852, 81, 94]

# The kinds of number a customer can be reached at, and the kinds sched
# refuses although they exist: no text message or WhatsApp reaches them.
PERSONAL = ["fixed_line", "mobile", "personal_number", "voip", "pager"]
SERVICE = ["toll_free", "premium_rate", "shared_cost", "uan", "voicemail"]

DIGITS = frozenset("0123456789")


# ----------------------------------------------------------------------
# A small parser for the regular expressions of the metadata
# ----------------------------------------------------------------------
class Parser:
    def __init__(self, text):
        self.t = text
        self.i = 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self):
        c = self.t[self.i]
        self.i += 1
        return c

    def alt(self):
        branches = [self.seq()]
        while self.peek() == "|":
            self.take()
            branches.append(self.seq())
        return ("alt", branches)

    def seq(self):
        items = []
        while self.peek() not in (None, "|", ")"):
            items.append(self.quantified())
        return ("seq", items)

    def quantified(self):
        atom = self.atom()
        c = self.peek()
        if c == "?":
            self.take()
            return ("rep", atom, 0, 1)
        if c == "{":
            j = self.t.index("}", self.i)
            spec = self.t[self.i + 1:j]
            self.i = j + 1
            if "," in spec:
                lo, hi = spec.split(",")
                return ("rep", atom, int(lo), int(hi))
            return ("rep", atom, int(spec), int(spec))
        if c in ("*", "+"):
            raise ValueError("unbounded repeat in %r" % self.t)
        return atom

    def atom(self):
        c = self.take()
        if c == "(":
            if self.t.startswith("?:", self.i):
                self.i += 2
            inner = self.alt()
            if self.take() != ")":
                raise ValueError("unbalanced group in %r" % self.t)
            return inner
        if c == "[":
            j = self.t.index("]", self.i)
            body = self.t[self.i:j]
            self.i = j + 1
            s = set()
            k = 0
            while k < len(body):
                if k + 2 < len(body) and body[k + 1] == "-":
                    s.update(chr(x) for x in range(ord(body[k]), ord(body[k + 2]) + 1))
                    k += 3
                elif body[k] == "\\" and body[k + 1] == "d":
                    s.update(DIGITS)
                    k += 2
                else:
                    s.add(body[k])
                    k += 1
            return ("set", frozenset(s))
        if c == "\\":
            d = self.take()
            if d != "d":
                raise ValueError("escape \\%s in %r" % (d, self.t))
            return ("set", DIGITS)
        if c in DIGITS:
            return ("set", frozenset(c))
        raise ValueError("%r in %r" % (c, self.t))


def expand(node):
    """All the sequences of digit sets a node matches, as tuples."""
    kind = node[0]
    if kind == "set":
        return [(node[1],)]
    if kind == "alt":
        out = []
        for b in node[1]:
            out.extend(expand(b))
        return out
    if kind == "seq":
        out = [()]
        for item in node[1]:
            tails = expand(item)
            out = [a + b for a in out for b in tails]
            if len(out) > 200000:
                raise ValueError("pattern too large")
        return out
    if kind == "rep":
        _, inner, lo, hi = node
        one = expand(inner)
        out = []
        for n in range(lo, hi + 1):
            seqs = [()]
            for _ in range(n):
                seqs = [a + b for a in seqs for b in one]
            out.extend(seqs)
        return out
    raise AssertionError(kind)


def prefixes(pattern, lengths):
    """{prefix (tuple of sets): set of lengths} for a pattern, keeping only
    the lengths given (libphonenumber checks both)."""
    out = {}
    for s in expand(Parser(pattern).alt()):
        if lengths and len(s) not in lengths:
            continue
        k = len(s)
        while k > 0 and s[k - 1] == DIGITS:
            k -= 1
        out.setdefault(s[:k], set()).add(len(s))
    return out


def write_set(s):
    if len(s) == 1:
        return next(iter(s))
    ds = sorted(s)
    parts = []
    i = 0
    while i < len(ds):
        j = i
        while j + 1 < len(ds) and ord(ds[j + 1]) == ord(ds[j]) + 1:
            j += 1
        if j - i >= 2:
            parts.append("%s-%s" % (ds[i], ds[j]))
        else:
            parts.extend(ds[i:j + 1])
        i = j + 1
    return "[" + "".join(parts) + "]"


def write_lengths(ls):
    ls = sorted(ls)
    if ls == list(range(ls[0], ls[-1] + 1)) and len(ls) > 1:
        return "@%d-%d" % (ls[0], ls[-1])
    return "@" + ",".join(str(x) for x in ls)


def merge(pref):
    """Drops prefixes that a shorter prefix with the same lengths covers,
    and writes the rest grouped by their lengths."""
    items = sorted(pref.items(), key=lambda kv: (len(kv[0]), kv[0] and [sorted(x) for x in kv[0]]))
    kept = []
    for p, ls in items:
        covered = False
        for q, qls in kept:
            if len(q) <= len(p) and ls <= qls and all(p[i] <= q[i] for i in range(len(q))):
                covered = True
                break
        if not covered:
            kept.append((p, set(ls)))
    groups = {}
    for p, ls in kept:
        groups.setdefault(tuple(sorted(ls)), []).append("".join(write_set(x) for x in p))
    out = []
    for ls in sorted(groups):
        out.append(write_lengths(ls))
        out.extend(sorted(groups[ls]))
    return " ".join(out)


def union(*dicts):
    out = {}
    for d in dicts:
        for k, v in d.items():
            out.setdefault(k, set()).update(v)
    return out


def metadata_for(cc):
    regions = COUNTRY_CODE_TO_REGION_CODE[cc]
    if regions == ("001",):
        return [PhoneMetadata.metadata_for_nongeo_region(cc)]
    return [PhoneMetadata.metadata_for_region(r) for r in regions]


def desc_lengths(desc, general):
    pl = desc.possible_length or general.possible_length
    return set(x for x in pl if x > 0)


def plan(cc):
    metas = [m for m in metadata_for(cc) if m is not None]
    main = metas[0]
    general = {}
    valid = {}
    service = {}
    lengths = set()
    local = set()
    for m in metas:
        g = m.general_desc
        lengths |= set(g.possible_length)
        local |= set(g.possible_length_local_only or ())
        if g.national_number_pattern:
            general = union(general, prefixes(g.national_number_pattern, set(g.possible_length)))
        if cc in DETAILED:
            for t in PERSONAL + SERVICE:
                d = getattr(m, t)
                if d is None or not d.national_number_pattern:
                    continue
                shape = prefixes(d.national_number_pattern, desc_lengths(d, g))
                if t in PERSONAL:
                    valid = union(valid, shape)
                else:
                    service = union(service, shape)
    trunk = main.national_prefix_for_parsing or main.national_prefix or ""
    if not re.fullmatch(r"\d*", trunk):
        trunk = main.national_prefix or ""
    idd = main.international_prefix or ""
    if not re.fullmatch(r"\d+", idd):
        idd = "00"
    return {
        "cc": str(cc),
        "trunk": trunk,
        "idd": idd,
        "lengths": sorted(lengths),
        "local": sorted(local),
        "general": merge(general),
        "valid": merge(valid) if cc in DETAILED else None,
        "service": merge(service) if cc in DETAILED and service else None,
    }


def c_string(s, indent):
    """A C string literal of s, broken into lines of at most 76 columns."""
    if s is None:
        return "NULL"
    words = s.split(" ")
    lines = []
    cur = ""
    for w in words:
        piece = (" " if cur else "") + w
        if len(indent) + len(cur) + len(piece) + 2 > 76 and cur:
            lines.append(cur + " ")
            cur = w
        else:
            cur += piece
    lines.append(cur)
    return ("\n" + indent).join('"%s"' % x for x in lines)


def mask(ls):
    return " | ".join("L(%d)" % x for x in ls) if ls else "0"


def table():
    out = []
    out.append("/* generated by test/unit/phone_plan.py from libphonenumber %s */"
               % phonenumbers.__version__)
    out.append("static const PhonePlan phone_plans[] =")
    out.append("{")
    for cc in sorted(COUNTRY_CODE_TO_REGION_CODE, key=lambda c: str(c)):
        p = plan(cc)
        regions = ",".join(COUNTRY_CODE_TO_REGION_CODE[cc])
        out.append("\t/* %s */" % regions[:70])
        out.append('\t{"%s", "%s", "%s", %s, %s,' % (p["cc"], p["trunk"], p["idd"],
                                                   mask(p["lengths"]), mask(p["local"])))
        out.append("\t\t%s," % c_string(p["general"], "\t\t"))
        out.append("\t\t%s," % c_string(p["valid"], "\t\t"))
        out.append("\t\t%s}," % c_string(p["service"], "\t\t"))
    out.append("};")
    return "\n".join(out) + "\n"


BEGIN = "/* BEGIN phone_plans */\n"
END = "/* END phone_plans */\n"

if __name__ == "__main__":
    text = table()
    if "--check" in sys.argv:
        path = sys.argv[sys.argv.index("--check") + 1] if len(sys.argv) > 2 else "src/contact.c"
        src = open(path).read()
        a = src.index(BEGIN) + len(BEGIN)
        b = src.index(END)
        if src[a:b] != text:
            print("phone_plan.py: the table in %s is not the one python3-phonenumbers %s gives"
                  % (path, phonenumbers.__version__), file=sys.stderr)
            sys.exit(1)
        sys.exit(0)
    if "--write" in sys.argv:
        path = sys.argv[sys.argv.index("--write") + 1]
        src = open(path).read()
        a = src.index(BEGIN) + len(BEGIN)
        b = src.index(END)
        open(path, "w").write(src[:a] + text + src[b:])
        sys.exit(0)
    sys.stdout.write(text)
