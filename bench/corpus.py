"""Generate a benchmark corpus: livestream scripts and catalog rows, English and Chinese mixed.

Deterministic (seeded), so two runs on two machines lint the same text. About one sentence in twelve
carries wording that culture-lint's packs flag (health, weight-loss, absolute and urgency claims,
missing disclosure); the rest is ordinary host talk, product detail and viewer interaction.

    python bench/corpus.py OUT_DIR --words 100000        # one corpus of about 100,000 words
    python -c "import bench.corpus as c; c.generate('out', 10_000)"

Words are counted as runs of Latin letters/digits plus single CJK characters (``count_words``), the
same count for every tool the benchmark compares.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

EN_HOST = [
    "Hey everyone, welcome back to the channel, grab a coffee and settle in.",
    "If you just joined us, we are looking at the new spring skincare collection today.",
    "Let me show you the texture on my hand so you can see how light it feels.",
    "This one comes in three sizes, and the travel size fits in any carry-on bag.",
    "Drop a comment with your skin type and I will tell you which one suits you.",
    "Sarah from Denver asks whether it works under makeup, and yes, it layers really well.",
    "The bottle is made from recycled glass and the cap is aluminium.",
    "I have been using it every morning for about two weeks now.",
    "Shipping is free on orders over thirty-five dollars within the continental US.",
    "You can return it within thirty days if it is not right for you.",
    "Let me read a few more questions from the chat before we move on.",
    "The scent is very light, a little bit of cucumber and green tea.",
    "Here is the price breakdown for the bundle compared to buying each item alone.",
    "Tap the yellow basket at the bottom of the screen to see every product from today.",
    "We will do a quick demo with the cleansing balm next, so stay with us.",
    "Mike wants to know if it is safe for sensitive skin; check the full ingredient list on the page.",
    "It is fragrance-free, vegan, and not tested on animals.",
    "Thank you all for the likes, we just passed two thousand viewers.",
    "Our next segment is about the vitamin C serum, which a lot of you asked about last week.",
    "Remember to patch test any new product on your inner arm first.",
    "The discount code is on the screen now, and it works on the whole collection.",
    "I am going to put a little on the back of my hand and rub it in.",
    "See how it absorbs without leaving anything sticky behind?",
    "That is it for this part, after the break we will look at the sunscreens.",
]
EN_VIOLATIONS = [
    "This cream cures eczema in just one week, honestly.",
    "The tea burns belly fat while you sleep.",
    "It is clinically proven to remove wrinkles forever.",
    "This is the best serum in the world, number one, no question.",
    "Last chance, only three left, buy now before it is gone!",
    "It is 100% natural and completely chemical-free.",
    "You will lose ten pounds in a week without any exercise.",
    "It even lowers blood sugar, my aunt stopped taking her medication.",
    "Guaranteed results or your money back, it works for everyone.",
    "Totally free, just pay shipping and you get the full set.",
]
ZH_HOST = [
    "欢迎新进来的宝宝们，先点个关注不迷路。",
    "今天给大家带来的是春季新款护肤套装。",
    "我先在手背上试一下，大家看一下质地。",
    "这款有三个规格，旅行装可以直接带上飞机。",
    "有宝宝问敏感肌能不能用，可以先在耳后做个测试。",
    "包装是可回收的玻璃瓶，盖子是铝制的。",
    "我自己已经用了两个星期，早晚各一次。",
    "满两百包邮，七天无理由退换。",
    "大家有什么问题可以在评论区打出来。",
    "这个味道很淡，有一点青草和绿茶的香味。",
    "点击下方小黄车就能看到今天所有的商品。",
    "下一个环节我们来看一下洁面产品。",
    "感谢大家的点赞，直播间已经两千人了。",
    "成分表在商品详情页里，大家可以仔细看一下。",
    "优惠券在屏幕上，整个系列都可以用。",
]
ZH_VIOLATIONS = [
    "这款面霜可以治愈湿疹，一周见效。",
    "喝了这个茶躺着就能减肥，月瘦十斤。",
    "全网第一，效果最好，绝对没有之一。",
    "最后机会，只剩三单，赶紧下单！",
    "纯天然无添加，百分之百安全无副作用。",
    "降血糖降血压，可以代替药物。",
]
MIXED = [
    "家人们 this is the one I told you about, 质地真的很清爽。",
    "OK 我们来看 the price, 今天直播间专属价。",
    "Next one 是我们的防晒喷雾, SPF 50, 很适合户外。",
    "宝宝们 please check the size chart 再下单哦。",
    "This serum 真的 absorbs so fast, 一点都不黏。",
]
PRODUCTS = ["hydrating serum", "cleansing balm", "sunscreen spray", "night cream", "green tea toner",
            "vitamin C drops", "lip oil", "body lotion", "hair mask", "eye patches"]
ZH_PRODUCTS = ["补水精华", "卸妆膏", "防晒喷雾", "晚霜", "绿茶爽肤水", "维C精华", "唇油", "身体乳", "发膜", "眼膜"]

_WORD_RE = re.compile(r"[A-Za-z0-9'’]+|[\u3400-\u9fff]")


def count_words(text: str) -> int:
    """Latin-script words plus CJK characters (each CJK character counts as one word)."""
    return len(_WORD_RE.findall(text))


def _sentence(rng: random.Random, violation_rate: float) -> str:
    roll = rng.random()
    if roll < violation_rate:
        return rng.choice(EN_VIOLATIONS if rng.random() < 0.65 else ZH_VIOLATIONS)
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(EN_HOST)
    if roll < 0.88:
        return rng.choice(ZH_HOST)
    return rng.choice(MIXED)


def _paragraph(rng: random.Random, n: int, violation_rate: float) -> str:
    return " ".join(_sentence(rng, violation_rate) for _ in range(n))


def _timestamp(seconds: float, sep: str) -> str:
    ms = int(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def script_txt(rng: random.Random, words: int, rate: float) -> str:
    lines = ["---", "sponsored: false", "---", ""]
    total = 0
    while total < words:
        speaker = rng.choice(["HOST", "HOST", "GUEST", "主播"])
        text = _paragraph(rng, rng.randint(1, 4), rate)
        lines.append(f"{speaker}: {text}")
        total += count_words(text)
    return "\n".join(lines) + "\n"


def script_srt(rng: random.Random, words: int, rate: float) -> str:
    cues, t, total, i = [], 0.0, 0, 1
    while total < words:
        text = _paragraph(rng, rng.randint(1, 2), rate)
        dur = 2.0 + count_words(text) * 0.35
        cues.append(f"{i}\n{_timestamp(t, ',')} --> {_timestamp(t + dur, ',')}\n{text}\n")
        t += dur + 0.5
        total += count_words(text)
        i += 1
    return "\n".join(cues)


def script_md(rng: random.Random, words: int, rate: float) -> str:
    parts, total = ["# Live show run sheet", ""], 0
    while total < words:
        product = rng.choice(PRODUCTS)
        text = _paragraph(rng, rng.randint(2, 5), rate)
        parts += [f"## {product.title()} / {rng.choice(ZH_PRODUCTS)}", "", text, ""]
        total += count_words(text)
    return "\n".join(parts)


def catalog_csv(rng: random.Random, words: int, rate: float) -> str:
    import csv
    import io

    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["sku", "title", "description"])
    total, n = 0, 0
    while total < words:
        n += 1
        i = rng.randrange(len(PRODUCTS))
        title = f"{PRODUCTS[i].title()} {ZH_PRODUCTS[i]} {rng.choice(['30ml', '50ml', '100ml', 'set of 2'])}"
        desc = _paragraph(rng, rng.randint(1, 3), rate * 1.5)
        out.writerow([f"SKU-{n:05d}", title, desc])
        total += count_words(title) + count_words(desc)
    return buf.getvalue()


KINDS = (("txt", script_txt, 0.4), ("srt", script_srt, 0.25), ("md", script_md, 0.2), ("csv", catalog_csv, 0.15))


def generate(out: str | Path, words: int, seed: int = 11, file_words: int = 600,
             violation_rate: float = 1 / 12) -> dict:
    """Write about ``words`` words of scripts and catalogs into ``out``; returns {files, words, bytes}."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    total = files = size = 0
    i = 0
    while total < words:
        roll, acc = rng.random(), 0.0
        for ext, make, share in KINDS:
            acc += share
            if roll < acc:
                break
        n = max(50, int(rng.gauss(file_words, file_words / 3)))
        text = make(rng, min(n, words - total + 20), violation_rate)
        path = out / f"show-{i:05d}.{ext}"
        path.write_text(text, encoding="utf-8")
        total += count_words(text)
        size += len(text.encode("utf-8"))
        files += 1
        i += 1
    return {"files": files, "words": total, "bytes": size}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    print(generate(args.out, args.words, args.seed))


if __name__ == "__main__":
    main()
