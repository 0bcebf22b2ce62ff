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


def test_no_english_string_has_two_japanese_translations() -> None:
    """Feature catalogs are merged into one table, so a string translated differently in two
    of them would show whichever loads last (e.g. a registry account as a user account)."""
    from jcm.web.i18n import catalogs

    seen: dict[str, set[str]] = {}
    for catalog in catalogs("ja"):
        for message in catalog:
            if message.id and message.string:
                seen.setdefault(str(message.id), set()).add(str(message.string))
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_every_label_has_both_languages_and_unknown_codes_show_as_they_are() -> None:
    from jcm.approvals.rules import Kind, Reason
    from jcm.auth.rules import Action
    from jcm.labels import LABELS, label
    from jcm.mrv.workflow import STATUS_JA, PeriodStatus
    from jcm.registry.rules_aef import CANCELLATION_PURPOSES
    from jcm.registry.rules_aef_checks import CHECKS
    from jcm.registry.rules_vintage import BASES
    from jcm.registry.schemas import AccountKind
    from jcm.subsidy.schemas import AppStatus
    from jcm.subsidy.settings import PAYBACK_FORMULAS, Severity

    assert set(LABELS["approval_kind"]) == {k.value for k in Kind}
    assert set(LABELS["approval_reason"]) == {r.value for r in Reason}
    assert set(LABELS["account_kind"]) == set(AccountKind.__args__)
    assert set(LABELS["cancellation_purpose"]) == set(CANCELLATION_PURPOSES)
    assert set(LABELS["application_status"]) == {s.value for s in AppStatus}
    assert set(LABELS["period_status"]) == {s.value for s in PeriodStatus}
    assert set(LABELS["vintage_basis"]) == set(BASES)
    assert set(LABELS["aef_check"]) == set(CHECKS)
    assert set(LABELS["payback_formula"]) == set(PAYBACK_FORMULAS)
    assert set(LABELS["permission"]) == {a.value for a in Action}
    assert set(LABELS["screening_severity"]) == set(Severity.__args__)
    assert {LABELS["period_status"][s][1] for s in PeriodStatus} == set(STATUS_JA.values())
    for group in LABELS.values():
        for en, ja in group.values():
            assert en
            assert ja != en
    assert label("ja", "approval_reason", "untrusted_receiver").startswith("受取口座")
    assert label("en", "account_kind", "government_holding") == "Government holding account"
    assert label("en", "account_kind", "something_new") == "something_new"
    assert label("ja", "account_kind", None) == ""


def _audit_actions_in_the_code() -> set[str]:
    """Every audit action the code writes: the literal ones, and those built from a kind,
    a status or a step (each of their values)."""
    import ast
    from pathlib import Path

    import jcm
    from jcm.approvals.rules import Kind  # noqa: F401  (the module records approval.*)
    from jcm.labels import LABELS
    from jcm.subsidy.schemas import AppStatus

    root = Path(jcm.__file__).parent
    found: set[str] = set()
    steps: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            name = name or getattr(node.func, "id", "")
            literals = [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if name in {"record", "pg_append_statement"}:
                found |= {v for v in literals[:1] if "." in v and " " not in v}
            if name == "add_event" and len(literals) >= 1:
                steps.add(literals[0])
    found |= {f"mrv.{s}" for s in steps}
    found |= {f"registry.{k}" for k in LABELS["transaction_kind"]}
    found |= {f"approval.{s}" for s in LABELS["approval_status"] if s != "pending"}
    found |= {f"subsidy.application.{s.value}" for s in AppStatus}
    return found


def test_every_audit_action_and_role_has_a_name_in_both_languages() -> None:
    from jcm.auth.rules import ROLE_JA, Role
    from jcm.labels import LABELS, label

    actions = _audit_actions_in_the_code()
    assert {"registry.issuance", "mrv.opinion", "user.role_change"} <= actions
    assert actions - set(LABELS["audit_action"]) == set()
    assert set(LABELS["role"]) == {r.value for r in Role}
    assert label("en", "role", "third_party_entity") == "Third-party entity (verifier)"
    assert ROLE_JA[Role.THIRD_PARTY_ENTITY] == "第三者機関"
    assert label("ja", "audit_action", "registry.issuance") == "クレジットを発行"


def test_every_audit_entity_has_a_name_in_both_languages() -> None:
    """The kind of record each audit entry is about (the ``entity`` argument of every
    ``audit.record`` call in the code) has a name on the audit page."""
    import ast
    from pathlib import Path

    import jcm
    from jcm.labels import LABELS, label

    entities: set[str] = set()
    for path in Path(jcm.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if (name or getattr(node.func, "id", "")) != "record" or len(node.args) < 4:
                continue
            entity = node.args[3]
            assert isinstance(entity, ast.Constant), f"{path}:{node.lineno}: entity not literal"
            entities.add(entity.value)
    assert {"registry_transaction", "subsidy_application", "user"} <= entities
    assert entities - set(LABELS["audit_entity"]) == set()
    assert label("ja", "audit_entity", "registry_transaction") == "登録簿取引"
