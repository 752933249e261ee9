//===- Dispatch.cpp - parallel loops as task functions --------------------===//
#include "compiler/codegen/cpu/Dispatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace onnxc::cpu {

void emitParallelFor(func::FuncOp parent, SymbolTable &symbols, OpBuilder &b, Location loc,
                     StringRef suffix, int64_t n, ValueRange captures, bool parallel,
                     function_ref<void(OpBuilder &, Value, Value, ValueRange)> body) {
  if (!parallel || n < 2) {
    body(b, arith::ConstantIndexOp::create(b, loc, 0), arith::ConstantIndexOp::create(b, loc, n),
         captures);
    return;
  }
  MLIRContext *ctx = b.getContext();
  SmallVector<Type> types{b.getIndexType(), b.getIndexType()};
  for (Value v : captures)
    types.push_back(v.getType());
  OpBuilder mb(ctx);
  mb.setInsertionPointAfter(parent);
  auto task = func::FuncOp::create(mb, loc, (parent.getSymName() + "_" + suffix).str(),
                                   FunctionType::get(ctx, types, {}));
  task.setPrivate();
  symbols.insert(task); // uniquifies the name
  Block *entry = task.addEntryBlock();
  OpBuilder tb = OpBuilder::atBlockBegin(entry);
  body(tb, entry->getArgument(0), entry->getArgument(1), entry->getArguments().drop_front(2));
  func::ReturnOp::create(tb, loc);
  types.erase(types.begin());
  auto dispatch = func::FuncOp::create(mb, loc, (task.getSymName() + "__dispatch").str(),
                                       FunctionType::get(ctx, types, {}));
  dispatch.setPrivate();
  SmallVector<Value> args{arith::ConstantIndexOp::create(b, loc, n)};
  llvm::append_range(args, captures);
  func::CallOp::create(b, loc, dispatch, args);
}

} // namespace onnxc::cpu
