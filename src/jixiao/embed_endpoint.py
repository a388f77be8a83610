"""An OpenAI-compatible embeddings endpoint (`POST …/v1/embeddings`), for libraries that outgrow
one machine: text-embeddings-inference, vLLM, Xinference… serving multilingual-e5. Chosen by
JIXIAO_EMBED_URL; `jixiao.embed.Embedder` uses it instead of the bundled model.
"""

from __future__ import annotations

import numpy as np

from jixiao.errors import JixiaoError


class Endpoint:
    """An OpenAI-compatible embeddings endpoint (`POST …/v1/embeddings`: text-embeddings-inference,
    vLLM, Xinference…) serving multilingual-e5: texts are sent with e5's `query: ` and `passage: `
    prefixes, as those servers expect, a few requests at a time."""

    BATCH = 64  # texts per request
    REQUESTS = 4  # requests at once

    def __init__(self, url: str, model: str, api_key: str = "", timeout: float = 120.0) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout

    @property
    def source(self) -> str:
        """What made a vector: part of its cache key and of the store's ledger."""
        return f"{self.url}|{self.model}"

    def embed(self, texts: list[str], query: bool) -> np.ndarray:
        """L2-normalized vectors of `texts`, in order."""
        prefix = "query: " if query else "passage: "
        batches = [texts[i : i + self.BATCH] for i in range(0, len(texts), self.BATCH)]
        if len(batches) == 1:
            return self._request([prefix + t for t in batches[0]])
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(self.REQUESTS) as pool:
            parts = pool.map(self._request, [[prefix + t for t in b] for b in batches])
            return np.concatenate(list(parts))

    def _request(self, inputs: list[str]) -> np.ndarray:
        import json
        import urllib.error
        import urllib.request

        body = json.dumps({"model": self.model, "input": inputs, "encoding_format": "float"})
        request = urllib.request.Request(
            f"{self.url}/embeddings",
            data=body.encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.api_key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                data = json.loads(reply.read())
            rows = sorted(data["data"], key=lambda d: d["index"])
            vectors = np.array([r["embedding"] for r in rows], dtype=np.float32)
            if vectors.shape[0] != len(inputs):
                raise ValueError(f"{vectors.shape[0]} vectors for {len(inputs)} texts")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            detail = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            raise EndpointError(
                f"向量服务 {self.url}（JIXIAO_EMBED_URL）没有给出向量（{type(exc).__name__}：{detail}）；"
                "请确认服务已启动、模型名（JIXIAO_EMBED_MODEL）正确，或取消这个设置改用内置模型"
            ) from None
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)


def endpoint_from(settings) -> Endpoint | None:
    """The endpoint `settings` name (JIXIAO_EMBED_URL), or None: the bundled model."""
    if not settings.embed_url:
        return None
    key = settings.embed_api_key.get_secret_value()
    return Endpoint(settings.embed_url, settings.embed_model, key, settings.llm_timeout)


class EndpointError(JixiaoError):
    """The embeddings endpoint did not answer with vectors."""

    code = "embeddings_unavailable"
