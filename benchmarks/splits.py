"""The development splits carved from the training data in ``../shared/data/train``.

DWIE ships only its train split here (678 articles). Our DWIE dev split: the train
documents sorted by ``id``, and in dev every document whose SHA-1 of the ``id``
(UTF-8) ends in one of :data:`DWIE_DEV_DIGITS` (about 12.5 %, 71 documents). The
rest is for training. Every helper of issue 20 uses this same rule (the NER and
the relation model alike), so no model is scored on a document it was trained on.

CoNLL04 has its own dev file (``conll04_dev.json``): trained on ``conll04_train.json``
only, scored on dev.

>>> is_dwie_dev("DW_1095032"), is_dwie_dev("DW_14745887")
(False, True)
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

__all__ = ["DWIE_DEV_DIGITS", "DEFAULT_DATA", "is_dwie_dev", "dwie_documents"]

#: a DWIE train document is in our dev split when sha1(id).hexdigest() ends in one of these
DWIE_DEV_DIGITS = ("0", "1")


def _default_data() -> Path:
    """``shared/data`` beside the nearest folder above this file that has one (the
    repository's sibling ``../shared/data``, also from a git worktree further down)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return here.parents[2] / "shared" / "data"


#: where the data sets live by default (``--data`` overrides)
DEFAULT_DATA = _default_data()


def is_dwie_dev(doc_id: str) -> bool:
    """Whether the DWIE document ``doc_id`` is in our dev split."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[-1] in DWIE_DEV_DIGITS


def dwie_documents(data: Path, split: str) -> list[dict]:
    """The DWIE documents of ``split`` ("dev", "train": the rest, or "all"), sorted by ``id``.

    ``data`` is ``../shared/data`` (the file is ``train/dwie/dwie_train.jsonl.gz``).
    """
    if split not in ("dev", "train", "all"):
        raise ValueError(f"unknown split {split!r}; expected one of dev, train, all")
    path = Path(data) / "train" / "dwie" / "dwie_train.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        docs = sorted((json.loads(line) for line in fh if line.strip()), key=lambda d: d["id"])
    if split == "all":
        return docs
    return [d for d in docs if is_dwie_dev(d["id"]) == (split == "dev")]
