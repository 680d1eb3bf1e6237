"""Custom action: answer with the stack's own model (the logic lives in llm_client.py, tested apart)."""

import logging
import os
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from .llm_client import answer

logger = logging.getLogger(__name__)
SYSTEM_PROMPT = os.environ.get("LLM_SYSTEM_PROMPT", "You are a helpful assistant. Answer briefly.")


class ActionAskModel(Action):
    def name(self) -> Text:
        return "action_ask_model"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text, problem = answer(tracker.latest_message.get("text") or "", tracker.events, os.environ, SYSTEM_PROMPT)
        if problem:
            logger.warning("action_ask_model: %s", problem)
        dispatcher.utter_message(text=text)
        return []
