"""Actor measures: the judged ANT fixture (≥ 0.98 precision and recall), NewsFANE gold recall.

The judged fixture is self-contained (tests/data/actors_judged_ant.jsonl, see tests/data/README.md);
the NewsFANE test reads ../shared/external and skips when it is absent. Neither is timed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.quality.actors import (
    JUDGED_PATH,
    NEWSFANE_ACTORS,
    NEWSFANE_NOT_ACTORS,
    bench_lines,
    judged_scores,
    load_judged,
    newsfane_candidates,
    newsfane_recall,
)

NEWSFANE = Path(__file__).resolve().parents[1].parent / "shared" / "external" / "ner-newsfane-gold"


def newsfane_dir() -> Path:
    if not (NEWSFANE / "NewsFANE_Gold_2014_170K.txt").is_file():
        pytest.skip(f"NewsFANE Gold not found at {NEWSFANE} (external corpus not installed)")
    return NEWSFANE


def test_judged_fixture_is_well_formed():
    rows = load_judged()
    assert len(rows) == 100
    assert len({r["id"] for r in rows}) == 100
    classes = {r["class"] for r in rows}
    assert {
        "title_only",
        "bush",
        "nickname",
        "office_other",
        "shi",
        "lookalike",
        "clitic",
    } <= classes
    for row in rows:
        assert set(row) >= {"id", "title", "body", "date", "gold"}
        for gold in row["gold"]:
            text = row[gold["field"]]
            assert text[gold["start"] : gold["end"]] == gold["text"], (row["id"], gold)
    titles = sum(1 for r in rows for g in r["gold"] if g["field"] == "title")
    assert titles >= 50


def test_matcher_precision_and_recall_on_judged_articles():
    scores = judged_scores()
    assert scores.articles == 100
    assert scores.precision >= 0.98, scores.errors
    assert scores.recall >= 0.98, scores.errors


@pytest.mark.corpus
def test_newsfane_recall_on_gazetteer_people():
    result = newsfane_recall(newsfane_dir())
    assert result.total == 73  # 47 Bush, 21 Putin, 5 Lavrov
    assert result.by_actor["george-w-bush"][1] == 47
    assert result.recall >= 0.95, result.missed


@pytest.mark.corpus
def test_newsfane_mapping_table_covers_every_candidate():
    """A gold person whose name contains a gazetteer surname is mapped or excluded by reading."""
    known = set(NEWSFANE_ACTORS) | NEWSFANE_NOT_ACTORS
    assert set(newsfane_candidates(newsfane_dir())) <= known


def test_bench_lines_and_command_print_key_value(tmp_path):
    lines = dict(bench_lines(newsfane=tmp_path, judged=JUDGED_PATH))  # no NewsFANE there
    assert "actor_recall_newsfane" not in lines
    assert float(lines["actor_precision_judged"]) >= 0.98
    assert float(lines["actor_recall_judged"]) >= 0.98
    out, err = io.StringIO(), io.StringIO()
    call_command("bench_actors", "--newsfane", str(tmp_path), stdout=out, stderr=err)
    printed = dict(line.split(" ", 1) for line in out.getvalue().splitlines())
    assert printed["actor_precision_judged"] == lines["actor_precision_judged"]
    assert "NewsFANE gold not found" in err.getvalue()
