"""Text embeddings for the memory stream: 256 dimensions, L2-normalised, whatever the backend.

Default: WordLlama (``l2_supercat``, 256-d), whose weights and tokenizer ship inside the
``wordllama`` wheel (``wordllama/weights/l2_supercat_256.safetensors`` and
``wordllama/tokenizers/l2_supercat_tokenizer_config.json``). ``WordLlama.load`` looks in the
package folder first, then in ``cache_dir``, then downloads from Hugging Face; we pass the
package folder as ``cache_dir`` and ``disable_download=True``, so it reads the wheel's files
and raises ``FileNotFoundError`` rather than ever touching the network. The model is a 16 MB
matrix loaded once per process (~0.2 s), on first use, behind a lock.

With ``settings.EMBEDDINGS == "openai"``: ``settings.EMBEDDINGS_MODEL`` (``text-embedding-3-small``)
asked for ``dimensions=256`` at ``OPENAI_BASE_URL`` (OpenAI itself when empty), in batches.

Blank texts (and any vector that comes back all zeros) embed to ``BLANK_VECTOR``, a fixed unit
vector, so cosine distance stays defined for every row.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import openai
from django.conf import settings

from characters.models import EMBEDDING_DIMENSIONS

if TYPE_CHECKING:
    from wordllama import WordLlamaInference

    from characters.engine.intent import Prototypes

WORDLLAMA_CONFIG = "l2_supercat"  # the model the wheel ships, in 64..1024 dimensions
WORDLLAMA_BATCH = 256  # texts per tokenizer call; larger batches gain nothing measurable
OPENAI_BATCH = 256  # inputs per request; the API allows 2,048 inputs and 300k tokens each
OPENAI_MAX_RETRIES = 2  # the client's own retries with backoff (429s and 5xx)
BLANK_VECTOR: tuple[float, ...] = (1.0 / math.sqrt(EMBEDDING_DIMENSIONS),) * EMBEDDING_DIMENSIONS
PLACEHOLDER_API_KEY = "not-needed"  # local OpenAI-compatible servers (Ollama, vLLM) ignore keys


class EmbeddingError(Exception):
    """The embedding backend could not embed; the message says what to check."""

    code = "embedding_unavailable"


def embed_texts(texts: Sequence[str]) -> list[list[float]]:
    """One 256-d unit vector per text, in order. Raises ``EmbeddingError``."""
    texts = list(texts)
    if not texts:
        return []
    wanted = [i for i, text in enumerate(texts) if text.strip()]
    vectors = [list(BLANK_VECTOR) for _ in texts]
    if not wanted:
        return vectors
    subset = [texts[i] for i in wanted]
    matrix = _openai_embed(subset) if embeddings_remote() else _wordllama_embed(subset)
    for i, row in zip(wanted, _unit_rows(matrix), strict=True):
        vectors[i] = row
    return vectors


def embeddings_remote() -> bool:
    """Whether embedding makes network calls (then callers keep it out of row locks)."""
    return settings.EMBEDDINGS == "openai"


def _unit_rows(matrix: np.ndarray) -> list[list[float]]:
    if matrix.ndim != 2 or matrix.shape[1] != EMBEDDING_DIMENSIONS:
        raise EmbeddingError(
            f"The embedding backend returned vectors of shape {matrix.shape}; "
            f"{EMBEDDING_DIMENSIONS} dimensions are needed."
        )
    matrix = np.nan_to_num(matrix.astype(np.float64, copy=False))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    safe = np.where(norms > 0, norms, 1.0)
    units = np.where(norms > 0, matrix / safe, np.asarray(BLANK_VECTOR))
    return units.tolist()


# --- WordLlama (offline default) ----------------------------------------------------------------

_wordllama_lock = threading.Lock()
_wordllama_model: WordLlamaInference | None = None


def wordllama_model() -> WordLlamaInference:
    """The process's WordLlama model, loaded from the wheel on first use (thread-safe)."""
    global _wordllama_model
    model = _wordllama_model
    if model is None:
        with _wordllama_lock:
            if _wordllama_model is None:
                _wordllama_model = _wordllama_load()
            model = _wordllama_model
    return model


def _wordllama_load() -> WordLlamaInference:
    import wordllama

    package_folder = Path(wordllama.__file__).resolve().parent
    try:
        return wordllama.WordLlama.load(
            config=WORDLLAMA_CONFIG,
            dim=EMBEDDING_DIMENSIONS,
            cache_dir=package_folder,
            disable_download=True,
        )
    except FileNotFoundError as error:
        raise EmbeddingError(
            f"WordLlama's weights are missing from {package_folder} ({error}); reinstall "
            "wordllama from requirements.txt, or set DRAMATIS_EMBEDDINGS=openai."
        ) from error


def _wordllama_embed(texts: list[str]) -> np.ndarray:
    return wordllama_model().embed(texts, norm=False, batch_size=WORDLLAMA_BATCH)


# --- OpenAI-compatible endpoint -----------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _openai_client(base_url: str, api_key: str, timeout_seconds: float) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=base_url or None,
        api_key=api_key or PLACEHOLDER_API_KEY,
        timeout=timeout_seconds,
        max_retries=OPENAI_MAX_RETRIES,
    )


def _openai_embed(texts: list[str]) -> np.ndarray:
    client = _openai_client(
        settings.OPENAI_BASE_URL.rstrip("/"), settings.OPENAI_API_KEY, settings.LLM_TIMEOUT_SECONDS
    )
    rows: list[list[float]] = []
    for start in range(0, len(texts), OPENAI_BATCH):
        batch = texts[start : start + OPENAI_BATCH]
        try:
            response = client.embeddings.create(
                model=settings.EMBEDDINGS_MODEL,
                input=batch,
                dimensions=EMBEDDING_DIMENSIONS,
                encoding_format="float",
            )
        except openai.OpenAIError as error:
            where = settings.OPENAI_BASE_URL or "api.openai.com"
            raise EmbeddingError(
                f"Embedding {len(batch)} text(s) with {settings.EMBEDDINGS_MODEL} at {where} "
                f"failed ({error}); check OPENAI_BASE_URL and OPENAI_API_KEY, or set "
                "DRAMATIS_EMBEDDINGS=wordllama to embed offline."
            ) from error
        data = sorted(response.data, key=lambda item: item.index)
        if len(data) != len(batch):
            raise EmbeddingError(
                f"{settings.EMBEDDINGS_MODEL} returned {len(data)} embeddings for {len(batch)} "
                "texts."
            )
        rows.extend(list(item.embedding) for item in data)
    return np.asarray(rows, dtype=np.float64)


# --- intent prototypes (the engine's embedding reader) ------------------------------------------


def intent_prototypes() -> Prototypes | None:
    """``characters.engine.intent.Prototypes`` over WordLlama, built once per process; None
    when embeddings are remote (a network call per line is not worth a reading the rules
    mostly give)."""
    if embeddings_remote():
        return None
    return _intent_prototypes()


# Lines whose votes are kept per process: a conversation reads each line several times (the
# person's words, the interaction, every answer option checked before it is offered), and
# option texts repeat from turn to turn.
PROTOTYPE_VOTES_KEPT = 4096


@functools.lru_cache(maxsize=1)
def _intent_prototypes() -> Prototypes:
    from characters.engine.intent import PROTOTYPE_NEIGHBOURS, Prototypes

    class MatrixPrototypes(Prototypes):
        """The engine's ``Prototypes`` with the same votes, the cosines taken in one numpy
        product instead of a Python sum per example (some 300 examples of 256 dimensions:
        about 10 ms a line in Python, 0.1 ms here), and each line's votes kept."""

        def votes(
            self, text: str, k: int = PROTOTYPE_NEIGHBOURS
        ) -> tuple[dict[str, float], str, float]:
            kept = self.__dict__.setdefault("_kept", {})
            if (text, k) not in kept:
                if len(kept) >= PROTOTYPE_VOTES_KEPT:
                    kept.clear()
                kept[text, k] = self._votes(text, k)
            tally, kind, best = kept[text, k]
            return dict(tally), kind, best

        def _votes(self, text: str, k: int) -> tuple[dict[str, float], str, float]:
            matrix = self.__dict__.get("_matrix")
            if matrix is None:
                matrix = self.__dict__["_matrix"] = np.asarray(self.vectors, dtype=np.float64)
            v = np.asarray(self.embed([text])[0], dtype=np.float64)
            norm = float(np.linalg.norm(v))
            if norm > 0:
                v = v / norm
            similarities = (matrix @ v).tolist()
            scored = sorted(zip(similarities, self.kinds, strict=True), reverse=True)[: max(1, k)]
            tally: dict[str, float] = {}
            for similarity, kind in scored:
                tally[kind] = tally.get(kind, 0.0) + max(0.0, similarity)
            if not scored:
                return tally, "small_talk", -1.0
            return tally, scored[0][1], scored[0][0]

    built = Prototypes.build(lambda texts: _unit_rows(_wordllama_embed(list(texts))))
    return MatrixPrototypes(built.kinds, built.vectors, built.embed)
