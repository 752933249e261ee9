//===- Upgrade.h - older ONNX encodings -> newest op form -------*- C++ -*-===//
#ifndef ONNXC_COMPILER_IMPORTER_UPGRADE_H
#define ONNXC_COMPILER_IMPORTER_UPGRADE_H

#include "onnx.pb.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"

namespace onnxc {

/// Rewrites a node imported at `sinceVersion` into the newest version's
/// encoding: attributes that later became inputs (Reduce*/Squeeze/Unsqueeze
/// axes, Split's split, Pad's pads/value, Clip's min/max, Slice's
/// starts/ends/axes, TopK's k, Dropout's ratio) turn into constant inputs,
/// and attributes that were removed (consumed_inputs, is_test, spatial) are
/// dropped. `inputs` holds null for absent optional inputs.
void upgradeNode(mlir::OpBuilder &b, mlir::Location loc, llvm::StringRef opType,
                 int sinceVersion,
                 llvm::SmallVectorImpl<mlir::Value> &inputs,
                 llvm::SmallVectorImpl<const proto::AttributeProto *> &attrs);

} // namespace onnxc

#endif
