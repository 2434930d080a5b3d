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
