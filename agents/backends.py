"""The backend clients, built from the valves in one place.

The pipeline builds a new `Backends` in `on_startup` and `on_valves_updated` and swaps it
in whole, so a request always sees one consistent set of clients.
"""
from dataclasses import dataclass

from alphaomega.agents.ollama import OllamaClient, ServerInfo, Timeouts
from alphaomega.valves import Valves


@dataclass(frozen=True)
class Backends:
    reasoning: OllamaClient
    vision: OllamaClient

    @classmethod
    def from_valves(cls, valves: Valves) -> "Backends":
        timeouts = Timeouts(connect=valves.CONNECT_TIMEOUT, first_byte=valves.REQUEST_TIMEOUT,
                            between_chunks=valves.STREAM_CHUNK_TIMEOUT)
        return cls(
            reasoning=OllamaClient(ServerInfo(valves.OLLAMA_REASONING_URL, "reasoning", "OLLAMA_REASONING_URL"),
                                   timeouts),
            vision=OllamaClient(ServerInfo(valves.OLLAMA_VISION_URL, "vision", "OLLAMA_VISION_URL"), timeouts),
        )

    def close(self) -> None:
        self.reasoning.close()
        self.vision.close()
