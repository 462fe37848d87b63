"""Is a match negated? Cues per language, where the language puts them, and idioms that only look negative.

A claim is cancelled by a negation in its own clause: before it in English, Chinese, Thai and the other
languages that negate the verb up front ("does not cure", "不能治愈", "ไม่ช่วย"); after it in Japanese,
Korean and Hindi, which negate at the end ("治りません", "치료하지 않습니다", "इलाज नहीं करती"), and in German,
Dutch and spoken French, which may ("heilt Diabetes nicht", "ça guérit pas").

Some negative-looking words affirm: "not only … but also", "no doubt", "sin duda", "必ず", "틀림없이",
"だけでなく". A negation that ends before a conjunction and a new predicate does not reach the claim after
it ("no side effects and cures diabetes"). Words that are negations in one language and ordinary words in
another (French "ni", Malay "ni" = this; Italian "mai", Vietnamese "mai" = tomorrow) are cues only for
patterns of their own language.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .compiler import Match
    from .context import Prepared

WINDOW = 5  # words before a claim that a negation may sit at
AFTER_WINDOW = {"de": 3, "nl": 3, "fr": 2, "hi": 4}  # word languages that may negate after the claim
# … and the words that do it there ("heilt Diabetes nicht", "ça guérit pas"; not "maigrir sans effort")
AFTER_CUES = {
    "de": {"nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals"},
    "nl": {"niet", "geen", "nooit"},
    "fr": {"pas", "jamais", "point", "guère"},
    "hi": {"नहीं", "न", "ना", "मत"},
}
CJK_WINDOW = 8  # characters before a claim in scripts written without spaces
# Every walk from a claim is bounded in tokens, whatever the text (a line of punctuation, an unpunctuated
# transcript): the windows above count words, and these cap the tokens looked at to find them.
MAX_REACH = 200
AFFIRM_REACH = 40
CJK_AFTER_WINDOW = 12  # characters after a Japanese or Korean claim

# Cues in every language: no other language uses them as an ordinary word.
COMMON = {
    # en
    "not", "no", "never", "don't", "doesn't", "didn't", "won't", "wouldn't", "can't", "cannot", "isn't",
    "aren't", "wasn't", "weren't", "shouldn't", "mustn't", "without", "neither", "nor", "none", "nothing",
    "avoid", "avoids", "avoiding", "banned", "ban", "bans", "forbidden", "forbid", "forbids", "prohibited",
    "prohibit", "prohibits", "instead", "rather", "unlike", "dont", "doesnt", "wont", "cant", "isnt", "n't",
    # de
    "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "niemals", "ohne", "weder", "vermeiden",
    "verboten",
    # fr
    "n'", "jamais", "aucun", "aucune", "éviter", "interdit", "interdite",
    # es / pt / it
    "nunca", "jamás", "tampoco", "ningún", "ninguna", "ninguno", "evitar", "prohibido", "prohibida",
    "não", "nenhum", "nenhuma", "proibido", "senza", "nessun", "nessuna", "nessuno", "vietato", "evitare",
    # nl
    "niet", "geen", "nooit", "zonder", "vermijd", "verboden",
    # id / ms / tl / vi
    "tidak", "bukan", "tanpa", "jangan", "belum", "tak", "hindi", "huwag", "walang", "không", "chưa", "chẳng",
    "đừng", "cấm",
    # ar
    "لا", "لم", "لن", "ليس", "ليست", "بدون", "غير", "دون", "ممنوع", "تجنب",
    # hi
    "नहीं", "मत", "बिना", "कभी",
}
# Cues that are ordinary words elsewhere: used only for patterns of these languages.
OWN_LANGUAGE = {
    "fr": {"ne", "pas", "ni", "sans", "non"},
    "it": {"non", "mai", "né", "niente", "nulla"},
    "es": {"sin", "ni", "nada", "nadie"},
    "pt": {"sem", "nem", "nada"},
    "de": {"nie"},
    "ms": {"tiada", "bukannya"},
    "id": {"nggak", "gak", "ga", "enggak"},
    "tl": {"wala"},
    "fil": {"wala"},
    "hi": {"न", "ना"},
    "nl": {"nee"},
}
# Patterns of one language also match its neighbours' text (a Spanish "cura {0,3} diabetes" matches Italian
# "cura il diabete"), and speakers mix: the cues of a group are shared.
_GROUPS = (("es", "it", "pt", "fr", "ca"), ("de", "nl"), ("ms", "id"), ("tl", "fil"))
SHARED = {lang: tuple(o for o in group if o != lang) for group in _GROUPS for lang in group}
# After "not"/"no": the claim is affirmed, not cancelled ("not only", "no doubt", "sin duda", "never fails").
NOT_ONLY = {
    "only", "just", "merely", "simply", "solo", "sólo", "solamente", "únicamente", "nur", "seulement",
    "uniquement", "só", "somente", "apenas", "soltanto", "solamente", "alleen", "hanya", "sahaja", "saja",
    "cuma", "chỉ", "lang", "lamang", "sekadar",
}
AFFIRMING_PREFIXES = (
    "doubt", "question", "wonder", "worr", "fail", "dud", "dúvid", "duvid", "dubbi", "zweifel", "doute",
    "twijfel", "ragu", "nghi", "alinlangan", "شك", "संदेह", "शक",
    # "don't miss", "don't wait", "no te lo pierdas", "jangan lewatkan": urging, not negating
    "miss", "forget", "wait", "hesitate", "delay", "pierdas", "perca", "verpass", "ratez", "manquez", "lewat",
    "ketinggal", "palampas", "tardes", "aspett", "espere", "zöger",
    # "don't forget", "jangan lupa", "no olvides", "đừng quên"
    "lupa", "kalimut", "olvid", "dimentic", "vergess", "oubli", "esqueç", "esquec", "quên", "vergeet",
)
SKIPPABLE = {"a", "any", "an", "te", "lo", "se", "me", "ce", "sie", "es", "out", "aucun", "aucune", "ningún", "ninguna", "alcun", "alcuno", "den", "einen",
             "la", "le", "il", "el", "de", "of", "there", "is"}
# A cue right before these is not a negation of what follows ("pas cher" = cheap, "pas mal" = rather good), or
# makes a compound with it that names a product ("nồi chiên không dầu" = air fryer, "không đường" = sugar-free).
AFTER_IDIOMS = {
    "pas": {"cher", "chère", "chers", "chères", "mal"},
    "không": {"dầu", "đường", "cồn", "dây", "chì", "mùi", "gian", "khí", "thấm", "gluten", "lactose", "béo",
              "calo", "paraben", "nhãn", "hương", "màu", "bụi", "tiếng", "ồn", "dính", "gỉ", "xương", "hạt", "vỏ"},
    "tanpa": {"gula", "minyak", "kabel", "alkohol", "pengawet", "pewangi", "paraben", "bpa"},
    "sin": {"azúcar", "gluten", "lactosa", "cables", "alcohol", "bpa", "parabenos"},
    "sem": {"açúcar", "glúten", "lactose", "fio", "fios", "álcool", "bpa"},
    "senza": {"zucchero", "glutine", "lattosio", "fili", "alcol", "bpa"},
    "ohne": {"zucker", "gluten", "laktose", "kabel", "alkohol", "bpa"},
    "sans": {"sucre", "gluten", "lactose", "fil", "fils", "alcool", "bpa"},
    "without": {"sugar", "gluten", "lactose", "wires", "cables", "bpa"},
    # Portuguese "no" = "in the": "entra no nosso grupo", "no link da bio", "no Brasil"
    "no": {"nosso", "nossa", "nossos", "seu", "sua", "meu", "minha", "grupo", "link", "site", "perfil", "carrinho",
           "app", "aplicativo", "whatsapp", "instagram", "tiktok", "story", "stories", "brasil", "momento", "dia",
           "final", "mercado", "canal", "chat", "comentário", "comentários", "feed", "direct", "máximo", "mínimo",
           "total", "mundo", "mesmo", "primeiro", "último", "ar", "pix", "boleto", "cartão", "frete", "estoque",
           "sábado", "domingo", "natal", "carnaval", "corpo", "rosto", "cabelo"},
}
# "Without" scopes over its object, not over a claim further on: "बिना डाइट के वजन घटाएं", "sin dieta, adelgaza",
# "without dieting lose 10 kg" keep the claim; "without claiming it cures" (one word between) is cancelled.
WITHOUT = {"without", "ohne", "sans", "sin", "senza", "sem", "tanpa", "zonder", "بدون", "دون", "बिना"}
WITHOUT_REACH = 2  # words walked back from the claim, the cue included
WITHOUT_LIST_REACH = 4  # … when "or" joins its objects ("zonder namen of foto's van je kinderen")
DISJUNCTIONS = {"or", "of", "oder", "ou", "o", "atau", "hoặc", "ni", "nor", "或", "或者", "या", "أو"}
MAX_LIST_COMMAS = 4
LIST_JOINERS = {"or", "and", "nor", "oder", "und", "ou", "et", "o", "y", "e", "of", "en", "atau", "dan", "hoặc", "và",
                "或", "和", "及", "或者"}
# Talk about claims: a negation before these reaches further ("no se pueden hacer reclamos que sugieran …")
META_WORDS = {"claim", "claims", "claiming", "suggest", "suggests", "imply", "implies", "state",
              "advertise", "advertised", "promote", "promoted", "reclamo", "reclamos", "sugieran", "sugerir",
              "afirmar", "afirmaciones", "alegaciones", "declaraciones", "anunciar", "anunciados", "anunciadas",
              "anunciado", "alegar", "alegações", "dizer", "decir", "behaupten", "werben", "aussagen", "prétendre",
              "allégation", "allégations", "affermare", "indicazioni", "vantare", "klaim", "mengklaim", "iklan"}
META_WINDOW = 10
COMPLEMENTIZERS = {"that", "dass", "daß", "que", "qu'", "che", "dat", "bahwa", "bahawa", "rằng", "na", "कि", "أن"}
CONJUNCTIONS = {"and", "&", "und", "et", "y", "e", "en", "dan", "và", "at", "och", "og", "और", "plus", "also"}

# -- scripts without spaces -------------------------------------------------------------------------------
# Prohibitions reach over a whole verb phrase ("不要在评论区留小朋友的名字"); plain negations only the word next
# to them, past modal and linking words ("不能治愈", "没有任何减肥效果", but not "无副作用减肥").
ZH_PROHIBIT = ("不要", "别", "別", "勿", "禁止", "避免", "严禁", "嚴禁", "不得", "不准", "不许", "不許", "不可以",
               "不应", "不應", "不该", "不該")
ZH_CUES = ("不", "没", "沒", "无", "無", "非", "未", "莫")
ZH_NOT_NEGATION = ("不仅", "不僅", "不但", "不错", "不錯", "不断", "不斷", "不少", "不同", "不用担心", "无论", "無論",
                   "不管", "非常", "无比", "無比", "无敌", "無敵", "莫名", "别人", "別人", "别的", "別的", "特别",
                   "特別", "区别", "區別", "未来", "未來", "之无愧", "不止", "不光", "无与伦比", "毫无疑问", "毫無疑問",
                   "无疑", "無疑", "不可思议", "不可思議", "不得了", "不一样", "不一樣", "不可少", "不可或缺",
                   "不要错过", "不要錯過", "别错过", "別錯過", "不容错过", "不容錯過", "勿错过", "勿錯過", "不要犹豫",
                   "不要猶豫", "别犹豫", "別猶豫", "别等", "別等", "不要等", "不要再等", "别忘", "別忘", "不要忘",
                   "勿忘")
# What may stand between a Chinese negation and the claim it negates ("不能", "没有任何", "不是说它能").
ZH_BRIDGE = set("能会會可以要得是再太用需有具声聲称稱宣承诺諾保证證说說写寫提到及使它其该該本品产產这這那就也都还還更"
                "帮幫助让讓令对對于於来來去过過了着著在为為任何所谓謂一定真的并並从從绝絕完全敢准许許被人含添加卖賣售"
                "提供做搞推荐薦宣传傳相信")
JA_BEFORE = ("禁止",)
JA_AFTER = ("ない", "ません", "ず", "ぬ", "なし", "無し", "ではな", "じゃな", "禁止")
JA_NOT_NEGATION = ("だけでな", "だけじゃな", "のみならず", "に限らず", "間違いな", "違いな", "たまらな", "止まらな",
                   "とまらな", "もったいな", "欠かせな", "見逃せな", "外せな", "ずっと", "必ず", "少な", "危な",
                   "かもしれな", "ないと損", "ないわけがな", "ないはずがな", "ないことはな", "ずにはいられな",
                   "ないわけにはいかな", "はずがな", "見分けがつかな", "区別がつかな", "見分けがつきませ")
KO_AFTER = ("않", "없", "아니", "아닙", "못", "말", "금지")
KO_NOT_NEGATION = ("틀림없", "못지않", "어김없", "아낌없", "끊임없", "남김없", "거침없", "빠짐없", "뿐만아니", "뿐아니",
                   "할것없", "상관없", "말할것", "말해", "말씀", "말로", "않을수가없", "않을수없", "않을리가없",
                   "않을리없", "다시는없", "다시없", "두번다시없")
TH_CUES = ("ไม่", "ห้าม", "ปราศจาก", "อย่า")
TH_NOT_NEGATION = ("ไม่เพียง", "ไม่ใช่แค่", "ไม่แพ้", "ไม่ต้องสงสัย", "ไม่น่าเชื่อ")

_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_THAI = re.compile(r"[\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u1000-\u109f]")


@lru_cache(maxsize=None)
def cues_for(lang: str) -> frozenset[str]:
    """The negation cues for patterns of ``lang``: the common ones plus its language group's own.

    (Portuguese "no" = "in the" is not removed here: Portuguese patterns also match Spanish text, where "no"
    negates; ``_compound`` tells them apart by the word after it.)
    """
    cues = set(COMMON) | OWN_LANGUAGE.get(lang, set())
    for other in SHARED.get(lang, ()):
        cues |= OWN_LANGUAGE.get(other, set())
    return frozenset(cues)


def is_negated(prep: "Prepared", m: "Match", strict: bool = False, after: bool = True) -> bool:
    """``strict``: only a negation right before the words (an exception's "不含税", "not included").
    ``after=False``: not the negations that follow the words (a required warning may itself prohibit:
    "20歳未満の飲酒は法律で禁止されています")."""
    toks = prep.tokens
    clause = prep.clause
    cid = clause[m.start]
    lang = m.lang
    script = _script(prep, m)
    cues = cues_for(lang)
    if 0 <= m.pattern < len(prep.literals) and prep.literals[m.pattern] & cues:
        return False  # the claim is itself negative ("aucun danger", "no side effects"): "ne présente aucun danger"
    conj_at = None  # words walked when the nearest conjunction was passed
    disjunction = False  # an "or" between the claim and the cue
    crossed = False  # the comma before a complement clause was crossed
    words = 0
    run: list[str] = []
    digits = 0  # numbers in the run (they do not use up the window)
    window = WINDOW
    listed = _in_a_list(prep, m)
    commas = 0
    i = m.start - 1
    stop = m.start - MAX_REACH
    while i >= 0 and i > stop:
        if clause[i] != cid and listed and commas < MAX_LIST_COMMAS and toks.words[i] in (",", "，", "、") \
                and i > 0 and _short_clause(prep, i - 1):
            # a list of claims shares the negation before it: "não podem ser anunciados como prevenção,
            # tratamento ou cura", "not intended to diagnose, treat, cure or prevent"
            commas += 1
            cid = clause[i - 1]
            i -= 1
            continue
        if clause[i] != cid:
            # a complement clause belongs to the verb before its comma: "Sagen Sie niemals, dass … heilt",
            # "ne dites jamais, que …"; one such comma is crossed, nothing else
            if (toks.words[i] in (",", "，") and i + 1 < m.start and toks.lowers[i + 1] in COMPLEMENTIZERS
                    and i > 0 and not crossed):
                crossed = True
                cid = clause[i - 1]
                i -= 1
                continue
            break
        if toks.split[i]:
            if words:
                break  # CJK before the words nearest the claim: too far to negate it
            if len(run) - digits >= CJK_WINDOW:
                break
            run.append(toks.words[i])
        elif run and toks.words[i][:1].isdigit():
            run.append(toks.words[i])  # a number inside Chinese text: "不要相信所谓的7天瘦10斤"
            digits += 1
        else:
            if run:
                break  # a word before the CJK run ends it
            low = toks.lowers[i]
            if not low[:1].isalnum() and low not in ("n't", "&"):
                i -= 1
                continue  # punctuation inside a clause ("say “cures”") is not a word
            words += 1
            if low in META_WORDS:
                window = META_WINDOW  # talk about claims reaches further: "no se pueden hacer reclamos que …"
            if words > (1 if strict else window):
                break
            if low in DISJUNCTIONS:
                disjunction = True
            if low in CONJUNCTIONS and conj_at is None:
                conj_at = words
            elif low in WITHOUT and words > (WITHOUT_LIST_REACH if disjunction else WITHOUT_REACH):
                pass
            elif low in cues and not _affirming(prep, i, m.start) and not (
                    i + 1 < len(toks.lowers) and _compound(low, toks.lowers[i + 1])):
                if conj_at is not None and words - conj_at - 1 >= 2:
                    return False  # "no side effects and cures …": the negation stays in its own predicate
                return True
        i -= 1
    if strict:
        return bool(run) and script == "zh" and run[0] in ZH_CUES  # 不|含税, 无|糖
    if run and _cjk_before("".join(reversed(run)), script, prep, i + 1):
        return True
    return _negated_inside(prep, m, cues) or (after and _negated_after(prep, m, script, lang))


def _negated_inside(prep: "Prepared", m: "Match", cues: frozenset[str]) -> bool:
    """A negation that came through one of the pattern's gaps: "heilen keinen Diabetes", "治疗不了这种病"."""
    if m.end - m.start < 3:
        return False
    if not 0 <= m.pattern < len(prep.literals):
        return False
    literals = prep.literals[m.pattern]
    if literals & cues or any(c in lit for lit in literals for c in ZH_CUES):
        return False  # the claim is itself negative ("sin {0,2} contraindicaciones", "无{0,2}副作用")
    toks = prep.tokens
    for j in range(m.start + 1, m.end - 1):
        low = toks.lowers[j]
        if low in literals:
            continue
        if toks.split[j]:
            if low in ZH_CUES and not any(low in lit for lit in literals):
                return True
        elif low in cues and not _affirming(prep, j, m.end):
            return True
    return False


def _last_index(prep: "Prepared", name: str, words) -> list[int]:
    """Per token, the index of the last token at or before it whose lower-cased text is in ``words``
    (-1: none); built once per document, so every look-back is one step."""
    cached = prep.__dict__.get(name)
    if cached is None:
        from itertools import accumulate

        cached = list(accumulate((i if low in words else -1 for i, low in enumerate(prep.tokens.lowers)),
                                 max, initial=-1))[1:]
        prep.__dict__[name] = cached
    return cached


def _clause_start(prep: "Prepared") -> list[int]:
    """Per token, the index of the first token of its clause."""
    cached = prep.__dict__.get("_clause_start")
    if cached is None:
        from itertools import accumulate

        clause = prep.clause
        cached = list(accumulate((i if i == 0 or clause[i] != clause[i - 1] else 0 for i in range(len(clause))),
                                 max)) if clause else []
        prep.__dict__["_clause_start"] = cached
    return cached


def _counts(prep: "Prepared") -> tuple[list[int], list[int]]:
    """Running counts of words (tokens starting with a letter or digit) and of COMMON cues."""
    cached = prep.__dict__.get("_word_cue_counts")
    if cached is None:
        from itertools import accumulate

        lowers = prep.tokens.lowers
        words = list(accumulate((low[:1].isalnum() for low in lowers), initial=0))
        common = list(accumulate((low in COMMON for low in lowers), initial=0))
        cached = prep.__dict__["_word_cue_counts"] = (words, common)
    return cached


def _in_a_list(prep: "Prepared", m: "Match") -> bool:
    """Is the claim an item of an "a, b or c" list (an "or"/"and" later in its clause, or before it)?"""
    toks, clause = prep.tokens, prep.clause
    cid = clause[m.start]
    j, n = m.start - 1, len(toks.words)
    if j >= 0 and clause[j] == cid:
        k = _last_index(prep, "_last_joiner", LIST_JOINERS)[j]
        if k >= 0 and clause[k] == cid:  # clause ids never decrease: a joiner of this clause before the claim
            return True
    j = m.end
    while j < n and clause[j] == cid and j - m.end < 6:
        if toks.lowers[j] in LIST_JOINERS:
            return True
        j += 1
    return False


def _short_clause(prep: "Prepared", end: int) -> bool:
    """Is the clause ending at token ``end`` a list item (at most three words)?"""
    start = _clause_start(prep)[end]
    words, common = _counts(prep)
    count = words[end + 1] - words[start]
    return 0 < count <= 3 or common[end + 1] > common[start]


def _script(prep: "Prepared", m: "Match") -> str:
    if m.lang in ("ja", "ko", "th"):
        return m.lang
    text = "".join(prep.tokens.words[m.start:m.end])
    if _HANGUL.search(text):
        return "ko"
    if _KANA.search(text):
        return "ja"
    if _THAI.search(text):
        return "th"
    if any(prep.tokens.split[m.start:m.end]):
        # kanji only: Japanese when the clause around it has kana
        cid = prep.clause[m.start]
        lo, hi = m.start, m.end
        while lo > 0 and prep.clause[lo - 1] == cid and m.start - lo < 12:
            lo -= 1
        while hi < len(prep.clause) and prep.clause[hi] == cid and hi - m.end < 12:
            hi += 1
        return "ja" if _KANA.search("".join(prep.tokens.words[lo:hi])) else "zh"
    return "word"


RHETORICAL = {("who", "says"), ("who", "said"), ("quién", "dice"), ("wer", "sagt"), ("qui", "dit"), ("chi", "dice"),
              ("quem", "disse"), ("siapa", "bilang"), ("siapa", "kata")}


def _affirming(prep: "Prepared", i: int, claim: int | None = None) -> bool:
    """Is the negation at token ``i`` an idiom that affirms ("not only", "no doubt", "No. 1")?

    ``claim``: where the claim starts; "only" inside the claim is the claim's ("nicht nur heute" is not the
    "nur heute" deadline).
    """
    toks = prep.tokens
    n = len(toks.words)
    j = i + 1
    if toks.lowers[i] == "no" and j < n and (toks.words[j] in (".", "#", "º") or toks.words[j][:1].isdigit()):
        return True  # "No. 1", "No 1", "No.1": a number, not a negation
    if toks.lowers[i] in ("ne", "n'") and any(
            toks.lowers[k] in ("que", "qu'") for k in range(i + 1, min(n, i + 4))):
        return True  # French "ne … que" means "only": "il ne reste que 2 pièces"
    if i >= 2 and (toks.lowers[i - 2], toks.lowers[i - 1]) in RHETORICAL or (
            i >= 3 and (toks.lowers[i - 3], toks.lowers[i - 2]) in RHETORICAL):
        return True  # "Who says you can't cure diabetes naturally?"
    seen = 0
    n = min(n, i + AFFIRM_REACH)
    while j < n and seen < 3:
        low = toks.lowers[j]
        if low in NOT_ONLY and seen == 0 and (claim is None or j < claim):
            return True
        if low.startswith(AFFIRMING_PREFIXES):
            return True
        if low not in SKIPPABLE:
            seen += 1
            if seen >= 2:
                break
        j += 1
    return False


def _compound(cue: str, after: str) -> bool:
    """Does the cue make a name with the word after it, or is it a preposition there?"""
    if after in AFTER_IDIOMS.get(cue, ()):
        return True
    # Portuguese "no" (= em + o) before a noun: "auxilia no tratamento", "no combate à celulite"
    return cue == "no" and after.endswith(("mento", "mentos", "ção", "ções", "dade", "dades", "agem"))


def _strip(text: str, idioms) -> str:
    for phrase in idioms:
        text = text.replace(phrase, "\u25a1" * len(phrase))
    return text


def _cjk_before(before: str, script: str, prep: "Prepared", first: int) -> bool:
    if script == "ja":
        before = _strip(before, JA_NOT_NEGATION)
        return any(cue in before for cue in JA_BEFORE)
    if script == "ko":
        # Korean negates before the verb only with the short forms 안/못 written as their own word
        toks = prep.tokens
        k = first + len(before) - 1  # the character just before the claim
        for pos in range(first, first + len(before)):
            if toks.words[pos] in ("안", "못"):
                alone_before = pos == 0 or toks.starts[pos] > toks.ends[pos - 1]
                alone_after = pos == k or toks.starts[pos + 1] > toks.ends[pos]
                if alone_before and alone_after:
                    return True
        return "금지" in before
    if script == "th":
        before = _strip(before, TH_NOT_NEGATION)
        return any(cue in before for cue in TH_CUES)
    before = _strip(before, ZH_NOT_NEGATION)
    if any(cue in before for cue in ZH_PROHIBIT):
        return True
    for cue in ZH_CUES:
        at = before.rfind(cue)
        if at >= 0 and all(ch in ZH_BRIDGE for ch in before[at + len(cue):]):
            return True
    return False


def _negated_after(prep: "Prepared", m: "Match", script: str, lang: str) -> bool:
    toks = prep.tokens
    clause = prep.clause
    cid = clause[m.start]
    n = len(toks.words)
    if script in ("ja", "ko"):
        chars: list[str] = []
        j = m.end
        n = min(n, m.end + MAX_REACH)
        while j < n and clause[j] == cid and len(chars) < CJK_AFTER_WINDOW:
            if toks.split[j]:
                chars.append(toks.words[j])
            elif toks.words[j][:1].isalnum():
                break
            j += 1
        after = "".join(chars)
        if script == "ja":
            after = _strip(after, JA_NOT_NEGATION)
            return any(cue in after for cue in JA_AFTER)
        after = _strip(after, KO_NOT_NEGATION)
        return any(cue in after for cue in KO_AFTER)
    window = AFTER_WINDOW.get(lang) or (4 if script == "word" and _is_devanagari(toks.words[m.start]) else 0)
    if not window:
        return False
    cues = AFTER_CUES[lang if lang in AFTER_WINDOW else "hi"]
    words = 0
    j = m.end
    reach = min(n, m.end + MAX_REACH)
    while j < reach and clause[j] == cid and words < window:
        low = toks.lowers[j]
        if low[:1].isalnum():
            words += 1
            if low in cues and not _affirming(prep, j) and not (j + 1 < n and _compound(low, toks.lowers[j + 1])):
                return True
        j += 1
    return False


def _is_devanagari(word: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in word)
