"""Data tables that identify outlets and page furniture. Edit here, not in the stages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutletSignature:
    """Text that only one outlet's pages print (mastheads, fixed footers, caption labels)."""

    outlet: str
    markers: tuple[str, ...]


# Matched against the whole text with runs of whitespace collapsed to one space, so a masthead
# split over two lines still matches. Any one marker identifies the outlet.
OUTLET_SIGNATURES: tuple[OutletSignature, ...] = (
    OutletSignature(outlet="الدستور", markers=("رئيس مجلسى الإدارة والتحرير محمد الباز",)),
    OutletSignature(
        outlet="بي بي سي عربي",
        markers=("تخطى قصص مقترحة وواصل القراءة", "تخطى البودكاست وواصل القراءة", "صدر الصورة،"),
    ),
    OutletSignature(outlet="إيلاف", markers=("ولا تعبر بالضرورة عن رأي إيلاف",)),
)

# Section labels some sites print above the kicker/headline ("أخبار" on Elaph). Dropped only
# among the first lines of a page, never inside the body.
SECTION_LABELS: frozenset[str] = frozenset(
    {
        "أخبار",
        "الأخبار",
        "سياسة",
        "اقتصاد",
        "رياضة",
        "ثقافة",
        "منوعات",
        "عربي ودولي",
        "دولي",
        "محليات",
    }
)
