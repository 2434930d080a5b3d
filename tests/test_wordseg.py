"""The fast segmenter must cut exactly as jieba 0.42.1 does, user words included."""

import jieba

from search.text import wordseg


def test_rjieba_agrees_with_jieba_on_the_corpus(corpus_docs):
    wordseg.ensure_userdict()
    wordseg.add_words(["刘欣欣", "周美玉", "尹晓珺"])
    ref = jieba.Tokenizer()
    for word in wordseg._added:
        ref.add_word(word)
    for doc in corpus_docs[::4]:
        text = doc["title"] + "\n" + doc["body"]
        assert wordseg.cut(text) == list(ref.cut(text, HMM=True)), doc["id"]


def test_offsets_are_character_offsets():
    text = "北京链家置地房地产经纪有限公司"
    for word, start, end in wordseg.tokenize(text):
        assert text[start:end] == word


def test_words_taught_before_the_dictionary_loads_are_cut_whole() -> None:
    """A process teaches names (an index's bylines, the user dictionary) when it opens an
    index, before anything is cut; the segmenter built later cuts them whole, and a word
    not taught is still cut by jieba's own dictionary."""
    import subprocess
    import sys

    script = ("from search.text import wordseg\n"
              "wordseg.add_words(['周美玉鉴赏会'])\n"
              "print('|'.join(wordseg.cut('北京周美玉鉴赏会开幕')))\n"
              "print('|'.join(wordseg.cut('周美鉴赏开幕')))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert "周美玉鉴赏会" in out[0].split("|")
    assert "周美玉鉴赏会" not in out[1] and "鉴赏" in out[1].split("|")
