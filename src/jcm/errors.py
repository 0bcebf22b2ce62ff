"""Domain errors: one class per broken rule, each with a code, a message in English and
Japanese and, where a person can fix it, the offending field.

    JcmError
    ├── ValidationFailed      bad input: field, row or value (422)
    │   └── ImportRejected    a file with one or more bad rows; nothing was written (422)
    ├── NotFound              the record does not exist (404)
    ├── Conflict              the request clashes with current state (409)
    │   └── IllegalTransition a life-cycle step that is not allowed (409)
    ├── RuleViolation         a business rule refuses the operation (422)
    ├── NotAuthenticated      sign-in required (401)
    ├── PermissionDenied      signed in, but the role or organisation may not (403)
    ├── TooLarge              the request body passes the upload limit (413)
    └── Throttled             too many failed attempts; wait ``wait_seconds`` (429)

The HTTP status of each class is given in ``HTTP_STATUS`` at the edge, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field, optionally in one row of a file."""

    field: str
    message_en: str
    message_ja: str
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "field": self.field,
            "message_en": self.message_en,
            "message_ja": self.message_ja,
        }
        if self.row is not None:
            out["row"] = self.row
        return out


class JcmError(Exception):
    code = "jcm_error"

    def __init__(
        self,
        message_en: str,
        message_ja: str,
        *,
        field: str | None = None,
        problems: list[FieldProblem] | None = None,
    ) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_ja = message_ja
        self.field = field
        self.problems = problems or []

    def message(self, lang: str) -> str:
        return self.message_ja if lang == "ja" else self.message_en

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "message_en": self.message_en,
            "message_ja": self.message_ja,
        }
        if self.field:
            out["field"] = self.field
        if self.problems:
            out["errors"] = [p.as_dict() for p in self.problems]
        return out


class ValidationFailed(JcmError):
    code = "validation_failed"

    @classmethod
    def of(cls, problems: list[FieldProblem]) -> ValidationFailed:
        first = problems[0]
        more_en = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        more_ja = f"（他 {len(problems) - 1} 件）" if len(problems) > 1 else ""
        return cls(
            f"{first.field}: {first.message_en}{more_en}",
            f"{first.field}: {first.message_ja}{more_ja}",
            field=first.field,
            problems=problems,
        )


class ImportRejected(ValidationFailed):
    code = "import_rejected"

    @classmethod
    def of(cls, problems: list[FieldProblem]) -> ImportRejected:
        rows = sorted({p.row for p in problems if p.row is not None})
        if not rows:
            # A file-level problem (wrong encoding, unreadable file): say what is wrong.
            first = problems[0]
            more_en = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            more_ja = f"（他 {len(problems) - 1} 件）" if len(problems) > 1 else ""
            return cls(
                f"The file was not imported: {first.message_en.rstrip('.')}{more_en}. "
                "Nothing was written.",
                f"ファイルは取り込まれませんでした。{first.message_ja.rstrip('。')}{more_ja}。"
                "何も書き込まれていません。",
                field=first.field,
                problems=problems,
            )
        listed = ", ".join(str(r) for r in rows)
        return cls(
            f"The file was not imported: {len(problems)} problem(s) in row(s) {listed}. "
            "Nothing was written.",
            f"ファイルは取り込まれませんでした。行 {listed} に {len(problems)} 件の問題があります。"
            "何も書き込まれていません。",
            problems=problems,
        )


class NotFound(JcmError):
    code = "not_found"

    def __init__(self, what: str, key: object, what_ja: str | None = None) -> None:
        super().__init__(
            f"{what} {key} was not found.", f"{what_ja or what} {key} が見つかりません。"
        )


class Conflict(JcmError):
    code = "conflict"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class RuleViolation(JcmError):
    code = "rule_violation"


class NotAuthenticated(JcmError):
    code = "not_authenticated"

    def __init__(self) -> None:
        super().__init__("Sign-in required.", "ログインが必要です。")


class PermissionDenied(JcmError):
    code = "permission_denied"

    def __init__(
        self, action: str, why_en: str = "", why_ja: str = "", *, action_ja: str | None = None
    ) -> None:
        super().__init__(
            f"You may not {action}.{(' ' + why_en) if why_en else ''}",
            f"この操作（{action_ja or action}）は許可されていません。{why_ja}",
        )
        self.action = action


class TooLarge(JcmError):
    code = "too_large"


class Throttled(JcmError):
    """Too many failed attempts: the next is allowed after ``wait_seconds`` (Retry-After)."""

    code = "too_many_attempts"
    wait_seconds: int = 1


HTTP_STATUS: dict[type[JcmError], int] = {
    ValidationFailed: 422,
    NotFound: 404,
    Conflict: 409,
    RuleViolation: 422,
    NotAuthenticated: 401,
    PermissionDenied: 403,
    TooLarge: 413,
    Throttled: 429,
}


def http_status(error: JcmError) -> int:
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 400
