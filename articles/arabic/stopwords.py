"""Arabic stop words, in the normalized form the analyzer compares them in.

Based on the idea of Lucene's Arabic stop list (``org/apache/lucene/analysis/ar/
stopwords.txt``, itself from Jacques Savoy's list): prepositions, conjunctions,
particles, pronouns, demonstratives, relatives and auxiliary verbs, with their
most frequent و/ف/ب/ل-prefixed forms. Written out here by hand, normalized
(أ إ آ → ا, ى → ي, ة → ه), not copied. Verbs of saying (قال، اضاف، اكد، اعلن)
are deliberately NOT stop words: news search filters on who said what.

Caveat: normalized على is علي, which is also the name Ali; like Lucene we accept
losing the name in exchange for dropping the most frequent preposition.
"""

from __future__ import annotations

from .normalize import normalize

_PREPOSITIONS = """
في وفي ففي من ومن فمن الي والي علي وعلي فعلي عن وعن مع ومع بين وبين
منذ ومنذ حتي وحتي عند وعند لدي ولدي نحو ضمن خلال وخلال عبر حول وحول
دون بدون ضد تحت فوق امام وراء قبل وقبل بعد وبعد اثناء مثل ومثل
"""

_CONJUNCTIONS_AND_PARTICLES = """
و ف ب ل ك ثم او ام بل لكن ولكن لكنه لكنها اما واما ان وان فان بان لان
انه وانه فانه بانه لانه انها وانها فانها بانها لانها انهم وانهم بانهم
قد وقد فقد لقد لا ولا فلا الا والا لم ولم لن ولن ما وما فما كما وكما
اذ اذا واذا فاذا لو ولو لولا كي لكي حيث وحيث حين وحين عندما بينما
ايضا كذلك هل يا سوف اي وايا كل وكل بعض وبعض جميع غير وغير سوي فقط
"""

_PRONOUNS = """
انا نحن انت انتم انتن هو وهو فهو هي وهي فهي هما هم وهم هن
له لها لهم لهما لهن لي لنا لك لكم به بها بهم بهما فيه فيها فيهم
منه منها منهم عنه عنها عنهم عليه عليها عليهم اليه اليها اليهم معه معها معهم
"""

_DEMONSTRATIVES_AND_RELATIVES = """
هذا وهذا بهذا لهذا هذه وهذه بهذه لهذه هذان هاتان هؤلاء ذلك وذلك بذلك لذلك
تلك وتلك اولئك هنا هناك وهناك هنالك ذاك
الذي والذي الذين والذين التي والتي اللذان اللتان اللذين اللتين اللواتي اللاتي
من ماذا متي اين كيف لماذا كم
"""

_AUXILIARIES = """
كان وكان كانت وكانت كانوا يكون تكون يكونوا ليس ليست لست ليسوا
اصبح اصبحت صار صارت ظل ظلت مازال مازالت لايزال لاتزال
الان
"""

STOP_WORDS: frozenset[str] = frozenset(
    normalize(
        " ".join(
            [
                _PREPOSITIONS,
                _CONJUNCTIONS_AND_PARTICLES,
                _PRONOUNS,
                _DEMONSTRATIVES_AND_RELATIVES,
                _AUXILIARIES,
            ]
        )
    ).split()
)
"""Normalized Arabic stop words (~300), matched before stemming."""
