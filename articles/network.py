"""The actor network of a result set, laid out for an inline SVG: actors as nodes on a circle,
co-mentions as edges weighted by the number of articles naming both.

The most-named actor stands at the start of the reading direction (the right in Arabic, the
left in English) and the others follow over the top of the circle in decreasing order, so the
picture reads like the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from articles.models import Entity
from articles.timeline_selectors import CoMentions

WIDTH = 860
HEIGHT = 640
RADIUS = 230
MAX_NODES = 20
MAX_EDGES = 80
NODE_MIN_R = 6
NODE_MAX_R = 22
EDGE_MAX_WIDTH = 9
LABEL_GAP = 8


@dataclass(frozen=True)
class Node:
    slug: str
    name: str
    kind: str
    count: int
    x: float
    y: float
    r: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor with direction="ltr": "start" to the right, "end" to the left
    url: str


@dataclass(frozen=True)
class Edge:
    a: Node
    b: Node
    weight: int
    width: float
    opacity: float
    url: str


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    edges: list[Edge]  # heaviest first
    articles: int  # articles in the result set
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def strongest(self) -> list[Edge]:
        return self.edges[:12]


def _position(index: int, total: int, *, rtl: bool) -> tuple[float, float, float]:
    """(x, y, angle) of node ``index``: from the reading start round over the top."""
    angle = 2 * math.pi * index / max(total, 1)
    side = 1 if rtl else -1
    return (
        WIDTH / 2 + side * RADIUS * math.cos(angle),
        HEIGHT / 2 - RADIUS * math.sin(angle),
        angle,
    )


def most_named(co_mentions: CoMentions) -> list[tuple[int, int]]:
    """(entity id, articles) of the MAX_NODES actors named in the most articles of the set."""
    return sorted(co_mentions.actors.items(), key=lambda item: (-item[1], item[0]))[:MAX_NODES]


def actor_network(
    *,
    co_mentions: CoMentions,
    entities: dict[int, Entity],
    articles: int,
    node_url: Callable[[str], str],
    edge_url: Callable[[str, str], str],
    rtl: bool,
) -> Network:
    """The MAX_NODES most-named actors of the set (``entities`` holds them by id) and the
    heaviest co-mentions among them."""
    top = most_named(co_mentions)
    most = max((n for _pk, n in top), default=1)
    nodes: dict[int, Node] = {}
    for index, (pk, count) in enumerate(top):
        entity = entities[pk]
        x, y, angle = _position(index, len(top), rtl=rtl)
        r = NODE_MIN_R + (NODE_MAX_R - NODE_MIN_R) * math.sqrt(count / most)
        dx, dy = (x - WIDTH / 2) / RADIUS, (y - HEIGHT / 2) / RADIUS
        anchor = "middle" if abs(dx) < 0.25 else ("start" if dx > 0 else "end")
        nodes[pk] = Node(
            slug=entity.slug,
            name=entity.name_ar,
            kind=entity.kind,
            count=count,
            x=round(x, 1),
            y=round(y, 1),
            r=round(r, 1),
            label_x=round(x + dx * (r + LABEL_GAP), 1),
            label_y=round(y + dy * (r + LABEL_GAP) + (5 if abs(dx) >= 0.25 else 12 * dy), 1),
            anchor=anchor,
            url=node_url(entity.slug),
        )
    pairs = sorted(
        ((w, a, b) for (a, b), w in co_mentions.pairs.items() if a in nodes and b in nodes),
        key=lambda item: (-item[0], item[1], item[2]),
    )[:MAX_EDGES]
    heaviest = pairs[0][0] if pairs else 1
    edges = [
        Edge(
            a=nodes[a],
            b=nodes[b],
            weight=weight,
            width=round(1 + (EDGE_MAX_WIDTH - 1) * weight / heaviest, 1),
            opacity=round(0.25 + 0.6 * weight / heaviest, 2),
            url=edge_url(nodes[a].slug, nodes[b].slug),
        )
        for weight, a, b in pairs
    ]
    return Network(nodes=list(nodes.values()), edges=edges, articles=articles)
