import re
from importlib.resources import files

from jcm.web.i18n import translate

CALL = re.compile(r"""\bt\((?:"([^"]+)"|'([^']+)')\)""")


def _template_strings() -> set[str]:
    found: set[str] = set()
    root = files("jcm.web").joinpath("templates")
    stack = [root]
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                stack.append(entry)
            elif entry.name.endswith(".html"):
                for a, b in CALL.findall(entry.read_text(encoding="utf-8")):
                    found.add(a or b)
    return found


def test_every_string_on_every_page_has_a_japanese_translation() -> None:
    missing = sorted(
        s for s in _template_strings() if translate("ja", s) == s and s not in {"API", "MRV"}
    )
    assert missing == []


def test_english_is_the_source_language() -> None:
    assert translate("en", "Projects") == "Projects"
    assert translate("ja", "Projects") == "プロジェクト"
