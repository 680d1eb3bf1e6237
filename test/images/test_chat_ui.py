"""The chat UI's request logic (images/chat-ui/chat_logic.py) against a stand-in endpoint over real HTTP."""

import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "images", "chat-ui"))
import chat_logic as cl  # noqa: E402
from standin import KEY, StandIn  # noqa: E402


def env_for(stand_in: StandIn, key: str = KEY) -> dict:
    return {cl.ENV_BASE_URL: stand_in.base_url, cl.ENV_API_KEY: key, cl.ENV_MODEL: "mistral-7b", cl.ENV_MAX_TOKENS: "64"}


class ChatUiLogic(unittest.TestCase):
    def test_streams_the_reply_growing_and_sends_the_key_only_in_the_header(self):
        with StandIn() as s:
            history = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
            out = list(cl.respond("say bonjour", history, env=env_for(s)))
        self.assertEqual(out[-1].strip(), "Bonjour from the stand-in")
        self.assertGreater(len(out), 1, "streamed in several steps")
        self.assertTrue(all(out[i + 1].startswith(out[i]) for i in range(len(out) - 1)), "each step extends the last")
        sent = s.requests[0]
        self.assertEqual(sent["path"], "/v1/chat/completions")
        self.assertEqual(sent["headers"]["Authorization"], f"Bearer {KEY}")
        self.assertEqual(sent["body"]["model"], "mistral-7b")
        self.assertEqual(sent["body"]["max_tokens"], 64)
        self.assertTrue(sent["body"]["stream"])
        self.assertEqual([m["role"] for m in sent["body"]["messages"]], ["user", "assistant", "user"])
        self.assertNotIn(KEY, repr(sent["body"]))

    def test_a_wrong_key_is_a_chat_message_that_never_shows_either_key(self):
        with StandIn() as s:
            out = list(cl.respond("hi", [], env=env_for(s, key="sk-wrong-key-000")))
        self.assertEqual(len(out), 1)
        self.assertIn("API key was refused", out[0])
        self.assertNotIn("sk-", out[0])

    def test_maps_statuses_to_messages_with_the_servers_detail(self):
        with StandIn() as s:
            busy = list(cl.respond("status:429", [], env=env_for(s)))
            bad = list(cl.respond("status:400", [], env=env_for(s)))
            down = list(cl.respond("status:503", [], env=env_for(s)))
        self.assertIn("busy (429)", busy[0])
        self.assertIn("rejected the request (400): stand-in says 400", bad[0])
        self.assertIn("failed (503): stand-in says 503", down[0])

    def test_an_unreachable_endpoint_is_reported_not_raised(self):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()  # nothing listens there now
        env = {cl.ENV_BASE_URL: f"http://127.0.0.1:{port}/v1", cl.ENV_API_KEY: KEY, cl.ENV_MODEL: "m"}
        out = list(cl.respond("hi", [], env=env))
        self.assertIn("unreachable", out[0])

    def test_missing_settings_name_the_variable_never_a_value(self):
        out = list(cl.respond("hi", [], env={cl.ENV_API_KEY: KEY}))
        self.assertIn(cl.ENV_BASE_URL, out[0])
        self.assertIn(cl.ENV_MODEL, out[0])
        self.assertNotIn(KEY, out[0])
        self.assertNotIn(KEY, repr(cl.Settings("http://x/v1", KEY, "m")))

    def test_parse_sse_skips_keepalives_stops_at_done_and_surfaces_stream_errors(self):
        lines = [b": ping\n", b"\n", b'data: {"choices":[{"delta":{"content":"a"}}]}\n', b"data: [DONE]\n", b'data: {"choices":[{"delta":{"content":"late"}}]}\n']
        self.assertEqual(list(cl.parse_sse(lines)), ["a"])
        with self.assertRaisesRegex(cl.ChatError, "overloaded"):
            list(cl.parse_sse([b'data: {"error": {"message": "overloaded"}}\n']))
        with self.assertRaisesRegex(cl.ChatError, "malformed"):
            list(cl.parse_sse([b"data: {not json\n"]))

    def test_negative_control_the_stand_in_refuses_a_request_without_the_key(self):
        import urllib.error
        import urllib.request

        with StandIn() as s:
            req = urllib.request.Request(f"{s.base_url}/chat/completions", data=b'{"messages":[{"role":"user","content":"x"}]}', method="POST", headers={"Content-Type": "application/json"})
            with self.assertRaises(urllib.error.HTTPError) as ctx:
                urllib.request.urlopen(req, timeout=5)
        self.assertEqual(ctx.exception.code, 401)


if __name__ == "__main__":
    unittest.main()
