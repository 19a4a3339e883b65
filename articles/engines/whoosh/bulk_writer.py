"""A Whoosh segment writer that groups postings by term in memory instead of sorting them.

Whoosh's own writer puts every posting in a pool, sorts the pool (spilling sorted runs to temp
files past ``limitmb``), then writes the postings one call at a time, reading each one's field
length back from the segment it just wrote. Documents reach a writer in docnum order, so each
term's postings already are in order: grouping them per term, sorting only the distinct terms
and writing each term's blocks whole gives the same segment files (the W3 codec's format,
byte for byte) in a fraction of the time. A text field's terms wait as term ids and are grouped
by one sort at the flush (``field_terms``); the blocks are planned in vector passes
(``term_blocks``). A segment is held in memory until it is written, so callers bound its size
(``articles.engines.whoosh.backend``).
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable, Iterator

from whoosh.writing import SegmentWriter

from .field_terms import FieldTerms
from .schema import AnalysedText
from .term_blocks import Group, empty_group, write_field_terms

REPEATED_VALUES = 1024  # distinct values of a field whose postings are kept (a day, an outlet)


class TermGroups:
    """The pool a writer adds postings to: fieldname -> term bytes -> its postings.

    It stands in for Whoosh's PostingPool (``add`` / ``iter_postings`` / ``cleanup``), so the
    postings of segments merged into this one (``add_reader``) come through it too.
    """

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, Group]] = {}
        self._unordered: set[tuple[str, bytes]] = set()

    def terms_of(self, fieldname: str) -> dict[bytes, Group]:
        found = self.fields.get(fieldname)
        if found is None:
            found = self.fields[fieldname] = {}
        return found

    def add(self, item: tuple) -> None:
        fieldname, btext, docnum, weight, value = item
        self.add_document_postings(fieldname, docnum, [(btext, None, weight, value)], 1.0)

    def add_document_postings(
        self, fieldname: str, docnum: int, postings: list[tuple], boost: float
    ) -> None:
        """Each (term bytes, freq, weight, value) of one document's field added to its term's
        group, its weight times ``boost`` (``add`` is the one-posting case)."""
        terms = self.terms_of(fieldname)
        for btext, _freq, weight, value in postings:
            group = terms.get(btext)
            if group is None:
                group = terms[btext] = empty_group()
            elif docnum <= group[0][-1]:
                self._unordered.add((fieldname, btext))
            group[0].append(docnum)
            group[1].append(weight * boost)
            group[2].append(value or b"")

    def sorted_terms(self):
        """(fieldname, term bytes, group) in the order Whoosh writes them, each term's postings
        in docnum order; groups are dropped as they are handed out."""
        for fieldname in sorted(self.fields):
            for btext, group in self.sorted_field_terms(fieldname):
                yield fieldname, btext, group
        self.fields.clear()

    def sorted_field_terms(self, fieldname: str) -> Iterator[tuple[bytes, Group]]:
        """One field's (term bytes, group) in byte order, as ``sorted_terms`` hands them out."""
        terms = self.fields.get(fieldname, {})
        for btext in sorted(terms):
            group = terms.pop(btext)
            if (fieldname, btext) in self._unordered:
                order = sorted(range(len(group[0])), key=group[0].__getitem__)
                group = (
                    array("I", (group[0][i] for i in order)),
                    array("f", (group[1][i] for i in order)),
                    [group[2][i] for i in order],
                )
            yield btext, group

    def merge(self, fieldname: str, groups: Iterable[tuple[bytes, tuple]]) -> None:
        """Add whole terms' postings (each in docnum order) to the field's groups."""
        terms = self.terms_of(fieldname)
        for btext, (docnums, weights, values) in groups:
            group = terms.get(btext)
            if group is None:
                group = terms[btext] = empty_group()
            elif docnums[0] <= group[0][-1]:
                self._unordered.add((fieldname, btext))
            group[0].extend(docnums)
            group[1].extend(weights)
            group[2].extend(values)

    def iter_postings(self):
        for fieldname, btext, (docnums, weights, values) in self.sorted_terms():
            for docnum, weight, value in zip(docnums, weights, values, strict=True):
                yield fieldname, btext, docnum, weight, value

    def cleanup(self) -> None:
        self.fields.clear()


class GroupingSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with :class:`TermGroups` as its pool and whole-block postings writes.

    An :class:`AnalysedText` value (a list of terms) is kept as term ids until the segment is
    written (:class:`FieldTerms`); every other field is indexed as Whoosh's writer indexes it.
    """

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self.pool = TermGroups()
        self._joining: list = []
        self._postings_of: dict[str, dict] = {}
        self._terms: dict[str, FieldTerms] = {}

    def join_segment(self, segment) -> None:
        """List a segment another process wrote (its files already in this index's folder)
        in the table of contents this writer commits."""
        self._joining.append(segment)

    def _commit_toc(self, segments) -> None:
        super()._commit_toc([*segments, *self._joining])

    def add_document(self, **fields) -> None:
        self._check_state()
        schema = self.schema
        docnum = self.docnum
        perdoc = self.perdocwriter
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                if field.vector or field.separate_spelling():
                    raise NotImplementedError(f"{name}: vectors and spelling are not written here")
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    if isinstance(field, AnalysedText) and isinstance(value, list):
                        terms = self._terms.get(name) or self._terms.setdefault(name, FieldTerms())
                        terms.add(docnum=docnum, terms=value, boost=boost)
                        length = len(value) if field.scorable else 0
                    else:
                        postings = self._value_postings(name, value)
                        self.pool.add_document_postings(name, docnum, postings, boost)
                        if field.scorable:
                            length = sum(freq for _btext, freq, _weight, _value in postings)
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(stored))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _value_postings(self, name: str, value) -> list[tuple]:
        """What ``field.index(value)`` gives, kept for the first REPEATED_VALUES distinct values
        of each field (a day, an outlet, a year repeat across documents)."""
        kept = self._postings_of.setdefault(name, {})
        key = (type(value), value)
        found = kept.get(key)
        if found is None:
            found = list(self.schema[name].index(value))
            if len(kept) < REPEATED_VALUES:
                kept[key] = found
        return found

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        names = sorted({*self.pool.fields, *self._terms})
        lengths_of = self._field_lengths(names)
        for fieldname in names:
            terms = self._sorted_terms(fieldname)
            first = next(terms, None)
            if first is None:
                continue
            fieldwriter.start_field(fieldname, self.schema[fieldname])
            write_field_terms(
                fieldwriter, itertools.chain((first,), terms), lengths_of.get(fieldname)
            )
            fieldwriter.finish_field()
        self.pool.cleanup()
        fieldwriter.close()

    def _sorted_terms(self, fieldname: str) -> Iterator[tuple[bytes, Group]]:
        """A field's terms and their postings in the order they are written."""
        held = self._terms.pop(fieldname, None)
        if held:
            field = self.schema[fieldname]
            groups = held.groups(
                field_boost=field.format.field_boost, encode=field.encode_positions
            )
            if not self.pool.fields.get(fieldname):
                return groups
            self.pool.merge(fieldname, groups)  # beside postings of merged segments
        return self.pool.sorted_field_terms(fieldname)

    def _field_lengths(self, names: list[str]) -> dict[str, list]:
        """Each scorable field's length in every document, read once per document where
        Whoosh's writer reads it once per posting (a field left out has none: 0)."""
        if not self.codec.length_stats:
            return {}
        names = [name for name in names if self.schema[name].scorable]
        reader = self.per_document_reader()
        try:
            return {
                name: [reader.doc_field_length(d, name) for d in range(self.docnum)]
                for name in names
            }
        finally:
            reader.close()
