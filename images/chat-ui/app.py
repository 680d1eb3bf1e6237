"""The chat UI: a Gradio chat page whose callback is chat_logic.respond (server side, key from the env).

Served under /chat behind the route guard, which asks for the chat user's own credential (HTTP basic
auth over TLS) before anything reaches this process; the model API key stays in this container.
"""

import os

import gradio as gr

from chat_logic import respond

ROOT_PATH = os.environ.get("CHAT_UI_ROOT_PATH", "/chat")
PORT = int(os.environ.get("CHAT_UI_PORT", "7860"))

demo = gr.ChatInterface(fn=respond, type="messages", title=os.environ.get("CHAT_UI_TITLE", "Chat"))

if __name__ == "__main__":
    # No share links, no API page: the UI is the only thing this server offers.
    demo.queue(default_concurrency_limit=8).launch(server_name="0.0.0.0", server_port=PORT, root_path=ROOT_PATH, share=False, show_api=False)
