"""The shape of manifest.json, checked before anything trusts it.

A manifest that parses as JSON but has the wrong shape (`[]`, `null`, a missing key, a calibration
threshold that is a string) would otherwise load and then fail on every question, or end in a
`KeyError` traceback. Strict types: JSON gives numbers as numbers, so nothing needs coercing.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, NonNegativeInt, PositiveInt, ValidationError
from pydantic.types import FiniteFloat

from bot.errors import IndexStoreError


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True)


class Chunker(_Strict):
    sentences_per_passage: PositiveInt
    max_tokens: PositiveInt


class BM25Parameters(_Strict):
    k1: FiniteFloat
    b: FiniteFloat


class DocumentEntry(_Strict):
    title: str
    content_hash: str
    paragraphs: PositiveInt
    passages: NonNegativeInt


class Counts(_Strict):
    documents: PositiveInt
    paragraphs: PositiveInt
    passages: PositiveInt


class Calibration(_Strict):
    """Only the values answering reads are typed; the fit's report (`fitted_on`, rates) is kept as is."""

    model_config = ConfigDict(strict=True, extra="allow")
    threshold: FiniteFloat
    unsupported: FiniteFloat
    calibrated: bool = True


class Manifest(_Strict):
    format_version: int
    index_version: str
    model: str
    dimension: PositiveInt
    chunker: Chunker
    bm25: BM25Parameters
    index_type: Literal["flat", "hnsw"]
    documents: dict[str, DocumentEntry]
    counts: Counts
    built_at: str
    calibration: Calibration | None = None
    onnx: str | None = None  # the folder (under index/models) of the model's ONNX export; None: PyTorch answers


def validate_manifest(data: object, where: str, hint: str) -> None:
    """Raise one line naming the first field that is wrong."""
    try:
        Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "the whole file"
        raise IndexStoreError(f"index at {where} is corrupt (manifest.json: {field}: {first['msg']}); {hint}") from None
