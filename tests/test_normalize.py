from search.text.normalize import normalize, squash


def test_fullwidth_digits_letters_punctuation_fold():
    assert normalize("１９９８年ＡＢＣ，（）！") == "1998年abc,()!"


def test_traditional_folds_to_simplified():
    assert normalize("勞動者們在臺灣") == "劳动者们在台湾"


def test_length_is_preserved_for_every_character():
    text = "…①㎡ﬁ№™Ⅻ\u3000ｶﾞ勞動１９９８ Ａ\U0001F600"
    assert len(normalize(text)) == len(text)


def test_squash_drops_layout_whitespace():
    assert squash("《鼓浪屿之波》 《把一切献\n给党》") == "《鼓浪屿之波》《把一切献给党》"
