from liangxin.engine.schema import SCHEMAS, Kind
from liangxin.web.core.masking import mask_field
from liangxin.web.core.views import ObjectDetailView
from liangxin.web.sources.models import SourceRecord


class SourceRecordDetailView(ObjectDetailView):
    model = SourceRecord
    template_name = "sources/detail.html"

    def context(self, request, record):
        schema = SCHEMAS[Kind(record.kind)]
        values = []
        for field in schema.fields:
            if field.name == "seq":
                continue
            values.append((field.label, mask_field(field.name, record.values.get(field.name))))
        return {"values": values, "problems": _problems(record)}


def _problems(record: SourceRecord):
    # the problems its file's reading found in this row (``imports.ValueProblem``)
    return record.file.value_problems.filter(sheet=record.source_sheet, row=record.source_row)
