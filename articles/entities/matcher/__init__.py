"""Find gazetteer actors in Arabic text: by name (with clitics) and by dated office.

One Aho-Corasick automaton over the NORMALIZED forms of every alias, role phrase and "non-mention"
phrase is built once; :meth:`EntityMatcher.find` runs it over the normalized article and maps every
hit back to the exact original characters through the normalizer's offset map.

Rules, each there because plain substring search gets it wrong:

* **Word boundaries.** The character before (proclitic +) name and after (name + suffix) must not
  be an Arabic letter, so عبوتين ("two explosive devices") and الروبوتين ("the two robots") are
  never Putin, and شي never matches inside شيء (the normalizer keeps the lone hamza).
* **Proclitics, only where Arabic allows them.** Conjunction و/ف, then preposition ب/ل/ك, in front
  of any name or office phrase. The article ال is never added by us (not بوتين → البوتين); it is
  only part of names that carry it (الصين، الكرملين، الرئيس الصيني), and then ل + ال contracts to
  لل (للصين، وللرئيس الصيني), matched through a second "contracted" pattern.
* **Spans include the proclitic**: ``text[start:end]`` is the whole written word ("لبوتين",
  "وللرئيس الصيني"), so a highlight never splits the joined letters of one word.
* **Suffixes**: :data:`SUFFIXES` lists what may follow each kind; it is empty for every kind on
  purpose (proper names and these office phrases take no possessive/dual/plural endings, and the
  nisba adjectives الروسي/الصينية are not mentions of the country).
* **Offices by date.** A role phrase resolves to the holder whose term covers ``published_on``;
  no date, or no covering term, leaves it unresolved (no mention, no guess). It does not count
  when followed by words that make it another person (السابق، الأسبق، المنتخب، آنذاك …), when it
  sits inside another office (نائب/مستشار/زوجة … الرئيس, المتحدث باسم الرئيس, المستشار الدبلوماسي
  للرئيس), or when it is in apposition to a gazetteer person who never held it.
* **Role + name is one mention**: "وزير الخارجية الصيني، وانغ يي" is one span of wang-yi (via
  "name", ``role_phrase`` set) when the named person holds that phrase in the gazetteer (any
  term). Such an apposition also fixes what the bare phrase means in the rest of the same text:
  if the text ties the phrase to exactly one named holder and does not name the holder the date
  gives, every other occurrence resolves to the tied holder (BBC still called Wang Yi "وزير
  الخارجية الصيني" in February 2023, when Qin Gang held the post).
* **Ambiguous aliases** (the bare "شي", "كيم", "وانغ") count only in an article that names the
  actor by a non-ambiguous alias, or right after an office phrase that resolves to that actor
  (and then in the rest of the text too: «الزعيم الكوري الشمالي كيم ... بين ترامب وكيم»). A short
  family name followed by a name part that none of the actor's longer names continues with is
  someone else's name («كيم يونغ شول»، «كيم يو جونغ»، «كيم كارداشيان»).
* **Non-mentions** (:data:`NON_MENTIONS`: روسيا البيضاء، أمريكا اللاتينية، ميلانيا ترامب …) veto every
  candidate they overlap.
* **Dated aliases** (the bare "بوش" and "جورج بوش", shared by George H. W. Bush and George W.
  Bush): where several entities share a form, the text decides first (if it names exactly one
  of them by an undated form, "بوش الأب" or "جورج دبليو بوش", the bare form is that one
  throughout the text), then the article's date (the alias period that covers it: before
  1993-01-20 the father, from then the son), and an undated text reads the form as the entity
  whose period is open-ended (the son: most news naming a bare Bush is from his time or later).
* **Nicknames**: a person alias alone inside quotes right after a personal name
  («يوسف إبراهيم "أوباما"», a footballer) or after a nicknaming word («الملقب "أوباما"») is
  that person's nickname, not the actor; the same quoted form is then nobody's mention anywhere
  in the text (title included: «"أوباما" يسجل ثنائية»).
* **Namesakes**: a one-word surname alias right after someone else's given name («جيب بوش»،
  «روسلان بوش») is a relative or namesake, not the actor. Given names come from
  :mod:`articles.entities.given_names` (NewsFANE + a short kept list) and the first words of the
  gazetteer's person names; the actor's own first names (and one- or two-letter misspellings of
  them: فلادمير) never count against it.
* **Office + another name**: an office phrase directly followed (or followed after a comma) by a
  personal name that none of its holders bears («الرئيس الأمريكي فرانكلين روزفلت») is that
  person's title, not the date's holder: a gazetteer person who never held it, or a given name
  that is not a first name of a holder.
* **Title and body together**: :meth:`EntityMatcher.find_article` matches the headline and the
  body as one text (so licensing, bindings and nicknames hold across both) and returns each
  mention with ``field`` "title" or "body" and offsets into that field.
* **Leftmost-longest**: surviving candidates are chosen left to right, longest first, without
  overlaps; the result is sorted by ``start``.
"""

from .core import EntityMatcher, default_matcher
from .records import MentionSpan

__all__ = ["EntityMatcher", "MentionSpan", "default_matcher"]
