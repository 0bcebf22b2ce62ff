"""A bound on every request body, before any route or form parser reads it.

A declared ``Content-Length`` over the limit is refused at once (413); a body sent without
one (chunked) is counted as it streams and refused as soon as it passes the limit, so an
oversized upload is never spooled whole to disk or memory. The limit is the upload limit
plus room for the form's other fields.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jcm.errors import TooLarge
from jcm.uploads import size_text

FORM_ROOM = 1 << 20


class BodyTooLarge(TooLarge):
    code = "body_too_large"

    def __init__(self, limit: int) -> None:
        text = size_text(limit)
        super().__init__(
            f"The request is larger than the upload limit of {text}.",
            f"リクエストがアップロードの上限（{text}）を超えています。",
            field="file",
        )


class _Refused(HTTPException):
    """Raised from inside the body stream: the form parser lets only HTTP errors through, so
    the domain refusal rides on one and the error handler answers with it."""

    def __init__(self, error: BodyTooLarge) -> None:
        super().__init__(413, error.message_en)
        self.error = error


class BodyLimit:
    def __init__(self, app: ASGIApp, max_upload_bytes: int) -> None:
        self.app = app
        self.upload_limit = max_upload_bytes
        self.limit = max_upload_bytes + FORM_ROOM

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _Refused(BodyTooLarge(self.upload_limit))
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        from starlette.requests import Request

        from jcm.web.problems import on_domain_error

        response = await on_domain_error(Request(scope, receive), BodyTooLarge(self.upload_limit))
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
