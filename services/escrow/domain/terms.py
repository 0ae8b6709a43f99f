"""Escrow's own order vocabulary; what other services see of an order lives in `shared.contracts.escrow`."""

from __future__ import annotations

from enum import StrEnum


class Party(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"


class Incoterm(StrEnum):
    """Incoterms 2020."""

    EXW = "EXW"
    FCA = "FCA"
    FAS = "FAS"
    FOB = "FOB"
    CFR = "CFR"
    CIF = "CIF"
    CPT = "CPT"
    CIP = "CIP"
    DAP = "DAP"
    DPU = "DPU"
    DDP = "DDP"
