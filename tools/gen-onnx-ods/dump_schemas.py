#!/usr/bin/python3
"""Dumps the ai.onnx and ai.onnx.preview.training op schemas (every version)
of the installed python3-onnx to a JSON data file that gen_onnx_ods.py reads.

Run with Debian's python (python3-onnx 1.12):
    /usr/bin/python3 tools/gen-onnx-ods/dump_schemas.py > dialects/onnx/schema/onnx-schemas.json
The output is checked in so that building onnxc never needs python3-onnx.
"""
import json
import sys

import onnx
from onnx import defs, helper

TRAINING = "ai.onnx.preview.training"
ATTR_TYPES = {v: k for k, v in onnx.AttributeProto.AttributeType.items()}
OPTION = {
    defs.OpSchema.FormalParameterOption.Single: "single",
    defs.OpSchema.FormalParameterOption.Optional: "optional",
    defs.OpSchema.FormalParameterOption.Variadic: "variadic",
}


def default_value(attr):
    proto = attr.default_value
    if proto is None or proto.type == 0:
        return None
    value = helper.get_attribute_value(proto)
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, list):
        return [v.decode() if isinstance(v, bytes) else v for v in value]
    if isinstance(value, (int, float, str)):
        return value
    return None  # tensors/graphs as defaults do not occur in ai.onnx


def params(formals):
    return [{
        "name": p.name,
        "types": p.typeStr,
        "option": OPTION[p.option],
        "homogeneous": p.isHomogeneous,
        
    } for p in formals]


def main():
    out = []
    for s in defs.get_all_schemas_with_history():
        if s.domain not in ("", "ai.onnx", TRAINING):
            continue
        out.append({
            **({"domain": s.domain} if s.domain == TRAINING else {}),
            "name": s.name,
            "since_version": s.since_version,
            "deprecated": s.deprecated,
            "function": s.has_function or s.has_context_dependent_function,
            "inputs": params(s.inputs),
            "outputs": params(s.outputs),
            "attributes": [{
                "name": a.name,
                "type": ATTR_TYPES[int(a.type)],
                "required": a.required,
                "default": default_value(a),
            } for a in sorted(s.attributes.values(), key=lambda a: a.name)],
            "type_constraints": [{
                "param": c.type_param_str,
                "allowed": sorted(c.allowed_type_strs),
            } for c in s.type_constraints],
            "file": s.file.split("/defs/")[-1].split("/")[0] if "/defs/" in s.file else "",
        })
    out.sort(key=lambda s: (s["name"], s["since_version"]))
    json.dump({"onnx_version": onnx.__version__, "schemas": out}, sys.stdout,
              indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
