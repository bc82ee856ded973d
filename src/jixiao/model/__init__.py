"""The typed model of self-evaluations and reports: pure, immutable data with no I/O."""

from jixiao.model.evaluation import (
    Evaluation,
    Funds,
    FundsRow,
    Goals,
    Indicator,
    Kind,
    Total,
)
from jixiao.model.field_path import FieldPath, FieldPathError
from jixiao.model.report import Report, Section, StatedFigure
from jixiao.model.source import SourceRef, derived
from jixiao.model.tables import (
    AllocationRow,
    AllocationTable,
    BasicData,
    BuildingControl,
    ExpenseLine,
    Staffing,
)

__all__ = [
    "AllocationRow",
    "AllocationTable",
    "BasicData",
    "BuildingControl",
    "Evaluation",
    "ExpenseLine",
    "FieldPath",
    "FieldPathError",
    "Funds",
    "FundsRow",
    "Goals",
    "Indicator",
    "Kind",
    "Report",
    "Section",
    "SourceRef",
    "Staffing",
    "StatedFigure",
    "Total",
    "derived",
]
