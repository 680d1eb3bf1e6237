"""The Rasa action server's call to the stack's own model endpoint, in plain functions.

Rasa Open Source has no built-in LLM client: a custom action (actions.py) asks the model through
these functions. They use the OpenAI-compatible route with the stack's API key, read from the
environment the Deployment fills from the secret store (a Kubernetes Secret reference), and never put
the key in a reply, a log line or an exception. Standard library only, so the tests run them as is.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Mapping, Sequence

ENV_BASE_URL = "LLM_OPENAI_BASE_URL"
ENV_API_KEY = "LLM_OPENAI_API_KEY"
ENV_MODEL = "LLM_MODEL"
ENV_MAX_TOKENS = "LLM_MAX_TOKENS"
ENV_TIMEOUT = "LLM_TIMEOUT_SECONDS"

FALLBACK_REPLY = "Sorry, I cannot answer that right now."


class ModelCallError(Exception):
    """A failed call, described without the key or the conversation."""


@dataclass(frozen=True)
class ModelSettings:
    base_url: str
    api_key: str
    model: str
    max_tokens: int = 256
    timeout_seconds: float = 60.0

    def __repr__(self) -> str:
        return f"ModelSettings(base_url={self.base_url!r}, model={self.model!r}, api_key=<hidden>)"


def settings_from_env(env: Mapping[str, str]) -> ModelSettings:
    missing = [k for k in (ENV_BASE_URL, ENV_API_KEY, ENV_MODEL) if not env.get(k)]
    if missing:
        raise ModelCallError(f"action server misconfigured: {', '.join(missing)} not set")
    try:
        return ModelSettings(env[ENV_BASE_URL].rstrip("/"), env[ENV_API_KEY], env[ENV_MODEL], int(env.get(ENV_MAX_TOKENS, "256")), float(env.get(ENV_TIMEOUT, "60")))
    except ValueError as exc:
        raise ModelCallError(f"action server misconfigured: {ENV_MAX_TOKENS} and {ENV_TIMEOUT} must be numbers") from exc


def messages_from_events(events: Sequence[Mapping[str, object]], latest: str, system_prompt: str, max_turns: int = 6) -> list[dict[str, str]]:
    """The conversation so far, from Rasa tracker events (user / bot), last `max_turns` turns, then the latest message."""
    turns: list[dict[str, str]] = []
    for event in events:
        text = event.get("text")
        if not isinstance(text, str) or not text:
            continue
        if event.get("event") == "user":
            turns.append({"role": "user", "content": text})
        elif event.get("event") == "bot":
            turns.append({"role": "assistant", "content": text})
    # The latest user message is already the last user event when Rasa runs the action: not twice.
    if turns and turns[-1] == {"role": "user", "content": latest}:
        turns.pop()
    return [{"role": "system", "content": system_prompt}, *turns[-max_turns:], {"role": "user", "content": latest}]


def build_request(settings: ModelSettings, messages: list[dict[str, str]]) -> urllib.request.Request:
    body = {"model": settings.model, "messages": messages, "max_tokens": settings.max_tokens, "stream": False}
    return urllib.request.Request(
        f"{settings.base_url}/chat/completions",
        data=json.dumps(body).encode("utf-8"),
        method="POST",
        headers={"Authorization": f"Bearer {settings.api_key}", "Content-Type": "application/json", "Accept": "application/json"},
    )


def parse_reply(body: object) -> str:
    try:
        content = body["choices"][0]["message"]["content"]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        raise ModelCallError("the model's answer had no choices[0].message.content") from None
    if not isinstance(content, str) or not content.strip():
        raise ModelCallError("the model's answer was empty")
    return content.strip()


def ask_model(settings: ModelSettings, messages: list[dict[str, str]], opener=urllib.request.urlopen) -> str:
    """One chat completion; ModelCallError on any failure (status, network, shape)."""
    try:
        with opener(build_request(settings, messages), timeout=settings.timeout_seconds) as response:
            return parse_reply(json.loads(response.read().decode("utf-8")))
    except urllib.error.HTTPError as exc:
        kind = "refused the key" if exc.code in (401, 403) else "is busy" if exc.code == 429 else "failed"
        raise ModelCallError(f"the model endpoint {kind} ({exc.code})") from None
    except urllib.error.URLError as exc:
        raise ModelCallError(f"the model endpoint is unreachable ({type(exc.reason).__name__})") from None
    except (TimeoutError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelCallError(f"the model endpoint answered badly ({type(exc).__name__})") from None


def answer(latest: str, events: Sequence[Mapping[str, object]], env: Mapping[str, str], system_prompt: str, opener=urllib.request.urlopen) -> tuple[str, str | None]:
    """The text the bot utters and, on failure, the reason to log (never the key): the action's whole logic."""
    try:
        settings = settings_from_env(env)
        return ask_model(settings, messages_from_events(events, latest, system_prompt), opener), None
    except ModelCallError as exc:
        return FALLBACK_REPLY, str(exc)
