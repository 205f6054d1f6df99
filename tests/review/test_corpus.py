"""Polarity and verdict accuracy over a corpus of reviews written for this project (tests/review/corpus/).

Labels follow SPEC 3.2: ``defect`` when the finding says this code does something wrong or omits
something it needs (firmly, or as a specific consequence: "could leak into later tests");
``clean`` when it says the code handles the matter or there is no problem; ``note`` for advice,
and for risks that hang on hypotheticals ("might drift over time if nobody keeps them in step",
"not a defect per se"). Files ``a*`` were written before the classifier was rewritten; ``h*``,
``g*`` and ``k*`` were each written and labelled after the classifier was frozen, measured, and only
then used to improve it (their first scores: 12/26, 18/24, 12/20). Files ``r*`` carry the shapes of LLM
reviews of real OpenStack test modules (sub-numbered sections, full-stop bold lead-ins, CWE-led bold bullets,
bold numbered lines closed by a severity emoji, Issue/Location/Recommendation blocks, a list of
"- Line 43: ..." items), rewritten for
invented modules. ``python tests/review/test_corpus.py`` prints the accuracy and every miss.
"""

from __future__ import annotations

from pathlib import Path

from pytest_reviewgate.review.parser import parse_review

CORPUS = Path(__file__).resolve().parent / "corpus"

D, C, N = "defect", "clean", "note"

# file -> (verdict, polarity of each finding in order)
LABELS: dict[str, tuple[str, list[str]]] = {
    "a01-numbered-observations.txt": ("clean", [C, C, N, N]),
    "a02-cwe-list.txt": ("defects", [D, C, D, C, D, D]),
    "a03-bold-bullets.txt": ("clean", [C, C, C, N]),
    "a04-bold-headings.txt": ("defects", [D, N, C]),
    "a05-numbered-mixed.txt": ("defects", [D, C, D, D, C]),
    "a06-bullets-summary-first.txt": ("clean", [C, D, C, N]),
    "a07-plain-numbered.txt": ("defects", [D, D, D, N]),
    "a08-numbered-headings.txt": ("defects", [D, C, C]),
    "a09-cwe-all-clean.txt": ("clean", [C, C, C, C, C]),
    "a10-bullets-apart-from.txt": ("defects", [D, C, D, N]),
    "a11-paren-numbered.txt": ("defects", [C, D, C, D, D]),
    "a12-key-observations.txt": ("defects", [C, C, D, D]),
    "a13-cwe-title-hedges.txt": ("clean", [N, C, D]),
    "a14-nested-bullets.txt": ("defects", [D, C, C, D, N]),
    "a15-two-things.txt": ("defects", [D, C, D]),
    "a16-issue-recommendation.txt": ("defects", [C, D, D]),
    "a17-long-observations.txt": ("clean", [D, N, C]),
    "h01-cwe-notifications.txt": ("defects", [C, D, D, C, D]),
    "h02-bold-headings-search.txt": ("clean", [C, C, N]),
    "h03-numbered-http.txt": ("defects", [D, D, N, C]),
    "h04-bullets-events.txt": ("defects", [C, D, C, D, D]),
    "h05-plain-numbered-storage.txt": ("clean", [C, C, C, C, N]),
    "h06-headings-jobs.txt": ("defects", [D, C, D, C]),
    "g01-cwe-exporter.txt": ("defects", [D, C, D, C]),
    "g02-bullets-cli.txt": ("defects", [D, C, C, C, N]),
    "g03-headings-async.txt": ("clean", [C, D, C]),
    "g04-numbered-payments.txt": ("defects", [D, C, D, N]),
    "g05-bullets-cwe-signals.txt": ("defects", [C, D, C, D, C]),
    "g06-observations-structure.txt": ("clean", [N, N, D]),
    "k01-bullets-tokens.txt": ("clean", [C, C, D, C]),
    "k02-numbered-cwe-fetch.txt": ("defects", [C, D, N, D]),
    "k03-numbered-headings-scratch.txt": ("defects", [C, D, N]),
    "k04-cwe-media.txt": ("defects", [C, D, C, C, N]),
    "k05-paren-mailer.txt": ("defects", [D, C, C, N]),
    "s01-bold-paragraph-numbered.txt": ("defects", [D, C, D, N]),
    "s02-finding-n-headings.txt": ("defects", [D, C, D]),
    "s03-bold-lead-in-paragraphs.txt": ("defects", [D, C, D]),
    "s04-issue-n-plain.txt": ("clean", [C, C, N]),
    "s05-cwe-headings.txt": ("defects", [D, C, C]),
    "s06-severity-headings.txt": ("defects", [D, D, N]),
    "r01-sub-numbered-sections.txt": ("defects", [C, C, D, D, N]),
    "r02-full-stop-lead-ins.txt": ("defects", [D, D, C, C]),
    "r03-cwe-bold-dash-bullets.txt": ("defects", [C, C, D, C]),
    "r04-bold-numbered-emoji.txt": ("defects", [N, D, D, C]),
    "r05-issue-field-blocks.txt": ("defects", [N, C, D]),
    "r06-line-cited-items.txt": ("defects", [D, C, D, C]),
}


def measure(prefix: str = "") -> tuple[int, int, int, int, list[str]]:
    """(polarity hits, findings, verdict hits, reviews, misses) over the files starting with ``prefix``."""
    hits, total, verdict_hits, reviews, misses, _ = _measure(prefix)
    return hits, total, verdict_hits, reviews, misses


def _measure(prefix: str) -> tuple[int, int, int, int, list[str], int]:
    hits = total = verdict_hits = reviews = defect_hits = 0
    misses: list[str] = []
    for name, (verdict, polarities) in sorted(LABELS.items()):
        if not name.startswith(prefix):
            continue
        review = parse_review((CORPUS / name).read_bytes(), name)
        assert not review.problems, (name, review.problems)
        assert len(review.findings) == len(polarities), (name, [f.key for f in review.findings])
        reviews += 1
        verdict_hits += review.verdict == verdict
        if review.verdict != verdict:
            misses.append(f"{name}: verdict {review.verdict}, labelled {verdict}")
        for finding, label in zip(review.findings, polarities, strict=True):
            total += 1
            hits += finding.polarity == label
            defect_hits += (finding.polarity == D) == (label == D)
            if finding.polarity != label:
                misses.append(f"{name} finding {finding.key}: {finding.polarity}, labelled {label}")
    return hits, total, verdict_hits, reviews, misses, defect_hits


def test_every_corpus_file_is_labelled() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.txt")) == sorted(LABELS)


def test_the_corpus_is_large_enough() -> None:
    assert sum(len(p) for _, p in LABELS.values()) >= 60
    assert len(LABELS) >= 12
    assert {N, C, D} <= {label for _, p in LABELS.values() for label in p}
    assert {"clean", "defects"} == {v for v, _ in LABELS.values()}


def test_polarity_is_at_least_95_percent_right_and_every_verdict_is_right() -> None:
    hits, total, verdict_hits, reviews, misses = measure()
    assert hits / total >= 0.95, misses
    assert verdict_hits == reviews, misses


if __name__ == "__main__":  # pragma: no cover - a report for people
    for label, prefix in (("all", ""), ("written first", "a"), ("held out 1", "h"), ("held out 2", "g"),
                          ("held out 3", "k"), ("shapes", "s"), ("real suites", "r")):
        hits, total, verdict_hits, reviews, misses, defect_hits = _measure(prefix)
        if total:
            print(f"{label}: polarity {hits}/{total} = {hits / total:.1%} (defect or not: {defect_hits}/{total}),"
                  f" verdicts {verdict_hits}/{reviews}")
    for miss in measure()[4]:
        print("  miss:", miss)
