//===- LowerDispatch.cpp - task dispatches -> onnxc_parallel_for ----------===//
#include "compiler/codegen/cpu/Passes.h"

#include "mlir/IR/Builders.h"

namespace onnxc {
#define GEN_PASS_DEF_LOWERDISPATCH
#include "compiler/codegen/cpu/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kSuffix = "__dispatch";

struct LowerDispatch : onnxc::impl::LowerDispatchBase<LowerDispatch> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    auto voidTy = LLVM::LLVMVoidType::get(ctx);
    OpBuilder b(ctx);

    SmallVector<LLVM::LLVMFuncOp> dispatches;
    for (auto f : module.getOps<LLVM::LLVMFuncOp>())
      if (f.isExternal() && f.getSymName().ends_with(kSuffix))
        dispatches.push_back(f);
    if (dispatches.empty())
      return;

    auto parallelFor = module.lookupSymbol<LLVM::LLVMFuncOp>("onnxc_parallel_for");
    if (!parallelFor) {
      b.setInsertionPointToEnd(module.getBody());
      parallelFor = LLVM::LLVMFuncOp::create(
          b, module.getLoc(), "onnxc_parallel_for",
          LLVM::LLVMFunctionType::get(voidTy, {i64, ptr, ptr}));
    }

    // One walk and one symbol table for all dispatches (per-dispatch module
    // walks made this pass quadratic: over a second on resnet50).
    SymbolTable symbols(module);
    llvm::StringMap<SmallVector<LLVM::CallOp>> callsTo;
    module.walk([&](LLVM::CallOp call) {
      if (auto callee = call.getCallee(); callee && callee->ends_with(kSuffix))
        callsTo[*callee].push_back(call);
    });
    for (LLVM::LLVMFuncOp dispatch : dispatches) {
      StringRef taskName = dispatch.getSymName().drop_back(kSuffix.size());
      auto task = symbols.lookup<LLVM::LLVMFuncOp>(taskName);
      ArrayRef<Type> params = dispatch.getFunctionType().getParams();
      if (!task || task.isExternal() || params.empty() ||
          task.getFunctionType().getNumParams() != params.size() + 1) {
        dispatch.emitError("dispatch without a matching task function");
        return signalPassFailure();
      }
      auto captures = params.drop_front();
      auto frame = LLVM::LLVMStructType::getLiteral(ctx, captures);
      Location loc = task.getLoc();

      // wrapper(ctx, begin, end) { task(begin, end, ctx->captures...); }
      b.setInsertionPointAfter(task);
      auto wrapper = LLVM::LLVMFuncOp::create(
          b, loc, (taskName + "__wrapper").str(),
          LLVM::LLVMFunctionType::get(voidTy, {ptr, i64, i64}), LLVM::Linkage::Internal);
      Block *entry = wrapper.addEntryBlock(b);
      b.setInsertionPointToStart(entry);
      SmallVector<Value> args{entry->getArgument(1), entry->getArgument(2)};
      for (auto [i, t] : llvm::enumerate(captures)) {
        Value slot = LLVM::GEPOp::create(b, loc, ptr, frame, entry->getArgument(0),
                                         ArrayRef<LLVM::GEPArg>{0, int32_t(i)});
        args.push_back(LLVM::LoadOp::create(b, loc, t, slot));
      }
      LLVM::CallOp::create(b, loc, task, args);
      LLVM::ReturnOp::create(b, loc, ValueRange{});

      // Each call: fill a frame in the caller's stack, run the task on it.
      for (LLVM::CallOp call : callsTo.lookup(dispatch.getSymName())) {
        auto caller = call->getParentOfType<LLVM::LLVMFuncOp>();
        b.setInsertionPointToStart(&caller.getBody().front());
        Value one = LLVM::ConstantOp::create(b, call.getLoc(), i64, b.getI64IntegerAttr(1));
        Value slotBase = LLVM::AllocaOp::create(b, call.getLoc(), ptr, frame, one);
        b.setInsertionPoint(call);
        for (auto [i, v] : llvm::enumerate(call.getArgOperands().drop_front())) {
          Value slot = LLVM::GEPOp::create(b, call.getLoc(), ptr, frame, slotBase,
                                           ArrayRef<LLVM::GEPArg>{0, int32_t(i)});
          LLVM::StoreOp::create(b, call.getLoc(), v, slot);
        }
        Value fn = LLVM::AddressOfOp::create(b, call.getLoc(), wrapper);
        LLVM::CallOp::create(b, call.getLoc(), parallelFor,
                             ValueRange{call.getArgOperands().front(), fn, slotBase});
        call.erase();
      }
      dispatch.erase();
    }
  }
};

} // namespace
