#!/usr/bin/python3
"""
phone_corpus.py: sched's phone numbers against libphonenumber.

    /usr/bin/python3 test/unit/phone_corpus.py ./phone_check [-v] [--list]

Builds a corpus of phone numbers as customers of an Indian sales team
type them (Indian mobiles and landlines in every common spelling, the
numbers of Indians abroad as they write them, and numbers that cannot
be), runs each through sched_normalize_phone (the phone_check binary) and
through libphonenumber (Debian's python3-phonenumbers, parse with the
default region of the default country code, is_valid_number, E.164), and
fails when they agree on fewer than 99 % of the numbers, on validity or on
the E.164 form.  sched refuses the valid numbers that number_type calls
toll free, premium rate, shared cost, UAN or voicemail (they take no text
message), so those count as invalid here; the last figure printed counts
them valid.  Every disagreement is printed, the agreement of each kind
of number with -v or on failure; --list prints the corpus.

The corpus is drawn from a fixed seed, so every run sees the same numbers.
"""
import random
import subprocess
import sys

import phonenumbers as pn

THRESHOLD = 0.99
SEED = 20261203

# Mobile numbers: India's ten digits starting 6-9, every such prefix (the
# plan leaves some unassigned, which libphonenumber knows).
# Landlines: the STD code of a city and a subscriber number that, in the
# plan, starts 2-7; some start otherwise, as mistyped numbers do.
STD_CODES = ["11", "22", "33", "44", "80", "40", "20", "79", "141", "522",
             "172", "484", "471", "422", "712", "824", "821", "832", "612",
             "674", "361", "231", "413", "135", "183", "161", "281", "261",
             "265", "253", "562", "512", "542", "532", "129", "124", "120",
             "755", "731", "761", "771", "657", "651", "6582", "2162",
             "240", "491", "495", "870", "866", "863", "891", "883", "8172",
             "816", "820", "836", "866", "4175", "452", "431", "427", "416"]


def indian_mobile(rng):
    first = rng.choice("6789999888777")
    return first + "".join(rng.choice("0123456789") for _ in range(9))


def indian_landline(rng):
    code = rng.choice(STD_CODES)
    sub_len = 10 - len(code)
    first = rng.choice("234567" * 4 + "0189")
    return code, first + "".join(rng.choice("0123456789") for _ in range(sub_len - 1))


def group(digits, sizes):
    out = []
    i = 0
    for s in sizes:
        out.append(digits[i:i + s])
        i += s
    if i < len(digits):
        out.append(digits[i:])
    return [g for g in out if g]


def spell_mobile(rng, n):
    """A ten-digit Indian mobile as people write it."""
    body = rng.choice([
        lambda: " ".join(group(n, [5, 5])),
        lambda: "-".join(group(n, [5, 5])),
        lambda: n,
        lambda: " ".join(group(n, [3, 3, 4])),
        lambda: "-".join(group(n, [3, 3, 4])),
        lambda: ".".join(group(n, [5, 5])),
        lambda: " ".join(group(n, [2, 4, 4])),
        lambda: " ".join(group(n, [4, 3, 3])),
        lambda: "(%s) %s-%s" % (n[:3], n[3:6], n[6:]),
    ])()
    prefix = rng.choice(["+91 ", "+91-", "+91", "+91 ", "+91 ", "0091 ", "0091-",
                         "(+91) ", "(+91)", "+91 (0) ", "91 ", "91", "91-", "0", "0 ",
                         "", "", "", "", "091 ", "+ 91 ", "(+91)-", "0091"])
    return prefix + body


def spell_landline(rng, code, sub):
    """An Indian landline: STD code and subscriber number."""
    nat = code + sub
    body = rng.choice([
        lambda: "%s %s" % (code, sub),
        lambda: "%s-%s" % (code, sub),
        lambda: "%s %s %s" % (code, sub[:len(sub) // 2], sub[len(sub) // 2:]),
        lambda: "(%s) %s" % (code, sub),
        lambda: nat,
        lambda: "%s-%s-%s" % (code, sub[:4], sub[4:]),
    ])
    body = body()
    style = rng.choice(["0", "0", "0", "(0", "+91 ", "+91-", "0091 ", "+91 (0)", "", "91 "])
    if style == "(0":
        return "(0%s) %s" % (code, sub)
    return style + body


# Where Indians abroad live, and what their numbers look like there.
ABROAD = ["US", "US", "US", "CA", "CA", "GB", "GB", "GB", "AE", "AE", "AE",
          "SA", "SA", "QA", "KW", "OM", "BH", "SG", "SG", "MY", "AU", "AU",
          "NZ", "DE", "DE", "IE", "NL", "FR", "IT", "CH", "ZA", "KE", "MU",
          "NP", "HK", "JP", "LK", "SE", "NO", "DK", "ES", "BE", "AT", "PL",
          "TH", "ID", "PH", "BD", "PK", "NG", "TZ", "UG", "FJ", "TT", "GY",
          "CN", "RU", "KR", "IL", "EG", "FI", "PT", "CZ", "GH", "ZM", "SR"]


def foreign_number(rng, region):
    """A number of the region: an example of a mobile or fixed line with
    its last digits drawn anew, so that most exist and some do not."""
    kind = rng.choice([pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.MOBILE,
                       pn.PhoneNumberType.FIXED_LINE])
    ex = pn.example_number_for_type(region, kind) or pn.example_number(region)
    nsn = pn.national_significant_number(ex)
    keep = max(2, len(nsn) - rng.choice([3, 4, 4, 5, 6]))
    nsn = nsn[:keep] + "".join(rng.choice("0123456789") for _ in range(len(nsn) - keep))
    return pn.parse("+%d%s" % (ex.country_code, nsn), None)


def spell_foreign(rng, num):
    cc = num.country_code
    intl = pn.format_number(num, pn.PhoneNumberFormat.INTERNATIONAL)
    e164 = "+%d%s" % (cc, pn.national_significant_number(num))
    rest = intl[len("+%d" % cc):].strip()
    national = pn.format_number(num, pn.PhoneNumberFormat.NATIONAL)
    style = rng.choice(["intl", "intl", "intl", "e164", "00", "00dash", "dash", "paren",
                        "trunk", "dots"])
    if style == "intl" or not rest:
        return intl
    if style == "e164":
        return e164
    if style == "00":
        return "00%d %s" % (cc, rest)
    if style == "00dash":
        return "00%d-%s" % (cc, rest.replace(" ", "-"))
    if style == "dash":
        return "+%d-%s" % (cc, rest.replace(" ", "-"))
    if style == "paren":
        return "(+%d) %s" % (cc, rest)
    if style == "dots":
        return "+%d.%s" % (cc, rest.replace(" ", ".").replace("-", "."))
    # the trunk prefix kept after the country code: "+44 (0)20 ..."
    if national.startswith("0") and not national.startswith("00"):
        return "+%d (0)%s" % (cc, national[1:].lstrip("(").replace(")", ""))
    return intl


def mangle(rng, s):
    """A number typed wrong: a digit dropped or doubled, two swapped."""
    pos = [i for i, c in enumerate(s) if c.isdigit()]
    i = rng.choice(pos)
    how = rng.choice(["drop", "double", "extra"])
    if how == "drop":
        return s[:i] + s[i + 1:]
    if how == "double":
        return s[:i] + s[i] + s[i:]
    return s + rng.choice("0123456789")


JUNK = ["", "   ", "abc", "call me", "98765 4321O", "tel:+919876543210",
        "+91 98765 43210 ext 5", "+91/98765/43210", "98765_43210", "+",
        "00", "()", "12345", "+0 44 20 7946 0958", "+091 98765 43210",
        "+999 1234 5678", "+28 1234 5678", "0000000000", "1111111111",
        "+91 00000 00000", "++919876543210", "91+9876543210",
        "+91 98765 43210+", "9876543210 9876543210", "+91 98765 43210 / 43211",
        "#9876543210", "*9876543210", "+1 012 555 0100", "+4930 123",
        "123456789012345678901234567890", "+91 98765\xa043210"]


def corpus():
    rng = random.Random(SEED)
    items = []  # (category, default cc, text)
    for _ in range(2200):
        items.append(("india mobile", "91", spell_mobile(rng, indian_mobile(rng))))
    for _ in range(1200):
        code, sub = indian_landline(rng)
        items.append(("india landline", "91", spell_landline(rng, code, sub)))
    for _ in range(150):
        n = rng.choice(["1800", "1800", "1860"]) + "".join(rng.choice("0123456789") for _ in range(rng.choice([6, 7])))
        items.append(("india toll free", "91", rng.choice(["", "+91 ", "0"]) + n[:4] + " " + n[4:]))
    for _ in range(1600):
        region = rng.choice(ABROAD)
        items.append(("abroad", "91", spell_foreign(rng, foreign_number(rng, region))))
    for _ in range(400):
        if rng.random() < 0.6:
            s = spell_mobile(rng, indian_mobile(rng))
        else:
            s = spell_foreign(rng, foreign_number(rng, rng.choice(ABROAD)))
        items.append(("mistyped", "91", mangle(rng, s)))
    for j in JUNK:
        items.append(("junk", "91", j))
    # the same code with other default countries
    for region, cc in (("US", "1"), ("GB", "44"), ("AE", "971")):
        for _ in range(150):
            num = foreign_number(rng, region)
            nat = pn.format_number(num, pn.PhoneNumberFormat.NATIONAL)
            items.append(("home " + region, cc, rng.choice([nat, nat, spell_foreign(rng, num)])))
        for _ in range(50):
            items.append(("home " + region, cc, spell_mobile(rng, indian_mobile(rng))))
    return items


def region_of(cc):
    return pn.region_code_for_country_code(int(cc))


# The kinds of valid number that sched refuses: they reach no person, and
# take no text message or WhatsApp.
SERVICE = (pn.PhoneNumberType.TOLL_FREE, pn.PhoneNumberType.PREMIUM_RATE,
           pn.PhoneNumberType.SHARED_COST, pn.PhoneNumberType.UAN,
           pn.PhoneNumberType.VOICEMAIL)


def libphonenumber(cc, text, service_too=False):
    """The E.164 form libphonenumber gives a valid number that reaches a
    person (any valid number with service_too), else None."""
    try:
        n = pn.parse(text, region_of(cc))
    except pn.NumberParseException:
        return None
    if not pn.is_valid_number(n):
        return None
    if not service_too and pn.number_type(n) in SERVICE:
        return None
    return pn.format_number(n, pn.PhoneNumberFormat.E164)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "./phone_check"
    items = corpus()
    if "--list" in sys.argv:
        for cat, cc, text in items:
            print("%s\t%s\t%r\t%s" % (cat, cc, text, libphonenumber(cc, text)))
        return 0
    for _, _, text in items:
        assert "\n" not in text and "\t" not in text
    feed = "".join("%s\t%s\n" % (cc, text) for _, cc, text in items)
    res = subprocess.run([binary], input=feed.encode("utf-8"), stdout=subprocess.PIPE, check=True)
    outs = res.stdout.decode().splitlines()
    assert len(outs) == len(items), "phone_check gave %d lines for %d" % (len(outs), len(items))

    valid_agree = form_agree = raw_agree = 0
    per = {}
    bad = []
    for (cat, cc, text), out in zip(items, outs):
        if out.startswith("?"):
            bad.append("not idempotent: %r -> %s" % (text, out))
            continue
        ours = None if out.startswith("!") else out
        theirs = libphonenumber(cc, text)
        same_validity = (ours is None) == (theirs is None)
        same = ours == theirs
        valid_agree += same_validity
        raw_agree += ours == libphonenumber(cc, text, service_too=True)
        form_agree += same
        c = per.setdefault(cat, [0, 0])
        c[0] += 1
        c[1] += same
        if not same:
            bad.append("%-16s cc %-3s %-32r sched %-17s libphonenumber %s"
                       % (cat, cc, text, ours or "refuses (%s)" % out[2:], theirs or "invalid"))
    n = len(items)
    for line in bad:
        print("phone_corpus: " + line)
    failed = valid_agree < THRESHOLD * n or form_agree < THRESHOLD * n
    for cat in sorted(per) if failed or "-v" in sys.argv else []:
        print("phone_corpus: %-16s %5d numbers, %6.2f %% agree" % (cat, per[cat][0], 100.0 * per[cat][1] / per[cat][0]))
    print("phone_corpus: %d numbers (libphonenumber %s): validity agrees on %.2f %%, "
          "validity and E.164 form on %.2f %% (%.2f %% with service numbers counted valid)"
          % (n, pn.__version__, 100.0 * valid_agree / n, 100.0 * form_agree / n,
             100.0 * raw_agree / n))
    if any(b.startswith("not idempotent") for b in bad):
        return 1
    if failed:
        print("phone_corpus: FAILED: below %.0f %%" % (100 * THRESHOLD))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
