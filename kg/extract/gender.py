"""The grammatical gender of the people an article names, for resolving "he" and "she": a courtesy title before a
mention ("Mr", "Mrs", "Ms") or a gendered role word ("actress", "spokeswoman"), a common first name, or a pronoun
already resolved to the person in the article."""

from __future__ import annotations

from kg.extract.document import Document, NameMention

Gender = str  # "m" or "f"

PRONOUN_GENDER: dict[str, Gender] = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_TITLES: dict[str, Gender] = {
    **{t: "m" for t in ("mr", "mr.", "sir", "lord", "king", "prince", "monsieur", "herr", "senor", "señor")},
    **{t: "f" for t in ("mrs", "mrs.", "ms", "ms.", "miss", "madam", "madame", "dame", "lady", "queen",
                        "princess", "frau", "senora", "señora")},
    # gendered role words right before a name ("actress Meghan Markle", "Congresswoman Ilhan Omar")
    **{t: "m" for t in ("duke", "baron", "emperor", "congressman", "spokesman", "businessman", "councilman",
                        "assemblyman", "husband", "father", "brother", "son", "grandfather", "widower")},
    **{t: "f" for t in ("actress", "duchess", "baroness", "countess", "empress", "congresswoman", "spokeswoman",
                        "businesswoman", "councilwoman", "assemblywoman", "chairwoman", "wife", "mother", "sister",
                        "daughter", "grandmother", "widow")},
}
_MALE = frozenset("""aaron adam ahmed alan albert alexander ali andres andrew angus anthony antonio barack
ben benjamin bernie bill bob boris brian carlos charles christopher chuck dan daniel david dennis donald
doug douglas ed edward emmanuel enrique eric francois frank fred gary george gordon greg harry henry howard
hugh ian ildefonso jack jacques jair james jared jason jeff jeffrey jeremy jerome jesus jim joe john jon
jonathan jose joseph juan justin keith ken kevin larry liam luis luiz manuel mark martin matt matthew michael
mick mike mitch mohammed narendra nick nicholas nigel olaf oliver patrick paul pedro peter phil philip ralph
recep richard rick rob robert roberto roger ron ronald scott sean sergio shinzo stephen steve steven thomas
tim timothy tom tony vladimir wilbur william xavier""".split())
_FEMALE = frozenset("""alice amy andrea angela ann anna anne barbara betsy carla carol caroline catherine
cecilia chrystia christine christina claire deborah diane dilma elizabeth ellen emily emma federica gina helen
hillary ivanka jacinda jane janet jennifer jessica jill julia julie kamala karen kate katherine kathleen
kellyanne kirstjen laura linda lisa liz lori margaret margrethe maria marine mary melania michelle nancy
nicola nikki patricia penny priti rachel ruth sarah sharon stephanie susan theresa ursula valerie victoria""".split())


def initial_genders(doc: Document) -> dict[str, Gender]:
    """Person key -> gender from courtesy titles and common first names (pronouns resolved later are added by
    :meth:`kg.extract.discourse.Discourse.remember`, not here)."""
    found: dict[str, Gender] = {}
    for m in doc.mentions:
        if m.type not in ("Person", "Official") or m.key in found:
            continue
        g = _title(doc, m) or _first_name(m)
        if g:
            found[m.key] = g
    return found


def _title(doc: Document, m: NameMention) -> Gender | None:
    sent = doc.sentences[m.sentence]
    i = m.tokens[0]
    if i <= sent.span.start:
        return None
    return _TITLES.get(sent.span.doc[i - 1].lower_)


def common_first_name(word: str) -> bool:
    """Whether ``word`` is a common given name of the lists here ("Donald", "Theresa"), any case."""
    return word.lower() in _MALE or word.lower() in _FEMALE


def _first_name(m: NameMention) -> Gender | None:
    for name in (m.known.name if m.known else "", m.text):
        words = name.split()
        if len(words) > 1:
            first = words[0].lower()
            if first in _MALE:
                return "m"
            if first in _FEMALE:
                return "f"
    return None
