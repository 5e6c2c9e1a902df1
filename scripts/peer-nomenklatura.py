"""The hard screening set scored by a peer: OpenSanctions' nomenklatura (logic-v2), as yente
uses it. Reads the JSON lines `cargo run -p enduse-screening --release --example export_hard_set`
writes (each customer with its candidate list entries) and prints precision, recall and F1 per
pattern and overall at yente's default threshold 0.70 and at the peer's own best-F1 threshold.

Run in a throwaway virtualenv (nomenklatura is not a project dependency):
    python3 -m venv /tmp/nk && /tmp/nk/bin/pip install nomenklatura
    cargo run -q -p enduse-screening --release --example export_hard_set > /tmp/hard.jsonl
    /tmp/nk/bin/python scripts/peer-nomenklatura.py /tmp/hard.jsonl
"""

import json
import sys
from collections import defaultdict

from followthemoney import model
from nomenklatura.matching import get_algorithm
from nomenklatura.matching.types import ScoringConfig


def entity(eid, schema, names, countries):
    proxy = model.make_entity(schema)
    proxy.id = str(eid)
    for n in names:
        proxy.add("name", n, cleaned=False)
    for c in countries:
        proxy.add("country", c.lower(), quiet=True)
    return proxy


def main(path):
    algo = get_algorithm("logic-v2")
    config = ScoringConfig.defaults()
    cases = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            case = json.loads(line)
            query = entity(f"q{i}", "Company", [case["name"]], [case["country"]] if case["country"] else [])
            scores = {}
            for c in case["candidates"]:
                result = entity(c["id"], c["kind"], c["names"], c["countries"])
                scores[c["id"]] = algo.compare(query, result, config).score
            cases.append((case, scores))

    def tally(threshold):
        per = defaultdict(lambda: [0, 0, 0, 0])  # cases, tp, fp, fn
        for case, scores in cases:
            reported = {e for e, s in scores.items() if s >= threshold}
            t = per[case["pattern"]]
            t[0] += 1
            exp = case["expected"]
            if exp is not None and exp in reported:
                t[1] += 1
            elif exp is not None:
                t[3] += 1
                t[2] += bool(reported)
            elif reported:
                t[2] += 1
        return per

    def prf(t):
        p = t[1] / (t[1] + t[2]) if t[1] + t[2] else None
        r = t[1] / (t[1] + t[3]) if t[1] + t[3] else None
        f1 = 2 * p * r / (p + r) if p and r else None
        return p, r, f1

    def overall(per):
        return [sum(t[i] for t in per.values()) for i in range(4)]

    best = max((x / 100 for x in range(50, 100)), key=lambda th: (prf(overall(tally(th)))[2] or 0))
    fmt = lambda v: "-" if v is None else f"{v:.3f}"
    for label, th in (("yente default", 0.70), ("best F1", best)):
        per = tally(th)
        print(f"nomenklatura logic-v2 at {th:.2f} ({label})")
        print("| pattern | cases | precision | recall | F1 | false hits |")
        print("| --- | --- | --- | --- | --- | --- |")
        for pattern, t in per.items():
            p, r, f1 = prf(t)
            print(f"| {pattern} | {t[0]} | {fmt(p)} | {fmt(r)} | {fmt(f1)} | {t[2]} |")
        t = overall(per)
        p, r, f1 = prf(t)
        print(f"| **overall** | {t[0]} | {fmt(p)} | {fmt(r)} | {fmt(f1)} | {t[2]} |")


if __name__ == "__main__":
    main(sys.argv[1])
