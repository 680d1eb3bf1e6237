"""The Rasa action's model call (images/rasa-actions/actions/llm_client.py) against a stand-in endpoint over real HTTP."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "images", "rasa-actions", "actions"))
import llm_client as lc  # noqa: E402
from standin import KEY, StandIn  # noqa: E402

EVENTS = [
    {"event": "action", "name": "action_listen"},
    {"event": "user", "text": "hello"},
    {"event": "bot", "text": "Hi! How can I help?"},
    {"event": "user", "text": "what is Rasa?"},
]


def env_for(s: StandIn, key: str = KEY) -> dict:
    return {lc.ENV_BASE_URL: s.base_url, lc.ENV_API_KEY: key, lc.ENV_MODEL: "mistral-7b"}


class RasaActionCallsTheModel(unittest.TestCase):
    def test_answers_with_the_models_reply_sending_the_conversation_and_the_key_in_the_header(self):
        with StandIn(reply="Rasa is a framework") as s:
            text, problem = lc.answer("what is Rasa?", EVENTS, env_for(s), "Be brief.")
        self.assertEqual((text, problem), ("Rasa is a framework", None))
        sent = s.requests[0]
        self.assertEqual(sent["headers"]["Authorization"], f"Bearer {KEY}")
        self.assertFalse(sent["body"]["stream"])
        self.assertEqual(
            sent["body"]["messages"],
            [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello"}, {"role": "assistant", "content": "Hi! How can I help?"}, {"role": "user", "content": "what is Rasa?"}],
        )

    def test_a_refused_key_falls_back_and_reports_without_any_key(self):
        with StandIn() as s:
            text, problem = lc.answer("hi", [], env_for(s, key="sk-wrong-000"), "x")
        self.assertEqual(text, lc.FALLBACK_REPLY)
        self.assertIn("refused the key (401)", problem)
        self.assertNotIn("sk-", problem)

    def test_server_errors_and_bad_shapes_fall_back(self):
        with StandIn() as s:
            _, busy = lc.answer("status:429", [], env_for(s), "x")
            _, down = lc.answer("status:500", [], env_for(s), "x")
        self.assertIn("busy (429)", busy)
        self.assertIn("failed (500)", down)
        with self.assertRaisesRegex(lc.ModelCallError, "no choices"):
            lc.parse_reply({"choices": []})
        with self.assertRaisesRegex(lc.ModelCallError, "empty"):
            lc.parse_reply({"choices": [{"message": {"content": "  "}}]})

    def test_missing_settings_are_named_never_valued(self):
        text, problem = lc.answer("hi", [], {lc.ENV_API_KEY: KEY}, "x")
        self.assertEqual(text, lc.FALLBACK_REPLY)
        self.assertIn(lc.ENV_BASE_URL, problem)
        self.assertNotIn(KEY, problem)
        self.assertNotIn(KEY, repr(lc.ModelSettings("http://x/v1", KEY, "m")))

    def test_keeps_only_the_last_turns(self):
        many = [{"event": "user", "text": f"u{i}"} for i in range(20)]
        msgs = lc.messages_from_events(many, "latest", "sys", max_turns=3)
        self.assertEqual([m["content"] for m in msgs], ["sys", "u17", "u18", "u19", "latest"])


if __name__ == "__main__":
    unittest.main()
