"""A Whoosh segment writer that groups postings by term in memory instead of sorting them.

Whoosh's own writer puts every posting in a pool, sorts the pool (spilling sorted runs to temp
files past ``limitmb``), then writes the postings one call at a time, reading each one's field
length back from the segment it just wrote. Documents reach a writer in docnum order, so each
term's postings already are in order: grouping them per term, sorting only the distinct terms
and writing each term's blocks whole gives the same segment files (the W3 codec's format,
byte for byte) in a fraction of the time. A segment is held in memory until it is written, so
callers bound its size (``articles.engines.whoosh.backend``).
"""

from __future__ import annotations

from array import array

from whoosh.writing import SegmentWriter

from .schema import AnalysedText

Group = tuple[array, array, list]  # docnums, weights, encoded values of one term


def _group() -> Group:
    return (array("I"), array("f"), [])


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
        terms = self.terms_of(fieldname)
        group = terms.get(btext)
        if group is None:
            group = terms[btext] = _group()
        elif docnum <= group[0][-1]:
            self._unordered.add((fieldname, btext))
        group[0].append(docnum)
        group[1].append(weight)
        group[2].append(value or b"")

    def sorted_terms(self):
        """(fieldname, term bytes, group) in the order Whoosh writes them, each term's postings
        in docnum order; groups are dropped as they are handed out."""
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for btext in sorted(terms):
                group = terms.pop(btext)
                if (fieldname, btext) in self._unordered:
                    order = sorted(range(len(group[0])), key=group[0].__getitem__)
                    group = (
                        array("I", (group[0][i] for i in order)),
                        array("f", (group[1][i] for i in order)),
                        [group[2][i] for i in order],
                    )
                yield fieldname, btext, group
        self.fields.clear()

    def iter_postings(self):
        for fieldname, btext, (docnums, weights, values) in self.sorted_terms():
            for docnum, weight, value in zip(docnums, weights, values, strict=True):
                yield fieldname, btext, docnum, weight, value

    def cleanup(self) -> None:
        self.fields.clear()


class GroupingSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with :class:`TermGroups` as its pool and whole-block postings writes.

    An :class:`AnalysedText` value (a list of terms) goes straight into the groups; every other
    field is indexed as Whoosh's writer indexes it.
    """

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self.pool = TermGroups()
        self._joining: list = []

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
                        length = self._add_terms(name, field, value, docnum, boost)
                    else:
                        for btext, freq, weight, vbytes in field.index(value):
                            if field.scorable:
                                length += freq
                            self.pool.add((name, btext, docnum, weight * boost, vbytes))
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

    def _add_terms(
        self, name: str, field: AnalysedText, terms: list[str], docnum: int, boost: float
    ) -> int:
        """Add one document's analysed terms; returns the field length (its term count)."""
        groups = self.pool.terms_of(name)
        field_boost = field.format.field_boost
        encode = field.encode_positions
        for term, positions in field.term_positions(terms).items():
            btext = term.encode("utf-8")
            group = groups.get(btext)
            if group is None:
                group = groups[btext] = _group()
            group[0].append(docnum)
            group[1].append(len(positions) * field_boost * boost)
            group[2].append(encode(positions))
        return len(terms) if field.scorable else 0

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        lengths_of = self._field_lengths()
        current = None
        lengths: list | None = None
        for fieldname, btext, group in self.pool.sorted_terms():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                current = fieldname
                lengths = lengths_of.get(fieldname)
            fieldwriter.start_term(btext)
            _write_postings(fieldwriter._postwriter, group, lengths)
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()
        fieldwriter.close()

    def _field_lengths(self) -> dict[str, list]:
        """Each scorable field's length in every document, read once per document where
        Whoosh's writer reads it once per posting (a field left out has none: 0)."""
        if not self.codec.length_stats:
            return {}
        names = [name for name in self.pool.fields if self.schema[name].scorable]
        reader = self.per_document_reader()
        try:
            return {
                name: [reader.doc_field_length(d, name) for d in range(self.docnum)]
                for name in names
            }
        finally:
            reader.close()


def _write_postings(postwriter, group: Group, lengths: list | None) -> None:
    """One term's postings as W3PostingsWriter.add_posting would buffer them, a block at a
    time: the same blocks, statistics and bytes, without a call per posting."""
    docnums, weights, values = group
    limit = postwriter._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            postwriter._write_block()
        block = slice(start, start + limit)
        postwriter._ids = docnums[block]
        postwriter._weights = weights[block]
        postwriter._values = [value for value in values[block] if value]
        postwriter._maxweight = max(0, max(postwriter._weights))
        found = [lengths[d] for d in postwriter._ids if lengths[d]] if lengths else []
        postwriter._minlength = min(found) if found else None
        postwriter._maxlength = max(found) if found else 0
