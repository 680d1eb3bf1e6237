"""Request logic of the chat UI, in plain functions the Gradio app calls (and the tests call too).

The browser talks only to the Gradio server; this module calls the stack's OpenAI-compatible route
from the server, with the API key read from the environment (a Kubernetes Secret reference), so the
key never reaches the browser. Standard library only: the same code runs in the image and in tests.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping, Sequence

# Environment the Deployment sets (targets/eksInf2/chatUi.ts); the key comes from a Secret.
ENV_BASE_URL = "CHAT_UI_OPENAI_BASE_URL"
ENV_API_KEY = "CHAT_UI_OPENAI_API_KEY"
ENV_MODEL = "CHAT_UI_MODEL"
ENV_MAX_TOKENS = "CHAT_UI_MAX_TOKENS"
ENV_TIMEOUT = "CHAT_UI_TIMEOUT_SECONDS"


class ChatError(Exception):
    """A failure shown to the user: a short message that never carries the key or the request."""


@dataclass(frozen=True)
class Settings:
    base_url: str
    api_key: str
    model: str
    max_tokens: int = 512
    timeout_seconds: float = 600.0

    def __repr__(self) -> str:  # the key stays out of logs and tracebacks
        return f"Settings(base_url={self.base_url!r}, model={self.model!r}, max_tokens={self.max_tokens}, api_key=<hidden>)"


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """Reads the settings; a missing value is an error that names the variable, never its value."""
    missing = [k for k in (ENV_BASE_URL, ENV_API_KEY, ENV_MODEL) if not env.get(k)]
    if missing:
        raise ChatError(f"chat UI misconfigured: {', '.join(missing)} not set")
    try:
        max_tokens = int(env.get(ENV_MAX_TOKENS, "512"))
        timeout = float(env.get(ENV_TIMEOUT, "600"))
    except ValueError as exc:
        raise ChatError(f"chat UI misconfigured: {ENV_MAX_TOKENS} and {ENV_TIMEOUT} must be numbers") from exc
    return Settings(env[ENV_BASE_URL].rstrip("/"), env[ENV_API_KEY], env[ENV_MODEL], max_tokens, timeout)


def build_messages(history: Sequence[Mapping[str, str]], message: str, system_prompt: str | None = None) -> list[dict[str, str]]:
    """OpenAI chat messages from Gradio's history (type="messages": dicts with role and content)."""
    messages: list[dict[str, str]] = []
    if system_prompt:
        messages.append({"role": "system", "content": system_prompt})
    for turn in history:
        role, content = turn.get("role"), turn.get("content")
        if role in ("user", "assistant") and isinstance(content, str):
            messages.append({"role": role, "content": content})
    messages.append({"role": "user", "content": message})
    return messages


def build_request(settings: Settings, messages: list[dict[str, str]], stream: bool = True) -> urllib.request.Request:
    """The POST to `<base>/chat/completions`, bearer key in the header (server side only)."""
    body = {"model": settings.model, "messages": messages, "max_tokens": settings.max_tokens, "stream": stream}
    return urllib.request.Request(
        f"{settings.base_url}/chat/completions",
        data=json.dumps(body).encode("utf-8"),
        method="POST",
        headers={
            "Authorization": f"Bearer {settings.api_key}",
            "Content-Type": "application/json",
            "Accept": "text/event-stream" if stream else "application/json",
        },
    )


def parse_sse(lines: Iterable[bytes]) -> Iterator[str]:
    """Content deltas from an OpenAI server-sent event stream; stops at `data: [DONE]`."""
    for raw in lines:
        line = raw.decode("utf-8").strip()
        if not line.startswith("data:"):
            continue  # blank keep-alives, comments (": ping"), event names
        data = line[len("data:"):].strip()
        if data == "[DONE]":
            return
        try:
            event = json.loads(data)
        except json.JSONDecodeError as exc:
            raise ChatError("the model returned a malformed stream") from exc
        if "error" in event:
            raise ChatError(error_message(None, event))
        for choice in event.get("choices", []):
            delta = (choice.get("delta") or {}).get("content")
            if delta:
                yield delta


def error_message(status: int | None, body: object) -> str:
    """What the user sees for a failed call: the status class, and the server's own message if it sent one."""
    detail = ""
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict) and isinstance(err.get("message"), str):
            detail = err["message"]
        elif isinstance(err, str):
            detail = err
    if status in (401, 403):
        return "the chat UI's API key was refused by the model endpoint (the stack's key changed? restart the chat UI)"
    if status == 429:
        return "the model endpoint is busy (429): try again shortly"
    if status is not None and status >= 500:
        return f"the model endpoint failed ({status}){': ' + detail if detail else ''}"
    if status is not None:
        return f"the model endpoint rejected the request ({status}){': ' + detail if detail else ''}"
    return f"the model endpoint reported an error{': ' + detail if detail else ''}"


def stream_chat(settings: Settings, messages: list[dict[str, str]], opener=urllib.request.urlopen) -> Iterator[str]:
    """Yields the reply as it grows (Gradio streams each yielded string); raises ChatError on failure."""
    request = build_request(settings, messages, stream=True)
    try:
        with opener(request, timeout=settings.timeout_seconds) as response:
            reply = ""
            for delta in parse_sse(response):
                reply += delta
                yield reply
    except urllib.error.HTTPError as exc:
        try:
            body = json.loads(exc.read().decode("utf-8") or "null")
        except (ValueError, UnicodeDecodeError):
            body = None
        raise ChatError(error_message(exc.code, body)) from None
    except urllib.error.URLError as exc:
        raise ChatError(f"the model endpoint is unreachable ({type(exc.reason).__name__})") from None
    except TimeoutError:
        raise ChatError("the model endpoint timed out") from None


def respond(message: str, history: Sequence[Mapping[str, str]], env: Mapping[str, str] = os.environ, opener=urllib.request.urlopen) -> Iterator[str]:
    """The Gradio callback: a failure becomes a message in the chat, never a traceback in the browser."""
    try:
        settings = settings_from_env(env)
        yield from stream_chat(settings, build_messages(history, message), opener)
    except ChatError as exc:
        yield f"⚠️ {exc}"
